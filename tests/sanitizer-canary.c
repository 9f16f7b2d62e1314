/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The canary of the sanitizer build: each run commits one error of the
 * kind named on the command line, so that tests/setup.sh's
 * check_sanitizers sees a real report, with the options make check gives
 * the program, and knows that a report of the program would be seen too.
 * It is built only with --enable-sanitizers (or --enable-fuzzing).
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kept out of the optimiser's sight: the errors must happen at run time. */
static void	*volatile sink;
static volatile int	 one = 1;

/* A read of freed memory (AddressSanitizer; UBSan does not see it). */
static int
canary_address(void)
{
	char *volatile	 p;

	if ((p = calloc(1, 8)) == NULL)
		return 1;
	free(p);
	return p[0];
}

/* A block nothing points to at exit (LeakSanitizer). */
static int
canary_leak(void)
{
	sink = malloc(64);
	sink = NULL;
	return 0;
}

/* A signed overflow (UndefinedBehaviorSanitizer). */
static int
canary_undefined(void)
{
	int	 i = INT_MAX;

	i += one;
	return i == 0;
}

int
main(int argc, char *argv[])
{
	if (argc != 2)
		goto usage;
	if (strcmp(argv[1], "address") == 0)
		return canary_address();
	if (strcmp(argv[1], "leak") == 0)
		return canary_leak();
	if (strcmp(argv[1], "undefined") == 0)
		return canary_undefined();
usage:
	fprintf(stderr, "usage: sanitizer-canary address|leak|undefined\n");
	return 2;
}
