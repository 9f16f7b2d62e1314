/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The boundary to the web server. FastCGI goes through libfcgi's FCGX
 * streams; CGI reads stdin and writes stdout. Everything above this file
 * sees one request type and does not know which protocol carried it.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "request.h"

extern char **environ;

static long long content_length(const struct request *);

void
request_init_cgi(struct request *r)
{
	r->fcgi = NULL;
	r->params = environ;
	r->deadline_ms = 0;	/* the web server bounds a CGI's reads */
	r->body_done = 0;
	r->slow = 0;
	r->failed = 0;
	/* RFC 3875: no CONTENT_LENGTH, no body; and there may be no EOF. */
	if ((r->left = content_length(r)) == -1)
		r->left = 0;
}

void
request_init_fcgi(struct request *r, FCGX_Request *fcgi, long deadline_ms)
{
	r->fcgi = fcgi;
	r->params = fcgi->envp;
	r->left = -1;
	r->deadline_ms = deadline_ms;
	r->body_done = 0;
	r->slow = 0;
	r->failed = 0;
}

void
request_read_deadline(int fd, long deadline_ms)
{
	struct timeval	 tv;
	long		 left = deadline_ms - clock_ms();

	if (left < 1)
		left = 1;	/* 0 would be no timeout at all */
	tv.tv_sec = left / 1000;
	tv.tv_usec = (left % 1000) * 1000;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

/*
 * The deadline passed before the request was read: no answer can wait
 * for the client, so the connection closes at once after it, without
 * libfcgi's wait for the client to go first.
 */
static void
too_slow(struct request *r)
{
	r->slow = 1;
	r->fcgi->keepConnection = 0;
	r->fcgi->detached = 1;
}

const char *
request_param(const struct request *r, const char *name)
{
	size_t	 len = strlen(name);
	char	**p;

	for (p = r->params; *p != NULL; p++)
		if (**p == *name && strncmp(*p, name, len) == 0 &&
		    (*p)[len] == '=')
			return *p + len + 1;
	return NULL;
}

/* Read up to n bytes; 0 at the end, -1 on error. */
static long
read_some(struct request *r, char *p, size_t n)
{
	ssize_t	 got;
	int	 rc, error;

	if (r->fcgi != NULL) {
		if (r->deadline_ms != 0)
			request_read_deadline(r->fcgi->ipcFd, r->deadline_ms);
		rc = FCGX_GetStr(p, (int)n, r->fcgi->in);
		if (rc > 0 || (error = FCGX_GetError(r->fcgi->in)) == 0)
			return rc;
		/* SO_RCVTIMEO's timeout: the client stalled. */
		if (error == EAGAIN || error == EWOULDBLOCK)
			too_slow(r);
		return -1;
	}
	if ((long long)n > r->left)
		n = (size_t)r->left;
	if (n == 0)
		return 0;
	do
		got = read(STDIN_FILENO, p, n);
	while (got == -1 && errno == EINTR);
	if (got > 0)
		r->left -= got;
	return (long)got;
}

/* Content-Length, or -1 when absent or not a number. */
static long long
content_length(const struct request *r)
{
	const char	*v = request_param(r, "CONTENT_LENGTH");
	char		*end;
	long long	 n;

	if (v == NULL || *v == '\0')
		return -1;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (*end != '\0' || errno != 0 || n < 0)
		return -1;
	return n;
}

/* Read and drop the rest of a body, up to REQUEST_DRAIN_MAX in all. */
static void
drain(struct request *r, size_t already)
{
	char	 junk[8192];
	long	 got = 0;

	r->body_done = 1;
	while (already < REQUEST_DRAIN_MAX &&
	    (got = read_some(r, junk, sizeof(junk))) > 0)
		already += (size_t)got;
	if (got > 0 && r->fcgi != NULL)
		r->fcgi->keepConnection = 0;	/* simply close it */
}

void
request_discard(struct request *r)
{
	if (!r->body_done)
		drain(r, 0);
}

int
request_body(struct request *r, struct buf *body)
{
	char	 chunk[8192];
	size_t	 total = 0;
	long	 got;

	buf_reset(body);
	r->body_done = 1;
	/* Params that trickled in past it: each read was within it. */
	if (r->deadline_ms != 0 && clock_ms() >= r->deadline_ms) {
		too_slow(r);
		return -3;
	}
	if (content_length(r) > (long long)body->max) {
		drain(r, 0);
		return -1;
	}
	while ((got = read_some(r, chunk, sizeof(chunk))) > 0) {
		total += (size_t)got;
		if (buf_add(body, chunk, (size_t)got) == -1) {
			drain(r, total);
			return -1;
		}
	}
	if (got < 0)
		return r->slow ? -3 : -2;
	return 0;
}

int
request_gone(const struct request *r)
{
	struct pollfd	 pfd;

	/* CGI: the server holds the client; nothing to ask here. */
	if (r->fcgi == NULL || r->fcgi->ipcFd < 0)
		return 0;
	pfd.fd = r->fcgi->ipcFd;
	pfd.events = POLLRDHUP;
	pfd.revents = 0;
	/* The server sends nothing more before the answer, but a FIN. */
	return poll(&pfd, 1, 0) == 1 &&
	    (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

long
request_age_ms(const struct request *r)
{
	const char	*v = request_param(r, "SYNTHFLOW_REQUEST_START");
	struct timespec	 now;
	long long	 sec = 0, ms = 0;
	int		 digits = 0;

	if (v == NULL)
		return -1;
	for (; *v >= '0' && *v <= '9' && sec < 1000000000000LL; v++)
		sec = sec * 10 + (*v - '0');
	if (*v == '.')
		for (v++; *v >= '0' && *v <= '9' && digits < 3; v++, digits++)
			ms = ms * 10 + (*v - '0');
	if (*v != '\0')
		return -1;
	while (digits++ < 3)
		ms *= 10;
	clock_gettime(CLOCK_REALTIME, &now);
	return (long)(((long long)now.tv_sec - sec) * 1000 +
	    now.tv_nsec / 1000000 - ms);
}

static const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	}
	return "Unknown";
}

static int
put(struct request *r, const char *p, size_t n)
{
	if (r->fcgi != NULL)
		return FCGX_PutStr(p, (int)n, r->fcgi->out) == (int)n ? 0 : -1;
	return fwrite(p, 1, n, stdout) == n ? 0 : -1;
}

int
request_respond(struct request *r, int status, const char *type,
    const char *headers, const char *body, size_t len)
{
	char	 head[1024];
	int	 n;

	n = snprintf(head, sizeof(head), "Status: %d %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n%s\r\n", status, status_text(status),
	    type, len, headers != NULL ? headers : "");
	if (n < 0 || (size_t)n >= sizeof(head) || put(r, head, (size_t)n) ||
	    put(r, body, len) || (r->fcgi == NULL && fflush(stdout) != 0))
		r->failed = 1;
	return r->failed ? -1 : 0;
}
