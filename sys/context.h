/* SPDX-License-Identifier: MIT */
/*
 * Fiber context switching, per architecture.  Each sys/<arch>/context.h
 * gives IOU_CONTEXT_ASM (iou__ctx_switch and iou__ctx_entry, emitted once
 * by src/loop/context.c) and the layout of a new context's first frame.
 */
#ifndef IOU_SYS_CONTEXT_H
#define IOU_SYS_CONTEXT_H

#if defined(__x86_64__)
#include "x86_64/context.h"
#elif defined(__aarch64__)
#include "aarch64/context.h"
#elif defined(__riscv) && __riscv_xlen == 64
#include "riscv64/context.h"
#else
#error "iou: unsupported architecture"
#endif

#endif
