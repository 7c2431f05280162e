/* SPDX-License-Identifier: MIT */
/*
 * NOP throughput of iou and liburing in one process, in turns:
 *
 *   nop-turns --batch B --ops N [--slice S] [--flags f1,f2] [--no-regfd]
 *   -> bench=nop_turns ... ops_per_sec_iou=X ops_per_sec_liburing=Y
 *      ratio=X/Y
 *
 * Each side runs the loop of iou-bench nop / liburing-nop (B NOPs, one
 * submit-and-wait for all of them, reap, repeat) on a ring of its own, S
 * NOPs a turn, in the order A B B A A B ..., until each has done N; a
 * side's rate is its NOPs over the sum of its turns.  Why: this VM's speed
 * drifts by several per cent within a second or two, and two programs run
 * one after the other meet different speeds (per round, iou-bench nop
 * against liburing-nop ranged from 0.88 to 1.07 in one --quick run).  In
 * turns of a few milliseconds both meet the same drift, as the echo
 * servers do in echo-client-uring.  Both rings stay open all along.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <iou/prep.h>
#include <iou/register.h>
#include <iou/ring.h>

#include "nop_turns.h"
#include "opt.h"
#include "setup_flags.h"

static struct iou_ring ring;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The loop of iou-bench nop. */
__attribute__((noinline)) static int iou_slice(unsigned batch, long ops)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned i, head, n;
	long done = 0;
	int ret;

	while (done < ops) {
		for (i = 0; i < batch; i++) {
			sqe = iou_get_sqe(&ring);
			iou_prep_nop(sqe);
		}
		ret = iou_submit_and_wait(&ring, batch);
		if (ret < 0)
			return ret;
		n = 0;
		iou_for_each_cqe(&ring, head, cqe)
			n++;
		iou_cq_advance(&ring, n);
		done += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned batch = (unsigned)atoi(opt(argc, argv, "--batch", "1"));
	long ops = atol(opt(argc, argv, "--ops", "1000000"));
	long slice = atol(opt(argc, argv, "--slice", "20000"));
	const char *fl = opt(argc, argv, "--flags", "");
	unsigned flags = setup_flags(fl), entries = batch < 8 ? 8 : batch;
	uint64_t ns[2] = { 0, 0 }, t;
	long left, part, total = 0;
	int regfd = 1, turn, side, ret, i;

	for (i = 1; i < argc; i++)
		regfd &= !!strcmp(argv[i], "--no-regfd");
	if (!batch || batch > 4096 || ops < 1 || slice < 1) {
		fprintf(stderr, "usage: nop-turns --batch 1..4096 --ops N "
			"[--slice S] [--flags f1,f2] [--no-regfd]\n");
		return 2;
	}
	/* Whole batches, so that both sides do exactly the same work. */
	slice = (slice + batch - 1) / batch * batch;
	ret = iou_ring_init(&ring, entries, flags);
	if (ret) {
		fprintf(stderr, "iou_ring_init: %s\n", strerror(-ret));
		return 1;
	}
	if (regfd && iou_register_ring_fd(&ring) < 0) {
		fprintf(stderr, "iou_register_ring_fd failed\n");
		return 1;
	}
	ret = lu_open(entries, flags, regfd);
	if (ret) {
		fprintf(stderr, "liburing setup: %d\n", ret);
		return 1;
	}
	/* A slice each unmeasured: page faults, first enters. */
	if (iou_slice(batch, slice) || lu_slice(batch, slice))
		return 1;
	for (left = ops, turn = 0; left > 0; left -= part, turn++) {
		part = left < slice ? (left + batch - 1) / batch * batch
				    : slice;
		for (i = 0; i < 2; i++) {
			side = i ^ (turn & 1);	/* A B, B A, A B, ... */
			t = now_ns();
			ret = side ? lu_slice(batch, part)
				   : iou_slice(batch, part);
			if (ret) {
				fprintf(stderr, "submit: %s\n", strerror(-ret));
				return 1;
			}
			ns[side] += now_ns() - t;
		}
		total += part;
	}
	printf("bench=nop_turns batch=%u flags=%s regfd=%d ops=%ld slice=%ld "
	       "turns=%d ops_per_sec_iou=%.0f ops_per_sec_liburing=%.0f "
	       "ratio=%.4f\n",
	       batch, *fl ? fl : "none", regfd, total, slice, turn,
	       (double)total * 1e9 / (double)ns[0],
	       (double)total * 1e9 / (double)ns[1],
	       (double)ns[1] / (double)ns[0]);
	lu_close();
	iou_ring_exit(&ring);
	return 0;
}
