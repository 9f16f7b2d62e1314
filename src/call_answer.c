/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * What every step of a call shares: its Twilio parameters, its one answer
 * (TwiML, or a refusal's text) and log line, and the URLs of Twilio's
 * callbacks to the program (the <Dial action> and the <Dial referUrl>),
 * which are the public URL the request was signed for plus a marker, so
 * that Twilio signs them too.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "call_answer.h"
#include "clock.h"
#include "log.h"
#include "twiml.h"

#define TWIML_TYPE	"text/xml; charset=utf-8"

const struct form_pair *
call_pair(const struct webhook *w, const char *name)
{
	const struct form_pair	*p;

	if ((p = form_find(&w->post, name)) != NULL)
		return p;
	return form_find(&w->query, name);
}

const char *
call_param(const struct webhook *w, const char *name)
{
	const struct form_pair	*p = call_pair(w, name);

	return p != NULL ? p->value : NULL;
}

void
call_reject(struct webhook *w, struct call *c, int status, const char *reason,
    const char *message)
{
	const char	*allow = status == 405 ? "Allow: GET, POST\r\n" : NULL;
	char		 body[256];
	int		 n;

	c->outcome = "rejected";
	c->reason = reason;
	request_discard(c->req);
	n = snprintf(body, sizeof(body), "%s\n", message);
	request_respond(c->req, status, REQUEST_TEXT_TYPE, allow, body,
	    (size_t)n);
	call_log(w, c);
}

void
call_log(struct webhook *w, const struct call *c)
{
	struct buf	*b = &w->line;
	const char	*line;
	char		 outcome[64];

	if (!log_enabled(LOG_LEVEL_INFO))
		return;
	buf_reset(b);
	if (c->reason != NULL)
		snprintf(outcome, sizeof(outcome), "%s:%s", c->outcome,
		    c->reason);
	else
		snprintf(outcome, sizeof(outcome), "%s", c->outcome);
	log_kv(b, "call_sid", call_param(w, "CallSid"));
	log_kv(b, "to", call_param(w, "To"));
	log_kv_masked(b, "from", call_param(w, "From"));
	log_kv(b, "outcome", outcome);
	log_kv(b, "synthflow_call_id", c->id);
	if (c->transfer_kind != NULL) {
		log_kv(b, "transfer_kind", c->transfer_kind);
		if (c->transfer_number != NULL)
			log_kv_masked(b, "transfer_target", c->transfer_number);
		else
			log_kv(b, "transfer_target", c->transfer_host);
	}
	if (c->dedup_hit)
		buf_addstr(b, " dedup=hit");
	if (c->dropped > 0)
		buf_printf(b, " headers_dropped=%zu", c->dropped);
	if (c->api_ms >= 0)
		buf_printf(b, " api_ms=%ld", c->api_ms);
	buf_printf(b, " total_ms=%ld", clock_ms() - c->start_ms);
	/* Each part starts with a space; when none fitted, the outcome. */
	if (*(line = buf_str(b)) == '\0')
		log_info("outcome=%s", outcome);
	else
		log_info("%s", line[0] == ' ' ? line + 1 : line);
}

void
call_answer(struct webhook *w, struct call *c, const char *outcome,
    const char *reason)
{
	c->outcome = outcome;
	c->reason = reason;
	request_respond(c->req, 200, TWIML_TYPE, NULL, buf_str(&w->answer),
	    w->answer.len);
	call_log(w, c);
}

void
call_fallback(struct webhook *w, struct call *c, const char *outcome,
    const char *reason)
{
	struct twiml_fallback	 f;

	f.redirect = c->s.str[S_FALLBACK_REDIRECT];
	f.dial = c->s.str[S_FALLBACK_DIAL];
	f.say = c->s.str[S_FALLBACK_SAY];
	f.language = c->s.str[S_FALLBACK_LANGUAGE];
	/* Only a huge setting fails; a bare hangup still works. */
	if (twiml_fallback(&w->answer, &f) == -1)
		twiml_hangup(&w->answer);
	call_answer(w, c, outcome, reason);
}

int
call_is_callback(const struct webhook *w, const char *value)
{
	const struct form_pair	*p = form_find(&w->query, CALL_MARK);

	return p != NULL && strcmp(p->value, value) == 0;
}

const char *
call_self_url(const struct webhook *w, struct buf *out, const char *value)
{
	const char	*url = buf_str(&w->url), *q, *p;
	size_t		 len, mlen = strlen(CALL_MARK);
	int		 rc = 0, first = 1;

	buf_reset(out);
	if (!w->url_ok)
		return NULL;
	q = strchr(url, '?');
	rc |= buf_add(out, url, q != NULL ? (size_t)(q - url) : strlen(url));
	/* The other parameters stay as received: Twilio signs them so. */
	for (p = q; p != NULL && *p != '\0'; p += len) {
		p++;
		len = strcspn(p, "&");
		if (len >= mlen && strncmp(p, CALL_MARK, mlen) == 0 &&
		    (len == mlen || p[mlen] == '='))
			continue;
		rc |= buf_addc(out, first ? '?' : '&');
		rc |= buf_add(out, p, len);
		first = 0;
	}
	rc |= buf_printf(out, "%c" CALL_MARK "=%s", first ? '?' : '&', value);
	return rc == 0 ? buf_str(out) : NULL;
}

/* The URL a setting of DIAL_ACTION's kind names: its own, ours, or none. */
static const char *
callback_url(struct webhook *w, const struct call *c, enum setting id,
    struct buf *b, const char *mark, const char *what)
{
	const char	*url;

	switch (c->s.num[id]) {
	case ACTION_URL:
		return c->s.str[id];
	case ACTION_SELF:
		if ((url = call_self_url(w, b, mark)) == NULL)
			log_warn("no public URL for the %s: none sent", what);
		return url;
	default:
		return NULL;
	}
}

const char *
call_action(struct webhook *w, const struct call *c)
{
	return callback_url(w, c, S_DIAL_ACTION, &w->action, CALL_MARK_DIAL,
	    "Dial action");
}

const char *
call_refer_url(struct webhook *w, const struct call *c)
{
	return callback_url(w, c, S_TRANSFER, &w->refer, CALL_MARK_REFER,
	    "referUrl");
}
