/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The listening socket: a unix or TCP socket of the program's own for
 * --listen, with a deep queue, or the socket systemd's socket activation
 * (fd 3) or a spawner (fd 0) handed over.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server_listen.h"

/*
 * The queue of connections for --listen, capped by net.core.somaxconn
 * (4096 by default since Linux 5.4). The shed threads empty it at once
 * unless the machine's cores are saturated; then a deeper queue lets the
 * program answer a burst itself, a little late, where a full one fails
 * nginx's connect at once and nginx answers its fallback.
 */
#define LISTEN_BACKLOG	4096

/* A unix socket at path, replacing a stale one; -1 with errbuf. */
static int
listen_unix(const char *path, char *errbuf, size_t errlen)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(errbuf, errlen, "%s: socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	/* Replace a stale socket, never any other file. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, LISTEN_BACKLOG) == -1)
		goto fail;
	return fd;
fail:
	snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

/* A TCP socket on HOST:PORT ([v6]:PORT, or :PORT for every address). */
static int
listen_inet(const char *addr, char *errbuf, size_t errlen)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256], *colon;
	int		 fd = -1, on = 1, rc;

	if (strlen(addr) >= sizeof(host) ||
	    (colon = strrchr(strcpy(host, addr), ':')) == NULL) {
		snprintf(errbuf, errlen, "%s: expected unix:PATH or HOST:PORT",
		    addr);
		return -1;
	}
	*colon = '\0';
	if (host[0] == '[' && colon[-1] == ']') {	/* [::1]:9000 */
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints,
	    &res)) != 0) {
		snprintf(errbuf, errlen, "%s: %s", addr, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, LISTEN_BACKLOG) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		snprintf(errbuf, errlen, "%s: %s", addr, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

int
server_listen(const char *addr, char *errbuf, size_t errlen)
{
	if (strncmp(addr, "unix:", 5) == 0)
		return listen_unix(addr + 5, errbuf, errlen);
	return listen_inet(addr, errbuf, errlen);
}

/* 1 when fd is a socket in the listening state. */
static int
is_listening(int fd)
{
	int		 on = 0;
	socklen_t	 len = sizeof(on);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 &&
	    on;
}

int
server_inherited_socket(void)
{
	const char	*pid = getenv("LISTEN_PID");
	const char	*fds = getenv("LISTEN_FDS");

	/* systemd socket activation hands the socket over as fd 3. */
	if (pid != NULL && fds != NULL && strtol(pid, NULL, 10) ==
	    (long)getpid() && strtol(fds, NULL, 10) >= 1 && is_listening(3)) {
		/* Not for any child; and not across an exec. */
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		fcntl(3, F_SETFD, FD_CLOEXEC);
		return 3;
	}
	if (is_listening(STDIN_FILENO))
		return STDIN_FILENO;
	return -1;
}
