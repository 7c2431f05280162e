/* SPDX-License-Identifier: MIT */
/*
 * System call numbers of the asm-generic table (include/uapi/asm-generic/
 * unistd.h), which aarch64 and riscv64 share.  64-bit only: mmap, fcntl and
 * friends are the __NR3264_* entries.  Included only by an arch header.
 */
#ifndef IOU_SYS_GENERIC_NR_H
#define IOU_SYS_GENERIC_NR_H

#define IOU_NR_eventfd2		19
#define IOU_NR_epoll_create1	20
#define IOU_NR_epoll_ctl	21
#define IOU_NR_epoll_pwait	22
#define IOU_NR_fcntl		25
#define IOU_NR_openat		56
#define IOU_NR_close		57
#define IOU_NR_read		63
#define IOU_NR_write		64
#define IOU_NR_readv		65
#define IOU_NR_writev		66
#define IOU_NR_pread64		67
#define IOU_NR_pwrite64		68
#define IOU_NR_signalfd4	74
#define IOU_NR_splice		76
#define IOU_NR_fsync		82
#define IOU_NR_exit_group	94
#define IOU_NR_clock_gettime	113
#define IOU_NR_tgkill		131
#define IOU_NR_sigaltstack	132
#define IOU_NR_rt_sigaction	134
#define IOU_NR_rt_sigprocmask	135
#define IOU_NR_getpid		172
#define IOU_NR_gettid		178
#define IOU_NR_socket		198
#define IOU_NR_bind		200
#define IOU_NR_listen		201
#define IOU_NR_connect		203
#define IOU_NR_getsockname	204
#define IOU_NR_getpeername	205
#define IOU_NR_sendto		206
#define IOU_NR_recvfrom		207
#define IOU_NR_setsockopt	208
#define IOU_NR_getsockopt	209
#define IOU_NR_shutdown		210
#define IOU_NR_sendmsg		211
#define IOU_NR_recvmsg		212
#define IOU_NR_munmap		215
#define IOU_NR_mmap		222
#define IOU_NR_mprotect		226
#define IOU_NR_madvise		233
#define IOU_NR_accept4		242
#define IOU_NR_prlimit64	261
#define IOU_NR_statx		291
#define IOU_NR_mremap		216
#define IOU_NR_preadv		69
#define IOU_NR_pwritev		70
#define IOU_NR_fdatasync	83
#define IOU_NR_ppoll		73
#define IOU_NR_io_uring_setup	425
#define IOU_NR_io_uring_enter	426
#define IOU_NR_io_uring_register 427

#endif
