/* SPDX-License-Identifier: GPL-2.0 */
/*
 * promtext.h - the pieces of the Prometheus text and OpenMetrics formats
 * every exporter of kmscope writes: a family's TYPE and HELP lines, and a
 * label with its value escaped.  `stat --openmetrics` and `serve` both
 * use them.  Pure: writes to a FILE *.
 */
#ifndef KMS_PROMTEXT_H
#define KMS_PROMTEXT_H

#include <stddef.h>
#include <stdio.h>

/* "# TYPE name type" and "# HELP name help" (type: "gauge", "counter"). */
void promtext__family(FILE *f, const char *name, const char *type, const char *help);
/*
 * name="value", the value's backslash, double quote and newline escaped
 * (both formats' rule); a symbol never holds them, a cache name might.
 */
void promtext__label(FILE *f, const char *name, const char *value);

/*
 * The Prometheus text in[0..len) as OpenMetrics: a counter family is
 * named without its _total suffix (its samples keep it), and the text ends
 * with "# EOF".  0 or -EIO.
 */
int promtext__to_openmetrics(const char *in, size_t len, FILE *out);

#endif /* KMS_PROMTEXT_H */
