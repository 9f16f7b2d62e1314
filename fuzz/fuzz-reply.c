/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of synthflow.c. The first two bytes of the input are an HTTP
 * status (big-endian, signed) and the rest a prepare_inbound reply: a
 * success must carry an id of ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ (checked
 * here apart from synthflow_id_valid) that yajl_tree finds in the reply,
 * and a plain reply with one registered status and one such id must be a
 * success. The same bytes, cut at NUL, are also the strings of a request
 * body: synthflow_body must succeed exactly when they are UTF-8 and give
 * JSON that yajl_tree reads back to the same strings.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "buf.h"
#include "synthflow.h"
#include "fuzz.h"

#define VARS_MAX	12
#define DEPTH_LIMIT	60	/* clear of synthflow.c's limit of 64 */

/*
 * The call id rule: 1 to 128 letters, digits, '.', '_' and '-', the first
 * a letter or digit. Deliberately written again, not synthflow.c's: the
 * oracle must not share the code it judges.
 */
static int
id_ok(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > 128)
		return 0;
	for (i = 0; i < len; i++) {
		if ((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (i == 0 || (s[i] != '.' && s[i] != '_' && s[i] != '-'))
			return 0;
	}
	return 1;
}

static int
depth(yajl_val v)
{
	size_t	 i, n;
	yajl_val *vals;
	int	 d, max = 0;

	if (YAJL_IS_OBJECT(v)) {
		n = v->u.object.len;
		vals = v->u.object.values;
	} else if (YAJL_IS_ARRAY(v)) {
		n = v->u.array.len;
		vals = v->u.array.values;
	} else
		return 0;
	for (i = 0; i < n; i++)
		if ((d = depth(vals[i])) > max)
			max = d;
	return max + 1;
}

/* How many keys of object o are key, and the value of the last one. */
static size_t
members(yajl_val o, const char *key, yajl_val *last)
{
	size_t	 i, n = 0;

	*last = NULL;
	for (i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], key) == 0) {
			n++;
			*last = o->u.object.values[i];
		}
	return n;
}

/* 1 when some key of o is key with the string value s. */
static int
has_string(yajl_val o, const char *key, const char *s)
{
	size_t	 i;

	for (i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], key) == 0 &&
		    YAJL_IS_STRING(o->u.object.values[i]) &&
		    strcmp(o->u.object.values[i]->u.string, s) == 0)
			return 1;
	return 0;
}

static int
known_reason(const char *r)
{
	static const char *const reasons[] = { "reply_json", "call_status",
	    "call_id", "memory", NULL };
	size_t	 i;

	if (r == NULL)
		return 0;
	if (strncmp(r, "http_", 5) == 0)
		return 1;
	for (i = 0; reasons[i] != NULL; i++)
		if (strcmp(r, reasons[i]) == 0)
			return 1;
	return 0;
}

static void
check_reply(long status, const char *body, size_t len)
{
	char		 id[SYNTHFLOW_ID_MAX + 1], err[128], *copy;
	const char	*reason = NULL;
	yajl_val	 tree, st, cid;
	int		 rc, plain;

	memset(id, 0, sizeof(id));
	rc = synthflow_reply(status, body, len, id, &reason);
	if (rc == -1 && !known_reason(reason))
		fuzz_fail("synthflow_reply: unknown reason \"%s\"",
		    reason != NULL ? reason : "(null)");
	if (rc == -1 && (status < 200 || status > 299) &&
	    strncmp(reason, "http_", 5) != 0)
		fuzz_fail("status %ld gives reason %s", status, reason);
	if (rc == 0 && (status < 200 || status > 299))
		fuzz_fail("status %ld is a success", status);
	if (rc == 0 && (memchr(id, '\0', sizeof(id)) == NULL ||
	    !id_ok(id, strlen(id)) || !synthflow_id_valid(id)))
		fuzz_fail("synthflow_reply accepts id \"%.*s\"",
		    (int)sizeof(id), id);
	if (status < 200 || status > 299)
		return;

	if ((copy = malloc(len + 1)) == NULL)
		abort();
	memcpy(copy, body, len);
	copy[len] = '\0';
	tree = yajl_tree_parse(copy, err, sizeof(err));
	if (rc == 0) {
		if (!YAJL_IS_OBJECT(tree))
			fuzz_fail("a success that yajl_tree reads as no object"
			    ": %s", tree == NULL ? err : "");
		if (!has_string(tree, "call_status", "registered") ||
		    !has_string(tree, "synthflow_call_id", id))
			fuzz_fail("a success without call_status registered "
			    "and synthflow_call_id \"%s\"", id);
	}
	/*
	 * A plain reply: no NUL, no comment (yajl_tree allows them, the
	 * reply parse does not), no escaped NUL (yajl_tree cuts the string
	 * there), little nesting, each of the two keys once.
	 */
	plain = YAJL_IS_OBJECT(tree) && memchr(body, '\0', len) == NULL &&
	    memchr(body, '/', len) == NULL && strstr(copy, "\\u0000") == NULL &&
	    depth(tree) <= DEPTH_LIMIT;
	if (plain && members(tree, "call_status", &st) == 1 &&
	    members(tree, "synthflow_call_id", &cid) == 1 &&
	    YAJL_IS_STRING(st) && strcmp(st->u.string, "registered") == 0 &&
	    YAJL_IS_STRING(cid) &&
	    id_ok(cid->u.string, strlen(cid->u.string))) {
		if (rc != 0)
			fuzz_fail("a registered reply with id \"%s\" refused: "
			    "%s", cid->u.string, reason);
		if (strcmp(id, cid->u.string) != 0)
			fuzz_fail("id \"%s\" read as \"%s\"", cid->u.string,
			    id);
	}
	yajl_tree_free(tree);
	free(copy);
}

/* The string value of key in object o, failing when it is missing. */
static const char *
get_string(yajl_val o, const char *key)
{
	yajl_val	 v;

	if (members(o, key, &v) != 1 || !YAJL_IS_STRING(v))
		fuzz_fail("synthflow_body: no single string \"%s\"", key);
	return v->u.string;
}

static void
same(const char *got, const char *want, const char *what)
{
	if (strcmp(got, want) != 0)
		fuzz_fail("synthflow_body: %s \"%s\" reads back as \"%s\"",
		    what, want, got);
}

static void
check_body(const uint8_t *data, size_t size, int workspace)
{
	struct fuzz_fields	 f;
	struct synthflow_var	 vars[VARS_MAX];
	struct synthflow_call	 c;
	struct buf		 out;
	const char		*reason = NULL, *s;
	char			 err[128];
	yajl_val		 tree, cv, v;
	size_t			 i, j, nunique = 0;
	int			 rc, want;

	if (fuzz_split(&f, data, size, 4 + 2 * VARS_MAX) == -1)
		return;
	c.from = f.field[0] != NULL ? f.field[0] : "";
	c.to = f.field[1] != NULL ? f.field[1] : "";
	c.model_id = f.field[2] != NULL ? f.field[2] : "";
	c.workspace_id = workspace ? (f.field[3] != NULL ? f.field[3] : "") :
	    NULL;
	c.nvars = 0;
	for (i = 4; i < f.n && c.nvars < VARS_MAX; i += 2) {
		vars[c.nvars].name = f.field[i];
		vars[c.nvars].value = f.field[i + 1] != NULL ?
		    f.field[i + 1] : "";
		c.nvars++;
	}
	c.vars = vars;

	/* Valid UTF-8 everywhere that is sent, overridden values aside. */
	want = fuzz_utf8_valid(c.from, strlen(c.from)) &&
	    fuzz_utf8_valid(c.to, strlen(c.to)) &&
	    fuzz_utf8_valid(c.model_id, strlen(c.model_id)) &&
	    (c.workspace_id == NULL ||
	    fuzz_utf8_valid(c.workspace_id, strlen(c.workspace_id)));
	for (i = 0; i < c.nvars; i++) {
		for (j = i + 1; j < c.nvars; j++)
			if (strcmp(vars[i].name, vars[j].name) == 0)
				break;
		if (j < c.nvars)
			continue;
		nunique++;
		if (!fuzz_utf8_valid(vars[i].name, strlen(vars[i].name)) ||
		    !fuzz_utf8_valid(vars[i].value, strlen(vars[i].value)))
			want = 0;
	}

	buf_init(&out, 1024 * 1024);
	rc = synthflow_body(&out, &c, &reason);
	if ((rc == 0) != want)
		fuzz_fail("synthflow_body gives %d where the UTF-8 check "
		    "gives %d", rc, want);
	if (rc == -1 && reason == NULL)
		fuzz_fail("synthflow_body failed without a reason");
	if (rc == 0) {
		if ((tree = yajl_tree_parse(buf_str(&out), err,
		    sizeof(err))) == NULL || !YAJL_IS_OBJECT(tree))
			fuzz_fail("synthflow_body gives %s: %s", buf_str(&out),
			    err);
		if (tree->u.object.len != (c.workspace_id != NULL ? 5u : 4u))
			fuzz_fail("synthflow_body: %zu members",
			    tree->u.object.len);
		same(get_string(tree, "from_number"), c.from, "from_number");
		same(get_string(tree, "to_number"), c.to, "to_number");
		same(get_string(tree, "model_id"), c.model_id, "model_id");
		if (c.workspace_id != NULL)
			same(get_string(tree, "workspace_id"), c.workspace_id,
			    "workspace_id");
		if (members(tree, "custom_variables", &cv) != 1 ||
		    !YAJL_IS_OBJECT(cv) || cv->u.object.len != nunique)
			fuzz_fail("synthflow_body: custom_variables is not an "
			    "object of %zu members", nunique);
		for (i = 0; i < c.nvars; i++) {
			/* The last value of a name wins. */
			s = NULL;
			for (j = 0; j < c.nvars; j++)
				if (strcmp(vars[i].name, vars[j].name) == 0)
					s = vars[j].value;
			if (members(cv, vars[i].name, &v) != 1 ||
			    !YAJL_IS_STRING(v))
				fuzz_fail("custom_variables: no single \"%s\"",
				    vars[i].name);
			same(v->u.string, s, vars[i].name);
		}
		yajl_tree_free(tree);
	}
	buf_free(&out);
	fuzz_fields_free(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long	 status;

	if (size < 2)
		return 0;
	status = (long)(data[0] << 8 | data[1]) - (data[0] & 0x80 ? 65536 : 0);
	check_reply(status, (const char *)data + 2, size - 2);
	check_body(data + 2, size - 2, data[1] & 1);
	return 0;
}
