/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Fuzz target of log.c. The input, cut at its NUL bytes, is a free message
 * (logged as a warning) and the values of a per-request line (log_kv and
 * log_kv_masked in turn, logged at info level as call.c does). What the
 * log writes to stderr is caught through a pipe and held to the property
 * "a log line is one line of printable text": valid UTF-8 with no C0
 * control but its one final newline, no DEL, no C1 control, no U+2028 or
 * U+2029, at most 4096 bytes. The rules are written again here, with
 * fuzz.c's decoder, on purpose: an oracle sharing the code it judges
 * agrees with its bugs. Besides, every log_kv value short enough not to be
 * cut reads back as exactly its bytes, and a message that is already
 * printable text comes out as it is.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ascii.h"
#include "buf.h"
#include "log.h"
#include "fuzz.h"

#define FIELDS		8
#define LINE_MAX_BYTES	4096	/* log.c's line, newline included */
#define VALUE_MAX	256	/* log.c cuts longer values */

static int	 pipe_rd = -1, pipe_wr = -1, saved_stderr = -1;

static void
setup(void)
{
	int	 fds[2];

	if (pipe(fds) == -1 || fcntl(fds[0], F_SETFL, O_NONBLOCK) == -1 ||
	    (saved_stderr = dup(STDERR_FILENO)) == -1)
		abort();
	pipe_rd = fds[0];
	pipe_wr = fds[1];
	log_init(LOG_TO_STDERR, LOG_LEVEL_DEBUG);
}

/* Everything written to stderr since the last call, NUL-terminated. */
static size_t
drain(char *out, size_t size)
{
	size_t	 n = 0;
	ssize_t	 r;

	while (n + 1 < size &&
	    ((r = read(pipe_rd, out + n, size - n - 1)) > 0 ||
	    (r == -1 && errno == EINTR)))
		if (r > 0)
			n += (size_t)r;
	out[n] = '\0';
	return n;
}

/* The code points a log line must not hold. */
static int
forbidden(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029;
}

/* out[0..n) must be exactly one line of printable text. */
static void
check_line(const char *what, const char *out, size_t n)
{
	const unsigned char	*p = (const unsigned char *)out;
	uint32_t		 cp;
	size_t			 i, len;

	if (n == 0 || out[n - 1] != '\n')
		fuzz_fail("%s: %zu bytes, not one line ending in a newline",
		    what, n);
	if (n > LINE_MAX_BYTES)
		fuzz_fail("%s: a line of %zu bytes", what, n);
	for (i = 0; i < n - 1; i += len) {
		if ((len = fuzz_utf8_decode(p + i, n - 1 - i, &cp)) == 0)
			fuzz_fail("%s: not UTF-8 at byte %zu", what, i);
		if (forbidden(cp))
			fuzz_fail("%s: U+%04X raw at byte %zu", what,
			    (unsigned)cp, i);
	}
}

/*
 * Read one " key=value" at *pp into value (up to VALUE_MAX bytes decoded):
 * bare up to a space, or quoted with \" \\ and \xNN. -1 when malformed.
 */
static int
read_value(const char **pp, const char *key, char *value, size_t *len)
{
	const char	*p = *pp;
	size_t		 klen = strlen(key), v = 0;

	if (*p != ' ' || strncmp(p + 1, key, klen) != 0 || p[1 + klen] != '=')
		return -1;
	p += klen + 2;
	if (*p != '"') {
		while (*p != ' ' && *p != '\0' && v < 4 * VALUE_MAX) {
			if (*p == '"' || *p == '\\' || *p == '=')
				return -1;
			value[v++] = *p++;
		}
	} else {
		for (p++; *p != '"'; p++) {
			if (*p == '\0' || v >= 4 * VALUE_MAX)
				return -1;
			if (*p != '\\')
				value[v++] = *p;
			else if (p[1] == '"' || p[1] == '\\')
				value[v++] = *++p;
			else if (p[1] == 'x' && ascii_hexval(p[2]) != -1 &&
			    ascii_hexval(p[3]) != -1) {
				value[v++] = (char)(ascii_hexval(p[2]) << 4 |
				    ascii_hexval(p[3]));
				p += 3;
			} else
				return -1;
		}
		p++;
	}
	*len = v;
	*pp = p;
	return 0;
}

/* 1 when the n bytes at s hold no code point a log line must escape. */
static int
printable(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 len;

	for (; n > 0; p += len, n -= len)
		if ((len = fuzz_utf8_decode(p, n, &cp)) == 0 || forbidden(cp))
			return 0;
	return 1;
}

/* The free message: one printable line, unchanged when it was already. */
static void
check_message(const char *msg, size_t len)
{
	static char	 out[2 * LINE_MAX_BYTES];
	const char	*text;
	size_t		 n;

	dup2(pipe_wr, STDERR_FILENO);
	log_warn("%s", msg);
	dup2(saved_stderr, STDERR_FILENO);
	n = drain(out, sizeof(out));
	check_line("message", out, n);
	if ((text = strstr(out, ": warn: ")) == NULL)
		fuzz_fail("message: no level in \"%s\"", out);
	text += 8;
	if (len < LINE_MAX_BYTES / 2 && printable(msg, len) &&
	    ((size_t)(out + n - 1 - text) != len ||
	    memcmp(text, msg, len) != 0))
		fuzz_fail("message: printable text changed into \"%s\"", text);
}

/* The per-request line of the values: printable, each value read back. */
static void
check_values(struct fuzz_fields *f)
{
	static const char *const keys[] = { "call_sid", "to", "from",
	    "outcome", "synthflow_call_id", "transfer_target", "k" };
	static char	 out[2 * LINE_MAX_BYTES];
	char		 value[4 * VALUE_MAX + 1];
	struct buf	 b;
	const char	*p;
	size_t		 i, n, len, whole;

	buf_init(&b, LINE_MAX_BYTES);
	for (whole = 1; whole < f->n; whole++)
		if ((whole % 2 == 0 ? log_kv_masked(&b, keys[whole - 1],
		    f->field[whole]) : log_kv(&b, keys[whole - 1],
		    f->field[whole])) == -1)
			break;	/* full: the line so far is still logged */
	dup2(pipe_wr, STDERR_FILENO);
	log_info("%s", buf_str(&b) + (b.len > 0));
	dup2(saved_stderr, STDERR_FILENO);
	n = drain(out, sizeof(out));
	check_line("values", out, n);
	p = buf_str(&b);
	for (i = 1; i < whole; i++) {
		if (read_value(&p, keys[i - 1], value, &len) == -1)
			fuzz_fail("value %zu: not key=value at \"%s\"", i, p);
		n = strlen(f->field[i]);
		if (i % 2 == 1 && n > 0 && n <= VALUE_MAX &&
		    (len != n || memcmp(value, f->field[i], len) != 0))
			fuzz_fail("value %zu: reads back as %zu other bytes",
			    i, len);
	}
	if (whole == f->n && *p != '\0')
		fuzz_fail("values: more than %zu keys: \"%s\"", whole - 1, p);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields	 f;

	if (pipe_rd == -1)
		setup();
	if (fuzz_split(&f, data, size, FIELDS) == -1)
		abort();
	if (f.n > 0) {
		check_message(f.field[0], strlen(f.field[0]));
		check_values(&f);
	}
	fuzz_fields_free(&f);
	return 0;
}
