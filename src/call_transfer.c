/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The refer callback. The target is whatever a caller could talk an agent
 * into, so it is read strictly (refer.c), dialed only when the allow list
 * names it (bridges back to Synthflow always are), and rebuilt from its
 * checked parts: a bridge goes to the configured Synthflow SIP host, never
 * to the host its URI names. Synthflow is never asked; a refusal is the
 * fallback TwiML, as a failed dial's is.
 */
#include "config.h"

#include <string.h>

#include "call_transfer.h"
#include "log.h"
#include "metrics.h"
#include "twiml.h"

int
call_transfer_is_callback(const struct webhook *w)
{
	return call_is_callback(w, CALL_MARK_REFER);
}

static enum twiml_transport
configured_transport(const struct settings *s)
{
	return s->num[S_SIP_TRANSPORT];	/* an enum twiml_transport */
}

int
call_transfer_twiml(struct buf *out, const struct settings *s,
    const struct refer_target *t, const char *action, const char *refer_url,
    size_t *dropped)
{
	struct twiml_sip	 d;
	struct twiml_header	 h[REFER_HEADERS_MAX];
	size_t			 i;
	int			 rc;

	memset(&d, 0, sizeof(d));
	d.answer_on_bridge = -1;
	d.dial_timeout = s->num[S_TRANSFER_TIMEOUT];
	d.time_limit = s->num[S_DIAL_TIME_LIMIT];
	d.caller_id = s->str[S_TRANSFER_CALLER_ID];
	d.action = action;
	*dropped = 0;
	if (t->kind == REFER_NUMBER) {
		d.number = t->number;
		return twiml_dial_number(out, &d);
	}
	for (i = 0; i < t->nheaders; i++) {
		h[i].name = t->header[i].name;
		h[i].value = t->header[i].value;
	}
	d.headers = h;
	d.nheaders = t->nheaders;
	d.number = t->user;
	if (t->kind == REFER_BRIDGE) {
		/* Back to an agent, who may transfer again. */
		d.host = settings_sip_host(s);
		d.port = settings_sip_port(s);
		d.transport = configured_transport(s);
		d.secure = (int)s->num[S_SIP_SECURE];
		d.username = s->str[S_SIP_USERNAME];
		d.password = s->str[S_SIP_PASSWORD];
		d.refer_url = refer_url;
	} else {
		d.host = t->host;
		d.port = t->port;
		d.transport = t->transport == REFER_TRANSPORT_TLS ? TWIML_TLS :
		    t->transport == REFER_TRANSPORT_TCP ? TWIML_TCP :
		    TWIML_UDP;
	}
	rc = twiml_dial(out, &d);
	*dropped = d.dropped;
	return rc;
}

static void
refuse(struct webhook *w, struct call *c, const char *reason)
{
	metrics_transfer(c->transfer_kind, 0);
	call_fallback(w, c, "fallback", reason);
}

/* The allow list for the call's To: its route's, else the setting's. */
static const char *
allow_list(const struct webhook *w, const struct call *c,
    const struct routes *routes)
{
	const struct route	*r;

	if ((r = routes_find(routes, call_param(w, "To"))) != NULL &&
	    r->transfer_allow != NULL)
		return r->transfer_allow;
	return c->s.str[S_TRANSFER_ALLOW];
}

void
call_transfer_answer(struct webhook *w, struct call *c, const char *bad,
    const struct routes *routes)
{
	struct refer_target	 t;
	const char		*errstr = NULL, *action, *refer_url = NULL;

	refer_parse(call_param(w, "ReferTransferTarget"), &t, &errstr);
	c->transfer_kind = refer_kind_name(t.kind);
	/* A bridge goes to the Synthflow host, whatever its URI says. */
	if (t.kind == REFER_NUMBER)
		c->transfer_number = t.number;
	else if (t.kind == REFER_BRIDGE)
		c->transfer_host = settings_sip_host(&c->s);
	else if (t.kind == REFER_SIP)
		c->transfer_host = t.host;
	if (bad != NULL) {
		log_warn("per-request %s does not parse", bad);
		refuse(w, c, "settings");
		return;
	}
	if (c->s.num[S_TRANSFER] != ACTION_SELF) {
		refuse(w, c, "transfer-off");
		return;
	}
	if (t.kind == REFER_INVALID) {
		log_debug("transfer target refused: %s", errstr);
		refuse(w, c, "transfer-target");
		return;
	}
	if (!refer_allowed(allow_list(w, c, routes), &t)) {
		refuse(w, c, "transfer-not-allowed");
		return;
	}
	/* The action's URL drops the refer marker for the dial's. */
	action = call_action(w, c);
	if (t.kind == REFER_BRIDGE)
		refer_url = call_refer_url(w, c);
	if (call_transfer_twiml(&w->answer, &c->s, &t, action, refer_url,
	    &c->dropped) == -1) {
		refuse(w, c, "twiml");
		return;
	}
	metrics_transfer(c->transfer_kind, 1);
	call_answer(w, c, "transferred", NULL);
}
