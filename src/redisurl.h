/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * SYNTHFLOW_DEDUP_REDIS: where the shared CallSid table lives, written
 * redis://[:password@]host[:port][/db] or unix:/path/redis.sock. The value
 * comes from an operator's file or environment but is parsed as hostile:
 * bounded lengths, a closed set of characters, every number in range.
 */
#ifndef REDISURL_H
#define REDISURL_H

#include <stddef.h>

#define REDISURL_MAX		1024	/* the whole setting */
#define REDISURL_HOST_MAX	253	/* a DNS name; [IPv6] kept bracketed */
#define REDISURL_PATH_MAX	107	/* sockaddr_un's sun_path less its NUL */
#define REDISURL_PASSWORD_MAX	512	/* once percent-decoded */
#define REDISURL_PORT		6379
#define REDISURL_DB_MAX		65535

struct redisurl {
	int	 is_unix;			/* path, else host and port */
	char	 host[REDISURL_HOST_MAX + 1];	/* [::1] as ::1 */
	char	 path[REDISURL_PATH_MAX + 1];
	int	 port;
	int	 db;				/* SELECT it when not 0 */
	int	 has_password;			/* it may be empty */
	char	 password[REDISURL_PASSWORD_MAX + 1];
};

/*
 * Parse s into *u: 0, or -1 with *errstr saying what is wrong (a static
 * string that never quotes the value, so never the password).
 */
int	redisurl_parse(const char *s, struct redisurl *u, const char **errstr);
/*
 * s with its password, if any, written as ********, into out: 0, or -1
 * when s is not a URL redisurl_parse takes or out is too small.
 */
int	redisurl_mask(const char *s, char *out, size_t outlen);

#endif
