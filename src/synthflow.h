/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Synthflow's prepare_inbound exchange as data: the JSON request body and
 * the check of the reply. The transport is http.c's.
 */
#ifndef SYNTHFLOW_H
#define SYNTHFLOW_H

#include <stddef.h>

#include "buf.h"

#define SYNTHFLOW_ID_MAX	128	/* ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ */

struct synthflow_var {
	const char	*name;
	const char	*value;
};

struct synthflow_call {
	const char			*from;
	const char			*to;
	const char			*model_id;
	const char			*workspace_id;	/* NULL: not sent */
	const struct synthflow_var	*vars;		/* custom_variables */
	size_t				 nvars;
};

/* Generate the request body into out: 0, or -1 with *errstr set. */
int	synthflow_body(struct buf *out, const struct synthflow_call *,
	    const char **errstr);
/*
 * Check an HTTP answer to prepare_inbound; on success copy the call id into
 * id and return 0, else return -1 with *errstr set.
 */
int	synthflow_reply(long status, const char *body, size_t len,
	    char id[SYNTHFLOW_ID_MAX + 1], const char **errstr);
/*
 * 1 when s is an acceptable synthflow_call_id: an identifier (ascii_id) of
 * at most SYNTHFLOW_ID_MAX characters that starts with a letter or digit.
 */
int	synthflow_id_valid(const char *s);

#endif
