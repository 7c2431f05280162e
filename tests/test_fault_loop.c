/* SPDX-License-Identifier: MIT */
/*
 * The loop while io_uring_enter fails under it (fault hooks): an enter
 * failing with each plausible errno at each of the first calls of a run
 * ends the run with that error (the method: loop_fail.h), and cancels
 * that meet -EBUSY wait for room rather than being dropped.  Runs once
 * per backend (IOU_BACKEND=uring|epoll).
 */
#include "loop_fail.h"

#include "fault.h"

#include <errno.h>
#include <signal.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define MS (1000ULL * 1000ULL)

/* Enters, one a millisecond, so that each of the first calls can fail. */
static int ticker(struct iou_fiber *self, void *arg)
{
	struct t_fail_world *w = arg;
	int i;

	for (i = 0; i < 100; i++)
		iou_sleep(self, 1 * MS);
	w->finished++;
	return 0;
}

static void arm_enter(struct t_fail_world *w, unsigned nth, int err)
{
	CHILD_CHECK(iou_spawn(t_loop, ticker, w, 0, NULL) == 0);
	iou__fault_arm(IOU_FAULT_ENTER, nth, 1, IOU_FAULT_FAIL, err);
}

static void disarm(void)
{
	iou__fault_reset();
}

static const struct t_fail_how enter_fails = { arm_enter, disarm };

static void test_fault_loop_enter_errors_end_the_run(void **state)
{
	static const int errs[] = { -ENOMEM, -EFAULT, -EPERM, -EINVAL,
				    -EMFILE, -ENOSYS, -EIO,   -EBADF };
	unsigned nth, i;

	(void)state;
	T_NEED_URING();
	for (nth = 1; nth <= 7; nth++)
		for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
			t_fail_case(&enter_fails, nth, errs[i]);
}

/*
 * More cancels at once than the SQ holds (8 entries, 300 reads of one
 * pipe), while the kernel answers the first enters with -EBUSY (injected:
 * nothing is consumed, as under CQ overflow): the cancels without room
 * wait in the backlog, none is dropped, and close returns once every read
 * has ended.  A pipe, not a socket: close shuts a socket down, which would
 * end the reads without any cancel.
 */
enum { FLOOD = 300 };

struct flood {
	int fd, n, bad;
};

static int flood_reader(struct iou_fiber *self, void *arg)
{
	struct flood *f = arg;
	char c;
	int r = iou_read(self, f->fd, &c, 1, 0, 0);

	if (r != -ECANCELED && r != -EBADF)
		f->bad++;
	f->n++;
	return 0;
}

static int close_flood(struct iou_fiber *self, void *arg)
{
	struct flood f = { 0 };
	int p[2], i;

	(void)arg;
	FCHECK_EQ(pipe(p), 0);
	f.fd = p[0];
	for (i = 0; i < FLOOD; i++)
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), flood_reader, &f,
				    16384, NULL), 0);
	FCHECK_EQ(iou_sleep(self, 20 * MS), 0);
	FCHECK_EQ(f.n, 0);
	iou__fault_arm(IOU_FAULT_ENTER, 1, 3, IOU_FAULT_FAIL, -EBUSY);
	FCHECK_EQ(iou_close(self, p[0]), 0);
	FCHECK_EQ(f.n, FLOOD);
	FCHECK_EQ(f.bad, 0);
	close(p[1]);
	return 0;
}

static void
test_fault_loop_close_cancels_more_ops_than_the_sq_holds(void **state)
{
	struct iou_loop_opts o = { .entries = 8 };

	(void)state;
	t_loop_run_opts(close_flood, NULL, &o);
}

/* Is @sig blocked in this thread? */
static int blocked(int sig)
{
	sigset_t set;

	pthread_sigmask(SIG_BLOCK, NULL, &set);
	return sigismember(&set, sig);
}

/*
 * The listen helpers close their socket whichever step fails, and hand
 * that step's error back; iou_signals_open() puts the mask back when the
 * signalfd cannot be made.
 */
static void test_fault_loop_server_helpers_undo_on_failure(void **state)
{
	static const struct {
		enum iou_fault_sys sys;
		unsigned nth;
	} step[] = {
		{ IOU_FAULT_SOCKET, 1 },     { IOU_FAULT_SETSOCKOPT, 1 },
		{ IOU_FAULT_SETSOCKOPT, 2 }, { IOU_FAULT_SETSOCKOPT, 3 },
		{ IOU_FAULT_BIND, 1 },	     { IOU_FAULT_LISTEN, 1 },
	};
	struct iou_signals s;
	int fds = t_count_fds(), fd;
	unsigned i;

	(void)state;
	fd = iou_listen_tcp("::", 0, 0, 0);
	if (fd == -EAFNOSUPPORT)
		t_skip("no IPv6 on this host");
	assert_true(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		iou__fault_reset();
		iou__fault_arm(step[i].sys, step[i].nth, 1, IOU_FAULT_FAIL,
			       -ENOBUFS);
		/* "::" with REUSEPORT makes three setsockopt calls. */
		assert_int_equal(iou_listen_tcp("::", 0, 0,
						IOU_LISTEN_REUSEPORT),
				 -ENOBUFS);
		assert_int_equal(iou__fault_calls(step[i].sys), step[i].nth);
		assert_int_equal(t_count_fds(), fds);
	}
	iou__fault_reset();
	iou__fault_arm(IOU_FAULT_BIND, 1, 1, IOU_FAULT_FAIL, -EACCES);
	assert_int_equal(iou_listen_unix("@iou-fault", 0, 0), -EACCES);
	assert_int_equal(t_count_fds(), fds);
	iou__fault_reset();
	assert_false(blocked(SIGUSR1));
	iou__fault_arm(IOU_FAULT_SIGNALFD4, 1, 1, IOU_FAULT_FAIL, -EMFILE);
	assert_int_equal(iou_signals_open(&s, IOU_SIGMASK(SIGUSR1)), -EMFILE);
	assert_int_equal(s.fd, -1);
	assert_false(blocked(SIGUSR1));
	iou__fault_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_fault_loop_enter_errors_end_the_run),
		T_TEST(test_fault_loop_close_cancels_more_ops_than_the_sq_holds),
		T_TEST(test_fault_loop_server_helpers_undo_on_failure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
