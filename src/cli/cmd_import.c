// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_import.c - `kmscope import FILE -o OUT`: convert the kmem tracepoint
 * text of the kernel's trace file or of `perf script` into a recording
 * that stat, report and trace read with -i.  The conversion is src/import.c;
 * this file reads the input, writes the output and says what was skipped.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "import.h"
#include "json_writer.h"
#include "log.h"
#include "recfile.h"

enum {
	OPT_PAGE_SIZE = 1000,
};

struct import_args {
	const char *input;
	const char *output;
	struct kms_import_opts io;
	bool quiet;
};

static const struct argp_option import_options[] = {
	{ "output", 'o', "FILE", 0, "Write the recording to FILE (default kmscope.data)", 1 },
	{ "kernel", 'k', "RELEASE", 0, "Kernel release to store (default \"imported\")", 1 },
	{ "page-size", OPT_PAGE_SIZE, "BYTES", 0, "Page size of the traced machine (default 4096)", 1 },
	{ "quiet", 'q', NULL, 0, "No summary on stderr", 1 },
	{ 0 },
};

static error_t parse_import(int key, char *arg, struct argp_state *st)
{
	struct import_args *a = st->input;
	unsigned long v;
	char *end;

	switch (key) {
	case 'o':
		a->output = arg;
		break;
	case 'k':
		a->io.kernel = arg;
		break;
	case OPT_PAGE_SIZE:
		errno = 0;
		v = strtoul(arg, &end, 0);
		if (errno || end == arg || *end || arg[0] == '-' || v < 4096 || v > (1ul << 20) ||
		    (v & (v - 1)))
			argp_error(st, "invalid page size '%s' (a power of two, 4096 to 1048576)",
				   arg);
		a->io.page_size = v;
		break;
	case 'q':
		a->quiet = true;
		break;
	case ARGP_KEY_ARG:
		if (a->input)
			argp_error(st, "unexpected argument '%s' (one input FILE)", arg);
		a->input = arg;
		break;
	case ARGP_KEY_END:
		if (!a->input)
			argp_error(st, "no input FILE (use - for stdin)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child import_children[] = { { &output_argp, 0, NULL, 0 }, { 0 } };

static const struct argp import_argp = {
	import_options, parse_import, "FILE",
	"Convert kmem tracepoint text into a recording for stat, report and trace -i.\v"
	"FILE is the text of /sys/kernel/tracing/trace (or trace_pipe) with the kmem "
	"kmalloc, kfree, kmem_cache_alloc and kmem_cache_free events enabled, or the "
	"output of `perf script` for `perf record -e 'kmem:*'`; - reads stdin.  The format "
	"is detected per line; other lines are skipped and counted.  Ctrl-C on a stream "
	"(trace_pipe) ends the input and still writes the recording.\n\n"
	"tracefs hashes pointers by default (options/hash-ptr): a hashed value is the "
	"same for the same pointer, so allocations and frees still match, but a hashed "
	"ZERO_SIZE_PTR (0x10) cannot be told apart and counts as a free of an untraced "
	"object; kfree(NULL) prints as 0 and is counted as free_null.  Call sites get "
	"pseudo addresses; reports print the same func+0xoff.\n\n"
	"Examples:\n"
	"  cat /sys/kernel/tracing/trace | kmscope import - -o ftrace.data\n"
	"  perf script -i perf.data | kmscope import - -o perf.data.kms\n"
	"  kmscope report -i ftrace.data",
	import_children, NULL, NULL,
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* SIGINT/SIGTERM end a stream (trace_pipe): interrupt the read, not us. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void summary(const struct kms_import *im, const char *in, const char *out,
		    uint64_t bytes)
{
	const struct kms_import_stats *st = kms_import__stats(im);
	uint64_t ev = st->events[KMS_IMPORT_KMALLOC] + st->events[KMS_IMPORT_KFREE] +
		      st->events[KMS_IMPORT_CACHE_ALLOC] + st->events[KMS_IMPORT_CACHE_FREE];

	if (gopts.json) {
		struct json_writer *w = jsonw_new(stdout);

		if (!w)
			return;
		jsonw_pretty(w, gopts.pretty);
		jsonw_start_object(w);
		jsonw_string_field(w, "input", in);
		jsonw_string_field(w, "output", out);
		jsonw_string_field(w, "method", kms_import__method(im));
		jsonw_uint_field(w, "lines", st->lines);
		jsonw_uint_field(w, "events", ev);
		jsonw_uint_field(w, "kmalloc", st->events[KMS_IMPORT_KMALLOC]);
		jsonw_uint_field(w, "kfree", st->events[KMS_IMPORT_KFREE]);
		jsonw_uint_field(w, "kmem_cache_alloc", st->events[KMS_IMPORT_CACHE_ALLOC]);
		jsonw_uint_field(w, "kmem_cache_free", st->events[KMS_IMPORT_CACHE_FREE]);
		jsonw_uint_field(w, "free_null", st->free_null);
		jsonw_uint_field(w, "skipped_other", st->other_events);
		jsonw_uint_field(w, "skipped_bad", st->bad);
		jsonw_uint_field(w, "gfp_unknown", st->gfp_unknown);
		jsonw_uint_field(w, "records", st->records);
		jsonw_uint_field(w, "bytes", bytes);
		jsonw_end_object(w);
		jsonw_close(&w);
		return;
	}
	fprintf(stderr, "kmscope: imported %" PRIu64 " events (%s: %" PRIu64 " kmalloc, %" PRIu64
		" kfree, %" PRIu64 " kmem_cache_alloc, %" PRIu64 " kmem_cache_free; %" PRIu64
		" frees of NULL) from %" PRIu64 " lines to %s (%" PRIu64 " bytes); skipped %"
		PRIu64 " lines of other events, %" PRIu64 " unparsable\n",
		ev, kms_import__method(im), st->events[KMS_IMPORT_KMALLOC],
		st->events[KMS_IMPORT_KFREE], st->events[KMS_IMPORT_CACHE_ALLOC],
		st->events[KMS_IMPORT_CACHE_FREE], st->free_null, st->lines, out, bytes,
		st->other_events, st->bad);
	if (st->gfp_unknown)
		fprintf(stderr, "kmscope: %" PRIu64 " gfp flag names unknown to kmscope were "
			"dropped from the flags\n", st->gfp_unknown);
}

static int read_input(struct kms_import *im, FILE *in, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	while (!stop && (n = getline(&line, &cap, in)) >= 0) {
		err = kms_import__line(im, line, n);
		if (err)
			break;
	}
	if (!err && ferror(in) && !stop)
		err = errno ? -errno : -EIO;
	free(line);
	if (err)
		p_err("reading '%s': %s", name, strerror(-err));
	return err;
}

static int import_write(struct kms_import *im, const char *path, uint64_t *bytes)
{
	FILE *f = open_private(path);
	struct recfile_writer *w;
	int err;

	if (!f) {
		p_err("cannot create '%s': %s", path, strerror(errno));
		return -errno;
	}
	w = recfile_writer__new(f);
	err = w ? kms_import__write(im, w) : -ENOMEM;
	if (w)
		*bytes = recfile_writer__bytes_written(w);
	recfile_writer__free(w);
	if (fclose(f) && !err)
		err = -errno;
	if (err)
		p_err("writing '%s' failed: %s", path, strerror(-err));
	return err;
}

int cmd_import(int argc, char **argv)
{
	struct import_args a = { .output = "kmscope.data" };
	const struct kms_import_stats *st;
	struct kms_import *im;
	uint64_t bytes = 0;
	FILE *in;
	int err;

	if (kms_argp_parse(&import_argp, argc, argv, 0, &a))
		return KMS_EXIT_USAGE;
	if (strcmp(a.input, "-") && !strcmp(a.input, a.output)) {
		p_err("input and output are the same file '%s'", a.input);
		return KMS_EXIT_USAGE;
	}
	in = strcmp(a.input, "-") ? fopen(a.input, "re") : stdin;
	if (!in) {
		p_err("cannot open '%s': %s", a.input, strerror(errno));
		return KMS_EXIT_ERROR;
	}
	/* Before a stream (trace_pipe) is read: a bad -o must not cost the capture. */
	err = prepare_output(a.output, false, strcmp(a.input, "-") ? a.input : NULL);
	if (err) {
		if (in != stdin)
			fclose(in);
		return err;
	}
	im = kms_import__new(&a.io);
	if (!im) {
		p_err("out of memory");
		if (in != stdin)
			fclose(in);
		return KMS_EXIT_ERROR;
	}
	catch_signals();
	err = read_input(im, in, a.input);
	if (in != stdin)
		fclose(in);
	st = kms_import__stats(im);
	if (!err && !st->records && !st->free_null) {
		p_err("no kmem events in '%s' (%" PRIu64 " lines: %" PRIu64 " of other events, %"
		      PRIu64 " unparsable); nothing written", a.input, st->lines, st->other_events,
		      st->bad);
		err = -ENODATA;
	}
	if (!err)
		err = import_write(im, a.output, &bytes);
	if (!err && !a.quiet)
		summary(im, a.input, a.output, bytes);
	kms_import__free(im);
	return err ? KMS_EXIT_ERROR : KMS_EXIT_OK;
}
