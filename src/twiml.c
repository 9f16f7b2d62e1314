/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * TwiML generation. Every text and attribute value goes through
 * twiml_escape(); the SIP URI is built only from parts that are checked to
 * be safe here or were checked by their owners (the call id by synthflow.c,
 * the host by settings.c).
 */
#include "config.h"

#include <string.h>

#include "ascii.h"
#include "twiml.h"
#include "utf8.h"

const char *const twiml_transport_names[] = {
	[TWIML_UDP] = "udp", [TWIML_TCP] = "tcp", [TWIML_TLS] = "tls", NULL
};

int
twiml_sip_user_safe(const char *s)
{
	return ascii_sip_user(s, strlen(s));
}

int
twiml_sid_safe(const char *s)
{
	return s != NULL && ascii_sid(s, strlen(s));
}

int
twiml_token_safe(const char *s)
{
	size_t	 n;

	if (s == NULL || (n = strlen(s)) > TWIML_TOKEN_MAX)
		return 0;
	return ascii_sip_user(s, n);
}

/* Append s with every byte but A-Z a-z 0-9 - . _ ~ as %XX. */
static int
percent_encode(struct buf *out, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	int			 rc = 0;

	for (p = (const unsigned char *)s; *p != '\0' && rc == 0; p++) {
		if (ascii_is_unreserved(*p))
			rc = buf_addc(out, *p);
		else
			rc = buf_printf(out, "%%%c%c", hex[*p >> 4],
			    hex[*p & 0xf]);
	}
	return rc;
}

/*
 * The X-headers after the X-EI tokens, while the header part (from start)
 * stays within Twilio's limit; the first that does not fit ends the list.
 */
static int
sip_headers(struct buf *uri, size_t start, struct twiml_sip *s)
{
	size_t	 i, mark;

	for (i = 0; i < s->nheaders; i++) {
		mark = uri->len;
		if (buf_printf(uri, "%s%s=", uri->len > start ? "&" : "",
		    s->headers[i].name) == -1 ||
		    percent_encode(uri, s->headers[i].value) == -1 ||
		    uri->len - start > TWIML_HEADERS_MAX) {
			uri->len = mark;
			uri->data[mark] = '\0';
			break;
		}
	}
	s->dropped = s->nheaders - i;
	return 0;
}

int
twiml_escape(struct buf *out, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = strlen(s), len;
	int			 rc = 0;

	while (n > 0 && rc == 0) {
		/* Plain ASCII, the bulk of any answer, goes in runs. */
		for (len = 0; len < n && ascii_is_print(p[len]) &&
		    strchr("&<>\"'", p[len]) == NULL; len++)
			;
		if (len > 0) {
			rc = buf_add(out, p, len);
			p += len;
			n -= len;
			continue;
		}
		switch (*p) {
		case '&': rc = buf_addstr(out, "&amp;"); break;
		case '<': rc = buf_addstr(out, "&lt;"); break;
		case '>': rc = buf_addstr(out, "&gt;"); break;
		case '"': rc = buf_addstr(out, "&quot;"); break;
		case '\'': rc = buf_addstr(out, "&apos;"); break;
		/* Kept as characters, not folded to spaces in attributes. */
		case '\t': rc = buf_addstr(out, "&#9;"); break;
		case '\n': rc = buf_addstr(out, "&#10;"); break;
		case '\r': rc = buf_addstr(out, "&#13;"); break;
		default:
			/*
			 * XML cannot carry other controls, broken UTF-8 or
			 * the non-characters U+FFFE and U+FFFF.
			 */
			if ((len = utf8_seqlen(p, n)) == 0 || *p < 0x20 ||
			    (len == 3 && p[0] == 0xef && p[1] == 0xbf &&
			    p[2] >= 0xbe)) {
				p++;
				n--;
				continue;
			}
			rc = buf_add(out, p, len);
			p += len;
			n -= len;
			continue;
		}
		p++;
		n--;
	}
	return rc;
}

static int
attr(struct buf *out, const char *name, const char *value)
{
	if (value == NULL)
		return 0;
	if (buf_printf(out, " %s=\"", name) == -1 ||
	    twiml_escape(out, value) == -1)
		return -1;
	return buf_addc(out, '"');
}

static int
attr_long(struct buf *out, const char *name, long value)
{
	return value > 0 ? buf_printf(out, " %s=\"%ld\"", name, value) : 0;
}

static int
sip_uri(struct buf *out, struct twiml_sip *s)
{
	const char	*semi = s->escape ? "%3B" : ";";
	size_t		 start;
	int		 rc = 0;

	rc |= buf_printf(out, "sip:%s@%s", s->number, s->host);
	if (s->port > 0)
		rc |= buf_printf(out, ":%ld", s->port);
	if (s->transport == TWIML_TCP)
		rc |= buf_addstr(out, ";transport=tcp");
	else if (s->transport == TWIML_TLS) {
		rc |= buf_addstr(out, ";transport=tls");
		if (s->secure)
			rc |= buf_addstr(out, ";secure=true");
	}
	rc |= buf_addc(out, '?');
	start = out->len;
	if (s->call_id != NULL || twiml_sid_safe(s->call_sid) ||
	    twiml_token_safe(s->forwarded_from))
		rc |= buf_addstr(out, "X-EI=");
	if (s->call_id != NULL)
		rc |= buf_printf(out, "S.%s%s", s->call_id, semi);
	if (twiml_sid_safe(s->call_sid))
		rc |= buf_printf(out, "E.%s%s", s->call_sid, semi);
	if (twiml_token_safe(s->forwarded_from))
		rc |= buf_printf(out, "O.%s%s", s->forwarded_from, semi);
	rc |= sip_headers(out, start, s);
	if (out->len == start) {	/* no header at all: no '?' either */
		out->data[--out->len] = '\0';
	}
	return rc;
}

/* <Response><Dial ...> with the attributes in twilio-python's order. */
static int
dial_open(struct buf *out, const struct twiml_sip *s)
{
	int	 rc = 0;

	rc |= buf_addstr(out, TWIML_DECL "<Response><Dial");
	rc |= attr(out, "action", s->action);
	if (s->answer_on_bridge != -1)
		rc |= attr(out, "answerOnBridge",
		    s->answer_on_bridge ? "true" : "false");
	rc |= attr(out, "callerId", s->caller_id);
	rc |= attr(out, "referUrl", s->refer_url);
	rc |= attr_long(out, "timeLimit", s->time_limit);
	rc |= attr_long(out, "timeout", s->dial_timeout);
	rc |= buf_addc(out, '>');
	return rc;
}

int
twiml_dial(struct buf *out, struct twiml_sip *s)
{
	struct buf	 uri;
	int		 rc = 0;

	buf_reset(out);
	buf_init(&uri, out->max);
	rc |= sip_uri(&uri, s);
	rc |= dial_open(out, s);
	rc |= buf_addstr(out, "<Sip");
	rc |= attr(out, "password", s->password);
	rc |= attr(out, "username", s->username);
	rc |= buf_addc(out, '>');
	rc |= twiml_escape(out, buf_str(&uri));
	rc |= buf_addstr(out, "</Sip></Dial></Response>\n");
	buf_free(&uri);
	return rc ? -1 : 0;
}

int
twiml_dial_number(struct buf *out, const struct twiml_sip *s)
{
	int	 rc = 0;

	buf_reset(out);
	rc |= dial_open(out, s);
	rc |= buf_addstr(out, "<Number>");
	rc |= twiml_escape(out, s->number);
	rc |= buf_addstr(out, "</Number></Dial></Response>\n");
	return rc ? -1 : 0;
}

int
twiml_hangup(struct buf *out)
{
	buf_reset(out);
	return buf_addstr(out, TWIML_DECL "<Response><Hangup/></Response>\n");
}

int
twiml_empty(struct buf *out)
{
	buf_reset(out);
	return buf_addstr(out, TWIML_DECL "<Response/>\n");
}

int
twiml_reject(struct buf *out, const char *reason)
{
	int	 rc = 0;

	buf_reset(out);
	rc |= buf_addstr(out, TWIML_DECL "<Response><Reject reason=\"");
	rc |= twiml_escape(out, reason);
	rc |= buf_addstr(out, "\"/></Response>\n");
	return rc;
}

int
twiml_fallback(struct buf *out, const struct twiml_fallback *f)
{
	int	 rc = 0;

	buf_reset(out);
	rc |= buf_addstr(out, TWIML_DECL "<Response>");
	if (f->redirect != NULL) {
		rc |= buf_addstr(out, "<Redirect>");
		rc |= twiml_escape(out, f->redirect);
		rc |= buf_addstr(out, "</Redirect>");
	} else if (f->dial != NULL) {
		rc |= buf_addstr(out, "<Dial>");
		rc |= twiml_escape(out, f->dial);
		rc |= buf_addstr(out, "</Dial>");
	} else {
		rc |= buf_addstr(out, "<Say");
		rc |= attr(out, "language", f->language);
		rc |= buf_addc(out, '>');
		rc |= twiml_escape(out, f->say);
		rc |= buf_addstr(out, "</Say><Hangup/>");
	}
	rc |= buf_addstr(out, "</Response>\n");
	return rc ? -1 : 0;
}
