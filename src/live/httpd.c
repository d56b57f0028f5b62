// SPDX-License-Identifier: GPL-2.0
/*
 * httpd.c - see httpd.h.  libmicrohttpd runs its own polling thread; the
 * handler answers from the published snapshots only, so nothing a client
 * sends or fails to read reaches the trace.  Paths are matched exactly;
 * the only query parameter read is a profile's seconds=N (and debug=N,
 * refused: only the protobuf form is served).  /healthz says whether a
 * snapshot is there.  A profile over a window suspends its connection
 * until the trace's tick hands it the document: MHD's thread never waits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "httpd.h"

/* At the stop, how long clients of windows get to read "stopping": 1 s. */
#define HTTPD_STOP_POLL_NS	10000000L
#define HTTPD_STOP_POLLS	100

struct doc {
	char *buf;
	size_t len;
};

/* One ?seconds=N request, from the request to its connection's end. */
struct window {
	struct window *next;
	struct MHD_Connection *conn;
	enum httpd_doc doc;
	const char *type;		/* its route's content type */
	unsigned int seconds;
	uint64_t due_ns;		/* 0: not opened yet */
	void *base;
	void (*drop)(void *base);
	unsigned int status;		/* 0: waiting; else the answer is in buf */
	struct doc answer;
	bool listed;			/* in h->windows (suspended) */
};

struct httpd {
	int fd;			/* the listening socket, MHD's once running */
	bool v6;
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	struct doc docs[HTTPD_NR_DOCS];
	struct window *windows;	/* suspended, waiting for their end */
	size_t nr_windows;
	size_t nr_alive;	/* windows whose connection MHD has not finished */
	uint64_t served, refused;
};

static const struct {
	const char *path, *type;
	enum httpd_doc doc;
} routes[] = {
	{ "/metrics", "text/plain; version=0.0.4; charset=utf-8", HTTPD_METRICS },
	{ "/report.json", "application/json", HTTPD_REPORT },
	{ "/debug/pprof/heap", "application/octet-stream", HTTPD_PPROF_HEAP },
	{ "/debug/pprof/allocs", "application/octet-stream", HTTPD_PPROF_ALLOCS },
	/* Reached through the Accept header of /metrics only (handle()). */
	{ "", "application/openmetrics-text; version=1.0.0; charset=utf-8", HTTPD_METRICS_OM },
};
#define OM_ROUTE	4

static bool is_profile(enum httpd_doc doc)
{
	return doc == HTTPD_PPROF_HEAP || doc == HTTPD_PPROF_ALLOCS;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, const void *buf, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)buf, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result refuse(struct httpd *h, struct MHD_Connection *conn,
			      unsigned int status, const char *msg)
{
	pthread_mutex_lock(&h->lock);
	h->refused++;
	pthread_mutex_unlock(&h->lock);
	return reply(conn, status, "text/plain; charset=utf-8", msg, strlen(msg));
}

/* A document, copied under the lock: the trace may publish the next meanwhile. */
static enum MHD_Result serve_doc(struct httpd *h, struct MHD_Connection *conn, size_t i)
{
	const struct doc *d = &h->docs[routes[i].doc];
	enum MHD_Result ret;

	pthread_mutex_lock(&h->lock);
	if (!d->buf) {
		pthread_mutex_unlock(&h->lock);
		return refuse(h, conn, MHD_HTTP_SERVICE_UNAVAILABLE,
			      "no snapshot yet: the first comes a second after the trace starts\n");
	}
	h->served++;
	ret = reply(conn, MHD_HTTP_OK, routes[i].type, d->buf, d->len);
	pthread_mutex_unlock(&h->lock);
	return ret;
}

/* seconds=N: 0 when absent, -1 when not a number in 1..HTTPD_MAX_WINDOW_S. */
static long window_seconds(struct MHD_Connection *conn)
{
	const char *v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "seconds");
	unsigned long n;
	char *end;

	if (!v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || *v == '-' || *v == '+' || !n || n > HTTPD_MAX_WINDOW_S)
		return -1;
	return n;
}

/* A profile over a window: listed and suspended until httpd__windows() answers. */
static enum MHD_Result open_window(struct httpd *h, struct MHD_Connection *conn,
				   size_t route, unsigned int seconds, void **state)
{
	struct window *w;

	pthread_mutex_lock(&h->lock);
	if (h->nr_windows >= HTTPD_MAX_WINDOWS || !(w = calloc(1, sizeof(*w)))) {
		pthread_mutex_unlock(&h->lock);
		return refuse(h, conn, MHD_HTTP_SERVICE_UNAVAILABLE,
			      "too many profile windows open: try again when one has ended\n");
	}
	w->conn = conn;
	w->doc = routes[route].doc;
	w->type = routes[route].type;
	w->seconds = seconds;
	w->next = h->windows;
	w->listed = true;
	h->windows = w;
	h->nr_windows++;
	h->nr_alive++;
	*state = w;
	MHD_suspend_connection(conn);
	pthread_mutex_unlock(&h->lock);
	return MHD_YES;
}

/* Called again once resumed: the answer is there. */
static enum MHD_Result answer_window(struct httpd *h, struct MHD_Connection *conn,
				     struct window *w)
{
	enum MHD_Result ret;

	pthread_mutex_lock(&h->lock);
	if (w->status == MHD_HTTP_OK)
		h->served++;
	else
		h->refused++;
	ret = reply(conn, w->status, w->status == MHD_HTTP_OK ? w->type :
			"text/plain; charset=utf-8", w->answer.buf, w->answer.len);
	pthread_mutex_unlock(&h->lock);
	return ret;
}

static void unlist(struct httpd *h, struct window *w)
{
	struct window **pp;

	for (pp = &h->windows; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			h->nr_windows--;
			break;
		}
	}
	w->listed = false;
}

/* MHD is done with a connection: a window's memory goes with it. */
static void completed(void *cls, struct MHD_Connection *conn, void **state,
		      enum MHD_RequestTerminationCode why)
{
	struct httpd *h = cls;
	struct window *w = *state;

	(void)conn;
	(void)why;
	if (!w)
		return;
	pthread_mutex_lock(&h->lock);
	if (w->listed)
		unlist(h, w);
	h->nr_alive--;
	pthread_mutex_unlock(&h->lock);
	if (w->drop && w->base)
		w->drop(w->base);
	free(w->answer.buf);
	free(w);
	*state = NULL;
}

/*
 * Give w its answer (a text when status is not 200) and take it off the
 * list onto *ready.  Its connection is resumed by resume_ready() once
 * h->lock is released: MHD's own locks are never taken under ours.
 */
static void answer(struct httpd *h, struct window *w, unsigned int status, char *buf,
		   size_t len, struct window **ready)
{
	w->status = status;
	w->answer.buf = buf;
	w->answer.len = len;
	unlist(h, w);
	w->next = *ready;
	*ready = w;
}

static void answer_text(struct httpd *h, struct window *w, unsigned int status,
			const char *text, struct window **ready)
{
	char *m = strdup(text);

	answer(h, w, status, m, m ? strlen(m) : 0, ready);
}

/* Unlisted and suspended, a window is ours until resumed: then MHD's. */
static void resume_ready(struct window *ready)
{
	struct window *w, *next;

	for (w = ready; w; w = next) {
		next = w->next;
		MHD_resume_connection(w->conn);
	}
}

static void close_window(struct httpd *h, struct window *w, const struct httpd_window_ops *ops,
			 void *ctx, struct window **ready)
{
	char *buf = NULL;
	size_t len = 0;
	int err = ops->close(ctx, w->doc, w->base, &buf, &len);

	if (err) {
		free(buf);
		answer_text(h, w, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "the profile could not be rendered\n", ready);
		return;
	}
	answer(h, w, MHD_HTTP_OK, buf, len, ready);
}

void httpd__windows(struct httpd *h, uint64_t now_ns, const struct httpd_window_ops *ops,
		    void *ctx)
{
	struct window *w, *next, *ready = NULL;

	pthread_mutex_lock(&h->lock);
	for (w = h->windows; w; w = next) {
		next = w->next;
		if (!w->due_ns) {
			w->base = ops->open(ctx);
			w->drop = ops->drop;
			w->due_ns = now_ns + (uint64_t)w->seconds * 1000000000ULL;
			if (!w->base)
				answer_text(h, w, MHD_HTTP_SERVICE_UNAVAILABLE,
					    "out of memory for the window\n", &ready);
		} else if (now_ns >= w->due_ns) {
			close_window(h, w, ops, ctx, &ready);
		}
	}
	pthread_mutex_unlock(&h->lock);
	resume_ready(ready);
}

/*
 * Before MHD stops: no connection may stay suspended (MHD_stop_daemon()'s
 * rule).  Each waiting client is told, and given a moment to hear it.
 */
static void end_windows(struct httpd *h)
{
	struct timespec tick = { 0, HTTPD_STOP_POLL_NS };
	struct window *ready = NULL;
	int i;

	pthread_mutex_lock(&h->lock);
	while (h->windows)
		answer_text(h, h->windows, MHD_HTTP_SERVICE_UNAVAILABLE, "kmscope is stopping\n",
			    &ready);
	pthread_mutex_unlock(&h->lock);
	resume_ready(ready);
	pthread_mutex_lock(&h->lock);
	for (i = 0; h->nr_alive && i < HTTPD_STOP_POLLS; i++) {
		pthread_mutex_unlock(&h->lock);
		nanosleep(&tick, NULL);
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	struct httpd *h = cls;
	const char *accept, *debug;
	long secs;
	size_t i;
	bool ready;

	if (*state)
		return answer_window(h, conn, *state);
	/* A request with a body is refused before the body is read. */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return refuse(h, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET\n");
	if (!strcmp(url, "/healthz")) {
		pthread_mutex_lock(&h->lock);
		ready = h->docs[HTTPD_METRICS].buf != NULL;
		pthread_mutex_unlock(&h->lock);
		return ready ? reply(conn, MHD_HTTP_OK, "text/plain", "ok\n", 3) :
			       refuse(h, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "starting\n");
	}
	/* What Prometheus asks for first when it may have OpenMetrics. */
	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	if (!strcmp(url, "/metrics") && accept && strstr(accept, "application/openmetrics-text"))
		return serve_doc(h, conn, OM_ROUTE);
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(url, routes[i].path))
			continue;
		if (!is_profile(routes[i].doc))
			return serve_doc(h, conn, i);
		debug = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "debug");
		if (debug && strcmp(debug, "0"))
			return refuse(h, conn, MHD_HTTP_BAD_REQUEST,
				      "debug=N: only the protobuf profile is served (debug=0)\n");
		secs = window_seconds(conn);
		if (secs < 0)
			return refuse(h, conn, MHD_HTTP_BAD_REQUEST,
				      "seconds: a whole number of seconds from 1 to 300\n");
		return secs ? open_window(h, conn, i, secs, state) :
			      serve_doc(h, conn, i);
	}
	return refuse(h, conn, MHD_HTTP_NOT_FOUND,
		      "not found: /metrics, /report.json, /debug/pprof/heap, /debug/pprof/allocs, "
		      "/healthz\n");
}

/* addr:port into a socket address; false when addr is no IP address. */
static bool sockaddr_of(const char *addr, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		return true;
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return true;
	}
	return false;
}

struct httpd *httpd__listen(const char *addr, uint16_t port, char *msg, size_t len)
{
	struct sockaddr_storage ss;
	struct httpd *h;
	int one = 1;

	if (!sockaddr_of(addr, port, &ss)) {
		snprintf(msg, len, "--listen: '%s' is not an IP address (127.0.0.1, ::1, 0.0.0.0)",
			 addr);
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(msg, len, "out of memory");
		return NULL;
	}
	h->v6 = ss.ss_family == AF_INET6;
	h->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (h->fd < 0 || setsockopt(h->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(h->fd, (struct sockaddr *)&ss, h->v6 ? sizeof(struct sockaddr_in6) :
							sizeof(struct sockaddr_in)) ||
	    listen(h->fd, HTTPD_MAX_CONNECTIONS)) {
		snprintf(msg, len, "cannot listen on %s port %u: %s (choose another with --listen)",
			 addr, port, strerror(errno));
		if (h->fd >= 0)
			close(h->fd);
		free(h);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	return h;
}

int httpd__run(struct httpd *h)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_ALLOW_SUSPEND_RESUME;

	if (h->d)
		return 0;
	if (h->v6)
		flags |= MHD_USE_IPv6;
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, h,
				MHD_OPTION_LISTEN_SOCKET, h->fd,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTPD_MAX_CONNECTIONS,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)HTTPD_MAX_PER_IP,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTPD_TIMEOUT_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTPD_CONN_MEMORY,
				MHD_OPTION_NOTIFY_COMPLETED, completed, h,
				MHD_OPTION_END);
	return h->d ? 0 : -EIO;
}

void httpd__publish(struct httpd *h, enum httpd_doc doc, char *buf, size_t len)
{
	char *old;

	pthread_mutex_lock(&h->lock);
	old = h->docs[doc].buf;
	h->docs[doc].buf = buf;
	h->docs[doc].len = len;
	pthread_mutex_unlock(&h->lock);
	free(old);
}

void httpd__stats(struct httpd *h, uint64_t *served, uint64_t *refused)
{
	pthread_mutex_lock(&h->lock);
	*served = h->served;
	*refused = h->refused;
	pthread_mutex_unlock(&h->lock);
}

void httpd__stop(struct httpd *h)
{
	int i;

	if (!h)
		return;
	if (h->d) {
		end_windows(h);
		MHD_stop_daemon(h->d);	/* closes fd, MHD's since httpd__run() */
	}
	else
		close(h->fd);
	for (i = 0; i < HTTPD_NR_DOCS; i++)
		free(h->docs[i].buf);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
