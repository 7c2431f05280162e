/* SPDX-License-Identifier: MIT */
/*
 * Shared by the test_loop_sync_* suites.
 *
 * src/loop/sync.c on a real loop: wait groups, mutexes, conditions and
 * channels between fibers; functions posted from other threads; a stop
 * while fibers are blocked on each primitive.  Fibers record results,
 * orders and counts; the checks look at those.  Runs once per backend
 * (IOU_BACKEND=uring|epoll).
 *
 * What follows is the plumbing more than one suite uses; helpers one suite
 * needs stay in its file.
 */
#ifndef IOU_TEST_LOOP_SYNC_H
#define IOU_TEST_LOOP_SYNC_H

#include "looputil.h"

#include <errno.h>
#include <string.h>

#define MS 1000000LL
#define SPAWN(fn, arg, fp)                                                     \
	FCHECK_EQ(iou_spawn(t_loop, fn, (void *)(intptr_t)(arg), 0, fp), 0)

extern struct iou_waitgroup wg, gate;
extern struct iou_mutex mx, mx2;
extern struct iou_cond cv, cv2;
extern struct iou_chan ch, ch2;
extern int ibuf[8], ibuf2[8];
extern int hits, order[8], norder;

/* Fresh primitives (ch: 4 ints, ch2: 1, gate shut), then @fn as the
   main fiber. */
void t_sync_run(iou_fiber_fn fn);

/* test_loop_sync_<name>: @body(self) as the main fiber. */
#define SYNC_TEST(name, body)                                                  \
	static int body##_fiber(struct iou_fiber *self, void *arg)             \
	{                                                                      \
		(void)arg;                                                     \
		return body(self);                                             \
	}                                                                      \
	static void test_loop_sync_##name(void **state)                        \
	{                                                                      \
		(void)state;                                                   \
		t_sync_run(body##_fiber);                                      \
	}

void yield_n(struct iou_fiber *self, int n);

/* Join @n fibers; each must exit with @want. */
int join_all(struct iou_fiber *self, struct iou_fiber **f, int n, int want);

int bump(struct iou_fiber *self, void *arg);

/* Wait groups */

/* Records how many workers were done when its wait returned. */
int wg_waiter(struct iou_fiber *self, void *arg);

/* Mutexes */

/* Records whether it owns mx when its lock returns. */
int locker(struct iou_fiber *self, void *arg);

/* Conditions */

int cond_waiter(struct iou_fiber *self, void *arg);

/* Channels */

int send_int(struct iou_fiber *self, struct iou_chan *c, int v);

/* The int received, or -errno. */
int recv_int(struct iou_fiber *self, struct iou_chan *c);

/* Moves n ints (100, 101...) through c; exits with the first failure. */
struct xfer {
	struct iou_chan *c;
	int n, done, vals[4];
};

int sender(struct iou_fiber *self, void *arg);

int receiver(struct iou_fiber *self, void *arg);

#endif
