// SPDX-License-Identifier: GPL-2.0
/*
 * test_redact.c - unit tests for src/redact.c and --redact in ksyms: the
 * SipHash-2-4 reference vector (key 00..0f, message 00..07), different
 * keys give different tokens, and ksyms__format() hides an address no
 * symbol covers only when redacting.
 */
#include <stdio.h>
#include <string.h>

#include "ksyms.h"
#include "redact.h"
#include "test.h"

TEST(siphash_vector)
{
	struct kms_redact r = { 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL };

	/* the paper's 8-byte vector, 62 24 93 9a 79 f5 f5 93 read little-endian */
	CHECK_U64(kms_redact__hash(&r, 0x0706050403020100ULL), 0x93f5f5799a932462ULL);
}

TEST(keys)
{
	struct kms_redact a, b;

	CHECK_INT(kms_redact__init(&a), ==, 0);
	CHECK_INT(kms_redact__init(&b), ==, 0);
	CHECK(kms_redact__hash(&a, 0xffff888100000000ULL) == kms_redact__hash(&a, 0xffff888100000000ULL));
	CHECK(kms_redact__hash(&a, 0xffff888100000000ULL) != kms_redact__hash(&b, 0xffff888100000000ULL));
	CHECK(kms_redact__hash(&a, 0xffff888100000000ULL) != kms_redact__hash(&a, 0xffff888100000040ULL));
}

TEST(ksyms_format)
{
	static const char text[] = "ffffffff81000000 T alpha\nffffffff81000100 T _etext\n";
	struct kms_redact r = { 1, 2 };
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct ksyms *ks = f ? ksyms__load(f) : NULL;
	char buf[64], want[64];

	CHECK(ks != NULL);
	if (!ks)
		goto out;
	ksyms__format(ks, 0xffffffffc0001000ULL, buf, sizeof(buf));
	CHECK_STR(buf, "0xffffffffc0001000");
	CHECK(ksyms__redact(ks) == NULL);
	ksyms__set_redact(ks, &r);
	CHECK(ksyms__redact(ks) != NULL);
	ksyms__format(ks, 0xffffffff81000010ULL, buf, sizeof(buf));
	CHECK_STR(buf, "alpha+0x10");	/* named sites stay named */
	ksyms__format(ks, 0xffffffffc0001000ULL, buf, sizeof(buf));
	snprintf(want, sizeof(want), "[unknown-%08x]",
		 (unsigned int)kms_redact__hash(&r, 0xffffffffc0001000ULL));
	CHECK_STR(buf, want);
	ksyms__free(ks);
out:
	if (f)
		fclose(f);
}

int main(void)
{
	t_suite = "redact";
	RUN(siphash_vector);
	RUN(keys);
	RUN(ksyms_format);
	return test_done();
}
