/* SPDX-License-Identifier: MIT */
/*
 * Receive streams (multishot recv into a provided-buffer ring) on real
 * loopback sockets, and a stop with a listener and a stream open.  The
 * method and the shared plumbing: loop_fast.h.
 */
#include "loop_fast.h"

#include <unistd.h>

#include "sys.h"	/* iou__alloc_live() */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#define BIG (1 << 20)

static unsigned char tx[BIG], rx[BIG];

/* Receive streams */

/* Pull until @until bytes, EOF or an error; copy to rx; release each. */
static long pull(struct iou_fiber *self, struct iou_recv_stream *s,
		 size_t until, unsigned bsz, unsigned *chunks)
{
	size_t off = 0;
	void *b;
	int n = 0;

	while (off < until &&
	       (n = iou_recv_stream_next(self, s, &b, 2000 * MS)) > 0) {
		if ((unsigned)n > bsz || off + (size_t)n > BIG || !b)
			return -1000;
		memcpy(rx + off, b, (size_t)n);
		off += (size_t)n;
		*chunks += 1;
		iou_recv_stream_release(s, b);
	}
	return n < 0 ? n : (long)off;
}

struct writer {
	int fd;
	size_t len;
};

/* Send tx[0..len) in pieces, then shut down the write side. */
static int writer_fiber(struct iou_fiber *self, void *arg)
{
	struct writer *w = arg;
	size_t off = 0, len;
	int n;

	while (off < w->len) {
		len = w->len - off < 65536 ? w->len - off : 65536;
		n = iou_send(self, w->fd, tx + off, (unsigned)len, 0, 2000 * MS);
		FCHECK(n > 0);
		off += (size_t)n;
	}
	return iou_shutdown(self, w->fd, SHUT_WR);
}

static int big_main(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	struct writer wr = { sv[0], BIG };
	struct iou_recv_stream *s;
	struct iou_fiber *w;
	unsigned chunks = 0;
	void *b;

	memset(rx, 0, sizeof(rx));
	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 4096, 16, &s), 0);
	FCHECK_EQ(iou_spawn(t_loop, writer_fiber, &wr, 0, &w), 0);
	FCHECK_EQ(pull(self, s, BIG + 1, 4096, &chunks), BIG);
	/* 1 MiB through 16 buffers of 4 KiB: each went round many times. */
	FCHECK(chunks >= BIG / 4096);
	FCHECK(!memcmp(rx, tx, BIG));
	FCHECK_EQ(iou_recv_stream_next(self, s, &b, 1000 * MS), 0);
	FCHECK(b == NULL);
	FCHECK_EQ(joined(self, w), 0);
	iou_recv_stream_close(self, s);
	return 0;
}

LOOP_TEST(stream_1mib_in_order, PAIR, big_main, NULL, 0)

static int recycle_main(struct iou_fiber *self, void *arg)
{
	int *sv = arg, n, held_len;
	struct writer wr = { sv[0], 65536 };
	unsigned char *held, *other = NULL;
	struct iou_recv_stream *s;
	struct iou_fiber *w;
	size_t off;
	void *b;

	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 256, 2, &s), 0);
	FCHECK_EQ(iou_spawn(t_loop, writer_fiber, &wr, 0, &w), 0);
	/* Hold the first buffer; pointers that are not buffers are ignored. */
	FCHECK((held_len = iou_recv_stream_next(self, s, &b, 1000 * MS)) > 0);
	held = b;
	memcpy(rx, held, (size_t)held_len);
	off = (size_t)held_len;
	iou_recv_stream_release(s, held + 1);
	iou_recv_stream_release(s, NULL);
	iou_recv_stream_release(s, &n);
	while (off < 65536) {
		FCHECK((n = iou_recv_stream_next(self, s, &b, 1000 * MS)) > 0);
		FCHECK(n <= 256 && off + (size_t)n <= 65536);
		/* Only the other buffer cycles, never the held one. */
		if (!other)
			other = b;
		FCHECK(b == other && b != held);
		memcpy(rx + off, b, (size_t)n);
		off += (size_t)n;
		iou_recv_stream_release(s, b);
	}
	FCHECK_EQ(joined(self, w), 0);
	/* 64 KiB in order through one 256-byte buffer; the held one intact. */
	FCHECK(!memcmp(rx, tx, 65536));
	FCHECK(!memcmp(held, tx, (size_t)held_len));
	iou_recv_stream_release(s, held);
	FCHECK_EQ(iou_recv_stream_next(self, s, &b, 1000 * MS), 0);
	iou_recv_stream_close(self, s);
	return 0;
}

LOOP_TEST(stream_buffers_recycled, PAIR, recycle_main, NULL, 0)

static int starve_main(struct iou_fiber *self, void *arg)
{
	int *sv = arg, n, i, r;
	struct iou_recv_stream *s;
	void *held[4], *b;
	unsigned chunks = 0;
	size_t off = 0;

	FCHECK_EQ(write(sv[0], tx, 8192), 8192);
	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 512, 4, &s), 0);
	for (i = 0; i < 4; i++) {
		n = iou_recv_stream_next(self, s, &held[i], 1000 * MS);
		FCHECK(n > 0 && n <= 512);
		memcpy(rx + off, held[i], (size_t)n);
		off += (size_t)n;
	}
	FCHECK(!memcmp(rx, tx, off));
	/* Every buffer is held: nothing more can come (epoll: at once). */
	r = iou_recv_stream_next(self, s, &b, 30 * MS);
	FCHECK(r == -ETIMEDOUT || r == -ENOBUFS);
	FCHECK(b == NULL);
	for (i = 0; i < 4; i++)
		iou_recv_stream_release(s, held[i]);
	/* Released: the stream resumes where it stopped, nothing lost. */
	FCHECK_EQ(pull(self, s, 8192 - off, 512, &chunks), (long)(8192 - off));
	FCHECK(!memcmp(rx, tx + off, 8192 - off));
	iou_recv_stream_close(self, s);
	return 0;
}

LOOP_TEST(stream_starved_then_resumed, PAIR, starve_main, NULL, 0)

static int timeout_eof_main(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	struct iou_recv_stream *s;
	int64_t t0 = t_now_ns();
	unsigned chunks = 0;
	void *b;

	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 64, 8, &s), 0);
	FCHECK_EQ(iou_recv_stream_next(self, s, &b, 30 * MS), -ETIMEDOUT);
	FCHECK(b == NULL);
	FCHECK(ms_since(t0) >= 25 && ms_since(t0) < 800);
	/* Still usable after a timeout: data in two bursts, then EOF. */
	FCHECK_EQ(write(sv[0], "hello ", 6), 6);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	FCHECK_EQ(write(sv[0], "world", 5), 5);
	FCHECK_EQ(shutdown(sv[0], SHUT_WR), 0);
	/* All the data first, then 0, and 0 again. */
	FCHECK_EQ(pull(self, s, BIG, 64, &chunks), 11);
	FCHECK(!memcmp(rx, "hello world", 11));
	FCHECK_EQ(iou_recv_stream_next(self, s, &b, 1000 * MS), 0);
	iou_recv_stream_close(self, s);
	return 0;
}

LOOP_TEST(stream_timeout_then_data_then_eof, PAIR, timeout_eof_main, NULL, 0)

static int reset_main(struct iou_fiber *self, void *arg)
{
	struct linger lg = { 1, 0 };
	int *sv = arg;
	struct iou_recv_stream *s;
	unsigned chunks = 0;
	void *b;

	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 64, 8, &s), 0);
	FCHECK_EQ(write(sv[0], "ping", 4), 4);
	FCHECK_EQ(pull(self, s, 4, 64, &chunks), 4);
	FCHECK(!memcmp(rx, "ping", 4));
	/* SO_LINGER 0: the close sends a reset. */
	FCHECK_EQ(setsockopt(sv[0], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	FCHECK_EQ(close(sv[0]), 0);
	sv[0] = -1;
	FCHECK_EQ(iou_recv_stream_next(self, s, &b, 1000 * MS), -ECONNRESET);
	FCHECK(b == NULL);
	iou_recv_stream_close(self, s);
	return 0;
}

LOOP_TEST(stream_peer_reset, PAIR, reset_main, NULL, 0)

static int bad_args_main(struct iou_fiber *self, void *arg)
{
	static const unsigned bad[][2] = { { 64, 0 }, { 64, 3 },    { 64, 6 },
					   { 64, 65536 }, { 0, 8 }, { 65536, 8 } };
	int *sv = arg;
	struct iou_recv_stream *s;
	unsigned i, chunks = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = (void *)&s;
		FCHECK_EQ(iou_recv_stream_open(self, sv[1], bad[i][0], bad[i][1],
					       &s),
			  -EINVAL);
		FCHECK(s == NULL);
	}
	FCHECK_EQ(iou_recv_stream_open(self, -1, 64, 8, &s), -EINVAL);
	/* The smallest legal stream: one buffer of one byte. */
	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 1, 1, &s), 0);
	FCHECK_EQ(write(sv[0], "abc", 3), 3);
	FCHECK_EQ(pull(self, s, 3, 1, &chunks), 3);
	FCHECK(!memcmp(rx, "abc", 3) && chunks == 3);
	iou_recv_stream_close(self, s);
	return 0;
}

LOOP_TEST(stream_bad_args, PAIR, bad_args_main, NULL, 0)

static int stream_waiter(struct iou_fiber *self, void *arg)
{
	struct waiter *w = arg;
	void *b = &b;

	w->res = iou_recv_stream_next(self, w->s, &b, 0);
	return b == NULL ? 0 : -1;
}

static int stream_close_main(struct iou_fiber *self, void *arg)
{
	struct waiter w = { 0, 0, 1 };
	struct iou_fiber *f;
	int *sv = arg;
	char c = 0;

	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 64, 8, &w.s), 0);
	FCHECK_EQ(iou_spawn(t_loop, stream_waiter, &w, 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, 10 * MS), 0);
	FCHECK_EQ(w.res, 1);	/* still waiting */
	iou_recv_stream_close(self, w.s);
	FCHECK_EQ(joined(self, f), 0);
	FCHECK_EQ(w.res, -ECANCELED);
	/* The socket stays open: plain receives work. */
	FCHECK_EQ(write(sv[0], "z", 1), 1);
	FCHECK_EQ(iou_recv(self, sv[1], &c, 1, 0, 1000 * MS), 1);
	FCHECK_EQ(c, 'z');
	return 0;
}

LOOP_TEST(stream_close_wakes_waiter, PAIR, stream_close_main, NULL, 0)

/* A listener and a stream left open when the loop is stopped. */
static int open_and_stop(struct iou_fiber *self, void *arg)
{
	struct iou_recv_stream *s;
	struct iou_listener *l;
	int *fds = arg;

	if (iou_listener_open(self, fds[0], &l) ||
	    iou_recv_stream_open(self, fds[1], 64, 4, &s))
		return 1;
	iou_loop_stop(iou_fiber_loop(self));
	return 0;
}

static int stop_child(void *arg)
{
	long live = iou__alloc_live();
	int nfds = t_count_fds();
	struct iou_loop *loop;

	if (iou_loop_create(&loop, NULL) ||
	    iou_spawn(loop, open_and_stop, arg, 0, NULL))
		return 3;
	if (iou_loop_run(loop))
		return 4;
	/*
	 * Nobody closed them: destroy frees both, and closes a connection
	 * the listener accepted that no fiber took.
	 */
	iou_loop_destroy(loop);
	if (iou__alloc_live() != live)
		return 5;
	return t_count_fds() == nfds ? 0 : 6;
}

/*
 * The stop cancels their ops in flight, then the run returns (no hang);
 * destroying the loop frees them.
 */
static void test_loop_fast_stream_stop_with_fast_paths_open(void **state)
{
	int sv[2], fds[2], c;

	(void)state;
	t_tcp_pair(sv);
	fds[0] = t_listener(&lport);
	fds[1] = sv[1];
	c = t_connect_port(lport);	/* pending: for the listener's queue */
	assert_int_equal(in_child(stop_child, fds), 0);	/* 142: SIGALRM */
	close(c);
	close(fds[0]);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_fast_stream_1mib_in_order),
		T_TEST(test_loop_fast_stream_buffers_recycled),
		T_TEST(test_loop_fast_stream_starved_then_resumed),
		T_TEST(test_loop_fast_stream_timeout_then_data_then_eof),
		T_TEST(test_loop_fast_stream_peer_reset),
		T_TEST(test_loop_fast_stream_bad_args),
		T_TEST(test_loop_fast_stream_close_wakes_waiter),
		T_TEST(test_loop_fast_stream_stop_with_fast_paths_open),
	};
	size_t i;

	for (i = 0; i < BIG; i++)
		tx[i] = (unsigned char)((i * 7) ^ (i >> 8) ^ (i >> 16));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
