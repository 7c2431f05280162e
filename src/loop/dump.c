/* SPDX-License-Identifier: MIT */
/*
 * iou_loop_dump(): what every live fiber of a loop is doing, as text, for
 * a person looking at a program that hangs; and the signal that asks for
 * it at the loop's next pass.
 */
#include "internal.h"
#include "text.h"
#include "sys/signal.h"

/* Defined by IOU_SIGNAL_ASM (overflow.c). */
__attribute__((visibility("hidden"))) void iou__sigreturn(void);

/* Dump signals caught, process-wide: a counter, no ordering needed. */
static unsigned dump_requests;

static void on_dump_signal(int sig)
{
	(void)sig;
	__atomic_fetch_add(&dump_requests, 1, __ATOMIC_RELAXED);
}

static void put_ms(struct iou__line *l, uint64_t ns)
{
	iou__put_num(l, ns / 1000000, 10);
	iou__put(l, " ms");
}

static void put_op(struct iou__line *l, const struct iou__op *op,
		   uint64_t since)
{
	iou__put(l, "waits on ");
	iou__put(l, iou__opkind(op)->name);
	if (op->fd >= 0) {
		iou__put(l, " fd ");
		iou__put_num(l, (uint64_t)(int64_t)op->fd, 10);
	}
	if (op->timeout_ns) {
		iou__put(l, ", timeout ");
		put_ms(l, op->timeout_ns);
	}
	if (op->flags & OPF_CANCELLED)
		iou__put(l, ", cancel asked for");
	if (since) {
		iou__put(l, ", for ");
		put_ms(l, iou__now_ns() - since);
	}
}

static void put_fiber(struct iou__line *l, const struct iou_loop *loop,
		      const struct iou_fiber *f)
{
	iou__put(l, "  fiber ");
	iou__put_num(l, f->id, 10);
	iou__put(l, " (");
	iou__put_num(l, (uintptr_t)f, 16);
	iou__put(l, "): ");
	if (f == loop->current) {
		iou__put(l, "running");
	} else if (f->state == FIBER_DONE) {
		iou__put(l, "finished with status ");
		iou__put_num(l, (uint64_t)(int64_t)f->status, 10);
		iou__put(l, ", not joined");
	} else if (f->state == FIBER_RUNNABLE) {
		iou__put(l, "runnable");
	} else if (f->wait_kind == WAIT_OP && f->wait_op) {
		put_op(l, f->wait_op, f->wait_since);
	} else if (f->wait_kind == WAIT_QUEUE) {
		iou__put(l, "waits in queue ");
		iou__put_num(l, (uintptr_t)f->wait_queue, 16);
		iou__put(l, " (a mutex, condition, channel, wait group, join, "
			    "listener or stream)");
		if (f->wait_since) {
			iou__put(l, ", for ");
			put_ms(l, iou__now_ns() - f->wait_since);
		}
	} else if (f->wait_kind == WAIT_YIELD) {
		iou__put(l, "yielded");
	} else {
		iou__put(l, "waiting");
	}
	if (f->cancel_pending)
		iou__put(l, ", cancel pending");
	if (f->detached)
		iou__put(l, ", detached");
	iou__put(l, "\n");
}

int iou_loop_dump(struct iou_loop *loop, int fd)
{
	const struct iou_fiber *f;
	struct iou__line l;
	int ret;

	if (!loop)
		return -IOU_EINVAL;
	l.len = 0;
	iou__put(&l, "iou loop ");
	iou__put_num(&l, (uintptr_t)loop, 16);
	iou__put(&l, loop->backend == IOU_BACKEND_EPOLL ? ": epoll, " :
							 ": io_uring, ");
	iou__put_num(&l, loop->nfibers, 10);
	iou__put(&l, " fibers running, ");
	iou__put_num(&l, loop->live_ops, 10);
	iou__put(&l, " ops registered");
	if (loop->failed) {
		iou__put(&l, ", failed with -");
		iou__put_num(&l, (uint64_t)-(int64_t)loop->failed, 10);
	} else if (loop->stopping) {
		iou__put(&l, ", stopping");
	}
	iou__put(&l, "\n");
	ret = iou__line_write(fd, &l);
	for (f = loop->all; f && !ret; f = f->all_next) {
		l.len = 0;
		put_fiber(&l, loop, f);
		ret = iou__line_write(fd, &l);
	}
	return ret;
}

void iou__dump_pending(struct iou_loop *loop)
{
	unsigned n = iou_load_relaxed(&dump_requests);

	if (n == loop->dump_seen)
		return;
	loop->dump_seen = n;
	iou_loop_dump(loop, loop->dump_fd);
}

int iou_loop_dump_signal(struct iou_loop *loop, int signo, int fd)
{
	struct iou_ksigaction act;
	int ret;

	if (!loop || signo < 0 || signo > 64)
		return -IOU_EINVAL;
	if (!signo) {
		loop->dump_signal = 0;
		return 0;
	}
	iou__memzero(&act, sizeof(act));
	act.handler = (void *)on_dump_signal;
	/* No SA_RESTART: a loop blocked in the kernel returns and dumps. */
#ifdef IOU_SA_RESTORER
	act.flags = IOU_SA_RESTORER;
	act.restorer = iou__sigreturn;
#endif
	ret = iou__sys_rt_sigaction(signo, &act, 0);
	if (ret)
		return ret;
	loop->dump_seen = iou_load_relaxed(&dump_requests);
	loop->dump_fd = fd;
	loop->dump_signal = signo;
	loop->flags |= IOU_LOOP_TRACK_WAITS;
	return 0;
}
