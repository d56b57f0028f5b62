// SPDX-License-Identifier: GPL-2.0
/*
 * report_check.c - text and JSON of `kmscope check` (check.h): summary
 * lines first, then the offending rows, then (text: with -v, or for the
 * caches the trace touched) the rest.  Reads a check_result; writes a FILE.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_writer.h"
#include "ksyms.h"
#include "report_stat.h"
#include "runinfo.h"
#include "slabsys.h"

static void text_summary(FILE *f, const struct check_result *r, const struct runinfo *ri)
{
	const struct validate_stats *v = &r->ev;
	char dmg[256];

	fprintf(f, "kmscope check: %.3f s, %s, kernel %s, %s%s; kmalloc caches named by %s\n",
		ri->duration_ns / 1e9, ri->command[0] ? ri->command : "system-wide", ri->kernel,
		ri->method, ri->caches_dropped ? ", caches dropped at the end" : "",
		ri->kfunc_cache ? "the kernel" : "the model");
	if (runinfo__damage(ri, dmg, sizeof(dmg)))
		fprintf(f, "damaged:    %s\n", dmg);
	if (r->have_geometry)
		fprintf(f, "geometry:   %zu/%zu caches exact (slab_size, objs_per_slab, order: "
			"model vs /sys/kernel/slab)\n", r->geom_exact, r->geom_n);
	else
		fprintf(f, "geometry:   no /sys/kernel/slab snapshot: not checked\n");
	fprintf(f, "events:     %" PRIu64 "/%" PRIu64 " exact (kmalloc %" PRIu64 "/%" PRIu64
		", kmem_cache_alloc %" PRIu64 "/%" PRIu64 "%s)\n",
		v->kmalloc_exact + v->cache_exact, v->kmalloc_events + v->cache_events,
		v->kmalloc_exact, v->kmalloc_events, v->cache_exact, v->cache_events,
		v->cache_unknown ? ", some caches missing from sysfs" : "");
	fprintf(f, "names:      %" PRIu64 " kmallocs named by the kernel: %" PRIu64 " as the model, %"
		PRIu64 " in kmem_buckets, %" PRIu64 " random copies, %" PRIu64 " disagree; %"
		PRIu64 " named by the model alone\n", v->named_by_kernel, v->names_agree,
		v->names_bucket, v->names_random, v->names_disagree, v->named_by_model);
	if (!r->have_slabinfo) {
		fprintf(f, "accounting: no /proc/slabinfo snapshots: not checked\n");
		fprintf(f, "result:     %s\n", r->ok ? "PASS" : "FAIL");
		return;
	}
	fprintf(f, "accounting: %zu/%zu caches the trace touched are within their bounds", 
		r->acct_touched_hold, r->acct_touched);
	if (r->acct_unchecked)
		fprintf(f, "; %zu not checkable (kfrees of older objects name no cache without "
			"bpf_get_kmem_cache)", r->acct_unchecked);
	if (r->acct_estimated)
		fprintf(f, "; %zu not checkable (over %u slabs: the kernel may estimate their "
			"active objects)", r->acct_estimated, KMS_SLUB_PARTIAL_SCAN);
	fprintf(f, "; %zu untouched caches moved beyond their slack\n", r->acct_untouched_moved);
	if (r->acct_untraced_allocs)
		fprintf(f, "no event:   %" PRIu64 " frees of pointers freed before with no allocation "
			"event between: allocations by paths without events (bulk, prefilled "
			"sheaves, kmalloc_nolock), counted as such\n", r->acct_untraced_allocs);
	if (r->acct_blind)
		fprintf(f, "blind spot: %zu caches lost about %" PRIu64 " frees to paths without events "
			"(kfree_rcu batches%s, kfree_rcu into sheaves, bulk frees, kfree_nolock)\n",
			r->acct_blind, r->acct_untraced_frees,
			ri->rcu_bulk_traced ? "" : ": rcu:rcu_invoke_kfree_bulk_callback not traced");
	fprintf(f, "result:     %s\n", r->ok ? "PASS" : "FAIL");
}

static void text_geometry(FILE *f, const struct check_result *r, bool verbose)
{
	size_t i;

	if (!r->have_geometry || (r->geom_exact == r->geom_n && !verbose))
		return;
	fprintf(f, "\n%-32s %8s %6s   %-20s %-20s\n", "GEOMETRY", "OBJSIZE", "ALIGN",
		"KERNEL size/objs/ord", "MODEL size/objs/ord");
	for (i = 0; i < r->geom_n; i++) {
		const struct check_geom_row *g = &r->geom[i];
		char k[32], m[32];

		if (g->exact && !verbose)
			break;
		snprintf(k, sizeof(k), "%u/%u/%u", g->kernel_size, g->kernel_objs, g->kernel_order);
		snprintf(m, sizeof(m), "%u/%u/%u", g->model_size, g->model_objs, g->model_order);
		fprintf(f, "%-32s %8u %6u   %-20s %-20s%s\n", g->name, g->object_size, g->align,
			k, m, g->exact ? "" : "  MISMATCH");
	}
}

static void text_examples(FILE *f, const char *title, const struct validate_example *x,
			  size_t n, const struct ksyms *ks)
{
	char site[KMS_SYM_LEN];
	size_t i;

	if (!n)
		return;
	fprintf(f, "\n%s\n%-40s %8s %8s %8s %10s %-24s %s\n", title, "CALL SITE", "REQ", "ALLOC",
		"MODEL", "GFP", "MODEL CACHE", "KERNEL CACHE");
	for (i = 0; i < n; i++) {
		ksyms__format(ks, x[i].call_site, site, sizeof(site));
		fprintf(f, "%-40s %8u %8u %8u %#10x %-24s %s\n", site, x[i].bytes_req,
			x[i].bytes_alloc, x[i].predicted, x[i].gfp, x[i].model, x[i].cache);
	}
}

#define ACCT_NAME_COL	40

static void text_accounting(FILE *f, const struct check_result *r, bool verbose)
{
	size_t i;

	if (!r->have_slabinfo)
		return;
	fprintf(f, "\n%-*s %10s %10s %8s %8s %8s %8s %8s  %s\n", ACCT_NAME_COL, "ACCOUNTING",
		"D_ACTIVE", "TRACED", "DIFF", "BOUND", "CPU", "SHEAVES", "LOST", "");
	for (i = 0; i < r->acct_n; i++) {
		const struct reconcile_row *a = &r->acct[i];
		const char *verdict = a->unchecked ? "unchecked" : a->estimated ? "estimated" :
				      a->holds ? "ok" :
				      a->blind ? "blind spot" : "OUT";
		char name[ACCT_NAME_COL + 1];

		if (!verbose && !a->touched && (a->holds || a->unchecked || a->estimated))
			continue;
		/* Merged caches share slabs: the other names explain a DIFF. */
		slabsys__label(r->names, a->name, ACCT_NAME_COL, name, sizeof(name));
		fprintf(f, "%-*s %10" PRId64 " %10" PRId64 " %8" PRId64 " %8" PRIu64 " %8" PRIu64
			" %8" PRIu64 " %8" PRIu64 "  %s%s\n", ACCT_NAME_COL, name, a->delta_active,
			a->traced_net,
			a->diff, a->bound, a->slack_cpu, a->slack_sheaf, a->slack_lost, verdict,
			a->touched ? "" : " (not traced)");
	}
}

/* ---- JSON ------------------------------------------------------------ */

static void json_examples(struct json_writer *w, const char *name,
			  const struct validate_example *x, size_t n, const struct ksyms *ks)
{
	char site[KMS_SYM_LEN];
	size_t i;

	jsonw_name(w, name);
	jsonw_start_array(w);
	for (i = 0; i < n; i++) {
		ksyms__format(ks, x[i].call_site, site, sizeof(site));
		jsonw_start_object(w);
		jsonw_string_field(w, "site", site);
		jsonw_uint_field(w, "bytes_req", x[i].bytes_req);
		jsonw_uint_field(w, "bytes_alloc", x[i].bytes_alloc);
		jsonw_uint_field(w, "predicted", x[i].predicted);
		jsonw_hex_field(w, "gfp", x[i].gfp);
		jsonw_string_field(w, "model_cache", x[i].model);
		jsonw_string_field(w, "kernel_cache", x[i].cache);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

static void json_geometry(struct json_writer *w, const struct check_result *r)
{
	size_t i;

	jsonw_name(w, "geometry");
	jsonw_start_object(w);
	jsonw_bool_field(w, "checked", r->have_geometry);
	jsonw_uint_field(w, "caches", r->geom_n);
	jsonw_uint_field(w, "exact", r->geom_exact);
	jsonw_name(w, "rows");
	jsonw_start_array(w);
	for (i = 0; i < r->geom_n; i++) {
		const struct check_geom_row *g = &r->geom[i];

		jsonw_start_object(w);
		jsonw_string_field(w, "cache", g->name);
		jsonw_uint_field(w, "object_size", g->object_size);
		jsonw_uint_field(w, "align", g->align);
		jsonw_uint_field(w, "slab_size", g->kernel_size);
		jsonw_uint_field(w, "objs_per_slab", g->kernel_objs);
		jsonw_uint_field(w, "order", g->kernel_order);
		jsonw_uint_field(w, "model_slab_size", g->model_size);
		jsonw_uint_field(w, "model_objs_per_slab", g->model_objs);
		jsonw_uint_field(w, "model_order", g->model_order);
		jsonw_bool_field(w, "exact", g->exact);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
}

static void json_events(struct json_writer *w, const struct check_result *r,
			const struct ksyms *ks)
{
	const struct validate_stats *v = &r->ev;

	jsonw_name(w, "events");
	jsonw_start_object(w);
	jsonw_uint_field(w, "kmalloc", v->kmalloc_events);
	jsonw_uint_field(w, "kmalloc_exact", v->kmalloc_exact);
	jsonw_uint_field(w, "kmem_cache_alloc", v->cache_events);
	jsonw_uint_field(w, "kmem_cache_alloc_exact", v->cache_exact);
	jsonw_uint_field(w, "kmem_cache_alloc_unknown_cache", v->cache_unknown);
	json_examples(w, "mismatches", v->mismatch, v->n_mismatch, ks);
	jsonw_end_object(w);
	jsonw_name(w, "names");
	jsonw_start_object(w);
	jsonw_uint_field(w, "by_kernel", v->named_by_kernel);
	jsonw_uint_field(w, "by_model", v->named_by_model);
	jsonw_uint_field(w, "agree", v->names_agree);
	jsonw_uint_field(w, "bucket", v->names_bucket);
	jsonw_uint_field(w, "random", v->names_random);
	jsonw_uint_field(w, "disagree", v->names_disagree);
	json_examples(w, "disagreements", v->disagree, v->n_disagree, ks);
	jsonw_end_object(w);
}

static void json_accounting(struct json_writer *w, const struct check_result *r)
{
	size_t i;

	jsonw_name(w, "accounting");
	jsonw_start_object(w);
	jsonw_bool_field(w, "checked", r->have_slabinfo);
	jsonw_uint_field(w, "touched", r->acct_touched);
	jsonw_uint_field(w, "touched_within_bounds", r->acct_touched_hold);
	jsonw_uint_field(w, "unchecked", r->acct_unchecked);
	jsonw_uint_field(w, "estimated", r->acct_estimated);
	jsonw_uint_field(w, "untouched_moved", r->acct_untouched_moved);
	jsonw_uint_field(w, "blind_spot_caches", r->acct_blind);
	jsonw_uint_field(w, "untraced_frees", r->acct_untraced_frees);
	jsonw_uint_field(w, "untraced_allocs", r->acct_untraced_allocs);
	jsonw_name(w, "rows");
	jsonw_start_array(w);
	for (i = 0; i < r->acct_n; i++) {
		const struct reconcile_row *a = &r->acct[i];

		jsonw_start_object(w);
		jsonw_string_field(w, "cache", a->name);
		report_json_aliases(w, r->names, a->name);
		jsonw_int_field(w, "delta_active", a->delta_active);
		jsonw_int_field(w, "delta_total", a->delta_total);
		jsonw_int_field(w, "traced_net", a->traced_net);
		jsonw_int_field(w, "diff", a->diff);
		jsonw_uint_field(w, "bound", a->bound);
		jsonw_uint_field(w, "slack_cpu", a->slack_cpu);
		jsonw_uint_field(w, "slack_sheaves", a->slack_sheaf);
		jsonw_uint_field(w, "slack_lost", a->slack_lost);
		jsonw_bool_field(w, "touched", a->touched);
		jsonw_bool_field(w, "unchecked", a->unchecked);
		jsonw_bool_field(w, "estimated", a->estimated);
		jsonw_bool_field(w, "holds", a->holds);
		jsonw_bool_field(w, "blind_spot", a->blind);
		jsonw_uint_field(w, "untraced_frees", a->untraced_frees);
		jsonw_uint_field(w, "untraced_allocs", a->untraced_allocs);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
}

static int report_json(FILE *f, const struct check_result *r, const struct runinfo *ri,
		       const struct ksyms *ks, bool pretty)
{
	struct json_writer *w = jsonw_new(f);

	if (!w)
		return -ENOMEM;
	jsonw_pretty(w, pretty);
	jsonw_start_object(w);
	jsonw_string_field(w, "kernel", ri->kernel);
	jsonw_string_field(w, "method", ri->method);
	jsonw_string_field(w, "kmalloc_cache_names", ri->kfunc_cache ? "kernel" : "model");
	jsonw_float_field(w, "duration_s", ri->duration_ns / 1e9);
	if (ri->caches_dropped)
		jsonw_bool_field(w, "caches_dropped", true);
	jsonw_bool_field(w, "ok", r->ok);
	report_damage_json(w, ri);
	json_geometry(w, r);
	json_events(w, r, ks);
	json_accounting(w, r);
	jsonw_end_object(w);
	return jsonw_close(&w);
}

int check__report(FILE *f, const struct check_result *r, const struct runinfo *ri,
		  const struct ksyms *ks, bool json, bool pretty, bool verbose)
{
	if (json)
		return report_json(f, r, ri, ks, pretty);
	text_summary(f, r, ri);
	text_geometry(f, r, verbose);
	text_examples(f, "EVENT MISMATCHES (first examples)", r->ev.mismatch, r->ev.n_mismatch, ks);
	text_examples(f, "NAME DISAGREEMENTS (first examples)", r->ev.disagree, r->ev.n_disagree, ks);
	text_accounting(f, r, verbose);
	return ferror(f) ? -EIO : 0;
}
