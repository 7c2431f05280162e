/* SPDX-License-Identifier: MIT */
/*
 * Submission with io_uring_enter counted and scripted (fault hooks): one
 * enter (and one tail store) per submit, none with nothing pending; a
 * kernel that consumes fewer SQEs than offered, or answers -EBUSY,
 * -EAGAIN or -EINTR: nothing lost, nothing sent twice, deadlines kept.
 * The rest of submission: test_submit.c.
 */
#include "testutil.h"

#include <errno.h>

#include "fault.h"

/* Nothing is visible to the kernel until submit; then one tail store. */
static void test_fault_submit_single_tail_store(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	unsigned before = *ring->sq.ktail;
	unsigned i;

	for (i = 0; i < 5; i++) {
		t_nop(ring, UD_NOP(i));
		assert_int_equal(*ring->sq.ktail, before);
	}
	assert_int_equal(iou_submit(ring), 5);
	assert_int_equal(*ring->sq.ktail, before + 5);
	assert_int_equal(iou__fault_calls(IOU_FAULT_ENTER), 1);
	assert_int_equal(iou__fault_last_arg(IOU_FAULT_ENTER, 1), 5);
	assert_int_equal(t_drain(ring, NULL), 5);
	/* Nothing pending: submit does not enter the kernel. */
	assert_int_equal(iou_submit(ring), 0);
	assert_int_equal(iou__fault_calls(IOU_FAULT_ENTER), 1);
}

/*
 * The kernel consumes fewer SQEs than offered: the rest stay in the ring
 * and go with the next submit, each exactly once.
 */
static void test_fault_submit_partial(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct t_seen seen;
	unsigned i;

	t_seen_init(&seen, 6);
	for (i = 0; i < 6; i++)
		t_nop(ring, UD_NOP(i));
	iou__fault_arm(IOU_FAULT_ENTER, 1, 2, IOU_FAULT_SHORT, 2);
	assert_int_equal(iou_submit(ring), 2);
	assert_int_equal(iou_sq_ready(ring), 4);
	assert_int_equal(iou_submit(ring), 2);
	assert_int_equal(iou_sq_ready(ring), 2);
	/* The third enter offers the two left, and only those. */
	assert_int_equal(iou_submit(ring), 2);
	assert_int_equal(iou__fault_last_arg(IOU_FAULT_ENTER, 1), 2);
	assert_int_equal(iou_sq_ready(ring), 0);
	assert_int_equal(t_drain(ring, &seen), 6);
	assert_int_equal(seen.count, 6);
	assert_int_equal(seen.dups, 0);
	t_seen_free(&seen);
}

/* -EBUSY/-EAGAIN from enter: the SQEs stay queued, nothing is lost. */
static void test_fault_submit_busy_keeps_sqes(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct t_seen seen;
	int err[2] = { -EBUSY, -EAGAIN };
	unsigned i, k;

	for (k = 0; k < 2; k++) {
		t_seen_init(&seen, 4);
		for (i = 0; i < 4; i++)
			t_nop(ring, UD_NOP(i));
		iou__fault_reset();
		iou__fault_arm(IOU_FAULT_ENTER, 1, 1, IOU_FAULT_FAIL, err[k]);
		assert_int_equal(iou_submit(ring), err[k]);
		assert_int_equal(iou_sq_ready(ring), 4);
		/* Reap, then retry: all four arrive once. */
		assert_int_equal(t_drain(ring, &seen), 0);
		assert_int_equal(iou_submit(ring), 4);
		assert_int_equal(t_drain(ring, &seen), 4);
		assert_int_equal(seen.dups, 0);
		t_seen_free(&seen);
	}
}

/* A signal during the wait of submit_and_wait: retried, nothing lost. */
static void test_fault_submit_and_wait_eintr(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct t_seen seen;
	unsigned i;

	t_seen_init(&seen, 3);
	for (i = 0; i < 3; i++)
		t_nop(ring, UD_NOP(i));
	iou__fault_arm(IOU_FAULT_ENTER, 1, 2, IOU_FAULT_FAIL, -EINTR);
	assert_int_equal(iou_submit_and_wait(ring, 3), 3);
	assert_int_equal(iou__fault_calls(IOU_FAULT_ENTER), 3);
	assert_true(iou_cq_ready(ring) >= 3);
	assert_int_equal(t_drain(ring, &seen), 3);
	assert_int_equal(seen.dups, 0);
	t_seen_free(&seen);
	/* Plain submit does not promise to block: -EINTR is the caller's. */
	t_nop(ring, UD_NOP(9));
	iou__fault_arm(IOU_FAULT_ENTER, 1, 1, IOU_FAULT_FAIL, -EINTR);
	assert_int_equal(iou_submit(ring), -EINTR);
	assert_int_equal(iou_submit(ring), 1);
	assert_int_equal(t_drain(ring, NULL), 1);
}

/* A timed wait interrupted by a signal goes on with the time left. */
static void test_fault_submit_timeout_eintr_keeps_deadline(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct iou_timespec ts = { 0, 30 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	int64_t t0 = t_now_ns();

	iou__fault_arm(IOU_FAULT_ENTER, 1, 1, IOU_FAULT_FAIL, -EINTR);
	assert_int_equal(iou_wait_cqe_timeout(ring, &cqe, &ts), -ETIME);
	assert_true(iou__fault_calls(IOU_FAULT_ENTER) >= 2);
	assert_true(t_now_ns() - t0 >= 25 * 1000 * 1000);
	assert_true(t_now_ns() - t0 < 1000LL * 1000 * 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_fault_submit_single_tail_store),
		T_TEST(test_fault_submit_partial),
		T_TEST(test_fault_submit_busy_keeps_sqes),
		T_TEST(test_fault_submit_and_wait_eintr),
		T_TEST(test_fault_submit_timeout_eintr_keeps_deadline),
	};

	return cmocka_run_group_tests(tests, t_ring_group_setup,
				      t_ring_group_teardown);
}
