/* SPDX-License-Identifier: MIT */
/*
 * Fast paths: a listener fed by one multishot accept, and a receive stream
 * fed by one multishot recv into a provided-buffer ring.  Their ops belong
 * to the loop, not to a fiber: every CQE lands in a queue that fibers pull
 * from.  Without io_uring (or without these opcodes) both fall back to
 * plain accept / recv calls made by the pulling fiber.
 */
#include "internal.h"

/*
 * A fiber inside a fallback accept or recv (the call made on the pulling
 * fiber itself): close must cancel it and wait for it to leave before the
 * memory goes.
 */
struct puller {
	struct iou_fiber *f;
	struct puller *next;
};

static void puller_enter(struct puller **list, struct puller *p,
			 struct iou_fiber *self)
{
	p->f = self;
	p->next = *list;
	*list = p;
}

/* Returns 1 if the caller must wake the closer (the last one left). */
static int puller_leave(struct puller **list, struct puller *p, int closing)
{
	struct puller **pp = list;

	while (*pp && *pp != p)
		pp = &(*pp)->next;
	if (*pp)
		*pp = p->next;
	/* A cancel sent to a fiber between waits must not outlive the call. */
	if (closing)
		p->f->cancel_pending = 0;
	return closing && !*list;
}

static void pullers_cancel_and_wait(struct iou_fiber *self,
				    struct puller **list,
				    struct iou_fiber **closer)
{
	struct puller *p;

	for (p = *list; p; p = p->next)
		iou_cancel(p->f);
	while (*list) {
		*closer = self;
		iou__fiber_park(self);
	}
	*closer = 0;
}

struct iou_listener {
	struct iou_loop *loop;
	struct iou_listener *next, *prev;	/* loop->listeners */
	int fd;
	int closing;
	int multishot;		/* 0: the pulling fiber accepts itself */
	int armed;
	int err;		/* an accept error for the next puller */
	struct iou__op op;
	int *queue;		/* accepted, not yet pulled */
	unsigned qhead, qcount, qcap;
	struct iou_fiber *waiters;
	struct iou_fiber *closer;
	struct puller *pullers;
};

struct iou_recv_stream {
	struct iou_loop *loop;
	struct iou_recv_stream *next, *prev;	/* loop->streams */
	int fd;
	int closing;
	int multishot;
	int armed;
	int eof;
	int err;
	int starved;		/* stopped for lack of buffers */
	struct iou__group g;	/* the buffers */
	struct iou__op op;
	uint32_t *queue;	/* received: (len << 16) | buffer id */
	unsigned qhead, qcount;
	uint16_t *free_bids;	/* fallback mode: buffers not handed out */
	unsigned nfree;
	struct iou_fiber *waiters;
	struct iou_fiber *closer;
	struct puller *pullers;
};

static int listener_arm(struct iou_listener *l);

static void listener_complete(struct iou_loop *loop, struct iou__op *op,
			      int res, uint32_t flags)
{
	struct iou_listener *l = op->owner;
	int *q;

	if (res >= 0) {
		if (l->closing) {
			/* Accepted after the close began: nobody will take it. */
			iou__sys_close(res);
		} else {
			if (l->qcount == l->qcap) {
				unsigned cap = l->qcap ? l->qcap * 2 : 64, i;

				q = iou__mem_alloc(cap * sizeof(int));
				if (!q) {
					iou__sys_close(res);
					goto more;
				}
				for (i = 0; i < l->qcount; i++)
					q[i] = l->queue[(l->qhead + i) % l->qcap];
				iou__mem_free(l->queue, l->qcap * sizeof(int));
				l->queue = q;
				l->qcap = cap;
				l->qhead = 0;
			}
			l->queue[(l->qhead + l->qcount) % l->qcap] = res;
			l->qcount++;
			iou__wq_wake_one(&l->waiters, 0);
		}
	} else if (res != -IOU_ECANCELED && !l->closing) {
		l->err = res;
		iou__wq_wake_one(&l->waiters, 0);
	}
more:
	if (flags & IORING_CQE_F_MORE)
		return;
	/* The multishot accept has ended: re-arm unless closing. */
	l->armed = 0;
	iou__op_unregister(loop, op);
	if (l->closing) {
		if (l->closer)
			iou__fiber_make_runnable(l->closer);
		return;
	}
	if (loop->stopping)
		return;	/* iou_loop_stop() cancelled it: stay disarmed */
	if (res == -IOU_EINVAL && !l->qcount) {
		/* No multishot accept here (before 5.19): pullers accept. */
		l->multishot = 0;
		l->err = 0;
		while (iou__wq_wake_one(&l->waiters, 0))
			;
		return;
	}
	listener_arm(l);
}

static int listener_arm(struct iou_listener *l)
{
	struct iou_loop *loop = l->loop;
	int ret;

	iou__memzero(&l->op, sizeof(l->op));
	l->op.kind = OPK_MULTI_ACCEPT;
	l->op.fd = l->fd;
	l->op.complete = listener_complete;
	l->op.owner = l;
	ret = iou__op_register(loop, &l->op);
	if (ret)
		return ret;
	ret = loop->be->start(loop, &l->op);
	if (ret) {
		iou__op_unregister(loop, &l->op);
		return ret < 0 ? ret : -IOU_EINVAL;
	}
	l->armed = 1;
	return 0;
}

int iou_listener_open(struct iou_fiber *self, int fd,
		      struct iou_listener **out)
{
	struct iou_loop *loop = self->loop;
	struct iou_listener *l;

	*out = 0;
	if (fd < 0)
		return -IOU_EBADF;
	l = iou__mem_alloc(sizeof(*l));
	if (!l)
		return -IOU_ENOMEM;
	l->loop = loop;
	l->fd = fd;
	l->next = loop->listeners;
	if (l->next)
		l->next->prev = l;
	loop->listeners = l;
	/* One multishot accept where the backend has it, else pullers. */
	l->multishot = !listener_arm(l);
	*out = l;
	return 0;
}

int iou_listener_accept(struct iou_fiber *self, struct iou_listener *l,
			uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns ? iou__now_ns() + timeout_ns : 0, now;
	int fd, ret;

	for (;;) {
		if (l->qcount) {
			fd = l->queue[l->qhead];
			l->qhead = (l->qhead + 1) % l->qcap;
			l->qcount--;
			return fd;
		}
		if (l->err) {
			ret = l->err;
			l->err = 0;
			return ret;
		}
		if (l->closing)
			return -IOU_ECANCELED;
		if (deadline) {
			now = iou__now_ns();
			if (now >= deadline)
				return -IOU_ETIMEDOUT;
			timeout_ns = deadline - now;
		}
		if (!l->multishot) {
			struct puller p;

			puller_enter(&l->pullers, &p, self);
			fd = iou_accept(self, l->fd, 0, 0, IOU_SOCK_CLOEXEC,
					timeout_ns);
			if (puller_leave(&l->pullers, &p, l->closing) &&
			    l->closer)
				iou__fiber_make_runnable(l->closer);
			return fd;
		}
		if (!l->armed && (ret = listener_arm(l)) != 0)
			return ret;
		ret = iou__wq_wait_timeout(self, &l->waiters, timeout_ns);
		if (ret)
			return ret;
	}
}

/* Accepted sockets no fiber pulled are closed: nobody else has them. */
static void listener_free(struct iou_listener *l)
{
	struct iou_loop *loop = l->loop;

	while (l->qcount) {
		iou__sys_close(l->queue[l->qhead]);
		l->qhead = (l->qhead + 1) % l->qcap;
		l->qcount--;
	}
	if (l->prev)
		l->prev->next = l->next;
	else
		loop->listeners = l->next;
	if (l->next)
		l->next->prev = l->prev;
	iou__mem_free(l->queue, l->qcap * sizeof(int));
	iou__mem_free(l, sizeof(*l));
}

void iou_listener_close(struct iou_fiber *self, struct iou_listener *l)
{
	struct iou_loop *loop = self->loop;

	if (!l)
		return;
	l->closing = 1;
	if (l->armed) {
		if (!(l->op.flags & OPF_CANCELLED)) {
			l->op.flags |= OPF_CANCELLED;
			loop->stats.cancels++;
			loop->be->cancel(loop, &l->op);
		}
		/* Its final CQE must come before the memory goes. */
		while (l->armed) {
			l->closer = self;
			iou__fiber_park(self);
		}
	}
	while (iou__wq_wake_one(&l->waiters, -IOU_ECANCELED))
		;
	pullers_cancel_and_wait(self, &l->pullers, &l->closer);
	listener_free(l);
}

/*
 * Receive streams.
 */

static int stream_arm(struct iou_recv_stream *s);

static void stream_give_back(struct iou_recv_stream *s, unsigned bid)
{
	if (s->multishot)
		s->loop->be->group_give(s->loop, &s->g, bid);
	else
		s->free_bids[s->nfree++] = (uint16_t)bid;
}

static void stream_complete(struct iou_loop *loop, struct iou__op *op,
			    int res, uint32_t flags)
{
	struct iou_recv_stream *s = op->owner;
	unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;

	if (res > 0 && (flags & IORING_CQE_F_BUFFER) && bid < s->g.nr_bufs) {
		if (s->closing) {
			stream_give_back(s, bid);
		} else {
			s->queue[(s->qhead + s->qcount) % s->g.nr_bufs] =
				((uint32_t)res << 16) | bid;
			s->qcount++;
			iou__wq_wake_one(&s->waiters, 0);
		}
	} else if (res == 0) {
		s->eof = 1;
		while (iou__wq_wake_one(&s->waiters, 0))
			;
	} else if (res == -IOU_ENOBUFS) {
		s->starved = 1;	/* re-armed when a buffer comes back */
	} else if (res < 0 && res != -IOU_ECANCELED && !s->closing) {
		s->err = res;
		while (iou__wq_wake_one(&s->waiters, 0))
			;
	}
	if (flags & IORING_CQE_F_MORE)
		return;
	s->armed = 0;
	iou__op_unregister(loop, op);
	if (s->closing) {
		if (s->closer)
			iou__fiber_make_runnable(s->closer);
		return;
	}
	if (!s->eof && !s->err && !s->starved && !loop->stopping)
		stream_arm(s);
}

static int stream_arm(struct iou_recv_stream *s)
{
	struct iou_loop *loop = s->loop;
	int ret;

	iou__memzero(&s->op, sizeof(s->op));
	s->op.kind = OPK_MULTI_RECV;
	s->op.fd = s->fd;
	s->op.complete = stream_complete;
	s->op.owner = s;
	s->op.u.multi.bgid = s->g.bgid;
	ret = iou__op_register(loop, &s->op);
	if (ret)
		return ret;
	ret = loop->be->start(loop, &s->op);
	if (ret) {
		iou__op_unregister(loop, &s->op);
		return ret < 0 ? ret : -IOU_EINVAL;
	}
	s->armed = 1;
	s->starved = 0;
	return 0;
}

static void stream_free(struct iou_recv_stream *s)
{
	struct iou_loop *loop = s->loop;

	if (s->prev)
		s->prev->next = s->next;
	else
		loop->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	if (s->multishot)
		loop->be->group_close(loop, &s->g);
	iou__mem_free(s->g.bufs, (size_t)s->g.nr_bufs * s->g.buf_size);
	iou__mem_free(s->queue, s->g.nr_bufs * sizeof(*s->queue));
	iou__mem_free(s->free_bids, s->g.nr_bufs * sizeof(*s->free_bids));
	iou__mem_free(s, sizeof(*s));
}

int iou_recv_stream_open(struct iou_fiber *self, int fd, unsigned buf_size,
			 unsigned nr_bufs, struct iou_recv_stream **out)
{
	struct iou_loop *loop = self->loop;
	struct iou_recv_stream *s;
	unsigned i;

	*out = 0;
	if (fd < 0 || !buf_size || buf_size > 65535 || !nr_bufs ||
	    (nr_bufs & (nr_bufs - 1)) || nr_bufs > 32768)
		return -IOU_EINVAL;
	s = iou__mem_alloc(sizeof(*s));
	if (!s)
		return -IOU_ENOMEM;
	s->loop = loop;
	s->fd = fd;
	s->next = loop->streams;
	if (s->next)
		s->next->prev = s;
	loop->streams = s;
	s->g.buf_size = buf_size;
	s->g.nr_bufs = nr_bufs;
	s->g.bufs = iou__mem_alloc((size_t)nr_bufs * buf_size);
	s->queue = iou__mem_alloc(nr_bufs * sizeof(*s->queue));
	s->free_bids = iou__mem_alloc(nr_bufs * sizeof(*s->free_bids));
	if (!s->g.bufs || !s->queue || !s->free_bids) {
		stream_free(s);
		return -IOU_ENOMEM;
	}
	/* Buffers the kernel picks from, fed by one multishot recv... */
	if (!loop->be->group_open(loop, &s->g)) {
		s->multishot = 1;
		if (stream_arm(s)) {
			s->multishot = 0;
			loop->be->group_close(loop, &s->g);
		}
	}
	/* ...or buffers the pulling fiber receives into itself. */
	if (!s->multishot)
		for (i = 0; i < nr_bufs; i++)
			s->free_bids[s->nfree++] = (uint16_t)(nr_bufs - 1 - i);
	*out = s;
	return 0;
}

int iou_recv_stream_next(struct iou_fiber *self, struct iou_recv_stream *s,
			 void **buf, uint64_t timeout_ns)
{
	uint64_t deadline = timeout_ns ? iou__now_ns() + timeout_ns : 0, now;
	unsigned bid;
	uint32_t e;
	int ret;

	*buf = 0;
	for (;;) {
		if (s->qcount) {
			e = s->queue[s->qhead];
			s->qhead = (s->qhead + 1) % s->g.nr_bufs;
			s->qcount--;
			*buf = s->g.bufs + (size_t)(e & 0xffff) * s->g.buf_size;
			return (int)(e >> 16);
		}
		if (s->eof)
			return 0;
		if (s->err)
			return s->err;
		if (s->closing)
			return -IOU_ECANCELED;
		if (deadline) {
			now = iou__now_ns();
			if (now >= deadline)
				return -IOU_ETIMEDOUT;
			timeout_ns = deadline - now;
		}
		if (!s->multishot) {
			/* Fallback: receive into a free buffer ourselves. */
			struct puller p;

			if (!s->nfree)
				return -IOU_ENOBUFS;
			bid = s->free_bids[--s->nfree];
			puller_enter(&s->pullers, &p, self);
			ret = iou_recv(self, s->fd,
				       s->g.bufs + (size_t)bid * s->g.buf_size,
				       s->g.buf_size, 0, timeout_ns);
			if (puller_leave(&s->pullers, &p, s->closing)) {
				/* Closing: the buffer is about to go. */
				if (s->closer)
					iou__fiber_make_runnable(s->closer);
				return ret > 0 || ret == -IOU_EAGAIN ?
					       -IOU_ECANCELED : ret;
			}
			if (s->closing)
				return -IOU_ECANCELED;
			if (ret <= 0) {
				s->free_bids[s->nfree++] = (uint16_t)bid;
				if (ret == 0)
					s->eof = 1;
				return ret;
			}
			*buf = s->g.bufs + (size_t)bid * s->g.buf_size;
			return ret;
		}
		if (!s->armed && !s->starved && (ret = stream_arm(s)) != 0)
			return ret;
		ret = iou__wq_wait_timeout(self, &s->waiters, timeout_ns);
		if (ret)
			return ret;
	}
}

void iou_recv_stream_release(struct iou_recv_stream *s, void *buf)
{
	size_t off;

	if (!s || !buf || (char *)buf < s->g.bufs)
		return;
	off = (size_t)((char *)buf - s->g.bufs);
	if (off % s->g.buf_size || off / s->g.buf_size >= s->g.nr_bufs)
		return;
	stream_give_back(s, (unsigned)(off / s->g.buf_size));
	if (s->multishot && s->starved && !s->armed && !s->closing)
		stream_arm(s);
}

void iou_recv_stream_close(struct iou_fiber *self, struct iou_recv_stream *s)
{
	struct iou_loop *loop = self->loop;

	if (!s)
		return;
	s->closing = 1;
	if (s->armed) {
		if (!(s->op.flags & OPF_CANCELLED)) {
			s->op.flags |= OPF_CANCELLED;
			loop->stats.cancels++;
			loop->be->cancel(loop, &s->op);
		}
		while (s->armed) {
			s->closer = self;
			iou__fiber_park(self);
		}
	}
	while (iou__wq_wake_one(&s->waiters, -IOU_ECANCELED))
		;
	pullers_cancel_and_wait(self, &s->pullers, &s->closer);
	stream_free(s);
}

/*
 * iou_loop_destroy(), after the backend is gone (nothing writes into a
 * buffer any more): listeners and streams whose fibers never closed them,
 * the fibers the loop abandoned.
 */
void iou__fast_fini(struct iou_loop *loop)
{
	while (loop->listeners)
		listener_free(loop->listeners);
	while (loop->streams)
		stream_free(loop->streams);
}
