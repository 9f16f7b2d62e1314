/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The settings table and its four sources. Each setting is parsed where it
 * enters (at start for the process, per request for request params), so
 * the rest of the program reads typed values and never sees a bad one.
 * How a value is checked is settings_value.c's, the SYNTHFLOW_VAR_* table
 * settings_vars.c's, and Synthflow's addresses synthflow_region.c's.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "log.h"
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

#define F_SECRET	0x1	/* never printed or logged */
#define F_EARLY		0x2	/* used before the signature check */
#define F_PROCESS	0x4	/* whole process only: no per-request value */
#define F_REDIS		0x8	/* refused by a build without hiredis */

static const char *const escapes[] = { "raw", "percent", NULL };
static const char *const anonymous[] = { "allow", "reject", NULL };
/* The words of log.h's enums, in their order. */
static const char *const logdests[] = {
	[LOG_TO_STDERR] = "stderr", [LOG_TO_SYSLOG] = "syslog",
	[LOG_TO_OFF] = "off", NULL
};
static const char *const loglevels[] = {
	[LOG_LEVEL_ERROR] = "error", [LOG_LEVEL_WARN] = "warn",
	[LOG_LEVEL_INFO] = "info", [LOG_LEVEL_DEBUG] = "debug", NULL
};

#define FALLBACK_SAY "We are sorry, we cannot take your call right now. " \
	"Please try again later."

_Static_assert(S_COUNT <= 64, "settings.owned has a bit per setting");

static const struct settings_def defs[S_COUNT] = {
	[S_API_KEY] = { "SYNTHFLOW_API_KEY", T_TEXT, F_SECRET, NULL, 0, 0, NULL },
	[S_MODEL_ID] = { "SYNTHFLOW_MODEL_ID", T_TEXT, 0, NULL, 0, 0, NULL },
	[S_WORKSPACE_ID] = { "SYNTHFLOW_WORKSPACE_ID", T_TEXT, 0, NULL, 0, 0,
	    NULL },
	[S_REGION] = { "SYNTHFLOW_REGION", T_WORD, 0, "global", 0, 0,
	    synthflow_region_names },
	[S_API_URL] = { "SYNTHFLOW_API_URL", T_URL, 0, NULL, 0, 0, NULL },
	[S_CA_FILE] = { "SYNTHFLOW_CA_FILE", T_TEXT, 0, NULL, 0, 0, NULL },
	[S_TIMEOUT_MS] = { "SYNTHFLOW_TIMEOUT_MS", T_NUMBER, 0, "8000",
	    1, 12000, NULL },
	[S_CONNECT_TIMEOUT_MS] = { "SYNTHFLOW_CONNECT_TIMEOUT_MS", T_NUMBER, 0,
	    "2000", 1, 12000, NULL },
	[S_RETRIES] = { "SYNTHFLOW_RETRIES", T_NUMBER, 0, "1", 0, 5, NULL },
	[S_SIP_HOST] = { "SYNTHFLOW_SIP_HOST", T_HOST, 0, NULL, 0, 0, NULL },
	[S_SIP_PORT] = { "SYNTHFLOW_SIP_PORT", T_NUMBER, 0, NULL, 1, 65535,
	    NULL },
	[S_SIP_TRANSPORT] = { "SYNTHFLOW_SIP_TRANSPORT", T_WORD, 0, "udp",
	    0, 0, twiml_transport_names },
	[S_SIP_NUMBER] = { "SYNTHFLOW_SIP_NUMBER", T_SIPUSER, 0, NULL, 0, 0,
	    NULL },
	[S_SIP_USERNAME] = { "SYNTHFLOW_SIP_USERNAME", T_TEXT, 0, NULL, 0, 0,
	    NULL },
	[S_SIP_PASSWORD] = { "SYNTHFLOW_SIP_PASSWORD", T_TEXT, F_SECRET, NULL,
	    0, 0, NULL },
	[S_XEI_CALLSID] = { "SYNTHFLOW_XEI_CALLSID", T_YESNO, 0, "off", 0, 0,
	    NULL },
	[S_XEI_ESCAPE] = { "SYNTHFLOW_XEI_ESCAPE", T_WORD, 0, "raw", 0, 0,
	    escapes },
	[S_SIP_SECURE] = { "SYNTHFLOW_SIP_SECURE", T_YESNO, 0, "off", 0, 0,
	    NULL },
	[S_FORWARD_PARAMS] = { "SYNTHFLOW_FORWARD_PARAMS", T_TEXT, 0,
	    "CallSid,CallerName,ForwardedFrom", 0, 0, NULL },
	[S_DIAL_TIMEOUT] = { "SYNTHFLOW_DIAL_TIMEOUT", T_NUMBER, 0, NULL,
	    1, 600, NULL },
	[S_DIAL_TIME_LIMIT] = { "SYNTHFLOW_DIAL_TIME_LIMIT", T_NUMBER, 0, NULL,
	    1, 86400, NULL },
	[S_DIAL_CALLER_ID] = { "SYNTHFLOW_DIAL_CALLER_ID", T_TEXT, 0, NULL,
	    0, 0, NULL },
	[S_DIAL_ANSWER_ON_BRIDGE] = { "SYNTHFLOW_DIAL_ANSWER_ON_BRIDGE",
	    T_YESNO, 0, NULL, 0, 0, NULL },
	[S_FALLBACK_SAY] = { "SYNTHFLOW_FALLBACK_SAY", T_TEXT, 0, FALLBACK_SAY,
	    0, 0, NULL },
	[S_FALLBACK_LANGUAGE] = { "SYNTHFLOW_FALLBACK_LANGUAGE", T_TEXT, 0,
	    NULL, 0, 0, NULL },
	[S_FALLBACK_DIAL] = { "SYNTHFLOW_FALLBACK_DIAL", T_TEXT, 0, NULL,
	    0, 0, NULL },
	[S_FALLBACK_REDIRECT] = { "SYNTHFLOW_FALLBACK_REDIRECT", T_URL, 0,
	    NULL, 0, 0, NULL },
	[S_AUTH_TOKEN] = { "TWILIO_AUTH_TOKEN", T_TEXT, F_SECRET | F_EARLY,
	    NULL, 0, 0, NULL },
	[S_SHARED_KEY] = { "TWILIO_SHARED_KEY", T_TEXT, F_SECRET | F_EARLY,
	    NULL, 0, 0, NULL },
	[S_VALIDATE] = { "TWILIO_VALIDATE", T_YESNO, F_EARLY, "on", 0, 0,
	    NULL },
	[S_WEBHOOK_URL] = { "TWILIO_WEBHOOK_URL", T_URL, F_EARLY, NULL,
	    0, 0, NULL },
	[S_MAX_BODY] = { "SYNTHFLOW_MAX_BODY", T_NUMBER, F_EARLY, "65536",
	    1024, 1048576, NULL },
	[S_MAX_WAIT_MS] = { "SYNTHFLOW_MAX_WAIT_MS", T_NUMBER, 0, "10000",
	    0, 60000, NULL },
	[S_DEDUP_SECONDS] = { "SYNTHFLOW_DEDUP_SECONDS", T_NUMBER, 0, "600",
	    0, 86400, NULL },
	[S_DEDUP_REDIS] = { "SYNTHFLOW_DEDUP_REDIS", T_REDIS,
	    F_PROCESS | F_REDIS, NULL, 0, 0, NULL },
	[S_DEDUP_REDIS_TIMEOUT_MS] = { "SYNTHFLOW_DEDUP_REDIS_TIMEOUT_MS",
	    T_NUMBER, F_PROCESS | F_REDIS, "50", 1, 1000, NULL },
	[S_DEDUP_REDIS_PASSWORD] = { "SYNTHFLOW_DEDUP_REDIS_PASSWORD", T_TEXT,
	    F_SECRET | F_PROCESS | F_REDIS, NULL, 0, 0, NULL },
	[S_DIAL_ACTION] = { "SYNTHFLOW_DIAL_ACTION", T_ACTION, 0, "self",
	    0, 0, NULL },
	[S_FALLBACK_DIRECT] = { "SYNTHFLOW_FALLBACK_DIRECT", T_YESNO, 0, "on",
	    0, 0, NULL },
	[S_XEI_FORWARDED] = { "SYNTHFLOW_XEI_FORWARDED", T_YESNO, 0, "off",
	    0, 0, NULL },
	[S_SIP_HEADERS] = { "SYNTHFLOW_SIP_HEADERS", T_HEADERS, 0, NULL,
	    0, 0, NULL },
	[S_ROUTES] = { "SYNTHFLOW_ROUTES", T_TEXT, F_PROCESS, NULL, 0, 0,
	    NULL },
	[S_METRICS_PATH] = { "SYNTHFLOW_METRICS_PATH", T_PATH, 0, NULL,
	    0, 0, NULL },
	[S_HEALTH_PATH] = { "SYNTHFLOW_HEALTH_PATH", T_PATH, 0, NULL,
	    0, 0, NULL },
	[S_TRANSFER] = { "SYNTHFLOW_TRANSFER", T_ACTION, 0, "self", 0, 0,
	    NULL },
	[S_TRANSFER_ALLOW] = { "SYNTHFLOW_TRANSFER_ALLOW", T_ALLOW, 0, NULL,
	    0, 0, NULL },
	[S_TRANSFER_TIMEOUT] = { "SYNTHFLOW_TRANSFER_TIMEOUT", T_NUMBER, 0,
	    "30", 5, 600, NULL },
	[S_TRANSFER_CALLER_ID] = { "SYNTHFLOW_TRANSFER_CALLER_ID", T_TEXT, 0,
	    NULL, 0, 0, NULL },
	[S_CALLER_DENY] = { "SYNTHFLOW_CALLER_DENY", T_DENY, F_PROCESS, NULL,
	    0, 0, NULL },
	[S_CALLER_LIMIT] = { "SYNTHFLOW_CALLER_LIMIT", T_LIMIT, F_PROCESS,
	    "off", 0, 0, NULL },
	[S_CALLER_ANONYMOUS] = { "SYNTHFLOW_CALLER_ANONYMOUS", T_WORD, 0,
	    "allow", 0, 0, anonymous },
	[S_THREADS] = { "SYNTHFLOW_THREADS", T_NUMBER, F_PROCESS, "256",
	    1, 1024, NULL },
	[S_READ_TIMEOUT_MS] = { "SYNTHFLOW_READ_TIMEOUT_MS", T_NUMBER,
	    F_PROCESS, "5000", 100, 14000, NULL },
	[S_LOG] = { "SYNTHFLOW_LOG", T_WORD, F_PROCESS, "stderr", 0, 0,
	    logdests },
	[S_LOG_LEVEL] = { "SYNTHFLOW_LOG_LEVEL", T_WORD, F_PROCESS, "info",
	    0, 0, loglevels },
	[S_CONFIG] = { "SYNTHFLOW_CONFIG", T_TEXT, F_PROCESS, NULL, 0, 0,
	    NULL },
};

const char *
settings_name(enum setting id)
{
	return defs[id].name;
}

int
settings_secret(enum setting id)
{
	return (defs[id].flags & F_SECRET) != 0;
}

static int
lookup(const char *name, size_t len)
{
	int	 i;

	for (i = 0; i < S_COUNT; i++)
		if (strncmp(defs[i].name, name, len) == 0 &&
		    defs[i].name[len] == '\0')
			return i;
	return -1;
}

int
settings_early(const char *name)
{
	int	 i = lookup(name, strlen(name));

	return i != -1 && (defs[i].flags & F_EARLY) != 0;
}

static int
ours(const char *name)
{
	return (*name == 'S' && strncmp(name, "SYNTHFLOW_", 10) == 0) ||
	    (*name == 'T' && strncmp(name, "TWILIO_", 7) == 0);
}

int
settings_process_only(const char *param)
{
	size_t	 len;
	int	 i;

	/* Every request has some 30 params: most are the web server's. */
	if (!ours(param))
		return -1;
	len = strcspn(param, "=");
	i = param[len] == '=' ? lookup(param, len) : -1;
	return i != -1 && (defs[i].flags & F_PROCESS) ? i : -1;
}

/* Parse v as setting id into *num; 0, or -1 with *errstr. */
static int
parse(enum setting id, const char *v, long *num, const char **errstr)
{
	return settings_value_parse(&defs[id], v, num, errstr);
}

static void
set_defaults(struct settings *s)
{
	const char	*errstr;
	int		 i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < S_COUNT; i++) {
		s->str[i] = defs[i].dflt;
		s->src[i] = SRC_DEFAULT;
		if (defs[i].dflt != NULL)	/* valid: the table's own */
			(void)parse(i, defs[i].dflt, &s->num[i], &errstr);
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
	if (defs[id].flags & F_REDIS) {
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

	if (!ours(name) || *value == '\0')
		return 0;
	if (settings_vars_name(name) != NULL)
		return load_var(l, name, value, lineno);
	if ((id = lookup(name, strlen(name))) == -1) {
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
		if ((eq = strchr(*e, '=')) == NULL || !ours(*e))
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
		problem(&l, 0, defs[S_API_KEY].name,
		    "not set: every request must bring it as a param");
	if (s->str[S_MODEL_ID] == NULL)
		problem(&l, 0, defs[S_MODEL_ID].name, s->str[S_ROUTES] != NULL ?
		    "not set: calls to numbers without a route must bring it "
		    "as a param" : "not set: every request must bring it as a "
		    "param");
	if (s->num[S_VALIDATE] && s->str[S_AUTH_TOKEN] == NULL)
		problem(&l, 0, defs[S_AUTH_TOKEN].name,
		    "not set: requests without a per-request token get 403");
	if (s->num[S_SIP_SECURE] && s->num[S_SIP_TRANSPORT] != TWIML_TLS)
		problem(&l, 0, defs[S_SIP_SECURE].name,
		    "ignored unless SYNTHFLOW_SIP_TRANSPORT=tls");
	return l.errors;
}

/* Remember the first bad setting, preferring one used before the check. */
static void
note_bad(const char **errstr, int id)
{
	if (*errstr == NULL || (!settings_early(*errstr) &&
	    (defs[id].flags & F_EARLY)))
		*errstr = defs[id].name;
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
	out->owns_vars = 0;
	out->var_names = NULL;
	*errstr = NULL;
	for (p = params; *p != NULL; p++) {
		if (!ours(*p) || (eq = strchr(*p, '=')) == NULL ||
		    eq[1] == '\0')
			continue;
		if ((id = lookup(*p, (size_t)(eq - *p))) == -1 ||
		    (defs[id].flags & F_PROCESS))
			continue;	/* call.c says so of a process one */
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
			fprintf(fp, "# %s is not set\n", defs[id].name);
		else if (defs[id].type == T_REDIS)
			fprintf(fp, "%s=\"%s\"\t# %s\n", defs[id].name,
			    redisurl_mask(s->str[id], masked, sizeof(masked))
			    == 0 ? masked : "********", sources[s->src[id]]);
		else
			fprintf(fp, "%s=\"%s\"\t# %s\n", defs[id].name,
			    (defs[id].flags & F_SECRET) ? "********" :
			    s->str[id], sources[s->src[id]]);
	}
	for (i = 0; i < s->nvars; i++)
		fprintf(fp, "%s%s=\"%s\"\n", SETTINGS_VAR_PREFIX,
		    s->vars[i].name, s->vars[i].value);
	fprintf(fp, "# API URL %s, SIP host %s port %ld\n",
	    settings_api_url(s), settings_sip_host(s), settings_sip_port(s));
}
