// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_diff.c - `kmscope diff BASE.json NEW.json`: what changed between two
 * JSON reports, per call site, per cache, in totals and in findings, and a
 * CI gate: exit 1 when a --max-increase threshold is crossed or a
 * --fail-on condition holds.  The work is in diff.c; this file parses
 * options, loads the files and explains problems.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diff.h"
#include "log.h"

struct diff_args {
	const char *files[2];
	int nr_files;
	struct diff_threshold *th;
	size_t nr_th;
	unsigned int fail_on;
	struct diff_render_opts ro;
};

enum {
	OPT_MAX_INCREASE = 1000,
	OPT_FAIL_ON,
};

static const struct argp_option diff_options[] = {
	{ NULL, 0, NULL, 0, "Gate (exit 1 when it fails):", 1 },
	{ "max-increase", OPT_MAX_INCREASE, "METRIC=PCT", 0,
	  "Fail when the total of METRIC over all sites grew by more than PCT percent "
	  "(0 to anything counts as infinite). METRIC: allocs, bytes, waste, live, "
	  "live_bytes or failed; or a total of the report's memory bill, slab_bytes or "
	  "free_slots, or of its size classes, rounding (both reports need them: "
	  "`run -o`, `report -j`); or lifetime_p50: the median lifetime of the site whose "
	  "median grew most (900 fails on a site whose objects live 10x longer). "
	  "Repeatable", 1 },
	{ "fail-on", OPT_FAIL_ON, "LIST", 0,
	  "Fail on any of (comma separated): new-leak, new-gfp-bug, new-failure, new-finding", 1 },
	{ NULL, 0, NULL, 0, "Output:", 2 },
	{ "top", 'n', "N", 0, "Show N rows of each list (default 20; 0 = all)", 2 },
	{ "sort", 's', "METRIC", 0,
	  "Order sites and caches by the change of METRIC (default bytes)", 2 },
	{ 0 },
};

static error_t parse_diff(int key, char *arg, struct argp_state *st)
{
	struct diff_args *a = st->input;
	struct diff_threshold t, *nt;
	enum diff_metric m;
	unsigned int mask;
	const char *bad;
	size_t bad_len;

	switch (key) {
	case OPT_MAX_INCREASE:
		if (diff_threshold__parse(arg, &t))
			argp_error(st, "invalid --max-increase '%s' (METRIC=PCT; METRIC: allocs, "
				   "bytes, waste, live, live_bytes, failed, slab_bytes, free_slots, "
				   "rounding or lifetime_p50; PCT: a number >= 0)", arg);
		nt = realloc(a->th, (a->nr_th + 1) * sizeof(*a->th));
		if (!nt) {
			p_err("%s", strerror(ENOMEM));
			return ENOMEM;
		}
		a->th = nt;
		a->th[a->nr_th++] = t;
		break;
	case OPT_FAIL_ON:
		if (diff_fail_on__parse(arg, &mask, &bad, &bad_len))
			argp_error(st, "unknown --fail-on item '%.*s' (new-leak, new-gfp-bug, "
				   "new-failure or new-finding)", (int)bad_len, bad);
		a->fail_on |= mask;
		break;
	case 'n':
		a->ro.top = parse_count(st, "-n", arg, UINT_MAX);
		break;
	case 's':
		/* A report total (slab_bytes, ..) is no number of a row. */
		if (diff_metric_parse(arg, &m) || m >= DIFF_NR_ROW_METRICS)
			argp_error(st, "unknown sort metric '%s' (allocs, bytes, waste, live, "
				   "live_bytes or failed)", arg);
		a->ro.sort = m;
		break;
	case ARGP_KEY_ARG:
		if (a->nr_files == 2)
			argp_error(st, "unexpected argument '%s': diff takes two reports", arg);
		a->files[a->nr_files++] = arg;
		break;
	case ARGP_KEY_END:
		if (a->nr_files != 2)
			argp_error(st, "diff takes two reports, BASE and NEW");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child diff_children[] = { { &output_argp, 0, NULL, 0 }, { 0 } };

static const struct argp diff_argp = {
	diff_options, parse_diff, "BASE.json NEW.json",
	"Compare two JSON reports (`kmscope run -o`, `kmscope report -j` or "
	"`kmscope stat -j -n 0`): per call site, per cache, in totals and in "
	"findings.  Sites are matched by symbol+offset, not by address; caches by "
	"name.\v"
	"Exit status: 0 when no threshold is crossed and no --fail-on condition "
	"holds, 1 when one is (or a report cannot be read), 2 for a usage error.\n\n"
	"Examples:\n"
	"  kmscope diff base.json new.json\n"
	"  kmscope diff base.json new.json --max-increase bytes=10 \\\n"
	"        --fail-on new-leak,new-gfp-bug\n"
	"  kmscope diff -j base.json new.json --max-increase live=0",
	diff_children, NULL, NULL,
};

static int load(struct diff_report *r, const char *path)
{
	char err[512];
	int e = diff_report__load(r, path, err, sizeof(err));

	if (e)
		p_err("%s: %s", path, err);
	return e;
}

/*
 * A threshold on a report total that a report lacks would compare a
 * missing number with another: say which file lacks it and what writes
 * one that has it.  -EINVAL, a usage error like any threshold that cannot
 * be judged.
 */
static int check_thresholds(const struct diff_args *a, const struct diff_report *base,
			    const struct diff_report *now)
{
	const struct diff_report *r[2] = { base, now };
	enum diff_metric m;
	size_t i;
	int j;

	for (i = 0; i < a->nr_th; i++) {
		m = a->th[i].metric;
		for (j = 0; j < 2; j++) {
			if (diff_report__has(r[j], m))
				continue;
			if (m == DIFF_LIFETIME)
				p_err("--max-increase %s: %s has no %s (a report of a kmscope "
				      "before them: write both with this one)", diff_metric_name(m),
				      a->files[j], diff_metric_needs(m));
			else
				p_err("--max-increase %s: %s has no %s (write it with kmscope run "
				      "-o, or report -j with the waste section)",
				      diff_metric_name(m), a->files[j], diff_metric_needs(m));
			return -EINVAL;
		}
	}
	return 0;
}

/* What could make the numbers mislead, said once on stderr. */
static void warn_about(const struct diff_args *a, const struct diff_report *base,
		       const struct diff_report *now)
{
	const struct diff_report *r[2] = { base, now };
	int i;

	if (base->kernel && now->kernel && strcmp(base->kernel, now->kernel))
		p_warn("the reports come from different kernels (%s, %s): a call site's "
		       "symbol+offset can differ between kernel builds", base->kernel, now->kernel);
	for (i = 0; i < 2; i++)
		if (r[i]->partial)
			p_warn("%s lists only some of its call sites (written with -n?): totals "
			       "cover the listed sites only; write reports with -n 0", a->files[i]);
	if (a->fail_on && !now->has_findings)
		p_warn("%s has no findings list (a `stat -j` report?): no --fail-on condition "
		       "can hold", a->files[1]);
	else if (now->has_findings && !base->has_findings)
		p_warn("%s has no findings list (a `stat -j` report?): every finding of %s "
		       "counts as new", a->files[0], a->files[1]);
	for (i = 0; i < 2; i++)
		if (base->has_memory && now->has_memory && r[i]->memory_uncounted)
			p_warn("%s: no row of its memory bill has the kernel's slab counters (a "
			       "recording without the end snapshot of /sys/kernel/slab?): its "
			       "slab_bytes and free_slots are 0", a->files[i]);
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a = { .ro = { .top = 20, .sort = DIFF_BYTES } };
	struct diff_report base, now;
	struct diff_result d;
	struct diff_gate g;
	int rc = KMS_EXIT_ERROR, err;

	if (kms_argp_parse(&diff_argp, argc, argv, 0, &a)) {
		free(a.th);
		return KMS_EXIT_USAGE;
	}
	a.ro.base_name = a.files[0];
	a.ro.new_name = a.files[1];
	a.ro.json = gopts.json;
	a.ro.pretty = gopts.pretty;
	g = (struct diff_gate){ .th = a.th, .nr_th = a.nr_th, .fail_on = a.fail_on };

	if (load(&base, a.files[0])) {
		free(a.th);
		return KMS_EXIT_ERROR;
	}
	if (load(&now, a.files[1]))
		goto out_base;
	if (check_thresholds(&a, &base, &now)) {
		rc = KMS_EXIT_USAGE;
		goto out_now;
	}
	warn_about(&a, &base, &now);
	err = diff__compare(&d, &base, &now, a.ro.sort);
	if (err) {
		p_err("comparing the reports failed: %s", strerror(-err));
		goto out_now;
	}
	err = diff__render(stdout, &d, &g, &a.ro);
	if (err)
		p_err("writing the diff failed: %s", strerror(-err));
	else
		rc = diff_gate__fails(&d, &g) ? KMS_EXIT_ERROR : KMS_EXIT_OK;
	diff__free(&d);
out_now:
	diff_report__free(&now);
out_base:
	diff_report__free(&base);
	free(a.th);
	return rc;
}
