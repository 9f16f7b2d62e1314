/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * All settings of synthflow-twiml: their names, defaults and ranges, and
 * the four sources they come from (request params, environment, config
 * file, defaults), first found wins.
 */
#ifndef SETTINGS_H
#define SETTINGS_H

#include <stddef.h>
#include <stdio.h>

#include "synthflow.h"

enum setting {
	S_API_KEY,
	S_MODEL_ID,
	S_WORKSPACE_ID,
	S_REGION,
	S_API_URL,
	S_CA_FILE,
	S_TIMEOUT_MS,
	S_CONNECT_TIMEOUT_MS,
	S_RETRIES,
	S_SIP_HOST,
	S_SIP_PORT,
	S_SIP_TRANSPORT,
	S_SIP_NUMBER,
	S_SIP_USERNAME,
	S_SIP_PASSWORD,
	S_XEI_CALLSID,
	S_XEI_ESCAPE,
	S_SIP_SECURE,
	S_FORWARD_PARAMS,
	S_DIAL_TIMEOUT,
	S_DIAL_TIME_LIMIT,
	S_DIAL_CALLER_ID,
	S_DIAL_ANSWER_ON_BRIDGE,
	S_FALLBACK_SAY,
	S_FALLBACK_LANGUAGE,
	S_FALLBACK_DIAL,
	S_FALLBACK_REDIRECT,
	S_AUTH_TOKEN,
	S_SHARED_KEY,
	S_VALIDATE,
	S_WEBHOOK_URL,
	S_MAX_BODY,
	S_MAX_WAIT_MS,
	S_DEDUP_SECONDS,
	S_DEDUP_REDIS,
	S_DEDUP_REDIS_TIMEOUT_MS,
	S_DEDUP_REDIS_PASSWORD,
	S_DIAL_ACTION,
	S_FALLBACK_DIRECT,
	S_XEI_FORWARDED,
	S_SIP_HEADERS,
	S_ROUTES,
	S_METRICS_PATH,
	S_HEALTH_PATH,
	S_TRANSFER,
	S_TRANSFER_ALLOW,
	S_TRANSFER_TIMEOUT,
	S_TRANSFER_CALLER_ID,
	S_CALLER_DENY,
	S_CALLER_LIMIT,
	S_CALLER_ANONYMOUS,
	S_THREADS,
	S_READ_TIMEOUT_MS,
	S_IDLE_SECONDS,
	S_LOG,
	S_LOG_LEVEL,
	S_CONFIG,
	S_COUNT
};

/*
 * Values of the word-valued settings, as stored in settings.num. The
 * others have their enum where they are used: SYNTHFLOW_REGION an enum
 * synthflow_region (synthflow_region.h), SYNTHFLOW_SIP_TRANSPORT an enum
 * twiml_transport (twiml.h), SYNTHFLOW_LOG and SYNTHFLOW_LOG_LEVEL an enum
 * log_to and an enum log_level (log.h).
 */
enum xei_escape { XEI_RAW, XEI_PERCENT };
/* SYNTHFLOW_DIAL_ACTION and SYNTHFLOW_TRANSFER. */
enum dial_action { ACTION_OFF, ACTION_SELF, ACTION_URL };
/* SYNTHFLOW_CALLER_ANONYMOUS. */
enum caller_anonymous { CALLER_ANONYMOUS_ALLOW, CALLER_ANONYMOUS_REJECT };

enum source { SRC_DEFAULT, SRC_FILE, SRC_ENV, SRC_REQUEST };

#define SETTINGS_VAR_PREFIX	"SYNTHFLOW_VAR_"
/*
 * A call is answered within this many ms of its arrival at the web
 * server: nginx's shipped fastcgi_read_timeout (14 s) less a second for
 * the program's own work; Twilio gives up at 15 s.
 */
#define SETTINGS_ANSWER_BY_MS	13000

struct settings {
	const char		*str[S_COUNT];	/* NULL: unset */
	long			 num[S_COUNT];	/* numbers, yes/no, words */
	enum source		 src[S_COUNT];
	struct synthflow_var	*vars;		/* SYNTHFLOW_VAR_* */
	size_t			 nvars;
	unsigned long long	 owned;		/* str[] that settings_free frees */
	unsigned long long	 ignored;	/* process settings a request sent */
	const char		*file;		/* the config file read, or NULL */
	int			 owns_vars;	/* names and values too */
	char			*var_names;	/* a request's variable names */
};

/* Reports a problem with a setting: level is "error" or "warning". */
typedef void (*settings_report)(const char *level, const char *name,
    const char *msg, void *arg);

/*
 * Load the process settings from the environment, the config file (path,
 * or SYNTHFLOW_CONFIG, or the default when it exists) and the defaults.
 * Returns the number of errors, each passed to report; with strict, an
 * unknown SYNTHFLOW_* or TWILIO_* name is an error rather than a warning.
 */
int	settings_load(struct settings *, const char *path, int strict,
	    settings_report report, void *arg);
/*
 * Settings for one request: base with the request's own SYNTHFLOW_* and
 * TWILIO_* params applied. Returns 0, or -1 with *errstr naming a setting
 * whose value does not parse (or "memory"). params is a NULL-terminated
 * NAME=value array. A setting of the whole process only (SYNTHFLOW_CONFIG,
 * SYNTHFLOW_ROUTES...) among them is not applied: its bit is set in
 * out->ignored.
 */
int	settings_for_request(struct settings *out, const struct settings *base,
	    char *const *params, const char **errstr);
/* 1 when the setting is used before the Twilio signature check. */
int	settings_early(const char *name);
/* Release what settings_load or settings_for_request allocated. */
void	settings_free(struct settings *);
/* The setting's name. */
const char *settings_name(enum setting);
/* 1 for the settings that are secrets. */
int	settings_secret(enum setting);
/* The Synthflow API base URL, after SYNTHFLOW_REGION. */
const char *settings_api_url(const struct settings *);
/* The API URL of path into out ("https://host" + "/v2/..."); -1 if long. */
int	settings_api_endpoint(const struct settings *, const char *path,
	    char *out, size_t outlen);
/* The SIP host, after SYNTHFLOW_REGION. */
const char *settings_sip_host(const struct settings *);
/* The SIP port, after SYNTHFLOW_SIP_TRANSPORT. */
long	settings_sip_port(const struct settings *);
/* Print every setting with its source, secrets masked. */
void	settings_print(const struct settings *, FILE *);

#endif
