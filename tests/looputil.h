/* SPDX-License-Identifier: MIT */
/*
 * Running loop tests: a fiber cannot use cmocka's asserts (they longjmp
 * across stacks), so checks inside fibers record the first failure, stop
 * the loop and return; t_loop_run() then fails the test on the main stack.
 * The backend comes from IOU_BACKEND (ctest runs every loop test binary
 * once per backend).
 */
#ifndef IOU_LOOPUTIL_H
#define IOU_LOOPUTIL_H

#include "testutil.h"

#include <iou/loop.h>

extern struct iou_loop *t_loop;

void t_fiber_fail(const char *file, int line, const char *what, long long got,
		  long long want);

#define FCHECK(cond)                                                           \
	do {                                                                   \
		if (!(cond)) {                                                 \
			t_fiber_fail(__FILE__, __LINE__, #cond, 0, 0);         \
			return -1;                                             \
		}                                                              \
	} while (0)

#define FCHECK_EQ(a, b)                                                        \
	do {                                                                   \
		long long fa_ = (long long)(a), fb_ = (long long)(b);          \
		if (fa_ != fb_) {                                              \
			t_fiber_fail(__FILE__, __LINE__, #a " == " #b, fa_,    \
				     fb_);                                     \
			return -1;                                             \
		}                                                              \
	} while (0)

/*
 * Create a loop (backend from IOU_BACKEND), run @fn(arg) in a fiber until
 * the loop ends, destroy it; fails the test on any recorded failure or a
 * run error.  Returns the main fiber's exit status.
 */
int t_loop_run(iou_fiber_fn fn, void *arg);
int t_loop_run_opts(iou_fiber_fn fn, void *arg, const struct iou_loop_opts *o);

/* The backend the environment asks for (IOU_BACKEND_URING by default). */
int t_backend(void);

/* Skip unless the loops of this run use io_uring. */
#define T_NEED_URING()                                                         \
	do {                                                                   \
		if (t_backend() != IOU_BACKEND_URING)                          \
			t_skip("io_uring backend only: this run is on epoll"); \
	} while (0)

/* A fiber that recurses (1 KiB a frame) until its stack overflows. */
int t_fiber_recurse(struct iou_fiber *self, void *arg);

/* A connected TCP pair on loopback; a listener on 127.0.0.1:any. */
void t_tcp_pair(int sv[2]);
int t_listener(unsigned short *port);
int t_connect_port(unsigned short port);

#endif
