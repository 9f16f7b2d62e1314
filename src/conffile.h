/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The NAME=value configuration file, in the syntax systemd's
 * EnvironmentFile= reads, so one file serves both.
 */
#ifndef CONFFILE_H
#define CONFFILE_H

#include <stddef.h>

#define CONFFILE_LINE_MAX	8192

/* Called for each setting; return -1 to stop reading. */
typedef int (*conffile_cb)(const char *name, const char *value,
    unsigned long lineno, void *arg);

/*
 * Read path and call cb for each NAME=value line. Returns 0, or -1 with a
 * message ("line 3: ...") in err.
 */
int	conffile_read(const char *path, conffile_cb cb, void *arg,
	    char *err, size_t errlen);
/*
 * Parse one line into name and value (pointers into line, which is
 * modified); 1 for a setting, 0 for a blank or comment line, -1 with *errstr
 * for a malformed one.
 */
int	conffile_parse_line(char *line, char **name, char **value,
	    const char **errstr);

#endif
