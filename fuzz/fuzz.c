/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Helpers of the fuzz targets. The UTF-8 decoder here is deliberately not
 * src/utf8.c's: it decodes the code point and then checks its range, where
 * utf8.c checks the second byte against a table, so a disagreement between
 * the two shows a bug in one of them.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int
fuzz_split(struct fuzz_fields *f, const uint8_t *data, size_t size,
    size_t max)
{
	char	*p, *end, *nul;

	memset(f, 0, sizeof(*f));
	if (max == 0 || max > FUZZ_FIELDS_MAX)
		max = FUZZ_FIELDS_MAX;
	if ((f->copy = malloc(size + 1)) == NULL)
		return -1;
	if (size > 0)
		memcpy(f->copy, data, size);
	f->copy[size] = '\0';
	if (size == 0)
		return 0;
	p = f->copy;
	end = f->copy + size;
	while (f->n < max) {
		f->field[f->n] = p;
		if (f->n + 1 < max &&
		    (nul = memchr(p, '\0', (size_t)(end - p))) != NULL) {
			f->len[f->n++] = (size_t)(nul - p);
			p = nul + 1;
		} else {
			f->len[f->n++] = (size_t)(end - p);
			break;
		}
	}
	return 0;
}

void
fuzz_fields_free(struct fuzz_fields *f)
{
	free(f->copy);
	memset(f, 0, sizeof(*f));
}

size_t
fuzz_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t	 min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	uint32_t		 c;
	size_t			 len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int
fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 len;

	while (n > 0) {
		if ((len = fuzz_utf8_decode(p, n, &cp)) == 0 || cp == 0)
			return 0;
		p += len;
		n -= len;
	}
	return 1;
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);
	fputs("fuzz: property violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
