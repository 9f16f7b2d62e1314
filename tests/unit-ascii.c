/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of ascii.h, utf8_valid and utf8_text_ok: every character class over all
 * 256 bytes against its members written out, and every input rule at its
 * edges (empty, the bytes next to each range, NUL, bytes past 0x7f, the
 * length limit, the shape of a host and of a URL).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "tap.h"
#include "utf8.h"

#define UPPER	"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER	"abcdefghijklmnopqrstuvwxyz"
#define DIGITS	"0123456789"

/* The bytes of every class test, 1 byte at a time, against members. */
static void
check_class(const char *name, int (*is)(int), const char *members,
    int with_nul)
{
	int	 c, want, wrong = 0;

	for (c = 0; c < 256; c++) {
		want = c == 0 ? with_nul : strchr(members, c) != NULL;
		if ((is(c) != 0) != want && wrong++ == 0)
			diag("%s(0x%02x) is %d", name, c, is(c));
	}
	ok(wrong == 0, "%s: all 256 bytes", name);
}

static int
is_hex(int c)
{
	return ascii_hexval(c) != -1;
}

static void
test_classes(void)
{
	char	 ctl[33], print[96];
	int	 c, i;

	for (c = 1, i = 0; c < 0x20; c++)
		ctl[i++] = (char)c;
	ctl[i++] = 0x7f;
	ctl[i] = '\0';
	for (c = 0x20, i = 0; c < 0x7f; c++)
		print[i++] = (char)c;
	print[i] = '\0';
	check_class("ascii_is_digit", ascii_is_digit, DIGITS, 0);
	check_class("ascii_is_alnum", ascii_is_alnum, UPPER LOWER DIGITS, 0);
	check_class("ascii_is_ctl", ascii_is_ctl, ctl, 1);
	check_class("ascii_is_print", ascii_is_print, print, 0);
	check_class("ascii_is_unreserved", ascii_is_unreserved,
	    UPPER LOWER DIGITS "-._~", 0);
	check_class("ascii_hexval", is_hex, DIGITS "abcdefABCDEF", 0);
	is_int(ascii_hexval('0'), 0, "hexval 0");
	is_int(ascii_hexval('9'), 9, "hexval 9");
	is_int(ascii_hexval('a'), 10, "hexval a");
	is_int(ascii_hexval('F'), 15, "hexval F");
	is_int(ascii_hexval('g'), -1, "hexval g");
}

struct rule_case {
	const char	*s;
	size_t		 n;	/* 0: strlen(s) */
	int		 want;
};

/* s for a test's name: at most 40 bytes, '?' for the unprintable ones. */
static const char *
label(char *out, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && i < 40; i++)
		out[i] = ascii_is_print((unsigned char)s[i]) ? s[i] : '?';
	out[i] = '\0';
	return out;
}

/* Every case of one rule; NULL s ends the table. */
static void
check_rule(const char *name, int (*rule)(const char *, size_t),
    const struct rule_case *t)
{
	char	 buf[41];
	size_t	 n;

	for (; t->s != NULL; t++) {
		n = t->n != 0 ? t->n : strlen(t->s);
		is_int(rule(t->s, n), t->want, "%s(\"%s\", %zu)", name,
		    label(buf, t->s, n), n);
	}
}

/*
 * The bytes each side of the ranges A-Z, a-z, 0-9, past ASCII, a NUL and
 * nothing; then the range ends, and one input the rule is for.
 */
#define NEIGHBOURS(extra_ok)						\
	{ "/", 0, 0 }, { ":", 0, 0 }, { "@", 0, 0 }, { "[", 0, 0 },	\
	{ "`", 0, 0 }, { "{", 0, 0 }, { "\x7f", 0, 0 },			\
	{ "\x80", 0, 0 }, { "\xff", 0, 0 }, { " ", 0, 0 },		\
	{ "a\0b", 3, 0 }, { "", 0, 0 },					\
	{ "A", 0, 1 }, { "Z", 0, 1 }, { "a", 0, 1 }, { "z", 0, 1 },	\
	{ "a0", 0, 1 }, { "z9", 0, 1 }, { extra_ok, 0, 1 }

static void
test_sid(void)
{
	static const struct rule_case	 t[] = {
		NEIGHBOURS("CA0123456789abcdef0123456789abcdef"),
		{ "0", 0, 1 }, { "9", 0, 1 },
		{ "CA1-2", 0, 0 }, { "CA_1", 0, 0 }, { "CA.1", 0, 0 },
		{ "CA+1", 0, 0 },
		{ NULL, 0, 0 }
	};
	char	 s[ASCII_SID_MAX + 2];

	check_rule("ascii_sid", ascii_sid, t);
	memset(s, 'A', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	ok(ascii_sid(s, ASCII_SID_MAX), "ascii_sid: %d characters",
	    ASCII_SID_MAX);
	ok(!ascii_sid(s, ASCII_SID_MAX + 1), "ascii_sid: %d characters",
	    ASCII_SID_MAX + 1);
}

static void
test_sip_user(void)
{
	static const struct rule_case	 t[] = {
		NEIGHBOURS("+15551234567"),
		{ "0", 0, 1 }, { "+", 0, 1 }, { "-", 0, 1 }, { ".", 0, 1 },
		{ "_", 0, 1 },
		{ "a;b", 0, 0 }, { "a@b", 0, 0 }, { "a%3B", 0, 0 },
		{ "a~b", 0, 0 }, { "a,b", 0, 0 }, { "*", 0, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("ascii_sip_user", ascii_sip_user, t);
}

static void
test_id(void)
{
	static const struct rule_case	 t[] = {
		NEIGHBOURS("model-1.a_b"),
		{ "0", 0, 1 }, { "-", 0, 1 }, { ".", 0, 1 }, { "_", 0, 1 },
		{ "+1", 0, 0 }, { "a~b", 0, 0 }, { "a/b", 0, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("ascii_id", ascii_id, t);
}

static void
test_name(void)
{
	static const struct rule_case	 t[] = {
		NEIGHBOURS("Caller_Name2"),
		{ "_", 0, 1 }, { "0", 0, 1 }, { "9a", 0, 1 },
		{ "a-b", 0, 0 }, { "a.b", 0, 0 }, { "a+b", 0, 0 },
		{ NULL, 0, 0 }
	};
	static const struct rule_case	 env[] = {
		NEIGHBOURS("SYNTHFLOW_API_KEY"),
		{ "_", 0, 1 }, { "_9", 0, 1 },
		{ "0", 0, 0 }, { "9a", 0, 0 }, { "A-B", 0, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("ascii_name", ascii_name, t);
	check_rule("ascii_env_name", ascii_env_name, env);
}

static void
test_header_token(void)
{
	static const struct rule_case	 t[] = {
		NEIGHBOURS("Caller-Name_2"),
		{ "0", 0, 1 }, { "-", 0, 1 }, { "_", 0, 1 },
		{ "a.b", 0, 0 }, { "a+b", 0, 0 }, { "a:b", 0, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("ascii_header_token", ascii_header_token, t);
}

static void
test_host(void)
{
	static const struct rule_case	 t[] = {
		{ "sip.synthflow.ai", 0, 1 }, { "localhost", 0, 1 },
		{ "10.0.0.1", 0, 1 }, { "a-b", 0, 1 }, { "A.Z.0.9", 0, 1 },
		{ "[::1]", 0, 1 }, { "[2001:DB8::a]", 0, 1 },
		{ "[::ffff:10.0.0.1]", 0, 1 }, { "a-", 0, 1 }, { "a.", 0, 1 },
		{ "", 0, 0 }, { "[", 0, 0 }, { "[]", 0, 0 }, { "[::1", 0, 0 },
		{ "-a", 0, 0 }, { ".a", 0, 0 }, { "-", 0, 0 }, { ".", 0, 0 },
		{ "[::g]", 0, 0 }, { "[::1]x", 0, 0 }, { "::1", 0, 0 },
		{ "a_b", 0, 0 }, { "a b", 0, 0 }, { "a:5060", 0, 0 },
		{ "a/b", 0, 0 }, { "a@b", 0, 0 }, { "\x80", 0, 0 },
		{ "a\0b", 3, 0 }, { "[:\0]", 4, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("ascii_host", ascii_host, t);
}

static void
test_http_url(void)
{
	static const struct rule_case	 t[] = {
		{ "https://api.synthflow.ai", 0, 1 },
		{ "http://127.0.0.1:8080/v2?a=b&c=%20#f", 0, 1 },
		{ "https://", 0, 1 }, { "http://", 0, 1 },
		{ "https://a/!$'()*+,;=:@~-._[]", 0, 1 },
		{ "", 0, 0 }, { "https:/", 0, 0 }, { "http:/", 0, 0 },
		{ "ftp://a", 0, 0 }, { "HTTPS://a", 0, 0 }, { "//a", 0, 0 },
		{ "https://a b", 0, 0 }, { "https://a\"", 0, 0 },
		{ "https://a<", 0, 0 }, { "https://a>", 0, 0 },
		{ "https://a\\", 0, 0 }, { "https://a^", 0, 0 },
		{ "https://a`", 0, 0 }, { "https://a{", 0, 0 },
		{ "https://a|", 0, 0 }, { "https://a}", 0, 0 },
		{ "https://a\x7f", 0, 0 }, { "https://a\x1f", 0, 0 },
		{ "https://a\x80", 0, 0 }, { "https://a\0b", 11, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("ascii_http_url", ascii_http_url, t);
}

/* ASCII runs, then each kind of sequence and each fault after them. */
static void
test_utf8(void)
{
	static const struct rule_case	 t[] = {
		{ "plain ASCII \x01\x1f\x7f", 0, 1 },
		{ "ab\xc3\xa9" "cd", 0, 1 }, { "x\xe6\x97\xa5y\xe6\x97\xa5", 0, 1 },
		{ "abc\xf0\x9f\x98\x80", 0, 1 }, { "\xf4\x8f\xbf\xbf!", 0, 1 },
		{ "\xed\x9f\xbf", 0, 1 }, { "\xe0\xa0\x80", 0, 1 },
		{ "abc\0", 4, 0 }, { "\xc3\xa9\0", 3, 0 },
		{ "abc\x80", 0, 0 }, { "abc\xbf", 0, 0 }, { "abc\xc1\xbf", 0, 0 },
		{ "abc\xc3", 0, 0 }, { "abc\xc3" "A", 0, 0 },
		{ "ab\xe6\x97", 0, 0 }, { "ab\xe6\x97" "A", 0, 0 },
		{ "ab\xe0\x9f\xbf", 0, 0 }, { "ab\xed\xa0\x80", 0, 0 },
		{ "ab\xf0\x8f\xbf\xbf", 0, 0 }, { "ab\xf4\x90\x80\x80", 0, 0 },
		{ "ab\xf0\x9f\x98", 0, 0 }, { "ab\xf5\x80\x80\x80", 0, 0 },
		{ "ab\xff", 0, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("utf8_valid", utf8_valid, t);
	/* Where the length given stops, not where the string does. */
	is_int(utf8_valid("ab\xc3\xa9", 3), 0, "utf8_valid: cut in a sequence");
	is_int(utf8_valid("ab\xc3\xa9", 2), 1, "utf8_valid: cut before it");
	is_int(utf8_valid("", 0), 1, "utf8_valid: empty");
}

static void
test_text(void)
{
	static const struct rule_case	 t[] = {
		{ "Hello, world ~", 0, 1 }, { " ", 0, 1 },
		{ "caf\xc3\xa9", 0, 1 }, { "\xe6\x97\xa5", 0, 1 },
		{ "\xf0\x9f\x98\x80", 0, 1 },
		/* C1 controls are valid UTF-8 and pass, as they always did. */
		{ "\xc2\x80", 0, 1 },
		{ "", 0, 1 },
		{ "a\tb", 0, 0 }, { "a\nb", 0, 0 }, { "a\rb", 0, 0 },
		{ "\x01", 0, 0 }, { "\x1f", 0, 0 }, { "\x7f", 0, 0 },
		{ "a\0b", 3, 0 }, { "\x80", 0, 0 }, { "\xc3", 0, 0 },
		{ "\xc0\xaf", 0, 0 }, { "\xed\xa0\x80", 0, 0 },
		{ "\xf4\x90\x80\x80", 0, 0 }, { "\xff", 0, 0 },
		{ NULL, 0, 0 }
	};

	check_rule("utf8_text_ok", utf8_text_ok, t);
}

int
main(void)
{
	test_classes();
	test_sid();
	test_sip_user();
	test_id();
	test_name();
	test_header_token();
	test_host();
	test_http_url();
	test_utf8();
	test_text();
	return done_testing();
}
