/* SPDX-License-Identifier: MIT */
/*
 * A liburing program, unchanged, built against an installed iou: by
 * tests/consumer/CMakeLists.txt (iou::liburing) and by
 * `cc liburing.c $(pkg-config --cflags --libs iou-liburing)`.  One NOP.
 * Exits 0 when it completes, or when io_uring is refused here (says so on
 * stdout); 1 otherwise.
 */
#include <liburing.h>

#include <stdio.h>

int main(void)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret;

	ret = io_uring_queue_init(4, &ring, 0);
	if (ret == -ENOSYS || ret == -EPERM) {
		printf("liburing consumer: io_uring refused here (%s)\n",
		       strerror(-ret));
		return 0;
	}
	if (ret) {
		printf("liburing consumer: io_uring_queue_init: %s\n",
		       strerror(-ret));
		return 1;
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 42);
	ret = io_uring_submit_and_wait(&ring, 1);
	if (ret == 1)
		ret = io_uring_wait_cqe(&ring, &cqe);
	if (ret < 0 || cqe->res != 0 || cqe->user_data != 42) {
		printf("liburing consumer: the NOP did not come back (%d)\n",
		       ret);
		return 1;
	}
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	printf("liburing consumer: NOP completed (liburing API %d.%d on iou)\n",
	       IO_URING_VERSION_MAJOR, IO_URING_VERSION_MINOR);
	return 0;
}
