/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Whether a request is a Twilio call to handle at all: the request's
 * checks (method, size, type, decoding, signature), the status callbacks
 * that are no arriving call, and the caller who is gone or waited too
 * long. Each refusal answers the request itself.
 */
#ifndef CALL_CHECK_H
#define CALL_CHECK_H

#include "call.h"

/*
 * Method, size, type, decoding and signature, in that order, filling in
 * the call's forms and public URL. Returns 0 for a valid Twilio request;
 * otherwise it has answered and returns REQUEST_ANSWERED.
 */
int	call_check_request(struct webhook *, struct call *);
/*
 * A status callback (or a CallStatus of a call that is not arriving) is
 * answered an empty Response: returns REQUEST_ANSWERED then, else 0.
 */
int	call_check_status(struct webhook *, struct call *);
/*
 * A caller who is gone is logged, nobody being left to answer: returns
 * REQUEST_ANSWERED. One who waited longer than SYNTHFLOW_MAX_WAIT_MS gets
 * *errstr "stale" (the call is to be dialed directly); returns 0 then and
 * for the rest.
 */
int	call_check_gone_or_stale(struct webhook *, struct call *,
	    const char **errstr);

#endif
