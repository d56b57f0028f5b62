/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lifetime.h - object lifetimes (allocation to free) as log2 histograms
 * in microseconds: bucket 0 holds lifetimes under 1 us, bucket k (1..32)
 * those in [2^(k-1), 2^k) us, the last those of 2^32 us (71.6 min) and
 * more.  One histogram per call site and per cache, so the collector's
 * memory grows with sites, never with objects.  Pure: the quantiles,
 * bucket bounds and their human labels are defined here and nowhere else.
 */
#ifndef KMS_LIFETIME_H
#define KMS_LIFETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KMS_LT_BUCKETS	34
/* The last bucket: 2^32 us and longer ("over an hour"). */
#define KMS_LT_LAST	(KMS_LT_BUCKETS - 1)

struct kms_lifetime {
	uint64_t n[KMS_LT_BUCKETS];
};

/* The bucket of a lifetime of us microseconds. */
static inline unsigned int lifetime__bucket(uint64_t us)
{
	unsigned int b;

	if (!us)
		return 0;
	b = 64 - __builtin_clzll(us);
	return b < KMS_LT_LAST ? b : KMS_LT_LAST;
}

static inline void lifetime__add(struct kms_lifetime *h, uint64_t us)
{
	h->n[lifetime__bucket(us)]++;
}

void lifetime__merge(struct kms_lifetime *dst, const struct kms_lifetime *src);
uint64_t lifetime__total(const struct kms_lifetime *h);
/* Lower and upper bound of bucket b in us; the last bucket's upper is UINT64_MAX. */
uint64_t lifetime__lo(unsigned int b);
uint64_t lifetime__hi(unsigned int b);
/*
 * The bucket holding quantile q (0 < q <= 1) of the histogram: the first
 * whose cumulative count reaches q of the total; -1 when empty.
 */
int lifetime__quantile(const struct kms_lifetime *h, double q);
/* The highest non-empty bucket, -1 when empty. */
int lifetime__max(const struct kms_lifetime *h);
/*
 * A duration in us for people, two significant digits: "0us", "16us",
 * "1.0ms", "66ms", "4.3s", "18min", "1.2h".
 */
void lifetime__fmt_us(uint64_t us, char *buf, size_t len);
/* Bucket b as an upper bound for people: "<1us", "<16us", "<1.0ms", ">=1.2h". */
void lifetime__fmt_bucket(unsigned int b, char *buf, size_t len);

#endif /* KMS_LIFETIME_H */
