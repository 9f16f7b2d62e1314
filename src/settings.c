/*
 * The settings table and its four sources. Each setting is parsed where it
 * enters (at start for the process, per request for request params), so
 * the rest of the program reads typed values and never sees a bad one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "caller_deny.h"
#include "caller_limit.h"
#include "conffile.h"
#include "refer.h"
#include "settings.h"
#include "sipheaders.h"
#include "twiml.h"
#include "utf8.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG	SYSCONFDIR "/synthflow-twiml.conf"

extern char **environ;

enum type {
	T_TEXT,		/* UTF-8 without control characters */
	T_URL,		/* http:// or https:// */
	T_HOST,		/* a host name or [IPv6] address */
	T_SIPUSER,	/* a safe SIP user part */
	T_NUMBER,	/* a decimal in [min, max] */
	T_YESNO,
	T_WORD,		/* one of words[] */
	T_PATH,		/* an absolute request path */
	T_ACTION,	/* self, off or a URL */
	T_HEADERS,	/* Param:X-Header,... */
	T_ALLOW,	/* a transfer allow list */
	T_DENY,		/* a caller deny list or @file */
	T_LIMIT		/* off or CALLS/MINUTES */
};

#define F_SECRET	0x1	/* never printed or logged */
#define F_EARLY		0x2	/* used before the signature check */
#define F_PROCESS	0x4	/* whole process only: no per-request value */

struct def {
	const char		*name;
	enum type		 type;
	int			 flags;
	const char		*dflt;
	long			 min, max;
	const char *const	*words;
};

static const char *const regions[] = { "global", "us", "eu", NULL };
static const char *const transports[] = { "udp", "tcp", "tls", NULL };
static const char *const escapes[] = { "raw", "percent", NULL };
static const char *const anonymous[] = { "allow", "reject", NULL };
static const char *const logdests[] = { "stderr", "syslog", "off", NULL };
static const char *const loglevels[] = {
	"error", "warn", "info", "debug", NULL
};

#define FALLBACK_SAY "We are sorry, we cannot take your call right now. " \
	"Please try again later."

_Static_assert(S_COUNT <= 64, "settings.owned has a bit per setting");

static const struct def defs[S_COUNT] = {
	[S_API_KEY] = { "SYNTHFLOW_API_KEY", T_TEXT, F_SECRET, NULL, 0, 0, NULL },
	[S_MODEL_ID] = { "SYNTHFLOW_MODEL_ID", T_TEXT, 0, NULL, 0, 0, NULL },
	[S_WORKSPACE_ID] = { "SYNTHFLOW_WORKSPACE_ID", T_TEXT, 0, NULL, 0, 0,
	    NULL },
	[S_REGION] = { "SYNTHFLOW_REGION", T_WORD, 0, "global", 0, 0, regions },
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
	    0, 0, transports },
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

static const char *const api_urls[] = {
	"https://api.synthflow.ai",
	"https://api.us.synthflow.ai",
	"https://api.eu.synthflow.ai",
};
static const char *const sip_hosts[] = {
	"sip.synthflow.ai",
	"sip.us.synthflow.ai",
	"sip.eu.synthflow.ai",
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

static int
text_ok(const char *v)
{
	const char	*p;

	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	return utf8_valid(v, (size_t)(p - v));
}

static int
host_ok(const char *v)
{
	size_t	 n = strlen(v);

	if (n == 0 || n > 253)
		return 0;
	if (v[0] == '[')
		return v[n - 1] == ']' &&
		    strspn(v + 1, "0123456789abcdefABCDEF:.") == n - 2;
	return strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == n;
}

/* An http(s) URL of printable ASCII: anything else must be %-encoded. */
static int
url_ok(const char *v)
{
	const char	*p;

	if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
		return 0;
	for (p = v; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return 0;
	return strpbrk(v, "\"<>\\^`{|}") == NULL;
}

/* A request path to compare with the request's: "/metrics". */
static int
path_ok(const char *v)
{
	return v[0] == '/' && text_ok(v) && strpbrk(v, " ?#%\"") == NULL;
}

static int
word_index(const char *const *words, const char *v)
{
	int	 i;

	for (i = 0; words[i] != NULL; i++)
		if (strcasecmp(words[i], v) == 0)
			return i;
	return -1;
}

/* Parse v as setting id into *num; NULL, or what is wrong with it. */
static const char *
parse(enum setting id, const char *v, long *num)
{
	static const char *const yes[] = { "on", "true", "yes", "1", NULL };
	static const char *const no[] = { "off", "false", "no", "0", NULL };
	const struct def	*d = &defs[id];
	const char		*errstr;
	char			*end;
	long			 n;

	*num = 0;
	switch (d->type) {
	case T_TEXT:
		return text_ok(v) ? NULL : "control character or invalid UTF-8";
	case T_URL:
		return url_ok(v) ? NULL : "not an http:// or https:// URL";
	case T_HOST:
		return host_ok(v) ? NULL : "not a host name";
	case T_SIPUSER:
		return twiml_sip_user_safe(v) ? NULL :
		    "not a SIP user part of +, digits, letters, - . _";
	case T_NUMBER:
		errno = 0;
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    n < d->min || n > d->max)
			return "not a number in range";
		*num = n;
		return NULL;
	case T_YESNO:
		if (word_index(yes, v) != -1)
			*num = 1;
		else if (word_index(no, v) == -1)
			return "not one of on/off, true/false, yes/no, 1/0";
		return NULL;
	case T_WORD:
		if ((*num = word_index(d->words, v)) == -1)
			return "not one of the allowed words";
		return NULL;
	case T_PATH:
		return path_ok(v) ? NULL : "not a path starting with /";
	case T_ACTION:
		if (strcasecmp(v, "self") == 0)
			*num = ACTION_SELF;
		else if (strcasecmp(v, "off") == 0)
			*num = ACTION_OFF;
		else if (url_ok(v))
			*num = ACTION_URL;
		else
			return "not self, off or an http:// or https:// URL";
		return NULL;
	case T_HEADERS:
		return sipheaders_check(v);
	case T_ALLOW:
		return refer_allow_check(v);
	case T_DENY:
		return caller_deny_check(v, &errstr) == -1 ? errstr : NULL;
	case T_LIMIT:
		return caller_limit_parse(v, num, &n, &errstr) == -1 ? errstr :
		    NULL;
	}
	return "unknown type";
}

static void
set_defaults(struct settings *s)
{
	int	 i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < S_COUNT; i++) {
		s->str[i] = defs[i].dflt;
		s->src[i] = SRC_DEFAULT;
		if (defs[i].dflt != NULL)
			parse(i, defs[i].dflt, &s->num[i]);
	}
	s->num[S_DIAL_ANSWER_ON_BRIDGE] = -1;
}

/* Add or replace a custom variable; the old value is returned to *old. */
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

/* Take one NAME=value from the environment or the config file. */
static int
load_one(const char *name, const char *value, unsigned long lineno, void *arg)
{
	struct loader	*l = arg;
	const char	*err, *old;
	char		*n = NULL, *v = NULL;
	long		 num;
	int		 id;

	if (!ours(name) || *value == '\0')
		return 0;
	if ((v = strdup(value)) == NULL)
		goto nomem;
	if (strncmp(name, SETTINGS_VAR_PREFIX, strlen(SETTINGS_VAR_PREFIX))
	    == 0 && name[strlen(SETTINGS_VAR_PREFIX)] != '\0') {
		if (!text_ok(v)) {
			bad_value(l, 1, name, "control character or invalid UTF-8",
			    lineno);
			free(v);
			return 0;
		}
		if ((n = strdup(name + strlen(SETTINGS_VAR_PREFIX))) == NULL ||
		    add_var(l->s, n, v, &old) == -1)
			goto nomem;
		if (old != NULL) {	/* the name is already in the table */
			free(n);
			free((char *)old);
		}
		return 0;
	}
	if ((id = lookup(name, strlen(name))) == -1) {
		/* A request's own param, in the environment under CGI. */
		if (strcmp(name, "SYNTHFLOW_REQUEST_START") == 0) {
			free(v);
			return 0;
		}
		bad_value(l, l->strict, name, "unknown setting", lineno);
		free(v);
		return 0;
	}
	if ((err = parse(id, v, &num)) != NULL) {
		bad_value(l, 1, name, err, lineno);
		free(v);
		return 0;
	}
	if (l->s->owned & (1ULL << id))
		free((char *)l->s->str[id]);
	l->s->str[id] = v;
	l->s->num[id] = num;
	l->s->src[id] = l->src;
	l->s->owned |= 1ULL << id;
	return 0;
nomem:
	free(n);
	free(v);
	problem(l, 1, name, "out of memory");
	return -1;
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
	char	 err[256], msg[1024];

	l->src = SRC_FILE;
	if (conffile_read(path, load_one, l, err, sizeof(err)) == -1) {
		snprintf(msg, sizeof(msg), "%s: %s", path, err);
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
	if (s->num[S_SIP_SECURE] && s->num[S_SIP_TRANSPORT] != TRANSPORT_TLS)
		problem(&l, 0, defs[S_SIP_SECURE].name,
		    "ignored unless SYNTHFLOW_SIP_TRANSPORT=tls");
	return l.errors;
}

/* The request's SYNTHFLOW_VAR_* params, or NULL when it has none. */
static size_t
request_var_bytes(char *const *params)
{
	size_t	 plen = strlen(SETTINGS_VAR_PREFIX), n = 0;
	char	*eq;

	for (; *params != NULL; params++)
		if (**params == 'S' &&
		    strncmp(*params, SETTINGS_VAR_PREFIX, plen) == 0 &&
		    (eq = strchr(*params, '=')) != NULL)
			n += (size_t)(eq - *params) - plen + 1;
	return n;
}

/*
 * Replace the base variables by a copy with the request's own added; the
 * names are copied into one block, the values stay in the params.
 */
static int
request_vars(struct settings *out, char *const *params, const char **bad)
{
	const struct synthflow_var	*base = out->vars;
	size_t				 nbase = out->nvars, plen, bytes, i, len;
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
	plen = strlen(SETTINGS_VAR_PREFIX);
	for (; *params != NULL; params++) {
		if (strncmp(*params, SETTINGS_VAR_PREFIX, plen) != 0 ||
		    (eq = strchr(*params, '=')) == NULL)
			continue;
		len = (size_t)(eq - *params) - plen;
		if (len == 0 || eq[1] == '\0')
			continue;
		if (!text_ok(eq + 1)) {
			if (*bad == NULL)
				*bad = SETTINGS_VAR_PREFIX;
			continue;
		}
		memcpy(names, *params + plen, len);
		names[len] = '\0';
		if (add_var(out, names, eq + 1, &old) == -1)
			return -1;
		names += len + 1;
	}
	return 0;
}

/* Remember the first bad setting, preferring one used before the check. */
static void
note_bad(const char **bad, int id)
{
	if (*bad == NULL || (!settings_early(*bad) &&
	    (defs[id].flags & F_EARLY)))
		*bad = defs[id].name;
}

int
settings_for_request(struct settings *out, const struct settings *base,
    char *const *params, const char **bad)
{
	char *const	*p;
	const char	*eq;
	long		 num;
	int		 id;

	*out = *base;
	out->owned = 0;
	out->owns_vars = 0;
	out->var_names = NULL;
	*bad = NULL;
	for (p = params; *p != NULL; p++) {
		if (!ours(*p) || (eq = strchr(*p, '=')) == NULL ||
		    eq[1] == '\0')
			continue;
		if ((id = lookup(*p, (size_t)(eq - *p))) == -1 ||
		    (defs[id].flags & F_PROCESS))
			continue;
		if (parse(id, eq + 1, &num) != NULL) {
			note_bad(bad, id);
			continue;
		}
		out->str[id] = eq + 1;
		out->num[id] = num;
		out->src[id] = SRC_REQUEST;
	}
	if (request_vars(out, params, bad) == -1 && *bad == NULL)
		*bad = "memory";
	return *bad == NULL ? 0 : -1;
}

void
settings_free(struct settings *s)
{
	size_t	 i;
	int	 id;

	for (id = 0; id < S_COUNT; id++)
		if (s->owned & (1ULL << id))
			free((char *)s->str[id]);
	if (s->owns_vars)
		for (i = 0; i < s->nvars; i++) {
			free((char *)s->vars[i].name);
			free((char *)s->vars[i].value);
		}
	if (s->owns_vars || s->var_names != NULL)
		free(s->vars);
	free(s->var_names);
	memset(s, 0, sizeof(*s));
}

const char *
settings_api_url(const struct settings *s)
{
	return s->str[S_API_URL] != NULL ? s->str[S_API_URL] :
	    api_urls[s->num[S_REGION]];
}

int
settings_api_endpoint(const struct settings *s, const char *path, char *out,
    size_t outlen)
{
	const char	*base = settings_api_url(s);
	size_t		 len = strlen(base);
	int		 n;

	while (len > 0 && base[len - 1] == '/')
		len--;		/* "https://host/" is "https://host" */
	n = snprintf(out, outlen, "%.*s%s", (int)len, base, path);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

const char *
settings_sip_host(const struct settings *s)
{
	return s->str[S_SIP_HOST] != NULL ? s->str[S_SIP_HOST] :
	    sip_hosts[s->num[S_REGION]];
}

long
settings_sip_port(const struct settings *s)
{
	if (s->str[S_SIP_PORT] != NULL)
		return s->num[S_SIP_PORT];
	return s->num[S_SIP_TRANSPORT] == TRANSPORT_TLS ? 32682 : 32681;
}

void
settings_print(const struct settings *s, FILE *fp)
{
	static const char *const sources[] = {
		"default", "config file", "environment", "request"
	};
	size_t	 i;
	int	 id;

	for (id = 0; id < S_COUNT; id++) {
		if (s->str[id] == NULL)
			fprintf(fp, "# %s is not set\n", defs[id].name);
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
