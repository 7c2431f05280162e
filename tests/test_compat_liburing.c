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
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cmocka.h>

#if IO_URING_CHECK_VERSION(2, 3)
#error "the layer says it is older than liburing 2.3"
#endif

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

	/*
	 * Fewer CQEs than asked for when the time is up: a success with the
	 * first of them, as in liburing (-ETIME only when none came).
	 */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 8);
	assert_int_equal(io_uring_submit_and_wait_timeout(&ring, &cqe, 2, &ts,
							  NULL),
			 1);
	assert_non_null(cqe);
	assert_int_equal(cqe->user_data, 8);
	assert_int_equal(io_uring_wait_cqes(&ring, &cqe, 2, &ts, NULL), 0);
	assert_int_equal(cqe->user_data, 8);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_wait_cqes(&ring, &cqe, 2, &ts, NULL), -ETIME);
	assert_null(cqe);
	io_uring_queue_exit(&ring);
}

/*
 * A program that moves the ring to another fd through liburing's fields
 * (a dup, the original closed) goes on working, and queue_exit closes
 * the dup.
 */
static void test_compat_ring_fd_moved(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int fd;

	(void)state;
	init_or_skip(&ring, 4, 0);
	fd = dup(ring.ring_fd);
	assert_true(fd >= 0);
	close(ring.ring_fd);
	ring.ring_fd = ring.enter_ring_fd = fd;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 3);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, 3);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_register_files_sparse(&ring, 1) == -EBADF, 0);
	io_uring_queue_exit(&ring);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
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

/* Submit what is queued and wait for one CQE, which the caller gives back. */
static struct io_uring_cqe *submit_wait(struct io_uring *ring)
{
	struct io_uring_cqe *cqe;

	assert_true(io_uring_submit(ring) >= 0);
	assert_int_equal(io_uring_wait_cqe(ring, &cqe), 0);
	return cqe;
}

/*
 * A sparse file table filled by io_uring_register_files_update(), the
 * tagged update, an openat_direct that lets the kernel pick the slot
 * (IORING_FILE_INDEX_ALLOC, inside io_uring_register_file_alloc_range()),
 * and close_direct.
 */
static void test_compat_files_sparse_update(void **state)
{
	static const char msg[] = "fixed";
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	__u64 tags[1] = { 0 };
	int fds[2], ret;
	char buf[16];

	(void)state;
	init_or_skip(&ring, 4, 0);
	ret = io_uring_register_files_sparse(&ring, 4);
	if (ret == -EINVAL) {
		io_uring_queue_exit(&ring);
		skip();	/* before 5.19 */
	}
	assert_int_equal(ret, 0);
	assert_int_equal(pipe(fds), 0);
	/* Slot 2: the write end; slot 1 (tagged form): the read end. */
	assert_int_equal(io_uring_register_files_update(&ring, 2, &fds[1], 1),
			 1);
	assert_int_equal(io_uring_register_files_update_tag(&ring, 1, &fds[0],
							     tags, 1),
			 1);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, 2, msg, sizeof(msg), 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->res, sizeof(msg));
	io_uring_cqe_seen(&ring, cqe);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 1, buf, sizeof(buf), 0);
	io_uring_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->res, sizeof(msg));
	io_uring_cqe_seen(&ring, cqe);
	assert_memory_equal(buf, msg, sizeof(msg));

	/* The kernel picks the slot: only 3 is left to it. */
	ret = io_uring_register_file_alloc_range(&ring, 3, 1);
	if (ret != -EINVAL) {	/* 6.0 */
		assert_int_equal(ret, 0);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_openat_direct(sqe, AT_FDCWD, "/dev/null",
					    O_RDONLY, 0,
					    IORING_FILE_INDEX_ALLOC);
		cqe = submit_wait(&ring);
		assert_int_equal(cqe->res, 3);
		io_uring_cqe_seen(&ring, cqe);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_close_direct(sqe, 3);
		cqe = submit_wait(&ring);
		assert_int_equal(cqe->res, 0);
		io_uring_cqe_seen(&ring, cqe);
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_close_direct(sqe, 2);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->res, 0);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_unregister_files(&ring), 0);
	close(fds[0]);
	close(fds[1]);
	io_uring_queue_exit(&ring);
}

/* Sparse fixed buffers, one filled by io_uring_register_buffers_update_tag(). */
static void test_compat_buffers_sparse_update(void **state)
{
	char path[] = "/tmp/iou-compat-XXXXXX";
	char data[512], in[512];
	struct iovec iov = { in, sizeof(in) };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	__u64 tag = 0;
	int fd, ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	ret = io_uring_register_buffers_sparse(&ring, 2);
	if (ret == -EINVAL) {
		io_uring_queue_exit(&ring);
		skip();	/* before 5.19 */
	}
	assert_int_equal(ret, 0);
	assert_int_equal(io_uring_register_buffers_update_tag(&ring, 1, &iov,
							       &tag, 1),
			 1);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	memset(data, 'b', sizeof(data));
	assert_int_equal(write(fd, data, sizeof(data)), sizeof(data));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_fixed(sqe, fd, in, sizeof(in), 0, 1);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->res, sizeof(in));
	io_uring_cqe_seen(&ring, cqe);
	assert_memory_equal(in, data, sizeof(data));
	assert_int_equal(io_uring_unregister_buffers(&ring), 0);
	close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * A provided-buffer ring: registered, filled with the inline helpers,
 * consumed by a recv with IOSQE_BUFFER_SELECT on a socketpair, recycled
 * with io_uring_buf_ring_cq_advance().
 */
#define BR_ENTRIES 4
#define BR_BUF 64
#define BR_BGID 7

static void test_compat_buf_ring_recv(void **state)
{
	static const char msg[] = "through a provided buffer";
	struct io_uring_buf_reg reg;
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	size_t br_size = BR_ENTRIES * sizeof(struct io_uring_buf);
	char (*bufs)[BR_BUF];
	int sv[2], ret, mask, bid, i, round;

	(void)state;
	init_or_skip(&ring, 4, 0);
	br = mmap(NULL, br_size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(br != MAP_FAILED);
	bufs = malloc(BR_ENTRIES * BR_BUF);
	assert_non_null(bufs);
	io_uring_buf_ring_init(br);
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (__u64)(uintptr_t)br;
	reg.ring_entries = BR_ENTRIES;
	reg.bgid = BR_BGID;
	ret = io_uring_register_buf_ring(&ring, &reg, 0);
	if (ret == -EINVAL) {
		munmap(br, br_size);
		free(bufs);
		io_uring_queue_exit(&ring);
		skip();	/* before 5.19 */
	}
	assert_int_equal(ret, 0);
	mask = io_uring_buf_ring_mask(BR_ENTRIES);
	assert_int_equal(mask, BR_ENTRIES - 1);
	for (i = 0; i < BR_ENTRIES; i++)
		io_uring_buf_ring_add(br, bufs[i], BR_BUF, (unsigned short)i,
				      mask, i);
	io_uring_buf_ring_advance(br, BR_ENTRIES);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	/* More rounds than buffers: each must come back to the ring. */
	for (round = 0; round < 2 * BR_ENTRIES; round++) {
		assert_int_equal(write(sv[1], msg, sizeof(msg)), sizeof(msg));
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_recv(sqe, sv[0], NULL, BR_BUF, 0);
		io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
		sqe->buf_group = BR_BGID;
		cqe = submit_wait(&ring);
		assert_int_equal(cqe->res, sizeof(msg));
		assert_true(cqe->flags & IORING_CQE_F_BUFFER);
		bid = (int)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
		assert_true(bid >= 0 && bid < BR_ENTRIES);
		assert_memory_equal(bufs[bid], msg, sizeof(msg));
		/* Back to the ring, and the CQE seen, in one go. */
		io_uring_buf_ring_add(br, bufs[bid], BR_BUF,
				      (unsigned short)bid, mask, 0);
		io_uring_buf_ring_cq_advance(&ring, br, 1);
		assert_int_equal(io_uring_cq_ready(&ring), 0);
	}
	assert_int_equal(io_uring_unregister_buf_ring(&ring, BR_BGID), 0);
	/* A group that is gone: -ENOENT, or -EINVAL from older kernels (6.1). */
	ret = io_uring_unregister_buf_ring(&ring, BR_BGID);
	assert_true(ret == -ENOENT || ret == -EINVAL);
	close(sv[0]);
	close(sv[1]);
	munmap(br, br_size);
	free(bufs);
	io_uring_queue_exit(&ring);
}

/* io_uring_sqring_wait(): 0 at once without SQPOLL, and with room. */
static void test_compat_sqring_wait(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	unsigned n = 0;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	while ((sqe = io_uring_get_sqe(&ring)))
		io_uring_prep_nop(sqe);
	assert_int_equal(io_uring_sq_space_left(&ring), 0);
	/* Full, but no poll thread to wait for: nothing to do. */
	assert_int_equal(io_uring_sqring_wait(&ring), 0);
	assert_int_equal(__io_uring_sqring_wait(&ring), 0);
	assert_int_equal(io_uring_submit_and_wait(&ring, 4), 4);
	io_uring_queue_exit(&ring);

	/* With SQPOLL: a full SQ, then room once the thread has read it. */
	ret = io_uring_queue_init(4, &ring, IORING_SETUP_SQPOLL);
	if (ret) {	/* SQPOLL refused here: the first half stands */
		printf("SKIP (SQPOLL half): %s\n", strerror(-ret));
		return;
	}
	assert_int_equal(io_uring_sqring_wait(&ring), 0);
	while ((sqe = io_uring_get_sqe(&ring)))
		io_uring_prep_nop(sqe);
	assert_int_equal(io_uring_submit(&ring), 4);
	assert_int_equal(io_uring_sqring_wait(&ring), 0);
	assert_true(io_uring_sq_space_left(&ring) > 0);
	while (n < 4) {
		assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
		assert_int_equal(cqe->res, 0);
		io_uring_cqe_seen(&ring, cqe);
		n++;
	}
	io_uring_queue_exit(&ring);
}

/* One enter submits and flushes; the NOPs' CQEs are there at return. */
static void test_compat_submit_and_get_events(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	unsigned avail = 0;

	(void)state;
	init_or_skip(&ring, 4, 0);
	assert_int_equal(io_uring_submit_and_get_events(&ring), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 2);
	assert_int_equal(io_uring_submit_and_get_events(&ring), 2);
	assert_int_equal(io_uring_sq_ready(&ring), 0);
	assert_int_equal(io_uring_cq_ready(&ring), 2);
	assert_int_equal(__io_uring_peek_cqe(&ring, &cqe, &avail), 0);
	assert_non_null(cqe);
	assert_int_equal(avail, 2);
	assert_int_equal(cqe->user_data, 1);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(__io_uring_peek_cqe(&ring, &cqe, &avail), 0);
	assert_int_equal(cqe->user_data, 2);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(__io_uring_peek_cqe(&ring, &cqe, &avail), 0);
	assert_null(cqe);
	assert_int_equal(avail, 0);
	io_uring_queue_exit(&ring);
}

/* Read the io-wq limits, set new ones, read them back, restore. */
static void test_compat_iowq(void **state)
{
	unsigned vals[2] = { 0, 0 }, old[2], now[2];
	struct io_uring ring;
	cpu_set_t cpus;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	ret = io_uring_register_iowq_max_workers(&ring, vals);
	if (ret == -EINVAL) {
		io_uring_queue_exit(&ring);
		skip();	/* before 5.15 */
	}
	assert_int_equal(ret, 0);
	old[0] = vals[0];
	old[1] = vals[1];
	vals[0] = 2;
	vals[1] = 3;
	assert_int_equal(io_uring_register_iowq_max_workers(&ring, vals), 0);
	assert_int_equal(vals[0], old[0]);
	assert_int_equal(vals[1], old[1]);
	now[0] = now[1] = 0;
	assert_int_equal(io_uring_register_iowq_max_workers(&ring, now), 0);
	assert_int_equal(now[0], 2);
	assert_int_equal(now[1], 3);
	assert_int_equal(io_uring_register_iowq_max_workers(&ring, old), 0);

	assert_int_equal(sched_getaffinity(0, sizeof(cpus), &cpus), 0);
	assert_int_equal(io_uring_register_iowq_aff(&ring, sizeof(cpus), &cpus),
			 0);
	assert_int_equal(io_uring_unregister_iowq_aff(&ring), 0);
	io_uring_queue_exit(&ring);
}

/* A read that waits for good, cancelled synchronously by its user_data. */
static void test_compat_sync_cancel(void **state)
{
	struct io_uring_sync_cancel_reg reg;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int fds[2], ret;
	char buf[8];

	(void)state;
	init_or_skip(&ring, 4, 0);
	assert_int_equal(pipe(fds), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), 0);
	io_uring_sqe_set_data64(sqe, 0x5eed);
	assert_int_equal(io_uring_submit(&ring), 1);
	memset(&reg, 0, sizeof(reg));
	reg.addr = 0x5eed;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	ret = io_uring_register_sync_cancel(&ring, &reg);
	if (ret == -EINVAL) {	/* before 6.0: cancel it the old way */
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_cancel64(sqe, 0x5eed, 0);
		assert_int_equal(io_uring_submit(&ring), 1);
	} else {
		assert_int_equal(ret, 0);
	}
	for (;;) {
		assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
		if (cqe->user_data == 0x5eed)
			break;
		io_uring_cqe_seen(&ring, cqe);
	}
	assert_int_equal(cqe->res, -ECANCELED);
	io_uring_cqe_seen(&ring, cqe);
	close(fds[0]);
	close(fds[1]);
	io_uring_queue_exit(&ring);
}

/* Only NOPs allowed, registered before the ring is enabled. */
static void test_compat_restrictions(void **state)
{
	struct io_uring_restriction res;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char buf[4];

	(void)state;
	init_or_skip(&ring, 4, IORING_SETUP_R_DISABLED);
	memset(&res, 0, sizeof(res));
	res.opcode = IORING_RESTRICTION_SQE_OP;
	res.sqe_op = IORING_OP_NOP;
	assert_int_equal(io_uring_register_restrictions(&ring, &res, 1), 0);
	assert_int_equal(io_uring_enable_rings(&ring), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->res, 0);
	io_uring_cqe_seen(&ring, cqe);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, 0, buf, sizeof(buf), 0);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->res, -EACCES);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/*
 * A ring from the raw io_uring_setup(), mapped by io_uring_queue_mmap():
 * it works, keeps out of fork children, and queue_exit closes its fd.
 */
static void test_compat_queue_mmap(void **state)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int fd;

	(void)state;
	memset(&p, 0, sizeof(p));
	fd = io_uring_setup(4, &p);
	if (fd == -ENOSYS || fd == -EPERM)
		skip();
	assert_true(fd >= 0);
	assert_int_equal(io_uring_queue_mmap(fd, &p, &ring), 0);
	assert_int_equal(ring.ring_fd, fd);
	assert_int_equal(ring.sq.ring_entries, p.sq_entries);
	assert_int_equal(ring.cq.ring_entries, p.cq_entries);
	assert_int_equal(ring.features, p.features);
	assert_int_equal(io_uring_ring_dontfork(&ring), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 9);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->user_data, 9);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	assert_int_equal(fcntl(fd, F_GETFD), -1);

	/* Params that do not fit the ring: nothing mapped, -EUCLEAN. */
	memset(&p, 0, sizeof(p));
	fd = io_uring_setup(4, &p);
	assert_true(fd >= 0);
	p.sq_entries = 3;
	assert_int_equal(io_uring_queue_mmap(fd, &p, &ring), -EUCLEAN);
	io_uring_queue_exit(&ring);	/* holds nothing: a no-op */
	close(fd);
}

/* Versions, memlock sizes, eventfd toggling. */
static void test_compat_misc(void **state)
{
	struct io_uring ring;

	(void)state;
	assert_int_equal(io_uring_major_version(), IO_URING_VERSION_MAJOR);
	assert_int_equal(io_uring_minor_version(), IO_URING_VERSION_MINOR);
	/* True only for a release newer than the layer. */
	assert_false(io_uring_check_version(2, 3));
	assert_false(io_uring_check_version(IO_URING_VERSION_MAJOR,
					    IO_URING_VERSION_MINOR));
	assert_true(io_uring_check_version(IO_URING_VERSION_MAJOR,
					   IO_URING_VERSION_MINOR + 1));
	assert_true(io_uring_check_version(IO_URING_VERSION_MAJOR + 1, 0));
	assert_false(IO_URING_CHECK_VERSION(1, 99));
	assert_true(IO_URING_CHECK_VERSION(IO_URING_VERSION_MAJOR + 1, 0));

	assert_int_equal(io_uring_mlock_size(0, 0), -EINVAL);
	init_or_skip(&ring, 4, 0);
	/* 5.12 on: ring memory is the cgroup's, no memlock needed. */
	if (ring.features & IORING_FEAT_NATIVE_WORKERS)
		assert_int_equal(io_uring_mlock_size(64, 0), 0);
	else
		assert_true(io_uring_mlock_size(64, 0) > 0);

	if (ring.cq.kflags) {
		assert_true(io_uring_cq_eventfd_enabled(&ring));
		assert_int_equal(io_uring_cq_eventfd_toggle(&ring, false), 0);
		assert_false(io_uring_cq_eventfd_enabled(&ring));
		assert_int_equal(io_uring_cq_eventfd_toggle(&ring, true), 0);
		assert_true(io_uring_cq_eventfd_enabled(&ring));
	}
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
		cmocka_unit_test(test_compat_ring_fd_moved),
		cmocka_unit_test(test_compat_files_sparse_update),
		cmocka_unit_test(test_compat_buffers_sparse_update),
		cmocka_unit_test(test_compat_buf_ring_recv),
		cmocka_unit_test(test_compat_sqring_wait),
		cmocka_unit_test(test_compat_submit_and_get_events),
		cmocka_unit_test(test_compat_iowq),
		cmocka_unit_test(test_compat_sync_cancel),
		cmocka_unit_test(test_compat_restrictions),
		cmocka_unit_test(test_compat_queue_mmap),
		cmocka_unit_test(test_compat_misc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
