/*
 * FastCGI workers. Every worker blocks in FCGX_Accept_r on the shared
 * socket (the kernel hands each connection to one of them) and owns its
 * FCGX_Request and webhook state. When every worker is busy and no more
 * may start, a few shed threads take the new connections instead and
 * answer without Synthflow. The web server keeps the connections they
 * answered (fastcgi_keep_conn and its upstream keepalive cache) and may
 * send the next request on one at any moment, so a shed thread never
 * closes one itself: a close would race with that request, which nginx
 * then answers 502. A served connection is parked instead, in one epoll
 * set of at most PARKED_MAX that the shed threads wait on together with
 * the listening socket (armed only while the pool is exhausted, one shot
 * at a time, so one thread accepts); whichever becomes readable is served
 * by one of them, shed while the pool is exhausted and through the full
 * path while it has room, and a parked connection the web server closed
 * is closed here too. So a shed thread is free again microseconds after
 * its answer, however many connections the web server keeps. Only when
 * the set is full does a connection wait SHED_LINGER_MS idle and close
 * as before. Signals are taken by one thread with sigwait(), so no
 * handler runs inside libfcgi or libcurl.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "call.h"
#include "caller_limit.h"
#include "dedup.h"
#include "live.h"
#include "log.h"
#include "request.h"
#include "server.h"

/*
 * The queue of connections for --listen, capped by net.core.somaxconn
 * (4096 by default since Linux 5.4). The shed threads empty it at once
 * unless the machine's cores are saturated; then a deeper queue lets the
 * program answer a burst itself, a little late, where a full one fails
 * nginx's connect at once and nginx answers its fallback.
 */
#define LISTEN_BACKLOG	4096
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
 * calls that come at once, not the maximum.
 */
#define WORKERS_FIRST	4
/*
 * Threads that answer while the pool is exhausted, and serve the parked
 * connections: SHED_THREADS start, one more whenever none is left waiting,
 * up to SHED_THREADS_MAX. A shed answer takes microseconds; the full path
 * ties one up for a Synthflow exchange, so SHED_THREADS of them always
 * stay free to shed. With a fixed half of 16 for the full path, the
 * requests on more parked connections than that were shed in scenario B
 * (256 calls at once, 256 workers): each shed answer came back at once
 * and its caller's next request went on the same connection.
 */
#define SHED_THREADS		16
#define SHED_THREADS_MAX	64
/*
 * Connections of the web server parked between requests, at most, and at
 * most a quarter of the open files limit. nginx keeps its upstream
 * keepalive times its worker processes idle, but a connection is parked
 * as soon as it is answered, before a busy nginx has read the answer:
 * at 12 800 calls a second on two cores (scenario C10) more than 256 at
 * once.
 */
#define PARKED_MAX	4096
/* How long a connection that finds the parked set full may stay idle. */
#define SHED_LINGER_MS	10

struct worker {
	pthread_t		 thread;
	struct server		*sv;
	int			 busy;		/* serving a request */
	int			 counted;	/* in accepting, before its start */
};

struct shed {
	pthread_t		 thread;
	struct server		*sv;
	int			 waiting;	/* on the listening socket */
};

struct server {
	int			 fd;
	const char		*config;	/* read again on SIGHUP */
	struct dedup		*dedup;
	struct caller_limit	*limit;		/* SYNTHFLOW_CALLER_LIMIT's */
	pthread_mutex_t		 lock;
	pthread_cond_t		 idle;		/* busy dropped to 0 */
	struct shed		 sheds[SHED_THREADS_MAX];
	int			 nsheds;
	int			 shedidle;	/* of them in epoll_pwait() */
	int			 epfd;		/* listening socket, parked */
	int			 armed;		/* the socket is in the set */
	int			 nparked;
	int			 maxparked;
	int			 busy;		/* requests in flight */
	int			 shedding;	/* of them shed answers */
	int			 shedfull;	/* full path on shed threads */
	int			 accepting;	/* workers on the listening socket */
	int			 stopping;
	struct worker		*workers;
	int			 nworkers;	/* started */
	int			 maxworkers;
	pthread_attr_t		 attr;
};

static void	*worker(void *);
static void	*shed(void *);

/*
 * With the lock held: no worker waits on the listening socket and none
 * may start, so a new connection would wait in the queue.
 */
static int
exhausted(const struct server *sv)
{
	return sv->accepting == 0 && sv->nworkers >= sv->maxworkers &&
	    !sv->stopping;
}

/*
 * With the lock held: a worker waits on the socket again, so the shed
 * thread on the socket goes back to waiting for the pool to fill.
 */
static void
shed_recall(struct server *sv)
{
	int	 i;

	for (i = 0; i < sv->nsheds; i++)
		if (sv->sheds[i].waiting)
			pthread_kill(sv->sheds[i].thread, SIGUSR1);
}

/*
 * With the lock held: once the pool is exhausted, arm the listening
 * socket in the shed threads' set for one of them to accept.
 */
static void
shed_arm(struct server *sv)
{
	struct epoll_event	 ev;

	if (sv->epfd == -1 || sv->armed || !exhausted(sv))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.fd = sv->fd;
	if (epoll_ctl(sv->epfd, EPOLL_CTL_MOD, sv->fd, &ev) == 0)
		sv->armed = 1;
}

/*
 * With the lock held: the last shed thread waiting took a connection, so
 * start another one, if they may be more.
 */
static void
shed_spawn(struct server *sv)
{
	struct shed	*s = &sv->sheds[sv->nsheds];
	int		 rc;

	if (sv->nsheds >= SHED_THREADS_MAX || sv->stopping)
		return;
	s->sv = sv;
	if ((rc = pthread_create(&s->thread, &sv->attr, shed, s)) != 0) {
		log_error("cannot start shed thread %d: %s", sv->nsheds,
		    strerror(rc));
		return;
	}
	sv->nsheds++;
}

/* Start one more worker, with the lock held; -1 when it cannot. */
static int
spawn(struct server *sv)
{
	struct worker	*w = &sv->workers[sv->nworkers];

	w->sv = sv;
	w->counted = 1;		/* it will accept: count it already */
	if (pthread_create(&w->thread, &sv->attr, worker, w) != 0) {
		log_error("cannot start worker %d: %s", sv->nworkers,
		    strerror(errno));
		return -1;
	}
	sv->nworkers++;
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

/*
 * Wait up to timeout_ms (-1: for ever) for fd to become readable, and peek:
 * 1 for a byte of the next request, 0 for the peer's close, -1 for a
 * signal, a timeout or an error.
 */
static int
peek_next(int fd, int timeout_ms)
{
	struct pollfd	 pfd;
	char		 c;

	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout_ms) != 1)
		return -1;
	return (int)recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
}

/*
 * Wait for the web server's next request on a kept-alive connection; 1
 * when it closed the connection instead, so that the next wait is on the
 * listening socket and counts as such.
 */
static int
kept_closed(int fd)
{
	/* -1 is a signal: the caller looks at why. */
	return peek_next(fd, -1) == 0;
}

/* The wait is over: a fresh wait took a connection off the socket. */
static void
after_accept(struct worker *w, int fresh)
{
	struct server	*sv = w->sv;

	pthread_mutex_lock(&sv->lock);
	if (fresh && --sv->accepting == 0 && sv->nworkers < sv->maxworkers &&
	    !sv->stopping)
		spawn(sv);
	if (fresh)
		shed_arm(sv);
	pthread_mutex_unlock(&sv->lock);
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

static int
stopping(struct server *sv)
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
	int		 fresh, rc;

	/* Fail the accept on a signal: that is how SIGTERM wakes us. */
	if ((w = webhook_new(sv->dedup, sv->limit)) == NULL ||
	    FCGX_InitRequest(&fcgi, sv->fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_error("worker: out of memory");
		webhook_free(w);
		pthread_mutex_lock(&sv->lock);
		sv->accepting--;	/* it was counted when it started */
		shed_arm(sv);
		pthread_mutex_unlock(&sv->lock);
		return NULL;
	}
	for (;;) {
		if (fcgi.ipcFd >= 0) {
			before_wait(me, 0);
			if (kept_closed(fcgi.ipcFd))
				FCGX_Free(&fcgi, 1);
			if (stopping(sv))
				break;
		}
		/* No kept-alive connection: this one waits on the socket. */
		if ((fresh = fcgi.ipcFd < 0))
			before_wait(me, 1);
		rc = FCGX_Accept_r(&fcgi);
		after_accept(me, fresh);
		if (rc != 0) {
			if (stopping(sv))
				break;
			/* EMFILE and the like: wait, do not spin or die. */
			log_error("accept: %s", strerror(errno));
			usleep(100 * 1000);
			continue;
		}
		if (enter(me) == -1)
			break;		/* read after SIGTERM: not served */
		request_init_fcgi(&r, &fcgi);
		l = live_acquire();
		webhook_handle(w, &r, l);
		live_release(l);
		FCGX_Finish_r(&fcgi);
		if (leave(me) == -1)
			break;
	}
	FCGX_Free(&fcgi, 1);
	webhook_free(w);
	return NULL;
}

/*
 * Take the connection on the listening socket the set reported, while the
 * pool is still exhausted; -1 without one. SIGUSR1 is blocked in a shed
 * thread but while it waits in epoll_pwait() or accept(): a worker that
 * came free just now may take this connection first, and its recall then
 * interrupts the accept. The socket is armed again at once, so that the
 * next connection does not wait for this one's answer.
 */
static int
shed_accept(struct shed *me, const sigset_t *open)
{
	struct server	*sv = me->sv;
	sigset_t	 shut;
	int		 fd = -1;

	pthread_mutex_lock(&sv->lock);
	sv->armed = 0;
	if (exhausted(sv)) {
		me->waiting = 1;
		pthread_mutex_unlock(&sv->lock);
		pthread_sigmask(SIG_SETMASK, open, &shut);
		fd = accept4(sv->fd, NULL, NULL, SOCK_CLOEXEC);
		pthread_sigmask(SIG_SETMASK, &shut, NULL);
		if (fd == -1 && errno != EINTR && errno != EAGAIN &&
		    errno != ECONNABORTED) {
			log_error("shed accept: %s", strerror(errno));
			usleep(100 * 1000);	/* EMFILE: no spin */
		}
		pthread_mutex_lock(&sv->lock);
		me->waiting = 0;
		shed_arm(sv);
	}
	pthread_mutex_unlock(&sv->lock);
	return fd;
}

/*
 * Put a served connection the web server keeps into the set until its
 * next request or its close; -1 when the set is full (or epoll fails).
 * A connection from a parked slot is still registered, disarmed.
 */
static int
shed_park(struct server *sv, int fd, int registered)
{
	struct epoll_event	 ev;
	int			 rc = -1;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.fd = fd;
	pthread_mutex_lock(&sv->lock);
	if (sv->nparked < sv->maxparked && epoll_ctl(sv->epfd, registered ?
	    EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) == 0) {
		sv->nparked++;
		rc = 0;
	}
	pthread_mutex_unlock(&sv->lock);
	return rc;
}

/*
 * Wait in the set for a connection with a request to read: a new one
 * (*parked 0) or a parked one (*parked 1). A parked connection the web
 * server closed is closed and the wait goes on. -1 once the server is
 * stopping.
 */
static int
shed_wait(struct shed *me, const sigset_t *open, int *parked)
{
	struct server		*sv = me->sv;
	struct epoll_event	 ev;
	char			 c;
	int			 fd, n;

	while (!stopping(sv)) {
		__atomic_add_fetch(&sv->shedidle, 1, __ATOMIC_RELAXED);
		n = epoll_pwait(sv->epfd, &ev, 1, -1, open);
		if (__atomic_sub_fetch(&sv->shedidle, 1, __ATOMIC_RELAXED) ==
		    0 && n == 1) {
			pthread_mutex_lock(&sv->lock);
			shed_spawn(sv);
			pthread_mutex_unlock(&sv->lock);
		}
		/* EINTR: a recall, or the stop. */
		if (n != 1)
			continue;
		if ((fd = ev.data.fd) == sv->fd) {
			if ((fd = shed_accept(me, open)) == -1)
				continue;
			*parked = 0;
			return fd;
		}
		pthread_mutex_lock(&sv->lock);
		sv->nparked--;
		pthread_mutex_unlock(&sv->lock);
		switch (recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT)) {
		case 1:
			*parked = 1;
			return fd;
		case 0:
			close(fd);	/* the web server closed it */
			break;
		default:
			if (errno == EAGAIN && shed_park(sv, fd, 1) == 0)
				break;	/* woken for nothing */
			close(fd);
			break;
		}
	}
	return -1;
}

/*
 * One request on a shed thread's connection: as a worker would while the
 * requests on the full path stay below SYNTHFLOW_THREADS (so the
 * registrations at once never exceed it), else without Synthflow. Not
 * exhausted() here: a worker idle on a kept connection of its own cannot
 * take this one, and after an overload nginx may keep sending on parked
 * connections while every worker idles on its own.
 */
static void
shed_serve(struct server *sv, struct webhook *w, FCGX_Request *fcgi)
{
	struct request	 r;
	struct live	*l;
	int		 shed;

	pthread_mutex_lock(&sv->lock);
	shed = sv->stopping || sv->busy - sv->shedding >= sv->maxworkers ||
	    sv->shedfull >= SHED_THREADS_MAX - SHED_THREADS;
	sv->busy++;	/* the drain on SIGTERM waits for it */
	sv->shedding += shed;
	sv->shedfull += !shed;
	pthread_mutex_unlock(&sv->lock);
	request_init_fcgi(&r, fcgi);
	l = live_acquire();
	if (shed)
		webhook_shed(w, &r, l);
	else
		webhook_handle(w, &r, l);
	live_release(l);
	FCGX_Finish_r(fcgi);
	pthread_mutex_lock(&sv->lock);
	sv->shedding -= shed;
	sv->shedfull -= !shed;
	if (--sv->busy == 0)
		pthread_cond_broadcast(&sv->idle);
	pthread_mutex_unlock(&sv->lock);
}

/*
 * A shed thread: serves the connections the set reports, then parks the
 * ones the web server keeps. The requests are read with SIGUSR1 blocked:
 * a recall must not cut a read off (libfcgi would drop the connection
 * unanswered). A connection taken is served even after SIGTERM rather
 * than closed unanswered. Its FCGX_Request has no listening socket, so
 * that libfcgi, when a connection breaks, fails instead of accepting.
 */
static void *
shed(void *arg)
{
	struct shed	*me = arg;
	struct server	*sv = me->sv;
	struct webhook	*w;
	FCGX_Request	 fcgi;
	sigset_t	 usr1, open;
	int		 fd, parked;

	if ((w = webhook_new(sv->dedup, sv->limit)) == NULL ||
	    FCGX_InitRequest(&fcgi, -1, 0) != 0) {
		log_error("shed thread: out of memory");
		webhook_free(w);
		return NULL;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, &open);
	sigdelset(&open, SIGUSR1);
	while ((fd = shed_wait(me, &open, &parked)) != -1) {
		/* libfcgi reads the requests on the connection given. */
		fcgi.ipcFd = fd;
		for (;;) {
			fcgi.keepConnection = 1;
			if (FCGX_Accept_r(&fcgi) != 0)
				break;		/* it closed the connection */
			shed_serve(sv, w, &fcgi);
			if (fcgi.ipcFd < 0 ||
			    shed_park(sv, fcgi.ipcFd, parked) == 0)
				break;
			/* The set is full: linger, then close. */
			if (peek_next(fcgi.ipcFd, SHED_LINGER_MS) != 1) {
				FCGX_Free(&fcgi, 1);
				break;
			}
		}
		fcgi.ipcFd = -1;
	}
	FCGX_Free(&fcgi, 1);
	webhook_free(w);
	return NULL;
}

/* Start the shed threads; the server runs without them if it must. */
static void
start_sheds(struct server *sv)
{
	struct epoll_event	 ev;
	struct shed		*s;
	int			 epfd;

	/* The listening socket is in the set from the start, disarmed. */
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLONESHOT;
	ev.data.fd = sv->fd;
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, sv->fd, &ev) == -1) {
		log_error("cannot start the shed threads: epoll: %s",
		    strerror(errno));
		if (epfd != -1)
			close(epfd);
		return;
	}
	pthread_mutex_lock(&sv->lock);
	sv->epfd = epfd;
	shed_arm(sv);
	while (sv->nsheds < SHED_THREADS) {
		s = &sv->sheds[sv->nsheds];
		s->sv = sv;
		if (pthread_create(&s->thread, &sv->attr, shed, s) != 0) {
			log_error("cannot start shed thread: %s",
			    strerror(errno));
			break;
		}
		sv->nsheds++;
	}
	pthread_mutex_unlock(&sv->lock);
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

static int
start_workers(struct server *sv, int nthreads)
{
	int	 first = nthreads < WORKERS_FIRST ? nthreads : WORKERS_FIRST;

	if ((sv->workers = calloc((size_t)nthreads, sizeof(*sv->workers))) ==
	    NULL)
		return 0;
	sv->maxworkers = nthreads;
	pthread_attr_init(&sv->attr);
	pthread_attr_setdetachstate(&sv->attr, PTHREAD_CREATE_DETACHED);
	/* Workers need little stack; keep many of them cheap. */
	pthread_attr_setstacksize(&sv->attr, 256 * 1024);
	pthread_mutex_lock(&sv->lock);
	while (sv->nworkers < first && spawn(sv) == 0)
		;
	pthread_mutex_unlock(&sv->lock);
	return sv->nworkers;
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
	for (i = 0; i < sv->nworkers; i++)
		if (!sv->workers[i].busy)
			pthread_kill(sv->workers[i].thread, SIGUSR1);
	/* Each shed thread sees it in epoll_pwait(), now or once served. */
	for (i = 0; i < sv->nsheds; i++)
		pthread_kill(sv->sheds[i].thread, SIGUSR1);
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
	sigset_t		 set;
	const char		*errstr;

	memset(&sv, 0, sizeof(sv));
	sv.fd = fd;
	sv.config = config;
	pthread_mutex_init(&sv.lock, NULL);
	pthread_cond_init(&sv.idle, NULL);
	sv.epfd = -1;
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
		log_error("out of memory");
		return 1;
	}
	if ((sv.limit = caller_limit_new(CALLER_SLOTS, &errstr)) == NULL) {
		log_error("caller table: %s", errstr);
		return 1;
	}
	if (FCGX_Init() != 0 || start_workers(&sv, nthreads) == 0) {
		log_error("cannot start the FastCGI workers");
		return 1;
	}
	start_sheds(&sv);
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
	log_info("stopped; %d workers had started", sv.nworkers);
	/* Idle workers may sit in a read on a kept-alive connection. */
	return 0;
}

static int
listen_unix(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_error("%s: socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	/* Replace a stale socket, never any other file. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, LISTEN_BACKLOG) == -1)
		goto fail;
	return fd;
fail:
	log_error("%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	return -1;
}

static int
listen_inet(const char *addr)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256], *colon;
	int		 fd = -1, on = 1, rc;

	if (strlen(addr) >= sizeof(host) ||
	    (colon = strrchr(strcpy(host, addr), ':')) == NULL) {
		log_error("%s: expected unix:PATH or HOST:PORT", addr);
		return -1;
	}
	*colon = '\0';
	if (host[0] == '[' && colon[-1] == ']') {	/* [::1]:9000 */
		colon[-1] = '\0';
		memmove(host, host + 1, strlen(host));
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints,
	    &res)) != 0) {
		log_error("%s: %s", addr, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, LISTEN_BACKLOG) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		log_error("%s: %s", addr, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

int
server_listen(const char *addr)
{
	if (strncmp(addr, "unix:", 5) == 0)
		return listen_unix(addr + 5);
	return listen_inet(addr);
}

static int
is_listening(int fd)
{
	int		 on = 0;
	socklen_t	 len = sizeof(on);

	return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 &&
	    on;
}

int
server_inherited_socket(void)
{
	const char	*pid = getenv("LISTEN_PID");
	const char	*fds = getenv("LISTEN_FDS");

	/* systemd socket activation hands the socket over as fd 3. */
	if (pid != NULL && fds != NULL && strtol(pid, NULL, 10) ==
	    (long)getpid() && strtol(fds, NULL, 10) >= 1 && is_listening(3)) {
		/* Not for any child; and not across an exec. */
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		fcntl(3, F_SETFD, FD_CLOEXEC);
		return 3;
	}
	if (is_listening(STDIN_FILENO))
		return STDIN_FILENO;
	return -1;
}
