/* SPDX-License-Identifier: MIT */
/*
 * Register calls against the running kernel, each checked by its effect:
 * a fixed file or buffer is read through, an eventfd fires, a restriction
 * refuses, a cancel cancels.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>


#define UD_READ(i) UD_TAG(0x52454144, i) /* "READ" */

static struct io_uring_sqe *prep_rw(struct iou_ring *ring, uint8_t op, int fd,
				    const void *addr, unsigned len,
				    uint64_t off, uint64_t ud)
{
	struct io_uring_sqe *sqe = iou_get_sqe(ring);

	assert_non_null(sqe);
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (uint64_t)(uintptr_t)addr;
	sqe->len = len;
	sqe->off = off;
	sqe->user_data = ud;
	return sqe;
}

/* Submit what is queued and return the next CQE's res (checking its ud). */
static int result_of(struct iou_ring *ring, uint64_t ud)
{
	struct io_uring_cqe *cqe;
	int res;

	assert_true(iou_submit(ring) >= 0);
	assert_int_equal(iou_wait_cqe(ring, &cqe), 0);
	assert_int_equal(cqe->user_data, ud);
	res = cqe->res;
	iou_cqe_seen(ring, cqe);
	return res;
}

/*
 * A register call refused as unknown (-EINVAL, -EOPNOTSUPP) skips the
 * test on a kernel older than its documented minimum (@major.@minor);
 * from that kernel on, the test goes on and the refusal fails it.
 */
static void skip_unless_known(int ret, const char *what, int major, int minor)
{
	if ((ret == -EINVAL || ret == -EOPNOTSUPP) &&
	    !t_kernel_at_least(major, minor))
		t_skip("kernel lacks %s (%d; needs Linux %d.%d)", what, ret,
		       major, minor);
}

static void test_register_files(void **state)
{
	struct iou_ring ring;
	struct io_uring_sqe *sqe;
	int p[2];
	char buf[8] = { 0 };

	(void)state;
	t_ring_init(&ring, 8, 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(iou_register_files(&ring, p, 2), 0);
	assert_int_equal(iou_register_files(&ring, p, 2), -EBUSY);
	assert_int_equal(write(p[1], "fixed", 5), 5);
	sqe = prep_rw(&ring, IORING_OP_READ, 0, buf, sizeof(buf), 0, UD_READ(1));
	sqe->flags = IOSQE_FIXED_FILE;
	assert_int_equal(result_of(&ring, UD_READ(1)), 5);
	assert_memory_equal(buf, "fixed", 5);
	assert_int_equal(iou_unregister_files(&ring), 0);
	assert_int_equal(iou_unregister_files(&ring), -ENXIO);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_register_files_sparse_update(void **state)
{
	struct iou_ring ring;
	struct io_uring_sqe *sqe;
	uint64_t tag = 0x7a67;
	int p[2], none = -1;
	char buf[8];

	(void)state;
	t_ring_init(&ring, 8, 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(iou_register_files_sparse(&ring, 8), 0);
	/* An empty slot is not a file. */
	sqe = prep_rw(&ring, IORING_OP_READ, 3, buf, 1, 0, UD_READ(2));
	sqe->flags = IOSQE_FIXED_FILE;
	assert_int_equal(result_of(&ring, UD_READ(2)), -EBADF);
	/* Fill slot 3, read through it. */
	assert_int_equal(iou_register_files_update(&ring, 3, &p[0], NULL, 1), 1);
	assert_int_equal(write(p[1], "s", 1), 1);
	sqe = prep_rw(&ring, IORING_OP_READ, 3, buf, 1, 0, UD_READ(3));
	sqe->flags = IOSQE_FIXED_FILE;
	assert_int_equal(result_of(&ring, UD_READ(3)), 1);
	/* Tagged update, then emptied: the tag comes back in a CQE. */
	assert_int_equal(iou_register_files_update(&ring, 4, &p[1], &tag, 1), 1);
	assert_int_equal(iou_register_files_update(&ring, 4, &none, NULL, 1), 1);
	assert_int_equal(result_of(&ring, tag), 0);
	assert_int_equal(iou_register_files_update(&ring, 9, &p[0], NULL, 1),
			 -EINVAL);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_register_file_alloc_range(void **state)
{
	struct iou_ring ring;
	struct io_uring_sqe *sqe;
	int i, res;

	(void)state;
	t_ring_init(&ring, 8, 0);
	assert_int_equal(iou_register_files_sparse(&ring, 8), 0);
	res = iou_register_file_alloc_range(&ring, 2, 2);
	skip_unless_known(res, "IORING_REGISTER_FILE_ALLOC_RANGE", 6, 0);
	assert_int_equal(res, 0);
	assert_int_equal(iou_register_file_alloc_range(&ring, 7, 4), -EINVAL);
	/* Direct opens land in slots 2 and 3, then the range is full. */
	for (i = 0; i < 3; i++) {
		sqe = prep_rw(&ring, IORING_OP_OPENAT, AT_FDCWD, "/dev/null", 0,
			      0, UD_TAG(0x4f50454e, i)); /* "OPEN" */
		sqe->open_flags = O_RDONLY;
		sqe->file_index = IORING_FILE_INDEX_ALLOC;
		res = result_of(&ring, UD_TAG(0x4f50454e, i));
		if (i < 2)
			assert_true(res == 2 || res == 3);
		else
			assert_int_equal(res, -ENFILE);
	}
	iou_ring_exit(&ring);
}

static void test_register_buffers(void **state)
{
	char *mem = t_anon(4096);
	struct iovec iov = { mem, 4096 };
	struct iou_ring ring;
	struct io_uring_sqe *sqe;
	int p[2];

	(void)state;
	t_ring_init(&ring, 8, 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(iou_register_buffers(&ring, &iov, 1), 0);
	assert_int_equal(iou_register_buffers(&ring, &iov, 1), -EBUSY);
	assert_int_equal(write(p[1], "buffer", 6), 6);
	sqe = prep_rw(&ring, IORING_OP_READ_FIXED, p[0], mem + 100, 64, 0,
		      UD_READ(4));
	sqe->buf_index = 0;
	assert_int_equal(result_of(&ring, UD_READ(4)), 6);
	assert_memory_equal(mem + 100, "buffer", 6);
	/* Outside the registered buffer: refused. */
	sqe = prep_rw(&ring, IORING_OP_READ_FIXED, p[0], mem + 4090, 64, 0,
		      UD_READ(5));
	assert_int_equal(result_of(&ring, UD_READ(5)), -EFAULT);
	assert_int_equal(iou_unregister_buffers(&ring), 0);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
	t_anon_free(mem, 4096);
}

static void test_register_buffers_sparse_update(void **state)
{
	char (*mem)[4096] = t_anon(2 * 4096);
	struct iovec iov[2] = { { mem[0], 4096 }, { mem[1], 4096 } };
	uint64_t tags[2] = { 0, 0 };
	struct iou_ring ring;
	struct io_uring_sqe *sqe;
	int p[2], res;

	(void)state;
	t_ring_init(&ring, 8, 0);
	assert_int_equal(pipe(p), 0);
	res = iou_register_buffers_sparse(&ring, 4);
	skip_unless_known(res, "sparse buffer registration", 5, 19);
	assert_int_equal(res, 0);
	assert_int_equal(iou_register_buffers_update(&ring, 2, iov, tags, 2), 2);
	assert_int_equal(write(p[1], "upd", 3), 3);
	sqe = prep_rw(&ring, IORING_OP_READ_FIXED, p[0], mem[1], 16, 0,
		      UD_READ(6));
	sqe->buf_index = 3;
	assert_int_equal(result_of(&ring, UD_READ(6)), 3);
	assert_memory_equal(mem[1], "upd", 3);
	/* Slot 0 was never filled. */
	assert_int_equal(write(p[1], "x", 1), 1);
	sqe = prep_rw(&ring, IORING_OP_READ_FIXED, p[0], mem[0], 16, 0,
		      UD_READ(7));
	sqe->buf_index = 0;
	assert_int_equal(result_of(&ring, UD_READ(7)), -EFAULT);
	assert_int_equal(iou_unregister_buffers(&ring), 0);
	assert_int_equal(iou_register_buffers_tags(&ring, iov, tags, 2), 0);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
	t_anon_free(mem, 2 * 4096);
}

static void test_register_eventfd(void **state)
{
	struct iou_ring ring;
	struct io_uring_cqe *cqe;
	eventfd_t v;
	int efd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	efd = eventfd(0, EFD_NONBLOCK);
	assert_true(efd >= 0);
	assert_int_equal(iou_register_eventfd(&ring, efd), 0);
	assert_int_equal(iou_register_eventfd(&ring, efd), -EBUSY);
	t_nop(&ring, UD_NOP(1));
	assert_int_equal(result_of(&ring, UD_NOP(1)), 0);
	assert_int_equal(eventfd_read(efd, &v), 0);
	assert_int_equal(iou_unregister_eventfd(&ring), 0);
	assert_int_equal(iou_unregister_eventfd(&ring), -ENXIO);

	/*
	 * Async only: a NOP completed inline stays quiet; one punted to an
	 * io-wq worker (IOSQE_ASYNC) signals.
	 */
	assert_int_equal(iou_register_eventfd_async(&ring, efd), 0);
	t_nop(&ring, UD_NOP(2));
	assert_int_equal(result_of(&ring, UD_NOP(2)), 0);
	assert_int_equal(eventfd_read(efd, &v), -1);
	assert_int_equal(errno, EAGAIN);
	t_nop(&ring, UD_NOP(3))->flags = IOSQE_ASYNC;
	assert_int_equal(iou_submit(&ring), 1);
	assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_NOP(3));
	iou_cqe_seen(&ring, cqe);
	/*
	 * The kernel may signal the eventfd a moment after the CQE is
	 * visible (it defers the signal when it cannot take it inline).
	 */
	{
		struct pollfd pfd = { .fd = efd, .events = POLLIN };

		assert_int_equal(poll(&pfd, 1, 5000), 1);
	}
	assert_int_equal(eventfd_read(efd, &v), 0);
	assert_true(v >= 1);
	close(efd);
	iou_ring_exit(&ring);
}

static void test_register_probe(void **state)
{
	union iou_probe_buf buf;
	struct io_uring_probe *probe = &buf.probe;
	struct iou_ring ring;
	unsigned i, supported = 0;

	(void)state;
	t_ring_init(&ring, 4, 0);
	memset(&buf, 0, sizeof(buf));
	assert_int_equal(iou_register_probe(&ring, probe, 256), 0);
	assert_true(probe->ops_len > IORING_OP_NOP);
	for (i = 0; i < probe->ops_len; i++)
		if (probe->ops[i].flags & IO_URING_OP_SUPPORTED)
			supported++;
	if (t_kernel_at_least(6, 18))
		assert_int_equal(probe->ops_len, IORING_OP_LAST);
	assert_true(supported > 0);
	assert_int_equal(iou_opcode_supported(&ring, IORING_OP_NOP), 1);
	assert_int_equal(iou_opcode_supported(&ring, 200), 0);
	assert_int_equal(iou_register_probe(&ring, probe, 1000), -EINVAL);
	iou_ring_exit(&ring);
}

static void test_register_personality(void **state)
{
	struct iou_ring ring;
	struct io_uring_sqe *sqe;
	int id;

	(void)state;
	t_ring_init(&ring, 4, 0);
	id = iou_register_personality(&ring);
	assert_true(id >= 1);
	sqe = t_nop(&ring, UD_NOP(3));
	sqe->personality = (uint16_t)id;
	assert_int_equal(result_of(&ring, UD_NOP(3)), 0);
	assert_int_equal(iou_unregister_personality(&ring, id), 0);
	assert_int_equal(iou_unregister_personality(&ring, id), -EINVAL);
	sqe = t_nop(&ring, UD_NOP(4));
	sqe->personality = (uint16_t)id;
	assert_int_equal(result_of(&ring, UD_NOP(4)), -EINVAL);
	iou_ring_exit(&ring);
}

static void test_register_restrictions(void **state)
{
	struct io_uring_restriction res[2];
	struct iou_ring ring;
	char buf[1];

	(void)state;
	t_ring_init(&ring, 4, IORING_SETUP_R_DISABLED);
	memset(res, 0, sizeof(res));
	res[0].opcode = IORING_RESTRICTION_SQE_OP;
	res[0].sqe_op = IORING_OP_NOP;
	res[1].opcode = IORING_RESTRICTION_REGISTER_OP;
	res[1].register_op = IORING_REGISTER_PROBE;
	assert_int_equal(iou_register_restrictions(&ring, res, 2), 0);
	assert_int_equal(iou_register_restrictions(&ring, res, 2), -EBUSY);
	assert_int_equal(iou_ring_enable(&ring), 0);
	t_nop(&ring, UD_NOP(5));
	assert_int_equal(result_of(&ring, UD_NOP(5)), 0);
	prep_rw(&ring, IORING_OP_READ, 0, buf, 1, 0, UD_READ(9));
	assert_int_equal(result_of(&ring, UD_READ(9)), -EACCES);
	assert_int_equal(iou_opcode_supported(&ring, IORING_OP_NOP), 1);
	assert_int_equal(iou_register_personality(&ring), -EACCES);
	iou_ring_exit(&ring);
}

static void test_register_iowq(void **state)
{
	struct iou_ring ring;
	unsigned vals[2] = { 0, 0 };
	cpu_set_t set;

	(void)state;
	t_ring_init(&ring, 4, 0);
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	assert_int_equal(iou_register_iowq_aff(&ring, sizeof(set), &set), 0);
	assert_int_equal(iou_unregister_iowq_aff(&ring), 0);
	assert_int_equal(iou_register_iowq_aff(&ring, 0, &set), -EINVAL);
	/* 0/0 reads the limits; set, then read back what was set. */
	assert_int_equal(iou_register_iowq_max_workers(&ring, vals), 0);
	assert_true(vals[0] > 0 && vals[1] > 0);
	vals[0] = 2;
	vals[1] = 3;
	assert_int_equal(iou_register_iowq_max_workers(&ring, vals), 0);
	vals[0] = vals[1] = 0;
	assert_int_equal(iou_register_iowq_max_workers(&ring, vals), 0);
	assert_int_equal(vals[0], 2);
	assert_int_equal(vals[1], 3);
	iou_ring_exit(&ring);
}

/* Multishot-free recv with a provided buffer from a registered buffer ring. */
static void recv_from_buf_ring(unsigned flags)
{
	enum { ENTRIES = 8, BGID = 7, BUFSZ = 64 };
	static char bufs[ENTRIES][BUFSZ];
	struct io_uring_buf_ring *br;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	unsigned i, bid;
	uint16_t head;
	int sv[2], err, ret;

	t_ring_init(&ring, 8, 0);
	br = iou_setup_buf_ring(&ring, ENTRIES, BGID, flags, &err);
	if (!br && flags & IOU_PBUF_RING_MMAP)
		skip_unless_known(err, "kernel-allocated buffer rings", 6, 4);
	if (!br)
		skip_unless_known(err, "provided buffer rings", 5, 19);
	assert_non_null(br);
	assert_null(iou_setup_buf_ring(&ring, ENTRIES, BGID, flags, &err));
	assert_int_equal(err, -EEXIST);
	assert_null(iou_setup_buf_ring(&ring, 3, BGID + 1, flags, &err));
	assert_int_equal(err, -EINVAL);
	for (i = 0; i < ENTRIES; i++)
		iou_buf_ring_add(br, bufs[i], BUFSZ, (unsigned short)i,
				 iou_buf_ring_mask(ENTRIES), i);
	iou_buf_ring_advance(br, ENTRIES);

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 3; i++) {
		char msg[16];
		int len = snprintf(msg, sizeof(msg), "msg-%u", i);

		assert_int_equal(write(sv[1], msg, (size_t)len), len);
		sqe = prep_rw(&ring, IORING_OP_RECV, sv[0], NULL, 0, 0,
			      UD_TAG(0x52435631, i)); /* "RCV1" */
		sqe->flags = IOSQE_BUFFER_SELECT;
		sqe->buf_group = BGID;
		assert_int_equal(iou_submit(&ring), 1);
		assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
		assert_int_equal(cqe->res, len);
		assert_true(cqe->flags & IORING_CQE_F_BUFFER);
		bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
		assert_true(bid < ENTRIES);
		assert_memory_equal(bufs[bid], msg, (size_t)len);
		iou_cqe_seen(&ring, cqe);
	}
	if (!iou_buf_ring_head(&ring, BGID, &head))
		assert_int_equal(head, 3);
	assert_int_equal(iou_free_buf_ring(&ring, br, ENTRIES, BGID), 0);
	/*
	 * Gone: -ENOENT.  Linux 6.1 keeps the emptied list of a group id
	 * below 64 and answers -EINVAL; 6.12 answers -ENOENT.
	 */
	ret = iou_unregister_buf_ring(&ring, BGID);
	if (t_kernel_at_least(6, 12))
		assert_int_equal(ret, -ENOENT);
	else
		assert_true(ret == -ENOENT || ret == -EINVAL);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
}

static void test_register_buf_ring(void **state)
{
	(void)state;
	recv_from_buf_ring(0);
}

static void test_register_buf_ring_kernel_mem(void **state)
{
	(void)state;
	recv_from_buf_ring(IOU_PBUF_RING_MMAP);
}

static void test_register_sync_cancel(void **state)
{
	struct io_uring_sync_cancel_reg reg;
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int p[2], ret;
	char c;

	(void)state;
	t_ring_init(&ring, 4, 0);
	assert_int_equal(pipe(p), 0);
	prep_rw(&ring, IORING_OP_READ, p[0], &c, 1, 0, UD_READ(10));
	assert_int_equal(iou_submit(&ring), 1);
	memset(&reg, 0, sizeof(reg));
	reg.addr = UD_READ(10);
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	ret = iou_register_sync_cancel(&ring, &reg);
	skip_unless_known(ret, "IORING_REGISTER_SYNC_CANCEL", 6, 0);
	assert_int_equal(ret, 0);
	assert_int_equal(iou_peek_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_READ(10));
	assert_int_equal(cqe->res, -ECANCELED);
	iou_cqe_seen(&ring, cqe);
	assert_int_equal(iou_register_sync_cancel(&ring, &reg), -ENOENT);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&ring);
}

static void test_register_clock(void **state)
{
	struct iou_timespec ts = { 0, 10 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int64_t t0;
	int ret;

	(void)state;
	t_ring_init(&ring, 4, 0);
	ret = iou_register_clock(&ring, CLOCK_BOOTTIME);
	skip_unless_known(ret, "IORING_REGISTER_CLOCK", 6, 12);
	assert_int_equal(ret, 0);
	assert_int_equal(ring.clockid, CLOCK_BOOTTIME);
	t0 = t_now_ns();
	assert_int_equal(iou_wait_cqe_timeout(&ring, &cqe, &ts), -ETIME);
	assert_true(t_now_ns() - t0 >= 9 * 1000 * 1000);
	assert_int_equal(iou_register_clock(&ring, CLOCK_REALTIME), -EINVAL);
	assert_int_equal(ring.clockid, CLOCK_BOOTTIME);
	iou_ring_exit(&ring);
}

static void test_register_napi(void **state)
{
	struct io_uring_napi napi, old;
	struct iou_ring ring;
	int ret;

	(void)state;
	t_ring_init(&ring, 4, 0);
	memset(&napi, 0, sizeof(napi));
	napi.busy_poll_to = 50;
	napi.prefer_busy_poll = 1;
	ret = iou_register_napi(&ring, &napi);
	skip_unless_known(ret, "IORING_REGISTER_NAPI", 6, 9);
	assert_int_equal(ret, 0);
	memset(&old, 0, sizeof(old));
	assert_int_equal(iou_unregister_napi(&ring, &old), 0);
	assert_int_equal(old.busy_poll_to, 50);
	assert_int_equal(old.prefer_busy_poll, 1);
	iou_ring_exit(&ring);
}

static void test_register_clone_buffers(void **state)
{
	char *mem = t_anon(4096);
	struct iovec iov = { mem, 4096 };
	struct io_uring_sqe *sqe;
	struct iou_ring src, dst;
	int p[2], ret;

	(void)state;
	t_ring_init(&src, 4, 0);
	t_ring_init(&dst, 4, 0);
	assert_int_equal(iou_register_buffers(&src, &iov, 1), 0);
	ret = iou_clone_buffers(&dst, &src, 0);
	skip_unless_known(ret, "IORING_REGISTER_CLONE_BUFFERS", 6, 12);
	assert_int_equal(ret, 0);
	assert_int_equal(iou_clone_buffers(&dst, &src, 0), -EBUSY);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "clone", 5), 5);
	sqe = prep_rw(&dst, IORING_OP_READ_FIXED, p[0], mem, 16, 0, UD_READ(11));
	sqe->buf_index = 0;
	assert_int_equal(result_of(&dst, UD_READ(11)), 5);
	assert_memory_equal(mem, "clone", 5);
	close(p[0]);
	close(p[1]);
	iou_ring_exit(&dst);
	iou_ring_exit(&src);
	t_anon_free(mem, 4096);
}

static void test_register_send_msg_ring(void **state)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe *cqe;
	struct iou_ring target;
	int ret;

	(void)state;
	t_ring_init(&target, 4, 0);
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_MSG_RING;
	sqe.fd = target.ring_fd;
	sqe.addr = IORING_MSG_DATA;
	sqe.len = 42;
	sqe.off = UD_TAG(0x4d534731, 1); /* "MSG1" */
	ret = iou_register_send_msg_ring(&sqe);
	skip_unless_known(ret, "IORING_REGISTER_SEND_MSG_RING", 6, 13);
	assert_int_equal(ret, 0);
	assert_int_equal(iou_peek_cqe(&target, &cqe), 0);
	assert_int_equal(cqe->user_data, UD_TAG(0x4d534731, 1));
	assert_int_equal(cqe->res, 42);
	iou_cqe_seen(&target, cqe);
	sqe.fd = 0; /* not a ring */
	assert_true(iou_register_send_msg_ring(&sqe) < 0);
	iou_ring_exit(&target);
}

/*
 * Resize @ring (4 entries, DEFER_TASKRUN) to 16/64 with completions
 * waiting and an SQE queued across it; all 40 NOPs complete once.
 */
static void resize_keeps_ops(struct iou_ring *ring)
{
	struct io_uring_params p;
	struct io_uring_cqe *cqe;
	struct t_seen seen;
	unsigned i;
	int ret;

	t_seen_init(&seen, 40);
	/* Three completions waiting and one SQE queued across the resize. */
	for (i = 0; i < 3; i++)
		t_nop(ring, i);
	assert_int_equal(iou_submit_and_wait(ring, 3), 3);
	t_nop(ring, 3);
	memset(&p, 0, sizeof(p));
	p.sq_entries = 16;
	p.cq_entries = 64;
	p.flags = IORING_SETUP_CQSIZE;
	ret = iou_resize_rings(ring, &p);
	skip_unless_known(ret, "IORING_REGISTER_RESIZE_RINGS", 6, 13);
	assert_int_equal(ret, 0);
	assert_int_equal(ring->sq.entries, 16);
	assert_int_equal(ring->cq.entries, 64);
	assert_int_equal(iou_submit(ring), 1);
	for (i = 4; i < 40; i++) {
		if (!iou_sq_space_left(ring))
			assert_true(iou_submit(ring) > 0);
		t_nop(ring, i);
	}
	assert_true(iou_submit(ring) >= 0);
	while (seen.count < 40) {
		assert_int_equal(iou_wait_cqe(ring, &cqe), 0);
		t_seen_mark(&seen, cqe->user_data);
		iou_cqe_seen(ring, cqe);
	}
	assert_int_equal(seen.dups, 0);
	t_seen_free(&seen);
	iou_ring_exit(ring);
}

static void test_register_resize_rings(void **state)
{
	struct iou_ring ring;

	(void)state;
	t_ring_init(&ring, 4,
		    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	resize_keeps_ops(&ring);
}

/*
 * A ring with an SQ index array: the kernel's answer to the resize leaves
 * sq_off.array 0, and the library must find the new array itself rather
 * than fill one over the ring's head and tail words.
 */
static void test_register_resize_rings_sq_array(void **state)
{
	struct io_uring_params p;
	struct iou_ring ring;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	t_ring_init_params(&ring, 4, &p);
	assert_non_null(ring.sq.karray);
	resize_keeps_ops(&ring);
}

static void test_register_query(void **state)
{
	struct io_uring_query_opcode op;
	struct io_uring_query_hdr hdr;
	int ret;

	(void)state;
	if (iou_available())
		t_skip("io_uring unavailable");
	memset(&op, 0, sizeof(op));
	memset(&hdr, 0, sizeof(hdr));
	hdr.query_op = IO_URING_QUERY_OPCODES;
	hdr.query_data = (uint64_t)(uintptr_t)&op;
	hdr.size = sizeof(op);
	ret = iou_register_query(NULL, &hdr);
	skip_unless_known(ret, "IORING_REGISTER_QUERY", 6, 18);
	assert_int_equal(ret, 0);
	assert_int_equal(hdr.result, 0);
	assert_true(op.nr_request_opcodes >= IORING_OP_LAST);
	assert_true(op.nr_register_opcodes >= IORING_REGISTER_LAST);
	assert_true(op.ring_setup_flags & IORING_SETUP_SQPOLL);
}

static void test_register_mem_region(void **state)
{
	struct io_uring_mem_region_reg mr;
	struct io_uring_region_desc rd;
	struct io_uring_reg_wait *rw;
	struct iou_ring ring;
	long page = sysconf(_SC_PAGESIZE);
	int64_t t0;
	int ret;

	(void)state;
	t_ring_init(&ring, 4, IORING_SETUP_R_DISABLED);
	rw = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(rw != MAP_FAILED);
	memset(&rd, 0, sizeof(rd));
	rd.user_addr = (uint64_t)(uintptr_t)rw;
	rd.size = (uint64_t)page;
	rd.flags = IORING_MEM_REGION_TYPE_USER;
	memset(&mr, 0, sizeof(mr));
	mr.region_uptr = (uint64_t)(uintptr_t)&rd;
	mr.flags = IORING_MEM_REGION_REG_WAIT_ARG;
	ret = iou_register_mem_region(&ring, &mr);
	if ((ret == -EINVAL || ret == -EOPNOTSUPP) && !t_kernel_at_least(6, 13)) {
		munmap(rw, (size_t)page);
		t_skip("kernel lacks IORING_REGISTER_MEM_REGION (%d; needs Linux "
		       "6.13)", ret);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(iou_ring_enable(&ring), 0);
	/* A registered wait argument: slot 0 says "10 ms". */
	rw[0].ts.tv_sec = 0;
	rw[0].ts.tv_nsec = 10 * 1000 * 1000;
	rw[0].flags = IORING_REG_WAIT_TS;
	t0 = t_now_ns();
	ret = iou_enter(&ring, 0, 1,
			IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG |
				IORING_ENTER_EXT_ARG_REG,
			(void *)0, sizeof(struct io_uring_reg_wait));
	assert_int_equal(ret, -ETIME);
	assert_true(t_now_ns() - t0 >= 9 * 1000 * 1000);
	iou_ring_exit(&ring);
	munmap(rw, (size_t)page);
}

static void test_register_zcrx_needs_nic(void **state)
{
	struct io_uring_zcrx_ifq_reg reg;
	struct iou_ring ring;
	int ret;

	(void)state;
	t_ring_init(&ring, 4,
		    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			    IORING_SETUP_CQE32);
	memset(&reg, 0, sizeof(reg));
	reg.if_idx = 1; /* loopback: no hardware queue to give */
	ret = iou_register_zcrx_ifq(&ring, &reg);
	iou_ring_exit(&ring);
	/* The call reaches the kernel and is refused, never succeeds here. */
	assert_true(ret < 0);
	t_skip("zero-copy rx needs a NIC with header split (kernel said %d)",
	       ret);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_register_files),
		T_TEST(test_register_files_sparse_update),
		T_TEST(test_register_file_alloc_range),
		T_TEST(test_register_buffers),
		T_TEST(test_register_buffers_sparse_update),
		T_TEST(test_register_eventfd),
		T_TEST(test_register_probe),
		T_TEST(test_register_personality),
		T_TEST(test_register_restrictions),
		T_TEST(test_register_iowq),
		T_TEST(test_register_buf_ring),
		T_TEST(test_register_buf_ring_kernel_mem),
		T_TEST(test_register_sync_cancel),
		T_TEST(test_register_clock),
		T_TEST(test_register_napi),
		T_TEST(test_register_clone_buffers),
		T_TEST(test_register_send_msg_ring),
		T_TEST(test_register_resize_rings),
		T_TEST(test_register_resize_rings_sq_array),
		T_TEST(test_register_query),
		T_TEST(test_register_mem_region),
		T_TEST(test_register_zcrx_needs_nic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
