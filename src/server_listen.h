/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The listening socket of FastCGI mode: one the program opens itself
 * (--listen), or the one systemd or a spawner handed over.
 */
#ifndef SERVER_LISTEN_H
#define SERVER_LISTEN_H

#include <stddef.h>

/*
 * Open a listening socket for "unix:PATH" or "HOST:PORT": its fd, or -1
 * with the reason in errbuf.
 */
int	server_listen(const char *addr, char *errbuf, size_t errlen);
/* The socket systemd or a spawner handed over: fd 3 or 0, or -1. */
int	server_inherited_socket(void);

#endif
