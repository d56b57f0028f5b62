// SPDX-License-Identifier: GPL-2.0
/*
 * test_gfp_parse.c - unit tests for gfp_parse() in src/gfp.c: composite
 * and single flag names with their 6.7+ values (docs/slub.md §4.1-§4.2), hex and
 * decimal numbers, '|' with and without spaces, and every kind of error
 * with the offset of the offending token.  Also that what gfp_format()
 * prints parses back to the same mask.
 */
#include <errno.h>

#include "gfp.h"
#include "test.h"

struct ok_case {
	const char *expr;
	uint32_t want;
};

static const struct ok_case ok_cases[] = {
	/* Composites (6.18 values). */
	{ "GFP_KERNEL", 0xcc0 },		/* DIRECT|KSWAPD|IO|FS */
	{ "GFP_KERNEL_ACCOUNT", 0x400cc0 },	/* GFP_KERNEL|__GFP_ACCOUNT */
	{ "GFP_ATOMIC", 0x820 },		/* HIGH|KSWAPD, 6.3+ (0xa20 before) */
	{ "GFP_NOWAIT", 0x2800 },		/* KSWAPD|NOWARN, 6.7+ (0x800 before) */
	{ "GFP_NOIO", 0xc00 },			/* __GFP_RECLAIM */
	{ "GFP_NOFS", 0xc40 },			/* __GFP_RECLAIM|IO */
	{ "GFP_USER", 0x100cc0 },		/* GFP_KERNEL|HARDWALL */
	{ "GFP_DMA", 0x1 },
	{ "GFP_DMA32", 0x4 },
	{ "GFP_HIGHUSER_MOVABLE", 0x100cca },	/* GFP_USER|HIGHMEM|MOVABLE */
	{ "__GFP_RECLAIM", 0xc00 },		/* DIRECT|KSWAPD */
	/* Single bits, first, middle and last named. */
	{ "__GFP_DMA", 0x1 },
	{ "__GFP_RECLAIMABLE", 0x10 },
	{ "__GFP_ATOMIC", 0x200 },		/* bit 9, <= 6.2 only */
	{ "__GFP_NOWARN", 0x2000 },
	{ "__GFP_ACCOUNT", 0x400000 },
	{ "__GFP_ZEROTAGS", 0x800000 },		/* bit 23 */
	/* Combinations. */
	{ "GFP_KERNEL|__GFP_ZERO", 0xdc0 },	/* kzalloc */
	{ "GFP_KERNEL | __GFP_ZERO", 0xdc0 },	/* spaces around '|' */
	{ "  GFP_KERNEL_ACCOUNT|__GFP_RECLAIMABLE  ", 0x400cd0 },	/* __d_alloc */
	{ "GFP_USER|__GFP_NOWARN", 0x102cc0 },	/* memdup_user */
	{ "GFP_KERNEL|GFP_KERNEL", 0xcc0 },	/* repeats are harmless */
	{ "\tGFP_ATOMIC\t|\t__GFP_NOWARN", 0x2820 },	/* tabs */
	/* Numbers. */
	{ "0xcc0", 0xcc0 },
	{ "0XCC0", 0xcc0 },			/* 0X and upper-case digits */
	{ "3264", 0xcc0 },			/* decimal */
	{ "0", 0 },
	{ "010", 10 },				/* decimal, not octal */
	{ "0xffffffff", 0xffffffff },		/* the largest */
	{ "4294967295", 0xffffffff },
	{ "GFP_KERNEL|0x1000000", 0x1000cc0 },	/* bit 24: version-dependent, by number */
	{ "0x400000 | 0xcc0 | 16", 0x400cd0 },
};

TEST(accepts)
{
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		uint32_t got = 0xdeadbeef;
		size_t pos = 777;
		int err = gfp_parse(ok_cases[i].expr, &got, &pos);

		if (err || got != ok_cases[i].want)
			T_FAIL("\"%s\": %d %#x, want %#x", ok_cases[i].expr, err, got,
			       ok_cases[i].want);
		CHECK_INT(pos, ==, 777);	/* err_pos is only for errors */
	}
}

/* err_pos may be NULL. */
TEST(null_err_pos)
{
	uint32_t got = 0;

	CHECK_INT(gfp_parse("GFP_NOFS", &got, NULL), ==, 0);
	CHECK_U64(got, 0xc40);
	CHECK_INT(gfp_parse("nope", &got, NULL), ==, -EINVAL);
	CHECK_U64(got, 0xc40);		/* untouched on error */
}

struct bad_case {
	const char *expr;
	size_t pos;
};

static const struct bad_case bad_cases[] = {
	{ "", 0 },				/* empty */
	{ "   ", 3 },				/* only spaces: the term was due at 3 */
	{ "GFP_KERNEL|", 11 },			/* trailing '|': missing term at the end */
	{ "GFP_KERNEL | ", 13 },
	{ "|GFP_KERNEL", 0 },			/* leading '|' */
	{ "GFP_KERNEL||__GFP_ZERO", 11 },	/* doubled '|' */
	{ "gfp_kernel", 0 },			/* names are case-sensitive */
	{ "GFP_KERNEL|__GFP_ZER0", 11 },	/* unknown name (zero, not O) */
	{ "GFP_KERNEL | GFP_BOGUS", 13 },
	{ "GFP_KERNEL GFP_ATOMIC", 11 },	/* no '|' between terms */
	{ "GFP_KERNEL+__GFP_ZERO", 10 },	/* not an operator */
	{ "0x100000000", 0 },			/* 33 bits */
	{ "GFP_KERNEL|4294967296", 11 },	/* 2^32 */
	{ "0x", 0 },				/* no hex digits */
	{ "0xcg0", 0 },				/* not hex */
	{ "12abc", 0 },				/* not decimal */
	{ "-1", 0 },				/* no signs */
	{ "GFP_KERNEL & ~__GFP_FS", 11 },	/* no other operators */
	{ "__GFP_NO_OBJ_EXT", 0 },		/* bit 24: no name, config-dependent */
	{ "__GFP_SKIP_KASAN", 0 },
};

TEST(rejects)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		uint32_t got = 0x5a5a;
		size_t pos = 999;
		int err = gfp_parse(bad_cases[i].expr, &got, &pos);

		if (err != -EINVAL || pos != bad_cases[i].pos)
			T_FAIL("\"%s\": %d at %zu, want -EINVAL at %zu", bad_cases[i].expr, err,
			       pos, bad_cases[i].pos);
		CHECK_U64(got, 0x5a5a);	/* *out untouched on error */
	}
	CHECK_INT(gfp_parse(NULL, &(uint32_t){ 0 }, NULL), ==, -EINVAL);
	CHECK_INT(gfp_parse("GFP_KERNEL", NULL, NULL), ==, -EINVAL);
}

/* What gfp_format() prints parses back to the same mask, but for the old values. */
TEST(round_trip)
{
	static const uint32_t masks[] = {
		0xcc0, 0x400cc0, 0x400cd0, 0x102cc0, 0x100cca, 0x820, 0x2800, 0xc40, 0xc00,
		0x3, 0xdc0, 0xffffff, 0x1000cc0, 0xffffffff,
	};
	char buf[1024];

	for (int b = 0; b < 32; b++) {
		uint32_t got = 0;

		/* Bit 11 alone prints as the <= 6.6 GFP_NOWAIT: see legacy_values. */
		if (b == 11)
			continue;
		gfp_format(1u << b, buf, sizeof(buf));
		if (gfp_parse(buf, &got, NULL) || got != 1u << b)
			T_FAIL("bit %d: \"%s\" -> %#x", b, buf, got);
	}
	for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		uint32_t got = 0;

		gfp_format(masks[i], buf, sizeof(buf));
		if (gfp_parse(buf, &got, NULL) || got != masks[i])
			T_FAIL("%#x: \"%s\" -> %#x", masks[i], buf, got);
	}
}

/*
 * Old kernels' values print with the same names but parse to the 6.7+
 * ones: gfp_format(0xa20) is "GFP_ATOMIC", which is 0x820 today.
 */
TEST(legacy_values)
{
	char buf[64];
	uint32_t got = 0;

	gfp_format(0xa20, buf, sizeof(buf));
	CHECK_STR(buf, "GFP_ATOMIC");
	CHECK_INT(gfp_parse(buf, &got, NULL), ==, 0);
	CHECK_U64(got, 0x820);
	gfp_format(0x800, buf, sizeof(buf));
	CHECK_STR(buf, "GFP_NOWAIT");
	CHECK_INT(gfp_parse(buf, &got, NULL), ==, 0);
	CHECK_U64(got, 0x2800);
	/* The old masks are still reachable by bits. */
	CHECK_INT(gfp_parse("GFP_ATOMIC|__GFP_ATOMIC", &got, NULL), ==, 0);
	CHECK_U64(got, 0xa20);
	CHECK_INT(gfp_parse("__GFP_KSWAPD_RECLAIM", &got, NULL), ==, 0);
	CHECK_U64(got, 0x800);
}

int main(void)
{
	t_suite = "gfp_parse";
	RUN(accepts);
	RUN(null_err_pos);
	RUN(rejects);
	RUN(round_trip);
	RUN(legacy_values);
	return test_done();
}
