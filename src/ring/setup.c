/* SPDX-License-Identifier: MIT */
/*
 * Ring setup and teardown: io_uring_setup(), the mappings, the cached
 * sizes, and undoing all of it.
 *
 * Every step that can fail builds its result in locals (struct ring_maps
 * for the mappings, a struct iou_sq / iou_cq for the attached view) and
 * the ring takes them only once the last step has succeeded, so an unwind
 * never has to guess what the ring held before.
 */
#include "internal.h"

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static unsigned sqe_size(unsigned flags)
{
	return (flags & IORING_SETUP_SQE128) ? 128 : 64;
}

static unsigned cqe_size(unsigned flags)
{
	return (flags & IORING_SETUP_CQE32) ? 32 : 16;
}

/* A field offset the kernel gave us must lie inside the mapping. */
static int off_ok(uint32_t off, size_t size)
{
	return (size_t)off + sizeof(unsigned) <= size && !(off & 3);
}

/*
 * A ring that holds nothing: all zero, no fd.  Init starts from this and
 * leaves it so when it fails.  (The event loop's epoll fallback reuses the
 * memory of a ring whose init failed and counts on finding zeroes there,
 * so a failed init does not leave the exited state below.)
 */
static void ring_blank(struct iou_ring *ring)
{
	iou__memzero(ring, sizeof(*ring));
	ring->ring_fd = ring->enter_fd = -1;
}

/*
 * The shared words of an exited ring: iou_ring_exit() points every k*
 * pointer here and leaves the cached sizes zero, so the inline paths of
 * ring.h see a full SQ and an empty CQ with no test of their own, and
 * nothing reads unmapped memory or NULL.  Nothing stores here except
 * iou_cq_advance() misused on such a ring, into cq_head, which no one
 * reads.
 */
static struct {
	unsigned sq_head, sq_tail, sq_flags, sq_dropped;
	unsigned cq_head, cq_tail, cq_overflow;
} gone;

/* The state iou_ring_exit() leaves: no ring, and safe to call into. */
static void ring_exited(struct iou_ring *ring)
{
	ring_blank(ring);
	ring->sq.khead = &gone.sq_head;
	ring->sq.ktail = &gone.sq_tail;
	ring->sq.kflags = &gone.sq_flags;
	ring->sq.kdropped = &gone.sq_dropped;
	ring->cq.khead = &gone.cq_head;
	ring->cq.ktail = &gone.cq_tail;
	ring->cq.koverflow = &gone.cq_overflow;
}

/* The three mappings of a ring, or what is mapped of them so far. */
struct ring_maps {
	void *sqes, *sq_ring, *cq_ring;
	size_t sqes_sz, sq_ring_sz, cq_ring_sz;
};

/*
 * Sizes of the mappings, as the kernel lays them out for @flags and
 * @features and the entries and offsets in @p.
 */
static void maps_size(struct ring_maps *m, unsigned flags, unsigned features,
		      const struct io_uring_params *p)
{
	iou__memzero(m, sizeof(*m));
	m->sq_ring_sz = p->sq_off.array + (size_t)p->sq_entries * 4;
	if (flags & IORING_SETUP_NO_SQARRAY)
		m->sq_ring_sz = p->sq_off.dropped + sizeof(unsigned);
	m->cq_ring_sz = p->cq_off.cqes +
			(size_t)p->cq_entries * cqe_size(flags);
	if (features & IORING_FEAT_SINGLE_MMAP) {
		if (m->cq_ring_sz > m->sq_ring_sz)
			m->sq_ring_sz = m->cq_ring_sz;
		m->cq_ring_sz = m->sq_ring_sz;
	}
	m->sqes_sz = (size_t)p->sq_entries * sqe_size(flags);
}

static void maps_unmap(const struct ring_maps *m)
{
	if (m->sqes)
		iou__sys_munmap(m->sqes, m->sqes_sz);
	if (m->cq_ring && m->cq_ring != m->sq_ring)
		iou__sys_munmap(m->cq_ring, m->cq_ring_sz);
	if (m->sq_ring)
		iou__sys_munmap(m->sq_ring, m->sq_ring_sz);
}

/*
 * Map the rings of @fd at the sizes maps_size() put in @m.  On failure
 * what was mapped here is unmapped again and @m holds no pointer.
 */
static int maps_map(struct ring_maps *m, unsigned features, int fd)
{
	const int prot = IOU_PROT_READ | IOU_PROT_WRITE;
	const int flags = IOU_MAP_SHARED | IOU_MAP_POPULATE;
	void *ptr;
	int ret;

	ptr = iou__sys_mmap(0, m->sq_ring_sz, prot, flags, fd,
			    IORING_OFF_SQ_RING);
	if (iou__is_err(ptr))
		return iou__ptr_err(ptr);
	m->sq_ring = ptr;

	if (features & IORING_FEAT_SINGLE_MMAP) {
		m->cq_ring = ptr;
	} else {
		ptr = iou__sys_mmap(0, m->cq_ring_sz, prot, flags, fd,
				    IORING_OFF_CQ_RING);
		if (iou__is_err(ptr)) {
			ret = iou__ptr_err(ptr);
			goto err_sq;
		}
		m->cq_ring = ptr;
	}

	ptr = iou__sys_mmap(0, m->sqes_sz, prot, flags, fd, IORING_OFF_SQES);
	if (iou__is_err(ptr)) {
		ret = iou__ptr_err(ptr);
		goto err_cq;
	}
	m->sqes = ptr;
	return 0;
err_cq:
	if (m->cq_ring != m->sq_ring)
		iou__sys_munmap(m->cq_ring, m->cq_ring_sz);
err_sq:
	iou__sys_munmap(m->sq_ring, m->sq_ring_sz);
	m->sq_ring = m->cq_ring = 0;
	return ret;
}

/*
 * Build the SQ and CQ view of the memory in @m into @sq and @cq, caching
 * what must never be re-read: entries and masks come from the params the
 * kernel returned, and the shared copies are only checked against them.
 * Nothing is taken from the ring being set up or resized; the only store
 * is the SQ index array, into the new memory.
 */
static int ring_attach(struct iou_sq *sq, struct iou_cq *cq, unsigned flags,
		       const struct io_uring_params *p,
		       const struct ring_maps *m)
{
	const struct io_sqring_offsets *so = &p->sq_off;
	const struct io_cqring_offsets *co = &p->cq_off;
	char *sp = m->sq_ring, *cp = m->cq_ring;
	unsigned cqe_shift = (flags & IORING_SETUP_CQE32) ? 1 : 0;
	unsigned i;

	if (!p->sq_entries || (p->sq_entries & (p->sq_entries - 1)) ||
	    !p->cq_entries || (p->cq_entries & (p->cq_entries - 1)))
		return -IOU_EUCLEAN;
	if (!off_ok(so->head, m->sq_ring_sz) ||
	    !off_ok(so->tail, m->sq_ring_sz) ||
	    !off_ok(so->flags, m->sq_ring_sz) ||
	    !off_ok(so->dropped, m->sq_ring_sz) ||
	    !off_ok(so->ring_mask, m->sq_ring_sz) ||
	    !off_ok(so->ring_entries, m->sq_ring_sz) ||
	    !off_ok(co->head, m->cq_ring_sz) ||
	    !off_ok(co->tail, m->cq_ring_sz) ||
	    !off_ok(co->overflow, m->cq_ring_sz) ||
	    !off_ok(co->ring_mask, m->cq_ring_sz) ||
	    !off_ok(co->ring_entries, m->cq_ring_sz) ||
	    (size_t)co->cqes + ((size_t)p->cq_entries << cqe_shift) * 16 >
		    m->cq_ring_sz ||
	    (co->cqes & 7))
		return -IOU_EUCLEAN;
	if (!(flags & IORING_SETUP_NO_SQARRAY) &&
	    ((size_t)so->array + (size_t)p->sq_entries * 4 > m->sq_ring_sz ||
	     (so->array & 3)))
		return -IOU_EUCLEAN;
	if (*(unsigned *)(sp + so->ring_mask) != p->sq_entries - 1 ||
	    *(unsigned *)(sp + so->ring_entries) != p->sq_entries ||
	    *(unsigned *)(cp + co->ring_mask) != p->cq_entries - 1 ||
	    *(unsigned *)(cp + co->ring_entries) != p->cq_entries)
		return -IOU_EUCLEAN;

	iou__memzero(sq, sizeof(*sq));
	sq->khead = (unsigned *)(sp + so->head);
	sq->ktail = (unsigned *)(sp + so->tail);
	sq->kflags = (unsigned *)(sp + so->flags);
	sq->kdropped = (unsigned *)(sp + so->dropped);
	sq->sqes = m->sqes;
	sq->entries = p->sq_entries;
	sq->mask = p->sq_entries - 1;
	sq->sqe_shift = (flags & IORING_SETUP_SQE128) ? 1 : 0;
	sq->sqe_head = sq->sqe_tail = *sq->ktail;
	sq->khead_seen = *sq->khead;
	sq->ring_ptr = m->sq_ring;
	sq->ring_sz = m->sq_ring_sz;
	sq->sqes_sz = m->sqes_sz;
	if (!(flags & IORING_SETUP_NO_SQARRAY)) {
		sq->karray = (unsigned *)(sp + so->array);
		/* SQE i always sits in slot i: the array is filled once. */
		for (i = 0; i < sq->entries; i++)
			sq->karray[i] = i;
	}

	iou__memzero(cq, sizeof(*cq));
	cq->khead = (unsigned *)(cp + co->head);
	cq->ktail = (unsigned *)(cp + co->tail);
	cq->koverflow = (unsigned *)(cp + co->overflow);
	cq->kflags = co->flags && off_ok(co->flags, m->cq_ring_sz) ?
			     (unsigned *)(cp + co->flags) :
			     0;
	cq->cqes = (struct io_uring_cqe *)(cp + co->cqes);
	cq->entries = p->cq_entries;
	cq->mask = p->cq_entries - 1;
	cq->cqe_shift = cqe_shift;
	cq->mixed = (flags & IORING_SETUP_CQE_MIXED) ? 1 : 0;
	cq->head = *cq->khead;
	cq->ring_ptr = m->cq_ring;
	cq->ring_sz = m->cq_ring_sz;
	return 0;
}

/*
 * Fill @ring (blank) from a fresh fd and the params the kernel returned.
 * The memory is @app (the caller's, NO_MMAP: its SQE region and its ring
 * region, with their lengths) or mapped here; on failure whatever was
 * mapped here is unmapped and @ring is untouched.  The fd stays the
 * caller's to release.
 */
static int ring_setup_done(struct iou_ring *ring, int fd,
			   const struct io_uring_params *p,
			   const struct ring_maps *app)
{
	struct ring_maps m;
	struct iou_sq sq;
	struct iou_cq cq;
	int ret;

	maps_size(&m, p->flags, p->features, p);
	if (app) {
		/* What the returned sizes and offsets reach must be the
		 * caller's memory: both rings share its ring region. */
		if (m.sqes_sz > app->sqes_sz ||
		    m.sq_ring_sz > app->sq_ring_sz ||
		    m.cq_ring_sz > app->sq_ring_sz)
			return -IOU_EUCLEAN;
		m.sqes = app->sqes;
		m.sq_ring = m.cq_ring = app->sq_ring;
	} else {
		ret = maps_map(&m, p->features, fd);
		if (ret)
			return ret;
	}
	ret = ring_attach(&sq, &cq, p->flags, p, &m);
	if (ret) {
		if (!app)
			maps_unmap(&m);
		return ret;
	}

	/* Copied by hand: a struct assignment may become a memcpy call. */
	iou__memcpy(&ring->sq, &sq, sizeof(sq));
	iou__memcpy(&ring->cq, &cq, sizeof(cq));
	ring->flags = p->flags;
	ring->features = p->features;
	ring->sq_off = p->sq_off;
	ring->cq_off = p->cq_off;
	ring->clockid = IOU_CLOCK_MONOTONIC;
	if (app)
		ring->iflags |= IOU_RING_APP_MEM;
	if (p->flags & IORING_SETUP_REGISTERED_FD_ONLY) {
		ring->ring_fd = -1;
		ring->enter_fd = fd;
		ring->enter_flags = IORING_ENTER_REGISTERED_RING;
		ring->iflags |= IOU_RING_REG_RING | IOU_RING_FD_CLOSED;
	} else {
		ring->ring_fd = ring->enter_fd = fd;
	}
	return 0;
}

/*
 * @ring (made blank here) from a ring fd set up elsewhere and the params
 * its setup returned: mapped and checked as ring_create() does.  The fd
 * stays the caller's.  For liburing's io_uring_queue_mmap().
 */
int iou__ring_from_fd(struct iou_ring *ring, int fd,
		      const struct io_uring_params *p)
{
	ring_blank(ring);
	if (p->flags & (IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY))
		return -IOU_EINVAL;
	return ring_setup_done(ring, fd, p, 0);
}

static int ring_create(struct iou_ring *ring, unsigned entries,
		       struct io_uring_params *p, const struct ring_maps *app)
{
	int fd, ret;

	fd = iou__sys_io_uring_setup(entries, p);
	if (fd == -IOU_EINVAL && (p->flags & IORING_SETUP_NO_SQARRAY)) {
		/* Before 6.6: the flag is unknown; the array costs little. */
		p->flags &= ~IORING_SETUP_NO_SQARRAY;
		fd = iou__sys_io_uring_setup(entries, p);
	}
	if (fd < 0)
		return fd;
	ret = ring_setup_done(ring, fd, p, app);
	if (ret) {
		if (p->flags & IORING_SETUP_REGISTERED_FD_ONLY) {
			struct io_uring_rsrc_update up = { .offset = (uint32_t)fd };

			iou__sys_io_uring_register(
				fd,
				IORING_UNREGISTER_RING_FDS |
					IORING_REGISTER_USE_REGISTERED_RING,
				&up, 1);
		} else {
			iou__sys_close(fd);
		}
	}
	return ret;
}

int iou_ring_init_params(struct iou_ring *ring, unsigned entries,
			 struct io_uring_params *p)
{
	if (!ring)
		return -IOU_EINVAL;
	ring_blank(ring);
	if (!p || (p->flags & IORING_SETUP_NO_MMAP))
		return -IOU_EINVAL;
	return ring_create(ring, entries, p, 0);
}

int iou_ring_init(struct iou_ring *ring, unsigned entries, unsigned flags)
{
	struct io_uring_params p;

	iou__memzero(&p, sizeof(p));
	p.flags = flags | IORING_SETUP_NO_SQARRAY;
	return iou_ring_init_params(ring, entries, &p);
}

static unsigned roundup_pow2(unsigned v)
{
	unsigned r = 1;

	while (r < v && r)
		r <<= 1;
	return r;
}

/*
 * Upper bound of the kernel's struct io_rings header before the CQEs: two
 * index pairs on their own cache lines plus the flag words, with 128-byte
 * lines at worst.  The kernel only needs the region to be large enough.
 */
#define RINGS_HDR_MAX 1024

long iou_ring_mem_size(unsigned entries, const struct io_uring_params *p)
{
	unsigned long page = iou__page_size();
	unsigned sq_entries, cq_entries;
	size_t sqes, rings;

	if (!p || !entries)
		return -IOU_EINVAL;
	if (entries > 32768) {
		if (!(p->flags & IORING_SETUP_CLAMP))
			return -IOU_EINVAL;
		entries = 32768;
	}
	sq_entries = roundup_pow2(entries);
	cq_entries = 2 * sq_entries;
	if (p->flags & IORING_SETUP_CQSIZE) {
		if (!p->cq_entries)
			return -IOU_EINVAL;
		cq_entries = p->cq_entries > 65536 ? 65536 : p->cq_entries;
		cq_entries = roundup_pow2(cq_entries);
	}
	sqes = (size_t)sq_entries * sqe_size(p->flags);
	rings = RINGS_HDR_MAX + (size_t)cq_entries * cqe_size(p->flags) + 128 +
		(size_t)sq_entries * 4;
	return (long)(align_up(sqes, page) + align_up(rings, page));
}

int iou_ring_init_mem(struct iou_ring *ring, unsigned entries,
		      struct io_uring_params *p, void *buf, size_t size)
{
	unsigned long page = iou__page_size();
	struct ring_maps app;
	long need;
	size_t sqes_region;

	if (!ring)
		return -IOU_EINVAL;
	ring_blank(ring);
	if (!p || !buf || ((uintptr_t)buf & (page - 1)))
		return -IOU_EINVAL;
	p->flags |= IORING_SETUP_NO_MMAP;
	need = iou_ring_mem_size(entries, p);
	if (need < 0)
		return (int)need;
	if (size < (size_t)need)
		return -IOU_EINVAL;
	sqes_region = align_up((size_t)roundup_pow2(entries > 32768 ? 32768 :
								     entries) *
				       sqe_size(p->flags),
			       page);
	p->sq_off.user_addr = (uint64_t)(uintptr_t)buf;
	p->cq_off.user_addr = (uint64_t)(uintptr_t)((char *)buf + sqes_region);
	iou__memzero(&app, sizeof(app));
	app.sqes = buf;
	app.sqes_sz = sqes_region;
	app.sq_ring = (char *)buf + sqes_region;
	app.sq_ring_sz = size - sqes_region;
	return ring_create(ring, entries, p, &app);
}

static void maps_of(const struct iou_ring *ring, struct ring_maps *m)
{
	m->sqes = ring->sq.sqes;
	m->sqes_sz = ring->sq.sqes_sz;
	m->sq_ring = ring->sq.ring_ptr;
	m->sq_ring_sz = ring->sq.ring_sz;
	m->cq_ring = ring->cq.ring_ptr;
	m->cq_ring_sz = ring->cq.ring_sz;
}

/*
 * Let go of everything @ring holds: the mappings setup made (caller memory
 * stays the caller's), the registered index, the fd if ring_fd still names
 * one.  The ring is left exited.
 */
static void ring_release(struct iou_ring *ring)
{
	struct ring_maps m;

	if (!(ring->iflags & IOU_RING_APP_MEM)) {
		maps_of(ring, &m);
		maps_unmap(&m);
	}
	if (ring->iflags & IOU_RING_REG_RING) {
		struct io_uring_rsrc_update up = {
			.offset = (uint32_t)ring->enter_fd,
		};

		/* A registered ring fd would keep the ring alive. */
		iou__register(ring, IORING_UNREGISTER_RING_FDS, &up, 1);
	}
	if (ring->ring_fd >= 0)
		iou__sys_close(ring->ring_fd);
	ring_exited(ring);
}

/*
 * Is ring->ring_fd still this ring's fd?  A program that closed it behind
 * our back may since have been given the same number for another file,
 * which exit must leave alone.  A second fd kept to compare against
 * (kcmp) would cost an fd per ring, and fdinfo needs /proc and an fd to
 * read it; two questions to the kernel through the fd itself do instead:
 *  - io_uring_enter() submitting and waiting for nothing answers
 *    -EOPNOTSUPP for a file that is not an io_uring and -EBADF for no file
 *    at all, and does nothing to a ring;
 *  - the SQ ring mapped through the fd once more, read-only, shows a word
 *    we change through our own mapping only if both map the same pages,
 *    i.e. only if it is this ring and not another one.  The word is the
 *    SQ's ring_entries, which the kernel writes at setup and never reads.
 *    It is inverted, then put back, and the other mapping must show both
 *    values: another ring's word cannot follow both.
 * A ring in caller memory (NO_MMAP) cannot be mapped through its fd, so
 * there the first answer is all there is, and any io_uring is taken for
 * ours.  So is it when the probe mapping fails (-ENOMEM, say): closing
 * another program's ring there is far less likely than leaking ours.
 */
static int fd_is_ours(struct iou_ring *ring)
{
	size_t off = ring->sq_off.ring_entries;
	size_t len = off + sizeof(unsigned);
	unsigned *mine, *seen, saved;
	int ret, same;
	void *ptr;

	ret = iou__sys_io_uring_enter(ring->ring_fd, 0, 0, 0, 0, 0);
	if (ret == -IOU_EOPNOTSUPP || ret == -IOU_EBADF)
		return 0;
	if (ring->iflags & IOU_RING_APP_MEM)
		return 1;
	ptr = iou__sys_mmap(0, len, IOU_PROT_READ, IOU_MAP_SHARED,
			    ring->ring_fd, IORING_OFF_SQ_RING);
	if (iou__is_err(ptr))
		return 1;
	mine = (unsigned *)((char *)ring->sq.ring_ptr + off);
	seen = (unsigned *)((char *)ptr + off);
	saved = iou_load_relaxed(mine);
	iou_store_relaxed(mine, ~saved);
	same = iou_load_relaxed(seen) == ~saved;
	iou_store_relaxed(mine, saved);
	same = same && iou_load_relaxed(seen) == saved;
	iou__sys_munmap(ptr, len);
	return same;
}

void iou_ring_exit(struct iou_ring *ring)
{
	/* Exited, or blank after a failed init: nothing is held. */
	if (!ring || ring->enter_fd < 0)
		return;
	/* Not ours to close, nor to unregister through. */
	if (ring->ring_fd >= 0 && !fd_is_ours(ring))
		ring->ring_fd = -1;
	ring_release(ring);
}

int iou_available(void)
{
	/*
	 * No params pointer: a kernel with io_uring that lets us in fails
	 * the copy with -EFAULT (or rejects 0 entries with -EINVAL) before
	 * anything is created.  Refusals come first: -ENOSYS, -EPERM.
	 */
	int ret = iou__sys_io_uring_setup(0, 0);

	if (ret == -IOU_EFAULT || ret == -IOU_EINVAL)
		return 0;
	if (ret >= 0) {
		iou__sys_close(ret);
		return 0;
	}
	return ret;
}

int iou_ring_enable(struct iou_ring *ring)
{
	return iou__register(ring, IORING_REGISTER_ENABLE_RINGS, 0, 0);
}

/*
 * Where the kernel puts the SQ index array: after the CQEs, at the next
 * cache line (SMP_CACHE_BYTES, 64 on the architectures we build for).
 * A resize reports the new layout with sq_off.array left 0 (seen up to
 * 6.18), so the offset is derived; the ring's current layout must agree
 * with the derivation before it is trusted for the new one.
 */
static size_t sq_array_off(const struct io_cqring_offsets *co,
			   unsigned cq_entries, unsigned flags)
{
	return align_up((size_t)co->cqes + (size_t)cq_entries * cqe_size(flags),
			64);
}

int iou_resize_rings(struct iou_ring *ring, struct io_uring_params *p)
{
	struct ring_maps old, m;
	struct iou_sq sq;
	struct iou_cq cq;
	int ret;

	if (!ring || !p)
		return -IOU_EINVAL;
	if (iou__ring_gone(ring))
		return -IOU_EBADF;
	/* New rings need mapping, through an fd, or caller memory we lack. */
	if ((ring->iflags & IOU_RING_APP_MEM) || ring->ring_fd < 0)
		return -IOU_EOPNOTSUPP;
	/*
	 * The kernel moves what is published (SQ head..tail, CQ head..tail)
	 * into the new rings, keeping the index values; SQEs handed out but
	 * not yet published would stay behind in the old mapping.
	 */
	if (!(ring->flags & IORING_SETUP_NO_SQARRAY) &&
	    sq_array_off(&ring->cq_off, ring->cq.entries, ring->flags) !=
		    ring->sq_off.array)
		return -IOU_EOPNOTSUPP;
	iou__flush_sq(ring);
	iou__memzero(&p->sq_off, sizeof(p->sq_off));
	iou__memzero(&p->cq_off, sizeof(p->cq_off));
	ret = iou__register(ring, IORING_REGISTER_RESIZE_RINGS, p, 1);
	if (ret < 0)
		return ret;

	/*
	 * The kernel now runs on the new rings and has let go of the old
	 * ones, which only need unmapping.  It cannot be asked to go back:
	 * if the new rings cannot be mapped, nothing we still map is live,
	 * and the ring is released as by iou_ring_exit() rather than left
	 * pointing at memory the kernel no longer reads.
	 */
	if (!(ring->flags & IORING_SETUP_NO_SQARRAY) && !p->sq_off.array)
		p->sq_off.array = (uint32_t)sq_array_off(&p->cq_off,
							 p->cq_entries,
							 ring->flags);
	maps_size(&m, ring->flags, ring->features, p);
	ret = maps_map(&m, ring->features, ring->ring_fd);
	if (!ret) {
		ret = ring_attach(&sq, &cq, ring->flags, p, &m);
		if (ret)
			maps_unmap(&m);
	}
	if (ret) {
		ring_release(ring);
		return ret;
	}
	maps_of(ring, &old);
	maps_unmap(&old);
	/* Copied by hand: a struct assignment may become a memcpy call. */
	iou__memcpy(&ring->sq, &sq, sizeof(sq));
	iou__memcpy(&ring->cq, &cq, sizeof(cq));
	ring->sq_off = p->sq_off;
	ring->cq_off = p->cq_off;
	return 0;
}
