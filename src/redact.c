// SPDX-License-Identifier: GPL-2.0
/*
 * redact.c - see redact.h.  SipHash-2-4 of one 8-byte message, written
 * from the algorithm's description (two compression rounds per word, four
 * finalisation rounds).
 */
#include <errno.h>
#include <sys/random.h>

#include "redact.h"

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

static void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

uint64_t kms_redact__hash(const struct kms_redact *r, uint64_t m)
{
	uint64_t v[4] = {
		r->k0 ^ 0x736f6d6570736575ULL, r->k1 ^ 0x646f72616e646f6dULL,
		r->k0 ^ 0x6c7967656e657261ULL, r->k1 ^ 0x7465646279746573ULL,
	};
	/* the last word carries the message length (8) in its top byte */
	uint64_t b = 8ULL << 56;

	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
	v[3] ^= b;
	sipround(v);
	sipround(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	sipround(v);
	sipround(v);
	sipround(v);
	sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

int kms_redact__init(struct kms_redact *r)
{
	return getrandom(r, sizeof(*r), 0) == sizeof(*r) ? 0 : -errno;
}
