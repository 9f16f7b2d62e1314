/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The caller's screening, one step of a call's path: after the signature
 * check and before Synthflow is asked, a call from a denied number, an
 * anonymous one SYNTHFLOW_CALLER_ANONYMOUS rejects, or one over
 * SYNTHFLOW_CALLER_LIMIT is answered <Reject reason="busy"/>, so it costs
 * neither Twilio's minutes of a connected call nor Synthflow's.
 */
#ifndef CALLER_H
#define CALLER_H

#include "call_answer.h"
#include "caller_deny.h"

/*
 * Screen the call's From against deny (may be NULL) and the settings:
 * REQUEST_ANSWERED when it answered the Reject, 0 when the call goes on.
 */
int	caller_screen(struct webhook *, struct call *,
	    const struct caller_deny *deny);
/* 1 when from is a caller without a number (withheld, unknown, none). */
int	caller_anonymous(const char *from);

#endif
