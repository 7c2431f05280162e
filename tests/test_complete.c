/* SPDX-License-Identifier: MIT */
/*
 * Completion: peek/wait/batch/copy, overflow through a tiny CQ, DEFER_TASKRUN,
 * and corrupted rings.  Kernel errors while waiting (fault injection):
 * test_fault_complete.c.
 */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iou/prep.h>

static void submit_nops(struct iou_ring *ring, unsigned first, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		t_nop(ring, UD_NOP(first + i));
	assert_int_equal(iou_submit(ring), (int)n);
}

static void test_complete_peek_empty(void **state)
{
	struct iou_ring ring;
	struct io_uring_cqe *cqe = (void *)1;

	(void)state;
	t_ring_init(&ring, 4, 0);
	assert_int_equal(iou_peek_cqe(&ring, &cqe), -EAGAIN);
	assert_null(cqe);
	assert_int_equal(iou_cq_ready(&ring), 0);
	submit_nops(&ring, 0, 1);
	assert_int_equal(iou_peek_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_NOP(0));
	/* Peeking does not consume. */
	assert_int_equal(iou_peek_cqe(&ring, &cqe), 0);
	iou_cqe_seen(&ring, cqe);
	assert_int_equal(iou_peek_cqe(&ring, &cqe), -EAGAIN);
	iou_ring_exit(&ring);
}

/*
 * 1000 NOPs through a 4-entry CQ, submitted faster than reaped so the CQ
 * overflows again and again: every user_data arrives exactly once.
 */
static void test_complete_overflow_1000(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE,
				     .cq_entries = 4 };
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	struct t_seen seen;
	unsigned sent = 0, overflowed = 0;

	(void)state;
	t_ring_init_params(&ring, 4, &p);
	assert_int_equal(ring.cq.entries, 4);
	t_seen_init(&seen, 1000);
	while (sent < 1000 || seen.count < 1000) {
		/* Two batches of 4 per reaped CQE: the CQ cannot keep up. */
		while (sent < 1000 && iou_sq_space_left(&ring) &&
		       sent - seen.count < 64) {
			t_nop(&ring, sent);
			sent++;
		}
		assert_true(iou_submit(&ring) >= 0);
		if (iou_cq_has_overflow(&ring))
			overflowed++;
		assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
		assert_int_equal(cqe->res, 0);
		t_seen_mark(&seen, cqe->user_data);
		iou_cqe_seen(&ring, cqe);
	}
	assert_int_equal(seen.count, 1000);
	assert_int_equal(seen.dups, 0);
	assert_true(overflowed > 0);
	assert_int_equal(iou_peek_cqe(&ring, &cqe), -EAGAIN);
	t_seen_free(&seen);
	iou_ring_exit(&ring);
}

static void test_complete_wait_nr(void **state)
{
	struct io_uring_cqe *cqes[8];
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int i, n;

	(void)state;
	t_ring_init(&ring, 8, 0);
	submit_nops(&ring, 0, 6);
	assert_int_equal(iou_wait_cqes(&ring, &cqe, 6, NULL, 0), 0);
	assert_int_equal(cqe->user_data, UD_NOP(0));
	n = iou_peek_batch_cqe(&ring, cqes, 8);
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		assert_int_equal(cqes[i]->user_data, UD_NOP(i));
	iou_cq_advance(&ring, (unsigned)n);
	assert_int_equal(iou_peek_batch_cqe(&ring, cqes, 8), 0);
	/* wait_nr 0 is a peek. */
	assert_int_equal(iou_wait_cqes(&ring, &cqe, 0, NULL, 0), -EAGAIN);
	iou_ring_exit(&ring);
}

static void test_complete_wait_timeout(void **state)
{
	struct iou_timespec ts = { 0, 15 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int64_t t0;

	(void)state;
	t_ring_init(&ring, 4, 0);
	t0 = t_now_ns();
	assert_int_equal(iou_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	assert_true(t_now_ns() - t0 >= 14 * 1000 * 1000);
	/* A zero timeout polls. */
	ts.tv_nsec = 0;
	assert_int_equal(iou_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	submit_nops(&ring, 0, 1);
	assert_int_equal(iou_wait_cqe_timeout(&ring, &cqe, &ts), 0);
	iou_cqe_seen(&ring, cqe);
	/* Fewer ready than asked when the time runs out: -ETIME, CQE set. */
	submit_nops(&ring, 1, 1);
	ts.tv_nsec = 5 * 1000 * 1000;
	assert_int_equal(iou_wait_cqes(&ring, &cqe, 2, &ts, 0), -ETIME);
	assert_non_null(cqe);
	assert_int_equal(cqe->user_data, UD_NOP(1));
	iou_cqe_seen(&ring, cqe);
	iou_ring_exit(&ring);
}

static void test_complete_for_each_one_store(void **state)
{
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	unsigned head, n = 0, khead;

	(void)state;
	t_ring_init(&ring, 8, 0);
	submit_nops(&ring, 0, 7);
	khead = *ring.cq.khead;
	iou_for_each_cqe(&ring, head, cqe) {
		assert_int_equal(cqe->user_data, UD_NOP(n));
		/* The kernel's head does not move during the walk. */
		assert_int_equal(*ring.cq.khead, khead);
		n++;
	}
	assert_int_equal(n, 7);
	iou_cq_advance(&ring, n);
	assert_int_equal(*ring.cq.khead, khead + 7);
	assert_int_equal(iou_cq_ready(&ring), 0);
	iou_ring_exit(&ring);
}

static void test_complete_copy(void **state)
{
	struct io_uring_cqe out[5];
	struct iou_ring ring;
	int i;

	(void)state;
	t_ring_init(&ring, 8, 0);
	submit_nops(&ring, 0, 7);
	assert_int_equal(iou_cq_copy(&ring, out, 5), 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(out[i].user_data, UD_NOP(i));
		assert_int_equal(out[i].res, 0);
	}
	assert_int_equal(iou_cq_ready(&ring), 2);
	assert_int_equal(iou_cq_copy(&ring, out, 5), 2);
	assert_int_equal(out[1].user_data, UD_NOP(6));
	assert_int_equal(iou_cq_copy(&ring, out, 5), 0);
	iou_ring_exit(&ring);
}

/*
 * Wait (5 s at most) until the kernel has work to run for us, the read
 * woken by our write: with TASKRUN_FLAG it says so in the SQ flags.
 */
static void wait_taskrun(struct iou_ring *ring)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (iou_load_acquire(ring->sq.kflags) & IORING_SQ_TASKRUN)
			return;
		usleep(1000);
	}
	fail_msg("no IORING_SQ_TASKRUN within 5 s");
}

/*
 * With DEFER_TASKRUN completions appear only when we enter with GETEVENTS.
 * A socket, not a pipe: Linux 6.1 cannot read a pipe without blocking, so
 * there the woken read goes on to an io-wq worker and completes at some
 * later time, where a socket's completes in the enter that runs it.
 */
static void test_complete_defer_taskrun(void **state)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	unsigned head, n, read_seen = 0;
	int fds[2];
	char c = 'x', buf[1];

	(void)state;
	t_ring_init(&ring, 4,
		    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			    IORING_SETUP_TASKRUN_FLAG);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	sqe = iou_get_sqe(&ring);
	sqe->opcode = IORING_OP_READ;
	sqe->fd = fds[0];
	sqe->addr = (uint64_t)(uintptr_t)buf;
	sqe->len = 1;
	sqe->user_data = UD_TAG(0x52454144, 1); /* "READ" */
	assert_int_equal(iou_submit(&ring), 1);
	assert_int_equal(write(fds[1], &c, 1), 1);
	/* The read can complete in the kernel, but no CQE is posted yet. */
	wait_taskrun(&ring);
	assert_int_equal(iou_cq_ready(&ring), 0);
	assert_int_equal(iou_get_events(&ring), 0);
	assert_int_equal(iou_peek_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_TAG(0x52454144, 1));
	assert_int_equal(cqe->res, 1);
	assert_int_equal(buf[0], 'x');
	iou_cqe_seen(&ring, cqe);

	/*
	 * A submit asks for completions too: the read that finished while
	 * nobody waited is posted along with the NOP the submit carried.
	 */
	sqe = iou_get_sqe(&ring);
	sqe->opcode = IORING_OP_READ;
	sqe->fd = fds[0];
	sqe->addr = (uint64_t)(uintptr_t)buf;
	sqe->len = 1;
	sqe->user_data = UD_TAG(0x52454144, 2);
	assert_int_equal(iou_submit(&ring), 1);
	c = 'y';
	assert_int_equal(write(fds[1], &c, 1), 1);
	wait_taskrun(&ring);
	assert_int_equal(iou_cq_ready(&ring), 0);
	submit_nops(&ring, 0, 1);
	assert_int_equal(iou_cq_ready(&ring), 2);
	n = 0;
	iou_for_each_cqe(&ring, head, cqe) {
		if (cqe->user_data == UD_TAG(0x52454144, 2)) {
			assert_int_equal(cqe->res, 1);
			assert_int_equal(buf[0], 'y');
			read_seen++;
		}
		n++;
	}
	assert_int_equal(read_seen, 1);
	iou_cq_advance(&ring, n);
	close(fds[0]);
	close(fds[1]);
	iou_ring_exit(&ring);
}

static void test_complete_eventfd_toggle(void **state)
{
	struct iou_ring ring;
	eventfd_t v;
	int efd;

	(void)state;
	t_ring_init(&ring, 4, 0);
	efd = eventfd(0, EFD_NONBLOCK);
	assert_true(efd >= 0);
	assert_int_equal(iou_register_eventfd(&ring, efd), 0);
	submit_nops(&ring, 0, 1);
	assert_int_equal(eventfd_read(efd, &v), 0);
	assert_true(v >= 1);
	assert_int_equal(iou_cq_eventfd_toggle(&ring, 0), 0);
	submit_nops(&ring, 1, 1);
	assert_int_equal(eventfd_read(efd, &v), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(iou_cq_eventfd_toggle(&ring, 1), 0);
	submit_nops(&ring, 2, 1);
	assert_int_equal(eventfd_read(efd, &v), 0);
	close(efd);
	iou_ring_exit(&ring);
}

/*
 * A copy of the ring's CQ memory with a corrupt tail: every reaping call
 * answers -EUCLEAN; nothing walks past the CQ or loops.
 */
static void test_complete_corrupt_tail_copy(void **state)
{
	struct io_uring_cqe *cqes[4];
	struct io_uring_cqe out[4];
	struct io_uring_cqe *cqe;
	struct iou_ring ring, fake;
	unsigned head;
	char *copy;
	unsigned n;

	(void)state;
	t_ring_init(&ring, 4, 0);
	submit_nops(&ring, 0, 2);
	copy = malloc(ring.cq.ring_sz);
	assert_non_null(copy);
	memcpy(copy, ring.cq.ring_ptr, ring.cq.ring_sz);
	fake = ring;
	fake.cq.ring_ptr = copy;
	fake.cq.khead = (unsigned *)(copy + ring.cq_off.head);
	fake.cq.ktail = (unsigned *)(copy + ring.cq_off.tail);
	fake.cq.cqes = (struct io_uring_cqe *)(copy + ring.cq_off.cqes);
	fake.sq.kflags = (unsigned *)(copy + ring.sq_off.flags);

	/* The copy is sane: both CQEs are there. */
	assert_int_equal(iou_cq_ready(&fake), 2);
	assert_int_equal(iou_peek_cqe(&fake, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_NOP(0));

	/* Tail far beyond the CQ size, and behind the head. */
	unsigned bad[] = { *fake.cq.khead + ring.cq.entries + 1,
			   *fake.cq.khead + 0x80000000U,
			   *fake.cq.khead - 1 };
	for (unsigned i = 0; i < 3; i++) {
		*fake.cq.ktail = bad[i];
		assert_int_equal(iou_cq_ready(&fake), 0);
		assert_int_equal(iou_peek_cqe(&fake, &cqe), -EUCLEAN);
		assert_int_equal(iou_wait_cqe(&fake, &cqe), -EUCLEAN);
		assert_int_equal(iou_wait_cqes(&fake, &cqe, 3, NULL, 0),
				 -EUCLEAN);
		assert_int_equal(iou_peek_batch_cqe(&fake, cqes, 4), -EUCLEAN);
		assert_int_equal(iou_cq_copy(&fake, out, 4), -EUCLEAN);
		n = 0;
		iou_for_each_cqe(&fake, head, cqe)
			n++;
		assert_int_equal(n, 0);
	}
	free(copy);
	/* The real ring never noticed. */
	assert_int_equal(iou_cq_copy(&ring, out, 4), 2);
	iou_ring_exit(&ring);
}

/*
 * Corrupting the live ring's shared words: the kernel keeps its own copy of
 * the tail, so we can restore it; in between we must fail, not hang.
 */
static void test_complete_corrupt_live_ring(void **state)
{
	struct iou_timespec ts = { 0, 10 * 1000 * 1000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	unsigned tail, space, i;

	(void)state;
	t_ring_init(&ring, 4, 0);
	submit_nops(&ring, 0, 1);
	tail = *ring.cq.ktail;
	*ring.cq.ktail = tail + 1000;
	assert_int_equal(iou_wait_cqe(&ring, &cqe), -EUCLEAN);
	/*
	 * The tail pulled back to the head: the CQE is hidden from both us
	 * and the kernel's wait; a timed wait ends on time.
	 */
	*ring.cq.ktail = ring.cq.head;
	assert_int_equal(iou_peek_cqe(&ring, &cqe), -EAGAIN);
	assert_int_equal(iou_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	/* The shared head is written, never trusted. */
	*ring.cq.khead = 12345;
	*ring.cq.ktail = tail;
	assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_NOP(0));
	iou_cqe_seen(&ring, cqe);
	assert_int_equal(*ring.cq.khead, tail);
	/*
	 * A corrupt SQ head (past what was published) is not believed: the
	 * last head read stands, so what is handed out never exceeds the
	 * ring and the count agrees with iou_get_sqe().
	 */
	*ring.sq.khead = ring.sq.sqe_tail + 100;
	space = iou_sq_space_left(&ring);
	assert_true(space < ring.sq.entries);
	for (i = 0; i < space; i++)
		assert_non_null(iou_get_sqe(&ring));
	assert_null(iou_get_sqe(&ring));
	assert_int_equal(iou_sq_space_left(&ring), 0);
	assert_int_equal(iou_reserve(&ring, 1, &sqe), -EBUSY);
	iou_ring_exit(&ring);
}

/*
 * On an IOPOLL ring an enter that waits returns after polling whether or
 * not a CQE came (a MSG_RING's CQE arrives by task work, not by polling):
 * many such enters in a row are not a corrupt ring.
 */
static void test_complete_iopoll_wait_spins(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	unsigned i;
	int ret;

	(void)state;
	if (!t_kernel_at_least(5, 18))
		t_skip("IORING_OP_MSG_RING needs Linux 5.18");
	t_ring_init(&ring, 4, IORING_SETUP_IOPOLL);
	for (i = 0; i < 200; i++) {
		sqe = iou_get_sqe(&ring);
		assert_non_null(sqe);
		iou_prep_msg_ring(sqe, ring.ring_fd, 7, 0x10000 + i, 0);
		iou_sqe_set_data64(sqe, i);
		assert_int_equal(iou_submit(&ring), 1);
		/* Our own CQE and the message, in either order. */
		ret = iou_wait_cqes(&ring, &cqe, 2, NULL, 0);
		assert_int_equal(ret, 0);
		assert_int_equal(iou_cq_ready(&ring), 2);
		iou_cq_advance(&ring, 2);
	}
	iou_ring_exit(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_complete_peek_empty),
		T_TEST(test_complete_overflow_1000),
		T_TEST(test_complete_wait_nr),
		T_TEST(test_complete_wait_timeout),
		T_TEST(test_complete_for_each_one_store),
		T_TEST(test_complete_copy),
		T_TEST(test_complete_defer_taskrun),
		T_TEST(test_complete_eventfd_toggle),
		T_TEST(test_complete_corrupt_tail_copy),
		T_TEST(test_complete_corrupt_live_ring),
		T_TEST(test_complete_iopoll_wait_spins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
