/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The operator's check of a deployment. Offline it prints the settings and
 * who the agent may transfer calls to, and warns about a config file that
 * others can read and about a time budget that does not fit inside
 * Twilio's 15 s; online it asks
 * Synthflow's API for the agent (GET /v2/assistants/{model_id}, read-only)
 * and says which of the key or the agent is refused.
 */
#include "config.h"

#include <sys/stat.h>

#include <err.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "checkconf.h"
#include "dedupredis.h"
#include "http.h"
#include "refer.h"

static void
warn_readable(const char *path)
{
	struct stat	 st;

	if (path == NULL || stat(path, &st) == -1)
		return;
	if (st.st_mode & (S_IRGRP | S_IROTH))
		warnx("warning: %s is readable by %s; it holds secrets: "
		    "chmod 600 it", path,
		    (st.st_mode & S_IROTH) ? "everybody" : "its group");
}

/* The transfer targets allowed, and a warning when numbers are refused. */
static void
print_transfers(const struct settings *s)
{
	const char	*allow = s->str[S_TRANSFER_ALLOW];

	if (s->num[S_TRANSFER] != ACTION_SELF) {
		printf("# transfers: answered elsewhere or off "
		    "(SYNTHFLOW_TRANSFER)\n");
		return;
	}
	printf("# transfers allowed to: Synthflow bridge URIs%s%s\n",
	    allow != NULL ? ", " : "", allow != NULL ? allow : "");
	/* On stdout: the default is meant, not a mistake to fix. */
	if (!refer_allows_numbers(allow))
		printf("# warning: SYNTHFLOW_TRANSFER_ALLOW has no number "
		    "rule: the agent's transfers to phone numbers are refused "
		    "(but for routes with their own transfer_allow=)\n");
}

/* A request a worker takes up later than that is answered by nginx. */
static void
warn_budget(const struct settings *s)
{
	long	 wait = s->num[S_MAX_WAIT_MS];

	if (wait == 0 || wait > SETTINGS_ANSWER_BY_MS)
		warnx("warning: SYNTHFLOW_MAX_WAIT_MS is %s: a request that "
		    "waited longer than %d ms is still registered with "
		    "Synthflow, after nginx gave it its fallback",
		    wait == 0 ? "off" : "above 13000", SETTINGS_ANSWER_BY_MS);
}

/* Say what an answer to GET /v2/assistants/{id} means; 0 when good. */
static int
judge(long status, const char *model_id)
{
	if (status >= 200 && status < 300) {
		printf("# Synthflow: the API key works and agent %s exists\n",
		    model_id);
		return 0;
	}
	if (status == 401 || status == 403)
		warnx("SYNTHFLOW_API_KEY: refused by Synthflow (HTTP %ld)",
		    status);
	else if (status == 404 || status == 400 || status == 422)
		warnx("SYNTHFLOW_MODEL_ID: no agent %s for this key (HTTP %ld)",
		    model_id, status);
	else
		warnx("Synthflow answered HTTP %ld", status);
	return 1;
}

static int
check_online(const struct settings *s)
{
	struct http_client	*c = NULL;
	struct http_request	 r;
	struct buf		 path, reply;
	const char		*errstr;
	char			*id = NULL, url[2048];
	long			 status;
	int			 rc = 1;

	if (s->str[S_API_KEY] == NULL || s->str[S_MODEL_ID] == NULL) {
		warnx("--online needs SYNTHFLOW_API_KEY and "
		    "SYNTHFLOW_MODEL_ID");
		return 1;
	}
	buf_init(&path, 1024);
	buf_init(&reply, HTTP_REPLY_MAX);
	if (http_global_init() == -1 || (c = http_client_new()) == NULL) {
		warnx("--online: the HTTP client does not start");
		goto done;
	}
	if ((id = curl_easy_escape(NULL, s->str[S_MODEL_ID], 0)) == NULL) {
		warnx("--online: out of memory");
		goto done;
	}
	if (buf_printf(&path, "/v2/assistants/%s", id) == -1 ||
	    settings_api_endpoint(s, buf_str(&path), url, sizeof(url)) == -1) {
		warnx("--online: the agent's URL does not fit");
		goto done;
	}
	memset(&r, 0, sizeof(r));
	r.url = url;
	r.bearer = s->str[S_API_KEY];
	r.ca_file = s->str[S_CA_FILE];
	r.timeout_ms = s->num[S_TIMEOUT_MS];
	r.connect_timeout_ms = s->num[S_CONNECT_TIMEOUT_MS];
	r.retries = s->num[S_RETRIES];
	if (http_send(c, &r, &status, &reply, &errstr) == -1)
		warnx("%s: %s", url, errstr);
	else
		rc = judge(status, s->str[S_MODEL_ID]);
done:
	curl_free(id);
	http_client_free(c);
	buf_free(&path);
	buf_free(&reply);
	return rc;
}

/* --online with SYNTHFLOW_DEDUP_REDIS: does Redis answer? */
static int
check_redis(const struct settings *s)
{
	const char	*errstr;

	if (s->str[S_DEDUP_REDIS] == NULL)
		return 0;
	if (dedupredis_ping(s, &errstr) == -1) {
		warnx("SYNTHFLOW_DEDUP_REDIS: %s", errstr);
		return 1;
	}
	printf("# Redis: answers PING\n");
	return 0;
}

int
checkconf_run(const struct settings *s, const struct routes *routes,
    int errors, int online)
{
	int	 rc = errors > 0;

	settings_print(s, stdout);
	if (routes != NULL)
		printf("# %zu routes from %s\n", routes_count(routes),
		    s->str[S_ROUTES]);
	print_transfers(s);
	warn_readable(s->file);
	warn_budget(s);
	if (errors > 0)
		warnx("%d error%s", errors, errors == 1 ? "" : "s");
	if (online && errors == 0 && check_online(s) != 0)
		rc = 1;
	if (online && errors == 0 && check_redis(s) != 0)
		rc = 1;
	if (fflush(stdout) != 0) {
		warn("stdout");
		rc = 1;
	}
	return rc;
}
