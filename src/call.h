/*
 * One Twilio call, end to end: check the request, register the call with
 * Synthflow, answer TwiML, log one line.
 */
#ifndef CALL_H
#define CALL_H

#include "caller_limit.h"
#include "dedup.h"
#include "live.h"
#include "request.h"

struct webhook;

/*
 * Per-worker state (HTTP client, buffers), reused across requests; dedup
 * and limit are the tables the workers share, or NULL.
 */
struct webhook *webhook_new(struct dedup *dedup, struct caller_limit *limit);
/* Release a worker's state. */
void	webhook_free(struct webhook *);
/* Handle one request with the configuration l. */
void	webhook_handle(struct webhook *, struct request *,
	    const struct live *l);
/*
 * Handle one request while every worker is busy: the same checks, but the
 * call is dialed directly (or gets the fallback), without Synthflow.
 */
void	webhook_shed(struct webhook *, struct request *,
	    const struct live *l);

#endif
