// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_common.c - the option parser shared by record, trace and stat
 * (filters, duration, input, ring size, ...) and small helpers for the
 * command files.  Owns the global options.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "cmd.h"
#include "log.h"
#include "slabsys.h"
#include "target.h"
#include "util.h"

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
	OPT_BACKUP,
	OPT_DROP_CACHES,
	OPT_PAIR,
	OPT_BY,
};

static const struct argp_option common_options[] = {
	{ NULL, 0, NULL, 0, "Filters (applied in the kernel, before any data is copied; with -i, "
	  "to the recording as the kernel would have):", 1 },
	{ "pid", 'p', "PID", 0, "Only allocations by this process (thread group); the trace ends "
	  "when it exits", 1 },
	{ "tid", OPT_TID, "TID", 0, "Only allocations by this thread; the trace ends when it exits",
	  1 },
	{ "comm", OPT_COMM, "NAME", 0, "Only allocations by tasks with this comm", 1 },
	{ "cgroup", OPT_CGROUP, "PATH", 0, "Only allocations by tasks in this cgroup v2 directory "
	  "(with -i: its path under the cgroup2 mount, as --by cgroup prints it, or id:N)", 1 },
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
	{ "backup", OPT_BACKUP, "frees", OPTION_ARG_OPTIONAL,
	  "Backup programs that take the events the kernel keeps from a program already "
	  "running on the CPU (recursion): of every kmem event, or with =frees of the frees "
	  "only, where nearly all such losses are and which false leaks come from; off by "
	  "default: they cost 10-30 % more overhead, the frees' alone about 60 % of that", 2 },
	{ "drop-caches", OPT_DROP_CACHES, NULL, 0,
	  "At the end, have the kernel drop its caches (sync, then 3 > /proc/sys/vm/drop_caches: "
	  "the whole machine's page cache, dentries and inodes) and trace what that frees, so "
	  "that objects a cache only held are not left live; for test machines", 2 },
	{ "pair", OPT_PAIR, NULL, 0,
	  "Hold each allocation in the kernel until its free and send the two as one record "
	  "(docs/design.md, \"Pairing in the kernel\"): half the records for short-lived "
	  "objects, the same reports; not with trace, top or serve", 2 },
	{ "by", OPT_BY, "cgroup", 0,
	  "Break allocations down by cgroup: the CGROUP table with each cgroup's call sites, "
	  "labelled JSON, OpenMetrics and pprof samples", 2 },
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

unsigned long long parse_count(struct argp_state *st, const char *opt, const char *arg,
			       unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || errno || *end || v > max)
		argp_error(st, "invalid %s '%s': a whole number from 0 to %llu", opt, arg, max);
	return v;
}

/* Options that shape a live trace: a recording is analysed as it was made. */
static const char *live_only_name(int key)
{
	switch (key) {
	case 'd': return "-d/--duration";
	case OPT_RING_SIZE: return "--ring-size";
	case OPT_KALLSYMS: return "--kallsyms";
	case OPT_CLASSIC: return "--classic";
	case OPT_MODEL_ONLY: return "--model-only";
	case OPT_NO_SCOPE: return "--no-scope";
	case OPT_BACKUP: return "--backup";
	case OPT_DROP_CACHES: return "--drop-caches";
	case OPT_PAIR: return "--pair";
	case 'g': return "-g/--stacks";
	case OPT_STACK_ENTRIES: return "--stack-entries";
	case OPT_DRAIN_MS: return "--drain-ms";
	}
	return NULL;
}

static error_t parse_common(int key, char *arg, struct argp_state *st)
{
	struct common_opts *co = st->input;
	struct kms_filter *f = &co->so.lo.filter;
	unsigned long long v;
	char *end;

	if (!co->live_only)
		co->live_only = live_only_name(key);
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
		f->cgroup_path = arg;
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
	case OPT_BACKUP:
		if (arg && strcmp(arg, "frees"))
			argp_error(st, "invalid --backup '%s': give --backup (every event) or "
				   "--backup=frees (the frees only)", arg);
		co->so.lo.backup = arg ? KMS_BACKUP_FREES : KMS_BACKUP_ALL;
		break;
	case OPT_DROP_CACHES:
		co->so.drop_caches = true;
		break;
	case OPT_PAIR:
		co->so.lo.pair = true;
		break;
	case OPT_BY:
		if (strcmp(arg, "cgroup"))
			argp_error(st, "unknown --by '%s': cgroup is the one breakdown there is", arg);
		co->so.by_cgroup = true;
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

/*
 * -- CMD: find it as execvp() will, so that a command that cannot run is
 * said before anything is loaded; 127 when it is not found, 126 when it
 * cannot be executed, as a shell does.
 */
static int check_command(char **cmd)
{
	const char *path = getenv("PATH"), *p, *end;
	char buf[4096];
	struct stat st;
	int err = ENOENT;

	if (!cmd)
		return KMS_EXIT_OK;
	if (strchr(cmd[0], '/')) {
		if (stat(cmd[0], &st))
			err = errno;
		else if (S_ISDIR(st.st_mode))
			err = EISDIR;
		else if (access(cmd[0], X_OK))
			err = errno;
		else
			return KMS_EXIT_OK;
	} else {
		for (p = path ? path : "/bin:/usr/bin"; cmd[0][0]; p = end + 1) {
			end = strchrnul(p, ':');
			snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(end - p), p,
				 end > p ? "/" : "", cmd[0]);
			if (!stat(buf, &st) && !S_ISDIR(st.st_mode)) {
				if (!access(buf, X_OK))
					return KMS_EXIT_OK;
				err = EACCES;
			}
			if (!*end)
				break;
		}
	}
	p_err("cannot run '%s': %s", cmd[0], strerror(err));
	return err == ENOENT ? 127 : 126;
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

	const struct kms_filter *f = &co->so.lo.filter;
	char msg[256];
	int rc;

	co->so.lo.ring_bytes = ring_bytes(co->ring_mb);
	if (co->so.input && co->no_input) {
		p_err("%s", co->no_input);
		return KMS_EXIT_USAGE;
	}
	if (co->so.drop_caches && co->no_drop) {
		p_err("%s", co->no_drop);
		return KMS_EXIT_USAGE;
	}
	if (co->so.lo.pair && co->no_pair) {
		p_err("%s", co->no_pair);
		return KMS_EXIT_USAGE;
	}
	if (co->so.input && co->so.cmd) {
		p_err("-i replays a recording; it cannot be combined with -- CMD");
		return KMS_EXIT_USAGE;
	}
	if (co->so.input && co->so.output) {
		p_err("-i replays a recording; writing another recording (-w) needs a live trace");
		return KMS_EXIT_USAGE;
	}
	if (co->so.input && co->live_only) {
		p_err("%s applies to a live trace, not to a recording (-i): drop it", co->live_only);
		return KMS_EXIT_USAGE;
	}
	if (f->max_size && f->min_size > f->max_size) {
		p_err("--min-size %u is larger than --max-size %u: no allocation could match",
		      f->min_size, f->max_size);
		return KMS_EXIT_USAGE;
	}
	if (co->so.input)
		return KMS_EXIT_OK;	/* the filters left apply to the recording */
	if (kms_target__check(f->tgid, f->tid, msg, sizeof(msg))) {
		p_err("%s", msg);
		return KMS_EXIT_USAGE;
	}
	rc = check_command(co->so.cmd);
	if (rc)
		return rc;
	if (f->cgroup_path) {
		/* On cgroup v2 the kernfs inode number is the cgroup id BPF sees. */
		if (stat(f->cgroup_path, &st) || statfs(f->cgroup_path, &sfs)) {
			p_err("--cgroup '%s': %s", f->cgroup_path, strerror(errno));
			return KMS_EXIT_USAGE;
		}
		if (!S_ISDIR(st.st_mode) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
			p_err("--cgroup '%s' is not a directory of a cgroup v2 file system "
			      "(see `mount -t cgroup2`)", f->cgroup_path);
			return KMS_EXIT_USAGE;
		}
		co->so.lo.filter.cgroup_id = st.st_ino;
	}
	return KMS_EXIT_OK;
}

static FILE *take_prepared(const char *path, char **tmp);

FILE *open_private(const char *path)
{
	char *tmp;
	FILE *f = take_prepared(path, &tmp);
	int fd;

	if (f || errno)
		return f;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/*
 * argp (and getopt under it) print a usage error as two lines of their own
 * on stderr and exit 2.  While parsing, stderr goes to a memfd; the first
 * line of what argp wrote becomes kmscope's one error line, JSON when -j
 * is anywhere among the options, before the bad one or after it.
 */
static struct {
	int saved;		/* the real stderr while parsing, else -1 */
	int fd;			/* what argp wrote */
	const char *name;	/* "kmscope stat": argp's prefix */
} cap = { -1, -1, NULL };

/* Turn what argp wrote into one error line; nothing when it wrote nothing. */
static bool capture_end(bool failed)
{
	char buf[1024], *line;
	size_t plen = strlen(cap.name);
	ssize_t n;

	if (cap.saved < 0)
		return false;
	n = pread(cap.fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	dup2(cap.saved, STDERR_FILENO);
	close(cap.saved);
	close(cap.fd);
	cap.saved = cap.fd = -1;
	if (!failed && !buf[0])
		return false;
	line = buf;
	line[strcspn(line, "\n")] = 0;
	if (!strncmp(line, "kmscope: error: ", 16)) {
		p_err("%s", line + 16);		/* a parser's own p_err() */
		return true;
	}
	if (!strncmp(line, cap.name, plen) && !strncmp(line + plen, ": ", 2))
		line += plen + 2;
	p_err("%s; see %s --help", line[0] ? line : "invalid arguments", cap.name);
	return true;
}

/* argp exits from inside argp_parse(): say it on the way out. */
static void capture_at_exit(void)
{
	capture_end(false);
}

error_t tracing_key(int key, char *arg, struct argp_state *st, struct common_opts *co)
{
	switch (key) {
	case ARGP_KEY_INIT:
		st->child_inputs[0] = co;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(st, "unexpected argument '%s' (a command goes after --)", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* -j, --json, --pretty, or a bundle of flags with j (-qj), before "--". */
static bool wants_json(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json") || !strcmp(a, "--pretty"))
			return true;
		if (a[0] == '-' && a[1] != '-' && strchr(a, 'j') &&
		    strspn(a + 1, "bcjqv") == strlen(a + 1))
			return true;
	}
	return false;
}

int kms_argp_parse(const struct argp *argp, int argc, char **argv, unsigned int flags,
		   void *input)
{
	static bool registered;
	error_t err;
	int fd;

	if (wants_json(argc, argv))
		log_json = true;
	cap.name = argc ? argv[0] : "kmscope";
	fflush(stderr);
	fd = memfd_create("kmscope-argp", MFD_CLOEXEC);
	if (fd >= 0) {
		cap.saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
		if (cap.saved < 0 || dup2(fd, STDERR_FILENO) < 0) {
			if (cap.saved >= 0)
				close(cap.saved);
			close(fd);
			cap.saved = -1;
		} else {
			cap.fd = fd;
			if (!registered)
				registered = !atexit(capture_at_exit);
		}
	}
	err = argp_parse(argp, argc, argv, flags, NULL, input);
	if (capture_end(err != 0))
		return KMS_EXIT_USAGE;
	return err ? KMS_EXIT_USAGE : 0;
}

int parse_tracing_args(const struct argp *argp, int argc, char **argv, void *input,
		       struct common_opts *co)
{
	int cmd_at = split_command(argc, argv);

	if (kms_argp_parse(argp, cmd_at, argv, ARGP_IN_ORDER, input))
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

/*
 * Output files opened before the trace (prepare_output()), so that a bad
 * path fails before anything is loaded instead of losing the trace at the
 * end.  An existing file is not truncated until the report is written;
 * a file created here and never written is removed at exit.
 */
static struct prepared {
	char *path;		/* as given */
	char *tmp;		/* replace: the file renamed over path at the end */
	int fd;
	bool created;
} prepared[8];
static int nr_prepared;

static void remove_unwritten(void)
{
	int i;

	for (i = 0; i < nr_prepared; i++) {
		if (prepared[i].fd < 0)
			continue;
		close(prepared[i].fd);
		if (prepared[i].created)
			unlink(prepared[i].tmp ? prepared[i].tmp : prepared[i].path);
		prepared[i].fd = -1;
	}
}

int prepare_output(const char *path, bool replace, const char *input)
{
	struct prepared *o = &prepared[nr_prepared];
	struct stat a, b;
	char *tmp = NULL;
	int fd, err;

	if (!path)
		return KMS_EXIT_OK;
	if (nr_prepared == (int)ARRAY_SIZE(prepared)) {
		p_err("too many output files");
		return KMS_EXIT_USAGE;
	}
	if (replace && asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0) {
		p_err("out of memory");
		return KMS_EXIT_ERROR;
	}
	fd = open(tmp ? tmp : path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  tmp ? 0644 : 0600);
	o->created = fd >= 0;
	if (fd < 0 && errno == EEXIST && !tmp)
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		p_err("cannot create '%s': %s", tmp ? tmp : path, strerror(err));
		free(tmp);
		return KMS_EXIT_ERROR;
	}
	if (input && !stat(input, &a) && !fstat(fd, &b) && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino) {
		close(fd);
		p_err("'%s' is the recording read with -i: write the output elsewhere", path);
		return KMS_EXIT_USAGE;
	}
	o->path = strdup(path);
	o->tmp = tmp;
	o->fd = fd;
	if (!nr_prepared++)
		atexit(remove_unwritten);
	return KMS_EXIT_OK;
}

/* The prepared file of path, emptied, as a stream; NULL when not prepared. */
static FILE *take_prepared(const char *path, char **tmp)
{
	struct stat st;
	FILE *f;
	int i;

	for (i = 0; i < nr_prepared; i++) {
		struct prepared *o = &prepared[i];

		if (o->fd < 0 || !o->path || strcmp(o->path, path))
			continue;
		if (!fstat(o->fd, &st) && S_ISREG(st.st_mode) && !o->tmp &&
		    ftruncate(o->fd, 0))
			return NULL;
		f = fdopen(o->fd, "w");
		if (!f)
			return NULL;
		o->fd = -1;
		*tmp = o->tmp;
		return f;
	}
	errno = 0;
	return NULL;
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
	char tmp[4096], *ptmp = NULL;
	FILE *f = NULL;
	int fd = -1, err;

	if (!path)
		return write_output(NULL, fn, ctx);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp)) {
		p_err("cannot create '%s': %s", path, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	f = take_prepared(path, &ptmp);
	if (!f)
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (!f && (fd < 0 || !(f = fdopen(fd, "w")))) {
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

void say_why_ended(const struct session *s)
{
	if (s->target_exited)
		p_info("%s exited; trace ended", s->ri.target[0] ? s->ri.target : "the process");
}

int exit_code(const struct session *s, int fallback)
{
	/* A command that could not be executed: 127 or 126, as from a shell. */
	if (s->cmd_failed && s->ri.exit_status > 0)
		return s->ri.exit_status;
	/* A replay reports the recorded status; it does not exit with it. */
	if (fallback == KMS_EXIT_OK && !s->replayed && s->ri.exit_status >= 0)
		return s->ri.exit_status;
	return fallback;
}

struct slabsys *session_slab_names(const struct session *s)
{
	const struct kms_text *t = &s->snap[KMS_SNAP_GEOM_START];
	struct slabsys *sys = NULL;

	if (!t->text || !t->len || slabsys__parse(t->text, t->len, &sys))
		return NULL;
	return sys;
}
