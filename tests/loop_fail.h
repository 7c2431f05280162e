/* SPDX-License-Identifier: MIT */
/*
 * Shared by test_loop_fail.c and test_fault_loop.c: a loop whose backend
 * fails must return, not hang.  In a forked child under an alarm, fibers
 * wait in every way (a receive stream with a timeout, a recv that never
 * comes, a long sleep, a channel); the suite then breaks the backend
 * (an enter that fails, a corrupted CQ tail) and iou_loop_run() must
 * return that error within 5 s, the loop be destroyed, and the child's
 * fds and mappings be back where they were.  The parent sees a hang as
 * SIGALRM and a crash as a signal.
 */
#ifndef IOU_TEST_LOOP_FAIL_H
#define IOU_TEST_LOOP_FAIL_H

#include "looputil.h"

#define NO_URING 77	/* a child's exit code: no io_uring here */

struct t_fail_world {
	int sv[2], sv2[2];
	int recv_res, sleep_res, wait_res, stream_res;
	int finished;
	struct iou_chan chan;
	void *slot[1];
};

/*
 * What breaks the loop, in the child: @start(w, nth, err) once the
 * waiters are spawned, before the run (spawn a fiber, arm a fault);
 * @after() right after the run (disarm).  With @nth non-zero, a fifth
 * fiber must have been spawned, and every fiber must end with an error.
 */
struct t_fail_how {
	void (*start)(struct t_fail_world *w, unsigned nth, int err);
	void (*after)(void);
};

/*
 * Fork; in the child, run the loop broken as @how says; expect @err from
 * iou_loop_run().  Fails the test on a hang, a crash or a failed check;
 * skips where io_uring is refused.
 */
void t_fail_case(const struct t_fail_how *how, unsigned nth, int err);

#endif
