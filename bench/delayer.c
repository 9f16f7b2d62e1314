/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * A fixed network delay for bench/run.sh's scenario L where the kernel has
 * no netem: an iptables NFQUEUE rule hands the chosen packets to this
 * program, which holds each for the delay given and then lets it go
 * (NF_ACCEPT). Packets are kept as ids in arrival order with their due
 * times: one delay for all means the queue's head is always due first, and
 * since packet ids grow in arrival order one batch verdict releases every
 * due packet at once. The queue is bounded: a packet that finds it full
 * passes at once, undelayed, and is counted; the kernel queue fails open
 * too. SIGTERM releases what is held, prints the counts and exits.
 *
 * Usage: delayer -d MS [-q QUEUE] [-n MAXHELD] [-r READYFILE]
 * Build: cc -O2 -o delayer delayer.c -lnetfilter_queue
 */
#define _GNU_SOURCE
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

#define HELD_DEFAULT	65536
#define HELD_MAX	(1 << 20)
#define KERNEL_QUEUE	16384		/* the kernel's own queue length */
#define RCVBUF		(16 << 20)	/* room for bursts of queue messages */

struct held {
	uint32_t	 id;
	uint64_t	 due_ns;
};

struct delayer {
	struct nfq_q_handle *qh;
	struct held	*ring;
	size_t		 cap, head, len;
	uint64_t	 delay_ns;
	unsigned long long packets, passed, deepest;
};

static volatile sig_atomic_t stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static long
number(const char *s, long min, long max, const char *what)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < min || n > max)
		errx(1, "%s must be a number from %ld to %ld: %s", what, min,
		    max, s);
	return n;
}

/* A queued packet: held until due, or let through at once when full. */
static int
on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa,
    void *arg)
{
	struct delayer			*d = arg;
	struct nfqnl_msg_packet_hdr	*ph;
	struct held			*h;
	uint32_t			 id;

	(void)msg;
	if ((ph = nfq_get_msg_packet_hdr(nfa)) == NULL)
		return 0;
	id = ntohl(ph->packet_id);
	d->packets++;
	if (d->len == d->cap) {
		d->passed++;
		return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL) < 0 ? -1 : 0;
	}
	h = &d->ring[(d->head + d->len) % d->cap];
	h->id = id;
	h->due_ns = now_ns() + d->delay_ns;
	if (++d->len > d->deepest)
		d->deepest = d->len;
	return 0;
}

/*
 * Release every held packet due by now (all of them when everything goes):
 * one batch verdict for the newest, which covers the older ids.
 */
static void
release(struct delayer *d, int everything)
{
	uint64_t	 now = now_ns();
	uint32_t	 last = 0;
	int		 any = 0;

	while (d->len > 0 &&
	    (everything || d->ring[d->head].due_ns <= now)) {
		last = d->ring[d->head].id;
		any = 1;
		d->head = (d->head + 1) % d->cap;
		d->len--;
	}
	if (any && nfq_set_verdict_batch(d->qh, last, NF_ACCEPT) < 0)
		warn("verdict for packet %u", last);
}

/* How long ppoll may sleep: until the head is due, or until a packet. */
static struct timespec *
until_due(const struct delayer *d, struct timespec *ts)
{
	uint64_t	 now, due;

	if (d->len == 0)
		return NULL;
	now = now_ns();
	due = d->ring[d->head].due_ns;
	due = due > now ? due - now : 0;
	ts->tv_sec = (time_t)(due / 1000000000u);
	ts->tv_nsec = (long)(due % 1000000000u);
	return ts;
}

static void
loop(struct nfq_handle *h, struct delayer *d, const sigset_t *unblocked)
{
	struct pollfd	 pfd;
	struct timespec	 ts;
	char		 buf[65536] __attribute__((aligned));
	ssize_t		 n;
	int		 i;

	pfd.fd = nfq_fd(h);
	pfd.events = POLLIN;
	while (!stopping) {
		pfd.revents = 0;
		if (ppoll(&pfd, 1, until_due(d, &ts), unblocked) == -1 &&
		    errno != EINTR)
			err(1, "ppoll");
		/* A bounded number of messages, so that due packets go. */
		for (i = 0; i < 256 && (pfd.revents & POLLIN); i++) {
			n = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n == -1) {
				if (errno != EAGAIN && errno != EINTR &&
				    errno != ENOBUFS)
					err(1, "recv");
				break;
			}
			nfq_handle_packet(h, buf, (int)n);
		}
		release(d, 0);
	}
}

int
main(int argc, char *argv[])
{
	struct nfq_handle	*h;
	struct delayer		 d;
	struct sigaction	 sa;
	sigset_t		 term, unblocked;
	const char		*ready = NULL;
	long			 delay_ms = -1, queue = 0, cap = HELD_DEFAULT;
	int			 ch, one = 1, rcvbuf = RCVBUF, fd;

	while ((ch = getopt(argc, argv, "d:n:q:r:")) != -1) {
		switch (ch) {
		case 'd': delay_ms = number(optarg, 0, 10000, "-d"); break;
		case 'n': cap = number(optarg, 1, HELD_MAX, "-n"); break;
		case 'q': queue = number(optarg, 0, 65535, "-q"); break;
		case 'r': ready = optarg; break;
		default:
			fprintf(stderr, "usage: delayer -d MS [-q QUEUE] "
			    "[-n MAXHELD] [-r READYFILE]\n");
			return 1;
		}
	}
	if (delay_ms < 0 || optind != argc)
		errx(1, "usage: delayer -d MS [-q QUEUE] [-n MAXHELD] "
		    "[-r READYFILE]");
	memset(&d, 0, sizeof(d));
	d.cap = (size_t)cap;
	d.delay_ns = (uint64_t)delay_ms * 1000000u;
	if ((d.ring = calloc(d.cap, sizeof(*d.ring))) == NULL)
		err(1, "calloc");

	/* SIGTERM only while ppoll sleeps: no packet is cut in half. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	if (sigprocmask(SIG_BLOCK, &term, &unblocked) == -1)
		err(1, "sigprocmask");
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if ((h = nfq_open()) == NULL)
		err(1, "nfq_open");
	if ((d.qh = nfq_create_queue(h, (uint16_t)queue, on_packet, &d)) ==
	    NULL)
		err(1, "nfq_create_queue %ld (is another delayer bound to it?)",
		    queue);
	if (nfq_set_mode(d.qh, NFQNL_COPY_META, 0) < 0)
		err(1, "nfq_set_mode");
	if (nfq_set_queue_maxlen(d.qh, KERNEL_QUEUE) < 0)
		warn("nfq_set_queue_maxlen");
	if (nfq_set_queue_flags(d.qh, NFQA_CFG_F_FAIL_OPEN,
	    NFQA_CFG_F_FAIL_OPEN) < 0)
		warn("nfq_set_queue_flags (fail open)");
	if (setsockopt(nfq_fd(h), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		warn("SO_RCVBUFFORCE");
	if (setsockopt(nfq_fd(h), SOL_NETLINK, NETLINK_NO_ENOBUFS, &one,
	    sizeof(one)) == -1)
		warn("NETLINK_NO_ENOBUFS");
	if (ready != NULL) {
		if ((fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
			err(1, "%s", ready);
		close(fd);
	}

	loop(h, &d, &unblocked);

	release(&d, 1);
	nfq_destroy_queue(d.qh);
	nfq_close(h);
	fprintf(stderr, "delayer: %llu packets held %ld ms, %llu passed "
	    "undelayed (queue full), at most %llu held at once\n", d.packets,
	    delay_ms, d.passed, d.deepest);
	free(d.ring);
	return 0;
}
