/* SPDX-License-Identifier: MIT */
/*
 * Ring setup and teardown on the running kernel: every setup flag it
 * accepts, caller memory, registered fds, and that exit leaves nothing.
 */
#include "testutil.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>


/* Submit one NOP and check its CQE comes back intact. */
static void test_setup_default(void **state)
{
	struct iou_ring ring;
	int fds = t_count_fds();

	(void)state;
	t_ring_init(&ring, 8, 0);
	assert_int_equal(ring.sq.entries, 8);
	assert_int_equal(ring.sq.mask, 7);
	assert_int_equal(ring.cq.entries, 16);
	assert_true(ring.ring_fd >= 0);
	assert_int_equal(t_count_fds(), fds + 1);
	if (t_kernel_at_least(6, 6)) {
		/* NO_SQARRAY is added where the kernel has it. */
		assert_true(ring.flags & IORING_SETUP_NO_SQARRAY);
		assert_null(ring.sq.karray);
	}
	t_nop_roundtrip(&ring, UD_NOP(1));
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), fds);
}

static void test_setup_pow2_rounding(void **state)
{
	struct iou_ring ring;

	(void)state;
	t_ring_init(&ring, 5, 0);
	assert_int_equal(ring.sq.entries, 8);
	assert_int_equal(ring.cq.entries, 16);
	iou_ring_exit(&ring);
}

static void test_setup_bad_entries(void **state)
{
	struct iou_ring ring;

	(void)state;
	if (iou_available())
		t_skip("io_uring unavailable");
	assert_int_equal(iou_ring_init(&ring, 0, 0), -EINVAL);
	assert_int_equal(iou_ring_init(&ring, 100000, 0), -EINVAL);
	assert_int_equal(iou_ring_init(&ring, 8, 1U << 31), -EINVAL);
	assert_int_equal(iou_ring_init(NULL, 8, 0), -EINVAL);
	assert_int_equal(iou_ring_init_params(&ring, 8, NULL), -EINVAL);
}

static void test_setup_clamp(void **state)
{
	struct iou_ring ring;

	(void)state;
	t_ring_init(&ring, 100000, IORING_SETUP_CLAMP);
	assert_int_equal(ring.sq.entries, 32768);
	iou_ring_exit(&ring);
}

static void test_setup_cqsize(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE,
				     .cq_entries = 100 };
	struct iou_ring ring;

	(void)state;
	t_ring_init_params(&ring, 4, &p);
	assert_int_equal(ring.sq.entries, 4);
	assert_int_equal(ring.cq.entries, 128);
	assert_int_equal(p.cq_entries, 128);
	t_nop_roundtrip(&ring, UD_NOP(2));
	iou_ring_exit(&ring);
}

static void test_setup_sq_array(void **state)
{
	struct io_uring_params p = { 0 };
	struct iou_ring ring;
	unsigned i;

	(void)state;
	t_ring_init_params(&ring, 8, &p);
	assert_false(ring.flags & IORING_SETUP_NO_SQARRAY);
	assert_non_null(ring.sq.karray);
	for (i = 0; i < 8; i++)
		assert_int_equal(ring.sq.karray[i], i);
	for (i = 0; i < 20; i++)
		t_nop_roundtrip(&ring, UD_NOP(i));
	iou_ring_exit(&ring);
}

static void test_setup_single_mmap(void **state)
{
	struct iou_ring ring;
	struct iou_ring_raw raw;

	(void)state;
	t_ring_init(&ring, 8, 0);
	if (!(ring.features & IORING_FEAT_SINGLE_MMAP)) {
		iou_ring_exit(&ring);
		t_missing(5, 4, "IORING_FEAT_SINGLE_MMAP");
	}
	assert_ptr_equal(ring.sq.ring_ptr, ring.cq.ring_ptr);
	assert_int_equal(iou_ring_raw(&ring, &raw), 0);
	assert_ptr_equal(raw.sq_ring, raw.cq_ring);
	assert_int_equal(raw.sqe_size, 64);
	assert_int_equal(raw.cqe_size, 16);
	assert_true(raw.sqes_size >= 8 * 64);
	iou_ring_exit(&ring);
}

static void test_setup_exit_releases(void **state)
{
	struct iou_ring ring;
	int fds, maps, i;

	(void)state;
	t_ring_init(&ring, 8, 0);
	iou_ring_exit(&ring);
	fds = t_count_fds();
	maps = t_count_maps();
	for (i = 0; i < 50; i++) {
		t_ring_init(&ring, 64, 0);
		iou_ring_exit(&ring);
	}
	assert_int_equal(t_count_fds(), fds);
	assert_int_equal(t_count_maps(), maps);
	/* A second exit is harmless. */
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), fds);
}

static void test_setup_exited_ring_calls(void **state)
{
	static const unsigned flags[] = {
		0,
		IORING_SETUP_SQPOLL,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
	};
	struct iou_ring ring;
	int fds, maps;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		fds = t_count_fds();
		maps = t_count_maps();
		t_ring_init(&ring, 8, flags[i]);
		/* Work queued and completed but not reaped at exit. */
		t_nop(&ring, UD_NOP(1));
		assert_int_equal(iou_submit_and_wait(&ring, 1), 1);
		t_nop(&ring, UD_NOP(2));
		if (i == 0 && iou_register_ring_fd(&ring) == 0)
			assert_true(ring.iflags & IOU_RING_REG_RING);
		iou_ring_exit(&ring);
		assert_int_equal(t_count_fds(), fds);
		assert_int_equal(t_count_maps(), maps);
		t_check_exited(&ring);
		/* A misused advance on the exited ring changes nothing. */
		iou_cq_advance(&ring, 3);
		t_check_exited(&ring);
		iou_ring_exit(&ring);
		assert_int_equal(t_count_fds(), fds);
		assert_int_equal(t_count_maps(), maps);
	}
}

/* @fd is open, and is the read end of the pipe whose write end is @wfd. */
static void check_pipe(int fd, int wfd)
{
	char c = 0;

	assert_int_equal(write(wfd, "x", 1), 1);
	assert_int_equal(read(fd, &c, 1), 1);
	assert_int_equal(c, 'x');
}

static void test_setup_exit_twice(void **state)
{
	struct iou_ring ring;
	int fds, p[2], fd;

	(void)state;
	fds = t_count_fds();
	t_ring_init(&ring, 8, 0);
	fd = ring.ring_fd;
	iou_ring_exit(&ring);
	/* The ring's old number goes to a pipe: a second exit leaves it. */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(p[0], fd);
	iou_ring_exit(&ring);
	check_pipe(p[0], p[1]);
	close(p[0]);
	close(p[1]);
	assert_int_equal(t_count_fds(), fds);
}

/*
 * The program closes the ring's fd itself and the number is handed out
 * again, to a pipe: exit must unmap the ring but leave the pipe open.
 * Both for a ring the library mapped and for one in caller memory.
 */
static void test_setup_exit_fd_reused_by_pipe(void **state)
{
	struct io_uring_params p;
	struct iou_ring ring;
	int fds, maps, pp[2], fd, k, ret;
	long size = 0;
	void *buf = NULL;

	(void)state;
	for (k = 0; k < 2; k++) {
		fds = t_count_fds();
		maps = t_count_maps();
		if (k == 0) {
			t_ring_init(&ring, 8, 0);
		} else {
			memset(&p, 0, sizeof(p));
			size = iou_ring_mem_size(8, &p);
			buf = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			assert_true(buf != MAP_FAILED);
			ret = iou_ring_init_mem(&ring, 8, &p, buf,
						(size_t)size);
			if (ret == -EINVAL && !t_kernel_at_least(6, 5)) {
				munmap(buf, (size_t)size);
				t_skip("IORING_SETUP_NO_MMAP needs Linux 6.5");
			}
			assert_int_equal(ret, 0);
		}
		t_nop_roundtrip(&ring, UD_NOP(k));
		fd = ring.ring_fd;
		assert_int_equal(close(fd), 0);
		assert_int_equal(pipe(pp), 0);
		assert_int_equal(pp[0], fd);
		iou_ring_exit(&ring);
		/* The pipe is still open and works. */
		check_pipe(fd, pp[1]);
		close(pp[0]);
		close(pp[1]);
		if (buf)
			munmap(buf, (size_t)size);
		assert_int_equal(t_count_fds(), fds);
		assert_int_equal(t_count_maps(), maps);
		t_check_exited(&ring);
	}
}

/*
 * The number goes to another ring instead: exit must not close it, and
 * that ring must go on working; the first ring's memory is still freed.
 */
static void test_setup_exit_fd_reused_by_ring(void **state)
{
	struct iou_ring a, b;
	int fds, maps, maps_b;

	(void)state;
	fds = t_count_fds();
	maps = t_count_maps();
	t_ring_init(&a, 8, 0);
	t_nop_roundtrip(&a, UD_NOP(1));
	assert_int_equal(close(a.ring_fd), 0);
	t_ring_init(&b, 8, 0);
	assert_int_equal(b.ring_fd, a.ring_fd);
	maps_b = t_count_maps();
	iou_ring_exit(&a);
	/* a's mappings gone, b's fd and mappings all there. */
	assert_int_equal(t_count_fds(), fds + 1);
	assert_true(t_count_maps() < maps_b);
	t_nop_roundtrip(&b, UD_NOP(2));
	t_nop_roundtrip(&b, UD_NOP(3));
	iou_ring_exit(&b);
	assert_int_equal(t_count_fds(), fds);
	assert_int_equal(t_count_maps(), maps);
}

static void test_setup_no_mmap(void **state)
{
	struct io_uring_params p = { 0 };
	struct iou_ring ring;
	long size;
	void *buf;
	int ret, i;

	(void)state;
	size = iou_ring_mem_size(8, &p);
	assert_true(size > 0);
	buf = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	/* Too small and misaligned memory are refused before the kernel. */
	assert_int_equal(iou_ring_init_mem(&ring, 8, &p, buf, 4096), -EINVAL);
	assert_int_equal(iou_ring_init_mem(&ring, 8, &p, (char *)buf + 64,
					   (size_t)size),
			 -EINVAL);
	ret = iou_ring_init_mem(&ring, 8, &p, buf, (size_t)size);
	if (ret == -ENOSYS || ret == -EPERM || ret == -EINVAL) {
		munmap(buf, (size_t)size);
		if (ret == -EINVAL)
			t_missing(6, 5, "IORING_SETUP_NO_MMAP");
		t_skip("io_uring unavailable here (%d)", ret);
	}
	assert_int_equal(ret, 0);
	assert_true(ring.iflags & IOU_RING_APP_MEM);
	assert_ptr_equal(ring.sq.sqes, buf);
	for (i = 0; i < 40; i++)
		t_nop_roundtrip(&ring, UD_NOP(i));
	iou_ring_exit(&ring);
	munmap(buf, (size_t)size);
}

static void test_setup_registered_fd_only(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_REGISTERED_FD_ONLY };
	struct iou_ring ring;
	int fds = t_count_fds();
	long size;
	void *buf;
	int ret;

	(void)state;
	size = iou_ring_mem_size(8, &p);
	buf = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	ret = iou_ring_init_mem(&ring, 8, &p, buf, (size_t)size);
	if (ret == -ENOSYS || ret == -EPERM || ret == -EINVAL) {
		munmap(buf, (size_t)size);
		if (ret == -EINVAL)
			t_missing(6, 5, "IORING_SETUP_REGISTERED_FD_ONLY");
		t_skip("io_uring unavailable here (%d)", ret);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(ring.ring_fd, -1);
	assert_int_equal(t_count_fds(), fds);
	assert_true(ring.enter_flags & IORING_ENTER_REGISTERED_RING);
	t_nop_roundtrip(&ring, UD_NOP(4));
	/* Register calls go through the index too. */
	assert_int_equal(iou_opcode_supported(&ring, IORING_OP_NOP), 1);
	iou_ring_exit(&ring);
	munmap(buf, (size_t)size);
}

static void test_setup_sqe128(void **state)
{
	struct iou_ring ring;
	struct io_uring_sqe *a, *b;

	(void)state;
	t_ring_init(&ring, 8, IORING_SETUP_SQE128);
	assert_int_equal(ring.sq.sqe_shift, 1);
	a = t_nop(&ring, UD_NOP(5));
	b = t_nop(&ring, UD_NOP(6));
	assert_int_equal((char *)b - (char *)a, 128);
	assert_int_equal(iou_submit(&ring), 2);
	iou_ring_exit(&ring);
}

static void test_setup_cqe32(void **state)
{
	struct iou_ring ring;
	struct io_uring_cqe *cqe;
	unsigned i;

	(void)state;
	t_ring_init(&ring, 8, IORING_SETUP_CQE32);
	assert_int_equal(ring.cq.cqe_shift, 1);
	assert_int_equal(iou_cqe_stride(&ring), 32);
	for (i = 0; i < 40; i++) {
		t_nop(&ring, UD_NOP(i));
		assert_int_equal(iou_submit(&ring), 1);
		assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
		assert_int_equal(cqe->user_data, UD_NOP(i));
		assert_int_equal(cqe->big_cqe[0], 0);
		assert_int_equal(cqe->big_cqe[1], 0);
		iou_cqe_seen(&ring, cqe);
	}
	iou_ring_exit(&ring);
}

/*
 * Mixed 16/32-byte CQEs: NOPs asking for a big CQE take two slots, and
 * the kernel pads the wrap with a skip CQE; none of that may show.
 */
static void test_setup_cqe_mixed(void **state)
{
	struct io_uring_cqe out[8 * 2];
	struct io_uring_cqe *cqe;
	struct t_seen seen;
	struct iou_ring ring;
	unsigned i, j, n, big = 0;
	int got;

	(void)state;
	t_ring_init(&ring, 4, IORING_SETUP_CQE_MIXED);
	assert_int_equal(ring.cq.mixed, 1);
	t_seen_init(&seen, 300);
	for (i = 0; i < 300; i += 3) {
		for (j = 0; j < 3; j++) {
			struct io_uring_sqe *sqe = t_nop(&ring, i + j);

			if ((i + j) % 2)
				sqe->nop_flags = IORING_NOP_CQE32;
		}
		assert_int_equal(iou_submit(&ring), 3);
		if (i % 2) {
			for (j = 0; j < 3; j++) {
				assert_int_equal(iou_wait_cqe(&ring, &cqe), 0);
				assert_int_equal(cqe->res, 0);
				if (cqe->user_data % 2) {
					assert_true(cqe->flags & IORING_CQE_F_32);
					big++;
				}
				t_seen_mark(&seen, cqe->user_data);
				iou_cqe_seen(&ring, cqe);
			}
		} else {
			for (n = 0; n < 3; n += (unsigned)got) {
				got = iou_cq_copy(&ring, out, 8);
				assert_true(got > 0);
				for (j = 0; j < (unsigned)got; j++)
					t_seen_mark(&seen, out[2 * j].user_data);
			}
		}
	}
	assert_int_equal(seen.count, 300);
	assert_int_equal(seen.dups, 0);
	assert_true(big > 0);
	t_seen_free(&seen);
	iou_ring_exit(&ring);
}

static void test_setup_sqpoll(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL,
				     .sq_thread_idle = 100 };
	struct iou_ring ring;
	unsigned i;

	(void)state;
	t_ring_init_params(&ring, 8, &p);
	for (i = 0; i < 50; i++)
		t_nop_roundtrip(&ring, UD_NOP(i));
	iou_ring_exit(&ring);
}

static void test_setup_sqpoll_aff(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL |
					      IORING_SETUP_SQ_AFF,
				     .sq_thread_cpu = 0,
				     .sq_thread_idle = 50 };
	struct iou_ring ring;

	(void)state;
	t_ring_init_params(&ring, 8, &p);
	t_nop_roundtrip(&ring, UD_NOP(7));
	iou_ring_exit(&ring);
}

static void test_setup_iopoll(void **state)
{
	struct iou_ring ring;

	(void)state;
	t_ring_init(&ring, 8, IORING_SETUP_IOPOLL);
	assert_true(ring.flags & IORING_SETUP_IOPOLL);
	iou_ring_exit(&ring);
	t_ring_init(&ring, 8, IORING_SETUP_IOPOLL | IORING_SETUP_HYBRID_IOPOLL);
	assert_true(ring.flags & IORING_SETUP_HYBRID_IOPOLL);
	iou_ring_exit(&ring);
}

static void test_setup_coop_taskrun(void **state)
{
	struct iou_ring ring;
	int i;

	(void)state;
	t_ring_init(&ring, 8, IORING_SETUP_COOP_TASKRUN);
	for (i = 0; i < 10; i++)
		t_nop_roundtrip(&ring, UD_NOP(i));
	iou_ring_exit(&ring);
	t_ring_init(&ring, 8,
		    IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG);
	for (i = 0; i < 10; i++)
		t_nop_roundtrip(&ring, UD_NOP(i));
	iou_ring_exit(&ring);
}

static void test_setup_defer_taskrun(void **state)
{
	struct iou_ring ring;
	int i;

	(void)state;
	t_ring_init(&ring, 8,
		    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	for (i = 0; i < 10; i++)
		t_nop_roundtrip(&ring, UD_NOP(i));
	iou_ring_exit(&ring);
	/* DEFER_TASKRUN alone is refused: it needs SINGLE_ISSUER. */
	assert_int_equal(iou_ring_init(&ring, 8, IORING_SETUP_DEFER_TASKRUN),
			 -EINVAL);
}

static void test_setup_r_disabled(void **state)
{
	struct iou_ring ring;

	(void)state;
	t_ring_init(&ring, 8, IORING_SETUP_R_DISABLED);
	t_nop(&ring, UD_NOP(8));
	/* A disabled ring refuses submission; the SQE stays queued. */
	assert_int_equal(iou_submit(&ring), -EBADFD);
	assert_int_equal(iou_sq_ready(&ring), 1);
	assert_int_equal(iou_ring_enable(&ring), 0);
	assert_int_equal(iou_ring_enable(&ring), -EBADFD);
	assert_int_equal(iou_submit(&ring), 1);
	iou_ring_exit(&ring);
}

static void test_setup_attach_wq(void **state)
{
	struct io_uring_params p = { .flags = IORING_SETUP_ATTACH_WQ };
	struct iou_ring a, b;

	(void)state;
	t_ring_init(&a, 8, 0);
	p.wq_fd = (uint32_t)a.ring_fd;
	t_ring_init_params(&b, 8, &p);
	assert_true(b.flags & IORING_SETUP_ATTACH_WQ);
	t_nop_roundtrip(&b, UD_NOP(9));
	iou_ring_exit(&b);
	/* A wq_fd that is not a ring is refused. */
	p.wq_fd = 0;
	assert_int_equal(iou_ring_init_params(&b, 8, &p), -EINVAL);
	iou_ring_exit(&a);
}

/*
 * An SQE that fails at submission (unknown opcode) stops the batch unless
 * IORING_SETUP_SUBMIT_ALL: then the kernel consumes all of them.
 */
static void test_setup_submit_all(void **state)
{
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	unsigned i;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_nop(&ring, UD_NOP(0));
	sqe = t_nop(&ring, UD_NOP(1));
	sqe->opcode = 0xff;
	t_nop(&ring, UD_NOP(2));
	assert_int_equal(iou_submit(&ring), 2);
	assert_int_equal(iou_sq_ready(&ring), 1);
	assert_int_equal(iou_submit(&ring), 1);
	assert_int_equal(iou_cq_ready(&ring), 3);
	iou_ring_exit(&ring);

	t_ring_init(&ring, 8, IORING_SETUP_SUBMIT_ALL);
	for (i = 0; i < 3; i++) {
		sqe = t_nop(&ring, UD_NOP(i));
		if (i == 1)
			sqe->opcode = 0xff;
	}
	assert_int_equal(iou_submit(&ring), 3);
	assert_int_equal(iou_sq_ready(&ring), 0);
	iou_ring_exit(&ring);
}

static void test_setup_registered_ring_fd(void **state)
{
	struct iou_ring ring;
	int fds;

	(void)state;
	t_ring_init(&ring, 8, 0);
	fds = t_count_fds();
	assert_int_equal(iou_register_ring_fd(&ring), 0);
	assert_int_equal(iou_register_ring_fd(&ring), -EEXIST);
	assert_true(ring.enter_flags & IORING_ENTER_REGISTERED_RING);
	t_nop_roundtrip(&ring, UD_NOP(10));
	assert_int_equal(iou_unregister_ring_fd(&ring), 0);
	assert_int_equal(ring.enter_fd, ring.ring_fd);
	t_nop_roundtrip(&ring, UD_NOP(11));

	/* Registered, then the fd closed: the index is all that is left. */
	assert_int_equal(iou_register_ring_fd(&ring), 0);
	assert_int_equal(iou_close_ring_fd(&ring), 0);
	assert_int_equal(t_count_fds(), fds - 1);
	assert_int_equal(iou_close_ring_fd(&ring), -EBADF);
	t_nop_roundtrip(&ring, UD_NOP(12));
	if (ring.features & IORING_FEAT_REG_REG_RING)
		assert_int_equal(iou_opcode_supported(&ring, IORING_OP_NOP), 1);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), fds - 1);
}

static void test_setup_available(void **state)
{
	int fds = t_count_fds();
	int ret = iou_available();

	(void)state;
	assert_true(ret == 0 || ret == -ENOSYS || ret == -EPERM);
	assert_int_equal(t_count_fds(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_setup_default),
		T_TEST(test_setup_pow2_rounding),
		T_TEST(test_setup_bad_entries),
		T_TEST(test_setup_clamp),
		T_TEST(test_setup_cqsize),
		T_TEST(test_setup_sq_array),
		T_TEST(test_setup_single_mmap),
		T_TEST(test_setup_exit_releases),
		T_TEST(test_setup_exited_ring_calls),
		T_TEST(test_setup_exit_twice),
		T_TEST(test_setup_exit_fd_reused_by_pipe),
		T_TEST(test_setup_exit_fd_reused_by_ring),
		T_TEST(test_setup_no_mmap),
		T_TEST(test_setup_registered_fd_only),
		T_TEST(test_setup_sqe128),
		T_TEST(test_setup_cqe32),
		T_TEST(test_setup_cqe_mixed),
		T_TEST(test_setup_sqpoll),
		T_TEST(test_setup_sqpoll_aff),
		T_TEST(test_setup_iopoll),
		T_TEST(test_setup_coop_taskrun),
		T_TEST(test_setup_defer_taskrun),
		T_TEST(test_setup_r_disabled),
		T_TEST(test_setup_attach_wq),
		T_TEST(test_setup_submit_all),
		T_TEST(test_setup_registered_ring_fd),
		T_TEST(test_setup_available),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
