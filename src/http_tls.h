/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * TLS sessions that outlive their connection. libcurl 7.88 frees the
 * OpenSSL state of a connection the server closed (an idle timeout, a
 * GOAWAY) without a shutdown of its own, and OpenSSL then marks that
 * connection's session not resumable: the very session libcurl keeps in
 * its cache for the next connection to the host. So after every idle
 * close the next connection paid a full handshake. libcurl's cache gets
 * a copy of each session instead, which nothing marks; the server still
 * decides, by the lifetime of its ticket.
 */
#ifndef HTTP_TLS_H
#define HTTP_TLS_H

#include <curl/curl.h>

/*
 * Give curl's connections sessions that stay resumable, when libcurl's
 * TLS is the OpenSSL this program runs with; otherwise leave curl as it
 * is (0 either way, -1 when libcurl refused the option it offers).
 */
int	http_tls_keep_sessions(CURL *curl);

#endif
