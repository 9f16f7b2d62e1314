/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The custom variables SYNTHFLOW_VAR_NAME=value that travel to Synthflow
 * in custom_variables: the process's, from the environment and the config
 * file, and a request's own added to them. They live in struct settings.
 */
#ifndef SETTINGS_VARS_H
#define SETTINGS_VARS_H

#include "settings.h"

/* The variable's name in a SYNTHFLOW_VAR_NAME setting, or NULL. */
const char *settings_vars_name(const char *setting);
/*
 * Set the process variable name to value, copies of both, replacing the
 * value of one already set; -1 when out of memory.
 */
int	settings_vars_set(struct settings *, const char *name,
	    const char *value);
/*
 * Give out (a copy of the process settings) the request's variables too:
 * the names are copied, the values stay in params. A value that is not
 * text is left out and sets *errstr to SETTINGS_VAR_PREFIX unless it names
 * a setting already. Returns 0, or -1 when out of memory.
 */
int	settings_vars_request(struct settings *out, char *const *params,
	    const char **errstr);
/* Release the variables that settings_vars_set or _request allocated. */
void	settings_vars_free(struct settings *);

#endif
