// SPDX-License-Identifier: GPL-2.0
/*
 * report_lifetime.c - see report_lifetime.h.  A quantile is shown as the
 * upper bound of the power-of-two bucket holding it ("<64us"): what the
 * histogram knows, no interpolation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "json_writer.h"
#include "ksyms.h"
#include "report_lifetime.h"
#include "runinfo.h"

#define NS_PER_US	1000ULL
#define HIST_BAR	40	/* '@' of the fullest bucket */

uint64_t lifetime_end_us(const struct collector *c, const struct runinfo *ri)
{
	uint64_t last = (uint64_t)collector__now_ms(c) * 1000, end = ri->duration_ns / NS_PER_US;

	return end > last ? end : last;
}

int lifetime_live_ages(const struct collector *c, const struct runinfo *ri,
		       struct kms_lifetime **site_ages, struct kms_lifetime **cache_ages)
{
	size_t ns = collector__nr_sites(c), nc = collector__nr_caches(c);

	*site_ages = calloc(ns + 1, sizeof(**site_ages));
	*cache_ages = calloc(nc + 1, sizeof(**cache_ages));
	if (!*site_ages || !*cache_ages) {
		free(*site_ages);
		free(*cache_ages);
		*site_ages = *cache_ages = NULL;
		return -ENOMEM;
	}
	collector__live_ages(c, lifetime_end_us(c, ri), *site_ages, *cache_ages);
	return 0;
}

/* The exclusive upper bound of bucket b in us; null for the last (unbounded). */
static void json_bound(struct json_writer *w, const char *name, int b)
{
	if (b < 0 || b >= KMS_LT_LAST)
		jsonw_null_field(w, name);
	else
		jsonw_uint_field(w, name, lifetime__hi(b));
}

static void json_buckets(struct json_writer *w, const char *name, const struct kms_lifetime *h)
{
	unsigned int i;

	jsonw_name(w, name);
	jsonw_start_array(w);
	for (i = 0; i < KMS_LT_BUCKETS; i++) {
		if (!h->n[i])
			continue;
		jsonw_start_object(w);
		json_bound(w, "lt_us", i);
		jsonw_uint_field(w, "n", h->n[i]);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

void lifetime_json(struct json_writer *w, const struct kms_lifetime *freed,
		   const struct kms_lifetime *ages)
{
	jsonw_name(w, "lifetime");
	jsonw_start_object(w);
	jsonw_uint_field(w, "freed", lifetime__total(freed));
	json_bound(w, "p50_lt_us", lifetime__quantile(freed, 0.5));
	json_bound(w, "p90_lt_us", lifetime__quantile(freed, 0.9));
	json_bound(w, "p99_lt_us", lifetime__quantile(freed, 0.99));
	json_bound(w, "max_lt_us", lifetime__max(freed));
	json_buckets(w, "buckets", freed);
	json_buckets(w, "live_ages", ages);
	jsonw_end_object(w);
}

/* ---- text ------------------------------------------------------------ */

struct lt_row {
	size_t site;
	uint64_t freed, live;
};

/* Most freed first, then most live, then by address: stable output. */
static int lt_row_cmp(const void *a, const void *b, void *arg)
{
	const struct lt_row *x = a, *y = b;
	const struct collector *c = arg;
	uint64_t ax = collector__site(c, x->site)->call_site;
	uint64_t ay = collector__site(c, y->site)->call_site;

	if (x->freed != y->freed)
		return x->freed > y->freed ? -1 : 1;
	if (x->live != y->live)
		return x->live > y->live ? -1 : 1;
	return ax < ay ? -1 : ax > ay;
}

/* A bucket as a column: "<64us", or "-" for none (b < 0). */
static void text_bucket(FILE *f, int b)
{
	char buf[16] = "-";

	if (b >= 0)
		lifetime__fmt_bucket(b, buf, sizeof(buf));
	fprintf(f, " %8s", buf);
}

static void text_hist(FILE *f, const char *title, const struct kms_lifetime *h)
{
	int lo, hi = lifetime__max(h), b;
	uint64_t most = 0;
	char from[16], to[16], range[40];

	if (hi < 0)
		return;
	for (lo = 0; !h->n[lo]; lo++)
		;
	for (b = lo; b <= hi; b++)
		if (h->n[b] > most)
			most = h->n[b];
	fprintf(f, "  %s\n", title);
	for (b = lo; b <= hi; b++) {
		int bar = (int)((h->n[b] * HIST_BAR + most - 1) / most);

		lifetime__fmt_us(lifetime__lo(b), from, sizeof(from));
		if (b >= KMS_LT_LAST)
			snprintf(range, sizeof(range), "[%s, ...)", from);
		else {
			lifetime__fmt_us(lifetime__hi(b), to, sizeof(to));
			snprintf(range, sizeof(range), "[%s, %s)", from, to);
		}
		fprintf(f, "    %-18s %10" PRIu64 " |%.*s%*s|\n", range, h->n[b], bar,
			"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@", HIST_BAR - bar, "");
	}
}

static void text_table(FILE *f, const struct collector *c, const struct ksyms *ks,
		       const struct lt_row *rows, size_t shown, const struct kms_lifetime *ages)
{
	char sym[256];
	size_t i;

	fprintf(f, "\nLIFETIMES (allocation to free, by call site; LIVE: still allocated at the "
		"end, OLDEST: their age)\n");
	fprintf(f, "%-40s %10s %8s %8s %8s %8s %9s %8s\n", "CALL SITE", "FREED", "P50", "P90",
		"P99", "MAX", "LIVE", "OLDEST");
	for (i = 0; i < shown; i++) {
		const struct kms_site *s = collector__site(c, rows[i].site);

		ksyms__format(ks, s->call_site, sym, sizeof(sym));
		fprintf(f, "%-40s %10" PRIu64, sym, rows[i].freed);
		text_bucket(f, lifetime__quantile(&s->lt, 0.5));
		text_bucket(f, lifetime__quantile(&s->lt, 0.9));
		text_bucket(f, lifetime__quantile(&s->lt, 0.99));
		text_bucket(f, lifetime__max(&s->lt));
		fprintf(f, " %9" PRIu64, rows[i].live);
		text_bucket(f, lifetime__max(&ages[rows[i].site]));
		fputc('\n', f);
	}
}

int report_lifetime_text(FILE *f, const struct collector *c, const struct ksyms *ks,
			 const struct kms_lifetime *site_ages, unsigned int top, bool hists)
{
	size_t i, n = collector__nr_sites(c), k = 0, shown;
	struct lt_row *rows;
	char sym[256];

	rows = calloc(n + 1, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		uint64_t freed = lifetime__total(&collector__site(c, i)->lt);
		uint64_t live = lifetime__total(&site_ages[i]);

		if (freed || live)
			rows[k++] = (struct lt_row){ i, freed, live };
	}
	qsort_r(rows, k, sizeof(*rows), lt_row_cmp, (void *)c);
	shown = top && top < k ? top : k;
	text_table(f, c, ks, rows, shown, site_ages);
	if (!k)
		fprintf(f, "none\n");
	else if (shown < k)
		fprintf(f, "... %zu more (-n 0 shows all)\n", k - shown);
	for (i = 0; hists && i < shown && i < KMS_LT_HISTS; i++) {
		const struct kms_site *s = collector__site(c, rows[i].site);

		ksyms__format(ks, s->call_site, sym, sizeof(sym));
		fprintf(f, "\n%s: %" PRIu64 " freed, %" PRIu64 " live\n", sym, rows[i].freed,
			rows[i].live);
		text_hist(f, "lifetime of the objects freed", &s->lt);
		text_hist(f, "age of the objects still allocated at the end", &site_ages[rows[i].site]);
	}
	free(rows);
	return ferror(f) ? -EIO : 0;
}
