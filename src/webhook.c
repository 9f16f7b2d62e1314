/*
 * The path of one call. Checks run in the order of SPEC 2.1 and the first
 * failure answers; after the signature check every failure is a fallback
 * TwiML, never an error page, so the caller always hears something. Each
 * step leaves its reason in the call for the one log line at the end.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "admin.h"
#include "dedup.h"
#include "form.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "sipheaders.h"
#include "synthflow.h"
#include "twilio.h"
#include "twiml.h"
#include "webhook.h"

#define ANSWER_MAX	(64 * 1024)
#define TWIML_TYPE	"text/xml; charset=utf-8"
#define TEXT_TYPE	"text/plain; charset=utf-8"
/* The query parameter that marks Twilio's <Dial action> callback. */
#define ACTION_MARK	"synthflow_twiml"
#define ACTION_VALUE	"dial"

struct webhook {
	struct http_client	*http;
	struct dedup		*dedup;		/* shared by the workers */
	struct buf		 body;		/* the request body */
	struct buf		 url;		/* the public URL */
	int			 url_ok;
	struct buf		 action;	/* the <Dial action> URL */
	struct buf		 json;		/* to Synthflow */
	struct buf		 reply;		/* from Synthflow */
	struct buf		 answer;	/* TwiML */
	struct buf		 line;		/* the log line */
	struct form		 query;
	struct form		 post;
	struct synthflow_var	*vars;
	size_t			 varcap;
};

/* What happened to one call, for the answer and the log line. */
struct call {
	struct request		*req;
	struct settings		 s;
	const struct route	*route;		/* the To's, or NULL */
	const char		*outcome;	/* forwarded, direct, fallback, */
	const char		*reason;	/*   rejected, ended */
	char			 id[SYNTHFLOW_ID_MAX + 1];
	long			 start_ms;
	long			 deadline_ms;	/* for the Synthflow exchange */
	long			 api_ms;	/* -1: Synthflow not asked */
	int			 dedup_hit;	/* id of an earlier request */
	size_t			 dropped;	/* SIP headers left out */
};

static long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct webhook *
webhook_new(struct dedup *dedup)
{
	struct webhook	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->http = http_client_new()) == NULL) {
		free(w);
		return NULL;
	}
	w->dedup = dedup;
	buf_init(&w->body, 0);
	buf_init(&w->url, 16 * 1024);
	buf_init(&w->action, 16 * 1024);
	buf_init(&w->json, 256 * 1024);
	buf_init(&w->reply, HTTP_REPLY_MAX);
	buf_init(&w->answer, ANSWER_MAX);
	buf_init(&w->line, 8 * 1024);
	form_init(&w->query);
	form_init(&w->post);
	return w;
}

void
webhook_free(struct webhook *w)
{
	if (w == NULL)
		return;
	http_client_free(w->http);
	buf_free(&w->body);
	buf_free(&w->url);
	buf_free(&w->action);
	buf_free(&w->json);
	buf_free(&w->reply);
	buf_free(&w->answer);
	buf_free(&w->line);
	form_free(&w->query);
	form_free(&w->post);
	free(w->vars);
	free(w);
}

/* A Twilio parameter: the POST body's first, then the query string's. */
static const struct form_pair *
twilio_pair(const struct webhook *w, const char *name)
{
	const struct form_pair	*p;

	if ((p = form_find(&w->post, name)) != NULL)
		return p;
	return form_find(&w->query, name);
}

static const char *
twilio_param(const struct webhook *w, const char *name)
{
	const struct form_pair	*p = twilio_pair(w, name);

	return p != NULL ? p->value : NULL;
}

static void
log_call(struct webhook *w, const struct call *c)
{
	struct buf	*b = &w->line;
	char		 outcome[64];

	if (!log_enabled(LOG_LEVEL_INFO))
		return;
	buf_reset(b);
	if (c->reason != NULL)
		snprintf(outcome, sizeof(outcome), "%s:%s", c->outcome,
		    c->reason);
	else
		snprintf(outcome, sizeof(outcome), "%s", c->outcome);
	log_kv(b, "call_sid", twilio_param(w, "CallSid"));
	log_kv(b, "to", twilio_param(w, "To"));
	log_kv_masked(b, "from", twilio_param(w, "From"));
	log_kv(b, "outcome", outcome);
	log_kv(b, "synthflow_call_id", c->id);
	if (c->dedup_hit)
		buf_addstr(b, " dedup=hit");
	if (c->dropped > 0)
		buf_printf(b, " headers_dropped=%zu", c->dropped);
	if (c->api_ms >= 0)
		buf_printf(b, " api_ms=%ld", c->api_ms);
	buf_printf(b, " total_ms=%ld", now_ms() - c->start_ms);
	log_info("%s", buf_str(b) + 1);
}

/* Refuse a request that is not a valid Twilio call. */
static void
reject(struct webhook *w, struct call *c, int status, const char *reason,
    const char *message)
{
	const char	*allow = status == 405 ? "Allow: GET, POST\r\n" : NULL;
	char		 body[256];
	int		 n;

	c->outcome = "rejected";
	c->reason = reason;
	request_discard(c->req);
	n = snprintf(body, sizeof(body), "%s\n", message);
	request_respond(c->req, status, TEXT_TYPE, allow, body, (size_t)n);
	log_call(w, c);
}

/* Answer the fallback TwiML, logged as outcome:reason. */
static void
answer_fallback(struct webhook *w, struct call *c, const char *outcome,
    const char *reason)
{
	struct twiml_fallback	 f;

	f.redirect = c->s.str[S_FALLBACK_REDIRECT];
	f.dial = c->s.str[S_FALLBACK_DIAL];
	f.say = c->s.str[S_FALLBACK_SAY];
	f.language = c->s.str[S_FALLBACK_LANGUAGE];
	c->outcome = outcome;
	c->reason = reason;
	if (twiml_fallback(&w->answer, &f) == -1) {
		/* Only a huge setting gets here; a bare hangup still works. */
		buf_reset(&w->answer);
		buf_addstr(&w->answer, TWIML_DECL "<Response><Hangup/>"
		    "</Response>\n");
	}
	request_respond(c->req, 200, TWIML_TYPE, NULL, buf_str(&w->answer),
	    w->answer.len);
	log_call(w, c);
}

/* QUERY_STRING, or the query of REQUEST_URI when a server omits it. */
static const char *
request_query(const struct request *req)
{
	const char	*q, *uri;

	if ((q = request_param(req, "QUERY_STRING")) != NULL)
		return q;
	if ((uri = request_param(req, "REQUEST_URI")) != NULL &&
	    (q = strchr(uri, '?')) != NULL)
		return q + 1;
	return NULL;
}

/* Answer the fallback TwiML for a call that cannot reach Synthflow. */
static void
fallback(struct webhook *w, struct call *c, const char *reason)
{
	answer_fallback(w, c, "fallback", reason);
}

/*
 * A caller who is gone, or who waited longer than SYNTHFLOW_MAX_WAIT_MS in
 * the web server's queues, must not cost a Synthflow registration: Twilio
 * has given up on such a request already, or is about to.
 */
static int
caller_gone(struct webhook *w, struct call *c)
{
	long	 age, max = c->s.num[S_MAX_WAIT_MS];

	if (request_gone(c->req)) {
		c->outcome = "rejected";
		c->reason = "gone";
		log_call(w, c);
		return 1;
	}
	if (max > 0 && (age = request_age_ms(c->req)) > max) {
		answer_fallback(w, c, "rejected", "stale");
		return 1;
	}
	return 0;
}

static int
is_form(const char *type)
{
	static const char	 form[] = "application/x-www-form-urlencoded";
	size_t			 n = sizeof(form) - 1;

	return type != NULL && strncasecmp(type, form, n) == 0 &&
	    (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/*
 * Method, size, type, decoding and signature, in that order. Returns 0 for
 * a valid Twilio request; otherwise it has answered and returns -1.
 */
static int
check_request(struct webhook *w, struct call *c)
{
	struct twilio_url_parts	 u;
	const char		*method, *query, *err = NULL;
	int			 post, rc;

	method = request_param(c->req, "REQUEST_METHOD");
	if (method == NULL || (strcmp(method, "GET") != 0 &&
	    strcmp(method, "POST") != 0)) {
		reject(w, c, 405, "method", "method not allowed");
		return -1;
	}
	post = strcmp(method, "POST") == 0;
	w->body.max = (size_t)c->s.num[S_MAX_BODY];
	if ((rc = request_body(c->req, &w->body)) == -1) {
		reject(w, c, 413, "body_size", "request body too large");
		return -1;
	}
	if (rc == -2) {
		reject(w, c, 400, "body_read", "request body unreadable");
		return -1;
	}
	if (post && !is_form(request_param(c->req, "CONTENT_TYPE"))) {
		reject(w, c, 415, "content_type",
		    "expected application/x-www-form-urlencoded");
		return -1;
	}
	query = request_query(c->req);
	if ((query != NULL && strlen(query) > w->body.max) ||
	    (query != NULL &&
	    form_parse(&w->query, query, strlen(query), &err) == -1) ||
	    (post && form_parse(&w->post, buf_str(&w->body), w->body.len,
	    &err) == -1)) {
		reject(w, c, 400, "form", err != NULL ? err :
		    "query string too long");
		return -1;
	}
	memset(&u, 0, sizeof(u));
	u.https = request_param(c->req, "HTTPS");
	/* The fallbacks are looked up only when they are needed. */
	if ((u.host = request_param(c->req, "HTTP_HOST")) == NULL) {
		u.server_name = request_param(c->req, "SERVER_NAME");
		u.server_port = request_param(c->req, "SERVER_PORT");
	}
	if ((u.request_uri = request_param(c->req, "REQUEST_URI")) == NULL) {
		u.script_name = request_param(c->req, "SCRIPT_NAME");
		u.path_info = request_param(c->req, "PATH_INFO");
	}
	u.query_string = query;
	u.webhook_url = c->s.str[S_WEBHOOK_URL];
	/* Signed against, and the base of the <Dial action> URL. */
	w->url_ok = twilio_url(&w->url, &u) == 0;
	if (!c->s.num[S_VALIDATE])
		return 0;
	if (c->s.str[S_AUTH_TOKEN] == NULL || !w->url_ok ||
	    twilio_verify(c->s.str[S_AUTH_TOKEN], buf_str(&w->url),
	    post ? &w->post : NULL,
	    request_param(c->req, "HTTP_X_TWILIO_SIGNATURE")) == -1) {
		reject(w, c, 403, "signature", "invalid Twilio signature");
		return -1;
	}
	return 0;
}

/* Add or replace the variable name in w->vars[0..*n). */
static void
put_var(struct webhook *w, size_t *n, const char *name, const char *value)
{
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (strcmp(w->vars[i].name, name) == 0) {
			w->vars[i].value = value;
			return;
		}
	w->vars[*n].name = name;
	w->vars[*n].value = value;
	(*n)++;
}

/*
 * Static variables, the route's (which replace a static one of the same
 * name), then the forwarded Twilio parameters that are present.
 */
static int
collect_vars(struct webhook *w, const struct call *c, size_t *n)
{
	const struct settings	*s = &c->s;
	const struct form_pair	*pair;
	const char		*list = s->str[S_FORWARD_PARAMS], *p;
	char			 name[128];
	size_t			 len, need, i, nroute;

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
	*n = s->nvars;
	for (i = 0; i < nroute; i++)
		put_var(w, n, c->route->vars[i].name, c->route->vars[i].value);
	for (p = list; p != NULL && *p != '\0'; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(name))
			continue;
		memcpy(name, p, len);
		name[len] = '\0';
		if ((pair = twilio_pair(w, name)) == NULL)
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
 * failed (SPEC 2.3), each with its reason.
 */
static int
register_call(struct webhook *w, struct call *c, const char *to,
    const char **reason)
{
	struct synthflow_call	 sc;
	struct http_request	 hp;
	const char		*from = twilio_param(w, "From");
	char			 url[2048];
	long			 status, start = now_ms();
	int			 rc;

	sc.from = from != NULL ? from : "";
	sc.to = to;
	sc.model_id = c->s.str[S_MODEL_ID];
	sc.workspace_id = c->s.str[S_WORKSPACE_ID];
	if (collect_vars(w, c, &sc.nvars) == -1) {
		*reason = "memory";
		return -1;
	}
	sc.vars = w->vars;
	if (synthflow_body(&w->json, &sc, reason) == -1)
		return -1;
	if (settings_api_endpoint(&c->s, "/v2/prepare_inbound", url,
	    sizeof(url)) == -1) {
		*reason = "settings";
		return -1;
	}
	hp.url = url;
	hp.bearer = c->s.str[S_API_KEY];
	hp.ca_file = c->s.str[S_CA_FILE];
	hp.body = buf_str(&w->json);
	hp.len = w->json.len;
	/* What is left: a retry may have waited for another's attempt. */
	if ((hp.timeout_ms = c->deadline_ms - start) <= 0) {
		*reason = "timeout";
		return -2;
	}
	hp.connect_timeout_ms = c->s.num[S_CONNECT_TIMEOUT_MS];
	hp.retries = c->s.num[S_RETRIES];
	rc = http_send(w->http, &hp, &status, &w->reply, reason);
	c->api_ms = now_ms() - start;
	metrics_synthflow_ms(c->api_ms);
	if (rc == -1 || synthflow_reply(status, buf_str(&w->reply),
	    w->reply.len, c->id, reason) == -1)
		return -2;
	return 0;
}

/*
 * register_call, once per CallSid: a Twilio retry or a duplicate webhook
 * gets the first registration's id, waiting for it while it is in flight.
 */
static int
register_once(struct webhook *w, struct call *c, const char *to,
    const char **reason)
{
	const char	*sid = twilio_param(w, "CallSid");
	long		 window = c->s.num[S_DEDUP_SECONDS] * 1000;
	int		 rc;

	if (w->dedup == NULL || sid == NULL)
		return register_call(w, c, to, reason);
	switch (dedup_begin(w->dedup, sid, now_ms(), window, c->deadline_ms,
	    c->id)) {
	case DEDUP_HIT:
		c->dedup_hit = 1;
		metrics_dedup_hit();
		return 0;
	case DEDUP_OWNER:
		rc = register_call(w, c, to, reason);
		dedup_finish(w->dedup, sid, rc == 0 ? c->id : NULL, now_ms());
		return rc;
	case DEDUP_BYPASS:
		break;
	}
	return register_call(w, c, to, reason);
}

/* The <Dial action> URL the settings ask for, or NULL for none. */
static const char *
dial_action(struct webhook *w, const struct call *c)
{
	const char	*url = buf_str(&w->url);

	switch (c->s.num[S_DIAL_ACTION]) {
	case ACTION_URL:
		return c->s.str[S_DIAL_ACTION];
	case ACTION_SELF:
		/* The public URL plus a marker, so the callback is signed. */
		buf_reset(&w->action);
		if (w->url_ok && buf_printf(&w->action, "%s%c" ACTION_MARK "="
		    ACTION_VALUE, url, strchr(url, '?') != NULL ? '&' : '?') ==
		    0)
			return buf_str(&w->action);
		log_warn("no public URL for the Dial action: none sent");
		return NULL;
	default:
		return NULL;
	}
}

/* The SYNTHFLOW_SIP_HEADERS whose Twilio parameter is present. */
static size_t
sip_headers(struct webhook *w, const struct settings *s,
    struct twiml_header *out)
{
	struct sipheader	 list[SIPHEADERS_MAX];
	const char		*v;
	size_t			 i, n, k = 0;

	if (s->str[S_SIP_HEADERS] == NULL)
		return 0;
	n = sipheaders_parse(s->str[S_SIP_HEADERS], list, SIPHEADERS_MAX);
	for (i = 0; i < n; i++)
		if ((v = twilio_param(w, list[i].param)) != NULL &&
		    *v != '\0') {
			out[k].name = list[i].header;
			out[k++].value = v;
		}
	return k;
}

/*
 * Dial Synthflow's SIP target: with the registered call id (forwarded), or
 * without one when Synthflow failed (direct, X-EI E.{CallSid} only).
 */
static void
dial(struct webhook *w, struct call *c, const char *sip_number,
    const char *outcome, const char *reason)
{
	struct twiml_sip	 t;
	struct twiml_header	 headers[SIPHEADERS_MAX];
	const struct settings	*s = &c->s;
	int			 direct = c->id[0] == '\0';

	memset(&t, 0, sizeof(t));
	t.number = sip_number;
	t.host = settings_sip_host(s);
	t.port = settings_sip_port(s);
	t.transport = s->num[S_SIP_TRANSPORT] == TRANSPORT_TLS ? TWIML_TLS :
	    s->num[S_SIP_TRANSPORT] == TRANSPORT_TCP ? TWIML_TCP : TWIML_UDP;
	t.secure = (int)s->num[S_SIP_SECURE];
	t.call_id = direct ? NULL : c->id;
	t.call_sid = direct || s->num[S_XEI_CALLSID] ?
	    twilio_param(w, "CallSid") : NULL;
	t.forwarded_from = s->num[S_XEI_FORWARDED] ?
	    twilio_param(w, "ForwardedFrom") : NULL;
	t.headers = headers;
	t.nheaders = sip_headers(w, s, headers);
	t.escape = s->num[S_XEI_ESCAPE] == XEI_PERCENT;
	t.username = s->str[S_SIP_USERNAME];
	t.password = s->str[S_SIP_PASSWORD];
	t.dial_timeout = s->num[S_DIAL_TIMEOUT];
	t.time_limit = s->num[S_DIAL_TIME_LIMIT];
	t.caller_id = s->str[S_DIAL_CALLER_ID];
	t.answer_on_bridge = (int)s->num[S_DIAL_ANSWER_ON_BRIDGE];
	t.action = dial_action(w, c);
	if (twiml_dial(&w->answer, &t) == -1) {
		fallback(w, c, "twiml");
		return;
	}
	c->dropped = t.dropped;
	c->outcome = outcome;
	c->reason = reason;
	request_respond(c->req, 200, TWIML_TYPE, NULL, buf_str(&w->answer),
	    w->answer.len);
	log_call(w, c);
}

/*
 * Synthflow failed: the agent assigned to the number can still answer a
 * plain dial to the SIP target (Synthflow's "dial to the SIP endpoint"),
 * identified by Twilio's CallSid; the Dial action catches a failure there.
 */
static void
direct(struct webhook *w, struct call *c, const char *sip_number,
    const char *reason)
{
	if (!c->s.num[S_FALLBACK_DIRECT] ||
	    !twiml_sid_safe(twilio_param(w, "CallSid"))) {
		fallback(w, c, reason);
		return;
	}
	c->id[0] = '\0';
	dial(w, c, sip_number, "direct", reason);
}

/* A route for To replaces the agent and what goes with it. */
static void
apply_route(struct call *c, const struct routes *routes, const char *to)
{
	const struct route	*r;

	if (routes == NULL || (r = routes_find(routes, to)) == NULL)
		return;
	c->route = r;
	c->s.str[S_MODEL_ID] = r->model_id;
	if (r->workspace_id != NULL)
		c->s.str[S_WORKSPACE_ID] = r->workspace_id;
	if (r->sip_number != NULL)
		c->s.str[S_SIP_NUMBER] = r->sip_number;
}

/* The call data and Synthflow: every failure here is a fallback. */
static void
handle_call(struct webhook *w, struct call *c, const char *bad,
    const struct routes *routes)
{
	const char	*to, *number, *reason;
	int		 rc;

	if (bad != NULL) {
		log_warn("per-request %s does not parse", bad);
		fallback(w, c, "settings");
		return;
	}
	if ((to = twilio_param(w, "To")) == NULL) {
		fallback(w, c, "to");
		return;
	}
	apply_route(c, routes, to);
	c->deadline_ms = c->start_ms + c->s.num[S_TIMEOUT_MS];
	if (c->s.str[S_API_KEY] == NULL || c->s.str[S_MODEL_ID] == NULL) {
		fallback(w, c, "settings");
		return;
	}
	/* SYNTHFLOW_SIP_NUMBER was checked as a setting; To is checked here. */
	number = c->s.str[S_SIP_NUMBER] != NULL ? c->s.str[S_SIP_NUMBER] : to;
	if (!twiml_sip_user_safe(number)) {
		fallback(w, c, "to");
		return;
	}
	if ((rc = register_once(w, c, to, &reason)) == -1)
		fallback(w, c, reason);
	else if (rc == -2)
		direct(w, c, number, reason);
	else
		dial(w, c, number, "forwarded", NULL);
}

/* 1 for Twilio's callback to the <Dial action> this program asked for. */
static int
is_dial_callback(const struct webhook *w)
{
	const struct form_pair	*p = form_find(&w->query, ACTION_MARK);

	return p != NULL && strcmp(p->value, ACTION_VALUE) == 0;
}

/*
 * The dial to Synthflow ended. When it never connected, the caller still
 * gets the fallback; otherwise the call is over. Synthflow is not asked.
 */
static void
dial_ended(struct webhook *w, struct call *c)
{
	static const char *const retry[][2] = {
		{ "busy", "dial_busy" },
		{ "no-answer", "dial_no_answer" },
		{ "failed", "dial_failed" },
	};
	static const char *const over[] = { "completed", "answered",
	    "canceled" };
	const char	*status = twilio_param(w, "DialCallStatus");
	size_t		 i;

	for (i = 0; status != NULL && i < sizeof(retry) / sizeof(retry[0]);
	    i++)
		if (strcmp(status, retry[i][0]) == 0) {
			answer_fallback(w, c, "fallback", retry[i][1]);
			return;
		}
	c->outcome = "ended";
	c->reason = "unknown";
	for (i = 0; status != NULL && i < sizeof(over) / sizeof(over[0]); i++)
		if (strcmp(status, over[i]) == 0)
			c->reason = over[i];
	if (strcmp(c->reason, "unknown") == 0) {
		buf_reset(&w->line);
		log_kv(&w->line, "dial_call_status", status);
		log_warn("dial action: unknown status,%s", buf_str(&w->line));
	}
	twiml_hangup(&w->answer);
	request_respond(c->req, 200, TWIML_TYPE, NULL, buf_str(&w->answer),
	    w->answer.len);
	log_call(w, c);
}

void
webhook_handle(struct webhook *w, struct request *req, const struct live *l)
{
	struct call	 c;
	const char	*bad;
	int		 rc;

	memset(&c, 0, sizeof(c));
	c.req = req;
	c.start_ms = now_ms();
	c.api_ms = -1;
	form_reset(&w->query);
	form_reset(&w->post);
	w->url_ok = 0;
	metrics_in_flight(1);
	rc = settings_for_request(&c.s, &l->settings, req->params, &bad);
	if (admin_serve(req, &c.s, bad, l->routes != NULL &&
	    routes_count(l->routes) > 0, &w->answer))
		goto done;
	if (rc == -1 && settings_early(bad)) {
		log_error("per-request %s does not parse", bad);
		reject(w, &c, 500, "settings", "server misconfigured");
		goto done;
	}
	if (check_request(w, &c) == 0) {
		if (is_dial_callback(w))
			dial_ended(w, &c);
		else if (!caller_gone(w, &c))
			handle_call(w, &c, bad, l->routes);
	}
done:
	if (c.outcome != NULL)
		metrics_request(c.outcome, c.reason);
	metrics_in_flight(-1);
	settings_free(&c.s);
	if (w->reply.cap > 64 * 1024)
		buf_free(&w->reply);	/* do not keep a huge reply around */
	if (w->body.cap > 64 * 1024)
		buf_free(&w->body);
	if (w->post.store_cap > 64 * 1024)
		form_free(&w->post);
	if (w->query.store_cap > 64 * 1024)
		form_free(&w->query);
}
