/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The deny list of callers (syntax in caller_deny.h): two sorted arrays,
 * the whole numbers and the prefixes, each searched with bsearch, so a
 * call costs at most one search per prefix length however long the list.
 * The list is read once per configuration (start and SIGHUP) and only
 * read after, so workers share it without a lock.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caller_deny.h"
#include "file.h"

#define ENTRY_SIZE	(CALLER_DENY_DIGITS + 2)	/* "+", digits, NUL */

struct entries {
	char	(*e)[ENTRY_SIZE];
	size_t	 n, cap;
};

struct caller_deny {
	struct entries	 whole;
	struct entries	 prefix;	/* without their "*" */
};

/* Is s[0..n) an entry? 0 with *prefix set, or -1 and why. */
static int
entry_check(const char *s, size_t n, int *prefix, const char **errstr)
{
	size_t	 i;

	*prefix = n > 0 && s[n - 1] == '*';
	if (*prefix)
		n--;
	if (n == 0) {
		*errstr = *prefix ? "a lone * would deny every caller" :
		    "an empty entry";
		return -1;
	}
	if (s[0] != '+' || n < 2 || n > CALLER_DENY_DIGITS + 1) {
		*errstr = "not + and 1 to 15 digits, with an optional * at "
		    "the end";
		return -1;
	}
	for (i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9') {
			*errstr = "not + and 1 to 15 digits, with an optional "
			    "* at the end";
			return -1;
		}
	return 0;
}

/* Trim blanks around s[0..*n). */
static const char *
trim(const char *s, size_t *n)
{
	while (*n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t' ||
	    s[*n - 1] == '\r'))
		(*n)--;
	return s;
}

int
caller_deny_check(const char *value, const char **errstr)
{
	if (value[0] == '@' && value[1] != '/') {
		*errstr = "@ must be followed by an absolute path";
		return -1;
	}
	return 0;
}

static int
add(struct caller_deny *d, const char *s, size_t n, const char **errstr)
{
	struct entries	*es;
	char		(*e)[ENTRY_SIZE];
	size_t		 cap;
	int		 prefix;

	if (entry_check(s, n, &prefix, errstr) == -1)
		return -1;
	if (d->whole.n + d->prefix.n >= CALLER_DENY_MAX) {
		*errstr = "more than 100000 entries";
		return -1;
	}
	es = prefix ? &d->prefix : &d->whole;
	if (es->n == es->cap) {
		cap = es->cap == 0 ? 16 : es->cap * 2;
		if ((e = reallocarray(es->e, cap, sizeof(*e))) == NULL) {
			*errstr = "out of memory";
			return -1;
		}
		es->e = e;
		es->cap = cap;
	}
	memcpy(es->e[es->n], s, n - prefix);
	es->e[es->n][n - prefix] = '\0';
	es->n++;
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
sort(struct caller_deny *d)
{
	if (d->whole.n > 1)
		qsort(d->whole.e, d->whole.n, ENTRY_SIZE, cmp_entry);
	if (d->prefix.n > 1)
		qsort(d->prefix.e, d->prefix.n, ENTRY_SIZE, cmp_entry);
}

/* The comma list of the setting itself. */
static int
parse_list(struct caller_deny *d, const char *value, char *errbuf,
    size_t errlen)
{
	const char	*p, *s, *errstr;
	size_t		 n, len, i = 0;

	for (p = value;; p += len + 1) {
		len = strcspn(p, ",");
		n = len;
		s = trim(p, &n);
		i++;
		if (add(d, s, n, &errstr) == -1) {
			snprintf(errbuf, errlen, "entry %zu: %s", i, errstr);
			return -1;
		}
		if (p[len] == '\0')
			return 0;
	}
}

/* A file's text, text[len] a NUL: one entry a line. */
static int
parse_lines(struct caller_deny *d, const char *path, const char *text,
    size_t len, char *errbuf, size_t errlen)
{
	const char	*p, *s, *end = text + len, *errstr;
	size_t		 n, linelen;
	unsigned long	 lineno = 0;

	for (p = text; p < end; p += linelen + 1) {
		linelen = strcspn(p, "\n");
		lineno++;
		if (p + linelen < end && p[linelen] != '\n') {
			snprintf(errbuf, errlen, "%s:%lu: a NUL byte", path,
			    lineno);
			return -1;
		}
		if (linelen > CALLER_DENY_LINE_MAX) {
			snprintf(errbuf, errlen, "%s:%lu: longer than %d bytes",
			    path, lineno, CALLER_DENY_LINE_MAX);
			return -1;
		}
		n = strcspn(p, "#\n");
		s = trim(p, &n);
		if (n == 0)
			continue;
		if (add(d, s, n, &errstr) == -1) {
			snprintf(errbuf, errlen, "%s:%lu: %s", path, lineno,
			    errstr);
			return -1;
		}
	}
	return 0;
}

struct caller_deny *
caller_deny_load(const char *value, char *errbuf, size_t errlen)
{
	struct caller_deny	*d;
	const char		*errstr;
	char			*text = NULL, why[256];
	size_t			 len;
	int			 rc;

	if (caller_deny_check(value, &errstr) == -1) {
		snprintf(errbuf, errlen, "%s", errstr);
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (value[0] != '@')
		rc = parse_list(d, value, errbuf, errlen);
	else if ((text = file_read_regular(value + 1, CALLER_DENY_FILE_MAX,
	    &len, why, sizeof(why))) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", value + 1, why);
		rc = -1;
	} else
		rc = parse_lines(d, value + 1, text, len, errbuf, errlen);
	free(text);
	if (rc == -1) {
		caller_deny_free(d);
		return NULL;
	}
	sort(d);
	return d;
}

struct caller_deny *
caller_deny_parse(const char *name, const char *text, size_t len,
    char *errbuf, size_t errlen)
{
	struct caller_deny	*d;

	if (text[len] != '\0') {
		snprintf(errbuf, errlen, "%s: not terminated", name);
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (parse_lines(d, name, text, len, errbuf, errlen) == -1) {
		caller_deny_free(d);
		return NULL;
	}
	sort(d);
	return d;
}

void
caller_deny_free(struct caller_deny *d)
{
	if (d == NULL)
		return;
	free(d->whole.e);
	free(d->prefix.e);
	free(d);
}

size_t
caller_deny_count(const struct caller_deny *d)
{
	return d != NULL ? d->whole.n + d->prefix.n : 0;
}

static int
found(const struct entries *es, const char *key)
{
	return es->n > 0 &&
	    bsearch(key, es->e, es->n, ENTRY_SIZE, cmp_entry) != NULL;
}

int
caller_deny_match(const struct caller_deny *d, const char *from)
{
	char	 key[ENTRY_SIZE];
	size_t	 len, k;

	if (d == NULL || from == NULL || from[0] != '+')
		return 0;
	len = strlen(from);
	if (len < ENTRY_SIZE && found(&d->whole, from))
		return 1;
	for (k = 2; k <= len && k < ENTRY_SIZE; k++) {
		memcpy(key, from, k);
		key[k] = '\0';
		if (found(&d->prefix, key))
			return 1;
	}
	return 0;
}
