/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksyms.h - the kernel text symbol table, built from kallsyms-format text.
 *
 * Turns the raw addresses that BPF stack traces and call sites carry into
 * `name+0xoff [module]`, and finds the address range of named functions
 * (the allocator entry points).  The caller opens the source (normally
 * /proc/kallsyms) and passes the FILE *; this module never touches /proc.
 * The table is immutable once loaded, so lookups need no locking.
 */
#ifndef KMS_KSYMS_H
#define KMS_KSYMS_H

/* A symbolized address as ksyms__format() writes it: "function+0xoff [module]". */
#define KMS_SYM_LEN	192

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* How far past the last symbol of a segment (vmlinux or one module)
 * an address may lie and still be attributed to that symbol. */
#define KSYMS_MAX_TAIL		(1ULL << 20)

struct ksym {
	unsigned long long addr;
	const char *name;
	const char *module;	/* NULL for vmlinux */
};

struct ksyms;

/* Parse kallsyms lines, keeping text symbols (t T w W).  Malformed lines
 * are skipped.  Returns NULL with errno set on allocation or read errors;
 * input with no text symbols yields an empty table, not an error. */
struct ksyms *ksyms__load(FILE *f);
void ksyms__free(struct ksyms *ks);

/* Number of text symbols kept, aliases included. */
size_t ksyms__count(const struct ksyms *ks);

/* True when every address read was zero (kptr_restrict): the names are
 * there but no address can be resolved. */
bool ksyms__addresses_hidden(const struct ksyms *ks);

/* The symbol containing addr, and addr's offset into it; NULL when addr
 * is below the first symbol, past the end of kernel text (_etext or
 * _einittext), more than KSYMS_MAX_TAIL past the last symbol of its
 * segment, or when addresses are hidden.  offset may be NULL. */
const struct ksym *ksyms__find(const struct ksyms *ks, unsigned long long addr,
			       unsigned long long *offset);

/* The symbol starting at the next higher address after k (the alias an
 * address there resolves to), in any segment; NULL after the last.  k
 * need not come from this table: only its address is used.  Lets a caller
 * save a symbol together with the bound that ksyms__find() applies. */
const struct ksym *ksyms__next(const struct ksyms *ks, const struct ksym *k);

/* Write `name+0xoff`, `name+0xoff [module]`, or `0x<addr>` when unknown
 * (ks may be NULL).  Returns the snprintf-style length or -errno. */
int ksyms__format(const struct ksyms *ks, unsigned long long addr, char *buf,
		  size_t len);

/* Address of a named symbol and the distance to the next symbol (0 when
 * none follows in the same segment).  A global definition wins over local
 * ones of the same name, then the lowest address.  addr and size may be
 * NULL.  Returns 0, -ENOENT, -EPERM when addresses are hidden, or
 * -EINVAL. */
int ksyms__lookup_name(const struct ksyms *ks, const char *name,
		       unsigned long long *addr, unsigned long long *size);

/*
 * Modules come and go during a trace: re-read kallsyms-format text from f
 * and take the symbols of every module it lists.  Modules no longer listed
 * keep their symbols (events from while they were loaded still name them),
 * unless a listed module now covers their addresses.  vmlinux symbols are
 * taken from f too.  Returns 0, or -errno leaving ks unchanged (also
 * -EPERM when f hides addresses).  Pointers from earlier lookups are
 * invalid afterwards.
 */
int ksyms__refresh(struct ksyms *ks, FILE *f);

struct kms_redact;

/* An empty table (no symbols), e.g. to carry --redact without kallsyms. */
struct ksyms *ksyms__new(void);
/*
 * --redact: from now on ksyms__format() writes an address no symbol covers
 * as "[unknown-HASH]", and writers that print raw addresses ask
 * ksyms__redact() first (NULL: not redacting).
 */
void ksyms__set_redact(struct ksyms *ks, const struct kms_redact *r);
const struct kms_redact *ksyms__redact(const struct ksyms *ks);

#endif /* KMS_KSYMS_H */
