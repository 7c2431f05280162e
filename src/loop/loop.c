/* SPDX-License-Identifier: MIT */
/*
 * The loop: create and destroy, run (posts, fibers, the backend's wait),
 * cross-thread posts, the stop and the failed loop's drain.  Fibers live
 * in fiber.c and stack.c, I/O in ops.c and the backends.
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

/*
 * Posts from other threads: a lock-free stack the loop swaps out whole.
 * wake_pending keeps wake-ups to one per batch: the loop clears it before
 * it looks at the list, so a post that lands after the look sends a new
 * one.  Two pairings (include/iou/barrier.h):
 *  - the poster's release CAS of the head pairs with the loop's acquire
 *    swap in run_posts(): the node's contents arrive with it;
 *  - the full fence between the poster's push and its look at
 *    wake_pending pairs with the one between the loop's clear of
 *    wake_pending and its look at the list: either the loop sees the node,
 *    or the poster sees the flag cleared and wakes the loop.
 */
int iou_loop_post(struct iou_loop *loop, struct iou_post *post)
{
	struct iou_post *head;

	if (!loop || !post || !post->fn)
		return -IOU_EINVAL;
	head = iou_load_relaxed(&loop->posts);
	do {
		post->next = head;
	} while (!iou_cas_release(&loop->posts, &head, post));
	iou_smp_mb();	/* pairs with run_posts() */
	if (iou_xchg_relaxed(&loop->wake_pending, 1))
		return 0;	/* a wake-up is on its way */
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
	if (iou_load_relaxed(&loop->wake_pending)) {
		iou_store_relaxed(&loop->wake_pending, 0);
		iou_smp_mb();	/* pairs with iou_loop_post() */
	}
	if (!iou_load_relaxed(&loop->posts))
		return;
	list = iou_xchg_acquire(&loop->posts, (struct iou_post *)0);
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
		iou__fibers_run(loop);
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
		if (loop->dump_signal)
			iou__dump_pending(loop);
		run_posts(loop);
		iou__fibers_run(loop);
		if (loop->runq_head)
			block = 0;
		else if (!loop->nfibers &&
			 (loop->stopping || !(loop->flags & IOU_LOOP_KEEP_ALIVE)))
			break;
		else
			block = 1;
		if (block && !loop->be->busy(loop) && loop->nfibers &&
		    !(loop->flags & IOU_LOOP_KEEP_ALIVE) &&
		    !iou_load_relaxed(&loop->posts)) {
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

#define LOOP_FLAGS \
	(IOU_LOOP_NO_FALLBACK | IOU_LOOP_NO_ENV | IOU_LOOP_KEEP_ALIVE | \
	 IOU_LOOP_TRACK_WAITS)

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
	if (opts->backend > IOU_BACKEND_EPOLL || (opts->flags & ~LOOP_FLAGS) ||
	    opts->resv[0] || opts->resv[1] || opts->resv[2] || opts->resv[3] ||
	    (opts->stack_size && opts->stack_size < IOU__STACK_MIN))
		return -IOU_EINVAL;
	backend = opts->backend;
	if (backend == IOU_BACKEND_AUTO && !(opts->flags & IOU_LOOP_NO_ENV)) {
		backend = iou__env_backend();
		if (backend < 0)
			return backend;
	}
	loop = iou__mem_alloc(sizeof(*loop));
	if (!loop)
		return -IOU_ENOMEM;
	loop->map_size = sizeof(*loop);
	loop->flags = opts->flags;
	iou__stack_loop_init(loop, opts);
	loop->trace = opts->trace;
	loop->trace_arg = opts->trace_arg;

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
