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


#define MS 1000000ULL
#define IS_URING() (iou_loop_backend(t_loop) == IOU_BACKEND_URING)

extern unsigned short lport;

struct iou_loop_stats now_stats(void);

int64_t ms_since(int64_t t0);

/* A fiber's exit status after joining it (-999: the join failed). */
int joined(struct iou_fiber *self, struct iou_fiber *f);

/* The trace hook records every event, in order. */
extern struct iou_trace_event tev[8192];
extern unsigned ntev, bad_trace_arg;
extern int trace_cookie;

void record(void *arg, const struct iou_trace_event *ev);

extern const struct iou_loop_opts traced;

/*
 * Run @fn in a loop with @with: LISTENER (arg: int *, a listening fd on
 * lport), PAIR (arg: int sv[2], sv[0] the peer, sv[1] ours) or nothing.
 */
enum { PLAIN, LISTENER, PAIR };

void t_fast_run(iou_fiber_fn fn, const struct iou_loop_opts *o, int with);

#define LOOP_TEST(name, with, fn, opts, uring_only)                            \
	static void test_loop_fast_##name(void **state)                        \
	{                                                                      \
		(void)state;                                                   \
		if (uring_only)                                                \
			T_NEED_URING();                                        \
		t_fast_run(fn, opts, with);                                    \
	}

struct waiter {
	struct iou_listener *l;
	struct iou_recv_stream *s;
	int res;
};

/* The @nth event of @kind from @from, with @ud (any: ~0), or -1. */
int find_ev(unsigned from, unsigned kind, uint64_t ud, unsigned nth);

/* How many events of @kind from @from, with @opcode (any: ~0U). */
unsigned count_ev(unsigned from, unsigned kind, unsigned opcode);

/* fn(arg) in a child, a 1 s alarm against a hang: exit code, or 128 + sig. */
int in_child(int (*fn)(void *), void *arg);

#endif
