/* SPDX-License-Identifier: MIT */
/*
 * A stop while fibers are blocked on each primitive.  The method and the
 * shared plumbing: loop_sync.h.
 */
#include "loop_sync.h"

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
		T_TEST(test_loop_sync_stop_cancels_blocked_fibers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
