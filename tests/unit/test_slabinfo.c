// SPDX-License-Identifier: GPL-2.0
/*
 * test_slabinfo.c - unit tests for src/slabinfo.c, the /proc/slabinfo
 * parser: the real files of 6.18, 6.1 and 6.12 kernels under
 * tests/fixtures (one entry per data line, exact values of named caches
 * read off the fixture text, slabinfo__find), the header check, malformed
 * and overlong lines counted in bad_lines and skipped, text without a
 * trailing newline, numbers that do not fit their field, and growth past
 * the first allocation.  Fixture paths are relative to the repository
 * root, where make runs the tests.
 */
#include <errno.h>
#include <stdlib.h>

#include "slabinfo.h"
#include "slabsnap.h"
#include "test.h"

#define FIXTURES "tests/fixtures"

#define HDR "slabinfo - version: 2.1\n"
#define COLS "# name            <active_objs> <num_objs> <objsize> <objperslab> " \
	     "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "   \
	     "slabdata <active_slabs> <num_slabs> <sharedavail>\n"

static int parse_str(const char *s, struct slabinfo *si)
{
	return slabinfo__parse(s, strlen(s), si);
}

/* Parse a fixture; false (and a failure) when it cannot be read. */
static bool parse_fixture(const char *file, struct slabinfo *si)
{
	char path[256], *text;
	size_t len;
	int err;

	memset(si, 0, sizeof(*si));
	snprintf(path, sizeof(path), FIXTURES "/%s", file);
	if (slurp_file(path, &text, &len)) {
		T_FAIL("cannot read %s (run from the repo root)", path);
		return false;
	}
	err = slabinfo__parse(text, len, si);
	free(text);
	if (err) {
		T_FAIL("slabinfo__parse(%s): %d", path, err);
		return false;
	}
	return true;
}

/* Every field of an entry, in declaration order. */
#define CHECK_ENTRY(ep, name_, act, num, size, per, pages, aslabs, nslabs)   \
	do {                                                                 \
		const struct slabinfo_entry *_e = (ep);                      \
		if (!_e) {                                                   \
			T_FAIL("no entry %s", name_);                        \
			break;                                               \
		}                                                            \
		CHECK_STR(_e->name, name_);                                  \
		CHECK_U64(_e->active_objs, act);                             \
		CHECK_U64(_e->num_objs, num);                                \
		CHECK_U64(_e->objsize, size);                                \
		CHECK_U64(_e->objperslab, per);                              \
		CHECK_U64(_e->pagesperslab, pages);                          \
		CHECK_U64(_e->active_slabs, aslabs);                         \
		CHECK_U64(_e->num_slabs, nslabs);                            \
	} while (0)

TEST(fixture_6_18)
{
	struct slabinfo si;

	if (!parse_fixture("slabinfo-6.18-x86_64-2cpu.txt", &si))
		return;
	/* 237 lines: the version header, the "# name" line, 235 caches. */
	CHECK_INT(si.n, ==, 235);
	CHECK_INT(si.bad_lines, ==, 0);
	/* Input order: the first and last data lines of the file. */
	CHECK_STR(si.e[0].name, "btrfs_delayed_node");
	CHECK_ENTRY(&si.e[si.n - 1], "kmem_cache", 256, 256, 256, 16, 1, 16, 16);
	/* Fixture: "dentry 52122 52122 192 21 1 : ... : slabdata 2482 2482 0". */
	CHECK_ENTRY(slabinfo__find(&si, "dentry"), "dentry", 52122, 52122, 192,
		    21, 1, 2482, 2482);
	/* "kmalloc-64 2333 2432 64 64 1 : ... : slabdata 38 38 0":
	 * active below num (free objects on node partial lists). */
	CHECK_ENTRY(slabinfo__find(&si, "kmalloc-64"), "kmalloc-64", 2333, 2432,
		    64, 64, 1, 38, 38);
	/* "task_struct 96 119 4288 7 8 : ... : slabdata 17 17 0": order 3. */
	CHECK_ENTRY(slabinfo__find(&si, "task_struct"), "task_struct", 96, 119,
		    4288, 7, 8, 17, 17);
	/* "kvm_vcpu 0 0 51488 1 16 : ... : slabdata 0 0 0": 5 digits of
	 * objsize run into the num_objs column. */
	CHECK_ENTRY(slabinfo__find(&si, "kvm_vcpu"), "kvm_vcpu", 0, 0, 51488, 1,
		    16, 0, 0);
	/* A kmem_buckets cache is a line like any other. */
	CHECK_ENTRY(slabinfo__find(&si, "msg_msg-128"), "msg_msg-128", 512, 512,
		    128, 32, 1, 16, 16);
	slabinfo__free(&si);
}

TEST(fixture_6_1)
{
	struct slabinfo si;

	if (!parse_fixture("slabinfo-6.1-x86_64-2cpu.txt", &si))
		return;
	/* 155 lines: two header lines and 153 caches. */
	CHECK_INT(si.n, ==, 153);
	CHECK_INT(si.bad_lines, ==, 0);
	CHECK_STR(si.e[0].name, "fsverity_info");
	CHECK_ENTRY(&si.e[si.n - 1], "kmem_cache", 160, 160, 256, 16, 1, 10, 10);
	/* "dentry 10815 10815 192 21 1 : ... : slabdata 515 515 0" */
	CHECK_ENTRY(slabinfo__find(&si, "dentry"), "dentry", 10815, 10815, 192,
		    21, 1, 515, 515);
	/* "kmalloc-64 1536 1536 64 64 1 : ... : slabdata 24 24 0" */
	CHECK_ENTRY(slabinfo__find(&si, "kmalloc-64"), "kmalloc-64", 1536, 1536,
		    64, 64, 1, 24, 24);
	/* "task_struct 66 72 8384 3 8 : ... : slabdata 24 24 0" */
	CHECK_ENTRY(slabinfo__find(&si, "task_struct"), "task_struct", 66, 72,
		    8384, 3, 8, 24, 24);
	/* 6.1 had no kmem_buckets (6.11+). */
	CHECK(!slabinfo__find(&si, "msg_msg-128"));
	slabinfo__free(&si);
}

TEST(fixture_6_12)
{
	struct slabinfo si;

	if (!parse_fixture("slabinfo-6.12-x86_64-2cpu.txt", &si))
		return;
	/* 189 lines: two header lines and 187 caches. */
	CHECK_INT(si.n, ==, 187);
	CHECK_INT(si.bad_lines, ==, 0);
	CHECK_STR(si.e[0].name, "fsverity_info");
	CHECK_ENTRY(&si.e[si.n - 1], "kmem_cache", 208, 208, 256, 16, 1, 13, 13);
	/* "dentry 945 945 192 21 1 : ... : slabdata 45 45 0" */
	CHECK_ENTRY(slabinfo__find(&si, "dentry"), "dentry", 945, 945, 192, 21,
		    1, 45, 45);
	/* "kmalloc-64 1920 1920 64 64 1 : ... : slabdata 30 30 0" */
	CHECK_ENTRY(slabinfo__find(&si, "kmalloc-64"), "kmalloc-64", 1920, 1920,
		    64, 64, 1, 30, 30);
	/* "kmalloc-96 2268 2268 96 42 1 : ... : slabdata 54 54 0" */
	CHECK_ENTRY(slabinfo__find(&si, "kmalloc-96"), "kmalloc-96", 2268, 2268,
		    96, 42, 1, 54, 54);
	slabinfo__free(&si);
}

TEST(find)
{
	static const char text[] = HDR COLS
		"kmalloc-64   10 64 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"kmalloc-640   3 12 640 12 2 : tunables 0 0 0 : slabdata 1 1 0\n"
		"dentry        5 21 192 21 1 : tunables 0 0 0 : slabdata 1 1 0\n";
	struct slabinfo si, none = { 0 };
	const struct slabinfo_entry *e;

	CHECK_INT(parse_str(text, &si), ==, 0);
	CHECK_INT(si.n, ==, 3);
	/* The pointer is into the table, at the entry's input position. */
	CHECK(slabinfo__find(&si, "kmalloc-64") == &si.e[0]);
	CHECK(slabinfo__find(&si, "kmalloc-640") == &si.e[1]);
	e = slabinfo__find(&si, "dentry");
	CHECK(e == &si.e[2]);
	CHECK_U64(e ? e->objsize : 0, 192);	/* the dentry line's objsize */
	/* Whole names only: no prefix, no case folding, no empty name. */
	CHECK(!slabinfo__find(&si, "kmalloc-6"));
	CHECK(!slabinfo__find(&si, "kmalloc-6400"));
	CHECK(!slabinfo__find(&si, "Dentry"));
	CHECK(!slabinfo__find(&si, ""));
	/* An empty (zeroed) table finds nothing. */
	CHECK(!slabinfo__find(&none, "dentry"));
	slabinfo__free(&si);
	/* Freed: empty, and freeing again is harmless. */
	CHECK(!si.e);
	CHECK_INT(si.n, ==, 0);
	CHECK(!slabinfo__find(&si, "dentry"));
	slabinfo__free(&si);
}

TEST(header)
{
	static const char *const bad[] = {
		"",					/* nothing */
		"slabinfo - version: 2.0\n",		/* another version */
		"slabinfo - version: 1.1\n",
		"slabinfo - version: 2\n",		/* cut short */
		"slabinfo - version:",
		"Slabinfo - version: 2.1\n",		/* case differs */
		" slabinfo - version: 2.1\n",		/* not at the start */
		/* A data line first: the header is missing. */
		"dentry 5 21 192 21 1 : tunables 0 0 0 : slabdata 1 1 0\n",
		COLS HDR,				/* lines swapped */
	};
	struct slabinfo si;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&si, 0x5a, sizeof(si));
		if (parse_str(bad[i], &si) != -EINVAL)
			T_FAIL("case %zu (\"%.30s\") not rejected", i, bad[i]);
		/* Nothing to free after a failure: *out is empty. */
		CHECK(!si.e);
		CHECK_INT(si.n, ==, 0);
		CHECK_INT(si.bad_lines, ==, 0);
	}
	/* The header alone is a valid, empty file, with or without '\n'. */
	CHECK_INT(parse_str(HDR, &si), ==, 0);
	CHECK_INT(si.n, ==, 0);
	CHECK_INT(si.bad_lines, ==, 0);
	slabinfo__free(&si);
	CHECK_INT(parse_str("slabinfo - version: 2.1", &si), ==, 0);
	CHECK_INT(si.n, ==, 0);
	slabinfo__free(&si);
	/* The header line and the "# name" line are not data. */
	CHECK_INT(parse_str(HDR COLS, &si), ==, 0);
	CHECK_INT(si.n, ==, 0);
	CHECK_INT(si.bad_lines, ==, 0);
	slabinfo__free(&si);
}

/*
 * slabinfo.h: -EINVAL when the header *is not* "slabinfo - version: 2.1".
 * A header that only begins with it is another format version.
 */
TEST(header_exact_version)
{
	static const char *const bad[] = {
		"slabinfo - version: 2.10\n",
		"slabinfo - version: 2.1.1\n",
		"slabinfo - version: 2.1x\n",
	};
	struct slabinfo si;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = parse_str(bad[i], &si);

		if (err != -EINVAL)
			T_FAIL("header \"%.*s\": %d, want -EINVAL (%d)",
			       (int)strlen(bad[i]) - 1, bad[i], err, -EINVAL);
		slabinfo__free(&si);
	}
}

TEST(malformed_lines)
{
	static const char text[] = HDR COLS
		"good-a 1 2 3 4 5 : tunables 0 0 0 : slabdata 6 7 0\n"
		/* slabdata cut short: 7 of the 8 fields */
		"bad-1 1 2 3 4 5 : tunables 0 0 0 : slabdata 6\n"
		/* a word where a number goes */
		"bad-2 1 two 3 4 5 : tunables 0 0 0 : slabdata 6 7 0\n"
		/* no "tunables" */
		"bad-3 1 2 3 4 5 : slabdata 6 7 0\n"
		/* a name alone */
		"bad-4\n"
		/* one number missing before the first ':' */
		"bad-5 1 2 3 4 : tunables 0 0 0 : slabdata 6 7 0\n"
		/* "slabdata" misspelt */
		"bad-6 1 2 3 4 5 : tunables 0 0 0 : slabdat 6 7 0\n"
		"\n"					/* blank: skipped, not bad */
		"# a comment line\n"			/* skipped, not bad */
		"good-b 10 20 30 40 50 : tunables 0 0 0 : slabdata 60 70 0\n";
	struct slabinfo si;

	CHECK_INT(parse_str(text, &si), ==, 0);
	/* good-a and good-b; bad-1 .. bad-6 counted, the rest ignored. */
	CHECK_INT(si.n, ==, 2);
	CHECK_INT(si.bad_lines, ==, 6);
	CHECK_ENTRY(slabinfo__find(&si, "good-a"), "good-a", 1, 2, 3, 4, 5, 6, 7);
	CHECK_ENTRY(slabinfo__find(&si, "good-b"), "good-b", 10, 20, 30, 40, 50,
		    60, 70);
	/* Nothing of a bad line is kept. */
	CHECK(!slabinfo__find(&si, "bad-1"));
	CHECK(!slabinfo__find(&si, "bad-2"));
	CHECK(!slabinfo__find(&si, "bad-5"));
	slabinfo__free(&si);
}

/* SLAB's tunables are not zero; SLUB's are.  Either is a good line, and
 * sharedavail is read past but not kept; CRLF ends a line like LF. */
TEST(tunables_and_crlf)
{
	static const char text[] = HDR COLS
		"slabish 7 8 9 10 1 : tunables 120 60 8 : slabdata 1 1 0\r\n"
		"crlf 1 1 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\r\n";
	struct slabinfo si;

	CHECK_INT(parse_str(text, &si), ==, 0);
	CHECK_INT(si.n, ==, 2);
	CHECK_INT(si.bad_lines, ==, 0);
	CHECK_ENTRY(slabinfo__find(&si, "slabish"), "slabish", 7, 8, 9, 10, 1, 1,
		    1);
	CHECK_ENTRY(slabinfo__find(&si, "crlf"), "crlf", 1, 1, 64, 64, 1, 1, 1);
	slabinfo__free(&si);
}

TEST(long_line)
{
	static const char pre[] = "long 1 2 3 4 5 : tunables 0 0 0 : slabdata 6 7 0";
	static const char evil[] = "evil 1 2 3 4 5 : tunables 0 0 0 : slabdata 6 7 0";
	static const char good[] = "after 1 2 3 4 5 : tunables 0 0 0 : slabdata 6 7 0\n";
	char text[2048], longl[601];
	struct slabinfo si;

	/*
	 * 600 bytes: a line that would be valid but for its length (padded
	 * with spaces), and a valid-looking line at its end, which must not
	 * be read as a line of its own.
	 */
	memset(longl, ' ', 600);
	longl[600] = 0;
	memcpy(longl, pre, strlen(pre));
	memcpy(longl + 600 - strlen(evil), evil, strlen(evil));
	CHECK_INT(strlen(longl), ==, 600);
	snprintf(text, sizeof(text), HDR "%s\n%s", longl, good);
	CHECK_INT(parse_str(text, &si), ==, 0);
	/* The long line is counted and skipped; the next one is intact. */
	CHECK_INT(si.bad_lines, ==, 1);
	CHECK_INT(si.n, ==, 1);
	CHECK_ENTRY(slabinfo__find(&si, "after"), "after", 1, 2, 3, 4, 5, 6, 7);
	CHECK(!slabinfo__find(&si, "long"));
	CHECK(!slabinfo__find(&si, "evil"));
	slabinfo__free(&si);

	/* The same 600 bytes as the last line, without a newline. */
	snprintf(text, sizeof(text), HDR "%s%s", good, longl);
	CHECK_INT(parse_str(text, &si), ==, 0);
	CHECK_INT(si.bad_lines, ==, 1);
	CHECK_INT(si.n, ==, 1);
	CHECK_STR(si.n ? si.e[0].name : NULL, "after");
	slabinfo__free(&si);

	/* A 64-byte name does not fit name[64] with its NUL: bad. */
	memset(longl, 'n', 64);
	snprintf(longl + 64, sizeof(longl) - 64,
		 " 1 2 3 4 5 : tunables 0 0 0 : slabdata 6 7 0");
	snprintf(text, sizeof(text), HDR "%s\n", longl);
	CHECK_INT(parse_str(text, &si), ==, 0);
	CHECK_INT(si.n, ==, 0);
	CHECK_INT(si.bad_lines, ==, 1);
	slabinfo__free(&si);

	/* 63 bytes do, and are kept whole. */
	memset(longl, 'n', 63);
	snprintf(longl + 63, sizeof(longl) - 63,
		 " 1 2 3 4 5 : tunables 0 0 0 : slabdata 6 7 0");
	snprintf(text, sizeof(text), HDR "%s\n", longl);
	CHECK_INT(parse_str(text, &si), ==, 0);
	CHECK_INT(si.n, ==, 1);
	CHECK_INT(si.bad_lines, ==, 0);
	CHECK_INT(si.n ? strlen(si.e[0].name) : 0, ==, 63);
	slabinfo__free(&si);
}

TEST(no_trailing_newline)
{
	static const char text[] = HDR COLS
		"first 1 2 3 4 5 : tunables 0 0 0 : slabdata 6 7 0\n"
		"last 11 12 13 14 15 : tunables 0 0 0 : slabdata 16 17 0";
	struct slabinfo si;

	CHECK_INT(parse_str(text, &si), ==, 0);
	/* The last line ends at len, not at a newline: still parsed. */
	CHECK_INT(si.n, ==, 2);
	CHECK_INT(si.bad_lines, ==, 0);
	CHECK_ENTRY(slabinfo__find(&si, "last"), "last", 11, 12, 13, 14, 15, 16,
		    17);
	slabinfo__free(&si);

	/* len, not the NUL, ends the text: the same bytes cut before "last"
	 * leave one entry (and the cut line's fragment is not read). */
	CHECK_INT(slabinfo__parse(text, strlen(text) - strlen("last 11 12 13 14 "
			"15 : tunables 0 0 0 : slabdata 16 17 0"), &si), ==, 0);
	CHECK_INT(si.n, ==, 1);
	CHECK_INT(si.bad_lines, ==, 0);
	slabinfo__free(&si);

	/* Cut inside the last line: the fragment is malformed. */
	CHECK_INT(slabinfo__parse(text, strlen(text) - 8, &si), ==, 0);
	CHECK_INT(si.n, ==, 1);		/* "first" */
	/* "last ... : slabdata" without its numbers */
	CHECK_INT(si.bad_lines, ==, 1);
	slabinfo__free(&si);

	/* The text need not be NUL-terminated: a heap copy of exactly len
	 * bytes lets ASan catch a read past the end. */
	{
		size_t len = strlen(text);
		char *copy = malloc(len);

		if (!copy) {
			T_FAIL("out of memory");
			return;
		}
		memcpy(copy, text, len);
		CHECK_INT(slabinfo__parse(copy, len, &si), ==, 0);
		CHECK_INT(si.n, ==, 2);
		slabinfo__free(&si);
		free(copy);
	}
}

TEST(u32_fields)
{
	static const char text[] = HDR
		/* objsize 2^32 - 1: the largest that fits s->size's u32 */
		"fits 1 1 4294967295 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		/* objsize 2^32: one too many */
		"size-2^32 1 1 4294967296 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		/* objsize far beyond u32 */
		"size-big 1 1 99999999999 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		/* objperslab and pagesperslab are u32 too */
		"per-2^32 1 1 64 4294967296 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"pages-2^32 1 1 64 64 4294967296 : tunables 0 0 0 : slabdata 1 1 0\n"
		/*
		 * The counts are u64 but capped at 2^48 objects (slabinfo.c:
		 * keeps reconcile's signed arithmetic far from overflow).
		 */
		"counts 4294967296 281474976710656 64 64 1 : tunables 0 0 0 "
		": slabdata 4294967296 281474976710656 0\n"
		"counts-2^48+1 1 281474976710657 64 64 1 : tunables 0 0 0 "
		": slabdata 1 1 0\n";
	struct slabinfo si;

	CHECK_INT(parse_str(text, &si), ==, 0);
	/* "fits" and "counts"; four u32 overflows and one count over 2^48 are bad. */
	CHECK_INT(si.n, ==, 2);
	CHECK_INT(si.bad_lines, ==, 5);
	CHECK_ENTRY(slabinfo__find(&si, "fits"), "fits", 1, 1, 4294967295u, 1, 1,
		    1, 1);
	CHECK_ENTRY(slabinfo__find(&si, "counts"), "counts", 4294967296ull,
		    281474976710656ull, 64, 64, 1, 4294967296ull,
		    281474976710656ull);
	CHECK(!slabinfo__find(&si, "size-2^32"));
	CHECK(!slabinfo__find(&si, "size-big"));
	CHECK(!slabinfo__find(&si, "per-2^32"));
	CHECK(!slabinfo__find(&si, "pages-2^32"));
	slabinfo__free(&si);
}

/*
 * slabinfo.c: "Input may be hostile (recordings): every line is bounded
 * and checked, a bad line is counted and skipped."  The kernel prints
 * unsigned decimals that fit their counters; a sign, or a count beyond
 * 2^64 - 1, is not something it writes.
 */
TEST(hostile_numbers)
{
	static const char *const bad[] = {
		/* a negative count */
		"neg-active -1 1 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n",
		"neg-slabs 1 1 64 64 1 : tunables 0 0 0 : slabdata -5 1 0\n",
		/* strtoull() wraps "-18446744073709551615" to 1 */
		"neg-size 1 1 -18446744073709551615 64 1 : tunables 0 0 0 : "
		"slabdata 1 1 0\n",
		/* 2^64: beyond u64 */
		"huge 18446744073709551616 1 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n",
	};
	char text[256];
	struct slabinfo si;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), HDR "%s", bad[i]);
		CHECK_INT(parse_str(text, &si), ==, 0);
		if (si.n || si.bad_lines != 1)
			T_FAIL("\"%.*s\": %zu entries (active_objs %llu, "
			       "objsize %u), %zu bad lines; want 0 and 1",
			       (int)strlen(bad[i]) - 1, bad[i], si.n,
			       si.n ? (unsigned long long)si.e[0].active_objs : 0,
			       si.n ? si.e[0].objsize : 0, si.bad_lines);
		slabinfo__free(&si);
	}
}

/* More lines than the first allocation holds: every one kept, in order. */
TEST(many_lines)
{
	const size_t n = 1000;
	size_t cap = 64 + n * 80, len, i;
	char *text = malloc(cap);
	struct slabinfo si;
	bool ok = true;

	if (!text) {
		T_FAIL("out of memory");
		return;
	}
	len = snprintf(text, cap, HDR);
	for (i = 0; i < n; i++)
		len += snprintf(text + len, cap - len, "cache-%zu %zu %zu 64 64 1 : "
				"tunables 0 0 0 : slabdata %zu %zu 0\n", i, i, 2 * i,
				i / 64, i / 64 + 1);
	CHECK_INT(slabinfo__parse(text, len, &si), ==, 0);
	CHECK_INT(si.n, ==, n);
	CHECK_INT(si.bad_lines, ==, 0);
	for (i = 0; i < si.n && ok; i++) {
		char name[32];

		snprintf(name, sizeof(name), "cache-%zu", i);
		ok = !strcmp(si.e[i].name, name) && si.e[i].active_objs == i &&
		     si.e[i].num_objs == 2 * i && si.e[i].active_slabs == i / 64 &&
		     si.e[i].num_slabs == i / 64 + 1;
		if (!ok)
			T_FAIL("entry %zu: %s %llu %llu", i, si.e[i].name,
			       (unsigned long long)si.e[i].active_objs,
			       (unsigned long long)si.e[i].num_objs);
	}
	/* The last one, found by name. */
	CHECK(slabinfo__find(&si, "cache-999") == &si.e[n - 1]);
	slabinfo__free(&si);
	free(text);
}

int main(void)
{
	t_suite = "slabinfo";
	RUN(fixture_6_18);
	RUN(fixture_6_1);
	RUN(fixture_6_12);
	RUN(find);
	RUN(header);
	RUN(header_exact_version);
	RUN(malformed_lines);
	RUN(tunables_and_crlf);
	RUN(long_line);
	RUN(no_trailing_newline);
	RUN(u32_fields);
	RUN(hostile_numbers);
	RUN(many_lines);
	return test_done();
}
