/* SPDX-License-Identifier: GPL-2.0 */
/*
 * httpd.h - `kmscope serve`'s HTTP side, on libmicrohttpd: a fixed set of
 * documents, each a snapshot the trace publishes (the trace never waits
 * on a client: a request copies the latest snapshot under a lock held for
 * a memcpy), GET only, bounded connections, request sizes and time.
 */
#ifndef KMS_HTTPD_H
#define KMS_HTTPD_H

#include <stddef.h>
#include <stdint.h>

enum httpd_doc {
	HTTPD_METRICS,		/* /metrics: Prometheus text */
	HTTPD_METRICS_OM,	/* /metrics for a client that accepts OpenMetrics */
	HTTPD_REPORT,		/* /report.json: the stat JSON since the start */
	HTTPD_PPROF_HEAP,	/* /debug/pprof/heap: gzipped pprof of the live objects */
	HTTPD_PPROF_ALLOCS,	/* /debug/pprof/allocs: the same, alloc_space first */
	HTTPD_NR_DOCS,
};

/* Connections at once, per client address, and the seconds one may idle. */
#define HTTPD_MAX_CONNECTIONS	32
#define HTTPD_MAX_PER_IP	8
#define HTTPD_TIMEOUT_S		10
/* Memory per connection, request line and headers included (a larger request: 431). */
#define HTTPD_CONN_MEMORY	16384
/*
 * ?seconds=N of a profile: at most this many windows open at once, each
 * at most this long (a connection waits, suspended, until its window ends).
 */
#define HTTPD_MAX_WINDOWS	8
#define HTTPD_MAX_WINDOW_S	300

struct httpd;

/*
 * Bind and listen on addr ("127.0.0.1", "::1", "0.0.0.0") port, early:
 * NULL with one sentence in msg when the address is bad or the port taken.
 * Nothing is served before httpd__run().
 */
struct httpd *httpd__listen(const char *addr, uint16_t port, char *msg, size_t len);
/*
 * Start serving, on a thread of libmicrohttpd's.  Capabilities belong to
 * threads: call it once the process dropped what it no longer needs, so
 * that the thread facing the network never holds them.  0 or -errno.
 */
int httpd__run(struct httpd *h);
/* Replace a document with buf[0..len) (taken: freed by httpd). */
void httpd__publish(struct httpd *h, enum httpd_doc doc, char *buf, size_t len);
/*
 * A profile over a window (Go's ?seconds=N): the trace opens it at the
 * first tick after the request (the counts then, in a base of its own)
 * and closes it at the first tick N seconds later, rendering the document
 * of what happened between; the connection waits suspended meanwhile.
 */
struct httpd_window_ops {
	void *(*open)(void *ctx);
	/* The document of doc since base, into *buf (malloc'ed).  0 or -errno. */
	int (*close)(void *ctx, enum httpd_doc doc, const void *base, char **buf, size_t *len);
	void (*drop)(void *base);	/* may run on the server's thread */
};

/* From the trace's tick: open the windows asked for, answer those due. */
void httpd__windows(struct httpd *h, uint64_t now_ns, const struct httpd_window_ops *ops,
		    void *ctx);
/* Requests answered, and refused (bad method or path), so far. */
void httpd__stats(struct httpd *h, uint64_t *served, uint64_t *refused);
void httpd__stop(struct httpd *h);

#endif /* KMS_HTTPD_H */
