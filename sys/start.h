/* SPDX-License-Identifier: MIT */
/*
 * IOU_DEFINE_START(fn): define the ELF entry point _start for a program
 * linked with -nostdlib, calling `void fn(long *sp)` with the initial stack
 * (argc, argv..., envp...).  fn must not return: end with exit_group.
 */
#ifndef IOU_SYS_START_H
#define IOU_SYS_START_H

#if defined(__x86_64__)
#include "x86_64/start.h"
#elif defined(__aarch64__)
#include "aarch64/start.h"
#elif defined(__riscv) && __riscv_xlen == 64
#include "riscv64/start.h"
#else
#error "iou: unsupported architecture"
#endif

#endif
