/* SPDX-License-Identifier: MIT */
/*
 * The loop: fibers that block on their own completions.
 *
 * A loop belongs to one thread.  Fibers are cooperative: a fiber runs until
 * it waits (an I/O op, a sleep, a channel, a join, a yield), and then the
 * loop runs the next one.  There is no thread-local state: every call takes
 * the loop or the calling fiber explicitly, which also makes the loop work
 * in a program without a libc.
 *
 * I/O calls take the calling fiber first and return what the kernel's
 * completion says: a count or fd >= 0, or -errno.  Those that wait for a
 * peer or a device take an optional timeout in nanoseconds (0: none;
 * socket, bind, listen, shutdown, openat, close, fsync and statx take
 * none): when it expires the op is cancelled and the call returns
 * -ETIMEDOUT.  Another fiber may cancel the op with iou_cancel(); the
 * call then returns the op's own result, usually -ECANCELED.  Either way
 * the call returns only once the kernel is done with the op's buffers.
 *
 * Two backends implement this: io_uring, and epoll where io_uring is
 * refused (ENOSYS, EPERM: seccomp, kernel.io_uring_disabled, qemu-user).
 * The epoll backend sets O_NONBLOCK on the sockets and pipes it waits on.
 */
#ifndef IOU_LOOP_H
#define IOU_LOOP_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "abi.h"

IOU_EXTERN_C_BEGIN

struct iou_loop;
struct iou_fiber;
struct iovec;
struct msghdr;
struct sockaddr;
struct statx;

/* Backends. */
#define IOU_BACKEND_AUTO 0	/* io_uring, else epoll; IOU_BACKEND env may force */
#define IOU_BACKEND_URING 1
#define IOU_BACKEND_EPOLL 2

/* iou_loop_opts.flags */
#define IOU_LOOP_NO_FALLBACK (1U << 0)	/* AUTO: fail rather than use epoll */
#define IOU_LOOP_NO_ENV (1U << 1)	/* ignore the IOU_BACKEND variable */
#define IOU_LOOP_KEEP_ALIVE (1U << 2)	/* run until stopped, even with no fibers */
/* Record when each fiber began to wait, for iou_loop_dump() (one clock
   read per wait; on by itself with iou_loop_dump_signal()). */
#define IOU_LOOP_TRACK_WAITS (1U << 3)

/* For iou_read()/iou_write() offsets: use and move the file position. */
#define IOU_POS ((uint64_t)-1)

/* What the trace hook sees. */
struct iou_trace_event {
	unsigned kind;		/* IOU_TRACE_SQE or IOU_TRACE_CQE */
	unsigned opcode;	/* IORING_OP_* (epoll backend: the op emulated) */
	uint64_t user_data;
	int res;		/* CQE result (0 for SQEs) */
	unsigned flags;		/* CQE flags / SQE flags */
};
#define IOU_TRACE_SQE 1
#define IOU_TRACE_CQE 2

struct iou_loop_opts {
	unsigned backend;	/* IOU_BACKEND_* (0: AUTO) */
	unsigned flags;		/* IOU_LOOP_* */
	unsigned entries;	/* SQ size, 0: 256 */
	unsigned guard_size;	/* guard region below each fiber stack,
				   rounded up to pages; 0: 256 KiB */
	size_t stack_size;	/* default fiber stack, 0: 64 KiB */
	/* Called for every SQE submitted and CQE reaped (may be NULL). */
	void (*trace)(void *arg, const struct iou_trace_event *ev);
	void *trace_arg;
	unsigned resv[4];	/* must be 0 */
};

struct iou_loop_stats {
	uint64_t sqes;		/* submitted */
	uint64_t cqes;		/* reaped */
	uint64_t enters;	/* io_uring_enter / epoll_wait calls */
	uint64_t switches;	/* fiber context switches */
	uint64_t overflows;	/* times the CQ was seen overflowing */
	uint64_t stale_cqes;	/* CQEs naming no live op: ignored */
	uint64_t cancels;	/* cancel requests sent */
	uint64_t fibers;	/* fibers spawned */
};

/**
 * iou_loop_create() - make a loop for the calling thread
 * @loop: receives the loop
 * @opts: options, or NULL for the defaults
 *
 * With IOU_BACKEND_AUTO the environment variable IOU_BACKEND decides if
 * set (unless IOU_LOOP_NO_ENV): "uring" (or "io_uring"), "epoll", or
 * "auto" (or empty: as if unset); otherwise io_uring is tried and epoll
 * used if the kernel refuses it with -ENOSYS or -EPERM.  The variable is
 * read from the process's environ at each call, so a setenv() before it
 * counts; a program without a C library has no environ unless it defines
 * one (char **environ, e.g. pointing at the envp of its initial stack),
 * and then the environment it started with (/proc/self/environ) is read.
 * The ring gets SINGLE_ISSUER|DEFER_TASKRUN, or COOP_TASKRUN, where the
 * kernel has them.
 *
 * Return: 0; -ENOSYS/-EPERM (io_uring refused and no fallback allowed),
 * -EINVAL (an unknown backend, flag or IOU_BACKEND value, which is also
 * reported on stderr; a nonzero resv; a stack size under 16 KiB),
 * -ENOMEM, -EMFILE.  Minimum kernel 5.11 for the io_uring backend
 * (EXT_ARG), any for epoll.
 */
IOU_API int iou_loop_create(struct iou_loop **loop,
			    const struct iou_loop_opts *opts);

/**
 * iou_loop_run() - run fibers until none is left or the loop is stopped
 * @loop: the loop
 *
 * With IOU_LOOP_KEEP_ALIVE it also waits, fiberless, for posted functions
 * until iou_loop_stop().
 *
 * Return: 0; -EDEADLK when fibers remain but none can ever wake (all wait
 * on each other, nothing in flight, no post queued).  The loop cannot see
 * another thread that means to post later: a fiber waiting for such a post
 * needs IOU_LOOP_KEEP_ALIVE.  Nor can it tell an op that will never end:
 * an fd closed with close(2) while a fiber reads it leaves that read in
 * flight (io_uring holds the file; epoll forgets the fd) and the loop
 * waits for good.  Close fds that fibers use with iou_close(), which
 * cancels their ops first; iou_loop_dump() shows what each fiber waits
 * on.  -errno of the backend (a broken ring: -EUCLEAN).
 * Minimum kernel: as iou_loop_create().
 */
IOU_API int iou_loop_run(struct iou_loop *loop);

/**
 * iou_loop_stop() - stop gracefully: cancel every op in flight, let the
 * fibers see it and finish, then make iou_loop_run() return
 * @loop: the loop (call from one of its fibers, or from a posted function)
 *
 * Ops started after this fail with -ECANCELED; blocked joins, sleeps and
 * channel waits return -ECANCELED too.
 *
 * Return: nothing.  Minimum kernel: as iou_loop_create().
 */
IOU_API void iou_loop_stop(struct iou_loop *loop);

/**
 * iou_loop_destroy() - free a loop that is not running
 * @loop: the loop (NULL is a no-op)
 *
 * Fibers that never finished are abandoned (their stacks freed), and
 * listeners and receive streams nobody closed are freed (connections a
 * listener accepted that no fiber took are closed).  The caller's fds
 * stay open.
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_loop_destroy(struct iou_loop *loop);

/**
 * iou_loop_backend() - which backend the loop ended up with
 * @loop: the loop
 *
 * Return: IOU_BACKEND_URING or IOU_BACKEND_EPOLL.  Minimum kernel: any.
 */
IOU_API int iou_loop_backend(const struct iou_loop *loop);

/**
 * iou_loop_dump() - write what every live fiber is doing to an fd
 * @loop: the loop (call from its thread: a fiber, a posted function, or
 *        between runs)
 * @fd: where the text goes, e.g. 2
 *
 * One line for the loop (backend, fibers, ops in flight, stopping or
 * failed), then one per fiber not yet released: its id and handle, and
 * whether it runs, is runnable, yielded, finished (waiting to be
 * joined), waits in a queue (a mutex, condition, channel, wait group,
 * join, listener or stream), or waits on an op: the op (read, recv,
 * accept, sleep...), its fd, its timeout, whether a cancel was asked for,
 * and, with IOU_LOOP_TRACK_WAITS or a dump signal, how long it has been
 * waiting.  The format is for people, not for parsing.
 *
 * Return: 0, or -errno of write(2).  Minimum kernel: any.
 */
IOU_API int iou_loop_dump(struct iou_loop *loop, int fd);

/**
 * iou_loop_dump_signal() - dump the loop when a signal arrives
 * @loop: the loop
 * @signo: the signal (e.g. SIGUSR1), or 0 to stop
 * @fd: where iou_loop_dump() writes, e.g. 2
 *
 * Installs a handler for @signo (without SA_RESTART, so a loop blocked in
 * the kernel on this thread wakes up) that asks every loop dumping on a
 * signal to dump at its next pass; turns on IOU_LOOP_TRACK_WAITS.  The
 * signal reaches the thread the kernel picks: block it in threads that
 * run no loop.  With 0 the loop stops dumping; the handler stays.
 *
 * Return: 0, -EINVAL (a signal that cannot be caught), or -errno of
 * rt_sigaction(2).  Minimum kernel: any.
 */
IOU_API int iou_loop_dump_signal(struct iou_loop *loop, int signo, int fd);

/**
 * iou_loop_stats() - copy out the loop's counters
 * @loop: the loop
 * @stats: receives them
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_loop_stats(const struct iou_loop *loop,
			    struct iou_loop_stats *stats);

/**
 * iou_now() - monotonic time in nanoseconds
 * @loop: the loop
 *
 * Return: CLOCK_MONOTONIC, in ns.  Minimum kernel: any.
 */
IOU_API uint64_t iou_now(struct iou_loop *loop);

/*
 * Fibers
 *
 * Each fiber's stack is a mapping of its own: from low to high, a guard
 * region of iou_loop_opts.guard_size bytes (0: 256 KiB) that no access
 * may touch, the stack, and the fiber's own bookkeeping at the top.  The
 * kernel commits only the pages a fiber touches, so the guard costs
 * address space, not memory.  Finished stacks of the loop's default size
 * are kept for the next spawn.
 *
 * A fiber that runs off its stack faults in the guard (SIGSEGV) instead
 * of writing into the mapping below it, often another fiber's stack, as
 * long as no single frame steps over the whole guard.  Code built without
 * -fstack-clash-protection (gcc and clang leave it off unless the
 * distribution turns it on; Debian's gcc 12 leaves it off) moves the
 * stack pointer past a large local array in one step, and what it touches
 * first may lie below the guard.  Keep frames well under the guard size,
 * raise guard_size, or build fiber code with -fstack-clash-protection,
 * which probes a large frame page by page, so that its first touch past
 * the end of the stack lands in the guard however large the frame is.
 * iou_stack_overflow_handler_install() makes such a fault say which
 * fiber overflowed.
 */

/* A fiber's body; its return value is the fiber's exit status. */
typedef int (*iou_fiber_fn)(struct iou_fiber *self, void *arg);

/**
 * iou_spawn() - start a fiber
 * @loop: the loop
 * @fn: the body
 * @arg: its argument
 * @stack_size: bytes of stack (0: the loop's default; 16 KiB to 16 GiB); the
 *	loop's guard region below it catches overflows
 * @fiber: receives a handle to join or detach, or NULL to detach at once
 *
 * The fiber runs when the loop next schedules; spawning from outside the
 * loop (before iou_loop_run()) is fine.
 *
 * Return: 0, -ENOMEM, -EINVAL, -ECANCELED (loop stopping).
 * Minimum kernel: any.
 */
IOU_API int iou_spawn(struct iou_loop *loop, iou_fiber_fn fn, void *arg,
		      size_t stack_size, struct iou_fiber **fiber);

/**
 * iou_join() - wait for a fiber to finish and collect its exit status
 * @self: the calling fiber
 * @fiber: a handle from iou_spawn() (consumed: do not use it afterwards)
 * @status: receives the exit status (may be NULL)
 *
 * A handle is good from iou_spawn() until it is joined, or detached and
 * its fiber has finished.  A handle used after that is refused with
 * -EINVAL as long as its stack waits in the loop's pool for reuse; once
 * the memory is reused or unmapped it cannot be recognised, so do not
 * count on the check.
 *
 * Return: 0, -EINVAL (joining itself, a detached or consumed handle, a
 * fiber of another loop), -EBUSY (another fiber is joining it),
 * -ECANCELED (the loop is stopping: the handle is detached instead).
 * Minimum kernel: any.
 */
IOU_API int iou_join(struct iou_fiber *self, struct iou_fiber *fiber,
		     int *status);

/**
 * iou_detach() - drop a handle; the fiber frees itself when it finishes
 * @fiber: a handle from iou_spawn()
 *
 * A handle already consumed (see iou_join()) is ignored when recognised.
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_detach(struct iou_fiber *fiber);

/**
 * iou_yield() - let every other runnable fiber run once
 * @self: the calling fiber
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_yield(struct iou_fiber *self);

/**
 * iou_sleep() - suspend the fiber for @ns nanoseconds
 * @self: the calling fiber
 * @ns: how long
 *
 * Return: 0, or -ECANCELED (iou_cancel(), loop stopping).
 * Minimum kernel 5.4 (io_uring), any (epoll).
 */
IOU_API int iou_sleep(struct iou_fiber *self, uint64_t ns);

/**
 * iou_cancel() - cancel what a fiber is waiting for
 * @fiber: a live fiber (its handle)
 *
 * If it waits on an op, the op is cancelled and the call returns the op's
 * result (-ECANCELED, or the value if it completed first).  A sleep, join
 * or channel/mutex/condition wait returns -ECANCELED.  If the fiber is not
 * waiting, its next wait is cancelled as soon as it starts.
 *
 * Return: 0, or -EINVAL (the fiber has finished, or the handle is
 * consumed: see iou_join()).  Minimum kernel 5.5.
 */
IOU_API int iou_cancel(struct iou_fiber *fiber);

/**
 * iou_fiber_loop() - the loop a fiber runs on
 * @self: a fiber
 *
 * Return: its loop.  Minimum kernel: any.
 */
IOU_API struct iou_loop *iou_fiber_loop(struct iou_fiber *self);

/**
 * iou_fiber_id() - a fiber's number, as a stack overflow report names it
 * @fiber: a fiber (its handle, or self)
 *
 * Fibers are numbered from 1 in the order they are spawned on their loop
 * (the count iou_loop_stats() gives as fibers); numbers are not reused.
 *
 * Return: the number, or 0 for NULL.  Minimum kernel: any.
 */
IOU_API uint64_t iou_fiber_id(const struct iou_fiber *fiber);

/**
 * iou_stack_overflow_handler_install() - name the fiber on stderr when one
 * overflows its stack
 *
 * Installs, once per process, a handler for SIGSEGV and SIGBUS, and gives
 * the calling thread an alternate signal stack (sigaltstack(2), 128 KiB
 * of address space) unless it has one: an overflowing fiber has no stack
 * left to run a handler on.  Call it on every thread that runs loops
 * (after the first call only the alternate stack is added), and after
 * installing any handler of your own for these signals.
 *
 * A fault inside the guard region of a fiber spawned after the first
 * call writes one line to stderr, for example
 *
 *   iou: fiber stack overflow: fiber 1 (0x7f0cd6b79f40) stack
 *   0x7f0cd6b69000-0x7f0cd6b79f40 (69440 bytes), guard
 *   0x7f0cd6b29000-0x7f0cd6b69000 (262144 bytes), SIGSEGV at 0x7f0cd6b61870
 *
 * (on one line), puts the signal's previous action back, and goes on as
 * without the handler: a previous handler is called (from ours, on the
 * alternate stack, so it runs even though the fiber's stack is used up);
 * otherwise the faulting instruction runs again and the default action
 * kills the process with SIGSEGV.  Any other fault, and a signal sent by
 * a process, goes to the previous handler or the default action the same
 * way, with no report; a signal sent while it was ignored stays ignored.
 * The handler takes no lock and allocates nothing: it looks the address
 * up in a table of guard regions that it reads without locks.
 *
 * A thread's alternate stack stays mapped until the process ends.  Under
 * AddressSanitizer, ASan's own handler is the previous one: it reports
 * the fault again after our line.
 *
 * Return: 0; -ENOMEM (no alternate stack: the handler is installed, but
 * cannot run on this thread when its stack is used up); -errno of
 * rt_sigaction(2) or sigaltstack(2).  Minimum kernel: any.
 */
IOU_API int iou_stack_overflow_handler_install(void);

/*
 * I/O.  Each returns the completion's result: >= 0, or -errno; with a
 * timeout (ns, 0 = none) -ETIMEDOUT when it expired first.
 */

/**
 * iou_read() - read(2)/pread(2)
 * @self: the calling fiber
 * @fd: the file
 * @buf: destination
 * @len: bytes wanted
 * @off: file offset, or IOU_POS for the file position
 * @timeout_ns: 0 for none
 *
 * Return: bytes read, -errno, -ETIMEDOUT.  Minimum kernel 5.6.
 */
IOU_API int iou_read(struct iou_fiber *self, int fd, void *buf, unsigned len,
		     uint64_t off, uint64_t timeout_ns);

/**
 * iou_write() - write(2)/pwrite(2)
 * @self: the calling fiber
 * @fd: the file
 * @buf: source
 * @len: bytes
 * @off: file offset, or IOU_POS for the file position
 * @timeout_ns: 0 for none
 *
 * Return: bytes written, -errno, -ETIMEDOUT.  Minimum kernel 5.6.
 */
IOU_API int iou_write(struct iou_fiber *self, int fd, const void *buf,
		      unsigned len, uint64_t off, uint64_t timeout_ns);

/**
 * iou_readv() - readv(2)/preadv(2)
 * @self: the calling fiber
 * @fd: the file
 * @iov: vectors
 * @iovcnt: how many
 * @off: file offset, or IOU_POS
 * @timeout_ns: 0 for none
 *
 * Return: bytes read, -errno, -ETIMEDOUT.  Minimum kernel 5.1.
 */
IOU_API int iou_readv(struct iou_fiber *self, int fd, const struct iovec *iov,
		      int iovcnt, uint64_t off, uint64_t timeout_ns);

/**
 * iou_writev() - writev(2)/pwritev(2)
 * @self: the calling fiber
 * @fd: the file
 * @iov: vectors
 * @iovcnt: how many
 * @off: file offset, or IOU_POS
 * @timeout_ns: 0 for none
 *
 * Return: bytes written, -errno, -ETIMEDOUT.  Minimum kernel 5.1.
 */
IOU_API int iou_writev(struct iou_fiber *self, int fd,
		       const struct iovec *iov, int iovcnt, uint64_t off,
		       uint64_t timeout_ns);

/**
 * iou_recv() - recv(2)
 * @self: the calling fiber
 * @fd: the socket
 * @buf: destination
 * @len: room
 * @flags: MSG_*
 * @timeout_ns: 0 for none
 *
 * Return: bytes received (0: peer closed), -errno, -ETIMEDOUT.
 * Minimum kernel 5.6.
 */
IOU_API int iou_recv(struct iou_fiber *self, int fd, void *buf, unsigned len,
		     int flags, uint64_t timeout_ns);

/**
 * iou_send() - send(2)
 * @self: the calling fiber
 * @fd: the socket
 * @buf: data
 * @len: bytes
 * @flags: MSG_* (MSG_NOSIGNAL is added)
 * @timeout_ns: 0 for none
 *
 * A spurious -EAGAIN from the kernel is retried after waiting for the
 * socket to be writable; the caller never sees it.
 *
 * Return: bytes sent, -errno, -ETIMEDOUT.  Minimum kernel 5.6.
 */
IOU_API int iou_send(struct iou_fiber *self, int fd, const void *buf,
		     unsigned len, int flags, uint64_t timeout_ns);

/**
 * iou_recvmsg() - recvmsg(2)
 * @self: the calling fiber
 * @fd: the socket
 * @msg: the message header
 * @flags: MSG_*
 * @timeout_ns: 0 for none
 *
 * Return: bytes received, -errno, -ETIMEDOUT.  Minimum kernel 5.3.
 */
IOU_API int iou_recvmsg(struct iou_fiber *self, int fd, struct msghdr *msg,
			int flags, uint64_t timeout_ns);

/**
 * iou_sendmsg() - sendmsg(2)
 * @self: the calling fiber
 * @fd: the socket
 * @msg: the message
 * @flags: MSG_* (MSG_NOSIGNAL is added)
 * @timeout_ns: 0 for none
 *
 * Return: bytes sent, -errno, -ETIMEDOUT.  Minimum kernel 5.3.
 */
IOU_API int iou_sendmsg(struct iou_fiber *self, int fd,
			const struct msghdr *msg, int flags,
			uint64_t timeout_ns);

/**
 * iou_accept() - accept4(2); waits even on an O_NONBLOCK listener
 * @self: the calling fiber
 * @fd: the listening socket
 * @addr: receives the peer address, or NULL
 * @addrlen: in: room at @addr, out: its size (NULL with @addr NULL)
 * @flags: SOCK_NONBLOCK, SOCK_CLOEXEC
 * @timeout_ns: 0 for none
 *
 * Return: the new fd, -errno, -ETIMEDOUT.  Minimum kernel 5.5.
 */
IOU_API int iou_accept(struct iou_fiber *self, int fd, struct sockaddr *addr,
		       unsigned *addrlen, int flags, uint64_t timeout_ns);

/**
 * iou_connect() - connect(2)
 * @self: the calling fiber
 * @fd: the socket
 * @addr: the peer
 * @addrlen: its size
 * @timeout_ns: 0 for none
 *
 * Return: 0, -errno, -ETIMEDOUT.  Minimum kernel 5.5.
 */
IOU_API int iou_connect(struct iou_fiber *self, int fd,
			const struct sockaddr *addr, unsigned addrlen,
			uint64_t timeout_ns);

/**
 * iou_socket() - socket(2)
 * @self: the calling fiber
 * @domain: AF_*
 * @type: SOCK_* (SOCK_CLOEXEC is added)
 * @protocol: protocol or 0
 *
 * Return: the fd, or -errno.  Minimum kernel 5.19 (ring op), else the
 * syscall.
 */
IOU_API int iou_socket(struct iou_fiber *self, int domain, int type,
		       int protocol);

/**
 * iou_bind() - bind(2)
 * @self: the calling fiber
 * @fd: the socket
 * @addr: the address
 * @addrlen: its size
 *
 * Return: 0, or -errno.  Minimum kernel 6.11 (ring op), else the syscall.
 */
IOU_API int iou_bind(struct iou_fiber *self, int fd,
		     const struct sockaddr *addr, unsigned addrlen);

/**
 * iou_listen() - listen(2)
 * @self: the calling fiber
 * @fd: the socket
 * @backlog: queue length
 *
 * Return: 0, or -errno.  Minimum kernel 6.11 (ring op), else the syscall.
 */
IOU_API int iou_listen(struct iou_fiber *self, int fd, int backlog);

/**
 * iou_shutdown() - shutdown(2)
 * @self: the calling fiber
 * @fd: the socket
 * @how: SHUT_RD, SHUT_WR, SHUT_RDWR
 *
 * Return: 0, or -errno.  Minimum kernel 5.11 (ring op), else the syscall.
 */
IOU_API int iou_shutdown(struct iou_fiber *self, int fd, int how);

/**
 * iou_openat() - openat(2)
 * @self: the calling fiber
 * @dfd: directory fd, or IOU_AT_FDCWD (-100, defined in <iou/prep.h>)
 * @path: the path
 * @flags: O_* (O_CLOEXEC is added)
 * @mode: permission bits for O_CREAT
 *
 * Return: the fd, or -errno.  Minimum kernel 5.6.
 */
IOU_API int iou_openat(struct iou_fiber *self, int dfd, const char *path,
		       int flags, unsigned mode);

/**
 * iou_close() - close an fd safely
 * @self: the calling fiber
 * @fd: the fd
 *
 * New ops on @fd fail with -EBADF from now on; a socket with ops in
 * flight, or in the loop's registered files (iou_fd_register()), is shut
 * down so its peer sees EOF at once; every op still in flight on @fd is
 * cancelled and waited for (their fibers see -ECANCELED or their
 * result); then the fd is closed, so its number cannot be reused under
 * an op.
 *
 * Return: 0, or -errno of close(2).  Minimum kernel 5.6.
 */
IOU_API int iou_close(struct iou_fiber *self, int fd);

/**
 * iou_fd_register() - let the loop's ops on @fd use a registered file
 * @loop: the loop (call it from the loop's thread)
 * @fd: an open fd
 *
 * On the io_uring backend the loop keeps a sparse table of registered
 * files (set up at the first call: up to 65536 slots, fewer if
 * RLIMIT_NOFILE is lower), and puts @fd in slot @fd.  From then on the
 * SQEs of its fd ops on @fd carry IOSQE_FIXED_FILE, so the kernel skips
 * the fget()/fput() of every request.
 * @fd stays an ordinary fd for everything else.  Close it with
 * iou_close(), which takes it out of the table; a plain close(2) would
 * leave the table holding the file open (its socket would not close)
 * until iou_fd_unregister() or iou_loop_destroy().  Likewise anything
 * else that changes what @fd names (dup2(2) onto it) must come after
 * iou_fd_unregister(), or the loop's ops would still reach the old file.
 *
 * Return: 1 when @fd is registered (again: no change); 0 when the loop
 * cannot register it and its ops go on using the plain fd: the epoll
 * backend, a kernel without sparse tables (before 5.19), @fd beyond the
 * table; -EBADF for a negative, closed or closing @fd (or an io_uring
 * fd); -errno of io_uring_register(2) otherwise.  Minimum kernel 5.19
 * for 1.
 */
IOU_API int iou_fd_register(struct iou_loop *loop, int fd);

/**
 * iou_fd_unregister() - take @fd out of the loop's registered files
 * @loop: the loop
 * @fd: the fd
 *
 * Ops already in flight keep the file until they complete; later ones use
 * the plain fd.
 *
 * Return: 0 (also when @fd was not registered); -EBADF for a negative
 * @fd; -errno of io_uring_register(2).  Minimum kernel: any.
 */
IOU_API int iou_fd_unregister(struct iou_loop *loop, int fd);

/**
 * iou_fsync() - fsync(2), or fdatasync(2) with IORING_FSYNC_DATASYNC
 * @self: the calling fiber
 * @fd: the file
 * @flags: 0 or IORING_FSYNC_DATASYNC
 *
 * Return: 0, or -errno.  Minimum kernel 5.1.
 */
IOU_API int iou_fsync(struct iou_fiber *self, int fd, unsigned flags);

/**
 * iou_statx() - statx(2)
 * @self: the calling fiber
 * @dfd: directory fd, or IOU_AT_FDCWD (-100, defined in <iou/prep.h>)
 * @path: the path
 * @flags: AT_*
 * @mask: STATX_*
 * @buf: receives the result
 *
 * Return: 0, or -errno.  Minimum kernel 5.6.
 */
IOU_API int iou_statx(struct iou_fiber *self, int dfd, const char *path,
		      int flags, unsigned mask, struct statx *buf);

/**
 * iou_splice() - splice(2)
 * @self: the calling fiber
 * @fd_in: source
 * @off_in: its offset, -1 for a pipe / the file position
 * @fd_out: destination
 * @off_out: its offset, -1 likewise
 * @len: bytes
 * @flags: SPLICE_F_*
 * @timeout_ns: 0 for none
 *
 * Return: bytes moved, -errno, -ETIMEDOUT.  Minimum kernel 5.7.
 */
IOU_API int iou_splice(struct iou_fiber *self, int fd_in, int64_t off_in,
		       int fd_out, int64_t off_out, unsigned len,
		       unsigned flags, uint64_t timeout_ns);

/**
 * iou_poll() - wait once for poll events on an fd
 * @self: the calling fiber
 * @fd: the file
 * @events: POLLIN, POLLOUT...
 * @timeout_ns: 0 for none
 *
 * Return: the events that fired, -errno, -ETIMEDOUT.  Minimum kernel 5.1.
 */
IOU_API int iou_poll(struct iou_fiber *self, int fd, unsigned events,
		     uint64_t timeout_ns);

/*
 * Fast paths: multishot accept, multishot receive into provided buffers.
 */

struct iou_listener;

/**
 * iou_listener_open() - accept connections on @fd continuously (one
 * multishot accept; epoll: accept on readiness) into a queue
 * @self: the calling fiber
 * @fd: a listening socket
 * @listener: receives the listener
 *
 * Return: 0, -ENOMEM, -EBADF.  Minimum kernel 5.19 (multishot accept;
 * plain accepts are re-armed on older kernels).
 */
IOU_API int iou_listener_open(struct iou_fiber *self, int fd,
			      struct iou_listener **listener);

/**
 * iou_listener_accept() - the next accepted connection
 * @self: the calling fiber (any number may pull from one listener)
 * @listener: the listener
 * @timeout_ns: 0 for none
 *
 * Return: a new fd (close-on-exec), -errno of accept, -ETIMEDOUT,
 * -ECANCELED (listener closed, loop stopping).  Minimum kernel 5.19.
 */
IOU_API int iou_listener_accept(struct iou_fiber *self,
				struct iou_listener *listener,
				uint64_t timeout_ns);

/**
 * iou_listener_close() - stop accepting, wake waiting fibers with
 * -ECANCELED, close connections accepted but never pulled, free it
 * @self: the calling fiber
 * @listener: the listener (the listening fd stays open)
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_API void iou_listener_close(struct iou_fiber *self,
				struct iou_listener *listener);

struct iou_recv_stream;

/**
 * iou_recv_stream_open() - receive continuously from a socket into a ring
 * of provided buffers (multishot recv; epoll: recv on readiness)
 * @self: the calling fiber
 * @fd: a connected socket
 * @buf_size: bytes per buffer
 * @nr_bufs: buffers (power of two, at most 32768)
 * @stream: receives the stream
 *
 * Return: 0, -ENOMEM, -EINVAL.  Minimum kernel 6.0.
 */
IOU_API int iou_recv_stream_open(struct iou_fiber *self, int fd,
				 unsigned buf_size, unsigned nr_bufs,
				 struct iou_recv_stream **stream);

/**
 * iou_recv_stream_next() - the next chunk of received data
 * @self: the calling fiber
 * @stream: the stream
 * @buf: receives a pointer to the data, owned by the caller until
 *	iou_recv_stream_release()
 * @timeout_ns: 0 for none
 *
 * Return: bytes in *@buf (> 0), 0 at end of stream, -errno, -ETIMEDOUT,
 * -ECANCELED.  Minimum kernel 6.0.
 */
IOU_API int iou_recv_stream_next(struct iou_fiber *self,
				 struct iou_recv_stream *stream, void **buf,
				 uint64_t timeout_ns);

/**
 * iou_recv_stream_release() - give a buffer back to the stream
 * @stream: the stream
 * @buf: a pointer iou_recv_stream_next() returned
 *
 * Return: nothing.  Minimum kernel 6.0.
 */
IOU_API void iou_recv_stream_release(struct iou_recv_stream *stream,
				     void *buf);

/**
 * iou_recv_stream_close() - stop receiving and free the stream and its
 * buffers (the socket stays open); buffers still held must not be used
 * @self: the calling fiber
 * @stream: the stream
 *
 * Return: nothing.  Minimum kernel 6.0.
 */
IOU_API void iou_recv_stream_close(struct iou_fiber *self,
				   struct iou_recv_stream *stream);

/*
 * Server helpers: whole transfers under one deadline, listening sockets
 * in one call, the peer's address, signals as loop events, and waiting
 * for the first of several things.
 */

/**
 * iou_send_all() - send(2) until every byte of @buf is sent
 * @self: the calling fiber
 * @fd: a connected socket
 * @buf: the data
 * @len: bytes (any size: sent in chunks of at most 1 GiB)
 * @flags: MSG_* for every chunk (MSG_NOSIGNAL is added); not
 *	MSG_WAITALL: the call loops itself, and a kernel may not report the
 *	part of a MSG_WAITALL send that a timeout cut short
 * @timeout_ns: for the whole call, not per chunk; 0 for none
 * @sent: receives the bytes sent, on success and on error alike (may be
 *	NULL)
 *
 * Sends what the previous send left, as often as it takes.  On an error
 * or the deadline the call stops: the first *@sent bytes went out (the
 * peer may still read them) and the rest did not, so a caller can resume
 * at @buf + *@sent or give the connection up.
 *
 * Return: 0 when all @len bytes are sent; -errno of send(2) (-EPIPE,
 * -ECONNRESET...), -ETIMEDOUT, -ECANCELED.  Minimum kernel 5.6.
 */
IOU_API int iou_send_all(struct iou_fiber *self, int fd, const void *buf,
			 size_t len, int flags, uint64_t timeout_ns,
			 size_t *sent);

/**
 * iou_write_all() - write(2)/pwrite(2) until every byte of @buf is written
 * @self: the calling fiber
 * @fd: the file, pipe or socket
 * @buf: the data
 * @len: bytes (any size: written in chunks of at most 1 GiB)
 * @off: file offset of the first byte, each chunk written after the last;
 *	or IOU_POS for the file position (a pipe, a socket, O_APPEND)
 * @timeout_ns: for the whole call, not per chunk; 0 for none
 * @written: receives the bytes written, on success and on error alike
 *	(may be NULL)
 *
 * As iou_send_all(): on an error or the deadline the first *@written
 * bytes are written and the rest is not.  A write that moves nothing
 * ends the call with -EIO.
 *
 * Return: 0 when all @len bytes are written; -errno of write(2) (-ENOSPC,
 * -EPIPE...), -EIO, -ETIMEDOUT, -ECANCELED.  Minimum kernel 5.6.
 */
IOU_API int iou_write_all(struct iou_fiber *self, int fd, const void *buf,
			  size_t len, uint64_t off, uint64_t timeout_ns,
			  size_t *written);

/* iou_listen_tcp() flags */
#define IOU_LISTEN_REUSEPORT (1U << 0)	/* SO_REUSEPORT: share the port */
#define IOU_LISTEN_V6ONLY (1U << 1)	/* IPv6: no IPv4-mapped peers */

/**
 * iou_listen_tcp() - a listening TCP socket on a numeric address
 * @host: an IPv4 dotted quad ("127.0.0.1"), IPv6 text ("::1", "[::1]",
 *	"::" for any; IPv4-mapped "::ffff:1.2.3.4" too), or NULL or "" for
 *	0.0.0.0; no names, no scope ids: the library has no resolver
 * @port: the port, 0 for one the kernel picks (see iou_local_port())
 * @backlog: listen(2) backlog; 0 or less for 4096
 * @flags: IOU_LISTEN_REUSEPORT, IOU_LISTEN_V6ONLY
 *
 * Makes the socket (SOCK_CLOEXEC), sets SO_REUSEADDR (and SO_REUSEPORT
 * with IOU_LISTEN_REUSEPORT; IPV6_V6ONLY off unless IOU_LISTEN_V6ONLY,
 * so "::" takes IPv4 peers too), binds and listens, in plain system calls
 * that do not block: call it from a fiber or before iou_loop_run().  On
 * failure nothing is left open.  Hand the fd to iou_listener_open() or
 * iou_accept().
 *
 * Return: the listening fd; -EINVAL (an address it cannot parse, a port
 * over 65535, unknown flags), -EADDRINUSE, -EADDRNOTAVAIL, -EACCES,
 * -EAFNOSUPPORT (no IPv6 here), -EMFILE.  Minimum kernel: any
 * (IOU_LISTEN_REUSEPORT: 3.9).
 */
IOU_API int iou_listen_tcp(const char *host, unsigned port, int backlog,
			   unsigned flags);

/**
 * iou_listen_unix() - a listening Unix stream socket
 * @path: a file system path, or "@name" for the abstract namespace
 * @backlog: listen(2) backlog; 0 or less for 4096
 * @flags: 0
 *
 * As iou_listen_tcp(), without socket options.  An existing file at
 * @path, a socket left over from an earlier run too, gives -EADDRINUSE:
 * the library removes nothing; unlink(2) it first.
 *
 * Return: the listening fd; -EINVAL (empty @path, flags), -ENAMETOOLONG
 * (107 bytes or more), -EADDRINUSE, -ENOENT, -EACCES, -EMFILE.
 * Minimum kernel: any.
 */
IOU_API int iou_listen_unix(const char *path, int backlog, unsigned flags);

/**
 * iou_local_port() - the local port of a TCP or UDP socket
 * @fd: the socket (one bound to port 0 has the port the kernel picked)
 *
 * Return: the port, in host byte order; -EAFNOSUPPORT (not IPv4 or IPv6),
 * -errno of getsockname(2).  Minimum kernel: any.
 */
IOU_API int iou_local_port(int fd);

/**
 * iou_listener_accept_addr() - iou_listener_accept(), with the peer's
 * address
 * @self: the calling fiber
 * @listener: the listener
 * @addr: receives the peer's address (a struct sockaddr_storage fits any)
 * @addrlen: in: room at @addr; out: the address's size, 0 when the peer
 *	was gone (reset) before it could be asked
 * @timeout_ns: 0 for none
 *
 * A multishot accept reports no addresses: the address is asked of the
 * new socket (getpeername(2)); where pullers accept themselves, accept
 * fills it in.  Either way it is truncated to the room given.
 *
 * Return: as iou_listener_accept(); -EINVAL for a NULL @addr or @addrlen.
 * Minimum kernel 5.19.
 */
IOU_API int iou_listener_accept_addr(struct iou_fiber *self,
				     struct iou_listener *listener,
				     struct sockaddr *addr, unsigned *addrlen,
				     uint64_t timeout_ns);

/* Signal @signo's bit in an iou_signals_open() mask. */
#define IOU_SIGMASK(signo) (1ULL << ((signo) - 1))

/* What the kernel says of one signal: its struct signalfd_siginfo. */
struct iou_signal_info {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;	/* the sender */
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;	/* sigqueue(3)'s value */
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};

/* Signals taken as events: fill with iou_signals_open(). */
struct iou_signals {
	int fd;			/* the signalfd; -1 when closed */
	uint64_t mask;		/* the signals it takes */
	uint64_t added;		/* those open blocked: close unblocks them */
};

/**
 * iou_signals_open() - take signals as events of the calling thread's loop
 * @s: the signal set to fill in (caller-owned)
 * @mask: the signals, IOU_SIGMASK(SIGTERM) | ...: bit signo - 1 of the
 *	kernel's 64-bit sigset (SIGKILL and SIGSTOP cannot be taken)
 *
 * Blocks @mask in the calling thread only (rt_sigprocmask(2)), which must
 * be the loop's thread, and opens a signalfd (SFD_CLOEXEC|SFD_NONBLOCK)
 * for it.  A signal sent to the process goes to any one thread that does
 * not block it: other threads must block @mask as well (a thread inherits
 * its creator's mask, so block it before making them), or the kernel may
 * deliver it to them and its default action may end the process.  A
 * signal sent to another thread (pthread_kill(3)) stays with that thread.
 * Nothing here touches the signal's action.
 *
 * Return: 0; -EINVAL (empty @mask); -errno of signalfd4(2) (-EMFILE),
 * with the mask put back.  Minimum kernel: any.
 */
IOU_API int iou_signals_open(struct iou_signals *s, uint64_t mask);

/**
 * iou_signals_wait() - wait for the next signal of @s
 * @self: the calling fiber (on the thread that opened @s)
 * @s: the signal set
 * @info: receives what the kernel says of it (may be NULL)
 * @timeout_ns: 0 for none
 *
 * Pending signals of @s come first, one per call; the fiber waits for
 * the next with a poll and reads it on the loop's thread.
 *
 * Return: the signal number; -ETIMEDOUT, -ECANCELED; -EBADF (@s closed).
 * Minimum kernel 5.5 (io_uring: poll, linked timeout), any (epoll).
 */
IOU_API int iou_signals_wait(struct iou_fiber *self, struct iou_signals *s,
			     struct iou_signal_info *info,
			     uint64_t timeout_ns);

/**
 * iou_signals_close() - close the signalfd and unblock what open blocked
 * @self: the calling fiber (other fibers' waits on @s are cancelled and
 *	waited for, as iou_close() does), or NULL outside the loop, when no
 *	fiber waits on @s
 * @s: the signal set
 *
 * The calling thread's mask is as it was before iou_signals_open(): a
 * signal of @mask still pending and no longer blocked is delivered then,
 * with its action.
 *
 * Return: 0, -errno of close(2), -EBADF (closed already).
 * Minimum kernel: as iou_close().
 */
IOU_API int iou_signals_close(struct iou_fiber *self, struct iou_signals *s);

/* How many items one iou_wait_any() takes at most. */
#define IOU_WAIT_ANY_MAX 16

/* iou_waitable.kind */
#define IOU_WAIT_FD 1		/* @fd ready for @events */
#define IOU_WAIT_CHAN_RECV 2	/* an item of @chan, received into @item */
#define IOU_WAIT_FIBER 3	/* @fiber finished (join it after) */

struct iou_chan;

/* One thing iou_wait_any() waits for. */
struct iou_waitable {
	unsigned kind;		/* IOU_WAIT_* */
	unsigned events;	/* IOU_WAIT_FD: POLLIN, POLLOUT... */
	int fd;			/* IOU_WAIT_FD */
	int res;		/* out: see iou_wait_any() */
	struct iou_chan *chan;	/* IOU_WAIT_CHAN_RECV */
	void *item;		/* IOU_WAIT_CHAN_RECV: item_size bytes */
	struct iou_fiber *fiber;	/* IOU_WAIT_FIBER: a joinable handle */
};

/**
 * iou_wait_any() - wait for the first of several fds, channels and fibers
 * @self: the calling fiber
 * @items: what to wait for
 * @n: how many (1 to IOU_WAIT_ANY_MAX)
 * @timeout_ns: 0 for none
 *
 * A channel that has an item (or is closed and drained) or a fiber that
 * has finished is taken first, the lowest index first; otherwise the
 * fiber waits for whichever comes first.  A channel item is received by the call itself, at most one per
 * call and never announced without being taken, so a fiber that waits
 * in iou_chan_recv() on the same channel loses no item to it.  On return
 * the index's res says what happened: IOU_WAIT_FD, the events that fired
 * (POLLERR and POLLHUP always count), or -errno of the poll;
 * IOU_WAIT_CHAN_RECV, 0 (the item is in @item) or -EPIPE (closed and
 * drained); IOU_WAIT_FIBER, 0: the fiber finished, and iou_join()
 * collects its status without waiting.  Other fd items also seen ready
 * have res set, other items res 0 and nothing received.  While a call
 * waits for a fiber, another fiber's iou_join() of it is refused with
 * -EBUSY.
 *
 * Nothing is left behind: the call ends its polls and takes its entries
 * off the channels before it returns.  An fd item counts as an op on its
 * fd: iou_close() of it ends the wait with that index, res -ECANCELED.
 *
 * Return: the index of the item that ended the wait; -ETIMEDOUT,
 * -ECANCELED (iou_cancel(), loop stopping); -EINVAL (@n 0 or over the
 * maximum, an unknown kind, a NULL channel or item, a negative fd, a
 * fiber that is the caller, detached, consumed or of another loop).
 * Minimum kernel 5.5 (io_uring: poll, cancel), any (epoll).
 */
IOU_API int iou_wait_any(struct iou_fiber *self, struct iou_waitable *items,
			 unsigned n, uint64_t timeout_ns);

/*
 * Between fibers (one loop, no syscalls) and threads.
 */

/* Wait until a counter drops to zero. */
struct iou_waitgroup {
	long count;
	struct iou_fiber *waiters;
};

/* A mutex for fibers of one loop: lock/unlock make no syscall. */
struct iou_mutex {
	struct iou_fiber *owner;
	struct iou_fiber *waiters;
};

/* A condition variable for fibers, used with an iou_mutex. */
struct iou_cond {
	struct iou_fiber *waiters;
};

/* A bounded channel of fixed-size items, memory provided by the caller. */
struct iou_chan {
	unsigned char *buf;
	size_t item_size;
	unsigned cap, head, count;
	int closed;
	struct iou_fiber *senders, *receivers;
};

/**
 * iou_waitgroup_init() - set up a wait group at zero
 * @wg: the wait group
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_waitgroup_init(struct iou_waitgroup *wg);

/**
 * iou_waitgroup_add() - add @n (may be negative) to the counter; reaching
 * zero wakes the waiters
 * @wg: the wait group
 * @n: the change
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_waitgroup_add(struct iou_waitgroup *wg, long n);

/**
 * iou_waitgroup_done() - iou_waitgroup_add(wg, -1)
 * @wg: the wait group
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_waitgroup_done(struct iou_waitgroup *wg);

/**
 * iou_waitgroup_wait() - wait until the counter is zero
 * @self: the calling fiber
 * @wg: the wait group
 *
 * Return: 0, or -ECANCELED.  Minimum kernel: any.
 */
IOU_API int iou_waitgroup_wait(struct iou_fiber *self,
			       struct iou_waitgroup *wg);

/**
 * iou_mutex_init() - set up an unlocked mutex
 * @m: the mutex
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_mutex_init(struct iou_mutex *m);

/**
 * iou_mutex_lock() - take the mutex, waiting (in FIFO order) if held
 * @self: the calling fiber
 * @m: the mutex
 *
 * Return: 0, -EDEADLK (already held by @self), -ECANCELED.
 * Minimum kernel: any.
 */
IOU_API int iou_mutex_lock(struct iou_fiber *self, struct iou_mutex *m);

/**
 * iou_mutex_trylock() - take the mutex if free
 * @self: the calling fiber
 * @m: the mutex
 *
 * Return: 0, or -EBUSY.  Minimum kernel: any.
 */
IOU_API int iou_mutex_trylock(struct iou_fiber *self, struct iou_mutex *m);

/**
 * iou_mutex_unlock() - release the mutex, handing it to the first waiter
 * @self: the calling fiber (must hold it)
 * @m: the mutex
 *
 * Return: 0, or -EPERM (not the owner).  Minimum kernel: any.
 */
IOU_API int iou_mutex_unlock(struct iou_fiber *self, struct iou_mutex *m);

/**
 * iou_cond_init() - set up a condition
 * @c: the condition
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_cond_init(struct iou_cond *c);

/**
 * iou_cond_wait() - release @m, wait for a signal, take @m again
 * @self: the calling fiber (holding @m)
 * @c: the condition
 * @m: the mutex
 *
 * Return: 0, -EPERM (not holding @m), -ECANCELED (the mutex is held again
 * on return).  Minimum kernel: any.
 */
IOU_API int iou_cond_wait(struct iou_fiber *self, struct iou_cond *c,
			  struct iou_mutex *m);

/**
 * iou_cond_signal() - wake the first waiter
 * @c: the condition
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_cond_signal(struct iou_cond *c);

/**
 * iou_cond_broadcast() - wake every waiter
 * @c: the condition
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_cond_broadcast(struct iou_cond *c);

/**
 * iou_chan_init() - set up a channel of @cap items of @item_size bytes
 * @ch: the channel
 * @buf: @cap * @item_size bytes, owned by the channel until it is done
 * @item_size: bytes per item
 * @cap: capacity (at least 1)
 *
 * Return: 0, or -EINVAL.  Minimum kernel: any.
 */
IOU_API int iou_chan_init(struct iou_chan *ch, void *buf, size_t item_size,
			  unsigned cap);

/**
 * iou_chan_send() - copy an item in, waiting while the channel is full
 * @self: the calling fiber
 * @ch: the channel
 * @item: @item_size bytes
 *
 * Return: 0, -EPIPE (closed), -ECANCELED.  Minimum kernel: any.
 */
IOU_API int iou_chan_send(struct iou_fiber *self, struct iou_chan *ch,
			  const void *item);

/**
 * iou_chan_recv() - copy an item out, waiting while the channel is empty
 * @self: the calling fiber
 * @ch: the channel
 * @item: receives @item_size bytes
 *
 * Return: 0, -EPIPE (closed and drained), -ECANCELED.
 * Minimum kernel: any.
 */
IOU_API int iou_chan_recv(struct iou_fiber *self, struct iou_chan *ch,
			  void *item);

/**
 * iou_chan_close() - no more sends; receivers drain what is left
 * @ch: the channel
 *
 * Return: nothing.  Minimum kernel: any.
 */
IOU_API void iou_chan_close(struct iou_chan *ch);

/* A function posted to a loop from another thread. */
struct iou_post {
	void (*fn)(struct iou_loop *loop, void *arg);
	void *arg;
	struct iou_post *next;	/* the loop's */
};

/**
 * iou_loop_post() - run @post->fn(loop, @post->arg) on the loop's thread
 * @loop: the loop
 * @post: caller-owned until the function has started running
 *
 * Safe from any thread.  The loop is woken by an IORING_MSG_RING CQE sent
 * without a ring (IORING_REGISTER_SEND_MSG_RING, 6.13), else through an
 * eventfd it polls.  The function runs between fibers; it may spawn
 * fibers and stop the loop.
 *
 * Return: 0, or -errno of the wake-up (the post is queued regardless and
 * runs at the loop's next wake).  Minimum kernel: any.
 */
IOU_API int iou_loop_post(struct iou_loop *loop, struct iou_post *post);

IOU_EXTERN_C_END

#endif
