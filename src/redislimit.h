/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * SYNTHFLOW_CALLER_LIMIT's counts in the Redis of SYNTHFLOW_DEDUP_REDIS,
 * so that every host counts a caller's calls together: the same answers
 * as caller_limit.h's table, which a call uses when Redis is not set or
 * fails (then each process counts alone, as without Redis).
 */
#ifndef REDISLIMIT_H
#define REDISLIMIT_H

#include "settings.h"

#ifdef HAVE_HIREDIS
/*
 * Count a call of from (call_sid may be NULL) against at most calls in
 * window_ms: 1 when it is over the limit, 0 when it goes on (counted, or a
 * retry of a counted CallSid), -1 when the process's table must decide.
 */
int	redislimit_hit(const struct settings *s, const char *from,
	    const char *call_sid, long calls, long window_ms);
#else
static inline int
redislimit_hit(const struct settings *s, const char *from,
    const char *call_sid, long calls, long window_ms)
{
	(void)s, (void)from, (void)call_sid, (void)calls, (void)window_ms;
	return -1;
}
#endif

#endif
