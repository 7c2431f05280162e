/* SPDX-License-Identifier: MIT */
/*
 * One NOP through an installed iou, built by tests/consumer/CMakeLists.txt
 * (find_package) and by `cc main.c $(pkg-config --cflags --libs iou)`.
 * Exits 0 when the NOP completes, or when io_uring is refused here (says
 * so on stdout); 1 otherwise.
 */
#include <iou/iou.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define NOP_TAG 0xc0de0001ULL

int main(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int ret;

	ret = iou_ring_init(&ring, 4, 0);
	if (ret == -ENOSYS || ret == -EPERM) {
		printf("consumer: io_uring refused here (%s): nothing to test\n",
		       strerror(-ret));
		return 0;
	}
	if (ret) {
		printf("consumer: iou_ring_init: %s\n", strerror(-ret));
		return 1;
	}

	sqe = iou_get_sqe(&ring);
	if (!sqe) {
		printf("consumer: no SQE in a fresh ring\n");
		iou_ring_exit(&ring);
		return 1;
	}
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = NOP_TAG;
	ret = iou_submit_and_wait(&ring, 1);
	if (ret != 1) {
		printf("consumer: iou_submit_and_wait: %d (%s)\n", ret,
		       ret < 0 ? strerror(-ret) : "not 1");
		iou_ring_exit(&ring);
		return 1;
	}
	ret = iou_wait_cqe(&ring, &cqe);
	if (ret) {
		printf("consumer: iou_wait_cqe: %s\n", strerror(-ret));
		iou_ring_exit(&ring);
		return 1;
	}
	printf("consumer: NOP completed: res %d, user_data 0x%llx\n", cqe->res,
	       (unsigned long long)cqe->user_data);
	ret = cqe->res == 0 && cqe->user_data == NOP_TAG ? 0 : 1;
	iou_cqe_seen(&ring, cqe);
	iou_ring_exit(&ring);
	return ret;
}
