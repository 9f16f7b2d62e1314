/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * The log: stderr (one write(2) per line, so lines from different worker
 * threads never interleave) or syslog. Values are quoted and escaped so
 * that nothing a caller sends can forge a line or a key, and every line is
 * printable text: controls (C0, DEL, C1), the Unicode line and paragraph
 * separators and bytes that are not UTF-8 are written as \xNN, for log
 * viewers, terminals and SIEMs honour them.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "ascii.h"
#include "log.h"
#include "utf8.h"

#define LOG_LINE_MAX	4096
#define LOG_VALUE_MAX	256	/* longer values are cut, marked with "..." */

static enum log_to	log_to = LOG_TO_STDERR;
static enum log_level	log_level = LOG_LEVEL_INFO;

void
log_init(enum log_to to, enum log_level level)
{
	log_to = to;
	log_level = level;
	if (to == LOG_TO_SYSLOG)
		openlog(PACKAGE_NAME, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_enabled(enum log_level level)
{
	return log_to != LOG_TO_OFF && level <= log_level;
}

/*
 * The length of the character at p (n > 0 bytes left), and in *escape
 * whether a log shows it as \xNN: an ASCII control or DEL, a C1 control
 * (U+0080-U+009F), U+2028 or U+2029, or a byte that starts no valid UTF-8
 * sequence (then the length is 1).
 */
static size_t
char_len(const unsigned char *p, size_t n, int *escape)
{
	size_t	 len;

	/* Most of a log line is printable ASCII: no decoding for it. */
	if (p[0] >= 0x20 && p[0] < 0x7f) {
		*escape = 0;
		return 1;
	}
	if ((len = utf8_seqlen(p, n)) == 0) {
		*escape = 1;
		return 1;
	}
	if (len == 1)
		*escape = ascii_is_ctl(p[0]);
	else if (len == 2)
		*escape = p[0] == 0xc2 && p[1] <= 0x9f;
	else if (len == 3)
		*escape = p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9);
	else
		*escape = 0;
	return len;
}

/*
 * Append text to line[*len..size - 1), escaped as char_len says, up to
 * the last character that fits whole; line stays NUL-terminated.
 */
static void
add_text(char *line, size_t size, size_t *len, const char *text)
{
	const unsigned char	*p = (const unsigned char *)text;
	size_t			 left = strlen(text), n, i;
	int			 escape;

	for (; left > 0; p += n, left -= n) {
		/* A run of printable ASCII, most of any line, goes at once. */
		for (n = 0; n < left && p[n] >= 0x20 && p[n] < 0x7f; n++)
			;
		if (n > 0) {
			if (*len + n >= size)
				n = size - 1 - *len;
			memcpy(line + *len, p, n);
			*len += n;
			if (n == 0 || *len + 1 >= size)
				break;
			continue;
		}
		n = char_len(p, left, &escape);
		if (*len + (escape ? 4 * n : n) >= size)
			break;
		for (i = 0; i < n; i++) {
			if (escape)
				*len += (size_t)snprintf(line + *len,
				    size - *len, "\\x%02x", p[i]);
			else
				line[(*len)++] = (char)p[i];
		}
	}
	line[*len] = '\0';
}

static void	log_v(enum log_level, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

static void
log_v(enum log_level level, const char *fmt, va_list ap)
{
	static const int	 prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	static const char *const name[] = { "error", "warn", "info", "debug" };
	char			 msg[LOG_LINE_MAX], line[LOG_LINE_MAX];
	size_t			 n = 0;
	int			 m;

	if (!log_enabled(level))
		return;
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		return;
	if (log_to == LOG_TO_SYSLOG) {
		add_text(line, sizeof(line), &n, msg);
		syslog(prio[level], "%s", line);
		return;
	}
	m = snprintf(line, sizeof(line), PACKAGE_NAME "[%ld]: %s: ",
	    (long)getpid(), name[level]);
	if (m < 0)
		return;
	n = (size_t)m;
	/* A message too long is cut, leaving room for the newline. */
	add_text(line, sizeof(line) - 1, &n, msg);
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

#define LOG_FN(fn, level)			\
void						\
fn(const char *fmt, ...)			\
{						\
	va_list	 ap;				\
						\
	va_start(ap, fmt);			\
	log_v(level, fmt, ap);			\
	va_end(ap);				\
}

LOG_FN(log_error, LOG_LEVEL_ERROR)
LOG_FN(log_warn, LOG_LEVEL_WARN)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_debug, LOG_LEVEL_DEBUG)

/* 1 when the value can be written bare: nothing to quote or escape. */
static int
plain(const char *v)
{
	const unsigned char	*p = (const unsigned char *)v;
	size_t			 left = strlen(v), n;
	int			 escape;

	if (left == 0)
		return 0;
	for (; left > 0; p += n, left -= n) {
		if (*p > ' ' && *p < 0x7f) {
			if (*p == '"' || *p == '\\' || *p == '=')
				return 0;
			n = 1;
			continue;
		}
		n = char_len(p, left, &escape);
		if (escape || *p == ' ')
			return 0;
	}
	return 1;
}

/* How much of value to log: all, or a cut before LOG_VALUE_MAX bytes. */
static size_t
loggable(const char *value, int *cut)
{
	size_t	 n = strlen(value);

	if ((*cut = n > LOG_VALUE_MAX) == 0)
		return n;
	/* Not inside a UTF-8 sequence, of at most 4 bytes. */
	for (n = LOG_VALUE_MAX; n > LOG_VALUE_MAX - 3 &&
	    ((unsigned char)value[n] & 0xc0) == 0x80; n--)
		;
	return n;
}

int
log_kv(struct buf *b, const char *key, const char *value)
{
	const unsigned char	*p, *end;
	size_t			 n, len, i;
	int			 cut, escape, rc = 0;

	if (value == NULL || *value == '\0')
		value = "-";
	n = loggable(value, &cut);
	rc |= buf_addc(b, ' ');
	rc |= buf_addstr(b, key);
	if (!cut && plain(value)) {
		rc |= buf_addc(b, '=');
		rc |= buf_addstr(b, value);
		return rc ? -1 : 0;
	}
	rc |= buf_addstr(b, "=\"");
	end = (const unsigned char *)value + n;
	for (p = (const unsigned char *)value; p < end; p += len) {
		for (len = 0; p + len < end && p[len] >= 0x20 &&
		    p[len] < 0x7f && p[len] != '"' && p[len] != '\\'; len++)
			;
		if (len > 0) {
			rc |= buf_add(b, p, len);
			continue;
		}
		len = char_len(p, (size_t)(end - p), &escape);
		if (escape)
			for (i = 0; i < len; i++)
				rc |= buf_printf(b, "\\x%02x", p[i]);
		else if (*p == '"' || *p == '\\')
			rc |= buf_printf(b, "\\%c", *p);
		else
			rc |= buf_add(b, p, len);
	}
	if (cut)
		rc |= buf_addstr(b, "...");
	rc |= buf_addc(b, '"');
	return rc ? -1 : 0;
}

int
log_kv_masked(struct buf *b, const char *key, const char *value)
{
	char	 masked[128];
	size_t	 i, digits = 0, len;

	if (value == NULL)
		return log_kv(b, key, NULL);
	len = strlen(value);
	if (len >= sizeof(masked))
		len = sizeof(masked) - 1;
	for (i = 0; i < len; i++)
		digits += value[i] >= '0' && value[i] <= '9';
	for (i = 0; i < len; i++) {
		masked[i] = value[i];
		if (value[i] >= '0' && value[i] <= '9' && digits-- > 4)
			masked[i] = 'x';
	}
	masked[len] = '\0';
	return log_kv(b, key, masked);
}
