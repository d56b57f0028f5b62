// SPDX-License-Identifier: GPL-2.0
/*
 * gfp.c - see gfp.h.  One table of names serves both directions.
 * gfp_format() tries the composite masks first, largest first, the way
 * the kernel's show_gfp_flags() (include/trace/events/mmflags.h) prints
 * them, then single bits.  gfp_parse() looks names up in the same table,
 * skipping the older kernels' values of GFP_ATOMIC and GFP_NOWAIT.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "gfp.h"
#include "util.h"

/* gfp_name.use */
#define GFP_FMT		0x1	/* gfp_format() prints it */
#define GFP_PARSE	0x2	/* gfp_parse() accepts it */
#define GFP_BOTH	(GFP_FMT | GFP_PARSE)

struct gfp_name {
	uint32_t mask;
	const char *name;
	unsigned int use;
};

static const struct gfp_name gfp_names[] = {
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE", GFP_BOTH },
	{ 0x400cc0, "GFP_KERNEL_ACCOUNT", GFP_BOTH },
	{ 0x100cc0, "GFP_USER", GFP_BOTH },
	{ 0xcc0, "GFP_KERNEL", GFP_BOTH },
	{ 0xc40, "GFP_NOFS", GFP_BOTH },
	{ 0xa20, "GFP_ATOMIC", GFP_FMT },	/* <= 6.2, with __GFP_ATOMIC */
	{ 0x820, "GFP_ATOMIC", GFP_BOTH },	/* 6.3+ */
	{ 0xc00, "GFP_NOIO", GFP_BOTH },
	{ 0xc00, "__GFP_RECLAIM", GFP_PARSE },	/* DIRECT|KSWAPD, prints as GFP_NOIO */
	{ 0x2800, "GFP_NOWAIT", GFP_BOTH },	/* 6.7+ includes __GFP_NOWARN */
	{ 0x800, "GFP_NOWAIT", GFP_FMT },	/* <= 6.6 */
	{ 0x1, "GFP_DMA", GFP_PARSE },		/* prints as __GFP_DMA */
	{ 0x4, "GFP_DMA32", GFP_PARSE },	/* prints as __GFP_DMA32 */
	{ 1u << 0, "__GFP_DMA", GFP_BOTH },
	{ 1u << 1, "__GFP_HIGHMEM", GFP_BOTH },
	{ 1u << 2, "__GFP_DMA32", GFP_BOTH },
	{ 1u << 3, "__GFP_MOVABLE", GFP_BOTH },
	{ 1u << 4, "__GFP_RECLAIMABLE", GFP_BOTH },
	{ 1u << 5, "__GFP_HIGH", GFP_BOTH },
	{ 1u << 6, "__GFP_IO", GFP_BOTH },
	{ 1u << 7, "__GFP_FS", GFP_BOTH },
	{ 1u << 8, "__GFP_ZERO", GFP_BOTH },
	{ 1u << 9, "__GFP_ATOMIC", GFP_BOTH },
	{ 1u << 10, "__GFP_DIRECT_RECLAIM", GFP_BOTH },
	{ 1u << 11, "__GFP_KSWAPD_RECLAIM", GFP_BOTH },
	{ 1u << 12, "__GFP_WRITE", GFP_BOTH },
	{ 1u << 13, "__GFP_NOWARN", GFP_BOTH },
	{ 1u << 14, "__GFP_RETRY_MAYFAIL", GFP_BOTH },
	{ 1u << 15, "__GFP_NOFAIL", GFP_BOTH },
	{ 1u << 16, "__GFP_NORETRY", GFP_BOTH },
	{ 1u << 17, "__GFP_MEMALLOC", GFP_BOTH },
	{ 1u << 18, "__GFP_COMP", GFP_BOTH },
	{ 1u << 19, "__GFP_NOMEMALLOC", GFP_BOTH },
	{ 1u << 20, "__GFP_HARDWALL", GFP_BOTH },
	{ 1u << 21, "__GFP_THISNODE", GFP_BOTH },
	{ 1u << 22, "__GFP_ACCOUNT", GFP_BOTH },
	{ 1u << 23, "__GFP_ZEROTAGS", GFP_BOTH },
};

/* snprintf at offset n of buf, counting what would have been written. */
static size_t append(char *buf, size_t len, size_t n, const char *sep, const char *s)
{
	int w = snprintf(n < len ? buf + n : NULL, n < len ? len - n : 0, "%s%s", sep, s);

	return n + (w > 0 ? w : 0);
}

/* Like snprintf: the return value is the full length, even when truncated. */
int gfp_format(uint32_t gfp, char *buf, size_t len)
{
	size_t i, n = 0;
	uint32_t left = gfp;
	char hex[16];

	if (len)
		buf[0] = 0;
	if (!gfp)
		return append(buf, len, 0, "", "0");
	for (i = 0; i < ARRAY_SIZE(gfp_names) && left; i++) {
		const struct gfp_name *g = &gfp_names[i];

		if (!(g->use & GFP_FMT) || (left & g->mask) != g->mask)
			continue;
		n = append(buf, len, n, n ? "|" : "", g->name);
		left &= ~g->mask;
	}
	if (left) {
		snprintf(hex, sizeof(hex), "%#x", left);
		n = append(buf, len, n, n ? "|" : "", hex);
	}
	return n;
}

/* The mask of a name gfp_parse() accepts, case-sensitively. */
static bool lookup(const char *name, size_t len, uint32_t *mask)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(gfp_names); i++) {
		const struct gfp_name *g = &gfp_names[i];

		if ((g->use & GFP_PARSE) && strlen(g->name) == len &&
		    !memcmp(g->name, name, len)) {
			*mask = g->mask;
			return true;
		}
	}
	return false;
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A number token, all of it: 0x hex or decimal (no octal), at most 32 bits. */
static bool parse_number(const char *s, size_t len, uint32_t *val)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned int base = 10;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++) {
		int d = base == 16 ? hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);

		if (d < 0)
			return false;
		v = v * base + d;
		if (v > UINT32_MAX)
			return false;
	}
	*val = v;
	return true;
}

static size_t skip_spaces(const char *s, size_t i)
{
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	return i;
}

int gfp_parse(const char *expr, uint32_t *out, size_t *err_pos)
{
	uint32_t val, gfp = 0;
	size_t i = 0, start, len;

	if (!expr || !out) {
		if (err_pos)
			*err_pos = 0;
		return -EINVAL;
	}
	for (;;) {
		/* A term: optional spaces, a name or a number, optional spaces. */
		start = i = skip_spaces(expr, i);
		while (is_word(expr[i]))
			i++;
		len = i - start;
		if (!len)
			goto bad;	/* empty, "|" first, "||", trailing "|", or a stray character */
		if (expr[start] >= '0' && expr[start] <= '9') {
			if (!parse_number(expr + start, len, &val))
				goto bad;
		} else if (!lookup(expr + start, len, &val)) {
			goto bad;
		}
		gfp |= val;
		i = skip_spaces(expr, i);
		if (!expr[i])
			break;
		if (expr[i] != '|') {
			start = i;	/* "GFP_KERNEL GFP_ATOMIC", "0xcc0+1" */
			goto bad;
		}
		i++;
	}
	*out = gfp;
	return 0;
bad:
	if (err_pos)
		*err_pos = start;
	return -EINVAL;
}
