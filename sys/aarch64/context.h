/* SPDX-License-Identifier: MIT */
/*
 * aarch64 fiber context switch (AAPCS64).
 *
 * Callee-saved: x19-x28, x29 (frame pointer), x30 (link register), sp,
 * d8-d15 (the low halves of v8-v15), and FPCR's control fields (rounding
 * mode, flush-to-zero...), saved whole.  A new context starts in
 * iou__ctx_entry with x19 = function, x20 = its argument.
 *
 * Frame (176 bytes, from sp up): x19..x28, x29, x30, d8..d15, fpcr, pad.
 * Included only through sys/context.h.
 */
#ifndef IOU_SYS_AARCH64_CONTEXT_H
#define IOU_SYS_AARCH64_CONTEXT_H

#define IOU_CONTEXT_ASM                                                        \
	".text\n"                                                              \
	".globl iou__ctx_switch\n"                                             \
	".hidden iou__ctx_switch\n"                                            \
	".type iou__ctx_switch,%function\n"                                    \
	"iou__ctx_switch:\n"                                                   \
	"	sub sp, sp, #176\n"                                            \
	"	stp x19, x20, [sp, #0]\n"                                      \
	"	stp x21, x22, [sp, #16]\n"                                     \
	"	stp x23, x24, [sp, #32]\n"                                     \
	"	stp x25, x26, [sp, #48]\n"                                     \
	"	stp x27, x28, [sp, #64]\n"                                     \
	"	stp x29, x30, [sp, #80]\n"                                     \
	"	stp d8, d9, [sp, #96]\n"                                       \
	"	stp d10, d11, [sp, #112]\n"                                    \
	"	stp d12, d13, [sp, #128]\n"                                    \
	"	stp d14, d15, [sp, #144]\n"                                    \
	"	mrs x9, fpcr\n"                                                \
	"	str x9, [sp, #160]\n"                                          \
	"	mov x9, sp\n"                                                  \
	"	str x9, [x0]\n"                                                \
	"	ldr x9, [x1]\n"                                                \
	"	mov sp, x9\n"                                                  \
	"	ldr x9, [sp, #160]\n"                                          \
	"	msr fpcr, x9\n"                                                \
	"	ldp x19, x20, [sp, #0]\n"                                      \
	"	ldp x21, x22, [sp, #16]\n"                                     \
	"	ldp x23, x24, [sp, #32]\n"                                     \
	"	ldp x25, x26, [sp, #48]\n"                                     \
	"	ldp x27, x28, [sp, #64]\n"                                     \
	"	ldp x29, x30, [sp, #80]\n"                                     \
	"	ldp d8, d9, [sp, #96]\n"                                       \
	"	ldp d10, d11, [sp, #112]\n"                                    \
	"	ldp d12, d13, [sp, #128]\n"                                    \
	"	ldp d14, d15, [sp, #144]\n"                                    \
	"	add sp, sp, #176\n"                                            \
	"	ret\n"                                                         \
	".size iou__ctx_switch, .-iou__ctx_switch\n"                           \
	".globl iou__ctx_entry\n"                                              \
	".hidden iou__ctx_entry\n"                                             \
	".type iou__ctx_entry,%function\n"                                     \
	"iou__ctx_entry:\n"                                                    \
	"	mov x0, x20\n"                                                 \
	"	blr x19\n"                                                     \
	"	brk #0\n"                                                      \
	".size iou__ctx_entry, .-iou__ctx_entry\n"

#define IOU_CTX_FRAME_WORDS 22
#define IOU_CTX_SLOT_FN 0	/* x19 */
#define IOU_CTX_SLOT_ARG 1	/* x20 */
#define IOU_CTX_SLOT_RET 11	/* x30 */
#define IOU_CTX_SLOT_FP 20	/* fpcr: 0 = round to nearest, no traps */
#define IOU_CTX_FP_INIT 0ULL

#endif
