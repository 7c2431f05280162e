/* SPDX-License-Identifier: MIT */
/*
 * liburing's probes, register calls, version calls and raw system calls
 * on iou's ring layer (see liburing.c for how struct io_uring and iou's
 * view of the same ring are kept in step).  No libc needed.
 */
#include <liburing.h>

#include "../sys.h"
#include "../ring/internal.h"
#include "compat.h"

/*
 * Probes.  The probe is one page of our own: io_uring_free_probe() is
 * the only way to let it go.
 */
#define PROBE_OPS 256
#define PROBE_BYTES \
	(sizeof(struct io_uring_probe) + PROBE_OPS * sizeof(struct io_uring_probe_op))

struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring)
{
	struct io_uring_probe *p;
	void *mem;

	mem = iou__sys_mmap(0, PROBE_BYTES, IOU_PROT_READ | IOU_PROT_WRITE,
			    IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS, -1, 0);
	if (iou__is_err(mem))
		return NULL;
	p = mem;
	if (iou_register_probe(view(ring), p, PROBE_OPS) < 0) {
		iou__sys_munmap(mem, PROBE_BYTES);
		return NULL;
	}
	return p;
}

struct io_uring_probe *io_uring_get_probe(void)
{
	struct io_uring_probe *p;
	struct io_uring ring;

	if (io_uring_queue_init(2, &ring, 0))
		return NULL;
	p = io_uring_get_probe_ring(&ring);
	io_uring_queue_exit(&ring);
	return p;
}

void io_uring_free_probe(struct io_uring_probe *probe)
{
	if (probe)
		iou__sys_munmap(probe, PROBE_BYTES);
}

int io_uring_register_probe(struct io_uring *ring, struct io_uring_probe *p,
			    unsigned nr)
{
	return iou_register_probe(view(ring), p, nr);
}

/*
 * Register calls
 */

/*
 * liburing's tags are __u64 (unsigned long long), iou's uint64_t (unsigned
 * long on LP64): the same 64-bit words, which only the kernel reads.
 */
static const uint64_t *tags64(const __u64 *tags)
{
	return (const uint64_t *)(const void *)tags;
}
int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs,
			      unsigned nr_iovecs)
{
	return iou_register_buffers(view(ring), iovecs, nr_iovecs);
}

int io_uring_register_buffers_tags(struct io_uring *ring,
				   const struct iovec *iovecs,
				   const __u64 *tags, unsigned nr)
{
	return iou_register_buffers_tags(view(ring), iovecs, tags64(tags), nr);
}

int io_uring_register_buffers_sparse(struct io_uring *ring, unsigned nr)
{
	return iou_register_buffers_sparse(view(ring), nr);
}

int io_uring_register_buffers_update_tag(struct io_uring *ring,
					 unsigned off,
					 const struct iovec *iovecs,
					 const __u64 *tags, unsigned nr)
{
	return iou_register_buffers_update(view(ring), off, iovecs,
					   tags64(tags), nr);
}

int io_uring_unregister_buffers(struct io_uring *ring)
{
	return iou_unregister_buffers(view(ring));
}

/*
 * A file table larger than RLIMIT_NOFILE is refused (-EMFILE).  liburing
 * then raises the soft limit by the table's size (where the hard limit
 * allows it) and tries once more; so do these.
 */
static int more_files_allowed(unsigned nr)
{
	struct iou_rlimit lim;

	if (iou__sys_prlimit(0, IOU_RLIMIT_NOFILE, 0, &lim) < 0 ||
	    lim.cur >= nr)
		return 0;
	lim.cur += nr;
	return iou__sys_prlimit(0, IOU_RLIMIT_NOFILE, &lim, 0) == 0;
}

int io_uring_register_files(struct io_uring *ring, const int *files,
			    unsigned nr_files)
{
	int ret = iou_register_files(view(ring), files, nr_files);

	if (ret == -EMFILE && more_files_allowed(nr_files))
		ret = iou_register_files(view(ring), files, nr_files);
	return ret;
}

int io_uring_unregister_files(struct io_uring *ring)
{
	return iou_unregister_files(view(ring));
}

int io_uring_register_files_update(struct io_uring *ring, unsigned off,
				   const int *files, unsigned nr_files)
{
	return iou_register_files_update(view(ring), off, files, 0, nr_files);
}

int io_uring_register_files_tags(struct io_uring *ring, const int *files,
				 const __u64 *tags, unsigned nr)
{
	int ret = iou_register_files_tags(view(ring), files, tags64(tags), nr);

	if (ret == -EMFILE && more_files_allowed(nr))
		ret = iou_register_files_tags(view(ring), files, tags64(tags),
					      nr);
	return ret;
}

int io_uring_register_files_sparse(struct io_uring *ring, unsigned nr)
{
	int ret = iou_register_files_sparse(view(ring), nr);

	if (ret == -EMFILE && more_files_allowed(nr))
		ret = iou_register_files_sparse(view(ring), nr);
	return ret;
}

/*
 * With @tags NULL this is io_uring_register_files_update() (the form of
 * 5.5); with tags, IORING_REGISTER_FILES_UPDATE2.
 */
int io_uring_register_files_update_tag(struct io_uring *ring, unsigned off,
				       const int *files, const __u64 *tags,
				       unsigned nr_files)
{
	return iou_register_files_update(view(ring), off, files, tags64(tags),
					 nr_files);
}

int io_uring_register_file_alloc_range(struct io_uring *ring,
				       unsigned off, unsigned len)
{
	return iou_register_file_alloc_range(view(ring), off, len);
}

int io_uring_register_eventfd(struct io_uring *ring, int fd)
{
	return iou_register_eventfd(view(ring), fd);
}

int io_uring_register_eventfd_async(struct io_uring *ring, int fd)
{
	return iou_register_eventfd_async(view(ring), fd);
}

int io_uring_unregister_eventfd(struct io_uring *ring)
{
	return iou_unregister_eventfd(view(ring));
}

int io_uring_register_personality(struct io_uring *ring)
{
	return iou_register_personality(view(ring));
}

int io_uring_unregister_personality(struct io_uring *ring, int id)
{
	return iou_unregister_personality(view(ring), id);
}

/* liburing answers 1 (one fd registered) where iou answers 0. */
int io_uring_register_ring_fd(struct io_uring *ring)
{
	int ret = iou_register_ring_fd(view(ring));

	if (ret)
		return ret;
	iou__lu_fill(ring);
	return 1;
}

int io_uring_unregister_ring_fd(struct io_uring *ring)
{
	int ret = iou_unregister_ring_fd(view(ring));

	if (ret)
		return ret;
	iou__lu_fill(ring);
	return 1;
}

int io_uring_enable_rings(struct io_uring *ring)
{
	return iou_ring_enable(view(ring));
}

int io_uring_register_restrictions(struct io_uring *ring,
				   struct io_uring_restriction *res,
				   unsigned int nr_res)
{
	return iou_register_restrictions(view(ring), res, nr_res);
}

int io_uring_register_iowq_aff(struct io_uring *ring, size_t cpusz,
			       const cpu_set_t *mask)
{
	return iou_register_iowq_aff(view(ring), cpusz, mask);
}

int io_uring_unregister_iowq_aff(struct io_uring *ring)
{
	return iou_unregister_iowq_aff(view(ring));
}

int io_uring_register_iowq_max_workers(struct io_uring *ring,
				       unsigned int *values)
{
	return iou_register_iowq_max_workers(view(ring), values);
}

int io_uring_register_buf_ring(struct io_uring *ring,
			       struct io_uring_buf_reg *reg, unsigned int flags)
{
	/* 0 in liburing 2.3; later releases pass flags on like this. */
	reg->flags |= (__u16)flags;
	return iou_register_buf_ring(view(ring), reg);
}

int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid)
{
	return iou_unregister_buf_ring(view(ring), (unsigned)bgid);
}

int io_uring_register_sync_cancel(struct io_uring *ring,
				  struct io_uring_sync_cancel_reg *reg)
{
	return iou_register_sync_cancel(view(ring), reg);
}

/* liburing answers 1, and asks for IORING_FEAT_REG_REG_RING first. */
int io_uring_close_ring_fd(struct io_uring *ring)
{
	struct iou_ring *v = view(ring);
	int ret;

	if (!(v->features & IORING_FEAT_REG_REG_RING))
		return -EOPNOTSUPP;
	ret = iou_close_ring_fd(v);
	if (ret < 0)
		return ret;
	iou__lu_fill(ring);
	return 1;
}

struct io_uring_buf_ring *io_uring_setup_buf_ring(struct io_uring *ring,
						  unsigned int nentries,
						  int bgid, unsigned int flags,
						  int *err)
{
	return iou_setup_buf_ring(view(ring), nentries, (unsigned)bgid, flags,
				  err);
}

int io_uring_free_buf_ring(struct io_uring *ring, struct io_uring_buf_ring *br,
			   unsigned int nentries, int bgid)
{
	return iou_free_buf_ring(view(ring), br, nentries, (unsigned)bgid);
}

int io_uring_buf_ring_head(struct io_uring *ring, int buf_group,
			   uint16_t *head)
{
	return iou_buf_ring_head(view(ring), (unsigned)buf_group, head);
}

int io_uring_register_napi(struct io_uring *ring, struct io_uring_napi *napi)
{
	return iou_register_napi(view(ring), napi);
}

int io_uring_unregister_napi(struct io_uring *ring, struct io_uring_napi *napi)
{
	return iou_unregister_napi(view(ring), napi);
}

/*
 * Through iou's call, which keeps the clock for the timeouts iou itself
 * measures (the rest of a wait a signal cut short); the kernel reads
 * only the clock id of @arg.
 */
int io_uring_register_clock(struct io_uring *ring,
			    struct io_uring_clock_register *arg)
{
	if (!arg)
		return -EFAULT;
	return iou_register_clock(view(ring), (int)arg->clockid);
}

/*
 * The whole table: iou's clone names @src by its fd while it has one,
 * else by its registered index, whatever @flags says of that.
 */
int __io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src,
			     unsigned int flags)
{
	struct iou_ring *s = view(src);

	flags &= ~(unsigned)IORING_REGISTER_SRC_REGISTERED;
	return iou_clone_buffers(view(dst), s, flags);
}

int io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src)
{
	return __io_uring_clone_buffers(dst, src, 0);
}

/*
 * A range: iou has no call for it, so the argument is built here.  @src
 * goes by its registered index when @flags asks and it has one the
 * kernel takes for register calls (IORING_FEAT_REG_REG_RING), as in
 * liburing; else by its fd.
 */
int __io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src,
				    unsigned int dst_off, unsigned int src_off,
				    unsigned int nr, unsigned int flags)
{
	struct io_uring_clone_buffers arg;
	struct iou_ring *s = view(src);

	iou__memzero(&arg, sizeof(arg));
	if ((flags & IORING_REGISTER_SRC_REGISTERED) &&
	    (s->iflags & IOU_RING_REG_RING) &&
	    (s->features & IORING_FEAT_REG_REG_RING)) {
		arg.src_fd = (__u32)s->enter_fd;
	} else {
		if (s->ring_fd < 0)
			return -EBADF;
		arg.src_fd = (__u32)s->ring_fd;
		flags &= ~(unsigned)IORING_REGISTER_SRC_REGISTERED;
	}
	arg.flags = flags;
	arg.src_off = src_off;
	arg.dst_off = dst_off;
	arg.nr = nr;
	return iou_register(view(dst), IORING_REGISTER_CLONE_BUFFERS, &arg, 1);
}

int io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src,
				  unsigned int dst_off, unsigned int src_off,
				  unsigned int nr, unsigned int flags)
{
	return __io_uring_clone_buffers_offset(dst, src, dst_off, src_off, nr,
					       flags |
					       IORING_REGISTER_SRC_REGISTERED);
}

int io_uring_register_region(struct io_uring *ring,
			     struct io_uring_mem_region_reg *reg)
{
	return iou_register_mem_region(view(ring), reg);
}

int io_uring_register_wait_reg(struct io_uring *ring,
			       struct io_uring_reg_wait *reg, int nr)
{
	(void)ring;
	(void)reg;
	(void)nr;
	return -EINVAL;
}

int io_uring_register_ifq(struct io_uring *ring,
			  struct io_uring_zcrx_ifq_reg *reg)
{
	return iou_register_zcrx_ifq(view(ring), reg);
}

int io_uring_register_zcrx_ctrl(struct io_uring *ring, struct zcrx_ctrl *ctrl)
{
	return iou_register(view(ring), IORING_REGISTER_ZCRX_CTRL, ctrl, 0);
}

int io_uring_register_sync_msg(struct io_uring_sqe *sqe)
{
	return iou_register_send_msg_ring(sqe);
}

int io_uring_register_bpf_filter(struct io_uring *ring,
				 struct io_uring_bpf *bpf)
{
	return iou_register(view(ring), IORING_REGISTER_BPF_FILTER, bpf, 1);
}

/* With fd -1 the kernel applies the filter to the calling task. */
int io_uring_register_bpf_filter_task(struct io_uring_bpf *bpf)
{
	return iou__sys_io_uring_register(-1, IORING_REGISTER_BPF_FILTER, bpf,
					  1);
}

int io_uring_register_query(struct io_uring_query_hdr *query)
{
	return iou_register_query(NULL, query);
}

/*
 * Versions: those of the liburing release whose API the layer follows
 * (liburing/io_uring_version.h), as built into the library.
 */
int io_uring_major_version(void)
{
	return IO_URING_VERSION_MAJOR;
}

int io_uring_minor_version(void)
{
	return IO_URING_VERSION_MINOR;
}

bool io_uring_check_version(int major, int minor)
{
	return major > io_uring_major_version() ||
	       (major == io_uring_major_version() &&
		minor > io_uring_minor_version());
}

/*
 * The raw system calls
 */
int io_uring_setup(unsigned entries, struct io_uring_params *p)
{
	return iou__sys_io_uring_setup(entries, p);
}

int io_uring_enter2(unsigned fd, unsigned to_submit, unsigned min_complete,
		    unsigned flags, void *arg, size_t sz)
{
	return iou__sys_io_uring_enter((int)fd, to_submit, min_complete, flags,
				       arg, sz);
}

int io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete,
		   unsigned flags, sigset_t *sig)
{
	return io_uring_enter2(fd, to_submit, min_complete, flags, sig,
			       KSIGSET_SIZE);
}

int io_uring_register(unsigned fd, unsigned opcode, const void *arg,
		      unsigned nr_args)
{
	return iou__sys_io_uring_register((int)fd, opcode, arg, nr_args);
}
