/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The Dial TwiML that hands a call to Synthflow's SIP target, and the
 * answer to Twilio's <Dial action> callback when that dial (or a
 * transfer's) ends.
 */
#ifndef CALL_DIAL_H
#define CALL_DIAL_H

#include "call_answer.h"

/* Dial Synthflow's SIP target with the registered call id. */
void	call_dial_forward(struct webhook *, struct call *,
	    const char *sip_number);
/* Dial it without one, Synthflow having failed for reason. */
void	call_dial_direct(struct webhook *, struct call *,
	    const char *sip_number, const char *reason);
/* 1 for Twilio's callback to the <Dial action> this program asked for. */
int	call_dial_is_callback(const struct webhook *);
/* Answer Twilio's callback to the <Dial action> this program asked for. */
void	call_dial_ended(struct webhook *, struct call *);

#endif
