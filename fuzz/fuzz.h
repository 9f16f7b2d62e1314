/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * What the fuzz targets share: the libFuzzer entry point they define, the
 * cutting of one input into NUL-separated fields, a UTF-8 check written
 * apart from src/utf8.c so that the two can be held against each other,
 * and the one way a target reports a broken property (abort, which both
 * libFuzzer and the replay programs of make check treat as a failure).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_FIELDS_MAX	32

/* The input cut at its NUL bytes; the last field keeps the rest. */
struct fuzz_fields {
	char	*copy;
	size_t	 n;
	char	*field[FUZZ_FIELDS_MAX];
	size_t	 len[FUZZ_FIELDS_MAX];
};

/* libFuzzer's entry point, defined by every fuzz-<name>.c. */
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Cut size bytes at data into at most max fields (max <= FUZZ_FIELDS_MAX);
 * fields past the end of the input are NULL. -1 when out of memory.
 */
int	fuzz_split(struct fuzz_fields *, const uint8_t *data, size_t size,
	    size_t max);
/* Release what fuzz_split allocated. */
void	fuzz_fields_free(struct fuzz_fields *);
/* 1 when the n bytes at s are strict UTF-8 without NUL, else 0. */
int	fuzz_utf8_valid(const char *s, size_t n);
/*
 * Decode the UTF-8 sequence at s (n bytes left) into *cp; its length, or
 * 0 when it is not a valid, shortest-form scalar value.
 */
size_t	fuzz_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Report a broken property and abort. */
void	fuzz_fail(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
