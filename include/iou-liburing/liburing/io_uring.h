/* SPDX-License-Identifier: MIT */
/*
 * The kernel's io_uring ABI for programs written against liburing: iou's
 * own definitions (<iou/abi.h>, Linux 6.18), plus what liburing's users
 * get through it: the __u8..__u64 types and <linux/fs.h> (PATH_MAX, the
 * RWF_* flags).  The guard is the kernel header's, so
 * <linux/io_uring.h> included after this one adds nothing.
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>		/* liburing's copy brings it, and programs use it */
#include <linux/types.h>
#include <iou/abi.h>

#endif
