// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_stat.c - `kmscope stat`: totals per call site and per cache, live
 * (whole system, a filter, or a command and its children) or from a
 * recording.  With -w it also writes a recording of the same run, which is
 * how replay is shown to reproduce the live report exactly.
 */
#include <stdio.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "progress.h"
#include "report_stat.h"
#include "slabsys.h"

enum { OPT_OPENMETRICS = 0x200 };

struct stat_args {
	struct common_opts co;
	struct stat_opts so;
	const char *report_path;
};

static const struct argp_option stat_options[] = {
	{ "sort", 's', "KEY", 0,
	  "Sort by allocs (default), frees, req, alloc, waste, live, live_bytes or failed", 4 },
	{ "top", 'n', "N", 0, "Show the top N rows of each table (default 25; 0 = all)", 4 },
	{ "output", 'o', "FILE", 0, "Write the report to FILE instead of stdout", 4 },
	{ "openmetrics", OPT_OPENMETRICS, NULL, 0,
	  "OpenMetrics (Prometheus) text instead: gauges for the traced window; with -o the file "
	  "is replaced atomically, for node_exporter's textfile collector", 4 },
	{ 0 },
};

static error_t parse_stat(int key, char *arg, struct argp_state *st)
{
	struct stat_args *a = st->input;

	switch (key) {
	case 's':
		if (stat_sort_parse(arg, &a->so.sort))
			argp_error(st, "unknown sort key '%s'", arg);
		break;
	case 'n':
		a->so.top = parse_count(st, "-n", arg, UINT_MAX);
		break;
	case 'o':
		a->report_path = arg;
		break;
	case OPT_OPENMETRICS:
		a->so.openmetrics = true;
		break;
	default:
		return tracing_key(key, arg, st, &a->co);
	}
	return 0;
}

static const struct argp_child stat_children[] = { { &common_argp, 0, NULL, 0 }, { 0 } };

static const struct argp stat_argp = {
	stat_options, parse_stat, "[-- CMD [ARGS...]]",
	"Count kmalloc/kmem_cache allocations and frees per call site and per cache.\v"
	"Examples:\n"
	"  kmscope stat -d 10                 whole system for 10 s\n"
	"  kmscope stat -j -- make -j2        a command and its children, JSON\n"
	"  kmscope stat -p 1234 -s waste      one process, most wasteful sites first\n"
	"  kmscope stat -i kmscope.data       a recording",
	stat_children, NULL, NULL,
};

struct stat_out {
	const struct session *s;
	struct stat_opts so;
};

static int stat_out(FILE *f, void *ctx)
{
	struct stat_out *o = ctx;

	return o->s->c ? report_stat(f, o->s->c, o->s->ks, &o->s->ri, &o->so) : -ENOMEM;
}

/* The report goes to stdout or -o FILE. */
static int write_report(const struct session *s, const struct stat_args *a)
{
	struct stat_out o = { .s = s, .so = a->so };
	struct slabsys *names = session_slab_names(s);
	int err;

	o.so.stacks = s->stacks;
	o.so.cgpaths = s->cgpaths;
	o.so.by_cgroup = a->co.so.by_cgroup;
	o.so.names = names;
	if (a->so.openmetrics)
		err = write_output_replace(a->report_path, stat_out, &o);
	else
		err = write_output(a->report_path, stat_out, &o);
	slabsys__free(names);
	return err;
}

int cmd_stat(int argc, char **argv)
{
	struct stat_args a = { .so = { .top = 25 } };
	struct session s;
	struct progress prog = { 0 };
	char msg[512];
	int rc, err;

	common_opts__init(&a.co);
	rc = parse_tracing_args(&stat_argp, argc, argv, &a, &a.co);
	if (rc)
		return rc;
	a.so.json = gopts.json;
	a.so.pretty = gopts.pretty;
	if (a.so.openmetrics && a.so.json) {
		p_err("--openmetrics and -j are two output formats: choose one");
		return KMS_EXIT_USAGE;
	}
	rc = prepare_output(a.report_path, a.so.openmetrics, a.co.so.input);
	if (rc)
		return rc;
	progress__attach(&prog, &a.co.so);
	err = session__run(&s, &a.co.so, msg, sizeof(msg));
	progress__end(&prog);
	say_why_ended(&s);
	if (err && !s.damaged) {
		p_err("%s", msg);
		rc = exit_code(&s, KMS_EXIT_ERROR);
		session__free(&s);
		return rc;
	}
	if (s.damaged)
		p_warn("%s", msg);
	rc = write_report(&s, &a);
	rc = rc || s.damaged ? KMS_EXIT_ERROR : KMS_EXIT_OK;
	rc = exit_code(&s, rc);
	session__free(&s);
	return rc;
}
