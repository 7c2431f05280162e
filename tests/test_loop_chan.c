/* SPDX-License-Identifier: MIT */
/*
 * Between fibers and threads: wait groups, mutexes, conditions, channels,
 * posts from other threads, and a stop while fibers wait on each of them.
 * Runs once per backend (IOU_BACKEND=uring|epoll).
 */
#include "looputil.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#define MS 1000000ULL

static int order[16], norder;

/* Wait groups */

static int wg_worker(struct iou_fiber *self, void *arg)
{
	struct iou_waitgroup *wg = arg;

	iou_sleep(self, MS);
	order[norder++] = 1;
	iou_waitgroup_done(wg);
	return 0;
}

static int wg_main(struct iou_fiber *self, void *arg)
{
	struct iou_waitgroup wg;
	int i;

	(void)arg;
	norder = 0;
	iou_waitgroup_init(&wg);
	/* At zero: no wait at all. */
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	iou_waitgroup_add(&wg, 5);
	for (i = 0; i < 5; i++)
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), wg_worker, &wg, 0,
				    NULL), 0);
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	/* Every worker finished before the wait returned. */
	FCHECK_EQ(norder, 5);
	/* A negative add to zero wakes too. */
	iou_waitgroup_add(&wg, 3);
	iou_waitgroup_add(&wg, -3);
	FCHECK_EQ(iou_waitgroup_wait(self, &wg), 0);
	return 0;
}

static void test_chan_waitgroup(void **state)
{
	(void)state;
	t_loop_run(wg_main, NULL);
}

static int wg_waiter(struct iou_fiber *self, void *arg)
{
	return iou_waitgroup_wait(self, arg);
}

static int wg_cancel_main(struct iou_fiber *self, void *arg)
{
	struct iou_waitgroup wg;
	struct iou_fiber *w[3];
	int i, st;

	(void)arg;
	iou_waitgroup_init(&wg);
	iou_waitgroup_add(&wg, 1);
	for (i = 0; i < 3; i++)
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), wg_waiter, &wg, 0,
				    &w[i]), 0);
	iou_yield(self);
	/* One cancelled; the other two see the count reach zero. */
	FCHECK_EQ(iou_cancel(w[1]), 0);
	FCHECK_EQ(iou_join(self, w[1], &st), 0);
	FCHECK_EQ(st, -ECANCELED);
	iou_waitgroup_done(&wg);
	FCHECK_EQ(iou_join(self, w[0], &st), 0);
	FCHECK_EQ(st, 0);
	FCHECK_EQ(iou_join(self, w[2], &st), 0);
	FCHECK_EQ(st, 0);
	return 0;
}

static void test_chan_waitgroup_many_waiters_and_cancel(void **state)
{
	(void)state;
	t_loop_run(wg_cancel_main, NULL);
}

/* Mutexes */

static int mutex_errors(struct iou_fiber *self, void *arg)
{
	struct iou_mutex *m = arg;

	/* Not the owner. */
	return iou_mutex_unlock(self, m) == -EPERM &&
			       iou_mutex_trylock(self, m) == -EBUSY ?
		       0 :
		       -1;
}

static int mutex_basics(struct iou_fiber *self, void *arg)
{
	struct iou_mutex m;
	struct iou_fiber *f;
	int st;

	(void)arg;
	iou_mutex_init(&m);
	FCHECK_EQ(iou_mutex_trylock(self, &m), 0);
	FCHECK_EQ(iou_mutex_lock(self, &m), -EDEADLK);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), mutex_errors, &m, 0, &f), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, 0);
	FCHECK_EQ(iou_mutex_unlock(self, &m), 0);
	FCHECK_EQ(iou_mutex_unlock(self, &m), -EPERM);
	FCHECK_EQ(iou_mutex_lock(self, &m), 0);
	FCHECK_EQ(iou_mutex_unlock(self, &m), 0);
	return 0;
}

static void test_chan_mutex_errors(void **state)
{
	(void)state;
	t_loop_run(mutex_basics, NULL);
}

struct locker {
	struct iou_mutex *m;
	int id;
	long *counter;
};

static int locker(struct iou_fiber *self, void *arg)
{
	struct locker *l = arg;
	long v;
	int i;

	for (i = 0; i < 50; i++) {
		if (iou_mutex_lock(self, l->m))
			return -1;
		if (i == 0)
			order[norder++] = l->id;
		/* Read, give the CPU away, write: only exclusion keeps it. */
		v = *l->counter;
		iou_yield(self);
		*l->counter = v + 1;
		iou_mutex_unlock(self, l->m);
		iou_yield(self);
	}
	return 0;
}

static int mutex_fifo(struct iou_fiber *self, void *arg)
{
	struct locker ls[5];
	struct iou_fiber *f[5];
	struct iou_mutex m;
	long counter = 0;
	int i, st;

	(void)arg;
	norder = 0;
	iou_mutex_init(&m);
	FCHECK_EQ(iou_mutex_lock(self, &m), 0);
	for (i = 0; i < 5; i++) {
		ls[i] = (struct locker){ &m, i, &counter };
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), locker, &ls[i], 0,
				    &f[i]), 0);
		iou_yield(self);	/* each queues behind the last */
	}
	FCHECK_EQ(iou_mutex_unlock(self, &m), 0);
	for (i = 0; i < 5; i++) {
		FCHECK_EQ(iou_join(self, f[i], &st), 0);
		FCHECK_EQ(st, 0);
	}
	FCHECK_EQ(counter, 250);
	/* The first acquisitions came in the order they queued. */
	for (i = 0; i < 5; i++)
		FCHECK_EQ(order[i], i);
	return 0;
}

static void test_chan_mutex_fifo_and_exclusion(void **state)
{
	(void)state;
	t_loop_run(mutex_fifo, NULL);
}

static int lock_waiter(struct iou_fiber *self, void *arg)
{
	struct iou_mutex *m = arg;
	int ret = iou_mutex_lock(self, m);

	/* Cancelled: it must not own the mutex. */
	if (ret == -ECANCELED && iou_mutex_unlock(self, m) != -EPERM)
		return -2;
	return ret;
}

static int mutex_cancel(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f, *g;
	struct iou_mutex m;
	int st;

	(void)arg;
	iou_mutex_init(&m);
	FCHECK_EQ(iou_mutex_lock(self, &m), 0);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), lock_waiter, &m, 0, &f), 0);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), lock_waiter, &m, 0, &g), 0);
	iou_yield(self);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, -ECANCELED);
	/* The mutex goes to the next waiter, not the cancelled one. */
	FCHECK_EQ(iou_mutex_unlock(self, &m), 0);
	FCHECK_EQ(iou_join(self, g, &st), 0);
	FCHECK_EQ(st, 0);
	FCHECK_EQ(m.owner, g);
	return 0;
}

static void test_chan_mutex_cancelled_waiter(void **state)
{
	(void)state;
	t_loop_run(mutex_cancel, NULL);
}

/* Conditions */

struct cv {
	struct iou_mutex m;
	struct iou_cond c;
	int ready, woken;
};

static int cv_waiter(struct iou_fiber *self, void *arg)
{
	struct cv *cv = arg;
	int ret = 0;

	iou_mutex_lock(self, &cv->m);
	while (!cv->ready && !ret)
		ret = iou_cond_wait(self, &cv->c, &cv->m);
	if (!ret)
		cv->woken++;
	/* The mutex is held again on return, even when cancelled. */
	if (cv->m.owner != self)
		ret = -100;
	iou_mutex_unlock(self, &cv->m);
	return ret;
}

static int cond_signal_broadcast(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f[4];
	struct cv cv;
	int i, st;

	(void)arg;
	memset(&cv, 0, sizeof(cv));
	iou_mutex_init(&cv.m);
	iou_cond_init(&cv.c);
	/* Without the mutex: -EPERM. */
	FCHECK_EQ(iou_cond_wait(self, &cv.c, &cv.m), -EPERM);
	for (i = 0; i < 4; i++)
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), cv_waiter, &cv, 0,
				    &f[i]), 0);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	/* A signal wakes one, who sees ready and leaves... */
	iou_mutex_lock(self, &cv.m);
	cv.ready = 1;
	iou_cond_signal(&cv.c);
	iou_mutex_unlock(self, &cv.m);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	FCHECK_EQ(cv.woken, 1);
	/* ...a broadcast wakes the other three. */
	iou_cond_broadcast(&cv.c);
	for (i = 0; i < 4; i++) {
		FCHECK_EQ(iou_join(self, f[i], &st), 0);
		FCHECK_EQ(st, 0);
	}
	FCHECK_EQ(cv.woken, 4);
	return 0;
}

static void test_chan_cond_signal_and_broadcast(void **state)
{
	(void)state;
	t_loop_run(cond_signal_broadcast, NULL);
}

static int cond_cancel(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;
	struct cv cv;
	int st;

	(void)arg;
	memset(&cv, 0, sizeof(cv));
	iou_mutex_init(&cv.m);
	iou_cond_init(&cv.c);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), cv_waiter, &cv, 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	/* Cancel it while we hold the mutex: it must wait for it. */
	iou_mutex_lock(self, &cv.m);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	FCHECK_EQ(cv.m.owner, self);
	iou_mutex_unlock(self, &cv.m);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, -ECANCELED);
	FCHECK_EQ(cv.woken, 0);
	return 0;
}

static void test_chan_cond_cancel_retakes_mutex(void **state)
{
	(void)state;
	t_loop_run(cond_cancel, NULL);
}

/* Channels */

struct item {
	int seq;
	char tag[12];
};

static int producer(struct iou_fiber *self, void *arg)
{
	struct iou_chan *ch = arg;
	struct item it;
	int i;

	for (i = 0; i < 100; i++) {
		memset(&it, 0, sizeof(it));
		it.seq = i;
		memcpy(it.tag, "item", 5);
		if (iou_chan_send(self, ch, &it))
			return -1;
	}
	iou_chan_close(ch);
	return 0;
}

static int chan_fifo(struct iou_fiber *self, void *arg)
{
	struct item buf[4], it;
	struct iou_chan ch;
	struct iou_fiber *p;
	int i, st;

	(void)arg;
	FCHECK_EQ(iou_chan_init(&ch, buf, sizeof(struct item), 0), -EINVAL);
	FCHECK_EQ(iou_chan_init(&ch, buf, sizeof(struct item), 4), 0);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), producer, &ch, 0, &p), 0);
	for (i = 0; i < 100; i++) {
		FCHECK_EQ(iou_chan_recv(self, &ch, &it), 0);
		FCHECK_EQ(it.seq, i);
		FCHECK(!strcmp(it.tag, "item"));
		/* Never more than the capacity waits in the channel. */
		FCHECK(ch.count <= 4);
	}
	FCHECK_EQ(iou_chan_recv(self, &ch, &it), -EPIPE);
	FCHECK_EQ(iou_join(self, p, &st), 0);
	FCHECK_EQ(st, 0);
	FCHECK_EQ(iou_chan_send(self, &ch, &it), -EPIPE);
	return 0;
}

static void test_chan_fifo_bounded_close(void **state)
{
	(void)state;
	t_loop_run(chan_fifo, NULL);
}

static int chan_blocked_recv(struct iou_fiber *self, void *arg)
{
	int v;

	return iou_chan_recv(self, arg, &v);
}

static int chan_blocked_send(struct iou_fiber *self, void *arg)
{
	int v = 7;

	return iou_chan_send(self, arg, &v);
}

static int chan_close_wakes(struct iou_fiber *self, void *arg)
{
	struct iou_chan rx, tx;
	int rbuf[1], tbuf[1], v = 1, st;
	struct iou_fiber *r, *s, *r2;

	(void)arg;
	iou_chan_init(&rx, rbuf, sizeof(int), 1);
	iou_chan_init(&tx, tbuf, sizeof(int), 1);
	FCHECK_EQ(iou_chan_send(self, &tx, &v), 0);	/* full now */
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), chan_blocked_recv, &rx, 0, &r), 0);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), chan_blocked_recv, &rx, 0, &r2), 0);
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), chan_blocked_send, &tx, 0, &s), 0);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	/* A blocked receiver cancelled; the other woken by close. */
	FCHECK_EQ(iou_cancel(r2), 0);
	FCHECK_EQ(iou_join(self, r2, &st), 0);
	FCHECK_EQ(st, -ECANCELED);
	iou_chan_close(&rx);
	FCHECK_EQ(iou_join(self, r, &st), 0);
	FCHECK_EQ(st, -EPIPE);
	/* A blocked sender woken by close; the queued item still drains. */
	iou_chan_close(&tx);
	FCHECK_EQ(iou_join(self, s, &st), 0);
	FCHECK_EQ(st, -EPIPE);
	FCHECK_EQ(iou_chan_recv(self, &tx, &v), 0);
	FCHECK_EQ(v, 1);
	FCHECK_EQ(iou_chan_recv(self, &tx, &v), -EPIPE);
	return 0;
}

static void test_chan_close_and_cancel_wake_blocked(void **state)
{
	(void)state;
	t_loop_run(chan_close_wakes, NULL);
}

/* Posts from other threads */

struct poster {
	struct iou_loop *loop;
	struct iou_post posts[500];
};

static long ran;
static pthread_t loop_thread;
static int wrong_thread;

static void count_post(struct iou_loop *loop, void *arg)
{
	(void)loop;
	(void)arg;
	if (!pthread_equal(pthread_self(), loop_thread))
		wrong_thread = 1;
	ran++;
}

static void *post_many(void *arg)
{
	struct poster *p = arg;
	int i;

	for (i = 0; i < 500; i++) {
		p->posts[i].fn = count_post;
		iou_loop_post(p->loop, &p->posts[i]);
	}
	return NULL;
}

static int wait_posts(struct iou_fiber *self, void *arg)
{
	uint64_t deadline = iou_now(iou_fiber_loop(self)) + 5000 * MS;

	(void)arg;
	while (ran < 1000 && iou_now(iou_fiber_loop(self)) < deadline)
		iou_sleep(self, MS);
	FCHECK_EQ(ran, 1000);
	return 0;
}

static void test_chan_posts_from_two_threads_run_once_on_loop(void **state)
{
	static struct poster a, b;
	struct iou_loop *loop;
	pthread_t ta, tb;

	(void)state;
	ran = 0;
	wrong_thread = 0;
	loop_thread = pthread_self();
	assert_int_equal(iou_loop_create(&loop, NULL), 0);
	t_loop = loop;
	a.loop = b.loop = loop;
	assert_int_equal(iou_spawn(loop, wait_posts, NULL, 0, NULL), 0);
	assert_int_equal(pthread_create(&ta, NULL, post_many, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, post_many, &b), 0);
	assert_int_equal(iou_loop_run(loop), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	iou_loop_destroy(loop);
	t_loop = NULL;
	assert_int_equal(ran, 1000);
	assert_false(wrong_thread);
}

static uint64_t posted_at, ran_at;

static void stamp_and_stop(struct iou_loop *loop, void *arg)
{
	(void)arg;
	ran_at = iou_now(loop);
	iou_loop_stop(loop);
}

static void *post_later(void *arg)
{
	static struct iou_post p = { .fn = stamp_and_stop };

	usleep(20000);
	posted_at = iou_now(arg);
	iou_loop_post(arg, &p);
	return NULL;
}

static int long_sleep(struct iou_fiber *self, void *arg)
{
	(void)arg;
	return iou_sleep(self, 10000 * MS) == -ECANCELED ? 0 : -1;
}

static void test_chan_post_wakes_a_sleeping_loop(void **state)
{
	struct iou_loop *loop;
	pthread_t t;

	(void)state;
	assert_int_equal(iou_loop_create(&loop, NULL), 0);
	assert_int_equal(iou_spawn(loop, long_sleep, NULL, 0, NULL), 0);
	assert_int_equal(pthread_create(&t, NULL, post_later, loop), 0);
	assert_int_equal(iou_loop_run(loop), 0);
	pthread_join(t, NULL);
	iou_loop_destroy(loop);
	/* Woken within a moment of the post, not at the sleep's end. */
	assert_true(ran_at >= posted_at);
	assert_true(ran_at - posted_at < 1000 * MS);
}

/* A stop while fibers wait on every kind of object. */
static int stop_results[4], nstop;

static void stop_record(int res)
{
	stop_results[nstop++] = res;
}

static int wait_mutex(struct iou_fiber *self, void *arg)
{
	stop_record(iou_mutex_lock(self, arg));
	return 0;
}

static int wait_chan(struct iou_fiber *self, void *arg)
{
	int v;

	stop_record(iou_chan_recv(self, arg, &v));
	return 0;
}

static int wait_cond(struct iou_fiber *self, void *arg)
{
	struct cv *cv = arg;

	iou_mutex_lock(self, &cv->m);
	stop_record(iou_cond_wait(self, &cv->c, &cv->m));
	iou_mutex_unlock(self, &cv->m);
	return 0;
}

static int wait_wg(struct iou_fiber *self, void *arg)
{
	stop_record(iou_waitgroup_wait(self, arg));
	return 0;
}

static int stop_main(struct iou_fiber *self, void *arg)
{
	static struct iou_mutex m;
	static struct iou_chan ch;
	static struct iou_waitgroup wg;
	static struct cv cv;
	static int cbuf[2];
	struct iou_loop *loop = iou_fiber_loop(self);

	(void)arg;
	nstop = 0;
	iou_mutex_init(&m);
	iou_chan_init(&ch, cbuf, sizeof(int), 2);
	iou_waitgroup_init(&wg);
	iou_waitgroup_add(&wg, 1);
	memset(&cv, 0, sizeof(cv));
	iou_mutex_init(&cv.m);
	iou_cond_init(&cv.c);
	FCHECK_EQ(iou_mutex_lock(self, &m), 0);
	iou_spawn(loop, wait_mutex, &m, 0, NULL);
	iou_spawn(loop, wait_chan, &ch, 0, NULL);
	iou_spawn(loop, wait_cond, &cv, 0, NULL);
	iou_spawn(loop, wait_wg, &wg, 0, NULL);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	FCHECK_EQ(nstop, 0);
	iou_loop_stop(loop);
	return 0;
}

static void test_chan_stop_cancels_every_wait(void **state)
{
	int i;

	(void)state;
	t_loop_run(stop_main, NULL);
	assert_int_equal(nstop, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(stop_results[i], -ECANCELED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_chan_waitgroup),
		T_TEST(test_chan_waitgroup_many_waiters_and_cancel),
		T_TEST(test_chan_mutex_errors),
		T_TEST(test_chan_mutex_fifo_and_exclusion),
		T_TEST(test_chan_mutex_cancelled_waiter),
		T_TEST(test_chan_cond_signal_and_broadcast),
		T_TEST(test_chan_cond_cancel_retakes_mutex),
		T_TEST(test_chan_fifo_bounded_close),
		T_TEST(test_chan_close_and_cancel_wake_blocked),
		T_TEST(test_chan_posts_from_two_threads_run_once_on_loop),
		T_TEST(test_chan_post_wakes_a_sleeping_loop),
		T_TEST(test_chan_stop_cancels_every_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
