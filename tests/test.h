/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test.h - the unit-test harness: TAP output, checks that continue after a
 * failure, and a summary line `NAME: N passed, N failed, N skipped`.
 *
 * A test file defines functions with TEST(name) and lists them in main()
 * with RUN(name); test_done() prints the summary and returns the exit
 * status (0 only when nothing failed).  Checks print the failing
 * expression with both values so a red run says why without a debugger.
 */
#ifndef KMS_TEST_H
#define KMS_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int t_passed, t_failed, t_skipped, t_num;
static bool t_cur_failed, t_cur_skipped;
static const char *t_suite = "unit";

#define TEST(name) static void test_##name(void)

#define RUN(name)                                                          \
	do {                                                               \
		t_cur_failed = t_cur_skipped = false;                      \
		test_##name();                                             \
		t_num++;                                                   \
		if (t_cur_skipped) {                                       \
			t_skipped++;                                       \
		} else if (t_cur_failed) {                                 \
			t_failed++;                                        \
			printf("not ok %d - %s\n", t_num, #name);          \
		} else {                                                   \
			t_passed++;                                        \
			printf("ok %d - %s\n", t_num, #name);              \
		}                                                          \
	} while (0)

#define SKIP(why)                                                          \
	do {                                                               \
		printf("ok %d - # SKIP %s\n", t_num + 1, why);             \
		t_cur_skipped = true;                                      \
		return;                                                    \
	} while (0)

#define T_FAIL(fmt, ...)                                                   \
	do {                                                               \
		printf("#   %s:%d: " fmt "\n", __FILE__, __LINE__,         \
		       ##__VA_ARGS__);                                     \
		t_cur_failed = true;                                       \
	} while (0)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			T_FAIL("CHECK(%s) failed", #cond);                 \
	} while (0)

#define CHECK_INT(a, op, b)                                                \
	do {                                                               \
		long long _a = (long long)(a), _b = (long long)(b);        \
		if (!(_a op _b))                                           \
			T_FAIL("%s %s %s: %lld vs %lld", #a, #op, #b, _a,  \
			       _b);                                        \
	} while (0)

#define CHECK_U64(a, b)                                                    \
	do {                                                               \
		uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);           \
		if (_a != _b)                                              \
			T_FAIL("%s == %s: %#" PRIx64 " vs %#" PRIx64, #a,  \
			       #b, _a, _b);                                \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *_a = (a), *_b = (b);                           \
		if (!_a || !_b || strcmp(_a, _b))                          \
			T_FAIL("%s == %s: \"%s\" vs \"%s\"", #a, #b,       \
			       _a ? _a : "(null)", _b ? _b : "(null)");    \
	} while (0)

/* s with newlines shown as \n, so a failure stays one TAP line. */
static inline const char *t_oneline(const char *s)
{
	static char buf[1024];
	size_t i = 0;

	for (; *s && i < sizeof(buf) - 3; s++) {
		if (*s == '\n') {
			buf[i++] = '\\';
			buf[i++] = 'n';
		} else {
			buf[i++] = *s;
		}
	}
	buf[i] = 0;
	return buf;
}

/* Report text (hay, possibly NULL) contains / lacks needle. */
#define CHECK_HAS(hay, needle)                                             \
	do {                                                               \
		const char *_h = (hay), *_n = (needle);                    \
		if (!_h || !strstr(_h, _n))                                \
			T_FAIL("output lacks \"%s\"", t_oneline(_n));      \
	} while (0)

#define CHECK_LACKS(hay, needle)                                           \
	do {                                                               \
		const char *_h = (hay), *_n = (needle);                    \
		if (_h && strstr(_h, _n))                                  \
			T_FAIL("output has \"%s\"", t_oneline(_n));        \
	} while (0)

static inline int test_done(void)
{
	printf("%s: %d passed, %d failed, %d skipped\n", t_suite, t_passed,
	       t_failed, t_skipped);
	return t_failed ? 1 : 0;
}

#endif /* KMS_TEST_H */
