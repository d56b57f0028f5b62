/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crc32c.h - CRC-32C (Castagnoli, the iSCSI/ext4/btrfs polynomial), the
 * checksum of the sections of a version 2 recording.  The x86-64 SSE4.2
 * crc32 instruction computes it at several GB/s; zlib's crc32() (a
 * different polynomial, in software) cost 15 % of a replay.  Other CPUs
 * get a table-driven fallback with the same result.
 */
#ifndef KMS_CRC32C_H
#define KMS_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * CRC-32C of len bytes, continuing from crc (0 to start): the standard
 * check value, crc32c(0, "123456789", 9), is 0xe3069283.
 */
uint32_t crc32c(uint32_t crc, const void *data, size_t len);

/* The same, always from the table (what CPUs without SSE4.2 run). */
uint32_t crc32c_table(uint32_t crc, const void *data, size_t len);

/* True when crc32c() runs on the CPU's own instruction. */
bool crc32c_hw(void);

#endif /* KMS_CRC32C_H */
