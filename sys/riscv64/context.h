/* SPDX-License-Identifier: MIT */
/*
 * riscv64 fiber context switch (LP64D psABI).
 *
 * Callee-saved: ra, sp, s0-s11 and, with the D extension, fs0-fs11; fcsr
 * (rounding mode and flags) is saved too.  A new context starts in
 * iou__ctx_entry with s1 = function, s2 = its argument.
 *
 * Frame (224 bytes, from sp up): ra, s0..s11, fs0..fs11, fcsr, pad.
 * Included only through sys/context.h.
 */
#ifndef IOU_SYS_RISCV64_CONTEXT_H
#define IOU_SYS_RISCV64_CONTEXT_H

#if defined(__riscv_flen) && __riscv_flen >= 64
#define IOU_RV_FP_SAVE                                                         \
	"	fsd fs0, 104(sp)\n	fsd fs1, 112(sp)\n"                    \
	"	fsd fs2, 120(sp)\n	fsd fs3, 128(sp)\n"                    \
	"	fsd fs4, 136(sp)\n	fsd fs5, 144(sp)\n"                    \
	"	fsd fs6, 152(sp)\n	fsd fs7, 160(sp)\n"                    \
	"	fsd fs8, 168(sp)\n	fsd fs9, 176(sp)\n"                    \
	"	fsd fs10, 184(sp)\n	fsd fs11, 192(sp)\n"                   \
	"	frcsr t0\n	sd t0, 200(sp)\n"
#define IOU_RV_FP_LOAD                                                         \
	"	fld fs0, 104(sp)\n	fld fs1, 112(sp)\n"                    \
	"	fld fs2, 120(sp)\n	fld fs3, 128(sp)\n"                    \
	"	fld fs4, 136(sp)\n	fld fs5, 144(sp)\n"                    \
	"	fld fs6, 152(sp)\n	fld fs7, 160(sp)\n"                    \
	"	fld fs8, 168(sp)\n	fld fs9, 176(sp)\n"                    \
	"	fld fs10, 184(sp)\n	fld fs11, 192(sp)\n"                   \
	"	ld t0, 200(sp)\n	fscsr t0\n"
#else
#define IOU_RV_FP_SAVE ""
#define IOU_RV_FP_LOAD ""
#endif

#define IOU_CONTEXT_ASM                                                        \
	".text\n"                                                              \
	".globl iou__ctx_switch\n"                                             \
	".hidden iou__ctx_switch\n"                                            \
	".type iou__ctx_switch,@function\n"                                    \
	"iou__ctx_switch:\n"                                                   \
	"	addi sp, sp, -224\n"                                           \
	"	sd ra, 0(sp)\n	sd s0, 8(sp)\n	sd s1, 16(sp)\n"                \
	"	sd s2, 24(sp)\n	sd s3, 32(sp)\n	sd s4, 40(sp)\n"               \
	"	sd s5, 48(sp)\n	sd s6, 56(sp)\n	sd s7, 64(sp)\n"               \
	"	sd s8, 72(sp)\n	sd s9, 80(sp)\n	sd s10, 88(sp)\n"              \
	"	sd s11, 96(sp)\n"                                              \
	IOU_RV_FP_SAVE                                                         \
	"	sd sp, 0(a0)\n"                                                \
	"	ld sp, 0(a1)\n"                                                \
	IOU_RV_FP_LOAD                                                         \
	"	ld ra, 0(sp)\n	ld s0, 8(sp)\n	ld s1, 16(sp)\n"                \
	"	ld s2, 24(sp)\n	ld s3, 32(sp)\n	ld s4, 40(sp)\n"               \
	"	ld s5, 48(sp)\n	ld s6, 56(sp)\n	ld s7, 64(sp)\n"               \
	"	ld s8, 72(sp)\n	ld s9, 80(sp)\n	ld s10, 88(sp)\n"              \
	"	ld s11, 96(sp)\n"                                              \
	"	addi sp, sp, 224\n"                                            \
	"	ret\n"                                                         \
	".size iou__ctx_switch, .-iou__ctx_switch\n"                           \
	".globl iou__ctx_entry\n"                                              \
	".hidden iou__ctx_entry\n"                                             \
	".type iou__ctx_entry,@function\n"                                     \
	"iou__ctx_entry:\n"                                                    \
	"	mv a0, s2\n"                                                   \
	"	jalr s1\n"                                                     \
	"	unimp\n"                                                       \
	".size iou__ctx_entry, .-iou__ctx_entry\n"

#define IOU_CTX_FRAME_WORDS 28
#define IOU_CTX_SLOT_FN 2	/* s1 */
#define IOU_CTX_SLOT_ARG 3	/* s2 */
#define IOU_CTX_SLOT_RET 0	/* ra */
#define IOU_CTX_SLOT_FP 25	/* fcsr: round to nearest */
#define IOU_CTX_FP_INIT 0ULL

#endif
