/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of log.c: the key=value helpers (quoting, escaping, number
 * masking), read back with a small independent parser, and the levels and
 * line format of the stderr log.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ascii.h"
#include "buf.h"
#include "log.h"
#include "tap.h"
#include "utf8.h"

/* log_kv(key, value) must append exactly want. */
static void
kv(const char *key, const char *value, const char *want, const char *desc)
{
	struct buf	 b;

	buf_init(&b, 4096);
	is_int(log_kv(&b, key, value), 0, "%s: log_kv returns 0", desc);
	is_str(buf_str(&b), want, "%s", desc);
	buf_free(&b);
}

static void
masked(const char *value, const char *want, const char *desc)
{
	struct buf	 b;

	buf_init(&b, 4096);
	is_int(log_kv_masked(&b, "from", value), 0,
	    "%s: log_kv_masked returns 0", desc);
	is_str(buf_str(&b), want, "masked %s", desc);
	buf_free(&b);
}

/*
 * 1 when the n bytes at s are printable text: valid UTF-8 without C0
 * controls, DEL, C1 controls (C2 80..C2 9F), U+2028 or U+2029.
 */
static int
printable(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	if (!utf8_valid(s, n))
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] < ' ' || p[i] == 0x7f)
			return 0;
		if (i + 1 < n && p[i] == 0xc2 && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return 0;
		if (i + 2 < n && p[i] == 0xe2 && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
			return 0;
	}
	return 1;
}

/*
 * Read one " key=value" from *pp the way a log reader would: a value is
 * either bare (up to a space) or quoted with \" \\ and \xNN. Returns 0, or
 * -1 when the text is not of that form.
 */
static int
read_kv(const char **pp, char *key, size_t keylen, char *value,
    size_t valuelen)
{
	const char	*p = *pp;
	size_t		 k = 0, v = 0;
	int		 hi, lo;

	if (*p++ != ' ')
		return -1;
	while (*p != '=' && *p != '\0' && *p != ' ' && k + 1 < keylen)
		key[k++] = *p++;
	key[k] = '\0';
	if (*p++ != '=' || k == 0)
		return -1;
	if (*p != '"') {
		while (*p != ' ' && *p != '\0' && v + 1 < valuelen) {
			if (*p == '"' || *p == '\\')
				return -1;
			value[v++] = *p++;
		}
	} else {
		for (p++; *p != '"'; p++) {
			if (*p == '\0' || v + 1 >= valuelen)
				return -1;
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				return -1;	/* raw control in a line */
			if (*p != '\\') {
				value[v++] = *p;
				continue;
			}
			p++;
			if (*p == '"' || *p == '\\')
				value[v++] = *p;
			else if (*p == 'x' &&
			    (hi = ascii_hexval(p[1])) != -1 &&
			    (lo = ascii_hexval(p[2])) != -1) {
				value[v++] = (char)(hi << 4 | lo);
				p += 2;
			} else
				return -1;
		}
		p++;
		if (*p != ' ' && *p != '\0')
			return -1;
	}
	value[v] = '\0';
	*pp = p;
	return 0;
}

/* log_kv of a hostile value reads back as one key with the same value. */
static void
roundtrip(const char *value, const char *desc)
{
	struct buf	 b;
	const char	*p;
	char		 key[64], got[1024];
	int		 rc;

	buf_init(&b, 4096);
	log_kv(&b, "k", value);
	p = buf_str(&b);
	ok(printable(p, strlen(p)), "%s: printable text", desc);
	rc = read_kv(&p, key, sizeof(key), got, sizeof(got));
	ok(rc == 0 && *p == '\0' && strcmp(key, "k") == 0,
	    "%s: reads back as exactly one key", desc);
	if (rc != 0 || *p != '\0')
		diag("line: %s", buf_str(&b));
	is_str(rc == 0 ? got : NULL, value, "%s: value reads back", desc);
	buf_free(&b);
}

static void
test_kv(void)
{
	struct buf	 b;

	kv("k", "plain", " k=plain", "plain value");
	kv("call_sid", "CA0123456789abcdef", " call_sid=CA0123456789abcdef",
	    "CallSid");
	kv("k", "two words", " k=\"two words\"", "space: quoted");
	kv("k", "say \"hi\" \\ now", " k=\"say \\\"hi\\\" \\\\ now\"",
	    "quote and backslash escaped");
	kv("k", "a\"b", " k=\"a\\\"b\"", "a quote alone forces quoting");
	kv("k", "a\x01z", " k=\"a\\x01z\"", "control char as \\x01");
	kv("k", "line\nbreak", " k=\"line\\x0abreak\"", "newline as \\x0a");
	kv("k", "tab\there", " k=\"tab\\x09here\"", "tab as \\x09");
	kv("k", "del\x7f", " k=\"del\\x7f\"", "DEL as \\x7f");
	/* log.h: "-" when empty, so that the key always has a value. */
	kv("k", NULL, " k=-", "NULL value");
	kv("k", "", " k=-", "empty value");
	kv("k", "caf\xc3\xa9", " k=caf\xc3\xa9", "UTF-8 stays plain");

	roundtrip("x forged=1", "a value that looks like a second key");
	roundtrip("x\" forged=\"1", "a quote that tries to end the value");
	roundtrip("a\r\ninfo: fake line", "a value that tries a new line");
	roundtrip("\\x41", "a literal backslash-x");
	roundtrip("=", "a lone '='");
	roundtrip("\x1b[31mred", "an escape sequence");
	roundtrip("+1555\xc2\x85info: fake", "a NEL that tries a new line");
	roundtrip("\xc2\x9b" "31m\xe2\x80\xa8\xe2\x80\xa9\xff\xc3",
	    "8-bit CSI, separators, bytes that are not UTF-8");
	roundtrip("caf\xc3\xa9 \xc2\x85", "UTF-8 text with a NEL");

	buf_init(&b, 4096);
	log_kv(&b, "a", "1");
	log_kv(&b, "b", "two 2");
	is_str(buf_str(&b), " a=1 b=\"two 2\"", "log_kv appends");
	buf_free(&b);

	buf_init(&b, 8);
	is_int(log_kv(&b, "k", "a long value"), -1,
	    "log_kv reports a full buffer");
	buf_free(&b);
}

/* C1 controls, U+2028/9 and what is not UTF-8 are \xNN; text stays. */
static void
test_kv_unicode(void)
{
	struct buf	 b;
	char		 big[400];
	size_t		 i;

	kv("k", "a\xc2\x85z", " k=\"a\\xc2\\x85z\"",
	    "NEL (U+0085) as \\xc2\\x85");
	kv("k", "\xc2\x9b" "31m", " k=\"\\xc2\\x9b31m\"",
	    "8-bit CSI (U+009B) escaped");
	kv("k", "\xc2\x80", " k=\"\\xc2\\x80\"", "U+0080, the first C1");
	kv("k", "\xc2\x9f", " k=\"\\xc2\\x9f\"", "U+009F, the last C1");
	kv("k", "\xc2\xa0", " k=\xc2\xa0", "U+00A0, after C1, stays");
	kv("k", "a\xe2\x80\xa8z", " k=\"a\\xe2\\x80\\xa8z\"",
	    "LINE SEPARATOR (U+2028) escaped");
	kv("k", "a\xe2\x80\xa9z", " k=\"a\\xe2\\x80\\xa9z\"",
	    "PARAGRAPH SEPARATOR (U+2029) escaped");
	kv("k", "\xe2\x80\xa7\xe2\x80\xb0", " k=\xe2\x80\xa7\xe2\x80\xb0",
	    "U+2027 and U+2030, their neighbours, stay");
	kv("k", "\xe6\x97\xa5\xe6\x9c\xac", " k=\xe6\x97\xa5\xe6\x9c\xac",
	    "CJK stays plain");
	kv("k", "\xf0\x9f\x98\x80", " k=\xf0\x9f\x98\x80",
	    "a 4-byte character stays plain");
	kv("k", "caf\xc3\xa9 \xc2\x85", " k=\"caf\xc3\xa9 \\xc2\\x85\"",
	    "quoted: UTF-8 raw, NEL escaped");
	kv("k", "a\xffz", " k=\"a\\xffz\"", "a byte that is never UTF-8");
	kv("k", "\x80", " k=\"\\x80\"", "a lone continuation byte");
	kv("k", "a\xe2\x80", " k=\"a\\xe2\\x80\"", "a cut sequence");
	kv("k", "\xc0\xaf", " k=\"\\xc0\\xaf\"", "an overlong '/'");
	kv("k", "\xed\xa0\x80", " k=\"\\xed\\xa0\\x80\"",
	    "a surrogate (U+D800)");
	kv("k", "\xe2\x80\xa8\xc3\xa9", " k=\"\\xe2\\x80\\xa8\xc3\xa9\"",
	    "the character after an escape is read afresh");
	masked("+1415867\xc2\x85" "5309", " from=\"+xxxxxxx\\xc2\\x855309\"",
	    "a NEL in a masked number");

	/* A cut value: the C1 control at its end still escaped. */
	memset(big, 'a', sizeof(big));
	big[254] = '\xc2';
	big[255] = '\x85';
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 4096);
	log_kv(&b, "k", big);
	has_str(buf_str(&b), "a\\xc2\\x85...\"",
	    "cut: a NEL before the cut escaped");
	ok(printable(buf_str(&b), b.len), "cut: printable text");
	buf_free(&b);
	for (i = 0; i + 2 < sizeof(big); i += 2) {
		big[i] = '\xc2';
		big[i + 1] = '\x85';
	}
	big[i] = '\0';
	buf_init(&b, 4096);
	is_int(log_kv(&b, "k", big), 0, "a value of NELs only");
	ok(printable(buf_str(&b), b.len), "a value of NELs only: printable");
	has_str(buf_str(&b), "\\xc2\\x85...\"",
	    "a value of NELs only: cut whole");
	buf_free(&b);
}

static void
test_masked(void)
{
	masked("+14158675309", " from=+xxxxxxx5309", "E.164 number");
	masked("14158675309", " from=xxxxxxx5309", "number without +");
	masked("anonymous", " from=anonymous", "anonymous");
	masked("client:alice", " from=client:alice", "client name");
	masked("123", " from=123", "short number");
	masked("5309", " from=5309", "four digits");
	masked("12345", " from=x2345", "five digits");
	masked("sip:+14158675309@example.com",
	    " from=sip:+xxxxxxx5309@example.com", "SIP address");
	masked("+1 (415) 867-5309", " from=\"+x (xxx) xxx-5309\"",
	    "formatted number, quoted");
	masked("", " from=-", "empty");
	masked(NULL, " from=-", "NULL");
}

/* Run the log functions with stderr sent to a file; return what came out. */
static char *
capture(void (*fn)(void))
{
	FILE	*fp;
	char	*out;
	long	 n;
	int	 saved;

	if ((fp = tmpfile()) == NULL)
		return NULL;
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(fp), STDERR_FILENO);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = ftell(fp);
	if (n < 0 || (out = calloc(1, (size_t)n + 1)) == NULL) {
		fclose(fp);
		return NULL;
	}
	rewind(fp);
	if (fread(out, 1, (size_t)n, fp) != (size_t)n)
		out[0] = '\0';
	fclose(fp);
	return out;
}

static void
log_some(void)
{
	log_init(LOG_TO_STDERR, LOG_LEVEL_WARN);
	log_error("first %d", 1);
	log_warn("second %s", "two");
	log_info("not shown");
	log_debug("not shown either");
}

static void
log_long(void)
{
	char	 big[10000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_init(LOG_TO_STDERR, LOG_LEVEL_DEBUG);
	log_debug("%s", big);
	log_info("after");
}

static void
log_hostile(void)
{
	log_init(LOG_TO_STDERR, LOG_LEVEL_INFO);
	log_warn("routes: %s",
	    "a\nerror: forged\xc2\x85" "b\xe2\x80\xa8" "c\xff\tz");
	log_info("caf\xc3\xa9 \xe6\x97\xa5 \\x41");
}

/* A message of 3-byte characters past the line's size. */
static void
log_long_utf8(void)
{
	char	 big[6001];
	size_t	 i;

	for (i = 0; i + 3 < sizeof(big); i += 3)
		memcpy(big + i, "\xe6\x97\xa5", 3);
	big[i] = '\0';
	log_init(LOG_TO_STDERR, LOG_LEVEL_INFO);
	log_info("%s", big);
	for (i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\xc2\x85", 2);
	big[i] = '\0';
	log_info("%s", big);
}

static void
log_off(void)
{
	log_init(LOG_TO_OFF, LOG_LEVEL_DEBUG);
	log_error("nothing");
}

/* The number of complete lines in s; -1 when the last one is cut. */
static int
lines(const char *s)
{
	int	 n = 0;

	if (s == NULL)
		return -1;
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		n += *s == '\n';
	return s[-1] == '\n' ? n : -1;
}

/* 1 when s is complete lines, each printable text. */
static int
lines_printable(const char *s)
{
	size_t	 n;

	if (s == NULL || lines(s) <= 0)
		return 0;
	for (; *s != '\0'; s += n + 1)
		if (!printable(s, n = strcspn(s, "\n")))
			return 0;
	return 1;
}

static void
test_levels(void)
{
	char	*out, *nl;

	log_init(LOG_TO_STDERR, LOG_LEVEL_WARN);
	ok(log_enabled(LOG_LEVEL_ERROR), "error enabled at level warn");
	ok(log_enabled(LOG_LEVEL_WARN), "warn enabled at level warn");
	ok(!log_enabled(LOG_LEVEL_INFO), "info disabled at level warn");
	ok(!log_enabled(LOG_LEVEL_DEBUG), "debug disabled at level warn");
	log_init(LOG_TO_OFF, LOG_LEVEL_DEBUG);
	ok(!log_enabled(LOG_LEVEL_ERROR), "nothing enabled when off");

	out = capture(log_some);
	ok(out != NULL, "stderr captured");
	has_str(out, "first 1\n", "error line written");
	has_str(out, "second two\n", "warn line written");
	lacks_str(out, "not shown", "info and debug not written");
	is_int(lines(out), 2, "exactly two lines");
	free(out);

	out = capture(log_long);
	is_int(lines(out), 2, "an over-long message is cut to one line");
	ok(out != NULL && (nl = strchr(out, '\n')) != NULL &&
	    strstr(nl + 1, "after\n") != NULL && strchr(nl + 1, 'x') == NULL,
	    "the next message is a line of its own");
	ok(out != NULL && strlen(out) < 4096 + 100,
	    "the cut line is bounded");
	free(out);

	out = capture(log_off);
	is_str(out, "", "nothing written when off");
	free(out);

	out = capture(log_hostile);
	is_int(lines(out), 2, "hostile messages: one line each");
	has_str(out, ": warn: routes: a\\x0aerror: forged\\xc2\\x85" "b"
	    "\\xe2\\x80\\xa8" "c\\xff\\x09z\n",
	    "a message's LF, NEL, U+2028, bad byte and tab as \\xNN");
	has_str(out, ": info: caf\xc3\xa9 \xe6\x97\xa5 \\x41\n",
	    "a message's UTF-8 text and backslashes as they are");
	ok(lines_printable(out), "each line is printable text");
	free(out);

	out = capture(log_long_utf8);
	is_int(lines(out), 2, "over-long UTF-8 messages: one line each");
	ok(lines_printable(out), "over-long UTF-8 messages: cut between "
	    "characters and escapes, printable text");
	ok(out != NULL && strcspn(out, "\n") < 4096 &&
	    (nl = strchr(out, '\n')) != NULL && strlen(nl + 1) <= 4096,
	    "over-long UTF-8 messages: each line bounded");
	ok(out != NULL && (nl = strchr(out, '\n')) != NULL &&
	    strstr(nl + 1, "\\xc2\\x85") != NULL,
	    "over-long escaped message: its NELs escaped");
	free(out);
	log_init(LOG_TO_STDERR, LOG_LEVEL_INFO);
}

int
main(void)
{
	test_kv();
	test_kv_unicode();
	test_masked();
	test_levels();
	return done_testing();
}
