/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * SYNTHFLOW_CALLER_DENY, the callers never put through: a comma list of
 * entries, or "@/path" naming a file of one entry a line where "#" starts
 * a comment and blank lines are skipped. An entry is a number, "+" and 1
 * to CALLER_DENY_DIGITS digits, matched whole against From, or such a
 * number ending in "*", a prefix. At most CALLER_DENY_MAX entries; a file
 * of at most CALLER_DENY_FILE_MAX bytes and lines of at most
 * CALLER_DENY_LINE_MAX. What a denied call is answered is the caller's.
 */
#ifndef CALLER_DENY_H
#define CALLER_DENY_H

#include <stddef.h>

#define CALLER_DENY_DIGITS	15
#define CALLER_DENY_MAX		100000
#define CALLER_DENY_LINE_MAX	256
#define CALLER_DENY_FILE_MAX	(4 * 1024 * 1024)

struct caller_deny;

/*
 * Check the setting's form, a list or "@/path": 0, or -1 with *errstr.
 * The entries are checked by caller_deny_load, which says which is wrong.
 */
int	caller_deny_check(const char *value, const char **errstr);
/*
 * The list the setting names, read and checked; NULL with the reason
 * (and the entry's position or the file's line) in errbuf.
 */
struct caller_deny *caller_deny_load(const char *value, char *errbuf,
	    size_t errlen);
/*
 * The file's text (text[len] a NUL, name for the messages) as a list; NULL
 * with "name:LINE: reason" in errbuf.
 */
struct caller_deny *caller_deny_parse(const char *name, const char *text,
	    size_t len, char *errbuf, size_t errlen);
void	caller_deny_free(struct caller_deny *);
/* The number of entries, numbers and prefixes. */
size_t	caller_deny_count(const struct caller_deny *);
/* 1 when from is denied: an entry is it or a prefix of it. */
int	caller_deny_match(const struct caller_deny *, const char *from);

#endif
