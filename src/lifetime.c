// SPDX-License-Identifier: GPL-2.0
/*
 * lifetime.c - see lifetime.h.  The bounds are powers of two of a
 * microsecond: exact, cheap to find (one clz per free on the collector's
 * hot path), and wide enough that a quantile is never claimed more
 * precisely than the histogram knows it.
 */
#include <stdio.h>

#include "lifetime.h"

#define US_PER_MS	1000ULL
#define US_PER_S	1000000ULL
#define US_PER_MIN	(60 * US_PER_S)
#define US_PER_H	(60 * US_PER_MIN)

void lifetime__merge(struct kms_lifetime *dst, const struct kms_lifetime *src)
{
	unsigned int i;

	for (i = 0; i < KMS_LT_BUCKETS; i++)
		dst->n[i] += src->n[i];
}

uint64_t lifetime__total(const struct kms_lifetime *h)
{
	uint64_t t = 0;
	unsigned int i;

	for (i = 0; i < KMS_LT_BUCKETS; i++)
		t += h->n[i];
	return t;
}

uint64_t lifetime__lo(unsigned int b)
{
	return b ? 1ULL << (b - 1) : 0;
}

uint64_t lifetime__hi(unsigned int b)
{
	return b >= KMS_LT_LAST ? UINT64_MAX : 1ULL << b;
}

int lifetime__quantile(const struct kms_lifetime *h, double q)
{
	uint64_t total = lifetime__total(h), cum = 0;
	unsigned int i;

	if (!total)
		return -1;
	for (i = 0; i < KMS_LT_BUCKETS; i++) {
		cum += h->n[i];
		/* cum / total >= q, without rounding q * total */
		if (h->n[i] && (double)cum >= q * (double)total)
			return i;
	}
	return KMS_LT_LAST;
}

int lifetime__max(const struct kms_lifetime *h)
{
	int i;

	for (i = KMS_LT_LAST; i >= 0; i--)
		if (h->n[i])
			return i;
	return -1;
}

/* Two significant digits of v / unit, then the unit's name. */
static void fmt_unit(uint64_t v, uint64_t unit, const char *name, char *buf, size_t len)
{
	double x = (double)v / (double)unit;

	if (x < 9.95)
		snprintf(buf, len, "%.1f%s", x, name);
	else
		snprintf(buf, len, "%.0f%s", x, name);
}

void lifetime__fmt_us(uint64_t us, char *buf, size_t len)
{
	if (us < US_PER_MS)
		snprintf(buf, len, "%lluus", (unsigned long long)us);
	else if (us < US_PER_S)
		fmt_unit(us, US_PER_MS, "ms", buf, len);
	else if (us < US_PER_MIN)
		fmt_unit(us, US_PER_S, "s", buf, len);
	else if (us < US_PER_H)
		fmt_unit(us, US_PER_MIN, "min", buf, len);
	else
		fmt_unit(us, US_PER_H, "h", buf, len);
}

void lifetime__fmt_bucket(unsigned int b, char *buf, size_t len)
{
	char v[16];

	if (b >= KMS_LT_LAST) {
		lifetime__fmt_us(lifetime__lo(KMS_LT_LAST), v, sizeof(v));
		snprintf(buf, len, ">=%s", v);
		return;
	}
	lifetime__fmt_us(lifetime__hi(b), v, sizeof(v));
	snprintf(buf, len, "<%s", v);
}
