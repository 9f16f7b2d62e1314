/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The configuration in use: the process settings and the routing table
 * they name. SIGHUP builds a new one and swaps it in whole; a request keeps
 * the one it started with until it ends, so nothing in flight is dropped.
 */
#ifndef LIVE_H
#define LIVE_H

#include "caller_deny.h"
#include "routes.h"
#include "settings.h"

struct live {
	struct settings	 settings;
	struct routes	*routes;	/* NULL: SYNTHFLOW_ROUTES unset */
	struct caller_deny *deny;	/* NULL: SYNTHFLOW_CALLER_DENY unset */
	int		 refs;
	/*
	 * CGI only: the first setting (or "config file") that did not load.
	 * There the process is the request, so it answers as a per-request
	 * value would; early: used before the signature check, a 500.
	 */
	const char	*bad;
	int		 bad_early;
};

/*
 * Load the settings (config file path, or the default) and the routes;
 * *errors counts the problems, each passed to report. NULL only when out
 * of memory.
 */
struct live *live_load(const char *path, int strict, settings_report report,
	    void *arg, int *errors);
/* Make l the one in use; the previous one goes when its last user does. */
void	live_install(struct live *l);
/* The one in use, held until live_release. */
struct live *live_acquire(void);
void	live_release(struct live *l);
/*
 * SIGHUP: load again from path and install it when it has no error;
 * otherwise log why and keep the one in use. Returns 0 when installed.
 */
int	live_reload(const char *path);

#endif
