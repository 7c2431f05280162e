/* SPDX-License-Identifier: MIT */
/*
 * A loop whose ring is corrupted must return, not hang: a CQ tail
 * corrupted in shared memory while fibers wait ends the run with
 * -EUCLEAN.  The method (a forked child, its fds and mappings checked):
 * loop_fail.h.  Enter calls that fail: test_fault_loop.c.
 */
#include "loop_fail.h"

#include "loop/internal.h"	/* the loop's ring, to corrupt it */

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#define MS (1000ULL * 1000ULL)

/* Give the others time to park in the kernel, then break the CQ. */
static int corrupter(struct iou_fiber *self, void *arg)
{
	struct t_fail_world *w = arg;
	struct iou_ring *ring = iou__loop_ring(t_loop);

	iou_sleep(self, 20 * MS);
	__atomic_store_n(ring->cq.ktail, *ring->cq.khead + 100000,
			 __ATOMIC_RELEASE);
	w->finished++;
	return 0;
}

/*
 * No ticker here: a CQE the kernel posts rewrites the CQ tail, and would
 * repair a corruption before the loop reads it.
 */
static void spawn_corrupter(struct t_fail_world *w, unsigned nth, int err)
{
	(void)nth;
	(void)err;
	CHILD_CHECK(iou_spawn(t_loop, corrupter, w, 0, NULL) == 0);
}

static const struct t_fail_how corrupt = { spawn_corrupter, NULL };

static void test_loop_fail_corrupt_cq_tail_ends_the_run(void **state)
{
	(void)state;
	T_NEED_URING();
	t_fail_case(&corrupt, 0, -EUCLEAN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_fail_corrupt_cq_tail_ends_the_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
