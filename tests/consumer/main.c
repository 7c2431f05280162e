/* SPDX-License-Identifier: MIT */
/* One NOP through an installed iou: exits 0 on success, or when io_uring
 * is refused here (said so on stdout). */
#include <iou/iou.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int ret = iou_ring_init(&ring, 4, 0);

	if (ret == -38 || ret == -1) {
		printf("consumer: io_uring refused here (%s)\n", strerror(-ret));
		return 0;
	}
	if (ret) {
		printf("consumer: iou_ring_init: %s\n", strerror(-ret));
		return 1;
	}
	iou_prep_nop(iou_get_sqe(&ring));
	ret = iou_submit_and_wait(&ring, 1);
	if (ret != 1 || iou_wait_cqe(&ring, &cqe) || cqe->res != 0) {
		printf("consumer: NOP failed (%d)\n", ret);
		return 1;
	}
	iou_cqe_seen(&ring, cqe);
	iou_ring_exit(&ring);
	printf("consumer: one NOP through the installed iou\n");
	return 0;
}
