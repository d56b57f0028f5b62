// SPDX-License-Identifier: GPL-2.0
/*
 * diff_write.c - the output of `kmscope diff` (diff__render() in diff.h):
 * a comparison (totals, sites, caches, findings) and the gate's outcome as
 * aligned text, for people, or as JSON through json_writer, for CI.  Owns
 * the small text-table engine the text uses (widths known only once every
 * row is in), the number formats of both renderings, and the names of
 * each kind of row in them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_internal.h"
#include "json_writer.h"
#include "lifetime.h"
#include "util.h"

/* ---- the text table --------------------------------------------------- */

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

/* ---- numbers ---------------------------------------------------------- */

/*
 * Not kms_human_bytes(): this one changes unit only from 1024.0 on and
 * goes up to EiB, so 1 MiB - 1 reads "1024.0 KiB" and a saturated total of
 * wrapped waste rows "16.0 EiB"; diff's output has always looked so.
 */
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
	char us[16];

	if (m == DIFF_LIFETIME && !v) {	/* no site to compare */
		snprintf(buf, len, "-");
	} else if (m == DIFF_LIFETIME) {	/* a bucket's bound */
		lifetime__fmt_us(v, us, sizeof(us));
		snprintf(buf, len, "%s%s", v >= DIFF_LT_UNBOUNDED ? ">=" : "<", us);
	} else if (diff_metrics[m].bytes)
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
	if (m == DIFF_LIFETIME) {	/* bucket bounds: a factor, not a difference */
		snprintf(buf, len, "x%.3g", base ? (double)now / (double)base : INFINITY);
		return;
	}
	fmt_value(v, sizeof(v), m, diff_absdiff(base, now));
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

/* ---- rows ------------------------------------------------------------- */

/* How one kind of row, sites or caches, is named in the text and the JSON. */
struct row_kind {
	const char *plural;		/* the text's count line */
	const char *title[DIFF_GONE + 1];	/* text tables, by enum diff_status */
	const char *key;		/* JSON: the key of a row's name */
	const char *list[DIFF_GONE + 1];	/* JSON: the arrays, by enum diff_status */
	const char *unchanged;		/* JSON: the count of unchanged rows */
};

static const struct row_kind site_kind = {
	.plural = "sites",
	.title = { [DIFF_CHANGED] = "CHANGED SITE", [DIFF_ADDED] = "NEW SITE",
		   [DIFF_GONE] = "GONE SITE" },
	.key = "site",
	.list = { [DIFF_CHANGED] = "changed_sites", [DIFF_ADDED] = "added_sites",
		  [DIFF_GONE] = "gone_sites" },
	.unchanged = "unchanged_sites",
};

static const struct row_kind cache_kind = {
	.plural = "caches",
	.title = { [DIFF_CHANGED] = "CHANGED CACHE", [DIFF_ADDED] = "NEW CACHE",
		   [DIFF_GONE] = "GONE CACHE" },
	.key = "cache",
	.list = { [DIFF_CHANGED] = "changed_caches", [DIFF_ADDED] = "added_caches",
		  [DIFF_GONE] = "gone_caches" },
	.unchanged = "unchanged_caches",
};

static const struct row_kind class_kind = {
	.plural = "size classes",
	.title = { [DIFF_CHANGED] = "CHANGED SIZE CLASS", [DIFF_ADDED] = "NEW SIZE CLASS",
		   [DIFF_GONE] = "GONE SIZE CLASS" },
	.key = "class",
	.list = { [DIFF_CHANGED] = "changed_classes", [DIFF_ADDED] = "added_classes",
		  [DIFF_GONE] = "gone_classes" },
	.unchanged = "unchanged_classes",
};

static const struct diff_row *rows_of(const struct diff_rows *r, enum diff_status s,
				      size_t *nr)
{
	switch (s) {
	case DIFF_CHANGED:
		*nr = r->nr_changed;
		return r->changed;
	case DIFF_ADDED:
		*nr = r->nr_added;
		return r->added;
	default:
		*nr = r->nr_gone;
		return r->gone;
	}
}

/* ---- text ------------------------------------------------------------- */

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
	int m, e;

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
		/* A report-level metric only one report has compares nothing. */
		if (!diff_result__has(d, m))
			continue;
		row = tbl_row(&t);
		if (!row)
			break;
		row->s[0] = m == DIFF_LIFETIME ? "lifetime_p50" : diff_metrics[m].key;
		fmt_value(cell_buf(row, 1), CELL, m, d->total_base[m]);
		fmt_value(cell_buf(row, 2), CELL, m, d->total_now[m]);
		fmt_change(cell_buf(row, 3), CELL, m, d->total_base[m], d->total_now[m]);
		fmt_pct(cell_buf(row, 4), CELL, d->total_base[m], d->total_now[m]);
	}
	e = tbl_print(f, &t);
	if (!e && diff_result__has(d, DIFF_LIFETIME))
		fprintf(f, "lifetime_p50: the median lifetime at %s, the site whose median grew most "
			"(of those with %d objects freed in each)\n",
			d->lt_site ? d->lt_site : "no site", DIFF_LT_MIN_FREED);
	return e;
}

/* Changed rows: each metric's change and its percentage. */
static int text_changed(FILE *f, const char *title, const struct diff_row *rows,
			size_t nr, unsigned int top)
{
	struct tbl_row *row;
	char more[64];
	struct tbl t;
	size_t i;
	int m;

	/* Columns 1, 3, 5, .. (a change) pair with 2, 4, 6, .. (its %). */
	tbl_init(&t, 1 + 2 * DIFF_NR_ROW_METRICS, 0);
	for (m = 0; m < DIFF_NR_ROW_METRICS; m++)
		t.pair |= 1u << (1 + 2 * m);
	row = tbl_row(&t);
	if (row) {
		row->s[0] = title;
		for (m = 0; m < DIFF_NR_ROW_METRICS; m++) {
			row->s[1 + 2 * m] = diff_metrics[m].column;
			row->s[2 + 2 * m] = "";
		}
	}
	for (i = 0; i < shown(nr, top); i++) {
		const struct diff_row *r = &rows[i];

		row = tbl_row(&t);
		if (!row)
			break;
		row->s[0] = r->name;
		for (m = 0; m < DIFF_NR_ROW_METRICS; m++) {
			fmt_change(cell_buf(row, 1 + 2 * m), CELL, m, r->base[m], r->now[m]);
			fmt_pct(cell_buf(row, 2 + 2 * m), CELL, r->base[m], r->now[m]);
		}
	}
	t.more = more_line(more, sizeof(more), nr, top);
	return tbl_print(f, &t);
}

/* Added rows with their NEW numbers, gone ones with their BASE numbers. */
static int text_values(FILE *f, const char *title, const struct diff_row *rows,
		       size_t nr, unsigned int top)
{
	struct tbl_row *row;
	char more[64];
	struct tbl t;
	size_t i;
	int m;

	tbl_init(&t, 1 + DIFF_NR_ROW_METRICS, 0);
	row = tbl_row(&t);
	if (row) {
		row->s[0] = title;
		for (m = 0; m < DIFF_NR_ROW_METRICS; m++)
			row->s[1 + m] = diff_metrics[m].column;
	}
	for (i = 0; i < shown(nr, top); i++) {
		const uint64_t *v = rows[i].status == DIFF_GONE ? rows[i].base : rows[i].now;

		row = tbl_row(&t);
		if (!row)
			break;
		row->s[0] = rows[i].name;
		for (m = 0; m < DIFF_NR_ROW_METRICS; m++)
			fmt_value(cell_buf(row, 1 + m), CELL, m, v[m]);
	}
	t.more = more_line(more, sizeof(more), nr, top);
	return tbl_print(f, &t);
}

/* The count line and the tables of one kind of row. */
static int text_rows(FILE *f, const struct row_kind *k, const struct diff_rows *r,
		     unsigned int top)
{
	const struct diff_row *rows;
	enum diff_status s;
	size_t nr;
	int e = 0;

	fprintf(f, "\n%s: %zu in both (%zu changed, %zu unchanged), "
		"%zu only in NEW, %zu only in BASE\n", k->plural, r->nr_changed + r->nr_same,
		r->nr_changed, r->nr_same, r->nr_added, r->nr_gone);
	for (s = DIFF_CHANGED; !e && s <= DIFF_GONE; s++) {
		rows = rows_of(r, s, &nr);
		if (!nr)
			continue;
		fputc('\n', f);
		if (s == DIFF_CHANGED)
			e = text_changed(f, k->title[s], rows, nr, top);
		else
			e = text_values(f, k->title[s], rows, nr, top);
	}
	return e;
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
		fprintf(f, "--max-increase %s=%g: %s %s -> %s (%s)%s%s, limit +%s: %s\n",
			diff_metrics[t->metric].name, t->max_pct, diff_metrics[t->metric].key,
			b, a, pct[0] ? pct : "no change",
			t->metric == DIFF_LIFETIME && d->lt_site ? " at " : "",
			t->metric == DIFF_LIFETIME && d->lt_site ? d->lt_site : "", lim,
			x ? "CROSSED" : "ok");
		crossed += x;
	}
	for (c = 0; c < DIFF_NR_CONDS; c++) {
		if (!(g->fail_on & (1u << c)))
			continue;
		n = diff_cond__count(d, c);
		fprintf(f, "--fail-on %s: %zu matching new finding%s%s: %s\n",
			diff_cond_name(c), n, n == 1 ? "" : "s",
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
	if (!e)
		e = text_rows(f, &site_kind, &d->sites, o->top);
	if (!e)
		e = text_rows(f, &cache_kind, &d->caches, o->top);
	if (!e && (d->base->has_size_classes || d->now->has_size_classes))
		e = text_rows(f, &class_kind, &d->classes, o->top);
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
	jsonw_uint_field(w, "caches", r->nr_caches);
	jsonw_bool_field(w, "memory_bill", r->has_memory);
	jsonw_bool_field(w, "size_classes", r->has_size_classes);
	if (r->has_findings)
		jsonw_uint_field(w, "findings", r->nr_findings);
	else
		jsonw_null_field(w, "findings");
	jsonw_bool_field(w, "partial", r->partial);
	jsonw_end_object(w);
}

/* now - base, saturated to the range of a long long for printing. */
static long long sdiff(uint64_t base, uint64_t now)
{
	uint64_t d = diff_absdiff(base, now);

	if (d > INT64_MAX)
		d = INT64_MAX;
	return now >= base ? (long long)d : -(long long)d;
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

/* Rows under name, each naming its site or cache under key. */
static void json_rows(struct json_writer *w, const char *name, const char *key,
		      const struct diff_row *rows, size_t nr, unsigned int top)
{
	size_t i;
	int m;

	jsonw_name(w, name);
	jsonw_start_array(w);
	for (i = 0; i < shown(nr, top); i++) {
		const struct diff_row *r = &rows[i];

		jsonw_start_object(w);
		jsonw_string_field(w, key, r->name);
		for (m = 0; m < DIFF_NR_ROW_METRICS; m++) {
			if (r->status == DIFF_CHANGED)
				json_change(w, diff_metrics[m].key, r->base[m], r->now[m]);
			else
				jsonw_uint_field(w, diff_metrics[m].key, r->status == DIFF_GONE ?
						 r->base[m] : r->now[m]);
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
		jsonw_string_field(w, "metric", diff_metrics[t->metric].name);
		jsonw_float_field(w, "max_pct", t->max_pct);
		jsonw_uint_field(w, "base", d->total_base[t->metric]);
		jsonw_uint_field(w, "new", d->total_now[t->metric]);
		jsonw_float_field(w, "pct", diff_pct(d->total_base[t->metric],
						     d->total_now[t->metric]));
		jsonw_bool_field(w, "crossed", diff_threshold__crossed(d, t));
		if (t->metric == DIFF_LIFETIME && d->lt_site)
			jsonw_string_field(w, "site", d->lt_site);
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
		jsonw_string_field(w, "condition", diff_cond_name(c));
		jsonw_uint_field(w, "count", n);
		jsonw_bool_field(w, "holds", n > 0);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_string_field(w, "result", diff_gate__fails(d, g) ? "fail" : "pass");
}

/* Counted under the names of their lists, "changed_sites" and so on. */
static void json_counts(struct json_writer *w, const struct row_kind *k,
			const struct diff_rows *r)
{
	jsonw_uint_field(w, k->list[DIFF_CHANGED], r->nr_changed);
	jsonw_uint_field(w, k->unchanged, r->nr_same);
	jsonw_uint_field(w, k->list[DIFF_ADDED], r->nr_added);
	jsonw_uint_field(w, k->list[DIFF_GONE], r->nr_gone);
}

static void json_lists(struct json_writer *w, const struct row_kind *k,
		       const struct diff_rows *r, unsigned int top)
{
	const struct diff_row *rows;
	enum diff_status s;
	size_t nr;

	for (s = DIFF_CHANGED; s <= DIFF_GONE; s++) {
		rows = rows_of(r, s, &nr);
		json_rows(w, k->list[s], k->key, rows, nr, top);
	}
}

static void json_totals(struct json_writer *w, const struct diff_result *d)
{
	int m;

	jsonw_name(w, "totals");
	jsonw_start_object(w);
	for (m = 0; m < DIFF_NR_METRICS; m++)
		if (diff_result__has(d, m))
			json_change(w, diff_metrics[m].key, d->total_base[m], d->total_now[m]);
	jsonw_end_object(w);
	if (diff_result__has(d, DIFF_LIFETIME)) {
		if (d->lt_site)
			jsonw_string_field(w, "lifetime_site", d->lt_site);
		else
			jsonw_null_field(w, "lifetime_site");
	}
}

static int render_json(FILE *f, const struct diff_result *d, const struct diff_gate *g,
		       const struct diff_render_opts *o)
{
	struct json_writer *w = jsonw_new(f);

	if (!w)
		return -ENOMEM;
	jsonw_pretty(w, o->pretty);
	jsonw_start_object(w);
	json_file(w, "base", o->base_name, d->base);
	json_file(w, "new", o->new_name, d->now);
	json_totals(w, d);
	jsonw_name(w, "counts");
	jsonw_start_object(w);
	json_counts(w, &site_kind, &d->sites);
	json_counts(w, &cache_kind, &d->caches);
	json_counts(w, &class_kind, &d->classes);
	jsonw_uint_field(w, "new_findings", d->nr_new_findings);
	jsonw_uint_field(w, "resolved_findings", d->nr_resolved);
	jsonw_end_object(w);
	json_lists(w, &site_kind, &d->sites, o->top);
	json_lists(w, &cache_kind, &d->caches, o->top);
	json_lists(w, &class_kind, &d->classes, o->top);
	json_findings(w, "new_findings", d->new_findings, d->nr_new_findings, o->top);
	json_findings(w, "resolved_findings", d->resolved, d->nr_resolved, o->top);
	json_gate(w, d, g);
	jsonw_end_object(w);
	return jsonw_close(&w);
}

int diff__render(FILE *f, const struct diff_result *d, const struct diff_gate *g,
		 const struct diff_render_opts *o)
{
	int e = o->json ? render_json(f, d, g, o) : render_text(f, d, g, o);

	if (!e && (fflush(f) || ferror(f)))
		e = errno ? -errno : -EIO;
	return e;
}
