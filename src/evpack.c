// SPDX-License-Identifier: GPL-2.0
/*
 * evpack.c - pack and unpack the events of a recording (evpack.h).
 *
 * One packed event:
 *
 *   tag      type (3 bits; EVP_RAW: a whole record follows) and "same as
 *            the last event of this type" bits for cpu, tid, tgid, flags
 *            and gfp
 *   fields   which of ptr, call_site, cache, bytes, cgroup, stack,
 *            sizes and name follow (absent: 0)
 *   then     flags, cpu, tid, tgid, gfp where not the same; ts as a
 *            zigzag difference from the last event's; the present fields
 *
 * Numbers are LEB128 varints.  ptr, call_site and cache are a code: 0 and
 * a zigzag difference from the last value of that kind, or 1 + the slot
 * of a table of recent values (slot = hash of the value) that holds it.
 * Both sides update the tables the same way, so the unpacker follows.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "encode.h"
#include "evpack.h"
#include "grow.h"

/* Section header: "KP", a format byte, a reserved byte, then a u32 count. */
#define EVP_MAGIC0	'K'
#define EVP_MAGIC1	'P'
#define EVP_FORMAT	1
#define EVP_HDR_SIZE	8

#define EVP_TYPE_MASK	0x07u
#define EVP_RAW		7u	/* a record kept whole: varint length, bytes */
#define EVP_SAME_CPU	(1u << 3)
#define EVP_SAME_TID	(1u << 4)
#define EVP_SAME_TGID	(1u << 5)
#define EVP_SAME_FLAGS	(1u << 6)
#define EVP_SAME_GFP	(1u << 7)

#define EVP_F_PTR	(1u << 0)
#define EVP_F_SITE	(1u << 1)
#define EVP_F_CACHE	(1u << 2)
#define EVP_F_BYTES	(1u << 3)
#define EVP_F_CGROUP	(1u << 4)
#define EVP_F_STACK	(1u << 5)
#define EVP_F_SIZES	(1u << 6)
#define EVP_F_NAME	(1u << 7)

/*
 * A varint is at most 10 bytes.  An event has at most 19: flags, cpu,
 * tid, tgid, gfp, ts, three codes of two, bytes (two), cgroup, stack,
 * sizes (two) and the name's length; with the tag, the fields byte and
 * the name, at most this many bytes.
 */
#define EVP_VARINT_MAX	10
#define EVP_VARINTS	19
#define EVP_EVENT_MAX	(2 + EVP_VARINTS * EVP_VARINT_MAX + EVPACK_RECORD_MAX)
/* Past the tag, at least this many bytes: an event's reads need no bound (a name checks its own). */
#define EVP_UNBOUNDED_MIN	(1 + EVP_VARINTS * EVP_VARINT_MAX)
#define EVP_LAST_RUN	(4 * sizeof(unsigned int))	/* flags .. tgid */
#define EVP_RUN_AT(type, field, i) \
	(offsetof(type, field) == offsetof(type, flags) + (i) * sizeof(unsigned int))
_Static_assert(EVP_RUN_AT(struct kms_event, cpu, 1) && EVP_RUN_AT(struct kms_event, tid, 2) &&
	       EVP_RUN_AT(struct kms_event, tgid, 3) && EVP_RUN_AT(struct evpack_last, cpu, 1) &&
	       EVP_RUN_AT(struct evpack_last, tid, 2) && EVP_RUN_AT(struct evpack_last, tgid, 3),
	       "flags, cpu, tid and tgid lie side by side, in one order, in both");
/* The readers of one event, made twice: with and without the bound checks. */
#define EVP_INLINE	static inline __attribute__((always_inline))
#define EVP_HASH_MUL	0x9e3779b97f4a7c15ull	/* 2^64 / the golden ratio */
#define EVP_GROW_MIN	(64u << 10)

static inline unsigned int slot_of(uint64_t v)
{
	return (unsigned int)((v * EVP_HASH_MUL) >> (64 - EVPACK_SLOT_BITS));
}

/* A difference taken modulo 2^64, read as signed: 2d, or -2d - 1 below 0. */
static inline uint64_t zigzag(uint64_t d)
{
	return (d << 1) ^ (d >> 63 ? ~(uint64_t)0 : 0);
}

static inline uint64_t unzigzag(uint64_t z)
{
	return (z >> 1) ^ -(z & 1);
}

/* ---- packing -------------------------------------------------------- */

static inline unsigned char *put_varint(unsigned char *o, uint64_t v)
{
	while (v >= 0x80) {
		*o++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*o++ = (unsigned char)v;
	return o;
}

static unsigned char *put_code(unsigned char *o, uint64_t v, uint64_t *last, uint64_t *tab)
{
	unsigned int s = slot_of(v);

	if (tab[s] == v) {
		o = put_varint(o, s + 1);
	} else {
		*o++ = 0;
		o = put_varint(o, zigzag(v - *last));
		tab[s] = v;
	}
	*last = v;
	return o;
}

void evpack__reset(struct evpack *p)
{
	memset(&p->st, 0, sizeof(p->st));
	p->len = EVP_HDR_SIZE;
	p->records = 0;
	if (p->out) {
		p->out[0] = EVP_MAGIC0;
		p->out[1] = EVP_MAGIC1;
		p->out[2] = EVP_FORMAT;
		p->out[3] = 0;
		memset(p->out + 4, 0, 4);
	}
}

static int reserve(struct evpack *p, size_t need)
{
	bool fresh = !p->out;

	if (p->cap - p->len >= need && !fresh)
		return 0;
	if (kms_grow((void **)&p->out, &p->cap, p->len + need, 1, EVP_GROW_MIN))
		return -ENOMEM;
	if (fresh)
		evpack__reset(p);
	return 0;
}

static void set_count(struct evpack *p)
{
	uint32_t n = (uint32_t)p->records;

	memcpy(p->out + 4, &n, sizeof(n));
}

static int add_raw(struct evpack *p, const void *rec, size_t len)
{
	unsigned char *o = p->out + p->len;

	*o++ = EVP_RAW;
	o = put_varint(o, len);
	memcpy(o, rec, len);
	p->len = (size_t)(o - p->out) + len;
	return 0;
}

static unsigned int fields_of(const struct kms_event *ev)
{
	return (ev->ptr ? EVP_F_PTR : 0) | (ev->call_site ? EVP_F_SITE : 0) |
	       (ev->cache ? EVP_F_CACHE : 0) |
	       (ev->bytes_req || ev->bytes_alloc ? EVP_F_BYTES : 0) |
	       (ev->cgroup ? EVP_F_CGROUP : 0) | (ev->stack ? EVP_F_STACK : 0) |
	       (ev->object_size || ev->size ? EVP_F_SIZES : 0) |
	       (ev->name ? EVP_F_NAME : 0);
}

static unsigned char *put_same(unsigned char *o, unsigned char *tag, unsigned int bit,
			       unsigned int v, unsigned int *last)
{
	if (v == *last) {
		*tag |= bit;
		return o;
	}
	*last = v;
	return put_varint(o, v);
}

static void add_event(struct evpack *p, const struct kms_event *ev)
{
	struct evpack_state *st = &p->st;
	unsigned char *start = p->out + p->len, *o = start + 2, tag = ev->type;
	unsigned int f = fields_of(ev);
	struct evpack_last *l = &st->last[ev->type];

	o = put_same(o, &tag, EVP_SAME_FLAGS, ev->flags, &l->flags);
	o = put_same(o, &tag, EVP_SAME_CPU, ev->cpu, &l->cpu);
	o = put_same(o, &tag, EVP_SAME_TID, ev->tid, &l->tid);
	o = put_same(o, &tag, EVP_SAME_TGID, ev->tgid, &l->tgid);
	o = put_same(o, &tag, EVP_SAME_GFP, ev->gfp, &l->gfp);
	o = put_varint(o, zigzag(ev->ts - st->ts));
	st->ts = ev->ts;
	if (f & EVP_F_PTR)
		o = put_code(o, ev->ptr, &st->ptr, st->ptrs);
	if (f & EVP_F_SITE)
		o = put_code(o, ev->call_site, &st->site, st->sites);
	if (f & EVP_F_CACHE)
		o = put_code(o, ev->cache, &st->cache, st->caches);
	if (f & EVP_F_BYTES) {
		o = put_varint(o, ev->bytes_req);
		o = put_varint(o, zigzag((uint64_t)ev->bytes_alloc - ev->bytes_req));
	}
	if (f & EVP_F_CGROUP)
		o = put_varint(o, ev->cgroup);
	if (f & EVP_F_STACK)
		o = put_varint(o, zigzag((uint64_t)(int64_t)ev->stack));
	if (f & EVP_F_SIZES) {
		o = put_varint(o, ev->object_size);
		o = put_varint(o, ev->size);
	}
	if (f & EVP_F_NAME) {
		o = put_varint(o, ev->name_len);
		memcpy(o, ev->name, ev->name_len);
		o += ev->name_len;
	}
	start[0] = tag;
	start[1] = (unsigned char)f;
	p->len = (size_t)(o - p->out);
}

/*
 * Packed only when kms_encode() gives the very bytes back; the check
 * costs an encode per record, at write time, and makes the format
 * lossless whatever the record holds.
 */
static bool packable(const void *rec, size_t len, const struct kms_event *ev)
{
	unsigned char buf[KMS_ENCODE_MAX];
	int n;

	if (!ev || (unsigned int)ev->type >= EVP_RAW)
		return false;
	if (ev->name && ev->name_len > EVPACK_RECORD_MAX)
		return false;
	n = kms_encode(ev, buf, sizeof(buf));
	return n == (int)len && !memcmp(buf, rec, len);
}

int evpack__add_decoded(struct evpack *p, const void *rec, size_t len,
			const struct kms_event *ev)
{
	int err;

	if (len > EVPACK_RECORD_MAX)
		return -E2BIG;
	err = reserve(p, EVP_EVENT_MAX);
	if (err)
		return err;
	if (packable(rec, len, ev))
		add_event(p, ev);
	else
		add_raw(p, rec, len);
	p->records++;
	set_count(p);
	return 0;
}

int evpack__add(struct evpack *p, const void *rec, size_t len)
{
	struct kms_event ev;

	return evpack__add_decoded(p, rec, len, kms_decode(rec, len, &ev) ? NULL : &ev);
}

void evpack__free(struct evpack *p)
{
	free(p->out);
	p->out = NULL;
	p->len = p->cap = 0;
}

/* ---- unpacking ------------------------------------------------------ */

/*
 * Where an event is being read, in locals the compiler keeps in registers:
 * through u->pos and u->len, every store into the event (a uint64_t,
 * which may alias a size_t) made it reload both.
 */
struct evcur {
	const unsigned char *p, *end;
};

static bool get_varint_slow(struct evcur *c, uint64_t *v)
{
	uint64_t r = 0;
	unsigned int shift = 0;

	while (c->p < c->end && shift < 64) {
		unsigned char b = *c->p++;

		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return true;
		}
		shift += 7;
	}
	return false;
}

/*
 * Most numbers here fit one byte, a time difference two: those inline,
 * the rest out of line.  `bounded` false: the caller made sure that a
 * whole event fits before the end (EVP_UNBOUNDED_MIN), so no read needs
 * its own check; each caller passes a constant, and the event's readers
 * come in both kinds (unpack_event()).
 */
EVP_INLINE bool get_varint(struct evcur *c, uint64_t *v, bool bounded)
{
	const unsigned char *p = c->p;

	if (__builtin_expect((!bounded || p < c->end) && !(p[0] & 0x80), 1)) {
		*v = p[0];
		c->p = p + 1;
		return true;
	}
	if (!bounded && !(p[1] & 0x80)) {
		*v = (p[0] & 0x7fu) | (uint64_t)p[1] << 7;
		c->p = p + 2;
		return true;
	}
	return get_varint_slow(c, v);
}

EVP_INLINE bool get_code(struct evcur *c, uint64_t *v, uint64_t *last, uint64_t *tab,
			 bool bounded)
{
	uint64_t code, d;

	if (!get_varint(c, &code, bounded) || code > EVPACK_SLOTS)
		return false;
	if (code) {
		*v = tab[code - 1];
	} else {
		if (!get_varint(c, &d, bounded))
			return false;
		*v = *last + unzigzag(d);
		tab[slot_of(*v)] = *v;
	}
	*last = *v;
	return true;
}

EVP_INLINE bool get_u32(struct evcur *c, unsigned int *v, bool bounded)
{
	uint64_t x;

	if (!get_varint(c, &x, bounded) || x > UINT32_MAX)
		return false;
	*v = (unsigned int)x;
	return true;
}

/* A value "the same as the last event of this type" unless it follows. */
EVP_INLINE bool get_same(struct evcur *c, unsigned int tag, unsigned int bit,
			 unsigned int *last, bool bounded)
{
	return (tag & bit) || get_u32(c, last, bounded);
}

int evunpack__init(struct evunpack *u, const void *data, size_t len)
{
	const unsigned char *d = data;
	uint32_t n;

	memset(u, 0, sizeof(*u));
	if (len < EVP_HDR_SIZE || d[0] != EVP_MAGIC0 || d[1] != EVP_MAGIC1 ||
	    d[2] != EVP_FORMAT || d[3])
		return -EBADMSG;
	memcpy(&n, d + 4, sizeof(n));
	u->data = d;
	u->len = len;
	u->pos = EVP_HDR_SIZE;
	u->records = u->left = n;
	return 0;
}

EVP_INLINE bool
unpack_fields(struct evcur *c, struct evpack_state *st, unsigned int f, struct kms_event *ev,
	      bool bounded)
{
	uint64_t x;

	if ((f & EVP_F_PTR) && !get_code(c, &ev->ptr, &st->ptr, st->ptrs, bounded))
		return false;
	if ((f & EVP_F_SITE) && !get_code(c, &ev->call_site, &st->site, st->sites, bounded))
		return false;
	if ((f & EVP_F_CACHE) && !get_code(c, &ev->cache, &st->cache, st->caches, bounded))
		return false;
	if (f & EVP_F_BYTES) {
		if (!get_u32(c, &ev->bytes_req, bounded) || !get_varint(c, &x, bounded))
			return false;
		x = ev->bytes_req + unzigzag(x);
		if (x > UINT32_MAX)
			return false;
		ev->bytes_alloc = (uint32_t)x;
	}
	if ((f & EVP_F_CGROUP) && !get_varint(c, &ev->cgroup, bounded))
		return false;
	if (f & EVP_F_STACK) {
		if (!get_varint(c, &x, bounded))
			return false;
		ev->stack = (int32_t)(int64_t)unzigzag(x);
	}
	if ((f & EVP_F_SIZES) &&
	    (!get_u32(c, &ev->object_size, bounded) || !get_u32(c, &ev->size, bounded)))
		return false;
	if (f & EVP_F_NAME) {
		if (!get_varint(c, &x, bounded) || x > EVPACK_RECORD_MAX ||
		    x > (size_t)(c->end - c->p))
			return false;
		ev->name = (const char *)c->p;
		ev->name_len = (size_t)x;
		c->p += (size_t)x;
	}
	return true;
}

EVP_INLINE bool
unpack_event(struct evcur *c, struct evpack_state *st, unsigned int tag, struct kms_event *ev,
	     bool bounded)
{
	struct evpack_last *l = &st->last[tag & EVP_TYPE_MASK];
	unsigned int f;
	uint64_t d;

	if (bounded && c->p >= c->end)
		return false;
	f = *c->p++;
	/* Field by field: a memset of the struct cost more than the rest. */
	ev->ptr = ev->call_site = ev->cache = ev->cgroup = 0;
	ev->bytes_req = ev->bytes_alloc = 0;
	ev->stack = 0;
	ev->object_size = ev->size = 0;
	ev->name = NULL;
	ev->name_len = 0;
	ev->type = (enum kms_ev_type)(tag & EVP_TYPE_MASK);
	if (!get_same(c, tag, EVP_SAME_FLAGS, &l->flags, bounded) ||
	    !get_same(c, tag, EVP_SAME_CPU, &l->cpu, bounded) ||
	    !get_same(c, tag, EVP_SAME_TID, &l->tid, bounded) ||
	    !get_same(c, tag, EVP_SAME_TGID, &l->tgid, bounded) ||
	    !get_same(c, tag, EVP_SAME_GFP, &l->gfp, bounded) ||
	    !get_varint(c, &d, bounded))
		return false;
	/* flags, cpu, tid and tgid side by side in both: one copy. */
	memcpy((char *)ev + offsetof(struct kms_event, flags), &l->flags, EVP_LAST_RUN);
	ev->gfp = l->gfp;
	ev->ts = st->ts + unzigzag(d);
	st->ts = ev->ts;
	return unpack_fields(c, st, f, ev, bounded);
}

int evunpack__event(struct evunpack *u, struct kms_event *ev, const void **raw,
		    size_t *raw_len)
{
	struct evcur c = { u->data + u->pos, u->data + u->len };
	unsigned int tag;
	uint64_t n;

	if (!u->left)
		return u->pos == u->len ? 0 : -EBADMSG;
	if (c.p >= c.end)
		return -EBADMSG;
	tag = *c.p++;
	*raw = NULL;
	if ((tag & EVP_TYPE_MASK) == EVP_RAW) {
		if (tag != EVP_RAW || !get_varint(&c, &n, true) || n > EVPACK_RECORD_MAX ||
		    n > (size_t)(c.end - c.p))
			return -EBADMSG;
		*raw = c.p;
		*raw_len = (size_t)n;
		c.p += (size_t)n;
	} else if ((tag & EVP_TYPE_MASK) >= KMS_EV_MAX) {
		return -EBADMSG;
	} else if ((size_t)(c.end - c.p) >= EVP_UNBOUNDED_MIN) {
		if (!unpack_event(&c, &u->st, tag, ev, false))
			return -EBADMSG;
	} else if (!unpack_event(&c, &u->st, tag, ev, true)) {
		return -EBADMSG;
	}
	u->pos = (size_t)(c.p - u->data);
	u->left--;
	return 1;
}

int evunpack__next(struct evunpack *u, void *buf, size_t cap, size_t *rec_len)
{
	struct kms_event ev;
	const void *raw;
	int ret, len;

	ret = evunpack__event(u, &ev, &raw, rec_len);
	if (ret <= 0)
		return ret;
	if (raw) {
		if (*rec_len > cap)
			return -EBADMSG;
		memcpy(buf, raw, *rec_len);
		return 1;
	}
	len = kms_encode(&ev, buf, cap);
	if (len < 0)
		return -EBADMSG;
	*rec_len = (size_t)len;
	return 1;
}
