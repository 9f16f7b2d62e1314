/*
 * One call inside the program: the worker's state and what happened to the
 * call, shared by the files that handle it: webhook.c (the checks, the
 * answer and the log line), register.c (Synthflow's registration) and
 * dial.c (the Dial TwiML and its action callback).
 */
#ifndef CALL_H
#define CALL_H

#include "buf.h"
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
	struct buf		 body;		/* the request body */
	struct buf		 url;		/* the public URL */
	int			 url_ok;
	struct buf		 action;	/* the <Dial action> URL */
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
};

/* A Twilio parameter: the POST body's first, then the query string's. */
const struct form_pair *call_pair(const struct webhook *, const char *name);
const char *call_param(const struct webhook *, const char *name);
/* Answer w->answer as TwiML and log the call as outcome:reason. */
void	call_answer(struct webhook *, struct call *, const char *outcome,
	    const char *reason);
/* Answer the fallback TwiML, logged as outcome:reason. */
void	call_fallback(struct webhook *, struct call *, const char *outcome,
	    const char *reason);

/* The agent of the routing table for to, when it has one. */
void	register_route(struct call *, const struct routes *, const char *to);
/*
 * Register the call once per CallSid: 0 with the call id in c->id; -1 when
 * the call data or settings make no request; -2 when Synthflow failed.
 */
int	register_once(struct webhook *, struct call *, const char *to,
	    const char **reason);

/* Dial Synthflow's SIP target with the registered call id. */
void	dial_forward(struct webhook *, struct call *, const char *sip_number);
/* Dial it without one, Synthflow having failed for reason. */
void	dial_direct(struct webhook *, struct call *, const char *sip_number,
	    const char *reason);
/* 1 for Twilio's callback to the <Dial action> this program asked for. */
int	dial_is_callback(const struct webhook *);
/* Answer that callback. */
void	dial_ended(struct webhook *, struct call *);

#endif
