/* SPDX-License-Identifier: GPL-2.0 */
/*
 * recfield.h - one field of a raw record read or written where it lies,
 * for decode.c and encode.c (the only files that know the layouts).
 *
 * A record may sit at any alignment (a recording guarantees none), hence
 * memcpy; and field by field rather than through a copy of the whole
 * struct on the stack: the compiler moved such copies on with loads wider
 * than the stores that had just written them, and each of those loads
 * waited for the stores to land (a failed store-to-load forward: a quarter
 * of the decoder's time in a live profile, half of the encoder's).
 */
#ifndef KMS_RECFIELD_H
#define KMS_RECFIELD_H

#include <stddef.h>
#include <string.h>

/* The value of `field` of the record of `type` at `rec`. */
#define REC_GET(rec, type, field) ({						\
	__typeof__(((type *)(rec))->field) v_;					\
	memcpy(&v_, (const char *)(rec) + offsetof(type, field), sizeof(v_));	\
	v_;									\
})

/* Store `val` into `field` of the record of `type` at `rec`. */
#define REC_PUT(rec, type, field, val) do {					\
	__typeof__(((type *)(rec))->field) v_ = (val);				\
	memcpy((char *)(rec) + offsetof(type, field), &v_, sizeof(v_));		\
} while (0)

#endif /* KMS_RECFIELD_H */
