// SPDX-License-Identifier: GPL-2.0
/*
 * pprof.c - see pprof.h.  Builds the protobuf-c message in memory (one
 * Location per distinct address, one Function per kernel symbol), packs
 * it and gzips it with zlib.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <linux/types.h>

#include "collect.h"
#include "grow.h"
#include "idmap.h"
#include "ksyms.h"
#include "kmscope_event.h"
#include "pprof.h"
#include "profile.pb-c.h"
#include "runinfo.h"
#include "cgpaths.h"
#include "stacks.h"
#include "util.h"

enum { ST_ALLOC_OBJECTS, ST_ALLOC_SPACE, ST_INUSE_OBJECTS, ST_INUSE_SPACE, ST_NR };

/* Allocations and bytes of one row at a window's start. */
struct base_row {
	uint64_t allocs, bytes;
};

/* Rows by collector index: sites and cgroup sites are only ever appended. */
struct pprof_base {
	struct base_row *sites, *cgsites;
	size_t nr_sites, nr_cgsites;
	uint64_t real_ns;
};

/* Labels per sample: cache, cgroup. */
#define NR_LABELS	2

/* The whole message and what it points into, freed in one place. */
struct pp {
	Perftools__Profiles__Profile prof;
	Perftools__Profiles__ValueType vt[ST_NR + 1], *vtp[ST_NR];
	Perftools__Profiles__Mapping map, *mapp;
	Perftools__Profiles__Sample *samples, **samplep;
	Perftools__Profiles__Label *labels, **labelp;
	Perftools__Profiles__Location *locs, **locp;
	Perftools__Profiles__Line *lines, **linep;
	Perftools__Profiles__Function *funcs, **funcp;
	uint64_t *loc_ids;	/* samples' location ids, KMS_STACK_DEPTH each */
	int64_t *values;	/* ST_NR per sample */
	char **strings;
	size_t nr_strings, cap_strings, nr_locs, cap_locs, nr_funcs;
	struct idmap *loc_of, *func_of;
	const struct ksyms *ks;
	const struct pprof_base *since;
};

static int64_t add_string(struct pp *p, const char *s)
{
	int err = kms_grow((void **)&p->strings, &p->cap_strings, p->nr_strings + 1,
			   sizeof(*p->strings), 64);

	if (err)
		return err;
	p->strings[p->nr_strings] = strdup(s);
	if (!p->strings[p->nr_strings])
		return -ENOMEM;
	return p->nr_strings++;
}

/* Locations and functions grow together: at most one function per location. */
static int grow_locs(struct pp *p)
{
	struct {
		void **arr;
		size_t elem;
	} a[] = {
		{ (void **)&p->locs, sizeof(*p->locs) },
		{ (void **)&p->lines, sizeof(*p->lines) },
		{ (void **)&p->funcs, sizeof(*p->funcs) },
		{ (void **)&p->linep, sizeof(*p->linep) },
	};
	size_t i, cap = p->cap_locs;
	int err;

	/* Each from the same capacity, so each grows to the same one. */
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		cap = p->cap_locs;
		err = kms_grow(a[i].arr, &cap, p->nr_locs + 1, a[i].elem, 256);
		if (err)
			return err;
	}
	p->cap_locs = cap;
	return 0;
}

/* The function of an address: its kernel symbol, or the address itself. */
static int64_t function_of(struct pp *p, uint64_t ip)
{
	unsigned long long off;
	const struct ksym *k = p->ks ? ksyms__find(p->ks, ip, &off) : NULL;
	uint64_t key = k ? k->addr : ip;
	int64_t id = idmap__get(p->func_of, key), name;
	char buf[256];
	Perftools__Profiles__Function *fn;

	if (id >= 0)
		return id;
	if (k)
		snprintf(buf, sizeof(buf), "%s%s%s%s", k->name, k->module ? " [" : "",
			 k->module ? k->module : "", k->module ? "]" : "");
	else
		ksyms__format(p->ks, ip, buf, sizeof(buf));	/* address, or redacted */
	name = add_string(p, buf);
	if (name < 0)
		return name;
	fn = &p->funcs[p->nr_funcs];
	perftools__profiles__function__init(fn);
	fn->id = p->nr_funcs + 1;
	fn->name = fn->system_name = name;
	if (idmap__set(p->func_of, key, p->nr_funcs))
		return -ENOMEM;
	return p->nr_funcs++;
}

/* The location id (1-based) of an address. */
static int64_t location_of(struct pp *p, uint64_t ip)
{
	int64_t id = idmap__get(p->loc_of, ip), fn;
	Perftools__Profiles__Location *l;
	size_t i;

	if (id >= 0)
		return id + 1;
	if (p->nr_locs == p->cap_locs && grow_locs(p))
		return -ENOMEM;
	fn = function_of(p, ip);
	if (fn < 0)
		return fn;
	i = p->nr_locs;
	perftools__profiles__line__init(&p->lines[i]);
	p->lines[i].function_id = fn + 1;
	l = &p->locs[i];
	perftools__profiles__location__init(l);
	l->id = i + 1;
	l->mapping_id = 1;
	l->address = ksyms__redact(p->ks) ? 0 : ip;
	l->n_line = 1;
	if (idmap__set(p->loc_of, ip, i))
		return -ENOMEM;
	p->nr_locs++;
	return i + 1;
}

/* A sample's labels: the cache, and the cgroup with --by cgroup (0: none). */
struct sample_labels {
	int64_t cache_key, cache, cgroup_key, cgroup;
};

static void set_labels(struct pp *p, size_t k, Perftools__Profiles__Sample *smp,
		       const struct sample_labels *sl)
{
	Perftools__Profiles__Label *l = &p->labels[k * NR_LABELS];
	Perftools__Profiles__Label **lp = &p->labelp[k * NR_LABELS];
	const int64_t kv[NR_LABELS][2] = { { sl->cache_key, sl->cache },
					   { sl->cgroup_key, sl->cgroup } };
	size_t i, n = 0;

	for (i = 0; i < NR_LABELS; i++) {
		if (kv[i][1] <= 0)
			continue;
		perftools__profiles__label__init(&l[n]);
		l[n].key = kv[i][0];
		l[n].str = kv[i][1];
		lp[n] = &l[n];
		n++;
	}
	smp->n_label = n;
	smp->label = n ? lp : NULL;
}

static int add_sample(struct pp *p, size_t k, const struct kms_site *s,
		      const struct kms_totals *t, const struct base_row *b,
		      const struct kms_stacks *stacks, const struct sample_labels *sl)
{
	Perftools__Profiles__Sample *smp = &p->samples[k];
	uint64_t frames[KMS_STACK_DEPTH], *ids = &p->loc_ids[k * KMS_STACK_DEPTH];
	int64_t *v = &p->values[k * ST_NR], id;
	size_t i, n = kms_stacks__site_frames(stacks, s->stack, s->call_site, frames,
					      KMS_STACK_DEPTH);

	for (i = 0; i < n; i++) {
		id = location_of(p, frames[i]);
		if (id < 0)
			return id;
		ids[i] = id;
	}
	perftools__profiles__sample__init(smp);
	smp->n_location_id = n;
	smp->location_id = ids;
	v[ST_ALLOC_OBJECTS] = t->allocs - b->allocs;
	v[ST_ALLOC_SPACE] = t->bytes_alloc - b->bytes;
	v[ST_INUSE_OBJECTS] = t->live;
	v[ST_INUSE_SPACE] = t->live_alloc;
	smp->n_value = ST_NR;
	smp->value = v;
	set_labels(p, k, smp, sl);
	p->samplep[k] = smp;
	return 0;
}

static int64_t cache_label(struct pp *p, const struct collector *c, const struct kms_site *s)
{
	const struct kms_cache *kc = collector__cache(c, s->cache);

	return kc && kc->name[0] ? add_string(p, kc->name) : 0;
}

static int alloc_samples(struct pp *p, size_t n)
{
	p->samples = calloc(n + 1, sizeof(*p->samples));
	p->samplep = calloc(n + 1, sizeof(*p->samplep));
	p->labels = calloc((n + 1) * NR_LABELS, sizeof(*p->labels));
	p->labelp = calloc((n + 1) * NR_LABELS, sizeof(*p->labelp));
	p->loc_ids = calloc((n + 1) * KMS_STACK_DEPTH, sizeof(*p->loc_ids));
	p->values = calloc((n + 1) * ST_NR, sizeof(*p->values));
	return p->samples && p->samplep && p->labels && p->labelp && p->loc_ids && p->values ?
		0 : -ENOMEM;
}

/* Row i at the window's start (nothing before a row existed). */
static struct base_row base_of(const struct base_row *rows, size_t n, size_t i)
{
	return i < n ? rows[i] : (struct base_row){ 0 };
}

/* One sample per site. */
static int site_samples(struct pp *p, const struct collector *c, const struct kms_stacks *stacks,
			struct sample_labels *sl)
{
	size_t i, k = 0, n = collector__nr_sites(c);
	int err = alloc_samples(p, n);
	struct base_row b = { 0 };

	for (i = 0; !err && i < n; i++) {
		const struct kms_site *s = collector__site(c, i);

		if (p->since)
			b = base_of(p->since->sites, p->since->nr_sites, i);
		if (s->t.allocs == b.allocs && !s->t.live)
			continue;
		sl->cache = cache_label(p, c, s);
		if (sl->cache < 0)
			return sl->cache;
		err = add_sample(p, k++, s, &s->t, &b, stacks, sl);
	}
	p->prof.n_sample = k;
	return err;
}

/* --by cgroup: one sample per (site, cgroup), labelled with the cgroup's path. */
static int cgroup_samples(struct pp *p, const struct collector *c,
			  const struct kms_stacks *stacks, const struct cgpaths *paths,
			  struct sample_labels *sl)
{
	size_t i, k = 0, n = collector__nr_cgsites(c);
	int err = alloc_samples(p, n);
	struct base_row b = { 0 };
	char buf[64];

	sl->cgroup_key = add_string(p, "cgroup");
	if (sl->cgroup_key < 0)
		return sl->cgroup_key;
	for (i = 0; !err && i < n; i++) {
		const struct kms_cgsite *cs = collector__cgsite(c, i);
		const struct kms_site *s = collector__site(c, cs->site);
		const struct kms_cgroup *g = collector__cgroup(c, cs->cgroup);

		if (p->since)
			b = base_of(p->since->cgsites, p->since->nr_cgsites, i);
		if (cs->t.allocs == b.allocs && !cs->t.live)
			continue;
		sl->cache = cache_label(p, c, s);
		sl->cgroup = add_string(p, cgpaths__label(paths, g->id, buf, sizeof(buf)));
		if (sl->cache < 0 || sl->cgroup < 0)
			return -ENOMEM;
		err = add_sample(p, k++, s, &cs->t, &b, stacks, sl);
	}
	p->prof.n_sample = k;
	return err;
}

static int add_samples(struct pp *p, const struct collector *c, const struct kms_stacks *stacks,
		       const struct cgpaths *paths)
{
	struct sample_labels sl = { .cache_key = add_string(p, "cache") };
	int err;

	if (sl.cache_key < 0)
		return sl.cache_key;
	err = collector__nr_cgsites(c) ? cgroup_samples(p, c, stacks, paths, &sl) :
					 site_samples(p, c, stacks, &sl);
	p->prof.sample = p->samplep;
	return err;
}

static int sample_types(struct pp *p, bool allocs)
{
	static const char *const names[ST_NR][2] = {
		{ "alloc_objects", "count" }, { "alloc_space", "bytes" },
		{ "inuse_objects", "count" }, { "inuse_space", "bytes" },
	};
	int64_t t, u;
	int i;

	for (i = 0; i < ST_NR; i++) {
		t = add_string(p, names[i][0]);
		u = add_string(p, names[i][1]);
		if (t < 0 || u < 0)
			return -ENOMEM;
		perftools__profiles__value_type__init(&p->vt[i]);
		p->vt[i].type = t;
		p->vt[i].unit = u;
		p->vtp[i] = &p->vt[i];
	}
	/* Like Go's heap profiles: one sampled object counts as one. */
	perftools__profiles__value_type__init(&p->vt[ST_NR]);
	p->vt[ST_NR].type = p->vt[ST_ALLOC_SPACE].type;
	p->vt[ST_NR].unit = p->vt[ST_ALLOC_SPACE].unit;
	p->prof.period_type = &p->vt[ST_NR];
	p->prof.period = 1;
	p->prof.n_sample_type = ST_NR;
	p->prof.sample_type = p->vtp;
	p->prof.default_sample_type = p->vt[allocs ? ST_ALLOC_SPACE : ST_INUSE_SPACE].type;
	return 0;
}

static int finish(struct pp *p, const struct runinfo *ri, const struct pprof_opts *o)
{
	size_t i;
	int64_t fname = add_string(p, "[kernel.kallsyms]");

	if (fname < 0)
		return -ENOMEM;
	p->locp = calloc(p->nr_locs + 1, sizeof(*p->locp));
	p->funcp = calloc(p->nr_funcs + 1, sizeof(*p->funcp));
	if (!p->locp || !p->funcp)
		return -ENOMEM;
	for (i = 0; i < p->nr_locs; i++) {
		p->linep[i] = &p->lines[i];
		p->locs[i].line = &p->linep[i];
		p->locp[i] = &p->locs[i];
	}
	for (i = 0; i < p->nr_funcs; i++)
		p->funcp[i] = &p->funcs[i];
	perftools__profiles__mapping__init(&p->map);
	p->map.id = 1;
	p->map.memory_limit = UINT64_MAX;
	p->map.filename = fname;
	p->map.has_functions = true;
	p->mapp = &p->map;
	p->prof.n_mapping = 1;
	p->prof.mapping = &p->mapp;
	p->prof.n_location = p->nr_locs;
	p->prof.location = p->locp;
	p->prof.n_function = p->nr_funcs;
	p->prof.function = p->funcp;
	p->prof.n_string_table = p->nr_strings;
	p->prof.string_table = p->strings;
	if (o->since) {
		p->prof.time_nanos = o->since->real_ns;
		p->prof.duration_nanos = o->now_real_ns - o->since->real_ns;
	} else if (ri) {
		p->prof.time_nanos = ri->t0_real_ns;
		p->prof.duration_nanos = ri->duration_ns;
	}
	return 0;
}

/* gzip (RFC 1952, as pprof wants it) of len bytes to f. */
static int gzip_to(FILE *f, const uint8_t *buf, size_t len)
{
	z_stream z = { 0 };
	unsigned char out[65536];
	int rc;

	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY))
		return -ENOMEM;
	z.next_in = (unsigned char *)buf;
	z.avail_in = len;
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		rc = deflate(&z, Z_FINISH);
		if (fwrite(out, 1, sizeof(out) - z.avail_out, f) != sizeof(out) - z.avail_out)
			rc = Z_ERRNO;
	} while (rc == Z_OK);
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -EIO;
}

static void pp_free(struct pp *p)
{
	size_t i;

	for (i = 0; i < p->nr_strings; i++)
		free(p->strings[i]);
	free(p->strings);
	free(p->samples);
	free(p->samplep);
	free(p->labels);
	free(p->labelp);
	free(p->loc_ids);
	free(p->values);
	free(p->locs);
	free(p->locp);
	free(p->lines);
	free(p->linep);
	free(p->funcs);
	free(p->funcp);
	idmap__free(p->loc_of);
	idmap__free(p->func_of);
}

struct pprof_base *pprof_base__new(const struct collector *c, uint64_t real_ns)
{
	struct pprof_base *b = calloc(1, sizeof(*b));
	size_t i;

	if (!b)
		return NULL;
	b->real_ns = real_ns;
	b->nr_sites = collector__nr_sites(c);
	b->nr_cgsites = collector__nr_cgsites(c);
	b->sites = calloc(b->nr_sites + 1, sizeof(*b->sites));
	b->cgsites = calloc(b->nr_cgsites + 1, sizeof(*b->cgsites));
	if (!b->sites || !b->cgsites) {
		pprof_base__free(b);
		return NULL;
	}
	for (i = 0; i < b->nr_sites; i++) {
		b->sites[i].allocs = collector__site(c, i)->t.allocs;
		b->sites[i].bytes = collector__site(c, i)->t.bytes_alloc;
	}
	for (i = 0; i < b->nr_cgsites; i++) {
		b->cgsites[i].allocs = collector__cgsite(c, i)->t.allocs;
		b->cgsites[i].bytes = collector__cgsite(c, i)->t.bytes_alloc;
	}
	return b;
}

void pprof_base__free(struct pprof_base *b)
{
	if (!b)
		return;
	free(b->sites);
	free(b->cgsites);
	free(b);
}

int pprof__write(FILE *f, const struct collector *c, const struct ksyms *ks,
		 const struct kms_stacks *stacks, const struct cgpaths *paths,
		 const struct runinfo *ri)
{
	return pprof__write_opts(f, c, ks, stacks, paths, ri, NULL);
}

int pprof__write_opts(FILE *f, const struct collector *c, const struct ksyms *ks,
		      const struct kms_stacks *stacks, const struct cgpaths *paths,
		      const struct runinfo *ri, const struct pprof_opts *o)
{
	static const struct pprof_opts heap = { 0 };
	struct pp p = { .ks = ks };
	uint8_t *buf = NULL;
	size_t len;
	int err = -ENOMEM;

	perftools__profiles__profile__init(&p.prof);
	p.loc_of = idmap__new();
	p.func_of = idmap__new();
	if (!p.loc_of || !p.func_of || add_string(&p, "") < 0)
		goto out;
	if (!o)
		o = &heap;
	p.since = o->since;
	err = sample_types(&p, o->allocs);
	if (!err)
		err = add_samples(&p, c, stacks, paths);
	if (!err)
		err = finish(&p, ri, o);
	if (err)
		goto out;
	len = perftools__profiles__profile__get_packed_size(&p.prof);
	buf = malloc(len ? len : 1);
	err = -ENOMEM;
	if (!buf)
		goto out;
	perftools__profiles__profile__pack(&p.prof, buf);
	err = gzip_to(f, buf, len);
	if (!err && ferror(f))
		err = -EIO;
out:
	free(buf);
	pp_free(&p);
	return err;
}
