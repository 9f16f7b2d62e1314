/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The list of SYNTHFLOW_SIP_HEADERS. Header names are held to what Twilio
 * stamps on the INVITE: X- and then letters, digits, '-' and '_', never
 * X-Twilio* (Twilio's own) nor X-EI (the call's token, written by twiml.c).
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "sipheaders.h"

#define BLANKS	" \t"

/* The result of a failed check: -1 with why in *errstr. */
static int
refuse(const char *why, const char **errstr)
{
	*errstr = why;
	return -1;
}

/* Split one "Param:X-Header" entry of n bytes: 0, or -1 with *errstr. */
static int
split(const char *p, size_t n, struct sipheader *h, const char **errstr)
{
	const char	*colon;
	size_t		 plen, hlen;

	while (n > 0 && strchr(BLANKS, p[n - 1]) != NULL)
		n--;
	if ((colon = memchr(p, ':', n)) == NULL)
		return refuse("an entry is not Param:X-Header", errstr);
	plen = (size_t)(colon - p);
	hlen = n - plen - 1;
	if (plen >= SIPHEADERS_NAME_MAX || !ascii_name(p, plen))
		return refuse("a parameter name is not letters, digits and _",
		    errstr);
	if (hlen < 3 || hlen >= SIPHEADERS_NAME_MAX ||
	    strncasecmp(colon + 1, "X-", 2) != 0 ||
	    !ascii_header_token(colon + 3, hlen - 2))
		return refuse("a header name is not X- and letters, digits, - "
		    "and _", errstr);
	if (strncasecmp(colon + 1, "X-Twilio", 8) == 0)
		return refuse("X-Twilio headers are Twilio's own", errstr);
	if (hlen == 4 && strncasecmp(colon + 1, "X-EI", 4) == 0)
		return refuse("X-EI carries the call's token", errstr);
	memcpy(h->param, p, plen);
	h->param[plen] = '\0';
	memcpy(h->header, colon + 1, hlen);
	h->header[hlen] = '\0';
	return 0;
}

/*
 * Walk the list into out (at most max entries, their count in *count);
 * stops at the first problem: 0, or -1 with *errstr.
 */
static int
walk(const char *spec, struct sipheader *out, size_t max, size_t *count,
    const char **errstr)
{
	struct sipheader	 h;
	size_t			 len, i;

	*count = 0;
	for (;;) {
		spec += strspn(spec, BLANKS);
		len = strcspn(spec, ",");
		if (split(spec, len, &h, errstr) == -1)
			return -1;
		for (i = 0; i < *count; i++)
			if (strcasecmp(out[i].header, h.header) == 0)
				return refuse("a header name is repeated",
				    errstr);
		if (*count == max)
			return refuse("more than 32 entries", errstr);
		out[(*count)++] = h;
		if (spec[len] == '\0')
			return 0;
		spec += len + 1;
	}
}

int
sipheaders_check(const char *spec, const char **errstr)
{
	struct sipheader	 h[SIPHEADERS_MAX];
	size_t			 n;

	return walk(spec, h, SIPHEADERS_MAX, &n, errstr);
}

size_t
sipheaders_parse(const char *spec, struct sipheader *out, size_t max)
{
	const char	*errstr;
	size_t		 n;

	(void)walk(spec, out, max, &n, &errstr);
	return n;
}
