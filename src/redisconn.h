/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The connections to the Redis of SYNTHFLOW_DEDUP_REDIS: one per thread,
 * opened when the thread first needs it and again after a failure, every
 * exchange bounded by a deadline; and the process's view of Redis' health,
 * which all threads share: after a failure only one thread at a time tries
 * again, with a backoff, the outage is logged at most once a minute and
 * its end once, and every failure is counted
 * (synthflow_twiml_dedup_store_errors_total). No function here logs or
 * returns the password.
 */
#ifndef REDISCONN_H
#define REDISCONN_H

#include <stddef.h>

#include <hiredis/hiredis.h>

#define REDISCONN_ARGS_MAX	8	/* of one command */
#define REDISCONN_PIPELINE_MAX	4	/* commands of one exchange */

/* Where Redis is; password NULL: the URL's, if it has one. */
struct redisconn_target {
	const char	*url;
	const char	*password;
};

struct redisconn_command {
	int		 argc;
	const char	*argv[REDISCONN_ARGS_MAX];
};

enum redisconn_health {
	REDISCONN_UNUSED,	/* no exchange tried yet */
	REDISCONN_UP,		/* the last one worked */
	REDISCONN_DOWN		/* in an outage: calls use the in-process table */
};

/*
 * Send the n commands in one round trip on this thread's connection to t
 * (opened first when needed, with AUTH and SELECT), all by deadline_ms
 * (clock.h's clock): 0 with n replies in reply[], to be given back with
 * redisconn_free_replies; -1 with *errstr when Redis could not be asked or
 * did not answer, or when an outage's backoff says not to try now.
 */
int	redisconn_exchange(const struct redisconn_target *t, long deadline_ms,
	    const struct redisconn_command *cmd, size_t n, redisReply **reply,
	    const char **errstr);
void	redisconn_free_replies(redisReply **reply, size_t n);
/*
 * Redis answered what the caller cannot use (why: a static string): the
 * connection is dropped and it counts as a failure.
 */
void	redisconn_broken(const char *why);
/* The health for /healthz; since_ms: when the outage began. */
enum redisconn_health redisconn_health(long *since_ms);

#endif
