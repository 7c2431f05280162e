/* SPDX-License-Identifier: MIT */
/*
 * The load client the echo servers are measured with, written with
 * liburing (never iou, so no server is measured with its own library):
 * C connections on loopback, each sending a SIZE-byte message and waiting
 * for its echo, R round trips per connection, all connections at once.
 * Checks every echoed byte.
 *
 *   echo-client-uring --port P [--conns 1000] [--rounds 100] [--size 64]
 *   -> rtt_per_sec=X (round trips completed per second, all connections)
 *
 * Why not the epoll client (echo-client): it spends about as much CPU per
 * round trip as the servers do (recv, EAGAIN, send and epoll_wait per
 * message), so on two cores it, not the server, set the pace.  Here each
 * connection has one multishot recv on a shared buffer ring for its whole
 * life, sends go out without a CQE (IOSQE_CQE_SKIP_SUCCESS), and one
 * io_uring_enter submits the sends of a whole batch of echoes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "opt.h"

#define BGID 1
#define NBUFS 4096		/* power of two; > connections in flight */
#define BUFSZ 256
#define TAG_RECV 1ULL
#define TAG_SEND 2ULL

struct conn {
	int got;	/* bytes of the current echo received */
	long left;	/* round trips still to do */
};

static struct io_uring ring;
static struct io_uring_buf_ring *br;
static char *bufs;
static char msg[4096];

/* An SQE, submitting what is queued when the SQ is full. */
static struct io_uring_sqe *sqe_get(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	if (!sqe) {
		io_uring_submit(&ring);
		sqe = io_uring_get_sqe(&ring);
	}
	if (!sqe) {
		fprintf(stderr, "echo-client-uring: SQ full\n");
		exit(1);
	}
	return sqe;
}

static void arm_recv(int i)
{
	struct io_uring_sqe *sqe = sqe_get();

	/* Registered file i; buffers from the shared ring. */
	io_uring_prep_recv_multishot(sqe, i, NULL, 0, 0);
	sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
	sqe->buf_group = BGID;
	sqe->user_data = (uint64_t)i << 2 | TAG_RECV;
}

static void send_msg(int i, int size)
{
	struct io_uring_sqe *sqe = sqe_get();

	io_uring_prep_send(sqe, i, msg, (size_t)size, MSG_NOSIGNAL);
	sqe->flags |= IOSQE_FIXED_FILE | IOSQE_CQE_SKIP_SUCCESS;
	sqe->user_data = (uint64_t)i << 2 | TAG_SEND;
}

static void buf_give(unsigned bid)
{
	io_uring_buf_ring_add(br, bufs + (size_t)bid * BUFSZ, BUFSZ,
			      (unsigned short)bid, NBUFS - 1, 0);
	io_uring_buf_ring_advance(br, 1);
}

int main(int argc, char **argv)
{
	int port = atoi(opt(argc, argv, "--port", "9000"));
	int nconns = atoi(opt(argc, argv, "--conns", "1000"));
	long rounds = atol(opt(argc, argv, "--rounds", "100"));
	int size = atoi(opt(argc, argv, "--size", "64"));
	struct io_uring_buf_reg reg = { 0 };
	struct io_uring_params p = { 0 };
	struct io_uring_cqe *cqe;
	long total = 0, open_conns;
	struct conn *conns;
	unsigned head, seen, bid;
	int *fds, i, ret;
	double t0, t;

	if (size < 1 || size > BUFSZ || nconns < 1 || rounds < 1)
		return 2;
	raise_nofile();
	memset(msg, 'e', sizeof(msg));
	conns = calloc((size_t)nconns, sizeof(*conns));
	fds = calloc((size_t)nconns, sizeof(*fds));
	bufs = malloc((size_t)NBUFS * BUFSZ);
	if (!conns || !fds || !bufs)
		return 1;

	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
		  IORING_SETUP_CQSIZE;
	p.cq_entries = 4 * (unsigned)nconns + 64;
	ret = io_uring_queue_init_params(1024, &ring, &p);
	if (ret) {
		fprintf(stderr, "io_uring_queue_init: %s\n", strerror(-ret));
		return 1;
	}
	if (posix_memalign((void **)&br, 4096, NBUFS * sizeof(struct io_uring_buf)))
		return 1;
	reg.ring_addr = (unsigned long)br;
	reg.ring_entries = NBUFS;
	reg.bgid = BGID;
	ret = io_uring_register_buf_ring(&ring, &reg, 0);
	if (ret) {
		fprintf(stderr, "register_buf_ring: %s\n", strerror(-ret));
		return 1;
	}
	io_uring_buf_ring_init(br);
	for (bid = 0; bid < NBUFS; bid++)
		buf_give(bid);

	/* Connect everyone first: not what is timed. */
	for (i = 0; i < nconns; i++) {
		fds[i] = connect_loopback(port);
		if (fds[i] < 0)
			return 1;
		conns[i].left = rounds;
	}
	ret = io_uring_register_files(&ring, fds, (unsigned)nconns);
	if (ret) {
		fprintf(stderr, "register_files: %s\n", strerror(-ret));
		return 1;
	}
	for (i = 0; i < nconns; i++)
		arm_recv(i);
	io_uring_submit(&ring);

	t0 = now();
	for (i = 0; i < nconns; i++)
		send_msg(i, size);
	open_conns = nconns;
	while (open_conns) {
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "submit: %s\n", strerror(-ret));
			return 1;
		}
		seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			uint64_t ud = cqe->user_data;
			struct conn *c = &conns[ud >> 2];
			int res = cqe->res;

			seen++;
			if ((ud & 3) == TAG_SEND) {
				/* Only failed sends post a CQE. */
				fprintf(stderr, "send: %s\n", strerror(-res));
				return 1;
			}
			if (res == -ENOBUFS) {
				arm_recv((int)(ud >> 2));
				continue;
			}
			if (res <= 0 || !(cqe->flags & IORING_CQE_F_BUFFER)) {
				fprintf(stderr, "echo-client-uring: recv %d\n",
					res);
				return 1;
			}
			bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
			if (c->got + res > size ||
			    memcmp(bufs + (size_t)bid * BUFSZ, msg, (size_t)res)) {
				fprintf(stderr, "echo-client-uring: bad echo\n");
				return 1;
			}
			buf_give(bid);
			if (!(cqe->flags & IORING_CQE_F_MORE))
				arm_recv((int)(ud >> 2));
			c->got += res;
			if (c->got < size)
				continue;
			c->got = 0;
			total++;
			if (--c->left == 0)
				open_conns--;
			else
				send_msg((int)(ud >> 2), size);
		}
		io_uring_cq_advance(&ring, seen);
	}
	t = now() - t0;
	io_uring_queue_exit(&ring);
	for (i = 0; i < nconns; i++)
		close(fds[i]);
	printf("bench=echo client=uring conns=%d rounds=%ld size=%d "
	       "round_trips=%ld sec=%.3f rtt_per_sec=%.0f\n",
	       nconns, rounds, size, total, t, (double)total / t);
	return 0;
}
