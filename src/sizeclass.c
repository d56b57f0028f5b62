// SPDX-License-Identifier: GPL-2.0
/*
 * sizeclass.c - see sizeclass.h.  Facts from mm/slab_common.c
 * (kmalloc_info[], kmalloc_size_index[], setup_kmalloc_cache_index_table(),
 * new_kmalloc_cache(), kmalloc_size_roundup(), kmem_buckets_create()),
 * mm/slub.c (kmalloc_slab() callers, kmalloc_large) and include/linux/slab.h
 * (kmalloc_type(), __kmalloc_index()), as summarised in docs/slub.md §1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sizeclass.h"
#include "util.h"

/* Enough for 8..96..192..2^19 (KMALLOC_MAX_CACHE_SIZE with 256 KiB pages). */
#define MAX_CLASSES	24

static bool is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

static unsigned int ilog2_u32(uint32_t x)
{
	unsigned int r = 0;

	while (x >>= 1)
		r++;
	return r;
}

/* The kernel's fls(): 1-based index of the highest set bit, 0 for 0. */
static unsigned int fls_u32(uint32_t x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

uint32_t kmalloc_default_max_page_order(uint32_t page_size)
{
	/* arm64's ARCH_FORCE_MAX_ORDER defaults; everyone else's 10. */
	if (page_size == 16384)
		return 11;
	if (page_size == 65536)
		return 13;
	return 10;
}

void kmalloc_params__default(struct kmalloc_params *p, uint32_t page_size)
{
	memset(p, 0, sizeof(*p));
	p->page_size = page_size;
	p->min_size = 8;
	p->max_cache_size = 2 * page_size;
	p->max_page_order = kmalloc_default_max_page_order(page_size);
	p->has_cg = true;
	p->has_rcl = true;
	p->has_dma = true;
	p->has_96 = true;
	p->has_192 = true;
}

uint32_t kmalloc_max_cache_size(const struct kmalloc_params *p)
{
	return p->max_cache_size ? p->max_cache_size : p->page_size * 2;
}

static uint32_t max_page_order(const struct kmalloc_params *p)
{
	return p->max_page_order ? p->max_page_order : kmalloc_default_max_page_order(p->page_size);
}

uint32_t kmalloc_max_size(const struct kmalloc_params *p)
{
	return p->page_size << max_page_order(p);
}

/* Parameters the functions below can work with. */
static bool params_ok(const struct kmalloc_params *p)
{
	uint32_t mcs = kmalloc_max_cache_size(p);

	if (!is_pow2(p->page_size) || p->page_size < 4096 || p->page_size > 262144)
		return false;
	/* setup_kmalloc_cache_index_table(): BUILD_BUG_ON(KMALLOC_MIN_SIZE > 256). */
	if (!is_pow2(p->min_size) || p->min_size < 8 || p->min_size > 256)
		return false;
	if (!is_pow2(mcs) || mcs < p->min_size || mcs < 256)
		return false;
	/* KMALLOC_MAX_SIZE must fit the 32-bit sizes of this API. */
	return ilog2_u32(p->page_size) + max_page_order(p) <= 31;
}

/*
 * create_kmalloc_caches() creates the 96 class only when KMALLOC_MIN_SIZE
 * <= 32 and 192 only when <= 64; new_kmalloc_cache() aliases them to 128
 * and 256 when __kmalloc_minalign() is 64 or 128.  Either way the names
 * are missing, which is what has_96/has_192 record.
 */
static bool has_96(const struct kmalloc_params *p)
{
	return p->has_96 && p->min_size <= 32;
}

static bool has_192(const struct kmalloc_params *p)
{
	return p->has_192 && p->min_size <= 64;
}

/* Priority DMA > RECLAIMABLE > ACCOUNT, as in kmalloc_type(). */
enum kmalloc_type kmalloc_type_of(const struct kmalloc_params *p, uint32_t gfp)
{
	/* Without ZONE_DMA, __GFP_DMA is not a KMALLOC_NOT_NORMAL_BITS bit. */
	if ((gfp & KMS_GFP_DMA) && p->has_dma)
		return KMALLOC_T_DMA;
	/*
	 * RECLAIMABLE wins over ACCOUNT even when there are no kmalloc-rcl
	 * caches: with SLUB_TINY KMALLOC_RECLAIM is KMALLOC_NORMAL.
	 */
	if (gfp & KMS_GFP_RECLAIMABLE)
		return p->has_rcl ? KMALLOC_T_RECLAIM : KMALLOC_T_NORMAL;
	/*
	 * With !MEMCG __GFP_ACCOUNT is ignored; with cgroup.memory=nokmem
	 * new_kmalloc_cache() makes kmalloc_caches[KMALLOC_CGROUP] point to
	 * the normal caches.  Both end in kmalloc-N.
	 */
	if ((gfp & KMS_GFP_ACCOUNT) && p->has_cg)
		return KMALLOC_T_CGROUP;
	return KMALLOC_T_NORMAL;
}

/*
 * The short size of kmalloc_info[]: "96", "1k", "128k", "2M".  The
 * kernel's table stops at 2M; larger (kmscope's large names) continue
 * the same way.
 */
static int size_name(uint32_t size, char *buf, size_t len)
{
	if (size >= 1048576 && size % 1048576 == 0)
		return snprintf(buf, len, "%uM", size / 1048576);
	if (size >= 1024 && size % 1024 == 0)
		return snprintf(buf, len, "%uk", size / 1024);
	return snprintf(buf, len, "%u", size);
}

/* Writes prefix, sep and the short size; 0 or -ENOSPC. */
static int prefixed_name(const char *prefix, const char *sep, uint32_t size, char *buf,
			 size_t len)
{
	int n = snprintf(buf, len, "%s%s", prefix, sep);

	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	n += size_name(size, buf + n, len - n);
	return (size_t)n < len ? 0 : -ENOSPC;
}

int kmalloc_cache_name(enum kmalloc_type type, uint32_t bytes_alloc, char *buf, size_t len)
{
	/* INIT_KMALLOC_INFO()'s prefixes. */
	static const char *const prefix[KMALLOC_T_MAX] = {
		[KMALLOC_T_NORMAL] = "kmalloc-",
		[KMALLOC_T_CGROUP] = "kmalloc-cg-",
		[KMALLOC_T_RECLAIM] = "kmalloc-rcl-",
		[KMALLOC_T_DMA] = "dma-kmalloc-",
		[KMALLOC_T_LARGE] = "kmalloc-large-",
	};

	if ((unsigned int)type >= KMALLOC_T_MAX || !buf)
		return -EINVAL;
	return prefixed_name(prefix[type], "", bytes_alloc, buf, len);
}

/* A size kmalloc_info[] has a name for: 96, 192 or 8 .. 2M. */
static bool is_class_size(uint32_t size)
{
	return size == 96 || size == 192 || (is_pow2(size) && size >= 8 && size <= 2097152);
}

int kmalloc_bucket_name(const char *base, uint32_t size, char *buf, size_t len)
{
	if (!base || !*base || !buf || !is_class_size(size))
		return -EINVAL;
	/* kasprintf("%s-%s", name, short_size + 1): short_size is "-1k". */
	return prefixed_name(base, "-", size, buf, len);
}

/*
 * The kmalloc classes that exist, smallest first: create_kmalloc_caches()
 * makes 96 and 192 and 2^KMALLOC_SHIFT_LOW .. 2^KMALLOC_SHIFT_HIGH, minus
 * what new_kmalloc_cache() aliases.  Every type has the same list.
 */
static unsigned int class_sizes(const struct kmalloc_params *p, uint32_t sizes[MAX_CLASSES])
{
	uint32_t s, mcs = kmalloc_max_cache_size(p);
	unsigned int n = 0;

	for (s = p->min_size; s <= mcs && n < MAX_CLASSES; s *= 2) {
		if (s == 128 && has_96(p))
			sizes[n++] = 96;
		if (s == 256 && has_192(p))
			sizes[n++] = 192;
		sizes[n++] = s;
	}
	return n;
}

/*
 * kmalloc_slab(): the object size of the cache a slab kmalloc of size
 * (1 .. KMALLOC_MAX_CACHE_SIZE) uses.  The constant-size path,
 * __kmalloc_index(), gives the same index.
 */
static uint32_t slab_class_size(const struct kmalloc_params *p, uint32_t size)
{
	/* kmalloc_size_index[], one entry per 8 bytes up to 192. */
	static const uint8_t size_index[24] = {
		3, 4, 5, 5, 6, 6, 6, 6,		/* 8 .. 64 */
		1, 1, 1, 1, 7, 7, 7, 7,		/* 72 .. 96: 96, 104 .. 128 */
		2, 2, 2, 2, 2, 2, 2, 2,		/* 136 .. 192: 192 */
	};
	unsigned int idx;
	uint32_t obj;

	if (size - 1 < 192) {	/* 1 .. 192; callers never pass 0 */
		idx = size_index[(size - 1) / 8];
		/* setup_kmalloc_cache_index_table() */
		if (size <= p->min_size)
			idx = ilog2_u32(p->min_size);	/* KMALLOC_SHIFT_LOW */
		if (p->min_size >= 64 && size > 64 && size <= 96)
			idx = 7;
		if (p->min_size >= 128 && size > 128)
			idx = 8;
	} else {
		idx = fls_u32(size - 1);
	}
	obj = idx == 1 ? 96 : idx == 2 ? 192 : 1u << idx;
	/*
	 * new_kmalloc_cache(): with __kmalloc_minalign() above
	 * ARCH_KMALLOC_MINALIGN the index points at the cache of
	 * ALIGN(size, minalign).  min_size is that alignment.
	 */
	if (obj < p->min_size)
		obj = p->min_size;
	if (obj == 96 && !has_96(p))
		obj = 128;
	if (obj == 192 && !has_192(p))
		obj = 256;
	return obj;
}

/* get_order(): the smallest order with page_size << order >= size. */
static uint32_t get_order(const struct kmalloc_params *p, uint32_t size)
{
	uint32_t order = 0;

	while ((uint64_t)p->page_size << order < size)
		order++;
	return order;
}

/* The class below size in class_sizes(), or 0 for the smallest. */
static uint32_t prev_class(const struct kmalloc_params *p, uint32_t size)
{
	uint32_t sizes[MAX_CLASSES], prev = 0;
	unsigned int i, n = class_sizes(p, sizes);

	for (i = 0; i < n && sizes[i] < size; i++)
		prev = sizes[i];
	return prev;
}

static void fill_large(const struct kmalloc_params *p, uint32_t order, struct kmalloc_class *out)
{
	uint32_t mcs = kmalloc_max_cache_size(p);

	memset(out, 0, sizeof(*out));
	out->type = KMALLOC_T_LARGE;
	out->order = order;
	out->size = out->bytes_alloc = p->page_size << order;
	/* The requests of this order; the first one starts above the slab classes. */
	out->req_min = order && (p->page_size << (order - 1)) > mcs ?
		(p->page_size << (order - 1)) + 1 : mcs + 1;
	out->req_max = out->size;
	kmalloc_cache_name(KMALLOC_T_LARGE, out->size, out->name, sizeof(out->name));
}

static void fill_slab(const struct kmalloc_params *p, enum kmalloc_type type, uint32_t size,
		      struct kmalloc_class *out)
{
	memset(out, 0, sizeof(*out));
	out->type = type;
	out->size = out->bytes_alloc = size;
	out->req_min = prev_class(p, size) + 1;
	out->req_max = size;
	/*
	 * kmalloc_type(): only KMALLOC_NORMAL has the random copies.  An
	 * ACCOUNT request without kmalloc-cg is flagged too: with !MEMCG it
	 * takes the random path, with nokmem it gets copy 0, and the names
	 * cannot tell the two apart.
	 */
	out->copy_unknown = p->has_random && type == KMALLOC_T_NORMAL;
	kmalloc_cache_name(type, size, out->name, sizeof(out->name));
}

int kmalloc_class(const struct kmalloc_params *p, uint32_t bytes_req, uint32_t gfp,
		  struct kmalloc_class *out)
{
	if (!p || !out || !params_ok(p) || !bytes_req)
		return -EINVAL;
	/* __kmalloc_large_node(): order > MAX_PAGE_ORDER fails (WARN, NULL). */
	if (bytes_req > kmalloc_max_size(p))
		return -E2BIG;
	if (bytes_req > kmalloc_max_cache_size(p)) {
		/* kmalloc_large: the page allocator with get_order(size). */
		fill_large(p, get_order(p, bytes_req), out);
		return 0;
	}
	fill_slab(p, kmalloc_type_of(p, gfp), slab_class_size(p, bytes_req), out);
	return 0;
}

uint32_t kmalloc_size_roundup_model(const struct kmalloc_params *p, uint32_t n)
{
	if (!p || !params_ok(p))
		return n;
	/* The flags don't matter: size_index is common to all types. */
	if (n && n <= kmalloc_max_cache_size(p))
		return slab_class_size(p, n);
	if (n && n <= kmalloc_max_size(p))
		return p->page_size << get_order(p, n);
	/* 0 (ZERO_SIZE_PTR) and too big (kmalloc fails) come back as is. */
	return n;
}

int kmalloc_smaller_fit(const struct kmalloc_params *p, uint32_t bytes_req, uint32_t gfp,
			uint32_t *fit)
{
	struct kmalloc_class c;
	int err;

	if (!fit)
		return -EINVAL;
	err = kmalloc_class(p, bytes_req, gfp, &c);
	if (err)
		return err;
	/* Every class's largest request is its size, so req_min - 1 is the answer. */
	if (c.req_min <= 1)
		return -ENOENT;
	*fit = c.req_min - 1;
	return 0;
}

static bool type_exists(const struct kmalloc_params *p, enum kmalloc_type type)
{
	switch (type) {
	case KMALLOC_T_NORMAL:
	case KMALLOC_T_LARGE:
		return true;
	case KMALLOC_T_CGROUP:
		return p->has_cg;
	case KMALLOC_T_RECLAIM:
		return p->has_rcl;
	case KMALLOC_T_DMA:
		return p->has_dma;
	default:
		return false;
	}
}

int kmalloc_classes(const struct kmalloc_params *p, enum kmalloc_type type,
		    struct kmalloc_class *out, size_t max)
{
	uint32_t sizes[MAX_CLASSES], order;
	unsigned int i, n;

	if (!p || !params_ok(p) || (unsigned int)type >= KMALLOC_T_MAX || (max && !out))
		return -EINVAL;
	if (!type_exists(p, type))
		return 0;
	if (type == KMALLOC_T_LARGE) {
		order = get_order(p, kmalloc_max_cache_size(p) + 1);
		if (order > max_page_order(p))
			return 0;
		if (max_page_order(p) - order + 1 > max)
			return -ENOSPC;
		for (n = 0; order <= max_page_order(p); order++)
			fill_large(p, order, &out[n++]);
		return n;
	}
	n = class_sizes(p, sizes);
	if (n > max)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		fill_slab(p, type, sizes[i], &out[i]);
	return n;
}

/*
 * Parses a kmalloc_info[] short size ("96", "1k", "2M") ending the string;
 * 0 when it is not one.
 */
static uint32_t parse_size(const char *s)
{
	uint64_t v = 0;
	const char *q = s;

	if (*q < '1' || *q > '9')
		return 0;
	for (; *q >= '0' && *q <= '9'; q++) {
		v = v * 10 + (*q - '0');
		if (v > 2097152)
			return 0;
	}
	if (*q == 'k' || *q == 'M') {
		v *= *q == 'k' ? 1024 : 1048576;
		/* The kernel writes 1024 as 1k, and 1024k as 1M. */
		if (*q == 'k' && v >= 1048576 && v % 1048576 == 0)
			return 0;
		q++;
	} else if (v >= 1024 && v % 1024 == 0) {
		return 0;
	}
	if (*q || v > 2097152 || !is_class_size(v))
		return 0;
	return v;
}

static bool has_name(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return true;
	return false;
}

static bool is_kmalloc_name(const char *name)
{
	return !strncmp(name, "kmalloc-", 8) || !strncmp(name, "dma-kmalloc-", 12);
}

/*
 * kmem_buckets_create() (6.11+) makes "<base>-<short size>" for every
 * KMALLOC_NORMAL class.  A base counts when all of them are there, which
 * keeps out bio-256, sgpool-8 and other names that only look like one.
 */
static void find_buckets(struct kmalloc_params *p, const char *const *names, size_t n)
{
	uint32_t sizes[MAX_CLASSES];
	unsigned int nr = class_sizes(p, sizes), i, k;
	char first[KMALLOC_NAME_LEN], want[KMALLOC_BUCKET_BASE_LEN + KMALLOC_NAME_LEN];
	size_t j, flen, blen;

	if (!nr)
		return;
	size_name(sizes[0], first, sizeof(first));
	flen = strlen(first);
	for (j = 0; j < n; j++) {
		const char *name = names[j];
		char base[KMALLOC_BUCKET_BASE_LEN];

		if (!name || is_kmalloc_name(name))
			continue;
		blen = strlen(name);
		if (blen < flen + 2 || name[blen - flen - 1] != '-' ||
		    strcmp(name + blen - flen, first))
			continue;
		blen -= flen + 1;
		if (blen >= sizeof(base)) {
			p->buckets_truncated = true;
			continue;
		}
		memcpy(base, name, blen);
		base[blen] = 0;
		for (i = 1; i < nr; i++) {
			if (kmalloc_bucket_name(base, sizes[i], want, sizeof(want)) ||
			    !has_name(names, n, want))
				break;
		}
		if (i < nr)
			continue;
		for (k = 0; k < p->nr_buckets && strcmp(p->buckets[k], base); k++)
			;
		if (k < p->nr_buckets)
			continue;	/* listed twice */
		if (p->nr_buckets == KMALLOC_MAX_BUCKETS) {
			p->buckets_truncated = true;
			continue;
		}
		memcpy(p->buckets[p->nr_buckets++], base, blen + 1);
	}
}

int kmalloc_params__from_caches(struct kmalloc_params *p, uint32_t page_size,
				const char *const *names, size_t n)
{
	/* Normal classes seen, by kmalloc_info[] index (1 = 96, 2 = 192). */
	bool seen[32] = { false };
	uint32_t size, lo = 0, hi = 0, s;
	size_t i;

	if (!p)
		return -EINVAL;
	kmalloc_params__default(p, page_size);
	if (!names && n)
		return -EINVAL;
	if (!is_pow2(page_size) || page_size < 4096 || page_size > 262144)
		return -EINVAL;
	p->has_cg = p->has_rcl = p->has_dma = false;
	for (i = 0; i < n; i++) {
		const char *name = names[i];

		if (!name)
			continue;
		if (!strncmp(name, "kmalloc-cg-", 11)) {
			p->has_cg |= parse_size(name + 11) != 0;
		} else if (!strncmp(name, "kmalloc-rcl-", 12)) {
			p->has_rcl |= parse_size(name + 12) != 0;
		} else if (!strncmp(name, "dma-kmalloc-", 12)) {
			p->has_dma |= parse_size(name + 12) != 0;
		} else if (!strncmp(name, "kmalloc-rnd-", 12)) {
			/* kmalloc-rnd-01-8 .. kmalloc-rnd-15-8k */
			p->has_random = true;
		} else if (!strncmp(name, "kmalloc-", 8)) {
			/* kmalloc-no-objext-* (6.12.y) and others fail parse_size. */
			size = parse_size(name + 8);
			if (!size)
				continue;
			seen[size == 96 ? 1 : size == 192 ? 2 : ilog2_u32(size)] = true;
		}
	}
	for (i = 3; i < ARRAY_SIZE(seen); i++) {
		if (!seen[i])
			continue;
		if (!lo)
			lo = 1u << i;
		hi = 1u << i;
	}
	/* The smallest class is KMALLOC_MIN_SIZE; the largest KMALLOC_MAX_CACHE_SIZE. */
	if (!lo || lo > 256 || hi != 2 * page_size)
		goto bad;
	for (s = lo; s <= hi; s *= 2)
		if (!seen[ilog2_u32(s)])
			goto bad;
	p->min_size = lo;
	p->max_cache_size = hi;
	p->has_96 = seen[1] && lo <= 32;
	p->has_192 = seen[2] && lo <= 64;
	find_buckets(p, names, n);
	return 0;
bad:
	kmalloc_params__default(p, page_size);
	return -EINVAL;
}

bool kmalloc_shared_cache(const char *name)
{
	return is_kmalloc_name(name);
}

bool kmalloc_family_cache(const struct kmalloc_params *p, const char *name)
{
	unsigned int i;

	if (is_kmalloc_name(name))
		return true;
	for (i = 0; i < p->nr_buckets; i++) {
		size_t l = strlen(p->buckets[i]);

		if (!strncmp(name, p->buckets[i], l) && name[l] == '-')
			return true;
	}
	return false;
}
