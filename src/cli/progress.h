/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progress.h - the status line of long live commands (record, run, check,
 * stat, report) on a terminal: time traced, events received and their
 * rate, losses, live objects.  Redrawn in place once a second on stderr,
 * erased before the command prints anything else; never shown when
 * stderr is not a terminal, with -q, or when replaying.
 */
#ifndef KMS_PROGRESS_H
#define KMS_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct session;
struct session_opts;

struct progress {
	bool shown;		/* a line is on the terminal now */
	uint64_t last_events, last_ns;
};

/* Hook p into o's tick when stderr is a terminal and nothing says not to. */
void progress__attach(struct progress *p, struct session_opts *o);
/* Erase the line, if one is shown. */
void progress__end(struct progress *p);

#endif /* KMS_PROGRESS_H */
