// SPDX-License-Identifier: GPL-2.0
/* idmap.c - see idmap.h: making, growing and freeing the map. */
#include <errno.h>
#include <stdlib.h>

#include "idmap.h"
#include "util.h"

struct idmap *idmap__new(void)
{
	struct idmap *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->slots = calloc(256, sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	m->mask = 255;
	return m;
}

void idmap__free(struct idmap *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m);
}

static int grow(struct idmap *m)
{
	struct idmap_slot *old = m->slots;
	size_t i, cap = m->mask + 1;

	m->slots = calloc(cap * 2, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old;
		return -ENOMEM;
	}
	m->mask = cap * 2 - 1;
	for (i = 0; i < cap; i++)
		if (old[i].key)
			*idmap__lookup(m, old[i].key) = old[i];
	free(old);
	return 0;
}

int idmap__set(struct idmap *m, uint64_t key, uint32_t id)
{
	struct idmap_slot *s;

	if (!key)
		return -EINVAL;
	if ((m->count + 1) * 2 > m->mask + 1 && grow(m))
		return -ENOMEM;
	s = idmap__lookup(m, key);
	if (!s->key) {
		s->key = key;
		m->count++;
	}
	s->id = id;
	return 0;
}
