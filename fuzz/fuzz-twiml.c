/*
 * Fuzz target of twiml.c. The input gives the flags, numbers and strings of
 * a <Dial><Sip> answer and of a fallback; the SIP number, host and call id
 * are used only when they pass the checks the real callers make first (as
 * settings.c and synthflow.c do), the other strings as they come. Every
 * answer must be well-formed XML to a strict checker written here, and
 * mean what was asked: the same elements, the attributes and texts given
 * (less what XML cannot carry), and a <Sip> URI of safe characters only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "synthflow.h"
#include "twiml.h"
#include "fuzz.h"

#define ANSWER_MAX	(64 * 1024)	/* as webhook.c's */
#define NODES_MAX	8
#define ATTRS_MAX	8
#define NAME_MAX_LEN	32

enum {
	F_NUMBER, F_HOST, F_CALL_ID, F_CALL_SID, F_USERNAME, F_PASSWORD,
	F_CALLER_ID, F_SAY, F_LANGUAGE, F_REDIRECT, F_DIAL, F_COUNT
};

struct node {
	char		 name[NAME_MAX_LEN];
	char		 attr[ATTRS_MAX][NAME_MAX_LEN];
	struct buf	 value[ATTRS_MAX];
	size_t		 nattr;
	struct buf	 text;		/* all character data, decoded */
	struct node	*child[NODES_MAX];
	size_t		 nchild;
};

struct doc {
	const char	*s;		/* the document and its end */
	const char	*end;
	const char	*p;
	struct node	 pool[NODES_MAX];
	size_t		 used;
};

/* XML 1.0's Char production. */
static int
xml_char(uint32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd ||
	    (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	    (c >= 0x10000 && c <= 0x10ffff);
}

static int
name_start(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	    c == ':';
}

static int
name_char(int c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' ||
	    c == '.';
}

static int
space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Append code point c to b as UTF-8. */
static void
add_utf8(struct buf *b, uint32_t c)
{
	char	 u[4];
	size_t	 n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	if (buf_add(b, u, n) == -1)
		abort();
}

static void
xml_name(struct doc *d, char name[NAME_MAX_LEN])
{
	size_t	 n = 0;

	if (d->p == d->end || !name_start((unsigned char)*d->p))
		fuzz_fail("XML: a name expected at offset %td: %s",
		    d->p - d->s, d->s);
	while (d->p < d->end && name_char((unsigned char)*d->p)) {
		if (n == NAME_MAX_LEN - 1)
			fuzz_fail("XML: a name too long: %s", d->s);
		name[n++] = *d->p++;
	}
	name[n] = '\0';
}

/* An entity or character reference at d->p ('&'), decoded into b. */
static void
xml_reference(struct doc *d, struct buf *b)
{
	static const struct {
		const char	*ref;
		char		 c;
	} named[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
	    { "&quot;", '"' }, { "&apos;", '\'' } };
	uint32_t	 c = 0;
	size_t		 i, digits = 0;
	int		 hex;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if ((size_t)(d->end - d->p) >= strlen(named[i].ref) &&
		    memcmp(d->p, named[i].ref, strlen(named[i].ref)) == 0) {
			d->p += strlen(named[i].ref);
			buf_addc(b, named[i].c);
			return;
		}
	if (d->end - d->p < 4 || d->p[1] != '#')
		fuzz_fail("XML: a bad reference at offset %td: %s",
		    d->p - d->s, d->s);
	d->p += 2;
	hex = *d->p == 'x';
	if (hex)
		d->p++;
	for (; d->p < d->end && *d->p != ';'; d->p++, digits++) {
		if (*d->p >= '0' && *d->p <= '9')
			c = c * (hex ? 16 : 10) + (uint32_t)(*d->p - '0');
		else if (hex && ((*d->p | 0x20) >= 'a' && (*d->p | 0x20) <= 'f'))
			c = c * 16 + (uint32_t)((*d->p | 0x20) - 'a' + 10);
		else
			fuzz_fail("XML: a bad character reference: %s", d->s);
		if (c > 0x10ffff)
			fuzz_fail("XML: a character reference too big: %s",
			    d->s);
	}
	if (d->p == d->end || digits == 0 || !xml_char(c))
		fuzz_fail("XML: a bad character reference: %s", d->s);
	d->p++;
	add_utf8(b, c);
}

/* One character of text or attribute value into b. */
static void
xml_text_char(struct doc *d, struct buf *b, int attribute)
{
	uint32_t	 c;
	size_t		 len;

	if (*d->p == '&') {
		xml_reference(d, b);
		return;
	}
	if (*d->p == '<')
		fuzz_fail("XML: a raw '<' at offset %td: %s", d->p - d->s,
		    d->s);
	if (*d->p == '\r' || (attribute && (*d->p == '\t' || *d->p == '\n')))
		fuzz_fail("XML: a raw white space the parser would change, at "
		    "offset %td: %s", d->p - d->s, d->s);
	if (!attribute && d->end - d->p >= 3 && memcmp(d->p, "]]>", 3) == 0)
		fuzz_fail("XML: \"]]>\" in text: %s", d->s);
	len = fuzz_utf8_decode((const unsigned char *)d->p,
	    (size_t)(d->end - d->p), &c);
	if (len == 0 || !xml_char(c))
		fuzz_fail("XML: not a Char at offset %td: %s", d->p - d->s,
		    d->s);
	buf_add(b, d->p, len);
	d->p += len;
}

static struct node *
xml_element(struct doc *d, int level)
{
	struct node	*n;
	char		 end[NAME_MAX_LEN];
	size_t		 i;
	char		 quote;

	if (level > 4 || d->used == NODES_MAX)
		fuzz_fail("XML: more elements than an answer has: %s", d->s);
	n = &d->pool[d->used++];
	if (d->p == d->end || *d->p++ != '<')
		fuzz_fail("XML: an element expected: %s", d->s);
	xml_name(d, n->name);
	for (;;) {
		if (d->p == d->end)
			fuzz_fail("XML: an unfinished tag: %s", d->s);
		if (*d->p == '>' || (*d->p == '/' && d->end - d->p >= 2 &&
		    d->p[1] == '>'))
			break;
		if (!space((unsigned char)*d->p))
			fuzz_fail("XML: no space before an attribute: %s",
			    d->s);
		while (d->p < d->end && space((unsigned char)*d->p))
			d->p++;
		if (d->p < d->end && (*d->p == '>' || *d->p == '/'))
			continue;
		if (n->nattr == ATTRS_MAX)
			fuzz_fail("XML: too many attributes: %s", d->s);
		xml_name(d, n->attr[n->nattr]);
		for (i = 0; i < n->nattr; i++)
			if (strcmp(n->attr[i], n->attr[n->nattr]) == 0)
				fuzz_fail("XML: attribute %s twice: %s",
				    n->attr[i], d->s);
		if (d->end - d->p < 2 || d->p[0] != '=' ||
		    (d->p[1] != '"' && d->p[1] != '\''))
			fuzz_fail("XML: an unquoted attribute: %s", d->s);
		quote = d->p[1];
		d->p += 2;
		buf_init(&n->value[n->nattr], ANSWER_MAX);
		buf_addstr(&n->value[n->nattr], "");
		while (d->p < d->end && *d->p != quote)
			xml_text_char(d, &n->value[n->nattr], 1);
		if (d->p == d->end)
			fuzz_fail("XML: an unterminated attribute: %s", d->s);
		d->p++;
		n->nattr++;
	}
	if (*d->p == '/') {
		d->p += 2;
		return n;
	}
	d->p++;
	for (;;) {
		if (d->p == d->end)
			fuzz_fail("XML: <%s> not closed: %s", n->name, d->s);
		if (*d->p != '<')
			xml_text_char(d, &n->text, 0);
		else if (d->end - d->p >= 2 && d->p[1] == '/')
			break;
		else if (n->nchild == NODES_MAX)
			fuzz_fail("XML: too many children: %s", d->s);
		else
			n->child[n->nchild++] = xml_element(d, level + 1);
	}
	d->p += 2;
	xml_name(d, end);
	while (d->p < d->end && space((unsigned char)*d->p))
		d->p++;
	if (strcmp(end, n->name) != 0 || d->p == d->end || *d->p++ != '>')
		fuzz_fail("XML: <%s> closed by </%s>: %s", n->name, end, d->s);
	return n;
}

/* Parse the answer strictly into d; its root element. */
static struct node *
xml_parse(struct doc *d, const char *s, size_t len)
{
	struct node	*root;
	size_t		 i;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < NODES_MAX; i++)
		buf_init(&d->pool[i].text, ANSWER_MAX);
	d->s = s;
	d->end = s + len;
	if (strlen(s) != len || !fuzz_utf8_valid(s, len))
		fuzz_fail("XML: a NUL or invalid UTF-8: %s", s);
	if (strncmp(s, TWIML_DECL, strlen(TWIML_DECL)) != 0)
		fuzz_fail("XML: does not start with the declaration: %s", s);
	d->p = s + strlen(TWIML_DECL);
	root = xml_element(d, 0);
	while (d->p < d->end && space((unsigned char)*d->p))
		d->p++;
	if (d->p != d->end)
		fuzz_fail("XML: text after the root element: %s", s);
	if (strcmp(root->name, "Response") != 0)
		fuzz_fail("XML: the root is <%s>", root->name);
	return root;
}

static void
xml_free(struct doc *d)
{
	size_t	 i, j;

	for (i = 0; i < NODES_MAX; i++) {
		buf_free(&d->pool[i].text);
		for (j = 0; j < d->pool[i].nattr; j++)
			buf_free(&d->pool[i].value[j]);
	}
}

/* What XML can carry of s, as twiml_escape must keep it. */
static void
carried(struct buf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = strlen(s), len;
	uint32_t		 c;

	buf_reset(b);
	buf_addstr(b, "");
	while (n > 0) {
		if ((len = fuzz_utf8_decode(p, n, &c)) == 0)
			len = 1;	/* a broken byte is dropped */
		else if (xml_char(c))
			buf_add(b, p, len);
		p += len;
		n -= len;
	}
}

/* Element n is name, with no attributes unless listed, and no text. */
static void
expect_element(const struct node *n, const char *name, size_t nchild)
{
	if (strcmp(n->name, name) != 0 || n->nchild != nchild)
		fuzz_fail("<%s> with %zu children where <%s> with %zu was "
		    "expected", n->name, n->nchild, name, nchild);
}

static void
expect_text(const struct node *n, const char *s)
{
	struct buf	 want;

	buf_init(&want, ANSWER_MAX);
	if (s == NULL)
		buf_addstr(&want, "");
	else
		carried(&want, s);
	if (strcmp(buf_str(&n->text), buf_str(&want)) != 0)
		fuzz_fail("<%s> text \"%s\", expected \"%s\"", n->name,
		    buf_str(&n->text), buf_str(&want));
	buf_free(&want);
}

/* The attributes of n are exactly the non-NULL ones of names/values. */
static void
expect_attrs(const struct node *n, const char *const *names,
    const char *const *values, size_t count)
{
	struct buf	 want;
	size_t		 i, j, present = 0;

	buf_init(&want, ANSWER_MAX);
	for (i = 0; i < count; i++) {
		if (values[i] == NULL)
			continue;
		present++;
		for (j = 0; j < n->nattr; j++)
			if (strcmp(n->attr[j], names[i]) == 0)
				break;
		if (j == n->nattr)
			fuzz_fail("<%s> has no %s", n->name, names[i]);
		carried(&want, values[i]);
		if (strcmp(buf_str(&n->value[j]), buf_str(&want)) != 0)
			fuzz_fail("<%s %s=\"%s\">, expected \"%s\"", n->name,
			    names[i], buf_str(&n->value[j]), buf_str(&want));
	}
	if (present != n->nattr)
		fuzz_fail("<%s> has %zu attributes, expected %zu", n->name,
		    n->nattr, present);
	buf_free(&want);
}

static int
sip_user_ok(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || strchr("+-._", *s) != NULL))
			return 0;
	return 1;
}

/* A host as settings.c accepts it: a name, or an IPv6 address in []. */
static int
host_ok(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > 253)
		return 0;
	if (s[0] == '[')
		return n >= 2 && s[n - 1] == ']' &&
		    strspn(s + 1, "0123456789abcdefABCDEF:.") == n - 2;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-") == n;
}

static int
id_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    (i > 0 && strchr("._-", s[i]) != NULL)))
			return 0;
	return i > 0 && i <= 128;
}

static int
alnum(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/*
 * An answer may fail only when it does not fit: never for an input whose
 * every byte escaped to six still fits.
 */
static int
must_fit(size_t insize)
{
	return insize < (ANSWER_MAX - 1024) / 6;
}

static void
check_dial(struct buf *out, const struct twiml_sip *t, size_t insize)
{
	static const char *const dial_attrs[] = { "answerOnBridge",
	    "callerId", "timeLimit", "timeout" };
	static const char *const sip_attrs[] = { "password", "username" };
	const char	*dial_values[4], *sip_values[2];
	char		 time_limit[32], timeout[32];
	struct doc	*d;
	struct node	*root;
	struct buf	 uri;
	const char	*semi = t->escape ? "%3B" : ";", *p;

	if (twiml_dial(out, t) == -1) {
		if (must_fit(insize))
			fuzz_fail("twiml_dial fails on a small answer");
		return;
	}
	if ((d = malloc(sizeof(*d))) == NULL)
		abort();
	root = xml_parse(d, buf_str(out), out->len);
	expect_element(root, "Response", 1);
	expect_text(root, NULL);
	expect_attrs(root, NULL, NULL, 0);
	expect_element(root->child[0], "Dial", 1);
	expect_text(root->child[0], NULL);
	snprintf(time_limit, sizeof(time_limit), "%ld", t->time_limit);
	snprintf(timeout, sizeof(timeout), "%ld", t->dial_timeout);
	dial_values[0] = t->answer_on_bridge == -1 ? NULL :
	    t->answer_on_bridge ? "true" : "false";
	dial_values[1] = t->caller_id;
	dial_values[2] = t->time_limit > 0 ? time_limit : NULL;
	dial_values[3] = t->dial_timeout > 0 ? timeout : NULL;
	expect_attrs(root->child[0], dial_attrs, dial_values, 4);
	expect_element(root->child[0]->child[0], "Sip", 0);
	sip_values[0] = t->password;
	sip_values[1] = t->username;
	expect_attrs(root->child[0]->child[0], sip_attrs, sip_values, 2);

	/* The URI of SPEC 2.4, and nothing in it a SIP URI must escape. */
	buf_init(&uri, ANSWER_MAX);
	buf_printf(&uri, "sip:%s@%s:%ld%s%s?X-EI=S.%s%s", t->number, t->host,
	    t->port, t->transport == TWIML_TCP ? ";transport=tcp" :
	    t->transport == TWIML_TLS ? ";transport=tls" : "",
	    t->transport == TWIML_TLS && t->secure ? ";secure=true" : "",
	    t->call_id, semi);
	if (alnum(t->call_sid))
		buf_printf(&uri, "E.%s%s", t->call_sid, semi);
	expect_text(root->child[0]->child[0], buf_str(&uri));
	for (p = buf_str(&root->child[0]->child[0]->text); *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') ||
		    strchr("+-._:;=?@%[]", *p) != NULL))
			fuzz_fail("<Sip> carries '%c': %s", *p, buf_str(out));
	buf_free(&uri);
	xml_free(d);
	free(d);
}

static void
check_fallback(struct buf *out, const struct twiml_fallback *f,
    size_t insize)
{
	static const char *const say_attrs[] = { "language" };
	struct doc	*d;
	struct node	*root, *n;

	if (twiml_fallback(out, f) == -1) {
		if (must_fit(insize))
			fuzz_fail("twiml_fallback fails on a small answer");
		return;
	}
	if ((d = malloc(sizeof(*d))) == NULL)
		abort();
	root = xml_parse(d, buf_str(out), out->len);
	expect_text(root, NULL);
	expect_attrs(root, NULL, NULL, 0);
	if (f->redirect != NULL || f->dial != NULL) {
		expect_element(root, "Response", 1);
		n = root->child[0];
		expect_element(n, f->redirect != NULL ? "Redirect" : "Dial", 0);
		expect_attrs(n, NULL, NULL, 0);
		expect_text(n, f->redirect != NULL ? f->redirect : f->dial);
	} else {
		expect_element(root, "Response", 2);
		n = root->child[0];
		expect_element(n, "Say", 0);
		expect_attrs(n, say_attrs, &f->language, 1);
		expect_text(n, f->say);
		expect_element(root->child[1], "Hangup", 0);
		expect_attrs(root->child[1], NULL, NULL, 0);
		expect_text(root->child[1], NULL);
	}
	xml_free(d);
	free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields	 f;
	struct twiml_sip	 t;
	struct twiml_fallback	 fb;
	struct buf		 out;
	const char		*number, *host, *call_id;
	uint8_t			 flags, have;

	/* flags, presence bits, port (2), timeout, time limit; strings. */
	if (size < 6 || fuzz_split(&f, data + 6, size - 6, F_COUNT) == -1)
		return 0;
	flags = data[0];
	have = data[1];
	number = f.field[F_NUMBER] != NULL ? f.field[F_NUMBER] : "";
	host = f.field[F_HOST] != NULL ? f.field[F_HOST] : "";
	call_id = f.field[F_CALL_ID] != NULL ? f.field[F_CALL_ID] : "";

	/* The checks the callers rely on, held against the ones here. */
	if (twiml_sip_user_safe(number) != sip_user_ok(number))
		fuzz_fail("twiml_sip_user_safe(\"%s\") gives %d", number,
		    twiml_sip_user_safe(number));
	if (synthflow_id_valid(call_id) != id_ok(call_id))
		fuzz_fail("synthflow_id_valid(\"%s\") gives %d", call_id,
		    synthflow_id_valid(call_id));

	buf_init(&out, ANSWER_MAX);
	if (sip_user_ok(number) && host_ok(host) && id_ok(call_id)) {
		t.number = number;
		t.host = host;
		t.port = 1 + (data[2] << 8 | data[3]) % 65535;
		t.transport = flags % 3 == 0 ? TWIML_UDP : flags % 3 == 1 ?
		    TWIML_TCP : TWIML_TLS;
		t.secure = flags >> 2 & 1;
		t.escape = flags >> 3 & 1;
		t.answer_on_bridge = (flags >> 4 & 3) == 1 ? 0 :
		    (flags >> 4 & 3) == 2 ? 1 : -1;
		t.call_id = call_id;
		t.call_sid = flags & 0x40 ? f.field[F_CALL_SID] : NULL;
		t.username = have & 0x01 ? f.field[F_USERNAME] : NULL;
		t.password = have & 0x02 ? f.field[F_PASSWORD] : NULL;
		t.caller_id = have & 0x04 ? f.field[F_CALLER_ID] : NULL;
		t.dial_timeout = data[4] > 200 ? 0 : data[4] * 3;
		t.time_limit = data[5] > 200 ? 0 : data[5] * 432;
		check_dial(&out, &t, size);
	}

	fb.say = f.field[F_SAY] != NULL ? f.field[F_SAY] : "";
	fb.language = have & 0x08 ? f.field[F_LANGUAGE] : NULL;
	fb.redirect = have & 0x10 ? f.field[F_REDIRECT] : NULL;
	fb.dial = have & 0x20 ? f.field[F_DIAL] : NULL;
	check_fallback(&out, &fb, size);

	buf_free(&out);
	fuzz_fields_free(&f);
	return 0;
}
