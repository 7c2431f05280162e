/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>

#include "opcode_min.h"

/* The kernel each IORING_SETUP_* flag came in (bit -> major, minor). */
static const unsigned char setup_flag_min[][2] = {
	{ 5, 1 }, { 5, 1 }, { 5, 1 }, { 5, 5 }, { 5, 6 }, { 5, 6 },
	{ 5, 10 }, { 5, 18 }, { 5, 19 }, { 5, 19 }, { 5, 19 }, { 5, 19 },
	{ 6, 0 }, { 6, 1 }, { 6, 5 }, { 6, 5 }, { 6, 6 }, { 6, 13 },
	{ 6, 18 },
};

static void skip_refused(int ret, unsigned flags)
{
	unsigned bit, ma = 5, mi = 1;
	char what[64];

	if (ret == -ENOSYS || ret == -EPERM)
		t_skip("io_uring unavailable here (%s)", strerror(-ret));
	if (ret != -EINVAL || !flags)
		return;
	/* The newest flag asked for decides. */
	for (bit = 0; bit < 32; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		if (bit >= sizeof(setup_flag_min) / sizeof(setup_flag_min[0])) {
			ma = 99;
			break;
		}
		if (setup_flag_min[bit][0] > ma ||
		    (setup_flag_min[bit][0] == ma && setup_flag_min[bit][1] > mi)) {
			ma = setup_flag_min[bit][0];
			mi = setup_flag_min[bit][1];
		}
	}
	snprintf(what, sizeof(what), "setup flags %#x", flags);
	t_missing((int)ma, (int)mi, what);
}

void t_missing(int major, int minor, const char *what)
{
	if (t_kernel_at_least(major, minor))
		fail_msg("%s missing, though Linux %d.%d has it (running %s)",
			 what, major, minor, t_kernel_release());
	t_skip("kernel lacks %s (needs Linux %d.%d)", what, major, minor);
}

int t_ring_init(struct iou_ring *ring, unsigned entries, unsigned flags)
{
	int ret = iou_ring_init(ring, entries, flags);

	skip_refused(ret, flags);
	assert_int_equal(ret, 0);
	return 0;
}

int t_ring_init_params(struct iou_ring *ring, unsigned entries,
		       struct io_uring_params *p)
{
	unsigned flags = p->flags;
	int ret = iou_ring_init_params(ring, entries, p);

	skip_refused(ret, flags);
	assert_int_equal(ret, 0);
	return 0;
}

const char *t_kernel_release(void)
{
	static struct utsname u;

	if (!u.release[0] && uname(&u) != 0)
		return "?";
	return u.release;
}

void *t_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

void t_anon_free(void *p, size_t len)
{
	munmap(p, len);
}

struct io_uring_sqe *t_nop(struct iou_ring *ring, uint64_t ud)
{
	struct io_uring_sqe *sqe = iou_get_sqe(ring);

	assert_non_null(sqe);
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = ud;
	return sqe;
}

void t_nop_roundtrip(struct iou_ring *ring, uint64_t ud)
{
	struct io_uring_cqe *cqe;

	t_nop(ring, ud);
	assert_int_equal(iou_submit(ring), 1);
	assert_int_equal(iou_wait_cqe(ring, &cqe), 0);
	assert_int_equal(cqe->user_data, ud);
	assert_int_equal(cqe->res, 0);
	iou_cqe_seen(ring, cqe);
}

void t_require_op(struct iou_ring *ring, unsigned op)
{
	int ret = iou_opcode_supported(ring, op);
	const char *name = iou_opcode_name(op) ? iou_opcode_name(op) : "?";
	unsigned ma = 99, mi = 0;

	if (ret == 1)
		return;
	if (op < sizeof(t_opcode_min) / sizeof(t_opcode_min[0]) &&
	    t_opcode_min[op][0]) {
		ma = t_opcode_min[op][0];
		mi = t_opcode_min[op][1];
	}
	if (t_kernel_at_least((int)ma, (int)mi))
		fail_msg("IORING_OP_%s: docs/opcodes.md promises it from Linux "
			 "%u.%u, but this kernel's probe says %d", name, ma, mi,
			 ret);
	t_skip("kernel does not support IORING_OP_%s (probe: %d; needs Linux "
	       "%u.%u)", name, ret, ma, mi);
}

void t_opcode_checked(unsigned op)
{
	static unsigned char done[256];

	if (op >= 256 || done[op])
		return;
	done[op] = 1;
	printf("OPCODE_CHECKED IORING_OP_%s\n",
	       iou_opcode_name(op) ? iou_opcode_name(op) : "?");
	fflush(stdout);
}

struct io_uring_sqe *t_sqe(struct iou_ring *ring, uint64_t ud)
{
	struct io_uring_sqe *sqe = iou_get_sqe(ring);

	assert_non_null(sqe);
	sqe->user_data = ud;
	return sqe;
}

int t_next_cqe(struct iou_ring *ring, struct io_uring_cqe *out)
{
	static const struct iou_timespec five_s = { 5, 0 };
	struct io_uring_cqe *cqe;

	assert_true(iou_submit(ring) >= 0);
	assert_int_equal(iou_wait_cqe_timeout(ring, &cqe, &five_s), 0);
	*out = *cqe;
	iou_cqe_seen(ring, cqe);
	return out->res;
}

int t_result_of(struct iou_ring *ring, uint64_t ud)
{
	struct io_uring_cqe cqe;
	int res = t_next_cqe(ring, &cqe);

	assert_int_equal(cqe.user_data, ud);
	return res;
}

void t_expect_quiet(struct iou_ring *ring, long ms)
{
	struct iou_timespec ts = { ms / 1000, (ms % 1000) * 1000 * 1000 };
	struct io_uring_cqe *cqe;

	assert_true(iou_submit(ring) >= 0);
	assert_int_equal(iou_wait_cqe_timeout(ring, &cqe, &ts), -ETIME);
}

int t_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the DIR's own fd */
}

const char *t_self_exe(void)
{
	extern char *program_invocation_name;

	if (program_invocation_name && strchr(program_invocation_name, '/'))
		return program_invocation_name;
	return "/proc/self/exe";
}

int t_count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int c, n = 0;

	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return n;
}

int64_t t_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int t_kernel_at_least(int major, int minor)
{
	int ma = 0, mi = 0;

	/* Unreadable: held to the newest promise. */
	if (sscanf(t_kernel_release(), "%d.%d", &ma, &mi) != 2)
		return 1;
	return ma > major || (ma == major && mi >= minor);
}

void t_seen_init(struct t_seen *s, unsigned nr)
{
	s->nr = nr;
	s->dups = 0;
	s->count = 0;
	s->bits = calloc((nr + 7) / 8, 1);
	assert_non_null(s->bits);
}

void t_seen_mark(struct t_seen *s, uint64_t idx)
{
	if (idx >= s->nr) {
		s->dups++;
		return;
	}
	if (s->bits[idx / 8] & (1u << (idx % 8)))
		s->dups++;
	s->bits[idx / 8] |= (unsigned char)(1u << (idx % 8));
	s->count++;
}

void t_seen_free(struct t_seen *s)
{
	free(s->bits);
	s->bits = NULL;
}

/*
 * Every call on an exited ring answers as its doc block says, without
 * touching the memory exit unmapped: -EBADF, 0 or NULL.
 */
void t_check_exited(struct iou_ring *ring)
{
	struct iou_timespec ts = { 0, 1000000 };
	struct io_uring_cqe *cqe = (struct io_uring_cqe *)1, *cqes[4];
	struct io_uring_cqe out[4];
	struct io_uring_sqe *sqes[2], raw_sqe;
	struct iou_ring_raw raw;
	struct io_uring_probe probe;
	unsigned head, n = 0;
	int fds[1] = { 0 }, err = 0;

	/* Submission side. */
	assert_null(iou_get_sqe(ring));
	assert_int_equal(iou_reserve(ring, 1, sqes), -EBADF);
	assert_int_equal(iou_sq_ready(ring), 0);
	assert_int_equal(iou_sq_space_left(ring), 0);
	assert_int_equal(iou_submit(ring), -EBADF);
	assert_int_equal(iou_submit_and_wait(ring, 0), -EBADF);
	assert_int_equal(iou_submit_and_wait(ring, 1), -EBADF);
	assert_int_equal(iou_submit_and_wait_timeout(ring, &cqe, 1, &ts, 0),
			 -EBADF);
	assert_int_equal(iou_sqring_wait(ring), -EBADF);
	memset(&raw_sqe, 0, sizeof(raw_sqe));
	assert_int_equal(iou_queue_raw_sqe(ring, &raw_sqe, sizeof(raw_sqe)),
			 -EBADF);
	assert_int_equal(iou_enter(ring, 1, 1, IORING_ENTER_GETEVENTS, 0, 0),
			 -EBADF);

	/* Completion side. */
	assert_int_equal(iou_cq_ready(ring), 0);
	assert_int_equal(iou_cq_has_overflow(ring), 0);
	assert_int_equal(iou_peek_cqe(ring, &cqe), -EBADF);
	assert_null(cqe);
	assert_int_equal(iou_wait_cqe(ring, &cqe), -EBADF);
	assert_int_equal(iou_wait_cqe_timeout(ring, &cqe, &ts), -EBADF);
	assert_int_equal(iou_wait_cqes(ring, &cqe, 0, 0, 0), -EBADF);
	assert_int_equal(iou_wait_cqes(ring, &cqe, 2, &ts, 0), -EBADF);
	assert_int_equal(iou_peek_batch_cqe(ring, cqes, 4), -EBADF);
	assert_int_equal(iou_cq_copy(ring, out, 4), -EBADF);
	assert_int_equal(iou_get_events(ring), -EBADF);
	assert_int_equal(iou_cq_eventfd_toggle(ring, 0), -EBADF);
	iou_for_each_cqe(ring, head, cqe)
		n++;
	assert_int_equal(n, 0);
	iou_cq_advance(ring, 0);
	iou_cqe_seen(ring, NULL);
	assert_int_equal(iou_ring_raw(ring, &raw), -EBADF);

	/* Register calls. */
	memset(&probe, 0, sizeof(probe));
	assert_int_equal(iou_register(ring, IORING_REGISTER_PROBE, &probe, 0),
			 -EBADF);
	assert_int_equal(iou_register_probe(ring, &probe, 0), -EBADF);
	assert_int_equal(iou_opcode_supported(ring, IORING_OP_NOP), -EBADF);
	assert_int_equal(iou_register_files(ring, fds, 1), -EBADF);
	assert_int_equal(iou_register_eventfd(ring, 0), -EBADF);
	assert_int_equal(iou_register_clock(ring, 1), -EBADF);
	assert_int_equal(iou_ring_enable(ring), -EBADF);
	assert_int_equal(iou_register_ring_fd(ring), -EBADF);
	assert_int_equal(iou_unregister_ring_fd(ring), -EBADF);
	assert_int_equal(iou_close_ring_fd(ring), -EBADF);
	assert_null(iou_setup_buf_ring(ring, 8, 1, 0, &err));
	assert_int_equal(err, -EBADF);
	assert_int_equal(iou_resize_rings(ring, &(struct io_uring_params){
						       .sq_entries = 8 }),
			 -EBADF);
}

int t_ring_group_setup(void **state)
{
	static struct iou_ring ring;
	int ret = iou_ring_init(&ring, 8, 0);

	if (ret == -ENOSYS || ret == -EPERM) {
		print_message("SKIP: io_uring unavailable (%s)\n", strerror(-ret));
		*state = NULL;
		return 0;
	}
	if (ret)
		return -1;
	*state = &ring;
	return 0;
}

int t_ring_group_teardown(void **state)
{
	if (*state)
		iou_ring_exit(*state);
	return 0;
}

struct iou_ring *t_group_ring(void **state)
{
	struct iou_ring *ring = *state;

	if (!ring)
		t_skip("io_uring unavailable");
	return ring;
}

unsigned t_drain(struct iou_ring *ring, struct t_seen *seen)
{
	struct io_uring_cqe *cqe;
	unsigned n = 0, head;

	iou_for_each_cqe(ring, head, cqe) {
		if (seen)
			t_seen_mark(seen, cqe->user_data & 0xffffffff);
		n++;
	}
	iou_cq_advance(ring, n);
	return n;
}
