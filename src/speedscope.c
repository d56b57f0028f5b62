// SPDX-License-Identifier: GPL-2.0
/*
 * speedscope.c - see speedscope.h.  Frames are numbered by address on
 * first use; every profile refers to the same shared frame list.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/types.h>

#include "collect.h"
#include "grow.h"
#include "idmap.h"
#include "json_writer.h"
#include "kmscope_event.h"
#include "ksyms.h"
#include "runinfo.h"
#include "speedscope.h"
#include "stacks.h"

struct ss_sample {
	uint32_t first, n;	/* frame ids in ids[first .. first + n), outermost first */
	const struct kms_site *site;
};

struct ss {
	struct idmap *frame_of;
	uint64_t *addrs;	/* frame id -> address */
	uint32_t nr_frames;
	size_t cap_frames;
	uint32_t *ids;		/* the samples' frame ids */
	size_t nr_ids, cap_ids;
	struct ss_sample *samples;
	size_t nr_samples;
};

static int frame_id(struct ss *s, uint64_t ip)
{
	int64_t id = idmap__get(s->frame_of, ip);
	int err;

	if (id >= 0)
		return id;
	err = kms_grow((void **)&s->addrs, &s->cap_frames, (size_t)s->nr_frames + 1,
		       sizeof(*s->addrs), 256);
	if (err)
		return err;
	if (idmap__set(s->frame_of, ip, s->nr_frames))
		return -ENOMEM;
	s->addrs[s->nr_frames] = ip;
	return s->nr_frames++;
}

static int add_site(struct ss *s, const struct kms_site *site, const struct kms_stacks *stacks)
{
	uint64_t frames[KMS_STACK_DEPTH];
	size_t i, n = kms_stacks__site_frames(stacks, site->stack, site->call_site, frames,
					      KMS_STACK_DEPTH);
	int id, err;

	err = kms_grow((void **)&s->ids, &s->cap_ids, s->nr_ids + n, sizeof(*s->ids), 1024);
	if (err)
		return err;
	s->samples[s->nr_samples] = (struct ss_sample){ s->nr_ids, n, site };
	for (i = n; i-- > 0; ) {	/* outermost first */
		id = frame_id(s, frames[i]);
		if (id < 0)
			return id;
		s->ids[s->nr_ids++] = id;
	}
	s->nr_samples++;
	return 0;
}

static uint64_t weight(const struct kms_site *site, int which)
{
	return which == 0 ? site->t.live_alloc : which == 1 ? site->t.bytes_alloc : site->t.allocs;
}

static void profile(struct json_writer *w, const struct ss *s, int which)
{
	static const char *const names[] = { "live bytes at the end", "bytes allocated",
					     "allocations" };
	uint64_t total = 0;
	size_t i, j;

	for (i = 0; i < s->nr_samples; i++)
		total += weight(s->samples[i].site, which);
	jsonw_start_object(w);
	jsonw_string_field(w, "type", "sampled");
	jsonw_string_field(w, "name", names[which]);
	jsonw_string_field(w, "unit", which == 2 ? "none" : "bytes");
	jsonw_uint_field(w, "startValue", 0);
	jsonw_uint_field(w, "endValue", total);
	jsonw_name(w, "samples");
	jsonw_start_array(w);
	for (i = 0; i < s->nr_samples; i++) {
		jsonw_start_array(w);
		for (j = 0; j < s->samples[i].n; j++)
			jsonw_uint(w, s->ids[s->samples[i].first + j]);
		jsonw_end_array(w);
	}
	jsonw_end_array(w);
	jsonw_name(w, "weights");
	jsonw_start_array(w);
	for (i = 0; i < s->nr_samples; i++)
		jsonw_uint(w, weight(s->samples[i].site, which));
	jsonw_end_array(w);
	jsonw_end_object(w);
}

static int emit(FILE *f, const struct ss *s, const struct ksyms *ks, const struct runinfo *ri)
{
	struct json_writer *w = jsonw_new(f);
	char sym[256], name[320];
	uint32_t i;
	int which;

	if (!w)
		return -ENOMEM;
	jsonw_start_object(w);
	jsonw_string_field(w, "$schema", "https://www.speedscope.app/file-format-schema.json");
	jsonw_string_field(w, "exporter", "kmscope");
	snprintf(name, sizeof(name), "kmscope: %s", ri && ri->command[0] ? ri->command :
		 "system-wide");
	jsonw_string_field(w, "name", name);
	jsonw_uint_field(w, "activeProfileIndex", 0);
	jsonw_name(w, "shared");
	jsonw_start_object(w);
	jsonw_name(w, "frames");
	jsonw_start_array(w);
	for (i = 0; i < s->nr_frames; i++) {
		ksyms__format(ks, s->addrs[i], sym, sizeof(sym));
		jsonw_start_object(w);
		jsonw_string_field(w, "name", sym);
		jsonw_end_object(w);
	}
	jsonw_end_array(w);
	jsonw_end_object(w);
	jsonw_name(w, "profiles");
	jsonw_start_array(w);
	for (which = 0; which < 3; which++)
		profile(w, s, which);
	jsonw_end_array(w);
	jsonw_end_object(w);
	return jsonw_close(&w) ? -EIO : 0;
}

int speedscope__write(FILE *f, const struct collector *c, const struct ksyms *ks,
		      const struct kms_stacks *stacks, const struct runinfo *ri)
{
	struct ss s = { 0 };
	size_t i, n = collector__nr_sites(c);
	int err = -ENOMEM;

	s.frame_of = idmap__new();
	s.samples = calloc(n + 1, sizeof(*s.samples));
	if (!s.frame_of || !s.samples)
		goto out;
	err = 0;
	for (i = 0; i < n && !err; i++) {
		const struct kms_site *site = collector__site(c, i);

		if (site->t.allocs || site->t.live)
			err = add_site(&s, site, stacks);
	}
	if (!err)
		err = emit(f, &s, ks, ri);
out:
	idmap__free(s.frame_of);
	free(s.addrs);
	free(s.ids);
	free(s.samples);
	return err;
}
