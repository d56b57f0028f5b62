// SPDX-License-Identifier: GPL-2.0
/*
 * slabsys.c - parse slabsnap text (see slabsys.h).
 *
 * Owns three arrays: the caches in input order, the same indices sorted
 * by name for lookups, and the aliases sorted by name.  Every line is
 * validated in full before anything from it is kept, so a hostile line
 * can cost a counter increment but never a half-filled record.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "slabsys.h"
#include "util.h"

struct slabsys {
	struct slab_sysfs_cache *caches;
	size_t nr_caches, cap_caches;
	size_t *by_name;		/* cache indices sorted by name */
	struct slabsys_alias *aliases;
	size_t nr_aliases, cap_aliases;
	size_t nr_malformed;
};

enum attr_kind { K_U32, K_U64, K_BOOL, K_CTOR, K_PAIR };

struct attr_desc {
	const char *key;
	enum slabsys_attr attr;
	enum attr_kind kind;
	size_t off;
};

#define A(key, attr, kind, field) \
	{ key, attr, kind, offsetof(struct slab_sysfs_cache, field) }

/* The attribute files slabsnap.c records, by sysfs file name. */
static const struct attr_desc attr_descs[] = {
	A("object_size", SLABSYS_OBJECT_SIZE, K_U32, object_size),
	A("slab_size", SLABSYS_SLAB_SIZE, K_U32, slab_size),
	A("objs_per_slab", SLABSYS_OBJS_PER_SLAB, K_U32, objs_per_slab),
	A("order", SLABSYS_ORDER, K_U32, order),
	A("align", SLABSYS_ALIGN, K_U32, align),
	A("aliases", SLABSYS_ALIASES, K_U32, aliases),
	A("cpu_partial", SLABSYS_CPU_PARTIAL, K_U32, cpu_partial),
	A("min_partial", SLABSYS_MIN_PARTIAL, K_U32, min_partial),
	A("sheaf_capacity", SLABSYS_SHEAF_CAPACITY, K_U32, sheaf_capacity),
	A("usersize", SLABSYS_USERSIZE, K_U32, usersize),
	A("ctor", SLABSYS_CTOR, K_CTOR, ctor_sym),
	A("destroy_by_rcu", SLABSYS_RCU, K_BOOL, rcu),
	A("hwcache_align", SLABSYS_HWCACHE_ALIGN, K_BOOL, hwcache_align),
	A("reclaim_account", SLABSYS_RECLAIM_ACCOUNT, K_BOOL, reclaim_account),
	A("cache_dma", SLABSYS_CACHE_DMA, K_BOOL, cache_dma),
	A("red_zone", SLABSYS_RED_ZONE, K_BOOL, red_zone),
	A("poison", SLABSYS_POISON, K_BOOL, poison),
	A("store_user", SLABSYS_STORE_USER, K_BOOL, store_user),
	A("sanity_checks", SLABSYS_SANITY_CHECKS, K_BOOL, sanity_checks),
	A("trace", SLABSYS_TRACE, K_BOOL, trace),
	A("objects", SLABSYS_OBJECTS, K_U64, objects),
	A("objects_partial", SLABSYS_OBJECTS_PARTIAL, K_U64, objects_partial),
	A("total_objects", SLABSYS_TOTAL_OBJECTS, K_U64, total_objects),
	A("slabs", SLABSYS_SLABS, K_U64, slabs),
	A("partial", SLABSYS_PARTIAL, K_U64, partial),
	A("cpu_slabs", SLABSYS_CPU_SLABS, K_U64, cpu_slabs),
	A("slabs_cpu_partial", SLABSYS_SLABS_CPU_PARTIAL, K_PAIR, cpu_partial_objs),
};

#undef A

/* A token: printable ASCII only, so control bytes and NULs never pass. */
struct tok {
	const char *p;
	size_t n;
};

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_printable(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= ' ' || (unsigned char)p[i] >= 0x7f)
			return false;
	return true;
}

/* Next token of [*pos, end); false at the end of the line. */
static bool next_tok(const char **pos, const char *end, struct tok *t)
{
	const char *p = *pos;

	while (p < end && is_sep(*p))
		p++;
	if (p == end)
		return false;
	t->p = p;
	while (p < end && !is_sep(*p))
		p++;
	t->n = p - t->p;
	*pos = p;
	return true;
}

static bool tok_is(const struct tok *t, const char *s)
{
	return t->n == strlen(s) && !memcmp(t->p, s, t->n);
}

/* A cache or alias name: 1..63 printable bytes, and never a path. */
static bool copy_name(char *dst, const struct tok *t)
{
	if (!t->n || t->n >= SLABSYS_NAME_MAX || !is_printable(t->p, t->n) ||
	    memchr(t->p, '/', t->n) || tok_is(t, ".") || tok_is(t, ".."))
		return false;
	memcpy(dst, t->p, t->n);
	dst[t->n] = 0;
	return true;
}

/* Plain decimal as sysfs prints it: no sign, no spaces, no overflow. */
static bool parse_u64(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)p[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* `objects(slabs)` or a bare `objects` (both appear in the kernel's
 * slabs_cpu_partial_show() depending on the version). */
static bool parse_pair(const char *p, size_t n, uint64_t out[2])
{
	const char *open = memchr(p, '(', n);

	if (!open) {
		out[1] = 0;
		return parse_u64(p, n, &out[0]);
	}
	if (p[n - 1] != ')')
		return false;
	return parse_u64(p, open - p, &out[0]) &&
	       parse_u64(open + 1, p + n - 1 - (open + 1), &out[1]);
}

static const struct attr_desc *find_attr(const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(attr_descs); i++)
		if (strlen(attr_descs[i].key) == n &&
		    !memcmp(attr_descs[i].key, key, n))
			return &attr_descs[i];
	return NULL;
}

static bool store_attr(struct slab_sysfs_cache *c, const struct attr_desc *d,
		       const char *v, size_t n)
{
	char *field = (char *)c + d->off;
	uint64_t u, pair[2];

	switch (d->kind) {
	case K_U32:
		if (!parse_u64(v, n, &u) || u > UINT32_MAX)
			return false;
		*(uint32_t *)field = (uint32_t)u;
		return true;
	case K_U64:
		if (!parse_u64(v, n, &u))
			return false;
		*(uint64_t *)field = u;
		return true;
	case K_BOOL:
		if (n != 1 || (v[0] != '0' && v[0] != '1'))
			return false;
		*(bool *)field = v[0] == '1';
		return true;
	case K_CTOR:
		/* A symbol longer than the buffer is cut: only presence
		 * matters to the geometry. */
		n = KMS_MIN(n, (size_t)SLABSYS_NAME_MAX - 1);
		memcpy(field, v, n);
		field[n] = 0;
		c->ctor = n > 0;
		return true;
	case K_PAIR:
		if (!parse_pair(v, n, pair))
			return false;
		c->cpu_partial_objs = pair[0];
		c->cpu_partial_slabs = pair[1];
		return true;
	}
	return false;
}

/* One `key=value` token.  Unknown keys are accepted and ignored so that a
 * newer slabsnap can add attributes; a repeated key is not. */
static bool parse_kv(struct slab_sysfs_cache *c, const struct tok *t)
{
	const char *eq = memchr(t->p, '=', t->n);
	const struct attr_desc *d;
	size_t klen;

	if (!eq || eq == t->p || !is_printable(t->p, t->n))
		return false;
	klen = eq - t->p;
	d = find_attr(t->p, klen);
	if (!d)
		return true;
	if (c->present & (1ULL << d->attr))
		return false;
	if (!store_attr(c, d, eq + 1, t->p + t->n - (eq + 1)))
		return false;
	c->present |= 1ULL << d->attr;
	return true;
}

/* Returns 1 when kept, 0 when malformed, -ENOMEM (or -EOVERFLOW, from kms_grow()). */
static int parse_cache(struct slabsys *sys, const char *pos, const char *end)
{
	struct slab_sysfs_cache c;
	struct tok t;
	int err;

	memset(&c, 0, sizeof(c));
	if (!next_tok(&pos, end, &t) || !copy_name(c.name, &t))
		return 0;
	while (next_tok(&pos, end, &t))
		if (!parse_kv(&c, &t))
			return 0;
	c.has_counters = slab_sysfs_cache__has(&c, SLABSYS_OBJECTS) &&
			 slab_sysfs_cache__has(&c, SLABSYS_TOTAL_OBJECTS) &&
			 slab_sysfs_cache__has(&c, SLABSYS_SLABS);
	err = kms_grow((void **)&sys->caches, &sys->cap_caches, sys->nr_caches + 1,
		       sizeof(c), 64);
	if (err)
		return err;
	sys->caches[sys->nr_caches++] = c;
	return 1;
}

/* The target is kept in .name until resolve_aliases() has the caches:
 * `alias NAME TARGET` is stored as two consecutive records. */
static int parse_alias(struct slabsys *sys, const char *pos, const char *end)
{
	struct slabsys_alias a[2];
	struct tok t;
	int err;

	memset(a, 0, sizeof(a));
	if (!next_tok(&pos, end, &t) || !copy_name(a[0].name, &t) ||
	    !next_tok(&pos, end, &t) || !copy_name(a[1].name, &t) ||
	    next_tok(&pos, end, &t))
		return 0;
	err = kms_grow((void **)&sys->aliases, &sys->cap_aliases,
		       sys->nr_aliases + 2, sizeof(a[0]), 64);
	if (err)
		return err;
	sys->aliases[sys->nr_aliases++] = a[0];
	sys->aliases[sys->nr_aliases++] = a[1];
	return 1;
}

static int parse_line(struct slabsys *sys, const char *pos, const char *end)
{
	struct tok t;

	if (!next_tok(&pos, end, &t))
		return 1;	/* blank lines are not an error */
	if (tok_is(&t, "cache"))
		return parse_cache(sys, pos, end);
	if (tok_is(&t, "alias"))
		return parse_alias(sys, pos, end);
	return 0;
}

static int cmp_cache_idx(const void *a, const void *b, void *ctx)
{
	const struct slabsys *sys = ctx;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	int r = strcmp(sys->caches[ia].name, sys->caches[ib].name);

	if (r)
		return r;
	return ia < ib ? -1 : ia > ib;	/* the first in input order wins */
}

/* Sort the name index and drop later duplicates of a name, keeping the
 * caches array in input order. */
static int index_caches(struct slabsys *sys)
{
	size_t i, n = 0, *remap = NULL;
	bool *dup = NULL;

	if (!sys->nr_caches)
		return 0;
	sys->by_name = calloc(sys->nr_caches, sizeof(*sys->by_name));
	dup = calloc(sys->nr_caches, sizeof(*dup));
	remap = calloc(sys->nr_caches, sizeof(*remap));
	if (!sys->by_name || !dup || !remap)
		goto out;
	for (i = 0; i < sys->nr_caches; i++)
		sys->by_name[i] = i;
	qsort_r(sys->by_name, sys->nr_caches, sizeof(size_t), cmp_cache_idx,
		sys);
	for (i = 1; i < sys->nr_caches; i++)
		if (!strcmp(sys->caches[sys->by_name[i]].name,
			    sys->caches[sys->by_name[i - 1]].name))
			dup[sys->by_name[i]] = true;
	for (i = 0; i < sys->nr_caches; i++) {
		if (dup[i]) {
			sys->nr_malformed++;
			continue;
		}
		remap[i] = n;
		sys->caches[n++] = sys->caches[i];
	}
	for (i = 0, n = 0; i < sys->nr_caches; i++)
		if (!dup[sys->by_name[i]])
			sys->by_name[n++] = remap[sys->by_name[i]];
	sys->nr_caches = n;
out:
	free(dup);
	free(remap);
	return sys->by_name ? 0 : -ENOMEM;
}

static long find_cache(const struct slabsys *sys, const char *name)
{
	size_t lo = 0, hi = sys->nr_caches;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(name, sys->caches[sys->by_name[mid]].name);

		if (!r)
			return (long)sys->by_name[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int cmp_alias_idx(const void *a, const void *b, void *ctx)
{
	const struct slabsys_alias *al = ctx;
	size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
	int r = strcmp(al[ia].name, al[ib].name);

	if (r)
		return r;
	return ia < ib ? -1 : ia > ib;	/* the first in input order wins */
}

static int cmp_alias(const void *a, const void *b)
{
	return strcmp(((const struct slabsys_alias *)a)->name,
		      ((const struct slabsys_alias *)b)->name);
}

/* Drop later repeats of an alias name, then sort by name. */
static int dedup_aliases(struct slabsys *sys)
{
	size_t i, n = sys->nr_aliases, *idx;
	bool *dup;

	if (!n)
		return 0;
	idx = calloc(n, sizeof(*idx));
	dup = calloc(n, sizeof(*dup));
	if (!idx || !dup) {
		free(idx);
		free(dup);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_alias_idx, sys->aliases);
	for (i = 1; i < n; i++)
		if (!strcmp(sys->aliases[idx[i]].name,
			    sys->aliases[idx[i - 1]].name))
			dup[idx[i]] = true;
	for (i = 0, n = 0; i < sys->nr_aliases; i++) {
		if (dup[i]) {
			sys->nr_malformed++;
			continue;
		}
		sys->aliases[n++] = sys->aliases[i];
	}
	sys->nr_aliases = n;
	qsort(sys->aliases, n, sizeof(sys->aliases[0]), cmp_alias);
	free(idx);
	free(dup);
	return 0;
}

/* Turn (name, target) record pairs into name -> cache index.  Aliases
 * with no target cache, shadowing a real directory, or repeating an
 * earlier alias's name are dropped as malformed. */
static int resolve_aliases(struct slabsys *sys)
{
	size_t i, n = 0, pairs = sys->nr_aliases / 2;

	for (i = 0; i < pairs; i++) {
		struct slabsys_alias a = sys->aliases[2 * i];
		long idx = find_cache(sys, sys->aliases[2 * i + 1].name);

		if (idx < 0 || find_cache(sys, a.name) >= 0) {
			sys->nr_malformed++;
			continue;
		}
		a.cache = (size_t)idx;
		sys->aliases[n++] = a;
	}
	sys->nr_aliases = n;
	return dedup_aliases(sys);
}

int slabsys__parse(const char *text, size_t len, struct slabsys **out)
{
	const char *pos = text, *end = text + len;
	struct slabsys *sys;
	int err = 0;

	if (!out || (!text && len))
		return -EINVAL;
	sys = calloc(1, sizeof(*sys));
	if (!sys)
		return -ENOMEM;
	while (text && pos < end) {
		const char *nl = memchr(pos, '\n', end - pos);
		const char *eol = nl ? nl : end;

		err = parse_line(sys, pos, eol);
		if (err < 0)
			goto fail;
		if (!err)
			sys->nr_malformed++;
		pos = nl ? nl + 1 : end;
	}
	err = index_caches(sys);
	if (err)
		goto fail;
	err = resolve_aliases(sys);
	if (err)
		goto fail;
	*out = sys;
	return 0;
fail:
	slabsys__free(sys);
	return err;
}

void slabsys__free(struct slabsys *sys)
{
	if (!sys)
		return;
	free(sys->caches);
	free(sys->by_name);
	free(sys->aliases);
	free(sys);
}

size_t slabsys__nr_caches(const struct slabsys *sys)
{
	return sys ? sys->nr_caches : 0;
}

const struct slab_sysfs_cache *slabsys__cache(const struct slabsys *sys,
					      size_t i)
{
	return sys && i < sys->nr_caches ? &sys->caches[i] : NULL;
}

size_t slabsys__nr_aliases(const struct slabsys *sys)
{
	return sys ? sys->nr_aliases : 0;
}

const struct slabsys_alias *slabsys__alias(const struct slabsys *sys,
					   size_t i)
{
	return sys && i < sys->nr_aliases ? &sys->aliases[i] : NULL;
}

const struct slab_sysfs_cache *slabsys__find(const struct slabsys *sys,
					     const char *name)
{
	size_t lo = 0, hi;
	long idx;

	if (!sys || !name)
		return NULL;
	idx = find_cache(sys, name);
	if (idx >= 0)
		return &sys->caches[idx];
	hi = sys->nr_aliases;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(name, sys->aliases[mid].name);

		if (!r)
			return &sys->caches[sys->aliases[mid].cache];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t slabsys__aliases_of(const struct slabsys *sys, const char *name, const char **out,
			   size_t max)
{
	const struct slab_sysfs_cache *c = slabsys__find(sys, name);
	size_t i, n = 0;

	if (!c)
		return 0;
	for (i = 0; i < sys->nr_aliases; i++) {
		const struct slabsys_alias *a = &sys->aliases[i];

		if (&sys->caches[a->cache] != c || !strcmp(a->name, name))
			continue;
		if (n < max)
			out[n] = a->name;
		n++;
	}
	return n;
}

size_t slabsys__nr_malformed(const struct slabsys *sys)
{
	return sys ? sys->nr_malformed : 0;
}

/* The most names a join looks at; more are "...". */
#define JOIN_MAX_NAMES	40

size_t slabsys__join(const struct slabsys *sys, const char *name, size_t width, char *buf,
		     size_t len)
{
	const char *a[JOIN_MAX_NAMES];
	size_t i, at = 0, need, n = slabsys__aliases_of(sys, name, a, JOIN_MAX_NAMES);

	if (!len)
		return n;
	buf[0] = '\0';
	for (i = 0; i < n && i < JOIN_MAX_NAMES; i++) {
		/* this name, its separator, and ", ..." after it unless it is the last */
		need = at + (i ? 2 : 0) + strlen(a[i]) + (i + 1 < n ? 5 : 0);
		if (need > width || need >= len)
			break;
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", a[i]);
	}
	if (i < n)
		snprintf(buf + at, len - at, "%s...", i ? ", " : "");
	return n;
}

/* " (+ " and ")" around the joined names. */
#define LABEL_FRAME	5

void slabsys__label(const struct slabsys *sys, const char *name, size_t width, char *buf,
		    size_t len)
{
	size_t at, n;
	char names[SLABSYS_LABEL_MAX];

	if (!len)
		return;
	at = (size_t)snprintf(buf, len, "%s", name);
	if (at >= len || at + LABEL_FRAME + 3 > width || at + LABEL_FRAME + 3 >= len)
		return;
	n = slabsys__join(sys, name, width - at - LABEL_FRAME, names, sizeof(names));
	if (n)
		snprintf(buf + at, len - at, " (+ %s)", names);
}
