/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The rules of the ASCII inputs (see ascii.h). Each is a loop over one
 * character class; what the input means, and how long it may be, is the
 * business of the module that reads it.
 */
#include "config.h"

#include <string.h>

#include "ascii.h"

/* 1 when n > 0 and every byte at s is alphanumeric or in extra. */
static int
alnum_and(const char *s, size_t n, const char *extra)
{
	size_t	 i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!ascii_is_alnum((unsigned char)s[i]) &&
		    (s[i] == '\0' || strchr(extra, s[i]) == NULL))
			return 0;
	return 1;
}

int
ascii_sid(const char *s, size_t n)
{
	return n <= ASCII_SID_MAX && alnum_and(s, n, "");
}

int
ascii_sip_user(const char *s, size_t n)
{
	return alnum_and(s, n, "+-._");
}

int
ascii_id(const char *s, size_t n)
{
	return alnum_and(s, n, "-._");
}

int
ascii_name(const char *s, size_t n)
{
	return alnum_and(s, n, "_");
}

int
ascii_env_name(const char *s, size_t n)
{
	return ascii_name(s, n) && !ascii_is_digit((unsigned char)s[0]);
}

int
ascii_header_token(const char *s, size_t n)
{
	return alnum_and(s, n, "-_");
}

int
ascii_host(const char *s, size_t n)
{
	size_t	 i;

	if (n > 0 && s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return 0;
		for (i = 1; i < n - 1; i++)
			if (ascii_hexval((unsigned char)s[i]) == -1 &&
			    s[i] != ':' && s[i] != '.')
				return 0;
		return 1;
	}
	return alnum_and(s, n, ".-") && s[0] != '-' && s[0] != '.';
}

int
ascii_http_url(const char *s, size_t n)
{
	size_t	 i;

	if (!(n >= 8 && strncmp(s, "https://", 8) == 0) &&
	    !(n >= 7 && strncmp(s, "http://", 7) == 0))
		return 0;
	for (i = 0; i < n; i++)
		if (!ascii_is_print((unsigned char)s[i]) || s[i] == ' ' ||
		    strchr("\"<>\\^`{|}", s[i]) != NULL)
			return 0;
	return 1;
}
