/* SPDX-License-Identifier: MIT */
/*
 * liburing's API on iou's ring layer, for programs written against
 * liburing: they build unchanged with
 *
 *     cc prog.c $(pkg-config --cflags --libs iou-liburing)
 *
 * and run on iou (no liburing, and no libc needed by the layer itself).
 *
 * The structs carry liburing's field names (programs read ring_fd, flags,
 * features, *sq.khead, *cq.koverflow, cq.ring_entries, ...); the inline
 * functions below work on them directly, as liburing's do, and the calls
 * into the library keep iou's own view of the ring (the trailing private
 * member) in step with them.  struct io_uring is larger than liburing's:
 * the API is the same, the ABI is not.
 *
 * Written for iou from liburing's documented API (its man pages, its
 * public headers and symbol maps) and the kernel's io_uring documentation.
 *
 * Covered: the whole API of liburing 2.15.  Every function liburing
 * exports up to its LIBURING_2.15 symbol version (setup, teardown and
 * ring memory sizes, caller-memory rings, the SQ and CQ calls with
 * timeouts, batch timeouts and registered wait regions, probes, every
 * register call: files, buffers and their cloning, buffer rings, NAPI,
 * clock, resize, memory regions, zero-copy receive, BPF filters, sync
 * MSG_RING, query), every inline function and macro of its liburing.h
 * (every prep helper, the CQE iterator, io_uring_get_sqe128(), ...), and
 * its headers liburing/io_uring/query.h, liburing/io_uring/bpf_filter.h
 * and liburing/sanitize.h; with 2.15's signatures.  Where it differs:
 *
 *   - The ABI: struct io_uring is larger (see above), and liburing's
 *     int_flags bits keep their 2.3 to 2.5 values (2.15's for
 *     io_uring_set_iowait()).
 *   - The prep helpers write the whole SQE as 2.3's do, flags included:
 *     since 2.8 liburing clears those fields in io_uring_get_sqe() (this
 *     one does too) and its helpers leave them alone, so there a field
 *     set between the two survives; here it must be set after the prep
 *     call, the order liburing's man pages use.
 *   - io_uring_prep_fadvise() and io_uring_prep_madvise() keep 2.3's
 *     off_t length, which 2.15's __u32 callers convert to.
 *   - The kernel ABI is <iou/abi.h>'s (Linux 6.18) plus the later names
 *     liburing 2.15's io_uring.h carries (liburing/io_uring.h);
 *     two words keep iou's reserved names where 2.15 has named them
 *     (io_uring_buf_reg.min_left, io_uring_zcrx_ifq_reg.rx_buf_len),
 *     and IORING_OP_LAST stays 6.18's.
 *   - Waits use IORING_ENTER_EXT_ARG and never a timeout SQE, so a
 *     timeout on a kernel before 5.11 fails (-EOPNOTSUPP) where liburing
 *     would queue one.
 *   - io_uring_submit_and_wait() retries an enter a signal interrupted
 *     before the kernel took anything, and finishes a wait a signal cut
 *     short; liburing returns -EINTR, or the count with fewer CQEs ready.
 *   - IORING_SETUP_SQ_REWIND and IORING_SETUP_SQE_MIXED rings are driven
 *     as liburing drives them, but newer kernels than iou's test machines
 *     run are needed to see them work.
 */
#ifndef IOU_LIBURING_H
#define IOU_LIBURING_H

/* As liburing.h does: cpu_set_t (io_uring_register_iowq_aff()) needs it on musl. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <linux/filter.h>	/* struct sock_filter, for the BPF filters */
#include <linux/swab.h>

#include "liburing/compat.h"
#include "liburing/io_uring.h"
#include "liburing/io_uring/query.h"
#include "liburing/io_uring/bpf_filter.h"
#include "liburing/io_uring_version.h"
#include "liburing/barrier.h"
#include "liburing/sanitize.h"
#include <iou/prep.h>
#include <iou/register.h>
#include <iou/ring.h>


#ifndef uring_unlikely
#define uring_unlikely(cond) __builtin_expect(!!(cond), 0)
#endif
#ifndef uring_likely
#define uring_likely(cond) __builtin_expect(!!(cond), 1)
#endif

/*
 * The system call numbers, for C libraries whose headers predate them
 * (liburing.h supplies them too): 425..427 everywhere but alpha and MIPS.
 */
#ifndef __NR_io_uring_setup
#if defined(__alpha__)
#define __NR_io_uring_setup 535
#elif defined(__mips__)
#define __NR_io_uring_setup (__NR_Linux + 425)
#else
#define __NR_io_uring_setup 425
#endif
#endif
#ifndef __NR_io_uring_enter
#if defined(__alpha__)
#define __NR_io_uring_enter 536
#elif defined(__mips__)
#define __NR_io_uring_enter (__NR_Linux + 426)
#else
#define __NR_io_uring_enter 426
#endif
#endif
#ifndef __NR_io_uring_register
#if defined(__alpha__)
#define __NR_io_uring_register 537
#elif defined(__mips__)
#define __NR_io_uring_register (__NR_Linux + 427)
#else
#define __NR_io_uring_register 427
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct statx;
struct epoll_event;

struct io_uring_sq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;		/* use ring_mask */
	unsigned *kring_entries;	/* use ring_entries */
	unsigned *kflags;
	unsigned *kdropped;
	unsigned *array;
	struct io_uring_sqe *sqes;
	unsigned sqe_head;
	unsigned sqe_tail;
	size_t ring_sz;
	void *ring_ptr;
	unsigned ring_mask;
	unsigned ring_entries;
	unsigned sqes_sz;	/* bytes of the SQE array (liburing 2.15) */
	unsigned pad;
};

struct io_uring_cq {
	unsigned *khead;
	unsigned *ktail;
	unsigned *kring_mask;		/* use ring_mask */
	unsigned *kring_entries;	/* use ring_entries */
	unsigned *kflags;
	unsigned *koverflow;
	struct io_uring_cqe *cqes;
	size_t ring_sz;
	void *ring_ptr;
	unsigned ring_mask;
	unsigned ring_entries;
	unsigned pad[2];
};

struct io_uring {
	struct io_uring_sq sq;
	struct io_uring_cq cq;
	unsigned flags;
	int ring_fd;
	unsigned features;
	int enter_ring_fd;
	__u8 int_flags;
	__u8 pad[3];
	unsigned pad2;
	/* iou's state of the same ring: not part of the API. */
	struct iou_ring iou_private;
};

/*
 * A zero-copy receive refill queue, as a program maps it from the offsets
 * io_uring_register_ifq() returns: liburing declares the type, nothing in
 * the library uses it.
 */
struct io_uring_zcrx_rq {
	__u32 *khead;
	__u32 *ktail;
	__u32 rq_tail;
	unsigned ring_entries;
	struct io_uring_zcrx_rqe *rqes;
	void *ring_ptr;
};

/* A pointer as the 64-bit value SQE and register fields take. */
static inline __u64 uring_ptr_to_u64(const void *ptr)
{
	return (__u64)(uintptr_t)ptr;
}

/*
 * Setup and teardown
 */
int io_uring_queue_init(unsigned entries, struct io_uring *ring,
			unsigned flags);
int io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
			       struct io_uring_params *p);
void io_uring_queue_exit(struct io_uring *ring);
/*
 * Map a ring whose fd and params come from io_uring_setup() (this
 * process's or another's): @ring then works as after
 * io_uring_queue_init_params(), and io_uring_queue_exit() closes @fd.
 * The ring must have no SQEs published that the kernel has not consumed.
 */
int io_uring_queue_mmap(int fd, struct io_uring_params *p,
			struct io_uring *ring);
/* Keep the ring's memory out of fork() children (MADV_DONTFORK). */
int io_uring_ring_dontfork(struct io_uring *ring);
/*
 * RLIMIT_MEMLOCK bytes a ring of @entries would be charged: 0 on kernels
 * that account ring memory to the cgroup (IORING_FEAT_NATIVE_WORKERS, 5.12).
 */
ssize_t io_uring_mlock_size(unsigned entries, unsigned flags);
ssize_t io_uring_mlock_size_params(unsigned entries, struct io_uring_params *p);
/*
 * A ring in the caller's memory (IORING_SETUP_NO_MMAP, 6.5): @buf is
 * page aligned, zeroed, and stays mapped until io_uring_queue_exit().
 * Returns the bytes of @buf the ring uses (a whole number of pages, so
 * the next ring can start there), or -errno.
 */
int io_uring_queue_init_mem(unsigned entries, struct io_uring *ring,
			    struct io_uring_params *p, void *buf,
			    size_t buf_size);
/*
 * Bytes of memory a ring of @entries takes (SQEs, then the rings, each a
 * whole number of pages): what io_uring_queue_init_mem() needs.
 */
ssize_t io_uring_memory_size(unsigned entries, unsigned flags);
ssize_t io_uring_memory_size_params(unsigned entries,
				    struct io_uring_params *p);
/*
 * Grow or shrink the SQ and CQ of a live IORING_SETUP_DEFER_TASKRUN ring
 * (6.13): @p gives sq_entries, cq_entries (with IORING_SETUP_CQSIZE) and
 * IORING_SETUP_CLAMP; its flags are cleared afterwards.  Pending SQEs and
 * CQEs move along; CQE pointers from before the call are stale.
 */
int io_uring_resize_rings(struct io_uring *ring, struct io_uring_params *p);
/*
 * Let the kernel count the ring's waits as I/O wait (true, the default)
 * or not: -EOPNOTSUPP before IORING_FEAT_NO_IOWAIT (6.15).
 */
int io_uring_set_iowait(struct io_uring *ring, bool enable_iowait);

/*
 * Probes
 */
struct io_uring_probe *io_uring_get_probe_ring(struct io_uring *ring);
struct io_uring_probe *io_uring_get_probe(void);
void io_uring_free_probe(struct io_uring_probe *probe);

static inline int io_uring_opcode_supported(const struct io_uring_probe *p,
					    int op)
{
	if (op < 0 || op > p->last_op)
		return 0;
	return (p->ops[op].flags & IO_URING_OP_SUPPORTED) != 0;
}

/*
 * Submission and completion
 */
int io_uring_submit(struct io_uring *ring);
int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr);
int io_uring_submit_and_wait_timeout(struct io_uring *ring,
				     struct io_uring_cqe **cqe_ptr,
				     unsigned wait_nr,
				     struct __kernel_timespec *ts,
				     sigset_t *sigmask);
int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned wait_nr, struct __kernel_timespec *ts,
		       sigset_t *sigmask);
int io_uring_wait_cqe_timeout(struct io_uring *ring,
			      struct io_uring_cqe **cqe_ptr,
			      struct __kernel_timespec *ts);
unsigned io_uring_peek_batch_cqe(struct io_uring *ring,
				 struct io_uring_cqe **cqes, unsigned count);
/*
 * As io_uring_wait_cqes() and io_uring_submit_and_wait_timeout(), with a
 * batch timeout (IORING_FEAT_MIN_TIMEOUT, 6.12): wait up to
 * @min_wait_usec for @wait_nr CQEs, then return with whatever came, or,
 * if none did, go on waiting for the first until @ts runs out.  Without
 * the feature the submitting form says -EINVAL, and the other waits as
 * io_uring_wait_cqes() does.
 */
int io_uring_wait_cqes_min_timeout(struct io_uring *ring,
				   struct io_uring_cqe **cqe_ptr,
				   unsigned wait_nr,
				   struct __kernel_timespec *ts,
				   unsigned int min_wait_usec,
				   sigset_t *sigmask);
int io_uring_submit_and_wait_min_timeout(struct io_uring *ring,
					 struct io_uring_cqe **cqe_ptr,
					 unsigned wait_nr,
					 struct __kernel_timespec *ts,
					 unsigned min_wait_usec,
					 sigset_t *sigmask);
/*
 * Submit, then wait as slot @reg_index of the registered wait region
 * says (struct io_uring_reg_wait: timeout, batch timeout, signal mask;
 * see io_uring_register_region(), 6.13).  -EINVAL without
 * IORING_FEAT_EXT_ARG.
 */
int io_uring_submit_and_wait_reg(struct io_uring *ring,
				 struct io_uring_cqe **cqe_ptr,
				 unsigned wait_nr, int reg_index);
int io_uring_get_events(struct io_uring *ring);
/* io_uring_submit() and io_uring_get_events() in one enter. */
int io_uring_submit_and_get_events(struct io_uring *ring);
/* The slow path of io_uring_sqring_wait(). */
int __io_uring_sqring_wait(struct io_uring *ring);
/*
 * The slow path of io_uring_peek_cqe()/io_uring_wait_cqe_nr(): wait for
 * @wait_nr CQEs, submitting @submit first (liburing exports it too).
 */
int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask);

/*
 * Register calls
 */
int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs,
			      unsigned nr_iovecs);
int io_uring_register_buffers_tags(struct io_uring *ring,
				   const struct iovec *iovecs,
				   const __u64 *tags, unsigned nr);
int io_uring_register_buffers_sparse(struct io_uring *ring, unsigned nr);
int io_uring_register_buffers_update_tag(struct io_uring *ring,
					 unsigned off,
					 const struct iovec *iovecs,
					 const __u64 *tags, unsigned nr);
int io_uring_unregister_buffers(struct io_uring *ring);
int io_uring_register_files(struct io_uring *ring, const int *files,
			    unsigned nr_files);
int io_uring_register_files_tags(struct io_uring *ring, const int *files,
				 const __u64 *tags, unsigned nr);
int io_uring_register_files_sparse(struct io_uring *ring, unsigned nr);
int io_uring_register_files_update_tag(struct io_uring *ring, unsigned off,
				       const int *files, const __u64 *tags,
				       unsigned nr_files);
int io_uring_unregister_files(struct io_uring *ring);
int io_uring_register_files_update(struct io_uring *ring, unsigned off,
				   const int *files, unsigned nr_files);
int io_uring_register_file_alloc_range(struct io_uring *ring,
				       unsigned off, unsigned len);
int io_uring_register_eventfd(struct io_uring *ring, int fd);
int io_uring_register_eventfd_async(struct io_uring *ring, int fd);
int io_uring_unregister_eventfd(struct io_uring *ring);
int io_uring_register_probe(struct io_uring *ring, struct io_uring_probe *p,
			    unsigned nr);
int io_uring_register_personality(struct io_uring *ring);
int io_uring_unregister_personality(struct io_uring *ring, int id);
int io_uring_register_restrictions(struct io_uring *ring,
				   struct io_uring_restriction *res,
				   unsigned int nr_res);
int io_uring_register_iowq_aff(struct io_uring *ring, size_t cpusz,
			       const cpu_set_t *mask);
int io_uring_unregister_iowq_aff(struct io_uring *ring);
int io_uring_register_iowq_max_workers(struct io_uring *ring,
				       unsigned int *values);
int io_uring_register_ring_fd(struct io_uring *ring);
int io_uring_unregister_ring_fd(struct io_uring *ring);
int io_uring_enable_rings(struct io_uring *ring);
/* @flags goes to reg->flags (liburing 2.3: "currently unused, must be 0"). */
int io_uring_register_buf_ring(struct io_uring *ring,
			       struct io_uring_buf_reg *reg, unsigned int flags);
int io_uring_unregister_buf_ring(struct io_uring *ring, int bgid);
int io_uring_register_sync_cancel(struct io_uring *ring,
				  struct io_uring_sync_cancel_reg *reg);
/*
 * After io_uring_register_ring_fd(): close the ring's fd and go on by
 * its registered index.  1, or -EOPNOTSUPP (no IORING_FEAT_REG_REG_RING,
 * 6.3), -EINVAL (fd not registered), -EBADF (already closed).
 */
int io_uring_close_ring_fd(struct io_uring *ring);
/*
 * A buffer ring of @nentries (a power of two) mapped, initialised and
 * registered as group @bgid; @flags: IOU_PBUF_RING_MMAP (the kernel's
 * memory, 6.4), IOU_PBUF_RING_INC (6.12).  NULL with -errno in *@err.
 */
struct io_uring_buf_ring *io_uring_setup_buf_ring(struct io_uring *ring,
						  unsigned int nentries,
						  int bgid, unsigned int flags,
						  int *err);
/* Unregister and unmap a ring from io_uring_setup_buf_ring(). */
int io_uring_free_buf_ring(struct io_uring *ring, struct io_uring_buf_ring *br,
			   unsigned int nentries, int bgid);
/* The kernel's head of buffer group @buf_group (6.8). */
int io_uring_buf_ring_head(struct io_uring *ring, int buf_group,
			   uint16_t *head);
/* NAPI busy polling (6.9); *@napi gets the previous settings. */
int io_uring_register_napi(struct io_uring *ring, struct io_uring_napi *napi);
int io_uring_unregister_napi(struct io_uring *ring, struct io_uring_napi *napi);
/* The clock of the ring's wait timeouts (6.12). */
int io_uring_register_clock(struct io_uring *ring,
			    struct io_uring_clock_register *arg);
/*
 * Copy @src's registered buffers into @dst (6.12): all of them, or @nr
 * from @src_off into @dst_off (6.13).  The io_uring_ forms name @src by
 * its registered index when it has one; the __io_uring_ forms only when
 * @flags asks (IORING_REGISTER_SRC_REGISTERED).  IORING_REGISTER_DST_REPLACE
 * replaces a table @dst has.
 */
int io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src);
int __io_uring_clone_buffers(struct io_uring *dst, struct io_uring *src,
			     unsigned int flags);
int io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src,
				  unsigned int dst_off, unsigned int src_off,
				  unsigned int nr, unsigned int flags);
int __io_uring_clone_buffers_offset(struct io_uring *dst, struct io_uring *src,
				    unsigned int dst_off, unsigned int src_off,
				    unsigned int nr, unsigned int flags);
/* A memory region (6.13), e.g. the registered wait arguments. */
int io_uring_register_region(struct io_uring *ring,
			     struct io_uring_mem_region_reg *reg);
/*
 * liburing's answer is -EINVAL, always: the wait arguments are registered
 * as a region (io_uring_register_region(), IORING_MEM_REGION_REG_WAIT_ARG).
 */
int io_uring_register_wait_reg(struct io_uring *ring,
			       struct io_uring_reg_wait *reg, int nr);
/* A NIC receive queue for zero-copy receive (6.15), and its controls. */
int io_uring_register_ifq(struct io_uring *ring,
			  struct io_uring_zcrx_ifq_reg *reg);
int io_uring_register_zcrx_ctrl(struct io_uring *ring, struct zcrx_ctrl *ctrl);
/* Post the CQE of a MSG_RING @sqe to its target ring without a ring (6.13). */
int io_uring_register_sync_msg(struct io_uring_sqe *sqe);
/*
 * Classic BPF filters on requests (after 6.18): on @ring, or on the
 * rings the calling task creates from now on (inherited by its
 * children).  Either needs CAP_SYS_ADMIN or no_new_privs.
 */
int io_uring_register_bpf_filter(struct io_uring *ring,
				 struct io_uring_bpf *bpf);
int io_uring_register_bpf_filter_task(struct io_uring_bpf *bpf);
/* IORING_REGISTER_QUERY without a ring (6.18): a chain of queries. */
int io_uring_register_query(struct io_uring_query_hdr *query);

/*
 * Versions.  io_uring_check_version() and IO_URING_CHECK_VERSION() are
 * true when the library (run time) or header (build time) is OLDER than
 * @major.@minor, false when it is that release or newer: what liburing
 * does, and what io_uring_check_version(3) of current releases says
 * ("returns false if ... greater-than or equal-to"; the man page of 2.4
 * and 2.5 said the opposite).  They are not in liburing 2.3 (2.4 added
 * them); the version is that of liburing/io_uring_version.h.
 */
int io_uring_major_version(void);
int io_uring_minor_version(void);
bool io_uring_check_version(int major, int minor);

#define IO_URING_CHECK_VERSION(major, minor)                                   \
	((major) > IO_URING_VERSION_MAJOR ||                                   \
	 ((major) == IO_URING_VERSION_MAJOR &&                                 \
	  (minor) > IO_URING_VERSION_MINOR))

/* Raw system calls, as liburing exports them. */
int io_uring_setup(unsigned entries, struct io_uring_params *p);
int io_uring_enter(unsigned fd, unsigned to_submit, unsigned min_complete,
		   unsigned flags, sigset_t *sig);
/* @arg: a sigset_t, or with IORING_ENTER_EXT_ARG(_REG) what that takes. */
int io_uring_enter2(unsigned fd, unsigned to_submit, unsigned min_complete,
		    unsigned flags, void *arg, size_t sz);
int io_uring_register(unsigned fd, unsigned opcode, const void *arg,
		      unsigned nr_args);

/*
 * The user_data liburing gives the timeout SQEs of its own waits on
 * kernels without IORING_FEAT_EXT_ARG; __io_uring_peek_cqe() skips their
 * CQEs there.  (This layer waits with EXT_ARG only and posts none.)
 */
#define LIBURING_UDATA_TIMEOUT ((__u64)-1)

/* 1 for 32-byte CQEs (IORING_SETUP_CQE32): a CQE index is doubled. */
static inline unsigned io_uring_cqe_shift_from_flags(unsigned flags)
{
	return !!(flags & IORING_SETUP_CQE32);
}

static inline unsigned io_uring_cqe_shift(const struct io_uring *ring)
{
	return io_uring_cqe_shift_from_flags(ring->flags);
}

#define io_uring_cqe_index(ring, ptr, mask) \
	(((ptr) & (mask)) << io_uring_cqe_shift(ring))

/*
 * CQ slots @cqe takes: 2 for a 32-byte CQE of an IORING_SETUP_CQE_MIXED
 * ring (IORING_CQE_F_32), else 1.
 */
static inline unsigned io_uring_cqe_nr(const struct io_uring_cqe *cqe)
{
	return 1U << !!(cqe->flags & IORING_CQE_F_32);
}

/*
 * A walk over the CQEs ready when it starts (the tail is read once).  On
 * a CQE_MIXED ring the fillers (IORING_CQE_F_SKIP) are handed out too:
 * give each CQE back with io_uring_cqe_seen(), which steps over as many
 * slots as it takes.
 */
struct io_uring_cqe_iter {
	struct io_uring_cqe *cqes;
	unsigned mask;
	unsigned shift;
	unsigned head;
	unsigned tail;
};

static inline struct io_uring_cqe_iter
io_uring_cqe_iter_init(const struct io_uring *ring)
{
	struct io_uring_cqe_iter it;

	it.cqes = ring->cq.cqes;
	it.mask = ring->cq.ring_mask;
	it.shift = io_uring_cqe_shift(ring);
	it.head = *ring->cq.khead;
	/* Pairs with the kernel's release of the tail. */
	it.tail = io_uring_smp_load_acquire(ring->cq.ktail);
	return it;
}

static inline bool io_uring_cqe_iter_next(struct io_uring_cqe_iter *it,
					  struct io_uring_cqe **cqe)
{
	if (it->head == it->tail)
		return false;
	*cqe = &it->cqes[(it->head & it->mask) << it->shift];
	it->head += io_uring_cqe_nr(*cqe);
	return true;
}

/*
 * Every CQE ready when the walk starts, @head set to each one's index;
 * io_uring_cq_advance() or io_uring_cqe_seen() gives them back.
 */
#define io_uring_for_each_cqe(ring, head, cqe)                                 \
	for (struct io_uring_cqe_iter io_uring_iter_ =                         \
		     io_uring_cqe_iter_init(ring);                             \
	     (head) = io_uring_iter_.head,                                     \
	     io_uring_cqe_iter_next(&io_uring_iter_, &(cqe));                  \
	     (void)(head))

static inline void io_uring_cq_advance(struct io_uring *ring, unsigned nr)
{
	if (nr)
		/* The CQEs must be read before the kernel may reuse them. */
		io_uring_smp_store_release(ring->cq.khead,
					   *ring->cq.khead + nr);
}

static inline void io_uring_cqe_seen(struct io_uring *ring,
				     struct io_uring_cqe *cqe)
{
	if (cqe)
		io_uring_cq_advance(ring, io_uring_cqe_nr(cqe));
}

static inline unsigned io_uring_cq_ready(const struct io_uring *ring)
{
	return io_uring_smp_load_acquire(ring->cq.ktail) - *ring->cq.khead;
}

static inline bool io_uring_cq_has_overflow(const struct io_uring *ring)
{
	return (IO_URING_READ_ONCE(*ring->sq.kflags) &
		IORING_SQ_CQ_OVERFLOW) != 0;
}

static inline bool io_uring_cq_eventfd_enabled(const struct io_uring *ring)
{
	if (!ring->cq.kflags)
		return true;
	return !(*ring->cq.kflags & IORING_CQ_EVENTFD_DISABLED);
}

/*
 * Turn eventfd notification on or off: 0, or -EOPNOTSUPP when the kernel
 * has no CQ flags word (before 5.8) and a change is asked for.
 */
static inline int io_uring_cq_eventfd_toggle(struct io_uring *ring,
					     bool enabled)
{
	unsigned flags;

	if (enabled == io_uring_cq_eventfd_enabled(ring))
		return 0;
	if (!ring->cq.kflags)
		return -EOPNOTSUPP;
	flags = IO_URING_READ_ONCE(*ring->cq.kflags);
	if (enabled)
		flags &= ~IORING_CQ_EVENTFD_DISABLED;
	else
		flags |= IORING_CQ_EVENTFD_DISABLED;
	IO_URING_WRITE_ONCE(*ring->cq.kflags, flags);
	return 0;
}

/*
 * The kernel's SQ head: with SQPOLL its thread moves it concurrently, and
 * an SQE may be reused only once the kernel is done reading it.
 */
static inline unsigned io_uring_load_sq_head(const struct io_uring *ring)
{
	if (ring->flags & IORING_SETUP_SQPOLL)
		return io_uring_smp_load_acquire(ring->sq.khead);
	return *ring->sq.khead;
}

static inline unsigned io_uring_sq_ready(const struct io_uring *ring)
{
	return ring->sq.sqe_tail - io_uring_load_sq_head(ring);
}

static inline unsigned io_uring_sq_space_left(const struct io_uring *ring)
{
	return ring->sq.ring_entries - io_uring_sq_ready(ring);
}

/*
 * With SQPOLL, wait until the poll thread has made room in a full SQ.
 * Returns 0 at once without SQPOLL or with room left (as liburing does),
 * else 0 once there is room, or -errno.
 */
static inline int io_uring_sqring_wait(struct io_uring *ring)
{
	if (!(ring->flags & IORING_SETUP_SQPOLL))
		return 0;
	if (io_uring_sq_space_left(ring))
		return 0;
	return __io_uring_sqring_wait(ring);
}

/* 1 for 128-byte SQEs (IORING_SETUP_SQE128): an SQE index is doubled. */
static inline unsigned io_uring_sqe_shift_from_flags(unsigned flags)
{
	return !!(flags & IORING_SETUP_SQE128);
}

static inline unsigned io_uring_sqe_shift(const struct io_uring *ring)
{
	return io_uring_sqe_shift_from_flags(ring->flags);
}

/*
 * Clear what an SQE carries besides its opcode, fd, addresses, length and
 * user_data: flags, ioprio, the per-opcode flags, buffer index,
 * personality, file index and addr3.  io_uring_get_sqe() does it, as
 * liburing's does since 2.8; the prep helpers here write all of that
 * again anyway (liburing 2.3's way), so flags set before a prep call are
 * lost either way: set them after it.
 */
static inline void io_uring_initialize_sqe(struct io_uring_sqe *sqe)
{
	sqe->flags = 0;
	sqe->ioprio = 0;
	sqe->rw_flags = 0;
	sqe->buf_index = 0;
	sqe->personality = 0;
	sqe->file_index = 0;
	sqe->addr3 = 0;
	sqe->__pad2[0] = 0;
}

/* The next free SQE, initialised, or NULL when the SQ is full. */
static inline struct io_uring_sqe *_io_uring_get_sqe(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned head = io_uring_smp_load_acquire(sq->khead);
	unsigned tail = sq->sqe_tail;
	struct io_uring_sqe *sqe;

	if (tail - head >= sq->ring_entries)
		return NULL;
	sqe = &sq->sqes[(tail & sq->ring_mask) << io_uring_sqe_shift(ring)];
	sq->sqe_tail = tail + 1;
	io_uring_initialize_sqe(sqe);
	return sqe;
}

static inline struct io_uring_sqe *io_uring_get_sqe(struct io_uring *ring)
{
	return _io_uring_get_sqe(ring);
}

static inline void io_uring_prep_nop(struct io_uring_sqe *sqe);

/*
 * A 128-byte SQE, or NULL when the SQ has no room for one.  On an
 * IORING_SETUP_SQE128 ring that is any SQE; on an IORING_SETUP_SQE_MIXED
 * ring (after 6.18) two adjacent slots, which a 128-byte opcode must then
 * fill (IORING_OP_NOP128, IORING_OP_URING_CMD128): when only the last
 * slot before the wrap is left, it gets a NOP whose CQE is skipped, and
 * the big SQE starts over at slot 0.  Other rings: NULL.
 */
static inline struct io_uring_sqe *io_uring_get_sqe128(struct io_uring *ring)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned head = io_uring_load_sq_head(ring);
	unsigned tail = sq->sqe_tail;
	struct io_uring_sqe *sqe;

	if (ring->flags & IORING_SETUP_SQE128)
		return io_uring_get_sqe(ring);
	if (!(ring->flags & IORING_SETUP_SQE_MIXED))
		return NULL;
	if (((tail + 1) & sq->ring_mask) == 0) {
		/* The filler, then two slots from the start of the ring. */
		if ((tail + 2) - head >= sq->ring_entries)
			return NULL;
		sqe = _io_uring_get_sqe(ring);
		io_uring_prep_nop(sqe);
		sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
		sqe->user_data = 0;
		tail = sq->sqe_tail;
	} else if ((tail + 1) - head >= sq->ring_entries) {
		return NULL;
	}
	sqe = &sq->sqes[tail & sq->ring_mask];
	sq->sqe_tail = tail + 2;
	io_uring_initialize_sqe(sqe);
	return sqe;
}

/*
 * A CQE the caller never sees: a filler of a CQE_MIXED ring
 * (IORING_CQE_F_SKIP), or on kernels without IORING_FEAT_EXT_ARG one of
 * liburing's own wait timeouts (LIBURING_UDATA_TIMEOUT; a failed one
 * leaves its error in *@err).  Such a CQE is consumed; true means look
 * at the next one.
 */
static inline bool io_uring_skip_cqe(struct io_uring *ring,
				     struct io_uring_cqe *cqe, int *err)
{
	if (!(cqe->flags & IORING_CQE_F_SKIP)) {
		if ((ring->features & IORING_FEAT_EXT_ARG) ||
		    cqe->user_data != LIBURING_UDATA_TIMEOUT)
			return false;
		if (cqe->res < 0)
			*err = cqe->res;
	}
	io_uring_cq_advance(ring, io_uring_cqe_nr(cqe));
	return !*err;
}

/*
 * The CQE at the head, without waiting or entering: *@cqe_ptr gets it, or
 * NULL when there is none; *@nr_available (may be NULL) the slots ready.
 * CQEs io_uring_skip_cqe() skips are consumed on the way, and a failed
 * wait timeout is returned as the error.  Returns 0 or that -errno.
 */
static inline int __io_uring_peek_cqe(struct io_uring *ring,
				      struct io_uring_cqe **cqe_ptr,
				      unsigned *nr_available)
{
	struct io_uring_cqe *cqe;
	unsigned head, avail;
	int err = 0;

	for (;;) {
		/* Pairs with the kernel's release of the tail. */
		avail = io_uring_smp_load_acquire(ring->cq.ktail);
		head = *ring->cq.khead;
		avail -= head;
		cqe = NULL;
		if (!avail)
			break;
		cqe = &ring->cq.cqes[io_uring_cqe_index(ring, head,
						       ring->cq.ring_mask)];
		if (!io_uring_skip_cqe(ring, cqe, &err)) {
			if (err)
				cqe = NULL;
			break;
		}
	}
	*cqe_ptr = cqe;
	if (nr_available)
		*nr_available = avail;
	return err;
}

static inline int io_uring_wait_cqe_nr(struct io_uring *ring,
				       struct io_uring_cqe **cqe_ptr,
				       unsigned wait_nr)
{
	return __io_uring_get_cqe(ring, cqe_ptr, 0, wait_nr, NULL);
}

/*
 * The next CQE without waiting: 0, or -EAGAIN when there is none.  The
 * kernel is entered only when it may hold CQEs back (IOPOLL, overflow,
 * pending task work).
 */
static inline int io_uring_peek_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	if (!__io_uring_peek_cqe(ring, cqe_ptr, NULL)) {
		if (*cqe_ptr)
			return 0;
		if (!(ring->flags & IORING_SETUP_IOPOLL) &&
		    !(IO_URING_READ_ONCE(*ring->sq.kflags) &
		      (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)))
			return -EAGAIN;
	}
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 0);
}

static inline int io_uring_wait_cqe(struct io_uring *ring,
				    struct io_uring_cqe **cqe_ptr)
{
	if (!__io_uring_peek_cqe(ring, cqe_ptr, NULL) && *cqe_ptr)
		return 0;
	return io_uring_wait_cqe_nr(ring, cqe_ptr, 1);
}

/*
 * SQE and CQE fields
 */
static inline void io_uring_sqe_set_data(struct io_uring_sqe *sqe, void *data)
{
	sqe->user_data = (__u64)(uintptr_t)data;
}

static inline void *io_uring_cqe_get_data(const struct io_uring_cqe *cqe)
{
	return (void *)(uintptr_t)cqe->user_data;
}

static inline void io_uring_sqe_set_data64(struct io_uring_sqe *sqe,
					   __u64 data)
{
	sqe->user_data = data;
}

static inline __u64 io_uring_cqe_get_data64(const struct io_uring_cqe *cqe)
{
	return cqe->user_data;
}

/* The 64-bit forms above exist (liburing's feature macro). */
#define LIBURING_HAVE_DATA64

static inline void io_uring_sqe_set_flags(struct io_uring_sqe *sqe,
					  unsigned flags)
{
	sqe->flags = (__u8)flags;
}

static inline void io_uring_sqe_set_buf_group(struct io_uring_sqe *sqe,
					      int bgid)
{
	sqe->buf_group = (__u16)bgid;
}

/*
 * Make an fd-creating SQE fill fixed-file slot @file_index: the kernel
 * reads slot + 1 (0 means none), so IORING_FILE_INDEX_ALLOC - 1 gives
 * IORING_FILE_INDEX_ALLOC.  The *_direct helpers below take
 * IORING_FILE_INDEX_ALLOC itself, as their man pages say.
 */
static inline void __io_uring_set_target_fixed_file(struct io_uring_sqe *sqe,
						    unsigned int file_index)
{
	sqe->file_index = file_index + 1;
}

/*
 * Provided-buffer rings (registered with io_uring_register_buf_ring())
 */
static inline int io_uring_buf_ring_mask(__u32 ring_entries)
{
	return (int)iou_buf_ring_mask(ring_entries);
}

static inline void io_uring_buf_ring_init(struct io_uring_buf_ring *br)
{
	iou_buf_ring_init(br);
}

/* Stage a buffer at tail + @buf_offset; io_uring_buf_ring_advance() publishes. */
static inline void io_uring_buf_ring_add(struct io_uring_buf_ring *br,
					 void *addr, unsigned int len,
					 unsigned short bid, int mask,
					 int buf_offset)
{
	iou_buf_ring_add(br, addr, len, bid, (unsigned)mask,
			 (unsigned)buf_offset);
}

/* Publish @count staged buffers to the kernel. */
static inline void io_uring_buf_ring_advance(struct io_uring_buf_ring *br,
					     int count)
{
	iou_buf_ring_advance(br, (unsigned)count);
}

/*
 * Publish @count buffers and give @count CQEs back, for a loop that
 * recycles each buffer as it reaps its CQE.
 */
static inline void io_uring_buf_ring_cq_advance(struct io_uring *ring,
						struct io_uring_buf_ring *br,
						int count)
{
	iou_buf_ring_advance(br, (unsigned)count);
	io_uring_cq_advance(ring, (unsigned)count);
}

/* The same with different counts: @buf_count buffers, @cq_count CQEs. */
static inline void __io_uring_buf_ring_cq_advance(struct io_uring *ring,
						  struct io_uring_buf_ring *br,
						  int cq_count, int buf_count)
{
	iou_buf_ring_advance(br, (unsigned)buf_count);
	io_uring_cq_advance(ring, (unsigned)cq_count);
}

/*
 * Buffers of group @bgid the kernel has not taken yet: the published
 * tail less the kernel's head (IORING_REGISTER_PBUF_STATUS, 6.8), or
 * -errno.
 */
static inline int io_uring_buf_ring_available(struct io_uring *ring,
					      struct io_uring_buf_ring *br,
					      unsigned short bgid)
{
	uint16_t head;
	int ret = io_uring_buf_ring_head(ring, bgid, &head);

	if (ret)
		return ret;
	return (uint16_t)(br->tail - head);
}

/*
 * The buffer of a multishot recvmsg CQE: a struct io_uring_recvmsg_out,
 * then the name (msg_namelen bytes of the msghdr given to the prep
 * helper), the control data (msg_controllen bytes), then the payload.
 */

/* @buf as the header, or NULL when @buf_len cannot even hold the head parts. */
static inline struct io_uring_recvmsg_out *
io_uring_recvmsg_validate(void *buf, int buf_len, struct msghdr *msgh)
{
	size_t room = (size_t)(unsigned)buf_len;

	/* Each part against what is left, so no sum can wrap. */
	if (buf_len < 0 || room < sizeof(struct io_uring_recvmsg_out))
		return NULL;
	room -= sizeof(struct io_uring_recvmsg_out);
	if (msgh->msg_namelen > room)
		return NULL;
	room -= msgh->msg_namelen;
	if (msgh->msg_controllen > room)
		return NULL;
	return (struct io_uring_recvmsg_out *)buf;
}

static inline void *io_uring_recvmsg_name(struct io_uring_recvmsg_out *o)
{
	return (void *)(o + 1);
}

/* The first control message, or NULL when the kernel stored none whole. */
static inline struct cmsghdr *
io_uring_recvmsg_cmsg_firsthdr(struct io_uring_recvmsg_out *o,
			       struct msghdr *msgh)
{
	if (o->controllen < sizeof(struct cmsghdr))
		return NULL;
	return (struct cmsghdr *)((unsigned char *)io_uring_recvmsg_name(o) +
				  msgh->msg_namelen);
}

/* The control message after @cmsg, or NULL past the last whole one. */
static inline struct cmsghdr *
io_uring_recvmsg_cmsg_nexthdr(struct io_uring_recvmsg_out *o,
			      struct msghdr *msgh, struct cmsghdr *cmsg)
{
	unsigned char *end, *next;

	if (cmsg->cmsg_len < sizeof(struct cmsghdr))
		return NULL;
	end = (unsigned char *)io_uring_recvmsg_cmsg_firsthdr(o, msgh) +
	      o->controllen;
	next = (unsigned char *)cmsg + CMSG_ALIGN(cmsg->cmsg_len);
	/* Its header, then all it claims, must lie before the end. */
	if (next + sizeof(struct cmsghdr) > end)
		return NULL;
	if (next + CMSG_ALIGN(((struct cmsghdr *)next)->cmsg_len) > end)
		return NULL;
	return (struct cmsghdr *)next;
}

static inline void *io_uring_recvmsg_payload(struct io_uring_recvmsg_out *o,
					     struct msghdr *msgh)
{
	return (unsigned char *)io_uring_recvmsg_name(o) + msgh->msg_namelen +
	       msgh->msg_controllen;
}

/* Payload bytes in a buffer whose CQE said @buf_len (0 if none fit). */
static inline unsigned int
io_uring_recvmsg_payload_length(struct io_uring_recvmsg_out *o, int buf_len,
				struct msghdr *msgh)
{
	uintptr_t start = (uintptr_t)io_uring_recvmsg_payload(o, msgh);
	uintptr_t end = (uintptr_t)o + (uintptr_t)(unsigned)buf_len;

	if (buf_len < 0 || start >= end)
		return 0;
	return (unsigned int)(end - start);
}

/*
 * Prep helpers.  Each writes the whole SQE as liburing's do: its flags
 * byte too (0), but not user_data.  Most are iou's own (<iou/prep.h>,
 * which leaves the flags byte alone) followed by that store; where iou's
 * bytes differ from liburing 2.3's, liburing's are written (checked byte
 * for byte against the real liburing.h by test_compat_prep_bytes).
 */
static inline void io_uring_prep_rw(int op, struct io_uring_sqe *sqe, int fd,
				    const void *addr, unsigned len,
				    __u64 offset)
{
	iou_prep_rw(sqe, (unsigned)op, fd, addr, len, offset);
	sqe->flags = 0;
}

static inline void io_uring_prep_nop(struct io_uring_sqe *sqe)
{
	io_uring_prep_rw(IORING_OP_NOP, sqe, -1, NULL, 0, 0);
}

static inline void io_uring_prep_read(struct io_uring_sqe *sqe, int fd,
				      void *buf, unsigned nbytes, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_READ, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_write(struct io_uring_sqe *sqe, int fd,
				       const void *buf, unsigned nbytes,
				       __u64 offset)
{
	io_uring_prep_rw(IORING_OP_WRITE, sqe, fd, buf, nbytes, offset);
}

static inline void io_uring_prep_readv(struct io_uring_sqe *sqe, int fd,
				       const struct iovec *iovecs,
				       unsigned nr_vecs, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_READV, sqe, fd, iovecs, nr_vecs, offset);
}

static inline void io_uring_prep_readv2(struct io_uring_sqe *sqe, int fd,
					const struct iovec *iovecs,
					unsigned nr_vecs, __u64 offset,
					int flags)
{
	io_uring_prep_readv(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

static inline void io_uring_prep_writev(struct io_uring_sqe *sqe, int fd,
					const struct iovec *iovecs,
					unsigned nr_vecs, __u64 offset)
{
	io_uring_prep_rw(IORING_OP_WRITEV, sqe, fd, iovecs, nr_vecs, offset);
}

static inline void io_uring_prep_writev2(struct io_uring_sqe *sqe, int fd,
					 const struct iovec *iovecs,
					 unsigned nr_vecs, __u64 offset,
					 int flags)
{
	io_uring_prep_writev(sqe, fd, iovecs, nr_vecs, offset);
	sqe->rw_flags = flags;
}

static inline void io_uring_prep_read_fixed(struct io_uring_sqe *sqe, int fd,
					    void *buf, unsigned nbytes,
					    __u64 offset, int buf_index)
{
	io_uring_prep_rw(IORING_OP_READ_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (__u16)buf_index;
}

static inline void io_uring_prep_write_fixed(struct io_uring_sqe *sqe, int fd,
					     const void *buf, unsigned nbytes,
					     __u64 offset, int buf_index)
{
	io_uring_prep_rw(IORING_OP_WRITE_FIXED, sqe, fd, buf, nbytes, offset);
	sqe->buf_index = (__u16)buf_index;
}

static inline void io_uring_prep_fsync(struct io_uring_sqe *sqe, int fd,
				       unsigned fsync_flags)
{
	io_uring_prep_rw(IORING_OP_FSYNC, sqe, fd, NULL, 0, 0);
	sqe->fsync_flags = fsync_flags;
}

/* A poll mask as poll32_events holds it: halfwords swapped on big endian. */
static inline unsigned __io_uring_prep_poll_mask(unsigned poll_mask)
{
	return iou__poll_mask(poll_mask);
}

static inline void io_uring_prep_poll_add(struct io_uring_sqe *sqe, int fd,
					  unsigned poll_mask)
{
	io_uring_prep_rw(IORING_OP_POLL_ADD, sqe, fd, NULL, 0, 0);
	sqe->poll32_events = __io_uring_prep_poll_mask(poll_mask);
}

static inline void io_uring_prep_poll_multishot(struct io_uring_sqe *sqe,
						int fd, unsigned poll_mask)
{
	io_uring_prep_poll_add(sqe, fd, poll_mask);
	sqe->len = IORING_POLL_ADD_MULTI;
}

static inline void io_uring_prep_poll_remove(struct io_uring_sqe *sqe,
					     __u64 user_data)
{
	io_uring_prep_rw(IORING_OP_POLL_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
}

static inline void io_uring_prep_poll_update(struct io_uring_sqe *sqe,
					     __u64 old_user_data,
					     __u64 new_user_data,
					     unsigned poll_mask, unsigned flags)
{
	iou_prep_poll_update(sqe, old_user_data, new_user_data, poll_mask,
			     flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_timeout(struct io_uring_sqe *sqe,
					 const struct __kernel_timespec *ts,
					 unsigned count, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT, sqe, -1, ts, 1, count);
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_timeout_remove(struct io_uring_sqe *sqe,
						__u64 user_data,
						unsigned flags)
{
	io_uring_prep_rw(IORING_OP_TIMEOUT_REMOVE, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->timeout_flags = flags;
}

/*
 * IORING_TIMEOUT_UPDATE always goes with @flags, IORING_LINK_TIMEOUT_UPDATE
 * too (iou_prep_timeout_update() leaves it out there): the kernel updates
 * only with it set, and otherwise removes (io_timeout_remove()).
 */
static inline void
io_uring_prep_timeout_update(struct io_uring_sqe *sqe,
			     const struct __kernel_timespec *ts,
			     __u64 user_data, unsigned flags)
{
	iou_prep_timeout_update(sqe,
				(const struct iou_timespec *)(const void *)ts,
				user_data, flags);
	sqe->timeout_flags = flags | IORING_TIMEOUT_UPDATE;
	sqe->flags = 0;
}

static inline void
io_uring_prep_link_timeout(struct io_uring_sqe *sqe,
			   const struct __kernel_timespec *ts, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_LINK_TIMEOUT, sqe, -1, ts, 1, 0);
	sqe->timeout_flags = flags;
}

static inline void io_uring_prep_accept(struct io_uring_sqe *sqe, int fd,
					struct sockaddr *addr,
					socklen_t *addrlen, int flags)
{
	io_uring_prep_rw(IORING_OP_ACCEPT, sqe, fd, addr, 0,
			 (__u64)(uintptr_t)addrlen);
	sqe->accept_flags = (__u32)flags;
}

/*
 * @file_index: a slot, or IORING_FILE_INDEX_ALLOC for any free one (the
 * slot is then the CQE's res), as io_uring_prep_accept_direct(3) says.
 * (liburing 2.3's code turns ALLOC into 0, a plain accept.)
 */
static inline void io_uring_prep_accept_direct(struct io_uring_sqe *sqe,
					       int fd, struct sockaddr *addr,
					       socklen_t *addrlen, int flags,
					       unsigned int file_index)
{
	iou_prep_accept_direct(sqe, fd, addr, addrlen, flags, file_index);
	sqe->flags = 0;
}

static inline void io_uring_prep_multishot_accept(struct io_uring_sqe *sqe,
						  int fd, struct sockaddr *addr,
						  socklen_t *addrlen, int flags)
{
	iou_prep_multishot_accept(sqe, fd, addr, addrlen, flags);
	sqe->flags = 0;
}

static inline void
io_uring_prep_multishot_accept_direct(struct io_uring_sqe *sqe, int fd,
				      struct sockaddr *addr,
				      socklen_t *addrlen, int flags)
{
	iou_prep_multishot_accept_direct(sqe, fd, addr, addrlen, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_connect(struct io_uring_sqe *sqe, int fd,
					 const struct sockaddr *addr,
					 socklen_t addrlen)
{
	io_uring_prep_rw(IORING_OP_CONNECT, sqe, fd, addr, 0, addrlen);
}

static inline void io_uring_prep_recv(struct io_uring_sqe *sqe, int sockfd,
				      void *buf, size_t len, int flags)
{
	io_uring_prep_rw(IORING_OP_RECV, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
}

/* Receive until cancelled; each CQE takes a provided buffer (@buf NULL). */
static inline void io_uring_prep_recv_multishot(struct io_uring_sqe *sqe,
						int sockfd, void *buf,
						size_t len, int flags)
{
	io_uring_prep_recv(sqe, sockfd, buf, len, flags);
	sqe->ioprio |= IORING_RECV_MULTISHOT;
}

static inline void io_uring_prep_send(struct io_uring_sqe *sqe, int sockfd,
				      const void *buf, size_t len, int flags)
{
	io_uring_prep_rw(IORING_OP_SEND, sqe, sockfd, buf, (__u32)len, 0);
	sqe->msg_flags = (__u32)flags;
}

/*
 * A destination for a send or send_zc SQE (sendto(2)); goes after the
 * prep call and changes nothing else.
 */
static inline void io_uring_prep_send_set_addr(struct io_uring_sqe *sqe,
					       const struct sockaddr *dest_addr,
					       __u16 addr_len)
{
	sqe->addr2 = (__u64)(uintptr_t)dest_addr;
	sqe->addr_len = addr_len;
}

static inline void io_uring_prep_send_zc(struct io_uring_sqe *sqe, int sockfd,
					 const void *buf, size_t len, int flags,
					 unsigned zc_flags)
{
	iou_prep_send_zc(sqe, sockfd, buf, len, flags, zc_flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_send_zc_fixed(struct io_uring_sqe *sqe,
					       int sockfd, const void *buf,
					       size_t len, int flags,
					       unsigned zc_flags,
					       unsigned buf_index)
{
	iou_prep_send_zc_fixed(sqe, sockfd, buf, len, flags, zc_flags,
			       buf_index);
	sqe->flags = 0;
}

static inline void io_uring_prep_recvmsg(struct io_uring_sqe *sqe, int fd,
					 struct msghdr *msg, unsigned flags)
{
	io_uring_prep_rw(IORING_OP_RECVMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

static inline void io_uring_prep_recvmsg_multishot(struct io_uring_sqe *sqe,
						   int fd, struct msghdr *msg,
						   unsigned flags)
{
	iou_prep_recvmsg_multishot(sqe, fd, msg, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_sendmsg(struct io_uring_sqe *sqe, int fd,
					 const struct msghdr *msg,
					 unsigned flags)
{
	io_uring_prep_rw(IORING_OP_SENDMSG, sqe, fd, msg, 1, 0);
	sqe->msg_flags = flags;
}

static inline void io_uring_prep_sendmsg_zc(struct io_uring_sqe *sqe, int fd,
					    const struct msghdr *msg,
					    unsigned flags)
{
	iou_prep_sendmsg_zc(sqe, fd, msg, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_close(struct io_uring_sqe *sqe, int fd)
{
	io_uring_prep_rw(IORING_OP_CLOSE, sqe, fd, NULL, 0, 0);
}

/* Empty fixed-file slot @file_index. */
static inline void io_uring_prep_close_direct(struct io_uring_sqe *sqe,
					      unsigned file_index)
{
	iou_prep_close_direct(sqe, file_index);
	sqe->flags = 0;
}

static inline void io_uring_prep_openat(struct io_uring_sqe *sqe, int dfd,
					const char *path, int flags,
					mode_t mode)
{
	io_uring_prep_rw(IORING_OP_OPENAT, sqe, dfd, path, mode, 0);
	sqe->open_flags = (__u32)flags;
}

/* @file_index: a slot or IORING_FILE_INDEX_ALLOC, as for accept_direct. */
static inline void io_uring_prep_openat_direct(struct io_uring_sqe *sqe,
					       int dfd, const char *path,
					       int flags, mode_t mode,
					       unsigned file_index)
{
	iou_prep_openat_direct(sqe, dfd, path, flags, mode, file_index);
	sqe->flags = 0;
}

static inline void io_uring_prep_openat2(struct io_uring_sqe *sqe, int dfd,
					 const char *path,
					 const struct open_how *how)
{
	iou_prep_openat2(sqe, dfd, path, how, sizeof(*how));
	sqe->flags = 0;
}

/* @file_index: a slot or IORING_FILE_INDEX_ALLOC, as for accept_direct. */
static inline void io_uring_prep_openat2_direct(struct io_uring_sqe *sqe,
						int dfd, const char *path,
						const struct open_how *how,
						unsigned file_index)
{
	iou_prep_openat2_direct(sqe, dfd, path, how, sizeof(*how), file_index);
	sqe->flags = 0;
}

static inline void io_uring_prep_files_update(struct io_uring_sqe *sqe,
					      int *fds, unsigned nr_fds,
					      int offset)
{
	iou_prep_files_update(sqe, fds, nr_fds, offset);
	sqe->flags = 0;
}

static inline void io_uring_prep_statx(struct io_uring_sqe *sqe, int dfd,
				       const char *path, int flags,
				       unsigned mask, struct statx *statxbuf)
{
	io_uring_prep_rw(IORING_OP_STATX, sqe, dfd, path, mask,
			 (__u64)(uintptr_t)statxbuf);
	sqe->statx_flags = (__u32)flags;
}

static inline void io_uring_prep_cancel64(struct io_uring_sqe *sqe,
					  __u64 user_data, int flags)
{
	io_uring_prep_rw(IORING_OP_ASYNC_CANCEL, sqe, -1, NULL, 0, 0);
	sqe->addr = user_data;
	sqe->cancel_flags = (__u32)flags;
}

static inline void io_uring_prep_cancel(struct io_uring_sqe *sqe,
					const void *user_data, int flags)
{
	io_uring_prep_cancel64(sqe, (__u64)(uintptr_t)user_data, flags);
}

/* Cancel requests on file @fd (IORING_ASYNC_CANCEL_FD is added). */
static inline void io_uring_prep_cancel_fd(struct io_uring_sqe *sqe, int fd,
					   unsigned int flags)
{
	iou_prep_cancel_fd(sqe, fd, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_fallocate(struct io_uring_sqe *sqe, int fd,
					   int mode, __u64 offset, __u64 len)
{
	/* The length goes in addr, the mode in len. */
	io_uring_prep_rw(IORING_OP_FALLOCATE, sqe, fd, NULL, (unsigned)mode,
			 offset);
	sqe->addr = len;
}

/*
 * @len goes in sqe->len, cut to 32 bits as liburing does (iou's helper
 * moves a longer one to sqe->addr, which only 6.12 reads; that is
 * io_uring_prep_fadvise64()).  @len stays an off_t as in 2.3; later
 * releases declare a __u32, and a caller of either form compiles here.
 */
static inline void io_uring_prep_fadvise(struct io_uring_sqe *sqe, int fd,
					 __u64 offset, off_t len, int advice)
{
	iou_prep_fadvise(sqe, fd, offset, (__u32)len, advice);
	sqe->flags = 0;
}

/* @length cut to 32 bits and kept an off_t, as for fadvise. */
static inline void io_uring_prep_madvise(struct io_uring_sqe *sqe, void *addr,
					 off_t length, int advice)
{
	iou_prep_madvise(sqe, addr, (__u32)length, advice);
	sqe->flags = 0;
}

static inline void io_uring_prep_sync_file_range(struct io_uring_sqe *sqe,
						 int fd, unsigned len,
						 __u64 offset, int flags)
{
	iou_prep_sync_file_range(sqe, fd, len, offset, (unsigned)flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_epoll_ctl(struct io_uring_sqe *sqe, int epfd,
					   int fd, int op,
					   const struct epoll_event *ev)
{
	iou_prep_epoll_ctl(sqe, epfd, fd, op, ev);
	sqe->flags = 0;
}

static inline void io_uring_prep_shutdown(struct io_uring_sqe *sqe, int fd,
					  int how)
{
	io_uring_prep_rw(IORING_OP_SHUTDOWN, sqe, fd, NULL, (unsigned)how, 0);
}

static inline void io_uring_prep_splice(struct io_uring_sqe *sqe,
					int fd_in, int64_t off_in,
					int fd_out, int64_t off_out,
					unsigned nbytes, unsigned splice_flags)
{
	io_uring_prep_rw(IORING_OP_SPLICE, sqe, fd_out, NULL, nbytes,
			 (__u64)off_out);
	sqe->splice_off_in = (__u64)off_in;
	sqe->splice_fd_in = fd_in;
	sqe->splice_flags = splice_flags;
}

static inline void io_uring_prep_tee(struct io_uring_sqe *sqe, int fd_in,
				     int fd_out, unsigned int nbytes,
				     unsigned int splice_flags)
{
	iou_prep_tee(sqe, fd_in, fd_out, nbytes, splice_flags);
	sqe->flags = 0;
}

/*
 * Paths
 */
static inline void io_uring_prep_unlinkat(struct io_uring_sqe *sqe, int dfd,
					  const char *path, int flags)
{
	iou_prep_unlinkat(sqe, dfd, path, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_unlink(struct io_uring_sqe *sqe,
					const char *path, int flags)
{
	io_uring_prep_unlinkat(sqe, AT_FDCWD, path, flags);
}

static inline void io_uring_prep_renameat(struct io_uring_sqe *sqe,
					  int olddfd, const char *oldpath,
					  int newdfd, const char *newpath,
					  unsigned int flags)
{
	iou_prep_renameat(sqe, olddfd, oldpath, newdfd, newpath, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_rename(struct io_uring_sqe *sqe,
					const char *oldpath,
					const char *newpath)
{
	io_uring_prep_renameat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

static inline void io_uring_prep_mkdirat(struct io_uring_sqe *sqe, int dfd,
					 const char *path, mode_t mode)
{
	iou_prep_mkdirat(sqe, dfd, path, mode);
	sqe->flags = 0;
}

static inline void io_uring_prep_mkdir(struct io_uring_sqe *sqe,
				       const char *path, mode_t mode)
{
	io_uring_prep_mkdirat(sqe, AT_FDCWD, path, mode);
}

static inline void io_uring_prep_symlinkat(struct io_uring_sqe *sqe,
					   const char *target, int newdirfd,
					   const char *linkpath)
{
	iou_prep_symlinkat(sqe, target, newdirfd, linkpath);
	sqe->flags = 0;
}

static inline void io_uring_prep_symlink(struct io_uring_sqe *sqe,
					 const char *target,
					 const char *linkpath)
{
	io_uring_prep_symlinkat(sqe, target, AT_FDCWD, linkpath);
}

static inline void io_uring_prep_linkat(struct io_uring_sqe *sqe, int olddfd,
					const char *oldpath, int newdfd,
					const char *newpath, int flags)
{
	iou_prep_linkat(sqe, olddfd, oldpath, newdfd, newpath, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_link(struct io_uring_sqe *sqe,
				      const char *oldpath, const char *newpath,
				      int flags)
{
	io_uring_prep_linkat(sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, flags);
}

/*
 * Extended attributes
 */
static inline void io_uring_prep_getxattr(struct io_uring_sqe *sqe,
					  const char *name, char *value,
					  const char *path, unsigned int len)
{
	iou_prep_getxattr(sqe, name, value, path, len);
	sqe->flags = 0;
}

static inline void io_uring_prep_setxattr(struct io_uring_sqe *sqe,
					  const char *name, const char *value,
					  const char *path, int flags,
					  unsigned int len)
{
	iou_prep_setxattr(sqe, name, value, path, flags, len);
	sqe->flags = 0;
}

static inline void io_uring_prep_fgetxattr(struct io_uring_sqe *sqe, int fd,
					   const char *name, char *value,
					   unsigned int len)
{
	iou_prep_fgetxattr(sqe, fd, name, value, len);
	sqe->flags = 0;
}

static inline void io_uring_prep_fsetxattr(struct io_uring_sqe *sqe, int fd,
					   const char *name, const char *value,
					   int flags, unsigned int len)
{
	iou_prep_fsetxattr(sqe, fd, name, value, flags, len);
	sqe->flags = 0;
}

/*
 * Provided buffers (the SQE-driven kind), rings
 */

/*
 * @nr buffers of @len bytes from @addr into group @bgid, ids from @bid.
 * Written as liburing does (@bid sign-extended into sqe->off).
 */
static inline void io_uring_prep_provide_buffers(struct io_uring_sqe *sqe,
						 void *addr, int len, int nr,
						 int bgid, int bid)
{
	io_uring_prep_rw(IORING_OP_PROVIDE_BUFFERS, sqe, nr, addr, (__u32)len,
			 (__u64)bid);
	sqe->buf_group = (__u16)bgid;
}

static inline void io_uring_prep_remove_buffers(struct io_uring_sqe *sqe,
						int nr, int bgid)
{
	iou_prep_remove_buffers(sqe, (unsigned)nr, (unsigned)bgid);
	sqe->flags = 0;
}

/* Post a CQE (res @len, user_data @data) to the ring of fd @fd. */
static inline void io_uring_prep_msg_ring(struct io_uring_sqe *sqe, int fd,
					  unsigned int len, __u64 data,
					  unsigned int flags)
{
	iou_prep_msg_ring(sqe, fd, len, data, flags);
	sqe->flags = 0;
}

static inline void io_uring_prep_socket(struct io_uring_sqe *sqe, int domain,
					int type, int protocol,
					unsigned flags)
{
	io_uring_prep_rw(IORING_OP_SOCKET, sqe, domain, NULL,
			 (unsigned)protocol, (__u64)type);
	sqe->rw_flags = (int)flags;
}

/* @file_index: a slot or IORING_FILE_INDEX_ALLOC, as for accept_direct. */
static inline void io_uring_prep_socket_direct(struct io_uring_sqe *sqe,
					       int domain, int type,
					       int protocol,
					       unsigned file_index,
					       unsigned int flags)
{
	io_uring_prep_socket(sqe, domain, type, protocol, flags);
	iou_sqe_set_file_index(sqe, file_index);
}

static inline void io_uring_prep_socket_direct_alloc(struct io_uring_sqe *sqe,
						     int domain, int type,
						     int protocol,
						     unsigned int flags)
{
	io_uring_prep_socket_direct(sqe, domain, type, protocol,
				    IORING_FILE_INDEX_ALLOC, flags);
}

/*
 * The helpers liburing added after 2.3 (to 2.15).  Written as the ones
 * above are: the whole SQE, flags included, but not user_data.
 */

/* Vectored I/O within registered buffer @buf_index (6.15). */
static inline void io_uring_prep_readv_fixed(struct io_uring_sqe *sqe, int fd,
					     const struct iovec *iovecs,
					     unsigned nr_vecs, __u64 offset,
					     int flags, int buf_index)
{
	iou_prep_readv_fixed(sqe, fd, iovecs, nr_vecs, offset, flags,
			     (unsigned)buf_index);
	sqe->flags = 0;
}

static inline void io_uring_prep_writev_fixed(struct io_uring_sqe *sqe, int fd,
					      const struct iovec *iovecs,
					      unsigned nr_vecs, __u64 offset,
					      int flags, int buf_index)
{
	iou_prep_writev_fixed(sqe, fd, iovecs, nr_vecs, offset, flags,
			      (unsigned)buf_index);
	sqe->flags = 0;
}

/*
 * Read until cancelled or out of buffers, each CQE with a buffer of group
 * @buf_group (6.7); IOSQE_BUFFER_SELECT is set here, as liburing does.
 */
static inline void io_uring_prep_read_multishot(struct io_uring_sqe *sqe,
						int fd, unsigned nbytes,
						__u64 offset, int buf_group)
{
	iou_prep_read_multishot(sqe, fd, nbytes, offset, (unsigned)buf_group);
	sqe->flags = IOSQE_BUFFER_SELECT;
}

#ifdef _GNU_SOURCE
static inline void io_uring_prep_ftruncate(struct io_uring_sqe *sqe, int fd,
					   loff_t len)
{
	iou_prep_ftruncate(sqe, fd, (__u64)len);
	sqe->flags = 0;
}
#endif

/* 64-bit lengths, in sqe->addr and sqe->off (6.12; before, -EINVAL). */
static inline void io_uring_prep_fadvise64(struct io_uring_sqe *sqe, int fd,
					   __u64 offset, off_t len, int advice)
{
	io_uring_prep_rw(IORING_OP_FADVISE, sqe, fd, NULL, 0, offset);
	sqe->addr = (__u64)len;
	sqe->fadvise_advice = (__u32)advice;
}

static inline void io_uring_prep_madvise64(struct io_uring_sqe *sqe,
					   void *addr, off_t length,
					   int advice)
{
	io_uring_prep_rw(IORING_OP_MADVISE, sqe, -1, addr, 0, (__u64)length);
	sqe->fadvise_advice = (__u32)advice;
}

/* openat(2) and its direct form relative to the working directory. */
static inline void io_uring_prep_open(struct io_uring_sqe *sqe,
				      const char *path, int flags, mode_t mode)
{
	io_uring_prep_openat(sqe, AT_FDCWD, path, flags, mode);
}

static inline void io_uring_prep_open_direct(struct io_uring_sqe *sqe,
					     const char *path, int flags,
					     mode_t mode, unsigned file_index)
{
	io_uring_prep_openat_direct(sqe, AT_FDCWD, path, flags, mode,
				    file_index);
}

/* pipe2(2) (6.16): the two fds go to @fds[0] and @fds[1]. */
static inline void io_uring_prep_pipe(struct io_uring_sqe *sqe, int *fds,
				      int pipe_flags)
{
	iou_prep_pipe(sqe, fds, pipe_flags);
	sqe->flags = 0;
}

/*
 * The same into fixed-file slots @file_index and the next one, or with
 * IORING_FILE_INDEX_ALLOC two the kernel picks; @fds gets the slots.
 */
static inline void io_uring_prep_pipe_direct(struct io_uring_sqe *sqe,
					     int *fds, int pipe_flags,
					     unsigned int file_index)
{
	iou_prep_pipe_direct(sqe, fds, pipe_flags, file_index);
	sqe->flags = 0;
}

/* Turn fixed file @fd into a normal fd, the CQE's res (6.8). */
static inline void io_uring_prep_fixed_fd_install(struct io_uring_sqe *sqe,
						  int fd, unsigned int flags)
{
	iou_prep_fixed_fd_install(sqe, (unsigned)fd, flags);
	sqe->flags = IOSQE_FIXED_FILE;
}

/* epoll_wait(2) with no timeout, completed when events come (6.15). */
static inline void io_uring_prep_epoll_wait(struct io_uring_sqe *sqe, int fd,
					    struct epoll_event *events,
					    int maxevents, unsigned flags)
{
	iou_prep_epoll_wait(sqe, fd, events, maxevents, flags);
	sqe->flags = 0;
}

/*
 * Sockets
 */
static inline void io_uring_prep_bind(struct io_uring_sqe *sqe, int fd,
				      const struct sockaddr *addr,
				      socklen_t addrlen)
{
	iou_prep_bind(sqe, fd, addr, addrlen);
	sqe->flags = 0;
}

static inline void io_uring_prep_listen(struct io_uring_sqe *sqe, int fd,
					int backlog)
{
	iou_prep_listen(sqe, fd, backlog);
	sqe->flags = 0;
}

/* sendto(2): a send with a destination (6.0). */
static inline void io_uring_prep_sendto(struct io_uring_sqe *sqe, int sockfd,
					const void *buf, size_t len, int flags,
					const struct sockaddr *addr,
					socklen_t addrlen)
{
	io_uring_prep_send(sqe, sockfd, buf, len, flags);
	io_uring_prep_send_set_addr(sqe, addr, (__u16)addrlen);
}

/*
 * A send of as many buffers of the group set with
 * io_uring_sqe_set_buf_group() as @len allows (IOSQE_BUFFER_SELECT,
 * IORING_FEAT_RECVSEND_BUNDLE, 6.10).
 */
static inline void io_uring_prep_send_bundle(struct io_uring_sqe *sqe,
					     int sockfd, size_t len, int flags)
{
	iou_prep_send_bundle(sqe, sockfd, len, flags);
	sqe->flags = 0;
}

/* A zero-copy sendmsg whose data lies in registered buffer @buf_index. */
static inline void io_uring_prep_sendmsg_zc_fixed(struct io_uring_sqe *sqe,
						  int fd,
						  const struct msghdr *msg,
						  unsigned flags,
						  unsigned buf_index)
{
	io_uring_prep_sendmsg_zc(sqe, fd, msg, flags);
	sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
	sqe->buf_index = (__u16)buf_index;
}

/*
 * Passthrough commands (IORING_OP_URING_CMD): @op is that or
 * IORING_OP_URING_CMD128; the command's own bytes (sqe->cmd) are the
 * caller's to fill after.
 */
static inline void __io_uring_prep_uring_cmd(struct io_uring_sqe *sqe, int op,
					     __u32 cmd_op, int fd)
{
	io_uring_prep_rw(op, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = cmd_op;
	sqe->__pad1 = 0;
}

static inline void io_uring_prep_uring_cmd(struct io_uring_sqe *sqe,
					   int cmd_op, int fd)
{
	__io_uring_prep_uring_cmd(sqe, IORING_OP_URING_CMD, (__u32)cmd_op, fd);
}

/* The 128-byte form, for an SQE from io_uring_get_sqe128(). */
static inline void io_uring_prep_uring_cmd128(struct io_uring_sqe *sqe,
					      int cmd_op, int fd)
{
	__io_uring_prep_uring_cmd(sqe, IORING_OP_URING_CMD128, (__u32)cmd_op,
				  fd);
}

/*
 * A socket command (SOCKET_URING_OP_*, 6.7): SIOCINQ/SIOCOUTQ answer in
 * the CQE's res; GETSOCKOPT and SETSOCKOPT take the rest as
 * getsockopt(2)/setsockopt(2) do.
 */
static inline void io_uring_prep_cmd_sock(struct io_uring_sqe *sqe,
					  int cmd_op, int fd, int level,
					  int optname, void *optval,
					  int optlen)
{
	io_uring_prep_uring_cmd(sqe, cmd_op, fd);
	sqe->optval = (__u64)(uintptr_t)optval;
	sqe->optname = (__u32)optname;
	sqe->optlen = (__u32)optlen;
	sqe->level = (__u32)level;
}

/* getsockname(2), or getpeername(2) when @peer is 1 (after 6.18). */
static inline void io_uring_prep_cmd_getsockname(struct io_uring_sqe *sqe,
						 int fd,
						 struct sockaddr *sockaddr,
						 socklen_t *sockaddr_len,
						 int peer)
{
	io_uring_prep_uring_cmd(sqe, SOCKET_URING_OP_GETSOCKNAME, fd);
	sqe->addr = (__u64)(uintptr_t)sockaddr;
	sqe->addr3 = (__u64)(uintptr_t)sockaddr_len;
	sqe->optlen = (__u32)peer;
}

/* Discard @nbytes at @offset of block device @fd (6.12). */
static inline void io_uring_prep_cmd_discard(struct io_uring_sqe *sqe, int fd,
					     uint64_t offset, uint64_t nbytes)
{
	io_uring_prep_uring_cmd(sqe, (int)BLOCK_URING_CMD_DISCARD, fd);
	sqe->addr = offset;
	sqe->addr3 = nbytes;
}

/*
 * Messages to other rings (IORING_OP_MSG_RING)
 */

/* io_uring_prep_msg_ring() whose CQE carries @cqe_flags as its flags (6.10). */
static inline void io_uring_prep_msg_ring_cqe_flags(struct io_uring_sqe *sqe,
						    int fd, unsigned int len,
						    __u64 data,
						    unsigned int flags,
						    unsigned int cqe_flags)
{
	iou_prep_msg_ring_cqe_flags(sqe, fd, len, data, flags, cqe_flags);
	sqe->flags = 0;
}

/*
 * Hand our fixed file @source_fd to ring @fd as its fixed file
 * @target_fd (or IORING_FILE_INDEX_ALLOC: a slot it picks), posting a CQE
 * with user_data @data there (6.0).
 */
static inline void io_uring_prep_msg_ring_fd(struct io_uring_sqe *sqe, int fd,
					     int source_fd, int target_fd,
					     __u64 data, unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_MSG_RING, sqe, fd,
			 (const void *)(uintptr_t)IORING_MSG_SEND_FD, 0, data);
	/* Sign-extended, as liburing stores it. */
	sqe->addr3 = (__u64)(__s64)source_fd;
	iou_sqe_set_file_index(sqe, (unsigned)target_fd);
	sqe->msg_ring_flags = flags;
}

static inline void io_uring_prep_msg_ring_fd_alloc(struct io_uring_sqe *sqe,
						   int fd, int source_fd,
						   __u64 data,
						   unsigned int flags)
{
	io_uring_prep_msg_ring_fd(sqe, fd, source_fd,
				  (int)IORING_FILE_INDEX_ALLOC, data, flags);
}

/*
 * Processes and futexes (6.7)
 */

/* waitid(2): @infop is filled when the CQE comes. */
static inline void io_uring_prep_waitid(struct io_uring_sqe *sqe,
					idtype_t idtype, id_t id,
					siginfo_t *infop, int options,
					unsigned int flags)
{
	iou_prep_waitid(sqe, (int)idtype, (int)id, infop, options, flags);
	sqe->flags = 0;
}

/* Wake up to @val waiters of @futex whose bitset meets @mask. */
static inline void io_uring_prep_futex_wake(struct io_uring_sqe *sqe,
					    const uint32_t *futex, uint64_t val,
					    uint64_t mask,
					    uint32_t futex_flags,
					    unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAKE, sqe, (int)futex_flags, futex, 0,
			 val);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

/* Wait while *@futex is @val; @futex_flags: FUTEX2_SIZE_U32 and the like. */
static inline void io_uring_prep_futex_wait(struct io_uring_sqe *sqe,
					    const uint32_t *futex, uint64_t val,
					    uint64_t mask,
					    uint32_t futex_flags,
					    unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAIT, sqe, (int)futex_flags, futex, 0,
			 val);
	sqe->futex_flags = flags;
	sqe->addr3 = mask;
}

/* Wait on any of @nr_futex futexes; the CQE's res is the index woken. */
static inline void io_uring_prep_futex_waitv(struct io_uring_sqe *sqe,
					     const struct futex_waitv *futex,
					     uint32_t nr_futex,
					     unsigned int flags)
{
	io_uring_prep_rw(IORING_OP_FUTEX_WAITV, sqe, 0, futex, nr_futex, 0);
	sqe->futex_flags = flags;
}

/* A NOP in a 128-byte SQE (io_uring_get_sqe128(), after 6.18). */
static inline void io_uring_prep_nop128(struct io_uring_sqe *sqe)
{
	io_uring_prep_rw(IORING_OP_NOP128, sqe, -1, NULL, 0, 0);
}

#ifdef __cplusplus
}
#endif

#endif
