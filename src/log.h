/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Logging to stderr or syslog, one line per event, with levels; and the
 * key=value helpers the per-request line is made of. Every line written is
 * one line of printable UTF-8: controls, C1 controls, U+2028, U+2029 and
 * bytes that are not UTF-8 come out as \xNN, in messages and values alike.
 */
#ifndef LOG_H
#define LOG_H

#include <stddef.h>

#include "buf.h"

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG };
enum log_to { LOG_TO_STDERR, LOG_TO_SYSLOG, LOG_TO_OFF };

/* Choose the destination and the most verbose level written. */
void	log_init(enum log_to, enum log_level);
/* 1 when a message at level would be written. */
int	log_enabled(enum log_level);
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * Append " key=value", quoted when needed (\" \\ and \xNN inside the
 * quotes); "-" when empty; a value longer than 256 bytes is cut and ends
 * in "...".
 */
int	log_kv(struct buf *, const char *key, const char *value);
/* Append " key=value" with every digit but the last four masked. */
int	log_kv_masked(struct buf *, const char *key, const char *value);

#endif
