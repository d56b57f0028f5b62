// SPDX-License-Identifier: GPL-2.0
/*
 * test_lifetime.c - the lifetime histogram (src/lifetime.c): the bucket of
 * every power of two and its neighbours, the quantile rule (the first
 * bucket whose cumulative count reaches q of the total), the maximum,
 * merging, and the human forms of durations and bucket bounds.
 */
#include <stdint.h>
#include <string.h>

#include "lifetime.h"
#include "test.h"

TEST(buckets)
{
	unsigned int k;

	CHECK_INT(lifetime__bucket(0), ==, 0);
	CHECK_INT(lifetime__bucket(1), ==, 1);
	CHECK_INT(lifetime__bucket(2), ==, 2);
	CHECK_INT(lifetime__bucket(3), ==, 2);
	/* Bucket k holds [2^(k-1), 2^k): each bound lands where lo/hi say. */
	for (k = 1; k < KMS_LT_LAST; k++) {
		CHECK_INT(lifetime__bucket(lifetime__lo(k)), ==, k);
		CHECK_INT(lifetime__bucket(lifetime__hi(k) - 1), ==, k);
	}
	/* 2^32 us (71.6 min) and beyond: the last bucket. */
	CHECK_INT(lifetime__bucket(1ULL << 32), ==, KMS_LT_LAST);
	CHECK_INT(lifetime__bucket(UINT64_MAX), ==, KMS_LT_LAST);
	CHECK_U64(lifetime__lo(0), 0);
	CHECK_U64(lifetime__hi(0), 1);
	CHECK_U64(lifetime__hi(KMS_LT_LAST), UINT64_MAX);
}

TEST(quantiles)
{
	struct kms_lifetime h = { 0 }, m = { 0 };
	int i;

	CHECK_INT(lifetime__quantile(&h, 0.5), ==, -1);
	CHECK_INT(lifetime__max(&h), ==, -1);
	/* 50 at 10 us (bucket 4), 49 at 1 ms (bucket 10), 1 at 5 s (bucket 23). */
	for (i = 0; i < 50; i++)
		lifetime__add(&h, 10);
	for (i = 0; i < 49; i++)
		lifetime__add(&h, 1000);
	lifetime__add(&h, 5000000);
	CHECK_U64(lifetime__total(&h), 100);
	CHECK_INT(lifetime__quantile(&h, 0.5), ==, 4);
	CHECK_INT(lifetime__quantile(&h, 0.51), ==, 10);
	CHECK_INT(lifetime__quantile(&h, 0.99), ==, 10);
	CHECK_INT(lifetime__quantile(&h, 1), ==, 23);
	CHECK_INT(lifetime__max(&h), ==, 23);
	lifetime__merge(&m, &h);
	lifetime__merge(&m, &h);
	CHECK_U64(lifetime__total(&m), 200);
	CHECK_U64(m.n[4], 100);
}

TEST(formats)
{
	char b[32];

	lifetime__fmt_us(0, b, sizeof(b));
	CHECK_STR(b, "0us");
	lifetime__fmt_us(512, b, sizeof(b));
	CHECK_STR(b, "512us");
	lifetime__fmt_us(1024, b, sizeof(b));
	CHECK_STR(b, "1.0ms");
	lifetime__fmt_us(65536, b, sizeof(b));
	CHECK_STR(b, "66ms");
	lifetime__fmt_us(1ULL << 22, b, sizeof(b));
	CHECK_STR(b, "4.2s");
	lifetime__fmt_us(1ULL << 31, b, sizeof(b));
	CHECK_STR(b, "36min");
	lifetime__fmt_us(3ULL * 3600 * 1000000, b, sizeof(b));
	CHECK_STR(b, "3.0h");
	lifetime__fmt_bucket(0, b, sizeof(b));
	CHECK_STR(b, "<1us");
	lifetime__fmt_bucket(16, b, sizeof(b));
	CHECK_STR(b, "<66ms");
	lifetime__fmt_bucket(KMS_LT_LAST, b, sizeof(b));
	CHECK_STR(b, ">=1.2h");
}

int main(void)
{
	t_suite = "lifetime";
	RUN(buckets);
	RUN(quantiles);
	RUN(formats);
	return test_done();
}
