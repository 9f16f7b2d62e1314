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

struct twiml_sip {
	const char		*number;	/* SIP user part */
	const char		*host;
	long			 port;
	enum twiml_transport	 transport;
	int			 secure;	/* ;secure=true, TLS only */
	const char		*call_id;	/* X-EI S. token */
	const char		*call_sid;	/* X-EI E. token, or NULL */
	int			 escape;	/* write ';' as %3B */
	const char		*username;	/* <Sip> attributes, or NULL */
	const char		*password;
	long			 dial_timeout;	/* <Dial> attributes, 0: none */
	long			 time_limit;
	const char		*caller_id;	/* NULL: none */
	int			 answer_on_bridge; /* -1: none */
};

struct twiml_fallback {
	const char	*redirect;	/* first set one wins */
	const char	*dial;
	const char	*say;
	const char	*language;	/* <Say language>, or NULL */
};

/* 1 when s is a non-empty SIP user part of safe characters. */
int	twiml_sip_user_safe(const char *s);
/* Write the Dial answer; -1 when it does not fit. */
int	twiml_dial(struct buf *out, const struct twiml_sip *);
/* Write the fallback answer; -1 when it does not fit. */
int	twiml_fallback(struct buf *out, const struct twiml_fallback *);
/* Append s XML-escaped (text and attribute values alike). */
int	twiml_escape(struct buf *out, const char *s);

#endif
