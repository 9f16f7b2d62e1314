/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Reader and lookup of the SYNTHFLOW_ROUTES table (syntax in routes.h).
 * The whole file is read into one buffer and its fields are terminated and
 * unquoted in place, so that buffer is the store of every string; routes
 * and variables are two arrays, the routes sorted by To for bsearch.
 * Which route a call takes, and how it overrides the settings, is the
 * caller's business.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "file.h"
#include "refer.h"
#include "routes.h"
#include "utf8.h"

struct entry {
	struct route	 route;
	size_t		 var0;		/* first variable, in routes.vars */
	unsigned long	 lineno;
};

struct routes {
	char			*text;	/* the file; every string is in it */
	struct entry		*ent;
	size_t			 n, cap;
	struct synthflow_var	*vars;
	size_t			 nvars, varscap;
};

struct parser {
	struct routes	*rt;
	char		 reason[160];
};

static int	 bad(struct parser *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
bad(struct parser *ps, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(ps->reason, sizeof(ps->reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* Copy n bytes of s for a message: at most 32, unprintable ones as '?'. */
static const char *
clip(char *dst, size_t size, const char *s, size_t n)
{
	size_t	 i, max = size - 4;

	if (max > 32)
		max = 32;
	for (i = 0; i < n && i < max; i++)
		dst[i] = ascii_is_print((unsigned char)s[i]) && s[i] != '"' ?
		    s[i] : '?';
	if (i < n)
		dst[i++] = '.', dst[i++] = '.', dst[i++] = '.';
	dst[i] = '\0';
	return dst;
}

/* TO_NUMBER and sip_number: the safe characters of a SIP user part. */
static int
user_ok(const char *s, size_t n)
{
	return n <= ROUTES_TO_MAX && ascii_sip_user(s, n);
}

/* MODEL_ID and workspace. */
static int
id_ok(const char *s, size_t n)
{
	return n <= ROUTES_ID_MAX && ascii_id(s, n);
}

static int
var_name_ok(const char *s, size_t n)
{
	return n <= ROUTES_VAR_NAME_MAX && ascii_name(s, n);
}

/* The array p of *cap elements of size bytes, doubled; NULL on error. */
static void *
grow(void *p, size_t *cap, size_t size)
{
	size_t	 n = *cap == 0 ? 256 : *cap * 2;

	if (n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = realloc(p, n * size)) != NULL)
		*cap = n;
	return p;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *
field_end(char *p, char *end)
{
	while (p < end && !is_blank(*p))
		p++;
	return p;
}

/*
 * Read a variable's value at *pp, unquoting it in place; its length goes
 * to *lenp and *pp moves past it.
 */
static int
parse_value(struct parser *ps, char **pp, char *end, size_t *lenp)
{
	char	*in = *pp, *out = *pp, *q;

	if (*in != '"') {
		q = field_end(in, end);
		if (memchr(in, '"', q - in) != NULL)
			return bad(ps, "'\"' in an unquoted value");
		*lenp = q - in;
		*pp = q;
		return 0;
	}
	for (in++; in < end && *in != '"'; in++) {
		if (*in == '\\' && in + 1 < end &&
		    (in[1] == '"' || in[1] == '\\'))
			in++;
		*out++ = *in;
	}
	if (in == end)
		return bad(ps, "unterminated quote");
	if (in + 1 < end && !is_blank(in[1]))
		return bad(ps, "text after the closing quote");
	*lenp = out - *pp;
	*pp = in + 1;
	return 0;
}

/*
 * What is wrong with a field, not KEY=VALUE, that starts with a quote: only
 * a var.NAME value may be quoted, and this one may never close.
 */
static const char *
misplaced_quote(const char *field, const char *end)
{
	return memchr(field + 1, '"', end - field - 1) == NULL ?
	    "unterminated quote" : "a quote outside a var.NAME value";
}

/* One KEY=VALUE field at *pp for route e; *pp moves past it. */
static int
parse_key(struct parser *ps, struct entry *e, char **pp, char *end)
{
	struct routes		*rt = ps->rt;
	struct synthflow_var	*v;
	const char		*err;
	char			 msg[40], *key = *pp, *val, *p;
	size_t			 klen, vlen = 0, i;

	for (p = key; p < end && *p != '=' && !is_blank(*p); p++)
		;
	klen = p - key;
	if ((p == end || *p != '=') && *key == '"')
		return bad(ps, "%s", misplaced_quote(key, end));
	if (p == end || *p != '=')
		return bad(ps, "\"%s\" is not KEY=VALUE",
		    clip(msg, sizeof(msg), key, klen));
	val = p + 1;
	if (klen >= 4 && strncmp(key, "var.", 4) == 0) {
		if (!var_name_ok(key + 4, klen - 4))
			return bad(ps, "bad variable name \"%s\"",
			    clip(msg, sizeof(msg), key + 4, klen - 4));
		p = val;
		if (parse_value(ps, &p, end, &vlen) == -1)
			return -1;
		if (!utf8_text_ok(val, vlen))
			return bad(ps, "var.%.*s: invalid UTF-8 or a control "
			    "character", (int)(klen - 4), key + 4);
		key[klen] = '\0';
		val[vlen] = '\0';
		for (i = e->var0; i < rt->nvars; i++)
			if (strcmp(rt->vars[i].name, key + 4) == 0)
				return bad(ps, "repeated key \"%s\"", key);
		if (rt->nvars - e->var0 == ROUTES_VARS_MAX)
			return bad(ps, "more than %d variables",
			    ROUTES_VARS_MAX);
		if (rt->nvars == rt->varscap) {
			if ((v = grow(rt->vars, &rt->varscap, sizeof(*v))) ==
			    NULL)
				return bad(ps, "%s", strerror(errno));
			rt->vars = v;
		}
		rt->vars[rt->nvars].name = key + 4;
		rt->vars[rt->nvars].value = val;
		rt->nvars++;
		*pp = p < end ? p + 1 : p;
		return 0;
	}
	p = field_end(val, end);
	vlen = p - val;
	if (klen == 9 && strncmp(key, "workspace", 9) == 0) {
		if (e->route.workspace_id != NULL)
			return bad(ps, "repeated key \"workspace\"");
		if (!id_ok(val, vlen))
			return bad(ps, "bad workspace \"%s\"",
			    clip(msg, sizeof(msg), val, vlen));
		e->route.workspace_id = val;
	} else if (klen == 10 && strncmp(key, "sip_number", 10) == 0) {
		if (e->route.sip_number != NULL)
			return bad(ps, "repeated key \"sip_number\"");
		if (!user_ok(val, vlen))
			return bad(ps, "bad sip_number \"%s\"",
			    clip(msg, sizeof(msg), val, vlen));
		e->route.sip_number = val;
	} else if (klen == 14 && strncmp(key, "transfer_allow", 14) == 0) {
		if (e->route.transfer_allow != NULL)
			return bad(ps, "repeated key \"transfer_allow\"");
		val[vlen] = '\0';
		/* Empty: only Synthflow's bridge URIs, whatever the setting. */
		if ((err = refer_allow_check(val)) != NULL)
			return bad(ps, "bad transfer_allow: %s", err);
		e->route.transfer_allow = val;
	} else
		return bad(ps, "unknown key \"%s\"",
		    clip(msg, sizeof(msg), key, klen));
	*pp = p < end ? p + 1 : p;
	val[vlen] = '\0';
	return 0;
}

/*
 * Parse the line from p to end (its CR and LF excluded) into a new route,
 * or nothing for a blank or comment line.
 */
static int
parse_line(struct parser *ps, char *p, char *end, unsigned long lineno)
{
	struct routes	*rt = ps->rt;
	struct entry	*e;
	char		 msg[40], *q;
	int		 nf;

	if (rt->n == rt->cap) {
		if ((e = grow(rt->ent, &rt->cap, sizeof(*e))) == NULL)
			return bad(ps, "%s", strerror(errno));
		rt->ent = e;
	}
	e = &rt->ent[rt->n];
	memset(e, 0, sizeof(*e));
	e->var0 = rt->nvars;
	e->lineno = lineno;
	for (nf = 0;; nf++) {
		while (p < end && is_blank(*p))
			p++;
		if (p == end || *p == '#')
			break;
		if (nf >= 2) {
			if (parse_key(ps, e, &p, end) == -1)
				return -1;
			continue;
		}
		q = field_end(p, end);
		if (nf == 0) {
			if (!user_ok(p, q - p))
				return bad(ps, "bad TO_NUMBER \"%s\"",
				    clip(msg, sizeof(msg), p, q - p));
			e->route.to = p;
		} else {
			if (memchr(p, '=', q - p) != NULL)
				return bad(ps, "missing MODEL_ID");
			if (!id_ok(p, q - p))
				return bad(ps, "bad MODEL_ID \"%s\"",
				    clip(msg, sizeof(msg), p, q - p));
			e->route.model_id = p;
		}
		/* The separator (or the byte past the text) ends the field. */
		p = q < end ? q + 1 : q;
		*q = '\0';
	}
	if (nf == 0)
		return 0;
	if (nf == 1)
		return bad(ps, "missing MODEL_ID");
	e->route.nvars = rt->nvars - e->var0;
	rt->n++;
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->route.to, y->route.to)) != 0)
		return c;
	return x->lineno < y->lineno ? -1 : x->lineno > y->lineno;
}

static int
cmp_key(const void *key, const void *elem)
{
	const struct entry	*e = elem;

	return strcmp(key, e->route.to);
}

/*
 * Sort the routes; the index of the repeated To on the earliest line, or
 * rt->n when every To is unique.
 */
static size_t
sort_routes(struct routes *rt)
{
	size_t	 i, dup = rt->n;

	if (rt->n < 2)
		return dup;
	qsort(rt->ent, rt->n, sizeof(*rt->ent), cmp_entry);
	for (i = 1; i < rt->n; i++)
		if (strcmp(rt->ent[i - 1].route.to, rt->ent[i].route.to) ==
		    0 && (dup == rt->n ||
		    rt->ent[i].lineno < rt->ent[dup].lineno))
			dup = i;
	return dup;
}

/*
 * Parse the len bytes of text, which has room for one more and becomes the
 * table's (or is freed).
 */
static struct routes *
parse_text(const char *name, char *text, size_t len, char *err,
    size_t errlen)
{
	struct parser	 ps;
	struct routes	*rt;
	char		*p, *nl, *end, *next, *last = text + len;
	unsigned long	 lineno;
	size_t		 i, dup;
	int		 rc = 0;

	if ((rt = calloc(1, sizeof(*rt))) == NULL) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		free(text);
		return NULL;
	}
	rt->text = text;
	text[len] = '\0';
	ps.rt = rt;
	for (p = text, lineno = 1; p < last; p = next, lineno++) {
		if ((nl = memchr(p, '\n', last - p)) != NULL) {
			end = nl;
			next = nl + 1;
		} else
			end = next = last;
		if (end > p && end[-1] == '\r')
			end--;
		if (end - p > ROUTES_LINE_MAX)
			rc = bad(&ps, "line longer than %d bytes",
			    ROUTES_LINE_MAX);
		else if (memchr(p, '\0', end - p) != NULL)
			rc = bad(&ps, "NUL byte");
		else
			rc = parse_line(&ps, p, end, lineno);
		if (rc == -1)
			break;
	}
	/* A repeated To before the bad line is the first error. */
	if ((dup = sort_routes(rt)) < rt->n) {
		snprintf(err, errlen, "%s:%lu: duplicate TO_NUMBER \"%s\" "
		    "(first on line %lu)", name, rt->ent[dup].lineno,
		    rt->ent[dup].route.to, rt->ent[dup - 1].lineno);
		goto fail;
	}
	if (rc == -1) {
		snprintf(err, errlen, "%s:%lu: %s", name, lineno, ps.reason);
		goto fail;
	}
	for (i = 0; i < rt->n; i++)
		if (rt->ent[i].route.nvars > 0)
			rt->ent[i].route.vars = rt->vars + rt->ent[i].var0;
	return rt;
 fail:
	routes_free(rt);
	return NULL;
}

struct routes *
routes_parse(const char *name, const char *text, size_t len, char *err,
    size_t errlen)
{
	char	*copy;

	if (name == NULL)
		name = "routes";
	if (len > ROUTES_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", name,
		    ROUTES_FILE_MAX);
		return NULL;
	}
	if ((copy = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return NULL;
	}
	memcpy(copy, text, len);
	return parse_text(name, copy, len, err, errlen);
}

struct routes *
routes_load(const char *path, char *err, size_t errlen)
{
	char	*text, why[256];
	size_t	 len;

	if ((text = file_read_regular(path, ROUTES_FILE_MAX, &len, why,
	    sizeof(why))) == NULL) {
		snprintf(err, errlen, "%s: %s", path, why);
		return NULL;
	}
	return parse_text(path, text, len, err, errlen);
}

const struct route *
routes_find(const struct routes *rt, const char *to)
{
	const struct entry	*e;

	if (rt == NULL || to == NULL || rt->n == 0)
		return NULL;
	e = bsearch(to, rt->ent, rt->n, sizeof(*rt->ent), cmp_key);
	return e != NULL ? &e->route : NULL;
}

size_t
routes_count(const struct routes *rt)
{
	return rt != NULL ? rt->n : 0;
}

void
routes_free(struct routes *rt)
{
	if (rt == NULL)
		return;
	free(rt->text);
	free(rt->ent);
	free(rt->vars);
	free(rt);
}
