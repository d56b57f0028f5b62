/* SPDX-License-Identifier: GPL-2.0 */
/*
 * import_parse.h - the importer's text side: one line of kmem tracepoint
 * text (tracefs trace/trace_pipe, default or latency format, or `perf
 * script`) split and checked into a struct import_line.  It only reads
 * the line; import.c keeps the state and turns a parsed line into
 * records.  Internal to the importer.
 */
#ifndef KMS_IMPORT_PARSE_H
#define KMS_IMPORT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "import.h"

#define IMPORT_MAX_SYM_LEN	255
#define IMPORT_MAX_MOD_LEN	63

/* A piece of the line, not NUL-terminated; v is NULL when absent. */
struct import_field {
	const char *v;
	size_t len;
};

/*
 * What a kmem event line says, every field checked, before it touches any
 * state.  The pointers point into the parsed line.
 */
struct import_line {
	enum kms_import_format fmt;
	enum kms_import_event type;
	const char *comm;
	size_t comm_len;
	uint32_t pid, tgid;	/* tgid 0: the line does not say */
	uint32_t cpu;
	uint64_t ts;		/* ns */
	unsigned int ctx;	/* KMS_EVF_HARDIRQ/SOFTIRQ/PREEMPT_OFF/BH_OFF */
	bool has_flags;		/* an irq-info column was there */
	const char *ev;		/* the event's name, as printed */
	size_t ev_len;
	const char *fields;	/* its key=value text */
	uint64_t ptr;
	/*
	 * The call site: "func" or "func\t[module]" and the offset in it, or
	 * "" and the address itself when the line gives a bare address.
	 */
	char key[IMPORT_MAX_SYM_LEN + IMPORT_MAX_MOD_LEN + 8];
	uint64_t off;
	struct import_field name;	/* name=, the cache's */
	/* Allocations only; 0 for frees. */
	uint32_t req, alloc, gfp;
	uint64_t gfp_unknown;	/* gfp names gfp_parse() does not know, dropped */
};

enum import_verdict {
	IMPORT_LINE_EVENT,	/* a kmem event: the struct is filled */
	IMPORT_LINE_COMMENT,	/* blank, or a '#' header */
	IMPORT_LINE_OTHER,	/* a well-formed line of another event */
	IMPORT_LINE_BAD,	/* does not parse */
};

/* Parse one NUL-terminated line, without its newline, into *l. */
enum import_verdict import_parse_line(const char *s, struct import_line *l);

#endif /* KMS_IMPORT_PARSE_H */
