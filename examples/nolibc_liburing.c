/* SPDX-License-Identifier: MIT */
/*
 * nolibc_nop's NOP written against liburing's API: built with -nostdlib
 * -static, its own _start and libiou-liburing.a, to show that the
 * liburing layer needs no libc either.  Exits 0 when the NOP's CQE
 * arrives with the user_data it was sent with; 1 otherwise; 2 when
 * io_uring is refused (seccomp, qemu-user, kernel.io_uring_disabled).
 */
#include <liburing.h>

#include "sys/start.h"
#include "sys/syscall.h"

#define NOP_TAG 0x1005eedULL

static int nop_once(void)
{
	struct io_uring_cqe *cqe = 0;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int ok;

	if (io_uring_queue_init(4, &ring, 0))
		return 2;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, NOP_TAG);
	ok = io_uring_submit_and_wait(&ring, 1) == 1 &&
	     !io_uring_wait_cqe(&ring, &cqe) &&
	     io_uring_cqe_get_data64(cqe) == NOP_TAG && cqe->res == 0;
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	return ok ? 0 : 1;
}

__attribute__((used, noreturn)) void nolibc_main(long *sp)
{
	(void)sp;
	iou_syscall1(IOU_NR_exit_group, nop_once());
	__builtin_unreachable();
}

IOU_DEFINE_START(nolibc_main);
