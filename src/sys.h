/* SPDX-License-Identifier: MIT */
/*
 * Typed system call wrappers: the only callers of the raw stubs in sys/.
 *
 * Each returns what the kernel returned: a value >= 0, or -errno.  Nothing
 * here touches errno (there is none).  They live out of line in sys.c so
 * that, built with IOU_FAULT_INJECTION, tests can make the Nth call of one
 * of them fail or come back short (see fault.h).
 */
#ifndef IOU_SRC_SYS_H
#define IOU_SRC_SYS_H

#include <stddef.h>
#include <stdint.h>

struct io_uring_params;
struct iou_timespec;

/* mmap() returns a pointer or an error in the top 4095 bytes of the space. */
static inline int iou__is_err(const void *p)
{
	return (uintptr_t)p > (uintptr_t)-4096;
}

static inline int iou__ptr_err(const void *p)
{
	return (int)(intptr_t)p;
}

static inline void *iou__err_ptr(long err)
{
	return (void *)(intptr_t)err;
}

int iou__sys_io_uring_setup(unsigned entries, struct io_uring_params *p);
int iou__sys_io_uring_enter(int fd, unsigned to_submit, unsigned min_complete,
			    unsigned flags, const void *arg, size_t argsz);
int iou__sys_io_uring_register(int fd, unsigned opcode, const void *arg,
			       unsigned nr_args);

void *iou__sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
		    uint64_t off);
int iou__sys_munmap(void *addr, size_t len);
int iou__sys_madvise(void *addr, size_t len, int advice);
int iou__sys_close(int fd);
long iou__sys_read(int fd, void *buf, size_t len);
long iou__sys_write(int fd, const void *buf, size_t len);
int iou__sys_clock_gettime(int clockid, struct iou_timespec *ts);

/* The page size, asked of the kernel once (aarch64 has several). */
unsigned long iou__page_size(void);

/* Flags and values the wrappers' callers need, without libc headers. */
#define IOU_PROT_READ 0x1
#define IOU_PROT_WRITE 0x2
#define IOU_MAP_SHARED 0x01
#define IOU_MAP_PRIVATE 0x02
#define IOU_MAP_FIXED 0x10
#define IOU_MAP_ANONYMOUS 0x20
#define IOU_MAP_POPULATE 0x8000
#define IOU_MADV_DONTFORK 10
#define IOU_CLOCK_MONOTONIC 1

#endif
