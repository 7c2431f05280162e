/* SPDX-License-Identifier: MIT */
/* liburing's names for the orderings the ring needs (<iou/barrier.h>). */
#ifndef LIBURING_BARRIER_H
#define LIBURING_BARRIER_H

#include <iou/barrier.h>

#define IO_URING_WRITE_ONCE(var, val) iou_store_relaxed(&(var), (val))
#define IO_URING_READ_ONCE(var) iou_load_relaxed(&(var))
#define io_uring_smp_store_release(p, v) iou_store_release((p), (v))
#define io_uring_smp_load_acquire(p) iou_load_acquire(p)
#define io_uring_smp_mb() iou_smp_mb()

#endif
