// SPDX-License-Identifier: GPL-2.0
/*
 * test_check.c - unit tests for src/check.c and its report
 * (src/report_check.c): check__run() on the real 6.18 fixtures
 * (tests/fixtures/slabsnap-6.18-x86_64-2cpu.txt as the geometry, and
 * slabinfo-6.18-x86_64-2cpu.txt as both start and end slabinfo) with the
 * run info of the machine they came from, and a collector that is empty
 * or has kmem_cache_alloc events of task_struct: geometry exact for every
 * cache, one accounting row per slabinfo line, touched rows at their
 * bound and one beyond it (more frees of older objects than slabinfo
 * shows: a failure sorted first; more allocations: a blind spot), a
 * tampered slab_size reported first,
 * missing snapshots, and the text and JSON reports of each.  Fixture
 * paths are relative to the repository root, where make runs the tests.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>

#include "check.h"
#include "refree.h"
#include "collect.h"
#include "runinfo.h"
#include "slabsnap.h"
#include "test.h"
#include "validate.h"

#define FIXTURES	"tests/fixtures"
#define KID		0xffffffff82000040ull	/* task_struct's cache id */
#define SITE		0xffffffff81100010ull
#define GFP_KERNEL	0xcc0u

/*
 * task_struct in the 6.18 snapshot: slab_size 4288, objs_per_slab 7,
 * cpu_partial 6, no sheaves.  Its accounting bound with 2 CPUs is
 * 2 * 7 * (1 + DIV_ROUND_UP(2 * 6, 7) = 2) = 42.
 */
#define TASK_BOUND	42

static char *snap, *slabinfo;
static size_t snap_len, slabinfo_len;

/* A fixture, NUL-terminated (slurp_file() does not) for strstr(). */
static bool load(const char *file, char **text, size_t *len)
{
	char path[256], *raw;

	snprintf(path, sizeof(path), FIXTURES "/%s", file);
	if (slurp_file(path, &raw, len)) {
		printf("# cannot read %s (run from the repo root)\n", path);
		return false;
	}
	*text = malloc(*len + 1);
	if (*text) {
		memcpy(*text, raw, *len);
		(*text)[*len] = 0;
	}
	free(raw);
	return *text;
}

static struct runinfo run_info(bool rcu_bulk_traced)
{
	struct runinfo ri;

	memset(&ri, 0, sizeof(ri));
	snprintf(ri.kernel, sizeof(ri.kernel), "6.18.44-fc-v782");
	snprintf(ri.method, sizeof(ri.method), "tp_btf");
	ri.page_size = 4096;
	ri.ncpus = 2;
	ri.kfunc_cache = true;
	ri.rcu_bulk_traced = rcu_bulk_traced;
	ri.duration_ns = 1000000000ull;
	ri.exit_status = -1;
	return ri;
}

/* A run: the collector and the validation fed the same events. */
struct run {
	struct collector *c;
	struct kmalloc_params kp;
	struct validate_stats v;
};

static bool run_init(struct run *r)
{
	struct collector_opts o = { .t0_ns = 1000 };

	kmalloc_params__default(&o.kp, 4096);
	r->kp = o.kp;
	validate__init(&r->v);
	r->c = collector__new(&o);
	if (!r->c)
		T_FAIL("collector__new failed");
	return r->c;
}

static void run_free(struct run *r)
{
	collector__free(r->c);
	validate__free(&r->v);
}

static void feed(struct run *r, const struct kms_event *ev)
{
	struct kms_resolved res;

	CHECK_INT(collector__event(r->c, ev, &res), ==, 0);
	validate__event(&r->v, &r->kp, ev, &res);
}

/* n kmem_cache_alloc of task_struct, after its CACHE_INFO. */
static void task_allocs(struct run *r, unsigned int n)
{
	struct kms_event info = {
		.type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
		.cache = KID, .object_size = 4248, .size = 4288,
		.name = "task_struct", .name_len = 11,
	};
	unsigned int i;

	feed(r, &info);
	for (i = 0; i < n; i++) {
		struct kms_event ev = {
			.type = KMS_EV_CACHE_ALLOC, .flags = KMS_EVF_HAS_CACHE,
			.tid = 100, .tgid = 100, .ts = 2000 + i,
			.ptr = 0xffff888010000000ull + 0x2000ull * i,
			.call_site = SITE, .cache = KID, .gfp = GFP_KERNEL,
		};

		feed(r, &ev);
	}
}

/* n kmem_cache_free of task_structs allocated before the trace. */
static void task_old_frees(struct run *r, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct kms_event ev = {
			.type = KMS_EV_CACHE_FREE, .flags = KMS_EVF_HAS_CACHE,
			.tid = 100, .ts = 5000 + i,
			.ptr = 0xffff888020000000ull + 0x2000ull * i, .cache = KID,
		};

		feed(r, &ev);
	}
}

static int check_run(struct run *r, const char *geom, size_t geom_len,
		     const struct runinfo *ri, struct check_result *res)
{
	struct check_input in = {
		.slabgeom = geom, .slabgeom_len = geom_len,
		.slabinfo_start = slabinfo, .slabinfo_start_len = slabinfo_len,
		.slabinfo_end = slabinfo, .slabinfo_end_len = slabinfo_len,
		.ri = ri, .c = r->c, .ev = &r->v,
	};

	return check__run(&in, res);
}

/* The report as a malloc'ed string. */
static char *report(const struct check_result *res, const struct runinfo *ri,
		    bool json, bool verbose)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		T_FAIL("open_memstream failed");
		return NULL;
	}
	CHECK_INT(check__report(f, res, ri, NULL, json, false, verbose), ==, 0);
	fclose(f);
	return buf;
}

/* The line after the one that starts with `header`, in a malloc'ed copy. */
static char *line_after(const char *text, const char *header)
{
	const char *p = text, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (!strncmp(p, header, strlen(header))) {
			const char *q = nl ? nl + 1 : p + strlen(p);
			size_t n = strcspn(q, "\n");
			char *out = malloc(n + 1);

			if (out) {
				memcpy(out, q, n);
				out[n] = 0;
			}
			return out;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* Member `key` of object o, or NULL (and a failure). */
static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_object_get_ex(o, key, &v)) {
		T_FAIL("JSON has no \"%s\"", key);
		return NULL;
	}
	return v;
}

static size_t jlen(struct json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ?
	       json_object_array_length(a) : (size_t)-1;
}

/* Rows of the text table under the line starting with `header`: the
 * lines up to the next blank line or the end. */
static size_t table_rows(const char *text, const char *header)
{
	const char *p = text;
	size_t n = 0;

	while (p && *p && strncmp(p, header, strlen(header))) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p || !*p)
		return 0;
	for (p = strchr(p, '\n'); p && p[1] && p[1] != '\n'; p = strchr(p + 1, '\n'))
		n++;
	return n;
}

static const struct reconcile_row *acct_row(const struct check_result *res,
					    const char *name)
{
	size_t i;

	for (i = 0; i < res->acct_n; i++)
		if (!strcmp(res->acct[i].name, name))
			return &res->acct[i];
	T_FAIL("no accounting row %s", name);
	return NULL;
}

TEST(empty_collector)
{
	struct runinfo ri = run_info(false);
	struct check_result res;
	struct run r;
	char *text, *json;
	size_t i;
	bool sorted = true, all_hold = true;

	if (!run_init(&r))
		return;
	CHECK_INT(check_run(&r, snap, snap_len, &ri, &res), ==, 0);
	/* (a) every one of the 235 cache directories, all exact */
	CHECK(res.have_geometry);
	CHECK_INT(res.geom_n, ==, 235);
	CHECK_INT(res.geom_exact, ==, 235);
	for (i = 1; i < res.geom_n; i++)
		sorted &= strcmp(res.geom[i - 1].name, res.geom[i].name) < 0;
	CHECK(sorted);				/* all exact: by name */
	/* (b) no events */
	CHECK_U64(res.ev.kmalloc_events + res.ev.cache_events, 0);
	/* (c) one row per slabinfo line (237 lines, 2 of header) */
	CHECK(res.have_slabinfo);
	CHECK_INT(res.acct_n, ==, 235);
	CHECK_INT(res.acct_touched, ==, 0);
	CHECK_INT(res.acct_touched_hold, ==, 0);
	CHECK_INT(res.acct_unchecked, ==, 0);
	/* start = end: every diff 0, every row within its bound */
	CHECK_INT(res.acct_untouched_moved, ==, 0);
	CHECK_INT(res.acct_blind, ==, 0);
	for (i = 0; i < res.acct_n; i++) {
		all_hold &= res.acct[i].holds && !res.acct[i].touched &&
			    !res.acct[i].diff;
		if (i)
			sorted &= strcmp(res.acct[i - 1].name, res.acct[i].name) < 0;
	}
	CHECK(all_hold);
	CHECK(sorted);				/* nothing touched: by name */
	/* task_struct's bound, from the snapshot's geometry */
	{
		const struct reconcile_row *t = acct_row(&res, "task_struct");

		CHECK_U64(t ? t->bound : 0, TASK_BOUND);
		CHECK_U64(t ? t->slack_cpu : 0, TASK_BOUND);
	}
	CHECK(res.ok);

	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "kmscope check: 1.000 s, system-wide, kernel 6.18.44-fc-v782, "
			"tp_btf; kmalloc caches named by the kernel\n");
	CHECK_HAS(text, "\ngeometry:   235/235 caches exact (slab_size, objs_per_slab, "
			"order: model vs /sys/kernel/slab)\n");
	CHECK_HAS(text, "\nevents:     0/0 exact (kmalloc 0/0, kmem_cache_alloc 0/0)\n");
	CHECK_HAS(text, "\naccounting: 0/0 caches the trace touched are within their "
			"bounds; 0 untouched caches moved beyond their slack\n");
	CHECK_HAS(text, "\nresult:     PASS\n");
	/* Nothing to show without -v: no geometry table, no mismatch rows. */
	CHECK_LACKS(text, "GEOMETRY");
	CHECK_LACKS(text, "MISMATCH");
	CHECK_LACKS(text, "blind spot");
	free(text);

	/* -v: every geometry row and every accounting row. */
	text = report(&res, &ri, false, true);
	CHECK_INT(table_rows(text, "GEOMETRY"), ==, 235);
	CHECK_INT(table_rows(text, "ACCOUNTING"), ==, 235);
	CHECK_HAS(text, " (not traced)\n");		/* untouched rows say so */
	free(text);

	json = report(&res, &ri, true, false);
	{
		/* Valid JSON, with one row per cache in both tables. */
		struct json_object *o = json ? json_tokener_parse(json) : NULL;

		CHECK(o);
		CHECK(json_object_get_boolean(jget(o, "ok")));
		CHECK_INT(jlen(jget(jget(o, "geometry"), "rows")), ==, 235);
		CHECK_INT(jlen(jget(jget(o, "accounting"), "rows")), ==, 235);
		CHECK_STR(json_object_get_string(jget(o, "kernel")), "6.18.44-fc-v782");
		CHECK_STR(json_object_get_string(jget(o, "kmalloc_cache_names")),
			  "kernel");
		json_object_put(o);
	}
	CHECK_HAS(json, "\"ok\":true");
	CHECK_HAS(json, "\"geometry\":{\"checked\":true,\"caches\":235,\"exact\":235,");
	CHECK_HAS(json, "\"accounting\":{\"checked\":true,\"touched\":0,"
			"\"touched_within_bounds\":0,\"unchecked\":0,\"estimated\":0,"
			"\"untouched_moved\":0,\"blind_spot_caches\":0,"
			"\"untraced_frees\":0,\"untraced_allocs\":0,\"rows\":[");
	free(json);
	check__free(&res);
	CHECK(!res.geom && !res.acct);
	run_free(&r);
}

/*
 * 42 frees of older task_structs and nothing else: slabinfo did not move,
 * so diff = 0 - (-42) = 42, the bound exactly.  (An excess of active
 * objects is never a blind spot, whatever the kernel.)
 */
TEST(touched_within_bound)
{
	struct runinfo ri = run_info(false);
	struct check_result res;
	struct run r;

	if (!run_init(&r))
		return;
	task_allocs(&r, 0);			/* the CACHE_INFO only */
	task_old_frees(&r, TASK_BOUND);
	CHECK_INT(check_run(&r, snap, snap_len, &ri, &res), ==, 0);
	CHECK_U64(res.ev.cache_events, 0);	/* frees are not validated */
	CHECK_INT(res.acct_touched, ==, 1);
	CHECK_INT(res.acct_touched_hold, ==, 1);
	/* Touched rows sort before untouched ones. */
	CHECK_STR(res.acct_n ? res.acct[0].name : NULL, "task_struct");
	CHECK(res.acct_n && res.acct[0].holds && res.acct[0].touched);
	CHECK_INT(res.acct_n ? res.acct[0].traced_net : 0, ==, -TASK_BOUND);
	CHECK_INT(res.acct_n ? res.acct[0].diff : 0, ==, TASK_BOUND);
	CHECK(res.ok);
	check__free(&res);
	run_free(&r);
}

/*
 * 3 kmem_cache_allocs and 46 frees of older objects: traced_net -43,
 * slabinfo unchanged, diff +43: one beyond the bound of 42.
 */
TEST(touched_out_of_bound)
{
	struct runinfo ri = run_info(false);
	struct check_result res;
	struct run r;
	char *text, *json, *row;
	char name[64], verdict[32];
	long long d_act, traced, diff;
	unsigned long long bound, cpu, sheaf, lost;

	if (!run_init(&r))
		return;
	task_allocs(&r, 3);
	task_old_frees(&r, 46);
	CHECK_INT(check_run(&r, snap, snap_len, &ri, &res), ==, 0);
	CHECK_INT(res.geom_exact, ==, 235);	/* geometry is still fine */
	/* The three allocations' 4288 bytes are sysfs's slab_size. */
	CHECK_U64(res.ev.cache_events, 3);
	CHECK_U64(res.ev.cache_exact, 3);
	CHECK_INT(res.acct_touched, ==, 1);
	CHECK_INT(res.acct_touched_hold, ==, 0);
	CHECK_INT(res.acct_blind, ==, 0);	/* diff > 0: never blind */
	CHECK_INT(res.acct_n, ==, 235);
	/* The failing row first. */
	CHECK_STR(res.acct_n ? res.acct[0].name : NULL, "task_struct");
	if (res.acct_n) {
		const struct reconcile_row *t = &res.acct[0];

		CHECK_INT(t->delta_active, ==, 0);
		CHECK_INT(t->traced_net, ==, 3 - 46);
		CHECK_INT(t->diff, ==, 43);
		CHECK_U64(t->bound, TASK_BOUND);
		CHECK(t->touched && !t->holds && !t->blind && !t->unchecked);
	}
	CHECK(!res.ok);

	json = report(&res, &ri, true, false);
	{
		struct json_object *o = json ? json_tokener_parse(json) : NULL;
		struct json_object *rows = jget(jget(o, "accounting"), "rows");
		struct json_object *first = jlen(rows) == 235 ?
			json_object_array_get_idx(rows, 0) : NULL;

		CHECK(o);
		CHECK(o && !json_object_get_boolean(jget(o, "ok")));
		CHECK_INT(jlen(rows), ==, 235);
		CHECK_STR(first ? json_object_get_string(jget(first, "cache")) : NULL,
			  "task_struct");
		CHECK_INT(json_object_get_int64(jget(first, "diff")), ==, 43);
		json_object_put(o);
	}
	CHECK_HAS(json, "\"ok\":false");
	/* The accounting rows start with task_struct, every field as above. */
	CHECK_HAS(json, "\"rows\":[{\"cache\":\"task_struct\",\"aliases\":[],\"delta_active\":0,"
			"\"delta_total\":0,\"traced_net\":-43,\"diff\":43,"
			"\"bound\":42,\"slack_cpu\":42,\"slack_sheaves\":0,"
			"\"slack_lost\":0,\"touched\":true,\"unchecked\":false,"
			"\"estimated\":false,\"holds\":false,\"blind_spot\":false,"
			"\"untraced_frees\":0,\"untraced_allocs\":0}");
	CHECK_HAS(json, "\"kmem_cache_alloc\":3,\"kmem_cache_alloc_exact\":3,");
	free(json);

	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "\ngeometry:   235/235 caches exact");
	CHECK_HAS(text, "\nevents:     3/3 exact (kmalloc 0/0, kmem_cache_alloc 3/3)\n");
	CHECK_HAS(text, "\naccounting: 0/1 caches the trace touched are within their "
			"bounds;");
	CHECK_HAS(text, "\nresult:     FAIL\n");
	/* The table's first row: task_struct, with the numbers above. */
	row = line_after(text, "ACCOUNTING");
	CHECK(row);
	if (row && sscanf(row, "%63s %lld %lld %lld %llu %llu %llu %llu %31s", name,
			  &d_act, &traced, &diff, &bound, &cpu, &sheaf, &lost,
			  verdict) == 9) {
		CHECK_STR(name, "task_struct");
		CHECK_INT(d_act, ==, 0);
		CHECK_INT(traced, ==, -43);
		CHECK_INT(diff, ==, 43);
		CHECK_U64(bound, 42);
		CHECK_U64(cpu, 42);
		CHECK_U64(sheaf, 0);
		CHECK_U64(lost, 0);
		CHECK_STR(verdict, "OUT");
	} else {
		T_FAIL("first accounting row: \"%s\"", row ? row : "(none)");
	}
	free(row);
	free(text);
	check__free(&res);
	run_free(&r);
}

/*
 * 43 allocations and nothing in slabinfo: 43 fewer active objects than
 * traced, one beyond the bound.  With the rcu tracepoint not attached
 * the kernel has free paths without events: a blind spot, not a failure.
 */
TEST(blind_spot)
{
	struct runinfo ri = run_info(false);
	struct check_result res;
	struct run r;
	char *text;

	if (!run_init(&r))
		return;
	task_allocs(&r, TASK_BOUND + 1);
	CHECK_INT(check_run(&r, snap, snap_len, &ri, &res), ==, 0);
	CHECK_U64(res.ev.cache_exact, TASK_BOUND + 1);
	/* Blind rows are neither touched-and-checked nor failures. */
	CHECK_INT(res.acct_touched, ==, 0);
	CHECK_INT(res.acct_blind, ==, 1);
	CHECK_U64(res.acct_untraced_frees, 1);	/* 43 - 42 */
	{
		const struct reconcile_row *t = acct_row(&res, "task_struct");

		CHECK(t && t->blind && !t->holds);
		CHECK_INT(t ? t->diff : 0, ==, -(TASK_BOUND + 1));
		CHECK_U64(t ? t->untraced_frees : 0, 1);
	}
	CHECK(res.ok);
	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "\nblind spot: 1 caches lost about 1 frees to paths without "
			"events (kfree_rcu batches: "
			"rcu:rcu_invoke_kfree_bulk_callback not traced, kfree_rcu into sheaves, "
			"bulk frees, kfree_nolock)\n");
	CHECK_HAS(text, "\nresult:     PASS\n");
	CHECK_HAS(text, "  blind spot\n");	/* the row's verdict */
	free(text);
	check__free(&res);
	run_free(&r);
}

/* kmalloc-96 made 104 bytes in the snapshot: the model says 96. */
TEST(geometry_tampered)
{
	static const char from[] = "cache kmalloc-96 object_size=96 slab_size=96 ";
	static const char to[] = "cache kmalloc-96 object_size=96 slab_size=104 ";
	struct runinfo ri = run_info(true);
	struct check_result res;
	struct run r;
	char *tampered, *at, *text, *json, *row;
	size_t len;

	at = strstr(snap, from);
	if (!at) {
		T_FAIL("no kmalloc-96 line in the fixture");
		return;
	}
	len = snap_len + 1;
	tampered = malloc(len + 1);
	if (!tampered || !run_init(&r)) {
		free(tampered);
		return;
	}
	memcpy(tampered, snap, at - snap);
	memcpy(tampered + (at - snap), to, strlen(to));
	memcpy(tampered + (at - snap) + strlen(to), at + strlen(from),
	       snap_len - (at - snap) - strlen(from));
	tampered[len] = 0;
	CHECK_INT(check_run(&r, tampered, len, &ri, &res), ==, 0);
	CHECK_INT(res.geom_n, ==, 235);
	CHECK_INT(res.geom_exact, ==, 234);
	/* The mismatch first. */
	if (res.geom_n) {
		const struct check_geom_row *g = &res.geom[0];

		CHECK_STR(g->name, "kmalloc-96");
		CHECK(!g->exact);
		CHECK_INT(g->object_size, ==, 96);
		CHECK_INT(g->align, ==, 32);		/* the fixture's */
		CHECK_INT(g->kernel_size, ==, 104);	/* tampered */
		CHECK_INT(g->model_size, ==, 96);	/* 96 aligned to 32 */
		CHECK_INT(g->kernel_objs, ==, 42);	/* untouched */
		CHECK_INT(g->model_objs, ==, 42);	/* 4096 / 96 */
		CHECK_INT(g->kernel_order, ==, 0);
		CHECK_INT(g->model_order, ==, 0);
		CHECK(res.geom_n < 2 || res.geom[1].exact);
	}
	CHECK(!res.ok);

	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "\ngeometry:   234/235 caches exact");
	CHECK_HAS(text, "\nresult:     FAIL\n");
	row = line_after(text, "GEOMETRY");
	CHECK(row && !strncmp(row, "kmalloc-96 ", 11));
	CHECK(row && strstr(row, " 104/42/0 ") && strstr(row, " 96/42/0 "));
	CHECK(row && strlen(row) > 10 &&
	      !strcmp(row + strlen(row) - 10, "  MISMATCH"));
	/* Without -v only mismatches are listed. */
	CHECK_LACKS(text, "\nkmalloc-64 ");
	free(row);
	free(text);

	json = report(&res, &ri, true, false);
	CHECK_HAS(json, "\"ok\":false");
	CHECK_HAS(json, "\"geometry\":{\"checked\":true,\"caches\":235,\"exact\":234,"
			"\"rows\":[{\"cache\":\"kmalloc-96\",\"object_size\":96,"
			"\"align\":32,\"slab_size\":104,\"objs_per_slab\":42,"
			"\"order\":0,\"model_slab_size\":96,\"model_objs_per_slab\":42,"
			"\"model_order\":0,\"exact\":false}");
	free(json);
	check__free(&res);
	run_free(&r);
	free(tampered);
}

/* No sysfs snapshot: no geometry, and no kmem_cache_alloc's cache found. */
TEST(no_geometry)
{
	struct runinfo ri = run_info(false);
	struct check_result res;
	struct run r;
	char *text;

	if (!run_init(&r))
		return;
	task_allocs(&r, 1);
	CHECK_INT(check_run(&r, NULL, 0, &ri, &res), ==, 0);
	CHECK(!res.have_geometry);
	CHECK_INT(res.geom_n, ==, 0);
	CHECK_U64(res.ev.cache_events, 1);
	CHECK_U64(res.ev.cache_unknown, 1);
	/* Accounting still runs, with slabinfo's objperslab as the slack. */
	CHECK(res.have_slabinfo);
	CHECK_INT(res.acct_n, ==, 235);
	CHECK(!res.ok);				/* geometry is required */
	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "\ngeometry:   no /sys/kernel/slab snapshot: not checked\n");
	CHECK_HAS(text, "kmem_cache_alloc 0/1, some caches missing from sysfs)\n");
	CHECK_HAS(text, "\nresult:     FAIL\n");
	free(text);
	check__free(&res);
	run_free(&r);
}

/*
 * No slabinfo (a kernel without SLUB_DEBUG): no accounting, and FAIL.
 * The summary ends with the result line like every other (docs/model.md
 * §6.2: check prints geometry, events, names, accounting, result).
 */
TEST(no_slabinfo)
{
	struct runinfo ri = run_info(false);
	struct check_input in;
	struct check_result res;
	struct run r;
	char *text, *json;

	if (!run_init(&r))
		return;
	memset(&in, 0, sizeof(in));
	in.slabgeom = snap;
	in.slabgeom_len = snap_len;
	in.ri = &ri;
	in.c = r.c;
	in.ev = &r.v;
	CHECK_INT(check__run(&in, &res), ==, 0);
	CHECK(res.have_geometry);
	CHECK_INT(res.geom_exact, ==, 235);
	CHECK(!res.have_slabinfo);
	CHECK_INT(res.acct_n, ==, 0);
	CHECK(!res.ok);
	json = report(&res, &ri, true, false);
	CHECK_HAS(json, "\"ok\":false");
	CHECK_HAS(json, "\"accounting\":{\"checked\":false,");
	free(json);
	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "\naccounting: no /proc/slabinfo snapshots: not checked\n");
	CHECK_HAS(text, "\nresult:     FAIL\n");
	free(text);
	check__free(&res);
	run_free(&r);
}

/*
 * The same 43 beyond the bound, task_struct now 10001 slabs at the end:
 * a 6.18 kernel estimates its active objects (count_partial_free_approx),
 * so the row is "estimated", not a failure; 6.1 counts every slab, so
 * it still fails there.
 */
TEST(estimated_by_kernel)
{
	static const char old[] = "slabdata     17     17      0";
	static const char big[] = "slabdata  10001  10001      0";
	struct runinfo ri = run_info(false);
	struct check_result res;
	char *end = strdup(slabinfo), *at = end ? strstr(end, "\ntask_struct ") : NULL;
	struct check_input in = {
		.slabgeom = snap, .slabgeom_len = snap_len,
		.slabinfo_start = slabinfo, .slabinfo_start_len = slabinfo_len,
		.slabinfo_end = end, .slabinfo_end_len = slabinfo_len,
		.ri = &ri,
	};
	struct run r;
	char *text;

	at = at ? strstr(at, old) : NULL;
	if (!at || !run_init(&r)) {
		T_FAIL("no task_struct line in the fixture");
		free(end);
		return;
	}
	memcpy(at, big, sizeof(big) - 1);	/* same length: the table stays aligned */
	in.c = r.c;
	in.ev = &r.v;
	task_allocs(&r, 3);
	task_old_frees(&r, 46);
	CHECK_INT(check__run(&in, &res), ==, 0);
	CHECK_INT(res.acct_estimated, ==, 1);
	CHECK_INT(res.acct_touched, ==, 0);
	CHECK_STR(res.acct_n ? res.acct[0].name : NULL, "task_struct");
	CHECK(res.acct_n && res.acct[0].estimated && !res.acct[0].holds && !res.acct[0].blind);
	CHECK(res.ok);
	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "; 1 not checkable (over 10000 slabs: the kernel may estimate their "
			"active objects)");
	CHECK_HAS(text, " estimated\n");
	free(text);
	check__free(&res);
	run_free(&r);

	snprintf(ri.kernel, sizeof(ri.kernel), "6.1.0-31-cloud-amd64");
	if (!run_init(&r))
		goto out;
	in.c = r.c;
	in.ev = &r.v;
	task_allocs(&r, 3);
	task_old_frees(&r, 46);
	CHECK_INT(check__run(&in, &res), ==, 0);
	CHECK_INT(res.acct_estimated, ==, 0);
	CHECK_INT(res.acct_touched, ==, 1);
	CHECK_INT(res.acct_touched_hold, ==, 0);
	CHECK(!res.ok);
	check__free(&res);
	run_free(&r);
out:
	free(end);
}

/*
 * The touched_out_of_bound trace (3 allocations, 46 frees with no
 * allocation seen: diff +43, one beyond the bound), but 10 of those frees
 * are of a pointer freed just before with no allocation event between:
 * allocations by a path without events.  Counted as such, the net is
 * -33 and the row holds; the text and JSON say how many.
 */
TEST(untraced_allocs)
{
	struct runinfo ri = run_info(false);
	struct check_result res;
	struct refree *rf = refree__new();
	struct check_input in = {
		.slabgeom = snap, .slabgeom_len = snap_len,
		.slabinfo_start = slabinfo, .slabinfo_start_len = slabinfo_len,
		.slabinfo_end = slabinfo, .slabinfo_end_len = slabinfo_len,
		.ri = &ri, .refrees = rf,
	};
	int64_t task = -1;
	struct run r;
	char *text, *json;
	size_t i;

	if (!rf || !run_init(&r)) {
		T_FAIL("out of memory");
		refree__free(rf);
		return;
	}
	in.c = r.c;
	in.ev = &r.v;
	task_allocs(&r, 3);
	task_old_frees(&r, 46);
	for (i = 0; i < collector__nr_caches(r.c); i++)
		if (!strcmp(collector__cache(r.c, i)->name, "task_struct"))
			task = collector__cache_index(r.c, collector__cache(r.c, i));
	CHECK(task >= 0);
	/* What cmd_check's event hook does: the 46 frees, 10 of them repeated. */
	for (i = 0; i < 46; i++)
		refree__free_event(rf, 0xffff888020000000ull + 0x2000ull * (i < 10 ? 0 : i), task);
	CHECK_U64(refree__count(rf, task), 9);
	refree__free_event(rf, 0xffff888020000000ull, task);
	CHECK_U64(refree__count(rf, task), 10);
	CHECK_INT(check__run(&in, &res), ==, 0);
	CHECK_INT(res.acct_touched, ==, 1);
	CHECK_INT(res.acct_touched_hold, ==, 1);
	CHECK_U64(res.acct_untraced_allocs, 10);
	if (res.acct_n) {
		CHECK_STR(res.acct[0].name, "task_struct");
		CHECK_INT(res.acct[0].traced_net, ==, 3 + 10 - 46);
		CHECK_INT(res.acct[0].diff, ==, 33);
		CHECK_U64(res.acct[0].untraced_allocs, 10);
	}
	CHECK(res.ok);
	text = report(&res, &ri, false, false);
	CHECK_HAS(text, "no event:   10 frees of pointers freed before with no allocation event "
			"between");
	free(text);
	json = report(&res, &ri, true, false);
	CHECK_HAS(json, "\"untraced_frees\":0,\"untraced_allocs\":10,\"rows\":[");
	free(json);
	check__free(&res);
	run_free(&r);
	refree__free(rf);
}

int main(void)
{
	t_suite = "check";
	if (!load("slabsnap-6.18-x86_64-2cpu.txt", &snap, &snap_len) ||
	    !load("slabinfo-6.18-x86_64-2cpu.txt", &slabinfo, &slabinfo_len)) {
		/* Fixtures are part of the repo: a failure, not a skip. */
		printf("not ok 1 - fixtures\n");
		t_failed++;
		return test_done();
	}
	RUN(empty_collector);
	RUN(touched_within_bound);
	RUN(touched_out_of_bound);
	RUN(blind_spot);
	RUN(geometry_tampered);
	RUN(no_geometry);
	RUN(no_slabinfo);
	RUN(estimated_by_kernel);
	RUN(untraced_allocs);
	free(snap);
	free(slabinfo);
	return test_done();
}
