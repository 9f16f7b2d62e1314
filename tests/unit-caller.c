/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of the caller screening's parts: the deny list's syntax
 * (lists, files, every refused entry with its position, the bounds), its
 * matching (whole numbers, prefixes, non-numbers), the anonymous From
 * values, SYNTHFLOW_CALLER_LIMIT's syntax, and the limiter: the count and
 * its window, retries of a counted CallSid, another caller untouched, a
 * flood of distinct numbers that does not push out a counted caller, and
 * threads counting one caller at once.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caller.h"
#include "caller_deny.h"
#include "caller_limit.h"
#include "tap.h"

static char	 errbuf[512];

static void	 bail(const char *, ...) __attribute__((format(printf, 1, 2)))
		    __attribute__((noreturn));

static void
bail(const char *fmt, ...)
{
	va_list	 ap;

	printf("Bail out! ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static struct caller_deny *
load(const char *value)
{
	errbuf[0] = '\0';
	return caller_deny_load(value, errbuf, sizeof(errbuf));
}

static void
refused(const char *value, const char *want, const char *desc)
{
	struct caller_deny	*d = load(value);

	ok(d == NULL, "refused: %s", desc);
	has_str(errbuf, want, "refused: %s: the reason", desc);
	caller_deny_free(d);
}

static void
test_list(void)
{
	struct caller_deny	*d;
	const char		*errstr = NULL;

	d = load(" +1900* , +15551230000,+4930*,+15551230000");
	ok(d != NULL, "a list with blanks loads");
	is_int(caller_deny_count(d), 4, "four entries");
	ok(caller_deny_match(d, "+15551230000"), "a whole number matches");
	ok(!caller_deny_match(d, "+155512300001"), "a longer one does not");
	ok(!caller_deny_match(d, "+1555123000"), "a shorter one does not");
	ok(caller_deny_match(d, "+19005550100"), "a prefix matches");
	ok(caller_deny_match(d, "+1900"), "a prefix matches itself");
	ok(caller_deny_match(d, "+493012345678901234567"),
	    "a prefix matches a From longer than a number");
	ok(!caller_deny_match(d, "+1800"), "another number does not");
	ok(!caller_deny_match(d, "19005550100"), "without + it does not");
	ok(!caller_deny_match(d, "sip:+1900@example.com"),
	    "a SIP From does not");
	ok(!caller_deny_match(d, ""), "an empty From does not");
	ok(!caller_deny_match(d, NULL), "no From does not");
	ok(!caller_deny_match(NULL, "+19005550100"), "no list denies nobody");
	caller_deny_free(d);

	d = load("+1");
	ok(d != NULL && caller_deny_match(d, "+1") &&
	    !caller_deny_match(d, "+12"), "a one-digit number");
	caller_deny_free(d);
	d = load("+123456789012345");
	ok(d != NULL && caller_deny_match(d, "+123456789012345"),
	    "a 15-digit number");
	caller_deny_free(d);

	refused("+1900*,,+1", "entry 2: an empty entry", "an empty entry");
	refused("+1900*,", "entry 2: an empty entry", "a last comma");
	refused("", "entry 1: an empty entry", "nothing");
	refused("+1, 1900", "entry 2: not + and 1 to 15 digits",
	    "no plus");
	refused("+1234567890123456", "entry 1: not + and 1 to 15 digits",
	    "16 digits");
	refused("+", "entry 1: not +", "a lone +");
	refused("+*", "entry 1: not +", "a lone +*");
	refused("*", "a lone * would deny every caller", "a lone *");
	refused("+1*9", "entry 1: not +", "a * inside");
	refused("+1 900", "entry 1: not +", "a blank inside");
	refused("+1\n", "entry 1: not +", "a newline");
	refused("anonymous", "entry 1: not +", "a word");
	refused("@relative", "absolute path", "a relative file");
	is_int(caller_deny_check("@relative", &errstr), -1,
	    "the setting's check refuses a relative file");
	ok(errstr != NULL, "with a reason");
	is_int(caller_deny_check("@/etc/x", &errstr), 0,
	    "the setting's check takes an absolute file");
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE	*fp = fopen(path, "w");

	if (fp == NULL || fwrite(text, 1, len, fp) != len || fclose(fp) != 0)
		bail("cannot write %s", path);
}

#define FILE_TEXT	"# premium\n\n+1900*   # all of it\r\n" \
	"  +15551230000\n#+15550000000\n+4930*"

static void
test_file(void)
{
	struct caller_deny	*d;
	char			 path[64], value[80], *big;
	size_t			 i, n = CALLER_DENY_MAX + 1;
	int			 fd;

	snprintf(path, sizeof(path), "/tmp/unit-caller.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		bail("mkstemp");
	close(fd);
	snprintf(value, sizeof(value), "@%s", path);
	write_file(path, FILE_TEXT, strlen(FILE_TEXT));
	d = load(value);
	ok(d != NULL, "a file loads");
	is_int(caller_deny_count(d), 3, "comments and blank lines skipped");
	ok(caller_deny_match(d, "+19005550100") &&
	    caller_deny_match(d, "+15551230000") &&
	    caller_deny_match(d, "+493055"), "its entries match, CRLF too");
	ok(!caller_deny_match(d, "+15550000000"), "a commented entry does not");
	caller_deny_free(d);

	write_file(path, "+1\n+2\n+3x\n", 10);
	refused(value, ":3: not + and 1 to 15 digits", "a bad line");
	write_file(path, "+1\n+2,+3\n", 9);
	refused(value, ":2: not +", "a comma in a file");
	write_file(path, "+1\n+\0002\n", 7);
	refused(value, ":2: a NUL byte", "a NUL byte");
	if ((big = malloc(n * 4 + 400)) == NULL)
		bail("no memory");
	memset(big, ' ', 300);
	big[300] = '\n';
	write_file(path, big, 301);
	refused(value, ":1: longer than 256 bytes", "a long line");
	for (i = 0; i < n; i++)
		memcpy(big + i * 4, i < n - 1 ? "+12\n" : "+13\n", 4);
	write_file(path, big, n * 4);
	refused(value, ":100001: more than 100000 entries", "too many");
	write_file(path, big, (n - 1) * 4);
	d = load(value);
	is_int(caller_deny_count(d), CALLER_DENY_MAX, "100000 entries load");
	caller_deny_free(d);
	free(big);
	refused("@/dev/null", "not a regular file", "a device");
	refused("@/", "not a regular file", "a directory");
	unlink(path);
	refused(value, "No such file", "a missing file");
}

static void
test_anonymous(void)
{
	static const char *const none[] = { "", "anonymous", "Anonymous",
	    "ANONYMOUS", "+266696687", "266696687", "Restricted",
	    "+7378742833", "Unknown", "+8656696", "Blocked", "+2562533",
	    "Unavailable", "+86282452253", NULL };
	size_t	 i;

	ok(caller_anonymous(NULL), "no From is anonymous");
	for (i = 0; none[i] != NULL; i++)
		ok(caller_anonymous(none[i]), "\"%s\" is anonymous", none[i]);
	ok(!caller_anonymous("+15551230000"), "a number is not");
	ok(!caller_anonymous("+2666966870"), "a longer number is not");
	ok(!caller_anonymous("anonymous2"), "a longer word is not");
	ok(!caller_anonymous("client:anonymous"), "a client is not");
}

static void
test_limit_parse(void)
{
	static const char *const bad[] = { "", "5", "5/", "/10", "0/10",
	    "5/0", "10001/10", "5/1441", "-5/10", "5/-10", "+5/10", "5/10x",
	    " 5/10", "5 /10", "5/ 10", "on", "99999999999999999999/1", NULL };
	const char	*errstr;
	long		 calls, minutes;
	size_t		 i;

	is_int(caller_limit_parse("5/10", &calls, &minutes, &errstr), 0,
	    "5/10 parses");
	is_int(calls, 5, "5 calls");
	is_int(minutes, 10, "in 10 minutes");
	is_int(caller_limit_parse("10000/1440", &calls, &minutes, &errstr), 0,
	    "the largest parses");
	is_int(caller_limit_parse("off", &calls, &minutes, &errstr), 0,
	    "off parses");
	is_int(calls, 0, "off is 0 calls");
	for (i = 0; bad[i] != NULL; i++) {
		errstr = NULL;
		is_int(caller_limit_parse(bad[i], &calls, &minutes, &errstr),
		    -1, "\"%s\" is refused", bad[i]);
		ok(errstr != NULL, "\"%s\": with a reason", bad[i]);
	}
}

#define MIN	60000L

static void
test_limit(void)
{
	struct caller_limit	*cl;
	const char		*errstr = NULL;
	char			 sid[40], from[40];
	int			 i, hits;

	ok(caller_limit_new(0, &errstr) == NULL && errstr != NULL,
	    "no table of 0 slots");
	if ((cl = caller_limit_new(64, &errstr)) == NULL)
		bail("caller_limit_new: %s", errstr);
	for (i = 0; i < 3; i++) {
		snprintf(sid, sizeof(sid), "CA%d", i);
		is_int(caller_limit_hit(cl, "+15551230000", sid, 1000 + i,
		    3, 10 * MIN), 0, "call %d of 3 goes on", i + 1);
	}
	is_int(caller_limit_hit(cl, "+15551230000", "CA1", 2000, 3, 10 * MIN),
	    0, "a retry of a counted CallSid goes on at the limit");
	is_int(caller_limit_hit(cl, "+15551230000", "CA3", 2000, 3, 10 * MIN),
	    1, "the fourth is over the limit");
	is_int(caller_limit_hit(cl, "+15551230000", "CA3", 2001, 3, 10 * MIN),
	    1, "and so is its retry");
	is_int(caller_limit_hit(cl, "+15551230000", NULL, 2002, 3, 10 * MIN),
	    1, "and one without a CallSid");
	is_int(caller_limit_hit(cl, "+15559990000", "CB0", 2003, 3, 10 * MIN),
	    0, "another caller goes on");
	is_int(caller_limit_hit(cl, "+15551230000", "CA4", 1000 + 10 * MIN - 1,
	    3, 10 * MIN), 1, "still over a ms before the window ends");
	is_int(caller_limit_hit(cl, "+15551230000", "CA5", 1000 + 10 * MIN,
	    3, 10 * MIN), 0, "a new window when it ended");
	is_int(caller_limit_hit(cl, "+15551230000", NULL, 1000 + 10 * MIN + 1,
	    3, 10 * MIN), 0, "calls without a CallSid count");
	is_int(caller_limit_hit(cl, "+15551230000", NULL, 1000 + 10 * MIN + 2,
	    3, 10 * MIN), 0, "each of them");
	is_int(caller_limit_hit(cl, "+15551230000", NULL, 1000 + 10 * MIN + 3,
	    3, 10 * MIN), 1, "up to the limit");
	is_int(caller_limit_hit(cl, "+15551230000", "CA6", 3000, 0, 10 * MIN),
	    0, "a limit of 0 calls is off");
	is_int(caller_limit_hit(NULL, "+15551230000", "CA6", 3000, 1, MIN),
	    0, "no table limits nobody");
	caller_limit_free(cl);

	/* A flood of distinct numbers, each once, in a table of 64. */
	if ((cl = caller_limit_new(64, &errstr)) == NULL)
		bail("caller_limit_new: %s", errstr);
	caller_limit_hit(cl, "+15551230000", "CA0", 0, 3, 10 * MIN);
	caller_limit_hit(cl, "+15551230000", "CA1", 1, 3, 10 * MIN);
	caller_limit_hit(cl, "+15551230000", "CA2", 2, 3, 10 * MIN);
	for (i = 0; i < 100000; i++) {
		snprintf(from, sizeof(from), "+1666%07d", i);
		snprintf(sid, sizeof(sid), "CF%d", i);
		caller_limit_hit(cl, from, sid, 10 + i / 1000, 3, 10 * MIN);
	}
	is_int(caller_limit_hit(cl, "+15551230000", "CA3", 200, 3, 10 * MIN),
	    1, "a flood of 100000 numbers does not push a counted caller out");
	for (i = hits = 0; i < 8; i++) {
		snprintf(from, sizeof(from), "+1777%07d", i);
		hits += caller_limit_hit(cl, from, "CX", 300, 1, 10 * MIN);
	}
	is_int(hits, 0, "new callers still find room");
	caller_limit_free(cl);
}

struct counter {
	pthread_t		 thread;
	struct caller_limit	*cl;
	int			 n;
	int			 over;
};

static void *
count_calls(void *arg)
{
	struct counter	*c = arg;
	char		 sid[40];
	int		 i;

	for (i = 0; i < 1000; i++) {
		snprintf(sid, sizeof(sid), "CA%d-%d", c->n, i);
		c->over += caller_limit_hit(c->cl, "+15551230000", sid, 5,
		    100, 10 * MIN);
	}
	return NULL;
}

static void
test_threads(void)
{
	struct counter		 c[8];
	struct caller_limit	*cl;
	const char		*errstr;
	int			 i, over = 0;

	if ((cl = caller_limit_new(4096, &errstr)) == NULL)
		bail("caller_limit_new: %s", errstr);
	for (i = 0; i < 8; i++) {
		c[i].cl = cl;
		c[i].n = i;
		c[i].over = 0;
		if (pthread_create(&c[i].thread, NULL, count_calls, &c[i]) != 0)
			bail("pthread_create");
	}
	for (i = 0; i < 8; i++) {
		pthread_join(c[i].thread, NULL);
		over += c[i].over;
	}
	is_int(over, 8000 - 100, "8 threads, 8000 calls of one caller: "
	    "exactly 100 went on");
	caller_limit_free(cl);
}

int
main(void)
{
	test_list();
	test_file();
	test_anonymous();
	test_limit_parse();
	test_limit();
	test_threads();
	return done_testing();
}
