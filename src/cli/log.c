// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - see log.h.  Owns the verbosity and JSON-error switches, and the
 * log file: it becomes fd 2, so every writer of stderr follows it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "json_writer.h"
#include "log.h"

int log_verbose;
bool log_json;
static const char *log_path;	/* --log, or NULL: stderr as inherited */

void p_err(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (log_json) {
		struct json_writer *w = jsonw_new(stdout);

		if (w) {
			jsonw_start_object(w);
			jsonw_string_field(w, "error", buf);
			jsonw_end_object(w);
			jsonw_close(&w);
			return;
		}
	}
	fprintf(stderr, "kmscope: error: %s\n", buf);
}

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "kmscope: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void p_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void p_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void p_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && log_verbose < 2)
		return 0;
	if (!log_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}

int log_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	int err = 0;

	if (fd < 0)
		return -errno;
	fflush(stderr);
	if (dup2(fd, STDERR_FILENO) < 0)
		err = -errno;
	close(fd);
	if (!err)
		log_path = path;
	return err;
}

int log_reopen(void)
{
	return log_path ? log_open(log_path) : 0;
}
