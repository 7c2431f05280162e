/* SPDX-License-Identifier: MIT */
/*
 * Memory ordering for memory shared with the kernel, and between the
 * threads that post to a loop: the one header where barriers live.
 * Installed only because the inline fast paths of ring.h use it; it is not
 * an API of its own.
 *
 * Built on the compiler's __atomic builtins (C11 memory model), so it needs
 * no libc and emits no calls.  Every use names the side it pairs with.
 */
#ifndef IOU_BARRIER_H
#define IOU_BARRIER_H

/* Read a kernel-written index; later reads of the data it covers stay after. */
#define iou_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)

/* Publish an index; earlier writes of the data it covers become visible first. */
#define iou_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* A plain once-only read of shared memory (no ordering, no tearing). */
#define iou_load_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)

/* A plain once-only write of shared memory. */
#define iou_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

/*
 * Full fence: orders an earlier store against a later load.  Needed between
 * publishing the SQ tail and reading IORING_SQ_NEED_WAKEUP, pairing with
 * the SQPOLL thread's set-flag / full-barrier / re-check-tail sequence.
 */
#define iou_smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Swap in @v and return the old value; later reads stay after. */
#define iou_xchg_acquire(p, v) __atomic_exchange_n((p), (v), __ATOMIC_ACQUIRE)

/* Swap in @v and return the old value, with no ordering of its own. */
#define iou_xchg_relaxed(p, v) __atomic_exchange_n((p), (v), __ATOMIC_RELAXED)

/*
 * If *@p still holds *@expected, store @v there (earlier writes become
 * visible first) and return 1; else load *@p into *@expected and return 0.
 * May fail spuriously: use it in a loop.
 */
#define iou_cas_release(p, expected, v)                                        \
	__atomic_compare_exchange_n((p), (expected), (v), 1, __ATOMIC_RELEASE, \
				    __ATOMIC_RELAXED)

#endif
