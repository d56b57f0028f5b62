// SPDX-License-Identifier: GPL-2.0
/* slabsnap.c - see slabsnap.h.  Reads only; owns nothing between calls. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grow.h"
#include "slabsnap.h"
#include "util.h"

/* The static geometry and the counters a reconciliation needs. */
static const char *const slab_attrs[] = {
	/* geometry inputs and results */
	"object_size", "slab_size", "objs_per_slab", "order", "align", "aliases",
	"ctor", "destroy_by_rcu", "hwcache_align", "usersize", "reclaim_account",
	"cache_dma", "red_zone", "poison", "store_user", "sanity_checks", "trace",
	"cpu_partial", "min_partial", "sheaf_capacity",
	/* counters */
	"objects", "objects_partial", "total_objects", "slabs", "partial", "cpu_slabs",
	"slabs_cpu_partial",
};

static int read_small(int dirfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	/* Only the first token: counters like `objects` append per-node lists. */
	buf[strcspn(buf, " \n")] = 0;
	return 0;
}

static void write_cache(int rootfd, const char *name, FILE *f)
{
	int dfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char val[64];
	size_t i;

	if (dfd < 0)
		return;
	fprintf(f, "cache %s", name);
	for (i = 0; i < ARRAY_SIZE(slab_attrs); i++)
		if (!read_small(dfd, slab_attrs[i], val, sizeof(val)))
			fprintf(f, " %s=%s", slab_attrs[i], val);
	fputc('\n', f);
	close(dfd);
}

static int walk(const char *root, FILE *f, bool attrs)
{
	DIR *d = opendir(root);
	struct dirent *de;
	char target[PATH_MAX];

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = 0;
			fprintf(f, "alias %s %s\n", de->d_name,
				strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
			continue;
		}
		if (attrs)
			write_cache(dirfd(d), de->d_name, f);
		else
			fprintf(f, "cache %s\n", de->d_name);
	}
	closedir(d);
	return ferror(f) ? -EIO : 0;
}

int slabsnap__write(const char *root, FILE *f)
{
	return walk(root, f, true);
}

int slabsnap__write_names(const char *root, FILE *f)
{
	return walk(root, f, false);
}

int slurp_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0, n = 0, got;
	char *p = NULL;
	int err;

	if (!f)
		return -errno;
	do {
		err = kms_grow((void **)&p, &cap, n + 1, 1, 65536);
		if (err) {
			free(p);
			fclose(f);
			return err;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
	} while (got && !feof(f) && !ferror(f));
	if (ferror(f)) {
		free(p);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*buf = p;
	*len = n;
	return 0;
}
