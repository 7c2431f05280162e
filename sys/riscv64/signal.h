/* SPDX-License-Identifier: MIT */
/*
 * riscv64 signal return: the kernel has no SA_RESTORER here (its struct
 * sigaction has no restorer field) and always returns a handler through
 * the vDSO's rt_sigreturn trampoline.  Nothing to emit.
 * Included only through sys/signal.h.
 */
#ifndef IOU_SYS_RISCV64_SIGNAL_H
#define IOU_SYS_RISCV64_SIGNAL_H

#define IOU_SIGNAL_ASM ""

#endif
