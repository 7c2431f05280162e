/* SPDX-License-Identifier: MIT */
/* The context switch itself (per-arch asm) and how a new context starts. */
#include "internal.h"
#include "sys/context.h"

__asm__(IOU_CONTEXT_ASM);

/* Defined by IOU_CONTEXT_ASM, hidden like everything internal. */
__attribute__((visibility("hidden"))) void iou__ctx_entry(void);

/*
 * Lay out a first frame at @stack_top (16-byte aligned) that the switch
 * "returns" into: iou__ctx_entry then calls fn(arg).  Registers start at
 * zero, the FP control state at the ABI's default.
 */
void iou__ctx_init(struct iou__ctx *ctx, void *stack_top, void (*fn)(void *),
		   void *arg)
{
	uint64_t *frame = (uint64_t *)stack_top - IOU_CTX_FRAME_WORDS;
	unsigned i;

	for (i = 0; i < IOU_CTX_FRAME_WORDS; i++)
		frame[i] = 0;
	frame[IOU_CTX_SLOT_FN] = (uint64_t)(uintptr_t)fn;
	frame[IOU_CTX_SLOT_ARG] = (uint64_t)(uintptr_t)arg;
	frame[IOU_CTX_SLOT_RET] = (uint64_t)(uintptr_t)iou__ctx_entry;
	frame[IOU_CTX_SLOT_FP] = IOU_CTX_FP_INIT;
	ctx->sp = frame;
}
