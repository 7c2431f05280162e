/* SPDX-License-Identifier: MIT */
/*
 * Fuzz surface: what io_uring_enter answers.  A real ring runs NOPs while
 * the input scripts the answers of the next enters through the
 * fault-injection hooks (src/fault.h): -EINTR, -ETIME, -EBUSY, -EAGAIN and
 * other errors without the call being made, counts without the call
 * (a kernel that claims to have consumed SQEs it never saw), and short
 * submits (the call made with to_submit clamped, so the kernel really
 * consumes fewer).  A small CQ and bursts of NOPs provoke CQ overflow.
 *
 * Input: byte 0 picks the SQ size (1..16), the CQ size (= SQ or twice it)
 * and whether the ring fd is registered; byte 1 the setup flags (taskrun
 * modes, SQPOLL, SUBMIT_ALL, CQE32, CQE_MIXED, NO_SQARRAY); the rest is a
 * script of 3-byte steps [op, a, b] (see step()).
 *
 * Invariants, trapping on violation: every CQE reaped names a NOP that
 * was queued and is reaped once, with result 0; never more CQEs than NOPs
 * the kernel consumed; return codes are >= -4095; the wait calls keep
 * their contract (-ETIME only for waits with a timeout); and once the
 * faults stop, every NOP queued comes back as a CQE (or is counted in the
 * kernel's overflow counter as dropped).  Nothing may hang: every wait
 * has a timeout, except iou_submit_and_wait() and iou_wait_cqe(), which
 * are only asked for CQEs the kernel already owes.  The ring is torn down
 * with the faults off, and no fd or mapping may be left behind.
 */
#include <iou/iou.h>

#include "fault.h"
#include "harness.h"

#define MAX_NOPS 4096

struct state {
	struct iou_ring ring;
	unsigned issued;	/* NOPs queued; user_data 0..issued-1 */
	unsigned reaped;
	unsigned khead0;	/* the kernel's SQ head at setup */
	uint8_t seen[MAX_NOPS];
};

static struct state st;

/* Errors (and lying counts) an enter can be made to return. */
static const long enter_results[] = {
	-EINTR, -ETIME,	 -EBUSY,  -EAGAIN, -EBADF, -EINVAL,
	-ENOMEM, -EFAULT, -EBADR, -ENXIO,  -EOPNOTSUPP, -EOWNERDEAD,
	0,	1,	 2,	  3,
};

/* NOPs the kernel has taken from the SQ (it owes a CQE for each). */
static unsigned consumed(void)
{
	return iou_load_acquire(st.ring.sq.khead) - st.khead0;
}

/*
 * CQEs the kernel still owes, at least.  An SQPOLL thread stores its SQ
 * head after a whole batch, so its CQEs may be reaped before the head
 * says they were consumed: then none are counted as owed.
 */
static unsigned owed(void)
{
	unsigned c = consumed();

	return c > st.reaped ? c - st.reaped : 0;
}

static void take_cqe(const struct io_uring_cqe *cqe)
{
	uint64_t ud = cqe->user_data;

	CHECK(ud < st.issued);
	CHECK(!st.seen[ud]);
	CHECK(cqe->res == 0);
	st.seen[ud] = 1;
	st.reaped++;
	/* Not with SQPOLL: the head may lag the CQEs (see owed()). */
	CHECK(st.reaped <= consumed() ||
	      (st.ring.flags & IORING_SETUP_SQPOLL));
}

/* A CQE pointer handed out must lie inside the CQ array. */
static void check_cqe_ptr(const struct io_uring_cqe *cqe)
{
	const char *base = (const char *)st.ring.cq.cqes;
	size_t bytes = (size_t)st.ring.cq.entries << st.ring.cq.cqe_shift << 4;

	CHECK((const char *)cqe >= base && (const char *)cqe < base + bytes);
}

static void reap_all(void)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	iou_for_each_cqe(&st.ring, head, cqe) {
		check_cqe_ptr(cqe);
		take_cqe(cqe);
		n++;
	}
	iou_cq_advance(&st.ring, n);
}

/* The CQE a wait call returned, consumed if @take. */
static void waited_cqe(struct io_uring_cqe *cqe, int take)
{
	if (!cqe)
		return;
	check_cqe_ptr(cqe);
	if (take) {
		take_cqe(cqe);
		iou_cqe_seen(&st.ring, cqe);
	}
}

static void queue_nops(unsigned n, uint8_t how)
{
	struct io_uring_sqe *sqe;

	while (n-- && st.issued < MAX_NOPS) {
		sqe = iou_get_sqe(&st.ring);
		if (!sqe)
			return;
		iou_prep_nop(sqe);
		/* Links and io-wq punts: CQEs in other orders and times. */
		if ((how & 1) && n)
			sqe->flags |= IOSQE_IO_LINK;
		if (how & 2)
			sqe->flags |= IOSQE_ASYNC;
		iou_sqe_set_data64(sqe, st.issued++);
	}
}

static void ts_ms(struct iou_timespec *ts, unsigned ms)
{
	ts->tv_sec = 0;
	ts->tv_nsec = (long long)ms * 1000000;
}

static void arm(enum iou_fault_mode mode, long value, uint8_t b)
{
	unsigned nth = 1 + (b & 3);
	/* Now and then more than the library's retry bound (64). */
	unsigned times = (b & 0xc0) == 0xc0 ? 66 + (b & 3) : 1 + ((b >> 2) & 15);

	iou__fault_arm(IOU_FAULT_ENTER, nth, times, mode, value);
}

/*
 * One step of the script, [op, a, b]:
 *   0: the next enters fail with enter_results[a] (b: from which call,
 *      how many times)     1: they are short, to_submit clamped to a % 4
 *   2: faults off          3: queue 1 + a % 16 NOPs (b: linked, async)
 *   4: iou_submit          5: iou_submit_and_wait(min(b % 4, owed))
 *   6: iou_submit_and_wait_timeout (a: timeout, min_wait; b: wait_nr)
 *   7: iou_wait_cqe_timeout  8: iou_wait_cqes (as 6)
 *   9: iou_wait_cqe if a CQE is owed
 *  10: reap: peek one, a batch, a copy, or a walk (a)
 *  11: iou_get_events     12: fill the SQ and submit, a % 8 + 1 times
 *  13: iou_sqring_wait    14: counters within bounds
 */
static void step(uint8_t op, uint8_t a, uint8_t b)
{
	struct iou_ring *r = &st.ring;
	struct io_uring_cqe *cqe = NULL, *batch[8];
	struct io_uring_cqe out[8 * 2];
	struct iou_timespec ts;
	unsigned w, i, min_wait;
	int ret;

	ts_ms(&ts, a % 4);
	min_wait = (a & 0x10) ? 100U * (b >> 4) : 0;
	switch (op % 15) {
	case 0:
		arm(IOU_FAULT_FAIL,
		    enter_results[a % (sizeof(enter_results) /
				       sizeof(enter_results[0]))],
		    b);
		break;
	case 1:
		arm(IOU_FAULT_SHORT, a % 4, b);
		break;
	case 2:
		iou__fault_reset();
		break;
	case 3:
		queue_nops(1 + a % 16, b);
		break;
	case 4:
		ret = iou_submit(r);
		CHECK(ret >= -4095);
		break;
	case 5:
		/* Untimed: only CQEs the kernel owes, and that fit the CQ. */
		w = b % 4;
		if (w > owed())
			w = owed();
		if (w > r->cq.entries)
			w = r->cq.entries;
		ret = iou_submit_and_wait(r, w);
		CHECK(ret >= -4095);
		break;
	case 6:
		ret = iou_submit_and_wait_timeout(r, &cqe, b % 4, &ts, min_wait);
		CHECK(ret >= -4095);
		waited_cqe(cqe, a & 0x80);
		break;
	case 7:
		ret = iou_wait_cqe_timeout(r, &cqe, &ts);
		CHECK(ret >= -4095);
		if (!ret)
			CHECK(cqe);
		waited_cqe(ret ? NULL : cqe, a & 0x80);
		break;
	case 8:
		ret = iou_wait_cqes(r, &cqe, b % 4, &ts, min_wait);
		CHECK(ret >= -4095);
		waited_cqe(cqe, a & 0x80);
		break;
	case 9:
		if (!owed())
			break;
		ret = iou_wait_cqe(r, &cqe);
		/* Nothing times out here: -ETIME would be a broken promise. */
		CHECK(ret != -ETIME && ret >= -4095);
		waited_cqe(ret ? NULL : cqe, 1);
		break;
	case 10:
		switch (a % 4) {
		case 0:
			ret = iou_peek_cqe(r, &cqe);
			CHECK(ret >= -4095);
			waited_cqe(ret ? NULL : cqe, 1);
			break;
		case 1:
			ret = iou_peek_batch_cqe(r, batch, b % 9);
			CHECK(ret >= -4095 && ret <= (int)(b % 9));
			for (i = 0; ret > 0 && i < (unsigned)ret; i++) {
				check_cqe_ptr(batch[i]);
				take_cqe(batch[i]);
			}
			if (ret > 0)
				iou_cq_advance(r, (unsigned)ret);
			break;
		case 2:
			ret = iou_cq_copy(r, out, b % 9);
			CHECK(ret >= -4095 && ret <= (int)(b % 9));
			/* The stride is 32 bytes on CQE32 and mixed rings. */
			for (i = 0; ret > 0 && i < (unsigned)ret; i++)
				take_cqe((const struct io_uring_cqe *)
						 ((const char *)out +
						  i * iou_cqe_stride(r)));
			break;
		default:
			reap_all();
			break;
		}
		break;
	case 11:
		ret = iou_get_events(r);
		CHECK(ret >= -4095);
		break;
	case 12:
		for (i = 0; i <= a % 8; i++) {
			queue_nops(r->sq.entries, 0);
			ret = iou_submit(r);
			CHECK(ret >= -4095);
		}
		break;
	case 13:
		ret = iou_sqring_wait(r);
		CHECK(ret >= -4095);
		break;
	default:
		CHECK(iou_cq_ready(r) <= r->cq.entries);
		CHECK(iou_sq_ready(r) <= r->sq.entries);
		CHECK(iou_sq_space_left(r) <= r->sq.entries);
		CHECK(st.reaped <= consumed() ||
		      (r->flags & IORING_SETUP_SQPOLL));
		break;
	}
}

/*
 * The faults stop: everything queued goes to the kernel, and every NOP
 * must come back within a bounded number of short waits.
 */
static void finish(void)
{
	struct iou_timespec ts;
	struct io_uring_cqe *cqe;
	unsigned rounds;
	int ret;

	iou__fault_reset();
	ts_ms(&ts, 5);
	for (rounds = 0; rounds < 400; rounds++) {
		reap_all();
		if (st.reaped + *st.ring.cq.koverflow >= st.issued)
			break;
		ret = iou_submit_and_wait_timeout(&st.ring, &cqe, 1, &ts, 0);
		CHECK(ret >= 0 || ret == -ETIME || ret == -EBUSY ||
		      ret == -EAGAIN || ret == -EBADR || ret == -EINTR);
	}
	/* No CQE lost silently: dropped ones are counted by the kernel. */
	CHECK(st.reaped + *st.ring.cq.koverflow == st.issued);
}

static const unsigned setup_flags[] = {
	0,
	IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
		IORING_SETUP_TASKRUN_FLAG,
	IORING_SETUP_SQPOLL,
	IORING_SETUP_SUBMIT_ALL,
	IORING_SETUP_CQE32,
	IORING_SETUP_CQE_MIXED,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct io_uring_params p;
	struct leak_mark mark;
	unsigned sq;
	size_t i;

	if (size < 2)
		return 0;
	iou__fault_reset();
	leak_mark(&mark);
	memset(&st, 0, sizeof(st));
	memset(&p, 0, sizeof(p));
	sq = 1U << (data[0] % 5);
	p.flags = setup_flags[data[1] % 8] | IORING_SETUP_CQSIZE;
	if (data[1] & 8)
		p.flags |= IORING_SETUP_NO_SQARRAY;
	p.cq_entries = sq << ((data[0] >> 3) & 1);
	p.sq_thread_idle = 1;
	if (iou_ring_init_params(&st.ring, sq, &p)) {
		/* An unknown flag on this kernel: nothing may be left. */
		leak_check(&mark);
		return 0;
	}
	if (data[0] & 0x10)
		CHECK(iou_register_ring_fd(&st.ring) == 0);
	st.khead0 = *st.ring.sq.khead;

	for (i = 2; i + 3 <= size && i < 2 + 3 * 1024; i += 3)
		step(data[i], data[i + 1], data[i + 2]);
	finish();

	iou_ring_exit(&st.ring);
	leak_check(&mark);
	return 0;
}
