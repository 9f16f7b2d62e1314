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

#include "admin.h"
#include "call.h"
#include "caller.h"
#include "clock.h"
#include "dial.h"
#include "log.h"
#include "metrics.h"
#include "register.h"
#include "transfer.h"
#include "twilio.h"
#include "twiml.h"
#include "webhook.h"

#define ANSWER_MAX	(64 * 1024)
#define TEXT_TYPE	"text/plain; charset=utf-8"

struct webhook *
webhook_new(struct dedup *dedup, struct caller_limit *limit)
{
	struct webhook	*w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	if ((w->http = http_client_new()) == NULL) {
		free(w);
		return NULL;
	}
	w->dedup = dedup;
	w->limit = limit;
	buf_init(&w->body, 0);
	buf_init(&w->url, 16 * 1024);
	buf_init(&w->action, 16 * 1024);
	buf_init(&w->refer, 16 * 1024);
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
	buf_free(&w->refer);
	buf_free(&w->json);
	buf_free(&w->reply);
	buf_free(&w->answer);
	buf_free(&w->line);
	form_free(&w->query);
	form_free(&w->post);
	free(w->vars);
	free(w);
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
	call_log(w, c);
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
	call_fallback(w, c, "fallback", reason);
}

/*
 * A caller who is gone must not cost a Synthflow registration: Twilio has
 * given up on the request. One who waited longer than
 * SYNTHFLOW_MAX_WAIT_MS in the web server's queues is still on the line
 * but about to hear Twilio's error: *why becomes "stale", so that the call
 * is dialed directly without waiting for Synthflow.
 */
static int
caller_gone(struct webhook *w, struct call *c, const char **why)
{
	long	 age, max = c->s.num[S_MAX_WAIT_MS];

	if (request_gone(c->req)) {
		c->outcome = "rejected";
		c->reason = "gone";
		call_log(w, c);
		return 1;
	}
	if (max > 0 && (age = request_age_ms(c->req)) > max)
		*why = "stale";
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
 * A number's status callbacks ("Call status changes") may point at this
 * URL too: they are no arriving call, and registering one would make a
 * phantom call at Synthflow. Only CallStatus ringing (a call coming in),
 * in-progress (a <Redirect> or an API call's Url fetching TwiML) or none
 * (a hand-made request) goes on; the rest is answered an empty Response,
 * counted under a fixed word and never its raw value. Returns 1 when it
 * answered.
 */
static int
status_ignored(struct webhook *w, struct call *c)
{
	static const char *const known[] = { "queued", "initiated",
	    "answered", "completed", "busy", "no-answer", "canceled", "failed",
	    NULL };
	const char	*st = call_param(w, "CallStatus"), *reason = "unknown";
	size_t		 i;

	if (call_param(w, "CallbackSource") != NULL ||
	    call_param(w, "StatusCallbackEvent") != NULL ||
	    (call_param(w, "SequenceNumber") != NULL &&
	    call_param(w, "Timestamp") != NULL))
		reason = "status_callback";
	else if (st == NULL || strcmp(st, "ringing") == 0 ||
	    strcmp(st, "in-progress") == 0)
		return 0;
	else
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(st, known[i]) == 0)
				reason = known[i];
	twiml_empty(&w->answer);
	call_answer(w, c, "ignored", reason);
	return 1;
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
	if (rc == -3) {
		reject(w, c, 408, "slow", "request body too slow");
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

/*
 * The end of the Synthflow exchange: SYNTHFLOW_TIMEOUT_MS from now, but no
 * later than the web server and Twilio wait, counted from the request's
 * arrival at the web server when it says when that was (and the age of
 * requests is checked at all: SYNTHFLOW_MAX_WAIT_MS).
 */
static long
answer_by(const struct call *c)
{
	long	 deadline = c->start_ms + c->s.num[S_TIMEOUT_MS];
	long	 age = request_age_ms(c->req);

	if (c->s.num[S_MAX_WAIT_MS] > 0 && age >= 0 &&
	    c->start_ms - age + SETTINGS_ANSWER_BY_MS < deadline)
		deadline = c->start_ms - age + SETTINGS_ANSWER_BY_MS;
	return deadline;
}

/*
 * The call data and Synthflow: every failure here is a fallback. A call
 * with a reason not to wait for Synthflow (shed, stale) is dialed directly.
 */
static void
handle_call(struct webhook *w, struct call *c, const char *bad,
    const struct routes *routes, const char *why)
{
	const char	*to, *number, *reason;
	int		 rc;

	if (bad != NULL) {
		log_warn("%s does not parse", bad);
		fallback(w, c, "settings");
		return;
	}
	if ((to = call_param(w, "To")) == NULL) {
		fallback(w, c, "to");
		return;
	}
	register_route(c, routes, to);
	c->deadline_ms = answer_by(c);
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
	if (why != NULL)
		dial_direct(w, c, number, why);
	else if ((rc = register_once(w, c, to, &reason)) == -1)
		fallback(w, c, reason);
	else if (rc == -2)
		dial_direct(w, c, number, reason);
	else
		dial_forward(w, c, number);
}

/* One request; shed is the reason to answer without Synthflow, or NULL. */
static void
handle(struct webhook *w, struct request *req, const struct live *l,
    const char *shed)
{
	struct call	 c;
	const char	*bad, *why = shed;
	int		 rc, early;

	memset(&c, 0, sizeof(c));
	c.req = req;
	c.start_ms = clock_ms();
	c.api_ms = -1;
	form_reset(&w->query);
	form_reset(&w->post);
	w->url_ok = 0;
	metrics_in_flight(1);
	rc = settings_for_request(&c.s, &l->settings, req->params, &bad);
	early = rc == -1 && settings_early(bad);
	if (l->bad != NULL && (rc == 0 || (l->bad_early && !early))) {
		bad = l->bad;
		early = l->bad_early;
	}
	if (admin_serve(req, &c.s, bad, l->routes != NULL &&
	    routes_count(l->routes) > 0, &w->answer))
		goto done;
	if (early) {
		log_error("%s does not parse", bad);
		reject(w, &c, 500, "settings", "server misconfigured");
		goto done;
	}
	if (check_request(w, &c) == 0) {
		if (dial_is_callback(w))
			dial_ended(w, &c);
		else if (transfer_is_callback(w))
			transfer_answer(w, &c, bad, l->routes);
		else if (!status_ignored(w, &c) && !caller_gone(w, &c, &why) &&
		    caller_screen(w, &c, l->deny) != REQUEST_ANSWERED)
			handle_call(w, &c, bad, l->routes, why);
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

void
webhook_handle(struct webhook *w, struct request *req, const struct live *l)
{
	handle(w, req, l, NULL);
}

void
webhook_shed(struct webhook *w, struct request *req, const struct live *l)
{
	handle(w, req, l, "busy");
}
