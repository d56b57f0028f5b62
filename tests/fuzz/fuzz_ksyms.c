// SPDX-License-Identifier: GPL-2.0
/* fuzz_ksyms.c - kallsyms text from anywhere (recordings carry it), then lookups. */
#include "fuzz.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ksyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	unsigned long long off, probe[4];
	struct ksyms *ks;
	char buf[192];
	size_t i;

	if (!f)
		return 0;
	if (!size)
		fgetc(f);
	ks = ksyms__load(f);
	fclose(f);
	if (!ks)
		return 0;
	memset(probe, 0, sizeof(probe));
	memcpy(probe, data, size < sizeof(probe) ? size : sizeof(probe));
	for (i = 0; i < 4; i++) {
		const struct ksym *k = ksyms__find(ks, probe[i], &off);

		if (k)
			ksyms__next(ks, k);
		ksyms__format(ks, probe[i], buf, sizeof(buf));
	}
	ksyms__free(ks);
	return 0;
}
