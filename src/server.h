/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The FastCGI server: worker threads on a listening socket, each with its
 * own request and Synthflow client, shed threads when they are all busy,
 * and a drain on SIGTERM. The socket itself comes from server_listen.h.
 */
#ifndef SERVER_H
#define SERVER_H

/*
 * Serve FastCGI on the listening socket fd with nthreads workers and the
 * installed configuration until SIGTERM or SIGINT; SIGHUP loads config
 * (NULL: the default) again. Returns the exit status.
 */
int	server_run(int fd, int nthreads, const char *config);

#endif
