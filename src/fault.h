/* SPDX-License-Identifier: MIT */
/*
 * Syscall fault injection, compiled in only with IOU_FAULT_INJECTION.
 *
 * Tests arm a rule for one wrapper in sys.c: "from the Nth call on, for
 * `times` calls, fail with -errno" (the syscall is not made) or "... come
 * back short" (the syscall is made with its count argument clamped: for
 * io_uring_enter that is to_submit, so the kernel really consumes fewer
 * SQEs, exactly as a partial submission would).  Every call is counted and
 * its arguments recorded, armed or not.
 *
 * The state is global; counting is atomic, so threads may make calls while
 * one thread arms rules.
 */
#ifndef IOU_SRC_FAULT_H
#define IOU_SRC_FAULT_H

/* Everything declared here is internal: no GOT, no PLT, no export. */
#pragma GCC visibility push(hidden)

/* One entry per wrapper of sys.c: every system call the library makes. */
#define IOU_FAULT_LIST(X)                                                      \
	X(SETUP, "io_uring_setup") X(ENTER, "io_uring_enter")                  \
	X(REGISTER, "io_uring_register") X(MMAP, "mmap")                       \
	X(MUNMAP, "munmap") X(MADVISE, "madvise") X(CLOSE, "close")            \
	X(READ, "read") X(WRITE, "write") X(MREMAP, "mremap")                  \
	X(MPROTECT, "mprotect") X(FCNTL, "fcntl") X(OPENAT, "openat")          \
	X(EVENTFD2, "eventfd2") X(EPOLL_CREATE1, "epoll_create1")              \
	X(EPOLL_CTL, "epoll_ctl") X(EPOLL_PWAIT, "epoll_pwait")                \
	X(PREAD, "pread") X(PWRITE, "pwrite") X(PREADV, "preadv")              \
	X(PWRITEV, "pwritev") X(RECV, "recv") X(SEND, "send")                  \
	X(RECVMSG, "recvmsg") X(SENDMSG, "sendmsg") X(ACCEPT4, "accept4")      \
	X(CONNECT, "connect") X(SOCKET, "socket") X(BIND, "bind")              \
	X(LISTEN, "listen") X(SHUTDOWN, "shutdown")                            \
	X(GETSOCKOPT, "getsockopt") X(FSYNC, "fsync") X(STATX, "statx")        \
	X(POLL, "ppoll") X(SPLICE, "splice") X(RT_SIGACTION, "rt_sigaction")   \
	X(SIGALTSTACK, "sigaltstack") X(TGKILL, "tgkill")                      \
	X(CLOCK_GETTIME, "clock_gettime") X(PRLIMIT64, "prlimit64")            \
	X(SETSOCKOPT, "setsockopt") X(GETSOCKNAME, "getsockname")              \
	X(GETPEERNAME, "getpeername") X(SIGNALFD4, "signalfd4")                \
	X(RT_SIGPROCMASK, "rt_sigprocmask")

enum iou_fault_sys {
#define IOU_FAULT_ENUM(id, name) IOU_FAULT_##id,
	IOU_FAULT_LIST(IOU_FAULT_ENUM)
#undef IOU_FAULT_ENUM
	IOU_FAULT_NR
};

enum iou_fault_mode {
	IOU_FAULT_FAIL,		/* return `value` (negative) without the call */
	IOU_FAULT_SHORT,	/* make the call with its count clamped to `value` */
};

#ifdef IOU_FAULT_INJECTION

/*
 * iou__fault_arm() - arm a rule for one wrapper
 * @sys: which wrapper
 * @nth: first call (1-based, counted from now) the rule applies to
 * @times: how many consecutive calls it applies to
 * @mode: fail or short
 * @value: the -errno to return (FAIL) or the count to clamp to (SHORT)
 */
void iou__fault_arm(enum iou_fault_sys sys, unsigned nth, unsigned times,
		    enum iou_fault_mode mode, long value);

/* Disarm every rule and zero every counter. */
void iou__fault_reset(void);

/* Calls of @sys made since the last reset (injected ones included). */
unsigned long iou__fault_calls(enum iou_fault_sys sys);

/* Argument @idx (0-based) of the last call of @sys. */
long iou__fault_last_arg(enum iou_fault_sys sys, unsigned idx);

/* The system call's name ("io_uring_enter"), for reports. */
const char *iou__fault_name(enum iou_fault_sys sys);

/*
 * Used by sys.c: count the call, record its args, and decide.  Returns 1
 * with *ret set when the call must not be made; 0 otherwise, after
 * clamping *count when a SHORT rule applies (count may be NULL).
 */
int iou__fault_hit(enum iou_fault_sys sys, const long args[6], long *count,
		   long *ret);

#endif
#pragma GCC visibility pop

#endif
