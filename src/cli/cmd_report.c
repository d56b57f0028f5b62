// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_report.c - `kmscope report [waste|leaks|gfp|failures|lifetimes|all]`: what is
 * wrong with the traced allocations and what to change (findings.h), live
 * or from a recording; and `kmscope run -o FILE -- CMD`, the CI form: the
 * full JSON report of a command and its children, written to FILE.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "findings.h"
#include "log.h"
#include "progress.h"
#include "membill.h"
#include "pprof.h"
#include "report_findings.h"
#include "report_html.h"
#include "report_stat.h"
#include "slabgrowth.h"
#include "slabinfo.h"
#include "slabsys.h"
#include "speedscope.h"

enum { OPT_MIN_AGE = 2000, OPT_HOT = 2001, OPT_FOLDED = 2002, OPT_PPROF, OPT_SPEEDSCOPE, OPT_HTML };

struct report_args {
	struct common_opts co;
	struct stat_opts so;
	struct findings_opts fo;
	const char *report_path;
	const char *pprof_path;		/* --pprof: also a pprof heap profile */
	const char *speedscope_path;	/* --speedscope: also a speedscope file */
	const char *html_path;		/* --html: also the report as a web page */
	unsigned int sections;
	bool run;		/* `kmscope run`: JSON to -o, all sections */
};

static const struct argp_option report_options[] = {
	{ "output", 'o', "FILE", 0, "Write the report to FILE instead of stdout", 4 },
	{ "top", 'n', "N", 0, "Rows per section (default 15; 0 = all)", 4 },
	{ "min-age", OPT_MIN_AGE, "MS", 0, "Leaks: only objects at least MS milliseconds old", 4 },
	{ "hot", OPT_HOT, "N", 0, "Waste: sites with at least N allocations (default 100)", 4 },
	{ "folded", OPT_FOLDED, "WEIGHT", 0,
	  "Write folded stacks for flame graphs instead, weighted by bytes, count or live "
	  "(use with -g)", 4 },
	{ "pprof", OPT_PPROF, "FILE", 0,
	  "Also write a gzipped pprof heap profile (alloc/inuse objects and space per site or "
	  "stack) for go tool pprof, Pyroscope, Parca", 4 },
	{ "html", OPT_HTML, "FILE", 0,
	  "Also write the report as one self-contained web page: flame graph of live bytes, "
	  "waste by site and class, request sizes, live objects over time", 4 },
	{ "speedscope", OPT_SPEEDSCOPE, "FILE", 0,
	  "Also write a speedscope profile (live bytes, bytes allocated, allocations)", 4 },
	{ 0 },
};

static error_t parse_report(int key, char *arg, struct argp_state *st)
{
	struct report_args *a = st->input;
	char *end;

	switch (key) {
	case 'o':
		a->report_path = arg;
		break;
	case 'n':
		a->so.top = parse_count(st, "-n", arg, UINT_MAX);
		break;
	case OPT_MIN_AGE: {
		unsigned long long ms = strtoull(arg, &end, 10);

		/* Ages are kept in 32-bit milliseconds (49 days). */
		if (*end || end == arg || arg[0] == '-' || ms > UINT32_MAX)
			argp_error(st, "invalid milliseconds '%s' for --min-age (0 to %u)", arg,
				   UINT32_MAX);
		a->fo.min_age_ms = ms;
		break;
	}
	case OPT_FOLDED:
		if (strcmp(arg, "bytes") && strcmp(arg, "count") && strcmp(arg, "live"))
			argp_error(st, "--folded takes bytes, count or live, not '%s'", arg);
		a->so.folded = arg;
		break;
	case OPT_PPROF:
		a->pprof_path = arg;
		break;
	case OPT_SPEEDSCOPE:
		a->speedscope_path = arg;
		break;
	case OPT_HTML:
		a->html_path = arg;
		break;
	case OPT_HOT:
		a->fo.hot_allocs = parse_count(st, "--hot", arg, UINT64_MAX);
		break;
	case ARGP_KEY_ARG:
		if (a->run || report_section_parse(arg, &a->sections))
			argp_error(st, "unknown report '%s' (waste, leaks, gfp, failures, lifetimes or "
				   "all; a command goes after --)", arg);
		break;
	default:
		return tracing_key(key, arg, st, &a->co);
	}
	return 0;
}

static const struct argp_child report_children[] = { { &common_argp, 0, NULL, 0 }, { 0 } };

static const struct argp report_argp = {
	report_options, parse_report, "[waste|leaks|gfp|failures|lifetimes|all]... [-- CMD [ARGS...]]",
	"What is wrong with the traced allocations, and what to change: waste with the "
	"saving a fix brings, leaks with ages, growth and confidence, GFP flag misuse, "
	"failed allocations, object lifetimes and churning sites.\v"
	"Examples:\n"
	"  kmscope report -d 30                 the whole system for 30 s\n"
	"  kmscope report leaks -- ./mytest     a command and its children\n"
	"  kmscope report waste -i run.data -j  a recording, as JSON",
	report_children, NULL, NULL,
};

static const struct argp run_argp = {
	report_options, parse_report, "-o FILE -- CMD [ARGS...]",
	"Trace a command and its children and write the full JSON report to FILE (for CI: "
	"compare two with kmscope diff). The recursion backups are always on (--backup).",
	report_children, NULL, NULL,
};

struct report_out {
	const struct session *s;
	const struct stat_opts *so;
};

static int report_out(FILE *f, void *ctx)
{
	const struct report_out *o = ctx;
	const struct session *s = o->s;

	return o->so->folded ? report_folded(f, s->c, s->ks, s->stacks, o->so->folded) :
			       report_stat(f, s->c, s->ks, &s->ri, o->so);
}

/* The end-of-trace /sys/kernel/slab snapshot gives the kernel's half of the bill. */
static int compute_membill(const struct session *s, struct membill *mb)
{
	const struct kms_text *t = &s->snap[KMS_SNAP_GEOM_END];
	struct slabsys *sys = NULL;
	int err;

	if (t->text && t->len && slabsys__parse(t->text, t->len, &sys))
		sys = NULL;
	err = membill__compute(s->c, sys, s->ri.page_size, mb);
	slabsys__free(sys);
	return err;
}

/*
 * The start and end /proc/slabinfo snapshots compared, the cache names
 * merged from the end /sys/kernel/slab one: *have false when a snapshot
 * is missing or counts no slabs (a recording without them, no SLUB_DEBUG).
 */
static int compute_growth(const struct session *s, struct slabgrowth *g, bool *have)
{
	const struct kms_text *a = &s->snap[KMS_SNAP_SLABINFO_START];
	const struct kms_text *b = &s->snap[KMS_SNAP_SLABINFO_END];
	const struct kms_text *n = &s->snap[KMS_SNAP_GEOM_END];
	struct slabinfo start = { 0 }, end = { 0 };
	struct slabsys *names = NULL;
	int err = 0;

	*have = false;
	memset(g, 0, sizeof(*g));
	if (n->text && n->len && slabsys__parse(n->text, n->len, &names))
		names = NULL;
	if (a->text && a->len && b->text && b->len && !slabinfo__parse(a->text, a->len, &start) &&
	    !slabinfo__parse(b->text, b->len, &end)) {
		err = slabgrowth__compute(&start, &end, names, s->ri.page_size, g);
		*have = !err;
		if (err == -EINVAL)
			err = 0;
	}
	slabinfo__free(&start);
	slabinfo__free(&end);
	slabsys__free(names);
	return err;
}

static int pprof_out(FILE *f, void *ctx)
{
	const struct session *s = ctx;

	return pprof__write(f, s->c, s->ks, s->stacks, s->cgpaths, &s->ri);
}

static int speedscope_out(FILE *f, void *ctx)
{
	const struct session *s = ctx;

	return speedscope__write(f, s->c, s->ks, s->stacks, &s->ri);
}

static int html_out(FILE *f, void *ctx)
{
	return report_html(f, ctx);
}

/* The profiles other tools read, and the web page, beside the report. */
static int write_profiles(const struct session *s, const struct report_args *a,
			  const struct findings *fs, const struct membill *mb)
{
	struct html_input hi = { .c = s->c, .ks = s->ks, .stacks = s->stacks, .ri = &s->ri,
				 .findings = fs, .membill = mb, .growth = a->so.growth };
	int err = 0;

	if (a->html_path)
		err = write_output(a->html_path, html_out, &hi);
	if (!err && a->pprof_path)
		err = write_output(a->pprof_path, pprof_out, (void *)s);
	if (!err && a->speedscope_path)
		err = write_output(a->speedscope_path, speedscope_out, (void *)s);
	return err;
}

static int write_report(const struct session *s, struct report_args *a)
{
	struct report_out o = { .s = s, .so = &a->so };
	struct slabgrowth growth;
	struct slabsys *names;
	struct findings fs;
	struct membill mb;
	bool have_growth;
	int err;

	err = compute_membill(s, &mb);
	if (err) {
		p_err("computing the memory bill failed: %s", strerror(-err));
		return err;
	}
	err = compute_growth(s, &growth, &have_growth);
	if (err) {
		membill__free(&mb);
		p_err("comparing the slab snapshots failed: %s", strerror(-err));
		return err;
	}
	findings_opts__slab_parts(&a->fo, s->ks);
	err = findings__compute_billed(s->c, &s->ri, &a->fo, &mb, &fs);
	if (err) {
		membill__free(&mb);
		slabgrowth__free(&growth);
		p_err("computing the findings failed: %s", strerror(-err));
		return err;
	}
	a->so.membill = &mb;
	a->so.growth = have_growth ? &growth : NULL;
	a->so.findings = &fs;
	a->so.sections = a->sections ? a->sections : REPORT_ALL;
	a->so.stacks = s->stacks;
	a->so.cgpaths = s->cgpaths;
	a->so.by_cgroup = a->co.so.by_cgroup;
	names = session_slab_names(s);
	a->so.names = names;
	err = write_output(a->report_path, report_out, &o);
	if (!err)
		err = write_profiles(s, a, &fs, &mb);
	a->so.names = NULL;
	slabsys__free(names);
	findings__free(&fs);
	membill__free(&mb);
	slabgrowth__free(&growth);
	a->so.growth = NULL;
	return err;
}

static int report_main(int argc, char **argv, bool run)
{
	struct report_args a = {
		.so = { .top = 15 }, .fo = { .hot_allocs = FIND_HOT_ALLOCS }, .run = run,
	};
	struct session s;
	struct progress prog = { 0 };
	char msg[512];
	int rc, err;

	common_opts__init(&a.co);
	rc = parse_tracing_args(run ? &run_argp : &report_argp, argc, argv, &a, &a.co);
	if (rc)
		return rc;
	if (run && (!a.co.so.cmd || !a.report_path)) {
		p_err("run needs -o FILE and a command after --");
		return KMS_EXIT_USAGE;
	}
	/* Every file is opened before the trace: a bad path must not cost one. */
	rc = prepare_output(a.report_path, false, a.co.so.input);
	if (!rc)
		rc = prepare_output(a.html_path, false, a.co.so.input);
	if (!rc)
		rc = prepare_output(a.pprof_path, false, a.co.so.input);
	if (!rc)
		rc = prepare_output(a.speedscope_path, false, a.co.so.input);
	if (rc)
		return rc;
	progress__attach(&prog, &a.co.so);
	if (run) {
		gopts.json = true;
		a.co.so.quiet = true;
		a.so.top = 0;
		/*
		 * A CI gate compares runs: an RCU batch of frees the kernel keeps
		 * from a running program would be a leak in one run only.
		 */
		a.co.so.lo.backup = KMS_BACKUP_ALL;
	}
	a.so.json = gopts.json;
	a.so.pretty = gopts.pretty;
	/* The memory bill needs /sys/kernel/slab at the end of the trace. */
	a.co.so.snapshots = true;
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
	rc = s.c && !write_report(&s, &a) && !s.damaged ? KMS_EXIT_OK : KMS_EXIT_ERROR;
	rc = exit_code(&s, rc);
	session__free(&s);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	return report_main(argc, argv, false);
}

int cmd_run(int argc, char **argv)
{
	return report_main(argc, argv, true);
}
