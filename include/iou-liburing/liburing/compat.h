/* SPDX-License-Identifier: MIT */
/*
 * Types and constants liburing's API names that older C libraries and
 * kernel headers may lack, found as liburing's generated compat.h finds
 * them: struct __kernel_timespec (<linux/time_types.h>, 5.1), struct
 * open_how (<linux/openat2.h>, 5.6), struct futex_waitv and FUTEX_32
 * (<linux/futex.h>, 5.16), BLOCK_URING_CMD_DISCARD (<linux/blkdev.h>,
 * 6.12), and idtype_t (<sys/wait.h>).
 */
#ifndef LIBURING_COMPAT_H
#define LIBURING_COMPAT_H

#include <stdint.h>
#include <linux/ioctl.h>
#include <linux/time_types.h>
#include <linux/openat2.h>
#include <linux/futex.h>
#include <sys/wait.h>

#if defined(__has_include)
#if __has_include(<linux/blkdev.h>)
#include <linux/blkdev.h>
#endif
#endif

/* FUTEX_WAITV_MAX arrived with struct futex_waitv: one tells of both. */
#ifndef FUTEX_WAITV_MAX
#define FUTEX_32 2
#define FUTEX_WAITV_MAX 128

struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t __reserved;
};
#endif

/* The block layer's discard command (IORING_OP_URING_CMD on a bdev). */
#ifndef BLOCK_URING_CMD_DISCARD
#define BLOCK_URING_CMD_DISCARD _IO(0x12, 0)
#endif

#endif
