/* SPDX-License-Identifier: MIT */
/*
 * Fuzz surface: ring setup.  Four modes, picked by byte 0:
 *   0. iou_ring_init_params() with fuzzed io_uring_params (flags, SQ and CQ
 *      sizes, SQPOLL cpu and idle, wq_fd, reserved words), then, on a
 *      ring that accepts it, iou_resize_rings() with fuzzed sizes;
 *   1. iou_ring_init_mem() (IORING_SETUP_NO_MMAP): caller memory of fuzzed
 *      size and alignment, fuzzed flags (REGISTERED_FD_ONLY too), and
 *      iou_ring_mem_size() on its own;
 *   2. the offsets a kernel hands back, fed to ring_attach(): the next
 *      io_uring_setup is answered by the fault hooks with a spare fd and
 *      never reaches the kernel, so the params the library reads back are
 *      the input's own (sizes, features, sq_off, cq_off), over caller
 *      memory that holds the input's ring words;
 *   3. modes 0 and 1 again, with the setup path's io_uring_setup, mmap or
 *      register calls failing at a fuzzed point.
 *
 * Every call must return 0 or a clean -errno.  A ring that set up must
 * pass a NOP round trip (after iou_ring_enable() if it started disabled);
 * a mocked one must have every shared pointer inside the memory it was
 * given.  After each input no fd and no mapping may be left behind.
 */
#include <iou/iou.h>

#include "fault.h"
#include "harness.h"

#include <sys/eventfd.h>
#include <sys/mman.h>

#define PAGE 4096UL
#define UD_NOP 0x5e7095ULL

/* A second ring whose fd ATTACH_WQ may name; made once. */
static struct iou_ring wq_ring;
static int wq_ring_ok = -1;

/* Caller memory, mapped per input, with an inaccessible page after it. */
struct region {
	char *map;
	size_t map_len;
	char *buf;	/* where the ring goes (maybe misaligned) */
	size_t len;	/* bytes usable from buf */
};

static int region_get(struct region *r, size_t len, size_t misalign)
{
	size_t span = (misalign + len + PAGE - 1) & ~(PAGE - 1);

	r->map_len = span + PAGE;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		return -1;
	}
	/* The guard: a write past the region faults instead of passing. */
	CHECK(mprotect(r->map + span, PAGE, PROT_NONE) == 0);
	r->buf = r->map + misalign;
	r->len = len;
	return 0;
}

static void region_put(struct region *r)
{
	if (r->map)
		CHECK(munmap(r->map, r->map_len) == 0);
	r->map = NULL;
}

/* Submit one NOP and wait (bounded) for its CQE. */
static void nop_roundtrip(struct iou_ring *ring)
{
	struct iou_timespec ts = { 2, 0 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe = NULL;
	int ret;

	sqe = iou_get_sqe(ring);
	if (!sqe && (ring->flags & IORING_SETUP_SQPOLL)) {
		/*
		 * The poll thread may post a NOP's CQE before it moves the
		 * SQ head past it: with one entry the SQ is still full.
		 */
		CHECK(iou_sqring_wait(ring) >= 0);
		sqe = iou_get_sqe(ring);
	}
	CHECK(sqe);
	iou_prep_nop(sqe);
	iou_sqe_set_data64(sqe, UD_NOP);
	ret = iou_submit_and_wait_timeout(ring, &cqe, 1, &ts, 0);
	CHECK(ret >= 0);
	CHECK(cqe && cqe->user_data == UD_NOP);
	/* IOPOLL rings may refuse a NOP, with a CQE that says so. */
	CHECK(cqe->res == 0 ||
	      ((ring->flags & IORING_SETUP_IOPOLL) &&
	       (cqe->res == -EINVAL || cqe->res == -EOPNOTSUPP)));
	iou_cqe_seen(ring, cqe);
}

/* What the library caches must agree with what the kernel reported. */
static void check_ring(const struct iou_ring *ring,
		       const struct io_uring_params *p)
{
	CHECK(ring->sq.entries && !(ring->sq.entries & (ring->sq.entries - 1)));
	CHECK(ring->cq.entries && !(ring->cq.entries & (ring->cq.entries - 1)));
	CHECK(ring->sq.entries == p->sq_entries);
	CHECK(ring->cq.entries == p->cq_entries);
	CHECK(ring->sq.mask == ring->sq.entries - 1);
	CHECK(ring->cq.mask == ring->cq.entries - 1);
	CHECK(!!(ring->flags & IORING_SETUP_CQE32) == ring->cq.cqe_shift);
	CHECK(!!(ring->flags & IORING_SETUP_SQE128) == ring->sq.sqe_shift);
	CHECK(iou_sq_space_left(ring) == ring->sq.entries);
	CHECK(iou_cq_ready(ring) == 0);
}

/* A ring that set up is used, then torn down. */
static void use_ring(struct iou_ring *ring, const struct io_uring_params *p)
{
	int ret;

	check_ring(ring, p);
	if (p->flags & IORING_SETUP_R_DISABLED) {
		/* A disabled ring refuses to submit until enabled. */
		ret = iou_ring_enable(ring);
		CHECK(ret == 0);
	}
	nop_roundtrip(ring);
}

static void fuzz_params(struct cursor *c, struct io_uring_params *p,
			unsigned *entries)
{
	uint8_t sel = take8(c);

	memset(p, 0, sizeof(*p));
	/* Mostly small; now and then anything. */
	*entries = (sel & 1) ? take16(c) : 1U + take8(c) % 64;
	p->flags = take32(c);
	if (!(sel & 2))
		p->flags &= 0x7ffff;	/* flags this kernel may know */
	p->cq_entries = (sel & 4) ? take32(c) : take16(c) % 512;
	p->sq_thread_cpu = take8(c) % 8;
	p->sq_thread_idle = take8(c) % 8;	/* ms: SQPOLL threads idle soon */
	switch (take8(c) % 4) {
	case 0:
		p->wq_fd = wq_ring_ok == 0 ? (uint32_t)wq_ring.ring_fd : 0;
		break;
	case 1:
		p->wq_fd = (uint32_t)-1;
		break;
	case 2:
		p->wq_fd = take8(c);
		break;
	default:
		break;
	}
	if (sel & 8)
		p->resv[take8(c) % 3] = take32(c);
}

/*
 * The setup path's calls fail from a fuzzed call on: io_uring_setup (an
 * -EINVAL there retries without NO_SQARRAY), the mappings, and register
 * (resize; the unwind of a REGISTERED_FD_ONLY ring).  Not munmap or
 * close: when those fail, what they free stays, by nobody's fault.
 */
static void arm_setup_faults(struct cursor *c)
{
	static const enum iou_fault_sys syss[] = {
		IOU_FAULT_MMAP, IOU_FAULT_REGISTER, IOU_FAULT_SETUP,
	};
	static const long errs[] = { -ENOMEM, -EINVAL, -EFAULT, -EINTR,
				     -EAGAIN, -EBADF };
	uint8_t what = take8(c), when = take8(c);

	iou__fault_arm(syss[what % 3], 1 + when % 4, 1 + (when >> 2) % 4,
		       IOU_FAULT_FAIL, errs[(what >> 2) % 6]);
}

static void mode_params(struct cursor *c, int faults)
{
	struct io_uring_params p, rp;
	struct iou_ring ring;
	unsigned entries;
	int ret;

	fuzz_params(c, &p, &entries);
	if (faults)
		arm_setup_faults(c);
	ret = iou_ring_init_params(&ring, entries, &p);
	iou__fault_reset();
	CHECK(ret <= 0 && ret >= -4095);
	if (ret)
		return;
	use_ring(&ring, &p);

	/* Resize (DEFER_TASKRUN rings; 6.13), then use it again. */
	memset(&rp, 0, sizeof(rp));
	rp.sq_entries = take16(c) % 1024;
	rp.cq_entries = take16(c) % 2048;
	rp.flags = take8(c) & (IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP);
	if (take8(c) & 1) {
		if (faults)
			arm_setup_faults(c);
		ret = iou_resize_rings(&ring, &rp);
		iou__fault_reset();
		CHECK(ret <= 0 && ret >= -4095);
		/* A failed resize may leave the ring unusable, never unsafe. */
		if (!ret) {
			CHECK(ring.sq.entries == rp.sq_entries &&
			      ring.cq.entries == rp.cq_entries);
			nop_roundtrip(&ring);
		} else if (ring.cq.entries) {
			nop_roundtrip(&ring);
		}
	}
	iou_ring_exit(&ring);
	iou_ring_exit(&ring);	/* a second exit does nothing */
}

static void mode_mem(struct cursor *c, int faults)
{
	struct io_uring_params p;
	struct iou_ring ring;
	struct region r;
	unsigned entries;
	size_t misalign, len;
	long need;
	int ret, delta;

	fuzz_params(c, &p, &entries);
	need = iou_ring_mem_size(entries, &p);
	CHECK(need == -EINVAL || (need > 0 && !(need % (long)PAGE)));
	if (need < 0)
		need = 2 * PAGE;
	/* Short, exact, or roomy; aligned or not. */
	delta = (int8_t)take8(c);
	len = (size_t)need;
	if (delta < 0 && (size_t)-delta * 64 < len)
		len -= (size_t)-delta * 64;
	else if (delta > 0)
		len += (size_t)delta * 64;
	misalign = (take8(c) & 1) ? (1 + take16(c) % (PAGE - 1)) : 0;
	if (len > (8UL << 20) || region_get(&r, len, misalign))
		return;
	if (faults)
		arm_setup_faults(c);
	ret = iou_ring_init_mem(&ring, entries, &p, r.buf, r.len);
	iou__fault_reset();
	CHECK(ret <= 0 && ret >= -4095);
	if (((uintptr_t)r.buf & (PAGE - 1)) || (size_t)need > r.len)
		CHECK(ret == -EINVAL);
	if (!ret) {
		CHECK(p.flags & IORING_SETUP_NO_MMAP);
		use_ring(&ring, &p);
		iou_ring_exit(&ring);
	}
	region_put(&r);
}

static int inside(const void *ptr, size_t len, const char *base, size_t size)
{
	const char *q = ptr;

	return q >= base && q + len <= base + size;
}

/*
 * The kernel's side of setup is the input: ring_attach() must accept only
 * offsets inside the memory and words that agree with the sizes.
 */
static void mode_attach(struct cursor *c)
{
	struct io_uring_params p;
	struct iou_ring ring;
	struct io_uring_cqe *cqe;
	struct region r;
	unsigned entries, i, n;
	size_t sqes_region, rings_len;
	char *rings;
	long mem;
	int fd, ret, fix;

	memset(&p, 0, sizeof(p));
	entries = 1U << (take8(c) % 8);
	p.flags = (take32(c) & 0x7ffff) | IORING_SETUP_NO_MMAP;
	p.features = take32(c);
	/* What the "kernel" answers: sizes (mostly powers of two)... */
	p.sq_entries = (take8(c) & 1) ? take16(c) % 4097 :
					1U << (take8(c) % 13);
	p.cq_entries = (take8(c) & 1) ? take16(c) % 4097 :
					1U << (take8(c) % 13);
	/* ...and where the words are. */
	p.sq_off.head = take16(c);
	p.sq_off.tail = take16(c);
	p.sq_off.ring_mask = take16(c);
	p.sq_off.ring_entries = take16(c);
	p.sq_off.flags = take16(c);
	p.sq_off.dropped = take16(c);
	p.sq_off.array = take16(c);
	p.cq_off.head = take16(c);
	p.cq_off.tail = take16(c);
	p.cq_off.ring_mask = take16(c);
	p.cq_off.ring_entries = take16(c);
	p.cq_off.overflow = take16(c);
	p.cq_off.cqes = take16(c);
	p.cq_off.flags = take16(c);

	mem = iou_ring_mem_size(entries, &p);
	if (mem < 0)
		return;
	/*
	 * Just the memory iou_ring_mem_size() asks for: the library must
	 * refuse offsets and sizes that reach past what it was given.
	 */
	sqes_region = (((size_t)entries << ((p.flags & IORING_SETUP_SQE128) ?
						    7 : 6)) + PAGE - 1) &
		      ~(PAGE - 1);
	if (region_get(&r, (size_t)mem, 0))
		return;
	rings = r.buf + sqes_region;
	rings_len = r.len - sqes_region;
	/* The ring words: right where the input says so, else its bytes. */
	fix = take8(c) & 1;
	for (i = 0; i < rings_len && c->n; i++)
		rings[i] = (char)take8(c);
	if (fix) {
		if ((size_t)p.sq_off.ring_mask + 4 <= rings_len)
			memcpy(rings + p.sq_off.ring_mask,
			       &(unsigned){ p.sq_entries - 1 }, 4);
		if ((size_t)p.sq_off.ring_entries + 4 <= rings_len)
			memcpy(rings + p.sq_off.ring_entries, &p.sq_entries, 4);
		if ((size_t)p.cq_off.ring_mask + 4 <= rings_len)
			memcpy(rings + p.cq_off.ring_mask,
			       &(unsigned){ p.cq_entries - 1 }, 4);
		if ((size_t)p.cq_off.ring_entries + 4 <= rings_len)
			memcpy(rings + p.cq_off.ring_entries, &p.cq_entries, 4);
	}

	/* io_uring_setup "returns" an fd of ours; the kernel never sees it. */
	fd = eventfd(0, EFD_CLOEXEC);
	CHECK(fd >= 0);
	iou__fault_arm(IOU_FAULT_SETUP, 1, 1, IOU_FAULT_FAIL, fd);
	ret = iou_ring_init_mem(&ring, entries, &p, r.buf, r.len);
	iou__fault_reset();
	CHECK(ret <= 0 && ret >= -4095);
	if (!ret) {
		CHECK(ring.sq.entries == p.sq_entries &&
		      ring.cq.entries == p.cq_entries);
		CHECK(inside(ring.sq.khead, 4, rings, rings_len));
		CHECK(inside(ring.sq.ktail, 4, rings, rings_len));
		CHECK(inside(ring.sq.kflags, 4, rings, rings_len));
		CHECK(inside(ring.sq.kdropped, 4, rings, rings_len));
		CHECK(!ring.sq.karray ||
		      inside(ring.sq.karray, (size_t)ring.sq.entries * 4, rings,
			     rings_len));
		CHECK(inside(ring.cq.khead, 4, rings, rings_len));
		CHECK(inside(ring.cq.ktail, 4, rings, rings_len));
		CHECK(inside(ring.cq.koverflow, 4, rings, rings_len));
		CHECK(!ring.cq.kflags || inside(ring.cq.kflags, 4, rings,
						rings_len));
		CHECK(inside(ring.cq.cqes,
			     ((size_t)ring.cq.entries << ring.cq.cqe_shift) * 16,
			     rings, rings_len));
		CHECK(!((uintptr_t)ring.cq.cqes & 7));
		/* Reading what the "kernel" left: bounded, no crash. */
		n = iou_cq_ready(&ring);
		CHECK(n <= ring.cq.entries);
		ret = iou_peek_cqe(&ring, &cqe);
		CHECK(ret <= 0 && ret >= -4095);
		if (!ret)
			CHECK(inside(cqe, 16, rings, rings_len));
		iou_ring_exit(&ring);
	}
	/* Ours to close unless the library closed it (a failed setup). */
	if (fcntl(fd, F_GETFD) >= 0)
		close(fd);
	region_put(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };
	struct leak_mark mark;
	uint8_t mode;

	if (wq_ring_ok < 0)
		wq_ring_ok = iou_ring_init(&wq_ring, 4, 0) ? 1 : 0;
	if (size < 1)
		return 0;
	iou__fault_reset();
	leak_mark(&mark);
	mode = take8(&c);
	switch (mode % 4) {
	case 0:
		mode_params(&c, 0);
		break;
	case 1:
		mode_mem(&c, 0);
		break;
	case 2:
		mode_attach(&c);
		break;
	default:
		if (mode & 4)
			mode_mem(&c, 1);
		else
			mode_params(&c, 1);
		break;
	}
	iou__fault_reset();
	leak_check(&mark);
	return 0;
}
