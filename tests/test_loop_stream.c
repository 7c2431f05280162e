/* SPDX-License-Identifier: MIT */
/*
 * The fast paths and the loop's introspection: listeners (one multishot
 * accept), receive streams (multishot recv into provided buffers), the
 * backend choice, stats and the trace hook.  Runs once per backend.
 */
#include "looputil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MS 1000000ULL

/* Listeners */

struct acc {
	struct iou_listener *l;
	int got[64], n;
};

static int puller(struct iou_fiber *self, void *arg)
{
	struct acc *a = arg;
	int fd;

	while ((fd = iou_listener_accept(self, a->l, 500 * MS)) >= 0)
		a->got[a->n++] = fd;
	return fd == -ECANCELED ? 0 : fd;
}

static int listener_many(struct iou_fiber *self, void *arg)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	struct iou_loop_stats s0, s1;
	struct acc a[3];
	struct iou_fiber *f[3];
	struct iou_listener *l;
	unsigned short port;
	int lfd, c[24], i, j, st, total = 0;
	char b;

	(void)arg;
	lfd = t_listener(&port);
	FCHECK_EQ(iou_listener_open(self, lfd, &l), 0);
	iou_loop_stats(loop, &s0);
	memset(a, 0, sizeof(a));
	for (i = 0; i < 3; i++) {
		a[i].l = l;
		FCHECK_EQ(iou_spawn(loop, puller, &a[i], 0, &f[i]), 0);
	}
	for (i = 0; i < 24; i++) {
		c[i] = t_connect_port(port);
		FCHECK(c[i] >= 0);
		b = (char)i;
		FCHECK_EQ(write(c[i], &b, 1), 1);
	}
	while (a[0].n + a[1].n + a[2].n < 24)
		FCHECK_EQ(iou_sleep(self, MS), 0);
	iou_loop_stats(loop, &s1);
	iou_listener_close(self, l);
	for (i = 0; i < 3; i++) {
		FCHECK_EQ(iou_join(self, f[i], &st), 0);
		FCHECK_EQ(st, 0);
		/* Each accepted fd is a distinct, live connection. */
		for (j = 0; j < a[i].n; j++) {
			FCHECK_EQ(iou_recv(self, a[i].got[j], &b, 1, 0, MS * 500),
				  1);
			FCHECK((unsigned char)b < 24);
			iou_close(self, a[i].got[j]);
			total++;
		}
	}
	FCHECK_EQ(total, 24);
	/* On io_uring, one multishot accept served them all. */
	if (iou_loop_backend(loop) == IOU_BACKEND_URING)
		FCHECK(s1.sqes - s0.sqes < 24);
	for (i = 0; i < 24; i++)
		close(c[i]);
	close(lfd);
	return 0;
}

static void test_stream_listener_many_clients_many_pullers(void **state)
{
	int before = t_count_fds();

	(void)state;
	t_loop_run(listener_many, NULL);
	assert_int_equal(t_count_fds(), before);
}

static int listener_timeout_close(struct iou_fiber *self, void *arg)
{
	struct iou_listener *l;
	unsigned short port;
	uint64_t t0;
	int lfd, c1, c2;

	(void)arg;
	lfd = t_listener(&port);
	FCHECK_EQ(iou_listener_open(self, lfd, &l), 0);
	t0 = iou_now(iou_fiber_loop(self));
	FCHECK_EQ(iou_listener_accept(self, l, 20 * MS), -ETIMEDOUT);
	FCHECK(iou_now(iou_fiber_loop(self)) - t0 >= 19 * MS);
	/* Connections nobody pulled are closed with the listener. */
	c1 = t_connect_port(port);
	c2 = t_connect_port(port);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	iou_listener_close(self, l);
	close(c1);
	close(c2);
	close(lfd);
	return 0;
}

static void test_stream_listener_timeout_and_unpulled_closed(void **state)
{
	int before = t_count_fds();

	(void)state;
	t_loop_run(listener_timeout_close, NULL);
	assert_int_equal(t_count_fds(), before);
}

static int listener_bad(struct iou_fiber *self, void *arg)
{
	struct iou_listener *l = (void *)1;

	(void)arg;
	FCHECK_EQ(iou_listener_open(self, -1, &l), -EBADF);
	FCHECK(l == NULL);
	iou_listener_close(self, NULL);	/* no-op */
	return 0;
}

static void test_stream_listener_bad_fd(void **state)
{
	(void)state;
	t_loop_run(listener_bad, NULL);
}

/* Receive streams */

static int stream_big(struct iou_fiber *self, void *arg)
{
	struct iou_recv_stream *rs;
	static unsigned char out[1 << 20], in[1 << 20];
	size_t got = 0, sent = 0, i;
	int sv[2], n, chunks = 0;
	void *buf;

	(void)arg;
	for (i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i * 7 + (i >> 11));
	t_tcp_pair(sv);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 4096, 16, &rs), 0);
	/* 1 MiB through 16 x 4 KiB: buffers must be recycled. */
	while (got < sizeof(out)) {
		if (sent < sizeof(out)) {
			ssize_t w = send(sv[1], out + sent, sizeof(out) - sent,
					 MSG_DONTWAIT);

			if (w > 0)
				sent += (size_t)w;
		}
		n = iou_recv_stream_next(self, rs, &buf, MS * 2000);
		FCHECK(n > 0);
		FCHECK(n <= 4096);
		memcpy(in + got, buf, (size_t)n);
		got += (size_t)n;
		chunks++;
		iou_recv_stream_release(rs, buf);
	}
	FCHECK(!memcmp(in, out, sizeof(out)));
	FCHECK(chunks >= 256);
	iou_recv_stream_close(self, rs);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_stream_recv_1mib_in_order_recycled(void **state)
{
	(void)state;
	t_loop_run(stream_big, NULL);
}

static int stream_starve(struct iou_fiber *self, void *arg)
{
	struct iou_recv_stream *rs;
	void *held[4];
	char msg[100], total[1000];
	int sv[2], i, n, got = 0;

	(void)arg;
	t_tcp_pair(sv);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 100, 4, &rs), 0);
	for (i = 0; i < 10; i++) {
		memset(msg, 'a' + i, sizeof(msg));
		FCHECK_EQ(write(sv[1], msg, sizeof(msg)), 100);
		FCHECK_EQ(iou_sleep(self, MS / 2), 0);
	}
	/* Hold every buffer: the stream starves, nothing is lost. */
	for (i = 0; i < 4; i++) {
		n = iou_recv_stream_next(self, rs, &held[i], MS * 500);
		FCHECK(n > 0);
		memcpy(total + got, held[i], (size_t)n);
		got += n;
	}
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	for (i = 0; i < 4; i++)
		iou_recv_stream_release(rs, held[i]);
	while (got < 1000) {
		n = iou_recv_stream_next(self, rs, &held[0], MS * 500);
		FCHECK(n > 0);
		memcpy(total + got, held[0], (size_t)n);
		got += n;
		iou_recv_stream_release(rs, held[0]);
	}
	for (i = 0; i < 1000; i++)
		FCHECK_EQ(total[i], 'a' + i / 100);
	iou_recv_stream_close(self, rs);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_stream_recv_starved_then_resumed(void **state)
{
	(void)state;
	t_loop_run(stream_starve, NULL);
}

static int stream_eof_err(struct iou_fiber *self, void *arg)
{
	struct iou_recv_stream *rs;
	struct linger lg = { 1, 0 };
	int sv[2], n;
	void *buf;

	(void)arg;
	/* Data, then EOF. */
	t_tcp_pair(sv);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 64, 2, &rs), 0);
	FCHECK_EQ(write(sv[1], "last", 4), 4);
	shutdown(sv[1], SHUT_WR);
	n = iou_recv_stream_next(self, rs, &buf, MS * 500);
	FCHECK_EQ(n, 4);
	FCHECK(!memcmp(buf, "last", 4));
	iou_recv_stream_release(rs, buf);
	FCHECK_EQ(iou_recv_stream_next(self, rs, &buf, MS * 500), 0);
	FCHECK_EQ(iou_recv_stream_next(self, rs, &buf, MS * 500), 0);
	iou_recv_stream_close(self, rs);
	close(sv[0]);
	close(sv[1]);

	/* A reset: a negative errno. */
	t_tcp_pair(sv);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 64, 2, &rs), 0);
	setsockopt(sv[1], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(sv[1]);
	n = iou_recv_stream_next(self, rs, &buf, MS * 500);
	FCHECK(n == -ECONNRESET || n == 0);
	iou_recv_stream_close(self, rs);
	close(sv[0]);
	return 0;
}

static void test_stream_recv_eof_and_reset(void **state)
{
	(void)state;
	t_loop_run(stream_eof_err, NULL);
}

static int stream_args(struct iou_fiber *self, void *arg)
{
	struct iou_recv_stream *rs = (void *)1;
	int sv[2];
	void *buf;

	(void)arg;
	t_tcp_pair(sv);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 64, 3, &rs), -EINVAL);
	FCHECK(rs == NULL);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 64, 0, &rs), -EINVAL);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 0, 4, &rs), -EINVAL);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 64, 65536, &rs), -EINVAL);
	FCHECK_EQ(iou_recv_stream_open(self, -1, 64, 4, &rs), -EINVAL);
	/* A timeout, and foreign pointers given back are ignored. */
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 64, 4, &rs), 0);
	FCHECK_EQ(iou_recv_stream_next(self, rs, &buf, 10 * MS), -ETIMEDOUT);
	FCHECK(buf == NULL);
	iou_recv_stream_release(rs, &buf);
	iou_recv_stream_release(rs, NULL);
	FCHECK_EQ(write(sv[1], "x", 1), 1);
	FCHECK_EQ(iou_recv_stream_next(self, rs, &buf, MS * 500), 1);
	iou_recv_stream_release(rs, buf);
	iou_recv_stream_close(self, rs);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_stream_recv_bad_args_and_timeout(void **state)
{
	(void)state;
	t_loop_run(stream_args, NULL);
}

struct sw {
	struct iou_recv_stream *rs;
	int res;
};

static int stream_waiter(struct iou_fiber *self, void *arg)
{
	struct sw *w = arg;
	void *buf;

	w->res = iou_recv_stream_next(self, w->rs, &buf, 0);
	return 0;
}

static int stream_close_waiting(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;
	struct sw w = { 0, 1 };
	int sv[2];

	(void)arg;
	t_tcp_pair(sv);
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 64, 4, &w.rs), 0);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), stream_waiter, &w, 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, 2 * MS), 0);
	FCHECK_EQ(w.res, 1);
	iou_recv_stream_close(self, w.rs);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	FCHECK_EQ(w.res, -ECANCELED);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_stream_recv_close_wakes_waiter(void **state)
{
	(void)state;
	t_loop_run(stream_close_waiting, NULL);
}

/* Backend, stats, trace */

static void test_stream_backend_as_asked(void **state)
{
	struct iou_loop_opts o = { .backend = IOU_BACKEND_EPOLL };
	struct iou_loop *loop;

	(void)state;
	assert_int_equal(iou_loop_create(&loop, &o), 0);
	assert_int_equal(iou_loop_backend(loop), IOU_BACKEND_EPOLL);
	iou_loop_destroy(loop);
	o.backend = 7;
	assert_int_equal(iou_loop_create(&loop, &o), -EINVAL);
	assert_int_equal(iou_loop_create(NULL, NULL), -EINVAL);
	if (t_backend() != IOU_BACKEND_URING)
		return;
	o.backend = IOU_BACKEND_URING;
	assert_int_equal(iou_loop_create(&loop, &o), 0);
	assert_int_equal(iou_loop_backend(loop), IOU_BACKEND_URING);
	iou_loop_destroy(loop);
}

static int stats_work(struct iou_fiber *self, void *arg)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	struct iou_loop_stats a, b;
	int p[2], i;
	char c;

	(void)arg;
	FCHECK_EQ(pipe(p), 0);
	iou_loop_stats(loop, &a);
	for (i = 0; i < 100; i++) {
		FCHECK_EQ(iou_write(self, p[1], "s", 1, IOU_POS, 0), 1);
		FCHECK_EQ(iou_read(self, p[0], &c, 1, IOU_POS, 0), 1);
	}
	FCHECK_EQ(iou_read(self, p[0], &c, 1, IOU_POS, MS), -ETIMEDOUT);
	iou_loop_stats(loop, &b);
	if (iou_loop_backend(loop) == IOU_BACKEND_URING) {
		/* 200 ops, plus the timed read and its timeout. */
		FCHECK(b.sqes - a.sqes >= 202);
		FCHECK(b.cqes - a.cqes >= 201);
		FCHECK(b.enters > a.enters);
		/* Batched: far fewer enters than ops. */
		FCHECK(b.enters - a.enters <= 202);
	}
	FCHECK_EQ(b.stale_cqes, 0);
	FCHECK_EQ(b.fibers, 1);
	close(p[0]);
	close(p[1]);
	return 0;
}

static void test_stream_stats_count_the_work(void **state)
{
	(void)state;
	t_loop_run(stats_work, NULL);
}

struct trace_log {
	unsigned sqe_ops[512], nsqe, ncqe;
	uint64_t sqe_ud[512], cqe_ud[512];
	int cqe_res[512];
};

static void trace_hook(void *arg, const struct iou_trace_event *ev)
{
	struct trace_log *t = arg;

	if (ev->kind == IOU_TRACE_SQE && t->nsqe < 512) {
		t->sqe_ops[t->nsqe] = ev->opcode;
		t->sqe_ud[t->nsqe++] = ev->user_data;
	} else if (ev->kind == IOU_TRACE_CQE && t->ncqe < 512) {
		t->cqe_res[t->ncqe] = ev->res;
		t->cqe_ud[t->ncqe++] = ev->user_data;
	}
}

static int traced(struct iou_fiber *self, void *arg)
{
	int p[2];

	(void)arg;
	FCHECK_EQ(pipe(p), 0);
	FCHECK_EQ(iou_write(self, p[1], "trace", 5, IOU_POS, 0), 5);
	close(p[0]);
	close(p[1]);
	return 0;
}

static void test_stream_trace_hook_sees_sqe_and_cqe(void **state)
{
	struct trace_log *t = calloc(1, sizeof(*t));
	struct iou_loop_opts o = { .trace = trace_hook };
	unsigned i, j;
	int found = 0;

	(void)state;
	o.trace_arg = t;
	t_loop_run_opts(traced, NULL, &o);
	if (t_backend() == IOU_BACKEND_URING) {
		/* The write's SQE, and a CQE with the same user_data and 5. */
		for (i = 0; i < t->nsqe; i++) {
			if (t->sqe_ops[i] != IORING_OP_WRITE)
				continue;
			for (j = 0; j < t->ncqe; j++)
				if (t->cqe_ud[j] == t->sqe_ud[i] &&
				    t->cqe_res[j] == 5)
					found = 1;
		}
		assert_true(found);
	} else {
		/* The epoll backend writes a pipe directly: no events needed,
		   but any it reports must pair up. */
		assert_true(t->ncqe <= t->nsqe);
	}
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_stream_listener_many_clients_many_pullers),
		T_TEST(test_stream_listener_timeout_and_unpulled_closed),
		T_TEST(test_stream_listener_bad_fd),
		T_TEST(test_stream_recv_1mib_in_order_recycled),
		T_TEST(test_stream_recv_starved_then_resumed),
		T_TEST(test_stream_recv_eof_and_reset),
		T_TEST(test_stream_recv_bad_args_and_timeout),
		T_TEST(test_stream_recv_close_wakes_waiter),
		T_TEST(test_stream_backend_as_asked),
		T_TEST(test_stream_stats_count_the_work),
		T_TEST(test_stream_trace_hook_sees_sqe_and_cqe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
