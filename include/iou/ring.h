/* SPDX-License-Identifier: MIT */
/*
 * The ring: setup, SQE reservation and publication, completion reaping,
 * raw access.  Register calls are in register.h.
 *
 * Conventions (every function below):
 *   - returns >= 0 on success, -errno on failure; errno is never touched;
 *   - the caller owns struct iou_ring (stack, static, anywhere); the
 *     library allocates nothing but the kernel's mappings;
 *   - one thread submits and reaps a given ring at a time;
 *   - sizes and masks are cached at setup: kernel-shared memory (the k*
 *     pointers) is read for indexes and flags only, so a corrupted ring
 *     yields -EUCLEAN, never an out-of-bounds access or an endless loop;
 *   - a ring after iou_ring_exit() stays safe to pass: calls returning
 *     int say -EBADF, counts are 0, pointers NULL, and nothing touches the
 *     memory that was unmapped.  (A ring whose init failed holds nothing
 *     and may be exited, or set up again; nothing else.)
 */
#ifndef IOU_RING_H
#define IOU_RING_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "abi.h"
#include "barrier.h"
#include "err.h"

IOU_EXTERN_C_BEGIN

struct iovec;

/*
 * Submission queue.  Fields prefixed with k point into memory the kernel
 * shares with us; the rest is ours.
 */
struct iou_sq {
	unsigned *khead;	/* kernel writes: SQEs consumed up to here */
	unsigned *ktail;	/* we write: SQEs published up to here */
	unsigned *kflags;	/* kernel writes: IORING_SQ_* */
	unsigned *kdropped;	/* kernel writes: invalid SQEs skipped */
	unsigned *karray;	/* index array, NULL with IORING_SETUP_NO_SQARRAY */
	struct io_uring_sqe *sqes;
	unsigned sqe_head;	/* first SQE handed out but not yet published */
	unsigned sqe_tail;	/* next SQE to hand out */
	unsigned mask;		/* entries - 1, cached at setup */
	unsigned entries;	/* cached at setup */
	unsigned sqe_shift;	/* 1 with IORING_SETUP_SQE128, else 0 */
	unsigned khead_seen;	/* *khead as last read: SQEs before it are free */
	void *ring_ptr;		/* mapping holding head, tail, flags, array */
	size_t ring_sz;
	size_t sqes_sz;
};

/* Completion queue. */
struct iou_cq {
	unsigned *khead;	/* we write: CQEs consumed up to here */
	unsigned *ktail;	/* kernel writes: CQEs posted up to here */
	unsigned *kflags;	/* IORING_CQ_*; we write EVENTFD_DISABLED */
	unsigned *koverflow;	/* kernel writes: CQEs that did not fit */
	struct io_uring_cqe *cqes;
	unsigned head;		/* our head: the shared one is never read back */
	unsigned mask;		/* entries - 1, cached at setup */
	unsigned entries;	/* cached at setup */
	unsigned cqe_shift;	/* 1 with IORING_SETUP_CQE32, else 0 */
	unsigned mixed;		/* IORING_SETUP_CQE_MIXED: 16 and 32 byte CQEs */
	unsigned resv;
	void *ring_ptr;		/* == sq.ring_ptr with IORING_FEAT_SINGLE_MMAP */
	size_t ring_sz;
};

struct iou_ring {
	struct iou_sq sq;
	struct iou_cq cq;
	unsigned flags;		/* IORING_SETUP_* in effect */
	unsigned features;	/* IORING_FEAT_* the kernel reported */
	int ring_fd;		/* the ring's fd; -1 once closed or never had */
	int enter_fd;		/* what enter/register take: fd or registered index */
	unsigned enter_flags;	/* IORING_ENTER_REGISTERED_RING when registered */
	unsigned iflags;	/* IOU_RING_* below */
	int clockid;		/* clock of wait timeouts (IORING_REGISTER_CLOCK) */
	unsigned resv[3];
	struct io_sqring_offsets sq_off;	/* as the kernel gave them */
	struct io_cqring_offsets cq_off;
};

/* iou_ring.iflags */
#define IOU_RING_APP_MEM	(1U << 0)	/* caller memory (NO_MMAP) */
#define IOU_RING_REG_RING	(1U << 1)	/* ring fd registered with itself */
#define IOU_RING_FD_CLOSED	(1U << 2)	/* only the registered index is left */

/*
 * Setup and teardown
 */

/**
 * iou_ring_init() - create a ring with default parameters
 * @ring: the ring to fill (caller's memory)
 * @entries: SQ size wanted; the kernel rounds it up to a power of two
 * @flags: IORING_SETUP_* flags.  IORING_SETUP_NO_SQARRAY is added where the
 *	kernel has it (6.6); IORING_SETUP_NO_MMAP needs iou_ring_init_mem().
 *
 * On failure @ring holds nothing: no fd, no mapping (iou_ring_exit() on
 * it does nothing).
 *
 * Return: 0, or -EINVAL (bad entries/flags), -ENOMEM, -EMFILE/-ENFILE,
 * -ENOSYS (no io_uring here), -EPERM (refused: seccomp,
 * kernel.io_uring_disabled), -EUCLEAN (kernel reported inconsistent
 * sizes).  Minimum kernel 5.1.
 */
IOU_API int iou_ring_init(struct iou_ring *ring, unsigned entries,
			  unsigned flags);

/**
 * iou_ring_init_params() - create a ring with full control of the params
 * @ring: the ring to fill
 * @entries: SQ size wanted (rounded up to a power of two by the kernel)
 * @p: in: flags, cq_entries (IORING_SETUP_CQSIZE), sq_thread_cpu
 *	(IORING_SETUP_SQ_AFF), sq_thread_idle (IORING_SETUP_SQPOLL), wq_fd
 *	(IORING_SETUP_ATTACH_WQ); out: what the kernel set up.  If
 *	IORING_SETUP_NO_SQARRAY is asked for and the kernel rejects the set
 *	with -EINVAL, the call is retried once without it.
 *
 * Return: as iou_ring_init().  Minimum kernel 5.1.
 */
IOU_API int iou_ring_init_params(struct iou_ring *ring, unsigned entries,
				 struct io_uring_params *p);

/**
 * iou_ring_mem_size() - bytes of caller memory iou_ring_init_mem() needs
 * @entries: SQ size wanted
 * @p: the params that will be passed (flags, cq_entries are read)
 *
 * Return: a size in bytes (a whole number of pages), or -EINVAL.
 * Minimum kernel 6.5 (for the ring that uses it).
 */
IOU_API long iou_ring_mem_size(unsigned entries,
			       const struct io_uring_params *p);

/**
 * iou_ring_init_mem() - create a ring in caller memory (IORING_SETUP_NO_MMAP)
 * @ring: the ring to fill
 * @entries: SQ size wanted
 * @p: params as for iou_ring_init_params(); NO_MMAP is added
 * @buf: page-aligned memory of at least iou_ring_mem_size() bytes, which
 *	must stay mapped until iou_ring_exit().  Before Linux 6.13 each of
 *	the two regions (SQEs first, then the rings, each starting on a page)
 *	must fit in one page or one huge page.
 * @size: bytes at @buf
 *
 * With IORING_SETUP_REGISTERED_FD_ONLY in @p->flags the ring has no fd at
 * all, only its registered index.
 *
 * Return: as iou_ring_init(), and -EINVAL for a misaligned or short @buf.
 * Minimum kernel 6.5.
 */
IOU_API int iou_ring_init_mem(struct iou_ring *ring, unsigned entries,
			      struct io_uring_params *p, void *buf,
			      size_t size);

/**
 * iou_ring_exit() - tear a ring down
 * @ring: a ring from one of the init calls (a second call does nothing)
 *
 * Unregisters the ring fd if it was registered, unmaps what setup mapped,
 * closes the fd.  In-flight requests are cancelled by the kernel.  An fd
 * the program closed itself is not closed again, even if its number now
 * names another file or another ring: the fd is closed only if it is
 * still an io_uring whose rings are the ones this ring has mapped (for a
 * ring in caller memory: only if it is still an io_uring), and left open
 * if that cannot be checked (no memory for the check's mapping).
 * Afterwards @ring is exited: every call on it fails cleanly (see the top
 * of this header) until it is set up again.
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_API void iou_ring_exit(struct iou_ring *ring);

/**
 * iou_available() - can this process create rings at all?
 *
 * Makes one io_uring_setup() call that cannot create a ring (so no fd can
 * leak) and reports how the kernel answered.  It says nothing about limits
 * a real setup may still hit (memlock, file table).
 *
 * Return: 0 if io_uring is there; -ENOSYS (not built in, or an emulator
 * such as qemu-user), -EPERM (seccomp, kernel.io_uring_disabled).
 * Minimum kernel: any.
 */
IOU_API int iou_available(void);

/**
 * iou_ring_enable() - start a ring created with IORING_SETUP_R_DISABLED
 * @ring: the ring
 *
 * Return: 0, -EBADFD (not disabled), -EINVAL.  Minimum kernel 5.10.
 */
IOU_API int iou_ring_enable(struct iou_ring *ring);

/*
 * Submission
 */

typedef uint64_t __attribute__((may_alias)) iou_u64_alias;

/*
 * iou__sq_refresh() - re-read the kernel's SQ head once the one last read
 * says the SQ is full.  A head past what was published (a corrupt ring) is
 * not believed, so slots past sqe_head are never handed out twice.
 * Return: nonzero when an SQE is free now.
 */
IOU_INLINE int iou__sq_refresh(struct iou_sq *sq)
{
	/* Pairs with the kernel's release of sq.head after reading SQEs. */
	unsigned head = iou_load_acquire(sq->khead);

	if (head - sq->khead_seen > sq->sqe_head - sq->khead_seen)
		return 0;
	sq->khead_seen = head;
	return sq->sqe_tail - head < sq->entries;
}

/**
 * iou_get_sqe() - hand out the next free SQE, zeroed
 * @ring: the ring
 *
 * The SQE becomes visible to the kernel at the next submit.  Matches
 * liburing's io_uring_get_sqe(), except that the SQE is zeroed.
 *
 * Return: the SQE, or NULL when the SQ is full (always, on an exited
 * ring).  Minimum kernel 5.1.
 */
IOU_INLINE struct io_uring_sqe *iou_get_sqe(struct iou_ring *ring)
{
	struct iou_sq *sq = &ring->sq;
	unsigned tail = sq->sqe_tail;
	iou_u64_alias *w;

	/* The head last read is enough until it says the SQ is full. */
	if (tail - sq->khead_seen >= sq->entries && !iou__sq_refresh(sq))
		return 0;
	w = (iou_u64_alias *)&sq->sqes[(tail & sq->mask) << sq->sqe_shift];
	/* Straight-line stores: no loop a compiler could turn into memset(). */
	w[0] = 0, w[1] = 0, w[2] = 0, w[3] = 0;
	w[4] = 0, w[5] = 0, w[6] = 0, w[7] = 0;
	if (sq->sqe_shift) {
		w[8] = 0, w[9] = 0, w[10] = 0, w[11] = 0;
		w[12] = 0, w[13] = 0, w[14] = 0, w[15] = 0;
	}
	sq->sqe_tail = tail + 1;
	return (struct io_uring_sqe *)w;
}

/**
 * iou_reserve() - hand out @n SQEs, all or none
 * @ring: the ring
 * @n: how many (a chain: all of it is published by the same submit)
 * @sqes: receives @n zeroed SQEs in order
 *
 * Return: 0; -EBUSY when fewer than @n are free now (nothing is taken);
 * -EINVAL when @n is 0 or larger than the SQ; -EBADF on an exited ring.
 * Minimum kernel 5.1.
 */
IOU_INLINE int iou_reserve(struct iou_ring *ring, unsigned n,
			   struct io_uring_sqe **sqes)
{
	struct iou_sq *sq = &ring->sq;
	unsigned i;

	if (!n || n > sq->entries)
		return sq->entries ? -IOU_EINVAL : -IOU_EBADF;
	if (sq->entries - (sq->sqe_tail - sq->khead_seen) < n) {
		iou__sq_refresh(sq);
		if (sq->entries - (sq->sqe_tail - sq->khead_seen) < n)
			return -IOU_EBUSY;
	}
	for (i = 0; i < n; i++)
		sqes[i] = iou_get_sqe(ring);
	return 0;
}

/**
 * iou_sq_ready() - SQEs handed out that the kernel has not consumed yet
 * @ring: the ring
 *
 * Return: the count (0..entries; 0 on an exited ring).  Minimum kernel 5.1.
 */
IOU_INLINE unsigned iou_sq_ready(const struct iou_ring *ring)
{
	const struct iou_sq *sq = &ring->sq;
	/* As in iou__sq_refresh(): a head past sqe_head is not believed. */
	unsigned head = iou_load_acquire(sq->khead);

	if (head - sq->khead_seen > sq->sqe_head - sq->khead_seen)
		head = sq->khead_seen;
	return sq->sqe_tail - head;
}

/**
 * iou_sq_space_left() - SQEs that can be handed out now
 * @ring: the ring
 *
 * Return: the count (0..entries; 0 on an exited ring).  Minimum kernel 5.1.
 */
IOU_INLINE unsigned iou_sq_space_left(const struct iou_ring *ring)
{
	return ring->sq.entries - iou_sq_ready(ring);
}

/**
 * iou_submit() - publish every pending SQE and tell the kernel
 * @ring: the ring
 *
 * All SQEs handed out since the last submit are published with one
 * release-store of the SQ tail.  Without SQPOLL the kernel is entered;
 * with SQPOLL only if the poll thread sleeps (IORING_SQ_NEED_WAKEUP).
 * SQEs the kernel did not consume (a short count) stay in the ring and go
 * with the next submit; nothing is published twice.  On a DEFER_TASKRUN or
 * COOP_TASKRUN ring the enter that submits also collects (GETEVENTS, no
 * minimum): I/O that finished meanwhile is posted to the CQ right away.
 *
 * Return: SQEs consumed by the kernel in this call (with SQPOLL: SQEs
 * this call published for the poll thread), or -EBUSY/-EAGAIN (reap
 * completions, then submit again: the SQEs stay queued), -EBADFD (ring
 * disabled), -EBADF (ring exited), -EINTR, or another -errno of
 * io_uring_enter().  Minimum kernel 5.1.
 */
IOU_API int iou_submit(struct iou_ring *ring);

/**
 * iou_submit_and_wait() - submit, then wait until @wait_nr CQEs are ready
 * @ring: the ring
 * @wait_nr: CQEs to wait for (0: just submit)
 *
 * One enter does both.  -EINTR while waiting is retried.
 *
 * Return: SQEs consumed, or -errno as iou_submit() and -EBADR (CQEs were
 * lost to an overflow; the ring remains usable).  Minimum kernel 5.1.
 */
IOU_API int iou_submit_and_wait(struct iou_ring *ring, unsigned wait_nr);

/**
 * iou_sq_flush() - publish the SQEs handed out, without entering
 * @ring: the ring
 *
 * One release-store of the SQ tail for every SQE iou_get_sqe() or
 * iou_reserve() handed out since the last publication, as iou_submit()
 * does before it enters; for callers that enter themselves with
 * iou_enter() (to wait without the -EINTR retry of iou_submit_and_wait(),
 * say).  With SQPOLL the poll thread may take them at once.
 *
 * Return: how many SQEs the kernel has yet to consume (this call's and
 * any a short submit left), to pass to iou_enter() as @to_submit; 0 on an
 * exited ring.  Minimum kernel 5.1.
 */
IOU_API unsigned iou_sq_flush(struct iou_ring *ring);

/**
 * iou_submit_and_get_events() - submit, and collect completions
 * @ring: the ring
 *
 * One enter with IORING_ENTER_GETEVENTS and no minimum, whether or not
 * there is anything to submit: the kernel runs the ring's pending task
 * work (DEFER_TASKRUN, COOP_TASKRUN) and flushes overflowed CQEs, so what
 * has finished is in the CQ on return.  Nothing is waited for: work
 * still under way (in an io-wq worker, or a retry that the pending work
 * itself queues, as 6.1 does for a read woken by its poll) shows up at a
 * later call.
 *
 * Return: SQEs consumed (with SQPOLL: SQEs this call published), or
 * -errno as iou_submit().  Minimum kernel 5.1.
 */
IOU_API int iou_submit_and_get_events(struct iou_ring *ring);

/**
 * iou_submit_and_wait_timeout() - submit, then wait with a timeout
 * @ring: the ring
 * @cqe: receives the first ready CQE (NULL if none)
 * @wait_nr: CQEs to wait for
 * @ts: relative timeout on the ring's clock, NULL to wait forever
 * @min_wait_usec: with IORING_FEAT_MIN_TIMEOUT, wait at least this long
 *	for @wait_nr before settling for one CQE (0: off); with @ts NULL,
 *	then for the first CQE however long it takes (the kernel alone
 *	would end the wait there with -ETIME)
 *
 * Uses IORING_ENTER_EXT_ARG, never a timeout SQE.  -EINTR is retried with
 * the time that is left.
 *
 * Return: SQEs consumed (>= 0) once @wait_nr CQEs are ready; -ETIME when
 * the timeout expired first (*@cqe may still be set); -EOPNOTSUPP for a
 * timeout on kernels without IORING_FEAT_EXT_ARG (before 5.11); -EINVAL
 * for @min_wait_usec without IORING_FEAT_MIN_TIMEOUT (6.12); otherwise as
 * iou_submit_and_wait().  Minimum kernel 5.11.
 */
IOU_API int iou_submit_and_wait_timeout(struct iou_ring *ring,
					struct io_uring_cqe **cqe,
					unsigned wait_nr,
					const struct iou_timespec *ts,
					unsigned min_wait_usec);

/**
 * iou_sqring_wait() - with SQPOLL, wait until the SQ has free space
 * @ring: the ring
 *
 * Return: 0, or -errno of io_uring_enter(); 0 at once without SQPOLL;
 * -EBADF on an exited ring.  Minimum kernel 5.10.
 */
IOU_API int iou_sqring_wait(struct iou_ring *ring);

/*
 * Completion
 */

/**
 * iou__peek_cqe() - slow path of iou_peek_cqe(); not for direct use
 * @ring: the ring
 * @cqe: receives the CQE
 *
 * Return: as iou_peek_cqe().  Minimum kernel 5.1.
 */
IOU_API int iou__peek_cqe(struct iou_ring *ring, struct io_uring_cqe **cqe);

/**
 * iou__cq_next() - the CQE at or after *@head, for iou_for_each_cqe()
 * @ring: the ring
 * @head: cursor; moved past the fillers of a CQE_MIXED ring
 *
 * Return: the CQE, or NULL at the tail or on a corrupt ring.
 * Minimum kernel 5.1.
 */
IOU_API struct io_uring_cqe *iou__cq_next(struct iou_ring *ring,
					  unsigned *head);

/**
 * iou__cq_advance_mixed() - iou_cq_advance() on a CQE_MIXED ring
 * @ring: the ring
 * @nr: CQEs (not slots) to give back
 *
 * Return: nothing.  Minimum kernel 6.18.
 */
IOU_API void iou__cq_advance_mixed(struct iou_ring *ring, unsigned nr);

/**
 * iou_cq_ready() - CQEs ready to be reaped
 * @ring: the ring
 *
 * Return: the count (with CQE_MIXED: 16-byte slots), 0 when the ring's
 * indexes are corrupt or the ring is exited.  Minimum kernel 5.1.
 */
IOU_INLINE unsigned iou_cq_ready(const struct iou_ring *ring)
{
	/* Pairs with the kernel's release-store of cq.tail. */
	unsigned n = iou_load_acquire(ring->cq.ktail) - ring->cq.head;

	return n > ring->cq.entries ? 0 : n;
}

/**
 * iou_peek_cqe() - the next CQE, without waiting
 * @ring: the ring
 * @cqe: receives it; it stays valid until iou_cqe_seen()/iou_cq_advance()
 *
 * If none is ready but the kernel holds back completions (CQ overflow,
 * pending task work, IOPOLL), enters the kernel once to collect them.
 *
 * Return: 0; -EAGAIN when none is ready; -EUCLEAN when the ring's indexes
 * are corrupt; -EBADF on an exited ring; the io_uring_enter(2) error when
 * the enter that collects held-back CQEs (overflow, task work, IOPOLL)
 * fails.  Minimum kernel 5.1.
 */
IOU_INLINE int iou_peek_cqe(struct iou_ring *ring, struct io_uring_cqe **cqe)
{
	struct iou_cq *cq = &ring->cq;
	unsigned head = cq->head;
	/* Pairs with the kernel's release-store of cq.tail. */
	unsigned avail = iou_load_acquire(cq->ktail) - head;

	if (avail - 1 < cq->entries && !cq->mixed) {
		*cqe = &cq->cqes[(head & cq->mask) << cq->cqe_shift];
		return 0;
	}
	return iou__peek_cqe(ring, cqe);
}

/**
 * iou_cqe_nr() - ring slots a CQE occupies (2 for a big CQE on a mixed ring)
 * @ring: the ring
 * @cqe: a CQE of @ring
 *
 * Return: 1 or 2.  Minimum kernel 5.1.
 */
IOU_INLINE unsigned iou_cqe_nr(const struct iou_ring *ring,
			       const struct io_uring_cqe *cqe)
{
	if (!ring->cq.mixed)
		return 1;
	return (cqe->flags & IORING_CQE_F_32) ? 2 : 1;
}

/**
 * iou_cq_advance() - give @nr CQEs back to the kernel
 * @ring: the ring
 * @nr: CQEs reaped (as counted by iou_for_each_cqe())
 *
 * One release-store of the CQ head for the whole batch.
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_cq_advance(struct iou_ring *ring, unsigned nr)
{
	if (!nr)
		return;
	if (ring->cq.mixed) {
		iou__cq_advance_mixed(ring, nr);
		return;
	}
	ring->cq.head += nr;
	/* Our reads of the CQEs complete before the kernel may reuse them. */
	iou_store_release(ring->cq.khead, ring->cq.head);
}

/**
 * iou_cqe_seen() - give one CQE back to the kernel
 * @ring: the ring
 * @cqe: the CQE iou_peek_cqe()/iou_wait_cqe() returned
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_cqe_seen(struct iou_ring *ring, struct io_uring_cqe *cqe)
{
	if (cqe)
		iou_cq_advance(ring, 1);
}

/**
 * iou_for_each_cqe() - walk the ready CQEs without consuming them
 * @ring: the ring
 * @head: an unsigned the walk uses as its cursor
 * @cqe: a struct io_uring_cqe * set to each CQE in turn
 *
 * The walk covers the CQEs that were ready when it started (the tail is
 * loaded once); later ones wait for the next walk.  Count the CQEs handled
 * and give them back with iou_cq_advance().  On a corrupt ring the walk
 * sees nothing (iou_peek_cqe() then says -EUCLEAN).
 */
/*
 * iou__cq_end() - where a walk stops: the tail, or the head when the
 * indexes are corrupt (a tail more than one ring ahead).
 */
IOU_INLINE unsigned iou__cq_end(const struct iou_ring *ring)
{
	/* Pairs with the kernel's release-store of cq.tail. */
	unsigned tail = iou_load_acquire(ring->cq.ktail);

	return tail - ring->cq.head > ring->cq.entries ? ring->cq.head : tail;
}

/*
 * iou__cq_at() - the CQE at *@head, or NULL at @end.  A CQE_MIXED ring
 * takes iou__cq_next(), which skips fillers and re-checks the tail.
 */
IOU_INLINE struct io_uring_cqe *iou__cq_at(struct iou_ring *ring,
					   unsigned *head, unsigned end)
{
	struct iou_cq *cq = &ring->cq;

	if (cq->mixed)
		return iou__cq_next(ring, head);
	if (*head == end)
		return 0;
	return &cq->cqes[(*head & cq->mask) << cq->cqe_shift];
}

#define iou_for_each_cqe(ring, head, cqe) iou__for_each_cqe(ring, head, cqe)
/* Parameter names that cannot collide with the struct members used. */
#define iou__for_each_cqe(ring_, pos_, cqe_)                                   \
	for (unsigned iou__end_ = ((pos_) = (ring_)->cq.head,                  \
				   iou__cq_end(ring_));                        \
	     ((cqe_) = iou__cq_at((ring_), &(pos_), iou__end_)) != 0;          \
	     (pos_) += iou_cqe_nr((ring_), (cqe_)))

/**
 * iou_wait_cqe() - the next CQE, waiting for one if needed
 * @ring: the ring
 * @cqe: receives it
 *
 * -EINTR is retried; -EBUSY/-EAGAIN from the kernel lead to reaping what is
 * there.
 *
 * Return: 0, -EBADR (CQEs were lost), -EUCLEAN (corrupt ring), -EBADF
 * (exited ring), or another -errno of io_uring_enter().  Minimum kernel 5.1.
 */
IOU_API int iou_wait_cqe(struct iou_ring *ring, struct io_uring_cqe **cqe);

/**
 * iou_wait_cqe_timeout() - the next CQE, waiting at most @ts
 * @ring: the ring
 * @cqe: receives it
 * @ts: relative timeout on the ring's clock; NULL waits forever
 *
 * Return: 0, -ETIME, -EOPNOTSUPP (a timeout before 5.11), or as
 * iou_wait_cqe().  Minimum kernel 5.11 with a timeout, 5.1 without.
 */
IOU_API int iou_wait_cqe_timeout(struct iou_ring *ring,
				 struct io_uring_cqe **cqe,
				 const struct iou_timespec *ts);

/**
 * iou_wait_cqes() - wait until @wait_nr CQEs are ready
 * @ring: the ring
 * @cqe: receives the first ready CQE (NULL if none)
 * @wait_nr: how many to wait for (0 behaves like iou_peek_cqe())
 * @ts: relative timeout, NULL waits forever
 * @min_wait_usec: as for iou_submit_and_wait_timeout()
 *
 * Return: 0 once @wait_nr are ready; -ETIME (*@cqe may still be set);
 * otherwise as iou_submit_and_wait_timeout().  Minimum kernel 5.11 with a
 * timeout, 5.1 without.
 */
IOU_API int iou_wait_cqes(struct iou_ring *ring, struct io_uring_cqe **cqe,
			  unsigned wait_nr, const struct iou_timespec *ts,
			  unsigned min_wait_usec);

/**
 * iou_peek_batch_cqe() - pointers to up to @max ready CQEs
 * @ring: the ring
 * @cqes: receives the pointers
 * @max: room in @cqes
 *
 * Give them back with iou_cq_advance(ring, returned count).
 *
 * Return: the count (0..@max), or -EUCLEAN, -EBADF (exited ring).
 * Minimum kernel 5.1.
 */
IOU_API int iou_peek_batch_cqe(struct iou_ring *ring,
			       struct io_uring_cqe **cqes, unsigned max);

/**
 * iou_cq_copy() - copy up to @max ready CQEs out and give them back
 * @ring: the ring
 * @out: room for @max CQEs of iou_cqe_stride() bytes each
 * @max: how many at most
 *
 * Copying first means the caller never reads memory the kernel may
 * rewrite; the head is stored once for the batch.
 *
 * Return: the count copied (0..@max), or -EUCLEAN, -EBADF (exited ring).
 * Minimum kernel 5.1.
 */
IOU_API int iou_cq_copy(struct iou_ring *ring, struct io_uring_cqe *out,
			unsigned max);

/**
 * iou_cqe_stride() - bytes per CQE in iou_cq_copy()'s output
 * @ring: the ring
 *
 * Return: 16, or 32 with IORING_SETUP_CQE32 / CQE_MIXED.
 * Minimum kernel 5.1.
 */
IOU_INLINE size_t iou_cqe_stride(const struct iou_ring *ring)
{
	return (ring->cq.cqe_shift || ring->cq.mixed) ? 32 : 16;
}

/**
 * iou_get_events() - enter the kernel to flush overflowed CQEs and run
 * pending task work (needed with IORING_SETUP_DEFER_TASKRUN)
 * @ring: the ring
 *
 * Return: 0 or -errno of io_uring_enter() (-EBADF on an exited ring).
 * Minimum kernel 5.1.
 */
IOU_API int iou_get_events(struct iou_ring *ring);

/**
 * iou_cq_has_overflow() - the kernel holds CQEs that did not fit
 * @ring: the ring
 *
 * Return: 1 or 0 (0 on an exited ring).  Minimum kernel 5.5.
 */
IOU_INLINE int iou_cq_has_overflow(const struct iou_ring *ring)
{
	return (iou_load_relaxed(ring->sq.kflags) & IORING_SQ_CQ_OVERFLOW) != 0;
}

/**
 * iou_cq_eventfd_toggle() - suspend or resume eventfd notifications
 * @ring: the ring
 * @enabled: 1 to notify, 0 to stay quiet
 *
 * Return: 0, or -EOPNOTSUPP on kernels without the CQ flags word, -EBADF
 * on an exited ring.  Minimum kernel 5.8.
 */
IOU_API int iou_cq_eventfd_toggle(struct iou_ring *ring, int enabled);

/*
 * Raw access, for fuzzers and tools.  The kernel-shared memory is also
 * reachable through the k* pointers of struct iou_sq / iou_cq.
 */

struct iou_ring_raw {
	void *sq_ring;		/* head, tail, flags, dropped, array */
	size_t sq_ring_size;
	void *cq_ring;		/* head, tail, overflow, flags, CQEs */
	size_t cq_ring_size;	/* same mapping as sq_ring with SINGLE_MMAP */
	void *sqes;
	size_t sqes_size;
	unsigned sqe_size;	/* 64 or 128 */
	unsigned cqe_size;	/* 16 or 32 */
	struct io_sqring_offsets sq_off;
	struct io_cqring_offsets cq_off;
};

/**
 * iou_ring_raw() - describe the shared memory of a ring
 * @ring: the ring
 * @raw: receives base pointers, sizes and field offsets
 *
 * Writing there is allowed (that is what fuzzers do); the library keeps
 * working from its cached sizes and reports inconsistencies as -EUCLEAN.
 *
 * Return: 0, or -EINVAL (NULL argument), -EBADF (exited ring).
 * Minimum kernel 5.1.
 */
IOU_API int iou_ring_raw(const struct iou_ring *ring, struct iou_ring_raw *raw);

/**
 * iou_queue_raw_sqe() - queue an SQE given as bytes
 * @ring: the ring
 * @bytes: the SQE, any content
 * @len: 64, or 128 on an IORING_SETUP_SQE128 ring
 *
 * Return: 0; -EBUSY (SQ full); -EINVAL (wrong @len); -EBADF (exited
 * ring).  Minimum kernel 5.1.
 */
IOU_API int iou_queue_raw_sqe(struct iou_ring *ring, const void *bytes,
			      size_t len);

/**
 * iou_enter() - io_uring_enter(2) on this ring, nothing added
 * @ring: the ring (its fd or registered index is used)
 * @to_submit: as the syscall
 * @min_complete: as the syscall
 * @flags: IORING_ENTER_*; REGISTERED_RING is added when needed
 * @arg: as the syscall
 * @argsz: as the syscall
 *
 * Return: what the kernel returned (-EBADF on an exited ring).
 * Minimum kernel 5.1.
 */
IOU_API int iou_enter(struct iou_ring *ring, unsigned to_submit,
		      unsigned min_complete, unsigned flags, const void *arg,
		      size_t argsz);

IOU_EXTERN_C_END

#endif
