/* SPDX-License-Identifier: MIT */
/* The plumbing declared in loop_fail.h, compiled once into iou_testutil. */
#include "loop_fail.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MS (1000ULL * 1000ULL)

static int receiver(struct iou_fiber *self, void *arg)
{
	struct t_fail_world *w = arg;
	char c;

	w->recv_res = iou_recv(self, w->sv[0], &c, 1, 0, 0);
	w->finished++;
	return 0;
}

static int sleeper(struct iou_fiber *self, void *arg)
{
	struct t_fail_world *w = arg;

	w->sleep_res = iou_sleep(self, 20000 * MS);
	w->finished++;
	return 0;
}

static int chan_waiter(struct iou_fiber *self, void *arg)
{
	struct t_fail_world *w = arg;
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
	struct t_fail_world *w = arg;
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

/*
 * In the child: four fibers wait (a receive stream with a timeout, a recv
 * that never comes, a long sleep, a channel); then @how breaks the loop;
 * iou_loop_run must return @err within 5 s.
 */
static void child(const struct t_fail_how *how, unsigned nth, int err)
{
	struct iou_loop_opts o = { .backend = IOU_BACKEND_URING };
	struct t_fail_world w;
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
	how->start(&w, nth, err);
	t0 = t_now_ns();
	ret = iou_loop_run(t_loop);
	if (how->after)
		how->after();
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

void t_fail_case(const struct t_fail_how *how, unsigned nth, int err)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		child(how, nth, err);
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
