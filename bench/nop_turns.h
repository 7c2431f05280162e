/* SPDX-License-Identifier: MIT */
/* nop-turns: the liburing half, compiled apart from iou's headers. */
#ifndef IOU_BENCH_NOP_TURNS_H
#define IOU_BENCH_NOP_TURNS_H

/* A ring of @entries with setup @flags (and its fd registered): 0 or < 0. */
int lu_open(unsigned entries, unsigned flags, int regfd);
/* @ops NOPs, @batch per submit_and_wait: 0, or the -errno of a submit. */
int lu_slice(unsigned batch, long ops);
void lu_close(void);

#endif
