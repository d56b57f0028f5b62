// SPDX-License-Identifier: GPL-2.0
/*
 * slabgeom.c - SLUB cache geometry (see slabgeom.h).
 *
 * Each function below names the kernel function it models; the version
 * differences it follows are those of the SLUB reference (docs/slub.md
 * §3), checked against the mm/slub.c of
 * Debian's 6.1.192 and 6.12.117 sources and the commits cited.  Arithmetic
 * that the kernel does in unsigned int is done in uint32_t here so that
 * it wraps (or does not) exactly where the kernel's does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sizeclass.h"
#include "slabgeom.h"
#include "slabsys.h"
#include "util.h"

#define SLAB_WORD		8U	/* sizeof(void *) == sizeof(freeptr_t) */
#define PAGE_ALLOC_COSTLY_ORDER	3U
#define MIN_PARTIAL		5U
#define MAX_PARTIAL		10U

static uint32_t align_up(uint32_t x, uint32_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static uint32_t fls32(uint32_t x)
{
	return x ? 32 - (uint32_t)__builtin_clz(x) : 0;
}

static uint32_t ilog2_32(uint32_t x)
{
	return x ? fls32(x) - 1 : 0;
}

/* get_order(): the smallest order whose block holds size bytes. */
static uint32_t get_order(const struct slab_config *cfg, uint32_t size)
{
	uint32_t order = 0;

	while (size > ((uint64_t)cfg->page_size << order))
		order++;
	return order;
}

/* (unsigned int)PAGE_SIZE << order; callers keep order small enough. */
static uint32_t slab_bytes(const struct slab_config *cfg, uint32_t order)
{
	return cfg->page_size << order;
}

/* order_objects() */
static uint32_t order_objects(const struct slab_config *cfg, uint32_t order,
			      uint32_t size)
{
	return slab_bytes(cfg, order) / size;
}

uint32_t slab_config__min_objects(const struct slab_config *cfg)
{
	/* calculate_order(): 4 * (fls(num_present_cpus()) + 1) unless
	 * slab_min_objects= was given.  The kernel falls back to nr_cpu_ids
	 * when only one CPU is present; callers pass what they know. */
	if (cfg->min_objects)
		return cfg->min_objects;
	return 4 * (fls32(cfg->nr_cpus) + 1);
}

/* calc_slab_order() of <= 6.6: the first order from the one that holds
 * min_objects whose leftover is at most 1/fract of the slab. */
static uint32_t calc_slab_order_old(const struct slab_config *cfg,
				    uint32_t size, uint32_t min_objects,
				    uint32_t max_order, uint32_t fract)
{
	uint32_t min_order = cfg->min_order, order;

	if (order_objects(cfg, min_order, size) > SLAB_MAX_OBJS_PER_PAGE)
		return get_order(cfg, size * SLAB_MAX_OBJS_PER_PAGE) - 1;
	order = KMS_MAX(min_order, get_order(cfg, min_objects * size));
	for (; order <= max_order; order++) {
		uint32_t slab = slab_bytes(cfg, order);

		if (slab % size <= slab / fract)
			break;
	}
	return order;
}

/* calculate_order() of 5.15 - 6.6: back off first on waste (1/16, 1/8,
 * 1/4), then on the number of objects, then accept one object with any
 * waste up to slab_max_order, then up to MAX_ORDER. */
static uint32_t calculate_order_old(const struct slab_config *cfg,
				    uint32_t size)
{
	uint32_t min_objects = slab_config__min_objects(cfg);
	uint32_t max_objects = order_objects(cfg, cfg->max_order, size);
	uint32_t order, fraction;

	min_objects = KMS_MIN(min_objects, max_objects);
	for (; min_objects > 1; min_objects--) {
		for (fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order_old(cfg, size, min_objects,
						    cfg->max_order, fraction);
			if (order <= cfg->max_order)
				return order;
		}
	}
	order = calc_slab_order_old(cfg, size, 1, cfg->max_order, 1);
	if (order <= cfg->max_order)
		return order;
	/* MAX_ORDER was exclusive before 6.4 and MAX_PAGE_ORDER inclusive
	 * after; both mean "up to max_page_order". */
	order = calc_slab_order_old(cfg, size, 1, cfg->max_page_order + 1, 1);
	if (order <= cfg->max_page_order)
		return order;
	return SLAB_ORDER_INVALID;
}

/* calc_slab_order() of 6.7+ */
static uint32_t calc_slab_order_new(const struct slab_config *cfg,
				    uint32_t size, uint32_t min_order,
				    uint32_t max_order, uint32_t fract)
{
	uint32_t order;

	for (order = min_order; order <= max_order; order++) {
		uint32_t slab = slab_bytes(cfg, order);

		if (slab % size <= slab / fract)
			break;
	}
	return order;
}

/* calculate_order() of 6.7+: min_objects fixes the lowest order once,
 * then the accepted waste grows 1/16 .. 1/2 over min_order..max_order. */
static uint32_t calculate_order_new(const struct slab_config *cfg,
				    uint32_t size)
{
	uint32_t min_objects = slab_config__min_objects(cfg);
	uint32_t max_objects, min_order, order, fraction;

	max_objects = KMS_MAX(order_objects(cfg, cfg->max_order, size), 1U);
	min_objects = KMS_MIN(min_objects, max_objects);
	min_order = KMS_MAX(cfg->min_order, get_order(cfg, min_objects * size));
	if (order_objects(cfg, min_order, size) > SLAB_MAX_OBJS_PER_PAGE)
		return get_order(cfg, size * SLAB_MAX_OBJS_PER_PAGE) - 1;
	for (fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order_new(cfg, size, min_order,
					    cfg->max_order, fraction);
		if (order <= cfg->max_order)
			return order;
	}
	order = get_order(cfg, size);
	return order <= cfg->max_page_order ? order : SLAB_ORDER_INVALID;
}

uint32_t slab_calculate_order(const struct slab_config *cfg, uint32_t size)
{
	/* Both versions fail for an object larger than the largest block;
	 * refusing it first keeps every shift below within 32 bits. */
	if (!size || size > ((uint64_t)cfg->page_size << cfg->max_page_order))
		return SLAB_ORDER_INVALID;
	if (cfg->order_algo == SLAB_ORDER_NEW)
		return calculate_order_new(cfg, size);
	return calculate_order_old(cfg, size);
}

/* The condition in calculate_sizes() that relocates the free pointer
 * after the object instead of into its middle. */
static bool freeptr_outside(const struct slab_config *cfg,
			    const struct slab_cache_params *p, bool orig_size)
{
	bool rcu_out = p->rcu;

	/* 6.12 lets an RCU cache keep the pointer inside at an offset its
	 * creator chose (args->use_freeptr_offset). */
	if (cfg->layout >= SLAB_LAYOUT_6_12 && p->use_freeptr_offset)
		rcu_out = false;
	if (rcu_out || p->poison || p->ctor ||
	    (p->red_zone && p->object_size < SLAB_WORD))
		return true;
	switch (cfg->layout) {
	case SLAB_LAYOUT_6_6:
		/* 946fa0dbf2d8 (6.2): the right redzone may be extended up
		 * to orig_size, so any orig_size moved the pointer out... */
		return orig_size;
	case SLAB_LAYOUT_6_12:
		/* ...until 6.11's "slab: don't put freepointer outside of
		 * object if only orig_size": that needs RED_ZONE too. */
		return orig_size && p->red_zone;
	default:
		return false;
	}
}

static bool is_debug(const struct slab_cache_params *p)
{
	/* kmem_cache_debug(): any of SLAB_DEBUG_FLAGS */
	return p->red_zone || p->poison || p->store_user || p->trace ||
	       p->sanity_checks;
}

/* set_cpu_partial(): objects kept on each CPU's partial list. */
static uint32_t cpu_partial_objects(const struct slab_config *cfg,
				    const struct slab_cache_params *p,
				    uint32_t size)
{
	static const uint32_t since_5_16[] = { 6, 24, 52, 120 };
	static const uint32_t before[] = { 2, 6, 13, 30 };
	const uint32_t *v = cfg->cpu_partial_5_16 ? since_5_16 : before;

	if (!cfg->cpu_partial || is_debug(p))
		return 0;
	if (size >= cfg->page_size)
		return v[0];
	if (size >= 1024)
		return v[1];
	if (size >= 256)
		return v[2];
	return v[3];
}

/* slab_ksize() */
static uint32_t slab_ksize(const struct slab_cache_params *p,
			   const struct slab_geometry *g)
{
	if (p->red_zone || p->poison)
		return p->object_size;
	if (p->rcu || p->store_user)
		return g->inuse;
	return g->size;
}

/* calculate_sizes() up to the final ALIGN(size, s->align). */
static void lay_out(const struct slab_config *cfg,
		    const struct slab_cache_params *p, struct slab_geometry *g)
{
	uint32_t size = align_up(p->object_size, SLAB_WORD);

	/* Room for a right redzone when the object fills its words. */
	if (p->red_zone && size == p->object_size)
		size += SLAB_WORD;
	g->inuse = size;
	g->orig_size_stored = p->store_user && p->is_kmalloc &&
			      cfg->orig_size_size;
	g->freeptr_outside = freeptr_outside(cfg, p, g->orig_size_stored);
	if (g->freeptr_outside) {
		g->offset = size;
		size += SLAB_WORD;
	} else if (p->rcu && p->use_freeptr_offset) {
		g->offset = p->freeptr_offset;
	} else {
		g->offset = p->object_size / 2 & ~(SLAB_WORD - 1);
	}
	if (p->store_user) {
		size += 2 * cfg->track_size;
		if (g->orig_size_stored)
			size += cfg->orig_size_size;
	}
	if (p->red_zone) {
		size += SLAB_WORD;
		g->red_left_pad = align_up(SLAB_WORD, p->align);
		size += g->red_left_pad;
	}
	g->size = align_up(size, p->align);
}

int slab_geometry__compute(const struct slab_config *cfg,
			   const struct slab_cache_params *p,
			   struct slab_geometry *out)
{
	struct slab_geometry g;

	if (!cfg || !p || !out || !p->object_size || !p->align ||
	    (p->align & (p->align - 1)))
		return -EINVAL;
	/* Far beyond any slab; keeps the additions below from wrapping. */
	if (p->object_size > (1U << 30) || p->align > (1U << 30))
		return -E2BIG;
	memset(&g, 0, sizeof(g));
	lay_out(cfg, p, &g);
	g.order = slab_calculate_order(cfg, g.size);
	if (g.order == SLAB_ORDER_INVALID)
		return -E2BIG;
	g.objs_per_slab = order_objects(cfg, g.order, g.size);
	if (!g.objs_per_slab)
		return -E2BIG;
	g.min_order = get_order(cfg, g.size);
	g.min_objs_per_slab = order_objects(cfg, g.min_order, g.size);
	/* kmem_cache_open() */
	g.min_partial = KMS_MIN(MAX_PARTIAL, ilog2_32(g.size) / 2);
	g.min_partial = KMS_MAX(MIN_PARTIAL, g.min_partial);
	g.cpu_partial = cpu_partial_objects(cfg, p, g.size);
	/* slub_set_cpu_partial() (5.16+): the list is limited in slabs,
	 * assuming they are half full. */
	if (cfg->cpu_partial_5_16)
		g.cpu_partial_slabs = (g.cpu_partial * 2 + g.objs_per_slab - 1) /
				      g.objs_per_slab;
	g.ksize = slab_ksize(p, &g);
	*out = g;
	return 0;
}

static bool parse_num(const char **s, uint32_t *out)
{
	uint64_t v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p++ - '0');
		if (v > 0xffffff)
			return false;
	}
	*out = (uint32_t)v;
	*s = p;
	return true;
}

int slab_kernel_version(const char *kernel_release, uint32_t *kver)
{
	const char *s = kernel_release;
	uint32_t a, b, c = 0;

	if (!s || !kver || !parse_num(&s, &a) || *s++ != '.' ||
	    !parse_num(&s, &b))
		return -EINVAL;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9') {
		s++;
		if (!parse_num(&s, &c))
			return -EINVAL;
	}
	if (!a || a > 255 || b > 255)
		return -EINVAL;
	*kver = SLAB_KVER(a, b, c);
	return 0;
}

/* get_option() as the kernel's __setup handlers call it: an optional '-',
 * then simple_strtoull(base 0), stored through an int.  Digits need not
 * follow (the value is then 0); only an empty value leaves it alone. */
static bool get_option(const char *s, uint32_t *out)
{
	bool neg = *s == '-';
	unsigned int base = 10, d;
	uint64_t v = 0;

	if (!*s)
		return false;
	if (neg)
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2] &&
	    strchr("0123456789abcdefABCDEF", s[2])) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	*out = (uint32_t)(neg ? 0 - v : v);
	return true;
}

/* kstrtoul(buf, 10) for debug_guardpage_minorder=: digits only. */
static bool strict_u32(const char *s, uint32_t *out)
{
	const char *p = s;

	return parse_num(&p, out) && !*p;
}

static bool param_is(const char *key, const char *suffix, uint32_t kver)
{
	/* The `slab_` spellings exist since 6.8; `slub_` is kept. */
	if (!strncmp(key, "slub_", 5))
		return !strcmp(key + 5, suffix);
	if (!strncmp(key, "slab_", 5) && kver >= SLAB_KVER(6, 8, 0))
		return !strcmp(key + 5, suffix);
	return false;
}

struct boot_params {
	uint32_t guard_minorder;
};

/* setup_slub_min_order() / setup_slub_max_order() / setup_slub_min_objects(),
 * each version's own clamping. */
static void apply_param(struct slab_config *c, struct boot_params *bp,
			const char *key, const char *val)
{
	bool newer = c->order_algo == SLAB_ORDER_NEW;
	uint32_t v;

	if (param_is(key, "min_objects", c->kver)) {
		if (get_option(val, &v))
			c->min_objects = v;
	} else if (param_is(key, "min_order", c->kver)) {
		if (!get_option(val, &v))
			return;
		c->min_order = v;
		if (newer && c->min_order > c->max_order)
			c->max_order = c->min_order;
	} else if (param_is(key, "max_order", c->kver)) {
		if (!get_option(val, &v))
			return;
		c->max_order = KMS_MIN(v, c->max_page_order);
		if (newer && c->min_order > c->max_order)
			c->min_order = c->max_order;
	} else if (!strcmp(key, "debug_guardpage_minorder")) {
		/* debug_guardpage_minorder_setup(), needs DEBUG_PAGEALLOC
		 * (built in by the distributions modelled). */
		if (strict_u32(val, &v) && v <= c->max_page_order / 2)
			bp->guard_minorder = v;
	}
}

/* Split like the kernel's next_arg(): whitespace outside double quotes,
 * quotes dropped; everything after a bare `--` belongs to init. */
static const char *next_param(const char *s, char *buf, size_t len)
{
	bool quoted = false;
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return NULL;
	for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < len)
			buf[n++] = *s;
		else
			n = len;	/* too long to be one of ours */
	}
	if (n >= len)
		buf[0] = 0;
	else
		buf[n] = 0;
	return s;
}

static void apply_cmdline(struct slab_config *c, const char *cmdline)
{
	struct boot_params bp = { 0 };
	char tok[256];

	while (cmdline && (cmdline = next_param(cmdline, tok, sizeof(tok)))) {
		char *eq = strchr(tok, '=');

		if (!strcmp(tok, "--"))
			break;
		if (!eq)
			continue;
		*eq = 0;
		apply_param(c, &bp, tok, eq + 1);
	}
	/* slab_min_order= is not clamped by the kernel (and on 6.7+ drags
	 * max along); past MAX_PAGE_ORDER no slab could be allocated and
	 * the model's shifts would leave 32 bits, so cap both there. */
	c->min_order = KMS_MIN(c->min_order, c->max_page_order);
	c->max_order = KMS_MIN(c->max_order, c->max_page_order);
	/* kmem_cache_init(), after all early parameters. */
	if (bp.guard_minorder)
		c->max_order = 0;
}


/* sizeof(orig_size) stored after the tracks of kmalloc caches.  6.1
 * introduced it as an unsigned int; "mm/slab: use unsigned long for
 * orig_size to ensure proper metadata align" (b85f369b81ae, early 2026,
 * Cc: stable) made it 8 bytes, and Debian's changelog shows it in
 * 6.12.75.  The 6.18.y and 6.19.y releases that took it are estimated
 * from the same stable batch; Debian's 6.1.192 still has 4 bytes.  On
 * 64-bit it never changes s->size: everything before it is a multiple
 * of 8 and ALIGN(size, align >= 8) absorbs the difference (as the commit
 * says), so it only moves KASAN's metadata; no fixture can tell. */
static uint32_t orig_size_bytes(uint32_t kver)
{
	if (kver < SLAB_KVER(6, 1, 0))
		return 0;
	if (kver >= SLAB_KVER(7, 0, 0))
		return 8;
	if (kver >= SLAB_KVER(6, 19, 6))
		return 8;
	if (kver >= SLAB_KVER(6, 18, 16) && kver < SLAB_KVER(6, 19, 0))
		return 8;
	if (kver >= SLAB_KVER(6, 12, 75) && kver < SLAB_KVER(6, 13, 0))
		return 8;
	return 4;
}

static enum slab_layout_gen layout_gen(uint32_t kver)
{
	if (kver < SLAB_KVER(6, 1, 0))
		return SLAB_LAYOUT_5_15;
	if (kver < SLAB_KVER(6, 2, 0))
		return SLAB_LAYOUT_6_1;
	if (kver < SLAB_KVER(6, 11, 0))
		return SLAB_LAYOUT_6_6;
	return SLAB_LAYOUT_6_12;
}

int slab_config__init(struct slab_config *cfg, const char *kernel_release,
		      const char *cmdline, uint32_t page_size,
		      uint32_t nr_cpus)
{
	struct slab_config c;

	memset(&c, 0, sizeof(c));
	if (!cfg || slab_kernel_version(kernel_release, &c.kver) ||
	    page_size < 4096 || page_size > 65536 ||
	    (page_size & (page_size - 1)) || !nr_cpus)
		return -EINVAL;
	c.page_size = page_size;
	c.nr_cpus = nr_cpus;
	c.max_page_order = kmalloc_default_max_page_order(page_size);
	c.max_order = PAGE_ALLOC_COSTLY_ORDER;
	c.order_algo = c.kver >= SLAB_KVER(6, 7, 0) ? SLAB_ORDER_NEW :
						      SLAB_ORDER_OLD;
	c.layout = layout_gen(c.kver);
	/* struct track: 16 saved return addresses until 5.17 moved the
	 * stack to stackdepot (a 4-byte handle; 24 bytes without it). */
	c.track_size = c.kver < SLAB_KVER(5, 17, 0) ? 152 : 32;
	c.orig_size_size = orig_size_bytes(c.kver);
	c.cpu_partial = true;
	c.cpu_partial_5_16 = c.kver >= SLAB_KVER(5, 16, 0);
	apply_cmdline(&c, cmdline);
	*cfg = c;
	return 0;
}

bool slab_cache_is_kmalloc(const char *name)
{
	/* create_kmalloc_cache() adds SLAB_KMALLOC; kmem_buckets_create()
	 * and the kmalloc_buckets array cache do not. */
	return name && (!strncmp(name, "kmalloc-", 8) ||
			!strncmp(name, "dma-kmalloc-", 12));
}

bool slab_cache_uses_freeptr_offset(const char *name, uint32_t kver)
{
	if (!name)
		return false;
	if (!strcmp(name, "filp"))			/* files_init() */
		return kver >= SLAB_KVER(6, 12, 0);
	if (!strcmp(name, "vm_area_struct"))		/* vma_state_init() */
		return kver >= SLAB_KVER(6, 15, 0);
	return false;
}

int slab_cache_params__from_sysfs(const struct slab_config *cfg,
				  const struct slab_sysfs_cache *c,
				  struct slab_cache_params *p)
{
	if (!cfg || !c || !p || !slab_sysfs_cache__has(c, SLABSYS_OBJECT_SIZE) ||
	    !slab_sysfs_cache__has(c, SLABSYS_ALIGN) || !c->object_size ||
	    !c->align)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->object_size = c->object_size;
	p->align = c->align;
	/* Absent flag files read as false: the struct was zeroed. */
	p->red_zone = c->red_zone;
	p->poison = c->poison;
	p->store_user = c->store_user;
	p->trace = c->trace;
	p->sanity_checks = c->sanity_checks;
	p->rcu = c->rcu;
	p->ctor = c->ctor;
	p->is_kmalloc = slab_cache_is_kmalloc(c->name);
	p->use_freeptr_offset = slab_cache_uses_freeptr_offset(c->name, cfg->kver);
	p->freeptr_offset = SLAB_FREEPTR_UNKNOWN;
	return 0;
}
