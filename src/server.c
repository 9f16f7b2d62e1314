/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The FastCGI pool. Every worker waits for a connection on the shared
 * socket and accepts it (one of them gets each), reads its requests
 * under the read deadline (server_conn.c) and owns its FCGX_Request and
 * webhook state; workers start as the calls that come at once need them,
 * up to SYNTHFLOW_THREADS, and those above the first ones exit after
 * SYNTHFLOW_IDLE_SECONDS idle. When the pool is exhausted the shed threads
 * of server_shed.c answer instead. Signals are taken by one thread with
 * sigwait(), so no handler runs inside libfcgi or libcurl: SIGHUP reloads
 * the settings, SIGTERM and SIGINT drain the requests in flight.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>

#include "call.h"
#include "caller_limit.h"
#include "clock.h"
#include "dedup.h"
#include "live.h"
#include "log.h"
#include "request.h"
#include "server.h"
#include "server_conn.h"
#include "server_priv.h"
#include "settings.h"

/*
 * CallSids remembered for deduplication. Twilio retries within 15 s, so
 * this holds every call of that window up to 250 calls a second.
 */
#define DEDUP_SLOTS	4096
/*
 * Callers counted for SYNTHFLOW_CALLER_LIMIT, the size of the CallSid
 * table: 352 KiB, allocated once whether the limit is on or not.
 */
#define CALLER_SLOTS	4096
/*
 * Workers started at once; one more starts whenever no worker is left
 * waiting on the listening socket, up to SYNTHFLOW_THREADS. So the
 * workers, their connections to Synthflow and their memory follow the
 * calls that come at once, not the maximum; above these, a worker idle
 * for SYNTHFLOW_IDLE_SECONDS exits, so that they follow them down too.
 */
#define WORKERS_FIRST	4
/* The longest an idle worker waits before it reads its idle time again. */
#define IDLE_RECHECK_MS	60000

static void	*worker(void *);

int
server_exhausted(const struct server *sv)
{
	return sv->accepting == 0 && sv->nworkers >= sv->maxworkers &&
	    !sv->stopping;
}

/*
 * Start one more worker, with the lock held, in a slot no thread holds
 * (workers that exited left theirs); -1 when it cannot.
 */
static int
spawn(struct server *sv)
{
	struct worker	*w = sv->workers;
	int		 rc;

	while (w->running)
		w++;		/* nworkers < maxworkers: one is free */
	w->sv = sv;
	w->counted = 1;		/* it will accept: count it already */
	if ((rc = pthread_create(&w->thread, &sv->attr, worker, w)) != 0) {
		log_error("cannot start worker %d: %s", sv->nworkers,
		    strerror(rc));
		return -1;
	}
	w->running = 1;
	sv->nworkers++;
	sv->nstarted++;
	sv->accepting++;
	return 0;
}

/*
 * A worker is about to wait: on the listening socket (fresh), or on the
 * web server's kept-alive connection. A new connection needs a worker on
 * the listening socket; when none is left, start one.
 */
static void
before_wait(struct worker *w, int fresh)
{
	struct server	*sv = w->sv;

	pthread_mutex_lock(&sv->lock);
	if (fresh) {
		if (!w->counted && sv->accepting++ == 0 &&
		    sv->nworkers >= sv->maxworkers)
			shed_recall(sv);
		w->counted = 0;
	}
	if (sv->accepting == 0 && sv->nworkers < sv->maxworkers &&
	    !sv->stopping)
		spawn(sv);
	pthread_mutex_unlock(&sv->lock);
}

int
server_peek(int fd, int timeout_ms)
{
	struct pollfd	 pfd;
	char		 c;

	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	return (int)recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
}

/* The idle time a worker may wait before it exits, in ms; -1: for ever. */
static int
idle_ms(void)
{
	struct live	*l = live_acquire();
	long		 s = l->settings.num[S_IDLE_SECONDS];

	live_release(l);
	return s > 0 ? (int)(s * 1000) : -1;
}

/*
 * How long an idle worker waits now, in ms: what is left of its idle time
 * since idle_since, a minute at most, so that the idle time of a reload
 * counts within a minute for a worker that was waiting already.
 */
static int
idle_wait(long idle_since)
{
	int	 ms = idle_ms();
	long	 left = ms < 0 ? IDLE_RECHECK_MS : idle_since + ms - clock_ms();

	if (left > IDLE_RECHECK_MS)
		left = IDLE_RECHECK_MS;
	return left > 0 ? (int)left : 0;
}

/* 1 once a worker idle since idle_since has been for its idle time. */
static int
idle_over(long idle_since)
{
	int	 ms = idle_ms();

	return ms >= 0 && clock_ms() - idle_since >= ms;
}

/*
 * With the lock held: 1 when the worker may exit, as one above the first
 * ones, outside the drain, while another waits on the listening socket
 * (on_socket: this one is counted there too).
 */
static int
may_retire(const struct server *sv, int on_socket)
{
	return !sv->stopping && sv->nworkers > WORKERS_FIRST &&
	    sv->accepting - on_socket >= 1;
}

/*
 * With the lock held: the worker leaves the pool when it may. Its slot is
 * free once the lock is dropped: the thread must not touch it again.
 */
static int
retire(struct worker *w, int on_socket)
{
	struct server	*sv = w->sv;

	if (!may_retire(sv, on_socket))
		return 0;
	sv->nworkers--;
	sv->accepting -= on_socket;
	w->running = 0;
	return 1;
}

/* Take the lock and retire(); 1 when the worker left the pool. */
static int
retire_locked(struct worker *w, int on_socket)
{
	int	 gone;

	pthread_mutex_lock(&w->sv->lock);
	gone = retire(w, on_socket);
	pthread_mutex_unlock(&w->sv->lock);
	return gone;
}

/*
 * A worker idle on a kept-alive connection for its idle time hands the
 * connection to the shed threads' set (server_shed.c): the web server
 * may send its next request at any moment, and a close would race with
 * it. 1 once handed over, so that the worker may exit.
 */
static int
hand_over_kept(struct worker *w, int fd)
{
	struct server	*sv = w->sv;
	int		 may;

	pthread_mutex_lock(&sv->lock);
	may = may_retire(sv, 0);
	pthread_mutex_unlock(&sv->lock);
	return may && shed_park(sv, fd, 0) == 0;
}

enum kept { KEPT_REQUEST, KEPT_CLOSED, KEPT_HANDED };

/*
 * Block until the web server's next request on a kept-alive connection
 * (or a signal: the caller looks at why); KEPT_CLOSED when it closed the
 * connection instead, so that the next wait is on the listening socket
 * and counts as such, KEPT_HANDED when the worker stayed idle for its
 * time and the connection went to the shed threads.
 */
static enum kept
wait_kept_request(struct worker *w, int fd, long *idle_since)
{
	struct pollfd	 pfd;
	char		 c;
	int		 n;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while ((n = poll(&pfd, 1, idle_wait(*idle_since))) == 0) {
		if (!idle_over(*idle_since))
			continue;
		if (hand_over_kept(w, fd))
			return KEPT_HANDED;
		*idle_since = clock_ms();	/* stays: another period */
	}
	if (n == 1 && recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
		return KEPT_CLOSED;
	return KEPT_REQUEST;
}

/*
 * The wait on the socket is over: the worker no longer counts as waiting
 * there, even before the request is read, so that one stalled client
 * does not stand for a free worker.
 */
static void
after_accept(struct worker *w)
{
	struct server	*sv = w->sv;

	pthread_mutex_lock(&sv->lock);
	if (--sv->accepting == 0 && sv->nworkers < sv->maxworkers &&
	    !sv->stopping)
		spawn(sv);
	shed_arm(sv);
	pthread_mutex_unlock(&sv->lock);
}

/*
 * Wait on the listening socket for a connection: its fd, or -1; -1 with
 * *gone set when the worker stayed idle for its time and left the pool
 * (see retire()).
 */
static int
worker_accept(struct worker *w, long *idle_since, int *gone)
{
	int	 fd;

	before_wait(w, 1);
	while ((fd = server_conn_accept(w->sv->fd, idle_wait(*idle_since))) ==
	    -1 && errno == ETIMEDOUT) {
		if (!idle_over(*idle_since))
			continue;
		if ((*gone = retire_locked(w, 1)) != 0)
			return -1;
		*idle_since = clock_ms();	/* stays: another period */
	}
	after_accept(w);
	return fd;
}

/* Mark a worker busy; -1 once the server is stopping. */
static int
enter(struct worker *w)
{
	struct server	*sv = w->sv;
	int		 stopping;

	pthread_mutex_lock(&sv->lock);
	if ((stopping = sv->stopping) == 0) {
		w->busy = 1;
		sv->busy++;
	}
	pthread_mutex_unlock(&sv->lock);
	return stopping ? -1 : 0;
}

/* Mark a worker idle again; -1 when it should stop. */
static int
leave(struct worker *w)
{
	struct server	*sv = w->sv;
	int		 stopping;

	pthread_mutex_lock(&sv->lock);
	w->busy = 0;
	if (--sv->busy == 0)
		pthread_cond_broadcast(&sv->idle);
	stopping = sv->stopping;
	pthread_mutex_unlock(&sv->lock);
	return stopping ? -1 : 0;
}

int
server_stopping(struct server *sv)
{
	int	 stop;

	pthread_mutex_lock(&sv->lock);
	stop = sv->stopping;
	pthread_mutex_unlock(&sv->lock);
	return stop;
}

static void *
worker(void *arg)
{
	struct worker	*me = arg;
	struct server	*sv = me->sv;
	struct webhook	*w;
	struct request	 r;
	struct live	*l;
	FCGX_Request	 fcgi;
	long		 deadline, idle_since = clock_ms();
	int		 gone = 0;

	/* No listening socket for libfcgi: the worker accepts itself. */
	if ((w = webhook_new(sv->dedup, sv->limit)) == NULL ||
	    FCGX_InitRequest(&fcgi, -1, 0) != 0) {
		log_error("worker: cannot create its webhook state "
		    "(memory or a libcurl handle) or FastCGI request");
		webhook_free(w);
		pthread_mutex_lock(&sv->lock);
		sv->accepting--;	/* it was counted when it started */
		sv->nworkers--;
		me->running = 0;
		shed_arm(sv);
		pthread_mutex_unlock(&sv->lock);
		return NULL;
	}
	for (;;) {
		if (fcgi.ipcFd >= 0) {
			before_wait(me, 0);
			switch (wait_kept_request(me, fcgi.ipcFd, &idle_since)) {
			case KEPT_CLOSED:
				FCGX_Free(&fcgi, 1);
				break;
			case KEPT_HANDED:
				fcgi.ipcFd = -1;	/* the shed threads' now */
				gone = retire_locked(me, 0);
				break;
			case KEPT_REQUEST:
				break;
			}
			if (gone || server_stopping(sv))
				break;
		}
		/* No kept-alive connection: this one waits on the socket. */
		if (fcgi.ipcFd < 0 &&
		    (fcgi.ipcFd = worker_accept(me, &idle_since, &gone)) ==
		    -1) {
			if (gone || server_stopping(sv))
				break;
			continue;
		}
		deadline = server_conn_deadline();
		if (server_conn_params(&fcgi, deadline) == -1) {
			if (server_stopping(sv))
				break;
			continue;	/* closed: wait on the socket */
		}
		if (enter(me) == -1)
			break;		/* read after SIGTERM: not served */
		request_init_fcgi(&r, &fcgi, deadline);
		l = live_acquire();
		webhook_handle(w, &r, l);
		live_release(l);
		FCGX_Finish_r(&fcgi);
		if (leave(me) == -1)
			break;
		idle_since = clock_ms();
	}
	FCGX_Free(&fcgi, 1);
	webhook_free(w);
	/* What it held goes back to the system, not to an arena's slack. */
	if (gone)
		malloc_trim(0);
	return NULL;
}

/* Only interrupts a blocked accept() or read() of an idle worker. */
static void
on_wake(int sig)
{
	(void)sig;
}

/* Wait for SIGTERM or SIGINT, reloading the settings on SIGHUP. */
static void
wait_for_stop(const char *config)
{
	sigset_t	 set;
	int		 sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig != SIGHUP)
			return;
		live_reload(config);
	}
}

/* Start the first workers; -1 with errstr when none could start. */
static int
start_workers(struct server *sv, int nthreads, const char **errstr)
{
	int	 first = nthreads < WORKERS_FIRST ? nthreads : WORKERS_FIRST;

	if ((sv->workers = calloc((size_t)nthreads, sizeof(*sv->workers))) ==
	    NULL) {
		*errstr = "out of memory";
		return -1;
	}
	sv->maxworkers = nthreads;
	pthread_attr_init(&sv->attr);
	pthread_attr_setdetachstate(&sv->attr, PTHREAD_CREATE_DETACHED);
	/* Workers need little stack; keep many of them cheap. */
	pthread_attr_setstacksize(&sv->attr, 256 * 1024);
	pthread_mutex_lock(&sv->lock);
	while (sv->nworkers < first && spawn(sv) == 0)
		;
	pthread_mutex_unlock(&sv->lock);
	if (sv->nworkers == 0) {
		*errstr = "no worker thread started";
		return -1;
	}
	return 0;
}

/*
 * Wake the idle workers so that they stop. The socket itself is left
 * alone: when systemd or a spawner shares it, connections that queue now
 * are for the next process.
 */
static void
wake_idle(struct server *sv)
{
	int	 i;

	FCGX_ShutdownPending();
	pthread_mutex_lock(&sv->lock);
	for (i = 0; i < sv->maxworkers; i++)
		if (sv->workers[i].running && !sv->workers[i].busy)
			pthread_kill(sv->workers[i].thread, SIGUSR1);
	/* Each shed thread sees it in epoll_pwait(), now or once served. */
	shed_wake_all(sv);
	pthread_mutex_unlock(&sv->lock);
}

int
server_run(int fd, int nthreads, const char *config)
{
	/*
	 * Not on the stack: workers idle on kept-alive connections outlive
	 * this function, and so do their pointers to it and its dedup table.
	 */
	static struct server	 sv;
	struct sigaction	 sa;
	struct rlimit		 rl;
	struct timeval		 wake = { ACCEPT_WAKE_MS / 1000,
	    ACCEPT_WAKE_MS % 1000 * 1000 };
	sigset_t		 set;
	const char		*errstr;

	memset(&sv, 0, sizeof(sv));
	sv.fd = fd;
	sv.config = config;
	pthread_mutex_init(&sv.lock, NULL);
	pthread_cond_init(&sv.idle, NULL);
	sv.epfd = -1;
	/*
	 * Blocking accept wakes one worker per connection (poll would wake
	 * them all); a receive timeout lets an idle worker's wait end.
	 */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wake, sizeof(wake)) == -1)
		log_error("listening socket: SO_RCVTIMEO: %s", strerror(errno));
	/*
	 * Every connection the web server keeps is a descriptor, and so is
	 * every worker's to Synthflow: take the hard limit, as nginx's
	 * worker_rlimit_nofile would (systemd's soft default is 1024).
	 */
	rl.rlim_cur = rl.rlim_max = 1024;	/* if getrlimit fails */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	sv.maxparked = rl.rlim_cur / 4 < PARKED_MAX ? (int)(rl.rlim_cur / 4) :
	    PARKED_MAX;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* workers inherit it */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_wake;	/* no SA_RESTART: the call fails */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/*
	 * glibc gives threads up to 8 arenas a core, each with slack of its
	 * own; for many workers doing little allocation two are plenty.
	 */
	mallopt(M_ARENA_MAX, 2);
	if ((sv.dedup = dedup_new(DEDUP_SLOTS)) == NULL) {
		log_error("cannot create the deduplication table");
		return 1;
	}
	if ((sv.limit = caller_limit_new(CALLER_SLOTS, &errstr)) == NULL) {
		log_error("caller table: %s", errstr);
		return 1;
	}
	if (FCGX_Init() != 0) {
		log_error("libfcgi initialisation failed");
		return 1;
	}
	if (start_workers(&sv, nthreads, &errstr) == -1) {
		log_error("cannot start the FastCGI workers: %s", errstr);
		return 1;
	}
	shed_start(&sv);
	log_info("serving FastCGI with up to %d workers", nthreads);
	wait_for_stop(config);

	pthread_mutex_lock(&sv.lock);
	sv.stopping = 1;
	pthread_mutex_unlock(&sv.lock);
	log_info("stopping: finishing %d requests in flight", sv.busy);
	wake_idle(&sv);
	pthread_mutex_lock(&sv.lock);
	while (sv.busy > 0)
		pthread_cond_wait(&sv.idle, &sv.lock);
	pthread_mutex_unlock(&sv.lock);
	log_info("stopped; %d workers had started", sv.nstarted);
	/* Idle workers may sit in a read on a kept-alive connection. */
	return 0;
}
