/* SPDX-License-Identifier: GPL-2.0 */
/* util.h - tiny helpers shared by userspace files; no logic lives here. */
#ifndef KMS_UTIL_H
#define KMS_UTIL_H

#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KMS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define KMS_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Fibonacci hashing of a kernel pointer or address; low 3 bits are zero. */
static inline uint64_t kms_hash64(uint64_t key)
{
	return (key >> 3) * 0x9E3779B97F4A7C15ULL;
}

#endif /* KMS_UTIL_H */
