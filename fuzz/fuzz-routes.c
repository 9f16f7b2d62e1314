/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of routes.c. The input is a routing table for routes_parse,
 * which must agree with the syntax of routes.h written out again here, line
 * by line: a table the syntax accepts loads with the same routes, fields
 * and variables, every To found by routes_find and nothing else; a table
 * it refuses fails with "f:LINE: ..." naming the first bad line, or the
 * later line of the first repeated To. The character rules of each field
 * are checked once more on what routes_parse hands out.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refer.h"
#include "routes.h"
#include "fuzz.h"

#define LINE_MAX_	4096	/* ROUTES_LINE_MAX, CR and LF not counted */
#define VARS_MAX	64

struct var {
	char	*name;
	char	*value;
};

/* One route as the syntax reads it. */
struct want {
	char		*to;
	char		*model;
	char		*workspace;	/* NULL: none */
	char		*sip_number;
	char		*transfer_allow;	/* NULL: none */
	struct var	 var[VARS_MAX];
	size_t		 nvars;
	unsigned long	 lineno;
};

struct table {
	struct want	*r;
	size_t		 n, cap;
	unsigned long	 bad;		/* first refused line, or 0 */
	unsigned long	 first;		/* of a repeated To: its first line */
};

/*
 * The oracle's character rules, deliberately written again rather than
 * taken from routes.c, refer.c or ascii.h: a rule shared with the code it
 * judges would agree with that code's bugs.
 */
static int
blank(int c)
{
	return c == ' ' || c == '\t';
}

/* 1 to max bytes of s, each a letter, a digit or one of extra. */
static int
chars_ok(const char *s, size_t n, size_t max, const char *extra)
{
	size_t	 i;

	if (n < 1 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9')) &&
		    (s[i] == '\0' || strchr(extra, s[i]) == NULL))
			return 0;
	return 1;
}

/* TO_NUMBER and sip_number: 1 to 64 of '+', letters, digits, "-._". */
static int
user_ok(const char *s, size_t n)
{
	return chars_ok(s, n, 64, "+-._");
}

/* MODEL_ID and workspace: 1 to 128 letters, digits and "-_.". */
static int
id_ok(const char *s, size_t n)
{
	return chars_ok(s, n, 128, "-_.");
}

/* A variable's NAME: 1 to 64 of [A-Za-z0-9_]. */
static int
name_ok(const char *s, size_t n)
{
	return chars_ok(s, n, 64, "_");
}

/* A VALUE: UTF-8 without C0 controls and DEL. */
static int
value_ok(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return fuzz_utf8_valid(s, n);
}

static char *
copy_n(const char *s, size_t n)
{
	char	*p;

	if ((p = malloc(n + 1)) == NULL)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void
want_free(struct want *w)
{
	size_t	 i;

	free(w->to);
	free(w->model);
	free(w->workspace);
	free(w->sip_number);
	free(w->transfer_allow);
	for (i = 0; i < w->nvars; i++) {
		free(w->var[i].name);
		free(w->var[i].value);
	}
	memset(w, 0, sizeof(*w));
}

/*
 * A variable's value at s[*i] (n bytes in the line), bare or quoted; the
 * unquoted text, or NULL when the syntax refuses it. *i moves past it.
 */
static char *
value(const char *s, size_t n, size_t *i, size_t *len)
{
	char	*v;
	size_t	 b = *i, o = 0;

	if ((v = malloc(n - b + 1)) == NULL)
		abort();
	if (b < n && s[b] == '"') {
		for (b++; b < n && s[b] != '"'; b++) {
			if (s[b] == '\\' && b + 1 < n &&
			    (s[b + 1] == '"' || s[b + 1] == '\\'))
				b++;
			v[o++] = s[b];
		}
		/* Unterminated, or not followed by a blank or the end. */
		if (b == n || (b + 1 < n && !blank(s[b + 1])))
			goto bad;
		b++;
	} else {
		for (; b < n && !blank(s[b]); b++) {
			if (s[b] == '"')
				goto bad;
			v[o++] = s[b];
		}
	}
	if (!value_ok(v, o))
		goto bad;
	v[o] = '\0';
	*len = o;
	*i = b;
	return v;
bad:
	free(v);
	return NULL;
}

/*
 * The line s of n bytes (CR and LF gone) into w: -1 when refused, 0 for a
 * blank or comment line, 1 for a route.
 */
static int
line(const char *s, size_t n, struct want *w)
{
	const char	*kv;
	char		*v;
	size_t		 i = 0, b, k, len, j;
	int		 nf;

	memset(w, 0, sizeof(*w));
	if (n > LINE_MAX_ || memchr(s, '\0', n) != NULL)
		return -1;
	for (nf = 0;; nf++) {
		while (i < n && blank(s[i]))
			i++;
		if (i == n || s[i] == '#')
			break;
		b = i;
		if (nf < 2) {
			while (i < n && !blank(s[i]))
				i++;
			if (nf == 0 && !user_ok(s + b, i - b))
				return -1;
			if (nf == 1 && !id_ok(s + b, i - b))
				return -1;
			if (nf == 0)
				w->to = copy_n(s + b, i - b);
			else
				w->model = copy_n(s + b, i - b);
			continue;
		}
		/* KEY=VALUE; the key ends at '=' and has no blank. */
		for (k = b; k < n && s[k] != '=' && !blank(s[k]); k++)
			;
		if (k == n || s[k] != '=')
			return -1;
		i = k + 1;
		if (k - b >= 4 && memcmp(s + b, "var.", 4) == 0) {
			if (!name_ok(s + b + 4, k - b - 4) ||
			    w->nvars == VARS_MAX)
				return -1;
			for (j = 0; j < w->nvars; j++)
				if (strlen(w->var[j].name) == k - b - 4 &&
				    memcmp(w->var[j].name, s + b + 4,
				    k - b - 4) == 0)
					return -1;
			if ((v = value(s, n, &i, &len)) == NULL)
				return -1;
			w->var[w->nvars].name = copy_n(s + b + 4, k - b - 4);
			w->var[w->nvars++].value = v;
			continue;
		}
		while (i < n && !blank(s[i]))
			i++;
		kv = s + k + 1;
		len = i - k - 1;
		if (k - b == 9 && memcmp(s + b, "workspace", 9) == 0) {
			if (w->workspace != NULL || !id_ok(kv, len))
				return -1;
			w->workspace = copy_n(kv, len);
		} else if (k - b == 10 &&
		    memcmp(s + b, "sip_number", 10) == 0) {
			if (w->sip_number != NULL || !user_ok(kv, len))
				return -1;
			w->sip_number = copy_n(kv, len);
		} else if (k - b == 14 &&
		    memcmp(s + b, "transfer_allow", 14) == 0) {
			/*
			 * The allow list's own syntax is refer.c's, with
			 * unit tests and a fuzz target of its own.
			 */
			if (w->transfer_allow != NULL)
				return -1;
			w->transfer_allow = copy_n(kv, len);
			if (refer_allow_check(w->transfer_allow) != NULL)
				return -1;
		} else
			return -1;
	}
	if (nf == 0)
		return 0;
	return nf == 1 ? -1 : 1;
}

/* The whole input, line by line, as the syntax reads it, into t. */
static void
oracle(const char *s, size_t size, struct table *t)
{
	const char	*p = s, *end = s + size, *nl, *e;
	unsigned long	 lineno;
	struct want	 w;
	size_t		 i;
	int		 rc;

	memset(t, 0, sizeof(*t));
	for (lineno = 1; p < end; p = nl + 1, lineno++) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		e = nl;
		if (e > p && e[-1] == '\r')
			e--;
		rc = line(p, (size_t)(e - p), &w);
		if (rc == -1) {
			want_free(&w);
			t->bad = lineno;
			return;
		}
		if (rc == 0)
			continue;
		for (i = 0; i < t->n; i++)
			if (strcmp(t->r[i].to, w.to) == 0) {
				t->bad = lineno;
				t->first = t->r[i].lineno;
				want_free(&w);
				return;
			}
		if (t->n == t->cap) {
			t->cap = t->cap == 0 ? 16 : t->cap * 2;
			if ((t->r = realloc(t->r, t->cap * sizeof(*t->r))) ==
			    NULL)
				abort();
		}
		w.lineno = lineno;
		t->r[t->n++] = w;
	}
}

static int
same(const char *got, const char *want)
{
	if (got == NULL || want == NULL)
		return got == want;
	return strcmp(got, want) == 0;
}

/* What routes_parse handed out for one route, against its rules. */
static void
check_rules(const struct route *r)
{
	size_t	 i, j;

	if (r->to == NULL || !user_ok(r->to, strlen(r->to)))
		fuzz_fail("route To \"%s\"", r->to ? r->to : "(null)");
	if (r->model_id == NULL || !id_ok(r->model_id, strlen(r->model_id)))
		fuzz_fail("route %s: model \"%s\"", r->to,
		    r->model_id ? r->model_id : "(null)");
	if (r->workspace_id != NULL &&
	    !id_ok(r->workspace_id, strlen(r->workspace_id)))
		fuzz_fail("route %s: workspace \"%s\"", r->to,
		    r->workspace_id);
	if (r->sip_number != NULL &&
	    !user_ok(r->sip_number, strlen(r->sip_number)))
		fuzz_fail("route %s: sip_number \"%s\"", r->to,
		    r->sip_number);
	if (r->nvars > VARS_MAX || (r->nvars > 0) != (r->vars != NULL))
		fuzz_fail("route %s: %zu variables at %p", r->to, r->nvars,
		    (const void *)r->vars);
	for (i = 0; i < r->nvars; i++) {
		if (!name_ok(r->vars[i].name, strlen(r->vars[i].name)))
			fuzz_fail("route %s: variable name \"%s\"", r->to,
			    r->vars[i].name);
		if (!value_ok(r->vars[i].value, strlen(r->vars[i].value)))
			fuzz_fail("route %s: var.%s has a control character "
			    "or broken UTF-8", r->to, r->vars[i].name);
		for (j = 0; j < i; j++)
			if (strcmp(r->vars[i].name, r->vars[j].name) == 0)
				fuzz_fail("route %s: var.%s twice", r->to,
				    r->vars[i].name);
	}
}

/* A To that differs from to; how depends on k. */
static void
mutate(char *dst, const char *to, size_t k)
{
	size_t	 n = strlen(to);

	memcpy(dst, to, n + 1);
	switch (k % 4) {
	case 0:				/* one more character */
		dst[n] = "+0a_"[k / 4 % 4];
		dst[n + 1] = '\0';
		break;
	case 1:				/* one less */
		dst[n - 1] = '\0';
		break;
	case 2:				/* one changed */
		dst[k / 4 % n] ^= 1;
		break;
	default:			/* a '+' put before it */
		memmove(dst + 1, dst, n + 1);
		dst[0] = '+';
		break;
	}
}

static int
in_table(const struct table *t, const char *to)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->r[i].to, to) == 0)
			return 1;
	return 0;
}

static void
check_table(const struct routes *rt, const struct table *t)
{
	const struct route	*r, *m;
	const struct want	*w;
	char			 copy[ROUTES_TO_MAX + 1], other[80];
	size_t			 i, j, k;

	if (routes_count(rt) != t->n)
		fuzz_fail("%zu routes, the syntax %zu", routes_count(rt),
		    t->n);
	for (i = 0; i < t->n; i++) {
		w = &t->r[i];
		/* A copy: the lookup must not hang on the pointer. */
		snprintf(copy, sizeof(copy), "%s", w->to);
		if ((r = routes_find(rt, copy)) == NULL)
			fuzz_fail("line %lu: \"%s\" not found", w->lineno,
			    w->to);
		check_rules(r);
		if (routes_find(rt, r->to) != r)
			fuzz_fail("routes_find(its own To \"%s\") finds "
			    "another route", r->to);
		if (!same(r->to, w->to) || !same(r->model_id, w->model) ||
		    !same(r->workspace_id, w->workspace) ||
		    !same(r->sip_number, w->sip_number) ||
		    !same(r->transfer_allow, w->transfer_allow))
			fuzz_fail("line %lu: %s %s workspace=%s sip_number=%s, "
			    "the syntax %s %s workspace=%s sip_number=%s",
			    w->lineno, r->to, r->model_id,
			    r->workspace_id ? r->workspace_id : "(none)",
			    r->sip_number ? r->sip_number : "(none)",
			    w->to, w->model,
			    w->workspace ? w->workspace : "(none)",
			    w->sip_number ? w->sip_number : "(none)");
		if (r->nvars != w->nvars)
			fuzz_fail("line %lu: %zu variables, the syntax %zu",
			    w->lineno, r->nvars, w->nvars);
		for (j = 0; j < w->nvars; j++)
			if (strcmp(r->vars[j].name, w->var[j].name) != 0 ||
			    strcmp(r->vars[j].value, w->var[j].value) != 0)
				fuzz_fail("line %lu: var.%s=\"%s\", the "
				    "syntax var.%s=\"%s\"", w->lineno,
				    r->vars[j].name, r->vars[j].value,
				    w->var[j].name, w->var[j].value);
		/* Near misses find nothing, or their own route. */
		for (k = 0; k < 8; k++) {
			mutate(other, w->to, i + k);
			m = routes_find(rt, other);
			if (in_table(t, other) ? m == NULL ||
			    strcmp(m->to, other) != 0 : m != NULL)
				fuzz_fail("routes_find(\"%s\") gives %s", other,
				    m != NULL ? m->to : "nothing");
		}
	}
	if (routes_find(rt, "") != NULL || routes_find(rt, NULL) != NULL)
		fuzz_fail("routes_find of an empty or NULL To finds a route");
}

static void
check_error(const char *err, size_t errlen, const struct table *t,
    const uint8_t *data, size_t size)
{
	unsigned long	 lines = 1, lineno = 0;
	const char	*p;
	char		 want[64];
	size_t		 i;

	if (memchr(err, '\0', errlen) == NULL)
		fuzz_fail("error message without a NUL");
	if (strncmp(err, "f:", 2) != 0)
		fuzz_fail("error \"%s\" does not name the table", err);
	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			lines++;
	/* "f:LINE: reason", or "f: reason" for the file as a whole. */
	for (p = err + 2; *p >= '0' && *p <= '9' && lineno < 1000000000;
	    p++)
		lineno = lineno * 10 + (unsigned long)(*p - '0');
	if (p > err + 2) {
		if (*p != ':' || lineno < 1 || lineno > lines + 1)
			fuzz_fail("error on line %lu of %lu: %s", lineno,
			    lines, err);
		p++;
	}
	if (lineno != t->bad)
		fuzz_fail("\"%s\", the syntax refuses line %lu", err, t->bad);
	if (p[0] != ' ' || p[1] == '\0')
		fuzz_fail("\"%s\" gives no reason", err);
	if (t->first != 0) {
		snprintf(want, sizeof(want), "(first on line %lu)", t->first);
		if (strstr(err, "duplicate TO_NUMBER") == NULL ||
		    strstr(err, want) == NULL)
			fuzz_fail("\"%s\", the syntax: a duplicate, %s", err,
			    want);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct routes	*rt;
	struct table	 t;
	char		 err[256];
	size_t		 i;

	oracle((const char *)data, size, &t);
	memset(err, 'x', sizeof(err));
	rt = routes_parse("f", (const char *)data, size, err, sizeof(err));
	if (rt != NULL && t.bad != 0)
		fuzz_fail("loaded with %zu routes, the syntax refuses line %lu",
		    routes_count(rt), t.bad);
	if (rt == NULL && t.bad == 0)
		fuzz_fail("refused (%.*s), the syntax has %zu routes",
		    (int)sizeof(err) - 1, err, t.n);
	if (rt != NULL)
		check_table(rt, &t);
	else
		check_error(err, sizeof(err), &t, data, size);
	routes_free(rt);
	for (i = 0; i < t.n; i++)
		want_free(&t.r[i]);
	free(t.r);
	return 0;
}
