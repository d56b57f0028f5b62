/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgpaths.h - the paths of the cgroups a trace met, by cgroup v2 id (the
 * inode number of the cgroup's directory, which is what BPF's
 * bpf_get_current_cgroup_id() returns).  Filled by the live side from the
 * cgroup2 file system at the end of a trace, or from a recording's
 * CGROUPS section (one line per cgroup: "id path", the path relative to
 * the cgroup2 mount, "/" for the root).  Pure: no file system access.
 */
#ifndef KMS_CGPATHS_H
#define KMS_CGPATHS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cgpaths;

struct cgpaths *cgpaths__new(void);
void cgpaths__free(struct cgpaths *p);
/* Remember (or replace) the path of id.  0 or -ENOMEM / -EINVAL. */
int cgpaths__add(struct cgpaths *p, uint64_t id, const char *path);
/* The path of id, NULL when unknown (p may be NULL). */
const char *cgpaths__get(const struct cgpaths *p, uint64_t id);
size_t cgpaths__count(const struct cgpaths *p);
/* The i-th path (0 .. count - 1, by id) and its id. */
const char *cgpaths__nth(const struct cgpaths *p, size_t i, uint64_t *id);
int cgpaths__write(const struct cgpaths *p, FILE *f);
/* Lines that do not parse are skipped: -EINVAL after the others are in. */
int cgpaths__parse(struct cgpaths *p, const char *text, size_t len);
/*
 * What reports call a cgroup row (collect.h's KMS_CGROUP_* ids
 * included): its path, "(interrupts)", "(other cgroups)", "(unknown)",
 * or "cgroup id N" when the path was not found (removed before the end).
 */
const char *cgpaths__label(const struct cgpaths *p, uint64_t id, char *buf, size_t len);

#endif /* KMS_CGPATHS_H */
