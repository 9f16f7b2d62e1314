/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Opening the files the settings name (the config file, the routing
 * table, the deny list) so that no file can hang the process: opened
 * without blocking, refused unless regular. What the text means is the
 * reader's business.
 */
#ifndef FILE_H
#define FILE_H

#include <stddef.h>

#define FILE_NULL_OK	0x1	/* /dev/null says "no file" */

/*
 * Open path for reading and check it is a regular file, or with
 * FILE_NULL_OK also the null device (an empty file): a descriptor, or -1
 * with the reason in errbuf (the system's, or what the file is), the path
 * left to the caller to name.
 */
int	file_open_regular(const char *path, int flags, char *errbuf,
	    size_t errlen);
/*
 * Read the regular file at path whole, at most max bytes, into a malloc'd
 * text with a NUL after its *len bytes; NULL with the reason in errbuf,
 * as file_open_regular without flags.
 */
char	*file_read_regular(const char *path, size_t max, size_t *len,
	    char *errbuf, size_t errlen);

#endif
