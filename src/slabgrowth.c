// SPDX-License-Identifier: GPL-2.0
/*
 * slabgrowth.c - see slabgrowth.h.  Caches are matched by name; a cache
 * created or destroyed during the trace has one side absent.  SLUB prints
 * 0 slabs for every cache when CONFIG_SLUB_DEBUG is off: such a table
 * tells nothing, and is refused rather than shown as "no growth".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "slabgrowth.h"
#include "slabinfo.h"
#include "slabsys.h"

static void side_of(struct slabgrowth_side *s, const struct slabinfo_entry *e,
		    uint32_t page_size)
{
	if (!e || e->active_objs > e->num_objs)
		return;
	s->present = true;
	s->slabs = e->num_slabs;
	s->pages = e->num_slabs * e->pagesperslab;
	s->slab_bytes = s->pages * page_size;
	s->objects = e->active_objs;
	s->total_objects = e->num_objs;
	s->free_bytes = (e->num_objs - e->active_objs) * e->objsize;
}

int64_t slabgrowth_row__delta(const struct slabgrowth_row *r)
{
	return (int64_t)r->end.slab_bytes - (int64_t)r->start.slab_bytes;
}

static int row_cmp(const void *a, const void *b)
{
	const struct slabgrowth_row *x = a, *y = b;
	int64_t dx = slabgrowth_row__delta(x), dy = slabgrowth_row__delta(y);
	uint64_t ax = dx < 0 ? -(uint64_t)dx : (uint64_t)dx;
	uint64_t ay = dy < 0 ? -(uint64_t)dy : (uint64_t)dy;

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(x->name, y->name);
}

static unsigned int order_of(uint32_t pages)
{
	unsigned int o = 0;

	while (pages > 1u << o)
		o++;
	return o;
}

/* The row of cache e, found (or not) in other; none when its slabs did not change. */
static int add_row(struct slabgrowth *g, size_t *cap, const struct slabinfo_entry *e,
		   const struct slabinfo *other, bool is_end, const struct slabsys *names,
		   uint32_t page_size)
{
	const struct slabinfo_entry *o = slabinfo__find(other, e->name);
	struct slabgrowth_row r = { .order = order_of(e->pagesperslab) };

	side_of(is_end ? &r.end : &r.start, e, page_size);
	side_of(is_end ? &r.start : &r.end, o, page_size);
	if (!r.start.present && !r.end.present)
		return 0;
	if (r.start.present && r.end.present) {
		g->slab_bytes_start += r.start.slab_bytes;
		g->slab_bytes_end += r.end.slab_bytes;
		g->free_bytes_start += r.start.free_bytes;
		g->free_bytes_end += r.end.free_bytes;
		if (r.start.slabs == r.end.slabs) {
			g->nr_same++;
			return 0;
		}
	}
	snprintf(r.name, sizeof(r.name), "%s", e->name);
	r.nr_names = 1 + (names ? slabsys__aliases_of(names, e->name, NULL, 0) : 0);
	if (kms_grow((void **)&g->rows, cap, g->nr_rows + 1, sizeof(r), 64))
		return -ENOMEM;
	g->rows[g->nr_rows++] = r;
	return 0;
}

int slabgrowth__compute(const struct slabinfo *start, const struct slabinfo *end,
			const struct slabsys *names, uint32_t page_size, struct slabgrowth *out)
{
	size_t i, cap = 0;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!start || !end || !page_size)
		return -EINVAL;
	for (i = 0; !err && i < end->n; i++)
		err = add_row(out, &cap, &end->e[i], start, true, names, page_size);
	/* Caches destroyed during the trace: only in the start snapshot. */
	for (i = 0; !err && i < start->n; i++)
		if (!slabinfo__find(end, start->e[i].name))
			err = add_row(out, &cap, &start->e[i], end, false, names, page_size);
	if (!err && !out->slab_bytes_start && !out->slab_bytes_end)
		err = -EINVAL;
	if (err) {
		slabgrowth__free(out);
		return err;
	}
	if (out->nr_rows)
		qsort(out->rows, out->nr_rows, sizeof(*out->rows), row_cmp);
	return 0;
}

void slabgrowth__free(struct slabgrowth *g)
{
	free(g->rows);
	memset(g, 0, sizeof(*g));
}
