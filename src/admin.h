/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Requests that are not Twilio's: the Prometheus page at
 * SYNTHFLOW_METRICS_PATH and the health check at SYNTHFLOW_HEALTH_PATH.
 * Neither is signed nor calls Synthflow; the web server decides who may
 * reach them.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include "buf.h"
#include "request.h"
#include "settings.h"

/*
 * When the request's path is one of the two, answer it and return
 * REQUEST_ANSWERED; else return 0. bad names a per-request setting that
 * does not parse, or is NULL; routed is 1 when a routing table supplies
 * agents.
 */
int	admin_serve(struct request *, const struct settings *, const char *bad,
	    int routed, struct buf *out);

#endif
