/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of conffile.c: one line at a time (names, quoting, comments,
 * errors), then whole files written to /tmp, with the line numbers of
 * their errors.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "tap.h"

struct parsed {
	int		 r;
	char		 name[256];
	char		 value[256];
	const char	*errstr;
};

static void
parse(const char *text, struct parsed *p)
{
	char	 line[1024], *name = NULL, *value = NULL;

	memset(p, 0, sizeof(*p));
	snprintf(line, sizeof(line), "%s", text);
	p->r = conffile_parse_line(line, &name, &value, &p->errstr);
	if (p->r == 1) {
		snprintf(p->name, sizeof(p->name), "%s", name);
		snprintf(p->value, sizeof(p->value), "%s", value);
	}
}

/* A line that must parse as a setting. */
static void
setting(const char *text, const char *name, const char *value,
    const char *desc)
{
	struct parsed	 p;

	parse(text, &p);
	is_int(p.r, 1, "%s: is a setting", desc);
	is_str(p.name, name, "%s: name", desc);
	is_str(p.value, value, "%s: value", desc);
}

/* A line that must be skipped. */
static void
skipped(const char *text, const char *desc)
{
	struct parsed	 p;

	parse(text, &p);
	is_int(p.r, 0, "%s: skipped", desc);
}

/* A line that must be refused with a message. */
static void
refused(const char *text, const char *desc)
{
	struct parsed	 p;

	parse(text, &p);
	is_int(p.r, -1, "%s: refused", desc);
	ok(p.errstr != NULL && *p.errstr != '\0', "%s: with a message", desc);
}

static void
test_lines(void)
{
	setting("NAME=value", "NAME", "value", "plain");
	setting("NAME=value\n", "NAME", "value", "with newline");
	setting("NAME=value\r\n", "NAME", "value", "with CRLF");
	setting("  NAME  =  value with spaces  \n", "NAME",
	    "value with spaces", "spaces around");
	setting("\tNAME\t=\tv\t\n", "NAME", "v", "tabs around");
	setting("_x9=1", "_x9", "1", "underscore and digits in the name");
	setting("lower_Case=1", "lower_Case", "1", "lower case name");
	setting("NAME=", "NAME", "", "empty value");
	setting("NAME=a=b", "NAME", "a=b", "'=' in the value");
	setting("NAME=a # b", "NAME", "a # b", "'#' inside a value is text");
	setting("NAME=\"quoted value with \\\" and \\\\\"", "NAME",
	    "quoted value with \" and \\", "quoted with escapes");
	setting("NAME=\"  keep  spaces  \"", "NAME", "  keep  spaces  ",
	    "spaces kept inside quotes");
	setting("NAME=\"\"", "NAME", "", "empty quotes");
	setting("NAME=\"a=b # c\"", "NAME", "a=b # c", "'=' and '#' quoted");
	setting("NAME=\"x\"   \n", "NAME", "x", "spaces after the quote");
	setting("NAME=\"a\\nb\"", "NAME", "a\\nb",
	    "other backslashes are kept as they are");
	setting("NAME=\"\\\\\"", "NAME", "\\", "an escaped backslash only");
	setting("NAME=\"caf\xc3\xa9\"", "NAME", "caf\xc3\xa9", "UTF-8 value");

	skipped("# a comment", "comment");
	skipped("#NAME=value", "commented-out setting");
	skipped("   # indented comment", "indented comment");
	skipped("", "empty line");
	skipped("\n", "newline only");
	skipped("   \t  \n", "blank line");
	skipped("\r\n", "CRLF only");

	refused("NAME=\"unterminated", "unterminated quote");
	refused("NAME=\"ends in an escaped quote\\\"",
	    "quote escaped at the end");
	refused("NAME=\"x\" trailing", "text after the quote");
	refused("NAME=\"x\"\"y\"", "second quoted part");
	refused("NAME \"x\"", "missing '='");
	refused("NAME", "name alone");
	refused("1NAME=x", "name starting with a digit");
	refused("NA-ME=x", "'-' in the name");
	refused("NA ME=x", "space in the name");
	refused("=x", "empty name");
	refused("export NAME=x", "shell export");
	refused("N\xc3\xa9=x", "non-ASCII name");
}

struct seen {
	int		 n;
	char		 name[8][64];
	char		 value[8][128];
	unsigned long	 lineno[8];
	int		 reject_at;	/* return -1 on this call, 0: never */
};

static int
collect(const char *name, const char *value, unsigned long lineno, void *arg)
{
	struct seen	*s = arg;

	if (s->n < 8) {
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", name);
		snprintf(s->value[s->n], sizeof(s->value[0]), "%s", value);
		s->lineno[s->n] = lineno;
	}
	s->n++;
	return s->n == s->reject_at ? -1 : 0;
}

/* Read text as a file; returns conffile_read's result. */
static int
read_text(const char *text, struct seen *s, char *err, size_t errlen)
{
	char	 path[64];
	int	 rc, reject_at = s->reject_at;

	memset(s, 0, sizeof(*s));
	s->reject_at = reject_at;
	snprintf(err, errlen, "(untouched)");
	if (tempfile(path, text, strlen(text)) == -1) {
		diag("cannot write a temp file: %s", strerror(errno));
		return -2;
	}
	rc = conffile_read(path, collect, s, err, errlen);
	unlink(path);
	return rc;
}

static void
test_files(void)
{
	struct seen	 s;
	char		 err[256], *big;
	size_t		 i;
	int		 rc;

	memset(&s, 0, sizeof(s));
	rc = read_text("# synthflow-twiml.conf\n"
	    "\n"
	    "SYNTHFLOW_API_KEY=key\n"
	    "   # indented\n"
	    "SYNTHFLOW_MODEL_ID = \"model \\\"1\\\"\"\n"
	    "\n"
	    "TWILIO_AUTH_TOKEN=tok", &s, err, sizeof(err));
	is_int(rc, 0, "a good file reads");
	is_int(s.n, 3, "three settings in it");
	is_str(s.name[0], "SYNTHFLOW_API_KEY", "first name");
	is_str(s.value[0], "key", "first value");
	is_int(s.lineno[0], 3, "first setting is on line 3");
	is_str(s.name[1], "SYNTHFLOW_MODEL_ID", "second name");
	is_str(s.value[1], "model \"1\"", "second value, unquoted");
	is_int(s.lineno[1], 5, "second setting is on line 5");
	is_str(s.value[2], "tok", "last line without a newline");
	is_int(s.lineno[2], 7, "last setting is on line 7");

	rc = read_text("A=1\r\nB=\"2\"\r\n", &s, err, sizeof(err));
	is_int(rc, 0, "a CRLF file reads");
	is_int(s.n, 2, "two settings in it");
	is_str(s.value[0], "1", "no CR in the plain value");
	is_str(s.value[1], "2", "no CR after the quoted value");

	rc = read_text("", &s, err, sizeof(err));
	is_int(rc, 0, "an empty file reads");
	is_int(s.n, 0, "no settings in it");

	rc = read_text("A=1\n# ok\nB=2\nnot a setting\nC=3\n", &s, err,
	    sizeof(err));
	is_int(rc, -1, "a malformed line fails the read");
	is_int(strncmp(err, "line 4:", 7), 0, "the error names line 4");
	diag("error: %s", err);
	is_int(s.n, 2, "settings before the bad line were passed");

	rc = read_text("A=1\nB=\"open\nC=3\n", &s, err, sizeof(err));
	is_int(rc, -1, "an unterminated quote fails the read");
	is_int(strncmp(err, "line 2:", 7), 0, "the error names line 2");

	rc = read_text("\n\n\nbad-name=1\n", &s, err, sizeof(err));
	is_int(rc, -1, "a bad name fails the read");
	is_int(strncmp(err, "line 4:", 7), 0, "the error names line 4");

	s.reject_at = 2;
	rc = read_text("A=1\n\nB=2\nC=3\n", &s, err, sizeof(err));
	s.reject_at = 0;
	is_int(rc, -1, "a callback refusing a setting fails the read");
	is_int(strncmp(err, "line 3:", 7), 0, "the error names its line 3");
	is_int(s.n, 2, "no setting passed after the refusal");

	/* A line longer than CONFFILE_LINE_MAX. */
	big = malloc(3 * CONFFILE_LINE_MAX);
	if (big == NULL) {
		diag("out of memory");
		return;
	}
	strcpy(big, "A=1\nLONG=");
	for (i = strlen(big); i < 2 * CONFFILE_LINE_MAX; i++)
		big[i] = 'x';
	strcpy(big + i, "\nB=2\n");
	rc = read_text(big, &s, err, sizeof(err));
	is_int(rc, -1, "a line longer than CONFFILE_LINE_MAX fails the read");
	is_int(strncmp(err, "line 2:", 7), 0, "the error names line 2");
	diag("error: %s", err);
	is_int(s.n, 1, "the long line's tail was not read as a setting");

	/* A long line that fits is read whole. */
	strcpy(big, "LONG=");
	for (i = 5; i < CONFFILE_LINE_MAX / 2; i++)
		big[i] = 'y';
	strcpy(big + i, "\nB=2\n");
	rc = read_text(big, &s, err, sizeof(err));
	is_int(rc, 0, "a line of half CONFFILE_LINE_MAX reads");
	is_int(s.n, 2, "both settings of that file");
	free(big);

	snprintf(err, sizeof(err), "(untouched)");
	rc = conffile_read("/nonexistent/dir/synthflow-twiml.conf", collect, &s,
	    err, sizeof(err));
	is_int(rc, -1, "a missing file fails");
	is_str(err, strerror(ENOENT), "with the system's message");
}

int
main(void)
{
	test_lines();
	test_files();
	return done_testing();
}
