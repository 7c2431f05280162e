/* SPDX-License-Identifier: MIT */
/*
 * Process entry for programs built without a libc (x86_64).  The kernel
 * starts _start with rsp pointing at argc and 16-byte aligned; a C function
 * expects rsp + 8 aligned, hence the and + call.  Included only through
 * sys/start.h.
 */
#ifndef IOU_SYS_X86_64_START_H
#define IOU_SYS_X86_64_START_H

#define IOU_DEFINE_START(cfn)                                                  \
	__asm__(".text\n"                                                      \
		".global _start\n"                                             \
		".type _start,@function\n"                                     \
		"_start:\n"                                                    \
		"	xor %ebp, %ebp\n"                                      \
		"	mov %rsp, %rdi\n"                                      \
		"	and $-16, %rsp\n"                                      \
		"	call " #cfn "\n"                                       \
		"	ud2\n")

#endif
