/* SPDX-License-Identifier: GPL-2.0 */
/*
 * import.h - turn kmem tracepoint text into a kmscope recording.
 *
 * Reads the text of the kmem:kmalloc, kmem:kfree, kmem:kmem_cache_alloc and
 * kmem:kmem_cache_free tracepoints (and the 5.15 *_node variants) as the
 * kernel's trace file prints it (`cat /sys/kernel/tracing/trace` or
 * trace_pipe, in the default format or with options/latency-format; the
 * irq-info column gives hardirq/softirq, IRQs or BH off and the preempt
 * depth) or as `perf script` prints a `perf record -e 'kmem:*'` run.
 * The format is detected per line; other events, headers and lines that do
 * not parse are skipped and counted.  The result is a recording that every
 * analysing command reads with -i.
 *
 * Call sites arrive as `func+0xoff[/0xsize] [module]`: each function gets a
 * pseudo base address (KMS_IMPORT_FUNC_BASE + n * KMS_IMPORT_FUNC_SPAN) and
 * a SYMBOLS line, so reports print the same `func+0xoff`.  Cache names get
 * pseudo cache ids.  Records are kept in memory until kms_import__write(),
 * since META (ncpus) needs the whole input: about 50 bytes per event.
 *
 * Pure: never prints, never exits, never opens a file.
 */
#ifndef KMS_IMPORT_H
#define KMS_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "recfile.h"

/* Pseudo addresses: below kernel text, canonical (bits 48-63 set). */
#define KMS_IMPORT_FUNC_BASE	0xfffffe0000000000ULL
#define KMS_IMPORT_FUNC_SPAN	0x100000ULL	/* largest offset + 1 */
#define KMS_IMPORT_MAX_FUNCS	(1u << 20)
#define KMS_IMPORT_CACHE_BASE	0xfffffd0000000000ULL
#define KMS_IMPORT_CACHE_STEP	0x40ULL
#define KMS_IMPORT_MAX_CACHES	(1u << 20)
/* Longer lines are skipped as unparsable. */
#define KMS_IMPORT_MAX_LINE	4096
/* The symbol that bounds the last pseudo function. */
#define KMS_IMPORT_END_SYM	"kms_import_end"

enum kms_import_format {
	KMS_IMPORT_FTRACE,	/* tracefs trace / trace_pipe */
	KMS_IMPORT_PERF,	/* perf script */
	KMS_IMPORT_NR_FORMATS,
};

enum kms_import_event {
	KMS_IMPORT_KMALLOC,
	KMS_IMPORT_KFREE,
	KMS_IMPORT_CACHE_ALLOC,
	KMS_IMPORT_CACHE_FREE,
	KMS_IMPORT_NR_EVENTS,
};

struct kms_import_opts {
	const char *kernel;	/* META kernel=; NULL: "imported" */
	uint32_t page_size;	/* META page_size=; 0: 4096 */
};

struct kms_import_stats {
	uint64_t lines;			/* every line fed */
	uint64_t comments;		/* blank and '#' header lines */
	/* kmem events converted (frees of NULL/ZERO_SIZE_PTR included) */
	uint64_t events[KMS_IMPORT_NR_EVENTS];
	uint64_t free_null;		/* frees of ptr <= 0x10: dropped, as BPF does */
	uint64_t other_events;		/* well-formed lines of other events: skipped */
	uint64_t bad;			/* lines that do not parse: skipped */
	uint64_t gfp_unknown;		/* gfp flag names gfp_parse() does not know: ignored */
	uint64_t by_format[KMS_IMPORT_NR_FORMATS];	/* converted lines per format */
	uint64_t records;		/* records of the recording */
	uint64_t t0_ns;			/* first event's timestamp */
	uint64_t t_last_ns;		/* largest timestamp */
	uint32_t ncpus;			/* largest CPU + 1 */
	uint32_t nr_funcs;
	uint32_t nr_caches;
	uint32_t nr_tasks;
	bool context;			/* a flags column gave irq context */
};

struct kms_import;

struct kms_import *kms_import__new(const struct kms_import_opts *opts);
void kms_import__free(struct kms_import *im);

/*
 * Feed one line of len bytes (a trailing "\n" or "\r\n" is ignored; it may
 * hold any bytes).  A line that is not a kmem event is counted in the stats
 * and skipped.  Returns 0, or -ENOMEM (the importer stays usable).
 */
int kms_import__line(struct kms_import *im, const char *line, size_t len);

/*
 * Write the whole recording: META, the EVENTS, SYMBOLS, COUNTERS and END
 * (recfile_writer__finish()).  Returns 0 or -errno.
 */
int kms_import__write(struct kms_import *im, struct recfile_writer *w);

const struct kms_import_stats *kms_import__stats(const struct kms_import *im);

/* "ftrace" or "perf": the format of most converted lines ("ftrace" if none). */
const char *kms_import__method(const struct kms_import *im);

#endif /* KMS_IMPORT_H */
