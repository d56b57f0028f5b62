// SPDX-License-Identifier: GPL-2.0
/*
 * import.c - kmem tracepoint text (tracefs or perf script) to a recording;
 * see import.h.  import_parse.c reads each line and checks all of it
 * first, so a line either converts whole or is skipped and counted.  This
 * file owns the state across lines: the tasks, the interned functions and
 * caches with their pseudo addresses, the records (through kms_encode())
 * and the recording written from them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "encode.h"
#include "idmap.h"
#include "import.h"
#include "import_parse.h"
#include "kmscope_event.h"
#include "runinfo.h"
#include "util.h"

#define ZERO_SIZE_PTR	16	/* kfree(NULL) and kfree(ZERO_SIZE_PTR): dropped */

/* Interned strings: function keys and cache names, index by first sight. */
struct strtab {
	char **names;
	uint64_t *hashes;
	uint32_t n, cap;
	uint32_t *slots;	/* index + 1, 0 = empty */
	uint32_t nslots;	/* power of two, > 2 * n */
};

struct task {
	char comm[KMS_COMM_LEN];
};

struct cache {
	size_t info_off;	/* its CACHE_INFO record in buf */
	uint32_t cpu;		/* of the line that announced it */
	bool sized;		/* an allocation gave its sizes */
};

struct kms_import {
	struct kms_import_opts opts;
	struct kms_import_stats st;
	struct strtab funcs;
	struct strtab caches;
	struct cache *cache;	/* per caches entry */
	uint32_t cap_cache;
	struct idmap *pids;	/* pid -> index in tasks */
	struct task *tasks;
	uint32_t nr_tasks, cap_tasks;
	/*
	 * Encoded records (kms_encode()), each after its u32 length: this
	 * buffer's own framing, not the file's (recfile_writer__add_record()
	 * frames them when written).
	 */
	unsigned char *buf;
	size_t len, cap;
	bool have_t0;
	char line[KMS_IMPORT_MAX_LINE + 1];
};

/* ---- interned strings ------------------------------------------------ */

static uint64_t str_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

static int strtab_grow(struct strtab *t)
{
	uint32_t ns = t->nslots ? t->nslots * 2 : 64, i, j;
	uint32_t *slots = calloc(ns, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		for (j = t->hashes[i] & (ns - 1); slots[j]; j = (j + 1) & (ns - 1))
			;
		slots[j] = i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	return 0;
}

/* Index of s in t, added when new (*added set); -ENOMEM or -E2BIG past max. */
static int64_t strtab_get(struct strtab *t, const char *s, size_t len, uint32_t max,
			  bool *added)
{
	uint64_t h = str_hash(s, len);
	uint32_t j;
	char *copy;

	*added = false;
	for (j = t->nslots ? h & (t->nslots - 1) : 0; t->nslots && t->slots[j];
	     j = (j + 1) & (t->nslots - 1)) {
		uint32_t i = t->slots[j] - 1;

		if (t->hashes[i] == h && !strncmp(t->names[i], s, len) && !t->names[i][len])
			return i;
	}
	if (t->n >= max)
		return -E2BIG;
	if (t->n + 1 > t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 64;
		char **names = realloc(t->names, cap * sizeof(*names));
		uint64_t *hashes;

		if (!names)
			return -ENOMEM;
		t->names = names;
		hashes = realloc(t->hashes, cap * sizeof(*hashes));
		if (!hashes)
			return -ENOMEM;
		t->hashes = hashes;
		t->cap = cap;
	}
	if (2 * (t->n + 1) >= t->nslots && strtab_grow(t))
		return -ENOMEM;
	copy = strndup(s, len);
	if (!copy)
		return -ENOMEM;
	for (j = h & (t->nslots - 1); t->slots[j]; j = (j + 1) & (t->nslots - 1))
		;
	t->names[t->n] = copy;
	t->hashes[t->n] = h;
	t->slots[j] = ++t->n;
	*added = true;
	return t->n - 1;
}

static void strtab_free(struct strtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->hashes);
	free(t->slots);
}

/* ---- records --------------------------------------------------------- */

/* Append an event, encoded; returns its record's offset in buf or -errno. */
static int64_t put_event(struct kms_import *im, const struct kms_event *ev)
{
	unsigned char rec[KMS_ENCODE_MAX];
	int n = kms_encode(ev, rec, sizeof(rec));
	uint32_t len = n;
	size_t need, off;

	if (n < 0)
		return n;
	need = im->len + sizeof(len) + len;

	if (need > im->cap) {
		size_t cap = im->cap ? im->cap : 1 << 16;
		unsigned char *nb;

		while (cap < need)
			cap *= 2;
		nb = realloc(im->buf, cap);
		if (!nb)
			return -ENOMEM;
		im->buf = nb;
		im->cap = cap;
	}
	memcpy(im->buf + im->len, &len, sizeof(len));
	off = im->len + sizeof(len);
	memcpy(im->buf + off, rec, len);
	im->len = need;
	im->st.records++;
	return off;
}

/* A task record for a new pid, or when its comm changed (exec). */
static int announce_task(struct kms_import *im, const struct import_line *l)
{
	struct kms_event ev = { .type = KMS_EV_TASK, .cpu = l->cpu, .tid = l->pid };
	size_t n = KMS_MIN(l->comm_len, KMS_COMM_LEN - 1);
	int64_t idx;

	if (l->comm_len == 5 && !memcmp(l->comm, "<...>", 5))
		return 0;	/* ftrace lost the comm */
	/* idmap never stores key 0: the idle task (<idle>-0) gets ~0, as in collect.c */
	idx = idmap__get(im->pids, l->pid ? l->pid : ~0ULL);
	if (idx >= 0 && !strncmp(im->tasks[idx].comm, l->comm, n) && !im->tasks[idx].comm[n])
		return 0;
	if (idx < 0) {
		if (im->nr_tasks == im->cap_tasks) {
			uint32_t cap = im->cap_tasks ? im->cap_tasks * 2 : 64;
			struct task *t = realloc(im->tasks, cap * sizeof(*t));

			if (!t)
				return -ENOMEM;
			im->tasks = t;
			im->cap_tasks = cap;
		}
		if (idmap__set(im->pids, l->pid ? l->pid : ~0ULL, im->nr_tasks))
			return -ENOMEM;
		idx = im->nr_tasks++;
		im->st.nr_tasks = im->nr_tasks;
	}
	memset(im->tasks[idx].comm, 0, KMS_COMM_LEN);
	memcpy(im->tasks[idx].comm, l->comm, n);
	ev.tgid = l->tgid ? l->tgid : l->pid;
	ev.name = im->tasks[idx].comm;
	ev.name_len = n;
	return put_event(im, &ev) < 0 ? -ENOMEM : 0;
}

/*
 * The pseudo cache id of a name, announcing it (a cache info record) on
 * first use.  A cache first met in a free is announced with size 0; the
 * first allocation encodes that same record again, with the sizes.
 */
static int cache_id(struct kms_import *im, const struct import_line *l, uint64_t *id)
{
	const struct import_field *name = &l->name;
	struct kms_event ev = { .type = KMS_EV_CACHE_INFO, .flags = KMS_EVF_HAS_CACHE,
				.name = name->v,
				.name_len = KMS_MIN(name->len, KMS_CACHE_NAME_LEN - 1) };
	bool added;
	int64_t i;

	if (im->caches.n + 1 > im->cap_cache) {
		uint32_t cap = im->cap_cache ? im->cap_cache * 2 : 64;
		struct cache *nc = realloc(im->cache, cap * sizeof(*nc));

		if (!nc)
			return -ENOMEM;
		im->cache = nc;
		im->cap_cache = cap;
	}
	i = strtab_get(&im->caches, name->v, name->len, KMS_IMPORT_MAX_CACHES, &added);
	if (i < 0)
		return i;
	*id = KMS_IMPORT_CACHE_BASE + (i + 1) * KMS_IMPORT_CACHE_STEP;
	ev.cache = *id;
	if (added) {
		int64_t off;

		ev.cpu = l->cpu;
		off = put_event(im, &ev);
		im->cache[i].info_off = off < 0 ? 0 : off;
		im->cache[i].cpu = l->cpu;
		im->cache[i].sized = off < 0;	/* never rewrite a record not there */
		if (off < 0)
			return -ENOMEM;
		im->st.nr_caches = im->caches.n;
	}
	if (l->type == KMS_IMPORT_CACHE_ALLOC && !im->cache[i].sized) {
		uint32_t len;

		/* The same record, the same size: rewritten in place. */
		ev.cpu = im->cache[i].cpu;
		ev.object_size = l->req;
		ev.size = l->alloc;
		memcpy(&len, im->buf + im->cache[i].info_off - sizeof(len), sizeof(len));
		if (kms_encode(&ev, im->buf + im->cache[i].info_off, len) < 0)
			return -EINVAL;
		im->cache[i].sized = true;
	}
	return 0;
}

static void note_time(struct kms_import *im, const struct import_line *l)
{
	if (!im->have_t0) {
		im->st.t0_ns = l->ts;
		im->have_t0 = true;
	}
	if (l->ts > im->st.t_last_ns)
		im->st.t_last_ns = l->ts;
	if (l->cpu + 1 > im->st.ncpus)
		im->st.ncpus = l->cpu + 1;
	if (l->has_flags)
		im->st.context = true;
}

/* The call site's pseudo address; 0 with *site set, 1 for too many functions. */
static int site_of(struct kms_import *im, const struct import_line *l, uint64_t *site)
{
	int64_t fn;
	bool added;

	if (!l->key[0]) {
		*site = l->off;
		return 0;
	}
	fn = strtab_get(&im->funcs, l->key, strlen(l->key), KMS_IMPORT_MAX_FUNCS, &added);
	if (fn == -ENOMEM)
		return -ENOMEM;
	if (fn < 0)
		return 1;
	im->st.nr_funcs = im->funcs.n;
	*site = KMS_IMPORT_FUNC_BASE + fn * KMS_IMPORT_FUNC_SPAN + l->off;
	return 0;
}

static void make_event(struct kms_event *ev, const struct import_line *l, uint64_t site,
		       uint64_t cache)
{
	int type = l->type;

	ev->cpu = l->cpu;
	ev->tid = l->pid;
	ev->ts = l->ts;
	ev->ptr = l->ptr;
	if (type == KMS_IMPORT_KMALLOC || type == KMS_IMPORT_CACHE_ALLOC) {
		ev->type = type == KMS_IMPORT_KMALLOC ? KMS_EV_KMALLOC : KMS_EV_CACHE_ALLOC;
		ev->flags = l->ctx | (l->ptr ? 0 : KMS_EVF_FAILED);
		ev->tgid = l->tgid ? l->tgid : l->pid;
		ev->gfp = l->gfp;
		ev->call_site = site;
		if (type == KMS_IMPORT_CACHE_ALLOC && cache) {
			ev->flags |= KMS_EVF_HAS_CACHE;
			ev->cache = cache;
		} else {
			ev->bytes_req = l->req;
			ev->bytes_alloc = l->alloc;
		}
	} else {
		ev->type = type == KMS_IMPORT_CACHE_FREE ? KMS_EV_CACHE_FREE : KMS_EV_KFREE;
		ev->cache = type == KMS_IMPORT_CACHE_FREE ? cache : 0;
	}
}

/* Returns 1 converted, 0 not convertible (too many functions), or -ENOMEM. */
static int convert(struct kms_import *im, const struct import_line *l)
{
	bool is_alloc = l->type == KMS_IMPORT_KMALLOC || l->type == KMS_IMPORT_CACHE_ALLOC;
	struct kms_event ev = { 0 };
	uint64_t site, cache = 0;
	int err;

	im->st.gfp_unknown += l->gfp_unknown;
	err = site_of(im, l, &site);
	if (err)
		return err < 0 ? err : 0;

	note_time(im, l);
	im->st.events[l->type]++;
	im->st.by_format[l->fmt]++;
	if (!is_alloc && l->ptr <= ZERO_SIZE_PTR) {
		im->st.free_null++;
		return 1;
	}
	err = announce_task(im, l);
	if (err)
		return err;
	if (l->name.v && l->type != KMS_IMPORT_KMALLOC) {
		err = cache_id(im, l, &cache);
		if (err == -ENOMEM)
			return err;
		if (err)
			cache = 0;
	}
	make_event(&ev, l, site, cache);
	return put_event(im, &ev) < 0 ? -ENOMEM : 1;
}

/* ---- API ------------------------------------------------------------- */

struct kms_import *kms_import__new(const struct kms_import_opts *opts)
{
	struct kms_import *im = calloc(1, sizeof(*im));

	if (!im)
		return NULL;
	if (opts)
		im->opts = *opts;
	im->pids = idmap__new();
	if (!im->pids) {
		free(im);
		return NULL;
	}
	return im;
}

void kms_import__free(struct kms_import *im)
{
	if (!im)
		return;
	strtab_free(&im->funcs);
	strtab_free(&im->caches);
	idmap__free(im->pids);
	free(im->cache);
	free(im->tasks);
	free(im->buf);
	free(im);
}

int kms_import__line(struct kms_import *im, const char *text, size_t len)
{
	struct import_line l;
	int r;

	im->st.lines++;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len > KMS_IMPORT_MAX_LINE || memchr(text, 0, len)) {
		im->st.bad++;
		return 0;
	}
	/* The parser wants a NUL-terminated line; text need not be one. */
	memcpy(im->line, text, len);
	im->line[len] = 0;
	switch (import_parse_line(im->line, &l)) {
	case IMPORT_LINE_COMMENT:
		im->st.comments++;
		return 0;
	case IMPORT_LINE_OTHER:
		im->st.other_events++;
		return 0;
	case IMPORT_LINE_BAD:
		im->st.bad++;
		return 0;
	case IMPORT_LINE_EVENT:
		break;
	}
	r = convert(im, &l);
	if (r < 0)
		return r;
	if (!r)
		im->st.bad++;
	return 0;
}

const struct kms_import_stats *kms_import__stats(const struct kms_import *im)
{
	return &im->st;
}

const char *kms_import__method(const struct kms_import *im)
{
	return im->st.by_format[KMS_IMPORT_PERF] > im->st.by_format[KMS_IMPORT_FTRACE] ?
	       "perf" : "ftrace";
}

/* Text from a writer callback into one section. */
static int add_text(struct recfile_writer *w, enum recfile_section type,
		    int (*fill)(const struct kms_import *im, FILE *f), const struct kms_import *im)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int err;

	if (!f)
		return -ENOMEM;
	err = fill(im, f);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (!err)
		err = recfile_writer__add_section(w, type, text, len);
	free(text);
	return err;
}

static void fill_runinfo(const struct kms_import *im, struct runinfo *ri)
{
	const struct kms_import_stats *st = &im->st;

	memset(ri, 0, sizeof(*ri));
	snprintf(ri->kernel, sizeof(ri->kernel), "%s",
		 im->opts.kernel ? im->opts.kernel : "imported");
	snprintf(ri->method, sizeof(ri->method), "%s", kms_import__method(im));
	ri->page_size = im->opts.page_size ? im->opts.page_size : 4096;
	ri->ncpus = st->ncpus;
	ri->t0_mono_ns = st->t0_ns;
	/* The irq-info column has the preempt depth and BH-off as well. */
	ri->context = st->context;
	ri->preempt = st->context;
	ri->duration_ns = st->t_last_ns > st->t0_ns ? st->t_last_ns - st->t0_ns : 0;
	ri->exit_status = -1;
	ri->counters[KMS_CNT_SEEN_KMALLOC] = st->events[KMS_IMPORT_KMALLOC];
	ri->counters[KMS_CNT_SEEN_KFREE] = st->events[KMS_IMPORT_KFREE];
	ri->counters[KMS_CNT_SEEN_CACHE_ALLOC] = st->events[KMS_IMPORT_CACHE_ALLOC];
	ri->counters[KMS_CNT_SEEN_CACHE_FREE] = st->events[KMS_IMPORT_CACHE_FREE];
	ri->counters[KMS_CNT_FREE_NULL] = st->free_null;
}

static int fill_meta(const struct kms_import *im, FILE *f)
{
	const struct kms_import_stats *st = &im->st;
	struct runinfo ri;
	int err;

	fill_runinfo(im, &ri);
	err = runinfo__write_meta(&ri, f);
	if (err)
		return err;
	/* Not runinfo keys: readers ignore them; they say where this came from. */
	fprintf(f, "import_lines=%llu\nimport_skipped_other=%llu\nimport_skipped_bad=%llu\n"
		"import_gfp_unknown=%llu\n", (unsigned long long)st->lines,
		(unsigned long long)st->other_events, (unsigned long long)st->bad,
		(unsigned long long)st->gfp_unknown);
	return ferror(f) ? -EIO : 0;
}

static int fill_counters(const struct kms_import *im, FILE *f)
{
	struct runinfo ri;

	fill_runinfo(im, &ri);
	return runinfo__write_counters(&ri, f);
}

static int fill_symbols(const struct kms_import *im, FILE *f)
{
	uint32_t i;

	for (i = 0; i < im->funcs.n; i++)
		fprintf(f, "%016llx t %s\n",
			KMS_IMPORT_FUNC_BASE + (unsigned long long)i * KMS_IMPORT_FUNC_SPAN,
			im->funcs.names[i]);
	fprintf(f, "%016llx t %s\n",
		KMS_IMPORT_FUNC_BASE + (unsigned long long)i * KMS_IMPORT_FUNC_SPAN,
		KMS_IMPORT_END_SYM);
	return ferror(f) ? -EIO : 0;
}

int kms_import__write(struct kms_import *im, struct recfile_writer *w)
{
	size_t pos = 0;
	int err = add_text(w, KMS_SEC_META, fill_meta, im);

	while (!err && pos + sizeof(uint32_t) <= im->len) {
		uint32_t len;

		memcpy(&len, im->buf + pos, sizeof(len));
		err = recfile_writer__add_record(w, im->buf + pos + sizeof(len), len);
		pos += sizeof(len) + len;
	}
	if (!err)
		err = add_text(w, KMS_SEC_SYMBOLS, fill_symbols, im);
	if (!err)
		err = add_text(w, KMS_SEC_COUNTERS, fill_counters, im);
	if (!err)
		err = recfile_writer__finish(w);
	return err;
}
