/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/* Synthflow's registration of one call, once per CallSid. */
#ifndef CALL_REGISTER_H
#define CALL_REGISTER_H

#include "call_answer.h"

/*
 * Register the call once per CallSid: 0 with the call id in c->id; -1 when
 * the call data or settings make no request; -2 when Synthflow failed;
 * the reason in *errstr.
 */
int	call_register_once(struct webhook *, struct call *, const char *to,
	    const char **errstr);

#endif
