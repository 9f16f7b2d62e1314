/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Synthflow's registration of a call: the custom variables, the request,
 * its check, and the table that makes Twilio's retries of one CallSid
 * share one registration.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "call_register.h"
#include "clock.h"
#include "dedupredis.h"
#include "metrics.h"

/*
 * Static variables, the route's, then the forwarded Twilio parameters that
 * are present; of two with one name the later wins (synthflow_body).
 */
static int
collect_vars(struct webhook *w, const struct call *c, size_t *n)
{
	const struct settings	*s = &c->s;
	const struct form_pair	*pair;
	const char		*list = s->str[S_FORWARD_PARAMS], *p;
	char			 name[128];
	size_t			 len, need, nroute;

	nroute = c->route != NULL ? c->route->nvars : 0;
	need = s->nvars + nroute + 1 +
	    (list != NULL ? strlen(list) / 2 + 1 : 0);
	if (need > w->varcap) {
		free(w->vars);
		if ((w->vars = calloc(need, sizeof(*w->vars))) == NULL) {
			w->varcap = 0;
			return -1;
		}
		w->varcap = need;
	}
	if (s->nvars > 0)
		memcpy(w->vars, s->vars, s->nvars * sizeof(*w->vars));
	if (nroute > 0)
		memcpy(w->vars + s->nvars, c->route->vars,
		    nroute * sizeof(*w->vars));
	*n = s->nvars + nroute;
	for (p = list; p != NULL && *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(name))
			continue;
		memcpy(name, p, len);
		name[len] = '\0';
		if ((pair = call_pair(w, name)) == NULL)
			continue;
		w->vars[*n].name = pair->name;
		w->vars[*n].value = pair->value;
		(*n)++;
	}
	return 0;
}

/*
 * Ask Synthflow to register the call: 0 with the call id in c->id; -1 when
 * the call data or the settings do not make a request; -2 when Synthflow
 * failed, each with its reason in *errstr.
 */
static int
register_call(struct webhook *w, struct call *c, const char *to,
    const char **errstr)
{
	struct synthflow_call	 sc;
	struct http_request	 hp;
	const char		*from = call_param(w, "From");
	char			 url[2048];
	long			 status, start = clock_ms();
	int			 rc;

	sc.from = from != NULL ? from : "";
	sc.to = to;
	sc.model_id = c->s.str[S_MODEL_ID];
	sc.workspace_id = c->s.str[S_WORKSPACE_ID];
	if (collect_vars(w, c, &sc.nvars) == -1) {
		*errstr = "memory";
		return -1;
	}
	sc.vars = w->vars;
	if (synthflow_body(&w->json, &sc, errstr) == -1)
		return -1;
	if (settings_api_endpoint(&c->s, "/v2/prepare_inbound", url,
	    sizeof(url)) == -1) {
		*errstr = "settings";
		return -1;
	}
	hp.url = url;
	hp.bearer = c->s.str[S_API_KEY];
	hp.ca_file = c->s.str[S_CA_FILE];
	hp.body = buf_str(&w->json);
	hp.len = w->json.len;
	/* What is left: a retry may have waited for another's attempt. */
	if ((hp.timeout_ms = c->deadline_ms - start) <= 0) {
		*errstr = "timeout";
		return -2;
	}
	hp.connect_timeout_ms = c->s.num[S_CONNECT_TIMEOUT_MS];
	hp.retries = c->s.num[S_RETRIES];
	rc = http_send(w->http, &hp, &status, &w->reply, errstr);
	c->api_ms = clock_ms() - start;
	metrics_synthflow_ms(c->api_ms);
	if (rc == -1 || synthflow_reply(status, buf_str(&w->reply),
	    w->reply.len, c->id, errstr) == -1)
		return -2;
	return 0;
}

/* The call has an earlier registration's id, in c->id already. */
static int
reuse(struct call *c)
{
	c->dedup_hit = 1;
	metrics_dedup_hit();
	return 0;
}

/*
 * register_call, once per CallSid: a Twilio retry or a duplicate webhook
 * gets the first registration's id, waiting for it while it is in flight.
 */
int
call_register_once(struct webhook *w, struct call *c, const char *to,
    const char **errstr)
{
	const char	*sid = call_param(w, "CallSid");
	long		 window = c->s.num[S_DEDUP_SECONDS] * 1000;
	int		 rc;

	/* The table in Redis first, when set; when it fails, the process's. */
	switch (dedupredis_begin(&c->s, sid, c->deadline_ms, c->id)) {
	case DEDUPREDIS_HIT:
		return reuse(c);
	case DEDUPREDIS_OWNER:
		rc = register_call(w, c, to, errstr);
		dedupredis_finish(&c->s, sid, rc == 0 ? c->id : NULL);
		return rc;
	case DEDUPREDIS_TIMEOUT:
		*errstr = "timeout";
		return -2;
	case DEDUPREDIS_LOCAL:
		break;
	}
	if (w->dedup == NULL || sid == NULL)
		return register_call(w, c, to, errstr);
	switch (dedup_begin(w->dedup, sid, clock_ms(), window, c->deadline_ms,
	    c->id)) {
	case DEDUP_HIT:
		return reuse(c);
	case DEDUP_OWNER:
		rc = register_call(w, c, to, errstr);
		dedup_finish(w->dedup, sid, rc == 0 ? c->id : NULL, clock_ms());
		return rc;
	case DEDUP_BYPASS:
		break;
	}
	return register_call(w, c, to, errstr);
}
