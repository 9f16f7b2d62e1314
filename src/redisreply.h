/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * What Redis' replies to the CallSid table's commands mean, judged apart
 * from the network, so that a unit test and a fuzz target can hold any
 * RESP a broken or hostile server could send against it. A reply is
 * trusted only as far as it has the one shape its command allows.
 */
#ifndef REDISREPLY_H
#define REDISREPLY_H

#include <hiredis/hiredis.h>

#include "synthflow.h"

/* A key's value while its CallSid's registration is in flight. */
#define REDISREPLY_PENDING	"pending"

enum redisreply_claim {
	REDISREPLY_OWNER,	/* SET NX took the key: register the call */
	REDISREPLY_ID,		/* the key holds a registration's id */
	REDISREPLY_WAIT,	/* another's registration is in flight */
	REDISREPLY_GONE,	/* the key is not there (any more) */
	REDISREPLY_BAD		/* no reply these commands can give */
};

/*
 * The replies to SET key pending NX PX ms and GET key, sent together, or
 * to a lone GET when set is NULL (a waiter's look): REDISREPLY_ID with
 * the id, which synthflow_id_valid accepts, copied into id.
 */
enum redisreply_claim redisreply_claim(const redisReply *set,
	    const redisReply *get, char id[SYNTHFLOW_ID_MAX + 1]);
/* 1 when r is +OK (SET, AUTH, SELECT), else 0. */
int	redisreply_ok(const redisReply *r);
/* 1 when r is DEL's reply, an integer of 0 or more, else 0. */
int	redisreply_deleted(const redisReply *r);

#endif
