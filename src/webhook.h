/*
 * One Twilio call, end to end: check the request, register the call with
 * Synthflow, answer TwiML, log one line.
 */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include "request.h"
#include "settings.h"

struct webhook;

/* Per-worker state (HTTP client, buffers), reused across requests. */
struct webhook *webhook_new(void);
/* Release a worker's state. */
void	webhook_free(struct webhook *);
/* Handle one request with the process settings base. */
void	webhook_handle(struct webhook *, struct request *,
	    const struct settings *base);

#endif
