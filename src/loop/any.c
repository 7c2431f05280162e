/* SPDX-License-Identifier: MIT */
/*
 * iou_wait_any(): the first of several things a fiber waits for.
 *
 * The fiber parks alone on a wait queue of its own, so a cancel, a
 * timeout and the loop's stop end the wait as they end any queue wait.
 * What can end it besides:
 * - an fd: a loop-owned poll op, whose completion wakes the fiber;
 * - a channel: a node (FIBER_PROXY) in the channel's receiver queue,
 *   on the fiber's stack.  A wake-up that reaches the node while the
 *   fiber still waits receives the item for it there and then, so an
 *   item is never announced to a fiber that then does not take it; once
 *   the fiber's wait has ended, a node passes its wake-ups on to the
 *   next receiver;
 * - a fiber's end: a node in its joiner queue, which its finish wakes.
 * Before returning, the fiber unlinks its nodes and cancels its polls and
 * waits for their final completions: nothing is left pointing into its
 * stack.
 */
#include "internal.h"

struct any;

struct any_node {
	union {
		struct iou__op op;		/* IOU_WAIT_FD */
		struct iou_fiber proxy;		/* a channel, a fiber */
	} u;
	struct any *any;
	struct iou_waitable *w;
	int idx;
	int started;		/* the poll op is registered */
};

struct any {
	struct iou_fiber *self;
	struct iou_fiber *q;	/* self, alone, while it waits */
	int ready;		/* index of the item that ended the wait */
	unsigned polls;		/* poll ops not yet done */
	int ending;		/* self cancels its polls: not events */
	int draining;		/* self waits for the polls to end */
	struct any_node n[IOU_WAIT_ANY_MAX];
};

static int waiting(const struct any *a)
{
	return a->self->wait_queue == &a->q;
}

int iou__any_wake(struct iou_fiber *node, int res)
{
	struct any_node *nd = node->arg;
	struct any *a = nd->any;
	struct iou_chan *ch = nd->w->chan;

	(void)res;
	if (!waiting(a))
		return 0;
	if (nd->w->kind == IOU_WAIT_FIBER) {
		nd->w->res = 0;	/* finished */
	} else if (ch->count) {
		iou__chan_take(ch, nd->w->item);
		nd->w->res = 0;
	} else if (ch->closed) {
		nd->w->res = -IOU_EPIPE;
	} else {
		return 0;
	}
	a->ready = nd->idx;
	iou__wq_wake_one(&a->q, 0);
	return 1;
}

static void polled(struct iou_loop *loop, struct iou__op *op, int res,
		   uint32_t flags)
{
	struct any_node *nd = op->owner;
	struct any *a = nd->any;

	(void)flags;
	op->flags |= OPF_DONE;
	a->polls--;
	/* A cancel of our own or the stop's is no event; iou_close()'s is. */
	if (res != -IOU_ECANCELED || (!a->ending && !loop->stopping)) {
		nd->w->res = res;
		if (a->ready < 0)
			a->ready = nd->idx;
		iou__wq_wake_one(&a->q, 0);
	}
	if (a->draining && !a->polls)
		iou__fiber_make_runnable(a->self);
}

/* A channel item ready now: received (or -EPIPE), 1; else 0. */
static int chan_now(struct iou_waitable *w)
{
	struct iou_chan *ch = w->chan;

	if (ch->count) {
		iou__chan_take(ch, w->item);
		w->res = 0;
		return 1;
	}
	if (ch->closed) {
		w->res = -IOU_EPIPE;
		return 1;
	}
	return 0;
}

/* Set the items up; stops early, with a->ready set, when one is ready. */
static int arm(struct any *a, struct iou_waitable *w, unsigned n)
{
	struct iou_loop *loop = a->self->loop;
	struct any_node *nd;
	unsigned i;
	int ret;

	for (i = 0; i < n && a->ready < 0; i++) {
		nd = &a->n[i];
		nd->any = a;
		nd->w = &w[i];
		nd->idx = (int)i;
		if (w[i].kind != IOU_WAIT_FD) {
			iou__memzero(&nd->u.proxy, sizeof(nd->u.proxy));
			nd->u.proxy.state = FIBER_PROXY;
			nd->u.proxy.loop = loop;
			nd->u.proxy.arg = nd;
			nd->u.proxy.wait_queue = w[i].kind == IOU_WAIT_FIBER ?
				&w[i].fiber->joiner : &w[i].chan->receivers;
			iou__wq_push(nd->u.proxy.wait_queue, &nd->u.proxy);
			continue;
		}
		iou__memzero(&nd->u.op, sizeof(nd->u.op));
		nd->u.op.kind = OPK_POLL;
		nd->u.op.fd = w[i].fd;
		nd->u.op.u.poll.events = w[i].events;
		nd->u.op.complete = polled;
		nd->u.op.owner = nd;
		ret = iou__op_track(loop, &nd->u.op);
		if (ret)
			return ret;
		ret = iou__op_start(loop, &nd->u.op);
		if (ret < 0) {
			iou__op_untrack(loop, &nd->u.op);
			return ret;
		}
		nd->started = 1;
		if (ret == 1) {
			/* Done at once (epoll: ready now, or an error). */
			nd->u.op.flags |= OPF_DONE;
			w[i].res = nd->u.op.res;
			a->ready = (int)i;
		} else {
			a->polls++;
		}
	}
	return 0;
}

/* Unlink every node, end every poll and wait for its final completion. */
static void disarm(struct any *a, unsigned n)
{
	struct iou_fiber *self = a->self;
	struct iou_loop *loop = self->loop;
	struct any_node *nd;
	unsigned i;

	a->ending = 1;
	for (i = 0; i < n; i++) {
		nd = &a->n[i];
		if (!nd->any)
			break;
		if (nd->w->kind != IOU_WAIT_FD) {
			if (nd->u.proxy.wait_queue)
				iou__wq_remove(nd->u.proxy.wait_queue,
					       &nd->u.proxy);
			nd->u.proxy.wait_queue = 0;
		} else if (nd->started && !(nd->u.op.flags & OPF_DONE)) {
			iou__op_cancel(loop, &nd->u.op);
		}
	}
	a->draining = 1;
	for (i = 0; i < n && a->polls; i++) {
		nd = &a->n[i];
		/* A cancel of the fiber now finds this op cancelled already. */
		while (nd->any && nd->started &&
		       !(nd->u.op.flags & OPF_DONE)) {
			self->wait_kind = WAIT_OP;
			self->wait_op = &nd->u.op;
			iou__fiber_park(self);
		}
	}
	self->wait_kind = WAIT_NONE;
	self->wait_op = 0;
	for (i = 0; i < n; i++) {
		if (a->n[i].any && a->n[i].started) {
			iou__op_unregister(loop, &a->n[i].u.op);
			iou__op_untrack(loop, &a->n[i].u.op);
		}
	}
}

/* Is @w a fiber @self may wait for? */
static int fiber_ok(const struct iou_fiber *self, const struct iou_fiber *f)
{
	return f && f != self && f->magic == IOU__FIBER_MAGIC &&
	       !f->detached && f->loop == self->loop;
}

static int bad_item(const struct iou_fiber *self, const struct iou_waitable *w)
{
	switch (w->kind) {
	case IOU_WAIT_FD:
		return w->fd < 0;
	case IOU_WAIT_CHAN_RECV:
		return !w->chan || !w->item;
	case IOU_WAIT_FIBER:
		return !fiber_ok(self, w->fiber);
	default:
		return 1;
	}
}

int iou_wait_any(struct iou_fiber *self, struct iou_waitable *w, unsigned n,
		 uint64_t timeout_ns)
{
	struct any a;
	unsigned i;
	int ret;

	if (!w || !n || n > IOU_WAIT_ANY_MAX)
		return -IOU_EINVAL;
	for (i = 0; i < n; i++) {
		w[i].res = 0;
		if (bad_item(self, &w[i]))
			return -IOU_EINVAL;
	}
	/* A channel with an item (or closed) or a finished fiber wins
	   before anything waits. */
	for (i = 0; i < n; i++)
		if ((w[i].kind == IOU_WAIT_CHAN_RECV && chan_now(&w[i])) ||
		    (w[i].kind == IOU_WAIT_FIBER &&
		     w[i].fiber->state == FIBER_DONE))
			return (int)i;
	if (self->loop->failed)
		return self->loop->failed;
	a.self = self;
	a.q = 0;
	a.ready = -1;
	a.polls = 0;
	a.ending = 0;
	a.draining = 0;
	for (i = 0; i < n; i++)
		a.n[i].any = 0;
	for (i = 0; i < n; i++)
		a.n[i].started = 0;
	ret = arm(&a, w, n);
	if (!ret && a.ready < 0)
		ret = iou__wq_wait_timeout(self, &a.q, timeout_ns);
	disarm(&a, n);
	/* What happened wins over a cancel or timeout that came with it. */
	return a.ready >= 0 ? a.ready : ret ? ret : -IOU_EINVAL;
}
