/* SPDX-License-Identifier: MIT */
/*
 * iou_fd_register()/iou_fd_unregister(): registered files under the fiber
 * loop.  On io_uring the proof is twofold: the SQEs of ops on a registered
 * fd carry IOSQE_FIXED_FILE (seen through the loop's trace hook), and the
 * table really holds the file (after a plain close(2) the peer sees no EOF
 * until the fd is unregistered).  On epoll registration is a no-op that
 * must not change any result.
 */
#include "looputil.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MS 1000000ULL

/* SQE flags of the last SEND and RECV the loop submitted. */
static struct {
	int sends, recvs;
	unsigned send_flags, recv_flags;
} seen;

static void trace(void *arg, const struct iou_trace_event *ev)
{
	(void)arg;
	if (ev->kind != IOU_TRACE_SQE)
		return;
	if (ev->opcode == IORING_OP_SEND) {
		seen.sends++;
		seen.send_flags = ev->flags;
	} else if (ev->opcode == IORING_OP_RECV) {
		seen.recvs++;
		seen.recv_flags = ev->flags;
	}
}

static int run_traced(iou_fiber_fn fn, void *arg)
{
	struct iou_loop_opts o = { 0 };

	memset(&seen, 0, sizeof(seen));
	o.trace = trace;
	return t_loop_run_opts(fn, arg, &o);
}

static int uring(void)
{
	return iou_loop_backend(t_loop) == IOU_BACKEND_URING;
}

/* One message @fd -> @peer and back, checked byte for byte. */
static int echo_once(struct iou_fiber *self, int fd, int peer, char tag)
{
	char out[32], in[32];

	memset(out, tag, sizeof(out));
	FCHECK_EQ(iou_send(self, fd, out, sizeof(out), 0, 0), sizeof(out));
	FCHECK_EQ(iou_recv(self, peer, in, sizeof(in), MSG_WAITALL, 0),
		  sizeof(in));
	FCHECK(!memcmp(in, out, sizeof(in)));
	FCHECK_EQ(iou_send(self, peer, in, sizeof(in), 0, 0), sizeof(in));
	memset(in, 0, sizeof(in));
	FCHECK_EQ(iou_recv(self, fd, in, sizeof(in), MSG_WAITALL, 0),
		  sizeof(in));
	FCHECK(!memcmp(in, out, sizeof(in)));
	return 0;
}

/* The ops on a registered fd are fixed-file SQEs; unregistered, plain. */
static int fixed_flag_main(struct iou_fiber *self, void *arg)
{
	int sv[2], want = uring();

	(void)arg;
	t_tcp_pair(sv);
	FCHECK_EQ(iou_fd_register(t_loop, sv[0]), want);
	FCHECK_EQ(iou_fd_register(t_loop, sv[0]), want);	/* no change */
	FCHECK_EQ(echo_once(self, sv[0], sv[1], 'a'), 0);
	if (want) {
		FCHECK(seen.sends >= 2 && seen.recvs >= 2);
		/* echo_once() ends with a send on the peer, a recv on sv[0]. */
		FCHECK(!(seen.send_flags & IOSQE_FIXED_FILE));
		FCHECK(seen.recv_flags & IOSQE_FIXED_FILE);
	}
	FCHECK_EQ(iou_fd_unregister(t_loop, sv[0]), 0);
	FCHECK_EQ(iou_fd_unregister(t_loop, sv[0]), 0);	/* not registered */
	FCHECK_EQ(echo_once(self, sv[0], sv[1], 'b'), 0);
	if (want)
		FCHECK(!(seen.recv_flags & IOSQE_FIXED_FILE));
	FCHECK_EQ(iou_close(self, sv[0]), 0);
	FCHECK_EQ(iou_close(self, sv[1]), 0);
	return 0;
}

static void test_loop_fixed_sqes(void **state)
{
	(void)state;
	run_traced(fixed_flag_main, NULL);
}

/* A TCP pair with sv[0] registered; 0 (and no pair) where it cannot be. */
static int registered_pair(int sv[2])
{
	t_tcp_pair(sv);
	if (iou_fd_register(t_loop, sv[0]) == 1)
		return 1;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

/* Only sv[0]'s SQEs are fixed: the peer's ops keep the plain fd. */
static int only_registered_main(struct iou_fiber *self, void *arg)
{
	char b = 'x';
	int sv[2];

	(void)arg;
	if (!registered_pair(sv))
		return 1;	/* not io_uring: nothing to tell apart */
	FCHECK_EQ(iou_send(self, sv[1], &b, 1, 0, 0), 1);
	FCHECK(!(seen.send_flags & IOSQE_FIXED_FILE));
	FCHECK_EQ(iou_recv(self, sv[0], &b, 1, 0, 0), 1);
	FCHECK(seen.recv_flags & IOSQE_FIXED_FILE);
	FCHECK_EQ(iou_send(self, sv[0], &b, 1, 0, 0), 1);
	FCHECK(seen.send_flags & IOSQE_FIXED_FILE);
	FCHECK_EQ(iou_close(self, sv[0]), 0);
	FCHECK_EQ(iou_close(self, sv[1]), 0);
	return 0;
}

static void test_loop_fixed_only_registered(void **state)
{
	(void)state;
	if (run_traced(only_registered_main, NULL) == 1)
		t_skip("io_uring backend only: this run is on epoll");
}

/* iou_close() takes the fd out of the table: the peer sees EOF. */
static int close_main(struct iou_fiber *self, void *arg)
{
	char b;
	int sv[2];

	(void)arg;
	t_tcp_pair(sv);
	FCHECK(iou_fd_register(t_loop, sv[0]) >= 0);
	FCHECK_EQ(echo_once(self, sv[0], sv[1], 'c'), 0);
	FCHECK_EQ(iou_close(self, sv[0]), 0);
	FCHECK_EQ(iou_recv(self, sv[1], &b, 1, 0, 500 * MS), 0);
	/* The number is free again, and not registered any more. */
	FCHECK_EQ(iou_fd_unregister(t_loop, sv[0]), 0);
	FCHECK_EQ(iou_close(self, sv[1]), 0);
	return 0;
}

static void test_loop_fixed_iou_close_releases(void **state)
{
	(void)state;
	t_loop_run(close_main, NULL);
}

/*
 * What the table holds: after a plain close(2) the socket stays open in
 * it (no EOF for the peer) until iou_fd_unregister() drops it.
 */
static int plain_close_main(struct iou_fiber *self, void *arg)
{
	char b;
	int sv[2];

	(void)arg;
	if (!registered_pair(sv))
		return 1;
	FCHECK_EQ(close(sv[0]), 0);
	FCHECK_EQ(iou_recv(self, sv[1], &b, 1, 0, 100 * MS), -ETIMEDOUT);
	FCHECK_EQ(iou_fd_unregister(t_loop, sv[0]), 0);
	FCHECK_EQ(iou_recv(self, sv[1], &b, 1, 0, 2000 * MS), 0);
	FCHECK_EQ(iou_close(self, sv[1]), 0);
	return 0;
}

static void test_loop_fixed_table_holds_file(void **state)
{
	(void)state;
	if (t_loop_run(plain_close_main, NULL) == 1)
		t_skip("io_uring backend only: this run is on epoll");
}

/* Bad fds: negative, closed, closing; unregister of a negative fd. */
static int bad_main(struct iou_fiber *self, void *arg)
{
	int sv[2], fd;

	(void)self;
	(void)arg;
	FCHECK_EQ(iou_fd_register(t_loop, -1), -EBADF);
	FCHECK_EQ(iou_fd_unregister(t_loop, -1), -EBADF);
	t_tcp_pair(sv);
	fd = sv[0];
	close(sv[0]);
	FCHECK_EQ(iou_fd_register(t_loop, fd), -EBADF);
	FCHECK_EQ(iou_fd_unregister(t_loop, fd), 0);
	close(sv[1]);
	return 0;
}

static void test_loop_fixed_bad_fds(void **state)
{
	(void)state;
	t_loop_run(bad_main, NULL);
}

/*
 * An fd past the table: with RLIMIT_NOFILE at 256 when the table is made
 * it has 256 slots; fd 300 (the limit raised again) stays plain, and its
 * ops still work.
 */
static int beyond_main(struct iou_fiber *self, void *arg)
{
	struct rlimit *saved = arg;
	int sv[2], big;

	t_tcp_pair(sv);
	/* The first registration makes the table, under the low limit. */
	FCHECK(iou_fd_register(t_loop, sv[0]) >= 0);
	FCHECK_EQ(setrlimit(RLIMIT_NOFILE, saved), 0);
	big = dup2(sv[0], 300);
	FCHECK_EQ(big, 300);
	FCHECK_EQ(iou_fd_register(t_loop, big), 0);
	seen.recvs = 0;
	FCHECK_EQ(echo_once(self, big, sv[1], 'd'), 0);
	FCHECK(!(seen.recv_flags & IOSQE_FIXED_FILE));
	FCHECK_EQ(iou_close(self, big), 0);
	FCHECK_EQ(iou_close(self, sv[0]), 0);
	FCHECK_EQ(iou_close(self, sv[1]), 0);
	return 0;
}

static void test_loop_fixed_fd_beyond_table(void **state)
{
	struct rlimit saved, low;
	struct iou_ring probe;
	int granted;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	if (saved.rlim_max < 512)
		t_skip("RLIMIT_NOFILE hard limit %lu < 512",
		       (unsigned long)saved.rlim_max);
	low = saved;
	low.rlim_cur = 256;
	if (saved.rlim_cur < 512)
		saved.rlim_cur = 512;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	/*
	 * The instrument: the kernel itself must see the lower limit.  Under
	 * valgrind, which keeps the real limit for its own fds, a table of
	 * 512 slots is still granted.
	 */
	if (iou_ring_init(&probe, 4, 0) == 0) {
		granted = iou_register_files_sparse(&probe, 512) == 0;
		iou_ring_exit(&probe);
		if (granted) {
			setrlimit(RLIMIT_NOFILE, &saved);
			t_skip("RLIMIT_NOFILE set to 256 does not reach the "
			       "kernel here (valgrind?)");
		}
	}
	run_traced(beyond_main, &saved);
	setrlimit(RLIMIT_NOFILE, &saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_fixed_sqes),
		cmocka_unit_test(test_loop_fixed_only_registered),
		cmocka_unit_test(test_loop_fixed_iou_close_releases),
		cmocka_unit_test(test_loop_fixed_table_holds_file),
		cmocka_unit_test(test_loop_fixed_bad_fds),
		cmocka_unit_test(test_loop_fixed_fd_beyond_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
