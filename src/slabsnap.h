/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabsnap.h - a text snapshot of /sys/kernel/slab for a recording, so a
 * replay knows every cache's geometry without the machine.  One line per
 * real cache directory: `cache NAME key=value ...`, and one line per alias
 * symlink: `alias NAME TARGET`.  The root directory is a parameter so
 * tests can point it at a fixture tree.
 */
#ifndef KMS_SLABSNAP_H
#define KMS_SLABSNAP_H

#include <stdio.h>

/* Append the snapshot of `root` to f.  Returns 0 or -errno. */
int slabsnap__write(const char *root, FILE *f);
/*
 * Names only (`cache NAME` without attributes, and aliases): a readdir,
 * which opens no attribute file, so it allocates nothing the kernel frees
 * later through RCU inside a traced window.
 */
int slabsnap__write_names(const char *root, FILE *f);
/* Copy a whole text file (e.g. /proc/slabinfo) into a malloc'ed buffer. */
int slurp_file(const char *path, char **buf, size_t *len);

#endif /* KMS_SLABSNAP_H */
