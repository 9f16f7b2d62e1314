/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The strict XML checker of the fuzz targets: it parses a small document
 * into a tree of elements, attributes and decoded text, and reports any
 * broken rule through fuzz_fail().
 */
#ifndef XML_H
#define XML_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define XML_NODES_MAX	8
#define XML_ATTRS_MAX	8
#define XML_NAME_MAX	32

struct xml_node {
	char		 name[XML_NAME_MAX];
	char		 attr[XML_ATTRS_MAX][XML_NAME_MAX];
	struct buf	 value[XML_ATTRS_MAX];	/* decoded */
	size_t		 nattr;
	struct buf	 text;		/* all character data, decoded */
	struct xml_node	*child[XML_NODES_MAX];
	size_t		 nchild;
};

struct xml_doc {
	const char	*s;		/* the document and its end */
	const char	*end;
	const char	*p;
	size_t		 max;		/* of a decoded text */
	struct xml_node	 pool[XML_NODES_MAX];
	size_t		 used;
};

/* 1 when c is a Char of XML 1.0. */
int	xml_char(uint32_t c);
/*
 * Parse the len bytes at s, which must begin with decl and hold one
 * element and nothing else but white space, into d; its root element.
 */
struct xml_node *xml_parse(struct xml_doc *d, const char *decl,
	    const char *s, size_t len, size_t max);
/* Release what xml_parse allocated. */
void	xml_free(struct xml_doc *d);

#endif
