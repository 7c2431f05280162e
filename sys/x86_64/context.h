/* SPDX-License-Identifier: MIT */
/*
 * x86_64 fiber context switch (System V ABI).
 *
 * iou__ctx_switch(from, to) saves what the ABI makes callee-saved: rbx,
 * rbp, r12-r15, the stack pointer, and the control bits of MXCSR and the
 * x87 control word, then loads the same from @to and returns on its stack.
 * A new context starts in iou__ctx_entry with r12 = function, r13 = its
 * argument.  No syscall, no signal mask: that is what makes it cheap
 * (bench/run: switch_vs_ucontext).  It leaves through popq + jmpq, not
 * ret: a ret is predicted from the return stack, which holds this
 * context's caller, never @to's, so every switch would be a mispredicted
 * return; the indirect-jump predictor learns the targets.
 *
 * Frame on the saved stack, from sp up: mxcsr (4), x87 cw (2), pad (2),
 * r15, r14, r13, r12, rbx, rbp, return address.
 * Included only through sys/context.h.
 */
#ifndef IOU_SYS_X86_64_CONTEXT_H
#define IOU_SYS_X86_64_CONTEXT_H

#define IOU_CONTEXT_ASM                                                        \
	".text\n"                                                              \
	".globl iou__ctx_switch\n"                                             \
	".hidden iou__ctx_switch\n"                                            \
	".type iou__ctx_switch,@function\n"                                    \
	"iou__ctx_switch:\n"                                                   \
	"	pushq %rbp\n"                                                  \
	"	pushq %rbx\n"                                                  \
	"	pushq %r12\n"                                                  \
	"	pushq %r13\n"                                                  \
	"	pushq %r14\n"                                                  \
	"	pushq %r15\n"                                                  \
	"	subq $8, %rsp\n"                                               \
	"	stmxcsr (%rsp)\n"                                              \
	"	fnstcw 4(%rsp)\n"                                              \
	"	movq %rsp, (%rdi)\n"                                           \
	"	movq (%rsi), %rsp\n"                                           \
	"	ldmxcsr (%rsp)\n"                                              \
	"	fldcw 4(%rsp)\n"                                               \
	"	addq $8, %rsp\n"                                               \
	"	popq %r15\n"                                                   \
	"	popq %r14\n"                                                   \
	"	popq %r13\n"                                                   \
	"	popq %r12\n"                                                   \
	"	popq %rbx\n"                                                   \
	"	popq %rbp\n"                                                   \
	"	popq %rcx\n"                                                   \
	"	jmpq *%rcx\n"                                                  \
	".size iou__ctx_switch, .-iou__ctx_switch\n"                           \
	".globl iou__ctx_entry\n"                                              \
	".hidden iou__ctx_entry\n"                                             \
	".type iou__ctx_entry,@function\n"                                     \
	"iou__ctx_entry:\n"                                                    \
	"	movq %r13, %rdi\n"                                             \
	"	callq *%r12\n"                                                 \
	"	ud2\n"                                                         \
	".size iou__ctx_entry, .-iou__ctx_entry\n"

/* Words of the initial frame, and where fn/arg/the return address go. */
#define IOU_CTX_FRAME_WORDS 8
#define IOU_CTX_SLOT_FN 4	/* r12 */
#define IOU_CTX_SLOT_ARG 3	/* r13 */
#define IOU_CTX_SLOT_RET 7	/* return address: iou__ctx_entry */

/* Word 0 of a new frame: default MXCSR (all exceptions masked) and x87 CW. */
#define IOU_CTX_FP_INIT (0x1f80ULL | (0x037fULL << 32))
#define IOU_CTX_SLOT_FP 0

#endif
