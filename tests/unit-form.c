/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of form.c: urlencoded decoding, what it refuses (bad escapes,
 * NUL, invalid UTF-8, too many pairs) and reuse of a form.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "tap.h"

/* Parse s into a fresh form f; returns form_parse's result. */
static int
parse(struct form *f, const char *s, const char **errstr)
{
	form_init(f);
	*errstr = NULL;
	return form_parse(f, s, strlen(s), errstr);
}

/* s must decode to exactly one pair name=value. */
static void
one_pair(const char *s, const char *name, const char *value,
    const char *desc)
{
	struct form	 f;
	const char	*err;

	is_int(parse(&f, s, &err), 0, "%s: accepted", desc);
	is_int(f.n, 1, "%s: one pair", desc);
	if (f.n >= 1) {
		is_str(f.pairs[0].name, name, "%s: name", desc);
		is_str(f.pairs[0].value, value, "%s: value", desc);
	}
	form_free(&f);
}

/* s must be refused with a message. */
static void
refused(const char *s, size_t len, const char *desc)
{
	struct form	 f;
	const char	*err = NULL;

	form_init(&f);
	is_int(form_parse(&f, s, len, &err), -1, "%s: refused", desc);
	ok(err != NULL && *err != '\0', "%s: with a message", desc);
	form_free(&f);
}

static void
test_decoding(void)
{
	struct form	 f;
	const char	*err;

	one_pair("a=1+2", "a", "1 2", "'+' is a space");
	one_pair("a=%2B14158675309", "a", "+14158675309", "%2B is '+'");
	one_pair("a=%2b", "a", "+", "lower-case hex");
	one_pair("a=%41%62%7E", "a", "Ab~", "several escapes");
	one_pair("a%20b+c=d", "a b c", "d", "escapes in the name");
	one_pair("a=%25", "a", "%", "%25 is '%'");
	one_pair("a=%26%3D", "a", "&=", "escaped '&' and '='");
	one_pair("a=b=c", "a", "b=c", "second '=' belongs to the value");
	one_pair("a=", "a", "", "empty value");
	one_pair("a", "a", "", "name without '='");
	one_pair("&&a=1&&", "a", "1", "empty segments around");
	one_pair("a=%C3%A9", "a", "\xc3\xa9", "2-byte UTF-8 (e acute)");
	one_pair("a=%E2%82%AC", "a", "\xe2\x82\xac", "3-byte UTF-8 (euro)");
	one_pair("a=%F0%9F%98%80", "a", "\xf0\x9f\x98\x80",
	    "4-byte UTF-8 (emoji)");
	one_pair("a=%ED%9F%BF", "a", "\xed\x9f\xbf",
	    "U+D7FF, below surrogates");
	one_pair("a=%EE%80%80", "a", "\xee\x80\x80",
	    "U+E000, above surrogates");
	one_pair("a=%F4%8F%BF%BF", "a", "\xf4\x8f\xbf\xbf", "U+10FFFF");
	one_pair("a=\xc3\xa9", "a", "\xc3\xa9", "raw UTF-8");

	is_int(parse(&f, "a=1&&b=2", &err), 0, "a=1&&b=2 accepted");
	is_int(f.n, 2, "a=1&&b=2 has two pairs");
	is_str(form_get(&f, "a"), "1", "a=1&&b=2: a");
	is_str(form_get(&f, "b"), "2", "a=1&&b=2: b");
	ok(form_get(&f, "c") == NULL, "form_get of an absent name is NULL");
	ok(form_find(&f, "b") == &f.pairs[1], "form_find gives the pair");
	ok(form_find(&f, "") == NULL, "form_find of \"\" is NULL");
	form_free(&f);

	is_int(parse(&f, "", &err), 0, "empty input accepted");
	is_int(f.n, 0, "empty input has no pairs");
	form_free(&f);
	is_int(parse(&f, "&&&", &err), 0, "only separators accepted");
	is_int(f.n, 0, "only separators: no pairs");
	form_free(&f);

	is_int(parse(&f, "a=1&a=2&b=3&a=1", &err), 0,
	    "repeated names accepted");
	is_int(f.n, 4, "repeated names are all kept");
	is_str(form_get(&f, "a"), "1", "form_get gives the first value");
	is_str(f.pairs[1].name, "a", "second a kept");
	is_str(f.pairs[1].value, "2", "second a's value kept");
	is_str(f.pairs[3].value, "1", "exact repeat kept too");
	form_free(&f);

	/* Only len bytes count. */
	form_init(&f);
	is_int(form_parse(&f, "a=1&b=2", 3, &err), 0, "length honoured");
	is_int(f.n, 1, "only the first 3 bytes were read");
	is_str(form_get(&f, "a"), "1", "and they are a=1");
	form_free(&f);
	form_init(&f);
	is_int(form_parse(&f, "a=%2Bxyz", 4, &err), -1,
	    "an escape cut by the length is refused");
	form_free(&f);
}

static void
test_refused(void)
{
	refused("a=%", 3, "lone %");
	refused("a=%2", 3, "% with one digit");
	refused("a=%2&b=1", 8, "% with one digit before '&'");
	refused("a=%zz", 5, "%zz");
	refused("a=%g1", 5, "%g1");
	refused("a=%+1", 5, "%+1");
	refused("%=1", 3, "bad escape in a name");
	refused("a=1&b=%x", 8, "bad escape in a later pair");
	refused("a=%00", 5, "%00");
	refused("a%00=1", 6, "%00 in a name");
	refused("a=x\0y", 5, "raw NUL byte");
	refused("a=%C3%28", 8, "invalid continuation %C3%28");
	refused("a=%C0%AF", 8, "overlong %C0%AF");
	refused("a=%E0%80%AF", 11, "overlong 3-byte %E0%80%AF");
	refused("a=%F0%80%80%AF", 14, "overlong 4-byte");
	refused("a=%ED%A0%80", 11, "surrogate %ED%A0%80");
	refused("a=%ED%BF%BF", 11, "surrogate %ED%BF%BF");
	refused("a=%F4%90%80%80", 14, "past U+10FFFF");
	refused("a=%F5%80%80%80", 14, "lead byte F5");
	refused("a=%FF", 5, "%FF");
	refused("a=%80", 5, "lone continuation byte");
	refused("a=%C3", 5, "truncated 2-byte sequence");
	refused("a=%E2%82", 8, "truncated 3-byte sequence");
	refused("a=\xc3\x28", 4, "raw invalid UTF-8");
	refused("%C3%28=1", 8, "invalid UTF-8 in a name");
}

static void
test_limit(void)
{
	struct form	 f;
	char		*data;
	const char	*err;
	size_t		 len = 0, size = 16 * (FORM_MAX_PAIRS + 2);
	int		 i;

	if ((data = malloc(size)) == NULL) {
		diag("out of memory");
		return;
	}
	for (i = 0; i < FORM_MAX_PAIRS; i++)
		len += (size_t)snprintf(data + len, size - len, "%sp%d=%d",
		    i ? "&" : "", i, i);
	form_init(&f);
	is_int(form_parse(&f, data, len, &err), 0,
	    "FORM_MAX_PAIRS (%d) pairs accepted", FORM_MAX_PAIRS);
	is_int(f.n, FORM_MAX_PAIRS, "all of them kept");
	is_str(form_get(&f, "p999"), "999", "the last one is there");
	is_int(form_parse(&f, "x=1", 3, &err), -1,
	    "one more in a second call is refused");
	ok(err != NULL, "with a message");
	form_free(&f);

	len += (size_t)snprintf(data + len, size - len, "&p%d=%d", i, i);
	form_init(&f);
	err = NULL;
	is_int(form_parse(&f, data, len, &err), -1,
	    "FORM_MAX_PAIRS + 1 pairs refused");
	ok(err != NULL && *err != '\0', "with a message");
	ok(f.n <= FORM_MAX_PAIRS, "never more than FORM_MAX_PAIRS kept");
	form_free(&f);
	free(data);
}

static void
test_reuse(void)
{
	struct form		 f;
	struct form_pair	*pairs;
	const char		*err;

	parse(&f, "a=1&b=2&c=3", &err);
	pairs = f.pairs;
	form_reset(&f);
	is_int(f.n, 0, "form_reset drops the pairs");
	ok(form_get(&f, "a") == NULL, "a is gone after form_reset");
	ok(f.pairs == pairs && f.cap > 0, "form_reset keeps the array");
	is_int(form_parse(&f, "d=4", 3, &err), 0, "parse after reset");
	is_int(f.n, 1, "one pair after reuse");
	is_str(form_get(&f, "d"), "4", "the new pair");
	ok(f.pairs == pairs, "the array was reused");
	is_int(form_parse(&f, "e=5", 3, &err), 0, "a second parse appends");
	is_int(f.n, 2, "two pairs after appending");
	is_str(form_get(&f, "e"), "5", "the appended pair");
	form_free(&f);
	ok(f.pairs == NULL && f.n == 0, "form_free releases everything");
	form_reset(&f);		/* harmless on a freed form */

	/* A refused parse can be followed by a reset and a good one. */
	parse(&f, "a=1&b=%zz", &err);
	form_reset(&f);
	is_int(form_parse(&f, "z=26", 4, &err), 0, "parse after a failure");
	is_int(f.n, 1, "only the new pair");
	form_free(&f);
}

int
main(void)
{
	test_decoding();
	test_refused();
	test_limit();
	test_reuse();
	return done_testing();
}
