// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_diff.c - two JSON reports from anywhere (split at the first NUL
 * byte), compared and rendered as `kmscope diff` does, text and JSON.
 */
#include "fuzz.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a = (const char *)data, *nul = memchr(data, 0, size);
	size_t la = nul ? (size_t)(nul - a) : size;
	struct diff_report base = { 0 }, cur = { 0 };
	struct diff_result d = { 0 };
	struct diff_gate g = { 0 };
	char err[256];
	FILE *null;

	if (diff_report__parse(&base, a, la, err, sizeof(err)))
		return 0;
	if (diff_report__parse(&cur, nul ? nul + 1 : a, nul ? size - la - 1 : la, err, sizeof(err)))
		goto out;
	null = fopen("/dev/null", "w");
	if (null && !diff__compare(&d, &base, &cur, DIFF_BYTES)) {
		struct diff_render_opts ro = { .base_name = "a", .new_name = "b", .sort = DIFF_BYTES };

		g.fail_on = ~0u;
		diff__render(null, &d, &g, &ro);
		ro.json = true;
		diff__render(null, &d, &g, &ro);
		diff__free(&d);
	}
	if (null)
		fclose(null);
out:
	diff_report__free(&cur);
	diff_report__free(&base);
	return 0;
}
