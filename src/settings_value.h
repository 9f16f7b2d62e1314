/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * One setting's value, checked and parsed by the type of its row in the
 * settings table, and the table itself (settings_table.c). Only the
 * settings files include this: the rest of the program reads the typed
 * values of struct settings.
 */
#ifndef SETTINGS_VALUE_H
#define SETTINGS_VALUE_H

#include <stddef.h>

enum settings_type {
	T_TEXT,		/* UTF-8 without control characters */
	T_URL,		/* http:// or https:// */
	T_HOST,		/* a host name or [IPv6] address */
	T_SIPUSER,	/* a safe SIP user part */
	T_NUMBER,	/* a decimal in [min, max] */
	T_YESNO,
	T_WORD,		/* one of words[] */
	T_PATH,		/* an absolute request path */
	T_ACTION,	/* self, off or a URL */
	T_HEADERS,	/* Param:X-Header,... */
	T_ALLOW,	/* a transfer allow list */
	T_DENY,		/* a caller deny list or @file */
	T_LIMIT,	/* off or CALLS/MINUTES */
	T_REDIS		/* redis://[:password@]host[:port][/db] or unix:/path */
};

#define F_SECRET	0x1	/* never printed or logged */
#define F_EARLY		0x2	/* used before the signature check */
#define F_PROCESS	0x4	/* whole process only: no per-request value */
#define F_REDIS		0x8	/* refused by a build without hiredis */

/* A row of the settings table. */
struct settings_def {
	const char		*name;
	enum settings_type	 type;
	int			 flags;		/* F_* */
	const char		*dflt;		/* NULL: unset */
	long			 min, max;	/* T_NUMBER */
	const char *const	*words;		/* T_WORD, NULL-terminated */
};

/*
 * Check v as a value of d; 0 with its number, yes/no or word index in *num
 * (0 for the others), or -1 with *errstr saying what is wrong.
 */
int	settings_value_parse(const struct settings_def *d, const char *v,
	    long *num, const char **errstr);

/* The table, one row per enum setting. */
extern const struct settings_def settings_defs[];
/* The row of the setting named by name[0..len), or -1. */
int	settings_lookup(const char *name, size_t len);
/* 1 when name starts as the program's settings do (SYNTHFLOW_, TWILIO_). */
int	settings_ours(const char *name);

#endif
