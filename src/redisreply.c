/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The judge of the CallSid table's replies. A string is compared by its
 * length, never as a C string, for a bulk reply may hold NUL bytes; an id
 * is taken only when the Synthflow answer check would have taken it, so
 * that what another host (or an attacker on Redis' network) stored cannot
 * reach the TwiML unchecked.
 */
#include "config.h"

#include <string.h>

#include "redisreply.h"

static int
is_string(const redisReply *r, int type, const char *s)
{
	size_t	 n = strlen(s);

	return r != NULL && r->type == type && r->str != NULL &&
	    (size_t)r->len == n && memcmp(r->str, s, n) == 0;
}

int
redisreply_ok(const redisReply *r)
{
	return is_string(r, REDIS_REPLY_STATUS, "OK");
}

int
redisreply_deleted(const redisReply *r)
{
	return r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer >= 0;
}

/* GET's reply: the key's absence, its claim or its id. */
static enum redisreply_claim
judge_get(const redisReply *r, char id[SYNTHFLOW_ID_MAX + 1])
{
	if (r == NULL)
		return REDISREPLY_BAD;
	if (r->type == REDIS_REPLY_NIL)
		return REDISREPLY_GONE;
	if (is_string(r, REDIS_REPLY_STRING, REDISREPLY_PENDING))
		return REDISREPLY_WAIT;
	if (r->type != REDIS_REPLY_STRING || r->str == NULL || r->len == 0 ||
	    (size_t)r->len > SYNTHFLOW_ID_MAX ||
	    memchr(r->str, '\0', (size_t)r->len) != NULL)
		return REDISREPLY_BAD;
	memcpy(id, r->str, (size_t)r->len);
	id[r->len] = '\0';
	if (!synthflow_id_valid(id)) {
		id[0] = '\0';
		return REDISREPLY_BAD;
	}
	return REDISREPLY_ID;
}

enum redisreply_claim
redisreply_claim(const redisReply *set, const redisReply *get,
    char id[SYNTHFLOW_ID_MAX + 1])
{
	if (set == NULL)
		return judge_get(get, id);
	if (redisreply_ok(set))
		return REDISREPLY_OWNER;	/* GET saw our own claim */
	if (set->type != REDIS_REPLY_NIL)
		return REDISREPLY_BAD;
	return judge_get(get, id);
}
