// SPDX-License-Identifier: GPL-2.0
/*
 * test_context.c - unit tests for src/context.c: event flags to context
 * bits, the task's scope dropped inside interrupts, which contexts
 * forbid sleeping, and the names people and the JSON read.
 */
#include <string.h>

#include "context.h"
#include "decode.h"
#include "test.h"

#define B(c) KMS_CTX_BIT(KMS_CTX_##c)

TEST(bits_of_flags)
{
	CHECK_INT(kms_ctx_of(0), ==, 0);
	CHECK_INT(kms_ctx_of(KMS_EVF_FAILED | KMS_EVF_STACK), ==, 0);	/* not context */
	CHECK_INT(kms_ctx_of(KMS_EVF_PREEMPT_OFF | KMS_EVF_BH_OFF), ==, B(PREEMPT_OFF) | B(BH_OFF));
	CHECK_INT(kms_ctx_of(KMS_EVF_RCU | KMS_EVF_NOFS), ==, B(RCU) | B(NOFS));
	CHECK_INT(kms_ctx_of(KMS_EVF_MEMALLOC | KMS_EVF_NOIO), ==, B(MEMALLOC) | B(NOIO));
	/* In an interrupt, current's scope is the interrupted task's: dropped. */
	CHECK_INT(kms_ctx_of(KMS_EVF_SOFTIRQ | KMS_EVF_RCU | KMS_EVF_NOFS | KMS_EVF_BH_OFF), ==,
		  B(SOFTIRQ) | B(BH_OFF));
	CHECK_INT(kms_ctx_of(KMS_EVF_HARDIRQ | KMS_EVF_MEMALLOC | KMS_EVF_NOIO | KMS_EVF_RCU), ==,
		  B(HARDIRQ));
}

TEST(atomic)
{
	CHECK(!kms_ctx_atomic(0));
	CHECK(!kms_ctx_atomic(B(NOFS) | B(NOIO) | B(MEMALLOC)));
	CHECK(kms_ctx_atomic(B(RCU)));
	CHECK(kms_ctx_atomic(B(HARDIRQ)));
	CHECK(kms_ctx_atomic(B(SOFTIRQ)));
	CHECK(kms_ctx_atomic(B(PREEMPT_OFF) | B(NOFS)));
	CHECK(kms_ctx_atomic(B(BH_OFF)));
}

TEST(format)
{
	char buf[96];

	CHECK_STR(kms_ctx_format(0, buf, sizeof(buf)), "task");
	CHECK_STR(kms_ctx_format(B(RCU), buf, sizeof(buf)), "rcu");
	CHECK_STR(kms_ctx_format(B(SOFTIRQ) | B(BH_OFF), buf, sizeof(buf)), "softirq,bh-off");
	CHECK_STR(kms_ctx_format((1u << KMS_CTX_MAX) - 1, buf, sizeof(buf)),
		  "hardirq,softirq,preempt-off,bh-off,rcu,memalloc,nofs,noio");
	/* Cut at a whole name, never mid-word. */
	CHECK_STR(kms_ctx_format(B(HARDIRQ) | B(SOFTIRQ), buf, 12), "hardirq");
	CHECK_STR(kms_ctx_name(KMS_CTX_MAX), "?");
}

int main(void)
{
	t_suite = "context";
	RUN(bits_of_flags);
	RUN(atomic);
	RUN(format);
	return test_done();
}
