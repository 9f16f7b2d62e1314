/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The CallSid table behind retry deduplication: a fixed array of entries
 * allocated once, a hash index over the entries in use and a list of the
 * finished ones from oldest to newest. A new CallSid takes a free entry or
 * else the oldest finished one, so memory is bounded and no call scans the
 * table. An entry in flight is never taken; its waiters sleep on its
 * condition variable with the mutex released, so the mutex is held only
 * around table updates, never while a worker talks to Synthflow.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ascii.h"
#include "dedup.h"

enum dedup_state {
	ENTRY_FREE,
	ENTRY_INFLIGHT,
	ENTRY_DONE
};

struct dedup_entry {
	struct dedup_entry	*hnext;		/* hash chain */
	struct dedup_entry	*prev;		/* age list */
	struct dedup_entry	*next;		/* age list or free list */
	pthread_cond_t		 cond;		/* its flight ended */
	long			 when;		/* finished at, ms */
	enum dedup_state	 state;
	char			 key[DEDUP_KEY_MAX + 1];
	char			 id[SYNTHFLOW_ID_MAX + 1];
};

struct dedup {
	pthread_mutex_t		 lock;
	struct dedup_entry	*entries;
	size_t			 nentries;	/* with an initialised cond */
	struct dedup_entry	**buckets;
	size_t			 mask;		/* buckets - 1, a power of 2 */
	struct dedup_entry	*free;
	struct dedup_entry	*oldest;	/* finished entries by age */
	struct dedup_entry	*newest;
};

static void
dedup_release(struct dedup *d)
{
	size_t	 i;

	for (i = 0; i < d->nentries; i++)
		pthread_cond_destroy(&d->entries[i].cond);
	free(d->entries);
	free(d->buckets);
	free(d);
}

struct dedup *
dedup_new(size_t slots)
{
	struct dedup		*d;
	pthread_condattr_t	 attr;
	size_t			 i, nb;
	int			 rc;

	if (slots == 0 || slots > SIZE_MAX / 4)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	/* At most half the buckets used keeps the chains short. */
	for (nb = 1; nb < slots * 2; nb *= 2)
		;
	d->mask = nb - 1;
	if ((d->entries = calloc(slots, sizeof(*d->entries))) == NULL ||
	    (d->buckets = calloc(nb, sizeof(*d->buckets))) == NULL)
		goto fail;
	if (pthread_condattr_init(&attr) != 0)
		goto fail;
	/* Deadlines are monotonic: a clock step must not end a wait. */
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	for (i = 0; rc == 0 && i < slots; i++)
		if ((rc = pthread_cond_init(&d->entries[i].cond, &attr)) == 0)
			d->nentries++;
	pthread_condattr_destroy(&attr);
	if (rc != 0 || pthread_mutex_init(&d->lock, NULL) != 0)
		goto fail;
	for (i = 0; i + 1 < slots; i++)
		d->entries[i].next = &d->entries[i + 1];
	d->free = &d->entries[0];
	return d;
fail:
	dedup_release(d);
	return NULL;
}

void
dedup_free(struct dedup *d)
{
	if (d == NULL)
		return;
	pthread_mutex_destroy(&d->lock);
	dedup_release(d);
}

_Static_assert(DEDUP_KEY_MAX == ASCII_SID_MAX, "a key is a Twilio SID");

int
dedup_key_valid(const char *s)
{
	return s != NULL && ascii_sid(s, strnlen(s, DEDUP_KEY_MAX + 1));
}

/* FNV-1a; the keys are signed by Twilio, not chosen by an attacker. */
static struct dedup_entry **
dedup_bucket(struct dedup *d, const char *key)
{
	uint64_t	 h = 14695981039346656037ULL;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return &d->buckets[(h ^ h >> 32) & d->mask];
}

static struct dedup_entry *
dedup_find(struct dedup *d, const char *key)
{
	struct dedup_entry	*e;

	for (e = *dedup_bucket(d, key); e != NULL; e = e->hnext)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

static void
dedup_unhash(struct dedup *d, struct dedup_entry *e)
{
	struct dedup_entry	**pp;

	for (pp = dedup_bucket(d, e->key); *pp != e; pp = &(*pp)->hnext)
		;
	*pp = e->hnext;
}

static void
dedup_age_append(struct dedup *d, struct dedup_entry *e)
{
	e->next = NULL;
	if ((e->prev = d->newest) != NULL)
		d->newest->next = e;
	else
		d->oldest = e;
	d->newest = e;
}

static void
dedup_age_unlink(struct dedup *d, struct dedup_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		d->oldest = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		d->newest = e->prev;
	e->prev = e->next = NULL;
}

/* An entry for a new key: a free one, else the oldest finished one. */
static struct dedup_entry *
dedup_take(struct dedup *d, const char *key)
{
	struct dedup_entry	*e, **b;

	if ((e = d->free) != NULL)
		d->free = e->next;
	else if ((e = d->oldest) != NULL) {
		dedup_age_unlink(d, e);
		dedup_unhash(d, e);
	} else
		return NULL;	/* all in flight */
	memcpy(e->key, key, strlen(key) + 1);	/* checked: fits */
	b = dedup_bucket(d, key);
	e->hnext = *b;
	*b = e;
	e->prev = e->next = NULL;
	return e;
}

enum dedup_result
dedup_begin(struct dedup *d, const char *call_sid, long now_ms,
    long window_ms, long deadline_ms, char id[SYNTHFLOW_ID_MAX + 1])
{
	struct dedup_entry	*e;
	struct timespec		 ts;
	enum dedup_result	 r;
	int			 timedout = 0;

	if (window_ms <= 0 || !dedup_key_valid(call_sid))
		return DEDUP_BYPASS;
	if (deadline_ms < 0)
		deadline_ms = 0;
	ts.tv_sec = deadline_ms / 1000;
	ts.tv_nsec = deadline_ms % 1000 * 1000000;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		e = dedup_find(d, call_sid);
		if (e != NULL && e->state == ENTRY_INFLIGHT) {
			if (timedout) {
				r = DEDUP_BYPASS;
				break;
			}
			/*
			 * The entry may be gone or reused when we wake, so
			 * look the key up again; a timeout gets one last look.
			 */
			if (pthread_cond_timedwait(&e->cond, &d->lock,
			    &ts) != 0)
				timedout = 1;
			continue;
		}
		if (e != NULL && now_ms - e->when < window_ms) {
			memcpy(id, e->id, strlen(e->id) + 1);
			r = DEDUP_HIT;
			break;
		}
		if (e != NULL)
			dedup_age_unlink(d, e);		/* expired: reuse */
		else if ((e = dedup_take(d, call_sid)) == NULL) {
			r = DEDUP_BYPASS;
			break;
		}
		e->state = ENTRY_INFLIGHT;
		r = DEDUP_OWNER;
		break;
	}
	pthread_mutex_unlock(&d->lock);
	return r;
}

void
dedup_finish(struct dedup *d, const char *call_sid, const char *id,
    long now_ms)
{
	struct dedup_entry	*e;
	size_t			 n = 0;

	if (!dedup_key_valid(call_sid))
		return;
	/* An id that does not fit is no id: the next retry tries again. */
	if (id != NULL && ((n = strlen(id)) == 0 || n > SYNTHFLOW_ID_MAX))
		id = NULL;

	pthread_mutex_lock(&d->lock);
	e = dedup_find(d, call_sid);
	if (e != NULL && e->state == ENTRY_INFLIGHT) {
		if (id != NULL) {
			memcpy(e->id, id, n + 1);
			e->when = now_ms;
			e->state = ENTRY_DONE;
			dedup_age_append(d, e);
		} else {
			dedup_unhash(d, e);
			e->state = ENTRY_FREE;
			e->next = d->free;
			d->free = e;
		}
		pthread_cond_broadcast(&e->cond);
	}
	pthread_mutex_unlock(&d->lock);
}
