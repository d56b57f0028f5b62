// SPDX-License-Identifier: GPL-2.0
/*
 * test_slabgeom.c - unit tests for src/slabgeom.c, the SLUB geometry model.
 *
 * The acceptance test runs every cache of every tests/fixtures/slabsnap-*
 * snapshot (real /sys/kernel/slab trees of 6.1, 6.12 and 6.18 kernels,
 * with 2, 4 and 8 CPUs, with and without slab_debug) through the model
 * and requires slab_size, objs_per_slab, order, min_partial and
 * cpu_partial to equal what the kernel reported.  The other tests are
 * tables whose every expected value was worked out by hand from the
 * kernel's formulas; the comment beside each row says how.  Fixture paths
 * are relative to the repository root, where make runs the tests.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>

#include "slabgeom.h"
#include "slabsnap.h"
#include "slabsys.h"
#include "test.h"

#define FIXTURES "tests/fixtures"

/* The kernels the fixtures were taken on, by the version in their name. */
static const struct {
	const char *ver, *release;
} fixture_kernels[] = {
	{ "6.1", "6.1.0-56-cloud-amd64" },		/* Debian 6.1.192 */
	{ "6.12", "6.12.117+deb12-cloud-amd64" },	/* Debian 6.12.117 */
	{ "6.18", "6.18.44-fc-v782" },			/* this machine */
};

/* Fixtures that must exist; any other slabsnap-*.txt is checked too. */
static const char *const required_fixtures[] = {
	"slabsnap-6.18-x86_64-2cpu.txt",
	"slabsnap-6.1-x86_64-2cpu.txt",
	"slabsnap-6.12-x86_64-2cpu.txt",
	"slabsnap-6.12-x86_64-4cpu.txt",
	"slabsnap-6.1-x86_64-8cpu.txt",
	"slabsnap-6.12-x86_64-2cpu-slab_debug.txt",
	"slabsnap-6.1-x86_64-2cpu-slub_debug.txt",
};

static struct slab_config cfg_for(const char *release, const char *cmdline,
				  uint32_t page_size, uint32_t cpus)
{
	struct slab_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	if (slab_config__init(&cfg, release, cmdline, page_size, cpus))
		T_FAIL("slab_config__init(%s, %s, %u, %u) failed", release,
		       cmdline ? cmdline : "(null)", page_size, cpus);
	return cfg;
}

/* ---- the acceptance test: every cache of every fixture ---- */

struct fixture {
	char file[256];
	const char *release;
	uint32_t cpus;
	char *cmdline;		/* NULL when there is no cmdline-*.txt */
};

/* slabsnap-<ver>-<arch>-<N>cpu[-<option>].txt */
static int fixture_parse_name(const char *file, struct fixture *fx)
{
	char ver[16], arch[32], path[512], *buf;
	unsigned int cpus;
	size_t i, len;

	memset(fx, 0, sizeof(*fx));
	if (sscanf(file, "slabsnap-%15[0-9.]-%31[^-]-%ucpu", ver, arch,
		   &cpus) != 3 || !cpus)
		return -EINVAL;
	snprintf(fx->file, sizeof(fx->file), "%s", file);
	fx->cpus = cpus;
	for (i = 0; i < sizeof(fixture_kernels) / sizeof(fixture_kernels[0]); i++)
		if (!strcmp(ver, fixture_kernels[i].ver))
			fx->release = fixture_kernels[i].release;
	if (!fx->release)
		return -ENOENT;
	snprintf(path, sizeof(path), FIXTURES "/cmdline-%s", file + 9);
	if (!slurp_file(path, &buf, &len)) {
		/* /proc/cmdline ends in a newline: keep the TAP lines whole. */
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
			len--;
		fx->cmdline = calloc(1, len + 1);
		if (fx->cmdline)
			memcpy(fx->cmdline, buf, len);
		free(buf);
	}
	return 0;
}

static void print_mismatch(const struct fixture *fx,
			   const struct slab_config *cfg,
			   const struct slab_sysfs_cache *c,
			   const struct slab_cache_params *p,
			   const struct slab_geometry *g)
{
	printf("#   %s: cache %s (kernel %s, %u cpus, cmdline \"%s\")\n",
	       fx->file, c->name, fx->release, fx->cpus,
	       fx->cmdline ? fx->cmdline : "");
	printf("#     config: page %u min_objects %u min_order %u max_order %u"
	       " algo %s layout %d track %u orig_size %u\n",
	       cfg->page_size, slab_config__min_objects(cfg), cfg->min_order,
	       cfg->max_order, cfg->order_algo == SLAB_ORDER_NEW ? "new" : "old",
	       (int)cfg->layout, cfg->track_size, cfg->orig_size_size);
	printf("#     params: object_size %u align %u rz %d poison %d user %d"
	       " trace %d sanity %d rcu %d ctor %d kmalloc %d use_freeptr_offset %d\n",
	       p->object_size, p->align, p->red_zone, p->poison, p->store_user,
	       p->trace, p->sanity_checks, p->rcu, p->ctor, p->is_kmalloc,
	       p->use_freeptr_offset);
	printf("#     sysfs:  slab_size %u objs %u order %u min_partial %u"
	       " cpu_partial %u\n", c->slab_size, c->objs_per_slab, c->order,
	       c->min_partial, c->cpu_partial);
	printf("#     model:  slab_size %u objs %u order %u min_partial %u"
	       " cpu_partial %u (inuse %u offset %u red_left_pad %u)\n",
	       g->size, g->objs_per_slab, g->order, g->min_partial,
	       g->cpu_partial, g->inuse, g->offset, g->red_left_pad);
}

/* Compare one cache; true when every attribute the kernel gave matches. */
static bool cache_exact(const struct slab_config *cfg,
			const struct slab_sysfs_cache *c,
			struct slab_cache_params *p, struct slab_geometry *g)
{
	memset(g, 0, sizeof(*g));
	if (slab_cache_params__from_sysfs(cfg, c, p) ||
	    slab_geometry__compute(cfg, p, g))
		return false;
	if (!slab_sysfs_cache__has(c, SLABSYS_SLAB_SIZE) ||
	    !slab_sysfs_cache__has(c, SLABSYS_OBJS_PER_SLAB) ||
	    !slab_sysfs_cache__has(c, SLABSYS_ORDER))
		return false;
	if (g->size != c->slab_size || g->objs_per_slab != c->objs_per_slab ||
	    g->order != c->order)
		return false;
	if (slab_sysfs_cache__has(c, SLABSYS_MIN_PARTIAL) &&
	    g->min_partial != c->min_partial)
		return false;
	if (slab_sysfs_cache__has(c, SLABSYS_CPU_PARTIAL) &&
	    g->cpu_partial != c->cpu_partial)
		return false;
	return true;
}

/* Returns the number of caches checked; counts the exact ones. */
static size_t check_fixture(const struct fixture *fx, size_t *exact)
{
	struct slab_config cfg = cfg_for(fx->release, fx->cmdline, 4096, fx->cpus);
	struct slab_cache_params p;
	struct slab_geometry g;
	struct slabsys *sys = NULL;
	char path[512], *text;
	size_t len, i, n, shown = 0;

	*exact = 0;
	snprintf(path, sizeof(path), FIXTURES "/%s", fx->file);
	if (slurp_file(path, &text, &len)) {
		T_FAIL("cannot read %s (run from the repo root)", path);
		return 0;
	}
	if (slabsys__parse(text, len, &sys)) {
		T_FAIL("cannot parse %s", path);
		free(text);
		return 0;
	}
	CHECK_INT(slabsys__nr_malformed(sys), ==, 0);
	n = slabsys__nr_caches(sys);
	for (i = 0; i < n; i++) {
		const struct slab_sysfs_cache *c = slabsys__cache(sys, i);

		if (cache_exact(&cfg, c, &p, &g)) {
			(*exact)++;
			continue;
		}
		t_cur_failed = true;
		if (shown++ < 5)
			print_mismatch(fx, &cfg, c, &p, &g);
	}
	printf("# %s: %zu/%zu caches exact\n", fx->file, *exact, n);
	slabsys__free(sys);
	free(text);
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fixture file names, sorted; NULL-terminated. */
static char **list_fixtures(size_t *nr)
{
	DIR *d = opendir(FIXTURES);
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0;

	*nr = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (strncmp(de->d_name, "slabsnap-", 9) || l < 4 ||
		    strcmp(de->d_name + l - 4, ".txt"))
			continue;
		nn = realloc(names, (n + 2) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		names[n++] = strdup(de->d_name);
		names[n] = NULL;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), cmp_str);
	*nr = n;
	return names;
}

TEST(every_fixture_cache_exact)
{
	size_t nr, i, j, total = 0, exact_total = 0;
	char **names = list_fixtures(&nr);

	for (j = 0; j < sizeof(required_fixtures) / sizeof(required_fixtures[0]); j++) {
		bool found = false;

		for (i = 0; i < nr; i++)
			found |= !strcmp(names[i], required_fixtures[j]);
		if (!found)
			T_FAIL("fixture %s is missing", required_fixtures[j]);
	}
	for (i = 0; i < nr; i++) {
		struct fixture fx;
		size_t exact, n;

		if (fixture_parse_name(names[i], &fx)) {
			T_FAIL("%s: unknown kernel version in the name; add it to"
			       " fixture_kernels[]", names[i]);
			continue;
		}
		n = check_fixture(&fx, &exact);
		CHECK(n > 100);		/* a real tree, not a stub */
		total += n;
		exact_total += exact;
		free(fx.cmdline);
	}
	printf("# all fixtures: %zu/%zu caches exact\n", exact_total, total);
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
}

/* ---- calculate_order(), by hand ---- */

struct order_row {
	uint32_t size, order, objs;
};

static void check_orders(const struct slab_config *cfg,
			 const struct order_row *rows, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t order = slab_calculate_order(cfg, rows[i].size);
		uint32_t objs = order == SLAB_ORDER_INVALID ? 0 :
				(cfg->page_size << order) / rows[i].size;

		if (order != rows[i].order || objs != rows[i].objs)
			T_FAIL("%s: size %u: order %u objs %u, expected %u/%u",
			       what, rows[i].size, order, objs, rows[i].order,
			       rows[i].objs);
	}
}

#define CHECK_ORDERS(cfg, rows, what) \
	check_orders(cfg, rows, sizeof(rows) / sizeof(rows[0]), what)

TEST(min_objects_from_cpus)
{
	/* 4 * (fls(cpus) + 1) */
	static const uint32_t cpus[] = { 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 127 };
	static const uint32_t want[] = { 8, 12, 12, 16, 16, 20, 20, 24, 28, 32, 32 };
	size_t i;

	for (i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		struct slab_config cfg = cfg_for("6.18.44", NULL, 4096, cpus[i]);

		CHECK_INT(slab_config__min_objects(&cfg), ==, want[i]);
	}
}

/* 4K pages, 2 CPUs (min_objects 12), slab_max_order 3, 6.7+ algorithm.
 * "start" is get_order(12 * size) unless 12 objects do not fit in an
 * order-3 slab, when min_objects drops to 32768 / size. */
static const struct order_row new_2cpu[] = {
	{ 8, 0, 512 },		/* 96 B -> order 0, 4096 % 8 = 0 */
	{ 256, 0, 16 },		/* 3072 -> 0, no waste */
	{ 336, 0, 12 },		/* 4032 -> 0; 4096 % 336 = 64 <= 4096/16 */
	{ 344, 1, 23 },		/* 4128 -> 1; 8192 % 344 = 280 <= 512 */
	{ 512, 1, 16 },		/* 6144 -> 1 */
	{ 680, 1, 12 },		/* 8160 -> 1; 8192 % 680 = 32 */
	{ 688, 2, 23 },		/* 8256 -> 2; 16384 % 688 = 560 <= 1024 */
	{ 1024, 2, 16 },	/* 12288 -> 2 */
	{ 1360, 2, 12 },	/* 16320 -> 2; 16384 % 1360 = 64 */
	{ 1368, 3, 23 },	/* 16416 -> 3; 32768 % 1368 = 1304 <= 2048 */
	{ 2048, 3, 16 },	/* 24576 -> 3 */
	{ 2736, 3, 11 },	/* 12 do not fit: 11 * 2736 -> 3; waste 2672
				 * > 1/16 but <= 1/8 of 32768 */
	{ 4096, 3, 8 },		/* 8 fit in order 3 */
	{ 5888, 3, 5 },		/* task_struct: 5 objs, waste 3328 <= 1/8 */
	{ 8192, 3, 4 },
	{ 10920, 3, 3 },	/* 3 * 10920 = 32760, waste 8 */
	{ 10928, 3, 2 },	/* 3 no longer fit: 2 objs, waste 10912 is
				 * above 1/4 (8192), accepted at 1/2 */
	{ 11000, 3, 2 },	/* waste 10768: only 1/2 accepts it */
	{ 12280, 3, 2 },	/* waste 8208: just above 1/4 */
	{ 12288, 3, 2 },	/* waste 8192 = 1/4 exactly */
	{ 16384, 3, 2 },
	{ 32768, 3, 1 },	/* max_objects 1 -> get_order(32768) = 3 */
	{ 32776, 4, 1 },	/* > order 3: get_order(size) = 4 */
	{ 4194304, 10, 1 },	/* MAX_PAGE_ORDER itself */
	{ 4194312, SLAB_ORDER_INVALID, 0 },	/* -ENOSYS */
};

/* The <= 6.6 algorithm on the same machine.  It only differs for sizes
 * 10928..12280, where two objects waste more than 1/4 of an order-3
 * slab: it then gives up on min_objects and takes one object at
 * get_order(size) = 2 with any waste. */
static const struct order_row old_2cpu[] = {
	{ 8, 0, 512 },
	{ 336, 0, 12 },
	{ 344, 1, 23 },
	{ 2736, 3, 11 },	/* min_objects 11, 1/8 accepts 2672 */
	{ 5888, 3, 5 },
	{ 10920, 3, 3 },	/* mo 3, waste 8 <= 1/16 */
	{ 10928, 2, 1 },	/* mo 2 fails at 1/16..1/4; 16384 % 10928 */
	{ 11000, 2, 1 },	/* same; the new one picks order 3, 2 objs */
	{ 12280, 2, 1 },	/* waste 8208 > 8192 for mo 2 */
	{ 12288, 3, 2 },	/* waste 8192 <= 1/4: both agree again */
	{ 32776, 4, 1 },	/* calc_slab_order(size, 1, MAX_ORDER, 1) */
	{ 4194312, SLAB_ORDER_INVALID, 0 },
};

TEST(order_new_algorithm_2cpu)
{
	struct slab_config cfg = cfg_for("6.12.117+deb12-cloud-amd64", NULL,
					 4096, 2);

	CHECK_INT(cfg.order_algo, ==, SLAB_ORDER_NEW);
	CHECK_ORDERS(&cfg, new_2cpu, "6.12 2cpu");
}

TEST(order_old_algorithm_2cpu)
{
	struct slab_config cfg = cfg_for("6.1.0-56-cloud-amd64", NULL, 4096, 2);

	CHECK_INT(cfg.order_algo, ==, SLAB_ORDER_OLD);
	CHECK_ORDERS(&cfg, old_2cpu, "6.1 2cpu");
	/* 6.6 is the last with the old algorithm, 6.7 the first new one. */
	cfg = cfg_for("6.6.87", NULL, 4096, 2);
	CHECK_INT(cfg.order_algo, ==, SLAB_ORDER_OLD);
	cfg = cfg_for("6.7.0", NULL, 4096, 2);
	CHECK_INT(cfg.order_algo, ==, SLAB_ORDER_NEW);
	CHECK_INT(slab_calculate_order(&cfg, 11000), ==, 3);
}

/* §4.3 of the reference: the two algorithms agree on every size except
 * 10928..12280, on any CPU count, where the old one takes order 2 with
 * one object and the new one order 3 with two.  Checked over every
 * multiple of 8 up to 64K. */
TEST(old_new_agree_outside_10928_12280)
{
	static const uint32_t cpus[] = { 1, 2, 4, 8, 16, 64 };
	size_t i;

	for (i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		struct slab_config n = cfg_for("6.12.0", NULL, 4096, cpus[i]);
		struct slab_config o = cfg_for("6.6.0", NULL, 4096, cpus[i]);
		uint32_t size, differ = 0;

		for (size = 8; size <= 65536; size += 8) {
			uint32_t a = slab_calculate_order(&n, size);
			uint32_t b = slab_calculate_order(&o, size);
			bool window = size >= 10928 && size <= 12280;

			if (window && (a != 3 || b != 2))
				T_FAIL("%u cpus, size %u: new %u old %u", cpus[i],
				       size, a, b);
			if (!window && a != b)
				T_FAIL("%u cpus, size %u: new %u old %u", cpus[i],
				       size, a, b);
			differ += a != b;
		}
		CHECK_INT(differ, ==, (12280 - 10928) / 8 + 1);
	}
}

TEST(order_depends_on_cpus)
{
	/* 4 CPUs: min_objects 16. */
	static const struct order_row cpu4[] = {
		{ 256, 0, 16 },		/* 4096 -> 0 */
		{ 320, 1, 25 },		/* 5120 -> 1; 8192 % 320 = 192; with
					 * 2 CPUs 3840 -> 0, 12 objs */
		{ 512, 1, 16 },		/* 8192 -> 1 */
		{ 1024, 2, 16 },
	};
	/* 8 CPUs: min_objects 20. */
	static const struct order_row cpu8[] = {
		{ 256, 1, 32 },		/* 5120 -> 1 */
		{ 512, 2, 32 },		/* 10240 -> 2 */
		{ 1024, 3, 32 },	/* 20480 -> 3 */
	};
	/* 64 CPUs: min_objects 32. */
	static const struct order_row cpu64[] = {
		{ 192, 1, 42 },		/* 6144 -> 1; 8192 % 192 = 128 */
		{ 256, 1, 32 },		/* 8192 -> 1 */
		{ 512, 2, 32 },		/* 16384 -> 2 */
		{ 1024, 3, 32 },	/* 32768 -> 3 */
		{ 2048, 3, 16 },	/* only 16 fit in order 3 */
	};
	/* 2 CPUs for contrast: 192 -> 2304 -> 0, 4096 % 192 = 64. */
	static const struct order_row cpu2[] = {
		{ 192, 0, 21 },
		{ 320, 0, 12 },		/* 4096 % 320 = 256 = 4096/16 */
		{ 256, 0, 16 },
	};
	struct slab_config cfg;

	cfg = cfg_for("6.12.117", NULL, 4096, 4);
	CHECK_ORDERS(&cfg, cpu4, "4cpu");
	cfg = cfg_for("6.12.117", NULL, 4096, 8);
	CHECK_ORDERS(&cfg, cpu8, "8cpu");
	cfg = cfg_for("6.12.117", NULL, 4096, 64);
	CHECK_ORDERS(&cfg, cpu64, "64cpu");
	cfg = cfg_for("6.12.117", NULL, 4096, 2);
	CHECK_ORDERS(&cfg, cpu2, "2cpu");
	/* The old algorithm agrees on all of these. */
	cfg = cfg_for("6.1.0", NULL, 4096, 64);
	CHECK_ORDERS(&cfg, cpu64, "6.1 64cpu");
	cfg = cfg_for("6.1.0", NULL, 4096, 4);
	CHECK_ORDERS(&cfg, cpu4, "6.1 4cpu");
}

TEST(order_large_pages)
{
	/* 16K pages, 2 CPUs; MAX_PAGE_ORDER 11. */
	static const struct order_row p16k[] = {
		{ 1024, 0, 16 },	/* 12288 -> 0 */
		{ 3000, 2, 21 },	/* 36000 -> 2 (65536); 65536 % 3000 =
					 * 2536 <= 4096 */
		{ 32768, 3, 4 },	/* kmalloc-32k: 4 fit in 128K */
		{ 33554432, 11, 1 },	/* 32M = 16K << 11 */
	};
	/* 64K pages, 2 CPUs; MAX_PAGE_ORDER 13. */
	static const struct order_row p64k[] = {
		{ 8, 0, 8192 },		/* 65536 / 8, under 32767 */
		{ 4096, 0, 16 },	/* 49152 -> 0 */
		{ 131072, 3, 4 },	/* kmalloc-128k */
		{ 536870912, 13, 1 },	/* 512M = 64K << 13 */
		{ 536870920, SLAB_ORDER_INVALID, 0 },
	};
	struct slab_config cfg;

	cfg = cfg_for("6.12.0", NULL, 16384, 2);
	CHECK_INT(cfg.max_page_order, ==, 11);
	CHECK_ORDERS(&cfg, p16k, "16K pages");
	cfg = cfg_for("6.12.0", NULL, 65536, 2);
	CHECK_INT(cfg.max_page_order, ==, 13);
	CHECK_ORDERS(&cfg, p64k, "64K pages");
}

TEST(order_max_objs_per_page)
{
	/* slab_min_order=3 on 64K pages: an order-3 slab would hold
	 * 524288 / 8 = 65536 > 32767 objects of 8 bytes, so both versions
	 * return get_order(8 * 32767 = 262136) - 1 = 2 - 1 = 1, below the
	 * minimum asked for (16384 objects). */
	struct slab_config cfg = cfg_for("6.12.0", "slab_min_order=3", 65536, 2);

	CHECK_INT(slab_calculate_order(&cfg, 8), ==, 1);
	cfg = cfg_for("6.1.0", "slub_min_order=3", 65536, 2);
	CHECK_INT(slab_calculate_order(&cfg, 8), ==, 1);
	/* 4K pages, slab_min_order=10: 4M / 8 too; get_order(262136) = 6. */
	cfg = cfg_for("6.12.0", "slab_min_order=10", 4096, 2);
	CHECK_INT(slab_calculate_order(&cfg, 8), ==, 5);
	/* 16 bytes at order 10: 262144 objects, get_order(524272) - 1 = 6. */
	CHECK_INT(slab_calculate_order(&cfg, 16), ==, 6);
}

TEST(order_command_line)
{
	struct slab_config cfg;

	/* slab_min_objects=1 (6.12): min_order = get_order(1800) = 0; the
	 * waste of 1800 is 496 > 256 at order 0, 992 > 512 at order 1,
	 * 16384 % 1800 = 184 <= 1024 at order 2: order 2, 9 objects. */
	cfg = cfg_for("6.12.117", "quiet slab_min_objects=1", 4096, 2);
	CHECK_INT(cfg.min_objects, ==, 1);
	CHECK_INT(slab_calculate_order(&cfg, 1800), ==, 2);
	/* The old algorithm with min_objects 1 skips the waste loop and
	 * takes calc_slab_order(size, 1, max, 1): order 0, 2 objects. */
	cfg = cfg_for("6.1.0", "slub_min_objects=1", 4096, 2);
	CHECK_INT(slab_calculate_order(&cfg, 1800), ==, 0);
	/* slab_min_objects=40 beats 2 CPUs' 12: 40 * 256 = 10240 -> 2. */
	cfg = cfg_for("6.12.117", "slab_min_objects=40", 4096, 2);
	CHECK_INT(slab_calculate_order(&cfg, 256), ==, 2);

	/* slab_max_order=1: 1024 -> 8 fit in order 1, no waste. */
	cfg = cfg_for("6.12.117", "slab_max_order=1", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 1);
	CHECK_INT(slab_calculate_order(&cfg, 1024), ==, 1);
	/* slab_max_order=0: 8192 needs order 1 anyway (get_order). */
	cfg = cfg_for("6.12.117", "slab_max_order=0", 4096, 2);
	CHECK_INT(slab_calculate_order(&cfg, 4096), ==, 0);
	CHECK_INT(slab_calculate_order(&cfg, 8192), ==, 1);
	cfg = cfg_for("6.1.0", "slub_max_order=0", 4096, 2);
	CHECK_INT(slab_calculate_order(&cfg, 8192), ==, 1);
	/* Clamped to MAX_PAGE_ORDER. */
	cfg = cfg_for("6.12.117", "slab_max_order=20", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 10);
	cfg = cfg_for("6.1.0", "slub_max_order=20", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 10);
	/* slab_min_order=20 drags max along on 6.7+; both are capped at
	 * MAX_PAGE_ORDER so that no order beyond a 4M block comes out. */
	cfg = cfg_for("6.12.117", "slab_min_order=20", 4096, 2);
	CHECK_INT(cfg.min_order, ==, 10);
	CHECK_INT(cfg.max_order, ==, 10);
	CHECK_INT(slab_calculate_order(&cfg, 3145728), ==, 10);

	/* slab_min_order=2: 64-byte objects at order 2, 256 of them. */
	cfg = cfg_for("6.12.117", "slab_min_order=2", 4096, 2);
	CHECK_INT(slab_calculate_order(&cfg, 64), ==, 2);
	/* slab_min_order=5 > max 3: 6.7+ raises max to 5; 6.1 leaves max
	 * at 3 but ends in calc_slab_order(size, 1, MAX_ORDER, 1) = 5. */
	cfg = cfg_for("6.12.117", "slab_min_order=5", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 5);
	CHECK_INT(slab_calculate_order(&cfg, 64), ==, 5);
	cfg = cfg_for("6.1.0", "slub_min_order=5", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 3);
	CHECK_INT(slab_calculate_order(&cfg, 64), ==, 5);
}

TEST(command_line_spellings)
{
	struct slab_config cfg;

	/* `slab_` only from 6.8; `slub_` always; the last one wins. */
	cfg = cfg_for("6.1.0-56-cloud-amd64", "slab_max_order=1", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 3);
	cfg = cfg_for("6.1.0-56-cloud-amd64", "slub_max_order=1", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 1);
	cfg = cfg_for("6.8.0", "slab_max_order=1 slub_max_order=2", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 2);
	cfg = cfg_for("6.12.117", "slub_min_objects=7 slab_min_objects=9", 4096, 2);
	CHECK_INT(cfg.min_objects, ==, 9);
	/* Order matters on 6.7+: min 2 raises max to 2, then max 1 lowers
	 * min to 1.  6.1 does neither. */
	cfg = cfg_for("6.12.117", "slab_min_order=2 slab_max_order=1", 4096, 2);
	CHECK_INT(cfg.min_order, ==, 1);
	CHECK_INT(cfg.max_order, ==, 1);
	cfg = cfg_for("6.1.0", "slub_min_order=2 slub_max_order=1", 4096, 2);
	CHECK_INT(cfg.min_order, ==, 2);
	CHECK_INT(cfg.max_order, ==, 1);
	/* get_option(): base 0, and no digits still means 0. */
	cfg = cfg_for("6.12.117", "slab_min_objects=0x10", 4096, 2);
	CHECK_INT(cfg.min_objects, ==, 16);
	cfg = cfg_for("6.12.117", "slab_min_objects=010", 4096, 2);
	CHECK_INT(cfg.min_objects, ==, 8);
	cfg = cfg_for("6.12.117", "slab_max_order=x", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 0);
	cfg = cfg_for("6.12.117", "slab_max_order=", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 3);
	/* -1 through an int is UINT_MAX, then clamped. */
	cfg = cfg_for("6.12.117", "slab_max_order=-1", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 10);
	/* Quoted values, prefixes that are other parameters, init args. */
	cfg = cfg_for("6.12.117", "slab_max_order=\"2\"", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 2);
	cfg = cfg_for("6.12.117", "xslab_max_order=1 slab_max_orders=1", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 3);
	cfg = cfg_for("6.12.117", "ro -- slab_max_order=1", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 3);
	/* debug_guardpage_minorder forces order 0 at kmem_cache_init(). */
	cfg = cfg_for("6.12.117", "debug_guardpage_minorder=1 slab_max_order=2",
		      4096, 2);
	CHECK_INT(cfg.max_order, ==, 0);
	cfg = cfg_for("6.12.117", "debug_guardpage_minorder=6", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 3);	/* > MAX_PAGE_ORDER / 2: refused */
	/* The real fixture command lines change nothing. */
	cfg = cfg_for("6.12.117", "console=ttyS0 panic=-1 oops=panic loglevel=4"
		      " rdinit=/init mitigations=off slab_debug\n", 4096, 2);
	CHECK_INT(cfg.max_order, ==, 3);
	CHECK_INT(cfg.min_order, ==, 0);
	CHECK_INT(cfg.min_objects, ==, 0);
}

/* ---- calculate_sizes(), by hand ---- */

static struct slab_geometry compute(const struct slab_config *cfg,
				    const struct slab_cache_params *p)
{
	struct slab_geometry g;
	int err;

	memset(&g, 0, sizeof(g));
	err = slab_geometry__compute(cfg, p, &g);
	if (err)
		T_FAIL("slab_geometry__compute: %d", err);
	return g;
}

TEST(debug_kmalloc_64)
{
	/* kmalloc-64, align 64, slab_debug=FZPU on 6.12 (track 32, orig 8):
	 *   64, and RED_ZONE with no slack: +8 = 72 = inuse
	 *   POISON: free pointer at 72, +8 = 80
	 *   STORE_USER: + 2 * 32 = 144, orig_size + 8 = 152
	 *   RED_ZONE: right pad + 8 = 160, red_left_pad ALIGN(8, 64) = 64
	 *   -> 224, ALIGN(224, 64) = 256: 16 per order-0 slab. */
	struct slab_config cfg = cfg_for("6.12.117", "slab_debug", 4096, 2);
	struct slab_cache_params p = {
		.object_size = 64, .align = 64, .red_zone = true,
		.poison = true, .store_user = true, .sanity_checks = true,
		.is_kmalloc = true,
	};
	struct slab_geometry g = compute(&cfg, &p);

	CHECK_INT(g.inuse, ==, 72);
	CHECK_INT(g.offset, ==, 72);
	CHECK(g.freeptr_outside);
	CHECK(g.orig_size_stored);
	CHECK_INT(g.red_left_pad, ==, 64);
	CHECK_INT(g.size, ==, 256);
	CHECK_INT(g.order, ==, 0);
	CHECK_INT(g.objs_per_slab, ==, 16);
	CHECK_INT(g.cpu_partial, ==, 0);	/* debug caches have none */
	CHECK_INT(g.cpu_partial_slabs, ==, 0);
	CHECK_INT(g.min_partial, ==, 5);	/* ilog2(256) / 2 = 4 -> 5 */
	CHECK_INT(g.ksize, ==, 64);		/* RED_ZONE: object_size */

	/* 6.1 (orig_size 4): 148 -> 156 -> 220 -> 256, the same. */
	cfg = cfg_for("6.1.0", "slub_debug", 4096, 2);
	g = compute(&cfg, &p);
	CHECK_INT(g.size, ==, 256);

	/* 5.15: struct track is 152, no orig_size: 80 + 304 = 384,
	 * + 8 = 392, + 64 = 456 -> 512; old algorithm, 2 CPUs:
	 * 12 * 512 = 6144 -> order 1, 16 objects; min_partial
	 * ilog2(512) / 2 = 4 -> 5. */
	cfg = cfg_for("5.15.0-91-generic", "slub_debug", 4096, 2);
	g = compute(&cfg, &p);
	CHECK_INT(cfg.track_size, ==, 152);
	CHECK(!g.orig_size_stored);
	CHECK_INT(g.size, ==, 512);
	CHECK_INT(g.order, ==, 1);
	CHECK_INT(g.objs_per_slab, ==, 16);
}

TEST(debug_ctor_192)
{
	/* A 192-byte cache with a constructor, align 8, FZPU on 6.12:
	 *   192 + 8 (redzone) = 200 = inuse; ctor (and poison): free
	 *   pointer at 200, 208; + 64 tracks = 272 (not kmalloc: no
	 *   orig_size); + 8 = 280; red_left_pad 8 -> 288 = ALIGN(288, 8).
	 *   12 * 288 = 3456 -> order 0; 4096 % 288 = 64 <= 256: 14 objs. */
	struct slab_config cfg = cfg_for("6.12.117", NULL, 4096, 2);
	struct slab_cache_params p = {
		.object_size = 192, .align = 8, .red_zone = true,
		.poison = true, .store_user = true, .ctor = true,
	};
	struct slab_geometry g = compute(&cfg, &p);

	CHECK_INT(g.inuse, ==, 200);
	CHECK_INT(g.offset, ==, 200);
	CHECK_INT(g.red_left_pad, ==, 8);
	CHECK_INT(g.size, ==, 288);
	CHECK_INT(g.order, ==, 0);
	CHECK_INT(g.objs_per_slab, ==, 14);

	/* Red zone only: the ctor alone moves the pointer out:
	 * 200 -> 208, + 8 = 216, + 8 = 224. */
	p.poison = p.store_user = false;
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 200);
	CHECK_INT(g.size, ==, 224);
	/* Without the ctor it stays in the middle (96): 200 + 8 + 8. */
	p.ctor = false;
	g = compute(&cfg, &p);
	CHECK(!g.freeptr_outside);
	CHECK_INT(g.offset, ==, 96);
	CHECK_INT(g.size, ==, 216);
	/* No debug at all: 192, pointer in the middle, 21 per slab,
	 * cpu_partial 120 (< 256), 2 * 120 / 21 -> 12 slabs. */
	p.red_zone = false;
	g = compute(&cfg, &p);
	CHECK_INT(g.size, ==, 192);
	CHECK_INT(g.objs_per_slab, ==, 21);
	CHECK_INT(g.cpu_partial, ==, 120);
	CHECK_INT(g.cpu_partial_slabs, ==, 12);
	CHECK_INT(g.ksize, ==, 192);
}

TEST(debug_rcu)
{
	/* An RCU cache of 200 bytes, align 8, FZPU on 6.12:
	 *   200 + 8 = 208 = inuse; RCU: pointer at 208, 216; + 64 = 280;
	 *   + 8 = 288; + 8 = 296.  12 * 296 = 3552 -> order 0;
	 *   4096 % 296 = 248 <= 256: 13 objects. */
	struct slab_config cfg = cfg_for("6.12.117", NULL, 4096, 2);
	struct slab_cache_params p = {
		.object_size = 200, .align = 8, .red_zone = true,
		.poison = true, .store_user = true, .rcu = true,
	};
	struct slab_geometry g = compute(&cfg, &p);

	CHECK_INT(g.inuse, ==, 208);
	CHECK_INT(g.offset, ==, 208);
	CHECK_INT(g.size, ==, 296);
	CHECK_INT(g.order, ==, 0);
	CHECK_INT(g.objs_per_slab, ==, 13);
	CHECK_INT(g.ksize, ==, 200);
	/* No debug: the pointer still goes after the object: 208. */
	p.red_zone = p.poison = p.store_user = false;
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 200);
	CHECK_INT(g.size, ==, 208);
	CHECK_INT(g.ksize, ==, 200);		/* RCU: inuse */
}

TEST(use_freeptr_offset)
{
	/* vm_area_struct-like: 192 bytes, hwcache align 64, RCU.  With
	 * use_freeptr_offset (6.15+) the pointer stays inside: 192.  Before
	 * that it goes after: 200 -> 256 (the 6.18 fixture needs this). */
	struct slab_config cfg = cfg_for("6.18.44", NULL, 4096, 2);
	struct slab_cache_params p = {
		.object_size = 192, .align = 64, .rcu = true,
		.use_freeptr_offset = true, .freeptr_offset = 40,
	};
	struct slab_geometry g = compute(&cfg, &p);

	CHECK(!g.freeptr_outside);
	CHECK_INT(g.offset, ==, 40);
	CHECK_INT(g.size, ==, 192);
	p.use_freeptr_offset = false;
	g = compute(&cfg, &p);
	CHECK_INT(g.size, ==, 256);
	/* 6.1's calculate_sizes() has no such argument. */
	p.use_freeptr_offset = true;
	cfg = cfg_for("6.1.0", NULL, 4096, 2);
	g = compute(&cfg, &p);
	CHECK_INT(g.size, ==, 256);
	/* Poisoning moves it out regardless. */
	cfg = cfg_for("6.18.44", NULL, 4096, 2);
	p.poison = true;
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 192);
	CHECK_INT(g.size, ==, 256);

	CHECK(slab_cache_uses_freeptr_offset("filp", SLAB_KVER(6, 12, 0)));
	CHECK(!slab_cache_uses_freeptr_offset("filp", SLAB_KVER(6, 11, 9)));
	CHECK(slab_cache_uses_freeptr_offset("vm_area_struct", SLAB_KVER(6, 15, 0)));
	CHECK(!slab_cache_uses_freeptr_offset("vm_area_struct", SLAB_KVER(6, 14, 3)));
	CHECK(!slab_cache_uses_freeptr_offset("filp_cache", SLAB_KVER(6, 18, 0)));
	CHECK(!slab_cache_uses_freeptr_offset(NULL, SLAB_KVER(6, 18, 0)));
}

TEST(layout_generations)
{
	/* kmalloc-96 with align 8 and slab_debug=U (STORE_USER only):
	 * 6.1:  pointer in the middle; 96 + 64 + 4 = 164 -> 168
	 * 6.6:  orig_size alone moves it out: 104 + 64 + 4 = 172 -> 176
	 * 6.12: needs RED_ZONE too, so like 6.1: 96 + 64 + 8 = 168 */
	struct slab_cache_params p = {
		.object_size = 96, .align = 8, .store_user = true,
		.is_kmalloc = true,
	};
	struct slab_config cfg;
	struct slab_geometry g;

	cfg = cfg_for("6.1.0", NULL, 4096, 2);
	CHECK_INT(cfg.layout, ==, SLAB_LAYOUT_6_1);
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 48);
	CHECK_INT(g.size, ==, 168);
	cfg = cfg_for("6.6.87", NULL, 4096, 2);
	CHECK_INT(cfg.layout, ==, SLAB_LAYOUT_6_6);
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 96);
	CHECK_INT(g.size, ==, 176);
	cfg = cfg_for("6.12.117", NULL, 4096, 2);
	CHECK_INT(cfg.layout, ==, SLAB_LAYOUT_6_12);
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 48);
	CHECK_INT(g.size, ==, 168);

	/* slab_debug=ZU: 96 + 8 redzone = 104 = inuse.
	 * 6.1:  middle (48); 104 + 64 + 4 + 8 + 8 = 188 -> 192
	 * 6.12: out at 104, 112 + 64 + 8 + 8 + 8 = 200 */
	p.red_zone = true;
	cfg = cfg_for("6.1.0", NULL, 4096, 2);
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 48);
	CHECK_INT(g.size, ==, 192);
	cfg = cfg_for("6.12.117", NULL, 4096, 2);
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 104);
	CHECK_INT(g.size, ==, 200);
	/* Not a kmalloc cache: no orig_size, pointer in the middle on
	 * 6.12: 104 + 64 + 8 + 8 = 184. */
	p.is_kmalloc = false;
	g = compute(&cfg, &p);
	CHECK_INT(g.offset, ==, 48);
	CHECK_INT(g.size, ==, 184);

	/* orig_size of 4 or 8 bytes never changes s->size: everything
	 * before it is a multiple of 8, so ALIGN(.., >= 8) absorbs it. */
	p.is_kmalloc = true;
	cfg.orig_size_size = 4;
	CHECK_INT(compute(&cfg, &p).size, ==, 200);

	/* A 4-byte object with a red zone: size 8 already has slack, but
	 * the pointer cannot share the object (< 8 bytes): 8 -> 16,
	 * + 8 = 24, + 8 = 32. */
	memset(&p, 0, sizeof(p));
	p.object_size = 4;
	p.align = 8;
	p.red_zone = true;
	g = compute(&cfg, &p);
	CHECK_INT(g.inuse, ==, 8);
	CHECK_INT(g.offset, ==, 8);
	CHECK_INT(g.size, ==, 32);
	CHECK_INT(g.ksize, ==, 4);
}

TEST(config_from_release)
{
	struct slab_config cfg;
	uint32_t kver = 0;

	CHECK_INT(slab_kernel_version("6.12.117+deb12-cloud-amd64", &kver), ==, 0);
	CHECK_U64(kver, SLAB_KVER(6, 12, 117));
	CHECK_INT(slab_kernel_version("6.18.44-fc-v782", &kver), ==, 0);
	CHECK_U64(kver, SLAB_KVER(6, 18, 44));
	CHECK_INT(slab_kernel_version("5.15.0-91-generic", &kver), ==, 0);
	CHECK_U64(kver, SLAB_KVER(5, 15, 0));
	CHECK_INT(slab_kernel_version("6.19-rc1", &kver), ==, 0);
	CHECK_U64(kver, SLAB_KVER(6, 19, 0));
	CHECK_INT(slab_kernel_version("4.9.337", &kver), ==, 0);
	CHECK_U64(kver, SLAB_KVER(4, 9, 255));	/* saturates like the kernel */
	CHECK_INT(slab_kernel_version("", &kver), ==, -EINVAL);
	CHECK_INT(slab_kernel_version("linux-6.1", &kver), ==, -EINVAL);
	CHECK_INT(slab_kernel_version("6", &kver), ==, -EINVAL);
	CHECK_INT(slab_kernel_version("6.x", &kver), ==, -EINVAL);
	CHECK_INT(slab_kernel_version("99999999999.1", &kver), ==, -EINVAL);
	CHECK_INT(slab_kernel_version(NULL, &kver), ==, -EINVAL);

	CHECK_INT(slab_config__init(&cfg, "6.12.117", NULL, 8191, 2), ==, -EINVAL);
	CHECK_INT(slab_config__init(&cfg, "6.12.117", NULL, 2048, 2), ==, -EINVAL);
	CHECK_INT(slab_config__init(&cfg, "6.12.117", NULL, 131072, 2), ==, -EINVAL);
	CHECK_INT(slab_config__init(&cfg, "6.12.117", NULL, 4096, 0), ==, -EINVAL);
	CHECK_INT(slab_config__init(&cfg, "bogus", NULL, 4096, 2), ==, -EINVAL);

	/* struct track and orig_size per version. */
	cfg = cfg_for("5.15.0-91-generic", NULL, 4096, 2);
	CHECK_INT(cfg.track_size, ==, 152);
	CHECK_INT(cfg.orig_size_size, ==, 0);
	CHECK_INT(cfg.layout, ==, SLAB_LAYOUT_5_15);
	CHECK(!cfg.cpu_partial_5_16);
	cfg = cfg_for("6.1.0-56-cloud-amd64", NULL, 4096, 2);
	CHECK_INT(cfg.track_size, ==, 32);
	CHECK_INT(cfg.orig_size_size, ==, 4);
	cfg = cfg_for("6.12.117+deb12-cloud-amd64", NULL, 4096, 2);
	CHECK_INT(cfg.orig_size_size, ==, 8);
	cfg = cfg_for("6.12.74", NULL, 4096, 2);
	CHECK_INT(cfg.orig_size_size, ==, 4);
	cfg = cfg_for("6.18.2", NULL, 4096, 2);
	CHECK_INT(cfg.orig_size_size, ==, 4);
	CHECK_INT(cfg.max_order, ==, 3);
	CHECK_INT(cfg.max_page_order, ==, 10);
}

TEST(partial_limits)
{
	/* min_partial = clamp(ilog2(size) / 2, 5, 10); cpu_partial by size
	 * (6 >= PAGE_SIZE, 24 >= 1024, 52 >= 256, else 120) and
	 * cpu_partial_slabs = DIV_ROUND_UP(2 * cpu_partial, objs). */
	static const struct {
		uint32_t size, min_partial, cpu_partial, slabs, objs;
	} rows[] = {
		{ 8, 5, 120, 1, 512 },		/* ilog2 3; 240 / 512 */
		{ 248, 5, 120, 15, 16 },	/* 2976 -> 0, 16 objs: 240/16 */
		{ 256, 5, 52, 7, 16 },		/* 104 / 16 = 6.5 -> 7 */
		{ 1016, 5, 52, 7, 16 },		/* 12192 -> 2; 16 objs */
		{ 1024, 5, 24, 3, 16 },		/* ilog2 10 -> 5 */
		{ 4088, 5, 24, 6, 8 },		/* ilog2 11 -> 5; 48 / 8 */
		{ 4096, 6, 6, 2, 8 },		/* ilog2 12 -> 6; 12 / 8 */
		{ 8192, 6, 6, 3, 4 },
		{ 2097152, 10, 6, 12, 1 },	/* ilog2 21 -> 10 */
		{ 4194304, 10, 6, 12, 1 },	/* ilog2 22 -> 11 -> 10 */
	};
	struct slab_config cfg = cfg_for("6.12.117", NULL, 4096, 2);
	struct slab_cache_params p = { .align = 8 };
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct slab_geometry g;

		p.object_size = rows[i].size;
		g = compute(&cfg, &p);
		if (g.size != rows[i].size || g.min_partial != rows[i].min_partial ||
		    g.cpu_partial != rows[i].cpu_partial ||
		    g.cpu_partial_slabs != rows[i].slabs ||
		    g.objs_per_slab != rows[i].objs)
			T_FAIL("size %u: min_partial %u cpu_partial %u slabs %u"
			       " objs %u", rows[i].size, g.min_partial,
			       g.cpu_partial, g.cpu_partial_slabs,
			       g.objs_per_slab);
	}
	/* Before 5.16 the limits were 2/6/13/30 objects, not in slabs. */
	cfg = cfg_for("5.15.0-91-generic", NULL, 4096, 2);
	p.object_size = 8;
	CHECK_INT(compute(&cfg, &p).cpu_partial, ==, 30);
	CHECK_INT(compute(&cfg, &p).cpu_partial_slabs, ==, 0);
	p.object_size = 4096;
	CHECK_INT(compute(&cfg, &p).cpu_partial, ==, 2);
	/* Any debug flag, even F alone, disables the per-CPU partials. */
	cfg = cfg_for("6.12.117", NULL, 4096, 2);
	p.sanity_checks = true;
	CHECK_INT(compute(&cfg, &p).cpu_partial, ==, 0);
	p.sanity_checks = false;
	p.trace = true;
	CHECK_INT(compute(&cfg, &p).cpu_partial, ==, 0);
	cfg.cpu_partial = false;		/* !CONFIG_SLUB_CPU_PARTIAL */
	p.trace = false;
	CHECK_INT(compute(&cfg, &p).cpu_partial, ==, 0);
}

TEST(compute_rejects)
{
	struct slab_config cfg = cfg_for("6.12.117", NULL, 4096, 2);
	struct slab_cache_params p = { .object_size = 64, .align = 24 };
	struct slab_geometry g;

	CHECK_INT(slab_geometry__compute(&cfg, &p, &g), ==, -EINVAL);
	p.align = 0;
	CHECK_INT(slab_geometry__compute(&cfg, &p, &g), ==, -EINVAL);
	p.align = 8;
	p.object_size = 0;
	CHECK_INT(slab_geometry__compute(&cfg, &p, &g), ==, -EINVAL);
	p.object_size = 4194304 + 1;		/* 4194312 > 4M */
	CHECK_INT(slab_geometry__compute(&cfg, &p, &g), ==, -E2BIG);
	p.object_size = UINT32_MAX;
	CHECK_INT(slab_geometry__compute(&cfg, &p, &g), ==, -E2BIG);
	p.object_size = 64;
	p.align = 1U << 31;
	CHECK_INT(slab_geometry__compute(&cfg, &p, &g), ==, -E2BIG);
	CHECK_INT(slab_geometry__compute(NULL, &p, &g), ==, -EINVAL);
	CHECK_INT(slab_calculate_order(&cfg, 0), ==, SLAB_ORDER_INVALID);
}

TEST(params_from_sysfs)
{
	static const char text[] =
		"cache kmalloc-rnd-03-64 object_size=64 align=64 red_zone=1\n"
		"cache vm_area_struct object_size=192 align=64 destroy_by_rcu=1\n"
		"cache ext4_inode_cache object_size=1184 align=8 ctor=init_once+0x0/0x60 destroy_by_rcu=0\n"
		"cache kmalloc_buckets object_size=128 align=8\n"
		"cache no_align object_size=64\n";
	struct slab_config cfg = cfg_for("6.18.44", NULL, 4096, 2);
	struct slab_cache_params p;
	struct slabsys *sys = NULL;

	CHECK_INT(slabsys__parse(text, sizeof(text) - 1, &sys), ==, 0);
	if (!sys)
		return;
	CHECK_INT(slab_cache_params__from_sysfs(&cfg, slabsys__find(sys, "kmalloc-rnd-03-64"), &p), ==, 0);
	CHECK(p.is_kmalloc && p.red_zone && !p.poison && p.align == 64);
	CHECK_INT(slab_cache_params__from_sysfs(&cfg, slabsys__find(sys, "vm_area_struct"), &p), ==, 0);
	CHECK(p.rcu && p.use_freeptr_offset && !p.is_kmalloc);
	CHECK_INT(p.freeptr_offset, ==, SLAB_FREEPTR_UNKNOWN);
	CHECK_INT(compute(&cfg, &p).size, ==, 192);
	CHECK_INT(compute(&cfg, &p).offset, ==, SLAB_FREEPTR_UNKNOWN);
	CHECK_INT(slab_cache_params__from_sysfs(&cfg, slabsys__find(sys, "ext4_inode_cache"), &p), ==, 0);
	CHECK(p.ctor && !p.rcu);
	CHECK_INT(slab_cache_params__from_sysfs(&cfg, slabsys__find(sys, "kmalloc_buckets"), &p), ==, 0);
	CHECK(!p.is_kmalloc);
	CHECK_INT(slab_cache_params__from_sysfs(&cfg, slabsys__find(sys, "no_align"), &p), ==, -EINVAL);
	CHECK_INT(slab_cache_params__from_sysfs(&cfg, NULL, &p), ==, -EINVAL);
	slabsys__free(sys);

	CHECK(slab_cache_is_kmalloc("kmalloc-8k"));
	CHECK(slab_cache_is_kmalloc("kmalloc-cg-192"));
	CHECK(slab_cache_is_kmalloc("kmalloc-rcl-96"));
	CHECK(slab_cache_is_kmalloc("dma-kmalloc-1k"));
	CHECK(!slab_cache_is_kmalloc("memdup_user-64"));
	CHECK(!slab_cache_is_kmalloc(":A-0000192"));
	CHECK(!slab_cache_is_kmalloc(NULL));
}

int main(void)
{
	t_suite = "slabgeom";
	RUN(every_fixture_cache_exact);
	RUN(min_objects_from_cpus);
	RUN(order_new_algorithm_2cpu);
	RUN(order_old_algorithm_2cpu);
	RUN(old_new_agree_outside_10928_12280);
	RUN(order_depends_on_cpus);
	RUN(order_large_pages);
	RUN(order_max_objs_per_page);
	RUN(order_command_line);
	RUN(command_line_spellings);
	RUN(debug_kmalloc_64);
	RUN(debug_ctor_192);
	RUN(debug_rcu);
	RUN(use_freeptr_offset);
	RUN(layout_generations);
	RUN(config_from_release);
	RUN(partial_limits);
	RUN(compute_rejects);
	RUN(params_from_sysfs);
	return test_done();
}
