/* SPDX-License-Identifier: MIT */
/*
 * Process entry for programs built without a libc (aarch64).  sp is
 * 16-byte aligned at entry and points at argc.  Included only through
 * sys/start.h.
 */
#ifndef IOU_SYS_AARCH64_START_H
#define IOU_SYS_AARCH64_START_H

#define IOU_DEFINE_START(cfn)                                                  \
	__asm__(".text\n"                                                      \
		".global _start\n"                                             \
		".type _start,%function\n"                                     \
		"_start:\n"                                                    \
		"	mov x29, #0\n"                                         \
		"	mov x30, #0\n"                                         \
		"	mov x0, sp\n"                                          \
		"	bl " #cfn "\n"                                         \
		"	brk #0\n")

#endif
