/* SPDX-License-Identifier: MIT */
/*
 * Moving bytes on connected sockets, one request per SQE: SEND/RECV over
 * TCP and UDP, SENDMSG/RECVMSG with scatter-gather and SCM_RIGHTS, and
 * SHUTDOWN.  Receives into provided buffers are in test_ops_net_bufring.c.
 * The method and the shared plumbing: ops_net.h.
 */
#include "ops_net.h"

#include <fcntl.h>
#include <sys/uio.h>

/*
 * Plumbing only these tests use; the shared part is in ops_net.h
 */

static void wait_urgent(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLPRI };

	assert_int_equal(poll(&p, 1, WAIT_MS), 1);
	assert_true(p.revents & POLLPRI);
}

/* The peer sees end of stream. */
static void expect_eof(int fd)
{
	char c;

	wait_readable(fd);
	assert_int_equal(read(fd, &c, 1), 0);
}

/*
 * IORING_OP_SEND, IORING_OP_RECV
 */

static void test_ops_net_io_send_recv(void **state)
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

static void test_ops_net_io_sendto_udp(void **state)
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

/*
 * IORING_OP_SENDMSG, IORING_OP_RECVMSG
 */

static void test_ops_net_io_sendmsg_recvmsg(void **state)
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
static void test_ops_net_io_sendmsg_rights(void **state)
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

/*
 * IORING_OP_SHUTDOWN
 */

static void test_ops_net_io_shutdown(void **state)
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_ops_net_io_send_recv),
		T_TEST(test_ops_net_io_sendto_udp),
		T_TEST(test_ops_net_io_sendmsg_recvmsg),
		T_TEST(test_ops_net_io_sendmsg_rights),
		T_TEST(test_ops_net_io_shutdown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
