/* SPDX-License-Identifier: MIT */
/*
 * The epoll backend, for hosts that refuse io_uring.  Socket and pipe ops
 * are tried at once without blocking; on EAGAIN the op waits for the fd's
 * edge (every fd is registered edge-triggered for both directions) and is
 * tried again.  File-system ops run directly.  Sleeps and per-op timeouts
 * live in a min-heap that bounds epoll_wait.
 */
#include "internal.h"

#define EFD_TAG 0xffffffffffffffffULL
#define EVENTS_MAX 64

/* Timers: a binary min-heap of ops by deadline. */
static int heap_push(struct iou__epoll_state *ep, struct iou__op *op)
{
	struct iou__op **h;
	uint32_t i, parent;

	if (ep->heap_len == ep->heap_cap) {
		uint32_t cap = ep->heap_cap ? ep->heap_cap * 2 : 512;

		h = iou__mem_grow(ep->heap, ep->heap_cap * sizeof(*h),
				  cap * sizeof(*h));
		if (!h)
			return -IOU_ENOMEM;
		ep->heap = h;
		ep->heap_cap = cap;
	}
	h = ep->heap;
	i = ep->heap_len++;
	while (i) {
		parent = (i - 1) / 2;
		if (h[parent]->deadline <= op->deadline)
			break;
		h[i] = h[parent];
		h[i]->heap_idx = i;
		i = parent;
	}
	h[i] = op;
	op->heap_idx = i;
	op->flags |= OPF_TIMER;
	return 0;
}

static void heap_remove(struct iou__epoll_state *ep, struct iou__op *op)
{
	struct iou__op **h = ep->heap, *last;
	uint32_t i = op->heap_idx, child;

	if (!(op->flags & OPF_TIMER))
		return;
	op->flags &= (uint8_t)~OPF_TIMER;
	last = h[--ep->heap_len];
	if (last == op)
		return;
	/* Put the last entry in the hole, then let it find its place. */
	while (i && h[(i - 1) / 2]->deadline > last->deadline) {
		h[i] = h[(i - 1) / 2];
		h[i]->heap_idx = i;
		i = (i - 1) / 2;
	}
	for (;;) {
		child = 2 * i + 1;
		if (child >= ep->heap_len)
			break;
		if (child + 1 < ep->heap_len &&
		    h[child + 1]->deadline < h[child]->deadline)
			child++;
		if (h[child]->deadline >= last->deadline)
			break;
		h[i] = h[child];
		h[i]->heap_idx = i;
		i = child;
	}
	h[i] = last;
	last->heap_idx = i;
}

static int ep_init(struct iou_loop *loop, const struct iou_loop_opts *opts)
{
	struct iou__epoll_state *ep = &loop->b.ep;
	struct iou__epoll_event ev;
	int ret;

	(void)opts;
	ep->epfd = iou__sys_epoll_create1(IOU_EPOLL_CLOEXEC);
	if (ep->epfd < 0)
		return ep->epfd;
	ep->efd = iou__sys_eventfd2(0, IOU_EFD_NONBLOCK | IOU_EFD_CLOEXEC);
	if (ep->efd < 0) {
		ret = ep->efd;
		iou__sys_close(ep->epfd);
		return ret;
	}
	ev.events = IOU_EPOLLIN;
	ev.data = EFD_TAG;
	ret = iou__sys_epoll_ctl(ep->epfd, IOU_EPOLL_CTL_ADD, ep->efd, &ev);
	if (ret) {
		iou__sys_close(ep->efd);
		iou__sys_close(ep->epfd);
	}
	return ret;
}

static void ep_fini(struct iou_loop *loop)
{
	struct iou__epoll_state *ep = &loop->b.ep;

	iou__sys_close(ep->efd);
	iou__sys_close(ep->epfd);
	iou__mem_free(ep->heap, ep->heap_cap * sizeof(*ep->heap));
}

static int ep_wake(struct iou_loop *loop)
{
	uint64_t one = 1;
	long ret = iou__sys_write(loop->b.ep.efd, &one, sizeof(one));

	return ret < 0 ? (int)ret : 0;
}

/* Direction an op waits for when it would block. */
static unsigned op_events(const struct iou__op *op)
{
	unsigned ev = iou__opkind(op)->events;

	return ev ? ev : op->u.poll.events;
}

/*
 * The fd must not block the loop: O_NONBLOCK, set the first time we meet
 * it (before the first attempt).  Regular files ignore the flag and never
 * say EAGAIN, so their ops simply run.
 */
static void nonblock_fd(struct iou_loop *loop, int fd)
{
	struct iou__fdent *fe = iou__fd_get(loop, fd);
	int fl;

	if (!fe || fe->nonblock_set)
		return;
	fl = iou__sys_fcntl(fd, IOU_F_GETFL, 0);
	if (fl >= 0 && !(fl & IOU_O_NONBLOCK))
		iou__sys_fcntl(fd, IOU_F_SETFL, fl | IOU_O_NONBLOCK);
	fe->nonblock_set = 1;
}

/*
 * Edges for both directions.  Always ADD: the fd number may have been
 * closed and reused outside iou_close() since we last saw it.
 */
static int watch_fd(struct iou_loop *loop, int fd, struct iou__fdent *fe)
{
	struct iou__epoll_event ev;
	int ret;

	ev.events = IOU_EPOLLIN | IOU_EPOLLOUT | IOU_EPOLLRDHUP | IOU_EPOLLET;
	ev.data = (uint64_t)(unsigned)fd;
	ret = iou__sys_epoll_ctl(loop->b.ep.epfd, IOU_EPOLL_CTL_ADD, fd, &ev);
	if (ret == -IOU_EEXIST)
		ret = 0;
	fe->epoll_added = !ret;
	return ret;
}

static void waiter_unlink(struct iou_loop *loop, struct iou__op *op)
{
	struct iou__fdent *fe = iou__fd_get(loop, op->fd);

	if (!op->wait_events || !fe)
		return;
	if (op->wprev)
		op->wprev->wnext = op->wnext;
	else
		fe->waiters = op->wnext;
	if (op->wnext)
		op->wnext->wprev = op->wprev;
	op->wnext = op->wprev = 0;
	op->wait_events = 0;
}

static void finish(struct iou_loop *loop, struct iou__op *op, int res)
{
	waiter_unlink(loop, op);
	heap_remove(&loop->b.ep, op);
	loop->b.ep.waiting--;
	op->res = res;
	loop->stats.cqes++;
	iou__trace(loop, IOU_TRACE_CQE, iou__op_opcode(op),
		   iou__ud(UD_OP, op), res, 0);
	if (op->complete)
		op->complete(loop, op, res, 0);
	else
		iou__op_complete(loop, op);
}

/* @op finished inside start(): its result, counted and traced as a CQE. */
static void done_now(struct iou_loop *loop, struct iou__op *op, int res)
{
	op->res = res;
	loop->stats.cqes++;
	iou__trace(loop, IOU_TRACE_CQE, iou__op_opcode(op),
		   iou__ud(UD_OP, op), res, 0);
}

/* Park @op until its fd is ready or its deadline passes. */
static int wait_for(struct iou_loop *loop, struct iou__op *op, uint64_t ns)
{
	struct iou__epoll_state *ep = &loop->b.ep;
	struct iou__fdent *fe = 0;
	int ret;

	if (op->kind != OPK_SLEEP) {
		fe = iou__fd_get(loop, op->fd);
		if (!fe)
			return -IOU_EBADF;
		ret = watch_fd(loop, op->fd, fe);
		if (ret)
			return ret;
		op->wait_events = op_events(op) | IOU_EPOLLERR | IOU_EPOLLHUP;
		op->wprev = 0;
		op->wnext = fe->waiters;
		if (fe->waiters)
			fe->waiters->wprev = op;
		fe->waiters = op;
	}
	if (ns) {
		op->deadline = iou__now_ns() + ns;
		ret = heap_push(ep, op);
		if (ret) {
			waiter_unlink(loop, op);
			return ret;
		}
	}
	ep->waiting++;
	return 0;
}

static int ep_start(struct iou_loop *loop, struct iou__op *op)
{
	const struct iou__opkind *k = iou__opkind(op);
	int sync = (k->flags & OPKF_SYNC) != 0;
	uint64_t ns;
	int ret;

	/* Multishot ops have no epoll form: their owners fall back. */
	if (k->flags & OPKF_MULTI)
		return -IOU_EOPNOTSUPP;
	loop->stats.sqes++;
	iou__trace(loop, IOU_TRACE_SQE, iou__op_opcode(op),
		   iou__ud(UD_OP, op), 0, 0);
	if (op->kind == OPK_SLEEP) {
		ns = (uint64_t)op->ts.tv_sec * 1000000000ULL +
		     (uint64_t)op->ts.tv_nsec;
		if (!ns) {
			done_now(loop, op, -IOU_ETIME);
			return 1;
		}
		return wait_for(loop, op, ns);
	}
	if (op->kind == OPK_CLOSE)
		iou__sys_epoll_ctl(loop->b.ep.epfd, IOU_EPOLL_CTL_DEL, op->fd, 0);
	if (!sync) {
		nonblock_fd(loop, op->fd);
		if (op->kind == OPK_SPLICE)
			nonblock_fd(loop, op->u.splice.fd_in);
	}
	ret = k->sys(op);
	/* Readiness means nothing to a sync op (close, fsync, openat ...):
	 * its -EAGAIN is its result, not a reason to wait. */
	if (ret != -IOU_EAGAIN || sync || (op->flags & OPF_NOWAIT)) {
		done_now(loop, op, ret);
		return 1;
	}
	return wait_for(loop, op, op->timeout_ns);
}

static void ep_cancel(struct iou_loop *loop, struct iou__op *op)
{
	if (op->wait_events || (op->flags & OPF_TIMER))
		finish(loop, op, -IOU_ECANCELED);
}

/* The fd reported @events: retry what waits on it. */
static unsigned fd_ready(struct iou_loop *loop, int fd, unsigned events)
{
	struct iou__fdent *fe = iou__fd_get(loop, fd);
	struct iou__op *op, *next;
	unsigned n = 0;
	int ret;

	if (!fe)
		return 0;
	for (op = fe->waiters; op; op = next) {
		next = op->wnext;
		if (!(op->wait_events & events))
			continue;
		ret = iou__opkind(op)->sys(op);
		if (ret == -IOU_EAGAIN)
			continue;	/* another waiter took it: wait for the next edge */
		finish(loop, op, ret);
		n++;
	}
	return n;
}

static int ep_wait(struct iou_loop *loop, int block)
{
	struct iou__epoll_state *ep = &loop->b.ep;
	struct iou__epoll_event events[EVENTS_MAX];
	struct iou__op *op;
	uint64_t now;
	int timeout = 0, n, i;
	unsigned handled = 0;

	/* Nothing waits for readiness or time: no syscall for a pass. */
	if (!block && !ep->waiting && !ep->heap_len)
		return 0;
	if (block) {
		timeout = -1;
		if (ep->heap_len) {
			now = iou__now_ns();
			if (ep->heap[0]->deadline <= now)
				timeout = 0;
			else
				timeout = (int)((ep->heap[0]->deadline - now +
						 999999) / 1000000);
		}
	}
	n = iou__sys_epoll_pwait(ep->epfd, events, EVENTS_MAX, timeout);
	loop->stats.enters++;
	if (n < 0 && n != -IOU_EINTR)
		return n;
	for (i = 0; i < n; i++) {
		if (events[i].data == EFD_TAG) {
			uint64_t v;

			iou__sys_read(ep->efd, &v, sizeof(v));
			handled++;
			continue;
		}
		handled += fd_ready(loop, (int)events[i].data,
				    events[i].events);
	}
	if (ep->heap_len) {
		now = iou__now_ns();
		while (ep->heap_len && ep->heap[0]->deadline <= now) {
			op = ep->heap[0];
			if (op->kind == OPK_SLEEP) {
				finish(loop, op, -IOU_ETIME);
			} else {
				op->flags |= OPF_TIMED_OUT;
				finish(loop, op, -IOU_ECANCELED);
			}
			handled++;
		}
	}
	return (int)handled;
}

static unsigned ep_busy(struct iou_loop *loop)
{
	return loop->b.ep.waiting;
}

/* epoll has no registered files: every op uses the plain fd. */
static int ep_fd_register(struct iou_loop *loop, int fd, int on)
{
	int ret;

	(void)loop;
	if (!on)
		return 0;
	/* As io_uring would: a closed fd is refused. */
	ret = iou__sys_fcntl(fd, IOU_F_GETFD, 0);
	return ret < 0 ? ret : 0;
}

/* No provided buffers: a recv stream receives into its buffers itself. */
static int ep_group_open(struct iou_loop *loop, struct iou__group *g)
{
	(void)loop;
	(void)g;
	return -IOU_EOPNOTSUPP;
}

static void ep_group_none(struct iou_loop *loop, struct iou__group *g,
			  unsigned bid)
{
	(void)loop;
	(void)g;
	(void)bid;
}

static void ep_group_close(struct iou_loop *loop, struct iou__group *g)
{
	(void)loop;
	(void)g;
}

const struct iou__backend iou__backend_epoll = {
	.init = ep_init,
	.fini = ep_fini,
	.start = ep_start,
	.cancel = ep_cancel,
	.wait = ep_wait,
	.wake = ep_wake,
	.busy = ep_busy,
	.fd_register = ep_fd_register,
	.group_open = ep_group_open,
	.group_give = ep_group_none,
	.group_close = ep_group_close,
};
