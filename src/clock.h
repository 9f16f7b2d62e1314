/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The one clock of every deadline and duration: CLOCK_MONOTONIC in
 * milliseconds, unmoved by changes of the wall clock.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <time.h>

static inline long
clock_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
