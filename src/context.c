// SPDX-License-Identifier: GPL-2.0
/*
 * context.c - see context.h.
 */
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "decode.h"

static const char *const names[KMS_CTX_MAX] = {
	[KMS_CTX_HARDIRQ] = "hardirq",
	[KMS_CTX_SOFTIRQ] = "softirq",
	[KMS_CTX_PREEMPT_OFF] = "preempt-off",
	[KMS_CTX_BH_OFF] = "bh-off",
	[KMS_CTX_RCU] = "rcu",
	[KMS_CTX_MEMALLOC] = "memalloc",
	[KMS_CTX_NOFS] = "nofs",
	[KMS_CTX_NOIO] = "noio",
};

/*
 * Every event goes through here (collector hot path): the KMS_EVF_*
 * context bits are 3, 4 and 6..11, the KMS_CTX_BIT()s 0..7 in the same
 * order, so two shifts map them.
 */
_Static_assert(KMS_EVF_HARDIRQ >> 3 == KMS_CTX_BIT(KMS_CTX_HARDIRQ) &&
	       KMS_EVF_SOFTIRQ >> 3 == KMS_CTX_BIT(KMS_CTX_SOFTIRQ) &&
	       KMS_EVF_PREEMPT_OFF >> 4 == KMS_CTX_BIT(KMS_CTX_PREEMPT_OFF) &&
	       KMS_EVF_BH_OFF >> 4 == KMS_CTX_BIT(KMS_CTX_BH_OFF) &&
	       KMS_EVF_RCU >> 4 == KMS_CTX_BIT(KMS_CTX_RCU) &&
	       KMS_EVF_MEMALLOC >> 4 == KMS_CTX_BIT(KMS_CTX_MEMALLOC) &&
	       KMS_EVF_NOFS >> 4 == KMS_CTX_BIT(KMS_CTX_NOFS) &&
	       KMS_EVF_NOIO >> 4 == KMS_CTX_BIT(KMS_CTX_NOIO), "context bit layout");

#define SCOPE_BITS	(KMS_CTX_BIT(KMS_CTX_RCU) | KMS_CTX_BIT(KMS_CTX_MEMALLOC) | \
			 KMS_CTX_BIT(KMS_CTX_NOFS) | KMS_CTX_BIT(KMS_CTX_NOIO))
#define IRQ_BITS	(KMS_CTX_BIT(KMS_CTX_HARDIRQ) | KMS_CTX_BIT(KMS_CTX_SOFTIRQ))

unsigned int kms_ctx_of(unsigned int ev_flags)
{
	unsigned int bits = ((ev_flags >> 3) & 0x3) | ((ev_flags >> 4) & 0xfc);

	return (bits & IRQ_BITS) ? bits & ~SCOPE_BITS : bits;
}

const char *kms_ctx_name(enum kms_ctx c)
{
	return (unsigned int)c < KMS_CTX_MAX ? names[c] : "?";
}

const char *kms_ctx_format(unsigned int bits, char *buf, size_t len)
{
	size_t used = 0;
	int c, n;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (c = 0; c < KMS_CTX_MAX; c++) {
		if (!(bits & KMS_CTX_BIT(c)))
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", names[c]);
		if (n < 0 || (size_t)n >= len - used) {
			buf[used] = '\0';	/* whole names only */
			break;
		}
		used += n;
	}
	if (!used)
		snprintf(buf, len, "task");
	return buf;
}
