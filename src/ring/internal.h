/* SPDX-License-Identifier: MIT */
/* Private helpers shared by the files of src/ring/. */
#ifndef IOU_SRC_RING_INTERNAL_H
#define IOU_SRC_RING_INTERNAL_H

#include "iou/ring.h"
#include "iou/register.h"
#include "iou/err.h"
#include "sys.h"
#include "util.h"

/* Everything declared here is internal: no GOT, no PLT, no export. */
#pragma GCC visibility push(hidden)

/*
 * The ring was exited (or its init failed): its cached sizes are zero.
 * Exit also points the k* pointers at words no kernel writes (setup.c),
 * so the inline paths of ring.h see a full SQ and an empty CQ without a
 * test of their own.  The out-of-line calls ask this once, up front or
 * where they would otherwise say "nothing yet" (-EAGAIN, 0) to a caller
 * who might wait for good, and say -EBADF instead.  A live ring never has
 * zero CQ entries.
 */
static inline int iou__ring_gone(const struct iou_ring *ring)
{
	return !ring->cq.entries;
}

/* io_uring_enter on the ring's fd or registered index. */
static inline int iou__enter_ring(struct iou_ring *ring, unsigned to_submit,
				  unsigned min_complete, unsigned flags,
				  const void *arg, size_t argsz)
{
	return iou__sys_io_uring_enter(ring->enter_fd, to_submit, min_complete,
				       flags | ring->enter_flags, arg, argsz);
}

/*
 * io_uring_register on the ring: through the fd while we have one, else
 * through the registered index (IORING_REGISTER_USE_REGISTERED_RING).
 */
static inline int iou__register(struct iou_ring *ring, unsigned opcode,
				const void *arg, unsigned nr_args)
{
	if (ring->ring_fd >= 0)
		return iou__sys_io_uring_register(ring->ring_fd, opcode, arg,
						  nr_args);
	if (ring->iflags & IOU_RING_REG_RING)
		return iou__sys_io_uring_register(
			ring->enter_fd,
			opcode | IORING_REGISTER_USE_REGISTERED_RING, arg,
			nr_args);
	return -IOU_EBADF;
}

/*
 * Publish the SQEs handed out up to @tail, *@sqe_head being the last tail
 * published: one release-store of the SQ tail for the whole batch.
 * Returns how many SQEs the kernel has yet to consume, including any a
 * previous short submit left behind.  iou__flush_sq() is the usual form;
 * liburing's layer passes the counters of its own struct io_uring.
 */
static inline unsigned iou__publish_sq(struct iou_ring *ring,
				       unsigned *sqe_head, unsigned tail)
{
	unsigned pending;

	if (*sqe_head != tail) {
		*sqe_head = tail;
		/* Pairs with the kernel's acquire-load of sq.tail. */
		iou_store_release(ring->sq.ktail, tail);
	}
	pending = tail - iou_load_acquire(ring->sq.khead);
	return pending > ring->sq.entries ? ring->sq.entries : pending;
}

static inline unsigned iou__flush_sq(struct iou_ring *ring)
{
	return iou__publish_sq(ring, &ring->sq.sqe_head, ring->sq.sqe_tail);
}

/*
 * SQPOLL: is the poll thread asleep with SQEs we published and it has not
 * consumed?  Not only this call's: when the enter that should have woken
 * it failed, the next call that can enter must wake it, or those SQEs
 * wait for good.  The full fence orders our tail store before the flag
 * load, pairing with the thread's set-flag, full barrier, re-check-tail
 * sequence; without it both sides could miss each other.
 */
static inline int iou__sqpoll_asleep(const struct iou_ring *ring)
{
	iou_smp_mb();
	return (iou_load_relaxed(ring->sq.kflags) & IORING_SQ_NEED_WAKEUP) &&
	       ring->sq.sqe_head != iou_load_acquire(ring->sq.khead);
}

/* The SQ flags say completions are held back until we enter with GETEVENTS. */
static inline int iou__cq_needs_flush(const struct iou_ring *ring)
{
	return (iou_load_relaxed(ring->sq.kflags) &
		(IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)) != 0;
}

static inline int iou__cq_needs_enter(const struct iou_ring *ring)
{
	return (ring->flags & IORING_SETUP_IOPOLL) || iou__cq_needs_flush(ring);
}

/*
 * The rings most programs use: no SQPOLL, no IOPOLL.  Every
 * SQE published needs an enter, and CQEs need one only when waited for or
 * held back.  Their submit (iou__enter_plain()) is kept apart from the
 * general one so that a NOP's worth of work per call at batch 1 tests no
 * flag it does not need (bench/run: nop_b1_vs_liburing).
 */
static inline int iou__plain_ring(const struct iou_ring *ring)
{
	return !(ring->flags & (IORING_SETUP_SQPOLL | IORING_SETUP_IOPOLL));
}

/*
 * Rings whose completions wait for the task to ask (DEFER_TASKRUN), or
 * for its next visit to the kernel (COOP_TASKRUN): an enter that submits
 * also asks (GETEVENTS with no minimum), so I/O that finished meanwhile is
 * posted now rather than at the next wait.  fio does the same, and
 * without it random reads fell behind fio's (bench/run: randread_vs_fio).
 */
#define IOU_TASKRUN_LATER \
	(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_COOP_TASKRUN)

/*
 * One enter of a plain ring through @fd (the ring's enter fd), offering
 * @pending published SQEs and waiting for @wait_nr CQEs; none at all when
 * there is nothing to do.  Returns the enter's result, -EINTR included.
 */
static inline int iou__enter_plain(struct iou_ring *ring, int fd,
				   unsigned pending, unsigned wait_nr)
{
	unsigned flags = 0;

	if (wait_nr || iou__cq_needs_flush(ring) ||
	    (pending && (ring->flags & IOU_TASKRUN_LATER)))
		flags = IORING_ENTER_GETEVENTS;
	/* Nothing to do; on an exited ring nothing ever will be. */
	if (!pending && !flags)
		return iou__ring_gone(ring) ? -IOU_EBADF : 0;
	return iou__sys_io_uring_enter(fd, pending, wait_nr,
				       flags | ring->enter_flags, 0, 0);
}

/*
 * Does a plain submit-and-wait that returned @ret for @pending SQEs need
 * iou__submit_rest()?  When the enter was cut short by a signal, or when
 * it consumed everything but the CQEs waited for are not all there (the
 * kernel reports the count even if a signal ended the wait).  After a
 * short submit the kernel does not wait at all, and neither do we: the
 * CQEs waited for may belong to SQEs still queued.  @cq_head is the CQ
 * head as the caller keeps it: iou's cq.head, or liburing's *cq.khead in
 * the layer (read only when the enter took every SQE).
 */
static inline int iou__submit_unfinished(const struct iou_ring *ring,
					 const unsigned *cq_head,
					 unsigned pending, unsigned wait_nr,
					 int ret)
{
	unsigned ready;

	if (ret == -IOU_EINTR)
		return 1;
	if (!wait_nr || (unsigned)ret != pending)
		return 0;
	/* iou_cq_ready() from @cq_head: a corrupt distance counts as none. */
	ready = iou_load_acquire(ring->cq.ktail) - *cq_head;
	return (ready > ring->cq.entries ? 0 : ready) < wait_nr;
}

/* The rest of that submit-and-wait: submit.c, out of the hot path. */
int iou__submit_rest(struct iou_ring *ring, unsigned pending,
		     unsigned wait_nr, int ret);

#pragma GCC visibility pop

/* A ring from an fd set up elsewhere (setup.c; liburing's queue_mmap). */
int iou__ring_from_fd(struct iou_ring *ring, int fd,
		      const struct io_uring_params *p);

/*
 * The wait behind iou_wait_cqes() (@submit 0) and
 * iou_submit_and_wait_timeout() (@submit 1), with their results, and with
 * @sigmask (a kernel sigset_t, 8 bytes) in force while the kernel waits:
 * complete.c; liburing's waits take a signal mask.
 */
int iou__wait(struct iou_ring *ring, struct io_uring_cqe **cqe, int submit,
	      unsigned wait_nr, const struct iou_timespec *ts,
	      unsigned min_wait_usec, const void *sigmask);

#endif
