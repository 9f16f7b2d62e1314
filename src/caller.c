/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Which callers are put through (caller.h). The lists and counts are
 * caller_deny.c's and caller_limit.c's; this file decides in which order
 * they are asked and answers the ones refused. The order: a denied number
 * first (the operator named it), then a caller without a number, then the
 * count, so a refused call is never counted. An anonymous caller let
 * through is not counted: "anonymous" is many people, not one caller.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "caller.h"
#include "caller_limit.h"
#include "clock.h"
#include "log.h"
#include "redislimit.h"
#include "twiml.h"

int
caller_anonymous(const char *from)
{
	/*
	 * The words and their keypad spellings Twilio passes as From when
	 * the network gives no number (ANONYMOUS, RESTRICTED, BLOCKED,
	 * UNKNOWN, UNAVAILABLE).
	 */
	static const char *const none[] = { "anonymous", "restricted",
	    "blocked", "unknown", "unavailable", "+266696687",
	    "+7378742833", "+2562533", "+8656696", "+86282452253", NULL };
	size_t	 i;

	if (from == NULL || from[0] == '\0')
		return 1;
	for (i = 0; none[i] != NULL; i++)
		if (strcasecmp(from, none[i]) == 0 ||
		    (none[i][0] == '+' && strcmp(from, none[i] + 1) == 0))
			return 1;
	return 0;
}

/* 1 when the call is one too many of its caller's. */
static int
over_limit(struct webhook *w, const struct call *c, const char *from)
{
	const char	*errstr;
	long		 calls, minutes;
	int		 over;

	if (w->limit == NULL || c->s.str[S_CALLER_LIMIT] == NULL)
		return 0;
	/* Checked as a setting; a failure here is a bug, not a caller's. */
	if (caller_limit_parse(c->s.str[S_CALLER_LIMIT], &calls, &minutes,
	    &errstr) == -1 || calls == 0)
		return 0;
	/* Counted with every host's in Redis, else in this process. */
	if ((over = redislimit_hit(&c->s, from, call_param(w, "CallSid"),
	    calls, minutes * 60 * 1000)) != -1)
		return over;
	return caller_limit_hit(w->limit, from, call_param(w, "CallSid"),
	    clock_ms(), calls, minutes * 60 * 1000);
}

int
caller_screen(struct webhook *w, struct call *c,
    const struct caller_deny *deny)
{
	const char	*from = call_param(w, "From"), *reason;

	if (caller_deny_match(deny, from))
		reason = "caller-denied";
	else if (caller_anonymous(from)) {
		if (c->s.num[S_CALLER_ANONYMOUS] != CALLER_ANONYMOUS_REJECT)
			return 0;
		reason = "caller-anonymous";
	} else if (over_limit(w, c, from))
		reason = "caller-limit";
	else
		return 0;
	if (twiml_reject(&w->answer, "busy") == -1)
		twiml_hangup(&w->answer);
	call_answer(w, c, "rejected", reason);
	return REQUEST_ANSWERED;
}
