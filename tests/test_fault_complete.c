/* SPDX-License-Identifier: MIT */
/*
 * Waiting for completions while the kernel's answers are scripted (fault
 * hooks): -EINTR, -EBUSY and -EAGAIN are reaped through and retried, a
 * kernel that never stops answering -EBUSY is passed on.  The rest of
 * completion: test_complete.c.
 */
#include "testutil.h"

#include <errno.h>

#include "fault.h"

/* -EINTR and -EBUSY/-EAGAIN from the kernel while waiting: reap, retry. */
static void test_fault_complete_wait_retries(void **state)
{
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int err[3] = { -EINTR, -EBUSY, -EAGAIN };
	unsigned k;

	(void)state;
	t_ring_init(&ring, 4, 0);
	for (k = 0; k < 3; k++) {
		iou__fault_reset();
		/* The submit-and-wait enter fails; the SQE is still queued. */
		t_nop(&ring, UD_NOP(k));
		iou__fault_arm(IOU_FAULT_ENTER, 1, 1, IOU_FAULT_FAIL, err[k]);
		assert_int_equal(iou_submit_and_wait_timeout(&ring, &cqe, 1,
							     NULL, 0),
				 1);
		assert_int_equal(iou__fault_calls(IOU_FAULT_ENTER), 2);
		assert_int_equal(cqe->user_data, UD_NOP(k));
		iou_cqe_seen(&ring, cqe);
	}
	/* A kernel that never stops saying -EBUSY: passed on, no hang. */
	iou__fault_reset();
	iou__fault_arm(IOU_FAULT_ENTER, 1, 1000, IOU_FAULT_FAIL, -EBUSY);
	assert_int_equal(iou_wait_cqe(&ring, &cqe), -EBUSY);
	iou__fault_reset();
	iou_ring_exit(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_fault_complete_wait_retries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
