// SPDX-License-Identifier: GPL-2.0
/*
 * diff_load.c - the reading half of `kmscope diff` (diff.h): a report file
 * or buffer into a struct diff_report, and freeing it.  Parses with json-c
 * in strict mode: these files are written by kmscope, so anything looser
 * is damage worth reporting, with the line and column that show it.  Keeps
 * only what a diff compares (sites, caches, findings, and the sums of the
 * memory bill and the size classes); owns the error text of every load.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "diff.h"
#include "diff_internal.h"

/* Reports are a few MiB at most; a bigger file is not one. */
#define DIFF_MAX_FILE	(256u << 20)

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

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct diff_entry *)a)->name,
		      ((const struct diff_entry *)b)->name);
}

/*
 * Rows of one name are one row to a diff, so sum them: two addresses can
 * print as the same symbol+offset (the same function in two modules'
 * copies is told apart by " [module]", so this is rare).
 */
static size_t merge_same(struct diff_entry *e, size_t n)
{
	size_t i, out;
	int m;

	qsort(e, n, sizeof(*e), entry_cmp);
	for (i = 0, out = 0; i < n; i++) {
		if (out && !strcmp(e[out - 1].name, e[i].name)) {
			for (m = 0; m < DIFF_NR_ROW_METRICS; m++)
				e[out - 1].v[m] = diff_sat_add(e[out - 1].v[m], e[i].v[m]);
			/* Medians do not add up: the row with more objects freed speaks. */
			if (e[i].lt_freed > e[out - 1].lt_freed) {
				e[out - 1].lt_freed = e[i].lt_freed;
				e[out - 1].lt_p50 = e[i].lt_p50;
			}
			free(e[i].name);
			continue;
		}
		e[out++] = e[i];
	}
	return out;
}

/*
 * A row's "lifetime": its objects freed and their median's bucket bound
 * (null: the unbounded last bucket).  1 when there, 0 when not, -errno.
 */
static int get_lifetime(json_object *o, struct diff_entry *ent, const char *where, char *err,
			size_t errlen)
{
	json_object *lt, *v;
	int e;

	if (!json_object_object_get_ex(o, "lifetime", &lt) || !lt)
		return 0;
	if (!json_object_is_type(lt, json_type_object))
		return fail(err, errlen, "%s\"lifetime\" is not an object", where);
	e = get_count(lt, "freed", &ent->lt_freed, where, err, errlen);
	if (!e)
		e = get_count(lt, "p50_lt_us", &ent->lt_p50, where, err, errlen);
	if (e)
		return e;
	if (ent->lt_freed && json_object_object_get_ex(lt, "p50_lt_us", &v) && !v)
		ent->lt_p50 = DIFF_LT_UNBOUNDED;
	return 1;
}

/*
 * The array arr (named what in the report, "sites" or "caches") of
 * objects named by their key ("site" or "cache") into *out, sorted by
 * name.  *nr counts the entries whose name is set, for freeing on error.
 */
static int parse_entries(json_object *arr, const char *what, const char *key,
			 struct diff_entry **out, size_t *nr, bool *has_lt, char *err,
			 size_t errlen)
{
	size_t i, n = json_object_array_length(arr);
	char where[48];
	int m, e;

	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct diff_entry *ent = &(*out)[i];

		snprintf(where, sizeof(where), "%s[%zu]: ", what, i);
		if (!json_object_is_type(o, json_type_object))
			return fail(err, errlen, "%s[%zu] is not an object", what, i);
		e = get_string(o, key, &ent->name, where, err, errlen);
		if (e)
			return e;
		*nr = i + 1;	/* from here on ent->name is freed with the report */
		if (!ent->name)
			return fail(err, errlen, "%s[%zu] has no \"%s\"", what, i, key);
		for (m = 0; m < DIFF_NR_ROW_METRICS; m++) {
			e = get_count(o, diff_metrics[m].key, &ent->v[m], where, err, errlen);
			if (e)
				return e;
		}
		e = get_lifetime(o, ent, where, err, errlen);
		if (e < 0)
			return e;
		*has_lt |= e > 0;
	}
	*nr = merge_same(*out, *nr);
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

/*
 * The memory bill: slab_bytes and free_slots (free_bytes + tail_bytes)
 * summed over the caches that have the kernel's half of the bill.  A
 * cache without it ("kernel": null: no counters in the /sys/kernel/slab
 * snapshot, or no snapshot) is skipped; when every cache is, the sums are
 * 0 for want of numbers, which memory_uncounted tells.
 */
static int parse_memory(struct diff_report *r, json_object *arr, char *err, size_t errlen)
{
	uint64_t slab, free_b, tail;
	size_t i, n = json_object_array_length(arr), counted = 0;
	json_object *o, *k;
	char where[48];
	int e;

	for (i = 0; i < n; i++) {
		o = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(o, json_type_object))
			return fail(err, errlen, "memory[%zu] is not an object", i);
		if (!json_object_object_get_ex(o, "kernel", &k) || !k)
			continue;
		if (!json_object_is_type(k, json_type_object))
			return fail(err, errlen, "memory[%zu]: \"kernel\" is not an object", i);
		snprintf(where, sizeof(where), "memory[%zu].kernel: ", i);
		e = get_count(k, "slab_bytes", &slab, where, err, errlen);
		if (!e)
			e = get_count(k, "free_bytes", &free_b, where, err, errlen);
		if (!e)
			e = get_count(k, "tail_bytes", &tail, where, err, errlen);
		if (e)
			return e;
		r->slab_bytes = diff_sat_add(r->slab_bytes, slab);
		r->free_slots = diff_sat_add(r->free_slots, diff_sat_add(free_b, tail));
		counted++;
	}
	r->has_memory = true;
	r->memory_uncounted = n && !counted;
	return 0;
}

/* A size class's counts as a row: its rounding is its waste. */
static int parse_class(json_object *o, struct diff_entry *ent, const char *where, char *err,
		       size_t errlen)
{
	static const struct { enum diff_metric m; const char *key; } keys[] = {
		{ DIFF_ALLOCS, "allocs" }, { DIFF_BYTES, "bytes_alloc" },
		{ DIFF_WASTE, "rounding" }, { DIFF_LIVE, "live" },
		{ DIFF_LIVE_BYTES, "live_bytes" },
	};
	json_object *large;
	uint64_t size;
	char name[48];
	size_t k;
	int e;

	e = get_count(o, "size", &size, where, err, errlen);
	for (k = 0; !e && k < sizeof(keys) / sizeof(keys[0]); k++)
		e = get_count(o, keys[k].key, &ent->v[keys[k].m], where, err, errlen);
	if (e)
		return e;
	large = json_object_object_get_ex(o, "large", &large) ? large : NULL;
	snprintf(name, sizeof(name), "%s-%" PRIu64,
		 large && json_object_get_boolean(large) ? "large" : "kmalloc", size);
	ent->name = strdup(name);
	return ent->name ? 0 : -ENOMEM;
}

/*
 * The size classes: rows named "kmalloc-SIZE" (or "large-SIZE" above the
 * largest cache), and their "rounding" (bytes_alloc - bytes_req) summed.
 */
static int parse_size_classes(struct diff_report *r, json_object *arr, char *err,
			      size_t errlen)
{
	size_t i, n = json_object_array_length(arr);
	json_object *o;
	char where[48];
	int e;

	r->classes = calloc(n ? n : 1, sizeof(*r->classes));
	if (!r->classes)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		o = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(o, json_type_object))
			return fail(err, errlen, "size_classes[%zu] is not an object", i);
		snprintf(where, sizeof(where), "size_classes[%zu]: ", i);
		e = parse_class(o, &r->classes[i], where, err, errlen);
		if (e)
			return e;
		r->nr_classes = i + 1;
		r->rounding = diff_sat_add(r->rounding, r->classes[i].v[DIFF_WASTE]);
	}
	r->nr_classes = merge_same(r->classes, r->nr_classes);
	r->has_size_classes = true;
	return 0;
}

/*
 * The array root[key] into *arr, or NULL when the report has none (a
 * null counts as none); -EINVAL when it is something else.
 */
static int get_array(json_object *root, const char *key, json_object **arr, char *err,
		     size_t errlen)
{
	*arr = NULL;
	if (!json_object_object_get_ex(root, key, arr) || !*arr)
		return 0;
	if (!json_object_is_type(*arr, json_type_array)) {
		*arr = NULL;
		return fail(err, errlen, "\"%s\" is not an array", key);
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
		live = diff_sat_add(live, r->sites[i].v[DIFF_LIVE]);
		done = diff_sat_add(done, diff_sat_add(r->sites[i].v[DIFF_ALLOCS],
					     r->sites[i].v[DIFF_FAILED]));
	}
	if (peek_count(root, NULL, "live", &want) && live < want)
		return true;
	if (peek_count(root, "events", "kmalloc", &km) &&
	    peek_count(root, "events", "kmem_cache_alloc", &kca)) {
		peek_count(root, "counters", "large_kmalloc_collapsed", &coll);
		peek_count(root, "lost", "table_full", &full);
		want = diff_sat_add(km, kca);
		coll = diff_sat_add(coll, full);
		want = want > coll ? want - coll : 0;
		if (done < want)
			return true;
	}
	return false;
}

/* What a report may lack: caches, findings, memory bill, size classes. */
static int parse_optional(struct diff_report *r, json_object *root, char *err,
			  size_t errlen)
{
	bool cache_lt = false;	/* the caches' lifetimes are not compared */
	json_object *v;
	int e;

	e = get_array(root, "caches", &v, err, errlen);
	if (!e && v)
		e = parse_entries(v, "caches", "cache", &r->caches, &r->nr_caches, &cache_lt, err,
				  errlen);
	if (!e)
		e = get_array(root, "findings", &v, err, errlen);
	if (!e && v) {
		r->has_findings = true;
		e = parse_findings(r, v, err, errlen);
	}
	if (!e)
		e = get_array(root, "memory", &v, err, errlen);
	if (!e && v)
		e = parse_memory(r, v, err, errlen);
	if (!e)
		e = get_array(root, "size_classes", &v, err, errlen);
	if (!e && v)
		e = parse_size_classes(r, v, err, errlen);
	return e;
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
		e = parse_entries(v, "sites", "site", &r->sites, &r->nr_sites, &r->has_lifetimes,
				  err, errlen);
	if (!e)
		e = parse_optional(r, root, err, errlen);
	if (e)
		return e;
	r->partial = is_partial(r, root);
	return 0;
}

/*
 * buf[0..len) as one JSON value with nothing but blanks after it, into
 * *out; -EINVAL with err saying where it breaks, or -ENOMEM.  buf[len]
 * must be a NUL: the tokener only ends a top-level number at a
 * delimiter, and a NUL after the text is one that cannot be mistaken for
 * file content, because only [0, len) is checked for trailing data.
 */
static int parse_json(const char *buf, size_t len, json_object **out, char *err,
		      size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;
	json_object *root;
	size_t end, line, col;

	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, buf, len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (end > len)
		end = len;
	if (!root) {
		position(buf, end, &line, &col);
		return fail(err, errlen, "invalid JSON at line %zu, column %zu (byte %zu): %s",
			    line, col, end, json_tokener_error_desc(jerr));
	}
	if (!all_space(buf + end, len - end)) {
		/* A NUL inside the file ends the value early: name it. */
		while (end < len && (buf[end] == ' ' || buf[end] == '\t' ||
				     buf[end] == '\n' || buf[end] == '\r'))
			end++;
		position(buf, end, &line, &col);
		json_object_put(root);
		return fail(err, errlen, "invalid JSON at line %zu, column %zu (byte %zu): %s",
			    line, col, end, buf[end] ? "unexpected data after the JSON value"
						     : "NUL byte in the file");
	}
	*out = root;
	return 0;
}

int diff_report__parse(struct diff_report *r, const char *text, size_t len,
		       char *err, size_t errlen)
{
	json_object *root = NULL;
	char *buf;
	int e;

	memset(r, 0, sizeof(*r));
	if (errlen)
		err[0] = '\0';
	if (all_space(text, len))
		return fail(err, errlen, "empty: no JSON value");
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\0';
	e = parse_json(buf, len, &root, err, errlen);
	free(buf);
	if (e)
		return e;
	e = parse_root(r, root, err, errlen);
	json_object_put(root);
	if (e)
		diff_report__free(r);
	return e;
}

/*
 * All of fd, malloc'ed, *len bytes; NULL with *e (-errno) and err set.
 * With read(2) rather than stdio, so an EINTR is retried and a failed
 * read's own errno reaches the message; the cap stops an endless file (a
 * FIFO, /dev/zero) before it takes all memory.
 */
static char *read_all(int fd, size_t *len, int *e, char *err, size_t errlen)
{
	size_t cap = 65536, n = 0;
	char *buf = NULL, *nb;
	ssize_t got;

	for (;;) {
		if (n == cap || !buf) {
			if (buf)
				cap *= 2;
			if (cap > DIFF_MAX_FILE) {
				free(buf);
				snprintf(err, errlen, "larger than %u MiB: not a report",
					 DIFF_MAX_FILE >> 20);
				*e = -EFBIG;
				return NULL;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				snprintf(err, errlen, "%s", strerror(ENOMEM));
				*e = -ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			*e = -errno;
			free(buf);
			snprintf(err, errlen, "cannot read: %s", strerror(-*e));
			return NULL;
		}
		if (!got)
			break;
		n += got;
	}
	*len = n;
	return buf;
}

int diff_report__load(struct diff_report *r, const char *path, char *err, size_t errlen)
{
	struct stat st;
	size_t n = 0;
	char *buf;
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
	buf = read_all(fd, &n, &e, err, errlen);
	close(fd);
	if (!buf)
		return e;
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
		free(r->sites[i].name);
	for (i = 0; i < r->nr_caches; i++)
		free(r->caches[i].name);
	for (i = 0; i < r->nr_classes; i++)
		free(r->classes[i].name);
	free(r->classes);
	for (i = 0; i < r->nr_findings; i++) {
		free(r->findings[i].kind);
		free(r->findings[i].severity);
		free(r->findings[i].site);
		free(r->findings[i].cache);
	}
	free(r->sites);
	free(r->caches);
	free(r->findings);
	free(r->kernel);
	free(r->method);
	free(r->command);
	memset(r, 0, sizeof(*r));
}
