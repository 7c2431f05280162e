/* SPDX-License-Identifier: MIT */
/*
 * The kernel's io_uring ABI, as of Linux 6.18, written for iou.
 *
 * Names and values are the kernel's own (struct io_uring_sqe, IORING_OP_*,
 * ...), so code and documentation written against <linux/io_uring.h> read
 * the same here.  Everything else is ours:
 *   - freestanding: only <stdint.h> and <stddef.h>, no linux headers, no libc;
 *   - the kernel's __aligned_u64 is iou_aligned_u64, and the kernel's
 *     struct __kernel_timespec is struct iou_timespec (same layout; we do
 *     not define the kernel's name because users may include
 *     <linux/time_types.h> next to this header).
 *
 * A number in a comment is the first kernel release that has the item.
 * tests/test_abi.c checks every constant, size and offset that
 * <linux/io_uring.h> from linux-headers knows against this file, and the
 * newer ones against the running kernel (probe, IORING_REGISTER_QUERY).
 */
#ifndef IOU_ABI_H
#define IOU_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The kernel's __aligned_u64: 8-byte aligned on every arch (also i386). */
typedef uint64_t iou_aligned_u64 __attribute__((aligned(8)));

/* Layout of the kernel's struct __kernel_timespec. */
struct iou_timespec {
	int64_t tv_sec;
	long long tv_nsec;
};

/* ------------------------------------------------------------------------
 * Submission queue entry: 64 bytes, or 128 with IORING_SETUP_SQE128.
 * Most fields are unions: which name applies depends on the opcode.
 */
struct io_uring_sqe {
	uint8_t opcode;			/* IORING_OP_* */
	uint8_t flags;			/* IOSQE_* */
	uint16_t ioprio;		/* I/O priority, or per-op flags (send/recv/accept) */
	int32_t fd;			/* file descriptor, or fixed-file index */
	union {
		uint64_t off;		/* file offset */
		uint64_t addr2;
		struct {
			uint32_t cmd_op;	/* IORING_OP_URING_CMD subcommand */
			uint32_t __pad1;
		};
	};
	union {
		uint64_t addr;		/* buffer or iovec array */
		uint64_t splice_off_in;
		struct {
			uint32_t level;		/* socket option commands */
			uint32_t optname;
		};
	};
	uint32_t len;			/* buffer length or iovec count */
	union {				/* per-opcode flags */
		uint32_t rw_flags;
		uint32_t fsync_flags;
		uint16_t poll_events;	/* old 16-bit form */
		uint32_t poll32_events;	/* halfwords swapped on big endian */
		uint32_t sync_range_flags;
		uint32_t msg_flags;
		uint32_t timeout_flags;
		uint32_t accept_flags;
		uint32_t cancel_flags;
		uint32_t open_flags;
		uint32_t statx_flags;
		uint32_t fadvise_advice;
		uint32_t splice_flags;
		uint32_t rename_flags;
		uint32_t unlink_flags;
		uint32_t hardlink_flags;
		uint32_t xattr_flags;
		uint32_t msg_ring_flags;
		uint32_t uring_cmd_flags;
		uint32_t waitid_flags;
		uint32_t futex_flags;
		uint32_t install_fd_flags;
		uint32_t nop_flags;
		uint32_t pipe_flags;
	};
	uint64_t user_data;		/* returned untouched in the CQE */
	/* Packed so that old ARM ABIs do not pad the union to 4 bytes. */
	union {
		uint16_t buf_index;	/* fixed buffer index */
		uint16_t buf_group;	/* provided buffer group (IOSQE_BUFFER_SELECT) */
	} __attribute__((packed));
	uint16_t personality;		/* registered credentials, 0 = none */
	union {
		int32_t splice_fd_in;
		uint32_t file_index;	/* direct descriptor slot + 1 */
		uint32_t zcrx_ifq_idx;
		uint32_t optlen;
		struct {
			uint16_t addr_len;
			uint16_t __pad3[1];
		};
		struct {
			uint8_t write_stream;
			uint8_t __pad4[3];
		};
	};
	union {
		struct {
			uint64_t addr3;
			uint64_t __pad2[1];
		};
		struct {
			uint64_t attr_ptr;	/* struct io_uring_attr_pi * */
			uint64_t attr_type_mask; /* IORING_RW_ATTR_FLAG_* */
		};
		uint64_t optval;
		/* Command bytes: 16 here, 80 with IORING_SETUP_SQE128. */
		uint8_t cmd[0];
	};
};

/* sqe->attr_type_mask bits, and the protection-information attribute (6.14). */
#define IORING_RW_ATTR_FLAG_PI		(1U << 0)

struct io_uring_attr_pi {
	uint16_t flags;
	uint16_t app_tag;
	uint32_t len;
	uint64_t addr;
	uint64_t seed;
	uint64_t rsvd;
};

/* sqe->file_index: let the kernel pick a free direct descriptor slot. */
#define IORING_FILE_INDEX_ALLOC		(~0U)

/* sqe->flags, as bit numbers and as masks. */
enum io_uring_sqe_flags_bit {
	IOSQE_FIXED_FILE_BIT,
	IOSQE_IO_DRAIN_BIT,
	IOSQE_IO_LINK_BIT,
	IOSQE_IO_HARDLINK_BIT,
	IOSQE_ASYNC_BIT,
	IOSQE_BUFFER_SELECT_BIT,
	IOSQE_CQE_SKIP_SUCCESS_BIT,		/* 5.17 */
};

#define IOSQE_FIXED_FILE	(1U << IOSQE_FIXED_FILE_BIT)	/* fd is a fixed-file index */
#define IOSQE_IO_DRAIN		(1U << IOSQE_IO_DRAIN_BIT)	/* wait for all earlier requests */
#define IOSQE_IO_LINK		(1U << IOSQE_IO_LINK_BIT)	/* next SQE runs after this one */
#define IOSQE_IO_HARDLINK	(1U << IOSQE_IO_HARDLINK_BIT)	/* same, even if this one fails */
#define IOSQE_ASYNC		(1U << IOSQE_ASYNC_BIT)		/* go to io-wq directly */
#define IOSQE_BUFFER_SELECT	(1U << IOSQE_BUFFER_SELECT_BIT)	/* pick from sqe->buf_group */
#define IOSQE_CQE_SKIP_SUCCESS	(1U << IOSQE_CQE_SKIP_SUCCESS_BIT) /* no CQE on success */

/* ------------------------------------------------------------------------
 * io_uring_setup(2) flags (io_uring_params.flags).
 */
#define IORING_SETUP_IOPOLL		(1U << 0)	/* busy-poll for completions */
#define IORING_SETUP_SQPOLL		(1U << 1)	/* kernel thread polls the SQ */
#define IORING_SETUP_SQ_AFF		(1U << 2)	/* sq_thread_cpu is valid */
#define IORING_SETUP_CQSIZE		(1U << 3)	/* cq_entries is valid (5.5) */
#define IORING_SETUP_CLAMP		(1U << 4)	/* clamp sizes to the maximum (5.6) */
#define IORING_SETUP_ATTACH_WQ		(1U << 5)	/* share wq_fd's io-wq (5.6) */
#define IORING_SETUP_R_DISABLED		(1U << 6)	/* start disabled (5.10) */
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)	/* keep submitting after an error (5.18) */
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)	/* no IPI for task work (5.19) */
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)	/* set IORING_SQ_TASKRUN (5.19) */
#define IORING_SETUP_SQE128		(1U << 10)	/* 128-byte SQEs (5.19) */
#define IORING_SETUP_CQE32		(1U << 11)	/* 32-byte CQEs (5.19) */
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)	/* one submitting task (6.0) */
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)	/* task work only on GETEVENTS (6.1) */
#define IORING_SETUP_NO_MMAP		(1U << 14)	/* rings in caller memory (6.5) */
#define IORING_SETUP_REGISTERED_FD_ONLY	(1U << 15)	/* return a registered index (6.5) */
#define IORING_SETUP_NO_SQARRAY		(1U << 16)	/* no SQ index array (6.6) */
#define IORING_SETUP_HYBRID_IOPOLL	(1U << 17)	/* sleep, then poll (6.13) */
#define IORING_SETUP_CQE_MIXED		(1U << 18)	/* 16- and 32-byte CQEs (6.18) */

/* ------------------------------------------------------------------------
 * Request opcodes (sqe->opcode).
 */
enum io_uring_op {
	IORING_OP_NOP,
	IORING_OP_READV,
	IORING_OP_WRITEV,
	IORING_OP_FSYNC,
	IORING_OP_READ_FIXED,
	IORING_OP_WRITE_FIXED,
	IORING_OP_POLL_ADD,
	IORING_OP_POLL_REMOVE,
	IORING_OP_SYNC_FILE_RANGE,	/* 5.2 */
	IORING_OP_SENDMSG,		/* 5.3 */
	IORING_OP_RECVMSG,
	IORING_OP_TIMEOUT,		/* 5.4 */
	IORING_OP_TIMEOUT_REMOVE,	/* 5.5 */
	IORING_OP_ACCEPT,
	IORING_OP_ASYNC_CANCEL,
	IORING_OP_LINK_TIMEOUT,
	IORING_OP_CONNECT,
	IORING_OP_FALLOCATE,		/* 5.6 */
	IORING_OP_OPENAT,
	IORING_OP_CLOSE,
	IORING_OP_FILES_UPDATE,
	IORING_OP_STATX,
	IORING_OP_READ,
	IORING_OP_WRITE,
	IORING_OP_FADVISE,
	IORING_OP_MADVISE,
	IORING_OP_SEND,
	IORING_OP_RECV,
	IORING_OP_OPENAT2,
	IORING_OP_EPOLL_CTL,
	IORING_OP_SPLICE,		/* 5.7 */
	IORING_OP_PROVIDE_BUFFERS,
	IORING_OP_REMOVE_BUFFERS,
	IORING_OP_TEE,			/* 5.8 */
	IORING_OP_SHUTDOWN,		/* 5.11 */
	IORING_OP_RENAMEAT,
	IORING_OP_UNLINKAT,
	IORING_OP_MKDIRAT,		/* 5.15 */
	IORING_OP_SYMLINKAT,
	IORING_OP_LINKAT,
	IORING_OP_MSG_RING,		/* 5.18 */
	IORING_OP_FSETXATTR,		/* 5.19 */
	IORING_OP_SETXATTR,
	IORING_OP_FGETXATTR,
	IORING_OP_GETXATTR,
	IORING_OP_SOCKET,
	IORING_OP_URING_CMD,
	IORING_OP_SEND_ZC,		/* 6.0 */
	IORING_OP_SENDMSG_ZC,		/* 6.1 */
	IORING_OP_READ_MULTISHOT,	/* 6.7 */
	IORING_OP_WAITID,
	IORING_OP_FUTEX_WAIT,
	IORING_OP_FUTEX_WAKE,
	IORING_OP_FUTEX_WAITV,
	IORING_OP_FIXED_FD_INSTALL,	/* 6.8 */
	IORING_OP_FTRUNCATE,		/* 6.9 */
	IORING_OP_BIND,			/* 6.11 */
	IORING_OP_LISTEN,
	IORING_OP_RECV_ZC,		/* 6.15 */
	IORING_OP_EPOLL_WAIT,
	IORING_OP_READV_FIXED,
	IORING_OP_WRITEV_FIXED,
	IORING_OP_PIPE,			/* 6.16 */

	IORING_OP_LAST,			/* number of opcodes: 63 in 6.18 */
};

/* ------------------------------------------------------------------------
 * Per-opcode flags.
 */

/* sqe->uring_cmd_flags (the top 8 bits are the kernel's). */
#define IORING_URING_CMD_FIXED		(1U << 0)	/* buffer is sqe->buf_index */
#define IORING_URING_CMD_MULTISHOT	(1U << 1)	/* with IOSQE_BUFFER_SELECT */
#define IORING_URING_CMD_MASK		(IORING_URING_CMD_FIXED | IORING_URING_CMD_MULTISHOT)

/* sqe->fsync_flags */
#define IORING_FSYNC_DATASYNC		(1U << 0)

/* sqe->timeout_flags */
#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
#define IORING_TIMEOUT_MULTISHOT	(1U << 6)	/* 6.4 */
#define IORING_TIMEOUT_CLOCK_MASK	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
#define IORING_TIMEOUT_UPDATE_MASK	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

/* sqe->splice_flags: splice(2) flags plus this one (splice_fd_in is fixed). */
#define SPLICE_F_FD_IN_FIXED		(1U << 31)

/* IORING_OP_POLL_ADD/REMOVE command flags, carried in sqe->len. */
#define IORING_POLL_ADD_MULTI		(1U << 0)	/* multishot: CQE_F_MORE while armed */
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)
#define IORING_POLL_ADD_LEVEL		(1U << 3)	/* level triggered */

/* sqe->cancel_flags for IORING_OP_ASYNC_CANCEL and IORING_REGISTER_SYNC_CANCEL. */
#define IORING_ASYNC_CANCEL_ALL		(1U << 0)	/* every match, not the first */
#define IORING_ASYNC_CANCEL_FD		(1U << 1)	/* match on fd, not user_data */
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)	/* match anything */
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)	/* fd is a fixed-file index */
#define IORING_ASYNC_CANCEL_USERDATA	(1U << 4)	/* match on user_data (the default) */
#define IORING_ASYNC_CANCEL_OP		(1U << 5)	/* match on opcode */

/* send/recv family flags, carried in sqe->ioprio. */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)	/* arm poll before trying */
#define IORING_RECV_MULTISHOT		(1U << 1)	/* CQE_F_MORE while armed */
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)	/* buffer is sqe->buf_index */
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)	/* report copies in the notif CQE */
#define IORING_RECVSEND_BUNDLE		(1U << 4)	/* several provided buffers (6.10) */
#define IORING_SEND_VECTORIZED		(1U << 5)	/* addr is an iovec array (6.17) */

/* cqe->res of a zero-copy notification CQE when the data was copied. */
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)

/* accept flags, carried in sqe->ioprio. */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)
#define IORING_ACCEPT_DONTWAIT		(1U << 1)	/* 6.10 */
#define IORING_ACCEPT_POLL_FIRST	(1U << 2)	/* 6.10 */

/* IORING_OP_MSG_RING: command in sqe->addr, flags in sqe->msg_ring_flags. */
enum io_uring_msg_ring_flags {
	IORING_MSG_DATA,	/* post sqe->len as res, sqe->off as user_data */
	IORING_MSG_SEND_FD,	/* install a fixed file in the target ring */
};

#define IORING_MSG_RING_CQE_SKIP	(1U << 0)	/* no CQE in the target ring */
#define IORING_MSG_RING_FLAGS_PASS	(1U << 1)	/* cqe->flags = sqe->file_index (6.10) */

/* sqe->install_fd_flags for IORING_OP_FIXED_FD_INSTALL. */
#define IORING_FIXED_FD_NO_CLOEXEC	(1U << 0)

/* sqe->nop_flags for IORING_OP_NOP (test and benchmark aids). */
#define IORING_NOP_INJECT_RESULT	(1U << 0)	/* cqe->res = sqe->len */
#define IORING_NOP_FILE			(1U << 1)	/* look up sqe->fd */
#define IORING_NOP_FIXED_FILE		(1U << 2)
#define IORING_NOP_FIXED_BUFFER		(1U << 3)
#define IORING_NOP_TW			(1U << 4)	/* complete via task work */
#define IORING_NOP_CQE32		(1U << 5)	/* post a 32-byte CQE (6.18) */

/* ------------------------------------------------------------------------
 * Completion queue entry: 16 bytes, 32 with IORING_SETUP_CQE32 (or one
 * flagged IORING_CQE_F_32 with IORING_SETUP_CQE_MIXED).
 */
struct io_uring_cqe {
	uint64_t user_data;	/* from the SQE */
	int32_t res;		/* result, or -errno */
	uint32_t flags;		/* IORING_CQE_F_* */
	uint64_t big_cqe[];	/* 16 more bytes in a 32-byte CQE */
};

/* cqe->flags */
#define IORING_CQE_F_BUFFER		(1U << 0)	/* buffer id in the upper 16 bits */
#define IORING_CQE_F_MORE		(1U << 1)	/* more CQEs will follow for this SQE */
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)	/* socket has more data */
#define IORING_CQE_F_NOTIF		(1U << 3)	/* zero-copy notification */
#define IORING_CQE_F_BUF_MORE		(1U << 4)	/* incremental buffer not used up (6.12) */
#define IORING_CQE_F_SKIP		(1U << 5)	/* padding: ignore this CQE (6.18) */
#define IORING_CQE_F_32			(1U << 15)	/* this is a 32-byte CQE (6.18) */

#define IORING_CQE_BUFFER_SHIFT		16

/* ------------------------------------------------------------------------
 * mmap(2) offsets on the ring fd.
 */
#define IORING_OFF_SQ_RING		0ULL
#define IORING_OFF_CQ_RING		0x8000000ULL
#define IORING_OFF_SQES			0x10000000ULL
#define IORING_OFF_PBUF_RING		0x80000000ULL	/* | bgid << IORING_OFF_PBUF_SHIFT */
#define IORING_OFF_PBUF_SHIFT		16
#define IORING_OFF_MMAP_MASK		0xf8000000ULL

/* Byte offsets of the SQ ring fields inside its mapping (or user memory). */
struct io_sqring_offsets {
	uint32_t head;
	uint32_t tail;
	uint32_t ring_mask;
	uint32_t ring_entries;
	uint32_t flags;
	uint32_t dropped;
	uint32_t array;
	uint32_t resv1;
	uint64_t user_addr;	/* ring memory with IORING_SETUP_NO_MMAP (6.5) */
};

/* SQ ring flags word (written by the kernel). */
#define IORING_SQ_NEED_WAKEUP		(1U << 0)	/* SQPOLL thread sleeps: enter with SQ_WAKEUP */
#define IORING_SQ_CQ_OVERFLOW		(1U << 1)	/* CQEs are waiting in the overflow list */
#define IORING_SQ_TASKRUN		(1U << 2)	/* task work pending: enter */

/* Byte offsets of the CQ ring fields. */
struct io_cqring_offsets {
	uint32_t head;
	uint32_t tail;
	uint32_t ring_mask;
	uint32_t ring_entries;
	uint32_t overflow;
	uint32_t cqes;
	uint32_t flags;
	uint32_t resv1;
	uint64_t user_addr;	/* ring memory with IORING_SETUP_NO_MMAP (6.5) */
};

/* CQ ring flags word (written by us). */
#define IORING_CQ_EVENTFD_DISABLED	(1U << 0)

/* ------------------------------------------------------------------------
 * io_uring_enter(2) flags.
 */
#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)	/* 5.10 */
#define IORING_ENTER_EXT_ARG		(1U << 3)	/* arg is io_uring_getevents_arg (5.11) */
#define IORING_ENTER_REGISTERED_RING	(1U << 4)	/* fd is a registered index (5.18) */
#define IORING_ENTER_ABS_TIMER		(1U << 5)	/* absolute timeout (6.12) */
#define IORING_ENTER_EXT_ARG_REG	(1U << 6)	/* arg indexes io_uring_reg_wait (6.13) */
#define IORING_ENTER_NO_IOWAIT		(1U << 7)	/* 6.15 */

/* ------------------------------------------------------------------------
 * io_uring_setup(2) argument: in, and filled in on return.
 */
struct io_uring_params {
	uint32_t sq_entries;
	uint32_t cq_entries;
	uint32_t flags;		/* IORING_SETUP_* */
	uint32_t sq_thread_cpu;
	uint32_t sq_thread_idle;	/* milliseconds */
	uint32_t features;	/* IORING_FEAT_*, out */
	uint32_t wq_fd;
	uint32_t resv[3];
	struct io_sqring_offsets sq_off;
	struct io_cqring_offsets cq_off;
};

/* io_uring_params.features */
#define IORING_FEAT_SINGLE_MMAP		(1U << 0)	/* 5.4 */
#define IORING_FEAT_NODROP		(1U << 1)	/* 5.5 */
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)	/* 5.6 */
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)	/* 5.7 */
#define IORING_FEAT_POLL_32BITS		(1U << 6)	/* 5.9 */
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)	/* 5.11 */
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)	/* 5.12 */
#define IORING_FEAT_RSRC_TAGS		(1U << 10)	/* 5.13 */
#define IORING_FEAT_CQE_SKIP		(1U << 11)	/* 5.17 */
#define IORING_FEAT_LINKED_FILE		(1U << 12)
#define IORING_FEAT_REG_REG_RING	(1U << 13)	/* 6.3 */
#define IORING_FEAT_RECVSEND_BUNDLE	(1U << 14)	/* 6.10 */
#define IORING_FEAT_MIN_TIMEOUT		(1U << 15)	/* 6.12 */
#define IORING_FEAT_RW_ATTR		(1U << 16)	/* 6.14 */
#define IORING_FEAT_NO_IOWAIT		(1U << 17)	/* 6.15 */

/* ------------------------------------------------------------------------
 * io_uring_register(2) opcodes.
 */
enum io_uring_register_op {
	IORING_REGISTER_BUFFERS			= 0,
	IORING_UNREGISTER_BUFFERS		= 1,
	IORING_REGISTER_FILES			= 2,
	IORING_UNREGISTER_FILES			= 3,
	IORING_REGISTER_EVENTFD			= 4,	/* 5.2 */
	IORING_UNREGISTER_EVENTFD		= 5,
	IORING_REGISTER_FILES_UPDATE		= 6,	/* 5.5 */
	IORING_REGISTER_EVENTFD_ASYNC		= 7,	/* 5.6 */
	IORING_REGISTER_PROBE			= 8,
	IORING_REGISTER_PERSONALITY		= 9,
	IORING_UNREGISTER_PERSONALITY		= 10,
	IORING_REGISTER_RESTRICTIONS		= 11,	/* 5.10 */
	IORING_REGISTER_ENABLE_RINGS		= 12,
	IORING_REGISTER_FILES2			= 13,	/* 5.13: with tags */
	IORING_REGISTER_FILES_UPDATE2		= 14,
	IORING_REGISTER_BUFFERS2		= 15,
	IORING_REGISTER_BUFFERS_UPDATE		= 16,
	IORING_REGISTER_IOWQ_AFF		= 17,	/* 5.14 */
	IORING_UNREGISTER_IOWQ_AFF		= 18,
	IORING_REGISTER_IOWQ_MAX_WORKERS	= 19,	/* 5.15 */
	IORING_REGISTER_RING_FDS		= 20,	/* 5.18 */
	IORING_UNREGISTER_RING_FDS		= 21,
	IORING_REGISTER_PBUF_RING		= 22,	/* 5.19 */
	IORING_UNREGISTER_PBUF_RING		= 23,
	IORING_REGISTER_SYNC_CANCEL		= 24,	/* 6.0 */
	IORING_REGISTER_FILE_ALLOC_RANGE	= 25,
	IORING_REGISTER_PBUF_STATUS		= 26,	/* 6.8 */
	IORING_REGISTER_NAPI			= 27,	/* 6.9 */
	IORING_UNREGISTER_NAPI			= 28,
	IORING_REGISTER_CLOCK			= 29,	/* 6.12 */
	IORING_REGISTER_CLONE_BUFFERS		= 30,
	IORING_REGISTER_SEND_MSG_RING		= 31,	/* 6.13: fd -1, no ring */
	IORING_REGISTER_ZCRX_IFQ		= 32,	/* 6.15 */
	IORING_REGISTER_RESIZE_RINGS		= 33,	/* 6.13 */
	IORING_REGISTER_MEM_REGION		= 34,
	IORING_REGISTER_QUERY			= 35,	/* 6.18: fd -1, no ring */

	IORING_REGISTER_LAST,			/* number of opcodes: 36 in 6.18 */

	/* or'ed into the opcode: fd is a registered ring index (6.3) */
	IORING_REGISTER_USE_REGISTERED_RING	= 1U << 31
};

/* io-wq worker kinds, the index into IORING_REGISTER_IOWQ_MAX_WORKERS' array. */
enum io_wq_type {
	IO_WQ_BOUND,
	IO_WQ_UNBOUND,
};

/* IORING_REGISTER_FILES_UPDATE (old form; see io_uring_rsrc_update). */
struct io_uring_files_update {
	uint32_t offset;
	uint32_t resv;
	iou_aligned_u64 fds;	/* int32_t * */
};

/* Memory regions (IORING_REGISTER_MEM_REGION, zcrx, 6.13). */
enum {
	IORING_MEM_REGION_TYPE_USER		= 1,	/* memory at user_addr */
};

struct io_uring_region_desc {
	uint64_t user_addr;
	uint64_t size;
	uint32_t flags;		/* IORING_MEM_REGION_TYPE_* */
	uint32_t id;
	uint64_t mmap_offset;	/* out, for kernel-allocated regions */
	uint64_t __resv[4];
};

enum {
	IORING_MEM_REGION_REG_WAIT_ARG		= 1,	/* region holds io_uring_reg_wait[] */
};

struct io_uring_mem_region_reg {
	uint64_t region_uptr;	/* struct io_uring_region_desc * */
	uint64_t flags;		/* IORING_MEM_REGION_REG_* */
	uint64_t __resv[2];
};

/* Registered files and buffers, with tags (5.13). */
#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)	/* nr empty slots, data unused */

struct io_uring_rsrc_register {
	uint32_t nr;
	uint32_t flags;		/* IORING_RSRC_REGISTER_* */
	uint64_t resv2;
	iou_aligned_u64 data;	/* int32_t fds[] or struct iovec[] */
	iou_aligned_u64 tags;	/* uint64_t[], or 0 */
};

struct io_uring_rsrc_update {
	uint32_t offset;
	uint32_t resv;
	iou_aligned_u64 data;
};

struct io_uring_rsrc_update2 {
	uint32_t offset;
	uint32_t resv;
	iou_aligned_u64 data;
	iou_aligned_u64 tags;
	uint32_t nr;
	uint32_t resv2;
};

/* A file-update entry of this value leaves the slot as it is. */
#define IORING_REGISTER_FILES_SKIP	(-2)

/* IORING_REGISTER_PROBE: which opcodes this kernel knows. */
#define IO_URING_OP_SUPPORTED		(1U << 0)

struct io_uring_probe_op {
	uint8_t op;
	uint8_t resv;
	uint16_t flags;		/* IO_URING_OP_* */
	uint32_t resv2;
};

struct io_uring_probe {
	uint8_t last_op;	/* highest opcode the kernel knows */
	uint8_t ops_len;	/* entries filled in ops[] */
	uint16_t resv;
	uint32_t resv2[3];
	struct io_uring_probe_op ops[];
};

/* IORING_REGISTER_RESTRICTIONS, on a ring created R_DISABLED (5.10). */
struct io_uring_restriction {
	uint16_t opcode;	/* IORING_RESTRICTION_* */
	union {
		uint8_t register_op;	/* IORING_RESTRICTION_REGISTER_OP */
		uint8_t sqe_op;		/* IORING_RESTRICTION_SQE_OP */
		uint8_t sqe_flags;	/* IORING_RESTRICTION_SQE_FLAGS_* */
	};
	uint8_t resv;
	uint32_t resv2[3];
};

enum io_uring_register_restriction_op {
	IORING_RESTRICTION_REGISTER_OP		= 0,	/* allow a register opcode */
	IORING_RESTRICTION_SQE_OP		= 1,	/* allow an SQE opcode */
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2,	/* allow these sqe->flags */
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3,	/* require these sqe->flags */

	IORING_RESTRICTION_LAST
};

/* IORING_REGISTER_CLOCK: clock for waits (6.12). */
struct io_uring_clock_register {
	uint32_t clockid;	/* CLOCK_MONOTONIC or CLOCK_BOOTTIME */
	uint32_t __resv[3];
};

/* IORING_REGISTER_CLONE_BUFFERS (6.12). */
enum {
	IORING_REGISTER_SRC_REGISTERED	= (1U << 0),	/* src_fd is a registered index */
	IORING_REGISTER_DST_REPLACE	= (1U << 1),	/* replace existing buffers */
};

struct io_uring_clone_buffers {
	uint32_t src_fd;
	uint32_t flags;		/* IORING_REGISTER_SRC_REGISTERED, _DST_REPLACE */
	uint32_t src_off;
	uint32_t dst_off;
	uint32_t nr;
	uint32_t pad[3];
};

/* ------------------------------------------------------------------------
 * Provided-buffer rings (IORING_REGISTER_PBUF_RING, 5.19).
 */
struct io_uring_buf {
	uint64_t addr;
	uint32_t len;
	uint16_t bid;
	uint16_t resv;
};

/*
 * The ring is an array of io_uring_buf; the tail we publish lives in the
 * first entry's resv field, so the ring takes no extra cache line.  The
 * zero-length array (not a flexible one) is what C allows inside a union.
 */
struct io_uring_buf_ring {
	union {
		struct {
			uint64_t resv1;
			uint32_t resv2;
			uint16_t resv3;
			uint16_t tail;
		};
		struct io_uring_buf bufs[0];
	};
};

/* io_uring_buf_reg.flags */
enum io_uring_register_pbuf_ring_flags {
	IOU_PBUF_RING_MMAP	= 1,	/* kernel allocates; mmap IORING_OFF_PBUF_RING (6.4) */
	IOU_PBUF_RING_INC	= 2,	/* buffers consumed incrementally (6.12) */
};

/* Argument of IORING_(UN)REGISTER_PBUF_RING. */
struct io_uring_buf_reg {
	uint64_t ring_addr;
	uint32_t ring_entries;	/* power of two */
	uint16_t bgid;
	uint16_t flags;		/* IOU_PBUF_RING_* (was "pad" before 6.4) */
	uint64_t resv[3];
};

/* Argument of IORING_REGISTER_PBUF_STATUS (6.8). */
struct io_uring_buf_status {
	uint32_t buf_group;	/* in */
	uint32_t head;		/* out */
	uint32_t resv[8];
};

/* ------------------------------------------------------------------------
 * NAPI busy polling (IORING_(UN)REGISTER_NAPI, 6.9).
 */
enum io_uring_napi_op {
	IO_URING_NAPI_REGISTER_OP	= 0,
	IO_URING_NAPI_STATIC_ADD_ID	= 1,	/* 6.13 */
	IO_URING_NAPI_STATIC_DEL_ID	= 2
};

enum io_uring_napi_tracking_strategy {
	IO_URING_NAPI_TRACKING_DYNAMIC	= 0,
	IO_URING_NAPI_TRACKING_STATIC	= 1,
	IO_URING_NAPI_TRACKING_INACTIVE	= 255
};

struct io_uring_napi {
	uint32_t busy_poll_to;	/* microseconds */
	uint8_t prefer_busy_poll;
	uint8_t opcode;		/* enum io_uring_napi_op */
	uint8_t pad[2];
	uint32_t op_param;	/* tracking strategy, or a napi id */
	uint32_t resv;
};

/* ------------------------------------------------------------------------
 * Waiting: io_uring_enter(2) extended arguments.
 */

/* One slot of a registered wait region (IORING_ENTER_EXT_ARG_REG, 6.13). */
enum {
	IORING_REG_WAIT_TS		= (1U << 0),	/* ts is valid */
};

struct io_uring_reg_wait {
	struct iou_timespec ts;
	uint32_t min_wait_usec;
	uint32_t flags;		/* IORING_REG_WAIT_* */
	uint64_t sigmask;
	uint32_t sigmask_sz;
	uint32_t pad[3];
	uint64_t pad2[2];
};

/* Argument with IORING_ENTER_EXT_ARG (5.11); argsz = sizeof. */
struct io_uring_getevents_arg {
	uint64_t sigmask;
	uint32_t sigmask_sz;
	uint32_t min_wait_usec;	/* 6.12, "pad" before */
	uint64_t ts;		/* struct iou_timespec * */
};

/* Argument of IORING_REGISTER_SYNC_CANCEL (6.0). */
struct io_uring_sync_cancel_reg {
	uint64_t addr;		/* user_data to match */
	int32_t fd;
	uint32_t flags;		/* IORING_ASYNC_CANCEL_* */
	struct iou_timespec timeout;	/* -1/-1: wait forever */
	uint8_t opcode;		/* with IORING_ASYNC_CANCEL_OP */
	uint8_t pad[7];
	uint64_t pad2[3];
};

/* Argument of IORING_REGISTER_FILE_ALLOC_RANGE: slots [off, off + len). */
struct io_uring_file_index_range {
	uint32_t off;
	uint32_t len;
	uint64_t resv;
};

/* Head of each buffer filled by multishot IORING_OP_RECVMSG. */
struct io_uring_recvmsg_out {
	uint32_t namelen;
	uint32_t controllen;
	uint32_t payloadlen;
	uint32_t flags;
};

/* ------------------------------------------------------------------------
 * IORING_OP_URING_CMD on a socket: sqe->cmd_op.
 */
enum io_uring_socket_op {
	SOCKET_URING_OP_SIOCINQ		= 0,
	SOCKET_URING_OP_SIOCOUTQ,
	SOCKET_URING_OP_GETSOCKOPT,	/* 6.7 */
	SOCKET_URING_OP_SETSOCKOPT,
	SOCKET_URING_OP_TX_TIMESTAMP,	/* 6.17 */
};

/* SOCKET_URING_OP_TX_TIMESTAMP: cqe->flags carry the timestamp kind. */
#define IORING_TIMESTAMP_HW_SHIFT	16
#define IORING_TIMESTAMP_TYPE_SHIFT	(IORING_TIMESTAMP_HW_SHIFT + 1)
#define IORING_CQE_F_TSTAMP_HW		((uint32_t)1 << IORING_TIMESTAMP_HW_SHIFT)

/* The timestamp itself, in the second half of a 32-byte CQE. */
struct io_timespec {
	uint64_t tv_sec;
	uint64_t tv_nsec;
};

/* ------------------------------------------------------------------------
 * Zero-copy receive (IORING_REGISTER_ZCRX_IFQ, IORING_OP_RECV_ZC, 6.15).
 */

/* Refill queue entry: a buffer handed back to the kernel. */
struct io_uring_zcrx_rqe {
	uint64_t off;
	uint32_t len;
	uint32_t __pad;
};

/* Second half of the 32-byte CQE of IORING_OP_RECV_ZC. */
struct io_uring_zcrx_cqe {
	uint64_t off;
	uint64_t __pad;
};

/* Area id in the top bits of io_uring_zcrx_rqe/cqe.off. */
#define IORING_ZCRX_AREA_SHIFT		48
#define IORING_ZCRX_AREA_MASK		(~(((uint64_t)1 << IORING_ZCRX_AREA_SHIFT) - 1))

struct io_uring_zcrx_offsets {
	uint32_t head;
	uint32_t tail;
	uint32_t rqes;
	uint32_t __resv2;
	uint64_t __resv[2];
};

enum io_uring_zcrx_area_flags {
	IORING_ZCRX_AREA_DMABUF		= 1,	/* dmabuf_fd is valid (6.16) */
};

struct io_uring_zcrx_area_reg {
	uint64_t addr;
	uint64_t len;
	uint64_t rq_area_token;	/* out */
	uint32_t flags;		/* IORING_ZCRX_AREA_* */
	uint32_t dmabuf_fd;
	uint64_t __resv2[2];
};

struct io_uring_zcrx_ifq_reg {
	uint32_t if_idx;
	uint32_t if_rxq;
	uint32_t rq_entries;
	uint32_t flags;
	uint64_t area_ptr;	/* struct io_uring_zcrx_area_reg * */
	uint64_t region_ptr;	/* struct io_uring_region_desc * */
	struct io_uring_zcrx_offsets offsets;	/* out */
	uint32_t zcrx_id;	/* out */
	uint32_t __resv2;
	uint64_t __resv[3];
};

/* ------------------------------------------------------------------------
 * IORING_REGISTER_QUERY (6.18), from <linux/io_uring/query.h>.
 *
 * io_uring_register(-1 or a ring, IORING_REGISTER_QUERY, &hdr, 0) walks a
 * chain of headers (next_entry, 0 ends it) and returns 0; each header gets
 * its own result (0, -EOPNOTSUPP for an unknown query_op, -EINVAL for a
 * bad header) and size = the bytes written to query_data.
 */
struct io_uring_query_hdr {
	uint64_t next_entry;	/* struct io_uring_query_hdr *, or 0 */
	uint64_t query_data;	/* the IO_URING_QUERY_* struct */
	uint32_t query_op;	/* IO_URING_QUERY_* */
	uint32_t size;		/* in: sizeof *query_data; out: bytes written */
	int32_t result;		/* in: 0; out: 0 or -errno */
	uint32_t __resv[3];
};

enum {
	IO_URING_QUERY_OPCODES		= 0,	/* struct io_uring_query_opcode */
};

struct io_uring_query_opcode {
	uint32_t nr_request_opcodes;	/* IORING_OP_LAST */
	uint32_t nr_register_opcodes;	/* IORING_REGISTER_LAST */
	uint64_t feature_flags;		/* every IORING_FEAT_* */
	uint64_t ring_setup_flags;	/* every IORING_SETUP_* */
	uint64_t enter_flags;		/* every IORING_ENTER_* */
	uint64_t sqe_flags;		/* every IOSQE_* */
	uint32_t nr_query_opcodes;	/* IO_URING_QUERY_* count */
	uint32_t __pad;
};

/* ------------------------------------------------------------------------
 * Layout checks: the sizes the kernel's UAPI fixes.
 */
#ifdef __cplusplus
#define IOU_ABI_SIZE(type, n) static_assert(sizeof(type) == (n), #type " size")
#else
#define IOU_ABI_SIZE(type, n) _Static_assert(sizeof(type) == (n), #type " size")
#endif

IOU_ABI_SIZE(struct iou_timespec, 16);
IOU_ABI_SIZE(struct io_uring_sqe, 64);
IOU_ABI_SIZE(struct io_uring_cqe, 16);
IOU_ABI_SIZE(struct io_uring_attr_pi, 32);
IOU_ABI_SIZE(struct io_sqring_offsets, 40);
IOU_ABI_SIZE(struct io_cqring_offsets, 40);
IOU_ABI_SIZE(struct io_uring_params, 120);
IOU_ABI_SIZE(struct io_uring_files_update, 16);
IOU_ABI_SIZE(struct io_uring_region_desc, 64);
IOU_ABI_SIZE(struct io_uring_mem_region_reg, 32);
IOU_ABI_SIZE(struct io_uring_rsrc_register, 32);
IOU_ABI_SIZE(struct io_uring_rsrc_update, 16);
IOU_ABI_SIZE(struct io_uring_rsrc_update2, 32);
IOU_ABI_SIZE(struct io_uring_probe_op, 8);
IOU_ABI_SIZE(struct io_uring_probe, 16);
IOU_ABI_SIZE(struct io_uring_restriction, 16);
IOU_ABI_SIZE(struct io_uring_clock_register, 16);
IOU_ABI_SIZE(struct io_uring_clone_buffers, 32);
IOU_ABI_SIZE(struct io_uring_buf, 16);
IOU_ABI_SIZE(struct io_uring_buf_ring, 16);
IOU_ABI_SIZE(struct io_uring_buf_reg, 40);
IOU_ABI_SIZE(struct io_uring_buf_status, 40);
IOU_ABI_SIZE(struct io_uring_napi, 16);
IOU_ABI_SIZE(struct io_uring_reg_wait, 64);
IOU_ABI_SIZE(struct io_uring_getevents_arg, 24);
IOU_ABI_SIZE(struct io_uring_sync_cancel_reg, 64);
IOU_ABI_SIZE(struct io_uring_file_index_range, 16);
IOU_ABI_SIZE(struct io_uring_recvmsg_out, 16);
IOU_ABI_SIZE(struct io_timespec, 16);
IOU_ABI_SIZE(struct io_uring_zcrx_rqe, 16);
IOU_ABI_SIZE(struct io_uring_zcrx_cqe, 16);
IOU_ABI_SIZE(struct io_uring_zcrx_offsets, 32);
IOU_ABI_SIZE(struct io_uring_zcrx_area_reg, 48);
IOU_ABI_SIZE(struct io_uring_zcrx_ifq_reg, 96);
IOU_ABI_SIZE(struct io_uring_query_hdr, 40);
IOU_ABI_SIZE(struct io_uring_query_opcode, 48);

#undef IOU_ABI_SIZE

#ifdef __cplusplus
}
#endif

#endif /* IOU_ABI_H */
