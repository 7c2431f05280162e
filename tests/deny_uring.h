/* SPDX-License-Identifier: MIT */
/*
 * A seccomp filter making io_uring_setup fail with a chosen errno, for this
 * process and its children (Docker's default profile answers EPERM).
 * Shared by test_refused, test_loop_safety and seccomp_run.
 */
#ifndef IOU_TEST_DENY_URING_H
#define IOU_TEST_DENY_URING_H

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>

#if defined(__x86_64__)
#define T_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define T_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define T_AUDIT_ARCH AUDIT_ARCH_RISCV64
#else
#error "tests: no seccomp audit arch for this architecture"
#endif

/* io_uring_setup is 425 on every architecture iou supports. */
#define T_NR_IO_URING_SETUP 425

/* Returns 0, or -1 with errno when the filter cannot be installed
   (qemu-user cannot). */
static inline int t_deny_io_uring_setup(int err)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, T_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, T_NR_IO_URING_SETUP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

#endif
