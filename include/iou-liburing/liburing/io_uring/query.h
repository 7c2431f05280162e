/* SPDX-License-Identifier: MIT */
/*
 * IORING_REGISTER_QUERY (Linux 6.18), as liburing 2.15 ships it beside
 * io_uring.h.  The header and the opcode query are <iou/abi.h>'s; the
 * zcrx and SQ/CQ queries come from later kernels, which answer an
 * unknown query_op in the header's result (-EOPNOTSUPP).  The guard is
 * the kernel header's.
 */
#ifndef LINUX_IO_URING_QUERY_H
#define LINUX_IO_URING_QUERY_H

#include <linux/types.h>
#include <iou/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
	IO_URING_QUERY_ZCRX = IO_URING_QUERY_OPCODES + 1,
	IO_URING_QUERY_SCQ,
	__IO_URING_QUERY_MAX,
};

/* IO_URING_QUERY_ZCRX: what zero-copy receive supports (no ring needed). */
struct io_uring_query_zcrx {
	__u64 register_flags;	/* ZCRX_REG_* */
	__u64 area_flags;	/* IORING_ZCRX_AREA_* */
	__u32 nr_ctrl_opcodes;	/* ZCRX_CTRL_* known */
	__u32 features;		/* ZCRX_FEATURE_* */
	__u32 rq_hdr_size;	/* bytes of the refill ring's header */
	__u32 rq_hdr_alignment;
	__u64 __resv2;
};

/* IO_URING_QUERY_SCQ: the SQ/CQ ring header's size and alignment. */
struct io_uring_query_scq {
	__u64 hdr_size;
	__u64 hdr_alignment;
};

#ifdef __cplusplus
}
#endif

#endif
