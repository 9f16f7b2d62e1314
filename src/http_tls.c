/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * libcurl installs its own new-session callback on each SSL_CTX it makes,
 * then calls CURLOPT_SSL_CTX_FUNCTION: there this file puts itself in
 * front of that callback and hands it a copy of each new session. OpenSSL
 * marks the session of the SSL it frees unshut (ssl_clear_bad_session),
 * never the copy.
 *
 * The other way round too: libcurl hands SSL_set_session the session of
 * its cache itself, and OpenSSL marks the session a TLS 1.3 connection
 * resumed not resumable once the handshake is done (it spends a ticket
 * once). Every connection that starts before a new ticket replaces it in
 * the cache would make a full handshake: in a burst after quiet, dozens.
 * So each connection starts from a copy of its own.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "http_tls.h"

typedef int new_session_fn(SSL *, SSL_SESSION *);

/* libcurl's callback, the same for every SSL_CTX it makes. */
static pthread_mutex_t	 libcurl_lock = PTHREAD_MUTEX_INITIALIZER;
static new_session_fn	*libcurl_new_session;

static int
on_new_session(SSL *ssl, SSL_SESSION *session)
{
	SSL_SESSION	*copy;

	if ((copy = SSL_SESSION_dup(session)) == NULL)
		return 0;
	if (libcurl_new_session(ssl, copy) == 0)
		SSL_SESSION_free(copy);
	return 0;	/* OpenSSL keeps its own reference to session */
}

/* As a handshake starts, before the hello: the cached session, copied. */
static void
on_info(const SSL *ssl, int where, int ret)
{
	SSL_SESSION	*cached, *copy;

	(void)ret;
	if ((where & SSL_CB_HANDSHAKE_START) == 0 || SSL_is_server(ssl) ||
	    !SSL_in_before(ssl) || (cached = SSL_get_session(ssl)) == NULL ||
	    !SSL_SESSION_is_resumable(cached))
		return;
	if ((copy = SSL_SESSION_dup(cached)) == NULL)
		return;		/* it resumes from the cached one, as before */
	SSL_set_session((SSL *)ssl, copy);
	SSL_SESSION_free(copy);
}

/* Wrap ctx's callback if it is the one wrapped before (or the first). */
static CURLcode
on_ssl_ctx(CURL *curl, void *sslctx, void *arg)
{
	SSL_CTX		*ctx = sslctx;
	new_session_fn	*theirs;
	int		 same;

	(void)curl;
	(void)arg;
	if ((theirs = SSL_CTX_sess_get_new_cb(ctx)) == NULL ||
	    theirs == on_new_session)
		return CURLE_OK;
	pthread_mutex_lock(&libcurl_lock);
	if (libcurl_new_session == NULL)
		libcurl_new_session = theirs;
	same = libcurl_new_session == theirs;
	pthread_mutex_unlock(&libcurl_lock);
	if (!same)
		return CURLE_OK;
	SSL_CTX_sess_set_new_cb(ctx, on_new_session);
	if (SSL_CTX_get_info_callback(ctx) == NULL)
		SSL_CTX_set_info_callback(ctx, on_info);
	return CURLE_OK;
}

/* libcurl's TLS is this OpenSSL, so its SSL_CTX is one this code knows. */
static int
libcurl_uses_our_openssl(void)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	char	 want[64];

	snprintf(want, sizeof(want), "OpenSSL/%s",
	    OpenSSL_version(OPENSSL_VERSION_STRING));
	return v->ssl_version != NULL && strcmp(v->ssl_version, want) == 0;
}

int
http_tls_keep_sessions(CURL *curl)
{
	if (!libcurl_uses_our_openssl())
		return 0;
	return curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx) ==
	    CURLE_OK ? 0 : -1;
}
