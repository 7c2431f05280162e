/* SPDX-License-Identifier: MIT */
/*
 * The calls test_compat_prep_bytes makes, once through the system's
 * liburing.h (real.c) and once through ours (ours.c): every helper of
 * liburing 2.3 that writes an SQE, with fixed, distinctive arguments.
 * Each entry is one test, named by its first argument.
 *
 *   CALL(name, ...)        both must write the same 64 bytes
 *   CALL_ALLOC(name, ...)  a *_direct helper given IORING_FILE_INDEX_ALLOC:
 *			    liburing 2.3 writes file_index = ALLOC + 1 = 0 (a
 *			    plain, non-direct request) where its man pages say
 *			    a free slot is allocated; we write
 *			    IORING_FILE_INDEX_ALLOC, which does that.  Every
 *			    other byte must agree.
 *
 * The includer defines both macros and has <liburing.h> (one of them)
 * included; `sqe` is the SQE.  Flag values that the two liburing.h do
 * not both define come as numbers.
 */
#define T_FD 0x1234
#define T_FD2 0x0765
#define T_P1 ((void *)(uintptr_t)0x7f1122334450ULL)
#define T_P2 ((void *)(uintptr_t)0x7f5566778890ULL)
#define T_P3 ((void *)(uintptr_t)0x7f99aabbccd0ULL)
#define T_LEN 0x13579bdU
#define T_OFF 0x0123456789abcdefULL
#define T_U64A 0xfedcba9876543210ULL
#define T_U64B 0x0f1e2d3c4b5a6978ULL
#define T_SLOT 0x77U
#define T_BUF_INDEX 0x1a2b

CALL(io_uring_prep_rw,
     io_uring_prep_rw(IORING_OP_WRITEV, sqe, T_FD, T_P1, T_LEN, T_OFF))
CALL(io_uring_prep_nop, io_uring_prep_nop(sqe))
CALL(io_uring_prep_read, io_uring_prep_read(sqe, T_FD, T_P1, T_LEN, T_OFF))
CALL(io_uring_prep_write, io_uring_prep_write(sqe, T_FD, T_P1, T_LEN, T_OFF))
CALL(io_uring_prep_readv, io_uring_prep_readv(sqe, T_FD, T_P1, 7, T_OFF))
/* RWF_HIPRI | RWF_NOWAIT */
CALL(io_uring_prep_readv2,
     io_uring_prep_readv2(sqe, T_FD, T_P1, 7, T_OFF, 0x9))
CALL(io_uring_prep_writev, io_uring_prep_writev(sqe, T_FD, T_P1, 7, T_OFF))
/* RWF_DSYNC | RWF_APPEND */
CALL(io_uring_prep_writev2,
     io_uring_prep_writev2(sqe, T_FD, T_P1, 7, T_OFF, 0x12))
CALL(io_uring_prep_read_fixed,
     io_uring_prep_read_fixed(sqe, T_FD, T_P1, T_LEN, T_OFF, T_BUF_INDEX))
CALL(io_uring_prep_write_fixed,
     io_uring_prep_write_fixed(sqe, T_FD, T_P1, T_LEN, T_OFF, T_BUF_INDEX))
CALL(io_uring_prep_fsync,
     io_uring_prep_fsync(sqe, T_FD, IORING_FSYNC_DATASYNC))
CALL(io_uring_prep_sync_file_range,
     io_uring_prep_sync_file_range(sqe, T_FD, T_LEN, T_OFF, 7))
CALL(io_uring_prep_fallocate,
     io_uring_prep_fallocate(sqe, T_FD, 3, (off_t)0x123456789aLL,
			     (off_t)0x2468acLL))
/* POSIX_FADV_DONTNEED */
CALL(io_uring_prep_fadvise,
     io_uring_prep_fadvise(sqe, T_FD, T_OFF, (off_t)T_LEN, 4))
/* A length past 32 bits: 2.3 keeps its low half in sqe->len. */
CALL(io_uring_prep_fadvise__len64,
     io_uring_prep_fadvise(sqe, T_FD, T_OFF, (off_t)0x123456789LL, 4))
/* MADV_DONTNEED */
CALL(io_uring_prep_madvise,
     io_uring_prep_madvise(sqe, T_P1, (off_t)T_LEN, 4))
CALL(io_uring_prep_madvise__len64,
     io_uring_prep_madvise(sqe, T_P1, (off_t)0x123456789LL, 4))
CALL(io_uring_prep_splice,
     io_uring_prep_splice(sqe, T_FD, (int64_t)0x1122334455LL, T_FD2, -1,
			  T_LEN, 0x5))
CALL(io_uring_prep_tee, io_uring_prep_tee(sqe, T_FD, T_FD2, T_LEN, 0x3))

/* Polling, timeouts, cancellation */
CALL(io_uring_prep_poll_add, io_uring_prep_poll_add(sqe, T_FD, 0x12345u))
CALL(io_uring_prep_poll_multishot,
     io_uring_prep_poll_multishot(sqe, T_FD, 0x2019u))
CALL(io_uring_prep_poll_remove, io_uring_prep_poll_remove(sqe, T_U64A))
CALL(io_uring_prep_poll_update,
     io_uring_prep_poll_update(sqe, T_U64A, T_U64B, 0x12345u,
			       IORING_POLL_UPDATE_EVENTS |
				       IORING_POLL_UPDATE_USER_DATA |
				       IORING_POLL_ADD_MULTI))
CALL(io_uring_prep_timeout,
     io_uring_prep_timeout(sqe, T_P1, 3, IORING_TIMEOUT_ABS))
CALL(io_uring_prep_timeout_remove,
     io_uring_prep_timeout_remove(sqe, T_U64A, 0))
CALL(io_uring_prep_timeout_update,
     io_uring_prep_timeout_update(sqe, T_P1, T_U64A, IORING_TIMEOUT_ABS))
/* liburing adds IORING_TIMEOUT_UPDATE here too (iou's own helper not). */
CALL(io_uring_prep_timeout_update__link,
     io_uring_prep_timeout_update(sqe, T_P1, T_U64A,
				  IORING_LINK_TIMEOUT_UPDATE))
CALL(io_uring_prep_link_timeout,
     io_uring_prep_link_timeout(sqe, T_P1, IORING_TIMEOUT_BOOTTIME))
CALL(io_uring_prep_cancel64,
     io_uring_prep_cancel64(sqe, T_U64A, IORING_ASYNC_CANCEL_ALL))
CALL(io_uring_prep_cancel,
     io_uring_prep_cancel(sqe, T_P2, IORING_ASYNC_CANCEL_ANY))
CALL(io_uring_prep_cancel_fd,
     io_uring_prep_cancel_fd(sqe, T_FD, IORING_ASYNC_CANCEL_ALL))

/* Sockets */
CALL(io_uring_prep_socket,
     io_uring_prep_socket(sqe, AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 6, 0))
CALL(io_uring_prep_socket_direct,
     io_uring_prep_socket_direct(sqe, AF_INET6, SOCK_STREAM, 6, T_SLOT, 0))
CALL_ALLOC(io_uring_prep_socket_direct__alloc,
	   io_uring_prep_socket_direct(sqe, AF_INET6, SOCK_STREAM, 6,
				       IORING_FILE_INDEX_ALLOC, 0))
CALL(io_uring_prep_socket_direct_alloc,
     io_uring_prep_socket_direct_alloc(sqe, AF_INET, SOCK_DGRAM, 17, 0))
CALL(io_uring_prep_accept,
     io_uring_prep_accept(sqe, T_FD, T_P1, T_P2, SOCK_NONBLOCK | SOCK_CLOEXEC))
CALL(io_uring_prep_accept_direct,
     io_uring_prep_accept_direct(sqe, T_FD, T_P1, T_P2, SOCK_NONBLOCK,
				 T_SLOT))
CALL_ALLOC(io_uring_prep_accept_direct__alloc,
	   io_uring_prep_accept_direct(sqe, T_FD, T_P1, T_P2, SOCK_NONBLOCK,
				       IORING_FILE_INDEX_ALLOC))
CALL(io_uring_prep_multishot_accept,
     io_uring_prep_multishot_accept(sqe, T_FD, T_P1, T_P2, SOCK_CLOEXEC))
CALL(io_uring_prep_multishot_accept_direct,
     io_uring_prep_multishot_accept_direct(sqe, T_FD, T_P1, T_P2,
					   SOCK_NONBLOCK))
CALL(io_uring_prep_connect, io_uring_prep_connect(sqe, T_FD, T_P1, 0x6e))
CALL(io_uring_prep_shutdown, io_uring_prep_shutdown(sqe, T_FD, SHUT_RDWR))
CALL(io_uring_prep_send,
     io_uring_prep_send(sqe, T_FD, T_P1, T_LEN, MSG_DONTWAIT | MSG_MORE))
CALL(io_uring_prep_send_zc,
     io_uring_prep_send_zc(sqe, T_FD, T_P1, T_LEN, MSG_NOSIGNAL,
			   IORING_RECVSEND_POLL_FIRST))
CALL(io_uring_prep_send_zc_fixed,
     io_uring_prep_send_zc_fixed(sqe, T_FD, T_P1, T_LEN, MSG_NOSIGNAL,
				 IORING_RECVSEND_POLL_FIRST, T_BUF_INDEX))
/* Only addr2 and addr_len: the rest stays as it was. */
CALL(io_uring_prep_send_set_addr,
     io_uring_prep_send_set_addr(sqe, T_P2, 0x1c))
CALL(io_uring_prep_send_set_addr__after_send_zc,
     io_uring_prep_send_zc(sqe, T_FD, T_P1, T_LEN, 0, 0);
     io_uring_prep_send_set_addr(sqe, T_P2, 0x1c))
CALL(io_uring_prep_sendmsg,
     io_uring_prep_sendmsg(sqe, T_FD, T_P1, MSG_DONTWAIT | MSG_EOR))
CALL(io_uring_prep_sendmsg_zc,
     io_uring_prep_sendmsg_zc(sqe, T_FD, T_P1, MSG_NOSIGNAL))
CALL(io_uring_prep_recv,
     io_uring_prep_recv(sqe, T_FD, T_P1, T_LEN, MSG_WAITALL | MSG_PEEK))
CALL(io_uring_prep_recv_multishot,
     io_uring_prep_recv_multishot(sqe, T_FD, NULL, 0, MSG_TRUNC))
CALL(io_uring_prep_recvmsg,
     io_uring_prep_recvmsg(sqe, T_FD, T_P1, MSG_CMSG_CLOEXEC))
CALL(io_uring_prep_recvmsg_multishot,
     io_uring_prep_recvmsg_multishot(sqe, T_FD, T_P1, MSG_TRUNC))

/* Files and paths */
CALL(io_uring_prep_close, io_uring_prep_close(sqe, T_FD))
CALL(io_uring_prep_close_direct, io_uring_prep_close_direct(sqe, T_SLOT))
CALL(io_uring_prep_openat,
     io_uring_prep_openat(sqe, T_FD, T_P1, O_RDWR | O_CREAT | O_CLOEXEC,
			  0640))
CALL(io_uring_prep_openat_direct,
     io_uring_prep_openat_direct(sqe, AT_FDCWD, T_P1, O_RDONLY | O_DIRECTORY,
				 0, T_SLOT))
CALL_ALLOC(io_uring_prep_openat_direct__alloc,
	   io_uring_prep_openat_direct(sqe, T_FD, T_P1, O_WRONLY, 0600,
				       IORING_FILE_INDEX_ALLOC))
CALL(io_uring_prep_openat2, io_uring_prep_openat2(sqe, T_FD, T_P1, T_P2))
CALL(io_uring_prep_openat2_direct,
     io_uring_prep_openat2_direct(sqe, T_FD, T_P1, T_P2, T_SLOT))
CALL_ALLOC(io_uring_prep_openat2_direct__alloc,
	   io_uring_prep_openat2_direct(sqe, T_FD, T_P1, T_P2,
					IORING_FILE_INDEX_ALLOC))
CALL(io_uring_prep_files_update,
     io_uring_prep_files_update(sqe, T_P1, 5, 9))
CALL(io_uring_prep_files_update__alloc,
     io_uring_prep_files_update(sqe, T_P1, 5, (int)IORING_FILE_INDEX_ALLOC))
CALL(io_uring_prep_statx,
     io_uring_prep_statx(sqe, T_FD, T_P1, AT_SYMLINK_NOFOLLOW, 0x7ffU, T_P2))
/* EPOLL_CTL_MOD */
CALL(io_uring_prep_epoll_ctl,
     io_uring_prep_epoll_ctl(sqe, T_FD, T_FD2, 3, T_P1))
CALL(io_uring_prep_unlinkat,
     io_uring_prep_unlinkat(sqe, T_FD, T_P1, AT_REMOVEDIR))
CALL(io_uring_prep_unlink, io_uring_prep_unlink(sqe, T_P1, AT_REMOVEDIR))
/* RENAME_NOREPLACE */
CALL(io_uring_prep_renameat,
     io_uring_prep_renameat(sqe, T_FD, T_P1, T_FD2, T_P2, 1))
CALL(io_uring_prep_rename, io_uring_prep_rename(sqe, T_P1, T_P2))
CALL(io_uring_prep_mkdirat, io_uring_prep_mkdirat(sqe, T_FD, T_P1, 0755))
CALL(io_uring_prep_mkdir, io_uring_prep_mkdir(sqe, T_P1, 0700))
CALL(io_uring_prep_symlinkat,
     io_uring_prep_symlinkat(sqe, T_P1, T_FD, T_P2))
CALL(io_uring_prep_symlink, io_uring_prep_symlink(sqe, T_P1, T_P2))
CALL(io_uring_prep_linkat,
     io_uring_prep_linkat(sqe, T_FD, T_P1, T_FD2, T_P2, AT_SYMLINK_FOLLOW))
CALL(io_uring_prep_link,
     io_uring_prep_link(sqe, T_P1, T_P2, AT_SYMLINK_FOLLOW))
CALL(io_uring_prep_getxattr,
     io_uring_prep_getxattr(sqe, T_P1, T_P2, T_P3, T_LEN))
/* XATTR_CREATE */
CALL(io_uring_prep_setxattr,
     io_uring_prep_setxattr(sqe, T_P1, T_P2, T_P3, 1, T_LEN))
CALL(io_uring_prep_fgetxattr,
     io_uring_prep_fgetxattr(sqe, T_FD, T_P1, T_P2, T_LEN))
/* XATTR_REPLACE */
CALL(io_uring_prep_fsetxattr,
     io_uring_prep_fsetxattr(sqe, T_FD, T_P1, T_P2, 2, T_LEN))

/* Buffers, rings */
CALL(io_uring_prep_provide_buffers,
     io_uring_prep_provide_buffers(sqe, T_P1, 0x3579, 0x21, T_BUF_INDEX,
				   0x31))
CALL(io_uring_prep_provide_buffers__negative_bid,
     io_uring_prep_provide_buffers(sqe, T_P1, 0x3579, 0x21, T_BUF_INDEX, -2))
CALL(io_uring_prep_remove_buffers,
     io_uring_prep_remove_buffers(sqe, 0x21, T_BUF_INDEX))
/* IORING_MSG_RING_CQE_SKIP */
CALL(io_uring_prep_msg_ring,
     io_uring_prep_msg_ring(sqe, T_FD, T_LEN, T_U64A, 1))

/* The SQE setters */
CALL(io_uring_sqe_set_data, io_uring_sqe_set_data(sqe, T_P3))
CALL(io_uring_sqe_set_data64, io_uring_sqe_set_data64(sqe, T_U64B))
CALL(io_uring_sqe_set_flags,
     io_uring_sqe_set_flags(sqe, IOSQE_IO_LINK | IOSQE_ASYNC |
					 IOSQE_BUFFER_SELECT))
CALL(__io_uring_set_target_fixed_file,
     __io_uring_set_target_fixed_file(sqe, T_SLOT))
/* A whole SQE as a program writes one: prep, then the setters. */
CALL(io_uring_prep_read__then_setters,
     io_uring_prep_read(sqe, T_FD, NULL, T_LEN, T_OFF);
     io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
     io_uring_sqe_set_data64(sqe, T_U64A))
