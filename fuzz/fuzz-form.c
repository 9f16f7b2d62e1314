/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of form.c (and of utf8.c under it). The input is decoded as a
 * whole, and again cut at the next occurrence of its first byte into a query
 * string and a body appended to one form, as call.c reads both. A second
 * decoder written here from the rules (segments split at '&', the name up
 * to the first '=', '+' for space, %XX, then strict UTF-8 without NUL, at
 * most FORM_MAX_PAIRS pairs) must agree with form_parse on every input.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "utf8.h"
#include "fuzz.h"

struct expect {
	char	*name[FORM_MAX_PAIRS];
	size_t	 namelen[FORM_MAX_PAIRS];
	char	*value[FORM_MAX_PAIRS];
	size_t	 valuelen[FORM_MAX_PAIRS];
	size_t	 n;
};

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode len bytes at s into *out (*outlen bytes); -1 when invalid. */
static int
oracle_decode(const char *s, size_t len, char **out, size_t *outlen)
{
	char	*d;
	size_t	 i, o = 0;

	if ((d = malloc(len + 1)) == NULL)
		abort();
	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			if (i + 2 >= len ||
			    hex((unsigned char)s[i + 1]) == -1 ||
			    hex((unsigned char)s[i + 2]) == -1) {
				free(d);
				return -1;
			}
			d[o++] = (char)(hex((unsigned char)s[i + 1]) * 16 +
			    hex((unsigned char)s[i + 2]));
			i += 2;
		} else
			d[o++] = s[i] == '+' ? ' ' : s[i];
	}
	d[o] = '\0';
	if (!fuzz_utf8_valid(d, o)) {
		free(d);
		return -1;
	}
	*out = d;
	*outlen = o;
	return 0;
}

static void
oracle_free(struct expect *e)
{
	size_t	 i;

	for (i = 0; i < e->n; i++) {
		free(e->name[i]);
		free(e->value[i]);
	}
	e->n = 0;
}

/* What form_parse must make of s: 0 and the pairs in e, or -1. */
static int
oracle_parse(struct expect *e, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *amp, *eq;

	e->n = 0;
	for (; p < end; p = amp + 1) {
		for (amp = p; amp < end && *amp != '&'; amp++)
			;
		if (amp == p)
			continue;
		for (eq = p; eq < amp && *eq != '='; eq++)
			;
		if (e->n == FORM_MAX_PAIRS)
			return -1;
		if (oracle_decode(p, (size_t)(eq - p), &e->name[e->n],
		    &e->namelen[e->n]) == -1)
			return -1;
		if (oracle_decode(eq < amp ? eq + 1 : eq,
		    eq < amp ? (size_t)(amp - eq - 1) : 0, &e->value[e->n],
		    &e->valuelen[e->n]) == -1) {
			free(e->name[e->n]);
			return -1;
		}
		e->n++;
	}
	return 0;
}

/* Every pair of f is valid text, and f is within its limits. */
static void
check_pairs(const struct form *f)
{
	size_t	 i;

	if (f->n > FORM_MAX_PAIRS || f->n > f->cap)
		fuzz_fail("form: n %zu cap %zu", f->n, f->cap);
	for (i = 0; i < f->n; i++) {
		if (f->pairs[i].name == NULL || f->pairs[i].value == NULL)
			fuzz_fail("form: pair %zu has a NULL member", i);
		if (!utf8_valid(f->pairs[i].name, strlen(f->pairs[i].name)) ||
		    !utf8_valid(f->pairs[i].value,
		    strlen(f->pairs[i].value)))
			fuzz_fail("form: pair %zu is not valid UTF-8", i);
	}
}

/* form_find and form_get give the first pair of each name. */
static void
check_find(const struct form *f)
{
	const struct form_pair	*p;
	size_t			 i, j;

	for (i = 0; i < f->n && i < 16; i++) {
		p = form_find(f, f->pairs[i].name);
		for (j = 0; strcmp(f->pairs[j].name, f->pairs[i].name) != 0;
		    j++)
			;
		if (p != &f->pairs[j] ||
		    form_get(f, f->pairs[i].name) != f->pairs[j].value)
			fuzz_fail("form_find(\"%s\"): not the first pair",
			    f->pairs[i].name);
	}
}

/* form_parse must agree with the oracle on len bytes at s. */
static void
check_whole(const char *s, size_t len)
{
	struct form	 f;
	struct expect	*e;
	const char	*err = NULL;
	size_t		 i;
	int		 rc, want;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		abort();
	form_init(&f);
	rc = form_parse(&f, s, len, &err);
	want = oracle_parse(e, s, len);
	check_pairs(&f);
	if (rc != want)
		fuzz_fail("form_parse gives %d (%s), the rules %d", rc,
		    rc == -1 && err != NULL ? err : "", want);
	if (rc == -1 && (err == NULL || *err == '\0'))
		fuzz_fail("form_parse failed without a reason");
	if (rc == 0) {
		if (f.n != e->n)
			fuzz_fail("form_parse gives %zu pairs, the rules %zu",
			    f.n, e->n);
		for (i = 0; i < f.n; i++)
			if (strlen(f.pairs[i].name) != e->namelen[i] ||
			    memcmp(f.pairs[i].name, e->name[i],
			    e->namelen[i]) != 0 ||
			    strlen(f.pairs[i].value) != e->valuelen[i] ||
			    memcmp(f.pairs[i].value, e->value[i],
			    e->valuelen[i]) != 0)
				fuzz_fail("pair %zu: \"%s\"=\"%s\", the rules "
				    "\"%s\"=\"%s\"", i, f.pairs[i].name,
				    f.pairs[i].value, e->name[i], e->value[i]);
		check_find(&f);
	}
	form_reset(&f);
	if (f.n != 0)
		fuzz_fail("form_reset leaves %zu pairs", f.n);
	form_free(&f);
	if (f.pairs != NULL || f.n != 0 || f.cap != 0)
		fuzz_fail("form_free leaves a used form");
	oracle_free(e);
	free(e);
}

/* A query string and a body into one form, then the body alone again. */
static void
check_split(const uint8_t *data, size_t size)
{
	struct form	 f;
	const char	*q, *body, *err = NULL;
	size_t		 qlen, blen, nb;
	int		 rq, rb;

	q = (const char *)data + 1;
	if ((body = memchr(q, data[0], size - 1)) == NULL) {
		qlen = size - 1;
		body = q + qlen;
		blen = 0;
	} else {
		qlen = (size_t)(body - q);
		body++;
		blen = size - 1 - qlen - 1;
	}
	form_init(&f);
	rq = form_parse(&f, q, qlen, &err);
	rb = rq == 0 ? form_parse(&f, body, blen, &err) : -1;
	check_pairs(&f);
	if (rq == 0 && rb == 0)
		check_find(&f);
	form_reset(&f);
	rb = form_parse(&f, body, blen, &err);
	nb = f.n;
	check_pairs(&f);
	form_reset(&f);
	/* The body again into the reused array: the same pairs. */
	if (rb == 0 && (form_parse(&f, body, blen, &err) != 0 || f.n != nb))
		fuzz_fail("a reset form decodes the body differently");
	form_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t	 cp;
	size_t		 a, b;

	/* utf8.c against the decoder of fuzz.c, on the raw input. */
	if (utf8_valid((const char *)data, size) !=
	    fuzz_utf8_valid((const char *)data, size))
		fuzz_fail("utf8_valid gives %d on the input",
		    utf8_valid((const char *)data, size));
	a = utf8_seqlen(data, size);
	b = fuzz_utf8_decode(data, size, &cp);
	if (a != b)
		fuzz_fail("utf8_seqlen gives %zu, the decoder %zu", a, b);

	check_whole((const char *)data, size);
	if (size > 0)
		check_split(data, size);
	return 0;
}
