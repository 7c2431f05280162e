/* SPDX-License-Identifier: MIT */
/*
 * Shared by the test_loop_fast_* suites.
 *
 * The loop's fast paths and introspection, on real loopback sockets:
 * listeners (one multishot accept feeding a queue), receive streams
 * (multishot recv into a provided-buffer ring), the backend choice, the
 * counters and the trace hook.  Runs once per backend (IOU_BACKEND).
 *
 * What follows is the plumbing more than one suite uses; helpers one suite
 * needs stay in its file.
 */
#ifndef IOU_TEST_LOOP_FAST_H
#define IOU_TEST_LOOP_FAST_H

#include "looputil.h"

#include <sys/wait.h>
#include <unistd.h>

#define MS 1000000ULL
#define IS_URING() (iou_loop_backend(t_loop) == IOU_BACKEND_URING)

static unsigned short lport;

static inline struct iou_loop_stats now_stats(void)
{
	struct iou_loop_stats s;

	iou_loop_stats(t_loop, &s);
	return s;
}

static inline int64_t ms_since(int64_t t0)
{
	return (t_now_ns() - t0) / 1000000;
}

/* A fiber's exit status after joining it (-999: the join failed). */
static inline int joined(struct iou_fiber *self, struct iou_fiber *f)
{
	int st = -999;

	return iou_join(self, f, &st) ? -999 : st;
}

/* The trace hook records every event, in order. */
static struct iou_trace_event tev[8192];
static unsigned ntev, bad_trace_arg;
static int trace_cookie;

static inline void record(void *arg, const struct iou_trace_event *ev)
{
	if (arg != &trace_cookie)
		bad_trace_arg++;
	if (ntev < sizeof(tev) / sizeof(tev[0]))
		tev[ntev] = *ev;
	ntev++;
}

static const struct iou_loop_opts traced = { .trace = record,
					     .trace_arg = &trace_cookie };

/*
 * Run @fn in a loop with @with: LISTENER (arg: int *, a listening fd on
 * lport), PAIR (arg: int sv[2], sv[0] the peer, sv[1] ours) or nothing.
 */
enum { PLAIN, LISTENER, PAIR };

static inline void run(iou_fiber_fn fn, const struct iou_loop_opts *o, int with)
{
	int fds[2] = { -1, -1 };

	if (with == LISTENER)
		fds[0] = t_listener(&lport);
	else if (with == PAIR)
		t_tcp_pair(fds);
	ntev = 0;
	assert_int_equal(t_loop_run_opts(fn, fds, o), 0);
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

#define LOOP_TEST(name, with, fn, opts, uring_only)                            \
	static void test_loop_fast_##name(void **state)                        \
	{                                                                      \
		(void)state;                                                   \
		if (uring_only)                                                \
			T_NEED_URING();                                        \
		run(fn, opts, with);                                           \
	}

struct waiter {
	struct iou_listener *l;
	struct iou_recv_stream *s;
	int res;
};

/* The @nth event of @kind from @from, with @ud (any: ~0), or -1. */
static inline int find_ev(unsigned from, unsigned kind, uint64_t ud,
			  unsigned nth)
{
	unsigned i;

	for (i = from; i < ntev; i++)
		if (tev[i].kind == kind &&
		    (ud == ~0ULL || tev[i].user_data == ud) && !nth--)
			return (int)i;
	return -1;
}

/* How many events of @kind from @from, with @opcode (any: ~0U). */
static inline unsigned count_ev(unsigned from, unsigned kind, unsigned opcode)
{
	unsigned i, n = 0;

	for (i = from; i < ntev; i++)
		n += tev[i].kind == kind &&
		     (opcode == ~0U || tev[i].opcode == opcode);
	return n;
}

/* fn(arg) in a child, a 1 s alarm against a hang: exit code, or 128 + sig. */
static inline int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		alarm(1);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#endif
