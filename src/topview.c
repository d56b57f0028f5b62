// SPDX-License-Identifier: GPL-2.0
/*
 * topview.c - see topview.h.  The collector's site and cache indexes are
 * stable, so the previous refresh is kept per index: allocation and free
 * counts for the rates, and the last live counts for the growth marker.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cgpaths.h"
#include "collect.h"
#include "grow.h"
#include "ksyms.h"
#include "topview.h"

#define GROW_REFRESHES	3

struct prev {
	uint64_t allocs, frees;
	uint64_t live[GROW_REFRESHES];	/* newest first */
	unsigned int seen;		/* refreshes this index took part in */
};

struct topview {
	struct prev *prev[TOP_MODES];	/* per mode */
	size_t nr_prev[TOP_MODES];
	uint64_t last_ns;
	struct topview_row *rows;
	size_t nr_rows, cap_rows;
	struct topview_totals totals;
	uint64_t tot_allocs, tot_frees;
};

struct topview *topview__new(void)
{
	return calloc(1, sizeof(struct topview));
}

void topview__free(struct topview *tv)
{
	int m;

	if (!tv)
		return;
	for (m = 0; m < TOP_MODES; m++)
		free(tv->prev[m]);
	free(tv->rows);
	free(tv);
}

/* Live rose at each of the last GROW_REFRESHES refreshes. */
static bool growing(const struct prev *p, uint64_t live)
{
	unsigned int i;

	if (p->seen < GROW_REFRESHES)
		return false;
	if (live <= p->live[0])
		return false;
	for (i = 0; i + 1 < GROW_REFRESHES; i++)
		if (p->live[i] <= p->live[i + 1])
			return false;
	return true;
}

static void step(struct prev *p, const struct kms_totals *t)
{
	memmove(&p->live[1], &p->live[0], (GROW_REFRESHES - 1) * sizeof(p->live[0]));
	p->live[0] = t->live;
	p->allocs = t->allocs;
	p->frees = t->frees;
	p->seen++;
}

static void fill(struct topview_row *r, const struct kms_totals *t, const struct prev *p,
		 double dt)
{
	r->alloc_rate = dt > 0 ? (t->allocs - p->allocs) / dt : 0;
	r->free_rate = dt > 0 ? (t->frees - p->frees) / dt : 0;
	r->allocs = t->allocs;
	r->live = t->live;
	r->live_bytes = t->live_alloc;
	r->bytes_req = t->bytes_req;
	r->bytes_alloc = t->bytes_alloc;
	r->waste_pct = t->bytes_alloc ? 100.0 * (t->bytes_alloc - t->bytes_req) / t->bytes_alloc : 0;
	if (growing(p, t->live))
		r->marks |= TOP_MARK_GROWING;
}

/* 1 when the row is not wanted (the other mode, or filtered out). */
static int add_row(struct topview *tv, const char *name, bool shown, const char *filter)
{
	struct topview_row *r;

	if (!shown || (filter && *filter && !strstr(name, filter)))
		return 1;
	if (kms_grow((void **)&tv->rows, &tv->cap_rows, tv->nr_rows + 1, sizeof(*tv->rows), 64))
		return -ENOMEM;
	r = &tv->rows[tv->nr_rows++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	return 0;
}

static int cmp_d(double a, double b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static int cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

/* qsort_r: arg is the enum topview_sort. */
static int row_cmp(const void *a, const void *b, void *arg)
{
	const struct topview_row *x = a, *y = b;
	enum topview_sort sort = *(const enum topview_sort *)arg;
	int c = 0;

	switch (sort) {
	case TOP_SORT_ALLOC_RATE:
		c = cmp_d(x->alloc_rate, y->alloc_rate);
		break;
	case TOP_SORT_FREE_RATE:
		c = cmp_d(x->free_rate, y->free_rate);
		break;
	case TOP_SORT_LIVE:
		c = cmp_u(x->live, y->live);
		break;
	case TOP_SORT_LIVE_BYTES:
		c = cmp_u(x->live_bytes, y->live_bytes);
		break;
	case TOP_SORT_WASTE:
		c = cmp_d(x->waste_pct, y->waste_pct);
		break;
	case TOP_SORT_NAME:
		return strcmp(x->name, y->name);
	}
	/* Busiest first among equals, then by name: a stable screen. */
	if (!c)
		c = cmp_u(x->allocs, y->allocs);
	return c ? c : strcmp(x->name, y->name);
}

static int sites(struct topview *tv, const struct collector *c, const struct ksyms *ks,
		 double dt, bool shown, const char *filter)
{
	size_t i, n = collector__nr_sites(c);
	char sym[KMS_SYM_LEN];
	int rc;

	/* New slots zeroed: a site not seen before has no history. */
	if (kms_grow((void **)&tv->prev[TOP_SITES], &tv->nr_prev[TOP_SITES], n,
		     sizeof(struct prev), 64))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct kms_site *s = collector__site(c, i);
		struct prev *p = &tv->prev[TOP_SITES][i];

		ksyms__format(ks, s->call_site, sym, sizeof(sym));
		rc = add_row(tv, sym, shown, filter);
		if (rc < 0)
			return rc;
		if (!rc) {
			struct topview_row *r = &tv->rows[tv->nr_rows - 1];

			fill(r, &s->t, p, dt);
			r->lt_p50 = lifetime__quantile(&s->lt, 0.5);
			if (s->sleep_in_irq)
				r->marks |= TOP_MARK_GFP_BUG;
			if (s->t.failed)
				r->marks |= TOP_MARK_FAILED;
		}
		step(p, &s->t);
	}
	return 0;
}

/* Caches met twice under one name (an info record lost) are one row. */
static int caches(struct topview *tv, const struct collector *c, double dt, bool shown,
		  const char *filter)
{
	size_t i, j, n = collector__nr_caches(c);
	int rc;

	if (kms_grow((void **)&tv->prev[TOP_CACHES], &tv->nr_prev[TOP_CACHES], n,
		     sizeof(struct prev), 64))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct kms_cache *k = collector__cache(c, i);
		struct kms_totals t = k->t;
		struct kms_lifetime lt = k->lt;
		struct prev *p = &tv->prev[TOP_CACHES][i];

		for (j = 0; j < i && strcmp(collector__cache(c, j)->name, k->name); j++)
			;
		if (j < i)
			continue;	/* folded into the first of its name */
		for (j = i + 1; j < n; j++) {
			const struct kms_cache *o = collector__cache(c, j);

			if (!strcmp(o->name, k->name)) {
				t.allocs += o->t.allocs, t.frees += o->t.frees;
				t.failed += o->t.failed, t.live += o->t.live;
				t.bytes_req += o->t.bytes_req, t.bytes_alloc += o->t.bytes_alloc;
				t.live_alloc += o->t.live_alloc;
				lifetime__merge(&lt, &o->lt);
			}
		}
		/*
		 * Nothing traced (only frees of objects older than the trace,
		 * or a name record): a row of zeros, which stat leaves out too.
		 */
		if (!t.allocs && !t.failed) {
			step(p, &t);
			continue;
		}
		rc = add_row(tv, k->name, shown, filter);
		if (rc < 0)
			return rc;
		if (!rc) {
			fill(&tv->rows[tv->nr_rows - 1], &t, p, dt);
			tv->rows[tv->nr_rows - 1].lt_p50 = lifetime__quantile(&lt, 0.5);
			if (t.failed)
				tv->rows[tv->nr_rows - 1].marks |= TOP_MARK_FAILED;
		}
		step(p, &t);
	}
	return 0;
}

/* Who allocates: the collector's cgroups, by path. */
static int cgroups(struct topview *tv, const struct collector *c, const struct cgpaths *paths,
		   double dt, bool shown, const char *filter)
{
	size_t i, n = collector__nr_cgroups(c);
	char buf[64];
	int rc;

	if (kms_grow((void **)&tv->prev[TOP_CGROUPS], &tv->nr_prev[TOP_CGROUPS], n,
		     sizeof(struct prev), 16))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct kms_cgroup *g = collector__cgroup(c, i);
		struct prev *p = &tv->prev[TOP_CGROUPS][i];

		rc = add_row(tv, cgpaths__label(paths, g->id, buf, sizeof(buf)), shown, filter);
		if (rc < 0)
			return rc;
		if (!rc) {
			fill(&tv->rows[tv->nr_rows - 1], &g->t, p, dt);
			/* Lifetimes are kept per site and cache, not per cgroup. */
			tv->rows[tv->nr_rows - 1].lt_p50 = -1;
			if (g->t.failed)
				tv->rows[tv->nr_rows - 1].marks |= TOP_MARK_FAILED;
		}
		step(p, &g->t);
	}
	return 0;
}

static void totals(struct topview *tv, const struct collector *c, double dt)
{
	size_t i, n = collector__nr_caches(c);
	struct topview_totals *t = &tv->totals;
	uint64_t allocs = 0, frees = 0;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++) {
		const struct kms_cache *k = collector__cache(c, i);

		allocs += k->t.allocs;
		frees += k->t.frees;
		t->live += k->t.live;
		t->live_bytes += k->t.live_alloc;
		t->bytes_req += k->t.bytes_req;
		t->bytes_alloc += k->t.bytes_alloc;
	}
	t->alloc_rate = dt > 0 ? (allocs - tv->tot_allocs) / dt : 0;
	t->free_rate = dt > 0 ? (frees - tv->tot_frees) / dt : 0;
	tv->tot_allocs = allocs;
	tv->tot_frees = frees;
}

int topview__refresh(struct topview *tv, const struct collector *c, const struct ksyms *ks,
		     const struct cgpaths *paths, uint64_t elapsed_ns, enum topview_mode mode,
		     enum topview_sort sort, const char *filter)
{
	double dt = elapsed_ns > tv->last_ns ? (elapsed_ns - tv->last_ns) / 1e9 : 0;
	int err;

	tv->nr_rows = 0;
	/* Both modes step every refresh, so a toggle shows rates at once. */
	err = sites(tv, c, ks, dt, mode == TOP_SITES, filter);
	if (!err)
		err = caches(tv, c, dt, mode == TOP_CACHES, filter);
	if (!err)
		err = cgroups(tv, c, paths, dt, mode == TOP_CGROUPS, filter);
	if (err)
		return err;
	totals(tv, c, dt);
	tv->last_ns = elapsed_ns;
	qsort_r(tv->rows, tv->nr_rows, sizeof(*tv->rows), row_cmp, &sort);
	return 0;
}

size_t topview__nr_rows(const struct topview *tv)
{
	return tv->nr_rows;
}

const struct topview_row *topview__row(const struct topview *tv, size_t i)
{
	return i < tv->nr_rows ? &tv->rows[i] : NULL;
}

const struct topview_totals *topview__totals(const struct topview *tv)
{
	return &tv->totals;
}

int topview_sort_key(int key, enum topview_sort *out)
{
	static const char keys[] = "aflbwn";
	const char *p = key > 0 && key < 256 ? strchr(keys, key) : NULL;

	if (!p || !*p)
		return -EINVAL;
	*out = p - keys;
	return 0;
}

const char *topview_fit(const char *line, int cols, char *out, size_t len)
{
	size_t n = strlen(line), keep;

	if (!len)
		return out;
	if (cols <= 0) {
		out[0] = 0;
		return out;
	}
	if (n <= (size_t)cols) {
		snprintf(out, len, "%s", line);
		return out;
	}
	keep = cols > 3 ? (size_t)cols - 3 : 0;
	snprintf(out, len, "%.*s%.*s", (int)keep, line, cols - (int)keep, "...");
	return out;
}

const char *topview_marks(unsigned int marks, char buf[4])
{
	int n = 0;

	if (marks & TOP_MARK_GFP_BUG)
		buf[n++] = '!';
	if (marks & TOP_MARK_FAILED)
		buf[n++] = 'F';
	if (marks & TOP_MARK_GROWING)
		buf[n++] = '+';
	buf[n] = 0;
	return buf;
}
