/* SPDX-License-Identifier: MIT */
/*
 * riscv64 system call ABI
 *
 *   number      a7
 *   arguments   a0, a1, a2, a3, a4, a5
 *   trap        ecall
 *   return      a0; -4095..-1 is -errno
 *   clobbers    memory only (the kernel preserves every other register)
 *
 * Syscall numbers are the asm-generic table, shared with aarch64.
 * Included only through sys/syscall.h.
 */
#ifndef IOU_SYS_RISCV64_SYSCALL_H
#define IOU_SYS_RISCV64_SYSCALL_H

#define IOU_ARCH_NAME "riscv64"
/* Linux on riscv64 uses 4 KiB base pages only. */
#define IOU_ARCH_PAGE_SIZE 4096UL

#include "../generic/nr.h"

static inline long iou_syscall0(long n)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0");

	__asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
	return a0;
}

static inline long iou_syscall1(long n, long a1)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a1;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
	return a0;
}

static inline long iou_syscall2(long n, long a1, long a2)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a1;
	register long r1 __asm__("a1") = a2;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(r1) : "memory");
	return a0;
}

static inline long iou_syscall3(long n, long a1, long a2, long a3)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a1;
	register long r1 __asm__("a1") = a2;
	register long r2 __asm__("a2") = a3;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(r1), "r"(r2)
			 : "memory");
	return a0;
}

static inline long iou_syscall4(long n, long a1, long a2, long a3, long a4)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a1;
	register long r1 __asm__("a1") = a2;
	register long r2 __asm__("a2") = a3;
	register long r3 __asm__("a3") = a4;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(r1), "r"(r2), "r"(r3)
			 : "memory");
	return a0;
}

static inline long iou_syscall5(long n, long a1, long a2, long a3, long a4,
				long a5)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a1;
	register long r1 __asm__("a1") = a2;
	register long r2 __asm__("a2") = a3;
	register long r3 __asm__("a3") = a4;
	register long r4 __asm__("a4") = a5;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(r1), "r"(r2), "r"(r3), "r"(r4)
			 : "memory");
	return a0;
}

static inline long iou_syscall6(long n, long a1, long a2, long a3, long a4,
				long a5, long a6)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a1;
	register long r1 __asm__("a1") = a2;
	register long r2 __asm__("a2") = a3;
	register long r3 __asm__("a3") = a4;
	register long r4 __asm__("a4") = a5;
	register long r5 __asm__("a5") = a6;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(r1), "r"(r2), "r"(r3), "r"(r4),
			   "r"(r5)
			 : "memory");
	return a0;
}

#endif
