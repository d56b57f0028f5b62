// SPDX-License-Identifier: GPL-2.0
/*
 * test_ksyms.c - unit tests for src/ksyms.c: parsing kallsyms text, alias
 * resolution, address and name lookups, and the formats callers print.
 *
 * tests/fixtures/kallsyms-x86_64.txt is a real excerpt of a 6.x x86_64
 * /proc/kallsyms (text, data, the _etext gap, init text) with a few
 * made-up module lines appended, since the source machine had none loaded.
 * Everything else is inline.  Fixture paths are relative to the repository
 * root, where make runs the tests.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "ksyms.h"
#include "test.h"

#define FIXTURE "tests/fixtures/kallsyms-x86_64.txt"

static struct ksyms *load_str(const char *s)
{
	struct ksyms *ks;
	FILE *f;

	f = fmemopen((void *)s, strlen(s), "r");
	if (!f)
		return NULL;
	ks = ksyms__load(f);
	fclose(f);
	return ks;
}

static struct ksyms *load_file(const char *path)
{
	struct ksyms *ks;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return NULL;
	ks = ksyms__load(f);
	fclose(f);
	return ks;
}

static const char *fmt(const struct ksyms *ks, unsigned long long addr)
{
	static char buf[256];

	if (ksyms__format(ks, addr, buf, sizeof(buf)) < 0)
		return "(error)";
	return buf;
}

static const char *name_at(const struct ksyms *ks, unsigned long long addr)
{
	const struct ksym *sym = ksyms__find(ks, addr, NULL);

	return sym ? sym->name : "(none)";
}

TEST(fixture_exact_lookups)
{
	struct ksyms *ks = load_file(FIXTURE);
	unsigned long long off = 123;
	const struct ksym *sym;

	if (!ks) {
		T_FAIL("cannot load %s (run from the repo root): %s", FIXTURE,
		       strerror(errno));
		return;
	}
	CHECK_INT(ksyms__count(ks), ==, 62);
	CHECK(!ksyms__addresses_hidden(ks));

	sym = ksyms__find(ks, 0xffffffff81647de0ULL, &off);
	CHECK(sym != NULL);
	if (sym) {
		CHECK_STR(sym->name, "__kmalloc_noprof");
		CHECK_U64(sym->addr, 0xffffffff81647de0ULL);
		CHECK(sym->module == NULL);
	}
	CHECK_U64(off, 0);

	sym = ksyms__find(ks, 0xffffffff81647e13ULL, &off);
	CHECK(sym && !strcmp(sym->name, "__kmalloc_noprof"));
	CHECK_U64(off, 0x33);
	/* The last byte before the next symbol still belongs to this one. */
	CHECK_STR(fmt(ks, 0xffffffff8164848fULL), "__kmalloc_noprof+0x6af");
	CHECK_STR(fmt(ks, 0xffffffff81648490ULL),
		  "__pfx_alloc_empty_sheaf+0x0");
	CHECK_STR(fmt(ks, 0xffffffff816487f4ULL), "kfree+0x4");
	CHECK_STR(fmt(ks, 0xffffffff812077c3ULL), "abort+0x3");
	CHECK_STR(fmt(ks, 0xffffffff812077d0ULL), "do_exit.cold+0x9");
	ksyms__free(ks);
}

TEST(fixture_modules)
{
	struct ksyms *ks = load_file(FIXTURE);
	const struct ksym *sym;

	if (!ks) {
		T_FAIL("cannot load %s", FIXTURE);
		return;
	}
	sym = ksyms__find(ks, 0xffffffffc0a01030ULL, NULL);
	CHECK(sym && sym->module && !strcmp(sym->module, "ext4"));
	CHECK_STR(fmt(ks, 0xffffffffc0a01030ULL),
		  "ext4_fill_super+0x20 [ext4]");
	/* ext4_fs_type is data: its address falls inside the last function. */
	CHECK_STR(fmt(ks, 0xffffffffc0a01500ULL), "ext4_kvmalloc+0x80 [ext4]");
	CHECK_STR(fmt(ks, 0xffffffffc0b00004ULL),
		  "bpf_prog_6deef7357e7b4530_sd_fw_ingress+0x4 [bpf]");
	/* The last symbol of all reaches KSYMS_MAX_TAIL and no further. */
	CHECK_STR(fmt(ks, 0xffffffffc0b00100ULL + KSYMS_MAX_TAIL),
		  "kfree+0x100000 [dummy_mod]");
	CHECK_STR(fmt(ks, 0xffffffffc0b00101ULL + KSYMS_MAX_TAIL),
		  "0xffffffffc0c00101");
	ksyms__free(ks);
}

TEST(fixture_text_bounds)
{
	struct ksyms *ks = load_file(FIXTURE);

	if (!ks) {
		T_FAIL("cannot load %s", FIXTURE);
		return;
	}
	CHECK(ksyms__find(ks, 0, NULL) == NULL);
	CHECK(ksyms__find(ks, 0xffffffff80ffffffULL, NULL) == NULL);
	CHECK_STR(fmt(ks, 0xffffffff80ffffffULL), "0xffffffff80ffffff");
	CHECK_STR(fmt(ks, 0xffffffff82276f47ULL),
		  "__SCT__tp_func_ma_write+0x7");
	/* Between _etext and init text: data, not code. */
	CHECK(ksyms__find(ks, 0xffffffff82276f48ULL, NULL) == NULL);
	CHECK(ksyms__find(ks, 0xffffffff82276f50ULL, NULL) == NULL);
	CHECK(ksyms__find(ks, 0xffffffff82400000ULL, NULL) == NULL);
	CHECK(ksyms__find(ks, 0xffffffff8377ffffULL, NULL) == NULL);
	/* Init text is code again; the global _sinittext wins its tie. */
	CHECK_STR(fmt(ks, 0xffffffff83780000ULL), "_sinittext+0x0");
	CHECK_STR(fmt(ks, 0xffffffff83780018ULL), "set_reset_devices+0x8");
	CHECK_STR(fmt(ks, 0xffffffff837f680fULL), "use_tpause_delay+0x1f");
	CHECK(ksyms__find(ks, 0xffffffff837f6810ULL, NULL) == NULL);
	CHECK(ksyms__find(ks, 0xffffffff83b24718ULL, NULL) == NULL);
	/* Between the end of vmlinux text and the first module. */
	CHECK(ksyms__find(ks, 0xffffffffc0000000ULL, NULL) == NULL);
	ksyms__free(ks);
}

TEST(fixture_lookup_name)
{
	struct ksyms *ks = load_file(FIXTURE);
	unsigned long long addr = 0, size = 0;

	if (!ks) {
		T_FAIL("cannot load %s", FIXTURE);
		return;
	}
	CHECK_INT(ksyms__lookup_name(ks, "__kmalloc_noprof", &addr, &size),
		  ==, 0);
	CHECK_U64(addr, 0xffffffff81647de0ULL);
	CHECK_U64(size, 0x6b0);
	/* vmlinux kfree, not the later module symbol of the same name. */
	CHECK_INT(ksyms__lookup_name(ks, "kfree", &addr, &size), ==, 0);
	CHECK_U64(addr, 0xffffffff816487f0ULL);
	CHECK_U64(size, 0x450);
	/* An alias that never wins address lookups is still found. */
	CHECK_INT(ksyms__lookup_name(ks, "_stext", &addr, &size), ==, 0);
	CHECK_U64(addr, 0xffffffff81000000ULL);
	CHECK_U64(size, 0x10);
	/* Last in its module: the gap to the next module is no size. */
	CHECK_INT(ksyms__lookup_name(ks, "ext4_kvmalloc", &addr, &size), ==, 0);
	CHECK_U64(addr, 0xffffffffc0a01480ULL);
	CHECK_U64(size, 0);
	CHECK_INT(ksyms__lookup_name(ks, "kmem_cache_alloc_noprof", NULL, NULL),
		  ==, 0);
	CHECK_INT(ksyms__lookup_name(ks, "ext4_fs_type", &addr, &size), ==,
		  -ENOENT);
	CHECK_INT(ksyms__lookup_name(ks, "__start_rodata", NULL, NULL), ==,
		  -ENOENT);
	CHECK_INT(ksyms__lookup_name(ks, "no_such_symbol", NULL, NULL), ==,
		  -ENOENT);
	CHECK_INT(ksyms__lookup_name(ks, "kfre", NULL, NULL), ==, -ENOENT);
	CHECK_INT(ksyms__lookup_name(ks, NULL, NULL, NULL), ==, -EINVAL);
	CHECK_INT(ksyms__lookup_name(NULL, "kfree", NULL, NULL), ==, -EINVAL);
	ksyms__free(ks);
}

TEST(next_symbol)
{
	struct ksyms *ks = load_file(FIXTURE);
	struct ksym probe = { .addr = 0xffffffff81000005ULL };
	const struct ksym *k, *next;

	if (!ks) {
		T_FAIL("cannot load %s", FIXTURE);
		return;
	}
	k = ksyms__find(ks, 0xffffffff81647de0ULL, NULL);
	next = ksyms__next(ks, k);
	CHECK(next && !strcmp(next->name, "__pfx_alloc_empty_sheaf"));
	/* From any alias of a group to the preferred one of the next. */
	next = ksyms__next(ks, &probe);
	CHECK(next && !strcmp(next->name, "__entry_text_start"));
	k = ksyms__find(ks, 0xffffffff82276f40ULL, NULL);
	next = ksyms__next(ks, k);
	CHECK(next && !strcmp(next->name, "_etext"));
	k = ksyms__find(ks, 0xffffffffc0a01480ULL, NULL);
	next = ksyms__next(ks, k);
	CHECK(next && next->module && !strcmp(next->module, "bpf"));
	k = ksyms__find(ks, 0xffffffffc0b00100ULL, NULL);
	CHECK(k != NULL);
	CHECK(ksyms__next(ks, k) == NULL);
	CHECK(ksyms__next(NULL, k) == NULL);
	CHECK(ksyms__next(ks, NULL) == NULL);
	ksyms__free(ks);
}

static void put_line(FILE *f, const struct ksym *k)
{
	fprintf(f, "%016llx t %s%s%s%s\n", k->addr, k->name,
		k->module ? "\t[" : "", k->module ? k->module : "",
		k->module ? "]" : "");
}

/* A recording keeps only the symbols hit and the next one after each;
 * a replay from that subset must resolve those addresses identically. */
TEST(subset_resolves_the_same)
{
	static const unsigned long long addrs[] = {
		0xffffffff81000001ULL, 0xffffffff81647e13ULL,
		0xffffffff8164848fULL, 0xffffffff82276f47ULL,
		0xffffffff83780018ULL, 0xffffffff837f680fULL,
		0xffffffffc0a01500ULL, 0xffffffffc0b00004ULL,
		0xffffffffc0b00100ULL + KSYMS_MAX_TAIL,
	};
	struct ksyms *ks = load_file(FIXTURE), *sub = NULL;
	char *text = NULL, want[256];
	size_t len = 0, i;
	FILE *f;

	if (!ks) {
		T_FAIL("cannot load %s", FIXTURE);
		return;
	}
	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	if (!f)
		goto out;
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		const struct ksym *k = ksyms__find(ks, addrs[i], NULL);

		CHECK(k != NULL);
		if (!k)
			continue;
		put_line(f, k);
		if (ksyms__next(ks, k))
			put_line(f, ksyms__next(ks, k));
	}
	fclose(f);
	sub = load_str(text);
	CHECK(sub != NULL);
	for (i = 0; sub && i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		snprintf(want, sizeof(want), "%s", fmt(ks, addrs[i]));
		CHECK_STR(fmt(sub, addrs[i]), want);
	}
out:
	ksyms__free(sub);
	ksyms__free(ks);
	free(text);
}

TEST(format_lengths)
{
	struct ksyms *ks = load_str("ffffffff81000000 T start_kernel\n"
				    "ffffffffc0001000 t fn\t[mod]\n");
	char small[8];

	CHECK(ks != NULL);
	CHECK_INT(ksyms__format(ks, 0xffffffff81000010ULL, NULL, 0), ==,
		  strlen("start_kernel+0x10"));
	CHECK_INT(ksyms__format(ks, 0xffffffff81000010ULL, small,
				sizeof(small)),
		  ==, strlen("start_kernel+0x10"));
	CHECK_STR(small, "start_k");
	CHECK_INT(ksyms__format(ks, 0xffffffffc0001001ULL, small,
				sizeof(small)),
		  ==, strlen("fn+0x1 [mod]"));
	CHECK_STR(small, "fn+0x1 ");
	CHECK_INT(ksyms__format(ks, 1, small, sizeof(small)), ==, 3);
	CHECK_STR(small, "0x1");
	CHECK_INT(ksyms__format(ks, 1, NULL, 4), ==, -EINVAL);
	/* No table at all: still a usable hex address. */
	CHECK_INT(ksyms__format(NULL, 0xffffffff81000010ULL, small,
				sizeof(small)),
		  ==, 18);
	CHECK_STR(small, "0xfffff");
	ksyms__free(ks);
}

TEST(duplicates_prefer_global_then_first)
{
	struct ksyms *ks = load_str("0000000000001000 t local_first\n"
				    "0000000000001000 T global_second\n"
				    "0000000000001000 T global_third\n"
				    "0000000000002000 W weak_first\n"
				    "0000000000002000 T strong_second\n"
				    "0000000000003000 t loc_a\n"
				    "0000000000003000 w weak_loc_b\n"
				    "0000000000003000 t loc_c\n"
				    "0000000000004000 T _etext\n"
				    "0000000000004000 T after_etext\n"
				    "0000000000005000 T tail\n");
	unsigned long long addr, size;

	CHECK(ks != NULL);
	CHECK_INT(ksyms__count(ks), ==, 11);
	CHECK_STR(name_at(ks, 0x1000), "global_second");
	CHECK_STR(name_at(ks, 0x1fff), "global_second");
	CHECK_STR(name_at(ks, 0x2000), "weak_first");
	CHECK_STR(name_at(ks, 0x3abc), "loc_a");
	/* A real function sharing _etext's address beats the marker. */
	CHECK_STR(name_at(ks, 0x4000), "after_etext");
	CHECK_INT(ksyms__lookup_name(ks, "local_first", &addr, &size), ==, 0);
	CHECK_U64(addr, 0x1000);
	CHECK_U64(size, 0x1000);
	CHECK_INT(ksyms__lookup_name(ks, "_etext", &addr, &size), ==, 0);
	CHECK_U64(addr, 0x4000);
	ksyms__free(ks);

	/* The same set in reverse: global still beats local; among equals
	 * the input order decides, deterministically. */
	ks = load_str("0000000000001000 T global_third\n"
		      "0000000000001000 T global_second\n"
		      "0000000000001000 t local_first\n"
		      "0000000000002000 T strong_second\n"
		      "0000000000002000 W weak_first\n");
	CHECK(ks != NULL);
	CHECK_STR(name_at(ks, 0x1000), "global_third");
	CHECK_STR(name_at(ks, 0x2000), "strong_second");
	ksyms__free(ks);
}

TEST(duplicate_names)
{
	struct ksyms *ks = load_str("0000000000001000 t helper\n"
				    "0000000000002000 T other\n"
				    "0000000000003000 t helper\n"
				    "0000000000004000 T helper\n"
				    "0000000000005000 T end\n"
				    "0000000000000800 t helper\t[mod]\n");
	unsigned long long addr = 0, size = 0;

	CHECK(ks != NULL);
	/* The global definition wins over statics of the same name. */
	CHECK_INT(ksyms__lookup_name(ks, "helper", &addr, &size), ==, 0);
	CHECK_U64(addr, 0x4000);
	CHECK_U64(size, 0x1000);
	ksyms__free(ks);

	ks = load_str("0000000000003000 t helper\n"
		      "0000000000001000 t helper\n"
		      "0000000000002000 T other\n");
	CHECK_INT(ksyms__lookup_name(ks, "helper", &addr, &size), ==, 0);
	CHECK_U64(addr, 0x1000);
	CHECK_U64(size, 0x1000);
	ksyms__free(ks);
}

TEST(unsorted_input)
{
	struct ksyms *ks = load_str("ffffffff81003000 T c\n"
				    "ffffffffc0002000 t m2\t[mod]\n"
				    "ffffffff81001000 T a\n"
				    "ffffffff81004000 T _etext\n"
				    "ffffffffc0001000 t m1\t[mod]\n"
				    "ffffffff81002000 t b\n");
	unsigned long long addr, size;

	CHECK(ks != NULL);
	CHECK_INT(ksyms__count(ks), ==, 6);
	CHECK_STR(fmt(ks, 0xffffffff81001005ULL), "a+0x5");
	CHECK_STR(fmt(ks, 0xffffffff81002000ULL), "b+0x0");
	CHECK_STR(fmt(ks, 0xffffffff81003fffULL), "c+0xfff");
	CHECK_STR(fmt(ks, 0xffffffff81004000ULL), "0xffffffff81004000");
	CHECK_STR(fmt(ks, 0xffffffffc0001010ULL), "m1+0x10 [mod]");
	CHECK_STR(fmt(ks, 0xffffffffc0002010ULL), "m2+0x10 [mod]");
	CHECK_INT(ksyms__lookup_name(ks, "b", &addr, &size), ==, 0);
	CHECK_U64(addr, 0xffffffff81002000ULL);
	CHECK_U64(size, 0x1000);
	ksyms__free(ks);
}

TEST(hidden_addresses)
{
	struct ksyms *ks = load_str("0000000000000000 T _stext\n"
				    "0000000000000000 T start_kernel\n"
				    "0000000000000000 t helper\n"
				    "0000000000000000 D some_data\n"
				    "0000000000000000 t fn\t[mod]\n");
	unsigned long long addr;

	CHECK(ks != NULL);
	CHECK(ksyms__addresses_hidden(ks));
	CHECK_INT(ksyms__count(ks), ==, 4);
	CHECK(ksyms__find(ks, 0, NULL) == NULL);
	CHECK(ksyms__find(ks, 0x10, NULL) == NULL);
	CHECK_STR(fmt(ks, 0xffffffff81000000ULL), "0xffffffff81000000");
	CHECK_INT(ksyms__lookup_name(ks, "start_kernel", &addr, NULL), ==,
		  -EPERM);
	ksyms__free(ks);

	/* One real address means the zeros are genuine. */
	ks = load_str("0000000000000000 T zero\n"
		      "0000000000001000 T one\n");
	CHECK(!ksyms__addresses_hidden(ks));
	CHECK_STR(fmt(ks, 0x10), "zero+0x10");
	ksyms__free(ks);
}

TEST(malformed_lines_skipped)
{
	static const char input[] =
		"\n"
		"garbage\n"
		"zzzzzzzz T notahex\n"
		"-1 T negative\n"
		" ffffffff81000000 T leading_space\n"
		"ffffffff81000000\n"
		"ffffffff81000000 T\n"
		"ffffffff81000000 T \n"
		"ffffffff81000000  T two_spaces\n"
		"ffffffff81000000 TT two_types\n"
		"ffffffff81000000 1 digit_type\n"
		"ffffffff81000000:T colon\n"
		"1ffffffffffffffff T overflow\n"
		"ffffffff81000000 T name with_space\n"
		"ffffffff81000000 T bad_mod1\t[\n"
		"ffffffff81000000 T bad_mod2\t[]\n"
		"ffffffff81000000 T bad_mod3\tmod\n"
		"ffffffff81000000 T bad_mod4\t[mod] trailing\n"
		"ffffffff81001000 T good_one\n"
		"ffffffff81002000 T good_crlf\r\n"
		"ffffffff81003000 t good_mod\t[m]\n"
		"ffffffff81004000 T good_no_newline";
	struct ksyms *ks = load_str(input);

	CHECK(ks != NULL);
	CHECK_INT(ksyms__count(ks), ==, 4);
	CHECK(!ksyms__addresses_hidden(ks));
	CHECK_STR(fmt(ks, 0xffffffff81000000ULL), "0xffffffff81000000");
	CHECK_STR(fmt(ks, 0xffffffff81001001ULL), "good_one+0x1");
	CHECK_STR(fmt(ks, 0xffffffff81002002ULL), "good_crlf+0x2");
	CHECK_STR(fmt(ks, 0xffffffff81003003ULL), "good_mod+0x3 [m]");
	CHECK_STR(fmt(ks, 0xffffffff81004004ULL), "good_no_newline+0x4");
	CHECK_INT(ksyms__lookup_name(ks, "name", NULL, NULL), ==, -ENOENT);
	CHECK_INT(ksyms__lookup_name(ks, "bad_mod4", NULL, NULL), ==, -ENOENT);
	ksyms__free(ks);
}

TEST(binary_and_long_lines)
{
	static const char input[] = "ffffffff81000000 T a\0b\n"
				    "\xff\xfe\x00\x01\n"
				    "ffffffff81001000 T after_binary\n";
	char *big = malloc(100000);
	struct ksyms *ks;
	FILE *f;

	f = fmemopen((void *)input, sizeof(input) - 1, "r");
	CHECK(f != NULL);
	ks = f ? ksyms__load(f) : NULL;
	if (f)
		fclose(f);
	CHECK(ks != NULL);
	CHECK_STR(name_at(ks, 0xffffffff81001000ULL), "after_binary");
	ksyms__free(ks);

	CHECK(big != NULL);
	if (!big)
		return;
	memset(big, 'x', 99990);
	memcpy(big, "0000000000001000 T ", 19);
	strcpy(big + 99990, "\n");
	ks = load_str(big);
	CHECK(ks != NULL);
	CHECK_INT(strlen(name_at(ks, 0x1000)), ==, 99990 - 19);
	ksyms__free(ks);
	free(big);
}

TEST(empty_input)
{
	struct ksyms *ks = load_str("");
	unsigned long long off = 7;

	CHECK(ks != NULL);
	CHECK_INT(ksyms__count(ks), ==, 0);
	CHECK(!ksyms__addresses_hidden(ks));
	CHECK(ksyms__find(ks, 0, &off) == NULL);
	CHECK(ksyms__find(ks, ~0ULL, &off) == NULL);
	CHECK_U64(off, 7);
	CHECK_STR(fmt(ks, 0xffffffff81000000ULL), "0xffffffff81000000");
	CHECK_INT(ksyms__lookup_name(ks, "x", NULL, NULL), ==, -ENOENT);
	ksyms__free(ks);

	/* Only data: loads, but nothing to resolve against. */
	ks = load_str("ffffffff82000000 D d\nffffffff82000010 b b\n");
	CHECK(ks != NULL);
	CHECK_INT(ksyms__count(ks), ==, 0);
	CHECK(!ksyms__addresses_hidden(ks));
	ksyms__free(ks);
}

TEST(non_text_ignored)
{
	struct ksyms *ks = load_str("0000000000001000 T text_T\n"
				    "0000000000001800 D data_D\n"
				    "0000000000001900 d data_d\n"
				    "0000000000002000 t text_t\n"
				    "0000000000002800 R ro_R\n"
				    "0000000000002900 r ro_r\n"
				    "0000000000003000 W weak_W\n"
				    "0000000000003800 B bss_B\n"
				    "0000000000003900 b bss_b\n"
				    "0000000000004000 w weak_w\n"
				    "0000000000004800 A abs_A\n"
				    "0000000000004900 a abs_a\n"
				    "0000000000004a00 U undef_U\n"
				    "0000000000004b00 V weak_obj_V\n"
				    "0000000000004c00 v weak_obj_v\n"
				    "0000000000005000 T last\n");
	static const char *const ignored[] = {
		"data_D", "data_d", "ro_R",  "ro_r",	   "bss_B",
		"bss_b",  "abs_A",  "abs_a", "undef_U", "weak_obj_V",
		"weak_obj_v",
	};
	size_t i;

	CHECK(ks != NULL);
	CHECK_INT(ksyms__count(ks), ==, 5);
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		int err = ksyms__lookup_name(ks, ignored[i], NULL, NULL);

		if (err != -ENOENT)
			T_FAIL("%s: got %d, want -ENOENT", ignored[i], err);
	}
	CHECK_STR(name_at(ks, 0x1800), "text_T");
	CHECK_STR(name_at(ks, 0x2800), "text_t");
	CHECK_STR(name_at(ks, 0x3800), "weak_W");
	CHECK_STR(name_at(ks, 0x4800), "weak_w");
	ksyms__free(ks);
}

static unsigned long long lcg(unsigned long long *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return *state >> 33;
}

/* 150k symbols, shuffled, loaded and spot-checked; the timing goes to a
 * TAP comment because sanitizer builds make any threshold meaningless. */
TEST(large_table)
{
	enum { N = 150000 };
	unsigned long long seed = 42, addr, size;
	unsigned int *order = malloc(N * sizeof(*order));
	struct timespec t0, t1;
	struct ksyms *ks = NULL;
	char *text = NULL;
	size_t text_len = 0, i;
	FILE *f;

	CHECK(order != NULL);
	if (!order)
		return;
	for (i = 0; i < N; i++)
		order[i] = i;
	for (i = N - 1; i > 0; i--) {
		size_t j = lcg(&seed) % (i + 1);
		unsigned int tmp = order[i];

		order[i] = order[j];
		order[j] = tmp;
	}
	f = open_memstream(&text, &text_len);
	CHECK(f != NULL);
	if (!f)
		goto out;
	for (i = 0; i < N; i++)
		fprintf(f, "%016llx %c sym_%u\n",
			0xffffffff81000000ULL + 0x40ULL * order[i],
			order[i] % 2 ? 't' : 'T', order[i]);
	fclose(f);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ks = load_str(text);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(ks != NULL);
	if (!ks)
		goto out;
	printf("# %d symbols loaded in %.1f ms\n", N,
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	CHECK_INT(ksyms__count(ks), ==, N);
	for (i = 0; i < N; i += 997) {
		char want[32];

		snprintf(want, sizeof(want), "sym_%zu+0x3f", i);
		CHECK_STR(fmt(ks, 0xffffffff81000000ULL + 0x40ULL * i + 0x3f),
			  want);
	}
	CHECK_INT(ksyms__lookup_name(ks, "sym_149999", &addr, &size), ==, 0);
	CHECK_U64(addr, 0xffffffff81000000ULL + 0x40ULL * 149999);
	CHECK_U64(size, 0);
out:
	ksyms__free(ks);
	free(text);
	free(order);
}

TEST(null_and_read_errors)
{
	struct ksyms *ks;
	FILE *f;

	ksyms__free(NULL);
	CHECK(ksyms__find(NULL, 0x1000, NULL) == NULL);
	CHECK_INT(ksyms__count(NULL), ==, 0);
	CHECK(!ksyms__addresses_hidden(NULL));

	errno = 0;
	CHECK(ksyms__load(NULL) == NULL);
	CHECK_INT(errno, ==, EINVAL);

	/* A stream that cannot be read must fail, not look empty. */
	f = fopen("/dev/null", "w");
	CHECK(f != NULL);
	if (!f)
		return;
	errno = 0;
	ks = ksyms__load(f);
	CHECK(ks == NULL);
	CHECK_INT(errno, ==, EBADF);
	ksyms__free(ks);
	fclose(f);
}

/* The real thing, when readable: exercises size and format drift. */
TEST(proc_kallsyms)
{
	unsigned long long addr, size, off;
	const struct ksym *sym;
	struct ksyms *ks;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!f)
		SKIP("/proc/kallsyms not readable");
	ks = ksyms__load(f);
	fclose(f);
	CHECK(ks != NULL);
	if (!ks)
		return;
	CHECK_INT(ksyms__count(ks), >, 1000);
	if (ksyms__addresses_hidden(ks)) {
		CHECK_INT(ksyms__lookup_name(ks, "_stext", NULL, NULL), ==,
			  -EPERM);
		ksyms__free(ks);
		SKIP("kallsyms addresses hidden");
	}
	CHECK_INT(ksyms__lookup_name(ks, "_stext", &addr, &size), ==, 0);
	sym = ksyms__find(ks, addr + 1, &off);
	CHECK(sym && sym->addr == addr && !sym->module);
	CHECK_U64(off, 1);
	printf("# _stext resolves as %s\n", fmt(ks, addr));
	ksyms__free(ks);
}

static int refresh_str(struct ksyms *ks, const char *s)
{
	FILE *f = fmemopen((void *)s, strlen(s), "r");
	int err;

	if (!f)
		return -errno;
	err = ksyms__refresh(ks, f);
	fclose(f);
	return err;
}

/*
 * A module loaded during a trace: the refresh names it; an unloaded one
 * keeps its names; a new module at a gone module's addresses wins there.
 */
TEST(refresh_modules)
{
	static const char before[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81001000 T kmalloc_thing\n"
		"ffffffff81002000 T _etext\n"
		"ffffffffc0001000 t old_fn\t[oldmod]\n"
		"ffffffffc0001100 t old_fn2\t[oldmod]\n"
		"ffffffffc0005000 t gone_fn\t[gonemod]\n";
	static const char after[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81001000 T kmalloc_thing\n"
		"ffffffff81002000 T _etext\n"
		"ffffffffc0001000 t old_fn\t[oldmod]\n"
		"ffffffffc0001100 t old_fn2\t[oldmod]\n"
		"ffffffffc0009000 t plant_hardirq\t[kms_plant]\n"
		"ffffffffc0009100 t plant_softirq\t[kms_plant]\n"
		"ffffffffc0009200 T plant_init\t[kms_plant]\n";
	static const char hidden[] =
		"0000000000000000 T _stext\n"
		"0000000000000000 t x\t[m]\n";
	static const char reuse[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81002000 T _etext\n"
		"ffffffffc0004f00 t new_fn\t[newmod]\n"
		"ffffffffc0005100 t new_fn2\t[newmod]\n";
	struct ksyms *ks = load_str(before);

	CHECK(ks != NULL);
	if (!ks)
		return;
	/* Before: the nearest symbol below, of another module (why the refresh matters). */
	CHECK_STR(fmt(ks, 0xffffffffc0009110ULL), "gone_fn+0x4110 [gonemod]");
	CHECK_INT(refresh_str(ks, after), ==, 0);
	CHECK_STR(fmt(ks, 0xffffffffc0009110ULL), "plant_softirq+0x10 [kms_plant]");
	CHECK_STR(fmt(ks, 0xffffffffc0009000ULL), "plant_hardirq+0x0 [kms_plant]");
	CHECK_STR(fmt(ks, 0xffffffffc0001104ULL), "old_fn2+0x4 [oldmod]");
	CHECK_STR(fmt(ks, 0xffffffffc0005010ULL), "gone_fn+0x10 [gonemod]");
	CHECK_STR(fmt(ks, 0xffffffff81001010ULL), "kmalloc_thing+0x10");
	CHECK_INT(ksyms__count(ks), ==, 9);
	/* Refreshing from the same text again changes nothing. */
	CHECK_INT(refresh_str(ks, after), ==, 0);
	CHECK_INT(ksyms__count(ks), ==, 9);
	/* Hidden addresses (the fd lost its rights): refused, table kept. */
	CHECK_INT(refresh_str(ks, hidden), ==, -EPERM);
	CHECK_STR(fmt(ks, 0xffffffffc0009000ULL), "plant_hardirq+0x0 [kms_plant]");
	/* A new module over the gone one's addresses: the gone one's symbols go. */
	CHECK_INT(refresh_str(ks, reuse), ==, 0);
	CHECK_STR(fmt(ks, 0xffffffffc0005010ULL), "new_fn+0x110 [newmod]");
	CHECK_STR(fmt(ks, 0xffffffffc0009000ULL), "plant_hardirq+0x0 [kms_plant]");
	CHECK_STR(fmt(ks, 0xffffffffc0001000ULL), "old_fn+0x0 [oldmod]");
	CHECK_INT(ksyms__refresh(ks, NULL), ==, -EINVAL);
	ksyms__free(ks);
}

int main(void)
{
	t_suite = "ksyms";
	RUN(fixture_exact_lookups);
	RUN(fixture_modules);
	RUN(fixture_text_bounds);
	RUN(fixture_lookup_name);
	RUN(next_symbol);
	RUN(subset_resolves_the_same);
	RUN(format_lengths);
	RUN(duplicates_prefer_global_then_first);
	RUN(duplicate_names);
	RUN(unsorted_input);
	RUN(hidden_addresses);
	RUN(malformed_lines_skipped);
	RUN(binary_and_long_lines);
	RUN(empty_input);
	RUN(non_text_ignored);
	RUN(large_table);
	RUN(null_and_read_errors);
	RUN(proc_kallsyms);
	RUN(refresh_modules);
	return test_done();
}
