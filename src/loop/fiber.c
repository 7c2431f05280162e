/* SPDX-License-Identifier: MIT */
/*
 * Fibers: spawn, join, detach, yield and cancel, the run queue, and the
 * switches between fibers and the scheduler (the thread's own stack).
 * Their stacks live in stack.c, the context switch in sys/<arch>/.
 */
#include "internal.h"
#include "san.h"

/* A handle from iou_spawn() that has not been consumed. */
static int handle_ok(const struct iou_fiber *f)
{
	return f && f->magic == IOU__FIBER_MAGIC;
}

/* A finished fiber leaves the loop's list; its stack goes back (stack.c). */
static void stack_release(struct iou_loop *loop, struct iou_fiber *f)
{
	f->magic = 0;
	if (f->all_prev)
		f->all_prev->all_next = f->all_next;
	else
		loop->all = f->all_next;
	if (f->all_next)
		f->all_next->all_prev = f->all_prev;
	iou__stack_put(loop, f);
}

/*
 * Switching.  The scheduler runs on the thread's own stack.  A fiber that
 * waits or yields while another is runnable switches straight to it (one
 * switch, not two through the scheduler); every HANDOFF_MAX such switches
 * the scheduler gets a turn, to submit, reap and run posts.
 */
#define HANDOFF_MAX 64

static void to_fiber(struct iou_loop *loop, struct iou_fiber *f)
{
	iou__san_switch_start(loop, 0, f, 0);
	loop->current = f;
	loop->handoffs = HANDOFF_MAX;
	loop->stats.switches++;
	iou__ctx_switch(&loop->sched, &f->ctx);
	loop->current = 0;
	iou__san_switch_finish(loop, 0);
}

/* Take the first runnable fiber off the run queue (it must not be empty). */
static struct iou_fiber *runq_pop(struct iou_loop *loop)
{
	struct iou_fiber *f = loop->runq_head;

	loop->runq_head = f->qnext;
	if (!loop->runq_head)
		loop->runq_tail = 0;
	f->qnext = 0;
	return f;
}

/* Hand the CPU from @f (waiting or yielding) to the runnable @next. */
static void fiber_to_fiber(struct iou_loop *loop, struct iou_fiber *f,
			   struct iou_fiber *next)
{
	iou__san_switch_start(loop, f, next, 0);
	loop->current = next;
	loop->stats.switches++;
	iou__ctx_switch(&f->ctx, &next->ctx);
	iou__san_switch_finish(loop, f);
}

static void to_sched(struct iou_fiber *f, int exiting)
{
	struct iou_loop *loop = f->loop;
	struct iou_fiber *next = loop->runq_head;

	if (!exiting && next && loop->handoffs) {
		loop->handoffs--;
		runq_pop(loop);
		if (next != f)
			fiber_to_fiber(loop, f, next);
		return;
	}

	iou__san_switch_start(loop, f, 0, exiting);
	loop->stats.switches++;
	iou__ctx_switch(&f->ctx, &loop->sched);
	iou__san_switch_finish(loop, f);
}

/*
 * A fiber made runnable by a CQE runs only after the rest of the batch is
 * reaped: start loading what its switch-in touches, the saved registers at
 * ctx.sp and the frames above them, which are cold when a thousand fibers
 * take turns (bench/run: echo_vs_epoll, 1000 connections).  A prefetch
 * never faults, so running past the top of a shallow stack is harmless.
 */
static inline void prefetch_frames(const struct iou_fiber *f)
{
	uintptr_t sp = (uintptr_t)f->ctx.sp;
	unsigned i;

	for (i = 0; i < 8; i++)
		__builtin_prefetch((const void *)(sp + i * 64));
}

void iou__fiber_make_runnable(struct iou_fiber *f)
{
	struct iou_loop *loop = f->loop;

	if (f->state == FIBER_RUNNABLE || f->state == FIBER_DONE)
		return;
	f->state = FIBER_RUNNABLE;
	prefetch_frames(f);
	f->qnext = 0;
	if (loop->runq_tail)
		loop->runq_tail->qnext = f;
	else
		loop->runq_head = f;
	loop->runq_tail = f;
}

void iou__fiber_park(struct iou_fiber *self)
{
	self->state = FIBER_WAITING;
	to_sched(self, 0);
}

static void fiber_finish(struct iou_fiber *f)
{
	struct iou_loop *loop = f->loop;

	f->state = FIBER_DONE;
	loop->nfibers--;
	while (f->joiner)
		iou__wq_wake_one(&f->joiner, 0);
	/* Our stack is in use until the switch: the scheduler frees it. */
	if (f->detached)
		loop->dead = f;
	to_sched(f, 1);
}

static void fiber_main(void *arg)
{
	struct iou_fiber *f = arg;

	iou__san_fiber_entry(f);
	f->status = f->fn(f, f->arg);
	fiber_finish(f);
}

int iou_spawn(struct iou_loop *loop, iou_fiber_fn fn, void *arg,
	      size_t stack_size, struct iou_fiber **fiber)
{
	struct iou_fiber *f;

	if (fiber)
		*fiber = 0;
	if (!loop || !fn)
		return -IOU_EINVAL;
	if (!stack_size)
		stack_size = loop->stack_size;
	if (stack_size < IOU__STACK_MIN || stack_size > (1UL << 34))
		return -IOU_EINVAL;
	if (loop->stopping)
		return -IOU_ECANCELED;
	f = iou__stack_get(loop, stack_size);
	if (!f)
		return -IOU_ENOMEM;
	f->magic = IOU__FIBER_MAGIC;
	f->loop = loop;
	f->fn = fn;
	f->arg = arg;
	f->detached = !fiber;
	iou__san_fiber_new(f);
	iou__ctx_init(&f->ctx, iou__stack_top(f), fiber_main, f);
	f->all_next = loop->all;
	if (loop->all)
		loop->all->all_prev = f;
	loop->all = f;
	loop->nfibers++;
	loop->stats.fibers++;
	iou__fiber_make_runnable(f);
	if (fiber)
		*fiber = f;
	return 0;
}

int iou_join(struct iou_fiber *self, struct iou_fiber *fiber, int *status)
{
	int ret;

	if (!self || !handle_ok(fiber) || self == fiber || fiber->detached ||
	    fiber->loop != self->loop)
		return -IOU_EINVAL;
	/* One joiner: the one that collects the status frees the stack. */
	if (fiber->joiner)
		return -IOU_EBUSY;
	if (fiber->state != FIBER_DONE) {
		ret = iou__wq_wait(self, &fiber->joiner);
		if (ret) {
			/* Given up on: the fiber frees itself when done. */
			if (fiber->state == FIBER_DONE)
				stack_release(self->loop, fiber);
			else
				fiber->detached = 1;
			return ret;
		}
	}
	if (status)
		*status = fiber->status;
	stack_release(self->loop, fiber);
	return 0;
}

void iou_detach(struct iou_fiber *fiber)
{
	if (!handle_ok(fiber) || fiber->detached)
		return;
	if (fiber->state == FIBER_DONE)
		stack_release(fiber->loop, fiber);
	else
		fiber->detached = 1;
}

void iou_yield(struct iou_fiber *self)
{
	struct iou_loop *loop = self->loop;
	struct iou_fiber *next = loop->runq_head;

	if (next && loop->handoffs) {
		/* The common case: trade places with the first runnable. */
		loop->handoffs--;
		runq_pop(loop);
		self->state = FIBER_RUNNABLE;
		self->qnext = 0;
		if (loop->runq_head)
			loop->runq_tail->qnext = self;
		else
			loop->runq_head = self;
		loop->runq_tail = self;
		fiber_to_fiber(loop, self, next);
		return;
	}
	self->wait_kind = WAIT_YIELD;
	self->state = FIBER_WAITING;
	iou__fiber_make_runnable(self);
	to_sched(self, 0);
	self->wait_kind = WAIT_NONE;
}

struct iou_loop *iou_fiber_loop(struct iou_fiber *self)
{
	return self ? self->loop : 0;
}

int iou_cancel(struct iou_fiber *fiber)
{
	if (!handle_ok(fiber) || fiber->state == FIBER_DONE)
		return -IOU_EINVAL;
	if (fiber->state != FIBER_WAITING || fiber->wait_kind == WAIT_YIELD ||
	    fiber->wait_kind == WAIT_NONE) {
		fiber->cancel_pending = 1;
		return 0;
	}
	if (fiber->wait_kind == WAIT_OP) {
		if (fiber->wait_op)
			iou__op_cancel(fiber->loop, fiber->wait_op);
	} else if (fiber->wait_kind == WAIT_QUEUE) {
		iou__wq_unwait(fiber, -IOU_ECANCELED);
	}
	return 0;
}

/* Run the fibers runnable now; ones woken meanwhile wait for the next pass. */
void iou__fibers_run(struct iou_loop *loop)
{
	struct iou_fiber *f, *last = loop->runq_tail;
	unsigned runs = 0;

	/* One pass: the fibers runnable now (@last may finish during
	   handoffs, so the count bounds it too). */
	while ((f = loop->runq_head) && runs++ < 1024) {
		runq_pop(loop);
		to_fiber(loop, f);
		if (loop->dead) {
			stack_release(loop, loop->dead);
			loop->dead = 0;
		}
		if (f == last)
			break;
	}
}
