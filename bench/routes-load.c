/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * How fast a SYNTHFLOW_ROUTES table loads and answers: writes a file of N
 * routes (default 100000; +1 numbers in scattered order, 24-character
 * model ids, a workspace on each, two variables on every tenth) to /tmp,
 * then times routes_load (best of 5) and 1000000 lookups of its numbers,
 * and prints ms per load, ns per lookup and the peak RSS. A benchmark, not
 * a test: nothing here fails on a slow machine.
 *
 *	cc -O2 -I. -Isrc -o routes-load bench/routes-load.c src/routes.c \
 *	    src/utf8.c
 *	./routes-load [routes]
 */
#include "config.h"

#include <sys/resource.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "routes.h"

#define LOOKUPS	1000000
#define RUNS	5

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
peak_rss_kb(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return -1;
	return ru.ru_maxrss;
}

/* Route i's To; i scattered over n by a stride coprime with most n. */
static void
number(char *to, size_t size, size_t i, size_t n)
{
	snprintf(to, size, "+1%010zu", 2000000000 + (i * 7919) % n);
}

static int
generate(char *path, size_t n)
{
	FILE	*fp;
	char	 to[32];
	size_t	 i;
	int	 fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		return -1;
	fprintf(fp, "# %zu routes written by bench/routes-load\n", n);
	for (i = 0; i < n; i++) {
		number(to, sizeof(to), i, n);
		fprintf(fp, "%s mdl_%020zu workspace=ws-%zu", to, i, i % 50);
		if (i % 10 == 0)
			fprintf(fp, " var.tier=gold var.greeting=\"Hello, "
			    "caller %zu\"", i);
		fputc('\n', fp);
	}
	return fclose(fp);
}

int
main(int argc, char *argv[])
{
	struct routes	*rt;
	char		 path[] = "/tmp/routes-load.XXXXXX", err[256], *end;
	char		(*keys)[32];
	double		 t, best = 1e9;
	size_t		 n = 100000, i, hits = 0;
	long		 rss0;
	int		 run;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [routes]\n", argv[0]);
		return 1;
	}
	if (argc == 2) {
		errno = 0;
		n = strtoul(argv[1], &end, 10);
		if (errno != 0 || *end != '\0' || n == 0) {
			fprintf(stderr, "%s: bad number of routes\n", argv[1]);
			return 1;
		}
	}
	if (generate(path, n) == -1) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	/* The numbers to look up, in an order unlike the file's. */
	if ((keys = calloc(n, sizeof(*keys))) == NULL) {
		unlink(path);
		return 1;
	}
	for (i = 0; i < n; i++)
		number(keys[i], sizeof(keys[i]), (i * 104729) % n, n);
	rss0 = peak_rss_kb();

	for (run = 0; run < RUNS; run++) {
		t = now();
		rt = routes_load(path, err, sizeof(err));
		t = now() - t;
		if (rt == NULL) {
			fprintf(stderr, "%s\n", err);
			unlink(path);
			return 1;
		}
		if (t < best)
			best = t;
		if (run < RUNS - 1)
			routes_free(rt);
	}
	unlink(path);

	t = now();
	for (i = 0; i < LOOKUPS; i++)
		if (routes_find(rt, keys[i % n]) != NULL)
			hits++;
	t = now() - t;

	printf("routes: %zu\n", routes_count(rt));
	printf("load: %.1f ms (best of %d)\n", best * 1e3, RUNS);
	printf("lookup: %.0f ns (%d lookups, %zu hits)\n", t * 1e9 / LOOKUPS,
	    LOOKUPS, hits);
	printf("peak RSS: %ld KiB (%ld KiB before loading)\n", peak_rss_kb(),
	    rss0);
	routes_free(rt);
	free(keys);
	return hits == LOOKUPS ? 0 : 1;
}
