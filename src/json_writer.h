/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_writer.h - a streaming JSON writer over a FILE *, bpftool style.
 *
 * Callers emit structure in order (start_object, name, value, ...) and the
 * writer adds commas, quoting, escaping and, in pretty mode, indentation.
 * Output is valid JSON for any input bytes: strings are escaped fully and
 * invalid UTF-8 becomes U+FFFD, non-finite floats become null.  In pretty
 * mode each top-level value ends with a newline; in compact mode none is
 * written after a value, but consecutive top-level values are separated
 * by one (JSON Lines).  Errors (misuse, write failures) are sticky and
 * reported by jsonw_error(); after one, further calls write nothing.
 */
#ifndef KMS_JSON_WRITER_H
#define KMS_JSON_WRITER_H

#include <stdbool.h>
#include <stdio.h>

/* Deeper nesting is a caller bug and sets -EOVERFLOW. */
#define JSONW_MAX_DEPTH		64

struct json_writer;

/* The FILE stays the caller's: jsonw_destroy() flushes but never closes. */
struct json_writer *jsonw_new(FILE *f);
void jsonw_destroy(struct json_writer **w);
/*
 * End a document: the newline compact output lacks, flush, destroy.
 * Returns the first error of the document (0 or -errno).
 */
int jsonw_close(struct json_writer **w);
/* Two-space indentation and a space after ':'; off by default. */
void jsonw_pretty(struct json_writer *w, bool on);
/* 0, or the first error as -errno: -EINVAL for a value without a name in
 * an object, a name outside one or a mismatched end; -EIO (or the stream's
 * errno) when writing failed.  Flushes first so that no failure hides in
 * the stdio buffer. */
int jsonw_error(struct json_writer *w);

void jsonw_start_object(struct json_writer *w);
void jsonw_end_object(struct json_writer *w);
void jsonw_start_array(struct json_writer *w);
void jsonw_end_array(struct json_writer *w);
/* The key of the next value; only inside an object. */
void jsonw_name(struct json_writer *w, const char *name);

/* A NULL string is written as null. */
void jsonw_string(struct json_writer *w, const char *val);
void jsonw_uint(struct json_writer *w, unsigned long long val);
void jsonw_int(struct json_writer *w, long long val);
/* %.6g; NaN and infinities are written as null. */
void jsonw_float(struct json_writer *w, double val);
void jsonw_bool(struct json_writer *w, bool val);
void jsonw_null(struct json_writer *w);
/* The number as a "0x..." string: addresses and flags stay readable and
 * survive parsers that hold numbers in doubles. */
void jsonw_hex(struct json_writer *w, unsigned long long val);

void jsonw_string_field(struct json_writer *w, const char *name,
			const char *val);
void jsonw_uint_field(struct json_writer *w, const char *name,
		      unsigned long long val);
void jsonw_int_field(struct json_writer *w, const char *name, long long val);
void jsonw_float_field(struct json_writer *w, const char *name, double val);
void jsonw_bool_field(struct json_writer *w, const char *name, bool val);
void jsonw_null_field(struct json_writer *w, const char *name);
void jsonw_hex_field(struct json_writer *w, const char *name,
		     unsigned long long val);

#endif /* KMS_JSON_WRITER_H */
