// SPDX-License-Identifier: GPL-2.0
/*
 * report_findings.c - see report_findings.h.  Reads findings; writes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "context.h"
#include "findings.h"
#include "gfp.h"
#include "json_writer.h"
#include "ksyms.h"
#include "lifetime.h"
#include "report_findings.h"
#include "report_stat.h"
#include "stacks.h"
#include "units.h"
#include "util.h"

int report_section_parse(const char *s, unsigned int *out)
{
	static const struct { const char *name; unsigned int bits; } names[] = {
		{ "waste", REPORT_WASTE }, { "leaks", REPORT_LEAKS }, { "gfp", REPORT_GFP },
		{ "failures", REPORT_FAILURES }, { "lifetimes", REPORT_LIFETIMES },
		{ "all", REPORT_ALL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(s, names[i].name)) {
			*out |= names[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

static unsigned int section_of(enum finding_kind k)
{
	switch (k) {
	case FIND_LEAK:
		return REPORT_LEAKS;
	case FIND_FAILURE:
		return REPORT_FAILURES;
	case FIND_GFP_SLEEP_IN_IRQ:
	case FIND_GFP_ATOMIC_UNNEEDED:
	case FIND_GFP_NOFAIL_ORDER:
	case FIND_GFP_SLAB_BAD:
	case FIND_GFP_DMA:
	case FIND_GFP_NOFS_SCOPE:
	case FIND_ATOMIC_LARGE:
		return REPORT_GFP;
	case FIND_CHURN:
	case FIND_RCU_DEFERRED:
		return REPORT_LIFETIMES;
	default:
		return REPORT_WASTE;
	}
}

bool report_section_has(unsigned int sections, const struct finding *f)
{
	return sections & section_of(f->kind);
}

/* Text: the caller's frames under a finding's row, a few deep. */
static void text_stack(FILE *f, const struct finding *x, const struct ksyms *ks,
		       const struct kms_stacks *stacks)
{
	size_t depth, i, start, shown = 0;
	const uint64_t *ips = kms_stacks__get(stacks, x->stack, &depth);
	char sym[KMS_SYM_LEN];

	if (!ips)
		return;
	start = kms_stacks__caller_start(ips, depth, x->call_site);
	for (i = start + 1; i < depth && shown < 6; i++, shown++) {
		ksyms__format(ks, ips[i], sym, sizeof(sym));
		fprintf(f, "      <- %s\n", sym);
	}
}

static void json_one(struct json_writer *w, const struct finding *f, const struct ksyms *ks,
		     const struct kms_stacks *stacks)
{
	char sym[KMS_SYM_LEN], gfp[KMS_GFP_NAME_LEN], where[KMS_CTX_NAME_LEN];
	int i;

	ksyms__format(ks, f->call_site, sym, sizeof(sym));
	gfp_format(f->gfp, gfp, sizeof(gfp));
	jsonw_start_object(w);
	jsonw_string_field(w, "kind", finding_kind_name(f->kind));
	jsonw_string_field(w, "severity", finding_severity_name(f->severity));
	jsonw_string_field(w, "site", sym);
	if (!ksyms__redact(ks))
		jsonw_hex_field(w, "addr", f->call_site);
	jsonw_string_field(w, "cache", f->cache ? f->cache : "");
	jsonw_uint_field(w, "count", f->count);
	jsonw_uint_field(w, "bytes", f->bytes);
	jsonw_string_field(w, "gfp", gfp);
	if (f->gfp_several) {
		gfp_format(f->gfp_all, gfp, sizeof(gfp));
		jsonw_bool_field(w, "gfp_several", true);
		jsonw_string_field(w, "gfp_all", gfp);
	}
	jsonw_string_field(w, "context", kms_ctx_format(f->ctx, where, sizeof(where)));
	jsonw_uint_field(w, "req_min", f->req_min);
	jsonw_uint_field(w, "req_max", f->req_max);
	if (f->bytes_alloc)
		jsonw_uint_field(w, "bytes_alloc", f->bytes_alloc);
	if (f->savings_per_object) {
		jsonw_uint_field(w, "savings_per_object", f->savings_per_object);
		jsonw_uint_field(w, "savings_live_bytes", f->savings);
	}
	if (f->kind == FIND_WASTE_SMALLER) {
		jsonw_uint_field(w, "suggest_request", f->suggest);
		jsonw_string_field(w, "suggest_cache", f->suggest_cache);
	}
	if (f->kind == FIND_LEAK) {
		jsonw_string_field(w, "growth", leak_growth_name(f->growth));
		jsonw_float_field(w, "slope_per_s", f->slope);
		jsonw_name(w, "ages");
		jsonw_start_array(w);
		for (i = 0; i < LEAK_AGE_BUCKETS; i++)
			jsonw_uint(w, f->ages[i]);
		jsonw_end_array(w);
		jsonw_uint_field(w, "oldest_ms", f->oldest_ms);
		jsonw_string_field(w, "confidence", f->confidence == 2 ? "high" :
					   f->confidence == 1 ? "medium" : "low");
		if (f->why_not_sure[0])
			jsonw_string_field(w, "confidence_reason", f->why_not_sure);
		if (f->frees_unseen)
			jsonw_bool_field(w, "frees_unseen", true);
		if (f->reclaimable)
			jsonw_bool_field(w, "reclaimable", true);
		if (f->kernel_part)
			jsonw_bool_field(w, "kernel_part", true);
		if (f->short_window)
			jsonw_bool_field(w, "short_window", true);
	}
	if (f->kind == FIND_CHURN) {
		jsonw_float_field(w, "rate_per_s", f->rate);
		jsonw_uint_field(w, "freed", f->freed);
		jsonw_uint_field(w, "lifetime_p50_lt_us", lifetime__hi(f->lt_p50));
		jsonw_uint_field(w, "lifetime_p99_lt_us", lifetime__hi(f->lt_p99));
	}
	if (f->kind == FIND_RCU_DEFERRED) {
		jsonw_uint_field(w, "kfree_rcu", f->count);
		jsonw_uint_field(w, "freed", f->freed);
		jsonw_uint_field(w, "freed_sheaf", f->rcu_sheaf);
		if (f->delay_p50 >= 0) {
			jsonw_uint_field(w, "delay_p50_lt_us", lifetime__hi(f->delay_p50));
			jsonw_uint_field(w, "delay_max_lt_us", lifetime__hi(f->delay_max));
		} else {
			jsonw_null_field(w, "delay_p50_lt_us");
			jsonw_null_field(w, "delay_max_lt_us");
		}
		jsonw_uint_field(w, "waiting", f->waiting);
		jsonw_uint_field(w, "waiting_bytes", f->waiting_bytes);
	}
	report_json_stack(w, f->stack, f->call_site, ks, stacks);
	jsonw_string_field(w, "explanation", finding_explanation(f->kind));
	jsonw_string_field(w, "fix", finding_fix(f->kind));
	jsonw_end_object(w);
}

void report_findings_json(struct json_writer *w, const struct findings *fs,
			  const struct ksyms *ks, const struct kms_stacks *stacks,
			  unsigned int sections)
{
	size_t i;

	jsonw_name(w, "findings");
	jsonw_start_array(w);
	for (i = 0; i < fs->n; i++)
		if (report_section_has(sections, &fs->f[i]))
			json_one(w, &fs->f[i], ks, stacks);
	jsonw_end_array(w);
}

/* ---- text --------------------------------------------------------------- */

static void text_leaks(FILE *f, const struct findings *fs, const struct ksyms *ks,
		       const struct kms_stacks *stacks, unsigned int top)
{
	char sym[KMS_SYM_LEN], b1[32];
	size_t i, shown = 0, total = 0, demoted = 0, reclaimable = 0;
	bool unseen = false, cached = false;

	for (i = 0; i < fs->n; i++) {
		total += fs->f[i].kind == FIND_LEAK;
		demoted += fs->f[i].kind == FIND_LEAK && fs->f[i].short_window;
		reclaimable += fs->f[i].kind == FIND_LEAK && fs->f[i].reclaimable;
	}
	fprintf(f, "\nLEAKS: objects allocated during the trace and still allocated at its end\n");
	if (!total) {
		fputs("none\n", f);
		return;
	}
	fprintf(f, "%-8s %-40s %9s %10s %-8s %9s %-23s %9s %s\n", "SEVERITY", "CALL SITE", "LIVE",
		"BYTES", "GROWTH", "SLOPE/s", "AGE <1s/<10s/<60s/>60s", "OLDEST", "CONFIDENCE");
	for (i = 0; i < fs->n && (!top || shown < top); i++) {
		const struct finding *x = &fs->f[i];
		char ages[64];

		if (x->kind != FIND_LEAK)
			continue;
		/* The findings order puts these two groups last: one heading each. */
		if (finding__kept(x) && !cached)
			fputs(fs->caches_dropped ?
			      "-- kept by the kernel, still live after drop_caches: held by something "
			      "(an open file, a mount, a watch), or a reference leaked\n" :
			      "-- kept by the kernel: objects of its reclaimable caches, and their "
			      "parts, until memory pressure; no evidence of a leak (--drop-caches has "
			      "it drop them at the end)\n", f);
		cached = finding__kept(x);
		if (x->frees_unseen && !unseen)
			fputs("-- frees not seen: live objects here are no evidence of a leak\n", f);
		unseen = x->frees_unseen;
		ksyms__format(ks, x->call_site, sym, sizeof(sym));
		snprintf(ages, sizeof(ages), "%" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64, x->ages[0],
			 x->ages[1], x->ages[2], x->ages[3]);
		fprintf(f, "%-8s %-40s %9" PRIu64 " %10s %-8s %9.1f %-23s %8.1fs %s%s%s\n",
			finding_severity_name(x->severity), sym, x->count,
			kms_human_bytes(x->bytes, b1, sizeof(b1)), leak_growth_name(x->growth), x->slope, ages,
			x->oldest_ms / 1000.0, x->confidence == 2 ? "high" :
			x->confidence == 1 ? "medium" : "low", x->why_not_sure[0] ? ": " : "",
			x->why_not_sure);
		text_stack(f, x, ks, stacks);
		shown++;
	}
	if (shown < total)
		fprintf(f, "... %zu more sites with live objects (-n 0 shows all)\n", total - shown);
	if (demoted)
		fprintf(f, "note: %zu %s, but a trace of under a minute without a command cannot "
			"tell a working set from a leak: trace a command, or 60 s or more\n",
			demoted, demoted == 1 ? "leak would be a warning" : "leaks would be warnings");
	/* What a cached object owns is in no reclaimable cache of its own. */
	if (reclaimable && !fs->caches_dropped)
		fprintf(f, "note: %zu %s objects in reclaimable caches at the end; what those own "
			"(a symlink's target, a file system's private data) stays live with them "
			"and may show here as a leak of its own: --drop-caches tells them apart\n",
			reclaimable, reclaimable == 1 ? "site keeps" : "sites keep");
}

static void text_waste(FILE *f, const struct findings *fs, const struct ksyms *ks,
		       const struct kms_stacks *stacks, unsigned int top)
{
	char sym[KMS_SYM_LEN], b1[32], b2[32], advice[128];
	size_t i, shown = 0, total = 0;

	for (i = 0; i < fs->n; i++)
		total += section_of(fs->f[i].kind) == REPORT_WASTE;
	if (!total)
		return;
	fprintf(f, "\nWASTE: what to change, with the memory it would save\n"
		   "%-40s %-18s %9s %11s %10s %12s  %s\n", "CALL SITE", "CACHE", "ALLOCS", "REQ SIZE",
		"WASTED", "SAVES NOW", "ADVICE");
	for (i = 0; i < fs->n && (!top || shown < top); i++) {
		const struct finding *x = &fs->f[i];
		char req[32];

		if (section_of(x->kind) != REPORT_WASTE)
			continue;
		ksyms__format(ks, x->call_site, sym, sizeof(sym));
		if (x->req_min == x->req_max)
			snprintf(req, sizeof(req), "%u", x->req_max);
		else
			snprintf(req, sizeof(req), "%u-%u", x->req_min, x->req_max);
		switch (x->kind) {
		case FIND_WASTE_SMALLER:
			snprintf(advice, sizeof(advice), "request <= %u to fit %s (-%" PRIu64 " B/object)",
				 x->suggest, x->suggest_cache, x->savings_per_object);
			break;
		case FIND_WASTE_CACHE:
			snprintf(advice, sizeof(advice), "own kmem_cache of %u B (-%" PRIu64 " B/object)",
				 (x->req_max + 7) & ~7u, x->savings_per_object);
			break;
		case FIND_WASTE_ROUNDUP:
			snprintf(advice, sizeof(advice), "kmalloc_size_roundup(): use the slack");
			break;
		case FIND_ATOMIC_LARGE:
		case FIND_KVMALLOC:
		default:
			/*
			 * Its bytes are blocks asked for contiguous, not waste:
			 * LARGE KMALLOC has their rounding.
			 */
			snprintf(advice, sizeof(advice), "kvmalloc(): %s in blocks of up to %u B "
				 "physically contiguous", kms_human_bytes(x->bytes, b1, sizeof(b1)),
				 x->bytes_alloc);
			break;
		}
		fprintf(f, "%-40s %-18s %9" PRIu64 " %11s %10s %12s  %s\n", sym, x->cache, x->count,
			req, x->kind == FIND_KVMALLOC || x->kind == FIND_ATOMIC_LARGE ? "-" :
			kms_human_bytes(x->bytes, b1, sizeof(b1)),
			x->savings ? kms_human_bytes(x->savings, b2, sizeof(b2)) : "-", advice);
		text_stack(f, x, ks, stacks);
		shown++;
	}
	if (shown < total)
		fprintf(f, "... %zu more (-n 0 shows all)\n", total - shown);
}

static void text_other(FILE *f, const struct findings *fs, const struct ksyms *ks,
		       const struct kms_stacks *stacks, unsigned int section, const char *title)
{
	char sym[KMS_SYM_LEN], gfp[KMS_GFP_NAME_LEN], where[KMS_CTX_NAME_LEN];
	size_t i;
	bool any = false;

	for (i = 0; i < fs->n; i++) {
		const struct finding *x = &fs->f[i];

		if (section_of(x->kind) != section)
			continue;
		if (!any)
			fprintf(f, "\n%s\n%-8s %-31s %-40s %9s %9s  %-16s %s\n", title, "SEVERITY",
				"KIND", "CALL SITE", "COUNT", "SIZE", "CONTEXT", "GFP");
		any = true;
		ksyms__format(ks, x->call_site, sym, sizeof(sym));
		gfp_format(x->gfp, gfp, sizeof(gfp));
		fprintf(f, "%-8s %-31s %-40s %9" PRIu64 " %9u  %-16s %s%s\n",
			finding_severity_name(x->severity), finding_kind_name(x->kind), sym, x->count,
			x->bytes_alloc ? x->bytes_alloc : x->req_max,
			kms_ctx_format(x->ctx, where, sizeof(where)), gfp,
			x->gfp_several ? " (and other flags)" : "");
		text_stack(f, x, ks, stacks);
	}
}

static void text_churn(FILE *f, const struct findings *fs, const struct ksyms *ks,
		       const struct kms_stacks *stacks, unsigned int top)
{
	char sym[KMS_SYM_LEN], p50[16], p99[16];
	size_t i, shown = 0, total = 0;

	for (i = 0; i < fs->n; i++)
		total += fs->f[i].kind == FIND_CHURN;
	if (!total)
		return;
	fprintf(f, "\nCHURN: one size allocated at a high rate and freed within a millisecond\n"
		   "%-40s %-18s %9s %9s %6s %9s %8s %8s\n", "CALL SITE", "CACHE", "ALLOCS", "PER SEC",
		"SIZE", "FREED", "P50", "P99");
	for (i = 0; i < fs->n && (!top || shown < top); i++) {
		const struct finding *x = &fs->f[i];

		if (x->kind != FIND_CHURN)
			continue;
		ksyms__format(ks, x->call_site, sym, sizeof(sym));
		lifetime__fmt_bucket(x->lt_p50, p50, sizeof(p50));
		lifetime__fmt_bucket(x->lt_p99, p99, sizeof(p99));
		fprintf(f, "%-40s %-18s %9" PRIu64 " %9.0f %6u %9" PRIu64 " %8s %8s\n", sym, x->cache,
			x->count, x->rate, x->req_max, x->freed, p50, p99);
		text_stack(f, x, ks, stacks);
		shown++;
	}
	if (shown < total)
		fprintf(f, "... %zu more (-n 0 shows all)\n", total - shown);
}

/* Delays as buckets' bounds, "-" when none is known. */
static void fmt_delay(int bucket, char *buf, size_t len)
{
	if (bucket < 0)
		snprintf(buf, len, "-");
	else
		lifetime__fmt_bucket(bucket, buf, len);
}

static void text_rcu(FILE *f, const struct findings *fs, const struct ksyms *ks,
		     const struct kms_stacks *stacks, unsigned int top)
{
	char sym[KMS_SYM_LEN], p50[16], max[16];
	size_t i, shown = 0, total = 0;

	for (i = 0; i < fs->n; i++)
		total += fs->f[i].kind == FIND_RCU_DEFERRED;
	if (!total)
		return;
	fprintf(f, "\nRCU-DEFERRED: freed with kfree_rcu(), the memory given back a grace period "
		   "later\n%-40s %-18s %9s %9s %8s %8s %8s %11s\n", "CALL SITE", "CACHE",
		"KFREE_RCU", "FREED", "SHEAF", "P50", "MAX", "WAITING");
	for (i = 0; i < fs->n && (!top || shown < top); i++) {
		const struct finding *x = &fs->f[i];

		if (x->kind != FIND_RCU_DEFERRED)
			continue;
		ksyms__format(ks, x->call_site, sym, sizeof(sym));
		fmt_delay(x->delay_p50, p50, sizeof(p50));
		fmt_delay(x->delay_max, max, sizeof(max));
		fprintf(f, "%-40s %-18s %9" PRIu64 " %9" PRIu64 " %8" PRIu64 " %8s %8s %11" PRIu64
			"\n", sym, x->cache, x->count, x->freed, x->rcu_sheaf, p50, max, x->waiting);
		text_stack(f, x, ks, stacks);
		shown++;
	}
	if (shown < total)
		fprintf(f, "... %zu more (-n 0 shows all)\n", total - shown);
}

/* Each kind present gets its explanation and fix once, after the tables. */
int report_findings_explain(FILE *f, const struct findings *fs, unsigned int sections)
{
	bool seen[FIND_KIND_MAX] = { false };
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (report_section_has(sections, &fs->f[i]))
			seen[fs->f[i].kind] = true;
	for (i = 0; i < FIND_KIND_MAX; i++) {
		if (!seen[i])
			continue;
		fprintf(f, "\n%s: %s\n  fix: %s\n", finding_kind_name(i), finding_explanation(i),
			finding_fix(i));
	}
	return ferror(f) ? -EIO : 0;
}

int report_findings_text(FILE *f, const struct findings *fs, const struct ksyms *ks,
			 const struct kms_stacks *stacks, unsigned int sections, unsigned int top)
{
	if (sections & REPORT_GFP)
		text_other(f, fs, ks, stacks, REPORT_GFP,
			   "GFP: flags the kernel warns about or that fail easily");
	if (sections & REPORT_FAILURES)
		text_other(f, fs, ks, stacks, REPORT_FAILURES,
			   "FAILURES: allocations that returned NULL");
	if (sections & REPORT_LEAKS)
		text_leaks(f, fs, ks, stacks, top);
	if (sections & REPORT_WASTE)
		text_waste(f, fs, ks, stacks, top);
	if (sections & REPORT_LIFETIMES) {
		text_churn(f, fs, ks, stacks, top);
		text_rcu(f, fs, ks, stacks, top);
	}
	return ferror(f) ? -EIO : 0;
}
