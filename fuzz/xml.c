/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * A strict checker of the XML the fuzz targets produce: the document must be
 * the given declaration and one element, with names of ASCII letters, every
 * attribute quoted and given once, only the five predefined entities and
 * character references, no raw '<' or '&' in text, and every character
 * valid UTF-8 and an XML 1.0 Char. White space that a parser would
 * normalise (CR anywhere, tab and newline in an attribute) is refused too,
 * so that what the checker decodes is what any parser would. It is not a
 * general XML parser: no comments, CDATA, processing instructions or DTD.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "xml.h"

/* XML 1.0's Char production. */
int
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
xml_name(struct xml_doc *d, char name[XML_NAME_MAX])
{
	size_t	 n = 0;

	if (d->p == d->end || !name_start((unsigned char)*d->p))
		fuzz_fail("XML: a name expected at offset %td: %s",
		    d->p - d->s, d->s);
	while (d->p < d->end && name_char((unsigned char)*d->p)) {
		if (n == XML_NAME_MAX - 1)
			fuzz_fail("XML: a name too long: %s", d->s);
		name[n++] = *d->p++;
	}
	name[n] = '\0';
}

/* An entity or character reference at d->p ('&'), decoded into b. */
static void
xml_reference(struct xml_doc *d, struct buf *b)
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
		else if (hex && (*d->p | 0x20) >= 'a' &&
		    (*d->p | 0x20) <= 'f')
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
xml_text_char(struct xml_doc *d, struct buf *b, int attribute)
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

static struct xml_node *
xml_element(struct xml_doc *d, int level)
{
	struct xml_node	*n;
	char		 end[XML_NAME_MAX];
	size_t		 i;
	char		 quote;

	if (level > 4 || d->used == XML_NODES_MAX)
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
		if (n->nattr == XML_ATTRS_MAX)
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
		buf_init(&n->value[n->nattr], d->max);
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
		else if (n->nchild == XML_NODES_MAX)
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

/* Parse the document strictly into d; its root element. */
struct xml_node *
xml_parse(struct xml_doc *d, const char *decl, const char *s, size_t len,
    size_t max)
{
	struct xml_node	*root;
	size_t		 i;

	memset(d, 0, sizeof(*d));
	d->max = max;
	for (i = 0; i < XML_NODES_MAX; i++)
		buf_init(&d->pool[i].text, max);
	d->s = s;
	d->end = s + len;
	if (strlen(s) != len || !fuzz_utf8_valid(s, len))
		fuzz_fail("XML: a NUL or invalid UTF-8: %s", s);
	if (strncmp(s, decl, strlen(decl)) != 0)
		fuzz_fail("XML: does not start with the declaration: %s", s);
	d->p = s + strlen(decl);
	root = xml_element(d, 0);
	while (d->p < d->end && space((unsigned char)*d->p))
		d->p++;
	if (d->p != d->end)
		fuzz_fail("XML: text after the root element: %s", s);
	return root;
}

/* Release the decoded texts of d. */
void
xml_free(struct xml_doc *d)
{
	size_t	 i, j;

	for (i = 0; i < XML_NODES_MAX; i++) {
		buf_free(&d->pool[i].text);
		for (j = 0; j < d->pool[i].nattr; j++)
			buf_free(&d->pool[i].value[j]);
	}
}
