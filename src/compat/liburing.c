/* SPDX-License-Identifier: MIT */
/*
 * liburing's out-of-line API on iou's ring layer (<liburing.h> of
 * include/iou-liburing).  struct io_uring holds liburing's fields and,
 * at its end, iou's own struct iou_ring of the same ring: the shared
 * pointers are the same in both, and the few counters that live in our
 * memory (the SQE indexes, the CQ head) are handed over at each call
 * (view() before, done() after), because the inline functions of the
 * header move them on liburing's side.
 *
 * Setup and teardown, the SQ and CQ calls and the waits; register.c has
 * the probes, the register calls and the raw system calls.  Nothing here
 * needs a libc: system calls and memory go through iou's own wrappers.
 */
#include <liburing.h>

#include "../sys.h"
#include "../ring/internal.h"
#include "compat.h"

static unsigned *word(void *base, unsigned off)
{
	return (unsigned *)((char *)base + off);
}

/* liburing's fields from iou's state, after setup or a register call. */
void iou__lu_fill(struct io_uring *ring)
{
	struct iou_ring *v = &ring->iou_private;
	struct io_uring_sq *sq = &ring->sq;
	struct io_uring_cq *cq = &ring->cq;

	sq->khead = v->sq.khead;
	sq->ktail = v->sq.ktail;
	sq->kring_mask = word(v->sq.ring_ptr, v->sq_off.ring_mask);
	sq->kring_entries = word(v->sq.ring_ptr, v->sq_off.ring_entries);
	sq->kflags = v->sq.kflags;
	sq->kdropped = v->sq.kdropped;
	sq->array = v->sq.karray;
	sq->sqes = v->sq.sqes;
	sq->sqe_head = v->sq.sqe_head;
	sq->sqe_tail = v->sq.sqe_tail;
	sq->ring_sz = v->sq.ring_sz;
	sq->ring_ptr = v->sq.ring_ptr;
	sq->ring_mask = v->sq.mask;
	sq->ring_entries = v->sq.entries;
	sq->sqes_sz = (unsigned)v->sq.sqes_sz;

	cq->khead = v->cq.khead;
	cq->ktail = v->cq.ktail;
	cq->kring_mask = word(v->cq.ring_ptr, v->cq_off.ring_mask);
	cq->kring_entries = word(v->cq.ring_ptr, v->cq_off.ring_entries);
	cq->kflags = v->cq.kflags;
	cq->koverflow = v->cq.koverflow;
	cq->cqes = v->cq.cqes;
	cq->ring_sz = v->cq.ring_sz;
	cq->ring_ptr = v->cq.ring_ptr;
	cq->ring_mask = v->cq.mask;
	cq->ring_entries = v->cq.entries;

	ring->flags = v->flags;
	ring->features = v->features;
	ring->ring_fd = v->ring_fd;
	ring->enter_ring_fd = v->enter_fd;
	ring->int_flags = 0;
	if (v->iflags & IOU_RING_REG_RING)
		ring->int_flags |= INT_FLAG_REG_RING;
	if (v->iflags & IOU_RING_FD_CLOSED)
		ring->int_flags |= INT_FLAG_REG_REG_RING;
	if (v->iflags & IOU_RING_APP_MEM)
		ring->int_flags |= INT_FLAG_APP_MEM;
	if (v->enter_flags & IORING_ENTER_NO_IOWAIT)
		ring->int_flags |= INT_FLAG_NO_IOWAIT;
}

/* liburing's fields of a ring that holds nothing (exited, or never set up). */
static void forget(struct io_uring *ring)
{
	iou__memzero(&ring->sq, sizeof(ring->sq));
	iou__memzero(&ring->cq, sizeof(ring->cq));
	ring->ring_fd = ring->enter_ring_fd = -1;
	ring->int_flags = 0;
}

/*
 * IORING_SETUP_SQ_REWIND rings (kernels after 6.18): the kernel takes the
 * SQEs from slot 0 on every enter, as many as it is told, and the SQ head
 * and tail must stay 0.  iou's submit paths publish a tail, so the layer
 * submits such a ring itself: flush() hands over the count and starts the
 * next batch at slot 0, flush_failed() puts the batch back when the enter
 * failed (the kernel took none of it).  On other rings they are
 * iou__flush_sq() and nothing.
 */
static unsigned flush(struct iou_ring *v)
{
	unsigned n;

	if (!(v->flags & IORING_SETUP_SQ_REWIND))
		return iou__flush_sq(v);
	n = v->sq.sqe_tail;
	v->sq.sqe_head = v->sq.sqe_tail = 0;
	return n;
}

static void flush_failed(struct iou_ring *v, unsigned n)
{
	if ((v->flags & IORING_SETUP_SQ_REWIND) && !v->sq.sqe_tail)
		v->sq.sqe_head = v->sq.sqe_tail = n;
}

static int rewind_ring(const struct io_uring *ring)
{
	return (ring->flags & IORING_SETUP_SQ_REWIND) != 0;
}

/*
 * Submit an SQ_REWIND ring, waiting for @wait_nr CQEs in the same enter.
 * Returns the SQEs consumed or -errno.  -EINTR is retried as iou's
 * submit-and-wait does: the kernel reports it only when it took nothing.
 */
static int rewind_submit(struct io_uring *ring, unsigned wait_nr,
			 int retry_intr)
{
	struct iou_ring *v = view(ring);
	unsigned flags = 0, n = flush(v);
	int ret;

	if (wait_nr || (n && (v->flags & (IORING_SETUP_DEFER_TASKRUN |
					   IORING_SETUP_COOP_TASKRUN))))
		flags = IORING_ENTER_GETEVENTS;
	if (!n && !flags)
		return done(ring, 0);
	do {
		ret = iou_enter(v, n, wait_nr, flags, NULL, 0);
	} while (ret == -EINTR && retry_intr);
	if (ret < 0)
		flush_failed(v, n);
	return done(ring, ret);
}

int io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
			       struct io_uring_params *p)
{
	int ret;

	iou__memzero(ring, sizeof(*ring));
	ret = iou_ring_init_params(&ring->iou_private, entries, p);
	if (ret) {
		ring->ring_fd = ring->enter_ring_fd = -1;
		return ret;
	}
	iou__lu_fill(ring);
	return 0;
}

int io_uring_queue_init(unsigned entries, struct io_uring *ring,
			unsigned flags)
{
	struct io_uring_params p;

	iou__memzero(&p, sizeof(p));
	p.flags = flags;
	return io_uring_queue_init_params(entries, ring, &p);
}

int io_uring_queue_mmap(int fd, struct io_uring_params *p,
			struct io_uring *ring)
{
	int ret;

	iou__memzero(ring, sizeof(*ring));
	ring->ring_fd = ring->enter_ring_fd = -1;
	if (fd < 0 || !p)
		return -EINVAL;
	ret = iou__ring_from_fd(&ring->iou_private, fd, p);
	if (ret)
		return ret;
	iou__lu_fill(ring);
	return 0;
}

/*
 * A ring in caller memory: iou_ring_init_mem() lays it out as
 * iou_ring_mem_size() says, which is the count liburing returns.
 */
int io_uring_queue_init_mem(unsigned entries, struct io_uring *ring,
			    struct io_uring_params *p, void *buf,
			    size_t buf_size)
{
	long used;
	int ret;

	iou__memzero(ring, sizeof(*ring));
	ring->ring_fd = ring->enter_ring_fd = -1;
	if (!p)
		return -EINVAL;
	used = iou_ring_mem_size(entries, p);
	if (used < 0)
		return (int)used;
	if (used > 0x7fffffffL)
		return -EINVAL;
	ret = iou_ring_init_mem(&ring->iou_private, entries, p, buf, buf_size);
	if (ret) {
		ring->ring_fd = ring->enter_ring_fd = -1;
		return ret;
	}
	iou__lu_fill(ring);
	return (int)used;
}

ssize_t io_uring_memory_size_params(unsigned entries, struct io_uring_params *p)
{
	if (!p)
		return -EINVAL;
	return iou_ring_mem_size(entries, p);
}

ssize_t io_uring_memory_size(unsigned entries, unsigned flags)
{
	struct io_uring_params p;

	iou__memzero(&p, sizeof(p));
	p.flags = flags;
	return io_uring_memory_size_params(entries, &p);
}

/*
 * iou swaps the mappings and keeps the pending SQEs and CQEs; liburing
 * refuses a ring in caller memory with -EINVAL, and clears @p's flags.
 * A ring the resize left exited (see iou_resize_rings()) holds nothing
 * on liburing's side either.
 */
int io_uring_resize_rings(struct io_uring *ring, struct io_uring_params *p)
{
	struct iou_ring *v = view(ring);
	int ret;

	if (!p)
		return -EINVAL;
	if (v->flags & IORING_SETUP_NO_MMAP) {
		ret = -EINVAL;
	} else {
		iou__memzero(&p->sq_off, sizeof(p->sq_off));
		iou__memzero(&p->cq_off, sizeof(p->cq_off));
		ret = iou_resize_rings(v, p);
		if (!v->cq.entries)
			forget(ring);
		else
			iou__lu_fill(ring);
	}
	p->flags = 0;
	return ret;
}

/*
 * IORING_ENTER_NO_IOWAIT on every enter of the ring from now on, or off
 * again: iou adds enter_flags to each enter it makes.
 */
int io_uring_set_iowait(struct io_uring *ring, bool enable_iowait)
{
	struct iou_ring *v = &ring->iou_private;

	if (!(ring->features & IORING_FEAT_NO_IOWAIT))
		return -EOPNOTSUPP;
	if (enable_iowait) {
		v->enter_flags &= ~(unsigned)IORING_ENTER_NO_IOWAIT;
		ring->int_flags &= (__u8)~INT_FLAG_NO_IOWAIT;
	} else {
		v->enter_flags |= IORING_ENTER_NO_IOWAIT;
		ring->int_flags |= INT_FLAG_NO_IOWAIT;
	}
	return 0;
}

/* MADV_DONTFORK on the SQEs and the ring mappings of liburing's fields. */
int io_uring_ring_dontfork(struct io_uring *ring)
{
	size_t sqes_sz;
	int ret;

	if (!ring->sq.ring_ptr || !ring->sq.sqes || !ring->cq.ring_ptr)
		return -EINVAL;
	sqes_sz = (size_t)ring->sq.ring_entries * sizeof(struct io_uring_sqe);
	if (ring->flags & IORING_SETUP_SQE128)
		sqes_sz *= 2;
	ret = iou__sys_madvise(ring->sq.sqes, sqes_sz, IOU_MADV_DONTFORK);
	if (ret < 0)
		return ret;
	ret = iou__sys_madvise(ring->sq.ring_ptr, ring->sq.ring_sz,
			       IOU_MADV_DONTFORK);
	if (ret < 0)
		return ret;
	if (ring->cq.ring_ptr != ring->sq.ring_ptr) {
		ret = iou__sys_madvise(ring->cq.ring_ptr, ring->cq.ring_sz,
				       IOU_MADV_DONTFORK);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * io_uring_mlock_size(): before 5.12 (no IORING_FEAT_NATIVE_WORKERS) the
 * kernel charged a ring's memory to RLIMIT_MEMLOCK: the rings and the
 * SQEs, each allocated as a power-of-two run of pages.  The rings are a
 * header (two index pairs on cache lines of their own plus eight words:
 * at most 320 bytes with 128-byte lines), the CQEs, then the SQ index
 * array on a 64-byte boundary.
 */
#define RINGS_HDR_MAX 320
#define MAX_SQ_ENTRIES 32768U
#define MAX_CQ_ENTRIES (2 * MAX_SQ_ENTRIES)

static unsigned pow2_at_least(unsigned v)
{
	unsigned r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

static size_t pow2_pages(size_t bytes, size_t page)
{
	size_t pages = (bytes + page - 1) / page, n = 1;

	while (n < pages)
		n <<= 1;
	return n;
}

ssize_t io_uring_mlock_size_params(unsigned entries, struct io_uring_params *p)
{
	struct io_uring_params probe;
	size_t page = iou__page_size(), rings, sqes;
	unsigned cq_entries;
	int fd;

	if (!p)
		return -EINVAL;
	/* A kernel that charges the cgroup instead needs no memlock at all. */
	iou__memzero(&probe, sizeof(probe));
	fd = iou__sys_io_uring_setup(entries, &probe);
	if (fd >= 0)
		iou__sys_close(fd);
	else
		probe.features = 0;
	if (probe.features & IORING_FEAT_NATIVE_WORKERS)
		return 0;

	if (!entries)
		return -EINVAL;
	if (entries > MAX_SQ_ENTRIES) {
		if (!(p->flags & IORING_SETUP_CLAMP))
			return -EINVAL;
		entries = MAX_SQ_ENTRIES;
	}
	entries = pow2_at_least(entries);
	if (p->flags & IORING_SETUP_CQSIZE) {
		if (!p->cq_entries)
			return -EINVAL;
		cq_entries = p->cq_entries;
		if (cq_entries > MAX_CQ_ENTRIES) {
			if (!(p->flags & IORING_SETUP_CLAMP))
				return -EINVAL;
			cq_entries = MAX_CQ_ENTRIES;
		}
		cq_entries = pow2_at_least(cq_entries);
		if (cq_entries < entries)
			return -EINVAL;
	} else {
		cq_entries = 2 * entries;
	}
	rings = RINGS_HDR_MAX + (size_t)cq_entries *
					(p->flags & IORING_SETUP_CQE32 ? 32 : 16);
	rings = ((rings + 63) & ~(size_t)63) + (size_t)entries * 4;
	sqes = (size_t)entries * (p->flags & IORING_SETUP_SQE128 ? 128 : 64);
	return (ssize_t)((pow2_pages(rings, page) + pow2_pages(sqes, page)) *
			 page);
}

ssize_t io_uring_mlock_size(unsigned entries, unsigned flags)
{
	struct io_uring_params p;

	iou__memzero(&p, sizeof(p));
	p.flags = flags;
	return io_uring_mlock_size_params(entries, &p);
}

void io_uring_queue_exit(struct io_uring *ring)
{
	iou_ring_exit(view(ring));
	forget(ring);
}

/*
 * Plain rings (iou__plain_ring(), and not SQ_REWIND), the rings of nearly
 * every program, are submitted straight from liburing's fields: the SQE
 * indexes of struct io_uring are published as they stand and the enter
 * goes through its enter_ring_fd, so nothing is handed over to iou's view
 * unless the enter needs finishing (iou__submit_rest()).
 */
static inline int plain(const struct io_uring *ring)
{
	return !(ring->iou_private.flags &
		 (IORING_SETUP_SQPOLL | IORING_SETUP_IOPOLL |
		  IORING_SETUP_SQ_REWIND));
}

static inline unsigned plain_publish(struct io_uring *ring)
{
	struct iou_ring *v = &ring->iou_private;
	unsigned tail = ring->sq.sqe_tail;
	unsigned pending = iou__publish_sq(v, &ring->sq.sqe_head, tail);

	/*
	 * iou's view follows, as view() and done() would have it: processes
	 * that share this struct after a fork (liburing's test across-fork)
	 * each hand the view back to liburing's fields in done(), and a
	 * stale one would move the SQ tail back under the other.
	 */
	v->sq.sqe_head = v->sq.sqe_tail = tail;
	return pending;
}

int io_uring_submit(struct io_uring *ring)
{
	if (plain(ring))
		return iou__enter_plain(&ring->iou_private, ring->enter_ring_fd,
					plain_publish(ring), 0);
	if (rewind_ring(ring))
		return rewind_submit(ring, 0, 0);
	return done(ring, iou_submit(view(ring)));
}

__attribute__((noinline)) static int plain_rest(struct io_uring *ring,
						unsigned pending,
						unsigned wait_nr, int ret)
{
	return done(ring, iou__submit_rest(view(ring), pending, wait_nr, ret));
}

int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	struct iou_ring *v = &ring->iou_private;
	unsigned pending;
	int ret;

	if (!plain(ring)) {
		if (rewind_ring(ring))
			return rewind_submit(ring, wait_nr, 1);
		return done(ring, iou_submit_and_wait(view(ring), wait_nr));
	}
	pending = plain_publish(ring);
	ret = iou__enter_plain(v, ring->enter_ring_fd, pending, wait_nr);
	/* liburing's CQ head is the current one (the inline reaping moves it). */
	if (iou__submit_unfinished(v, ring->cq.khead, pending, wait_nr, ret))
		return plain_rest(ring, pending, wait_nr, ret);
	return ret;
}

/*
 * Wait with a signal mask: the enter itself carries it (iou's waits take
 * none).  The first ready CQE, if any, goes to *@cqe_ptr.
 */
static int wait_masked(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask)
{
	struct iou_ring *v = view(ring);
	int ret;

	if (submit)
		submit = flush(v);
	ret = iou_enter(v, submit, wait_nr, IORING_ENTER_GETEVENTS, sigmask,
			KSIGSET_SIZE);
	if (ret < 0)
		flush_failed(v, submit);
	done(ring, 0);
	if (ret < 0)
		return ret;
	ret = iou_peek_cqe(v, cqe_ptr);
	return ret == -EAGAIN && !wait_nr ? -EAGAIN : ret;
}

int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask)
{
	struct iou_ring *v;
	int ret;

	*cqe_ptr = NULL;
	if (sigmask)
		return wait_masked(ring, cqe_ptr, submit, wait_nr, sigmask);
	if (submit) {
		ret = io_uring_submit_and_wait(ring, wait_nr);
		if (ret < 0)
			return ret;
	}
	v = view(ring);
	ret = iou_wait_cqes(v, cqe_ptr, wait_nr, NULL, 0);
	return done(ring, ret);
}

/*
 * The waits with a timeout, a batch timeout (@min_wait_usec) or a signal
 * mask in the enter's extended argument; @submit: submit first.
 *
 * They fail with -ETIME in liburing only when no CQE came ("not receiving
 * a completion within the specified timeout",
 * io_uring_submit_and_wait_timeout(3)); with fewer than @wait_nr ready
 * they succeed and hand out the first.  iou says -ETIME whenever fewer
 * than @wait_nr are ready, with *@cqe_ptr set if there is one.  A
 * success that submitted says how many SQEs went in: what the kernel
 * consumed, or with SQPOLL what was handed to its thread.
 */
static int wait_common(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       int submit, unsigned wait_nr,
		       struct __kernel_timespec *ts, unsigned min_wait_usec,
		       sigset_t *sigmask)
{
	struct iou_ring *v;
	unsigned head = 0, pending = 0;
	int ret, submitted = -1;

	*cqe_ptr = NULL;
	if (submit && rewind_ring(ring)) {
		submitted = rewind_submit(ring, 0, 0);
		if (submitted < 0)
			return submitted;
		submit = 0;
	}
	v = view(ring);
	if (submit) {
		head = iou_load_acquire(v->sq.khead);
		pending = v->sq.sqe_tail - head;
	}
	ret = iou__wait(v, cqe_ptr, submit, wait_nr,
			(const struct iou_timespec *)(const void *)ts,
			min_wait_usec, sigmask);
	if (ret == -ETIME && *cqe_ptr) {
		if (!submit)
			ret = 0;
		else if (v->flags & IORING_SETUP_SQPOLL)
			ret = (int)pending;
		else
			ret = (int)(iou_load_acquire(v->sq.khead) - head);
	}
	if (submitted >= 0 && ret >= 0)
		ret = submitted;
	return done(ring, ret);
}

int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned wait_nr, struct __kernel_timespec *ts,
		       sigset_t *sigmask)
{
	*cqe_ptr = NULL;
	if (sigmask && !ts)
		return wait_masked(ring, cqe_ptr, 0, wait_nr, sigmask);
	return wait_common(ring, cqe_ptr, 0, wait_nr, ts, 0, sigmask);
}

int io_uring_wait_cqe_timeout(struct io_uring *ring,
			      struct io_uring_cqe **cqe_ptr,
			      struct __kernel_timespec *ts)
{
	return io_uring_wait_cqes(ring, cqe_ptr, 1, ts, NULL);
}

int io_uring_submit_and_wait_timeout(struct io_uring *ring,
				     struct io_uring_cqe **cqe_ptr,
				     unsigned wait_nr,
				     struct __kernel_timespec *ts,
				     sigset_t *sigmask)
{
	*cqe_ptr = NULL;
	if (sigmask && !ts)
		return wait_masked(ring, cqe_ptr, 1, wait_nr, sigmask);
	return wait_common(ring, cqe_ptr, 1, wait_nr, ts, 0, sigmask);
}

/*
 * liburing leaves the batch timeout out where the kernel lacks it
 * (IORING_FEAT_MIN_TIMEOUT) when only waiting, and refuses the submitting
 * form there with -EINVAL.
 */
int io_uring_wait_cqes_min_timeout(struct io_uring *ring,
				   struct io_uring_cqe **cqe_ptr,
				   unsigned wait_nr,
				   struct __kernel_timespec *ts,
				   unsigned int min_wait_usec,
				   sigset_t *sigmask)
{
	if (!(ring->features & IORING_FEAT_MIN_TIMEOUT))
		min_wait_usec = 0;
	return wait_common(ring, cqe_ptr, 0, wait_nr, ts, min_wait_usec,
			   sigmask);
}

int io_uring_submit_and_wait_min_timeout(struct io_uring *ring,
					 struct io_uring_cqe **cqe_ptr,
					 unsigned wait_nr,
					 struct __kernel_timespec *ts,
					 unsigned min_wait_usec,
					 sigset_t *sigmask)
{
	*cqe_ptr = NULL;
	if (!(ring->features & IORING_FEAT_MIN_TIMEOUT))
		return -EINVAL;
	return wait_common(ring, cqe_ptr, 1, wait_nr, ts, min_wait_usec,
			   sigmask);
}

/*
 * One enter that submits and waits as slot @reg_index of the registered
 * wait region says (IORING_ENTER_EXT_ARG_REG: the argument is the slot's
 * byte offset).  The kernel answers the SQEs it consumed when there were
 * any, else the wait's result; *@cqe_ptr gets the first CQE there is,
 * which a wait cut short (timeout, signal) may leave NULL.
 */
int io_uring_submit_and_wait_reg(struct io_uring *ring,
				 struct io_uring_cqe **cqe_ptr,
				 unsigned wait_nr, int reg_index)
{
	unsigned flags = IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG |
			 IORING_ENTER_EXT_ARG_REG;
	struct iou_ring *v;
	unsigned submit;
	size_t off;
	int ret;

	*cqe_ptr = NULL;
	if (!(ring->features & IORING_FEAT_EXT_ARG) || reg_index < 0)
		return -EINVAL;
	off = (size_t)reg_index * sizeof(struct io_uring_reg_wait);
	v = view(ring);
	submit = flush(v);
	if ((v->flags & IORING_SETUP_SQPOLL) && iou__sqpoll_asleep(v))
		flags |= IORING_ENTER_SQ_WAKEUP;
	ret = iou_enter(v, submit, wait_nr, flags, (const void *)(uintptr_t)off,
			sizeof(struct io_uring_reg_wait));
	if (ret < 0)
		flush_failed(v, submit);
	done(ring, 0);
	if (ret < 0 && ret != -ETIME)
		return ret;
	if (iou_peek_cqe(v, cqe_ptr))
		*cqe_ptr = NULL;
	if (ret == -ETIME)
		return *cqe_ptr ? 0 : -ETIME;
	return ret;
}

unsigned io_uring_peek_batch_cqe(struct io_uring *ring,
				 struct io_uring_cqe **cqes, unsigned count)
{
	int ret = iou_peek_batch_cqe(view(ring), cqes, count);

	return ret < 0 ? 0 : (unsigned)ret;
}

int io_uring_get_events(struct io_uring *ring)
{
	return done(ring, iou_get_events(view(ring)));
}

/*
 * Submit and collect in one enter: always GETEVENTS (no minimum), so
 * overflowed CQEs and pending task work are flushed as
 * io_uring_get_events() would.  Returns the kernel's answer: SQEs
 * submitted, or -errno.
 */
int io_uring_submit_and_get_events(struct io_uring *ring)
{
	struct iou_ring *v = view(ring);
	unsigned flags = IORING_ENTER_GETEVENTS;
	unsigned submit = flush(v);
	int ret;

	if ((v->flags & IORING_SETUP_SQPOLL) && iou__sqpoll_asleep(v))
		flags |= IORING_ENTER_SQ_WAKEUP;
	ret = iou_enter(v, submit, 0, flags, NULL, 0);
	if (ret < 0)
		flush_failed(v, submit);
	return done(ring, ret);
}

/*
 * Not in liburing.h, but liburing.a has it and liburing's own tests
 * declare and call it: publish the SQEs handed out (one store of the SQ
 * tail) and return how many the kernel has yet to consume.  On an
 * SQ_REWIND ring: the batch's size, and the next one starts at slot 0.
 */
unsigned __io_uring_flush_sq(struct io_uring *ring);

unsigned __io_uring_flush_sq(struct io_uring *ring)
{
	unsigned pending = flush(view(ring));

	done(ring, 0);
	return pending;
}

int __io_uring_sqring_wait(struct io_uring *ring)
{
	return done(ring, iou_sqring_wait(view(ring)));
}
