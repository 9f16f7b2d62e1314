/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The checks before a call is handled (call_check.h), in the order the
 * request is read; the first failure answers. Up to the signature a
 * refusal is an HTTP error; past it the request is Twilio's, and what is
 * not an arriving call is answered TwiML.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "call_answer.h"
#include "call_check.h"
#include "twilio.h"
#include "twiml.h"

/* QUERY_STRING, or the query of REQUEST_URI when a server omits it. */
static const char *
query_string(const struct request *req)
{
	const char	*q, *uri;

	if ((q = request_param(req, "QUERY_STRING")) != NULL)
		return q;
	if ((uri = request_param(req, "REQUEST_URI")) != NULL &&
	    (q = strchr(uri, '?')) != NULL)
		return q + 1;
	return NULL;
}

static int
is_form(const char *type)
{
	static const char	 form[] = "application/x-www-form-urlencoded";
	size_t			 n = sizeof(form) - 1;

	return type != NULL && strncasecmp(type, form, n) == 0 &&
	    (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

int
call_check_request(struct webhook *w, struct call *c)
{
	struct twilio_url_parts	 u;
	const char		*method, *query, *errstr = NULL;
	int			 post, rc;

	method = request_param(c->req, "REQUEST_METHOD");
	if (method == NULL || (strcmp(method, "GET") != 0 &&
	    strcmp(method, "POST") != 0)) {
		call_reject(w, c, 405, "method", "method not allowed");
		return REQUEST_ANSWERED;
	}
	post = strcmp(method, "POST") == 0;
	w->body.max = (size_t)c->s.num[S_MAX_BODY];
	if ((rc = request_body(c->req, &w->body)) == -1) {
		call_reject(w, c, 413, "body_size", "request body too large");
		return REQUEST_ANSWERED;
	}
	if (rc == -2) {
		call_reject(w, c, 400, "body_read", "request body unreadable");
		return REQUEST_ANSWERED;
	}
	if (rc == -3) {
		call_reject(w, c, 408, "slow", "request body too slow");
		return REQUEST_ANSWERED;
	}
	if (post && !is_form(request_param(c->req, "CONTENT_TYPE"))) {
		call_reject(w, c, 415, "content_type",
		    "expected application/x-www-form-urlencoded");
		return REQUEST_ANSWERED;
	}
	query = query_string(c->req);
	if ((query != NULL && strlen(query) > w->body.max) ||
	    (query != NULL &&
	    form_parse(&w->query, query, strlen(query), &errstr) == -1) ||
	    (post && form_parse(&w->post, buf_str(&w->body), w->body.len,
	    &errstr) == -1)) {
		call_reject(w, c, 400, "form", errstr != NULL ? errstr :
		    "query string too long");
		return REQUEST_ANSWERED;
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
	if (!w->url_ok || twilio_check(c->s.str[S_AUTH_TOKEN],
	    c->s.str[S_SHARED_KEY],
	    request_param(c->req, "HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS"),
	    buf_str(&w->url), post ? &w->post : NULL,
	    request_param(c->req, "HTTP_X_TWILIO_SIGNATURE")) == -1) {
		call_reject(w, c, 403, "signature", "invalid Twilio signature");
		return REQUEST_ANSWERED;
	}
	return 0;
}

/*
 * A number's status callbacks ("Call status changes") may point at this
 * URL too: they are no arriving call, and registering one would make a
 * phantom call at Synthflow. Only CallStatus ringing (a call coming in),
 * in-progress (a <Redirect> or an API call's Url fetching TwiML) or none
 * (a hand-made request) goes on; the rest is answered an empty Response,
 * counted under a fixed word and never its raw value.
 */
int
call_check_status(struct webhook *w, struct call *c)
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
	return REQUEST_ANSWERED;
}

/*
 * A caller who is gone must not cost a Synthflow registration: Twilio has
 * given up on the request. One who waited longer than
 * SYNTHFLOW_MAX_WAIT_MS in the web server's queues is still on the line
 * but about to hear Twilio's error: *errstr becomes "stale", so that the
 * call is dialed directly without waiting for Synthflow.
 */
int
call_check_gone_or_stale(struct webhook *w, struct call *c,
    const char **errstr)
{
	long	 age, max = c->s.num[S_MAX_WAIT_MS];

	if (request_gone(c->req)) {
		c->outcome = "rejected";
		c->reason = "gone";
		call_log(w, c);
		return REQUEST_ANSWERED;
	}
	if (max > 0 && (age = request_age_ms(c->req)) > max)
		*errstr = "stale";
	return 0;
}
