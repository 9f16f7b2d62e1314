/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Where Synthflow is: the API base URL and the SIP host of each region,
 * the ports of its SIP trunk, and the URL of an API path. Which region and
 * which overrides a call uses is the settings' business.
 */
#ifndef SYNTHFLOW_REGION_H
#define SYNTHFLOW_REGION_H

#include <stddef.h>

enum synthflow_region {
	SYNTHFLOW_REGION_GLOBAL,
	SYNTHFLOW_REGION_US,
	SYNTHFLOW_REGION_EU
};

/* The regions' names by enum synthflow_region, NULL-terminated. */
extern const char *const synthflow_region_names[];

/* The API base URL of a region: "https://api.synthflow.ai". */
const char *synthflow_region_api_url(enum synthflow_region);
/* The SIP host of a region: "sip.synthflow.ai". */
const char *synthflow_region_sip_host(enum synthflow_region);
/* The SIP trunk's port: one for TLS, another for UDP and TCP. */
long	synthflow_sip_port(int tls);
/*
 * The URL of path under the API base URL into out ("https://host" +
 * "/v2/..."), a trailing '/' of base dropped; -1 when it does not fit.
 */
int	synthflow_endpoint(const char *base, const char *path, char *out,
	    size_t outlen);

#endif
