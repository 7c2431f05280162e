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

static struct iou_waitgroup wg, gate;
static struct iou_mutex mx, mx2;
static struct iou_cond cv, cv2;
static struct iou_chan ch, ch2;
static int ibuf[8], ibuf2[8];
static int hits, order[8], norder;

/* Fresh primitives (ch: 4 ints, ch2: 1, gate shut), then @fn as the
   main fiber. */
static inline void run(iou_fiber_fn fn)
{
	iou_waitgroup_init(&wg);
	iou_waitgroup_init(&gate);
	iou_waitgroup_add(&gate, 1);
	iou_mutex_init(&mx);
	iou_mutex_init(&mx2);
	iou_cond_init(&cv);
	iou_cond_init(&cv2);
	iou_chan_init(&ch, ibuf, sizeof(int), 4);
	iou_chan_init(&ch2, ibuf2, sizeof(int), 1);
	hits = norder = 0;
	memset(order, -1, sizeof(order));
	assert_int_equal(t_loop_run(fn, NULL), 0);
}

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
		run(body##_fiber);                                             \
	}

static inline void yield_n(struct iou_fiber *self, int n)
{
	while (n-- > 0)
		iou_yield(self);
}

/* Join @n fibers; each must exit with @want. */
static inline int join_all(struct iou_fiber *self, struct iou_fiber **f,
			   int n, int want)
{
	int i, st;

	for (i = 0; i < n; i++) {
		FCHECK_EQ(iou_join(self, f[i], &st), 0);
		FCHECK_EQ(st, want);
	}
	return 0;
}

static inline int bump(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return ++hits;
}

/* Wait groups */

/* Records how many workers were done when its wait returned. */
static inline int wg_waiter(struct iou_fiber *self, void *arg)
{
	int ret = iou_waitgroup_wait(self, &wg);

	(void)arg;
	order[norder++] = hits;
	return ret;
}

/* Mutexes */

/* Records whether it owns mx when its lock returns. */
static inline int locker(struct iou_fiber *self, void *arg)
{
	int ret = iou_mutex_lock(self, &mx);

	(void)arg;
	order[7] = mx.owner == self;
	if (!ret)
		iou_mutex_unlock(self, &mx);
	return ret;
}

/* Conditions */

static inline int cond_waiter(struct iou_fiber *self, void *arg)
{
	int ret;

	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	hits++;
	ret = iou_cond_wait(self, &cv, &mx);
	FCHECK(mx.owner == self);	/* held again on return, always */
	order[norder++] = (int)(intptr_t)arg;
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	return ret;
}

/* Channels */

static inline int send_int(struct iou_fiber *self, struct iou_chan *c, int v)
{
	return iou_chan_send(self, c, &v);
}

/* The int received, or -errno. */
static inline int recv_int(struct iou_fiber *self, struct iou_chan *c)
{
	int v = -1, ret = iou_chan_recv(self, c, &v);

	return ret ? ret : v;
}

/* Moves n ints (100, 101...) through c; exits with the first failure. */
struct xfer {
	struct iou_chan *c;
	int n, done, vals[4];
};

static inline int sender(struct iou_fiber *self, void *arg)
{
	struct xfer *x = arg;
	int ret;

	for (; x->done < x->n; x->done++) {
		ret = send_int(self, x->c, 100 + x->done);
		if (ret)
			return ret;
	}
	return 0;
}

static inline int receiver(struct iou_fiber *self, void *arg)
{
	struct xfer *x = arg;
	int ret;

	for (; x->done < x->n; x->done++) {
		ret = recv_int(self, x->c);
		if (ret < 0)
			return ret;
		x->vals[x->done % 4] = ret;
	}
	return 0;
}

#endif
