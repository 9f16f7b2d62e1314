/*
 * The log: stderr (one write(2) per line, so lines from different worker
 * threads never interleave) or syslog. Values are quoted and escaped so
 * that nothing a caller sends can forge a line or a key.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

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

static void
log_v(enum log_level level, const char *fmt, va_list ap)
{
	static const int	 prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	static const char *const name[] = { "error", "warn", "info", "debug" };
	char			 line[LOG_LINE_MAX];
	int			 n, m;

	if (!log_enabled(level))
		return;
	if (log_to == LOG_TO_SYSLOG) {
		vsyslog(prio[level], fmt, ap);
		return;
	}
	n = snprintf(line, sizeof(line), PACKAGE_NAME "[%ld]: %s: ",
	    (long)getpid(), name[level]);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;	/* truncated */
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
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

static int
plain(const char *v)
{
	if (*v == '\0')
		return 0;
	for (; *v != '\0'; v++)
		if ((unsigned char)*v <= ' ' || *v == '"' || *v == '\\' ||
		    *v == '=' || *v == 0x7f)
			return 0;
	return 1;
}

/* How much of value to log: all, or a cut before LOG_VALUE_MAX bytes. */
static size_t
loggable(const char *value, int *cut)
{
	size_t	 n = strlen(value);

	if ((*cut = n > LOG_VALUE_MAX) == 0)
		return n;
	n = LOG_VALUE_MAX;
	while (n > 0 && ((unsigned char)value[n] & 0xc0) == 0x80)
		n--;		/* not inside a UTF-8 sequence */
	return n;
}

int
log_kv(struct buf *b, const char *key, const char *value)
{
	const unsigned char	*p, *end;
	size_t			 n;
	int			 cut, rc = 0;

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
	for (p = (const unsigned char *)value; p < end; p++) {
		if (*p == '"' || *p == '\\')
			rc |= buf_printf(b, "\\%c", *p);
		else if (*p < ' ' || *p == 0x7f)
			rc |= buf_printf(b, "\\x%02x", *p);
		else
			rc |= buf_addc(b, *p);
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
