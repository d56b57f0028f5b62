// SPDX-License-Identifier: GPL-2.0
/*
 * import_parse.c - see import_parse.h.  A line is split into its prefix
 * (task, pid, CPU, irq flags, timestamp), the event name and its
 * key=value fields, and every value is checked here, so the conversion
 * (import.c) sees only lines that convert whole.  Owns every format
 * detail of the three text formats; keeps no state between lines.
 */
#include <ctype.h>
#include <string.h>
#include <linux/types.h>

#include "decode.h"
#include "gfp.h"
#include "import_parse.h"
#include "kmscope_event.h"
#include "util.h"

/* The fields of a kmem event that matter, in parse_fields()'s array. */
enum {
	F_CALL_SITE, F_MODULE, F_PTR, F_BYTES_REQ, F_BYTES_ALLOC, F_GFP, F_NAME, F_NR,
};

/* ---- numbers --------------------------------------------------------- */

static bool parse_dec(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n || n > 20)
		return false;
	for (i = 0; i < n; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_hex(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
	}
	if (!n || n > 16)
		return false;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!isxdigit(c))
			return false;
		v = v << 4 | (isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
	}
	*out = v;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* "SECONDS[.FRACTION]" (up to 9 fraction digits) to ns. */
static bool parse_ts(const char *s, size_t n, uint64_t *ns)
{
	const char *dot = memchr(s, '.', n);
	size_t sn = dot ? (size_t)(dot - s) : n, fn = dot ? n - sn - 1 : 0, i;
	uint64_t sec, frac = 0;

	if (sn > 10 || !parse_dec(s, sn, UINT64_MAX, &sec))
		return false;
	if (dot && (fn > 9 || !parse_dec(dot + 1, fn, UINT64_MAX, &frac)))
		return false;
	for (i = fn; i < 9; i++)
		frac *= 10;
	*ns = sec * 1000000000ULL + frac;
	return true;
}

/* ---- the line prefix ------------------------------------------------- */

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (p[n] && p[n] != ' ' && p[n] != '\t')
		n++;
	return n;
}

/*
 * The irq-info column: irqs-off/BH-disabled, need-resched,
 * hardirq/softirq, preempt-depth[, migrate-disable], e.g. "d.h1." or
 * "b..2.".  The kernel prints it from the event's own context, with the
 * tracepoint's preempt_disable already taken off the depth
 * (tracing_gen_ctx_dec), so any depth is the caller's.  'd'/'D' (IRQs
 * off, where sleeping is a bug as much as with preemption off) counts as
 * preempt-off: a recording has no bit of its own for it.
 */
static bool parse_flags(const char *p, size_t n, unsigned int *ctx)
{
	static const char hs[] = ".hHsSzZ";
	size_t i;

	if (n < 4 || n > 6 || !strchr(hs, p[2]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '.')
			return false;
	*ctx = 0;
	if (p[2] == 'h' || p[2] == 'H' || p[2] == 'z' || p[2] == 'Z')
		*ctx = KMS_EVF_HARDIRQ;
	else if (p[2] == 's' || p[2] == 'S')
		*ctx = KMS_EVF_SOFTIRQ;
	if (p[0] == 'd' || p[0] == 'D' || isxdigit((unsigned char)p[3]))
		*ctx |= KMS_EVF_PREEMPT_OFF;
	if (p[0] == 'b' || p[0] == 'D')
		*ctx |= KMS_EVF_BH_OFF;
	return true;
}

/* " EVENT: fields": the event name ends at a ':' followed by a blank or the end. */
static bool parse_event(const char *p, struct import_line *l)
{
	size_t n;

	p = skip_sp(p);
	for (n = 0; p[n] && p[n] != ' ' && p[n] != '\t'; n++)
		if (p[n] == ':' && (!p[n + 1] || p[n + 1] == ' ' || p[n + 1] == '\t'))
			break;
	if (!n || p[n] != ':')
		return false;
	l->ev = p;
	l->ev_len = n;
	l->fields = skip_sp(p + n + 1);
	return true;
}

/* After "[CPU]": [flags] TIMESTAMP: EVENT: fields */
static bool parse_after_cpu(const char *p, struct import_line *l)
{
	size_t n;

	p = skip_sp(p);
	n = token_len(p);
	l->has_flags = false;
	l->ctx = 0;
	if (!(n >= 2 && p[n - 1] == ':' && parse_ts(p, n - 1, &l->ts))) {
		if (!parse_flags(p, n, &l->ctx))
			return false;
		l->has_flags = true;
		p = skip_sp(p + n);
		n = token_len(p);
		if (!(n >= 2 && p[n - 1] == ':' && parse_ts(p, n - 1, &l->ts)))
			return false;
	}
	return parse_event(p + n, l);
}

/*
 * Before "[CPU]": "COMM-PID" (ftrace, optionally followed by "(TGID)") or
 * "COMM PID" / "COMM PID/TID" (perf).  COMM may hold blanks and dashes.
 */
static bool parse_task(const char *s, const char *end, struct import_line *l)
{
	const char *last, *dash;
	uint64_t v;

	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	l->tgid = 0;
	if (end > s && end[-1] == ')') {
		const char *open = end - 1, *a, *b;

		while (open > s && *open != '(')
			open--;
		if (*open != '(')
			return false;
		a = skip_sp(open + 1);
		b = end - 1;
		while (b > a && b[-1] == ' ')
			b--;
		if (parse_dec(a, b - a, UINT32_MAX, &v))
			l->tgid = v;
		end = open;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
	}
	if (end <= s)
		return false;
	for (last = end; last > s && last[-1] != ' ' && last[-1] != '\t'; last--)
		;
	{
		const char *slash = memchr(last, '/', end - last);

		if (all_digits(last, end - last) ||
		    (slash && all_digits(last, slash - last) &&
		     all_digits(slash + 1, end - slash - 1))) {
			/* perf: the last number is the thread */
			const char *t = slash ? slash + 1 : last;

			if (!parse_dec(t, end - t, UINT32_MAX, &v))
				return false;
			l->pid = v;
			if (slash && parse_dec(last, slash - last, UINT32_MAX, &v))
				l->tgid = v;
			l->fmt = KMS_IMPORT_PERF;
			end = last;
			while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			l->comm = s;
			l->comm_len = end - s;
			return l->comm_len > 0;
		}
	}
	for (dash = end - 1; dash >= last && *dash != '-'; dash--)
		;
	if (dash < last || !parse_dec(dash + 1, end - dash - 1, UINT32_MAX, &v))
		return false;
	l->pid = v;
	l->fmt = KMS_IMPORT_FTRACE;
	l->comm = s;
	l->comm_len = dash - s;
	return l->comm_len > 0;
}

/*
 * The latency format (options/latency-format): "COMM-PID CPUFLAGS
 * USECSus[DELAY]: EVENT: fields", e.g. "bash-23136     1..... 15349804696us+:
 * kmalloc: ...", COMM cut to 8 characters, the delay mark glued to the
 * time or a blank.
 */
static bool parse_latency(const char *s, struct import_line *l)
{
	const char *p = s, *t;
	uint64_t v;
	size_t n, d;

	for (; *(p = skip_sp(p)); p += n) {
		n = token_len(p);
		for (d = 0; d < n && isdigit((unsigned char)p[d]); d++)
			;
		if (p == s || !d || !parse_flags(p + d, n - d, &l->ctx) ||
		    !parse_dec(p, d, 0xffff, &v))
			continue;
		t = skip_sp(p + n);
		for (d = 0; isdigit((unsigned char)t[d]); d++)
			;
		if (!d || t[d] != 'u' || t[d + 1] != 's')
			continue;
		l->cpu = v;
		if (!parse_dec(t, d, UINT64_MAX / 1000, &l->ts))
			return false;
		l->ts *= 1000;
		t += d + 2;
		if (*t && *t != ':' && *t != ' ')
			t++;		/* the delay mark: + ! # * @ $ */
		t = skip_sp(t);
		if (*t != ':')
			continue;
		l->has_flags = true;
		/* Reuse the event part of the default format: "X: EVENT: ...". */
		return parse_event(t + 1, l) && parse_task(s, p, l);
	}
	return false;
}

static bool parse_prefix(const char *s, struct import_line *l)
{
	const char *q;

	for (q = strchr(s, '['); q; q = strchr(q + 1, '[')) {
		const char *d = q + 1;
		uint64_t cpu;
		size_t n = 0;

		if (q == s || (q[-1] != ' ' && q[-1] != '\t'))
			continue;
		while (isdigit((unsigned char)d[n]))
			n++;
		if (!n || d[n] != ']' || (d[n + 1] != ' ' && d[n + 1] != '\t'))
			continue;
		if (!parse_dec(d, n, 0xffff, &cpu))
			continue;
		l->cpu = cpu;
		if (parse_after_cpu(d + n + 1, l) && parse_task(s, q, l))
			return true;
	}
	return parse_latency(s, l);
}

/* ---- fields ---------------------------------------------------------- */

static bool key_is(const char *k, size_t n, const char *want)
{
	return strlen(want) == n && !memcmp(k, want, n);
}

/* key=value tokens; " [module]" after call_site= belongs to it. */
static bool parse_fields(const char *p, struct import_field *f)
{
	int prev = -1;

	memset(f, 0, F_NR * sizeof(*f));
	for (p = skip_sp(p); *p; p = skip_sp(p)) {
		size_t n = token_len(p);
		const char *eq = memchr(p, '=', n);
		int k = -1;

		if (!eq) {
			if (prev == F_CALL_SITE && n > 2 && p[0] == '[' && p[n - 1] == ']') {
				k = F_MODULE;
				if (f[k].v)
					return false;
				f[k].v = p + 1;
				f[k].len = n - 2;
			}
			prev = k;
			p += n;
			continue;
		}
		if (key_is(p, eq - p, "call_site"))
			k = F_CALL_SITE;
		else if (key_is(p, eq - p, "ptr"))
			k = F_PTR;
		else if (key_is(p, eq - p, "bytes_req"))
			k = F_BYTES_REQ;
		else if (key_is(p, eq - p, "bytes_alloc"))
			k = F_BYTES_ALLOC;
		else if (key_is(p, eq - p, "gfp_flags"))
			k = F_GFP;
		else if (key_is(p, eq - p, "name"))
			k = F_NAME;
		if (k >= 0) {
			if (f[k].v)
				return false;	/* twice: not the kernel's text */
			f[k].v = eq + 1;
			f[k].len = n - (eq + 1 - p);
		}
		prev = k;
		p += n;
	}
	return true;
}

static bool sym_char(int c)
{
	return isgraph(c) && c != '+' && c != '/' && c != '[' && c != ']' && c != '=';
}

/*
 * "func+0xoff/0xsize", "func+0xoff", "func" or a bare hex address.  Writes
 * the function key ("func" or "func\t[module]") to key; *off is the offset,
 * or the address itself when *key is empty.
 */
static bool parse_call_site(const struct import_field *cs, const struct import_field *mod,
			    char *key, size_t key_size, uint64_t *off)
{
	const char *v = cs->v, *plus, *slash;
	size_t n = cs->len, nl, i;
	uint64_t size;

	key[0] = 0;
	if (!n)
		return false;
	if (n > 2 && v[0] == '0' && v[1] == 'x' && !mod->v)
		return parse_hex(v, n, off);
	plus = memchr(v, '+', n);
	nl = plus ? (size_t)(plus - v) : n;
	*off = 0;
	if (plus) {
		const char *o = plus + 1;
		size_t on = n - nl - 1;

		slash = memchr(o, '/', on);
		if (slash) {
			if (!parse_hex(slash + 1, on - (slash + 1 - o), &size))
				return false;
			on = slash - o;
		}
		if (on < 3 || o[0] != '0' || o[1] != 'x' || !parse_hex(o, on, off))
			return false;
	}
	if (!nl || nl > IMPORT_MAX_SYM_LEN || *off >= KMS_IMPORT_FUNC_SPAN)
		return false;
	for (i = 0; i < nl; i++)
		if (!sym_char((unsigned char)v[i]))
			return false;
	if (mod->v) {
		if (!mod->len || mod->len > IMPORT_MAX_MOD_LEN)
			return false;
		for (i = 0; i < mod->len; i++)
			if (!sym_char((unsigned char)mod->v[i]))
				return false;
	}
	if (nl + (mod->v ? mod->len + 3 : 0) + 1 > key_size)
		return false;
	memcpy(key, v, nl);
	key[nl] = 0;
	if (mod->v) {
		strcat(key, "\t[");
		strncat(key, mod->v, mod->len);
		strcat(key, "]");
	}
	return true;
}

/* "(nil)", 0x-prefixed or bare hex (hashed or real). */
static bool parse_ptr(const struct import_field *f, uint64_t *ptr)
{
	if (f->len == 5 && !memcmp(f->v, "(nil)", 5)) {
		*ptr = 0;
		return true;
	}
	return parse_hex(f->v, f->len, ptr);
}

static bool parse_u32(const struct import_field *f, uint32_t *out)
{
	uint64_t v;

	if (!f->v || !parse_dec(f->v, f->len, UINT32_MAX, &v))
		return false;
	*out = v;
	return true;
}

/*
 * gfp_flags: "none", or names joined by '|'.  Names gfp_parse() does not
 * know (bits 24 and up vary by kernel) are dropped and counted in
 * *nr_unknown.
 */
static bool parse_gfp(const struct import_field *f, uint32_t *gfp, uint64_t *nr_unknown)
{
	char buf[512], *tok, *bar;
	uint32_t v, all = 0;
	uint64_t unknown = 0;

	*nr_unknown = 0;
	if (!f->v || !f->len || f->len >= sizeof(buf))
		return false;
	memcpy(buf, f->v, f->len);
	buf[f->len] = 0;
	if (!strcmp(buf, "none")) {
		*gfp = 0;
		return true;
	}
	if (!gfp_parse(buf, gfp, NULL))
		return true;
	for (tok = buf; tok; tok = bar) {
		bar = strchr(tok, '|');
		if (bar)
			*bar++ = 0;
		if (!gfp_parse(tok, &v, NULL))
			all |= v;
		else if (!strncmp(tok, "__GFP_", 6) || !strncmp(tok, "GFP_", 4))
			unknown++;
		else
			return false;	/* empty term, junk */
	}
	*nr_unknown = unknown;
	*gfp = all;
	return true;
}

/* ---- the line -------------------------------------------------------- */

static int event_type(const struct import_line *l)
{
	static const struct {
		const char *name;
		int type;
	} names[] = {
		{ "kmalloc", KMS_IMPORT_KMALLOC },
		{ "kmalloc_node", KMS_IMPORT_KMALLOC },
		{ "kfree", KMS_IMPORT_KFREE },
		{ "kmem_cache_alloc", KMS_IMPORT_CACHE_ALLOC },
		{ "kmem_cache_alloc_node", KMS_IMPORT_CACHE_ALLOC },
		{ "kmem_cache_free", KMS_IMPORT_CACHE_FREE },
	};
	const char *ev = l->ev;
	size_t n = l->ev_len, i;

	if (n > 5 && !memcmp(ev, "kmem:", 5)) {
		ev += 5;
		n -= 5;
	}
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (key_is(ev, n, names[i].name))
			return names[i].type;
	return -1;
}

static bool event_name_ok(const struct import_line *l)
{
	size_t i;

	for (i = 0; i < l->ev_len; i++)
		if (!isalnum((unsigned char)l->ev[i]) && l->ev[i] != '_' && l->ev[i] != ':' &&
		    l->ev[i] != '-' && l->ev[i] != '.')
			return false;
	return true;
}

/* The values of the fields, checked before anything is converted. */
static bool parse_values(struct import_line *l, const struct import_field *f)
{
	bool is_alloc = l->type == KMS_IMPORT_KMALLOC || l->type == KMS_IMPORT_CACHE_ALLOC;

	if (!f[F_CALL_SITE].v || !f[F_PTR].v || !parse_ptr(&f[F_PTR], &l->ptr))
		return false;
	if (!parse_call_site(&f[F_CALL_SITE], &f[F_MODULE], l->key, sizeof(l->key), &l->off))
		return false;
	if (f[F_NAME].v && (!f[F_NAME].len || f[F_NAME].len >= KMS_CACHE_NAME_LEN))
		return false;
	if (is_alloc && (!parse_u32(&f[F_BYTES_REQ], &l->req) ||
			 !parse_u32(&f[F_BYTES_ALLOC], &l->alloc) ||
			 !parse_gfp(&f[F_GFP], &l->gfp, &l->gfp_unknown)))
		return false;
	l->name = f[F_NAME];
	return true;
}

enum import_verdict import_parse_line(const char *s, struct import_line *l)
{
	struct import_field f[F_NR];
	int type;

	memset(l, 0, sizeof(*l));
	s = skip_sp(s);
	if (!*s || *s == '#')
		return IMPORT_LINE_COMMENT;
	if (!parse_prefix(s, l))
		return IMPORT_LINE_BAD;
	type = event_type(l);
	if (type < 0)
		return event_name_ok(l) ? IMPORT_LINE_OTHER : IMPORT_LINE_BAD;
	l->type = type;
	if (!parse_fields(l->fields, f) || !parse_values(l, f))
		return IMPORT_LINE_BAD;
	return IMPORT_LINE_EVENT;
}
