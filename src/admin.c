/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The metrics page and the health check. The health answer says whether a
 * Twilio call arriving here now could be handed to Synthflow as far as the
 * settings go; it never asks Synthflow (that is --check --online's job).
 */
#include "config.h"

#include <string.h>

#include "admin.h"
#include "dedupredis.h"
#include "metrics.h"

#define METRICS_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* 1 when the request's path (without its query) is path. */
static int
path_is(const struct request *req, const char *path)
{
	const char	*uri = request_param(req, "REQUEST_URI");
	size_t		 n = strlen(path);

	if (uri == NULL && (uri = request_param(req, "SCRIPT_NAME")) == NULL)
		return 0;
	return strncmp(uri, path, n) == 0 && (uri[n] == '\0' || uri[n] == '?');
}

/* Write why a call could not be handed over now; 0 when it could. */
static int
unhealthy(const struct settings *s, const char *bad, int routed,
    struct buf *why)
{
	if (bad != NULL)
		buf_printf(why, "%s does not parse\n", bad);
	else if (s->str[S_API_KEY] == NULL)
		buf_addstr(why, "SYNTHFLOW_API_KEY is not set\n");
	else if (s->str[S_MODEL_ID] == NULL && !routed)
		buf_addstr(why, "SYNTHFLOW_MODEL_ID is not set and no routes\n");
	else if (s->num[S_VALIDATE] && s->str[S_AUTH_TOKEN] == NULL)
		buf_addstr(why, "TWILIO_AUTH_TOKEN is not set\n");
	else
		return 0;
	return 1;
}

static void
answer(struct request *req, int head, int status, const char *type,
    struct buf *out)
{
	request_discard(req);
	request_respond(req, status, type, NULL, buf_str(out),
	    head ? 0 : out->len);
}

int
admin_serve(struct request *req, const struct settings *s, const char *bad,
    int routed, struct buf *out)
{
	const char	*method = request_param(req, "REQUEST_METHOD");
	int		 metrics, head;

	metrics = s->str[S_METRICS_PATH] != NULL &&
	    path_is(req, s->str[S_METRICS_PATH]);
	if (!metrics && (s->str[S_HEALTH_PATH] == NULL ||
	    !path_is(req, s->str[S_HEALTH_PATH])))
		return 0;
	buf_reset(out);
	head = method != NULL && strcmp(method, "HEAD") == 0;
	if (method == NULL || (!head && strcmp(method, "GET") != 0)) {
		request_discard(req);
		request_respond(req, 405, REQUEST_TEXT_TYPE,
		    "Allow: GET, HEAD\r\n", "method not allowed\n", 19);
		return REQUEST_ANSWERED;
	}
	if (metrics) {
		if (metrics_render(out, PACKAGE_VERSION) == -1) {
			buf_reset(out);
			buf_addstr(out, "metrics do not fit\n");
			answer(req, head, 500, REQUEST_TEXT_TYPE, out);
		} else
			answer(req, head, 200, METRICS_TYPE, out);
		return REQUEST_ANSWERED;
	}
	if (unhealthy(s, bad, routed, out)) {
		dedupredis_health(s, out);
		answer(req, head, 503, REQUEST_TEXT_TYPE, out);
	} else {
		buf_addstr(out, "ok\n");
		dedupredis_health(s, out);
		answer(req, head, 200, REQUEST_TEXT_TYPE, out);
	}
	return REQUEST_ANSWERED;
}
