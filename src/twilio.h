/*
 * Twilio's side of a call: the public URL it requested, rebuilt from the
 * FastCGI/CGI params, and the X-Twilio-Signature over it.
 */
#ifndef TWILIO_H
#define TWILIO_H

#include "buf.h"
#include "form.h"

#define TWILIO_SIGLEN	28	/* base64 of a 20-byte HMAC-SHA1 */

/* What the URL is rebuilt from; any member may be NULL. */
struct twilio_url_parts {
	const char	*https;		/* HTTPS: "on" for https */
	const char	*host;		/* HTTP_HOST */
	const char	*server_name;	/* SERVER_NAME, without a Host header */
	const char	*server_port;	/* SERVER_PORT, likewise */
	const char	*request_uri;	/* REQUEST_URI, exactly as received */
	const char	*script_name;	/* SCRIPT_NAME + PATH_INFO + QUERY_STRING */
	const char	*path_info;	/*   when there is no REQUEST_URI */
	const char	*query_string;
	const char	*webhook_url;	/* TWILIO_WEBHOOK_URL, replaces the rest */
};

/* Write the URL Twilio requested into out; -1 when it cannot be known. */
int	twilio_url(struct buf *out, const struct twilio_url_parts *);
/*
 * Compute the signature Twilio sends for url and the POST parameters
 * (NULL for GET) into sig, NUL-terminated; -1 on failure.
 */
int	twilio_sign(const char *token, size_t tokenlen, const char *url,
	    const struct form *post, char sig[TWILIO_SIGLEN + 1]);
/*
 * 0 when signature matches url (with or without its port) and post for one
 * of the comma-separated tokens, else -1. Compares in constant time.
 */
int	twilio_verify(const char *tokens, const char *url,
	    const struct form *post, const char *signature);

#endif
