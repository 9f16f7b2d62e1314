/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * One connection of the web server, as the workers and shed threads take
 * it: accepted as libfcgi would, and each request's params read under the
 * read deadline (SYNTHFLOW_READ_TIMEOUT_MS), so that a client that stalls
 * ties a thread up for that long at most.
 */
#ifndef SERVER_CONN_H
#define SERVER_CONN_H

#include <fcgiapp.h>

/* The longest a blocking accept waits before it looks at the clock. */
#define ACCEPT_WAKE_MS	1000

/*
 * Take the next connection off the listening socket lfd, waiting up to
 * timeout_ms (-1: for ever) for one (a signal interrupts the wait): its
 * fd, or -1 with errno set, ETIMEDOUT when the time is up. An error that
 * is not the client's or a signal is logged, and returns after a pause,
 * so that a caller trying again does not spin.
 */
int	server_conn_accept(int lfd, int timeout_ms);
/*
 * The deadline (clock_ms()) of a request whose reading starts now, by
 * SYNTHFLOW_READ_TIMEOUT_MS of the configuration in use.
 */
long	server_conn_deadline(void);
/*
 * Read the next request's BEGIN and PARAMS records on fcgi->ipcFd, no
 * read waiting past deadline_ms: 0 with the request ready for
 * request_init_fcgi(), or -1 with the connection closed (the web server's
 * close, a broken record, a signal). A connection that stalled past the
 * deadline is logged and counted as rejected:slow.
 */
int	server_conn_params(FCGX_Request *fcgi, long deadline_ms);

#endif
