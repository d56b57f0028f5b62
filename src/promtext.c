// SPDX-License-Identifier: GPL-2.0
/* promtext.c - see promtext.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "promtext.h"

void promtext__family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# TYPE %s %s\n# HELP %s %s\n", name, type, name, help);
}

void promtext__label(FILE *f, const char *name, const char *v)
{
	fprintf(f, "%s=\"", name);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f), fputc(*v, f);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

/* "# TYPE name_total counter" and "# HELP name_total ..." lose the suffix. */
static void om_line(const char *line, size_t n, bool counter, FILE *out)
{
	const char *name = line + 7, *sp = memchr(name, ' ', n - 7);
	size_t nlen = sp ? (size_t)(sp - name) : n - 7;

	if (counter && nlen > 6 && !memcmp(name + nlen - 6, "_total", 6)) {
		fwrite(line, 1, 7 + nlen - 6, out);
		fwrite(name + nlen, 1, n - 7 - nlen, out);
		return;
	}
	fwrite(line, 1, n, out);
}

int promtext__to_openmetrics(const char *in, size_t len, FILE *out)
{
	const char *p = in, *end = in + len, *nl;
	bool counter = false;

	for (; p < end; p = nl + 1) {
		size_t n;

		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		n = nl - p;
		if (n > 7 && !memcmp(p, "# TYPE ", 7)) {
			counter = n > 8 && !memcmp(nl - 8, " counter", 8);
			om_line(p, n, counter, out);
		} else if (n > 7 && !memcmp(p, "# HELP ", 7)) {
			om_line(p, n, counter, out);
		} else {
			fwrite(p, 1, n, out);
		}
		fputc('\n', out);
	}
	fputs("# EOF\n", out);
	return ferror(out) ? -EIO : 0;
}
