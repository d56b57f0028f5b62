/* SPDX-License-Identifier: GPL-2.0 */
/*
 * recfile.h - the kmscope recording ("kmscope.data"): writer and reader.
 *
 * A recording is a file header followed by checksummed sections; the byte
 * layout is specified in docs/record-format.md.  This module owns that
 * layout and nothing else: it stores what callers give it (text snapshots,
 * raw ring-buffer records) and hands the same bytes back, never looking
 * inside a record.  It does not open, close, or print anything; callers
 * own the FILE and turn the errors (-errno plus struct recfile_error) into
 * messages.
 */
#ifndef KMS_RECFILE_H
#define KMS_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct kms_event;

#define RECFILE_MAGIC		"KMSCOPE"	/* 8 bytes with its NUL */
#define RECFILE_MAGIC_LEN	8
/*
 * Version 2: section checksums are CRC-32C, and events are written as
 * EVENTS_PACKED sections.  Version 1 files (zlib's CRC-32, EVENTS only)
 * are still read.
 */
#define RECFILE_VERSION		2
#define RECFILE_VERSION_MIN	1
#define RECFILE_BOM		0x01020304u
#define RECFILE_HDR_SIZE	24
#define RECFILE_SEC_HDR_SIZE	24
#define RECFILE_EV_HDR_SIZE	8

/* Payload bytes the writer gathers before it writes an EVENTS section. */
#define RECFILE_CHUNK_SIZE	(1u << 18)
/* The largest record add_record() takes: one alone fills a chunk. */
#define RECFILE_MAX_RECORD	(RECFILE_CHUNK_SIZE - RECFILE_EV_HDR_SIZE)
/*
 * Neither side handles a section larger than this, so a damaged or hostile
 * length field cannot make the reader allocate without bound.
 */
#define RECFILE_MAX_SECTION	(256u << 20)

/* Section types; the values are part of the file format. */
enum recfile_section {
	KMS_SEC_META		= 1,	/* key=value lines */
	KMS_SEC_SLABINFO_START	= 2,	/* /proc/slabinfo text at start */
	KMS_SEC_SLABINFO_END	= 3,	/* ... and at stop */
	KMS_SEC_SLABGEOM_START	= 4,	/* /sys/kernel/slab snapshot text */
	KMS_SEC_SLABGEOM_END	= 5,
	KMS_SEC_EVENTS		= 6,	/* a chunk of ring-buffer records */
	KMS_SEC_SYMBOLS		= 7,	/* "addr type name [module]" lines */
	KMS_SEC_COUNTERS	= 8,	/* key=value lines */
	KMS_SEC_END		= 9,	/* empty; last of a whole recording */
	KMS_SEC_STACKS		= 10,	/* -g: "id ip ip ..." lines, hex ips */
	KMS_SEC_CGROUPS		= 11,	/* "id path" lines: the cgroups met */
	/*
	 * EVENTS in the dense form of evpack.h (version 2).  The reader
	 * hands them out unpacked, as an EVENTS section.
	 */
	KMS_SEC_EVENTS_PACKED	= 12,
};

/* Where a recording is damaged and how; msg is one line, no newline. */
struct recfile_error {
	long long offset;
	char msg[160];
};

/*
 * What the reader skipped to get past damage: after a damaged section it
 * scans on for the next section header that validates, payload checksum
 * included, and goes on from there (docs/record-format.md, "Damage and
 * resynchronisation").  Each skip counts once in `sections`.
 */
struct recfile_damage {
	uint64_t sections;	/* damaged stretches skipped (usually one section each) */
	uint64_t bytes;		/* bytes in them */
	uint64_t records;	/* EVENTS records in those whose framing could be read */
	uint64_t uncounted;	/* stretches whose records could not be counted */
	struct recfile_error first;	/* where the first damage starts, and why */
};

struct recfile_section_info {
	/* An enum recfile_section value, or a type this build does not know. */
	unsigned int type;
	/* File offset of the section header; the payload is 24 bytes on. */
	long long offset;
	/* Payload, 16-byte aligned, followed by a NUL not counted in len. */
	const void *data;
	size_t len;
	/* Its bytes in the file (an EVENTS_PACKED section's, unpacked to len). */
	size_t stored_len;
};

struct recfile_writer;
struct recfile_reader;

/* "META", "EVENTS", ...; NULL for a type this build does not know. */
const char *recfile_section_str(unsigned int type);

/*
 * Writer.  Every function returns 0 or -errno; after the first write error
 * every later call returns that same error, since the file then ends in a
 * partial section.  Callers must not write to f themselves in between.
 */
struct recfile_writer *recfile_writer__new(FILE *f);
int recfile_writer__add_section(struct recfile_writer *w,
				enum recfile_section type, const void *data,
				size_t len);
int recfile_writer__add_record(struct recfile_writer *w, const void *rec,
			       size_t len);
/*
 * The same for a record the caller has decoded (ev: kms_decode()'s event
 * for it, NULL when that failed): it is packed at once, without a second
 * decode.  Both calls write the same bytes.
 */
int recfile_writer__add_event(struct recfile_writer *w, const void *rec, size_t len,
			      const struct kms_event *ev);
int recfile_writer__flush(struct recfile_writer *w);
int recfile_writer__finish(struct recfile_writer *w);
void recfile_writer__free(struct recfile_writer *w);
/* Bytes handed to f so far: the file size once f is flushed. */
uint64_t recfile_writer__bytes_written(const struct recfile_writer *w);
/* Records accepted, including those still buffered for the next chunk. */
uint64_t recfile_writer__records_written(const struct recfile_writer *w);

/*
 * Reader.  Errors are -EINVAL (not a recording), -EOPNOTSUPP (format
 * version or byte order this build cannot read), -ENODATA (file cut
 * short), -EBADMSG (damaged: checksum, header fields, event framing),
 * -EFBIG (section over RECFILE_MAX_SECTION), -ENOMEM, or a read error.
 * err may be NULL.  Once next_section() has returned 0 or an error it
 * returns the same again.  A damaged section is not an error when a valid
 * section follows it: next_section() skips to that one, and damage() says
 * what was skipped.  -EBADMSG and -EFBIG mean no valid section followed
 * (they too are counted in damage()); -ENODATA, that the file ends inside
 * a section.  The reader never seeks: it reads pipes too.
 */
struct recfile_reader *recfile_reader__new(FILE *f, struct recfile_error *err);
int recfile_reader__next_section(struct recfile_reader *r,
				 struct recfile_section_info *sec,
				 struct recfile_error *err);
/*
 * keep: hand EVENTS_PACKED sections out as they are (evunpack__event()
 * reads them fastest) rather than unpacked into an EVENTS section.  A
 * packed payload is checksummed, not walked: a malformed record is the
 * caller's to find.
 */
void recfile_reader__keep_packed(struct recfile_reader *r, bool keep);
/* True once the END section was read: the recording was not cut short. */
bool recfile_reader__complete(const struct recfile_reader *r);
/* What was skipped so far; all zero for an undamaged recording. */
const struct recfile_damage *recfile_reader__damage(const struct recfile_reader *r);
/*
 * The caller could not parse section sec, though its checksum held (err:
 * why): it counts in the damage like a damaged one, with `lost` of its
 * records not read (negative: not known).
 */
void recfile_reader__malformed(struct recfile_reader *r, const struct recfile_section_info *sec,
			       int err, int64_t lost);
/* KMS_ABI_VERSION of the writer; the decoder decides what it accepts. */
uint32_t recfile_reader__abi_version(const struct recfile_reader *r);
void recfile_reader__free(struct recfile_reader *r);

/*
 * Walk the records of an EVENTS payload: start with *pos = 0; returns 1
 * with *rec (8-byte aligned if data is) and *rec_len, 0 at the end, or
 * -EINVAL if the entry at *pos is malformed, leaving *pos on it.  Payloads
 * from the reader were already checked, so only hand-made ones fail.
 */
int recfile_events__next(const void *data, size_t len, size_t *pos,
			 const void **rec, size_t *rec_len);

#endif /* KMS_RECFILE_H */
