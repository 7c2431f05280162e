/* SPDX-License-Identifier: MIT */
/*
 * liburing's API on iou (include/iou-liburing, libiou-liburing.a), used
 * as a liburing program uses it: only <liburing.h>, real rings, a real
 * file.  liburing's own test suite runs against the layer in CI
 * (tests/liburing/run); this is the quick check beside the rest.
 */
#include <liburing.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
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
static void test_compat_liburing_fields(void **state)
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
static void test_compat_liburing_nops(void **state)
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

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A signal during io_uring_submit_and_wait(): the kernel took the SQE and
 * reports it even though the wait was cut short; the call finishes the
 * wait, so the CQE waited for is there when it returns.  On an exited
 * ring the call fails with -EBADF instead of touching unmapped memory.
 */
static void test_compat_liburing_submit_and_wait_signal(void **state)
{
	struct __kernel_timespec ts = {.tv_nsec = 150 * 1000 * 1000};
	struct itimerval it = {.it_value = {.tv_usec = 30 * 1000}};
	struct sigaction sa, old;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct timespec a, b;
	long ms;

	(void)state;
	init_or_skip(&ring, 8, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	io_uring_sqe_set_data64(sqe, 7);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 100);
	assert_int_equal(io_uring_cq_ready(&ring), 1);
	assert_int_equal(io_uring_peek_cqe(&ring, &cqe), 0);
	assert_int_equal(io_uring_cqe_get_data64(cqe), 7);
	assert_int_equal(cqe->res, -ETIME);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	io_uring_queue_exit(&ring);
	assert_int_equal(io_uring_submit(&ring), -EBADF);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), -EBADF);
}

/* A prep helper writes the flags byte, as liburing's do. */
static void test_compat_liburing_prep_clears_flags(void **state)
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
static void test_compat_liburing_file_io(void **state)
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
static void test_compat_liburing_timeouts(void **state)
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
static void test_compat_liburing_ring_fd_moved(void **state)
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

static void test_compat_liburing_probe(void **state)
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
static void test_compat_liburing_register_ring_fd(void **state)
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

/* One NOP through @ring, tagged @ud: its CQE, seen. */
static void nop_round_trip(struct io_uring *ring, __u64 ud)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;

	assert_non_null(sqe);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, ud);
	cqe = submit_wait(ring);
	assert_int_equal(cqe->user_data, ud);
	assert_int_equal(cqe->res, 0);
	io_uring_cqe_seen(ring, cqe);
}

/*
 * A sparse file table filled by io_uring_register_files_update(), the
 * tagged update, an openat_direct that lets the kernel pick the slot
 * (IORING_FILE_INDEX_ALLOC, inside io_uring_register_file_alloc_range()),
 * and close_direct.
 */
static void test_compat_liburing_files_sparse_update(void **state)
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
static void test_compat_liburing_buffers_sparse_update(void **state)
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

static void test_compat_liburing_buf_ring_recv(void **state)
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
static void test_compat_liburing_sqring_wait(void **state)
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
static void test_compat_liburing_submit_and_get_events(void **state)
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
static void test_compat_liburing_iowq(void **state)
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
static void test_compat_liburing_sync_cancel(void **state)
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
static void test_compat_liburing_restrictions(void **state)
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
static void test_compat_liburing_queue_mmap(void **state)
{
	struct io_uring_params p;
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
	nop_round_trip(&ring, 9);
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
/*
 * A file table larger than the soft RLIMIT_NOFILE: raised by the table's
 * size and registered, as liburing does.
 */
static void test_compat_liburing_files_raise_nofile(void **state)
{
	struct rlimit saved, low, now;
	struct io_uring ring;
	int status;
	pid_t pid;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
	if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 64 + 200) {
		printf("SKIP: hard RLIMIT_NOFILE %llu leaves no room\n",
		       (unsigned long long)saved.rlim_max);
		skip();
	}
	init_or_skip(&ring, 4, 0);
	low = saved;
	low.rlim_cur = 64;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	assert_int_equal(io_uring_register_files_sparse(&ring, 200), 0);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &now), 0);
	assert_int_equal(now.rlim_cur, 64 + 200);
	assert_int_equal(io_uring_unregister_files(&ring), 0);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
	/*
	 * Never past the hard limit: there it stays -EMFILE.  In a child,
	 * which may lower its hard limit for good.
	 */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		low.rlim_cur = 64;
		low.rlim_max = 100;
		_exit(setrlimit(RLIMIT_NOFILE, &low) != 0 ? 2 :
		      io_uring_register_files_sparse(&ring, 200) != -EMFILE ? 3 :
		      0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	io_uring_queue_exit(&ring);
}

static void test_compat_liburing_misc(void **state)
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

/*
 * liburing 2.4 to 2.15
 */

/* A feature this kernel lacks: say which and why, then skip. */
static void skip_with(const char *what, int ret)
{
	struct utsname u;

	uname(&u);
	printf("SKIP: %s: %s [Linux %s]\n", what,
	       strerror(ret < 0 ? -ret : ret), u.release);
	skip();
}

/* Does this kernel know @op? */
static bool have_op(struct io_uring *ring, int op)
{
	struct io_uring_probe *p = io_uring_get_probe_ring(ring);
	bool ok;

	if (!p)
		return false;
	ok = io_uring_opcode_supported(p, op);
	io_uring_free_probe(p);
	return ok;
}

/* A ring whose kernel knows @op, or a skip naming it. */
static void init_for_op(struct io_uring *ring, unsigned entries, int op,
			const char *name)
{
	init_or_skip(ring, entries, 0);
	if (!have_op(ring, op)) {
		io_uring_queue_exit(ring);
		skip_with(name, -EOPNOTSUPP);
	}
}

static long ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

#if IO_URING_CHECK_VERSION(2, 15)
#error "the layer says it is older than liburing 2.15"
#endif

/* The version the layer declares, at build time and at run time. */
static void test_compat_liburing_version_2_15(void **state)
{
	(void)state;
	assert_false(io_uring_check_version(2, 15));
	assert_true(io_uring_check_version(2, 16));
	assert_int_equal(io_uring_major_version(), 2);
	assert_true(io_uring_minor_version() >= 15);
}

/*
 * Every new helper on a poisoned SQE: the fields liburing 2.15 writes,
 * its flags byte (0 unless the helper sets one), and user_data left alone.
 */
static void poison(struct io_uring_sqe *sqe)
{
	memset(sqe, 0xa5, sizeof(*sqe));
	sqe->user_data = 0x1122334455667788ULL;
}

static void assert_common(const struct io_uring_sqe *sqe, unsigned opcode,
			  unsigned flags)
{
	assert_int_equal(sqe->opcode, opcode);
	assert_int_equal(sqe->flags, flags);
	assert_true(sqe->user_data == 0x1122334455667788ULL);
	assert_int_equal(sqe->personality, 0);
}

static void test_compat_liburing_new_prep_fields(void **state)
{
	struct io_uring_sqe sqe;
	struct iovec iov[2];
	struct msghdr msg;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	uint32_t futex = 0;
	struct futex_waitv fv[2];
	siginfo_t si;
	int fds[2];

	(void)state;
	poison(&sqe);
	io_uring_prep_readv_fixed(&sqe, 5, iov, 2, 4096, RWF_NOWAIT, 3);
	assert_common(&sqe, IORING_OP_READV_FIXED, 0);
	assert_int_equal(sqe.fd, 5);
	assert_true(sqe.addr == (uintptr_t)iov);
	assert_int_equal(sqe.len, 2);
	assert_int_equal(sqe.off, 4096);
	assert_int_equal(sqe.rw_flags, RWF_NOWAIT);
	assert_int_equal(sqe.buf_index, 3);
	assert_true(sqe.addr3 == 0);

	poison(&sqe);
	io_uring_prep_writev_fixed(&sqe, 5, iov, 2, 8192, 0, 1);
	assert_common(&sqe, IORING_OP_WRITEV_FIXED, 0);
	assert_int_equal(sqe.buf_index, 1);
	assert_int_equal(sqe.rw_flags, 0);

	poison(&sqe);
	io_uring_prep_read_multishot(&sqe, 6, 512, 0, 9);
	assert_common(&sqe, IORING_OP_READ_MULTISHOT, IOSQE_BUFFER_SELECT);
	assert_int_equal(sqe.buf_group, 9);
	assert_int_equal(sqe.len, 512);
	assert_true(sqe.addr == 0);

	poison(&sqe);
	io_uring_prep_fixed_fd_install(&sqe, 4, IORING_FIXED_FD_NO_CLOEXEC);
	assert_common(&sqe, IORING_OP_FIXED_FD_INSTALL, IOSQE_FIXED_FILE);
	assert_int_equal(sqe.fd, 4);
	assert_int_equal(sqe.install_fd_flags, IORING_FIXED_FD_NO_CLOEXEC);

	poison(&sqe);
	io_uring_prep_ftruncate(&sqe, 7, 0x123456789LL);
	assert_common(&sqe, IORING_OP_FTRUNCATE, 0);
	assert_true(sqe.off == 0x123456789ULL);
	assert_int_equal(sqe.len, 0);

	poison(&sqe);
	io_uring_prep_fadvise64(&sqe, 7, 100, 0x123456789LL, 4);
	assert_common(&sqe, IORING_OP_FADVISE, 0);
	assert_true(sqe.addr == 0x123456789ULL);
	assert_int_equal(sqe.len, 0);
	assert_int_equal(sqe.off, 100);
	assert_int_equal(sqe.fadvise_advice, 4);

	poison(&sqe);
	io_uring_prep_madvise64(&sqe, &sqe, 0x123456789LL, 4);
	assert_common(&sqe, IORING_OP_MADVISE, 0);
	assert_true(sqe.off == 0x123456789ULL);
	assert_true(sqe.addr == (uintptr_t)&sqe);
	assert_int_equal(sqe.fd, -1);

	poison(&sqe);
	io_uring_prep_open_direct(&sqe, "/dev/null", O_RDONLY, 0,
				  IORING_FILE_INDEX_ALLOC);
	assert_common(&sqe, IORING_OP_OPENAT, 0);
	assert_int_equal(sqe.fd, AT_FDCWD);
	assert_int_equal(sqe.file_index, IORING_FILE_INDEX_ALLOC);

	poison(&sqe);
	io_uring_prep_pipe_direct(&sqe, fds, O_CLOEXEC, 2);
	assert_common(&sqe, IORING_OP_PIPE, 0);
	assert_true(sqe.addr == (uintptr_t)fds);
	assert_int_equal(sqe.pipe_flags, O_CLOEXEC);
	assert_int_equal(sqe.file_index, 3);

	poison(&sqe);
	io_uring_prep_epoll_wait(&sqe, 8, NULL, 16, 0);
	assert_common(&sqe, IORING_OP_EPOLL_WAIT, 0);
	assert_int_equal(sqe.len, 16);

	memset(&sin, 0, sizeof(sin));
	poison(&sqe);
	io_uring_prep_bind(&sqe, 9, (struct sockaddr *)&sin, sizeof(sin));
	assert_common(&sqe, IORING_OP_BIND, 0);
	assert_true(sqe.addr == (uintptr_t)&sin);
	assert_int_equal(sqe.off, sizeof(sin));
	poison(&sqe);
	io_uring_prep_listen(&sqe, 9, 64);
	assert_common(&sqe, IORING_OP_LISTEN, 0);
	assert_int_equal(sqe.len, 64);

	poison(&sqe);
	io_uring_prep_sendto(&sqe, 9, &sin, 10, MSG_DONTWAIT,
			     (struct sockaddr *)&sin, sizeof(sin));
	assert_common(&sqe, IORING_OP_SEND, 0);
	assert_true(sqe.addr2 == (uintptr_t)&sin);
	assert_int_equal(sqe.addr_len, sizeof(sin));
	assert_int_equal(sqe.msg_flags, MSG_DONTWAIT);

	poison(&sqe);
	io_uring_prep_send_bundle(&sqe, 9, 4096, 0);
	assert_common(&sqe, IORING_OP_SEND, 0);
	assert_int_equal(sqe.ioprio, IORING_RECVSEND_BUNDLE);
	assert_true(sqe.addr == 0);

	poison(&sqe);
	io_uring_prep_sendmsg_zc_fixed(&sqe, 9, &msg, 0, 5);
	assert_common(&sqe, IORING_OP_SENDMSG_ZC, 0);
	assert_int_equal(sqe.ioprio, IORING_RECVSEND_FIXED_BUF);
	assert_int_equal(sqe.buf_index, 5);

	poison(&sqe);
	io_uring_prep_cmd_sock(&sqe, SOCKET_URING_OP_SETSOCKOPT, 9, SOL_SOCKET,
			       SO_RCVBUF, &futex, sizeof(futex));
	assert_common(&sqe, IORING_OP_URING_CMD, 0);
	assert_int_equal(sqe.cmd_op, SOCKET_URING_OP_SETSOCKOPT);
	assert_int_equal(sqe.__pad1, 0);
	assert_int_equal(sqe.level, SOL_SOCKET);
	assert_int_equal(sqe.optname, SO_RCVBUF);
	assert_true(sqe.optval == (uintptr_t)&futex);
	assert_int_equal(sqe.optlen, sizeof(futex));

	poison(&sqe);
	io_uring_prep_cmd_getsockname(&sqe, 9, (struct sockaddr *)&sin, &slen,
				      1);
	assert_common(&sqe, IORING_OP_URING_CMD, 0);
	assert_int_equal(sqe.cmd_op, SOCKET_URING_OP_GETSOCKNAME);
	assert_true(sqe.addr == (uintptr_t)&sin);
	assert_true(sqe.addr3 == (uintptr_t)&slen);
	assert_int_equal(sqe.optlen, 1);

	poison(&sqe);
	io_uring_prep_cmd_discard(&sqe, 9, 4096, 8192);
	assert_common(&sqe, IORING_OP_URING_CMD, 0);
	assert_int_equal(sqe.cmd_op, BLOCK_URING_CMD_DISCARD);
	assert_int_equal(sqe.addr, 4096);
	assert_int_equal(sqe.addr3, 8192);

	poison(&sqe);
	io_uring_prep_uring_cmd128(&sqe, 0x42, 9);
	assert_common(&sqe, IORING_OP_URING_CMD128, 0);
	assert_int_equal(sqe.cmd_op, 0x42);
	poison(&sqe);
	io_uring_prep_nop128(&sqe);
	assert_common(&sqe, IORING_OP_NOP128, 0);

	poison(&sqe);
	io_uring_prep_msg_ring_fd_alloc(&sqe, 10, 2, 0xda7a, 0);
	assert_common(&sqe, IORING_OP_MSG_RING, 0);
	assert_int_equal(sqe.addr, IORING_MSG_SEND_FD);
	assert_int_equal(sqe.addr3, 2);
	assert_int_equal(sqe.file_index, IORING_FILE_INDEX_ALLOC);
	assert_true(sqe.off == 0xda7a);
	poison(&sqe);
	io_uring_prep_msg_ring_fd(&sqe, 10, 2, 6, 1, 0);
	assert_int_equal(sqe.file_index, 7);

	poison(&sqe);
	io_uring_prep_msg_ring_cqe_flags(&sqe, 10, 33, 44, 0, 0x8000);
	assert_common(&sqe, IORING_OP_MSG_RING, 0);
	assert_int_equal(sqe.msg_ring_flags, IORING_MSG_RING_FLAGS_PASS);
	assert_int_equal(sqe.file_index, 0x8000);
	assert_int_equal(sqe.len, 33);

	poison(&sqe);
	io_uring_prep_waitid(&sqe, P_PID, 1234, &si, WEXITED, 0);
	assert_common(&sqe, IORING_OP_WAITID, 0);
	assert_int_equal(sqe.fd, 1234);
	assert_int_equal(sqe.len, P_PID);
	assert_int_equal(sqe.file_index, WEXITED);
	assert_true(sqe.addr2 == (uintptr_t)&si);

	poison(&sqe);
	io_uring_prep_futex_wait(&sqe, &futex, 3, 0xff, 2, 0);
	assert_common(&sqe, IORING_OP_FUTEX_WAIT, 0);
	assert_int_equal(sqe.fd, 2);
	assert_true(sqe.addr == (uintptr_t)&futex);
	assert_int_equal(sqe.off, 3);
	assert_int_equal(sqe.addr3, 0xff);
	poison(&sqe);
	io_uring_prep_futex_wake(&sqe, &futex, 1, 0xff, 2, 0);
	assert_common(&sqe, IORING_OP_FUTEX_WAKE, 0);
	poison(&sqe);
	io_uring_prep_futex_waitv(&sqe, fv, 2, 0);
	assert_common(&sqe, IORING_OP_FUTEX_WAITV, 0);
	assert_int_equal(sqe.len, 2);
	assert_int_equal(sqe.fd, 0);
}

/* get_sqe initialises what the prep helpers of 2.8 on rely on. */
static void test_compat_liburing_get_sqe_initialised(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;

	(void)state;
	init_or_skip(&ring, 4, 0);
	sqe = io_uring_get_sqe(&ring);
	memset(sqe, 0xff, sizeof(*sqe));
	/* Hand it back unused and take the same slot again. */
	ring.sq.sqe_tail--;
	sqe = io_uring_get_sqe(&ring);
	assert_int_equal(sqe->flags, 0);
	assert_int_equal(sqe->ioprio, 0);
	assert_int_equal(sqe->rw_flags, 0);
	assert_int_equal(sqe->buf_index, 0);
	assert_int_equal(sqe->personality, 0);
	assert_int_equal(sqe->file_index, 0);
	assert_true(sqe->addr3 == 0);
	assert_int_equal(io_uring_sqe_shift(&ring), 0);
	assert_int_equal(io_uring_cqe_shift(&ring), 0);
	assert_int_equal(io_uring_load_sq_head(&ring), 0);
	/* Not an SQE128 or mixed ring: no big SQEs. */
	assert_null(io_uring_get_sqe128(&ring));
	io_uring_prep_nop(sqe);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	io_uring_queue_exit(&ring);
}

/*
 * A ring in our own memory: io_uring_memory_size() says how much, and
 * io_uring_queue_init_mem() says it used that much.
 */
static void test_compat_liburing_queue_init_mem(void **state)
{
	struct io_uring_params p;
	struct io_uring ring;
	ssize_t size;
	void *buf;
	int ret;

	(void)state;
	assert_int_equal(io_uring_memory_size(0, 0), -EINVAL);
	size = io_uring_memory_size(8, 0);
	assert_true(size > 0);
	assert_int_equal(size % sysconf(_SC_PAGESIZE), 0);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 64;
	assert_true(io_uring_memory_size_params(8, &p) >= size);

	buf = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	memset(&p, 0, sizeof(p));
	/* Too small: refused before the kernel is asked. */
	assert_int_equal(io_uring_queue_init_mem(8, &ring, &p, buf,
						 (size_t)size - 1),
			 -EINVAL);
	memset(&p, 0, sizeof(p));
	ret = io_uring_queue_init_mem(8, &ring, &p, buf, (size_t)size);
	if (ret == -EINVAL || ret == -ENOSYS || ret == -EPERM) {
		munmap(buf, (size_t)size);
		skip_with("IORING_SETUP_NO_MMAP (6.5)", ret);
	}
	assert_int_equal(ret, size);
	assert_true(ring.flags & IORING_SETUP_NO_MMAP);
	assert_true(ring.int_flags & 4);	/* INT_FLAG_APP_MEM */
	assert_true((void *)ring.sq.sqes == buf);
	nop_round_trip(&ring, 0x3e3);
	io_uring_queue_exit(&ring);
	munmap(buf, (size_t)size);
}

/* Registered, closed, and still working by its index. */
static void test_compat_liburing_close_ring_fd(void **state)
{
	struct io_uring ring;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	ret = io_uring_close_ring_fd(&ring);
	if (!(ring.features & IORING_FEAT_REG_REG_RING)) {
		assert_int_equal(ret, -EOPNOTSUPP);
		io_uring_queue_exit(&ring);
		skip_with("IORING_FEAT_REG_REG_RING (6.3)", -EOPNOTSUPP);
	}
	/* Not registered yet. */
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(io_uring_register_ring_fd(&ring), 1);
	assert_int_equal(io_uring_close_ring_fd(&ring), 1);
	assert_int_equal(ring.ring_fd, -1);
	assert_int_equal(io_uring_close_ring_fd(&ring), -EBADF);
	/* Enter and register calls go by the index now. */
	assert_int_equal(io_uring_register_files_sparse(&ring, 2), 0);
	nop_round_trip(&ring, 0xc105e);
	io_uring_queue_exit(&ring);
}

/*
 * A buffer ring set up by the library, consumed by a recv; its head and
 * the buffers left (6.8); freed.  Then the kernel-allocated kind (6.4).
 */
static void test_compat_liburing_setup_buf_ring(void **state)
{
	static const char msg[] = "setup_buf_ring";
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char bufs[4][32];
	uint16_t head = 0xffff;
	int sv[2], err = 1, i, ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	br = io_uring_setup_buf_ring(&ring, 4, 3, 0, &err);
	if (!br) {
		io_uring_queue_exit(&ring);
		skip_with("buffer rings (5.19)", err);
	}
	assert_int_equal(err, 0);
	for (i = 0; i < 4; i++)
		io_uring_buf_ring_add(br, bufs[i], sizeof(bufs[i]),
				      (unsigned short)i,
				      io_uring_buf_ring_mask(4), i);
	io_uring_buf_ring_advance(br, 4);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[1], msg, sizeof(msg)), sizeof(msg));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recv(sqe, sv[0], NULL, sizeof(bufs[0]), 0);
	io_uring_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	io_uring_sqe_set_buf_group(sqe, 3);
	cqe = submit_wait(&ring);
	assert_int_equal(cqe->res, sizeof(msg));
	assert_true(cqe->flags & IORING_CQE_F_BUFFER);
	assert_memory_equal(bufs[cqe->flags >> IORING_CQE_BUFFER_SHIFT], msg,
			    sizeof(msg));
	io_uring_cqe_seen(&ring, cqe);

	ret = io_uring_buf_ring_head(&ring, 3, &head);
	if (ret == -EINVAL) {
		printf("SKIP (buffer ring head, 6.8): %s\n", strerror(-ret));
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(head, 1);
		assert_int_equal(io_uring_buf_ring_available(&ring, br, 3), 3);
		assert_true(io_uring_buf_ring_available(&ring, br, 99) < 0);
	}
	assert_int_equal(io_uring_free_buf_ring(&ring, br, 4, 3), 0);
	/* The group is gone with it. */
	ret = io_uring_unregister_buf_ring(&ring, 3);
	assert_true(ret == -ENOENT || ret == -EINVAL);

	br = io_uring_setup_buf_ring(&ring, 8, 4, IOU_PBUF_RING_MMAP, &err);
	if (!br) {
		printf("SKIP (IOU_PBUF_RING_MMAP, 6.4): %s\n", strerror(-err));
	} else {
		assert_int_equal(err, 0);
		assert_int_equal(br->tail, 0);
		assert_int_equal(io_uring_free_buf_ring(&ring, br, 8, 4), 0);
	}
	/* Not a power of two. */
	assert_null(io_uring_setup_buf_ring(&ring, 3, 5, 0, &err));
	assert_int_equal(err, -EINVAL);
	close(sv[0]);
	close(sv[1]);
	io_uring_queue_exit(&ring);
}

/* NAPI busy polling on, its settings read back, off (6.9). */
static void test_compat_liburing_napi(void **state)
{
	struct io_uring_napi napi, old;
	struct io_uring ring;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	memset(&napi, 0, sizeof(napi));
	napi.busy_poll_to = 50;
	napi.prefer_busy_poll = 1;
	ret = io_uring_register_napi(&ring, &napi);
	if (ret == -EINVAL || ret == -EOPNOTSUPP) {
		io_uring_queue_exit(&ring);
		skip_with("NAPI busy polling (6.9, CONFIG_NET_RX_BUSY_POLL)",
			  ret);
	}
	assert_int_equal(ret, 0);
	memset(&old, 0xff, sizeof(old));
	assert_int_equal(io_uring_unregister_napi(&ring, &old), 0);
	assert_int_equal(old.busy_poll_to, 50);
	assert_int_equal(old.prefer_busy_poll, 1);
	io_uring_queue_exit(&ring);
}

/* Waits on CLOCK_BOOTTIME (6.12), still timing out as they should. */
static void test_compat_liburing_register_clock(void **state)
{
	struct __kernel_timespec ts = { 0, 5 * 1000 * 1000 };
	struct io_uring_clock_register clk;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	memset(&clk, 0, sizeof(clk));
	clk.clockid = CLOCK_BOOTTIME;
	ret = io_uring_register_clock(&ring, &clk);
	if (ret == -EINVAL && !(ring.features & IORING_FEAT_MIN_TIMEOUT)) {
		io_uring_queue_exit(&ring);
		skip_with("IORING_REGISTER_CLOCK (6.12)", ret);
	}
	assert_int_equal(ret, 0);
	clk.clockid = CLOCK_REALTIME;	/* not a clock waits may use */
	assert_int_equal(io_uring_register_clock(&ring, &clk), -EINVAL);
	assert_int_equal(io_uring_register_clock(&ring, NULL), -EFAULT);
	assert_int_equal(io_uring_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	io_uring_queue_exit(&ring);
}

/*
 * The batch timeout (6.12): one CQE of the two asked for ends the wait
 * once the batch time is up, long before the full timeout; none at all
 * runs to -ETIME.
 */
static void test_compat_liburing_min_timeout(void **state)
{
	struct __kernel_timespec ts = { 5, 0 }, short_ts = { 0, 20000000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct timespec start;
	struct io_uring ring;
	sigset_t mask;

	(void)state;
	init_or_skip(&ring, 4, 0);
	if (!(ring.features & IORING_FEAT_MIN_TIMEOUT)) {
		assert_int_equal(io_uring_submit_and_wait_min_timeout(
					 &ring, &cqe, 1, &ts, 1000, NULL),
				 -EINVAL);
		io_uring_queue_exit(&ring);
		skip_with("IORING_FEAT_MIN_TIMEOUT (6.12)", -EINVAL);
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 0x1111);
	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(io_uring_submit_and_wait_min_timeout(&ring, &cqe, 2,
							      &ts, 10000,
							      NULL),
			 1);
	assert_true(ms_since(&start) < 2000);
	assert_non_null(cqe);
	assert_int_equal(cqe->user_data, 0x1111);
	io_uring_cqe_seen(&ring, cqe);

	sigemptyset(&mask);
	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(io_uring_wait_cqes_min_timeout(&ring, &cqe, 1,
							&short_ts, 5000, &mask),
			 -ETIME);
	assert_null(cqe);
	assert_true(ms_since(&start) >= 10);

	/* A CQE that is there already: no wait at all. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 0x2222);
	assert_int_equal(io_uring_submit(&ring), 1);
	assert_int_equal(io_uring_wait_cqes_min_timeout(&ring, &cqe, 1, &ts,
							1000, NULL),
			 0);
	assert_int_equal(cqe->user_data, 0x2222);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/* Write @len bytes of @c to a new unlinked file; returns its fd. */
static int file_of(char c, size_t len)
{
	char path[] = "/tmp/iou-compat-XXXXXX";
	char buf[4096];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	memset(buf, c, sizeof(buf));
	assert_true(len <= sizeof(buf));
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	return fd;
}

/*
 * Registered buffers shared between rings (6.12), and a range of them
 * (6.13), each then read into through the ring that got it.
 */
static void test_compat_liburing_clone_buffers(void **state)
{
	static char a[256], b[256];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct io_uring src, dst, dst2;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int fd, ret;

	(void)state;
	init_or_skip(&src, 4, 0);
	init_or_skip(&dst, 4, 0);
	assert_int_equal(io_uring_register_buffers(&src, iov, 2), 0);
	ret = io_uring_clone_buffers(&dst, &src);
	if (ret == -EINVAL && !(src.features & IORING_FEAT_MIN_TIMEOUT)) {
		io_uring_queue_exit(&dst);
		io_uring_queue_exit(&src);
		skip_with("IORING_REGISTER_CLONE_BUFFERS (6.12)", ret);
	}
	assert_int_equal(ret, 0);
	/* dst has a table now: a second clone must replace it. */
	assert_int_equal(io_uring_clone_buffers(&dst, &src), -EBUSY);

	fd = file_of('k', sizeof(b));
	sqe = io_uring_get_sqe(&dst);
	io_uring_prep_read_fixed(sqe, fd, b, sizeof(b), 0, 1);
	cqe = submit_wait(&dst);
	assert_int_equal(cqe->res, sizeof(b));
	io_uring_cqe_seen(&dst, cqe);
	assert_int_equal(b[0], 'k');

	/* Buffer 1 of src as dst2's buffer 0, src by its registered index. */
	init_or_skip(&dst2, 4, 0);
	assert_int_equal(io_uring_register_ring_fd(&src), 1);
	ret = io_uring_clone_buffers_offset(&dst2, &src, 0, 1, 1, 0);
	if (ret == -EINVAL) {
		printf("SKIP (clone_buffers_offset, 6.13): %s\n",
		       strerror(-ret));
	} else {
		assert_int_equal(ret, 0);
		memset(b, 0, sizeof(b));
		sqe = io_uring_get_sqe(&dst2);
		io_uring_prep_read_fixed(sqe, fd, b, sizeof(b), 0, 0);
		cqe = submit_wait(&dst2);
		assert_int_equal(cqe->res, sizeof(b));
		io_uring_cqe_seen(&dst2, cqe);
		assert_int_equal(b[0], 'k');
		/* Only one came: there is no buffer 1. */
		sqe = io_uring_get_sqe(&dst2);
		io_uring_prep_read_fixed(sqe, fd, a, sizeof(a), 0, 1);
		cqe = submit_wait(&dst2);
		assert_int_equal(cqe->res, -EFAULT);
		io_uring_cqe_seen(&dst2, cqe);
		/* The whole table over it, by the __ form. */
		assert_int_equal(__io_uring_clone_buffers(
					 &dst2, &src,
					 IORING_REGISTER_DST_REPLACE),
				 0);
		assert_int_equal(__io_uring_clone_buffers_offset(
					 &dst2, &src, 0, 0, 2,
					 IORING_REGISTER_DST_REPLACE),
				 0);
	}
	close(fd);
	io_uring_queue_exit(&dst2);
	io_uring_queue_exit(&dst);
	io_uring_queue_exit(&src);
}

/*
 * A DEFER_TASKRUN ring grown with CQEs and SQEs pending (6.13): they move
 * with it, and the bigger SQ takes more.
 */
static void test_compat_liburing_resize_rings(void **state)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	unsigned i, seen = 0;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, IORING_SETUP_SINGLE_ISSUER |
				   IORING_SETUP_DEFER_TASKRUN);
	for (i = 0; i < 2; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 10 + i);
	}
	assert_int_equal(io_uring_submit(&ring), 2);
	sqe = io_uring_get_sqe(&ring);	/* queued, not submitted */
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 12);

	memset(&p, 0, sizeof(p));
	p.sq_entries = 16;
	p.cq_entries = 64;
	p.flags = IORING_SETUP_CQSIZE;
	ret = io_uring_resize_rings(&ring, &p);
	assert_int_equal(p.flags, 0);
	if (ret == -EINVAL && !(ring.features & IORING_FEAT_RW_ATTR)) {
		io_uring_queue_exit(&ring);
		skip_with("IORING_REGISTER_RESIZE_RINGS (6.13)", ret);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(ring.sq.ring_entries, 16);
	assert_int_equal(ring.cq.ring_entries, 64);
	assert_int_equal(io_uring_sq_ready(&ring), 1);
	for (i = 0; i < 13; i++) {
		sqe = io_uring_get_sqe(&ring);
		assert_non_null(sqe);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 13 + i);
	}
	assert_int_equal(io_uring_submit_and_wait(&ring, 16), 14);
	while (seen < 16) {
		assert_int_equal(io_uring_peek_cqe(&ring, &cqe), 0);
		assert_int_equal(cqe->user_data, 10 + seen);
		io_uring_cqe_seen(&ring, cqe);
		seen++;
	}
	/* Caller memory cannot be resized (liburing says -EINVAL). */
	io_uring_queue_exit(&ring);
}

/*
 * Registered wait arguments (6.13): a region of io_uring_reg_wait slots
 * registered before the ring starts, then waits that name a slot.
 */
static void test_compat_liburing_wait_reg(void **state)
{
	struct io_uring_mem_region_reg mr;
	struct io_uring_region_desc rd;
	struct io_uring_reg_wait *rw;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct timespec start;
	struct io_uring ring;
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	(void)state;
	init_or_skip(&ring, 4, IORING_SETUP_R_DISABLED);
	/* liburing's own form was withdrawn: always -EINVAL. */
	assert_int_equal(io_uring_register_wait_reg(&ring, NULL, 1), -EINVAL);
	rw = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(rw != MAP_FAILED);
	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (__u64)(uintptr_t)rw;
	rd.size = (__u64)page;
	rd.flags = IORING_MEM_REGION_TYPE_USER;
	memset(&mr, 0, sizeof(mr));
	mr.region_uptr = (__u64)(uintptr_t)&rd;
	mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
	ret = io_uring_register_region(&ring, &mr);
	if (ret == -EINVAL && !(ring.features & IORING_FEAT_RW_ATTR)) {
		io_uring_queue_exit(&ring);
		munmap(rw, (size_t)page);
		skip_with("IORING_REGISTER_MEM_REGION (6.13)", ret);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(io_uring_enable_rings(&ring), 0);
	rw[1].ts.tv_nsec = 20 * 1000 * 1000;
	rw[1].flags = IORING_REG_WAIT_TS;

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, 0x4e9);
	assert_int_equal(io_uring_submit_and_wait_reg(&ring, &cqe, 1, 1), 1);
	assert_non_null(cqe);
	assert_int_equal(cqe->user_data, 0x4e9);
	io_uring_cqe_seen(&ring, cqe);
	/* Nothing coming: slot 1's 20 ms run out. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	assert_int_equal(io_uring_submit_and_wait_reg(&ring, &cqe, 1, 1),
			 -ETIME);
	assert_null(cqe);
	assert_true(ms_since(&start) >= 10);
	assert_int_equal(io_uring_submit_and_wait_reg(&ring, &cqe, 1, -1),
			 -EINVAL);
	io_uring_queue_exit(&ring);
	munmap(rw, (size_t)page);
}

/* Waits kept out of I/O wait (IORING_FEAT_NO_IOWAIT, 6.15), and back. */
static void test_compat_liburing_set_iowait(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	ret = io_uring_set_iowait(&ring, false);
	if (!(ring.features & IORING_FEAT_NO_IOWAIT)) {
		assert_int_equal(ret, -EOPNOTSUPP);
		io_uring_queue_exit(&ring);
		skip_with("IORING_FEAT_NO_IOWAIT (6.15)", ret);
	}
	assert_int_equal(ret, 0);
	assert_true(ring.int_flags & 0x80);
	/* Every enter carries IORING_ENTER_NO_IOWAIT now. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_set_iowait(&ring, true), 0);
	assert_false(ring.int_flags & 0x80);
	io_uring_queue_exit(&ring);
}

/* A CQE posted to a ring from no ring at all (6.13). */
static void test_compat_liburing_register_sync_msg(void **state)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	memset(&sqe, 0, sizeof(sqe));
	io_uring_prep_msg_ring(&sqe, ring.ring_fd, 77, 0x5a5a, 0);
	ret = io_uring_register_sync_msg(&sqe);
	if (ret == -EINVAL && !(ring.features & IORING_FEAT_RW_ATTR)) {
		io_uring_queue_exit(&ring);
		skip_with("IORING_REGISTER_SEND_MSG_RING (6.13)", ret);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->res, 77);
	assert_int_equal(cqe->user_data, 0x5a5a);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/*
 * Zero-copy receive needs a capable NIC, which a test box lacks: the
 * calls reach the kernel and fail there (a plain ring, no interface).
 */
static void test_compat_liburing_zcrx_calls(void **state)
{
	struct io_uring_zcrx_ifq_reg reg;
	struct zcrx_ctrl ctrl;
	struct io_uring ring;

	(void)state;
	init_or_skip(&ring, 4, 0);
	memset(&reg, 0, sizeof(reg));
	reg.if_idx = 0x7fffffff;
	reg.rq_entries = 8;
	assert_true(io_uring_register_ifq(&ring, &reg) < 0);
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.zcrx_id = 12345;
	ctrl.op = ZCRX_CTRL_FLUSH_RQ;
	assert_true(io_uring_register_zcrx_ctrl(&ring, &ctrl) < 0);
	io_uring_queue_exit(&ring);
}

/*
 * The opcode query (6.18), without a ring: it knows at least the opcodes
 * of 6.18.  A query this kernel lacks fails in its own header.
 */
static void test_compat_liburing_register_query(void **state)
{
	struct io_uring_query_opcode ops;
	struct io_uring_query_scq scq;
	struct io_uring_query_hdr hdr, hdr2;
	int ret;

	(void)state;
	memset(&ops, 0, sizeof(ops));
	memset(&scq, 0, sizeof(scq));
	memset(&hdr2, 0, sizeof(hdr2));
	hdr2.query_data = uring_ptr_to_u64(&scq);
	hdr2.query_op = IO_URING_QUERY_SCQ;
	hdr2.size = sizeof(scq);
	memset(&hdr, 0, sizeof(hdr));
	hdr.query_data = uring_ptr_to_u64(&ops);
	hdr.query_op = IO_URING_QUERY_OPCODES;
	hdr.size = sizeof(ops);
	hdr.next_entry = uring_ptr_to_u64(&hdr2);
	ret = io_uring_register_query(&hdr);
	if (ret == -EINVAL || ret == -ENOSYS || ret == -EPERM)
		skip_with("IORING_REGISTER_QUERY (6.18)", ret);
	assert_int_equal(ret, 0);
	assert_int_equal(hdr.result, 0);
	assert_true(ops.nr_request_opcodes >= IORING_OP_PIPE + 1);
	assert_true(ops.nr_register_opcodes >= IORING_REGISTER_QUERY + 1);
	assert_true(ops.ring_setup_flags & IORING_SETUP_CQE_MIXED);
	assert_true(hdr2.result == 0 || hdr2.result == -EOPNOTSUPP);
}

/*
 * A BPF filter denying NOPs (after 6.18): on a ring, and in a child on the task
 * (that one cannot be undone, so not in this process).
 */
static void test_compat_liburing_bpf_filter(void **state)
{
	struct sock_filter deny[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring_bpf bpf;
	struct io_uring ring;
	int ret, status;
	pid_t pid;

	(void)state;
	memset(&bpf, 0, sizeof(bpf));
	bpf.cmd_type = IO_URING_BPF_CMD_FILTER;
	bpf.filter.opcode = IORING_OP_NOP;
	bpf.filter.filter_len = 1;
	bpf.filter.filter_ptr = uring_ptr_to_u64(deny);
	/* Without CAP_SYS_ADMIN the kernel wants no_new_privs. */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		if (io_uring_queue_init(4, &ring, 0))
			_exit(77);
		ret = io_uring_register_bpf_filter(&ring, &bpf);
		if (ret == -EINVAL)
			_exit(77);
		if (ret)
			_exit(10);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		if (io_uring_submit_and_wait(&ring, 1) != 1 ||
		    io_uring_wait_cqe(&ring, &cqe) || cqe->res != -EACCES)
			_exit(11);
		io_uring_cqe_seen(&ring, cqe);
		io_uring_queue_exit(&ring);
		if (io_uring_register_bpf_filter_task(&bpf))
			_exit(12);
		/* Rings created from now on refuse NOPs. */
		if (io_uring_queue_init(4, &ring, 0))
			_exit(13);
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		if (io_uring_submit_and_wait(&ring, 1) != 1 ||
		    io_uring_wait_cqe(&ring, &cqe) || cqe->res != -EACCES)
			_exit(14);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip_with("IORING_REGISTER_BPF_FILTER (after 6.18)", -EINVAL);
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * A CQE_MIXED ring (6.18): a 32-byte CQE takes two slots, which the walk
 * and io_uring_cqe_seen() step over; one that would straddle the wrap
 * leaves a filler that the peek skips.
 */
static void nop_cqe32(struct io_uring *ring, __u64 data, bool big)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_nop(sqe);
	if (big)
		sqe->nop_flags = IORING_NOP_CQE32;
	io_uring_sqe_set_data64(sqe, data);
}

static void test_compat_liburing_cqe_mixed(void **state)
{
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	unsigned head, n = 0, slots = 0, i;
	int ret;

	(void)state;
	ret = io_uring_queue_init(4, &ring, IORING_SETUP_CQE_MIXED);
	if (ret)
		skip_with("IORING_SETUP_CQE_MIXED (6.18)", ret);
	assert_int_equal(ring.cq.ring_entries, 8);
	nop_cqe32(&ring, 1, false);
	nop_cqe32(&ring, 2, true);
	nop_cqe32(&ring, 3, false);
	assert_int_equal(io_uring_submit_and_wait(&ring, 3), 3);
	io_uring_for_each_cqe(&ring, head, cqe) {
		assert_int_equal(cqe->user_data, n + 1);
		assert_int_equal(io_uring_cqe_nr(cqe), n == 1 ? 2 : 1);
		slots += io_uring_cqe_nr(cqe);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(slots, 4);
	assert_int_equal(io_uring_cq_ready(&ring), 4);
	io_uring_cq_advance(&ring, slots);

	/* Head and tail at 7, the last slot before the wrap. */
	for (i = 0; i < 3; i++)
		nop_cqe32(&ring, 10 + i, false);
	assert_int_equal(io_uring_submit_and_wait(&ring, 3), 3);
	io_uring_cq_advance(&ring, 3);
	nop_cqe32(&ring, 20, true);
	assert_int_equal(io_uring_submit_and_wait(&ring, 1), 1);
	assert_int_equal(io_uring_cq_ready(&ring), 3);	/* filler + 2 */
	assert_int_equal(io_uring_peek_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, 20);
	assert_true(cqe->flags & IORING_CQE_F_32);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_cq_ready(&ring), 0);
	assert_int_equal(io_uring_peek_cqe(&ring, &cqe), -EAGAIN);
	io_uring_queue_exit(&ring);
}

/*
 * Big SQEs: any SQE of an SQE128 ring; on an SQE_MIXED ring (after 6.18) two
 * slots for NOP128 and URING_CMD128.
 */
static void test_compat_liburing_get_sqe128(void **state)
{
	struct io_uring_sqe *sqe, *sqe2;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	int ret, i;

	(void)state;
	init_or_skip(&ring, 4, IORING_SETUP_SQE128);
	assert_int_equal(io_uring_sqe_shift(&ring), 1);
	sqe = io_uring_get_sqe128(&ring);
	sqe2 = io_uring_get_sqe128(&ring);
	assert_non_null(sqe);
	assert_int_equal((char *)sqe2 - (char *)sqe, 128);
	io_uring_prep_nop(sqe);
	io_uring_prep_nop(sqe2);
	assert_int_equal(io_uring_submit_and_wait(&ring, 2), 2);
	io_uring_cq_advance(&ring, 2);
	io_uring_queue_exit(&ring);

	ret = io_uring_queue_init(4, &ring, IORING_SETUP_SQE_MIXED);
	if (ret)
		skip_with("IORING_SETUP_SQE_MIXED (after 6.18)", ret);
	/* Slots 0-1 and 2-3, then no room. */
	for (i = 0; i < 2; i++) {
		sqe = io_uring_get_sqe128(&ring);
		assert_non_null(sqe);
		io_uring_prep_nop128(sqe);
		io_uring_sqe_set_data64(sqe, 0x128 + i);
	}
	assert_null(io_uring_get_sqe128(&ring));
	assert_int_equal(io_uring_submit_and_wait(&ring, 2), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
		assert_int_equal(cqe->res, 0);
		io_uring_cqe_seen(&ring, cqe);
	}
	/* Three 64-byte SQEs leave slot 3 last before the wrap ... */
	for (i = 0; i < 3; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, 0x64);
	}
	assert_int_equal(io_uring_submit_and_wait(&ring, 3), 3);
	io_uring_cq_advance(&ring, 3);
	/* ... which a NOP whose CQE is skipped fills: the big one is 0-1. */
	sqe = io_uring_get_sqe128(&ring);
	assert_non_null(sqe);
	assert_true(sqe == &ring.sq.sqes[0]);
	io_uring_prep_nop128(sqe);
	io_uring_sqe_set_data64(sqe, 0x129);
	assert_int_equal(io_uring_sq_ready(&ring), 3);
	assert_true(io_uring_submit(&ring) > 0);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, 0x129);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_cq_ready(&ring), 0);
	io_uring_queue_exit(&ring);
}

/* Submit the one SQE queued and return its CQE's res (the CQE is seen). */
static int run_one(struct io_uring *ring)
{
	struct io_uring_cqe *cqe = submit_wait(ring);
	int res = cqe->res;

	io_uring_cqe_seen(ring, cqe);
	return res;
}

#ifndef FUTEX2_SIZE_U32
#define FUTEX2_SIZE_U32 0x02
#endif

/* A futex wait woken by a futex wake, both through the ring (6.7). */
static void test_compat_liburing_prep_futex(void **state)
{
	static uint32_t word;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct futex_waitv fv;
	int i, woken = 0;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_FUTEX_WAIT,
		    "IORING_OP_FUTEX_WAIT (6.7)");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_futex_wait(sqe, &word, 0, FUTEX_BITSET_MATCH_ANY,
				 FUTEX2_SIZE_U32, 0);
	io_uring_sqe_set_data64(sqe, 1);
	assert_int_equal(io_uring_submit(&ring), 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_futex_wake(sqe, &word, 1, FUTEX_BITSET_MATCH_ANY,
				 FUTEX2_SIZE_U32, 0);
	io_uring_sqe_set_data64(sqe, 2);
	assert_int_equal(io_uring_submit_and_wait(&ring, 2), 1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
		if (cqe->user_data == 2)
			woken = cqe->res;
		else
			assert_int_equal(cqe->res, 0);
		io_uring_cqe_seen(&ring, cqe);
	}
	assert_int_equal(woken, 1);

	/* A vector whose one futex is not at the value: -EAGAIN at once. */
	memset(&fv, 0, sizeof(fv));
	fv.uaddr = uring_ptr_to_u64(&word);
	fv.val = 1;
	fv.flags = FUTEX2_SIZE_U32;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_futex_waitv(sqe, &fv, 1, 0);
	assert_int_equal(run_one(&ring), -EAGAIN);
	io_uring_queue_exit(&ring);
}

/* waitid(2) for a child that exits 7 (6.7). */
static void test_compat_liburing_prep_waitid(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	siginfo_t si;
	pid_t pid;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_WAITID, "IORING_OP_WAITID (6.7)");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(7);
	memset(&si, 0, sizeof(si));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_waitid(sqe, P_PID, (id_t)pid, &si, WEXITED, 0);
	assert_int_equal(run_one(&ring), 0);
	assert_int_equal(si.si_pid, pid);
	assert_int_equal(si.si_status, 7);
	io_uring_queue_exit(&ring);
}

/* pipe2(2) through the ring (6.16), the pipe then used. */
static void test_compat_liburing_prep_pipe(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fds[2] = { -1, -1 };
	char c = 0;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_PIPE, "IORING_OP_PIPE (6.16)");
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_pipe(sqe, fds, O_CLOEXEC);
	assert_int_equal(run_one(&ring), 0);
	assert_true(fds[0] >= 0 && fds[1] >= 0);
	assert_int_equal(write(fds[1], "p", 1), 1);
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(c, 'p');
	assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	close(fds[0]);
	close(fds[1]);

	/* Into two fixed-file slots the kernel picks. */
	assert_int_equal(io_uring_register_files_sparse(&ring, 4), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_pipe_direct(sqe, fds, 0, IORING_FILE_INDEX_ALLOC);
	assert_int_equal(run_one(&ring), 0);
	assert_true(fds[0] >= 0 && fds[0] < 4 && fds[1] >= 0 && fds[1] < 4);
	io_uring_queue_exit(&ring);
}

/* A socket bound and listening through the ring (6.11). */
static void test_compat_liburing_prep_bind_listen(void **state)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd, on = 0;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_LISTEN, "IORING_OP_BIND/LISTEN (6.11)");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_bind(sqe, fd, (struct sockaddr *)&sin, sizeof(sin));
	assert_int_equal(run_one(&ring), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_listen(sqe, fd, 8);
	assert_int_equal(run_one(&ring), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	assert_true(sin.sin_port != 0);
	len = sizeof(on);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len),
			 0);
	assert_int_equal(on, 1);
	close(fd);
	io_uring_queue_exit(&ring);
}

/* ftruncate(2) (6.9) and a fixed file made a normal fd again (6.8). */
static void test_compat_liburing_prep_ftruncate_fd_install(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	struct stat st;
	int fd, nfd;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_FTRUNCATE, "IORING_OP_FTRUNCATE (6.9)");
	fd = file_of('t', 100);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_ftruncate(sqe, fd, 4096);
	assert_int_equal(run_one(&ring), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 4096);

	assert_int_equal(io_uring_register_files(&ring, &fd, 1), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_fixed_fd_install(sqe, 0, 0);
	nfd = run_one(&ring);
	assert_true(nfd >= 0);
	assert_int_equal(fstat(nfd, &st), 0);
	assert_int_equal(st.st_size, 4096);
	assert_true(fcntl(nfd, F_GETFD) & FD_CLOEXEC);
	close(nfd);
	close(fd);
	io_uring_queue_exit(&ring);
}

/* A multishot read out of a buffer ring, until the pipe closes (6.7). */
static void test_compat_liburing_prep_read_multishot(void **state)
{
	struct io_uring_buf_ring *br;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	char bufs[4][16];
	int fds[2], err, i;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_READ_MULTISHOT,
		    "IORING_OP_READ_MULTISHOT (6.7)");
	br = io_uring_setup_buf_ring(&ring, 4, 1, 0, &err);
	assert_non_null(br);
	for (i = 0; i < 4; i++)
		io_uring_buf_ring_add(br, bufs[i], sizeof(bufs[i]),
				      (unsigned short)i,
				      io_uring_buf_ring_mask(4), i);
	io_uring_buf_ring_advance(br, 4);
	assert_int_equal(pipe(fds), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read_multishot(sqe, fds[0], 0, 0, 1);
	assert_int_equal(sqe->flags, IOSQE_BUFFER_SELECT);
	assert_int_equal(io_uring_submit(&ring), 1);
	assert_int_equal(write(fds[1], "abc", 3), 3);
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->res, 3);
	assert_true(cqe->flags & IORING_CQE_F_BUFFER);
	assert_true(cqe->flags & IORING_CQE_F_MORE);
	assert_memory_equal(bufs[cqe->flags >> IORING_CQE_BUFFER_SHIFT], "abc",
			    3);
	io_uring_cqe_seen(&ring, cqe);
	close(fds[1]);
	/* End of file ends the request: a last CQE without F_MORE. */
	assert_int_equal(io_uring_wait_cqe(&ring, &cqe), 0);
	assert_false(cqe->flags & IORING_CQE_F_MORE);
	io_uring_cqe_seen(&ring, cqe);
	assert_int_equal(io_uring_free_buf_ring(&ring, br, 4, 1), 0);
	close(fds[0]);
	io_uring_queue_exit(&ring);
}

/* epoll_wait(2) through the ring, on a ready eventfd (6.15). */
static void test_compat_liburing_prep_epoll_wait(void **state)
{
	struct epoll_event ev, out[4];
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	uint64_t one = 1;
	int ep, efd;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_EPOLL_WAIT,
		    "IORING_OP_EPOLL_WAIT (6.15)");
	ep = epoll_create1(0);
	efd = eventfd(0, 0);
	assert_true(ep >= 0 && efd >= 0);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u64 = 0xe9;
	assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), 0);
	assert_int_equal(write(efd, &one, sizeof(one)), sizeof(one));
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_epoll_wait(sqe, ep, out, 4, 0);
	assert_int_equal(run_one(&ring), 1);
	assert_true(out[0].data.u64 == 0xe9);
	close(efd);
	close(ep);
	io_uring_queue_exit(&ring);
}

/* Vectored I/O inside a registered buffer (6.15). */
static void test_compat_liburing_prep_rw_vec_fixed(void **state)
{
	static char mem[8192];
	struct iovec reg = { mem, sizeof(mem) };
	struct iovec wv[2] = { { mem, 100 }, { mem + 1000, 100 } };
	struct iovec rv[1] = { { mem + 4096, 200 } };
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd;

	(void)state;
	init_for_op(&ring, 4, IORING_OP_READV_FIXED,
		    "IORING_OP_READV_FIXED (6.15)");
	assert_int_equal(io_uring_register_buffers(&ring, &reg, 1), 0);
	memset(mem, 'w', 100);
	memset(mem + 1000, 'v', 100);
	fd = file_of('x', 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_writev_fixed(sqe, fd, wv, 2, 0, 0, 0);
	assert_int_equal(run_one(&ring), 200);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_readv_fixed(sqe, fd, rv, 1, 0, 0, 0);
	assert_int_equal(run_one(&ring), 200);
	assert_int_equal(mem[4096], 'w');
	assert_int_equal(mem[4096 + 199], 'v');
	close(fd);
	io_uring_queue_exit(&ring);
}

/*
 * A datagram sent with sendto(2) through the ring, then socket commands
 * on the receiver: SIOCINQ (6.7) and getsockname (after 6.18).
 */
static void test_compat_liburing_prep_socket_cmds(void **state)
{
	struct sockaddr_in sin, got;
	socklen_t len = sizeof(sin);
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int rx, tx, ret;
	char buf[8];

	(void)state;
	init_for_op(&ring, 4, IORING_OP_URING_CMD,
		    "IORING_OP_URING_CMD (5.19)");
	rx = socket(AF_INET, SOCK_DGRAM, 0);
	tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(rx >= 0 && tx >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(rx, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&sin, &len), 0);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_sendto(sqe, tx, "dgram", 5, 0, (struct sockaddr *)&sin,
			     sizeof(sin));
	ret = run_one(&ring);
	if (ret == -EINVAL || ret == -EDESTADDRREQ) {
		/* A send with an address: 6.0. */
		printf("SKIP (sendto, 6.0): %s\n", strerror(-ret));
		assert_int_equal(sendto(tx, "dgram", 5, 0,
					(struct sockaddr *)&sin, sizeof(sin)),
				 5);
	} else {
		assert_int_equal(ret, 5);
	}

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cmd_sock(sqe, SOCKET_URING_OP_SIOCINQ, rx, 0, 0, NULL, 0);
	ret = run_one(&ring);
	if (ret == -EOPNOTSUPP || ret == -EINVAL)
		printf("SKIP (socket commands, 6.7): %s\n", strerror(-ret));
	else
		assert_int_equal(ret, 5);
	assert_int_equal(recv(rx, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "dgram", 5);

	memset(&got, 0, sizeof(got));
	len = sizeof(got);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_cmd_getsockname(sqe, rx, (struct sockaddr *)&got, &len,
				      0);
	ret = run_one(&ring);
	if (ret == -EOPNOTSUPP || ret == -EINVAL) {
		printf("SKIP (SOCKET_URING_OP_GETSOCKNAME, after 6.18): %s\n",
		       strerror(-ret));
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(got.sin_port, sin.sin_port);
	}
	close(rx);
	close(tx);
	io_uring_queue_exit(&ring);
}

/*
 * Messages between rings: a fixed file handed over into a slot the
 * target picks (6.0), and a CQE carrying flags of our choosing (6.10).
 */
static void test_compat_liburing_prep_msg_ring_newer(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring src, dst;
	int fds[2], ret;

	(void)state;
	init_for_op(&src, 4, IORING_OP_MSG_RING, "IORING_OP_MSG_RING (5.18)");
	init_or_skip(&dst, 4, 0);
	assert_int_equal(pipe(fds), 0);
	ret = io_uring_register_files(&src, fds, 1);
	assert_int_equal(ret, 0);
	ret = io_uring_register_files_sparse(&dst, 4);
	if (ret == -EINVAL) {
		io_uring_queue_exit(&dst);
		io_uring_queue_exit(&src);
		skip_with("sparse file tables (5.19)", ret);
	}
	sqe = io_uring_get_sqe(&src);
	io_uring_prep_msg_ring_fd_alloc(sqe, dst.ring_fd, 0, 0xfd, 0);
	ret = run_one(&src);
	if (ret == -EINVAL) {
		printf("SKIP (IORING_MSG_SEND_FD, 6.0): %s\n", strerror(-ret));
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(io_uring_wait_cqe(&dst, &cqe), 0);
		assert_int_equal(cqe->user_data, 0xfd);
		assert_true(cqe->res >= 0 && cqe->res < 4);
		io_uring_cqe_seen(&dst, cqe);
	}

	sqe = io_uring_get_sqe(&src);
	io_uring_prep_msg_ring_cqe_flags(sqe, dst.ring_fd, 9, 0xf1a9, 0,
					 0x4000);
	ret = run_one(&src);
	if (ret == -EINVAL) {
		printf("SKIP (IORING_MSG_RING_FLAGS_PASS, 6.10): %s\n",
		       strerror(-ret));
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(io_uring_wait_cqe(&dst, &cqe), 0);
		assert_int_equal(cqe->user_data, 0xf1a9);
		assert_int_equal(cqe->res, 9);
		assert_int_equal(cqe->flags, 0x4000);
		io_uring_cqe_seen(&dst, cqe);
	}
	close(fds[0]);
	close(fds[1]);
	io_uring_queue_exit(&dst);
	io_uring_queue_exit(&src);
}

/* open(2) relative to the working directory, plain and direct. */
static void test_compat_liburing_prep_open(void **state)
{
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd, ret;

	(void)state;
	init_or_skip(&ring, 4, 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_open(sqe, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
	fd = run_one(&ring);
	assert_true(fd >= 0);
	close(fd);
	ret = io_uring_register_files_sparse(&ring, 2);
	if (ret == -EINVAL) {
		io_uring_queue_exit(&ring);
		skip_with("sparse file tables (5.19)", ret);
	}
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_open_direct(sqe, "/dev/null", O_RDONLY, 0, 1);
	assert_int_equal(run_one(&ring), 0);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat_liburing_fields),
		cmocka_unit_test(test_compat_liburing_nops),
		cmocka_unit_test(test_compat_liburing_submit_and_wait_signal),
		cmocka_unit_test(test_compat_liburing_prep_clears_flags),
		cmocka_unit_test(test_compat_liburing_file_io),
		cmocka_unit_test(test_compat_liburing_timeouts),
		cmocka_unit_test(test_compat_liburing_probe),
		cmocka_unit_test(test_compat_liburing_register_ring_fd),
		cmocka_unit_test(test_compat_liburing_ring_fd_moved),
		cmocka_unit_test(test_compat_liburing_files_sparse_update),
		cmocka_unit_test(test_compat_liburing_buffers_sparse_update),
		cmocka_unit_test(test_compat_liburing_buf_ring_recv),
		cmocka_unit_test(test_compat_liburing_sqring_wait),
		cmocka_unit_test(test_compat_liburing_submit_and_get_events),
		cmocka_unit_test(test_compat_liburing_iowq),
		cmocka_unit_test(test_compat_liburing_sync_cancel),
		cmocka_unit_test(test_compat_liburing_restrictions),
		cmocka_unit_test(test_compat_liburing_queue_mmap),
		cmocka_unit_test(test_compat_liburing_files_raise_nofile),
		cmocka_unit_test(test_compat_liburing_misc),
		cmocka_unit_test(test_compat_liburing_version_2_15),
		cmocka_unit_test(test_compat_liburing_new_prep_fields),
		cmocka_unit_test(test_compat_liburing_get_sqe_initialised),
		cmocka_unit_test(test_compat_liburing_queue_init_mem),
		cmocka_unit_test(test_compat_liburing_close_ring_fd),
		cmocka_unit_test(test_compat_liburing_setup_buf_ring),
		cmocka_unit_test(test_compat_liburing_napi),
		cmocka_unit_test(test_compat_liburing_register_clock),
		cmocka_unit_test(test_compat_liburing_min_timeout),
		cmocka_unit_test(test_compat_liburing_clone_buffers),
		cmocka_unit_test(test_compat_liburing_resize_rings),
		cmocka_unit_test(test_compat_liburing_wait_reg),
		cmocka_unit_test(test_compat_liburing_set_iowait),
		cmocka_unit_test(test_compat_liburing_register_sync_msg),
		cmocka_unit_test(test_compat_liburing_zcrx_calls),
		cmocka_unit_test(test_compat_liburing_register_query),
		cmocka_unit_test(test_compat_liburing_bpf_filter),
		cmocka_unit_test(test_compat_liburing_cqe_mixed),
		cmocka_unit_test(test_compat_liburing_get_sqe128),
		cmocka_unit_test(test_compat_liburing_prep_futex),
		cmocka_unit_test(test_compat_liburing_prep_waitid),
		cmocka_unit_test(test_compat_liburing_prep_pipe),
		cmocka_unit_test(test_compat_liburing_prep_bind_listen),
		cmocka_unit_test(test_compat_liburing_prep_ftruncate_fd_install),
		cmocka_unit_test(test_compat_liburing_prep_read_multishot),
		cmocka_unit_test(test_compat_liburing_prep_epoll_wait),
		cmocka_unit_test(test_compat_liburing_prep_rw_vec_fixed),
		cmocka_unit_test(test_compat_liburing_prep_socket_cmds),
		cmocka_unit_test(test_compat_liburing_prep_msg_ring_newer),
		cmocka_unit_test(test_compat_liburing_prep_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
