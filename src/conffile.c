/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Reader for NAME=value files: blank lines and '#' comments are skipped,
 * a value may be wrapped in double quotes (inside which \" and \\ escape),
 * nothing is expanded. What the names mean is settings.c's business.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ascii.h"
#include "conffile.h"
#include "file.h"

static char *
trim(char *s)
{
	char	*end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* Remove the quotes and escapes of a double-quoted value in place. */
static int
unquote(char *v, const char **errstr)
{
	char	*in = v + 1, *out = v;

	for (; *in != '"'; in++) {
		if (*in == '\0') {
			*errstr = "unterminated quote";
			return -1;
		}
		if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
			in++;
		*out++ = *in;
	}
	if (in[1] != '\0') {
		*errstr = "text after the closing quote";
		return -1;
	}
	*out = '\0';
	return 0;
}

int
conffile_parse_line(char *line, char **name, char **value,
    const char **errstr)
{
	char	*s = trim(line), *eq;

	if (*s == '\0' || *s == '#')
		return 0;
	if ((eq = strchr(s, '=')) == NULL) {
		*errstr = "expected NAME=value";
		return -1;
	}
	*eq = '\0';
	*name = trim(s);
	*value = trim(eq + 1);
	if (!ascii_env_name(*name, strlen(*name))) {
		*errstr = "bad setting name";
		return -1;
	}
	if (**value == '"' && unquote(*value, errstr) == -1)
		return -1;
	return 1;
}

int
conffile_read(const char *path, conffile_cb cb, void *arg, char *err,
    size_t errlen)
{
	FILE		*fp;
	char		 line[CONFFILE_LINE_MAX], *name, *value;
	const char	*errstr = NULL;
	unsigned long	 lineno = 0;
	int		 fd, rc = 0, r;

	if ((fd = file_open_regular(path, FILE_NULL_OK, err, errlen)) == -1)
		return -1;
	if ((fp = fdopen(fd, "r")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			errstr = "line too long";
			break;
		}
		if ((r = conffile_parse_line(line, &name, &value, &errstr)) ==
		    -1)
			break;
		if (r == 1 && cb(name, value, lineno, arg) == -1) {
			errstr = "rejected";
			break;
		}
		errstr = NULL;
	}
	if (errstr != NULL) {
		snprintf(err, errlen, "line %lu: %s", lineno, errstr);
		rc = -1;
	} else if (ferror(fp)) {
		snprintf(err, errlen, "%s", strerror(errno));
		rc = -1;
	}
	fclose(fp);
	return rc;
}
