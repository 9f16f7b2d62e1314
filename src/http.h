/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The HTTP client for Synthflow's API: one reused libcurl easy handle per
 * worker, so connections stay alive across requests; the workers share
 * their DNS and TLS session caches.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

#include "buf.h"

#define HTTP_REPLY_MAX	(1024 * 1024)	/* a prepare_inbound reply is ~1 KB */

struct http_client;

struct http_request {
	const char	*url;
	const char	*bearer;		/* Authorization: Bearer ... */
	const char	*ca_file;		/* NULL: the system's CAs */
	const char	*body;			/* JSON to POST; NULL: GET */
	size_t		 len;
	long		 timeout_ms;		/* the whole exchange, retries too */
	long		 connect_timeout_ms;
	long		 retries;
};

/*
 * Call before any thread starts: initialises libcurl and the caches every
 * client made after it shares (again: nothing more). 0, or -1.
 */
int	http_global_init(void);
/* A new client, or NULL. */
struct http_client *http_client_new(void);
/* Close the client's connections and free it. */
void	http_client_free(struct http_client *);
/*
 * POST r->body to r->url, or GET it; on a completed exchange store the
 * status and the reply (at most HTTP_REPLY_MAX bytes) and return 0, else
 * -1 with *reason.
 */
int	http_send(struct http_client *, const struct http_request *r,
	    long *status, struct buf *reply, const char **reason);

#endif
