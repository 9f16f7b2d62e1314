/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * SYNTHFLOW_SIP_HEADERS: which Twilio parameters travel to Synthflow as
 * SIP X-headers, written "Param:X-Header,Param:X-Header".
 */
#ifndef SIPHEADERS_H
#define SIPHEADERS_H

#include <stddef.h>

#define SIPHEADERS_MAX		32	/* entries in one setting */
#define SIPHEADERS_NAME_MAX	64	/* a name, with its NUL */

struct sipheader {
	char	param[SIPHEADERS_NAME_MAX];	/* Twilio parameter */
	char	header[SIPHEADERS_NAME_MAX];	/* X-... */
};

/* 0 when spec is a valid list, else -1 with *errstr saying what is wrong. */
int	sipheaders_check(const char *spec, const char **errstr);
/* The entries of a list sipheaders_check accepted; returns their count. */
size_t	sipheaders_parse(const char *spec, struct sipheader *out, size_t max);

#endif
