/* SPDX-License-Identifier: MIT */
/*
 * x86_64 system call ABI
 *
 *   number      rax
 *   arguments   rdi, rsi, rdx, r10, r8, r9   (r10, not rcx: `syscall`
 *               itself overwrites rcx with the return address)
 *   trap        syscall
 *   return      rax; -4095..-1 is -errno
 *   clobbers    rcx (return rip), r11 (saved rflags), memory
 *
 * Included only through sys/syscall.h.
 */
#ifndef IOU_SYS_X86_64_SYSCALL_H
#define IOU_SYS_X86_64_SYSCALL_H

#define IOU_ARCH_NAME "x86_64"
/* The only page size x86_64 Linux has. */
#define IOU_ARCH_PAGE_SIZE 4096UL

#define IOU_NR_read		0
#define IOU_NR_write		1
#define IOU_NR_close		3
#define IOU_NR_mmap		9
#define IOU_NR_mprotect		10
#define IOU_NR_munmap		11
#define IOU_NR_rt_sigaction	13
#define IOU_NR_rt_sigprocmask	14
#define IOU_NR_pread64		17
#define IOU_NR_pwrite64		18
#define IOU_NR_readv		19
#define IOU_NR_writev		20
#define IOU_NR_madvise		28
#define IOU_NR_getpid		39
#define IOU_NR_socket		41
#define IOU_NR_connect		42
#define IOU_NR_sendto		44
#define IOU_NR_recvfrom		45
#define IOU_NR_sendmsg		46
#define IOU_NR_recvmsg		47
#define IOU_NR_shutdown		48
#define IOU_NR_bind		49
#define IOU_NR_listen		50
#define IOU_NR_getsockname	51
#define IOU_NR_getpeername	52
#define IOU_NR_setsockopt	54
#define IOU_NR_getsockopt	55
#define IOU_NR_fcntl		72
#define IOU_NR_fsync		74
#define IOU_NR_sigaltstack	131
#define IOU_NR_gettid		186
#define IOU_NR_clock_gettime	228
#define IOU_NR_exit_group	231
#define IOU_NR_epoll_ctl	233
#define IOU_NR_tgkill		234
#define IOU_NR_openat		257
#define IOU_NR_splice		275
#define IOU_NR_epoll_pwait	281
#define IOU_NR_accept4		288
#define IOU_NR_signalfd4	289
#define IOU_NR_eventfd2		290
#define IOU_NR_epoll_create1	291
#define IOU_NR_prlimit64	302
#define IOU_NR_statx		332
#define IOU_NR_mremap		25
#define IOU_NR_preadv		295
#define IOU_NR_pwritev		296
#define IOU_NR_fdatasync	75
#define IOU_NR_ppoll		271
#define IOU_NR_io_uring_setup	425
#define IOU_NR_io_uring_enter	426
#define IOU_NR_io_uring_register 427

static inline long iou_syscall0(long n)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long iou_syscall1(long n, long a1)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long iou_syscall2(long n, long a1, long a2)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long iou_syscall3(long n, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long iou_syscall4(long n, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a4;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long iou_syscall5(long n, long a1, long a2, long a3, long a4,
				long a5)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long iou_syscall6(long n, long a1, long a2, long a3, long a4,
				long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
