// SPDX-License-Identifier: GPL-2.0
/*
 * report_html.c - see report_html.h.  Every picture is an inline <svg>
 * with an id the tests look for; hovering a box shows its <title>.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <linux/types.h>

#include "collect.h"
#include "context.h"
#include "findings.h"
#include "gfp.h"
#include "grow.h"
#include "kmscope_event.h"
#include "ksyms.h"
#include "lifetime.h"
#include "membill.h"
#include "report_html.h"
#include "runinfo.h"
#include "slabgrowth.h"
#include "sizeclass.h"
#include "stacks.h"
#include "units.h"

#define W	1100	/* width of every picture */

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char *human(uint64_t v, char *buf)
{
	return kms_human_bytes(v, buf, 32);
}

/* A warm colour from a name: the same frame keeps its colour across pictures. */
static void colour(const char *name, char out[16])
{
	unsigned int h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	snprintf(out, 16, "hsl(%u,80%%,%u%%)", h % 55, 55 + (h >> 8) % 15);
}

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1150px}"
	"h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;font-size:13px}td,th{padding:3px 8px;text-align:left}"
	"th{background:#eee}tr:nth-child(even){background:#fafafa}td.n{text-align:right}"
	".bug{color:#b00;font-weight:bold}.warning{color:#c60}.info{color:#246}.hint{color:#666}"
	"svg text{font:11px monospace}.note{color:#555;font-size:13px}"
	"details{margin:4px 0}summary{cursor:pointer}";

static void head(FILE *f, const struct html_input *in)
{
	const struct runinfo *ri = in->ri;
	char ctx[KMS_RUNINFO_CTX_LEN], dmg[256];

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<title>kmscope report</title><style>", f);
	fputs(css, f);
	fputs("</style></head><body>\n<h1>kmscope report</h1>\n<p id=\"summary\">", f);
	esc(f, runinfo__traced(ri));
	fprintf(f, ", %.3f s, kernel ", ri->duration_ns / 1e9);
	esc(f, ri->kernel);
	/* The method too: a recording's META is text anyone could have written. */
	fputs(", ", f);
	esc(f, ri->method);
	fprintf(f, ", context: %s, %zu objects live at the end.</p>\n",
		runinfo__context(ri, ctx, sizeof(ctx)), collector__live(in->c));
	if (runinfo__damage(ri, dmg, sizeof(dmg))) {
		fputs("<p id=\"damaged\" class=\"bug\">The recording is damaged: ", f);
		esc(f, dmg);
		fputs(". The report covers the rest.</p>\n", f);
	}
}

/* ---- findings ----------------------------------------------------------- */

static void findings_table(FILE *f, const struct html_input *in)
{
	const struct findings *fs = in->findings;
	char sym[KMS_SYM_LEN], gfp[KMS_GFP_NAME_LEN], where[KMS_CTX_NAME_LEN];
	bool seen[FIND_KIND_MAX] = { false };
	size_t i;

	fputs("<h2>Findings</h2>\n<table id=\"findings\"><tr><th>severity</th><th>kind</th>"
	      "<th>call site</th><th>count</th><th>context</th><th>gfp</th></tr>\n", f);
	for (i = 0; fs && i < fs->n; i++) {
		const struct finding *x = &fs->f[i];

		ksyms__format(in->ks, x->call_site, sym, sizeof(sym));
		gfp_format(x->gfp, gfp, sizeof(gfp));
		fprintf(f, "<tr><td class=\"%s\">%s</td><td>%s%s%s</td><td>",
			finding_severity_name(x->severity), finding_severity_name(x->severity),
			finding_kind_name(x->kind), x->kind != FIND_LEAK ? "" :
			x->frees_unseen ? ", frees not seen" :
			x->reclaimable ? ", reclaimable cache" :
			x->kernel_part ? ", part of a kernel object" : ", ",
			x->kind != FIND_LEAK || x->frees_unseen || x->reclaimable ||
			x->kernel_part ? "" : leak_growth_name(x->growth));
		esc(f, sym);
		fprintf(f, "</td><td class=\"n\">%" PRIu64 "</td><td>%s</td><td>", x->count,
			kms_ctx_format(x->ctx, where, sizeof(where)));
		esc(f, gfp);
		fputs("</td></tr>\n", f);
		seen[x->kind] = true;
	}
	fputs("</table>\n", f);
	if (!fs || !fs->n)
		fputs("<p class=\"note\">No findings.</p>\n", f);
	for (i = 0; i < FIND_KIND_MAX; i++) {
		if (!seen[i])
			continue;
		fprintf(f, "<details><summary>%s</summary><p>", finding_kind_name(i));
		esc(f, finding_explanation(i));
		fputs("</p><p><b>Fix:</b> ", f);
		esc(f, finding_fix(i));
		fputs("</p></details>\n", f);
	}
}

/* ---- flame graph of live bytes ------------------------------------------ */

struct fnode {
	uint64_t ip, value;
	int child, next;	/* first child, next sibling; -1 for none */
};

struct flame {
	struct fnode *n;
	size_t nr, cap;
	int depth;
};

static int fnode(struct flame *fl, uint64_t ip)
{
	int err = kms_grow((void **)&fl->n, &fl->cap, fl->nr + 1, sizeof(*fl->n), 256);

	if (err)
		return err;
	fl->n[fl->nr] = (struct fnode){ .ip = ip, .child = -1, .next = -1 };
	return fl->nr++;
}

/* Add a path (outermost frame first) under the root, node 0. */
static int flame_add(struct flame *fl, const uint64_t *path, size_t n, uint64_t value)
{
	int at = 0, c;
	size_t i;

	fl->n[0].value += value;
	for (i = 0; i < n; i++) {
		for (c = fl->n[at].child; c >= 0 && fl->n[c].ip != path[i]; c = fl->n[c].next)
			;
		if (c < 0) {
			c = fnode(fl, path[i]);
			if (c < 0)
				return c;
			fl->n[c].next = fl->n[at].child;
			fl->n[at].child = c;
		}
		fl->n[c].value += value;
		at = c;
	}
	if ((int)n > fl->depth)
		fl->depth = n;
	return 0;
}

static void flame_draw(FILE *f, const struct flame *fl, const struct ksyms *ks, int node,
		       double x, int level, const char *unit)
{
	const struct fnode *nd = &fl->n[node];
	double w = (double)nd->value / fl->n[0].value * W;
	char sym[KMS_SYM_LEN], col[16], b[32];
	int c;

	if (w < 0.5)
		return;
	if (node) {
		ksyms__format(ks, nd->ip, sym, sizeof(sym));
		colour(sym, col);
		fputs("<g><title>", f);
		esc(f, sym);
		fprintf(f, ": %s %s (%.1f%%)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			"height=\"17\" fill=\"%s\" stroke=\"#fff\"/>", human(nd->value, b), unit,
			100.0 * nd->value / fl->n[0].value, x, (level - 1) * 18, w, col);
		if (w > 40) {
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" textLength=\"%.0f\" "
				"lengthAdjust=\"spacingAndGlyphs\">", x + 3, (level - 1) * 18 + 13,
				(double)strlen(sym) * 6.6 < w - 6 ? strlen(sym) * 6.6 : w - 6);
			esc(f, sym);
			fputs("</text>", f);
		}
		fputs("</g>\n", f);
	}
	for (c = nd->child; c >= 0; c = fl->n[c].next) {
		flame_draw(f, fl, ks, c, x, level + 1, unit);
		x += (double)fl->n[c].value / fl->n[0].value * W;
	}
}

static int flame_graph(FILE *f, const struct html_input *in)
{
	size_t i, n, ns = collector__nr_sites(in->c);
	uint64_t frames[KMS_STACK_DEPTH], path[KMS_STACK_DEPTH], total = 0;
	struct flame fl = { 0 };
	bool live = true;
	int err = 0;

	for (i = 0; i < ns; i++)
		total += collector__site(in->c, i)->t.live_alloc;
	if (!total)
		live = false;	/* nothing left: show what was allocated */
	if (fnode(&fl, 0) < 0)
		return -ENOMEM;
	for (i = 0; i < ns && !err; i++) {
		const struct kms_site *s = collector__site(in->c, i);
		uint64_t v = live ? s->t.live_alloc : s->t.bytes_alloc;
		size_t k;

		if (!v)
			continue;
		n = kms_stacks__site_frames(in->stacks, s->stack, s->call_site, frames,
					    KMS_STACK_DEPTH);
		for (k = 0; k < n; k++)
			path[k] = frames[n - 1 - k];
		err = flame_add(&fl, path, n, v);
	}
	fprintf(f, "<h2>%s by stack</h2>\n", live ? "Live bytes at the end" : "Bytes allocated");
	if (!in->stacks)
		fputs("<p class=\"note\">Traced without -g: one box per call site. Run with -g "
		      "(or -gN) for the stacks that lead to them.</p>\n", f);
	fprintf(f, "<svg id=\"flame\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">"
		"\n", W, fl.depth * 18 + 2);
	if (!err && fl.n[0].value)
		flame_draw(f, &fl, in->ks, 0, 0, 0, live ? "live" : "allocated");
	fputs("</svg>\n", f);
	free(fl.n);
	return err;
}

/* ---- bars --------------------------------------------------------------- */

struct bar {
	char label[KMS_SYM_LEN];
	uint64_t value, of;	/* waste, and the bytes allocated it is part of */
};

static int bar_cmp(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;

	return x->value < y->value ? 1 : x->value > y->value ? -1 : strcmp(x->label, y->label);
}

static void bars(FILE *f, const char *id, struct bar *b, size_t n, size_t top, bool sort)
{
	char h[32];
	uint64_t max = 0;
	size_t i;

	if (sort)
		qsort(b, n, sizeof(*b), bar_cmp);
	n = n < top ? n : top;
	for (i = 0; i < n; i++)
		max = b[i].value > max ? b[i].value : max;
	fprintf(f, "<svg id=\"%s\" width=\"%d\" height=\"%zu\" xmlns=\"http://www.w3.org/2000/svg\">\n",
		id, W, n * 20 + 4);
	for (i = 0; i < n; i++) {
		double w = max ? (double)b[i].value / max * 560 : 0;

		fputs("<g><title>", f);
		esc(f, b[i].label);
		fprintf(f, ": %s wasted of %s</title><text x=\"0\" y=\"%zu\">", human(b[i].value, h),
			kms_human_bytes(b[i].of, (char[32]){ 0 }, 32), i * 20 + 14);
		esc(f, b[i].label);
		fprintf(f, "</text><rect x=\"420\" y=\"%zu\" width=\"%.1f\" height=\"15\" "
			"fill=\"#d95f02\"/><text x=\"%.1f\" y=\"%zu\">%s (%.1f%%)</text></g>\n",
			i * 20 + 2, w, 426 + w, i * 20 + 14, human(b[i].value, h),
			b[i].of ? 100.0 * b[i].value / b[i].of : 0.0);
	}
	fputs("</svg>\n", f);
}

static int waste_bars(FILE *f, const struct html_input *in)
{
	size_t i, n = collector__nr_sites(in->c), k = 0;
	struct bar *b = calloc(n + 1, sizeof(*b));
	const struct membill *mb = in->membill;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct kms_site *s = collector__site(in->c, i);

		if (s->t.bytes_alloc <= s->t.bytes_req)
			continue;
		ksyms__format(in->ks, s->call_site, b[k].label, sizeof(b[k].label));
		b[k].value = s->t.bytes_alloc - s->t.bytes_req;
		b[k++].of = s->t.bytes_alloc;
	}
	fputs("<h2>Rounding waste by call site</h2>\n", f);
	bars(f, "waste-sites", b, k, 15, true);
	free(b);
	if (!mb || !mb->nr_classes)
		return 0;
	b = calloc(mb->nr_classes, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (i = 0; i < mb->nr_classes; i++) {
		const struct membill_class *cl = &mb->classes[i];

		snprintf(b[i].label, sizeof(b[i].label), "%s%u%s", cl->large ? "pages " : "kmalloc-",
			 cl->size >= 1024 && !(cl->size % 1024) ? cl->size / 1024 : cl->size,
			 cl->size >= 1024 && !(cl->size % 1024) ? "k" : "");
		b[i].value = cl->t.bytes_alloc - cl->t.bytes_req;
		b[i].of = cl->t.bytes_alloc;
	}
	fputs("<h2>Rounding waste by size class</h2>\n", f);
	bars(f, "waste-classes", b, mb->nr_classes, mb->nr_classes, false);
	free(b);
	return 0;
}

/* ---- request sizes against the class boundaries ------------------------- */

#define OCTAVES		13	/* 1 .. 8192 bytes */
#define PER_OCTAVE	8

static double xpos(double bytes)
{
	return 40 + log2(bytes) / OCTAVES * (W - 60);
}

static void req_histogram(FILE *f, const struct html_input *in)
{
	const uint64_t *h = collector__req_hist(in->c);
	uint64_t bins[OCTAVES * PER_OCTAVE] = { 0 }, max = 0;
	struct kmalloc_class cl[32];
	int i, n, H = 200;
	uint32_t sz;

	for (sz = 1; sz < KMS_REQ_HIST && sz <= 8192; sz++) {
		i = (int)(log2(sz) * PER_OCTAVE);
		if (i >= OCTAVES * PER_OCTAVE)
			i = OCTAVES * PER_OCTAVE - 1;
		bins[i] += h[sz];
	}
	for (i = 0; i < OCTAVES * PER_OCTAVE; i++)
		max = bins[i] > max ? bins[i] : max;
	fputs("<h2>kmalloc request sizes and the class boundaries</h2>\n<p class=\"note\">"
	      "Bars: requests per size (log scale of size, square root of count); blue lines: "
	      "the kmalloc classes; requests just right of a line waste most of their class.</p>\n",
	      f);
	fprintf(f, "<svg id=\"req-hist\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
		W, H + 40);
	for (i = 0; i < OCTAVES * PER_OCTAVE; i++) {
		double x0 = xpos(pow(2, (double)i / PER_OCTAVE)), x1 = xpos(pow(2, (double)(i + 1) / PER_OCTAVE));
		double hh = max ? sqrt((double)bins[i] / max) * H : 0;

		if (!bins[i])
			continue;
		fprintf(f, "<g><title>%.0f-%.0f bytes: %" PRIu64 " requests</title><rect x=\"%.1f\" "
			"y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#7570b3\"/></g>\n",
			ceil(pow(2, (double)i / PER_OCTAVE)), floor(pow(2, (double)(i + 1) / PER_OCTAVE)),
			bins[i], x0, H - hh, x1 - x0 - 0.5, hh);
	}
	n = kmalloc_classes(collector__kmalloc_params(in->c), KMALLOC_T_NORMAL, cl, 32);
	for (i = 0; i < n; i++) {
		double x = xpos(cl[i].size);

		fprintf(f, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1f78b4\"/>"
			"<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%u</text>\n", x, x, H, x, H + 15 +
			(i % 2) * 13, cl[i].size);
	}
	fputs("</svg>\n", f);
	if (h[KMS_REQ_HIST])
		fprintf(f, "<p class=\"note\">%" PRIu64 " larger requests (above %u bytes) are not "
			"drawn.</p>\n", h[KMS_REQ_HIST], KMS_REQ_HIST - 1);
}

/* ---- live objects over time ------------------------------------------- */

static int live_cmp(const void *a, const void *b)
{
	const struct kms_site *x = *(const struct kms_site *const *)a;
	const struct kms_site *y = *(const struct kms_site *const *)b;

	return x->t.live < y->t.live ? 1 : x->t.live > y->t.live ? -1 : 0;
}

static int live_over_time(FILE *f, const struct html_input *in)
{
	static const char *const pal[] = { "#1b9e77", "#d95f02", "#7570b3", "#e7298a",
					   "#66a61e", "#e6ab02" };
	size_t i, j, n = collector__nr_sites(in->c), top = 0;
	const struct kms_site **s = calloc(n + 1, sizeof(*s));
	uint32_t period = collector__sample_period_ms(in->c);
	uint64_t end = collector__now_ms(in->c);
	uint64_t max = 1;
	char sym[KMS_SYM_LEN];
	int H = 220;

	if (!s)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		s[i] = collector__site(in->c, i);
	qsort(s, n, sizeof(*s), live_cmp);
	while (top < n && top < 6 && s[top]->t.live)
		top++;
	for (i = 0; i < top; i++)
		for (j = 0; j < s[i]->nr_samples; j++)
			max = s[i]->samples[j] > max ? s[i]->samples[j] : max;
	for (i = 0; i < top; i++)
		max = s[i]->t.live > max ? s[i]->t.live : max;
	fputs("<h2>Live objects over time (the leak signal)</h2>\n", f);
	fprintf(f, "<svg id=\"live-time\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		"<line x1=\"40\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
		"<text x=\"0\" y=\"12\">%" PRIu64 "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">"
		"%.1f s</text>\n", W, H + 20 + (int)top * 16, H, W - 10, H, max, W - 10, H + 14,
		end / 1000.0);
	for (i = 0; i < top; i++) {
		fprintf(f, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"40,%d",
			pal[i], H);
		for (j = 0; j < s[i]->nr_samples; j++)
			fprintf(f, " %.1f,%.1f", 40 + (double)(j + 1) * period / (end ? end : 1) * (W - 50),
				H - (double)s[i]->samples[j] / max * (H - 20));
		fprintf(f, " %d,%.1f\"/>\n", W - 10, H - (double)s[i]->t.live / max * (H - 20));
		ksyms__format(in->ks, s[i]->call_site, sym, sizeof(sym));
		fprintf(f, "<rect x=\"40\" y=\"%zu\" width=\"12\" height=\"10\" fill=\"%s\"/>"
			"<text x=\"58\" y=\"%zu\">", H + 22 + i * 16, pal[i], H + 31 + i * 16);
		esc(f, sym);
		fprintf(f, " (%" PRIu64 " live)</text>\n", s[i]->t.live);
	}
	fputs("</svg>\n", f);
	free(s);
	return 0;
}

/* ---- slab growth ------------------------------------------------------- */

#define GROWTH_ROWS	15

static void growth_side(FILE *f, const struct slabgrowth_side *x, uint64_t v)
{
	if (x->present)
		fprintf(f, "<td class=\"n\">%" PRIu64 "</td>", v);
	else
		fputs("<td class=\"n\">-</td>", f);
}

static void growth_table(FILE *f, const struct html_input *in)
{
	const struct slabgrowth *g = in->growth;
	char b[32];
	size_t i;

	if (!g || !g->nr_rows)
		return;
	fputs("<h2>Slabs gained or lost during the trace</h2>\n<table id=\"growth\"><tr>"
	      "<th>cache</th><th>slabs at start</th><th>at end</th><th>memory</th>"
	      "<th>objects at start</th><th>at end</th></tr>\n", f);
	for (i = 0; i < g->nr_rows && i < GROWTH_ROWS; i++) {
		const struct slabgrowth_row *r = &g->rows[i];
		int64_t d = slabgrowth_row__delta(r);

		fputs("<tr><td>", f);
		esc(f, r->name);
		fputs("</td>", f);
		growth_side(f, &r->start, r->start.slabs);
		growth_side(f, &r->end, r->end.slabs);
		fprintf(f, "<td class=\"n\">%c%s</td>", d < 0 ? '-' : '+',
			human(d < 0 ? -(uint64_t)d : (uint64_t)d, b));
		growth_side(f, &r->start, r->start.objects);
		growth_side(f, &r->end, r->end.objects);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* ---- lifetimes --------------------------------------------------------- */

#define LT_SITES	5	/* charts: the sites with the most objects freed */
#define LT_COL		30	/* px per bucket */
#define LT_HEIGHT	90	/* px of the fullest bucket */

/* The site with the most objects freed not yet taken (ties: lower id), -1 when none. */
static ssize_t lt_pick(const struct collector *c, const ssize_t *taken, size_t ntaken)
{
	size_t i, j, n = collector__nr_sites(c);
	ssize_t best = -1;
	uint64_t most = 0;

	for (i = 0; i < n; i++) {
		uint64_t t = lifetime__total(&collector__site(c, i)->lt);

		for (j = 0; j < ntaken && taken[j] != (ssize_t)i; j++)
			;
		if (j == ntaken && t > most) {
			most = t;
			best = i;
		}
	}
	return best;
}

/* One column per bucket from the shortest lifetime seen to the longest. */
static void lt_chart(FILE *f, const struct html_input *in, size_t id, const struct kms_site *s)
{
	int lo = 0, hi = lifetime__max(&s->lt), b;
	uint64_t most = 0;
	char sym[KMS_SYM_LEN], lab[16];

	while (!s->lt.n[lo])
		lo++;
	for (b = lo; b <= hi; b++)
		most = s->lt.n[b] > most ? s->lt.n[b] : most;
	ksyms__format(in->ks, s->call_site, sym, sizeof(sym));
	fputs("<h3>", f);
	esc(f, sym);
	fprintf(f, ": %" PRIu64 " freed</h3>\n<svg id=\"lifetime-%zu\" width=\"%d\" height=\"%d\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n", lifetime__total(&s->lt), id,
		(hi - lo + 1) * LT_COL + 10, LT_HEIGHT + 36);
	for (b = lo; b <= hi; b++) {
		double h = (double)s->lt.n[b] / most * LT_HEIGHT;
		int x = (b - lo) * LT_COL;

		lifetime__fmt_bucket(b, lab, sizeof(lab));
		fputs("<g><title>", f);
		esc(f, lab);
		fprintf(f, ": %" PRIu64 "</title><rect x=\"%d\" y=\"%.1f\" width=\"%d\" "
			"height=\"%.1f\" fill=\"#1b9e77\"/><text x=\"%d\" y=\"%d\">", s->lt.n[b], x,
			LT_HEIGHT + 4 - h, LT_COL - 4, h, x, LT_HEIGHT + 18 + ((b - lo) % 2) * 12);
		esc(f, lab);
		fputs("</text></g>\n", f);
	}
	fputs("</svg>\n", f);
}

static void lifetime_charts(FILE *f, const struct html_input *in)
{
	ssize_t taken[LT_SITES];
	size_t n;

	for (n = 0; n < LT_SITES; n++) {
		taken[n] = lt_pick(in->c, taken, n);
		if (taken[n] < 0)
			break;
		if (!n)
			fputs("<h2>Object lifetimes, allocation to free</h2>\n", f);
		lt_chart(f, in, n, collector__site(in->c, taken[n]));
	}
}

/* ---- memory bill -------------------------------------------------------- */

static void bill_table(FILE *f, const struct html_input *in)
{
	const struct membill *mb = in->membill;
	char b[6][32];
	size_t i;

	if (!mb || !mb->nr_caches)
		return;
	fputs("<h2>Memory bill per cache at the end</h2>\n<table id=\"bill\"><tr><th>cache</th>"
	      "<th>slab memory</th><th>objects</th><th>metadata</th><th>free slots</th><th>tail"
	      "</th><th>traced live</th><th>rounding</th></tr>\n", f);
	for (i = 0; i < mb->nr_caches && i < 25; i++) {
		const struct membill_cache *m = &mb->caches[i];

		fputs("<tr><td>", f);
		esc(f, m->name);
		if (m->nr_aliases) {
			fputs(" (+ ", f);
			esc(f, m->aliases);
			fputc(')', f);
		}
		if (m->has_kernel)
			fprintf(f, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">"
				"%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>",
				human(m->slab_bytes, b[0]), human(m->obj_bytes, b[1]),
				human(m->meta_bytes, b[2]), human(m->free_bytes, b[3]),
				human(m->tail_bytes, b[4]));
		else
			fputs("</td><td colspan=\"5\">no kernel counters</td>", f);
		/* As in the text bill: never more than the cache holds, '!' if cut. */
		fprintf(f, "<td class=\"n\">%" PRIu64 "%s</td><td class=\"n\">%s</td></tr>\n",
			m->live, m->live_unverifiable ? "!" : "", human(m->live_rounding, b[5]));
	}
	fputs("</table>\n", f);
}

int report_html(FILE *f, const struct html_input *in)
{
	int err;

	head(f, in);
	findings_table(f, in);
	err = flame_graph(f, in);
	if (!err)
		err = waste_bars(f, in);
	if (!err)
		req_histogram(f, in);
	if (!err)
		err = live_over_time(f, in);
	if (!err)
		bill_table(f, in);
	if (!err)
		growth_table(f, in);
	if (!err)
		lifetime_charts(f, in);
	fputs("<p class=\"note\">Written by kmscope. Every number is in the JSON report "
	      "(report -j) too.</p>\n</body></html>\n", f);
	if (!err && ferror(f))
		err = -EIO;
	return err;
}
