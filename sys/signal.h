/* SPDX-License-Identifier: MIT */
/*
 * The kernel's signal ABI, as rt_sigaction(2) and sigaltstack(2) see it
 * (not libc's structs, which differ).  The signal numbers, flags and
 * layouts below are the same on every architecture iou knows; what
 * differs is whether struct sigaction carries a restorer, given by
 * sys/<arch>/signal.h:
 *
 *   IOU_SA_RESTORER    the flag, defined where the kernel has it; then
 *                      IOU_SIGNAL_ASM emits iou__sigreturn, the
 *                      trampoline a handler returns into (it makes the
 *                      rt_sigreturn syscall).  x86_64 requires one: a
 *                      64-bit handler without SA_RESTORER is not
 *                      delivered, the task gets SIGSEGV instead.
 *                      Without the flag (riscv64) the kernel returns
 *                      through the vDSO's trampoline.
 */
#ifndef IOU_SYS_SIGNAL_H
#define IOU_SYS_SIGNAL_H

#include <stddef.h>

#if defined(__x86_64__)
#include "x86_64/signal.h"
#elif defined(__aarch64__)
#include "aarch64/signal.h"
#elif defined(__riscv) && __riscv_xlen == 64
#include "riscv64/signal.h"
#else
#error "iou: unsupported architecture"
#endif

#define IOU_SIGBUS 7
#define IOU_SIGSEGV 11

#define IOU_SIG_DFL ((void *)0)
#define IOU_SIG_IGN ((void *)1)

#define IOU_SA_SIGINFO 0x00000004UL
#define IOU_SA_ONSTACK 0x08000000UL
#define IOU_SA_RESTART 0x10000000UL

#define IOU_SS_ONSTACK 1
#define IOU_SS_DISABLE 2

/* si_code above 0: the kernel raised it (a fault); 0 or below: a process. */
#define IOU_SI_FROM_KERNEL(code) ((code) > 0)

/* struct sigaction of the kernel; the mask is 64 signals on 64-bit. */
struct iou_ksigaction {
	void *handler;	/* IOU_SIG_DFL, IOU_SIG_IGN or a function */
	unsigned long flags;
#ifdef IOU_SA_RESTORER
	void (*restorer)(void);
#endif
	unsigned long mask;
};

/* stack_t */
struct iou_kstack {
	void *sp;
	int flags;
	size_t size;
};

/* The head of siginfo_t: what a SIGSEGV/SIGBUS handler reads. */
struct iou_ksiginfo {
	int signo;
	int err;
	int code;
	int pad;	/* the union is 8-byte aligned on 64-bit */
	void *addr;	/* the faulting address */
};

#endif
