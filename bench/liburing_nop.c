/* SPDX-License-Identifier: MIT */
/*
 * Baseline: the NOP loop of iou-bench nop, written with liburing (the
 * library iou is compared against; never linked into iou).  Built twice:
 * liburing-nop against liburing, liburing-nop-iou against iou's liburing
 * layer (impl=iou-liburing in its output).
 *
 *   liburing-nop --batch B --ops N [--flags f1,f2] [--regfd]
 */
#include <liburing.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opt.h"
#include "setup_flags.h"

#ifdef IOU_LIBURING_H
#define IMPL "iou-liburing"
#else
#define IMPL "liburing"
#endif

int main(int argc, char **argv)
{
	unsigned batch = (unsigned)atoi(opt(argc, argv, "--batch", "1"));
	long ops = atol(opt(argc, argv, "--ops", "1000000")), done = 0;
	const char *fl = opt(argc, argv, "--flags", "");
	unsigned flags, i, head, n, entries = batch < 8 ? 8 : batch;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct timespec a, b;
	uint64_t t;
	int ret, regfd = 0;

	for (i = 1; i < (unsigned)argc; i++)
		if (!strcmp(argv[i], "--regfd"))
			regfd = 1;
	flags = setup_flags(fl);
	ret = io_uring_queue_init(entries, &ring, flags);
	if (ret) {
		fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-ret));
		return 1;
	}
	if (regfd)
		io_uring_register_ring_fd(&ring);
	clock_gettime(CLOCK_MONOTONIC, &a);
	while (done < ops) {
		for (i = 0; i < batch; i++)
			io_uring_prep_nop(io_uring_get_sqe(&ring));
		ret = io_uring_submit_and_wait(&ring, batch);
		if (ret < 0) {
			fprintf(stderr, "submit: %s\n", strerror(-ret));
			return 1;
		}
		n = 0;
		io_uring_for_each_cqe(&ring, head, cqe)
			n++;
		io_uring_cq_advance(&ring, n);
		done += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	t = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ULL +
	    (uint64_t)(b.tv_nsec - a.tv_nsec);
	printf("bench=nop impl=%s batch=%u flags=%s regfd=%d ops=%ld "
	       "ns=%llu ops_per_sec=%.0f\n",
	       IMPL, batch, *fl ? fl : "none", regfd, done, (unsigned long long)t,
	       (double)done * 1e9 / (double)t);
	io_uring_queue_exit(&ring);
	return 0;
}
