/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of caller_deny.c. The input is three NUL-separated fields: a
 * SYNTHFLOW_CALLER_DENY list, a From, and the text of a deny file (the
 * rest, NUL bytes and all). Both are held against the syntax of
 * caller_deny.h written out again here: a list or file the syntax accepts
 * loads with as many entries and denies exactly the From values an entry
 * is, or is a prefix of; one it refuses fails naming the first bad entry
 * ("entry N:") or line ("f:LINE:").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caller_deny.h"
#include "fuzz.h"

struct oracle {
	const char	*e[4096];	/* entries, not terminated */
	size_t		 len[4096];
	size_t		 n;
	unsigned long	 bad;		/* first bad entry or line, or 0 */
};

/* + and 1 to 15 digits, then an optional "*". */
static int
entry_ok(const char *s, size_t n)
{
	size_t	 i;

	if (n > 0 && s[n - 1] == '*')
		n--;
	if (n < 2 || n > 16 || s[0] != '+')
		return 0;
	for (i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static const char *
trimmed(const char *s, size_t *n)
{
	while (*n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n > 0 && strchr(" \t\r", s[*n - 1]) != NULL)
		(*n)--;
	return s;
}

static void
add(struct oracle *o, const char *s, size_t n, unsigned long where)
{
	if (o->bad != 0)
		return;
	if (!entry_ok(s, n)) {
		o->bad = where;
		return;
	}
	o->e[o->n] = s;
	o->len[o->n++] = n;
}

static void
oracle_list(struct oracle *o, const char *v)
{
	const char	*p = v, *comma, *s;
	unsigned long	 k = 0;
	size_t		 n;

	memset(o, 0, sizeof(*o));
	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		s = trimmed(p, &n);
		add(o, s, n, ++k);
		if (comma == NULL)
			break;
		p = comma + 1;
	}
}

static void
oracle_file(struct oracle *o, const char *text, size_t len)
{
	const char	*p = text, *end = text + len, *nl, *hash, *s;
	unsigned long	 line = 0;
	size_t		 n;

	memset(o, 0, sizeof(*o));
	while (p < end && o->bad == 0) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (memchr(p, '\0', n) != NULL || n > 256) {
			o->bad = line;
			break;
		}
		if ((hash = memchr(p, '#', n)) != NULL)
			n = (size_t)(hash - p);
		s = trimmed(p, &n);
		if (n > 0)
			add(o, s, n, line);
		p = nl != NULL ? nl + 1 : end;
	}
}

static int
oracle_denies(const struct oracle *o, const char *from)
{
	size_t	 i, n;

	for (i = 0; i < o->n; i++) {
		n = o->len[i];
		if (o->e[i][n - 1] == '*') {
			if (strncmp(from, o->e[i], n - 1) == 0)
				return 1;
		} else if (strlen(from) == n && memcmp(from, o->e[i], n) == 0)
			return 1;
	}
	return 0;
}

static void
check(const char *what, struct caller_deny *d, const struct oracle *o,
    const char *errbuf, int file, const char *from)
{
	char	 want[64];

	if (d != NULL && o->bad != 0)
		fuzz_fail("%s: loaded, the syntax refuses %lu", what, o->bad);
	if (d == NULL && o->bad == 0)
		fuzz_fail("%s: refused (%s), the syntax takes %zu entries",
		    what, errbuf, o->n);
	if (d == NULL) {
		if (file)
			snprintf(want, sizeof(want), "f:%lu: ", o->bad);
		else
			snprintf(want, sizeof(want), "entry %lu: ", o->bad);
		if (strncmp(errbuf, want, strlen(want)) != 0)
			fuzz_fail("%s: \"%s\" does not start \"%s\"", what,
			    errbuf, want);
		return;
	}
	if (caller_deny_count(d) != o->n)
		fuzz_fail("%s: %zu entries, the syntax has %zu", what,
		    caller_deny_count(d), o->n);
	if (caller_deny_match(d, from) != oracle_denies(o, from))
		fuzz_fail("%s: From \"%s\" %s, the syntax says otherwise",
		    what, from, caller_deny_match(d, from) ? "denied" :
		    "let through");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields	 f;
	struct caller_deny	*d;
	struct oracle		*o;
	const char		*list, *from, *errstr;
	char			 errbuf[512], *text;
	size_t			 len;

	/* Entries take 3 bytes at least: fewer than the oracle's 4096. */
	if (size > 8192)
		return 0;
	if ((o = malloc(sizeof(*o))) == NULL ||
	    fuzz_split(&f, data, size, 3) == -1) {
		free(o);
		return 0;
	}
	list = f.field[0] != NULL ? f.field[0] : "";
	from = f.field[1] != NULL ? f.field[1] : "";
	len = f.field[2] != NULL ? f.len[2] : 0;
	if (list[0] != '@' && caller_deny_check(list, &errstr) == -1)
		fuzz_fail("the check refuses a list: %s", errstr);
	oracle_list(o, list);
	if (list[0] != '@') {
		errbuf[0] = '\0';
		d = caller_deny_load(list, errbuf, sizeof(errbuf));
		check("list", d, o, errbuf, 0, from);
		caller_deny_free(d);
	}
	if ((text = malloc(len + 1)) != NULL) {
		if (len > 0)
			memcpy(text, f.field[2], len);
		text[len] = '\0';
		oracle_file(o, text, len);
		errbuf[0] = '\0';
		d = caller_deny_parse("f", text, len, errbuf, sizeof(errbuf));
		check("file", d, o, errbuf, 1, from);
		caller_deny_free(d);
		free(text);
	}
	fuzz_fields_free(&f);
	free(o);
	return 0;
}
