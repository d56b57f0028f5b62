// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_table.c - see alloc_table.h.  Owns one array of entries; a slot with
 * ptr == 0 is empty (no allocation returns NULL into the table).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_table.h"
#include "util.h"

static int table_alloc(struct alloc_table *t, size_t cap)
{
	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->cap = cap;
	return 0;
}

struct alloc_table *alloc_table__new(size_t initial, size_t max_entries)
{
	struct alloc_table *t = calloc(1, sizeof(*t));
	size_t cap = 1024;

	if (!t)
		return NULL;
	if (cap < initial * 4 / 3)
		cap = initial * 4 / 3 + 1;
	if (table_alloc(t, cap)) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	t->max_entries = max_entries;
	return t;
}

void alloc_table__free(struct alloc_table *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

/* The first empty slot of ptr's probe chain (ptr is not in the table). */
static size_t empty_slot(const struct alloc_table *t, uint64_t ptr)
{
	size_t i = alloc_table__home(t, ptr);

	while (t->slots[i].ptr)
		i = alloc_table__next_slot(t, i);
	return i;
}

static void place(struct alloc_table *t, const struct alloc_entry *e)
{
	t->slots[empty_slot(t, e->ptr)] = *e;
}

static int grow(struct alloc_table *t)
{
	struct alloc_entry *old = t->slots;
	size_t i, cap = t->cap;

	if (table_alloc(t, cap + cap / 2)) {
		t->slots = old;
		return -ENOMEM;
	}
	for (i = 0; i < cap; i++)
		if (old[i].ptr)
			place(t, &old[i]);
	free(old);
	return 0;
}

int alloc_table__slot_grow(struct alloc_table *t, uint64_t ptr, struct alloc_entry **slot)
{
	size_t i;

	if (t->max_entries && t->count >= t->max_entries)
		return -ENOSPC;
	if (alloc_table__over_load(t) && grow(t))
		return -ENOMEM;
	i = empty_slot(t, ptr);
	t->slots[i] = (struct alloc_entry){ .ptr = ptr };
	t->count++;
	*slot = &t->slots[i];
	return 0;
}

int alloc_table__insert(struct alloc_table *t, const struct alloc_entry *e,
			struct alloc_entry *old)
{
	struct alloc_entry *slot;
	int ret = alloc_table__slot(t, e->ptr, &slot);

	if (ret == 1)
		*old = *slot;
	if (ret >= 0)
		*slot = *e;
	return ret;
}

/* Backward-shift deletion keeps every probe chain unbroken. */
void alloc_table__delete(struct alloc_table *t, size_t i)
{
	size_t j = i, home;

	for (;;) {
		j = alloc_table__next_slot(t, j);
		if (!t->slots[j].ptr)
			break;
		home = alloc_table__home(t, t->slots[j].ptr);
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].ptr = 0;
}

size_t alloc_table__count(const struct alloc_table *t)
{
	return t->count;
}

size_t alloc_table__bytes(const struct alloc_table *t)
{
	return t->cap * sizeof(*t->slots) + sizeof(*t);
}

struct alloc_entry *alloc_table__next(struct alloc_table *t, size_t *pos)
{
	for (; *pos < t->cap; (*pos)++)
		if (t->slots[*pos].ptr)
			return &t->slots[(*pos)++];
	return NULL;
}
