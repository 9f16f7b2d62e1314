/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Synthflow's public addresses by region, as its documentation gives them,
 * and the one rule for joining an API base URL and a path.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "synthflow_region.h"

#define SIP_PORT	32681
#define SIP_PORT_TLS	32682

const char *const synthflow_region_names[] = {
	[SYNTHFLOW_REGION_GLOBAL] = "global",
	[SYNTHFLOW_REGION_US] = "us",
	[SYNTHFLOW_REGION_EU] = "eu",
	NULL
};

static const char *const api_urls[] = {
	[SYNTHFLOW_REGION_GLOBAL] = "https://api.synthflow.ai",
	[SYNTHFLOW_REGION_US] = "https://api.us.synthflow.ai",
	[SYNTHFLOW_REGION_EU] = "https://api.eu.synthflow.ai",
};

static const char *const sip_hosts[] = {
	[SYNTHFLOW_REGION_GLOBAL] = "sip.synthflow.ai",
	[SYNTHFLOW_REGION_US] = "sip.us.synthflow.ai",
	[SYNTHFLOW_REGION_EU] = "sip.eu.synthflow.ai",
};

const char *
synthflow_region_api_url(enum synthflow_region r)
{
	return api_urls[r];
}

const char *
synthflow_region_sip_host(enum synthflow_region r)
{
	return sip_hosts[r];
}

long
synthflow_sip_port(int tls)
{
	return tls ? SIP_PORT_TLS : SIP_PORT;
}

int
synthflow_endpoint(const char *base, const char *path, char *out,
    size_t outlen)
{
	size_t	 len = strlen(base);
	int	 n;

	while (len > 0 && base[len - 1] == '/')
		len--;		/* "https://host/" is "https://host" */
	n = snprintf(out, outlen, "%.*s%s", (int)len, base, path);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}
