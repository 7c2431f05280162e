/* SPDX-License-Identifier: MIT */
/*
 * One NOP through io_uring in a program with no libc at all: built with
 * -nostdlib -static, its own _start, and libiou.a.  Exits 0 when the NOP's
 * CQE arrives with the user_data it was sent with; 1 otherwise; 2 when
 * io_uring is refused (seccomp, qemu-user, kernel.io_uring_disabled).
 */
#include <iou/ring.h>

#include "sys/start.h"
#include "sys/syscall.h"

#define NOP_TAG 0x1005eedULL

static int nop_once(void)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int ok;

	if (iou_ring_init(&ring, 4, 0))
		return 2;
	sqe = iou_get_sqe(&ring);
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = NOP_TAG;
	ok = iou_submit_and_wait(&ring, 1) == 1 && !iou_wait_cqe(&ring, &cqe) &&
	     cqe->user_data == NOP_TAG && cqe->res == 0;
	iou_ring_exit(&ring);
	return ok ? 0 : 1;
}

__attribute__((used, noreturn)) void nolibc_main(long *sp)
{
	(void)sp;
	iou_syscall1(IOU_NR_exit_group, nop_once());
	__builtin_unreachable();
}

IOU_DEFINE_START(nolibc_main);
