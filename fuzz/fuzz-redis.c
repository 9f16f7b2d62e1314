/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of the Redis client's two parsers of hostile bytes. The
 * input is two NUL-separated fields: a SYNTHFLOW_DEDUP_REDIS value, and
 * raw RESP (the rest) as a broken or hostile server could send it. The URL
 * is held against its syntax written again here (scheme, bounds, the
 * password percent-decoded) and against its masked form, which must parse
 * to the same place with the password "********". The RESP is read by
 * hiredis' own reader into up to two replies, judged as a claim (SET's
 * and GET's replies) and as a lone look; each judgement must follow from
 * the replies' shapes alone: an owner only after +OK, a wait only on the
 * bulk string "pending", an id only a bulk string of the id syntax, copied
 * exactly. Without hiredis only the URL is fuzzed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "redisurl.h"
#ifdef HAVE_HIREDIS
#include "redisreply.h"
#endif

/* A hex digit's value, written again: -1 for anything else. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The URL's password, decoded by the oracle; NULL when it has none. */
static char *
oracle_password(const char *s, char *out)
{
	const char	*p = s + 8, *at = NULL, *end;
	size_t		 o = 0;

	for (end = p; *end != '\0' && *end != '/'; end++)
		if (*end == '@')
			at = end;
	if (at == NULL)
		return NULL;
	for (p++; p < at; p++) {	/* past the ':' */
		if (*p == '%') {
			out[o++] = (char)(hexval(p[1]) << 4 | hexval(p[2]));
			p += 2;
		} else
			out[o++] = *p;
	}
	out[o] = '\0';
	return out;
}

static void
check_url(const char *s)
{
	struct redisurl	 u, m;
	const char	*errstr = NULL;
	char		 masked[REDISURL_MAX + 16], pw[REDISURL_MAX + 1];
	size_t		 i;
	int		 rc;

	rc = redisurl_parse(s, &u, &errstr);
	if (strncasecmp(s, "rediss://", 9) == 0 && rc == 0)
		fuzz_fail("rediss:// accepted");
	if (rc == -1) {
		if (errstr == NULL)
			fuzz_fail("refused without a reason");
		if (redisurl_mask(s, masked, sizeof(masked)) == 0)
			fuzz_fail("a refused URL masked");
		return;
	}
	if (strlen(s) > REDISURL_MAX)
		fuzz_fail("a URL longer than the bound accepted");
	if (u.is_unix) {
		if (strncmp(s, "unix:/", 6) != 0 || strcmp(u.path, s + 5) != 0)
			fuzz_fail("unix path %s from %s", u.path, s);
		for (i = 0; u.path[i] != '\0'; i++)
			if (u.path[i] <= ' ' || u.path[i] >= 0x7f)
				fuzz_fail("a path byte 0x%02x", u.path[i]);
		if (i > REDISURL_PATH_MAX || u.has_password)
			fuzz_fail("path bounds or a password");
	} else {
		if (strncasecmp(s, "redis://", 8) != 0 || u.host[0] == '\0' ||
		    strlen(u.host) > REDISURL_HOST_MAX || u.port < 1 ||
		    u.port > 65535 || u.db < 0 || u.db > REDISURL_DB_MAX)
			fuzz_fail("scheme, host, port or db out of bounds");
		if ((oracle_password(s, pw) != NULL) != u.has_password)
			fuzz_fail("a password seen by one side only");
		if (u.has_password && (strcmp(pw, u.password) != 0 ||
		    strlen(pw) > REDISURL_PASSWORD_MAX || pw[0] == '\0'))
			fuzz_fail("the password decoded otherwise");
	}
	if (redisurl_mask(s, masked, sizeof(masked)) == -1)
		fuzz_fail("an accepted URL not masked");
	if (redisurl_parse(masked, &m, &errstr) == -1)
		fuzz_fail("the masked URL does not parse: %s", errstr);
	if (m.is_unix != u.is_unix || strcmp(m.host, u.host) != 0 ||
	    strcmp(m.path, u.path) != 0 || m.port != u.port || m.db != u.db ||
	    m.has_password != u.has_password ||
	    (u.has_password && strcmp(m.password, "********") != 0))
		fuzz_fail("the masked URL goes elsewhere or keeps a password");
}

#ifdef HAVE_HIREDIS
/* The id syntax, written again: ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$. */
static int
id_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > SYNTHFLOW_ID_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (i == 0 || (s[i] != '.' && s[i] != '_' && s[i] != '-'))
			return 0;
	}
	return 1;
}

static int
is_bulk(const redisReply *r, const char *s)
{
	return r != NULL && r->type == REDIS_REPLY_STRING &&
	    (size_t)r->len == strlen(s) && memcmp(r->str, s, r->len) == 0;
}

static void
check_claim(const redisReply *set, const redisReply *get)
{
	char			 id[SYNTHFLOW_ID_MAX + 1];
	enum redisreply_claim	 v;
	int			 set_ok;

	set_ok = set != NULL && set->type == REDIS_REPLY_STATUS &&
	    set->len == 2 && memcmp(set->str, "OK", 2) == 0;
	if (redisreply_ok(set) != set_ok)
		fuzz_fail("+OK judged otherwise");
	v = redisreply_claim(set, get, id);
	if (set != NULL && !set_ok && set->type != REDIS_REPLY_NIL &&
	    v != REDISREPLY_BAD)
		fuzz_fail("a SET reply of type %d taken", set->type);
	switch (v) {
	case REDISREPLY_OWNER:
		if (!set_ok)
			fuzz_fail("an owner without +OK");
		break;
	case REDISREPLY_WAIT:
		if (!is_bulk(get, "pending"))
			fuzz_fail("a wait without \"pending\"");
		break;
	case REDISREPLY_GONE:
		if (get == NULL || get->type != REDIS_REPLY_NIL)
			fuzz_fail("gone without a nil");
		break;
	case REDISREPLY_ID:
		if (get == NULL || get->type != REDIS_REPLY_STRING ||
		    !id_ok(get->str, get->len) || strlen(id) != get->len ||
		    memcmp(id, get->str, get->len) != 0 ||
		    is_bulk(get, "pending"))
			fuzz_fail("an id taken from what is not one");
		break;
	case REDISREPLY_BAD:
		if (get != NULL && id_ok(get->str != NULL ? get->str : "",
		    get->type == REDIS_REPLY_STRING ? get->len : 0) &&
		    (set == NULL || set->type == REDIS_REPLY_NIL))
			fuzz_fail("a good id refused");
		break;
	}
}

static void
check_resp(const char *data, size_t n)
{
	redisReader	*rd;
	void		*r[2] = { NULL, NULL };

	if ((rd = redisReaderCreate()) == NULL)
		return;
	if (redisReaderFeed(rd, data, n) == REDIS_OK &&
	    redisReaderGetReply(rd, &r[0]) == REDIS_OK && r[0] != NULL)
		redisReaderGetReply(rd, &r[1]);
	redisReaderFree(rd);
	if (r[0] != NULL) {
		check_claim(r[0], r[1]);
		check_claim(NULL, r[0]);
		redisreply_deleted(r[0]);
	}
	if (r[0] != NULL)
		freeReplyObject(r[0]);
	if (r[1] != NULL)
		freeReplyObject(r[1]);
}
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields	 f;

	if (size > 8192 || fuzz_split(&f, data, size, 2) == -1)
		return 0;
	check_url(f.field[0] != NULL ? f.field[0] : "");
#ifdef HAVE_HIREDIS
	if (f.field[1] != NULL)
		check_resp(f.field[1], f.len[1]);
#endif
	fuzz_fields_free(&f);
	return 0;
}
