// SPDX-License-Identifier: GPL-2.0
/*
 * report_membill.c - see report_membill.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "json_writer.h"
#include "ksyms.h"
#include "membill.h"
#include "report_membill.h"
#include "units.h"

/* The CACHE column: the longest common names (ext4_allocation_context+) fit. */
#define BILL_NAME_WIDTH	26

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}

/* The kernel's short size names: "96", "1k", "2M"; page-allocator classes say so. */
static const char *class_label(const struct membill_class *cl, char *buf, size_t len)
{
	uint32_t v = cl->size;
	const char *unit = "";

	if (v >= (1u << 20) && !(v & ((1u << 20) - 1)))
		v >>= 20, unit = "M";
	else if (v >= 1024 && !(v & 1023))
		v >>= 10, unit = "k";
	snprintf(buf, len, "%u%s%s", v, unit, cl->large ? " pages" : "");
	return buf;
}

static void text_classes(FILE *f, const struct membill *mb, unsigned int top)
{
	char b[6][32];
	size_t i, n = top && top < mb->nr_classes ? top : mb->nr_classes;

	if (!mb->nr_classes)
		return;
	fprintf(f, "\nWASTE BY SIZE CLASS: traced kmalloc requests and the classes they got\n"
		   "%-14s %9s %11s %11s %11s %6s %9s %13s\n", "CLASS", "ALLOCS", "REQUESTED",
		"ALLOCATED", "ROUNDING", "WASTE", "LIVE", "LIVE ROUNDING");
	for (i = 0; i < n; i++) {
		const struct membill_class *cl = &mb->classes[i];
		const struct membill_totals *t = &cl->t;

		fprintf(f, "%-14s %9" PRIu64 " %11s %11s %11s %5.1f%% %9" PRIu64 " %13s\n",
			class_label(cl, b[0], sizeof(b[0])), t->allocs,
			kms_human_bytes(t->bytes_req, b[1], sizeof(b[1])),
			kms_human_bytes(t->bytes_alloc, b[2], sizeof(b[2])),
			kms_human_bytes(t->bytes_alloc - t->bytes_req, b[3], sizeof(b[3])),
			pct(t->bytes_alloc - t->bytes_req, t->bytes_alloc), t->live,
			kms_human_bytes(t->live_alloc - t->live_req, b[4], sizeof(b[4])));
	}
	if (n < mb->nr_classes)
		fprintf(f, "... %zu more (-n 0 shows all)\n", mb->nr_classes - n);
}

static void text_cache(FILE *f, const struct membill_cache *m)
{
	char b[8][32], name[64], live[24];

	snprintf(name, sizeof(name), "%s%s", m->name,
		 m->nr_names > 1 || m->nr_aliases ? "+" : "");
	if (m->has_kernel)
		fprintf(f, "%-*s %10s %9" PRIu64 " %10s %9s %10s %9s %5.1f%%", BILL_NAME_WIDTH, name,
			kms_human_bytes(m->slab_bytes, b[0], sizeof(b[0])), m->objects,
			kms_human_bytes(m->obj_bytes, b[1], sizeof(b[1])),
			kms_human_bytes(m->meta_bytes, b[2], sizeof(b[2])),
			kms_human_bytes(m->free_bytes, b[3], sizeof(b[3])),
			kms_human_bytes(m->tail_bytes, b[4], sizeof(b[4])),
			pct(m->free_bytes + m->tail_bytes, m->slab_bytes));
	else
		fprintf(f, "%-*s %10s %9s %10s %9s %10s %9s %6s", BILL_NAME_WIDTH, name, "-", "-", "-", "-", "-",
			"-", "-");
	/* '!': more traced live than the kernel holds (text_unverifiable()). */
	snprintf(live, sizeof(live), "%" PRIu64 "%s", m->live, m->live_unverifiable ? "!" : "");
	fprintf(f, "  %9s %10s %9s %9s\n", live,
		kms_human_bytes(m->live_req, b[5], sizeof(b[5])),
		kms_human_bytes(m->live_rounding, b[6], sizeof(b[6])),
		kms_human_bytes(m->live_meta, b[7], sizeof(b[7])));
}

static void text_caches(FILE *f, const struct membill *mb, unsigned int top)
{
	size_t i, n = top && top < mb->nr_caches ? top : mb->nr_caches;

	if (!mb->nr_caches)
		return;
	fprintf(f, "\nMEMORY BILL PER CACHE at the end: the kernel's slabs (/sys/kernel/slab) | "
		   "the traced live objects in them\n"
		   "%-*s %10s %9s %10s %9s %10s %9s %6s  %9s %10s %9s %9s\n", BILL_NAME_WIDTH, "CACHE",
		"SLAB MEM",
		"IN USE", "OBJECTS", "METADATA", "FREE SLOTS", "TAIL", "FRAG", "LIVE", "REQUESTED",
		"ROUNDING", "METADATA");
	for (i = 0; i < n; i++)
		text_cache(f, &mb->caches[i]);
	if (n < mb->nr_caches)
		fprintf(f, "... %zu more (-n 0 shows all)\n", mb->nr_caches - n);
	if (!mb->has_kernel)
		fprintf(f, "note: no kernel slab counters (live: CONFIG_SLUB_DEBUG is off; "
			   "recording: made without the end-of-trace /sys/kernel/slab snapshot)\n");
	fprintf(f, "note: SLAB MEM = OBJECTS + METADATA + FREE SLOTS + TAIL; IN USE counts the "
		   "free objects cached per CPU too; FRAG = (FREE SLOTS + TAIL) / SLAB MEM; "
		   "'+' marks a cache SLUB merged with others (caches[].aliases in JSON names them)\n");
}

/* Caches whose traced live objects outnumber the kernel's objects in use. */
static void text_unverifiable(FILE *f, const struct membill *mb, const struct ksyms *ks)
{
	char sym[128];
	size_t i, n = 0;
	int j;

	if (!mb->live_unverifiable)
		return;
	for (i = 0; i < mb->nr_caches; i++)
		n += mb->caches[i].live_unverifiable > 0;
	fprintf(f, "note: LIVE ends in '!' where a cache holds fewer objects than were traced "
		"live: LIVE is then what the cache holds, and %" PRIu64 " traced live objects of %zu cache%s are unverifiable (freed by a path without an event, or their free "
		"was lost; counted against each cache's oldest live objects):\n",
		mb->live_unverifiable, n, n == 1 ? "" : "s");
	for (i = 0; i < mb->nr_caches; i++) {
		const struct membill_cache *m = &mb->caches[i];

		if (!m->live_unverifiable)
			continue;
		fprintf(f, "  %s: traced live %" PRIu64 ", IN USE %" PRIu64 ": %" PRIu64 " unverifiable",
			m->name, m->t.live, m->objects, m->live_unverifiable);
		for (j = 0; j < MEMBILL_UNV_SITES && m->unv_sites[j].count; j++) {
			ksyms__format(ks, m->unv_sites[j].call_site, sym, sizeof(sym));
			fprintf(f, "%s%s %" PRIu64, j ? ", " : " (", sym, m->unv_sites[j].count);
		}
		fprintf(f, "%s\n", j ? ")" : "");
	}
}

int report_membill_text(FILE *f, const struct membill *mb, const struct ksyms *ks,
			unsigned int top)
{
	text_classes(f, mb, top);
	text_caches(f, mb, top);
	text_unverifiable(f, mb, ks);
	return ferror(f) ? -EIO : 0;
}

static void json_totals(struct json_writer *w, const struct membill_totals *t)
{
	jsonw_uint_field(w, "allocs", t->allocs);
	jsonw_uint_field(w, "bytes_req", t->bytes_req);
	jsonw_uint_field(w, "bytes_alloc", t->bytes_alloc);
	jsonw_uint_field(w, "rounding", t->bytes_alloc - t->bytes_req);
	jsonw_uint_field(w, "live", t->live);
	jsonw_uint_field(w, "live_bytes_req", t->live_req);
	jsonw_uint_field(w, "live_bytes", t->live_alloc);
	jsonw_uint_field(w, "live_rounding", t->live_alloc - t->live_req);
}

static void json_kernel(struct json_writer *w, const struct membill_cache *m)
{
	jsonw_name(w, "kernel");
	if (!m->has_kernel) {
		jsonw_null(w);
		return;
	}
	jsonw_start_object(w);
	jsonw_uint_field(w, "order", m->order);
	jsonw_uint_field(w, "objs_per_slab", m->objs_per_slab);
	jsonw_uint_field(w, "slabs", m->slabs);
	jsonw_uint_field(w, "objects", m->objects);
	jsonw_uint_field(w, "total_objects", m->total_objects);
	jsonw_uint_field(w, "slab_bytes", m->slab_bytes);
	jsonw_uint_field(w, "object_bytes", m->obj_bytes);
	jsonw_uint_field(w, "metadata_bytes", m->meta_bytes);
	jsonw_uint_field(w, "free_bytes", m->free_bytes);
	jsonw_uint_field(w, "tail_bytes", m->tail_bytes);
	jsonw_end_object(w);
}

void report_membill_json(struct json_writer *w, const struct membill *mb,
			 const struct ksyms *ks, unsigned int top)
{
	char sym[128];
	int j;

	size_t i, n;

	jsonw_name(w, "size_classes");
	jsonw_start_array(w);
	n = top && top < mb->nr_classes ? top : mb->nr_classes;
	for (i = 0; i < n; i++) {
		jsonw_start_object(w);
		jsonw_uint_field(w, "size", mb->classes[i].size);
		jsonw_bool_field(w, "large", mb->classes[i].large);
		jsonw_uint_field(w, "caches", mb->classes[i].nr_caches);
		json_totals(w, &mb->classes[i].t);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_name(w, "memory");
	jsonw_start_array(w);
	n = top && top < mb->nr_caches ? top : mb->nr_caches;
	for (i = 0; i < n; i++) {
		const struct membill_cache *m = &mb->caches[i];

		jsonw_start_object(w);
		jsonw_string_field(w, "cache", m->name);
		jsonw_string_field(w, "slab", m->slab);
		jsonw_uint_field(w, "names", m->nr_names);
		jsonw_uint_field(w, "merged_names", m->nr_aliases);
		jsonw_uint_field(w, "object_size", m->object_size);
		jsonw_uint_field(w, "size", m->size);
		jsonw_uint_field(w, "allocs", m->t.allocs);
		jsonw_uint_field(w, "live", m->live);
		jsonw_uint_field(w, "live_bytes_req", m->live_req);
		jsonw_uint_field(w, "live_bytes", m->live_alloc);
		jsonw_uint_field(w, "live_traced", m->t.live);
		jsonw_uint_field(w, "live_rounding", m->live_rounding);
		jsonw_uint_field(w, "live_metadata", m->live_meta);
		jsonw_uint_field(w, "live_unverifiable", m->live_unverifiable);
		jsonw_name(w, "unverifiable_sites");
		jsonw_start_array(w);
		for (j = 0; j < MEMBILL_UNV_SITES && m->unv_sites[j].count; j++) {
			ksyms__format(ks, m->unv_sites[j].call_site, sym, sizeof(sym));
			jsonw_start_object(w);
			jsonw_string_field(w, "site", sym);
			if (!ksyms__redact(ks))
				jsonw_hex_field(w, "addr", m->unv_sites[j].call_site);
			jsonw_uint_field(w, "count", m->unv_sites[j].count);
			jsonw_end_object(w);
		}
		jsonw_end_array(w);
		json_kernel(w, m);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
}
