/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Form decoding: '&'-separated name=value pairs, '+' for space and %XX
 * escapes. Anything that would not survive as text (bad escapes, NUL,
 * invalid UTF-8) is refused rather than repaired, since Twilio never sends
 * it and the signature is computed over the decoded values. The decoded
 * strings share one store that is kept from request to request.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "form.h"
#include "utf8.h"

void
form_init(struct form *f)
{
	f->pairs = NULL;
	f->n = f->cap = 0;
	f->store = NULL;
	f->store_len = f->store_cap = 0;
}

/* Room for n more bytes in the store, moving the pairs along with it. */
static int
store_reserve(struct form *f, size_t n)
{
	char	*p;
	size_t	 cap, i;

	if (n <= f->store_cap - f->store_len)
		return 0;
	cap = f->store_cap ? f->store_cap : 1024;
	while (cap - f->store_len < n)
		cap *= 2;
	/* Not realloc: the pairs are moved while the old store is valid. */
	if ((p = malloc(cap)) == NULL)
		return -1;
	if (f->store_len > 0)
		memcpy(p, f->store, f->store_len);
	for (i = 0; i < f->n; i++) {
		f->pairs[i].name = p + (f->pairs[i].name - f->store);
		f->pairs[i].value = p + (f->pairs[i].value - f->store);
	}
	free(f->store);
	f->store = p;
	f->store_cap = cap;
	return 0;
}

/*
 * Decode one name or value into out, NUL-terminated; its length, or -1 with
 * *errstr on error. out has room for len + 1 bytes.
 */
static long
decode(const char *s, size_t len, char *out, const char **errstr)
{
	size_t	 i, o = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '+')
			out[o++] = ' ';
		else if (s[i] != '%')
			out[o++] = s[i];
		else if (len - i >= 3 &&
		    (hi = ascii_hexval((unsigned char)s[i + 1])) != -1 &&
		    (lo = ascii_hexval((unsigned char)s[i + 2])) != -1) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			*errstr = "bad percent escape";
			return -1;
		}
	}
	out[o] = '\0';
	if (!utf8_valid(out, o)) {
		*errstr = "NUL byte or invalid UTF-8";
		return -1;
	}
	return (long)o;
}

static int
form_append(struct form *f, char *name, char *value, const char **errstr)
{
	struct form_pair	*p;
	size_t			 cap;

	if (f->n == FORM_MAX_PAIRS) {
		*errstr = "too many parameters";
		return -1;
	}
	if (f->n == f->cap) {
		cap = f->cap ? f->cap * 2 : 32;
		if ((p = realloc(f->pairs, cap * sizeof(*p))) == NULL) {
			*errstr = "out of memory";
			return -1;
		}
		f->pairs = p;
		f->cap = cap;
	}
	f->pairs[f->n].name = name;
	f->pairs[f->n].value = value;
	f->n++;
	return 0;
}

int
form_parse(struct form *f, const char *data, size_t len, const char **errstr)
{
	const char	*p = data, *end = data + len, *amp, *eq;
	char		*name, *value;
	long		 n;

	/* Decoding never grows text: the input and two NULs a pair suffice. */
	if (len > 0 && store_reserve(f, 2 * len + 2) == -1) {
		*errstr = "out of memory";
		return -1;
	}
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {		/* empty segment: "a=1&&b=2" */
			p++;
			continue;
		}
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		name = f->store + f->store_len;
		if ((n = decode(p, (size_t)(eq - p), name, errstr)) == -1)
			return -1;
		value = name + n + 1;
		n = eq < amp ? decode(eq + 1, (size_t)(amp - eq - 1), value,
		    errstr) : decode("", 0, value, errstr);
		if (n == -1 || form_append(f, name, value, errstr) == -1)
			return -1;
		f->store_len = (size_t)(value + n + 1 - f->store);
		p = amp + 1;
	}
	return 0;
}

const struct form_pair *
form_find(const struct form *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->pairs[i].name, name) == 0)
			return &f->pairs[i];
	return NULL;
}

const char *
form_get(const struct form *f, const char *name)
{
	const struct form_pair	*p = form_find(f, name);

	return p != NULL ? p->value : NULL;
}

void
form_reset(struct form *f)
{
	f->n = 0;
	f->store_len = 0;
}

void
form_free(struct form *f)
{
	free(f->pairs);
	free(f->store);
	form_init(f);
}
