/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * One request as the web server hands it over, FastCGI or CGI alike: its
 * params, its body (bounded) and its response.
 *
 * The house's error convention: a function returns 0 or -1 (a pointer or
 * NULL), and the reason comes back through const char **errstr when it is
 * a static string, through char *errbuf, size_t errlen when it is
 * formatted. A step of a request's path that answered the request itself
 * returns REQUEST_ANSWERED.
 */
#ifndef REQUEST_H
#define REQUEST_H

#include <stddef.h>

#include <fcgiapp.h>

#include "buf.h"

#define REQUEST_ANSWERED	1	/* the step answered the request */
#define REQUEST_TEXT_TYPE	"text/plain; charset=utf-8"
#define REQUEST_DRAIN_MAX	(1024 * 1024)	/* read past a refused body */

struct request {
	FCGX_Request	*fcgi;		/* NULL: CGI on stdin and stdout */
	char		**params;	/* NAME=value, NULL-terminated */
	long long	 left;		/* CGI: body bytes not yet read */
	long		 deadline_ms;	/* FastCGI: read by then (clock_ms()) */
	int		 body_done;	/* the body was read or drained */
	int		 slow;		/* the deadline passed first */
	int		 failed;	/* a write to the server failed */
};

/* A CGI request from the environment, stdin and stdout. */
void	request_init_cgi(struct request *);
/*
 * A FastCGI request that FCGX_Accept_r has filled in, whose body must be
 * read by deadline_ms (clock_ms(); 0: none).
 */
void	request_init_fcgi(struct request *, FCGX_Request *, long deadline_ms);
/*
 * Bound the next reads on the FastCGI connection fd by deadline_ms: a
 * millisecond at least, so that what is there is read and a stalled
 * client fails at once.
 */
void	request_read_deadline(int fd, long deadline_ms);
/* The value of a param, or NULL. */
const char *request_param(const struct request *, const char *name);
/*
 * Read the body into body (whose cap is the limit); 0 when it fits, -1 when
 * it is larger (read and dropped up to REQUEST_DRAIN_MAX), -2 when the
 * connection failed, -3 when the deadline passed first (the connection is
 * then closed after the answer).
 */
int	request_body(struct request *, struct buf *body);
/* 1 when the web server has closed the connection: nobody waits. */
int	request_gone(const struct request *);
/*
 * Milliseconds since the web server received the request, from its
 * SYNTHFLOW_REQUEST_START param (seconds.milliseconds, nginx's $msec), or
 * -1 when unknown.
 */
long	request_age_ms(const struct request *);
/* Read and drop what is left of the body, so the server sees it read. */
void	request_discard(struct request *);
/* Answer with a status, a content type, extra header lines and a body. */
int	request_respond(struct request *, int status, const char *type,
	    const char *headers, const char *body, size_t len);

#endif
