/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * A main() for the fuzz targets without libFuzzer: every file named on the
 * command line, and every file directly inside a directory named there, is
 * read and passed once to LLVMFuzzerTestOneInput, so that make check replays
 * the committed corpora with any compiler. A broken property aborts the
 * program; each input's name goes to stderr first, to tell which one it was.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static unsigned long	 ninputs;

/* Read path into a buffer of exactly its size, as libFuzzer passes it. */
static int
replay_file(const char *path)
{
	FILE		*fp;
	struct stat	 st;
	uint8_t		*data = NULL;
	size_t		 size;
	int		 rc = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	size = (size_t)st.st_size;
	/* malloc(0) may return NULL; one byte more keeps it a real pointer. */
	if ((data = malloc(size > 0 ? size : 1)) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		goto fail;
	}
	if (fread(data, 1, size, fp) != size) {
		fprintf(stderr, "replay: %s: short read\n", path);
		goto fail;
	}
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(data, size);
	ninputs++;
	rc = 0;
fail:
	free(data);
	fclose(fp);
	return rc;
}

/* Every regular file directly in dir, in name order, skipping dot files. */
static int
replay_dir(const char *dir)
{
	struct dirent	**names;
	struct stat	  st;
	char		 *path;
	size_t		  len;
	int		  n, i, rc = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (rc == 0 && names[i]->d_name[0] != '.') {
			len = strlen(dir) + strlen(names[i]->d_name) + 2;
			if ((path = malloc(len)) == NULL) {
				fprintf(stderr, "replay: out of memory\n");
				rc = -1;
			} else {
				snprintf(path, len, "%s/%s", dir,
				    names[i]->d_name);
				if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
					rc = replay_file(path);
				free(path);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct stat	 st;
	int		 i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file-or-directory ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc && rc == 0; i++) {
		if (stat(argv[i], &st) == -1) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode))
			rc = replay_dir(argv[i]);
		else
			rc = replay_file(argv[i]);
	}
	printf("%lu inputs\n", ninputs);
	return rc == 0 ? 0 : 1;
}
