/*
 * The JSON of prepare_inbound: generated with yajl_gen (so every string is
 * escaped by the library) and the reply parsed with yajl_tree. A reply is a
 * success only when every condition of SPEC 2.3 holds; each failure has a
 * short reason that reaches the log as fallback:<reason>.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "synthflow.h"

static int
gen_str(yajl_gen g, const char *s)
{
	return yajl_gen_string(g, (const unsigned char *)s, strlen(s)) ==
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
    const char **reason)
{
	yajl_gen		 g;
	const unsigned char	*json;
	size_t			 len;
	int			 rc = -1;

	*reason = "json";
	buf_reset(out);
	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return -1;
	/* Refuse invalid UTF-8 rather than send it on. */
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
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
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i == SYNTHFLOW_ID_MAX)
			return 0;
		if ((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9'))
			continue;
		if (i == 0 || (s[i] != '.' && s[i] != '_' && s[i] != '-'))
			return 0;
	}
	return i > 0;
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

int
synthflow_reply(long status, const char *body, size_t len,
    char id[SYNTHFLOW_ID_MAX + 1], const char **reason)
{
	static const char	*status_path[] = { "call_status", NULL };
	static const char	*id_path[] = { "synthflow_call_id", NULL };
	yajl_val		 root = NULL, v;
	const char		*s;
	char			*text;
	int			 rc = -1;

	if (status < 200 || status > 299) {
		*reason = http_reason(status);
		return -1;
	}
	/* yajl_tree_parse wants a NUL-terminated string without NULs. */
	if (memchr(body, '\0', len) != NULL) {
		*reason = "reply_json";
		return -1;
	}
	if ((text = strndup(body, len)) == NULL) {
		*reason = "memory";
		return -1;
	}
	root = yajl_tree_parse(text, NULL, 0);
	free(text);
	if (root == NULL || !YAJL_IS_OBJECT(root)) {
		*reason = "reply_json";
		goto done;
	}
	v = yajl_tree_get(root, status_path, yajl_t_string);
	if ((s = YAJL_GET_STRING(v)) == NULL || strcmp(s, "registered") != 0) {
		*reason = "call_status";
		goto done;
	}
	v = yajl_tree_get(root, id_path, yajl_t_string);
	if ((s = YAJL_GET_STRING(v)) == NULL || !synthflow_id_valid(s)) {
		*reason = "call_id";
		goto done;
	}
	strcpy(id, s);
	rc = 0;
done:
	yajl_tree_free(root);
	return rc;
}
