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

/* What kms_ctx_of()'s two shifts rely on. */
_Static_assert(KMS_EVF_HARDIRQ >> 3 == KMS_CTX_BIT(KMS_CTX_HARDIRQ) &&
	       KMS_EVF_SOFTIRQ >> 3 == KMS_CTX_BIT(KMS_CTX_SOFTIRQ) &&
	       KMS_EVF_PREEMPT_OFF >> 4 == KMS_CTX_BIT(KMS_CTX_PREEMPT_OFF) &&
	       KMS_EVF_BH_OFF >> 4 == KMS_CTX_BIT(KMS_CTX_BH_OFF) &&
	       KMS_EVF_RCU >> 4 == KMS_CTX_BIT(KMS_CTX_RCU) &&
	       KMS_EVF_MEMALLOC >> 4 == KMS_CTX_BIT(KMS_CTX_MEMALLOC) &&
	       KMS_EVF_NOFS >> 4 == KMS_CTX_BIT(KMS_CTX_NOFS) &&
	       KMS_EVF_NOIO >> 4 == KMS_CTX_BIT(KMS_CTX_NOIO), "context bit layout");


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
