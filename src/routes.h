/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The routing table of SYNTHFLOW_ROUTES: which model (and workspace, SIP
 * number and custom variables) answers a call, chosen by the call's To.
 * One route a line:
 *
 *	TO_NUMBER MODEL_ID [workspace=ID] [sip_number=N]
 *	    [transfer_allow=LIST] [var.NAME=VALUE ...]
 *
 * Fields are separated by spaces or tabs; '#' at the start of a field (at
 * the start of a line or after blanks) begins a comment to the end of the
 * line; blank lines are skipped; a CR before the LF is ignored.
 * TO_NUMBER is 1 to 64 of '+', letters, digits and "-._" (the characters
 * of a SIP user part: E.164 such as +14155550100, or a SIP user), matched
 * exactly against Twilio's To. MODEL_ID and the workspace are 1 to 128
 * letters, digits and "-_."; sip_number is written as TO_NUMBER is;
 * transfer_allow is an allow list of SYNTHFLOW_TRANSFER_ALLOW without
 * blanks (refer.h), replacing that setting for the number (empty: only
 * Synthflow's bridge URIs). NAME is
 * 1 to 64 of [A-Za-z0-9_]; VALUE is a bare token without blanks or '"', or
 * a double-quoted string in which \" and \\ are escapes; it may be empty,
 * must be UTF-8 and has no control characters. The keys come in any order,
 * at most ROUTES_VARS_MAX variables a line.
 *
 * The file is refused whole, with "path:line: reason", for an unknown or
 * repeated key, a missing MODEL_ID, a TO_NUMBER already routed on an
 * earlier line (the later line is named), a line over ROUTES_LINE_MAX bytes
 * (CR and LF not counted) or a NUL byte; a file over ROUTES_FILE_MAX bytes
 * is refused as "path: ...". The first error in file order is the one
 * reported. Lookups are a binary search, O(log n).
 */
#ifndef ROUTES_H
#define ROUTES_H

#include <stddef.h>

#include "synthflow.h"

#define ROUTES_LINE_MAX		4096
#define ROUTES_FILE_MAX		(64 * 1024 * 1024)
#define ROUTES_TO_MAX		64
#define ROUTES_ID_MAX		128
#define ROUTES_VAR_NAME_MAX	64
#define ROUTES_VARS_MAX		64

struct route {
	const char			*to;		/* exact match on To */
	const char			*model_id;
	const char			*workspace_id;	/* NULL: not set */
	const char			*sip_number;	/* NULL: not set */
	const char			*transfer_allow; /* NULL: not set */
	const struct synthflow_var	*vars;		/* in file order */
	size_t				 nvars;
};

struct routes;

/*
 * Load the table in path; NULL with "path:line: reason" or "path: reason"
 * in err on any error.
 */
struct routes		*routes_load(const char *path, char *err,
			    size_t errlen);
/* The same from len bytes of text; name stands for the path in messages. */
struct routes		*routes_parse(const char *name, const char *text,
			    size_t len, char *err, size_t errlen);
/* The route for to, or NULL when there is none (or no table). */
const struct route	*routes_find(const struct routes *, const char *to);
/* The number of routes in the table. */
size_t			 routes_count(const struct routes *);
/* Free a table and everything its routes point to. */
void			 routes_free(struct routes *);

#endif
