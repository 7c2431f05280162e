/* SPDX-License-Identifier: MIT */
/*
 * The socket opcodes on real loopback sockets, each prepared by its
 * iou_prep_* helper, run on the running kernel and judged by its effect:
 * bytes arrive intact at the peer, addresses are the ones getsockname(2)
 * and getpeername(2) report, a fixed-file slot really is the connection,
 * the peer reads EOF.  Where a helper carries an argument into an SQE
 * field, one case makes the kernel act on that field (a short address
 * length, a MSG_* flag, a buffer index), so a helper writing the wrong
 * field fails here and not in production.
 *
 * Every wait is bounded: CQEs through t_next_cqe() (5 s), plain socket
 * reads and accepts behind poll(2) with 5 s.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <iou/prep.h>

/* user_data: an ASCII tag per opcode, an index per SQE. */
#define UD_SOCK(i) UD_TAG(0x534f434b, i) /* "SOCK" */
#define UD_BIND(i) UD_TAG(0x42494e44, i) /* "BIND" */
#define UD_LSTN(i) UD_TAG(0x4c53544e, i) /* "LSTN" */
#define UD_ACPT(i) UD_TAG(0x41435054, i) /* "ACPT" */
#define UD_CONN(i) UD_TAG(0x434f4e4e, i) /* "CONN" */
#define UD_SEND(i) UD_TAG(0x53454e44, i) /* "SEND" */
#define UD_RECV(i) UD_TAG(0x52454356, i) /* "RECV" */
#define UD_SMSG(i) UD_TAG(0x534d5347, i) /* "SMSG" */
#define UD_RMSG(i) UD_TAG(0x524d5347, i) /* "RMSG" */
#define UD_SHUT(i) UD_TAG(0x53485554, i) /* "SHUT" */
#define UD_SZC(i) UD_TAG(0x535a4300, i)	 /* "SZC" */
#define UD_UCMD(i) UD_TAG(0x55434d44, i) /* "UCMD" */
#define UD_RZC(i) UD_TAG(0x525a4300, i)	 /* "RZC" */
#define UD_CNCL(i) UD_TAG(0x434e434c, i) /* "CNCL" */

#define WAIT_MS 5000

/*
 * Plain-syscall plumbing around the opcode under test
 */

static void lo_addr(struct sockaddr_in *a, unsigned short port)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = htons(port);
}

static void name_of(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	assert_int_equal(getsockname(fd, (struct sockaddr *)a, &len), 0);
	assert_int_equal(len, sizeof(*a));
}

static void peer_of(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	assert_int_equal(getpeername(fd, (struct sockaddr *)a, &len), 0);
	assert_int_equal(len, sizeof(*a));
}

static void assert_same_addr(const struct sockaddr_in *a,
			     const struct sockaddr_in *b)
{
	assert_int_equal(a->sin_family, b->sin_family);
	assert_int_equal(a->sin_addr.s_addr, b->sin_addr.s_addr);
	assert_int_equal(a->sin_port, b->sin_port);
}

static int sockopt_int(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int val = -1;

	assert_int_equal(getsockopt(fd, level, name, &val, &len), 0);
	assert_int_equal(len, sizeof(int));
	return val;
}

static int tcp_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	return fd;
}

/* A TCP listener on 127.0.0.1, any port; its address in *@addr. */
static int listener(struct sockaddr_in *addr)
{
	int fd = tcp_socket();

	lo_addr(addr, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	assert_int_equal(listen(fd, 16), 0);
	name_of(fd, addr);
	return fd;
}

/* connect(2) to @addr; on loopback the handshake is done on return. */
static int dial(const struct sockaddr_in *addr)
{
	int fd = tcp_socket();

	assert_int_equal(connect(fd, (const struct sockaddr *)addr,
				 sizeof(*addr)),
			 0);
	return fd;
}

static void wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	assert_int_equal(poll(&p, 1, WAIT_MS), 1);
}

static void wait_urgent(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI };

	assert_int_equal(poll(&p, 1, WAIT_MS), 1);
	assert_true(p.revents & POLLPRI);
}

static int accept_within(int lfd)
{
	int fd;

	wait_readable(lfd);
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/* A connected TCP pair over loopback, no listener left behind. */
static void tcp_pair(int sv[2])
{
	struct sockaddr_in addr;
	int lfd = listener(&addr);

	sv[0] = dial(&addr);
	sv[1] = accept_within(lfd);
	close(lfd);
}

/* A UDP socket bound to 127.0.0.1, any port; its address in *@addr. */
static int udp_socket(struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	lo_addr(addr, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	name_of(fd, addr);
	return fd;
}

/* sendto(2) of @n bytes to @to, all of it. */
static void send_datagram(int fd, const struct sockaddr_in *to,
			 const void *p, size_t n)
{
	assert_int_equal(sendto(fd, p, n, 0, (const struct sockaddr *)to,
				sizeof(*to)),
			 (ssize_t)n);
}

/* Read exactly @n bytes (waiting at most 5 s for each chunk); compare. */
static void read_exactly(int fd, const void *want, size_t n)
{
	char *buf = malloc(n ? n : 1);
	size_t got = 0;
	ssize_t r;

	assert_non_null(buf);
	while (got < n) {
		wait_readable(fd);
		r = read(fd, buf + got, n - got);
		assert_true(r > 0);
		got += (size_t)r;
	}
	assert_memory_equal(buf, want, n);
	free(buf);
}

/* The peer sees end of stream. */
static void expect_eof(int fd)
{
	char c;

	wait_readable(fd);
	assert_int_equal(read(fd, &c, 1), 0);
}

static void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31u + i * 7u + (i >> 8));
}

/* Bytes queued for reading, once they stop changing (max ~5 s). */
static int settled_inq(int fd, int want)
{
	int i, n = -1;

	for (i = 0; i < 500; i++) {
		assert_int_equal(ioctl(fd, SIOCINQ, &n), 0);
		if (n == want)
			break;
		usleep(10000);
	}
	return n;
}

/* Put the whole buffer array @bufs (@nr of @size bytes) in ring @br. */
static void buf_ring_fill(struct io_uring_buf_ring *br, char *bufs,
			  unsigned nr, unsigned size)
{
	unsigned i;

	for (i = 0; i < nr; i++)
		iou_buf_ring_add(br, bufs + (size_t)i * size, size,
				 (unsigned short)i, iou_buf_ring_mask(nr), i);
	iou_buf_ring_advance(br, nr);
}

/* Hand buffer @bid (of @size bytes) back to ring @br of @nr entries. */
static void buf_ring_recycle(struct io_uring_buf_ring *br, char *bufs,
			     unsigned nr, unsigned size, int bid)
{
	iou_buf_ring_add(br, bufs + (size_t)bid * size, size,
			 (unsigned short)bid, iou_buf_ring_mask(nr), 0);
	iou_buf_ring_advance(br, 1);
}

static struct io_uring_buf_ring *setup_buf_ring(struct iou_ring *ring,
						unsigned entries,
						unsigned bgid)
{
	struct io_uring_buf_ring *br;
	int err = 0;

	br = iou_setup_buf_ring(ring, entries, bgid, 0, &err);
	if (!br && err == -EINVAL)
		t_skip("kernel lacks provided-buffer rings (%d)", err);
	assert_non_null(br);
	assert_int_equal(err, 0);
	return br;
}

static void sparse_files(struct iou_ring *ring, unsigned nr)
{
	int ret = iou_register_files_sparse(ring, nr);

	if (ret == -EINVAL)
		t_skip("kernel lacks sparse file tables (%d)", ret);
	assert_int_equal(ret, 0);
}

/*
 * Cancel the request tagged @target (multishot) and reap both CQEs: the
 * cancel's own (0), and the target's last one: -ECANCELED, without
 * IORING_CQE_F_MORE.  They may come in either order.
 */
static void cancel_multishot(struct iou_ring *ring, uint64_t target,
			     uint64_t ud)
{
	struct io_uring_cqe cqe;
	int i, res, seen_target = 0, seen_cancel = 0;

	iou_prep_cancel64(t_sqe(ring, ud), target, 0);
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(ring, &cqe);
		if (cqe.user_data == target) {
			assert_int_equal(res, -ECANCELED);
			assert_false(cqe.flags & IORING_CQE_F_MORE);
			seen_target++;
		} else {
			assert_int_equal(cqe.user_data, ud);
			assert_int_equal(res, 0);
			seen_cancel++;
		}
	}
	assert_int_equal(seen_target, 1);
	assert_int_equal(seen_cancel, 1);
}

/*
 * IORING_OP_SOCKET
 */

static void test_ops_net_socket(void **state)
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

static void test_ops_net_socket_direct(void **state)
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

static void test_ops_net_bind_listen(void **state)
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
static void test_ops_net_bind_listen_linked(void **state)
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

static void test_ops_net_accept(void **state)
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

static void test_ops_net_multishot_accept(void **state)
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

static void test_ops_net_multishot_accept_direct(void **state)
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

static void test_ops_net_connect(void **state)
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

/*
 * IORING_OP_SEND, IORING_OP_RECV
 */

static void test_ops_net_send_recv(void **state)
{
	enum { BIG = 16384 };
	static unsigned char big[BIG], in[BIG];
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, sv[2], p[2];
	char buf[64];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SEND);
	t_require_op(&ring, IORING_OP_RECV);
	tcp_pair(sv);

	/* 16 KiB out, MSG_WAITALL: all of it, intact at the peer. */
	fill_pattern(big, BIG, 1);
	iou_prep_send(t_sqe(&ring, UD_SEND(1)), sv[0], big, BIG, MSG_WAITALL);
	assert_int_equal(t_result_of(&ring, UD_SEND(1)), BIG);
	read_exactly(sv[1], big, BIG);

	/* The flags reach the kernel: MSG_OOB makes the byte urgent. */
	iou_prep_send(t_sqe(&ring, UD_SEND(4)), sv[0], "!", 1, MSG_OOB);
	assert_int_equal(t_result_of(&ring, UD_SEND(4)), 1);
	wait_urgent(sv[1]);
	assert_int_equal(recv(sv[1], buf, 1, MSG_OOB | MSG_DONTWAIT), 1);
	assert_int_equal(buf[0], '!');

	/* 16 KiB in, MSG_WAITALL: all of it. */
	fill_pattern(big, BIG, 2);
	assert_int_equal(write(sv[1], big, BIG), BIG);
	iou_prep_recv(t_sqe(&ring, UD_RECV(1)), sv[0], in, BIG, MSG_WAITALL);
	assert_int_equal(t_result_of(&ring, UD_RECV(1)), BIG);
	assert_memory_equal(in, big, BIG);

	/* MSG_PEEK reaches the kernel: the bytes stay queued. */
	assert_int_equal(write(sv[1], "peek", 4), 4);
	iou_prep_recv(t_sqe(&ring, UD_RECV(2)), sv[0], buf, 4,
		      MSG_PEEK | MSG_WAITALL);
	assert_int_equal(t_result_of(&ring, UD_RECV(2)), 4);
	assert_memory_equal(buf, "peek", 4);
	memset(buf, 0, sizeof(buf));
	iou_prep_recv(t_sqe(&ring, UD_RECV(3)), sv[0], buf, sizeof(buf), 0);
	assert_int_equal(t_result_of(&ring, UD_RECV(3)), 4);
	assert_memory_equal(buf, "peek", 4);

	/* A recv posted before the data waits for it. */
	iou_prep_recv(t_sqe(&ring, UD_RECV(4)), sv[0], buf, 8, MSG_WAITALL);
	t_expect_quiet(&ring, 20);
	assert_int_equal(write(sv[1], "late", 4), 4);
	assert_int_equal(write(sv[1], "data", 4), 4);
	assert_int_equal(t_result_of(&ring, UD_RECV(4)), 8);
	assert_memory_equal(buf, "latedata", 8);

	/*
	 * send -> recv linked, IOSQE_IO_LINK set before the prep call: the
	 * recv starts once the send is done, and its CQE comes second.
	 */
	sqe = t_sqe(&ring, UD_SEND(2));
	iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
	iou_prep_send(sqe, sv[1], "linked", 6, 0);
	assert_int_equal(sqe->flags, IOSQE_IO_LINK);
	assert_int_equal(sqe->user_data, UD_SEND(2));
	memset(buf, 0, sizeof(buf));
	iou_prep_recv(t_sqe(&ring, UD_RECV(5)), sv[0], buf, 6, MSG_WAITALL);
	assert_int_equal(iou_submit(&ring), 2);
	assert_int_equal(t_next_cqe(&ring, &cqe), 6);
	assert_int_equal(cqe.user_data, UD_SEND(2));
	assert_int_equal(t_next_cqe(&ring, &cqe), 6);
	assert_int_equal(cqe.user_data, UD_RECV(5));
	assert_memory_equal(buf, "linked", 6);

	/*
	 * The link really holds: a send that fails (a pipe is no socket)
	 * cancels the recv behind it, which would otherwise wait for data.
	 */
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	sqe = t_sqe(&ring, UD_SEND(3));
	iou_sqe_set_flags(sqe, IOSQE_IO_LINK);
	iou_prep_send(sqe, p[1], "x", 1, 0);
	iou_prep_recv(t_sqe(&ring, UD_RECV(6)), sv[0], buf, 1, 0);
	assert_int_equal(t_next_cqe(&ring, &cqe), -ENOTSOCK);
	assert_int_equal(cqe.user_data, UD_SEND(3));
	assert_int_equal(t_next_cqe(&ring, &cqe), -ECANCELED);
	assert_int_equal(cqe.user_data, UD_RECV(6));
	close(p[0]);
	close(p[1]);

	/* End of stream is a 0-byte recv. */
	assert_int_equal(shutdown(sv[1], SHUT_WR), 0);
	iou_prep_recv(t_sqe(&ring, UD_RECV(7)), sv[0], buf, sizeof(buf), 0);
	assert_int_equal(t_result_of(&ring, UD_RECV(7)), 0);

	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SEND);
	t_opcode_checked(IORING_OP_RECV);
}

static void test_ops_net_sendto_udp(void **state)
{
	struct sockaddr_in a2, from, n1;
	socklen_t from_len = sizeof(from);
	struct iou_ring ring;
	int n0, u1, u2;
	char buf[32];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SEND);
	t_require_op(&ring, IORING_OP_RECV);
	u2 = udp_socket(&a2);
	u1 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(u1 >= 0);

	/* An unconnected socket: the datagram goes where sendto says. */
	iou_prep_sendto(t_sqe(&ring, UD_SEND(20)), u1, "datagram", 8, 0,
			(struct sockaddr *)&a2, sizeof(a2));
	assert_int_equal(t_result_of(&ring, UD_SEND(20)), 8);
	wait_readable(u2);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(recvfrom(u2, buf, sizeof(buf), MSG_DONTWAIT,
				  (struct sockaddr *)&from, &from_len),
			 8);
	assert_memory_equal(buf, "datagram", 8);
	/* From u1, which the send bound to a port (on any address). */
	name_of(u1, &n1);
	assert_int_not_equal(n1.sin_port, 0);
	assert_int_equal(from.sin_port, n1.sin_port);
	assert_int_equal(from.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

	/* The address length reaches the kernel; so does its absence. */
	iou_prep_sendto(t_sqe(&ring, UD_SEND(21)), u1, "short", 5, 0,
			(struct sockaddr *)&a2, 2);
	assert_int_equal(t_result_of(&ring, UD_SEND(21)), -EINVAL);
	iou_prep_send(t_sqe(&ring, UD_SEND(22)), u1, "nowhere", 7, 0);
	assert_int_equal(t_result_of(&ring, UD_SEND(22)), -EDESTADDRREQ);

	/* recv on UDP, MSG_TRUNC: 4 bytes copied, the whole length told. */
	assert_int_equal(sendto(u1, "truncated!", 10, 0, (struct sockaddr *)&a2,
				sizeof(a2)),
			 10);
	memset(buf, 0, sizeof(buf));
	iou_prep_recv(t_sqe(&ring, UD_RECV(20)), u2, buf, 4, MSG_TRUNC);
	assert_int_equal(t_result_of(&ring, UD_RECV(20)), 10);
	assert_memory_equal(buf, "trun\0", 5);

	close(u1);
	close(u2);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SEND);
	t_opcode_checked(IORING_OP_RECV);
}

static void test_ops_net_recv_multishot(void **state)
{
	enum { ENTRIES = 8, BGID = 7, BUFSZ = 16 };
	static char bufs[ENTRIES * BUFSZ];
	static const char ten[] = "0123456789";
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, sv[2], i, bid, res, got, cqes;
	char msg[16], all[16];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_RECV);
	t_require_op(&ring, IORING_OP_ASYNC_CANCEL);
	br = setup_buf_ring(&ring, ENTRIES, BGID);
	buf_ring_fill(br, bufs, ENTRIES, BUFSZ);
	tcp_pair(sv);

	/* IOSQE_BUFFER_SELECT set first: the helper keeps it. */
	sqe = t_sqe(&ring, UD_RECV(30));
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_prep_recv_multishot(sqe, sv[0], 0, 0);
	assert_int_equal(sqe->flags, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, BGID);
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 5; i++) {
		snprintf(msg, sizeof(msg), "chunk-%d", i);
		assert_int_equal(write(sv[1], msg, 7), 7);
		res = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_RECV(30));
		assert_int_equal(res, 7);
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		bid = iou_cqe_buffer_id(&cqe);
		assert_true(bid >= 0 && bid < ENTRIES);
		assert_memory_equal(bufs + bid * BUFSZ, msg, 7);
		buf_ring_recycle(br, bufs, ENTRIES, BUFSZ, bid);
	}
	/* The peer's FIN ends it: a 0 without F_MORE. */
	assert_int_equal(shutdown(sv[1], SHUT_WR), 0);
	assert_int_equal(t_next_cqe(&ring, &cqe), 0);
	assert_int_equal(cqe.user_data, UD_RECV(30));
	assert_false(cqe.flags & IORING_CQE_F_MORE);
	close(sv[0]);
	close(sv[1]);

	/* len caps each CQE: 10 bytes come as CQEs of at most 4. */
	tcp_pair(sv);
	sqe = t_sqe(&ring, UD_RECV(31));
	iou_prep_recv_multishot(sqe, sv[0], 4, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, BGID);
	assert_int_equal(iou_submit(&ring), 1);
	assert_int_equal(write(sv[1], ten, 10), 10);
	for (got = 0, cqes = 0; got < 10 && cqes < 10; cqes++) {
		res = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_RECV(31));
		assert_true(res > 0 && res <= 4);
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		bid = iou_cqe_buffer_id(&cqe);
		assert_true(bid >= 0 && bid < ENTRIES);
		memcpy(all + got, bufs + bid * BUFSZ, (size_t)res);
		got += res;
		buf_ring_recycle(br, bufs, ENTRIES, BUFSZ, bid);
	}
	assert_int_equal(got, 10);
	assert_true(cqes >= 3);
	assert_memory_equal(all, ten, 10);
	cancel_multishot(&ring, UD_RECV(31), UD_CNCL(31));

	close(sv[0]);
	close(sv[1]);
	assert_int_equal(iou_free_buf_ring(&ring, br, ENTRIES, BGID), 0);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_RECV);
}

static void test_ops_net_bundle(void **state)
{
	enum { SBGID = 8, RBGID = 9, RENTRIES = 8, RBUFSZ = 8, TOTAL = 20 };
	static char sbufs[4][8];
	static char rbufs[RENTRIES * RBUFSZ];
	static const char full[] = "abcdefghijklmnopqrst";
	struct io_uring_buf_ring *sbr, *rbr;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, sv[2], res, bid, i, got, cqes, multi = 0;
	uint16_t head = 0;
	char all[TOTAL];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SEND);
	t_require_op(&ring, IORING_OP_RECV);
	if (!(ring.features & IORING_FEAT_RECVSEND_BUNDLE)) {
		iou_ring_exit(&ring);
		t_skip("kernel lacks IORING_FEAT_RECVSEND_BUNDLE");
	}
	tcp_pair(sv);

	/* Send: three provided buffers go out in one request, in order. */
	sbr = setup_buf_ring(&ring, 4, SBGID);
	memcpy(sbufs[0], "first-", 6);
	memcpy(sbufs[1], "second-", 7);
	memcpy(sbufs[2], "third", 5);
	iou_buf_ring_add(sbr, sbufs[0], 6, 0, iou_buf_ring_mask(4), 0);
	iou_buf_ring_add(sbr, sbufs[1], 7, 1, iou_buf_ring_mask(4), 1);
	iou_buf_ring_add(sbr, sbufs[2], 5, 2, iou_buf_ring_mask(4), 2);
	iou_buf_ring_advance(sbr, 3);
	sqe = t_sqe(&ring, UD_SEND(30));
	iou_prep_send_bundle(sqe, sv[0], 0, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, SBGID);
	res = t_next_cqe(&ring, &cqe);
	assert_int_equal(cqe.user_data, UD_SEND(30));
	assert_int_equal(res, 18);
	assert_true(cqe.flags & IORING_CQE_F_BUFFER);
	assert_int_equal(iou_cqe_buffer_id(&cqe), 0);
	read_exactly(sv[1], "first-second-third", 18);
	/* All three consumed: the next bundle finds none. */
	if (iou_buf_ring_head(&ring, SBGID, &head) == 0)
		assert_int_equal(head, 3);
	sqe = t_sqe(&ring, UD_SEND(31));
	iou_prep_send_bundle(sqe, sv[0], 0, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, SBGID);
	assert_int_equal(t_result_of(&ring, UD_SEND(31)), -ENOBUFS);

	/* Receive: 20 queued bytes fill consecutive 8-byte buffers. */
	rbr = setup_buf_ring(&ring, RENTRIES, RBGID);
	buf_ring_fill(rbr, rbufs, RENTRIES, RBUFSZ);
	assert_int_equal(write(sv[1], full, TOTAL), TOTAL);
	assert_int_equal(settled_inq(sv[0], TOTAL), TOTAL);
	for (got = 0, cqes = 0; got < TOTAL && cqes < TOTAL; cqes++) {
		sqe = t_sqe(&ring, UD_RECV(40 + cqes));
		iou_prep_recv_bundle(sqe, sv[0], 0);
		iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
		iou_sqe_set_buf_group(sqe, RBGID);
		res = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_RECV(40 + cqes));
		assert_true(res > 0 && got + res <= TOTAL);
		assert_true(cqe.flags & IORING_CQE_F_BUFFER);
		bid = iou_cqe_buffer_id(&cqe);
		assert_true(bid >= 0 && bid < RENTRIES);
		for (i = 0; i * RBUFSZ < res; i++) {
			int n = res - i * RBUFSZ < RBUFSZ ? res - i * RBUFSZ :
							    RBUFSZ;

			memcpy(all + got + i * RBUFSZ,
			       rbufs + ((bid + i) % RENTRIES) * RBUFSZ,
			       (size_t)n);
		}
		if (res > RBUFSZ)
			multi = 1;
		got += res;
	}
	assert_int_equal(got, TOTAL);
	assert_memory_equal(all, full, TOTAL);
	/* More than one buffer's worth in one CQE: that is a bundle. */
	assert_true(multi);

	close(sv[0]);
	close(sv[1]);
	assert_int_equal(iou_free_buf_ring(&ring, rbr, RENTRIES, RBGID), 0);
	assert_int_equal(iou_free_buf_ring(&ring, sbr, 4, SBGID), 0);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SEND);
	t_opcode_checked(IORING_OP_RECV);
}

/*
 * IORING_OP_SENDMSG, IORING_OP_RECVMSG
 */

static void test_ops_net_sendmsg_recvmsg(void **state)
{
	struct iovec out[3] = { { "scatter", 7 }, { "-", 1 }, { "gather", 6 } };
	char r1[5], r2[16], small[4];
	struct iovec in[2] = { { r1, sizeof(r1) }, { r2, sizeof(r2) } };
	struct iovec in_small = { small, sizeof(small) };
	struct sockaddr_in a1, a2, from;
	struct msghdr smsg, rmsg;
	struct iou_ring ring;
	int n0, u1, u2;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SENDMSG);
	t_require_op(&ring, IORING_OP_RECVMSG);
	u1 = udp_socket(&a1);
	u2 = udp_socket(&a2);

	/* Gather three pieces into one datagram addressed by msg_name. */
	memset(&smsg, 0, sizeof(smsg));
	smsg.msg_name = &a2;
	smsg.msg_namelen = sizeof(a2);
	smsg.msg_iov = out;
	smsg.msg_iovlen = 3;
	iou_prep_sendmsg(t_sqe(&ring, UD_SMSG(1)), u1, &smsg, 0);
	assert_int_equal(t_result_of(&ring, UD_SMSG(1)), 14);

	/* Scatter it over two; the sender's address and flags come back. */
	memset(&rmsg, 0, sizeof(rmsg));
	memset(&from, 0, sizeof(from));
	memset(r2, 0, sizeof(r2));
	rmsg.msg_name = &from;
	rmsg.msg_namelen = sizeof(from);
	rmsg.msg_iov = in;
	rmsg.msg_iovlen = 2;
	rmsg.msg_flags = -1;
	iou_prep_recvmsg(t_sqe(&ring, UD_RMSG(1)), u2, &rmsg, 0);
	assert_int_equal(t_result_of(&ring, UD_RMSG(1)), 14);
	assert_memory_equal(r1, "scatt", 5);
	assert_memory_equal(r2, "er-gather", 9);
	assert_int_equal(rmsg.msg_namelen, sizeof(from));
	assert_same_addr(&from, &a1);
	assert_int_equal(rmsg.msg_flags, 0);

	/* Too little room: 4 bytes land, MSG_TRUNC says the rest was cut. */
	iou_prep_sendmsg(t_sqe(&ring, UD_SMSG(2)), u1, &smsg, 0);
	assert_int_equal(t_result_of(&ring, UD_SMSG(2)), 14);
	memset(&rmsg, 0, sizeof(rmsg));
	rmsg.msg_iov = &in_small;
	rmsg.msg_iovlen = 1;
	iou_prep_recvmsg(t_sqe(&ring, UD_RMSG(2)), u2, &rmsg, 0);
	assert_int_equal(t_result_of(&ring, UD_RMSG(2)), 4);
	assert_memory_equal(small, "scat", 4);
	assert_true(rmsg.msg_flags & MSG_TRUNC);

	/* The flags argument reaches the kernel: nothing queued, no wait. */
	iou_prep_recvmsg(t_sqe(&ring, UD_RMSG(3)), u2, &rmsg, MSG_DONTWAIT);
	assert_int_equal(t_result_of(&ring, UD_RMSG(3)), -EAGAIN);
	/* No destination for an unconnected socket. */
	smsg.msg_name = NULL;
	smsg.msg_namelen = 0;
	iou_prep_sendmsg(t_sqe(&ring, UD_SMSG(3)), u1, &smsg, 0);
	assert_int_equal(t_result_of(&ring, UD_SMSG(3)), -EDESTADDRREQ);

	close(u1);
	close(u2);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SENDMSG);
	t_opcode_checked(IORING_OP_RECVMSG);
}

/* msg_control both ways: an fd passed over AF_UNIX with SCM_RIGHTS. */
static void test_ops_net_sendmsg_rights(void **state)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} sctl, rctl;
	struct iovec siov = { "F", 1 };
	char c = 0;
	struct iovec riov = { &c, 1 };
	struct msghdr smsg, rmsg;
	struct cmsghdr *cm;
	struct iou_ring ring;
	int n0, sv[2], p[2], passed;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SENDMSG);
	t_require_op(&ring, IORING_OP_RECVMSG);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);

	memset(&smsg, 0, sizeof(smsg));
	memset(&sctl, 0, sizeof(sctl));
	smsg.msg_iov = &siov;
	smsg.msg_iovlen = 1;
	smsg.msg_control = sctl.buf;
	smsg.msg_controllen = sizeof(sctl.buf);
	cm = CMSG_FIRSTHDR(&smsg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	iou_prep_sendmsg(t_sqe(&ring, UD_SMSG(10)), sv[0], &smsg, 0);
	assert_int_equal(t_result_of(&ring, UD_SMSG(10)), 1);

	memset(&rmsg, 0, sizeof(rmsg));
	memset(&rctl, 0, sizeof(rctl));
	rmsg.msg_iov = &riov;
	rmsg.msg_iovlen = 1;
	rmsg.msg_control = rctl.buf;
	rmsg.msg_controllen = sizeof(rctl.buf);
	iou_prep_recvmsg(t_sqe(&ring, UD_RMSG(10)), sv[1], &rmsg,
			 MSG_CMSG_CLOEXEC);
	assert_int_equal(t_result_of(&ring, UD_RMSG(10)), 1);
	assert_int_equal(c, 'F');
	cm = CMSG_FIRSTHDR(&rmsg);
	assert_non_null(cm);
	assert_int_equal(cm->cmsg_level, SOL_SOCKET);
	assert_int_equal(cm->cmsg_type, SCM_RIGHTS);
	assert_int_equal(cm->cmsg_len, CMSG_LEN(sizeof(int)));
	memcpy(&passed, CMSG_DATA(cm), sizeof(int));
	assert_true(passed >= 0);
	assert_int_not_equal(passed, p[1]);
	/* MSG_CMSG_CLOEXEC reached the kernel. */
	assert_true(fcntl(passed, F_GETFD) & FD_CLOEXEC);
	/* The passed fd is the pipe's write end. */
	assert_int_equal(write(passed, "via fd", 6), 6);
	read_exactly(p[0], "via fd", 6);

	close(passed);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SENDMSG);
	t_opcode_checked(IORING_OP_RECVMSG);
}

static void test_ops_net_recvmsg_multishot(void **state)
{
	enum { ENTRIES = 4, BGID = 11, BUFSZ = 256, BIG = 400 };
	static char bufs[ENTRIES * BUFSZ];
	static unsigned char big[BIG];
	static const char *const payload[3] = { "one", "two-2", "three-33" };
	struct io_uring_recvmsg_out *o;
	struct io_uring_buf_ring *br;
	struct sockaddr_in a1, a2, name;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	struct msghdr tmpl;
	int n0, u1, u2, i, res, bid, len, room;
	const char *data;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_RECVMSG);
	t_require_op(&ring, IORING_OP_ASYNC_CANCEL);
	br = setup_buf_ring(&ring, ENTRIES, BGID);
	buf_ring_fill(br, bufs, ENTRIES, BUFSZ);
	u1 = udp_socket(&a1);
	u2 = udp_socket(&a2);

	/* The template reserves room for a sockaddr_in, no control data. */
	memset(&tmpl, 0, sizeof(tmpl));
	tmpl.msg_namelen = sizeof(struct sockaddr_in);
	sqe = t_sqe(&ring, UD_RMSG(20));
	iou_prep_recvmsg_multishot(sqe, u2, &tmpl, 0);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, BGID);
	assert_int_equal(iou_submit(&ring), 1);

	for (i = 0; i < 3; i++) {
		len = (int)strlen(payload[i]);
		assert_int_equal(sendto(u1, payload[i], (size_t)len, 0,
					(struct sockaddr *)&a2, sizeof(a2)),
				 len);
		res = t_next_cqe(&ring, &cqe);
		assert_int_equal(cqe.user_data, UD_RMSG(20));
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		bid = iou_cqe_buffer_id(&cqe);
		assert_true(bid >= 0 && bid < ENTRIES);
		/* [out header][name: namelen reserved][control: 0][payload] */
		o = (struct io_uring_recvmsg_out *)(bufs + bid * BUFSZ);
		assert_int_equal(res, (int)(sizeof(*o) + sizeof(name)) + len);
		assert_int_equal(o->namelen, sizeof(name));
		assert_int_equal(o->controllen, 0);
		assert_int_equal(o->payloadlen, len);
		assert_false(o->flags & MSG_TRUNC);
		memcpy(&name, o + 1, sizeof(name));
		assert_same_addr(&name, &a1);
		data = (const char *)(o + 1) + sizeof(name);
		assert_memory_equal(data, payload[i], (size_t)len);
		buf_ring_recycle(br, bufs, ENTRIES, BUFSZ, bid);
	}

	/*
	 * A datagram larger than the room: cut to fit and flagged MSG_TRUNC;
	 * payloadlen is what was copied.
	 */
	fill_pattern(big, BIG, 3);
	room = BUFSZ - (int)(sizeof(*o) + sizeof(name));
	send_datagram(u1, &a2, big, BIG);
	res = t_next_cqe(&ring, &cqe);
	assert_int_equal(cqe.user_data, UD_RMSG(20));
	assert_true(cqe.flags & IORING_CQE_F_MORE);
	bid = iou_cqe_buffer_id(&cqe);
	assert_true(bid >= 0 && bid < ENTRIES);
	o = (struct io_uring_recvmsg_out *)(bufs + bid * BUFSZ);
	assert_int_equal(res, BUFSZ);
	assert_true(o->flags & MSG_TRUNC);
	assert_int_equal(o->payloadlen, room);
	data = (const char *)(o + 1) + sizeof(name);
	assert_memory_equal(data, big, (size_t)room);
	buf_ring_recycle(br, bufs, ENTRIES, BUFSZ, bid);
	cancel_multishot(&ring, UD_RMSG(20), UD_CNCL(20));

	/*
	 * The flags argument reaches the kernel: with MSG_TRUNC, payloadlen
	 * is the datagram's real length, beyond what the buffer holds.
	 */
	sqe = t_sqe(&ring, UD_RMSG(21));
	iou_prep_recvmsg_multishot(sqe, u2, &tmpl, MSG_TRUNC);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	iou_sqe_set_buf_group(sqe, BGID);
	assert_int_equal(iou_submit(&ring), 1);
	send_datagram(u1, &a2, big, BIG);
	res = t_next_cqe(&ring, &cqe);
	assert_int_equal(cqe.user_data, UD_RMSG(21));
	assert_true(cqe.flags & IORING_CQE_F_MORE);
	bid = iou_cqe_buffer_id(&cqe);
	assert_true(bid >= 0 && bid < ENTRIES);
	o = (struct io_uring_recvmsg_out *)(bufs + bid * BUFSZ);
	assert_int_equal(res, BUFSZ);
	assert_true(o->flags & MSG_TRUNC);
	assert_int_equal(o->payloadlen, BIG);
	data = (const char *)(o + 1) + sizeof(name);
	assert_memory_equal(data, big, (size_t)room);
	buf_ring_recycle(br, bufs, ENTRIES, BUFSZ, bid);
	cancel_multishot(&ring, UD_RMSG(21), UD_CNCL(21));

	close(u1);
	close(u2);
	assert_int_equal(iou_free_buf_ring(&ring, br, ENTRIES, BGID), 0);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_RECVMSG);
}

/*
 * IORING_OP_SHUTDOWN
 */

static void test_ops_net_shutdown(void **state)
{
	struct iou_ring ring;
	int n0, sv[2], p[2];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SHUTDOWN);
	t_require_op(&ring, IORING_OP_SEND);
	tcp_pair(sv);

	assert_int_equal(write(sv[0], "last", 4), 4);
	iou_prep_shutdown(t_sqe(&ring, UD_SHUT(1)), sv[0], SHUT_WR);
	assert_int_equal(t_result_of(&ring, UD_SHUT(1)), 0);
	/* The peer reads what was sent, then EOF. */
	read_exactly(sv[1], "last", 4);
	expect_eof(sv[1]);
	/* Our read side still works; our write side is closed. */
	assert_int_equal(write(sv[1], "r", 1), 1);
	read_exactly(sv[0], "r", 1);
	iou_prep_send(t_sqe(&ring, UD_SEND(40)), sv[0], "x", 1, 0);
	assert_int_equal(t_result_of(&ring, UD_SEND(40)), -EPIPE);

	/* SHUT_RDWR from the other end: we see EOF too. */
	iou_prep_shutdown(t_sqe(&ring, UD_SHUT(2)), sv[1], SHUT_RDWR);
	assert_int_equal(t_result_of(&ring, UD_SHUT(2)), 0);
	expect_eof(sv[0]);

	/* how and fd are the kernel's. */
	iou_prep_shutdown(t_sqe(&ring, UD_SHUT(3)), sv[0], 99);
	assert_int_equal(t_result_of(&ring, UD_SHUT(3)), -EINVAL);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	iou_prep_shutdown(t_sqe(&ring, UD_SHUT(4)), p[0], SHUT_WR);
	assert_int_equal(t_result_of(&ring, UD_SHUT(4)), -ENOTSOCK);

	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SHUTDOWN);
}

/*
 * IORING_OP_SEND_ZC, IORING_OP_SENDMSG_ZC
 */

/*
 * Reap the two CQEs of a zero-copy send: first the result, flagged
 * IORING_CQE_F_MORE, then the notification (IORING_CQE_F_NOTIF, no MORE)
 * telling the buffer is ours again.  Returns the result; the notification's
 * res goes to *@notif_res.
 */
static int zc_reap(struct iou_ring *ring, uint64_t ud, int *notif_res)
{
	struct io_uring_cqe cqe;
	int res;

	res = t_next_cqe(ring, &cqe);
	assert_int_equal(cqe.user_data, ud);
	assert_false(cqe.flags & IORING_CQE_F_NOTIF);
	assert_true(cqe.flags & IORING_CQE_F_MORE);
	*notif_res = t_next_cqe(ring, &cqe);
	assert_int_equal(cqe.user_data, ud);
	assert_true(cqe.flags & IORING_CQE_F_NOTIF);
	assert_false(cqe.flags & IORING_CQE_F_MORE);
	return res;
}

static void test_ops_net_send_zc(void **state)
{
	enum { BIG = 16384 };
	static unsigned char big[BIG];
	static unsigned char mem[4096] __attribute__((aligned(4096)));
	struct iovec reg = { mem, sizeof(mem) };
	struct iou_ring ring;
	int n0, sv[2], notif, ret;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SEND_ZC);
	tcp_pair(sv);

	fill_pattern(big, BIG, 4);
	iou_prep_send_zc(t_sqe(&ring, UD_SZC(1)), sv[0], big, BIG, MSG_WAITALL,
			 0);
	assert_int_equal(zc_reap(&ring, UD_SZC(1), &notif), BIG);
	assert_int_equal(notif, 0);
	read_exactly(sv[1], big, BIG);

	/*
	 * zc_flags reach the kernel: asked to report usage, the notification
	 * says the data was copied, which loopback always does (see
	 * Documentation/networking/msg_zerocopy.rst, "Loopback").
	 */
	iou_prep_send_zc(t_sqe(&ring, UD_SZC(2)), sv[0], "usage", 5, 0,
			 IORING_SEND_ZC_REPORT_USAGE);
	assert_int_equal(zc_reap(&ring, UD_SZC(2), &notif), 5);
	assert_int_equal(notif, (int)IORING_NOTIF_USAGE_ZC_COPIED);
	read_exactly(sv[1], "usage", 5);

	/* From a registered buffer, at an offset inside it. */
	ret = iou_register_buffers(&ring, &reg, 1);
	assert_int_equal(ret, 0);
	fill_pattern(mem, sizeof(mem), 5);
	iou_prep_send_zc_fixed(t_sqe(&ring, UD_SZC(3)), sv[0], mem + 100, 3000,
			       MSG_WAITALL, 0, 0);
	assert_int_equal(zc_reap(&ring, UD_SZC(3), &notif), 3000);
	read_exactly(sv[1], mem + 100, 3000);
	/* buf_index reaches the kernel: there is no buffer 1. */
	iou_prep_send_zc_fixed(t_sqe(&ring, UD_SZC(4)), sv[0], mem, 16, 0, 0,
			       1);
	assert_int_equal(zc_reap(&ring, UD_SZC(4), &notif), -EFAULT);
	/* Nor may the range leave buffer 0. */
	iou_prep_send_zc_fixed(t_sqe(&ring, UD_SZC(5)), sv[0], mem + 4000, 200,
			       0, 0, 0);
	assert_int_equal(zc_reap(&ring, UD_SZC(5), &notif), -EFAULT);

	/* Nothing stray reached the peer. */
	assert_int_equal(settled_inq(sv[1], 0), 0);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(iou_unregister_buffers(&ring), 0);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SEND_ZC);
}

static void test_ops_net_sendmsg_zc(void **state)
{
	struct iovec out[3] = { { "zero", 4 }, { "-copy", 5 }, { "-msg", 4 } };
	struct sockaddr_in a2, a1, from;
	socklen_t from_len = sizeof(from);
	struct msghdr msg;
	struct iou_ring ring;
	int n0, sv[2], u1, u2, notif;
	char buf[32];

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SENDMSG_ZC);

	/* TCP: three pieces, one stream. */
	tcp_pair(sv);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = out;
	msg.msg_iovlen = 3;
	iou_prep_sendmsg_zc(t_sqe(&ring, UD_SZC(10)), sv[0], &msg, 0);
	assert_int_equal(zc_reap(&ring, UD_SZC(10), &notif), 13);
	read_exactly(sv[1], "zero-copy-msg", 13);

	/* UDP: msg_name picks the destination. */
	u1 = udp_socket(&a1);
	u2 = udp_socket(&a2);
	msg.msg_name = &a2;
	msg.msg_namelen = sizeof(a2);
	iou_prep_sendmsg_zc(t_sqe(&ring, UD_SZC(11)), u1, &msg, 0);
	assert_int_equal(zc_reap(&ring, UD_SZC(11), &notif), 13);
	wait_readable(u2);
	assert_int_equal(recvfrom(u2, buf, sizeof(buf), MSG_DONTWAIT,
				  (struct sockaddr *)&from, &from_len),
			 13);
	assert_memory_equal(buf, "zero-copy-msg", 13);
	assert_same_addr(&from, &a1);

	/* The flags argument reaches the kernel: MSG_OOB on UDP is refused. */
	iou_prep_sendmsg_zc(t_sqe(&ring, UD_SZC(12)), u1, &msg, MSG_OOB);
	assert_int_equal(zc_reap(&ring, UD_SZC(12), &notif), -EOPNOTSUPP);

	close(u1);
	close(u2);
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_SENDMSG_ZC);
}

/*
 * IORING_OP_URING_CMD on sockets
 */

/* SIOCOUTQ by io_uring, bracketed by ioctl(2) reads that agree. */
static int outq_agreed(struct iou_ring *ring, int fd, int *uring)
{
	int i, before = -1, after = -2;

	for (i = 0; i < 100 && before != after; i++) {
		usleep(10000);
		assert_int_equal(ioctl(fd, SIOCOUTQ, &before), 0);
		iou_prep_cmd_sock(t_sqe(ring, UD_UCMD(2)),
				  SOCKET_URING_OP_SIOCOUTQ, fd, 0, 0, NULL, 0);
		*uring = t_result_of(ring, UD_UCMD(2));
		assert_int_equal(ioctl(fd, SIOCOUTQ, &after), 0);
	}
	assert_int_equal(before, after);
	return before;
}

static void test_ops_net_uring_cmd(void **state)
{
	enum { N = 1234 };
	static unsigned char data[N];
	static unsigned char junk[65536];
	struct iou_ring ring;
	int n0, sv[2], val, res, uring, outq, small = 4096;
	ssize_t w;
	long total = 0;

	(void)state;
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_URING_CMD);
	tcp_pair(sv);

	/* SIOCINQ: the N bytes the peer wrote are queued for us. */
	fill_pattern(data, N, 6);
	assert_int_equal(write(sv[1], data, N), N);
	assert_int_equal(settled_inq(sv[0], N), N);
	iou_prep_cmd_sock(t_sqe(&ring, UD_UCMD(1)), SOCKET_URING_OP_SIOCINQ,
			  sv[0], 0, 0, NULL, 0);
	res = t_result_of(&ring, UD_UCMD(1));
	if (res == -EOPNOTSUPP) {
		close(sv[0]);
		close(sv[1]);
		iou_ring_exit(&ring);
		t_skip("kernel lacks socket uring_cmd (%d)", res);
	}
	assert_int_equal(res, N);
	read_exactly(sv[0], data, N);

	/*
	 * SIOCOUTQ: with the peer not reading and its buffer small, what we
	 * write stays unacknowledged in our queue; io_uring and ioctl(2)
	 * agree on how much, and it is not nothing.
	 */
	outq = outq_agreed(&ring, sv[0], &uring);
	assert_int_equal(outq, 0);
	assert_int_equal(uring, 0);
	assert_int_equal(setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small,
				    sizeof(small)),
			 0);
	assert_int_equal(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small,
				    sizeof(small)),
			 0);
	while (total < (64L << 20)) {
		w = send(sv[0], junk, sizeof(junk), MSG_DONTWAIT);
		if (w < 0) {
			assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
			break;
		}
		total += w;
	}
	outq = outq_agreed(&ring, sv[0], &uring);
	assert_true(outq > 0);
	assert_int_equal(uring, outq);

	/* GETSOCKOPT(SO_RCVBUF) is what getsockopt(2) says. */
	val = -1;
	iou_prep_cmd_sock(t_sqe(&ring, UD_UCMD(3)), SOCKET_URING_OP_GETSOCKOPT,
			  sv[1], SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
	assert_int_equal(t_result_of(&ring, UD_UCMD(3)), (int)sizeof(val));
	assert_int_equal(val, sockopt_int(sv[1], SOL_SOCKET, SO_RCVBUF));
	val = -1;
	iou_prep_cmd_sock(t_sqe(&ring, UD_UCMD(4)), SOCKET_URING_OP_GETSOCKOPT,
			  sv[0], SOL_SOCKET, SO_RCVBUF, &val, sizeof(val));
	assert_int_equal(t_result_of(&ring, UD_UCMD(4)), (int)sizeof(val));
	assert_int_equal(val, sockopt_int(sv[0], SOL_SOCKET, SO_RCVBUF));
	assert_int_not_equal(val, sockopt_int(sv[1], SOL_SOCKET, SO_RCVBUF));
	/* The level is the kernel's: only SOL_SOCKET is served. */
	iou_prep_cmd_sock(t_sqe(&ring, UD_UCMD(5)), SOCKET_URING_OP_GETSOCKOPT,
			  sv[0], IPPROTO_TCP, SO_RCVBUF, &val, sizeof(val));
	assert_int_equal(t_result_of(&ring, UD_UCMD(5)), -EOPNOTSUPP);

	/* SETSOCKOPT(SO_KEEPALIVE) on, then off: getsockopt(2) follows. */
	assert_int_equal(sockopt_int(sv[0], SOL_SOCKET, SO_KEEPALIVE), 0);
	val = 1;
	iou_prep_cmd_sock(t_sqe(&ring, UD_UCMD(6)), SOCKET_URING_OP_SETSOCKOPT,
			  sv[0], SOL_SOCKET, SO_KEEPALIVE, &val, sizeof(val));
	assert_int_equal(t_result_of(&ring, UD_UCMD(6)), 0);
	assert_int_equal(sockopt_int(sv[0], SOL_SOCKET, SO_KEEPALIVE), 1);
	val = 0;
	iou_prep_cmd_sock(t_sqe(&ring, UD_UCMD(7)), SOCKET_URING_OP_SETSOCKOPT,
			  sv[0], SOL_SOCKET, SO_KEEPALIVE, &val, sizeof(val));
	assert_int_equal(t_result_of(&ring, UD_UCMD(7)), 0);
	assert_int_equal(sockopt_int(sv[0], SOL_SOCKET, SO_KEEPALIVE), 0);
	/* optlen is the kernel's: shorter than an int is refused. */
	val = 1;
	iou_prep_cmd_sock(t_sqe(&ring, UD_UCMD(8)), SOCKET_URING_OP_SETSOCKOPT,
			  sv[0], SOL_SOCKET, SO_KEEPALIVE, &val, 2);
	assert_int_equal(t_result_of(&ring, UD_UCMD(8)), -EINVAL);
	assert_int_equal(sockopt_int(sv[0], SOL_SOCKET, SO_KEEPALIVE), 0);

	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_URING_CMD);
}

/*
 * IORING_OP_RECV_ZC: needs a NIC queue registered for zero-copy receive
 * (iou_register_zcrx_ifq), which loopback cannot give.  What can be shown
 * here: the SQE reaches the kernel and is refused for the missing queue.
 * Not counted as checked.
 */
static void test_ops_net_recv_zc_refused(void **state)
{
	struct iou_ring ring;
	int n0, sv[2], res;

	(void)state;
	n0 = t_count_fds();
	/* zcrx wants these ring flags; t_ring_init skips without them. */
	t_ring_init(&ring, 8,
		    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			    IORING_SETUP_CQE32);
	t_require_op(&ring, IORING_OP_RECV_ZC);
	tcp_pair(sv);
	/* No zcrx queue was registered: index 0 names nothing. */
	iou_prep_recv_zc(t_sqe(&ring, UD_RZC(1)), sv[0], 0, 0, 0);
	res = t_result_of(&ring, UD_RZC(1));
	close(sv[0]);
	close(sv[1]);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	assert_int_equal(res, -EINVAL);
	t_skip("zero-copy receive needs a NIC with header split "
	       "(RECV_ZC without a registered ifq: %d)",
	       res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_ops_net_socket),
		T_TEST(test_ops_net_socket_direct),
		T_TEST(test_ops_net_bind_listen),
		T_TEST(test_ops_net_bind_listen_linked),
		T_TEST(test_ops_net_accept),
		T_TEST(test_ops_net_accept_direct),
		T_TEST(test_ops_net_multishot_accept),
		T_TEST(test_ops_net_multishot_accept_direct),
		T_TEST(test_ops_net_connect),
		T_TEST(test_ops_net_send_recv),
		T_TEST(test_ops_net_sendto_udp),
		T_TEST(test_ops_net_recv_multishot),
		T_TEST(test_ops_net_bundle),
		T_TEST(test_ops_net_sendmsg_recvmsg),
		T_TEST(test_ops_net_sendmsg_rights),
		T_TEST(test_ops_net_recvmsg_multishot),
		T_TEST(test_ops_net_shutdown),
		T_TEST(test_ops_net_send_zc),
		T_TEST(test_ops_net_sendmsg_zc),
		T_TEST(test_ops_net_uring_cmd),
		T_TEST(test_ops_net_recv_zc_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
