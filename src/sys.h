/* SPDX-License-Identifier: MIT */
/*
 * Typed system call wrappers: the only callers of the raw stubs in sys/.
 *
 * Each returns what the kernel returned: a value >= 0, or -errno.  Nothing
 * here touches errno (there is none).  They live out of line in sys.c so
 * that, built with IOU_FAULT_INJECTION, tests can make the Nth call of one
 * of them fail or come back short (see fault.h); io_uring_enter, the hot
 * one, is inline here when the library is built without those hooks.
 */
#ifndef IOU_SRC_SYS_H
#define IOU_SRC_SYS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Which sanitizer the library is built with (IOU_SANITIZE): the fiber
 * switches (loop/san.h) and the memory mappings (sys.c) must tell it.
 */
#if defined(__SANITIZE_ADDRESS__)
#define IOU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IOU_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define IOU_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define IOU_TSAN 1
#endif
#endif

/* Everything declared here is internal: no GOT, no PLT, no export. */
#pragma GCC visibility push(hidden)

struct io_uring_params;
struct iou_timespec;
struct iou_ksigaction;
struct iou_kstack;

/*
 * Regions of memory the library mapped for itself (the loop's tables and
 * objects, fiber stacks, buffer rings) and has not unmapped yet: tests
 * check that it comes back to where it was.  A ring's own mappings are
 * not counted (the kernel's memory; tests count those in /proc).
 */
void iou__alloc_note(long delta);
long iou__alloc_live(void);

/*
 * Bytes mapped through iou__sys_mmap()/iou__sys_mremap() less those
 * unmapped through iou__sys_munmap(), as the calls asked: ring mappings
 * included.  An munmap longer than its mmap (unmapping memory the library
 * does not own) shows up as a drop; a forgotten one as a rise.  Fuzz
 * harnesses compare it around each input, where counting lines of
 * /proc/self/maps would also count the sanitizer's own mappings.
 */
long iou__map_bytes_live(void);

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
#ifdef IOU_FAULT_INJECTION
int iou__sys_io_uring_enter(int fd, unsigned to_submit, unsigned min_complete,
			    unsigned flags, const void *arg, size_t argsz);
#else
#include "sys/syscall.h"

/*
 * Without fault injection the hot call is inline: one fewer call and
 * return per submit (bench: nop_b1_vs_liburing).
 */
static inline int iou__sys_io_uring_enter(int fd, unsigned to_submit,
					  unsigned min_complete,
					  unsigned flags, const void *arg,
					  size_t argsz)
{
	return (int)iou_syscall6(IOU_NR_io_uring_enter, fd, (long)to_submit,
				 (long)min_complete, (long)flags, (long)arg,
				 (long)argsz);
}
#endif
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

/* struct rlimit64 of the kernel; RLIMIT_NOFILE is 7 on every arch we build. */
struct iou_rlimit {
	uint64_t cur;
	uint64_t max;
};
#define IOU_RLIMIT_NOFILE 7
/* prlimit64(2) on process @pid (0: this one): set @set if not NULL, old to @old. */
int iou__sys_prlimit(int pid, int resource, const struct iou_rlimit *set,
		     struct iou_rlimit *old);

void *iou__sys_mremap(void *old, size_t old_size, size_t new_size, int flags);
int iou__sys_mprotect(void *addr, size_t len, int prot);
int iou__sys_fcntl(int fd, int cmd, long arg);
int iou__sys_openat(int dfd, const char *path, int flags, unsigned mode);
int iou__sys_eventfd2(unsigned initval, int flags);
int iou__sys_epoll_create1(int flags);
int iou__sys_epoll_ctl(int epfd, int op, int fd, void *event);
int iou__sys_epoll_pwait(int epfd, void *events, int maxevents, int timeout_ms);
/* Offset (uint64_t)-1: the plain call at the file position. */
long iou__sys_pread(int fd, void *buf, size_t len, uint64_t off);
long iou__sys_pwrite(int fd, const void *buf, size_t len, uint64_t off);
long iou__sys_preadv(int fd, const void *iov, int cnt, uint64_t off);
long iou__sys_pwritev(int fd, const void *iov, int cnt, uint64_t off);
long iou__sys_recv(int fd, void *buf, size_t len, int flags);
long iou__sys_send(int fd, const void *buf, size_t len, int flags);
long iou__sys_recvmsg(int fd, void *msg, int flags);
long iou__sys_sendmsg(int fd, const void *msg, int flags);
int iou__sys_accept4(int fd, void *addr, void *addrlen, int flags);
int iou__sys_connect(int fd, const void *addr, unsigned len);
int iou__sys_socket(int domain, int type, int protocol);
int iou__sys_bind(int fd, const void *addr, unsigned len);
int iou__sys_listen(int fd, int backlog);
int iou__sys_shutdown(int fd, int how);
int iou__sys_getsockopt(int fd, int level, int name, void *val, void *len);
int iou__sys_setsockopt(int fd, int level, int name, const void *val,
			unsigned len);
int iou__sys_getsockname(int fd, void *addr, void *addrlen);
int iou__sys_getpeername(int fd, void *addr, void *addrlen);
int iou__sys_fsync(int fd, int datasync);
int iou__sys_statx(int dfd, const char *path, int flags, unsigned mask,
		   void *buf);
/* ppoll of one fd with a zero timeout: its ready events now. */
int iou__sys_poll_now(int fd, unsigned events);
/* ppoll of one fd for at most @ns nanoseconds: its ready events, or 0. */
int iou__sys_poll_for(int fd, unsigned events, long ns);
long iou__sys_splice(int fd_in, int64_t *off_in, int fd_out,
		     int64_t *off_out, size_t len, unsigned flags);
/* Signals: the kernel's structs (sys/signal.h), not libc's. */
int iou__sys_rt_sigaction(int sig, const struct iou_ksigaction *act,
			  struct iou_ksigaction *old);
int iou__sys_sigaltstack(const struct iou_kstack *ss, struct iou_kstack *old);
int iou__sys_getpid(void);
int iou__sys_gettid(void);
int iou__sys_tgkill(int tgid, int tid, int sig);
/* Masks are the kernel's 64-bit sigset: bit (signo - 1). */
int iou__sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old);
int iou__sys_signalfd4(int fd, const uint64_t *mask, int flags);

/* The page size, asked of the kernel once (aarch64 has several). */
unsigned long iou__page_size(void);

/* Flags and values the wrappers' callers need, without libc headers. */
#define IOU_PROT_READ 0x1
#define IOU_PROT_WRITE 0x2
#define IOU_MAP_SHARED 0x01
#define IOU_MAP_PRIVATE 0x02
#define IOU_MAP_ANONYMOUS 0x20
#define IOU_MAP_POPULATE 0x8000
#define IOU_MADV_DONTFORK 10
#define IOU_CLOCK_MONOTONIC 1
#define IOU_MAP_NORESERVE 0x4000
#define IOU_MAP_STACK 0x20000
#define IOU_MREMAP_MAYMOVE 1
#define IOU_PROT_NONE 0x0
#define IOU_F_GETFD 1
#define IOU_F_GETFL 3
#define IOU_F_SETFL 4
#define IOU_O_RDONLY 0
#define IOU_O_NONBLOCK 04000
#define IOU_O_CLOEXEC 02000000
#define IOU_EFD_NONBLOCK 04000
#define IOU_EFD_CLOEXEC 02000000
#define IOU_EPOLL_CLOEXEC 02000000
#define IOU_EPOLL_CTL_ADD 1
#define IOU_EPOLL_CTL_DEL 2
#define IOU_EPOLLIN 0x001
#define IOU_EPOLLOUT 0x004
#define IOU_EPOLLERR 0x008
#define IOU_EPOLLHUP 0x010
#define IOU_EPOLLRDHUP 0x2000
#define IOU_EPOLLET (1U << 31)
#define IOU_SOL_SOCKET 1
#define IOU_SO_TYPE 3
#define IOU_SO_ERROR 4
#define IOU_SO_REUSEADDR 2
#define IOU_SO_REUSEPORT 15
#define IOU_IPPROTO_IPV6 41
#define IOU_IPV6_V6ONLY 26
#define IOU_AF_UNIX 1
#define IOU_AF_INET 2
#define IOU_AF_INET6 10
#define IOU_SOCK_STREAM 1
#define IOU_SIG_BLOCK 0
#define IOU_SIG_UNBLOCK 1
#define IOU_SFD_NONBLOCK 04000
#define IOU_SFD_CLOEXEC 02000000
#define IOU_MSG_DONTWAIT 0x40
#define IOU_MSG_NOSIGNAL 0x4000
#define IOU_SOCK_CLOEXEC 02000000
#define IOU_SHUT_RDWR 2
#define IOU_SPLICE_F_NONBLOCK 0x02
#define IOU_POLLIN 0x001
#define IOU_POLLOUT 0x004

/* The kernel's struct epoll_event: packed on x86_64 only. */
struct iou__epoll_event {
	uint32_t events;
	uint64_t data;
}
#if defined(__x86_64__)
__attribute__((packed))
#endif
;

#pragma GCC visibility pop

#endif
