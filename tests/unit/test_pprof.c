// SPDX-License-Identifier: GPL-2.0
/*
 * test_pprof.c - unit tests for src/pprof.c and src/speedscope.c: a
 * collector fed known allocations (one site with a -g stack) is written,
 * gunzipped and unpacked with protobuf-c: Go's four heap sample types,
 * one sample per site with exact values, locations leaf first through
 * the stack, functions named from kallsyms (raw address when unknown),
 * string 0 empty; speedscope's frames outermost first.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "collect.h"
#include "ksyms.h"
#include "pprof.h"
#include "profile.pb-c.h"
#include "speedscope.h"
#include "stacks.h"
#include "test.h"

#define T0	1000000000ull
#define A	0xffffffff81000010ull	/* alpha+0x10 */
#define B	0xffffffff81000120ull	/* beta+0x20 */
#define C	0xffffffff81000230ull	/* gamma+0x30 */
#define UNK	0xffffffffc0001000ull	/* no symbol */

static const char kallsyms[] =
	"ffffffff81000000 T alpha\nffffffff81000100 T beta\nffffffff81000200 t gamma\n"
	"ffffffff81000300 T _etext\n";

static uint64_t now = T0;

static void kmalloc(struct collector *c, uint64_t ptr, uint64_t site, uint32_t req,
		    uint32_t alloc, int32_t stack)
{
	struct kms_event ev = { .type = KMS_EV_KMALLOC, .cpu = 1, .tid = 7, .tgid = 7,
				.ts = now += 1000, .ptr = ptr, .call_site = site,
				.bytes_req = req, .bytes_alloc = alloc, .gfp = 0xcc0 };

	if (stack >= 0)
		ev.flags |= KMS_EVF_STACK, ev.stack = stack;
	CHECK_INT(collector__event(c, &ev, NULL), ==, 0);
}

static struct collector *workload(struct kms_stacks **st)
{
	struct collector_opts o = { .t0_ns = T0 };
	/* stack 5: tracepoint frame, then A (the call site), B, C outwards */
	const uint64_t ips[] = { 0xffffffff81000001ull, A, B, C };
	struct collector *c;
	struct kms_event fr = { .type = KMS_EV_KFREE, .cpu = 1, .tid = 7, .ptr = 0x1000 };

	kmalloc_params__default(&o.kp, 4096);
	c = collector__new(&o);
	*st = kms_stacks__new();
	if (!c || !*st)
		return c;
	CHECK_INT(kms_stacks__add(*st, 5, ips, 4), ==, 0);
	/* alpha via the stack: 3 x 100 in 128, one freed */
	kmalloc(c, 0xffff888000001000ull, A, 100, 128, 5);
	kmalloc(c, 0xffff888000002000ull, A, 100, 128, 5);
	kmalloc(c, 0xffff888000003000ull, A, 100, 128, 5);
	fr.ptr = 0xffff888000003000ull;
	fr.ts = now += 1000;
	CHECK_INT(collector__event(c, &fr, NULL), ==, 0);
	/* an unknown address, no stack: 1 x 20 in 32, live */
	kmalloc(c, 0xffff888000004000ull, UNK, 20, 32, -1);
	return c;
}

static uint8_t *gunzip(const char *in, size_t len, size_t *out_len)
{
	size_t cap = 1 << 20;
	uint8_t *out = malloc(cap);
	z_stream z = { .next_in = (unsigned char *)in, .avail_in = len };

	if (!out || inflateInit2(&z, 15 + 16)) {
		free(out);
		return NULL;
	}
	z.next_out = out;
	z.avail_out = cap;
	if (inflate(&z, Z_FINISH) != Z_STREAM_END) {
		inflateEnd(&z);
		free(out);
		return NULL;
	}
	*out_len = z.total_out;
	inflateEnd(&z);
	return out;
}

static const char *fn_name(const Perftools__Profiles__Profile *p, uint64_t loc_id)
{
	const Perftools__Profiles__Location *l = p->location[loc_id - 1];
	const Perftools__Profiles__Function *f = p->function[l->line[0]->function_id - 1];

	return p->string_table[f->name];
}

TEST(pprof)
{
	FILE *kf = fmemopen((void *)kallsyms, sizeof(kallsyms) - 1, "r");
	struct ksyms *ks = kf ? ksyms__load(kf) : NULL;
	struct kms_stacks *st = NULL;
	struct collector *c = workload(&st);
	Perftools__Profiles__Profile *p = NULL;
	char *buf = NULL;
	size_t len = 0, plen;
	uint8_t *raw = NULL;
	FILE *f = open_memstream(&buf, &len);
	size_t i;

	CHECK(ks && c && st && f);
	if (!ks || !c || !st || !f)
		goto out;
	CHECK_INT(pprof__write(f, c, ks, st, NULL, NULL), ==, 0);
	fclose(f);
	f = NULL;
	raw = gunzip(buf, len, &plen);
	CHECK(raw != NULL);
	p = raw ? perftools__profiles__profile__unpack(NULL, plen, raw) : NULL;
	CHECK(p != NULL);
	if (!p)
		goto out;
	CHECK_STR(p->string_table[0], "");
	CHECK_INT(p->n_sample_type, ==, 4);
	CHECK_STR(p->string_table[p->sample_type[0]->type], "alloc_objects");
	CHECK_STR(p->string_table[p->sample_type[1]->unit], "bytes");
	CHECK_STR(p->string_table[p->sample_type[3]->type], "inuse_space");
	CHECK_STR(p->string_table[p->default_sample_type], "inuse_space");
	CHECK_INT(p->n_sample, ==, 2);
	for (i = 0; i < p->n_sample; i++) {
		const Perftools__Profiles__Sample *s = p->sample[i];

		CHECK_INT(s->n_value, ==, 4);
		if (s->n_location_id == 3) {
			/* leaf first: the call site, then its callers */
			CHECK_STR(fn_name(p, s->location_id[0]), "alpha");
			CHECK_STR(fn_name(p, s->location_id[1]), "beta");
			CHECK_STR(fn_name(p, s->location_id[2]), "gamma");
			CHECK_U64(p->location[s->location_id[0] - 1]->address, A);
			CHECK(s->value[0] == 3 && s->value[1] == 384 && s->value[2] == 2 &&
			      s->value[3] == 256);
			CHECK_INT(s->n_label, ==, 1);
			if (s->n_label)
				CHECK_STR(p->string_table[s->label[0]->str], "kmalloc-128");
		} else {
			CHECK_INT(s->n_location_id, ==, 1);
			CHECK_STR(fn_name(p, s->location_id[0]), "0xffffffffc0001000");
			CHECK(s->value[0] == 1 && s->value[1] == 32 && s->value[2] == 1 &&
			      s->value[3] == 32);
		}
	}
	CHECK_INT(p->n_location, ==, 4);
	CHECK_INT(p->n_function, ==, 4);
	CHECK_INT(p->n_mapping, ==, 1);
out:
	if (f)
		fclose(f);
	if (p)
		perftools__profiles__profile__free_unpacked(p, NULL);
	free(raw);
	free(buf);
	kms_stacks__free(st);
	collector__free(c);
	ksyms__free(ks);
	if (kf)
		fclose(kf);
}

/*
 * A window: the base taken after the workload, then 2 more allocations at
 * alpha (one freed) and a new site beta: alloc_* count only those, inuse_*
 * are the state at the end, a site with neither is left out, allocs is
 * the default type, and time and duration are the window's.
 */
TEST(window)
{
	struct kms_stacks *st = NULL;
	struct collector *c = workload(&st);
	struct pprof_base *b = c ? pprof_base__new(c, 5000000000ull) : NULL;
	struct kms_event fr = { .type = KMS_EV_KFREE, .cpu = 1, .tid = 7,
				.ptr = 0xffff888000006000ull };
	struct pprof_opts o = { .allocs = true, .since = b, .now_real_ns = 8000000000ull };
	Perftools__Profiles__Profile *p = NULL;
	char *buf = NULL;
	size_t len = 0, plen, i;
	uint8_t *raw = NULL;
	FILE *f = NULL;
	int seen = 0;

	CHECK(c && b);
	if (!c || !b)
		goto out;
	kmalloc(c, 0xffff888000005000ull, A, 100, 128, 5);
	kmalloc(c, 0xffff888000006000ull, A, 100, 128, 5);
	fr.ts = now += 1000;
	CHECK_INT(collector__event(c, &fr, NULL), ==, 0);
	kmalloc(c, 0xffff888000007000ull, 0xffffffff81000110ull, 8, 8, -1);
	f = open_memstream(&buf, &len);
	if (!f)
		goto out;
	CHECK_INT(pprof__write_opts(f, c, NULL, st, NULL, NULL, &o), ==, 0);
	fclose(f);
	raw = gunzip(buf, len, &plen);
	p = raw ? perftools__profiles__profile__unpack(NULL, plen, raw) : NULL;
	CHECK(p != NULL);
	if (!p)
		goto out;
	CHECK_STR(p->string_table[p->default_sample_type], "alloc_space");
	CHECK_INT(p->time_nanos, ==, 5000000000ll);
	CHECK_INT(p->duration_nanos, ==, 3000000000ll);
	/* alpha (2 new, 3 live), beta (1 new, live), UNK (none new, 1 live) */
	CHECK_INT(p->n_sample, ==, 3);
	for (i = 0; i < p->n_sample; i++) {
		const int64_t *v = p->sample[i]->value;

		if (v[0] == 2 && v[1] == 256 && v[2] == 3 && v[3] == 384)
			seen |= 1;
		else if (v[0] == 1 && v[1] == 8 && v[2] == 1 && v[3] == 8)
			seen |= 2;
		else if (v[0] == 0 && v[1] == 0 && v[2] == 1 && v[3] == 32)
			seen |= 4;
	}
	CHECK_INT(seen, ==, 7);
out:
	if (p)
		perftools__profiles__profile__free_unpacked(p, NULL);
	free(raw);
	free(buf);
	pprof_base__free(b);
	kms_stacks__free(st);
	collector__free(c);
}

TEST(speedscope)
{
	FILE *kf = fmemopen((void *)kallsyms, sizeof(kallsyms) - 1, "r");
	struct ksyms *ks = kf ? ksyms__load(kf) : NULL;
	struct kms_stacks *st = NULL;
	struct collector *c = workload(&st);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(ks && c && st && f);
	if (ks && c && st && f) {
		CHECK_INT(speedscope__write(f, c, ks, st, NULL), ==, 0);
		fflush(f);
		/* frames in first-use order: outermost first */
		CHECK_HAS(buf, "\"frames\":[{\"name\":\"gamma+0x30\"},{\"name\":\"beta+0x20\"},"
			  "{\"name\":\"alpha+0x10\"},{\"name\":\"0xffffffffc0001000\"}]");
		CHECK_HAS(buf, "\"name\":\"live bytes at the end\",\"unit\":\"bytes\","
			  "\"startValue\":0,\"endValue\":288,\"samples\":[[0,1,2],[3]],"
			  "\"weights\":[256,32]}");
		CHECK_HAS(buf, "\"name\":\"allocations\",\"unit\":\"none\",\"startValue\":0,"
			  "\"endValue\":4,");
	}
	if (f)
		fclose(f);
	free(buf);
	kms_stacks__free(st);
	collector__free(c);
	ksyms__free(ks);
	if (kf)
		fclose(kf);
}

int main(void)
{
	t_suite = "pprof";
	RUN(pprof);
	RUN(window);
	RUN(speedscope);
	return test_done();
}
