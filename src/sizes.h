/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sizes.h - `kmscope sizes`: the kmalloc size classes of a kernel with the
 * geometry of their caches, and the answer for one request.  Pure: the
 * size-class parameters and a parsed sysfs snapshot in, text/JSON out.
 */
#ifndef KMS_SIZES_H
#define KMS_SIZES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sizeclass.h"

struct slabsys;

/* Every class of every kmalloc type this kernel has. */
int sizes__table(FILE *f, const struct kmalloc_params *kp, const struct slabsys *sys,
		 bool json, bool pretty);
/* One request: where it lands, what it costs, what would cost less. */
int sizes__one(FILE *f, const struct kmalloc_params *kp, const struct slabsys *sys,
	       uint32_t bytes_req, uint32_t gfp, bool json, bool pretty);

#endif /* KMS_SIZES_H */
