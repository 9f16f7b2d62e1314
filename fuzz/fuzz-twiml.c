/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of twiml.c. The input gives the flags, numbers and strings of
 * a <Dial><Sip> answer and of a fallback; the SIP number, host, call id and
 * Dial action are used only when they pass the checks the real callers make
 * first (as settings.c and synthflow.c do), the other strings as they come.
 * Every answer must be well-formed XML to the strict checker of xml.c, and
 * mean what was asked: the same elements, the attributes and texts given
 * (less what XML cannot carry), and a <Sip> URI of safe characters only,
 * whose header part is the X-EI tokens asked for and then the X-headers,
 * percent-encoded, as many of them as fit in Twilio's 1023 characters.
 *
 * Input: flags, presence bits, port (2), timeout, time limit; then the
 * NUL-separated strings of the enum below. The fields after F_DIAL came
 * later and are off when absent: F_XFLAGS is bits (forwarded_from, direct
 * dial without a call id, action, 2 bits of header count) and then one
 * byte a header choosing its name from header_names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "synthflow.h"
#include "twiml.h"
#include "fuzz.h"
#include "xml.h"

#define ANSWER_MAX	(64 * 1024)	/* as call.c's */

enum {
	F_NUMBER, F_HOST, F_CALL_ID, F_CALL_SID, F_USERNAME, F_PASSWORD,
	F_CALLER_ID, F_SAY, F_LANGUAGE, F_REDIRECT, F_DIAL, F_XFLAGS,
	F_FORWARDED, F_ACTION, F_HEADER0, F_COUNT = F_HEADER0 + 3
};

#define X_FORWARDED	0x01	/* bits of F_XFLAGS[0] */
#define X_DIRECT	0x02
#define X_ACTION	0x04
#define X_NHEADERS(x)	((x) >> 3 & 3)
#define NHEADERS	3
#define HEADERS_MAX	1023	/* Twilio: "fewer than 1024" */

/* Names SYNTHFLOW_SIP_HEADERS accepts; the last is as long as allowed. */
static const char *const header_names[] = {
	"X-Caller", "X-Called-Number", "x-lower_case", "X-A", "X-Custom_1",
	"X-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz_0123456789",
};
#define NNAMES	(sizeof(header_names) / sizeof(header_names[0]))

/* What XML can carry of s, as twiml_escape must keep it. */
static void
carried(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = strlen(s), len;
	uint32_t		 c;

	buf_reset(b);
	buf_addstr(b, "");
	while (n > 0) {
		if ((len = fuzz_utf8_decode(p, n, &c)) == 0)
			len = 1;	/* a broken byte is dropped */
		else if (xml_char(c))
			buf_add(b, p, len);
		p += len;
		n -= len;
	}
}

/* Element n is name, with no attributes unless listed, and no text. */
static void
expect_element(const struct xml_node *n, const char *name, size_t nchild)
{
	if (strcmp(n->name, name) != 0 || n->nchild != nchild)
		fuzz_fail("<%s> with %zu children where <%s> with %zu was "
		    "expected", n->name, n->nchild, name, nchild);
}

static void
expect_text(const struct xml_node *n, const char *s)
{
	struct buf	 want;

	buf_init(&want, ANSWER_MAX);
	if (s == NULL)
		buf_addstr(&want, "");
	else
		carried(&want, s);
	if (strcmp(buf_str(&n->text), buf_str(&want)) != 0)
		fuzz_fail("<%s> text \"%s\", expected \"%s\"", n->name,
		    buf_str(&n->text), buf_str(&want));
	buf_free(&want);
}

/* The attributes of n are exactly the non-NULL ones of names/values. */
static void
expect_attrs(const struct xml_node *n, const char *const *names,
    const char *const *values, size_t count)
{
	struct buf	 want;
	size_t		 i, j, present = 0;

	buf_init(&want, ANSWER_MAX);
	for (i = 0; i < count; i++) {
		if (values[i] == NULL)
			continue;
		present++;
		for (j = 0; j < n->nattr; j++)
			if (strcmp(n->attr[j], names[i]) == 0)
				break;
		if (j == n->nattr)
			fuzz_fail("<%s> has no %s", n->name, names[i]);
		carried(&want, values[i]);
		if (strcmp(buf_str(&n->value[j]), buf_str(&want)) != 0)
			fuzz_fail("<%s %s=\"%s\">, expected \"%s\"", n->name,
			    names[i], buf_str(&n->value[j]), buf_str(&want));
	}
	if (present != n->nattr)
		fuzz_fail("<%s> has %zu attributes, expected %zu", n->name,
		    n->nattr, present);
	buf_free(&want);
}

/*
 * The oracle's own character rules, deliberately written again rather than
 * taken from twiml.c, settings.c or ascii.h: a rule shared with the code it
 * judges would agree with that code's bugs. A SIP user part: 1 or more of
 * letters, digits and "+-._".
 */
static int
sip_user_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || strchr("+-._", *s) != NULL))
			return 0;
	return 1;
}

/* A host as settings.c accepts it: a name, or an IPv6 address in []. */
static int
host_ok(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > 253)
		return 0;
	if (s[0] == '[')
		return n >= 2 && s[n - 1] == ']' &&
		    strspn(s + 1, "0123456789abcdefABCDEF:.") == n - 2;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-") == n;
}

static int
id_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    (i > 0 && strchr("._-", s[i]) != NULL)))
			return 0;
	return i > 0 && i <= 128;
}

/* An X-EI E. token: 1 to 64 letters and digits. */
static int
alnum(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* An X-EI O. token: 1 to 64 of '+', letters, digits and "-._". */
static int
token_ok(const char *s)
{
	return s != NULL && strlen(s) <= 64 && sip_user_ok(s);
}

static int
unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/* The length of s percent-encoded: unreserved bytes as they are. */
static size_t
encoded_len(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		n += unreserved((unsigned char)*s) ? 1 : 3;
	return n;
}

/* Deliberately not ascii.h's ascii_hexval: the oracle's own. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Decode the n bytes at s, percent-encoded, into b; -1 when they are not
 * unreserved characters and %XX only.
 */
static int
percent_decode(struct buf *b, const char *s, size_t n)
{
	size_t	 i;

	buf_reset(b);
	buf_addstr(b, "");
	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) == -1 ||
			    hexval(s[i + 2]) == -1)
				return -1;
			buf_addc(b, hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 2;
		} else if (unreserved((unsigned char)s[i]))
			buf_addc(b, s[i]);
		else
			return -1;
	}
	return 0;
}

/*
 * A Dial action as settings.c accepts it (http:// or https://, UTF-8
 * without controls, none of " \"<>\\^`{|}"), less U+FFFE and U+FFFF, which
 * settings.c lets through but XML cannot carry.
 */
static int
action_ok(const char *s)
{
	const unsigned char	*p;

	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xef &&
		    p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)))
			return 0;
	return fuzz_utf8_valid(s, strlen(s)) &&
	    strpbrk(s, " \"<>\\^`{|}") == NULL;
}

/*
 * An answer may fail only when it does not fit: never for an input whose
 * every byte escaped to six still fits.
 */
static int
must_fit(size_t insize)
{
	return insize < (ANSWER_MAX - 1024) / 6;
}

/*
 * The header part of the <Sip> URI, hp (len bytes, after the '?'): the
 * X-EI tokens asked for, then a prefix of the headers, each NAME=value
 * percent-encoded, the first one left out being one that does not fit.
 */
/* 1 when the X-EI header at the start of hp has an O. token. */
static int
has_o_token(const char *hp, const char *semi)
{
	const char	*p, *end;

	if (strncmp(hp, "X-EI=", 5) != 0)
		return 0;
	if ((end = strchr(hp, '&')) == NULL)
		end = hp + strlen(hp);
	/* Its tokens end with semi, which none of them can hold. */
	for (p = hp + 5; p < end; p += strlen(semi)) {
		if (strncmp(p, "O.", 2) == 0)
			return 1;
		if ((p = strstr(p, semi)) == NULL || p >= end)
			break;
	}
	return 0;
}

/*
 * The header part of the <Sip> URI, hp (len bytes, after the '?'): the
 * X-EI tokens asked for, then a prefix of the headers, each NAME=value
 * percent-encoded, the first one left out being one that does not fit.
 */
static void
check_headers(const char *hp, size_t len, const struct twiml_sip *t,
    const char *xei, size_t insize)
{
	const struct twiml_header	*h;
	struct buf			 value;
	const char			*p = hp, *end = hp + len, *amp, *eq;
	size_t				 present = 0, nlen, more, xlen;

	xlen = strlen(xei);
	if (len > HEADERS_MAX)
		fuzz_fail("a header part of %zu characters: %s", len, hp);
	if (xlen > 0) {
		if (strncmp(p, xei, xlen) != 0 ||
		    (p[xlen] != '&' && p[xlen] != '\0'))
			fuzz_fail("header part \"%s\", expected X-EI \"%s\"",
			    hp, xei);
		p += xlen;
		if (p < end && ++p == end)
			fuzz_fail("header part \"%s\" ends with '&'", hp);
	}
	buf_init(&value, ANSWER_MAX);
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (present == t->nheaders)
			fuzz_fail("header part \"%s\": more than the %zu "
			    "headers", hp, t->nheaders);
		h = &t->headers[present];
		nlen = strlen(h->name);
		eq = p + nlen;
		if (eq >= amp || strncmp(p, h->name, nlen) != 0 || *eq != '=')
			fuzz_fail("header %zu \"%.*s\", expected %s=", present,
			    (int)(amp - p), p, h->name);
		if (percent_decode(&value, eq + 1, (size_t)(amp - eq - 1)) ==
		    -1 || value.len != strlen(h->value) ||
		    memcmp(buf_str(&value), h->value, value.len) != 0)
			fuzz_fail("header %s=\"%.*s\" does not decode to "
			    "\"%s\"", h->name, (int)(amp - eq - 1), eq + 1,
			    h->value);
		present++;
		if (amp < end && amp + 1 == end)
			fuzz_fail("header part \"%s\" ends with '&'", hp);
		p = amp < end ? amp + 1 : end;
	}
	buf_free(&value);
	if (t->dropped != t->nheaders - present)
		fuzz_fail("%zu headers of %zu in the URI, dropped %zu", present,
		    t->nheaders, t->dropped);
	/* The first one left out would not have fitted. */
	if (present < t->nheaders && must_fit(insize)) {
		h = &t->headers[present];
		more = (len > 0) + strlen(h->name) + 1 + encoded_len(h->value);
		if (len + more <= HEADERS_MAX)
			fuzz_fail("header %s (%zu more characters) left out "
			    "of a header part of %zu", h->name, more, len);
	}
}

static void
check_dial(struct buf *out, struct twiml_sip *t, size_t insize)
{
	static const char *const dial_attrs[] = { "action", "answerOnBridge",
	    "callerId", "timeLimit", "timeout" };
	static const char *const sip_attrs[] = { "password", "username" };
	const char	*dial_values[5], *sip_values[2];
	char		 time_limit[32], timeout[32];
	struct xml_doc	*d;
	struct xml_node	*root, *dial, *sip;
	struct buf	 uri, xei;
	const char	*semi = t->escape ? "%3B" : ";", *p, *text;
	size_t		 i;

	if (twiml_dial(out, t) == -1) {
		if (must_fit(insize))
			fuzz_fail("twiml_dial fails on a small answer");
		return;
	}
	if ((d = malloc(sizeof(*d))) == NULL)
		abort();
	root = xml_parse(d, TWIML_DECL, buf_str(out), out->len,
	    ANSWER_MAX);
	expect_element(root, "Response", 1);
	expect_text(root, NULL);
	expect_attrs(root, NULL, NULL, 0);
	dial = root->child[0];
	expect_element(dial, "Dial", 1);
	expect_text(dial, NULL);
	snprintf(time_limit, sizeof(time_limit), "%ld", t->time_limit);
	snprintf(timeout, sizeof(timeout), "%ld", t->dial_timeout);
	dial_values[0] = t->action;
	dial_values[1] = t->answer_on_bridge == -1 ? NULL :
	    t->answer_on_bridge ? "true" : "false";
	dial_values[2] = t->caller_id;
	dial_values[3] = t->time_limit > 0 ? time_limit : NULL;
	dial_values[4] = t->dial_timeout > 0 ? timeout : NULL;
	expect_attrs(dial, dial_attrs, dial_values, 5);
	/* The action, unlike the other texts, must arrive whole. */
	for (i = 0; t->action != NULL && i < dial->nattr; i++)
		if (strcmp(dial->attr[i], "action") == 0 &&
		    strcmp(buf_str(&dial->value[i]), t->action) != 0)
			fuzz_fail("<Dial action=\"%s\">, expected \"%s\"",
			    buf_str(&dial->value[i]), t->action);
	sip = dial->child[0];
	expect_element(sip, "Sip", 0);
	sip_values[0] = t->password;
	sip_values[1] = t->username;
	expect_attrs(sip, sip_attrs, sip_values, 2);

	/*
	 * sip:NUMBER@HOST:PORT, the transport parameters, then the headers
	 * after '?'; nothing in it that a SIP URI must escape.
	 */
	text = buf_str(&sip->text);
	for (p = text; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') ||
		    strchr("+-._~:;=?@%[]&", *p) != NULL))
			fuzz_fail("<Sip> carries '%c': %s", *p, buf_str(out));
	buf_init(&uri, ANSWER_MAX);
	buf_printf(&uri, "sip:%s@%s:%ld%s%s", t->number, t->host, t->port,
	    t->transport == TWIML_TCP ? ";transport=tcp" :
	    t->transport == TWIML_TLS ? ";transport=tls" : "",
	    t->transport == TWIML_TLS && t->secure ? ";secure=true" : "");
	buf_init(&xei, ANSWER_MAX);
	buf_addstr(&xei, "X-EI=");
	if (t->call_id != NULL)
		buf_printf(&xei, "S.%s%s", t->call_id, semi);
	if (alnum(t->call_sid))
		buf_printf(&xei, "E.%s%s", t->call_sid, semi);
	if (token_ok(t->forwarded_from))
		buf_printf(&xei, "O.%s%s", t->forwarded_from, semi);
	if (xei.len == 5)		/* no token, no X-EI */
		buf_reset(&xei);
	buf_addstr(&xei, "");
	if (strncmp(text, buf_str(&uri), uri.len) != 0)
		fuzz_fail("<Sip>%s</Sip>, expected %s?...", text,
		    buf_str(&uri));
	p = text + uri.len;
	if (*p == '\0')
		check_headers("", 0, t, buf_str(&xei), insize);
	else if (*p != '?' || p[1] == '\0')
		fuzz_fail("<Sip>%s</Sip>: '%c' after the URI", text, *p);
	else {
		check_headers(p + 1, strlen(p + 1), t, buf_str(&xei), insize);
		if (has_o_token(p + 1, semi) != token_ok(t->forwarded_from))
			fuzz_fail("<Sip>%s</Sip>: O. token for \"%s\"", text,
			    t->forwarded_from ? t->forwarded_from : "(null)");
	}
	buf_free(&xei);
	buf_free(&uri);
	xml_free(d);
	free(d);
}

static void
check_fallback(struct buf *out, const struct twiml_fallback *f,
    size_t insize)
{
	static const char *const say_attrs[] = { "language" };
	struct xml_doc	*d;
	struct xml_node	*root, *n;

	if (twiml_fallback(out, f) == -1) {
		if (must_fit(insize))
			fuzz_fail("twiml_fallback fails on a small answer");
		return;
	}
	if ((d = malloc(sizeof(*d))) == NULL)
		abort();
	root = xml_parse(d, TWIML_DECL, buf_str(out), out->len,
	    ANSWER_MAX);
	expect_text(root, NULL);
	expect_attrs(root, NULL, NULL, 0);
	if (f->redirect != NULL || f->dial != NULL) {
		expect_element(root, "Response", 1);
		n = root->child[0];
		expect_element(n, f->redirect != NULL ? "Redirect" : "Dial", 0);
		expect_attrs(n, NULL, NULL, 0);
		expect_text(n, f->redirect != NULL ? f->redirect : f->dial);
	} else {
		expect_element(root, "Response", 2);
		n = root->child[0];
		expect_element(n, "Say", 0);
		expect_attrs(n, say_attrs, &f->language, 1);
		expect_text(n, f->say);
		expect_element(root->child[1], "Hangup", 0);
		expect_attrs(root->child[1], NULL, NULL, 0);
		expect_text(root->child[1], NULL);
	}
	xml_free(d);
	free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields	 f;
	struct twiml_sip	 t;
	struct twiml_fallback	 fb;
	struct twiml_header	 headers[NHEADERS];
	struct buf		 out;
	const char		*number, *host, *call_id, *x;
	uint8_t			 flags, have, xflags;
	size_t			 i, k, nheaders;

	/* flags, presence bits, port (2), timeout, time limit; strings. */
	if (size < 6 || fuzz_split(&f, data + 6, size - 6, F_COUNT) == -1)
		return 0;
	flags = data[0];
	have = data[1];
	number = f.field[F_NUMBER] != NULL ? f.field[F_NUMBER] : "";
	host = f.field[F_HOST] != NULL ? f.field[F_HOST] : "";
	call_id = f.field[F_CALL_ID] != NULL ? f.field[F_CALL_ID] : "";
	x = f.field[F_XFLAGS] != NULL ? f.field[F_XFLAGS] : "";
	xflags = (uint8_t)x[0];

	/* The checks the callers rely on, held against the ones here. */
	if (twiml_sip_user_safe(number) != sip_user_ok(number))
		fuzz_fail("twiml_sip_user_safe(\"%s\") gives %d", number,
		    twiml_sip_user_safe(number));
	if (synthflow_id_valid(call_id) != id_ok(call_id))
		fuzz_fail("synthflow_id_valid(\"%s\") gives %d", call_id,
		    synthflow_id_valid(call_id));

	buf_init(&out, ANSWER_MAX);
	memset(&t, 0, sizeof(t));
	if (sip_user_ok(number) && host_ok(host) &&
	    (xflags & X_DIRECT || id_ok(call_id))) {
		t.number = number;
		t.host = host;
		t.port = 1 + (data[2] << 8 | data[3]) % 65535;
		t.transport = flags % 3 == 0 ? TWIML_UDP : flags % 3 == 1 ?
		    TWIML_TCP : TWIML_TLS;
		t.secure = flags >> 2 & 1;
		t.escape = flags >> 3 & 1;
		t.answer_on_bridge = (flags >> 4 & 3) == 1 ? 0 :
		    (flags >> 4 & 3) == 2 ? 1 : -1;
		t.call_id = xflags & X_DIRECT ? NULL : call_id;
		t.forwarded_from = xflags & X_FORWARDED ?
		    f.field[F_FORWARDED] : NULL;
		if (xflags & X_ACTION && f.field[F_ACTION] != NULL &&
		    action_ok(f.field[F_ACTION]))
			t.action = f.field[F_ACTION];
		/* Header i's name: byte 1 + i of F_XFLAGS, if it is there. */
		nheaders = X_NHEADERS(xflags);
		for (i = 0; i < nheaders; i++) {
			k = i + 1 < f.len[F_XFLAGS] ? (uint8_t)x[i + 1] : i;
			headers[i].name = header_names[k % NNAMES];
			headers[i].value = f.field[F_HEADER0 + i] != NULL ?
			    f.field[F_HEADER0 + i] : "";
		}
		t.headers = headers;
		t.nheaders = nheaders;
		t.dropped = 12345;	/* must be set */
		t.call_sid = flags & 0x40 ? f.field[F_CALL_SID] : NULL;
		t.username = have & 0x01 ? f.field[F_USERNAME] : NULL;
		t.password = have & 0x02 ? f.field[F_PASSWORD] : NULL;
		t.caller_id = have & 0x04 ? f.field[F_CALLER_ID] : NULL;
		t.dial_timeout = data[4] > 200 ? 0 : data[4] * 3;
		t.time_limit = data[5] > 200 ? 0 : data[5] * 432;
		check_dial(&out, &t, size);
	}

	fb.say = f.field[F_SAY] != NULL ? f.field[F_SAY] : "";
	fb.language = have & 0x08 ? f.field[F_LANGUAGE] : NULL;
	fb.redirect = have & 0x10 ? f.field[F_REDIRECT] : NULL;
	fb.dial = have & 0x20 ? f.field[F_DIAL] : NULL;
	check_fallback(&out, &fb, size);

	buf_free(&out);
	fuzz_fields_free(&f);
	return 0;
}
