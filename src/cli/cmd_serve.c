// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_serve.c - `kmscope serve`: one long trace (the whole system, a
 * filter, or a command), served over HTTP for Prometheus and profilers.
 * Every second the trace's tick renders the documents (Prometheus text,
 * the stat JSON, a pprof heap profile) and hands them to the server
 * (src/live/httpd.c), which answers from those snapshots only.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cmd.h"
#include "findings.h"
#include "httpd.h"
#include "log.h"
#include "membill.h"
#include "pprof.h"
#include "promexp.h"
#include "promtext.h"
#include "report_findings.h"
#include "report_stat.h"
#include "session.h"
#include "slabpoll.h"
#include "slabsys.h"

enum { OPT_LISTEN = 0x400, OPT_SITES, OPT_LOG };

#define SERVE_PORT	9465
#define SERVE_SITES	100
#define SERVE_TICK_MS	1000
/*
 * Every this many seconds /sys/kernel/slab is read again for the report's
 * memory bill, on a thread of its own (src/live/slabpoll.c: 200 ms of
 * small files would stall the drain); the report itself is remade every
 * tick, against the latest.
 */
#define SERVE_SLABSYS_S		10
/*
 * The live table's default bound (24 bytes an entry, so about 100 MiB with
 * the hash's slack): a server runs for weeks, and leaks never leave it.
 */
#define SERVE_MAX_TRACKED	(1u << 22)

struct serve_args {
	struct common_opts co;
	char addr[64];
	uint16_t port;
	unsigned int sites;
	const char *log;
	struct httpd *h;
	struct promexp *pe;
	struct findings fs;		/* of the last report */
	bool have_fs;
	/* Its slab_parts looked up in the symbols at the first report: vmlinux's stay put. */
	struct findings_opts fo;
	bool have_parts;
	struct slabsys *sys;		/* /sys/kernel/slab, about SERVE_SLABSYS_S old */
	struct slabpoll *poll;		/* ... which reads it; started at the first tick */
	bool poll_failed;
};

static const struct argp_option serve_options[] = {
	{ "listen", OPT_LISTEN, "ADDR[:PORT]", 0, "Address and port to serve on (default "
	  "127.0.0.1:9465; an IPv6 address in brackets: [::1]:9465)", 4 },
	{ "sites", OPT_SITES, "N", 0, "Call sites with series of their own in /metrics, the first "
	  "met, busiest first (default 100); the others add up in site=\"other\"", 4 },
	{ "log", OPT_LOG, "FILE", 0, "Append messages to FILE instead of stderr; SIGHUP opens it "
	  "again (after logrotate moved it)", 4 },
	{ 0 },
};

/* "ADDR", "ADDR:PORT", "[V6]", "[V6]:PORT" into a->addr and a->port. */
static int parse_listen(struct serve_args *a, const char *arg)
{
	const char *host = arg, *colon, *end;
	unsigned long port = SERVE_PORT;
	size_t n;
	char *e;

	if (*arg == '[') {
		end = strchr(arg, ']');
		if (!end)
			return -EINVAL;
		host = arg + 1;
		n = end - host;
		colon = end[1] == ':' ? end + 1 : end[1] ? NULL : end + 1;
		if (!colon)
			return -EINVAL;
	} else {
		colon = strrchr(arg, ':');
		n = colon ? (size_t)(colon - arg) : strlen(arg);
	}
	if (!n || n >= sizeof(a->addr))
		return -EINVAL;
	if (colon && *colon == ':') {
		errno = 0;
		port = strtoul(colon + 1, &e, 10);
		if (errno || e == colon + 1 || *e || !port || port > 65535)
			return -EINVAL;
	}
	memcpy(a->addr, host, n);
	a->addr[n] = 0;
	a->port = port;
	return 0;
}

static error_t parse_serve(int key, char *arg, struct argp_state *st)
{
	struct serve_args *a = st->input;

	switch (key) {
	case OPT_LISTEN:
		if (parse_listen(a, arg))
			argp_error(st, "invalid --listen '%s': ADDR, ADDR:PORT or [IPV6]:PORT", arg);
		break;
	case OPT_LOG:
		a->log = arg;
		break;
	case OPT_SITES:
		a->sites = parse_count(st, "--sites", arg, 100000);
		if (!a->sites)
			argp_error(st, "--sites 0: at least one call site needs its series");
		break;
	default:
		return tracing_key(key, arg, st, &a->co);
	}
	return 0;
}

static const struct argp_child serve_children[] = { { &common_argp, 0, NULL, 0 }, { 0 } };

static const struct argp serve_argp = {
	serve_options, parse_serve, "[-- CMD [ARGS...]]",
	"Trace until stopped and serve what it sees over HTTP: /metrics (Prometheus), "
	"/report.json, /debug/pprof/heap and allocs (?seconds=N: over a window), /healthz.\v"
	"Examples:\n"
	"  kmscope serve                          the whole system on 127.0.0.1:9465\n"
	"  kmscope serve --listen 0.0.0.0:9465    reachable from other machines\n"
	"  curl -s localhost:9465/metrics | grep kmscope_allocated_bytes_total",
	serve_children, NULL, NULL,
};

/* CPU and resident memory of kmscope itself. */
static void self_usage(struct promexp_self *self, uint64_t elapsed_ns)
{
	struct rusage ru;
	unsigned long pages = 0, rss = 0;
	FILE *f;

	getrusage(RUSAGE_SELF, &ru);
	self->cpu_seconds = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
			    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	f = fopen("/proc/self/statm", "re");
	if (f && fscanf(f, "%lu %lu", &pages, &rss) != 2)
		rss = 0;
	if (f)
		fclose(f);
	self->rss_bytes = (uint64_t)rss * sysconf(_SC_PAGESIZE);
	self->uptime_seconds = elapsed_ns / 1e9;
}

/* One document into a memory buffer, published when whole. */
static void publish(struct serve_args *a, enum httpd_doc doc, int (*fn)(FILE *f, void *ctx),
		    void *ctx)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	if (!f)
		return;
	err = fn(f, ctx);
	if (fclose(f) || err) {
		free(buf);
		p_warn("serve: a snapshot could not be rendered (%s); the last one stays",
		       strerror(err ? -err : errno));
		return;
	}
	httpd__publish(a->h, doc, buf, len);
}

struct tick_ctx {
	struct serve_args *a;
	const struct session *s;
	struct promexp_self self;
};

static int render_metrics(FILE *f, void *ctx)
{
	struct tick_ctx *t = ctx;

	return promexp__write(t->a->pe, f, t->s->c, t->s->ks, &t->s->ri, &t->self,
			      t->a->have_fs ? &t->a->fs : NULL);
}

/* The report JSON since the start: findings against the memory bill of now. */
struct report_ctx {
	struct tick_ctx *t;
	const struct membill *mb;
	const struct slabsys *sys;
};

static int render_report(FILE *f, void *ctx)
{
	const struct report_ctx *r = ctx;
	const struct session *s = r->t->s;
	struct stat_opts so = {
		.json = true, .top = r->t->a->sites, .findings = &r->t->a->fs,
		.sections = REPORT_ALL, .stacks = s->stacks, .membill = r->mb,
		.names = r->sys, .cgpaths = s->cgpaths,
	};

	return report_stat(f, s->c, s->ks, &s->ri, &so);
}

/* Findings and /report.json again. */
static void make_report(struct tick_ctx *t)
{
	struct report_ctx r = { .t = t };
	struct slabsys *sys;
	struct membill mb;
	int err;

	/* Started here, after the capabilities were dropped: threads inherit that. */
	if (!t->a->poll && !t->a->poll_failed) {
		t->a->poll = slabpoll__start(KMS_SLAB_SYSFS, SERVE_SLABSYS_S);
		t->a->poll_failed = !t->a->poll;
		if (t->a->poll_failed)
			p_warn("serve: /sys/kernel/slab will not be read (%s): the report's memory "
			       "bill lacks the kernel's half", strerror(errno));
	}
	/* Without a snapshot the bill's kernel half is missing: still a report. */
	sys = t->a->poll ? slabpoll__take(t->a->poll) : NULL;
	if (sys) {
		slabsys__free(t->a->sys);
		t->a->sys = sys;
	}
	sys = t->a->sys;
	err = membill__compute(t->s->c, sys, t->s->ri.page_size, &mb);
	if (err)
		goto out;
	if (t->a->have_fs)
		findings__free(&t->a->fs);
	t->a->have_fs = false;
	if (!t->a->have_parts) {
		findings_opts__slab_parts(&t->a->fo, t->s->ks);
		t->a->have_parts = true;
	}
	err = findings__compute_billed(t->s->c, &t->s->ri, &t->a->fo, &mb, &t->a->fs);
	t->a->have_fs = !err;
	if (!err) {
		r.mb = &mb;
		r.sys = sys;
		publish(t->a, HTTPD_REPORT, render_report, &r);
	}
	membill__free(&mb);
out:
	if (err)
		p_warn("serve: the report could not be made (%s); the last one stays",
		       strerror(-err));
}

/* One profile of the session as it is now, with the options o. */
static int write_profile(FILE *f, const struct tick_ctx *t, const struct pprof_opts *o)
{
	return pprof__write_opts(f, t->s->c, t->s->ks, t->s->stacks, t->s->cgpaths, &t->s->ri, o);
}

static int render_heap(FILE *f, void *ctx)
{
	return write_profile(f, ctx, &(struct pprof_opts){ .allocs = false });
}

static int render_allocs(FILE *f, void *ctx)
{
	return write_profile(f, ctx, &(struct pprof_opts){ .allocs = true });
}

/* ?seconds=N: a window opens on the counts of this tick. */
static void *window_open(void *ctx)
{
	struct tick_ctx *t = ctx;

	return pprof_base__new(t->s->c, t->s->ri.t0_real_ns + t->s->ri.duration_ns);
}

static int window_close(void *ctx, enum httpd_doc doc, const void *base, char **buf,
			size_t *len)
{
	struct tick_ctx *t = ctx;
	struct pprof_opts o = {
		.allocs = doc == HTTPD_PPROF_ALLOCS, .since = base,
		.now_real_ns = t->s->ri.t0_real_ns + t->s->ri.duration_ns,
	};
	FILE *f = open_memstream(buf, len);
	int err;

	if (!f)
		return -ENOMEM;
	err = write_profile(f, t, &o);
	if (fclose(f) && !err)
		err = -EIO;
	return err;
}

static void window_drop(void *base)
{
	pprof_base__free(base);
}

static const struct httpd_window_ops window_ops = {
	.open = window_open, .close = window_close, .drop = window_drop,
};

/* The same exposition as OpenMetrics, from the Prometheus text just rendered. */
struct text {
	const char *buf;
	size_t len;
};

static int render_openmetrics(FILE *f, void *ctx)
{
	const struct text *t = ctx;

	return promtext__to_openmetrics(t->buf, t->len, f);
}

static bool serve_tick(void *ctx, const struct session *s, uint64_t elapsed_ns)
{
	struct tick_ctx t = { .a = ctx, .s = s };
	struct text prom = { 0 };
	char *buf = NULL;
	FILE *f;
	int err;

	if (promexp__update(t.a->pe, s->c))
		p_warn("serve: out of memory for new call sites' series");
	self_usage(&t.self, elapsed_ns);
	t.self.max_tracked = t.a->co.so.max_tracked;
	make_report(&t);
	/* Prometheus text, then the OpenMetrics made from it. */
	f = open_memstream(&buf, &prom.len);
	err = f ? render_metrics(f, &t) : -ENOMEM;
	if (f && fclose(f) && !err)
		err = -EIO;
	if (err) {
		free(buf);
		p_warn("serve: /metrics could not be rendered (%s); the last one stays",
		       strerror(-err));
	} else {
		prom.buf = buf;
		publish(t.a, HTTPD_METRICS_OM, render_openmetrics, &prom);
		httpd__publish(t.a->h, HTTPD_METRICS, buf, prom.len);
	}
	publish(t.a, HTTPD_PPROF_HEAP, render_heap, &t);
	publish(t.a, HTTPD_PPROF_ALLOCS, render_allocs, &t);
	httpd__windows(t.a->h, elapsed_ns, &window_ops, &t);
	/* Ticks come once attached, with the capabilities dropped (privs.h). */
	if (httpd__run(t.a->h)) {
		p_err("serve: the HTTP server did not start");
		return true;
	}
	return false;
}

/* SIGHUP: the log file again, under the same name (logrotate's way). */
static void serve_hup(void *ctx)
{
	int err = log_reopen();

	(void)ctx;
	if (err)
		p_warn("serve: SIGHUP: the log could not be opened again (%s); still writing to "
		       "the old one", strerror(-err));
	else
		p_info("serve: SIGHUP: log opened again");
}

static void serve_final_json(const struct session *s, const struct serve_args *a)
{
	struct stat_opts so = { .json = true, .pretty = gopts.pretty, .top = a->sites };

	if (report_stat(stdout, s->c, s->ks, &s->ri, &so))
		p_err("writing the report failed");
}

int cmd_serve(int argc, char **argv)
{
	struct serve_args a = { .port = SERVE_PORT, .sites = SERVE_SITES,
				.fo = { .hot_allocs = FIND_HOT_ALLOCS } };
	struct session s;
	char msg[512];
	int rc, err;

	snprintf(a.addr, sizeof(a.addr), "127.0.0.1");
	common_opts__init(&a.co);
	a.co.no_input = "serve traces the live system; for a recording use stat -i or report -i";
	a.co.no_drop = "serve runs until stopped; --drop-caches is for a trace that ends in a "
		       "report (stat, report, run, record, trace)";
	a.co.no_pair = "serve shows live counts while the trace runs; --pair holds allocations "
		       "back until their free or the end (stat, report, run, record, check)";
	rc = parse_tracing_args(&serve_argp, argc, argv, &a, &a.co);
	if (rc)
		return rc;
	if (a.log && (err = log_open(a.log))) {
		p_err("--log: cannot open '%s': %s", a.log, strerror(-err));
		return KMS_EXIT_ERROR;
	}
	a.pe = promexp__new(a.sites);
	/* Bound first: a port taken costs nothing loaded. */
	a.h = a.pe ? httpd__listen(a.addr, a.port, msg, sizeof(msg)) : NULL;
	if (!a.h) {
		p_err("%s", a.pe ? msg : "out of memory");
		promexp__free(a.pe);
		return KMS_EXIT_ERROR;
	}
	p_info("serving on http://%s%s%s:%u/metrics (also /report.json, /debug/pprof/heap, "
	       "/debug/pprof/allocs, /healthz)", strchr(a.addr, ':') ? "[" : "", a.addr, strchr(a.addr, ':') ? "]" : "",
	       a.port);
	a.co.so.on_tick = serve_tick;
	a.co.so.tick_ms = SERVE_TICK_MS;
	a.co.so.tick_resolve = true;
	if (!a.co.so.max_tracked)
		a.co.so.max_tracked = SERVE_MAX_TRACKED;
	a.co.so.on_hup = serve_hup;
	a.co.so.ctx = &a;
	err = session__run(&s, &a.co.so, msg, sizeof(msg));
	httpd__stop(a.h);
	slabpoll__stop(a.poll);
	say_why_ended(&s);
	if (err)
		p_err("%s", msg);
	/* -j: the whole run's stat JSON when it ends (as `stat -j`, for scripts and the bench). */
	else if (gopts.json && s.c)
		serve_final_json(&s, &a);
	rc = exit_code(&s, err ? KMS_EXIT_ERROR : KMS_EXIT_OK);
	session__free(&s);
	promexp__free(a.pe);
	if (a.have_fs)
		findings__free(&a.fs);
	slabsys__free(a.sys);
	return rc;
}
