/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of routes.c: good tables (every field, comments, blank lines,
 * quoting, CRLF), lookups, each kind of error with the line it names, the
 * first error winning, the size limits, and files read from /tmp.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "routes.h"
#include "tap.h"

static struct routes *
parse(const char *text, char *err, size_t errlen)
{
	snprintf(err, errlen, "(untouched)");
	return routes_parse("t.conf", text, strlen(text), err, errlen);
}

/* A table that must be refused, the message naming line and reason. */
static void
refused_len(const char *text, size_t len, unsigned long line,
    const char *reason, const char *desc)
{
	struct routes	*rt;
	char		 err[256], prefix[32];

	snprintf(err, sizeof(err), "(untouched)");
	rt = routes_parse("t.conf", text, len, err, sizeof(err));
	ok(rt == NULL, "%s: refused", desc);
	snprintf(prefix, sizeof(prefix), "t.conf:%lu: ", line);
	is_int(strncmp(err, prefix, strlen(prefix)), 0, "%s: names line %lu",
	    desc, line);
	has_str(err, reason, "%s: says why", desc);
	if (strncmp(err, prefix, strlen(prefix)) != 0)
		diag("error: %s", err);
	routes_free(rt);
}

static void
refused(const char *text, unsigned long line, const char *reason,
    const char *desc)
{
	refused_len(text, strlen(text), line, reason, desc);
}

/* A table that must load, with n routes. */
static void
accepted(const char *text, size_t n, const char *desc)
{
	struct routes	*rt;
	char		 err[256];

	rt = parse(text, err, sizeof(err));
	if (!ok(rt != NULL, "%s: accepted", desc))
		diag("error: %s", err);
	is_int(routes_count(rt), n, "%s: %zu routes", desc, n);
	routes_free(rt);
}

static void
test_good(void)
{
	struct routes		*rt;
	const struct route	*r;
	char			 err[256];

	rt = parse("# routes for synthflow-twiml\n"
	    "\n"
	    "+14155550100 model-a\n"
	    "   \t\n"
	    "\t+14155550101\tmodel_b.2   workspace=ws-1   # sales line\n"
	    "+442071838750 m3 sip_number=+15557650000 workspace=ws_2 "
	    "var.lang=en-GB var.greeting=\"Hello, \\\"caller\\\" \\\\o/\" "
	    "var.empty= var.quoted_empty=\"\" var.tag=#1 "
	    "var.city=\"S\xc3\xa3o Paulo\"\r\n"
	    "   # indented comment\n"
	    "alice m4 #comment right after\n"
	    "bob.smith_1-x m5\n"
	    "+15550000000 m6 var.a=1 var.b=2", err, sizeof(err));
	if (!ok(rt != NULL, "a file with every field loads"))
		diag("error: %s", err);
	is_int(routes_count(rt), 6, "six routes in it");

	r = routes_find(rt, "+14155550100");
	ok(r != NULL, "first route found");
	if (r != NULL) {
		is_str(r->to, "+14155550100", "its To");
		is_str(r->model_id, "model-a", "its model");
		ok(r->workspace_id == NULL, "no workspace");
		ok(r->sip_number == NULL, "no sip_number");
		is_int(r->nvars, 0, "no variables");
		ok(r->vars == NULL, "and no variable array");
	}
	r = routes_find(rt, "+14155550101");
	ok(r != NULL, "tab-separated route with a comment found");
	if (r != NULL) {
		is_str(r->model_id, "model_b.2", "its model");
		is_str(r->workspace_id, "ws-1", "its workspace");
	}
	r = routes_find(rt, "+442071838750");
	ok(r != NULL, "route with every field found");
	if (r != NULL) {
		is_str(r->model_id, "m3", "its model");
		is_str(r->workspace_id, "ws_2", "its workspace");
		is_str(r->sip_number, "+15557650000", "its sip_number");
		is_int(r->nvars, 6, "six variables");
	}
	if (r != NULL && r->nvars == 6) {
		is_str(r->vars[0].name, "lang", "var 1 name");
		is_str(r->vars[0].value, "en-GB", "var 1 bare value");
		is_str(r->vars[1].name, "greeting", "var 2 name");
		is_str(r->vars[1].value, "Hello, \"caller\" \\o/",
		    "var 2 quoted value with escapes");
		is_str(r->vars[2].name, "empty", "var 3 name");
		is_str(r->vars[2].value, "", "var 3 empty bare value");
		is_str(r->vars[3].value, "", "var 4 empty quoted value");
		is_str(r->vars[4].value, "#1",
		    "'#' inside a field is no comment");
		is_str(r->vars[5].value, "S\xc3\xa3o Paulo",
		    "UTF-8 value, CR of the CRLF dropped");
	}
	r = routes_find(rt, "alice");
	ok(r != NULL && strcmp(r->model_id, "m4") == 0,
	    "SIP user route, comment right after the model");
	r = routes_find(rt, "bob.smith_1-x");
	ok(r != NULL && strcmp(r->model_id, "m5") == 0,
	    "SIP user with '.', '_' and '-'");
	r = routes_find(rt, "+15550000000");
	ok(r != NULL && r->nvars == 2 &&
	    strcmp(r->vars[1].value, "2") == 0,
	    "last line without a newline, its vars");

	ok(routes_find(rt, "+1415555010") == NULL, "a prefix misses");
	ok(routes_find(rt, "+141555501000") == NULL, "a longer To misses");
	ok(routes_find(rt, "14155550100") == NULL, "no '+' misses");
	ok(routes_find(rt, "") == NULL, "empty To misses");
	ok(routes_find(rt, NULL) == NULL, "NULL To misses");
	ok(routes_find(NULL, "+14155550100") == NULL, "no table misses");
	is_int(routes_count(NULL), 0, "no table counts 0");
	routes_free(rt);
	routes_free(NULL);

	accepted("", 0, "empty file");
	accepted("\n\n", 0, "blank lines only");
	accepted("# a\n  # b\r\n\t\n", 0, "comments only");
	accepted("\r\n+1 m\r\n\r\n", 1, "CRLF throughout");
	accepted("+1 m var.x=\"a b\"\t# c\n", 1, "comment after a quote");
	accepted("+1 m\n+2 m\n+10 m\n", 3, "prefixes are distinct To");
	accepted("+1 m var.a=1 var.A=2\n", 1, "variable names are cased");
	accepted("+1 m var.x=\"\\n\"\n", 1, "other escapes are kept");

	rt = parse("+1 m\n", err, sizeof(err));
	ok(rt != NULL && routes_find(rt, "+1") != NULL &&
	    routes_find(rt, "+2") == NULL, "a one-route table");
	routes_free(rt);
}

static void
test_errors(void)
{
	char	*big;
	size_t	 i;

	refused("+1 m\n\n+2 m foo=bar\n", 3, "unknown key \"foo\"",
	    "unknown key");
	refused("+1 m var=x\n", 1, "unknown key \"var\"", "var without a name");
	refused("+1 m Workspace=w\n", 1, "unknown key", "keys are cased");
	refused("+1 m \xff=x\n", 1, "unknown key \"?\"",
	    "unprintable key is masked");
	refused("+1 m workspace=a workspace=b\n", 1,
	    "repeated key \"workspace\"", "workspace twice");
	refused("+1 m sip_number=1 sip_number=2\n", 1,
	    "repeated key \"sip_number\"", "sip_number twice");
	refused("\n+1 m var.x=1 var.y=2 var.x=3\n", 2,
	    "repeated key \"var.x\"", "same var twice");
	refused("+1 m\n+2\n", 2, "missing MODEL_ID", "To alone");
	refused("+1 m\n+2   # comment\n", 2, "missing MODEL_ID",
	    "To and a comment");
	refused("+2 workspace=w\n", 1, "missing MODEL_ID",
	    "a key in the place of the model");
	refused("+1 m x\n", 1, "\"x\" is not KEY=VALUE", "third bare field");
	refused("+1 m var.x\n", 1, "not KEY=VALUE", "var without '='");

	refused("+1 m\n+2 m\n# c\n+3 m\n+1 n\n", 5,
	    "duplicate TO_NUMBER \"+1\" (first on line 1)",
	    "duplicate To names the later line");
	refused("+9 m\n+1 m\n+9 m\n+1 m\n+1 m\n", 3,
	    "duplicate TO_NUMBER \"+9\" (first on line 1)",
	    "the earliest of two duplicates");
	refused("+1 m\n+1 m\n+2 m bad=1\n", 2, "duplicate",
	    "a duplicate before a bad line is the first error");
	refused("+1 m bad=1\n+1 m\n", 1, "unknown key",
	    "a bad line before a duplicate is the first error");

	refused("+1 m\n+1\x01 m\n", 2, "bad TO_NUMBER", "control in To");
	refused("+1@x m\n", 1, "bad TO_NUMBER \"+1@x\"", "'@' in To");
	refused("sip:alice m\n", 1, "bad TO_NUMBER", "':' in To");
	refused("\"+1\" m\n", 1, "bad TO_NUMBER", "quoted To");
	refused("+1 m\xc3\xa9\n", 1, "bad MODEL_ID", "non-ASCII model");
	refused("+1 m#x\n", 1, "bad MODEL_ID", "'#' inside the model");
	refused("+1 m workspace=\n", 1, "bad workspace", "empty workspace");
	refused("+1 m workspace=a/b\n", 1, "bad workspace \"a/b\"",
	    "'/' in workspace");
	refused("+1 m workspace=\"w\"\n", 1, "bad workspace",
	    "quoted workspace");
	refused("+1 m sip_number=\n", 1, "bad sip_number",
	    "empty sip_number");
	refused("+1 m sip_number=a@b\n", 1, "bad sip_number",
	    "'@' in sip_number");
	refused("+1 m var.=x\n", 1, "bad variable name", "empty var name");
	refused("+1 m var.a-b=x\n", 1, "bad variable name \"a-b\"",
	    "'-' in a var name");
	refused("+1 m var.x=a\"b\n", 1, "'\"' in an unquoted value",
	    "quote inside a bare value");
	refused("+1 m var.x=\"open\n+2 m\n", 1, "unterminated quote",
	    "unterminated quote");
	refused("+1 m var.x=\"a\\\"\n", 1, "unterminated quote",
	    "escaped closing quote");
	refused("+1 m \"open\n+2 m\n", 1, "unterminated quote",
	    "a field that opens a quote it never closes");
	refused("+1 m \"a b\"\n", 1, "a quote outside a var.NAME value",
	    "a quoted field that is not a var value");
	refused("+1 m var.x=\"a\"b\n", 1, "text after the closing quote",
	    "text after the quote");
	refused("+1 m var.x=\"a\"\"b\"\n", 1, "text after the closing quote",
	    "two quoted parts");
	refused("+1 m var.x=\"a\x01\"\n", 1, "control character",
	    "control character in a quoted value");
	refused("+1 m var.x=a\x7f\n", 1, "control character", "DEL");
	refused("+1 m var.x=a\rb\n", 1, "control character",
	    "CR inside a line");
	refused("+1 m var.x=\xc3\n", 1, "invalid UTF-8", "truncated UTF-8");
	refused("+1 m var.x=\xc0\xaf\n", 1, "invalid UTF-8", "overlong UTF-8");
	refused("+1 m var.x=\"\xed\xa0\x80\"\n", 1, "invalid UTF-8",
	    "surrogate");
	refused_len("+1 m\n+2 m\0\n+3 m\n", 15, 2, "NUL byte", "NUL byte");
	refused_len("+1 m var.x=\"a\0b\"\n", 17, 1, "NUL byte",
	    "NUL byte in quotes");

	/* The lengths of each field, at the limit and past it. */
	if ((big = malloc(3 * ROUTES_LINE_MAX)) == NULL) {
		diag("out of memory");
		return;
	}
	memset(big, 0, 3 * ROUTES_LINE_MAX);
	big[0] = '+';
	memset(big + 1, '1', ROUTES_TO_MAX - 1);
	strcat(big, " m\n");
	accepted(big, 1, "To of 64 characters");
	big[0] = '+';
	memset(big + 1, '1', ROUTES_TO_MAX);
	strcpy(big + ROUTES_TO_MAX + 1, " m\n");
	refused(big, 1, "bad TO_NUMBER", "To of 65 characters");

	strcpy(big, "+1 ");
	memset(big + 3, 'm', ROUTES_ID_MAX);
	strcpy(big + 3 + ROUTES_ID_MAX, " workspace=");
	i = strlen(big);
	memset(big + i, 'w', ROUTES_ID_MAX);
	strcpy(big + i + ROUTES_ID_MAX, "\n");
	accepted(big, 1, "model and workspace of 128 characters");
	strcpy(big + 3 + ROUTES_ID_MAX, "m\n");
	refused(big, 1, "bad MODEL_ID", "model of 129 characters");

	strcpy(big, "+1 m var.");
	memset(big + 9, 'n', ROUTES_VAR_NAME_MAX);
	strcpy(big + 9 + ROUTES_VAR_NAME_MAX, "=v\n");
	accepted(big, 1, "var name of 64 characters");
	strcpy(big + 9 + ROUTES_VAR_NAME_MAX, "n=v\n");
	refused(big, 1, "bad variable name", "var name of 65 characters");

	strcpy(big, "+1 m");
	for (i = 0; i < ROUTES_VARS_MAX; i++)
		snprintf(big + strlen(big), 16, " var.v%zu=", i);
	strcat(big, "\n");
	accepted(big, 1, "64 variables");
	strcpy(big + strlen(big) - 1, " var.last=\n");
	refused(big, 1, "more than 64 variables", "65 variables");

	/* Lines of 4096 bytes, CR and LF not counted, and one byte more. */
	strcpy(big, "+1 m\n+2 m var.x=");
	i = strlen(big);
	memset(big + i, 'x', ROUTES_LINE_MAX - (i - 5));
	strcpy(big + 5 + ROUTES_LINE_MAX, "\r\n+3 m\n");
	accepted(big, 3, "a line of 4096 bytes and CRLF");
	strcpy(big + 5 + ROUTES_LINE_MAX, "y\n+3 m\n");
	refused(big, 2, "line longer than 4096 bytes", "a line of 4097 bytes");
	memset(big, '#', 2 * ROUTES_LINE_MAX);
	big[2 * ROUTES_LINE_MAX] = '\0';
	refused(big, 1, "line longer", "a long comment line too");
	free(big);
}

static void
test_files(void)
{
	struct routes		*rt;
	const struct route	*r;
	const char		*text;
	char			 path[64], err[256], want[128], *buf, *p;
	size_t			 i, n = 20000;
	int			 fd, found;

	text = "# t\n+1 m workspace=w\n+2 n var.a=\"b c\"\n";
	if (tempfile(path, text, strlen(text)) == -1) {
		diag("cannot write a temp file: %s", strerror(errno));
		return;
	}
	rt = routes_load(path, err, sizeof(err));
	if (!ok(rt != NULL, "a file loads"))
		diag("error: %s", err);
	is_int(routes_count(rt), 2, "two routes in it");
	r = routes_find(rt, "+2");
	ok(r != NULL && r->nvars == 1 && strcmp(r->vars[0].value, "b c") == 0,
	    "its second route");
	routes_free(rt);
	unlink(path);

	if (tempfile(path, "+1 m\n+2 m oops\n", 15) == -1)
		return;
	rt = routes_load(path, err, sizeof(err));
	ok(rt == NULL, "a bad file is refused");
	snprintf(want, sizeof(want), "%s:2: \"oops\" is not KEY=VALUE", path);
	is_str(err, want, "path:line: reason");
	unlink(path);

	if (tempfile(path, "", 0) == -1)
		return;
	rt = routes_load(path, err, sizeof(err));
	ok(rt != NULL && routes_count(rt) == 0, "an empty file loads");
	routes_free(rt);

	/* A sparse file one byte over the limit. */
	if ((fd = open(path, O_WRONLY)) == -1 ||
	    ftruncate(fd, ROUTES_FILE_MAX + 1) == -1) {
		diag("cannot grow %s: %s", path, strerror(errno));
	} else {
		rt = routes_load(path, err, sizeof(err));
		ok(rt == NULL, "a file over 64 MiB is refused");
		has_str(err, "larger than", "saying so");
	}
	if (fd != -1)
		close(fd);
	unlink(path);

	rt = routes_load("/nonexistent/dir/routes.conf", err, sizeof(err));
	ok(rt == NULL, "a missing file is refused");
	is_str(err, "/nonexistent/dir/routes.conf: No such file or directory",
	    "path: system's message");
	rt = routes_load("/tmp", err, sizeof(err));
	ok(rt == NULL, "a directory is refused");
	has_str(err, "/tmp: ", "naming it");

	/* Many routes, every one found, in any order of the file. */
	if ((buf = malloc(n * 64)) == NULL)
		return;
	for (p = buf, i = 0; i < n; i++)
		p += sprintf(p, "+1%09zu model%zu\n", (i * 7919) % n, i);
	rt = routes_parse("many", buf, p - buf, err, sizeof(err));
	if (!ok(rt != NULL, "20000 routes load"))
		diag("error: %s", err);
	is_int(routes_count(rt), n, "all counted");
	for (found = 0, i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "+1%09zu", i);
		if (routes_find(rt, want) != NULL)
			found++;
	}
	is_int(found, n, "all found");
	ok(routes_find(rt, "+1999999999") == NULL, "one past misses");
	routes_free(rt);

	/* The 64 MiB limit of routes_parse, on text it need not read. */
	rt = routes_parse("huge", buf, (size_t)ROUTES_FILE_MAX + 1, err,
	    sizeof(err));
	ok(rt == NULL, "text over 64 MiB is refused");
	is_str(err, "huge: larger than 67108864 bytes", "saying so");
	free(buf);
}

/* transfer_allow=: checked as SYNTHFLOW_TRANSFER_ALLOW is. */
static void
test_transfer_allow(void)
{
	const struct route	*r;
	struct routes		*rt;
	char			 err[256];

	rt = parse("+1 m1 transfer_allow=+4930*,sip:*@pbx.example\n"
	    "+2 m2\n+3 m3 transfer_allow= var.a=b\n", err, sizeof(err));
	if (!ok(rt != NULL, "transfer_allow: loads"))
		diag("error: %s", err);
	r = routes_find(rt, "+1");
	is_str(r != NULL ? r->transfer_allow : NULL,
	    "+4930*,sip:*@pbx.example", "transfer_allow: the list");
	r = routes_find(rt, "+2");
	ok(r != NULL && r->transfer_allow == NULL, "transfer_allow: unset");
	r = routes_find(rt, "+3");
	is_str(r != NULL ? r->transfer_allow : NULL, "",
	    "transfer_allow: empty (bridges only)");
	routes_free(rt);
	refused("+1 m\n+2 m transfer_allow=+1555*,sip:nohost\n", 2,
	    "bad transfer_allow", "transfer_allow with a bad entry");
	refused("+1 m transfer_allow=* transfer_allow=*\n", 1,
	    "repeated key \"transfer_allow\"", "transfer_allow twice");
}

int
main(void)
{
	test_transfer_allow();
	test_good();
	test_errors();
	test_files();
	return done_testing();
}
