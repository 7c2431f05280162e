/* SPDX-License-Identifier: MIT */
/*
 * Submission: publish pending SQEs with one release-store of the SQ tail
 * and enter the kernel only when it has to be.
 */
#include "internal.h"

/*
 * Does the kernel need an enter to see the @queued SQEs (published, not
 * consumed)?  Always without SQPOLL; with SQPOLL only when the poll thread
 * sleeps (iou__sqpoll_asleep()), whoever published them.
 */
static int sq_needs_enter(struct iou_ring *ring, unsigned queued,
			  unsigned *flags)
{
	if (!queued)
		return 0;
	if (!(ring->flags & IORING_SETUP_SQPOLL))
		return 1;
	if (iou__sqpoll_asleep(ring)) {
		*flags |= IORING_ENTER_SQ_WAKEUP;
		return 1;
	}
	return 0;
}

/*
 * Submit what is pending and optionally wait for @wait_nr CQEs in the
 * same enter.  @retry_intr: retry -EINTR (calls that promise to block);
 * the kernel reports -EINTR only when it consumed nothing, so the SQEs are
 * still queued.  *@pending receives what was offered to the kernel.
 * Out of line: it is the slow path of iou_submit_and_wait(), whose plain
 * path should not pay for this one's registers.
 */
__attribute__((noinline)) static int submit(struct iou_ring *ring,
					    unsigned wait_nr, int retry_intr,
					    unsigned *pending)
{
	unsigned published = ring->sq.sqe_tail - ring->sq.sqe_head;
	unsigned queued = iou__flush_sq(ring);
	unsigned submitted = queued;
	unsigned flags = 0;
	int ret;

	/*
	 * With SQPOLL the count reported is what this call published: the
	 * poll thread stores its head after a whole batch, so the pending
	 * count may still include SQEs whose CQEs already arrived.
	 */
	if (ring->flags & IORING_SETUP_SQPOLL)
		submitted = published;
	*pending = submitted;
	if (!sq_needs_enter(ring, queued, &flags) && !wait_nr &&
	    !iou__cq_needs_enter(ring))
		return (int)submitted;
	if (wait_nr || iou__cq_needs_enter(ring))
		flags |= IORING_ENTER_GETEVENTS;
	do {
		ret = iou__enter_ring(ring, submitted, wait_nr, flags, 0, 0);
	} while (ret == -IOU_EINTR && retry_intr);
	if (ret >= 0 && (ring->flags & IORING_SETUP_SQPOLL))
		return (int)submitted;
	return ret;
}

/*
 * The rings most programs use: no SQPOLL, no IOPOLL.  Every SQE published
 * needs an enter, and CQEs need one only when waited for or held back.
 * Kept apart from submit() so that this path, a NOP's worth of work per
 * call at batch 1, tests no flag it does not need (bench/run:
 * nop_b1_vs_liburing).
 */
static inline int plain_ring(const struct iou_ring *ring)
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

static inline int submit_plain(struct iou_ring *ring, unsigned wait_nr,
			       int retry_intr, unsigned *pending)
{
	unsigned submitted = iou__flush_sq(ring);
	unsigned flags = 0;
	int ret;

	if (wait_nr || iou__cq_needs_flush(ring) ||
	    (submitted && (ring->flags & IOU_TASKRUN_LATER)))
		flags = IORING_ENTER_GETEVENTS;
	*pending = submitted;
	/* Nothing to do; on an exited ring nothing ever will be. */
	if (!submitted && !flags)
		return iou__ring_gone(ring) ? -IOU_EBADF : 0;
	do {
		ret = iou__enter_ring(ring, submitted, wait_nr, flags, 0, 0);
	} while (ret == -IOU_EINTR && retry_intr);
	return ret;
}

int iou_submit(struct iou_ring *ring)
{
	unsigned pending;

	if (plain_ring(ring))
		return submit_plain(ring, 0, 0, &pending);
	return submit(ring, 0, 0, &pending);
}

/*
 * When everything was consumed, the kernel reports the count even if a
 * signal cut the wait short: finish the wait here.  After a short submit
 * it does not wait at all, and neither do we (the CQEs waited for may
 * belong to SQEs still queued).
 */
__attribute__((noinline)) static int finish_wait(struct iou_ring *ring,
						 unsigned wait_nr, int ret)
{
	struct io_uring_cqe *cqe;
	int wret = iou_wait_cqes(ring, &cqe, wait_nr, 0, 0);

	return wret < 0 && !ret ? wret : ret;
}

int iou_submit_and_wait(struct iou_ring *ring, unsigned wait_nr)
{
	unsigned pending;
	int ret;

	if (plain_ring(ring))
		ret = submit_plain(ring, wait_nr, 1, &pending);
	else
		ret = submit(ring, wait_nr, 1, &pending);
	if (ret >= 0 && (unsigned)ret == pending && wait_nr &&
	    iou_cq_ready(ring) < wait_nr)
		return finish_wait(ring, wait_nr, ret);
	return ret;
}

int iou_sqring_wait(struct iou_ring *ring)
{
	unsigned flags;
	int ret;

	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	if (!(ring->flags & IORING_SETUP_SQPOLL) || iou_sq_space_left(ring))
		return 0;
	/* The space comes only from the poll thread: it must be awake. */
	flags = IORING_ENTER_SQ_WAIT;
	if (iou__sqpoll_asleep(ring))
		flags |= IORING_ENTER_SQ_WAKEUP;
	do {
		ret = iou__enter_ring(ring, 0, 0, flags, 0, 0);
	} while (ret == -IOU_EINTR);
	return ret < 0 ? ret : 0;
}

int iou_enter(struct iou_ring *ring, unsigned to_submit, unsigned min_complete,
	      unsigned flags, const void *arg, size_t argsz)
{
	return iou__enter_ring(ring, to_submit, min_complete, flags, arg,
			       argsz);
}
