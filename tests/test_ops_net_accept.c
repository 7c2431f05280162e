/* SPDX-License-Identifier: MIT */
/*
 * Setting up connections: SOCKET, BIND, LISTEN (plain and linked), ACCEPT
 * (single and multishot, plain and into fixed-file slots) and CONNECT on
 * loopback.  The method and the shared plumbing: ops_net.h.
 */
#include "ops_net.h"

#include <fcntl.h>
#include <stdio.h>

/*
 * Plumbing only these tests use; the shared part is in ops_net.h
 */

static void peer_of(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	assert_int_equal(getpeername(fd, (struct sockaddr *)a, &len), 0);
	assert_int_equal(len, sizeof(*a));
}

static void sparse_files(struct iou_ring *ring, unsigned nr)
{
	int ret = iou_register_files_sparse(ring, nr);

	if (ret == -EINVAL)
		t_skip("kernel lacks sparse file tables (%d)", ret);
	assert_int_equal(ret, 0);
}

/*
 * IORING_OP_SOCKET
 */

static void test_ops_net_accept_socket(void **state)
{
	struct iou_ring ring;
	int n0, fd, fd2;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SOCKET);

	iou_prep_socket(t_sqe(&ring, UD_SOCK(1)), AF_INET,
			SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
	fd = t_result_of(&ring, UD_SOCK(1));
	assert_true(fd >= 0);
	assert_int_equal(t_count_fds(), n0 + 2); /* the ring and the socket */
	assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_DOMAIN), AF_INET);
	assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
	assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_PROTOCOL), IPPROTO_TCP);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);

	/* Other type flags and an explicit protocol reach the kernel too. */
	iou_prep_socket(t_sqe(&ring, UD_SOCK(2)), AF_INET,
			SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP, 0);
	fd2 = t_result_of(&ring, UD_SOCK(2));
	assert_true(fd2 >= 0);
	assert_int_equal(sockopt_int(fd2, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
	assert_int_equal(sockopt_int(fd2, SOL_SOCKET, SO_PROTOCOL),
			 IPPROTO_UDP);
	assert_true(fcntl(fd2, F_GETFL) & O_NONBLOCK);
	assert_false(fcntl(fd2, F_GETFD) & FD_CLOEXEC);

	/* Each argument is the kernel's: a wrong one is refused for it. */
	iou_prep_socket(t_sqe(&ring, UD_SOCK(3)), 12345, SOCK_STREAM, 0, 0);
	assert_int_equal(t_result_of(&ring, UD_SOCK(3)), -EAFNOSUPPORT);
	iou_prep_socket(t_sqe(&ring, UD_SOCK(4)), AF_INET, SOCK_DGRAM,
			IPPROTO_TCP, 0);
	assert_int_equal(t_result_of(&ring, UD_SOCK(4)), -EPROTONOSUPPORT);
	iou_prep_socket(t_sqe(&ring, UD_SOCK(5)), AF_INET, SOCK_STREAM, 0, 1);
	assert_int_equal(t_result_of(&ring, UD_SOCK(5)), -EINVAL);
	assert_int_equal(t_count_fds(), n0 + 3);

	close(fd);
	close(fd2);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SOCKET);
}

static void test_ops_net_accept_socket_direct(void **state)
{
	enum { SLOTS = 8 };
	static const char *const msg[2] = { "to slot 3", "to an allocated slot" };
	struct sockaddr_in addr, peer, local;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, n1, lfd, afd[2], slot[2], i, len;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SOCKET);
	t_require_op(&ring, IORING_OP_CONNECT);
	t_require_op(&ring, IORING_OP_SEND);
	sparse_files(&ring, SLOTS);
	lfd = listener(&addr);
	n1 = t_count_fds();

	/* Into slot 3, then into whichever slot is free. */
	iou_prep_socket_direct(t_sqe(&ring, UD_SOCK(10)), AF_INET, SOCK_STREAM,
			       0, 3, 0);
	assert_int_equal(t_result_of(&ring, UD_SOCK(10)), 0);
	slot[0] = 3;
	iou_prep_socket_direct(t_sqe(&ring, UD_SOCK(11)), AF_INET, SOCK_STREAM,
			       0, IORING_FILE_INDEX_ALLOC, 0);
	slot[1] = t_result_of(&ring, UD_SOCK(11));
	assert_true(slot[1] >= 0 && slot[1] < SLOTS);
	assert_int_not_equal(slot[1], 3);
	/* Neither took a place in the process's fd table. */
	assert_int_equal(t_count_fds(), n1);

	/* A fixed file cannot be close-on-exec; a slot must exist. */
	iou_prep_socket_direct(t_sqe(&ring, UD_SOCK(12)), AF_INET,
			       SOCK_STREAM | SOCK_CLOEXEC, 0, 4, 0);
	assert_int_equal(t_result_of(&ring, UD_SOCK(12)), -EINVAL);
	iou_prep_socket_direct(t_sqe(&ring, UD_SOCK(13)), AF_INET, SOCK_STREAM,
			       0, SLOTS, 0);
	assert_int_equal(t_result_of(&ring, UD_SOCK(13)), -EINVAL);

	/* Both slots are TCP sockets: connect through each, send through each. */
	for (i = 0; i < 2; i++) {
		sqe = t_sqe(&ring, UD_CONN(10 + i));
		iou_prep_connect(sqe, slot[i], (struct sockaddr *)&addr,
				 sizeof(addr));
		iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
		assert_int_equal(t_result_of(&ring, UD_CONN(10 + i)), 0);
		afd[i] = accept_within(lfd);
		peer_of(afd[i], &peer);
		name_of(afd[i], &local);
		assert_same_addr(&local, &addr);
		assert_int_equal(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

		len = (int)strlen(msg[i]);
		sqe = t_sqe(&ring, UD_SEND(10 + i));
		iou_prep_send(sqe, slot[i], msg[i], (size_t)len, 0);
		iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
		assert_int_equal(t_result_of(&ring, UD_SEND(10 + i)), len);
		read_exactly(afd[i], msg[i], (size_t)len);
	}
	/* Two distinct connections, from two distinct ports. */
	peer_of(afd[0], &peer);
	peer_of(afd[1], &local);
	assert_int_not_equal(peer.sin_port, local.sin_port);

	close(afd[0]);
	close(afd[1]);
	close(lfd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SOCKET);
}

/*
 * IORING_OP_BIND, IORING_OP_LISTEN
 */

static void test_ops_net_accept_bind_listen(void **state)
{
	struct sockaddr_in addr, got, cname, pname;
	struct iou_ring ring;
	int n0, fd, fd2, cfd, afd;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_BIND);
	t_require_op(&ring, IORING_OP_LISTEN);
	fd = tcp_socket();
	lo_addr(&addr, 0);

	/* The length reaches the kernel: too short for an IPv4 address. */
	iou_prep_bind(t_sqe(&ring, UD_BIND(1)), fd, (struct sockaddr *)&addr,
		      sizeof(sa_family_t));
	assert_int_equal(t_result_of(&ring, UD_BIND(1)), -EINVAL);
	name_of(fd, &got);
	assert_int_equal(got.sin_port, 0);

	iou_prep_bind(t_sqe(&ring, UD_BIND(2)), fd, (struct sockaddr *)&addr,
		      sizeof(addr));
	assert_int_equal(t_result_of(&ring, UD_BIND(2)), 0);
	name_of(fd, &got);
	assert_int_equal(got.sin_family, AF_INET);
	assert_int_equal(got.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_not_equal(got.sin_port, 0);

	/* The port is really taken: nobody else may bind it. */
	fd2 = tcp_socket();
	iou_prep_bind(t_sqe(&ring, UD_BIND(3)), fd2, (struct sockaddr *)&got,
		      sizeof(got));
	assert_int_equal(t_result_of(&ring, UD_BIND(3)), -EADDRINUSE);
	close(fd2);
	t_opcode_checked(IORING_OP_BIND);

	/* Bound but not listening: a connect is refused. */
	assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN), 0);
	cfd = tcp_socket();
	assert_int_equal(connect(cfd, (struct sockaddr *)&got, sizeof(got)),
			 -1);
	assert_int_equal(errno, ECONNREFUSED);
	close(cfd);

	iou_prep_listen(t_sqe(&ring, UD_LSTN(1)), fd, 4);
	assert_int_equal(t_result_of(&ring, UD_LSTN(1)), 0);
	assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
	cfd = dial(&got);
	afd = accept_within(fd);
	name_of(cfd, &cname);
	peer_of(afd, &pname);
	assert_same_addr(&cname, &pname);
	assert_int_equal(write(cfd, "L", 1), 1);
	read_exactly(afd, "L", 1);

	/* listen(2) on a UDP socket is not supported: the fd is used. */
	fd2 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd2 >= 0);
	iou_prep_listen(t_sqe(&ring, UD_LSTN(2)), fd2, 4);
	assert_int_equal(t_result_of(&ring, UD_LSTN(2)), -EOPNOTSUPP);

	close(fd2);
	close(afd);
	close(cfd);
	close(fd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_LISTEN);
}

/*
 * SOCKET, then BIND -> LISTEN as one linked chain, IOSQE_IO_LINK set
 * before each prep call: the helpers must keep it.  A chain whose bind
 * fails must cancel the listen, which only a kept link flag can do.
 */
static void test_ops_net_accept_bind_listen_linked(void **state)
{
	struct sockaddr_in addr, got;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, fd, cfd, afd;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SOCKET);
	t_require_op(&ring, IORING_OP_BIND);
	t_require_op(&ring, IORING_OP_LISTEN);
	iou_prep_socket(t_sqe(&ring, UD_SOCK(20)), AF_INET,
			SOCK_STREAM | SOCK_CLOEXEC, 0, 0);
	fd = t_result_of(&ring, UD_SOCK(20));
	assert_true(fd >= 0);
	lo_addr(&addr, 0);

	/* A chain that fails at the bind: the listen is cancelled. */
	sqe = t_sqe(&ring, UD_BIND(20));
	iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
	iou_prep_bind(sqe, fd, (struct sockaddr *)&addr, 2);
	assert_int_equal(sqe->flags, IOSQE_IO_LINK);
	assert_int_equal(sqe->user_data, UD_BIND(20));
	iou_prep_listen(t_sqe(&ring, UD_LSTN(20)), fd, 4);
	assert_int_equal(t_next_cqe(&ring, &cqe), -EINVAL);
	assert_int_equal(cqe.user_data, UD_BIND(20));
	assert_int_equal(t_next_cqe(&ring, &cqe), -ECANCELED);
	assert_int_equal(cqe.user_data, UD_LSTN(20));
	assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN), 0);

	/* The same chain with a good address: bound, then listening. */
	sqe = t_sqe(&ring, UD_BIND(21));
	iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
	iou_prep_bind(sqe, fd, (struct sockaddr *)&addr, sizeof(addr));
	assert_int_equal(sqe->flags, IOSQE_IO_LINK);
	iou_prep_listen(t_sqe(&ring, UD_LSTN(21)), fd, 4);
	assert_int_equal(t_next_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe.user_data, UD_BIND(21));
	assert_int_equal(t_next_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe.user_data, UD_LSTN(21));
	name_of(fd, &got);
	assert_int_not_equal(got.sin_port, 0);
	assert_int_equal(sockopt_int(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
	cfd = dial(&got);
	afd = accept_within(fd);

	close(afd);
	close(cfd);
	close(fd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SOCKET);
	t_opcode_checked(IORING_OP_BIND);
	t_opcode_checked(IORING_OP_LISTEN);
}

/*
 * IORING_OP_ACCEPT
 */

static void test_ops_net_accept_accept(void **state)
{
	struct sockaddr_in addr, peer, cname, pname;
	unsigned peer_len = sizeof(peer);
	struct iou_ring ring;
	int n0, lfd, cfd, afd, cfd2, afd2;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_ACCEPT);
	lfd = listener(&addr);

	/* It waits for a client, then reports the client's address. */
	memset(&peer, 0xa5, sizeof(peer));
	iou_prep_accept(t_sqe(&ring, UD_ACPT(1)), lfd, (struct sockaddr *)&peer,
			&peer_len, SOCK_CLOEXEC | SOCK_NONBLOCK);
	t_expect_quiet(&ring, 20);
	cfd = dial(&addr);
	afd = t_result_of(&ring, UD_ACPT(1));
	assert_true(afd >= 0);
	name_of(cfd, &cname);
	assert_int_equal(peer_len, sizeof(peer));
	assert_same_addr(&peer, &cname);
	peer_of(afd, &pname);
	assert_same_addr(&pname, &cname);
	/* The flags reached accept4. */
	assert_true(fcntl(afd, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(afd, F_GETFL) & O_NONBLOCK);
	assert_int_equal(write(cfd, "ping", 4), 4);
	read_exactly(afd, "ping", 4);
	assert_int_equal(write(afd, "pong", 4), 4);
	read_exactly(cfd, "pong", 4);

	/* No address wanted, no flags: a blocking fd kept across exec. */
	cfd2 = dial(&addr);
	iou_prep_accept(t_sqe(&ring, UD_ACPT(2)), lfd, NULL, NULL, 0);
	afd2 = t_result_of(&ring, UD_ACPT(2));
	assert_true(afd2 >= 0);
	assert_false(fcntl(afd2, F_GETFD) & FD_CLOEXEC);
	assert_false(fcntl(afd2, F_GETFL) & O_NONBLOCK);
	name_of(cfd2, &cname);
	peer_of(afd2, &pname);
	assert_same_addr(&pname, &cname);

	/* The fd is the kernel's: a connected socket does not listen. */
	iou_prep_accept(t_sqe(&ring, UD_ACPT(3)), cfd, NULL, NULL, 0);
	assert_int_equal(t_result_of(&ring, UD_ACPT(3)), -EINVAL);

	close(afd2);
	close(cfd2);
	close(afd);
	close(cfd);
	close(lfd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_ACCEPT);
}

static void test_ops_net_accept_direct(void **state)
{
	enum { SLOTS = 8 };
	struct sockaddr_in addr, peer, cname;
	unsigned peer_len = sizeof(peer);
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, n1, lfd, cfd, cfd2, slot;
	char buf[32];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_ACCEPT);
	t_require_op(&ring, IORING_OP_SEND);
	t_require_op(&ring, IORING_OP_RECV);
	sparse_files(&ring, SLOTS);
	lfd = listener(&addr);

	iou_prep_accept_direct(t_sqe(&ring, UD_ACPT(10)), lfd,
			       (struct sockaddr *)&peer, &peer_len, 0, 5);
	assert_int_equal(iou_submit(&ring), 1);
	n1 = t_count_fds();
	cfd = dial(&addr);
	assert_int_equal(t_result_of(&ring, UD_ACPT(10)), 0);
	/* Only the client got an fd; the accepted end lives in slot 5. */
	assert_int_equal(t_count_fds(), n1 + 1);
	name_of(cfd, &cname);
	assert_int_equal(peer_len, sizeof(peer));
	assert_same_addr(&peer, &cname);

	/* Slot 5 is that connection, both ways. */
	assert_int_equal(write(cfd, "to-slot", 7), 7);
	sqe = t_sqe(&ring, UD_RECV(10));
	iou_prep_recv(sqe, 5, buf, 7, MSG_WAITALL);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_RECV(10)), 7);
	assert_memory_equal(buf, "to-slot", 7);
	sqe = t_sqe(&ring, UD_SEND(10));
	iou_prep_send(sqe, 5, "from-slot", 9, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_SEND(10)), 9);
	read_exactly(cfd, "from-slot", 9);

	/* Any free slot: the CQE names it. */
	cfd2 = dial(&addr);
	iou_prep_accept_direct(t_sqe(&ring, UD_ACPT(11)), lfd, NULL, NULL, 0,
			       IORING_FILE_INDEX_ALLOC);
	slot = t_result_of(&ring, UD_ACPT(11));
	assert_true(slot >= 0 && slot < SLOTS);
	assert_int_not_equal(slot, 5);
	assert_int_equal(write(cfd2, "alloc", 5), 5);
	sqe = t_sqe(&ring, UD_RECV(11));
	iou_prep_recv(sqe, slot, buf, 5, MSG_WAITALL);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_RECV(11)), 5);
	assert_memory_equal(buf, "alloc", 5);

	/* A fixed file cannot be close-on-exec. */
	iou_prep_accept_direct(t_sqe(&ring, UD_ACPT(12)), lfd, NULL, NULL,
			       SOCK_CLOEXEC, 6);
	assert_int_equal(t_result_of(&ring, UD_ACPT(12)), -EINVAL);

	close(cfd2);
	close(cfd);
	close(lfd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_ACCEPT);
}

static void test_ops_net_accept_multishot_accept(void **state)
{
	enum { N = 3 };
	struct sockaddr_in addr, cname, pname;
	struct io_uring_cqe cqe;
	struct iou_ring ring;
	int n0, lfd, cfd[N], afd[N], late, late_afd, i;
	char c;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 16, 0);
	t_require_op(&ring, IORING_OP_ACCEPT);
	t_require_op(&ring, IORING_OP_ASYNC_CANCEL);
	lfd = listener(&addr);
	iou_prep_multishot_accept(t_sqe(&ring, UD_ACPT(20)), lfd, NULL, NULL,
				  SOCK_CLOEXEC);
	assert_int_equal(iou_submit(&ring), 1);

	/* One request, a CQE per client, each flagged "more to come". */
	for (i = 0; i < N; i++) {
		cfd[i] = dial(&addr);
		afd[i] = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_ACPT(20));
		assert_true(afd[i] >= 0);
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		assert_true(fcntl(afd[i], F_GETFD) & FD_CLOEXEC);
		name_of(cfd[i], &cname);
		peer_of(afd[i], &pname);
		assert_same_addr(&pname, &cname);
		c = (char)('a' + i);
		assert_int_equal(write(cfd[i], &c, 1), 1);
		read_exactly(afd[i], &c, 1);
	}

	/* Cancelled: a last CQE without F_MORE, and no more accepts. */
	cancel_multishot(&ring, UD_ACPT(20), UD_CNCL(20));
	late = dial(&addr);
	t_expect_quiet(&ring, 50);
	late_afd = accept_within(lfd); /* it waited in the backlog */
	name_of(late, &cname);
	peer_of(late_afd, &pname);
	assert_same_addr(&pname, &cname);

	close(late_afd);
	close(late);
	for (i = 0; i < N; i++) {
		close(cfd[i]);
		close(afd[i]);
	}
	close(lfd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_ACCEPT);
}

static void test_ops_net_accept_multishot_accept_direct(void **state)
{
	enum { SLOTS = 8, N = 3 };
	struct sockaddr_in addr;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, n1, lfd, cfd[N], slot[N], i, j;
	char msg[8], buf[8];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 16, 0);
	t_require_op(&ring, IORING_OP_ACCEPT);
	t_require_op(&ring, IORING_OP_RECV);
	t_require_op(&ring, IORING_OP_ASYNC_CANCEL);
	sparse_files(&ring, SLOTS);
	lfd = listener(&addr);
	n1 = t_count_fds();
	iou_prep_multishot_accept_direct(t_sqe(&ring, UD_ACPT(30)), lfd, NULL,
					 NULL, 0);
	assert_int_equal(iou_submit(&ring), 1);

	for (i = 0; i < N; i++) {
		cfd[i] = dial(&addr);
		slot[i] = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_ACPT(30));
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		assert_true(slot[i] >= 0 && slot[i] < SLOTS);
		for (j = 0; j < i; j++)
			assert_int_not_equal(slot[i], slot[j]);
	}
	/* The accepted ends took slots, not fds. */
	assert_int_equal(t_count_fds(), n1 + N);

	/* Each slot is its own client's connection. */
	for (i = 0; i < N; i++) {
		snprintf(msg, sizeof(msg), "cli-%d", i);
		assert_int_equal(write(cfd[i], msg, 5), 5);
	}
	for (i = N - 1; i >= 0; i--) {
		snprintf(msg, sizeof(msg), "cli-%d", i);
		sqe = t_sqe(&ring, UD_RECV(30 + i));
		iou_prep_recv(sqe, slot[i], buf, 5, MSG_WAITALL);
		iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
		assert_int_equal(t_result_of(&ring, UD_RECV(30 + i)), 5);
		assert_memory_equal(buf, msg, 5);
	}

	cancel_multishot(&ring, UD_ACPT(30), UD_CNCL(30));
	for (i = 0; i < N; i++)
		close(cfd[i]);
	close(lfd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_ACCEPT);
}

/*
 * IORING_OP_CONNECT
 */

static void test_ops_net_accept_connect(void **state)
{
	struct sockaddr_in addr, got, cname;
	struct iou_ring ring;
	int n0, lfd, cfd, afd, fd;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_CONNECT);
	lfd = listener(&addr);

	cfd = tcp_socket();
	iou_prep_connect(t_sqe(&ring, UD_CONN(1)), cfd,
			 (struct sockaddr *)&addr, sizeof(addr));
	assert_int_equal(t_result_of(&ring, UD_CONN(1)), 0);
	peer_of(cfd, &got);
	assert_same_addr(&got, &addr);
	afd = accept_within(lfd);
	name_of(cfd, &cname);
	peer_of(afd, &got);
	assert_same_addr(&got, &cname);
	assert_int_equal(write(afd, "connected", 9), 9);
	read_exactly(cfd, "connected", 9);

	/* The length reaches the kernel: too short for an IPv4 address. */
	fd = tcp_socket();
	iou_prep_connect(t_sqe(&ring, UD_CONN(2)), fd, (struct sockaddr *)&addr,
			 4);
	assert_int_equal(t_result_of(&ring, UD_CONN(2)), -EINVAL);
	close(fd);

	/* Nobody listens any more: refused. */
	close(lfd);
	fd = tcp_socket();
	iou_prep_connect(t_sqe(&ring, UD_CONN(3)), fd, (struct sockaddr *)&addr,
			 sizeof(addr));
	assert_int_equal(t_result_of(&ring, UD_CONN(3)), -ECONNREFUSED);
	close(fd);

	close(afd);
	close(cfd);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_CONNECT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_ops_net_accept_socket),
		T_TEST(test_ops_net_accept_socket_direct),
		T_TEST(test_ops_net_accept_bind_listen),
		T_TEST(test_ops_net_accept_bind_listen_linked),
		T_TEST(test_ops_net_accept_accept),
		T_TEST(test_ops_net_accept_direct),
		T_TEST(test_ops_net_accept_multishot_accept),
		T_TEST(test_ops_net_accept_multishot_accept_direct),
		T_TEST(test_ops_net_accept_connect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
