/* SPDX-License-Identifier: MIT */
/*
 * Functions posted to a loop from other threads.  The method and the
 * shared plumbing: loop_sync.h.
 */
#include "loop_sync.h"

#include "loop/internal.h"	/* where the post list is, for a watchpoint */

#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

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
 *
 * A watchpoint that opens need not fire: on some virtual machines the
 * debug registers are not passed through, and perf_event_open succeeds
 * all the same, and an emulator may trap a plain store but not a locked
 * read-modify-write.  So the poster first watches a dummy word, writes
 * it once the way iou_loop_post() pushes (a compare-and-swap) and checks
 * that exactly one trap came; if not, the test skips.  (On aarch64 a
 * CAS of load-/store-exclusive instructions retries its store after
 * each trap, and a watchpoint on it never lets it finish.)  Under TCG
 * a watchpoint can also miss now and then; a race run whose push was
 * not trapped forced nothing, so it skips too (and says so), while a
 * lost wake-up after a trapped push fails.
 */
static int race_ran, trapped;
static volatile int probing, probe_trapped;	/* the probe write's trap */
static volatile int probe_fd = -1;
static int no_bp;			/* errno of a failed open */
static int bp_silent;			/* opened, but not one trap a write */
static long bp_dummy;
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
	if (probing) {
		/*
		 * A CAS made of load-/store-exclusive (aarch64 without LSE)
		 * fails its store after every trap and retries it, trapping
		 * again: after the second trap, let it through.
		 */
		if (++probe_trapped > 1)
			ioctl(probe_fd, PERF_EVENT_IOC_DISABLE, 0);
		return;
	}
	trapped++;
	wait_flag(&race_ran);	/* between the poster's push and its wake */
}

/* A write watchpoint on @addr for the calling thread; -errno on failure. */
static int watch_writes(const void *addr)
{
	struct perf_event_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_BREAKPOINT;
	a.size = sizeof(a);
	a.bp_type = HW_BREAKPOINT_W;
	a.bp_addr = (uintptr_t)addr;
	a.bp_len = HW_BREAKPOINT_LEN_8;
	a.sample_period = 1;
	a.sigtrap = 1;
	a.remove_on_exec = 1;
	a.exclude_kernel = 1;
	a.exclude_hv = 1;
	fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
			  PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* 1 if a watchpoint on this thread fires on a CAS, else 0. */
static int watchpoint_fires(void)
{
	long old = 0;
	int fd;

	bp_dummy = 0;
	fd = watch_writes(&bp_dummy);
	if (fd < 0) {
		no_bp = -fd;
		return 0;
	}
	probe_fd = fd;
	probing = 1;
	__atomic_compare_exchange_n(&bp_dummy, &old, 1, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	close(fd);	/* no trap comes after this */
	probing = 0;
	if (probe_trapped != 1) {
		bp_silent = 1;
		return 0;
	}
	return 1;
}

static void *race_poster(void *arg)
{
	int fd;

	if (!watchpoint_fires() || (fd = watch_writes(&t_loop->posts)) < 0) {
		if (!no_bp && !bp_silent)
			no_bp = EIO;
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
	race_ran = trapped = probe_trapped = probing = 0;
	no_bp = bp_silent = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	FCHECK_EQ(sigaction(SIGTRAP, &sa, &old), 0);
	/* Busy till race_fn ran: the loop goes over its post list often. */
	ret = sleep_until_posted(self, race_poster, &race_ran, 300 * MS);
	sigaction(SIGTRAP, &old, NULL);
	if (no_bp || bp_silent || trapped == 0)
		return ret;
	FCHECK_EQ(trapped, 1);
	return ret;
}

static void test_loop_sync_post_wake_not_lost_after_race(void **state)
{
	(void)state;
	t_sync_run(race_main);
	if (bp_silent)
		t_skip("a perf write watchpoint opens here but does not fire "
		       "as one trap per write (%d traps on a probe CAS)",
		       probe_trapped);
	if (no_bp)
		t_skip("no perf write watchpoint here (%s)", strerror(no_bp));
	if (trapped == 0)
		t_skip("the watchpoint on the post list did not fire this time: "
		       "the race was not forced");
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

static int long_sleep_res;

static int long_sleep(struct iou_fiber *self, void *arg)
{
	(void)arg;
	long_sleep_res = iou_sleep(self, 10000 * MS);
	return 0;
}

/*
 * A post that stops the loop, made from another thread while the only
 * fiber sleeps for 10 s: the loop wakes at once, the sleep ends with
 * -ECANCELED, and iou_loop_run() returns 0.
 */
static void test_loop_sync_post_stop_from_post_wakes_sleeping_loop(void **state)
{
	struct iou_loop *loop;
	pthread_t t;

	(void)state;
	long_sleep_res = 1;
	assert_int_equal(iou_loop_create(&loop, NULL), 0);
	assert_int_equal(iou_spawn(loop, long_sleep, NULL, 0, NULL), 0);
	assert_int_equal(pthread_create(&t, NULL, post_later, loop), 0);
	assert_int_equal(iou_loop_run(loop), 0);
	pthread_join(t, NULL);
	iou_loop_destroy(loop);
	/* Woken within a moment of the post, not at the sleep's end. */
	assert_true(ran_at >= posted_at);
	assert_true(ran_at - posted_at < 1000 * (uint64_t)MS);
	assert_int_equal(long_sleep_res, -ECANCELED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_sync_post_two_threads_each_once_on_loop_thread),
		T_TEST(test_loop_sync_post_spawns_fiber_and_stops),
		T_TEST(test_loop_sync_post_wakes_long_sleep_promptly),
		T_TEST(test_loop_sync_post_wake_not_lost_after_race),
		T_TEST(test_loop_sync_post_stop_from_post_wakes_sleeping_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
