/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of synthflow.c: the prepare_inbound body against hand-written
 * JSON and, for hostile strings, parsed back with yajl_tree; and every
 * class of reply, with the reason each failure must name.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "buf.h"
#include "synthflow.h"
#include "tap.h"

#define REPLY_OK(id) \
	"{\"call_status\":\"registered\",\"synthflow_call_id\":\"" id "\"}"

static void
test_body(void)
{
	struct synthflow_var	 vars[] = {
		{ "CallSid", "CA0123456789abcdef" },
		{ "CallerName", "Jane Doe" },
	};
	struct synthflow_call	 c;
	struct buf		 b;
	const char		*reason;

	memset(&c, 0, sizeof(c));
	c.from = "+14155550100";
	c.to = "+18005551212";
	c.model_id = "model-123";
	c.vars = vars;
	c.nvars = 2;
	buf_init(&b, 64 * 1024);
	buf_addstr(&b, "stale");
	reason = NULL;
	is_int(synthflow_body(&b, &c, &reason), 0, "a normal call: returns 0");
	is_str(buf_str(&b), "{\"from_number\":\"+14155550100\","
	    "\"to_number\":\"+18005551212\",\"model_id\":\"model-123\","
	    "\"custom_variables\":{\"CallSid\":\"CA0123456789abcdef\","
	    "\"CallerName\":\"Jane Doe\"}}", "a normal call: exact JSON");

	c.workspace_id = "ws-42";
	synthflow_body(&b, &c, &reason);
	is_str(buf_str(&b), "{\"from_number\":\"+14155550100\","
	    "\"to_number\":\"+18005551212\",\"model_id\":\"model-123\","
	    "\"workspace_id\":\"ws-42\","
	    "\"custom_variables\":{\"CallSid\":\"CA0123456789abcdef\","
	    "\"CallerName\":\"Jane Doe\"}}", "with workspace_id");

	c.workspace_id = NULL;
	c.from = "";
	c.nvars = 0;
	is_int(synthflow_body(&b, &c, &reason), 0, "no variables: returns 0");
	is_str(buf_str(&b), "{\"from_number\":\"\","
	    "\"to_number\":\"+18005551212\",\"model_id\":\"model-123\","
	    "\"custom_variables\":{}}", "empty From, no variables");

	c.from = "anonymous";
	buf_free(&b);
	buf_init(&b, 40);
	reason = NULL;
	is_int(synthflow_body(&b, &c, &reason), -1,
	    "a body over the buffer's cap fails");
	is_str(reason, "json", "with reason json");
	buf_free(&b);
}

/* The string member name of object v, or NULL. */
static const char *
member(yajl_val v, const char *name)
{
	const char	*path[] = { name, NULL };

	return YAJL_GET_STRING(yajl_tree_get(v, path, yajl_t_string));
}

static void
test_duplicates(void)
{
	struct synthflow_var	 vars[] = {
		{ "a", "1" }, { "b", "2" }, { "a", "3" }, { "c", "4" },
		{ "c", "5" },
	};
	struct synthflow_call	 c;
	struct buf		 b;
	const char		*reason, *path[] = { "custom_variables", NULL };
	char			 err[256];
	yajl_val		 root, cv;

	memset(&c, 0, sizeof(c));
	c.from = "+1";
	c.to = "+2";
	c.model_id = "m";
	c.vars = vars;
	c.nvars = 5;
	buf_init(&b, 64 * 1024);
	is_int(synthflow_body(&b, &c, &reason), 0, "duplicates: returns 0");
	root = yajl_tree_parse(buf_str(&b), err, sizeof(err));
	cv = yajl_tree_get(root, path, yajl_t_object);
	ok(YAJL_IS_OBJECT(cv), "duplicates: custom_variables is an object");
	is_int(cv != NULL ? YAJL_GET_OBJECT(cv)->len : 0, 3,
	    "each name appears once");
	is_str(member(cv, "a"), "3", "the later a wins");
	is_str(member(cv, "b"), "2", "b kept");
	is_str(member(cv, "c"), "5", "the later c wins");
	lacks_str(buf_str(&b), "\"1\"", "the overridden value is not sent");
	yajl_tree_free(root);
	buf_free(&b);
}

static void
test_hostile(void)
{
	static const char *const s[] = {
		"say \"hi\"",
		"back\\slash \\\" \\u0041",
		"\x01\x02\x1f ctl",
		"line\nbreak\r\ttab",
		"</script><script>alert(1)</script>",
		"caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80",
		"\x7f del",
		"{\"json\":[1,2]}",
		"/ slash",
	};
	struct synthflow_var	 vars[9];
	struct synthflow_call	 c;
	struct buf		 b;
	const char		*reason, *path[] = { "custom_variables", NULL };
	const unsigned char	*p;
	char			 err[256];
	yajl_val		 root, cv;
	size_t			 i, n = sizeof(s) / sizeof(s[0]);
	int			 raw = 0;

	for (i = 0; i < n; i++) {
		vars[i].name = s[(i + 1) % n];	/* hostile names too */
		vars[i].value = s[i];
	}
	memset(&c, 0, sizeof(c));
	c.from = s[0];
	c.to = s[3];
	c.model_id = s[4];
	c.workspace_id = s[5];
	c.vars = vars;
	c.nvars = n;
	buf_init(&b, 64 * 1024);
	is_int(synthflow_body(&b, &c, &reason), 0,
	    "hostile strings: returns 0");
	for (p = (const unsigned char *)buf_str(&b); *p != '\0'; p++)
		raw |= *p < 0x20;
	ok(!raw, "no raw control character in the JSON");
	root = yajl_tree_parse(buf_str(&b), err, sizeof(err));
	ok(YAJL_IS_OBJECT(root), "hostile strings: the JSON parses back");
	if (root == NULL)
		diag("yajl: %s", err);
	is_str(member(root, "from_number"), s[0], "from_number round-trips");
	is_str(member(root, "to_number"), s[3], "to_number round-trips");
	is_str(member(root, "model_id"), s[4], "model_id round-trips");
	is_str(member(root, "workspace_id"), s[5], "workspace_id round-trips");
	cv = yajl_tree_get(root, path, yajl_t_object);
	is_int(cv != NULL ? YAJL_GET_OBJECT(cv)->len : 0, n,
	    "every hostile variable is there");
	for (i = 0; i < n; i++)
		is_str(member(cv, vars[i].name), vars[i].value,
		    "variable %zu round-trips", i);
	yajl_tree_free(root);
	buf_free(&b);
}

/* synthflow_body with one bad string in place must fail with "json". */
static void
bad_utf8(const char *bad, const char *desc)
{
	struct synthflow_var	 var = { "x", "ok" };
	struct synthflow_call	 c;
	struct buf		 b;
	const char		*reason = NULL;
	int			 where, rc;

	for (where = 0; where < 3; where++) {
		memset(&c, 0, sizeof(c));
		c.from = where == 0 ? bad : "+1";
		c.to = "+2";
		c.model_id = "m";
		var.name = where == 1 ? bad : "x";
		var.value = where == 2 ? bad : "ok";
		c.vars = &var;
		c.nvars = 1;
		buf_init(&b, 64 * 1024);
		reason = NULL;
		rc = synthflow_body(&b, &c, &reason);
		is_int(rc, -1, "%s in %s: refused", desc, where == 0 ? "from" :
		    where == 1 ? "a variable name" : "a variable value");
		is_str(rc == -1 ? reason : NULL, "json", "%s: reason json",
		    desc);
		buf_free(&b);
	}
}

static void
test_bad_utf8(void)
{
	bad_utf8("\xc3\x28", "invalid continuation");
	bad_utf8("abc\xff", "byte FF");
	bad_utf8("\xe2\x82", "truncated sequence");
	bad_utf8("\x80", "lone continuation byte");
	/*
	 * Strict UTF-8 as utf8.c defines it: yajl's own check lets these
	 * through. Inputs are checked upstream (form.c, settings.c), so this
	 * is latent.
	 */
	bad_utf8("\xc0\xaf", "overlong");
	bad_utf8("\xed\xa0\x80", "surrogate");
}

struct reply {
	int		 rc;
	const char	*reason;
	char		 id[SYNTHFLOW_ID_MAX + 1];
};

static void
reply(long status, const char *body, size_t len, struct reply *r)
{
	memset(r->id, 'Z', sizeof(r->id));
	r->reason = NULL;
	r->rc = synthflow_reply(status, body, len, r->id, &r->reason);
}

/* The reply must succeed with call id id. */
static void
good(long status, const char *body, const char *id, const char *desc)
{
	struct reply	 r;

	reply(status, body, strlen(body), &r);
	is_int(r.rc, 0, "%s: success", desc);
	is_str(r.rc == 0 ? r.id : NULL, id, "%s: call id", desc);
}

/* The reply must fail with reason. */
static void
bad(long status, const char *body, const char *reason, const char *desc)
{
	struct reply	 r;

	reply(status, body, strlen(body), &r);
	is_int(r.rc, -1, "%s: failure", desc);
	is_str(r.reason, reason, "%s: reason %s", desc, reason);
}

static void
test_reply(void)
{
	static const char nulbody[] = "{\"call_status\":\"registered\",\0"
	    "\"synthflow_call_id\":\"a\"}";
	struct reply	 r;
	char		 body[512], id[200];
	const char	*ok200 = REPLY_OK("abc-123_x.y");

	good(200, ok200, "abc-123_x.y", "200 registered");
	good(201, ok200, "abc-123_x.y", "201 registered");
	good(299, ok200, "abc-123_x.y", "299 registered");
	good(200, " \n{ \"synthflow_call_id\" : \"A\" , \"extra\": [1, {}],"
	    " \"call_status\":\"registered\", \"n\": null }\n", "A",
	    "members in any order, spaces, extra members");
	good(200, REPLY_OK("0"), "0", "a one-character id");

	bad(401, ok200, "http_401", "401");
	bad(403, ok200, "http_403", "403");
	bad(404, ok200, "http_404", "404");
	bad(429, ok200, "http_429", "429");
	bad(500, ok200, "http_500", "500");
	bad(502, ok200, "http_502", "502");
	bad(503, ok200, "http_503", "503");
	bad(504, ok200, "http_504", "504");
	bad(418, ok200, "http_4xx", "418");
	bad(499, ok200, "http_4xx", "499");
	bad(599, ok200, "http_5xx", "599");
	bad(505, ok200, "http_5xx", "505");
	bad(302, ok200, "http_status", "302");
	bad(304, ok200, "http_status", "304");
	bad(100, ok200, "http_status", "100");
	bad(199, ok200, "http_status", "199");
	bad(300, ok200, "http_status", "300");
	bad(600, ok200, "http_status", "600");
	bad(0, ok200, "http_status", "no status");
	bad(-1, ok200, "http_status", "negative status");

	bad(200, "<html>Bad Gateway</html>", "reply_json", "HTML");
	bad(200, "", "reply_json", "empty body");
	bad(204, "", "reply_json", "204 without a body");
	bad(200, "[" REPLY_OK("abc") "]", "reply_json", "array");
	bad(200, "\"registered\"", "reply_json", "a JSON string");
	bad(200, "null", "reply_json", "null");
	bad(200,
	    "{\"call_status\":\"registered\",\"synthflow_call_id\":\"abc\"",
	    "reply_json", "truncated JSON");
	bad(200, REPLY_OK("abc") " trailing", "reply_json", "trailing garbage");
	bad(200, REPLY_OK("abc") REPLY_OK("def"), "reply_json", "two objects");
	bad(200,
	    "{\"call_status\":\"registered\",\"synthflow_call_id\":\"abc\","
	    "}", "reply_json", "trailing comma");

	bad(200, "{\"call_status\":\"failed\",\"synthflow_call_id\":\"abc\"}",
	    "call_status", "call_status failed");
	bad(200, "{\"synthflow_call_id\":\"abc\"}", "call_status",
	    "call_status missing");
	bad(200, "{\"call_status\":1,\"synthflow_call_id\":\"abc\"}",
	    "call_status", "call_status a number");
	bad(200, "{\"call_status\":null,\"synthflow_call_id\":\"abc\"}",
	    "call_status", "call_status null");
	bad(200,
	    "{\"call_status\":\"REGISTERED\",\"synthflow_call_id\":\"abc\"}",
	    "call_status", "call_status in capitals");
	bad(200,
	    "{\"call_status\":\"registered \",\"synthflow_call_id\":\"abc\"}",
	    "call_status", "call_status with a space");
	bad(200, "{\"data\":" REPLY_OK("abc") "}", "call_status",
	    "members nested one level down");

	bad(200, "{\"call_status\":\"registered\"}", "call_id", "id missing");
	bad(200, "{\"call_status\":\"registered\",\"synthflow_call_id\":123}",
	    "call_id", "id a number");
	bad(200, "{\"call_status\":\"registered\",\"synthflow_call_id\":null}",
	    "call_id", "id null");
	bad(200,
	    "{\"call_status\":\"registered\",\"synthflow_call_id\":[\"a\"]}",
	    "call_id", "id an array");
	bad(200, REPLY_OK("abc;def"), "call_id", "id with ';'");
	bad(200, REPLY_OK("abc<def"), "call_id", "id with '<'");
	bad(200, REPLY_OK("abc&def"), "call_id", "id with '&'");
	bad(200, REPLY_OK("abc def"), "call_id", "id with a space");
	bad(200, REPLY_OK("abc?X-Evil=1"), "call_id", "id with '?' and '='");
	bad(200, REPLY_OK("abc@evil"), "call_id", "id with '@'");
	bad(200, REPLY_OK("abc\\n"), "call_id", "id with a newline");
	bad(200, REPLY_OK("caf\\u00e9"), "call_id",
	    "id with a non-ASCII letter");
	bad(200, REPLY_OK(""), "call_id", "empty id");
	bad(200, REPLY_OK("-abc"), "call_id", "id starting with '-'");
	bad(200, REPLY_OK(".abc"), "call_id", "id starting with '.'");
	bad(200, REPLY_OK("_abc"), "call_id", "id starting with '_'");

	/* 128 characters are fine, 129 are not. */
	memset(id, 'a', 128);
	id[0] = 'Q';
	id[127] = '9';
	id[128] = '\0';
	snprintf(body, sizeof(body), REPLY_OK("%s"), id);
	good(200, body, id, "an id of 128 characters");
	ok(synthflow_id_valid(id), "synthflow_id_valid: 128 characters");
	id[128] = 'z';
	id[129] = '\0';
	snprintf(body, sizeof(body), REPLY_OK("%s"), id);
	bad(200, body, "call_id", "an id of 129 characters");
	ok(!synthflow_id_valid(id), "synthflow_id_valid: 129 characters");
	memset(id, 'b', 190);
	id[190] = '\0';
	snprintf(body, sizeof(body), REPLY_OK("%s"), id);
	bad(200, body, "call_id", "an id of 190 characters");

	/* NUL bytes. */
	reply(200, nulbody, sizeof(nulbody) - 1, &r);
	is_int(r.rc, -1, "a NUL byte inside the body fails");
	is_str(r.reason, "reply_json", "a NUL byte: reason reply_json");
	reply(200, REPLY_OK("abc") "\0", strlen(REPLY_OK("abc")) + 1, &r);
	is_int(r.rc, -1, "a NUL byte after the JSON fails");
	is_str(r.reason, "reply_json", "a NUL after: reason reply_json");

	/* Only len bytes count. */
	snprintf(body, sizeof(body), "%s", REPLY_OK("lenok") "garbage");
	reply(200, body, strlen(REPLY_OK("lenok")), &r);
	is_int(r.rc, 0, "only len bytes of the body are read");
	is_str(r.rc == 0 ? r.id : NULL, "lenok", "id from the first len bytes");
	reply(200, body, strlen(REPLY_OK("lenok")) - 1, &r);
	is_str(r.reason, "reply_json", "a body cut by len is not JSON");

	/* An escaped NUL (\u0000) is not a NUL byte, and must not cut. */
	bad(200, "{\"call_status\":\"registered\","
	    "\"synthflow_call_id\":\"ab\\u0000cd\"}", "call_id",
	    "id with an escaped NUL");
	bad(200, "{\"call_status\":\"registered\\u0000no\","
	    "\"synthflow_call_id\":\"abc\"}", "call_status",
	    "call_status with an escaped NUL");
}

static void
test_id_valid(void)
{
	ok(synthflow_id_valid("a"), "id_valid: a");
	ok(synthflow_id_valid("9"), "id_valid: 9");
	ok(synthflow_id_valid("A.b_c-9"), "id_valid: A.b_c-9");
	ok(synthflow_id_valid("a--"), "id_valid: trailing '-'");
	ok(!synthflow_id_valid(""), "id_valid: empty");
	ok(!synthflow_id_valid("-a"), "id_valid: leading '-'");
	ok(!synthflow_id_valid("a/b"), "id_valid: '/'");
	ok(!synthflow_id_valid("a%3B"), "id_valid: '%%'");
	ok(!synthflow_id_valid("a+b"), "id_valid: '+'");
	ok(!synthflow_id_valid("a\xc3\xa9"), "id_valid: UTF-8");
}

/*
 * A deeply nested reply (well under the 1 MiB reply cap) must be refused
 * or accepted, never crash: run it in a child, on a thread with the
 * workers' 256 KiB stack (server.c).
 */
static void *
deep_reply(void *arg)
{
	static const char	 head[] = "{\"call_status\":\"registered\","
	    "\"synthflow_call_id\":\"abc\",\"pad\":";
	size_t			 depth = *(size_t *)arg, n, i;
	struct reply		 r;
	char			*body;

	if ((body = malloc(sizeof(head) + 2 * depth + 2)) == NULL)
		return NULL;
	memcpy(body, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	for (i = 0; i < depth; i++)
		body[n++] = '[';
	for (i = 0; i < depth; i++)
		body[n++] = ']';
	body[n++] = '}';
	reply(200, body, n, &r);
	free(body);
	return NULL;
}

static void
test_deep(void)
{
	pthread_attr_t	 attr;
	pthread_t	 t;
	size_t		 depth = 100000;	/* 200 KB */
	pid_t		 pid;
	int		 status = -1;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 256 * 1024);
		if (pthread_create(&t, &attr, deep_reply, &depth) != 0)
			_exit(2);
		pthread_join(t, NULL);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	ok(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "a reply nested %zu deep does not crash a worker", depth);
	if (pid > 0 && WIFSIGNALED(status))
		diag("the child died of signal %d", WTERMSIG(status));
}

int
main(void)
{
	test_body();
	test_duplicates();
	test_hostile();
	test_bad_utf8();
	test_reply();
	test_id_valid();
	test_deep();
	return done_testing();
}
