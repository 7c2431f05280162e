/* SPDX-License-Identifier: MIT */
/*
 * Wait groups, mutexes and conditions between fibers on a real loop.  The
 * method and the shared plumbing: loop_sync.h.
 */
#include "loop_sync.h"

/* Wait groups */

static int wg_zero(struct iou_fiber *self)
{
	SPAWN(bump, 0, NULL);
	/* At zero it returns without a switch: the new fiber has not run. */
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	iou_waitgroup_add(&wg, 1);
	iou_waitgroup_done(&wg);
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	/* Back to zero by a negative add: no wait either. */
	iou_waitgroup_add(&wg, 3);
	iou_waitgroup_add(&wg, -3);
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	FCHECK_EQ(hits, 0);
	iou_yield(self);
	FCHECK_EQ(hits, 1);
	return 0;
}
SYNC_TEST(lock_wg_zero_returns_at_once, wg_zero)

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
SYNC_TEST(lock_wg_waits_for_n_done_wakes_all, wg_n)

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
SYNC_TEST(lock_wg_negative_add, wg_negative)

static int wg_cancel(struct iou_fiber *self)
{
	struct iou_fiber *f, *m[3];
	int i;

	iou_waitgroup_add(&wg, 1);
	SPAWN(wg_waiter, 0, &f);
	iou_yield(self);
	FCHECK(wg.waiters == f);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(join_all(self, &f, 1, -ECANCELED), 0);
	FCHECK(wg.waiters == NULL);
	FCHECK_EQ(wg.count, 1);	/* the count is untouched */
	/* One of three cancelled: the other two still wake at zero. */
	for (i = 0; i < 3; i++)
		SPAWN(wg_waiter, 0, &m[i]);
	iou_yield(self);
	FCHECK(wg.waiters == m[0]);
	FCHECK_EQ(iou_cancel(m[1]), 0);
	FCHECK_EQ(join_all(self, &m[1], 1, -ECANCELED), 0);
	FCHECK(wg.waiters == m[0]);
	FCHECK_EQ(wg.count, 1);
	iou_waitgroup_done(&wg);
	FCHECK_EQ(join_all(self, &m[0], 1, 0), 0);
	FCHECK_EQ(join_all(self, &m[2], 1, 0), 0);
	FCHECK(wg.waiters == NULL);
	return iou_waitgroup_wait(self, &wg);
}
SYNC_TEST(lock_wg_cancelled_waiter, wg_cancel)

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
	FCHECK_EQ(iou_mutex_lock(self, &mx), -EDEADLK);	/* trylock owns it */
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), -EPERM);	/* unlocked again */
	FCHECK_EQ(hits, 0);	/* no switch: the new fiber has not run */
	return 0;
}
SYNC_TEST(lock_mutex_uncontended_relock_edeadlk, mx_plain)

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
SYNC_TEST(lock_mutex_trylock_ebusy_unlock_eperm, mx_errors)

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
SYNC_TEST(lock_mutex_fifo_handoff, mx_fifo)

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
SYNC_TEST(lock_mutex_excludes_across_waits, mx_excl)

/* Takes mx and returns without unlocking it. */
static int lock_keeper(struct iou_fiber *self, void *arg)
{
	(void)arg;
	return iou_mutex_lock(self, &mx);
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
	/* With another waiter behind the cancelled one, that one gets it. */
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	order[7] = -1;
	SPAWN(locker, 0, &f[0]);
	SPAWN(lock_keeper, 0, &f[1]);
	yield_n(self, 2);
	FCHECK(mx.waiters == f[0]);
	FCHECK_EQ(iou_cancel(f[0]), 0);
	FCHECK_EQ(join_all(self, f, 1, -ECANCELED), 0);
	FCHECK_EQ(order[7], 0);
	FCHECK(mx.waiters == f[1]);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	FCHECK_EQ(join_all(self, &f[1], 1, 0), 0);
	FCHECK(mx.owner == f[1]);	/* it returned holding it */
	return 0;
}
SYNC_TEST(lock_mutex_cancelled_waiter, mx_cancel)

/* Conditions */

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
SYNC_TEST(lock_cond_signal_wakes_one_wait_eperm, cond_signal)

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
SYNC_TEST(lock_cond_broadcast_wakes_all, cond_broadcast)

static int cond_cancel(struct iou_fiber *self)
{
	struct iou_fiber *c;

	SPAWN(cond_waiter, 9, &c);
	iou_yield(self);
	FCHECK(cv.waiters == c && mx.owner == NULL);
	FCHECK_EQ(iou_mutex_lock(self, &mx), 0);
	FCHECK_EQ(iou_cancel(c), 0);
	yield_n(self, 3);
	FCHECK_EQ(iou_sleep(self, MS), 0);	/* a pass through the kernel too */
	/* Cancelled, but it cannot return before it has the mutex back. */
	FCHECK(cv.waiters == NULL && norder == 0);
	FCHECK(mx.owner == self);
	FCHECK_EQ(iou_mutex_unlock(self, &mx), 0);
	FCHECK_EQ(join_all(self, &c, 1, -ECANCELED), 0);
	FCHECK_EQ(order[0], 9);
	FCHECK(mx.owner == NULL);
	return 0;
}
SYNC_TEST(lock_cond_cancel_retakes_mutex, cond_cancel)

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
SYNC_TEST(lock_cond_cancel_while_retaking_mutex, cond_cancel_late)

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
SYNC_TEST(lock_cond_producer_consumer, prodcons)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_sync_lock_wg_zero_returns_at_once),
		T_TEST(test_loop_sync_lock_wg_waits_for_n_done_wakes_all),
		T_TEST(test_loop_sync_lock_wg_negative_add),
		T_TEST(test_loop_sync_lock_wg_cancelled_waiter),
		T_TEST(test_loop_sync_lock_mutex_uncontended_relock_edeadlk),
		T_TEST(test_loop_sync_lock_mutex_trylock_ebusy_unlock_eperm),
		T_TEST(test_loop_sync_lock_mutex_fifo_handoff),
		T_TEST(test_loop_sync_lock_mutex_excludes_across_waits),
		T_TEST(test_loop_sync_lock_mutex_cancelled_waiter),
		T_TEST(test_loop_sync_lock_cond_signal_wakes_one_wait_eperm),
		T_TEST(test_loop_sync_lock_cond_broadcast_wakes_all),
		T_TEST(test_loop_sync_lock_cond_cancel_retakes_mutex),
		T_TEST(test_loop_sync_lock_cond_cancel_while_retaking_mutex),
		T_TEST(test_loop_sync_lock_cond_producer_consumer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
