/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of call_answer.c's log line: its fields in their order, and
 * the line when nothing fits in the worker's line buffer (the outcome
 * alone, never a read past the empty buffer).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "call.h"
#include "call_answer.h"
#include "clock.h"
#include "log.h"
#include "tap.h"

/* call_log's line as written to stderr, in out; -1 when it fails. */
static int
log_line(struct webhook *w, const struct call *c, char *out, size_t outlen)
{
	FILE	*fp;
	ssize_t	 n;
	int	 saved;

	if ((fp = tmpfile()) == NULL || (saved = dup(STDERR_FILENO)) == -1)
		return -1;
	dup2(fileno(fp), STDERR_FILENO);
	call_log(w, c);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = pread(fileno(fp), out, outlen - 1, 0);
	fclose(fp);
	if (n < 0)
		return -1;
	out[n] = '\0';
	return 0;
}

static void
test_line(struct webhook *w, struct call *c)
{
	static const char	 form[] =
	    "CallSid=CA1&To=%2B15550001111&From=%2B15550002222";
	const char		*errstr, *fields;
	char			 line[1024];

	ok(form_parse(&w->post, form, strlen(form), &errstr) == 0,
	    "the call's parameters parse");
	ok(log_line(w, c, line, sizeof(line)) == 0, "stderr captured");
	fields = strstr(line, "info: ");
	ok(fields != NULL, "an info line");
	has_str(fields, "info: call_sid=CA1 to=+15550001111 "
	    "from=+xxxxxxx2222 outcome=fallback:settings synthflow_call_id=- "
	    "total_ms=", "the fields in order, the first without a space");
}

static void
test_nothing_fits(struct webhook *w, struct call *c)
{
	char	 line[1024];
	size_t	 len;

	buf_free(&w->line);
	w->line.max = 0;	/* no append fits */
	ok(log_line(w, c, line, sizeof(line)) == 0, "stderr captured");
	len = strlen(line);
	ok(len > 0 && line[len - 1] == '\n', "nothing fits: one line");
	has_str(line, "info: outcome=fallback:settings\n",
	    "nothing fits: the outcome alone");
}

int
main(void)
{
	struct webhook	*w;
	struct call	 c;

	log_init(LOG_TO_STDERR, LOG_LEVEL_INFO);
	if ((w = webhook_new(NULL, NULL)) == NULL) {
		printf("Bail out! webhook_new\n");
		return 1;
	}
	memset(&c, 0, sizeof(c));
	c.outcome = "fallback";
	c.reason = "settings";
	c.start_ms = clock_ms();
	c.api_ms = -1;
	test_line(w, &c);
	test_nothing_fits(w, &c);
	webhook_free(w);
	return done_testing();
}
