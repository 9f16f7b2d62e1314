/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Open-loop load for scenario C of bench/run.sh: new calls arrive at a fixed
 * rate whatever the server does, as Twilio's do, each on its own connection
 * ("Connection: close"), and a caller gives up after a timeout (Twilio waits
 * 15 s), closing its connection. wrk cannot do this: it sends the next
 * request only when the previous one is answered, so it never overloads.
 *
 *	openloop -p port -r rate -d seconds -t timeout -f requests-file
 *	    [-s sources]
 *
 * The requests file holds complete HTTP requests separated by NUL bytes;
 * they are sent in turn. Prints one line of key=value counts: sent,
 * registered (200 with a <Sip> dial carrying a call id, X-EI=S.), direct
 * (200 with another X-EI, the program's direct dial), front (200 with a
 * <Sip> dial without X-EI: the web server's own fallback), fallback
 * (other 200), say (200 with a <Say>), status_4xx, status_5xx, timeout
 * (caller gave up), error (connect/read failures: error_connect, the
 * connects refused at once, the most frequent errno of them in
 * connect_errno; error_io, the connections reset or closed without an
 * answer); the p50/p99 latency in ms of every 200 (p50_ms, p99_ms) and of
 * each kind of answer (registered_p50_ms and so on). With -s N the
 * connections come from N source addresses, 127.0.0.2 and up, in turn: one
 * address has about 28 000 ephemeral ports, fewer than 10 s of calls at
 * C10. Its open files limit (nofile) is raised as far as it may be.
 * Loopback only; stops by itself at seconds + timeout + 1 at the
 * latest.
 */
#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXREQ	256
#define RBUF	4096

struct conn {
	int		 fd;
	int		 req;		/* index into reqs */
	size_t		 sent;
	int		 connected;
	double		 t0;
	char		 buf[RBUF];
	size_t		 len;
	struct conn	*prev, *next;	/* open connections, oldest first */
};

static char	*reqs[MAXREQ];
static size_t	 reqlen[MAXREQ];
static int	 nreqs;
static struct conn *head, *tail;
/* The kinds of answer, each with its latencies. */
enum kind { K_REGISTERED, K_DIRECT, K_FRONT, K_FALLBACK, K_4XX, K_5XX,
    K_ALL, K_N };
static const char *const kind_name[K_N] = { "registered", "direct", "front",
    "fallback", "status_4xx", "status_5xx", "" };

static long	 n_sent, n_say, n_timeout, n_err, n_err_connect;
static long	 n_errno[256];	/* connect failures by errno */
static int	 nsources = 1;
static double	*lat[K_N];
static long	 nlat[K_N], maxlat;

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
load(const char *path)
{
	struct stat	 st;
	char		*s, *p, *end;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1 ||
	    (s = malloc(st.st_size + 1)) == NULL ||
	    read(fd, s, st.st_size) != st.st_size) {
		perror(path);
		exit(2);
	}
	close(fd);
	s[st.st_size] = '\0';
	end = s + st.st_size;
	for (p = s; p < end && nreqs < MAXREQ; p += strlen(p) + 1) {
		if (*p == '\0')
			continue;
		reqs[nreqs] = p;
		reqlen[nreqs++] = strlen(p);
	}
	if (nreqs == 0) {
		fprintf(stderr, "%s: no request\n", path);
		exit(2);
	}
}

static void
unlink_conn(struct conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		tail = c->prev;
}

static void
finish(struct conn *c, int epfd)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	unlink_conn(c);
	free(c);
}

/* Classify a complete answer (the server closed the connection). */
static void
answered(struct conn *c, double t)
{
	int	 status = 0, k;

	c->buf[c->len < RBUF ? c->len : RBUF - 1] = '\0';
	if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1) {
		n_err++;
		return;
	}
	if (status == 200 && strstr(c->buf, "X-EI=S.") != NULL)
		k = K_REGISTERED;
	else if (status == 200 && strstr(c->buf, "X-EI=") != NULL)
		k = K_DIRECT;
	else if (status == 200 && strstr(c->buf, "<Sip>") != NULL)
		k = K_FRONT;
	else if (status == 200)
		k = K_FALLBACK;
	else if (status >= 500)
		k = K_5XX;
	else
		k = K_4XX;
	if (status == 200 && strstr(c->buf, "<Say>") != NULL)
		n_say++;
	if (nlat[k] < maxlat)
		lat[k][nlat[k]++] = (t - c->t0) * 1000.0;
	if (status == 200 && nlat[K_ALL] < maxlat)
		lat[K_ALL][nlat[K_ALL]++] = (t - c->t0) * 1000.0;
}

/* The q quantile of kind k's latencies, sorted; 0 without any. */
static double
quantile(int k, double q)
{
	return nlat[k] > 0 ? lat[k][(long)(nlat[k] * q)] : 0;
}

static void
start(int epfd, int port, double t)
{
	struct sockaddr_in	 sin;
	struct epoll_event	 ev;
	struct conn		*c;
	int			 fd, on = 1;

	n_sent++;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) == -1) {
		free(c);
		n_err++;
		n_err_connect++;
		n_errno[errno & 255]++;
		return;
	}
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (nsources > 1) {
		/* The port is chosen at connect, per destination. */
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on,
		    sizeof(on));
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1 +
		    n_sent % nsources);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			goto fail;
	}
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno != EINPROGRESS)
		goto fail;
	c->fd = fd;
	c->req = (int)(n_sent % nreqs);
	c->t0 = t;
	c->prev = tail;
	if (tail != NULL)
		tail->next = c;
	else
		head = c;
	tail = c;
	ev.events = EPOLLOUT | EPOLLIN;
	ev.data.ptr = c;
	epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
	return;
fail:
	n_errno[errno & 255]++;
	close(fd);
	free(c);
	n_err++;
	n_err_connect++;
}

static void
io(struct conn *c, uint32_t events, int epfd, double t)
{
	struct epoll_event	 ev;
	ssize_t			 n;
	char			 sink[RBUF];

	if (c->sent < reqlen[c->req]) {
		if ((events & (EPOLLERR | EPOLLHUP)) != 0) {
			n_err++;
			finish(c, epfd);
			return;
		}
		n = write(c->fd, reqs[c->req] + c->sent,
		    reqlen[c->req] - c->sent);
		if (n == -1 && errno != EAGAIN) {
			n_err++;
			finish(c, epfd);
			return;
		}
		if (n > 0)
			c->sent += n;
		if (c->sent == reqlen[c->req]) {
			ev.events = EPOLLIN;
			ev.data.ptr = c;
			epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
		}
		return;
	}
	for (;;) {
		if (c->len < RBUF - 1)
			n = read(c->fd, c->buf + c->len, RBUF - 1 - c->len);
		else
			n = read(c->fd, sink, sizeof(sink));
		if (n > 0) {
			if (c->len < RBUF - 1)
				c->len += n;
			continue;
		}
		if (n == 0) {
			answered(c, t);
			finish(c, epfd);
		} else if (errno != EAGAIN) {
			if (c->len > 0)
				answered(c, t);
			else
				n_err++;
			finish(c, epfd);
		}
		return;
	}
}

static int
cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char *argv[])
{
	struct epoll_event	 evs[256];
	struct rlimit		 rl;
	const char		*file = NULL;
	double			 rate = 100, dur = 10, timeout = 15, t0, t;
	long			 due;
	int			 ch, epfd, i, n, port = 0;

	while ((ch = getopt(argc, argv, "d:f:p:r:s:t:")) != -1) {
		switch (ch) {
		case 'd': dur = atof(optarg); break;
		case 'f': file = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'r': rate = atof(optarg); break;
		case 's': nsources = atoi(optarg); break;
		case 't': timeout = atof(optarg); break;
		default:
			goto usage;
		}
	}
	if (file == NULL || port <= 0 || rate <= 0 || dur <= 0 ||
	    timeout <= 0 || dur > 600 || timeout > 120 || nsources < 1 ||
	    nsources > 250) {
usage:
		fprintf(stderr, "usage: openloop -p port -r rate -d seconds "
		    "-t timeout -f requests-file [-s sources]\n");
		return 2;
	}
	load(file);
	/*
	 * Callers are not limited in descriptors: as root the hard limit
	 * rises too (up to fs.nr_open's default), else the soft one to it.
	 */
	rl.rlim_cur = rl.rlim_max = 1 << 20;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1 &&
	    getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		rl.rlim_cur = 0;
	maxlat = (long)(rate * dur) + 16;
	for (i = 0; i < K_N; i++)
		if ((lat[i] = calloc(maxlat, sizeof(*lat[i]))) == NULL)
			return 2;
	if ((epfd = epoll_create1(0)) == -1)
		return 2;
	t0 = now();
	for (;;) {
		t = now();
		due = t - t0 < dur ? (long)((t - t0) * rate) + 1 :
		    (long)(dur * rate);
		while (n_sent < due)
			start(epfd, port, t);
		/* Callers who waited too long hang up. */
		while (head != NULL && t - head->t0 > timeout) {
			n_timeout++;
			finish(head, epfd);
		}
		if (t - t0 >= dur && head == NULL)
			break;
		if (t - t0 > dur + timeout + 1)
			break;
		n = epoll_wait(epfd, evs, 256, 1);
		t = now();
		for (i = 0; i < n; i++)
			io(evs[i].data.ptr, evs[i].events, epfd, t);
	}
	printf("sent=%ld", n_sent);
	for (i = 0; i < K_N; i++) {
		qsort(lat[i], nlat[i], sizeof(*lat[i]), cmp);
		if (i != K_ALL)
			printf(" %s=%ld", kind_name[i], nlat[i]);
	}
	for (i = 1, ch = 0; i < 256; i++)
		if (n_errno[i] > n_errno[ch])
			ch = i;
	printf(" say=%ld timeout=%ld error=%ld error_connect=%ld "
	    "error_io=%ld connect_errno=%s", n_say, n_timeout, n_err,
	    n_err_connect, n_err - n_err_connect,
	    n_errno[ch] > 0 ? strerrorname_np(ch) : "none");
	for (i = 0; i < K_N; i++)
		printf(" %s%sp50_ms=%.1f %s%sp99_ms=%.1f", kind_name[i],
		    i == K_ALL ? "" : "_", quantile(i, 0.5), kind_name[i],
		    i == K_ALL ? "" : "_", quantile(i, 0.99));
	printf(" nofile=%llu seconds=%.1f\n", (unsigned long long)rl.rlim_cur,
	    now() - t0);
	return 0;
}
