// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_sizes.c - `kmscope sizes [SIZE] [--gfp FLAGS]`: this kernel's kmalloc
 * size classes with their caches' geometry, or where one request lands.
 * Reads /sys/kernel/slab (or a recording's snapshot with -i); needs no BPF.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "gfp.h"
#include "log.h"
#include "recfile.h"
#include "runinfo.h"
#include "sizes.h"
#include "slabsnap.h"
#include "slabsys.h"

struct sizes_args {
	const char *input;
	uint32_t gfp;
	long long size;		/* -1: the table */
};

enum { OPT_GFP = 1000 };

static const struct argp_option sizes_options[] = {
	{ "gfp", OPT_GFP, "FLAGS", 0,
	  "GFP flags of the request: names (GFP_KERNEL_ACCOUNT, GFP_ATOMIC|__GFP_ZERO) or hex "
	  "(default GFP_KERNEL)", 1 },
	{ "input", 'i', "FILE", 0, "The kernel of a recording instead of this one", 1 },
	{ 0 },
};

static error_t parse_sizes(int key, char *arg, struct argp_state *st)
{
	struct sizes_args *a = st->input;
	size_t pos = 0;
	char *end;

	switch (key) {
	case OPT_GFP:
		if (gfp_parse(arg, &a->gfp, &pos))
			argp_error(st, "--gfp '%s': cannot parse at offset %zu (names like "
				   "GFP_KERNEL|__GFP_ZERO, or hex)", arg, pos);
		break;
	case 'i':
		a->input = arg;
		break;
	case ARGP_KEY_ARG:
		if (a->size >= 0)
			argp_error(st, "one SIZE at most");
		errno = 0;
		a->size = strtoll(arg, &end, 0);
		if (errno || *end || end == arg || a->size <= 0 || a->size > 0xffffffffLL)
			argp_error(st, "SIZE '%s' must be a number of bytes, 1 to 4294967295", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child sizes_children[] = { { &output_argp, 0, NULL, 0 }, { 0 } };

static const struct argp sizes_argp = {
	sizes_options, parse_sizes, "[SIZE]",
	"The kmalloc size classes of this kernel, or where one request of SIZE bytes lands.\v"
	"Examples:\n"
	"  kmscope sizes                          every class of every kmalloc type\n"
	"  kmscope sizes 200                      kmalloc(200, GFP_KERNEL)\n"
	"  kmscope sizes 4097 --gfp GFP_KERNEL_ACCOUNT",
	sizes_children, NULL, NULL,
};

/*
 * The names and geometry of the recording's kernel: its sysfs snapshot.
 * On error, msg says what is wrong with the file.
 */
static int snapshot_from_recording(const char *path, char **text, size_t *len,
				   uint32_t *page_size, char *msg, size_t mlen)
{
	struct runinfo ri = { 0 };
	struct recfile_section_info sec;
	struct recfile_error rerr = { 0 };
	struct recfile_reader *r;
	FILE *f = fopen(path, "re");
	int err = -ENOENT, rc = 0;

	if (!f) {
		err = -errno;
		snprintf(msg, mlen, "cannot open '%s': %s", path, strerror(-err));
		return err;
	}
	r = recfile_reader__new(f, &rerr);
	if (!r) {
		fclose(f);
		snprintf(msg, mlen, "'%s' at offset %lld: %s", path, rerr.offset, rerr.msg);
		return -EINVAL;
	}
	while ((rc = recfile_reader__next_section(r, &sec, &rerr)) == 1) {
		if (sec.type == KMS_SEC_META)
			runinfo__parse(&ri, sec.data, sec.len);
		if (sec.type != KMS_SEC_SLABGEOM_END)
			continue;
		free(*text);
		*text = malloc(sec.len + 1);
		if (!*text) {
			err = -ENOMEM;
			break;
		}
		memcpy(*text, sec.data, sec.len);
		*len = sec.len;
		err = 0;
	}
	recfile_reader__free(r);
	fclose(f);
	if (ri.page_size)
		*page_size = ri.page_size;
	if (err == -ENOENT && rc < 0)
		snprintf(msg, mlen, "'%s' is damaged at offset %lld (%s) before its /sys/kernel/slab "
			 "snapshot", path, rerr.offset, rerr.msg);
	else if (err == -ENOENT)
		snprintf(msg, mlen, "'%s' holds no /sys/kernel/slab snapshot (recordings made by "
			 "import, or cut short, have none): run sizes on the traced machine", path);
	else if (err)
		snprintf(msg, mlen, "reading '%s': %s", path, strerror(-err));
	return err;
}

static int load_kernel(const struct sizes_args *a, struct kmalloc_params *kp,
		       struct slabsys **sys, char *msg, size_t mlen)
{
	uint32_t page_size = sysconf(_SC_PAGESIZE);
	const char **names;
	char *text = NULL;
	size_t len = 0, i, n;
	FILE *m;
	int err;

	if (a->input) {
		err = snapshot_from_recording(a->input, &text, &len, &page_size, msg, mlen);
	} else {
		m = open_memstream(&text, &len);
		err = m ? slabsnap__write("/sys/kernel/slab", m) : -errno;
		if (m)
			fclose(m);
		if (err)
			snprintf(msg, mlen, "cannot read the kmalloc caches of /sys/kernel/slab: %s",
				 strerror(-err));
	}
	if (!err) {
		err = slabsys__parse(text, len, sys);
		if (err)
			snprintf(msg, mlen, "cannot read the kmalloc caches of %s: %s",
				 a->input ? a->input : "/sys/kernel/slab", strerror(-err));
	}
	free(text);
	if (err)
		return err;
	n = slabsys__nr_caches(*sys) + slabsys__nr_aliases(*sys);
	names = calloc(n + 1, sizeof(*names));
	if (!names) {
		snprintf(msg, mlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < slabsys__nr_caches(*sys); i++)
		names[i] = slabsys__cache(*sys, i)->name;
	for (n = i, i = 0; i < slabsys__nr_aliases(*sys); i++)
		names[n++] = slabsys__alias(*sys, i)->name;
	err = kmalloc_params__from_caches(kp, page_size, names, n);
	free((void *)names);
	if (err)
		snprintf(msg, mlen, "no kmalloc size classes in the caches of %s: %s",
			 a->input ? a->input : "/sys/kernel/slab", strerror(-err));
	return err;
}

int cmd_sizes(int argc, char **argv)
{
	struct sizes_args a = { .gfp = 0xcc0, .size = -1 };
	struct kmalloc_params kp;
	struct slabsys *sys = NULL;
	char msg[512];
	int err;

	if (kms_argp_parse(&sizes_argp, argc, argv, 0, &a))
		return KMS_EXIT_USAGE;
	err = load_kernel(&a, &kp, &sys, msg, sizeof(msg));
	if (err) {
		p_err("%s", msg);
		slabsys__free(sys);
		return KMS_EXIT_ERROR;
	}
	if (a.size < 0)
		err = sizes__table(stdout, &kp, sys, gopts.json, gopts.pretty);
	else
		err = sizes__one(stdout, &kp, sys, a.size, a.gfp, gopts.json, gopts.pretty);
	slabsys__free(sys);
	if (err == -E2BIG) {
		p_err("%lld bytes is more than kmalloc can ever allocate (KMALLOC_MAX_SIZE %u)", a.size,
		      kmalloc_max_size(&kp));
		return KMS_EXIT_ERROR;
	}
	return err ? KMS_EXIT_ERROR : KMS_EXIT_OK;
}
