// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c.c - CRC-32C, reflected, polynomial 0x82f63b78: the SSE4.2 crc32
 * instruction where the CPU has it (chosen once), else a byte table.
 * Both are set up under pthread_once(): any thread may checksum first.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "crc32c.h"

#define CRC32C_POLY	0x82f63b78u
#define CRC32C_TABLE	256

static uint32_t table[CRC32C_TABLE];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
	uint32_t i, c;
	int k;

	for (i = 0; i < CRC32C_TABLE; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		table[i] = c;
	}
}

static uint32_t crc32c_sw(uint32_t crc, const unsigned char *p, size_t len)
{
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc, v;

	while (len >= sizeof(v)) {
		memcpy(&v, p, sizeof(v));
		c = __builtin_ia32_crc32di(c, v);
		p += sizeof(v);
		len -= sizeof(v);
	}
	while (len--)
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
	return (uint32_t)c;
}
#endif

static uint32_t (*impl)(uint32_t, const unsigned char *, size_t);

static void choose(void)
{
	table_init();
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sse4.2")) {
		impl = crc32c_sse42;
		return;
	}
#endif
	impl = crc32c_sw;
}

bool crc32c_hw(void)
{
	pthread_once(&once, choose);
	return impl != crc32c_sw;
}

uint32_t crc32c(uint32_t crc, const void *data, size_t len)
{
	pthread_once(&once, choose);
	return ~impl(~crc, data, len);
}

uint32_t crc32c_table(uint32_t crc, const void *data, size_t len)
{
	pthread_once(&once, choose);
	return ~crc32c_sw(~crc, data, len);
}
