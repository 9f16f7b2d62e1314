/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The claim protocol, the same on every host whatever its version: the key
 * is synthflow-twiml:callsid:{CallSid}; SET key pending NX PX
 * (SYNTHFLOW_TIMEOUT_MS + 1000) claims it, sent with GET key in one round
 * trip so that a claim that loses learns the value at once; the owner
 * stores the call id for SYNTHFLOW_DEDUP_SECONDS, or deletes its claim when
 * the registration failed; a claim whose owner died expires by itself. A
 * waiter looks again every POLL_MS while the value is pending, claims the
 * key itself when it is gone, and gives up at its deadline. Nothing is
 * written back after an outage.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "dedup.h"
#include "dedupredis.h"
#include "redisconn.h"
#include "redisreply.h"

#define KEY_PREFIX	"synthflow-twiml:callsid:"
#define CLAIM_EXTRA_MS	1000	/* a claim outlives its owner's timeout */
#define POLL_MS		20

/* One call's commands, from its settings. */
struct job {
	struct redisconn_target	 target;
	long			 budget_ms;	/* one exchange's */
	char			 key[sizeof(KEY_PREFIX) + DEDUP_KEY_MAX];
	char			 claim_px[24];
	char			 id_px[24];
};

/* The job for call_sid; -1 when the call is not Redis' to deduplicate. */
static int
job_init(struct job *j, const struct settings *s, const char *call_sid)
{
	if (s->str[S_DEDUP_REDIS] == NULL || s->num[S_DEDUP_SECONDS] <= 0 ||
	    call_sid == NULL || !dedup_key_valid(call_sid))
		return -1;
	j->target.url = s->str[S_DEDUP_REDIS];
	j->target.password = s->str[S_DEDUP_REDIS_PASSWORD];
	j->budget_ms = s->num[S_DEDUP_REDIS_TIMEOUT_MS];
	snprintf(j->key, sizeof(j->key), KEY_PREFIX "%s", call_sid);
	snprintf(j->claim_px, sizeof(j->claim_px), "%ld",
	    s->num[S_TIMEOUT_MS] + CLAIM_EXTRA_MS);
	snprintf(j->id_px, sizeof(j->id_px), "%ld",
	    s->num[S_DEDUP_SECONDS] * 1000);
	return 0;
}

/* One exchange's deadline: its budget, within the call's deadline. */
static long
exchange_deadline(const struct job *j, long deadline_ms)
{
	long	 d = clock_ms() + j->budget_ms;

	return deadline_ms < d ? deadline_ms : d;
}

/*
 * Claim the key (set: 1) or look at it: 0 with the judgement in *v, -1
 * when Redis did not answer.
 */
static int
ask(const struct job *j, int set, long deadline_ms,
    char id[SYNTHFLOW_ID_MAX + 1], enum redisreply_claim *v)
{
	struct redisconn_command	 cmd[2] = {
		{ 6, { "SET", j->key, REDISREPLY_PENDING, "NX", "PX",
		    j->claim_px } },
		{ 2, { "GET", j->key } }
	};
	redisReply			*reply[2];
	const char			*errstr;

	if (redisconn_exchange(&j->target, exchange_deadline(j, deadline_ms),
	    set ? cmd : cmd + 1, set ? 2 : 1, reply, &errstr) == -1)
		return -1;
	*v = redisreply_claim(set ? reply[0] : NULL, reply[set ? 1 : 0], id);
	redisconn_free_replies(reply, set ? 2 : 1);
	return 0;
}

static void
sleep_ms(long ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = ms % 1000 * 1000000;
	nanosleep(&ts, NULL);	/* a signal only shortens one look */
}

/* Look until the value is no longer pending; WAIT when time ran out. */
static int
wait_for_id(const struct job *j, long deadline_ms,
    char id[SYNTHFLOW_ID_MAX + 1], enum redisreply_claim *v)
{
	*v = REDISREPLY_WAIT;
	while (*v == REDISREPLY_WAIT) {
		if (clock_ms() + POLL_MS >= deadline_ms)
			return 0;
		sleep_ms(POLL_MS);
		if (ask(j, 0, deadline_ms, id, v) == -1)
			return -1;
	}
	return 0;
}

enum dedupredis_result
dedupredis_begin(const struct settings *s, const char *call_sid,
    long deadline_ms, char id[SYNTHFLOW_ID_MAX + 1])
{
	struct job		 j;
	enum redisreply_claim	 v = REDISREPLY_BAD;

	if (job_init(&j, s, call_sid) == -1)
		return DEDUPREDIS_LOCAL;
	do {
		if (clock_ms() >= deadline_ms)
			return DEDUPREDIS_TIMEOUT;
		if (ask(&j, 1, deadline_ms, id, &v) == -1)
			return DEDUPREDIS_LOCAL;
		/* Gone: the owner failed, or its claim expired; claim it. */
		if (v == REDISREPLY_WAIT &&
		    wait_for_id(&j, deadline_ms, id, &v) == -1)
			return DEDUPREDIS_LOCAL;
	} while (v == REDISREPLY_GONE);
	switch (v) {
	case REDISREPLY_OWNER:
		return DEDUPREDIS_OWNER;
	case REDISREPLY_ID:
		return DEDUPREDIS_HIT;
	case REDISREPLY_WAIT:
		return DEDUPREDIS_TIMEOUT;
	default:
		redisconn_broken("a reply the CallSid table never gives");
		return DEDUPREDIS_LOCAL;
	}
}

void
dedupredis_finish(const struct settings *s, const char *call_sid,
    const char *id)
{
	struct job			 j;
	struct redisconn_command	 cmd = { 2, { "DEL", NULL } };
	redisReply			*reply;
	const char			*errstr;
	int				 good;

	if (job_init(&j, s, call_sid) == -1)
		return;
	cmd.argv[1] = j.key;
	if (id != NULL && synthflow_id_valid(id)) {
		cmd.argc = 5;
		cmd.argv[0] = "SET";
		cmd.argv[2] = id;
		cmd.argv[3] = "PX";
		cmd.argv[4] = j.id_px;
	}
	/* The call is registered: only its budget, not its deadline. */
	if (redisconn_exchange(&j.target, clock_ms() + j.budget_ms, &cmd, 1,
	    &reply, &errstr) == -1)
		return;
	good = cmd.argc == 5 ? redisreply_ok(reply) :
	    redisreply_deleted(reply);
	redisconn_free_replies(&reply, 1);
	if (!good)
		redisconn_broken(cmd.argc == 5 ? "SET of the call id refused" :
		    "DEL of the claim refused");
}

void
dedupredis_health(const struct settings *s, struct buf *out)
{
	long	 since;

	if (s->str[S_DEDUP_REDIS] == NULL)
		return;
	switch (redisconn_health(&since)) {
	case REDISCONN_UNUSED:
		buf_addstr(out, "dedup store: redis not used yet\n");
		break;
	case REDISCONN_UP:
		buf_addstr(out, "dedup store: redis up\n");
		break;
	case REDISCONN_DOWN:
		buf_printf(out, "dedup store: redis down for %ld s, calls use "
		    "the process's own table\n", (clock_ms() - since) / 1000);
		break;
	}
}

int
dedupredis_ping(const struct settings *s, const char **errstr)
{
	struct redisconn_target		 t;
	struct redisconn_command	 cmd = { 1, { "PING" } };
	redisReply			*reply;
	int				 pong;

	t.url = s->str[S_DEDUP_REDIS];
	t.password = s->str[S_DEDUP_REDIS_PASSWORD];
	if (redisconn_exchange(&t, clock_ms() +
	    s->num[S_DEDUP_REDIS_TIMEOUT_MS], &cmd, 1, &reply, errstr) == -1)
		return -1;
	pong = reply->type == REDIS_REPLY_STATUS &&
	    strcmp(reply->str, "PONG") == 0;
	redisconn_free_replies(&reply, 1);
	if (!pong) {
		*errstr = "no PONG to PING";
		return -1;
	}
	return 0;
}
