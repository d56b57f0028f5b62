// SPDX-License-Identifier: GPL-2.0
/* stacks.c - see stacks.h.  Owns the frames, indexed through an idmap. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/types.h>

#include "grow.h"
#include "idmap.h"
#include "kmscope_event.h"
#include "stacks.h"

struct stack {
	int32_t id;
	size_t n;
	uint64_t ips[KMS_STACK_DEPTH];
};

struct kms_stacks {
	struct idmap *ids;	/* stack id + 1 -> index */
	struct stack *v;
	size_t n, cap;
};

struct kms_stacks *kms_stacks__new(void)
{
	struct kms_stacks *st = calloc(1, sizeof(*st));

	if (st && !(st->ids = idmap__new())) {
		free(st);
		st = NULL;
	}
	return st;
}

void kms_stacks__free(struct kms_stacks *st)
{
	if (!st)
		return;
	idmap__free(st->ids);
	free(st->v);
	free(st);
}

int kms_stacks__add(struct kms_stacks *st, int32_t id, const uint64_t *ips, size_t n)
{
	struct stack *s;
	int err;

	if (id < 0 || idmap__get(st->ids, (uint64_t)id + 1) >= 0)
		return id < 0 ? -EINVAL : 0;
	err = kms_grow((void **)&st->v, &st->cap, st->n + 1, sizeof(*s), 64);
	if (err)
		return err;
	if (idmap__set(st->ids, (uint64_t)id + 1, st->n))
		return -ENOMEM;
	s = &st->v[st->n++];
	s->id = id;
	s->n = n > KMS_STACK_DEPTH ? KMS_STACK_DEPTH : n;
	memcpy(s->ips, ips, s->n * sizeof(*ips));
	return 0;
}

const uint64_t *kms_stacks__get(const struct kms_stacks *st, int32_t id, size_t *n)
{
	int64_t i = st && id >= 0 ? idmap__get(st->ids, (uint64_t)id + 1) : -1;

	if (i < 0)
		return NULL;
	*n = st->v[i].n;
	return st->v[i].ips;
}

size_t kms_stacks__count(const struct kms_stacks *st)
{
	return st ? st->n : 0;
}

int kms_stacks__write(const struct kms_stacks *st, FILE *f)
{
	size_t i, j;

	for (i = 0; st && i < st->n; i++) {
		fprintf(f, "%" PRId32, st->v[i].id);
		for (j = 0; j < st->v[i].n; j++)
			fprintf(f, " %" PRIx64, st->v[i].ips[j]);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

int kms_stacks__parse(struct kms_stacks *st, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	uint64_t ips[KMS_STACK_DEPTH];

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *le = nl ? nl : end;
		char line[KMS_STACK_DEPTH * 20 + 32], *q, *e;
		size_t n = 0;
		long id;

		if ((size_t)(le - p) < sizeof(line)) {
			memcpy(line, p, le - p);
			line[le - p] = 0;
			id = strtol(line, &q, 10);
			while (q != line && *q == ' ' && n < KMS_STACK_DEPTH) {
				ips[n] = strtoull(q + 1, &e, 16);
				if (e == q + 1)
					break;
				n++;
				q = e;
			}
			if (q != line && id >= 0 && id < (1L << 16) && kms_stacks__add(st, id, ips, n))
				return -ENOMEM;
		}
		p = le + 1;
	}
	return 0;
}

size_t kms_stacks__caller_start(const uint64_t *ips, size_t n, uint64_t call_site)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ips[i] == call_site)
			return i;
	return 0;
}

size_t kms_stacks__site_frames(const struct kms_stacks *st, int32_t stack, uint64_t call_site,
			       uint64_t *out, size_t max)
{
	size_t depth = 0, i, n = 0;
	const uint64_t *ips = stack >= 0 && st ? kms_stacks__get(st, stack, &depth) : NULL;

	if (!max)
		return 0;
	if (!ips || !depth) {
		out[0] = call_site;
		return 1;
	}
	for (i = kms_stacks__caller_start(ips, depth, call_site); i < depth && n < max; i++)
		out[n++] = ips[i];
	if (!n)
		out[n++] = call_site;
	return n;
}
