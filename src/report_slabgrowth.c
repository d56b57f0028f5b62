// SPDX-License-Identifier: GPL-2.0
/*
 * report_slabgrowth.c - see report_slabgrowth.h.  Every number is the
 * kernel's own (/proc/slabinfo at the two ends of the trace); the text
 * says so, and says when it has none.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "json_writer.h"
#include "report_slabgrowth.h"
#include "slabgrowth.h"
#include "units.h"

#define HUMAN	32

/* "+252.0 KiB", "-4.0 KiB", "0"; buf holds HUMAN bytes. */
static const char *signed_bytes(int64_t d, char *buf)
{
	char h[HUMAN - 1];

	if (!d)
		return "0";
	kms_human_bytes(d < 0 ? -(uint64_t)d : (uint64_t)d, h, sizeof(h));
	snprintf(buf, HUMAN, "%c%s", d < 0 ? '-' : '+', h);
	return buf;
}

/* "12 -> 75", or "- -> 75" for a side the cache did not exist on. */
static const char *span(bool a, uint64_t x, bool b, uint64_t y, char *buf, size_t len)
{
	char l[24] = "-", r[24] = "-";

	if (a)
		snprintf(l, sizeof(l), "%" PRIu64, x);
	if (b)
		snprintf(r, sizeof(r), "%" PRIu64, y);
	snprintf(buf, len, "%s -> %s", l, r);
	return buf;
}

static void text_row(FILE *f, const struct slabgrowth_row *r)
{
	char name[SLABGROWTH_NAME_LEN + 16], slabs[56], objs[56], mem[HUMAN], fs[HUMAN], fe[HUMAN];
	int64_t pages = (int64_t)r->end.pages - (int64_t)r->start.pages;
	char dp[24];

	if (r->nr_names > 1)
		snprintf(name, sizeof(name), "%s (+%u)", r->name, r->nr_names - 1);
	else
		snprintf(name, sizeof(name), "%s", r->name);
	snprintf(dp, sizeof(dp), pages ? "%+" PRId64 : "0", pages);
	fprintf(f, "%-28s %18s %9s %12s %22s %10s -> %s\n", name,
		span(r->start.present, r->start.slabs, r->end.present, r->end.slabs, slabs,
		     sizeof(slabs)),
		dp, signed_bytes(slabgrowth_row__delta(r), mem),
		span(r->start.present, r->start.objects, r->end.present, r->end.objects, objs,
		     sizeof(objs)),
		r->start.present ? kms_human_bytes(r->start.free_bytes, fs, sizeof(fs)) : "-",
		r->end.present ? kms_human_bytes(r->end.free_bytes, fe, sizeof(fe)) : "-");
}

int report_slabgrowth_text(FILE *f, const struct slabgrowth *g, unsigned int top)
{
	char a[HUMAN], b[HUMAN], c[HUMAN], d[HUMAN], e[HUMAN];
	size_t i, shown;

	fprintf(f, "\nSLAB GROWTH: slabs of each cache at the start and the end of the trace "
		   "(the kernel's counters)\n");
	if (!g) {
		fprintf(f, "none: no /proc/slabinfo snapshots, or they count no slabs "
			   "(a kernel without CONFIG_SLUB_DEBUG)\n");
		return ferror(f) ? -EIO : 0;
	}
	fprintf(f, "all caches: slab memory %s -> %s (%s), free slots %s -> %s\n",
		kms_human_bytes(g->slab_bytes_start, a, sizeof(a)),
		kms_human_bytes(g->slab_bytes_end, b, sizeof(b)),
		signed_bytes((int64_t)g->slab_bytes_end - (int64_t)g->slab_bytes_start, c),
		kms_human_bytes(g->free_bytes_start, d, sizeof(d)),
		kms_human_bytes(g->free_bytes_end, e, sizeof(e)));
	if (!g->nr_rows) {
		fprintf(f, "none: no cache gained or lost a slab\n");
		return ferror(f) ? -EIO : 0;
	}
	fprintf(f, "%-28s %18s %9s %12s %22s %24s\n", "CACHE", "SLABS", "PAGES", "MEMORY",
		"OBJECTS", "FREE SLOTS");
	shown = top && top < g->nr_rows ? top : g->nr_rows;
	for (i = 0; i < shown; i++)
		text_row(f, &g->rows[i]);
	if (shown < g->nr_rows)
		fprintf(f, "... %zu more (-n 0 shows all)\n", g->nr_rows - shown);
	fprintf(f, "%zu other caches kept their slabs\n", g->nr_same);
	return ferror(f) ? -EIO : 0;
}

static void json_side(struct json_writer *w, const char *name, const struct slabgrowth_side *s)
{
	jsonw_name(w, name);
	if (!s->present) {
		jsonw_null(w);
		return;
	}
	jsonw_start_object(w);
	jsonw_uint_field(w, "slabs", s->slabs);
	jsonw_uint_field(w, "pages", s->pages);
	jsonw_uint_field(w, "slab_bytes", s->slab_bytes);
	jsonw_uint_field(w, "objects", s->objects);
	jsonw_uint_field(w, "total_objects", s->total_objects);
	jsonw_uint_field(w, "free_bytes", s->free_bytes);
	jsonw_end_object(w);
}

void report_slabgrowth_json(struct json_writer *w, const struct slabgrowth *g,
			    unsigned int top)
{
	size_t i, shown;

	jsonw_name(w, "slab_growth");
	if (!g) {
		jsonw_null(w);
		return;
	}
	jsonw_start_object(w);
	jsonw_uint_field(w, "slab_bytes_start", g->slab_bytes_start);
	jsonw_uint_field(w, "slab_bytes_end", g->slab_bytes_end);
	jsonw_uint_field(w, "free_bytes_start", g->free_bytes_start);
	jsonw_uint_field(w, "free_bytes_end", g->free_bytes_end);
	jsonw_uint_field(w, "unchanged_caches", g->nr_same);
	jsonw_name(w, "caches");
	jsonw_start_array(w);
	shown = top && top < g->nr_rows ? top : g->nr_rows;
	for (i = 0; i < shown; i++) {
		const struct slabgrowth_row *r = &g->rows[i];

		jsonw_start_object(w);
		jsonw_string_field(w, "cache", r->name);
		jsonw_uint_field(w, "names", r->nr_names);
		jsonw_uint_field(w, "order", r->order);
		jsonw_int_field(w, "slab_bytes_change", slabgrowth_row__delta(r));
		json_side(w, "start", &r->start);
		json_side(w, "end", &r->end);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
}
