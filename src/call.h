/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * One Twilio call, end to end, and the state its steps share. call.c takes
 * the request through them: call_check.c (is it a Twilio call to handle at
 * all) and caller.c (is its caller put through), then call_register.c
 * (Synthflow's registration) and call_dial.c (the Dial TwiML); Twilio's
 * callbacks go to call_dial.c (the dial ended) or call_transfer.c (the
 * agent's transfer). call_answer.c holds what they all use: the call's
 * parameters, its one answer and log line, the callback URLs.
 */
#ifndef CALL_H
#define CALL_H

#include "buf.h"
#include "caller_limit.h"
#include "dedup.h"
#include "form.h"
#include "http.h"
#include "live.h"
#include "request.h"
#include "routes.h"
#include "settings.h"
#include "synthflow.h"

/* A worker's state for Twilio's webhook, reused across its requests. */
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

/*
 * Per-worker state (HTTP client, buffers), reused across requests; dedup
 * and limit are the tables the workers share, or NULL.
 */
struct webhook *webhook_new(struct dedup *dedup, struct caller_limit *limit);
/* Release a worker's state. */
void	webhook_free(struct webhook *);
/* Handle one request with the configuration l. */
void	webhook_handle(struct webhook *, struct request *,
	    const struct live *l);
/*
 * Handle one request while every worker is busy: the same checks, but the
 * call is dialed directly (or gets the fallback), without Synthflow.
 */
void	webhook_shed(struct webhook *, struct request *,
	    const struct live *l);

#endif
