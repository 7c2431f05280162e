/* SPDX-License-Identifier: MIT */
/*
 * x86_64 signal return: a handler returns into iou__sigreturn, which makes
 * rt_sigreturn (15) to restore the interrupted context.  The bytes are
 * glibc's __restore_rt (movq $15, %rax; syscall), which gdb and libgcc's
 * unwinder recognise as a signal frame.
 * Included only through sys/signal.h.
 */
#ifndef IOU_SYS_X86_64_SIGNAL_H
#define IOU_SYS_X86_64_SIGNAL_H

#define IOU_SA_RESTORER 0x04000000UL

#define IOU_SIGNAL_ASM                                                         \
	".text\n"                                                              \
	".globl iou__sigreturn\n"                                              \
	".hidden iou__sigreturn\n"                                             \
	".type iou__sigreturn,@function\n"                                     \
	"iou__sigreturn:\n"                                                    \
	"	movq $15, %rax\n"                                              \
	"	syscall\n"                                                     \
	"	ud2\n"                                                         \
	".size iou__sigreturn, .-iou__sigreturn\n"

#endif
