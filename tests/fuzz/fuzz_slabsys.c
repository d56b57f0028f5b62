// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_slabsys.c - a /sys/kernel/slab snapshot from anywhere, parsed and
 * run through the geometry model and name lookups as `check` does.
 */
#include "fuzz.h"
#include <stdint.h>
#include <stddef.h>

#include "slabgeom.h"
#include "slabsys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slab_config cfg;
	struct slabsys *sys;
	size_t i;

	if (slabsys__parse((const char *)data, size, &sys))
		return 0;
	if (!slab_config__init(&cfg, "6.18.0", "", 4096, 2)) {
		for (i = 0; i < slabsys__nr_caches(sys); i++) {
			const struct slab_sysfs_cache *sc = slabsys__cache(sys, i);
			struct slab_cache_params p;
			struct slab_geometry g;

			if (!slab_cache_params__from_sysfs(&cfg, sc, &p))
				slab_geometry__compute(&cfg, &p, &g);
			slabsys__find(sys, sc->name);
		}
	}
	for (i = 0; i < slabsys__nr_aliases(sys); i++)
		slabsys__find(sys, slabsys__alias(sys, i)->name);
	slabsys__free(sys);
	return 0;
}
