/*
 * One call inside the program: the worker's state, what happened to the
 * call, and the helpers every step of it shares (its parameters, its one
 * answer and log line, the URLs of Twilio's callbacks back to the
 * program). call.c runs the checks and picks the step: call_register.c
 * (Synthflow's registration), call_dial.c (the Dial TwiML and its action
 * callback) or call_transfer.c (the refer callback); they all use this
 * file and none uses another.
 */
#ifndef CALL_ANSWER_H
#define CALL_ANSWER_H

#include "buf.h"
#include "caller_limit.h"
#include "dedup.h"
#include "form.h"
#include "http.h"
#include "request.h"
#include "routes.h"
#include "settings.h"
#include "synthflow.h"

struct webhook {
	struct http_client	*http;
	struct dedup		*dedup;		/* shared by the workers */
	struct caller_limit	*limit;		/* shared; NULL: none */
	struct buf		 body;		/* the request body */
	struct buf		 url;		/* the public URL */
	int			 url_ok;
	struct buf		 action;	/* the <Dial action> URL */
	struct buf		 refer;		/* the <Dial referUrl> URL */
	struct buf		 json;		/* to Synthflow */
	struct buf		 reply;		/* from Synthflow */
	struct buf		 answer;	/* TwiML */
	struct buf		 line;		/* the log line */
	struct form		 query;
	struct form		 post;
	struct synthflow_var	*vars;
	size_t			 varcap;
};

/* What happened to one call, for the answer and the log line. */
struct call {
	struct request		*req;
	struct settings		 s;
	const struct route	*route;		/* the To's, or NULL */
	const char		*outcome;	/* forwarded, direct, fallback, */
	const char		*reason;	/*   rejected, ended */
	char			 id[SYNTHFLOW_ID_MAX + 1];
	long			 start_ms;
	long			 deadline_ms;	/* for the Synthflow exchange */
	long			 api_ms;	/* -1: Synthflow not asked */
	int			 dedup_hit;	/* id of an earlier request */
	size_t			 dropped;	/* SIP headers left out */
	const char		*transfer_kind;	/* NULL: not a transfer */
	const char		*transfer_number; /* logged masked */
	const char		*transfer_host;
};

/* The query parameter that marks Twilio's callbacks to the program. */
#define CALL_MARK		"synthflow_twiml"
#define CALL_MARK_DIAL		"dial"	/* the <Dial action> */
#define CALL_MARK_REFER		"refer"	/* the <Dial referUrl> */

/* A Twilio parameter: the POST body's first, then the query string's. */
const struct form_pair *call_pair(const struct webhook *, const char *name);
const char *call_param(const struct webhook *, const char *name);
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
