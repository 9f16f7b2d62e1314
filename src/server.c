/*
 * FastCGI workers. Every worker blocks in FCGX_Accept_r on the shared
 * socket (the kernel hands each connection to one of them) and owns its
 * FCGX_Request and webhook state. Signals are taken by one thread with
 * sigwait(), so no handler runs inside libfcgi or libcurl.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "log.h"
#include "request.h"
#include "server.h"
#include "webhook.h"

#define LISTEN_BACKLOG	1024

struct server {
	int			 fd;
	const struct settings	*base;
	pthread_mutex_t		 lock;
	pthread_cond_t		 idle;		/* busy dropped to 0 */
	int			 busy;		/* requests in flight */
	int			 stopping;
	int			 running;	/* workers still looping */
};

/* Count a request in; 0 when the server is still taking requests. */
static int
enter(struct server *sv)
{
	int	 stopping;

	pthread_mutex_lock(&sv->lock);
	if ((stopping = sv->stopping) == 0)
		sv->busy++;
	pthread_mutex_unlock(&sv->lock);
	return stopping ? -1 : 0;
}

static void
leave(struct server *sv)
{
	pthread_mutex_lock(&sv->lock);
	if (--sv->busy == 0)
		pthread_cond_broadcast(&sv->idle);
	pthread_mutex_unlock(&sv->lock);
}

static void
worker_exit(struct server *sv)
{
	pthread_mutex_lock(&sv->lock);
	sv->running--;
	pthread_cond_broadcast(&sv->idle);
	pthread_mutex_unlock(&sv->lock);
}

static void *
worker(void *arg)
{
	struct server	*sv = arg;
	struct webhook	*w;
	struct request	 r;
	FCGX_Request	 fcgi;

	if ((w = webhook_new()) == NULL ||
	    FCGX_InitRequest(&fcgi, sv->fd, 0) != 0) {
		log_error("worker: out of memory");
		webhook_free(w);
		worker_exit(sv);
		return NULL;
	}
	while (FCGX_Accept_r(&fcgi) == 0) {
		/* A request read after SIGTERM is not served. */
		if (enter(sv) == -1)
			break;
		request_init_fcgi(&r, &fcgi);
		webhook_handle(w, &r, sv->base);
		FCGX_Finish_r(&fcgi);
		leave(sv);
	}
	FCGX_Free(&fcgi, 1);
	webhook_free(w);
	worker_exit(sv);
	return NULL;
}

/* Wait for SIGTERM or SIGINT; SIGHUP is logged and otherwise ignored. */
static void
wait_for_stop(void)
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
		log_info("SIGHUP: nothing to reload");
	}
}

static int
start_workers(struct server *sv, int nthreads)
{
	pthread_attr_t	 attr;
	pthread_t	 t;
	int		 i, started = 0;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* Workers need little stack; keep many of them cheap. */
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (i = 0; i < nthreads; i++) {
		pthread_mutex_lock(&sv->lock);
		sv->running++;
		pthread_mutex_unlock(&sv->lock);
		if (pthread_create(&t, &attr, worker, sv) != 0) {
			worker_exit(sv);
			log_error("cannot start worker %d: %s", i,
			    strerror(errno));
			break;
		}
		started++;
	}
	pthread_attr_destroy(&attr);
	return started;
}

int
server_run(int fd, int nthreads, const struct settings *base)
{
	struct server	 sv;
	sigset_t	 set;

	memset(&sv, 0, sizeof(sv));
	sv.fd = fd;
	sv.base = base;
	pthread_mutex_init(&sv.lock, NULL);
	pthread_cond_init(&sv.idle, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* workers inherit it */
	if (FCGX_Init() != 0 || start_workers(&sv, nthreads) == 0) {
		log_error("cannot start the FastCGI workers");
		return 1;
	}
	log_info("serving FastCGI with %d workers", nthreads);
	wait_for_stop();

	pthread_mutex_lock(&sv.lock);
	sv.stopping = 1;
	pthread_mutex_unlock(&sv.lock);
	log_info("stopping: finishing %d requests in flight", sv.busy);
	/* Wake the workers blocked in accept(). */
	FCGX_ShutdownPending();
	shutdown(fd, SHUT_RDWR);
	pthread_mutex_lock(&sv.lock);
	while (sv.busy > 0)
		pthread_cond_wait(&sv.idle, &sv.lock);
	pthread_mutex_unlock(&sv.lock);
	log_info("stopped");
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
	if (pid != NULL && fds != NULL && atol(pid) == (long)getpid() &&
	    atoi(fds) >= 1 && is_listening(3))
		return 3;
	if (is_listening(STDIN_FILENO))
		return STDIN_FILENO;
	return -1;
}
