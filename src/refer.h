/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The target of a transfer: the ReferTransferTarget Twilio passes to the
 * refer callback (the Refer-To URI of the agent's SIP REFER), read
 * strictly into validated parts, and SYNTHFLOW_TRANSFER_ALLOW, the list
 * that says which targets may be dialed. Targets, bracketed or
 * bare, at most REFER_TARGET_MAX characters:
 *
 *	tel:+15551234567[;params]
 *	sip[s]:user@host[:port][;params][?headers]
 *
 * A number (tel:, or a sip: user part that is one, separators "-.()"
 * dropped) must be ^\+[1-9][0-9]{6,14}$; a SIP user part starting with
 * REFER_BRIDGE_PREFIX is Synthflow's bridge back to an agent; any other
 * SIP URI is a sip target. Of the parameters only transport is kept, of
 * the headers only User-to-User and X-* (not X-Twilio*), decoded. The
 * allow list is a comma list of +E164, +PREFIX*, *, sip:user@host and
 * sip:*@host; bridge targets need no rule.
 */
#ifndef REFER_H
#define REFER_H

#include <stddef.h>

#define REFER_TARGET_MAX	256	/* characters, as received */
#define REFER_BRIDGE_PREFIX	"0875704225"
#define REFER_USER_MAX		64
#define REFER_HOST_MAX		253
#define REFER_HEADERS_MAX	16
#define REFER_NUMBER_MAX	16	/* "+" and 15 digits */

enum refer_kind {
	REFER_INVALID,
	REFER_NUMBER,
	REFER_BRIDGE,
	REFER_SIP
};

enum refer_transport {
	REFER_TRANSPORT_NONE,	/* the URI names none: UDP */
	REFER_TRANSPORT_UDP,
	REFER_TRANSPORT_TCP,
	REFER_TRANSPORT_TLS
};

struct refer_header {
	char	 name[REFER_USER_MAX + 1];	/* User-to-User or X-... */
	char	*value;				/* decoded, in the target */
};

struct refer_target {
	enum refer_kind		 kind;
	char			 number[REFER_NUMBER_MAX + 1];	/* +E164 */
	char			 user[REFER_USER_MAX + 1];	/* SIP user */
	char			 host[REFER_HOST_MAX + 1];	/* lower case */
	long			 port;		/* 0: none */
	enum refer_transport	 transport;	/* sips: is TLS */
	struct refer_header	 header[REFER_HEADERS_MAX];
	size_t			 nheaders;
	char			 store[REFER_TARGET_MAX + 1];	/* values */
};

/*
 * Read value into t: 0 with t->kind set, or -1 with t->kind REFER_INVALID
 * and *reason saying why (NULL value: no target).
 */
int	refer_parse(const char *value, struct refer_target *t,
	    const char **reason);
/* NULL when list is a valid allow list, else what is wrong with it. */
const char *refer_allow_check(const char *list);
/* 1 when list (checked, or NULL for none) allows t. */
int	refer_allowed(const char *list, const struct refer_target *t);
/* 1 when list (checked, or NULL) has a rule for numbers. */
int	refer_allows_numbers(const char *list);
/* The kind's name: number, bridge, sip or invalid. */
const char *refer_kind_name(enum refer_kind);

#endif
