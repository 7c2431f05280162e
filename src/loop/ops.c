/* SPDX-License-Identifier: MIT */
/*
 * Operations: the op table (user_data = slot + generation), the fd table,
 * the path every I/O call takes (register, start, wait for the final
 * completion, unregister), readiness retries, and the safe close.
 */
#include "internal.h"
#include "san.h"

#define NO_SLOT 0xffffffffU

static int grow_slots(struct iou_loop *loop)
{
	uint32_t n = loop->nslots ? loop->nslots * 2 : 256, i;
	struct iou__slot *s;

	s = iou__mem_grow(loop->slots, (size_t)loop->nslots * sizeof(*s),
			  (size_t)n * sizeof(*s));
	if (!s)
		return -IOU_ENOMEM;
	/* New pages are zero: chain them onto the free list. */
	for (i = loop->nslots; i < n; i++)
		s[i].next_free = i + 1 < n ? i + 1 : loop->free_slot;
	loop->free_slot = loop->nslots;
	loop->slots = s;
	loop->nslots = n;
	return 0;
}

int iou__op_register(struct iou_loop *loop, struct iou__op *op)
{
	struct iou__slot *s;

	if (loop->failed)
		return loop->failed;
	if (loop->free_slot == NO_SLOT || loop->free_slot >= loop->nslots) {
		if (!loop->nslots)
			loop->free_slot = NO_SLOT;
		if (grow_slots(loop))
			return -IOU_ENOMEM;
	}
	s = &loop->slots[loop->free_slot];
	op->slot = loop->free_slot;
	loop->free_slot = s->next_free;
	/* Generation 0 never names a live op: stale zeros stay stale. */
	s->gen = (s->gen + 1) & UD_GEN_MASK;
	if (!s->gen)
		s->gen = 1;
	s->op = op;
	op->gen = s->gen;
	loop->live_ops++;
	return 0;
}

void iou__cancel_defer(struct iou_loop *loop, struct iou__op *op)
{
	if (op->cprev || loop->cancel_backlog == op)
		return;
	op->cprev = 0;
	op->cnext = loop->cancel_backlog;
	if (op->cnext)
		op->cnext->cprev = op;
	loop->cancel_backlog = op;
}

void iou__cancel_undefer(struct iou_loop *loop, struct iou__op *op)
{
	if (!op->cprev && loop->cancel_backlog != op)
		return;
	if (op->cprev)
		op->cprev->cnext = op->cnext;
	else
		loop->cancel_backlog = op->cnext;
	if (op->cnext)
		op->cnext->cprev = op->cprev;
	op->cnext = op->cprev = 0;
}

void iou__op_unregister(struct iou_loop *loop, struct iou__op *op)
{
	struct iou__slot *s = &loop->slots[op->slot];

	if (s->op != op)
		return;
	iou__cancel_undefer(loop, op);
	s->op = 0;
	s->next_free = loop->free_slot;
	loop->free_slot = op->slot;
	loop->live_ops--;
}

struct iou__op *iou__op_lookup(struct iou_loop *loop, uint64_t user_data)
{
	uint32_t slot = (uint32_t)user_data;
	uint32_t gen = (uint32_t)(user_data >> 32) & UD_GEN_MASK;
	struct iou__slot *s;

	if (slot >= loop->nslots)
		return 0;
	s = &loop->slots[slot];
	if (!s->op || s->gen != gen)
		return 0;
	return s->op;
}

/*
 * Register @op and start it: 0 when it is in flight (wait for it with
 * iou__op_wait(), then unregister it), 1 when it completed at once
 * (op->res set; unregister it), or -errno when it could not be started
 * (it is not registered).
 */
int iou__op_start(struct iou_loop *loop, struct iou__op *op)
{
	int ret = iou__op_register(loop, op);

	if (ret)
		return ret;
	ret = loop->be->start(loop, op);
	if (ret < 0)
		iou__op_unregister(loop, op);
	return ret;
}

/*
 * Park @self until @op's final completion: the kernel may use the op's
 * memory until then, even after a timeout or cancel.
 */
void iou__op_wait(struct iou_fiber *self, struct iou__op *op)
{
	self->wait_kind = WAIT_OP;
	self->wait_op = op;
	iou__wait_begins(self);
	while (!(op->flags & OPF_DONE))
		iou__fiber_park(self);
	self->wait_kind = WAIT_NONE;
	self->wait_op = 0;
}

/* Ask, once, for @op to be cancelled; its final completion still comes. */
void iou__op_cancel(struct iou_loop *loop, struct iou__op *op)
{
	if (op->flags & (OPF_CANCELLED | OPF_DONE))
		return;
	op->flags |= OPF_CANCELLED;
	loop->stats.cancels++;
	loop->be->cancel(loop, op);
}

void iou__op_complete(struct iou_loop *loop, struct iou__op *op)
{
	op->flags |= OPF_DONE;
	iou__cancel_undefer(loop, op);	/* nothing left to cancel */
	if (op->fiber && op->fiber->wait_op == op)
		iou__fiber_make_runnable(op->fiber);
}

struct iou__fdent *iou__fd_get(struct iou_loop *loop, int fd)
{
	uint32_t n;
	struct iou__fdent *t;

	if (fd < 0)
		return 0;
	if ((uint32_t)fd >= loop->nfds) {
		n = loop->nfds ? loop->nfds : 1024;
		while (n <= (uint32_t)fd)
			n *= 2;
		t = iou__mem_grow(loop->fds, (size_t)loop->nfds * sizeof(*t),
				  (size_t)n * sizeof(*t));
		if (!t)
			return 0;
		loop->fds = t;
		loop->nfds = n;
	}
	return &loop->fds[fd];
}

static void fd_track(struct iou__fdent *fe, struct iou__op *op)
{
	op->flags |= OPF_HAS_FD;
	fe->inflight++;
	op->fprev = 0;
	op->fnext = fe->ops;
	if (fe->ops)
		fe->ops->fprev = op;
	fe->ops = op;
}

static void fd_untrack(struct iou_loop *loop, struct iou__op *op)
{
	/* The table may have moved while we waited: look it up again. */
	struct iou__fdent *fe = iou__fd_get(loop, op->fd);

	if (!fe || !(op->flags & OPF_HAS_FD))
		return;
	op->flags &= (uint8_t)~OPF_HAS_FD;
	if (op->fprev)
		op->fprev->fnext = op->fnext;
	else
		fe->ops = op->fnext;
	if (op->fnext)
		op->fnext->fprev = op->fprev;
	if (!--fe->inflight && fe->closer)
		iou__fiber_make_runnable(fe->closer);
}

/*
 * Count a loop-owned op on its fd like a fiber's, so that iou_close()
 * cancels it and waits for it: 0, or -EBADF (closing, negative), -ENOMEM.
 */
int iou__op_track(struct iou_loop *loop, struct iou__op *op)
{
	struct iou__fdent *fe = iou__fd_get(loop, op->fd);

	if (!fe)
		return op->fd < 0 ? -IOU_EBADF : -IOU_ENOMEM;
	if (fe->closing)
		return -IOU_EBADF;
	fd_track(fe, op);
	return 0;
}

/* After its final completion (and unregister): uncount it. */
void iou__op_untrack(struct iou_loop *loop, struct iou__op *op)
{
	fd_untrack(loop, op);
}

/*
 * The one path of every fiber op: check, register, start, wait for the
 * final completion (the kernel may use the op's buffers until then, even
 * after a timeout or cancel), unregister.
 */
#ifdef IOU_VALGRIND
/* The kernel's layouts (LP64), as the ops hand them to it. */
struct k_iovec {
	void *base;
	size_t len;
};

struct k_msghdr {
	void *name;
	int namelen;
	struct k_iovec *iov;
	size_t iovlen;
	void *control;
	size_t controllen;
	unsigned flags;
};

/* @res bytes of data the kernel spread over @iov. */
static void iov_wrote(const struct k_iovec *iov, size_t cnt, long res)
{
	size_t i, n;

	for (i = 0; i < cnt && i < 1024 && res > 0; i++) {
		n = iov[i].len < (size_t)res ? iov[i].len : (size_t)res;
		iou__san_kernel_wrote(iov[i].base, (long)n);
		res -= (long)n;
	}
}

/*
 * Tell valgrind what the kernel wrote into the caller's memory for @op,
 * which completed with @res: it saw no system call that did it.
 */
static void op_kernel_wrote(const struct iou__op *op, int res)
{
	const struct k_msghdr *m;
	const unsigned *len;

	if (res < 0)
		return;
	switch (op->kind) {
	case OPK_READ:
		iou__san_kernel_wrote(op->u.rw.buf, res);
		break;
	case OPK_RECV:
		iou__san_kernel_wrote(op->u.sock.buf, res);
		break;
	case OPK_READV:
		iov_wrote((const struct k_iovec *)op->u.vec.iov,
			  (size_t)op->u.vec.cnt, res);
		break;
	case OPK_RECVMSG:
		m = op->u.msg.msg;
		iov_wrote(m->iov, m->iovlen, res);
		if (m->namelen > 0)
			iou__san_kernel_wrote(m->name,
					      m->namelen < 128 ? m->namelen :
								 128);
		iou__san_kernel_wrote(m->control, (long)m->controllen);
		break;
	case OPK_ACCEPT:
		len = op->u.addr.addrlen;
		if (op->u.addr.addr && len)
			iou__san_kernel_wrote(op->u.addr.addr,
					      *len < 128 ? *len : 128);
		break;
	case OPK_STATX:
		iou__san_kernel_wrote(op->u.path.statxbuf, 256);
		break;
	default:
		break;
	}
}
#else
static void op_kernel_wrote(const struct iou__op *op, int res)
{
	(void)op;
	(void)res;
}
#endif

static int run_op(struct iou_fiber *self, struct iou__op *op)
{
	struct iou_loop *loop = self->loop;
	struct iou__fdent *fe;
	int ret;

	if (loop->failed)
		return loop->failed;
	if (loop->stopping)
		return -IOU_ECANCELED;
	if (self->cancel_pending) {
		self->cancel_pending = 0;
		return -IOU_ECANCELED;
	}
	if (iou__opkind(op)->flags & OPKF_FD) {
		fe = iou__fd_get(loop, op->fd);
		if (!fe)
			return op->fd < 0 ? -IOU_EBADF : -IOU_ENOMEM;
		if (fe->closing)
			return -IOU_EBADF;
		fd_track(fe, op);
	}
	op->fiber = self;
	ret = iou__op_start(loop, op);
	if (ret < 0) {
		fd_untrack(loop, op);
		return ret;
	}
	if (ret == 0) {
		iou__op_wait(self, op);
		op_kernel_wrote(op, op->res);
	}
	ret = op->res;
	if ((op->flags & OPF_TIMED_OUT) && ret == -IOU_ECANCELED)
		ret = -IOU_ETIMEDOUT;
	iou__op_unregister(loop, op);
	fd_untrack(loop, op);
	return ret;
}

static void op_init(struct iou__op *op, unsigned kind, int fd,
		    uint64_t timeout_ns)
{
	iou__memzero(op, sizeof(*op));
	op->kind = (uint8_t)kind;
	op->fd = fd;
	op->timeout_ns = timeout_ns;
	op->res = -IOU_ECANCELED;
}

/*
 * Sockets may answer -EAGAIN (an O_NONBLOCK fd, or a spurious wake-up):
 * wait for readiness with a poll op and try again, inside the caller's
 * overall timeout.  A caller who asked for MSG_DONTWAIT gets -EAGAIN.
 */
static int run_retry(struct iou_fiber *self, struct iou__op *op)
{
	uint64_t deadline = iou__deadline(op->timeout_ns);
	struct iou__op poll;
	int ret;

	for (;;) {
		ret = run_op(self, op);
		if (ret != -IOU_EAGAIN)
			return ret;
		op_init(&poll, OPK_POLL, op->fd, 0);
		poll.u.poll.events = iou__opkind(op)->events;
		ret = iou__time_left(deadline, &poll.timeout_ns);
		if (!ret)
			ret = run_op(self, &poll);
		if (ret < 0)
			return ret;
		op->flags = 0;
		op->res = -IOU_ECANCELED;
		ret = iou__time_left(deadline, &op->timeout_ns);
		if (ret)
			return ret;
	}
}

/* Run @op, retried on readiness where its kind says so. */
static int run(struct iou_fiber *self, struct iou__op *op)
{
	if ((iou__opkind(op)->flags & OPKF_RETRY) && !(op->flags & OPF_NOWAIT))
		return run_retry(self, op);
	return run_op(self, op);
}

int iou_read(struct iou_fiber *self, int fd, void *buf, unsigned len,
	     uint64_t off, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_READ, fd, timeout_ns);
	op.u.rw.buf = buf;
	op.u.rw.len = len;
	op.u.rw.off = off;
	return run(self, &op);
}

int iou_write(struct iou_fiber *self, int fd, const void *buf, unsigned len,
	      uint64_t off, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_WRITE, fd, timeout_ns);
	op.u.rw.buf = (void *)buf;
	op.u.rw.len = len;
	op.u.rw.off = off;
	return run(self, &op);
}

int iou_readv(struct iou_fiber *self, int fd, const struct iovec *iov,
	      int iovcnt, uint64_t off, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_READV, fd, timeout_ns);
	op.u.vec.iov = iov;
	op.u.vec.cnt = iovcnt;
	op.u.vec.off = off;
	return run(self, &op);
}

int iou_writev(struct iou_fiber *self, int fd, const struct iovec *iov,
	       int iovcnt, uint64_t off, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_WRITEV, fd, timeout_ns);
	op.u.vec.iov = iov;
	op.u.vec.cnt = iovcnt;
	op.u.vec.off = off;
	return run(self, &op);
}

int iou_recv(struct iou_fiber *self, int fd, void *buf, unsigned len,
	     int flags, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_RECV, fd, timeout_ns);
	op.u.sock.buf = buf;
	op.u.sock.len = len;
	op.u.sock.flags = flags;
	if (flags & IOU_MSG_DONTWAIT)
		op.flags = OPF_NOWAIT;
	return run(self, &op);
}

int iou_send(struct iou_fiber *self, int fd, const void *buf, unsigned len,
	     int flags, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_SEND, fd, timeout_ns);
	op.u.sock.buf = (void *)buf;
	op.u.sock.len = len;
	op.u.sock.flags = flags | IOU_MSG_NOSIGNAL;
	if (flags & IOU_MSG_DONTWAIT)
		op.flags = OPF_NOWAIT;
	return run(self, &op);
}

int iou_recvmsg(struct iou_fiber *self, int fd, struct msghdr *msg, int flags,
		uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_RECVMSG, fd, timeout_ns);
	op.u.msg.msg = msg;
	op.u.msg.flags = flags;
	if (flags & IOU_MSG_DONTWAIT)
		op.flags = OPF_NOWAIT;
	return run(self, &op);
}

int iou_sendmsg(struct iou_fiber *self, int fd, const struct msghdr *msg,
		int flags, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_SENDMSG, fd, timeout_ns);
	op.u.msg.msg = (void *)msg;
	op.u.msg.flags = flags | IOU_MSG_NOSIGNAL;
	if (flags & IOU_MSG_DONTWAIT)
		op.flags = OPF_NOWAIT;
	return run(self, &op);
}

int iou_accept(struct iou_fiber *self, int fd, struct sockaddr *addr,
	       unsigned *addrlen, int flags, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_ACCEPT, fd, timeout_ns);
	op.u.addr.addr = addr;
	op.u.addr.addrlen = addrlen;
	op.u.addr.flags = flags;
	return run(self, &op);
}

int iou_connect(struct iou_fiber *self, int fd, const struct sockaddr *addr,
		unsigned addrlen, uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_CONNECT, fd, timeout_ns);
	op.u.addr.addr = (void *)addr;
	op.u.addr.len = addrlen;
	return run(self, &op);
}

int iou_socket(struct iou_fiber *self, int domain, int type, int protocol)
{
	struct iou__op op;

	op_init(&op, OPK_SOCKET, -1, 0);
	op.u.socket.domain = domain;
	op.u.socket.type = type | IOU_SOCK_CLOEXEC;
	op.u.socket.protocol = protocol;
	return run(self, &op);
}

int iou_bind(struct iou_fiber *self, int fd, const struct sockaddr *addr,
	     unsigned addrlen)
{
	struct iou__op op;

	op_init(&op, OPK_BIND, fd, 0);
	op.u.addr.addr = (void *)addr;
	op.u.addr.len = addrlen;
	return run(self, &op);
}

int iou_listen(struct iou_fiber *self, int fd, int backlog)
{
	struct iou__op op;

	op_init(&op, OPK_LISTEN, fd, 0);
	op.u.misc.how = backlog;
	return run(self, &op);
}

int iou_shutdown(struct iou_fiber *self, int fd, int how)
{
	struct iou__op op;

	op_init(&op, OPK_SHUTDOWN, fd, 0);
	op.u.misc.how = how;
	return run(self, &op);
}

int iou_openat(struct iou_fiber *self, int dfd, const char *path, int flags,
	       unsigned mode)
{
	struct iou__op op;

	op_init(&op, OPK_OPENAT, dfd, 0);
	op.u.path.path = path;
	op.u.path.flags = flags | IOU_O_CLOEXEC;
	op.u.path.mode = mode;
	return run(self, &op);
}

int iou_fsync(struct iou_fiber *self, int fd, unsigned flags)
{
	struct iou__op op;

	op_init(&op, OPK_FSYNC, fd, 0);
	op.u.misc.how = (int)flags;
	return run(self, &op);
}

int iou_statx(struct iou_fiber *self, int dfd, const char *path, int flags,
	      unsigned mask, struct statx *buf)
{
	struct iou__op op;

	op_init(&op, OPK_STATX, dfd, 0);
	op.u.path.path = path;
	op.u.path.flags = flags;
	op.u.path.mask = mask;
	op.u.path.statxbuf = buf;
	return run(self, &op);
}

int iou_splice(struct iou_fiber *self, int fd_in, int64_t off_in, int fd_out,
	       int64_t off_out, unsigned len, unsigned flags,
	       uint64_t timeout_ns)
{
	uint64_t deadline = iou__deadline(timeout_ns);
	struct iou__op op;
	int ret, side;

	/*
	 * A splice waiting on an empty (or full) pipe blocks an io-wq worker
	 * that a cancel or linked timeout does not reliably interrupt: splice
	 * without blocking, and wait for readiness with polls, which cancel.
	 * OPF_NOWAIT makes the epoll backend hand -EAGAIN back as well, since
	 * it cannot tell which of the two fds it should wait for.
	 */
	for (;;) {
		op_init(&op, OPK_SPLICE, fd_out, 0);
		op.flags = OPF_NOWAIT;
		op.u.splice.fd_in = fd_in;
		op.u.splice.off_in = off_in;
		op.u.splice.off_out = off_out;
		op.u.splice.len = len;
		op.u.splice.flags = flags | IOU_SPLICE_F_NONBLOCK;
		ret = run(self, &op);
		if (ret != -IOU_EAGAIN || (flags & IOU_SPLICE_F_NONBLOCK))
			return ret;
		/* Input readable, then output writable. */
		for (side = 0; side < 2; side++) {
			ret = iou__time_left(deadline, &timeout_ns);
			if (ret)
				return ret;
			ret = iou_poll(self, side ? fd_out : fd_in,
				       side ? IOU_POLLOUT : IOU_POLLIN, timeout_ns);
			if (ret < 0)
				return ret;
		}
	}
}

int iou_poll(struct iou_fiber *self, int fd, unsigned events,
	     uint64_t timeout_ns)
{
	struct iou__op op;

	op_init(&op, OPK_POLL, fd, timeout_ns);
	op.u.poll.events = events;
	return run(self, &op);
}

int iou_sleep(struct iou_fiber *self, uint64_t ns)
{
	struct iou__op op;
	int ret;

	op_init(&op, OPK_SLEEP, -1, 0);
	iou__ns_to_ts(&op.ts, ns);
	ret = run(self, &op);
	return ret == -IOU_ETIME ? 0 : ret;
}

/* Is @fd a socket?  getsockopt answers -ENOTSOCK otherwise. */
static int is_socket(int fd)
{
	int type;
	unsigned len = sizeof(type);

	return iou__sys_getsockopt(fd, IOU_SOL_SOCKET, IOU_SO_TYPE, &type,
				   &len) == 0;
}

int iou_close(struct iou_fiber *self, int fd)
{
	struct iou_loop *loop = self->loop;
	struct iou__fdent *fe = iou__fd_get(loop, fd);
	struct iou__op op, *o;
	int ret, unreg;

	if (!fe)
		return fd < 0 ? -IOU_EBADF : -IOU_ENOMEM;
	if (fe->closing)
		return -IOU_EBADF;
	fe->closing = 1;
	if (fe->inflight) {
		/* Peers see EOF and blocked receives return, even if some
		 * other reference keeps the file open. */
		if (is_socket(fd))
			iou__sys_shutdown(fd, IOU_SHUT_RDWR);
		for (o = fe->ops; o; o = o->fnext)
			iou__op_cancel(loop, o);
		/* Not cancellable: the fd must not close under an op. */
		while ((fe = iou__fd_get(loop, fd))->inflight) {
			fe->closer = self;
			iou__fiber_park(self);
		}
		fe->closer = 0;
	}
	/*
	 * Out of the registered files first, or the table keeps it open.
	 * Linux 6.1 lets go of a file taken out of the table up to a second
	 * later (a delayed work item), and the socket stays open till then:
	 * shut it down, so that its peer sees EOF now, as on later kernels.
	 */
	unreg = loop->be->fd_register(loop, fd, 0);
	if (unreg > 0 && is_socket(fd))
		iou__sys_shutdown(fd, IOU_SHUT_RDWR);
	op_init(&op, OPK_CLOSE, fd, 0);
	op.fiber = self;
	ret = iou__op_start(loop, &op);
	if (ret >= 0) {
		if (ret == 0)
			iou__op_wait(self, &op);
		ret = op.res;
		iou__op_unregister(loop, &op);
	} else {
		/* No op (a failed loop, no memory, no SQ room): close here. */
		ret = iou__sys_close(fd);
	}
	fe = iou__fd_get(loop, fd);
	fe->closing = 0;
	fe->epoll_added = 0;
	fe->nonblock_set = 0;
	return ret ? ret : unreg < 0 ? unreg : 0;
}

int iou_fd_register(struct iou_loop *loop, int fd)
{
	struct iou__fdent *fe;

	if (fd < 0)
		return -IOU_EBADF;
	fe = iou__fd_get(loop, fd);
	if (!fe)
		return -IOU_ENOMEM;
	if (fe->closing)
		return -IOU_EBADF;
	return loop->be->fd_register(loop, fd, 1);
}

int iou_fd_unregister(struct iou_loop *loop, int fd)
{
	int ret;

	if (fd < 0)
		return -IOU_EBADF;
	ret = loop->be->fd_register(loop, fd, 0);
	return ret > 0 ? 0 : ret;
}
