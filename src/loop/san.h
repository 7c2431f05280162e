/* SPDX-License-Identifier: MIT */
/*
 * What the sanitizers must be told about fibers, in one place.  A plain
 * build compiles all of it away (the library then needs nothing from a
 * sanitizer runtime, or from anyone).
 *
 * - AddressSanitizer: the stack being switched to (its bounds, and a
 *   fake stack per fiber for detect_stack_use_after_return), so that it
 *   does not take a fiber stack for a stack overflow.
 * - ThreadSanitizer: each fiber is a TSan fiber, and each switch says
 *   which one runs next, so that what one fiber did happens-before what
 *   the next one does on the same thread (otherwise every fiber handoff
 *   of loop state looks like a race to it).
 *
 * - Valgrind (IOU_VALGRIND): each fiber stack is registered, so that
 *   memcheck takes a switch for a switch and not for a huge frame, and
 *   what the kernel wrote into a buffer behind its back (a read or
 *   receive that completed through the ring) is marked defined.
 *
 * The switch functions are called right around iou__ctx_switch(): start
 * just before it, finish just after it returns, on the fiber that was
 * switched away from and now runs again.
 */
#ifndef IOU_SRC_LOOP_SAN_H
#define IOU_SRC_LOOP_SAN_H

#include "internal.h"

#ifdef IOU_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
				    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
				     const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#endif
#ifdef IOU_VALGRIND
/* Client requests: inline code, no library; no-ops outside valgrind. */
#include <valgrind/memcheck.h>
#endif
#ifdef IOU_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

/* A fiber stack is mapped: @lo..@hi is where its frames may go. */
static inline void iou__san_stack_new(struct iou__stack *s, void *lo,
				      void *hi)
{
#ifdef IOU_VALGRIND
	s->vg_id = VALGRIND_STACK_REGISTER(lo, hi);
#else
	(void)s;
	(void)lo;
	(void)hi;
#endif
}

/* A fiber stack is about to be unmapped. */
static inline void iou__san_stack_free(const struct iou__stack *s)
{
#ifdef IOU_ASAN
	/* Frames left poisoned must not outlive the mapping. */
	__asan_unpoison_memory_region((char *)s->map + s->guard_size,
				      s->map_size - s->guard_size);
#endif
#ifdef IOU_VALGRIND
	VALGRIND_STACK_DEREGISTER(s->vg_id);
#endif
	(void)s;
}

/* The kernel wrote @len bytes at @p (a completed read or receive). */
static inline void iou__san_kernel_wrote(const void *p, long len)
{
#ifdef IOU_VALGRIND
	if (p && len > 0)
		(void)VALGRIND_MAKE_MEM_DEFINED(p, len);
#else
	(void)p;
	(void)len;
#endif
}

/*
 * May the loop block in io_uring_enter(2)?  Valgrind (3.19 at least) does
 * not count the call among those that block, and holds its lock over it:
 * no other thread of the program runs until it returns, and one that
 * would wake the loop never does.  Under valgrind the loop waits in
 * short slices instead.
 */
static inline int iou__san_enter_may_block(void)
{
#ifdef IOU_VALGRIND
	return !RUNNING_ON_VALGRIND;
#else
	return 1;
#endif
}

/* A fiber is set up to run (spawn). */
static inline void iou__san_fiber_new(struct iou_fiber *f)
{
#ifdef IOU_TSAN
	f->tsan_fiber = __tsan_create_fiber(0);
#else
	(void)f;
#endif
}

/* A finished fiber's stack is let go (never the running one). */
static inline void iou__san_fiber_gone(struct iou_fiber *f)
{
#ifdef IOU_TSAN
	if (f->tsan_fiber)
		__tsan_destroy_fiber(f->tsan_fiber);
	f->tsan_fiber = 0;
#else
	(void)f;
#endif
}

/* The loop starts running on this thread's own stack. */
static inline void iou__san_loop_enter(struct iou_loop *loop)
{
#ifdef IOU_TSAN
	loop->tsan_sched = __tsan_get_current_fiber();
#else
	(void)loop;
#endif
}

/*
 * About to leave @from (0: the scheduler) for @to (0: the scheduler);
 * @exiting: @from has finished and never runs again.
 */
static inline void iou__san_switch_start(struct iou_loop *loop,
					 struct iou_fiber *from,
					 struct iou_fiber *to, int exiting)
{
#ifdef IOU_ASAN
	void **save = from && !exiting ? &from->asan_fake_stack :
		      from		   ? 0 :
					     &loop->sched_fake_stack;
	const char *bottom = to ? iou__stack_bottom(to) :
				  (const char *)loop->sched_stack_bottom;
	size_t size = to ? (size_t)((char *)iou__stack_top(to) - bottom) :
			   loop->sched_stack_size;

	__sanitizer_start_switch_fiber(save, bottom, size);
#endif
#ifdef IOU_TSAN
	__tsan_switch_to_fiber(to ? to->tsan_fiber : loop->tsan_sched, 0);
#endif
	(void)loop;
	(void)from;
	(void)to;
	(void)exiting;
}

/* Back on @self (0: the scheduler) after a switch. */
static inline void iou__san_switch_finish(struct iou_loop *loop,
					  struct iou_fiber *self)
{
#ifdef IOU_ASAN
	__sanitizer_finish_switch_fiber(self ? self->asan_fake_stack :
					       loop->sched_fake_stack,
					0, 0);
#endif
	(void)loop;
	(void)self;
}

/*
 * First thing on a new fiber's stack: the switch that started it ends
 * here.  The first fiber is entered from the scheduler, so the stack it
 * left is the thread's own: ASan's bounds of it are recorded for the
 * switches back.  (Later fibers may be entered from another fiber.)
 */
static inline void iou__san_fiber_entry(struct iou_fiber *f)
{
#ifdef IOU_ASAN
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(0, &bottom, &size);
	if (!f->loop->sched_stack_bottom) {
		f->loop->sched_stack_bottom = (void *)bottom;
		f->loop->sched_stack_size = size;
	}
#endif
	(void)f;
}

#endif
