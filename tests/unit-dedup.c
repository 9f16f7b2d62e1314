/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of dedup.c: owner then hit, the window, failures, independent
 * keys, eviction of the oldest finished entry, unusable keys, and with
 * threads: a stampede on one CallSid, a waiter's deadline, and a failure
 * that hands the registration to exactly one waiter.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "dedup.h"
#include "tap.h"

#define WINDOW	600000L		/* the default: 600 s */
#define SID	"CA0123456789abcdef0123456789abcdef"

struct racer {
	pthread_t		 thread;
	struct dedup		*d;
	pthread_barrier_t	*start;		/* NULL: start at once */
	long			 wait_ms;	/* deadline, from the start */
	long			 hold_ms;	/* an owner's registration */
	const char		*reg_id;	/* what an owner registers */
	enum dedup_result	 r;
	char			 id[SYNTHFLOW_ID_MAX + 1];
};

static void
sleep_ms(long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000;
	while (nanosleep(&ts, &ts) == -1)
		;
}

static void *
racer_run(void *arg)
{
	struct racer	*rc = arg;
	long		 now;

	if (rc->start != NULL)
		pthread_barrier_wait(rc->start);
	now = clock_ms();
	rc->r = dedup_begin(rc->d, SID, now, WINDOW, now + rc->wait_ms,
	    rc->id);
	if (rc->r == DEDUP_OWNER) {
		sleep_ms(rc->hold_ms);
		dedup_finish(rc->d, SID, rc->reg_id, clock_ms());
	}
	return NULL;
}

/* Count the racers with result r, and those of them whose id is not id. */
static int
racers_count(struct racer *rc, int n, enum dedup_result r, const char *id,
    int *wrong)
{
	int	 i, count = 0;

	*wrong = 0;
	for (i = 0; i < n; i++) {
		if (rc[i].r != r)
			continue;
		count++;
		if (id != NULL && strcmp(rc[i].id, id) != 0)
			(*wrong)++;
	}
	return count;
}

static void
test_new(void)
{
	struct dedup	*d;
	char		 id[SYNTHFLOW_ID_MAX + 1];

	ok(dedup_new(0) == NULL, "a table of 0 slots is refused");
	/* A crash in dedup_free(NULL) ends the test before its plan. */
	dedup_free(NULL);
	if (!ok((d = dedup_new(1)) != NULL, "a table of 1 slot"))
		return;
	is_int(dedup_begin(d, SID, 1000, WINDOW, 0, id), DEDUP_OWNER,
	    "1 slot: the first CallSid owns it");
	is_int(dedup_begin(d, "CA1", 1000, WINDOW, 0, id), DEDUP_BYPASS,
	    "1 slot in flight: another CallSid bypasses");
	dedup_finish(d, SID, "sf-one", 1001);
	is_int(dedup_begin(d, SID, 1002, WINDOW, 0, id), DEDUP_HIT,
	    "1 slot: the finished CallSid is a hit");
	is_str(id, "sf-one", "1 slot: with its call id");
	dedup_free(d);
}

static void
test_hit(void)
{
	struct dedup	*d;
	char		 id[SYNTHFLOW_ID_MAX + 1];

	d = dedup_new(16);
	is_int(dedup_begin(d, SID, 1000, WINDOW, 0, id), DEDUP_OWNER,
	    "a new CallSid makes the caller the owner");
	is_int(dedup_begin(d, SID, 1000, WINDOW, 0, id), DEDUP_BYPASS,
	    "a retry while in flight with a past deadline bypasses");
	dedup_finish(d, SID, "call-1", 1500);
	memset(id, 'x', sizeof(id));
	is_int(dedup_begin(d, SID, 2000, WINDOW, 0, id), DEDUP_HIT,
	    "the retry of a registered CallSid is a hit");
	is_str(id, "call-1", "the hit carries the registered id");
	is_int(dedup_begin(d, SID, 1000 + WINDOW, WINDOW, 0, id), DEDUP_HIT,
	    "the window counts from the finish, not the begin");
	is_int(dedup_begin(d, SID, 1500 + WINDOW - 1, WINDOW, 0, id),
	    DEDUP_HIT, "a hit 1 ms before the window ends");
	is_int(dedup_begin(d, SID, 1500 + WINDOW, WINDOW, 0, id), DEDUP_OWNER,
	    "at the window's end the entry has expired: owner again");
	dedup_finish(d, SID, "call-2", 1500 + WINDOW);
	is_int(dedup_begin(d, SID, 1501 + WINDOW, WINDOW, 0, id), DEDUP_HIT,
	    "the fresh registration is a hit");
	is_str(id, "call-2", "with the fresh id");
	is_int(dedup_begin(d, SID, 1501 + WINDOW, 0, 0, id), DEDUP_BYPASS,
	    "window 0 bypasses a known CallSid");
	is_int(dedup_begin(d, SID, 1501 + WINDOW, -1, 0, id), DEDUP_BYPASS,
	    "a negative window bypasses");
	dedup_free(d);
}

static void
test_keys(void)
{
	struct dedup	*d;
	char		 id[SYNTHFLOW_ID_MAX + 1], k[80];

	d = dedup_new(16);
	is_int(dedup_begin(d, "CAaaa", 0, WINDOW, 0, id), DEDUP_OWNER,
	    "key A: owner");
	is_int(dedup_begin(d, "CAbbb", 0, WINDOW, 0, id), DEDUP_OWNER,
	    "key B: owner while A is in flight");
	dedup_finish(d, "CAaaa", "id-a", 1);
	is_int(dedup_begin(d, "CAbbb", 2, WINDOW, 0, id), DEDUP_BYPASS,
	    "finishing A leaves B in flight");
	is_int(dedup_begin(d, "CAaaa", 2, WINDOW, 0, id), DEDUP_HIT,
	    "A is a hit");
	is_str(id, "id-a", "with A's id");
	dedup_finish(d, "CAbbb", "id-b", 3);
	is_int(dedup_begin(d, "CAbbb", 4, WINDOW, 0, id), DEDUP_HIT,
	    "B is a hit");
	is_str(id, "id-b", "with B's id");
	is_int(dedup_begin(d, "CAAAA", 4, WINDOW, 0, id), DEDUP_OWNER,
	    "keys are case-sensitive");
	dedup_finish(d, "CAAAA", NULL, 5);

	is_int(dedup_begin(d, NULL, 0, WINDOW, 0, id), DEDUP_BYPASS,
	    "a NULL key bypasses");
	is_int(dedup_begin(d, "", 0, WINDOW, 0, id), DEDUP_BYPASS,
	    "an empty key bypasses");
	is_int(dedup_begin(d, "CA-1", 0, WINDOW, 0, id), DEDUP_BYPASS,
	    "a key with '-' bypasses");
	is_int(dedup_begin(d, "CA 1", 0, WINDOW, 0, id), DEDUP_BYPASS,
	    "a key with a space bypasses");
	is_int(dedup_begin(d, "CA\xc3\xa9", 0, WINDOW, 0, id), DEDUP_BYPASS,
	    "a key with UTF-8 bypasses");
	memset(k, 'a', 65);
	k[65] = '\0';
	is_int(dedup_begin(d, k, 0, WINDOW, 0, id), DEDUP_BYPASS,
	    "a key of 65 characters bypasses");
	k[64] = '\0';
	is_int(dedup_begin(d, k, 0, WINDOW, 0, id), DEDUP_OWNER,
	    "a key of 64 characters is used");
	dedup_finish(d, "CA-1", "x", 0);	/* ignored, no crash */
	dedup_finish(d, "CAnever", "x", 0);	/* no entry: ignored */
	is_int(dedup_begin(d, "CAnever", 0, WINDOW, 0, id), DEDUP_OWNER,
	    "a finish without a begin registers nothing");
	dedup_free(d);
}

static void
test_failure(void)
{
	struct dedup	*d;
	char		 id[SYNTHFLOW_ID_MAX + 1], big[SYNTHFLOW_ID_MAX + 2];

	d = dedup_new(4);
	is_int(dedup_begin(d, SID, 0, WINDOW, 0, id), DEDUP_OWNER, "owner");
	dedup_finish(d, SID, NULL, 1);
	is_int(dedup_begin(d, SID, 2, WINDOW, 0, id), DEDUP_OWNER,
	    "after a failure the next caller is the owner");
	dedup_finish(d, SID, "", 3);
	is_int(dedup_begin(d, SID, 4, WINDOW, 0, id), DEDUP_OWNER,
	    "an empty id counts as a failure");
	memset(big, 'i', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dedup_finish(d, SID, big, 5);
	is_int(dedup_begin(d, SID, 6, WINDOW, 0, id), DEDUP_OWNER,
	    "an id over SYNTHFLOW_ID_MAX counts as a failure");
	big[SYNTHFLOW_ID_MAX] = '\0';
	dedup_finish(d, SID, big, 7);
	is_int(dedup_begin(d, SID, 8, WINDOW, 0, id), DEDUP_HIT,
	    "an id of SYNTHFLOW_ID_MAX characters is kept");
	is_str(id, big, "whole");
	dedup_free(d);
}

static void
test_evict(void)
{
	struct dedup	*d;
	char		 id[SYNTHFLOW_ID_MAX + 1];

	d = dedup_new(3);
	dedup_begin(d, "K1", 0, WINDOW, 0, id);
	dedup_begin(d, "K2", 0, WINDOW, 0, id);
	dedup_begin(d, "K3", 0, WINDOW, 0, id);
	/* Age is the order of finishing, not of beginning. */
	dedup_finish(d, "K2", "2", 10);
	dedup_finish(d, "K1", "1", 20);
	dedup_finish(d, "K3", "3", 30);
	is_int(dedup_begin(d, "K4", 40, WINDOW, 0, id), DEDUP_OWNER,
	    "a fourth key in a full table: owner");
	is_int(dedup_begin(d, "K1", 41, WINDOW, 0, id), DEDUP_HIT,
	    "K1 (finished second) survived");
	is_int(dedup_begin(d, "K3", 41, WINDOW, 0, id), DEDUP_HIT,
	    "K3 (finished last) survived");
	is_int(dedup_begin(d, "K2", 42, WINDOW, 0, id), DEDUP_OWNER,
	    "K2 (finished first) was evicted");
	is_int(dedup_begin(d, "K1", 43, WINDOW, 0, id), DEDUP_OWNER,
	    "then K1, the oldest left, was evicted");
	is_int(dedup_begin(d, "K3", 44, WINDOW, 0, id), DEDUP_BYPASS,
	    "every slot in flight: bypass");
	dedup_finish(d, "K4", "4", 45);
	is_int(dedup_begin(d, "K4", 46, WINDOW, 0, id), DEDUP_HIT,
	    "K4 stayed in flight through two evictions and was found");
	is_str(id, "4", "with its id");
	is_int(dedup_begin(d, "K3", 47, WINDOW, 0, id), DEDUP_OWNER,
	    "the one finished slot is taken");
	is_int(dedup_begin(d, "K4", 48, WINDOW, 0, id), DEDUP_BYPASS,
	    "and full of in-flight entries again");
	dedup_finish(d, "K2", NULL, 49);
	is_int(dedup_begin(d, "K4", 50, WINDOW, 0, id), DEDUP_OWNER,
	    "a failure frees its slot");
	dedup_free(d);
}

/* A CallSid-shaped key, scattered so that neighbours share no prefix. */
static void
sid_of(char *key, size_t size, int i)
{
	snprintf(key, size, "CA%032x", (unsigned)i * 2654435761u);
}

static void
test_many(void)
{
	struct dedup	*d;
	char		 id[SYNTHFLOW_ID_MAX + 1], key[40], want[20];
	int		 i, n = 3 * 4096, owners = 0, hits = 0;

	d = dedup_new(4096);
	for (i = 0; i < n; i++) {
		sid_of(key, sizeof(key), i);
		snprintf(want, sizeof(want), "id%d", i);
		if (dedup_begin(d, key, i, WINDOW, 0, id) == DEDUP_OWNER)
			owners++;
		dedup_finish(d, key, want, i);
	}
	is_int(owners, n, "12288 new keys in 4096 slots: all owners");
	for (i = n - 4096; i < n; i++) {
		sid_of(key, sizeof(key), i);
		snprintf(want, sizeof(want), "id%d", i);
		if (dedup_begin(d, key, n, WINDOW, 0, id) == DEDUP_HIT &&
		    strcmp(id, want) == 0)
			hits++;
	}
	is_int(hits, 4096, "the newest 4096 are hits with their ids");
	sid_of(key, sizeof(key), n - 4097);
	is_int(dedup_begin(d, key, n, WINDOW, 0, id), DEDUP_OWNER,
	    "the one before them was evicted");
	dedup_free(d);
}

static void
test_stampede(void)
{
	struct dedup		*d;
	struct racer		 rc[16];
	pthread_barrier_t	 start;
	int			 i, wrong;

	d = dedup_new(64);
	pthread_barrier_init(&start, NULL, 16);
	memset(rc, 0, sizeof(rc));
	for (i = 0; i < 16; i++) {
		rc[i].d = d;
		rc[i].start = &start;
		rc[i].wait_ms = 10000;
		rc[i].hold_ms = 50;
		rc[i].reg_id = "call-stampede";
		pthread_create(&rc[i].thread, NULL, racer_run, &rc[i]);
	}
	for (i = 0; i < 16; i++)
		pthread_join(rc[i].thread, NULL);
	pthread_barrier_destroy(&start);
	is_int(racers_count(rc, 16, DEDUP_OWNER, NULL, &wrong), 1,
	    "16 threads on one CallSid: exactly one owner");
	is_int(racers_count(rc, 16, DEDUP_HIT, "call-stampede", &wrong), 15,
	    "the 15 others are hits");
	is_int(wrong, 0, "all with the owner's id");
	dedup_free(d);
}

static void
test_deadline(void)
{
	struct dedup	*d;
	struct racer	 quick, patient;
	char		 id[SYNTHFLOW_ID_MAX + 1];
	long		 t0, t;

	d = dedup_new(4);
	t0 = clock_ms();
	is_int(dedup_begin(d, SID, t0, WINDOW, 0, id), DEDUP_OWNER, "owner");
	is_int(dedup_begin(d, SID, t0, WINDOW, t0 + 50, id), DEDUP_BYPASS,
	    "a retry during the owner's flight bypasses at its deadline");
	t = clock_ms() - t0;
	ok(t >= 49 && t < 5000, "after waiting until the deadline (%ld ms)",
	    t);

	memset(&quick, 0, sizeof(quick));
	quick.d = d;
	quick.wait_ms = 20;
	memset(&patient, 0, sizeof(patient));
	patient.d = d;
	patient.wait_ms = 10000;
	pthread_create(&quick.thread, NULL, racer_run, &quick);
	pthread_create(&patient.thread, NULL, racer_run, &patient);
	sleep_ms(100);
	dedup_finish(d, SID, "call-late", clock_ms());
	pthread_join(quick.thread, NULL);
	pthread_join(patient.thread, NULL);
	is_int(quick.r, DEDUP_BYPASS,
	    "a waiter with a 20 ms deadline on a 100 ms owner bypasses");
	is_int(patient.r, DEDUP_HIT, "a waiter with a long deadline hits");
	is_str(patient.id, "call-late", "with the owner's id");
	dedup_free(d);
}

static void
test_fail_wakes(void)
{
	struct dedup	*d;
	struct racer	 rc[8];
	char		 id[SYNTHFLOW_ID_MAX + 1];
	int		 i, wrong;

	d = dedup_new(16);
	is_int(dedup_begin(d, SID, clock_ms(), WINDOW, 0, id), DEDUP_OWNER,
	    "the first owner");
	memset(rc, 0, sizeof(rc));
	for (i = 0; i < 8; i++) {
		rc[i].d = d;
		rc[i].wait_ms = 10000;
		rc[i].hold_ms = 20;
		rc[i].reg_id = "call-second";
		pthread_create(&rc[i].thread, NULL, racer_run, &rc[i]);
	}
	sleep_ms(50);
	dedup_finish(d, SID, NULL, clock_ms());
	for (i = 0; i < 8; i++)
		pthread_join(rc[i].thread, NULL);
	is_int(racers_count(rc, 8, DEDUP_OWNER, NULL, &wrong), 1,
	    "the first owner fails: exactly one of 8 waiters takes over");
	is_int(racers_count(rc, 8, DEDUP_HIT, "call-second", &wrong), 7,
	    "the 7 others are hits");
	is_int(wrong, 0, "with the second owner's id");
	dedup_free(d);
}

int
main(void)
{
	test_new();
	test_hit();
	test_keys();
	test_failure();
	test_evict();
	test_many();
	test_stampede();
	test_deadline();
	test_fail_wakes();
	return done_testing();
}
