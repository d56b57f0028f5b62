// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_top.c - `kmscope top`: a live full-screen view of kmalloc and the
 * slab allocator, like slabtop or htop.  Owns the screen (ncurses) and the
 * keys; the numbers are topview.c's.  Without a terminal on stdout, or
 * with -b, it prints the same table as plain text at every refresh, so it
 * can be logged.  q (or Ctrl-C, or -d) stops, and the BPF programs are
 * detached as for any other command.
 */
#include <curses.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgpaths.h"
#include "cgroupfs.h"
#include "cmd.h"
#include "collect.h"
#include "lifetime.h"
#include "log.h"
#include "runinfo.h"
#include "topview.h"
#include "units.h"

enum { OPT_REFRESH = 0x300, OPT_ITERATIONS };

struct top_args {
	struct common_opts co;
	double refresh_s;
	unsigned long iterations;	/* batch: stop after this many refreshes (0: no limit) */
	bool batch;
	enum topview_mode mode;
	enum topview_sort sort;
	char filter[64];
	/* interactive state */
	bool curses;
	bool editing;			/* typing a filter after '/' */
	char edit[64];
	size_t edit_len;
	bool help;
	uint64_t last_ns;
	unsigned long shown;		/* refreshes shown */
	struct topview *tv;
	struct cgpaths *paths;		/* cgroup paths found so far */
	size_t unnamed;			/* cgroup ids without a path at the last look */
};

static const struct argp_option top_options[] = {
	{ "batch", 'b', NULL, 0, "Plain text at every refresh instead of the full-screen view "
	  "(the default when stdout is not a terminal)", 4 },
	{ "refresh", OPT_REFRESH, "SECONDS", 0, "Refresh interval (default 1)", 4 },
	{ "iterations", OPT_ITERATIONS, "N", 0, "Stop after N refreshes", 4 },
	{ "caches", 'c', NULL, 0, "Start with the per-cache table instead of call sites", 4 },
	{ "sort", 's', "KEY", 0, "Sort by a (alloc/s, default), f (free/s), l (live), b (live "
	  "bytes), w (waste %) or n (name)", 4 },
	{ "filter", 'F', "TEXT", 0, "Only rows whose name contains TEXT", 4 },
	{ 0 },
};

static error_t parse_top(int key, char *arg, struct argp_state *st)
{
	struct top_args *a = st->input;
	char *end;

	switch (key) {
	case 'b':
		a->batch = true;
		break;
	case OPT_REFRESH:
		a->refresh_s = strtod(arg, &end);
		if (*end || end == arg || !(a->refresh_s >= 0.1 && a->refresh_s <= 3600))
			argp_error(st, "invalid --refresh '%s' (0.1 to 3600 seconds)", arg);
		break;
	case OPT_ITERATIONS:
		a->iterations = parse_count(st, "--iterations", arg, ULONG_MAX);
		break;
	case 'c':
		a->mode = TOP_CACHES;
		break;
	case 's':
		if (strlen(arg) != 1 || topview_sort_key(arg[0], &a->sort))
			argp_error(st, "unknown sort key '%s' (a, f, l, b, w or n)", arg);
		break;
	case 'F':
		snprintf(a->filter, sizeof(a->filter), "%s", arg);
		break;
	default:
		return tracing_key(key, arg, st, &a->co);
	}
	return 0;
}

static const struct argp_child top_children[] = { { &common_argp, 0, NULL, 0 }, { 0 } };

static const struct argp top_argp = {
	top_options, parse_top, "[-- CMD [ARGS...]]",
	"A live view of kmalloc and the slab allocator, refreshed every second: rates, live "
	"objects and bytes, waste, per call site or per cache.\v"
	"Keys: q quit; c call sites / caches; g cgroups (--by cgroup starts there); a f l b w n sort by alloc/s, free/s, live, live "
	"bytes, waste %, name; / filter by name (Enter applies, Esc clears); h help.\n"
	"Row marks: ! sleeping allocation in atomic context, F allocations that returned NULL, "
	"+ live count rising at each of the last 3 refreshes.\n"
	"A traced command (-- CMD) shares the terminal: send its output elsewhere, e.g. "
	"-- sh -c 'exec CMD >cmd.log 2>&1'.\n"
	"Examples:\n"
	"  kmscope top                         the whole system\n"
	"  kmscope top -c -s b                 caches by live bytes\n"
	"  kmscope top -b --iterations 5 -p 1234   five plain-text refreshes of one process",
	top_children, NULL, NULL,
};

static const char *sort_name(enum topview_sort s)
{
	static const char *const names[] = { "alloc/s", "free/s", "live", "live bytes",
					     "waste %", "name" };

	return (unsigned int)s < 6 ? names[s] : "?";
}

/* The lines above the table, the same on a screen and in batch output. */
static void header(char lines[3][256], const struct top_args *a, const struct session *s,
		   uint64_t elapsed_ns)
{
	const struct topview_totals *t = topview__totals(a->tv);
	uint64_t lost = runinfo__events_lost(&s->ri);
	char b1[32], b2[32], ctx[KMS_RUNINFO_CTX_LEN];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(lines[0], 256, "kmscope top - %02d:%02d:%02d, traced %.0f s, %s, context: %s",
		 tm.tm_hour, tm.tm_min, tm.tm_sec, elapsed_ns / 1e9, s->ri.method,
		 runinfo__context(&s->ri, ctx, sizeof(ctx)));
	snprintf(lines[1], 256, "allocs %.0f/s, frees %.0f/s; live %" PRIu64 " objects, %s; "
		 "rounding waste %s (%.1f%% of all allocated); lost %" PRIu64 " (ring %" PRIu64
		 ", unseen %" PRIu64 "), names lost %" PRIu64,
		 t->alloc_rate, t->free_rate, t->live, kms_human_bytes(t->live_bytes, b1, sizeof(b1)),
		 kms_human_bytes(t->bytes_alloc - t->bytes_req, b2, sizeof(b2)),
		 t->bytes_alloc ? 100.0 * (t->bytes_alloc - t->bytes_req) / t->bytes_alloc : 0.0,
		 lost, s->ri.counters[KMS_CNT_RB_FAIL], runinfo__unseen(&s->ri),
		 s->ri.counters[KMS_CNT_INFO_LOST]);
	snprintf(lines[2], 256, "%s by %s%s%s%s", a->mode == TOP_SITES ? "call sites" :
		 a->mode == TOP_CACHES ? "caches" : "cgroups",
		 sort_name(a->sort), a->filter[0] ? ", filter '" : "", a->filter,
		 a->filter[0] ? "'" : "");
}

static void row_text(char *buf, size_t len, const struct topview_row *r)
{
	char b1[32], m[4], life[16] = "-";

	if (r->lt_p50 >= 0)
		lifetime__fmt_bucket(r->lt_p50, life, sizeof(life));
	snprintf(buf, len, "%-3s %9.0f %9.0f %9" PRIu64 " %10s %6.1f%% %7s  %s",
		 topview_marks(r->marks, m), r->alloc_rate, r->free_rate, r->live,
		 kms_human_bytes(r->live_bytes, b1, sizeof(b1)), r->waste_pct, life, r->name);
}

static const char *column_names(const struct top_args *a)
{
	static const char *const names[TOP_MODES] = {
		[TOP_SITES] = "MRK   ALLOC/s    FREE/s      LIVE LIVE BYTES  WASTE LIFE50  CALL SITE",
		[TOP_CACHES] = "MRK   ALLOC/s    FREE/s      LIVE LIVE BYTES  WASTE LIFE50  CACHE",
		[TOP_CGROUPS] = "MRK   ALLOC/s    FREE/s      LIVE LIVE BYTES  WASTE LIFE50  CGROUP",
	};

	return names[a->mode];
}

static void batch_frame(struct top_args *a, const struct session *s, uint64_t elapsed_ns)
{
	unsigned int top = 20;
	char lines[3][256], row[320];
	size_t i, n = topview__nr_rows(a->tv);

	header(lines, a, s, elapsed_ns);
	printf("%s\n%s\n%s\n\n%s\n", lines[0], lines[1], lines[2], column_names(a));
	for (i = 0; i < n && i < top; i++) {
		row_text(row, sizeof(row), topview__row(a->tv, i));
		printf("%s\n", row);
	}
	printf("\n");
	fflush(stdout);
}

/* Names are never cut unseen: a line wider than the screen ends in "...". */
static void screen_line(int y, const char *line, int cols)
{
	char fit[512];

	mvaddstr(y, 0, topview_fit(line, cols, fit, sizeof(fit)));
}

static void screen_frame(struct top_args *a, const struct session *s, uint64_t elapsed_ns)
{
	char lines[3][256], row[320];
	size_t i, n = topview__nr_rows(a->tv);
	int y, rows = LINES, cols = COLS;

	erase();
	header(lines, a, s, elapsed_ns);
	for (y = 0; y < 3 && y < rows; y++)
		screen_line(y, lines[y], cols);
	if (a->editing) {
		snprintf(row, sizeof(row), "filter: %s", a->edit);
		mvaddnstr(3, 0, row, cols);
	} else if (a->help) {
		mvaddnstr(3, 0, "q quit  c sites/caches  g cgroups  a f l b w n sort  / filter  h help",
			  cols);
	}
	attron(A_REVERSE);
	mvaddnstr(4, 0, column_names(a), cols);
	for (i = strlen(column_names(a)); (int)i < cols; i++)
		addch(' ');
	attroff(A_REVERSE);
	for (i = 0, y = 5; i < n && y < rows; i++, y++) {
		row_text(row, sizeof(row), topview__row(a->tv, i));
		screen_line(y, row, cols);
	}
	refresh();
}

/* One key; true to quit. */
static bool on_key(struct top_args *a, int ch)
{
	enum topview_sort sort;

	if (a->editing) {
		if (ch == '\n' || ch == KEY_ENTER) {
			a->editing = false;
			snprintf(a->filter, sizeof(a->filter), "%s", a->edit);
		} else if (ch == 27) {
			a->editing = false;
			a->filter[0] = 0;
		} else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && a->edit_len) {
			a->edit[--a->edit_len] = 0;
		} else if (ch >= 32 && ch < 127 && a->edit_len + 1 < sizeof(a->edit)) {
			a->edit[a->edit_len++] = ch;
			a->edit[a->edit_len] = 0;
		}
		return false;
	}
	if (ch == 'q' || ch == 'Q')
		return true;
	if (ch == 'c')
		a->mode = a->mode == TOP_SITES ? TOP_CACHES : TOP_SITES;
	else if (ch == 'g')
		a->mode = TOP_CGROUPS;
	else if (ch == '/')
		a->editing = true, a->edit_len = 0, a->edit[0] = 0;
	else if (ch == 'h' || ch == '?')
		a->help = !a->help;
	else if (!topview_sort_key(ch, &sort))
		a->sort = sort;
	return false;
}

static void start_curses(struct top_args *a)
{
	initscr();
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	a->curses = true;
}

/*
 * The paths of cgroups met since the last look, from the cgroup2 mount:
 * walked again only when the number without a path changed.
 */
static void name_cgroups(struct top_args *a, const struct collector *c)
{
	size_t i, n = collector__nr_cgroups(c), nr = 0;
	uint64_t *ids;

	if (a->mode != TOP_CGROUPS || (!a->paths && !(a->paths = cgpaths__new())))
		return;
	ids = calloc(n ? n : 1, sizeof(*ids));
	for (i = 0; ids && i < n; i++) {
		uint64_t id = collector__cgroup(c, i)->id;

		if (kms_cgroup_is_dir(id) && !cgpaths__get(a->paths, id))
			ids[nr++] = id;
	}
	if (ids && nr && nr != a->unnamed)
		cgroupfs__resolve(a->paths, ids, nr);
	a->unnamed = nr;
	free(ids);
}

static bool top_tick(void *ctx, const struct session *s, uint64_t elapsed_ns)
{
	struct top_args *a = ctx;
	bool changed = false;
	int ch;

	/* The screen starts once the programs are attached: a load error reads as a line. */
	if (!a->batch && !a->curses)
		start_curses(a);
	if (a->curses) {
		while ((ch = getch()) != ERR) {
			if (on_key(a, ch))
				return true;
			changed = true;
		}
	}
	if (!changed && elapsed_ns - a->last_ns < (uint64_t)(a->refresh_s * 1e9))
		return false;
	/* A key redraws at once, with the rates of the last full interval. */
	name_cgroups(a, s->c);
	if (elapsed_ns - a->last_ns >= (uint64_t)(a->refresh_s * 1e9) || !a->shown) {
		if (topview__refresh(a->tv, s->c, s->ks, a->paths, elapsed_ns, a->mode, a->sort,
				     a->filter))
			return true;
		a->last_ns = elapsed_ns;
		a->shown++;
	} else if (topview__refresh(a->tv, s->c, s->ks, a->paths, a->last_ns, a->mode, a->sort,
				    a->filter)) {
		return true;
	}
	if (a->curses)
		screen_frame(a, s, elapsed_ns);
	else
		batch_frame(a, s, elapsed_ns);
	return a->iterations && a->shown >= a->iterations && !changed;
}

int cmd_top(int argc, char **argv)
{
	struct top_args a = { .refresh_s = 1 };
	struct session s;
	char msg[512];
	int rc, err;

	common_opts__init(&a.co);
	a.co.no_input = "top shows the live system; for a recording use stat -i or report -i";
	a.co.no_drop = "top shows the live system until you quit; --drop-caches is for a trace "
		       "that ends in a report (stat, report, run, record, trace)";
	a.co.no_pair = "top shows live counts while the trace runs; --pair holds allocations "
		       "back until their free or the end (stat, report, run, record, check)";
	rc = parse_tracing_args(&top_argp, argc, argv, &a, &a.co);
	if (rc)
		return rc;
	a.tv = topview__new();
	if (!a.tv) {
		p_err("out of memory");
		return KMS_EXIT_ERROR;
	}
	if (!a.batch && !isatty(STDOUT_FILENO))
		a.batch = true;
	if (a.co.so.by_cgroup)
		a.mode = TOP_CGROUPS;
	a.co.so.quiet = !a.batch || a.co.so.quiet;
	a.co.so.on_tick = top_tick;
	/* Keys are read at every tick: a tenth of a second is quick enough. */
	a.co.so.tick_ms = a.batch ? (unsigned int)(a.refresh_s * 1000) : 100;
	a.co.so.ctx = &a;
	err = session__run(&s, &a.co.so, msg, sizeof(msg));
	if (a.curses)
		endwin();
	say_why_ended(&s);
	if (err)
		p_err("%s", msg);
	rc = exit_code(&s, err ? KMS_EXIT_ERROR : KMS_EXIT_OK);
	session__free(&s);
	topview__free(a.tv);
	cgpaths__free(a.paths);
	return rc;
}
