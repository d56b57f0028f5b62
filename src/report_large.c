// SPDX-License-Identifier: GPL-2.0
/*
 * report_large.c - see report_large.h.  Counted, not estimated: every
 * large kmalloc event gives its request and the page-allocator block it
 * got (bytes_alloc = PAGE_SIZE << order, mm/slub.c ___kmalloc_large_node()),
 * so the rounding is exact per allocation.  Rows: most rounding first,
 * then the call site, so that a replay prints the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "collect.h"
#include "json_writer.h"
#include "ksyms.h"
#include "report_large.h"
#include "units.h"

#define ORDERS_LEN	48

static int large_cmp(const void *a, const void *b)
{
	const struct kms_site *x = *(const struct kms_site *const *)a;
	const struct kms_site *y = *(const struct kms_site *const *)b;
	uint64_t rx = x->large_bytes - x->large_req, ry = y->large_bytes - y->large_req;

	if (rx != ry)
		return rx > ry ? -1 : 1;
	if (x->call_site != y->call_site)
		return x->call_site < y->call_site ? -1 : 1;
	return x->stack < y->stack ? -1 : x->stack > y->stack;
}

/* The sites with a large kmalloc, in report order (free() it); NULL: none or -ENOMEM. */
static const struct kms_site **large_rows(const struct collector *c, size_t *n, int *err)
{
	size_t i, nr = collector__nr_sites(c);
	const struct kms_site **rows = calloc(nr ? nr : 1, sizeof(*rows));

	*n = 0;
	*err = rows ? 0 : -ENOMEM;
	for (i = 0; rows && i < nr; i++) {
		const struct kms_site *s = collector__site(c, i);

		if (s->large_allocs)
			rows[(*n)++] = s;
	}
	if (rows)
		qsort(rows, *n, sizeof(*rows), large_cmp);
	return rows;
}

/* "2", "1,3": the orders a site's blocks had. */
static const char *orders(uint32_t mask, char *buf, size_t len)
{
	size_t n = 0;
	int o;

	buf[0] = 0;
	for (o = 0; o < 32 && n + 4 < len; o++)
		if (mask & (1u << o))
			n += snprintf(buf + n, len - n, "%s%d", n ? "," : "", o);
	return buf;
}

int report_large_text(FILE *f, const struct collector *c, const struct ksyms *ks,
		      unsigned int top)
{
	char sym[KMS_SYM_LEN], ord[ORDERS_LEN], req[32], alloc[32], rnd[32];
	size_t i, n, shown;
	const struct kms_site **rows;
	int err;

	rows = large_rows(c, &n, &err);
	if (err || !n) {
		free(rows);
		return err;
	}
	shown = top && top < n ? top : n;
	fprintf(f, "\nLARGE KMALLOC: above KMALLOC_MAX_CACHE_SIZE, whole pages from the page "
		   "allocator, by call site\n%-40s %8s %7s %11s %11s %11s %6s\n", "CALL SITE",
		"ALLOCS", "ORDERS", "REQUESTED", "ALLOCATED", "ROUNDING", "WASTE");
	for (i = 0; i < shown; i++) {
		const struct kms_site *s = rows[i];
		uint64_t r = s->large_bytes - s->large_req;

		ksyms__format(ks, s->call_site, sym, sizeof(sym));
		fprintf(f, "%-40s %8" PRIu64 " %7s %11s %11s %11s %5.1f%%\n", sym, s->large_allocs,
			orders(s->large_orders, ord, sizeof(ord)),
			kms_human_bytes(s->large_req, req, sizeof(req)),
			kms_human_bytes(s->large_bytes, alloc, sizeof(alloc)),
			kms_human_bytes(r, rnd, sizeof(rnd)),
			s->large_bytes ? 100.0 * r / s->large_bytes : 0.0);
	}
	if (shown < n)
		fprintf(f, "... %zu more (-n 0 shows all)\n", n - shown);
	free(rows);
	return ferror(f) ? -EIO : 0;
}

void report_large_json(struct json_writer *w, const struct collector *c,
		       const struct ksyms *ks, unsigned int top)
{
	char sym[KMS_SYM_LEN];
	size_t i, n;
	const struct kms_site **rows;
	int err, o;

	rows = large_rows(c, &n, &err);
	jsonw_name(w, "large_kmallocs");
	jsonw_start_array(w);
	for (i = 0; !err && i < n && (!top || i < top); i++) {
		const struct kms_site *s = rows[i];

		jsonw_start_object(w);
		ksyms__format(ks, s->call_site, sym, sizeof(sym));
		jsonw_string_field(w, "site", sym);
		if (!ksyms__redact(ks))
			jsonw_hex_field(w, "addr", s->call_site);
		jsonw_uint_field(w, "allocs", s->large_allocs);
		jsonw_name(w, "orders");
		jsonw_start_array(w);
		for (o = 0; o < 32; o++)
			if (s->large_orders & (1u << o))
				jsonw_uint(w, o);
		jsonw_end_array(w);
		jsonw_uint_field(w, "bytes_req", s->large_req);
		jsonw_uint_field(w, "bytes_alloc", s->large_bytes);
		jsonw_uint_field(w, "rounding", s->large_bytes - s->large_req);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	free(rows);
}
