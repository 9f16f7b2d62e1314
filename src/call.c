/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The path of one call (call.h). call_check.c's checks come first and the
 * first failure answers; after the signature check every failure is a
 * fallback TwiML, never an error page, so the caller always hears
 * something. Each step leaves its reason in the call for the one log line
 * at the end.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "call.h"
#include "call_answer.h"
#include "call_check.h"
#include "call_dial.h"
#include "call_register.h"
#include "call_transfer.h"
#include "caller.h"
#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "twiml.h"

#define ANSWER_MAX	(64 * 1024)

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

/* Answer the fallback TwiML for a call that cannot reach Synthflow. */
static void
fallback(struct webhook *w, struct call *c, const char *reason)
{
	call_fallback(w, c, "fallback", reason);
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

/*
 * The call data and Synthflow: every failure here is a fallback. A call
 * with a reason not to wait for Synthflow (shed, stale) is dialed directly.
 */
static void
handle_call(struct webhook *w, struct call *c, const char *bad,
    const struct routes *routes, const char *direct)
{
	const char	*to, *number, *errstr;
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
	apply_route(c, routes, to);
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
	if (direct != NULL)
		call_dial_direct(w, c, number, direct);
	else if ((rc = call_register_once(w, c, to, &errstr)) == -1)
		fallback(w, c, errstr);
	else if (rc == -2)
		call_dial_direct(w, c, number, errstr);
	else
		call_dial_forward(w, c, number);
}

/*
 * What a FastCGI web server sends that the program cannot use, said once
 * per process rather than silently skipped: a process-only setting as a
 * request param (its name only: the value may be a secret), and no
 * SYNTHFLOW_REQUEST_START while SYNTHFLOW_MAX_WAIT_MS would need it. Under
 * CGI the params are the process's environment, and no queue is ours.
 */
static void
note_unusable_params(const struct call *c)
{
	static atomic_ullong	 noted;
	static atomic_flag	 no_start = ATOMIC_FLAG_INIT;
	unsigned long long	 fresh;
	int			 id;

	if (c->req->fcgi == NULL)
		return;
	/* settings_for_request marked them; the first request names each. */
	fresh = c->s.ignored != 0 ?
	    c->s.ignored & ~atomic_fetch_or(&noted, c->s.ignored) : 0;
	for (id = 0; fresh != 0 && id < S_COUNT; id++)
		if (fresh & (1ULL << id))
			log_warn("%s: a request param, ignored: a process "
			    "setting, read from the program's environment or "
			    "config file only (logged once)", settings_name(id));
	if (c->s.num[S_MAX_WAIT_MS] > 0 && request_age_ms(c->req) == -1 &&
	    !atomic_flag_test_and_set(&no_start))
		log_warn("no SYNTHFLOW_REQUEST_START from the web server: "
		    "SYNTHFLOW_MAX_WAIT_MS is off (set it to 0 to say so)");
}

/*
 * One request; shed is the reason to answer without Synthflow, or NULL.
 * Each step that answers the request returns REQUEST_ANSWERED.
 */
static void
handle(struct webhook *w, struct request *req, const struct live *l,
    const char *shed)
{
	struct call	 c;
	const char	*bad, *direct = shed;
	int		 rc, early;

	memset(&c, 0, sizeof(c));
	c.req = req;
	c.start_ms = clock_ms();
	c.api_ms = -1;
	form_reset(&w->query);
	form_reset(&w->post);
	w->url_ok = 0;
	rc = settings_for_request(&c.s, &l->settings, req->params, &bad);
	early = rc == -1 && settings_early(bad);
	if (l->bad != NULL && (rc == 0 || (l->bad_early && !early))) {
		bad = l->bad;
		early = l->bad_early;
	}
	if (admin_serve(req, &c.s, bad, l->routes != NULL &&
	    routes_count(l->routes) > 0, &w->answer) == REQUEST_ANSWERED)
		goto release;	/* a scrape is not a call in flight */
	metrics_in_flight(1);
	if (early) {
		log_error("%s does not parse", bad);
		call_reject(w, &c, 500, "settings", "server misconfigured");
		goto done;
	}
	if (call_check_request(w, &c) == REQUEST_ANSWERED)
		goto done;
	note_unusable_params(&c);
	if (call_dial_is_callback(w))
		call_dial_ended(w, &c);
	else if (call_transfer_is_callback(w))
		call_transfer_answer(w, &c, bad, l->routes);
	else if (call_check_status(w, &c) != REQUEST_ANSWERED &&
	    call_check_gone_or_stale(w, &c, &direct) != REQUEST_ANSWERED &&
	    caller_screen(w, &c, l->deny) != REQUEST_ANSWERED)
		handle_call(w, &c, bad, l->routes, direct);
done:
	if (c.outcome != NULL)
		metrics_request(c.outcome, c.reason);
	metrics_in_flight(-1);
release:
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
