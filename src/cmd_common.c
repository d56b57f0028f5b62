// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_common.c - the option parser shared by record, trace and stat
 * (filters, duration, input, ring size, ...) and small helpers for the
 * command files.  Owns the global options.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "cmd.h"
#include "log.h"

struct global_opts gopts;

enum {
	OPT_TID = 1000,
	OPT_COMM,
	OPT_CGROUP,
	OPT_MIN_SIZE,
	OPT_MAX_SIZE,
	OPT_RING_SIZE,
	OPT_MAX_TRACKED,
	OPT_KALLSYMS,
	OPT_CLASSIC,
	OPT_PRETTY,
	OPT_REDACT,
	OPT_DRAIN_MS,
	OPT_MODEL_ONLY,
	OPT_STACK_ENTRIES,
	OPT_NO_SCOPE,
	OPT_NO_PREEMPT_COUNT,
};

static const struct argp_option common_options[] = {
	{ NULL, 0, NULL, 0, "Filters (applied in the kernel, before any data is copied):", 1 },
	{ "pid", 'p', "PID", 0, "Only allocations by this process (thread group)", 1 },
	{ "tid", OPT_TID, "TID", 0, "Only allocations by this thread", 1 },
	{ "comm", OPT_COMM, "NAME", 0, "Only allocations by tasks with this comm", 1 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "Only allocations by tasks in this cgroup v2 directory", 1 },
	{ "min-size", OPT_MIN_SIZE, "BYTES", 0, "Only allocations of at least BYTES requested", 1 },
	{ "max-size", OPT_MAX_SIZE, "BYTES", 0, "Only allocations of at most BYTES requested", 1 },
	{ NULL, 0, NULL, 0, "Tracing:", 2 },
	{ "duration", 'd', "SECONDS", 0, "Stop after SECONDS (default: Ctrl-C, or when CMD exits)", 2 },
	{ "input", 'i', "FILE", 0, "Analyse a recording instead of the live system", 2 },
	{ "write", 'w', "FILE", 0, "Also write a recording of this live run to FILE", 2 },
	{ "ring-size", OPT_RING_SIZE, "MIB", 0, "BPF ring buffer size in MiB (default 16)", 2 },
	{ "max-tracked", OPT_MAX_TRACKED, "N", 0,
	  "Track at most N live allocations (default: 1048576 in the kernel when filtering, "
	  "unbounded in userspace)", 2 },
	{ "kallsyms", OPT_KALLSYMS, "FILE", 0, "Read kernel symbols from FILE (default /proc/kallsyms)", 2 },
	{ "classic", OPT_CLASSIC, NULL, 0, "Use classic tracepoints even where tp_btf works", 2 },
	{ "model-only", OPT_MODEL_ONLY, NULL, 0,
	  "Name kmalloc caches by the size-class model even where the kernel can tell "
	  "(bpf_get_kmem_cache, 6.13+)", 2 },
	{ "no-scope", OPT_NO_SCOPE, NULL, 0,
	  "Do not record the task's rcu_read_lock() and PF_MEMALLOC/NOFS/NOIO scope (one "
	  "load of current per allocation less)", 2 },
	{ "stacks", 'g', "N", OPTION_ARG_OPTIONAL,
	  "Collect the kernel stack of every allocation (-g), of every Nth per CPU (-gN), or "
	  "only of allocations that fail or break a GFP rule (--stacks=findings); sites are "
	  "then split by stack", 2 },
	{ "stack-entries", OPT_STACK_ENTRIES, "N", 0, "Stack map size with -g (default 16384)", 2 },
	{ "drain-ms", OPT_DRAIN_MS, "MS", OPTION_HIDDEN, "Ring drain period (default 10)", 2 },
	/* Testing: the irq-tracepoint context of kernels without data symbols, anywhere. */
	{ "no-preempt-count", OPT_NO_PREEMPT_COUNT, NULL, OPTION_HIDDEN,
	  "Do not read the preempt count even where kallsyms allows it", 2 },
	{ "quiet", 'q', NULL, 0, "No progress messages on stderr", 2 },
	{ 0 },
};

/* -j, --pretty, -v: every command takes them; they set the global options. */
static const struct argp_option output_options[] = {
	{ NULL, 0, NULL, 0, "Output:", 3 },
	{ "json", 'j', NULL, 0, "Machine-readable JSON output", 3 },
	{ "pretty", OPT_PRETTY, NULL, 0, "Indented JSON (implies -j)", 3 },
	{ "redact", OPT_REDACT, NULL, 0, "Outputs to share: no kernel address (pointers and "
	  "unnamed call sites become keyed hashes, JSON has no addr)", 3 },
	{ "verbose", 'v', NULL, 0, "More messages; -vv includes libbpf's and the verifier's", 3 },
	{ 0 },
};

static error_t parse_output(int key, char *arg, struct argp_state *st)
{
	switch (key) {
	case 'j':
		gopts.json = log_json = true;
		break;
	case OPT_REDACT:
		gopts.redact = true;
		break;
	case OPT_PRETTY:
		gopts.json = gopts.pretty = log_json = true;
		break;
	case 'v':
		gopts.verbose++;
		log_verbose++;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp output_argp = { output_options, parse_output, NULL, NULL, NULL, NULL, NULL };

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || end == s || *end || *out > max || s[0] == '-')
		return -EINVAL;
	return 0;
}

static int parse_num(struct argp_state *st, const char *arg, unsigned long long max,
		     unsigned long long *out)
{
	if (parse_u64(arg, max, out))
		argp_error(st, "invalid number '%s' for option", arg);
	return 0;
}

static error_t parse_common(int key, char *arg, struct argp_state *st)
{
	struct common_opts *co = st->input;
	struct kms_filter *f = &co->so.lo.filter;
	unsigned long long v;
	char *end;

	switch (key) {
	case 'p':
		parse_num(st, arg, 0x7fffffff, &v);
		f->tgid = v;
		break;
	case OPT_TID:
		parse_num(st, arg, 0x7fffffff, &v);
		f->tid = v;
		break;
	case OPT_COMM:
		if (strlen(arg) >= sizeof(f->comm))
			argp_error(st, "--comm '%s' is longer than the kernel's 15-byte comm", arg);
		strncpy(f->comm, arg, sizeof(f->comm) - 1);
		break;
	case OPT_CGROUP:
		co->cgroup_path = arg;
		break;
	case OPT_MIN_SIZE:
		parse_num(st, arg, 0xffffffffULL, &v);
		f->min_size = v;
		break;
	case OPT_MAX_SIZE:
		parse_num(st, arg, 0xfffffffeULL, &v);
		f->max_size = v ? v : 1;
		break;
	case 'd':
		errno = 0;
		co->so.duration_s = strtod(arg, &end);
		if (errno || end == arg || *end || co->so.duration_s <= 0)
			argp_error(st, "invalid duration '%s' (seconds, > 0)", arg);
		break;
	case 'i':
		co->so.input = arg;
		break;
	case 'w':
		co->so.output = arg;
		break;
	case OPT_RING_SIZE:
		errno = 0;
		co->ring_mb = strtod(arg, &end);
		if (errno || end == arg || *end || co->ring_mb < 0.25 || co->ring_mb > 4096)
			argp_error(st, "invalid ring size '%s' (MiB, 0.25 to 4096)", arg);
		break;
	case OPT_MAX_TRACKED:
		parse_num(st, arg, 1ULL << 32, &v);
		co->so.max_tracked = v;
		co->so.lo.max_tracked = v ? v : co->so.lo.max_tracked;
		break;
	case OPT_KALLSYMS:
		co->so.kallsyms = arg;
		break;
	case OPT_CLASSIC:
		co->so.lo.force_classic = true;
		break;
	case OPT_MODEL_ONLY:
		co->so.lo.no_kfunc = true;
		break;
	case OPT_NO_SCOPE:
		co->so.lo.no_task_ctx = true;
		break;
	case OPT_NO_PREEMPT_COUNT:
		co->so.lo.no_preempt = true;
		break;
	case 'g':
		if (arg && !strcmp(arg, "findings")) {
			co->so.stacks = 1;
			co->so.lo.stacks_findings = true;
		} else if (arg) {
			parse_num(st, arg, 1u << 30, &v);
			co->so.stacks = v ? v : 1;
		} else {
			co->so.stacks = 1;
		}
		break;
	case OPT_STACK_ENTRIES:
		/* Stack ids go into 16 bits of the collector's site key. */
		parse_num(st, arg, 65535, &v);
		co->so.lo.stack_entries = v ? v : 1;
		break;
	case OPT_DRAIN_MS:
		parse_num(st, arg, 10000, &v);
		co->so.drain_ms = v ? v : 1;
		break;
	case 'q':
		co->so.quiet = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child common_children[] = { { &output_argp, 0, NULL, 0 }, { 0 } };

const struct argp common_argp = { common_options, parse_common, NULL, NULL, common_children,
				  NULL, NULL };

void common_opts__init(struct common_opts *co)
{
	memset(co, 0, sizeof(*co));
	co->ring_mb = 16;
	co->so.lo.max_tracked = 1 << 20;
	co->so.drain_ms = 10;
}

/* The ring must be a power-of-two number of pages. */
static size_t ring_bytes(double mb)
{
	size_t want = mb * 1048576, b = 4096;

	while (b < want)
		b <<= 1;
	return b;
}

int common_opts__finish(struct common_opts *co)
{
	struct statfs sfs;
	struct stat st;

	co->so.lo.ring_bytes = ring_bytes(co->ring_mb);
	if (co->so.input && co->so.cmd) {
		p_err("-i replays a recording; it cannot be combined with -- CMD");
		return KMS_EXIT_USAGE;
	}
	if (co->so.input && co->so.output) {
		p_err("-i replays a recording; writing another recording (-w) needs a live trace");
		return KMS_EXIT_USAGE;
	}
	if (co->cgroup_path) {
		/* On cgroup v2 the kernfs inode number is the cgroup id BPF sees. */
		if (stat(co->cgroup_path, &st) || statfs(co->cgroup_path, &sfs)) {
			p_err("--cgroup '%s': %s", co->cgroup_path, strerror(errno));
			return KMS_EXIT_USAGE;
		}
		if (!S_ISDIR(st.st_mode) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
			p_err("--cgroup '%s' is not a directory of a cgroup v2 file system "
			      "(see `mount -t cgroup2`)", co->cgroup_path);
			return KMS_EXIT_USAGE;
		}
		co->so.lo.filter.cgroup_id = st.st_ino;
	}
	return KMS_EXIT_OK;
}

FILE *open_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

int parse_tracing_args(const struct argp *argp, int argc, char **argv, void *input,
		       struct common_opts *co)
{
	int cmd_at = split_command(argc, argv);

	if (argp_parse(argp, cmd_at, argv, ARGP_IN_ORDER, NULL, input))
		return KMS_EXIT_USAGE;
	co->so.redact = gopts.redact;
	if (cmd_at + 1 < argc) {
		co->so.cmd = argv + cmd_at + 1;
	} else if (cmd_at < argc) {
		p_err("nothing to run after --");
		return KMS_EXIT_USAGE;
	}
	return common_opts__finish(co);
}

int write_output(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx)
{
	FILE *f = stdout;
	int err;

	if (path && !(f = open_private(path))) {
		err = -errno;
		p_err("cannot create '%s': %s", path, strerror(errno));
		return err;
	}
	err = fn(f, ctx);
	if (fflush(f) && !err)
		err = -errno;
	if (f != stdout && fclose(f) && !err)
		err = -errno;
	if (err)
		p_err("writing the report failed: %s", strerror(-err));
	return err;
}

/*
 * For files other programs read while kmscope rewrites them (a
 * node_exporter textfile): written beside the target and renamed over
 * it, so a reader sees the old file or the new one, never half of one.
 * 0644: such output carries no kernel addresses.
 */
int write_output_replace(const char *path, int (*fn)(FILE *f, void *ctx), void *ctx)
{
	char tmp[4096];
	FILE *f = NULL;
	int fd, err;

	if (!path)
		return write_output(NULL, fn, ctx);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		p_err("cannot create '%s': %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		err = -errno;
		if (fd >= 0)
			close(fd);
		p_err("cannot create '%s': %s", tmp, strerror(-err));
		return err;
	}
	err = fn(f, ctx);
	if (fflush(f) && !err)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		p_err("writing '%s' failed: %s", path, strerror(-err));
	}
	return err;
}

int split_command(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return i;
	return argc;
}

int exit_code(const struct session *s, int fallback)
{
	/* A replay reports the recorded status; it does not exit with it. */
	if (fallback == KMS_EXIT_OK && !s->replayed && s->ri.exit_status >= 0)
		return s->ri.exit_status;
	return fallback;
}
