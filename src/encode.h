/* SPDX-License-Identifier: GPL-2.0 */
/*
 * encode.h - the inverse of decode.h: write one struct kms_event as the raw
 * record include/kmscope_event.h lays out.  encode.c and decode.c are the
 * only userspace files that know that layout; whatever builds records
 * without the BPF program (import of ftrace text, the replay fixtures)
 * goes through kms_encode(), so kms_decode() reads back exactly what was
 * meant.
 */
#ifndef KMS_ENCODE_H
#define KMS_ENCODE_H

#include <stddef.h>

#include "decode.h"

/* Enough for any record kms_encode() writes. */
#define KMS_ENCODE_MAX	96

/*
 * Write ev into buf (cap bytes, zeroed first where written).  Returns the
 * record's size, -ENOSPC when cap is too small, or -EINVAL for an event
 * type or field the layout cannot carry (a cpu above 65535, a name
 * without its length).
 */
int kms_encode(const struct kms_event *ev, void *buf, size_t cap);

#endif /* KMS_ENCODE_H */
