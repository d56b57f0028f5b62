// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_check.c - `kmscope check`: trace for a while (or replay a recording)
 * and prove the SLUB model against the kernel (check.h).  Exit 0 only
 * when every cache's geometry and every event is exact and every cache the
 * trace touched reconciles with /proc/slabinfo; 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cmd.h"
#include "log.h"
#include "refree.h"
#include "progress.h"

struct check_args {
	struct common_opts co;
	struct session *s;
	struct validate_stats v;
	struct refree *rf;
	int rf_err;			/* -ENOMEM: the untraced allocations undercounted */
	const char *report_path;
};

static const struct argp_option check_options[] = {
	{ "output", 'o', "FILE", 0, "Write the report to FILE instead of stdout", 4 },
	{ 0 },
};

static error_t parse_check(int key, char *arg, struct argp_state *st)
{
	struct check_args *a = st->input;

	switch (key) {
	case 'o':
		a->report_path = arg;
		break;
	default:
		return tracing_key(key, arg, st, &a->co);
	}
	return 0;
}

static const struct argp_child check_children[] = { { &common_argp, 0, NULL, 0 }, { 0 } };

static const struct argp check_argp = {
	check_options, parse_check, "[-- CMD [ARGS...]]",
	"Prove kmscope's SLUB model against this kernel: (a) the geometry of every cache in "
	"/sys/kernel/slab, (b) the bytes_alloc of every traced allocation, (c) traced "
	"allocations and frees against /proc/slabinfo.\v"
	"Traces the whole system for 10 s, or while CMD runs (CMD is a workload: the "
	"whole system is traced, since /proc/slabinfo counts everyone), or replays -i.\n"
	"Examples:\n"
	"  kmscope check                  10 s of whatever the machine does\n"
	"  kmscope check -- tar cf /dev/null /usr\n"
	"  kmscope check -j -i run.data   a recording (made with record or stat -w)",
	check_children, NULL, NULL,
};

static void on_event(void *ctx, const struct kms_event *ev, const struct kms_resolved *res)
{
	struct check_args *a = ctx;

	validate__event(&a->v, collector__kmalloc_params(a->s->c), ev, res);
	if (!ev->ptr || a->rf_err)
		return;
	if (ev->type == KMS_EV_KMALLOC || ev->type == KMS_EV_CACHE_ALLOC)
		a->rf_err = refree__alloc(a->rf, ev->ptr);
	else if (ev->type == KMS_EV_KFREE || ev->type == KMS_EV_CACHE_FREE)
		a->rf_err = refree__free_event(a->rf, ev->ptr,
					       collector__cache_index(a->s->c,
								      res ? res->cache : NULL));
}

struct check_out {
	const struct check_args *a;
	const struct check_result *r;
};

static int check_out(FILE *f, void *ctx)
{
	const struct check_out *o = ctx;

	return check__report(f, o->r, &o->a->s->ri, o->a->s->ks, gopts.json, gopts.pretty,
			     gopts.verbose);
}

static int report(struct check_args *a, struct check_result *r)
{
	struct check_out o = { .a = a, .r = r };

	return write_output(a->report_path, check_out, &o);
}

static int run_check(struct check_args *a)
{
	const struct kms_text *sn = a->s->snap;
	const struct kms_text *geom = sn[KMS_SNAP_GEOM_END].text ? &sn[KMS_SNAP_GEOM_END] :
								   &sn[KMS_SNAP_GEOM_START];
	struct check_input in = {
		.slabgeom = geom->text, .slabgeom_len = geom->len,
		.slabinfo_start = sn[KMS_SNAP_SLABINFO_START].text,
		.slabinfo_start_len = sn[KMS_SNAP_SLABINFO_START].len,
		.slabinfo_end = sn[KMS_SNAP_SLABINFO_END].text,
		.slabinfo_end_len = sn[KMS_SNAP_SLABINFO_END].len,
		.ri = &a->s->ri, .c = a->s->c, .ev = &a->v,
		.refrees = a->rf_err ? NULL : a->rf,
	};
	struct check_result r;
	int err;

	if (a->rf_err)
		p_warn("out of memory for the freed pointers: allocations without events are "
		       "undercounted");
	err = check__run(&in, &r);

	if (err) {
		p_err("checking failed: %s", strerror(-err));
		check__free(&r);
		return KMS_EXIT_ERROR;
	}
	err = report(a, &r);
	check__free(&r);
	if (err)
		return KMS_EXIT_ERROR;
	return r.ok ? KMS_EXIT_OK : KMS_EXIT_ERROR;
}

/*
 * A trace check can prove things from: whole-system (slabinfo counts
 * everyone) and with cache names (classic tracepoints carry none, so
 * nothing could be compared and a PASS would be empty).
 */
static int checkable(const struct runinfo *ri)
{
	if (ri->filters[0] || ri->followed) {
		p_err("this trace was filtered (%s): check needs a whole-system trace, as "
		      "/proc/slabinfo counts everyone", ri->filters[0] ? ri->filters :
		      "a command's process tree");
		return KMS_EXIT_ERROR;
	}
	if (runinfo__classic(ri)) {
		p_err("classic tracepoints carry no cache for kmem_cache_alloc: check needs tp_btf");
		return KMS_EXIT_ERROR;
	}
	return KMS_EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
	struct check_args a = { 0 };
	struct session s;
	struct progress prog = { 0 };
	char msg[512];
	int rc, err;

	common_opts__init(&a.co);
	/* A drop empties slabs by the thousand: more than the per-CPU slack bounds. */
	a.co.no_drop = "check compares the trace with /proc/slabinfo within each cache's per-CPU "
		       "slack; --drop-caches frees more at once than that bound covers";
	rc = parse_tracing_args(&check_argp, argc, argv, &a, &a.co);
	if (rc)
		return rc;
	if (kms_filter__set(&a.co.so.lo.filter)) {
		p_err("check compares the trace with /proc/slabinfo, which counts everyone: "
		      "filters do not apply");
		return KMS_EXIT_USAGE;
	}
	rc = prepare_output(a.report_path, false, a.co.so.input);
	if (rc)
		return rc;
	if (!a.co.so.input && !a.co.so.cmd && a.co.so.duration_s <= 0)
		a.co.so.duration_s = 10;
	a.co.so.snapshots = true;
	/* The command only exercises the kernel: slabinfo counts everyone. */
	a.co.so.whole_system = true;
	a.co.so.lo.free_cache = true;	/* attribute kfrees of older objects */
	/*
	 * /proc/slabinfo counts kmscope's own objects too (the buffer heads of
	 * a recording it writes, for one): trace them, or they would show up
	 * as allocations the trace missed.
	 */
	a.co.so.lo.trace_self = true;
	validate__init(&a.v);
	a.rf = refree__new();
	if (!a.rf) {
		p_err("out of memory");
		validate__free(&a.v);
		return KMS_EXIT_ERROR;
	}
	a.s = &s;
	a.co.so.on_event = on_event;
	a.co.so.ctx = &a;
	progress__attach(&prog, &a.co.so);
	err = session__run(&s, &a.co.so, msg, sizeof(msg));
	progress__end(&prog);
	if (err && !s.damaged) {
		p_err("%s", msg);
		rc = exit_code(&s, KMS_EXIT_ERROR);
		goto out;
	}
	if (s.damaged)
		p_warn("%s", msg);
	rc = s.c ? checkable(&s.ri) : KMS_EXIT_ERROR;
	if (rc == KMS_EXIT_OK)
		rc = run_check(&a);
	if (s.damaged)
		rc = KMS_EXIT_ERROR;
out:
	validate__free(&a.v);
	refree__free(a.rf);
	session__free(&s);
	return rc;
}
