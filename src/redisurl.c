/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The Redis address of SYNTHFLOW_DEDUP_REDIS. The URL form is the one of
 * redis-cli -u, cut down to what the program uses: a password (the user
 * name of Redis 6 ACLs is not taken), a host name or [IPv6] address, a
 * port and a database number. rediss:// is refused by name: Debian's
 * hiredis has no TLS. The unix: form has only the socket's path; its
 * password comes from SYNTHFLOW_DEDUP_REDIS_PASSWORD.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "redisurl.h"

#define TCP_PREFIX	"redis://"
#define TLS_PREFIX	"rediss://"
#define UNIX_PREFIX	"unix:"
#define MASK		"********"

/* A number of at most 5 digits in [min, max] from n bytes at s; -1 if not. */
static int
small_number(const char *s, size_t n, int min, int max)
{
	size_t	 i;
	int	 v = 0;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v < min || v > max ? -1 : v;
}

/* Printable ASCII but the space: what a path or a password may hold. */
static int
graphic(int c)
{
	return c > ' ' && c < 0x7f;
}

static int
parse_unix(const char *p, struct redisurl *u, const char **errstr)
{
	size_t	 n = strlen(p), i;

	if (p[0] != '/') {
		*errstr = "unix: needs an absolute path: unix:/path/redis.sock";
		return -1;
	}
	if (n > REDISURL_PATH_MAX) {
		*errstr = "the socket path is longer than 107 bytes";
		return -1;
	}
	for (i = 0; i < n; i++)
		if (!graphic((unsigned char)p[i])) {
			*errstr = "the socket path has a space or a byte that "
			    "is not printable ASCII";
			return -1;
		}
	u->is_unix = 1;
	memcpy(u->path, p, n + 1);
	return 0;
}

/* The password between ':' and '@', n bytes at s, percent-decoded. */
static int
parse_password(const char *s, size_t n, struct redisurl *u,
    const char **errstr)
{
	size_t	 i, o = 0;
	int	 hi, lo, c;

	if (n == 0 || s[0] != ':') {
		*errstr = "a user name is not supported: redis://:password@host";
		return -1;
	}
	for (i = 1; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n ||
			    (hi = ascii_hexval((unsigned char)s[i + 1])) == -1 ||
			    (lo = ascii_hexval((unsigned char)s[i + 2])) == -1) {
				*errstr = "the password has a % not followed by "
				    "two hexadecimal digits";
				return -1;
			}
			c = hi << 4 | lo;
			i += 2;
			if (c == 0) {
				*errstr = "the password has a NUL byte (%00)";
				return -1;
			}
		} else if (!graphic(c) || c == '@') {
			*errstr = "the password has a space, an @ or a byte "
			    "that is not printable ASCII: percent-encode it";
			return -1;
		}
		if (o == REDISURL_PASSWORD_MAX) {
			*errstr = "the password is longer than 512 bytes";
			return -1;
		}
		u->password[o++] = (char)c;
	}
	if (o == 0) {
		*errstr = "the password is empty: leave out ':@'";
		return -1;
	}
	u->password[o] = '\0';
	u->has_password = 1;
	return 0;
}

/* host[:port], n bytes at s; the host by ascii.h's rule. */
static int
parse_hostport(const char *s, size_t n, struct redisurl *u,
    const char **errstr)
{
	const char	*end = s + n, *colon;
	size_t		 hlen;

	if (n > 0 && s[0] == '[')
		colon = memchr(s, ']', n) != NULL ?
		    (const char *)memchr(s, ']', n) + 1 : end;
	else if ((colon = memchr(s, ':', n)) == NULL)
		colon = end;
	hlen = (size_t)(colon - s);
	if ((colon < end && *colon != ':') || !ascii_host(s, hlen) ||
	    hlen > REDISURL_HOST_MAX) {
		*errstr = "not a host name or [IPv6] address of at most 253 "
		    "bytes";
		return -1;
	}
	/* hiredis takes an IPv6 address without its brackets. */
	if (s[0] == '[') {
		s++;
		hlen -= 2;
	}
	memcpy(u->host, s, hlen);
	u->host[hlen] = '\0';
	if (colon < end && (u->port = small_number(colon + 1,
	    (size_t)(end - colon - 1), 1, 65535)) == -1) {
		*errstr = "the port is not a number from 1 to 65535";
		return -1;
	}
	return 0;
}

static int
parse_tcp(const char *p, struct redisurl *u, const char **errstr)
{
	const char	*slash, *at;
	size_t		 alen, i;

	slash = strchr(p, '/');
	alen = slash != NULL ? (size_t)(slash - p) : strlen(p);
	/* The last @ ends the password: any other must be %40. */
	for (at = NULL, i = 0; i < alen; i++)
		if (p[i] == '@')
			at = p + i;
	if (at != NULL) {
		if (parse_password(p, (size_t)(at - p), u, errstr) == -1)
			return -1;
		alen -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (parse_hostport(p, alen, u, errstr) == -1)
		return -1;
	if (slash != NULL && slash[1] != '\0' &&
	    (u->db = small_number(slash + 1, strlen(slash + 1), 0,
	    REDISURL_DB_MAX)) == -1) {
		*errstr = "the database is not a number from 0 to 65535";
		return -1;
	}
	return 0;
}

int
redisurl_parse(const char *s, struct redisurl *u, const char **errstr)
{
	memset(u, 0, sizeof(*u));
	u->port = REDISURL_PORT;
	if (s == NULL || *s == '\0') {
		*errstr = "empty";
		return -1;
	}
	if (strnlen(s, REDISURL_MAX + 1) > REDISURL_MAX) {
		*errstr = "longer than 1024 bytes";
		return -1;
	}
	if (strncmp(s, UNIX_PREFIX, strlen(UNIX_PREFIX)) == 0)
		return parse_unix(s + strlen(UNIX_PREFIX), u, errstr);
	if (strncasecmp(s, TLS_PREFIX, strlen(TLS_PREFIX)) == 0) {
		*errstr = "rediss:// (TLS) is not supported, hiredis is built "
		    "without TLS: reach Redis over a unix socket or a private "
		    "network";
		return -1;
	}
	if (strncasecmp(s, TCP_PREFIX, strlen(TCP_PREFIX)) != 0) {
		*errstr = "not redis://[:password@]host[:port][/db] or "
		    "unix:/path";
		return -1;
	}
	return parse_tcp(s + strlen(TCP_PREFIX), u, errstr);
}

int
redisurl_mask(const char *s, char *out, size_t outlen)
{
	struct redisurl	 u;
	const char	*errstr, *p, *at;
	int		 n;

	if (redisurl_parse(s, &u, &errstr) == -1)
		return -1;
	if (!u.has_password)
		n = snprintf(out, outlen, "%s", s);
	else {
		/* Parsed: the last @ before the path ends the password. */
		p = s + strlen(TCP_PREFIX);
		for (at = p; *p != '\0' && *p != '/'; p++)
			if (*p == '@')
				at = p + 1;
		n = snprintf(out, outlen, "%.*s:" MASK "@%s",
		    (int)strlen(TCP_PREFIX), s, at);
	}
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}
