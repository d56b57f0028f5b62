// SPDX-License-Identifier: GPL-2.0
/*
 * loader.c - see loader.h.  Order of work: probe what the kernel offers,
 * open the skeleton, write the configuration into .rodata, pick the program
 * family, size the maps, load, attach.  If the tp_btf family cannot load,
 * the whole object is reopened with the classic tracepoint family.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "loader.h"	/* kmscope_event.h before the skeleton */
#include "kms_kstate.h"
#include "kmscope.skel.h"
#include "log.h"
#include "tracefs.h"
#include "util.h"

struct loader {
	struct kmscope_bpf *skel;
	bool classic;
	bool ptr_probe_read;
	bool kfunc_cache;	/* the *_kc programs are in use */
	bool preempt;		/* the kms_pc_* programs read the preempt count */
	bool task_ctx;		/* allocations carry current's RCU/PF_MEMALLOC* scope */
	bool rcu_nesting;	/* ... including rcu_read_lock() (PREEMPT_RCU) */
	bool no_extras;		/* retrying without the optional programs */
	bool fentry_bulk;	/* fentry on kmem_cache_free_bulk() attaches */
	const char *bulk;	/* kms_free_bulk*: "fentry", "kprobe" or NULL */
	bool has_sheaf;		/* kfree_rcu() into sheaves (6.18+: __kfree_rcu_sheaf) */
	bool fentry_sheaf;	/* ... and an fentry there attaches */
	bool sheaf;		/* kms_rcu_sheaf is attached */
	bool fentry_rcu_call;	/* fentry on kvfree_call_rcu() attaches */
	const char *rcu_call;	/* kms_rcu_call*: "fentry", "kprobe", or NULL */
	enum kms_backup backup;	/* which kms_bk_* programs recover recursion misses */
};

/*
 * Typed per-CPU ksyms resolve only when kallsyms lists data symbols
 * (CONFIG_KALLSYMS_ALL): look for the preempt count before asking for it.
 */
static bool has_preempt_ksym(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		const char *name = strrchr(line, ' ');

		found = name && (!strcmp(name, " __preempt_count\n") || !strcmp(name, " pcpu_hot\n"));
	}
	if (f)
		fclose(f);
	return found;
}

/* Does struct `type` have a member `member` (a kernel config shows in BTF)? */
static bool has_member(const struct btf *vmlinux, const char *type, const char *member)
{
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, type, BTF_KIND_STRUCT) : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(vmlinux, id) : NULL;
	const struct btf_member *m;
	int i;

	for (i = 0, m = t ? btf_members(t) : NULL; t && i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(vmlinux, m->name_off), member))
			return true;
	return false;
}

static bool has_tracepoint_btf(const struct btf *vmlinux, const char *tp)
{
	char name[128];

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	return vmlinux && btf__find_by_name_kind(vmlinux, name, BTF_KIND_TYPEDEF) > 0;
}

/*
 * Can a tp_btf program read the `const void *ptr` argument directly?
 * Kernels before "bpf: Allow access to const void pointer arguments in
 * tracing programs" (2025; Debian 6.1 and 6.12) reject it.  Loads
 * `r0 = *(u64 *)(r1 + 8); r0 = 0; exit` against kfree and keeps the answer.
 */
static bool probe_direct_ptr(const struct btf *vmlinux)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_0,
		  .src_reg = BPF_REG_1, .off = 8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_RAW_TP);
	int id, fd;

	id = btf__find_by_name_kind(vmlinux, "btf_trace_kfree", BTF_KIND_TYPEDEF);
	if (id <= 0)
		return false;
	o.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "kms_probe_ptr", "GPL", insns,
			   ARRAY_SIZE(insns), &o);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * Frees without a kmem event (kms_free_bulk): does an fentry program on
 * kmem_cache_free_bulk() load and attach here?  The 6.18 development
 * machine refuses fentry (EPERM); a refused program would fail the whole
 * skeleton, so `r0 = 0; exit` is tried alone first.
 */
static bool probe_fentry(const struct btf *vmlinux, const char *func)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FENTRY);
	int id, fd, link;

	id = vmlinux ? btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC) : -1;
	if (id <= 0)
		return false;
	o.attach_btf_id = id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "kms_probe_fentry", "GPL", insns,
			   ARRAY_SIZE(insns), &o);
	if (fd < 0) {
		p_dbg("fentry on %s does not load: %s", func, strerror(errno));
		return false;
	}
	/* What libbpf does for fentry before BPF_LINK_CREATE (5.5+). */
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link >= 0)
		close(link);
	else
		p_dbg("fentry on %s does not attach: %s", func, strerror(errno));
	close(fd);
	return link >= 0;
}

/*
 * kvfree_call_rcu(head, ptr) (6.3+) or (head, func) (6.1): the second
 * parameter's name in BTF says which.
 */
static bool rcu_call_takes_ptr(const struct btf *vmlinux)
{
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, "kvfree_call_rcu", BTF_KIND_FUNC) : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(vmlinux, id) : NULL;
	const struct btf_param *p;

	t = t ? btf__type_by_id(vmlinux, t->type) : NULL;
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 2)
		return true;
	p = btf_params(t);
	return strcmp(btf__name_by_offset(vmlinux, p[1].name_off), "func");
}

/* Kprobes: the kprobe PMU is there (not on the development machine). */
static bool has_kprobes(void)
{
	return access("/sys/bus/event_source/devices/kprobe/type", R_OK) == 0;
}

static void configure(struct kmscope_bpf *s, const struct loader_opts *o, bool ptr_probe_read)
{
	const struct kms_filter *f = &o->filter;
	struct kmscope_bpf__rodata *ro = s->rodata;

	ro->cfg_tgid = f->tgid;
	ro->cfg_tid = f->tid;
	ro->cfg_cgroup = f->cgroup_id;
	ro->cfg_comm_set = f->comm[0] != 0;
	memcpy((void *)ro->cfg_comm, f->comm, sizeof(ro->cfg_comm));
	ro->cfg_min_size = f->min_size;
	ro->cfg_max_size = f->max_size ? f->max_size : 0xffffffff;
	ro->cfg_follow = f->follow;
	ro->cfg_filtering = kms_filter__set(f) || f->follow;
	ro->cfg_ptr_probe_read = ptr_probe_read;
	ro->cfg_self_tgid = o->trace_self ? 0 : getpid();
	ro->cfg_wakeup_bytes = o->ring_bytes / 4;
	ro->cfg_pair = o->pair;
}

static bool has_kfunc(const struct btf *vmlinux, const char *name)
{
	return vmlinux && btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) > 0;
}

/*
 * Does the kernel run no event program nested in itself on a CPU?  The
 * classic dispatch, trace_call_bpf(), never did (bpf_prog_active).  The
 * raw tracepoint dispatch, __bpf_trace_run(), guards each program with
 * prog->active and counts what it skips with bpf_prog_inc_misses_counter(),
 * a function made global for that guard (5.15 has only the trampoline's
 * static inc_misses_counter()): its name in BTF is the probe.
 */
static bool has_recursion_guard(const struct btf *vmlinux, bool classic)
{
	return classic || has_kfunc(vmlinux, "bpf_prog_inc_misses_counter");
}

static void choose_programs(struct kmscope_bpf *s, bool classic, const struct btf *vmlinux,
			    bool follow, bool kc, bool rcu)
{
	struct bpf_program *tpbtf[] = {
		s->progs.kms_kmalloc, s->progs.kms_kmalloc_node, s->progs.kms_cache_alloc,
		s->progs.kms_cache_alloc_node, s->progs.kms_kfree, s->progs.kms_cache_free,
		s->progs.kms_kmalloc_kc, s->progs.kms_kfree_kc,
	};
	struct bpf_program *tp[] = {
		s->progs.kms_tp_kmalloc, s->progs.kms_tp_cache_alloc,
		s->progs.kms_tp_kfree, s->progs.kms_tp_cache_free,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tpbtf); i++)
		bpf_program__set_autoload(tpbtf[i], !classic);
	for (i = 0; i < ARRAY_SIZE(tp); i++)
		bpf_program__set_autoload(tp[i], classic);
	/* Exactly one of each pair: with or without bpf_get_kmem_cache(). */
	if (!classic) {
		bpf_program__set_autoload(s->progs.kms_kmalloc, !kc);
		bpf_program__set_autoload(s->progs.kms_kfree, !kc);
		bpf_program__set_autoload(s->progs.kms_kmalloc_kc, kc);
		bpf_program__set_autoload(s->progs.kms_kfree_kc, kc);
	}
	/* The *_node tracepoints were folded into the main ones in 6.1. */
	if (!classic) {
		bpf_program__set_autoload(s->progs.kms_kmalloc_node,
					  has_tracepoint_btf(vmlinux, "kmalloc_node"));
		bpf_program__set_autoload(s->progs.kms_cache_alloc_node,
					  has_tracepoint_btf(vmlinux, "kmem_cache_alloc_node"));
	}
	bpf_program__set_autoload(s->progs.kms_rcu_bulk,
				  !classic && rcu &&
				  has_tracepoint_btf(vmlinux, "rcu_invoke_kfree_bulk_callback"));
	/* Context tracking is part of the tp_btf family. */
	bpf_program__set_autoload(s->progs.kms_irq_entry, !classic);
	bpf_program__set_autoload(s->progs.kms_irq_exit, !classic);
	bpf_program__set_autoload(s->progs.kms_softirq_entry, !classic);
	bpf_program__set_autoload(s->progs.kms_softirq_exit, !classic);
	/* struct hrtimer has had is_hard since 5.4. */
	bpf_program__set_autoload(s->progs.kms_hrtimer_entry,
				  !classic && has_member(vmlinux, "hrtimer", "is_hard"));
	bpf_program__set_autoload(s->progs.kms_hrtimer_exit,
				  !classic && has_member(vmlinux, "hrtimer", "is_hard"));
	bpf_program__set_autoload(s->progs.kms_fork, follow);
	/* Exits also forget a task's announcement: tids are reused. */
	bpf_program__set_autoload(s->progs.kms_exit, follow || !classic);
	bpf_program__set_autoload(s->progs.kms_cgroup_attach, !classic);
	bpf_program__set_autoload(s->progs.kms_tp_cgroup_attach, classic);
}

/*
 * The main programs that have a backup (kmscope.bpf.c, main_enter()),
 * each with its backup, both links, and whether it traces frees: the one
 * list choose_backups(), attach_backups() and detach_mains() go by.
 * kms_free_bulk's pair is attached by attach_bulk(), the backup first.
 */
struct backed {
	struct bpf_program *main, *bk;
	struct bpf_link **main_link, **bk_link;
	bool free;
	bool bulk;
};

#define KMS_BACKED	9
#define BACKED(s, name, is_free, is_bulk)					\
	{ (s)->progs.kms_##name, (s)->progs.kms_bk_##name, &(s)->links.kms_##name,	\
	  &(s)->links.kms_bk_##name, is_free, is_bulk }

static void backed_list(struct kmscope_bpf *s, struct backed out[KMS_BACKED])
{
	const struct backed all[] = {
		BACKED(s, kmalloc, false, false),
		BACKED(s, kmalloc_kc, false, false),
		BACKED(s, kmalloc_node, false, false),
		BACKED(s, cache_alloc, false, false),
		BACKED(s, cache_alloc_node, false, false),
		BACKED(s, kfree, true, false),
		BACKED(s, kfree_kc, true, false),
		BACKED(s, cache_free, true, false),
		BACKED(s, free_bulk, true, true),
	};

	_Static_assert(ARRAY_SIZE(all) == KMS_BACKED, "every backed program listed");
	memcpy(out, all, sizeof(all));
}

/* The backup of each main program in use: of every one, or of the frees only. */
static void choose_backups(struct kmscope_bpf *s, enum kms_backup b)
{
	struct backed p[KMS_BACKED];
	size_t i;
	bool on;

	backed_list(s, p);
	for (i = 0; i < KMS_BACKED; i++) {
		on = p[i].free ? kms_backup__frees(b) : kms_backup__allocs(b);
		bpf_program__set_autoload(p[i].bk, on && bpf_program__autoload(p[i].main));
		/* attached by attach_backups() after every main program, or by attach_bulk() */
		bpf_program__set_autoattach(p[i].bk, false);
	}
}

/*
 * The backups, after every main program (a tracepoint runs its programs in
 * the order attached): a main program's notes that no backup takes back
 * stay behind (kmscope.bpf.c, main_enter()), and the backups forget those
 * only once all are attached (backups_ready).
 */
static int attach_backups(struct kmscope_bpf *s)
{
	struct backed p[KMS_BACKED];
	size_t i;

	backed_list(s, p);
	for (i = 0; i < KMS_BACKED; i++) {
		if (p[i].bulk || !bpf_program__autoload(p[i].bk))
			continue;
		*p[i].bk_link = bpf_program__attach(p[i].bk);
		if (!*p[i].bk_link)
			return -errno;
	}
	s->bss->backups_ready = 1;
	return 0;
}

/*
 * kms_free_bulk, or its kprobe; with --backup, its backup first: a
 * trampoline runs the program attached last first, and the backup must
 * run after the main one (kmscope.bpf.c, kms_bk_free_bulk).
 */
static int attach_bulk(struct loader *l)
{
	struct kmscope_bpf *s = l->skel;

	if (!l->fentry_bulk) {
		s->links.kms_free_bulk_kp = bpf_program__attach(s->progs.kms_free_bulk_kp);
		return s->links.kms_free_bulk_kp ? 0 : -errno;
	}
	if (bpf_program__autoload(s->progs.kms_bk_free_bulk)) {
		s->links.kms_bk_free_bulk = bpf_program__attach(s->progs.kms_bk_free_bulk);
		if (!s->links.kms_bk_free_bulk)
			return -errno;
	}
	s->links.kms_free_bulk = bpf_program__attach(s->progs.kms_free_bulk);
	if (!s->links.kms_free_bulk) {
		int err = -errno;

		/* Not alone: it would trace what the warning says is not. */
		bpf_link__destroy(s->links.kms_bk_free_bulk);
		s->links.kms_bk_free_bulk = NULL;
		return err;
	}
	s->bss->bulk_main_up = 1;
	return 0;
}

/* kms_rcu_call or its kprobe; refused, it costs only itself, said. */
static void attach_rcu_call(struct loader *l)
{
	struct kmscope_bpf *s = l->skel;
	struct bpf_link **link = l->fentry_rcu_call ? &s->links.kms_rcu_call :
				 &s->links.kms_rcu_call_kp;

	*link = bpf_program__attach(l->fentry_rcu_call ? s->progs.kms_rcu_call :
				    s->progs.kms_rcu_call_kp);
	if (!*link) {
		p_warn("kfree_rcu() calls are not traced: attaching a %s to kvfree_call_rcu() "
		       "failed (%s)", l->rcu_call, strerror(errno));
		l->rcu_call = NULL;
	}
}

/* kms_rcu_sheaf; refused, it costs only itself, said. */
static void attach_sheaf(struct loader *l)
{
	struct kmscope_bpf *s = l->skel;

	s->links.kms_rcu_sheaf = bpf_program__attach(s->progs.kms_rcu_sheaf);
	if (!s->links.kms_rcu_sheaf)
		p_warn("kfree_rcu() into sheaves is not traced: attaching an fexit to "
		       "__kfree_rcu_sheaf() failed (%s)", strerror(errno));
	l->sheaf = s->links.kms_rcu_sheaf != NULL;
}

/* KMSCOPE_TEST_RECURSION=N: leave about one event in N to the backups (tests). */
static uint32_t test_skip(void)
{
	const char *v = getenv("KMSCOPE_TEST_RECURSION");

	return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

static int size_maps(struct kmscope_bpf *s, const struct loader_opts *o)
{
	bool filtering = s->rodata->cfg_filtering;
	int err;

	err = bpf_map__set_max_entries(s->maps.events, o->ring_bytes);
	if (!err && filtering)
		err = bpf_map__set_max_entries(s->maps.tracked, o->max_tracked);
	if (!err && o->filter.follow)
		err = bpf_map__set_max_entries(s->maps.followed, 65536);
	if (!err && !o->pair)
		err = bpf_map__set_max_entries(s->maps.held, 1);
	if (!err && o->stacks)
		err = bpf_map__set_max_entries(s->maps.stacks,
					       o->stack_entries ? o->stack_entries : 16384);
	return err;
}

static int open_load(struct loader *l, const struct loader_opts *o, const struct btf *vmlinux)
{
	struct kmscope_bpf *s = kmscope_bpf__open();
	int err;

	if (!s)
		return -errno;
	configure(s, o, l->ptr_probe_read);
	s->rodata->cfg_free_cache = o->free_cache;
	l->preempt = !l->classic && !l->no_extras && !o->no_preempt && has_preempt_ksym();
	s->rodata->cfg_preempt = l->preempt;
	bpf_program__set_autoload(s->progs.kms_pc_kmalloc, l->preempt);
	bpf_program__set_autoload(s->progs.kms_pc_cache_alloc, l->preempt);
	s->rodata->cfg_stacks = o->stacks;
	s->rodata->cfg_stacks_findings = o->stacks && o->stacks_findings;
	s->rodata->cfg_large_bytes = 2 * (uint32_t)sysconf(_SC_PAGESIZE);
	s->rodata->cfg_context = !l->classic;
	/* bpf_get_current_task_btf() needs kernel BTF, nothing else. */
	l->task_ctx = vmlinux != NULL && !o->no_task_ctx;
	l->rcu_nesting = has_member(vmlinux, "task_struct", "rcu_read_lock_nesting");
	s->rodata->cfg_pc_own_depth = kms_preempt_own_depth(l->rcu_nesting);
	s->rodata->cfg_task_ctx = l->task_ctx;
	s->rodata->cfg_plain_hits = has_recursion_guard(vmlinux, l->classic);
	p_dbg("tracepoint hits counted with %s", s->rodata->cfg_plain_hits ?
	      "plain increments: the dispatch runs no program nested in itself" :
	      "locked adds: no recursion guard in this kernel's BTF");
	l->kfunc_cache = !l->classic && !l->no_extras && !o->no_kfunc &&
			 has_kfunc(vmlinux, "bpf_get_kmem_cache");
	choose_programs(s, l->classic, vmlinux, o->filter.follow, l->kfunc_cache, !l->no_extras);
	/*
	 * Bulk frees and kfree_rcu batches: one of the two kms_free_bulk
	 * programs, attached by hand (a refused kprobe costs only itself);
	 * kms_rcu_bulk then stays out, its batches pass there too.
	 */
	l->bulk = l->classic || l->no_extras ? NULL : l->fentry_bulk ? "fentry" :
		  has_kprobes() ? "kprobe" : NULL;
	bpf_program__set_autoload(s->progs.kms_free_bulk, l->bulk && l->fentry_bulk);
	bpf_program__set_autoload(s->progs.kms_free_bulk_kp, l->bulk && !l->fentry_bulk);
	bpf_program__set_autoattach(s->progs.kms_free_bulk, false);
	bpf_program__set_autoattach(s->progs.kms_free_bulk_kp, false);
	if (l->bulk)
		bpf_program__set_autoload(s->progs.kms_rcu_bulk, false);
	/* kfree_rcu() into sheaves: with the fentry bulk program, by hand too. */
	bpf_program__set_autoload(s->progs.kms_rcu_sheaf, l->bulk && l->fentry_bulk &&
				  l->fentry_sheaf);
	bpf_program__set_autoattach(s->progs.kms_rcu_sheaf, false);
	/* kfree_rcu() calls: fentry, else a kprobe, by hand like the bulk frees. */
	l->rcu_call = l->classic || l->no_extras ? NULL : l->fentry_rcu_call ? "fentry" :
		      has_kprobes() ? "kprobe" : NULL;
	s->rodata->cfg_rcu_call_ptr = rcu_call_takes_ptr(vmlinux);
	bpf_program__set_autoload(s->progs.kms_rcu_call, l->rcu_call && l->fentry_rcu_call);
	bpf_program__set_autoload(s->progs.kms_rcu_call_kp, l->rcu_call && !l->fentry_rcu_call);
	bpf_program__set_autoattach(s->progs.kms_rcu_call, false);
	bpf_program__set_autoattach(s->progs.kms_rcu_call_kp, false);
	/* Classic tracepoints skip every program at once: nothing to recover. */
	l->backup = l->classic ? KMS_BACKUP_NONE : o->backup;
	choose_backups(s, l->backup);
	s->rodata->cfg_backup = l->backup != KMS_BACKUP_NONE;
	s->rodata->cfg_backup_allocs = kms_backup__allocs(l->backup);
	s->rodata->cfg_test_skip = l->backup ? test_skip() : 0;
	err = size_maps(s, o);
	if (!err)
		err = kmscope_bpf__load(s);
	if (err) {
		kmscope_bpf__destroy(s);
		return err;
	}
	l->skel = s;
	return 0;
}

static void explain(int err, char *msg, size_t len, const char *what)
{
	if (err == -EPERM)
		snprintf(msg, len, "%s: operation not permitted; kmscope needs root "
			 "(CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN) and a kernel that allows "
			 "BPF tracing (kernel.unprivileged_bpf_disabled, lockdown)", what);
	else if (err == -EACCES)
		snprintf(msg, len, "%s: the kernel's BPF verifier rejected them (run with -vv "
			 "for the verifier log, and report it with `uname -r`)", what);
	else if (err == -ENOENT || err == -ESRCH)
		snprintf(msg, len, "%s: a kmem tracepoint is missing from this kernel (%s)",
			 what, strerror(-err));
	else
		snprintf(msg, len, "%s: %s (run with -vv for the verifier log)", what,
			 strerror(-err));
}

/* Classic tracepoints attach by the event id libbpf reads from tracefs. */
static int need_tracefs(char *msg, size_t len)
{
	bool mounted;
	int err = tracefs__ensure(&mounted, msg, len);

	if (mounted)
		p_dbg("tracefs was not mounted: mounted it at %s", KMS_TRACEFS_DIR);
	return err;
}

int loader__start(struct loader **out, const struct loader_opts *o, char *msg, size_t len)
{
	struct loader *l = calloc(1, sizeof(*l));
	struct btf *vmlinux = NULL;
	int err;

	if (!l)
		return -ENOMEM;
	if (geteuid() != 0) {
		snprintf(msg, len, "kmscope needs root to load BPF programs: run it with sudo");
		err = -EPERM;
		goto fail;
	}
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		p_dbg("no kernel BTF: %s", strerror(errno));
	l->classic = o->force_classic || !vmlinux;
	l->ptr_probe_read = vmlinux && !probe_direct_ptr(vmlinux);
	l->fentry_bulk = probe_fentry(vmlinux, "kmem_cache_free_bulk");
	l->has_sheaf = vmlinux && btf__find_by_name_kind(vmlinux, "__kfree_rcu_sheaf",
							 BTF_KIND_FUNC) > 0;
	l->fentry_sheaf = l->has_sheaf && l->fentry_bulk &&
			  probe_fentry(vmlinux, "__kfree_rcu_sheaf");
	l->fentry_rcu_call = probe_fentry(vmlinux, "kvfree_call_rcu");
	if (l->classic && (err = need_tracefs(msg, len)))
		goto fail;
	err = open_load(l, o, vmlinux);
	/*
	 * One refused optional program (kfree_rcu batches, preempt count, kernel
	 * cache names) must not cost the whole tp_btf set: retry without them,
	 * loudly, since what they cover is then counted as untraced.
	 */
	if (err && !l->classic) {
		l->no_extras = true;
		if (!open_load(l, o, vmlinux)) {
			p_warn("the optional BPF programs (kfree_rcu batch frees, preempt count, "
			       "kernel cache names) did not load (%s); running without them "
			       "(-vv shows the verifier log)", strerror(-err));
			err = 0;
		}
	}
	if (err && !l->classic) {
		p_dbg("tp_btf programs did not load (%s); trying classic tracepoints",
		      strerror(-err));
		l->classic = true;
		err = need_tracefs(msg, len);
		if (err)
			goto fail;
		err = open_load(l, o, vmlinux);
	}
	if (err && !vmlinux) {
		snprintf(msg, len, "this kernel has no BTF (/sys/kernel/btf/vmlinux): kmscope needs "
			 "a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		goto fail;
	}
	if (err) {
		explain(err, msg, len, "loading the BPF programs failed");
		goto fail;
	}
	err = kmscope_bpf__attach(l->skel);
	if (!err && l->backup)
		err = attach_backups(l->skel);
	if (err) {
		explain(err, msg, len, "attaching to the kmem tracepoints failed");
		goto fail;
	}
	if (l->bulk) {
		int berr = attach_bulk(l);

		if (berr < 0) {
			p_warn("bulk frees and kfree_rcu batches are not traced: attaching a %s to "
			       "kmem_cache_free_bulk() failed (%s)", l->bulk, strerror(-berr));
			l->bulk = NULL;
		}
	}
	if (l->bulk && bpf_program__autoload(l->skel->progs.kms_rcu_sheaf))
		attach_sheaf(l);
	if (l->rcu_call)
		attach_rcu_call(l);
	btf__free(vmlinux);
	*out = l;
	return 0;
fail:
	btf__free(vmlinux);
	loader__stop(l);
	return err;
}

void loader__stop(struct loader *l)
{
	if (!l)
		return;
	kmscope_bpf__destroy(l->skel);
	free(l);
}

static void destroy_link(struct bpf_link **link)
{
	bpf_link__destroy(*link);
	*link = NULL;
}

/*
 * The main programs first, the backups after them: an event the kernel
 * keeps from a main program while the backups are still there is
 * recovered, not lost at the last moment.  Once mains_going is set, a
 * backup delivers an event it finds no note of without counting it
 * recovered (its main program may be gone rather than skipped), so
 * `unseen` never hides a loss.  Under KMSCOPE_TEST_RECURSION no event is
 * left to a backup from then on.
 */
static void detach_mains(struct kmscope_bpf *s)
{
	struct backed p[KMS_BACKED];
	size_t i;

	backed_list(s, p);
	if (s->rodata->cfg_test_skip) {
		s->bss->test_stop = 1;
		usleep(20000);
	}
	/*
	 * --backup=frees: the frees' backups go first.  Once the allocation
	 * programs are gone nothing would trace an allocation, and every
	 * free the backups still delivered (a main program's detach with its
	 * backup still there waits for a grace period: 5-16 ms each here)
	 * would be one of an allocation not traced: 6,000 dentries in a 2 s
	 * trace of the sock workload.  A free kept from its main program in
	 * the moment between is lost, counted unseen.
	 */
	for (i = 0; i < KMS_BACKED; i++)
		if (p[i].free && !s->rodata->cfg_backup_allocs)
			destroy_link(p[i].bk_link);
	s->bss->mains_going = 1;
	for (i = 0; i < KMS_BACKED; i++)
		destroy_link(p[i].main_link);
}

void loader__detach(struct loader *l)
{
	if (!l)
		return;
	if (l->backup)
		detach_mains(l->skel);
	kmscope_bpf__detach(l->skel);
}

/* A program that still had a slot at detach lets go of it within microseconds. */
#define HELD_WAIT_US	1000
#define HELD_WAITS	20

/* Slot i of the table; a slot that cannot be read counts as one a program kept. */
static bool held_get(const struct loader *l, __u32 i, struct kms_held *h)
{
	if (!bpf_map__lookup_elem(l->skel->maps.held, &i, sizeof(i), h, sizeof(*h), 0))
		return true;
	h->ptr = KMS_HELD_BUSY;
	return false;
}

static size_t held_busy(const struct loader *l)
{
	struct kms_held h;
	size_t n = 0;
	__u32 i;

	for (i = 0; i < KMS_HELD_SLOTS; i++)
		n += !held_get(l, i, &h) || h.ptr == KMS_HELD_BUSY;
	return n;
}

size_t loader__held(const struct loader *l, void (*fn)(void *ctx, const void *rec, size_t len),
		    void *ctx)
{
	struct kms_held h;
	size_t busy = 0;
	__u32 i;
	int w;

	if (!l->skel->rodata->cfg_pair)
		return 0;
	for (w = 0; held_busy(l) && w < HELD_WAITS; w++)
		usleep(HELD_WAIT_US);
	for (i = 0; i < KMS_HELD_SLOTS; i++) {
		held_get(l, i, &h);
		if (h.ptr > KMS_HELD_BUSY)
			fn(ctx, h.rec, sizeof(h.rec));
		busy += h.ptr == KMS_HELD_BUSY;
	}
	return busy;
}

int loader__ring_fd(const struct loader *l)
{
	return bpf_map__fd(l->skel->maps.events);
}

int loader__follow(struct loader *l, pid_t pid)
{
	__u32 key = pid;
	__u8 one = 1;

	return bpf_map__update_elem(l->skel->maps.followed, &key, sizeof(key), &one,
				    sizeof(one), BPF_ANY) ? -errno : 0;
}

/* The counter each main program's hits belong to (struct kms_cpu_hits). */
static const enum kms_counter hit_counter[KMS_HIT_MAX] = {
	[KMS_HIT_KMALLOC] = KMS_CNT_SEEN_KMALLOC,
	[KMS_HIT_KMALLOC_NODE] = KMS_CNT_SEEN_KMALLOC,
	[KMS_HIT_CACHE_ALLOC] = KMS_CNT_SEEN_CACHE_ALLOC,
	[KMS_HIT_CACHE_ALLOC_NODE] = KMS_CNT_SEEN_CACHE_ALLOC,
	[KMS_HIT_KFREE] = KMS_CNT_SEEN_KFREE,
	[KMS_HIT_CACHE_FREE] = KMS_CNT_SEEN_CACHE_FREE,
};

void loader__counters(const struct loader *l, uint64_t out[KMS_CNT_MAX])
{
	const struct kms_cpu_counters *pc = l->skel->bss->counters;
	const struct kms_cpu_hits *ph = l->skel->bss->hits;
	int i, c, ncpu = libbpf_num_possible_cpus();

	memset(out, 0, sizeof(uint64_t) * KMS_CNT_MAX);
	if (ncpu < 0 || ncpu > KMS_MAX_CPUS)
		ncpu = KMS_MAX_CPUS;
	for (c = 0; c < ncpu; c++) {
		for (i = 0; i < KMS_CNT_MAX; i++)
			out[i] += ((volatile const __u64 *)pc[c].c)[i];
		for (i = 0; i < KMS_HIT_MAX; i++)
			out[hit_counter[i]] += ((volatile const __u64 *)ph[c].h)[i];
	}
}

uint64_t loader__recursion_misses(const struct loader *l)
{
	struct bpf_program *p;
	uint64_t sum = 0;

	bpf_object__for_each_program(p, l->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

/* The kernel's recursion_misses summed over some programs (those loaded). */
static uint64_t misses_of(struct bpf_program *const progs[], size_t n)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(progs[i]);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

uint64_t loader__alloc_misses(const struct loader *l)
{
	const struct kmscope_bpf *s = l->skel;
	struct bpf_program *const allocs[] = {
		s->progs.kms_kmalloc, s->progs.kms_kmalloc_kc, s->progs.kms_kmalloc_node,
		s->progs.kms_cache_alloc, s->progs.kms_cache_alloc_node, s->progs.kms_tp_kmalloc,
		s->progs.kms_tp_cache_alloc,
	};

	return misses_of(allocs, ARRAY_SIZE(allocs));
}

uint64_t loader__main_misses(const struct loader *l)
{
	const struct kmscope_bpf *s = l->skel;
	struct bpf_program *const frees[] = {
		s->progs.kms_kfree, s->progs.kms_kfree_kc, s->progs.kms_cache_free,
		s->progs.kms_tp_kfree, s->progs.kms_tp_cache_free,
		/* a skipped bulk free: all its pointers unseen */
		s->progs.kms_free_bulk, s->progs.kms_free_bulk_kp, s->progs.kms_rcu_sheaf,
	};
	int c, ncpu = libbpf_num_possible_cpus();
	uint64_t sum = loader__alloc_misses(l) + misses_of(frees, ARRAY_SIZE(frees));

	if (ncpu < 0 || ncpu > KMS_MAX_CPUS)
		ncpu = KMS_MAX_CPUS;
	for (c = 0; c < ncpu; c++)
		sum += ((volatile const __u64 *)s->bss->test_skips)[c * 8];
	return sum;
}

enum kms_backup loader__backup(const struct loader *l)
{
	return l->backup;
}

const char *loader__method(const struct loader *l)
{
	return l->classic ? "tracepoint" : "tp_btf";
}

bool loader__ptr_probe_read(const struct loader *l)
{
	return l->ptr_probe_read;
}

bool loader__kfunc_cache(const struct loader *l)
{
	return l->kfunc_cache;
}

int loader__stack(const struct loader *l, int32_t id, uint64_t *ips, size_t max)
{
	uint64_t buf[KMS_STACK_DEPTH] = { 0 };
	__u32 key = id;
	size_t n;

	if (bpf_map__lookup_elem(l->skel->maps.stacks, &key, sizeof(key), buf, sizeof(buf), 0))
		return -errno;
	for (n = 0; n < KMS_STACK_DEPTH && n < max && buf[n]; n++)
		ips[n] = buf[n];
	return n;
}

bool loader__context(const struct loader *l)
{
	return !l->classic;
}

bool loader__preempt(const struct loader *l)
{
	return l->preempt;
}

bool loader__task_ctx(const struct loader *l)
{
	return l->task_ctx;
}

bool loader__rcu_nesting(const struct loader *l)
{
	return l->task_ctx && l->rcu_nesting;
}

bool loader__rcu_bulk(const struct loader *l)
{
	return bpf_program__autoload(l->skel->progs.kms_rcu_bulk) || l->bulk;
}

const char *loader__bulk_free(const struct loader *l)
{
	return l->bulk;
}

const char *loader__rcu_call(const struct loader *l)
{
	return l->rcu_call;
}

enum kms_sheaf loader__rcu_sheaf(const struct loader *l)
{
	return l->sheaf ? KMS_SHEAF_TRACED : l->has_sheaf ? KMS_SHEAF_UNTRACED : KMS_SHEAF_NONE;
}
