/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Twilio's side of a call: the public URL it requested, rebuilt from the
 * FastCGI/CGI params, and the X-Twilio-Signature over it: HMAC-SHA1 with
 * the auth token, or, when a Webhook Rule applies a shared key (the
 * X-Twilio-Webhooks-Signature-Settings header), the HMAC that header
 * names with that key, over the same string.
 */
#ifndef TWILIO_H
#define TWILIO_H

#include "buf.h"
#include "form.h"

#define TWILIO_SIGLEN	28	/* base64 of a 20-byte HMAC-SHA1 */
#define TWILIO_SIGLEN_MAX 44	/* base64 of a 32-byte HMAC-SHA256 */

/* The HMACs a signature is made with. */
enum twilio_alg { TWILIO_HMAC_SHA1, TWILIO_HMAC_SHA256 };

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
 * The same with alg and key, into sig of TWILIO_SIGLEN_MAX + 1 bytes:
 * HMAC-SHA256 for a shared key.
 */
int	twilio_sign_alg(enum twilio_alg, const char *key, size_t keylen,
	    const char *url, const struct form *post, char *sig);
/*
 * 0 when signature matches url (with or without its port) and post for one
 * of the comma-separated tokens, else -1. Compares in constant time.
 */
int	twilio_verify(const char *tokens, const char *url,
	    const struct form *post, const char *signature);
/*
 * The algorithm an X-Twilio-Webhooks-Signature-Settings value names
 * ("key=<id>,algorithm=HMAC_SHA256") into *alg; -1 when it names none, or
 * one not known, or names it twice.
 */
int	twilio_sig_settings(const char *value, enum twilio_alg *alg);
/*
 * The check of a request: with settings (the header's value, NULL when
 * absent), the algorithm it names and one of the comma-separated shared
 * keys; without, twilio_verify with the auth tokens. 0 when signature
 * matches, else -1: also with settings and no shared key, or an unknown
 * algorithm.
 */
int	twilio_check(const char *tokens, const char *shared_keys,
	    const char *settings, const char *url, const struct form *post,
	    const char *signature);

#endif
