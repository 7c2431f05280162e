/* SPDX-License-Identifier: MIT */
/*
 * The loop's introspection: the backend choice, the ring as configured,
 * the counters and the trace hook.  The method and the shared plumbing:
 * loop_fast.h.
 */
#include "loop_fast.h"

#include <unistd.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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
	execl(t_self_exe(), "test_loop_fast_introspect", "--which-backend",
	      (char *)NULL);
	return 127;
}

static void test_loop_fast_introspect_backend_as_asked(void **state)
{
	int up = iou_available() == 0;
	int uring = up ? IOU_BACKEND_URING : iou_available();
	int ret;

	(void)state;
	assert_int_equal(try_backend(IOU_BACKEND_EPOLL, 0), IOU_BACKEND_EPOLL);
	assert_int_equal(try_backend(IOU_BACKEND_URING, 0), uring);
	assert_int_equal(try_backend(IOU_BACKEND_AUTO, 0), t_backend());
	assert_int_equal(try_backend(3, 0), -EINVAL);
	assert_int_equal(try_backend(7, 0), -EINVAL);
	assert_int_equal(iou_loop_create(NULL, NULL), -EINVAL);
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
	/* An unknown value is an error, not a silent default. */
	assert_int_equal(in_child(exec_child, "nonsense"), 100);
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

static void test_loop_fast_introspect_uring_ring_as_configured(void **state)
{
	static const struct iou_loop_opts o = { .entries = 64 };

	(void)state;
	T_NEED_URING();
	assert_int_equal(ring_info("SqMask"), -1);
	t_fast_run(ring_main, &o, PLAIN);
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

LOOP_TEST(introspect_stats_sleeps_and_switches, PLAIN, sleep_stats_main, NULL,
	  0)

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

LOOP_TEST(introspect_stats_zero_sleep_has_sqe_and_cqe, PLAIN, zero_sleep_main,
	  NULL, 0)

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

LOOP_TEST(introspect_stats_cancels, PAIR, cancel_main, NULL, 0)

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

/*
 * I/O ops counted: 200 reads and writes of a pipe and a timed read, in
 * one fiber (io_uring: batched into fewer enters than ops).
 */
static void test_loop_fast_introspect_stats_count_pipe_io(void **state)
{
	(void)state;
	t_loop_run(stats_work, NULL);
}

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

LOOP_TEST(introspect_trace_sqe_then_cqe, PAIR, trace_pair_main, &traced, 0)

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
	int q, c;

	FCHECK_EQ(trace_work(self, arg), 0);
	FCHECK_EQ(count_ev(t0, IOU_TRACE_SQE, ~0U), 3);
	for (i = 0; i < 3; i++)
		FCHECK_EQ(tev[find_ev(t0, IOU_TRACE_SQE, ~0ULL, i)].opcode,
			  want[i]);
	/* Every CQE traced pairs with an SQE traced... */
	FCHECK(count_ev(t0, IOU_TRACE_CQE, ~0U) <= 3);
	if (!IS_URING())
		return 0;
	/* ... and on io_uring carries the op's result: the bytes sent. */
	q = find_ev(t0, IOU_TRACE_SQE, ~0ULL, 1);
	FCHECK((c = find_ev(t0, IOU_TRACE_CQE, tev[q].user_data, 0)) > q);
	FCHECK_EQ(tev[c].res, 2);
	return 0;
}

LOOP_TEST(introspect_trace_opcodes, PAIR, trace_op_main, &traced, 0)

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

LOOP_TEST(introspect_trace_matches_counters, PAIR, trace_stats_main, &traced, 0)

static int stopper_main(struct iou_fiber *self, void *arg)
{
	FCHECK_EQ(iou_spawn(t_loop, recv_waiter, &((int *)arg)[1], 0, NULL),
		  0);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	iou_loop_stop(t_loop);
	return 7;
}

/* What the stop cancels is traced while the loop runs, never after. */
static void test_loop_fast_introspect_trace_none_after_destroy(void **state)
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
		T_TEST(test_loop_fast_introspect_backend_as_asked),
		T_TEST(test_loop_fast_introspect_uring_ring_as_configured),
		T_TEST(test_loop_fast_introspect_stats_sleeps_and_switches),
		T_TEST(test_loop_fast_introspect_stats_zero_sleep_has_sqe_and_cqe),
		T_TEST(test_loop_fast_introspect_stats_cancels),
		T_TEST(test_loop_fast_introspect_stats_count_pipe_io),
		T_TEST(test_loop_fast_introspect_trace_sqe_then_cqe),
		T_TEST(test_loop_fast_introspect_trace_opcodes),
		T_TEST(test_loop_fast_introspect_trace_matches_counters),
		T_TEST(test_loop_fast_introspect_trace_none_after_destroy),
	};
	int b;

	if (argc > 1 && !strcmp(argv[1], "--which-backend")) {
		b = try_backend(IOU_BACKEND_AUTO, 0);
		return b > 0 ? 10 + b : 100;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
