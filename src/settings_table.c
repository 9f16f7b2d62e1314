/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The table of every setting: its name, type, flags, default and bounds,
 * and the lookups by name. settings.c loads values by it.
 */
#include "config.h"

#include <string.h>

#include "log.h"
#include "settings.h"
#include "settings_value.h"
#include "synthflow_region.h"
#include "twiml.h"

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

const struct settings_def settings_defs[S_COUNT] = {
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
	[S_IDLE_SECONDS] = { "SYNTHFLOW_IDLE_SECONDS", T_NUMBER, F_PROCESS,
	    "60", 0, 86400, NULL },
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
	return settings_defs[id].name;
}

int
settings_secret(enum setting id)
{
	return (settings_defs[id].flags & F_SECRET) != 0;
}

int
settings_lookup(const char *name, size_t len)
{
	int	 i;

	for (i = 0; i < S_COUNT; i++)
		if (strncmp(settings_defs[i].name, name, len) == 0 &&
		    settings_defs[i].name[len] == '\0')
			return i;
	return -1;
}

int
settings_early(const char *name)
{
	int	 i = settings_lookup(name, strlen(name));

	return i != -1 && (settings_defs[i].flags & F_EARLY) != 0;
}

int
settings_ours(const char *name)
{
	return (*name == 'S' && strncmp(name, "SYNTHFLOW_", 10) == 0) ||
	    (*name == 'T' && strncmp(name, "TWILIO_", 7) == 0);
}
