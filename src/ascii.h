/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The ASCII input classes of the program, each written once: the character
 * classes as inline tests, and the rules of the inputs made of them (a
 * Twilio SID, a SIP user part, an identifier, a name, a header name, a
 * host, an http(s) URL). A rule checks the characters and the shape; the
 * length limits are the callers', which own the buffers, but for a SID's,
 * which is Twilio's. Every rule takes the n bytes at s; a NUL among them
 * is outside every class.
 */
#ifndef ASCII_H
#define ASCII_H

#include <stddef.h>

/* Twilio's SIDs are 34 characters; the bound keeps X-EI and keys short. */
#define ASCII_SID_MAX	64

/* The value of a hexadecimal digit, or -1 for any other character. */
static inline int
ascii_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1 for 0-9. */
static inline int
ascii_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* 1 for A-Z, a-z and 0-9. */
static inline int
ascii_is_alnum(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    ascii_is_digit(c);
}

/* 1 for a control character: 0x00-0x1f and DEL (c as an unsigned char). */
static inline int
ascii_is_ctl(int c)
{
	return c < 0x20 || c == 0x7f;
}

/* 1 for printable ASCII, space included: 0x20-0x7e. */
static inline int
ascii_is_print(int c)
{
	return c >= 0x20 && c < 0x7f;
}

/* 1 for RFC 3986's unreserved characters: A-Z a-z 0-9 - . _ ~. */
static inline int
ascii_is_unreserved(int c)
{
	return ascii_is_alnum(c) || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

/* 1 for a Twilio SID: 1 to ASCII_SID_MAX letters and digits. */
int	ascii_sid(const char *s, size_t n);
/* 1 for a SIP user part we write: 1 or more of A-Z a-z 0-9 + - . _. */
int	ascii_sip_user(const char *s, size_t n);
/* 1 for an identifier (model, workspace): 1 or more of A-Z a-z 0-9 - . _. */
int	ascii_id(const char *s, size_t n);
/* 1 for a name (variable, parameter): 1 or more of A-Z a-z 0-9 _. */
int	ascii_name(const char *s, size_t n);
/* 1 for an environment variable's name: a name not starting with a digit. */
int	ascii_env_name(const char *s, size_t n);
/* 1 for the part of an X- header name after "X-": A-Z a-z 0-9 - _. */
int	ascii_header_token(const char *s, size_t n);
/*
 * 1 for a host: a name or IPv4 address of A-Z a-z 0-9 . - that does not
 * start with '-' or '.', or an IPv6 address in brackets of hex digits, ':'
 * and '.'.
 */
int	ascii_host(const char *s, size_t n);
/*
 * 1 for an http:// or https:// URL of printable ASCII without space and
 * "<>\^`{|}: anything else must come %-encoded.
 */
int	ascii_http_url(const char *s, size_t n);

#endif
