/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Regular files only, opened without blocking. A FIFO's open(2) waits for
 * a writer, and a reload opens its files in the signal thread, where
 * SIGTERM would then wait too; O_NONBLOCK makes that open return at once,
 * and the fstat(2) after it refuses the FIFO, the device or the directory
 * before anything reads it. The null device may be let through: the
 * shipped systemd unit says "no config file" with SYNTHFLOW_CONFIG=/dev/null.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

/* What a file that is not regular is, for the message. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "of another kind";
}

/* 1 when st is the null device, by whatever name it was opened. */
static int
null_device(const struct stat *st)
{
	struct stat	 null;

	return S_ISCHR(st->st_mode) && stat("/dev/null", &null) == 0 &&
	    S_ISCHR(null.st_mode) && st->st_rdev == null.st_rdev;
}

/* file_open_regular, with the file's status in *st. */
static int
open_regular(const char *path, int flags, struct stat *st, char *errbuf,
    size_t errlen)
{
	int	 fd;

	/* O_NOCTTY: a terminal named by mistake never becomes ours. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) ==
	    -1 || fstat(fd, st) == -1) {
		snprintf(errbuf, errlen, "%s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode) &&
	    !((flags & FILE_NULL_OK) && null_device(st))) {
		snprintf(errbuf, errlen, "not a regular file (%s)",
		    file_kind(st->st_mode));
		close(fd);
		return -1;
	}
	return fd;
}

int
file_open_regular(const char *path, int flags, char *errbuf, size_t errlen)
{
	struct stat	 st;

	return open_regular(path, flags, &st, errbuf, errlen);
}

char *
file_read_regular(const char *path, size_t max, size_t *len, char *errbuf,
    size_t errlen)
{
	struct stat	 st;
	char		*text = NULL;
	ssize_t		 r;
	int		 fd;

	*len = 0;
	if ((fd = open_regular(path, 0, &st, errbuf, errlen)) == -1)
		return NULL;
	if ((uintmax_t)st.st_size > max) {
		snprintf(errbuf, errlen, "larger than %zu bytes", max);
		goto fail;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		goto fail;
	}
	/* A file that grows while read is cut at its size of the fstat. */
	while (*len < (size_t)st.st_size) {
		if ((r = read(fd, text + *len, (size_t)st.st_size - *len)) ==
		    -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(errbuf, errlen, "%s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	text[*len] = '\0';
	close(fd);
	return text;
fail:
	close(fd);
	free(text);
	return NULL;
}
