// SPDX-License-Identifier: GPL-2.0
/* units.c - see units.h.  People read sizes; CI reads the JSON's bytes. */
#include <inttypes.h>
#include <stdio.h>

#include "units.h"

const char *kms_human_bytes(uint64_t v, char *buf, size_t len)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double d = v;
	int u = 0;

	/*
	 * A unit up while the value would print as 1024.0 of this one
	 * (one decimal: from 1023.95 on), so 1 MiB - 1 is "1.0 MiB".
	 */
	while ((u ? d >= 1023.95 : d >= 1024) && u < 4) {
		d /= 1024;
		u++;
	}
	if (!u)
		snprintf(buf, len, "%" PRIu64 " B", v);
	else
		snprintf(buf, len, "%.1f %s", d, unit[u]);
	return buf;
}
