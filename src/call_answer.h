/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * What every step of a call shares (call.h draws the path): its Twilio
 * parameters, its one answer and log line, and the URLs of Twilio's
 * callbacks back to the program.
 */
#ifndef CALL_ANSWER_H
#define CALL_ANSWER_H

#include "buf.h"
#include "call.h"
#include "form.h"

/* The query parameter that marks Twilio's callbacks to the program. */
#define CALL_MARK		"synthflow_twiml"
#define CALL_MARK_DIAL		"dial"	/* the <Dial action> */
#define CALL_MARK_REFER		"refer"	/* the <Dial referUrl> */

/* A Twilio parameter: the POST body's first, then the query string's. */
const struct form_pair *call_pair(const struct webhook *, const char *name);
const char *call_param(const struct webhook *, const char *name);
/*
 * Refuse a request that is not a valid Twilio call: status with message
 * as a text body, logged as rejected:reason.
 */
void	call_reject(struct webhook *, struct call *, int status,
	    const char *reason, const char *message);
/* Write the call's one log line. */
void	call_log(struct webhook *, const struct call *);
/* Answer w->answer as TwiML and log the call as outcome:reason. */
void	call_answer(struct webhook *, struct call *, const char *outcome,
	    const char *reason);
/* Answer the fallback TwiML, logged as outcome:reason. */
void	call_fallback(struct webhook *, struct call *, const char *outcome,
	    const char *reason);
/* 1 when the request is Twilio's callback marked value (CALL_MARK_*). */
int	call_is_callback(const struct webhook *, const char *value);
/*
 * The public URL with only the marker value (any other marker dropped),
 * in out; NULL when there is no public URL.
 */
const char *call_self_url(const struct webhook *, struct buf *out,
	    const char *value);
/* The <Dial action> URL the settings ask for, or NULL for none. */
const char *call_action(struct webhook *, const struct call *);
/* The <Dial referUrl> URL SYNTHFLOW_TRANSFER asks for, or NULL. */
const char *call_refer_url(struct webhook *, const struct call *);

#endif
