/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Reference-counted configurations. The lock covers only the pointer and
 * the counts: loading happens outside it, so requests never wait for a
 * reload to read its files.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "live.h"
#include "log.h"

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static struct live	*current;

static void
live_free(struct live *l)
{
	routes_free(l->routes);
	caller_deny_free(l->deny);
	settings_free(&l->settings);
	free(l);
}

struct live *
live_load(const char *path, int strict, settings_report report, void *arg,
    int *errors)
{
	struct live	*l;
	const char	*file;
	char		 err[1024];

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->refs = 1;
	*errors = settings_load(&l->settings, path, strict, report, arg);
	if ((file = l->settings.str[S_ROUTES]) != NULL &&
	    (l->routes = routes_load(file, err, sizeof(err))) == NULL) {
		report("error", settings_name(S_ROUTES), err, arg);
		(*errors)++;
	}
	if ((file = l->settings.str[S_CALLER_DENY]) != NULL &&
	    (l->deny = caller_deny_load(file, err, sizeof(err))) == NULL) {
		report("error", settings_name(S_CALLER_DENY), err, arg);
		(*errors)++;
	}
	return l;
}

void
live_install(struct live *l)
{
	struct live	*old;

	pthread_mutex_lock(&lock);
	old = current;
	current = l;
	pthread_mutex_unlock(&lock);
	if (old != NULL)
		live_release(old);
}

struct live *
live_acquire(void)
{
	struct live	*l;

	pthread_mutex_lock(&lock);
	if ((l = current) != NULL)
		l->refs++;
	pthread_mutex_unlock(&lock);
	return l;
}

void
live_release(struct live *l)
{
	int	 refs;

	pthread_mutex_lock(&lock);
	refs = --l->refs;
	pthread_mutex_unlock(&lock);
	if (refs == 0)
		live_free(l);
}

static void
log_problem(const char *level, const char *name, const char *msg, void *arg)
{
	(void)arg;
	if (*level == 'e')
		log_error("reload: %s: %s", name, msg);
	else
		log_warn("reload: %s: %s", name, msg);
}

int
live_reload(const char *path)
{
	struct live	*l;
	int		 errors;

	if ((l = live_load(path, 0, log_problem, NULL, &errors)) == NULL) {
		log_error("reload: out of memory; the settings in use stay");
		return -1;
	}
	if (errors > 0) {
		log_error("reload: %d error%s; the settings in use stay",
		    errors, errors == 1 ? "" : "s");
		live_free(l);
		return -1;
	}
	live_install(l);
	log_info("reload: settings%s%s, %zu routes, %zu callers denied",
	    l->settings.file ? " from " : "",
	    l->settings.file ? l->settings.file : "",
	    l->routes != NULL ? routes_count(l->routes) : 0,
	    caller_deny_count(l->deny));
	return 0;
}
