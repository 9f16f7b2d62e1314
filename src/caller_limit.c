/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The per-caller counts of SYNTHFLOW_CALLER_LIMIT: a fixed table allocated
 * once, in sets of CALLER_WAYS entries. A caller's number, hashed with
 * SipHash under a key drawn at start, picks its set, so nobody can aim
 * numbers at a set; a new caller takes a free entry of the set, else one
 * whose window has ended, else the one with the fewest calls (the oldest
 * of those). So memory never grows, and a flood of distinct numbers, each
 * counted once, only pushes out entries counted once: a caller already
 * counted twice or more keeps its count as long as a set holds an entry
 * with fewer. One mutex covers the table; it is held for a few compares.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caller_limit.h"

#define CALLER_WAYS	8

struct caller_entry {
	uint64_t	 key;		/* the number's hash; 0: free */
	uint64_t	 sids[CALLER_LIMIT_SIDS];	/* counted CallSids */
	long		 start;		/* the window's start, ms */
	unsigned int	 count;
	unsigned int	 next_sid;	/* ring position in sids */
};

struct caller_limit {
	pthread_mutex_t		 lock;
	struct caller_entry	*entries;
	size_t			 nsets;
	uint64_t		 k0, k1;	/* the SipHash key */
};

int
caller_limit_parse(const char *value, long *calls, long *minutes,
    const char **errstr)
{
	char	*end;
	long	 n, m;

	*calls = *minutes = 0;
	if (strcmp(value, "off") == 0)
		return 0;
	if (value[0] < '0' || value[0] > '9')
		goto fail;
	n = strtol(value, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9' || n < 1 ||
	    n > CALLER_LIMIT_CALLS_MAX)
		goto fail;
	m = strtol(end + 1, &end, 10);
	if (*end != '\0' || m < 1 || m > CALLER_LIMIT_MINUTES_MAX)
		goto fail;
	*calls = n;
	*minutes = m;
	return 0;
fail:
	*errstr = "not off or CALLS/MINUTES, 1 to 10000 calls in 1 to 1440 "
	    "minutes";
	return -1;
}

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* SipHash-2-4 of s (Aumasson and Bernstein), keyed by the table's key. */
static uint64_t
siphash(const struct caller_limit *cl, const char *s)
{
	uint64_t	 v0 = cl->k0 ^ 0x736f6d6570736575ULL;
	uint64_t	 v1 = cl->k1 ^ 0x646f72616e646f6dULL;
	uint64_t	 v2 = cl->k0 ^ 0x6c7967656e657261ULL;
	uint64_t	 v3 = cl->k1 ^ 0x7465646279746573ULL;
	uint64_t	 m;
	size_t		 len = strlen(s), i, j;

	for (i = 0; i + 8 <= len; i += 8) {
		for (m = 0, j = 0; j < 8; j++)
			m |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (m = (uint64_t)len << 56, j = 0; i + j < len; j++)
		m |= (uint64_t)(unsigned char)s[i + j] << (8 * j);
	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

struct caller_limit *
caller_limit_new(size_t slots, const char **errstr)
{
	struct caller_limit	*cl;
	uint64_t		 key[2];
	int			 rc;

	if (slots == 0 || slots > SIZE_MAX / 2 / sizeof(*cl->entries)) {
		*errstr = "a table of no or too many slots";
		return NULL;
	}
	if (getentropy(key, sizeof(key)) == -1) {
		*errstr = "no random key for the caller table";
		return NULL;
	}
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		*errstr = "out of memory";
		return NULL;
	}
	cl->k0 = key[0];
	cl->k1 = key[1];
	cl->nsets = (slots + CALLER_WAYS - 1) / CALLER_WAYS;
	if ((cl->entries = calloc(cl->nsets * CALLER_WAYS,
	    sizeof(*cl->entries))) == NULL) {
		free(cl);
		*errstr = "out of memory";
		return NULL;
	}
	if ((rc = pthread_mutex_init(&cl->lock, NULL)) != 0) {
		free(cl->entries);
		free(cl);
		*errstr = strerror(rc);
		return NULL;
	}
	return cl;
}

void
caller_limit_free(struct caller_limit *cl)
{
	if (cl == NULL)
		return;
	pthread_mutex_destroy(&cl->lock);
	free(cl->entries);
	free(cl);
}

/* The entry of key in set, or the one to give it: see the file comment. */
static struct caller_entry *
find(struct caller_entry *set, uint64_t key, long now_ms, long window_ms)
{
	struct caller_entry	*e, *victim = NULL;
	int			 i;

	for (i = 0; i < CALLER_WAYS; i++)
		if (set[i].key == key)
			return &set[i];
	for (i = 0; i < CALLER_WAYS; i++) {
		e = &set[i];
		if (e->key == 0 || now_ms - e->start >= window_ms)
			return e;
		if (victim == NULL || e->count < victim->count ||
		    (e->count == victim->count && e->start < victim->start))
			victim = e;
	}
	return victim;
}

static int
has_sid(const struct caller_entry *e, uint64_t sid)
{
	unsigned int	 i;

	for (i = 0; i < CALLER_LIMIT_SIDS && i < e->count; i++)
		if (e->sids[i] == sid)
			return 1;
	return 0;
}

int
caller_limit_hit(struct caller_limit *cl, const char *from,
    const char *call_sid, long now_ms, long calls, long window_ms)
{
	struct caller_entry	*e;
	uint64_t		 key, sid = 0;
	int			 over = 0;

	if (cl == NULL || from == NULL || calls <= 0 || window_ms <= 0)
		return 0;
	if ((key = siphash(cl, from)) == 0)
		key = 1;
	/* 0 marks no CallSid: a call without one is always counted. */
	if (call_sid != NULL && (sid = siphash(cl, call_sid)) == 0)
		sid = 1;
	pthread_mutex_lock(&cl->lock);
	e = find(&cl->entries[(key >> 32) % cl->nsets * CALLER_WAYS], key,
	    now_ms, window_ms);
	if (e->key != key || now_ms - e->start >= window_ms) {
		memset(e, 0, sizeof(*e));
		e->key = key;
		e->start = now_ms;
	}
	if (sid != 0 && has_sid(e, sid))
		;	/* a retry of a call counted: it goes through again */
	else if (e->count >= (unsigned long)calls)
		over = 1;
	else {
		e->count++;
		e->sids[e->next_sid] = sid;
		e->next_sid = (e->next_sid + 1) % CALLER_LIMIT_SIDS;
	}
	pthread_mutex_unlock(&cl->lock);
	return over;
}
