/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * What the FastCGI pool (server.c) and its shed threads (server_shed.c)
 * share: the server's state, one lock over it, and the few functions one
 * calls in the other. Not for the rest of the program, which sees
 * server.h only.
 */
#ifndef SERVER_PRIV_H
#define SERVER_PRIV_H

#include <pthread.h>

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

struct worker {
	pthread_t		 thread;
	struct server		*sv;
	int			 busy;		/* serving a request */
	int			 counted;	/* in accepting, before its start */
	int			 running;	/* the slot holds a thread */
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
	int			 nworkers;	/* running */
	int			 nstarted;	/* since the start */
	int			 maxworkers;
	pthread_attr_t		 attr;
};

/*
 * With the lock held: 1 when no worker waits on the listening socket and
 * none may start, so that a new connection would wait in the queue.
 */
int	server_exhausted(const struct server *);
/* 1 once SIGTERM or SIGINT came; takes the lock. */
int	server_stopping(struct server *);
/*
 * Wait up to timeout_ms (-1: for ever) for fd to become readable, and peek:
 * 1 for a byte of the next request, 0 for the peer's close, -1 for a
 * signal, a timeout or an error.
 */
int	server_peek(int fd, int timeout_ms);

/* Start the shed threads; the server runs without them if it must. */
void	shed_start(struct server *);
/*
 * With the lock held: once the pool is exhausted, arm the listening
 * socket in the shed threads' set for one of them to accept.
 */
void	shed_arm(struct server *);
/*
 * With the lock held: a worker waits on the socket again, so the shed
 * thread on the socket goes back to waiting for the pool to fill.
 */
void	shed_recall(struct server *);
/*
 * Put a served connection the web server keeps into the set until its
 * next request or its close, without the lock (it takes it); -1 when the
 * set is full (or epoll fails). A connection from a parked slot is still
 * registered, disarmed; a worker's is not.
 */
int	shed_park(struct server *, int fd, int registered);
/* With the lock held: wake every shed thread, so that each sees the stop. */
void	shed_wake_all(struct server *);

#endif
