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

struct alloc_table {
	struct alloc_entry *slots;
	size_t mask;		/* capacity - 1 */
	size_t count;
	size_t max_entries;
};

static size_t slot_of(const struct alloc_table *t, uint64_t ptr)
{
	return kms_hash64(ptr) >> 20 & t->mask;
}

static int table_alloc(struct alloc_table *t, size_t cap)
{
	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->mask = cap - 1;
	return 0;
}

struct alloc_table *alloc_table__new(size_t initial, size_t max_entries)
{
	struct alloc_table *t = calloc(1, sizeof(*t));
	size_t cap = 1024;

	if (!t)
		return NULL;
	while (cap < initial * 4 / 3)
		cap <<= 1;
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

static void place(struct alloc_table *t, const struct alloc_entry *e)
{
	size_t i = slot_of(t, e->ptr);

	while (t->slots[i].ptr)
		i = (i + 1) & t->mask;
	t->slots[i] = *e;
}

static int grow(struct alloc_table *t)
{
	struct alloc_entry *old = t->slots;
	size_t i, cap = t->mask + 1;

	if (table_alloc(t, cap * 2)) {
		t->slots = old;
		return -ENOMEM;
	}
	for (i = 0; i < cap; i++)
		if (old[i].ptr)
			place(t, &old[i]);
	free(old);
	return 0;
}

int alloc_table__insert(struct alloc_table *t, const struct alloc_entry *e,
			struct alloc_entry *old)
{
	size_t i = slot_of(t, e->ptr);

	for (; t->slots[i].ptr; i = (i + 1) & t->mask) {
		if (t->slots[i].ptr == e->ptr) {
			*old = t->slots[i];
			t->slots[i] = *e;
			return 1;
		}
	}
	if (t->max_entries && t->count >= t->max_entries)
		return -ENOSPC;
	if ((t->count + 1) * 4 > (t->mask + 1) * 3) {
		if (grow(t))
			return -ENOMEM;
		place(t, e);
	} else {
		t->slots[i] = *e;
	}
	t->count++;
	return 0;
}

struct alloc_entry *alloc_table__find(struct alloc_table *t, uint64_t ptr)
{
	size_t i = slot_of(t, ptr);

	for (; t->slots[i].ptr; i = (i + 1) & t->mask)
		if (t->slots[i].ptr == ptr)
			return &t->slots[i];
	return NULL;
}

/* Backward-shift deletion keeps every probe chain unbroken. */
static void delete_slot(struct alloc_table *t, size_t i)
{
	size_t j = i, home;

	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slots[j].ptr)
			break;
		home = slot_of(t, t->slots[j].ptr);
		/* Move j back to i unless its home lies cyclically in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i].ptr = 0;
}

bool alloc_table__remove(struct alloc_table *t, uint64_t ptr, struct alloc_entry *out)
{
	struct alloc_entry *e = alloc_table__find(t, ptr);

	if (!e)
		return false;
	*out = *e;
	delete_slot(t, e - t->slots);
	t->count--;
	return true;
}

size_t alloc_table__count(const struct alloc_table *t)
{
	return t->count;
}

size_t alloc_table__bytes(const struct alloc_table *t)
{
	return (t->mask + 1) * sizeof(*t->slots) + sizeof(*t);
}

struct alloc_entry *alloc_table__next(struct alloc_table *t, size_t *pos)
{
	for (; *pos <= t->mask; (*pos)++)
		if (t->slots[*pos].ptr)
			return &t->slots[(*pos)++];
	return NULL;
}
