/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of redisreply.c, the judge of the CallSid table's replies,
 * fed real RESP through hiredis' own reader: a claim won, a claim lost to
 * a registration in flight, to a finished one and to a key that went, a
 * lone look, and the shapes no honest Redis sends (errors, integers,
 * arrays, a status where a bulk string belongs, NUL bytes, ids the
 * Synthflow check refuses, ids too long); then +OK and DEL's integer.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "redisreply.h"
#include "tap.h"

/* The first reply RESP bytes make, or NULL (diagnosed) when none. */
static redisReply *
reply_of(const char *resp, size_t n)
{
	redisReader	*r;
	void		*reply = NULL;

	if ((r = redisReaderCreate()) == NULL)
		return NULL;
	if (redisReaderFeed(r, resp, n) != REDIS_OK ||
	    redisReaderGetReply(r, &reply) != REDIS_OK || reply == NULL)
		diag("no reply in %zu bytes", n);
	redisReaderFree(r);
	return reply;
}

#define REPLY(s)	reply_of((s), sizeof(s) - 1)

/* The judgement of SET's and GET's replies (set NULL: a lone GET). */
static enum redisreply_claim
judge(redisReply *set, redisReply *get, char id[SYNTHFLOW_ID_MAX + 1])
{
	enum redisreply_claim	 v;

	id[0] = '\0';
	v = redisreply_claim(set, get, id);
	if (set != NULL)
		freeReplyObject(set);
	if (get != NULL)
		freeReplyObject(get);
	return v;
}

static void
test_claim(void)
{
	char	 id[SYNTHFLOW_ID_MAX + 1];

	is_int(judge(REPLY("+OK\r\n"), REPLY("$7\r\npending\r\n"), id),
	    REDISREPLY_OWNER, "SET NX took the key: owner");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$7\r\npending\r\n"), id),
	    REDISREPLY_WAIT, "SET NX lost to a claim in flight: wait");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$9\r\nsf-abc.12\r\n"), id),
	    REDISREPLY_ID, "SET NX lost to a registration: its id");
	is_str(id, "sf-abc.12", "the id copied");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$-1\r\n"), id),
	    REDISREPLY_GONE, "SET NX lost, then the key went: gone");
	is_int(judge(NULL, REPLY("$7\r\npending\r\n"), id), REDISREPLY_WAIT,
	    "a look: still pending");
	is_int(judge(NULL, REPLY("$4\r\nab_c\r\n"), id), REDISREPLY_ID,
	    "a look: an id");
	is_str(id, "ab_c", "its id");
	is_int(judge(NULL, REPLY("$-1\r\n"), id), REDISREPLY_GONE,
	    "a look: gone");
}

static void
test_garbage(void)
{
	char	 id[SYNTHFLOW_ID_MAX + 1];
	char	 resp[SYNTHFLOW_ID_MAX + 32];
	int	 n;

	is_int(judge(REPLY("-READONLY replica\r\n"), REPLY("$-1\r\n"), id),
	    REDISREPLY_BAD, "an error to SET");
	is_int(judge(REPLY("+QUEUED\r\n"), REPLY("$-1\r\n"), id),
	    REDISREPLY_BAD, "a status other than OK to SET");
	is_int(judge(REPLY(":1\r\n"), REPLY("$-1\r\n"), id),
	    REDISREPLY_BAD, "an integer to SET");
	is_int(judge(REPLY("$-1\r\n"), REPLY("-WRONGTYPE x\r\n"), id),
	    REDISREPLY_BAD, "an error to GET");
	is_int(judge(REPLY("$-1\r\n"), REPLY(":7\r\n"), id),
	    REDISREPLY_BAD, "an integer to GET");
	is_int(judge(REPLY("$-1\r\n"), REPLY("+pending\r\n"), id),
	    REDISREPLY_BAD, "a status where GET gives a bulk string");
	is_int(judge(REPLY("$-1\r\n"), REPLY("*1\r\n$7\r\npending\r\n"), id),
	    REDISREPLY_BAD, "an array to GET");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$0\r\n\r\n"), id),
	    REDISREPLY_BAD, "an empty value");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$5\r\nab\0cd\r\n"), id),
	    REDISREPLY_BAD, "a value with a NUL byte");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$8\r\npendingx\r\n"), id),
	    REDISREPLY_ID, "pendingx is an id, not the claim");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$6\r\npendin\r\n"), id),
	    REDISREPLY_ID, "pendin too");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$4\r\n-abc\r\n"), id),
	    REDISREPLY_BAD, "an id that starts with -");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$9\r\n<Hangup/>\r\n"), id),
	    REDISREPLY_BAD, "an id with XML in it");
	is_str(id, "", "nothing left in id");
	is_int(judge(REPLY("$-1\r\n"), REPLY("$3\r\na;b\r\n"), id),
	    REDISREPLY_BAD, "an id with a ;");
	is_int(redisreply_claim(NULL, NULL, id), REDISREPLY_BAD,
	    "no reply at all");

	n = snprintf(resp, sizeof(resp), "$%d\r\n", SYNTHFLOW_ID_MAX);
	memset(resp + n, 'a', SYNTHFLOW_ID_MAX);
	memcpy(resp + n + SYNTHFLOW_ID_MAX, "\r\n", 2);
	is_int(judge(NULL, reply_of(resp, (size_t)n + SYNTHFLOW_ID_MAX + 2),
	    id), REDISREPLY_ID, "an id of 128 bytes");
	is_int(strlen(id), SYNTHFLOW_ID_MAX, "kept whole");
	n = snprintf(resp, sizeof(resp), "$%d\r\n", SYNTHFLOW_ID_MAX + 1);
	memset(resp + n, 'a', SYNTHFLOW_ID_MAX + 1);
	memcpy(resp + n + SYNTHFLOW_ID_MAX + 1, "\r\n", 2);
	is_int(judge(NULL, reply_of(resp, (size_t)n + SYNTHFLOW_ID_MAX + 3),
	    id), REDISREPLY_BAD, "an id of 129 bytes");
}

static void
test_ok_deleted(void)
{
	redisReply	*r;

	ok(redisreply_ok(r = REPLY("+OK\r\n")), "+OK is ok");
	freeReplyObject(r);
	ok(!redisreply_ok(r = REPLY("$2\r\nOK\r\n")), "a bulk OK is not");
	freeReplyObject(r);
	ok(!redisreply_ok(r = REPLY("+OKAY\r\n")), "+OKAY is not");
	freeReplyObject(r);
	ok(!redisreply_ok(NULL), "no reply is not");
	ok(redisreply_deleted(r = REPLY(":0\r\n")), "DEL of nothing");
	freeReplyObject(r);
	ok(redisreply_deleted(r = REPLY(":1\r\n")), "DEL of the claim");
	freeReplyObject(r);
	ok(!redisreply_deleted(r = REPLY(":-1\r\n")), "a negative count");
	freeReplyObject(r);
	ok(!redisreply_deleted(r = REPLY("+OK\r\n")), "a status to DEL");
	freeReplyObject(r);
}

int
main(void)
{
	test_claim();
	test_garbage();
	test_ok_deleted();
	return done_testing();
}
