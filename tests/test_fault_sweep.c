/* SPDX-License-Identifier: MIT */
/*
 * The fault sweep: for each scenario (a ring's life, register calls, a
 * buffer ring, a loop run on each backend), count the calls it makes of
 * every system call the library wraps; then, for each of those system
 * calls, fail its call N (N = 1..3) with each plausible errno, in a
 * forked child under an alarm.  Every case must end: the scenario returns
 * (a clean -errno or success, whatever it is), nothing crashes or hangs,
 * and the child's fds and mappings are back where they were (except where
 * the failed call was the close or munmap that would have released them).
 */
#include "testutil.h"

#include "fault.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iou/iou.h>

#define MS (1000ULL * 1000ULL)
#define MAX_NTH 3
#define NO_URING 77	/* a child's exit code: no io_uring here */

static const int errs[] = { -ENOMEM, -EINVAL, -EBADF, -EFAULT,
			    -EAGAIN, -EINTR,  -EPERM };

/* A scenario: 0 when it ran (with or without errors), NO_URING if io_uring
 * is refused here at all. */
typedef int (*scenario_fn)(void);

static int ring_life(void)
{
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	int ret, i;

	ret = iou_ring_init(&ring, 8, 0);
	if (ret)
		return ret == -ENOSYS || ret == -EPERM ? NO_URING : 0;
	for (i = 0; i < 3; i++) {
		struct io_uring_sqe *sqe = iou_get_sqe(&ring);

		if (!sqe)
			break;
		iou_prep_nop(sqe);
		if (iou_submit_and_wait(&ring, 1) < 0)
			break;
		if (iou_peek_cqe(&ring, &cqe) == 0)
			iou_cqe_seen(&ring, cqe);
	}
	iou_ring_exit(&ring);
	return 0;
}

static int register_calls(void)
{
	union iou_probe_buf probe;
	struct iou_ring ring;
	struct iovec iov;
	int p[2], efd[2], ret;
	void *mem;

	ret = iou_ring_init(&ring, 8, 0);
	if (ret)
		return ret == -ENOSYS || ret == -EPERM ? NO_URING : 0;
	if (pipe(p)) {
		iou_ring_exit(&ring);
		return 0;
	}
	mem = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	iov.iov_base = mem;
	iov.iov_len = 8192;
	iou_register_files(&ring, p, 2);
	iou_register_files_update(&ring, 0, p, NULL, 1);
	if (mem != MAP_FAILED)
		iou_register_buffers(&ring, &iov, 1);
	if (!pipe(efd)) {
		iou_register_eventfd(&ring, efd[1]);
		iou_unregister_eventfd(&ring);
		close(efd[0]);
		close(efd[1]);
	}
	memset(&probe, 0, sizeof(probe));
	iou_register_probe(&ring, &probe.probe, 256);
	iou_unregister_buffers(&ring);
	iou_unregister_files(&ring);
	iou_ring_exit(&ring);
	if (mem != MAP_FAILED)
		munmap(mem, 8192);
	close(p[0]);
	close(p[1]);
	return 0;
}

static int buffer_ring(void)
{
	enum { N = 8, SZ = 64 };
	static char bufs[N][SZ];
	struct io_uring_buf_ring *br;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int ret, err, sv[2], i;

	ret = iou_ring_init(&ring, 8, 0);
	if (ret)
		return ret == -ENOSYS || ret == -EPERM ? NO_URING : 0;
	br = iou_setup_buf_ring(&ring, N, 3, 0, &err);
	if (br && !socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		for (i = 0; i < N; i++)
			iou_buf_ring_add(br, bufs[i], SZ, (unsigned short)i,
					 iou_buf_ring_mask(N), i);
		iou_buf_ring_advance(br, N);
		if (write(sv[1], "x", 1) == 1 && (sqe = iou_get_sqe(&ring))) {
			iou_prep_recv(sqe, sv[0], NULL, SZ, 0);
			iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
			iou_sqe_set_buf_group(sqe, 3);
			if (iou_submit_and_wait(&ring, 1) >= 0 &&
			    iou_peek_cqe(&ring, &cqe) == 0)
				iou_cqe_seen(&ring, cqe);
		}
		close(sv[0]);
		close(sv[1]);
	}
	if (br)
		iou_free_buf_ring(&ring, br, N, 3);
	iou_ring_exit(&ring);
	return 0;
}

/* The loop: an echo over a socket pair, a sleep, a channel, a close. */
struct world {
	int sv[2];
	struct iou_chan chan;
	int slot[2];
};

static int echo_peer(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;
	char b[4];
	int n = iou_recv(self, w->sv[1], b, sizeof(b), 0, 200 * MS);

	if (n > 0)
		iou_send(self, w->sv[1], b, (unsigned)n, 0, 200 * MS);
	return 0;
}

static int loop_main(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;
	char b[4];
	int v = 1;

	if (iou_spawn(iou_fiber_loop(self), echo_peer, w, 0, NULL) == 0 &&
	    iou_send(self, w->sv[0], "ping", 4, 0, 200 * MS) == 4)
		iou_recv(self, w->sv[0], b, sizeof(b), 0, 200 * MS);
	iou_sleep(self, 1 * MS);
	if (iou_chan_send(self, &w->chan, &v) == 0)
		iou_chan_recv(self, &w->chan, &v);
	iou_close(self, w->sv[0]);
	w->sv[0] = -1;
	return 0;
}

static int loop_run(int backend)
{
	struct iou_loop_opts o = { .backend = backend };
	struct iou_loop *loop;
	struct world w;
	int ret;

	memset(&w, 0, sizeof(w));
	ret = iou_loop_create(&loop, &o);
	if (ret)
		return backend == IOU_BACKEND_URING &&
				       (ret == -ENOSYS || ret == -EPERM) ?
			       NO_URING :
			       0;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, w.sv)) {
		iou_loop_destroy(loop);
		return 0;
	}
	iou_chan_init(&w.chan, w.slot, sizeof(int), 2);
	if (iou_spawn(loop, loop_main, &w, 0, NULL) == 0)
		iou_loop_run(loop);
	iou_loop_destroy(loop);
	if (w.sv[0] >= 0)
		close(w.sv[0]);
	close(w.sv[1]);
	return 0;
}

static int loop_uring(void)
{
	return loop_run(IOU_BACKEND_URING);
}

static int loop_epoll(void)
{
	return loop_run(IOU_BACKEND_EPOLL);
}

/*
 * In the child: run @fn with call @nth of @sys failing with @err (nth 0:
 * no fault), then check fds and mappings; with @counts, report the calls
 * made of every system call through @out.
 */
static void child(scenario_fn fn, int sys, unsigned nth, int err, int out)
{
	unsigned long counts[IOU_FAULT_NR];
	int fds, maps, ret, i;

	alarm(10);
	fds = t_count_fds();
	maps = t_count_maps();
	iou__fault_reset();
	if (nth)
		iou__fault_arm((enum iou_fault_sys)sys, nth, 1, IOU_FAULT_FAIL,
			       err);
	ret = fn();
	for (i = 0; i < IOU_FAULT_NR; i++)
		counts[i] = iou__fault_calls((enum iou_fault_sys)i);
	iou__fault_reset();
	if (ret == NO_URING)
		_exit(NO_URING);
	/*
	 * A close or munmap that failed leaves its fd or mapping: fine.  So
	 * does an enter answering -EBADF ("no such file"): iou_ring_exit()
	 * asks the kernel that way whether the fd is still the ring's, and
	 * must not close an fd that is not (see fd_is_ours() in setup.c).
	 */
	if (!(nth && (sys == IOU_FAULT_CLOSE || sys == IOU_FAULT_MUNMAP ||
		      (sys == IOU_FAULT_ENTER && err == -EBADF)))) {
		if (t_count_fds() != fds)
			_exit(3);
		if (T_MAPS_COUNTABLE && t_count_maps() != maps)
			_exit(4);
	}
	if (out >= 0 && write(out, counts, sizeof(counts)) != sizeof(counts))
		_exit(5);
	_exit(0);
}

/* Fork a child for one case; its exit code, or -signal. */
static int run_case(scenario_fn fn, int sys, unsigned nth, int err,
		    unsigned long *counts)
{
	int status, p[2] = { -1, -1 };
	ssize_t got = 0;
	pid_t pid;

	if (counts)
		assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (p[0] >= 0)
			close(p[0]);
		child(fn, sys, nth, err, p[1]);
	}
	if (counts) {
		close(p[1]);
		got = read(p[0], counts, IOU_FAULT_NR * sizeof(*counts));
		close(p[0]);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	/* No counts from a child that found no io_uring (it says so). */
	if (counts && WEXITSTATUS(status) == 0)
		assert_int_equal(got, (ssize_t)(IOU_FAULT_NR * sizeof(*counts)));
	return WEXITSTATUS(status);
}

static void sweep(const char *what, scenario_fn fn)
{
	unsigned long counts[IOU_FAULT_NR];
	unsigned nth, cases = 0, e;
	int sys, ret;

	ret = run_case(fn, 0, 0, 0, counts);
	if (ret == NO_URING)
		t_skip("io_uring unavailable here");
	assert_int_equal(ret, 0);
	for (sys = 0; sys < IOU_FAULT_NR; sys++) {
		for (nth = 1; nth <= counts[sys] && nth <= MAX_NTH; nth++) {
			for (e = 0; e < sizeof(errs) / sizeof(errs[0]); e++) {
				ret = run_case(fn, sys, nth, errs[e], NULL);
				cases++;
				if (ret == 0 || ret == NO_URING)
					continue;
				fail_msg("%s: %s call %u failing with %d: %s "
					 "%d", what,
					 iou__fault_name((enum iou_fault_sys)sys),
					 nth, errs[e],
					 ret == -SIGALRM ? "hang (SIGALRM)" :
					 ret < 0	 ? "killed by signal" :
					 ret == 3	 ? "fds leaked, exit" :
					 ret == 4	 ? "mappings leaked, exit" :
							   "child exit",
					 ret < 0 ? -ret : ret);
			}
		}
	}
	print_message("%s: %u cases, none hung, crashed or leaked\n", what,
		      cases);
}

static void test_fault_sweep_ring_life(void **state)
{
	(void)state;
	sweep("ring life", ring_life);
}

static void test_fault_sweep_register_calls(void **state)
{
	(void)state;
	sweep("register calls", register_calls);
}

static void test_fault_sweep_buffer_ring(void **state)
{
	(void)state;
	sweep("buffer ring", buffer_ring);
}

static void test_fault_sweep_loop_uring(void **state)
{
	(void)state;
	sweep("loop on io_uring", loop_uring);
}

static void test_fault_sweep_loop_epoll(void **state)
{
	(void)state;
	sweep("loop on epoll", loop_epoll);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_fault_sweep_ring_life),
		T_TEST(test_fault_sweep_register_calls),
		T_TEST(test_fault_sweep_buffer_ring),
		T_TEST(test_fault_sweep_loop_uring),
		T_TEST(test_fault_sweep_loop_epoll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
