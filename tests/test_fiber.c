/* SPDX-License-Identifier: MIT */
/*
 * Fibers and the scheduler: spawn, join, yield, sleep, cancel, stacks (and
 * their guard page), the FP control state and callee-saved registers
 * across switches, posts from other threads, stop, deadlock detection.
 * Runs once per backend (IOU_BACKEND=uring|epoll).
 */
#include "looputil.h"

#include <errno.h>
#include <fenv.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MS 1000000ULL

static int ret_arg(struct iou_fiber *self, void *arg)
{
	(void)self;
	return (int)(intptr_t)arg;
}

static int spawn_join(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f[4];
	int i, st;

	(void)arg;
	for (i = 0; i < 4; i++)
		FCHECK_EQ(iou_spawn(t_loop, ret_arg, (void *)(intptr_t)(i * 11),
				    0, &f[i]),
			  0);
	for (i = 3; i >= 0; i--) {
		st = -1;
		FCHECK_EQ(iou_join(self, f[i], &st), 0);
		FCHECK_EQ(st, i * 11);
	}
	return 42;
}

static void test_fiber_spawn_join_status(void **state)
{
	(void)state;
	assert_int_equal(t_loop_run(spawn_join, NULL), 42);
}

static int counter;

static int bump(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	counter++;
	return 0;
}

static int spawn_detached(struct iou_fiber *self, void *arg)
{
	int i;

	(void)self;
	(void)arg;
	for (i = 0; i < 100; i++)
		FCHECK_EQ(iou_spawn(t_loop, bump, NULL, 0, NULL), 0);
	return 0;
}

static void test_fiber_detached_run(void **state)
{
	(void)state;
	counter = 0;
	t_loop_run(spawn_detached, NULL);
	/* The loop ran until the last detached fiber was done. */
	assert_int_equal(counter, 100);
}

static char trail[64];
static int trail_len;

static int yielder(struct iou_fiber *self, void *arg)
{
	int i;

	for (i = 0; i < 3; i++) {
		trail[trail_len++] = *(char *)arg;
		iou_yield(self);
	}
	return 0;
}

static int yield_main(struct iou_fiber *self, void *arg)
{
	static char names[] = "ABC";
	struct iou_fiber *f[3];
	int i;

	(void)arg;
	for (i = 0; i < 3; i++)
		FCHECK_EQ(iou_spawn(t_loop, yielder, &names[i], 0, &f[i]), 0);
	for (i = 0; i < 3; i++)
		FCHECK_EQ(iou_join(self, f[i], NULL), 0);
	return 0;
}

static void test_fiber_yield_round_robin(void **state)
{
	(void)state;
	trail_len = 0;
	t_loop_run(yield_main, NULL);
	trail[trail_len] = 0;
	assert_string_equal(trail, "ABCABCABC");
}

static int sleeper_5ms(struct iou_fiber *self, void *arg)
{
	(void)arg;
	if (iou_sleep(self, 5 * MS) == 0)
		counter++;
	return 0;
}

static int many_main(struct iou_fiber *self, void *arg)
{
	int i;

	(void)self;
	(void)arg;
	for (i = 0; i < 2000; i++)
		FCHECK_EQ(iou_spawn(t_loop, sleeper_5ms, NULL, 0, NULL), 0);
	return 0;
}

static void test_fiber_many_concurrent_sleeps(void **state)
{
	int64_t t0 = t_now_ns();

	(void)state;
	counter = 0;
	t_loop_run(many_main, NULL);
	assert_int_equal(counter, 2000);
	/*
	 * 2000 sleeps of 5 ms at once, not 10 s in a row.  The bound leaves
	 * room for spawning 2000 fibers on a slow machine: under qemu's TCG,
	 * on a busy host, that alone took 1.5 s.
	 */
	assert_true(t_now_ns() - t0 < 5000LL * 1000 * 1000);
}

static int use_stack(struct iou_fiber *self, void *arg)
{
	volatile char big[512 * 1024];
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(big); i += 4096)
		big[i] = (char)i;
	iou_yield(self);
	for (i = 0; i < sizeof(big); i += 4096)
		if (big[i] != (char)i)
			return -1;
	return 7;
}

static int stack_main(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;
	int st = 0;

	(void)arg;
	FCHECK_EQ(iou_spawn(t_loop, use_stack, NULL, 1 << 20, &f), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, 7);
	FCHECK_EQ(iou_spawn(t_loop, use_stack, NULL, 1024, NULL), -EINVAL);
	FCHECK_EQ(iou_spawn(t_loop, NULL, NULL, 0, NULL), -EINVAL);
	FCHECK_EQ(iou_spawn(NULL, use_stack, NULL, 0, NULL), -EINVAL);
	return 0;
}

static void test_fiber_stack_size(void **state)
{
	(void)state;
	t_loop_run(stack_main, NULL);
}

/* Running off the stack hits the guard page: SIGSEGV, not a neighbour. */
static void test_fiber_stack_overflow_hits_guard(void **state)
{
	struct iou_loop *loop;
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (iou_loop_create(&loop, NULL))
			_exit(3);
		iou_spawn(loop, t_fiber_recurse, NULL, 64 * 1024, NULL);
		iou_loop_run(loop);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		t_skip("no loop in the child");
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSEGV);
}

static int fp_round_a(struct iou_fiber *self, void *arg)
{
	(void)arg;
	fesetround(FE_DOWNWARD);
	iou_yield(self);
	iou_yield(self);
	/* B changed its own rounding mode meanwhile, not ours. */
	FCHECK_EQ(fegetround(), FE_DOWNWARD);
	return 0;
}

static int fp_round_b(struct iou_fiber *self, void *arg)
{
	(void)arg;
	/* A new fiber starts with the ABI default. */
	FCHECK_EQ(fegetround(), FE_TONEAREST);
	fesetround(FE_UPWARD);
	iou_yield(self);
	FCHECK_EQ(fegetround(), FE_UPWARD);
	return 0;
}

static int fp_main(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *a, *b;

	(void)arg;
	FCHECK_EQ(iou_spawn(t_loop, fp_round_a, NULL, 0, &a), 0);
	FCHECK_EQ(iou_spawn(t_loop, fp_round_b, NULL, 0, &b), 0);
	FCHECK_EQ(iou_join(self, a, NULL), 0);
	FCHECK_EQ(iou_join(self, b, NULL), 0);
	return 0;
}

static void test_fiber_fp_control_state_is_per_fiber(void **state)
{
	(void)state;
	t_loop_run(fp_main, NULL);
	/* The scheduler's thread kept its own mode too. */
	assert_int_equal(fegetround(), FE_TONEAREST);
}

/* The bits of a double: no out-of-range conversion. */
static unsigned long dbits(double d)
{
	unsigned long u;

	memcpy(&u, &d, sizeof(u));
	return u;
}

/* Many live values across switches: they sit in callee-saved registers. */
static int crunch(struct iou_fiber *self, void *arg)
{
	unsigned long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
	double x = 1.5, y = 2.25, z = 3.125;
	int i;

	for (i = 0; i < 100; i++) {
		a = a * 31 + b;
		b = b * 37 + c;
		c = c * 41 + d;
		d = d * 43 + e;
		e = e * 47 + f;
		f = f * 53 + g;
		g = g * 59 + h;
		h = h * 61 + a;
		x = x * 1.0001 + y;
		y = y * 0.9999 + z;
		z = z + x * 0.5;
		iou_yield(self);
	}
	*(unsigned long *)arg = a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ dbits(x + y + z);
	return 0;
}

static int crunch_main(struct iou_fiber *self, void *arg)
{
	unsigned long *res = arg;
	struct iou_fiber *f[3];
	int i;

	for (i = 0; i < 3; i++)
		FCHECK_EQ(iou_spawn(t_loop, crunch, &res[i], 0, &f[i]), 0);
	for (i = 0; i < 3; i++)
		FCHECK_EQ(iou_join(self, f[i], NULL), 0);
	return 0;
}

static void test_fiber_registers_survive_switches(void **state)
{
	unsigned long res[3] = { 0, 0, 0 }, want;

	(void)state;
	t_loop_run(crunch_main, res);
	/* The same computation without any switch, on this stack. */
	{
		unsigned long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7,
			      h = 8;
		double x = 1.5, y = 2.25, z = 3.125;
		int i;

		for (i = 0; i < 100; i++) {
			a = a * 31 + b;
			b = b * 37 + c;
			c = c * 41 + d;
			d = d * 43 + e;
			e = e * 47 + f;
			f = f * 53 + g;
			g = g * 59 + h;
			h = h * 61 + a;
			x = x * 1.0001 + y;
			y = y * 0.9999 + z;
			z = z + x * 0.5;
		}
		want = a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ dbits(x + y + z);
	}
	assert_int_equal(res[0], want);
	assert_int_equal(res[1], want);
	assert_int_equal(res[2], want);
}

static int long_sleep(struct iou_fiber *self, void *arg)
{
	*(int *)arg = iou_sleep(self, 10000 * MS);
	return 0;
}

static int cancel_sleep_main(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;
	int res = 1;
	int64_t t0 = t_now_ns();

	(void)arg;
	FCHECK_EQ(iou_spawn(t_loop, long_sleep, &res, 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, 10 * MS), 0);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	FCHECK_EQ(res, -ECANCELED);
	FCHECK(t_now_ns() - t0 < 2000LL * 1000 * 1000);
	/* A finished fiber cannot be cancelled. */
	return 0;
}

static void test_fiber_cancel_sleep(void **state)
{
	(void)state;
	t_loop_run(cancel_sleep_main, NULL);
}

static int sleep_after_yield(struct iou_fiber *self, void *arg)
{
	iou_yield(self);
	*(int *)arg = iou_sleep(self, 10000 * MS);
	return 0;
}

static int cancel_early_main(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;
	int res = 1;

	(void)arg;
	FCHECK_EQ(iou_spawn(t_loop, sleep_after_yield, &res, 0, &f), 0);
	/* Cancelled before it waits: its next wait ends at once. */
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	FCHECK_EQ(res, -ECANCELED);
	return 0;
}

static void test_fiber_cancel_before_wait(void **state)
{
	(void)state;
	t_loop_run(cancel_early_main, NULL);
}

static int slow(struct iou_fiber *self, void *arg)
{
	(void)arg;
	iou_sleep(self, 30 * MS);
	counter++;
	return 0;
}

struct join_try {
	struct iou_fiber *target;
	int res;
};

static int joiner(struct iou_fiber *self, void *arg)
{
	struct join_try *j = arg;

	j->res = iou_join(self, j->target, NULL);
	return 0;
}

static int join_cancel_main(struct iou_fiber *self, void *arg)
{
	struct join_try jt = { 0, 1 };
	struct iou_fiber *j;

	(void)arg;
	FCHECK_EQ(iou_spawn(t_loop, slow, NULL, 0, &jt.target), 0);
	FCHECK_EQ(iou_spawn(t_loop, joiner, &jt, 0, &j), 0);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	FCHECK_EQ(iou_cancel(j), 0);
	FCHECK_EQ(iou_join(self, j, NULL), 0);
	FCHECK_EQ(jt.res, -ECANCELED);
	/* The target, abandoned by its joiner, still runs to its end. */
	return 0;
}

static void test_fiber_join_cancelled(void **state)
{
	int maps;

	(void)state;
	counter = 0;
	maps = t_count_maps();
	t_loop_run(join_cancel_main, NULL);
	assert_int_equal(counter, 1);
	assert_true(!T_MAPS_COUNTABLE || t_count_maps() <= maps + 2);
}

static int join_errors(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;

	(void)arg;
	FCHECK_EQ(iou_join(self, self, NULL), -EINVAL);
	FCHECK_EQ(iou_spawn(t_loop, ret_arg, NULL, 0, &f), 0);
	iou_detach(f);
	FCHECK_EQ(iou_join(self, f, NULL), -EINVAL);
	FCHECK_EQ(iou_join(self, NULL, NULL), -EINVAL);
	FCHECK(iou_fiber_loop(self) == t_loop);
	return 0;
}

static void test_fiber_join_errors(void **state)
{
	(void)state;
	t_loop_run(join_errors, NULL);
}

/* Joins @arg's fiber, recording the result and the status. */
struct second_join {
	struct iou_fiber *target;
	int ret, status;
};

static int join_it(struct iou_fiber *self, void *arg)
{
	struct second_join *j = arg;

	j->ret = iou_join(self, j->target, &j->status);
	return 0;
}

static int other_loop_fiber(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return 0;
}

/*
 * Handles used wrongly are refused, not followed: a second joiner, a
 * handle already consumed (its stack waits in the pool), a fiber of
 * another loop.
 */
static int stale_handles(struct iou_fiber *self, void *arg)
{
	struct second_join j = { 0, 1, 0 };
	struct iou_fiber *f, *g, *other;
	struct iou_loop *loop2;
	int st = 0;

	(void)arg;
	/* Two joiners: the second one is told -EBUSY, the first joins. */
	FCHECK_EQ(iou_spawn(t_loop, slow, NULL, 0, &f), 0);
	FCHECK_EQ(iou_spawn(t_loop, join_it, &j, 0, &g), 0);
	j.target = f;
	iou_yield(self);	/* g is joining f now */
	FCHECK_EQ(j.ret, 1);
	FCHECK_EQ(iou_join(self, f, &st), -EBUSY);
	FCHECK_EQ(iou_join(self, g, NULL), 0);
	FCHECK_EQ(j.ret, 0);
	FCHECK_EQ(j.status, 0);
	/* f was consumed by g's join: every use of it is refused. */
	FCHECK_EQ(iou_join(self, f, &st), -EINVAL);
	FCHECK_EQ(iou_cancel(f), -EINVAL);
	iou_detach(f);
	/* g too, after our join; and a detached one once it finished. */
	FCHECK_EQ(iou_join(self, g, NULL), -EINVAL);
	FCHECK_EQ(iou_spawn(t_loop, ret_arg, NULL, 0, &f), 0);
	iou_detach(f);
	iou_yield(self);	/* f runs, finishes, frees itself */
	FCHECK_EQ(iou_cancel(f), -EINVAL);
	FCHECK_EQ(iou_join(self, f, NULL), -EINVAL);
	/* A fiber of another loop cannot be joined from this one. */
	FCHECK_EQ(iou_loop_create(&loop2, NULL), 0);
	FCHECK_EQ(iou_spawn(loop2, other_loop_fiber, NULL, 0, &other), 0);
	FCHECK_EQ(iou_join(self, other, NULL), -EINVAL);
	iou_loop_destroy(loop2);
	return 0;
}

static void test_fiber_stale_handles_refused(void **state)
{
	(void)state;
	t_loop_run(stale_handles, NULL);
}

static int timing(struct iou_fiber *self, void *arg)
{
	uint64_t t0 = iou_now(t_loop), t1;

	(void)arg;
	FCHECK_EQ(iou_sleep(self, 30 * MS), 0);
	t1 = iou_now(t_loop);
	FCHECK(t1 - t0 >= 29 * MS);
	FCHECK(t1 - t0 < 1000 * MS);
	FCHECK_EQ(iou_sleep(self, 0), 0);
	return 0;
}

static void test_fiber_sleep_and_now(void **state)
{
	(void)state;
	t_loop_run(timing, NULL);
}

static int spawn_chain(struct iou_fiber *self, void *arg)
{
	long depth = (long)(intptr_t)arg;
	struct iou_fiber *f;
	int st = 0;

	if (!depth)
		return 1;
	FCHECK_EQ(iou_spawn(t_loop, spawn_chain, (void *)(intptr_t)(depth - 1),
			    0, &f),
		  0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	return st + 1;
}

static void test_fiber_nested_spawns(void **state)
{
	(void)state;
	assert_int_equal(t_loop_run(spawn_chain, (void *)(intptr_t)50), 51);
}

static int churn(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;
	int i;

	(void)arg;
	for (i = 0; i < 10000; i++) {
		FCHECK_EQ(iou_spawn(t_loop, ret_arg, NULL, 0, &f), 0);
		FCHECK_EQ(iou_join(self, f, NULL), 0);
	}
	return 0;
}

/* Stacks come back to the pool: 10k fibers in a row need no new maps. */
static void test_fiber_stack_pool_reuse(void **state)
{
	int maps;

	(void)state;
	maps = t_count_maps();
	t_loop_run(churn, NULL);
	assert_true(!T_MAPS_COUNTABLE || t_count_maps() <= maps + 2);
}

static int yield_twice(struct iou_fiber *self, void *arg)
{
	(void)arg;
	iou_yield(self);
	iou_yield(self);
	return 0;
}

static int stats_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats *st = arg, alone;
	struct iou_fiber *f;

	/* Alone, a yield has nobody to switch to: it costs no switch. */
	iou_loop_stats(t_loop, &alone);
	iou_yield(self);
	iou_loop_stats(t_loop, st);
	FCHECK(st->switches <= alone.switches + 2);
	/* With a partner, every yield is a switch. */
	FCHECK_EQ(iou_spawn(t_loop, yield_twice, NULL, 0, &f), 0);
	iou_yield(self);
	iou_yield(self);
	iou_yield(self);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	iou_loop_stats(t_loop, st);
	return 0;
}

static void test_fiber_stats(void **state)
{
	struct iou_loop_stats st;

	(void)state;
	memset(&st, 0, sizeof(st));
	t_loop_run(stats_main, &st);
	assert_int_equal(st.fibers, 2);
	/* The start, then the partner and main alternating. */
	assert_true(st.switches >= 6);
}

static struct iou_chan never;
static int never_buf[1];

static int wait_forever(struct iou_fiber *self, void *arg)
{
	int v;

	(void)arg;
	return iou_chan_recv(self, &never, &v);
}

/* Fibers waiting on nothing that can ever happen: -EDEADLK, no hang. */
static void test_fiber_deadlock_detected(void **state)
{
	struct iou_loop *loop;
	int maps;

	(void)state;
	iou_chan_init(&never, never_buf, sizeof(int), 1);
	if (iou_loop_create(&loop, NULL))
		t_skip("no loop");
	maps = t_count_maps();
	assert_int_equal(iou_spawn(loop, wait_forever, NULL, 0, NULL), 0);
	assert_int_equal(iou_spawn(loop, wait_forever, NULL, 0, NULL), 0);
	assert_int_equal(iou_loop_run(loop), -EDEADLK);
	/* Destroy frees the fibers that never finished. */
	iou_loop_destroy(loop);
	assert_true(!T_MAPS_COUNTABLE || t_count_maps() <= maps);
}

static int stopper(struct iou_fiber *self, void *arg)
{
	int res[2] = { 1, 1 };
	struct iou_fiber *a, *b;

	(void)arg;
	FCHECK_EQ(iou_spawn(t_loop, long_sleep, &res[0], 0, &a), 0);
	FCHECK_EQ(iou_spawn(t_loop, long_sleep, &res[1], 0, &b), 0);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	iou_loop_stop(t_loop);
	/* Waits of the stopping loop end at once... */
	FCHECK_EQ(iou_join(self, a, NULL), -ECANCELED);
	/* ...and new ops fail. */
	FCHECK_EQ(iou_sleep(self, MS), -ECANCELED);
	FCHECK_EQ(iou_spawn(t_loop, ret_arg, NULL, 0, NULL), -ECANCELED);
	(void)b;
	return 0;
}

static void test_fiber_stop_cancels_everything(void **state)
{
	int64_t t0 = t_now_ns();

	(void)state;
	t_loop_run(stopper, NULL);
	assert_true(t_now_ns() - t0 < 2000LL * 1000 * 1000);
}

struct post_ctx {
	struct iou_loop *loop;
	struct iou_post post;
	int ran;
};

static int spawned_by_post(struct iou_fiber *self, void *arg)
{
	struct post_ctx *c = arg;

	(void)self;
	c->ran++;
	iou_loop_stop(c->loop);
	return 0;
}

static void posted(struct iou_loop *loop, void *arg)
{
	iou_spawn(loop, spawned_by_post, arg, 0, NULL);
}

static void *poster(void *arg)
{
	struct post_ctx *c = arg;

	usleep(20000);
	c->post.fn = posted;
	c->post.arg = c;
	iou_loop_post(c->loop, &c->post);
	return NULL;
}

/* A fiberless loop kept alive, woken by another thread's post. */
static void test_fiber_keep_alive_post_from_thread(void **state)
{
	struct iou_loop_opts o = { .flags = IOU_LOOP_KEEP_ALIVE };
	struct post_ctx c = { 0 };
	pthread_t th;

	(void)state;
	if (iou_loop_create(&c.loop, &o))
		t_skip("no loop");
	assert_int_equal(iou_loop_backend(c.loop), t_backend());
	assert_int_equal(pthread_create(&th, NULL, poster, &c), 0);
	assert_int_equal(iou_loop_run(c.loop), 0);
	pthread_join(th, NULL);
	assert_int_equal(c.ran, 1);
	iou_loop_destroy(c.loop);
}

struct flood {
	struct iou_loop *loop;
	struct iou_post posts[1000];
};

static int flood_total;

static void count_post(struct iou_loop *loop, void *arg)
{
	(void)arg;
	/* Posts run on the loop's thread: no atomics needed here. */
	if (++flood_total == 4000)
		iou_loop_stop(loop);
}

static void *flood_thread(void *arg)
{
	struct flood *f = arg;
	int i;

	for (i = 0; i < 1000; i++) {
		f->posts[i].fn = count_post;
		f->posts[i].arg = f;
		iou_loop_post(f->loop, &f->posts[i]);
	}
	return NULL;
}

/* Four threads post 1000 each while the loop runs: each runs once. */
static void test_fiber_posts_from_many_threads(void **state)
{
	struct iou_loop_opts o = { .flags = IOU_LOOP_KEEP_ALIVE };
	static struct flood fl[4];
	struct iou_loop *loop;
	pthread_t th[4];
	int i;

	(void)state;
	if (iou_loop_create(&loop, &o))
		t_skip("no loop");
	flood_total = 0;
	for (i = 0; i < 4; i++) {
		fl[i].loop = loop;
		assert_int_equal(pthread_create(&th[i], NULL, flood_thread,
						&fl[i]),
				 0);
	}
	assert_int_equal(iou_loop_run(loop), 0);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(flood_total, 4000);
	iou_loop_destroy(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_fiber_spawn_join_status),
		T_TEST(test_fiber_detached_run),
		T_TEST(test_fiber_yield_round_robin),
		T_TEST(test_fiber_many_concurrent_sleeps),
		T_TEST(test_fiber_stack_size),
		T_TEST(test_fiber_stack_overflow_hits_guard),
		T_TEST(test_fiber_fp_control_state_is_per_fiber),
		T_TEST(test_fiber_registers_survive_switches),
		T_TEST(test_fiber_cancel_sleep),
		T_TEST(test_fiber_cancel_before_wait),
		T_TEST(test_fiber_join_cancelled),
		T_TEST(test_fiber_join_errors),
		T_TEST(test_fiber_stale_handles_refused),
		T_TEST(test_fiber_sleep_and_now),
		T_TEST(test_fiber_nested_spawns),
		T_TEST(test_fiber_stack_pool_reuse),
		T_TEST(test_fiber_stats),
		T_TEST(test_fiber_deadlock_detected),
		T_TEST(test_fiber_stop_cancels_everything),
		T_TEST(test_fiber_keep_alive_post_from_thread),
		T_TEST(test_fiber_posts_from_many_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
