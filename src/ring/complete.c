/* SPDX-License-Identifier: MIT */
/*
 * Completion: peeking, waiting (with EXT_ARG timeouts), batches.
 *
 * The CQ head is ours: we keep it in ring->cq.head and only ever store it
 * to the shared word, so a corrupted shared head changes nothing here.  The
 * tail is the kernel's; any tail more than cq.entries ahead of our head is
 * a corrupt ring and yields -EUCLEAN instead of a walk through garbage.
 */
#include "internal.h"

/*
 * Consecutive enters that promised CQEs and showed none before we call the
 * ring corrupt (the kernel's view of the tail and ours disagree; on an
 * IOPOLL ring, only if the shared head is not ours), and
 * consecutive -EBUSY/-EAGAIN answers before we pass them on.
 */
#define FRUITLESS_MAX 64
#define BUSY_MAX 64

static int cq_avail(const struct iou_ring *ring, unsigned *avail)
{
	/* Pairs with the kernel's release-store of cq.tail. */
	unsigned n = iou_load_acquire(ring->cq.ktail) - ring->cq.head;

	if (n > ring->cq.entries)
		return -IOU_EUCLEAN;
	*avail = n;
	return 0;
}

struct io_uring_cqe *iou__cq_next(struct iou_ring *ring, unsigned *head)
{
	struct iou_cq *cq = &ring->cq;
	unsigned tail = iou_load_acquire(cq->ktail);	/* as in cq_avail() */
	unsigned idx;
	struct io_uring_cqe *cqe;

	if (tail - cq->head > cq->entries)
		return 0;
	/* *head lies in [cq->head, tail]: compare distances, not values. */
	while (*head - cq->head < tail - cq->head) {
		idx = *head & cq->mask;
		cqe = &cq->cqes[idx << cq->cqe_shift];
		if (!cq->mixed)
			return cqe;
		if (cqe->flags & IORING_CQE_F_SKIP) {
			/* A filler before the wrap: not a completion. */
			(*head)++;
			continue;
		}
		/* A big CQE is two slots, never split by the wrap. */
		if ((cqe->flags & IORING_CQE_F_32) &&
		    (idx == cq->mask || tail - *head < 2))
			return 0;
		return cqe;
	}
	return 0;
}

void iou__cq_advance_mixed(struct iou_ring *ring, unsigned nr)
{
	unsigned head = ring->cq.head;
	struct io_uring_cqe *cqe;

	while (nr-- && (cqe = iou__cq_next(ring, &head)))
		head += iou_cqe_nr(ring, cqe);
	ring->cq.head = head;
	/* Our reads of the CQEs complete before the kernel reuses the slots. */
	iou_store_release(ring->cq.khead, head);
}

/*
 * The next CQE without entering the kernel.  Fillers of a mixed ring in
 * front of it are consumed.  *@avail: slots ready.
 */
static int peek_ready(struct iou_ring *ring, struct io_uring_cqe **cqe_ptr,
		      unsigned *avail)
{
	unsigned head = ring->cq.head;
	int ret = cq_avail(ring, avail);

	*cqe_ptr = 0;
	if (ret)
		return ret;
	if (!*avail)
		return 0;
	*cqe_ptr = iou__cq_next(ring, &head);
	if (head != ring->cq.head) {
		*avail -= head - ring->cq.head;
		ring->cq.head = head;
		iou_store_release(ring->cq.khead, head);
	}
	if (!*cqe_ptr && *avail && ring->cq.mixed)
		return -IOU_EUCLEAN; /* a big CQE that cannot be one */
	return 0;
}

int iou__peek_cqe(struct iou_ring *ring, struct io_uring_cqe **cqe_ptr)
{
	unsigned avail;
	int ret;

	if (iou__ring_gone(ring)) {
		*cqe_ptr = 0;
		return -IOU_EBADF;
	}
	ret = peek_ready(ring, cqe_ptr, &avail);
	if (ret || *cqe_ptr)
		return ret;
	if (!iou__cq_needs_enter(ring))
		return -IOU_EAGAIN;
	/* Overflowed CQEs, pending task work or IOPOLL: collect, once. */
	ret = iou__enter_ring(ring, 0, 0, IORING_ENTER_GETEVENTS, 0, 0);
	if (ret < 0 && ret != -IOU_EINTR && ret != -IOU_EBUSY &&
	    ret != -IOU_EAGAIN)
		return ret;
	ret = peek_ready(ring, cqe_ptr, &avail);
	if (ret)
		return ret;
	return *cqe_ptr ? 0 : -IOU_EAGAIN;
}

static int64_t ts_ns(const struct iou_timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

/* What is left of @total since @start, or -ETIME when nothing is. */
static int time_left(struct iou_ring *ring, const struct iou_timespec *start,
		     const struct iou_timespec *total,
		     struct iou_timespec *left)
{
	struct iou_timespec now;
	int64_t rem;

	if (iou__sys_clock_gettime(ring->clockid, &now))
		return -IOU_ETIME;
	rem = ts_ns(total) - (ts_ns(&now) - ts_ns(start));
	if (rem <= 0)
		return -IOU_ETIME;
	left->tv_sec = rem / 1000000000LL;
	left->tv_nsec = rem % 1000000000LL;
	return 0;
}

struct wait {
	unsigned submit;	 /* SQEs to hand the kernel (first enter only) */
	unsigned wait_nr;	 /* CQEs wanted */
	const struct iou_timespec *ts;
	unsigned min_wait_usec;
	int submitted;		 /* out: SQEs the kernel consumed */
	int woke;		 /* an enter woke the SQPOLL thread */
	const void *sigmask;	 /* kernel sigset_t while waiting, or 0 */
};

/*
 * Decide how to enter for @w given what is ready.  Returns 0 when there is
 * no reason to enter the kernel.
 */
static unsigned enter_flags(struct iou_ring *ring, struct wait *w,
			    const struct io_uring_cqe *cqe, unsigned avail)
{
	unsigned flags = 0;

	if (avail < w->wait_nr || (!cqe && iou__cq_needs_enter(ring)))
		flags |= IORING_ENTER_GETEVENTS;
	if ((ring->flags & IORING_SETUP_SQPOLL) && (w->submit || !w->woke)) {
		/*
		 * Ours or not, SQEs left to a sleeping thread need waking;
		 * once per call (it may be slow to clear the flag).
		 */
		if (iou__sqpoll_asleep(ring)) {
			flags |= IORING_ENTER_SQ_WAKEUP;
		} else {
			/* The poll thread is awake and will take them. */
			w->submitted += (int)w->submit;
			w->submit = 0;
		}
	}
	return flags;
}

/*
 * The one loop behind every waiting call: reap if possible, else enter
 * (submitting, waiting, flushing as needed) and look again.
 */
static int get_cqe(struct iou_ring *ring, struct io_uring_cqe **cqe_ptr,
		   struct wait *w)
{
	/*
	 * min_wait with no timeout: when the minimum wait passes and nothing
	 * was posted, the kernel ends the whole wait (-ETIME) unless a
	 * timeout is set, where the caller asked to wait for good.  Give it
	 * a day, and wait again if that runs out.
	 */
	static const struct iou_timespec a_day = { 86400, 0 };
	struct io_uring_getevents_arg arg;
	struct iou_timespec left, start;
	int have_start = 0, fruitless = 0, busy = 0;
	unsigned avail, flags, min;
	const void *argp;
	int ret;

	if (iou__ring_gone(ring)) {
		*cqe_ptr = 0;
		return -IOU_EBADF;
	}
	if (w->ts && !(ring->features & IORING_FEAT_EXT_ARG))
		return -IOU_EOPNOTSUPP;
	if (w->min_wait_usec && !(ring->features & IORING_FEAT_MIN_TIMEOUT))
		return -IOU_EINVAL;
	if (w->ts)
		left = *w->ts;
	iou__memzero(&arg, sizeof(arg));
	arg.sigmask = (uint64_t)(uintptr_t)w->sigmask;
	arg.sigmask_sz = 8; /* _NSIG / 8 */
	arg.min_wait_usec = w->min_wait_usec;
	arg.ts = w->ts ? (uint64_t)(uintptr_t)&left
		 : w->min_wait_usec ? (uint64_t)(uintptr_t)&a_day : 0;

	for (;;) {
		ret = peek_ready(ring, cqe_ptr, &avail);
		if (ret)
			return ret;
		flags = enter_flags(ring, w, *cqe_ptr, avail);
		if (!flags && !(w->submit && !(ring->flags & IORING_SETUP_SQPOLL)))
			return *cqe_ptr ? 0 : -IOU_EAGAIN;

		min = 0;
		argp = 0;
		if (flags & IORING_ENTER_GETEVENTS) {
			/*
			 * The kernel said "ready" and we see nothing: corrupt.
			 * On an IOPOLL ring an enter returns after polling,
			 * ready or not: there only a shared head that is not
			 * ours says so.
			 */
			if (fruitless++ >= FRUITLESS_MAX) {
				if (!(ring->flags & IORING_SETUP_IOPOLL) ||
				    iou_load_relaxed(ring->cq.khead) !=
					    ring->cq.head)
					return -IOU_EUCLEAN;
				fruitless = 0;
			}
			min = w->wait_nr;
			if (w->ts || w->min_wait_usec) {
				flags |= IORING_ENTER_EXT_ARG;
				argp = &arg;
			} else if (w->sigmask) {
				argp = w->sigmask;	/* the pre-5.11 form */
			}
			if (w->ts && !have_start)
				have_start = !iou__sys_clock_gettime(ring->clockid,
								     &start);
		}
		ret = iou__enter_ring(ring, w->submit, min, flags, argp,
				      argp == &arg ? sizeof(arg) :
				      argp ? arg.sigmask_sz : 0);
		if (ret >= 0) {
			if (flags & IORING_ENTER_SQ_WAKEUP)
				w->woke = 1;
			if (w->submit) {
				w->submitted += (ring->flags & IORING_SETUP_SQPOLL) ?
							(int)w->submit : ret;
				/* Whatever was not consumed stays queued. */
				w->submit = 0;
				fruitless = 0;
			}
			busy = 0;
			if (!(flags & IORING_ENTER_GETEVENTS))
				continue;
			/*
			 * A wait that ends with fewer CQEs than asked is not
			 * an error to the kernel: after min_wait_usec one CQE
			 * is enough, and when the timeout fires with CQEs in
			 * the ring it says 0, not -ETIME.
			 */
			ret = peek_ready(ring, cqe_ptr, &avail);
			if (ret)
				return ret;
			if (avail >= w->wait_nr || (w->min_wait_usec && *cqe_ptr))
				return 0;
			if (w->ts && have_start &&
			    time_left(ring, &start, w->ts, &left))
				return -IOU_ETIME;
			continue;
		}
		if (ret == -IOU_EINTR) {
			/* Retry with what is left of the timeout. */
			if (w->ts && have_start &&
			    time_left(ring, &start, w->ts, &left))
				ret = -IOU_ETIME;
			else {
				fruitless = 0;
				continue;
			}
		}
		if (ret == -IOU_EBUSY || ret == -IOU_EAGAIN) {
			/* Reap, then retry; pass it on only if it never clears. */
			if (++busy > BUSY_MAX)
				return ret;
			fruitless = 0;
			continue;
		}
		if (ret == -IOU_ETIME) {
			ret = peek_ready(ring, cqe_ptr, &avail);
			if (ret)
				return ret;
			if (!w->ts && !*cqe_ptr) {
				/* The day ran out (see a_day): wait again.  A
				   kernel (or mock) saying so at once ends as a
				   fruitless wait would: -EUCLEAN, no hang. */
				continue;
			}
			return *cqe_ptr && (avail >= w->wait_nr || !w->ts) ?
				       0 : -IOU_ETIME;
		}
		return ret;
	}
}

int iou_wait_cqes(struct iou_ring *ring, struct io_uring_cqe **cqe,
		  unsigned wait_nr, const struct iou_timespec *ts,
		  unsigned min_wait_usec)
{
	return iou__wait(ring, cqe, 0, wait_nr, ts, min_wait_usec, 0);
}

int iou_wait_cqe(struct iou_ring *ring, struct io_uring_cqe **cqe)
{
	return iou_wait_cqes(ring, cqe, 1, 0, 0);
}

int iou_wait_cqe_timeout(struct iou_ring *ring, struct io_uring_cqe **cqe,
			 const struct iou_timespec *ts)
{
	return iou_wait_cqes(ring, cqe, 1, ts, 0);
}

int iou_submit_and_wait_timeout(struct iou_ring *ring,
				struct io_uring_cqe **cqe, unsigned wait_nr,
				const struct iou_timespec *ts,
				unsigned min_wait_usec)
{
	return iou__wait(ring, cqe, 1, wait_nr, ts, min_wait_usec, 0);
}

int iou__wait(struct iou_ring *ring, struct io_uring_cqe **cqe, int submit,
	      unsigned wait_nr, const struct iou_timespec *ts,
	      unsigned min_wait_usec, const void *sigmask)
{
	struct wait w = { 0, wait_nr, ts, min_wait_usec, 0, 0, sigmask };
	unsigned published;
	int ret;

	if (!submit)
		return get_cqe(ring, cqe, &w);
	published = ring->sq.sqe_tail - ring->sq.sqe_head;
	w.submit = iou__flush_sq(ring);
	/* With SQPOLL, count what this call published (see submit.c). */
	if (ring->flags & IORING_SETUP_SQPOLL)
		w.submit = published;
	ret = get_cqe(ring, cqe, &w);
	if (ret < 0 && ret != -IOU_ETIME && ret != -IOU_EAGAIN)
		return w.submitted ? w.submitted : ret;
	if (ret == -IOU_ETIME)
		return ret;
	return w.submitted;
}

int iou_peek_batch_cqe(struct iou_ring *ring, struct io_uring_cqe **cqes,
		       unsigned max)
{
	unsigned head, n = 0, avail;
	struct io_uring_cqe *cqe;
	int ret;

	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	ret = cq_avail(ring, &avail);
	if (ret)
		return ret;
	if (!avail && iou__cq_needs_enter(ring)) {
		ret = iou__enter_ring(ring, 0, 0, IORING_ENTER_GETEVENTS, 0, 0);
		if (ret < 0 && ret != -IOU_EINTR && ret != -IOU_EBUSY &&
		    ret != -IOU_EAGAIN)
			return ret;
	}
	head = ring->cq.head;
	while (n < max && (cqe = iou__cq_next(ring, &head))) {
		cqes[n++] = cqe;
		head += iou_cqe_nr(ring, cqe);
	}
	return (int)n;
}

int iou_cq_copy(struct iou_ring *ring, struct io_uring_cqe *out, unsigned max)
{
	const size_t stride = iou_cqe_stride(ring) / sizeof(uint64_t);
	iou_u64_alias *dst = (iou_u64_alias *)out;
	unsigned head, n = 0, avail;
	struct io_uring_cqe *cqe;
	const iou_u64_alias *src;
	size_t i, words;
	int ret;

	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	ret = cq_avail(ring, &avail);
	if (ret)
		return ret;
	head = ring->cq.head;
	while (n < max && (cqe = iou__cq_next(ring, &head))) {
		src = (const iou_u64_alias *)cqe;
		words = (size_t)2 << (ring->cq.cqe_shift | (iou_cqe_nr(ring, cqe) - 1));
		for (i = 0; i < stride; i++)
			dst[i] = i < words ? src[i] : 0;
		dst += stride;
		head += iou_cqe_nr(ring, cqe);
		n++;
	}
	if (head != ring->cq.head) {
		ring->cq.head = head;
		/* One store for the batch: the copies are done. */
		iou_store_release(ring->cq.khead, head);
	}
	return (int)n;
}

int iou_get_events(struct iou_ring *ring)
{
	int ret = iou__enter_ring(ring, 0, 0, IORING_ENTER_GETEVENTS, 0, 0);

	return ret < 0 ? ret : 0;
}

int iou_cq_eventfd_toggle(struct iou_ring *ring, int enabled)
{
	unsigned flags;

	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	if (!ring->cq.kflags)
		return -IOU_EOPNOTSUPP;
	flags = iou_load_relaxed(ring->cq.kflags);
	if (enabled)
		flags &= ~IORING_CQ_EVENTFD_DISABLED;
	else
		flags |= IORING_CQ_EVENTFD_DISABLED;
	iou_store_relaxed(ring->cq.kflags, flags);
	return 0;
}
