/* SPDX-License-Identifier: MIT */
/*
 * Prep helpers: one or more per io_uring opcode of Linux 6.18.
 *
 * Every helper funnels through iou_prep_rw(), which writes every SQE field
 * an opcode can read except flags and user_data: so a helper works on a
 * dirty SQE, and never undoes IOSQE_* flags or user_data set before or
 * after it.  Setters (iou_sqe_set_*) go after the prep call.
 *
 * Each helper is static inline here and also exported from the library
 * under the same name (src/ring/inline.c), for FFI callers.
 *
 * What the kernel reads at issue time (paths, timespecs, msghdrs,
 * sockaddrs, iovecs) must stay valid until the SQE is submitted; buffers
 * until the CQE arrives.
 *
 * Types from libc headers appear only as pointers to incomplete structs
 * (struct iovec, msghdr, sockaddr, statx, open_how, epoll_event,
 * futex_waitv), so this header needs no libc; socklen_t and mode_t are
 * unsigned int on Linux and appear as unsigned.
 */
#ifndef IOU_PREP_H
#define IOU_PREP_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "abi.h"

IOU_EXTERN_C_BEGIN

struct iovec;
struct msghdr;
struct sockaddr;
struct statx;
struct open_how;
struct epoll_event;
struct futex_waitv;

/* AT_FDCWD, for the path helpers without a directory argument. */
#define IOU_AT_FDCWD (-100)

/*
 * SQE setters
 */

/**
 * iou_sqe_set_data() - tag the SQE with a pointer, returned in the CQE
 * @sqe: the SQE
 * @data: any pointer
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_sqe_set_data(struct io_uring_sqe *sqe, void *data)
{
	sqe->user_data = (uint64_t)(uintptr_t)data;
}

/**
 * iou_sqe_set_data64() - tag the SQE with a 64-bit value
 * @sqe: the SQE
 * @data: the value
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_sqe_set_data64(struct io_uring_sqe *sqe, uint64_t data)
{
	sqe->user_data = data;
}

/**
 * iou_cqe_get_data() - the pointer iou_sqe_set_data() stored
 * @cqe: the CQE
 *
 * Return: the pointer.  Minimum kernel 5.1.
 */
IOU_INLINE void *iou_cqe_get_data(const struct io_uring_cqe *cqe)
{
	return (void *)(uintptr_t)cqe->user_data;
}

/**
 * iou_cqe_get_data64() - the value iou_sqe_set_data64() stored
 * @cqe: the CQE
 *
 * Return: the value.  Minimum kernel 5.1.
 */
IOU_INLINE uint64_t iou_cqe_get_data64(const struct io_uring_cqe *cqe)
{
	return cqe->user_data;
}

/**
 * iou_cqe_buffer_id() - the provided buffer a CQE consumed
 * @cqe: the CQE
 *
 * Return: the buffer id, or -1 when IORING_CQE_F_BUFFER is not set.
 * Minimum kernel 5.7.
 */
IOU_INLINE int iou_cqe_buffer_id(const struct io_uring_cqe *cqe)
{
	if (!(cqe->flags & IORING_CQE_F_BUFFER))
		return -1;
	return (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
}

/**
 * iou_sqe_set_flags() - set the IOSQE_* flags
 * @sqe: the SQE
 * @flags: IOSQE_* bits
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_sqe_set_flags(struct io_uring_sqe *sqe, unsigned flags)
{
	sqe->flags = (uint8_t)flags;
}

/**
 * iou_sqe_set_buf_group() - provided-buffer group to pick from
 * @sqe: the SQE (also needs IOSQE_BUFFER_SELECT)
 * @bgid: the group id
 *
 * Return: nothing.  Minimum kernel 5.7.
 */
IOU_INLINE void iou_sqe_set_buf_group(struct io_uring_sqe *sqe, unsigned bgid)
{
	sqe->buf_group = (uint16_t)bgid;
}

/**
 * iou_sqe_set_ioprio() - I/O priority (reads and writes only; other
 * opcodes use the field for their own flags)
 * @sqe: the SQE
 * @ioprio: IOPRIO_PRIO_VALUE(class, data)
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_sqe_set_ioprio(struct io_uring_sqe *sqe, unsigned ioprio)
{
	sqe->ioprio = (uint16_t)ioprio;
}

/**
 * iou_sqe_set_personality() - run the request with registered credentials
 * @sqe: the SQE
 * @id: from iou_register_personality(), 0 for the submitter's own
 *
 * Return: nothing.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_sqe_set_personality(struct io_uring_sqe *sqe, unsigned id)
{
	sqe->personality = (uint16_t)id;
}

/**
 * iou_sqe_set_file_index() - make an fd-creating SQE fill a fixed-file slot
 * @sqe: an openat/accept/socket/pipe SQE
 * @slot: the slot, or IORING_FILE_INDEX_ALLOC for any free one
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_sqe_set_file_index(struct io_uring_sqe *sqe, unsigned slot)
{
	/* The kernel reads slot + 1 (0 means "no slot"); ALLOC is kept. */
	sqe->file_index = slot == IORING_FILE_INDEX_ALLOC ? slot : slot + 1;
}

/*
 * The generic helper
 */

/**
 * iou_prep_rw() - write an SQE's common fields; every helper starts here
 * @sqe: the SQE
 * @op: IORING_OP_*
 * @fd: sqe->fd
 * @addr: sqe->addr
 * @len: sqe->len
 * @off: sqe->off
 *
 * Zeroes ioprio, the per-op flags word, buf_index, personality,
 * file_index and addr3/pad; leaves flags and user_data alone.
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_rw(struct io_uring_sqe *sqe, unsigned op, int fd,
			    const void *addr, unsigned len, uint64_t off)
{
	sqe->opcode = (uint8_t)op;
	sqe->ioprio = 0;
	sqe->fd = fd;
	sqe->off = off;
	sqe->addr = (uint64_t)(uintptr_t)addr;
	sqe->len = len;
	sqe->rw_flags = 0;
	sqe->buf_index = 0;
	sqe->personality = 0;
	sqe->file_index = 0;
	sqe->addr3 = 0;
	sqe->__pad2[0] = 0;
}

/*
 * NOP
 */

/**
 * iou_prep_nop() - do nothing, complete with 0 (IORING_OP_NOP)
 * @sqe: the SQE
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_nop(struct io_uring_sqe *sqe)
{
	iou_prep_rw(sqe, IORING_OP_NOP, -1, 0, 0, 0);
}

/**
 * iou_prep_nop_flags() - a NOP with IORING_NOP_* behaviour
 * @sqe: the SQE
 * @nop_flags: IORING_NOP_INJECT_RESULT (complete with @res), _CQE32, ...
 * @res: the result to inject
 *
 * Return: nothing.  Minimum kernel 6.10 (flags).
 */
IOU_INLINE void iou_prep_nop_flags(struct io_uring_sqe *sqe,
				   unsigned nop_flags, int res)
{
	iou_prep_rw(sqe, IORING_OP_NOP, -1, 0, (unsigned)res, 0);
	sqe->nop_flags = nop_flags;
}

/*
 * Reads and writes
 */

/**
 * iou_prep_read() - read into a buffer (IORING_OP_READ)
 * @sqe: the SQE
 * @fd: the file
 * @buf: destination
 * @nbytes: bytes wanted
 * @offset: file offset; (uint64_t)-1 for the file position
 *
 * Return: nothing; the CQE holds bytes read or -errno.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_read(struct io_uring_sqe *sqe, int fd, void *buf,
			      unsigned nbytes, uint64_t offset)
{
	iou_prep_rw(sqe, IORING_OP_READ, fd, buf, nbytes, offset);
}

/**
 * iou_prep_write() - write from a buffer (IORING_OP_WRITE)
 * @sqe: the SQE
 * @fd: the file
 * @buf: source
 * @nbytes: bytes to write
 * @offset: file offset; (uint64_t)-1 for the file position
 *
 * Return: nothing; the CQE holds bytes written or -errno.
 * Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_write(struct io_uring_sqe *sqe, int fd,
			       const void *buf, unsigned nbytes,
			       uint64_t offset)
{
	iou_prep_rw(sqe, IORING_OP_WRITE, fd, buf, nbytes, offset);
}

/**
 * iou_prep_readv() - vectored read (IORING_OP_READV)
 * @sqe: the SQE
 * @fd: the file
 * @iov: the vectors
 * @nr_vecs: how many
 * @offset: file offset, (uint64_t)-1 for the file position
 * @rw_flags: RWF_* (preadv2 flags), 0 for none
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_readv(struct io_uring_sqe *sqe, int fd,
			       const struct iovec *iov, unsigned nr_vecs,
			       uint64_t offset, int rw_flags)
{
	iou_prep_rw(sqe, IORING_OP_READV, fd, iov, nr_vecs, offset);
	sqe->rw_flags = (uint32_t)rw_flags;
}

/**
 * iou_prep_writev() - vectored write (IORING_OP_WRITEV)
 * @sqe: the SQE
 * @fd: the file
 * @iov: the vectors
 * @nr_vecs: how many
 * @offset: file offset, (uint64_t)-1 for the file position
 * @rw_flags: RWF_* (pwritev2 flags), 0 for none
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_writev(struct io_uring_sqe *sqe, int fd,
				const struct iovec *iov, unsigned nr_vecs,
				uint64_t offset, int rw_flags)
{
	iou_prep_rw(sqe, IORING_OP_WRITEV, fd, iov, nr_vecs, offset);
	sqe->rw_flags = (uint32_t)rw_flags;
}

/**
 * iou_prep_read_fixed() - read into a registered buffer
 * (IORING_OP_READ_FIXED)
 * @sqe: the SQE
 * @fd: the file
 * @buf: destination, inside registered buffer @buf_index
 * @nbytes: bytes wanted
 * @offset: file offset
 * @buf_index: the registered buffer
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_read_fixed(struct io_uring_sqe *sqe, int fd,
				    void *buf, unsigned nbytes,
				    uint64_t offset, unsigned buf_index)
{
	iou_prep_rw(sqe, IORING_OP_READ_FIXED, fd, buf, nbytes, offset);
	sqe->buf_index = (uint16_t)buf_index;
}

/**
 * iou_prep_write_fixed() - write from a registered buffer
 * (IORING_OP_WRITE_FIXED)
 * @sqe: the SQE
 * @fd: the file
 * @buf: source, inside registered buffer @buf_index
 * @nbytes: bytes to write
 * @offset: file offset
 * @buf_index: the registered buffer
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_write_fixed(struct io_uring_sqe *sqe, int fd,
				     const void *buf, unsigned nbytes,
				     uint64_t offset, unsigned buf_index)
{
	iou_prep_rw(sqe, IORING_OP_WRITE_FIXED, fd, buf, nbytes, offset);
	sqe->buf_index = (uint16_t)buf_index;
}

/**
 * iou_prep_readv_fixed() - vectored read into a registered buffer
 * (IORING_OP_READV_FIXED)
 * @sqe: the SQE
 * @fd: the file
 * @iov: vectors, each inside registered buffer @buf_index
 * @nr_vecs: how many
 * @offset: file offset
 * @rw_flags: RWF_*, 0 for none
 * @buf_index: the registered buffer
 *
 * Return: nothing.  Minimum kernel 6.15.
 */
IOU_INLINE void iou_prep_readv_fixed(struct io_uring_sqe *sqe, int fd,
				     const struct iovec *iov, unsigned nr_vecs,
				     uint64_t offset, int rw_flags,
				     unsigned buf_index)
{
	iou_prep_rw(sqe, IORING_OP_READV_FIXED, fd, iov, nr_vecs, offset);
	sqe->rw_flags = (uint32_t)rw_flags;
	sqe->buf_index = (uint16_t)buf_index;
}

/**
 * iou_prep_writev_fixed() - vectored write from a registered buffer
 * (IORING_OP_WRITEV_FIXED)
 * @sqe: the SQE
 * @fd: the file
 * @iov: vectors, each inside registered buffer @buf_index
 * @nr_vecs: how many
 * @offset: file offset
 * @rw_flags: RWF_*, 0 for none
 * @buf_index: the registered buffer
 *
 * Return: nothing.  Minimum kernel 6.15.
 */
IOU_INLINE void iou_prep_writev_fixed(struct io_uring_sqe *sqe, int fd,
				      const struct iovec *iov,
				      unsigned nr_vecs, uint64_t offset,
				      int rw_flags, unsigned buf_index)
{
	iou_prep_rw(sqe, IORING_OP_WRITEV_FIXED, fd, iov, nr_vecs, offset);
	sqe->rw_flags = (uint32_t)rw_flags;
	sqe->buf_index = (uint16_t)buf_index;
}

/**
 * iou_prep_read_multishot() - read repeatedly into provided buffers
 * (IORING_OP_READ_MULTISHOT)
 * @sqe: the SQE; the caller sets IOSQE_BUFFER_SELECT in its flags
 * @fd: a pollable file (pipe, socket, eventfd...)
 * @nbytes: bytes per read, 0 for the buffer's size
 * @offset: must be 0 or (uint64_t)-1
 * @bgid: buffer group
 *
 * Return: nothing; one CQE per read with IORING_CQE_F_MORE while it goes
 * on.  Minimum kernel 6.7.
 */
IOU_INLINE void iou_prep_read_multishot(struct io_uring_sqe *sqe, int fd,
					unsigned nbytes, uint64_t offset,
					unsigned bgid)
{
	iou_prep_rw(sqe, IORING_OP_READ_MULTISHOT, fd, 0, nbytes, offset);
	sqe->buf_group = (uint16_t)bgid;
}

/*
 * File and path operations
 */

/**
 * iou_prep_fsync() - fsync/fdatasync (IORING_OP_FSYNC)
 * @sqe: the SQE
 * @fd: the file
 * @fsync_flags: 0, or IORING_FSYNC_DATASYNC
 *
 * Return: nothing.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_fsync(struct io_uring_sqe *sqe, int fd,
			       unsigned fsync_flags)
{
	iou_prep_rw(sqe, IORING_OP_FSYNC, fd, 0, 0, 0);
	sqe->fsync_flags = fsync_flags;
}

/**
 * iou_prep_sync_file_range() - sync_file_range(2) (IORING_OP_SYNC_FILE_RANGE)
 * @sqe: the SQE
 * @fd: the file
 * @len: bytes
 * @offset: start
 * @flags: SYNC_FILE_RANGE_*
 *
 * Return: nothing.  Minimum kernel 5.2.
 */
IOU_INLINE void iou_prep_sync_file_range(struct io_uring_sqe *sqe, int fd,
					 unsigned len, uint64_t offset,
					 unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_SYNC_FILE_RANGE, fd, 0, len, offset);
	sqe->sync_range_flags = flags;
}

/**
 * iou_prep_fallocate() - fallocate(2) (IORING_OP_FALLOCATE)
 * @sqe: the SQE
 * @fd: the file
 * @mode: FALLOC_FL_* or 0
 * @offset: start
 * @len: bytes
 *
 * Return: nothing.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_fallocate(struct io_uring_sqe *sqe, int fd, int mode,
				   uint64_t offset, uint64_t len)
{
	iou_prep_rw(sqe, IORING_OP_FALLOCATE, fd, 0, (unsigned)mode, offset);
	sqe->addr = len;
}

/**
 * iou_prep_fadvise() - posix_fadvise(2) (IORING_OP_FADVISE)
 * @sqe: the SQE
 * @fd: the file
 * @offset: start
 * @len: bytes (0: to the end)
 * @advice: POSIX_FADV_*
 *
 * Return: nothing.  Minimum kernel 5.6 (64-bit lengths: 6.12).
 */
IOU_INLINE void iou_prep_fadvise(struct io_uring_sqe *sqe, int fd,
				 uint64_t offset, uint64_t len, int advice)
{
	/* len goes in addr, which 6.12 added for 64-bit lengths; sqe->len
	 * carries it too (as 32 bits) for older kernels. */
	iou_prep_rw(sqe, IORING_OP_FADVISE, fd, 0, (unsigned)len, offset);
	if (len > 0xffffffffULL) {
		sqe->len = 0;
		sqe->addr = len;
	}
	sqe->fadvise_advice = (uint32_t)advice;
}

/**
 * iou_prep_madvise() - madvise(2) (IORING_OP_MADVISE)
 * @sqe: the SQE
 * @addr: start (page aligned)
 * @len: bytes
 * @advice: MADV_*
 *
 * Return: nothing.  Minimum kernel 5.6 (64-bit lengths: 6.12).
 */
IOU_INLINE void iou_prep_madvise(struct io_uring_sqe *sqe, void *addr,
				 uint64_t len, int advice)
{
	iou_prep_rw(sqe, IORING_OP_MADVISE, -1, addr, (unsigned)len, 0);
	if (len > 0xffffffffULL) {
		sqe->len = 0;
		sqe->off = len;
	}
	sqe->fadvise_advice = (uint32_t)advice;
}

/**
 * iou_prep_ftruncate() - ftruncate(2) (IORING_OP_FTRUNCATE)
 * @sqe: the SQE
 * @fd: the file
 * @len: new size
 *
 * Return: nothing.  Minimum kernel 6.9.
 */
IOU_INLINE void iou_prep_ftruncate(struct io_uring_sqe *sqe, int fd,
				   uint64_t len)
{
	iou_prep_rw(sqe, IORING_OP_FTRUNCATE, fd, 0, 0, len);
}

/**
 * iou_prep_openat() - openat(2) (IORING_OP_OPENAT)
 * @sqe: the SQE
 * @dfd: directory fd or IOU_AT_FDCWD
 * @path: the path
 * @flags: O_*
 * @mode: permission bits for O_CREAT
 *
 * Return: nothing; the CQE holds the fd.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_openat(struct io_uring_sqe *sqe, int dfd,
				const char *path, int flags, unsigned mode)
{
	iou_prep_rw(sqe, IORING_OP_OPENAT, dfd, path, mode, 0);
	sqe->open_flags = (uint32_t)flags;
}

/**
 * iou_prep_openat_direct() - openat into a fixed-file slot
 * @sqe: the SQE
 * @dfd: directory fd or IOU_AT_FDCWD
 * @path: the path
 * @flags: O_* (not O_CLOEXEC)
 * @mode: permission bits for O_CREAT
 * @slot: fixed-file slot, or IORING_FILE_INDEX_ALLOC
 *
 * Return: nothing; the CQE holds 0 or the allocated slot.
 * Minimum kernel 5.15 (ALLOC: 5.19).
 */
IOU_INLINE void iou_prep_openat_direct(struct io_uring_sqe *sqe, int dfd,
				       const char *path, int flags,
				       unsigned mode, unsigned slot)
{
	iou_prep_openat(sqe, dfd, path, flags, mode);
	iou_sqe_set_file_index(sqe, slot);
}

/**
 * iou_prep_openat2() - openat2(2) (IORING_OP_OPENAT2)
 * @sqe: the SQE
 * @dfd: directory fd or IOU_AT_FDCWD
 * @path: the path
 * @how: struct open_how
 * @how_size: sizeof(struct open_how)
 *
 * Return: nothing; the CQE holds the fd.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_openat2(struct io_uring_sqe *sqe, int dfd,
				 const char *path, const struct open_how *how,
				 size_t how_size)
{
	iou_prep_rw(sqe, IORING_OP_OPENAT2, dfd, path, (unsigned)how_size,
		    (uint64_t)(uintptr_t)how);
}

/**
 * iou_prep_openat2_direct() - openat2 into a fixed-file slot
 * @sqe: the SQE
 * @dfd: directory fd or IOU_AT_FDCWD
 * @path: the path
 * @how: struct open_how
 * @how_size: sizeof(struct open_how)
 * @slot: fixed-file slot, or IORING_FILE_INDEX_ALLOC
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_openat2_direct(struct io_uring_sqe *sqe, int dfd,
					const char *path,
					const struct open_how *how,
					size_t how_size, unsigned slot)
{
	iou_prep_openat2(sqe, dfd, path, how, how_size);
	iou_sqe_set_file_index(sqe, slot);
}

/**
 * iou_prep_close() - close(2) (IORING_OP_CLOSE)
 * @sqe: the SQE
 * @fd: the fd
 *
 * Return: nothing.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_close(struct io_uring_sqe *sqe, int fd)
{
	iou_prep_rw(sqe, IORING_OP_CLOSE, fd, 0, 0, 0);
}

/**
 * iou_prep_close_direct() - empty a fixed-file slot
 * @sqe: the SQE
 * @slot: the slot
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_close_direct(struct io_uring_sqe *sqe, unsigned slot)
{
	iou_prep_rw(sqe, IORING_OP_CLOSE, 0, 0, 0, 0);
	iou_sqe_set_file_index(sqe, slot);
}

/**
 * iou_prep_files_update() - update fixed-file slots from the ring
 * (IORING_OP_FILES_UPDATE)
 * @sqe: the SQE
 * @fds: new fds (-1 empties; IORING_FILE_INDEX_ALLOC as @offset fills
 *	free slots and writes the chosen slots back into @fds)
 * @nr_fds: how many
 * @offset: first slot
 *
 * Return: nothing; the CQE holds the count updated.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_files_update(struct io_uring_sqe *sqe, int *fds,
				      unsigned nr_fds, int offset)
{
	iou_prep_rw(sqe, IORING_OP_FILES_UPDATE, -1, fds, nr_fds,
		    (uint64_t)(int64_t)offset);
}

/**
 * iou_prep_fixed_fd_install() - turn a fixed file into a regular fd
 * (IORING_OP_FIXED_FD_INSTALL)
 * @sqe: the SQE; the caller sets IOSQE_FIXED_FILE in its flags
 * @slot: the fixed-file slot
 * @install_flags: IORING_FIXED_FD_NO_CLOEXEC or 0
 *
 * Return: nothing; the CQE holds the new fd.  Minimum kernel 6.8.
 */
IOU_INLINE void iou_prep_fixed_fd_install(struct io_uring_sqe *sqe,
					  unsigned slot, unsigned install_flags)
{
	iou_prep_rw(sqe, IORING_OP_FIXED_FD_INSTALL, (int)slot, 0, 0, 0);
	sqe->install_fd_flags = install_flags;
}

/**
 * iou_prep_statx() - statx(2) (IORING_OP_STATX)
 * @sqe: the SQE
 * @dfd: directory fd or IOU_AT_FDCWD
 * @path: the path ("" with AT_EMPTY_PATH for @dfd itself)
 * @flags: AT_*
 * @mask: STATX_*
 * @buf: receives the result
 *
 * Return: nothing.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_statx(struct io_uring_sqe *sqe, int dfd,
			       const char *path, int flags, unsigned mask,
			       struct statx *buf)
{
	iou_prep_rw(sqe, IORING_OP_STATX, dfd, path, mask,
		    (uint64_t)(uintptr_t)buf);
	sqe->statx_flags = (uint32_t)flags;
}

/**
 * iou_prep_renameat() - renameat2(2) (IORING_OP_RENAMEAT)
 * @sqe: the SQE
 * @olddfd: directory of @oldpath
 * @oldpath: from
 * @newdfd: directory of @newpath
 * @newpath: to
 * @flags: RENAME_*
 *
 * Return: nothing.  Minimum kernel 5.11.
 */
IOU_INLINE void iou_prep_renameat(struct io_uring_sqe *sqe, int olddfd,
				  const char *oldpath, int newdfd,
				  const char *newpath, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_RENAMEAT, olddfd, oldpath, (unsigned)newdfd,
		    (uint64_t)(uintptr_t)newpath);
	sqe->rename_flags = flags;
}

/**
 * iou_prep_rename() - rename(2) relative to the cwd
 * @sqe: the SQE
 * @oldpath: from
 * @newpath: to
 *
 * Return: nothing.  Minimum kernel 5.11.
 */
IOU_INLINE void iou_prep_rename(struct io_uring_sqe *sqe, const char *oldpath,
				const char *newpath)
{
	iou_prep_renameat(sqe, IOU_AT_FDCWD, oldpath, IOU_AT_FDCWD, newpath, 0);
}

/**
 * iou_prep_unlinkat() - unlinkat(2) (IORING_OP_UNLINKAT)
 * @sqe: the SQE
 * @dfd: directory fd or IOU_AT_FDCWD
 * @path: the path
 * @flags: 0 or AT_REMOVEDIR
 *
 * Return: nothing.  Minimum kernel 5.11.
 */
IOU_INLINE void iou_prep_unlinkat(struct io_uring_sqe *sqe, int dfd,
				  const char *path, int flags)
{
	iou_prep_rw(sqe, IORING_OP_UNLINKAT, dfd, path, 0, 0);
	sqe->unlink_flags = (uint32_t)flags;
}

/**
 * iou_prep_unlink() - unlink(2) relative to the cwd
 * @sqe: the SQE
 * @path: the path
 * @flags: 0 or AT_REMOVEDIR
 *
 * Return: nothing.  Minimum kernel 5.11.
 */
IOU_INLINE void iou_prep_unlink(struct io_uring_sqe *sqe, const char *path,
				int flags)
{
	iou_prep_unlinkat(sqe, IOU_AT_FDCWD, path, flags);
}

/**
 * iou_prep_mkdirat() - mkdirat(2) (IORING_OP_MKDIRAT)
 * @sqe: the SQE
 * @dfd: directory fd or IOU_AT_FDCWD
 * @path: the path
 * @mode: permission bits
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_mkdirat(struct io_uring_sqe *sqe, int dfd,
				 const char *path, unsigned mode)
{
	iou_prep_rw(sqe, IORING_OP_MKDIRAT, dfd, path, mode, 0);
}

/**
 * iou_prep_mkdir() - mkdir(2) relative to the cwd
 * @sqe: the SQE
 * @path: the path
 * @mode: permission bits
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_mkdir(struct io_uring_sqe *sqe, const char *path,
			       unsigned mode)
{
	iou_prep_mkdirat(sqe, IOU_AT_FDCWD, path, mode);
}

/**
 * iou_prep_symlinkat() - symlinkat(2) (IORING_OP_SYMLINKAT)
 * @sqe: the SQE
 * @target: what the link points to
 * @newdfd: directory of @linkpath
 * @linkpath: the link
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_symlinkat(struct io_uring_sqe *sqe,
				   const char *target, int newdfd,
				   const char *linkpath)
{
	iou_prep_rw(sqe, IORING_OP_SYMLINKAT, newdfd, target, 0,
		    (uint64_t)(uintptr_t)linkpath);
}

/**
 * iou_prep_symlink() - symlink(2) relative to the cwd
 * @sqe: the SQE
 * @target: what the link points to
 * @linkpath: the link
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_symlink(struct io_uring_sqe *sqe, const char *target,
				 const char *linkpath)
{
	iou_prep_symlinkat(sqe, target, IOU_AT_FDCWD, linkpath);
}

/**
 * iou_prep_linkat() - linkat(2) (IORING_OP_LINKAT)
 * @sqe: the SQE
 * @olddfd: directory of @oldpath
 * @oldpath: existing file
 * @newdfd: directory of @newpath
 * @newpath: new name
 * @flags: AT_SYMLINK_FOLLOW or 0
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_linkat(struct io_uring_sqe *sqe, int olddfd,
				const char *oldpath, int newdfd,
				const char *newpath, int flags)
{
	iou_prep_rw(sqe, IORING_OP_LINKAT, olddfd, oldpath, (unsigned)newdfd,
		    (uint64_t)(uintptr_t)newpath);
	sqe->hardlink_flags = (uint32_t)flags;
}

/**
 * iou_prep_link() - link(2) relative to the cwd
 * @sqe: the SQE
 * @oldpath: existing file
 * @newpath: new name
 * @flags: AT_SYMLINK_FOLLOW or 0
 *
 * Return: nothing.  Minimum kernel 5.15.
 */
IOU_INLINE void iou_prep_link(struct io_uring_sqe *sqe, const char *oldpath,
			      const char *newpath, int flags)
{
	iou_prep_linkat(sqe, IOU_AT_FDCWD, oldpath, IOU_AT_FDCWD, newpath,
			flags);
}

/**
 * iou_prep_getxattr() - getxattr(2) on a path (IORING_OP_GETXATTR)
 * @sqe: the SQE
 * @name: attribute name
 * @value: receives the value
 * @path: the file
 * @len: room in @value
 *
 * Return: nothing; the CQE holds the value's size.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_getxattr(struct io_uring_sqe *sqe, const char *name,
				  char *value, const char *path, unsigned len)
{
	iou_prep_rw(sqe, IORING_OP_GETXATTR, 0, name, len,
		    (uint64_t)(uintptr_t)value);
	sqe->addr3 = (uint64_t)(uintptr_t)path;
}

/**
 * iou_prep_setxattr() - setxattr(2) on a path (IORING_OP_SETXATTR)
 * @sqe: the SQE
 * @name: attribute name
 * @value: the value
 * @path: the file
 * @flags: XATTR_CREATE, XATTR_REPLACE or 0
 * @len: bytes in @value
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_setxattr(struct io_uring_sqe *sqe, const char *name,
				  const char *value, const char *path,
				  int flags, unsigned len)
{
	iou_prep_rw(sqe, IORING_OP_SETXATTR, 0, name, len,
		    (uint64_t)(uintptr_t)value);
	sqe->addr3 = (uint64_t)(uintptr_t)path;
	sqe->xattr_flags = (uint32_t)flags;
}

/**
 * iou_prep_fgetxattr() - fgetxattr(2) (IORING_OP_FGETXATTR)
 * @sqe: the SQE
 * @fd: the file
 * @name: attribute name
 * @value: receives the value
 * @len: room in @value
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_fgetxattr(struct io_uring_sqe *sqe, int fd,
				   const char *name, char *value, unsigned len)
{
	iou_prep_rw(sqe, IORING_OP_FGETXATTR, fd, name, len,
		    (uint64_t)(uintptr_t)value);
}

/**
 * iou_prep_fsetxattr() - fsetxattr(2) (IORING_OP_FSETXATTR)
 * @sqe: the SQE
 * @fd: the file
 * @name: attribute name
 * @value: the value
 * @flags: XATTR_CREATE, XATTR_REPLACE or 0
 * @len: bytes in @value
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_fsetxattr(struct io_uring_sqe *sqe, int fd,
				   const char *name, const char *value,
				   int flags, unsigned len)
{
	iou_prep_rw(sqe, IORING_OP_FSETXATTR, fd, name, len,
		    (uint64_t)(uintptr_t)value);
	sqe->xattr_flags = (uint32_t)flags;
}

/**
 * iou_prep_splice() - splice(2) (IORING_OP_SPLICE)
 * @sqe: the SQE
 * @fd_in: source (SPLICE_F_FD_IN_FIXED in @flags: a fixed-file slot)
 * @off_in: source offset, -1 for a pipe or the file position
 * @fd_out: destination
 * @off_out: destination offset, -1 likewise
 * @nbytes: bytes to move
 * @flags: SPLICE_F_*
 *
 * Return: nothing.  Minimum kernel 5.7.
 */
IOU_INLINE void iou_prep_splice(struct io_uring_sqe *sqe, int fd_in,
				int64_t off_in, int fd_out, int64_t off_out,
				unsigned nbytes, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_SPLICE, fd_out, 0, nbytes,
		    (uint64_t)off_out);
	sqe->splice_off_in = (uint64_t)off_in;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = flags;
}

/**
 * iou_prep_tee() - tee(2) between two pipes (IORING_OP_TEE)
 * @sqe: the SQE
 * @fd_in: source pipe
 * @fd_out: destination pipe
 * @nbytes: bytes to duplicate
 * @flags: SPLICE_F_*
 *
 * Return: nothing.  Minimum kernel 5.8.
 */
IOU_INLINE void iou_prep_tee(struct io_uring_sqe *sqe, int fd_in, int fd_out,
			     unsigned nbytes, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_TEE, fd_out, 0, nbytes, 0);
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = flags;
}

/**
 * iou_prep_pipe() - pipe2(2) (IORING_OP_PIPE)
 * @sqe: the SQE
 * @fds: receives the two fds
 * @pipe_flags: O_CLOEXEC, O_NONBLOCK, O_DIRECT
 *
 * Return: nothing.  Minimum kernel 6.16.
 */
IOU_INLINE void iou_prep_pipe(struct io_uring_sqe *sqe, int *fds,
			      int pipe_flags)
{
	iou_prep_rw(sqe, IORING_OP_PIPE, 0, fds, 0, 0);
	sqe->pipe_flags = (uint32_t)pipe_flags;
}

/**
 * iou_prep_pipe_direct() - a pipe whose ends go into fixed-file slots
 * @sqe: the SQE
 * @fds: receives the two slots
 * @pipe_flags: O_NONBLOCK, O_DIRECT (not O_CLOEXEC)
 * @slot: first slot (the write end takes the next), or
 *	IORING_FILE_INDEX_ALLOC
 *
 * Return: nothing.  Minimum kernel 6.16.
 */
IOU_INLINE void iou_prep_pipe_direct(struct io_uring_sqe *sqe, int *fds,
				     int pipe_flags, unsigned slot)
{
	iou_prep_pipe(sqe, fds, pipe_flags);
	iou_sqe_set_file_index(sqe, slot);
}

/*
 * Polling, timeouts, cancellation
 */

/* poll32_events holds the halfwords swapped on big-endian hosts. */
static inline uint32_t iou__poll_mask(unsigned mask)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	mask = (mask << 16) | (mask >> 16);
#endif
	return mask;
}

/**
 * iou_prep_poll_add() - wait once for poll events (IORING_OP_POLL_ADD)
 * @sqe: the SQE
 * @fd: the file
 * @poll_mask: POLLIN, POLLOUT, ...
 *
 * Return: nothing; the CQE holds the events.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_poll_add(struct io_uring_sqe *sqe, int fd,
				  unsigned poll_mask)
{
	iou_prep_rw(sqe, IORING_OP_POLL_ADD, fd, 0, 0, 0);
	sqe->poll32_events = iou__poll_mask(poll_mask);
}

/**
 * iou_prep_poll_multishot() - a poll that posts a CQE per event
 * @sqe: the SQE
 * @fd: the file
 * @poll_mask: POLLIN, POLLOUT, ...
 *
 * Return: nothing.  Minimum kernel 5.13.
 */
IOU_INLINE void iou_prep_poll_multishot(struct io_uring_sqe *sqe, int fd,
					unsigned poll_mask)
{
	iou_prep_poll_add(sqe, fd, poll_mask);
	sqe->len = IORING_POLL_ADD_MULTI;
}

/**
 * iou_prep_poll_remove() - cancel a poll by its user_data
 * (IORING_OP_POLL_REMOVE)
 * @sqe: the SQE
 * @user_data: the poll's user_data
 *
 * Return: nothing; the CQE holds 0 or -ENOENT.  Minimum kernel 5.1.
 */
IOU_INLINE void iou_prep_poll_remove(struct io_uring_sqe *sqe,
				     uint64_t user_data)
{
	iou_prep_rw(sqe, IORING_OP_POLL_REMOVE, -1, 0, 0, 0);
	sqe->addr = user_data;
}

/**
 * iou_prep_poll_update() - change a poll's events and/or user_data
 * @sqe: the SQE
 * @old_user_data: the poll to update
 * @new_user_data: its new user_data (with IORING_POLL_UPDATE_USER_DATA)
 * @poll_mask: new events (with IORING_POLL_UPDATE_EVENTS)
 * @flags: IORING_POLL_UPDATE_* and IORING_POLL_ADD_MULTI
 *
 * Return: nothing.  Minimum kernel 5.13.
 */
IOU_INLINE void iou_prep_poll_update(struct io_uring_sqe *sqe,
				     uint64_t old_user_data,
				     uint64_t new_user_data,
				     unsigned poll_mask, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_POLL_REMOVE, -1, 0, flags, new_user_data);
	sqe->addr = old_user_data;
	sqe->poll32_events = iou__poll_mask(poll_mask);
}

/**
 * iou_prep_epoll_ctl() - epoll_ctl(2) (IORING_OP_EPOLL_CTL)
 * @sqe: the SQE
 * @epfd: the epoll instance
 * @fd: the file
 * @op: EPOLL_CTL_ADD/MOD/DEL
 * @ev: the event (read at issue time)
 *
 * Return: nothing.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_epoll_ctl(struct io_uring_sqe *sqe, int epfd, int fd,
				   int op, const struct epoll_event *ev)
{
	iou_prep_rw(sqe, IORING_OP_EPOLL_CTL, epfd, ev, (unsigned)op,
		    (uint64_t)(unsigned)fd);
}

/**
 * iou_prep_epoll_wait() - epoll_wait(2) without blocking the ring
 * (IORING_OP_EPOLL_WAIT)
 * @sqe: the SQE
 * @epfd: the epoll instance
 * @events: receives the events
 * @maxevents: room in @events
 * @flags: 0 (none are defined in 6.18)
 *
 * Return: nothing; the CQE holds the number of events.
 * Minimum kernel 6.15.
 */
IOU_INLINE void iou_prep_epoll_wait(struct io_uring_sqe *sqe, int epfd,
				    struct epoll_event *events, int maxevents,
				    unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_EPOLL_WAIT, epfd, events,
		    (unsigned)maxevents, 0);
	sqe->rw_flags = flags;
}

/**
 * iou_prep_timeout() - complete after a time or after @count CQEs
 * (IORING_OP_TIMEOUT)
 * @sqe: the SQE
 * @ts: relative (or with IORING_TIMEOUT_ABS absolute) time; read at issue
 * @count: CQEs that end it early, 0 for none
 * @flags: IORING_TIMEOUT_*
 *
 * Return: nothing; the CQE holds -ETIME on expiry, 0 on count.
 * Minimum kernel 5.4.
 */
IOU_INLINE void iou_prep_timeout(struct io_uring_sqe *sqe,
				 const struct iou_timespec *ts, unsigned count,
				 unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_TIMEOUT, -1, ts, 1, count);
	sqe->timeout_flags = flags;
}

/**
 * iou_prep_timeout_remove() - cancel a timeout by its user_data
 * (IORING_OP_TIMEOUT_REMOVE)
 * @sqe: the SQE
 * @user_data: the timeout's user_data
 * @flags: 0
 *
 * Return: nothing.  Minimum kernel 5.5.
 */
IOU_INLINE void iou_prep_timeout_remove(struct io_uring_sqe *sqe,
					uint64_t user_data, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_TIMEOUT_REMOVE, -1, 0, 0, 0);
	sqe->addr = user_data;
	sqe->timeout_flags = flags;
}

/**
 * iou_prep_timeout_update() - give a pending timeout a new time
 * @sqe: the SQE
 * @ts: the new time
 * @user_data: the timeout (or, with IORING_LINK_TIMEOUT_UPDATE, the linked
 *	timeout) to change
 * @flags: IORING_TIMEOUT_ABS, clock flags, IORING_LINK_TIMEOUT_UPDATE
 *
 * Return: nothing.  Minimum kernel 5.11.
 */
IOU_INLINE void iou_prep_timeout_update(struct io_uring_sqe *sqe,
					const struct iou_timespec *ts,
					uint64_t user_data, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_TIMEOUT_REMOVE, -1, 0, 0,
		    (uint64_t)(uintptr_t)ts);
	sqe->addr = user_data;
	/* Without IORING_TIMEOUT_UPDATE the kernel removes (also with
	 * IORING_LINK_TIMEOUT_UPDATE, which only picks the linked kind). */
	sqe->timeout_flags = flags | IORING_TIMEOUT_UPDATE;
}

/**
 * iou_prep_link_timeout() - time limit for the SQE linked before this one
 * (IORING_OP_LINK_TIMEOUT)
 * @sqe: the SQE, right after one with IOSQE_IO_LINK
 * @ts: the limit (read at issue)
 * @flags: IORING_TIMEOUT_*
 *
 * Return: nothing; the linked op ends with -ECANCELED if time runs out.
 * Minimum kernel 5.5.
 */
IOU_INLINE void iou_prep_link_timeout(struct io_uring_sqe *sqe,
				      const struct iou_timespec *ts,
				      unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_LINK_TIMEOUT, -1, ts, 1, 0);
	sqe->timeout_flags = flags;
}

/**
 * iou_prep_cancel64() - cancel requests by user_data (IORING_OP_ASYNC_CANCEL)
 * @sqe: the SQE
 * @user_data: the target's user_data
 * @flags: IORING_ASYNC_CANCEL_ALL / _ANY / ...
 *
 * Return: nothing; the CQE holds 0 (or a count with ALL), -ENOENT,
 * -EALREADY.  Minimum kernel 5.5.
 */
IOU_INLINE void iou_prep_cancel64(struct io_uring_sqe *sqe, uint64_t user_data,
				  unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_ASYNC_CANCEL, -1, 0, 0, 0);
	sqe->addr = user_data;
	sqe->cancel_flags = flags;
}

/**
 * iou_prep_cancel() - cancel requests tagged with a pointer
 * @sqe: the SQE
 * @user_data: the pointer given to iou_sqe_set_data()
 * @flags: IORING_ASYNC_CANCEL_*
 *
 * Return: nothing.  Minimum kernel 5.5.
 */
IOU_INLINE void iou_prep_cancel(struct io_uring_sqe *sqe, void *user_data,
				unsigned flags)
{
	iou_prep_cancel64(sqe, (uint64_t)(uintptr_t)user_data, flags);
}

/**
 * iou_prep_cancel_fd() - cancel requests on a file
 * @sqe: the SQE
 * @fd: the file (a slot with IORING_ASYNC_CANCEL_FD_FIXED)
 * @flags: IORING_ASYNC_CANCEL_ALL, _FD_FIXED
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_cancel_fd(struct io_uring_sqe *sqe, int fd,
				   unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_ASYNC_CANCEL, fd, 0, 0, 0);
	sqe->cancel_flags = flags | IORING_ASYNC_CANCEL_FD;
}

/*
 * Sockets
 */

/**
 * iou_prep_socket() - socket(2) (IORING_OP_SOCKET)
 * @sqe: the SQE
 * @domain: AF_*
 * @type: SOCK_* (with SOCK_NONBLOCK/SOCK_CLOEXEC)
 * @protocol: protocol or 0
 * @flags: 0
 *
 * Return: nothing; the CQE holds the fd.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_socket(struct io_uring_sqe *sqe, int domain, int type,
				int protocol, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_SOCKET, domain, 0, (unsigned)protocol,
		    (uint64_t)(unsigned)type);
	sqe->rw_flags = flags;
}

/**
 * iou_prep_socket_direct() - socket(2) into a fixed-file slot
 * @sqe: the SQE
 * @domain: AF_*
 * @type: SOCK_*
 * @protocol: protocol or 0
 * @slot: the slot, or IORING_FILE_INDEX_ALLOC
 * @flags: 0
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_socket_direct(struct io_uring_sqe *sqe, int domain,
				       int type, int protocol, unsigned slot,
				       unsigned flags)
{
	iou_prep_socket(sqe, domain, type, protocol, flags);
	iou_sqe_set_file_index(sqe, slot);
}

/**
 * iou_prep_bind() - bind(2) (IORING_OP_BIND)
 * @sqe: the SQE
 * @fd: the socket
 * @addr: the address (read at issue)
 * @addrlen: its size
 *
 * Return: nothing.  Minimum kernel 6.11.
 */
IOU_INLINE void iou_prep_bind(struct io_uring_sqe *sqe, int fd,
			      const struct sockaddr *addr, unsigned addrlen)
{
	iou_prep_rw(sqe, IORING_OP_BIND, fd, addr, 0, addrlen);
}

/**
 * iou_prep_listen() - listen(2) (IORING_OP_LISTEN)
 * @sqe: the SQE
 * @fd: the socket
 * @backlog: queue length
 *
 * Return: nothing.  Minimum kernel 6.11.
 */
IOU_INLINE void iou_prep_listen(struct io_uring_sqe *sqe, int fd, int backlog)
{
	iou_prep_rw(sqe, IORING_OP_LISTEN, fd, 0, (unsigned)backlog, 0);
}

/**
 * iou_prep_accept() - accept4(2) (IORING_OP_ACCEPT)
 * @sqe: the SQE
 * @fd: the listening socket
 * @addr: receives the peer address, or NULL
 * @addrlen: in: room at @addr, out: its size; NULL with @addr NULL
 * @flags: SOCK_NONBLOCK, SOCK_CLOEXEC
 *
 * Return: nothing; the CQE holds the new fd.  Minimum kernel 5.5.
 */
IOU_INLINE void iou_prep_accept(struct io_uring_sqe *sqe, int fd,
				struct sockaddr *addr, unsigned *addrlen,
				int flags)
{
	iou_prep_rw(sqe, IORING_OP_ACCEPT, fd, addr, 0,
		    (uint64_t)(uintptr_t)addrlen);
	sqe->accept_flags = (uint32_t)flags;
}

/**
 * iou_prep_accept_direct() - accept into a fixed-file slot
 * @sqe: the SQE
 * @fd: the listening socket
 * @addr: receives the peer address, or NULL
 * @addrlen: room/size at @addr, or NULL
 * @flags: SOCK_NONBLOCK
 * @slot: the slot, or IORING_FILE_INDEX_ALLOC
 *
 * Return: nothing.  Minimum kernel 5.15 (ALLOC: 5.19).
 */
IOU_INLINE void iou_prep_accept_direct(struct io_uring_sqe *sqe, int fd,
				       struct sockaddr *addr,
				       unsigned *addrlen, int flags,
				       unsigned slot)
{
	iou_prep_accept(sqe, fd, addr, addrlen, flags);
	iou_sqe_set_file_index(sqe, slot);
}

/**
 * iou_prep_multishot_accept() - accept connections until cancelled, a CQE
 * each (IORING_ACCEPT_MULTISHOT)
 * @sqe: the SQE
 * @fd: the listening socket
 * @addr: peer address of each, or NULL
 * @addrlen: room/size at @addr, or NULL
 * @flags: SOCK_NONBLOCK, SOCK_CLOEXEC
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_multishot_accept(struct io_uring_sqe *sqe, int fd,
					  struct sockaddr *addr,
					  unsigned *addrlen, int flags)
{
	iou_prep_accept(sqe, fd, addr, addrlen, flags);
	sqe->ioprio |= IORING_ACCEPT_MULTISHOT;
}

/**
 * iou_prep_multishot_accept_direct() - multishot accept into free
 * fixed-file slots
 * @sqe: the SQE
 * @fd: the listening socket
 * @addr: peer address of each, or NULL
 * @addrlen: room/size at @addr, or NULL
 * @flags: SOCK_NONBLOCK
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_multishot_accept_direct(struct io_uring_sqe *sqe,
						 int fd, struct sockaddr *addr,
						 unsigned *addrlen, int flags)
{
	iou_prep_multishot_accept(sqe, fd, addr, addrlen, flags);
	iou_sqe_set_file_index(sqe, IORING_FILE_INDEX_ALLOC);
}

/**
 * iou_prep_connect() - connect(2) (IORING_OP_CONNECT)
 * @sqe: the SQE
 * @fd: the socket
 * @addr: the peer (read at issue)
 * @addrlen: its size
 *
 * Return: nothing.  Minimum kernel 5.5.
 */
IOU_INLINE void iou_prep_connect(struct io_uring_sqe *sqe, int fd,
				 const struct sockaddr *addr, unsigned addrlen)
{
	iou_prep_rw(sqe, IORING_OP_CONNECT, fd, addr, 0, addrlen);
}

/**
 * iou_prep_shutdown() - shutdown(2) (IORING_OP_SHUTDOWN)
 * @sqe: the SQE
 * @fd: the socket
 * @how: SHUT_RD, SHUT_WR, SHUT_RDWR
 *
 * Return: nothing.  Minimum kernel 5.11.
 */
IOU_INLINE void iou_prep_shutdown(struct io_uring_sqe *sqe, int fd, int how)
{
	iou_prep_rw(sqe, IORING_OP_SHUTDOWN, fd, 0, (unsigned)how, 0);
}

/**
 * iou_prep_send() - send(2) (IORING_OP_SEND)
 * @sqe: the SQE
 * @fd: the socket
 * @buf: data
 * @len: bytes
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_send(struct io_uring_sqe *sqe, int fd,
			      const void *buf, size_t len, int flags)
{
	iou_prep_rw(sqe, IORING_OP_SEND, fd, buf, (unsigned)len, 0);
	sqe->msg_flags = (uint32_t)flags;
}

/**
 * iou_prep_sendto() - sendto(2) (IORING_OP_SEND with a destination)
 * @sqe: the SQE
 * @fd: the socket
 * @buf: data
 * @len: bytes
 * @flags: MSG_*
 * @addr: destination (read at issue)
 * @addrlen: its size
 *
 * Return: nothing.  Minimum kernel 6.0.
 */
IOU_INLINE void iou_prep_sendto(struct io_uring_sqe *sqe, int fd,
				const void *buf, size_t len, int flags,
				const struct sockaddr *addr, unsigned addrlen)
{
	iou_prep_send(sqe, fd, buf, len, flags);
	sqe->addr2 = (uint64_t)(uintptr_t)addr;
	sqe->addr_len = (uint16_t)addrlen;
}

/**
 * iou_prep_send_bundle() - send as many provided buffers as are queued
 * (IORING_RECVSEND_BUNDLE)
 * @sqe: the SQE; the caller sets IOSQE_BUFFER_SELECT and the buffer group
 * @fd: the socket
 * @len: bytes at most, 0 for all
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 6.10.
 */
IOU_INLINE void iou_prep_send_bundle(struct io_uring_sqe *sqe, int fd,
				     size_t len, int flags)
{
	iou_prep_send(sqe, fd, 0, len, flags);
	sqe->ioprio |= IORING_RECVSEND_BUNDLE;
}

/**
 * iou_prep_send_zc() - zero-copy send (IORING_OP_SEND_ZC)
 * @sqe: the SQE
 * @fd: the socket
 * @buf: data: stays in use until the IORING_CQE_F_NOTIF CQE
 * @len: bytes
 * @flags: MSG_*
 * @zc_flags: IORING_RECVSEND_POLL_FIRST, IORING_SEND_ZC_REPORT_USAGE
 *
 * Return: nothing; two CQEs: the result (with IORING_CQE_F_MORE), then
 * the notification.  Minimum kernel 6.0.
 */
IOU_INLINE void iou_prep_send_zc(struct io_uring_sqe *sqe, int fd,
				 const void *buf, size_t len, int flags,
				 unsigned zc_flags)
{
	iou_prep_rw(sqe, IORING_OP_SEND_ZC, fd, buf, (unsigned)len, 0);
	sqe->msg_flags = (uint32_t)flags;
	sqe->ioprio = (uint16_t)zc_flags;
}

/**
 * iou_prep_send_zc_fixed() - zero-copy send from a registered buffer
 * @sqe: the SQE
 * @fd: the socket
 * @buf: data inside registered buffer @buf_index
 * @len: bytes
 * @flags: MSG_*
 * @zc_flags: as iou_prep_send_zc()
 * @buf_index: the registered buffer
 *
 * Return: nothing.  Minimum kernel 6.0.
 */
IOU_INLINE void iou_prep_send_zc_fixed(struct io_uring_sqe *sqe, int fd,
				       const void *buf, size_t len, int flags,
				       unsigned zc_flags, unsigned buf_index)
{
	iou_prep_send_zc(sqe, fd, buf, len, flags, zc_flags);
	sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = (uint16_t)buf_index;
}

/**
 * iou_prep_sendmsg() - sendmsg(2) (IORING_OP_SENDMSG)
 * @sqe: the SQE
 * @fd: the socket
 * @msg: the message (read at issue)
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 5.3.
 */
IOU_INLINE void iou_prep_sendmsg(struct io_uring_sqe *sqe, int fd,
				 const struct msghdr *msg, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_SENDMSG, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

/**
 * iou_prep_sendmsg_zc() - zero-copy sendmsg (IORING_OP_SENDMSG_ZC)
 * @sqe: the SQE
 * @fd: the socket
 * @msg: the message; its buffers stay in use until the notification CQE
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 6.1.
 */
IOU_INLINE void iou_prep_sendmsg_zc(struct io_uring_sqe *sqe, int fd,
				    const struct msghdr *msg, unsigned flags)
{
	iou_prep_sendmsg(sqe, fd, msg, flags);
	sqe->opcode = IORING_OP_SENDMSG_ZC;
}

/**
 * iou_prep_recv() - recv(2) (IORING_OP_RECV)
 * @sqe: the SQE
 * @fd: the socket
 * @buf: destination (NULL with IOSQE_BUFFER_SELECT)
 * @len: room
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 5.6.
 */
IOU_INLINE void iou_prep_recv(struct io_uring_sqe *sqe, int fd, void *buf,
			      size_t len, int flags)
{
	iou_prep_rw(sqe, IORING_OP_RECV, fd, buf, (unsigned)len, 0);
	sqe->msg_flags = (uint32_t)flags;
}

/**
 * iou_prep_recv_multishot() - receive until cancelled into provided
 * buffers, a CQE per chunk (IORING_RECV_MULTISHOT)
 * @sqe: the SQE; the caller sets IOSQE_BUFFER_SELECT and the group
 * @fd: the socket
 * @len: 0 for each CQE to fill up to a buffer; else bytes per CQE at
 *	most (Linux 6.15; older kernels answer -EINVAL to a nonzero @len)
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 6.0 (@len 0), 6.15 (@len > 0).
 */
IOU_INLINE void iou_prep_recv_multishot(struct io_uring_sqe *sqe, int fd,
					size_t len, int flags)
{
	iou_prep_recv(sqe, fd, 0, len, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

/**
 * iou_prep_recv_bundle() - receive into as many provided buffers as the
 * data fills (IORING_RECVSEND_BUNDLE)
 * @sqe: the SQE; the caller sets IOSQE_BUFFER_SELECT and the group
 * @fd: the socket
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 6.10.
 */
IOU_INLINE void iou_prep_recv_bundle(struct io_uring_sqe *sqe, int fd,
				     int flags)
{
	iou_prep_recv(sqe, fd, 0, 0, flags);
	sqe->ioprio |= IORING_RECVSEND_BUNDLE;
}

/**
 * iou_prep_recvmsg() - recvmsg(2) (IORING_OP_RECVMSG)
 * @sqe: the SQE
 * @fd: the socket
 * @msg: the message header (read at issue, written on completion)
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 5.3.
 */
IOU_INLINE void iou_prep_recvmsg(struct io_uring_sqe *sqe, int fd,
				 struct msghdr *msg, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_RECVMSG, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

/**
 * iou_prep_recvmsg_multishot() - recvmsg until cancelled into provided
 * buffers; each starts with a struct io_uring_recvmsg_out
 * @sqe: the SQE; the caller sets IOSQE_BUFFER_SELECT and the group
 * @fd: the socket
 * @msg: template: msg_namelen and msg_controllen say what to reserve
 * @flags: MSG_*
 *
 * Return: nothing.  Minimum kernel 6.0.
 */
IOU_INLINE void iou_prep_recvmsg_multishot(struct io_uring_sqe *sqe, int fd,
					   struct msghdr *msg, unsigned flags)
{
	iou_prep_recvmsg(sqe, fd, msg, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

/**
 * iou_prep_recv_zc() - zero-copy receive from a registered NIC queue
 * (IORING_OP_RECV_ZC, always multishot)
 * @sqe: the SQE
 * @fd: the socket
 * @len: bytes in all, 0 for unlimited
 * @ifq_idx: the zcrx queue from iou_register_zcrx_ifq()
 * @ioprio_flags: IORING_RECVSEND_POLL_FIRST or 0
 *
 * Return: nothing.  Minimum kernel 6.15.
 */
IOU_INLINE void iou_prep_recv_zc(struct io_uring_sqe *sqe, int fd,
				 unsigned len, unsigned ifq_idx,
				 unsigned ioprio_flags)
{
	iou_prep_rw(sqe, IORING_OP_RECV_ZC, fd, 0, len, 0);
	sqe->ioprio = (uint16_t)(ioprio_flags | IORING_RECV_MULTISHOT);
	sqe->zcrx_ifq_idx = ifq_idx;
}

/**
 * iou_prep_uring_cmd() - a driver or socket command (IORING_OP_URING_CMD)
 * @sqe: the SQE; command bytes go to sqe->cmd afterwards
 * @cmd_op: the command
 * @fd: the file
 *
 * Return: nothing.  Minimum kernel 5.19.
 */
IOU_INLINE void iou_prep_uring_cmd(struct io_uring_sqe *sqe, unsigned cmd_op,
				   int fd)
{
	iou_prep_rw(sqe, IORING_OP_URING_CMD, fd, 0, 0, 0);
	sqe->cmd_op = cmd_op;
	sqe->__pad1 = 0;
}

/**
 * iou_prep_cmd_sock() - a socket command: SOCKET_URING_OP_SIOCINQ,
 * _SIOCOUTQ, _GETSOCKOPT, _SETSOCKOPT
 * @sqe: the SQE
 * @cmd_op: SOCKET_URING_OP_*
 * @fd: the socket
 * @level: SOL_* (get/setsockopt)
 * @optname: the option (get/setsockopt)
 * @optval: value buffer (get/setsockopt)
 * @optlen: its size
 *
 * Return: nothing; the CQE holds the queue size, or for getsockopt the
 * option's length.  Minimum kernel 6.7.
 */
IOU_INLINE void iou_prep_cmd_sock(struct io_uring_sqe *sqe, unsigned cmd_op,
				  int fd, int level, int optname,
				  void *optval, int optlen)
{
	iou_prep_uring_cmd(sqe, cmd_op, fd);
	sqe->level = (uint32_t)level;
	sqe->optname = (uint32_t)optname;
	sqe->optval = (uint64_t)(uintptr_t)optval;
	sqe->optlen = (uint32_t)optlen;
}

/*
 * Provided buffers (the legacy, SQE-driven kind; see buffer rings in
 * register.h for the fast one)
 */

/**
 * iou_prep_provide_buffers() - hand @nr buffers of @len bytes to group
 * @bgid (IORING_OP_PROVIDE_BUFFERS)
 * @sqe: the SQE
 * @addr: start of @nr contiguous buffers
 * @len: bytes each
 * @nr: how many
 * @bgid: the group
 * @bid: id of the first (the others follow)
 *
 * Return: nothing.  Minimum kernel 5.7.
 */
IOU_INLINE void iou_prep_provide_buffers(struct io_uring_sqe *sqe, void *addr,
					 unsigned len, unsigned nr,
					 unsigned bgid, unsigned bid)
{
	iou_prep_rw(sqe, IORING_OP_PROVIDE_BUFFERS, (int)nr, addr, len, bid);
	sqe->buf_group = (uint16_t)bgid;
}

/**
 * iou_prep_remove_buffers() - take back up to @nr buffers of group @bgid
 * (IORING_OP_REMOVE_BUFFERS)
 * @sqe: the SQE
 * @nr: how many at most
 * @bgid: the group
 *
 * Return: nothing; the CQE holds the count removed.  Minimum kernel 5.7.
 */
IOU_INLINE void iou_prep_remove_buffers(struct io_uring_sqe *sqe, unsigned nr,
					unsigned bgid)
{
	iou_prep_rw(sqe, IORING_OP_REMOVE_BUFFERS, (int)nr, 0, 0, 0);
	sqe->buf_group = (uint16_t)bgid;
}

/*
 * Rings, processes, futexes
 */

/**
 * iou_prep_msg_ring() - post a CQE to another ring (IORING_OP_MSG_RING)
 * @sqe: the SQE
 * @ring_fd: the target ring's fd
 * @res: the target CQE's res
 * @user_data: the target CQE's user_data
 * @flags: IORING_MSG_RING_CQE_SKIP (for our own CQE) or 0
 *
 * Return: nothing.  Minimum kernel 5.18.
 */
IOU_INLINE void iou_prep_msg_ring(struct io_uring_sqe *sqe, int ring_fd,
				  unsigned res, uint64_t user_data,
				  unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_MSG_RING, ring_fd, 0, res, user_data);
	sqe->msg_ring_flags = flags;
}

/**
 * iou_prep_msg_ring_cqe_flags() - as iou_prep_msg_ring(), also setting
 * the target CQE's flags
 * @sqe: the SQE
 * @ring_fd: the target ring's fd
 * @res: the target CQE's res
 * @user_data: the target CQE's user_data
 * @flags: IORING_MSG_RING_* (FLAGS_PASS is added)
 * @cqe_flags: the target CQE's flags
 *
 * Return: nothing.  Minimum kernel 6.3.
 */
IOU_INLINE void iou_prep_msg_ring_cqe_flags(struct io_uring_sqe *sqe,
					    int ring_fd, unsigned res,
					    uint64_t user_data, unsigned flags,
					    unsigned cqe_flags)
{
	iou_prep_msg_ring(sqe, ring_fd, res, user_data,
			  flags | IORING_MSG_RING_FLAGS_PASS);
	sqe->file_index = cqe_flags;
}

/**
 * iou_prep_msg_ring_fd() - send one of our fixed files to another ring's
 * fixed-file table
 * @sqe: the SQE
 * @ring_fd: the target ring's fd
 * @src_slot: our fixed-file slot
 * @dst_slot: the target slot, or IORING_FILE_INDEX_ALLOC
 * @user_data: the target CQE's user_data
 * @flags: IORING_MSG_RING_CQE_SKIP or 0
 *
 * Return: nothing.  Minimum kernel 6.0.
 */
IOU_INLINE void iou_prep_msg_ring_fd(struct io_uring_sqe *sqe, int ring_fd,
				     unsigned src_slot, unsigned dst_slot,
				     uint64_t user_data, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_MSG_RING, ring_fd,
		    (const void *)(uintptr_t)IORING_MSG_SEND_FD, 0, user_data);
	sqe->addr3 = src_slot;
	iou_sqe_set_file_index(sqe, dst_slot);
	sqe->msg_ring_flags = flags;
}

/**
 * iou_prep_waitid() - waitid(2) (IORING_OP_WAITID)
 * @sqe: the SQE
 * @idtype: P_PID, P_PGID, P_ALL, P_PIDFD
 * @id: the id
 * @infop: a siginfo_t receiving the result, or NULL
 * @options: WEXITED and friends
 * @flags: 0
 *
 * Return: nothing.  Minimum kernel 6.7.
 */
IOU_INLINE void iou_prep_waitid(struct io_uring_sqe *sqe, int idtype, int id,
				void *infop, int options, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_WAITID, id, 0, (unsigned)idtype, 0);
	sqe->waitid_flags = flags;
	sqe->file_index = (uint32_t)options;
	sqe->addr2 = (uint64_t)(uintptr_t)infop;
}

/**
 * iou_prep_futex_wait() - futex2 wait (IORING_OP_FUTEX_WAIT)
 * @sqe: the SQE
 * @futex: the futex word
 * @val: wait while *@futex == @val
 * @mask: wake bitmask (FUTEX_BITSET_MATCH_ANY: all ones)
 * @futex_flags: FUTEX2_SIZE_U32 | FUTEX2_PRIVATE ...
 * @flags: 0
 *
 * Return: nothing; the CQE holds 0 when woken, -EAGAIN if the value
 * differed.  Minimum kernel 6.7.
 */
IOU_INLINE void iou_prep_futex_wait(struct io_uring_sqe *sqe, uint32_t *futex,
				    uint64_t val, uint64_t mask,
				    unsigned futex_flags, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_FUTEX_WAIT, (int)futex_flags, futex, 0, val);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

/**
 * iou_prep_futex_wake() - futex2 wake (IORING_OP_FUTEX_WAKE)
 * @sqe: the SQE
 * @futex: the futex word
 * @nr: waiters to wake at most
 * @mask: wake bitmask
 * @futex_flags: FUTEX2_*
 * @flags: 0
 *
 * Return: nothing; the CQE holds the number woken.  Minimum kernel 6.7.
 */
IOU_INLINE void iou_prep_futex_wake(struct io_uring_sqe *sqe, uint32_t *futex,
				    uint64_t nr, uint64_t mask,
				    unsigned futex_flags, unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_FUTEX_WAKE, (int)futex_flags, futex, 0, nr);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

/**
 * iou_prep_futex_waitv() - wait on several futexes (IORING_OP_FUTEX_WAITV)
 * @sqe: the SQE
 * @futexv: the futexes
 * @nr: how many (at most 128)
 * @flags: 0
 *
 * Return: nothing; the CQE holds the index of the one woken.
 * Minimum kernel 6.7.
 */
IOU_INLINE void iou_prep_futex_waitv(struct io_uring_sqe *sqe,
				     struct futex_waitv *futexv, unsigned nr,
				     unsigned flags)
{
	iou_prep_rw(sqe, IORING_OP_FUTEX_WAITV, 0, futexv, nr, 0);
	sqe->futex_flags = flags;
}

IOU_EXTERN_C_END

#endif
