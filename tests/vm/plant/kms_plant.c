// SPDX-License-Identifier: GPL-2.0
/*
 * kms_plant - plant allocator bugs (and their correct twins) for kmscope.
 *
 * Loading this module makes, from a noinline function of its own for each
 * (so that every case has its own call site, plant_<case>+0xoff [kms_plant]):
 *
 *   plant_hardirq_kernel    GFP_KERNEL in a hard-irq hrtimer callback     bug
 *   plant_hardirq_atomic    GFP_ATOMIC in the same callback               correct
 *   plant_softirq_kernel    GFP_KERNEL in a timer_list callback (softirq) bug
 *   plant_spinlock_kernel   GFP_KERNEL under spin_lock()                  bug
 *   plant_rcu_kernel        GFP_KERNEL inside rcu_read_lock()             bug
 *   plant_process_kernel    GFP_KERNEL in module init (process context)   correct
 *   plant_nofs_in_scope     GFP_NOFS inside memalloc_nofs_save()          hint
 *   plant_failure           8 MiB kmalloc, above KMALLOC_MAX_SIZE: NULL   failure
 *   plant_leak              200-byte objects kept until rmmod             leak
 *   plant_atomic_large      32 KiB GFP_ATOMIC kmalloc from process ctx    warning
 *   plant_kvmalloc          kvmalloc() of 3 pages with GFP_KERNEL         correct
 *
 * each nr times (module parameter, default 20), every allocation but the
 * leaked ones freed at once; and
 *
 *   plant_grow              GROW_OBJECTS objects of a cache of its own    kept
 *
 * (kms_plant_grow, made at init with a constructor, which SLUB never
 * merges: the slab growth test's cache, new during the trace, filled on
 * one CPU so that its slabs are exactly GROW_OBJECTS / objs_per_slab
 * rounded up; kept until rmmod, then the cache is destroyed).
 *
 * At every site the module records what the kernel says of its context
 * (in_hardirq(), in_serving_softirq(), preempt_count(), irqs_disabled(),
 * rcu_preempt_depth(), the task's PF_MEMALLOC_NOFS), and init prints one
 * line per site: the first call's values, the calls (n), the NULL
 * returns, and per context the successful allocations made in it (struct
 * plant_site), e.g.
 *
 *   kms_plant: plant_hardirq_kernel hardirq=1 softirq=0 preempt_count=0x10000
 *     irqs_disabled=1 rcu_depth=0 nofs=0 n=20 null=0 in_hardirq=20
 *     in_softirq=0 in_preempt_off=0 in_bh_off=0 in_rcu=0 in_nofs=0
 *
 * (one line in dmesg).  init makes the process-context allocations first,
 * then runs the hrtimer nr times, then the timer nr times, each pinned to
 * init's CPU while init spins there (plant_spin_until()), and returns when
 * all have run: every planted allocation has happened when insmod returns.
 * Used by tests/vm/plant-in-vm.sh.
 */
#include <linux/completion.h>
#include <linux/hardirq.h>
#include <linux/hrtimer.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/version.h>

static unsigned int nr = 20;
module_param(nr, uint, 0444);
MODULE_PARM_DESC(nr, "times each site allocates (default 20, at most 1000)");

#define PLANT_MAX	1000
#define SMALL_SIZE	64			/* kmalloc-64: no rounding */
#define LEAK_SIZE	200			/* kmalloc-256: 56 bytes of waste */
#define LARGE_SIZE	(32 * 1024)		/* order 3, from the page allocator */
#define FAIL_SIZE	(8 * 1024 * 1024)	/* order 11 > MAX_ORDER - 1 */
#define KV_SIZE		(3 * PAGE_SIZE)
#define GROW_OBJECTS	500
#define GROW_SIZE	192
#define GROW_CACHE	"kms_plant_grow"

/*
 * What a site saw of its context: the first call's values, and per context
 * the number of calls made in it (what kmscope's in_* counts must equal).
 * In an interrupt, current's rcu_read_lock() nesting and PF_MEMALLOC_NOFS
 * belong to the interrupted task, not to the handler, so they count only
 * outside one.  The preempt depth counts wherever it is non-zero: in an
 * interrupt it may be the interrupted context's (the idle task runs with
 * preemption disabled), and the preempt count cannot tell.
 */
struct plant_site {
	const char *name;
	unsigned int calls;
	unsigned int nulls;
	int hardirq;
	int softirq;
	unsigned int pc;
	int irqs_off;
	int rcu_depth;
	int nofs;
	unsigned int in_hardirq;
	unsigned int in_softirq;
	unsigned int in_preempt_off;
	unsigned int in_bh_off;
	unsigned int in_rcu;
	unsigned int in_nofs;
};

enum {
	S_HARDIRQ_KERNEL, S_HARDIRQ_ATOMIC, S_SOFTIRQ_KERNEL, S_SPINLOCK_KERNEL,
	S_RCU_KERNEL, S_PROCESS_KERNEL, S_NOFS_IN_SCOPE, S_FAILURE, S_LEAK,
	S_ATOMIC_LARGE, S_KVMALLOC, S_GROW, S_NR
};

static struct plant_site sites[S_NR] = {
	[S_HARDIRQ_KERNEL]	= { .name = "plant_hardirq_kernel" },
	[S_HARDIRQ_ATOMIC]	= { .name = "plant_hardirq_atomic" },
	[S_SOFTIRQ_KERNEL]	= { .name = "plant_softirq_kernel" },
	[S_SPINLOCK_KERNEL]	= { .name = "plant_spinlock_kernel" },
	[S_RCU_KERNEL]		= { .name = "plant_rcu_kernel" },
	[S_PROCESS_KERNEL]	= { .name = "plant_process_kernel" },
	[S_NOFS_IN_SCOPE]	= { .name = "plant_nofs_in_scope" },
	[S_FAILURE]		= { .name = "plant_failure" },
	[S_LEAK]		= { .name = "plant_leak" },
	[S_ATOMIC_LARGE]	= { .name = "plant_atomic_large" },
	[S_KVMALLOC]		= { .name = "plant_kvmalloc" },
	[S_GROW]		= { .name = "plant_grow" },
};

/* Static, so that no allocation of the module but the planted ones stays live. */
static void *leaked[PLANT_MAX];
static void *grown[GROW_OBJECTS];
static struct kmem_cache *grow_cache;
static DEFINE_SPINLOCK(plant_lock);
static struct hrtimer plant_hrtimer;
static struct timer_list plant_timer;
static unsigned int hrtimer_runs, timer_runs;
static bool hrtimer_finished, timer_finished;
static DECLARE_COMPLETION(hrtimer_done);
static DECLARE_COMPLETION(timer_done);

/* Record the context of one call; always inline, so it runs in the site's. */
static __always_inline void plant_note(struct plant_site *s, const void *p)
{
	int hardirq = !!(in_hardirq() || in_nmi());
	int softirq = !hardirq && in_serving_softirq();
	unsigned int pc = preempt_count();
	int rcu_depth = rcu_preempt_depth();
	int nofs = !!(current->flags & PF_MEMALLOC_NOFS);

	if (!s->calls) {
		s->hardirq = hardirq;
		s->softirq = softirq;
		s->pc = pc;
		s->irqs_off = !!irqs_disabled();
		s->rcu_depth = rcu_depth;
		s->nofs = nofs;
	}
	s->calls++;
	if (!p) {
		s->nulls++;
		return;		/* a failed allocation has no context in kmscope */
	}
	s->in_hardirq += hardirq;
	s->in_softirq += softirq;
	s->in_preempt_off += !!(pc & PREEMPT_MASK);
	s->in_bh_off += (pc & SOFTIRQ_MASK) >= SOFTIRQ_DISABLE_OFFSET;
	if (!in_interrupt()) {
		s->in_rcu += rcu_depth > 0;
		s->in_nofs += nofs;
	}
}

/* The bug: a sleeping allocation in a hard interrupt. */
static noinline void plant_hardirq_kernel(void)
{
	void *p = kmalloc(SMALL_SIZE, GFP_KERNEL);

	plant_note(&sites[S_HARDIRQ_KERNEL], p);
	kfree(p);
}

/* The correct version beside it. */
static noinline void plant_hardirq_atomic(void)
{
	void *p = kmalloc(SMALL_SIZE, GFP_ATOMIC);

	plant_note(&sites[S_HARDIRQ_ATOMIC], p);
	kfree(p);
}

static enum hrtimer_restart plant_hrtimer_fn(struct hrtimer *t)
{
	plant_hardirq_kernel();
	plant_hardirq_atomic();
	if (++hrtimer_runs < nr) {
		hrtimer_forward_now(t, ms_to_ktime(1));
		return HRTIMER_RESTART;
	}
	WRITE_ONCE(hrtimer_finished, true);
	complete(&hrtimer_done);
	return HRTIMER_NORESTART;
}

static noinline void plant_softirq_kernel(void)
{
	void *p = kmalloc(SMALL_SIZE, GFP_KERNEL);

	plant_note(&sites[S_SOFTIRQ_KERNEL], p);
	kfree(p);
}

static void plant_timer_fn(struct timer_list *t)
{
	plant_softirq_kernel();
	if (++timer_runs < nr) {
		mod_timer(&plant_timer, jiffies + 1);
	} else {
		WRITE_ONCE(timer_finished, true);
		complete(&timer_done);
	}
}

static noinline void plant_spinlock_kernel(void)
{
	void *p;

	spin_lock(&plant_lock);
	p = kmalloc(SMALL_SIZE, GFP_KERNEL);
	plant_note(&sites[S_SPINLOCK_KERNEL], p);
	spin_unlock(&plant_lock);
	kfree(p);
}

static noinline void plant_rcu_kernel(void)
{
	void *p;

	rcu_read_lock();
	p = kmalloc(SMALL_SIZE, GFP_KERNEL);
	plant_note(&sites[S_RCU_KERNEL], p);
	rcu_read_unlock();
	kfree(p);
}

static noinline void plant_process_kernel(void)
{
	void *p = kmalloc(SMALL_SIZE, GFP_KERNEL);

	plant_note(&sites[S_PROCESS_KERNEL], p);
	kfree(p);
}

static noinline void plant_nofs_in_scope(void)
{
	unsigned int flags = memalloc_nofs_save();
	void *p = kmalloc(SMALL_SIZE, GFP_NOFS);

	plant_note(&sites[S_NOFS_IN_SCOPE], p);
	memalloc_nofs_restore(flags);
	kfree(p);
}

/*
 * A constant size above KMALLOC_MAX_CACHE_SIZE makes kmalloc() call
 * kmalloc_large() (6.1) or __kmalloc_large_noprof() (6.12) directly: one
 * kmalloc event with this function as call_site, traced after the page
 * allocator returned NULL for order 11 (above MAX_ORDER - 1 = 10 on 6.1,
 * MAX_PAGE_ORDER = 10 on 6.12; __GFP_NOWARN keeps it quiet).
 */
static noinline void plant_failure(void)
{
	void *p = kmalloc(FAIL_SIZE, GFP_KERNEL | __GFP_NOWARN);

	plant_note(&sites[S_FAILURE], p);
	kfree(p);
}

static noinline void *plant_leak(void)
{
	void *p = kmalloc(LEAK_SIZE, GFP_KERNEL);

	plant_note(&sites[S_LEAK], p);
	return p;
}

static noinline void plant_atomic_large(void)
{
	void *p = kmalloc(LARGE_SIZE, GFP_ATOMIC);

	plant_note(&sites[S_ATOMIC_LARGE], p);
	kfree(p);
}

/* Correct: the kmalloc attempt inside is kvmalloc_node()'s own call site. */
static noinline void plant_kvmalloc(void)
{
	void *p = kvmalloc(KV_SIZE, GFP_KERNEL);

	plant_note(&sites[S_KVMALLOC], p);
	kvfree(p);
}

/* A constructor keeps SLUB from merging the cache with any other. */
static void plant_grow_ctor(void *p)
{
	memset(p, 0, GROW_SIZE);
}

static noinline void *plant_grow(void)
{
	void *p = kmem_cache_alloc(grow_cache, GFP_KERNEL);

	plant_note(&sites[S_GROW], p);
	return p;
}

/*
 * Fill the new cache from one CPU (migrate_disable() still lets the task
 * sleep): SLUB then takes a fresh slab only when the CPU's slab is full,
 * so no slab is left half used on another CPU.
 */
static int plant_grow_fill(void)
{
	unsigned int i;

	grow_cache = kmem_cache_create(GROW_CACHE, GROW_SIZE, 0, 0, plant_grow_ctor);
	if (!grow_cache)
		return -ENOMEM;
	migrate_disable();
	for (i = 0; i < GROW_OBJECTS; i++)
		grown[i] = plant_grow();
	migrate_enable();
	return 0;
}

static void plant_grow_free(void)
{
	unsigned int i;

	if (!grow_cache)
		return;
	for (i = 0; i < GROW_OBJECTS; i++)
		if (grown[i])
			kmem_cache_free(grow_cache, grown[i]);
	kmem_cache_destroy(grow_cache);
	grow_cache = NULL;
}

static void plant_report(void)
{
	int i;

	pr_info("kms_plant: config PREEMPT_RCU=%d PREEMPT_COUNT=%d HZ=%d nr=%u grow_cache=%s grow_objects=%u\n",
		IS_ENABLED(CONFIG_PREEMPT_RCU), IS_ENABLED(CONFIG_PREEMPT_COUNT),
		HZ, nr, GROW_CACHE, GROW_OBJECTS);
	for (i = 0; i < S_NR; i++) {
		struct plant_site *s = &sites[i];

		pr_info("kms_plant: %s hardirq=%d softirq=%d preempt_count=%#x irqs_disabled=%d rcu_depth=%d nofs=%d n=%u null=%u in_hardirq=%u in_softirq=%u in_preempt_off=%u in_bh_off=%u in_rcu=%u in_nofs=%u\n",
			s->name, s->hardirq, s->softirq, s->pc, s->irqs_off,
			s->rcu_depth, s->nofs, s->calls, s->nulls,
			s->in_hardirq, s->in_softirq, s->in_preempt_off,
			s->in_bh_off, s->in_rcu, s->in_nofs);
	}
}

static void plant_free_leaked(void)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		kfree(leaked[i]);
		leaked[i] = NULL;
	}
}

/*
 * Wait for a deferred site by spinning on this CPU, where its timer is
 * pinned: the interrupt then lands on this task, with a preempt count of
 * 0, never on the idle task (which runs with preemption disabled) nor in
 * the middle of another task's kmem tracepoint, where the tracer's BPF
 * program would still be running and the nested event would be dropped
 * as recursion.  Debian's kernels are PREEMPT_VOLUNTARY: nothing else runs
 * here meanwhile.  After 5 s (a softirq pushed to ksoftirqd, which needs
 * this CPU) the caller sleeps instead.
 */
static void plant_spin_until(const bool *done)
{
	unsigned long deadline = jiffies + 5 * HZ;

	while (!READ_ONCE(*done) && time_before(jiffies, deadline))
		cpu_relax();
}

static int __init kms_plant_init(void)
{
	unsigned int i;
	int err = -ETIMEDOUT;

	if (!nr || nr > PLANT_MAX)
		return -EINVAL;

	/* Process context first: none of init's own allocations runs later. */
	for (i = 0; i < nr; i++) {
		plant_spinlock_kernel();
		plant_rcu_kernel();
		plant_process_kernel();
		plant_nofs_in_scope();
		plant_failure();
		leaked[i] = plant_leak();
		plant_atomic_large();
		plant_kvmalloc();
	}
	err = plant_grow_fill();
	if (err) {
		pr_err("kms_plant: kmem_cache_create(%s) failed\n", GROW_CACHE);
		goto fail;
	}
	err = -ETIMEDOUT;

	/* Then the hard interrupt, nr times, then the softirq: one at a time. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(&plant_hrtimer, plant_hrtimer_fn, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL_PINNED_HARD);
#else
	hrtimer_init(&plant_hrtimer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	plant_hrtimer.function = plant_hrtimer_fn;
#endif
	hrtimer_start(&plant_hrtimer, ms_to_ktime(1), HRTIMER_MODE_REL_PINNED_HARD);
	plant_spin_until(&hrtimer_finished);
	if (!wait_for_completion_timeout(&hrtimer_done, 30 * HZ)) {
		hrtimer_cancel(&plant_hrtimer);
		pr_err("kms_plant: the hrtimer ran %u times, not %u\n", hrtimer_runs, nr);
		goto fail;
	}
	hrtimer_cancel(&plant_hrtimer);

	timer_setup(&plant_timer, plant_timer_fn, TIMER_PINNED);
	mod_timer(&plant_timer, jiffies + 1);
	plant_spin_until(&timer_finished);
	if (!wait_for_completion_timeout(&timer_done, 30 * HZ)) {
		timer_delete_sync(&plant_timer);
		pr_err("kms_plant: the timer ran %u times, not %u\n", timer_runs, nr);
		goto fail;
	}
	timer_delete_sync(&plant_timer);
	plant_report();
	return 0;
fail:
	plant_free_leaked();
	plant_grow_free();
	return err;
}

static void __exit kms_plant_exit(void)
{
	plant_free_leaked();
	plant_grow_free();
	pr_info("kms_plant: unloaded, %u leaked objects freed, %s destroyed\n", nr, GROW_CACHE);
}

module_init(kms_plant_init);
module_exit(kms_plant_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Plants allocator bugs and correct controls for kmscope's VM test");
