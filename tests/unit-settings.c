/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of settings.c and its parts (settings_table.c,
 * settings_value.c, settings_vars.c, synthflow_region.c): defaults, the
 * order of the sources (request > environment > file > default), parsing
 * and ranges, unknown names, custom variables, early settings, Synthflow's
 * addresses and the masking of secrets. Every test starts and ends with no
 * SYNTHFLOW_* or TWILIO_* variable in the environment.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "settings.h"
#include "sipheaders.h"
#include "synthflow_region.h"
#include "tap.h"
#include "twiml.h"

extern char **environ;

/* A request param: settings_for_request takes char *const *. */
#define P(s)	((char *)(s))

/* Remove every SYNTHFLOW_* and TWILIO_* variable from the environment. */
static void
clear_env(void)
{
	char	**e, name[256];
	size_t	  len;
	int	  again = 1;

	while (again) {
		again = 0;
		for (e = environ; e != NULL && *e != NULL; e++) {
			if (strncmp(*e, "SYNTHFLOW_", 10) != 0 &&
			    strncmp(*e, "TWILIO_", 7) != 0)
				continue;
			len = strcspn(*e, "=");
			if (len >= sizeof(name))
				continue;
			memcpy(name, *e, len);
			name[len] = '\0';
			unsetenv(name);
			again = 1;	/* environ changed: start over */
			break;
		}
	}
}

struct report {
	int	 errors;
	int	 warnings;
	char	 text[8192];	/* "level name: msg\n" lines */
};

static void
collect(const char *level, const char *name, const char *msg, void *arg)
{
	struct report	*r = arg;
	size_t		 len = strlen(r->text);

	if (strcmp(level, "error") == 0)
		r->errors++;
	else
		r->warnings++;
	snprintf(r->text + len, sizeof(r->text) - len, "%s %s: %s\n", level,
	    name, msg);
}

/* 1 when r has a line of level for name. */
static int
reported(const struct report *r, const char *level, const char *name)
{
	char	 line[256];

	snprintf(line, sizeof(line), "%s %s: ", level, name);
	return strncmp(r->text, line, strlen(line)) == 0 ||
	    (snprintf(line, sizeof(line), "\n%s %s: ", level, name) > 0 &&
	    strstr(r->text, line) != NULL);
}

/*
 * Load the settings with conf as the config file (written to /tmp) and the
 * current environment; returns settings_load's result.
 */
static int
load(struct settings *s, const char *conf, int strict, struct report *r)
{
	char	 path[64];
	int	 fd, rc;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "/tmp/unit-settings.XXXXXX");
	if ((fd = mkstemp(path)) == -1) {
		diag("mkstemp: %s", strerror(errno));
		memset(s, 0, sizeof(*s));
		return -100;
	}
	if (write(fd, conf, strlen(conf)) != (ssize_t)strlen(conf))
		diag("write: %s", strerror(errno));
	close(fd);
	rc = settings_load(s, path, strict, collect, r);
	unlink(path);
	if (rc != r->errors)
		diag("settings_load returned %d, reported %d errors", rc,
		    r->errors);
	return rc;
}

/* The value of custom variable name, or NULL. */
static const char *
var(const struct settings *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return s->vars[i].value;
	return NULL;
}

static void
test_defaults(void)
{
	struct settings	 s;
	struct report	 r;

	clear_env();
	is_int(load(&s, "", 0, &r), 0, "defaults: no errors");
	ok(reported(&r, "warning", "SYNTHFLOW_API_KEY"),
	    "defaults: a warning that the API key is not set");
	ok(reported(&r, "warning", "SYNTHFLOW_MODEL_ID"),
	    "defaults: a warning that the model id is not set");
	is_int(s.num[S_TIMEOUT_MS], 8000, "SYNTHFLOW_TIMEOUT_MS 8000");
	is_str(s.str[S_TIMEOUT_MS], "8000", "SYNTHFLOW_TIMEOUT_MS text 8000");
	is_int(s.src[S_TIMEOUT_MS], SRC_DEFAULT, "from the defaults");
	is_int(s.num[S_CONNECT_TIMEOUT_MS], 2000,
	    "SYNTHFLOW_CONNECT_TIMEOUT_MS 2000");
	is_int(s.num[S_RETRIES], 1, "SYNTHFLOW_RETRIES 1");
	is_int(s.num[S_MAX_BODY], 65536, "SYNTHFLOW_MAX_BODY 65536");
	is_int(s.num[S_THREADS], 256, "SYNTHFLOW_THREADS 256");
	is_int(s.num[S_IDLE_SECONDS], 60, "SYNTHFLOW_IDLE_SECONDS 60");
	is_int(s.num[S_VALIDATE], 1, "TWILIO_VALIDATE on");
	is_int(s.num[S_XEI_CALLSID], 0, "SYNTHFLOW_XEI_CALLSID off");
	is_int(s.num[S_SIP_SECURE], 0, "SYNTHFLOW_SIP_SECURE off");
	is_int(s.num[S_XEI_ESCAPE], XEI_RAW, "SYNTHFLOW_XEI_ESCAPE raw");
	is_int(s.num[S_SIP_TRANSPORT], TWIML_UDP, "transport udp");
	is_int(s.num[S_REGION], SYNTHFLOW_REGION_GLOBAL, "region global");
	is_int(s.num[S_DIAL_ANSWER_ON_BRIDGE], -1, "answerOnBridge unset: -1");
	ok(s.str[S_DIAL_TIMEOUT] == NULL, "SYNTHFLOW_DIAL_TIMEOUT unset");
	ok(s.str[S_API_KEY] == NULL, "SYNTHFLOW_API_KEY unset");
	ok(s.str[S_AUTH_TOKEN] == NULL, "TWILIO_AUTH_TOKEN unset");
	ok(s.str[S_WORKSPACE_ID] == NULL, "SYNTHFLOW_WORKSPACE_ID unset");
	is_str(s.str[S_FORWARD_PARAMS], "CallSid,CallerName,ForwardedFrom",
	    "SYNTHFLOW_FORWARD_PARAMS default");
	ok(s.str[S_FALLBACK_SAY] != NULL && *s.str[S_FALLBACK_SAY] != '\0',
	    "a built-in fallback message");
	is_int(settings_sip_port(&s), 32681, "SIP port 32681");
	is_str(settings_api_url(&s), "https://api.synthflow.ai",
	    "API URL https://api.synthflow.ai");
	is_str(settings_sip_host(&s), "sip.synthflow.ai", "SIP host");
	is_int(s.nvars, 0, "no custom variables");
	settings_free(&s);
}

static void
test_sip_and_region(void)
{
	struct settings	 s;
	struct report	 r;

	clear_env();
	setenv("SYNTHFLOW_SIP_TRANSPORT", "tls", 1);
	is_int(load(&s, "", 0, &r), 0, "tls: no errors");
	is_int(settings_sip_port(&s), 32682, "tls: port 32682");
	settings_free(&s);
	setenv("SYNTHFLOW_SIP_PORT", "5061", 1);
	load(&s, "", 0, &r);
	is_int(settings_sip_port(&s), 5061, "tls with SYNTHFLOW_SIP_PORT");
	settings_free(&s);
	setenv("SYNTHFLOW_SIP_TRANSPORT", "tcp", 1);
	unsetenv("SYNTHFLOW_SIP_PORT");
	load(&s, "", 0, &r);
	is_int(settings_sip_port(&s), 32681, "tcp: port 32681");
	is_int(s.num[S_SIP_TRANSPORT], TWIML_TCP, "tcp parsed");
	settings_free(&s);
	setenv("SYNTHFLOW_SIP_TRANSPORT", "sctp", 1);
	is_int(load(&s, "", 0, &r), 1, "transport sctp is an error");
	ok(reported(&r, "error", "SYNTHFLOW_SIP_TRANSPORT"), "naming it");
	settings_free(&s);
	clear_env();

	setenv("SYNTHFLOW_SIP_SECURE", "on", 1);
	is_int(load(&s, "", 0, &r), 0, "secure without tls: no error");
	ok(reported(&r, "warning", "SYNTHFLOW_SIP_SECURE"),
	    "secure without tls: a warning");
	settings_free(&s);
	clear_env();

	setenv("SYNTHFLOW_REGION", "eu", 1);
	is_int(load(&s, "", 0, &r), 0, "region eu: no errors");
	is_str(settings_api_url(&s), "https://api.eu.synthflow.ai",
	    "region eu: API URL");
	is_str(settings_sip_host(&s), "sip.eu.synthflow.ai",
	    "region eu: SIP host");
	settings_free(&s);
	setenv("SYNTHFLOW_REGION", "us", 1);
	load(&s, "", 0, &r);
	is_str(settings_api_url(&s), "https://api.us.synthflow.ai",
	    "region us: API URL");
	is_str(settings_sip_host(&s), "sip.us.synthflow.ai",
	    "region us: SIP host");
	settings_free(&s);
	setenv("SYNTHFLOW_REGION", "eu", 1);
	setenv("SYNTHFLOW_API_URL", "https://proxy.example.com/synthflow", 1);
	load(&s, "", 0, &r);
	is_str(settings_api_url(&s), "https://proxy.example.com/synthflow",
	    "SYNTHFLOW_API_URL wins over the region");
	is_str(settings_sip_host(&s), "sip.eu.synthflow.ai",
	    "the region still sets the SIP host");
	settings_free(&s);
	setenv("SYNTHFLOW_SIP_HOST", "sip.example.com", 1);
	load(&s, "", 0, &r);
	is_str(settings_sip_host(&s), "sip.example.com",
	    "SYNTHFLOW_SIP_HOST wins over the region");
	settings_free(&s);
	setenv("SYNTHFLOW_REGION", "mars", 1);
	is_int(load(&s, "", 0, &r), 1, "region mars is an error");
	settings_free(&s);
	clear_env();
}

/* settings_api_endpoint: the base URL's trailing '/' and the size. */
static void
test_endpoint(void)
{
	struct settings	 s;
	struct report	 r;
	char		 url[32];

	setenv("SYNTHFLOW_API_URL", "https://h.example//", 1);
	is_int(load(&s, "", 0, &r), 0, "an API URL ending in '/'");
	is_int(settings_api_endpoint(&s, "/v2/x", url, sizeof(url)), 0,
	    "endpoint: fits");
	is_str(url, "https://h.example/v2/x", "endpoint: one '/' between");
	is_int(settings_api_endpoint(&s, "/v2/x", url, 23), 0,
	    "endpoint: fits with its NUL exactly");
	is_int(settings_api_endpoint(&s, "/v2/x", url, 22), -1,
	    "endpoint: one byte short is -1");
	settings_free(&s);
	clear_env();
	is_int(synthflow_endpoint("https://a", "/p", url, sizeof(url)), 0,
	    "synthflow_endpoint without a '/'");
	is_str(url, "https://a/p", "synthflow_endpoint: base and path");
	is_int(synthflow_sip_port(1), 32682, "the TLS port");
	is_int(synthflow_sip_port(0), 32681, "the UDP and TCP port");
	is_str(synthflow_region_names[SYNTHFLOW_REGION_EU], "eu",
	    "the region names follow the enum");
}

static void
test_precedence(void)
{
	struct settings	 s;
	struct report	 r;

	clear_env();
	setenv("SYNTHFLOW_MODEL_ID", "env", 1);
	is_int(load(&s, "SYNTHFLOW_MODEL_ID=file\n"
	    "SYNTHFLOW_TIMEOUT_MS=5000\n"
	    "SYNTHFLOW_RETRIES = 3\n"
	    "SYNTHFLOW_FALLBACK_SAY=\"Hello, \\\"world\\\"\"\n", 0, &r), 0,
	    "precedence: no errors");
	is_str(s.str[S_MODEL_ID], "env", "environment wins over the file");
	is_int(s.src[S_MODEL_ID], SRC_ENV, "source environment");
	is_int(s.num[S_TIMEOUT_MS], 5000, "file wins over the default");
	is_int(s.src[S_TIMEOUT_MS], SRC_FILE, "source config file");
	is_int(s.num[S_RETRIES], 3, "file value with spaces around '='");
	is_str(s.str[S_FALLBACK_SAY], "Hello, \"world\"", "quoted file value");
	is_int(s.num[S_CONNECT_TIMEOUT_MS], 2000, "default when in neither");
	is_int(s.src[S_CONNECT_TIMEOUT_MS], SRC_DEFAULT, "source default");
	settings_free(&s);

	setenv("SYNTHFLOW_TIMEOUT_MS", "", 1);
	load(&s, "SYNTHFLOW_TIMEOUT_MS=5000\n", 0, &r);
	is_int(s.num[S_TIMEOUT_MS], 5000,
	    "an empty environment value is unset");
	settings_free(&s);
	clear_env();

	/* SYNTHFLOW_CONFIG names the file when no path is given. */
	{
		char	 path[64];
		int	 fd;

		snprintf(path, sizeof(path), "/tmp/unit-settings.XXXXXX");
		if ((fd = mkstemp(path)) != -1) {
			if (write(fd, "SYNTHFLOW_MODEL_ID=fromconfig\n",
			    30) != 30)
				diag("write: %s", strerror(errno));
			close(fd);
			setenv("SYNTHFLOW_CONFIG", path, 1);
			memset(&r, 0, sizeof(r));
			is_int(settings_load(&s, NULL, 0, collect, &r), 0,
			    "SYNTHFLOW_CONFIG: no errors");
			is_str(s.str[S_MODEL_ID], "fromconfig",
			    "SYNTHFLOW_CONFIG names the config file");
			is_int(s.src[S_MODEL_ID], SRC_FILE,
			    "source config file");
			settings_free(&s);
			unlink(path);
		}
		clear_env();
	}

	memset(&r, 0, sizeof(r));
	ok(settings_load(&s, "/nonexistent/dir/synthflow-twiml.conf", 0,
	    collect, &r) > 0, "a missing config file is an error");
	settings_free(&s);
	is_int(load(&s, "A=1\nnot a setting\n", 0, &r), 1,
	    "a malformed config file is an error");
	has_str(r.text, "line 2", "naming the line");
	settings_free(&s);
}

static void
test_request(void)
{
	struct settings	 base, s;
	struct report	 r;
	const char	*bad;
	char		*p1[] = { P("SYNTHFLOW_MODEL_ID=req"), NULL };
	char		*p2[] = { P("SYNTHFLOW_TIMEOUT_MS=3000"),
	    P("SYNTHFLOW_XEI_CALLSID=yes"), P("SYNTHFLOW_MODEL_ID="),
	    P("SYNTHFLOW_FOO=1"), P("HTTP_HOST=example.com"),
	    P("SYNTHFLOW_THREADS=4"), P("TWILIO_AUTH_TOKEN=c"),
	    P("SYNTHFLOW_REGION=eu"), NULL };
	char		*p3[] = { P("SYNTHFLOW_TIMEOUT_MS=99999"), NULL };
	char		*p4[] = { P("SYNTHFLOW_TIMEOUT_MS=x"),
	    P("SYNTHFLOW_MAX_BODY=1"), NULL };
	char		*p5[] = { P("SYNTHFLOW_MAX_BODY=1"),
	    P("SYNTHFLOW_TIMEOUT_MS=x"), NULL };
	char		*p6[] = { P("TWILIO_VALIDATE=maybe"), NULL };
	char		*p7[] = { P("TWILIO_VALIDATE=maybe"),
	    P("SYNTHFLOW_VAR_x=a\x01z"), NULL };
	char		*empty[] = { NULL };

	clear_env();
	setenv("SYNTHFLOW_MODEL_ID", "env", 1);
	setenv("TWILIO_AUTH_TOKEN", "a,b", 1);
	load(&base, "", 0, &r);

	is_int(settings_for_request(&s, &base, p1, &bad), 0,
	    "request param: returns 0");
	ok(bad == NULL, "request param: nothing bad");
	is_str(s.str[S_MODEL_ID], "req", "request param wins over env");
	is_int(s.src[S_MODEL_ID], SRC_REQUEST, "source request");
	is_str(base.str[S_MODEL_ID], "env", "the base is left alone");
	is_str(s.str[S_AUTH_TOKEN], "a,b", "other settings from the base");
	settings_free(&s);

	is_int(settings_for_request(&s, &base, p2, &bad), 0,
	    "several params: returns 0");
	is_int(s.num[S_TIMEOUT_MS], 3000, "per-request number");
	is_int(s.num[S_XEI_CALLSID], 1, "per-request yes");
	is_str(s.str[S_MODEL_ID], "env", "an empty request value is unset");
	is_int(s.num[S_THREADS], 256,
	    "a process-only setting is not per request");
	is_str(s.str[S_AUTH_TOKEN], "c",
	    "a request token replaces the process tokens");
	is_str(settings_api_url(&s), "https://api.eu.synthflow.ai",
	    "per-request region");
	settings_free(&s);

	is_int(settings_for_request(&s, &base, empty, &bad), 0,
	    "no params: returns 0");
	is_str(s.str[S_MODEL_ID], "env", "no params: the base values");
	settings_free(&s);

	is_int(settings_for_request(&s, &base, p3, &bad), -1,
	    "per-request number out of range: -1");
	is_str(bad, "SYNTHFLOW_TIMEOUT_MS", "bad names it");
	is_int(s.num[S_TIMEOUT_MS], 8000, "the bad value is not used");
	settings_free(&s);

	is_int(settings_for_request(&s, &base, p4, &bad), -1,
	    "two bad params: -1");
	is_str(bad, "SYNTHFLOW_MAX_BODY", "the early one is named (after)");
	settings_free(&s);
	is_int(settings_for_request(&s, &base, p5, &bad), -1,
	    "two bad params, early first: -1");
	is_str(bad, "SYNTHFLOW_MAX_BODY", "the early one is named (before)");
	settings_free(&s);
	is_int(settings_for_request(&s, &base, p6, &bad), -1,
	    "per-request TWILIO_VALIDATE=maybe: -1");
	is_str(bad, "TWILIO_VALIDATE", "bad names TWILIO_VALIDATE");
	ok(bad != NULL && settings_early(bad), "and it is an early setting");
	settings_free(&s);
	is_int(settings_for_request(&s, &base, p7, &bad), -1,
	    "bad early setting and bad variable: -1");
	ok(bad != NULL && settings_early(bad),
	    "the early setting is still named (500, not a fallback)");
	settings_free(&s);

	settings_free(&base);
	clear_env();
}

static void
test_early(void)
{
	is_int(settings_early("TWILIO_AUTH_TOKEN"), 1,
	    "TWILIO_AUTH_TOKEN early");
	is_int(settings_early("TWILIO_VALIDATE"), 1, "TWILIO_VALIDATE early");
	is_int(settings_early("TWILIO_WEBHOOK_URL"), 1,
	    "TWILIO_WEBHOOK_URL early");
	is_int(settings_early("SYNTHFLOW_MAX_BODY"), 1,
	    "SYNTHFLOW_MAX_BODY early");
	is_int(settings_early("SYNTHFLOW_MODEL_ID"), 0,
	    "SYNTHFLOW_MODEL_ID not early");
	is_int(settings_early("SYNTHFLOW_TIMEOUT_MS"), 0,
	    "SYNTHFLOW_TIMEOUT_MS not early");
	is_int(settings_early("SYNTHFLOW_FOO"), 0, "unknown name not early");
	is_int(settings_early("TWILIO_AUTH"), 0, "a prefix is not the name");
}

/* Load with name=value in the environment; the number of errors. */
static int
load_one(const char *name, const char *value, struct settings *s,
    struct report *r)
{
	int	 rc;

	clear_env();
	setenv(name, value, 1);
	rc = load(s, "", 0, r);
	clear_env();
	return rc;
}

static void
number(const char *name, const char *value, int want_errors, long want,
    enum setting id)
{
	struct settings	 s;
	struct report	 r;

	is_int(load_one(name, value, &s, &r), want_errors, "%s=%s: %s", name,
	    value, want_errors ? "an error" : "accepted");
	if (want_errors)
		ok(reported(&r, "error", name), "%s=%s: the error names it",
		    name, value);
	else {
		is_int(s.num[id], want, "%s=%s: value", name, value);
		is_str(s.str[id], value, "%s=%s: text", name, value);
	}
	settings_free(&s);
}

static void
test_numbers(void)
{
	number("SYNTHFLOW_TIMEOUT_MS", "12001", 1, 0, S_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "12000", 0, 12000, S_TIMEOUT_MS);
	number("SYNTHFLOW_CONNECT_TIMEOUT_MS", "12001", 1, 0,
	    S_CONNECT_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "1", 0, 1, S_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "0", 1, 0, S_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "-5", 1, 0, S_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "12abc", 1, 0, S_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "abc", 1, 0, S_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "8000.5", 1, 0, S_TIMEOUT_MS);
	number("SYNTHFLOW_TIMEOUT_MS", "99999999999999999999999", 1, 0,
	    S_TIMEOUT_MS);
	number("SYNTHFLOW_MAX_BODY", "1023", 1, 0, S_MAX_BODY);
	number("SYNTHFLOW_MAX_BODY", "1024", 0, 1024, S_MAX_BODY);
	number("SYNTHFLOW_MAX_BODY", "1048576", 0, 1048576, S_MAX_BODY);
	number("SYNTHFLOW_MAX_BODY", "1048577", 1, 0, S_MAX_BODY);
	number("SYNTHFLOW_SIP_PORT", "0", 1, 0, S_SIP_PORT);
	number("SYNTHFLOW_SIP_PORT", "65535", 0, 65535, S_SIP_PORT);
	number("SYNTHFLOW_SIP_PORT", "65536", 1, 0, S_SIP_PORT);
	number("SYNTHFLOW_RETRIES", "0", 0, 0, S_RETRIES);
	number("SYNTHFLOW_IDLE_SECONDS", "0", 0, 0, S_IDLE_SECONDS);
	number("SYNTHFLOW_IDLE_SECONDS", "86400", 0, 86400, S_IDLE_SECONDS);
	number("SYNTHFLOW_IDLE_SECONDS", "86401", 1, 0, S_IDLE_SECONDS);

	number("SYNTHFLOW_XEI_CALLSID", "on", 0, 1, S_XEI_CALLSID);
	number("SYNTHFLOW_XEI_CALLSID", "true", 0, 1, S_XEI_CALLSID);
	number("SYNTHFLOW_XEI_CALLSID", "yes", 0, 1, S_XEI_CALLSID);
	number("SYNTHFLOW_XEI_CALLSID", "1", 0, 1, S_XEI_CALLSID);
	number("TWILIO_VALIDATE", "off", 0, 0, S_VALIDATE);
	number("TWILIO_VALIDATE", "false", 0, 0, S_VALIDATE);
	number("TWILIO_VALIDATE", "no", 0, 0, S_VALIDATE);
	number("TWILIO_VALIDATE", "0", 0, 0, S_VALIDATE);
	number("TWILIO_VALIDATE", "maybe", 1, 0, S_VALIDATE);
	number("TWILIO_VALIDATE", "2", 1, 0, S_VALIDATE);
	number("SYNTHFLOW_DIAL_ANSWER_ON_BRIDGE", "yes", 0, 1,
	    S_DIAL_ANSWER_ON_BRIDGE);
	number("SYNTHFLOW_DIAL_ANSWER_ON_BRIDGE", "no", 0, 0,
	    S_DIAL_ANSWER_ON_BRIDGE);
	number("SYNTHFLOW_XEI_ESCAPE", "percent", 0, XEI_PERCENT, S_XEI_ESCAPE);
	number("SYNTHFLOW_XEI_ESCAPE", "url", 1, 0, S_XEI_ESCAPE);

	number("SYNTHFLOW_API_URL", "ftp://example.com", 1, 0, S_API_URL);
	number("SYNTHFLOW_API_URL", "https://exa mple.com", 1, 0, S_API_URL);
	number("SYNTHFLOW_API_URL", "http://127.0.0.1:8080", 0, 0, S_API_URL);
	number("SYNTHFLOW_SIP_HOST", "sip host", 1, 0, S_SIP_HOST);
	number("SYNTHFLOW_SIP_HOST", "sip.example.com;x=y", 1, 0, S_SIP_HOST);
	number("SYNTHFLOW_SIP_HOST", "[2001:db8::1]", 0, 0, S_SIP_HOST);
	number("SYNTHFLOW_SIP_HOST", "-sip.example.com", 1, 0, S_SIP_HOST);
	number("SYNTHFLOW_SIP_HOST", "[]", 1, 0, S_SIP_HOST);
	number("SYNTHFLOW_SIP_NUMBER", "+15551234567", 0, 0, S_SIP_NUMBER);
	number("SYNTHFLOW_SIP_NUMBER", "+1555;x", 1, 0, S_SIP_NUMBER);
	number("SYNTHFLOW_MODEL_ID", "a\x01z", 1, 0, S_MODEL_ID);
	number("SYNTHFLOW_MODEL_ID", "bad\xff", 1, 0, S_MODEL_ID);
	number("SYNTHFLOW_FALLBACK_REDIRECT", "/relative", 1, 0,
	    S_FALLBACK_REDIRECT);

	number("SYNTHFLOW_DEDUP_SECONDS", "0", 0, 0, S_DEDUP_SECONDS);
	number("SYNTHFLOW_DEDUP_SECONDS", "86400", 0, 86400, S_DEDUP_SECONDS);
	number("SYNTHFLOW_DEDUP_SECONDS", "86401", 1, 0, S_DEDUP_SECONDS);
	number("SYNTHFLOW_DIAL_ACTION", "self", 0, ACTION_SELF, S_DIAL_ACTION);
	number("SYNTHFLOW_DIAL_ACTION", "OFF", 0, ACTION_OFF, S_DIAL_ACTION);
	number("SYNTHFLOW_DIAL_ACTION", "https://example.com/a?b=1&c=2", 0,
	    ACTION_URL, S_DIAL_ACTION);
	number("SYNTHFLOW_DIAL_ACTION", "/relative", 1, 0, S_DIAL_ACTION);
	number("SYNTHFLOW_DIAL_ACTION", "on", 1, 0, S_DIAL_ACTION);
	number("SYNTHFLOW_FALLBACK_DIRECT", "off", 0, 0, S_FALLBACK_DIRECT);
	number("SYNTHFLOW_XEI_FORWARDED", "on", 0, 1, S_XEI_FORWARDED);
	number("SYNTHFLOW_METRICS_PATH", "/metrics", 0, 0, S_METRICS_PATH);
	number("SYNTHFLOW_METRICS_PATH", "metrics", 1, 0, S_METRICS_PATH);
	number("SYNTHFLOW_METRICS_PATH", "/m?x=1", 1, 0, S_METRICS_PATH);
	number("SYNTHFLOW_HEALTH_PATH", "/health z", 1, 0, S_HEALTH_PATH);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:X-Caller-Name", 0, 0,
	    S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:X-Caller-Name, "
	    "From_City:x-from_city", 0, 0, S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:X-Twilio-Name", 1, 0,
	    S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:x-twilioname", 1, 0,
	    S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:Caller-Name", 1, 0,
	    S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:X-", 1, 0, S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:X-EI", 1, 0, S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName:X-A b", 1, 0,
	    S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "Caller-Name:X-A", 1, 0, S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "CallerName", 1, 0, S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "A:X-A,B:x-a", 1, 0, S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "A:X-A,", 1, 0, S_SIP_HEADERS);
	number("SYNTHFLOW_SIP_HEADERS", "A:X-A;B:X-B", 1, 0, S_SIP_HEADERS);
}

static void
test_sipheaders(void)
{
	struct sipheader	 h[SIPHEADERS_MAX];
	const char		*errstr = NULL;
	char			 spec[2048];
	size_t			 i;

	is_int((int)sipheaders_parse(" CallerName:X-Caller-Name ,\tFrom:X-F",
	    h, SIPHEADERS_MAX), 2, "two entries, blanks around them");
	is_str(h[0].param, "CallerName", "first param");
	is_str(h[0].header, "X-Caller-Name", "first header");
	is_str(h[1].param, "From", "second param");
	is_str(h[1].header, "X-F", "second header");
	spec[0] = '\0';
	for (i = 0; i < SIPHEADERS_MAX; i++)
		snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec),
		    "%sP%zu:X-H%zu", i > 0 ? "," : "", i, i);
	is_int(sipheaders_check(spec, &errstr), 0, "32 entries are accepted");
	strcat(spec, ",P99:X-H99");
	is_int(sipheaders_check(spec, &errstr), -1, "33 entries are not");
	is_str(errstr, "more than 32 entries", "33 entries: the reason");
}

static void
test_unknown(void)
{
	struct settings	 s;
	struct report	 r;

	clear_env();
	setenv("SYNTHFLOW_FOO", "1", 1);
	is_int(load(&s, "", 0, &r), 0, "unknown SYNTHFLOW_FOO: no error");
	ok(reported(&r, "warning", "SYNTHFLOW_FOO"), "but a warning");
	settings_free(&s);
	is_int(load(&s, "", 1, &r), 1, "unknown SYNTHFLOW_FOO under strict: "
	    "an error");
	ok(reported(&r, "error", "SYNTHFLOW_FOO"), "naming it");
	settings_free(&s);
	clear_env();

	is_int(load(&s, "TWILIO_FOO=1\nOTHER_THING=2\n", 0, &r), 0,
	    "unknown names in the file: no error");
	ok(reported(&r, "warning", "TWILIO_FOO"), "TWILIO_FOO: a warning");
	ok(!reported(&r, "warning", "OTHER_THING") &&
	    !reported(&r, "error", "OTHER_THING"), "OTHER_THING: ignored");
	settings_free(&s);
	is_int(load(&s, "TWILIO_FOO=1\n", 1, &r), 1,
	    "unknown name in the file under strict: an error");
	settings_free(&s);

	setenv("PATH_LIKE_SYNTHFLOW_X", "1", 1);
	is_int(load(&s, "", 1, &r), 0,
	    "other names in the environment: ignored");
	settings_free(&s);
	unsetenv("PATH_LIKE_SYNTHFLOW_X");
}

static void
test_vars(void)
{
	struct settings	 base, s;
	struct report	 r;
	const char	*bad;
	char		*p[] = { P("SYNTHFLOW_VAR_region=emea"),
	    P("SYNTHFLOW_VAR_plan=pro"), NULL };
	char		*pbad[] = { P("SYNTHFLOW_VAR_x=a\x01z"), NULL };

	clear_env();
	setenv("SYNTHFLOW_VAR_tier", "platinum", 1);
	is_int(load(&base, "SYNTHFLOW_VAR_tier=gold\n"
	    "SYNTHFLOW_VAR_plan=basic\n", 0, &r), 0, "variables: no errors");
	is_int(base.nvars, 2, "two variables");
	is_str(var(&base, "tier"), "platinum", "env wins over the file");
	is_str(var(&base, "plan"), "basic", "variable from the file");

	is_int(settings_for_request(&s, &base, p, &bad), 0,
	    "request variables: returns 0");
	is_int(s.nvars, 3, "a request adds a variable");
	is_str(var(&s, "region"), "emea", "the added variable");
	is_str(var(&s, "plan"), "pro", "a request variable wins");
	is_str(var(&s, "tier"), "platinum", "a base variable kept");
	is_int(base.nvars, 2, "the base keeps two variables");
	is_str(var(&base, "plan"), "basic", "the base value is left alone");
	settings_free(&s);

	is_int(settings_for_request(&s, &base, pbad, &bad), -1,
	    "a request variable with a control character: -1");
	ok(bad != NULL, "bad is set");
	settings_free(&s);
	settings_free(&base);
	clear_env();

	setenv("SYNTHFLOW_VAR_bad", "a\x01z", 1);
	is_int(load(&base, "", 0, &r), 1,
	    "a variable with a control character is an error");
	settings_free(&base);
	clear_env();
}

static void
test_table(void)
{
	static const char *const spec[] = {
		"SYNTHFLOW_API_KEY", "SYNTHFLOW_MODEL_ID",
		"SYNTHFLOW_WORKSPACE_ID", "SYNTHFLOW_REGION",
		"SYNTHFLOW_API_URL", "SYNTHFLOW_CA_FILE",
		"SYNTHFLOW_TIMEOUT_MS", "SYNTHFLOW_CONNECT_TIMEOUT_MS",
		"SYNTHFLOW_RETRIES", "SYNTHFLOW_SIP_HOST", "SYNTHFLOW_SIP_PORT",
		"SYNTHFLOW_SIP_TRANSPORT", "SYNTHFLOW_SIP_NUMBER",
		"SYNTHFLOW_SIP_USERNAME", "SYNTHFLOW_SIP_PASSWORD",
		"SYNTHFLOW_XEI_CALLSID", "SYNTHFLOW_XEI_ESCAPE",
		"SYNTHFLOW_SIP_SECURE", "SYNTHFLOW_FORWARD_PARAMS",
		"SYNTHFLOW_DIAL_TIMEOUT", "SYNTHFLOW_DIAL_TIME_LIMIT",
		"SYNTHFLOW_DIAL_CALLER_ID", "SYNTHFLOW_DIAL_ANSWER_ON_BRIDGE",
		"SYNTHFLOW_FALLBACK_SAY", "SYNTHFLOW_FALLBACK_LANGUAGE",
		"SYNTHFLOW_FALLBACK_DIAL", "SYNTHFLOW_FALLBACK_REDIRECT",
		"TWILIO_AUTH_TOKEN", "TWILIO_VALIDATE", "TWILIO_WEBHOOK_URL",
		"SYNTHFLOW_MAX_BODY", "SYNTHFLOW_THREADS", "SYNTHFLOW_LOG",
		"SYNTHFLOW_LOG_LEVEL",
	};
	size_t	 i;
	int	 id, found;

	for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
		found = 0;
		for (id = 0; id < S_COUNT; id++)
			found |= strcmp(settings_name(id), spec[i]) == 0;
		ok(found, "documented setting %s is in the table", spec[i]);
	}
	is_str(settings_name(S_TIMEOUT_MS), "SYNTHFLOW_TIMEOUT_MS",
	    "settings_name");
	is_int(settings_secret(S_API_KEY), 1, "SYNTHFLOW_API_KEY is secret");
	is_int(settings_secret(S_AUTH_TOKEN), 1, "TWILIO_AUTH_TOKEN is secret");
	is_int(settings_secret(S_SIP_PASSWORD), 1,
	    "SYNTHFLOW_SIP_PASSWORD is secret");
	is_int(settings_secret(S_MODEL_ID), 0, "SYNTHFLOW_MODEL_ID is not");
	is_int(settings_secret(S_WORKSPACE_ID), 0,
	    "SYNTHFLOW_WORKSPACE_ID is not");
	is_int(settings_secret(S_WEBHOOK_URL), 0, "TWILIO_WEBHOOK_URL is not");
}

/* settings_print of s into a string (free it). */
static char *
print(const struct settings *s)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*fp;

	if ((fp = open_memstream(&out, &len)) == NULL)
		return NULL;
	settings_print(s, fp);
	fclose(fp);
	return out;
}

static void
test_print(void)
{
	struct settings	 base, s;
	struct report	 r;
	const char	*bad;
	char		*out;
	char		*p[] = { P("SYNTHFLOW_API_KEY=sk-REQUEST-secret"),
	    P("TWILIO_AUTH_TOKEN=tok-REQUEST-secret"), NULL };

	clear_env();
	setenv("SYNTHFLOW_API_KEY", "sk-ENV-secret-123", 1);
	setenv("TWILIO_AUTH_TOKEN", "tok-ENV-secret-456,tok-two", 1);
	setenv("SYNTHFLOW_MODEL_ID", "model-visible-789", 1);
	load(&base, "SYNTHFLOW_SIP_PASSWORD=pw-FILE-secret\n", 0, &r);
	out = print(&base);
	ok(out != NULL, "settings_print writes");
	has_str(out, "model-visible-789", "a plain value is printed");
	has_str(out, "SYNTHFLOW_API_KEY", "the API key's name is printed");
	lacks_str(out, "sk-ENV-secret", "the API key is masked");
	lacks_str(out, "tok-ENV-secret", "the auth token is masked");
	lacks_str(out, "tok-two", "the second auth token is masked");
	lacks_str(out, "pw-FILE-secret", "the SIP password is masked");
	free(out);

	is_int(settings_for_request(&s, &base, p, &bad), 0,
	    "per-request secrets: the request's settings");
	out = print(&s);
	ok(out != NULL, "settings_print writes the request's settings");
	has_str(out, "SYNTHFLOW_API_KEY", "the request's API key is listed");
	lacks_str(out, "REQUEST-secret", "per-request secrets are masked");
	free(out);
	settings_free(&s);
	settings_free(&base);
	clear_env();
}

/* The settings of the CallSid table in Redis: parsed, masked, process's. */
static void
test_redis(void)
{
	struct settings	 base, s;
	struct report	 r;
	const char	*bad;
	char		*out;
	char		*p[] = { P("SYNTHFLOW_DEDUP_REDIS=unix:/elsewhere.sock"),
	    NULL };

#ifdef HAVE_HIREDIS
	number("SYNTHFLOW_DEDUP_REDIS", "unix:/run/redis.sock", 0, 0,
	    S_DEDUP_REDIS);
	number("SYNTHFLOW_DEDUP_REDIS", "redis://10.0.0.5:6380/2", 0, 0,
	    S_DEDUP_REDIS);
	number("SYNTHFLOW_DEDUP_REDIS", "rediss://h", 1, 0, S_DEDUP_REDIS);
	number("SYNTHFLOW_DEDUP_REDIS", "redis://h:0", 1, 0, S_DEDUP_REDIS);
	number("SYNTHFLOW_DEDUP_REDIS_TIMEOUT_MS", "1", 0, 1,
	    S_DEDUP_REDIS_TIMEOUT_MS);
	number("SYNTHFLOW_DEDUP_REDIS_TIMEOUT_MS", "1000", 0, 1000,
	    S_DEDUP_REDIS_TIMEOUT_MS);
	number("SYNTHFLOW_DEDUP_REDIS_TIMEOUT_MS", "0", 1, 0,
	    S_DEDUP_REDIS_TIMEOUT_MS);
	number("SYNTHFLOW_DEDUP_REDIS_TIMEOUT_MS", "1001", 1, 0,
	    S_DEDUP_REDIS_TIMEOUT_MS);
	is_int(settings_secret(S_DEDUP_REDIS_PASSWORD), 1,
	    "SYNTHFLOW_DEDUP_REDIS_PASSWORD is secret");

	clear_env();
	setenv("SYNTHFLOW_DEDUP_REDIS",
	    "redis://:pw-URL-secret@10.0.0.5:6380/2", 1);
	setenv("SYNTHFLOW_DEDUP_REDIS_PASSWORD", "pw-ENV-secret", 1);
	is_int(load(&base, "", 0, &r), 0, "Redis settings load");
	is_int(base.num[S_DEDUP_REDIS_TIMEOUT_MS], 50, "the budget: 50 ms");
	out = print(&base);
	has_str(out, "SYNTHFLOW_DEDUP_REDIS=\"redis://:********@10.0.0.5:6380/2\"",
	    "the URL is printed with its password masked");
	lacks_str(out, "pw-URL-secret", "the URL's password is not");
	lacks_str(out, "pw-ENV-secret", "nor SYNTHFLOW_DEDUP_REDIS_PASSWORD");
	free(out);
	is_int(settings_for_request(&s, &base, p, &bad), 0,
	    "a request with its own SYNTHFLOW_DEDUP_REDIS");
	is_str(s.str[S_DEDUP_REDIS], base.str[S_DEDUP_REDIS],
	    "keeps the process's: a process setting");
	settings_free(&s);
	settings_free(&base);
	clear_env();
#else
	(void)base, (void)s, (void)r, (void)bad, (void)out, (void)p;
	number("SYNTHFLOW_DEDUP_REDIS", "unix:/run/redis.sock", 1, 0,
	    S_DEDUP_REDIS);
	number("SYNTHFLOW_DEDUP_REDIS_TIMEOUT_MS", "50", 1, 0,
	    S_DEDUP_REDIS_TIMEOUT_MS);
	number("SYNTHFLOW_DEDUP_REDIS_PASSWORD", "pw", 1, 0,
	    S_DEDUP_REDIS_PASSWORD);
#endif
}

int
main(void)
{
	clear_env();
	test_defaults();
	test_sip_and_region();
	test_endpoint();
	test_precedence();
	test_request();
	test_early();
	test_numbers();
	test_sipheaders();
	test_unknown();
	test_vars();
	test_table();
	test_print();
	test_redis();
	return done_testing();
}
