/*
 * Fuzz target of twiml.c. The input gives the flags, numbers and strings of
 * a <Dial><Sip> answer and of a fallback; the SIP number, host and call id
 * are used only when they pass the checks the real callers make first (as
 * settings.c and synthflow.c do), the other strings as they come. Every
 * answer must be well-formed XML to the strict checker of xml.c, and
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
#include "xml.h"

#define ANSWER_MAX	(64 * 1024)	/* as webhook.c's */

enum {
	F_NUMBER, F_HOST, F_CALL_ID, F_CALL_SID, F_USERNAME, F_PASSWORD,
	F_CALLER_ID, F_SAY, F_LANGUAGE, F_REDIRECT, F_DIAL, F_COUNT
};

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
expect_element(const struct xml_node *n, const char *name, size_t nchild)
{
	if (strcmp(n->name, name) != 0 || n->nchild != nchild)
		fuzz_fail("<%s> with %zu children where <%s> with %zu was "
		    "expected", n->name, n->nchild, name, nchild);
}

static void
expect_text(const struct xml_node *n, const char *s)
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
expect_attrs(const struct xml_node *n, const char *const *names,
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
check_dial(struct buf *out, struct twiml_sip *t, size_t insize)
{
	static const char *const dial_attrs[] = { "answerOnBridge",
	    "callerId", "timeLimit", "timeout" };
	static const char *const sip_attrs[] = { "password", "username" };
	const char	*dial_values[4], *sip_values[2];
	char		 time_limit[32], timeout[32];
	struct xml_doc	*d;
	struct xml_node	*root;
	struct buf	 uri;
	const char	*semi = t->escape ? "%3B" : ";", *p;

	if (twiml_dial(out, t) == -1) {
		if (must_fit(insize))
			fuzz_fail("twiml_dial fails on a small answer");
		return;
	}
	if ((d = malloc(sizeof(*d))) == NULL)
		abort();
	root = xml_parse(d, TWIML_DECL, buf_str(out), out->len,
	    ANSWER_MAX);
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
	struct xml_doc	*d;
	struct xml_node	*root, *n;

	if (twiml_fallback(out, f) == -1) {
		if (must_fit(insize))
			fuzz_fail("twiml_fallback fails on a small answer");
		return;
	}
	if ((d = malloc(sizeof(*d))) == NULL)
		abort();
	root = xml_parse(d, TWIML_DECL, buf_str(out), out->len,
	    ANSWER_MAX);
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
	memset(&t, 0, sizeof(t));
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
