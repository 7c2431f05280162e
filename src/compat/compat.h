/* SPDX-License-Identifier: MIT */
/*
 * What liburing.c and register.c share: struct io_uring's liburing fields
 * and iou's view of the same ring (its trailing iou_private) kept in step.
 */
#ifndef IOU_COMPAT_H
#define IOU_COMPAT_H

#include <liburing.h>

#pragma GCC visibility push(hidden)

/*
 * liburing's int_flags bits, as programs may test them: those of 2.3 to
 * 2.5, and 2.15's for io_uring_set_iowait() (IORING_ENTER_NO_IOWAIT).
 */
#define INT_FLAG_REG_RING 1U
#define INT_FLAG_REG_REG_RING 2U
#define INT_FLAG_APP_MEM 4U
#define INT_FLAG_NO_IOWAIT 0x80U

/* The kernel's sigset_t is 8 bytes on every architecture we build for. */
#define KSIGSET_SIZE 8

void iou__lu_fill(struct io_uring *ring);

/*
 * iou's view of @ring, brought up to what the inline functions did, and
 * to the fds in liburing's fields: programs may set those themselves
 * (liburing's test sq-poll-dup enters through a dup of the ring fd by
 * storing it in ring_fd and enter_ring_fd).
 */
static inline struct iou_ring *view(struct io_uring *ring)
{
	struct iou_ring *v = &ring->iou_private;

	v->sq.sqe_head = ring->sq.sqe_head;
	v->sq.sqe_tail = ring->sq.sqe_tail;
	if (ring->cq.khead)
		v->cq.head = *ring->cq.khead;
	v->ring_fd = ring->ring_fd;
	v->enter_fd = ring->enter_ring_fd;
	return v;
}

/* Back to liburing's side after a call: returns @ret. */
static inline int done(struct io_uring *ring, int ret)
{
	ring->sq.sqe_head = ring->iou_private.sq.sqe_head;
	ring->sq.sqe_tail = ring->iou_private.sq.sqe_tail;
	return ret;
}

#pragma GCC visibility pop

#endif
