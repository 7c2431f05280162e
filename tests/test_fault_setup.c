/* SPDX-License-Identifier: MIT */
/*
 * Ring setup and teardown with the kernel's answers scripted (fault
 * hooks): a refused flag falls back, a failed mapping unwinds, a failed
 * check mapping in exit still closes the fd, and the SQPOLL wake-up
 * enters exactly when the kernel asks for it.  The rest of setup:
 * test_setup.c.
 */
#include "testutil.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fault.h"

static void test_fault_setup_no_sqarray_fallback(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_NO_SQARRAY };
	struct iou_ring ring;

	(void)state;
	if (iou_available())
		t_skip("io_uring unavailable");
	/* An older kernel answers -EINVAL to the unknown flag. */
	iou__fault_reset();
	iou__fault_arm(IOU_FAULT_SETUP, 1, 1, IOU_FAULT_FAIL, -EINVAL);
	assert_int_equal(iou_ring_init_params(&ring, 8, &p), 0);
	assert_int_equal(iou__fault_calls(IOU_FAULT_SETUP), 2);
	assert_false(p.flags & IORING_SETUP_NO_SQARRAY);
	assert_non_null(ring.sq.karray);
	t_nop_roundtrip(&ring, UD_NOP(3));
	iou_ring_exit(&ring);
	iou__fault_reset();
}

static void test_fault_setup_mmap_failure_unwinds(void **state)
{
	struct iou_ring ring;
	unsigned long maps_per_ring;
	int fds, maps;
	unsigned nth;

	(void)state;
	if (iou_available())
		t_skip("io_uring unavailable");
	iou__fault_reset();
	t_ring_init(&ring, 8, 0);
	maps_per_ring = iou__fault_calls(IOU_FAULT_MMAP);
	iou_ring_exit(&ring);
	assert_true(maps_per_ring >= 2);
	/* Fail each of the mappings in turn: nothing may be left behind. */
	for (nth = 1; nth <= maps_per_ring; nth++) {
		fds = t_count_fds();
		maps = t_count_maps();
		iou__fault_reset();
		iou__fault_arm(IOU_FAULT_MMAP, nth, 1, IOU_FAULT_FAIL, -ENOMEM);
		assert_int_equal(iou_ring_init(&ring, 8, 0), -ENOMEM);
		assert_int_equal(t_count_fds(), fds);
		assert_int_equal(t_count_maps(), maps);
		assert_int_equal(ring.ring_fd, -1);
		assert_int_equal(iou__fault_calls(IOU_FAULT_MUNMAP), nth - 1);
	}
	iou__fault_reset();
}

/*
 * When exit cannot make its check mapping (-ENOMEM), it has only the
 * enter's answer, an io_uring: it takes that for its own and closes it,
 * rather than leak the ring's fd on a transient error.
 */
static void test_fault_setup_exit_probe_mmap_fails_closes_fd(void **state)
{
	struct iou_ring ring;
	int fds, maps;

	(void)state;
	if (iou_available())
		t_skip("io_uring unavailable");
	fds = t_count_fds();
	maps = t_count_maps();
	t_ring_init(&ring, 8, 0);
	iou__fault_reset();
	iou__fault_arm(IOU_FAULT_MMAP, 1, 1, IOU_FAULT_FAIL, -ENOMEM);
	iou_ring_exit(&ring);
	iou__fault_reset();
	assert_int_equal(t_count_maps(), maps);
	assert_int_equal(t_count_fds(), fds);
	t_check_exited(&ring);
}

/*
 * The poll thread goes idle and sets NEED_WAKEUP: the next submit must see
 * the flag (after a full fence) and enter with IORING_ENTER_SQ_WAKEUP, and
 * while the thread is awake, submit must not enter at all.
 */
static void test_fault_setup_sqpoll_wakeup_after_idle(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 10 };
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int i, woke = 0;

	(void)state;
	t_ring_init_params(&ring, 8, &p);
	for (i = 0; i < 3; i++) {
		/* Let the thread pass its 10 ms idle time and go to sleep. */
		int64_t deadline = t_now_ns() + 2000000000LL;

		while (!(*ring.sq.kflags & IORING_SQ_NEED_WAKEUP) &&
		       t_now_ns() < deadline)
			usleep(5000);
		assert_true(*ring.sq.kflags & IORING_SQ_NEED_WAKEUP);

		iou__fault_reset();
		t_nop(&ring, UD_NOP(100 + i));
		assert_int_equal(iou_submit(&ring), 1);
		assert_int_equal(iou__fault_calls(IOU_FAULT_ENTER), 1);
		assert_true(iou__fault_last_arg(IOU_FAULT_ENTER, 3) &
			    IORING_ENTER_SQ_WAKEUP);
		assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
		assert_int_equal(cqe->user_data, UD_NOP(100 + i));
		iou_cqe_seen(&ring, cqe);
		woke++;
	}
	assert_int_equal(woke, 3);

	/* Busy thread: submits in a quick burst need no enter at all. */
	p.sq_thread_idle = 2000;
	iou_ring_exit(&ring);
	t_ring_init_params(&ring, 8, &p);
	t_nop_roundtrip(&ring, UD_NOP(200));
	iou__fault_reset();
	t_nop(&ring, UD_NOP(201));
	assert_int_equal(iou_submit(&ring), 1);
	if (!(*ring.sq.kflags & IORING_SQ_NEED_WAKEUP))
		assert_int_equal(iou__fault_calls(IOU_FAULT_ENTER), 0);
	assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_NOP(201));
	iou_cqe_seen(&ring, cqe);
	iou__fault_reset();
	iou_ring_exit(&ring);
}

/* Wait for the poll thread to pass its idle time and go to sleep. */
static void sqpoll_wait_asleep(struct iou_ring *ring)
{
	int64_t deadline = t_now_ns() + 2000000000LL;

	while (!(*ring->sq.kflags & IORING_SQ_NEED_WAKEUP) &&
	       t_now_ns() < deadline)
		usleep(5000);
	assert_true(*ring->sq.kflags & IORING_SQ_NEED_WAKEUP);
}

/*
 * The enter that should wake the sleeping poll thread fails: the SQE is
 * published but nobody takes it.  The next call that may enter, a submit
 * with nothing new or a wait, must wake the thread; the SQE must not
 * wait for good.
 */
static void test_fault_setup_sqpoll_failed_wakeup_retried(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 10 };
	struct iou_timespec ts = { 2, 0 };
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int round;

	(void)state;
	t_ring_init_params(&ring, 8, &p);
	for (round = 0; round < 2; round++) {
		sqpoll_wait_asleep(&ring);
		iou__fault_reset();
		iou__fault_arm(IOU_FAULT_ENTER, 1, 1, IOU_FAULT_FAIL, -ENOMEM);
		t_nop(&ring, UD_NOP(300 + round));
		assert_int_equal(iou_submit(&ring), -ENOMEM);
		iou__fault_reset();
		usleep(20000);
		assert_true(*ring.sq.kflags & IORING_SQ_NEED_WAKEUP);
		assert_int_equal(iou_cq_ready(&ring), 0);
		if (round == 0) {
			/* A submit with nothing new of its own. */
			assert_int_equal(iou_submit(&ring), 0);
			assert_int_equal(iou__fault_calls(IOU_FAULT_ENTER), 1);
			assert_true(iou__fault_last_arg(IOU_FAULT_ENTER, 3) &
				    IORING_ENTER_SQ_WAKEUP);
		}
		/* round 1: the wait alone wakes it. */
		assert_int_equal(iou_wait_cqe_timeout(&ring, &cqe, &ts), 0);
		assert_int_equal(cqe->user_data, UD_NOP(300 + round));
		iou_cqe_seen(&ring, cqe);
	}
	iou_ring_exit(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_fault_setup_no_sqarray_fallback),
		T_TEST(test_fault_setup_mmap_failure_unwinds),
		T_TEST(test_fault_setup_exit_probe_mmap_fails_closes_fd),
		T_TEST(test_fault_setup_sqpoll_wakeup_after_idle),
		T_TEST(test_fault_setup_sqpoll_failed_wakeup_retried),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
