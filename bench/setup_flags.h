/* SPDX-License-Identifier: MIT */
/*
 * --flags f1,f2 of the NOP and random-read programs: the same names give
 * both libraries the same IORING_SETUP_* flags.  Include after a header
 * that defines them (iou's or liburing's).
 */
#ifndef IOU_BENCH_SETUP_FLAGS_H
#define IOU_BENCH_SETUP_FLAGS_H

#include <string.h>

static inline unsigned setup_flags(const char *s)
{
	unsigned f = 0;

	if (strstr(s, "single_issuer"))
		f |= IORING_SETUP_SINGLE_ISSUER;
	if (strstr(s, "defer_taskrun"))
		f |= IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER;
	if (strstr(s, "coop_taskrun"))
		f |= IORING_SETUP_COOP_TASKRUN;
	if (strstr(s, "sqpoll"))
		f |= IORING_SETUP_SQPOLL;
	return f;
}

#endif
