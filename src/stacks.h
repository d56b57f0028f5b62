/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stacks.h - the kernel stacks of -g, by stack-map id: read from the BPF
 * stack map at the end of a live trace, or from a recording's STACKS
 * section (one line per stack: "id ip ip ...", innermost first).  Pure.
 */
#ifndef KMS_STACKS_H
#define KMS_STACKS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct kms_stacks;

struct kms_stacks *kms_stacks__new(void);
void kms_stacks__free(struct kms_stacks *st);
int kms_stacks__add(struct kms_stacks *st, int32_t id, const uint64_t *ips, size_t n);
/* Frames of a stack, innermost first; NULL when unknown. */
const uint64_t *kms_stacks__get(const struct kms_stacks *st, int32_t id, size_t *n);
size_t kms_stacks__count(const struct kms_stacks *st);
int kms_stacks__write(const struct kms_stacks *st, FILE *f);
int kms_stacks__parse(struct kms_stacks *st, const char *text, size_t len);
/*
 * The caller's part of a stack: the frames from the one at call_site
 * outwards (the tracepoint, BPF and allocator frames before it dropped).
 * Returns the index of the first frame kept.
 */
size_t kms_stacks__caller_start(const uint64_t *ips, size_t n, uint64_t call_site);
/*
 * A site's frames for a profile, call site first and outwards: the caller
 * part of its stack, or the call site alone (no -g, or stack unknown).
 * Returns how many were written to out: at most max, at least 1 unless max is 0.
 */
size_t kms_stacks__site_frames(const struct kms_stacks *st, int32_t stack, uint64_t call_site,
			       uint64_t *out, size_t max);

#endif /* KMS_STACKS_H */
