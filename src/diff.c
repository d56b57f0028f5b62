// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - the comparing half of `kmscope diff` (diff.h): two loaded
 * reports matched per site, per cache and per finding, their totals, and
 * the CI gate that judges the result (--max-increase, --fail-on).  Owns
 * the metric and condition names; diff_load.c reads the reports,
 * diff_write.c renders the comparison.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_internal.h"
#include "util.h"

const struct diff_metric_desc diff_metrics[DIFF_NR_METRICS] = {
	[DIFF_ALLOCS]		= { "allocs", "allocs", "ALLOCS", false, NULL },
	[DIFF_BYTES]		= { "bytes", "bytes_alloc", "BYTES_ALLOC", true, NULL },
	[DIFF_WASTE]		= { "waste", "waste", "WASTE", true, NULL },
	[DIFF_LIVE]		= { "live", "live", "LIVE", false, NULL },
	[DIFF_LIVE_BYTES]	= { "live_bytes", "live_bytes", "LIVE_BYTES", true, NULL },
	[DIFF_FAILED]		= { "failed", "failed", "FAILED", false, NULL },
	/* Report-level: their column header is never printed. */
	[DIFF_SLAB_BYTES]	= { "slab_bytes", "slab_bytes", NULL, true, "memory bill" },
	[DIFF_FREE_SLOTS]	= { "free_slots", "free_slots", NULL, true, "memory bill" },
	[DIFF_ROUNDING]		= { "rounding", "rounding", NULL, true, "size classes" },
	[DIFF_LIFETIME]		= { "lifetime_p50", "p50_lt_us", NULL, false, "lifetimes" },
};

static const char *const cond_names[DIFF_NR_CONDS] = {
	[DIFF_NEW_LEAK]		= "new-leak",
	[DIFF_NEW_GFP_BUG]	= "new-gfp-bug",
	[DIFF_NEW_FAILURE]	= "new-failure",
	[DIFF_NEW_FINDING]	= "new-finding",
};

const char *diff_metric_name(enum diff_metric m)
{
	return m < DIFF_NR_METRICS ? diff_metrics[m].name : "?";
}

const char *diff_metric_key(enum diff_metric m)
{
	return m < DIFF_NR_METRICS ? diff_metrics[m].key : "?";
}

static int metric_parse_n(const char *s, size_t len, enum diff_metric *out)
{
	int m;

	for (m = 0; m < DIFF_NR_METRICS; m++) {
		const struct diff_metric_desc *d = &diff_metrics[m];

		if ((strlen(d->name) == len && !strncmp(s, d->name, len)) ||
		    (strlen(d->key) == len && !strncmp(s, d->key, len))) {
			*out = m;
			return 0;
		}
	}
	return -EINVAL;
}

int diff_metric_parse(const char *s, enum diff_metric *out)
{
	return metric_parse_n(s, strlen(s), out);
}

const char *diff_metric_needs(enum diff_metric m)
{
	return m < DIFF_NR_METRICS ? diff_metrics[m].needs : NULL;
}

bool diff_report__has(const struct diff_report *r, enum diff_metric m)
{
	switch (m) {
	case DIFF_SLAB_BYTES:
	case DIFF_FREE_SLOTS:
		return r->has_memory;
	case DIFF_ROUNDING:
		return r->has_size_classes;
	case DIFF_LIFETIME:
		return r->has_lifetimes;
	default:
		return m < DIFF_NR_ROW_METRICS;
	}
}

const char *diff_cond_name(enum diff_cond c)
{
	return c < DIFF_NR_CONDS ? cond_names[c] : "?";
}

/* ---- comparing -------------------------------------------------------- */

double diff_pct(uint64_t base, uint64_t now)
{
	if (base == now)
		return 0;
	if (!base)
		return INFINITY;
	return ((double)now - (double)base) / (double)base * 100.0;
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b;
}

/*
 * Ties of the sort metric are broken by the other metrics, bytes first: a
 * row whose only change is in live bytes or waste still has a place that
 * says how big its change is.
 */
static const enum diff_metric tiebreak[] = {
	DIFF_BYTES, DIFF_LIVE_BYTES, DIFF_WASTE, DIFF_ALLOCS, DIFF_LIVE, DIFF_FAILED,
};
#define NR_KEYS		(1 + ARRAY_SIZE(tiebreak))

static enum diff_metric sort_key(const void *arg, size_t i)
{
	return i ? tiebreak[i - 1] : *(const enum diff_metric *)arg;
}

/* Changed rows: biggest |change| of the sort metric first. */
static int changed_cmp(const void *pa, const void *pb, void *arg)
{
	const struct diff_row *a = pa, *b = pb;
	enum diff_metric k;
	size_t i;
	int c;

	for (i = 0; i < NR_KEYS; i++) {
		k = sort_key(arg, i);
		c = cmp_u64_desc(diff_absdiff(a->base[k], a->now[k]),
				 diff_absdiff(b->base[k], b->now[k]));
		if (c)
			return c;
	}
	return strcmp(a->name, b->name);
}

/* Added and gone rows: the value they have (added: NEW, gone: BASE). */
static int value_cmp(const void *pa, const void *pb, void *arg)
{
	const struct diff_row *a = pa, *b = pb;
	const uint64_t *va = a->status == DIFF_GONE ? a->base : a->now;
	const uint64_t *vb = b->status == DIFF_GONE ? b->base : b->now;
	enum diff_metric k;
	size_t i;
	int c;

	for (i = 0; i < NR_KEYS; i++) {
		k = sort_key(arg, i);
		c = cmp_u64_desc(va[k], vb[k]);
		if (c)
			return c;
	}
	return strcmp(a->name, b->name);
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

/*
 * Findings are the same finding when kind and site agree.  A finding
 * without a site (one about a whole cache) is matched by its cache.
 */
static int finding_key_cmp(const struct diff_finding *a, const struct diff_finding *b)
{
	int c = strcmp(a->kind, b->kind);

	if (c)
		return c;
	if (!!a->site != !!b->site)
		return !!a->site - !!b->site;
	if (a->site)
		return strcmp(a->site, b->site);
	return strcmp_null(a->cache, b->cache);
}

static int finding_key_pcmp(const void *a, const void *b)
{
	return finding_key_cmp(*(const struct diff_finding *const *)a,
			       *(const struct diff_finding *const *)b);
}

static int severity_rank(const char *s)
{
	static const char *const order[] = { "bug", "warning", "info", "hint" };
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(order); i++)
		if (!strcmp(s, order[i]))
			return i;
	return ARRAY_SIZE(order);
}

/* Most severe first, then by kind, site and cache: stable output. */
static int finding_show_cmp(const void *pa, const void *pb)
{
	const struct diff_finding *a = *(const struct diff_finding *const *)pa;
	const struct diff_finding *b = *(const struct diff_finding *const *)pb;
	int c = severity_rank(a->severity) - severity_rank(b->severity);

	if (c)
		return c;
	c = finding_key_cmp(a, b);
	return c ? c : strcmp_null(a->cache, b->cache);
}

/*
 * The findings of `in` with no finding of the same key in `other`, into a
 * new array (*out; NULL and 0 when there are none).
 */
static int unmatched(const struct diff_report *in, const struct diff_report *other,
		     const struct diff_finding ***out, size_t *nr)
{
	const struct diff_finding **idx = NULL, **res;
	size_t i, n = 0;

	*out = NULL;
	*nr = 0;
	if (!in->nr_findings)
		return 0;
	res = calloc(in->nr_findings, sizeof(*res));
	if (other->nr_findings)
		idx = calloc(other->nr_findings, sizeof(*idx));
	if (!res || (other->nr_findings && !idx)) {
		free(res);
		free(idx);
		return -ENOMEM;
	}
	for (i = 0; i < other->nr_findings; i++)
		idx[i] = &other->findings[i];
	if (idx)
		qsort(idx, other->nr_findings, sizeof(*idx), finding_key_pcmp);
	for (i = 0; i < in->nr_findings; i++) {
		const struct diff_finding *f = &in->findings[i];

		if (!idx || !bsearch(&f, idx, other->nr_findings, sizeof(*idx),
				     finding_key_pcmp))
			res[n++] = f;
	}
	free(idx);
	if (!n) {
		free(res);
		return 0;
	}
	qsort(res, n, sizeof(*res), finding_show_cmp);
	*out = res;
	*nr = n;
	return 0;
}

/* Both entry arrays are sorted by name: one merge walk matches them. */
static void match(struct diff_rows *d, const struct diff_entry *base, size_t nr_base,
		  const struct diff_entry *now, size_t nr_now)
{
	size_t i = 0, j = 0;
	struct diff_row *row;
	int c;

	while (i < nr_base || j < nr_now) {
		const struct diff_entry *b = i < nr_base ? &base[i] : NULL;
		const struct diff_entry *n = j < nr_now ? &now[j] : NULL;

		if (!b && !n)
			break;	/* cannot happen: the loop condition; says so to analysers */

		c = !b ? 1 : !n ? -1 : strcmp(b->name, n->name);
		if (c < 0) {
			row = &d->gone[d->nr_gone++];
			row->status = DIFF_GONE;
			row->name = b->name;
			memcpy(row->base, b->v, sizeof(row->base));
			i++;
		} else if (c > 0) {
			row = &d->added[d->nr_added++];
			row->status = DIFF_ADDED;
			row->name = n->name;
			memcpy(row->now, n->v, sizeof(row->now));
			j++;
		} else {
			if (!memcmp(b->v, n->v, sizeof(b->v))) {
				d->nr_same++;
			} else {
				row = &d->changed[d->nr_changed++];
				row->status = DIFF_CHANGED;
				row->name = n->name;
				memcpy(row->base, b->v, sizeof(row->base));
				memcpy(row->now, n->v, sizeof(row->now));
			}
			i++;
			j++;
		}
	}
}

static void rows_free(struct diff_rows *d)
{
	free(d->changed);
	free(d->added);
	free(d->gone);
	memset(d, 0, sizeof(*d));
}

/* Match, then order each list by the sort metric; -ENOMEM or 0. */
static int compare_rows(struct diff_rows *d, const struct diff_entry *base, size_t nr_base,
			const struct diff_entry *now, size_t nr_now, enum diff_metric sort)
{
	/* Sized for the worst case, so the walk never grows them. */
	d->changed = calloc(KMS_MIN(nr_base, nr_now) + 1, sizeof(*d->changed));
	d->gone = calloc(nr_base + 1, sizeof(*d->gone));
	d->added = calloc(nr_now + 1, sizeof(*d->added));
	if (!d->changed || !d->gone || !d->added) {
		rows_free(d);
		return -ENOMEM;
	}
	match(d, base, nr_base, now, nr_now);
	qsort_r(d->changed, d->nr_changed, sizeof(*d->changed), changed_cmp, &sort);
	qsort_r(d->added, d->nr_added, sizeof(*d->added), value_cmp, &sort);
	qsort_r(d->gone, d->nr_gone, sizeof(*d->gone), value_cmp, &sort);
	return 0;
}

/* Row metrics add up the sites; the others are the report's own. */
static void totals(uint64_t *total, const struct diff_report *r)
{
	size_t i;
	int m;

	for (i = 0; r->sites && i < r->nr_sites; i++)
		for (m = 0; m < DIFF_NR_ROW_METRICS; m++)
			total[m] = diff_sat_add(total[m], r->sites[i].v[m]);
	total[DIFF_SLAB_BYTES] = r->has_memory ? r->slab_bytes : 0;
	total[DIFF_FREE_SLOTS] = r->has_memory ? r->free_slots : 0;
	total[DIFF_ROUNDING] = r->has_size_classes ? r->rounding : 0;
}

/* now / base of two medians, 0 when either site freed too few to tell. */
static double lt_growth(const struct diff_entry *b, const struct diff_entry *n)
{
	if (b->lt_freed < DIFF_LT_MIN_FREED || n->lt_freed < DIFF_LT_MIN_FREED || !b->lt_p50)
		return 0;
	return (double)n->lt_p50 / (double)b->lt_p50;
}

/*
 * DIFF_LIFETIME's "totals": the medians of the site in both reports whose
 * median grew the most (the sites are sorted by name in each).
 */
static void worst_lifetime(struct diff_result *d)
{
	const struct diff_report *b = d->base, *n = d->now;
	double worst = 1;
	size_t i = 0, j = 0;

	while (i < b->nr_sites && j < n->nr_sites) {
		int c = strcmp(b->sites[i].name, n->sites[j].name);
		double g;

		if (c) {
			c < 0 ? i++ : j++;
			continue;
		}
		g = lt_growth(&b->sites[i], &n->sites[j]);
		if (g > worst || (!d->lt_site && g == 1)) {
			worst = g;
			d->lt_site = n->sites[j].name;
			d->total_base[DIFF_LIFETIME] = b->sites[i].lt_p50;
			d->total_now[DIFF_LIFETIME] = n->sites[j].lt_p50;
		}
		i++, j++;
	}
}

int diff__compare(struct diff_result *d, const struct diff_report *base,
		  const struct diff_report *now, enum diff_metric sort)
{
	int e;

	memset(d, 0, sizeof(*d));
	d->base = base;
	d->now = now;
	if (sort >= DIFF_NR_ROW_METRICS)
		sort = DIFF_BYTES;

	e = compare_rows(&d->sites, base->sites, base->nr_sites, now->sites, now->nr_sites,
			 sort);
	if (!e)
		e = compare_rows(&d->caches, base->caches, base->nr_caches, now->caches,
				 now->nr_caches, sort);
	if (!e)
		e = compare_rows(&d->classes, base->classes, base->nr_classes, now->classes,
				 now->nr_classes, sort);
	if (!e)
		e = unmatched(now, base, &d->new_findings, &d->nr_new_findings);
	if (!e)
		e = unmatched(base, now, &d->resolved, &d->nr_resolved);
	if (e) {
		diff__free(d);
		return e;
	}
	totals(d->total_base, base);
	totals(d->total_now, now);
	worst_lifetime(d);
	return 0;
}

void diff__free(struct diff_result *d)
{
	rows_free(&d->sites);
	rows_free(&d->caches);
	rows_free(&d->classes);
	free(d->new_findings);
	free(d->resolved);
	memset(d, 0, sizeof(*d));
}

bool diff_result__has(const struct diff_result *d, enum diff_metric m)
{
	return diff_report__has(d->base, m) && diff_report__has(d->now, m);
}

/* ---- the gate --------------------------------------------------------- */

int diff_threshold__parse(const char *arg, struct diff_threshold *t)
{
	const char *eq = strchr(arg, '=');
	char *end;
	double v;

	if (!eq || metric_parse_n(arg, eq - arg, &t->metric))
		return -EINVAL;
	/* strtod would take leading blanks, a sign, "inf" and "nan". */
	if (!((eq[1] >= '0' && eq[1] <= '9') || eq[1] == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(eq + 1, &end);
	if (*end == '%')
		end++;
	if (errno || end == eq + 1 || *end || !isfinite(v) || v < 0)
		return -EINVAL;
	t->max_pct = v;
	return 0;
}

bool diff_threshold__crossed(const struct diff_result *d, const struct diff_threshold *t)
{
	if (t->metric >= DIFF_NR_METRICS || !diff_result__has(d, t->metric))
		return false;
	return diff_pct(d->total_base[t->metric], d->total_now[t->metric]) > t->max_pct;
}

int diff_fail_on__parse(const char *list, unsigned int *mask, const char **bad,
			size_t *bad_len)
{
	const char *p = list;
	size_t len;
	int c;

	*mask = 0;
	for (;;) {
		len = strcspn(p, ",");
		for (c = 0; c < DIFF_NR_CONDS; c++)
			if (strlen(cond_names[c]) == len && !strncmp(p, cond_names[c], len))
				break;
		if (c == DIFF_NR_CONDS) {
			*bad = p;
			*bad_len = len;
			return -EINVAL;
		}
		*mask |= 1u << c;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static bool cond_holds_for(const struct diff_finding *f, enum diff_cond c)
{
	switch (c) {
	case DIFF_NEW_LEAK:
		/*
		 * Only a leak worth a warning: a few objects kernel noise
		 * leaves live at the end of any run (info), a pool (steady)
		 * and sites whose frees are not seen (hint) differ between
		 * two runs of the same build.
		 */
		return !strcmp(f->kind, "leak") && f->severity &&
		       (!strcmp(f->severity, "warning") || !strcmp(f->severity, "bug"));
	case DIFF_NEW_GFP_BUG:
		return !strncmp(f->kind, "gfp-", 4) && f->severity &&
		       !strcmp(f->severity, "bug");
	case DIFF_NEW_FAILURE:
		return !strcmp(f->kind, "failure");
	case DIFF_NEW_FINDING:
		return true;
	default:
		return false;
	}
}

size_t diff_cond__count(const struct diff_result *d, enum diff_cond c)
{
	size_t i, n = 0;

	for (i = 0; i < d->nr_new_findings; i++)
		n += cond_holds_for(d->new_findings[i], c);
	return n;
}

bool diff_gate__fails(const struct diff_result *d, const struct diff_gate *g)
{
	size_t i;
	int c;

	for (i = 0; i < g->nr_th; i++)
		if (diff_threshold__crossed(d, &g->th[i]))
			return true;
	for (c = 0; c < DIFF_NR_CONDS; c++)
		if ((g->fail_on & (1u << c)) && diff_cond__count(d, c))
			return true;
	return false;
}
