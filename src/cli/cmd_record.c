// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_record.c - `kmscope record`: trace now, analyse later.  Writes the
 * raw records plus everything a later analysis needs (kernel, geometry,
 * slabinfo, symbols, counters) to a recording; docs/record-format.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cmd.h"
#include "json_writer.h"
#include "log.h"
#include "progress.h"
#include "runinfo.h"

struct record_args {
	struct common_opts co;
	const char *output;	/* -o */
};

static const struct argp_option record_options[] = {
	{ "output", 'o', "FILE", 0, "Write the recording to FILE (default kmscope.data)", 4 },
	{ 0 },
};

static error_t parse_record(int key, char *arg, struct argp_state *st)
{
	struct record_args *a = st->input;

	switch (key) {
	case 'o':
		a->output = arg;
		break;
	default:
		return tracing_key(key, arg, st, &a->co);
	}
	return 0;
}

static const struct argp_child record_children[] = { { &common_argp, 0, NULL, 0 }, { 0 } };

static const struct argp record_argp = {
	record_options, parse_record, "[-- CMD [ARGS...]]",
	"Record kmem events to a file for later analysis with -i.\v"
	"Examples:\n"
	"  kmscope record -d 30 -o boot.data\n"
	"  kmscope record -o build.data -- make -j2\n"
	"  kmscope stat -i build.data",
	record_children, NULL, NULL,
};

static void summary(const struct session *s, const char *path)
{
	const struct kms_collect_counts *cc = collector__counts(s->c);
	uint64_t n = kms_collect_counts__received(cc);
	struct stat st = { 0 };

	stat(path, &st);
	if (gopts.json) {
		struct json_writer *w = jsonw_new(stdout);

		if (!w)
			return;
		jsonw_pretty(w, gopts.pretty);
		jsonw_start_object(w);
		jsonw_string_field(w, "output", path);
		jsonw_uint_field(w, "events", n);
		jsonw_uint_field(w, "bytes", st.st_size);
		jsonw_uint_field(w, "lost", runinfo__events_lost(&s->ri));
		jsonw_float_field(w, "duration_s", s->ri.duration_ns / 1e9);
		jsonw_end_object(w);
		jsonw_close(&w);
		return;
	}
	fprintf(stderr, "kmscope: recorded %" PRIu64 " events (%lld bytes) in %.3f s to %s; "
		"lost %" PRIu64 "\n", n, (long long)st.st_size, s->ri.duration_ns / 1e9, path,
		runinfo__events_lost(&s->ri));
}

int cmd_record(int argc, char **argv)
{
	struct record_args a = { .output = "kmscope.data" };
	struct session s;
	struct progress prog = { 0 };
	char msg[512];
	int rc, err;

	common_opts__init(&a.co);
	a.co.no_input = "record traces the live system; -i is for the analysing commands";
	rc = parse_tracing_args(&record_argp, argc, argv, &a, &a.co);
	if (rc)
		return rc;
	/* -w is "also write a recording": record writes one, to -o. */
	if (a.co.so.output) {
		p_err("record writes its recording to -o FILE; -w is for the commands that "
		      "analyse a trace and also keep a recording of it (stat -w): drop -w");
		return KMS_EXIT_USAGE;
	}
	a.co.so.output = a.output;
	progress__attach(&prog, &a.co.so);
	err = session__run(&s, &a.co.so, msg, sizeof(msg));
	progress__end(&prog);
	say_why_ended(&s);
	if (err) {
		p_err("%s", msg);
		rc = exit_code(&s, KMS_EXIT_ERROR);
		session__free(&s);
		return rc;
	}
	summary(&s, a.co.so.output);
	rc = exit_code(&s, KMS_EXIT_OK);
	session__free(&s);
	return rc;
}
