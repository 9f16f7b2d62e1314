/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * TwiML answers: the <Dial><Sip> that hands the call to Synthflow and the
 * fallback the caller hears when that cannot be done.
 */
#ifndef TWIML_H
#define TWIML_H

#include "buf.h"

#define TWIML_DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

enum twiml_transport {
	TWIML_UDP,
	TWIML_TCP,
	TWIML_TLS
};
/* The transports' names by enum twiml_transport, NULL-terminated. */
extern const char *const twiml_transport_names[];

#define TWIML_HEADERS_MAX	1023	/* Twilio: "fewer than 1024" */
#define TWIML_TOKEN_MAX		64	/* an X-EI token's value */

struct twiml_header {
	const char	*name;		/* X-..., checked by its owner */
	const char	*value;		/* any UTF-8; percent-encoded here */
};

struct twiml_sip {
	const char		*number;	/* SIP user part; E.164 */
	const char		*host;
	long			 port;		/* 0: none */
	enum twiml_transport	 transport;
	int			 secure;	/* ;secure=true, TLS only */
	const char		*call_id;	/* X-EI S. token, or NULL */
	const char		*call_sid;	/* X-EI E. token, or NULL */
	const char		*forwarded_from; /* X-EI O. token, or NULL */
	const struct twiml_header *headers;	/* more X- headers, in order */
	size_t			 nheaders;
	size_t			 dropped;	/* out: headers left out */
	int			 escape;	/* write ';' as %3B */
	const char		*username;	/* <Sip> attributes, or NULL */
	const char		*password;
	long			 dial_timeout;	/* <Dial> attributes, 0: none */
	long			 time_limit;
	const char		*caller_id;	/* NULL: none */
	int			 answer_on_bridge; /* -1: none */
	const char		*action;	/* <Dial action>, or NULL */
	const char		*refer_url;	/* <Dial referUrl>, or NULL */
};

struct twiml_fallback {
	const char	*redirect;	/* first set one wins */
	const char	*dial;
	const char	*say;
	const char	*language;	/* <Say language>, or NULL */
};

/* 1 when s can be the URI's user part: ascii_sip_user. */
int	twiml_sip_user_safe(const char *s);
/* 1 when s can be the X-EI E. token: a Twilio SID, ascii_sid (NULL: 0). */
int	twiml_sid_safe(const char *s);
/* 1 when s can be an X-EI token's value: a SIP user part, 64 at most. */
int	twiml_token_safe(const char *s);
/*
 * Write the Dial answer; -1 when it does not fit. Headers that would take
 * the URI's header part past TWIML_HEADERS_MAX are left out, with every one
 * after them, and counted in dropped.
 */
int	twiml_dial(struct buf *out, struct twiml_sip *);
/* Write a Dial of the E.164 number in s->number, with s's attributes. */
int	twiml_dial_number(struct buf *out, const struct twiml_sip *);
/* Write <Hangup/>. */
int	twiml_hangup(struct buf *out);
/* An empty <Response/>: Twilio does nothing more for that request. */
int	twiml_empty(struct buf *out);
/* <Reject reason="...">: Twilio refuses the call without answering it. */
int	twiml_reject(struct buf *out, const char *reason);
/* Write the fallback answer; -1 when it does not fit. */
int	twiml_fallback(struct buf *out, const struct twiml_fallback *);
/* Append s XML-escaped (text and attribute values alike). */
int	twiml_escape(struct buf *out, const char *s);

#endif
