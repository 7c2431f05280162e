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

/*
 * What a listener and a stream share: the loop-owned multishot op that
 * feeds them (while armed), the fibers waiting for what it brings, the
 * pullers of the fallback, and the close that waits for all of them.
 */
struct iou__feed {
	struct iou_loop *loop;
	struct iou__feed *next, *prev;	/* loop->feeds */
	void (*free)(struct iou__feed *f);	/* its listener's or stream's */
	int fd;
	int closing;
	int multishot;		/* 0: the pulling fibers call in themselves */
	int armed;		/* op in flight */
	int err;		/* an error for the next puller */
	struct iou__op op;
	struct iou_fiber *waiters;
	struct iou_fiber *closer;
	struct puller *pullers;
};

struct iou_listener {
	struct iou__feed f;
	int *queue;		/* accepted, not yet pulled */
	unsigned qhead, qcount, qcap;
};

struct iou_recv_stream {
	struct iou__feed f;
	int eof;
	int starved;		/* stopped for lack of buffers */
	struct iou__group g;	/* the buffers */
	uint32_t *queue;	/* received: (len << 16) | buffer id */
	unsigned qhead, qcount;
	uint16_t *free_bids;	/* fallback mode: buffers not handed out */
	unsigned nfree;
};

/*
 * A new listener or stream of @size bytes (struct iou__feed first) on
 * @fd, in the loop's list; NULL without memory.
 */
static void *feed_new(struct iou_loop *loop, size_t size, int fd,
		      void (*free)(struct iou__feed *f))
{
	struct iou__feed *f = iou__mem_alloc(size);

	if (!f)
		return 0;
	f->loop = loop;
	f->fd = fd;
	f->free = free;
	f->next = loop->feeds;
	if (f->next)
		f->next->prev = f;
	loop->feeds = f;
	return f;
}

/* Out of the loop's list, and its memory back (@size as at feed_new()). */
static void feed_free(struct iou__feed *f, size_t size)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		f->loop->feeds = f->next;
	if (f->next)
		f->next->prev = f->prev;
	iou__mem_free(f, size);
}

/*
 * Start @f's multishot op of @kind, completing through @complete with
 * op->owner = @owner.  0, or -errno (the backend has no such op: -EOPNOTSUPP).
 */
static int feed_arm(struct iou__feed *f, unsigned kind,
		    void (*complete)(struct iou_loop *, struct iou__op *, int,
				     uint32_t),
		    void *owner, unsigned bgid)
{
	int ret;

	iou__memzero(&f->op, sizeof(f->op));
	f->op.kind = (uint8_t)kind;
	f->op.fd = f->fd;
	f->op.complete = complete;
	f->op.owner = owner;
	f->op.u.multi.bgid = bgid;
	ret = iou__op_start(f->loop, &f->op);
	if (ret)
		return ret < 0 ? ret : -IOU_EINVAL;
	f->armed = 1;
	return 0;
}

/*
 * The multishot op gave its final CQE.  Returns 1 when @f is closing (its
 * closer is woken) or the loop is stopping: it stays disarmed.
 */
static int feed_ended(struct iou__feed *f)
{
	f->armed = 0;
	iou__op_unregister(f->loop, &f->op);
	if (f->closing) {
		if (f->closer)
			iou__fiber_make_runnable(f->closer);
		return 1;
	}
	return f->loop->stopping;
}

/* A pulling fiber leaves: the last one out wakes the closer. */
static void feed_pulled(struct iou__feed *f, struct puller *p)
{
	if (puller_leave(&f->pullers, p, f->closing) && f->closer)
		iou__fiber_make_runnable(f->closer);
}

/*
 * Close @f: cancel the op and wait for its final CQE (the kernel may use
 * the memory until then), fail the waiters, cancel the pullers and wait
 * for them to leave.
 */
static void feed_close(struct iou_fiber *self, struct iou__feed *f)
{
	f->closing = 1;
	if (f->armed) {
		iou__op_cancel(f->loop, &f->op);
		while (f->armed) {
			f->closer = self;
			iou__fiber_park(self);
		}
	}
	while (iou__wq_wake_one(&f->waiters, -IOU_ECANCELED))
		;
	pullers_cancel_and_wait(self, &f->pullers, &f->closer);
}

static int listener_arm(struct iou_listener *l);

/* Accepted sockets no fiber pulled are closed: nobody else has them. */
static void listener_free(struct iou__feed *f)
{
	struct iou_listener *l = (struct iou_listener *)f;

	while (l->qcount) {
		iou__sys_close(l->queue[l->qhead]);
		l->qhead = (l->qhead + 1) % l->qcap;
		l->qcount--;
	}
	iou__mem_free(l->queue, l->qcap * sizeof(int));
	feed_free(f, sizeof(*l));
}

/* An accepted socket into the queue, which grows as it must. */
static void listener_queue(struct iou_listener *l, int fd)
{
	unsigned cap, i;
	int *q;

	if (l->qcount == l->qcap) {
		cap = l->qcap ? l->qcap * 2 : 64;
		q = iou__mem_alloc(cap * sizeof(int));
		if (!q) {
			iou__sys_close(fd);
			return;
		}
		for (i = 0; i < l->qcount; i++)
			q[i] = l->queue[(l->qhead + i) % l->qcap];
		iou__mem_free(l->queue, l->qcap * sizeof(int));
		l->queue = q;
		l->qcap = cap;
		l->qhead = 0;
	}
	l->queue[(l->qhead + l->qcount) % l->qcap] = fd;
	l->qcount++;
	iou__wq_wake_one(&l->f.waiters, 0);
}

static void listener_complete(struct iou_loop *loop, struct iou__op *op,
			      int res, uint32_t flags)
{
	struct iou_listener *l = op->owner;

	(void)loop;
	if (res >= 0) {
		if (l->f.closing)
			/* Accepted after the close began: nobody will take it. */
			iou__sys_close(res);
		else
			listener_queue(l, res);
	} else if (res != -IOU_ECANCELED && !l->f.closing) {
		l->f.err = res;
		iou__wq_wake_one(&l->f.waiters, 0);
	}
	if ((flags & IORING_CQE_F_MORE) || feed_ended(&l->f))
		return;
	if (res == -IOU_EINVAL && !l->qcount) {
		/* No multishot accept here (before 5.19): pullers accept. */
		l->f.multishot = 0;
		l->f.err = 0;
		while (iou__wq_wake_one(&l->f.waiters, 0))
			;
		return;
	}
	listener_arm(l);
}

static int listener_arm(struct iou_listener *l)
{
	return feed_arm(&l->f, OPK_MULTI_ACCEPT, listener_complete, l, 0);
}

int iou_listener_open(struct iou_fiber *self, int fd,
		      struct iou_listener **out)
{
	struct iou_loop *loop = self->loop;
	struct iou_listener *l;

	*out = 0;
	if (fd < 0)
		return -IOU_EBADF;
	l = feed_new(loop, sizeof(*l), fd, listener_free);
	if (!l)
		return -IOU_ENOMEM;
	/* One multishot accept where the backend has it, else pullers. */
	l->f.multishot = !listener_arm(l);
	*out = l;
	return 0;
}

/*
 * The next connection; with @addr, its peer's address too: a multishot
 * accept gives none, so it is asked of the new socket (getpeername(2)),
 * and the fallback's accept fills it in itself.
 */
static int listener_pull(struct iou_fiber *self, struct iou_listener *l,
			 struct sockaddr *addr, unsigned *addrlen,
			 uint64_t timeout_ns)
{
	uint64_t deadline = iou__deadline(timeout_ns);
	int fd, ret;

	for (;;) {
		if (l->qcount) {
			fd = l->queue[l->qhead];
			l->qhead = (l->qhead + 1) % l->qcap;
			l->qcount--;
			/* A peer gone already (reset) has no address left. */
			if (addr && iou__sys_getpeername(fd, addr, addrlen))
				*addrlen = 0;
			return fd;
		}
		if (l->f.err) {
			ret = l->f.err;
			l->f.err = 0;
			return ret;
		}
		if (l->f.closing)
			return -IOU_ECANCELED;
		if ((ret = iou__time_left(deadline, &timeout_ns)) != 0)
			return ret;
		if (!l->f.multishot) {
			struct puller p;

			puller_enter(&l->f.pullers, &p, self);
			fd = iou_accept(self, l->f.fd, addr, addr ? addrlen : 0,
					IOU_SOCK_CLOEXEC, timeout_ns);
			feed_pulled(&l->f, &p);
			return fd;
		}
		if (!l->f.armed && (ret = listener_arm(l)) != 0)
			return ret;
		ret = iou__wq_wait_timeout(self, &l->f.waiters, timeout_ns);
		if (ret)
			return ret;
	}
}

int iou_listener_accept(struct iou_fiber *self, struct iou_listener *l,
			uint64_t timeout_ns)
{
	return listener_pull(self, l, 0, 0, timeout_ns);
}

int iou_listener_accept_addr(struct iou_fiber *self, struct iou_listener *l,
			     struct sockaddr *addr, unsigned *addrlen,
			     uint64_t timeout_ns)
{
	if (!addr || !addrlen)
		return -IOU_EINVAL;
	return listener_pull(self, l, addr, addrlen, timeout_ns);
}

void iou_listener_close(struct iou_fiber *self, struct iou_listener *l)
{
	if (!l)
		return;
	feed_close(self, &l->f);
	listener_free(&l->f);
}

/*
 * Receive streams.
 */

static int stream_arm(struct iou_recv_stream *s);

static void stream_give_back(struct iou_recv_stream *s, unsigned bid)
{
	if (s->f.multishot)
		s->f.loop->be->group_give(s->f.loop, &s->g, bid);
	else
		s->free_bids[s->nfree++] = (uint16_t)bid;
}

static void stream_complete(struct iou_loop *loop, struct iou__op *op,
			    int res, uint32_t flags)
{
	struct iou_recv_stream *s = op->owner;
	unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;

	(void)loop;
	if (res > 0 && (flags & IORING_CQE_F_BUFFER) && bid < s->g.nr_bufs) {
		if (s->f.closing) {
			stream_give_back(s, bid);
		} else {
			s->queue[(s->qhead + s->qcount) % s->g.nr_bufs] =
				((uint32_t)res << 16) | bid;
			s->qcount++;
			iou__wq_wake_one(&s->f.waiters, 0);
		}
	} else if (res == 0) {
		s->eof = 1;
		while (iou__wq_wake_one(&s->f.waiters, 0))
			;
	} else if (res == -IOU_ENOBUFS) {
		s->starved = 1;	/* re-armed when a buffer comes back */
	} else if (res < 0 && res != -IOU_ECANCELED && !s->f.closing) {
		s->f.err = res;
		while (iou__wq_wake_one(&s->f.waiters, 0))
			;
	}
	if ((flags & IORING_CQE_F_MORE) || feed_ended(&s->f))
		return;
	if (!s->eof && !s->f.err && !s->starved)
		stream_arm(s);
}

static int stream_arm(struct iou_recv_stream *s)
{
	int ret = feed_arm(&s->f, OPK_MULTI_RECV, stream_complete, s,
			   s->g.bgid);

	if (!ret)
		s->starved = 0;
	return ret;
}

static void stream_free(struct iou__feed *f)
{
	struct iou_recv_stream *s = (struct iou_recv_stream *)f;

	if (f->multishot)
		f->loop->be->group_close(f->loop, &s->g);
	iou__mem_free(s->g.bufs, (size_t)s->g.nr_bufs * s->g.buf_size);
	iou__mem_free(s->queue, s->g.nr_bufs * sizeof(*s->queue));
	iou__mem_free(s->free_bids, s->g.nr_bufs * sizeof(*s->free_bids));
	feed_free(f, sizeof(*s));
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
	s = feed_new(loop, sizeof(*s), fd, stream_free);
	if (!s)
		return -IOU_ENOMEM;
	s->g.buf_size = buf_size;
	s->g.nr_bufs = nr_bufs;
	s->g.bufs = iou__mem_alloc((size_t)nr_bufs * buf_size);
	s->queue = iou__mem_alloc(nr_bufs * sizeof(*s->queue));
	s->free_bids = iou__mem_alloc(nr_bufs * sizeof(*s->free_bids));
	if (!s->g.bufs || !s->queue || !s->free_bids) {
		stream_free(&s->f);
		return -IOU_ENOMEM;
	}
	/* Buffers the kernel picks from, fed by one multishot recv... */
	if (!loop->be->group_open(loop, &s->g)) {
		s->f.multishot = 1;
		if (stream_arm(s)) {
			s->f.multishot = 0;
			loop->be->group_close(loop, &s->g);
		}
	}
	/* ...or buffers the pulling fiber receives into itself. */
	if (!s->f.multishot)
		for (i = 0; i < nr_bufs; i++)
			s->free_bids[s->nfree++] = (uint16_t)(nr_bufs - 1 - i);
	*out = s;
	return 0;
}

/* The fallback: a fiber receives into a free buffer itself. */
static int stream_pull(struct iou_fiber *self, struct iou_recv_stream *s,
		       void **buf, uint64_t timeout_ns)
{
	struct puller p;
	unsigned bid;
	int ret;

	if (!s->nfree)
		return -IOU_ENOBUFS;
	bid = s->free_bids[--s->nfree];
	puller_enter(&s->f.pullers, &p, self);
	ret = iou_recv(self, s->f.fd, s->g.bufs + (size_t)bid * s->g.buf_size,
		       s->g.buf_size, 0, timeout_ns);
	feed_pulled(&s->f, &p);
	if (s->f.closing)
		/* The buffers are about to go: no data out of them. */
		return ret > 0 || ret == -IOU_EAGAIN ? -IOU_ECANCELED : ret;
	if (ret <= 0) {
		s->free_bids[s->nfree++] = (uint16_t)bid;
		if (ret == 0)
			s->eof = 1;
		return ret;
	}
	*buf = s->g.bufs + (size_t)bid * s->g.buf_size;
	return ret;
}

int iou_recv_stream_next(struct iou_fiber *self, struct iou_recv_stream *s,
			 void **buf, uint64_t timeout_ns)
{
	uint64_t deadline = iou__deadline(timeout_ns);
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
		if (s->f.err)
			return s->f.err;
		if (s->f.closing)
			return -IOU_ECANCELED;
		if ((ret = iou__time_left(deadline, &timeout_ns)) != 0)
			return ret;
		if (!s->f.multishot)
			return stream_pull(self, s, buf, timeout_ns);
		if (!s->f.armed && !s->starved && (ret = stream_arm(s)) != 0)
			return ret;
		ret = iou__wq_wait_timeout(self, &s->f.waiters, timeout_ns);
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
	if (s->f.multishot && s->starved && !s->f.armed && !s->f.closing)
		stream_arm(s);
}

void iou_recv_stream_close(struct iou_fiber *self, struct iou_recv_stream *s)
{
	if (!s)
		return;
	feed_close(self, &s->f);
	stream_free(&s->f);
}

/*
 * iou_loop_destroy(), after the backend is gone (nothing writes into a
 * buffer any more): listeners and streams whose fibers never closed them,
 * the fibers the loop abandoned.
 */
void iou__fast_fini(struct iou_loop *loop)
{
	while (loop->feeds)
		loop->feeds->free(loop->feeds);
}
