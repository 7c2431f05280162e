/* SPDX-License-Identifier: MIT */
/*
 * Process entry for programs built without a libc (riscv64).  gp must hold
 * __global_pointer$ before any gp-relative access the linker may have
 * relaxed code into; sp is 16-byte aligned and points at argc.  Included
 * only through sys/start.h.
 */
#ifndef IOU_SYS_RISCV64_START_H
#define IOU_SYS_RISCV64_START_H

#define IOU_DEFINE_START(cfn)                                                  \
	__asm__(".text\n"                                                      \
		".global _start\n"                                             \
		".type _start,@function\n"                                     \
		"_start:\n"                                                    \
		".option push\n"                                               \
		".option norelax\n"                                            \
		"	lla gp, __global_pointer$\n"                           \
		".option pop\n"                                                \
		"	mv a0, sp\n"                                           \
		"	andi sp, sp, -16\n"                                    \
		"	call " #cfn "\n"                                       \
		"	unimp\n")

#endif
