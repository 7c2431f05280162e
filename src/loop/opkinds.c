/* SPDX-License-Identifier: MIT */
/*
 * What each op kind is, in one place: the opcode it submits, how it uses
 * its fd, what an -EAGAIN waits for, its SQE (io_uring backend) and its
 * system call (epoll backend, and the io_uring backend's fallback where
 * the kernel lacks the opcode).  The op layer (ops.c) and both backends
 * read iou__opkinds[]; adding a fiber op is one entry here and its public
 * function in ops.c.
 */
#include "internal.h"
#include "iou/prep.h"

/* SQEs. */

static void prep_read(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_read(sqe, op->fd, op->u.rw.buf, op->u.rw.len, op->u.rw.off);
}

static void prep_write(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_write(sqe, op->fd, op->u.rw.buf, op->u.rw.len, op->u.rw.off);
}

static void prep_readv(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_readv(sqe, op->fd, op->u.vec.iov, (unsigned)op->u.vec.cnt,
		       op->u.vec.off, 0);
}

static void prep_writev(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_writev(sqe, op->fd, op->u.vec.iov, (unsigned)op->u.vec.cnt,
			op->u.vec.off, 0);
}

static void prep_recv(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_recv(sqe, op->fd, op->u.sock.buf, op->u.sock.len,
		      op->u.sock.flags);
}

static void prep_send(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_send(sqe, op->fd, op->u.sock.buf, op->u.sock.len,
		      op->u.sock.flags);
}

static void prep_recvmsg(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_recvmsg(sqe, op->fd, op->u.msg.msg, (unsigned)op->u.msg.flags);
}

static void prep_sendmsg(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_sendmsg(sqe, op->fd, op->u.msg.msg, (unsigned)op->u.msg.flags);
}

static void prep_accept(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_accept(sqe, op->fd, op->u.addr.addr, op->u.addr.addrlen,
			op->u.addr.flags);
}

static void prep_connect(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_connect(sqe, op->fd, op->u.addr.addr, op->u.addr.len);
}

static void prep_socket(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_socket(sqe, op->u.socket.domain, op->u.socket.type,
			op->u.socket.protocol, 0);
}

static void prep_bind(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_bind(sqe, op->fd, op->u.addr.addr, op->u.addr.len);
}

static void prep_listen(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_listen(sqe, op->fd, op->u.misc.how);
}

static void prep_shutdown(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_shutdown(sqe, op->fd, op->u.misc.how);
}

static void prep_openat(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_openat(sqe, op->fd, op->u.path.path, op->u.path.flags,
			op->u.path.mode);
}

static void prep_close(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_close(sqe, op->fd);
}

static void prep_fsync(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_fsync(sqe, op->fd, (unsigned)op->u.misc.how);
}

static void prep_statx(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_statx(sqe, op->fd, op->u.path.path, op->u.path.flags,
		       op->u.path.mask, op->u.path.statxbuf);
}

static void prep_splice(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_splice(sqe, op->u.splice.fd_in, op->u.splice.off_in, op->fd,
			op->u.splice.off_out, op->u.splice.len,
			op->u.splice.flags);
}

static void prep_poll(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_poll_add(sqe, op->fd, op->u.poll.events);
}

static void prep_sleep(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_timeout(sqe, &op->ts, 0, 0);
}

static void prep_multi_accept(const struct iou__op *op,
			      struct io_uring_sqe *sqe)
{
	iou_prep_multishot_accept(sqe, op->fd, 0, 0, IOU_SOCK_CLOEXEC);
}

static void prep_multi_recv(const struct iou__op *op, struct io_uring_sqe *sqe)
{
	iou_prep_recv_multishot(sqe, op->fd, 0, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	iou_sqe_set_buf_group(sqe, op->u.multi.bgid);
}

/* System calls: none of them blocks on a socket or pipe (O_NONBLOCK). */

/*
 * Reads and writes at an offset.  A pipe, socket or tty has no offset:
 * io_uring ignores it there, and so do we (pread answers -ESPIPE, read
 * does not).
 */
static int sys_rw(struct iou__op *op)
{
	int vec = op->kind == OPK_READV || op->kind == OPK_WRITEV;
	uint64_t off = vec ? op->u.vec.off : op->u.rw.off;
	int ret, again;

	for (again = 0; again < 2; again++) {
		switch (op->kind) {
		case OPK_READ:
			ret = (int)iou__sys_pread(op->fd, op->u.rw.buf,
						  op->u.rw.len, off);
			break;
		case OPK_WRITE:
			ret = (int)iou__sys_pwrite(op->fd, op->u.rw.buf,
						   op->u.rw.len, off);
			break;
		case OPK_READV:
			ret = (int)iou__sys_preadv(op->fd, op->u.vec.iov,
						   op->u.vec.cnt, off);
			break;
		default:
			ret = (int)iou__sys_pwritev(op->fd, op->u.vec.iov,
						    op->u.vec.cnt, off);
			break;
		}
		if (ret != -IOU_ESPIPE || off == IOU_POS)
			break;
		off = IOU_POS;
	}
	return ret;
}

static int sys_recv(struct iou__op *op)
{
	return (int)iou__sys_recv(op->fd, op->u.sock.buf, op->u.sock.len,
				  op->u.sock.flags | IOU_MSG_DONTWAIT);
}

static int sys_send(struct iou__op *op)
{
	return (int)iou__sys_send(op->fd, op->u.sock.buf, op->u.sock.len,
				  op->u.sock.flags | IOU_MSG_DONTWAIT);
}

static int sys_recvmsg(struct iou__op *op)
{
	return (int)iou__sys_recvmsg(op->fd, op->u.msg.msg,
				     op->u.msg.flags | IOU_MSG_DONTWAIT);
}

static int sys_sendmsg(struct iou__op *op)
{
	return (int)iou__sys_sendmsg(op->fd, op->u.msg.msg,
				     op->u.msg.flags | IOU_MSG_DONTWAIT);
}

static int sys_accept(struct iou__op *op)
{
	return iou__sys_accept4(op->fd, op->u.addr.addr, op->u.addr.addrlen,
				op->u.addr.flags);
}

/*
 * cqe_flags marks a connect in progress: once the socket is writable, its
 * result is in SO_ERROR.
 */
static int sys_connect(struct iou__op *op)
{
	unsigned len;
	int err, ret;

	if (op->cqe_flags) {
		err = 0;
		len = sizeof(err);
		ret = iou__sys_getsockopt(op->fd, IOU_SOL_SOCKET, IOU_SO_ERROR,
					  &err, &len);
		return ret ? ret : -err;
	}
	ret = iou__sys_connect(op->fd, op->u.addr.addr, op->u.addr.len);
	if (ret == -IOU_EINPROGRESS) {
		op->cqe_flags = 1;
		return -IOU_EAGAIN;
	}
	return ret;
}

static int sys_socket(struct iou__op *op)
{
	return iou__sys_socket(op->u.socket.domain, op->u.socket.type,
			       op->u.socket.protocol);
}

static int sys_bind(struct iou__op *op)
{
	return iou__sys_bind(op->fd, op->u.addr.addr, op->u.addr.len);
}

static int sys_listen(struct iou__op *op)
{
	return iou__sys_listen(op->fd, op->u.misc.how);
}

static int sys_shutdown(struct iou__op *op)
{
	return iou__sys_shutdown(op->fd, op->u.misc.how);
}

static int sys_openat(struct iou__op *op)
{
	return iou__sys_openat(op->fd, op->u.path.path, op->u.path.flags,
			       op->u.path.mode);
}

static int sys_close(struct iou__op *op)
{
	return iou__sys_close(op->fd);
}

static int sys_fsync(struct iou__op *op)
{
	return iou__sys_fsync(op->fd, op->u.misc.how & IORING_FSYNC_DATASYNC);
}

static int sys_statx(struct iou__op *op)
{
	return iou__sys_statx(op->fd, op->u.path.path, op->u.path.flags,
			      op->u.path.mask, op->u.path.statxbuf);
}

static int sys_splice(struct iou__op *op)
{
	return (int)iou__sys_splice(
		op->u.splice.fd_in,
		op->u.splice.off_in < 0 ? 0 : &op->u.splice.off_in, op->fd,
		op->u.splice.off_out < 0 ? 0 : &op->u.splice.off_out,
		op->u.splice.len, op->u.splice.flags | IOU_SPLICE_F_NONBLOCK);
}

static int sys_poll(struct iou__op *op)
{
	int ret = iou__sys_poll_now(op->fd, op->u.poll.events);

	return ret == 0 ? -IOU_EAGAIN : ret;
}

#define RD IOU_POLLIN
#define WR IOU_POLLOUT
/* An fd that iou_close() waits for and that may be a registered file. */
#define FDX (OPKF_FD | OPKF_FIXED)

const struct iou__opkind iou__opkinds[OPK__COUNT] = {
	[OPK_READ] = { "read", IORING_OP_READ, FDX | OPKF_RETRY, RD,
		       prep_read, sys_rw },
	[OPK_WRITE] = { "write", IORING_OP_WRITE, FDX | OPKF_RETRY, WR,
			prep_write, sys_rw },
	[OPK_READV] = { "readv", IORING_OP_READV, FDX | OPKF_RETRY, RD,
			prep_readv, sys_rw },
	[OPK_WRITEV] = { "writev", IORING_OP_WRITEV, FDX | OPKF_RETRY, WR,
			 prep_writev, sys_rw },
	[OPK_RECV] = { "recv", IORING_OP_RECV, FDX | OPKF_RETRY, RD,
		       prep_recv, sys_recv },
	[OPK_SEND] = { "send", IORING_OP_SEND, FDX | OPKF_RETRY, WR,
		       prep_send, sys_send },
	[OPK_RECVMSG] = { "recvmsg", IORING_OP_RECVMSG, FDX | OPKF_RETRY, RD,
			  prep_recvmsg, sys_recvmsg },
	[OPK_SENDMSG] = { "sendmsg", IORING_OP_SENDMSG, FDX | OPKF_RETRY, WR,
			  prep_sendmsg, sys_sendmsg },
	[OPK_ACCEPT] = { "accept", IORING_OP_ACCEPT, FDX | OPKF_RETRY, RD,
			 prep_accept, sys_accept },
	[OPK_CONNECT] = { "connect", IORING_OP_CONNECT, FDX, WR,
			  prep_connect, sys_connect },
	[OPK_SOCKET] = { "socket", IORING_OP_SOCKET, OPKF_SYNC | OPKF_PROBE, 0,
			 prep_socket, sys_socket },
	[OPK_BIND] = { "bind", IORING_OP_BIND, FDX | OPKF_SYNC | OPKF_PROBE, 0,
		       prep_bind, sys_bind },
	[OPK_LISTEN] = { "listen", IORING_OP_LISTEN, FDX | OPKF_SYNC | OPKF_PROBE, 0,
			 prep_listen, sys_listen },
	[OPK_SHUTDOWN] = { "shutdown", IORING_OP_SHUTDOWN, FDX | OPKF_SYNC | OPKF_PROBE, 0,
			   prep_shutdown, sys_shutdown },
	[OPK_OPENAT] = { "openat", IORING_OP_OPENAT, OPKF_SYNC, 0,
			 prep_openat, sys_openat },
	[OPK_CLOSE] = { "close", IORING_OP_CLOSE, OPKF_SYNC, 0,
			prep_close, sys_close },
	[OPK_FSYNC] = { "fsync", IORING_OP_FSYNC, FDX | OPKF_SYNC, 0,
			prep_fsync, sys_fsync },
	[OPK_STATX] = { "statx", IORING_OP_STATX, OPKF_SYNC, 0,
			prep_statx, sys_statx },
	[OPK_SPLICE] = { "splice", IORING_OP_SPLICE, OPKF_FD, RD,
			 prep_splice, sys_splice },
	[OPK_POLL] = { "poll", IORING_OP_POLL_ADD, FDX, 0,
		       prep_poll, sys_poll },
	[OPK_SLEEP] = { "sleep", IORING_OP_TIMEOUT, 0, 0,
			prep_sleep, 0 },
	[OPK_MULTI_ACCEPT] = { "multishot accept", IORING_OP_ACCEPT, FDX | OPKF_MULTI, RD,
			       prep_multi_accept, 0 },
	[OPK_MULTI_RECV] = { "multishot recv", IORING_OP_RECV, FDX | OPKF_MULTI, RD,
			     prep_multi_recv, 0 },
};
