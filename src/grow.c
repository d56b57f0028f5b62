// SPDX-License-Identifier: GPL-2.0
/*
 * grow.c - see grow.h.  Doubling keeps appends amortised O(1); zeroing
 * only what is new costs no more than the realloc() that copies the rest.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int kms_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t first)
{
	size_t ncap = *cap > first ? *cap : first;
	void *p;

	if (need <= *cap)
		return 0;
	if (!elem)
		return -EINVAL;
	if (!ncap)
		ncap = 1;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -EOVERFLOW;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elem)
		return -EOVERFLOW;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}
