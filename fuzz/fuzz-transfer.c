/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of refer.c and call_transfer.c: the answer to a refer callback.
 * The property: the answer is either the fallback or the Dial of an allowed
 * target rebuilt from validated parts. That is, a target the reader
 * refuses, or the allow list does not name, is never dialed; a bridge is
 * always dialed, to the configured Synthflow host and port only; and a
 * dial is well-formed XML to xml.c's strict checker whose <Number> is a
 * global number made of the target's digits in order, or whose <Sip> URI
 * holds only URI-safe characters, no parameter but transport (and secure
 * for a TLS bridge), a header part under 1024 characters, and reads back
 * through refer_parse as the same kind, user and host, still allowed.
 *
 * Input: the allow list, NUL, the target, NUL, one byte of flags (bits 0-1
 * the configured transport, bit 2 SIP_SECURE, bit 3 a caller id).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "call_transfer.h"
#include "refer.h"
#include "settings.h"
#include "twiml.h"
#include "fuzz.h"
#include "xml.h"

#define ANSWER_MAX	(64 * 1024)	/* as call.c's */
#define ACTION		"https://h.example/v?synthflow_twiml=dial"
#define REFER_URL	"https://h.example/v?synthflow_twiml=refer"
#define SIP_HOST	"sip.synthflow.ai"

static const char *
attr_of(const struct xml_node *n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n->nattr; i++)
		if (strcmp(n->attr[i], name) == 0)
			return buf_str(&n->value[i]);
	return NULL;
}

/* The digits of number appear in target in the same order. */
static void
check_number(const char *number, const char *target)
{
	const char	*p = target;
	size_t		 n = strlen(number), i;

	if (n < 8 || n > 16 || number[0] != '+' || number[1] == '0')
		fuzz_fail("<Number>%s</Number> is not +E164", number);
	for (i = 1; i < n; i++) {
		if (number[i] < '0' || number[i] > '9')
			fuzz_fail("<Number>%s</Number> is not +E164", number);
		/* A digit may come as itself or as a %3X escape. */
		while (*p != '\0' && *p != number[i] && !(p[0] == '%' &&
		    p[1] == '3' && p[2] == number[i]))
			p++;
		if (*p == '\0')
			fuzz_fail("<Number>%s</Number>: digit %zu not in the "
			    "target", number, i);
		p += *p == '%' ? 3 : 1;
	}
}

/* The <Sip> URI: safe characters, parameters and headers as promised. */
static void
check_sip(const char *uri, const struct refer_target *t,
    const struct settings *s, const char *allow)
{
	struct refer_target	 back;
	const char		*why, *q, *p, *e;
	char			 head[REFER_TARGET_MAX + 1];
	size_t			 len;

	for (p = uri; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~%:@;=&?+[]", *p)))
			fuzz_fail("<Sip> %s: character 0x%02x", uri,
			    (unsigned char)*p);
	if ((q = strchr(uri, '?')) != NULL && strlen(q + 1) > 1023)
		fuzz_fail("<Sip> header part of %zu characters",
		    strlen(q + 1));
	len = q != NULL ? (size_t)(q - uri) : strlen(uri);
	for (p = memchr(uri, ';', len); p != NULL && p < uri + len; p = e) {
		p++;
		e = p + strcspn(p, ";?");
		if (!(e - p == 13 && (strncmp(p, "transport=udp", 13) == 0 ||
		    strncmp(p, "transport=tcp", 13) == 0 ||
		    strncmp(p, "transport=tls", 13) == 0)) &&
		    !(t->kind == REFER_BRIDGE && e - p == 11 &&
		    strncmp(p, "secure=true", 11) == 0))
			fuzz_fail("<Sip> %s: parameter %.*s", uri, (int)(e - p),
			    p);
		if (*e != ';')
			break;
	}
	/* Encoding may take it past the reader's 256: the head, then. */
	if (strlen(uri) > REFER_TARGET_MAX) {
		if (len > REFER_TARGET_MAX)
			return;
		memcpy(head, uri, len);
		head[len] = '\0';
		uri = head;
	}
	if (refer_parse(uri, &back, &why) == -1)
		fuzz_fail("<Sip> %s does not read back: %s", uri, why);
	if (back.kind != t->kind || strcmp(back.user, t->user) != 0)
		fuzz_fail("<Sip> %s reads back as %s user %s, not %s %s", uri,
		    refer_kind_name(back.kind), back.user,
		    refer_kind_name(t->kind), t->user);
	if (t->kind == REFER_BRIDGE) {
		if (strcmp(back.host, SIP_HOST) != 0 ||
		    back.port != settings_sip_port(s))
			fuzz_fail("bridge dialed to %s:%ld", back.host,
			    back.port);
		return;
	}
	if (strcmp(back.host, t->host) != 0 || back.port != t->port)
		fuzz_fail("<Sip> %s: host %s, the target's %s", uri, back.host,
		    t->host);
	if (!refer_allowed(allow, &back))
		fuzz_fail("<Sip> %s is not allowed by \"%s\"", uri,
		    allow != NULL ? allow : "(none)");
}

static void
check_dial(const struct buf *out, const struct refer_target *t,
    const struct settings *s, const char *allow, const char *target)
{
	struct xml_doc	*d;
	struct xml_node	*root, *dial, *n;
	const char	*v;

	if ((d = malloc(sizeof(*d))) == NULL)
		abort();
	root = xml_parse(d, TWIML_DECL, buf_str(out), out->len, ANSWER_MAX);
	if (strcmp(root->name, "Response") != 0 || root->nchild != 1)
		fuzz_fail("not one element in <Response>");
	dial = root->child[0];
	if (strcmp(dial->name, "Dial") != 0 || dial->nchild != 1)
		fuzz_fail("not one noun in <Dial>");
	if ((v = attr_of(dial, "action")) == NULL || strcmp(v, ACTION) != 0)
		fuzz_fail("the Dial action is %s", v != NULL ? v : "missing");
	if ((v = attr_of(dial, "timeout")) == NULL || strcmp(v, "30") != 0)
		fuzz_fail("timeout %s", v != NULL ? v : "missing");
	v = attr_of(dial, "referUrl");
	if ((t->kind == REFER_BRIDGE) != (v != NULL && strcmp(v, REFER_URL) ==
	    0))
		fuzz_fail("referUrl %s on a %s dial", v != NULL ? v : "none",
		    refer_kind_name(t->kind));
	n = dial->child[0];
	if (t->kind == REFER_NUMBER) {
		if (strcmp(n->name, "Number") != 0 || n->nattr != 0)
			fuzz_fail("a number dialed as <%s>", n->name);
		check_number(buf_str(&n->text), target);
		if (!refer_allowed(allow, t))
			fuzz_fail("number %s dialed, not allowed", t->number);
	} else {
		if (strcmp(n->name, "Sip") != 0)
			fuzz_fail("a SIP target dialed as <%s>", n->name);
		if (t->kind == REFER_SIP && n->nattr != 0)
			fuzz_fail("a sip target with credentials");
		check_sip(buf_str(&n->text), t, s, allow);
	}
	xml_free(d);
	free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long	 transports[] = { TWIML_UDP, TWIML_TCP,
	    TWIML_TLS, TWIML_UDP };
	struct fuzz_fields	 f;
	struct settings		 s;
	struct refer_target	 t;
	struct buf		 out;
	const char		*allow, *target, *why = NULL;
	size_t			 dropped;
	int			 rc, flags;

	if (fuzz_split(&f, data, size, 3) == -1)
		return 0;
	allow = f.field[0];
	target = f.field[1];
	flags = f.field[2] != NULL && f.len[2] > 0 ?
	    (unsigned char)f.field[2][0] : 0;
	if (allow != NULL && refer_allow_check(allow) != NULL)
		allow = NULL;	/* a bad list never loads */
	memset(&s, 0, sizeof(s));
	s.str[S_SIP_HOST] = SIP_HOST;
	s.num[S_SIP_TRANSPORT] = transports[flags & 3];
	s.num[S_SIP_SECURE] = (flags & 4) != 0;
	s.num[S_TRANSFER_TIMEOUT] = 30;
	s.str[S_TRANSFER_CALLER_ID] = (flags & 8) ? "+1 \"<&>\"" : NULL;
	s.str[S_SIP_USERNAME] = "user";
	s.str[S_SIP_PASSWORD] = "pass";

	rc = refer_parse(target, &t, &why);
	if ((rc == -1) != (t.kind == REFER_INVALID) || (rc == -1 &&
	    why == NULL))
		fuzz_fail("refer_parse returned %d for kind %s", rc,
		    refer_kind_name(t.kind));
	if (target != NULL && strlen(target) > REFER_TARGET_MAX && rc == 0)
		fuzz_fail("a target of %zu characters read", strlen(target));
	if (t.kind == REFER_BRIDGE && !refer_allowed(allow, &t))
		fuzz_fail("a bridge refused");
	if (t.kind == REFER_INVALID && refer_allowed(allow, &t))
		fuzz_fail("an invalid target allowed");
	if (rc == 0 && refer_allowed(allow, &t)) {
		buf_init(&out, ANSWER_MAX);
		if (call_transfer_twiml(&out, &s, &t, ACTION, REFER_URL,
		    &dropped) == -1)
			fuzz_fail("a transfer of %zu characters does not fit",
			    strlen(target));
		check_dial(&out, &t, &s, allow, target);
		buf_free(&out);
	}
	fuzz_fields_free(&f);
	return 0;
}
