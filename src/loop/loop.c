/* SPDX-License-Identifier: MIT */
/*
 * The loop: fibers, the scheduler, cross-thread posts and a graceful stop.
 * Fiber stacks live in stack.c, I/O in ops.c and the backends.
 */
#include "internal.h"
#include "san.h"

uint64_t iou__now_ns(void)
{
	struct iou_timespec ts;

	if (iou__sys_clock_gettime(IOU_CLOCK_MONOTONIC, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t iou_now(struct iou_loop *loop)
{
	(void)loop;
	return iou__now_ns();
}

void iou__trace(struct iou_loop *loop, unsigned kind, unsigned opcode,
		uint64_t user_data, int res, unsigned flags)
{
	struct iou_trace_event ev;

	if (!loop->trace)
		return;
	ev.kind = kind;
	ev.opcode = opcode;
	ev.user_data = user_data;
	ev.res = res;
	ev.flags = flags;
	loop->trace(loop->trace_arg, &ev);
}

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

/*
 * Posts from other threads: a lock-free stack the loop swaps out whole.
 * wake_pending keeps wake-ups to one per batch: the loop clears it before
 * taking the list, so a post that lands after the swap sends a new one.
 */
int iou_loop_post(struct iou_loop *loop, struct iou_post *post)
{
	struct iou_post *head;

	if (!loop || !post || !post->fn)
		return -IOU_EINVAL;
	head = __atomic_load_n(&loop->posts, __ATOMIC_RELAXED);
	do {
		post->next = head;
	} while (!__atomic_compare_exchange_n(&loop->posts, &head, post, 1,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	if (__atomic_exchange_n(&loop->wake_pending, 1, __ATOMIC_ACQ_REL))
		return 0;
	return loop->be->wake(loop);
}

static void run_posts(struct iou_loop *loop)
{
	struct iou_post *list, *fifo = 0, *next;

	/*
	 * Clear the flag even when the list is empty: a poster whose node an
	 * earlier swap already took still set it, and left set it would
	 * silence every later post's wake-up.
	 */
	if (__atomic_load_n(&loop->wake_pending, __ATOMIC_RELAXED))
		__atomic_store_n(&loop->wake_pending, 0, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&loop->posts, __ATOMIC_SEQ_CST))
		return;
	list = __atomic_exchange_n(&loop->posts, 0, __ATOMIC_ACQUIRE);
	while (list) {
		next = list->next;
		list->next = fifo;
		fifo = list;
		list = next;
	}
	while (fifo) {
		next = fifo->next;
		/* The poster may reuse the node once fn runs. */
		fifo->fn(loop, fifo->arg);
		fifo = next;
	}
}

/* Run the fibers runnable now; ones woken meanwhile wait for the next pass. */
static void run_ready(struct iou_loop *loop)
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

/* Cancel every op in flight and every wait: the stop and the drain. */
static void cancel_everything(struct iou_loop *loop)
{
	struct iou_fiber *f;
	uint32_t i;

	for (i = 0; i < loop->nslots; i++)
		if (loop->slots[i].op)
			iou__op_cancel(loop, loop->slots[i].op);
	for (f = loop->all; f; f = f->all_next)
		if (f->state == FIBER_WAITING && f->wait_kind == WAIT_QUEUE)
			iou_cancel(f);
}

/* Ops the kernel (or the epoll backend) still holds: no final CQE yet. */
static unsigned held(struct iou_loop *loop)
{
	unsigned n = 0;
	uint32_t i;

	for (i = 0; i < loop->nslots; i++)
		if (loop->slots[i].op && !(loop->slots[i].op->flags & OPF_DONE))
			n++;
	return n;
}

static void drain_timer_fired(struct iou_loop *loop, struct iou__op *op,
			      int res, uint32_t flags)
{
	(void)loop;
	(void)res;
	(void)flags;
	op->flags |= OPF_DONE;
}

/* How long a failed loop waits for the kernel to give its ops back. */
#define FAIL_DRAIN_S 1
/* Rounds of running the fibers that can see the error, at most. */
#define FAIL_PASSES 64

/*
 * The backend failed (an enter error, a corrupt ring): the loop cannot go
 * on.  From now on every op fails with @err at once.  Everything in
 * flight is cancelled and drained for FAIL_DRAIN_S at most (a timer of
 * the loop's own bounds the wait; a wait that fails again ends it), then
 * the fibers that can run are run, so that they see the error and leave.
 * A fiber whose op the kernel still holds stays parked: its buffers may
 * still be written, so its stack must stay until iou_loop_destroy() has
 * closed the ring.
 */
static void fail(struct iou_loop *loop, int err)
{
	struct iou__op *t = &loop->drain_timer;
	int armed, pass, ret;

	loop->stopping = 1;
	cancel_everything(loop);
	iou__memzero(t, sizeof(*t));
	t->kind = OPK_SLEEP;
	t->fd = -1;
	t->complete = drain_timer_fired;
	t->ts.tv_sec = FAIL_DRAIN_S;
	ret = iou__op_start(loop, t);
	armed = ret == 0;
	if (ret == 1)
		iou__op_unregister(loop, t);
	loop->failed = err;
	while (armed && !(t->flags & OPF_DONE) && held(loop) > 1 &&
	       loop->be->wait(loop, 1) >= 0)
		;
	if (armed && (t->flags & OPF_DONE))
		iou__op_unregister(loop, t);
	for (pass = 0; pass < FAIL_PASSES && loop->runq_head; pass++)
		run_ready(loop);
}

void iou_loop_stop(struct iou_loop *loop)
{
	if (!loop || loop->stopping)
		return;
	loop->stopping = 1;
	cancel_everything(loop);
}

int iou_loop_run(struct iou_loop *loop)
{
	int ret = 0, block;

	if (!loop || loop->running)
		return -IOU_EINVAL;
	if (loop->failed)
		return loop->failed;
	loop->running = 1;
	iou__san_loop_enter(loop);
	for (;;) {
		run_posts(loop);
		run_ready(loop);
		if (loop->runq_head)
			block = 0;
		else if (!loop->nfibers &&
			 (loop->stopping || !(loop->flags & IOU_LOOP_KEEP_ALIVE)))
			break;
		else
			block = 1;
		if (block && !loop->be->busy(loop) && loop->nfibers &&
		    !(loop->flags & IOU_LOOP_KEEP_ALIVE) &&
		    !__atomic_load_n(&loop->posts, __ATOMIC_RELAXED)) {
			/* Fibers wait on each other and nothing can wake them. */
			ret = -IOU_EDEADLK;
			break;
		}
		ret = loop->be->wait(loop, block);
		if (ret < 0)
			break;
		ret = 0;
	}
	if (ret < 0 && ret != -IOU_EDEADLK) {
		fail(loop, ret);
	} else if (loop->be->busy(loop)) {
		/*
		 * No fiber is left to take what is in flight (ops of the
		 * loop's own, a listener's or a stream's, which unregister
		 * at their final CQE): cancel and drain.
		 */
		cancel_everything(loop);
		while (loop->be->busy(loop) && loop->be->wait(loop, 1) >= 0)
			;
	}
	loop->running = 0;
	return ret;
}

static int backend_init(struct iou_loop *loop, int backend,
			const struct iou_loop_opts *opts)
{
	loop->backend = backend;
	loop->be = backend == IOU_BACKEND_EPOLL ? &iou__backend_epoll
						: &iou__backend_uring;
	return loop->be->init(loop, opts);
}

int iou_loop_create(struct iou_loop **out, const struct iou_loop_opts *opts)
{
	static const struct iou_loop_opts defaults;
	struct iou_loop *loop;
	int backend, ret;

	if (!out)
		return -IOU_EINVAL;
	*out = 0;
	if (!opts)
		opts = &defaults;
	if (opts->backend > IOU_BACKEND_EPOLL ||
	    (opts->stack_size && opts->stack_size < IOU__STACK_MIN))
		return -IOU_EINVAL;
	loop = iou__mem_alloc(sizeof(*loop));
	if (!loop)
		return -IOU_ENOMEM;
	loop->map_size = sizeof(*loop);
	loop->flags = opts->flags;
	iou__stack_loop_init(loop, opts);
	loop->trace = opts->trace;
	loop->trace_arg = opts->trace_arg;

	backend = opts->backend;
	if (backend == IOU_BACKEND_AUTO && !(opts->flags & IOU_LOOP_NO_ENV))
		backend = iou__env_backend();
	if (backend == IOU_BACKEND_EPOLL) {
		ret = backend_init(loop, IOU_BACKEND_EPOLL, opts);
	} else {
		ret = backend_init(loop, IOU_BACKEND_URING, opts);
		if ((ret == -IOU_ENOSYS || ret == -IOU_EPERM) &&
		    backend == IOU_BACKEND_AUTO &&
		    !(opts->flags & IOU_LOOP_NO_FALLBACK))
			ret = backend_init(loop, IOU_BACKEND_EPOLL, opts);
	}
	if (ret) {
		iou__mem_free(loop, loop->map_size);
		return ret;
	}
	*out = loop;
	return 0;
}

void iou_loop_destroy(struct iou_loop *loop)
{
	if (!loop || loop->running)
		return;
	loop->be->fini(loop);
	iou__fast_fini(loop);
	iou__stack_loop_fini(loop);
	iou__mem_free(loop->slots, (size_t)loop->nslots * sizeof(*loop->slots));
	iou__mem_free(loop->fds, (size_t)loop->nfds * sizeof(*loop->fds));
	iou__mem_free(loop, loop->map_size);
}

int iou_loop_backend(const struct iou_loop *loop)
{
	return loop->backend;
}

void iou_loop_stats(const struct iou_loop *loop, struct iou_loop_stats *stats)
{
	*stats = loop->stats;
}
