/* SPDX-License-Identifier: MIT */
/*
 * The load client the echo servers are measured with, written with
 * liburing (never iou, so no server is measured with its own library):
 * C connections on loopback, each sending a SIZE-byte message and waiting
 * for its echo, C x R round trips in all.  Checks every echoed byte.
 *
 *   echo-client-uring --port P[,P2,...] [--conns 1000] [--rounds 100]
 *                     [--size 64] [--slice 20000] [--turns]
 *   one port:  -> round_trips=N sec=S rtt_per_sec=X
 *   several:   -> round_trips_K=N sec_K=S rtt_per_sec_K=X for the K-th port
 *
 * Several ports: C connections to each server, and the servers take turns,
 * SLICE round trips a turn (A B C, C B A, A B C, ...), one loaded while
 * the others idle; a server's time is the sum of its turns.  Why: this
 * VM's speed drifts within seconds (one server, back-to-back one-second
 * runs: 97 k to 206 k rtt/s).  With each server in a run of its own, the
 * ratio iou/epoll of one round spread from 0.80 to 1.38 (16 rounds); in
 * turns of a tenth of a second both meet the same drift, and the ratio of
 * a whole run varies by about 4% (iou/epoll: 0.98 to 1.09 in six runs;
 * two identical servers: 0.992 and 0.995).  An idle server must not spin
 * (a server's CPU time per round trip, bench/run's srv-ns/rtt, covers the
 * other servers' turns too, so it would show).  A turn starts with the first message on each connection and ends when
 * the last echo is back, so each one pays the same ramp and drain.
 * --turns prints each turn's rate on stderr.
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
#define MAX_SERVERS 8

struct conn {
	int got;	/* bytes of the current echo received */
};

struct server {
	int port;
	long left;	/* round trips still to do */
	long done;
	double sec;	/* the sum of its turns */
};

static struct io_uring ring;
static struct io_uring_buf_ring *br;
static char *bufs;
static char msg[4096];
static struct conn *conns;
static int size;
static int show_turns;	/* --turns: each turn's rate on stderr */

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

static void send_msg(int i)
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

/*
 * One CQE of connection @i (a server's first..last): returns 1 when it
 * completed an echo, 0 when not yet, -1 on an error (printed).
 */
static int on_cqe(const struct io_uring_cqe *cqe, int first, int last)
{
	uint64_t ud = cqe->user_data;
	int i = (int)(ud >> 2), res = cqe->res;
	struct conn *c = &conns[i];
	unsigned bid;

	if ((ud & 3) == TAG_SEND) {
		/* Only failed sends post a CQE. */
		fprintf(stderr, "send: %s\n", strerror(-res));
		return -1;
	}
	if (res == -ENOBUFS) {
		arm_recv(i);
		return 0;
	}
	if (res <= 0 || !(cqe->flags & IORING_CQE_F_BUFFER)) {
		fprintf(stderr, "echo-client-uring: recv %d\n", res);
		return -1;
	}
	bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	if (i < first || i > last || c->got + res > size ||
	    memcmp(bufs + (size_t)bid * BUFSZ, msg, (size_t)res)) {
		fprintf(stderr, "echo-client-uring: bad echo\n");
		return -1;
	}
	buf_give(bid);
	if (!(cqe->flags & IORING_CQE_F_MORE))
		arm_recv(i);
	c->got += res;
	if (c->got < size)
		return 0;
	c->got = 0;
	return 1;
}

/*
 * A turn: @budget round trips on the connections first..last (one
 * server's), as many at once as there are connections; timed from the
 * first send to the last echo.
 */
static int turn(struct server *s, int first, int last, long budget)
{
	struct io_uring_cqe *cqe;
	long unsent = budget, inflight = 0;
	unsigned head, seen;
	double t0 = now();
	int i, ret;

	for (i = first; i <= last && unsent; i++, unsent--, inflight++)
		send_msg(i);
	while (inflight) {
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0 && ret != -EINTR) {
			fprintf(stderr, "submit: %s\n", strerror(-ret));
			return -1;
		}
		seen = 0;
		io_uring_for_each_cqe(&ring, head, cqe) {
			seen++;
			ret = on_cqe(cqe, first, last);
			if (ret < 0)
				return -1;
			if (!ret)
				continue;
			inflight--;
			if (unsent) {
				/* The same connection sends its next one. */
				send_msg((int)(cqe->user_data >> 2));
				unsent--;
				inflight++;
			}
		}
		io_uring_cq_advance(&ring, seen);
	}
	t0 = now() - t0;
	s->sec += t0;
	if (show_turns)
		fprintf(stderr, "turn port=%d round_trips=%ld rtt_per_sec=%.0f\n",
			s->port, budget, (double)budget / t0);
	s->done += budget;
	s->left -= budget;
	return 0;
}

/* "P[,P2,...]" into @srv; returns how many, 0 if malformed. */
static int parse_ports(const char *arg, struct server *srv)
{
	char *end;
	long v;
	int n = 0;

	for (;;) {
		v = strtol(arg, &end, 10);
		if (end == arg || v < 1 || v > 65535 || n == MAX_SERVERS)
			return 0;
		srv[n++].port = (int)v;
		if (!*end)
			return n;
		if (*end != ',')
			return 0;
		arg = end + 1;
	}
}

int main(int argc, char **argv)
{
	int nconns = atoi(opt(argc, argv, "--conns", "1000"));
	long rounds = atol(opt(argc, argv, "--rounds", "100"));
	long slice = atol(opt(argc, argv, "--slice", "20000"));
	struct io_uring_buf_reg reg = { 0 };
	struct io_uring_params p = { 0 };
	struct server srv[MAX_SERVERS] = { { 0 } };
	int *fds, nsrv, i, k, j, total, ret;
	long budget, left;
	unsigned bid;

	size = atoi(opt(argc, argv, "--size", "64"));
	for (i = 1; i < argc; i++)
		show_turns |= !strcmp(argv[i], "--turns");
	nsrv = parse_ports(opt(argc, argv, "--port", "9000"), srv);
	if (!nsrv || size < 1 || size > BUFSZ || nconns < 1 || rounds < 1 ||
	    slice < 1)
		return 2;
	total = nsrv * nconns;
	raise_nofile();
	memset(msg, 'e', sizeof(msg));
	conns = calloc((size_t)total, sizeof(*conns));
	fds = calloc((size_t)total, sizeof(*fds));
	bufs = malloc((size_t)NBUFS * BUFSZ);
	if (!conns || !fds || !bufs)
		return 1;

	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
		  IORING_SETUP_CQSIZE;
	p.cq_entries = 4 * (unsigned)total + 64;
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
	for (k = 0; k < nsrv; k++) {
		srv[k].left = (long)nconns * rounds;
		for (i = k * nconns; i < (k + 1) * nconns; i++) {
			fds[i] = connect_loopback(srv[k].port);
			if (fds[i] < 0)
				return 1;
		}
	}
	ret = io_uring_register_files(&ring, fds, (unsigned)total);
	if (ret) {
		fprintf(stderr, "register_files: %s\n", strerror(-ret));
		return 1;
	}
	for (i = 0; i < total; i++)
		arm_recv(i);
	io_uring_submit(&ring);

	/* One server: one turn.  Several: A B C, C B A, ... until done. */
	if (nsrv == 1)
		slice = srv[0].left;
	do {
		left = 0;
		for (j = 0; j < 2 * nsrv; j++) {
			k = j < nsrv ? j : 2 * nsrv - 1 - j;
			budget = srv[k].left < slice ? srv[k].left : slice;
			if (budget && turn(&srv[k], k * nconns,
					   (k + 1) * nconns - 1, budget))
				return 1;
			left += srv[k].left;
		}
	} while (left);
	io_uring_queue_exit(&ring);
	for (i = 0; i < total; i++)
		close(fds[i]);
	if (nsrv == 1) {
		printf("bench=echo client=uring conns=%d rounds=%ld size=%d "
		       "round_trips=%ld sec=%.3f rtt_per_sec=%.0f\n",
		       nconns, rounds, size, srv[0].done, srv[0].sec,
		       (double)srv[0].done / srv[0].sec);
		return 0;
	}
	printf("bench=echo client=uring conns=%d rounds=%ld size=%d slice=%ld "
	       "servers=%d\n", nconns, rounds, size, slice, nsrv);
	for (k = 0; k < nsrv; k++)
		printf("port_%d=%d round_trips_%d=%ld sec_%d=%.3f "
		       "rtt_per_sec_%d=%.0f\n",
		       k, srv[k].port, k, srv[k].done, k, srv[k].sec, k,
		       (double)srv[k].done / srv[k].sec);
	return 0;
}
