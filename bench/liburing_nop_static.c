/* SPDX-License-Identifier: MIT */
/*
 * Size baseline: one NOP with liburing, linked statically with glibc, the
 * same job as examples/nolibc_nop.c (bench/run compares stripped sizes).
 * Exits 0 when the NOP's CQE comes back.
 */
#include <liburing.h>

int main(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int ok;

	if (io_uring_queue_init(4, &ring, 0))
		return 2;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 0x1005eed);
	ok = io_uring_submit_and_wait(&ring, 1) == 1 &&
	     !io_uring_wait_cqe(&ring, &cqe) && cqe->user_data == 0x1005eed &&
	     cqe->res == 0;
	io_uring_queue_exit(&ring);
	return ok ? 0 : 1;
}
