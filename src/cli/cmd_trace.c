// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_trace.c - `kmscope trace`: one line per event, live or from a
 * recording: time, cpu, tid, comm, event, call site, pointer, bytes
 * requested and allocated, GFP flags and cache.  With -j, one JSON object
 * per line (NDJSON) with the time in integer nanoseconds since the start.
 * At the end it accounts for every event, as stat does: the header of the
 * stat report on stderr, or with -j a last {"summary":...} line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "context.h"
#include "gfp.h"
#include "json_writer.h"
#include "ksyms.h"
#include "log.h"
#include "redact.h"
#include "report_stat.h"

/* The bits of a --redact pointer token: 12 hex digits. */
#define REDACT_TOKEN_MASK	((uint64_t)0xffffffffffff)

struct trace_args {
	struct common_opts co;
	struct session *s;
	bool header_done;
};

static const struct argp_option trace_options[] = { { 0 } };

static error_t parse_trace(int key, char *arg, struct argp_state *st)
{
	struct trace_args *a = st->input;

	switch (key) {
	default:
		return tracing_key(key, arg, st, &a->co);
	}
	return 0;
}

static const struct argp_child trace_children[] = { { &common_argp, 0, NULL, 0 }, { 0 } };

static const struct argp trace_argp = {
	trace_options, parse_trace, "[-- CMD [ARGS...]]",
	"Print every kmem event as it happens (or as recorded).\v"
	"Examples:\n"
	"  kmscope trace --comm sshd --min-size 4096\n"
	"  kmscope trace -j -- ./mytest > events.ndjson\n"
	"  kmscope trace -i kmscope.data",
	trace_children, NULL, NULL,
};

static bool is_alloc(const struct kms_event *ev)
{
	return ev->type == KMS_EV_KMALLOC || ev->type == KMS_EV_CACHE_ALLOC;
}

/* A free of an allocation not traced: its sizes are unknown, not 0. */
static bool sizes_known(const struct kms_event *ev, const struct kms_resolved *res)
{
	return is_alloc(ev) || res->matched;
}

static void trace_json(struct trace_args *a, const struct kms_event *ev,
		       const struct kms_resolved *res, uint64_t t_ns, const char *comm,
		       const char *site, const char *gfp, const char *ptr, bool redact)
{
	struct json_writer *w = jsonw_new(stdout);
	char ctx[KMS_RUNINFO_CTX_LEN];

	if (!w)
		return;
	jsonw_start_object(w);
	jsonw_uint_field(w, "time_ns", t_ns);
	jsonw_uint_field(w, "cpu", ev->cpu);
	jsonw_uint_field(w, "tid", ev->tid);
	if (comm)
		jsonw_string_field(w, "comm", comm);
	else
		jsonw_null_field(w, "comm");
	jsonw_string_field(w, "event", kms_ev_type_name(ev->type));
	if (is_alloc(ev))
		jsonw_string_field(w, "site", site);
	if (redact)
		jsonw_string_field(w, "ptr", ptr);
	else
		jsonw_hex_field(w, "ptr", ev->ptr);
	if (sizes_known(ev, res)) {
		jsonw_uint_field(w, "bytes_req", res->bytes_req);
		jsonw_uint_field(w, "bytes_alloc", res->bytes_alloc);
	} else {
		jsonw_null_field(w, "bytes_req");
		jsonw_null_field(w, "bytes_alloc");
	}
	if (is_alloc(ev))
		jsonw_string_field(w, "gfp", gfp);
	if (res->cache)
		jsonw_string_field(w, "cache", res->cache->name);
	if (ev->flags & KMS_EVF_FAILED)
		jsonw_bool_field(w, "failed", true);
	if (is_alloc(ev) && kms_ctx_of(ev->flags))
		jsonw_string_field(w, "context", kms_ctx_format(kms_ctx_of(ev->flags), ctx,
								 sizeof(ctx)));
	if (res->collapsed)
		jsonw_bool_field(w, "collapsed", true);
	jsonw_end_object(w);
	jsonw_close(&w);	/* one object per line */
}

static void on_event(void *ctx, const struct kms_event *ev, const struct kms_resolved *res)
{
	struct trace_args *a = ctx;
	const char *comm;
	char site[KMS_SYM_LEN] = "-", gfp[KMS_GFP_NAME_LEN] = "-", where[KMS_CTX_NAME_LEN], ptr[24], req[16] = "-", alloc[16] = "-";
	const struct kms_redact *rd;
	uint64_t t_ns;
	double t;

	if (ev->type == KMS_EV_CACHE_INFO || ev->type == KMS_EV_TASK)
		return;
	/* TID 0 is the idle task (a free from softirq or RCU on an idle CPU). */
	comm = collector__comm(a->s->c, ev->tid);
	if (!comm && !ev->tid)
		comm = "<idle>";
	t_ns = ev->ts > a->s->ri.t0_mono_ns ? ev->ts - a->s->ri.t0_mono_ns : 0;
	t = t_ns / 1e9;
	if (is_alloc(ev)) {
		ksyms__format(a->s->ks, ev->call_site, site, sizeof(site));
		gfp_format(ev->gfp, gfp, sizeof(gfp));
	}
	/*
	 * --redact: an object's pointer becomes a token that still pairs
	 * alloc and free; 48 bits, so that it never reads as a kernel
	 * address (16 hex digits, from ffff), as one in 65,536 full hashes did.
	 */
	rd = ksyms__redact(a->s->ks);
	if (rd)
		snprintf(ptr, sizeof(ptr), "#%012" PRIx64,
			 kms_redact__hash(rd, ev->ptr) & REDACT_TOKEN_MASK);
	else
		snprintf(ptr, sizeof(ptr), "0x%016" PRIx64, ev->ptr);
	if (gopts.json)
		return trace_json(a, ev, res, t_ns, comm, site, gfp, ptr, !!rd);
	if (sizes_known(ev, res)) {
		snprintf(req, sizeof(req), "%u", res->bytes_req);
		snprintf(alloc, sizeof(alloc), "%u", res->bytes_alloc);
	}
	if (!a->header_done) {
		printf("%-12s %3s %7s %-16s %-16s %-36s %-18s %7s %7s %-28s %s\n", "TIME", "CPU",
		       "TID", "COMM", "EVENT", "CALL_SITE", "PTR", "REQ", "ALLOC", "GFP", "CACHE");
		a->header_done = true;
	}
	where[0] = '\0';
	if (is_alloc(ev) && kms_ctx_of(ev->flags)) {
		snprintf(where, sizeof(where), " [");
		kms_ctx_format(kms_ctx_of(ev->flags), where + 2, sizeof(where) - 3);
		strcat(where, "]");
	}
	printf("%12.6f %3u %7u %-16s %-16s %-36s %-18s %7s %7s %-28s %s%s%s\n", t,
	       ev->cpu, ev->tid, comm ? comm : "-", kms_ev_type_name(ev->type), site, ptr,
	       req, alloc, gfp, res->cache ? res->cache->name : "-",
	       (ev->flags & KMS_EVF_FAILED) ? " FAILED" : res->collapsed ? " (second event)" : "",
	       where);
}

int cmd_trace(int argc, char **argv)
{
	struct trace_args a = { 0 };
	struct session s;
	char msg[512];
	int rc, err;

	common_opts__init(&a.co);
	a.co.no_pair = "trace prints every event as it happens; --pair sends an allocation "
		       "with its free (stat, report, run, record, check)";
	rc = parse_tracing_args(&trace_argp, argc, argv, &a, &a.co);
	if (rc)
		return rc;
	a.s = &s;
	a.co.so.on_event = on_event;
	a.co.so.ctx = &a;
	err = session__run(&s, &a.co.so, msg, sizeof(msg));
	/* Every event accounted for, losses included; stdout keeps only events. */
	if (s.c && gopts.json)
		report_stat_summary_json(stdout, s.c, &s.ri);
	fflush(stdout);
	if (s.c && !gopts.json)
		report_stat_header(stderr, s.c, &s.ri, "trace");
	say_why_ended(&s);
	if (err)
		p_err("%s", msg);
	rc = exit_code(&s, err ? KMS_EXIT_ERROR : KMS_EXIT_OK);
	session__free(&s);
	return rc;
}
