/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd.h - what every command shares: the global options, the filter and
 * session options parsed by one argp child, and the exit-code convention
 * (0 ok, 1 runtime error, 2 usage; with `-- CMD`, the command's status).
 */
#ifndef KMS_CMD_H
#define KMS_CMD_H

#include <argp.h>
#include <stdbool.h>
#include <stdio.h>

#include "session.h"

#define KMS_EXIT_OK	0
#define KMS_EXIT_ERROR	1
#define KMS_EXIT_USAGE	2

struct global_opts {
	bool json;
	bool pretty;
	bool redact;	/* --redact: kernel addresses hashed in outputs */
	int verbose;
};

extern struct global_opts gopts;

/* Options every tracing command takes; `input` decides live vs replay. */
struct common_opts {
	struct session_opts so;
	double ring_mb;
	const char *live_only;	/* the first option given that only a live trace takes */
	const char *no_input;	/* set by a command that refuses -i: the error */
	const char *no_drop;	/* ... that refuses --drop-caches: the error */
	const char *no_pair;	/* ... that refuses --pair: the error */
};

extern const struct argp common_argp;	/* child parser: filters + session */
extern const struct argp output_argp;	/* child parser: -j, --pretty, -v */

void common_opts__init(struct common_opts *co);
/*
 * A count (-n, --iterations, --hot): decimal digits only, 0 to max; a
 * sign, junk or overflow is argp_error() (exit 2).
 */
unsigned long long parse_count(struct argp_state *st, const char *opt, const char *arg,
			       unsigned long long max);
/* Resolve what needs the system (cgroup path -> id); prints, returns exit code. */
int common_opts__finish(struct common_opts *co);
/* Split argv at "--": returns the index of the command, or argc. */
int split_command(int argc, char **argv);
/*
 * argp_parse() with kmscope's error line: argp's usage errors become one
 * `kmscope: error: ...` line (JSON with -j anywhere in argv).  Returns 0,
 * or KMS_EXIT_USAGE after saying what is wrong.
 */
int kms_argp_parse(const struct argp *argp, int argc, char **argv, unsigned int flags,
		   void *input);
/*
 * Parse a tracing command's options (argv up to "--", the command after it
 * into co->so.cmd) and finish the common options.  Returns an exit code:
 * KMS_EXIT_OK to go on.
 */
int parse_tracing_args(const struct argp *argp, int argc, char **argv, void *input,
		       struct common_opts *co);
/*
 * The keys every tracing command's parser leaves to this: hand co to the
 * common options' child parser, refuse a stray argument (the command goes
 * after --); ARGP_ERR_UNKNOWN for any other key.
 */
error_t tracing_key(int key, char *arg, struct argp_state *st, struct common_opts *co);
/*
 * Open an output file now, before the trace, so a path that cannot be
 * written fails before anything is loaded (one line, exit 1; exit 2 when
 * it is the recording read with -i).  replace: the temporary file of
 * write_output_replace().  The write_output*() of the same path use it;
 * a file created here and never written is removed at exit.  Returns an
 * exit code.
 */
int prepare_output(const char *path, bool replace, const char *input);
/*
 * Run fn on stdout, or on PATH created 0600 (reports name kernel
 * addresses); flush, close, and say what failed.  Returns 0 or -errno.
 */
int write_output(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx);
/* The same through a temporary file renamed over path (mode 0644). */
int write_output_replace(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx);
/*
 * The cache names and merged caches' aliases of the trace's start
 * snapshot (live, or the recording's), or NULL when there is none.
 */
struct slabsys *session_slab_names(const struct session *s);
/* After a live trace: one line when -p/--tid's process or thread ended it. */
void say_why_ended(const struct session *s);
/*
 * The traced command's exit status when there was one (126/127 when it
 * could not be executed, even after an error), else fallback.
 */
int exit_code(const struct session *s, int fallback);

/*
 * Create an output file 0600 without following a symlink, or take the one
 * prepare_output() opened, emptied; NULL + errno.
 */
FILE *open_private(const char *path);

int cmd_stat(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_sizes(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif /* KMS_CMD_H */
