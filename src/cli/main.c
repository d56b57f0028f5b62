// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - `kmscope [GLOBAL OPTIONS] COMMAND [OPTIONS]`: global options,
 * the command table (unique prefixes accepted, like bpftool), help and
 * version.  Exit codes: 0 ok, 1 runtime error, 2 usage.
 */
#include <argp.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "util.h"

#define KMSCOPE_VERSION "0.1.0"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "stat", cmd_stat, "totals per call site and per cache" },
	{ "top", cmd_top, "live full-screen view, per call site or cache" },
	{ "serve", cmd_serve, "trace until stopped, serve /metrics, /report.json, pprof over HTTP" },
	{ "trace", cmd_trace, "one line per kmem event" },
	{ "record", cmd_record, "write events to a file for later analysis" },
	{ "report", cmd_report, "findings: waste, leaks, GFP misuse, failures" },
	{ "run", cmd_run, "trace a command, write the full JSON report (CI)" },
	{ "check", cmd_check, "prove the SLUB model against this kernel" },
	{ "sizes", cmd_sizes, "kmalloc size classes, or where one request lands" },
	{ "diff", cmd_diff, "compare two JSON reports (CI regression gate)" },
	{ "import", cmd_import, "convert ftrace or perf script kmem text into a recording" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: kmscope [-j] [-v] COMMAND [OPTIONS] [-- CMD [ARGS...]]\n\n"
		   "See what kmalloc and the slab allocator are doing, live or from a recording.\n\n"
		   "Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nGlobal options:\n"
		   "  -j, --json      JSON output        --pretty   indented JSON\n"
		   "  -v, --verbose   more messages      -V, --version\n"
		   "  -h, --help      this text\n\n"
		   "'kmscope COMMAND --help' describes each command.\n");
}

static const struct command *find_command(const char *name)
{
	const struct command *hit = NULL;
	size_t i, len = strlen(name);

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
		if (len && !strncmp(commands[i].name, name, len)) {
			if (hit)
				return NULL;	/* ambiguous prefix */
			hit = &commands[i];
		}
	}
	return hit;
}

/* Global options before the command; returns the index of the command. */
static int parse_global(int argc, char **argv, int *rc)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			gopts.json = log_json = true;
		} else if (!strcmp(a, "--pretty")) {
			gopts.json = gopts.pretty = log_json = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			gopts.verbose++;
			log_verbose++;
		} else if (!strcmp(a, "-vv")) {
			gopts.verbose += 2;
			log_verbose += 2;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("kmscope %s\n", KMSCOPE_VERSION);
			*rc = KMS_EXIT_OK;
			return -1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			*rc = KMS_EXIT_OK;
			return -1;
		} else {
			p_err("unknown global option '%s' (try kmscope --help)", a);
			*rc = KMS_EXIT_USAGE;
			return -1;
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	char name[64];
	int rc = KMS_EXIT_OK, i;

	argp_err_exit_status = KMS_EXIT_USAGE;
	log_setup_libbpf();
	i = parse_global(argc, argv, &rc);
	if (i < 0)
		return rc;
	if (i >= argc) {
		usage(stderr);
		return KMS_EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		usage(stdout);
		return KMS_EXIT_OK;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		p_err("unknown or ambiguous command '%s' (try kmscope --help)", argv[i]);
		return KMS_EXIT_USAGE;
	}
	/* argp names the program after argv[0]: make it "kmscope stat". */
	snprintf(name, sizeof(name), "kmscope %s", cmd->name);
	argv[i] = name;
	return cmd->fn(argc - i, argv + i);
}
