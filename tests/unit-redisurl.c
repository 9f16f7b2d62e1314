/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of redisurl.c: the TCP and unix forms with their defaults,
 * the percent-decoded password, [IPv6] hosts, every refused shape with its
 * reason (never quoting the password), the bounds, and the masked form
 * --check prints.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "redisurl.h"
#include "tap.h"

#define SECRET	"s3cr%2Ft"	/* decodes to s3cr/t */

static void
test_good(void)
{
	struct redisurl	 u;
	const char	*errstr = NULL;

	ok(redisurl_parse("redis://127.0.0.1", &u, &errstr) == 0,
	    "a host alone");
	is_str(u.host, "127.0.0.1", "its host");
	is_int(u.port, 6379, "the default port");
	is_int(u.db, 0, "the default database");
	is_int(u.has_password, 0, "no password");
	is_int(u.is_unix, 0, "not a unix socket");

	ok(redisurl_parse("redis://:" SECRET "@redis.internal:6380/3", &u,
	    &errstr) == 0, "password, host, port and database");
	is_str(u.password, "s3cr/t", "the password, percent-decoded");
	is_str(u.host, "redis.internal", "the host after the password");
	is_int(u.port, 6380, "the port");
	is_int(u.db, 3, "the database");

	ok(redisurl_parse("REDIS://[::1]:7000/", &u, &errstr) == 0,
	    "an IPv6 address, the scheme in capitals, an empty database");
	is_str(u.host, "::1", "the address without its brackets");
	is_int(u.port, 7000, "its port");
	is_int(u.db, 0, "an empty database is 0");

	ok(redisurl_parse("redis://:p@ss@h", &u, &errstr) == -1,
	    "a raw @ inside the password is refused");
	ok(redisurl_parse("redis://:p%40ss:x@h", &u, &errstr) == 0,
	    "%40 and : inside the password");
	is_str(u.password, "p@ss:x", "decoded");

	ok(redisurl_parse("unix:/run/redis/redis.sock", &u, &errstr) == 0,
	    "a unix socket");
	is_int(u.is_unix, 1, "is unix");
	is_str(u.path, "/run/redis/redis.sock", "its path");
}

/* s is refused with a reason containing want, which never has SECRET. */
static void
refused(const char *s, const char *want)
{
	struct redisurl	 u;
	const char	*errstr = NULL;

	ok(redisurl_parse(s, &u, &errstr) == -1, "refused: %s", s);
	has_str(errstr, want, "its reason: %s", want);
	ok(errstr == NULL || strstr(errstr, "s3cr") == NULL,
	    "the reason does not quote the password");
}

static void
accepted(const char *s, const char *desc)
{
	struct redisurl	 u;
	const char	*errstr = NULL;

	ok(redisurl_parse(s, &u, &errstr) == 0, "accepted: %s", desc);
}

static void
test_bad(void)
{
	char	 longer[REDISURL_MAX + 2], path[200];

	refused("", "empty");
	refused("http://h", "not redis://");
	refused("rediss://:" SECRET "@h", "TLS");
	refused("redis://", "not a host name");
	refused("redis://:" SECRET "@", "not a host name");
	refused("redis://h_x", "not a host name");
	refused("redis://-h", "not a host name");
	refused("redis://.h:1", "not a host name");
	refused("redis://h:0", "port");
	refused("redis://h:65536", "port");
	refused("redis://h:63a", "port");
	refused("redis://h:", "port");
	refused("redis://h/65536", "database");
	refused("redis://h/1?x=1", "database");
	refused("redis://h/-1", "database");
	refused("redis://user:" SECRET "@h", "user name");
	refused("redis://:@h", "empty");
	refused("redis://:s3cr%2@h", "hexadecimal");
	refused("redis://:s3cr%zz@h", "hexadecimal");
	refused("redis://:s3cr%00@h", "NUL");
	refused("redis://:s3cr t@h", "percent-encode");
	refused("redis://:s3cr\x01@h", "percent-encode");
	refused("redis://[::1", "not a host name");
	refused("redis://[]", "not a host name");
	refused("redis://[::1]x", "not a host name");
	refused("redis://[g::1]", "not a host name");
	refused("unix:redis.sock", "absolute");
	refused("unix:/run/re dis.sock", "printable");
	refused("unix:/run/\xc3\xa9.sock", "printable");

	memcpy(path, "unix:/", 6);
	memset(path + 6, 'p', 107);		/* a path of 108 bytes */
	path[6 + 107] = '\0';
	refused(path, "107 bytes");
	path[6 + 106] = '\0';
	accepted(path, "a socket path of 107 bytes");

	memcpy(longer, "redis://", 8);
	memset(longer + 8, 'h', sizeof(longer) - 9);
	longer[sizeof(longer) - 1] = '\0';
	refused(longer, "1024");
	longer[8 + 254] = '\0';
	refused(longer, "253");
	longer[8 + 253] = '\0';
	accepted(longer, "a host of 253 bytes");
}

static void
test_password_bound(void)
{
	struct redisurl	 u;
	const char	*errstr = NULL;
	char		 s[8 + 1 + 600 + 3];

	memcpy(s, "redis://:", 9);
	memset(s + 9, 'x', 512);
	memcpy(s + 9 + 512, "@h", 3);
	ok(redisurl_parse(s, &u, &errstr) == 0, "a password of 512 bytes");
	is_int(strlen(u.password), 512, "kept whole");
	memset(s + 9, 'x', 513);
	memcpy(s + 9 + 513, "@h", 3);
	ok(redisurl_parse(s, &u, &errstr) == -1, "513 bytes are refused");
	has_str(errstr, "512", "saying the bound");
}

static void
test_mask(void)
{
	char	 out[REDISURL_MAX + 16];

	ok(redisurl_mask("redis://:" SECRET "@h:1/2", out, sizeof(out)) == 0,
	    "mask a URL with a password");
	is_str(out, "redis://:********@h:1/2", "the password masked");
	ok(redisurl_mask("redis://:a%40b@h", out, sizeof(out)) == 0,
	    "mask a password with %40");
	is_str(out, "redis://:********@h", "all of it masked");
	ok(redisurl_mask("redis://h:1", out, sizeof(out)) == 0,
	    "no password");
	is_str(out, "redis://h:1", "unchanged");
	ok(redisurl_mask("unix:/r.sock", out, sizeof(out)) == 0, "unix");
	is_str(out, "unix:/r.sock", "unchanged");
	ok(redisurl_mask("redis://:" SECRET "@h", out, 10) == -1,
	    "a buffer too small fails");
	ok(redisurl_mask("redis://user:" SECRET "@h", out, sizeof(out)) == -1,
	    "a URL that does not parse fails");
}

int
main(void)
{
	test_good();
	test_bad();
	test_password_bound();
	test_mask();
	return done_testing();
}
