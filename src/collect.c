// SPDX-License-Identifier: GPL-2.0
/*
 * collect.c - see collect.h.  Owns the site and cache arrays (indexed by
 * dense ids), the maps that give those ids, the live-allocation table and
 * the tid -> comm and cgroup store, and the per-cgroup totals.  Per event:
 * at most two idmap lookups (three for a task's first allocation in a
 * row, four with by_cgroup) and one table operation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "alloc_table.h"
#include "collect.h"
#include "gfp.h"
#include "grow.h"
#include "idmap.h"
#include "kms_gfp_rules.h"
#include "util.h"

/* Remembered per tid to recognise the second event of a large kmalloc. */
struct last_large {
	uint64_t ptr;
	uint32_t bytes_req;
	uint32_t gfp;
	bool armed;		/* the first of a possible pair, not yet matched */
	uint32_t site;		/* ... its site and cache (failures move by these) */
	uint32_t cache;
};

/* Allocations waiting behind a newer one at their address (see older_first()). */
#define KMS_OLDER_MAX	8

struct task_comm {
	char comm[16];
	uint32_t tgid;
	uint32_t cgroup;	/* index into cgroups */
};

struct collector {
	struct collector_opts opts;
	struct kms_collect_counts counts;
	struct alloc_table *live;
	struct idmap *site_ids;
	struct idmap *cache_ids;	/* kernel pointer or model key -> id */
	struct idmap *task_ids;
	struct kms_site *sites;
	size_t nr_sites, cap_sites;
	struct kms_cache *caches;
	size_t nr_caches, cap_caches;
	struct task_comm *tasks;
	size_t nr_tasks, cap_tasks;
	uint32_t last_tid;		/* the task of the previous allocation ... */
	int64_t last_cgroup;		/* ... and its cgroup index (-1: none) */
	struct idmap *cgroup_ids;	/* cgroup id + 1 -> index */
	struct kms_cgroup *cgroups;
	size_t nr_cgroups, cap_cgroups;
	struct idmap *cgsite_ids;	/* by_cgroup: cgsite_key() -> index */
	struct kms_cgsite *cgsites;
	size_t nr_cgsites, cap_cgsites;
	struct idmap *large_ids;	/* tid -> index into last_large */
	struct last_large *last_large;
	size_t nr_large, cap_large;
	/*
	 * --pair: allocations that arrived after a newer one at their
	 * address, each waiting for its free, which comes next (older_first()).
	 */
	struct alloc_entry older[KMS_OLDER_MAX];
	unsigned int nr_older;
	uint64_t now_ms;		/* time of the latest event */
	uint64_t next_ms_us;		/* (now_ms + 1) ms in us: a later event moves now_ms */
	uint32_t period_ms;		/* between live-count samples */
	uint64_t next_sample_ms;
	uint64_t last_sample_us;	/* the latest sample's time: an event before it is late */
	uint32_t nr_samples;
	uint32_t large_above;		/* KMALLOC_MAX_CACHE_SIZE, from opts.kp once */
	uint64_t req_hist[KMS_REQ_HIST + 1];	/* kmalloc requests by size */
};

#define NS_PER_US	1000ULL
#define US_PER_MS	1000ULL

/* An event's time in us since the trace started (0 for one before). */
static uint64_t trace_us(const struct collector *c, const struct kms_event *ev)
{
	return ev->ts > c->opts.t0_ns ? (ev->ts - c->opts.t0_ns) / NS_PER_US : 0;
}

/*
 * A kmalloc the page allocator serves, above KMALLOC_MAX_CACHE_SIZE: no
 * slab's, judged one by one, and traced twice from 6.11.
 */
static bool large_kmalloc(const struct collector *c, const struct kms_event *ev, uint32_t size)
{
	return ev->type == KMS_EV_KMALLOC && size > c->large_above;
}

/*
 * Entries keep the low KMS_ALLOC_BORN_BITS of their time in us (203
 * days): a - b of two such times, read as signed, is right for any two
 * within 101 days of each other, however long the trace (a serve of a
 * year).
 */
static int64_t born_diff(uint64_t a, uint64_t b)
{
	uint64_t d = (a - b) & KMS_ALLOC_BORN_MAX;

	return d > KMS_ALLOC_BORN_MAX / 2 ? (int64_t)d - (int64_t)KMS_ALLOC_BORN_MAX - 1 :
					    (int64_t)d;
}

/* An entry's age at now_us; 0 for one born after it (a record another CPU's overtook). */
static uint64_t entry_age_us(const struct alloc_entry *e, uint64_t now_us)
{
	int64_t d = born_diff(now_us, e->born_us);

	return d > 0 ? (uint64_t)d : 0;
}

static void req_hist(struct collector *c, uint32_t bytes_req, int64_t n)
{
	c->req_hist[bytes_req < KMS_REQ_HIST ? bytes_req : KMS_REQ_HIST] += n;
}

struct collector *collector__new(const struct collector_opts *opts)
{
	struct collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->opts = *opts;
	c->large_above = kmalloc_max_cache_size(&opts->kp);
	c->period_ms = c->next_sample_ms = 1000;
	c->next_ms_us = US_PER_MS;
	c->live = alloc_table__new(0, opts->max_tracked);
	c->site_ids = idmap__new();
	c->cache_ids = idmap__new();
	c->task_ids = idmap__new();
	c->large_ids = idmap__new();
	c->cgroup_ids = idmap__new();
	c->cgsite_ids = idmap__new();
	c->last_cgroup = -1;
	if (!c->live || !c->site_ids || !c->cache_ids || !c->task_ids || !c->large_ids ||
	    !c->cgroup_ids || !c->cgsite_ids) {
		collector__free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void collector__free(struct collector *c)
{
	if (!c)
		return;
	alloc_table__free(c->live);
	idmap__free(c->site_ids);
	idmap__free(c->cache_ids);
	idmap__free(c->task_ids);
	idmap__free(c->large_ids);
	idmap__free(c->cgroup_ids);
	idmap__free(c->cgsite_ids);
	free(c->cgroups);
	free(c->cgsites);
	free(c->last_large);
	free(c->sites);
	free(c->caches);
	free(c->tasks);
	free(c);
}

/*
 * With -g a site is a (call site, stack) pair.  Kernel addresses have bits
 * 48-63 set, so the stack id takes their place in the key.
 */
static int64_t site_id(struct collector *c, uint64_t call_site, int32_t stack)
{
	/* Site address 0 cannot be an idmap key; keep it under a sentinel. */
	uint64_t key = call_site ? call_site : ~0ULL;
	int64_t id;

	if (stack >= 0)
		key = (call_site & 0x0000ffffffffffffULL) | (uint64_t)(stack + 1) << 48;
	id = idmap__get(c->site_ids, key);

	if (id >= 0)
		return id;
	if (c->nr_sites > KMS_ALLOC_SITE_MAX)
		return -ENOSPC;
	/* Zeroed by kms_grow(): only what is not zero is set here. */
	if (kms_grow((void **)&c->sites, &c->cap_sites, c->nr_sites + 1, sizeof(*c->sites), 64))
		return -ENOMEM;
	id = c->nr_sites;
	if (idmap__set(c->site_ids, key, id))
		return -ENOMEM;
	c->sites[id].call_site = call_site;
	c->sites[id].stack = stack >= 0 ? stack : -1;
	c->sites[id].req_min = UINT32_MAX;
	c->sites[id].gfp_and = UINT32_MAX;
	c->sites[id].nr_samples = c->nr_samples;	/* zero until it existed */
	c->nr_sites++;
	return id;
}

static int64_t new_cache(struct collector *c, uint64_t key)
{
	int64_t id;

	if (kms_grow((void **)&c->caches, &c->cap_caches, c->nr_caches + 1, sizeof(*c->caches),
		     64))
		return -ENOMEM;
	id = c->nr_caches;
	if (id > KMS_ALLOC_CACHE_MAX)
		return -ENOSPC;
	if (idmap__set(c->cache_ids, key, id))
		return -ENOMEM;
	c->nr_caches++;
	return id;
}

/* A kernel cache pointer no CACHE_INFO named: a row of its own, "cache@ptr". */
static int64_t unnamed_cache(struct collector *c, uint64_t kptr)
{
	struct kms_cache *k;
	int64_t id = new_cache(c, kptr);

	if (id < 0)
		return id;
	c->counts.unknown_cache++;
	k = &c->caches[id];
	k->kptr = kptr;
	snprintf(k->name, sizeof(k->name), "cache@%llx", (unsigned long long)kptr);
	return id;
}

/* A kernel cache pointer; its name normally arrived in a CACHE_INFO first. */
static inline int64_t kernel_cache_id(struct collector *c, uint64_t kptr)
{
	int64_t id = idmap__get(c->cache_ids, kptr);

	return id >= 0 ? id : unnamed_cache(c, kptr);
}

/*
 * Caches named by the model are keyed by (kind, type, bytes_alloc) with
 * bit 63 set and bits 48-62 clear.  Cache ids are canonical kernel
 * addresses (of the cache's name), whose bits 48-63 are all set, so the
 * two kinds of key never collide.
 */
static uint64_t model_key(int kind, unsigned int type, uint32_t bytes_alloc)
{
	return 1ULL << 63 | (uint64_t)kind << 40 | (uint64_t)type << 32 | bytes_alloc | 1;
}

static int64_t model_cache_id(struct collector *c, const struct kms_event *ev)
{
	const struct kmalloc_params *kp = &c->opts.kp;
	unsigned int type;
	struct kms_cache *k;
	uint64_t key;
	int64_t id;

	if (ev->type == KMS_EV_KMALLOC)
		type = large_kmalloc(c, ev, ev->bytes_alloc) ?
			KMALLOC_T_LARGE : kmalloc_type_of(kp, ev->gfp);
	else
		type = KMALLOC_T_MAX;	/* cache alloc without a cache (5.15) */
	key = model_key(ev->type, type, ev->bytes_alloc);
	id = idmap__get(c->cache_ids, key);
	if (id >= 0)
		return id;
	id = new_cache(c, key);
	if (id < 0)
		return id;
	k = &c->caches[id];
	k->from_model = true;
	k->size = ev->bytes_alloc;
	k->object_size = ev->bytes_alloc;
	if (type == KMALLOC_T_MAX)
		snprintf(k->name, sizeof(k->name), "cache-size-%u", ev->bytes_alloc);
	else
		kmalloc_cache_name(type, ev->bytes_alloc, k->name, sizeof(k->name));
	return id;
}

static bool cache_used(const struct kms_cache *k)
{
	return k->t.allocs || k->t.frees || k->t.failed || k->frees_pretrace;
}

static void on_cache_info(struct collector *c, const struct kms_event *ev)
{
	int64_t id = idmap__get(c->cache_ids, ev->cache);
	struct kms_cache *k;
	size_t n = KMS_MIN(ev->name_len, sizeof(k->name) - 1);

	/*
	 * A cache first met without its info (the info record was lost) has
	 * accounted its objects at size 0.  Changing its size now would break
	 * the frees of those objects, so the known cache gets a new id and the
	 * placeholder only takes the name (the report merges rows by name).
	 */
	if (id >= 0 && !c->caches[id].size && cache_used(&c->caches[id])) {
		k = &c->caches[id];
		memcpy(k->name, ev->name, n);
		k->name[n] = 0;
		id = -1;
	}
	if (id < 0)
		id = new_cache(c, ev->cache);
	if (id < 0)
		return;
	k = &c->caches[id];
	k->kptr = ev->cache;
	k->object_size = ev->object_size;
	k->size = ev->size;
	k->account = ev->flags & KMS_EVF_ACCOUNT;
	memcpy(k->name, ev->name, n);
	k->name[n] = 0;
}

/*
 * The row of a cgroup id; past KMS_ALLOC_CGROUP_MAX rows, the shared
 * KMS_CGROUP_OTHER one (its index is the last an entry can hold).
 */
static int64_t cgroup_index(struct collector *c, uint64_t id)
{
	int64_t i = idmap__get(c->cgroup_ids, id + 1);

	if (i >= 0)
		return i;
	if (c->nr_cgroups >= KMS_ALLOC_CGROUP_MAX && id != KMS_CGROUP_OTHER)
		return cgroup_index(c, KMS_CGROUP_OTHER);
	if (kms_grow((void **)&c->cgroups, &c->cap_cgroups, c->nr_cgroups + 1,
		     sizeof(*c->cgroups), 16) ||
	    idmap__set(c->cgroup_ids, id + 1, c->nr_cgroups))
		return -ENOMEM;
	c->cgroups[c->nr_cgroups].id = id;
	return c->nr_cgroups++;
}

static void on_task(struct collector *c, const struct kms_event *ev)
{
	int64_t id = idmap__get(c->task_ids, ev->tid ? ev->tid : ~0ULL);
	int64_t cg = cgroup_index(c, (ev->flags & KMS_EVF_CGROUP) ? ev->cgroup :
				  KMS_CGROUP_UNKNOWN);
	struct task_comm *t;
	size_t n = KMS_MIN(ev->name_len, sizeof(t->comm) - 1);

	if (id < 0) {
		if (kms_grow((void **)&c->tasks, &c->cap_tasks, c->nr_tasks + 1, sizeof(*c->tasks),
			     64))
			return;
		id = c->nr_tasks;
		if (idmap__set(c->task_ids, ev->tid ? ev->tid : ~0ULL, id))
			return;
		c->nr_tasks++;
	}
	t = &c->tasks[id];
	memcpy(t->comm, ev->name, n);
	t->comm[n] = 0;
	t->tgid = ev->tgid;
	t->cgroup = cg >= 0 ? cg : 0;
	c->last_cgroup = -1;	/* the task may have moved */
}

/*
 * The cgroup an allocation is charged to in these reports: its task's,
 * or the interrupt row.  Consecutive allocations by one task cost no
 * lookup.
 */
static int64_t alloc_cgroup(struct collector *c, const struct kms_event *ev)
{
	int64_t t;

	if (ev->flags & (KMS_EVF_HARDIRQ | KMS_EVF_SOFTIRQ))
		return cgroup_index(c, KMS_CGROUP_IRQ);
	if (c->last_cgroup >= 0 && ev->tid == c->last_tid)
		return c->last_cgroup;
	t = idmap__get(c->task_ids, ev->tid ? ev->tid : ~0ULL);
	c->last_cgroup = t >= 0 ? (int64_t)c->tasks[t].cgroup :
		cgroup_index(c, KMS_CGROUP_UNKNOWN);
	c->last_tid = ev->tid;
	return c->last_cgroup;
}

/*
 * What the kernel charges to the allocating task's memory cgroup:
 * __GFP_ACCOUNT, or a SLAB_ACCOUNT cache (kmalloc-cg-* among them).
 */
static bool accounted(const struct kms_event *ev, const struct kms_cache *k)
{
	return (ev->gfp & KMS_GFP_ACCOUNT) || k->account;
}

static uint64_t cgsite_key(uint32_t site, uint32_t cgroup)
{
	return ((uint64_t)site << KMS_ALLOC_CGROUP_BITS | cgroup) + 1;
}

/* by_cgroup: the totals of a site's allocations by one cgroup. */
static struct kms_cgsite *cgsite(struct collector *c, uint32_t site, uint32_t cgroup)
{
	uint64_t key = cgsite_key(site, cgroup);
	int64_t i = idmap__get(c->cgsite_ids, key);

	if (i >= 0)
		return &c->cgsites[i];
	if (kms_grow((void **)&c->cgsites, &c->cap_cgsites, c->nr_cgsites + 1,
		     sizeof(*c->cgsites), 64) ||
	    idmap__set(c->cgsite_ids, key, c->nr_cgsites))
		return NULL;
	c->cgsites[c->nr_cgsites].site = site;
	c->cgsites[c->nr_cgsites].cgroup = cgroup;
	return &c->cgsites[c->nr_cgsites++];
}

static void totals_add(struct kms_totals *t, uint32_t req, uint32_t alloc)
{
	t->allocs++;
	t->bytes_req += req;
	t->bytes_alloc += alloc;
	t->live++;
	t->live_req += req;
	t->live_alloc += alloc;
}

/* Undo the live part of an allocation (freed, or its free was missed). */
static void totals_unlive(struct kms_totals *t, uint32_t req, uint32_t alloc)
{
	t->live--;
	t->live_req -= req;
	t->live_alloc -= alloc;
}

/* A traced allocation freed: no longer live, one more free. */
static void totals_freed(struct kms_totals *t, uint32_t req, uint32_t alloc)
{
	totals_unlive(t, req, alloc);
	t->frees++;
}

/* Undo an allocation completely: the first half of a double event. */
static void totals_sub(struct kms_totals *t, uint32_t req, uint32_t alloc)
{
	totals_unlive(t, req, alloc);
	t->allocs--;
	t->bytes_req -= req;
	t->bytes_alloc -= alloc;
}

/*
 * The cgroup side of an allocation (its cgroup index, site, whether
 * accounted and requested bytes), of undoing it, or of its free.  From
 * values, not from an entry: the allocation's own entry is a set of
 * bitfields just stored, whose fields read back one by one cost more
 * than the totals.
 */
static void cgroup_totals(struct collector *c, uint32_t cgroup, uint32_t site, bool acct,
			  uint32_t req, uint32_t alloc,
			  void (*op)(struct kms_totals *t, uint32_t req, uint32_t alloc))
{
	struct kms_cgroup *g = &c->cgroups[cgroup];
	struct kms_cgsite *cs = c->opts.by_cgroup ? cgsite(c, site, cgroup) : NULL;

	op(&g->t, req, alloc);
	if (acct)
		op(&g->acct, req, alloc);
	if (!cs)
		return;
	op(&cs->t, req, alloc);
	if (acct)
		op(&cs->acct, req, alloc);
}

/* The same for an entry in the table. */
static void entry_cgroup_totals(struct collector *c, const struct alloc_entry *e, uint32_t alloc,
				void (*op)(struct kms_totals *t, uint32_t req, uint32_t alloc))
{
	cgroup_totals(c, e->cgroup, e->site, e->acct, e->bytes_req, alloc, op);
}

static void unlive_entry(struct collector *c, const struct alloc_entry *e)
{
	uint32_t alloc = c->caches[e->cache].size;

	totals_unlive(&c->sites[e->site].t, e->bytes_req, alloc);
	totals_unlive(&c->caches[e->cache].t, e->bytes_req, alloc);
	entry_cgroup_totals(c, e, alloc, totals_unlive);
}

/*
 * 6.11+: __do_kmalloc_node traces a large kmalloc once from inside the
 * allocator and once for the caller, same task, pointer and sizes (a
 * failure twice with a NULL pointer).  Returns true when ev is that
 * second event, with the first's site and cache in *first.
 */
static bool is_second_large(struct collector *c, const struct kms_event *ev, uint32_t site,
			    uint32_t cache, struct last_large *first)
{
	uint64_t key = ev->tid ? ev->tid : ~0ULL;
	int64_t id = idmap__get(c->large_ids, key);
	struct last_large *l;
	bool second;

	if (id < 0) {
		if (kms_grow((void **)&c->last_large, &c->cap_large, c->nr_large + 1,
			     sizeof(*c->last_large), 64) ||
		    idmap__set(c->large_ids, key, c->nr_large))
			return false;
		id = c->nr_large++;
	}
	l = &c->last_large[id];
	second = l->armed && l->ptr == ev->ptr && l->bytes_req == ev->bytes_req &&
		 l->gfp == ev->gfp;
	if (second) {
		*first = *l;
		l->armed = false;
	} else {
		*l = (struct last_large){ .ptr = ev->ptr, .bytes_req = ev->bytes_req,
					  .gfp = ev->gfp, .armed = true, .site = site,
					  .cache = cache };
	}
	return second;
}

/* The second event of a failed 6.11+ large kmalloc: the failure is the caller's. */
static void move_large_failure(struct collector *c, const struct kms_event *ev, int64_t sid,
			       int64_t cid)
{
	struct last_large first;
	struct kms_site *f;

	if (!large_kmalloc(c, ev, ev->bytes_alloc) || !is_second_large(c, ev, sid, cid, &first) ||
	    first.site == sid)
		return;
	f = &c->sites[first.site];
	if (!f->t.failed || !c->caches[first.cache].t.failed)
		return;
	f->t.failed--;
	f->failed_may_fail -= gfp_may_fail(ev->gfp);
	c->caches[first.cache].t.failed--;
	c->counts.large_collapsed++;
}

/* What the waste and GFP findings need to know of a site's requests. */
static void site_shape(struct kms_site *s, uint32_t req, uint32_t alloc, uint32_t gfp,
		       uint32_t cache, uint64_t ts)
{
	if (s->t.allocs == 1 || ts < s->cache_ts) {
		s->cache = cache;
		s->cache_ts = ts;
	}
	s->req_min = KMS_MIN(s->req_min, req);
	s->req_max = KMS_MAX(s->req_max, req);
	s->alloc_max = KMS_MAX(s->alloc_max, alloc);
	s->gfp_or |= gfp;
	s->gfp_and &= gfp;
}

/*
 * GFP_NOFS (GFP_NOIO) in a memalloc_nofs_save() (memalloc_noio_save())
 * scope: the scope already strips __GFP_FS (and __GFP_IO) through
 * current_gfp_context(), so the flag says nothing the scope does not.
 */
static bool nofs_redundant(uint32_t gfp, unsigned int bits)
{
	return kms_gfp_scope_redundant(gfp, bits & KMS_CTX_BIT(KMS_CTX_NOFS),
				       bits & KMS_CTX_BIT(KMS_CTX_NOIO));
}

/*
 * GFP_NOFS or GFP_NOIO where no scope implies it: the flag itself keeps
 * reclaim out of the filesystem (or I/O) for this caller.
 */
static bool nofs_unscoped(uint32_t gfp, unsigned int bits)
{
	unsigned int scope = KMS_CTX_BIT(KMS_CTX_NOFS) | KMS_CTX_BIT(KMS_CTX_NOIO);

	return (gfp & KMS_GFP_DIRECT_RECLAIM) && !(gfp & KMS_GFP_FS) && !(bits & scope) &&
	       !kms_ctx_atomic(bits);
}

/* A large kmalloc in the site's page-allocator counts (sign -1: undo one). */
static void large_count(const struct collector *c, struct kms_site *s, uint32_t req,
			uint32_t alloc, int sign)
{
	uint32_t pages = alloc / c->opts.kp.page_size;

	s->large_allocs += sign;
	s->large_req += (int64_t)sign * req;
	s->large_bytes += (int64_t)sign * alloc;
	if (sign > 0 && pages)
		s->large_orders |= 1u << (31 - __builtin_clz(pages));
}

/*
 * A kmalloc the page allocator serves (above KMALLOC_MAX_CACHE_SIZE), one
 * by one.  Without direct reclaim it may fail under fragmentation, unless
 * it says it may fail (gfp_may_fail(): GFP_NOWAIT, or kvmalloc()'s own
 * attempt from 6.15, +__GFP_NOWARN -__GFP_DIRECT_RECLAIM).  With direct
 * reclaim it could have been kvmalloc(), unless it is kvmalloc()'s own
 * attempt up to 6.14 (+__GFP_NOWARN +__GFP_NORETRY, or __GFP_RETRY_MAYFAIL
 * kept) or another caller with such a fallback.
 */
static void site_large(struct collector *c, struct kms_site *s, const struct kms_event *ev,
		       uint32_t req, uint32_t alloc)
{
	if (!large_kmalloc(c, ev, alloc))
		return;
	large_count(c, s, req, alloc, 1);
	/* Above order 1: __alloc_pages_slowpath() warns for __GFP_NOFAIL there. */
	if ((ev->gfp & KMS_GFP_NOFAIL) && alloc > 2 * c->opts.kp.page_size) {
		kms_gfp_seen__add(&s->nofail_large_gfp, &s->nofail_large, ev->gfp, ev->ts);
		s->nofail_alloc_max = KMS_MAX(s->nofail_alloc_max, alloc);
	}
	if (!(ev->gfp & KMS_GFP_DIRECT_RECLAIM) && !gfp_may_fail(ev->gfp)) {
		kms_gfp_seen__add(&s->large_noreclaim_gfp, &s->large_noreclaim, ev->gfp, ev->ts);
		s->large_noreclaim_bytes += alloc;
	} else if ((ev->gfp & KMS_GFP_DIRECT_RECLAIM) &&
		   !(ev->gfp & (KMS_GFP_NORETRY | KMS_GFP_RETRY_MAYFAIL))) {
		kms_gfp_seen__add(&s->large_reclaim_gfp, &s->large_reclaim, ev->gfp, ev->ts);
		s->large_reclaim_bytes += alloc;
	} else {
		return;
	}
	s->large_alloc_max = KMS_MAX(s->large_alloc_max, alloc);
}

/*
 * A sleeping allocation (__GFP_DIRECT_RECLAIM) must not run in an
 * interrupt, with preemption or bottom halves disabled, or inside
 * rcu_read_lock().  And where the context says sleeping was allowed (the
 * preempt count is known, nothing disabled), one that does not reclaim
 * may be using reserves for nothing: counted unless it says it may fail
 * (gfp_may_fail(), which is also kvmalloc's own kmalloc attempt).  IRQs
 * disabled without a lock cannot be seen from a tracepoint, hence "may".
 */
static void site_context(struct collector *c, struct kms_site *s, const struct kms_event *ev)
{
	unsigned int bits = kms_ctx_of(ev->flags), b;
	bool atomic = kms_ctx_atomic(bits);

	for (b = bits; b; b &= b - 1)
		s->ctx[__builtin_ctz(b)]++;
	if (atomic && kms_gfp_may_sleep(ev->gfp)) {
		kms_gfp_seen__add(&s->sleep_gfp, &s->sleep_in_irq, ev->gfp, ev->ts);
		s->sleep_ctx |= bits & KMS_CTX_ATOMIC;
	}
	if (c->opts.preempt_known && !atomic && !kms_gfp_may_sleep(ev->gfp) &&
	    !gfp_may_fail(ev->gfp))
		kms_gfp_seen__add(&s->atomic_gfp, &s->atomic_in_task, ev->gfp, ev->ts);
	if (nofs_redundant(ev->gfp, bits)) {
		kms_gfp_seen__add(&s->nofs_gfp, &s->nofs_redundant, ev->gfp, ev->ts);
		s->nofs_ctx = bits & (KMS_CTX_BIT(KMS_CTX_NOFS) | KMS_CTX_BIT(KMS_CTX_NOIO));
	} else if (nofs_unscoped(ev->gfp, bits)) {
		s->nofs_unscoped++;
	}
}

/*
 * Every period of trace time, record each site's live count (the leak
 * growth signal).  With all KMS_SITE_SAMPLES used, every other sample is
 * dropped and the period doubles, so a trace of any length keeps evenly
 * spaced samples in bounded memory.
 */
static void sample_sites(struct collector *c)
{
	size_t i;
	uint32_t j;

	while (c->now_ms >= c->next_sample_ms) {
		if (c->nr_samples == KMS_SITE_SAMPLES) {
			c->nr_samples /= 2;
			for (i = 0; i < c->nr_sites; i++) {
				for (j = 0; j < KMS_SITE_SAMPLES / 2; j++)
					c->sites[i].samples[j] = c->sites[i].samples[2 * j + 1];
				c->sites[i].nr_samples = c->nr_samples;
			}
			c->period_ms *= 2;
			c->next_sample_ms = (uint64_t)(c->nr_samples + 1) * c->period_ms;
			continue;
		}
		for (i = 0; i < c->nr_sites; i++) {
			c->sites[i].samples[c->nr_samples] = c->sites[i].t.live;
			c->sites[i].nr_samples = c->nr_samples + 1;
		}
		c->nr_samples++;
		c->next_sample_ms += c->period_ms;
	}
	c->last_sample_us = (c->next_sample_ms - c->period_ms) * US_PER_MS;
}

/*
 * An allocation or free folded in after the sample of a period boundary
 * it came before (an allocation --pair held in the kernel until its free
 * or the end; an event another CPU's records delivered late): the samples
 * taken since count it as they would have in time order.  Sample j was
 * taken at (j + 1) * period_ms, before the first event at or past it.
 */
static void late_samples(const struct collector *c, struct kms_site *s, uint64_t us, int delta)
{
	uint32_t j;

	if (us >= c->last_sample_us)
		return;
	for (j = us / US_PER_MS / c->period_ms; j < s->nr_samples; j++)
		if (delta > 0 || s->samples[j])
			s->samples[j] += delta;
}

/*
 * --pair: an allocation at an address whose live entry is as new or newer
 * (born the same microsecond or later).  The kernel can send a held
 * allocation after a newer one at its address: it pushes a held
 * allocation out by reserving the record before it takes the slot, and in
 * between the slot's object can be freed (the pair goes out behind the
 * reservation) and allocated again (bpf/kmscope.bpf.c, held_evict()).  The
 * newer entry stays; the older one, now in *slot, waits in `older` for its
 * free, the pair's second half (freed_entry() tells this from a stale
 * held record by the newer entry's time).  Never for a large kmalloc (the
 * caller's `large`): 6.11+ traces one twice, the second event as new as
 * the first, and the kernel holds none; a kmem_cache object of any size
 * is held, so one larger than KMALLOC_MAX_CACHE_SIZE (task_struct on many
 * configurations) is still parked here.
 * Without --pair no allocation arrives before an older one at its address,
 * and one as new (the same microsecond) is re-allocated without free.
 */
static bool older_first(struct collector *c, struct alloc_entry *slot,
			const struct alloc_entry *live)
{
	if (!c->opts.pair || born_diff(live->born_us, slot->born_us) < 0 ||
	    c->nr_older == KMS_OLDER_MAX)
		return false;
	c->older[c->nr_older++] = *slot;
	*slot = *live;
	c->counts.reordered++;
	return true;
}

/* An allocation whose free no event showed: its address was allocated again. */
static void missed_free(struct collector *c, const struct alloc_entry *e)
{
	unlive_entry(c, e);
	c->counts.realloc_without_free++;
	c->caches[e->cache].missed_frees++;
	c->sites[e->site].missed_frees++;
}

/* The free of an allocation waiting in `older`, into *e. */
static bool older_freed(struct collector *c, uint64_t ptr, struct alloc_entry *e)
{
	unsigned int i;

	for (i = 0; i < c->nr_older; i++) {
		if (c->older[i].ptr != ptr)
			continue;
		*e = c->older[i];
		c->older[i] = c->older[--c->nr_older];
		return true;
	}
	return false;
}

/*
 * The allocation a free ends, out of the table into *e; false: none.  A
 * free after an allocation parked in `older` is that allocation's (the
 * pair's second half), and the newer entry at the address stays, when
 * the newer was made at or after the free.  Made before it, the newer is
 * what this free ends: the held record was stale, its object freed
 * without an event and its address allocated again while another CPU had
 * the slot (held_alloc() then sends the allocation alone), and it counts
 * as without --pair, re-allocated without free.
 */
static bool freed_entry(struct collector *c, const struct kms_event *ev, uint64_t us,
			struct alloc_entry *e)
{
	const struct alloc_entry *live;

	if (!c->nr_older || !older_freed(c, ev->ptr, e))
		return alloc_table__remove(c->live, ev->ptr, e);
	live = alloc_table__find(c->live, ev->ptr);
	if (!live || born_diff(live->born_us, us) >= 0)
		return true;
	missed_free(c, e);
	return alloc_table__remove(c->live, ev->ptr, e);
}

static int on_alloc(struct collector *c, const struct kms_event *ev, uint64_t us,
		    struct kms_resolved *res)
{
	struct alloc_entry old, *slot;
	struct last_large first;
	int64_t sid, cid, cg;
	struct kms_cache *k;
	uint32_t req;
	bool large;	/* a large kmalloc: 6.11+ traces it twice */
	bool acct;
	int err;

	sid = site_id(c, ev->call_site,
		      (ev->flags & KMS_EVF_STACK) && ev->stack >= 0 ? ev->stack : -1);
	/*
	 * The kernel's word on the cache wins over the model's, but a kmalloc
	 * cannot be accounted to a cache whose size is unknown (its name
	 * record was lost): the model names that one.
	 */
	cid = (ev->flags & (KMS_EVF_HAS_CACHE | KMS_EVF_KERNEL_CACHE)) ?
		kernel_cache_id(c, ev->cache) : model_cache_id(c, ev);
	if (cid >= 0 && (ev->flags & KMS_EVF_KERNEL_CACHE) && !c->caches[cid].size)
		cid = model_cache_id(c, ev);
	if (cid == -ENOSPC) {	/* more caches than an entry can name: not tracked */
		c->counts.table_full++;
		return 0;
	}
	if (sid == -ENOSPC) {	/* more sites than an entry can name: not tracked */
		c->counts.table_full++;
		return 0;
	}
	cg = alloc_cgroup(c, ev);
	if (sid < 0 || cid < 0 || cg < 0)
		return -ENOMEM;
	k = &c->caches[cid];
	acct = accounted(ev, k);
	/* HAS_CACHE: a kmem_cache_alloc, whose sizes are the cache's. */
	req = (ev->flags & KMS_EVF_HAS_CACHE) ? k->object_size : ev->bytes_req;
	res->cache = k;
	res->bytes_req = req;
	res->bytes_alloc = (ev->flags & KMS_EVF_HAS_CACHE) ? k->size : ev->bytes_alloc;
	if (ev->flags & KMS_EVF_FAILED) {
		if (!c->sites[sid].t.allocs && !c->sites[sid].t.failed)
			c->sites[sid].cache = cid;	/* a site that never succeeded */
		kms_gfp_seen__add(&c->sites[sid].failed_gfp, &c->sites[sid].t.failed, ev->gfp, ev->ts);
		c->sites[sid].failed_req = req;
		c->sites[sid].failed_may_fail += gfp_may_fail(ev->gfp);
		k->t.failed++;
		c->cgroups[cg].t.failed++;
		move_large_failure(c, ev, sid, cid);
		return 0;
	}
	large = large_kmalloc(c, ev, k->size);
	err = alloc_table__slot(c->live, ev->ptr, &slot);
	if (err == -ENOSPC) {
		c->counts.table_full++;
		return 0;
	}
	if (err < 0)
		return err;
	if (err == 1)
		old = *slot;
	/* From the values, not from an entry built before: see alloc_table__slot(). */
	*slot = (struct alloc_entry){
		.ptr = ev->ptr, .site = sid, .cgroup = cg, .cache = cid,
		.born_us = us & KMS_ALLOC_BORN_MAX, .acct = acct, .bytes_req = req,
	};
	if (err == 1 && !large && older_first(c, slot, &old)) {
		/* Live, as any allocation; its free is the next event. */
	} else if (err == 1) {
		uint32_t old_alloc = c->caches[old.cache].size;

		if (large && is_second_large(c, ev, sid, cid, &first)) {
			/* Move the allocation from the allocator's site to the caller. */
			totals_sub(&c->sites[old.site].t, old.bytes_req, old_alloc);
			totals_sub(&c->caches[old.cache].t, old.bytes_req, old_alloc);
			entry_cgroup_totals(c, &old, old_alloc, totals_sub);
			large_count(c, &c->sites[old.site], old.bytes_req, old_alloc, -1);
			req_hist(c, old.bytes_req, -1);
			c->counts.large_collapsed++;
			res->collapsed = true;
		} else {
			missed_free(c, &old);
		}
	} else if (large) {
		is_second_large(c, ev, sid, cid, &first);
	}
	totals_add(&c->sites[sid].t, req, k->size);
	totals_add(&k->t, req, k->size);
	cgroup_totals(c, cg, sid, acct, req, k->size, totals_add);
	if (ev->type == KMS_EV_KMALLOC)
		req_hist(c, req, 1);
	site_shape(&c->sites[sid], req, k->size, ev->gfp, cid, ev->ts);
	late_samples(c, &c->sites[sid], us, 1);
	site_context(c, &c->sites[sid], ev);
	site_large(c, &c->sites[sid], ev, req, k->size);
	return 0;
}

/* The free of a kfree_rcu()'d object: its grace-period delay, where known. */
static void rcu_freed(struct kms_rcu *r, const struct kms_event *ev, uint64_t delay_us)
{
	if (ev->flags & KMS_EVF_SHEAF)
		r->sheaf++;
	else
		lifetime__add(&r->delay, delay_us);
}

static void on_free(struct collector *c, const struct kms_event *ev, uint64_t now,
		    struct kms_resolved *res)
{
	struct alloc_entry e;
	uint64_t age;

	if (!freed_entry(c, ev, now, &e)) {
		c->counts.unmatched_frees++;
		if (ev->flags & KMS_EVF_HAS_CACHE) {
			int64_t cid = kernel_cache_id(c, ev->cache);

			if (cid >= 0) {
				c->caches[cid].frees_pretrace++;
				res->cache = &c->caches[cid];
			}
		}
		return;
	}
	res->matched = true;
	res->cache = &c->caches[e.cache];
	res->bytes_req = e.bytes_req;
	res->bytes_alloc = c->caches[e.cache].size;
	/* One pass per row: with by_cgroup, one (site, cgroup) lookup. */
	totals_freed(&c->sites[e.site].t, e.bytes_req, res->bytes_alloc);
	totals_freed(&c->caches[e.cache].t, e.bytes_req, res->bytes_alloc);
	entry_cgroup_totals(c, &e, res->bytes_alloc, totals_freed);
	age = entry_age_us(&e, now);
	late_samples(c, &c->sites[e.site], now, -1);
	if (e.rcu) {
		rcu_freed(&c->sites[e.site].rcu, ev, age);
		rcu_freed(&c->caches[e.cache].rcu, ev, age);
		return;
	}
	lifetime__add(&c->sites[e.site].lt, age);
	lifetime__add(&c->caches[e.cache].lt, age);
}

/*
 * kfree_rcu(): the owner is done, the object's lifetime ends here; it
 * stays in the table (the allocator has not got it back), marked, with
 * the call's time for the delay to its free.
 */
static void on_rcu_call(struct collector *c, const struct kms_event *ev, uint64_t now,
			struct kms_resolved *res)
{
	struct alloc_entry *e = alloc_table__find(c->live, ev->ptr);
	uint64_t lt;

	if (!e || e->rcu) {
		c->counts.rcu_untraced += !e;
		return;
	}
	res->matched = true;
	res->cache = &c->caches[e->cache];
	res->bytes_req = e->bytes_req;
	res->bytes_alloc = c->caches[e->cache].size;
	lt = entry_age_us(e, now);
	lifetime__add(&c->sites[e->site].lt, lt);
	lifetime__add(&c->caches[e->cache].lt, lt);
	c->sites[e->site].rcu.calls++;
	c->caches[e->cache].rcu.calls++;
	e->rcu = 1;
	e->born_us = now & KMS_ALLOC_BORN_MAX;
}

int collector__event(struct collector *c, const struct kms_event *ev, struct kms_resolved *res)
{
	struct kms_resolved dummy;
	uint64_t us = 0;

	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if ((unsigned int)ev->type < KMS_EV_MAX)
		c->counts.events[ev->type]++;
	/* The event's time, once: each handler below takes it from here. */
	if (ev->type <= KMS_EV_CACHE_FREE || ev->type == KMS_EV_RCU_CALL) {
		us = trace_us(c, ev);
		if (us >= c->next_ms_us) {
			c->now_ms = us / US_PER_MS;
			c->next_ms_us = (c->now_ms + 1) * US_PER_MS;
			sample_sites(c);
		}
	}
	switch (ev->type) {
	case KMS_EV_KMALLOC:
	case KMS_EV_CACHE_ALLOC: {
		int err = on_alloc(c, ev, us, res);

		/* Left out for want of memory: no room, counted as such. */
		if (err == -ENOMEM)
			c->counts.table_full++;
		return err;
	}
	case KMS_EV_KFREE:
	case KMS_EV_CACHE_FREE:
		on_free(c, ev, us, res);
		return 0;
	case KMS_EV_CACHE_INFO:
		on_cache_info(c, ev);
		return 0;
	case KMS_EV_TASK:
		on_task(c, ev);
		return 0;
	case KMS_EV_RCU_CALL:
		on_rcu_call(c, ev, us, res);
		return 0;
	}
	return 0;
}

void collector__prefetch(const struct collector *c, const struct kms_event *ev)
{
	if (ev->type <= KMS_EV_CACHE_FREE || ev->type == KMS_EV_RCU_CALL)
		alloc_table__prefetch(c->live, ev->ptr);
}

void collector__set_preempt_known(struct collector *c, bool on)
{
	c->opts.preempt_known = on;
}

void collector__bad_record(struct collector *c, int err)
{
	if (err == -ENOTSUP)
		c->counts.unknown_records++;
	else
		c->counts.bad_records++;
}

const struct kmalloc_params *collector__kmalloc_params(const struct collector *c)
{
	return &c->opts.kp;
}

const struct kms_collect_counts *collector__counts(const struct collector *c)
{
	return &c->counts;
}

size_t collector__nr_sites(const struct collector *c)
{
	return c->nr_sites;
}

const struct kms_site *collector__site(const struct collector *c, size_t i)
{
	return i < c->nr_sites ? &c->sites[i] : NULL;
}

size_t collector__nr_caches(const struct collector *c)
{
	return c->nr_caches;
}

const struct kms_cache *collector__cache(const struct collector *c, size_t i)
{
	return i < c->nr_caches ? &c->caches[i] : NULL;
}

int64_t collector__cache_index(const struct collector *c, const struct kms_cache *k)
{
	/* As integers: k may be a row of before a move, outside the array. */
	uintptr_t base = (uintptr_t)c->caches, p = (uintptr_t)k;

	if (!k || p < base || p >= base + c->nr_caches * sizeof(*c->caches))
		return -1;
	return (p - base) / sizeof(*c->caches);
}

size_t collector__nr_cgroups(const struct collector *c)
{
	return c->nr_cgroups;
}

const struct kms_cgroup *collector__cgroup(const struct collector *c, size_t i)
{
	return i < c->nr_cgroups ? &c->cgroups[i] : NULL;
}

size_t collector__nr_cgsites(const struct collector *c)
{
	return c->nr_cgsites;
}

const struct kms_cgsite *collector__cgsite(const struct collector *c, size_t i)
{
	return i < c->nr_cgsites ? &c->cgsites[i] : NULL;
}

const char *collector__comm(const struct collector *c, uint32_t tid)
{
	int64_t id = idmap__get(c->task_ids, tid ? tid : ~0ULL);

	return id >= 0 ? c->tasks[id].comm : NULL;
}

uint32_t collector__sample_period_ms(const struct collector *c)
{
	return c->period_ms;
}

uint64_t collector__now_ms(const struct collector *c)
{
	return c->now_ms;
}

void collector__for_each_live(const struct collector *c,
			      void (*fn)(void *ctx, const struct kms_site *site,
					 const struct kms_cache *cache, uint32_t bytes_req,
					 uint32_t age_ms, bool rcu),
			      void *ctx)
{
	struct alloc_entry *e;
	size_t pos = 0;

	/*
	 * Whole ms between the allocation's ms and now_ms: the us difference,
	 * rounded up; held at UINT32_MAX (49 days), the callers' width.
	 */
	while ((e = alloc_table__next(c->live, &pos)))
		fn(ctx, &c->sites[e->site], &c->caches[e->cache], e->bytes_req,
		   KMS_MIN((entry_age_us(e, c->now_ms * US_PER_MS) + US_PER_MS - 1) / US_PER_MS,
			   UINT32_MAX),
		   e->rcu);
}

void collector__live_ages(const struct collector *c, uint64_t end_us,
			  struct kms_lifetime *site_ages, struct kms_lifetime *cache_ages)
{
	struct alloc_entry *e;
	size_t pos = 0;

	while ((e = alloc_table__next(c->live, &pos))) {
		uint64_t age = entry_age_us(e, end_us);

		if (e->rcu)
			continue;

		if (site_ages)
			lifetime__add(&site_ages[e->site], age);
		if (cache_ages)
			lifetime__add(&cache_ages[e->cache], age);
	}
}

size_t collector__live(const struct collector *c)
{
	return alloc_table__count(c->live);
}

size_t collector__memory(const struct collector *c)
{
	return alloc_table__bytes(c->live) + c->cap_sites * sizeof(*c->sites) +
	       c->cap_caches * sizeof(*c->caches) + c->cap_tasks * sizeof(*c->tasks) +
	       c->cap_cgroups * sizeof(*c->cgroups) + c->cap_cgsites * sizeof(*c->cgsites);
}

const uint64_t *collector__req_hist(const struct collector *c)
{
	return c->req_hist;
}
