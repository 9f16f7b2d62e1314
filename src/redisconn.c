/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * One hiredis connection per thread, kept in thread-specific data and
 * freed when the thread ends; a thread whose connection met an error drops
 * it and opens another on its next exchange. What the threads share is
 * the health: an outage begins with any failure and ends with any
 * success; while it lasts one thread at a time, after a backoff doubling
 * from 100 ms to 5 s, tries Redis again, and the others use the
 * in-process table at once instead of each paying the timeout. hiredis
 * has no overall deadline, so each exchange sets the socket timeouts to
 * what is left of it; its host name is resolved without one (use an
 * address or /etc/hosts).
 */
#include "config.h"

#include <sys/time.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "redisconn.h"
#include "redisreply.h"
#include "redisurl.h"

#define BACKOFF_FIRST_MS	100
#define BACKOFF_MAX_MS		5000
#define LOG_EVERY_MS		60000
#define DETAIL_MAX		80	/* of hiredis' or Redis' words, logged */

struct conn {
	redisContext	*ctx;
	char		*url;		/* what ctx is connected to */
	char		*password;	/* the setting's; NULL: the URL's */
	char		 where[REDISURL_HOST_MAX + REDISURL_PATH_MAX + 8];
};

static pthread_key_t	 conn_key;
static pthread_once_t	 conn_once = PTHREAD_ONCE_INIT;
static int		 conn_key_ok;

static atomic_int	 used;		/* an exchange was tried */
static atomic_int	 down;		/* in an outage */
static atomic_long	 down_since;
static atomic_long	 retry_at;	/* in an outage: not before */
static atomic_long	 backoff_ms = BACKOFF_FIRST_MS;
static atomic_long	 logged_at = LONG_MIN / 2;

static void
conn_close(struct conn *c)
{
	if (c->ctx != NULL)
		redisFree(c->ctx);
	free(c->url);
	free(c->password);
	c->ctx = NULL;
	c->url = c->password = NULL;
}

static void
conn_destroy(void *arg)
{
	conn_close(arg);
	free(arg);
}

static void
conn_key_init(void)
{
	conn_key_ok = pthread_key_create(&conn_key, conn_destroy) == 0;
}

/* This thread's connection, made on first use; NULL when out of memory. */
static struct conn *
conn_get(void)
{
	struct conn	*c;

	if (pthread_once(&conn_once, conn_key_init) != 0 || !conn_key_ok)
		return NULL;
	if ((c = pthread_getspecific(conn_key)) != NULL)
		return c;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (pthread_setspecific(conn_key, c) != 0) {
		free(c);
		return NULL;
	}
	return c;
}

/* 1 when c is connected to t, with the same password. */
static int
conn_is_for(const struct conn *c, const struct redisconn_target *t)
{
	if (c->url == NULL || strcmp(c->url, t->url) != 0)
		return 0;
	if (c->password == NULL || t->password == NULL)
		return c->password == t->password;
	return strcmp(c->password, t->password) == 0;
}

/* What is left until deadline_ms as a timeval; -1 when nothing is. */
static int
time_left(long deadline_ms, struct timeval *tv)
{
	long	 left = deadline_ms - clock_ms();

	if (left <= 0)
		return -1;
	tv->tv_sec = left / 1000;
	tv->tv_usec = left % 1000 * 1000;
	return 0;
}

/* During an outage, 1 for the one thread whose turn it is to try. */
static int
may_try(long now)
{
	long	 at;

	if (!atomic_load(&down))
		return 1;
	at = atomic_load(&retry_at);
	if (now < at)
		return 0;
	/* The others keep to the in-process table until its answer. */
	return atomic_compare_exchange_strong(&retry_at, &at,
	    now + atomic_load(&backoff_ms));
}

/* Words from Redis or hiredis for the log: printable, bounded. */
static void
detail_clean(char *out, size_t outlen, const char *s)
{
	size_t	 o = 0;

	for (; s != NULL && *s != '\0' && o + 1 < outlen; s++)
		out[o++] = (*s >= ' ' && *s < 0x7f) ? *s : '?';
	out[o] = '\0';
}

/* Count a failure, begin or extend the outage, log it once a minute. */
static void
failed(const char *where, const char *why, const char *detail)
{
	char	 words[DETAIL_MAX + 1];
	long	 now = clock_ms(), b, last;

	metrics_dedup_store_error();
	if (atomic_exchange(&down, 1) == 0) {
		atomic_store(&down_since, now);
		b = BACKOFF_FIRST_MS;
	} else if ((b = atomic_load(&backoff_ms) * 2) > BACKOFF_MAX_MS)
		b = BACKOFF_MAX_MS;
	atomic_store(&backoff_ms, b);
	atomic_store(&retry_at, now + b);
	last = atomic_load(&logged_at);
	if (now - last < LOG_EVERY_MS ||
	    !atomic_compare_exchange_strong(&logged_at, &last, now))
		return;
	detail_clean(words, sizeof(words), detail);
	log_warn("dedup store: Redis at %s: %s%s%s; CallSids go to each "
	    "process's own table until it answers (logged once a minute)",
	    where, why, *words != '\0' ? ": " : "", words);
}

static void
succeeded(const struct conn *c)
{
	if (atomic_load(&down) && atomic_exchange(&down, 0) == 1) {
		atomic_store(&backoff_ms, BACKOFF_FIRST_MS);
		log_info("dedup store: Redis at %s answers again after %ld ms",
		    c->where, clock_ms() - atomic_load(&down_since));
	}
}

/* Send the n commands at once, then read their n replies, by deadline. */
static int
pipeline(redisContext *ctx, long deadline_ms,
    const struct redisconn_command *cmd, size_t n, redisReply **reply,
    const char **errstr)
{
	struct timeval	 tv;
	size_t		 i;
	void		*r;

	for (i = 0; i < n; i++)
		reply[i] = NULL;
	if (time_left(deadline_ms, &tv) == -1) {
		*errstr = "no time left";
		return -1;
	}
	if (redisSetTimeout(ctx, tv) != REDIS_OK) {
		*errstr = "cannot set its timeout";
		return -1;
	}
	for (i = 0; i < n; i++)
		if (redisAppendCommandArgv(ctx, cmd[i].argc,
		    (const char **)cmd[i].argv, NULL) != REDIS_OK) {
			*errstr = "out of memory";
			return -1;
		}
	for (i = 0; i < n; i++) {
		if (redisGetReply(ctx, &r) != REDIS_OK || r == NULL) {
			redisconn_free_replies(reply, i);
			*errstr = ctx->err == REDIS_ERR_IO && (errno == EAGAIN ||
			    errno == EWOULDBLOCK) ? "timed out" : "no answer";
			return -1;
		}
		reply[i] = r;
	}
	return 0;
}

/* AUTH and SELECT on a new connection; never the password in errstr. */
static int
conn_hello(struct conn *c, const struct redisurl *u, const char *password,
    long deadline_ms, const char **errstr)
{
	struct redisconn_command	 cmd[2];
	redisReply			*reply[2];
	char				 db[16];
	size_t				 n = 0, i;
	int				 rc = 0;

	if (password != NULL) {
		cmd[n].argc = 2;
		cmd[n].argv[0] = "AUTH";
		cmd[n++].argv[1] = password;
	}
	if (u->db != 0) {
		snprintf(db, sizeof(db), "%d", u->db);
		cmd[n].argc = 2;
		cmd[n].argv[0] = "SELECT";
		cmd[n++].argv[1] = db;
	}
	if (n == 0)
		return 0;
	if (pipeline(c->ctx, deadline_ms, cmd, n, reply, errstr) == -1)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		if (!redisreply_ok(reply[i])) {
			/* Redis' own words may quote the AUTH argument. */
			*errstr = cmd[i].argv[0][0] == 'A' ? "AUTH refused" :
			    "SELECT refused";
			rc = -1;
		}
	redisconn_free_replies(reply, n);
	return rc;
}

static int
conn_open(struct conn *c, const struct redisconn_target *t, long deadline_ms,
    const char **errstr)
{
	struct redisurl	 u;
	struct timeval	 tv;
	const char	*password;
	int		 rc = -1;

	if (redisurl_parse(t->url, &u, errstr) == -1)
		return -1;	/* settings.c parsed it already */
	if (u.is_unix)
		snprintf(c->where, sizeof(c->where), "%s", u.path);
	else
		snprintf(c->where, sizeof(c->where), "%s%s%s:%d",
		    strchr(u.host, ':') != NULL ? "[" : "", u.host,
		    strchr(u.host, ':') != NULL ? "]" : "", u.port);
	if (time_left(deadline_ms, &tv) == -1) {
		*errstr = "no time left to connect";
		goto done;
	}
	c->ctx = u.is_unix ? redisConnectUnixWithTimeout(u.path, tv) :
	    redisConnectWithTimeout(u.host, u.port, tv);
	if (c->ctx == NULL || c->ctx->err != 0) {
		*errstr = c->ctx == NULL ? "out of memory" : "cannot connect";
		goto done;
	}
	if ((c->url = strdup(t->url)) == NULL || (t->password != NULL &&
	    (c->password = strdup(t->password)) == NULL)) {
		*errstr = "out of memory";
		goto done;
	}
	password = t->password != NULL ? t->password :
	    u.has_password ? u.password : NULL;
	rc = conn_hello(c, &u, password, deadline_ms, errstr);
done:
	explicit_bzero(u.password, sizeof(u.password));
	return rc;
}

/* 1 when a kept connection failed as one closed by Redis does. */
static int
conn_was_closed(const redisContext *ctx)
{
	return ctx != NULL && (ctx->err == REDIS_ERR_EOF ||
	    (ctx->err == REDIS_ERR_IO && (errno == EPIPE ||
	    errno == ECONNRESET)));
}

int
redisconn_exchange(const struct redisconn_target *t, long deadline_ms,
    const struct redisconn_command *cmd, size_t n, redisReply **reply,
    const char **errstr)
{
	struct conn	*c;
	char		 detail[sizeof(c->ctx->errstr)];
	int		 kept;

	atomic_store(&used, 1);
	if (!may_try(clock_ms())) {
		metrics_dedup_store_error();
		*errstr = "down, not tried again yet";
		return -1;
	}
	if ((c = conn_get()) == NULL) {
		failed("this process", "out of memory", NULL);
		*errstr = "out of memory";
		return -1;
	}
	if (c->ctx != NULL && !conn_is_for(c, t))
		conn_close(c);		/* SIGHUP brought another Redis */
	kept = c->ctx != NULL;
	if (!kept && conn_open(c, t, deadline_ms, errstr) == -1)
		goto fail;
	if (pipeline(c->ctx, deadline_ms, cmd, n, reply, errstr) == 0)
		goto done;
	/* Redis restarted since: every thread's kept connection is gone. */
	if (!kept || !conn_was_closed(c->ctx))
		goto fail;
	conn_close(c);
	if (conn_open(c, t, deadline_ms, errstr) == -1 ||
	    pipeline(c->ctx, deadline_ms, cmd, n, reply, errstr) == -1)
		goto fail;
done:
	succeeded(c);
	return 0;
fail:
	snprintf(detail, sizeof(detail), "%s", c->ctx != NULL &&
	    c->ctx->err != 0 ? c->ctx->errstr : "");
	failed(c->where, *errstr, detail);
	conn_close(c);
	return -1;
}

void
redisconn_free_replies(redisReply **reply, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (reply[i] != NULL)
			freeReplyObject(reply[i]);
		reply[i] = NULL;
	}
}

void
redisconn_broken(const char *why)
{
	struct conn	*c;

	if ((c = conn_get()) == NULL) {
		failed("this process", why, NULL);
		return;
	}
	failed(c->where, why, NULL);
	conn_close(c);
}

enum redisconn_health
redisconn_health(long *since_ms)
{
	*since_ms = atomic_load(&down_since);
	if (!atomic_load(&used))
		return REDISCONN_UNUSED;
	return atomic_load(&down) ? REDISCONN_DOWN : REDISCONN_UP;
}
