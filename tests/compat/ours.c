/* SPDX-License-Identifier: MIT */
/*
 * test_compat_prep_bytes, our side: the calls of calls.h and probes.h
 * through iou's <liburing.h> (include/iou-liburing).  Never include the
 * system's liburing.h here.
 */
#include <liburing.h>

#include <stdint.h>
#include <string.h>

#define CALL(name, ...)                                                        \
	void ours_##name(struct io_uring_sqe *sqe);                            \
	void ours_##name(struct io_uring_sqe *sqe)                             \
	{                                                                      \
		__VA_ARGS__;                                                   \
	}
#define CALL_ALLOC CALL
#include "calls.h"

#define PROBE(name) ours_##name
#include "probes.h"
