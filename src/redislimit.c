/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The per-caller count in Redis: one Lua script, so that the check, the
 * count and the mark of the CallSid are one atomic step and one round
 * trip. The key is synthflow-twiml:caller: and the first 128 bits of the
 * From's SHA-256 in hex (the same on every host, and no number in clear);
 * it counts the window's calls and expires with the window, which its
 * first call starts. A counted CallSid is marked for the window under the
 * caller's key, a colon and the CallSid, so that Twilio's retries go
 * through uncounted; a call over the limit is neither counted nor marked.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "clock.h"
#include "dedup.h"
#include "redisconn.h"
#include "redislimit.h"

#define KEY_PREFIX	"synthflow-twiml:caller:"
#define HASH_BYTES	16

/* KEYS[1] the count, KEYS[2] the CallSid's mark; ARGV the limit, window. */
static const char script[] =
    "if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end\n"
    "local n = redis.call('INCR', KEYS[1])\n"
    "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
    "if n > tonumber(ARGV[1]) then redis.call('DECR', KEYS[1]) return 1 end\n"
    "if KEYS[2] then redis.call('SET', KEYS[2], '1', 'PX', ARGV[2]) end\n"
    "return 0\n";

/* The caller's key into key; -1 when the hash cannot be made. */
static int
caller_key(const char *from, char *key, size_t keylen)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	size_t		 i, o;

	if (EVP_Digest(from, strlen(from), md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen < HASH_BYTES)
		return -1;
	o = (size_t)snprintf(key, keylen, "%s", KEY_PREFIX);
	for (i = 0; i < HASH_BYTES && o + 2 < keylen; i++, o += 2)
		snprintf(key + o, keylen - o, "%02x", md[i]);
	return 0;
}

int
redislimit_hit(const struct settings *s, const char *from,
    const char *call_sid, long calls, long window_ms)
{
	struct redisconn_target		 t;
	struct redisconn_command	 cmd;
	redisReply			*reply;
	const char			*errstr;
	char				 key[sizeof(KEY_PREFIX) + 2 * HASH_BYTES];
	char				 mark[sizeof(key) + 1 + DEDUP_KEY_MAX];
	char				 limit[24], px[24];
	int				 marked, rc;

	if (s->str[S_DEDUP_REDIS] == NULL || from == NULL ||
	    caller_key(from, key, sizeof(key)) == -1)
		return -1;
	marked = call_sid != NULL && dedup_key_valid(call_sid);
	snprintf(mark, sizeof(mark), "%s:%s", key, marked ? call_sid : "");
	snprintf(limit, sizeof(limit), "%ld", calls);
	snprintf(px, sizeof(px), "%ld", window_ms);
	cmd.argc = 0;
	cmd.argv[cmd.argc++] = "EVAL";
	cmd.argv[cmd.argc++] = script;
	cmd.argv[cmd.argc++] = marked ? "2" : "1";
	cmd.argv[cmd.argc++] = key;
	if (marked)
		cmd.argv[cmd.argc++] = mark;
	cmd.argv[cmd.argc++] = limit;
	cmd.argv[cmd.argc++] = px;
	t.url = s->str[S_DEDUP_REDIS];
	t.password = s->str[S_DEDUP_REDIS_PASSWORD];
	if (redisconn_exchange(&t, clock_ms() +
	    s->num[S_DEDUP_REDIS_TIMEOUT_MS], &cmd, 1, &reply, &errstr) == -1)
		return -1;
	rc = reply->type == REDIS_REPLY_INTEGER && (reply->integer == 0 ||
	    reply->integer == 1) ? (int)reply->integer : -1;
	redisconn_free_replies(&reply, 1);
	if (rc == -1)
		redisconn_broken("a reply the caller count never gives");
	return rc;
}
