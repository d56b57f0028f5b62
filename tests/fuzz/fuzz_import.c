// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_import.c - ftrace and perf script text from anywhere: every line
 * through the importer, the recording written and read back whole.
 */
#include "fuzz.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "recfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kms_import *im = kms_import__new(&(struct kms_import_opts){ 0 });
	struct recfile_section_info sec;
	struct recfile_reader *r;
	struct recfile_writer *w;
	const char *p = (const char *)data, *end = p + size, *nl;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!im)
		return 0;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		kms_import__line(im, p, nl - p);
	}
	f = open_memstream(&buf, &len);
	w = f ? recfile_writer__new(f) : NULL;
	if (w && !kms_import__write(im, w)) {
		fflush(f);
		FILE *in = fmemopen(buf, len ? len : 1, "r");

		r = in ? recfile_reader__new(in, NULL) : NULL;
		while (r && recfile_reader__next_section(r, &sec, NULL) == 1)
			;
		if (r && !recfile_reader__complete(r))
			abort();	/* a recording we wrote must read back whole */
		recfile_reader__free(r);
		if (in)
			fclose(in);
	}
	recfile_writer__free(w);
	if (f)
		fclose(f);
	free(buf);
	kms_import__free(im);
	return 0;
}
