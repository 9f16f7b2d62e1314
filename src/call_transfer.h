/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Transfers to a person: Twilio's callback to the <Dial referUrl> when the
 * agent sends a SIP REFER, answered with a Dial of the target when the
 * allow list permits it and the fallback otherwise.
 */
#ifndef CALL_TRANSFER_H
#define CALL_TRANSFER_H

#include "buf.h"
#include "call_answer.h"
#include "refer.h"
#include "routes.h"
#include "settings.h"

/* 1 for Twilio's callback to the <Dial referUrl> this program asked for. */
int	call_transfer_is_callback(const struct webhook *);
/*
 * Answer that callback; bad names a per-request setting that does not
 * parse (NULL: none), routes may give the To its own allow list.
 */
void	call_transfer_answer(struct webhook *, struct call *, const char *bad,
	    const struct routes *);
/*
 * Write the Dial of an allowed target t under s into out, with the Dial
 * action and (for a bridge) the referUrl given; the headers left out go
 * to *dropped. -1 when it does not fit.
 */
int	call_transfer_twiml(struct buf *out, const struct settings *s,
	    const struct refer_target *t, const char *action,
	    const char *refer_url, size_t *dropped);

#endif
