/* SPDX-License-Identifier: GPL-2.0 */
/* units.h - sizes as people read them in text reports ("1.5 KiB"). */
#ifndef KMS_UNITS_H
#define KMS_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* 1536 -> "1.5 KiB", 100 -> "100 B"; returns buf. */
const char *kms_human_bytes(uint64_t v, char *buf, size_t len);

#endif /* KMS_UNITS_H */
