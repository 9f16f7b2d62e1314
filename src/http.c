/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * HTTP to Synthflow's API over libcurl. Owns timeouts, retries and the reply
 * size cap; knows nothing of JSON. One client per worker thread, never
 * shared, as libcurl requires of easy handles; each runs its transfers on
 * a multi handle of its own, which keeps its connection. The body goes
 * out through a read callback that cannot be rewound once a byte of it
 * left: libcurl re-sends a request whose kept-alive connection died before
 * any answer (Curl_retry_request), and only this program's rules may send
 * it again.
 *
 * What the workers can share they share through one libcurl share handle,
 * made by http_global_init: the DNS cache and the TLS session cache, so
 * that a worker opening a connection resumes a session any worker got
 * instead of a full handshake (after Synthflow closed idle connections:
 * no certificate to send and check; http_tls.c keeps a session resumable
 * once the connection that got it died). The connection pool is not
 * shared: each worker keeps its one connection alive anyway, and libcurl's
 * shared pool is not safe yet between threads running their own easy
 * handles.
 *
 * HTTP/1.1 is asked for even where Synthflow offers HTTP/2: one request at
 * a time on a connection, HTTP/2 multiplexes nothing, and in libcurl 7.88
 * it costs more (bench/RESULTS.md, scenario L: 0.71 times the CPU a call,
 * the first call after quiet 124 against 144 ms). Multiplexing the workers'
 * requests over few connections loses the streams a server's GOAWAY
 * refuses (a multi handle for all workers lost 1 to 8 calls of 24 so).
 */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "clock.h"
#include "http.h"
#include "http_tls.h"

struct http_client {
	CURL		*curl;
	CURLM		*multi;		/* drives curl, keeps its connection */
	curl_socket_t	 kept;		/* the socket of the one it kept */
	char		*default_ca;	/* libcurl's built-in CA bundle */
	char		*ca_set;	/* a copy of what CURLOPT_CAINFO is now */
	CURLU		*url;		/* url_set, parsed */
	char		*url_set;	/* a copy of what CURLOPT_URL is now */
	struct curl_slist *headers;	/* built for this bearer */
	char		*bearer;
	int		 overflow;	/* the reply hit the cap */
	struct buf	*reply;
	const char	*body;		/* the request's, for on_read */
	size_t		 body_len;
	size_t		 body_off;	/* handed to libcurl so far */
};

/* How long libcurl reuses an idle connection, s: its default. */
#define HTTP_MAXAGE_CONN	118L

/* What every client shares, and one lock per kind of shared data. */
static CURLSH		*share;
static pthread_mutex_t	 share_locks[CURL_LOCK_DATA_LAST];

static void
share_lock(CURL *curl, curl_lock_data data, curl_lock_access access,
    void *arg)
{
	(void)curl;
	(void)access;
	(void)arg;
	pthread_mutex_lock(&share_locks[data]);
}

static void
share_unlock(CURL *curl, curl_lock_data data, void *arg)
{
	(void)curl;
	(void)arg;
	pthread_mutex_unlock(&share_locks[data]);
}

/*
 * Free the share handle at exit when no client holds it any more (a
 * FastCGI server leaves by _exit with its workers' handles alive, and
 * libcurl refuses to free a share in use).
 */
static void
share_free(void)
{
	int	 i;

	if (share == NULL || curl_share_cleanup(share) != CURLSHE_OK)
		return;
	share = NULL;
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&share_locks[i]);
}

static CURLSH *
share_new(void)
{
	CURLSH	*sh;
	int	 i;

	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		if (pthread_mutex_init(&share_locks[i], NULL) != 0)
			goto fail;
	if ((sh = curl_share_init()) == NULL)
		goto fail;
	if (curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, share_lock) !=
	    CURLSHE_OK ||
	    curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, share_unlock) !=
	    CURLSHE_OK ||
	    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) !=
	    CURLSHE_OK ||
	    curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) !=
	    CURLSHE_OK) {
		curl_share_cleanup(sh);
		goto fail;
	}
	return sh;
fail:
	while (--i >= 0)
		pthread_mutex_destroy(&share_locks[i]);
	return NULL;
}

int
http_global_init(void)
{
	if (share != NULL)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (share = share_new()) == NULL)
		return -1;
	atexit(share_free);
	return 0;
}

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct http_client	*c = arg;

	if (buf_add(c->reply, p, n) == -1) {
		c->overflow = 1;
		return 0;	/* makes libcurl stop with CURLE_WRITE_ERROR */
	}
	(void)size;
	return n;
}

static size_t
on_read(char *p, size_t size, size_t n, void *arg)
{
	struct http_client	*c = arg;
	size_t			 left = c->body_len - c->body_off;

	/*
	 * The whole body was handed out and libcurl asks again: it is
	 * re-sending the request without a rewind. End it rather than send
	 * headers promising a body that never comes.
	 */
	if (left == 0 && c->body_len > 0)
		return CURL_READFUNC_ABORT;
	if ((n *= size) > left)
		n = left;
	memcpy(p, c->body + c->body_off, n);
	c->body_off += n;
	return n;
}

/*
 * libcurl asks to start the body again only to re-send it: allowed while
 * none of it went out (the request surely never arrived), refused after,
 * which ends the transfer with CURLE_SEND_FAIL_REWIND.
 */
static int
on_seek(void *arg, curl_off_t offset, int origin)
{
	struct http_client	*c = arg;

	if (offset != 0 || origin != SEEK_SET || c->body_off != 0)
		return CURL_SEEKFUNC_FAIL;
	return CURL_SEEKFUNC_OK;
}

struct http_client *
http_client_new(void)
{
	struct http_client	*c;
	char			*ca = NULL;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->kept = CURL_SOCKET_BAD;
	if ((c->curl = curl_easy_init()) == NULL ||
	    (c->multi = curl_multi_init()) == NULL)
		goto fail;
	curl_easy_getinfo(c->curl, CURLINFO_CAINFO, &ca);
	if (ca != NULL && ((c->default_ca = strdup(ca)) == NULL ||
	    (c->ca_set = strdup(ca)) == NULL))
		goto fail;
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	if (http_tls_keep_sessions(c->curl) == -1)
		goto fail;
	if (share != NULL)
		curl_easy_setopt(c->curl, CURLOPT_SHARE, share);
	curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c->curl, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(c->curl, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c->curl, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)HTTP_REPLY_MAX);
	/* A reply is about 1 KB: small buffers keep many workers cheap. */
	curl_easy_setopt(c->curl, CURLOPT_BUFFERSIZE, 8192L);
	curl_easy_setopt(c->curl, CURLOPT_UPLOAD_BUFFERSIZE, 16384L);
	curl_easy_setopt(c->curl, CURLOPT_USERAGENT,
	    PACKAGE_NAME "/" PACKAGE_VERSION);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c->curl, CURLOPT_READDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_SEEKFUNCTION, on_seek);
	curl_easy_setopt(c->curl, CURLOPT_SEEKDATA, c);
	return c;
fail:
	http_client_free(c);
	return NULL;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	curl_multi_cleanup(c->multi);	/* closes the kept connection */
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	curl_url_cleanup(c->url);
	free(c->url_set);
	free(c->default_ca);
	free(c->ca_set);
	curl_slist_free_all(c->headers);
	free(c->bearer);
	free(c);
}

/*
 * The connection closed or broke after the request went out and before a
 * byte of the answer: Synthflow may have registered the call.
 */
static int
dropped(CURL *curl, CURLcode rc)
{
	long	 got = 0;

	if (rc != CURLE_SEND_FAIL_REWIND && rc != CURLE_GOT_NOTHING &&
	    rc != CURLE_RECV_ERROR && rc != CURLE_ABORTED_BY_CALLBACK)
		return 0;
	curl_easy_getinfo(curl, CURLINFO_HEADER_SIZE, &got);
	return got == 0;
}

static const char *
curl_reason(const struct http_client *c, CURLcode rc)
{
	if (dropped(c->curl, rc))
		return "dropped";
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return "connect";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return "tls";
	case CURLE_FILESIZE_EXCEEDED:
		return "reply_size";
	case CURLE_WRITE_ERROR:
		if (c->overflow)
			return "reply_size";
		/* FALLTHROUGH */
	default:
		return "network";
	}
}

/* Failures that leave no doubt the request never reached Synthflow. */
static int
retryable(CURL *curl, CURLcode rc, long status)
{
	curl_off_t	 connected = 0;

	if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT)
		return 1;
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected);
		return connected == 0;
	}
	return rc == CURLE_OK && (status == 502 || status == 503 ||
	    status == 504);
}

/*
 * Point libcurl at the CA bundle of this request. The request's string
 * dies with the request, so the client keeps a copy to compare with.
 */
static int
set_ca(struct http_client *c, const char *ca_file)
{
	const char	*want = ca_file != NULL ? ca_file : c->default_ca;
	char		*copy = NULL;

	if (want == NULL ? c->ca_set == NULL :
	    c->ca_set != NULL && strcmp(want, c->ca_set) == 0)
		return 0;
	if (want != NULL && (copy = strdup(want)) == NULL)
		return -1;
	curl_easy_setopt(c->curl, CURLOPT_CAINFO, want);
	free(c->ca_set);
	c->ca_set = copy;
	return 0;
}

/*
 * Point libcurl at the request's URL, parsed once while it stays the same:
 * given a CURLU, libcurl copies it for each transfer where it would parse
 * the string and print it back (about 12 000 instructions a call).
 */
static int
set_url(struct http_client *c, const char *url)
{
	CURLU	*parsed;
	char	*copy;

	if (c->url_set != NULL && strcmp(c->url_set, url) == 0)
		return 0;
	/* A new handle: one that held a URL would take a relative one. */
	if ((copy = strdup(url)) == NULL || (parsed = curl_url()) == NULL) {
		free(copy);
		return -1;
	}
	if (curl_url_set(parsed, CURLUPART_URL, url, 0) != CURLUE_OK) {
		/* libcurl names the fault when it parses the string itself. */
		curl_url_cleanup(parsed);
		parsed = NULL;
	}
	curl_easy_setopt(c->curl, CURLOPT_CURLU, parsed);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_url_cleanup(c->url);
	free(c->url_set);
	c->url = parsed;
	c->url_set = copy;
	return 0;
}

static struct curl_slist *
headers_new(const char *bearer)
{
	struct curl_slist	*h = NULL, *n;
	struct buf		 auth;

	buf_init(&auth, 64 * 1024);
	if (buf_printf(&auth, "Authorization: Bearer %s", bearer) == -1)
		goto fail;
	if ((n = curl_slist_append(h, "Content-Type: application/json")) ==
	    NULL)
		goto fail;
	h = n;
	if ((n = curl_slist_append(h, "Accept: application/json")) == NULL)
		goto fail;
	h = n;
	if ((n = curl_slist_append(h, "Expect:")) == NULL)
		goto fail;
	h = n;
	if ((n = curl_slist_append(h, buf_str(&auth))) == NULL)
		goto fail;
	buf_free(&auth);
	return n;
fail:
	buf_free(&auth);
	curl_slist_free_all(h);
	return NULL;
}

/* The request headers for bearer, built again only when the key changes. */
static struct curl_slist *
headers_for(struct http_client *c, const char *bearer)
{
	struct curl_slist	*h;
	char			*copy;

	if (c->bearer != NULL && strcmp(c->bearer, bearer) == 0)
		return c->headers;
	if ((h = headers_new(bearer)) == NULL)
		return NULL;
	if ((copy = strdup(bearer)) == NULL) {
		curl_slist_free_all(h);
		return NULL;
	}
	curl_slist_free_all(c->headers);
	free(c->bearer);
	c->headers = h;
	c->bearer = copy;
	return h;
}

/*
 * One transfer, as curl_easy_perform runs it less one poll a call: its
 * loop polls first, a multi handle's wake-up socketpair that nothing here
 * writes to, where this one waits only while the transfer runs.
 */
static CURLcode
perform(struct http_client *c)
{
	CURLMcode	 mc;
	CURLMsg		*msg;
	CURLcode	 rc = CURLE_OK;
	int		 running = 0, left;

	if ((mc = curl_multi_add_handle(c->multi, c->curl)) == CURLM_OK)
		while ((mc = curl_multi_perform(c->multi, &running)) ==
		    CURLM_OK && running > 0 &&
		    (mc = curl_multi_wait(c->multi, NULL, 0, 1000, NULL)) ==
		    CURLM_OK)
			;
	if (mc != CURLM_OK)
		rc = mc == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY :
		    CURLE_BAD_FUNCTION_ARGUMENT;	/* as libcurl's own */
	else if ((msg = curl_multi_info_read(c->multi, &left)) != NULL &&
	    msg->msg == CURLMSG_DONE)
		rc = msg->data.result;
	/*
	 * Asked while the handle is in the multi, whose pool holds the
	 * connection; nothing but this client's next transfer closes it.
	 */
	if (curl_easy_getinfo(c->curl, CURLINFO_ACTIVESOCKET, &c->kept) !=
	    CURLE_OK)
		c->kept = CURL_SOCKET_BAD;
	curl_multi_remove_handle(c->multi, c->curl);
	return rc;
}

/*
 * Whether the server spoke on the kept connection since its last answer:
 * over HTTP/1.1 only to end it (a TLS close_notify, a close, a reset).
 * libcurl 7.88 takes a close_notify waiting there for a sign of life and
 * sends the request into the connection the server is ending: it goes
 * unanswered and libcurl sends it again elsewhere, or the send fails at
 * once and the call falls back (tests/tls-close-notify.test; scenario L
 * lost up to 22 of its 195 calls after quiet so). libcurl 8.0 refuses
 * such a connection; so does http_send here.
 */
static int
kept_spoken(const struct http_client *c)
{
	struct pollfd	 pfd;

	if (c->kept == CURL_SOCKET_BAD)
		return 0;
	pfd.fd = c->kept;
	pfd.events = POLLIN;
	return poll(&pfd, 1, 0) > 0;
}

int
http_send(struct http_client *c, const struct http_request *p, long *status,
    struct buf *reply, const char **reason)
{
	struct curl_slist	*headers;
	CURLcode		 rc = CURLE_OK;
	long			 deadline, left, attempt;

	*status = 0;
	if (set_ca(c, p->ca_file) == -1 || set_url(c, p->url) == -1 ||
	    (headers = headers_for(c, p->bearer)) == NULL) {
		*reason = "memory";
		return -1;
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, headers);
	if (p->body != NULL) {
		c->body = p->body;
		c->body_len = p->len;
		curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)p->len);
	} else
		curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	c->reply = reply;
	/*
	 * Given no age, libcurl drops rather than reuses a connection idle
	 * a second or more: one Synthflow ends sooner than that after its
	 * answer is not caught.
	 */
	curl_easy_setopt(c->curl, CURLOPT_MAXAGE_CONN,
	    kept_spoken(c) ? 0L : HTTP_MAXAGE_CONN);
	deadline = clock_ms() + p->timeout_ms;
	for (attempt = 0; attempt <= p->retries; attempt++) {
		if ((left = deadline - clock_ms()) <= 0) {
			rc = CURLE_OPERATION_TIMEDOUT;
			break;
		}
		buf_reset(reply);
		c->overflow = 0;
		c->body_off = 0;	/* our own retry sends it all again */
		*status = 0;
		curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, left);
		curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS,
		    p->connect_timeout_ms < left ? p->connect_timeout_ms : left);
		rc = perform(c);
		if (rc == CURLE_OK)
			curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
		if (!retryable(c->curl, rc, *status))
			break;
	}
	/* The body dies with the request: the client must not keep it. */
	c->body = NULL;
	c->body_len = c->body_off = 0;
	c->reply = NULL;
	if (rc != CURLE_OK) {
		*reason = curl_reason(c, rc);
		return -1;
	}
	return 0;
}
