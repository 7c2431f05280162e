/* SPDX-License-Identifier: MIT */
/*
 * Classic BPF filters on io_uring requests (IORING_REGISTER_BPF_FILTER,
 * kernels after 6.18), as liburing 2.15 ships it beside io_uring.h.  The
 * guard is the kernel header's.
 */
#ifndef LINUX_IO_URING_BPF_FILTER_H
#define LINUX_IO_URING_BPF_FILTER_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What a filter sees (BPF_LD | BPF_ABS offsets into this): the request's
 * user_data, opcode and flags, then per-opcode data of pdu_size bytes.
 */
struct io_uring_bpf_ctx {
	__u64 user_data;
	__u8 opcode;
	__u8 sqe_flags;
	__u8 pdu_size;
	__u8 pad[5];
	union {
		struct {		/* IORING_OP_SOCKET */
			__u32 family;
			__u32 type;
			__u32 protocol;
		} socket;
		struct {		/* IORING_OP_OPENAT, OPENAT2 */
			__u64 flags;
			__u64 mode;
			__u64 resolve;
		} open;
	};
};

/* io_uring_bpf_filter.flags */
enum {
	/* Every opcode without a filter of its own is denied. */
	IO_URING_BPF_FILTER_DENY_REST = 1,
	/* Fail (-EMSGSIZE) unless pdu_size is exactly the kernel's. */
	IO_URING_BPF_FILTER_SZ_STRICT = 2,
};

struct io_uring_bpf_filter {
	__u32 opcode;		/* the IORING_OP_* filtered */
	__u32 flags;		/* IO_URING_BPF_FILTER_* */
	__u32 filter_len;	/* instructions at filter_ptr */
	__u8 pdu_size;		/* per-opcode bytes the filter expects */
	__u8 resv[3];
	__u64 filter_ptr;	/* struct sock_filter[filter_len] */
	__u64 resv2[5];
};

/* io_uring_bpf.cmd_type */
enum {
	IO_URING_BPF_CMD_FILTER = 1,
};

/* The argument of IORING_REGISTER_BPF_FILTER (nr_args 1). */
struct io_uring_bpf {
	__u16 cmd_type;		/* IO_URING_BPF_CMD_* */
	__u16 cmd_flags;	/* none defined */
	__u32 resv;
	union {
		struct io_uring_bpf_filter filter;
	};
};

#ifdef __cplusplus
}
#endif

#endif
