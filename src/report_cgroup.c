// SPDX-License-Identifier: GPL-2.0
/*
 * report_cgroup.c - see report_cgroup.h.  "Accounted" is the part the
 * kernel charges to the allocating task's memory cgroup (collect.h,
 * struct kms_cgroup); everything else a cgroup's tasks allocate is
 * theirs in these reports but no memcg limit sees it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "cgpaths.h"
#include "collect.h"
#include "json_writer.h"
#include "ksyms.h"
#include "report_cgroup.h"
#include "report_stat.h"

#define CG_LABEL_LEN	64

/* Allocated bytes, most first; then the id, for a total order. */
static int by_bytes(uint64_t a_bytes, uint64_t a_id, uint64_t b_bytes, uint64_t b_id)
{
	if (a_bytes != b_bytes)
		return a_bytes > b_bytes ? -1 : 1;
	return a_id < b_id ? -1 : a_id > b_id;
}

static int cgroup_cmp(const void *a, const void *b)
{
	const struct kms_cgroup *x = *(const struct kms_cgroup *const *)a;
	const struct kms_cgroup *y = *(const struct kms_cgroup *const *)b;

	return by_bytes(x->t.bytes_alloc, x->id, y->t.bytes_alloc, y->id);
}

/* Sites of one cgroup: by bytes, then by call site (ids differ between runs). */
struct cgsite_ctx {
	const struct collector *c;
};

static int cgsite_cmp(const void *a, const void *b, void *arg)
{
	const struct kms_cgsite *x = *(const struct kms_cgsite *const *)a;
	const struct kms_cgsite *y = *(const struct kms_cgsite *const *)b;
	const struct cgsite_ctx *ctx = arg;
	const struct kms_site *sx = collector__site(ctx->c, x->site);
	const struct kms_site *sy = collector__site(ctx->c, y->site);

	if (x->t.bytes_alloc != y->t.bytes_alloc)
		return x->t.bytes_alloc > y->t.bytes_alloc ? -1 : 1;
	if (sx->call_site != sy->call_site)
		return sx->call_site < sy->call_site ? -1 : 1;
	return sx->stack < sy->stack ? -1 : sx->stack > sy->stack;
}

const struct kms_cgroup **report_cgroup_rows(const struct collector *c, size_t *n)
{
	size_t i, nr = collector__nr_cgroups(c);
	const struct kms_cgroup **rows = calloc(nr ? nr : 1, sizeof(*rows));

	*n = 0;
	if (!rows)
		return NULL;
	for (i = 0; i < nr; i++) {
		const struct kms_cgroup *g = collector__cgroup(c, i);

		if (g->t.allocs || g->t.failed)
			rows[(*n)++] = g;
	}
	qsort(rows, *n, sizeof(*rows), cgroup_cmp);
	return rows;
}

size_t report_cgroup_index(const struct collector *c, const struct kms_cgroup *g)
{
	return g - collector__cgroup(c, 0);
}

const struct kms_cgsite **report_cgroup_sites(const struct collector *c, size_t cg, size_t *n)
{
	size_t i, nr = collector__nr_cgsites(c);
	const struct kms_cgsite **rows;
	struct cgsite_ctx ctx = { c };

	*n = 0;
	if (!nr)
		return NULL;
	rows = calloc(nr, sizeof(*rows));
	if (!rows)
		return NULL;
	for (i = 0; i < nr; i++) {
		const struct kms_cgsite *s = collector__cgsite(c, i);

		if (s->cgroup == cg && s->t.allocs)
			rows[(*n)++] = s;
	}
	qsort_r(rows, *n, sizeof(*rows), cgsite_cmp, &ctx);
	return rows;
}

static void text_sites(FILE *f, const struct collector *c, const struct ksyms *ks, size_t cg,
		       unsigned int top)
{
	size_t i, n, shown;
	const struct kms_cgsite **rows = report_cgroup_sites(c, cg, &n);
	char sym[KMS_SYM_LEN];

	shown = top && top < n ? top : n;
	for (i = 0; i < shown; i++) {
		const struct kms_totals *t = &rows[i]->t;

		ksyms__format(ks, collector__site(c, rows[i]->site)->call_site, sym, sizeof(sym));
		fprintf(f, "  %-42.42s %10" PRIu64 " %10" PRIu64 " %12" PRIu64 " %9" PRIu64
			" %12" PRIu64 "\n", sym, t->allocs, t->frees, t->bytes_alloc, t->live,
			t->live_alloc);
	}
	if (shown < n)
		fprintf(f, "  ... %zu more sites (-n 0 shows all)\n", n - shown);
	free(rows);
}

int report_cgroup_text(FILE *f, const struct collector *c, const struct ksyms *ks,
		       const struct cgpaths *paths, unsigned int top)
{
	size_t i, n, shown;
	const struct kms_cgroup **rows = report_cgroup_rows(c, &n);
	char buf[CG_LABEL_LEN];

	if (!rows)
		return -ENOMEM;
	shown = top && top < n ? top : n;
	fprintf(f, "\n%-44s %10s %10s %12s %9s %12s %12s %12s\n", "CGROUP", "ALLOCS", "FREES",
		"BYTES_ALLOC", "LIVE", "LIVE_BYTES", "ACCT_BYTES", "ACCT_LIVE");
	for (i = 0; i < shown; i++) {
		const struct kms_cgroup *g = rows[i];

		fprintf(f, "%-44s %10" PRIu64 " %10" PRIu64 " %12" PRIu64 " %9" PRIu64 " %12"
			PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
			cgpaths__label(paths, g->id, buf, sizeof(buf)), g->t.allocs, g->t.frees,
			g->t.bytes_alloc, g->t.live, g->t.live_alloc, g->acct.bytes_alloc,
			g->acct.live_alloc);
		text_sites(f, c, ks, report_cgroup_index(c, g), top);
	}
	if (shown < n)
		fprintf(f, "... %zu more cgroups (-n 0 shows all)\n", n - shown);
	free(rows);
	return ferror(f) ? -EIO : 0;
}

static void json_sites(struct json_writer *w, const struct collector *c,
		       const struct ksyms *ks, size_t cg, unsigned int top)
{
	size_t i, n;
	const struct kms_cgsite **rows = report_cgroup_sites(c, cg, &n);
	char sym[KMS_SYM_LEN];

	if (!collector__nr_cgsites(c))
		return;
	jsonw_name(w, "sites");
	jsonw_start_array(w);
	for (i = 0; i < n && (!top || i < top); i++) {
		const struct kms_site *s = collector__site(c, rows[i]->site);

		jsonw_start_object(w);
		ksyms__format(ks, s->call_site, sym, sizeof(sym));
		jsonw_string_field(w, "site", sym);
		if (!ksyms__redact(ks))
			jsonw_hex_field(w, "addr", s->call_site);
		if (s->stack >= 0)
			jsonw_int_field(w, "stack_id", s->stack);
		report_json_totals(w, &rows[i]->t);
		jsonw_name(w, "accounted");
		jsonw_start_object(w);
		report_json_totals(w, &rows[i]->acct);
		jsonw_end_object(w);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	free(rows);
}

void report_cgroup_json(struct json_writer *w, const struct collector *c,
			const struct ksyms *ks, const struct cgpaths *paths, unsigned int top)
{
	size_t i, n;
	const struct kms_cgroup **rows = report_cgroup_rows(c, &n);
	char buf[CG_LABEL_LEN];

	jsonw_name(w, "cgroups");
	jsonw_start_array(w);
	for (i = 0; rows && i < n && (!top || i < top); i++) {
		const struct kms_cgroup *g = rows[i];
		bool real = kms_cgroup_is_dir(g->id);

		jsonw_start_object(w);
		jsonw_string_field(w, "cgroup", cgpaths__label(paths, g->id, buf, sizeof(buf)));
		if (real)
			jsonw_uint_field(w, "id", g->id);
		else
			jsonw_null_field(w, "id");
		report_json_totals(w, &g->t);
		jsonw_name(w, "accounted");
		jsonw_start_object(w);
		report_json_totals(w, &g->acct);
		jsonw_end_object(w);
		json_sites(w, c, ks, report_cgroup_index(c, g), top);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	free(rows);
}
