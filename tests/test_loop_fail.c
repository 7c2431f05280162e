/* SPDX-License-Identifier: MIT */
/*
 * A loop whose backend fails must return, not hang: io_uring_enter
 * failing with each plausible errno at each of the first calls of a run,
 * and a CQ tail corrupted in shared memory while fibers wait.  Each case
 * runs in a forked child under an alarm: the parent sees a hang as
 * SIGALRM and a crash as a signal.  After the run the loop is destroyed
 * and the child's fds and mappings must be back where they were.
 */
#include "looputil.h"

#include "fault.h"
#include "loop/internal.h"	/* the loop's ring, to corrupt it */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MS (1000ULL * 1000ULL)
#define NO_URING 77	/* a child's exit code: no io_uring here */

struct world {
	int sv[2], sv2[2];
	int recv_res, sleep_res, wait_res, stream_res;
	int finished;
	struct iou_chan chan;
	void *slot[1];
};

static int receiver(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;
	char c;

	w->recv_res = iou_recv(self, w->sv[0], &c, 1, 0, 0);
	w->finished++;
	return 0;
}

static int sleeper(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;

	w->sleep_res = iou_sleep(self, 20000 * MS);
	w->finished++;
	return 0;
}

static int chan_waiter(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;
	void *v;

	w->wait_res = iou_chan_recv(self, &w->chan, &v);
	w->finished++;
	return 0;
}

/*
 * A timed wait on a wait queue (a receive stream's): the failure cancels
 * both the wait and its timer, and the timer's completion comes while
 * the fiber is on the run queue.
 */
static int stream_waiter(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;
	struct iou_recv_stream *s;
	void *buf;

	w->stream_res = iou_recv_stream_open(self, w->sv2[0], 256, 4, &s);
	if (w->stream_res == 0) {
		w->stream_res = iou_recv_stream_next(self, s, &buf, 20000 * MS);
		iou_recv_stream_close(self, s);
	}
	w->finished++;
	return 0;
}

/* Enters, one a millisecond, so that each of the first calls can fail. */
static int ticker(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;
	int i;

	for (i = 0; i < 100; i++)
		iou_sleep(self, 1 * MS);
	w->finished++;
	return 0;
}

/* Give the others time to park in the kernel, then break the CQ. */
static int corrupter(struct iou_fiber *self, void *arg)
{
	struct world *w = arg;
	struct iou_ring *ring = iou__loop_ring(t_loop);

	iou_sleep(self, 20 * MS);
	__atomic_store_n(ring->cq.ktail, *ring->cq.khead + 100000,
			 __ATOMIC_RELEASE);
	w->finished++;
	return 0;
}

/*
 * In the child: four fibers wait (a receive stream with a timeout, a recv
 * that never comes, a long sleep, a channel); then either enter call @nth fails with @err, while a fourth
 * fiber sleeps 1 ms at a time, or the CQ tail is corrupted; iou_loop_run
 * must return that error within 5 s.
 */
static void child(unsigned nth, int err)
{
	struct iou_loop_opts o = { .backend = IOU_BACKEND_URING };
	struct world w;
	int fds, maps, ret;
	int64_t t0;

	alarm(15);
	memset(&w, 0, sizeof(w));
	fds = t_count_fds();
	maps = t_count_maps();
	ret = iou_loop_create(&t_loop, &o);
	if (ret == -ENOSYS || ret == -EPERM)
		_exit(NO_URING);
	CHILD_CHECK(ret == 0);
	t_tcp_pair(w.sv);
	t_tcp_pair(w.sv2);
	CHILD_CHECK(iou_chan_init(&w.chan, w.slot, sizeof(void *), 1) == 0);
	CHILD_CHECK(iou_spawn(t_loop, receiver, &w, 0, NULL) == 0);
	CHILD_CHECK(iou_spawn(t_loop, sleeper, &w, 0, NULL) == 0);
	CHILD_CHECK(iou_spawn(t_loop, chan_waiter, &w, 0, NULL) == 0);
	/* Spawned last, it is woken first, ahead of the others. */
	CHILD_CHECK(iou_spawn(t_loop, stream_waiter, &w, 0, NULL) == 0);
	/*
	 * The ticker only with enter faults: a CQE the kernel posts rewrites
	 * the CQ tail, and would repair a corruption before the loop reads it.
	 */
	if (nth) {
		CHILD_CHECK(iou_spawn(t_loop, ticker, &w, 0, NULL) == 0);
		iou__fault_arm(IOU_FAULT_ENTER, nth, 1, IOU_FAULT_FAIL, err);
	} else {
		CHILD_CHECK(iou_spawn(t_loop, corrupter, &w, 0, NULL) == 0);
	}
	t0 = t_now_ns();
	ret = iou_loop_run(t_loop);
	iou__fault_reset();
	if (ret != err)
		fprintf(stderr, "child: enter call %u: run gave %d, want %d\n",
			nth, ret, err);
	CHILD_CHECK(ret == err);
	CHILD_CHECK(t_now_ns() - t0 < 5000 * (int64_t)MS);
	/* The failure sticks, and new work fails with it at once. */
	CHILD_CHECK(iou_loop_run(t_loop) == err);
	if (nth) {
		/* The kernel gave every op back: every fiber saw an error. */
		if (w.finished != 5)
			fprintf(stderr, "child: %d of 5 fibers finished\n",
				w.finished);
		CHILD_CHECK(w.finished == 5);
		CHILD_CHECK(w.recv_res < 0 && w.sleep_res < 0 &&
			    w.wait_res < 0 && w.stream_res < 0);
	}
	iou_loop_destroy(t_loop);
	t_loop = 0;
	close(w.sv[0]);
	close(w.sv[1]);
	close(w.sv2[0]);
	close(w.sv2[1]);
	CHILD_CHECK(t_count_fds() == fds);
	CHILD_CHECK(!T_MAPS_COUNTABLE || t_count_maps() == maps);
	_exit(0);
}

static void run_case(unsigned nth, int err)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		child(nth, err);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("%s call %u, error %d: child killed by signal %d (%s)",
			 nth ? "enter" : "corrupt CQ tail, no", nth, err,
			 WTERMSIG(status),
			 WTERMSIG(status) == SIGALRM ? "a hang" : "a crash");
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == NO_URING)
		t_skip("io_uring unavailable here");
	if (WEXITSTATUS(status) != 0)
		fail_msg("%s call %u, error %d: child exit %d",
			 nth ? "enter" : "corrupt CQ tail, no", nth, err,
			 WEXITSTATUS(status));
}

static void test_loop_fail_enter_errors_end_the_run(void **state)
{
	static const int errs[] = { -ENOMEM, -EFAULT, -EPERM, -EINVAL,
				    -EMFILE, -ENOSYS, -EIO,   -EBADF };
	unsigned nth, i;

	(void)state;
	T_NEED_URING();
	for (nth = 1; nth <= 7; nth++)
		for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
			run_case(nth, errs[i]);
}

static void test_loop_fail_corrupt_cq_tail_ends_the_run(void **state)
{
	(void)state;
	T_NEED_URING();
	run_case(0, -EUCLEAN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_fail_enter_errors_end_the_run),
		T_TEST(test_loop_fail_corrupt_cq_tail_ends_the_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
