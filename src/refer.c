/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Reader of transfer targets and of the allow list (syntax in refer.h).
 * The reader refuses rather than repairs: a character outside the SIP URI
 * alphabet, a bad or control-decoding escape, a password, a missing user
 * or a malformed host make the whole target invalid, so what the caller
 * dials is only ever rebuilt from parts checked here. What is dialed, and
 * whether the list comes from a route, is call_transfer.c's business.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "refer.h"
#include "utf8.h"

/*
 * Every byte in RFC 3261's URI alphabet, every escape two hex digits that
 * do not decode to a control character: what the rest may then assume.
 */
static int
alphabet_ok(const char *s, size_t n)
{
	size_t	 i;
	int	 hi, lo, c;

	for (i = 0; i < n; i++) {
		if (ascii_is_alnum((unsigned char)s[i]) ||
		    strchr("-_.!~*'();/?:@&=+$,[]", s[i]) != NULL)
			continue;
		if (s[i] != '%' || i + 2 >= n)
			return 0;
		if ((hi = ascii_hexval((unsigned char)s[i + 1])) == -1 ||
		    (lo = ascii_hexval((unsigned char)s[i + 2])) == -1)
			return 0;
		c = hi * 16 + lo;
		if (ascii_is_ctl(c))
			return 0;
		i += 2;
	}
	return 1;
}

/* Decode the n bytes at s (checked by alphabet_ok) into out, NUL ended. */
static size_t
decode(const char *s, size_t n, char *out)
{
	size_t	 i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			out[o++] = (char)(ascii_hexval((unsigned char)s[i + 1]) * 16 +
			    ascii_hexval((unsigned char)s[i + 2]));
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	return o;
}

/* A SIP user part we rebuild: letters, digits and "+-._". */
static int
user_safe(const char *s, size_t n)
{
	return n <= REFER_USER_MAX && ascii_sip_user(s, n);
}

/* A host name, IPv4 address or [IPv6] address, without a port. */
static int
host_ok(const char *s, size_t n)
{
	return n <= REFER_HOST_MAX && ascii_host(s, n);
}

/* A global number with its separators "-.()" dropped, into out. */
static int
number_norm(const char *s, size_t n, char out[REFER_NUMBER_MAX + 1])
{
	size_t	 i, o = 0;

	if (n == 0 || s[0] != '+')
		return -1;
	out[o++] = '+';
	for (i = 1; i < n; i++) {
		if (strchr("-.()", s[i]) != NULL)
			continue;
		if (!ascii_is_digit((unsigned char)s[i]) ||
		    o == REFER_NUMBER_MAX)
			return -1;
		out[o++] = s[i];
	}
	out[o] = '\0';
	/* ^\+[1-9][0-9]{6,14}$ */
	if (o < 8 || out[1] == '0')
		return -1;
	return 0;
}

static int
fail(struct refer_target *t, const char **reason, const char *why)
{
	t->kind = REFER_INVALID;
	t->nheaders = 0;
	*reason = why;
	return -1;
}

/* tel:NUMBER[;params]: only a global number. */
static int
parse_tel(const char *s, size_t n, struct refer_target *t,
    const char **reason)
{
	char	 num[REFER_TARGET_MAX + 1];
	size_t	 len = strcspn(s, ";");

	if (len > n)
		len = n;
	if (memchr(s, '?', n) != NULL || memchr(s, '@', n) != NULL)
		return fail(t, reason, "tel: with a user or headers");
	len = decode(s, len, num);
	if (number_norm(num, len, t->number) == -1)
		return fail(t, reason, "not a global number");
	t->kind = REFER_NUMBER;
	return 0;
}

/* The ;params of a SIP URI: transport is kept, the others checked only. */
static int
parse_params(const char *s, size_t n, struct refer_target *t,
    const char **reason)
{
	const char	*p = s, *end = s + n, *eq;
	char		 v[8];
	size_t		 len, vlen;

	while (p < end) {
		p++;		/* the ';' */
		len = strcspn(p, ";");
		if (p + len > end)
			len = (size_t)(end - p);
		if (len == 0 || *p == '=')
			return fail(t, reason, "empty URI parameter");
		eq = memchr(p, '=', len);
		if (eq != NULL && (size_t)(eq - p) == 9 &&
		    strncasecmp(p, "transport", 9) == 0) {
			vlen = len - 10;
			if (vlen >= sizeof(v))
				return fail(t, reason, "unknown transport");
			memcpy(v, eq + 1, vlen);
			v[vlen] = '\0';
			if (strcasecmp(v, "udp") == 0)
				t->transport = REFER_TRANSPORT_UDP;
			else if (strcasecmp(v, "tcp") == 0)
				t->transport = REFER_TRANSPORT_TCP;
			else if (strcasecmp(v, "tls") == 0)
				t->transport = REFER_TRANSPORT_TLS;
			else
				return fail(t, reason, "unknown transport");
		}
		p += len;
	}
	return 0;
}

/* 1 for a header carried to the target: User-to-User and X-*. */
static int
header_kept(const char *name, size_t n)
{
	if (n == 12 && strncasecmp(name, "User-to-User", 12) == 0)
		return 1;
	if (n < 3 || n > REFER_USER_MAX || strncasecmp(name, "X-", 2) != 0 ||
	    (n >= 8 && strncasecmp(name, "X-Twilio", 8) == 0))
		return 0;
	return ascii_header_token(name + 2, n - 2);
}

/* The ?headers: the kept ones decoded into t->store. */
static int
parse_headers(const char *s, size_t n, struct refer_target *t,
    const char **reason)
{
	const char		*p = s, *end = s + n, *eq;
	struct refer_header	*h;
	size_t			 len, used = 0, vlen;

	while (p < end) {
		len = strcspn(p, "&");
		if (p + len > end)
			len = (size_t)(end - p);
		if ((eq = memchr(p, '=', len)) == NULL || eq == p)
			return fail(t, reason, "header without a name or '='");
		if (header_kept(p, (size_t)(eq - p)) &&
		    t->nheaders < REFER_HEADERS_MAX) {
			vlen = len - (size_t)(eq - p) - 1;
			h = &t->header[t->nheaders];
			h->value = t->store + used;
			used += decode(eq + 1, vlen, h->value) + 1;
			if (!utf8_valid(h->value, strlen(h->value)))
				return fail(t, reason, "header not UTF-8");
			if (*h->value != '\0') {
				if ((size_t)(eq - p) == 12)
					strcpy(h->name, "User-to-User");
				else {
					memcpy(h->name, p, (size_t)(eq - p));
					h->name[eq - p] = '\0';
				}
				t->nheaders++;
			}
		}
		p += len + (p + len < end);
	}
	return 0;
}

/* sip[s]:user@host[:port][;params][?headers] after the scheme. */
static int
parse_sip(const char *s, size_t n, int sips, struct refer_target *t,
    const char **reason)
{
	char		 user[REFER_TARGET_MAX + 1];
	const char	*at, *host, *hend, *q, *end = s + n;
	size_t		 ulen, hlen, i;
	long		 port = 0;

	q = memchr(s, '?', n);
	if ((at = memchr(s, '@', n)) == NULL || (q != NULL && at > q))
		return fail(t, reason, "no user part");
	if (memchr(s, ';', (size_t)(at - s)) != NULL ||
	    memchr(s, ':', (size_t)(at - s)) != NULL)
		return fail(t, reason, "a parameter or password in the user");
	ulen = decode(s, (size_t)(at - s), user);
	host = at + 1;
	if (q == NULL)
		q = end;
	if (*host == '[')
		hend = memchr(host, ']', (size_t)(q - host));
	else
		hend = host;
	if (hend == NULL)
		return fail(t, reason, "bad host");
	hend += strcspn(hend, ":;?");
	if (hend > q)
		hend = q;
	hlen = (size_t)(hend - host);
	if (!host_ok(host, hlen) || memchr(host, '@', hlen) != NULL)
		return fail(t, reason, "bad host");
	for (i = 0; i < hlen; i++)
		t->host[i] = (host[i] >= 'A' && host[i] <= 'Z') ?
		    (char)(host[i] - 'A' + 'a') : host[i];
	t->host[hlen] = '\0';
	if (hend < q && *hend == ':') {
		for (hend++; hend < q && ascii_is_digit((unsigned char)*hend) &&
		    port <= 65535; hend++)
			port = port * 10 + (*hend - '0');
		if (port < 1 || port > 65535)
			return fail(t, reason, "bad port");
		t->port = port;
	}
	if (hend < q && *hend != ';')
		return fail(t, reason, "bad host");
	if (parse_params(hend, (size_t)(q - hend), t, reason) == -1)
		return -1;
	if (sips)
		t->transport = REFER_TRANSPORT_TLS;
	if (q < end && parse_headers(q + 1, (size_t)(end - q - 1), t,
	    reason) == -1)
		return -1;
	if (user[0] == '+') {
		if (number_norm(user, ulen, t->number) == -1)
			return fail(t, reason, "not a global number");
		t->kind = REFER_NUMBER;
		return 0;
	}
	if (!user_safe(user, ulen))
		return fail(t, reason, "bad user part");
	memcpy(t->user, user, ulen + 1);
	t->kind = strncmp(user, REFER_BRIDGE_PREFIX,
	    strlen(REFER_BRIDGE_PREFIX)) == 0 ? REFER_BRIDGE : REFER_SIP;
	return 0;
}

int
refer_parse(const char *value, struct refer_target *t, const char **reason)
{
	const char	*s;
	size_t		 n;

	memset(t, 0, sizeof(*t));
	if (value == NULL)
		return fail(t, reason, "no target");
	if ((n = strlen(value)) > REFER_TARGET_MAX)
		return fail(t, reason, "longer than 256 characters");
	s = value;
	if (n > 0 && s[0] == '<') {
		if (n < 2 || s[n - 1] != '>')
			return fail(t, reason, "unbalanced '<'");
		s++;
		n -= 2;
	}
	if (n == 0)
		return fail(t, reason, "empty");
	if (!alphabet_ok(s, n))
		return fail(t, reason, "a character or escape outside SIP's");
	if (n > 4 && strncasecmp(s, "tel:", 4) == 0)
		return parse_tel(s + 4, n - 4, t, reason);
	if (n > 4 && strncasecmp(s, "sip:", 4) == 0)
		return parse_sip(s + 4, n - 4, 0, t, reason);
	if (n > 5 && strncasecmp(s, "sips:", 5) == 0)
		return parse_sip(s + 5, n - 5, 1, t, reason);
	return fail(t, reason, "not a tel:, sip: or sips: URI");
}

/* The next entry of a comma list, blanks around it trimmed. */
static int
next_rule(const char **pp, const char **rule, size_t *len)
{
	const char	*p = *pp, *e;

	if (p == NULL || *p == '\0')
		return 0;
	e = p + strcspn(p, ",");
	*pp = *e == ',' ? e + 1 : e;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*rule = p;
	*len = (size_t)(e - p);
	return 1;
}

/* NULL for a good rule, else what is wrong with it. */
static const char *
rule_check(const char *r, size_t n)
{
	const char	*at;
	char		 num[REFER_NUMBER_MAX + 1];
	size_t		 i;

	if (n == 0)
		return "an empty entry";
	if (n == 1 && r[0] == '*')
		return NULL;
	if (r[0] == '+') {
		if (r[n - 1] != '*')
			return number_norm(r, n, num) == 0 && strlen(num) == n ?
			    NULL : "a number that is not +E164";
		for (i = 1; i < n - 1; i++)
			if (!ascii_is_digit((unsigned char)r[i]))
				break;
		if (n < 3 || i != n - 1 || r[1] == '0' || n - 2 > 15)
			return "a prefix that is not + and digits and *";
		return NULL;
	}
	if (n > 4 && strncasecmp(r, "sip:", 4) == 0 &&
	    (at = memchr(r, '@', n)) != NULL) {
		if (!(at - r == 5 && r[4] == '*') &&
		    !user_safe(r + 4, (size_t)(at - r - 4)))
			return "a sip: rule with a bad user part";
		if (!host_ok(at + 1, n - (size_t)(at - r) - 1))
			return "a sip: rule with a bad host (no port)";
		return NULL;
	}
	return "not +E164, +PREFIX*, *, sip:user@host or sip:*@host";
}

const char *
refer_allow_check(const char *list)
{
	const char	*p = list, *r, *err;
	size_t		 n;

	while (next_rule(&p, &r, &n))
		if ((err = rule_check(r, n)) != NULL)
			return err;
	/* next_rule does not see an empty entry after a last comma. */
	n = list != NULL ? strlen(list) : 0;
	while (n > 0 && (list[n - 1] == ' ' || list[n - 1] == '\t'))
		n--;
	return n > 0 && list[n - 1] == ',' ? "an empty entry" : NULL;
}

static int
rule_matches(const char *r, size_t n, const struct refer_target *t)
{
	const char	*at;
	size_t		 ulen;

	if (t->kind == REFER_NUMBER) {
		if (n == 1 && r[0] == '*')
			return 1;
		if (r[0] != '+')
			return 0;
		if (r[n - 1] == '*')
			return strncmp(t->number, r, n - 1) == 0;
		return strlen(t->number) == n && strncmp(t->number, r, n) == 0;
	}
	if (t->kind != REFER_SIP || n <= 4 || strncasecmp(r, "sip:", 4) != 0 ||
	    (at = memchr(r, '@', n)) == NULL)
		return 0;
	ulen = (size_t)(at - r - 4);
	if (!(ulen == 1 && r[4] == '*') && (strlen(t->user) != ulen ||
	    strncasecmp(t->user, r + 4, ulen) != 0))
		return 0;
	n -= (size_t)(at - r) + 1;
	return strlen(t->host) == n && strncasecmp(t->host, at + 1, n) == 0;
}

int
refer_allowed(const char *list, const struct refer_target *t)
{
	const char	*p = list, *r;
	size_t		 n;

	if (t->kind == REFER_BRIDGE)
		return 1;
	if (t->kind == REFER_INVALID)
		return 0;
	while (next_rule(&p, &r, &n))
		if (n > 0 && rule_matches(r, n, t))
			return 1;
	return 0;
}

int
refer_allows_numbers(const char *list)
{
	const char	*p = list, *r;
	size_t		 n;

	while (next_rule(&p, &r, &n))
		if (n > 0 && (r[0] == '+' || r[0] == '*'))
			return 1;
	return 0;
}

const char *
refer_kind_name(enum refer_kind k)
{
	switch (k) {
	case REFER_NUMBER:
		return "number";
	case REFER_BRIDGE:
		return "bridge";
	case REFER_SIP:
		return "sip";
	default:
		return "invalid";
	}
}
