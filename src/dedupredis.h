/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The CallSid table in Redis (SYNTHFLOW_DEDUP_REDIS), shared by every
 * process on every host: the same answers as the in-process table of
 * dedup.h, so that a Twilio retry reaching another host reuses the first
 * registration. A call for which Redis fails or is too slow is told to use
 * the in-process table: Redis never fails a call nor holds it up for more
 * than SYNTHFLOW_DEDUP_REDIS_TIMEOUT_MS an exchange, two exchanges a call
 * (not counting the wait for another host's registration).
 */
#ifndef DEDUPREDIS_H
#define DEDUPREDIS_H

#include "buf.h"
#include "settings.h"
#include "synthflow.h"

enum dedupredis_result {
	DEDUPREDIS_OWNER,	/* register the call, then dedupredis_finish */
	DEDUPREDIS_HIT,		/* id holds the first registration's id */
	DEDUPREDIS_TIMEOUT,	/* another's registration outlasted deadline */
	DEDUPREDIS_LOCAL	/* use the in-process table: no Redis set, an
				   unusable CallSid, or Redis failed */
};

#ifdef HAVE_HIREDIS
/*
 * Claim call_sid under the settings s, or find its registration, waiting
 * for one in flight until deadline_ms (clock.h's clock).
 */
enum dedupredis_result dedupredis_begin(const struct settings *s,
	    const char *call_sid, long deadline_ms,
	    char id[SYNTHFLOW_ID_MAX + 1]);
/* End an OWNER's attempt: store id, or free the claim when id is NULL. */
void	dedupredis_finish(const struct settings *s, const char *call_sid,
	    const char *id);
/*
 * Append the health check's line on Redis when SYNTHFLOW_DEDUP_REDIS is
 * set: "dedup store: redis up", "not used yet" or "down for N s"; Redis
 * never makes the check fail, a call going to the in-process table.
 */
void	dedupredis_health(const struct settings *s, struct buf *out);
/* --check --online: 0 when Redis answers PING, else -1 with *errstr. */
int	dedupredis_ping(const struct settings *s, const char **errstr);
#else
/* Without hiredis the settings refuse SYNTHFLOW_DEDUP_REDIS at start. */
static inline enum dedupredis_result
dedupredis_begin(const struct settings *s, const char *call_sid,
    long deadline_ms, char id[SYNTHFLOW_ID_MAX + 1])
{
	(void)s, (void)call_sid, (void)deadline_ms, (void)id;
	return DEDUPREDIS_LOCAL;
}

static inline void
dedupredis_finish(const struct settings *s, const char *call_sid,
    const char *id)
{
	(void)s, (void)call_sid, (void)id;
}

static inline void
dedupredis_health(const struct settings *s, struct buf *out)
{
	(void)s, (void)out;
}

static inline int
dedupredis_ping(const struct settings *s, const char **errstr)
{
	(void)s;
	*errstr = "this build has no Redis support";
	return -1;
}
#endif

#endif
