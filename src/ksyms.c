// SPDX-License-Identifier: GPL-2.0
/*
 * ksyms.c - the kernel text symbol table, built from kallsyms-format text.
 *
 * Owns one array of entries sorted by address and one string pool holding
 * every name and module name; struct ksym pointers handed out point into
 * them and live until ksyms__free().  Aliases (several names at one
 * address) are all kept so that any of them can be looked up by name, but
 * address lookups always resolve to the same one: global before local,
 * then the first seen in the input.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "ksyms.h"
#include "redact.h"

/* Which alias an address resolves to: lowest rank, then input order. */
enum ksym_rank {
	RANK_GLOBAL,
	RANK_LOCAL,
	/* Section ends describe no code; never let them win a tie. */
	RANK_END_MARKER,
};

struct ksym_ent {
	struct ksym sym;
	/* Offsets are stable while the pool grows; pointers are set last. */
	size_t name_off;
	size_t mod_off;		/* 0 for vmlinux: the pool starts with NUL */
	unsigned char rank;
	bool global;
};

struct ksyms {
	struct ksym_ent *ents;
	size_t nr, cap;
	char *pool;
	size_t pool_len, pool_cap;
	/* kallsyms lists a module's symbols together: reuse its name. */
	size_t last_mod, last_mod_len;
	size_t nr_lines;	/* well-formed lines, any symbol type */
	bool nonzero_addr;
	bool hidden;
	bool redacting;		/* --redact: no address in what ksyms__format() writes */
	struct kms_redact redact;
};

struct kallsyms_line {
	unsigned long long addr;
	char type;
	const char *name, *mod;
	size_t name_len, mod_len;
};

/* The first capacity of the name pool (bytes) and of the symbol arrays. */
#define KSYMS_FIRST 4096

static int pool_add(struct ksyms *ks, const char *s, size_t len, size_t *off)
{
	int err;

	if (len >= SIZE_MAX - ks->pool_len)
		return -ENOMEM;
	err = kms_grow((void **)&ks->pool, &ks->pool_cap, ks->pool_len + len + 1, 1,
		       KSYMS_FIRST);
	if (err)
		return err;
	memcpy(ks->pool + ks->pool_len, s, len);
	ks->pool[ks->pool_len + len] = '\0';
	*off = ks->pool_len;
	ks->pool_len += len + 1;
	return 0;
}

static bool at_eol(const char *p)
{
	p += strspn(p, "\r\n");
	return *p == '\0';
}

/* "\t[module]" after the name; anything else there makes the line bad. */
static bool parse_module(const char *p, struct kallsyms_line *l)
{
	const char *close;

	l->mod = NULL;
	l->mod_len = 0;
	if (*p != '\t')
		return at_eol(p);
	if (p[1] != '[')
		return false;
	close = strchr(p + 2, ']');
	if (!close || close == p + 2)
		return false;
	l->mod = p + 2;
	l->mod_len = close - l->mod;
	return at_eol(close + 1);
}

/* "<hex addr> <type> <name>[\t[module]]" */
static bool parse_line(const char *line, struct kallsyms_line *l)
{
	const char *p;
	char *end;

	if (!isxdigit((unsigned char)line[0]))
		return false;
	errno = 0;
	l->addr = strtoull(line, &end, 16);
	if (errno || end[0] != ' ' || !isalpha((unsigned char)end[1]) ||
	    end[2] != ' ')
		return false;
	l->type = end[1];
	p = end + 3;
	l->name = p;
	l->name_len = strcspn(p, " \t\r\n");
	if (!l->name_len)
		return false;
	return parse_module(p + l->name_len, l);
}

static bool is_text_type(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

static bool is_end_marker(const char *name, size_t len)
{
	return (len == 6 && !memcmp(name, "_etext", 6)) ||
	       (len == 10 && !memcmp(name, "_einittext", 10));
}

static int intern_module(struct ksyms *ks, const struct kallsyms_line *l,
			 size_t *off)
{
	int err;

	*off = 0;
	if (!l->mod)
		return 0;
	if (ks->last_mod && ks->last_mod_len == l->mod_len &&
	    !memcmp(ks->pool + ks->last_mod, l->mod, l->mod_len)) {
		*off = ks->last_mod;
		return 0;
	}
	err = pool_add(ks, l->mod, l->mod_len, off);
	if (err)
		return err;
	ks->last_mod = *off;
	ks->last_mod_len = l->mod_len;
	return 0;
}

static int add_symbol(struct ksyms *ks, const struct kallsyms_line *l)
{
	struct ksym_ent *e;
	size_t name_off, mod_off;
	int err;

	err = kms_grow((void **)&ks->ents, &ks->cap, ks->nr + 1, sizeof(*e), KSYMS_FIRST);
	if (err)
		return err;
	err = pool_add(ks, l->name, l->name_len, &name_off);
	if (err)
		return err;
	err = intern_module(ks, l, &mod_off);
	if (err)
		return err;

	e = &ks->ents[ks->nr++];
	memset(e, 0, sizeof(*e));
	e->sym.addr = l->addr;
	e->name_off = name_off;
	e->mod_off = mod_off;
	e->global = isupper((unsigned char)l->type);
	if (is_end_marker(l->name, l->name_len))
		e->rank = RANK_END_MARKER;
	else
		e->rank = e->global ? RANK_GLOBAL : RANK_LOCAL;
	return 0;
}

static int parse_stream(struct ksyms *ks, FILE *f)
{
	struct kallsyms_line l;
	char *line = NULL;
	size_t cap = 0;
	int err = 0;

	for (;;) {
		errno = 0;
		if (getline(&line, &cap, f) < 0)
			break;
		if (!parse_line(line, &l))
			continue;
		ks->nr_lines++;
		if (l.addr)
			ks->nonzero_addr = true;
		if (!is_text_type(l.type))
			continue;
		err = add_symbol(ks, &l);
		if (err)
			goto out;
	}
	/* Short of EOF, getline failed (read error, or ENOMEM which does not
	 * set the error flag): a truncated table must not pass for whole. */
	if (ferror(f) || !feof(f))
		err = errno ? -errno : -EIO;
out:
	free(line);
	return err;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct ksym_ent *x = a, *y = b;

	if (x->sym.addr != y->sym.addr)
		return x->sym.addr < y->sym.addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	/* Names are pooled in input order: the first seen wins. */
	return x->name_off < y->name_off ? -1 : x->name_off > y->name_off;
}

static void finish(struct ksyms *ks)
{
	size_t i;

	if (ks->nr)
		qsort(ks->ents, ks->nr, sizeof(*ks->ents), ent_cmp);
	for (i = 0; i < ks->nr; i++) {
		struct ksym_ent *e = &ks->ents[i];

		e->sym.name = ks->pool + e->name_off;
		e->sym.module = e->mod_off ? ks->pool + e->mod_off : NULL;
	}
	ks->hidden = ks->nr_lines && !ks->nonzero_addr;
}

struct ksyms *ksyms__load(FILE *f)
{
	struct ksyms *ks;
	size_t off;
	int err;

	if (!f) {
		errno = EINVAL;
		return NULL;
	}
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return NULL;
	/* Offset 0 is the empty string, so mod_off 0 can mean "vmlinux". */
	err = pool_add(ks, "", 0, &off);
	if (err)
		goto err_free;
	err = parse_stream(ks, f);
	if (err)
		goto err_free;
	finish(ks);
	return ks;

err_free:
	ksyms__free(ks);
	errno = -err;
	return NULL;
}

/* A module's address range in a freshly read table (name by pool offset: the pool moves). */
struct mod_range {
	size_t mod_off;
	unsigned long long lo, hi;
};

/* The range of every module in ks (sorted, pointers set), or NULL on ENOMEM. */
static struct mod_range *module_ranges(const struct ksyms *ks, size_t *n)
{
	struct mod_range *r = NULL;
	size_t i, cap = 0;

	*n = 0;
	for (i = 0; i < ks->nr; i++) {
		const struct ksym_ent *e = &ks->ents[i];
		const struct ksym *k = &e->sym;
		size_t j;

		if (!e->mod_off)
			continue;
		for (j = 0; j < *n && strcmp(ks->pool + r[j].mod_off, k->module); j++)
			;
		if (j == *n) {
			if (kms_grow((void **)&r, &cap, *n + 1, sizeof(*r), KSYMS_FIRST)) {
				free(r);
				return NULL;
			}
			r[(*n)++] = (struct mod_range){ e->mod_off, k->addr, k->addr };
		}
		r[j].lo = r[j].lo < k->addr ? r[j].lo : k->addr;
		r[j].hi = r[j].hi > k->addr ? r[j].hi : k->addr;
	}
	return r ? r : calloc(1, sizeof(*r));
}

/* Does an old module symbol stay: its module is gone and nothing new covers it? */
static bool keeps_old(const struct ksyms *fresh, const struct ksym *k,
		      const struct mod_range *r, size_t n)
{
	size_t j;

	for (j = 0; j < n; j++)
		if (!strcmp(fresh->pool + r[j].mod_off, k->module) ||
		    (k->addr >= r[j].lo && k->addr <= r[j].hi))
			return false;
	return true;
}

static int carry_old_modules(struct ksyms *fresh, const struct ksyms *old)
{
	struct kallsyms_line l;
	struct mod_range *r;
	size_t i, n;
	int err = 0;

	r = module_ranges(fresh, &n);
	if (!r)
		return -ENOMEM;
	for (i = 0; !err && i < old->nr; i++) {
		const struct ksym_ent *e = &old->ents[i];

		if (!e->sym.module || !keeps_old(fresh, &e->sym, r, n))
			continue;
		l = (struct kallsyms_line){
			.addr = e->sym.addr, .type = e->global ? 'T' : 't',
			.name = e->sym.name, .name_len = strlen(e->sym.name),
			.mod = e->sym.module, .mod_len = strlen(e->sym.module),
		};
		err = add_symbol(fresh, &l);
	}
	free(r);
	return err;
}

int ksyms__refresh(struct ksyms *ks, FILE *f)
{
	struct ksyms *fresh, tmp;
	int err;

	if (!ks || !f)
		return -EINVAL;
	if (fseek(f, 0, SEEK_SET))
		return -errno;
	fresh = ksyms__load(f);
	if (!fresh)
		return -errno;
	err = fresh->hidden ? -EPERM : carry_old_modules(fresh, ks);
	if (err) {
		ksyms__free(fresh);
		return err;
	}
	finish(fresh);
	fresh->redacting = ks->redacting;
	fresh->redact = ks->redact;
	tmp = *ks;
	*ks = *fresh;
	*fresh = tmp;
	ksyms__free(fresh);
	return 0;
}

void ksyms__free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->ents);
	free(ks->pool);
	free(ks);
}

size_t ksyms__count(const struct ksyms *ks)
{
	return ks ? ks->nr : 0;
}

bool ksyms__addresses_hidden(const struct ksyms *ks)
{
	return ks && ks->hidden;
}

/* Index of the first entry whose address is above addr (or >= if !strict). */
static size_t bsearch_addr(const struct ksyms *ks, unsigned long long addr,
			   bool strict)
{
	size_t lo = 0, hi = ks->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned long long a = ks->ents[mid].sym.addr;

		if (a < addr || (strict && a == addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool same_module(const struct ksym *a, const struct ksym *b)
{
	if (!a->module || !b->module)
		return a->module == b->module;
	return !strcmp(a->module, b->module);
}

const struct ksym *ksyms__next(const struct ksyms *ks, const struct ksym *k)
{
	size_t next;

	if (!ks || !k)
		return NULL;
	next = bsearch_addr(ks, k->addr, true);
	return next < ks->nr ? &ks->ents[next].sym : NULL;
}

/* The next symbol, if it is in the same segment; across a segment
 * boundary the gap says nothing about the size of k. */
static const struct ksym *next_in_segment(const struct ksyms *ks,
					  const struct ksym *k)
{
	const struct ksym *next = ksyms__next(ks, k);

	return next && same_module(k, next) ? next : NULL;
}

const struct ksym *ksyms__find(const struct ksyms *ks, unsigned long long addr,
			       unsigned long long *offset)
{
	const struct ksym_ent *e;
	size_t above;

	if (!ks || ks->hidden)
		return NULL;
	above = bsearch_addr(ks, addr, true);
	if (!above)
		return NULL;
	/* The first of the aliases at that address is the preferred one. */
	e = &ks->ents[bsearch_addr(ks, ks->ents[above - 1].sym.addr, false)];
	if (e->rank == RANK_END_MARKER)
		return NULL;
	if (addr - e->sym.addr > KSYMS_MAX_TAIL &&
	    !next_in_segment(ks, &e->sym))
		return NULL;
	if (offset)
		*offset = addr - e->sym.addr;
	return &e->sym;
}

int ksyms__format(const struct ksyms *ks, unsigned long long addr, char *buf,
		  size_t len)
{
	const struct ksym *sym;
	unsigned long long off;
	int n;

	if (!buf && len)
		return -EINVAL;
	sym = ksyms__find(ks, addr, &off);
	if (!sym && ks && ks->redacting)
		n = snprintf(buf, len, "[unknown-%08x]",
			     (unsigned int)kms_redact__hash(&ks->redact, addr));
	else if (!sym)
		n = snprintf(buf, len, "0x%llx", addr);
	else if (sym->module)
		n = snprintf(buf, len, "%s+0x%llx [%s]", sym->name, off,
			     sym->module);
	else
		n = snprintf(buf, len, "%s+0x%llx", sym->name, off);
	if (n < 0)
		return errno ? -errno : -EIO;
	return n;
}

int ksyms__lookup_name(const struct ksyms *ks, const char *name,
		       unsigned long long *addr, unsigned long long *size)
{
	const struct ksym_ent *best = NULL;
	const struct ksym *next;
	size_t i;

	if (!ks || !name)
		return -EINVAL;
	if (ks->hidden)
		return -EPERM;
	/* Entries are in address order, so the first match is the lowest. */
	for (i = 0; i < ks->nr; i++) {
		const struct ksym_ent *e = &ks->ents[i];

		if (strcmp(e->sym.name, name))
			continue;
		if (!best || (e->global && !best->global))
			best = e;
		if (best->global)
			break;
	}
	if (!best)
		return -ENOENT;
	next = next_in_segment(ks, &best->sym);
	if (addr)
		*addr = best->sym.addr;
	if (size)
		*size = next ? next->addr - best->sym.addr : 0;
	return 0;
}

struct ksyms *ksyms__new(void)
{
	return calloc(1, sizeof(struct ksyms));
}

void ksyms__set_redact(struct ksyms *ks, const struct kms_redact *r)
{
	ks->redact = *r;
	ks->redacting = true;
}

const struct kms_redact *ksyms__redact(const struct ksyms *ks)
{
	return ks && ks->redacting ? &ks->redact : NULL;
}
