// SPDX-License-Identifier: GPL-2.0
/* fuzz_gfp.c - GFP flag expressions (--gfp, import) from anywhere, and back to names. */
#include "fuzz.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[512];
	uint32_t v;
	size_t pos;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (!gfp_parse(s, &v, &pos))
		gfp_format(v, buf, sizeof(buf));
	free(s);
	return 0;
}
