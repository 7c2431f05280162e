/* SPDX-License-Identifier: MIT */
/*
 * test_compat_prep_bytes, the reference side: the calls of calls.h and
 * probes.h through the system's liburing.h (2.3 on Debian 12), whose
 * path CMake found (IOU_REAL_LIBURING_H).  Its helpers are static inline:
 * nothing of liburing is linked.  Never include our <liburing.h> here.
 */
#include IOU_REAL_LIBURING_H

#include <stdint.h>
#include <string.h>

#define CALL(name, ...)                                                        \
	void real_##name(struct io_uring_sqe *sqe);                            \
	void real_##name(struct io_uring_sqe *sqe)                             \
	{                                                                      \
		__VA_ARGS__;                                                   \
	}
#define CALL_ALLOC CALL
#include "calls.h"

#define PROBE(name) real_##name
#include "probes.h"
