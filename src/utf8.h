/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * UTF-8 validation: strict (no overlong forms, no surrogates, nothing past
 * U+10FFFF), as every text that reaches JSON, XML or a log must be.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
size_t	utf8_seqlen(const unsigned char *p, size_t n);
/* 1 when the n bytes at p are valid UTF-8 with no NUL, else 0. */
int	utf8_valid(const char *p, size_t n);
/*
 * 1 when the n bytes at p are text: valid UTF-8 without an ASCII control
 * character (0x00-0x1f, DEL), else 0.
 */
int	utf8_text_ok(const char *p, size_t n);

#endif
