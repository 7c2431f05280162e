/* SPDX-License-Identifier: MIT */
/*
 * The kernel's io_uring ABI for programs written against liburing: iou's
 * own definitions (<iou/abi.h>, Linux 6.18), plus what liburing's users
 * get through it: the __u8..__u64 types and <linux/fs.h> (PATH_MAX, the
 * RWF_* flags).  The guard is the kernel header's, so
 * <linux/io_uring.h> included after this one adds nothing.
 *
 * Below, the newer names liburing 2.15's copy of the header carries
 * (kernels after 6.18): a kernel without them answers -EINVAL where
 * they are used.  They stay out of <iou/abi.h>, which holds what iou's own
 * tests check against the kernel it knows.
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>		/* liburing's copy brings it, and programs use it */
#include <linux/types.h>
#include <iou/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* io_uring_setup(2) flags. */
#define IORING_SETUP_SQE_MIXED	(1U << 19)	/* 64- and 128-byte SQEs */
#define IORING_SETUP_SQ_REWIND	(1U << 20)	/* SQEs always from slot 0 */

/*
 * Opcodes after IORING_OP_PIPE: 128-byte forms of NOP and URING_CMD, for
 * IORING_SETUP_SQE_MIXED rings.  IORING_OP_LAST keeps 6.18's value.
 */
enum {
	IORING_OP_NOP128 = IORING_OP_PIPE + 1,
	IORING_OP_URING_CMD128,
};

/* sqe->timeout_flags: sqe->addr holds nanoseconds, not a timespec. */
#define IORING_TIMEOUT_IMMEDIATE_ARG	(1U << 7)

/* io_uring_register(2) opcodes after IORING_REGISTER_QUERY. */
enum {
	IORING_REGISTER_ZCRX_CTRL = IORING_REGISTER_QUERY + 1,
	IORING_REGISTER_BPF_FILTER,
};

/* IORING_REGISTER_RESTRICTIONS with fd -1: restrictions on the task. */
struct io_uring_task_restriction {
	__u16 flags;
	__u16 nr_res;
	__u32 resv[3];
	struct io_uring_restriction restrictions[0];
};

/* IORING_OP_URING_CMD on a socket: getsockname(2)/getpeername(2). */
enum {
	SOCKET_URING_OP_GETSOCKNAME = SOCKET_URING_OP_TX_TIMESTAMP + 1,
};

/* io_uring_zcrx_ifq_reg.flags and the zcrx features a query reports. */
enum zcrx_reg_flags {
	ZCRX_REG_IMPORT = 1,
	ZCRX_REG_NODEV = 2,	/* no net device: all data is copied */
};

enum zcrx_features {
	ZCRX_FEATURE_RX_PAGE_SIZE = 1 << 0,
};

/* IORING_REGISTER_ZCRX_CTRL: an operation on a registered zcrx instance. */
enum zcrx_ctrl_op {
	ZCRX_CTRL_FLUSH_RQ,
	ZCRX_CTRL_EXPORT,
	__ZCRX_CTRL_LAST,
};

struct zcrx_ctrl_flush_rq {
	__u64 __resv[6];
};

struct zcrx_ctrl_export {
	__u32 zcrx_fd;		/* out */
	__u32 __resv1[11];
};

struct zcrx_ctrl {
	__u32 zcrx_id;
	__u32 op;		/* enum zcrx_ctrl_op */
	__u64 __resv[2];
	union {
		struct zcrx_ctrl_export zc_export;
		struct zcrx_ctrl_flush_rq zc_flush;
	};
};

#ifdef __cplusplus
}
#endif

#endif
