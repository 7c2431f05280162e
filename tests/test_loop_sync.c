/* SPDX-License-Identifier: MIT */
/*
 * src/loop/sync.c on a real loop: wait groups, mutexes, conditions and
 * channels between fibers; functions posted from other threads; a stop
 * while fibers are blocked on each primitive.  Fibers record results,
 * orders and counts; the checks look at those.  Runs once per backend
 * (IOU_BACKEND=uring|epoll).
 */
#include "looputil.h"

#include "loop/internal.h"	/* where the post list is, for a watchpoint */

#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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
static void run(iou_fiber_fn fn)
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

static void yield_n(struct iou_fiber *self, int n)
{
	while (n-- > 0)
		iou_yield(self);
}

/* Join @n fibers; each must exit with @want. */
static int join_all(struct iou_fiber *self, struct iou_fiber **f, int n,
		    int want)
{
	int i, st;

	for (i = 0; i < n; i++) {
		FCHECK_EQ(iou_join(self, f[i], &st), 0);
		FCHECK_EQ(st, want);
	}
	return 0;
}

static int bump(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return ++hits;
}

/* Wait groups */

static int wg_zero(struct iou_fiber *self)
{
	SPAWN(bump, 0, NULL);
	/* At zero it returns without a switch: the new fiber has not run. */
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	iou_waitgroup_add(&wg, 1);
	iou_waitgroup_done(&wg);
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	FCHECK_EQ(hits, 0);
	iou_yield(self);
	FCHECK_EQ(hits, 1);
	return 0;
}
SYNC_TEST(wg_zero_returns_at_once, wg_zero)

static int wg_worker(struct iou_fiber *self, void *arg)
{
	int i = (int)(intptr_t)arg;

	if (i & 1)
		iou_sleep(self, (uint64_t)i * MS);
	else
		yield_n(self, i * 3);
	hits++;
	iou_waitgroup_done(&wg);
	return 0;
}

/* Records how many workers were done when its wait returned. */
static int wg_waiter(struct iou_fiber *self, void *arg)
{
	int ret = iou_waitgroup_wait(self, &wg);

	(void)arg;
	order[norder++] = hits;
	return ret;
}

static int wg_n(struct iou_fiber *self)
{
	struct iou_fiber *f[3];
	int i;

	iou_waitgroup_add(&wg, 5);
	for (i = 0; i < 3; i++)
		SPAWN(wg_waiter, 0, &f[i]);
	for (i = 0; i < 5; i++)
		SPAWN(wg_worker, i, NULL);
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	FCHECK_EQ(hits, 5);
	FCHECK_EQ(join_all(self, f, 3, 0), 0);
	/* Every waiter woke, and none before the fifth done. */
	FCHECK_EQ(norder, 3);
	for (i = 0; i < 3; i++)
		FCHECK_EQ(order[i], 5);
	FCHECK(wg.waiters == NULL);
	return 0;
}
SYNC_TEST(wg_waits_for_n_done_wakes_all, wg_n)

static int wg_negative(struct iou_fiber *self)
{
	struct iou_fiber *f;

	iou_waitgroup_add(&wg, 3);
	SPAWN(wg_waiter, 0, &f);
	yield_n(self, 2);
	iou_waitgroup_add(&wg, -2);
	yield_n(self, 2);
	FCHECK_EQ(norder, 0);	/* one still owed */
	iou_waitgroup_add(&wg, -1);
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	/* Going past zero wakes too. */
	iou_waitgroup_add(&wg, 1);
	SPAWN(wg_waiter, 0, &f);
	yield_n(self, 2);
	FCHECK_EQ(norder, 1);
	iou_waitgroup_add(&wg, -4);
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	FCHECK_EQ(norder, 2);
	return iou_waitgroup_wait(self, &wg);
}
SYNC_TEST(wg_negative_add, wg_negative)

static int wg_cancel(struct iou_fiber *self)
{
	struct iou_fiber *f;

	iou_waitgroup_add(&wg, 1);
	SPAWN(wg_waiter, 0, &f);
	iou_yield(self);
	FCHECK(wg.waiters == f);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(join_all(self, &f, 1, -ECANCELED), 0);
	FCHECK(wg.waiters == NULL);
	FCHECK_EQ(wg.count, 1);	/* the count is untouched */
	iou_waitgroup_done(&wg);
	return iou_waitgroup_wait(self, &wg);
}
SYNC_TEST(wg_cancelled_waiter, wg_cancel)

/* Mutexes */

static int mx_plain(struct iou_fiber *self)
{
	int i;

	SPAWN(bump, 0, NULL);
	for (i = 0; i < 3; i++) {
		FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
		FCHECK(mx.owner == self);
		FCHECK_EQ(iou_mutex_lock(self, &mx), -EDEADLK);
		FCHECK(mx.owner == self && mx.waiters == NULL);
		FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);	/* not recursive */
		FCHECK(mx.owner == NULL);
	}
	FCHECK_EQ(iou_mutex_trylock(self, &mx), 0);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	FCHECK_EQ(hits, 0);	/* no switch: the new fiber has not run */
	return 0;
}
SYNC_TEST(mutex_uncontended_relock_edeadlk, mx_plain)

/* Takes mx and holds it until the gate opens. */
static int holder(struct iou_fiber *self, void *arg)
{
	(void)arg;
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	iou_waitgroup_wait(self, &gate);
	return iou_mutex_unlock(self, &mx);
}

static int mx_errors(struct iou_fiber *self)
{
	struct iou_fiber *h;

	FCHECK_EQ(iou_mutex_unlock(self, &mx), -EPERM);	/* unlocked */
	SPAWN(holder, 0, &h);
	iou_yield(self);
	FCHECK(mx.owner == h);
	FCHECK_EQ(iou_mutex_trylock(self, &mx), -EBUSY);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), -EPERM);
	FCHECK(mx.owner == h && mx.waiters == NULL);
	iou_waitgroup_done(&gate);
	FCHECK_EQ(join_all(self, &h, 1, 0), 0);
	FCHECK_EQ(iou_mutex_trylock(self, &mx), 0);
	FCHECK_EQ(iou_mutex_trylock(self, &mx), -EBUSY);	/* the owner too */
	return iou_mutex_unlock(self, &mx);
}
SYNC_TEST(mutex_trylock_ebusy_unlock_eperm, mx_errors)

static int fifo_waiter(struct iou_fiber *self, void *arg)
{
	int i = (int)(intptr_t)arg;

	yield_n(self, 4 - i);	/* spawned 0..4, they queue up 4..0 */
	hits++;
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	order[norder++] = i;
	iou_yield(self);	/* the others run while it is held */
	return iou_mutex_unlock(self, &mx);
}

static int mx_fifo(struct iou_fiber *self)
{
	struct iou_fiber *f[5];
	int i;

	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	for (i = 0; i < 5; i++)
		SPAWN(fifo_waiter, i, &f[i]);
	yield_n(self, 8);
	FCHECK(hits == 5 && norder == 0);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	/* Handed straight to the first waiter: nobody barges in. */
	FCHECK(mx.owner == f[4]);
	FCHECK_EQ(iou_mutex_trylock(self, &mx), -EBUSY);
	FCHECK_EQ(join_all(self, f, 5, 0), 0);
	FCHECK_EQ(norder, 5);
	for (i = 0; i < 5; i++)
		FCHECK_EQ(order[i], 4 - i);
	FCHECK(mx.owner == NULL);
	return 0;
}
SYNC_TEST(mutex_fifo_handoff, mx_fifo)

static int counter, inside, max_inside;

static int excl_worker(struct iou_fiber *self, void *arg)
{
	int id = (int)(intptr_t)arg, i, v;

	for (i = 0; i < 50; i++) {
		FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
		if (++inside > max_inside)
			max_inside = inside;
		/* Read, let the others run, write back. */
		v = counter;
		if ((i + id) % 10 == 0)
			FCHECK_EQ(iou_sleep(self, MS / 10), 0);
		else
			iou_yield(self);
		counter = v + 1;
		inside--;
		FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	}
	return 0;
}

static int mx_excl(struct iou_fiber *self)
{
	struct iou_fiber *f[4];
	int i;

	counter = inside = max_inside = 0;
	for (i = 0; i < 4; i++)
		SPAWN(excl_worker, i, &f[i]);
	FCHECK_EQ(join_all(self, f, 4, 0), 0);
	FCHECK_EQ(max_inside, 1);
	FCHECK_EQ(counter, 200);
	return 0;
}
SYNC_TEST(mutex_excludes_across_waits, mx_excl)

/* Records whether it owns mx when its lock returns. */
static int locker(struct iou_fiber *self, void *arg)
{
	int ret = iou_mutex_lock(self, &mx);

	(void)arg;
	order[7] = mx.owner == self;
	if (!ret)
		iou_mutex_unlock(self, &mx);
	return ret;
}

static int mx_cancel(struct iou_fiber *self)
{
	struct iou_fiber *f[2];

	SPAWN(holder, 0, &f[0]);
	iou_yield(self);
	SPAWN(locker, 0, &f[1]);
	yield_n(self, 2);
	FCHECK(mx.owner == f[0] && mx.waiters == f[1]);
	FCHECK_EQ(iou_cancel(f[1]), 0);
	FCHECK_EQ(join_all(self, &f[1], 1, -ECANCELED), 0);
	FCHECK_EQ(order[7], 0);	/* it does not own the mutex */
	FCHECK(mx.owner == f[0] && mx.waiters == NULL);
	iou_waitgroup_done(&gate);
	FCHECK_EQ(join_all(self, f, 1, 0), 0);
	FCHECK(mx.owner == NULL);	/* not handed to the one that gave up */
	return 0;
}
SYNC_TEST(mutex_cancelled_waiter, mx_cancel)

/* Conditions */

static int cond_waiter(struct iou_fiber *self, void *arg)
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

static int cond_signal(struct iou_fiber *self)
{
	struct iou_fiber *f[3];
	int i;

	FCHECK_EQ(iou_cond_wait(self, &cv, &mx), -EPERM);	/* not held */
	SPAWN(holder, 0, &f[0]);
	iou_yield(self);
	FCHECK_EQ(iou_cond_wait(self, &cv, &mx), -EPERM);	/* another's */
	FCHECK(cv.waiters == NULL);
	iou_waitgroup_done(&gate);
	FCHECK_EQ(join_all(self, f, 1, 0), 0);
	iou_cond_signal(&cv);	/* nobody waits: not remembered */
	for (i = 0; i < 3; i++)
		SPAWN(cond_waiter, i, &f[i]);
	yield_n(self, 3);
	FCHECK_EQ(hits, 3);
	FCHECK(mx.owner == NULL);	/* each released it to wait */
	for (i = 0; i < 3; i++) {
		iou_cond_signal(&cv);
		yield_n(self, 3);
		FCHECK_EQ(norder, i + 1);	/* one per signal, */
		FCHECK_EQ(order[i], i);		/* the first waiting */
	}
	return join_all(self, f, 3, 0);
}
SYNC_TEST(cond_signal_wakes_one_wait_eperm, cond_signal)

static int cond_broadcast(struct iou_fiber *self)
{
	struct iou_fiber *f[4];
	int i;

	for (i = 0; i < 4; i++)
		SPAWN(cond_waiter, i, &f[i]);
	yield_n(self, 3);
	FCHECK_EQ(hits, 4);
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	iou_cond_broadcast(&cv);
	FCHECK(cv.waiters == NULL);
	yield_n(self, 3);
	FCHECK_EQ(norder, 0);	/* all woken, all waiting for the mutex */
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	FCHECK_EQ(join_all(self, f, 4, 0), 0);
	FCHECK_EQ(norder, 4);
	return 0;
}
SYNC_TEST(cond_broadcast_wakes_all, cond_broadcast)

static int cond_cancel(struct iou_fiber *self)
{
	struct iou_fiber *c;

	SPAWN(cond_waiter, 9, &c);
	iou_yield(self);
	FCHECK(cv.waiters == c && mx.owner == NULL);
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	FCHECK_EQ(iou_cancel(c), 0);
	yield_n(self, 3);
	/* Cancelled, but it cannot return before it has the mutex back. */
	FCHECK(cv.waiters == NULL && norder == 0);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	FCHECK_EQ(join_all(self, &c, 1, -ECANCELED), 0);
	FCHECK_EQ(order[0], 9);
	FCHECK(mx.owner == NULL);
	return 0;
}
SYNC_TEST(cond_cancel_retakes_mutex, cond_cancel)

/* Signalled, then cancelled while it waits to take the mutex back. */
static int cond_then_sleep(struct iou_fiber *self, void *arg)
{
	int ret = cond_waiter(self, arg);

	order[6] = iou_sleep(self, MS);
	return ret;
}

static int cond_cancel_late(struct iou_fiber *self)
{
	struct iou_fiber *c;
	int st = 1;

	SPAWN(cond_then_sleep, 0, &c);
	iou_yield(self);
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	iou_cond_signal(&cv);
	yield_n(self, 2);
	FCHECK(cv.waiters == NULL && mx.waiters == c);
	FCHECK_EQ(iou_cancel(c), 0);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	FCHECK_EQ(iou_join(self, c, &st), 0);
	/* The cancel ends the wait it was in, not the sleep after it. */
	FCHECK_EQ(order[6], 0);
	FCHECK_EQ(st, -ECANCELED);
	return 0;
}
SYNC_TEST(cond_cancel_while_retaking_mutex, cond_cancel_late)

#define QCAP 4
#define NITEMS 200
static int q[QCAP], qhead, qlen, qdone, qsum, qgot;

static int producer(struct iou_fiber *self, void *arg)
{
	int v;

	(void)arg;
	for (v = 1; v <= NITEMS; v++) {
		FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
		while (qlen == QCAP)
			FCHECK_EQ(iou_cond_wait(self, &cv2, &mx), 0);
		q[(qhead + qlen++) % QCAP] = v;
		iou_cond_signal(&cv);
		FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
		if (v % 7 == 0)
			iou_yield(self);
	}
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	qdone = 1;
	iou_cond_broadcast(&cv);
	return iou_mutex_unlock(self, &mx);
}

static int consumer(struct iou_fiber *self, void *arg)
{
	int last = 0, v;

	(void)arg;
	for (;;) {
		FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
		while (!qlen && !qdone)
			FCHECK_EQ(iou_cond_wait(self, &cv, &mx), 0);
		if (!qlen)
			return iou_mutex_unlock(self, &mx);
		v = q[qhead];
		qhead = (qhead + 1) % QCAP;
		qlen--;
		iou_cond_signal(&cv2);
		FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
		FCHECK(v > last);	/* in order, for each consumer */
		last = v;
		qsum += v;
		qgot++;
	}
}

static int prodcons(struct iou_fiber *self)
{
	struct iou_fiber *f[3];

	qhead = qlen = qdone = qsum = qgot = 0;
	SPAWN(consumer, 0, &f[0]);
	SPAWN(consumer, 0, &f[1]);
	SPAWN(producer, 0, &f[2]);
	FCHECK_EQ(join_all(self, f, 3, 0), 0);
	FCHECK_EQ(qgot, NITEMS);
	FCHECK_EQ(qsum, NITEMS * (NITEMS + 1) / 2);
	return 0;
}
SYNC_TEST(cond_producer_consumer, prodcons)

/* Channels */

static int send_int(struct iou_fiber *self, struct iou_chan *c, int v)
{
	return iou_chan_send(self, c, &v);
}

/* The int received, or -errno. */
static int recv_int(struct iou_fiber *self, struct iou_chan *c)
{
	int v = -1, ret = iou_chan_recv(self, c, &v);

	return ret ? ret : v;
}

/* Moves n ints (100, 101...) through c; exits with the first failure. */
struct xfer {
	struct iou_chan *c;
	int n, done, vals[4];
};

static int sender(struct iou_fiber *self, void *arg)
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

static int receiver(struct iou_fiber *self, void *arg)
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

static int chan_fifo(struct iou_fiber *self)
{
	struct xfer s = { &ch, 100, 0, { 0 } };
	struct iou_chan c;
	struct iou_fiber *f;
	int i;

	FCHECK_EQ(iou_chan_init(&c, ibuf, sizeof(int), 0), -EINVAL);
	FCHECK_EQ(iou_chan_init(&c, ibuf, 0, 4), -EINVAL);
	FCHECK_EQ(iou_chan_init(&c, NULL, sizeof(int), 4), -EINVAL);
	FCHECK_EQ(iou_chan_init(&ch, ibuf, sizeof(int), 3), 0);
	SPAWN(sender, &s, &f);
	for (i = 0; i < 100; i++)
		FCHECK_EQ(recv_int(self, &ch), 100 + i);
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	FCHECK(s.done == 100 && ch.count == 0);
	return 0;
}
SYNC_TEST(chan_init_einval_fifo_order, chan_fifo)

static int chan_full(struct iou_fiber *self)
{
	struct xfer s = { &ch, 3, 0, { 0 } };
	struct iou_fiber *f;

	FCHECK_EQ(iou_chan_init(&ch, ibuf, sizeof(int), 2), 0);
	SPAWN(sender, &s, &f);
	yield_n(self, 3);
	FCHECK_EQ(s.done, 2);	/* the third waits for room */
	FCHECK(ch.count == 2 && ch.senders == f);
	FCHECK_EQ(recv_int(self, &ch), 100);
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	FCHECK_EQ(s.done, 3);
	FCHECK_EQ(recv_int(self, &ch), 101);
	FCHECK_EQ(recv_int(self, &ch), 102);
	return 0;
}
SYNC_TEST(chan_sender_blocks_when_full, chan_full)

static int chan_empty(struct iou_fiber *self)
{
	struct xfer r[2] = { { &ch, 1, 0, { 0 } }, { &ch, 1, 0, { 0 } } };
	struct iou_fiber *f[2];

	SPAWN(receiver, &r[0], &f[0]);
	SPAWN(receiver, &r[1], &f[1]);
	yield_n(self, 3);
	FCHECK(r[0].done + r[1].done == 0 && ch.receivers == f[0]);
	FCHECK_EQ(send_int(self, &ch, 7), 0);
	yield_n(self, 3);
	/* One item wakes one receiver: the first that waited. */
	FCHECK(r[0].done == 1 && r[0].vals[0] == 7 && r[1].done == 0);
	FCHECK_EQ(send_int(self, &ch, 8), 0);
	FCHECK_EQ(join_all(self, f, 2, 0), 0);
	FCHECK(r[1].done == 1 && r[1].vals[0] == 8);
	return 0;
}
SYNC_TEST(chan_receivers_block_when_empty, chan_empty)

static int chan_drain(struct iou_fiber *self)
{
	int i;

	for (i = 1; i <= 3; i++)
		FCHECK_EQ(send_int(self, &ch, i), 0);
	iou_chan_close(&ch);
	FCHECK_EQ(send_int(self, &ch, 10), -EPIPE);
	FCHECK_EQ(ch.count, 3);
	for (i = 1; i <= 3; i++)
		FCHECK_EQ(recv_int(self, &ch), i);
	FCHECK_EQ(recv_int(self, &ch), -EPIPE);
	FCHECK_EQ(recv_int(self, &ch), -EPIPE);
	return 0;
}
SYNC_TEST(chan_close_drains_then_epipe, chan_drain)

static int chan_close_wakes(struct iou_fiber *self)
{
	struct xfer x[4] = { { &ch2, 1, 0, { 0 } }, { &ch2, 1, 0, { 0 } },
			     { &ch, 1, 0, { 0 } }, { &ch, 1, 0, { 0 } } };
	struct iou_fiber *f[4];
	int i;

	FCHECK_EQ(send_int(self, &ch2, 5), 0);	/* ch2 full, ch empty */
	for (i = 0; i < 4; i++)
		SPAWN(i < 2 ? sender : receiver, &x[i], &f[i]);
	yield_n(self, 3);
	FCHECK(ch2.senders != NULL && ch.receivers != NULL);
	iou_chan_close(&ch);
	iou_chan_close(&ch2);
	FCHECK_EQ(join_all(self, f, 4, -EPIPE), 0);
	for (i = 0; i < 4; i++)
		FCHECK_EQ(x[i].done, 0);
	FCHECK(ch2.senders == NULL && ch.receivers == NULL);
	/* What was queued before the close still comes out. */
	FCHECK_EQ(recv_int(self, &ch2), 5);
	FCHECK_EQ(recv_int(self, &ch2), -EPIPE);
	return 0;
}
SYNC_TEST(chan_close_wakes_blocked, chan_close_wakes)

struct rec {
	int id;
	char name[12];
	double val;
	uint64_t tag;
};
static struct rec rbuf[2];

static int rec_sender(struct iou_fiber *self, void *arg)
{
	struct rec r;
	int i;

	(void)arg;
	for (i = 0; i < 2; i++) {
		memset(&r, 0, sizeof(r));
		r.id = 7 + i;
		memcpy(r.name, i ? "eight" : "seven", 6);
		r.val = 7.5 + i;
		r.tag = 0x5245430000000000ULL | (uint64_t)i;
		FCHECK_EQ(iou_chan_send(self, &ch, &r), 0);
	}
	memset(&r, 0xff, sizeof(r));	/* and then its stack goes away */
	return 0;
}

static int chan_struct(struct iou_fiber *self)
{
	struct iou_fiber *f;
	struct rec r;
	int i;

	FCHECK_EQ(iou_chan_init(&ch, rbuf, sizeof(struct rec), 2), 0);
	SPAWN(rec_sender, 0, &f);
	FCHECK_EQ(join_all(self, &f, 1, 0), 0);
	for (i = 0; i < 2; i++) {
		memset(&r, 0, sizeof(r));
		FCHECK_EQ(iou_chan_recv(self, &ch, &r), 0);
		FCHECK_EQ(r.id, 7 + i);
		FCHECK_EQ(strcmp(r.name, i ? "eight" : "seven"), 0);
		FCHECK(r.val == 7.5 + i);
		FCHECK_EQ(r.tag, 0x5245430000000000ULL | (uint64_t)i);
	}
	return 0;
}
SYNC_TEST(chan_struct_items_are_copied, chan_struct)

static int chan_cancel(struct iou_fiber *self)
{
	struct xfer r = { &ch, 1, 0, { 0 } }, s = { &ch2, 1, 0, { 0 } };
	struct iou_fiber *f[2];

	FCHECK_EQ(send_int(self, &ch2, 9), 0);	/* ch2 full */
	SPAWN(receiver, &r, &f[0]);
	SPAWN(sender, &s, &f[1]);
	yield_n(self, 2);
	FCHECK(ch.receivers == f[0] && ch2.senders == f[1]);
	FCHECK_EQ(iou_cancel(f[0]), 0);
	FCHECK_EQ(iou_cancel(f[1]), 0);
	FCHECK_EQ(join_all(self, f, 2, -ECANCELED), 0);
	FCHECK(ch.receivers == NULL && ch2.senders == NULL);
	FCHECK(r.done == 0 && s.done == 0 && ch2.count == 1);
	/* An item sent now is not lost to the receiver that gave up. */
	FCHECK_EQ(send_int(self, &ch, 10), 0);
	FCHECK_EQ(recv_int(self, &ch), 10);
	return 0;
}
SYNC_TEST(chan_cancel_blocked, chan_cancel)

/* Posts from other threads */

#define NPOST 1000
static struct iou_post fposts[2][NPOST];
static unsigned char fhits[2][NPOST];
static int ftotal, fwrong, ferr;
static pthread_t loop_tid, poster_tid[2];

static void flood_fn(struct iou_loop *loop, void *arg)
{
	(*(unsigned char *)arg)++;
	fwrong += loop != t_loop || !pthread_equal(pthread_self(), loop_tid);
	if (++ftotal == 2 * NPOST)
		iou_waitgroup_done(&wg);
}

static void *flood_thread(void *arg)
{
	int t = (int)(intptr_t)arg, i;

	poster_tid[t] = pthread_self();
	for (i = 0; i < NPOST; i++) {
		fposts[t][i].fn = flood_fn;
		fposts[t][i].arg = &fhits[t][i];
		if (iou_loop_post(t_loop, &fposts[t][i]))
			__atomic_fetch_add(&ferr, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* Fails the test if it has to wake the loop itself. */
static int watchdog(struct iou_fiber *self, void *arg)
{
	(void)arg;
	FCHECK_EQ(iou_sleep(self, 2000 * MS), -ECANCELED);
	return 0;
}

static int flood_main(struct iou_fiber *self)
{
	struct iou_fiber *wd;
	pthread_t th[2];
	int t, i, ret;

	memset(fhits, 0, sizeof(fhits));
	ftotal = fwrong = ferr = 0;
	loop_tid = pthread_self();
	iou_waitgroup_add(&wg, 1);
	SPAWN(watchdog, 0, &wd);
	for (t = 0; t < 2; t++)
		FCHECK_EQ(pthread_create(&th[t], NULL, flood_thread,
					 (void *)(intptr_t)t), 0);
	ret = iou_waitgroup_wait(self, &wg);
	for (t = 0; t < 2; t++)
		FCHECK_EQ(pthread_join(th[t], NULL), 0);
	FCHECK_EQ(ret, 0);
	FCHECK_EQ(iou_sleep(self, MS), 0);	/* a few more passes */
	FCHECK_EQ(ftotal, 2 * NPOST);
	FCHECK_EQ(ferr, 0);
	/* Each ran once, on the loop's thread (not the poster's). */
	for (t = 0; t < 2; t++)
		for (i = 0; i < NPOST; i++)
			FCHECK_EQ(fhits[t][i], 1);
	FCHECK_EQ(fwrong, 0);
	FCHECK(!pthread_equal(poster_tid[0], loop_tid));
	FCHECK_EQ(iou_cancel(wd), 0);
	return join_all(self, &wd, 1, 0);
}
SYNC_TEST(post_two_threads_each_once_on_loop_thread, flood_main)

static struct {
	struct iou_post post;
	struct iou_fiber *fiber;
	pthread_t ran_tid;
	int ran, ret, spawn_ret, late_spawn, asleep;
	int64_t t_post, t_run;
} pc;

static void *post_thread(void *arg)
{
	(void)arg;
	pc.ret = iou_loop_post(t_loop, &pc.post);
	return NULL;
}

static pthread_t spawn_th;

static int post_spawned(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	hits++;
	pc.ran_tid = pthread_self();
	/* The poster may still be in iou_loop_post(): join it first. */
	FCHECK_EQ(pthread_join(spawn_th, NULL), 0);
	iou_loop_stop(t_loop);
	pc.late_spawn = iou_spawn(t_loop, bump, NULL, 0, NULL);
	return 0;
}

static void spawn_from_post(struct iou_loop *loop, void *arg)
{
	(void)arg;
	pc.spawn_ret = iou_spawn(loop, post_spawned, NULL, 0, NULL);
}

static int fiberless(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	/* This fiber ends now; the loop, kept alive, waits for the post. */
	FCHECK_EQ(pthread_create(&spawn_th, NULL, post_thread, NULL), 0);
	return 0;
}

static void test_loop_sync_post_spawns_fiber_and_stops(void **state)
{
	struct iou_loop_opts o = { .flags = IOU_LOOP_KEEP_ALIVE };

	(void)state;
	memset(&pc, 0, sizeof(pc));
	pc.spawn_ret = pc.late_spawn = 1;
	pc.post.fn = spawn_from_post;
	hits = 0;
	t_loop_run_opts(fiberless, NULL, &o);
	assert_int_equal(pc.ret, 0);
	assert_int_equal(pc.spawn_ret, 0);
	assert_int_equal(hits, 1);
	assert_true(pthread_equal(pc.ran_tid, pthread_self()));
	assert_int_equal(pc.late_spawn, -ECANCELED);
}

static void wake_fn(struct iou_loop *loop, void *arg)
{
	(void)loop;
	(void)arg;
	pc.t_run = t_now_ns();
	pc.ran++;
	iou_cancel(pc.fiber);
}

static void wait_flag(int *p)
{
	int64_t t0 = t_now_ns();

	while (!__atomic_load_n(p, __ATOMIC_SEQ_CST) &&
	       t_now_ns() - t0 < 1000 * MS)
		;
}

static void *late_poster(void *arg)
{
	(void)arg;
	wait_flag(&pc.asleep);
	usleep(20000);	/* for the loop to be asleep in the kernel */
	pc.t_post = t_now_ns();
	return post_thread(NULL);
}

/*
 * Once *@busy is set (yielding till then), the main fiber sleeps @ns;
 * wake_fn, posted by @poster meanwhile, must end the sleep promptly.
 */
static int sleep_until_posted(struct iou_fiber *self, void *(*poster)(void *),
			      int *busy, uint64_t ns)
{
	int64_t t0 = t_now_ns();
	pthread_t th;
	int ret;

	memset(&pc, 0, sizeof(pc));
	pc.fiber = self;
	pc.post.fn = wake_fn;
	FCHECK_EQ(pthread_create(&th, NULL, poster, NULL), 0);
	while (!__atomic_load_n(busy, __ATOMIC_SEQ_CST) &&
	       t_now_ns() - t0 < 1000 * MS)
		iou_yield(self);
	__atomic_store_n(&pc.asleep, 1, __ATOMIC_SEQ_CST);
	ret = iou_sleep(self, ns);
	while (!pc.ran && t_now_ns() - t0 < 2000 * MS)
		iou_yield(self);
	FCHECK_EQ(pthread_join(th, NULL), 0);
	FCHECK(pc.ret == 0 && pc.ran == 1);
	FCHECK_EQ(ret, -ECANCELED);	/* the post ended it, not the timer */
	FCHECK(pc.t_run - pc.t_post < 100 * MS);
	return 0;
}

static int post_wakes(struct iou_fiber *self)
{
	int64_t t0 = t_now_ns();
	int go = 1;

	FCHECK_EQ(sleep_until_posted(self, late_poster, &go, 5000 * MS), 0);
	FCHECK(t_now_ns() - t0 < 1000 * MS);
	return 0;
}
SYNC_TEST(post_wakes_long_sleep_promptly, post_wakes)

/*
 * The race on the post list, made to happen: a write watchpoint on the
 * list stops the poster just after its push until the loop has taken
 * the list; only then does the poster mark a wake-up pending and send
 * it.  A post made later, while the loop sleeps, must still wake it.
 */
static int race_ran, trapped, no_bp;
static struct iou_post race;

static void race_fn(struct iou_loop *loop, void *arg)
{
	(void)loop;
	(void)arg;
	__atomic_store_n(&race_ran, 1, __ATOMIC_SEQ_CST);
}

static void on_trap(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)si;
	(void)uc;
	trapped++;
	wait_flag(&race_ran);	/* between the poster's push and its wake */
}

static void *race_poster(void *arg)
{
	struct perf_event_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_BREAKPOINT;
	a.size = sizeof(a);
	a.bp_type = HW_BREAKPOINT_W;
	a.bp_addr = (uintptr_t)&t_loop->posts;
	a.bp_len = HW_BREAKPOINT_LEN_8;
	a.sample_period = 1;
	a.sigtrap = 1;
	a.remove_on_exec = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		no_bp = errno;
		__atomic_store_n(&race_ran, 1, __ATOMIC_SEQ_CST);
	} else {
		race.fn = race_fn;
		iou_loop_post(t_loop, &race);
		close(fd);
	}
	return late_poster(arg);
}

static int race_main(struct iou_fiber *self, void *arg)
{
	struct sigaction sa, old;
	int ret;

	(void)arg;
	race_ran = trapped = no_bp = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	FCHECK_EQ(sigaction(SIGTRAP, &sa, &old), 0);
	/* Busy till race_fn ran: the loop goes over its post list often. */
	ret = sleep_until_posted(self, race_poster, &race_ran, 300 * MS);
	sigaction(SIGTRAP, &old, NULL);
	if (no_bp)
		return 0;
	FCHECK_EQ(trapped, 1);
	return ret;
}

static void test_loop_sync_post_wake_not_lost_after_race(void **state)
{
	(void)state;
	run(race_main);
	if (no_bp)
		t_skip("no perf write watchpoint here (errno %d)", no_bp);
}

/* A graceful stop while fibers are blocked on every primitive. */
static struct slot {
	iou_fiber_fn fn;
	void *arg;
	int st;
} slots[6];

static int slot_run(struct iou_fiber *self, void *arg)
{
	struct slot *s = arg;

	s->st = s->fn(self, s->arg);
	return 0;
}

/* Holds mx while it waits on ch. */
static int ch_holder(struct iou_fiber *self, void *arg)
{
	int ret;

	(void)arg;
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	ret = recv_int(self, &ch);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	return ret;
}

static int stop_main(struct iou_fiber *self)
{
	static struct xfer r, s;
	int i;

	r = (struct xfer){ &ch, 1, 0, { 0 } };
	s = (struct xfer){ &ch2, 1, 0, { 0 } };
	FCHECK_EQ(send_int(self, &ch2, 0), 0);	/* ch2 full */
	iou_waitgroup_add(&wg, 1);
	/* In this order: the condition's waiter has released mx. */
	slots[0] = (struct slot){ cond_waiter, NULL, 1 };
	slots[1] = (struct slot){ ch_holder, NULL, 1 };
	slots[2] = (struct slot){ locker, NULL, 1 };
	slots[3] = (struct slot){ receiver, &r, 1 };
	slots[4] = (struct slot){ sender, &s, 1 };
	slots[5] = (struct slot){ wg_waiter, NULL, 1 };
	for (i = 0; i < 6; i++)
		SPAWN(slot_run, &slots[i], NULL);
	yield_n(self, 3);
	FCHECK(cv.waiters && mx.waiters && ch.receivers && ch2.senders &&
	       wg.waiters);
	for (i = 0; i < 6; i++)
		FCHECK_EQ(slots[i].st, 1);
	iou_loop_stop(t_loop);
	yield_n(self, 10);
	/* Each blocked call saw -ECANCELED, and its fiber ran on to its end. */
	for (i = 0; i < 6; i++)
		FCHECK_EQ(slots[i].st, -ECANCELED);
	/* The condition's waiter got mx back (it checks that); the cancelled
	   locker never owned it; nobody owns or waits on anything now. */
	FCHECK_EQ(order[7], 0);
	FCHECK(!mx.owner && !mx.waiters && !cv.waiters && !wg.waiters);
	FCHECK(!ch.receivers && !ch2.senders && ch2.count == 1);
	return 0;
}
SYNC_TEST(stop_cancels_blocked_fibers, stop_main)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_sync_wg_zero_returns_at_once),
		T_TEST(test_loop_sync_wg_waits_for_n_done_wakes_all),
		T_TEST(test_loop_sync_wg_negative_add),
		T_TEST(test_loop_sync_wg_cancelled_waiter),
		T_TEST(test_loop_sync_mutex_uncontended_relock_edeadlk),
		T_TEST(test_loop_sync_mutex_trylock_ebusy_unlock_eperm),
		T_TEST(test_loop_sync_mutex_fifo_handoff),
		T_TEST(test_loop_sync_mutex_excludes_across_waits),
		T_TEST(test_loop_sync_mutex_cancelled_waiter),
		T_TEST(test_loop_sync_cond_signal_wakes_one_wait_eperm),
		T_TEST(test_loop_sync_cond_broadcast_wakes_all),
		T_TEST(test_loop_sync_cond_cancel_retakes_mutex),
		T_TEST(test_loop_sync_cond_cancel_while_retaking_mutex),
		T_TEST(test_loop_sync_cond_producer_consumer),
		T_TEST(test_loop_sync_chan_init_einval_fifo_order),
		T_TEST(test_loop_sync_chan_sender_blocks_when_full),
		T_TEST(test_loop_sync_chan_receivers_block_when_empty),
		T_TEST(test_loop_sync_chan_close_drains_then_epipe),
		T_TEST(test_loop_sync_chan_close_wakes_blocked),
		T_TEST(test_loop_sync_chan_struct_items_are_copied),
		T_TEST(test_loop_sync_chan_cancel_blocked),
		T_TEST(test_loop_sync_post_two_threads_each_once_on_loop_thread),
		T_TEST(test_loop_sync_post_spawns_fiber_and_stops),
		T_TEST(test_loop_sync_post_wakes_long_sleep_promptly),
		T_TEST(test_loop_sync_post_wake_not_lost_after_race),
		T_TEST(test_loop_sync_stop_cancels_blocked_fibers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
