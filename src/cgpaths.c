// SPDX-License-Identifier: GPL-2.0
/*
 * cgpaths.c - see cgpaths.h.  A sorted array: a trace meets tens to a few
 * thousand cgroups, and lookups happen only when a report is written.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cgpaths.h"
#include "collect.h"
#include "grow.h"

struct cgpath {
	uint64_t id;
	char *path;
};

struct cgpaths {
	struct cgpath *v;
	size_t n, cap;
};

struct cgpaths *cgpaths__new(void)
{
	return calloc(1, sizeof(struct cgpaths));
}

void cgpaths__free(struct cgpaths *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	free(p);
}

/* The index of id, or where it would go. */
static size_t find(const struct cgpaths *p, uint64_t id)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int cgpaths__add(struct cgpaths *p, uint64_t id, const char *path)
{
	size_t i = find(p, id);
	char *copy;

	/* One path per line in a recording: no newline may enter one. */
	if (!*path || strchr(path, '\n'))
		return -EINVAL;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	if (i < p->n && p->v[i].id == id) {
		free(p->v[i].path);
		p->v[i].path = copy;
		return 0;
	}
	if (kms_grow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v), 16)) {
		free(copy);
		return -ENOMEM;
	}
	memmove(&p->v[i + 1], &p->v[i], (p->n - i) * sizeof(*p->v));
	p->v[i] = (struct cgpath){ .id = id, .path = copy };
	p->n++;
	return 0;
}

const char *cgpaths__get(const struct cgpaths *p, uint64_t id)
{
	size_t i;

	if (!p)
		return NULL;
	i = find(p, id);
	return i < p->n && p->v[i].id == id ? p->v[i].path : NULL;
}

size_t cgpaths__count(const struct cgpaths *p)
{
	return p ? p->n : 0;
}

const char *cgpaths__nth(const struct cgpaths *p, size_t i, uint64_t *id)
{
	*id = p->v[i].id;
	return p->v[i].path;
}

int cgpaths__write(const struct cgpaths *p, FILE *f)
{
	size_t i;

	for (i = 0; p && i < p->n; i++)
		if (fprintf(f, "%" PRIu64 " %s\n", p->v[i].id, p->v[i].path) < 0)
			return -EIO;
	return 0;
}

int cgpaths__parse(struct cgpaths *p, const char *text, size_t len)
{
	const char *end = text + len, *line, *nl;
	int ret = 0, err;

	for (line = text; line < end; line = nl + 1) {
		char path[4096], *stop;
		unsigned long long id;
		size_t n;

		nl = memchr(line, '\n', end - line);
		if (!nl)
			nl = end;
		errno = 0;
		id = strtoull(line, &stop, 10);
		/* strtoull() takes "-1" too: an id is digits only. */
		if (errno || stop == line || *line < '0' || *line > '9' || stop >= nl || *stop != ' ' ||
		    (n = nl - stop - 1) == 0 || n >= sizeof(path)) {
			ret = -EINVAL;
			continue;
		}
		memcpy(path, stop + 1, n);
		path[n] = 0;
		err = cgpaths__add(p, id, path);
		if (err == -ENOMEM)
			return err;
		if (err)
			ret = err;
	}
	return ret;
}

const char *cgpaths__label(const struct cgpaths *p, uint64_t id, char *buf, size_t len)
{
	const char *path;

	switch (id) {
	case KMS_CGROUP_IRQ:
		return "(interrupts)";
	case KMS_CGROUP_OTHER:
		return "(other cgroups)";
	case KMS_CGROUP_UNKNOWN:
		return "(unknown)";
	}
	path = cgpaths__get(p, id);
	if (path)
		return path;
	snprintf(buf, len, "cgroup id %" PRIu64, id);
	return buf;
}
