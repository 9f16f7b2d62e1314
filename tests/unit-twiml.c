/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of twiml.c: the <Dial><Sip> answer against hand-written TwiML
 * for each SIP option, the fallback answers, and XML escaping checked with
 * a small independent reader (entities decoded, characters that XML cannot
 * carry refused) rather than against the generator's own choices.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"
#include "twiml.h"

#define DECL	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
#define SID	"CA0123456789abcdef0123456789abcdef"

/* Copy xml with the attributes of every tag removed. */
static void
strip_attrs(const char *xml, char *out, size_t size)
{
	size_t	 o = 0;
	char	 quote;

	while (*xml != '\0' && o + 1 < size) {
		if (*xml != '<') {
			out[o++] = *xml++;
			continue;
		}
		out[o++] = *xml++;
		if (*xml == '/' && o + 1 < size)
			out[o++] = *xml++;
		while (*xml != '\0' && strchr(" \t\n>/", *xml) == NULL &&
		    o + 1 < size)
			out[o++] = *xml++;
		while (*xml != '\0' && *xml != '>') {
			if (*xml == '"' || *xml == '\'') {
				quote = *xml++;
				while (*xml != '\0' && *xml != quote)
					xml++;
				if (*xml != '\0')
					xml++;
				continue;
			}
			if ((*xml == '/' || *xml == '?') && xml[1] == '>' &&
			    o + 1 < size)
				out[o++] = *xml;
			xml++;
		}
		if (*xml == '>' && o + 1 < size)
			out[o++] = *xml++;
	}
	out[o] = '\0';
}

/* The start tag of element name in xml, or NULL. */
static const char *
start_tag(const char *xml, const char *name)
{
	const char	*p = xml;
	size_t		 n = strlen(name);

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		if (strncmp(p, name, n) == 0 && strchr(" \t\n>/", p[n]) != NULL)
			return p + n;
	}
	return NULL;
}

/*
 * The raw value of attribute attr of element elem into out; the number of
 * attributes of elem (counting attr or not); -1 when elem is absent.
 */
static int
attribute(const char *xml, const char *elem, const char *attr, char *out,
    size_t size)
{
	const char	*p = start_tag(xml, elem), *name, *value;
	size_t		 nlen, vlen;
	char		 quote;
	int		 count = 0;

	if (out != NULL)
		snprintf(out, size, "(absent)");
	if (p == NULL)
		return -1;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '>' || *p == '/' || *p == '\0')
			return count;
		name = p;
		while (*p != '=' && *p != '\0' && *p != '>')
			p++;
		nlen = (size_t)(p - name);
		if (*p++ != '=' || (*p != '"' && *p != '\''))
			return count;
		quote = *p++;
		value = p;
		while (*p != quote && *p != '\0')
			p++;
		vlen = (size_t)(p - value);
		if (*p != '\0')
			p++;
		count++;
		if (attr != NULL && out != NULL && strlen(attr) == nlen &&
		    strncmp(name, attr, nlen) == 0)
			snprintf(out, size, "%.*s", (int)vlen, value);
	}
}

/* The raw text of the first element elem into out; 0, or -1. */
static int
text_of(const char *xml, const char *elem, char *out, size_t size)
{
	const char	*p = start_tag(xml, elem), *end;
	char		 close[64];

	snprintf(out, size, "(absent)");
	if (p == NULL || (p = strchr(p, '>')) == NULL)
		return -1;
	p++;
	snprintf(close, sizeof(close), "</%s>", elem);
	if ((end = strstr(p, close)) == NULL)
		return -1;
	snprintf(out, size, "%.*s", (int)(end - p), p);
	return 0;
}

/* 1 for a character XML 1.0 can carry. */
static int
xml_char(unsigned long c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) ||
	    (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

static size_t
put_utf8(char *out, unsigned long c)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* Decode one UTF-8 character at p into *c; its length, or 0 if invalid. */
static size_t
get_utf8(const unsigned char *p, unsigned long *c)
{
	size_t		 len, i;
	unsigned long	 min;

	if (p[0] < 0x80) {
		*c = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		*c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		*c = p[0] & 0x0f;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		*c = p[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		*c = *c << 6 | (p[i] & 0x3f);
	}
	if (*c < min || (*c >= 0xd800 && *c <= 0xdfff) || *c > 0x10ffff)
		return 0;
	return len;
}

/*
 * Decode the raw text or attribute value (in_attr) of an XML document as a
 * parser would; -1 when it is not well-formed: a raw '<', a '&' that starts
 * no known reference, a raw '"' in an attribute, or a character XML cannot
 * carry (raw or as a reference).
 */
static int
xml_decode(const char *raw, int in_attr, char *out, size_t size)
{
	static const struct {
		const char	*name;
		char		 c;
	} ents[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};
	const unsigned char	*p = (const unsigned char *)raw;
	unsigned long		 c;
	size_t			 o = 0, i, len;
	char			*end;

	while (*p != '\0') {
		if (o + 5 >= size)
			return -1;
		if (*p == '<' || (in_attr && *p == '"'))
			return -1;
		if (*p != '&') {
			if ((len = get_utf8(p, &c)) == 0 || !xml_char(c))
				return -1;
			memcpy(out + o, p, len);
			o += len;
			p += len;
			continue;
		}
		p++;
		if (*p == '#') {
			if (p[1] == 'x')
				c = strtoul((const char *)p + 2, &end, 16);
			else
				c = strtoul((const char *)p + 1, &end, 10);
			if (*end != ';' || !xml_char(c))
				return -1;
			o += put_utf8(out + o, c);
			p = (const unsigned char *)end + 1;
			continue;
		}
		for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++)
			if (strncmp((const char *)p, ents[i].name,
			    strlen(ents[i].name)) == 0)
				break;
		if (i == sizeof(ents) / sizeof(ents[0]))
			return -1;
		out[o++] = ents[i].c;
		p += strlen(ents[i].name);
	}
	out[o] = '\0';
	return 0;
}

static void
sip_defaults(struct twiml_sip *s)
{
	memset(s, 0, sizeof(*s));
	s->number = "+15551234567";
	s->host = "sip.synthflow.ai";
	s->port = 32681;
	s->transport = TWIML_UDP;
	s->call_id = "abc123";
	s->answer_on_bridge = -1;
}

/* twiml_dial(s) must be exactly DECL <Response><Dial><Sip>uri</Sip>... */
static void
dial_is(struct twiml_sip *s, const char *uri, const char *desc)
{
	struct buf	 b;
	char		 want[1024];

	snprintf(want, sizeof(want), DECL "<Response><Dial><Sip>%s</Sip>"
	    "</Dial></Response>\n", uri);
	buf_init(&b, 64 * 1024);
	buf_addstr(&b, "stale");
	is_int(twiml_dial(&b, s), 0, "%s: returns 0", desc);
	is_str(buf_str(&b), want, "%s", desc);
	buf_free(&b);
}

static void
test_dial(void)
{
	struct twiml_sip	 s;
	struct buf		 b;

	sip_defaults(&s);
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "default: udp, port 32681");
	s.transport = TWIML_TCP;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681;transport=tcp"
	    "?X-EI=S.abc123;", "tcp");
	s.secure = 1;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681;transport=tcp"
	    "?X-EI=S.abc123;", "secure ignored with tcp");
	s.transport = TWIML_UDP;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "secure ignored with udp");
	s.transport = TWIML_TLS;
	s.port = 32682;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32682;transport=tls"
	    ";secure=true?X-EI=S.abc123;", "tls and secure");
	s.secure = 0;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32682;transport=tls"
	    "?X-EI=S.abc123;", "tls without secure");

	sip_defaults(&s);
	s.call_sid = SID;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;"
	    "E." SID ";", "with the CallSid");
	s.escape = 1;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123%3B"
	    "E." SID "%3B", "CallSid, escape percent");
	s.call_sid = NULL;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123%3B",
	    "escape percent");
	s.escape = 0;
	s.call_sid = "CA12;E.evil";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "a CallSid with ';' is dropped");
	s.call_sid = "CA12<x>";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "a CallSid with '<' is dropped");
	s.call_sid = "CA12 34";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "a CallSid with a space is dropped");
	s.call_sid = "CA12%3B";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "a CallSid with '%' is dropped");
	s.call_sid = "";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "an empty CallSid is dropped");

	sip_defaults(&s);
	s.number = "alice.b-c_d";
	s.host = "sip.eu.synthflow.ai";
	s.port = 5060;
	dial_is(&s, "sip:alice.b-c_d@sip.eu.synthflow.ai:5060?X-EI=S.abc123;",
	    "other user, host and port");

	sip_defaults(&s);
	buf_init(&b, 100);
	is_int(twiml_dial(&b, &s), -1, "a Dial over the buffer's cap fails");
	buf_free(&b);
}

static void
test_dial_attrs(void)
{
	struct twiml_sip	 s;
	struct buf		 b;
	char			 raw[256], val[256], shape[1024];

	buf_init(&b, 64 * 1024);

	sip_defaults(&s);
	s.username = "user&1";
	s.password = "p\"w<'>&";
	twiml_dial(&b, &s);
	strip_attrs(buf_str(&b), shape, sizeof(shape));
	is_str(shape, "<?xml?><Response><Dial><Sip>sip:+15551234567"
	    "@sip.synthflow.ai:32681?X-EI=S.abc123;</Sip></Dial></Response>\n",
	    "Sip credentials: same elements");
	is_int(attribute(buf_str(&b), "Dial", NULL, NULL, 0), 0,
	    "Sip credentials: no Dial attribute");
	is_int(attribute(buf_str(&b), "Sip", "username", raw, sizeof(raw)), 2,
	    "Sip has two attributes");
	ok(xml_decode(raw, 1, val, sizeof(val)) == 0, "username well-formed");
	is_str(val, "user&1", "username escaped and intact");
	attribute(buf_str(&b), "Sip", "password", raw, sizeof(raw));
	ok(xml_decode(raw, 1, val, sizeof(val)) == 0, "password well-formed");
	is_str(val, "p\"w<'>&", "password escaped and intact");

	sip_defaults(&s);
	s.answer_on_bridge = 1;
	s.caller_id = "+1555 \"A&B\" <x>";
	s.time_limit = 3600;
	s.dial_timeout = 30;
	twiml_dial(&b, &s);
	strip_attrs(buf_str(&b), shape, sizeof(shape));
	is_str(shape, "<?xml?><Response><Dial><Sip>sip:+15551234567"
	    "@sip.synthflow.ai:32681?X-EI=S.abc123;</Sip></Dial></Response>\n",
	    "Dial attributes: same elements");
	is_int(attribute(buf_str(&b), "Dial", "answerOnBridge", raw,
	    sizeof(raw)), 4, "Dial has four attributes");
	is_str(raw, "true", "answerOnBridge=\"true\"");
	attribute(buf_str(&b), "Dial", "callerId", raw, sizeof(raw));
	ok(xml_decode(raw, 1, val, sizeof(val)) == 0, "callerId well-formed");
	is_str(val, "+1555 \"A&B\" <x>", "callerId escaped and intact");
	attribute(buf_str(&b), "Dial", "timeLimit", raw, sizeof(raw));
	is_str(raw, "3600", "timeLimit=\"3600\"");
	attribute(buf_str(&b), "Dial", "timeout", raw, sizeof(raw));
	is_str(raw, "30", "timeout=\"30\"");
	is_int(attribute(buf_str(&b), "Sip", NULL, NULL, 0), 0,
	    "no Sip attribute");

	s.answer_on_bridge = 0;
	s.caller_id = NULL;
	s.time_limit = 0;
	s.dial_timeout = 0;
	twiml_dial(&b, &s);
	is_int(attribute(buf_str(&b), "Dial", "answerOnBridge", raw,
	    sizeof(raw)), 1, "only answerOnBridge");
	is_str(raw, "false", "answerOnBridge=\"false\"");
	buf_free(&b);
}

/* Length of the SIP URI's header part (after '?', XML decoded), or -1. */
static long
header_part(const char *twiml)
{
	const char	*p = strstr(twiml, "<Sip>"), *e = strstr(twiml, "</Sip>");
	char		 text[4096], uri[4096], *q;

	if (p == NULL || e == NULL || (size_t)(e - p) >= sizeof(text))
		return -1;
	p += 5;
	memcpy(text, p, (size_t)(e - p));
	text[e - p] = '\0';
	if (xml_decode(text, 0, uri, sizeof(uri)) == -1 ||
	    (q = strchr(uri, '?')) == NULL)
		return -1;
	return (long)strlen(q + 1);
}

/* X-EI without S. (direct dial), the O. token, X-headers and their limit. */
static void
test_dial_context(void)
{
	struct twiml_sip	 s;
	struct twiml_header	 h[3];
	struct buf		 b;
	char			 raw[2048], val[2048], big[600], fit[1100];

	sip_defaults(&s);
	s.call_id = NULL;
	s.call_sid = SID;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=E." SID ";",
	    "direct: E. only");
	s.call_sid = NULL;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681",
	    "no token and no header: no '?'");

	sip_defaults(&s);
	s.forwarded_from = "+15550001111";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;"
	    "O.+15550001111;", "O. token");
	s.call_sid = SID;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;"
	    "E." SID ";O.+15550001111;", "E. before O.");
	s.call_sid = NULL;
	s.forwarded_from = "+1555;S.evil";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "an O. value with ';' is dropped");
	s.forwarded_from = "+1555 000";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "an O. value with a space is dropped");
	s.forwarded_from = "";
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;",
	    "an empty O. value is dropped");

	sip_defaults(&s);
	h[0].name = "X-Caller-Name";
	h[0].value = "John & <Doe>";
	h[1].name = "X-City";
	h[1].value = "S\xc3\xa3o Paulo~+;%";
	s.headers = h;
	s.nheaders = 2;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?X-EI=S.abc123;"
	    "&amp;X-Caller-Name=John%20%26%20%3CDoe%3E"
	    "&amp;X-City=S%C3%A3o%20Paulo~%2B%3B%25", "X-headers percent-encoded");
	is_int((int)s.dropped, 0, "none dropped");
	s.call_id = NULL;
	dial_is(&s, "sip:+15551234567@sip.synthflow.ai:32681?"
	    "X-Caller-Name=John%20%26%20%3CDoe%3E"
	    "&amp;X-City=S%C3%A3o%20Paulo~%2B%3B%25", "headers without X-EI");

	/* 3 x ~ 600 encoded bytes: the second crosses 1023, the third too. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sip_defaults(&s);
	h[0].name = "X-A";
	h[0].value = big;
	h[1].name = "X-B";
	h[1].value = big;
	h[2].name = "X-C";
	h[2].value = "short";
	s.headers = h;
	s.nheaders = 3;
	buf_init(&b, 64 * 1024);
	is_int(twiml_dial(&b, &s), 0, "long headers: returns 0");
	is_int((int)s.dropped, 2, "long headers: the one crossing 1023 and "
	    "all after it are dropped");
	ok(strstr(buf_str(&b), "X-B=") == NULL &&
	    strstr(buf_str(&b), "X-C=") == NULL, "long headers: B and C left out");
	ok(header_part(buf_str(&b)) <= 1023,
	    "long headers: header part within 1023 characters");
	/* "X-EI=S.abc123;" + "&X-A=" + 1004 bytes: 1023 exactly. */
	memset(fit, 'a', 1004);
	fit[1004] = '\0';
	h[0].value = fit;
	s.nheaders = 1;
	twiml_dial(&b, &s);
	is_int((int)header_part(buf_str(&b)), 1023, "a header part of "
	    "exactly 1023 characters is kept");
	is_int((int)s.dropped, 0, "and nothing dropped");
	fit[1004] = 'a';
	fit[1005] = '\0';
	twiml_dial(&b, &s);
	is_int((int)s.dropped, 1, "one byte more: the header is dropped");

	sip_defaults(&s);
	s.action = "https://v.example.com/twilio/voice?a=1&synthflow_twiml=dial";
	twiml_dial(&b, &s);
	is_int(attribute(buf_str(&b), "Dial", "action", raw, sizeof(raw)), 1,
	    "action: one Dial attribute");
	ok(xml_decode(raw, 1, val, sizeof(val)) == 0, "action well-formed");
	is_str(val, "https://v.example.com/twilio/voice?a=1&synthflow_twiml=dial",
	    "action escaped and intact");
	is_int(twiml_hangup(&b), 0, "hangup: returns 0");
	is_str(buf_str(&b), DECL "<Response><Hangup/></Response>\n", "hangup");
	is_int(twiml_empty(&b), 0, "empty: returns 0");
	is_str(buf_str(&b), DECL "<Response/>\n", "empty Response");
	is_int(twiml_reject(&b, "busy"), 0, "reject: returns 0");
	is_str(buf_str(&b), DECL "<Response><Reject reason=\"busy\"/>"
	    "</Response>\n", "Reject busy");
	is_int(twiml_reject(&b, "<\"&>"), 0, "reject escaped: returns 0");
	is_str(buf_str(&b), DECL "<Response><Reject reason=\"&lt;&quot;"
	    "&amp;&gt;\"/></Response>\n", "Reject: the reason escaped");
	buf_free(&b);

	ok(twiml_sid_safe(SID), "a CallSid is safe");
	ok(!twiml_sid_safe("CA1-2"), "'-' is not in a CallSid");
	ok(!twiml_sid_safe(NULL), "NULL is not a CallSid");
	ok(twiml_token_safe("+1555.a_b-c"), "token characters");
	ok(!twiml_token_safe("a;b"), "';' is not in a token");
}

static void
fallback_is(const struct twiml_fallback *f, const char *body,
    const char *desc)
{
	struct buf	 b;
	char		 want[1024];

	snprintf(want, sizeof(want), DECL "<Response>%s</Response>\n", body);
	buf_init(&b, 64 * 1024);
	buf_addstr(&b, "stale");
	is_int(twiml_fallback(&b, f), 0, "%s: returns 0", desc);
	is_str(buf_str(&b), want, "%s", desc);
	buf_free(&b);
}

/* The <Say> text of the fallback for say must decode to want. */
static void
say_is(const char *say, const char *want, const char *desc)
{
	struct twiml_fallback	 f = { NULL, NULL, say, NULL };
	struct buf		 b;
	char			 raw[1024], val[1024];
	int			 rc = -1;

	buf_init(&b, 64 * 1024);
	twiml_fallback(&b, &f);
	if (text_of(buf_str(&b), "Say", raw, sizeof(raw)) == 0)
		rc = xml_decode(raw, 0, val, sizeof(val));
	is_int(rc, 0, "%s: well-formed", desc);
	is_str(rc == 0 ? val : NULL, want, "%s", desc);
	if (rc != 0)
		tap_diag_str("raw", buf_str(&b));
	buf_free(&b);
}

static void
test_fallback(void)
{
	struct twiml_fallback	 f;
	struct buf		 b;
	char			 raw[256], val[256];

	f.redirect = "https://example.com/fallback?a=1&b=2";
	f.dial = "+15550001111";
	f.say = "Hello";
	f.language = "en-GB";
	fallback_is(&f, "<Redirect>https://example.com/fallback?a=1&amp;b=2"
	    "</Redirect>", "redirect wins over dial and say");
	f.redirect = NULL;
	fallback_is(&f, "<Dial>+15550001111</Dial>", "dial wins over say");
	f.dial = NULL;
	f.language = NULL;
	fallback_is(&f, "<Say>Hello</Say><Hangup/>", "say and hang up");
	f.language = "en-GB";
	fallback_is(&f, "<Say language=\"en-GB\">Hello</Say><Hangup/>",
	    "say with a language");

	say_is("Tom & Jerry <b> \"q\" 'a' >", "Tom & Jerry <b> \"q\" 'a' >",
	    "& < > \" ' escaped in text");
	say_is("a\x01" "b\x08" "c\x0b" "d\x0c" "e\x1f" "f\x1b" "g", "abcdefg",
	    "control characters dropped");
	say_is("x\xffy", "xy", "byte FF dropped");
	say_is("a\xc3(b", "a(b", "bad continuation dropped");
	say_is("\xed\xa0\x80z", "z", "surrogate dropped");
	say_is("\xc0\xafq", "q", "overlong dropped");
	say_is("ok\xe2\x82", "ok", "truncated sequence dropped");
	say_is("caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80", "UTF-8 kept");
	say_is("a\tb\nc\rd", "a\tb\nc\rd", "tab, newline and CR kept");
	say_is("a\xef\xbf\xbe" "b\xef\xbf\xbf" "c", "abc",
	    "U+FFFE and U+FFFF dropped");

	f.redirect = NULL;
	f.dial = NULL;
	f.say = "a\tb\nc";
	f.language = "x\ty\nz";
	buf_init(&b, 64 * 1024);
	twiml_fallback(&b, &f);
	text_of(buf_str(&b), "Say", raw, sizeof(raw));
	is_str(raw, "a&#9;b&#10;c",
	    "tab and newline as &#9; and &#10; in text");
	attribute(buf_str(&b), "Say", "language", raw, sizeof(raw));
	is_str(raw, "x&#9;y&#10;z", "tab and newline as references in an "
	    "attribute");
	f.language = "a\"b<c&d'e";
	twiml_fallback(&b, &f);
	attribute(buf_str(&b), "Say", "language", raw, sizeof(raw));
	ok(xml_decode(raw, 1, val, sizeof(val)) == 0,
	    "escaped language well-formed");
	is_str(val, "a\"b<c&d'e", "language escaped and intact");
	f.say = "x";
	f.language = NULL;
	twiml_fallback(&b, &f);
	is_int(attribute(buf_str(&b), "Say", NULL, NULL, 0), 0,
	    "no language, no attribute");
	f.dial = "+1555 & <x>";
	twiml_fallback(&b, &f);
	text_of(buf_str(&b), "Dial", raw, sizeof(raw));
	ok(xml_decode(raw, 0, val, sizeof(val)) == 0,
	    "escaped Dial well-formed");
	is_str(val, "+1555 & <x>", "fallback Dial escaped and intact");
	buf_free(&b);

	buf_init(&b, 64);
	f.dial = NULL;
	f.say = "a message much longer than the sixty-four bytes of the cap";
	is_int(twiml_fallback(&b, &f), -1, "a fallback over the cap fails");
	buf_free(&b);
}

static void
test_escape(void)
{
	struct buf	 b;

	buf_init(&b, 1024);
	buf_addstr(&b, "x");
	is_int(twiml_escape(&b, "<&>"), 0, "twiml_escape returns 0");
	is_str(buf_str(&b), "x&lt;&amp;&gt;", "twiml_escape appends");
	buf_reset(&b);
	is_int(twiml_escape(&b, ""), 0, "escaping nothing works");
	is_str(buf_str(&b), "", "and adds nothing");
	buf_free(&b);
	buf_init(&b, 4);
	is_int(twiml_escape(&b, "&&"), -1,
	    "twiml_escape reports a full buffer");
	buf_free(&b);
}

static void
test_sip_user(void)
{
	static const struct {
		const char	*s;
		int		 safe;
	} t[] = {
		{ "+15551234567", 1 }, { "15551234567", 1 }, { "alice", 1 },
		{ "a.b_c-d", 1 }, { "+", 1 }, { "ABCxyz09", 1 },
		{ "", 0 }, { "a b", 0 }, { "a;b", 0 }, { "a@b", 0 },
		{ "a:b", 0 }, { "a?b", 0 }, { "a&b", 0 }, { "<x>", 0 },
		{ "a\"b", 0 }, { "a'b", 0 }, { "a/b", 0 }, { "a%20", 0 },
		{ "a=b", 0 }, { "a,b", 0 }, { "a\nb", 0 }, { "a\tb", 0 },
		{ "caf\xc3\xa9", 0 }, { "sip:+1555", 0 }, { "a#b", 0 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(twiml_sip_user_safe(t[i].s), t[i].safe,
		    "twiml_sip_user_safe(%zu) is %d", i, t[i].safe);
}

/* The transfer's pieces: referUrl, no port, no X-EI, <Number>. */
static void
test_transfer(void)
{
	struct twiml_sip	 s;
	struct buf		 b;

	buf_init(&b, 64 * 1024);
	sip_defaults(&s);
	s.refer_url = "https://h/v?a=1&synthflow_twiml=refer";
	s.action = "https://h/v?synthflow_twiml=dial";
	twiml_dial(&b, &s);
	is_str(buf_str(&b), DECL "<Response><Dial action=\"https://h/v?"
	    "synthflow_twiml=dial\" referUrl=\"https://h/v?a=1&amp;"
	    "synthflow_twiml=refer\"><Sip>sip:+15551234567@sip.synthflow.ai:"
	    "32681?X-EI=S.abc123;</Sip></Dial></Response>\n",
	    "referUrl after callerId, escaped");
	sip_defaults(&s);
	s.call_id = NULL;
	s.number = "agent";
	s.host = "pbx.example.com";
	s.port = 0;
	dial_is(&s, "sip:agent@pbx.example.com", "port 0: none, no X-EI, no ?");
	sip_defaults(&s);
	s.number = "+15551234567";
	s.dial_timeout = 30;
	s.time_limit = 600;
	s.caller_id = "+1 <&>";
	s.action = "https://h/v?synthflow_twiml=dial";
	is_int(twiml_dial_number(&b, &s), 0, "twiml_dial_number: returns 0");
	is_str(buf_str(&b), DECL "<Response><Dial action=\"https://h/v?"
	    "synthflow_twiml=dial\" callerId=\"+1 &lt;&amp;&gt;\" "
	    "timeLimit=\"600\" timeout=\"30\"><Number>+15551234567</Number>"
	    "</Dial></Response>\n", "twiml_dial_number");
	buf_free(&b);
}

int
main(void)
{
	test_transfer();
	test_dial();
	test_dial_attrs();
	test_dial_context();
	test_fallback();
	test_escape();
	test_sip_user();
	return done_testing();
}
