// SPDX-License-Identifier: GPL-2.0
/*
 * test_ringbuf.c - unit tests for ringbuf.c, the consumer of the BPF
 * ring buffer.  Every event of a live trace passes through it, and a
 * consumer that loses, repeats, reorders or cuts records corrupts every
 * report without any error, so: records delivered in order and whole;
 * consumer_pos advanced by each record's rounded size; a record straddling
 * the end of the data area read whole; a busy (uncommitted) record stops
 * the drain until it is committed; a discarded record consumed but not
 * delivered; the consumer position published every 64 KiB, not per
 * record; records committed during a drain delivered by it; poll waiting
 * for the map's wakeup; new and free mapping, registering and unmapping,
 * and failing cleanly.
 *
 * kms_ring__new() only takes a map fd, which it mmaps at the kernel's
 * offsets and registers with epoll; a real BPF ring buffer cannot be
 * written from user space.  So the map is a memfd laid out as the kernel
 * lays it out (consumer page, producer page, data area twice), and the
 * test plays the producer: each byte of the data area is written at both
 * of its addresses, which is what the kernel's double mapping gives the
 * consumer.  A memfd cannot be added to an epoll set (EPERM for regular
 * files), so this file defines epoll_ctl(), which the linker binds
 * ringbuf.o to ahead of libc's: it records the registration and adds an
 * eventfd in the memfd's place, through which the test wakes poll.
 *
 * kms_ring_fn returns void: a callback cannot stop a drain, so there is
 * no callback error to test.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "ringbuf.h"
#include "test.h"

/* The data area: a power of two, room for more than one release batch. */
#define RING_SIZE	(128 * 1024)
/* ringbuf.h: the consumer position is published once per 64 KiB. */
#define RELEASE_BYTES	(64 * 1024)
/* Records are 8-byte aligned, header included. */
#define REC_ALIGN	8
/* The memfd's name, as /proc/self/maps shows its mappings. */
#define MEMFD_NAME	"kms-test-ring"
#define OWN_MAPS	1	/* the producer's view */
#define RING_MAPS	2	/* consumer page; producer page + data twice */
#define MAX_RECS	64
#define MAX_PAYLOAD	4096
/* Positions a few laps in, so the test sees them masked, not used raw. */
#define LAPS		3
#define SLOW_POLL_MS	20
/* Long enough that returning early can only be the wakeup. */
#define WAKE_POLL_MS	10000
#define MS_PER_S	1000
#define NS_PER_MS	1000000

/* What the callback saw, in order. */
struct sink {
	int n;
	size_t len[MAX_RECS];
	uint8_t data[MAX_RECS][MAX_PAYLOAD];
	unsigned long cons_seen[MAX_RECS];	/* consumer_pos during the call */
};

/* The memfd standing in for the map, and the producer's view of it. */
struct fake_ring {
	int fd;
	int wake;		/* the eventfd epoll waits on instead */
	size_t page, map_len;
	uint8_t *map;
	unsigned long *cons, *prod;
	uint8_t *data;
	struct kms_ring *r;
	struct sink sink;
	/* a record the callback commits the first time it runs */
	size_t late_len;
	uint8_t late_fill;
};

/* What ringbuf.c asked epoll for, and the fds the interposer swaps. */
static int ep_map_fd = -1, ep_wake_fd = -1;
static bool ep_refuse;		/* let the kernel refuse the memfd */
static int ep_op, ep_fd = -1;
static uint32_t ep_events;

/*
 * Bound ahead of libc's for this binary (see the top of the file).  Only
 * the fake map's fd is swapped; anything else goes to the kernel as is.
 */
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	if (fd == ep_map_fd && ep_map_fd >= 0) {
		ep_op = op;
		ep_fd = fd;
		ep_events = ev ? ev->events : 0;
		if (!ep_refuse)
			fd = ep_wake_fd;
	}
	return syscall(SYS_epoll_ctl, epfd, op, fd, ev);
}

static size_t rec_size(size_t len)
{
	return (len + BPF_RINGBUF_HDR_SZ + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1);
}

/* A byte at ring position pos, as both halves of the double mapping see it. */
static void ring_write(struct fake_ring *fr, unsigned long pos, const void *src, size_t n)
{
	const uint8_t *b = src;
	size_t i, off;

	for (i = 0; i < n; i++) {
		off = (pos + i) & (RING_SIZE - 1);
		fr->data[off] = b[i];
		fr->data[off + RING_SIZE] = b[i];
	}
}

static void set_hdr(struct fake_ring *fr, unsigned long pos, uint32_t len_word)
{
	uint32_t hdr[2] = { len_word, 0 };

	ring_write(fr, pos, hdr, sizeof(hdr));
}

/*
 * Reserve a record of len bytes, all fill, with header flags (BUSY,
 * DISCARD or 0) and advance producer_pos past it.  Returns its position.
 */
static unsigned long put(struct fake_ring *fr, size_t len, uint8_t fill, uint32_t flags)
{
	unsigned long pos = *fr->prod;
	uint8_t payload[MAX_PAYLOAD];

	memset(payload, fill, len);
	set_hdr(fr, pos, (uint32_t)len | flags);
	ring_write(fr, pos + BPF_RINGBUF_HDR_SZ, payload, len);
	__atomic_store_n(fr->prod, pos + rec_size(len), __ATOMIC_RELEASE);
	return pos;
}

/* bpf_ringbuf_submit()/discard(): the busy bit cleared, maybe discarded. */
static void commit(struct fake_ring *fr, unsigned long pos, size_t len, uint32_t flags)
{
	set_hdr(fr, pos, (uint32_t)len | flags);
}

static void on_record(void *ctx, const void *data, size_t len)
{
	struct fake_ring *fr = ctx;
	struct sink *s = &fr->sink;

	if (s->n < MAX_RECS) {
		s->len[s->n] = len;
		memcpy(s->data[s->n], data, len < MAX_PAYLOAD ? len : MAX_PAYLOAD);
		s->cons_seen[s->n] = __atomic_load_n(fr->cons, __ATOMIC_ACQUIRE);
	}
	s->n++;
	if (fr->late_len) {
		put(fr, fr->late_len, fr->late_fill, 0);
		fr->late_len = 0;
	}
}

/* Record i of the sink is len bytes, all fill. */
static bool got(const struct fake_ring *fr, int i, size_t len, uint8_t fill)
{
	size_t j;

	if (i >= fr->sink.n || i >= MAX_RECS || fr->sink.len[i] != len)
		return false;
	for (j = 0; j < len; j++)
		if (fr->sink.data[i][j] != fill)
			return false;
	return true;
}

/* The map alone, positions at start (consumer and producer alike). */
static struct fake_ring *fake_open(unsigned long start)
{
	struct fake_ring *fr = calloc(1, sizeof(*fr));
	void *p;

	if (!fr)
		return NULL;
	fr->page = sysconf(_SC_PAGESIZE);
	fr->map_len = 2 * fr->page + 2 * RING_SIZE;
	fr->fd = memfd_create(MEMFD_NAME, MFD_CLOEXEC);
	fr->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fr->fd < 0 || fr->wake < 0 || ftruncate(fr->fd, fr->map_len) < 0)
		goto fail;
	p = mmap(NULL, fr->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fr->fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	fr->map = p;
	fr->cons = p;
	fr->prod = (unsigned long *)(fr->map + fr->page);
	fr->data = fr->map + 2 * fr->page;
	*fr->cons = *fr->prod = start;
	ep_map_fd = fr->fd;
	ep_wake_fd = fr->wake;
	ep_fd = -1;
	return fr;
fail:
	T_FAIL("fake ring: %s", strerror(errno));
	if (fr->map)
		munmap(fr->map, fr->map_len);
	if (fr->fd >= 0)
		close(fr->fd);
	if (fr->wake >= 0)
		close(fr->wake);
	free(fr);
	return NULL;
}

static void fake_free(struct fake_ring *fr)
{
	if (!fr)
		return;
	kms_ring__free(fr->r);
	munmap(fr->map, fr->map_len);
	close(fr->fd);
	close(fr->wake);
	ep_map_fd = ep_wake_fd = -1;
	free(fr);
}

/* The map with the ring under test attached. */
static struct fake_ring *fake_new(unsigned long start)
{
	struct fake_ring *fr = fake_open(start);

	if (!fr)
		return NULL;
	fr->r = kms_ring__new(fr->fd, RING_SIZE, on_record, fr);
	if (!fr->r) {
		T_FAIL("kms_ring__new: %s", strerror(errno));
		fake_free(fr);
		return NULL;
	}
	return fr;
}

/* Live mappings of the fake map: the test's own, plus the ring's two. */
static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += !!strstr(line, MEMFD_NAME);
	fclose(f);
	return n;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * MS_PER_S + (t1.tv_nsec - t0->tv_nsec) / NS_PER_MS;
}

/* The map fd is what epoll waits on, for input. */
TEST(new_registers_map)
{
	struct fake_ring *fr = fake_new(0);

	if (!fr)
		return;
	CHECK_INT(ep_fd, ==, fr->fd);
	CHECK_INT(ep_op, ==, EPOLL_CTL_ADD);
	CHECK(ep_events & EPOLLIN);
	CHECK_INT(count_maps(), ==, OWN_MAPS + RING_MAPS);
	/* nothing produced: nothing delivered, nothing consumed */
	CHECK_INT(kms_ring__consume(fr->r), ==, 0);
	CHECK_INT(fr->sink.n, ==, 0);
	CHECK_U64(*fr->cons, 0);
	/* free unmaps both of the ring's mappings */
	kms_ring__free(fr->r);
	fr->r = NULL;
	CHECK_INT(count_maps(), ==, OWN_MAPS);
	fake_free(fr);
}

/* A fd that is no map: NULL, with mmap's errno. */
TEST(new_bad_fd)
{
	errno = 0;
	CHECK(!kms_ring__new(-1, RING_SIZE, on_record, NULL));
	CHECK_INT(errno, ==, EBADF);
	kms_ring__free(NULL);
}

/*
 * Mapped, but epoll refuses the fd (as it does a plain file): NULL with
 * epoll's errno, both mappings undone (LeakSanitizer checks the rest).
 */
TEST(new_epoll_refused)
{
	struct fake_ring *fr = fake_open(0);

	if (!fr)
		return;
	ep_refuse = true;
	errno = 0;
	fr->r = kms_ring__new(fr->fd, RING_SIZE, on_record, fr);
	ep_refuse = false;
	CHECK(!fr->r);
	CHECK_INT(errno, ==, EPERM);
	CHECK_INT(ep_fd, ==, fr->fd);
	CHECK_INT(count_maps(), ==, OWN_MAPS);
	fake_free(fr);
}

TEST(in_order)
{
	struct fake_ring *fr = fake_new(0);

	if (!fr)
		return;
	put(fr, 1, 0xa1, 0);
	put(fr, 8, 0xa2, 0);
	put(fr, 13, 0xa3, 0);
	put(fr, 100, 0xa4, 0);
	CHECK_INT(kms_ring__consume(fr->r), ==, 4);
	CHECK_INT(fr->sink.n, ==, 4);
	CHECK(got(fr, 0, 1, 0xa1));
	CHECK(got(fr, 1, 8, 0xa2));
	CHECK(got(fr, 2, 13, 0xa3));
	CHECK(got(fr, 3, 100, 0xa4));
	CHECK_U64(*fr->cons, *fr->prod);
	/* drained: a second consume delivers nothing again */
	CHECK_INT(kms_ring__consume(fr->r), ==, 0);
	CHECK_INT(fr->sink.n, ==, 4);
	fake_free(fr);
}

/* Each record moves consumer_pos by header + payload rounded up to 8. */
TEST(consumer_pos_rounding)
{
	static const struct {
		size_t len;
		unsigned long step;
	} cases[] = {
		{ 0, 8 }, { 1, 16 }, { 7, 16 }, { 8, 16 }, { 9, 24 }, { 16, 24 }, { 17, 32 },
	};
	struct fake_ring *fr = fake_new(0);
	unsigned long pos = 0;
	size_t i;

	if (!fr)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put(fr, cases[i].len, (uint8_t)i, 0);
		CHECK_INT(kms_ring__consume(fr->r), ==, 1);
		pos += cases[i].step;
		CHECK_U64(*fr->cons, pos);
		CHECK(got(fr, i, cases[i].len, (uint8_t)i));
	}
	fake_free(fr);
}

/*
 * A record whose header sits 16 bytes before the end of the data area:
 * 8 bytes of its payload before the end, 32 after.  The double mapping
 * makes it contiguous; the next record starts at offset 32 of the area.
 */
TEST(wrap_around)
{
	const unsigned long start = LAPS * (unsigned long)RING_SIZE - 16;
	struct fake_ring *fr = fake_new(start);
	unsigned long next;

	if (!fr)
		return;
	put(fr, 40, 0xb1, 0);
	next = put(fr, 5, 0xb2, 0);
	CHECK_U64(next & (RING_SIZE - 1), 32);
	CHECK_INT(kms_ring__consume(fr->r), ==, 2);
	CHECK(got(fr, 0, 40, 0xb1));
	CHECK(got(fr, 1, 5, 0xb2));
	CHECK_U64(*fr->cons, start + rec_size(40) + rec_size(5));
	fake_free(fr);
}

/* A record ending exactly at the end of the area, the next at its start. */
TEST(wrap_at_boundary)
{
	const unsigned long start = LAPS * (unsigned long)RING_SIZE - 24;
	struct fake_ring *fr = fake_new(start);

	if (!fr)
		return;
	put(fr, 16, 0xc1, 0);	/* fills the area to its end exactly */
	put(fr, 24, 0xc2, 0);	/* starts at offset 0 of the next lap */
	CHECK_INT(kms_ring__consume(fr->r), ==, 2);
	CHECK(got(fr, 0, 16, 0xc1));
	CHECK(got(fr, 1, 24, 0xc2));
	CHECK_U64(*fr->cons, LAPS * (unsigned long)RING_SIZE + rec_size(24));
	fake_free(fr);
}

/* Reserved, not yet committed: the drain stops at it, keeps what is after. */
TEST(busy_stops)
{
	struct fake_ring *fr = fake_new(0);
	unsigned long busy;

	if (!fr)
		return;
	put(fr, 10, 0xd1, 0);
	busy = put(fr, 20, 0xd2, BPF_RINGBUF_BUSY_BIT);
	put(fr, 30, 0xd3, 0);
	CHECK_INT(kms_ring__consume(fr->r), ==, 1);
	CHECK_INT(fr->sink.n, ==, 1);
	CHECK(got(fr, 0, 10, 0xd1));
	CHECK_U64(*fr->cons, busy);
	/* still busy: nothing more, however often asked */
	CHECK_INT(kms_ring__consume(fr->r), ==, 0);
	CHECK_INT(fr->sink.n, ==, 1);
	CHECK_U64(*fr->cons, busy);
	commit(fr, busy, 20, 0);
	CHECK_INT(kms_ring__consume(fr->r), ==, 2);
	CHECK_INT(fr->sink.n, ==, 3);
	CHECK(got(fr, 1, 20, 0xd2));
	CHECK(got(fr, 2, 30, 0xd3));
	CHECK_U64(*fr->cons, *fr->prod);
	fake_free(fr);
}

/* Discarded: consumed (its space is free again) but never delivered. */
TEST(discard_skipped)
{
	struct fake_ring *fr = fake_new(0);

	if (!fr)
		return;
	put(fr, 10, 0xe1, 0);
	put(fr, 20, 0xe2, BPF_RINGBUF_DISCARD_BIT);
	put(fr, 30, 0xe3, 0);
	put(fr, 9, 0xe4, BPF_RINGBUF_DISCARD_BIT);
	CHECK_INT(kms_ring__consume(fr->r), ==, 2);
	CHECK_INT(fr->sink.n, ==, 2);
	CHECK(got(fr, 0, 10, 0xe1));
	CHECK(got(fr, 1, 30, 0xe3));
	CHECK_U64(*fr->cons, rec_size(10) + rec_size(20) + rec_size(30) + rec_size(9));
	CHECK_U64(*fr->cons, *fr->prod);
	fake_free(fr);
}

/* Busy, then discarded on commit (bpf_ringbuf_discard()). */
TEST(busy_then_discarded)
{
	struct fake_ring *fr = fake_new(0);
	unsigned long busy;

	if (!fr)
		return;
	busy = put(fr, 12, 0xf1, BPF_RINGBUF_BUSY_BIT);
	put(fr, 4, 0xf2, 0);
	CHECK_INT(kms_ring__consume(fr->r), ==, 0);
	CHECK_U64(*fr->cons, 0);
	commit(fr, busy, 12, BPF_RINGBUF_DISCARD_BIT);
	CHECK_INT(kms_ring__consume(fr->r), ==, 1);
	CHECK(got(fr, 0, 4, 0xf2));
	CHECK_U64(*fr->cons, rec_size(12) + rec_size(4));
	fake_free(fr);
}

/*
 * The producer sees consumer_pos move once per 64 KiB within a drain, not
 * per record.  Records of 4 KiB in all: the 16th completes the first
 * 64 KiB and is published after its callback, so callbacks 0..15 see the
 * start and 16 on see 64 KiB; the end of the drain publishes the rest.
 */
TEST(release_batching)
{
	const size_t len = MAX_PAYLOAD - BPF_RINGBUF_HDR_SZ;
	const int per_release = RELEASE_BYTES / MAX_PAYLOAD, total = per_release + 4;
	struct fake_ring *fr = fake_new(0);
	int i;

	if (!fr)
		return;
	for (i = 0; i < total; i++)
		put(fr, len, (uint8_t)i, 0);
	CHECK_U64(*fr->prod, (unsigned long)total * MAX_PAYLOAD);
	CHECK_INT(kms_ring__consume(fr->r), ==, total);
	for (i = 0; i < total; i++)
		CHECK(got(fr, i, len, (uint8_t)i));
	CHECK_U64(fr->sink.cons_seen[1], 0);
	CHECK_U64(fr->sink.cons_seen[per_release - 1], 0);
	CHECK_U64(fr->sink.cons_seen[per_release], RELEASE_BYTES);
	CHECK_U64(fr->sink.cons_seen[total - 1], RELEASE_BYTES);
	CHECK_U64(*fr->cons, (unsigned long)total * MAX_PAYLOAD);
	fake_free(fr);
}

/* "Everything committed so far" includes what is committed mid-drain. */
TEST(committed_during_drain)
{
	struct fake_ring *fr = fake_new(0);

	if (!fr)
		return;
	put(fr, 16, 0x11, 0);
	fr->late_len = 24;
	fr->late_fill = 0x22;
	CHECK_INT(kms_ring__consume(fr->r), ==, 2);
	CHECK(got(fr, 0, 16, 0x11));
	CHECK(got(fr, 1, 24, 0x22));
	CHECK_U64(*fr->cons, rec_size(16) + rec_size(24));
	fake_free(fr);
}

/* No wakeup: poll waits its timeout, then drains what is there anyway. */
TEST(poll_timeout_then_drain)
{
	struct fake_ring *fr = fake_new(0);
	struct timespec t0;

	if (!fr)
		return;
	put(fr, 3, 0x31, 0);
	put(fr, 5, 0x32, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(kms_ring__poll(fr->r, SLOW_POLL_MS), ==, 2);
	CHECK_INT(elapsed_ms(&t0), >=, SLOW_POLL_MS);
	CHECK(got(fr, 0, 3, 0x31));
	CHECK(got(fr, 1, 5, 0x32));
	CHECK_U64(*fr->cons, *fr->prod);
	fake_free(fr);
}

/* The map's wakeup ends the wait at once. */
TEST(poll_wakeup)
{
	struct fake_ring *fr = fake_new(0);
	struct timespec t0;
	uint64_t one = 1;

	if (!fr)
		return;
	put(fr, 7, 0x41, 0);
	CHECK_INT(write(fr->wake, &one, sizeof(one)), ==, sizeof(one));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(kms_ring__poll(fr->r, WAKE_POLL_MS), ==, 1);
	CHECK_INT(elapsed_ms(&t0), <, WAKE_POLL_MS / 2);
	CHECK(got(fr, 0, 7, 0x41));
	fake_free(fr);
}

int main(void)
{
	t_suite = "ringbuf";
	RUN(new_registers_map);
	RUN(new_bad_fd);
	RUN(new_epoll_refused);
	RUN(in_order);
	RUN(consumer_pos_rounding);
	RUN(wrap_around);
	RUN(wrap_at_boundary);
	RUN(busy_stops);
	RUN(discard_skipped);
	RUN(busy_then_discarded);
	RUN(release_batching);
	RUN(committed_during_drain);
	RUN(poll_timeout_then_drain);
	RUN(poll_wakeup);
	return test_done();
}
