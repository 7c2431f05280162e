/* SPDX-License-Identifier: MIT */
/*
 * Raw access for fuzzers and tools: where the shared memory is, and a way
 * to queue an SQE of arbitrary bytes.
 */
#include "internal.h"

int iou_ring_raw(const struct iou_ring *ring, struct iou_ring_raw *raw)
{
	if (!ring || !raw)
		return -IOU_EINVAL;
	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	iou__memzero(raw, sizeof(*raw));
	raw->sq_ring = ring->sq.ring_ptr;
	raw->sq_ring_size = ring->sq.ring_sz;
	raw->cq_ring = ring->cq.ring_ptr;
	raw->cq_ring_size = ring->cq.ring_sz;
	raw->sqes = ring->sq.sqes;
	raw->sqes_size = ring->sq.sqes_sz;
	raw->sqe_size = 64U << ring->sq.sqe_shift;
	raw->cqe_size = 16U << ring->cq.cqe_shift;
	raw->sq_off = ring->sq_off;
	raw->cq_off = ring->cq_off;
	return 0;
}

int iou_queue_raw_sqe(struct iou_ring *ring, const void *bytes, size_t len)
{
	struct io_uring_sqe *sqe;

	if (!bytes || len != (64U << ring->sq.sqe_shift))
		return -IOU_EINVAL;
	sqe = iou_get_sqe(ring);
	if (!sqe)
		return iou__ring_gone(ring) ? -IOU_EBADF : -IOU_EBUSY;
	iou__memcpy(sqe, bytes, len);
	return 0;
}
