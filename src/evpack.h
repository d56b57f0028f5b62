/* SPDX-License-Identifier: GPL-2.0 */
/*
 * evpack.h - the dense form of a recording's events (EVENTS_PACKED
 * sections, recording format version 2; docs/record-format.md).
 *
 * A ring-buffer record is 24 to 64 bytes, framed by 8 more in an EVENTS
 * section; most of it repeats the record before (the CPU, the task, the
 * call site, the cache) or a pointer seen a moment ago (a free names the
 * object an allocation just returned).  The packer writes each record as
 * its decoded struct kms_event, field by field, against what came before
 * in the same section: a tag byte of "same as before" bits, a byte of the
 * fields present, the timestamp as a signed difference, and pointers, call
 * sites and caches as a slot of a small table of recent values or a
 * difference.  The unpacker rebuilds the event and writes it back with
 * kms_encode(); a record that would not come back byte for byte (one
 * decode cannot read, or with stray bytes the decoder ignores) is stored
 * whole instead, so unpacking always gives back exactly the bytes packed.
 *
 * Each section starts afresh, so a damaged one costs only itself.  This
 * module knows struct kms_event, not the record layout: it goes through
 * kms_decode() and kms_encode().  Pure: buffers in, buffers out.
 */
#ifndef KMS_EVPACK_H
#define KMS_EVPACK_H

#include <stddef.h>
#include <stdint.h>

struct kms_event;

/* Recent values a packed event can name by slot. */
#define EVPACK_SLOT_BITS	6
#define EVPACK_SLOTS		(1u << EVPACK_SLOT_BITS)
/* Event types a tag can name (enum kms_ev_type, and one for whole records). */
#define EVPACK_TYPES	8

/* Per event type: what the last event of that type carried. */
struct evpack_last {
	unsigned int flags, cpu, tid, tgid, gfp;	/* the first four in struct kms_event's order */
};

/* What both sides remember within one section. */
struct evpack_state {
	uint64_t ts;
	uint64_t ptr, site, cache;
	uint64_t ptrs[EVPACK_SLOTS], sites[EVPACK_SLOTS], caches[EVPACK_SLOTS];
	struct evpack_last last[EVPACK_TYPES];
};

/* A section being packed: out grows as records are added. */
struct evpack {
	struct evpack_state st;
	unsigned char *out;
	size_t len, cap;
	uint64_t records;
};

/* Start a section afresh (the buffer is kept). */
void evpack__reset(struct evpack *p);
/* Add one raw record; 0, -ENOMEM, or -E2BIG past EVPACK_RECORD_MAX. */
int evpack__add(struct evpack *p, const void *rec, size_t len);
/*
 * The same for a record its caller has decoded already (ev: what
 * kms_decode() gave for it, NULL when it failed), which saves a decode.
 */
int evpack__add_decoded(struct evpack *p, const void *rec, size_t len,
			const struct kms_event *ev);
void evpack__free(struct evpack *p);

/* Reading a packed section back, record by record. */
struct evunpack {
	struct evpack_state st;
	const unsigned char *data;
	size_t len, pos;
	uint64_t records, left;
};

/*
 * Begin on a packed payload: 0, or -EBADMSG when its header is not one.
 * The payload must outlive the unpacker.
 */
int evunpack__init(struct evunpack *u, const void *data, size_t len);
struct kms_event;

/*
 * The next event: returns 1 with *ev filled and *raw NULL, or with *raw
 * and *raw_len the bytes of a record stored whole (for kms_decode()); 0
 * at the end; -EBADMSG when the payload is malformed (u->pos is where).
 * The fastest way through: no record is rebuilt.
 */
int evunpack__event(struct evunpack *u, struct kms_event *ev, const void **raw,
		    size_t *raw_len);
/*
 * The next record, written into buf (cap bytes, at least
 * EVPACK_RECORD_MAX): returns 1 with *rec_len, 0 at the end, -EBADMSG
 * when the payload is malformed (u->pos is where).
 */
int evunpack__next(struct evunpack *u, void *buf, size_t cap, size_t *rec_len);

/* The longest record a packed section stores (whole ones included). */
#define EVPACK_RECORD_MAX	4096

#endif /* KMS_EVPACK_H */
