// SPDX-License-Identifier: GPL-2.0
/*
 * slabinfo.c - see slabinfo.h.  The format is mm/slab_common.c's
 * print_slabinfo_header() and cache_show(): name, active_objs, num_objs,
 * objsize, objperslab, pagesperslab, ": tunables" three zeros, ": slabdata"
 * active_slabs num_slabs sharedavail.  Input may be hostile (recordings):
 * every line is bounded and checked, a bad line is counted and skipped.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "slabinfo.h"

#define SLABINFO_HEADER "slabinfo - version: 2.1"

/*
 * Counts beyond 2^48 objects are not a real cache: refusing them keeps the
 * reconciliation's signed arithmetic far from overflow.  sscanf's %llu
 * would also take "-1" and wrap it, so signs are refused first.
 */
#define SLABINFO_MAX_COUNT (1ULL << 48)

static bool sane(unsigned long long v)
{
	return v <= SLABINFO_MAX_COUNT;
}

static int parse_line(const char *line, struct slabinfo_entry *e)
{
	unsigned long long act, num, size, per, pages, aslabs, nslabs;
	char name[64];
	int n;

	/* A sign in a number (names may have '-': look after the name only). */
	if (strchr(line + strcspn(line, " \t"), '-'))
		return -EINVAL;
	n = sscanf(line, "%63s %llu %llu %llu %llu %llu : tunables %*u %*u %*u : "
		   "slabdata %llu %llu", name, &act, &num, &size, &per, &pages, &aslabs, &nslabs);
	if (n != 8 || size > UINT32_MAX || per > UINT32_MAX || pages > UINT32_MAX ||
	    !sane(act) || !sane(num) || !sane(aslabs) || !sane(nslabs))
		return -EINVAL;
	memcpy(e->name, name, sizeof(e->name));
	e->active_objs = act;
	e->num_objs = num;
	e->objsize = size;
	e->objperslab = per;
	e->pagesperslab = pages;
	e->active_slabs = aslabs;
	e->num_slabs = nslabs;
	return 0;
}

int slabinfo__parse(const char *text, size_t len, struct slabinfo *out)
{
	const char *p = text, *end = text + len;
	size_t cap = 0;
	char line[512];

	memset(out, 0, sizeof(*out));
	/* Exactly version 2.1: the header line ends right after it. */
	if (len < strlen(SLABINFO_HEADER) || memcmp(text, SLABINFO_HEADER, strlen(SLABINFO_HEADER)) ||
	    (len > strlen(SLABINFO_HEADER) && text[strlen(SLABINFO_HEADER)] != '\n'))
		return -EINVAL;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t l = (nl ? nl : end) - p;

		if (l >= sizeof(line) || p[0] == '#' || p == text) {
			out->bad_lines += l >= sizeof(line);
			p += l + 1;
			continue;
		}
		memcpy(line, p, l);
		line[l] = 0;
		p += l + 1;
		if (!l)
			continue;
		if (kms_grow((void **)&out->e, &cap, out->n + 1, sizeof(*out->e), 256)) {
			slabinfo__free(out);
			return -ENOMEM;
		}
		if (parse_line(line, &out->e[out->n]))
			out->bad_lines++;
		else
			out->n++;
	}
	return 0;
}

void slabinfo__free(struct slabinfo *si)
{
	free(si->e);
	si->e = NULL;
	si->n = 0;
}

const struct slabinfo_entry *slabinfo__find(const struct slabinfo *si, const char *name)
{
	size_t i;

	for (i = 0; i < si->n; i++)
		if (!strcmp(si->e[i].name, name))
			return &si->e[i];
	return NULL;
}
