/* SPDX-License-Identifier: MIT */
/*
 * The liburing half of nop-turns: the NOP loop of liburing-nop, one slice
 * at a time.  A file of its own so that liburing's headers and iou's never
 * meet in one translation unit.
 */
#include <liburing.h>

#include <time.h>

#include "nop_turns.h"

static struct io_uring ring;

int lu_open(unsigned entries, unsigned flags, int regfd)
{
	int ret = io_uring_queue_init(entries, &ring, flags);

	if (ret)
		return ret;
	if (regfd && io_uring_register_ring_fd(&ring) != 1) {
		io_uring_queue_exit(&ring);
		return -1;
	}
	return 0;
}

__attribute__((noinline)) int lu_slice(unsigned batch, long ops)
{
	struct io_uring_cqe *cqe;
	unsigned i, head, n;
	long done = 0;
	int ret;

	while (done < ops) {
		for (i = 0; i < batch; i++)
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret < 0)
			return ret;
		n = 0;
		io_uring_for_each_cqe(&ring, head, cqe)
			n++;
		io_uring_cq_advance(&ring, n);
		done += n;
	}
	return 0;
}

void lu_close(void)
{
	io_uring_queue_exit(&ring);
}
