/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Process-wide Prometheus metrics: counted by every worker thread with
 * relaxed atomic adds, rendered as text exposition format 0.0.4.
 */
#ifndef METRICS_H
#define METRICS_H

#include "buf.h"

/* The Content-Type of what metrics_render() produces. */
#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

/* Longest label value kept, in bytes; longer ones are cut. */
#define METRICS_LABEL_MAX	64
/* Distinct outcome/reason pairs kept; later ones count as reason "other". */
#define METRICS_PAIRS_MAX	256

/* Count one request that ended with outcome and reason (NULL is ""). */
void	metrics_request(const char *outcome, const char *reason);
/* Record one Synthflow API exchange that took ms milliseconds. */
void	metrics_synthflow_ms(long ms);
/* Change the number of requests being handled: +1 on entry, -1 on exit. */
void	metrics_in_flight(int delta);
/* Count one CallSid answered from the deduplication cache. */
void	metrics_dedup_hit(void);
/* Count one call that met Redis (SYNTHFLOW_DEDUP_REDIS) failing or down. */
void	metrics_dedup_store_error(void);
/*
 * Count one transfer decision: kind is number, bridge, sip or invalid
 * (anything else counts as invalid), transferred 1 or 0 (refused).
 */
void	metrics_transfer(const char *kind, int transferred);
/* Append all metrics to out; -1 (out unchanged) when they do not fit. */
int	metrics_render(struct buf *out, const char *version);
/* Forget every count and label pair; for tests, with no thread counting. */
void	metrics_reset(void);

#endif
