/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Process-wide Prometheus metrics. Worker threads count with relaxed atomic
 * adds; the table of outcome/reason label pairs has a fixed size and is read
 * without a lock, a mutex being taken only to add a pair. Label values are
 * cleaned (cut to METRICS_LABEL_MAX bytes on a character boundary, invalid
 * UTF-8 and control bytes other than newline made '?') before they become a
 * key, so that two values never render as the same series. Rendering as
 * text exposition format 0.0.4 is here; answering the HTTP request is the
 * caller's.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "metrics.h"
#include "utf8.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define METRICS_PREFIX	"synthflow_twiml_"
#define METRICS_OTHER	"other"
/* Past the cap: (outcome, "other") pairs, then one ("other", "other"). */
#define METRICS_SPARE	16
#define METRICS_SLOTS	(METRICS_PAIRS_MAX + METRICS_SPARE + 1)

struct metrics_pair {
	char		 outcome[METRICS_LABEL_MAX + 1];
	char		 reason[METRICS_LABEL_MAX + 1];
	uint32_t	 hash;
	atomic_ullong	 count;
};

/* Slots below npairs are filled and never change but for their count. */
static struct metrics_pair	 pairs[METRICS_SLOTS];
static atomic_size_t		 npairs;
static pthread_mutex_t		 pairs_lock = PTHREAD_MUTEX_INITIALIZER;

/* Upper bounds (le, inclusive) of the Synthflow exchange histogram. */
static const long		 bucket_ms[] = {
	50, 100, 250, 500, 1000, 2000, 4000, 8000, 14000
};
static const char *const	 bucket_le[] = {
	"0.05", "0.1", "0.25", "0.5", "1", "2", "4", "8", "14", "+Inf"
};
/* Per bucket, not cumulative; the last one is past every bound. */
static atomic_ullong		 hist[nitems(bucket_ms) + 1];
static atomic_ullong		 hist_sum_ms;

static atomic_long		 in_flight;
static atomic_ullong		 dedup_hits;
static atomic_ullong		 dedup_store_errors;

/* The kinds of refer.h; a fixed table keeps the labels bounded. */
static const char *const	 transfer_kinds[] = {
	"number", "bridge", "sip", "invalid"
};
static atomic_ullong		 transfers[nitems(transfer_kinds)][2];

/* Copy s into dst (METRICS_LABEL_MAX + 1 bytes) as a clean label value. */
static void
label_clean(char *dst, const char *s)
{
	const unsigned char	*p;
	size_t			 n, i = 0, o = 0, len;

	if (s == NULL)
		s = "";
	p = (const unsigned char *)s;
	n = strlen(s);
	while (i < n && o < METRICS_LABEL_MAX) {
		if (p[i] >= 0x80 && (len = utf8_seqlen(p + i, n - i)) > 0) {
			if (o + len > METRICS_LABEL_MAX)
				break;
			memcpy(dst + o, p + i, len);
			o += len;
			i += len;
			continue;
		}
		/* One byte: control bytes and bad UTF-8 become '?'. */
		dst[o++] = p[i] == '\n' || (p[i] >= 0x20 && p[i] < 0x7f) ?
		    (char)p[i] : '?';
		i++;
	}
	dst[o] = '\0';
}

static uint32_t
pair_hash(const char *outcome, const char *reason)
{
	uint32_t	 h = 2166136261u;	/* FNV-1a */
	const char	*s;

	for (s = outcome; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h = (h ^ 0xff) * 16777619u;	/* a byte no clean value holds */
	for (s = reason; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct metrics_pair *
pair_find(const char *outcome, const char *reason, uint32_t h, size_t from,
    size_t to)
{
	size_t	 i;

	for (i = from; i < to; i++)
		if (pairs[i].hash == h &&
		    strcmp(pairs[i].outcome, outcome) == 0 &&
		    strcmp(pairs[i].reason, reason) == 0)
			return &pairs[i];
	return NULL;
}

/* The slot of a clean pair, added while fewer than limit are in use. */
static struct metrics_pair *
pair_get(const char *outcome, const char *reason, size_t limit)
{
	struct metrics_pair	*p;
	uint32_t		 h = pair_hash(outcome, reason);
	size_t			 n, m;

	n = atomic_load_explicit(&npairs, memory_order_acquire);
	if ((p = pair_find(outcome, reason, h, 0, n)) != NULL)
		return p;

	pthread_mutex_lock(&pairs_lock);
	/* Another thread may have added it since. */
	m = atomic_load_explicit(&npairs, memory_order_relaxed);
	p = pair_find(outcome, reason, h, n, m);
	if (p == NULL && m < limit) {
		p = &pairs[m];
		/* Both fit: clean values are at most METRICS_LABEL_MAX. */
		strcpy(p->outcome, outcome);
		strcpy(p->reason, reason);
		p->hash = h;
		atomic_store_explicit(&p->count, 0, memory_order_relaxed);
		atomic_store_explicit(&npairs, m + 1, memory_order_release);
	}
	pthread_mutex_unlock(&pairs_lock);
	return p;
}

void
metrics_request(const char *outcome, const char *reason)
{
	char			 o[METRICS_LABEL_MAX + 1];
	char			 r[METRICS_LABEL_MAX + 1];
	struct metrics_pair	*p;

	label_clean(o, outcome);
	label_clean(r, reason);
	if ((p = pair_get(o, r, METRICS_PAIRS_MAX)) == NULL &&
	    (p = pair_get(o, METRICS_OTHER, METRICS_PAIRS_MAX +
	    METRICS_SPARE)) == NULL)
		p = pair_get(METRICS_OTHER, METRICS_OTHER, METRICS_SLOTS);
	/* The last slot is kept for ("other", "other"): p is never NULL. */
	atomic_fetch_add_explicit(&p->count, 1, memory_order_relaxed);
}

void
metrics_synthflow_ms(long ms)
{
	size_t	 i;

	if (ms < 0)
		ms = 0;
	for (i = 0; i < nitems(bucket_ms); i++)
		if (ms <= bucket_ms[i])
			break;
	atomic_fetch_add_explicit(&hist[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&hist_sum_ms, (unsigned long long)ms,
	    memory_order_relaxed);
}

void
metrics_in_flight(int delta)
{
	atomic_fetch_add_explicit(&in_flight, delta, memory_order_relaxed);
}

void
metrics_dedup_hit(void)
{
	atomic_fetch_add_explicit(&dedup_hits, 1, memory_order_relaxed);
}

void
metrics_dedup_store_error(void)
{
	atomic_fetch_add_explicit(&dedup_store_errors, 1,
	    memory_order_relaxed);
}

void
metrics_transfer(const char *kind, int transferred)
{
	size_t	 i;

	for (i = 0; i < nitems(transfer_kinds) - 1; i++)
		if (kind != NULL && strcmp(kind, transfer_kinds[i]) == 0)
			break;
	atomic_fetch_add_explicit(&transfers[i][transferred != 0], 1,
	    memory_order_relaxed);
}

/* Append s with \, " and newline escaped as a label value needs. */
static int
render_label(struct buf *out, const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' || s[i] == '"') {
			if (buf_addc(out, '\\') == -1 ||
			    buf_addc(out, s[i]) == -1)
				return -1;
		} else if (s[i] == '\n') {
			if (buf_addstr(out, "\\n") == -1)
				return -1;
		} else if (buf_addc(out, s[i]) == -1)
			return -1;
	}
	return 0;
}

static int
render_family(struct buf *out, const char *name, const char *type,
    const char *help)
{
	return buf_printf(out, "# HELP " METRICS_PREFIX "%s %s\n"
	    "# TYPE " METRICS_PREFIX "%s %s\n", name, help, name, type);
}

static int
render_requests(struct buf *out)
{
	size_t	 i, n;

	if (render_family(out, "requests_total", "counter",
	    "Requests answered, by outcome and reason.") == -1)
		return -1;
	n = atomic_load_explicit(&npairs, memory_order_acquire);
	for (i = 0; i < n; i++) {
		if (buf_addstr(out, METRICS_PREFIX "requests_total{outcome=\"")
		    == -1 || render_label(out, pairs[i].outcome) == -1 ||
		    buf_addstr(out, "\",reason=\"") == -1 ||
		    render_label(out, pairs[i].reason) == -1 ||
		    buf_printf(out, "\"} %llu\n", atomic_load_explicit(
		    &pairs[i].count, memory_order_relaxed)) == -1)
			return -1;
	}
	return 0;
}

static int
render_histogram(struct buf *out)
{
	unsigned long long	 cum = 0, sum;
	size_t			 i;

	if (render_family(out, "synthflow_seconds", "histogram",
	    "Time of the Synthflow API exchange.") == -1)
		return -1;
	/* _count is the +Inf bucket by construction, whatever runs now. */
	for (i = 0; i < nitems(hist); i++) {
		cum += atomic_load_explicit(&hist[i], memory_order_relaxed);
		if (buf_printf(out, METRICS_PREFIX
		    "synthflow_seconds_bucket{le=\"%s\"} %llu\n", bucket_le[i],
		    cum) == -1)
			return -1;
	}
	sum = atomic_load_explicit(&hist_sum_ms, memory_order_relaxed);
	return buf_printf(out,
	    METRICS_PREFIX "synthflow_seconds_sum %llu.%03llu\n"
	    METRICS_PREFIX "synthflow_seconds_count %llu\n", sum / 1000,
	    sum % 1000, cum);
}

static int
render_transfers(struct buf *out)
{
	static const char *const outcomes[] = { "refused", "transferred" };
	size_t	 i, j;

	if (render_family(out, "transfers_total", "counter",
	    "Transfers the agent asked for, by target kind and outcome.") ==
	    -1)
		return -1;
	for (i = 0; i < nitems(transfer_kinds); i++)
		for (j = 0; j < 2; j++)
			if (buf_printf(out, METRICS_PREFIX "transfers_total"
			    "{kind=\"%s\",outcome=\"%s\"} %llu\n",
			    transfer_kinds[i], outcomes[j],
			    atomic_load_explicit(&transfers[i][j],
			    memory_order_relaxed)) == -1)
				return -1;
	return 0;
}

int
metrics_render(struct buf *out, const char *version)
{
	char	 v[METRICS_LABEL_MAX + 1];
	size_t	 start = out->len;

	label_clean(v, version);
	if (render_requests(out) == -1 || render_histogram(out) == -1)
		goto fail;
	if (render_family(out, "in_flight", "gauge",
	    "Requests being handled now.") == -1 ||
	    buf_printf(out, METRICS_PREFIX "in_flight %ld\n",
	    atomic_load_explicit(&in_flight, memory_order_relaxed)) == -1)
		goto fail;
	if (render_family(out, "dedup_hits_total", "counter",
	    "Requests answered from an earlier registration of the same "
	    "CallSid.") == -1 ||
	    buf_printf(out, METRICS_PREFIX "dedup_hits_total %llu\n",
	    atomic_load_explicit(&dedup_hits, memory_order_relaxed)) == -1)
		goto fail;
	if (render_family(out, "dedup_store_errors_total", "counter",
	    "Redis exchanges of the CallSid table that failed, or were not "
	    "tried during an outage; those calls used the process's own "
	    "table.") == -1 ||
	    buf_printf(out, METRICS_PREFIX "dedup_store_errors_total %llu\n",
	    atomic_load_explicit(&dedup_store_errors,
	    memory_order_relaxed)) == -1)
		goto fail;
	if (render_transfers(out) == -1)
		goto fail;
	if (render_family(out, "build_info", "gauge",
	    "Always 1; the version is in the label.") == -1 ||
	    buf_addstr(out, METRICS_PREFIX "build_info{version=\"") == -1 ||
	    render_label(out, v) == -1 ||
	    buf_addstr(out, "\"} 1\n") == -1)
		goto fail;
	return 0;

fail:
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}

void
metrics_reset(void)
{
	size_t	 i;

	pthread_mutex_lock(&pairs_lock);
	atomic_store(&npairs, 0);
	for (i = 0; i < nitems(pairs); i++) {
		pairs[i].outcome[0] = pairs[i].reason[0] = '\0';
		pairs[i].hash = 0;
		atomic_store(&pairs[i].count, 0);
	}
	pthread_mutex_unlock(&pairs_lock);
	for (i = 0; i < nitems(hist); i++)
		atomic_store(&hist[i], 0);
	atomic_store(&hist_sum_ms, 0);
	atomic_store(&in_flight, 0);
	atomic_store(&dedup_hits, 0);
	atomic_store(&dedup_store_errors, 0);
	for (i = 0; i < nitems(transfers); i++) {
		atomic_store(&transfers[i][0], 0);
		atomic_store(&transfers[i][1], 0);
	}
}
