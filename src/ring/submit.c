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

int iou_submit(struct iou_ring *ring)
{
	unsigned pending;

	if (iou__plain_ring(ring))
		return iou__enter_plain(ring, ring->enter_fd,
					iou__flush_sq(ring), 0);
	return submit(ring, 0, 0, &pending);
}

/*
 * A submit-and-wait that iou__submit_unfinished() stopped: retry the
 * enter of a plain ring that a signal interrupted (the kernel reports
 * -EINTR only when it consumed nothing, so the SQEs are still queued),
 * and finish a wait that a signal cut short.
 */
int iou__submit_rest(struct iou_ring *ring, unsigned pending,
		     unsigned wait_nr, int ret)
{
	struct io_uring_cqe *cqe;
	int wret;

	while (ret == -IOU_EINTR)
		ret = iou__enter_plain(ring, ring->enter_fd, pending, wait_nr);
	if (ret < 0 || (unsigned)ret != pending || !wait_nr ||
	    iou_cq_ready(ring) >= wait_nr)
		return ret;
	wret = iou_wait_cqes(ring, &cqe, wait_nr, 0, 0);
	return wret < 0 && !ret ? wret : ret;
}

int iou_submit_and_wait(struct iou_ring *ring, unsigned wait_nr)
{
	unsigned pending;
	int ret;

	if (iou__plain_ring(ring)) {
		pending = iou__flush_sq(ring);
		ret = iou__enter_plain(ring, ring->enter_fd, pending, wait_nr);
	} else {
		ret = submit(ring, wait_nr, 1, &pending);
	}
	if (iou__submit_unfinished(ring, &ring->cq.head, pending, wait_nr,
				   ret))
		return iou__submit_rest(ring, pending, wait_nr, ret);
	return ret;
}

unsigned iou_sq_flush(struct iou_ring *ring)
{
	return iou__flush_sq(ring);
}

int iou_submit_and_get_events(struct iou_ring *ring)
{
	unsigned published = ring->sq.sqe_tail - ring->sq.sqe_head;
	unsigned pending = iou__flush_sq(ring);
	unsigned flags = IORING_ENTER_GETEVENTS;
	int ret;

	if (!(ring->flags & IORING_SETUP_SQPOLL))
		return iou__enter_ring(ring, pending, 0, flags, 0, 0);
	if (iou__sqpoll_asleep(ring))
		flags |= IORING_ENTER_SQ_WAKEUP;
	ret = iou__enter_ring(ring, pending, 0, flags, 0, 0);
	return ret < 0 ? ret : (int)published;
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
