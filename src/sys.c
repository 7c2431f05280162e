/* SPDX-License-Identifier: MIT */
/*
 * Typed wrappers over the raw syscall stubs, and the fault-injection hooks
 * tests use to make them fail.  Nothing else in src/ calls a stub.
 */
#include "sys.h"
#include "fault.h"
#include "sys/syscall.h"
#include "sys/signal.h"

#ifdef IOU_FAULT_INJECTION
/*
 * Count, record and maybe replace the call.  `count` names the argument a
 * SHORT rule clamps (NULL: the call has none, SHORT does nothing).
 */
#define FAULT(sys, count, a0, a1, a2, a3, a4, a5)                              \
	do {                                                                   \
		const long fault_args_[6] = { (long)(a0), (long)(a1),          \
					      (long)(a2), (long)(a3),          \
					      (long)(a4), (long)(a5) };        \
		long fault_ret_;                                               \
		if (iou__fault_hit((sys), fault_args_, (count), &fault_ret_))  \
			return fault_ret_;                                     \
	} while (0)
#define FAULT_PTR(sys, a0, a1, a2, a3, a4, a5)                                 \
	do {                                                                   \
		const long fault_args_[6] = { (long)(a0), (long)(a1),          \
					      (long)(a2), (long)(a3),          \
					      (long)(a4), (long)(a5) };        \
		long fault_ret_;                                               \
		if (iou__fault_hit((sys), fault_args_, 0, &fault_ret_))        \
			return iou__err_ptr(fault_ret_);                       \
	} while (0)
#else
#define FAULT(sys, count, a0, a1, a2, a3, a4, a5) ((void)0)
#define FAULT_PTR(sys, a0, a1, a2, a3, a4, a5) ((void)0)
#endif

#ifdef IOU_TSAN
/*
 * ThreadSanitizer learns of mappings through libc's mmap and munmap; ours
 * bypass them, so its shadow of an unmapped range keeps the accesses made
 * there, and a thread that is given the same range by a later mmap seems
 * to race with them.  The kernel orders every munmap before any mmap that
 * reuses the range: one release per unmap, one acquire per map, on a
 * single sync object, says so.
 */
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
static char tsan_mm;
#define TSAN_UNMAP() __tsan_release(&tsan_mm)
#define TSAN_MAP() __tsan_acquire(&tsan_mm)
#else
#define TSAN_UNMAP() ((void)0)
#define TSAN_MAP() ((void)0)
#endif

static long allocs_live;

/* Relaxed: every change comes with an mmap or munmap, and loops may run on several threads. */
void iou__alloc_note(long delta)
{
	__atomic_add_fetch(&allocs_live, delta, __ATOMIC_RELAXED);
}

long iou__alloc_live(void)
{
	return __atomic_load_n(&allocs_live, __ATOMIC_RELAXED);
}

static long map_bytes_live;

static void map_note(long delta)
{
	__atomic_add_fetch(&map_bytes_live, delta, __ATOMIC_RELAXED);
}

long iou__map_bytes_live(void)
{
	return __atomic_load_n(&map_bytes_live, __ATOMIC_RELAXED);
}

int iou__sys_io_uring_setup(unsigned entries, struct io_uring_params *p)
{
	FAULT(IOU_FAULT_SETUP, 0, entries, p, 0, 0, 0, 0);
	return (int)iou_syscall2(IOU_NR_io_uring_setup, (long)entries, (long)p);
}

#ifdef IOU_FAULT_INJECTION
int iou__sys_io_uring_enter(int fd, unsigned to_submit, unsigned min_complete,
			    unsigned flags, const void *arg, size_t argsz)
{
	long submit = to_submit;

	FAULT(IOU_FAULT_ENTER, &submit, fd, to_submit, min_complete, flags, arg,
	      argsz);
	return (int)iou_syscall6(IOU_NR_io_uring_enter, fd, submit,
				 (long)min_complete, (long)flags, (long)arg,
				 (long)argsz);
}
#endif

int iou__sys_io_uring_register(int fd, unsigned opcode, const void *arg,
			       unsigned nr_args)
{
	FAULT(IOU_FAULT_REGISTER, 0, fd, opcode, arg, nr_args, 0, 0);
	return (int)iou_syscall4(IOU_NR_io_uring_register, fd, (long)opcode,
				 (long)arg, (long)nr_args);
}

void *iou__sys_mmap(void *addr, size_t len, int prot, int flags, int fd,
		    uint64_t off)
{
	void *p;

	FAULT_PTR(IOU_FAULT_MMAP, addr, len, prot, flags, fd, off);
	p = (void *)iou_syscall6(IOU_NR_mmap, (long)addr, (long)len, prot,
				 flags, fd, (long)off);
	TSAN_MAP();
	if (!iou__is_err(p))
		map_note((long)len);
	return p;
}

int iou__sys_munmap(void *addr, size_t len)
{
	int ret;

	FAULT(IOU_FAULT_MUNMAP, 0, addr, len, 0, 0, 0, 0);
	TSAN_UNMAP();
	ret = (int)iou_syscall2(IOU_NR_munmap, (long)addr, (long)len);
	if (ret == 0)
		map_note(-(long)len);
	return ret;
}

int iou__sys_madvise(void *addr, size_t len, int advice)
{
	FAULT(IOU_FAULT_MADVISE, 0, addr, len, advice, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_madvise, (long)addr, (long)len, advice);
}

int iou__sys_close(int fd)
{
	FAULT(IOU_FAULT_CLOSE, 0, fd, 0, 0, 0, 0, 0);
	return (int)iou_syscall1(IOU_NR_close, fd);
}

long iou__sys_read(int fd, void *buf, size_t len)
{
	long n = (long)len;

	FAULT(IOU_FAULT_READ, &n, fd, buf, len, 0, 0, 0);
	return iou_syscall3(IOU_NR_read, fd, (long)buf, n);
}

long iou__sys_write(int fd, const void *buf, size_t len)
{
	long n = (long)len;

	FAULT(IOU_FAULT_WRITE, &n, fd, buf, len, 0, 0, 0);
	return iou_syscall3(IOU_NR_write, fd, (long)buf, n);
}

void *iou__sys_mremap(void *old, size_t old_size, size_t new_size, int flags)
{
	void *p;

	FAULT_PTR(IOU_FAULT_MREMAP, old, old_size, new_size, flags, 0, 0);
	TSAN_UNMAP();
	p = (void *)iou_syscall4(IOU_NR_mremap, (long)old, (long)old_size,
				 (long)new_size, flags);
	TSAN_MAP();
	if (!iou__is_err(p))
		map_note((long)new_size - (long)old_size);
	return p;
}

int iou__sys_mprotect(void *addr, size_t len, int prot)
{
	FAULT(IOU_FAULT_MPROTECT, 0, addr, len, prot, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_mprotect, (long)addr, (long)len, prot);
}

int iou__sys_fcntl(int fd, int cmd, long arg)
{
	FAULT(IOU_FAULT_FCNTL, 0, fd, cmd, arg, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_fcntl, fd, cmd, arg);
}

int iou__sys_openat(int dfd, const char *path, int flags, unsigned mode)
{
	FAULT(IOU_FAULT_OPENAT, 0, dfd, path, flags, mode, 0, 0);
	return (int)iou_syscall4(IOU_NR_openat, dfd, (long)path, flags,
				 (long)mode);
}

int iou__sys_eventfd2(unsigned initval, int flags)
{
	FAULT(IOU_FAULT_EVENTFD2, 0, initval, flags, 0, 0, 0, 0);
	return (int)iou_syscall2(IOU_NR_eventfd2, (long)initval, flags);
}

int iou__sys_epoll_create1(int flags)
{
	FAULT(IOU_FAULT_EPOLL_CREATE1, 0, flags, 0, 0, 0, 0, 0);
	return (int)iou_syscall1(IOU_NR_epoll_create1, flags);
}

int iou__sys_epoll_ctl(int epfd, int op, int fd, void *event)
{
	FAULT(IOU_FAULT_EPOLL_CTL, 0, epfd, op, fd, event, 0, 0);
	return (int)iou_syscall4(IOU_NR_epoll_ctl, epfd, op, fd, (long)event);
}

int iou__sys_epoll_pwait(int epfd, void *events, int maxevents, int timeout_ms)
{
	FAULT(IOU_FAULT_EPOLL_PWAIT, 0, epfd, events, maxevents, timeout_ms, 0, 0);
	return (int)iou_syscall6(IOU_NR_epoll_pwait, epfd, (long)events,
				 maxevents, timeout_ms, 0, 8);
}

long iou__sys_pread(int fd, void *buf, size_t len, uint64_t off)
{
	FAULT(IOU_FAULT_PREAD, 0, fd, buf, len, off, 0, 0);
	if (off == (uint64_t)-1)
		return iou__sys_read(fd, buf, len);
	return iou_syscall4(IOU_NR_pread64, fd, (long)buf, (long)len, (long)off);
}

long iou__sys_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	FAULT(IOU_FAULT_PWRITE, 0, fd, buf, len, off, 0, 0);
	if (off == (uint64_t)-1)
		return iou__sys_write(fd, buf, len);
	return iou_syscall4(IOU_NR_pwrite64, fd, (long)buf, (long)len,
			    (long)off);
}

long iou__sys_preadv(int fd, const void *iov, int cnt, uint64_t off)
{
	FAULT(IOU_FAULT_PREADV, 0, fd, iov, cnt, off, 0, 0);
	if (off == (uint64_t)-1)
		return iou_syscall3(IOU_NR_readv, fd, (long)iov, cnt);
	/* The offset goes split in two longs; on 64-bit the high one is 0. */
	return iou_syscall5(IOU_NR_preadv, fd, (long)iov, cnt, (long)off, 0);
}

long iou__sys_pwritev(int fd, const void *iov, int cnt, uint64_t off)
{
	FAULT(IOU_FAULT_PWRITEV, 0, fd, iov, cnt, off, 0, 0);
	if (off == (uint64_t)-1)
		return iou_syscall3(IOU_NR_writev, fd, (long)iov, cnt);
	return iou_syscall5(IOU_NR_pwritev, fd, (long)iov, cnt, (long)off, 0);
}

long iou__sys_recv(int fd, void *buf, size_t len, int flags)
{
	FAULT(IOU_FAULT_RECV, 0, fd, buf, len, flags, 0, 0);
	return iou_syscall6(IOU_NR_recvfrom, fd, (long)buf, (long)len, flags, 0,
			    0);
}

long iou__sys_send(int fd, const void *buf, size_t len, int flags)
{
	FAULT(IOU_FAULT_SEND, 0, fd, buf, len, flags, 0, 0);
	return iou_syscall6(IOU_NR_sendto, fd, (long)buf, (long)len, flags, 0,
			    0);
}

long iou__sys_recvmsg(int fd, void *msg, int flags)
{
	FAULT(IOU_FAULT_RECVMSG, 0, fd, msg, flags, 0, 0, 0);
	return iou_syscall3(IOU_NR_recvmsg, fd, (long)msg, flags);
}

long iou__sys_sendmsg(int fd, const void *msg, int flags)
{
	FAULT(IOU_FAULT_SENDMSG, 0, fd, msg, flags, 0, 0, 0);
	return iou_syscall3(IOU_NR_sendmsg, fd, (long)msg, flags);
}

int iou__sys_accept4(int fd, void *addr, void *addrlen, int flags)
{
	FAULT(IOU_FAULT_ACCEPT4, 0, fd, addr, addrlen, flags, 0, 0);
	return (int)iou_syscall4(IOU_NR_accept4, fd, (long)addr, (long)addrlen,
				 flags);
}

int iou__sys_connect(int fd, const void *addr, unsigned len)
{
	FAULT(IOU_FAULT_CONNECT, 0, fd, addr, len, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_connect, fd, (long)addr, (long)len);
}

int iou__sys_socket(int domain, int type, int protocol)
{
	FAULT(IOU_FAULT_SOCKET, 0, domain, type, protocol, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_socket, domain, type, protocol);
}

int iou__sys_bind(int fd, const void *addr, unsigned len)
{
	FAULT(IOU_FAULT_BIND, 0, fd, addr, len, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_bind, fd, (long)addr, (long)len);
}

int iou__sys_listen(int fd, int backlog)
{
	FAULT(IOU_FAULT_LISTEN, 0, fd, backlog, 0, 0, 0, 0);
	return (int)iou_syscall2(IOU_NR_listen, fd, backlog);
}

int iou__sys_shutdown(int fd, int how)
{
	FAULT(IOU_FAULT_SHUTDOWN, 0, fd, how, 0, 0, 0, 0);
	return (int)iou_syscall2(IOU_NR_shutdown, fd, how);
}

int iou__sys_getsockopt(int fd, int level, int name, void *val, void *len)
{
	FAULT(IOU_FAULT_GETSOCKOPT, 0, fd, level, name, val, len, 0);
	return (int)iou_syscall5(IOU_NR_getsockopt, fd, level, name, (long)val,
				 (long)len);
}

int iou__sys_setsockopt(int fd, int level, int name, const void *val,
			unsigned len)
{
	FAULT(IOU_FAULT_SETSOCKOPT, 0, fd, level, name, val, len, 0);
	return (int)iou_syscall5(IOU_NR_setsockopt, fd, level, name, (long)val,
				 (long)len);
}

int iou__sys_getsockname(int fd, void *addr, void *addrlen)
{
	FAULT(IOU_FAULT_GETSOCKNAME, 0, fd, addr, addrlen, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_getsockname, fd, (long)addr,
				 (long)addrlen);
}

int iou__sys_getpeername(int fd, void *addr, void *addrlen)
{
	FAULT(IOU_FAULT_GETPEERNAME, 0, fd, addr, addrlen, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_getpeername, fd, (long)addr,
				 (long)addrlen);
}

int iou__sys_fsync(int fd, int datasync)
{
	FAULT(IOU_FAULT_FSYNC, 0, fd, datasync, 0, 0, 0, 0);
	return (int)iou_syscall1(datasync ? IOU_NR_fdatasync : IOU_NR_fsync, fd);
}

int iou__sys_statx(int dfd, const char *path, int flags, unsigned mask,
		   void *buf)
{
	FAULT(IOU_FAULT_STATX, 0, dfd, path, flags, mask, buf, 0);
	return (int)iou_syscall5(IOU_NR_statx, dfd, (long)path, flags,
				 (long)mask, (long)buf);
}

int iou__sys_poll_for(int fd, unsigned events, long ns)
{
	struct {
		int fd;
		short events, revents;
	} pfd = { fd, (short)events, 0 };
	struct {
		long tv_sec, tv_nsec;
	} ts = { ns / 1000000000L, ns % 1000000000L };
	long ret;

	FAULT(IOU_FAULT_POLL, 0, fd, events, 0, 0, 0, 0);
	ret = iou_syscall5(IOU_NR_ppoll, (long)&pfd, 1, (long)&ts, 0, 8);
	return ret < 0 ? (int)ret : (unsigned short)pfd.revents;
}

int iou__sys_poll_now(int fd, unsigned events)
{
	return iou__sys_poll_for(fd, events, 0);
}

long iou__sys_splice(int fd_in, int64_t *off_in, int fd_out,
		     int64_t *off_out, size_t len, unsigned flags)
{
	FAULT(IOU_FAULT_SPLICE, 0, fd_in, off_in, fd_out, off_out, len, flags);
	return iou_syscall6(IOU_NR_splice, fd_in, (long)off_in, fd_out,
			    (long)off_out, (long)len, (long)flags);
}

int iou__sys_rt_sigaction(int sig, const struct iou_ksigaction *act,
			  struct iou_ksigaction *old)
{
	FAULT(IOU_FAULT_RT_SIGACTION, 0, sig, act, old, 0, 0, 0);
	return (int)iou_syscall4(IOU_NR_rt_sigaction, sig, (long)act,
				 (long)old, sizeof(act->mask));
}

int iou__sys_sigaltstack(const struct iou_kstack *ss, struct iou_kstack *old)
{
	FAULT(IOU_FAULT_SIGALTSTACK, 0, ss, old, 0, 0, 0, 0);
	return (int)iou_syscall2(IOU_NR_sigaltstack, (long)ss, (long)old);
}

int iou__sys_getpid(void)
{
	return (int)iou_syscall0(IOU_NR_getpid);
}

int iou__sys_gettid(void)
{
	return (int)iou_syscall0(IOU_NR_gettid);
}

int iou__sys_tgkill(int tgid, int tid, int sig)
{
	FAULT(IOU_FAULT_TGKILL, 0, tgid, tid, sig, 0, 0, 0);
	return (int)iou_syscall3(IOU_NR_tgkill, tgid, tid, sig);
}

int iou__sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	FAULT(IOU_FAULT_RT_SIGPROCMASK, 0, how, set, old, 0, 0, 0);
	return (int)iou_syscall4(IOU_NR_rt_sigprocmask, how, (long)set,
				 (long)old, sizeof(*set));
}

int iou__sys_signalfd4(int fd, const uint64_t *mask, int flags)
{
	FAULT(IOU_FAULT_SIGNALFD4, 0, fd, mask, flags, 0, 0, 0);
	return (int)iou_syscall4(IOU_NR_signalfd4, fd, (long)mask,
				 sizeof(*mask), flags);
}

int iou__sys_clock_gettime(int clockid, struct iou_timespec *ts)
{
	FAULT(IOU_FAULT_CLOCK_GETTIME, 0, clockid, ts, 0, 0, 0, 0);
	return (int)iou_syscall2(IOU_NR_clock_gettime, clockid, (long)ts);
}

int iou__sys_prlimit(int pid, int resource, const struct iou_rlimit *set,
		     struct iou_rlimit *old)
{
	FAULT(IOU_FAULT_PRLIMIT64, 0, pid, resource, set, old, 0, 0);
	return (int)iou_syscall4(IOU_NR_prlimit64, pid, resource, (long)set,
				 (long)old);
}

unsigned long iou__page_size(void)
{
#if IOU_ARCH_PAGE_SIZE == 4096UL
	return 4096;
#else
	/*
	 * Several page sizes are possible.  munmap() only accepts an address
	 * aligned to the real one, so try the candidates inside a mapping of
	 * the largest.  Racing callers compute the same answer.
	 */
	static unsigned long cached;
	unsigned long size = __atomic_load_n(&cached, __ATOMIC_RELAXED);
	unsigned long cand;
	char *p;

	if (size)
		return size;
	p = iou__sys_mmap(0, 2 * IOU_ARCH_PAGE_SIZE, IOU_PROT_READ,
			  IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS, -1, 0);
	if (iou__is_err(p)) {
		/*
		 * The largest candidate rounds every size up far enough; what
		 * must not happen is an answer that changes later, or memory
		 * mapped with one rounding would be unmapped with another.
		 */
		__atomic_store_n(&cached, IOU_ARCH_PAGE_SIZE, __ATOMIC_RELAXED);
		return IOU_ARCH_PAGE_SIZE;
	}
	size = IOU_ARCH_PAGE_SIZE;
	for (cand = 4096; cand < IOU_ARCH_PAGE_SIZE; cand <<= 2) {
		if (iou__sys_munmap(p + cand, cand) == 0) {
			size = cand;
			break;
		}
	}
	/* Around the hole, so that every byte is unmapped exactly once. */
	if (size < IOU_ARCH_PAGE_SIZE) {
		iou__sys_munmap(p, size);
		iou__sys_munmap(p + 2 * size, 2 * IOU_ARCH_PAGE_SIZE - 2 * size);
	} else {
		iou__sys_munmap(p, 2 * IOU_ARCH_PAGE_SIZE);
	}
	__atomic_store_n(&cached, size, __ATOMIC_RELAXED);
	return size;
#endif
}

#ifdef IOU_FAULT_INJECTION
struct fault_rule {
	unsigned long calls;
	unsigned long first;	/* first call number the rule applies to */
	unsigned long last;	/* last call number it applies to; 0 = none */
	enum iou_fault_mode mode;
	long value;
	long args[6];
};

static struct fault_rule fault_rules[IOU_FAULT_NR];

void iou__fault_arm(enum iou_fault_sys sys, unsigned nth, unsigned times,
		    enum iou_fault_mode mode, long value)
{
	struct fault_rule *r;

	if ((unsigned)sys >= IOU_FAULT_NR || !nth || !times)
		return;
	r = &fault_rules[sys];
	r->mode = mode;
	r->value = value;
	__atomic_store_n(&r->first, iou__fault_calls(sys) + nth,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&r->last, r->first + times - 1, __ATOMIC_RELAXED);
}

void iou__fault_reset(void)
{
	unsigned i, j;

	for (i = 0; i < IOU_FAULT_NR; i++) {
		__atomic_store_n(&fault_rules[i].last, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&fault_rules[i].first, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&fault_rules[i].calls, 0, __ATOMIC_RELAXED);
		for (j = 0; j < 6; j++)
			__atomic_store_n(&fault_rules[i].args[j], 0,
					 __ATOMIC_RELAXED);
	}
}

unsigned long iou__fault_calls(enum iou_fault_sys sys)
{
	if ((unsigned)sys >= IOU_FAULT_NR)
		return 0;
	return __atomic_load_n(&fault_rules[sys].calls, __ATOMIC_RELAXED);
}

long iou__fault_last_arg(enum iou_fault_sys sys, unsigned idx)
{
	if ((unsigned)sys >= IOU_FAULT_NR || idx >= 6)
		return 0;
	return __atomic_load_n(&fault_rules[sys].args[idx], __ATOMIC_RELAXED);
}

/*
 * Threads may make calls while a test arms rules: the counter and the
 * recorded arguments are atomic (relaxed), so counting is exact and a
 * sanitizer sees no race; rules are meant to be armed by one thread.
 */
int iou__fault_hit(enum iou_fault_sys sys, const long args[6], long *count,
		   long *ret)
{
	struct fault_rule *r = &fault_rules[sys];
	unsigned long n = __atomic_add_fetch(&r->calls, 1, __ATOMIC_RELAXED);
	unsigned long first = __atomic_load_n(&r->first, __ATOMIC_RELAXED);
	unsigned long last = __atomic_load_n(&r->last, __ATOMIC_RELAXED);
	unsigned i;

	for (i = 0; i < 6; i++)
		__atomic_store_n(&r->args[i], args[i], __ATOMIC_RELAXED);
	if (!last || n < first || n > last)
		return 0;
	if (r->mode == IOU_FAULT_FAIL) {
		*ret = r->value;
		return 1;
	}
	if (count && *count > r->value)
		*count = r->value;
	return 0;
}

const char *iou__fault_name(enum iou_fault_sys sys)
{
	static const char *const names[IOU_FAULT_NR] = {
#define IOU_FAULT_NAME(id, name) [IOU_FAULT_##id] = name,
		IOU_FAULT_LIST(IOU_FAULT_NAME)
#undef IOU_FAULT_NAME
	};

	return (unsigned)sys < IOU_FAULT_NR ? names[sys] : "?";
}
#endif
