/*
 * The settings' four sources: defaults, the config file, the environment
 * and, per request, the web server's params. Each setting is parsed where
 * it enters, so the rest of the program reads typed values and never sees
 * a bad one. The table is settings_table.c's, how a value is checked
 * settings_value.c's, the SYNTHFLOW_VAR_* table settings_vars.c's, and
 * Synthflow's addresses synthflow_region.c's.
 */
/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The settings' four sources. Each setting is parsed where it enters (at start for the process, per request for request params), so
 * the rest of the program reads typed values and never sees a bad one.
 * The table is settings_table.c's, how a value is checked
 * settings_value.c's, the SYNTHFLOW_VAR_* table settings_vars.c's, and
 * Synthflow's addresses synthflow_region.c's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "redisurl.h"
#include "settings.h"
#include "settings_value.h"
#include "settings_vars.h"
#include "synthflow_region.h"
#include "twiml.h"
#include "utf8.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG	SYSCONFDIR "/synthflow-twiml.conf"

extern char **environ;

/* Parse v as setting id into *num; 0, or -1 with *errstr. */
static int
parse(enum setting id, const char *v, long *num, const char **errstr)
{
	return settings_value_parse(&settings_defs[id], v, num, errstr);
}

static void
set_defaults(struct settings *s)
{
	const char	*errstr;
	int		 i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < S_COUNT; i++) {
		s->str[i] = settings_defs[i].dflt;
		s->src[i] = SRC_DEFAULT;
		if (settings_defs[i].dflt != NULL)	/* valid: the table's own */
			(void)parse(i, settings_defs[i].dflt, &s->num[i], &errstr);
	}
	s->num[S_DIAL_ANSWER_ON_BRIDGE] = -1;
}

struct loader {
	struct settings	*s;
	enum source	 src;
	int		 strict;
	int		 errors;
	settings_report	 report;
	void		*arg;
};

static void
problem(struct loader *l, int error, const char *name, const char *msg)
{
	if (error)
		l->errors++;
	l->report(error ? "error" : "warning", name, msg, l->arg);
}

/* A problem with a value, with its line when it comes from the file. */
static void
bad_value(struct loader *l, int error, const char *name, const char *msg,
    unsigned long lineno)
{
	char	 where[1024];

	if (lineno == 0) {
		problem(l, error, name, msg);
		return;
	}
	snprintf(where, sizeof(where), "%s (config file line %lu)", msg,
	    lineno);
	problem(l, error, name, where);
}

/* Take a SYNTHFLOW_VAR_ setting; -1 when out of memory. */
static int
load_var(struct loader *l, const char *name, const char *value,
    unsigned long lineno)
{
	if (!utf8_text_ok(value, strlen(value))) {
		bad_value(l, 1, name, "control character or invalid UTF-8",
		    lineno);
		return 0;
	}
	if (settings_vars_set(l->s, settings_vars_name(name), value) == -1) {
		problem(l, 1, name, "out of memory");
		return -1;
	}
	return 0;
}

/* Why this build refuses the setting: 0, or -1 with *errstr. */
static int
unbuilt(int id, const char **errstr)
{
#ifndef HAVE_HIREDIS
	if (settings_defs[id].flags & F_REDIS) {
		*errstr = "this build has no Redis support: configure found no "
		    "hiredis (Debian: libhiredis-dev) or ran --without-redis";
		return -1;
	}
#endif
	(void)id, (void)errstr;
	return 0;
}

/* Take one NAME=value from the environment or the config file. */
static int
load_one(const char *name, const char *value, unsigned long lineno, void *arg)
{
	struct loader	*l = arg;
	const char	*errstr;
	char		*v;
	long		 num;
	int		 id;

	if (!settings_ours(name) || *value == '\0')
		return 0;
	if (settings_vars_name(name) != NULL)
		return load_var(l, name, value, lineno);
	if ((id = settings_lookup(name, strlen(name))) == -1) {
		/* A request's own param, in the environment under CGI. */
		if (strcmp(name, "SYNTHFLOW_REQUEST_START") != 0)
			bad_value(l, l->strict, name, "unknown setting",
			    lineno);
		return 0;
	}
	if (unbuilt(id, &errstr) == -1 ||
	    parse(id, value, &num, &errstr) == -1) {
		bad_value(l, 1, name, errstr, lineno);
		return 0;
	}
	if ((v = strdup(value)) == NULL) {
		problem(l, 1, name, "out of memory");
		return -1;
	}
	if (l->s->owned & (1ULL << id))
		free((char *)l->s->str[id]);
	l->s->str[id] = v;
	l->s->num[id] = num;
	l->s->src[id] = l->src;
	l->s->owned |= 1ULL << id;
	return 0;
}

static void
load_environment(struct loader *l)
{
	char	**e, name[256];
	char	 *eq;
	size_t	  len;

	l->src = SRC_ENV;
	for (e = environ; *e != NULL; e++) {
		if ((eq = strchr(*e, '=')) == NULL || !settings_ours(*e))
			continue;
		if ((len = (size_t)(eq - *e)) >= sizeof(name))
			continue;
		memcpy(name, *e, len);
		name[len] = '\0';
		load_one(name, eq + 1, 0, l);
	}
}

static void
load_file(struct loader *l, const char *path)
{
	char	 errbuf[256], msg[1024];

	l->src = SRC_FILE;
	if (conffile_read(path, load_one, l, errbuf, sizeof(errbuf)) == -1) {
		snprintf(msg, sizeof(msg), "%s: %s", path, errbuf);
		problem(l, 1, "config file", msg);
	}
}

int
settings_load(struct settings *s, const char *path, int strict,
    settings_report report, void *arg)
{
	struct loader	 l = { s, SRC_DEFAULT, strict, 0, report, arg };
	const char	*env;

	set_defaults(s);
	if (path == NULL && (env = getenv("SYNTHFLOW_CONFIG")) != NULL &&
	    *env != '\0')
		path = env;
	if (path == NULL && access(DEFAULT_CONFIG, F_OK) == 0)
		path = DEFAULT_CONFIG;
	if ((s->file = path) != NULL)
		load_file(&l, path);
	load_environment(&l);
	s->owns_vars = 1;
	if (s->str[S_API_KEY] == NULL)
		problem(&l, 0, settings_defs[S_API_KEY].name,
		    "not set: every request must bring it as a param");
	if (s->str[S_MODEL_ID] == NULL)
		problem(&l, 0, settings_defs[S_MODEL_ID].name, s->str[S_ROUTES] != NULL ?
		    "not set: calls to numbers without a route must bring it "
		    "as a param" : "not set: every request must bring it as a "
		    "param");
	if (s->num[S_VALIDATE] && s->str[S_AUTH_TOKEN] == NULL)
		problem(&l, 0, settings_defs[S_AUTH_TOKEN].name,
		    "not set: requests without a per-request token get 403");
	if (s->num[S_SIP_SECURE] && s->num[S_SIP_TRANSPORT] != TWIML_TLS)
		problem(&l, 0, settings_defs[S_SIP_SECURE].name,
		    "ignored unless SYNTHFLOW_SIP_TRANSPORT=tls");
	return l.errors;
}

/* Remember the first bad setting, preferring one used before the check. */
static void
note_bad(const char **errstr, int id)
{
	if (*errstr == NULL || (!settings_early(*errstr) &&
	    (settings_defs[id].flags & F_EARLY)))
		*errstr = settings_defs[id].name;
}

int
settings_for_request(struct settings *out, const struct settings *base,
    char *const *params, const char **errstr)
{
	char *const	*p;
	const char	*eq, *why;
	long		 num;
	int		 id;

	*out = *base;
	out->owned = 0;
	out->ignored = 0;
	out->owns_vars = 0;
	out->var_names = NULL;
	*errstr = NULL;
	for (p = params; *p != NULL; p++) {
		if (!settings_ours(*p) || (eq = strchr(*p, '=')) == NULL ||
		    (id = settings_lookup(*p, (size_t)(eq - *p))) == -1)
			continue;
		if (settings_defs[id].flags & F_PROCESS) {
			out->ignored |= 1ULL << id;	/* call.c says so */
			continue;
		}
		if (eq[1] == '\0')
			continue;
		if (parse(id, eq + 1, &num, &why) == -1) {
			note_bad(errstr, id);
			continue;
		}
		out->str[id] = eq + 1;
		out->num[id] = num;
		out->src[id] = SRC_REQUEST;
	}
	if (settings_vars_request(out, params, errstr) == -1 &&
	    *errstr == NULL)
		*errstr = "memory";
	return *errstr == NULL ? 0 : -1;
}

void
settings_free(struct settings *s)
{
	int	 id;

	for (id = 0; id < S_COUNT; id++)
		if (s->owned & (1ULL << id))
			free((char *)s->str[id]);
	settings_vars_free(s);
	memset(s, 0, sizeof(*s));
}

const char *
settings_api_url(const struct settings *s)
{
	return s->str[S_API_URL] != NULL ? s->str[S_API_URL] :
	    synthflow_region_api_url(s->num[S_REGION]);
}

int
settings_api_endpoint(const struct settings *s, const char *path, char *out,
    size_t outlen)
{
	return synthflow_endpoint(settings_api_url(s), path, out, outlen);
}

const char *
settings_sip_host(const struct settings *s)
{
	return s->str[S_SIP_HOST] != NULL ? s->str[S_SIP_HOST] :
	    synthflow_region_sip_host(s->num[S_REGION]);
}

long
settings_sip_port(const struct settings *s)
{
	if (s->str[S_SIP_PORT] != NULL)
		return s->num[S_SIP_PORT];
	return synthflow_sip_port(s->num[S_SIP_TRANSPORT] == TWIML_TLS);
}

void
settings_print(const struct settings *s, FILE *fp)
{
	static const char *const sources[] = {
		"default", "config file", "environment", "request"
	};
	char	 masked[REDISURL_MAX + 16];
	size_t	 i;
	int	 id;

	for (id = 0; id < S_COUNT; id++) {
		if (s->str[id] == NULL)
			fprintf(fp, "# %s is not set\n", settings_defs[id].name);
		else if (settings_defs[id].type == T_REDIS)
			fprintf(fp, "%s=\"%s\"\t# %s\n", settings_defs[id].name,
			    redisurl_mask(s->str[id], masked, sizeof(masked))
			    == 0 ? masked : "********", sources[s->src[id]]);
		else
			fprintf(fp, "%s=\"%s\"\t# %s\n", settings_defs[id].name,
			    (settings_defs[id].flags & F_SECRET) ? "********" :
			    s->str[id], sources[s->src[id]]);
	}
	for (i = 0; i < s->nvars; i++)
		fprintf(fp, "%s%s=\"%s\"\n", SETTINGS_VAR_PREFIX,
		    s->vars[i].name, s->vars[i].value);
	fprintf(fp, "# API URL %s, SIP host %s port %ld\n",
	    settings_api_url(s), settings_sip_host(s), settings_sip_port(s));
}
