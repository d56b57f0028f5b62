// SPDX-License-Identifier: GPL-2.0
/*
 * test_slabsys.c - unit tests for src/slabsys.c, the parser of slabsnap
 * text: the real /sys/kernel/slab fixtures of 6.1, 6.12 and 6.18 (aliases
 * of merged caches, attributes a kernel lacks), and hostile input -
 * numbers that do not fit, tokens without '=', binary bytes, names that
 * are too long or are paths, duplicates, dangling and shadowing aliases,
 * text that is not NUL-terminated, and random junk.  Fixture paths are
 * relative to the repository root, where make runs the tests.
 */
#include <errno.h>
#include <stdlib.h>

#include "slabsnap.h"
#include "slabsys.h"
#include "test.h"

#define FIXTURES "tests/fixtures"

static struct slabsys *parse_str(const char *s)
{
	struct slabsys *sys = NULL;
	int err = slabsys__parse(s, strlen(s), &sys);

	if (err)
		T_FAIL("slabsys__parse: %d", err);
	return sys;
}

static struct slabsys *parse_fixture(const char *file)
{
	struct slabsys *sys = NULL;
	char path[256], *text;
	size_t len;

	snprintf(path, sizeof(path), FIXTURES "/%s", file);
	if (slurp_file(path, &text, &len)) {
		T_FAIL("cannot read %s (run from the repo root)", path);
		return NULL;
	}
	if (slabsys__parse(text, len, &sys))
		T_FAIL("cannot parse %s", path);
	free(text);
	return sys;
}

/* Every alias of a merge id, the creator's name included, is a symlink:
 * their number is the cache's `aliases` (refcount - 1) plus one, and a
 * cache under its own name has none. */
static void check_alias_counts(const struct slabsys *sys)
{
	size_t i, n = slabsys__nr_caches(sys);
	unsigned int *links = calloc(n ? n : 1, sizeof(*links));

	if (!links)
		return;
	for (i = 0; i < slabsys__nr_aliases(sys); i++)
		links[slabsys__alias(sys, i)->cache]++;
	for (i = 0; i < n; i++) {
		const struct slab_sysfs_cache *c = slabsys__cache(sys, i);
		unsigned int want = slab_sysfs_cache__is_merge_id(c) ?
				    c->aliases + 1 : 0;

		if (links[i] != want)
			T_FAIL("%s: %u symlinks, aliases=%u", c->name,
			       links[i], c->aliases);
	}
	free(links);
}

TEST(fixture_6_18)
{
	struct slabsys *sys = parse_fixture("slabsnap-6.18-x86_64-2cpu.txt");
	const struct slab_sysfs_cache *c, *d;

	if (!sys)
		return;
	CHECK_INT(slabsys__nr_caches(sys), ==, 235);
	CHECK_INT(slabsys__nr_aliases(sys), ==, 194);
	CHECK_INT(slabsys__nr_malformed(sys), ==, 0);
	check_alias_counts(sys);

	/* The first creator's name is only an alias of the merge id. */
	c = slabsys__find(sys, "anon_vma_chain");
	CHECK(c != NULL);
	if (c) {
		CHECK_STR(c->name, ":A-0000064");
		CHECK(slab_sysfs_cache__is_merge_id(c));
		CHECK_INT(c->aliases, ==, 2);
		CHECK_INT(c->slab_size, ==, 64);
		CHECK_INT(c->objs_per_slab, ==, 64);
	}
	d = slabsys__find(sys, ":A-0000064");
	CHECK(c == d);
	CHECK(slabsys__find(sys, "fs_cache") == d);
	c = slabsys__find(sys, "task_delay_info");
	CHECK(c && !strcmp(c->name, ":A-0000256"));

	/* A real directory: every attribute, sheaves (6.18) included. */
	c = slabsys__find(sys, "maple_node");
	CHECK(c != NULL);
	if (c) {
		CHECK(!slab_sysfs_cache__is_merge_id(c));
		CHECK(slab_sysfs_cache__has(c, SLABSYS_SHEAF_CAPACITY));
		CHECK_INT(c->sheaf_capacity, ==, 32);
		CHECK_INT(c->align, ==, 256);
		CHECK_INT(c->cpu_partial, ==, 52);
		CHECK(c->has_counters);
		CHECK_U64(c->objects, 517);
		CHECK_U64(c->total_objects, 864);
		CHECK(slab_sysfs_cache__has(c, SLABSYS_SLABS_CPU_PARTIAL));
	}
	c = slabsys__find(sys, "ext4_inode_cache");
	CHECK(c && c->ctor && c->reclaim_account && !c->rcu);
	if (c)
		CHECK_STR(c->ctor_sym, "init_once+0x0/0x80");
	c = slabsys__find(sys, "vm_area_struct");
	CHECK(c && c->rcu && c->hwcache_align && !c->ctor);
	CHECK(slabsys__find(sys, "no_such_cache") == NULL);
	CHECK(slabsys__find(sys, "") == NULL);
	CHECK(slabsys__find(sys, NULL) == NULL);
	slabsys__free(sys);
}

/* A merged cache's other names, by name, never the one asked about. */
TEST(aliases_of)
{
	struct slabsys *sys = parse_fixture("slabsnap-6.18-x86_64-2cpu.txt");
	const char *a[8];

	if (!sys)
		return;
	CHECK_INT(slabsys__aliases_of(sys, "sigqueue", a, 8), ==, 3);
	CHECK_STR(a[0], "dnotify_mark");
	CHECK_STR(a[1], "fanotify_mark");
	CHECK_STR(a[2], "inotify_inode_mark");
	CHECK_INT(slabsys__aliases_of(sys, "fanotify_mark", a, 8), ==, 3);
	CHECK_STR(a[1], "inotify_inode_mark");
	CHECK_STR(a[2], "sigqueue");
	/* More than max: the count, and the first max of them. */
	a[1] = NULL;
	CHECK_INT(slabsys__aliases_of(sys, "sigqueue", a, 1), ==, 3);
	CHECK_STR(a[0], "dnotify_mark");
	CHECK(a[1] == NULL);
	/* The merge id itself: every name. */
	CHECK_INT(slabsys__aliases_of(sys, ":A-0000080", a, 8), ==, 4);
	/* A cache of its own, an unmerged alias, unknown names. */
	CHECK_INT(slabsys__aliases_of(sys, "maple_node", a, 8), ==, 0);
	CHECK_INT(slabsys__aliases_of(sys, "seq_file", a, 8), ==, 0);
	CHECK_INT(slabsys__aliases_of(sys, "no_such_cache", a, 8), ==, 0);
	CHECK_INT(slabsys__aliases_of(NULL, "sigqueue", a, 8), ==, 0);
	slabsys__free(sys);
}

/*
 * A cache's label for a table column: every other name when they fit,
 * then as many as fit with ", ...", then " (+ ...)", then the name alone;
 * never wider than the column.
 */
TEST(label)
{
	struct slabsys *sys = parse_fixture("slabsnap-6.18-x86_64-2cpu.txt");
	char b[64];

	if (!sys)
		return;
	slabsys__label(sys, "sigqueue", 60, b, sizeof(b));
	CHECK_STR(b, "sigqueue (+ dnotify_mark, fanotify_mark, inotify_inode_mark)");
	slabsys__label(sys, "sigqueue", 40, b, sizeof(b));
	CHECK_STR(b, "sigqueue (+ dnotify_mark, ...)");
	slabsys__label(sys, "sigqueue", 20, b, sizeof(b));
	CHECK_STR(b, "sigqueue (+ ...)");
	slabsys__label(sys, "sigqueue", 12, b, sizeof(b));
	CHECK_STR(b, "sigqueue");
	slabsys__label(sys, "maple_node", 60, b, sizeof(b));
	CHECK_STR(b, "maple_node");
	slabsys__label(NULL, "sigqueue", 60, b, sizeof(b));
	CHECK_STR(b, "sigqueue");
	/* A buffer shorter than the column: cut by the buffer, terminated. */
	slabsys__label(sys, "sigqueue", 60, b, 20);
	CHECK(strlen(b) < 20);
	/* The names alone, as the memory bill lists them. */
	CHECK_INT(slabsys__join(sys, "sigqueue", 60, b, sizeof(b)), ==, 3);
	CHECK_STR(b, "dnotify_mark, fanotify_mark, inotify_inode_mark");
	CHECK_INT(slabsys__join(sys, "sigqueue", 32, b, sizeof(b)), ==, 3);
	CHECK_STR(b, "dnotify_mark, fanotify_mark, ...");
	CHECK_INT(slabsys__join(sys, "sigqueue", 31, b, sizeof(b)), ==, 3);
	CHECK_STR(b, "dnotify_mark, ...");
	CHECK_INT(slabsys__join(sys, "sigqueue", 10, b, sizeof(b)), ==, 3);
	CHECK_STR(b, "...");
	CHECK_INT(slabsys__join(sys, "maple_node", 60, b, sizeof(b)), ==, 0);
	CHECK_STR(b, "");
	slabsys__free(sys);
}

TEST(fixtures_other_kernels)
{
	static const struct {
		const char *file;
		size_t caches, aliases;
		bool debug;
	} fx[] = {
		{ "slabsnap-6.1-x86_64-2cpu.txt", 153, 120, false },
		{ "slabsnap-6.1-x86_64-8cpu.txt", 153, 120, false },
		{ "slabsnap-6.1-x86_64-2cpu-slub_debug.txt", 211, 0, true },
		{ "slabsnap-6.12-x86_64-2cpu.txt", 187, 124, false },
		{ "slabsnap-6.12-x86_64-4cpu.txt", 187, 124, false },
		{ "slabsnap-6.12-x86_64-2cpu-slab_debug.txt", 248, 0, true },
	};
	size_t i, j;

	for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
		struct slabsys *sys = parse_fixture(fx[i].file);

		if (!sys)
			continue;
		CHECK_INT(slabsys__nr_caches(sys), ==, fx[i].caches);
		CHECK_INT(slabsys__nr_aliases(sys), ==, fx[i].aliases);
		CHECK_INT(slabsys__nr_malformed(sys), ==, 0);
		check_alias_counts(sys);
		for (j = 0; j < slabsys__nr_caches(sys); j++) {
			const struct slab_sysfs_cache *c = slabsys__cache(sys, j);

			/* No sheaves before 6.18: absent, not 0. */
			if (slab_sysfs_cache__has(c, SLABSYS_SHEAF_CAPACITY))
				T_FAIL("%s: %s has sheaf_capacity", fx[i].file,
				       c->name);
			/* slub_debug / slab_debug = FZPU on every cache. */
			if (fx[i].debug && !(c->red_zone && c->poison &&
					     c->store_user && c->sanity_checks))
				T_FAIL("%s: %s lacks debug flags", fx[i].file,
				       c->name);
			if (!c->has_counters)
				T_FAIL("%s: %s has no counters", fx[i].file,
				       c->name);
		}
		slabsys__free(sys);
	}
}

TEST(absent_attributes)
{
	/* A kernel without CONFIG_SLUB_DEBUG has no objects, slabs or
	 * total_objects files; one before 6.18 no sheaf_capacity. */
	struct slabsys *sys = parse_str(
		"cache lean object_size=24 slab_size=24 partial=3 cpu_slabs=2\n"
		"cache full object_size=24 objects=7 total_objects=9 slabs=1\n");
	const struct slab_sysfs_cache *c;

	if (!sys)
		return;
	c = slabsys__find(sys, "lean");
	CHECK(c != NULL);
	if (c) {
		CHECK(!c->has_counters);
		CHECK(!slab_sysfs_cache__has(c, SLABSYS_OBJECTS));
		CHECK(!slab_sysfs_cache__has(c, SLABSYS_SHEAF_CAPACITY));
		CHECK(!slab_sysfs_cache__has(c, SLABSYS_ALIGN));
		CHECK(!slab_sysfs_cache__has(c, SLABSYS_CTOR));
		CHECK(slab_sysfs_cache__has(c, SLABSYS_PARTIAL));
		CHECK(slab_sysfs_cache__has(c, SLABSYS_CPU_SLABS));
		CHECK_U64(c->partial, 3);
		CHECK_U64(c->cpu_slabs, 2);
		CHECK(!slab_sysfs_cache__has(c, SLABSYS_NR_ATTRS));
	}
	c = slabsys__find(sys, "full");
	CHECK(c && c->has_counters && c->objects == 7);
	slabsys__free(sys);
}

TEST(values)
{
	struct slabsys *sys = parse_str(
		"cache a slabs_cpu_partial=12(3) ctor=foo+0x0/0x10 order=0 "
		"objects=18446744073709551615 object_size=4294967295\n"
		"cache b slabs_cpu_partial=7 ctor= destroy_by_rcu=1\n"
		"cache c future_attribute=whatever align=8\n");
	const struct slab_sysfs_cache *c;

	if (!sys)
		return;
	CHECK_INT(slabsys__nr_malformed(sys), ==, 0);
	c = slabsys__find(sys, "a");
	CHECK(c != NULL);
	if (c) {
		CHECK_U64(c->cpu_partial_objs, 12);
		CHECK_U64(c->cpu_partial_slabs, 3);
		CHECK(c->ctor);
		CHECK_STR(c->ctor_sym, "foo+0x0/0x10");
		CHECK(slab_sysfs_cache__has(c, SLABSYS_ORDER));
		CHECK_U64(c->objects, UINT64_MAX);	/* the largest that fits */
		CHECK_U64(c->object_size, UINT32_MAX);
	}
	c = slabsys__find(sys, "b");
	CHECK(c && !c->ctor && c->rcu && c->cpu_partial_objs == 7);
	CHECK(c && slab_sysfs_cache__has(c, SLABSYS_CTOR));
	/* Unknown keys are a newer slabsnap, not an error. */
	c = slabsys__find(sys, "c");
	CHECK(c && c->align == 8);
	slabsys__free(sys);
}

TEST(malformed_lines)
{
	static const char text[] =
		"cache good1 object_size=8\n"
		"cache big object_size=4294967296\n"		/* > u32 */
		"cache big64 objects=18446744073709551616\n"	/* > u64 */
		"cache digits object_size=99999999999999999999999999\n"
		"cache neg object_size=-1\n"
		"cache hex object_size=0x10\n"
		"cache space object_size=\n"
		"cache noeq object_size 8\n"			/* missing '=' */
		"cache noeq2 object_size=8 red_zone\n"
		"cache emptykey =8\n"
		"cache boolbad red_zone=2\n"
		"cache pairbad slabs_cpu_partial=3(x)\n"
		"cache pairbad2 slabs_cpu_partial=3(4\n"
		"cache dupkey order=1 order=2\n"
		"cache\n"					/* no name */
		"cache slash/name object_size=8\n"
		"cache .. object_size=8\n"
		"cache 0123456789012345678901234567890123456789012345678901234567890123 object_size=8\n"
		"cache ctl\x01name object_size=8\n"
		"cache hi\xffgh object_size=8\n"
		"cache junkval object_size=8\x7f\n"
		"alias onlyname\n"
		"alias a b c\n"					/* extra token */
		"alias dangling :nowhere\n"
		"alias good1 good2\n"				/* shadows a cache */
		"alias ok1 good1\n"
		"alias ok1 good2\n"				/* repeated alias */
		"aliases x y\n"
		"cachex y object_size=8\n"
		"# a comment is not part of the format\n"
		"cache good1 object_size=16\n"			/* repeated cache */
		"cache good2 object_size=32\n";
	struct slabsys *sys = NULL;
	const struct slab_sysfs_cache *c;

	CHECK_INT(slabsys__parse(text, sizeof(text) - 1, &sys), ==, 0);
	if (!sys)
		return;
	CHECK_INT(slabsys__nr_caches(sys), ==, 2);
	CHECK_INT(slabsys__nr_aliases(sys), ==, 1);
	/* Every line but good1, good2 and the first ok1: 29 of 32 (the
	 * repeated good1 and ok1, the dangling and the shadowing alias are
	 * only found after all lines are read). */
	CHECK_INT(slabsys__nr_malformed(sys), ==, 29);
	c = slabsys__find(sys, "good1");
	CHECK(c && c->object_size == 8);	/* the first one wins */
	CHECK(slabsys__find(sys, "ok1") == c);
	c = slabsys__find(sys, "good2");
	CHECK(c && c->object_size == 32);
	CHECK(slabsys__find(sys, "big") == NULL);
	CHECK(slabsys__find(sys, "dangling") == NULL);
	/* Input order for caches, name order for aliases. */
	CHECK_STR(slabsys__cache(sys, 0)->name, "good1");
	CHECK_STR(slabsys__cache(sys, 1)->name, "good2");
	CHECK(slabsys__cache(sys, 2) == NULL);
	CHECK(slabsys__alias(sys, 1) == NULL);
	slabsys__free(sys);
}

TEST(binary_and_framing)
{
	/* NULs inside a line, CRLF endings, tabs, blank lines, no final
	 * newline, and a length that stops before a NUL terminator. */
	static const char text[] =
		"cache nul object_size=8\0 red_zone=1\n"
		"\r\n"
		"\n"
		"cache crlf object_size=16\r\n"
		"cache\ttabs\tobject_size=24\n"
		"\x01\x02\x03\xfe\xff\n"
		"alias tabs_alias\ttabs\n"
		"cache last object_size=32";
	struct slabsys *sys = NULL;
	const struct slab_sysfs_cache *c;

	CHECK_INT(slabsys__parse(text, sizeof(text) - 1, &sys), ==, 0);
	if (!sys)
		return;
	CHECK(slabsys__find(sys, "nul") == NULL);
	c = slabsys__find(sys, "crlf");
	CHECK(c && c->object_size == 16);
	CHECK(slabsys__find(sys, "tabs_alias") == slabsys__find(sys, "tabs"));
	c = slabsys__find(sys, "last");
	CHECK(c && c->object_size == 32);
	CHECK_INT(slabsys__nr_caches(sys), ==, 3);
	CHECK_INT(slabsys__nr_malformed(sys), ==, 2);
	slabsys__free(sys);

	/* Only the first 23 bytes: "cache cut object_size=1" of "...=123". */
	CHECK_INT(slabsys__parse("cache cut object_size=123", 23, &sys), ==, 0);
	if (sys) {
		c = slabsys__find(sys, "cut");
		CHECK(c && c->object_size == 1);
		slabsys__free(sys);
	}
	/* Empty input is an empty table; bad arguments are refused. */
	sys = NULL;
	CHECK_INT(slabsys__parse(NULL, 0, &sys), ==, 0);
	CHECK(sys && !slabsys__nr_caches(sys) && !slabsys__nr_aliases(sys));
	CHECK(slabsys__find(sys, "x") == NULL);
	slabsys__free(sys);
	CHECK_INT(slabsys__parse(NULL, 5, &sys), ==, -EINVAL);
	CHECK_INT(slabsys__parse("", 0, NULL), ==, -EINVAL);
	slabsys__free(NULL);
	CHECK_INT(slabsys__nr_caches(NULL), ==, 0);
	CHECK(slabsys__cache(NULL, 0) == NULL);
}

/* xorshift64*: deterministic junk. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static bool name_ok(const char *n)
{
	size_t i, len = strlen(n);

	if (!len || len >= SLABSYS_NAME_MAX || strchr(n, '/'))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)n[i] <= ' ' || (unsigned char)n[i] >= 0x7f)
			return false;
	return true;
}

/* Whatever survives must be well-formed; ASan/UBSan watch the rest. */
static void check_sane(const struct slabsys *sys)
{
	size_t i;

	for (i = 0; i < slabsys__nr_caches(sys); i++)
		if (!name_ok(slabsys__cache(sys, i)->name))
			T_FAIL("bad cache name kept");
	for (i = 0; i < slabsys__nr_aliases(sys); i++) {
		const struct slabsys_alias *a = slabsys__alias(sys, i);

		if (!name_ok(a->name) || a->cache >= slabsys__nr_caches(sys))
			T_FAIL("bad alias kept");
		if (slabsys__find(sys, a->name) != slabsys__cache(sys, a->cache))
			T_FAIL("alias %s does not resolve", a->name);
	}
}

TEST(random_junk)
{
	static const char *const pieces[] = {
		"cache ", "alias ", "x", "y", ":A-0000064", "=", "object_size",
		"=1", "(", ")", " ", "\n", "\t", "\0", "\xff", "999999999999",
		"order=", "slabs_cpu_partial=", "ctor=", "1", "0",
	};
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	char buf[4096];
	int round;

	for (round = 0; round < 2000; round++) {
		struct slabsys *sys = NULL;
		size_t len = rnd(&seed) % sizeof(buf), i;

		if (round % 2) {
			for (i = 0; i < len; i++)
				buf[i] = (char)rnd(&seed);
		} else {
			for (i = 0; i < len;) {
				const char *p = pieces[rnd(&seed) % (sizeof(pieces) / sizeof(pieces[0]))];
				size_t n = *p ? strlen(p) : 1;

				if (i + n > len)
					break;
				memcpy(buf + i, p, n);
				i += n;
			}
			len = i;
		}
		if (slabsys__parse(buf, len, &sys)) {
			T_FAIL("round %d: parse failed", round);
			continue;
		}
		check_sane(sys);
		slabsys__free(sys);
	}
}

TEST(mutated_fixture)
{
	/* Flip bytes of a real snapshot: every line either parses or is
	 * counted, and nothing kept is broken. */
	char *text, path[] = FIXTURES "/slabsnap-6.18-x86_64-2cpu.txt";
	uint64_t seed = 12345;
	size_t len, i;
	int round;

	if (slurp_file(path, &text, &len)) {
		T_FAIL("cannot read %s", path);
		return;
	}
	for (round = 0; round < 50; round++) {
		struct slabsys *sys = NULL;

		for (i = 0; i < 64; i++)
			text[rnd(&seed) % len] = (char)rnd(&seed);
		if (slabsys__parse(text, len, &sys)) {
			T_FAIL("round %d: parse failed", round);
			continue;
		}
		check_sane(sys);
		CHECK(slabsys__nr_caches(sys) + slabsys__nr_aliases(sys) +
		      slabsys__nr_malformed(sys) > 0);
		slabsys__free(sys);
	}
	free(text);
}

int main(void)
{
	t_suite = "slabsys";
	RUN(fixture_6_18);
	RUN(aliases_of);
	RUN(label);
	RUN(fixtures_other_kernels);
	RUN(absent_attributes);
	RUN(values);
	RUN(malformed_lines);
	RUN(binary_and_framing);
	RUN(random_junk);
	RUN(mutated_fixture);
	return test_done();
}
