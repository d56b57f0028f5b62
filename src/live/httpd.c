// SPDX-License-Identifier: GPL-2.0
/*
 * httpd.c - see httpd.h.  libmicrohttpd runs its own polling thread; the
 * handler answers from the published snapshots only, so nothing a client
 * sends or fails to read reaches the trace.  Paths are matched exactly,
 * query strings ignored; /healthz says whether a snapshot is there.
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
#include <unistd.h>

#include "httpd.h"

struct doc {
	char *buf;
	size_t len;
};

struct httpd {
	int fd;			/* the listening socket, MHD's once running */
	bool v6;
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	struct doc docs[HTTPD_NR_DOCS];
	uint64_t served, refused;
};

static const struct {
	const char *path, *type;
	enum httpd_doc doc;
} routes[] = {
	{ "/metrics", "text/plain; version=0.0.4; charset=utf-8", HTTPD_METRICS },
	{ "/report.json", "application/json", HTTPD_REPORT },
	{ "/debug/pprof/heap", "application/octet-stream", HTTPD_PPROF_HEAP },
	/* Reached through the Accept header of /metrics only (handle()). */
	{ "", "application/openmetrics-text; version=1.0.0; charset=utf-8", HTTPD_METRICS_OM },
};
#define OM_ROUTE	3

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

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	struct httpd *h = cls;
	const char *accept;
	size_t i;
	bool ready;

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
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (!strcmp(url, routes[i].path))
			return serve_doc(h, conn, i);
	return refuse(h, conn, MHD_HTTP_NOT_FOUND,
		      "not found: /metrics, /report.json, /debug/pprof/heap, /healthz\n");
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
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;

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
	if (h->d)
		MHD_stop_daemon(h->d);	/* closes fd, MHD's since httpd__run() */
	else
		close(h->fd);
	for (i = 0; i < HTTPD_NR_DOCS; i++)
		free(h->docs[i].buf);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
