// SPDX-License-Identifier: GPL-2.0
/*
 * test_reconcile.c - unit tests for src/reconcile.c: start and end
 * /proc/slabinfo tables built by hand (or parsed from small inline texts),
 * traced and params callbacks answering from small tables, and every
 * field of struct reconcile_row checked: the deltas, traced_net, diff, the
 * three slacks and their sum, `holds` exactly at the bound and not one
 * beyond, kmalloc rows unchecked when kfrees cannot be attributed, the
 * blind spot (a shortfall beyond the bound where untraced free paths
 * exist; an excess never), caches created during the trace, `touched`,
 * and reconcile_cpu_partial_slabs().  Counts that do not fit int64_t
 * (a hostile recording's slabinfo) run in a child, so undefined
 * behaviour caught by UBSan fails one test and not the binary.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reconcile.h"
#include "slabinfo.h"
#include "test.h"

/* ---- slabinfo tables and callbacks ---- */

struct si_line {
	const char *name;
	uint64_t active, total;
	uint32_t objperslab;
};

/* A slabinfo of n lines; objsize and the slab counts do not matter here. */
static struct slabinfo make_si(const struct si_line *l, size_t n)
{
	struct slabinfo si = { 0 };
	size_t i;

	si.e = calloc(n ? n : 1, sizeof(*si.e));
	if (!si.e) {
		T_FAIL("out of memory");
		return si;
	}
	for (i = 0; i < n; i++) {
		snprintf(si.e[i].name, sizeof(si.e[i].name), "%s", l[i].name);
		si.e[i].active_objs = l[i].active;
		si.e[i].num_objs = l[i].total;
		si.e[i].objperslab = l[i].objperslab;
	}
	si.n = n;
	return si;
}

/* What the trace and sysfs know about one cache. */
struct known {
	const char *name;
	bool traced;			/* traced() answers true */
	struct reconcile_traced t;
	bool params;			/* params() answers true */
	struct reconcile_params p;
};

struct ctx {
	const struct known *k;
	size_t n;
	unsigned int traced_calls, params_calls;
};

static const struct known *known_of(const struct ctx *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->k[i].name, name))
			return &c->k[i];
	return NULL;
}

static bool traced_cb(void *vctx, const char *name, struct reconcile_traced *out)
{
	struct ctx *c = vctx;
	const struct known *k = known_of(c, name);

	c->traced_calls++;
	if (!k || !k->traced)
		return false;
	*out = k->t;
	return true;
}

static bool params_cb(void *vctx, const char *name, struct reconcile_params *out)
{
	struct ctx *c = vctx;
	const struct known *k = known_of(c, name);

	c->params_calls++;
	if (!k || !k->params)
		return false;
	*out = k->p;
	return true;
}

/* Run reconcile; NULL (and a failure) when it fails. */
static struct reconcile_row *run(const struct slabinfo *s, const struct slabinfo *e,
				 struct ctx *c, const struct reconcile_opts *o, size_t *n)
{
	struct reconcile_row *rows = NULL;
	int err;

	*n = 0;
	err = reconcile(s, e, traced_cb, params_cb, c, o, &rows, n);
	if (err) {
		T_FAIL("reconcile: %d", err);
		return NULL;
	}
	if (!rows)
		T_FAIL("reconcile gave no rows array");
	return rows;
}

static const struct reconcile_row *row_named(const struct reconcile_row *r, size_t n,
					     const char *name)
{
	size_t i;

	for (i = 0; r && i < n; i++)
		if (!strcmp(r[i].name, name))
			return &r[i];
	T_FAIL("no row \"%s\"", name);
	return NULL;
}

/* Every field of a reconcile_row but the name, in declaration order. */
#define CHECK_ROW(rp, d_act, d_tot, net, diff_, bound_, cpu, sheaf, lost,    \
		  touched_, holds_, unchecked_, blind_, untraced_)           \
	do {                                                                 \
		const struct reconcile_row *_r = (rp);                       \
		if (!_r)                                                     \
			break;                                               \
		CHECK_INT(_r->delta_active, ==, d_act);                      \
		CHECK_INT(_r->delta_total, ==, d_tot);                       \
		CHECK_INT(_r->traced_net, ==, net);                          \
		CHECK_INT(_r->diff, ==, diff_);                              \
		CHECK_U64(_r->bound, bound_);                                \
		CHECK_U64(_r->slack_cpu, cpu);                               \
		CHECK_U64(_r->slack_sheaf, sheaf);                           \
		CHECK_U64(_r->slack_lost, lost);                             \
		CHECK_INT(_r->touched, ==, touched_);                        \
		CHECK_INT(_r->holds, ==, holds_);                            \
		CHECK_INT(_r->unchecked, ==, unchecked_);                    \
		CHECK_INT(_r->blind, ==, blind_);                            \
		CHECK_U64(_r->untraced_frees, untraced_);                    \
	} while (0)

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- tests ---- */

TEST(cpu_partial_slabs)
{
	/* DIV_ROUND_UP(cpu_partial * 2, objs_per_slab) */
	CHECK_INT(reconcile_cpu_partial_slabs(0, 16), ==, 0);	/* debug cache */
	CHECK_INT(reconcile_cpu_partial_slabs(120, 64), ==, 4);	/* 240/64 = 3.75 */
	CHECK_INT(reconcile_cpu_partial_slabs(120, 42), ==, 6);	/* 240/42 = 5.7 */
	CHECK_INT(reconcile_cpu_partial_slabs(120, 21), ==, 12);	/* 240/21 = 11.4 */
	CHECK_INT(reconcile_cpu_partial_slabs(24, 12), ==, 4);	/* 48/12 exactly */
	CHECK_INT(reconcile_cpu_partial_slabs(6, 8), ==, 2);	/* 12/8 = 1.5 */
	CHECK_INT(reconcile_cpu_partial_slabs(6, 1), ==, 12);	/* 12/1 */
	CHECK_INT(reconcile_cpu_partial_slabs(1, 4096), ==, 1);	/* any part: 1 */
	/* No objects per slab: no slabs (and no division by zero). */
	CHECK_INT(reconcile_cpu_partial_slabs(120, 0), ==, 0);
}

/* Two caches with every input non-zero; every field by hand. */
TEST(every_field)
{
	static const struct si_line start[] = {
		{ "foo", 1000, 1100, 16 },
		{ "maple_node", 500, 512, 16 },
	};
	static const struct si_line end[] = {
		{ "foo", 1030, 1150, 16 },
		{ "maple_node", 300, 512, 16 },
	};
	static const struct known k[] = {
		{ "foo", true, { .allocs = 50, .frees = 10, .frees_pretrace = 5,
				 .missed_frees = 2 },
		  true, { .objs_per_slab = 16, .cpu_partial = 30 } },
		{ "maple_node", true, { .allocs = 100, .frees = 400,
					.frees_pretrace = 600 },
		  true, { .objs_per_slab = 16, .cpu_partial = 0,
			  .sheaf_capacity = 32 } },
	};
	struct slabinfo s = make_si(start, N(start)), e = make_si(end, N(end));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 4, .nr_nodes = 1, .lost_frees = 3,
				    .untraced_free_paths = true };
	struct reconcile_row *r;
	size_t n;

	r = run(&s, &e, &c, &o, &n);
	CHECK_INT(n, ==, 2);			/* one row per end line */
	/* Each callback asked once per row. */
	CHECK_INT(c.traced_calls, ==, 2);
	CHECK_INT(c.params_calls, ==, 2);
	/*
	 * foo: delta_active 1030 - 1000 = 30, delta_total 1150 - 1100 = 50,
	 * traced_net 50 - 10 - 5 = 35, diff 30 - 35 = -5.
	 * cpu_partial_slabs DIV_ROUND_UP(60, 16) = 4, so slack_cpu =
	 * 4 cpus * 16 * (1 + 4) = 320; no sheaves; slack_lost = 3 lost
	 * frees + 2 missed = 5; bound 325 >= |-5|: holds.
	 */
	CHECK_STR(r ? r[0].name : NULL, "foo");	/* in end's order */
	CHECK_ROW(row_named(r, n, "foo"), 30, 50, 35, -5, 325, 320, 0, 5, true,
		  true, false, false, 0);
	/*
	 * maple_node: delta_active -200, delta_total 0, traced_net 100 -
	 * 400 - 600 = -900, diff -200 + 900 = 700.  cpu_partial 0 (a 6.18
	 * cache with sheaves): slack_cpu 4 * 16 * (1 + 0) = 64; slack_sheaf
	 * 32 * (3 * 4 cpus + 10 * 1 node) = 704; slack_lost 3 (no missed
	 * frees); bound 771 >= 700: holds.
	 */
	CHECK_ROW(row_named(r, n, "maple_node"), -200, 0, -900, 700, 771, 64, 704,
		  3, true, true, false, false, 0);
	free(r);

	/* Two nodes: the barn is per node, 32 * (12 + 20) = 1024. */
	o.nr_nodes = 2;
	r = run(&s, &e, &c, &o, &n);
	CHECK_ROW(row_named(r, n, "maple_node"), -200, 0, -900, 700, 1091, 64,
		  1024, 3, true, true, false, false, 0);
	/* foo has no sheaves: the nodes change nothing. */
	CHECK_ROW(row_named(r, n, "foo"), 30, 50, 35, -5, 325, 320, 0, 5, true,
		  true, false, false, 0);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

/*
 * The bound: 2 cpus * 10 objects * (1 + 0 partial slabs) = 20, nothing
 * else.  No change in slabinfo, so diff = -traced_net.
 */
TEST(bound_edges)
{
	static const struct si_line lines[] = {
		{ "at-plus", 100, 100, 10 },
		{ "over-plus", 100, 100, 10 },
		{ "at-minus", 100, 100, 10 },
		{ "over-minus", 100, 100, 10 },
		{ "far-minus", 100, 100, 10 },
		{ "far-plus", 100, 100, 10 },
	};
	static const struct known k[] = {
		/* 20 frees of older objects: traced_net -20, diff +20 */
		{ "at-plus", true, { .frees_pretrace = 20 }, true, { .objs_per_slab = 10 } },
		{ "over-plus", true, { .frees_pretrace = 21 }, true, { .objs_per_slab = 10 } },
		/* 20 allocations: diff -20 */
		{ "at-minus", true, { .allocs = 20 }, true, { .objs_per_slab = 10 } },
		{ "over-minus", true, { .allocs = 21 }, true, { .objs_per_slab = 10 } },
		{ "far-minus", true, { .allocs = 1000 }, true, { .objs_per_slab = 10 } },
		{ "far-plus", true, { .frees_pretrace = 1000 }, true,
		  { .objs_per_slab = 10 } },
	};
	struct slabinfo s = make_si(lines, N(lines)), e = make_si(lines, N(lines));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 2, .nr_nodes = 1,
				    .untraced_free_paths = true };
	struct reconcile_row *r;
	size_t n;

	r = run(&s, &e, &c, &o, &n);
	CHECK_INT(n, ==, 6);
	/* |diff| = bound: holds, on either side. */
	CHECK_ROW(row_named(r, n, "at-plus"), 0, 0, -20, 20, 20, 20, 0, 0, true,
		  true, false, false, 0);
	CHECK_ROW(row_named(r, n, "at-minus"), 0, 0, 20, -20, 20, 20, 0, 0, true,
		  true, false, false, 0);
	/* One more active than traced allows: a failure, never blind. */
	CHECK_ROW(row_named(r, n, "over-plus"), 0, 0, -21, 21, 20, 20, 0, 0, true,
		  false, false, false, 0);
	CHECK_ROW(row_named(r, n, "far-plus"), 0, 0, -1000, 1000, 20, 20, 0, 0,
		  true, false, false, false, 0);
	/* One fewer: frees without events, 21 - 20 = 1 of them. */
	CHECK_ROW(row_named(r, n, "over-minus"), 0, 0, 21, -21, 20, 20, 0, 0, true,
		  false, false, true, 1);
	/* 1000 - 20 = 980 untraced frees. */
	CHECK_ROW(row_named(r, n, "far-minus"), 0, 0, 1000, -1000, 20, 20, 0, 0,
		  true, false, false, true, 980);
	free(r);

	/* A kernel without untraced free paths: a shortfall is a failure. */
	o.untraced_free_paths = false;
	r = run(&s, &e, &c, &o, &n);
	CHECK_ROW(row_named(r, n, "at-minus"), 0, 0, 20, -20, 20, 20, 0, 0, true,
		  true, false, false, 0);
	CHECK_ROW(row_named(r, n, "over-minus"), 0, 0, 21, -21, 20, 20, 0, 0, true,
		  false, false, false, 0);
	CHECK_ROW(row_named(r, n, "far-minus"), 0, 0, 1000, -1000, 20, 20, 0, 0,
		  true, false, false, false, 0);
	CHECK_ROW(row_named(r, n, "over-plus"), 0, 0, -21, 21, 20, 20, 0, 0, true,
		  false, false, false, 0);
	free(r);

	/* Lost frees widen every bound: 20 + 1 = 21 now holds both ways. */
	o.lost_frees = 1;
	r = run(&s, &e, &c, &o, &n);
	CHECK_ROW(row_named(r, n, "over-plus"), 0, 0, -21, 21, 21, 20, 0, 1, true,
		  true, false, false, 0);
	CHECK_ROW(row_named(r, n, "over-minus"), 0, 0, 21, -21, 21, 20, 0, 1, true,
		  true, false, false, 0);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

/* missed_frees of a cache widen its own bound only. */
TEST(missed_frees)
{
	static const struct si_line lines[] = {
		{ "a", 100, 100, 10 },
		{ "b", 100, 100, 10 },
	};
	static const struct known k[] = {
		/* 23 allocs, 3 of them re-allocations of a live pointer */
		{ "a", true, { .allocs = 23, .missed_frees = 3 }, true,
		  { .objs_per_slab = 10 } },
		{ "b", true, { .allocs = 23 }, true, { .objs_per_slab = 10 } },
	};
	struct slabinfo s = make_si(lines, N(lines)), e = make_si(lines, N(lines));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 2, .nr_nodes = 1 };
	struct reconcile_row *r;
	size_t n;

	r = run(&s, &e, &c, &o, &n);
	/* a: bound 2 * 10 + 3 = 23 = |diff|: holds. */
	CHECK_ROW(row_named(r, n, "a"), 0, 0, 23, -23, 23, 20, 0, 3, true, true,
		  false, false, 0);
	/* b: bound 20 < 23, no untraced free paths: fails. */
	CHECK_ROW(row_named(r, n, "b"), 0, 0, 23, -23, 20, 20, 0, 0, true, false,
		  false, false, 0);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

TEST(unchecked_kmalloc)
{
	static const struct si_line lines[] = {
		{ "kmalloc-64", 100, 128, 64 },
		{ "dma-kmalloc-64", 100, 128, 64 },
		{ "kmalloc-cg-64", 100, 128, 64 },
		{ "kmalloc-rnd-03-64", 100, 128, 64 },
		{ "kmalloc-8k", 100, 128, 4 },
		{ "dentry", 100, 128, 21 },
		{ "msg_msg-64", 100, 128, 64 },	/* kmem_buckets: not kmalloc-* */
		{ "kmalloc", 100, 128, 64 },		/* no '-' */
		{ "xkmalloc-64", 100, 128, 64 },	/* not a prefix */
	};
	static const struct known k[] = {
		/* far beyond any bound, on the blind side */
		{ "kmalloc-8k", true, { .allocs = 100000 }, true,
		  { .objs_per_slab = 4 } },
	};
	struct slabinfo s = make_si(lines, N(lines)), e = make_si(lines, N(lines));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 1, .nr_nodes = 1,
				    .unattributed_kfrees = 5,
				    .untraced_free_paths = true };
	struct reconcile_row *r;
	size_t n, i;

	r = run(&s, &e, &c, &o, &n);
	CHECK_INT(n, ==, N(lines));
	for (i = 0; r && i < 4; i++) {
		/* diff 0, yet unchecked is never "holds" */
		if (!r[i].unchecked || r[i].holds || r[i].blind)
			T_FAIL("%s: unchecked %d holds %d blind %d, want 1 0 0",
			       r[i].name, r[i].unchecked, r[i].holds, r[i].blind);
	}
	/*
	 * kmalloc-8k: diff -100000, bound 1 * 4 = 4: beyond it on the
	 * side of untraced frees, but unchecked wins: not blind either.
	 */
	CHECK_ROW(row_named(r, n, "kmalloc-8k"), 0, 0, 100000, -100000, 4, 4, 0,
		  0, true, false, true, false, 0);
	/* The rest are checked as usual: diff 0 holds. */
	for (i = 5; r && i < n; i++) {
		if (r[i].unchecked || !r[i].holds)
			T_FAIL("%s: unchecked %d holds %d, want 0 1", r[i].name,
			       r[i].unchecked, r[i].holds);
	}
	free(r);

	/* With every kfree attributed, kmalloc rows are checked too. */
	o.unattributed_kfrees = 0;
	r = run(&s, &e, &c, &o, &n);
	for (i = 0; r && i < n; i++) {
		bool want_holds = strcmp(r[i].name, "kmalloc-8k");

		if (r[i].unchecked || r[i].holds != want_holds)
			T_FAIL("%s: unchecked %d holds %d, want 0 %d", r[i].name,
			       r[i].unchecked, r[i].holds, want_holds);
	}
	/* kmalloc-8k is now a blind spot of 100000 - 4 frees. */
	CHECK_ROW(row_named(r, n, "kmalloc-8k"), 0, 0, 100000, -100000, 4, 4, 0,
		  0, true, false, false, true, 99996);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

/* A cache absent from the start snapshot was created during the trace. */
TEST(created_during_trace)
{
	static const struct si_line start[] = {
		{ "old", 50, 64, 32 },
	};
	static const struct si_line end[] = {
		{ "old", 50, 64, 32 },
		{ "new-cache", 40, 64, 32 },
		{ "new-untraced", 7, 32, 32 },
	};
	static const struct known k[] = {
		{ "new-cache", true, { .allocs = 45, .frees = 5 }, true,
		  { .objs_per_slab = 32, .cpu_partial = 24 } },
		{ "new-untraced", false, { 0 }, true, { .objs_per_slab = 32 } },
	};
	struct slabinfo s = make_si(start, N(start)), e = make_si(end, N(end));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 2, .nr_nodes = 1 };
	struct reconcile_row *r;
	size_t n;

	r = run(&s, &e, &c, &o, &n);
	CHECK_INT(n, ==, 3);
	/* In end's order. */
	CHECK_STR(r ? r[1].name : NULL, "new-cache");
	/*
	 * Deltas from zero: 40 active and 64 total; traced_net 45 - 5 = 40;
	 * diff 0.  slack_cpu 2 * 32 * (1 + DIV_ROUND_UP(48, 32) = 2) = 192.
	 */
	CHECK_ROW(row_named(r, n, "new-cache"), 40, 64, 40, 0, 192, 192, 0, 0,
		  true, true, false, false, 0);
	/* Untraced: diff = delta_active 7 <= 2 * 32 * 1 = 64: holds. */
	CHECK_ROW(row_named(r, n, "new-untraced"), 7, 32, 0, 7, 64, 64, 0, 0,
		  false, true, false, false, 0);
	/* Unchanged and untraced: all zero but the slack, 2 * 32. */
	CHECK_ROW(row_named(r, n, "old"), 0, 0, 0, 0, 64, 64, 0, 0, false, true,
		  false, false, 0);
	free(r);

	/* An empty start: every cache is new. */
	slabinfo__free(&s);
	s = make_si(NULL, 0);
	r = run(&s, &e, &c, &o, &n);
	CHECK_INT(n, ==, 3);
	/* old: 50 active, 64 total from nothing, untraced: 50 <= 64 holds. */
	CHECK_ROW(row_named(r, n, "old"), 50, 64, 0, 50, 64, 64, 0, 0, false,
		  true, false, false, 0);
	free(r);

	/* An empty end: no rows. */
	slabinfo__free(&e);
	e = make_si(NULL, 0);
	r = run(&s, &e, &c, &o, &n);
	CHECK_INT(n, ==, 0);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

TEST(touched)
{
	static const struct si_line lines[] = {
		{ "unknown", 10, 16, 16 },
		{ "zeros", 10, 16, 16 },
		{ "allocs", 10, 16, 16 },
		{ "frees", 10, 16, 16 },
		{ "pretrace", 10, 16, 16 },
	};
	static const struct known k[] = {
		/* "unknown" is not in the table: traced() says false */
		{ "zeros", true, { 0 }, true, { .objs_per_slab = 16 } },
		{ "allocs", true, { .allocs = 1 }, true, { .objs_per_slab = 16 } },
		{ "frees", true, { .frees = 1 }, true, { .objs_per_slab = 16 } },
		{ "pretrace", true, { .frees_pretrace = 1 }, true,
		  { .objs_per_slab = 16 } },
	};
	struct slabinfo s = make_si(lines, N(lines)), e = make_si(lines, N(lines));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 1, .nr_nodes = 1 };
	struct reconcile_row *r;
	size_t n;

	r = run(&s, &e, &c, &o, &n);
	/* Seen by the trace = any alloc, free or pre-trace free. */
	CHECK_ROW(row_named(r, n, "unknown"), 0, 0, 0, 0, 16, 16, 0, 0, false,
		  true, false, false, 0);
	CHECK_ROW(row_named(r, n, "zeros"), 0, 0, 0, 0, 16, 16, 0, 0, false, true,
		  false, false, 0);
	CHECK_ROW(row_named(r, n, "allocs"), 0, 0, 1, -1, 16, 16, 0, 0, true, true,
		  false, false, 0);
	CHECK_ROW(row_named(r, n, "frees"), 0, 0, -1, 1, 16, 16, 0, 0, true, true,
		  false, false, 0);
	CHECK_ROW(row_named(r, n, "pretrace"), 0, 0, -1, 1, 16, 16, 0, 0, true,
		  true, false, false, 0);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

/*
 * params() answering false (the cache is not in sysfs): no CPU partial
 * and no sheaf slack.  The CPU slab itself stays: fill_row() takes
 * objs_per_slab from slabinfo's <objperslab> when params has none.
 * (reconcile.h says "no slack"; the code keeps the CPU-slab term.)
 */
TEST(params_unknown)
{
	static const struct si_line lines[] = {
		{ "nosys", 100, 128, 42 },
		{ "zero-objs", 100, 128, 42 },
	};
	static const struct known k[] = {
		{ "nosys", true, { .allocs = 84 }, false,
		  { .objs_per_slab = 999, .cpu_partial = 999, .sheaf_capacity = 999 } },
		/* sysfs without objs_per_slab (absent attribute): slabinfo's */
		{ "zero-objs", true, { .allocs = 85 }, true,
		  { .objs_per_slab = 0, .cpu_partial = 21 } },
	};
	struct slabinfo s = make_si(lines, N(lines)), e = make_si(lines, N(lines));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 2, .nr_nodes = 1, .lost_frees = 1 };
	struct reconcile_row *r;
	size_t n;

	r = run(&s, &e, &c, &o, &n);
	/* 2 cpus * 42 (slabinfo) * 1 = 84, + 1 lost = 85 >= 84: holds. */
	CHECK_ROW(row_named(r, n, "nosys"), 0, 0, 84, -84, 85, 84, 0, 1, true,
		  true, false, false, 0);
	/* 2 * 42 * (1 + DIV_ROUND_UP(42, 42) = 1) = 168, + 1 = 169. */
	CHECK_ROW(row_named(r, n, "zero-objs"), 0, 0, 85, -85, 169, 168, 0, 1,
		  true, true, false, false, 0);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

/* The same through slabinfo__parse, as check.c does it. */
TEST(from_text)
{
	static const char start_txt[] =
		"slabinfo - version: 2.1\n"
		"dentry 52122 52122 192 21 1 : tunables 0 0 0 : slabdata 2482 2482 0\n"
		"kmalloc-64 2333 2432 64 64 1 : tunables 0 0 0 : slabdata 38 38 0\n";
	static const char end_txt[] =
		"slabinfo - version: 2.1\n"
		"dentry 52200 52227 192 21 1 : tunables 0 0 0 : slabdata 2487 2487 0\n"
		"kmalloc-64 2300 2432 64 64 1 : tunables 0 0 0 : slabdata 38 38 0\n";
	static const struct known k[] = {
		{ "dentry", true, { .allocs = 300, .frees = 150, .frees_pretrace = 80 },
		  true, { .objs_per_slab = 21, .cpu_partial = 120 } },
		{ "kmalloc-64", true, { .allocs = 1000, .frees = 990,
					.frees_pretrace = 43 },
		  true, { .objs_per_slab = 64, .cpu_partial = 120 } },
	};
	struct slabinfo s, e;
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 2, .nr_nodes = 1 };
	struct reconcile_row *r;
	size_t n;

	CHECK_INT(slabinfo__parse(start_txt, strlen(start_txt), &s), ==, 0);
	CHECK_INT(slabinfo__parse(end_txt, strlen(end_txt), &e), ==, 0);
	r = run(&s, &e, &c, &o, &n);
	CHECK_INT(n, ==, 2);
	/*
	 * dentry: delta_active 78, delta_total 105, traced_net 300 - 150 -
	 * 80 = 70, diff 8.  slack_cpu 2 * 21 * (1 + 12) = 546 (240/21 ->
	 * 12 partial slabs, the 6.18 fixture's own numbers).
	 */
	CHECK_ROW(row_named(r, n, "dentry"), 78, 105, 70, 8, 546, 546, 0, 0, true,
		  true, false, false, 0);
	/*
	 * kmalloc-64: delta_active -33, traced_net 1000 - 990 - 43 = -33,
	 * diff 0.  slack_cpu 2 * 64 * (1 + 4) = 640.
	 */
	CHECK_ROW(row_named(r, n, "kmalloc-64"), -33, 0, -33, 0, 640, 640, 0, 0,
		  true, true, false, false, 0);
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

/*
 * Counts beyond INT64_MAX are valid u64s to slabinfo.c, which takes its
 * input from recordings ("may be hostile").  reconcile must still give a
 * row (that cannot hold) rather than overflow int64_t: each case runs in
 * a child so a UBSan abort fails this test only.
 */
static const char hostile_start[][160] = {
	"slabinfo - version: 2.1\n"
	"x 18446744073709551615 18446744073709551615 64 64 1 : tunables 0 0 0 "
	": slabdata 1 1 0\n",
	"slabinfo - version: 2.1\n"
	"x 0 0 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n",
	"slabinfo - version: 2.1\n"
	"x 0 0 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n",
};

static const char hostile_end[][160] = {
	/* INT64_MAX - (int64_t)UINT64_MAX = INT64_MAX + 1 */
	"slabinfo - version: 2.1\n"
	"x 9223372036854775807 9223372036854775807 64 64 1 : tunables 0 0 0 "
	": slabdata 1 1 0\n",
	/* 2^63 as int64_t is INT64_MIN: diff INT64_MIN (nothing traced),
	 * then -diff */
	"slabinfo - version: 2.1\n"
	"x 9223372036854775808 0 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n",
	/* delta INT64_MAX, traced_net -1: diff INT64_MAX + 1 */
	"slabinfo - version: 2.1\n"
	"x 9223372036854775807 0 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n",
};

/* Frees of older objects traced in each case: traced_net is minus that. */
static const uint64_t hostile_pretrace[] = { 0, 0, 1 };

/* One entry from the second line's "x ACTIVE NUM" without the parser's cap. */
static void hand_entry(struct slabinfo *si, const char *text)
{
	const char *l = strchr(text, '\n') + 1;
	char *end;

	si->e = calloc(1, sizeof(*si->e));
	if (!si->e)
		return;
	strcpy(si->e[0].name, "x");
	si->e[0].active_objs = strtoull(l + 2, &end, 10);
	si->e[0].num_objs = strtoull(end, NULL, 10);
	si->e[0].objsize = 64;
	si->e[0].objperslab = 64;
	si->e[0].pagesperslab = 1;
	si->n = 1;
}

static int hostile_child(size_t i)
{
	struct known k[] = {
		{ "x", true, { .frees_pretrace = hostile_pretrace[i] }, true,
		  { .objs_per_slab = 64 } },
	};
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 1, .nr_nodes = 1 };
	struct reconcile_row *r = NULL;
	struct slabinfo s, e;
	size_t n = 0;
	int bad = 0;

	if (slabinfo__parse(hostile_start[i], strlen(hostile_start[i]), &s) ||
	    slabinfo__parse(hostile_end[i], strlen(hostile_end[i]), &e))
		return 4;
	/*
	 * The parser refuses counts above 2^48 (bad lines).  reconcile() must
	 * be safe on its own too, so such entries are also built by hand.
	 */
	if (s.n != 1 || e.n != 1) {
		if (!s.n)
			hand_entry(&s, hostile_start[i]);
		if (!e.n)
			hand_entry(&e, hostile_end[i]);
		if (s.n != 1 || e.n != 1)
			return 7;
	}
	if (reconcile(&s, &e, traced_cb, params_cb, &c, &o, &r, &n) || n != 1)
		bad = 5;
	else if (r[0].holds)
		bad = 6;	/* |diff| >= 2^63 - 1 within a bound of 65? */
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
	return bad;
}

TEST(hostile_counts)
{
	size_t i;

	for (i = 0; i < N(hostile_start); i++) {
		pid_t pid;
		int st;

		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid < 0) {
			T_FAIL("fork failed");
			return;
		}
		if (!pid)
			_exit(hostile_child(i));
		if (waitpid(pid, &st, 0) != pid) {
			T_FAIL("waitpid failed");
			return;
		}
		if (WIFSIGNALED(st) || WEXITSTATUS(st))
			T_FAIL("case %zu (end line \"%.60s...\"): child %s %d "
			       "(sanitizer report above?)", i,
			       strchr(hostile_end[i], '\n') + 1,
			       WIFSIGNALED(st) ? "killed by signal" : "exited",
			       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
}

/*
 * 6.10+ estimates active_objs of a node with more than 10000 partial
 * slabs: a cache with more slabs than that in either snapshot is
 * "estimated", neither failing nor blind, whatever its diff; at exactly
 * the limit, and on a kernel that always counts (limit 0), it is checked.
 */
TEST(estimated_by_kernel)
{
	static const struct si_line lines[] = {
		{ "big-end", 100, 1000, 10 }, { "big-start", 100, 1000, 10 },
		{ "at-limit", 100, 1000, 10 },
	};
	static const struct known k[] = {
		{ "big-end", true, { .frees_pretrace = 24337 }, true, { .objs_per_slab = 10 } },
		{ "big-start", true, { .allocs = 24337 }, true, { .objs_per_slab = 10 } },
		{ "at-limit", true, { .frees_pretrace = 24337 }, true, { .objs_per_slab = 10 } },
	};
	struct slabinfo s = make_si(lines, N(lines)), e = make_si(lines, N(lines));
	struct ctx c = { .k = k, .n = N(k) };
	struct reconcile_opts o = { .nr_cpus = 2, .nr_nodes = 1, .untraced_free_paths = true,
				    .partial_scan_limit = KMS_SLUB_PARTIAL_SCAN };
	const struct reconcile_row *x;
	struct reconcile_row *r;
	size_t n;

	e.e[0].num_slabs = KMS_SLUB_PARTIAL_SCAN + 1;
	s.e[1].num_slabs = KMS_SLUB_PARTIAL_SCAN + 1;
	s.e[2].num_slabs = e.e[2].num_slabs = KMS_SLUB_PARTIAL_SCAN;
	r = run(&s, &e, &c, &o, &n);
	x = row_named(r, n, "big-end");
	if (x) {
		CHECK_INT(x->estimated, ==, 1);
		CHECK_INT(x->holds, ==, 0);
		CHECK_INT(x->blind, ==, 0);
		CHECK_INT(reconcile_row__fails(x), ==, 0);
	}
	x = row_named(r, n, "big-start");
	if (x) {
		CHECK_INT(x->estimated, ==, 1);
		CHECK_INT(x->blind, ==, 0);
		CHECK_INT(x->untraced_frees, ==, 0);
		CHECK_INT(reconcile_row__fails(x), ==, 0);
	}
	x = row_named(r, n, "at-limit");
	if (x) {
		CHECK_INT(x->estimated, ==, 0);
		CHECK_INT(x->diff, ==, 24337);
		CHECK_INT(reconcile_row__fails(x), ==, 1);
	}
	free(r);
	/* 6.1 counts every partial slab: the big cache fails as any other. */
	o.partial_scan_limit = 0;
	r = run(&s, &e, &c, &o, &n);
	x = row_named(r, n, "big-end");
	if (x) {
		CHECK_INT(x->estimated, ==, 0);
		CHECK_INT(reconcile_row__fails(x), ==, 1);
	}
	free(r);
	slabinfo__free(&s);
	slabinfo__free(&e);
}

int main(void)
{
	t_suite = "reconcile";
	RUN(cpu_partial_slabs);
	RUN(every_field);
	RUN(bound_edges);
	RUN(missed_frees);
	RUN(unchecked_kmalloc);
	RUN(created_during_trace);
	RUN(touched);
	RUN(params_unknown);
	RUN(from_text);
	RUN(hostile_counts);
	RUN(estimated_by_kernel);
	return test_done();
}
