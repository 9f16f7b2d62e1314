/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The checks of a setting's value by its type. The character rules are
 * ascii.c's and utf8.c's, the lists' syntax their readers' (sipheaders.c,
 * refer.c, caller_deny.c, caller_limit.c); this maps a type to its rule
 * and the value to a number.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "caller_deny.h"
#include "caller_limit.h"
#include "redisurl.h"
#include "refer.h"
#include "settings.h"
#include "settings_value.h"
#include "sipheaders.h"
#include "utf8.h"

#define HOST_MAX	253	/* a DNS name */

static int
text_ok(const char *v)
{
	return utf8_text_ok(v, strlen(v));
}

static int
host_ok(const char *v)
{
	size_t	 n = strlen(v);

	return n <= HOST_MAX && ascii_host(v, n);
}

static int
url_ok(const char *v)
{
	return ascii_http_url(v, strlen(v));
}

/* A request path to compare with the request's: "/metrics". */
static int
path_ok(const char *v)
{
	return v[0] == '/' && text_ok(v) && strpbrk(v, " ?#%\"") == NULL;
}

static int
word_index(const char *const *words, const char *v)
{
	int	 i;

	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(words[i], v) == 0)
			return i;
	return -1;
}

/* The result of a check: 0, or -1 with why in *errstr. */
static int
checked(int ok, const char *why, const char **errstr)
{
	if (ok)
		return 0;
	*errstr = why;
	return -1;
}

static int
parse_number(const struct settings_def *d, const char *v, long *num,
    const char **errstr)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < d->min ||
	    n > d->max)
		return checked(0, "not a number in range", errstr);
	*num = n;
	return 0;
}

static int
parse_yesno(const char *v, long *num, const char **errstr)
{
	static const char *const yes[] = { "on", "true", "yes", "1", NULL };
	static const char *const no[] = { "off", "false", "no", "0", NULL };

	if (word_index(yes, v) != -1)
		*num = 1;
	else if (word_index(no, v) == -1)
		return checked(0, "not one of on/off, true/false, yes/no, 1/0",
		    errstr);
	return 0;
}

static int
parse_word(const struct settings_def *d, const char *v, long *num,
    const char **errstr)
{
	if ((*num = word_index(d->words, v)) == -1)
		return checked(0, "not one of the allowed words", errstr);
	return 0;
}

static int
parse_action(const char *v, long *num, const char **errstr)
{
	if (strcasecmp(v, "self") == 0)
		*num = ACTION_SELF;
	else if (strcasecmp(v, "off") == 0)
		*num = ACTION_OFF;
	else if (url_ok(v))
		*num = ACTION_URL;
	else
		return checked(0, "not self, off or an http:// or https:// URL",
		    errstr);
	return 0;
}

/* A Redis address; the password parsed out of it is wiped at once. */
static int
parse_redis(const char *v, const char **errstr)
{
	struct redisurl	 u;
	int		 rc;

	rc = redisurl_parse(v, &u, errstr);
	explicit_bzero(u.password, sizeof(u.password));
	return rc;
}

/* A list checked by its reader, which returns NULL or what is wrong. */
static int
list_checked(const char *why, const char **errstr)
{
	return checked(why == NULL, why, errstr);
}

int
settings_value_parse(const struct settings_def *d, const char *v, long *num,
    const char **errstr)
{
	long	 window;

	*num = 0;
	switch (d->type) {
	case T_TEXT:
		return checked(text_ok(v), "control character or invalid UTF-8",
		    errstr);
	case T_URL:
		return checked(url_ok(v), "not an http:// or https:// URL",
		    errstr);
	case T_HOST:
		return checked(host_ok(v), "not a host name", errstr);
	case T_SIPUSER:
		return checked(ascii_sip_user(v, strlen(v)),
		    "not a SIP user part of +, digits, letters, - . _", errstr);
	case T_NUMBER:
		return parse_number(d, v, num, errstr);
	case T_YESNO:
		return parse_yesno(v, num, errstr);
	case T_WORD:
		return parse_word(d, v, num, errstr);
	case T_PATH:
		return checked(path_ok(v), "not a path starting with /",
		    errstr);
	case T_ACTION:
		return parse_action(v, num, errstr);
	case T_HEADERS:
		return sipheaders_check(v, errstr);
	case T_ALLOW:
		return list_checked(refer_allow_check(v), errstr);
	case T_DENY:
		return caller_deny_check(v, errstr);
	case T_LIMIT:
		return caller_limit_parse(v, num, &window, errstr);
	case T_REDIS:
		return parse_redis(v, errstr);
	}
	return checked(0, "unknown type", errstr);
}
