/* SPDX-License-Identifier: MIT */
/*
 * Zero-copy sends (SEND_ZC, SENDMSG_ZC, with their notification CQEs),
 * socket commands through URING_CMD (SIOCINQ, SIOCOUTQ, socket options),
 * and RECV_ZC as far as loopback can show it.  The method and the shared
 * plumbing: ops_net.h.
 */
#include "ops_net.h"

#include <sys/uio.h>

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

static void test_ops_net_zc_send_zc(void **state)
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

static void test_ops_net_zc_sendmsg_zc(void **state)
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

static void test_ops_net_zc_uring_cmd(void **state)
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
		t_missing(6, 7, "socket uring_cmd (SOCKET_URING_OP_SIOCINQ)");
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
static void test_ops_net_zc_recv_zc_refused(void **state)
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
		T_TEST(test_ops_net_zc_send_zc),
		T_TEST(test_ops_net_zc_sendmsg_zc),
		T_TEST(test_ops_net_zc_uring_cmd),
		T_TEST(test_ops_net_zc_recv_zc_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
