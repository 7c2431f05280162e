/* SPDX-License-Identifier: MIT */
/*
 * Provided-buffer rings: memory, registration, teardown.  Adding buffers
 * is inline in register.h.
 */
#include "internal.h"

static size_t buf_ring_size(unsigned entries)
{
	return (size_t)entries * sizeof(struct io_uring_buf);
}

struct io_uring_buf_ring *iou_setup_buf_ring(struct iou_ring *ring,
					     unsigned entries, unsigned bgid,
					     unsigned flags, int *err)
{
	const int prot = IOU_PROT_READ | IOU_PROT_WRITE;
	struct io_uring_buf_reg reg;
	struct io_uring_buf_ring *br;
	int ret, dummy;
	void *ptr;

	if (!err)
		err = &dummy;
	if (!entries || (entries & (entries - 1)) || entries > 32768 ||
	    bgid > 0xffff || (flags & ~(unsigned)(IOU_PBUF_RING_MMAP |
						  IOU_PBUF_RING_INC))) {
		*err = -IOU_EINVAL;
		return 0;
	}
	iou__memzero(&reg, sizeof(reg));
	reg.ring_entries = entries;
	reg.bgid = (uint16_t)bgid;
	reg.flags = (uint16_t)flags;

	if (flags & IOU_PBUF_RING_MMAP) {
		/* The kernel allocates; we map its memory after registering. */
		if (ring->ring_fd < 0) {
			*err = -IOU_EBADF;
			return 0;
		}
		ret = iou_register_buf_ring(ring, &reg);
		if (ret) {
			*err = ret;
			return 0;
		}
		ptr = iou__sys_mmap(0, buf_ring_size(entries), prot,
				    IOU_MAP_SHARED | IOU_MAP_POPULATE,
				    ring->ring_fd,
				    IORING_OFF_PBUF_RING |
					    ((uint64_t)bgid << IORING_OFF_PBUF_SHIFT));
		if (iou__is_err(ptr)) {
			iou_unregister_buf_ring(ring, bgid);
			*err = iou__ptr_err(ptr);
			return 0;
		}
		*err = 0;
		iou__alloc_note(1);
		return ptr;
	}

	ptr = iou__sys_mmap(0, buf_ring_size(entries), prot,
			    IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS, -1, 0);
	if (iou__is_err(ptr)) {
		*err = iou__ptr_err(ptr);
		return 0;
	}
	br = ptr;
	iou_buf_ring_init(br);
	reg.ring_addr = (uint64_t)(uintptr_t)br;
	ret = iou_register_buf_ring(ring, &reg);
	if (ret) {
		iou__sys_munmap(ptr, buf_ring_size(entries));
		*err = ret;
		return 0;
	}
	*err = 0;
	iou__alloc_note(1);
	return br;
}

int iou_free_buf_ring(struct iou_ring *ring, struct io_uring_buf_ring *br,
		      unsigned entries, unsigned bgid)
{
	int ret = iou_unregister_buf_ring(ring, bgid);

	if (br) {
		iou__sys_munmap(br, buf_ring_size(entries));
		iou__alloc_note(-1);
	}
	return ret;
}
