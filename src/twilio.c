/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The Twilio request signature: base64(HMAC-SHA1(token, URL + sorted POST
 * parameters)), or with a shared key the HMAC its settings header names
 * (HMAC-SHA256) over the same string. This file owns the URL rebuild, the
 * header's reading and the comparison; the decoding of the parameters is
 * form.c's, the HMACs and base64 OpenSSL's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pthread.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "twilio.h"

#define URL_MAX		8192	/* nginx's largest default header buffer */
#define SIGNED_MAX	(2 * 1024 * 1024)

static int
nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

/* The query string of the request, '?' included, or "". */
static const char *
request_query(const struct twilio_url_parts *u)
{
	const char	*q;

	if (nonempty(u->request_uri))
		return (q = strchr(u->request_uri, '?')) != NULL ? q : "";
	return NULL;
}

int
twilio_url(struct buf *out, const struct twilio_url_parts *u)
{
	const char	*scheme, *query;
	int		 https, rc = 0;

	buf_reset(out);
	if (nonempty(u->webhook_url)) {
		rc |= buf_addstr(out, u->webhook_url);
		if ((query = request_query(u)) != NULL)
			rc |= buf_addstr(out, query);
		else if (nonempty(u->query_string))
			rc |= buf_printf(out, "?%s", u->query_string);
		return rc;
	}
	https = u->https != NULL && strcasecmp(u->https, "on") == 0;
	scheme = https ? "https" : "http";
	if (nonempty(u->host))
		rc |= buf_printf(out, "%s://%s", scheme, u->host);
	else if (nonempty(u->server_name)) {
		rc |= buf_printf(out, "%s://%s", scheme, u->server_name);
		if (nonempty(u->server_port) &&
		    strcmp(u->server_port, https ? "443" : "80") != 0)
			rc |= buf_printf(out, ":%s", u->server_port);
	} else
		return -1;
	if (nonempty(u->request_uri))
		rc |= buf_addstr(out, u->request_uri);
	else {
		rc |= buf_addstr(out, nonempty(u->script_name) ?
		    u->script_name : "/");
		if (nonempty(u->path_info))
			rc |= buf_addstr(out, u->path_info);
		if (nonempty(u->query_string))
			rc |= buf_printf(out, "?%s", u->query_string);
	}
	return rc;
}

/*
 * The other form of url Twilio may have signed: without its port when it
 * has one, with the scheme's default port when it has none.
 */
static int
url_port_variant(struct buf *out, const char *url)
{
	const char	*auth, *end, *colon, *bracket;
	const char	*port;

	buf_reset(out);
	if (strncasecmp(url, "https://", 8) == 0) {
		auth = url + 8;
		port = "443";
	} else if (strncasecmp(url, "http://", 7) == 0) {
		auth = url + 7;
		port = "80";
	} else
		return -1;
	end = auth + strcspn(auth, "/?#");
	if ((bracket = memchr(auth, ']', (size_t)(end - auth))) != NULL)
		colon = memchr(bracket, ':', (size_t)(end - bracket));
	else
		colon = memchr(auth, ':', (size_t)(end - auth));
	if (colon != NULL) {
		if (buf_add(out, url, (size_t)(colon - url)) == -1 ||
		    buf_addstr(out, end) == -1)
			return -1;
	} else if (buf_add(out, url, (size_t)(end - url)) == -1 ||
	    buf_printf(out, ":%s%s", port, end) == -1)
		return -1;
	return 0;
}

static int
pair_cmp(const void *a, const void *b)
{
	const struct form_pair	*x = *(const struct form_pair * const *)a;
	const struct form_pair	*y = *(const struct form_pair * const *)b;
	int			 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->value, y->value);
}

/* url followed by the sorted, de-duplicated POST parameters. */
static int
signed_data(struct buf *out, const char *url, const struct form *post)
{
	const struct form_pair	**sorted, *prev = NULL;
	size_t			  i;
	int			  rc = 0;

	buf_reset(out);
	if (buf_addstr(out, url) == -1)
		return -1;
	if (post == NULL || post->n == 0)
		return 0;
	if ((sorted = calloc(post->n, sizeof(*sorted))) == NULL)
		return -1;
	for (i = 0; i < post->n; i++)
		sorted[i] = &post->pairs[i];
	qsort(sorted, post->n, sizeof(*sorted), pair_cmp);
	for (i = 0; i < post->n && rc == 0; i++) {
		if (prev != NULL && pair_cmp(&prev, &sorted[i]) == 0)
			continue;	/* an exact duplicate counts once */
		rc |= buf_addstr(out, sorted[i]->name);
		rc |= buf_addstr(out, sorted[i]->value);
		prev = sorted[i];
	}
	free(sorted);
	return rc;
}

/*
 * An HMAC context per algorithm with its digest already set, fetched once:
 * a fetch per request costs more than the hash itself. Each thread keys
 * dups of them (keyed_ctx below).
 */
static const struct {
	const char	*digest;	/* OpenSSL's name */
	size_t		 maclen;
	size_t		 siglen;	/* of its base64 */
} algs[] = {
	[TWILIO_HMAC_SHA1] = { "SHA1", 20, TWILIO_SIGLEN },
	[TWILIO_HMAC_SHA256] = { "SHA256", 32, TWILIO_SIGLEN_MAX },
};
#define NALGS	(sizeof(algs) / sizeof(algs[0]))
static EVP_MAC_CTX	*hmac_ctx[NALGS];
static pthread_once_t	 hmac_once = PTHREAD_ONCE_INIT;
static pthread_key_t	 keyed_tls;	/* a thread's struct keyed_cache */
static int		 keyed_ok;
static void		 keyed_free(void *);

static void
hmac_setup(void)
{
	OSSL_PARAM	 params[2];
	EVP_MAC		*mac;
	size_t		 i;

	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return;
	for (i = 0; i < NALGS; i++) {
		params[0] = OSSL_PARAM_construct_utf8_string(
		    OSSL_MAC_PARAM_DIGEST, (char *)algs[i].digest, 0);
		params[1] = OSSL_PARAM_construct_end();
		if ((hmac_ctx[i] = EVP_MAC_CTX_new(mac)) != NULL &&
		    EVP_MAC_CTX_set_params(hmac_ctx[i], params) != 1) {
			EVP_MAC_CTX_free(hmac_ctx[i]);
			hmac_ctx[i] = NULL;
		}
	}
	EVP_MAC_free(mac);	/* the contexts keep their own reference */
	keyed_ok = pthread_key_create(&keyed_tls, keyed_free) == 0;
}

/*
 * Each thread keeps the contexts of the last keys it used with their key
 * already set: setting a key costs a dup and two hash blocks, more than
 * hashing a request's signed data. A few, for a list of keys is checked
 * whole; the oldest makes room (settings reloaded with other keys).
 */
#define KEYED_MAX	4
struct keyed {
	enum twilio_alg	 alg;
	char		*key;
	size_t		 keylen;
	EVP_MAC_CTX	*ctx;
};
struct keyed_cache {
	struct keyed	 e[KEYED_MAX];
	size_t		 next;		/* the entry to replace */
};
static void
keyed_clear(struct keyed *k)
{
	if (k->key != NULL) {
		OPENSSL_cleanse(k->key, k->keylen);
		free(k->key);
	}
	EVP_MAC_CTX_free(k->ctx);
	memset(k, 0, sizeof(*k));
}

static void
keyed_free(void *arg)
{
	struct keyed_cache	*c = arg;
	size_t			 i;

	for (i = 0; i < KEYED_MAX; i++)
		keyed_clear(&c->e[i]);
	free(c);
}

/* A context for alg keyed with key, ready for data; NULL on failure. */
static EVP_MAC_CTX *
keyed_ctx(enum twilio_alg alg, const char *key, size_t keylen)
{
	struct keyed_cache	*c;
	struct keyed		*k;
	size_t			 i;

	if (!keyed_ok || hmac_ctx[alg] == NULL)
		return NULL;
	if ((c = pthread_getspecific(keyed_tls)) == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return NULL;
		if (pthread_setspecific(keyed_tls, c) != 0) {
			free(c);
			return NULL;
		}
	}
	for (i = 0; i < KEYED_MAX; i++) {
		k = &c->e[i];
		if (k->ctx != NULL && k->alg == alg && k->keylen == keylen &&
		    memcmp(k->key, key, keylen) == 0)
			/* No key: OpenSSL starts again from the one set. */
			return EVP_MAC_init(k->ctx, NULL, 0, NULL) == 1 ?
			    k->ctx : NULL;
	}
	k = &c->e[c->next];
	c->next = (c->next + 1) % KEYED_MAX;
	keyed_clear(k);
	if ((k->key = malloc(keylen)) == NULL ||
	    (k->ctx = EVP_MAC_CTX_dup(hmac_ctx[alg])) == NULL ||
	    EVP_MAC_init(k->ctx, (const unsigned char *)key, keylen,
	    NULL) != 1) {
		keyed_clear(k);
		return NULL;
	}
	memcpy(k->key, key, keylen);
	k->alg = alg;
	k->keylen = keylen;
	return k->ctx;
}

/* base64(HMAC(key, data)) with alg into sig (algs[alg].siglen + 1). */
static int
hmac_b64(enum twilio_alg alg, const char *key, size_t keylen,
    const struct buf *data, char *sig)
{
	EVP_MAC_CTX	*ctx;
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	size_t		 maclen = 0;

	pthread_once(&hmac_once, hmac_setup);
	if ((ctx = keyed_ctx(alg, key, keylen)) == NULL ||
	    EVP_MAC_update(ctx, (const unsigned char *)buf_str(data),
	    data->len) != 1 ||
	    EVP_MAC_final(ctx, mac, &maclen, sizeof(mac)) != 1 ||
	    maclen != algs[alg].maclen)
		return -1;
	EVP_EncodeBlock((unsigned char *)sig, mac, (int)maclen);
	return 0;
}

int
twilio_sign_alg(enum twilio_alg alg, const char *key, size_t keylen,
    const char *url, const struct form *post, char *sig)
{
	struct buf	 data;
	int		 rc;

	buf_init(&data, SIGNED_MAX);
	rc = signed_data(&data, url, post);
	if (rc == 0)
		rc = hmac_b64(alg, key, keylen, &data, sig);
	buf_free(&data);
	return rc;
}

int
twilio_sign(const char *token, size_t tokenlen, const char *url,
    const struct form *post, char sig[TWILIO_SIGLEN + 1])
{
	return twilio_sign_alg(TWILIO_HMAC_SHA1, token, tokenlen, url, post,
	    sig);
}

/*
 * The next item of the comma-separated list at *list, blanks trimmed: its
 * start, its length in *len; NULL past the end.
 */
static const char *
list_next(const char **list, size_t *len)
{
	const char	*item = *list, *end;

	if (*item == '\0')
		return NULL;
	end = item + strcspn(item, ",");
	*list = *end != '\0' ? end + 1 : end;
	while (item < end && (*item == ' ' || *item == '\t'))
		item++;
	while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*len = (size_t)(end - item);
	return item;
}

/* 0 when one of the keys signs data as signature with alg. */
static int
match_keys(enum twilio_alg alg, const char *keys, const struct buf *data,
    const char *signature)
{
	char		 sig[TWILIO_SIGLEN_MAX + 1];
	const char	*tok;
	size_t		 len;
	int		 matched = 0;

	while ((tok = list_next(&keys, &len)) != NULL) {
		if (len == 0 || hmac_b64(alg, tok, len, data, sig) == -1)
			continue;
		/* Check every key, so timing does not tell which matched. */
		matched |= CRYPTO_memcmp(sig, signature, algs[alg].siglen) ==
		    0;
	}
	return matched ? 0 : -1;
}

/* twilio_verify with alg and its keys. */
static int
verify_alg(enum twilio_alg alg, const char *keys, const char *url,
    const struct form *post, const char *signature)
{
	struct buf	 data, variant;
	int		 rc = -1;

	if (keys == NULL || signature == NULL ||
	    strlen(signature) != algs[alg].siglen)
		return -1;
	buf_init(&data, SIGNED_MAX);
	buf_init(&variant, URL_MAX);
	if (signed_data(&data, url, post) == 0)
		rc = match_keys(alg, keys, &data, signature);
	if (rc == -1 && url_port_variant(&variant, url) == 0 &&
	    signed_data(&data, buf_str(&variant), post) == 0)
		rc = match_keys(alg, keys, &data, signature);
	buf_free(&data);
	buf_free(&variant);
	return rc;
}

int
twilio_verify(const char *tokens, const char *url, const struct form *post,
    const char *signature)
{
	return verify_alg(TWILIO_HMAC_SHA1, tokens, url, post, signature);
}

int
twilio_sig_settings(const char *value, enum twilio_alg *alg)
{
	const char	*p, *v;
	size_t		 len;
	int		 found = 0;

	while ((p = list_next(&value, &len)) != NULL) {
		if (len < 10 || strncasecmp(p, "algorithm=", 10) != 0)
			continue;	/* key=<id>, or what Twilio adds */
		v = p + 10;
		len -= 10;
		if (found++ > 0 || len != 11 ||
		    strncasecmp(v, "HMAC_SHA256", 11) != 0)
			return -1;
		*alg = TWILIO_HMAC_SHA256;
	}
	return found == 1 ? 0 : -1;
}

int
twilio_check(const char *tokens, const char *shared_keys,
    const char *settings, const char *url, const struct form *post,
    const char *signature)
{
	enum twilio_alg	 alg;

	if (settings == NULL)
		return twilio_verify(tokens, url, post, signature);
	if (twilio_sig_settings(settings, &alg) == -1)
		return -1;
	return verify_alg(alg, shared_keys, url, post, signature);
}
