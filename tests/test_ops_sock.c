/* SPDX-License-Identifier: MIT */
/*
 * Socket opcodes on real loopback sockets, each through its prep helper
 * and checked at the other end: bytes arrive intact, addresses match, the
 * peer sees EOF.  Every wait is bounded (5 s).
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <iou/prep.h>

#define UD_NET(i) UD_TAG(0x4e455400, i) /* "NET" */

/* A TCP listener on 127.0.0.1, any port; its address in *@addr. */
static int listener(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)addr, &len), 0);
	return fd;
}

static int connect_to(const struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (const struct sockaddr *)addr,
				 sizeof(*addr)),
			 0);
	return fd;
}

/* A connected TCP pair over loopback. */
static void tcp_pair(int sv[2])
{
	struct sockaddr_in addr;
	int lfd = listener(&addr);

	sv[0] = connect_to(&addr);
	sv[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(sv[1] >= 0);
	close(lfd);
}

static void read_exactly(int fd, const char *want, size_t n)
{
	char buf[256];
	size_t got = 0;
	ssize_t r;

	assert_true(n <= sizeof(buf));
	while (got < n) {
		r = read(fd, buf + got, n - got);
		assert_true(r > 0);
		got += (size_t)r;
	}
	assert_memory_equal(buf, want, n);
}

static void test_ops_sock_socket_bind_listen(void **state)
{
	struct sockaddr_in addr, got;
	socklen_t len = sizeof(got);
	struct iou_ring ring;
	int fd, cfd, val = 0;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SOCKET);
	iou_prep_socket(t_sqe(&ring, UD_NET(1)), AF_INET,
			SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
	fd = t_result_of(&ring, UD_NET(1));
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	len = sizeof(val);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len), 0);
	assert_int_equal(val, SOCK_STREAM);
	iou_prep_socket(t_sqe(&ring, UD_NET(2)), 12345, SOCK_STREAM, 0, 0);
	assert_int_equal(t_result_of(&ring, UD_NET(2)), -EAFNOSUPPORT);
	t_opcode_checked(IORING_OP_SOCKET);

	t_require_op(&ring, IORING_OP_BIND);
	t_require_op(&ring, IORING_OP_LISTEN);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	iou_prep_bind(t_sqe(&ring, UD_NET(3)), fd, (struct sockaddr *)&addr,
		      sizeof(addr));
	assert_int_equal(t_result_of(&ring, UD_NET(3)), 0);
	len = sizeof(got);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&got, &len), 0);
	assert_int_equal(got.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_true(got.sin_port != 0);
	iou_prep_bind(t_sqe(&ring, UD_NET(4)), fd, (struct sockaddr *)&addr,
		      sizeof(addr));
	assert_int_equal(t_result_of(&ring, UD_NET(4)), -EINVAL);
	t_opcode_checked(IORING_OP_BIND);

	iou_prep_listen(t_sqe(&ring, UD_NET(5)), fd, 16);
	assert_int_equal(t_result_of(&ring, UD_NET(5)), 0);
	cfd = connect_to(&got);
	t_opcode_checked(IORING_OP_LISTEN);
	close(cfd);
	close(fd);
	iou_ring_exit(&ring);
}

static void test_ops_sock_accept_connect(void **state)
{
	struct sockaddr_in addr, peer;
	unsigned peer_len = sizeof(peer);
	struct iou_ring ring;
	int lfd, cfd, afd, res, i;
	struct io_uring_cqe cqe;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_ACCEPT);
	t_require_op(&ring, IORING_OP_CONNECT);
	lfd = listener(&addr);

	/* An accept waits for a client; the connect is ours too. */
	iou_prep_accept(t_sqe(&ring, UD_NET(10)), lfd, (struct sockaddr *)&peer,
			&peer_len, SOCK_CLOEXEC);
	t_expect_quiet(&ring, 10);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	iou_prep_connect(t_sqe(&ring, UD_NET(11)), cfd,
			 (struct sockaddr *)&addr, sizeof(addr));
	assert_int_equal(iou_submit(&ring), 1);
	afd = -1;
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_NET(10))
			afd = res;
		else
			assert_int_equal(res, 0);
	}
	assert_true(afd >= 0);
	assert_int_equal(peer_len, sizeof(peer));
	assert_int_equal(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(write(cfd, "hello", 5), 5);
	read_exactly(afd, "hello", 5);
	t_opcode_checked(IORING_OP_ACCEPT);
	t_opcode_checked(IORING_OP_CONNECT);
	close(afd);
	close(cfd);

	/* Nobody listening: refused. */
	close(lfd);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	iou_prep_connect(t_sqe(&ring, UD_NET(12)), cfd,
			 (struct sockaddr *)&addr, sizeof(addr));
	assert_int_equal(t_result_of(&ring, UD_NET(12)), -ECONNREFUSED);
	close(cfd);
	iou_ring_exit(&ring);
}

static void test_ops_sock_accept_multishot(void **state)
{
	struct sockaddr_in addr;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int lfd, cfd[3], afd[3], i, res, seen = 0;

	(void)state;
	t_ring_init(&ring, 16, 0);
	t_require_op(&ring, IORING_OP_ACCEPT);
	lfd = listener(&addr);
	iou_prep_multishot_accept(t_sqe(&ring, UD_NET(20)), lfd, NULL, NULL,
				  SOCK_CLOEXEC);
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 3; i++) {
		cfd[i] = connect_to(&addr);
		afd[i] = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_NET(20));
		assert_true(afd[i] >= 0);
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		assert_int_equal(write(cfd[i], "m", 1), 1);
		read_exactly(afd[i], "m", 1);
	}
	/* Cancel it: one last CQE, -ECANCELED, without F_MORE. */
	sqe = t_sqe(&ring, UD_NET(21));
	iou_prep_cancel64(sqe, UD_NET(20), 0);
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(&ring, &cqe);
		if (cqe.user_data == UD_NET(20)) {
			assert_int_equal(res, -ECANCELED);
			assert_false(cqe.flags & IORING_CQE_F_MORE);
			seen++;
		}
	}
	assert_int_equal(seen, 1);
	for (i = 0; i < 3; i++) {
		close(cfd[i]);
		close(afd[i]);
	}
	close(lfd);
	iou_ring_exit(&ring);
}

static void test_ops_sock_direct(void **state)
{
	struct sockaddr_in addr;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int lfd, cfd, res;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SOCKET);
	t_require_op(&ring, IORING_OP_ACCEPT);
	assert_int_equal(iou_register_files_sparse(&ring, 8), 0);

	/* A socket straight into slot 4, and one into any free slot. */
	iou_prep_socket_direct(t_sqe(&ring, UD_NET(30)), AF_INET, SOCK_STREAM,
			       0, 4, 0);
	assert_int_equal(t_result_of(&ring, UD_NET(30)), 0);
	iou_prep_socket_direct(t_sqe(&ring, UD_NET(31)), AF_INET, SOCK_STREAM,
			       0, IORING_FILE_INDEX_ALLOC, 0);
	res = t_result_of(&ring, UD_NET(31));
	assert_true(res >= 0 && res < 8 && res != 4);

	/* Accept into slot 6 and multishot-accept into free slots. */
	lfd = listener(&addr);
	iou_prep_accept_direct(t_sqe(&ring, UD_NET(32)), lfd, NULL, NULL, 0, 6);
	assert_int_equal(iou_submit(&ring), 1);
	cfd = connect_to(&addr);
	assert_int_equal(t_result_of(&ring, UD_NET(32)), 0);
	assert_int_equal(write(cfd, "d", 1), 1);
	sqe = t_sqe(&ring, UD_NET(33));
	iou_prep_recv(sqe, 6, &res, 1, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_NET(33)), 1);
	close(cfd);

	iou_prep_multishot_accept_direct(t_sqe(&ring, UD_NET(34)), lfd, NULL,
					 NULL, 0);
	assert_int_equal(iou_submit(&ring), 1);
	cfd = connect_to(&addr);
	res = t_next_cqe(&ring, &cqe);
	assert_int_equal(cqe.user_data, UD_NET(34));
	assert_true(res >= 0 && res < 8 && res != 4 && res != 6);
	assert_true(cqe.flags & IORING_CQE_F_MORE);
	close(cfd);
	close(lfd);
	iou_ring_exit(&ring);
}

static void test_ops_sock_send_recv(void **state)
{
	struct sockaddr_in addr;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int sv[2], u1, u2, i, res;
	char buf[32] = { 0 };
	socklen_t len = sizeof(addr);

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SEND);
	t_require_op(&ring, IORING_OP_RECV);
	tcp_pair(sv);
	iou_prep_send(t_sqe(&ring, UD_NET(40)), sv[0], "over tcp", 8, 0);
	assert_int_equal(t_result_of(&ring, UD_NET(40)), 8);
	read_exactly(sv[1], "over tcp", 8);
	assert_int_equal(write(sv[1], "back", 4), 4);
	iou_prep_recv(t_sqe(&ring, UD_NET(41)), sv[0], buf, sizeof(buf), 0);
	assert_int_equal(t_result_of(&ring, UD_NET(41)), 4);
	assert_memory_equal(buf, "back", 4);
	/* MSG_DONTWAIT on an empty socket: -EAGAIN, flags reach the kernel. */
	iou_prep_recv(t_sqe(&ring, UD_NET(42)), sv[0], buf, sizeof(buf),
		      MSG_DONTWAIT);
	assert_int_equal(t_result_of(&ring, UD_NET(42)), -EAGAIN);

	/* Linked send -> recv: the flag set before prep survives. */
	sqe = t_sqe(&ring, UD_NET(43));
	iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
	iou_prep_send(sqe, sv[1], "linked", 6, 0);
	assert_int_equal(sqe->flags, IOSQE_IO_LINK);
	iou_prep_recv(t_sqe(&ring, UD_NET(44)), sv[0], buf, 6, MSG_WAITALL);
	assert_int_equal(iou_submit(&ring), 2);
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(&ring, &cqe);
		assert_int_equal(res, 6);
	}
	assert_memory_equal(buf, "linked", 6);
	t_opcode_checked(IORING_OP_SEND);
	t_opcode_checked(IORING_OP_RECV);

	/* sendto on UDP: the datagram reaches the named address. */
	u1 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	u2 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(u2, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(u2, (struct sockaddr *)&addr, &len), 0);
	iou_prep_sendto(t_sqe(&ring, UD_NET(45)), u1, "dgram", 5, 0,
			(struct sockaddr *)&addr, sizeof(addr));
	assert_int_equal(t_result_of(&ring, UD_NET(45)), 5);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(recv(u2, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "dgram", 5);
	close(u1);
	close(u2);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
}

static void test_ops_sock_recv_multishot_bundle(void **state)
{
	enum { ENTRIES = 8, BGID = 5, BUFSZ = 8 };
	static char bufs[ENTRIES][BUFSZ];
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	static const char full[] = "abcdefghijklmnopqrst";
	int sv[2], i, err, bid, res;
	char msg[8];

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_RECV);
	br = iou_setup_buf_ring(&ring, ENTRIES, BGID, 0, &err);
	assert_non_null(br);
	for (i = 0; i < ENTRIES; i++)
		iou_buf_ring_add(br, bufs[i], BUFSZ, (unsigned short)i,
				 iou_buf_ring_mask(ENTRIES), (unsigned)i);
	iou_buf_ring_advance(br, ENTRIES);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);

	sqe = t_sqe(&ring, UD_NET(50));
	iou_prep_recv_multishot(sqe, sv[0], 0, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, BGID);
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 3; i++) {
		snprintf(msg, sizeof(msg), "ms-%d", i);
		assert_int_equal(write(sv[1], msg, 4), 4);
		assert_int_equal(t_next_cqe(&ring, &cqe), 4);
		assert_int_equal(cqe.user_data, UD_NET(50));
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		bid = iou_cqe_buffer_id(&cqe);
		assert_true(bid >= 0 && bid < ENTRIES);
		assert_memory_equal(bufs[bid], msg, 4);
	}
	/* Peer closes: a final 0 without F_MORE. */
	shutdown(sv[1], SHUT_WR);
	assert_int_equal(t_next_cqe(&ring, &cqe), 0);
	assert_false(cqe.flags & IORING_CQE_F_MORE);

	if (ring.features & IORING_FEAT_RECVSEND_BUNDLE) {
		/* 20 bytes arrive, a bundle recv spans 3 buffers of 8. */
		close(sv[0]);
		close(sv[1]);
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC,
					    0, sv),
				 0);
		assert_int_equal(write(sv[1], full, 20), 20);
		sqe = t_sqe(&ring, UD_NET(51));
		iou_prep_recv_bundle(sqe, sv[0], 0);
		iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
		iou_sqe_set_buf_group(sqe, BGID);
		/*
		 * The kernel may stop short of all the data, which then
		 * waits in the socket: 6.18 fills several buffers here,
		 * 6.12 just one.  test_ops_net_bundle checks that bundles
		 * span buffers.
		 */
		res = t_next_cqe(&ring, &cqe);
		assert_true(res > 0 && res <= 20);
		assert_true(cqe.flags & IORING_CQE_F_BUFFER);
		bid = iou_cqe_buffer_id(&cqe);
		for (i = 0; i * BUFSZ < res; i++)
			assert_memory_equal(bufs[(bid + i) % ENTRIES],
					    full + i * BUFSZ,
					    (size_t)(res - i * BUFSZ < BUFSZ ?
							     res - i * BUFSZ :
							     BUFSZ));
		if (res < 20)
			read_exactly(sv[0], full + res, (size_t)(20 - res));
	}
	close(sv[0]);
	close(sv[1]);
	iou_free_buf_ring(&ring, br, ENTRIES, BGID);
	iou_ring_exit(&ring);
}

static void test_ops_sock_sendmsg_recvmsg(void **state)
{
	struct iovec out[2] = { { "gather", 6 }, { "ed", 2 } };
	char a[4], b[4];
	struct iovec in[2] = { { a, 4 }, { b, 4 } };
	struct msghdr smsg, rmsg;
	struct iou_ring ring;
	int sv[2];

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SENDMSG);
	t_require_op(&ring, IORING_OP_RECVMSG);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv),
			 0);
	memset(&smsg, 0, sizeof(smsg));
	smsg.msg_iov = out;
	smsg.msg_iovlen = 2;
	iou_prep_sendmsg(t_sqe(&ring, UD_NET(60)), sv[0], &smsg, 0);
	assert_int_equal(t_result_of(&ring, UD_NET(60)), 8);
	memset(&rmsg, 0, sizeof(rmsg));
	rmsg.msg_iov = in;
	rmsg.msg_iovlen = 2;
	iou_prep_recvmsg(t_sqe(&ring, UD_NET(61)), sv[1], &rmsg, 0);
	assert_int_equal(t_result_of(&ring, UD_NET(61)), 8);
	assert_memory_equal(a, "gath", 4);
	assert_memory_equal(b, "ered", 4);
	t_opcode_checked(IORING_OP_SENDMSG);
	t_opcode_checked(IORING_OP_RECVMSG);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
}

static void test_ops_sock_recvmsg_multishot(void **state)
{
	enum { ENTRIES = 4, BGID = 6, BUFSZ = 128 };
	static char bufs[ENTRIES][BUFSZ];
	struct io_uring_recvmsg_out *o;
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	struct msghdr tmpl;
	int sv[2], i, err, res, bid;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_RECVMSG);
	br = iou_setup_buf_ring(&ring, ENTRIES, BGID, 0, &err);
	assert_non_null(br);
	for (i = 0; i < ENTRIES; i++)
		iou_buf_ring_add(br, bufs[i], BUFSZ, (unsigned short)i,
				 iou_buf_ring_mask(ENTRIES), (unsigned)i);
	iou_buf_ring_advance(br, ENTRIES);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv),
			 0);
	memset(&tmpl, 0, sizeof(tmpl));
	sqe = t_sqe(&ring, UD_NET(62));
	iou_prep_recvmsg_multishot(sqe, sv[1], &tmpl, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, BGID);
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(send(sv[0], i ? "second" : "first", i ? 6 : 5,
				      0),
				 i ? 6 : 5);
		res = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_NET(62));
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		bid = iou_cqe_buffer_id(&cqe);
		assert_true(bid >= 0 && bid < ENTRIES);
		/* Each buffer starts with the out header, then the payload. */
		o = (struct io_uring_recvmsg_out *)bufs[bid];
		assert_int_equal(res, (int)sizeof(*o) + (i ? 6 : 5));
		assert_int_equal(o->payloadlen, i ? 6 : 5);
		assert_memory_equal((char *)(o + 1), i ? "second" : "first",
				    o->payloadlen);
	}
	close(sv[0]);
	close(sv[1]);
	iou_free_buf_ring(&ring, br, ENTRIES, BGID);
	iou_ring_exit(&ring);
}

static void test_ops_sock_shutdown(void **state)
{
	struct iou_ring ring;
	int sv[2];
	char c;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SHUTDOWN);
	tcp_pair(sv);
	iou_prep_shutdown(t_sqe(&ring, UD_NET(70)), sv[0], SHUT_WR);
	assert_int_equal(t_result_of(&ring, UD_NET(70)), 0);
	/* The peer sees EOF; our read side still works. */
	assert_int_equal(read(sv[1], &c, 1), 0);
	assert_int_equal(write(sv[1], "r", 1), 1);
	assert_int_equal(read(sv[0], &c, 1), 1);
	iou_prep_shutdown(t_sqe(&ring, UD_NET(71)), sv[0], 99);
	assert_int_equal(t_result_of(&ring, UD_NET(71)), -EINVAL);
	t_opcode_checked(IORING_OP_SHUTDOWN);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
}

/* Reap the two CQEs of a zero-copy send: the result, then the notice. */
static void zc_cqes(struct iou_ring *ring, uint64_t ud, int want)
{
	struct io_uring_cqe cqe;

	assert_int_equal(t_next_cqe(ring, &cqe), want);
	assert_int_equal(cqe.user_data, ud);
	assert_true(cqe.flags & IORING_CQE_F_MORE);
	t_next_cqe(ring, &cqe);
	assert_int_equal(cqe.user_data, ud);
	assert_true(cqe.flags & IORING_CQE_F_NOTIF);
	assert_false(cqe.flags & IORING_CQE_F_MORE);
}

static void test_ops_sock_zero_copy(void **state)
{
	char *mem = t_anon(4096);
	struct iovec reg = { mem, 4096 };
	struct iovec out[2] = { { "zc", 2 }, { "msg", 3 } };
	struct msghdr msg;
	struct iou_ring ring;
	int sv[2];

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SEND_ZC);
	t_require_op(&ring, IORING_OP_SENDMSG_ZC);
	tcp_pair(sv);
	iou_prep_send_zc(t_sqe(&ring, UD_NET(80)), sv[0], "zero-copy", 9, 0, 0);
	zc_cqes(&ring, UD_NET(80), 9);
	read_exactly(sv[1], "zero-copy", 9);

	assert_int_equal(iou_register_buffers(&ring, &reg, 1), 0);
	memcpy(mem + 64, "fixed-zc", 8);
	iou_prep_send_zc_fixed(t_sqe(&ring, UD_NET(81)), sv[0], mem + 64, 8, 0,
			       0, 0);
	zc_cqes(&ring, UD_NET(81), 8);
	read_exactly(sv[1], "fixed-zc", 8);
	t_opcode_checked(IORING_OP_SEND_ZC);

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = out;
	msg.msg_iovlen = 2;
	iou_prep_sendmsg_zc(t_sqe(&ring, UD_NET(82)), sv[0], &msg, 0);
	zc_cqes(&ring, UD_NET(82), 5);
	read_exactly(sv[1], "zcmsg", 5);
	t_opcode_checked(IORING_OP_SENDMSG_ZC);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	t_anon_free(mem, 4096);
}

static void test_ops_sock_uring_cmd(void **state)
{
	struct iou_ring ring;
	int sv[2], val, res;
	socklen_t len = sizeof(val);

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_URING_CMD);
	tcp_pair(sv);
	assert_int_equal(write(sv[1], "1234567", 7), 7);
	usleep(10000);
	/* SIOCINQ: bytes waiting to be read. */
	iou_prep_cmd_sock(t_sqe(&ring, UD_NET(90)), SOCKET_URING_OP_SIOCINQ,
			  sv[0], 0, 0, NULL, 0);
	res = t_result_of(&ring, UD_NET(90));
	if (res == -EOPNOTSUPP) {
		close(sv[0]);
		close(sv[1]);
		iou_ring_exit(&ring);
		t_missing(6, 7, "socket uring_cmd (SOCKET_URING_OP_SIOCINQ)");
	}
	assert_int_equal(res, 7);
	/* SIOCOUTQ: nothing unsent on our side. */
	iou_prep_cmd_sock(t_sqe(&ring, UD_NET(91)), SOCKET_URING_OP_SIOCOUTQ,
			  sv[0], 0, 0, NULL, 0);
	assert_int_equal(t_result_of(&ring, UD_NET(91)), 0);
	/* getsockopt(SO_RCVBUF) agrees with getsockopt(2). */
	val = 0;
	iou_prep_cmd_sock(t_sqe(&ring, UD_NET(92)), SOCKET_URING_OP_GETSOCKOPT,
			  sv[0], SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
	assert_int_equal(t_result_of(&ring, UD_NET(92)), (int)sizeof(val));
	res = 0;
	assert_int_equal(getsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &res, &len),
			 0);
	assert_int_equal(val, res);
	/* setsockopt(SO_KEEPALIVE) shows in getsockopt(2). */
	val = 1;
	iou_prep_cmd_sock(t_sqe(&ring, UD_NET(93)), SOCKET_URING_OP_SETSOCKOPT,
			  sv[0], SOL_SOCKET, SO_KEEPALIVE, &val, sizeof(val));
	assert_int_equal(t_result_of(&ring, UD_NET(93)), 0);
	res = 0;
	len = sizeof(res);
	assert_int_equal(getsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &res, &len),
			 0);
	assert_int_equal(res, 1);
	t_opcode_checked(IORING_OP_URING_CMD);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
}

static void test_ops_sock_recv_zc_needs_nic(void **state)
{
	struct iou_ring ring;
	int sv[2], res;

	(void)state;
	t_ring_init(&ring, 8,
		    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			    IORING_SETUP_CQE32);
	t_require_op(&ring, IORING_OP_RECV_ZC);
	tcp_pair(sv);
	/* No zcrx queue was registered: index 0 names nothing. */
	iou_prep_recv_zc(t_sqe(&ring, UD_NET(100)), sv[0], 0, 0, 0);
	res = t_result_of(&ring, UD_NET(100));
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	assert_int_equal(res, -EINVAL);
	t_skip("zero-copy receive needs a NIC with header split (res %d)", res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_ops_sock_socket_bind_listen),
		T_TEST(test_ops_sock_accept_connect),
		T_TEST(test_ops_sock_accept_multishot),
		T_TEST(test_ops_sock_direct),
		T_TEST(test_ops_sock_send_recv),
		T_TEST(test_ops_sock_recv_multishot_bundle),
		T_TEST(test_ops_sock_sendmsg_recvmsg),
		T_TEST(test_ops_sock_recvmsg_multishot),
		T_TEST(test_ops_sock_shutdown),
		T_TEST(test_ops_sock_zero_copy),
		T_TEST(test_ops_sock_uring_cmd),
		T_TEST(test_ops_sock_recv_zc_needs_nic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
