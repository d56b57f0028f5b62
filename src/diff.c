// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - see diff.h.  Parses reports with json-c (strict mode: these files
 * are written by kmscope, so anything looser is damage worth reporting),
 * keeps only what a diff compares, and renders the comparison as aligned
 * text or through json_writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "diff.h"
#include "json_writer.h"
#include "util.h"

/* Reports are a few MiB at most; a bigger file is not one. */
#define DIFF_MAX_FILE	(256u << 20)

static const struct {
	const char *name;	/* METRIC on the command line */
	const char *key;	/* key in the report */
	const char *column;	/* text column header */
	bool bytes;		/* printed in KiB/MiB */
} metrics[DIFF_NR_METRICS] = {
	[DIFF_ALLOCS]		= { "allocs", "allocs", "ALLOCS", false },
	[DIFF_BYTES]		= { "bytes", "bytes_alloc", "BYTES_ALLOC", true },
	[DIFF_WASTE]		= { "waste", "waste", "WASTE", true },
	[DIFF_LIVE]		= { "live", "live", "LIVE", false },
	[DIFF_LIVE_BYTES]	= { "live_bytes", "live_bytes", "LIVE_BYTES", true },
	[DIFF_FAILED]		= { "failed", "failed", "FAILED", false },
};

static const char *const cond_names[DIFF_NR_CONDS] = {
	[DIFF_NEW_LEAK]		= "new-leak",
	[DIFF_NEW_GFP_BUG]	= "new-gfp-bug",
	[DIFF_NEW_FAILURE]	= "new-failure",
	[DIFF_NEW_FINDING]	= "new-finding",
};

const char *diff_metric_name(enum diff_metric m)
{
	return m < DIFF_NR_METRICS ? metrics[m].name : "?";
}

const char *diff_metric_key(enum diff_metric m)
{
	return m < DIFF_NR_METRICS ? metrics[m].key : "?";
}

static int metric_parse_n(const char *s, size_t len, enum diff_metric *out)
{
	int m;

	for (m = 0; m < DIFF_NR_METRICS; m++) {
		if ((strlen(metrics[m].name) == len && !strncmp(s, metrics[m].name, len)) ||
		    (strlen(metrics[m].key) == len && !strncmp(s, metrics[m].key, len))) {
			*out = m;
			return 0;
		}
	}
	return -EINVAL;
}

int diff_metric_parse(const char *s, enum diff_metric *out)
{
	return metric_parse_n(s, strlen(s), out);
}

const char *diff_cond_name(enum diff_cond c)
{
	return c < DIFF_NR_CONDS ? cond_names[c] : "?";
}

/* Totals of wrapped "waste" rows (near 2^64, see docs/output.md) must not
 * wrap again into something small. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* ---- parsing ---------------------------------------------------------- */

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* 1-based line and column of byte off, as an editor shows them. */
static void position(const char *text, size_t off, size_t *line, size_t *col)
{
	size_t i, start = 0;

	*line = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = off - start + 1;
}

static bool all_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/*
 * A count: a non-negative integer (a double only when integral, in case
 * another tool rewrote the file).  Missing or null is 0: older and newer
 * reports may lack a key.
 */
static int get_count(json_object *obj, const char *key, uint64_t *out,
		     const char *where, char *err, size_t errlen)
{
	json_object *v;
	double d;

	*out = 0;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	switch (json_object_get_type(v)) {
	case json_type_int:
		if (json_object_get_int64(v) < 0)
			break;
		*out = json_object_get_uint64(v);
		return 0;
	case json_type_double:
		d = json_object_get_double(v);
		if (!isfinite(d) || d < 0 || d != floor(d) || d >= 18446744073709551616.0)
			break;
		*out = d;
		return 0;
	default:
		break;
	}
	return fail(err, errlen, "%s\"%s\" is %s, not a count", where, key,
		    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

/* An optional string: *out is a malloc'ed copy, or NULL when missing/null. */
static int get_string(json_object *obj, const char *key, char **out,
		      const char *where, char *err, size_t errlen)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return fail(err, errlen, "%s\"%s\" is not a string", where, key);
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : -ENOMEM;
}

static int site_cmp(const void *a, const void *b)
{
	return strcmp(((const struct diff_site *)a)->site,
		      ((const struct diff_site *)b)->site);
}

static int parse_sites(struct diff_report *r, json_object *arr, char *err, size_t errlen)
{
	size_t i, n = json_object_array_length(arr), out;
	char where[48];
	int m, e;

	r->sites = calloc(n ? n : 1, sizeof(*r->sites));
	if (!r->sites)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct diff_site *s = &r->sites[i];

		snprintf(where, sizeof(where), "sites[%zu]: ", i);
		if (!json_object_is_type(o, json_type_object))
			return fail(err, errlen, "sites[%zu] is not an object", i);
		e = get_string(o, "site", &s->site, where, err, errlen);
		if (e)
			return e;
		r->nr_sites = i + 1;	/* from here on s->site is freed with r */
		if (!s->site)
			return fail(err, errlen, "sites[%zu] has no \"site\"", i);
		for (m = 0; m < DIFF_NR_METRICS; m++) {
			e = get_count(o, metrics[m].key, &s->v[m], where, err, errlen);
			if (e)
				return e;
		}
	}
	/*
	 * Two addresses can print as the same symbol+offset (the same
	 * function in two modules' copies is told apart by " [module]", so
	 * this is rare); they are one site to a diff, so sum them.
	 */
	qsort(r->sites, r->nr_sites, sizeof(*r->sites), site_cmp);
	for (i = 0, out = 0; i < r->nr_sites; i++) {
		if (out && !strcmp(r->sites[out - 1].site, r->sites[i].site)) {
			for (m = 0; m < DIFF_NR_METRICS; m++)
				r->sites[out - 1].v[m] = sat_add(r->sites[out - 1].v[m],
								 r->sites[i].v[m]);
			free(r->sites[i].site);
			continue;
		}
		r->sites[out++] = r->sites[i];
	}
	r->nr_sites = out;
	return 0;
}

/* The report writes "" for a finding without a cache: the same as none. */
static void drop_empty(char **s)
{
	if (*s && !**s) {
		free(*s);
		*s = NULL;
	}
}

static int parse_findings(struct diff_report *r, json_object *arr, char *err, size_t errlen)
{
	size_t i, n = json_object_array_length(arr);
	char where[48];
	int e;

	r->findings = calloc(n ? n : 1, sizeof(*r->findings));
	if (!r->findings)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct diff_finding *f = &r->findings[i];

		snprintf(where, sizeof(where), "findings[%zu]: ", i);
		if (!json_object_is_type(o, json_type_object))
			return fail(err, errlen, "findings[%zu] is not an object", i);
		r->nr_findings = i + 1;
		e = get_string(o, "kind", &f->kind, where, err, errlen);
		if (!e && !f->kind)
			e = fail(err, errlen, "findings[%zu] has no \"kind\"", i);
		if (!e)
			e = get_string(o, "severity", &f->severity, where, err, errlen);
		if (!e)
			e = get_string(o, "site", &f->site, where, err, errlen);
		if (!e)
			e = get_string(o, "cache", &f->cache, where, err, errlen);
		if (!e)
			e = get_count(o, "count", &f->count, where, err, errlen);
		if (!e)
			e = get_count(o, "bytes", &f->bytes, where, err, errlen);
		if (e)
			return e;
		drop_empty(&f->severity);
		drop_empty(&f->site);
		drop_empty(&f->cache);
	}
	return 0;
}

/* An integer at obj.a.b, or false (missing, null or not a count). */
static bool peek_count(json_object *obj, const char *a, const char *b, uint64_t *out)
{
	json_object *v = obj;

	if (a && (!json_object_object_get_ex(v, a, &v) || !v))
		return false;
	if (!json_object_object_get_ex(v, b, &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0)
		return false;
	*out = json_object_get_uint64(v);
	return true;
}

/*
 * Whether the sites listed add up to less than the report's own totals:
 * `stat -j` writes only the top 25 sites unless -n 0.  Two identities of
 * docs/output.md, each checked only when its keys are there:
 *   sum(live) = "live"
 *   sum(allocs + failed) = kmalloc + kmem_cache_alloc
 *                          - large_kmalloc_collapsed - table_full
 */
static bool is_partial(const struct diff_report *r, json_object *root)
{
	uint64_t live = 0, done = 0, want, km, kca, coll = 0, full = 0;
	size_t i;

	for (i = 0; i < r->nr_sites; i++) {
		live = sat_add(live, r->sites[i].v[DIFF_LIVE]);
		done = sat_add(done, sat_add(r->sites[i].v[DIFF_ALLOCS],
					     r->sites[i].v[DIFF_FAILED]));
	}
	if (peek_count(root, NULL, "live", &want) && live < want)
		return true;
	if (peek_count(root, "events", "kmalloc", &km) &&
	    peek_count(root, "events", "kmem_cache_alloc", &kca)) {
		peek_count(root, "counters", "large_kmalloc_collapsed", &coll);
		peek_count(root, "lost", "table_full", &full);
		want = sat_add(km, kca);
		coll = sat_add(coll, full);
		want = want > coll ? want - coll : 0;
		if (done < want)
			return true;
	}
	return false;
}

static int parse_root(struct diff_report *r, json_object *root, char *err, size_t errlen)
{
	json_object *v;
	int e;

	if (!json_object_is_type(root, json_type_object))
		return fail(err, errlen,
			    "not a kmscope report: the JSON value is %s, not an object",
			    json_type_to_name(json_object_get_type(root)));
	if (!json_object_object_get_ex(root, "sites", &v))
		return fail(err, errlen, "not a kmscope report: no \"sites\" array");
	if (!json_object_is_type(v, json_type_array))
		return fail(err, errlen, "not a kmscope report: \"sites\" is not an array");
	e = get_string(root, "kernel", &r->kernel, "", err, errlen);
	if (!e)
		e = get_string(root, "method", &r->method, "", err, errlen);
	if (!e)
		e = get_string(root, "command", &r->command, "", err, errlen);
	if (!e)
		e = parse_sites(r, v, err, errlen);
	if (e)
		return e;
	if (json_object_object_get_ex(root, "findings", &v) && v) {
		if (!json_object_is_type(v, json_type_array))
			return fail(err, errlen, "\"findings\" is not an array");
		r->has_findings = true;
		e = parse_findings(r, v, err, errlen);
		if (e)
			return e;
	}
	r->partial = is_partial(r, root);
	return 0;
}

int diff_report__parse(struct diff_report *r, const char *text, size_t len,
		       char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	json_object *root;
	size_t end, line, col;
	char *buf;
	int e;

	memset(r, 0, sizeof(*r));
	if (errlen)
		err[0] = '\0';
	if (all_space(text, len))
		return fail(err, errlen, "empty: no JSON value");
	/*
	 * The tokener only ends a top-level number at a delimiter; a NUL
	 * after the text is one, and cannot be mistaken for file content
	 * because only [0, len) is checked for trailing data.
	 */
	buf = malloc(len + 1);
	tok = json_tokener_new();
	if (!buf || !tok) {
		free(buf);
		if (tok)
			json_tokener_free(tok);
		return -ENOMEM;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, buf, len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (end > len)
		end = len;
	if (!root) {
		position(buf, end, &line, &col);
		e = fail(err, errlen, "invalid JSON at line %zu, column %zu (byte %zu): %s",
			 line, col, end, json_tokener_error_desc(jerr));
		free(buf);
		return e;
	}
	if (!all_space(buf + end, len - end)) {
		/* A NUL inside the file ends the value early: name it. */
		while (end < len && (buf[end] == ' ' || buf[end] == '\t' ||
				     buf[end] == '\n' || buf[end] == '\r'))
			end++;
		position(buf, end, &line, &col);
		e = fail(err, errlen, "invalid JSON at line %zu, column %zu (byte %zu): %s",
			 line, col, end, buf[end] ? "unexpected data after the JSON value"
						  : "NUL byte in the file");
		json_object_put(root);
		free(buf);
		return e;
	}
	free(buf);
	e = parse_root(r, root, err, errlen);
	json_object_put(root);
	if (e)
		diff_report__free(r);
	return e;
}

int diff_report__load(struct diff_report *r, const char *path, char *err, size_t errlen)
{
	size_t cap = 65536, n = 0;
	char *buf = NULL, *nb;
	struct stat st;
	ssize_t got;
	int fd, e;

	memset(r, 0, sizeof(*r));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = -errno;
		snprintf(err, errlen, "cannot open: %s", strerror(-e));
		return e;
	}
	/* A directory opens fine and then fails to read with EISDIR; a FIFO
	 * would do: only refuse what cannot hold a report. */
	if (!fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(err, errlen, "cannot read: %s", strerror(EISDIR));
		return -EISDIR;
	}
	for (;;) {
		if (n == cap || !buf) {
			if (buf)
				cap *= 2;
			if (cap > DIFF_MAX_FILE) {
				free(buf);
				close(fd);
				snprintf(err, errlen, "larger than %u MiB: not a report",
					 DIFF_MAX_FILE >> 20);
				return -EFBIG;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				close(fd);
				snprintf(err, errlen, "%s", strerror(ENOMEM));
				return -ENOMEM;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			e = -errno;
			free(buf);
			close(fd);
			snprintf(err, errlen, "cannot read: %s", strerror(-e));
			return e;
		}
		if (!got)
			break;
		n += got;
	}
	close(fd);
	e = diff_report__parse(r, buf, n, err, errlen);
	if (e == -ENOMEM)
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	free(buf);
	return e;
}

void diff_report__free(struct diff_report *r)
{
	size_t i;

	for (i = 0; i < r->nr_sites; i++)
		free(r->sites[i].site);
	for (i = 0; i < r->nr_findings; i++) {
		free(r->findings[i].kind);
		free(r->findings[i].severity);
		free(r->findings[i].site);
		free(r->findings[i].cache);
	}
	free(r->sites);
	free(r->findings);
	free(r->kernel);
	free(r->method);
	free(r->command);
	memset(r, 0, sizeof(*r));
}

/* ---- comparing -------------------------------------------------------- */

double diff_pct(uint64_t base, uint64_t now)
{
	if (base == now)
		return 0;
	if (!base)
		return INFINITY;
	return ((double)now - (double)base) / (double)base * 100.0;
}

static uint64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* now - base, saturated to the range of a long long for printing. */
static long long sdiff(uint64_t base, uint64_t now)
{
	uint64_t d = absdiff(base, now);

	if (d > INT64_MAX)
		d = INT64_MAX;
	return now >= base ? (long long)d : -(long long)d;
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b;
}

/*
 * Ties of the sort metric are broken by the other metrics, bytes first: a
 * site whose only change is in live bytes or waste still has a place that
 * says how big its change is.
 */
static const enum diff_metric tiebreak[] = {
	DIFF_BYTES, DIFF_LIVE_BYTES, DIFF_WASTE, DIFF_ALLOCS, DIFF_LIVE, DIFF_FAILED,
};
#define NR_KEYS		(1 + ARRAY_SIZE(tiebreak))

static enum diff_metric sort_key(const void *arg, size_t i)
{
	return i ? tiebreak[i - 1] : *(const enum diff_metric *)arg;
}

/* Changed rows: biggest |change| of the sort metric first. */
static int changed_cmp(const void *pa, const void *pb, void *arg)
{
	const struct diff_row *a = pa, *b = pb;
	enum diff_metric k;
	size_t i;
	int c;

	for (i = 0; i < NR_KEYS; i++) {
		k = sort_key(arg, i);
		c = cmp_u64_desc(absdiff(a->base[k], a->now[k]), absdiff(b->base[k], b->now[k]));
		if (c)
			return c;
	}
	return strcmp(a->site, b->site);
}

/* Added and gone rows: the value they have (added: NEW, gone: BASE). */
static int value_cmp(const void *pa, const void *pb, void *arg)
{
	const struct diff_row *a = pa, *b = pb;
	const uint64_t *va = a->status == DIFF_GONE ? a->base : a->now;
	const uint64_t *vb = b->status == DIFF_GONE ? b->base : b->now;
	enum diff_metric k;
	size_t i;
	int c;

	for (i = 0; i < NR_KEYS; i++) {
		k = sort_key(arg, i);
		c = cmp_u64_desc(va[k], vb[k]);
		if (c)
			return c;
	}
	return strcmp(a->site, b->site);
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

/*
 * Findings are the same finding when kind and site agree.  A finding
 * without a site (one about a whole cache) is matched by its cache.
 */
static int finding_key_cmp(const struct diff_finding *a, const struct diff_finding *b)
{
	int c = strcmp(a->kind, b->kind);

	if (c)
		return c;
	if (!!a->site != !!b->site)
		return !!a->site - !!b->site;
	if (a->site)
		return strcmp(a->site, b->site);
	return strcmp_null(a->cache, b->cache);
}

static int finding_key_pcmp(const void *a, const void *b)
{
	return finding_key_cmp(*(const struct diff_finding *const *)a,
			       *(const struct diff_finding *const *)b);
}

static int severity_rank(const char *s)
{
	static const char *const order[] = { "bug", "warning", "info", "hint" };
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(order); i++)
		if (!strcmp(s, order[i]))
			return i;
	return ARRAY_SIZE(order);
}

/* Most severe first, then by kind, site and cache: stable output. */
static int finding_show_cmp(const void *pa, const void *pb)
{
	const struct diff_finding *a = *(const struct diff_finding *const *)pa;
	const struct diff_finding *b = *(const struct diff_finding *const *)pb;
	int c = severity_rank(a->severity) - severity_rank(b->severity);

	if (c)
		return c;
	c = finding_key_cmp(a, b);
	return c ? c : strcmp_null(a->cache, b->cache);
}

/*
 * The findings of `in` with no finding of the same key in `other`, into a
 * new array (*out; NULL and 0 when there are none).
 */
static int unmatched(const struct diff_report *in, const struct diff_report *other,
		     const struct diff_finding ***out, size_t *nr)
{
	const struct diff_finding **idx = NULL, **res;
	size_t i, n = 0;

	*out = NULL;
	*nr = 0;
	if (!in->nr_findings)
		return 0;
	res = calloc(in->nr_findings, sizeof(*res));
	if (other->nr_findings)
		idx = calloc(other->nr_findings, sizeof(*idx));
	if (!res || (other->nr_findings && !idx)) {
		free(res);
		free(idx);
		return -ENOMEM;
	}
	for (i = 0; i < other->nr_findings; i++)
		idx[i] = &other->findings[i];
	if (idx)
		qsort(idx, other->nr_findings, sizeof(*idx), finding_key_pcmp);
	for (i = 0; i < in->nr_findings; i++) {
		const struct diff_finding *f = &in->findings[i];

		if (!idx || !bsearch(&f, idx, other->nr_findings, sizeof(*idx),
				     finding_key_pcmp))
			res[n++] = f;
	}
	free(idx);
	if (!n) {
		free(res);
		return 0;
	}
	qsort(res, n, sizeof(*res), finding_show_cmp);
	*out = res;
	*nr = n;
	return 0;
}

int diff__compare(struct diff_result *d, const struct diff_report *base,
		  const struct diff_report *now, enum diff_metric sort)
{
	size_t i = 0, j = 0;
	struct diff_row *row;
	int m, c, e;

	memset(d, 0, sizeof(*d));
	d->base = base;
	d->now = now;
	/* Sized for the worst case, so the walk below never grows them. */
	d->changed = calloc(KMS_MIN(base->nr_sites, now->nr_sites) + 1, sizeof(*d->changed));
	d->gone = calloc(base->nr_sites + 1, sizeof(*d->gone));
	d->added = calloc(now->nr_sites + 1, sizeof(*d->added));
	if (!d->changed || !d->gone || !d->added) {
		diff__free(d);
		return -ENOMEM;
	}
	if (sort >= DIFF_NR_METRICS)
		sort = DIFF_BYTES;

	/* Both site arrays are sorted by name: one merge walk matches them. */
	while (i < base->nr_sites || j < now->nr_sites) {
		const struct diff_site *b = i < base->nr_sites ? &base->sites[i] : NULL;
		const struct diff_site *n = j < now->nr_sites ? &now->sites[j] : NULL;

		if (!b && !n)
			break;	/* cannot happen: the loop condition; says so to analysers */

		c = !b ? 1 : !n ? -1 : strcmp(b->site, n->site);
		if (c < 0) {
			row = &d->gone[d->nr_gone++];
			row->status = DIFF_GONE;
			row->site = b->site;
			memcpy(row->base, b->v, sizeof(row->base));
			i++;
		} else if (c > 0) {
			row = &d->added[d->nr_added++];
			row->status = DIFF_ADDED;
			row->site = n->site;
			memcpy(row->now, n->v, sizeof(row->now));
			j++;
		} else {
			if (!memcmp(b->v, n->v, sizeof(b->v))) {
				d->nr_same++;
			} else {
				row = &d->changed[d->nr_changed++];
				row->status = DIFF_CHANGED;
				row->site = n->site;
				memcpy(row->base, b->v, sizeof(row->base));
				memcpy(row->now, n->v, sizeof(row->now));
			}
			i++;
			j++;
		}
	}
	for (i = 0; base->sites && i < base->nr_sites; i++)
		for (m = 0; m < DIFF_NR_METRICS; m++)
			d->total_base[m] = sat_add(d->total_base[m], base->sites[i].v[m]);
	for (i = 0; now->sites && i < now->nr_sites; i++)
		for (m = 0; m < DIFF_NR_METRICS; m++)
			d->total_now[m] = sat_add(d->total_now[m], now->sites[i].v[m]);

	qsort_r(d->changed, d->nr_changed, sizeof(*d->changed), changed_cmp, &sort);
	qsort_r(d->added, d->nr_added, sizeof(*d->added), value_cmp, &sort);
	qsort_r(d->gone, d->nr_gone, sizeof(*d->gone), value_cmp, &sort);

	e = unmatched(now, base, &d->new_findings, &d->nr_new_findings);
	if (!e)
		e = unmatched(base, now, &d->resolved, &d->nr_resolved);
	if (e)
		diff__free(d);
	return e;
}

void diff__free(struct diff_result *d)
{
	free(d->changed);
	free(d->added);
	free(d->gone);
	free(d->new_findings);
	free(d->resolved);
	memset(d, 0, sizeof(*d));
}

/* ---- the gate --------------------------------------------------------- */

int diff_threshold__parse(const char *arg, struct diff_threshold *t)
{
	const char *eq = strchr(arg, '=');
	char *end;
	double v;

	if (!eq || metric_parse_n(arg, eq - arg, &t->metric))
		return -EINVAL;
	/* strtod would take leading blanks, a sign, "inf" and "nan". */
	if (!((eq[1] >= '0' && eq[1] <= '9') || eq[1] == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(eq + 1, &end);
	if (*end == '%')
		end++;
	if (errno || end == eq + 1 || *end || !isfinite(v) || v < 0)
		return -EINVAL;
	t->max_pct = v;
	return 0;
}

bool diff_threshold__crossed(const struct diff_result *d, const struct diff_threshold *t)
{
	if (t->metric >= DIFF_NR_METRICS)
		return false;
	return diff_pct(d->total_base[t->metric], d->total_now[t->metric]) > t->max_pct;
}

int diff_fail_on__parse(const char *list, unsigned int *mask, const char **bad,
			size_t *bad_len)
{
	const char *p = list;
	size_t len;
	int c;

	*mask = 0;
	for (;;) {
		len = strcspn(p, ",");
		for (c = 0; c < DIFF_NR_CONDS; c++)
			if (strlen(cond_names[c]) == len && !strncmp(p, cond_names[c], len))
				break;
		if (c == DIFF_NR_CONDS) {
			*bad = p;
			*bad_len = len;
			return -EINVAL;
		}
		*mask |= 1u << c;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static bool cond_holds_for(const struct diff_finding *f, enum diff_cond c)
{
	switch (c) {
	case DIFF_NEW_LEAK:
		/*
		 * Only a leak worth a warning: a few objects kernel noise
		 * leaves live at the end of any run (info), a pool (steady)
		 * and sites whose frees are not seen (hint) differ between
		 * two runs of the same build.
		 */
		return !strcmp(f->kind, "leak") && f->severity &&
		       (!strcmp(f->severity, "warning") || !strcmp(f->severity, "bug"));
	case DIFF_NEW_GFP_BUG:
		return !strncmp(f->kind, "gfp-", 4) && f->severity &&
		       !strcmp(f->severity, "bug");
	case DIFF_NEW_FAILURE:
		return !strcmp(f->kind, "failure");
	case DIFF_NEW_FINDING:
		return true;
	default:
		return false;
	}
}

size_t diff_cond__count(const struct diff_result *d, enum diff_cond c)
{
	size_t i, n = 0;

	for (i = 0; i < d->nr_new_findings; i++)
		n += cond_holds_for(d->new_findings[i], c);
	return n;
}

bool diff_gate__fails(const struct diff_result *d, const struct diff_gate *g)
{
	size_t i;
	int c;

	for (i = 0; i < g->nr_th; i++)
		if (diff_threshold__crossed(d, &g->th[i]))
			return true;
	for (c = 0; c < DIFF_NR_CONDS; c++)
		if ((g->fail_on & (1u << c)) && diff_cond__count(d, c))
			return true;
	return false;
}

/* ---- text ------------------------------------------------------------- */

#define CELL	40	/* a formatted number; names are not copied */
#define MAX_COLS 16

struct tbl_row {
	const char *s[MAX_COLS];	/* NULL prints as "-" */
	char buf[MAX_COLS][CELL];
};

/*
 * A table built row by row (row 0: the headers), printed once its column
 * widths are known.  Column 0 and the columns in `left` are left-aligned,
 * the others right-aligned.  A column in `pair` is printed one space from
 * the next one and its header spans both: a change and its percentage
 * under one metric name.
 */
struct tbl {
	size_t ncols, nrows, cap;
	struct tbl_row *rows;
	unsigned int pair;
	unsigned int left;	/* left-aligned columns besides column 0 */
	const char *more;	/* printed after the rows, may be NULL */
	int err;
};

static void tbl_init(struct tbl *t, size_t ncols, unsigned int pair)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->pair = pair;
}

static struct tbl_row *tbl_row(struct tbl *t)
{
	struct tbl_row *p;

	if (t->err)
		return NULL;
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		p = realloc(t->rows, t->cap * sizeof(*p));
		if (!p) {
			t->err = -ENOMEM;
			return NULL;
		}
		t->rows = p;
	}
	p = &t->rows[t->nrows++];
	memset(p, 0, sizeof(*p));
	return p;
}

/*
 * The row's own buffer for column c, which the cell then shows.  s[c]
 * holds a mark, not a pointer into the row: rows move when the table
 * grows (a pointer into the old array was a use after free, found by
 * fuzz_diff with more than 15 rows).
 */
static const char own_buf[1];

static char *cell_buf(struct tbl_row *r, size_t c)
{
	r->s[c] = own_buf;
	return r->buf[c];
}

static const char *cell(const struct tbl_row *r, size_t c)
{
	return r->s[c] == own_buf ? r->buf[c] : r->s[c] ? r->s[c] : "-";
}

/* Write text line by line without the blanks that padding left at ends. */
static void put_trimmed(FILE *f, const char *text, size_t len)
{
	const char *p = text, *nl, *end;

	while (p < text + len) {
		nl = memchr(p, '\n', text + len - p);
		end = nl ? nl : text + len;
		while (end > p && end[-1] == ' ')
			end--;
		fwrite(p, 1, end - p, f);
		fputc('\n', f);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static int tbl_print(FILE *f, struct tbl *t)
{
	size_t w[MAX_COLS] = { 0 }, r, c, len, blen = 0;
	char *buf = NULL;
	const char *s;
	FILE *m;

	m = t->err ? NULL : open_memstream(&buf, &blen);
	if (!m) {
		free(t->rows);
		return t->err ? t->err : -ENOMEM;
	}
	for (r = 1; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			w[c] = KMS_MAX(w[c], strlen(cell(&t->rows[r], c)));
	for (c = 0; c < t->ncols; c++) {
		len = strlen(cell(&t->rows[0], c));
		if (t->pair & (1u << c)) {
			if (len > w[c] + 1 + w[c + 1])
				w[c] = len - 1 - w[c + 1];
			c++;
		} else {
			w[c] = KMS_MAX(w[c], len);
		}
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			s = cell(&t->rows[r], c);
			if (c == 0 || (t->left & (1u << c)))
				fprintf(m, "%s%-*s", c ? "   " : "", (int)w[c], s);
			else if (r == 0 && (t->pair & (1u << c)))
				fprintf(m, "   %*s", (int)(w[c] + 1 + w[c + 1]), s), c++;
			else
				fprintf(m, "%s%*s", t->pair & (1u << (c - 1)) ? " " : "   ",
					(int)w[c], s);
		}
		fputc('\n', m);
	}
	if (t->more)
		fprintf(m, "%s\n", t->more);
	free(t->rows);
	t->rows = NULL;
	if (fclose(m)) {
		free(buf);
		return -ENOMEM;
	}
	put_trimmed(f, buf, blen);
	free(buf);
	return 0;
}

static void fmt_bytes(char *buf, size_t len, uint64_t v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double x = v / 1024.0;
	int u = 0;

	if (v < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)v);
		return;
	}
	while (x >= 1024 && u + 1 < (int)ARRAY_SIZE(units)) {
		x /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", x, units[u]);
}

static void fmt_value(char *buf, size_t len, enum diff_metric m, uint64_t v)
{
	if (metrics[m].bytes)
		fmt_bytes(buf, len, v);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* "+12.5 KiB", "-3", "0". */
static void fmt_change(char *buf, size_t len, enum diff_metric m, uint64_t base, uint64_t now)
{
	char v[CELL - 1];	/* room for the sign */

	if (base == now) {
		snprintf(buf, len, "0");
		return;
	}
	fmt_value(v, sizeof(v), m, absdiff(base, now));
	snprintf(buf, len, "%c%s", now > base ? '+' : '-', v);
}

/* "+100.0%", "-50.0%", "+inf%"; empty when nothing changed. */
static void fmt_pct(char *buf, size_t len, uint64_t base, uint64_t now)
{
	double p = diff_pct(base, now);

	if (base == now)
		buf[0] = '\0';
	else if (isinf(p))
		snprintf(buf, len, "+inf%%");
	else
		snprintf(buf, len, "%+.1f%%", p);
}

static void fmt_limit(char *buf, size_t len, double pct)
{
	snprintf(buf, len, "%g%%", pct);
}

static const char *more_line(char *buf, size_t len, size_t total, unsigned int top)
{
	if (!top || total <= top)
		return NULL;
	snprintf(buf, len, "... %zu more (-n 0 shows all)", total - top);
	return buf;
}

static size_t shown(size_t total, unsigned int top)
{
	return top && total > top ? top : total;
}

static void text_header(FILE *f, const char *label, const char *file,
			const struct diff_report *r)
{
	fprintf(f, "%s %s: kernel %s, %s, %s%s%s, %zu sites%s, ", label, file,
		r->kernel ? r->kernel : "?", r->method ? r->method : "?",
		r->command && r->command[0] ? "\"" : "",
		r->command && r->command[0] ? r->command : "system-wide",
		r->command && r->command[0] ? "\"" : "",
		r->nr_sites, r->partial ? " (partial: written with -n?)" : "");
	if (r->has_findings)
		fprintf(f, "%zu findings\n", r->nr_findings);
	else
		fprintf(f, "no findings list\n");
}

static int text_totals(FILE *f, const struct diff_result *d)
{
	struct tbl_row *row;
	struct tbl t;
	int m;

	tbl_init(&t, 5, 1u << 3);
	row = tbl_row(&t);
	if (row) {
		row->s[0] = "TOTAL";
		row->s[1] = "BASE";
		row->s[2] = "NEW";
		row->s[3] = "CHANGE";
		row->s[4] = "";
	}
	for (m = 0; m < DIFF_NR_METRICS; m++) {
		row = tbl_row(&t);
		if (!row)
			break;
		row->s[0] = metrics[m].key;
		fmt_value(cell_buf(row, 1), CELL, m, d->total_base[m]);
		fmt_value(cell_buf(row, 2), CELL, m, d->total_now[m]);
		fmt_change(cell_buf(row, 3), CELL, m, d->total_base[m], d->total_now[m]);
		fmt_pct(cell_buf(row, 4), CELL, d->total_base[m], d->total_now[m]);
	}
	return tbl_print(f, &t);
}

static int text_changed(FILE *f, const struct diff_result *d, unsigned int top)
{
	struct tbl_row *row;
	char more[64];
	struct tbl t;
	size_t i;
	int m;

	/* Columns 1, 3, 5, .. (a change) pair with 2, 4, 6, .. (its %). */
	tbl_init(&t, 1 + 2 * DIFF_NR_METRICS, 0);
	for (m = 0; m < DIFF_NR_METRICS; m++)
		t.pair |= 1u << (1 + 2 * m);
	row = tbl_row(&t);
	if (row) {
		row->s[0] = "CHANGED SITE";
		for (m = 0; m < DIFF_NR_METRICS; m++) {
			row->s[1 + 2 * m] = metrics[m].column;
			row->s[2 + 2 * m] = "";
		}
	}
	for (i = 0; i < shown(d->nr_changed, top); i++) {
		const struct diff_row *r = &d->changed[i];

		row = tbl_row(&t);
		if (!row)
			break;
		row->s[0] = r->site;
		for (m = 0; m < DIFF_NR_METRICS; m++) {
			fmt_change(cell_buf(row, 1 + 2 * m), CELL, m, r->base[m], r->now[m]);
			fmt_pct(cell_buf(row, 2 + 2 * m), CELL, r->base[m], r->now[m]);
		}
	}
	t.more = more_line(more, sizeof(more), d->nr_changed, top);
	return tbl_print(f, &t);
}

/* Added sites with their NEW numbers, gone ones with their BASE numbers. */
static int text_values(FILE *f, const char *title, const struct diff_row *rows,
		       size_t nr, unsigned int top)
{
	struct tbl_row *row;
	char more[64];
	struct tbl t;
	size_t i;
	int m;

	tbl_init(&t, 1 + DIFF_NR_METRICS, 0);
	row = tbl_row(&t);
	if (row) {
		row->s[0] = title;
		for (m = 0; m < DIFF_NR_METRICS; m++)
			row->s[1 + m] = metrics[m].column;
	}
	for (i = 0; i < shown(nr, top); i++) {
		const uint64_t *v = rows[i].status == DIFF_GONE ? rows[i].base : rows[i].now;

		row = tbl_row(&t);
		if (!row)
			break;
		row->s[0] = rows[i].site;
		for (m = 0; m < DIFF_NR_METRICS; m++)
			fmt_value(cell_buf(row, 1 + m), CELL, m, v[m]);
	}
	t.more = more_line(more, sizeof(more), nr, top);
	return tbl_print(f, &t);
}

static int text_findings(FILE *f, const char *title, const struct diff_finding *const *fs,
			 size_t nr, unsigned int top)
{
	struct tbl_row *row;
	char more[64];
	struct tbl t;
	size_t i;

	tbl_init(&t, 6, 0);
	t.left = 1u << 1 | 1u << 2 | 1u << 3;
	row = tbl_row(&t);
	if (row) {
		row->s[0] = title;
		row->s[1] = "SEVERITY";
		row->s[2] = "SITE";
		row->s[3] = "CACHE";
		row->s[4] = "COUNT";
		row->s[5] = "BYTES";
	}
	for (i = 0; i < shown(nr, top); i++) {
		row = tbl_row(&t);
		if (!row)
			break;
		row->s[0] = fs[i]->kind;
		row->s[1] = fs[i]->severity;
		row->s[2] = fs[i]->site;
		row->s[3] = fs[i]->cache;
		snprintf(cell_buf(row, 4), CELL, "%llu", (unsigned long long)fs[i]->count);
		fmt_bytes(cell_buf(row, 5), CELL, fs[i]->bytes);
	}
	t.more = more_line(more, sizeof(more), nr, top);
	return tbl_print(f, &t);
}

static void text_gate(FILE *f, const struct diff_result *d, const struct diff_gate *g)
{
	size_t i, n, crossed = 0, hold = 0;
	char pct[CELL], lim[CELL], b[CELL], a[CELL];
	int c;

	if (!g->nr_th && !g->fail_on)
		return;
	fprintf(f, "\n");
	for (i = 0; i < g->nr_th; i++) {
		const struct diff_threshold *t = &g->th[i];
		bool x = diff_threshold__crossed(d, t);

		fmt_pct(pct, sizeof(pct), d->total_base[t->metric], d->total_now[t->metric]);
		fmt_limit(lim, sizeof(lim), t->max_pct);
		fmt_value(b, sizeof(b), t->metric, d->total_base[t->metric]);
		fmt_value(a, sizeof(a), t->metric, d->total_now[t->metric]);
		fprintf(f, "--max-increase %s=%g: %s %s -> %s (%s), limit +%s: %s\n",
			metrics[t->metric].name, t->max_pct, metrics[t->metric].key, b, a,
			pct[0] ? pct : "no change", lim, x ? "CROSSED" : "ok");
		crossed += x;
	}
	for (c = 0; c < DIFF_NR_CONDS; c++) {
		if (!(g->fail_on & (1u << c)))
			continue;
		n = diff_cond__count(d, c);
		fprintf(f, "--fail-on %s: %zu matching new finding%s%s: %s\n", cond_names[c], n,
			n == 1 ? "" : "s",
			d->now->has_findings ? "" : " (NEW has no findings list)",
			n ? "HOLDS" : "ok");
		hold += !!n;
	}
	fprintf(f, "result: %s (", crossed || hold ? "FAIL" : "PASS");
	if (g->nr_th)
		fprintf(f, "%zu of %zu thresholds crossed%s", crossed, g->nr_th,
			g->fail_on ? ", " : "");
	if (g->fail_on)
		fprintf(f, "%zu of %d --fail-on conditions hold", hold,
			__builtin_popcount(g->fail_on));
	fprintf(f, ")\n");
}

static int render_text(FILE *f, const struct diff_result *d, const struct diff_gate *g,
		       const struct diff_render_opts *o)
{
	int e = 0;

	text_header(f, "base:", o->base_name ? o->base_name : "BASE", d->base);
	text_header(f, "new: ", o->new_name ? o->new_name : "NEW", d->now);
	fputc('\n', f);
	e = text_totals(f, d);
	fprintf(f, "\nsites: %zu in both (%zu changed, %zu unchanged), "
		"%zu only in NEW, %zu only in BASE\n", d->nr_changed + d->nr_same,
		d->nr_changed, d->nr_same, d->nr_added, d->nr_gone);
	if (!e && d->nr_changed) {
		fputc('\n', f);
		e = text_changed(f, d, o->top);
	}
	if (!e && d->nr_added) {
		fputc('\n', f);
		e = text_values(f, "NEW SITE", d->added, d->nr_added, o->top);
	}
	if (!e && d->nr_gone) {
		fputc('\n', f);
		e = text_values(f, "GONE SITE", d->gone, d->nr_gone, o->top);
	}
	if (e)
		return e;
	fputc('\n', f);
	if (!d->base->has_findings && !d->now->has_findings) {
		fprintf(f, "findings: neither report has a findings list\n");
	} else {
		fprintf(f, "findings: %zu new, %zu resolved%s\n", d->nr_new_findings,
			d->nr_resolved,
			!d->base->has_findings ?
				" (BASE has no findings list: all of NEW's are new)" :
			!d->now->has_findings ? " (NEW has no findings list)" : "");
		if (d->nr_new_findings) {
			fputc('\n', f);
			e = text_findings(f, "NEW FINDING", d->new_findings, d->nr_new_findings,
					  o->top);
		}
		if (!e && d->nr_resolved) {
			fputc('\n', f);
			e = text_findings(f, "RESOLVED FINDING", d->resolved, d->nr_resolved,
					  o->top);
		}
	}
	if (!e)
		text_gate(f, d, g);
	return e;
}

/* ---- JSON ------------------------------------------------------------- */

static void json_file(struct json_writer *w, const char *name, const char *file,
		      const struct diff_report *r)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_string_field(w, "file", file);
	jsonw_string_field(w, "kernel", r->kernel);
	jsonw_string_field(w, "method", r->method);
	jsonw_string_field(w, "command", r->command);
	jsonw_uint_field(w, "sites", r->nr_sites);
	if (r->has_findings)
		jsonw_uint_field(w, "findings", r->nr_findings);
	else
		jsonw_null_field(w, "findings");
	jsonw_bool_field(w, "partial", r->partial);
	jsonw_end_object(w);
}

/* {"base": B, "new": N, "change": N-B, "pct": P or null for infinite} */
static void json_change(struct json_writer *w, const char *name, uint64_t base, uint64_t now)
{
	jsonw_name(w, name);
	jsonw_start_object(w);
	jsonw_uint_field(w, "base", base);
	jsonw_uint_field(w, "new", now);
	jsonw_int_field(w, "change", sdiff(base, now));
	jsonw_float_field(w, "pct", diff_pct(base, now));
	jsonw_end_object(w);
}

static void json_rows(struct json_writer *w, const char *name, const struct diff_row *rows,
		      size_t nr, unsigned int top)
{
	size_t i;
	int m;

	jsonw_name(w, name);
	jsonw_start_array(w);
	for (i = 0; i < shown(nr, top); i++) {
		const struct diff_row *r = &rows[i];

		jsonw_start_object(w);
		jsonw_string_field(w, "site", r->site);
		for (m = 0; m < DIFF_NR_METRICS; m++) {
			if (r->status == DIFF_CHANGED)
				json_change(w, metrics[m].key, r->base[m], r->now[m]);
			else
				jsonw_uint_field(w, metrics[m].key,
						 r->status == DIFF_GONE ? r->base[m] : r->now[m]);
		}
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

static void json_findings(struct json_writer *w, const char *name,
			  const struct diff_finding *const *fs, size_t nr, unsigned int top)
{
	size_t i;

	jsonw_name(w, name);
	jsonw_start_array(w);
	for (i = 0; i < shown(nr, top); i++) {
		jsonw_start_object(w);
		jsonw_string_field(w, "kind", fs[i]->kind);
		jsonw_string_field(w, "severity", fs[i]->severity);
		jsonw_string_field(w, "site", fs[i]->site);
		jsonw_string_field(w, "cache", fs[i]->cache);
		jsonw_uint_field(w, "count", fs[i]->count);
		jsonw_uint_field(w, "bytes", fs[i]->bytes);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}

static void json_gate(struct json_writer *w, const struct diff_result *d,
		      const struct diff_gate *g)
{
	size_t i, n;
	int c;

	jsonw_name(w, "thresholds");
	jsonw_start_array(w);
	for (i = 0; i < g->nr_th; i++) {
		const struct diff_threshold *t = &g->th[i];

		jsonw_start_object(w);
		jsonw_string_field(w, "metric", metrics[t->metric].name);
		jsonw_float_field(w, "max_pct", t->max_pct);
		jsonw_uint_field(w, "base", d->total_base[t->metric]);
		jsonw_uint_field(w, "new", d->total_now[t->metric]);
		jsonw_float_field(w, "pct", diff_pct(d->total_base[t->metric],
						     d->total_now[t->metric]));
		jsonw_bool_field(w, "crossed", diff_threshold__crossed(d, t));
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_name(w, "fail_on");
	jsonw_start_array(w);
	for (c = 0; c < DIFF_NR_CONDS; c++) {
		if (!(g->fail_on & (1u << c)))
			continue;
		n = diff_cond__count(d, c);
		jsonw_start_object(w);
		jsonw_string_field(w, "condition", cond_names[c]);
		jsonw_uint_field(w, "count", n);
		jsonw_bool_field(w, "holds", n > 0);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_string_field(w, "result", diff_gate__fails(d, g) ? "fail" : "pass");
}

static int render_json(FILE *f, const struct diff_result *d, const struct diff_gate *g,
		       const struct diff_render_opts *o)
{
	struct json_writer *w = jsonw_new(f);
	int m, e;

	if (!w)
		return -ENOMEM;
	jsonw_pretty(w, o->pretty);
	jsonw_start_object(w);
	json_file(w, "base", o->base_name, d->base);
	json_file(w, "new", o->new_name, d->now);
	jsonw_name(w, "totals");
	jsonw_start_object(w);
	for (m = 0; m < DIFF_NR_METRICS; m++)
		json_change(w, metrics[m].key, d->total_base[m], d->total_now[m]);
	jsonw_end_object(w);
	jsonw_name(w, "counts");
	jsonw_start_object(w);
	jsonw_uint_field(w, "changed_sites", d->nr_changed);
	jsonw_uint_field(w, "unchanged_sites", d->nr_same);
	jsonw_uint_field(w, "added_sites", d->nr_added);
	jsonw_uint_field(w, "gone_sites", d->nr_gone);
	jsonw_uint_field(w, "new_findings", d->nr_new_findings);
	jsonw_uint_field(w, "resolved_findings", d->nr_resolved);
	jsonw_end_object(w);
	json_rows(w, "changed_sites", d->changed, d->nr_changed, o->top);
	json_rows(w, "added_sites", d->added, d->nr_added, o->top);
	json_rows(w, "gone_sites", d->gone, d->nr_gone, o->top);
	json_findings(w, "new_findings", d->new_findings, d->nr_new_findings, o->top);
	json_findings(w, "resolved_findings", d->resolved, d->nr_resolved, o->top);
	json_gate(w, d, g);
	jsonw_end_object(w);
	e = jsonw_close(&w);
	return e;
}

int diff__render(FILE *f, const struct diff_result *d, const struct diff_gate *g,
		 const struct diff_render_opts *o)
{
	int e = o->json ? render_json(f, d, g, o) : render_text(f, d, g, o);

	if (!e && (fflush(f) || ferror(f)))
		e = errno ? -errno : -EIO;
	return e;
}
