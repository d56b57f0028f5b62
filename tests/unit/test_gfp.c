// SPDX-License-Identifier: GPL-2.0
/*
 * test_gfp.c - unit tests for src/gfp.c: the exact names of common gfp
 * masks (composites before single bits, as the kernel's show_gfp_flags()
 * prints them), version-dependent high bits as hex, and snprintf-style
 * behaviour with small buffers: never a byte past len, always terminated,
 * and the return value is the length the whole string needs.
 */
#include <stdlib.h>

#include "gfp.h"
#include "test.h"

struct gfp_case {
	uint32_t gfp;
	const char *want;
};

static const struct gfp_case cases[] = {
	{ 0, "0" },
	{ 0xcc0, "GFP_KERNEL" },		/* IO|FS|DIRECT|KSWAPD */
	{ 0x400cc0, "GFP_KERNEL_ACCOUNT" },	/* GFP_KERNEL|__GFP_ACCOUNT */
	{ 0xdc0, "GFP_KERNEL|__GFP_ZERO" },	/* kzalloc */
	{ 0x820, "GFP_ATOMIC" },		/* HIGH|KSWAPD (6.3+) */
	{ 0xa20, "GFP_ATOMIC" },		/* with __GFP_ATOMIC (<= 6.2) */
	{ 0x2800, "GFP_NOWAIT" },		/* KSWAPD|NOWARN (6.7+) */
	{ 0x800, "GFP_NOWAIT" },		/* KSWAPD only (older) */
	{ 0x102cc0, "GFP_USER|__GFP_NOWARN" },	/* HARDWALL|GFP_KERNEL|NOWARN */
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE" },
	{ 0xc40, "GFP_NOFS" },
	{ 0xc00, "GFP_NOIO" },
	{ 0x1, "__GFP_DMA" },
	/* GFP_KERNEL with RECLAIMABLE and ACCOUNT: the largest name first. */
	{ 0x400cd0, "GFP_KERNEL_ACCOUNT|__GFP_RECLAIMABLE" },
	/* Bit 24 and up depend on version and config: hex. */
	{ 0x1000000, "0x1000000" },
	{ 0xcc0 | 0x1000000, "GFP_KERNEL|0x1000000" },
	{ 0x80000000u, "0x80000000" },
	/* Single bits that make up no composite, lowest first. */
	{ 0x3, "__GFP_DMA|__GFP_HIGHMEM" },
	{ 0x800000, "__GFP_ZEROTAGS" },		/* bit 23, the last named */
};

TEST(names)
{
	char buf[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n;

		memset(buf, 'x', sizeof(buf));
		n = gfp_format(cases[i].gfp, buf, sizeof(buf));
		if (strcmp(buf, cases[i].want))
			T_FAIL("%#x: \"%s\", want \"%s\"", cases[i].gfp, buf,
			       cases[i].want);
		/* The return value is the length written. */
		CHECK_INT(n, ==, strlen(cases[i].want));
	}
}

/* Every bit 0-23 alone has a __GFP_ name; together they name them all. */
TEST(all_named_bits)
{
	char buf[1024];
	int n;

	for (int b = 0; b < 24; b++) {
		n = gfp_format(1u << b, buf, sizeof(buf));
		CHECK(!strncmp(buf, "__GFP_", 6) || !strncmp(buf, "GFP_", 4));
		CHECK_INT(n, ==, strlen(buf));
		CHECK(!strchr(buf, '|'));	/* one bit, one name */
	}
	/* All 32 bits: names for 0-23 and one hex tail for 24-31. */
	n = gfp_format(0xffffffffu, buf, sizeof(buf));
	CHECK_INT(n, ==, strlen(buf));
	CHECK(strstr(buf, "|0xff000000"));
	CHECK_INT(strlen(strstr(buf, "|0xff000000")), ==, 11);	/* at the end */
	CHECK(strstr(buf, "GFP_HIGHUSER_MOVABLE|") == buf);	/* largest first */
}

/*
 * A buffer of 5 bytes inside a larger canary-filled array: nothing past
 * the 5th byte may change, the 5 hold a terminated prefix, and the return
 * value is what a big enough buffer would have taken.
 */
static void check_small(uint32_t gfp, size_t len)
{
	char big[256], want[256];
	char *area = malloc(len + 16);
	int need = gfp_format(gfp, big, sizeof(big)), n;

	if (!area) {
		T_FAIL("out of memory");
		return;
	}
	memset(area, '#', len + 16);
	n = gfp_format(gfp, area, len);
	for (size_t i = len; i < len + 16; i++)
		if (area[i] != '#') {
			T_FAIL("%#x, len %zu: byte %zu written", gfp, len, i);
			break;
		}
	/* What snprintf() would leave: the first len - 1 bytes. */
	snprintf(want, len, "%s", big);
	if (len && memcmp(area, want, len))
		T_FAIL("%#x, len %zu: \"%.*s\", want \"%s\"", gfp, len,
		       (int)len, area, want);
	if (n != need)
		T_FAIL("%#x, len %zu: returned %d, want %d (\"%s\")", gfp, len,
		       n, need, big);
	free(area);
}

TEST(small_buffer)
{
	/* One name longer than the buffer: GFP_KERNEL is 10. */
	check_small(0xcc0, 5);
	check_small(0, 1);		/* "0" needs 2 with its NUL */
	check_small(0x1000000, 5);	/* hex only */
	/* The first name fits, the second does not. */
	check_small(0xdc0, 12);
}

/* The return value counts what did not fit, all of it. */
TEST(small_buffer_full_length)
{
	/* "GFP_KERNEL|__GFP_ZERO" is 21: a 5-byte buffer still says 21. */
	check_small(0xdc0, 5);
	/* "GFP_KERNEL|0x1000000" is 20. */
	check_small(0xcc0 | 0x1000000, 5);
	check_small(0x102cc0, 8);	/* "GFP_USER|__GFP_NOWARN", 21 */
}

int main(void)
{
	t_suite = "gfp";
	RUN(names);
	RUN(all_named_bits);
	RUN(small_buffer);
	RUN(small_buffer_full_length);
	return test_done();
}
