/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * application/x-www-form-urlencoded decoding into name/value pairs, for
 * Twilio's POST bodies and query strings alike.
 */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>

#define FORM_MAX_PAIRS	1000	/* a Twilio voice webhook sends about 20 */

struct form_pair {
	char	*name;
	char	*value;
};

struct form {
	struct form_pair	*pairs;
	size_t			 n;
	size_t			 cap;
	char			*store;		/* the decoded strings */
	size_t			 store_len;
	size_t			 store_cap;
};

/* Prepare an empty form. */
void	form_init(struct form *);
/*
 * Decode len bytes of urlencoded data and append the pairs; -1 with *errstr
 * set on a bad % escape, a NUL byte, invalid UTF-8 or too many pairs.
 */
int	form_parse(struct form *, const char *, size_t len, const char **errstr);
/* The first pair called name, or NULL. */
const struct form_pair *form_find(const struct form *, const char *name);
/* The first value of name, or NULL. */
const char *form_get(const struct form *, const char *name);
/* Drop all pairs, keeping the memory for reuse. */
void	form_reset(struct form *);
/* Release everything. */
void	form_free(struct form *);

#endif
