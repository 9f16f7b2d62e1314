/*
 * The FastCGI server: worker threads on a listening socket, each with its
 * own request and Synthflow client, and a drain on SIGTERM.
 */
#ifndef SERVER_H
#define SERVER_H

/*
 * Serve FastCGI on the listening socket fd with nthreads workers and the
 * installed configuration until SIGTERM or SIGINT; SIGHUP loads config
 * (NULL: the default) again. Returns the exit status.
 */
int	server_run(int fd, int nthreads, const char *config);
/* Open a listening socket for "unix:PATH" or "HOST:PORT"; -1 on error. */
int	server_listen(const char *addr);
/* The socket systemd or a spawner handed over: fd 3 or 0, or -1. */
int	server_inherited_socket(void);

#endif
