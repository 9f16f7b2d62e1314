/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * --check: the settings as the program sees them, and with --online the
 * word of Synthflow's API on the key and the agent.
 */
#ifndef CHECKCONF_H
#define CHECKCONF_H

#include "routes.h"
#include "settings.h"

/*
 * Print the settings (secrets masked), the size of the routing table
 * (NULL: none) and what is wrong with them; with online, ask Synthflow
 * too. Returns the exit status: 0 when all is well.
 */
int	checkconf_run(const struct settings *, const struct routes *,
	    int errors, int online);

#endif
