/* SPDX-License-Identifier: MIT */
/*
 * io_uring_register(2) wrappers: each builds the argument the opcode takes
 * and returns the kernel's answer as it is.
 */
#include "internal.h"

int iou_register(struct iou_ring *ring, unsigned opcode, const void *arg,
		 unsigned nr_args)
{
	return iou__register(ring, opcode, arg, nr_args);
}

/* IORING_REGISTER_{FILES,BUFFERS}2: a table with optional tags. */
static int register_rsrc(struct iou_ring *ring, unsigned opcode,
			 const void *data, const uint64_t *tags, unsigned nr,
			 unsigned flags)
{
	struct io_uring_rsrc_register reg;

	iou__memzero(&reg, sizeof(reg));
	reg.nr = nr;
	reg.flags = flags;
	reg.data = (uint64_t)(uintptr_t)data;
	reg.tags = (uint64_t)(uintptr_t)tags;
	return iou__register(ring, opcode, &reg, sizeof(reg));
}

/* IORING_REGISTER_{FILES_UPDATE2,BUFFERS_UPDATE}. */
static int update_rsrc(struct iou_ring *ring, unsigned opcode, unsigned off,
		       const void *data, const uint64_t *tags, unsigned nr)
{
	struct io_uring_rsrc_update2 up;

	iou__memzero(&up, sizeof(up));
	up.offset = off;
	up.data = (uint64_t)(uintptr_t)data;
	up.tags = (uint64_t)(uintptr_t)tags;
	up.nr = nr;
	return iou__register(ring, opcode, &up, sizeof(up));
}

int iou_register_buffers(struct iou_ring *ring, const struct iovec *iov,
			 unsigned nr)
{
	return iou__register(ring, IORING_REGISTER_BUFFERS, iov, nr);
}

int iou_register_buffers_tags(struct iou_ring *ring, const struct iovec *iov,
			      const uint64_t *tags, unsigned nr)
{
	return register_rsrc(ring, IORING_REGISTER_BUFFERS2, iov, tags, nr,
			     iov ? 0 : IORING_RSRC_REGISTER_SPARSE);
}

int iou_register_buffers_sparse(struct iou_ring *ring, unsigned nr)
{
	return register_rsrc(ring, IORING_REGISTER_BUFFERS2, 0, 0, nr,
			     IORING_RSRC_REGISTER_SPARSE);
}

int iou_register_buffers_update(struct iou_ring *ring, unsigned off,
				const struct iovec *iov, const uint64_t *tags,
				unsigned nr)
{
	return update_rsrc(ring, IORING_REGISTER_BUFFERS_UPDATE, off, iov, tags,
			   nr);
}

int iou_unregister_buffers(struct iou_ring *ring)
{
	return iou__register(ring, IORING_UNREGISTER_BUFFERS, 0, 0);
}

int iou_clone_buffers(struct iou_ring *dst, struct iou_ring *src,
		      unsigned flags)
{
	struct io_uring_clone_buffers buf;

	if (iou__ring_gone(src))
		return -IOU_EBADF;
	iou__memzero(&buf, sizeof(buf));
	if (src->ring_fd >= 0) {
		buf.src_fd = (uint32_t)src->ring_fd;
	} else {
		buf.src_fd = (uint32_t)src->enter_fd;
		flags |= IORING_REGISTER_SRC_REGISTERED;
	}
	buf.flags = flags;
	return iou__register(dst, IORING_REGISTER_CLONE_BUFFERS, &buf, 1);
}

int iou_register_files(struct iou_ring *ring, const int *fds, unsigned nr)
{
	return iou__register(ring, IORING_REGISTER_FILES, fds, nr);
}

int iou_register_files_tags(struct iou_ring *ring, const int *fds,
			    const uint64_t *tags, unsigned nr)
{
	return register_rsrc(ring, IORING_REGISTER_FILES2, fds, tags, nr,
			     fds ? 0 : IORING_RSRC_REGISTER_SPARSE);
}

int iou_register_files_sparse(struct iou_ring *ring, unsigned nr)
{
	return register_rsrc(ring, IORING_REGISTER_FILES2, 0, 0, nr,
			     IORING_RSRC_REGISTER_SPARSE);
}

int iou_register_files_update(struct iou_ring *ring, unsigned off,
			      const int *fds, const uint64_t *tags, unsigned nr)
{
	struct io_uring_files_update up;

	if (tags)
		return update_rsrc(ring, IORING_REGISTER_FILES_UPDATE2, off,
				   fds, tags, nr);
	/* The untagged form works back to 5.5. */
	iou__memzero(&up, sizeof(up));
	up.offset = off;
	up.fds = (uint64_t)(uintptr_t)fds;
	return iou__register(ring, IORING_REGISTER_FILES_UPDATE, &up, nr);
}

int iou_unregister_files(struct iou_ring *ring)
{
	return iou__register(ring, IORING_UNREGISTER_FILES, 0, 0);
}

int iou_register_file_alloc_range(struct iou_ring *ring, unsigned off,
				  unsigned len)
{
	struct io_uring_file_index_range range;

	iou__memzero(&range, sizeof(range));
	range.off = off;
	range.len = len;
	return iou__register(ring, IORING_REGISTER_FILE_ALLOC_RANGE, &range, 0);
}

int iou_register_eventfd(struct iou_ring *ring, int fd)
{
	return iou__register(ring, IORING_REGISTER_EVENTFD, &fd, 1);
}

int iou_register_eventfd_async(struct iou_ring *ring, int fd)
{
	return iou__register(ring, IORING_REGISTER_EVENTFD_ASYNC, &fd, 1);
}

int iou_unregister_eventfd(struct iou_ring *ring)
{
	return iou__register(ring, IORING_UNREGISTER_EVENTFD, 0, 0);
}

int iou_register_personality(struct iou_ring *ring)
{
	return iou__register(ring, IORING_REGISTER_PERSONALITY, 0, 0);
}

int iou_unregister_personality(struct iou_ring *ring, int id)
{
	if (id < 0)
		return -IOU_EINVAL;
	return iou__register(ring, IORING_UNREGISTER_PERSONALITY, 0,
			     (unsigned)id);
}

int iou_register_restrictions(struct iou_ring *ring,
			      const struct io_uring_restriction *res,
			      unsigned nr)
{
	return iou__register(ring, IORING_REGISTER_RESTRICTIONS, res, nr);
}

int iou_register_iowq_aff(struct iou_ring *ring, size_t cpusz,
			  const void *mask)
{
	if (!mask || !cpusz || cpusz > 0xffffffffU)
		return -IOU_EINVAL;
	return iou__register(ring, IORING_REGISTER_IOWQ_AFF, mask,
			     (unsigned)cpusz);
}

int iou_unregister_iowq_aff(struct iou_ring *ring)
{
	return iou__register(ring, IORING_UNREGISTER_IOWQ_AFF, 0, 0);
}

int iou_register_iowq_max_workers(struct iou_ring *ring, unsigned values[2])
{
	return iou__register(ring, IORING_REGISTER_IOWQ_MAX_WORKERS, values, 2);
}

int iou_register_napi(struct iou_ring *ring, struct io_uring_napi *napi)
{
	return iou__register(ring, IORING_REGISTER_NAPI, napi, 1);
}

int iou_unregister_napi(struct iou_ring *ring, struct io_uring_napi *napi)
{
	return iou__register(ring, IORING_UNREGISTER_NAPI, napi, 1);
}

int iou_register_clock(struct iou_ring *ring, int clockid)
{
	struct io_uring_clock_register reg;
	int ret;

	iou__memzero(&reg, sizeof(reg));
	reg.clockid = (uint32_t)clockid;
	ret = iou__register(ring, IORING_REGISTER_CLOCK, &reg, 0);
	if (!ret)
		ring->clockid = clockid;
	return ret;
}

int iou_register_ring_fd(struct iou_ring *ring)
{
	struct io_uring_rsrc_update up;
	int ret;

	if (ring->iflags & IOU_RING_REG_RING)
		return -IOU_EEXIST;
	iou__memzero(&up, sizeof(up));
	up.offset = -1U; /* any free slot */
	up.data = (uint64_t)ring->ring_fd;
	ret = iou__register(ring, IORING_REGISTER_RING_FDS, &up, 1);
	if (ret != 1)
		return ret < 0 ? ret : -IOU_EINVAL;
	ring->enter_fd = (int)up.offset;
	ring->enter_flags |= IORING_ENTER_REGISTERED_RING;
	ring->iflags |= IOU_RING_REG_RING;
	return 0;
}

int iou_unregister_ring_fd(struct iou_ring *ring)
{
	struct io_uring_rsrc_update up;
	int ret;

	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	if (!(ring->iflags & IOU_RING_REG_RING))
		return -IOU_EINVAL;
	if (ring->ring_fd < 0)
		return -IOU_EBADF;
	iou__memzero(&up, sizeof(up));
	up.offset = (uint32_t)ring->enter_fd;
	ret = iou__register(ring, IORING_UNREGISTER_RING_FDS, &up, 1);
	if (ret != 1)
		return ret < 0 ? ret : -IOU_EINVAL;
	ring->enter_fd = ring->ring_fd;
	ring->enter_flags &= ~IORING_ENTER_REGISTERED_RING;
	ring->iflags &= ~IOU_RING_REG_RING;
	return 0;
}

int iou_close_ring_fd(struct iou_ring *ring)
{
	int fd = ring->ring_fd;

	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	if (!(ring->iflags & IOU_RING_REG_RING))
		return -IOU_EINVAL;
	if (fd < 0)
		return -IOU_EBADF;
	ring->ring_fd = -1;
	ring->iflags |= IOU_RING_FD_CLOSED;
	return iou__sys_close(fd);
}

int iou_register_buf_ring(struct iou_ring *ring, struct io_uring_buf_reg *reg)
{
	return iou__register(ring, IORING_REGISTER_PBUF_RING, reg, 1);
}

int iou_unregister_buf_ring(struct iou_ring *ring, unsigned bgid)
{
	struct io_uring_buf_reg reg;

	iou__memzero(&reg, sizeof(reg));
	reg.bgid = (uint16_t)bgid;
	return iou__register(ring, IORING_UNREGISTER_PBUF_RING, &reg, 1);
}

int iou_buf_ring_head(struct iou_ring *ring, unsigned bgid, uint16_t *head)
{
	struct io_uring_buf_status st;
	int ret;

	iou__memzero(&st, sizeof(st));
	st.buf_group = bgid;
	ret = iou__register(ring, IORING_REGISTER_PBUF_STATUS, &st, 1);
	if (!ret && head)
		*head = (uint16_t)st.head;
	return ret;
}

int iou_register_sync_cancel(struct iou_ring *ring,
			     struct io_uring_sync_cancel_reg *reg)
{
	return iou__register(ring, IORING_REGISTER_SYNC_CANCEL, reg, 1);
}

int iou_register_probe(struct iou_ring *ring, struct io_uring_probe *p,
		       unsigned nr_ops)
{
	if (!p || nr_ops > 256)
		return -IOU_EINVAL;
	return iou__register(ring, IORING_REGISTER_PROBE, p, nr_ops);
}

int iou_opcode_supported(struct iou_ring *ring, unsigned op)
{
	union iou_probe_buf buf;
	int ret;

	if (op > 255)
		return 0;
	iou__memzero(&buf, sizeof(buf));
	ret = iou__register(ring, IORING_REGISTER_PROBE, &buf, 256);
	if (ret < 0)
		return ret;
	if (op >= buf.probe.ops_len)
		return 0;
	return (buf.probe.ops[op].flags & IO_URING_OP_SUPPORTED) ? 1 : 0;
}

int iou_register_send_msg_ring(const struct io_uring_sqe *sqe)
{
	return iou__sys_io_uring_register(-1, IORING_REGISTER_SEND_MSG_RING,
					  sqe, 1);
}

int iou_register_mem_region(struct iou_ring *ring,
			    struct io_uring_mem_region_reg *reg)
{
	return iou__register(ring, IORING_REGISTER_MEM_REGION, reg, 1);
}

int iou_register_zcrx_ifq(struct iou_ring *ring,
			  struct io_uring_zcrx_ifq_reg *reg)
{
	return iou__register(ring, IORING_REGISTER_ZCRX_IFQ, reg, 1);
}

int iou_register_query(struct iou_ring *ring, struct io_uring_query_hdr *hdr)
{
	if (!ring)
		return iou__sys_io_uring_register(-1, IORING_REGISTER_QUERY,
						  hdr, 0);
	return iou__register(ring, IORING_REGISTER_QUERY, hdr, 0);
}
