/* SPDX-License-Identifier: MIT */
/*
 * Receiving into provided-buffer rings: multishot RECV, send and receive
 * bundles, multishot RECVMSG (the io_uring_recvmsg_out layout).  The method
 * and the shared plumbing: ops_net.h.
 */
#include "ops_net.h"

#include <stdio.h>
#include <sys/uio.h>

/*
 * Plumbing only these tests use; the shared part is in ops_net.h
 */

/* sendto(2) of @n bytes to @to, all of it. */
static void send_datagram(int fd, const struct sockaddr_in *to,
			 const void *p, size_t n)
{
	assert_int_equal(sendto(fd, p, n, 0, (const struct sockaddr *)to,
				sizeof(*to)),
			 (ssize_t)n);
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

/*
 * IORING_OP_RECV into provided buffers: multishot, bundles
 */

static void test_ops_net_bufring_recv_multishot(void **state)
{
	enum { ENTRIES = 8, BGID = 7, BUFSZ = 16 };
	static char bufs[ENTRIES * BUFSZ];
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, sv[2], i, bid, res;
	char msg[16];

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
	assert_int_equal(iou_free_buf_ring(&ring, br, ENTRIES, BGID), 0);
	iou_ring_exit(&ring);
	assert_int_equal(t_count_fds(), n0);
	t_opcode_checked(IORING_OP_RECV);
}

/* len caps each CQE: 10 bytes come as CQEs of at most 4. */
static void test_ops_net_bufring_recv_multishot_len(void **state)
{
	enum { ENTRIES = 8, BGID = 7, BUFSZ = 16 };
	static char bufs[ENTRIES * BUFSZ];
	static const char ten[] = "0123456789";
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int n0, sv[2], bid, res, got, cqes;
	char all[16];

	(void)state;
	t_require_kernel(6, 15, "iou_prep_recv_multishot() with a length");
	n0 = t_count_fds();
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_RECV);
	t_require_op(&ring, IORING_OP_ASYNC_CANCEL);
	br = setup_buf_ring(&ring, ENTRIES, BGID);
	buf_ring_fill(br, bufs, ENTRIES, BUFSZ);
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
}

static void test_ops_net_bufring_bundle(void **state)
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
		t_missing(6, 10, "IORING_FEAT_RECVSEND_BUNDLE");
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
 * IORING_OP_RECVMSG into provided buffers, multishot
 */

static void test_ops_net_bufring_recvmsg_multishot(void **state)
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_ops_net_bufring_recv_multishot),
		T_TEST(test_ops_net_bufring_recv_multishot_len),
		T_TEST(test_ops_net_bufring_bundle),
		T_TEST(test_ops_net_bufring_recvmsg_multishot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
