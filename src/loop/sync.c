/* SPDX-License-Identifier: MIT */
/*
 * Wait queues and what is built on them: wait group, mutex, condition,
 * bounded channel.  One loop runs its fibers one at a time, so none of
 * this needs atomics or syscalls; a fiber that has to wait parks itself.
 */
#include "internal.h"

/* FIFO queue through fiber->qnext; *queue is the head. */
void iou__wq_push(struct iou_fiber **queue, struct iou_fiber *f)
{
	struct iou_fiber **p = queue;

	while (*p)
		p = &(*p)->qnext;
	f->qnext = 0;
	*p = f;
}

/* Take @f off @queue if it is there. */
void iou__wq_remove(struct iou_fiber **queue, struct iou_fiber *f)
{
	struct iou_fiber **p = queue;

	while (*p && *p != f)
		p = &(*p)->qnext;
	if (*p) {
		*p = f->qnext;
		f->qnext = 0;
	}
}

/*
 * Take @f, parked on a wait queue, off it and make it runnable with @res
 * (a cancel, a timeout).  Its wait is over from here on, not from when it
 * next runs: until then f->qnext links the run queue, and anything that
 * looked at the stale wait would unlink it from there.
 */
void iou__wq_unwait(struct iou_fiber *f, int res)
{
	if (f->wait_queue)
		iou__wq_remove(f->wait_queue, f);
	f->wait_kind = WAIT_NONE;
	f->wait_queue = 0;
	f->wake_res = res;
	iou__fiber_make_runnable(f);
}

/* Park @self on @queue; returns what the waker passed, or -ECANCELED. */
int iou__wq_wait(struct iou_fiber *self, struct iou_fiber **queue)
{
	if (self->cancel_pending) {
		self->cancel_pending = 0;
		return -IOU_ECANCELED;
	}
	if (self->loop->stopping)
		return -IOU_ECANCELED;
	iou__wq_push(queue, self);
	self->wait_kind = WAIT_QUEUE;
	self->wait_queue = queue;
	self->wake_res = 0;
	iou__wait_begins(self);
	iou__fiber_park(self);
	self->wait_kind = WAIT_NONE;
	self->wait_queue = 0;
	return self->wake_res;
}

/*
 * Wake the first waiter of @queue with @res; NULL when there is none.  A
 * wait-any node (any.c) stands in a queue for the fiber that waits on
 * several things: it takes the wake-up for that fiber, or lets it pass to
 * the next waiter when the fiber no longer wants it.
 */
struct iou_fiber *iou__wq_wake_one(struct iou_fiber **queue, int res)
{
	struct iou_fiber *f;

	while ((f = *queue) != 0) {
		*queue = f->qnext;
		f->qnext = 0;
		f->wait_queue = 0;
		if (f->state == FIBER_PROXY) {
			if (iou__any_wake(f, res))
				return f;
			continue;
		}
		f->wait_kind = WAIT_NONE;
		f->wake_res = res;
		iou__fiber_make_runnable(f);
		return f;
	}
	return 0;
}

static void wq_wake_all(struct iou_fiber **queue, int res)
{
	while (iou__wq_wake_one(queue, res))
		;
}

void iou_waitgroup_init(struct iou_waitgroup *wg)
{
	wg->count = 0;
	wg->waiters = 0;
}

void iou_waitgroup_add(struct iou_waitgroup *wg, long n)
{
	wg->count += n;
	if (wg->count <= 0) {
		wg->count = 0;
		wq_wake_all(&wg->waiters, 0);
	}
}

void iou_waitgroup_done(struct iou_waitgroup *wg)
{
	iou_waitgroup_add(wg, -1);
}

int iou_waitgroup_wait(struct iou_fiber *self, struct iou_waitgroup *wg)
{
	int ret;

	while (wg->count > 0) {
		ret = iou__wq_wait(self, &wg->waiters);
		if (ret)
			return ret;
	}
	return 0;
}

void iou_mutex_init(struct iou_mutex *m)
{
	m->owner = 0;
	m->waiters = 0;
}

int iou_mutex_trylock(struct iou_fiber *self, struct iou_mutex *m)
{
	if (m->owner)
		return -IOU_EBUSY;
	m->owner = self;
	return 0;
}

int iou_mutex_lock(struct iou_fiber *self, struct iou_mutex *m)
{
	int ret;

	if (m->owner == self)
		return -IOU_EDEADLK;
	if (!m->owner) {
		m->owner = self;
		return 0;
	}
	/* Unlock hands the mutex straight to the first waiter (FIFO). */
	ret = iou__wq_wait(self, &m->waiters);
	if (ret)
		return ret;
	return 0;
}

int iou_mutex_unlock(struct iou_fiber *self, struct iou_mutex *m)
{
	struct iou_fiber *next;

	if (m->owner != self)
		return -IOU_EPERM;
	next = iou__wq_wake_one(&m->waiters, 0);
	m->owner = next;
	return 0;
}

void iou_cond_init(struct iou_cond *c)
{
	c->waiters = 0;
}

int iou_cond_wait(struct iou_fiber *self, struct iou_cond *c,
		  struct iou_mutex *m)
{
	int ret;

	if (m->owner != self)
		return -IOU_EPERM;
	iou_mutex_unlock(self, m);
	ret = iou__wq_wait(self, &c->waiters);
	/*
	 * The mutex is held again on return, cancelled or not: this wait
	 * cannot be cancelled (the queue hands the mutex over on unlock).
	 */
	if (m->owner) {
		iou__wq_push(&m->waiters, self);
		while (m->owner != self)
			iou__fiber_park(self);
	} else {
		m->owner = self;
	}
	/* A cancel that came while it queued for the mutex ends this wait,
	   not the next one. */
	if (self->cancel_pending) {
		self->cancel_pending = 0;
		if (!ret)
			ret = -IOU_ECANCELED;
	}
	return ret;
}

void iou_cond_signal(struct iou_cond *c)
{
	iou__wq_wake_one(&c->waiters, 0);
}

void iou_cond_broadcast(struct iou_cond *c)
{
	wq_wake_all(&c->waiters, 0);
}

int iou_chan_init(struct iou_chan *ch, void *buf, size_t item_size,
		  unsigned cap)
{
	if (!ch || !buf || !item_size || !cap)
		return -IOU_EINVAL;
	ch->buf = buf;
	ch->item_size = item_size;
	ch->cap = cap;
	ch->head = 0;
	ch->count = 0;
	ch->closed = 0;
	ch->senders = 0;
	ch->receivers = 0;
	return 0;
}

int iou_chan_send(struct iou_fiber *self, struct iou_chan *ch,
		  const void *item)
{
	unsigned tail;
	int ret;

	while (!ch->closed && ch->count == ch->cap) {
		ret = iou__wq_wait(self, &ch->senders);
		if (ret)
			return ret;
	}
	if (ch->closed)
		return -IOU_EPIPE;
	tail = (ch->head + ch->count) % ch->cap;
	iou__memcpy(ch->buf + (size_t)tail * ch->item_size, item,
		    ch->item_size);
	ch->count++;
	iou__wq_wake_one(&ch->receivers, 0);
	return 0;
}

/* Take the head item of @ch (not empty) into @item; wake a sender. */
void iou__chan_take(struct iou_chan *ch, void *item)
{
	iou__memcpy(item, ch->buf + (size_t)ch->head * ch->item_size,
		    ch->item_size);
	ch->head = (ch->head + 1) % ch->cap;
	ch->count--;
	iou__wq_wake_one(&ch->senders, 0);
}

int iou_chan_recv(struct iou_fiber *self, struct iou_chan *ch, void *item)
{
	int ret;

	while (!ch->count) {
		if (ch->closed)
			return -IOU_EPIPE;
		ret = iou__wq_wait(self, &ch->receivers);
		if (ret)
			return ret;
	}
	iou__chan_take(ch, item);
	return 0;
}

void iou_chan_close(struct iou_chan *ch)
{
	ch->closed = 1;
	wq_wake_all(&ch->senders, 0);
	wq_wake_all(&ch->receivers, 0);
}

/*
 * A wait-queue wait with a deadline: a loop-owned sleep op races the
 * queue.  Whichever wins, the sleep op's own completion is waited for
 * before returning, since it lives in this frame.
 */
static void timer_fired(struct iou_loop *loop, struct iou__op *op, int res,
			uint32_t flags)
{
	struct iou_fiber *f = op->owner;

	(void)loop;
	(void)res;
	(void)flags;
	op->flags |= OPF_DONE;
	if (f->wait_kind == WAIT_QUEUE)
		iou__wq_unwait(f, -IOU_ETIMEDOUT);
	else
		iou__fiber_make_runnable(f);
}

int iou__wq_wait_timeout(struct iou_fiber *self, struct iou_fiber **queue,
			 uint64_t timeout_ns)
{
	struct iou_loop *loop = self->loop;
	struct iou__op t;
	int ret;

	if (!timeout_ns)
		return iou__wq_wait(self, queue);
	iou__memzero(&t, sizeof(t));
	t.kind = OPK_SLEEP;
	t.fd = -1;
	t.complete = timer_fired;
	t.owner = self;
	iou__ns_to_ts(&t.ts, timeout_ns);
	ret = iou__op_start(loop, &t);
	if (ret < 0)
		return ret;
	if (ret == 1)
		t.flags |= OPF_DONE;
	ret = iou__wq_wait(self, queue);
	if (!(t.flags & OPF_DONE)) {
		loop->be->cancel(loop, &t);
		while (!(t.flags & OPF_DONE))
			iou__fiber_park(self);
	}
	iou__op_unregister(loop, &t);
	return ret;
}
