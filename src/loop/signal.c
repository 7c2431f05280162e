/* SPDX-License-Identifier: MIT */
/*
 * Signals as loop events: the signals are blocked in the calling thread
 * and read from a signalfd, which a fiber waits on like any other fd.
 */
#include "internal.h"

int iou_signals_open(struct iou_signals *s, uint64_t mask)
{
	uint64_t old;
	int ret;

	s->fd = -1;
	s->mask = 0;
	s->added = 0;
	if (!mask)
		return -IOU_EINVAL;
	/* Blocked first: from here on the kernel queues them for the fd. */
	ret = iou__sys_rt_sigprocmask(IOU_SIG_BLOCK, &mask, &old);
	if (ret)
		return ret;
	ret = iou__sys_signalfd4(-1, &mask, IOU_SFD_NONBLOCK | IOU_SFD_CLOEXEC);
	if (ret < 0) {
		mask &= ~old;
		iou__sys_rt_sigprocmask(IOU_SIG_UNBLOCK, &mask, 0);
		return ret;
	}
	s->fd = ret;
	s->mask = mask;
	s->added = mask & ~old;
	return 0;
}

/*
 * A read of the signalfd dequeues from the reading thread's own pending
 * signals and the process's: it must run on this thread, so the fiber
 * reads with a plain call that does not block and waits in between with
 * a poll (io_uring polls in the task that submitted), never with a read
 * op an io_uring worker thread might make for it.
 */
int iou_signals_wait(struct iou_fiber *self, struct iou_signals *s,
		     struct iou_signal_info *info, uint64_t timeout_ns)
{
	uint64_t deadline = iou__deadline(timeout_ns);
	struct iou_signal_info tmp, *si = info ? info : &tmp;
	long n;
	int ret;

	if (s->fd < 0)
		return -IOU_EBADF;
	for (;;) {
		n = iou__sys_read(s->fd, si, sizeof(*si));
		if (n == (long)sizeof(*si))
			return (int)si->ssi_signo;
		if (n != -IOU_EAGAIN)
			return n < 0 ? (int)n : -IOU_EIO;
		ret = iou__time_left(deadline, &timeout_ns);
		if (ret)
			return ret;
		ret = iou_poll(self, s->fd, IOU_POLLIN, timeout_ns);
		if (ret < 0)
			return ret;
	}
}

int iou_signals_close(struct iou_fiber *self, struct iou_signals *s)
{
	int ret;

	if (s->fd < 0)
		return -IOU_EBADF;
	ret = self ? iou_close(self, s->fd) : iou__sys_close(s->fd);
	s->fd = -1;
	/* Only what open blocked: the thread's mask is as it was before. */
	if (s->added)
		iou__sys_rt_sigprocmask(IOU_SIG_UNBLOCK, &s->added, 0);
	s->mask = 0;
	s->added = 0;
	return ret;
}
