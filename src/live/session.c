// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - see session.h.  Owns the ring-buffer consumer, the traced
 * command's process, the recording being written, and the replay reader.
 *
 * Draining: the BPF programs submit without wakeups; this loop polls the
 * ring every drain_ms (default 10 ms) and the programs force a wakeup only
 * when the ring fills past a quarter, so the consumer costs almost nothing
 * per event.  At the end the programs are detached first and the ring is
 * drained once more, so the counters read afterwards are final.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <linux/membarrier.h>

#include "decode.h"
#include "encode.h"
#include "evahead.h"
#include "evpack.h"
#include "grow.h"
#include "ksyms.h"
#include "log.h"
#include "recfile.h"
#include "ringbuf.h"
#include "session.h"
#include "slabsnap.h"
#include "privs.h"
#include "redact.h"
#include "rfilter.h"
#include "stacks.h"
#include "cgpaths.h"
#include "cgroupfs.h"
#include "target.h"
#include "util.h"

#define SLABINFO	"/proc/slabinfo"

static volatile sig_atomic_t exiting;
static volatile sig_atomic_t exit_signal;
static volatile sig_atomic_t hup_pending;
static bool hup_continues;	/* SIGHUP goes to o->on_hup, not to the end */

static void on_signal(int sig)
{
	if (sig == SIGHUP && hup_continues) {
		hup_pending = 1;
		return;
	}
	exiting = 1;
	exit_signal = sig;
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct pipeline {
	struct session *s;
	const struct session_opts *o;
	struct recfile_writer *w;
	int write_err;
	struct kms_rfilter *rf;		/* replay with filters, else NULL */
	struct evahead ahead;		/* live: events waiting for their table slot */
	int64_t unread;			/* replay: the last packed section's records not read; -1 unknown */
};

static void feed_event(struct pipeline *p, const struct kms_event *ev)
{
	struct kms_resolved res;

	if (p->rf && !kms_rfilter__keep(p->rf, ev, collector__comm(p->s->c, ev->tid)))
		return;
	collector__event(p->s->c, ev, &res);
	if (p->o->on_event)
		p->o->on_event(p->o->ctx, ev, &res);
}

/* Decode one record into ev; one that does not decode is counted as bad. */
static bool decode(struct pipeline *p, const void *data, size_t size, struct kms_event *ev)
{
	int err = kms_decode(data, size, ev);

	if (err)
		collector__bad_record(p->s->c, err);
	return !err;
}

static void feed(struct pipeline *p, const void *data, size_t size)
{
	struct kms_event ev;

	if (decode(p, data, size, &ev))
		feed_event(p, &ev);
}

/* Fold in every event still held back (the end of a drain). */
static void feed_held(struct pipeline *p)
{
	const struct kms_event *ev;

	while ((ev = evahead__pop(&p->ahead)))
		feed_event(p, ev);
}

/*
 * An event that did not cross the ring as its own record (half of a pair,
 * an allocation held in the kernel to the end): recorded as its own
 * record would have been, so that a replay folds in exactly these events,
 * then queued like one read from the ring.
 */
static void take_event(struct pipeline *p, const struct kms_event *ev)
{
	unsigned char rec[KMS_ENCODE_MAX];
	int n;

	if (p->w && !p->write_err) {
		n = kms_encode(ev, rec, sizeof(rec));
		p->write_err = n < 0 ? n : recfile_writer__add_event(p->w, rec, n, ev);
	}
	if (evahead__full(&p->ahead))
		feed_event(p, evahead__pop(&p->ahead));
	*evahead__tail(&p->ahead) = *ev;
	collector__prefetch(p->s->c, ev);
	evahead__commit(&p->ahead);
}

/* --pair: an allocation and its free in one record, folded in as the two. */
static void on_pair_record(struct pipeline *p, const void *data, size_t size)
{
	struct kms_event ev[2];
	int err = kms_decode_pair(data, size, &ev[0], &ev[1]);

	if (err) {
		collector__bad_record(p->s->c, err);
		return;
	}
	p->s->ri.paired++;
	take_event(p, &ev[0]);
	take_event(p, &ev[1]);
}

/*
 * A live record: decoded at once, folded in EVAHEAD_DEPTH events later,
 * once the prefetch of its table slot had time to land (evahead.h).
 */
static void on_ring_record(void *ctx, const void *data, size_t size)
{
	struct pipeline *p = ctx;
	struct kms_event *ev;
	int err;
	bool ok;

	if (evahead__full(&p->ahead))
		feed_event(p, evahead__pop(&p->ahead));
	ev = evahead__tail(&p->ahead);
	/* A pair is told by its decode, not by a second look at every record. */
	err = kms_decode(data, size, ev);
	if (err == -EAGAIN) {
		on_pair_record(p, data, size);
		return;
	}
	if (err)
		collector__bad_record(p->s->c, err);
	ok = !err;
	if (p->w && !p->write_err)
		p->write_err = recfile_writer__add_event(p->w, data, size, ok ? ev : NULL);
	if (!ok)
		return;
	if (!evahead__holdable(ev)) {
		feed_held(p);
		feed_event(p, ev);
		return;
	}
	collector__prefetch(p->s->c, ev);
	evahead__commit(&p->ahead);
}

/* Drain the ring (waiting up to timeout_ms first, unless negative): every event folded in. */
static long drain(struct kms_ring *rb, struct pipeline *p, int timeout_ms)
{
	long got = timeout_ms < 0 ? kms_ring__consume(rb) : kms_ring__poll(rb, timeout_ms);

	feed_held(p);
	return got;
}

/* Cache names from a slabsnap text: `cache NAME ...` and `alias NAME ...`. */
static size_t snapshot_names(const struct kms_text *t, char ***names)
{
	const char *p = t->text, *end = t->text + t->len;
	size_t n = 0, cap = 0;
	char **v = NULL;

	while (p && p < end) {
		const char *nl = memchr(p, '\n', end - p), *le = nl ? nl : end, *nm, *ne;

		if ((le - p > 6 && !memcmp(p, "cache ", 6)) || (le - p > 6 && !memcmp(p, "alias ", 6))) {
			nm = p + 6;
			ne = memchr(nm, ' ', le - nm);
			ne = ne ? ne : le;
			if (kms_grow((void **)&v, &cap, n + 1, sizeof(*v), 512))
				break;
			v[n] = strndup(nm, ne - nm);
			n += v[n] != NULL;
		}
		p = le + 1;
	}
	*names = v;
	return n;
}

/*
 * The kmalloc parameters of the traced kernel, from the names of its
 * caches (the sysfs snapshot, live or recorded), so the model follows the
 * machine; the x86-64 defaults only when there is no snapshot.
 */
static void kernel_kmalloc_params(const struct session *s, struct kmalloc_params *kp)
{
	uint32_t page = s->ri.page_size ? s->ri.page_size : 4096;
	char **names = NULL;
	size_t i, n = snapshot_names(&s->snap[KMS_SNAP_GEOM_START], &names);

	if (!n || kmalloc_params__from_caches(kp, page, (const char *const *)names, n))
		kmalloc_params__default(kp, page);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static struct collector *new_collector(const struct session *s, const struct session_opts *o)
{
	struct collector_opts co = { .t0_ns = s->ri.t0_mono_ns, .max_tracked = o->max_tracked,
				     .preempt_known = s->ri.preempt, .by_cgroup = o->by_cgroup,
				     .pair = s->ri.pair || o->lo.pair };

	kernel_kmalloc_params(s, &co.kp);
	return collector__new(&co);
}

static void join_argv(char *dst, size_t len, char **argv)
{
	size_t n = 0, a;

	for (; argv && *argv; argv++) {
		if (n && n + 1 < len)
			dst[n++] = ' ';
		a = KMS_MIN(strlen(*argv), len - 1 - n);
		memcpy(dst + n, *argv, a);
		n += a;
	}
	dst[n] = 0;
	/* Single-line, as a recording's META stores it: replay prints the same. */
	for (n = 0; dst[n]; n++)
		if (dst[n] == '\n')
			dst[n] = ' ';
}

/* The filters as options, for the record and for people reading a report. */
static void describe_filters(char *buf, size_t len, const struct kms_filter *f)
{
	FILE *m = fmemopen(buf, len, "w");

	if (!m) {
		buf[0] = 0;
		return;
	}
	if (f->tgid)
		fprintf(m, " -p %u", f->tgid);
	if (f->tid)
		fprintf(m, " --tid %u", f->tid);
	if (f->comm[0])
		fprintf(m, " --comm %.16s", f->comm);
	if (f->cgroup_id)
		fprintf(m, " --cgroup id:%llu", (unsigned long long)f->cgroup_id);
	else if (f->cgroup_path)	/* a replay's: as given, resolved by the recording */
		fprintf(m, " --cgroup %s", f->cgroup_path);
	if (f->min_size)
		fprintf(m, " --min-size %u", f->min_size);
	if (f->max_size)
		fprintf(m, " --max-size %u", f->max_size);
	fclose(m);
	if (buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

/* First line of a small file, without its newline; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (f && fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

/* num_present_cpus(), which SLUB's calculate_order() uses: "0-1,4-7". */
static uint32_t present_cpus(void)
{
	char buf[256], *p = buf, *end;
	unsigned long a, b;
	uint32_t n = 0;

	read_line("/sys/devices/system/cpu/present", buf, sizeof(buf));
	while (*p) {
		a = strtoul(p, &end, 10);
		if (end == p)
			break;
		b = a;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		n += b >= a ? b - a + 1 : 0;
		p = *end == ',' ? end + 1 : end;
		if (*end != ',')
			break;
	}
	/* calculate_order(): with one present CPU, SLUB uses nr_cpu_ids. */
	return n > 1 ? n : (uint32_t)sysconf(_SC_NPROCESSORS_CONF);
}

static void fill_meta(struct runinfo *ri, const struct session_opts *o)
{
	struct utsname u;

	memset(ri, 0, sizeof(*ri));
	if (!uname(&u)) {
		snprintf(ri->kernel, sizeof(ri->kernel), "%s", u.release);
		snprintf(ri->hostname, sizeof(ri->hostname), "%s", u.nodename);
	}
	ri->page_size = sysconf(_SC_PAGESIZE);
	ri->ncpus = present_cpus();
	read_line("/proc/cmdline", ri->cmdline, sizeof(ri->cmdline));
	ri->exit_status = -1;
	join_argv(ri->command, sizeof(ri->command), o->cmd);
	describe_filters(ri->filters, sizeof(ri->filters), &o->lo.filter);
	if (!o->cmd)
		kms_target__describe(o->lo.filter.tgid, o->lo.filter.tid, ri->target,
				     sizeof(ri->target));
}

/* ---- the traced command ---------------------------------------------- */

/*
 * Fork the command stopped on a pipe: it may only exec once its pid is in
 * the followed map, or its first allocations would be missed.  A failed
 * exec sends its errno back on a second pipe, closed on exec.
 */
static int cmd_fork(char **argv, pid_t *pid, int *go_fd, int *exec_fd)
{
	int p[2], e[2], err;
	char c;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	if (pipe2(e, O_CLOEXEC)) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	*pid = fork();
	if (*pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		close(e[0]);
		close(e[1]);
		return err;
	}
	if (*pid == 0) {
		close(p[1]);
		close(e[0]);
		if (read(p[0], &c, 1) != 1)
			_exit(127);	/* kmscope failed before the start */
		execvp(argv[0], argv);
		err = errno;
		if (write(e[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(err == ENOENT ? 127 : 126);	/* as a shell does */
	}
	close(p[0]);
	close(e[1]);
	*go_fd = p[1];
	*exec_fd = e[0];
	return 0;
}

/* After the go: 0 once the command runs, or the errno of its failed exec. */
static int cmd_started(int *exec_fd)
{
	ssize_t n;
	int e = 0;

	if (*exec_fd < 0)
		return 0;
	do
		n = read(*exec_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(*exec_fd);
	*exec_fd = -1;
	return n == sizeof(e) ? -e : 0;
}

static int wait_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/* ---- recording ------------------------------------------------------- */

static int add_text_section(struct recfile_writer *w, enum recfile_section type,
			    int (*fill)(const void *arg, FILE *f), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int err;

	if (!m)
		return -errno;
	err = fill(arg, m);
	fclose(m);
	if (!err)
		err = recfile_writer__add_section(w, type, buf, len);
	free(buf);
	return err;
}

static int fill_meta_text(const void *arg, FILE *f)
{
	return runinfo__write_meta(arg, f);
}

static int fill_counters_text(const void *arg, FILE *f)
{
	return runinfo__write_counters(arg, f);
}

/*
 * Snapshot /proc/slabinfo or /sys/kernel/slab into s->snap[which].  A
 * kernel without them (no SLUB_DEBUG, no sysfs) still traces: the snapshot
 * is empty and the analyses that need it say so.
 */
static void take_snapshot(struct session *s, enum kms_snap which)
{
	struct kms_text *t = &s->snap[which];
	FILE *m;

	free(t->text);
	t->text = NULL;
	t->len = 0;
	if (which == KMS_SNAP_SLABINFO_START || which == KMS_SNAP_SLABINFO_END) {
		if (slurp_file(SLABINFO, &t->text, &t->len))
			t->text = NULL, t->len = 0;
		return;
	}
	m = open_memstream(&t->text, &t->len);
	if (!m)
		return;
	/*
	 * At the start only the names (the model's cache list): reading every
	 * attribute opens thousands of kernfs files, whose RCU-deferred frees
	 * would land inside the traced window and skew the reconciliation.
	 */
	if (which == KMS_SNAP_GEOM_START)
		slabsnap__write_names(KMS_SLAB_SYSFS, m);
	else
		slabsnap__write(KMS_SLAB_SYSFS, m);
	fclose(m);
}

static int add_snapshot(struct recfile_writer *w, enum recfile_section type,
			const struct kms_text *t)
{
	return recfile_writer__add_section(w, type, t->text ? t->text : "", t->len);
}

static void put_symbol(const struct ksyms *ks, uint64_t addr, FILE *f)
{
	unsigned long long off;
	const struct ksym *k = ksyms__find(ks, addr, &off), *next;

	if (!k)
		return;
	fprintf(f, "%016llx t %s%s%s%s\n", k->addr, k->name, k->module ? "\t[" : "",
		k->module ? k->module : "", k->module ? "]" : "");
	/* Bound it: without the next symbol a replay could stretch k. */
	next = ksyms__next(ks, k);
	if (next)
		fprintf(f, "%016llx t %s%s%s%s\n", next->addr, next->name,
			next->module ? "\t[" : "", next->module ? next->module : "",
			next->module ? "]" : "");
}

/* The symbols of the call sites and stack frames seen, in kallsyms format. */
static int fill_symbols(const void *arg, FILE *f)
{
	const struct session *s = arg;
	size_t i, j, n = collector__nr_sites(s->c), depth;

	for (i = 0; s->ks && i < n; i++) {
		const struct kms_site *site = collector__site(s->c, i);
		const uint64_t *ips = kms_stacks__get(s->stacks, site->stack, &depth);

		put_symbol(s->ks, site->call_site, f);
		for (j = 0; ips && j < depth; j++)
			put_symbol(s->ks, ips[j], f);
	}
	return 0;
}

static int fill_stacks(const void *arg, FILE *f)
{
	return kms_stacks__write(arg, f);
}

static int fill_cgroups(const void *arg, FILE *f)
{
	return cgpaths__write(arg, f);
}

/*
 * The paths of the cgroups the trace met, from the cgroup2 mount: at the
 * end, so cgroups made during the trace are there (and those removed
 * during it are not, and stay ids).
 */
static void fetch_cgroups(struct session *s)
{
	size_t i, n = collector__nr_cgroups(s->c), nr = 0;
	uint64_t *ids = calloc(n ? n : 1, sizeof(*ids));
	int err;

	cgpaths__free(s->cgpaths);
	s->cgpaths = cgpaths__new();
	if (!ids || !s->cgpaths)
		goto out;
	for (i = 0; i < n; i++) {
		uint64_t id = collector__cgroup(s->c, i)->id;

		if (kms_cgroup_is_dir(id))
			ids[nr++] = id;
	}
	err = nr ? cgroupfs__resolve(s->cgpaths, ids, nr) : 0;
	if (err < 0)
		p_dbg("cgroup paths not read (%s): cgroups are shown by id", strerror(-err));
out:
	free(ids);
}

/* -g: copy the stacks the sites refer to out of the BPF stack map. */
static void fetch_stacks(struct session *s, const struct loader *l)
{
	uint64_t ips[KMS_STACK_DEPTH];
	size_t i, n = collector__nr_sites(s->c);
	int depth;

	if (!s->stacks)
		s->stacks = kms_stacks__new();
	for (i = 0; s->stacks && i < n; i++) {
		const struct kms_site *site = collector__site(s->c, i);

		if (site->stack < 0 || kms_stacks__get(s->stacks, site->stack, &(size_t){ 0 }))
			continue;
		depth = loader__stack(l, site->stack, ips, KMS_STACK_DEPTH);
		if (depth > 0)
			kms_stacks__add(s->stacks, site->stack, ips, depth);
	}
}

static int open_output(const char *path, struct recfile_writer **w, FILE **wf)
{
	/* Recordings hold kernel addresses: 0600, and never through a symlink. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	*wf = fdopen(fd, "w");
	if (!*wf) {
		close(fd);
		return -errno;
	}
	*w = recfile_writer__new(*wf);
	return *w ? 0 : -errno;
}

static int write_header(struct recfile_writer *w, const struct session *s)
{
	int err = add_text_section(w, KMS_SEC_META, fill_meta_text, &s->ri);

	if (!err)
		err = add_snapshot(w, KMS_SEC_SLABINFO_START, &s->snap[KMS_SNAP_SLABINFO_START]);
	if (!err)
		err = add_snapshot(w, KMS_SEC_SLABGEOM_START, &s->snap[KMS_SNAP_GEOM_START]);
	return err;
}

static int write_trailer(struct recfile_writer *w, const struct session *s)
{
	int err = add_text_section(w, KMS_SEC_SYMBOLS, fill_symbols, s);

	if (!err && s->stacks)
		err = add_text_section(w, KMS_SEC_STACKS, fill_stacks, s->stacks);
	if (!err && cgpaths__count(s->cgpaths))
		err = add_text_section(w, KMS_SEC_CGROUPS, fill_cgroups, s->cgpaths);
	if (!err)
		err = add_snapshot(w, KMS_SEC_SLABINFO_END, &s->snap[KMS_SNAP_SLABINFO_END]);
	if (!err)
		err = add_snapshot(w, KMS_SEC_SLABGEOM_END, &s->snap[KMS_SNAP_GEOM_END]);
	if (!err)
		err = add_text_section(w, KMS_SEC_COUNTERS, fill_counters_text, &s->ri);
	if (!err)
		err = recfile_writer__finish(w);
	return err;
}

/* ---- live ------------------------------------------------------------ */

static void install_signals(const struct session_opts *o)
{
	struct sigaction sa = { .sa_handler = on_signal };

	hup_continues = o->on_hup != NULL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* --redact: the symbol table carries the key, so every writer sees it. */
static void apply_redact(struct session *s)
{
	if (!s->redacting)
		return;
	if (!s->ks)
		s->ks = ksyms__new();
	if (s->ks)
		ksyms__set_redact(s->ks, &s->redact);
}

/*
 * Without symbols every report still works, with raw addresses: say so
 * once.  Returns /proc/kallsyms still open, to name modules loaded later
 * (NULL for another source, or without symbols): kallsyms decides at open
 * whether it shows addresses, so this stream keeps showing them after the
 * privileges are dropped.
 */
static FILE *load_kallsyms(struct session *s, const char *path)
{
	const char *p = path ? path : "/proc/kallsyms";
	FILE *f = fopen(p, "re");

	if (!f) {
		p_warn("cannot read %s (%s); call sites are shown as addresses", p,
		       strerror(errno));
		return NULL;
	}
	s->ks = ksyms__load(f);
	if (s->ks && ksyms__addresses_hidden(s->ks)) {
		p_warn("%s hides kernel addresses (kptr_restrict); call sites are shown as "
		       "addresses", p);
		ksyms__free(s->ks);
		s->ks = NULL;
	}
	if (!s->ks || path) {
		fclose(f);
		return NULL;
	}
	return f;
}

/* FNV-1a of /proc/modules (world-readable): it changes when a module comes or goes. */
static uint64_t modules_signature(void)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char buf[4096];
	FILE *f = fopen("/proc/modules", "re");
	size_t n, i;

	if (!f)
		return 0;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ (unsigned char)buf[i]) * 0x100000001b3ULL;
	fclose(f);
	return h;
}

struct live_state {
	struct loader *l;
	struct kms_ring *rb;
	pid_t child;
	int go_fd;
	int exec_fd;		/* the command's exec error, until it runs */
	bool child_done;
	struct kms_target_watch target;	/* -p/--tid: ends the trace on exit */
	int child_status;
	FILE *kallsyms;		/* open while privileged; NULL: no module refresh */
	uint64_t modules_sig;	/* of /proc/modules when kallsyms was last read */
	uint64_t modules_checked;	/* CLOCK_MONOTONIC ns of the last check */
	size_t nr_cgroups_resolved;	/* tick_resolve: cgroups whose paths were read */
	int drop_fd;		/* --drop-caches: the sysctl, opened while root could */
	uint64_t held_lost;	/* --pair: held allocations not read at the end */
};

/* --pair: the allocations the kernel held to the end, in the order they were made. */
struct held_list {
	struct kms_event *ev;
	size_t n, cap;
	uint64_t bad;		/* did not decode, or no memory: lost */
};

static void held_add(void *ctx, const void *rec, size_t len)
{
	struct held_list *h = ctx;

	if (kms_grow((void **)&h->ev, &h->cap, h->n + 1, sizeof(*h->ev), 256) ||
	    kms_decode(rec, len, &h->ev[h->n]) || h->ev[h->n].name) {
		h->bad++;
		return;
	}
	h->n++;
}

static int by_ts(const void *a, const void *b)
{
	const struct kms_event *x = a, *y = b;

	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/*
 * After the programs are detached and the ring drained: what is still
 * held is live, and goes to the collector (and the recording) as the
 * allocations it is.  Slots a program never let go of, and records that
 * do not decode, are counted lost.
 */
static void flush_held(struct live_state *ls, struct pipeline *p)
{
	struct held_list h = { 0 };
	size_t i, busy = loader__held(ls->l, held_add, &h);

	qsort(h.ev, h.n, sizeof(*h.ev), by_ts);
	for (i = 0; i < h.n; i++)
		take_event(p, &h.ev[i]);
	feed_held(p);
	p->s->ri.held_end = h.n;
	ls->held_lost = busy + h.bad;
	free(h.ev);
}

/* How often the drain loop looks for modules loaded or unloaded. */
#define KMS_MODULES_CHECK_NS	1000000000ULL

/* A module came or went: read kallsyms again so its call sites are named. */
static void refresh_modules(struct live_state *ls, struct session *s)
{
	uint64_t sig;

	if (!ls->kallsyms)
		return;
	ls->modules_checked = now_ns(CLOCK_MONOTONIC);
	sig = modules_signature();
	if (sig == ls->modules_sig)
		return;
	ls->modules_sig = sig;
	ksyms__refresh(s->ks, ls->kallsyms);
}

/* The tick: fresh kernel counters for the callback, which may stop the trace. */
static bool tick(struct live_state *ls, const struct session_opts *o, struct session *s,
		 uint64_t now, uint64_t t0, uint64_t *last)
{
	if (!o->on_tick || now - *last < (uint64_t)(o->tick_ms ? o->tick_ms : 1000) * 1000000)
		return false;
	*last = now;
	loader__counters(ls->l, s->ri.counters);
	s->ri.recursion_misses = loader__recursion_misses(ls->l);
	s->ri.main_misses = loader__main_misses(ls->l);
	s->ri.alloc_misses = loader__alloc_misses(ls->l);
	s->ri.has_main_misses = true;
	s->ri.backup = loader__backup(ls->l);
	s->ri.duration_ns = now - t0;
	if (o->tick_resolve) {
		if (o->stacks)
			fetch_stacks(s, ls->l);
		/* Paths only when a cgroup came: the walk of cgroupfs is not free. */
		if (collector__nr_cgroups(s->c) != ls->nr_cgroups_resolved) {
			ls->nr_cgroups_resolved = collector__nr_cgroups(s->c);
			fetch_cgroups(s);
		}
	}
	return o->on_tick(o->ctx, s, now - t0);
}

static int drain_loop(struct live_state *ls, const struct session_opts *o,
		      struct pipeline *p, uint64_t t0)
{
	uint64_t deadline = o->duration_s > 0 ? t0 + (uint64_t)(o->duration_s * 1e9) : 0;
	uint64_t last_flush = t0, last_tick = t0;
	int err;

	while (!exiting) {
		err = drain(ls->rb, p, o->drain_ms);
		if (err < 0)
			return err;
		if (p->write_err)
			return p->write_err;
		/* Bound what a crash can lose: at most about a second of records. */
		if (p->w && now_ns(CLOCK_MONOTONIC) - last_flush > 1000000000ULL) {
			p->write_err = recfile_writer__flush(p->w);
			last_flush = now_ns(CLOCK_MONOTONIC);
		}
		if (ls->child > 0 && waitpid(ls->child, &ls->child_status, WNOHANG) == ls->child) {
			ls->child_done = true;
			break;
		}
		if (kms_target__gone(&ls->target)) {
			p->s->target_exited = true;
			break;
		}
		if (deadline && now_ns(CLOCK_MONOTONIC) >= deadline)
			break;
		if (now_ns(CLOCK_MONOTONIC) - ls->modules_checked > KMS_MODULES_CHECK_NS)
			refresh_modules(ls, p->s);
		if (tick(ls, o, p->s, now_ns(CLOCK_MONOTONIC), t0, &last_tick))
			break;
		if (hup_pending) {
			hup_pending = 0;
			o->on_hup(o->ctx);
		}
	}
	return 0;
}

/*
 * The command exited; what it freed through call_rcu() in its last
 * moments (inodes and their security blobs, files, pids) is freed a grace
 * period or more later, by another task.  Those objects are not its leak.
 * So the trace goes on in rounds: wait for a grace period
 * (MEMBARRIER_CMD_GLOBAL is synchronize_rcu()), then drain until no record
 * came for KMS_SETTLE_QUIET_NS; the first round that brings no record ends
 * it, and so does KMS_SETTLE_MAX_NS.  `check`, which traces the whole
 * system while the command runs, gets one round: its records never stop.
 */
#define KMS_SETTLE_QUIET_NS	50000000ULL
#define KMS_SETTLE_MAX_NS	2000000000ULL

/*
 * Rounds of a grace period and a drain until no record came for quiet_ns;
 * one round only where records never stop (endless).  Returns the records
 * drained, or -errno.
 */
static long settle_for(struct live_state *ls, struct pipeline *p, bool endless,
		       uint64_t quiet_ns, uint64_t max_ns)
{
	uint64_t start = now_ns(CLOCK_MONOTONIC), quiet, now;
	long got, total = 0;
	bool more = true;

	while (more && !exiting) {
		syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
		quiet = now_ns(CLOCK_MONOTONIC);
		for (more = false; !exiting; ) {
			got = drain(ls->rb, p, p->o->drain_ms);
			if (got < 0)
				return got;
			total += got;
			now = now_ns(CLOCK_MONOTONIC);
			if (now - start >= max_ns)
				return total;
			if (got && !endless)
				quiet = now, more = true;
			else if (now - quiet >= quiet_ns)
				break;
		}
	}
	return total;
}

/* System-wide (`check` traces everything while its command runs), records never stop. */
static int settle(struct live_state *ls, const struct session_opts *o, struct pipeline *p)
{
	long got = settle_for(ls, p, o->whole_system, KMS_SETTLE_QUIET_NS, KMS_SETTLE_MAX_NS);

	return got < 0 ? (int)got : 0;
}

/* The kernel's switch for dropping its caches (Documentation/admin-guide/sysctl/vm.rst). */
#define KMS_DROP_CACHES		"/proc/sys/vm/drop_caches"
/* 1 the page cache, 2 reclaimable slab objects (dentries, inodes), 3 both. */
#define KMS_DROP_CACHES_ALL	"3"
/*
 * The dcache and icache LRUs give a recently used object a second chance
 * (DCACHE_REFERENCED, I_REFERENCED: the first pass clears the bit and
 * rotates it), an inode is released only once its dentries are freed, and
 * what an inode owns (its LSM blob) goes with it through call_rcu(): a
 * command's own dentries and inodes take three passes.  A pass that frees
 * nothing traced ends it.
 */
#define KMS_DROP_PASSES		4
/* Thousands of objects through call_rcu() at once: a longer quiet than after a command. */
#define KMS_DROP_QUIET_NS	300000000ULL
#define KMS_DROP_MAX_NS		5000000000ULL

/*
 * --drop-caches, at the end of a command or of -d: objects the kernel
 * keeps in its caches after their user is done (the dentries and inodes
 * of the files a test touched, the page cache's nodes and buffer heads)
 * are live at the end without being leaked.  Dirty pages cannot be
 * dropped, so write them back first; then drop and settle, pass by pass.
 * Not on Ctrl-C: that stops now.
 */
static void drop_caches(struct live_state *ls, const struct session_opts *o, struct pipeline *p)
{
	/* Without a command, everyone's records keep coming: one round a pass. */
	bool endless = o->whole_system || !o->cmd;
	int pass;

	if (ls->drop_fd < 0 || exiting)
		return;
	sync();
	for (pass = 0; pass < KMS_DROP_PASSES && !exiting; pass++) {
		if (pwrite(ls->drop_fd, KMS_DROP_CACHES_ALL, 1, 0) != 1) {
			p_warn("--drop-caches: writing %s failed: %s; the report shows what the "
			       "caches held as live", KMS_DROP_CACHES, strerror(errno));
			return;
		}
		p->s->ri.caches_dropped = true;
		if (!settle_for(ls, p, endless, KMS_DROP_QUIET_NS, KMS_DROP_MAX_NS) && !endless)
			break;
	}
}

static void finish_child(struct live_state *ls, struct runinfo *ri)
{
	if (ls->child <= 0)
		return;
	if (!ls->child_done) {
		kill(ls->child, exit_signal ? exit_signal : SIGTERM);
		while (waitpid(ls->child, &ls->child_status, 0) < 0 && errno == EINTR)
			;
	}
	ri->exit_status = wait_status(ls->child_status);
}

/* Whether kfree_rcu() calls are seen (RCU-deferred frees), for the progress line. */
static const char *live_rcu_calls_seen(const struct runinfo *ri)
{
	if (!strcmp(ri->rcu_call, "fentry"))
		return "kfree_rcu() calls seen (fentry on kvfree_call_rcu)";
	if (!strcmp(ri->rcu_call, "kprobe"))
		return "kfree_rcu() calls seen (kprobe on kvfree_call_rcu)";
	return "kfree_rcu() calls not seen";
}

/* Which free paths the trace sees, for the progress line (docs/design.md). */
static const char *live_frees_seen(const struct runinfo *ri)
{
	if (!strcmp(ri->bulk_free, "fentry") && ri->rcu_sheaf == KMS_SHEAF_TRACED)
		return "bulk, kfree_rcu batch and sheaf frees seen (fentry on "
		       "kmem_cache_free_bulk, fexit on __kfree_rcu_sheaf)";
	if (!strcmp(ri->bulk_free, "fentry") && ri->rcu_sheaf == KMS_SHEAF_UNTRACED)
		return "bulk and kfree_rcu batch frees seen (fentry on kmem_cache_free_bulk), "
		       "kfree_rcu sheaf frees not seen";
	if (!strcmp(ri->bulk_free, "fentry"))
		return "bulk and kfree_rcu batch frees seen (fentry on kmem_cache_free_bulk)";
	if (!strcmp(ri->bulk_free, "kprobe") && ri->rcu_sheaf == KMS_SHEAF_UNTRACED)
		return "bulk and kfree_rcu batch frees seen (kprobe on kmem_cache_free_bulk), "
		       "kfree_rcu sheaf frees not seen (no fentry)";
	if (!strcmp(ri->bulk_free, "kprobe"))
		return "bulk and kfree_rcu batch frees seen (kprobe on kmem_cache_free_bulk)";
	if (ri->rcu_bulk_traced)
		return "kfree_rcu batch frees seen (rcu tracepoint), bulk frees not seen";
	if (ri->rcu_sheaf == KMS_SHEAF_UNTRACED)
		return "bulk, kfree_rcu batch and sheaf frees not seen (no fentry or kprobe)";
	return "bulk and kfree_rcu batch frees not seen (no fentry or kprobe)";
}

static int live_start(struct session *s, const struct session_opts *o, struct live_state *ls,
		      struct pipeline *p, char *msg, size_t len)
{
	struct loader_opts lo = o->lo;
	int err;

	lo.stacks = o->stacks;
	if (o->cmd && !o->whole_system)
		lo.filter.follow = true;
	err = loader__start(&ls->l, &lo, msg, len);
	if (err)
		return err;
	snprintf(s->ri.method, sizeof(s->ri.method), "%s", loader__method(ls->l));
	s->ri.ptr_probe_read = loader__ptr_probe_read(ls->l);
	s->ri.kfunc_cache = loader__kfunc_cache(ls->l);
	s->ri.rcu_bulk_traced = loader__rcu_bulk(ls->l);
	snprintf(s->ri.bulk_free, sizeof(s->ri.bulk_free), "%s",
		 loader__bulk_free(ls->l) ? loader__bulk_free(ls->l) : "");
	s->ri.rcu_sheaf = loader__rcu_sheaf(ls->l);
	snprintf(s->ri.rcu_call, sizeof(s->ri.rcu_call), "%s",
		 loader__rcu_call(ls->l) ? loader__rcu_call(ls->l) : "");
	s->ri.context = loader__context(ls->l);
	s->ri.followed = lo.filter.follow;
	s->ri.pair = lo.pair;
	s->ri.backup = loader__backup(ls->l);
	s->ri.preempt = loader__preempt(ls->l);
	s->ri.task_ctx = loader__task_ctx(ls->l);
	s->ri.rcu_nesting = loader__rcu_nesting(ls->l);
	if (o->cmd) {
		err = cmd_fork(o->cmd, &ls->child, &ls->go_fd, &ls->exec_fd);
		if (!err)
			err = loader__follow(ls->l, ls->child);
		if (err) {
			snprintf(msg, len, "cannot start '%s': %s", o->cmd[0], strerror(-err));
			return err;
		}
	}
	ls->rb = kms_ring__new(loader__ring_fd(ls->l), lo.ring_bytes, on_ring_record, p);
	if (!ls->rb) {
		err = -errno;
		snprintf(msg, len, "cannot open the BPF ring buffer: %s", strerror(-err));
		return err;
	}
	return 0;
}

static int run_live(struct session *s, const struct session_opts *o, char *msg, size_t len)
{
	struct live_state ls = { .go_fd = -1, .exec_fd = -1, .target = { .pidfd = -1 },
				 .drop_fd = -1 };
	struct pipeline p = { .s = s, .o = o };
	FILE *wf = NULL;
	uint64_t t0;
	int err;

	fill_meta(&s->ri, o);
	install_signals(o);
	kms_target__watch(&ls.target, o->lo.filter.tgid, o->lo.filter.tid);
	if (geteuid() != 0) {
		snprintf(msg, len, "kmscope needs root to load BPF programs: run it with sudo");
		return -EPERM;
	}
	if (o->drop_caches && (ls.drop_fd = open(KMS_DROP_CACHES, O_WRONLY | O_CLOEXEC)) < 0) {
		err = -errno;
		snprintf(msg, len, "--drop-caches: cannot open %s: %s", KMS_DROP_CACHES,
			 strerror(-err));
		return err;
	}
	if (o->output && (err = open_output(o->output, &p.w, &wf))) {
		snprintf(msg, len, "cannot create '%s': %s", o->output, strerror(-err));
		goto out;
	}
	/*
	 * Everything slow comes before the programs are attached: events wait
	 * in the ring until the first drain, and a slow start could fill it.
	 */
	ls.kallsyms = load_kallsyms(s, o->kallsyms);
	ls.modules_sig = modules_signature();
	ls.modules_checked = now_ns(CLOCK_MONOTONIC);
	apply_redact(s);
	/* The size-class model reads the kernel's cache list from this. */
	take_snapshot(s, KMS_SNAP_GEOM_START);
	s->ri.t0_mono_ns = t0 = now_ns(CLOCK_MONOTONIC);
	s->ri.t0_real_ns = now_ns(CLOCK_REALTIME);
	s->c = new_collector(s, o);
	if (!s->c) {
		err = -ENOMEM;
		snprintf(msg, len, "out of memory");
		goto out;
	}
	err = live_start(s, o, &ls, &p, msg, len);
	if (err)
		goto out;
	collector__set_preempt_known(s->c, s->ri.preempt);
	if (o->snapshots || p.w)
		take_snapshot(s, KMS_SNAP_SLABINFO_START);
	if (p.w && (err = write_header(p.w, s))) {
		snprintf(msg, len, "writing '%s' failed: %s", o->output, strerror(-err));
		goto out;
	}
	if (!o->quiet)
		p_info("tracing kmem events%s with %s%s; kmalloc caches named by %s; context: "
		       "%s%s; %s; %s; %s%sCtrl-C to stop",
			o->cmd && !o->whole_system ? " of the command and its children" : "",
			s->ri.method, s->ri.ptr_probe_read ? " (ptr via bpf_probe_read_kernel)" : "",
			s->ri.kfunc_cache ? "bpf_get_kmem_cache()" : "the size-class model",
			s->ri.preempt ? "preempt count (preempt/BH-off, softirq, hardirq)" :
			s->ri.context ? "hardirq and softirq from irq tracepoints, preempt count not "
			"readable" : "not tracked",
			s->ri.rcu_nesting ? ", rcu_read_lock() and PF_MEMALLOC/NOFS/NOIO scopes "
			"from current" : s->ri.task_ctx ? ", PF_MEMALLOC/NOFS/NOIO scopes from "
			"current" : "", live_frees_seen(&s->ri), live_rcu_calls_seen(&s->ri),
			s->ri.pair ? "allocations held in the kernel until their free (--pair); " : "",
			s->ri.backup == KMS_BACKUP_ALL ? "recursion backups on every event "
			"(--backup); " : s->ri.backup == KMS_BACKUP_FREES ? "recursion backups "
			"on the frees (--backup=frees); " : "");
	/* Attached, the command forked: nothing from here on needs CAP_BPF & co. */
	err = privs__drop();
	if (err)
		p_warn("could not drop capabilities after attaching: %s", strerror(-err));
	if (ls.go_fd >= 0 && write(ls.go_fd, "g", 1) != 1) {
		err = -errno;
		snprintf(msg, len, "cannot start '%s': telling it to run failed: %s", o->cmd[0],
			 strerror(-err));
		goto out;
	}
	err = cmd_started(&ls.exec_fd);
	if (err) {
		s->cmd_failed = true;
		while (waitpid(ls.child, &ls.child_status, 0) < 0 && errno == EINTR)
			;
		ls.child_done = true;
		snprintf(msg, len, "cannot run '%s': %s", o->cmd[0], strerror(-err));
		goto out;
	}
	err = drain_loop(&ls, o, &p, t0);
	if (!err && ls.child_done && !exiting)
		err = settle(&ls, o, &p);
	if (!err)
		drop_caches(&ls, o, &p);
	/* Detach first so the last drain and the counters agree. */
	loader__detach(ls.l);
	drain(ls.rb, &p, -1);
	if (s->ri.pair)
		flush_held(&ls, &p);
	refresh_modules(&ls, s);
	if (o->snapshots || p.w) {
		take_snapshot(s, KMS_SNAP_SLABINFO_END);
		take_snapshot(s, KMS_SNAP_GEOM_END);
	}
	s->interrupted = exiting;
	s->ri.duration_ns = now_ns(CLOCK_MONOTONIC) - t0;
	loader__counters(ls.l, s->ri.counters);
	s->ri.counters[KMS_CNT_RB_FAIL] += ls.held_lost;
	s->ri.recursion_misses = loader__recursion_misses(ls.l);
	s->ri.main_misses = loader__main_misses(ls.l);
	s->ri.alloc_misses = loader__alloc_misses(ls.l);
	s->ri.has_main_misses = true;
	s->ri.backup = loader__backup(ls.l);
	s->ri.has_counters = true;
	if (o->stacks)
		fetch_stacks(s, ls.l);
	fetch_cgroups(s);
	finish_child(&ls, &s->ri);
	if (err == p.write_err && err)
		snprintf(msg, len, "writing '%s' failed: %s; the recording up to here is intact",
			 o->output, strerror(-err));
	else if (err)
		snprintf(msg, len, "reading the ring buffer failed: %s", strerror(-err));
	if (p.w && !p.write_err) {
		int werr = write_trailer(p.w, s);

		if (werr && !err) {
			err = werr;
			snprintf(msg, len, "writing '%s' failed: %s", o->output, strerror(-err));
		}
	}
out:
	if (ls.drop_fd >= 0)
		close(ls.drop_fd);
	if (ls.go_fd >= 0)
		close(ls.go_fd);
	if (ls.exec_fd >= 0)
		close(ls.exec_fd);
	kms_target__unwatch(&ls.target);
	if (ls.child > 0 && !s->ri.has_counters)
		finish_child(&ls, &s->ri);
	kms_ring__free(ls.rb);
	loader__stop(ls.l);
	if (ls.kallsyms)
		fclose(ls.kallsyms);
	recfile_writer__free(p.w);
	if (wf && fclose(wf) && !err) {
		err = -errno;
		snprintf(msg, len, "writing '%s' failed: %s", o->output, strerror(-err));
	}
	return err;
}

/* ---- replay ---------------------------------------------------------- */

static int replay_events(struct pipeline *p, const struct recfile_section_info *sec)
{
	const void *rec;
	size_t pos = 0, rlen;
	int r;

	if (!p->s->c && !(p->s->c = new_collector(p->s, p->o)))
		return -ENOMEM;
	while ((r = recfile_events__next(sec->data, sec->len, &pos, &rec, &rlen)) == 1)
		feed(p, rec, rlen);
	return r;
}

/* Packed events straight into the collector: no record is rebuilt. */
static int replay_packed(struct pipeline *p, const struct recfile_section_info *sec)
{
	struct kms_event ev;
	struct evunpack u;
	const void *raw;
	uint64_t done = 0;
	size_t rlen;
	int r;

	if (!p->s->c && !(p->s->c = new_collector(p->s, p->o)))
		return -ENOMEM;
	p->unread = -1;
	r = evunpack__init(&u, sec->data, sec->len);
	while (!r && (r = evunpack__event(&u, &ev, &raw, &rlen)) == 1) {
		if (raw)
			feed(p, raw, rlen);
		else
			feed_event(p, &ev);
		done++;
		r = 0;
	}
	if (r < 0 && u.records >= done)
		p->unread = u.records - done;
	return r;
}

static void replay_symbols(struct session *s, const struct recfile_section_info *sec)
{
	FILE *f = fmemopen((void *)sec->data, sec->len, "r");

	if (!f)
		return;
	ksyms__free(s->ks);
	s->ks = ksyms__load(f);
	fclose(f);
	apply_redact(s);
}

static int keep_snapshot(struct session *s, const struct recfile_section_info *sec)
{
	static const enum kms_snap which[] = {
		[KMS_SEC_SLABINFO_START] = KMS_SNAP_SLABINFO_START,
		[KMS_SEC_SLABINFO_END] = KMS_SNAP_SLABINFO_END,
		[KMS_SEC_SLABGEOM_START] = KMS_SNAP_GEOM_START,
		[KMS_SEC_SLABGEOM_END] = KMS_SNAP_GEOM_END,
	};
	struct kms_text *t = &s->snap[which[sec->type]];

	free(t->text);
	t->text = malloc(sec->len + 1);
	if (!t->text)
		return -ENOMEM;
	memcpy(t->text, sec->data, sec->len);
	t->text[sec->len] = 0;
	t->len = sec->len;
	return 0;
}

static int replay_section(struct pipeline *p, const struct recfile_section_info *sec)
{
	switch (sec->type) {
	case KMS_SEC_META:
	case KMS_SEC_COUNTERS:
		return runinfo__parse(&p->s->ri, sec->data, sec->len);
	case KMS_SEC_EVENTS:
		return replay_events(p, sec);
	case KMS_SEC_EVENTS_PACKED:
		return replay_packed(p, sec);
	case KMS_SEC_SYMBOLS:
		replay_symbols(p->s, sec);
		return 0;
	case KMS_SEC_STACKS:
		if (!p->s->stacks && !(p->s->stacks = kms_stacks__new()))
			return -ENOMEM;
		return kms_stacks__parse(p->s->stacks, sec->data, sec->len);
	case KMS_SEC_CGROUPS:
		if (!p->s->cgpaths && !(p->s->cgpaths = cgpaths__new()))
			return -ENOMEM;
		/* A damaged line costs its cgroup's name, not the replay. */
		return cgpaths__parse(p->s->cgpaths, sec->data, sec->len) == -ENOMEM ? -ENOMEM : 0;
	case KMS_SEC_SLABINFO_START:
	case KMS_SEC_SLABINFO_END:
	case KMS_SEC_SLABGEOM_START:
	case KMS_SEC_SLABGEOM_END:
		return keep_snapshot(p->s, sec);
	}
	return 0;	/* snapshots and unknown sections: not needed here */
}

/*
 * One pass over a recording.  `prescan` reads only the small sections
 * (META, SYMBOLS, COUNTERS), so that a per-event consumer (trace) has the
 * symbols, which are written at the end, before the first event.
 */
static int replay_pass(struct pipeline *p, FILE *f, bool prescan, char *msg, size_t len)
{
	struct recfile_section_info sec;
	struct recfile_error rerr = { 0 };
	struct recfile_reader *r = recfile_reader__new(f, &rerr);
	const struct recfile_damage *d;
	const char *in = p->o->input;
	bool parse_failed = false;
	int err;

	if (!r) {
		err = errno ? -errno : -EINVAL;
		snprintf(msg, len, "'%s' at offset %lld: %s", in, rerr.offset, rerr.msg);
		return err;
	}
	recfile_reader__keep_packed(r, true);
	while ((err = recfile_reader__next_section(r, &sec, &rerr)) == 1) {
		if (prescan && (sec.type == KMS_SEC_EVENTS || sec.type == KMS_SEC_EVENTS_PACKED))
			continue;
		if (!prescan && p->s->ks && sec.type == KMS_SEC_SYMBOLS)
			continue;
		err = replay_section(p, &sec);
		/*
		 * A section whose checksum holds but whose contents do not parse
		 * (packed events that do not unpack, a stacks text that does not
		 * read): its writer made it so, or someone crafted it.  Like a
		 * damaged one it costs only itself: what of it was read stays.
		 */
		if (err && err != -ENOMEM) {
			recfile_reader__malformed(r, &sec, err,
						  sec.type == KMS_SEC_EVENTS_PACKED ? p->unread : 0);
			err = 0;
			continue;
		}
		if (err) {
			rerr.offset = sec.offset;
			snprintf(rerr.msg, sizeof(rerr.msg), "%s section: %s",
				 recfile_section_str(sec.type), strerror(-err));
			parse_failed = true;
			break;
		}
	}
	/* Damaged sections were skipped: the report says what they held. */
	d = recfile_reader__damage(r);
	p->s->ri.cut_short = !recfile_reader__complete(r);
	p->s->ri.damaged_sections = d->sections;
	p->s->ri.damaged_bytes = d->bytes;
	p->s->ri.damaged_records = d->records;
	p->s->ri.damaged_uncounted = d->uncounted;
	if (err < 0 && (parse_failed || !d->sections)) {
		p->s->damaged = true;
		snprintf(msg, len, "'%s' is damaged at offset %lld: %s; the report covers the "
			 "events before it", in, rerr.offset, rerr.msg);
	} else if (d->sections) {
		p->s->damaged = true;
		err = err ? err : -EBADMSG;
		snprintf(msg, len, "'%s' is damaged at offset %lld: %s; %" PRIu64 " damaged "
			 "sections (%" PRIu64 " bytes) skipped in all%s; the report covers the rest",
			 in, d->first.offset, d->first.msg, d->sections, d->bytes,
			 p->s->ri.cut_short ? ", and it ends before its END section" : "");
	} else if (!recfile_reader__complete(r)) {
		p->s->damaged = true;
		err = -ENODATA;
		snprintf(msg, len, "'%s' ends before its END section (recording cut short); "
			 "the report covers the events it holds", in);
	}
	recfile_reader__free(r);
	return err;
}

/*
 * Filters given with -i: the kernel's counters become those the same
 * filters would have given live, and the header says what was kept.
 */
static void replay_filtered(struct session *s, const struct session_opts *o,
			    const struct kms_rfilter *rf)
{
	const struct kms_filter *f = &o->lo.filter;
	size_t n = strlen(s->ri.filters);
	char buf[sizeof(s->ri.filters)];

	s->ri.counters[KMS_CNT_FILTERED] += kms_rfilter__filtered(rf);
	s->ri.counters[KMS_CNT_FREE_UNTRACKED] += kms_rfilter__untracked(rf);
	describe_filters(buf, sizeof(buf), f);
	snprintf(s->ri.filters + n, sizeof(s->ri.filters) - n, "%s%s", n ? " " : "", buf);
	if ((f->tgid || f->tid) && s->c)
		kms_target__format(s->ri.target, sizeof(s->ri.target), f->tgid, f->tid,
				   collector__comm(s->c, f->tid ? f->tid : f->tgid));
}

/* Why --cgroup names no cgroup of the recording, and what to give instead. */
static void no_such_cgroup(const struct session *s, const struct session_opts *o, int err,
			   char *msg, size_t len)
{
	const char *arg = o->lo.filter.cgroup_path;
	char mount[4096];
	size_t n = 0;

	/* A path of this machine's cgroup2 mount: the part a recording keeps. */
	if (!cgroupfs__mount(mount, sizeof(mount))) {
		n = strlen(mount);
		if (strncmp(arg, mount, n) || arg[n] != '/')
			n = 0;
	}
	if (err == -EINVAL)
		snprintf(msg, len, "--cgroup '%s': the id after id: is a whole number from 1", arg);
	else if (err != -ENOENT)
		snprintf(msg, len, "--cgroup '%s': %s", arg, strerror(-err));
	else if (!cgpaths__count(s->cgpaths))
		snprintf(msg, len, "--cgroup '%s': '%s' names no cgroup by path (it has no "
			 "CGROUPS section: an older kmscope's, made without a cgroup2 mount, or "
			 "imported from text); give the cgroup as id:N", arg, o->input);
	else if (n)
		snprintf(msg, len, "--cgroup '%s': no cgroup of '%s' has that path; a recording "
			 "names them relative to the cgroup2 mount (%s): try --cgroup '%s'", arg,
			 o->input, mount, arg + n);
	else
		snprintf(msg, len, "--cgroup '%s': no cgroup of '%s' has that path; give it as "
			 "`kmscope stat -i %s --by cgroup` prints it, or as id:N", arg, o->input,
			 o->input);
}

static int run_replay(struct session *s, const struct session_opts *o, char *msg, size_t len)
{
	struct pipeline p = { .s = s, .o = o };
	FILE *f = fopen(o->input, "re");
	int err;

	memset(&s->ri, 0, sizeof(s->ri));
	s->ri.exit_status = -1;
	s->replayed = true;
	if (!f) {
		err = -errno;
		snprintf(msg, len, "cannot open '%s': %s", o->input, strerror(-err));
		return err;
	}
	if (kms_rfilter__wanted(&o->lo.filter) && !(p.rf = kms_rfilter__new(&o->lo.filter))) {
		fclose(f);
		snprintf(msg, len, "out of memory");
		return -ENOMEM;
	}
	/* A damaged file fails the prescan; the real pass then says where. */
	if ((o->on_event || o->lo.filter.cgroup_path) && !fseek(f, 0, SEEK_SET)) {
		replay_pass(&p, f, true, msg, len);
		s->damaged = false;
		rewind(f);
	} else if (o->lo.filter.cgroup_path) {
		err = -ESPIPE;
		snprintf(msg, len, "--cgroup: the cgroups of '%s' are at its end, and it cannot be "
			 "read twice (a pipe?): give a file", o->input);
		goto out;
	}
	if (o->lo.filter.cgroup_path) {
		err = kms_rfilter__resolve_cgroup(p.rf, s->cgpaths);
		if (err) {
			no_such_cgroup(s, o, err, msg, len);
			goto out;
		}
	}
	err = replay_pass(&p, f, false, msg, len);
	if (!s->c)
		s->c = new_collector(s, o);
	if (p.rf)
		replay_filtered(s, o, p.rf);
	apply_redact(s);
out:
	kms_rfilter__free(p.rf);
	fclose(f);
	return err;
}

int session__run(struct session *s, const struct session_opts *o, char *msg, size_t len)
{
	int err;

	memset(s, 0, sizeof(*s));
	msg[0] = 0;
	if (o->redact) {
		err = kms_redact__init(&s->redact);
		if (err) {
			snprintf(msg, len, "--redact: no random key: %s", strerror(-err));
			return err;
		}
		s->redacting = true;
	}
	err = o->input ? run_replay(s, o, msg, len) : run_live(s, o, msg, len);
	/* Every error is said: a path that forgot its sentence still names errno. */
	if (err && !msg[0])
		snprintf(msg, len, "%s", strerror(-err));
	return err;
}

void session__free(struct session *s)
{
	int i;

	for (i = 0; i < KMS_SNAP_MAX; i++)
		free(s->snap[i].text);
	collector__free(s->c);
	ksyms__free(s->ks);
	kms_stacks__free(s->stacks);
	s->stacks = NULL;
	cgpaths__free(s->cgpaths);
	s->cgpaths = NULL;
	s->c = NULL;
	s->ks = NULL;
}
