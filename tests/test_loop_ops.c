/* SPDX-License-Identifier: MIT */
/*
 * Every fiber I/O call on real pipes, files and loopback sockets: the
 * result, a per-op timeout (-ETIMEDOUT), a cancel from another fiber
 * (-ECANCELED), and the readiness retries (-EAGAIN never leaks out).
 * Runs once per backend.
 */
#include "looputil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MS 1000000ULL

static int p[2];

static int setup_pipe(void **state)
{
	(void)state;
	return pipe2(p, O_CLOEXEC);
}

static int teardown_pipe(void **state)
{
	(void)state;
	close(p[0]);
	close(p[1]);
	return 0;
}

static int pipe_roundtrip(struct iou_fiber *self, void *arg)
{
	char buf[32] = { 0 };

	(void)arg;
	FCHECK_EQ(iou_write(self, p[1], "pipe data", 9, IOU_POS, 0), 9);
	FCHECK_EQ(iou_read(self, p[0], buf, sizeof(buf), IOU_POS, 0), 9);
	FCHECK(!memcmp(buf, "pipe data", 9));
	return 0;
}

static void test_loop_ops_pipe_read_write(void **state)
{
	(void)state;
	t_loop_run(pipe_roundtrip, NULL);
}

static int file_offsets(struct iou_fiber *self, void *arg)
{
	char path[] = "/tmp/iou-loop-XXXXXX", buf[16] = { 0 };
	struct statx stx;
	int fd, tmp;

	(void)arg;
	tmp = mkstemp(path);
	FCHECK(tmp >= 0);
	close(tmp);
	fd = iou_openat(self, AT_FDCWD, path, O_RDWR | O_TRUNC, 0);
	FCHECK(fd >= 0);
	FCHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	FCHECK_EQ(iou_write(self, fd, "0123456789", 10, 0, 0), 10);
	FCHECK_EQ(iou_write(self, fd, "AB", 2, 4, 0), 2);
	FCHECK_EQ(iou_read(self, fd, buf, 6, 2, 0), 6);
	FCHECK(!memcmp(buf, "23AB67", 6));
	/* The file position: starts at 0, moves. */
	FCHECK_EQ(iou_read(self, fd, buf, 3, IOU_POS, 0), 3);
	FCHECK(!memcmp(buf, "012", 3));
	FCHECK_EQ(iou_read(self, fd, buf, 3, IOU_POS, 0), 3);
	FCHECK(!memcmp(buf, "3AB", 3));
	FCHECK_EQ(iou_fsync(self, fd, 0), 0);
	FCHECK_EQ(iou_fsync(self, fd, IORING_FSYNC_DATASYNC), 0);
	memset(&stx, 0, sizeof(stx));
	FCHECK_EQ(iou_statx(self, AT_FDCWD, path, 0, STATX_SIZE, &stx), 0);
	FCHECK_EQ(stx.stx_size, 10);
	FCHECK_EQ(iou_close(self, fd), 0);
	FCHECK_EQ(fcntl(fd, F_GETFD), -1);
	FCHECK_EQ(iou_openat(self, AT_FDCWD, "/nonexistent/x", O_RDONLY, 0),
		  -ENOENT);
	unlink(path);
	return 0;
}

static void test_loop_ops_file_offsets_fsync_statx(void **state)
{
	(void)state;
	t_loop_run(file_offsets, NULL);
}

static int vectored(struct iou_fiber *self, void *arg)
{
	struct iovec out[3] = { { "one-", 4 }, { "two-", 4 }, { "three", 5 } };
	char a[5] = { 0 }, b[8] = { 0 };
	struct iovec in[2] = { { a, 5 }, { b, 8 } };

	(void)arg;
	FCHECK_EQ(iou_writev(self, p[1], out, 3, IOU_POS, 0), 13);
	FCHECK_EQ(iou_readv(self, p[0], in, 2, IOU_POS, 0), 13);
	FCHECK(!memcmp(a, "one-t", 5));
	FCHECK(!memcmp(b, "wo-three", 8));
	return 0;
}

static void test_loop_ops_readv_writev(void **state)
{
	(void)state;
	t_loop_run(vectored, NULL);
}

/* 4 MiB across a TCP pair, sender and receiver in two fibers. */
struct stream_ctx {
	int fd;
	size_t total;
	unsigned long sum;
};

static int sender(struct iou_fiber *self, void *arg)
{
	struct stream_ctx *c = arg;
	static unsigned char chunk[65536];
	size_t sent = 0, i;
	int n;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (unsigned char)(i * 7);
	while (sent < c->total) {
		n = iou_send(self, c->fd, chunk + sent % sizeof(chunk),
			     (unsigned)(sizeof(chunk) - sent % sizeof(chunk)), 0,
			     0);
		FCHECK(n > 0);
		sent += (size_t)n;
	}
	FCHECK_EQ(iou_shutdown(self, c->fd, SHUT_WR), 0);
	return 0;
}

static int receiver(struct iou_fiber *self, void *arg)
{
	struct stream_ctx *c = arg;
	unsigned char buf[8192];
	size_t got = 0;
	int n, i;

	for (;;) {
		n = iou_recv(self, c->fd, buf, sizeof(buf), 0, 0);
		FCHECK(n >= 0);
		if (!n)
			break;
		for (i = 0; i < n; i++)
			FCHECK_EQ(buf[i], (unsigned char)((got + (size_t)i) %
							   65536 * 7));
		got += (size_t)n;
	}
	FCHECK_EQ(got, c->total);
	return 0;
}

static int stream_main(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	struct stream_ctx s = { sv[0], 4 << 20, 0 }, r = { sv[1], 4 << 20, 0 };
	struct iou_fiber *a, *b;

	FCHECK_EQ(iou_spawn(t_loop, sender, &s, 0, &a), 0);
	FCHECK_EQ(iou_spawn(t_loop, receiver, &r, 0, &b), 0);
	FCHECK_EQ(iou_join(self, a, NULL), 0);
	FCHECK_EQ(iou_join(self, b, NULL), 0);
	return 0;
}

static void test_loop_ops_tcp_stream_4mib(void **state)
{
	int sv[2];

	(void)state;
	t_tcp_pair(sv);
	t_loop_run(stream_main, sv);
	close(sv[0]);
	close(sv[1]);
}

static int msgs(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	struct iovec out[2] = { { "scat", 4 }, { "tered", 5 } };
	char a[3] = { 0 }, b[6] = { 0 };
	struct iovec in[2] = { { a, 3 }, { b, 6 } };
	struct msghdr sm, rm;

	memset(&sm, 0, sizeof(sm));
	sm.msg_iov = out;
	sm.msg_iovlen = 2;
	memset(&rm, 0, sizeof(rm));
	rm.msg_iov = in;
	rm.msg_iovlen = 2;
	FCHECK_EQ(iou_sendmsg(self, sv[0], &sm, 0, 0), 9);
	FCHECK_EQ(iou_recvmsg(self, sv[1], &rm, 0, 0), 9);
	FCHECK(!memcmp(a, "sca", 3));
	FCHECK(!memcmp(b, "ttered", 6));
	return 0;
}

static void test_loop_ops_sendmsg_recvmsg(void **state)
{
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv),
			 0);
	t_loop_run(msgs, sv);
	close(sv[0]);
	close(sv[1]);
}

struct srv {
	int lfd;
	struct sockaddr_in addr;
	int accepted;
};

static int server_fiber(struct iou_fiber *self, void *arg)
{
	struct srv *s = arg;
	struct sockaddr_in peer;
	unsigned len = sizeof(peer);
	char buf[16];
	int fd, n;

	fd = iou_accept(self, s->lfd, (struct sockaddr *)&peer, &len,
			SOCK_CLOEXEC, 0);
	FCHECK(fd >= 0);
	FCHECK_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	n = iou_recv(self, fd, buf, sizeof(buf), 0, 0);
	FCHECK_EQ(n, 4);
	FCHECK_EQ(iou_send(self, fd, buf, 4, 0, 0), 4);
	s->accepted = 1;
	FCHECK_EQ(iou_close(self, fd), 0);
	return 0;
}

static int accept_connect(struct iou_fiber *self, void *arg)
{
	struct srv s;
	struct iou_fiber *srv;
	char buf[8] = { 0 };
	int lfd, cfd, one = 1;
	unsigned len = sizeof(s.addr);

	(void)arg;
	/* Socket, bind, listen through the loop (ring ops where the kernel
	 * has them), then accept and connect in two fibers. */
	lfd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	FCHECK(lfd >= 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&s.addr, 0, sizeof(s.addr));
	s.addr.sin_family = AF_INET;
	s.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	FCHECK_EQ(iou_bind(self, lfd, (struct sockaddr *)&s.addr, sizeof(s.addr)),
		  0);
	FCHECK_EQ(iou_listen(self, lfd, 16), 0);
	FCHECK_EQ(getsockname(lfd, (struct sockaddr *)&s.addr, &len), 0);
	s.lfd = lfd;
	s.accepted = 0;
	FCHECK_EQ(iou_spawn(t_loop, server_fiber, &s, 0, &srv), 0);
	cfd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	FCHECK(cfd >= 0);
	FCHECK_EQ(iou_connect(self, cfd, (struct sockaddr *)&s.addr,
			      sizeof(s.addr), 0),
		  0);
	FCHECK_EQ(iou_send(self, cfd, "ping", 4, 0, 0), 4);
	FCHECK_EQ(iou_recv(self, cfd, buf, sizeof(buf), 0, 0), 4);
	FCHECK(!memcmp(buf, "ping", 4));
	FCHECK_EQ(iou_recv(self, cfd, buf, sizeof(buf), 0, 0), 0);
	FCHECK_EQ(iou_join(self, srv, NULL), 0);
	FCHECK_EQ(s.accepted, 1);
	FCHECK_EQ(iou_close(self, cfd), 0);
	/* Nobody listening any more. */
	FCHECK_EQ(iou_close(self, lfd), 0);
	cfd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	FCHECK_EQ(iou_connect(self, cfd, (struct sockaddr *)&s.addr,
			      sizeof(s.addr), 0),
		  -ECONNREFUSED);
	FCHECK_EQ(iou_close(self, cfd), 0);
	return 0;
}

static void test_loop_ops_socket_bind_listen_accept_connect(void **state)
{
	(void)state;
	t_loop_run(accept_connect, NULL);
}

static int shutdown_eof(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	char c;

	FCHECK_EQ(iou_shutdown(self, sv[0], SHUT_WR), 0);
	FCHECK_EQ(iou_recv(self, sv[1], &c, 1, 0, 0), 0);
	return 0;
}

static void test_loop_ops_shutdown(void **state)
{
	int sv[2];

	(void)state;
	t_tcp_pair(sv);
	t_loop_run(shutdown_eof, sv);
	close(sv[0]);
	close(sv[1]);
}

static int splicer(struct iou_fiber *self, void *arg)
{
	char in_path[] = "/tmp/iou-spl-XXXXXX", out_path[] = "/tmp/iou-spo-XXXXXX";
	char buf[16] = { 0 };
	int in, out;

	(void)arg;
	in = mkstemp(in_path);
	out = mkstemp(out_path);
	FCHECK(in >= 0 && out >= 0);
	FCHECK_EQ(write(in, "spliced!", 8), 8);
	FCHECK_EQ(iou_splice(self, in, 0, p[1], -1, 8, 0, 0), 8);
	FCHECK_EQ(iou_splice(self, p[0], -1, out, 0, 8, 0, 0), 8);
	FCHECK_EQ(pread(out, buf, 8, 0), 8);
	FCHECK(!memcmp(buf, "spliced!", 8));
	close(in);
	close(out);
	unlink(in_path);
	unlink(out_path);
	return 0;
}

static void test_loop_ops_splice(void **state)
{
	(void)state;
	t_loop_run(splicer, NULL);
}

static int late_writer(struct iou_fiber *self, void *arg)
{
	(void)arg;
	iou_sleep(self, 10 * MS);
	return iou_write(self, p[1], "w", 1, IOU_POS, 0) == 1 ? 0 : -1;
}

static int poller(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *w;
	char c;
	int ev;

	(void)arg;
	FCHECK_EQ(iou_spawn(t_loop, late_writer, NULL, 0, &w), 0);
	ev = iou_poll(self, p[0], POLLIN, 0);
	FCHECK(ev > 0 && (ev & POLLIN));
	FCHECK_EQ(read(p[0], &c, 1), 1);
	FCHECK_EQ(iou_join(self, w, NULL), 0);
	/* Writable right away. */
	ev = iou_poll(self, p[1], POLLOUT, 0);
	FCHECK(ev > 0 && (ev & POLLOUT));
	return 0;
}

static void test_loop_ops_poll(void **state)
{
	(void)state;
	t_loop_run(poller, NULL);
}

/* Each op with a deadline that expires: -ETIMEDOUT, close to on time. */
static int timeouts(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	unsigned short port;
	char buf[4];
	uint64_t t0;
	int lfd;

	t0 = iou_now(t_loop);
	FCHECK_EQ(iou_read(self, p[0], buf, 1, IOU_POS, 20 * MS), -ETIMEDOUT);
	FCHECK(iou_now(t_loop) - t0 >= 19 * MS);
	FCHECK(iou_now(t_loop) - t0 < 1000 * MS);
	FCHECK_EQ(iou_recv(self, sv[0], buf, 1, 0, 10 * MS), -ETIMEDOUT);
	FCHECK_EQ(iou_poll(self, p[0], POLLIN, 10 * MS), -ETIMEDOUT);
	lfd = t_listener(&port);
	FCHECK_EQ(iou_accept(self, lfd, NULL, NULL, 0, 10 * MS), -ETIMEDOUT);
	close(lfd);
	/* Completes first: the result, not a timeout. */
	FCHECK_EQ(iou_write(self, p[1], "x", 1, IOU_POS, 1000 * MS), 1);
	FCHECK_EQ(iou_read(self, p[0], buf, 1, IOU_POS, 1000 * MS), 1);
	return 0;
}

static void test_loop_ops_timeouts(void **state)
{
	int sv[2];

	(void)state;
	t_tcp_pair(sv);
	t_loop_run(timeouts, sv);
	close(sv[0]);
	close(sv[1]);
}

/* Cancel from another fiber: the blocked call returns -ECANCELED. */
struct victim {
	int kind;
	int fd;
	int res;
};

static int blocked(struct iou_fiber *self, void *arg)
{
	struct victim *v = arg;
	char buf[8];

	switch (v->kind) {
	case 0:
		v->res = iou_read(self, v->fd, buf, 1, IOU_POS, 0);
		break;
	case 1:
		v->res = iou_recv(self, v->fd, buf, 1, 0, 0);
		break;
	case 2:
		v->res = iou_accept(self, v->fd, NULL, NULL, 0, 0);
		break;
	default:
		v->res = iou_poll(self, v->fd, POLLIN, 0);
		break;
	}
	return 0;
}

static int canceller(struct iou_fiber *self, void *arg)
{
	int *fds = arg, k;
	struct victim v;
	struct iou_fiber *f;

	for (k = 0; k < 4; k++) {
		v.kind = k;
		v.fd = fds[k];
		v.res = 1;
		FCHECK_EQ(iou_spawn(t_loop, blocked, &v, 0, &f), 0);
		FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
		FCHECK_EQ(v.res, 1); /* still blocked */
		FCHECK_EQ(iou_cancel(f), 0);
		FCHECK_EQ(iou_join(self, f, NULL), 0);
		FCHECK_EQ(v.res, -ECANCELED);
	}
	return 0;
}

static void test_loop_ops_cancel_from_another_fiber(void **state)
{
	unsigned short port;
	int sv[2], fds[4];

	(void)state;
	t_tcp_pair(sv);
	fds[0] = p[0];
	fds[1] = sv[0];
	fds[2] = t_listener(&port);
	fds[3] = p[0];
	t_loop_run(canceller, fds);
	close(fds[2]);
	close(sv[0]);
	close(sv[1]);
}

static int dontwait(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	char c;

	FCHECK_EQ(iou_recv(self, sv[0], &c, 1, MSG_DONTWAIT, 0), -EAGAIN);
	return 0;
}

static void test_loop_ops_recv_dontwait_is_the_callers(void **state)
{
	int sv[2];

	(void)state;
	t_tcp_pair(sv);
	t_loop_run(dontwait, sv);
	close(sv[0]);
	close(sv[1]);
}

struct nb_accept {
	int lfd;
	unsigned short port;
};

static int late_connect(struct iou_fiber *self, void *arg)
{
	struct nb_accept *a = arg;
	int fd;

	iou_sleep(self, 10 * MS);
	fd = t_connect_port(a->port);
	iou_sleep(self, 10 * MS);
	close(fd);
	return 0;
}

static int nonblocking_accept(struct iou_fiber *self, void *arg)
{
	struct nb_accept *a = arg;
	struct iou_fiber *c;
	int fd;

	FCHECK_EQ(iou_spawn(t_loop, late_connect, a, 0, &c), 0);
	/* An O_NONBLOCK listener with nobody waiting: we still wait. */
	fd = iou_accept(self, a->lfd, NULL, NULL, SOCK_CLOEXEC, 0);
	FCHECK(fd >= 0);
	FCHECK_EQ(iou_join(self, c, NULL), 0);
	close(fd);
	return 0;
}

static void test_loop_ops_accept_on_nonblocking_listener_waits(void **state)
{
	struct nb_accept a;

	(void)state;
	a.lfd = t_listener(&a.port);
	fcntl(a.lfd, F_SETFL, fcntl(a.lfd, F_GETFL) | O_NONBLOCK);
	t_loop_run(nonblocking_accept, &a);
	close(a.lfd);
}

static int slow_reader(struct iou_fiber *self, void *arg)
{
	int fd = *(int *)arg;
	static char buf[1 << 16];
	size_t got = 0;
	int n;

	iou_sleep(self, 20 * MS);
	while (got < (8u << 20)) {
		n = iou_recv(self, fd, buf, sizeof(buf), 0, 0);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static int full_sender(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	static char chunk[1 << 16];
	struct iou_fiber *r;
	size_t sent = 0;
	int n;

	FCHECK_EQ(iou_spawn(t_loop, slow_reader, &sv[1], 0, &r), 0);
	/* O_NONBLOCK sender, full socket buffer: waits, never -EAGAIN. */
	while (sent < (8u << 20)) {
		n = iou_send(self, sv[0], chunk, sizeof(chunk), 0, 0);
		FCHECK(n > 0);
		sent += (size_t)n;
	}
	FCHECK_EQ(iou_join(self, r, NULL), 0);
	return 0;
}

static void test_loop_ops_send_on_full_nonblocking_socket_waits(void **state)
{
	int sv[2];

	(void)state;
	t_tcp_pair(sv);
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	t_loop_run(full_sender, sv);
	close(sv[0]);
	close(sv[1]);
}

static int errors(struct iou_fiber *self, void *arg)
{
	char c;

	(void)arg;
	FCHECK_EQ(iou_read(self, -1, &c, 1, IOU_POS, 0), -EBADF);
	FCHECK_EQ(iou_write(self, 1000000, &c, 1, IOU_POS, 0), -EBADF);
	FCHECK_EQ(iou_close(self, -1), -EBADF);
	FCHECK_EQ(iou_recv(self, p[0], &c, 1, 0, 0), -ENOTSOCK);
	return 0;
}

static void test_loop_ops_errors(void **state)
{
	(void)state;
	t_loop_run(errors, NULL);
}

static int order[3], order_n;

static int sleep_then_mark(struct iou_fiber *self, void *arg)
{
	int ms = (int)(intptr_t)arg;

	iou_sleep(self, (uint64_t)ms * MS);
	order[order_n++] = ms;
	return 0;
}

static int sleep_order(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	order_n = 0;
	FCHECK_EQ(iou_spawn(t_loop, sleep_then_mark, (void *)30, 0, NULL), 0);
	FCHECK_EQ(iou_spawn(t_loop, sleep_then_mark, (void *)10, 0, NULL), 0);
	FCHECK_EQ(iou_spawn(t_loop, sleep_then_mark, (void *)20, 0, NULL), 0);
	return 0;
}

static void test_loop_ops_sleeps_wake_in_deadline_order(void **state)
{
	(void)state;
	t_loop_run(sleep_order, NULL);
	assert_int_equal(order_n, 3);
	assert_int_equal(order[0], 10);
	assert_int_equal(order[1], 20);
	assert_int_equal(order[2], 30);
}

/* 500 fibers each echo a message through its own socketpair at once. */
static int echo_pair(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	char buf[16];
	int n;

	n = iou_recv(self, sv[1], buf, sizeof(buf), 0, 0);
	if (n <= 0 || iou_send(self, sv[1], buf, (unsigned)n, 0, 0) != n)
		return -1;
	return 0;
}

static int pair_client(struct iou_fiber *self, void *arg)
{
	int *sv = arg;
	char buf[16] = { 0 };

	if (iou_send(self, sv[0], "msg", 3, 0, 0) != 3)
		return -1;
	if (iou_recv(self, sv[0], buf, sizeof(buf), 0, 0) != 3)
		return -1;
	return memcmp(buf, "msg", 3) ? -1 : 0;
}

static int many_pairs(struct iou_fiber *self, void *arg)
{
	int (*sv)[2] = arg, i, st;
	struct iou_fiber *c[500];

	for (i = 0; i < 500; i++) {
		FCHECK_EQ(iou_spawn(t_loop, echo_pair, sv[i], 0, NULL), 0);
		FCHECK_EQ(iou_spawn(t_loop, pair_client, sv[i], 0, &c[i]), 0);
	}
	for (i = 0; i < 500; i++) {
		FCHECK_EQ(iou_join(self, c[i], &st), 0);
		FCHECK_EQ(st, 0);
	}
	return 0;
}

static void test_loop_ops_500_concurrent_exchanges(void **state)
{
	static int sv[500][2];
	int i;

	(void)state;
	for (i = 0; i < 500; i++)
		assert_int_equal(socketpair(AF_UNIX,
					    SOCK_STREAM | SOCK_CLOEXEC, 0,
					    sv[i]),
				 0);
	t_loop_run(many_pairs, sv);
	for (i = 0; i < 500; i++) {
		close(sv[i][0]);
		close(sv[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loop_ops_pipe_read_write,
						setup_pipe, teardown_pipe),
		cmocka_unit_test(test_loop_ops_file_offsets_fsync_statx),
		cmocka_unit_test_setup_teardown(test_loop_ops_readv_writev,
						setup_pipe, teardown_pipe),
		cmocka_unit_test(test_loop_ops_tcp_stream_4mib),
		cmocka_unit_test(test_loop_ops_sendmsg_recvmsg),
		cmocka_unit_test(
			test_loop_ops_socket_bind_listen_accept_connect),
		cmocka_unit_test(test_loop_ops_shutdown),
		cmocka_unit_test_setup_teardown(test_loop_ops_splice, setup_pipe,
						teardown_pipe),
		cmocka_unit_test_setup_teardown(test_loop_ops_poll, setup_pipe,
						teardown_pipe),
		cmocka_unit_test_setup_teardown(test_loop_ops_timeouts,
						setup_pipe, teardown_pipe),
		cmocka_unit_test_setup_teardown(
			test_loop_ops_cancel_from_another_fiber, setup_pipe,
			teardown_pipe),
		cmocka_unit_test(test_loop_ops_recv_dontwait_is_the_callers),
		cmocka_unit_test(
			test_loop_ops_accept_on_nonblocking_listener_waits),
		cmocka_unit_test(
			test_loop_ops_send_on_full_nonblocking_socket_waits),
		cmocka_unit_test_setup_teardown(test_loop_ops_errors, setup_pipe,
						teardown_pipe),
		cmocka_unit_test(test_loop_ops_sleeps_wake_in_deadline_order),
		cmocka_unit_test(test_loop_ops_500_concurrent_exchanges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
