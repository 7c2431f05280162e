/* SPDX-License-Identifier: MIT */
/*
 * Edges of the fiber I/O calls: every op with a timeout that expires,
 * every op cancelled while it waits, and the errors the kernel reports,
 * passed back unchanged.  Runs once per backend (IOU_BACKEND=uring|epoll).
 */
#include "looputil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MS 1000000ULL

/* An op that cannot finish on its own, timed out after 10 ms. */
static int timed_ops(struct iou_fiber *self, void *arg)
{
	struct msghdr mh;
	struct iovec iov;
	unsigned short port;
	int p[2], sv[2], lfd;
	uint64_t t0;
	char c;

	(void)arg;
	FCHECK_EQ(pipe(p), 0);
	t_tcp_pair(sv);
	lfd = t_listener(&port);
	iov.iov_base = &c;
	iov.iov_len = 1;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	t0 = iou_now(iou_fiber_loop(self));
	FCHECK_EQ(iou_readv(self, p[0], &iov, 1, IOU_POS, 10 * MS), -ETIMEDOUT);
	FCHECK_EQ(iou_recvmsg(self, sv[0], &mh, 0, 10 * MS), -ETIMEDOUT);
	FCHECK_EQ(iou_accept(self, lfd, NULL, NULL, 0, 10 * MS), -ETIMEDOUT);
	FCHECK_EQ(iou_poll(self, p[0], POLLIN, 10 * MS), -ETIMEDOUT);
	FCHECK_EQ(iou_splice(self, p[0], -1, sv[1], -1, 1, 0, 10 * MS),
		  -ETIMEDOUT);
	/* Five timeouts of 10 ms, run one after the other. */
	FCHECK(iou_now(iou_fiber_loop(self)) - t0 >= 50 * MS);
	FCHECK(iou_now(iou_fiber_loop(self)) - t0 < 2000 * MS);
	/* Nothing was consumed or left behind: the fds still work. */
	FCHECK_EQ(write(p[1], "k", 1), 1);
	FCHECK_EQ(iou_read(self, p[0], &c, 1, IOU_POS, 500 * MS), 1);
	FCHECK_EQ(c, 'k');
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(lfd);
	return 0;
}

static void test_loop_edge_every_wait_times_out(void **state)
{
	int before = t_count_fds();

	(void)state;
	t_loop_run(timed_ops, NULL);
	assert_int_equal(t_count_fds(), before);
}

/* A send on a full socket, timed out: the count of what went, or the
   timeout; never a hang. */
static int full_send(struct iou_fiber *self, void *arg)
{
	static char big[1 << 16];
	int sv[2], n, ret = 0, size = 4096;
	long total = 0;

	(void)arg;
	FCHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	for (n = 0; n < 64 && ret >= 0; n++) {
		ret = iou_send(self, sv[0], big, sizeof(big), MSG_NOSIGNAL,
			       10 * MS);
		if (ret > 0)
			total += ret;
	}
	FCHECK_EQ(ret, -ETIMEDOUT);
	FCHECK(total > 0);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_loop_edge_send_on_full_socket_times_out(void **state)
{
	(void)state;
	t_loop_run(full_send, NULL);
}

/* Each kind of wait, cancelled from another fiber. */
struct victim {
	int kind, fd, res;
};

static int victim(struct iou_fiber *self, void *arg)
{
	struct victim *v = arg;
	char c;

	switch (v->kind) {
	case 0:
		v->res = iou_read(self, v->fd, &c, 1, IOU_POS, 0);
		break;
	case 1:
		v->res = iou_recv(self, v->fd, &c, 1, 0, 0);
		break;
	case 2:
		v->res = iou_accept(self, v->fd, NULL, NULL, 0, 0);
		break;
	case 3:
		v->res = iou_poll(self, v->fd, POLLIN, 0);
		break;
	default:
		/* Cancelled while its timeout is also armed. */
		v->res = iou_recv(self, v->fd, &c, 1, 0, 10000 * MS);
		break;
	}
	return 0;
}

static int cancel_each(struct iou_fiber *self, void *arg)
{
	struct victim v[5];
	struct iou_fiber *f[5];
	unsigned short port;
	int p[2], sv[2], lfd, i;

	(void)arg;
	FCHECK_EQ(pipe(p), 0);
	t_tcp_pair(sv);
	lfd = t_listener(&port);
	for (i = 0; i < 5; i++) {
		v[i].kind = i;
		v[i].fd = i == 0 || i == 3 ? p[0] : i == 2 ? lfd : sv[0];
		v[i].res = 1;
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), victim, &v[i], 0,
				    &f[i]), 0);
	}
	FCHECK_EQ(iou_sleep(self, 2 * MS), 0);
	for (i = 0; i < 5; i++) {
		FCHECK_EQ(v[i].res, 1);	/* still waiting */
		FCHECK_EQ(iou_cancel(f[i]), 0);
		FCHECK_EQ(iou_join(self, f[i], NULL), 0);
		FCHECK_EQ(v[i].res, -ECANCELED);
	}
	/* A finished fiber cannot be cancelled. */
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(lfd);
	return 0;
}

static void test_loop_edge_cancel_each_kind_of_wait(void **state)
{
	(void)state;
	t_loop_run(cancel_each, NULL);
}

static int done_fiber(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return 5;
}

static int cancel_finished(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;

	(void)arg;
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), done_fiber, NULL, 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	FCHECK_EQ(iou_cancel(f), -EINVAL);
	FCHECK_EQ(iou_cancel(NULL), -EINVAL);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	return 0;
}

static void test_loop_edge_cancel_finished_fiber(void **state)
{
	(void)state;
	t_loop_run(cancel_finished, NULL);
}

/* Errors come back as the kernel gives them. */
static int kernel_errors(struct iou_fiber *self, void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned short port;
	int p[2], fd, lfd;
	char c;

	(void)arg;
	FCHECK_EQ(iou_openat(self, AT_FDCWD, "/proc/self/nonexistent",
			     O_RDONLY, 0), -ENOENT);
	FCHECK_EQ(iou_openat(self, AT_FDCWD, "/", O_WRONLY, 0), -EISDIR);
	FCHECK_EQ(pipe(p), 0);
	/* Writing a pipe with no reader: -EPIPE (and no SIGPIPE death). */
	signal(SIGPIPE, SIG_IGN);
	close(p[0]);
	FCHECK_EQ(iou_write(self, p[1], "x", 1, IOU_POS, 0), -EPIPE);
	close(p[1]);
	/* Reading a pipe whose writer is gone: 0. */
	FCHECK_EQ(pipe(p), 0);
	close(p[1]);
	FCHECK_EQ(iou_read(self, p[0], &c, 1, IOU_POS, 0), 0);
	close(p[0]);
	/* A refused connection. */
	lfd = t_listener(&port);
	close(lfd);
	fd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	FCHECK(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	FCHECK_EQ(iou_connect(self, fd, (struct sockaddr *)&sa, sizeof(sa),
			      500 * MS), -ECONNREFUSED);
	FCHECK_EQ(iou_close(self, fd), 0);
	/* Not a socket. */
	fd = iou_openat(self, AT_FDCWD, "/dev/null", O_RDONLY, 0);
	FCHECK(fd >= 0);
	FCHECK_EQ(iou_recv(self, fd, &c, 1, 0, 0), -ENOTSOCK);
	FCHECK_EQ(iou_listen(self, fd, 1), -ENOTSOCK);
	FCHECK_EQ(iou_close(self, fd), 0);
	/* Bad fds. */
	FCHECK_EQ(iou_read(self, -1, &c, 1, IOU_POS, 0), -EBADF);
	FCHECK_EQ(iou_fsync(self, -1, 0), -EBADF);
	FCHECK_EQ(iou_close(self, -1), -EBADF);
	return 0;
}

static void test_loop_edge_kernel_errors_pass_through(void **state)
{
	(void)state;
	t_loop_run(kernel_errors, NULL);
}

/* socket/bind/listen/accept/connect/shutdown, all through the loop. */
static int ring_sockets(struct iou_fiber *self, void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET }, peer;
	socklen_t len = sizeof(sa), plen = sizeof(peer);
	int lfd, c, a, one = 1;
	char buf[8];

	(void)arg;
	lfd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	FCHECK(lfd >= 0);
	FCHECK(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	FCHECK_EQ(iou_bind(self, lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	FCHECK_EQ(iou_bind(self, lfd, (struct sockaddr *)&sa, sizeof(sa)),
		  -EINVAL);
	FCHECK_EQ(iou_listen(self, lfd, 16), 0);
	FCHECK_EQ(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	c = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	FCHECK(c >= 0);
	FCHECK_EQ(iou_connect(self, c, (struct sockaddr *)&sa, sizeof(sa),
			      500 * MS), 0);
	a = iou_accept(self, lfd, (struct sockaddr *)&peer, &plen, 0, 500 * MS);
	FCHECK(a >= 0);
	FCHECK_EQ(plen, sizeof(peer));
	FCHECK_EQ(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	FCHECK_EQ(iou_send(self, c, "hi", 2, 0, 0), 2);
	FCHECK_EQ(iou_shutdown(self, c, SHUT_WR), 0);
	FCHECK_EQ(iou_recv(self, a, buf, sizeof(buf), MSG_WAITALL, 500 * MS),
		  2);
	FCHECK_EQ(iou_recv(self, a, buf, sizeof(buf), 0, 500 * MS), 0);
	FCHECK_EQ(iou_shutdown(self, lfd, 42), -EINVAL);
	FCHECK_EQ(iou_close(self, a), 0);
	FCHECK_EQ(iou_close(self, c), 0);
	FCHECK_EQ(iou_close(self, lfd), 0);
	return 0;
}

static void test_loop_edge_socket_lifecycle_through_the_loop(void **state)
{
	int before = t_count_fds();

	(void)state;
	t_loop_run(ring_sockets, NULL);
	assert_int_equal(t_count_fds(), before);
}

/* Several fibers on one fd: close cancels all of them. */
struct multi {
	int fd, res[4], n;
};

static int multi_reader(struct iou_fiber *self, void *arg)
{
	struct multi *m = arg;
	char c;
	int r = iou_recv(self, m->fd, &c, 1, 0, 0);

	m->res[m->n++] = r;
	return 0;
}

static int close_many(struct iou_fiber *self, void *arg)
{
	struct multi m = { 0 };
	int sv[2], i;

	(void)arg;
	t_tcp_pair(sv);
	m.fd = sv[0];
	for (i = 0; i < 4; i++)
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), multi_reader, &m, 0,
				    NULL), 0);
	FCHECK_EQ(iou_sleep(self, 2 * MS), 0);
	FCHECK_EQ(m.n, 0);
	FCHECK_EQ(iou_close(self, sv[0]), 0);
	/* When close returns, every op on the fd has finished. */
	FCHECK_EQ(m.n, 4);
	for (i = 0; i < 4; i++)
		FCHECK(m.res[i] == -ECANCELED || m.res[i] == -EBADF ||
		       m.res[i] == 0);
	/* New ops on the closed fd fail at once. */
	FCHECK_EQ(iou_recv(self, sv[0], &i, 1, 0, 0), -EBADF);
	close(sv[1]);
	return 0;
}

static void test_loop_edge_close_cancels_every_op_on_the_fd(void **state)
{
	(void)state;
	t_loop_run(close_many, NULL);
}

/* Arguments the loop refuses. */
static int noop(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return 0;
}

static void test_loop_edge_loop_and_spawn_arguments(void **state)
{
	struct iou_loop *loop;
	struct iou_fiber *f = (void *)1;

	(void)state;
	assert_int_equal(iou_loop_run(NULL), -EINVAL);
	iou_loop_destroy(NULL);
	assert_int_equal(iou_loop_create(&loop, NULL), 0);
	assert_int_equal(iou_spawn(NULL, noop, NULL, 0, &f), -EINVAL);
	assert_null(f);
	assert_int_equal(iou_spawn(loop, NULL, NULL, 0, NULL), -EINVAL);
	/* Stacks below 16 KiB or above 16 GiB are refused. */
	assert_int_equal(iou_spawn(loop, noop, NULL, 1, NULL), -EINVAL);
	assert_int_equal(iou_spawn(loop, noop, NULL, (size_t)1 << 40, NULL),
			 -EINVAL);
	assert_int_equal(iou_spawn(loop, noop, NULL, 16 * 1024, NULL), 0);
	assert_int_equal(iou_loop_run(loop), 0);
	/* An empty loop returns at once; it can run again. */
	assert_int_equal(iou_loop_run(loop), 0);
	iou_loop_destroy(loop);
}

/* Many iovecs, at offsets, through readv/writev; statx on an fd. */
static int vec_offsets(struct iou_fiber *self, void *arg)
{
	char path[] = "/tmp/iou-edge-XXXXXX", a[8][64], b[8][64];
	struct iovec wv[8], rv[8];
	struct statx stx;
	int fd, i;

	(void)arg;
	fd = mkstemp(path);
	FCHECK(fd >= 0);
	unlink(path);
	for (i = 0; i < 8; i++) {
		memset(a[i], 'A' + i, sizeof(a[i]));
		wv[i].iov_base = a[i];
		wv[i].iov_len = sizeof(a[i]);
		rv[i].iov_base = b[i];
		rv[i].iov_len = sizeof(b[i]);
	}
	FCHECK_EQ(iou_writev(self, fd, wv, 8, 4096, 0), 512);
	FCHECK_EQ(iou_readv(self, fd, rv, 8, 4096, 0), 512);
	FCHECK(!memcmp(a, b, sizeof(a)));
	/* A read past the end: 0. */
	FCHECK_EQ(iou_readv(self, fd, rv, 8, 1 << 20, 0), 0);
	FCHECK_EQ(iou_fsync(self, fd, IORING_FSYNC_DATASYNC), 0);
	FCHECK_EQ(iou_statx(self, fd, "", AT_EMPTY_PATH, STATX_SIZE, &stx), 0);
	FCHECK_EQ(stx.stx_size, 4096 + 512);
	FCHECK_EQ(iou_close(self, fd), 0);
	return 0;
}

static void test_loop_edge_vectors_at_offsets_and_statx_fd(void **state)
{
	(void)state;
	t_loop_run(vec_offsets, NULL);
}

/* A poll that sees what is already there, and POLLOUT. */
static int poll_ready(struct iou_fiber *self, void *arg)
{
	int p[2], ret;

	(void)arg;
	FCHECK_EQ(pipe(p), 0);
	ret = iou_poll(self, p[1], POLLOUT, 500 * MS);
	FCHECK(ret > 0 && (ret & POLLOUT));
	FCHECK_EQ(write(p[1], "r", 1), 1);
	ret = iou_poll(self, p[0], POLLIN, 500 * MS);
	FCHECK(ret > 0 && (ret & POLLIN));
	close(p[1]);
	ret = iou_poll(self, p[0], POLLIN, 500 * MS);
	FCHECK(ret > 0);
	close(p[0]);
	return 0;
}

static void test_loop_edge_poll_ready_at_once(void **state)
{
	(void)state;
	t_loop_run(poll_ready, NULL);
}

/* Sleeps: zero returns at once; many short ones keep their order. */
static int sleeps(struct iou_fiber *self, void *arg)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	uint64_t t0 = iou_now(loop);
	int i;

	(void)arg;
	FCHECK_EQ(iou_sleep(self, 0), 0);
	FCHECK(iou_now(loop) - t0 < 50 * MS);
	t0 = iou_now(loop);
	for (i = 0; i < 20; i++)
		FCHECK_EQ(iou_sleep(self, MS / 2), 0);
	FCHECK(iou_now(loop) - t0 >= 10 * MS);
	return 0;
}

static void test_loop_edge_sleep_zero_and_short(void **state)
{
	(void)state;
	t_loop_run(sleeps, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_edge_every_wait_times_out),
		T_TEST(test_loop_edge_send_on_full_socket_times_out),
		T_TEST(test_loop_edge_cancel_each_kind_of_wait),
		T_TEST(test_loop_edge_cancel_finished_fiber),
		T_TEST(test_loop_edge_kernel_errors_pass_through),
		T_TEST(test_loop_edge_socket_lifecycle_through_the_loop),
		T_TEST(test_loop_edge_close_cancels_every_op_on_the_fd),
		T_TEST(test_loop_edge_loop_and_spawn_arguments),
		T_TEST(test_loop_edge_vectors_at_offsets_and_statx_fd),
		T_TEST(test_loop_edge_poll_ready_at_once),
		T_TEST(test_loop_edge_sleep_zero_and_short),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
