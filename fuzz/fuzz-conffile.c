/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of conffile.c. Each line of the input goes through
 * conffile_parse_line, which must agree with the syntax written out again
 * here (blanks trimmed, '#' comments, NAME=value, NAME of
 * [A-Za-z_][A-Za-z0-9_]*, a double-quoted value with \" and \\); then the
 * whole input is written to a temporary file for conffile_read, whose
 * callbacks must be those lines' settings in order, with their numbers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "fuzz.h"

#define READ_MAX	(64 * 1024)	/* larger inputs skip conffile_read */
#define LINES_MAX	4096

struct setting {
	char		*name;
	char		*value;
	unsigned long	 lineno;
};

struct expect {
	struct setting	 s[LINES_MAX];
	size_t		 n;		/* settings */
	size_t		 next;		/* the next callback's */
	unsigned long	 bad;		/* first bad or rejected line, or 0 */
	int		 rejected;	/* the callback stops at bad */
	int		 exact;		/* conffile_read must match */
};

static int
blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
name_ok(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	    *s == '_'))
		return 0;
	for (s++; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/*
 * The syntax, written out: the result conffile_parse_line must give for
 * the line s of len bytes, and the new strings of the setting.
 */
static int
oracle(const char *s, size_t len, char **name, char **value)
{
	size_t	 b = 0, e = len, eq, ne, vb, i;
	char	*v;

	while (b < e && blank(s[b]))
		b++;
	while (e > b && (blank(s[e - 1]) || s[e - 1] == '\r' ||
	    s[e - 1] == '\n'))
		e--;
	if (b == e || s[b] == '#')
		return 0;
	for (eq = b; eq < e && s[eq] != '='; eq++)
		;
	if (eq == e)
		return -1;
	for (ne = eq; ne > b && (blank(s[ne - 1]) || s[ne - 1] == '\r' ||
	    s[ne - 1] == '\n'); ne--)
		;
	for (vb = eq + 1; vb < e && blank(s[vb]); vb++)
		;
	if ((*name = strndup(s + b, ne - b)) == NULL ||
	    (*value = malloc(e - vb + 1)) == NULL)
		abort();
	if (!name_ok(*name))
		goto bad;
	v = *value;
	if (vb < e && s[vb] == '"') {
		for (i = vb + 1; i < e && s[i] != '"'; i++) {
			if (s[i] == '\\' && i + 1 < e &&
			    (s[i + 1] == '"' || s[i + 1] == '\\'))
				i++;
			*v++ = s[i];
		}
		/* Unterminated, or text after the closing quote. */
		if (i >= e || i + 1 != e)
			goto bad;
	} else {
		memcpy(v, s + vb, e - vb);
		v += e - vb;
	}
	*v = '\0';
	return 1;
bad:
	free(*name);
	free(*value);
	return -1;
}

/* conffile_parse_line on a copy of the line, against the oracle. */
static int
check_line(const char *s, size_t len, struct setting *out)
{
	char		*copy, *line, *name = NULL, *value = NULL;
	char		*wname, *wvalue;
	const char	*err = NULL;
	int		 rc, want;

	if ((copy = strndup(s, len)) == NULL)
		abort();
	len = strlen(copy);		/* as a C string, up to a NUL */
	if ((line = strdup(copy)) == NULL)
		abort();
	rc = conffile_parse_line(copy, &name, &value, &err);
	want = oracle(line, len, &wname, &wvalue);
	if (rc != want)
		fuzz_fail("conffile_parse_line(\"%s\") gives %d (%s), the "
		    "syntax %d", line, rc, rc == -1 && err != NULL ? err : "",
		    want);
	if (rc == -1 && (err == NULL || *err == '\0'))
		fuzz_fail("a malformed line without a reason");
	if (rc == 1) {
		if (name < copy || name > copy + len || value < copy ||
		    value > copy + len)
			fuzz_fail("name or value outside the line");
		if (!name_ok(name))
			fuzz_fail("setting name \"%s\"", name);
		if (strcmp(name, wname) != 0 || strcmp(value, wvalue) != 0)
			fuzz_fail("\"%s\"=\"%s\", the syntax \"%s\"=\"%s\"",
			    name, value, wname, wvalue);
		if (out != NULL) {
			out->name = wname;
			out->value = wvalue;
		} else {
			free(wname);
			free(wvalue);
		}
	}
	free(copy);
	free(line);
	return rc;
}

static int
read_cb(const char *name, const char *value, unsigned long lineno, void *arg)
{
	struct expect	*e = arg;
	struct setting	*s;

	if (!name_ok(name))
		fuzz_fail("conffile_read: setting name \"%s\"", name);
	if (!e->exact)
		return strncmp(name, "STOP", 4) == 0 ? -1 : 0;
	if (e->next >= e->n)
		fuzz_fail("conffile_read: a setting too many, line %lu",
		    lineno);
	s = &e->s[e->next++];
	if (strcmp(name, s->name) != 0 || strcmp(value, s->value) != 0 ||
	    lineno != s->lineno)
		fuzz_fail("conffile_read: line %lu \"%s\"=\"%s\", expected "
		    "line %lu \"%s\"=\"%s\"", lineno, name, value, s->lineno,
		    s->name, s->value);
	return strncmp(name, "STOP", 4) == 0 ? -1 : 0;
}

static void
check_read(const uint8_t *data, size_t size, struct expect *e)
{
	char		 path[] = "/tmp/fuzz-conffile.XXXXXX";
	char		 err[256], want[64];
	int		 fd, rc;

	if ((fd = mkstemp(path)) == -1)
		return;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return;
	}
	close(fd);
	err[0] = '\0';
	rc = conffile_read(path, read_cb, e, err, sizeof(err));
	unlink(path);
	if (!e->exact)
		return;
	if (rc != (e->bad ? -1 : 0))
		fuzz_fail("conffile_read gives %d (%s), expected %d", rc, err,
		    e->bad ? -1 : 0);
	if (e->bad) {
		snprintf(want, sizeof(want), "line %lu: ", e->bad);
		if (strncmp(err, want, strlen(want)) != 0 ||
		    (e->rejected && strstr(err, "rejected") == NULL))
			fuzz_fail("conffile_read: \"%s\", expected \"%s...\"",
			    err, want);
	}
	if (e->next != e->n)
		fuzz_fail("conffile_read: %zu settings of %zu", e->next, e->n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expect	*e;
	struct setting	*slot;
	const char	*p = (const char *)data, *end = p + size, *nl;
	unsigned long	 lineno = 0;
	size_t		 len, i;
	int		 rc;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return 0;
	/* conffile_read is modelled for short lines without NUL only. */
	e->exact = 1;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		lineno++;
		if (memchr(p, '\0', len) != NULL || len >= 4096 ||
		    e->n == LINES_MAX)
			e->exact = 0;
		slot = e->bad == 0 && e->n < LINES_MAX ? &e->s[e->n] : NULL;
		rc = check_line(p, len, slot);
		if (slot == NULL)
			continue;
		if (rc == -1)
			e->bad = lineno;
		else if (rc == 1) {
			slot->lineno = lineno;
			e->n++;
			if (strncmp(slot->name, "STOP", 4) == 0) {
				e->bad = lineno;
				e->rejected = 1;
			}
		}
	}
	if (size <= READ_MAX)
		check_read(data, size, e);
	for (i = 0; i < e->n; i++) {
		free(e->s[i].name);
		free(e->s[i].value);
	}
	free(e);
	return 0;
}
