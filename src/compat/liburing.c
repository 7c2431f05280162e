/* SPDX-License-Identifier: MIT */
/*
 * liburing's out-of-line API on iou's ring layer (<liburing.h> of
 * include/iou-liburing).  struct io_uring holds liburing's fields and,
 * at its end, iou's own struct iou_ring of the same ring: the shared
 * pointers are the same in both, and the few counters that live in our
 * memory (the SQE indexes, the CQ head) are handed over at each call
 * (view() before, done() after), because the inline functions of the
 * header move them on liburing's side.
 *
 * Nothing here needs a libc: system calls and memory go through iou's
 * own wrappers.
 */
#include <liburing.h>

#include "../sys.h"
#include "../ring/internal.h"

/* liburing's int_flags bits, as programs may test them. */
#define INT_FLAG_REG_RING 1U
#define INT_FLAG_REG_REG_RING 2U
#define INT_FLAG_APP_MEM 4U

static unsigned *word(void *base, unsigned off)
{
	return (unsigned *)((char *)base + off);
}

/* liburing's fields from iou's state, after setup or a register call. */
static void fill(struct io_uring *ring)
{
	struct iou_ring *v = &ring->iou_private;
	struct io_uring_sq *sq = &ring->sq;
	struct io_uring_cq *cq = &ring->cq;

	sq->khead = v->sq.khead;
	sq->ktail = v->sq.ktail;
	sq->kring_mask = word(v->sq.ring_ptr, v->sq_off.ring_mask);
	sq->kring_entries = word(v->sq.ring_ptr, v->sq_off.ring_entries);
	sq->kflags = v->sq.kflags;
	sq->kdropped = v->sq.kdropped;
	sq->array = v->sq.karray;
	sq->sqes = v->sq.sqes;
	sq->sqe_head = v->sq.sqe_head;
	sq->sqe_tail = v->sq.sqe_tail;
	sq->ring_sz = v->sq.ring_sz;
	sq->ring_ptr = v->sq.ring_ptr;
	sq->ring_mask = v->sq.mask;
	sq->ring_entries = v->sq.entries;

	cq->khead = v->cq.khead;
	cq->ktail = v->cq.ktail;
	cq->kring_mask = word(v->cq.ring_ptr, v->cq_off.ring_mask);
	cq->kring_entries = word(v->cq.ring_ptr, v->cq_off.ring_entries);
	cq->kflags = v->cq.kflags;
	cq->koverflow = v->cq.koverflow;
	cq->cqes = v->cq.cqes;
	cq->ring_sz = v->cq.ring_sz;
	cq->ring_ptr = v->cq.ring_ptr;
	cq->ring_mask = v->cq.mask;
	cq->ring_entries = v->cq.entries;

	ring->flags = v->flags;
	ring->features = v->features;
	ring->ring_fd = v->ring_fd;
	ring->enter_ring_fd = v->enter_fd;
	ring->int_flags = 0;
	if (v->iflags & IOU_RING_REG_RING)
		ring->int_flags |= INT_FLAG_REG_RING;
	if (v->iflags & IOU_RING_FD_CLOSED)
		ring->int_flags |= INT_FLAG_REG_REG_RING;
	if (v->iflags & IOU_RING_APP_MEM)
		ring->int_flags |= INT_FLAG_APP_MEM;
}

/* iou's view of @ring, brought up to what the inline functions did. */
static struct iou_ring *view(struct io_uring *ring)
{
	struct iou_ring *v = &ring->iou_private;

	v->sq.sqe_head = ring->sq.sqe_head;
	v->sq.sqe_tail = ring->sq.sqe_tail;
	if (ring->cq.khead)
		v->cq.head = *ring->cq.khead;
	return v;
}

/* Back to liburing's side after a call: returns @ret. */
static int done(struct io_uring *ring, int ret)
{
	ring->sq.sqe_head = ring->iou_private.sq.sqe_head;
	ring->sq.sqe_tail = ring->iou_private.sq.sqe_tail;
	return ret;
}

int io_uring_queue_init_params(unsigned entries, struct io_uring *ring,
			       struct io_uring_params *p)
{
	int ret;

	iou__memzero(ring, sizeof(*ring));
	ret = iou_ring_init_params(&ring->iou_private, entries, p);
	if (ret) {
		ring->ring_fd = ring->enter_ring_fd = -1;
		return ret;
	}
	fill(ring);
	return 0;
}

int io_uring_queue_init(unsigned entries, struct io_uring *ring,
			unsigned flags)
{
	struct io_uring_params p;

	iou__memzero(&p, sizeof(p));
	p.flags = flags;
	return io_uring_queue_init_params(entries, ring, &p);
}

void io_uring_queue_exit(struct io_uring *ring)
{
	iou_ring_exit(view(ring));
	iou__memzero(&ring->sq, sizeof(ring->sq));
	iou__memzero(&ring->cq, sizeof(ring->cq));
	ring->ring_fd = ring->enter_ring_fd = -1;
	ring->int_flags = 0;
}

int io_uring_submit(struct io_uring *ring)
{
	return done(ring, iou_submit(view(ring)));
}

int io_uring_submit_and_wait(struct io_uring *ring, unsigned wait_nr)
{
	return done(ring, iou_submit_and_wait(view(ring), wait_nr));
}

/* The kernel's sigset_t is 8 bytes on every architecture we build for. */
#define KSIGSET_SIZE 8

/*
 * Wait with a signal mask: the enter itself carries it (iou's waits take
 * none).  The first ready CQE, if any, goes to *@cqe_ptr.
 */
static int wait_masked(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask)
{
	struct iou_ring *v = view(ring);
	int ret;

	if (submit)
		submit = iou__flush_sq(v);
	ret = iou_enter(v, submit, wait_nr, IORING_ENTER_GETEVENTS, sigmask,
			KSIGSET_SIZE);
	done(ring, 0);
	if (ret < 0)
		return ret;
	ret = iou_peek_cqe(v, cqe_ptr);
	return ret == -EAGAIN && !wait_nr ? -EAGAIN : ret;
}

int __io_uring_get_cqe(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned submit, unsigned wait_nr, sigset_t *sigmask)
{
	struct iou_ring *v;
	int ret;

	*cqe_ptr = NULL;
	if (sigmask)
		return wait_masked(ring, cqe_ptr, submit, wait_nr, sigmask);
	v = view(ring);
	if (submit) {
		ret = iou_submit_and_wait(v, wait_nr);
		done(ring, 0);
		if (ret < 0)
			return ret;
	}
	ret = iou_wait_cqes(v, cqe_ptr, wait_nr, NULL, 0);
	return done(ring, ret);
}

int io_uring_wait_cqes(struct io_uring *ring, struct io_uring_cqe **cqe_ptr,
		       unsigned wait_nr, struct __kernel_timespec *ts,
		       sigset_t *sigmask)
{
	*cqe_ptr = NULL;
	if (sigmask && !ts)
		return wait_masked(ring, cqe_ptr, 0, wait_nr, sigmask);
	return done(ring, iou_wait_cqes(view(ring), cqe_ptr, wait_nr,
					(const struct iou_timespec *)ts, 0));
}

int io_uring_wait_cqe_timeout(struct io_uring *ring,
			      struct io_uring_cqe **cqe_ptr,
			      struct __kernel_timespec *ts)
{
	return io_uring_wait_cqes(ring, cqe_ptr, 1, ts, NULL);
}

int io_uring_submit_and_wait_timeout(struct io_uring *ring,
				     struct io_uring_cqe **cqe_ptr,
				     unsigned wait_nr,
				     struct __kernel_timespec *ts,
				     sigset_t *sigmask)
{
	*cqe_ptr = NULL;
	if (sigmask && !ts)
		return wait_masked(ring, cqe_ptr, 1, wait_nr, sigmask);
	return done(ring, iou_submit_and_wait_timeout(
				  view(ring), cqe_ptr, wait_nr,
				  (const struct iou_timespec *)ts, 0));
}

unsigned io_uring_peek_batch_cqe(struct io_uring *ring,
				 struct io_uring_cqe **cqes, unsigned count)
{
	int ret = iou_peek_batch_cqe(view(ring), cqes, count);

	return ret < 0 ? 0 : (unsigned)ret;
}

int io_uring_get_events(struct io_uring *ring)
{
	return done(ring, iou_get_events(view(ring)));
}

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
int io_uring_register_buffers(struct io_uring *ring, const struct iovec *iovecs,
			      unsigned nr_iovecs)
{
	return iou_register_buffers(view(ring), iovecs, nr_iovecs);
}

int io_uring_unregister_buffers(struct io_uring *ring)
{
	return iou_unregister_buffers(view(ring));
}

int io_uring_register_files(struct io_uring *ring, const int *files,
			    unsigned nr_files)
{
	return iou_register_files(view(ring), files, nr_files);
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
	fill(ring);
	return 1;
}

int io_uring_unregister_ring_fd(struct io_uring *ring)
{
	int ret = iou_unregister_ring_fd(view(ring));

	if (ret)
		return ret;
	fill(ring);
	return 1;
}

int io_uring_enable_rings(struct io_uring *ring)
{
	return iou_ring_enable(view(ring));
}

/*
 * The raw system calls
 */
int io_uring_setup(unsigned entries, struct io_uring_params *p)
{
	return iou__sys_io_uring_setup(entries, p);
}

int io_uring_enter2(unsigned fd, unsigned to_submit, unsigned min_complete,
		    unsigned flags, sigset_t *sig, size_t sz)
{
	return iou__sys_io_uring_enter((int)fd, to_submit, min_complete, flags,
				       sig, sz);
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
