/* SPDX-License-Identifier: GPL-2.0 */
/*
 * redact.h - --redact: kernel addresses in outputs meant to be shared
 * become keyed hashes.  SipHash-2-4 (Aumasson and Bernstein) with a key
 * drawn from getrandom() per run: equal addresses give equal tokens in
 * one output, so rows still match up, but neither an address nor the
 * distance between two can be computed back without the key.
 */
#ifndef KMS_REDACT_H
#define KMS_REDACT_H

#include <stdint.h>

struct kms_redact {
	uint64_t k0, k1;
};

/* A fresh random key.  Returns 0 or -errno. */
int kms_redact__init(struct kms_redact *r);
uint64_t kms_redact__hash(const struct kms_redact *r, uint64_t v);

#endif /* KMS_REDACT_H */
