// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_recfile.c - a recording from anywhere, through everything a replay
 * does with it: the reader, every section's parser (META/COUNTERS,
 * SYMBOLS, STACKS, the slabinfo and /sys/kernel/slab snapshots), the
 * decoder and the collector for EVENTS, then findings, the memory bill
 * and the JSON, HTML and pprof writers.  EVENTS_PACKED sections are read
 * both ways, by the input's length: unpacked by the reader into EVENTS, or
 * kept packed and read event by event as a replay does.  Nothing may
 * crash, hang or leak.
 */
#include "fuzz.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>

#include "collect.h"
#include "decode.h"
#include "evpack.h"
#include "findings.h"
#include "ksyms.h"
#include "membill.h"
#include "pprof.h"
#include "recfile.h"
#include "report_html.h"
#include "report_stat.h"
#include "runinfo.h"
#include "slabinfo.h"
#include "slabsys.h"
#include "stacks.h"

struct state {
	struct runinfo ri;
	struct collector *c;
	struct ksyms *ks;
	struct kms_stacks *stacks;
	struct slabsys *sys;
};

static void events(struct state *st, const struct recfile_section_info *sec)
{
	const void *rec;
	size_t pos = 0, len;
	struct kms_event ev;

	while (recfile_events__next(sec->data, sec->len, &pos, &rec, &len) == 1) {
		int err = kms_decode(rec, len, &ev);

		if (err)
			collector__bad_record(st->c, err);
		else
			collector__event(st->c, &ev, NULL);
	}
}

/* As the replay reads them (src/live/session.c, replay_packed()). */
static void packed(struct state *st, const struct recfile_section_info *sec)
{
	struct kms_event ev;
	struct evunpack u;
	const void *raw;
	size_t len;
	int err;

	if (evunpack__init(&u, sec->data, sec->len))
		return;
	while (evunpack__event(&u, &ev, &raw, &len) == 1) {
		if (!raw) {
			collector__event(st->c, &ev, NULL);
			continue;
		}
		err = kms_decode(raw, len, &ev);
		if (err)
			collector__bad_record(st->c, err);
		else
			collector__event(st->c, &ev, NULL);
	}
}

static void section(struct state *st, const struct recfile_section_info *sec)
{
	struct slabinfo si;
	FILE *f;

	switch (sec->type) {
	case KMS_SEC_META:
	case KMS_SEC_COUNTERS:
		runinfo__parse(&st->ri, sec->data, sec->len);
		break;
	case KMS_SEC_EVENTS:
		events(st, sec);
		break;
	case KMS_SEC_EVENTS_PACKED:
		packed(st, sec);
		break;
	case KMS_SEC_SYMBOLS:
		f = fmemopen((void *)sec->data, sec->len ? sec->len : 1, "r");
		if (f && !st->ks)
			st->ks = ksyms__load(f);
		if (f)
			fclose(f);
		break;
	case KMS_SEC_STACKS:
		kms_stacks__parse(st->stacks, sec->data, sec->len);
		break;
	case KMS_SEC_SLABINFO_START:
	case KMS_SEC_SLABINFO_END:
		if (!slabinfo__parse(sec->data, sec->len, &si))
			slabinfo__free(&si);
		break;
	case KMS_SEC_SLABGEOM_END:
		if (!st->sys)
			slabsys__parse(sec->data, sec->len, &st->sys);
		break;
	}
}

static void reports(struct state *st)
{
	struct findings_opts fo = { .hot_allocs = 100 };
	struct stat_opts so = { .json = true, .sections = 0xf };
	struct findings fs = { 0 };
	struct membill mb = { 0 };
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		return;
	if (!findings__compute(st->c, &st->ri, &fo, &fs)) {
		so.findings = &fs;
		if (!membill__compute(st->c, st->sys, st->ri.page_size, &mb))
			so.membill = &mb;
		so.stacks = st->stacks;
		report_stat(null, st->c, st->ks, &st->ri, &so);
		report_html(null, &(struct html_input){ .c = st->c, .ks = st->ks,
			    .stacks = st->stacks, .ri = &st->ri, .findings = &fs, .membill = so.membill });
		pprof__write(null, st->c, st->ks, st->stacks, NULL, &st->ri);
		membill__free(&mb);
		findings__free(&fs);
	}
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collector_opts o = { 0 };
	struct state st = { 0 };
	struct recfile_section_info sec;
	struct recfile_reader *r;
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");
	int n = 0;

	if (!f)
		return 0;
	if (!size)
		fgetc(f);	/* fmemopen cannot be empty: read past its one byte */
	kmalloc_params__default(&o.kp, 4096);
	st.c = collector__new(&o);
	st.stacks = kms_stacks__new();
	r = recfile_reader__new(f, NULL);
	if (r)
		recfile_reader__keep_packed(r, size & 1);
	while (r && st.c && st.stacks && n++ < 4096 && recfile_reader__next_section(r, &sec, NULL) == 1)
		section(&st, &sec);
	if (st.c && st.stacks)
		reports(&st);
	recfile_reader__free(r);
	fclose(f);
	slabsys__free(st.sys);
	kms_stacks__free(st.stacks);
	ksyms__free(st.ks);
	collector__free(st.c);
	return 0;
}
