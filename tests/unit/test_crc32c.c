// SPDX-License-Identifier: GPL-2.0
/*
 * test_crc32c.c - CRC-32C gives the standard check value and the values
 * of RFC 3720's test patterns, continues across calls, and the CPU's
 * instruction and the table agree on every length and alignment.
 */
#include <stdint.h>
#include <string.h>

#include "crc32c.h"
#include "test.h"

TEST(check_values)
{
	unsigned char buf[32];

	CHECK_U64(crc32c(0, "123456789", 9), 0xe3069283u);
	CHECK_U64(crc32c_table(0, "123456789", 9), 0xe3069283u);
	CHECK_U64(crc32c(0, "", 0), 0);
	/* RFC 3720, B.4: 32 bytes of zeros, of ones, ascending. */
	memset(buf, 0, sizeof(buf));
	CHECK_U64(crc32c(0, buf, sizeof(buf)), 0x8a9136aau);
	memset(buf, 0xff, sizeof(buf));
	CHECK_U64(crc32c(0, buf, sizeof(buf)), 0x62a8ab43u);
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	CHECK_U64(crc32c(0, buf, sizeof(buf)), 0x46dd794eu);
}

TEST(continues)
{
	CHECK_U64(crc32c(crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
	CHECK_U64(crc32c_table(crc32c(0, "12345", 5), "6789", 4), 0xe3069283u);
}

TEST(instruction_and_table_agree)
{
	unsigned char buf[300];
	unsigned int seed = 12345, off, len, bad = 0;

	if (!crc32c_hw())
		SKIP("no SSE4.2 here: crc32c() runs the table too");
	for (unsigned int i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	for (off = 0; off < 8; off++)
		for (len = 0; len + off <= sizeof(buf); len++)
			bad += crc32c(7, buf + off, len) != crc32c_table(7, buf + off, len);
	CHECK_INT(bad, ==, 0);
}

/*
 * Long buffers go through three lanes at once, joined by multiplying
 * registers mod P: every length around the lanes' rounds (3 x 4096 bytes)
 * and offset, against the table, and split across calls.
 */
TEST(lanes_joined)
{
	static unsigned char buf[3 * 3 * 4096 + 64];
	static const size_t lens[] = { 3 * 4096 - 1, 3 * 4096, 3 * 4096 + 1, 3 * 4096 + 8,
				       6 * 4096 - 8, 6 * 4096, 6 * 4096 + 7, 9 * 4096,
				       9 * 4096 + 63 };
	unsigned int seed = 777, bad = 0, split_bad = 0;
	size_t i, off;

	if (!crc32c_hw())
		SKIP("no SSE4.2 here: crc32c() runs the table too");
	for (i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		for (off = 0; off < 2; off++) {
			bad += crc32c(0, buf + off, lens[i]) != crc32c_table(0, buf + off, lens[i]);
			bad += crc32c(0x12345678, buf + off, lens[i]) !=
			       crc32c_table(0x12345678, buf + off, lens[i]);
			split_bad += crc32c(crc32c(0, buf + off, 5000), buf + off + 5000,
					    lens[i] - 5000) != crc32c_table(0, buf + off, lens[i]);
		}
	CHECK_INT(bad, ==, 0);
	CHECK_INT(split_bad, ==, 0);
	/* All zeros and all ones over several rounds: the factors alone. */
	memset(buf, 0, sizeof(buf));
	CHECK_U64(crc32c(0, buf, 9 * 4096), crc32c_table(0, buf, 9 * 4096));
	memset(buf, 0xff, sizeof(buf));
	CHECK_U64(crc32c(0, buf, 9 * 4096), crc32c_table(0, buf, 9 * 4096));
}

int main(void)
{
	t_suite = "crc32c";
	RUN(check_values);
	RUN(continues);
	RUN(instruction_and_table_agree);
	RUN(lanes_joined);
	return test_done();
}
