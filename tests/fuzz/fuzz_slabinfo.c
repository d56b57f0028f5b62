// SPDX-License-Identifier: GPL-2.0
/* fuzz_slabinfo.c - /proc/slabinfo text from anywhere (recordings carry it). */
#include "fuzz.h"
#include <stdint.h>
#include <stddef.h>

#include "slabinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slabinfo si;
	size_t i;

	if (slabinfo__parse((const char *)data, size, &si))
		return 0;
	for (i = 0; i < si.n; i++)
		slabinfo__find(&si, si.e[i].name);
	slabinfo__free(&si);
	return 0;
}
