/* SPDX-License-Identifier: GPL-2.0 */
/*
 * session.h - one run of kmscope: either live (load, attach, drain the
 * ring, optionally start a command and record) or a replay of a recording.
 * Both feed the same decoder and collector, so every command that analyses
 * events works the same on both.  The commands (cmd_*.c) set the options,
 * call session__run() and print what it collected.
 */
#ifndef KMS_SESSION_H
#define KMS_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "collect.h"
#include "loader.h"
#include "redact.h"
#include "runinfo.h"

struct ksyms;
struct kms_stacks;
struct cgpaths;

typedef void (*session_event_fn)(void *ctx, const struct kms_event *ev,
				 const struct kms_resolved *res);

struct session;

struct session_opts {
	struct loader_opts lo;
	const char *input;		/* -i: replay this recording */
	const char *output;		/* write a recording here */
	double duration_s;		/* 0 = until Ctrl-C or the command exits */
	char **cmd;			/* -- CMD ARGS, NULL-terminated */
	const char *kallsyms;		/* symbol source for live runs */
	size_t max_tracked;		/* userspace table bound, 0 = none */
	unsigned int drain_ms;
	bool quiet;			/* no progress lines on stderr */
	bool snapshots;			/* keep slabinfo/sysfs at start and end */
	bool whole_system;		/* with -- CMD: trace everything while it runs */
	bool redact;			/* hash kernel addresses in what is printed */
	uint32_t stacks;		/* -g: stack of every Nth allocation (0: none) */
	bool by_cgroup;			/* --by cgroup: each site's totals per cgroup */
	bool drop_caches;		/* at the end, drop the kernel's caches and settle */
	session_event_fn on_event;	/* per-event hook (trace), or NULL */
	/*
	 * Live: called every tick_ms with the session (its collector, and
	 * ri.counters / ri.recursion_misses read from the kernel just before)
	 * and the time traced so far; returning true stops the trace as
	 * Ctrl-C would.  Progress lines and `top` are built on it.
	 */
	bool (*on_tick)(void *ctx, const struct session *s, uint64_t elapsed_ns);
	unsigned int tick_ms;
	/*
	 * Before each tick, bring s->stacks (-g) and s->cgpaths up to date
	 * (otherwise both come at the end): for what renders profiles live.
	 */
	bool tick_resolve;
	/*
	 * Live: SIGHUP calls this (from the drain loop, not the handler)
	 * instead of ending the trace; NULL: SIGHUP ends it as SIGTERM does.
	 */
	void (*on_hup)(void *ctx);
	void *ctx;
};

/* Where SLUB shows its caches (a snapshot at start and end; serve's poller). */
#define KMS_SLAB_SYSFS	"/sys/kernel/slab"

/* Snapshots of the allocator's own accounting, at start and end. */
enum kms_snap {
	KMS_SNAP_SLABINFO_START,
	KMS_SNAP_SLABINFO_END,
	KMS_SNAP_GEOM_START,	/* /sys/kernel/slab, slabsnap text */
	KMS_SNAP_GEOM_END,
	KMS_SNAP_MAX,
};

struct kms_text {
	char *text;
	size_t len;
};

struct session {
	struct collector *c;
	struct ksyms *ks;		/* may be NULL (no symbols available) */
	struct runinfo ri;
	bool interrupted;
	bool replayed;			/* from a recording, not live */
	bool damaged;			/* replay skipped damage, or was cut short */
	bool target_exited;		/* -p/--tid: the process or thread exited, ending it */
	bool cmd_failed;		/* -- CMD could not be executed (ri.exit_status 126/127) */
	struct kms_text snap[KMS_SNAP_MAX];	/* live with snapshots, or replay */
	struct kms_stacks *stacks;		/* -g, NULL without */
	struct cgpaths *cgpaths;		/* the cgroups' paths, or NULL */
	bool redacting;				/* --redact: ks carries this key */
	struct kms_redact redact;
};

/*
 * Run to completion.  Returns 0, or -errno with one sentence in msg; on a
 * damaged recording it returns -EBADMSG (or the reader's error) but s
 * still holds everything the reader could read, damaged sections skipped
 * (s->ri says what they cost), and may be reported.
 */
int session__run(struct session *s, const struct session_opts *o, char *msg, size_t len);
void session__free(struct session *s);


#endif /* KMS_SESSION_H */
