/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of twilio.c: the URL rebuild, the signature and its check.
 * The input is cut at NUL bytes into the FastCGI params the URL is rebuilt
 * from, a comma-separated token list, a signature and a POST body. The URL
 * must be the public URL Twilio signed, rebuilt here again (the scheme from
 * HTTPS, the Host header or SERVER_NAME and a port that is not the
 * scheme's, REQUEST_URI as received; TWILIO_WEBHOOK_URL and the request's
 * query string when it is set), and whatever
 * twilio_sign gives for one of the tokens must pass twilio_verify for the
 * list, for the URL as rebuilt and, for a plain host, for the same URL
 * signed with or without the scheme's port; a changed signature must not.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "form.h"
#include "twilio.h"
#include "fuzz.h"

enum {
	F_HTTPS, F_HOST, F_SERVER_NAME, F_SERVER_PORT, F_REQUEST_URI,
	F_SCRIPT_NAME, F_PATH_INFO, F_QUERY_STRING, F_WEBHOOK_URL, F_TOKENS,
	F_SIGNATURE, F_BODY, F_COUNT
};

#define URL_BUF_MAX	(16 * 1024)	/* as call.c's */

static int
nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

/*
 * The public URL of the request, into out; -1 when there is no host. The
 * oracle: written again on purpose, not taken from twilio.c, so that a bug
 * there cannot agree with itself here.
 */
static int
expected_url(struct buf *out, const struct twilio_url_parts *u)
{
	const char	*q;
	int		 https;

	buf_reset(out);
	if (nonempty(u->webhook_url)) {
		buf_addstr(out, u->webhook_url);
		if (nonempty(u->request_uri)) {
			if ((q = strchr(u->request_uri, '?')) != NULL)
				buf_addstr(out, q);
		} else if (nonempty(u->query_string)) {
			buf_addc(out, '?');
			buf_addstr(out, u->query_string);
		}
		return 0;
	}
	https = u->https != NULL && strcasecmp(u->https, "on") == 0;
	buf_addstr(out, https ? "https://" : "http://");
	if (nonempty(u->host))
		buf_addstr(out, u->host);
	else if (nonempty(u->server_name)) {
		buf_addstr(out, u->server_name);
		if (nonempty(u->server_port) &&
		    strcmp(u->server_port, https ? "443" : "80") != 0) {
			buf_addc(out, ':');
			buf_addstr(out, u->server_port);
		}
	} else
		return -1;
	if (nonempty(u->request_uri))
		buf_addstr(out, u->request_uri);
	else {
		buf_addstr(out, nonempty(u->script_name) ? u->script_name :
		    "/");
		if (nonempty(u->path_info))
			buf_addstr(out, u->path_info);
		if (nonempty(u->query_string)) {
			buf_addc(out, '?');
			buf_addstr(out, u->query_string);
		}
	}
	return 0;
}

/*
 * The other spelling of url when its host is a plain name (letters,
 * digits, '.', '-') with or without a numeric port: -1 for other URLs.
 * Deliberately twilio.c's url_port_variant written again: the oracle.
 */
static int
port_variant(struct buf *out, const char *url)
{
	const char	*auth, *end, *p, *colon = NULL, *port;

	if (strncasecmp(url, "https://", 8) == 0) {
		auth = url + 8;
		port = "443";
	} else if (strncasecmp(url, "http://", 7) == 0) {
		auth = url + 7;
		port = "80";
	} else
		return -1;
	end = auth + strcspn(auth, "/?#");
	for (p = auth; p < end; p++) {
		if (*p == ':' && colon == NULL && p > auth)
			colon = p;
		else if (colon != NULL ? !(*p >= '0' && *p <= '9') :
		    !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return -1;
	}
	if (end == auth || (colon != NULL && colon + 1 == end))
		return -1;
	buf_reset(out);
	if (colon != NULL) {
		buf_add(out, url, (size_t)(colon - url));
		buf_addstr(out, end);
	} else {
		buf_add(out, url, (size_t)(end - url));
		buf_addc(out, ':');
		buf_addstr(out, port);
		buf_addstr(out, end);
	}
	return 0;
}

/* Sign with one token of the list; the list must accept the result. */
static void
check_token(const char *tok, size_t len, const char *tokens, const char *url,
    const struct form *post)
{
	struct buf	 variant;
	char		 sig[TWILIO_SIGLEN + 1], bad[TWILIO_SIGLEN + 1];
	size_t		 i;

	if (twilio_sign(tok, len, url, post, sig) == -1)
		fuzz_fail("twilio_sign failed on a %zu-byte URL", strlen(url));
	if (strlen(sig) != TWILIO_SIGLEN)
		fuzz_fail("twilio_sign gives \"%s\"", sig);
	if (twilio_verify(tokens, url, post, sig) != 0)
		fuzz_fail("twilio_verify refuses twilio_sign's \"%s\" for "
		    "token \"%.*s\" of \"%s\", URL \"%s\"", sig, (int)len, tok,
		    tokens, url);
	/* Every character counts, the padding too. */
	for (i = 0; i < TWILIO_SIGLEN; i += i < 26 ? 13 : 1) {
		memcpy(bad, sig, sizeof(bad));
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		if (twilio_verify(tokens, url, post, bad) == 0)
			fuzz_fail("twilio_verify accepts \"%s\" for \"%s\"",
			    bad, sig);
	}

	/* Twilio may have signed the URL with or without the port. */
	buf_init(&variant, URL_BUF_MAX);
	if (strlen(url) < 8000 && port_variant(&variant, url) == 0) {
		if (twilio_sign(tok, len, buf_str(&variant), post, sig) == -1)
			fuzz_fail("twilio_sign failed on \"%s\"",
			    buf_str(&variant));
		if (twilio_verify(tokens, url, post, sig) != 0)
			fuzz_fail("URL \"%s\" signed as \"%s\" is refused",
			    url, buf_str(&variant));
	}
	buf_free(&variant);
}

/* Each comma-separated token, trimmed of blanks, as twilio.c reads them. */
static void
check_tokens(const char *tokens, const char *url, const struct form *post)
{
	const char	*tok, *end;
	size_t		 len;
	int		 n = 0;

	for (tok = tokens; *tok != '\0' && n < 8; tok = *end ? end + 1 : end) {
		end = tok + strcspn(tok, ",");
		len = (size_t)(end - tok);
		while (len > 0 && (*tok == ' ' || *tok == '\t')) {
			tok++;
			len--;
		}
		while (len > 0 && (tok[len - 1] == ' ' || tok[len - 1] == '\t'))
			len--;
		if (len > 0) {
			check_token(tok, len, tokens, url, post);
			n++;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields	 f;
	struct twilio_url_parts	 u;
	struct buf		 url, want;
	struct form		 post;
	char			 sig[TWILIO_SIGLEN + 1];
	const char		*err, *tokens, *signature;
	int			 rc, wrc, posted = 0;

	if (fuzz_split(&f, data, size, F_COUNT) == -1)
		return 0;
	u.https = f.field[F_HTTPS];
	u.host = f.field[F_HOST];
	u.server_name = f.field[F_SERVER_NAME];
	u.server_port = f.field[F_SERVER_PORT];
	u.request_uri = f.field[F_REQUEST_URI];
	u.script_name = f.field[F_SCRIPT_NAME];
	u.path_info = f.field[F_PATH_INFO];
	u.query_string = f.field[F_QUERY_STRING];
	u.webhook_url = f.field[F_WEBHOOK_URL];
	tokens = f.field[F_TOKENS];
	signature = f.field[F_SIGNATURE];

	buf_init(&url, URL_BUF_MAX);
	buf_init(&want, 1024 * 1024);
	form_init(&post);
	rc = twilio_url(&url, &u);
	wrc = expected_url(&want, &u);
	if (rc != wrc && want.len < URL_BUF_MAX)
		fuzz_fail("twilio_url gives %d, the oracle %d", rc, wrc);
	if (rc == 0 && strcmp(buf_str(&url), buf_str(&want)) != 0)
		fuzz_fail("twilio_url gives \"%s\", the oracle \"%s\"",
		    buf_str(&url), buf_str(&want));
	if (rc == -1)
		goto done;

	if (f.field[F_BODY] != NULL)
		posted = form_parse(&post, f.field[F_BODY], f.len[F_BODY],
		    &err) == 0;

	/* Whatever arrives must be judged without crashing. */
	twilio_verify(tokens, buf_str(&url), posted ? &post : NULL,
	    signature);
	if (tokens != NULL)
		twilio_sign(tokens, strlen(tokens), buf_str(&url), NULL, sig);

	if (tokens != NULL) {
		check_tokens(tokens, buf_str(&url), NULL);
		if (posted)
			check_tokens(tokens, buf_str(&url), &post);
	}
done:
	form_free(&post);
	buf_free(&url);
	buf_free(&want);
	fuzz_fields_free(&f);
	return 0;
}
