/* SPDX-License-Identifier: MIT */
/*
 * The loop's fast paths and introspection, on real loopback sockets:
 * listeners (one multishot accept feeding a queue), receive streams
 * (multishot recv into a provided-buffer ring), the backend choice, the
 * counters and the trace hook.  Runs once per backend (IOU_BACKEND).
 */
#include "looputil.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MS 1000000ULL
#define NCLI 32
#define BIG (1 << 20)
#define IS_URING() (iou_loop_backend(t_loop) == IOU_BACKEND_URING)

static unsigned char tx[BIG], rx[BIG];
static unsigned short lport;

static struct iou_loop_stats now_stats(void)
{
	struct iou_loop_stats s;

	iou_loop_stats(t_loop, &s);
	return s;
}

static int64_t ms_since(int64_t t0)
{
	return (t_now_ns() - t0) / 1000000;
}

/* A fiber's exit status after joining it (-999: the join failed). */
static int joined(struct iou_fiber *self, struct iou_fiber *f)
{
	int st = -999;

	return iou_join(self, f, &st) ? -999 : st;
}

/* connect(2) to the test listener without cmocka (fine in a fiber). */
static int plain_connect(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(lport);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The local (or peer) port of a loopback socket, -1 if not loopback. */
static int port_of(int fd, int peer)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int ret = peer ? getpeername(fd, (struct sockaddr *)&a, &len) :
			 getsockname(fd, (struct sockaddr *)&a, &len);

	if (ret || a.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
		return -1;
	return ntohs(a.sin_port);
}

/* The trace hook records every event, in order. */
static struct iou_trace_event tev[8192];
static unsigned ntev, bad_trace_arg;
static int trace_cookie;

static void record(void *arg, const struct iou_trace_event *ev)
{
	if (arg != &trace_cookie)
		bad_trace_arg++;
	if (ntev < sizeof(tev) / sizeof(tev[0]))
		tev[ntev] = *ev;
	ntev++;
}

static const struct iou_loop_opts traced = { .trace = record,
					     .trace_arg = &trace_cookie };

/*
 * Run @fn in a loop with @with: LISTENER (arg: int *, a listening fd on
 * lport), PAIR (arg: int sv[2], sv[0] the peer, sv[1] ours) or nothing.
 */
enum { PLAIN, LISTENER, PAIR };

static void run(iou_fiber_fn fn, const struct iou_loop_opts *o, int with)
{
	int fds[2] = { -1, -1 };

	if (with == LISTENER)
		fds[0] = t_listener(&lport);
	else if (with == PAIR)
		t_tcp_pair(fds);
	ntev = 0;
	assert_int_equal(t_loop_run_opts(fn, fds, o), 0);
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

#define LOOP_TEST(name, with, fn, opts, uring_only)                            \
	static void test_loop_fast_##name(void **state)                        \
	{                                                                      \
		(void)state;                                                   \
		if (uring_only)                                                \
			T_NEED_URING();                                        \
		run(fn, opts, with);                                           \
	}

/* Listeners */

static int cport[NCLI];	/* client i's local port */

static int iou_client(struct iou_fiber *self, void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	uint32_t v = (uint32_t)(intptr_t)arg;
	int fd = iou_socket(self, AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(lport);
	FCHECK(fd >= 0);
	FCHECK_EQ(iou_connect(self, fd, (struct sockaddr *)&a, sizeof(a), 0), 0);
	FCHECK((cport[v] = port_of(fd, 0)) > 0);
	FCHECK_EQ(iou_send(self, fd, &v, 4, 0, 0), 4);
	FCHECK_EQ(iou_recv(self, fd, &v, 4, 0, 2000 * MS), 0);	/* EOF */
	return iou_close(self, fd);
}

/* Four fibers pull from one listener; each connection is served once. */
static struct iou_listener *pull_l;
static struct iou_waitgroup pull_wg;
static int pull_closed, pulled[4];
static unsigned char seen[NCLI];

static int pull_fiber(struct iou_fiber *self, void *arg)
{
	int fd = 0;
	uint32_t v;

	while (!pull_closed && (fd = iou_listener_accept(self, pull_l, 0)) >= 0) {
		FCHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
		FCHECK_EQ(iou_recv(self, fd, &v, 4, MSG_WAITALL, 2000 * MS), 4);
		FCHECK(v < NCLI && !seen[v]);	/* distinct */
		seen[v] = 1;
		FCHECK_EQ(port_of(fd, 1), cport[v]);
		FCHECK_EQ(iou_close(self, fd), 0);
		pulled[(intptr_t)arg]++;
		iou_waitgroup_done(&pull_wg);
		iou_sleep(self, MS);	/* the other pullers' turn */
	}
	return fd < 0 && fd != -ECANCELED ? fd : 0;
}

/*
 * Half the clients are fibers using iou_connect, half plain connect(2);
 * each sends its index.  Every one is accepted once, close-on-exec, with
 * its client as the peer address, and every puller gets a share.
 */
static int clients_main(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f[NCLI / 2], *p[4];
	int c[NCLI / 2], i;
	uint32_t v;

	FCHECK_EQ(iou_listener_open(self, *(int *)arg, &pull_l), 0);
	iou_waitgroup_init(&pull_wg);
	iou_waitgroup_add(&pull_wg, NCLI);
	memset(seen, 0, sizeof(seen));
	memset(pulled, 0, sizeof(pulled));
	pull_closed = 0;
	for (i = 0; i < 4; i++)
		FCHECK_EQ(iou_spawn(t_loop, pull_fiber, (void *)(intptr_t)i, 0,
				    &p[i]),
			  0);
	for (i = 0; i < NCLI / 2; i++) {
		FCHECK_EQ(iou_spawn(t_loop, iou_client, (void *)(intptr_t)i, 0,
				    &f[i]),
			  0);
		FCHECK((c[i] = plain_connect()) >= 0);
		cport[NCLI / 2 + i] = port_of(c[i], 0);
		v = (uint32_t)(NCLI / 2 + i);
		FCHECK_EQ(write(c[i], &v, 4), 4);
	}
	FCHECK_EQ(iou_waitgroup_wait(self, &pull_wg), 0);
	pull_closed = 1;
	iou_listener_close(self, pull_l);
	for (i = 0; i < 4; i++) {
		FCHECK_EQ(joined(self, p[i]), 0);
		FCHECK(pulled[i] >= 1);
	}
	for (i = 0; i < NCLI / 2; i++) {
		FCHECK_EQ(joined(self, f[i]), 0);
		FCHECK_EQ(read(c[i], &v, 4), 0);	/* served, closed */
		close(c[i]);
	}
	for (i = 0; i < NCLI; i++)
		FCHECK(seen[i]);
	return 0;
}

LOOP_TEST(listener_pullers_serve_every_client, LISTENER, clients_main, NULL,
	  0)

static int timeout_main(struct iou_fiber *self, void *arg)
{
	struct iou_listener *l;
	int64_t t0 = t_now_ns();
	int c, fd;

	FCHECK_EQ(iou_listener_open(self, *(int *)arg, &l), 0);
	FCHECK_EQ(iou_listener_accept(self, l, 30 * MS), -ETIMEDOUT);
	FCHECK(ms_since(t0) >= 25 && ms_since(t0) < 800);
	/* Still usable after a timeout. */
	FCHECK((c = plain_connect()) >= 0);
	FCHECK((fd = iou_listener_accept(self, l, 1000 * MS)) >= 0);
	FCHECK_EQ(port_of(fd, 1), port_of(c, 0));
	close(fd);
	close(c);
	iou_listener_close(self, l);
	return 0;
}

LOOP_TEST(listener_accept_timeout, LISTENER, timeout_main, NULL, 0)

struct waiter {
	struct iou_listener *l;
	struct iou_recv_stream *s;
	int res;
};

static int accept_waiter(struct iou_fiber *self, void *arg)
{
	struct waiter *w = arg;

	w->res = iou_listener_accept(self, w->l, 0);
	return 0;
}

static int listener_close_main(struct iou_fiber *self, void *arg)
{
	struct waiter w[2] = { { 0, 0, 1 }, { 0, 0, 1 } };
	struct iou_loop_stats s0;
	struct iou_fiber *f[2];
	struct iou_listener *l;
	int lfd = *(int *)arg, c[8], i, fd;
	char b;

	/* Two fibers wait: the close wakes both with -ECANCELED. */
	FCHECK_EQ(iou_listener_open(self, lfd, &w[0].l), 0);
	w[1].l = w[0].l;
	for (i = 0; i < 2; i++)
		FCHECK_EQ(iou_spawn(t_loop, accept_waiter, &w[i], 0, &f[i]), 0);
	FCHECK_EQ(iou_sleep(self, 10 * MS), 0);
	FCHECK_EQ(w[0].res + w[1].res, 2);	/* still waiting */
	iou_listener_close(self, w[0].l);
	for (i = 0; i < 2; i++) {
		FCHECK_EQ(joined(self, f[i]), 0);
		FCHECK_EQ(w[i].res, -ECANCELED);
	}
	/* Eight connections come in, nobody pulls them, then the close. */
	s0 = now_stats();
	FCHECK_EQ(iou_listener_open(self, lfd, &l), 0);
	for (i = 0; i < 8; i++)
		FCHECK((c[i] = plain_connect()) >= 0);
	for (i = 0; IS_URING() && i < 500 && now_stats().cqes < s0.cqes + 8;
	     i++)
		iou_sleep(self, MS);	/* until all eight are queued */
	iou_listener_close(self, l);
	for (i = 0; i < 8; i++) {
		if (IS_URING()) {
			/* Accepted, never pulled: closed, the client sees EOF. */
			FCHECK_EQ(iou_recv(self, c[i], &b, 1, 0, 1000 * MS), 0);
		} else {
			/* Never accepted: the backlog is intact. */
			fd = iou_accept(self, lfd, NULL, NULL, 0, 1000 * MS);
			FCHECK(fd >= 0);
			close(fd);
		}
		close(c[i]);
	}
	return 0;
}

/* No fd leaks: what the listener queued was closed with it. */
static void test_loop_fast_listener_close_wakes_and_frees(void **state)
{
	int fds = t_count_fds();

	(void)state;
	run(listener_close_main, NULL, LISTENER);
	assert_int_equal(t_count_fds(), fds);
}

/* The @nth event of @kind from @from, with @ud (any: ~0), or -1. */
static int find_ev(unsigned from, unsigned kind, uint64_t ud, unsigned nth)
{
	unsigned i;

	for (i = from; i < ntev; i++)
		if (tev[i].kind == kind &&
		    (ud == ~0ULL || tev[i].user_data == ud) && !nth--)
			return (int)i;
	return -1;
}

/* How many events of @kind from @from, with @opcode (any: ~0U). */
static unsigned count_ev(unsigned from, unsigned kind, unsigned opcode)
{
	unsigned i, n = 0;

	for (i = from; i < ntev; i++)
		n += tev[i].kind == kind &&
		     (opcode == ~0U || tev[i].opcode == opcode);
	return n;
}

static int multishot_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats s0 = now_stats(), s1;
	struct iou_listener *l;
	unsigned t0 = ntev, i, more = 0;
	int c[64], k, fd, q;

	FCHECK_EQ(iou_listener_open(self, *(int *)arg, &l), 0);
	for (k = 0; k < 64; k++)
		FCHECK((c[k] = plain_connect()) >= 0);
	for (k = 0; k < 64; k++) {
		FCHECK((fd = iou_listener_accept(self, l, 2000 * MS)) >= 0);
		close(fd);
	}
	s1 = now_stats();
	/* 64 clients, not 64 SQEs: the waits' timers are the rest. */
	FCHECK(s1.sqes - s0.sqes >= 1 && s1.sqes - s0.sqes <= 16);
	FCHECK(s1.cqes - s0.cqes >= 64);
	/* One ACCEPT SQE; its user_data comes back with F_MORE 64 times. */
	FCHECK_EQ(count_ev(t0, IOU_TRACE_SQE, IORING_OP_ACCEPT), 1);
	q = find_ev(t0, IOU_TRACE_SQE, ~0ULL, 0);
	FCHECK(q >= 0 && tev[q].opcode == IORING_OP_ACCEPT);
	for (i = t0; i < ntev; i++)
		more += tev[i].kind == IOU_TRACE_CQE &&
			tev[i].user_data == tev[q].user_data &&
			tev[i].res >= 0 && (tev[i].flags & IORING_CQE_F_MORE);
	FCHECK_EQ(more, 64);
	iou_listener_close(self, l);
	for (k = 0; k < 64; k++)
		close(c[k]);
	return 0;
}

LOOP_TEST(listener_one_multishot_many_clients, LISTENER, multishot_main,
	  &traced, 1)

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

/* fn(arg) in a child, a 1 s alarm against a hang: exit code, or 128 + sig. */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		alarm(1);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

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
	struct iou_loop *loop;

	if (iou_loop_create(&loop, NULL) ||
	    iou_spawn(loop, open_and_stop, arg, 0, NULL))
		return 3;
	return iou_loop_run(loop) ? 4 : 0;
}

/* The stop cancels their ops in flight, then the run returns (no hang). */
static void test_loop_fast_stop_with_fast_paths_open(void **state)
{
	int sv[2], fds[2];

	(void)state;
	t_tcp_pair(sv);
	fds[0] = t_listener(&lport);
	fds[1] = sv[1];
	assert_int_equal(in_child(stop_child, fds), 0);	/* 142: SIGALRM */
	close(fds[0]);
	close(sv[0]);
	close(sv[1]);
}

/* Backend choice */

static int try_backend(unsigned backend, unsigned flags)
{
	struct iou_loop_opts o = { .backend = backend, .flags = flags };
	struct iou_loop *loop;
	int ret = iou_loop_create(&loop, &o);

	if (ret)
		return ret;
	ret = iou_loop_backend(loop);
	iou_loop_destroy(loop);
	return ret;
}

/* This program again under IOU_BACKEND=@env: 10 + what AUTO chose. */
static int exec_child(void *env)
{
	setenv("IOU_BACKEND", env, 1);
	execl("/proc/self/exe", "test_loop_fast", "--which-backend",
	      (char *)NULL);
	return 127;
}

static void test_loop_fast_backend_as_asked(void **state)
{
	int up = iou_available() == 0;
	int uring = up ? IOU_BACKEND_URING : iou_available();
	int ret;

	(void)state;
	assert_int_equal(try_backend(IOU_BACKEND_EPOLL, 0), IOU_BACKEND_EPOLL);
	assert_int_equal(try_backend(IOU_BACKEND_URING, 0), uring);
	assert_int_equal(try_backend(IOU_BACKEND_AUTO, 0), t_backend());
	assert_int_equal(try_backend(3, 0), -EINVAL);
	/* Without the environment: io_uring, else epoll unless forbidden. */
	assert_int_equal(try_backend(0, IOU_LOOP_NO_ENV),
			 up ? IOU_BACKEND_URING : IOU_BACKEND_EPOLL);
	assert_int_equal(try_backend(0, IOU_LOOP_NO_ENV | IOU_LOOP_NO_FALLBACK),
			 uring);
	/* IOU_BACKEND decides an AUTO loop; a forced uring does not fall back. */
	ret = in_child(exec_child, "epoll");
	if (ret == 127 && iou_available() == -ENOSYS)
		t_skip("no exec of /proc/self/exe under qemu-user");
	assert_int_equal(ret, 10 + IOU_BACKEND_EPOLL);
	assert_int_equal(in_child(exec_child, "uring"),
			 up ? 10 + IOU_BACKEND_URING : 100);
	assert_int_equal(in_child(exec_child, "nonsense"),
			 10 + (up ? IOU_BACKEND_URING : IOU_BACKEND_EPOLL));
}

/* A field of this process's io_uring fdinfo ("SqMask:\t0x3f"), -1: none. */
static long long ring_info(const char *key)
{
	char path[300], line[256];
	DIR *d = opendir("/proc/self/fdinfo");
	size_t k = strlen(key);
	long long v = -1;
	struct dirent *e;
	FILE *f;

	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%s", e->d_name);
		if (e->d_name[0] == '.' || !(f = fopen(path, "r")))
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, key, k) && line[k] == ':')
				v = strtoll(line + k + 1, NULL, 0);
		fclose(f);
	}
	if (d)
		closedir(d);
	return v;
}

static int ring_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats s;
	int i;

	(void)arg;
	FCHECK_EQ(iou_loop_backend(t_loop), IOU_BACKEND_URING);
	/* entries = 64: an SQ of 64 and a CQ four times that (CQSIZE). */
	FCHECK_EQ(ring_info("SqMask"), 63);
	FCHECK_EQ(ring_info("CqMask"), 255);
	for (i = 0; i < 10; i++)
		FCHECK_EQ(iou_sleep(self, 10000), 0);
	s = now_stats();
	FCHECK(s.sqes >= 10 && s.cqes >= 10 && s.enters >= 10);
	/* The kernel consumed every SQE counted; we reaped every CQE counted,
	   plus, where MSG_RING wakes work, the probe's own CQE at init. */
	FCHECK_EQ(ring_info("SqHead"), s.sqes);
	FCHECK(ring_info("CqHead") - (long long)s.cqes >= 0);
	FCHECK(ring_info("CqHead") - (long long)s.cqes <= 1);
	return 0;
}

static void test_loop_fast_uring_ring_as_configured(void **state)
{
	static const struct iou_loop_opts o = { .entries = 64 };

	(void)state;
	T_NEED_URING();
	assert_int_equal(ring_info("SqMask"), -1);
	run(ring_main, &o, PLAIN);
	assert_int_equal(ring_info("SqMask"), -1);	/* closed with the loop */
}

/*
 * Counters.  A first sleep reaps what the setup may have left behind (a
 * wake-up CQE from probing IORING_REGISTER_SEND_MSG_RING).
 */

static int sleeper(struct iou_fiber *self, void *arg)
{
	FCHECK_EQ(iou_sleep(self, MS), 0);
	iou_waitgroup_done(arg);
	return 0;
}

static int sleep_stats_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats a, b, c;
	struct iou_waitgroup wg;
	int i;

	(void)arg;
	FCHECK_EQ(iou_sleep(self, 1000), 0);
	a = now_stats();
	for (i = 0; i < 100; i++)
		FCHECK_EQ(iou_sleep(self, 20000), 0);
	b = now_stats();
	/* Alone, a sleep is a switch out and back, an SQE, a CQE, a wait. */
	FCHECK(b.switches - a.switches >= 200);
	FCHECK_EQ(b.sqes - a.sqes, 100);
	FCHECK_EQ(b.cqes - a.cqes, 100);
	FCHECK(b.enters - a.enters >= 100);
	FCHECK_EQ(b.fibers - a.fibers + b.cancels - a.cancels, 0);
	/* 100 fibers sleeping at once: far fewer waits than sleeps. */
	iou_waitgroup_init(&wg);
	iou_waitgroup_add(&wg, 100);
	for (i = 0; i < 100; i++)
		FCHECK_EQ(iou_spawn(t_loop, sleeper, &wg, 0, NULL), 0);
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	c = now_stats();
	FCHECK_EQ(c.fibers - b.fibers, 100);
	FCHECK(c.switches - b.switches >= 200);
	FCHECK_EQ(c.sqes - b.sqes, 100);
	FCHECK_EQ(c.cqes - b.cqes, 100);
	FCHECK(c.enters - b.enters < 50);
	/* Nothing here overflows or goes stale (epoll: these stay 0). */
	FCHECK_EQ(c.stale_cqes, 0);
	FCHECK_EQ(c.overflows, 0);
	return 0;
}

LOOP_TEST(stats_sleeps_and_switches, PLAIN, sleep_stats_main, NULL, 0)

/* Every SQE the loop counts gets its CQE: a zero sleep too. */
static int zero_sleep_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats a, b;

	(void)arg;
	FCHECK_EQ(iou_sleep(self, 1000), 0);
	a = now_stats();
	FCHECK_EQ(iou_sleep(self, 0), 0);
	b = now_stats();
	FCHECK_EQ(b.sqes - a.sqes, 1);
	FCHECK_EQ(b.cqes - a.cqes, 1);
	return 0;
}

LOOP_TEST(stats_zero_sleep_has_sqe_and_cqe, PLAIN, zero_sleep_main, NULL, 0)

static int recv_waiter(struct iou_fiber *self, void *arg)
{
	char c;

	return iou_recv(self, *(int *)arg, &c, 1, 0, 0);
}

static int cancel_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats a = now_stats(), b;
	struct iou_recv_stream *s;
	struct iou_fiber *f;
	int *sv = arg;
	char c;

	FCHECK_EQ(iou_spawn(t_loop, recv_waiter, &sv[1], 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(joined(self, f), -ECANCELED);
	FCHECK_EQ(now_stats().cancels - a.cancels, 1);
	/* A timeout is not a cancel request. */
	FCHECK_EQ(iou_recv(self, sv[1], &c, 1, 0, 10 * MS), -ETIMEDOUT);
	FCHECK_EQ(now_stats().cancels - a.cancels, 1);
	/* Closing a stream cancels its multishot recv (io_uring only). */
	FCHECK_EQ(iou_recv_stream_open(self, sv[1], 64, 4, &s), 0);
	iou_recv_stream_close(self, s);
	b = now_stats();
	FCHECK_EQ(b.cancels - a.cancels, IS_URING() ? 2 : 1);
	FCHECK_EQ(b.stale_cqes + b.overflows, 0);
	return 0;
}

LOOP_TEST(stats_cancels, PAIR, cancel_main, NULL, 0)

/* The trace hook */

static int trace_pair_main(struct iou_fiber *self, void *arg)
{
	unsigned t0 = ntev;
	int *sv = arg, q, c;
	char ch;

	FCHECK_EQ(iou_sleep(self, MS), 0);
	/* One SQE, then one CQE with its user_data and the sleep's -ETIME. */
	FCHECK_EQ(count_ev(t0, IOU_TRACE_SQE, ~0U), 1);
	FCHECK((q = find_ev(t0, IOU_TRACE_SQE, ~0ULL, 0)) >= 0);
	FCHECK((c = find_ev(t0, IOU_TRACE_CQE, tev[q].user_data, 0)) > q);
	FCHECK_EQ(tev[q].res, 0);
	FCHECK_EQ(tev[c].res, -ETIME);
	FCHECK_EQ(find_ev((unsigned)c + 1, IOU_TRACE_CQE, tev[q].user_data, 0),
		  -1);
	FCHECK_EQ(bad_trace_arg, 0);	/* trace_arg as given */
	if (!IS_URING())
		return 0;
	/* io_uring: a timeout is a LINK_TIMEOUT SQE linked after the op. */
	t0 = ntev;
	FCHECK_EQ(iou_recv(self, sv[1], &ch, 1, 0, 10 * MS), -ETIMEDOUT);
	FCHECK_EQ(count_ev(t0, IOU_TRACE_SQE, ~0U), 2);
	q = find_ev(t0, IOU_TRACE_SQE, ~0ULL, 0);
	FCHECK_EQ(tev[q].opcode, IORING_OP_RECV);
	FCHECK(tev[q].flags & IOSQE_IO_LINK);
	FCHECK_EQ(tev[q + 1].opcode, IORING_OP_LINK_TIMEOUT);
	FCHECK(tev[q + 1].user_data != tev[q].user_data);
	FCHECK((c = find_ev(t0, IOU_TRACE_CQE, tev[q].user_data, 0)) > q);
	FCHECK_EQ(tev[c].res, -ECANCELED);
	FCHECK((c = find_ev(t0, IOU_TRACE_CQE, tev[q + 1].user_data, 0)) > q);
	FCHECK_EQ(tev[c].res, -ETIME);
	return 0;
}

LOOP_TEST(trace_sqe_then_cqe, PAIR, trace_pair_main, &traced, 0)

/* A sleep, a send, a receive of data already there. */
static int trace_work(struct iou_fiber *self, int *sv)
{
	char ch[2];

	FCHECK_EQ(iou_sleep(self, MS), 0);
	FCHECK_EQ(iou_send(self, sv[0], "xy", 2, 0, 0), 2);
	FCHECK_EQ(iou_recv(self, sv[1], ch, 2, MSG_WAITALL, 0), 2);
	return 0;
}

/* The opcode is the op's IORING_OP_* (on epoll: the one emulated). */
static int trace_op_main(struct iou_fiber *self, void *arg)
{
	static const unsigned want[3] = { IORING_OP_TIMEOUT, IORING_OP_SEND,
					  IORING_OP_RECV };
	unsigned t0 = ntev, i;

	FCHECK_EQ(trace_work(self, arg), 0);
	FCHECK_EQ(count_ev(t0, IOU_TRACE_SQE, ~0U), 3);
	for (i = 0; i < 3; i++)
		FCHECK_EQ(tev[find_ev(t0, IOU_TRACE_SQE, ~0ULL, i)].opcode,
			  want[i]);
	return 0;
}

LOOP_TEST(trace_opcodes, PAIR, trace_op_main, &traced, 0)

/* One call per SQE submitted and per CQE reaped, as the counters say. */
static int trace_stats_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats a = now_stats(), b;
	unsigned t0 = ntev;

	FCHECK_EQ(trace_work(self, arg), 0);
	b = now_stats();
	FCHECK_EQ(count_ev(t0, IOU_TRACE_SQE, ~0U), b.sqes - a.sqes);
	FCHECK_EQ(count_ev(t0, IOU_TRACE_CQE, ~0U), b.cqes - a.cqes);
	return 0;
}

LOOP_TEST(trace_matches_counters, PAIR, trace_stats_main, &traced, 0)

static int stopper_main(struct iou_fiber *self, void *arg)
{
	FCHECK_EQ(iou_spawn(t_loop, recv_waiter, &((int *)arg)[1], 0, NULL),
		  0);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	iou_loop_stop(t_loop);
	return 7;
}

/* What the stop cancels is traced while the loop runs, never after. */
static void test_loop_fast_trace_none_after_destroy(void **state)
{
	unsigned n;
	int sv[2];

	(void)state;
	t_tcp_pair(sv);
	ntev = 0;
	assert_int_equal(iou_loop_create(&t_loop, &traced), 0);
	assert_int_equal(iou_spawn(t_loop, stopper_main, sv, 0, NULL), 0);
	assert_int_equal(iou_loop_run(t_loop), 0);
	n = ntev;
	assert_true(n >= 4);	/* the sleep's SQE and CQE, the recv's */
	iou_loop_destroy(t_loop);
	t_loop = NULL;
	assert_int_equal(ntev, n);
	/* The hook belongs to its loop: another one never calls it. */
	assert_int_equal(t_loop_run(stopper_main, sv), 7);
	assert_int_equal(ntev, n);
	close(sv[0]);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_fast_listener_pullers_serve_every_client),
		T_TEST(test_loop_fast_listener_accept_timeout),
		T_TEST(test_loop_fast_listener_close_wakes_and_frees),
		T_TEST(test_loop_fast_listener_one_multishot_many_clients),
		T_TEST(test_loop_fast_stream_1mib_in_order),
		T_TEST(test_loop_fast_stream_buffers_recycled),
		T_TEST(test_loop_fast_stream_starved_then_resumed),
		T_TEST(test_loop_fast_stream_timeout_then_data_then_eof),
		T_TEST(test_loop_fast_stream_peer_reset),
		T_TEST(test_loop_fast_stream_bad_args),
		T_TEST(test_loop_fast_stream_close_wakes_waiter),
		T_TEST(test_loop_fast_stop_with_fast_paths_open),
		T_TEST(test_loop_fast_backend_as_asked),
		T_TEST(test_loop_fast_uring_ring_as_configured),
		T_TEST(test_loop_fast_stats_sleeps_and_switches),
		T_TEST(test_loop_fast_stats_zero_sleep_has_sqe_and_cqe),
		T_TEST(test_loop_fast_stats_cancels),
		T_TEST(test_loop_fast_trace_sqe_then_cqe),
		T_TEST(test_loop_fast_trace_opcodes),
		T_TEST(test_loop_fast_trace_matches_counters),
		T_TEST(test_loop_fast_trace_none_after_destroy),
	};
	size_t i;
	int b;

	if (argc > 1 && !strcmp(argv[1], "--which-backend")) {
		b = try_backend(IOU_BACKEND_AUTO, 0);
		return b > 0 ? 10 + b : 100;
	}
	for (i = 0; i < BIG; i++)
		tx[i] = (unsigned char)((i * 7) ^ (i >> 8) ^ (i >> 16));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
