/*
 * Character classes of the ASCII inputs the program reads (form escapes,
 * SIP URI escapes), written once so that each rule lives in one place.
 */
#ifndef ASCII_H
#define ASCII_H

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

#endif
