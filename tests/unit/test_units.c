// SPDX-License-Identifier: GPL-2.0
/*
 * test_units.c - unit tests for src/units.c: kms_human_bytes() is what
 * every text report (stat, top, membill, findings, html) prints for a
 * size, so its exact strings matter.  Covered: plain bytes below 1 KiB,
 * each unit change at exactly 1024 of the unit below, one-decimal
 * rounding, TiB as the largest unit up to UINT64_MAX, and a caller's
 * buffer too small for the text (truncated, still terminated).
 *
 * One test, never_1024_of_a_unit, states how it should behave and fails
 * against the current code: a value just under a unit boundary rounds to
 * "1024.0 KiB" instead of moving on to "1.0 MiB".
 */
#include <stdint.h>
#include <string.h>

#include "units.h"
#include "test.h"

#define KIB		1024ull
#define MIB		(KIB * KIB)
#define GIB		(MIB * KIB)
#define TIB		(GIB * KIB)
/* What the report writers pass (report_html.c uses 32). */
#define HB_LEN		32
/* Marks bytes kms_human_bytes() must not have written. */
#define SENTINEL	'#'

/* A macro so a failure names the caller's line and value. */
#define CHECK_HUMAN(v, want)                                             \
	do {                                                             \
		char _hb[HB_LEN];                                        \
		CHECK_STR(kms_human_bytes((v), _hb, sizeof(_hb)), (want)); \
	} while (0)

TEST(plain_bytes)
{
	CHECK_HUMAN(0, "0 B");
	CHECK_HUMAN(1, "1 B");
	CHECK_HUMAN(100, "100 B");
	/* binary units: 1000 is not yet a kilo */
	CHECK_HUMAN(1000, "1000 B");
	CHECK_HUMAN(KIB - 1, "1023 B");
}

TEST(unit_changes)
{
	CHECK_HUMAN(KIB, "1.0 KiB");
	CHECK_HUMAN(MIB, "1.0 MiB");
	CHECK_HUMAN(GIB, "1.0 GiB");
	CHECK_HUMAN(TIB, "1.0 TiB");
	/* one whole unit of the smaller size below each boundary */
	CHECK_HUMAN(MIB - KIB, "1023.0 KiB");
	CHECK_HUMAN(GIB - MIB, "1023.0 MiB");
	CHECK_HUMAN(TIB - GIB, "1023.0 GiB");
}

TEST(one_decimal)
{
	/* the header's own example */
	CHECK_HUMAN(KIB + KIB / 2, "1.5 KiB");
	/* 1075 B = 1.0498 KiB rounds down, 1076 B = 1.0508 KiB up */
	CHECK_HUMAN(1075, "1.0 KiB");
	CHECK_HUMAN(1076, "1.1 KiB");
	CHECK_HUMAN(10 * MIB + MIB / 2, "10.5 MiB");
	CHECK_HUMAN(2 * GIB + GIB / 2, "2.5 GiB");
	CHECK_HUMAN(3 * TIB + TIB / 4 + TIB / 20, "3.3 TiB");
	/* 1048524 B = 1023.949 KiB: the last value still under 1023.95 */
	CHECK_HUMAN(1048524, "1023.9 KiB");
}

TEST(tib_is_the_largest_unit)
{
	/* no PiB: past 1024 TiB the number simply grows */
	CHECK_HUMAN(KIB * TIB, "1024.0 TiB");
	CHECK_HUMAN(4 * KIB * TIB, "4096.0 TiB");
	/* 2^64 - 1 converts to 2^64 as a double: 2^24 TiB */
	CHECK_HUMAN(UINT64_MAX, "16777216.0 TiB");
}

/*
 * BUG: 1048525 B is 1023.95 KiB, which "%.1f" rounds to "1024.0 KiB"; a
 * reader expects the next unit, as for 1048576.  units.c picks the unit
 * before rounding, so every value in [1023.95, 1024) of a unit prints as
 * 1024.0 of it.  These checks are how it should behave.
 */
TEST(never_1024_of_a_unit)
{
	CHECK_HUMAN(1048525, "1.0 MiB");
	CHECK_HUMAN(MIB - 1, "1.0 MiB");
	CHECK_HUMAN(GIB - 1, "1.0 GiB");
	CHECK_HUMAN(TIB - 1, "1.0 TiB");
}

TEST(returns_buf)
{
	char buf[HB_LEN];

	CHECK(kms_human_bytes(0, buf, sizeof(buf)) == buf);
	CHECK(kms_human_bytes(GIB, buf, sizeof(buf)) == buf);
}

/* A short buffer gets the text's first len - 1 bytes and a terminator. */
TEST(truncated)
{
	char buf[HB_LEN];

	memset(buf, SENTINEL, sizeof(buf));
	CHECK_STR(kms_human_bytes(KIB + KIB / 2, buf, 4), "1.5");
	CHECK_INT(buf[4], ==, SENTINEL);
	memset(buf, SENTINEL, sizeof(buf));
	CHECK_STR(kms_human_bytes(KIB - 1, buf, 3), "10");
	CHECK_INT(buf[3], ==, SENTINEL);
	memset(buf, SENTINEL, sizeof(buf));
	CHECK_STR(kms_human_bytes(UINT64_MAX, buf, 1), "");
	CHECK_INT(buf[1], ==, SENTINEL);
	/* exactly long enough: "1023 B" is 6 bytes plus the terminator */
	CHECK_STR(kms_human_bytes(KIB - 1, buf, strlen("1023 B") + 1), "1023 B");
}

/* len 0: nothing written at all, not even a terminator. */
TEST(zero_len)
{
	char buf[HB_LEN];

	memset(buf, SENTINEL, sizeof(buf));
	CHECK(kms_human_bytes(MIB, buf, 0) == buf);
	CHECK_INT(buf[0], ==, SENTINEL);
	CHECK(kms_human_bytes(1, buf, 0) == buf);
	CHECK_INT(buf[0], ==, SENTINEL);
}

int main(void)
{
	t_suite = "units";
	RUN(plain_bytes);
	RUN(unit_changes);
	RUN(one_decimal);
	RUN(tib_is_the_largest_unit);
	RUN(never_1024_of_a_unit);
	RUN(returns_buf);
	RUN(truncated);
	RUN(zero_len);
	return test_done();
}
