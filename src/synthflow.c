/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The JSON of prepare_inbound: generated with yajl_gen (so every string is
 * escaped by the library) and the reply parsed with yajl_parse. A reply is a
 * success only with a 2xx status, a JSON object whose call_status is
 * "registered" and a synthflow_call_id we accept; each failure has a short
 * reason that reaches the log as fallback:<reason>.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "ascii.h"
#include "synthflow.h"
#include "utf8.h"

static int
gen_str(yajl_gen g, const char *s)
{
	size_t	 len = strlen(s);

	/* yajl's own check lets overlong forms and surrogates through. */
	if (!utf8_valid(s, len))
		return -1;
	return yajl_gen_string(g, (const unsigned char *)s, len) ==
	    yajl_gen_status_ok ? 0 : -1;
}

static int
gen_member(yajl_gen g, const char *name, const char *value)
{
	return gen_str(g, name) == 0 && gen_str(g, value) == 0 ? 0 : -1;
}

/* 1 when a later variable has the same name, which then wins. */
static int
var_overridden(const struct synthflow_call *c, size_t i)
{
	size_t	 j;

	for (j = i + 1; j < c->nvars; j++)
		if (strcmp(c->vars[i].name, c->vars[j].name) == 0)
			return 1;
	return 0;
}

static int
gen_call(yajl_gen g, const struct synthflow_call *c)
{
	size_t	 i;
	int	 rc = 0;

	rc |= yajl_gen_map_open(g) != yajl_gen_status_ok;
	rc |= gen_member(g, "from_number", c->from);
	rc |= gen_member(g, "to_number", c->to);
	rc |= gen_member(g, "model_id", c->model_id);
	if (c->workspace_id != NULL)
		rc |= gen_member(g, "workspace_id", c->workspace_id);
	rc |= gen_str(g, "custom_variables");
	rc |= yajl_gen_map_open(g) != yajl_gen_status_ok;
	for (i = 0; i < c->nvars && rc == 0; i++)
		if (!var_overridden(c, i))
			rc |= gen_member(g, c->vars[i].name, c->vars[i].value);
	rc |= yajl_gen_map_close(g) != yajl_gen_status_ok;
	rc |= yajl_gen_map_close(g) != yajl_gen_status_ok;
	return rc ? -1 : 0;
}

int
synthflow_body(struct buf *out, const struct synthflow_call *c,
    const char **errstr)
{
	yajl_gen		 g;
	const unsigned char	*json;
	size_t			 len;
	int			 rc = -1;

	*errstr = "json";
	buf_reset(out);
	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return -1;
	if (gen_call(g, c) == 0 &&
	    yajl_gen_get_buf(g, &json, &len) == yajl_gen_status_ok &&
	    buf_add(out, json, len) == 0)
		rc = 0;
	yajl_gen_free(g);
	return rc;
}

int
synthflow_id_valid(const char *s)
{
	size_t	 n = strnlen(s, SYNTHFLOW_ID_MAX + 1);

	return n <= SYNTHFLOW_ID_MAX && ascii_id(s, n) &&
	    ascii_is_alnum((unsigned char)s[0]);
}

/* A static reason for an HTTP status, since reasons outlive the request. */
static const char *
http_reason(long status)
{
	switch (status) {
	case 400: return "http_400";
	case 401: return "http_401";
	case 403: return "http_403";
	case 404: return "http_404";
	case 408: return "http_408";
	case 409: return "http_409";
	case 422: return "http_422";
	case 429: return "http_429";
	case 500: return "http_500";
	case 502: return "http_502";
	case 503: return "http_503";
	case 504: return "http_504";
	}
	if (status >= 500 && status < 600)
		return "http_5xx";
	if (status >= 400 && status < 500)
		return "http_4xx";
	return "http_status";
}

/* What the streaming parse of a reply has seen. */
struct reply {
	int		 depth;		/* 1: inside the top-level object */
	int		 key;		/* the current top-level key */
	int		 registered;	/* call_status is "registered" */
	int		 has_id;	/* id holds an acceptable id */
	char		 id[SYNTHFLOW_ID_MAX + 1];
};

enum { KEY_OTHER, KEY_STATUS, KEY_ID };

#define REPLY_DEPTH_MAX	64	/* a prepare_inbound reply has about 3 */

static int
reply_open(void *arg)
{
	struct reply	*r = arg;

	/* A repeated key of ours whose value is no string: not ours now. */
	if (r->depth == 1 && r->key == KEY_STATUS)
		r->registered = 0;
	if (r->depth == 1 && r->key == KEY_ID)
		r->has_id = 0;
	/* Only an object may open the document; and no absurd nesting. */
	return ++r->depth <= REPLY_DEPTH_MAX;
}

static int
reply_open_array(void *arg)
{
	struct reply	*r = arg;

	return r->depth > 0 && reply_open(arg);
}

static int
reply_close(void *arg)
{
	struct reply	*r = arg;

	r->depth--;
	return 1;
}

static int
reply_key(void *arg, const unsigned char *k, size_t len)
{
	struct reply	*r = arg;

	if (r->depth != 1)
		return 1;
	if (len == 11 && memcmp(k, "call_status", 11) == 0)
		r->key = KEY_STATUS;
	else if (len == 17 && memcmp(k, "synthflow_call_id", 17) == 0)
		r->key = KEY_ID;
	else
		r->key = KEY_OTHER;
	return 1;
}

/* A value that is not a string: fine, unless it is one of ours. */
static int
reply_scalar(struct reply *r)
{
	if (r->depth == 0)
		return 0;		/* a bare scalar document */
	if (r->depth == 1 && r->key == KEY_STATUS)
		r->registered = 0;
	if (r->depth == 1 && r->key == KEY_ID)
		r->has_id = 0;
	return 1;
}

static int
reply_null(void *arg)
{
	return reply_scalar(arg);
}

static int
reply_bool(void *arg, int b)
{
	(void)b;
	return reply_scalar(arg);
}

static int
reply_number(void *arg, const char *n, size_t len)
{
	(void)n;
	(void)len;
	return reply_scalar(arg);
}

static int
reply_string(void *arg, const unsigned char *str, size_t len)
{
	struct reply	*r = arg;

	/* str is only valid during the call: compare or copy it now. */
	if (reply_scalar(r) == 0)
		return 0;
	if (r->depth == 1 && r->key == KEY_STATUS)
		r->registered = len == 10 && memcmp(str, "registered", 10) == 0;
	else if (r->depth == 1 && r->key == KEY_ID && len > 0 &&
	    len <= SYNTHFLOW_ID_MAX && memchr(str, '\0', len) == NULL) {
		memcpy(r->id, str, len);
		r->id[len] = '\0';
		r->has_id = synthflow_id_valid(r->id);
	}
	return 1;
}

static const yajl_callbacks reply_callbacks = {
	reply_null, reply_bool, NULL, NULL, reply_number, reply_string,
	reply_open, reply_key, reply_close, reply_open_array, reply_close
};

int
synthflow_reply(long status, const char *body, size_t len,
    char id[SYNTHFLOW_ID_MAX + 1], const char **errstr)
{
	struct reply	 r;
	yajl_handle	 h;
	int		 rc = -1;

	if (status < 200 || status > 299) {
		*errstr = http_reason(status);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	/*
	 * A streaming parse: strings come with their lengths (an escaped NUL
	 * cannot shorten them), and no tree is built whose recursive free
	 * could exhaust a worker's stack on a deeply nested reply.
	 */
	if ((h = yajl_alloc(&reply_callbacks, NULL, &r)) == NULL) {
		*errstr = "memory";
		return -1;
	}
	if (yajl_parse(h, (const unsigned char *)body, len) != yajl_status_ok ||
	    yajl_complete_parse(h) != yajl_status_ok)
		*errstr = "reply_json";
	else if (!r.registered)
		*errstr = "call_status";
	else if (!r.has_id)
		*errstr = "call_id";
	else {
		memcpy(id, r.id, sizeof(r.id));
		rc = 0;
	}
	yajl_free(h);
	return rc;
}
