/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * A growable byte buffer with a hard cap, so that nothing read from outside
 * can make the program allocate without bound.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char	*data;		/* always NUL-terminated once allocated */
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* len never exceeds this */
};

/* Prepare an empty buffer that refuses to grow past max bytes. */
void	buf_init(struct buf *, size_t max);
/* Append n bytes; -1 (buffer unchanged) when over the cap or out of memory. */
int	buf_add(struct buf *, const void *, size_t n);
/* Append a NUL-terminated string. */
int	buf_addstr(struct buf *, const char *);
/* Append one byte. */
int	buf_addc(struct buf *, int);
/* Append printf-style formatted text. */
int	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Forget the contents but keep the memory for reuse. */
void	buf_reset(struct buf *);
/* Release the memory. */
void	buf_free(struct buf *);
/* The contents as a C string ("" when nothing was ever added). */
const char *buf_str(const struct buf *);

#endif
