/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - the only way userspace talks to the user about problems.
 * p_err() is one line on stderr ("kmscope: error: ..."), or with -j an
 * {"error": ...} object on stdout, like bpftool.  Only main, the cmd_*
 * files and src/live/ (the start line, and what the loader and the session
 * could not do but went on without) call these; the pure modules return
 * -errno and let their caller explain.
 */
#ifndef KMS_LOG_H
#define KMS_LOG_H

#include <stdbool.h>

extern int log_verbose;		/* -v count */
extern bool log_json;		/* -j: errors as JSON on stdout */

void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Route libbpf's messages: warnings and debug only with -v. */
void log_setup_libbpf(void);
/*
 * Messages (stderr, and so libbpf's too) appended to path from now on, for
 * a long-running command; log_reopen() opens the same path again (after
 * logrotate moved it: SIGHUP).  0 or -errno; on error stderr is unchanged.
 */
int log_open(const char *path);
int log_reopen(void);

#endif /* KMS_LOG_H */
