/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of refer.c: every kind of transfer target with the parts the
 * reader keeps (number, user, host, port, transport, headers), every way a
 * target is refused, the 256-character limit, the allow list's syntax and
 * its matching (numbers, prefixes, *, sip: user and host rules).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "refer.h"
#include "tap.h"

static struct refer_target	 t;

/* Parse value, which must give kind; returns 1 when it did. */
static int
kind_is(const char *value, enum refer_kind kind, const char *desc)
{
	const char	*why = NULL;
	int		 rc = refer_parse(value, &t, &why);

	is_str(refer_kind_name(t.kind), refer_kind_name(kind), "%s: kind",
	    desc);
	is_int(rc, kind == REFER_INVALID ? -1 : 0, "%s: return", desc);
	if (kind == REFER_INVALID)
		ok(why != NULL && *why != '\0', "%s: a reason", desc);
	return t.kind == kind;
}

static void
refused(const char *value, const char *desc)
{
	kind_is(value, REFER_INVALID, desc);
}

static void
test_numbers(void)
{
	if (kind_is("<tel:+15551234567>", REFER_NUMBER, "tel:"))
		is_str(t.number, "+15551234567", "tel: the number");
	if (kind_is("tel:+1-555-(123).4567;phone-context=x", REFER_NUMBER,
	    "tel: separators and a parameter"))
		is_str(t.number, "+15551234567", "separators dropped");
	if (kind_is("<sip:+15551234567@trunk.example;user=phone>",
	    REFER_NUMBER, "sip: user part that is a number"))
		is_str(t.number, "+15551234567", "sip: the number");
	if (kind_is("sips:%2B15551234567@h.example", REFER_NUMBER,
	    "sips:, escaped +"))
		is_str(t.number, "+15551234567", "escaped: the number");
	kind_is("tel:+1234567", REFER_NUMBER, "7 digits");
	kind_is("tel:+123456789012345", REFER_NUMBER, "15 digits");
	refused("tel:+123456", "6 digits");
	refused("tel:+1234567890123456", "16 digits");
	refused("tel:+0123456789", "a leading 0");
	refused("tel:5551234567", "a local number");
	refused("tel:+1555x234567", "a letter");
	refused("sip:+1555@h.example", "a + user part not global");
	refused("tel:+15551234567?X-A=1", "tel: with headers");
	refused("tel:+15551234567@h", "tel: with a user");
}

static void
test_sip(void)
{
	if (kind_is("<sip:0875704225abc@Sip.Evil.example:5099;transport=tcp"
	    "?User-to-User=12%3Bencoding%3Dhex&X-A=a%20b>", REFER_BRIDGE,
	    "bridge")) {
		is_str(t.user, "0875704225abc", "bridge: the user");
		is_str(t.host, "sip.evil.example", "bridge: the host, lower");
		is_int(t.port, 5099, "bridge: the port");
		is_int(t.transport, REFER_TRANSPORT_TCP, "bridge: transport");
		is_int(t.nheaders, 2, "bridge: two headers");
		is_str(t.header[0].name, "User-to-User", "User-to-User");
		is_str(t.header[0].value, "12;encoding=hex", "decoded");
		is_str(t.header[1].name, "X-A", "X-A");
		is_str(t.header[1].value, "a b", "X-A decoded");
	}
	if (kind_is("sip:Agent@pbx.example.com;maddr=10.0.0.1;lr;"
	    "TRANSPORT=TLS?x-ticket=42&X-Twilio-Foo=1&x-twilioBar=2&"
	    "Route=%3Csip:e%3E&user-to-user=u", REFER_SIP, "sip")) {
		is_str(t.user, "Agent", "sip: the user as written");
		is_str(t.host, "pbx.example.com", "sip: the host");
		is_int(t.port, 0, "sip: no port");
		is_int(t.transport, REFER_TRANSPORT_TLS, "sip: transport");
		is_int(t.nheaders, 2, "sip: X-Twilio* and Route dropped");
		is_str(t.header[0].name, "x-ticket", "sip: x-ticket kept");
		is_str(t.header[1].name, "User-to-User", "sip: u-t-u named");
	}
	if (kind_is("sips:bob@[2001:db8::1]:5061", REFER_SIP, "sips: IPv6")) {
		is_str(t.host, "[2001:db8::1]", "IPv6 host");
		is_int(t.port, 5061, "IPv6 port");
		is_int(t.transport, REFER_TRANSPORT_TLS, "sips: is TLS");
	}
	if (kind_is("sip:bob@10.0.0.2?X-Empty=", REFER_SIP, "IPv4, empty"))
		is_int(t.nheaders, 0, "an empty header is dropped");
	kind_is("SIP:bob@h.example", REFER_SIP, "scheme in capitals");
	refused("sip:bob@h.example;transport=sctp", "unknown transport");
	refused("sip:h.example", "no user");
	refused("sip:@h.example", "empty user");
	refused("sip:bob:pw@h.example", "a password");
	refused("sip:bob;x=1@h.example", "a parameter in the user");
	refused("sip:b%20b@h.example", "an escaped blank in the user");
	refused("sip:bob@", "no host");
	refused("sip:bob@-h.example", "a host starting with -");
	refused("sip:bob@h.example:0", "port 0");
	refused("sip:bob@h.example:65536", "port 65536");
	refused("sip:bob@h.example:5x", "port not digits");
	refused("sip:bob@h_x.example", "_ in the host");
	refused("sip:bob@[zz::1]", "bad IPv6");
	refused("sip:bob@h.example;", "empty parameter");
	refused("sip:bob@h.example?X-A", "a header without =");
	refused("sip:bob@h.example?=1", "a header without a name");
	refused("http://example.com/", "another scheme");
	refused("mailto:bob@h.example", "mailto:");
	refused("", "empty");
	refused("<>", "empty brackets");
	refused("<sip:bob@h.example", "unbalanced <");
	refused("\"Bob\" <sip:bob@h.example>", "a display name");
	refused("<sip:bob@h.example>;method=INVITE", "text after >");
	refused(NULL, "missing");
}

static void
test_hostile(void)
{
	static const char *const bad[] = {
		"sip:bob@h.example?X-A=\"", "sip:bob@h.example?X-A=<",
		"sip:bob@h.example?X-A=>", "sip:bob@h.example?X-A=a b",
		"sip:bob@h.example?X-A=a\r\nX-B:1", "sip:bob@h.example\n",
		"sip:bob@h.example?X-A=%00", "sip:bob@h.example?X-A=%0d%0a",
		"sip:bob@h.example?X-A=%7f", "sip:bob@h.example?X-A=%1",
		"sip:bob@h.example?X-A=%zz", "sip:bob@h.example?X-A=%",
		"sip:bob@h.example?X-A=%FF", "sip:bob@h.example?X-A=]]>",
		"sip:b\xc3\xa9@h.example", "sip:bob@h.example\\",
		"sip:bob@h.example?X-A=`",
	};
	char	 v[REFER_TARGET_MAX + 2];
	size_t	 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i], "hostile");
	if (kind_is("sip:bob@h.example?X-A=%22%3C%26%5D%5D%3E%C3%A9",
	    REFER_SIP, "escaped metacharacters"))
		is_str(t.header[0].value, "\"<&]]>\xc3\xa9",
		    "decoded, for twiml.c to encode again");
	/* 256 characters as received, brackets counted. */
	memset(v, 'a', sizeof(v));
	memcpy(v, "<sip:bob@h.example?X-A=", 23);
	v[255] = '>';
	v[256] = '\0';
	kind_is(v, REFER_SIP, "256 characters");
	is_int(strlen(t.header[0].value), 232, "256: the whole value");
	v[255] = 'a';
	v[256] = '>';
	v[257] = '\0';
	refused(v, "257 characters");
	/* More headers than kept: the first REFER_HEADERS_MAX. */
	strcpy(v, "sip:bob@h.example?");
	for (i = 0; i < 20; i++)
		snprintf(v + strlen(v), sizeof(v) - strlen(v), "%sX-%zu=1",
		    i > 0 ? "&" : "", i);
	if (kind_is(v, REFER_SIP, "20 headers"))
		is_int(t.nheaders, REFER_HEADERS_MAX, "16 kept");
}

static void
allowed(const char *list, const char *target, int want, const char *desc)
{
	const char	*why;

	ok(refer_allow_check(list) == NULL, "%s: the list is good", desc);
	refer_parse(target, &t, &why);
	is_int(refer_allowed(list, &t), want, "%s", desc);
}

static void
test_allow(void)
{
	static const char *const good[] = {
		"*", "+15551234567", "+1555*", "+1*", "sip:bob@h.example",
		"sip:*@h.example", "sip:bob@[2001:db8::1]",
		" +1555* , sip:*@pbx.example.com ", "+44*,+33*,+49*", "",
	};
	static const char *const bad[] = {
		"+", "+*", "+0*", "+1555", "+1-555-123-4567", "1555*",
		"+1555*1", "+1234567890123456*", "**", "sip:bob", "sip:@h",
		"sip:bob@h.example:5060", "sip:b b@h", "sips:bob@h.example",
		"tel:+15551234567", "+15551234567,", ",*", "*,,+1555*",
		"sip:bo*@h.example",
	};
	size_t	 i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(refer_allow_check(good[i]) == NULL, "good list \"%s\"",
		    good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(refer_allow_check(bad[i]) != NULL, "bad list \"%s\"",
		    bad[i]);
	allowed(NULL, "sip:0875704225x@h.example", 1, "bridge, no list");
	allowed(NULL, "tel:+15551234567", 0, "number, no list");
	allowed(NULL, "sip:bob@h.example", 0, "sip, no list");
	allowed("*", "tel:+15551234567", 1, "* allows a number");
	allowed("*", "sip:bob@h.example", 0, "* allows no SIP target");
	allowed("+15551234567", "tel:+1-555-123-4567", 1, "exact number");
	allowed("+15551234567", "tel:+155512345678", 0, "longer number");
	allowed("+1555*", "tel:+15559876543", 1, "prefix");
	allowed("+1555*", "tel:+15565551234", 0, "other prefix");
	allowed("+1555*", "sip:+15551234567@h.example", 1,
	    "prefix, number as a sip: user");
	allowed("sip:bob@h.example", "sip:BOB@H.Example:5060", 1,
	    "user and host in other case, a port");
	allowed("sip:bob@h.example", "sips:bob@h.example", 1,
	    "sips: matches a sip: rule");
	allowed("sip:bob@h.example", "sip:alice@h.example", 0, "other user");
	allowed("sip:bob@h.example", "sip:bob@h.example.evil", 0,
	    "host with a suffix");
	allowed("sip:*@h.example", "sip:alice@h.example", 1, "any user");
	allowed("sip:*@h.example", "sip:alice@x.h.example", 0,
	    "no subdomains");
	allowed("sip:*@h.example", "tel:+15551234567", 0,
	    "a sip: rule allows no number");
	allowed("+1555*", "sip:bad@h.example?X-A=%00", 0, "invalid target");
	ok(refer_allows_numbers("sip:*@h.example, +1555*"),
	    "a list with a number rule");
	ok(!refer_allows_numbers("sip:*@h.example"), "a list without");
	ok(!refer_allows_numbers(NULL), "no list");
	ok(refer_allows_numbers("*"), "*");
}

int
main(void)
{
	test_numbers();
	test_sip();
	test_hostile();
	test_allow();
	return done_testing();
}
