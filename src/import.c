// SPDX-License-Identifier: GPL-2.0
/*
 * import.c - kmem tracepoint text (tracefs or perf script) to a recording;
 * see import.h.  A line is split into its prefix (task, pid, CPU, irq
 * flags, timestamp), the event name and its key=value fields; everything
 * is validated before any state changes, so a line either converts whole
 * or is skipped and counted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "encode.h"
#include "gfp.h"
#include "idmap.h"
#include "import.h"
#include "kmscope_event.h"
#include "runinfo.h"
#include "util.h"

#define ZERO_SIZE_PTR	16	/* kfree(NULL) and kfree(ZERO_SIZE_PTR): dropped */
#define MAX_SYM_LEN	255
#define MAX_MOD_LEN	63

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

/* What a line says, before it touches any state. */
struct line {
	enum kms_import_format fmt;
	const char *comm;
	size_t comm_len;
	uint32_t pid, tgid;
	uint32_t cpu;
	uint64_t ts;
	unsigned int ctx;	/* KMS_EVF_HARDIRQ/SOFTIRQ/PREEMPT_OFF/BH_OFF */
	bool has_flags;
	const char *ev;
	size_t ev_len;
	char *fields;
};

struct field {
	const char *v;
	size_t len;
};

enum {
	F_CALL_SITE, F_MODULE, F_PTR, F_BYTES_REQ, F_BYTES_ALLOC, F_GFP, F_NAME, F_NR,
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

/* ---- numbers --------------------------------------------------------- */

static bool parse_dec(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 20)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_hex(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (!n || n > 16)
		return false;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!isxdigit(c))
			return false;
		v = v << 4 | (isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
	}
	*out = v;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* "SECONDS[.FRACTION]" (up to 9 fraction digits) to ns. */
static bool parse_ts(const char *s, size_t n, uint64_t *ns)
{
	const char *dot = memchr(s, '.', n);
	size_t sn = dot ? (size_t)(dot - s) : n, fn = dot ? n - sn - 1 : 0, i;
	uint64_t sec, frac = 0;

	if (sn > 10 || !parse_dec(s, sn, UINT64_MAX, &sec))
		return false;
	if (dot && (fn > 9 || !parse_dec(dot + 1, fn, UINT64_MAX, &frac)))
		return false;
	for (i = fn; i < 9; i++)
		frac *= 10;
	*ns = sec * 1000000000ULL + frac;
	return true;
}

/* ---- the line prefix ------------------------------------------------- */

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (p[n] && p[n] != ' ' && p[n] != '\t')
		n++;
	return n;
}

/*
 * The irq-info column: irqs-off/BH-disabled, need-resched,
 * hardirq/softirq, preempt-depth[, migrate-disable], e.g. "d.h1." or
 * "b..2.".  The kernel prints it from the event's own context, with the
 * tracepoint's preempt_disable already taken off the depth
 * (tracing_gen_ctx_dec), so any depth is the caller's.  'd'/'D' (IRQs
 * off, where sleeping is a bug as much as with preemption off) counts as
 * preempt-off: a recording has no bit of its own for it.
 */
static bool parse_flags(const char *p, size_t n, unsigned int *ctx)
{
	static const char hs[] = ".hHsSzZ";
	size_t i;

	if (n < 4 || n > 6 || !strchr(hs, p[2]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '.')
			return false;
	*ctx = 0;
	if (p[2] == 'h' || p[2] == 'H' || p[2] == 'z' || p[2] == 'Z')
		*ctx = KMS_EVF_HARDIRQ;
	else if (p[2] == 's' || p[2] == 'S')
		*ctx = KMS_EVF_SOFTIRQ;
	if (p[0] == 'd' || p[0] == 'D' || isxdigit((unsigned char)p[3]))
		*ctx |= KMS_EVF_PREEMPT_OFF;
	if (p[0] == 'b' || p[0] == 'D')
		*ctx |= KMS_EVF_BH_OFF;
	return true;
}

/* " EVENT: fields": the event name ends at a ':' followed by a blank or the end. */
static bool parse_event(const char *p, struct line *l)
{
	size_t n;

	p = skip_sp(p);
	for (n = 0; p[n] && p[n] != ' ' && p[n] != '\t'; n++)
		if (p[n] == ':' && (!p[n + 1] || p[n + 1] == ' ' || p[n + 1] == '\t'))
			break;
	if (!n || p[n] != ':')
		return false;
	l->ev = p;
	l->ev_len = n;
	l->fields = (char *)skip_sp(p + n + 1);
	return true;
}

/* After "[CPU]": [flags] TIMESTAMP: EVENT: fields */
static bool parse_after_cpu(const char *p, struct line *l)
{
	size_t n;

	p = skip_sp(p);
	n = token_len(p);
	l->has_flags = false;
	l->ctx = 0;
	if (!(n >= 2 && p[n - 1] == ':' && parse_ts(p, n - 1, &l->ts))) {
		if (!parse_flags(p, n, &l->ctx))
			return false;
		l->has_flags = true;
		p = skip_sp(p + n);
		n = token_len(p);
		if (!(n >= 2 && p[n - 1] == ':' && parse_ts(p, n - 1, &l->ts)))
			return false;
	}
	return parse_event(p + n, l);
}


/*
 * Before "[CPU]": "COMM-PID" (ftrace, optionally followed by "(TGID)") or
 * "COMM PID" / "COMM PID/TID" (perf).  COMM may hold blanks and dashes.
 */
static bool parse_task(const char *s, const char *end, struct line *l)
{
	const char *last, *dash;
	uint64_t v;

	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	l->tgid = 0;
	if (end > s && end[-1] == ')') {
		const char *open = end - 1, *a, *b;

		while (open > s && *open != '(')
			open--;
		if (*open != '(')
			return false;
		a = skip_sp(open + 1);
		b = end - 1;
		while (b > a && b[-1] == ' ')
			b--;
		if (parse_dec(a, b - a, UINT32_MAX, &v))
			l->tgid = v;
		end = open;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
	}
	if (end <= s)
		return false;
	for (last = end; last > s && last[-1] != ' ' && last[-1] != '\t'; last--)
		;
	{
		const char *slash = memchr(last, '/', end - last);

		if (all_digits(last, end - last) ||
		    (slash && all_digits(last, slash - last) &&
		     all_digits(slash + 1, end - slash - 1))) {
			/* perf: the last number is the thread */
			const char *t = slash ? slash + 1 : last;

			if (!parse_dec(t, end - t, UINT32_MAX, &v))
				return false;
			l->pid = v;
			if (slash && parse_dec(last, slash - last, UINT32_MAX, &v))
				l->tgid = v;
			l->fmt = KMS_IMPORT_PERF;
			end = last;
			while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			l->comm = s;
			l->comm_len = end - s;
			return l->comm_len > 0;
		}
	}
	for (dash = end - 1; dash >= last && *dash != '-'; dash--)
		;
	if (dash < last || !parse_dec(dash + 1, end - dash - 1, UINT32_MAX, &v))
		return false;
	l->pid = v;
	l->fmt = KMS_IMPORT_FTRACE;
	l->comm = s;
	l->comm_len = dash - s;
	return l->comm_len > 0;
}

/*
 * The latency format (options/latency-format): "COMM-PID CPUFLAGS
 * USECSus[DELAY]: EVENT: fields", e.g. "bash-23136     1..... 15349804696us+:
 * kmalloc: ...", COMM cut to 8 characters, the delay mark glued to the
 * time or a blank.
 */
static bool parse_latency(const char *s, struct line *l)
{
	const char *p = s, *t;
	uint64_t v;
	size_t n, d;

	for (; *(p = skip_sp(p)); p += n) {
		n = token_len(p);
		for (d = 0; d < n && isdigit((unsigned char)p[d]); d++)
			;
		if (p == s || !d || !parse_flags(p + d, n - d, &l->ctx) ||
		    !parse_dec(p, d, 0xffff, &v))
			continue;
		t = skip_sp(p + n);
		for (d = 0; isdigit((unsigned char)t[d]); d++)
			;
		if (!d || t[d] != 'u' || t[d + 1] != 's')
			continue;
		l->cpu = v;
		if (!parse_dec(t, d, UINT64_MAX / 1000, &l->ts))
			return false;
		l->ts *= 1000;
		t += d + 2;
		if (*t && *t != ':' && *t != ' ')
			t++;		/* the delay mark: + ! # * @ $ */
		t = skip_sp(t);
		if (*t != ':')
			continue;
		l->has_flags = true;
		/* Reuse the event part of the default format: "X: EVENT: ...". */
		return parse_event(t + 1, l) && parse_task(s, p, l);
	}
	return false;
}

static bool parse_prefix(const char *s, struct line *l)
{
	const char *q;

	for (q = strchr(s, '['); q; q = strchr(q + 1, '[')) {
		const char *d = q + 1;
		uint64_t cpu;
		size_t n = 0;

		if (q == s || (q[-1] != ' ' && q[-1] != '\t'))
			continue;
		while (isdigit((unsigned char)d[n]))
			n++;
		if (!n || d[n] != ']' || (d[n + 1] != ' ' && d[n + 1] != '\t'))
			continue;
		if (!parse_dec(d, n, 0xffff, &cpu))
			continue;
		l->cpu = cpu;
		if (parse_after_cpu(d + n + 1, l) && parse_task(s, q, l))
			return true;
	}
	return parse_latency(s, l);
}

/* ---- fields ---------------------------------------------------------- */

static bool key_is(const char *k, size_t n, const char *want)
{
	return strlen(want) == n && !memcmp(k, want, n);
}

/* key=value tokens; " [module]" after call_site= belongs to it. */
static bool parse_fields(const char *p, struct field *f)
{
	int prev = -1;

	memset(f, 0, F_NR * sizeof(*f));
	for (p = skip_sp(p); *p; p = skip_sp(p)) {
		size_t n = token_len(p);
		const char *eq = memchr(p, '=', n);
		int k = -1;

		if (!eq) {
			if (prev == F_CALL_SITE && n > 2 && p[0] == '[' && p[n - 1] == ']') {
				k = F_MODULE;
				if (f[k].v)
					return false;
				f[k].v = p + 1;
				f[k].len = n - 2;
			}
			prev = k;
			p += n;
			continue;
		}
		if (key_is(p, eq - p, "call_site"))
			k = F_CALL_SITE;
		else if (key_is(p, eq - p, "ptr"))
			k = F_PTR;
		else if (key_is(p, eq - p, "bytes_req"))
			k = F_BYTES_REQ;
		else if (key_is(p, eq - p, "bytes_alloc"))
			k = F_BYTES_ALLOC;
		else if (key_is(p, eq - p, "gfp_flags"))
			k = F_GFP;
		else if (key_is(p, eq - p, "name"))
			k = F_NAME;
		if (k >= 0) {
			if (f[k].v)
				return false;	/* twice: not the kernel's text */
			f[k].v = eq + 1;
			f[k].len = n - (eq + 1 - p);
		}
		prev = k;
		p += n;
	}
	return true;
}

static bool sym_char(int c)
{
	return isgraph(c) && c != '+' && c != '/' && c != '[' && c != ']' && c != '=';
}

/*
 * "func+0xoff/0xsize", "func+0xoff", "func" or a bare hex address.  Writes
 * the function key ("func" or "func\t[module]") to key; *off is the offset,
 * or the address itself when *key is empty.
 */
static bool parse_call_site(const struct field *cs, const struct field *mod, char *key,
			    size_t key_size, uint64_t *off)
{
	const char *v = cs->v, *plus, *slash;
	size_t n = cs->len, nl, i;
	uint64_t size;

	key[0] = 0;
	if (!n)
		return false;
	if (n > 2 && v[0] == '0' && v[1] == 'x' && !mod->v)
		return parse_hex(v, n, off);
	plus = memchr(v, '+', n);
	nl = plus ? (size_t)(plus - v) : n;
	*off = 0;
	if (plus) {
		const char *o = plus + 1;
		size_t on = n - nl - 1;

		slash = memchr(o, '/', on);
		if (slash) {
			if (!parse_hex(slash + 1, on - (slash + 1 - o), &size))
				return false;
			on = slash - o;
		}
		if (on < 3 || o[0] != '0' || o[1] != 'x' || !parse_hex(o, on, off))
			return false;
	}
	if (!nl || nl > MAX_SYM_LEN || *off >= KMS_IMPORT_FUNC_SPAN)
		return false;
	for (i = 0; i < nl; i++)
		if (!sym_char((unsigned char)v[i]))
			return false;
	if (mod->v) {
		if (!mod->len || mod->len > MAX_MOD_LEN)
			return false;
		for (i = 0; i < mod->len; i++)
			if (!sym_char((unsigned char)mod->v[i]))
				return false;
	}
	if (nl + (mod->v ? mod->len + 3 : 0) + 1 > key_size)
		return false;
	memcpy(key, v, nl);
	key[nl] = 0;
	if (mod->v) {
		strcat(key, "\t[");
		strncat(key, mod->v, mod->len);
		strcat(key, "]");
	}
	return true;
}

/* "(nil)", 0x-prefixed or bare hex (hashed or real). */
static bool parse_ptr(const struct field *f, uint64_t *ptr)
{
	if (f->len == 5 && !memcmp(f->v, "(nil)", 5)) {
		*ptr = 0;
		return true;
	}
	return parse_hex(f->v, f->len, ptr);
}

static bool parse_u32(const struct field *f, uint32_t *out)
{
	uint64_t v;

	if (!f->v || !parse_dec(f->v, f->len, UINT32_MAX, &v))
		return false;
	*out = v;
	return true;
}

/*
 * gfp_flags: "none", or names joined by '|'.  Names gfp_parse() does not
 * know (bits 24 and up vary by kernel) are dropped and counted.
 */
static bool parse_gfp(struct kms_import *im, const struct field *f, uint32_t *gfp)
{
	char buf[512], *tok, *bar;
	uint32_t v, all = 0;
	uint64_t unknown = 0;

	if (!f->v || !f->len || f->len >= sizeof(buf))
		return false;
	memcpy(buf, f->v, f->len);
	buf[f->len] = 0;
	if (!strcmp(buf, "none")) {
		*gfp = 0;
		return true;
	}
	if (!gfp_parse(buf, gfp, NULL))
		return true;
	for (tok = buf; tok; tok = bar) {
		bar = strchr(tok, '|');
		if (bar)
			*bar++ = 0;
		if (!gfp_parse(tok, &v, NULL))
			all |= v;
		else if (!strncmp(tok, "__GFP_", 6) || !strncmp(tok, "GFP_", 4))
			unknown++;
		else
			return false;	/* empty term, junk */
	}
	im->st.gfp_unknown += unknown;
	*gfp = all;
	return true;
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
static int announce_task(struct kms_import *im, const struct line *l)
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
static int cache_id(struct kms_import *im, const struct field *name, const struct line *l,
		    bool sized, uint32_t object_size, uint32_t size, uint64_t *id)
{
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
	if (sized && !im->cache[i].sized) {
		uint32_t len;

		/* The same record, the same size: rewritten in place. */
		ev.cpu = im->cache[i].cpu;
		ev.object_size = object_size;
		ev.size = size;
		memcpy(&len, im->buf + im->cache[i].info_off - sizeof(len), sizeof(len));
		if (kms_encode(&ev, im->buf + im->cache[i].info_off, len) < 0)
			return -EINVAL;
		im->cache[i].sized = true;
	}
	return 0;
}

static int event_type(const struct line *l)
{
	static const struct {
		const char *name;
		int type;
	} names[] = {
		{ "kmalloc", KMS_IMPORT_KMALLOC },
		{ "kmalloc_node", KMS_IMPORT_KMALLOC },
		{ "kfree", KMS_IMPORT_KFREE },
		{ "kmem_cache_alloc", KMS_IMPORT_CACHE_ALLOC },
		{ "kmem_cache_alloc_node", KMS_IMPORT_CACHE_ALLOC },
		{ "kmem_cache_free", KMS_IMPORT_CACHE_FREE },
	};
	const char *ev = l->ev;
	size_t n = l->ev_len, i;

	if (n > 5 && !memcmp(ev, "kmem:", 5)) {
		ev += 5;
		n -= 5;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (key_is(ev, n, names[i].name))
			return names[i].type;
	return -1;
}

static bool event_name_ok(const struct line *l)
{
	size_t i;

	for (i = 0; i < l->ev_len; i++)
		if (!isalnum((unsigned char)l->ev[i]) && l->ev[i] != '_' && l->ev[i] != ':' &&
		    l->ev[i] != '-' && l->ev[i] != '.')
			return false;
	return true;
}

static void note_time(struct kms_import *im, const struct line *l)
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

/* Returns 1 converted, 0 not parsable, or -ENOMEM. */
static int convert(struct kms_import *im, const struct line *l, int type, const struct field *f)
{
	char key[MAX_SYM_LEN + MAX_MOD_LEN + 8];
	uint32_t req = 0, alloc = 0, gfp = 0;
	uint64_t ptr, off = 0, site, cache = 0;
	bool is_alloc = type == KMS_IMPORT_KMALLOC || type == KMS_IMPORT_CACHE_ALLOC;
	struct kms_event ev = { 0 };
	bool added;
	int64_t fn = -1;
	int err;

	if (!f[F_CALL_SITE].v || !f[F_PTR].v || !parse_ptr(&f[F_PTR], &ptr))
		return 0;
	if (!parse_call_site(&f[F_CALL_SITE], &f[F_MODULE], key, sizeof(key), &off))
		return 0;
	if (f[F_NAME].v && (!f[F_NAME].len || f[F_NAME].len >= KMS_CACHE_NAME_LEN))
		return 0;
	if (is_alloc && (!parse_u32(&f[F_BYTES_REQ], &req) ||
			 !parse_u32(&f[F_BYTES_ALLOC], &alloc) || !parse_gfp(im, &f[F_GFP], &gfp)))
		return 0;
	if (key[0]) {
		fn = strtab_get(&im->funcs, key, strlen(key), KMS_IMPORT_MAX_FUNCS, &added);
		if (fn == -ENOMEM)
			return -ENOMEM;
		if (fn < 0)
			return 0;	/* too many functions */
		im->st.nr_funcs = im->funcs.n;
		site = KMS_IMPORT_FUNC_BASE + fn * KMS_IMPORT_FUNC_SPAN + off;
	} else {
		site = off;
	}

	note_time(im, l);
	im->st.events[type]++;
	im->st.by_format[l->fmt]++;
	if (!is_alloc && ptr <= ZERO_SIZE_PTR) {
		im->st.free_null++;
		return 1;
	}
	err = announce_task(im, l);
	if (err)
		return err;
	if (f[F_NAME].v && type != KMS_IMPORT_KMALLOC) {
		err = cache_id(im, &f[F_NAME], l, type == KMS_IMPORT_CACHE_ALLOC, req, alloc,
			       &cache);
		if (err == -ENOMEM)
			return err;
		if (err)
			cache = 0;
	}
	ev.cpu = l->cpu;
	ev.tid = l->pid;
	ev.ts = l->ts;
	ev.ptr = ptr;
	if (is_alloc) {
		ev.type = type == KMS_IMPORT_KMALLOC ? KMS_EV_KMALLOC : KMS_EV_CACHE_ALLOC;
		ev.flags = l->ctx | (ptr ? 0 : KMS_EVF_FAILED);
		ev.tgid = l->tgid ? l->tgid : l->pid;
		ev.gfp = gfp;
		ev.call_site = site;
		if (type == KMS_IMPORT_CACHE_ALLOC && cache) {
			ev.flags |= KMS_EVF_HAS_CACHE;
			ev.cache = cache;
		} else {
			ev.bytes_req = req;
			ev.bytes_alloc = alloc;
		}
	} else {
		ev.type = type == KMS_IMPORT_CACHE_FREE ? KMS_EV_CACHE_FREE : KMS_EV_KFREE;
		ev.cache = type == KMS_IMPORT_CACHE_FREE ? cache : 0;
	}
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
	struct field f[F_NR];
	struct line l = { 0 };
	const char *s;
	int type, r;

	im->st.lines++;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len > KMS_IMPORT_MAX_LINE || memchr(text, 0, len)) {
		im->st.bad++;
		return 0;
	}
	memcpy(im->line, text, len);
	im->line[len] = 0;
	s = skip_sp(im->line);
	if (!*s || *s == '#') {
		im->st.comments++;
		return 0;
	}
	if (!parse_prefix(s, &l)) {
		im->st.bad++;
		return 0;
	}
	type = event_type(&l);
	if (type < 0) {
		if (event_name_ok(&l))
			im->st.other_events++;
		else
			im->st.bad++;
		return 0;
	}
	if (!parse_fields(l.fields, f)) {
		im->st.bad++;
		return 0;
	}
	r = convert(im, &l, type, f);
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
