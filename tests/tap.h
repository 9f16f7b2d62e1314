/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * A tiny header-only TAP producer for the unit tests: ok(), is_str(),
 * is_int(), has_str(), lacks_str(), is_mem(), diag(), a TODO block for known
 * bugs, tempfile() for the tests of file readers, and done_testing() which
 * prints the plan and gives the exit status.
 * Got/want are written as "# " lines, with unprintable bytes escaped, so
 * that a failure never breaks the TAP stream.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAP_UNUSED	__attribute__((unused))
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))

static int	 tap_count TAP_UNUSED;
static int	 tap_failed TAP_UNUSED;
static const char *tap_todo TAP_UNUSED;

/* Start marking tests as TODO with reason (a known bug); NULL ends it. */
static inline void
todo(const char *reason)
{
	tap_todo = reason;
}

static inline void TAP_PRINTF(1, 2)
diag(const char *fmt, ...)
{
	va_list	 ap;

	fflush(stdout);
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Write n bytes of s on one line, escaped, or (null). */
static inline void
tap_quote(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	if (s == NULL) {
		fputs("(null)", stdout);
		return;
	}
	fputc('"', stdout);
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			printf("\\%c", p[i]);
		else if (p[i] == '\n')
			fputs("\\n", stdout);
		else if (p[i] == '\t')
			fputs("\\t", stdout);
		else if (p[i] < 0x20 || p[i] >= 0x7f)
			printf("\\x%02x", p[i]);
		else
			fputc(p[i], stdout);
	}
	fputc('"', stdout);
}

static inline void
tap_diag_mem(const char *label, const char *s, size_t n)
{
	printf("#   %8s: ", label);
	tap_quote(s, n);
	fputc('\n', stdout);
}

static inline void
tap_diag_str(const char *label, const char *s)
{
	tap_diag_mem(label, s, s != NULL ? strlen(s) : 0);
}

static inline int TAP_PRINTF(4, 0)
tap_vresult(int pass, const char *file, int line, const char *fmt,
    va_list ap)
{
	char	 desc[512], *p;

	vsnprintf(desc, sizeof(desc), fmt, ap);
	/* A '#' would read as a directive; keep the line plain ASCII. */
	for (p = desc; *p != '\0'; p++)
		if (*p == '#')
			*p = '_';
		else if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	tap_count++;
	printf("%sok %d - %s", pass ? "" : "not ", tap_count, desc);
	if (tap_todo != NULL)
		printf(" # TODO %s", tap_todo);
	fputc('\n', stdout);
	if (!pass) {
		if (tap_todo == NULL)
			tap_failed++;
		printf("#   Failed %stest at %s line %d.\n",
		    tap_todo != NULL ? "(TODO) " : "", file, line);
	}
	fflush(stdout);
	return pass;
}

static inline int TAP_PRINTF(4, 5)
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

static inline int TAP_PRINTF(5, 6)
tap_is_str(const char *got, const char *want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 pass;

	if (got == NULL || want == NULL)
		pass = got == want;
	else
		pass = strcmp(got, want) == 0;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag_str("got", got);
		tap_diag_str("expected", want);
	}
	return pass;
}

static inline int TAP_PRINTF(7, 8)
tap_is_mem(const char *got, size_t gotlen, const char *want, size_t wantlen,
    const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;
	int	 pass;

	pass = got != NULL && want != NULL && gotlen == wantlen &&
	    memcmp(got, want, gotlen) == 0;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag_mem("got", got, gotlen);
		tap_diag_mem("expected", want, wantlen);
	}
	return pass;
}

static inline int TAP_PRINTF(5, 6)
tap_is_int(long long got, long long want, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	int	 pass = got == want;

	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		printf("#        got: %lld\n", got);
		printf("#   expected: %lld\n", want);
	}
	return pass;
}

/*
 * want (1) or not (0) needle somewhere in haystack; a NULL haystack or
 * needle fails either way, for it holds nothing that was looked for.
 */
static inline int TAP_PRINTF(6, 7)
tap_has_str(int want, const char *haystack, const char *needle,
    const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;
	int	 pass;

	if (haystack == NULL || needle == NULL)
		pass = 0;
	else
		pass = (strstr(haystack, needle) != NULL) == want;
	va_start(ap, fmt);
	tap_vresult(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass) {
		tap_diag_str("in", haystack);
		tap_diag_str(haystack == NULL ? "sought" : want ? "missing" :
		    "found", needle);
	}
	return pass;
}

/* Write len bytes of text to a new file under /tmp; its path into path. */
static inline int
tempfile(char path[64], const char *text, size_t len)
{
	int	 fd;

	snprintf(path, 64, "/tmp/unit-test.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* Print the plan; the exit status is 1 when a non-TODO test failed. */
static inline int
done_testing(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed > 0)
		diag("Looks like you failed %d test%s of %d.", tap_failed,
		    tap_failed == 1 ? "" : "s", tap_count);
	fflush(stdout);
	return tap_failed > 0 ? 1 : 0;
}

#define ok(cond, ...)	tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) \
	tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define is_mem(got, gotlen, want, wantlen, ...) \
	tap_is_mem((got), (gotlen), (want), (wantlen), __FILE__, __LINE__, \
	    __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, \
	    __VA_ARGS__)
#define has_str(haystack, needle, ...) \
	tap_has_str(1, (haystack), (needle), __FILE__, __LINE__, __VA_ARGS__)
#define lacks_str(haystack, needle, ...) \
	tap_has_str(0, (haystack), (needle), __FILE__, __LINE__, __VA_ARGS__)

#endif
