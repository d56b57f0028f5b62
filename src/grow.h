/* SPDX-License-Identifier: GPL-2.0 */
/*
 * grow.h - the one way a dynamic array grows: capacity doubles (from a
 * first size) until it holds what is needed, the counts are checked for
 * overflow, and the new slots are zeroed, so an appended element starts as
 * calloc() would leave it.  Pure; hash tables rehash on their own.
 */
#ifndef KMS_GROW_H
#define KMS_GROW_H

#include <stddef.h>

/*
 * Make *arr (of *cap elements of elem bytes) hold at least need elements:
 * nothing when it does, else the capacity doubles from max(*cap, first)
 * and the new tail is zeroed.  Returns 0, -EINVAL (elem 0), -EOVERFLOW
 * (the count or its size in bytes would not fit a size_t) or -ENOMEM;
 * on failure *arr and *cap are as they were.
 */
int kms_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t first);

#endif /* KMS_GROW_H */
