/* SPDX-License-Identifier: MIT */
/*
 * Fuzz surface: the shared ring memory as a hostile or corrupted kernel
 * (or another fuzzer) could leave it.  No kernel is involved: the ring is
 * built over a buffer the input writes into, with fd -1 so that any
 * io_uring_enter the library tries fails at once with -EBADF.
 *
 * Input: byte 0 picks CQ entries (1..64), CQE32 and CQE_MIXED; byte 1 picks
 * SQ entries (1..32); the rest is a script of operations (see run()).
 * Invariants checked after every call, trapping on violation: returned CQE
 * and SQE pointers lie inside their arrays, counts never exceed what was
 * asked or the ring size, our CQ head never passes a tail the "kernel"
 * wrote, every return code is one the API documents, and everything ends.
 */
#include <iou/iou.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			__builtin_trap();                                      \
	} while (0)

struct fake {
	struct iou_ring ring;
	unsigned sq_head, sq_tail, sq_flags, sq_dropped;
	unsigned cq_head, cq_tail, cq_flags, cq_overflow;
	struct io_uring_cqe *cqes; /* entries << shift slots of 16 bytes */
	size_t cqes_bytes;
	struct io_uring_sqe *sqes;
	size_t sqes_bytes;
};

static void fake_init(struct fake *f, uint8_t cq_sel, uint8_t sq_sel)
{
	unsigned cq_entries = 1U << (cq_sel % 7);	/* 1..64 */
	unsigned sq_entries = 1U << (sq_sel % 6);	/* 1..32 */
	struct iou_ring *r = &f->ring;

	memset(f, 0, sizeof(*f));
	r->ring_fd = r->enter_fd = -1;
	r->clockid = 1;
	r->features = IORING_FEAT_EXT_ARG | IORING_FEAT_MIN_TIMEOUT;
	r->cq.cqe_shift = (cq_sel & 0x40) ? 1 : 0;
	r->cq.mixed = !r->cq.cqe_shift && (cq_sel & 0x80);
	if (r->cq.mixed)
		r->flags |= IORING_SETUP_CQE_MIXED;
	r->cq.entries = cq_entries;
	r->cq.mask = cq_entries - 1;
	f->cqes_bytes = (size_t)cq_entries << r->cq.cqe_shift << 4;
	f->cqes = calloc(1, f->cqes_bytes);
	r->cq.cqes = f->cqes;
	r->cq.khead = &f->cq_head;
	r->cq.ktail = &f->cq_tail;
	r->cq.kflags = &f->cq_flags;
	r->cq.koverflow = &f->cq_overflow;

	r->sq.entries = sq_entries;
	r->sq.mask = sq_entries - 1;
	f->sqes_bytes = (size_t)sq_entries * 64;
	f->sqes = calloc(1, f->sqes_bytes);
	r->sq.sqes = f->sqes;
	r->sq.khead = &f->sq_head;
	r->sq.ktail = &f->sq_tail;
	r->sq.kflags = &f->sq_flags;
	r->sq.kdropped = &f->sq_dropped;
}

static void fake_free(struct fake *f)
{
	free(f->cqes);
	free(f->sqes);
}

/* A CQE the library hands out must lie in the array, whole. */
static void check_cqe(const struct fake *f, const struct io_uring_cqe *cqe)
{
	const char *base = (const char *)f->cqes;
	const char *p = (const char *)cqe;
	size_t size = iou_cqe_nr(&f->ring, cqe) == 2 ? 32 :
		      (16U << f->ring.cq.cqe_shift);

	CHECK(p >= base && p + size <= base + f->cqes_bytes);
	CHECK((size_t)(p - base) % 16 == 0);
}

/*
 * Our head never moves past the tail the kernel wrote, and not at all when
 * that tail was corrupt.
 */
static void check_head(const struct fake *f, unsigned head_before,
		       unsigned tail_seen)
{
	unsigned moved = f->ring.cq.head - head_before;
	unsigned avail = tail_seen - head_before;

	if (avail > f->ring.cq.entries)
		CHECK(moved == 0);
	else
		CHECK(moved <= avail);
}

static int documented(int ret)
{
	return ret >= 0 || ret == -EAGAIN || ret == -EUCLEAN || ret == -EBADF ||
	       ret == -ETIME || ret == -EINVAL || ret == -EBUSY;
}

static void op_reap(struct fake *f, uint8_t op, uint8_t arg)
{
	struct iou_ring *r = &f->ring;
	struct io_uring_cqe *cqes[16], *cqe = NULL;
	struct io_uring_cqe out[32];
	struct iou_timespec ts = { 0, 0 };
	unsigned head = r->cq.head, tail = f->cq_tail, n = 0, h;
	unsigned shared_before = f->cq_head;
	int ret, i;

	switch (op % 7) {
	case 0:
		n = iou_cq_ready(r);
		CHECK(n <= r->cq.entries);
		break;
	case 1:
		ret = iou_peek_cqe(r, &cqe);
		CHECK(documented(ret));
		if (!ret) {
			check_cqe(f, cqe);
			if (arg & 1)
				iou_cqe_seen(r, cqe);
		}
		break;
	case 2:
		iou_for_each_cqe(r, h, cqe) {
			check_cqe(f, cqe);
			CHECK(++n <= r->cq.entries);
		}
		iou_cq_advance(r, arg & 1 ? n : n / 2);
		break;
	case 3:
		ret = iou_peek_batch_cqe(r, cqes, arg % 17);
		CHECK(documented(ret) && ret <= (int)(arg % 17));
		for (i = 0; i < ret; i++)
			check_cqe(f, cqes[i]);
		if (ret > 0)
			iou_cq_advance(r, (unsigned)ret);
		break;
	case 4:
		ret = iou_cq_copy(r, out, arg % 17);
		CHECK(documented(ret) && ret <= (int)(arg % 17));
		break;
	case 5:
		ret = iou_wait_cqe_timeout(r, &cqe, &ts);
		CHECK(documented(ret));
		if (!ret)
			check_cqe(f, cqe);
		break;
	default:
		ret = iou_wait_cqes(r, &cqe, arg % 4, &ts, 0);
		CHECK(documented(ret));
		if (cqe)
			check_cqe(f, cqe);
		break;
	}
	check_head(f, head, tail);
	/* The shared head is only ever written with our own head. */
	CHECK(f->cq_head == shared_before || f->cq_head == r->cq.head);
}

static void op_submit_side(struct fake *f, uint8_t op, uint8_t arg)
{
	struct iou_ring *r = &f->ring;
	struct io_uring_sqe *sqes[32], *sqe;
	const char *base = (const char *)f->sqes;
	unsigned n, i;
	int ret;

	switch (op % 3) {
	case 0:
		sqe = iou_get_sqe(r);
		if (sqe)
			CHECK((const char *)sqe >= base &&
			      (const char *)sqe + 64 <= base + f->sqes_bytes);
		break;
	case 1:
		n = arg % 33;
		ret = iou_reserve(r, n, sqes);
		CHECK(ret == 0 || ret == -EBUSY || ret == -EINVAL);
		for (i = 0; !ret && i < n; i++)
			CHECK((const char *)sqes[i] >= base &&
			      (const char *)sqes[i] + 64 <= base + f->sqes_bytes);
		break;
	default:
		CHECK(iou_sq_ready(r) <= r->sq.entries);
		CHECK(iou_sq_space_left(r) <= r->sq.entries);
		/* Publishing without a kernel: the enter fails, nothing breaks. */
		ret = iou_submit(r);
		CHECK(ret >= 0 || ret == -EBADF);
		break;
	}
	/* Never more unpublished SQEs than the SQ holds, whatever the head. */
	CHECK(r->sq.sqe_tail - r->sq.sqe_head <= r->sq.entries);
}

/*
 * The script: each step is 3 bytes, [what, a, b]:
 *   what % 8 == 0: write b into CQE byte a (of the whole array)
 *   1: cq tail += a % 8 (the kernel posting), or = a << 24 | b if a & 0x80
 *   2: cq head (shared copy) = a * b; 3: sq head = a * b
 *   4: sq flags = a (CQ_OVERFLOW / TASKRUN bits trigger flush paths)
 *   5: a reaping call (op a, arg b); 6, 7: a submission-side call
 */
static void run(struct fake *f, const uint8_t *d, size_t n)
{
	size_t i;

	for (i = 0; i + 3 <= n && i < 3 * 512; i += 3) {
		uint8_t what = d[i], a = d[i + 1], b = d[i + 2];

		switch (what % 8) {
		case 0:
			((uint8_t *)f->cqes)[(a * 7U + b) % f->cqes_bytes] = b;
			break;
		case 1:
			if (a & 0x80)
				f->cq_tail = ((unsigned)a << 24) | b;
			else
				f->cq_tail += a % 8;
			break;
		case 2:
			f->cq_head = (unsigned)a * b;
			break;
		case 3:
			f->sq_head = (unsigned)a * b;
			break;
		case 4:
			f->sq_flags = a;
			break;
		case 5:
			op_reap(f, a, b);
			break;
		default:
			op_submit_side(f, a, b);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake f;

	if (size < 2)
		return 0;
	fake_init(&f, data[0], data[1]);
	run(&f, data + 2, size - 2);
	fake_free(&f);
	return 0;
}
