/* SPDX-License-Identifier: MIT */
/*
 * Opcodes that control rather than move data: NOP, polls, timeouts,
 * cancellation, legacy provided buffers, MSG_RING, epoll, waitid, futexes.
 * Each runs on the real kernel through its prep helper and is checked by
 * its effect; OPCODE_CHECKED is printed only once every check passed.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <iou/prep.h>

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02 /* linux/futex.h of 6.7 */
#endif
#ifndef FUTEX2_PRIVATE
#define FUTEX2_PRIVATE FUTEX_PRIVATE_FLAG
#endif
#define FUTEX_MATCH_ANY 0xffffffffULL

#define UD_CTL(i) UD_TAG(0x43544c00, i) /* "CTL" */

static void test_ops_ctl_nop(void **state)
{
	struct iou_ring ring;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_NOP);
	iou_prep_nop(t_sqe(&ring, UD_CTL(1)));
	assert_int_equal(t_result_of(&ring, UD_CTL(1)), 0);
	t_opcode_checked(IORING_OP_NOP);
	iou_ring_exit(&ring);
}

/* An injected result comes back as the CQE's res. */
static void test_ops_ctl_nop_inject_result(void **state)
{
	struct iou_ring ring;
	struct io_uring_sqe *sqe;

	(void)state;
	t_require_kernel(6, 10, "iou_prep_nop_flags()");
	t_ring_init(&ring, 8, 0);
	sqe = iou_get_sqe(&ring);
	iou_prep_nop_flags(sqe, IORING_NOP_INJECT_RESULT, -EPIPE);
	iou_sqe_set_data64(sqe, UD_CTL(2));
	assert_int_equal(t_result_of(&ring, UD_CTL(2)), -EPIPE);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_poll(void **state)
{
	struct io_uring_cqe cqe;
	struct iou_ring ring;
	struct io_uring_sqe *sqe;
	int p[2], i;
	char c;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_POLL_ADD);
	assert_int_equal(pipe(p), 0);

	/* Single shot: nothing until the pipe is readable. */
	sqe = iou_get_sqe(&ring);
	iou_prep_poll_add(sqe, p[0], POLLIN);
	iou_sqe_set_data64(sqe, UD_CTL(10));
	t_expect_quiet(&ring, 20);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_true(t_result_of(&ring, UD_CTL(10)) & POLLIN);
	assert_int_equal(read(p[0], &c, 1), 1);

	/* Multishot: a CQE per readiness edge, IORING_CQE_F_MORE while armed. */
	sqe = iou_get_sqe(&ring);
	iou_prep_poll_multishot(sqe, p[0], POLLIN);
	iou_sqe_set_data64(sqe, UD_CTL(11));
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 3; i++) {
		assert_int_equal(write(p[1], "y", 1), 1);
		assert_true(t_next_cqe(&ring, &cqe) & POLLIN);
		assert_int_equal(cqe.user_data, UD_CTL(11));
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		assert_int_equal(read(p[0], &c, 1), 1);
	}
	t_opcode_checked(IORING_OP_POLL_ADD);

	/* Remove the multishot poll: its last CQE is -ECANCELED without MORE. */
	sqe = iou_get_sqe(&ring);
	iou_prep_poll_remove(sqe, UD_CTL(11));
	iou_sqe_set_data64(sqe, UD_CTL(12));
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 2; i++) {
		t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_CTL(12)) {
			assert_int_equal(cqe.res, 0);
		} else {
			assert_int_equal(cqe.user_data, UD_CTL(11));
			assert_int_equal(cqe.res, -ECANCELED);
			assert_false(cqe.flags & IORING_CQE_F_MORE);
		}
	}
	sqe = iou_get_sqe(&ring);
	iou_prep_poll_remove(sqe, UD_CTL(11));
	iou_sqe_set_data64(sqe, UD_CTL(13));
	assert_int_equal(t_result_of(&ring, UD_CTL(13)), -ENOENT);

	/* Update a pending poll's events and user_data in place. */
	sqe = iou_get_sqe(&ring);
	iou_prep_poll_add(sqe, p[0], POLLPRI);
	iou_sqe_set_data64(sqe, UD_CTL(14));
	sqe = iou_get_sqe(&ring);
	iou_prep_poll_update(sqe, UD_CTL(14), UD_CTL(15), POLLIN,
			     IORING_POLL_UPDATE_EVENTS |
				     IORING_POLL_UPDATE_USER_DATA);
	iou_sqe_set_data64(sqe, UD_CTL(16));
	assert_int_equal(t_result_of(&ring, UD_CTL(16)), 0);
	assert_int_equal(write(p[1], "z", 1), 1);
	assert_true(t_result_of(&ring, UD_CTL(15)) & POLLIN);
	t_opcode_checked(IORING_OP_POLL_REMOVE);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_timeout(void **state)
{
	struct iou_timespec ts = { 0, 30 * 1000 * 1000 }, abs_ts;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	struct timespec now;
	int64_t t0, dt;
	int i;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_TIMEOUT);

	/* Relative: -ETIME after about 30 ms. */
	t0 = t_now_ns();
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout(sqe, &ts, 0, 0);
	iou_sqe_set_data64(sqe, UD_CTL(20));
	assert_int_equal(t_result_of(&ring, UD_CTL(20)), -ETIME);
	dt = t_now_ns() - t0;
	assert_true(dt >= 29 * 1000 * 1000 && dt < 1030LL * 1000 * 1000);

	/* Count: completes with 0 once 2 other CQEs were posted. */
	ts.tv_sec = 5;
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout(sqe, &ts, 2, 0);
	iou_sqe_set_data64(sqe, UD_CTL(21));
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 2; i++) {
		iou_prep_nop(t_sqe(&ring, UD_CTL(22)));
	}
	assert_int_equal(t_result_of(&ring, UD_CTL(22)), 0);
	assert_int_equal(t_result_of(&ring, UD_CTL(22)), 0);
	assert_int_equal(t_result_of(&ring, UD_CTL(21)), 0);

	/* Absolute, on CLOCK_MONOTONIC. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	abs_ts.tv_sec = now.tv_sec;
	abs_ts.tv_nsec = now.tv_nsec + 20 * 1000 * 1000;
	if (abs_ts.tv_nsec >= 1000000000) {
		abs_ts.tv_sec++;
		abs_ts.tv_nsec -= 1000000000;
	}
	t0 = t_now_ns();
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout(sqe, &abs_ts, 0, IORING_TIMEOUT_ABS);
	iou_sqe_set_data64(sqe, UD_CTL(23));
	assert_int_equal(t_result_of(&ring, UD_CTL(23)), -ETIME);
	dt = t_now_ns() - t0;
	assert_true(dt >= 15 * 1000 * 1000 && dt < 1020LL * 1000 * 1000);
	t_opcode_checked(IORING_OP_TIMEOUT);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_timeout_remove_update(void **state)
{
	struct iou_timespec ten_s = { 10, 0 }, short_ts = { 0, 20 * 1000 * 1000 };
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int64_t t0, dt;
	int i;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_TIMEOUT_REMOVE);

	/* Remove: the timeout ends with -ECANCELED, the remove with 0. */
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout(sqe, &ten_s, 0, 0);
	iou_sqe_set_data64(sqe, UD_CTL(30));
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout_remove(sqe, UD_CTL(30), 0);
	iou_sqe_set_data64(sqe, UD_CTL(31));
	assert_int_equal(iou_submit(&ring), 2);
	for (i = 0; i < 2; i++) {
		t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_CTL(30))
			assert_int_equal(cqe.res, -ECANCELED);
		else
			assert_int_equal(cqe.res, 0);
	}
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout_remove(sqe, UD_CTL(30), 0);
	iou_sqe_set_data64(sqe, UD_CTL(32));
	assert_int_equal(t_result_of(&ring, UD_CTL(32)), -ENOENT);

	/* Update: a 10 s timeout brought forward to 20 ms. */
	t0 = t_now_ns();
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout(sqe, &ten_s, 0, 0);
	iou_sqe_set_data64(sqe, UD_CTL(33));
	assert_int_equal(iou_submit(&ring), 1);
	sqe = iou_get_sqe(&ring);
	iou_prep_timeout_update(sqe, &short_ts, UD_CTL(33), 0);
	iou_sqe_set_data64(sqe, UD_CTL(34));
	assert_int_equal(t_result_of(&ring, UD_CTL(34)), 0);
	assert_int_equal(t_result_of(&ring, UD_CTL(33)), -ETIME);
	dt = t_now_ns() - t0;
	assert_true(dt >= 15 * 1000 * 1000 && dt < 2000LL * 1000 * 1000);
	t_opcode_checked(IORING_OP_TIMEOUT_REMOVE);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_async_cancel(void **state)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int p[2], i, cancelled = 0, res;
	char buf[3];

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_ASYNC_CANCEL);
	assert_int_equal(pipe(p), 0);

	/* By user_data. */
	iou_prep_read(t_sqe(&ring, UD_CTL(40)), p[0], buf, 1, 0);
	t_expect_quiet(&ring, 10);
	sqe = iou_get_sqe(&ring);
	iou_prep_cancel64(sqe, UD_CTL(40), 0);
	iou_sqe_set_data64(sqe, UD_CTL(41));
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_CTL(40))
			assert_int_equal(res, -ECANCELED);
		else
			assert_int_equal(res, 0);
	}
	/* Nothing left to match. */
	sqe = iou_get_sqe(&ring);
	iou_prep_cancel64(sqe, UD_CTL(40), 0);
	iou_sqe_set_data64(sqe, UD_CTL(42));
	assert_int_equal(t_result_of(&ring, UD_CTL(42)), -ENOENT);

	/* Every read on the fd at once. */
	for (i = 0; i < 3; i++) {
		iou_prep_read(t_sqe(&ring, UD_CTL(43)), p[0], buf + i, 1, 0);
	}
	t_expect_quiet(&ring, 10);
	sqe = iou_get_sqe(&ring);
	iou_prep_cancel_fd(sqe, p[0], IORING_ASYNC_CANCEL_ALL);
	iou_sqe_set_data64(sqe, UD_CTL(44));
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 4; i++) {
		res = t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_CTL(43)) {
			assert_int_equal(res, -ECANCELED);
			cancelled++;
		} else {
			assert_int_equal(cqe.user_data, UD_CTL(44));
			assert_int_equal(res, 3);
		}
	}
	assert_int_equal(cancelled, 3);

	/* Anything at all. */
	iou_prep_read(t_sqe(&ring, UD_CTL(45)), p[0], buf, 1, 0);
	t_expect_quiet(&ring, 10);
	sqe = iou_get_sqe(&ring);
	iou_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
	iou_sqe_set_data64(sqe, UD_CTL(46));
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(&ring, &cqe);
		/* ANY matches everything and reports how many it cancelled. */
		assert_int_equal(res, cqe.user_data == UD_CTL(45) ? -ECANCELED : 1);
	}
	t_opcode_checked(IORING_OP_ASYNC_CANCEL);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_link_timeout(void **state)
{
	struct iou_timespec ts = { 0, 10 * 1000 * 1000 };
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int p[2], i;
	char c;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_LINK_TIMEOUT);
	assert_int_equal(pipe(p), 0);

	/*
	 * The link flag is set before the prep call: a helper must not clear
	 * it.  A read that never completes is cut off after 10 ms.
	 */
	sqe = iou_get_sqe(&ring);
	iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
	iou_prep_read(sqe, p[0], &c, 1, 0);
	iou_sqe_set_data64(sqe, UD_CTL(50));
	assert_int_equal(sqe->flags, IOSQE_IO_LINK);
	sqe = iou_get_sqe(&ring);
	iou_prep_link_timeout(sqe, &ts, 0);
	iou_sqe_set_data64(sqe, UD_CTL(51));
	assert_int_equal(iou_submit(&ring), 2);
	for (i = 0; i < 2; i++) {
		t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_CTL(50))
			assert_int_equal(cqe.res, -ECANCELED);
		else
			assert_int_equal(cqe.res, -ETIME);
	}

	/* The op finishes first: the timeout is cancelled instead. */
	sqe = iou_get_sqe(&ring);
	iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
	iou_prep_nop(sqe);
	iou_sqe_set_data64(sqe, UD_CTL(52));
	ts.tv_sec = 5;
	sqe = iou_get_sqe(&ring);
	iou_prep_link_timeout(sqe, &ts, 0);
	iou_sqe_set_data64(sqe, UD_CTL(53));
	assert_int_equal(iou_submit(&ring), 2);
	for (i = 0; i < 2; i++) {
		t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_CTL(52))
			assert_int_equal(cqe.res, 0);
		else
			assert_int_equal(cqe.res, -ECANCELED);
	}

	/*
	 * A linked timeout of 10 s brought forward to 10 ms (5.15): the
	 * update must carry IORING_TIMEOUT_UPDATE too, or the kernel takes
	 * it for a removal and the read waits for good.
	 */
	if (t_kernel_at_least(5, 15)) {
		int64_t t0 = t_now_ns(), dt;
		struct iou_timespec soon = { 0, 10 * 1000 * 1000 };

		sqe = iou_get_sqe(&ring);
		iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
		iou_prep_read(sqe, p[0], &c, 1, 0);
		iou_sqe_set_data64(sqe, UD_CTL(54));
		ts.tv_sec = 10;
		sqe = iou_get_sqe(&ring);
		iou_prep_link_timeout(sqe, &ts, 0);
		iou_sqe_set_data64(sqe, UD_CTL(55));
		assert_int_equal(iou_submit(&ring), 2);
		t_expect_quiet(&ring, 10);
		sqe = iou_get_sqe(&ring);
		iou_prep_timeout_update(sqe, &soon, UD_CTL(55),
					IORING_LINK_TIMEOUT_UPDATE);
		iou_sqe_set_data64(sqe, UD_CTL(56));
		assert_int_equal(iou_submit(&ring), 1);
		for (i = 0; i < 3; i++) {
			t_next_cqe(&ring, &cqe);
			if (cqe.user_data == UD_CTL(54))
				assert_int_equal(cqe.res, -ECANCELED);
			else if (cqe.user_data == UD_CTL(55))
				assert_int_equal(cqe.res, -ETIME);
			else
				assert_int_equal(cqe.res, 0);
		}
		dt = t_now_ns() - t0;
		assert_true(dt < 2000LL * 1000 * 1000);
	}
	t_opcode_checked(IORING_OP_LINK_TIMEOUT);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_epoll(void **state)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x5eed };
	struct epoll_event out[4];
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int p[2], epfd, res;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_EPOLL_CTL);
	assert_int_equal(pipe(p), 0);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	assert_true(epfd >= 0);

	sqe = iou_get_sqe(&ring);
	iou_prep_epoll_ctl(sqe, epfd, p[0], EPOLL_CTL_ADD, &ev);
	iou_sqe_set_data64(sqe, UD_CTL(60));
	assert_int_equal(t_result_of(&ring, UD_CTL(60)), 0);
	assert_int_equal(epoll_wait(epfd, out, 4, 0), 0);
	assert_int_equal(write(p[1], "e", 1), 1);
	assert_int_equal(epoll_wait(epfd, out, 4, 1000), 1);
	assert_int_equal(out[0].data.u64, 0x5eed);
	/* Adding it twice: the kernel says -EEXIST. */
	sqe = iou_get_sqe(&ring);
	iou_prep_epoll_ctl(sqe, epfd, p[0], EPOLL_CTL_ADD, &ev);
	iou_sqe_set_data64(sqe, UD_CTL(61));
	assert_int_equal(t_result_of(&ring, UD_CTL(61)), -EEXIST);
	t_opcode_checked(IORING_OP_EPOLL_CTL);

	if (iou_opcode_supported(&ring, IORING_OP_EPOLL_WAIT) == 1) {
		memset(out, 0, sizeof(out));
		sqe = iou_get_sqe(&ring);
		iou_prep_epoll_wait(sqe, epfd, out, 4, 0);
		iou_sqe_set_data64(sqe, UD_CTL(62));
		res = t_result_of(&ring, UD_CTL(62));
		assert_int_equal(res, 1);
		assert_int_equal(out[0].data.u64, 0x5eed);
		assert_true(out[0].events & EPOLLIN);
		t_opcode_checked(IORING_OP_EPOLL_WAIT);
	}
	close(epfd);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_epoll_wait_pending(void **state)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 7 };
	struct epoll_event out[2];
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int p[2], epfd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_EPOLL_WAIT);
	assert_int_equal(pipe(p), 0);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	assert_int_equal(epoll_ctl(epfd, EPOLL_CTL_ADD, p[0], &ev), 0);
	/* Nothing ready: the SQE waits inside the ring, not in a thread. */
	sqe = iou_get_sqe(&ring);
	iou_prep_epoll_wait(sqe, epfd, out, 2, 0);
	iou_sqe_set_data64(sqe, UD_CTL(63));
	t_expect_quiet(&ring, 20);
	assert_int_equal(write(p[1], "w", 1), 1);
	assert_int_equal(t_result_of(&ring, UD_CTL(63)), 1);
	assert_int_equal(out[0].data.u64, 7);
	t_opcode_checked(IORING_OP_EPOLL_WAIT);
	close(epfd);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_provide_remove_buffers(void **state)
{
	static char bufs[4][32];
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int p[2], bid;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_PROVIDE_BUFFERS);
	assert_int_equal(pipe(p), 0);

	sqe = iou_get_sqe(&ring);
	iou_prep_provide_buffers(sqe, bufs, 32, 4, 9, 100);
	iou_sqe_set_data64(sqe, UD_CTL(70));
	assert_int_equal(t_result_of(&ring, UD_CTL(70)), 0);

	/* A read that selects a buffer from group 9 gets one of ids 100..103. */
	assert_int_equal(write(p[1], "prov", 4), 4);
	sqe = iou_get_sqe(&ring);
	iou_prep_read(sqe, p[0], NULL, 32, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, 9);
	iou_sqe_set_data64(sqe, UD_CTL(71));
	assert_int_equal(t_next_cqe(&ring, &cqe), 4);
	bid = iou_cqe_buffer_id(&cqe);
	assert_true(bid >= 100 && bid <= 103);
	assert_memory_equal(bufs[bid - 100], "prov", 4);
	t_opcode_checked(IORING_OP_PROVIDE_BUFFERS);

	/* Take the other three back; then the group is empty. */
	sqe = iou_get_sqe(&ring);
	iou_prep_remove_buffers(sqe, 10, 9);
	iou_sqe_set_data64(sqe, UD_CTL(72));
	assert_int_equal(t_result_of(&ring, UD_CTL(72)), 3);
	assert_int_equal(write(p[1], "none", 4), 4);
	sqe = iou_get_sqe(&ring);
	iou_prep_read(sqe, p[0], NULL, 32, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, 9);
	iou_sqe_set_data64(sqe, UD_CTL(73));
	assert_int_equal(t_result_of(&ring, UD_CTL(73)), -ENOBUFS);
	t_opcode_checked(IORING_OP_REMOVE_BUFFERS);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_msg_ring(void **state)
{
	struct io_uring_sqe *sqe;
	struct iou_ring src, dst;
	int p[2], sparse_fds[2] = { -1, -1 };
	char c = 0;

	(void)state;
	t_ring_init(&src, 8, 0);
	t_ring_init(&dst, 8, 0);
	t_require_op(&src, IORING_OP_MSG_RING);

	/* Data: the target sees our res and user_data. */
	sqe = iou_get_sqe(&src);
	iou_prep_msg_ring(sqe, dst.ring_fd, 77, UD_CTL(80), 0);
	iou_sqe_set_data64(sqe, UD_CTL(81));
	assert_int_equal(t_result_of(&src, UD_CTL(81)), 0);
	assert_int_equal(t_result_of(&dst, UD_CTL(80)), 77);

	/* A fixed file sent across: the target reads through its new slot. */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(iou_register_files(&src, p, 2), 0);
	assert_int_equal(iou_register_files(&dst, sparse_fds, 2), 0);
	sqe = iou_get_sqe(&src);
	iou_prep_msg_ring_fd(sqe, dst.ring_fd, 0, 1, UD_CTL(84), 0);
	iou_sqe_set_data64(sqe, UD_CTL(85));
	assert_int_equal(t_result_of(&src, UD_CTL(85)), 0);
	assert_int_equal(t_result_of(&dst, UD_CTL(84)), 0);
	assert_int_equal(write(p[1], "m", 1), 1);
	sqe = iou_get_sqe(&dst);
	iou_prep_read(sqe, 1, &c, 1, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	iou_sqe_set_data64(sqe, UD_CTL(86));
	assert_int_equal(t_result_of(&dst, UD_CTL(86)), 1);
	assert_int_equal(c, 'm');
	t_opcode_checked(IORING_OP_MSG_RING);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&dst);
	iou_ring_exit(&src);
}

/* MSG_RING with the target CQE's flags passed through. */
static void test_ops_ctl_msg_ring_cqe_flags(void **state)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring src, dst;

	(void)state;
	t_require_kernel(6, 3, "iou_prep_msg_ring_cqe_flags()");
	t_ring_init(&src, 8, 0);
	t_ring_init(&dst, 8, 0);
	t_require_op(&src, IORING_OP_MSG_RING);
	sqe = iou_get_sqe(&src);
	iou_prep_msg_ring_cqe_flags(sqe, dst.ring_fd, 78, UD_CTL(82), 0,
				    0x5a0000);
	iou_sqe_set_data64(sqe, UD_CTL(83));
	assert_int_equal(t_result_of(&src, UD_CTL(83)), 0);
	assert_int_equal(t_next_cqe(&dst, &cqe), 78);
	assert_int_equal(cqe.user_data, UD_CTL(82));
	assert_int_equal(cqe.flags, 0x5a0000);
	iou_ring_exit(&dst);
	iou_ring_exit(&src);
}

static void test_ops_ctl_waitid(void **state)
{
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	siginfo_t si;
	pid_t pid;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_WAITID);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(20000);
		_exit(7);
	}
	memset(&si, 0, sizeof(si));
	sqe = iou_get_sqe(&ring);
	iou_prep_waitid(sqe, P_PID, pid, &si, WEXITED, 0);
	iou_sqe_set_data64(sqe, UD_CTL(90));
	assert_int_equal(t_result_of(&ring, UD_CTL(90)), 0);
	assert_int_equal(si.si_pid, pid);
	assert_int_equal(si.si_code, CLD_EXITED);
	assert_int_equal(si.si_status, 7);
	/* Reaped: a second wait finds no child. */
	assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
	t_opcode_checked(IORING_OP_WAITID);
	iou_ring_exit(&ring);
}

static void *wake_later(void *arg)
{
	uint32_t *word = arg;

	usleep(20000);
	__atomic_store_n(word, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
	return NULL;
}

static void test_ops_ctl_futex(void **state)
{
	static uint32_t word;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	pthread_t th;
	int i, res;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_FUTEX_WAIT);
	t_require_op(&ring, IORING_OP_FUTEX_WAKE);

	/* Value differs: -EAGAIN at once. */
	word = 5;
	sqe = iou_get_sqe(&ring);
	iou_prep_futex_wait(sqe, &word, 4, FUTEX_MATCH_ANY,
			    FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0);
	iou_sqe_set_data64(sqe, UD_CTL(100));
	assert_int_equal(t_result_of(&ring, UD_CTL(100)), -EAGAIN);

	/* Pending wait, woken by a FUTEX_WAKE SQE. */
	word = 0;
	sqe = iou_get_sqe(&ring);
	iou_prep_futex_wait(sqe, &word, 0, FUTEX_MATCH_ANY,
			    FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0);
	iou_sqe_set_data64(sqe, UD_CTL(101));
	t_expect_quiet(&ring, 20);
	sqe = iou_get_sqe(&ring);
	iou_prep_futex_wake(sqe, &word, 1, FUTEX_MATCH_ANY,
			    FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0);
	iou_sqe_set_data64(sqe, UD_CTL(102));
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_CTL(101))
			assert_int_equal(res, 0);
		else
			assert_int_equal(res, 1); /* one waiter woken */
	}
	t_opcode_checked(IORING_OP_FUTEX_WAKE);

	/*
	 * Pending wait, woken by futex(2) from another thread.  A shared
	 * futex: a PRIVATE wait armed while the process has one thread sits in
	 * the global hash, and since 6.16 the first new thread gives the
	 * process a private hash that private wakes search instead (seen here
	 * on 6.18: the wake finds no waiter).
	 */
	word = 0;
	sqe = iou_get_sqe(&ring);
	iou_prep_futex_wait(sqe, &word, 0, FUTEX_MATCH_ANY, FUTEX2_SIZE_U32, 0);
	iou_sqe_set_data64(sqe, UD_CTL(103));
	assert_int_equal(iou_submit(&ring), 1);
	assert_int_equal(pthread_create(&th, NULL, wake_later, &word), 0);
	assert_int_equal(t_result_of(&ring, UD_CTL(103)), 0);
	pthread_join(th, NULL);
	t_opcode_checked(IORING_OP_FUTEX_WAIT);
	iou_ring_exit(&ring);
}

static void test_ops_ctl_futex_waitv(void **state)
{
	static uint32_t words[2];
	struct futex_waitv fv[2];
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int i;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_FUTEX_WAITV);
	memset(fv, 0, sizeof(fv));
	for (i = 0; i < 2; i++) {
		words[i] = 0;
		fv[i].val = 0;
		fv[i].uaddr = (uint64_t)(uintptr_t)&words[i];
		fv[i].flags = FUTEX2_SIZE_U32 | FUTEX2_PRIVATE;
	}
	sqe = iou_get_sqe(&ring);
	iou_prep_futex_waitv(sqe, fv, 2, 0);
	iou_sqe_set_data64(sqe, UD_CTL(110));
	t_expect_quiet(&ring, 20);
	/* Wake the second: the CQE names it by index. */
	words[1] = 1;
	assert_int_equal(syscall(SYS_futex, &words[1], FUTEX_WAKE_PRIVATE, 1,
				 NULL, NULL, 0),
			 1);
	assert_int_equal(t_result_of(&ring, UD_CTL(110)), 1);
	t_opcode_checked(IORING_OP_FUTEX_WAITV);
	iou_ring_exit(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_ops_ctl_nop),
		T_TEST(test_ops_ctl_nop_inject_result),
		T_TEST(test_ops_ctl_poll),
		T_TEST(test_ops_ctl_timeout),
		T_TEST(test_ops_ctl_timeout_remove_update),
		T_TEST(test_ops_ctl_async_cancel),
		T_TEST(test_ops_ctl_link_timeout),
		T_TEST(test_ops_ctl_epoll),
		T_TEST(test_ops_ctl_epoll_wait_pending),
		T_TEST(test_ops_ctl_provide_remove_buffers),
		T_TEST(test_ops_ctl_msg_ring),
		T_TEST(test_ops_ctl_msg_ring_cqe_flags),
		T_TEST(test_ops_ctl_waitid),
		T_TEST(test_ops_ctl_futex),
		T_TEST(test_ops_ctl_futex_waitv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
