/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * SYNTHFLOW_CALLER_LIMIT, at most N calls from one From in M minutes: the
 * setting's syntax, and the counts behind it, in process memory and shared
 * by the workers. A window starts with a caller's first counted call and
 * ends M minutes later; a retry of a CallSid already counted is let
 * through uncounted. The interface is the one a shared store (Redis) can
 * sit behind later.
 */
#ifndef CALLER_LIMIT_H
#define CALLER_LIMIT_H

#include <stddef.h>

#define CALLER_LIMIT_CALLS_MAX		10000
#define CALLER_LIMIT_MINUTES_MAX	1440	/* a day */
/* CallSids remembered per caller, so that their retries go through. */
#define CALLER_LIMIT_SIDS		8

struct caller_limit;

/*
 * Parse "N/M" (or "off": *calls 0) into its numbers: 0, or -1 and
 * *errstr.
 */
int	caller_limit_parse(const char *value, long *calls, long *minutes,
	    const char **errstr);
/*
 * A table of slots callers (rounded up to a multiple of its sets); NULL,
 * with *errstr, when it cannot be made.
 */
struct caller_limit *caller_limit_new(size_t slots, const char **errstr);
/* Free the table; no thread may be using it. */
void	caller_limit_free(struct caller_limit *);
/*
 * Count a call of from (call_sid may be NULL) at now_ms against at most
 * calls in window_ms: 1 when it is over the limit (not counted), 0 when it
 * goes on (counted, or a retry of a counted CallSid).
 */
int	caller_limit_hit(struct caller_limit *, const char *from,
	    const char *call_sid, long now_ms, long calls, long window_ms);

#endif
