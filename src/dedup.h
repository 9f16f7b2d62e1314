/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * A table, shared by all workers of the process, that remembers which
 * CallSids were registered with Synthflow and under which call id, so that
 * a Twilio retry neither registers the call twice nor races the first try.
 * The network is the caller's; the table only says who registers.
 */
#ifndef DEDUP_H
#define DEDUP_H

#include <stddef.h>

#include "synthflow.h"

#define DEDUP_KEY_MAX	64	/* ^[A-Za-z0-9]{1,64}$; a CallSid is 34 */

struct dedup;

enum dedup_result {
	DEDUP_OWNER,	/* register the call, then call dedup_finish */
	DEDUP_HIT,	/* id holds the earlier registration's call id */
	DEDUP_BYPASS	/* register without dedup_finish: unusable key,
			   wait timed out or every slot in flight */
};

/* 1 when s is a key the table takes: ^[A-Za-z0-9]{1,DEDUP_KEY_MAX}$. */
int	dedup_key_valid(const char *s);
/* A table of at most slots entries (slots >= 1); NULL on no memory. */
struct dedup	*dedup_new(size_t slots);
/* Free the table; no thread may be using it. */
void	dedup_free(struct dedup *);
/* Times below are clock.h's clock_ms(): CLOCK_MONOTONIC milliseconds. */
/*
 * Look call_sid up at now_ms: a registration finished less than window_ms
 * ago is a HIT; one in flight is waited for until deadline_ms, then it is a
 * HIT, or OWNER if it failed, or BYPASS if the deadline passed first;
 * otherwise the caller is the OWNER. window_ms <= 0 disables the table.
 */
enum dedup_result dedup_begin(struct dedup *, const char *call_sid,
	    long now_ms, long window_ms, long deadline_ms,
	    char id[SYNTHFLOW_ID_MAX + 1]);
/*
 * End an OWNER's attempt with the registered id, or NULL when it failed
 * (the entry goes, so that the next retry tries again); wakes the waiters.
 */
void	dedup_finish(struct dedup *, const char *call_sid, const char *id,
	    long now_ms);

#endif
