/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * One connection of the web server. The workers accept their connections
 * here rather than in libfcgi, so that a worker counts as busy from the
 * accept on: libfcgi reads the BEGIN and PARAMS records inside
 * FCGX_Accept_r, and a worker waiting there for a client that never sends
 * them would still count as waiting for a connection, and no other would
 * start. A receive timeout (SO_RCVTIMEO) on the connection bounds each of
 * libfcgi's reads: a read that times out fails, and libfcgi closes the
 * connection. request.c reads the body under the same deadline.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "live.h"
#include "log.h"
#include "metrics.h"
#include "request.h"
#include "server_conn.h"
#include "settings.h"

/* 1 for the accept errors of a client gone or a wake-up, not ours. */
static int
accept_transient(int error)
{
	return error == EINTR || error == ECONNABORTED || error == EPROTO ||
	    error == ECONNRESET;
}

int
server_conn_accept(int lfd, int timeout_ms)
{
	struct pollfd	 pfd;
	long		 end = clock_ms() + timeout_ms, left = timeout_ms;
	int		 fd, n, on = 1, saved, blocking;

	/*
	 * A blocking accept wakes one waiting thread per connection; its
	 * receive timeout (server.c) brings it back every ACCEPT_WAKE_MS to
	 * look at the clock. A socket handed over non-blocking is polled
	 * instead: every waiting thread wakes then, but none spins.
	 */
	blocking = (fcntl(lfd, F_GETFL) & O_NONBLOCK) == 0;
	while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1 &&
	    (errno == EAGAIN || errno == EWOULDBLOCK)) {
		if (timeout_ms >= 0 && (left = end - clock_ms()) <= 0)
			n = 0;
		else if (blocking)
			continue;
		else {
			pfd.fd = lfd;
			pfd.events = POLLIN;
			n = poll(&pfd, 1, timeout_ms < 0 ? -1 : (int)left);
		}
		if (n == 0)
			errno = ETIMEDOUT;
		if (n <= 0)
			return -1;	/* a signal, or the time is up */
	}
	if (fd == -1) {
		if (!accept_transient(saved = errno)) {
			/* EMFILE and the like: wait, do not spin or die. */
			log_error("accept: %s", strerror(saved));
			usleep(100 * 1000);
		}
		errno = saved;
		return -1;
	}
	/* As libfcgi does: answers are not waited on. Unix sockets refuse. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
	return fd;
}

long
server_conn_deadline(void)
{
	struct live	*l = live_acquire();
	long		 ms = l->settings.num[S_READ_TIMEOUT_MS];

	live_release(l);
	return clock_ms() + ms;
}

/* The one log line of a request that never came whole: no call to name. */
static void
log_slow(long ms)
{
	metrics_request("rejected", "slow");
	log_info("call_sid=- to=- from=- outcome=rejected:slow "
	    "synthflow_call_id=- total_ms=%ld", ms);
}

int
server_conn_params(FCGX_Request *fcgi, long deadline_ms)
{
	long	 start = clock_ms();
	int	 rc;

	request_read_deadline(fcgi->ipcFd, deadline_ms);
	/* Accepted here, or kept: libfcgi must not close it before reading. */
	fcgi->keepConnection = 1;
	/*
	 * Detached, libfcgi closes a connection that fails at once instead
	 * of waiting 2 s for the client to go first: this one may stall.
	 */
	fcgi->detached = 1;
	rc = FCGX_Accept_r(fcgi);
	if (rc == 0 && FCGX_GetError(fcgi->in) != 0) {
		/* A read failed right after BEGIN: libfcgi saw no params. */
		FCGX_Free(fcgi, 1);
		rc = -1;
	}
	fcgi->detached = 0;
	if (rc == 0)
		return 0;
	/* libfcgi closed it; only a read that timed out ends this late. */
	if (clock_ms() >= deadline_ms)
		log_slow(clock_ms() - start);
	return -1;
}
