// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c.c - CRC-32C, reflected, polynomial 0x82f63b78: the SSE4.2 crc32
 * instruction where the CPU has it (chosen once), else a byte table.
 * Both are set up under pthread_once(): any thread may checksum first.
 *
 * The instruction takes three cycles and can start one every cycle, so a
 * buffer is checksummed as three lanes at once and the lanes' registers
 * joined: a register carried over n zero bytes is multiplied by x^(8n)
 * mod P, and the register of A then B is that of A carried over |B|
 * zeros, xor that of B from 0 (the CRC is linear over GF(2)).
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
/*
 * a(x) b(x) mod P, both reflected (bit 31 holds x^0): b times each power
 * of x that a has, b multiplied by x (a shift right, P folded in when
 * x^31 goes out) between them.
 */
static uint32_t gf2_mulmod(uint32_t a, uint32_t b)
{
	uint32_t bit, r = 0;

	for (bit = 1u << 31; bit; bit >>= 1) {
		if (a & bit)
			r ^= b;
		b = b & 1 ? (b >> 1) ^ CRC32C_POLY : b >> 1;
	}
	return r;
}

/* x^(8 n) mod P: what carrying a register over n zero bytes multiplies it by. */
static uint32_t zeros_factor(size_t n)
{
	uint32_t f = 1u << 31;	/* x^0 */
	size_t i;

	for (i = 0; i < 8 * n; i++)	/* times x, as in gf2_mulmod() */
		f = f & 1 ? (f >> 1) ^ CRC32C_POLY : f >> 1;
	return f;
}

/* One lane's bytes; a multiple of 8.  Three lanes stay within L1. */
#define CRC32C_LANE	4096
static uint32_t lane1, lane2;	/* zeros_factor() of one and of two lanes */

__attribute__((target("sse4.2")))
static uint64_t crc32c_words(uint64_t c, const unsigned char *p, size_t len)
{
	uint64_t v;

	while (len >= sizeof(v)) {
		memcpy(&v, p, sizeof(v));
		c = __builtin_ia32_crc32di(c, v);
		p += sizeof(v);
		len -= sizeof(v);
	}
	while (len--)
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
	return c;
}

__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t a = crc, b, c, va, vb, vc;
	size_t i;

	while (len >= 3 * CRC32C_LANE) {
		b = c = 0;
		for (i = 0; i < CRC32C_LANE; i += sizeof(va)) {
			memcpy(&va, p + i, sizeof(va));
			memcpy(&vb, p + CRC32C_LANE + i, sizeof(vb));
			memcpy(&vc, p + 2 * CRC32C_LANE + i, sizeof(vc));
			a = __builtin_ia32_crc32di(a, va);
			b = __builtin_ia32_crc32di(b, vb);
			c = __builtin_ia32_crc32di(c, vc);
		}
		a = gf2_mulmod(lane2, (uint32_t)a) ^ gf2_mulmod(lane1, (uint32_t)b) ^ c;
		p += 3 * CRC32C_LANE;
		len -= 3 * CRC32C_LANE;
	}
	return (uint32_t)crc32c_words(a, p, len);
}
#endif

static uint32_t (*impl)(uint32_t, const unsigned char *, size_t);

static void choose(void)
{
	table_init();
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sse4.2")) {
		lane1 = zeros_factor(CRC32C_LANE);
		lane2 = gf2_mulmod(lane1, lane1);	/* x^(16 n) = (x^(8 n))^2 */
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
