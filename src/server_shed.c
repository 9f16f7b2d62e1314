/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The shed threads. When every worker is busy and no more may start, a
 * few shed threads take the new connections instead and answer without
 * Synthflow. The web server keeps the connections they answered
 * (fastcgi_keep_conn and its upstream keepalive cache) and may send the
 * next request on one at any moment, so a shed thread never closes one
 * itself: a close would race with that request, which nginx then answers
 * 502. A served connection is parked instead, in one epoll set of at most
 * PARKED_MAX that the shed threads wait on together with the listening
 * socket (armed only while the pool is exhausted, one shot at a time, so
 * one thread accepts); whichever becomes readable is served by one of
 * them, shed while the pool is exhausted and through the full path while
 * it has room, and a parked connection the web server closed is closed
 * here too. So a shed thread is free again microseconds after its answer,
 * however many connections the web server keeps. Only when the set is
 * full does a connection wait SHED_LINGER_MS idle and close as before.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "live.h"
#include "log.h"
#include "request.h"
#include "server_conn.h"
#include "server_priv.h"
#include "call.h"

/* How long a connection that finds the parked set full may stay idle. */
#define SHED_LINGER_MS	10

static void	*shed(void *);

void
shed_recall(struct server *sv)
{
	int	 i;

	for (i = 0; i < sv->nsheds; i++)
		if (sv->sheds[i].waiting)
			pthread_kill(sv->sheds[i].thread, SIGUSR1);
}

void
shed_arm(struct server *sv)
{
	struct epoll_event	 ev;

	if (sv->epfd == -1 || sv->armed || !server_exhausted(sv))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.fd = sv->fd;
	if (epoll_ctl(sv->epfd, EPOLL_CTL_MOD, sv->fd, &ev) == 0)
		sv->armed = 1;
}

/*
 * With the lock held: start one more shed thread, when the last one
 * waiting took a connection or at start; -1 when none may or can start.
 */
static int
shed_spawn(struct server *sv)
{
	struct shed	*s = &sv->sheds[sv->nsheds];
	int		 rc;

	if (sv->nsheds >= SHED_THREADS_MAX || sv->stopping)
		return -1;
	s->sv = sv;
	if ((rc = pthread_create(&s->thread, &sv->attr, shed, s)) != 0) {
		log_error("cannot start shed thread %d: %s", sv->nsheds,
		    strerror(rc));
		return -1;
	}
	sv->nsheds++;
	return 0;
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
	if (server_exhausted(sv)) {
		me->waiting = 1;
		pthread_mutex_unlock(&sv->lock);
		pthread_sigmask(SIG_SETMASK, open, &shut);
		fd = server_conn_accept(sv->fd, -1);
		pthread_sigmask(SIG_SETMASK, &shut, NULL);
		pthread_mutex_lock(&sv->lock);
		me->waiting = 0;
		shed_arm(sv);
	}
	pthread_mutex_unlock(&sv->lock);
	return fd;
}

int
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

	while (!server_stopping(sv)) {
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
 * server_exhausted() here: a worker idle on a kept connection of its own cannot
 * take this one, and after an overload nginx may keep sending on parked
 * connections while every worker idles on its own.
 */
static void
shed_serve(struct server *sv, struct webhook *w, FCGX_Request *fcgi,
    long deadline)
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
	request_init_fcgi(&r, fcgi, deadline);
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
	long		 deadline;
	int		 fd, parked;

	if ((w = webhook_new(sv->dedup, sv->limit)) == NULL ||
	    FCGX_InitRequest(&fcgi, -1, 0) != 0) {
		log_error("shed thread: cannot create its webhook state "
		    "(memory or a libcurl handle) or FastCGI request");
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
			deadline = server_conn_deadline();
			if (server_conn_params(&fcgi, deadline) != 0)
				break;		/* the connection is closed */
			shed_serve(sv, w, &fcgi, deadline);
			if (fcgi.ipcFd < 0 ||
			    shed_park(sv, fcgi.ipcFd, parked) == 0)
				break;
			/* The set is full: linger, then close. */
			if (server_peek(fcgi.ipcFd, SHED_LINGER_MS) != 1) {
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

void
shed_start(struct server *sv)
{
	struct epoll_event	 ev;
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
	while (sv->nsheds < SHED_THREADS && shed_spawn(sv) == 0)
		;
	pthread_mutex_unlock(&sv->lock);
}

void
shed_wake_all(struct server *sv)
{
	int	 i;

	for (i = 0; i < sv->nsheds; i++)
		pthread_kill(sv->sheds[i].thread, SIGUSR1);
}
