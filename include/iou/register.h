/* SPDX-License-Identifier: MIT */
/*
 * io_uring_register(2): one small wrapper per register opcode, plus the
 * provided-buffer ring helpers.  All go through the ring's fd, or through
 * its registered index once the fd is closed (IORING_FEAT_REG_REG_RING).
 * Each returns >= 0 or the kernel's -errno; -EINVAL also means "this
 * kernel does not know the opcode".  On a ring after iou_ring_exit() each
 * returns -EBADF (iou_setup_buf_ring(): NULL with -EBADF in *err).
 */
#ifndef IOU_REGISTER_H
#define IOU_REGISTER_H

#include "ring.h"

IOU_EXTERN_C_BEGIN

/**
 * iou_register() - io_uring_register(2) on this ring, nothing added
 * @ring: the ring
 * @opcode: IORING_REGISTER_*; USE_REGISTERED_RING is added when the ring
 *	has only its registered index
 * @arg: as the syscall
 * @nr_args: as the syscall
 *
 * Return: what the kernel returned.  Minimum kernel 5.1.
 */
IOU_API int iou_register(struct iou_ring *ring, unsigned opcode,
			 const void *arg, unsigned nr_args);

/*
 * Fixed buffers
 */

/**
 * iou_register_buffers() - register fixed buffers
 * @ring: the ring
 * @iov: the buffers
 * @nr: how many
 *
 * Return: 0, -EBUSY (already registered), -EINVAL, -ENOMEM, -EFAULT.
 * Minimum kernel 5.1.
 */
IOU_API int iou_register_buffers(struct iou_ring *ring,
				 const struct iovec *iov, unsigned nr);

/**
 * iou_register_buffers_tags() - register fixed buffers with tags
 * @ring: the ring
 * @iov: the buffers (NULL with @nr: all slots sparse)
 * @tags: a tag per buffer, posted in a CQE when the buffer is released
 *	(may be NULL)
 * @nr: how many
 *
 * Return: as iou_register_buffers().  Minimum kernel 5.13.
 */
IOU_API int iou_register_buffers_tags(struct iou_ring *ring,
				      const struct iovec *iov,
				      const uint64_t *tags, unsigned nr);

/**
 * iou_register_buffers_sparse() - register @nr empty buffer slots
 * @ring: the ring
 * @nr: how many
 *
 * Return: as iou_register_buffers().  Minimum kernel 5.19.
 */
IOU_API int iou_register_buffers_sparse(struct iou_ring *ring, unsigned nr);

/**
 * iou_register_buffers_update() - replace fixed buffers from slot @off
 * @ring: the ring
 * @off: first slot
 * @iov: the new buffers (iov_base NULL and iov_len 0 empties a slot)
 * @tags: tags or NULL
 * @nr: how many
 *
 * Return: slots updated, or -EINVAL, -ENXIO (no table), -EFAULT.
 * Minimum kernel 5.13.
 */
IOU_API int iou_register_buffers_update(struct iou_ring *ring, unsigned off,
					const struct iovec *iov,
					const uint64_t *tags, unsigned nr);

/**
 * iou_unregister_buffers() - drop every fixed buffer
 * @ring: the ring
 *
 * Return: 0, -ENXIO (none).  Minimum kernel 5.1.
 */
IOU_API int iou_unregister_buffers(struct iou_ring *ring);

/**
 * iou_clone_buffers() - copy the fixed buffer table of @src into @dst
 * @dst: the ring receiving the table
 * @src: the ring whose buffers are shared
 * @flags: IORING_REGISTER_DST_REPLACE and friends
 *
 * Return: 0, -EBUSY (dst has a table and no REPLACE), -ENXIO, -EINVAL.
 * Minimum kernel 6.12.
 */
IOU_API int iou_clone_buffers(struct iou_ring *dst, struct iou_ring *src,
			      unsigned flags);

/*
 * Fixed files
 */

/**
 * iou_register_files() - register a fixed file table
 * @ring: the ring
 * @fds: the files (-1: empty slot)
 * @nr: how many
 *
 * Return: 0, -EBUSY, -EBADF, -EMFILE, -EINVAL.  Minimum kernel 5.1.
 */
IOU_API int iou_register_files(struct iou_ring *ring, const int *fds,
			       unsigned nr);

/**
 * iou_register_files_tags() - register fixed files with tags
 * @ring: the ring
 * @fds: the files (NULL: all sparse)
 * @tags: tags or NULL
 * @nr: how many
 *
 * Return: as iou_register_files().  Minimum kernel 5.13.
 */
IOU_API int iou_register_files_tags(struct iou_ring *ring, const int *fds,
				    const uint64_t *tags, unsigned nr);

/**
 * iou_register_files_sparse() - register @nr empty file slots
 * @ring: the ring
 * @nr: how many
 *
 * Return: as iou_register_files().  Minimum kernel 5.19.
 */
IOU_API int iou_register_files_sparse(struct iou_ring *ring, unsigned nr);

/**
 * iou_register_files_update() - replace fixed files from slot @off
 * @ring: the ring
 * @off: first slot
 * @fds: new files (-1 empties a slot, IORING_REGISTER_FILES_SKIP keeps it)
 * @tags: tags or NULL
 * @nr: how many
 *
 * Return: slots updated, or -EINVAL, -ENXIO, -EBADF.  Minimum kernel 5.5
 * (5.13 with tags).
 */
IOU_API int iou_register_files_update(struct iou_ring *ring, unsigned off,
				      const int *fds, const uint64_t *tags,
				      unsigned nr);

/**
 * iou_unregister_files() - drop the fixed file table
 * @ring: the ring
 *
 * Return: 0, -ENXIO.  Minimum kernel 5.1.
 */
IOU_API int iou_unregister_files(struct iou_ring *ring);

/**
 * iou_register_file_alloc_range() - limit automatic slot allocation
 * @ring: the ring
 * @off: first slot the kernel may pick for IORING_FILE_INDEX_ALLOC
 * @len: number of such slots
 *
 * Return: 0, -EINVAL (outside the table), -ENXIO.  Minimum kernel 6.0.
 */
IOU_API int iou_register_file_alloc_range(struct iou_ring *ring, unsigned off,
					  unsigned len);

/*
 * Notification, identity, restrictions
 */

/**
 * iou_register_eventfd() - signal @fd on every completion
 * @ring: the ring
 * @fd: an eventfd
 *
 * Return: 0, -EBUSY (one is registered), -EBADF.  Minimum kernel 5.2.
 */
IOU_API int iou_register_eventfd(struct iou_ring *ring, int fd);

/**
 * iou_register_eventfd_async() - signal @fd only for completions that did
 * not happen inline at submission
 * @ring: the ring
 * @fd: an eventfd
 *
 * Return: as iou_register_eventfd().  Minimum kernel 5.6.
 */
IOU_API int iou_register_eventfd_async(struct iou_ring *ring, int fd);

/**
 * iou_unregister_eventfd() - stop signalling the eventfd
 * @ring: the ring
 *
 * Return: 0, -ENXIO (none).  Minimum kernel 5.2.
 */
IOU_API int iou_unregister_eventfd(struct iou_ring *ring);

/**
 * iou_register_personality() - register the caller's credentials
 * @ring: the ring
 *
 * Return: the personality id (>= 1) for sqe->personality, or -ENOMEM.
 * Minimum kernel 5.6.
 */
IOU_API int iou_register_personality(struct iou_ring *ring);

/**
 * iou_unregister_personality() - drop a personality id
 * @ring: the ring
 * @id: from iou_register_personality()
 *
 * Return: 0, -EINVAL (unknown id).  Minimum kernel 5.6.
 */
IOU_API int iou_unregister_personality(struct iou_ring *ring, int id);

/**
 * iou_register_restrictions() - allow-list opcodes, flags, register calls
 * @ring: a ring created with IORING_SETUP_R_DISABLED, not yet enabled
 * @res: the rules
 * @nr: how many
 *
 * Return: 0, -EBADFD (ring enabled), -EBUSY (already set), -EINVAL.
 * Minimum kernel 5.10.
 */
IOU_API int iou_register_restrictions(struct iou_ring *ring,
				      const struct io_uring_restriction *res,
				      unsigned nr);

/*
 * io-wq and NAPI tuning, clock
 */

/**
 * iou_register_iowq_aff() - pin the ring's io-wq workers to CPUs
 * @ring: the ring
 * @cpusz: bytes in @mask
 * @mask: a cpu_set_t-style bit mask
 *
 * Return: 0, -EINVAL, -EFAULT.  Minimum kernel 5.14.
 */
IOU_API int iou_register_iowq_aff(struct iou_ring *ring, size_t cpusz,
				  const void *mask);

/**
 * iou_unregister_iowq_aff() - let io-wq workers run anywhere again
 * @ring: the ring
 *
 * Return: 0.  Minimum kernel 5.14.
 */
IOU_API int iou_unregister_iowq_aff(struct iou_ring *ring);

/**
 * iou_register_iowq_max_workers() - set and read io-wq worker limits
 * @ring: the ring
 * @values: in: [bounded, unbounded] limits, 0 keeps one; out: the
 *	previous limits
 *
 * Return: 0, -EINVAL, -EFAULT.  Minimum kernel 5.15.
 */
IOU_API int iou_register_iowq_max_workers(struct iou_ring *ring,
					  unsigned values[2]);

/**
 * iou_register_napi() - busy-poll network queues while waiting
 * @ring: the ring
 * @napi: settings; on return holds the previous ones
 *
 * Return: 0, -EINVAL, -EFAULT.  Minimum kernel 6.9.
 */
IOU_API int iou_register_napi(struct iou_ring *ring, struct io_uring_napi *napi);

/**
 * iou_unregister_napi() - stop busy polling
 * @ring: the ring
 * @napi: receives the settings that were in effect (may be NULL)
 *
 * Return: 0, -EFAULT.  Minimum kernel 6.9.
 */
IOU_API int iou_unregister_napi(struct iou_ring *ring,
				struct io_uring_napi *napi);

/**
 * iou_register_clock() - clock of wait timeouts (CLOCK_MONOTONIC or
 * CLOCK_BOOTTIME)
 * @ring: the ring
 * @clockid: the clock
 *
 * Timeouts given to the waiting calls run on it afterwards.
 *
 * Return: 0, -EINVAL.  Minimum kernel 6.12.
 */
IOU_API int iou_register_clock(struct iou_ring *ring, int clockid);

/*
 * Ring fd
 */

/**
 * iou_register_ring_fd() - register the ring's fd with itself
 * @ring: the ring
 *
 * Afterwards enter uses the index (IORING_ENTER_REGISTERED_RING), which
 * saves the fd lookup on every call.
 *
 * Return: 0, -EEXIST (already registered), -EBUSY (table full), -EINVAL.
 * Minimum kernel 5.18.
 */
IOU_API int iou_register_ring_fd(struct iou_ring *ring);

/**
 * iou_unregister_ring_fd() - undo iou_register_ring_fd()
 * @ring: the ring
 *
 * Return: 0, -EINVAL (not registered), -EBADF (the fd was closed: the
 * index is all that is left; or the ring is exited).  Minimum kernel 5.18.
 */
IOU_API int iou_unregister_ring_fd(struct iou_ring *ring);

/**
 * iou_close_ring_fd() - close the ring's fd, keep working by index
 * @ring: a ring whose fd is registered
 *
 * Register calls then need IORING_FEAT_REG_REG_RING (6.3).
 *
 * Return: 0, -EINVAL (fd not registered), -EBADF (already closed, or the
 * ring is exited).  Minimum kernel 5.18.
 */
IOU_API int iou_close_ring_fd(struct iou_ring *ring);

/*
 * Provided-buffer rings
 */

/**
 * iou_register_buf_ring() - register a provided-buffer ring
 * @ring: the ring
 * @reg: ring_addr (page aligned, or 0 with IOU_PBUF_RING_MMAP),
 *	ring_entries (power of two), bgid, flags
 *
 * Return: 0, -EEXIST (bgid taken), -EINVAL, -ENOMEM.  Minimum kernel 5.19.
 */
IOU_API int iou_register_buf_ring(struct iou_ring *ring,
				  struct io_uring_buf_reg *reg);

/**
 * iou_unregister_buf_ring() - unregister buffer group @bgid
 * @ring: the ring
 * @bgid: the group
 *
 * Return: 0, -ENOENT, -EINVAL.  Minimum kernel 5.19.
 */
IOU_API int iou_unregister_buf_ring(struct iou_ring *ring, unsigned bgid);

/**
 * iou_buf_ring_head() - the kernel's consumption point of a buffer ring
 * @ring: the ring
 * @bgid: the group
 * @head: receives the head
 *
 * Return: 0, -ENOENT, -EINVAL.  Minimum kernel 6.8.
 */
IOU_API int iou_buf_ring_head(struct iou_ring *ring, unsigned bgid,
			      uint16_t *head);

/**
 * iou_setup_buf_ring() - map, initialise and register a buffer ring
 * @ring: the ring
 * @entries: power of two, at most 32768
 * @bgid: buffer group id
 * @flags: IOU_PBUF_RING_INC or 0
 * @err: receives 0 or -errno (may be NULL)
 *
 * The memory comes from mmap; free it with iou_free_buf_ring().
 *
 * Return: the buffer ring, or NULL with *@err set (-EINVAL, -ENOMEM, or
 * the kernel's code).  Minimum kernel 5.19.
 */
IOU_API struct io_uring_buf_ring *iou_setup_buf_ring(struct iou_ring *ring,
						     unsigned entries,
						     unsigned bgid,
						     unsigned flags, int *err);

/**
 * iou_free_buf_ring() - unregister and unmap a ring from iou_setup_buf_ring()
 * @ring: the ring
 * @br: the buffer ring
 * @entries: as given to setup
 * @bgid: as given to setup
 *
 * Return: 0 or the unregister error (the memory is unmapped regardless).
 * Minimum kernel 5.19.
 */
IOU_API int iou_free_buf_ring(struct iou_ring *ring,
			      struct io_uring_buf_ring *br, unsigned entries,
			      unsigned bgid);

/**
 * iou_buf_ring_mask() - index mask of a buffer ring with @entries entries
 * @entries: power of two
 *
 * Return: @entries - 1.  Minimum kernel 5.19.
 */
IOU_INLINE unsigned iou_buf_ring_mask(unsigned entries)
{
	return entries - 1;
}

/**
 * iou_buf_ring_init() - reset a buffer ring's tail (before registering)
 * @br: the buffer ring
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_buf_ring_init(struct io_uring_buf_ring *br)
{
	br->tail = 0;
}

/**
 * iou_buf_ring_add() - stage a buffer at tail + @offset (not yet visible)
 * @br: the buffer ring
 * @addr: buffer address
 * @len: buffer length
 * @bid: buffer id reported in cqe->flags
 * @mask: iou_buf_ring_mask(entries)
 * @offset: position after the current tail (0 for the first of a batch)
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_buf_ring_add(struct io_uring_buf_ring *br, void *addr,
				 unsigned len, unsigned short bid,
				 unsigned mask, unsigned offset)
{
	struct io_uring_buf *buf =
		&br->bufs[(unsigned)(br->tail + offset) & mask];

	buf->addr = (uint64_t)(uintptr_t)addr;
	buf->len = len;
	buf->bid = bid;
}

/**
 * iou_buf_ring_advance() - make @count staged buffers visible to the kernel
 * @br: the buffer ring
 * @count: buffers added since the last advance
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_buf_ring_advance(struct io_uring_buf_ring *br,
				     unsigned count)
{
	/* Pairs with the kernel's acquire-load of the buffer ring tail. */
	iou_store_release(&br->tail, (uint16_t)(br->tail + count));
}

/*
 * Cancellation, probing, newer calls
 */

/**
 * iou_register_sync_cancel() - cancel requests and wait for them
 * @ring: the ring
 * @reg: what to match (addr = user_data, or fd, opcode, with
 *	IORING_ASYNC_CANCEL_* flags) and an optional timeout (-1/-1: none)
 *
 * Return: 0 (a request was cancelled), -ENOENT (none matched), -EALREADY,
 * -ETIME, -EINVAL.  Minimum kernel 6.0.
 */
IOU_API int iou_register_sync_cancel(struct iou_ring *ring,
				     struct io_uring_sync_cancel_reg *reg);

/* Room for a probe of every possible opcode (the kernel's limit is 256). */
union iou_probe_buf {
	struct io_uring_probe probe;
	unsigned char bytes[sizeof(struct io_uring_probe) +
			    256 * sizeof(struct io_uring_probe_op)];
};

/**
 * iou_register_probe() - ask which opcodes the kernel supports
 * @ring: the ring
 * @p: output, zeroed by the caller, with room for @nr_ops ops (a
 *	union iou_probe_buf has room for all)
 * @nr_ops: room in @p->ops (at most 256)
 *
 * Return: 0, -EINVAL, -EFAULT.  Minimum kernel 5.6.
 */
IOU_API int iou_register_probe(struct iou_ring *ring, struct io_uring_probe *p,
			       unsigned nr_ops);

/**
 * iou_opcode_supported() - is IORING_OP_@op supported on this kernel?
 * @ring: the ring
 * @op: an IORING_OP_* value
 *
 * Return: 1 or 0, or -errno when the kernel cannot be asked (before 5.6:
 * -EINVAL).  Minimum kernel 5.6.
 */
IOU_API int iou_opcode_supported(struct iou_ring *ring, unsigned op);

/**
 * iou_opcode_name() - the name of an opcode, without the IORING_OP_ prefix
 * @op: an IORING_OP_* value
 *
 * Return: e.g. "READV", or NULL for a value this library does not know.
 * Minimum kernel: any (no kernel call).
 */
IOU_API const char *iou_opcode_name(unsigned op);

/**
 * iou_register_send_msg_ring() - post a CQE to another ring without one of
 * our own (IORING_OP_MSG_RING's IORING_MSG_DATA, as a syscall)
 * @sqe: a MSG_RING SQE: fd = target ring, len = res, off = user_data
 *
 * Return: 0 or -errno (-EBADFD: target not a ring, -EOVERFLOW).
 * Minimum kernel 6.13.
 */
IOU_API int iou_register_send_msg_ring(const struct io_uring_sqe *sqe);

/**
 * iou_register_mem_region() - register a memory region (e.g. for
 * registered wait arguments, IORING_ENTER_EXT_ARG_REG)
 * @ring: a ring created with IORING_SETUP_R_DISABLED
 * @reg: the region and flags
 *
 * Return: 0, -EBUSY (already has one), -EINVAL, -EFAULT.
 * Minimum kernel 6.13.
 */
IOU_API int iou_register_mem_region(struct iou_ring *ring,
				    struct io_uring_mem_region_reg *reg);

/**
 * iou_resize_rings() - grow or shrink the SQ and CQ of a live ring
 * @ring: a ring created with IORING_SETUP_DEFER_TASKRUN, not NO_MMAP
 * @p: sq_entries / cq_entries wanted (cq_entries with IORING_SETUP_CQSIZE
 *	in p->flags), IORING_SETUP_CLAMP allowed; other fields zero
 *
 * The pending SQEs and CQEs move with the rings; the mappings are
 * replaced and the cached sizes updated.  CQE pointers taken before the
 * call point into the old mapping and must not be used after it.
 *
 * The kernel switches to the new rings inside the register call, before
 * they can be mapped, and has no way back.  If mapping them then fails,
 * the ring is released as by iou_ring_exit() (its requests are cancelled)
 * and the error returned: every later call on it says -EBADF.  Errors the
 * kernel gives before switching leave the ring as it was.
 *
 * Return: 0, -EINVAL, -EOVERFLOW (more pending than fits), -ENOMEM,
 * -EOPNOTSUPP (ring set up in caller memory, or its fd closed, or with
 * an SQ index array laid out other than after the CQEs), -EBADF
 * (exited ring); after the switch, an mmap(2) error or -EUCLEAN, and the
 * ring is exited.  Minimum kernel 6.13.
 */
IOU_API int iou_resize_rings(struct iou_ring *ring, struct io_uring_params *p);

/**
 * iou_register_zcrx_ifq() - attach a NIC receive queue for zero-copy rx
 * @ring: the ring
 * @reg: interface, queue, refill ring and area description
 *
 * Return: 0 or -errno (-EINVAL, -EOPNOTSUPP without a capable NIC).
 * Minimum kernel 6.15.
 */
IOU_API int iou_register_zcrx_ifq(struct iou_ring *ring,
				  struct io_uring_zcrx_ifq_reg *reg);

/**
 * iou_register_query() - query io_uring capabilities (no ring needed)
 * @ring: a ring, or NULL to ask without one
 * @hdr: a chain of struct io_uring_query_hdr; each gets its own result
 *
 * Return: 0 or -errno (-EINVAL before 6.18).  Minimum kernel 6.18.
 */
IOU_API int iou_register_query(struct iou_ring *ring,
			       struct io_uring_query_hdr *hdr);

IOU_EXTERN_C_END

#endif
