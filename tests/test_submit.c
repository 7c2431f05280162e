/* SPDX-License-Identifier: MIT */
/*
 * Submission: SQE hand-out, all-or-nothing chains, timed waits, raw
 * SQEs.  Short and failed enters, and the count of enters a submit makes:
 * test_fault_submit.c.
 */
#include "testutil.h"
#include <iou/prep.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

static void test_submit_sqe_zeroed(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct io_uring_sqe *sqe;
	unsigned i, round;
	const unsigned char *b;

	/* Dirty every slot, submit, then check the reused slots are clean. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < ring->sq.entries; i++) {
			sqe = iou_get_sqe(ring);
			assert_non_null(sqe);
			b = (const unsigned char *)sqe;
			for (unsigned j = 0; j < sizeof(*sqe); j++)
				assert_int_equal(b[j], 0);
			memset(sqe, 0xa5, sizeof(*sqe));
			sqe->opcode = IORING_OP_NOP;
			sqe->flags = 0;
			sqe->user_data = UD_NOP(i);
			sqe->nop_flags = 0;
			sqe->ioprio = 0;
			sqe->fd = -1;
			sqe->off = 0;
			sqe->addr = 0;
			sqe->len = 0;
			sqe->buf_index = 0;
			sqe->personality = 0;
			sqe->file_index = 0;
			sqe->addr3 = 0;
			sqe->__pad2[0] = 0;
		}
		assert_int_equal(iou_submit(ring), (int)ring->sq.entries);
		assert_int_equal(t_drain(ring, NULL), ring->sq.entries);
	}
}

static void test_submit_full_sq(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	unsigned i;

	assert_int_equal(iou_sq_space_left(ring), 8);
	for (i = 0; i < 8; i++)
		t_nop(ring, UD_NOP(i));
	assert_int_equal(iou_sq_ready(ring), 8);
	assert_int_equal(iou_sq_space_left(ring), 0);
	assert_null(iou_get_sqe(ring));
	assert_int_equal(iou_submit(ring), 8);
	assert_int_equal(iou_sq_space_left(ring), 8);
	assert_int_equal(t_drain(ring, NULL), 8);
}

/* A chain is handed out whole or not at all. */
static void test_submit_reserve_all_or_nothing(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct io_uring_sqe *sqes[8] = { 0 };
	unsigned tail, i;

	for (i = 0; i < 6; i++)
		t_nop(ring, UD_NOP(i));
	tail = ring->sq.sqe_tail;
	/* 2 free, 3 asked: nothing is taken. */
	assert_int_equal(iou_reserve(ring, 3, sqes), -EBUSY);
	assert_int_equal(ring->sq.sqe_tail, tail);
	assert_null(sqes[0]);
	assert_int_equal(iou_sq_space_left(ring), 2);
	/* 2 free, 2 asked: both, contiguous and zeroed. */
	assert_int_equal(iou_reserve(ring, 2, sqes), 0);
	assert_non_null(sqes[0]);
	assert_non_null(sqes[1]);
	for (i = 0; i < 2; i++) {
		sqes[i]->opcode = IORING_OP_NOP;
		sqes[i]->user_data = UD_NOP(6 + i);
	}
	sqes[0]->flags = IOSQE_IO_LINK;
	assert_int_equal(iou_reserve(ring, 1, sqes + 2), -EBUSY);
	assert_int_equal(iou_submit(ring), 8);
	assert_int_equal(t_drain(ring, NULL), 8);
	/* Impossible sizes. */
	assert_int_equal(iou_reserve(ring, 0, sqes), -EINVAL);
	assert_int_equal(iou_reserve(ring, 9, sqes), -EINVAL);
	assert_int_equal(iou_reserve(ring, 8, sqes), 0);
	assert_int_equal(iou_submit(ring), 8);
	assert_int_equal(t_drain(ring, NULL), 8);
}

static void test_submit_and_wait_timeout_expires(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct iou_timespec ts = { 0, 20 * 1000 * 1000 };
	struct io_uring_cqe *cqe = (void *)1;
	int64_t t0 = t_now_ns();

	/* Nothing submitted, so nothing can complete: the timeout fires. */
	assert_int_equal(iou_submit_and_wait_timeout(ring, &cqe, 1, &ts, 0),
			 -ETIME);
	assert_null(cqe);
	assert_true(t_now_ns() - t0 >= 19 * 1000 * 1000);
	assert_true(t_now_ns() - t0 < 2000LL * 1000 * 1000);
	/* No timeout SQE was used. */
	assert_int_equal(iou_sq_ready(ring), 0);
	assert_int_equal(iou_cq_ready(ring), 0);
}

static void test_submit_and_wait_timeout_completes(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct iou_timespec ts = { 1, 0 };
	struct io_uring_cqe *cqe;
	unsigned i;

	for (i = 0; i < 4; i++)
		t_nop(ring, UD_NOP(i));
	assert_int_equal(iou_submit_and_wait_timeout(ring, &cqe, 4, &ts, 0), 4);
	assert_non_null(cqe);
	assert_int_equal(cqe->user_data, UD_NOP(0));
	assert_int_equal(t_drain(ring, NULL), 4);
}

static void test_submit_min_wait(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct iou_timespec ts = { 1, 0 };
	struct io_uring_cqe *cqe;
	int64_t t0 = t_now_ns();
	int ret;

	t_nop(ring, UD_NOP(1));
	/* Wait up to 10 ms for 2; after that one is enough. */
	ret = iou_submit_and_wait_timeout(ring, &cqe, 2, &ts, 10000);
	if (!(ring->features & IORING_FEAT_MIN_TIMEOUT)) {
		assert_int_equal(ret, -EINVAL);
		assert_int_equal(iou_submit(ring), 1);
		t_drain(ring, NULL);
		t_missing(6, 12, "IORING_FEAT_MIN_TIMEOUT");
	}
	assert_int_equal(ret, 1);
	assert_non_null(cqe);
	assert_int_equal(cqe->user_data, UD_NOP(1));
	/* Settled after the minimum wait, long before the 1 s timeout. */
	assert_true(t_now_ns() - t0 >= 9 * 1000 * 1000);
	assert_true(t_now_ns() - t0 < 500 * 1000 * 1000);
	assert_int_equal(t_drain(ring, NULL), 1);
}

/*
 * min_wait with no timeout means "wait for good": when the minimum wait
 * passes with nothing posted, the kernel ends the whole wait with -ETIME
 * unless it also has a timeout, and the caller must not see that.
 */
static void test_submit_min_wait_forever(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct iou_timespec later = { 0, 60 * 1000 * 1000 };
	struct io_uring_cqe *cqe = NULL;
	struct io_uring_sqe *sqe;
	int64_t t0 = t_now_ns();
	int ret;

	if (!(ring->features & IORING_FEAT_MIN_TIMEOUT))
		t_missing(6, 12, "IORING_FEAT_MIN_TIMEOUT");
	/* The one CQE to come: a timeout SQE firing after 60 ms. */
	sqe = iou_get_sqe(ring);
	assert_non_null(sqe);
	iou_prep_timeout(sqe, &later, 0, 0);
	sqe->user_data = UD_NOP(5);
	/* 2 wanted within 1 ms, then 1 is enough; no timeout. */
	ret = iou_submit_and_wait_timeout(ring, &cqe, 2, NULL, 1000);
	assert_int_equal(ret, 1);
	assert_non_null(cqe);
	assert_int_equal(cqe->user_data, UD_NOP(5));
	assert_int_equal(cqe->res, -ETIME);
	assert_true(t_now_ns() - t0 >= 55 * 1000 * 1000);
	assert_int_equal(t_drain(ring, NULL), 1);
}

static void test_submit_raw_sqe(void **state)
{
	struct iou_ring *ring = t_group_ring(state);
	struct io_uring_sqe raw;
	struct io_uring_cqe *cqe;
	unsigned i;

	memset(&raw, 0, sizeof(raw));
	raw.opcode = IORING_OP_NOP;
	raw.user_data = UD_NOP(77);
	assert_int_equal(iou_queue_raw_sqe(ring, &raw, 63), -EINVAL);
	assert_int_equal(iou_queue_raw_sqe(ring, &raw, 128), -EINVAL);
	assert_int_equal(iou_queue_raw_sqe(ring, NULL, 64), -EINVAL);
	for (i = 0; i < 8; i++)
		assert_int_equal(iou_queue_raw_sqe(ring, &raw, sizeof(raw)), 0);
	assert_int_equal(iou_queue_raw_sqe(ring, &raw, sizeof(raw)), -EBUSY);
	assert_int_equal(iou_submit(ring), 8);
	assert_int_equal(iou_wait_cqe(ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_NOP(77));
	assert_int_equal(t_drain(ring, NULL), 8);

	/* Garbage bytes: the kernel rejects them in a CQE, nothing breaks. */
	memset(&raw, 0xff, sizeof(raw));
	raw.user_data = UD_NOP(78);
	assert_int_equal(iou_queue_raw_sqe(ring, &raw, sizeof(raw)), 0);
	assert_int_equal(iou_submit(ring), 1);
	assert_int_equal(iou_wait_cqe(ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_NOP(78));
	assert_true(cqe->res < 0);
	iou_cqe_seen(ring, cqe);
}

static void test_submit_raw_enter(void **state)
{
	struct iou_ring *ring = t_group_ring(state);

	t_nop(ring, UD_NOP(5));
	/* Publish by hand through iou_submit's rules, then enter raw. */
	ring->sq.sqe_head = ring->sq.sqe_tail;
	iou_store_release(ring->sq.ktail, ring->sq.sqe_tail);
	assert_int_equal(iou_enter(ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0),
			 1);
	assert_int_equal(t_drain(ring, NULL), 1);
	assert_int_equal(iou_enter(ring, 0, 0, 1U << 30, NULL, 0), -EINVAL);
}

/*
 * iou_submit_and_get_events() enters even with nothing to submit: on a
 * DEFER_TASKRUN ring a read that the pipe completed later is posted only
 * then, where iou_submit() would not enter at all.
 */
static void test_submit_and_get_events(void **state)
{
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	char c = 'x', got = 0;
	int p[2], i;

	(void)state;
	t_ring_init(&ring, 8, IORING_SETUP_SINGLE_ISSUER |
				      IORING_SETUP_DEFER_TASKRUN);
	t_nop(&ring, UD_NOP(1));
	assert_int_equal(iou_submit_and_get_events(&ring), 1);
	assert_int_equal(t_drain(&ring, NULL), 1);
	assert_int_equal(pipe(p), 0);
	sqe = iou_get_sqe(&ring);
	iou_prep_read(sqe, p[0], &got, 1, 0);
	sqe->user_data = UD_NOP(2);
	assert_int_equal(iou_submit_and_get_events(&ring), 1);
	assert_int_equal(iou_cq_ready(&ring), 0);
	assert_int_equal(write(p[1], &c, 1), 1);
	usleep(10 * 1000);
	assert_int_equal(iou_submit(&ring), 0);
	assert_int_equal(iou_cq_ready(&ring), 0);
	/*
	 * The read may finish in an io-wq worker that has not run yet (a
	 * slow VM), and 6.1 may need one call for the poll's wake-up and one
	 * for the read's completion: call again for up to two seconds.
	 */
	for (i = 0; i < 200; i++) {
		assert_int_equal(iou_submit_and_get_events(&ring), 0);
		if (iou_cq_ready(&ring))
			break;
		usleep(10 * 1000);
	}
	assert_int_equal(iou_cq_ready(&ring), 1);
	assert_int_equal(t_drain(&ring, NULL), 1);
	assert_int_equal(got, 'x');
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
	assert_int_equal(iou_submit_and_get_events(&ring), -EBADF);
}

/* iou_sq_flush() publishes without entering; iou_enter() takes it on. */
static void test_submit_sq_flush_then_enter(void **state)
{
	struct iou_ring ring;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_nop(&ring, UD_NOP(1));
	t_nop(&ring, UD_NOP(2));
	assert_int_equal(*ring.sq.ktail, 0);
	assert_int_equal(iou_sq_flush(&ring), 2);
	assert_int_equal(*ring.sq.ktail, 2);
	/* Nothing new: still two to consume, no second store. */
	assert_int_equal(iou_sq_flush(&ring), 2);
	assert_int_equal(iou_cq_ready(&ring), 0);
	assert_int_equal(iou_enter(&ring, 2, 2, IORING_ENTER_GETEVENTS, NULL,
				   0), 2);
	assert_int_equal(t_drain(&ring, NULL), 2);
	assert_int_equal(iou_sq_flush(&ring), 0);
	iou_ring_exit(&ring);
	assert_int_equal(iou_sq_flush(&ring), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit_sqe_zeroed),
		cmocka_unit_test(test_submit_full_sq),
		cmocka_unit_test(test_submit_reserve_all_or_nothing),
		cmocka_unit_test(test_submit_and_wait_timeout_expires),
		cmocka_unit_test(test_submit_and_wait_timeout_completes),
		cmocka_unit_test(test_submit_min_wait),
		cmocka_unit_test(test_submit_min_wait_forever),
		cmocka_unit_test(test_submit_raw_sqe),
		cmocka_unit_test(test_submit_raw_enter),
		cmocka_unit_test(test_submit_and_get_events),
		cmocka_unit_test(test_submit_sq_flush_then_enter),
	};

	return cmocka_run_group_tests(tests, t_ring_group_setup,
				      t_ring_group_teardown);
}
