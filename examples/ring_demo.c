/* SPDX-License-Identifier: MIT */
/*
 * A tour of the ring layer on the running kernel: create a ring, run a
 * linked write->read chain through a pipe, push 1000 NOPs through a CQ of
 * 4 entries, time out a wait, and count the opcodes the kernel knows.
 * Prints what happened; exits 0 on success, 2 when io_uring is refused.
 */
#include <iou/register.h>
#include <iou/ring.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int chain_through_pipe(struct iou_ring *ring)
{
	static const char msg[] = "hello through io_uring";
	struct io_uring_sqe *sqe[2];
	struct io_uring_cqe *cqe;
	char buf[64] = { 0 };
	int p[2], i, ret;

	if (pipe(p))
		return -1;
	/* Two SQEs or none: the chain never straddles a submit. */
	if (iou_reserve(ring, 2, sqe))
		return -1;
	sqe[0]->opcode = IORING_OP_WRITE;
	sqe[0]->fd = p[1];
	sqe[0]->addr = (uintptr_t)msg;
	sqe[0]->len = sizeof(msg) - 1;
	sqe[0]->flags = IOSQE_IO_LINK;
	sqe[0]->user_data = 1;
	sqe[1]->opcode = IORING_OP_READ;
	sqe[1]->fd = p[0];
	sqe[1]->addr = (uintptr_t)buf;
	sqe[1]->len = sizeof(buf) - 1;
	sqe[1]->user_data = 2;
	ret = iou_submit_and_wait(ring, 2);
	printf("chain: submitted %d SQEs (write linked to read) in one enter\n",
	       ret);
	for (i = 0; i < 2; i++) {
		if (iou_wait_cqe(ring, &cqe))
			return -1;
		printf("  cqe user_data=%llu res=%d\n",
		       (unsigned long long)cqe->user_data, cqe->res);
		iou_cqe_seen(ring, cqe);
	}
	printf("  read back: \"%s\"\n", buf);
	close(p[0]);
	close(p[1]);
	return strcmp(buf, msg) ? -1 : 0;
}

static int nops_through_small_cq(void)
{
	struct io_uring_params p = { .flags = IORING_SETUP_CQSIZE,
				     .cq_entries = 4 };
	struct io_uring_cqe out[16];
	struct iou_ring ring;
	unsigned sent = 0, reaped = 0, enters = 0;
	int n;

	if (iou_ring_init_params(&ring, 4, &p))
		return -1;
	while (reaped < 1000) {
		while (sent < 1000 && sent - reaped < 12) {
			struct io_uring_sqe *sqe = iou_get_sqe(&ring);

			if (!sqe)
				break;
			sqe->opcode = IORING_OP_NOP;
			sqe->user_data = sent++;
		}
		if (iou_submit(&ring) > 0)
			enters++;
		n = iou_cq_copy(&ring, out, 16);
		if (n < 0)
			break;
		if (n == 0 && iou_get_events(&ring) < 0)
			break;
		reaped += (unsigned)n;
	}
	printf("nops: 1000 NOPs through a CQ of %u entries: %u reaped, %u "
	       "submitting enters (CQ overflowed and was flushed as needed)\n",
	       ring.cq.entries, reaped, enters);
	iou_ring_exit(&ring);
	return reaped == 1000 ? 0 : -1;
}

int main(void)
{
	struct iou_timespec ts = { 0, 10 * 1000 * 1000 };
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	unsigned op, known = 0;
	int ret = iou_available();

	if (ret) {
		printf("io_uring is refused here (%s): nothing to show\n",
		       strerror(-ret));
		return 2;
	}
	ret = iou_ring_init(&ring, 8, 0);
	if (ret) {
		printf("iou_ring_init: %s\n", strerror(-ret));
		return 1;
	}
	printf("ring: fd %d, SQ %u entries, CQ %u entries, features %#x, "
	       "flags %#x\n",
	       ring.ring_fd, ring.sq.entries, ring.cq.entries, ring.features,
	       ring.flags);
	if (chain_through_pipe(&ring) || nops_through_small_cq())
		return 1;
	ret = iou_wait_cqe_timeout(&ring, &cqe, &ts);
	printf("wait with nothing in flight, 10 ms timeout: %s\n",
	       ret == -IOU_ETIME ? "timed out (-ETIME)" : strerror(-ret));
	for (op = 0; op < IORING_OP_LAST; op++)
		known += iou_opcode_supported(&ring, op) == 1;
	printf("probe: the kernel supports %u of the %u opcodes iou knows\n",
	       known, (unsigned)IORING_OP_LAST);
	iou_ring_exit(&ring);
	return 0;
}
