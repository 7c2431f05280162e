/* SPDX-License-Identifier: MIT */
/*
 * The Linux errno values iou returns, as IOU_E*, for code built without a
 * libc.  They are the asm-generic numbers, the same on x86_64, aarch64 and
 * riscv64, so they compare equal to <errno.h>'s E* where a libc is used.
 */
#ifndef IOU_ERR_H
#define IOU_ERR_H

#define IOU_EPERM	1
#define IOU_ENOENT	2
#define IOU_EINTR	4
#define IOU_EIO		5
#define IOU_EBADF	9
#define IOU_EAGAIN	11
#define IOU_ENOMEM	12
#define IOU_EFAULT	14
#define IOU_EBUSY	16
#define IOU_EEXIST	17
#define IOU_ENODEV	19
#define IOU_EINVAL	22
#define IOU_ENFILE	23
#define IOU_EMFILE	24
#define IOU_ENOSPC	28
#define IOU_ESPIPE	29
#define IOU_EPIPE	32
#define IOU_ERANGE	34
#define IOU_EDEADLK	35
#define IOU_ENAMETOOLONG	36
#define IOU_ENOSYS	38
#define IOU_EOVERFLOW	75
#define IOU_EBADFD	77
#define IOU_ENOTSOCK	88
#define IOU_EOPNOTSUPP	95
#define IOU_EAFNOSUPPORT	97
#define IOU_EADDRINUSE	98
#define IOU_ENOBUFS	105
#define IOU_ENOTCONN	107
#define IOU_EALREADY	114
#define IOU_EINPROGRESS	115
#define IOU_EUCLEAN	117
#define IOU_ECANCELED	125
#define IOU_ETIME	62
#define IOU_EBADR	53
#define IOU_ETIMEDOUT	110

#endif
