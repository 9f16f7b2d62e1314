/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The custom variables of struct settings. The process's table owns its
 * names and values; a request without variables of its own shares it, one
 * with some gets a copy of the table whose new names sit in one block.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "settings_vars.h"
#include "utf8.h"

#define PREFIX_LEN	(sizeof(SETTINGS_VAR_PREFIX) - 1)

const char *
settings_vars_name(const char *setting)
{
	if (strncmp(setting, SETTINGS_VAR_PREFIX, PREFIX_LEN) != 0 ||
	    setting[PREFIX_LEN] == '\0')
		return NULL;
	return setting + PREFIX_LEN;
}

/* Add or replace a variable; the old value is returned to *old. */
static int
add_var(struct settings *s, const char *name, const char *value,
    const char **old)
{
	struct synthflow_var	*v;
	size_t			 i;

	*old = NULL;
	for (i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0) {
			*old = s->vars[i].value;
			s->vars[i].value = value;
			return 0;
		}
	if ((v = realloc(s->vars, (s->nvars + 1) * sizeof(*v))) == NULL)
		return -1;
	s->vars = v;
	s->vars[s->nvars].name = name;
	s->vars[s->nvars].value = value;
	s->nvars++;
	return 0;
}

int
settings_vars_set(struct settings *s, const char *name, const char *value)
{
	const char	*old;
	char		*n = NULL, *v = NULL;

	if ((n = strdup(name)) == NULL || (v = strdup(value)) == NULL ||
	    add_var(s, n, v, &old) == -1) {
		free(n);
		free(v);
		return -1;
	}
	if (old != NULL) {	/* the name is already in the table */
		free(n);
		free((char *)old);
	}
	return 0;
}

/* The bytes the names of the request's SYNTHFLOW_VAR_* params take. */
static size_t
request_var_bytes(char *const *params)
{
	size_t	 n = 0;
	char	*eq;

	for (; *params != NULL; params++)
		if (**params == 'S' &&
		    strncmp(*params, SETTINGS_VAR_PREFIX, PREFIX_LEN) == 0 &&
		    (eq = strchr(*params, '=')) != NULL)
			n += (size_t)(eq - *params) - PREFIX_LEN + 1;
	return n;
}

int
settings_vars_request(struct settings *out, char *const *params,
    const char **errstr)
{
	const struct synthflow_var	*base = out->vars;
	size_t				 nbase = out->nvars, bytes, i, len;
	const char			*old;
	char				*names, *eq;

	if ((bytes = request_var_bytes(params)) == 0)
		return 0;	/* the usual case: share the base's table */
	if ((names = malloc(bytes)) == NULL)
		return -1;
	out->var_names = names;
	out->vars = NULL;
	out->nvars = 0;
	out->owns_vars = 0;
	for (i = 0; i < nbase; i++)
		if (add_var(out, base[i].name, base[i].value, &old) == -1)
			return -1;
	for (; *params != NULL; params++) {
		if (strncmp(*params, SETTINGS_VAR_PREFIX, PREFIX_LEN) != 0 ||
		    (eq = strchr(*params, '=')) == NULL)
			continue;
		len = (size_t)(eq - *params) - PREFIX_LEN;
		if (len == 0 || eq[1] == '\0')
			continue;
		if (!utf8_text_ok(eq + 1, strlen(eq + 1))) {
			if (*errstr == NULL)
				*errstr = SETTINGS_VAR_PREFIX;
			continue;
		}
		memcpy(names, *params + PREFIX_LEN, len);
		names[len] = '\0';
		if (add_var(out, names, eq + 1, &old) == -1)
			return -1;
		names += len + 1;
	}
	return 0;
}

void
settings_vars_free(struct settings *s)
{
	size_t	 i;

	if (s->owns_vars)
		for (i = 0; i < s->nvars; i++) {
			free((char *)s->vars[i].name);
			free((char *)s->vars[i].value);
		}
	if (s->owns_vars || s->var_names != NULL)
		free(s->vars);
	free(s->var_names);
}
