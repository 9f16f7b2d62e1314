/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of metrics.c: counts under the right labels, hostile label
 * values, the histogram's cumulative buckets, exact totals from 8 threads,
 * the overflow of the label table into reason="other", a render that does
 * not fit, and the whole text read back by tests/prom-check.py when python3
 * is there and by "promtool check metrics" when promtool is.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "metrics.h"
#include "tap.h"

#define NTHREADS	8
#define NLOOPS		100000
#define RENDER_MAX	(1024 * 1024)

static struct buf	 text;

/* Render everything afresh into text; its contents as a string. */
static const char *
render(void)
{
	buf_free(&text);
	buf_init(&text, RENDER_MAX);
	if (metrics_render(&text, "1.2.3") == -1)
		diag("metrics_render failed");
	return buf_str(&text);
}

/* The value of the sample series (name and labels) in s, or -1. */
static long long
value(const char *s, const char *series)
{
	size_t		 n = strlen(series);
	const char	*p;

	for (p = s; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
		if (strchr(p, '\n') == NULL)
			break;
	}
	return -1;
}

/* Number of lines of s that start with prefix. */
static int
lines(const char *s, const char *prefix)
{
	const char	*p;
	int		 n = 0;

	for (p = s; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

#define REQ	"synthflow_twiml_requests_total"
#define HIST	"synthflow_twiml_synthflow_seconds"

static void
test_empty(void)
{
	const char	*s;

	metrics_reset();
	s = render();
	has_str(s, "# HELP " REQ " ", "requests family has HELP");
	has_str(s, "# TYPE " REQ " counter\n", "requests family is a counter");
	is_int(lines(s, REQ "{"), 0, "no request series before any request");
	has_str(s, "# TYPE " HIST " histogram\n", "histogram TYPE");
	has_str(s, HIST "_bucket{le=\"+Inf\"} 0\n", "empty +Inf bucket");
	has_str(s, HIST "_sum 0.000\n", "empty sum");
	has_str(s, HIST "_count 0\n", "empty count");
	has_str(s, "# TYPE synthflow_twiml_in_flight gauge\n"
	    "synthflow_twiml_in_flight 0\n", "in_flight gauge at 0");
	has_str(s, "# TYPE synthflow_twiml_dedup_hits_total counter\n"
	    "synthflow_twiml_dedup_hits_total 0\n", "dedup counter at 0");
	has_str(s, "# TYPE synthflow_twiml_build_info gauge\n"
	    "synthflow_twiml_build_info{version=\"1.2.3\"} 1\n", "build_info");
	is_int(s[strlen(s) - 1], '\n', "text ends in a newline");
	has_str(s, "# TYPE synthflow_twiml_transfers_total counter\n"
	    "synthflow_twiml_transfers_total{kind=\"number\","
	    "outcome=\"refused\"} 0\n", "transfers counter at 0");
	is_int(lines(s, "synthflow_twiml_transfers_total{"), 8,
	    "transfers: every kind and outcome, always");
	has_str(s, "# TYPE synthflow_twiml_dedup_store_errors_total counter\n"
	    "synthflow_twiml_dedup_store_errors_total 0\n",
	    "dedup store errors counter at 0");
	is_int(lines(s, "# TYPE "), 7, "seven families");
	is_int(lines(s, "# HELP "), 7, "seven HELP lines");
}

static void
test_counts(void)
{
	const char	*s;
	int		 i;

	metrics_reset();
	for (i = 0; i < 3; i++)
		metrics_request("forwarded", NULL);
	metrics_request("forwarded", "");
	metrics_request("fallback", "timeout");
	metrics_request("fallback", "timeout");
	metrics_request("direct", "http_503");
	metrics_request("rejected", "signature");
	metrics_request("ended", "dial_busy");
	metrics_in_flight(1);
	metrics_in_flight(1);
	metrics_in_flight(1);
	metrics_in_flight(-1);
	metrics_dedup_hit();
	metrics_dedup_hit();
	metrics_dedup_store_error();
	s = render();
	is_int(value(s, REQ "{outcome=\"forwarded\",reason=\"\"}"), 4,
	    "forwarded, NULL and \"\" reasons are one series");
	is_int(value(s, REQ "{outcome=\"fallback\",reason=\"timeout\"}"), 2,
	    "fallback timeout");
	is_int(value(s, REQ "{outcome=\"direct\",reason=\"http_503\"}"), 1,
	    "direct http_503");
	is_int(value(s, REQ "{outcome=\"rejected\",reason=\"signature\"}"), 1,
	    "rejected signature");
	is_int(value(s, REQ "{outcome=\"ended\",reason=\"dial_busy\"}"), 1,
	    "ended dial_busy");
	is_int(lines(s, REQ "{"), 5, "five request series");
	is_int(value(s, "synthflow_twiml_in_flight"), 2, "in_flight 3 - 1");
	is_int(value(s, "synthflow_twiml_dedup_hits_total"), 2, "dedup hits");
	is_int(value(s, "synthflow_twiml_dedup_store_errors_total"), 1,
	    "dedup store errors");
	metrics_in_flight(-1);
	metrics_in_flight(-1);
	is_int(value(render(), "synthflow_twiml_in_flight"), 0,
	    "in_flight back to 0");
}

static void
test_escaping(void)
{
	char		 big[200], want[200];
	const char	*s;

	metrics_reset();
	metrics_request("rejected", "a\"b\\c\nd");
	metrics_request("rejected", "tab\there\r\x7f");
	metrics_request("rejected", "bad\xff\xc3-utf8");
	metrics_request("x\"} 1\nevil_metric 666\n#", "");
	metrics_request("rejected", "caf\xc3\xa9");
	s = render();
	is_int(value(s,
	    REQ "{outcome=\"rejected\",reason=\"a\\\"b\\\\c\\nd\"}"), 1,
	    "quote, backslash and newline escaped");
	is_int(value(s, REQ "{outcome=\"rejected\",reason=\"tab?here?\?\"}"), 1,
	    "other control bytes become ?");
	is_int(value(s, REQ "{outcome=\"rejected\",reason=\"bad?\?-utf8\"}"), 1,
	    "invalid UTF-8 becomes ?");
	is_int(value(s, REQ "{outcome=\"x\\\"} 1\\nevil_metric 666\\n#\","
	    "reason=\"\"}"), 1, "a forged line stays inside the label");
	is_int(lines(s, "evil_metric"), 0, "no forged line");
	is_int(value(s, REQ "{outcome=\"rejected\",reason=\"caf\xc3\xa9\"}"),
	    1, "valid UTF-8 kept");

	/* Long values are cut at 64 bytes; two that agree so far are one. */
	metrics_reset();
	memset(big, 'x', 100);
	big[100] = '\0';
	metrics_request("fallback", big);
	big[99] = 'y';
	metrics_request("fallback", big);
	memset(want, 0, sizeof(want));
	snprintf(want, sizeof(want),
	    REQ "{outcome=\"fallback\",reason=\"%.*s\"}", METRICS_LABEL_MAX,
	    big);
	s = render();
	is_int(value(s, want), 2, "values cut at 64 bytes, same series");
	is_int(lines(s, REQ "{"), 1, "one series for both");

	/* The cut never splits a character. */
	metrics_reset();
	memset(big, 'x', 63);
	memcpy(big + 63, "\xc3\xa9z", 4);
	metrics_request("fallback", big);
	snprintf(want, sizeof(want),
	    REQ "{outcome=\"fallback\",reason=\"%.*s\"}", 63, big);
	is_int(value(render(), want), 1, "cut before a 2-byte character");

	/* A long escaped value: cut first (64 bytes), escaped after. */
	metrics_reset();
	memset(big, '"', 100);
	big[100] = '\0';
	metrics_request("fallback", big);
	s = render();
	ok(strstr(s, "reason=\"\\\"") != NULL && lines(s, REQ "{") == 1,
	    "a value of quotes is escaped");
	ok(strlen(strstr(s, "reason=\"")) >= 8 + 128 + 2,
	    "64 quotes, each escaped");

	/* The version is a label value like the others. */
	metrics_reset();
	buf_free(&text);
	buf_init(&text, RENDER_MAX);
	metrics_render(&text, "1.0\"\n");
	has_str(buf_str(&text), "build_info{version=\"1.0\\\"\\n\"} 1\n",
	    "the version is escaped");
	buf_reset(&text);
	metrics_render(&text, NULL);
	has_str(buf_str(&text), "build_info{version=\"\"} 1\n",
	    "a NULL version is \"\"");
}

static void
test_histogram(void)
{
	static const char *const le[] = { "0.05", "0.1", "0.25", "0.5", "1",
	    "2", "4", "8", "14", "+Inf" };
	static const long long	 want[] = {
		3, 4, 5, 5, 6, 6, 6, 6, 7, 8
	};
	char			 series[128];
	const char		*s, *p, *prev = NULL;
	size_t			 i;
	int			 ordered = 1;

	metrics_reset();
	metrics_synthflow_ms(0);
	metrics_synthflow_ms(-5);	/* counts as 0 */
	metrics_synthflow_ms(50);	/* le is inclusive */
	metrics_synthflow_ms(51);
	metrics_synthflow_ms(250);
	metrics_synthflow_ms(1000);
	metrics_synthflow_ms(14000);
	metrics_synthflow_ms(14001);
	s = render();
	for (i = 0; i < sizeof(le) / sizeof(le[0]); i++) {
		snprintf(series, sizeof(series), HIST "_bucket{le=\"%s\"}",
		    le[i]);
		is_int(value(s, series), want[i], "bucket le=%s cumulative",
		    le[i]);
		if ((p = strstr(s, series)) == NULL || (prev != NULL &&
		    p < prev))
			ordered = 0;
		prev = p;
	}
	ok(ordered, "buckets in increasing le order, +Inf last");
	is_int(lines(s, HIST "_bucket"), 10, "ten buckets");
	has_str(s, HIST "_sum 29.352\n", "sum in seconds from milliseconds");
	is_int(value(s, HIST "_count"), 8, "count is the +Inf bucket");
}

struct worker {
	pthread_t	 thread;
	int		 id;
};

static const char *const reasons[] = { "timeout", "network", "http_503",
	"http_4xx", "signature", "stale", "gone", "dial_busy" };

static void *
worker(void *arg)
{
	struct worker	*w = arg;
	char		 reason[16];
	int		 i;

	for (i = 0; i < NLOOPS; i++) {
		metrics_in_flight(1);
		metrics_request("forwarded", NULL);
		/* New pairs are added while others count. */
		snprintf(reason, sizeof(reason), "%s",
		    reasons[(i + w->id) % 8]);
		metrics_request("fallback", reason);
		metrics_synthflow_ms(i % 20000);
		metrics_dedup_hit();
		metrics_in_flight(-1);
	}
	return NULL;
}

static void
test_threads(void)
{
	struct worker	 w[NTHREADS];
	char		 series[128];
	const char	*s;
	long long	 sum = 0, ms = 0;
	size_t		 i;
	int		 started = 0;

	metrics_reset();
	for (i = 0; i < NTHREADS; i++) {
		w[i].id = (int)i;
		if (pthread_create(&w[i].thread, NULL, worker, &w[i]) == 0)
			started++;
	}
	is_int(started, NTHREADS, "%d threads started", NTHREADS);
	for (i = 0; i < (size_t)started; i++)
		pthread_join(w[i].thread, NULL);
	s = render();
	is_int(value(s, REQ "{outcome=\"forwarded\",reason=\"\"}"),
	    (long long)NTHREADS * NLOOPS, "forwarded total exact");
	for (i = 0; i < 8; i++) {
		snprintf(series, sizeof(series),
		    REQ "{outcome=\"fallback\",reason=\"%s\"}", reasons[i]);
		sum += value(s, series);
	}
	is_int(sum, (long long)NTHREADS * NLOOPS, "fallback total exact");
	is_int(lines(s, REQ "{"), 9, "nine series, none twice");
	is_int(value(s, HIST "_count"), (long long)NTHREADS * NLOOPS,
	    "histogram count exact");
	for (i = 0; i < NLOOPS; i++)
		ms += (long long)(i % 20000);
	ms *= NTHREADS;
	snprintf(series, sizeof(series), HIST "_sum %lld.%03lld\n", ms / 1000,
	    ms % 1000);
	has_str(s, series, "histogram sum exact");
	is_int(value(s, "synthflow_twiml_dedup_hits_total"),
	    (long long)NTHREADS * NLOOPS, "dedup total exact");
	is_int(value(s, "synthflow_twiml_in_flight"), 0, "in_flight back at 0");
}

static void
test_overflow(void)
{
	char		 reason[32], series[128];
	const char	*s;
	int		 i;

	metrics_reset();
	for (i = 0; i < METRICS_PAIRS_MAX; i++) {
		snprintf(reason, sizeof(reason), "r%d", i);
		metrics_request("fallback", reason);
	}
	s = render();
	is_int(lines(s, REQ "{"), METRICS_PAIRS_MAX, "table full");
	metrics_request("fallback", "new1");
	metrics_request("fallback", "new2");
	metrics_request("ended", "new3");
	metrics_request("fallback", "r7");
	s = render();
	is_int(value(s, REQ "{outcome=\"fallback\",reason=\"other\"}"), 2,
	    "new pairs past the cap count as reason=\"other\"");
	is_int(value(s, REQ "{outcome=\"ended\",reason=\"other\"}"), 1,
	    "the outcome is kept");
	is_int(value(s, REQ "{outcome=\"fallback\",reason=\"r7\"}"), 2,
	    "a known pair still counts");
	is_int(lines(s, REQ "{outcome=\"fallback\",reason=\"new"), 0,
	    "no series for the new reasons");

	/* Many new outcomes too: at last ("other", "other"). */
	for (i = 0; i < 40; i++) {
		snprintf(reason, sizeof(reason), "o%d", i);
		metrics_request(reason, "x");
	}
	s = render();
	for (i = 0; i < 14; i++) {
		snprintf(series, sizeof(series),
		    REQ "{outcome=\"o%d\",reason=\"other\"}", i);
		if (value(s, series) != 1)
			break;
	}
	is_int(i, 14, "14 more outcomes kept with reason=\"other\"");
	is_int(value(s, REQ "{outcome=\"other\",reason=\"other\"}"), 26,
	    "the rest count as outcome=\"other\"");
	is_int(lines(s, REQ "{"), METRICS_PAIRS_MAX + 16 + 1,
	    "the table never grows past its size");
}

static void
test_fit(void)
{
	struct buf	 b;
	size_t		 need;

	metrics_reset();
	metrics_request("forwarded", NULL);
	need = strlen(render());
	buf_init(&b, 3 + need - 1);
	buf_addstr(&b, "abc");
	is_int(metrics_render(&b, "1.2.3"), -1, "one byte short fails");
	is_str(buf_str(&b), "abc", "and leaves the buffer as it was");
	buf_free(&b);
	buf_init(&b, 3 + need);
	buf_addstr(&b, "abc");
	is_int(metrics_render(&b, "1.2.3"), 0, "exactly enough room works");
	is_int(b.len, 3 + need, "and appends it all");
	buf_free(&b);
}

/* Run tests/prom-check.py on the text in s, with optional sample args. */
static int
prom_check(const char *s, const char *sample, char *out, size_t outlen)
{
	const char	*srcdir, *python;
	char		 path[] = "/tmp/unit-metrics.XXXXXX", cmd[1024];
	FILE		*fp;
	int		 fd, rc;

	if ((srcdir = getenv("top_srcdir")) == NULL)
		srcdir = ".";
	if ((python = getenv("PYTHON3")) == NULL || *python == '\0')
		python = "python3";
	if ((fd = mkstemp(path)) == -1)
		return -1;
	(void)!write(fd, s, strlen(s));
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s '%s/tests/prom-check.py' '%s'%s%s%s",
	    python, srcdir, path, sample != NULL ? " '" : "",
	    sample != NULL ? sample : "", sample != NULL ? "'" : "");
	out[0] = '\0';
	if ((fp = popen(cmd, "r")) == NULL) {
		unlink(path);
		return -1;
	}
	if (fgets(out, (int)outlen, fp) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	rc = pclose(fp);
	unlink(path);
	return rc;
}

static void
test_parse(void)
{
	const char	*srcdir, *python;
	char		 path[1024], cmd[1200], out[256];
	int		 i;

	if ((srcdir = getenv("top_srcdir")) == NULL)
		srcdir = ".";
	if ((python = getenv("PYTHON3")) == NULL || *python == '\0')
		python = "python3";
	snprintf(path, sizeof(path), "%s/tests/prom-check.py", srcdir);
	snprintf(cmd, sizeof(cmd), "%s -c '' 2>/dev/null", python);
	if (access(path, R_OK) == -1 || system(cmd) != 0) {
		printf("ok %d # SKIP no %s or no %s\n", ++tap_count, python,
		    path);
		return;
	}

	metrics_reset();
	is_int(prom_check(render(), NULL, out, sizeof(out)), 0,
	    "prom-check accepts the text before any request");

	metrics_reset();
	metrics_request("forwarded", NULL);
	metrics_request("forwarded", NULL);
	metrics_request("rejected", "a\"b\\c\nd");
	metrics_request("x\"} 1\nevil 666\n#", "\xff\xfe");
	for (i = 0; i < 300; i++) {
		snprintf(out, sizeof(out), "r%d", i);
		metrics_request(i % 2 ? "fallback" : "direct", out);
	}
	metrics_synthflow_ms(120);
	metrics_synthflow_ms(99999);
	metrics_in_flight(1);
	metrics_dedup_hit();
	is_int(prom_check(render(), NULL, out, sizeof(out)), 0,
	    "prom-check accepts the text after hostile and overflowing use");
	is_int(prom_check(render(), REQ "{outcome=\"forwarded\",reason=\"\"}",
	    out, sizeof(out)), 0, "prom-check finds the forwarded series");
	is_str(out, "2", "prom-check reads its value");
	is_int(prom_check(render(),
	    REQ "{reason=\"a\\\"b\\\\c\\nd\",outcome=\"rejected\"}",
	    out, sizeof(out)), 0, "prom-check finds the escaped series");
	is_str(out, "1", "in any label order");
	ok(prom_check(render(), REQ "{outcome=\"nope\",reason=\"\"}", out,
	    sizeof(out)) != 0, "prom-check fails on a missing series");
	ok(prom_check("x 1", NULL, out, sizeof(out)) != 0,
	    "prom-check fails on text it should refuse");
}

/* promtool (or $PROMTOOL) must accept the text and have nothing to say. */
static void
test_promtool(void)
{
	const char	*promtool;
	char		 path[] = "/tmp/unit-metrics.XXXXXX", cmd[1024];
	char		 out[512];
	FILE		*fp;
	size_t		 n;
	int		 fd, rc;

	if ((promtool = getenv("PROMTOOL")) == NULL || *promtool == '\0')
		promtool = "promtool";
	snprintf(cmd, sizeof(cmd), "command -v '%s' >/dev/null 2>&1",
	    promtool);
	if (system(cmd) != 0) {
		printf("ok %d # SKIP no %s\n", ++tap_count, promtool);
		return;
	}
	metrics_reset();
	metrics_request("forwarded", NULL);
	metrics_request("rejected", "a\"b\\c\nd");
	metrics_synthflow_ms(700);
	if ((fd = mkstemp(path)) == -1) {
		ok(0, "mkstemp for promtool");
		return;
	}
	render();
	(void)!write(fd, text.data, text.len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "'%s' check metrics < '%s' 2>&1", promtool,
	    path);
	if ((fp = popen(cmd, "r")) == NULL) {
		unlink(path);
		ok(0, "popen for promtool");
		return;
	}
	n = fread(out, 1, sizeof(out) - 1, fp);
	out[n] = '\0';
	rc = pclose(fp);
	unlink(path);
	is_int(rc, 0, "promtool check metrics accepts the text");
	is_str(out, "", "and has no lint warning");
}

int
main(void)
{
	buf_init(&text, RENDER_MAX);
	test_empty();
	test_counts();
	test_escaping();
	test_histogram();
	test_threads();
	test_overflow();
	test_fit();
	test_parse();
	test_promtool();
	buf_free(&text);
	return done_testing();
}
