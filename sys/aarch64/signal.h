/* SPDX-License-Identifier: MIT */
/*
 * aarch64 signal return: a handler returns (x30) into iou__sigreturn,
 * which makes rt_sigreturn (139).  The kernel would use the vDSO's
 * trampoline without SA_RESTORER; ours is the same two instructions, which
 * gdb and libgcc's unwinder recognise as a signal frame.
 * Included only through sys/signal.h.
 */
#ifndef IOU_SYS_AARCH64_SIGNAL_H
#define IOU_SYS_AARCH64_SIGNAL_H

#define IOU_SA_RESTORER 0x04000000UL

#define IOU_SIGNAL_ASM                                                         \
	".text\n"                                                              \
	".globl iou__sigreturn\n"                                              \
	".hidden iou__sigreturn\n"                                             \
	".type iou__sigreturn,%function\n"                                     \
	"iou__sigreturn:\n"                                                    \
	"	mov x8, #139\n"                                                \
	"	svc #0\n"                                                      \
	"	brk #0\n"                                                      \
	".size iou__sigreturn, .-iou__sigreturn\n"

#endif
