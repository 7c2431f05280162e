/* SPDX-License-Identifier: MIT */
/*
 * liburing's API on iou (include/iou-liburing, libiou-liburing.a), used
 * as a liburing program uses it: only <liburing.h>, real rings, a real
 * file.  liburing's own test suite runs against the layer in CI
 * (tests/liburing/run); this is the quick check beside the rest.
 */
#include <liburing.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cmocka.h>

static void init_or_skip(struct io_uring *ring, unsigned entries,
			 unsigned flags)
{
	struct utsname u;
	int ret = io_uring_queue_init(entries, ring, flags);

	if (ret == -ENOSYS || ret == -EPERM ||
	    (ret == -EINVAL && flags)) {
		uname(&u);
		printf("SKIP: io_uring_queue_init: %s [Linux %s]\n",
		       strerror(-ret), u.release);
		skip();
	}
	assert_int_equal(ret, 0);
}

/* The fields programs read agree with the kernel's. */
static void test_compat_fields(void **state)
{
	struct io_uring ring;

	(void)state;
	init_or_skip(&ring, 8, 0);
	assert_true(ring.ring_fd >= 0);
	assert_int_equal(ring.sq.ring_entries, 8);
	assert_int_equal(*ring.sq.kring_entries, 8);
	assert_int_equal(*ring.sq.kring_mask, 7);
	assert_int_equal(ring.sq.ring_mask, 7);
	assert_int_equal(ring.cq.ring_entries, 16);
	assert_int_equal(*ring.cq.kring_entries, 16);
	assert_int_equal(*ring.cq.koverflow, 0);
	assert_true(ring.features & IORING_FEAT_NODROP);
	assert_int_equal(io_uring_sq_space_left(&ring), 8);
	io_uring_queue_exit(&ring);
}

/* A full SQ of NOPs, their CQEs walked with io_uring_for_each_cqe. */
static void test_compat_nops(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	unsigned head, seen = 0, i;

	(void)state;
	init_or_skip(&ring, 8, 0);
	for (i = 0; i < 8; i++) {
		sqe = io_uring_get_sqe(&ring);
		assert_non_null(sqe);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 100 + i);
	}
	assert_null(io_uring_get_sqe(&ring));
	assert_int_equal(io_uring_sq_ready(&ring), 8);
	assert_int_equal(io_uring_submit(&ring), 8);
	assert_int_equal(io_uring_wait_cqe_nr(&ring, &cqe, 8), 0);
	assert_int_equal(io_uring_cq_ready(&ring), 8);
	io_uring_for_each_cqe(&ring, head, cqe) {
		assert_int_equal(cqe->res, 0);
		assert_int_equal(io_uring_cqe_get_data64(cqe), 100 + seen);
		seen++;
	}
	assert_int_equal(seen, 8);
	io_uring_cq_advance(&ring, seen);
	assert_int_equal(io_uring_cq_ready(&ring), 0);
	assert_int_equal(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	/* The SQ is free again, and the ring goes on. */
	assert_int_equal(io_uring_sq_space_left(&ring), 8);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data(sqe, &ring);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_ptr_equal(io_uring_cqe_get_data(cqe), &ring);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/* A prep helper writes the flags byte, as liburing's do. */
static void test_compat_prep_clears_flags(void **state)
{
	struct io_uring_sqe sqe;

	(void)state;
	memset(&sqe, 0xff, sizeof(sqe));
	io_uring_sqe_set_flags(&sqe, IOSQE_IO_LINK);
	io_uring_prep_read(&sqe, 3, &sqe, 64, 4096);
	assert_int_equal(sqe.flags, 0);
	assert_int_equal(sqe.opcode, IORING_OP_READ);
	assert_int_equal(sqe.fd, 3);
	assert_int_equal(sqe.len, 64);
	assert_int_equal(sqe.off, 4096);
	assert_int_equal(sqe.rw_flags, 0);
	assert_int_equal(sqe.buf_index, 0);
	/* user_data is the caller's to keep. */
	assert_true(sqe.user_data == ~(__u64)0);
}

/* Write, then read back through a registered buffer and through readv. */
static void test_compat_file_io(void **state)
{
	char path[] = "/tmp/iou-compat-XXXXXX";
	char out[4096], in[4096], in2[4096];
	struct iovec reg = { in, sizeof(in) };
	struct iovec iov = { in2, sizeof(in2) };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int fd, ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	memset(out, 'c', sizeof(out));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, fd, out, sizeof(out), 0);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->res, sizeof(out));
	io_uring_cqe_seen(&ring, cqe);

	ret = io_uring_register_buffers(&ring, &reg, 1);
	assert_int_equal(ret, 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, in, sizeof(in), 0, 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_readv(sqe, fd, &iov, 1, 0);
	assert_int_equal(io_uring_submit(&ring), 2);
	assert_int_equal(io_uring_wait_cqe_nr(&ring, &cqe, 2), 0);
	assert_int_equal(cqe->res, sizeof(in));
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_peek_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->res, sizeof(in2));
	io_uring_cqe_seen(&ring, cqe);
	assert_memory_equal(in, out, sizeof(out));
	assert_memory_equal(in2, out, sizeof(out));
	assert_int_equal(io_uring_unregister_buffers(&ring), 0);
	close(fd);
	io_uring_queue_exit(&ring);
}

/* Waits with a timeout; a timeout SQE with a count. */
static void test_compat_timeouts(void **state)
{
	struct __kernel_timespec ts = { 0, 10 * 1000 * 1000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;

	(void)state;
	init_or_skip(&ring, 4, 0);
	if (!(ring.features & IORING_FEAT_EXT_ARG)) {
		io_uring_queue_exit(&ring);
		skip();
	}
	assert_int_equal(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	io_uring_sqe_set_data64(sqe, 7);
	assert_int_equal(io_uring_submit(&ring), 1);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->res, -ETIME);
	assert_int_equal(cqe->user_data, 7);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

static void test_compat_probe(void **state)
{
	struct io_uring_probe *p;
	struct io_uring ring;

	(void)state;
	init_or_skip(&ring, 4, 0);
	p = io_uring_get_probe_ring(&ring);
	assert_non_null(p);
	assert_true(io_uring_opcode_supported(p, IORING_OP_NOP));
	assert_true(io_uring_opcode_supported(p, IORING_OP_READV));
	assert_false(io_uring_opcode_supported(p, 255));
	assert_false(io_uring_opcode_supported(p, -1));
	io_uring_free_probe(p);
	p = io_uring_get_probe();
	assert_non_null(p);
	assert_true(p->last_op >= IORING_OP_READV);
	io_uring_free_probe(p);
	io_uring_queue_exit(&ring);
}

/* Registering the ring fd answers 1, and the ring keeps working. */
static void test_compat_register_ring_fd(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	ret = io_uring_register_ring_fd(&ring);
	if (ret == -EINVAL) {
		io_uring_queue_exit(&ring);
		skip();	/* before 5.18 */
	}
	assert_int_equal(ret, 1);
	assert_true(ring.int_flags & 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_unregister_ring_fd(&ring), 1);
	assert_false(ring.int_flags & 1);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat_fields),
		cmocka_unit_test(test_compat_nops),
		cmocka_unit_test(test_compat_prep_clears_flags),
		cmocka_unit_test(test_compat_file_io),
		cmocka_unit_test(test_compat_timeouts),
		cmocka_unit_test(test_compat_probe),
		cmocka_unit_test(test_compat_register_ring_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
