/* SPDX-License-Identifier: MIT */
/*
 * What <linux/io_uring.h> from linux-headers (6.1, Debian 12) knows, as
 * X-macro lists.  tests/abi_kernel.c expands them against that header and
 * tests/test_abi.c against include/iou/abi.h; the two translation units
 * cannot include both headers, and one list keeps them from drifting.
 *
 * Left out on purpose:
 *   - IORING_OP_LAST and IORING_REGISTER_LAST, which grew after 6.1 (they
 *     are checked against the running kernel instead);
 *   - struct io_uring_notification_slot/_register, which 6.1's header still
 *     carries but no released kernel uses (gone from the UAPI since).
 *
 * Field lists call four macros:
 *   F(s, f)           same name on both sides: offset and size compared;
 *   R(s, old, cur)    renamed since 6.1, same type: offset and size;
 *   O(s, old, cur)    renamed and retyped: offset only;
 *   V(s, f)           flexible or zero-length array: offset only.
 * Size lists call S(s) and, for a struct we name differently, SR(k, ours).
 */
#ifndef IOU_TESTS_ABI_LIST_H
#define IOU_TESTS_ABI_LIST_H

#include <stddef.h>

struct abi_const {
	const char *name;
	long long value;
};

struct abi_size {
	const char *name;
	size_t size;
	size_t align;
};

struct abi_field {
	const char *name;
	size_t offset;
	size_t size;
};

/* ---- constants, one list per test case ------------------------------ */

#define ABI_OPCODES(X)                                                        \
	X(IORING_OP_NOP) X(IORING_OP_READV) X(IORING_OP_WRITEV)               \
	X(IORING_OP_FSYNC) X(IORING_OP_READ_FIXED) X(IORING_OP_WRITE_FIXED)   \
	X(IORING_OP_POLL_ADD) X(IORING_OP_POLL_REMOVE)                        \
	X(IORING_OP_SYNC_FILE_RANGE) X(IORING_OP_SENDMSG)                     \
	X(IORING_OP_RECVMSG) X(IORING_OP_TIMEOUT)                             \
	X(IORING_OP_TIMEOUT_REMOVE) X(IORING_OP_ACCEPT)                       \
	X(IORING_OP_ASYNC_CANCEL) X(IORING_OP_LINK_TIMEOUT)                   \
	X(IORING_OP_CONNECT) X(IORING_OP_FALLOCATE) X(IORING_OP_OPENAT)       \
	X(IORING_OP_CLOSE) X(IORING_OP_FILES_UPDATE) X(IORING_OP_STATX)       \
	X(IORING_OP_READ) X(IORING_OP_WRITE) X(IORING_OP_FADVISE)             \
	X(IORING_OP_MADVISE) X(IORING_OP_SEND) X(IORING_OP_RECV)              \
	X(IORING_OP_OPENAT2) X(IORING_OP_EPOLL_CTL) X(IORING_OP_SPLICE)       \
	X(IORING_OP_PROVIDE_BUFFERS) X(IORING_OP_REMOVE_BUFFERS)              \
	X(IORING_OP_TEE) X(IORING_OP_SHUTDOWN) X(IORING_OP_RENAMEAT)          \
	X(IORING_OP_UNLINKAT) X(IORING_OP_MKDIRAT) X(IORING_OP_SYMLINKAT)     \
	X(IORING_OP_LINKAT) X(IORING_OP_MSG_RING) X(IORING_OP_FSETXATTR)      \
	X(IORING_OP_SETXATTR) X(IORING_OP_FGETXATTR) X(IORING_OP_GETXATTR)   \
	X(IORING_OP_SOCKET) X(IORING_OP_URING_CMD) X(IORING_OP_SEND_ZC)       \
	X(IORING_OP_SENDMSG_ZC)

#define ABI_SQE_FLAGS(X)                                                      \
	X(IOSQE_FIXED_FILE_BIT) X(IOSQE_IO_DRAIN_BIT) X(IOSQE_IO_LINK_BIT)    \
	X(IOSQE_IO_HARDLINK_BIT) X(IOSQE_ASYNC_BIT)                           \
	X(IOSQE_BUFFER_SELECT_BIT) X(IOSQE_CQE_SKIP_SUCCESS_BIT)              \
	X(IOSQE_FIXED_FILE) X(IOSQE_IO_DRAIN) X(IOSQE_IO_LINK)                \
	X(IOSQE_IO_HARDLINK) X(IOSQE_ASYNC) X(IOSQE_BUFFER_SELECT)            \
	X(IOSQE_CQE_SKIP_SUCCESS)

#define ABI_SETUP_FLAGS(X)                                                    \
	X(IORING_SETUP_IOPOLL) X(IORING_SETUP_SQPOLL) X(IORING_SETUP_SQ_AFF)  \
	X(IORING_SETUP_CQSIZE) X(IORING_SETUP_CLAMP)                          \
	X(IORING_SETUP_ATTACH_WQ) X(IORING_SETUP_R_DISABLED)                  \
	X(IORING_SETUP_SUBMIT_ALL) X(IORING_SETUP_COOP_TASKRUN)               \
	X(IORING_SETUP_TASKRUN_FLAG) X(IORING_SETUP_SQE128)                   \
	X(IORING_SETUP_CQE32) X(IORING_SETUP_SINGLE_ISSUER)                   \
	X(IORING_SETUP_DEFER_TASKRUN)

/* Flags that live in SQE fields: per-opcode flags and special values. */
#define ABI_OP_FLAGS(X)                                                       \
	X(IORING_FILE_INDEX_ALLOC) X(IORING_URING_CMD_FIXED)                  \
	X(IORING_FSYNC_DATASYNC)                                              \
	X(IORING_TIMEOUT_ABS) X(IORING_TIMEOUT_UPDATE)                        \
	X(IORING_TIMEOUT_BOOTTIME) X(IORING_TIMEOUT_REALTIME)                 \
	X(IORING_LINK_TIMEOUT_UPDATE) X(IORING_TIMEOUT_ETIME_SUCCESS)         \
	X(IORING_TIMEOUT_CLOCK_MASK) X(IORING_TIMEOUT_UPDATE_MASK)            \
	X(SPLICE_F_FD_IN_FIXED)                                               \
	X(IORING_POLL_ADD_MULTI) X(IORING_POLL_UPDATE_EVENTS)                 \
	X(IORING_POLL_UPDATE_USER_DATA) X(IORING_POLL_ADD_LEVEL)              \
	X(IORING_ASYNC_CANCEL_ALL) X(IORING_ASYNC_CANCEL_FD)                  \
	X(IORING_ASYNC_CANCEL_ANY) X(IORING_ASYNC_CANCEL_FD_FIXED)            \
	X(IORING_ASYNC_CANCEL_USERDATA) X(IORING_ASYNC_CANCEL_OP)             \
	X(IORING_RECVSEND_POLL_FIRST) X(IORING_RECV_MULTISHOT)                \
	X(IORING_RECVSEND_FIXED_BUF) X(IORING_SEND_ZC_REPORT_USAGE)           \
	X(IORING_ACCEPT_MULTISHOT)                                            \
	X(IORING_MSG_DATA) X(IORING_MSG_SEND_FD) X(IORING_MSG_RING_CQE_SKIP)

#define ABI_CQE_FLAGS(X)                                                      \
	X(IORING_CQE_F_BUFFER) X(IORING_CQE_F_MORE)                           \
	X(IORING_CQE_F_SOCK_NONEMPTY) X(IORING_CQE_F_NOTIF)                   \
	X(IORING_CQE_BUFFER_SHIFT) X(IORING_NOTIF_USAGE_ZC_COPIED)

/* mmap offsets and the flag words of the shared rings and of enter. */
#define ABI_RING_FLAGS(X)                                                     \
	X(IORING_OFF_SQ_RING) X(IORING_OFF_CQ_RING) X(IORING_OFF_SQES)        \
	X(IORING_OFF_MMAP_MASK)                                               \
	X(IORING_SQ_NEED_WAKEUP) X(IORING_SQ_CQ_OVERFLOW) X(IORING_SQ_TASKRUN) \
	X(IORING_CQ_EVENTFD_DISABLED)                                         \
	X(IORING_ENTER_GETEVENTS) X(IORING_ENTER_SQ_WAKEUP)                   \
	X(IORING_ENTER_SQ_WAIT) X(IORING_ENTER_EXT_ARG)                       \
	X(IORING_ENTER_REGISTERED_RING)

#define ABI_FEATURES(X)                                                       \
	X(IORING_FEAT_SINGLE_MMAP) X(IORING_FEAT_NODROP)                      \
	X(IORING_FEAT_SUBMIT_STABLE) X(IORING_FEAT_RW_CUR_POS)                \
	X(IORING_FEAT_CUR_PERSONALITY) X(IORING_FEAT_FAST_POLL)               \
	X(IORING_FEAT_POLL_32BITS) X(IORING_FEAT_SQPOLL_NONFIXED)             \
	X(IORING_FEAT_EXT_ARG) X(IORING_FEAT_NATIVE_WORKERS)                  \
	X(IORING_FEAT_RSRC_TAGS) X(IORING_FEAT_CQE_SKIP)                      \
	X(IORING_FEAT_LINKED_FILE)

#define ABI_REGISTER_CONSTS(X)                                                \
	X(IORING_REGISTER_BUFFERS) X(IORING_UNREGISTER_BUFFERS)               \
	X(IORING_REGISTER_FILES) X(IORING_UNREGISTER_FILES)                   \
	X(IORING_REGISTER_EVENTFD) X(IORING_UNREGISTER_EVENTFD)               \
	X(IORING_REGISTER_FILES_UPDATE) X(IORING_REGISTER_EVENTFD_ASYNC)      \
	X(IORING_REGISTER_PROBE) X(IORING_REGISTER_PERSONALITY)               \
	X(IORING_UNREGISTER_PERSONALITY) X(IORING_REGISTER_RESTRICTIONS)      \
	X(IORING_REGISTER_ENABLE_RINGS) X(IORING_REGISTER_FILES2)             \
	X(IORING_REGISTER_FILES_UPDATE2) X(IORING_REGISTER_BUFFERS2)          \
	X(IORING_REGISTER_BUFFERS_UPDATE) X(IORING_REGISTER_IOWQ_AFF)         \
	X(IORING_UNREGISTER_IOWQ_AFF) X(IORING_REGISTER_IOWQ_MAX_WORKERS)     \
	X(IORING_REGISTER_RING_FDS) X(IORING_UNREGISTER_RING_FDS)             \
	X(IORING_REGISTER_PBUF_RING) X(IORING_UNREGISTER_PBUF_RING)           \
	X(IORING_REGISTER_SYNC_CANCEL) X(IORING_REGISTER_FILE_ALLOC_RANGE)    \
	X(IO_WQ_BOUND) X(IO_WQ_UNBOUND)                                       \
	X(IORING_RSRC_REGISTER_SPARSE) X(IORING_REGISTER_FILES_SKIP)          \
	X(IO_URING_OP_SUPPORTED)                                              \
	X(IORING_RESTRICTION_REGISTER_OP) X(IORING_RESTRICTION_SQE_OP)        \
	X(IORING_RESTRICTION_SQE_FLAGS_ALLOWED)                               \
	X(IORING_RESTRICTION_SQE_FLAGS_REQUIRED) X(IORING_RESTRICTION_LAST)

/* ---- struct sizes and alignments ------------------------------------ */

#define ABI_STRUCTS(S, SR)                                                    \
	S(io_uring_sqe) S(io_uring_cqe) S(io_sqring_offsets)                  \
	S(io_cqring_offsets) S(io_uring_params) S(io_uring_files_update)      \
	S(io_uring_rsrc_register) S(io_uring_rsrc_update)                     \
	S(io_uring_rsrc_update2) S(io_uring_probe_op) S(io_uring_probe)       \
	S(io_uring_restriction) S(io_uring_buf) S(io_uring_buf_ring)          \
	S(io_uring_buf_reg) S(io_uring_getevents_arg)                         \
	S(io_uring_sync_cancel_reg) S(io_uring_file_index_range)              \
	S(io_uring_recvmsg_out) SR(__kernel_timespec, iou_timespec)

/* ---- field offsets and sizes ---------------------------------------- */

#define ABI_SQE_FIELDS(F, R, O, V)                                            \
	F(io_uring_sqe, opcode) F(io_uring_sqe, flags)                        \
	F(io_uring_sqe, ioprio) F(io_uring_sqe, fd)                           \
	F(io_uring_sqe, off) F(io_uring_sqe, addr2)                           \
	F(io_uring_sqe, cmd_op) F(io_uring_sqe, __pad1)                       \
	F(io_uring_sqe, addr) F(io_uring_sqe, splice_off_in)                  \
	F(io_uring_sqe, len)                                                  \
	F(io_uring_sqe, rw_flags) F(io_uring_sqe, fsync_flags)                \
	F(io_uring_sqe, poll_events) F(io_uring_sqe, poll32_events)           \
	F(io_uring_sqe, sync_range_flags) F(io_uring_sqe, msg_flags)          \
	F(io_uring_sqe, timeout_flags) F(io_uring_sqe, accept_flags)          \
	F(io_uring_sqe, cancel_flags) F(io_uring_sqe, open_flags)             \
	F(io_uring_sqe, statx_flags) F(io_uring_sqe, fadvise_advice)          \
	F(io_uring_sqe, splice_flags) F(io_uring_sqe, rename_flags)           \
	F(io_uring_sqe, unlink_flags) F(io_uring_sqe, hardlink_flags)         \
	F(io_uring_sqe, xattr_flags) F(io_uring_sqe, msg_ring_flags)          \
	F(io_uring_sqe, uring_cmd_flags)                                      \
	F(io_uring_sqe, user_data)                                            \
	F(io_uring_sqe, buf_index) F(io_uring_sqe, buf_group)                 \
	F(io_uring_sqe, personality)                                          \
	F(io_uring_sqe, splice_fd_in) F(io_uring_sqe, file_index)             \
	F(io_uring_sqe, addr_len) F(io_uring_sqe, __pad3)                     \
	F(io_uring_sqe, addr3) F(io_uring_sqe, __pad2)                        \
	V(io_uring_sqe, cmd)

/* The CQE, setup's parameters and the ring offsets they return. */
#define ABI_RING_FIELDS(F, R, O, V)                                           \
	F(io_uring_cqe, user_data) F(io_uring_cqe, res)                       \
	F(io_uring_cqe, flags) V(io_uring_cqe, big_cqe)                       \
	F(io_sqring_offsets, head) F(io_sqring_offsets, tail)                 \
	F(io_sqring_offsets, ring_mask) F(io_sqring_offsets, ring_entries)    \
	F(io_sqring_offsets, flags) F(io_sqring_offsets, dropped)             \
	F(io_sqring_offsets, array) F(io_sqring_offsets, resv1)               \
	R(io_sqring_offsets, resv2, user_addr)                                \
	F(io_cqring_offsets, head) F(io_cqring_offsets, tail)                 \
	F(io_cqring_offsets, ring_mask) F(io_cqring_offsets, ring_entries)    \
	F(io_cqring_offsets, overflow) F(io_cqring_offsets, cqes)             \
	F(io_cqring_offsets, flags) F(io_cqring_offsets, resv1)               \
	R(io_cqring_offsets, resv2, user_addr)                                \
	F(io_uring_params, sq_entries) F(io_uring_params, cq_entries)         \
	F(io_uring_params, flags) F(io_uring_params, sq_thread_cpu)           \
	F(io_uring_params, sq_thread_idle) F(io_uring_params, features)       \
	F(io_uring_params, wq_fd) F(io_uring_params, resv)                    \
	F(io_uring_params, sq_off) F(io_uring_params, cq_off)                 \
	F(io_uring_getevents_arg, sigmask)                                    \
	F(io_uring_getevents_arg, sigmask_sz)                                 \
	R(io_uring_getevents_arg, pad, min_wait_usec)                         \
	F(io_uring_getevents_arg, ts)

/* Arguments of io_uring_register(2) and what they point to. */
#define ABI_REGISTER_FIELDS(F, R, O, V)                                       \
	F(io_uring_files_update, offset) F(io_uring_files_update, resv)       \
	F(io_uring_files_update, fds)                                         \
	F(io_uring_rsrc_register, nr) F(io_uring_rsrc_register, flags)        \
	F(io_uring_rsrc_register, resv2) F(io_uring_rsrc_register, data)      \
	F(io_uring_rsrc_register, tags)                                       \
	F(io_uring_rsrc_update, offset) F(io_uring_rsrc_update, resv)         \
	F(io_uring_rsrc_update, data)                                         \
	F(io_uring_rsrc_update2, offset) F(io_uring_rsrc_update2, resv)       \
	F(io_uring_rsrc_update2, data) F(io_uring_rsrc_update2, tags)         \
	F(io_uring_rsrc_update2, nr) F(io_uring_rsrc_update2, resv2)          \
	F(io_uring_probe_op, op) F(io_uring_probe_op, resv)                   \
	F(io_uring_probe_op, flags) F(io_uring_probe_op, resv2)               \
	F(io_uring_probe, last_op) F(io_uring_probe, ops_len)                 \
	F(io_uring_probe, resv) F(io_uring_probe, resv2)                      \
	V(io_uring_probe, ops)                                                \
	F(io_uring_restriction, opcode) F(io_uring_restriction, register_op)  \
	F(io_uring_restriction, sqe_op) F(io_uring_restriction, sqe_flags)    \
	F(io_uring_restriction, resv) F(io_uring_restriction, resv2)          \
	F(io_uring_buf, addr) F(io_uring_buf, len) F(io_uring_buf, bid)       \
	F(io_uring_buf, resv)                                                 \
	F(io_uring_buf_ring, resv1) F(io_uring_buf_ring, resv2)               \
	F(io_uring_buf_ring, resv3) F(io_uring_buf_ring, tail)                \
	V(io_uring_buf_ring, bufs)                                            \
	F(io_uring_buf_reg, ring_addr) F(io_uring_buf_reg, ring_entries)      \
	F(io_uring_buf_reg, bgid) R(io_uring_buf_reg, pad, flags)             \
	F(io_uring_buf_reg, resv)                                             \
	F(io_uring_sync_cancel_reg, addr) F(io_uring_sync_cancel_reg, fd)     \
	F(io_uring_sync_cancel_reg, flags)                                    \
	F(io_uring_sync_cancel_reg, timeout)                                  \
	F(io_uring_sync_cancel_reg, timeout.tv_sec)                           \
	F(io_uring_sync_cancel_reg, timeout.tv_nsec)                          \
	O(io_uring_sync_cancel_reg, pad, opcode)                              \
	F(io_uring_file_index_range, off) F(io_uring_file_index_range, len)   \
	F(io_uring_file_index_range, resv)                                    \
	F(io_uring_recvmsg_out, namelen) F(io_uring_recvmsg_out, controllen)  \
	F(io_uring_recvmsg_out, payloadlen) F(io_uring_recvmsg_out, flags)

/* ---- the tables, and the test cases they feed ----------------------- */

/* X(prefix, storage, kind, list): one test_abi_<kind> per line. */
#define ABI_CONST_TABLES(X, p, st)                                            \
	X(p, st, opcodes, ABI_OPCODES)                                        \
	X(p, st, sqe_flags, ABI_SQE_FLAGS)                                    \
	X(p, st, setup_flags, ABI_SETUP_FLAGS)                                \
	X(p, st, op_flags, ABI_OP_FLAGS)                                      \
	X(p, st, cqe_flags, ABI_CQE_FLAGS)                                    \
	X(p, st, ring_flags, ABI_RING_FLAGS)                                  \
	X(p, st, features, ABI_FEATURES)                                      \
	X(p, st, register_consts, ABI_REGISTER_CONSTS)

#define ABI_FIELD_TABLES(X, p, st)                                            \
	X(p, st, sqe_layout, ABI_SQE_FIELDS)                                  \
	X(p, st, ring_layout, ABI_RING_FIELDS)                                \
	X(p, st, register_layout, ABI_REGISTER_FIELDS)

#define ABI_NR(a) (sizeof(a) / sizeof((a)[0]))

#define ABI_CONST_ENTRY(n) { #n, (long long)(n) },
#define ABI_SIZE_ENTRY(s) { #s, sizeof(struct s), _Alignof(struct s) },
#define ABI_MEMBER_SIZE(s, f) sizeof(((struct s *)0)->f)
#define ABI_FIELD_ENTRY(s, f)                                                 \
	{ #s "." #f, offsetof(struct s, f), ABI_MEMBER_SIZE(s, f) },
#define ABI_FLEX_ENTRY(s, f) { #s "." #f, offsetof(struct s, f), 0 },
/* Renamed fields: both sides use the same "s.old/cur" label. */
#define ABI_RENAMED_ENTRY(s, f, old, cur)                                     \
	{ #s "." #old "/" #cur, offsetof(struct s, f), ABI_MEMBER_SIZE(s, f) },
#define ABI_RETYPED_ENTRY(s, f, old, cur)                                     \
	{ #s "." #old "/" #cur, offsetof(struct s, f), 0 },

/*
 * ABI_DEFINE_TABLES(prefix, storage, R, O, SR) defines every table as
 * <prefix><kind>[] and <prefix><kind>_nr; R, O and SR pick which side of
 * a renamed field or struct this translation unit sees.
 */
#define ABI_DEF_CONST(p, st, kind, list)                                      \
	st const struct abi_const p##kind[] = { list(ABI_CONST_ENTRY) };      \
	st const size_t p##kind##_nr = ABI_NR(p##kind);
#define ABI_DEF_FIELDS(p, st, kind, list)                                     \
	st const struct abi_field p##kind[] = {                               \
		list(ABI_FIELD_ENTRY, ABI_R, ABI_O, ABI_FLEX_ENTRY)           \
	};                                                                    \
	st const size_t p##kind##_nr = ABI_NR(p##kind);
#define ABI_DEFINE_TABLES(p, st)                                              \
	ABI_CONST_TABLES(ABI_DEF_CONST, p, st)                                \
	ABI_FIELD_TABLES(ABI_DEF_FIELDS, p, st)                               \
	st const struct abi_size p##struct_sizes[] = {                        \
		ABI_STRUCTS(ABI_SIZE_ENTRY, ABI_SR)                           \
	};                                                                    \
	st const size_t p##struct_sizes_nr = ABI_NR(p##struct_sizes);

/* What abi_kernel.c exports. */
#define ABI_DECL_CONST(p, st, kind, list)                                     \
	extern const struct abi_const p##kind[];                              \
	extern const size_t p##kind##_nr;
#define ABI_DECL_FIELDS(p, st, kind, list)                                    \
	extern const struct abi_field p##kind[];                              \
	extern const size_t p##kind##_nr;
ABI_CONST_TABLES(ABI_DECL_CONST, abi_kernel_, )
ABI_FIELD_TABLES(ABI_DECL_FIELDS, abi_kernel_, )
extern const struct abi_size abi_kernel_struct_sizes[];
extern const size_t abi_kernel_struct_sizes_nr;

#endif /* IOU_TESTS_ABI_LIST_H */
