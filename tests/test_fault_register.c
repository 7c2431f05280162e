/* SPDX-License-Identifier: MIT */
/*
 * Register calls whose system calls fail under them (fault hooks): a
 * ring resize whose mappings fail one by one.  The rest of registration:
 * test_register.c.
 */
#include "testutil.h"

#include <errno.h>
#include <string.h>

#include "fault.h"

/* What a resize asks for; the kernel writes back into it, so ask anew. */
static struct io_uring_params *resize_params(struct io_uring_params *p)
{
	memset(p, 0, sizeof(*p));
	p->sq_entries = 16;
	p->cq_entries = 64;
	p->flags = IORING_SETUP_CQSIZE;
	return p;
}

/*
 * Each mmap(2) the resize makes fails in turn.  They all come after the
 * kernel has switched to the new rings, which it cannot undo: the call
 * must say so with the mmap's error, unmap exactly what it mapped (the
 * new rings mapped so far, and the old ones, now dead) and nothing else,
 * close the ring, and leave it exited.  The struct then takes a new ring.
 */
static void test_fault_register_resize_rings_mmap_failure(void **state)
{
	const unsigned flags = IORING_SETUP_SINGLE_ISSUER |
			       IORING_SETUP_DEFER_TASKRUN;
	unsigned long ring_maps, resize_maps, nth;
	struct io_uring_params p;
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int fds, maps, ret;

	(void)state;
	if (iou_available())
		t_skip("io_uring unavailable");
	fds = t_count_fds();
	maps = t_count_maps();

	/* How many mappings a ring has, and how many a resize makes. */
	iou__fault_reset();
	t_ring_init(&ring, 4, flags);
	ring_maps = iou__fault_calls(IOU_FAULT_MMAP);
	iou__fault_reset();
	ret = iou_resize_rings(&ring, resize_params(&p));
	if ((ret == -EINVAL || ret == -EOPNOTSUPP) &&
	    !t_kernel_at_least(6, 13)) {
		iou_ring_exit(&ring);
		t_skip("kernel lacks IORING_REGISTER_RESIZE_RINGS (%d; needs "
		       "Linux 6.13)", ret);
	}
	assert_int_equal(ret, 0);
	resize_maps = iou__fault_calls(IOU_FAULT_MMAP);
	assert_true(resize_maps >= 2);
	/* The old rings, all of them, and nothing else. */
	assert_int_equal(iou__fault_calls(IOU_FAULT_MUNMAP), ring_maps);
	t_nop_roundtrip(&ring, UD_NOP(1));
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), fds);
	assert_int_equal(t_count_maps(), maps);

	for (nth = 1; nth <= resize_maps; nth++) {
		t_ring_init(&ring, 4, flags);
		/* A completion waiting and an SQE queued across the resize. */
		t_nop(&ring, UD_NOP(2));
		assert_int_equal(iou_submit_and_wait(&ring, 1), 1);
		t_nop(&ring, UD_NOP(3));
		iou__fault_reset();
		iou__fault_arm(IOU_FAULT_MMAP, (unsigned)nth, 1, IOU_FAULT_FAIL,
			       -ENOMEM);
		assert_int_equal(iou_resize_rings(&ring, resize_params(&p)),
				 -ENOMEM);
		assert_int_equal(iou__fault_calls(IOU_FAULT_MMAP), nth);
		assert_int_equal(iou__fault_calls(IOU_FAULT_MUNMAP),
				 nth - 1 + ring_maps);
		iou__fault_reset();
		assert_int_equal(t_count_fds(), fds);
		assert_int_equal(t_count_maps(), maps);
		/* Exited: every call fails cleanly, exit again is harmless. */
		assert_null(iou_get_sqe(&ring));
		assert_int_equal(iou_submit(&ring), -EBADF);
		assert_int_equal(iou_peek_cqe(&ring, &cqe), -EBADF);
		assert_int_equal(iou_wait_cqe(&ring, &cqe), -EBADF);
		assert_int_equal(iou_resize_rings(&ring, resize_params(&p)),
				 -EBADF);
		iou_ring_exit(&ring);
		assert_int_equal(t_count_fds(), fds);
		assert_int_equal(t_count_maps(), maps);
		/* The same struct takes a new ring, which works. */
		t_ring_init(&ring, 4, flags);
		t_nop_roundtrip(&ring, UD_NOP(4));
		iou_ring_exit(&ring);
		assert_int_equal(t_count_fds(), fds);
		assert_int_equal(t_count_maps(), maps);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_fault_register_resize_rings_mmap_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
