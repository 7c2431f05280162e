/* SPDX-License-Identifier: MIT */
/*
 * The one place that knows which architecture we are built for.
 *
 * Each sys/<arch>/syscall.h provides:
 *   iou_syscall0() .. iou_syscall6()   raw stubs: static inline, every
 *                                      argument a long, the kernel's return
 *                                      value untouched (-4095..-1 = -errno)
 *   IOU_NR_<name>                      the syscall numbers the library uses
 *   IOU_ARCH_NAME, IOU_ARCH_PAGE_SIZE  name, largest possible page size
 *
 * Adding an architecture means adding sys/<arch>/, one #elif here and one
 * toolchain file in cmake/toolchains/; nothing in src/ changes.
 */
#ifndef IOU_SYS_SYSCALL_H
#define IOU_SYS_SYSCALL_H

#if defined(__x86_64__) && !defined(__ILP32__)
#include "x86_64/syscall.h"
#elif defined(__aarch64__) && !defined(__ILP32__)
#include "aarch64/syscall.h"
#elif defined(__riscv) && __riscv_xlen == 64
#include "riscv64/syscall.h"
#else
#error "iou: unsupported architecture (x86_64, aarch64 and riscv64 are known)"
#endif

/* True when a raw syscall return value is an error (-4095..-1). */
#define IOU_SYSCALL_IS_ERR(ret) ((unsigned long)(long)(ret) > -4096UL)

#endif
