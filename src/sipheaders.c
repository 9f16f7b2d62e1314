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

/* Split one "Param:X-Header" entry of n bytes; NULL or the problem. */
static const char *
split(const char *p, size_t n, struct sipheader *h)
{
	const char	*colon;
	size_t		 plen, hlen;

	while (n > 0 && strchr(BLANKS, p[n - 1]) != NULL)
		n--;
	if ((colon = memchr(p, ':', n)) == NULL)
		return "an entry is not Param:X-Header";
	plen = (size_t)(colon - p);
	hlen = n - plen - 1;
	if (plen >= SIPHEADERS_NAME_MAX || !ascii_name(p, plen))
		return "a parameter name is not letters, digits and _";
	if (hlen < 3 || hlen >= SIPHEADERS_NAME_MAX ||
	    strncasecmp(colon + 1, "X-", 2) != 0 ||
	    !ascii_header_token(colon + 3, hlen - 2))
		return "a header name is not X- and letters, digits, - and _";
	if (strncasecmp(colon + 1, "X-Twilio", 8) == 0)
		return "X-Twilio headers are Twilio's own";
	if (hlen == 4 && strncasecmp(colon + 1, "X-EI", 4) == 0)
		return "X-EI carries the call's token";
	memcpy(h->param, p, plen);
	h->param[plen] = '\0';
	memcpy(h->header, colon + 1, hlen);
	h->header[hlen] = '\0';
	return NULL;
}

/* Walk the list; stops at the first problem, which it returns. */
static const char *
walk(const char *spec, struct sipheader *out, size_t max, size_t *count)
{
	struct sipheader	 h;
	const char		*err;
	size_t			 len, i;

	*count = 0;
	for (;;) {
		spec += strspn(spec, BLANKS);
		len = strcspn(spec, ",");
		if ((err = split(spec, len, &h)) != NULL)
			return err;
		for (i = 0; i < *count && out != NULL; i++)
			if (strcasecmp(out[i].header, h.header) == 0)
				return "a header name is repeated";
		if (*count == max)
			return "more than 32 entries";
		if (out != NULL)
			out[*count] = h;
		(*count)++;
		if (spec[len] == '\0')
			return NULL;
		spec += len + 1;
	}
}

int
sipheaders_check(const char *spec, const char **errstr)
{
	struct sipheader	 h[SIPHEADERS_MAX];
	const char		*why;
	size_t			 n;

	if ((why = walk(spec, h, SIPHEADERS_MAX, &n)) == NULL)
		return 0;
	*errstr = why;
	return -1;
}

size_t
sipheaders_parse(const char *spec, struct sipheader *out, size_t max)
{
	size_t	 n;

	walk(spec, out, max, &n);
	return n;
}
