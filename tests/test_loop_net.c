/* SPDX-License-Identifier: MIT */
/*
 * The server helpers on a real loop, once per backend: whole sends and
 * writes under one deadline, listening sockets from numeric addresses,
 * the peer address from a listener, signals through a signalfd, and
 * waiting for the first of several fds and channels.  Real sockets on
 * loopback, real pipes, real signals.
 */
#include "looputil.h"

#include "loop/internal.h"	/* a fiber's joiner queue */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ULL
#define BIG (8u << 20)

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Byte i of the test pattern. */
static unsigned char pat(size_t i)
{
	return (unsigned char)(i * 7 + (i >> 12));
}

static unsigned char *pattern(size_t len)
{
	unsigned char *p = malloc(len);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = pat(i);
	return p;
}

/* The errno values and the signal record are the kernel's. */
static void test_loop_net_abi_matches_libc(void **state)
{
	(void)state;
	assert_int_equal(IOU_EADDRINUSE, EADDRINUSE);
	assert_int_equal(IOU_EAFNOSUPPORT, EAFNOSUPPORT);
	assert_int_equal(IOU_ENAMETOOLONG, ENAMETOOLONG);
	assert_int_equal(IOU_ENOTCONN, ENOTCONN);
	assert_int_equal(IOU_EIO, EIO);
	assert_int_equal(sizeof(struct iou_signal_info),
			 sizeof(struct signalfd_siginfo));
	assert_int_equal(offsetof(struct iou_signal_info, ssi_pid),
			 offsetof(struct signalfd_siginfo, ssi_pid));
	assert_int_equal(offsetof(struct iou_signal_info, ssi_int),
			 offsetof(struct signalfd_siginfo, ssi_int));
	assert_int_equal(offsetof(struct iou_signal_info, ssi_addr_lsb),
			 offsetof(struct signalfd_siginfo, ssi_addr_lsb));
	assert_int_equal(offsetof(struct iou_signal_info, ssi_arch),
			 offsetof(struct signalfd_siginfo, ssi_arch));
	assert_int_equal(IOU_SIGMASK(SIGTERM), 1ULL << (SIGTERM - 1));
}

/* Whole sends and writes */

struct reader {
	int fd;
	size_t want, got;
	int bad;		/* a byte off the pattern */
	int slow;
};

/* A thread reading @want bytes in small pieces, pausing now and then. */
static void *read_thread(void *arg)
{
	struct reader *r = arg;
	unsigned char buf[16384];
	unsigned n = 0;
	ssize_t k, i;

	while (r->got < r->want) {
		k = read(r->fd, buf, sizeof(buf));
		if (k <= 0)
			break;
		for (i = 0; i < k; i++)
			if (buf[i] != pat(r->got + (size_t)i))
				r->bad = 1;
		r->got += (size_t)k;
		if (r->slow && ++n % 32 == 0)
			usleep(1000);
	}
	return NULL;
}

struct xfer {
	int fd;
	const unsigned char *buf;
	size_t len, done;
	int ret;
	int64_t ms;
};

static int send_all_main(struct iou_fiber *self, void *arg)
{
	struct xfer *x = arg;
	int64_t t0 = now_ms();

	x->ret = iou_send_all(self, x->fd, x->buf, x->len, 0, 20000 * MS,
			      &x->done);
	x->ms = now_ms() - t0;
	return 0;
}

/* 8 MiB through a socket pair to a slow reader: every byte, in order. */
static void test_loop_net_send_all_large_to_slow_reader(void **state)
{
	struct reader r = { 0 };
	struct xfer x = { 0 };
	pthread_t t;
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
	x.buf = pattern(BIG);
	x.len = BIG;
	x.fd = sv[1];
	x.done = 12345;
	r.fd = sv[0];
	r.want = BIG;
	r.slow = 1;
	assert_int_equal(pthread_create(&t, NULL, read_thread, &r), 0);
	t_loop_run(send_all_main, &x);
	pthread_join(t, NULL);
	assert_int_equal(x.ret, 0);
	assert_int_equal(x.done, BIG);
	assert_int_equal(r.got, BIG);
	assert_false(r.bad);
	free((void *)x.buf);
	close(sv[0]);
	close(sv[1]);
}

static int send_all_timeout(struct iou_fiber *self, void *arg)
{
	struct xfer *x = arg;
	int64_t t0 = now_ms();

	/* Nobody reads: the socket buffer fills and the deadline passes. */
	x->ret = iou_send_all(self, x->fd, x->buf, x->len, 0, 150 * MS,
			      &x->done);
	x->ms = now_ms() - t0;
	return 0;
}

/*
 * Mid-transfer, the one deadline ends the call: -ETIMEDOUT, and exactly
 * the bytes reported as sent reach the peer, in order.
 */
static void test_loop_net_send_all_timeout_reports_partial(void **state)
{
	struct reader r = { 0 };
	struct xfer x = { 0 };
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
			 0);
	x.buf = pattern(BIG);
	x.len = BIG;
	x.fd = sv[1];
	t_loop_run(send_all_timeout, &x);
	assert_int_equal(x.ret, -ETIMEDOUT);
	assert_true(x.done > 0 && x.done < BIG);
	assert_true(x.ms >= 140 && x.ms < 2000);
	/* What went out is there to read, and nothing more. */
	shutdown(sv[1], SHUT_WR);
	r.fd = sv[0];
	r.want = BIG;
	read_thread(&r);
	assert_int_equal(r.got, x.done);
	assert_false(r.bad);
	free((void *)x.buf);
	close(sv[0]);
	close(sv[1]);
}

struct wfile {
	int fd, pipe_w;
	const unsigned char *buf;
	size_t len;
};

static int write_all_main(struct iou_fiber *self, void *arg)
{
	struct wfile *w = arg;
	size_t done = 1;

	/* At an offset, then at the file position (twice: it moves). */
	FCHECK_EQ(iou_write_all(self, w->fd, w->buf, w->len, 4096, 0, &done),
		  0);
	FCHECK_EQ(done, w->len);
	FCHECK_EQ(iou_write_all(self, w->fd, w->buf, 1000, IOU_POS, 0, NULL),
		  0);
	FCHECK_EQ(iou_write_all(self, w->fd, w->buf + 1000, 1000, IOU_POS, 0,
				&done),
		  0);
	FCHECK_EQ(done, 1000);
	/* A pipe: not seekable, the position it is. */
	FCHECK_EQ(iou_write_all(self, w->pipe_w, w->buf, w->len, IOU_POS,
				10000 * MS, &done),
		  0);
	FCHECK_EQ(done, w->len);
	/* Zero bytes: nothing to do. */
	FCHECK_EQ(iou_write_all(self, w->pipe_w, w->buf, 0, IOU_POS, 0, &done),
		  0);
	FCHECK_EQ(done, 0);
	/* An error ends it with what was written. */
	FCHECK_EQ(iou_write_all(self, -1, w->buf, 10, IOU_POS, 0, &done),
		  -EBADF);
	FCHECK_EQ(done, 0);
	return 0;
}

/* A file at an offset and at its position; a pipe to a slow reader. */
static void test_loop_net_write_all_file_and_pipe(void **state)
{
	char path[] = "/tmp/iou-net-XXXXXX";
	const size_t len = 3u << 20;
	struct wfile w = { 0 };
	struct reader r = { 0 };
	unsigned char *back;
	struct stat st;
	pthread_t t;
	int p[2];

	(void)state;
	w.fd = mkstemp(path);
	assert_true(w.fd >= 0);
	unlink(path);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	w.pipe_w = p[1];
	w.buf = pattern(len);
	w.len = len;
	r.fd = p[0];
	r.want = len;
	r.slow = 1;
	assert_int_equal(pthread_create(&t, NULL, read_thread, &r), 0);
	t_loop_run(write_all_main, &w);
	pthread_join(t, NULL);
	assert_int_equal(r.got, len);
	assert_false(r.bad);
	back = malloc(len);
	assert_int_equal(pread(w.fd, back, len, 4096), (ssize_t)len);
	assert_memory_equal(back, w.buf, len);
	/* The position writes went to the start, one after the other. */
	assert_int_equal(pread(w.fd, back, 2000, 0), 2000);
	assert_memory_equal(back, w.buf, 2000);
	assert_int_equal(fstat(w.fd, &st), 0);
	assert_int_equal(st.st_size, 4096 + (off_t)len);
	free(back);
	free((void *)w.buf);
	close(w.fd);
	close(p[0]);
	close(p[1]);
}

/* Listening sockets */

static int opt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(getsockopt(fd, level, name, &v, &len), 0);
	return v;
}

/* A blocking connect(2) (fine in a fiber: no cmocka): fd or -errno. */
static int connect_to(int family, const char *host, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		ret = inet_pton(AF_INET, host, &a->sin_addr);
		len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		ret = inet_pton(AF_INET6, host, &a->sin6_addr);
		len = sizeof(*a);
	}
	if (ret != 1)
		return -EINVAL;
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (struct sockaddr *)&ss, len);
	if (ret) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * IPv4: port 0 gets a port iou_local_port() tells; the socket is
 * close-on-exec with SO_REUSEADDR and takes connections; a second
 * listener on the port is refused, unless both share it.
 */
static void test_loop_net_listen_tcp_v4(void **state)
{
	int fd, fd2, fd3, c, port;

	(void)state;
	fd = iou_listen_tcp("127.0.0.1", 0, 16, 0);
	assert_true(fd >= 0);
	port = iou_local_port(fd);
	assert_true(port > 0);
	assert_int_equal(fcntl(fd, F_GETFD), FD_CLOEXEC);
	assert_int_equal(opt(fd, SOL_SOCKET, SO_REUSEADDR), 1);
	assert_int_equal(opt(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
	c = connect_to(AF_INET, "127.0.0.1", port);
	assert_true(c >= 0);
	close(c);
	assert_int_equal(iou_listen_tcp("127.0.0.1", (unsigned)port, 0, 0),
			 -EADDRINUSE);
	assert_int_equal(iou_listen_tcp(NULL, (unsigned)port, 0, 0),
			 -EADDRINUSE);
	close(fd);
	/* Shared with SO_REUSEPORT by both. */
	fd2 = iou_listen_tcp("127.0.0.1", 0, 0, IOU_LISTEN_REUSEPORT);
	assert_true(fd2 >= 0);
	assert_int_equal(opt(fd2, SOL_SOCKET, SO_REUSEPORT), 1);
	port = iou_local_port(fd2);
	fd3 = iou_listen_tcp("127.0.0.1", (unsigned)port, 0,
			     IOU_LISTEN_REUSEPORT);
	assert_true(fd3 >= 0);
	close(fd2);
	close(fd3);
	/* NULL and "" are 0.0.0.0. */
	fd = iou_listen_tcp("", 0, 0, 0);
	assert_true(fd >= 0);
	c = connect_to(AF_INET, "127.0.0.1", iou_local_port(fd));
	assert_true(c >= 0);
	close(c);
	close(fd);
}

/* An IPv6 listener on @host, or skip where this host has no IPv6. */
static int listen_v6(const char *host, unsigned flags)
{
	int fd = iou_listen_tcp(host, 0, 0, flags);

	if (fd == -EAFNOSUPPORT || fd == -EADDRNOTAVAIL)
		t_skip("no IPv6 on this host (%d)", fd);
	assert_true(fd >= 0);
	return fd;
}

/* The address a listener is bound to is what inet_pton makes of @text. */
static void bound_is(int fd, const char *text)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);
	struct in6_addr want;

	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	assert_int_equal(a.sin6_family, AF_INET6);
	assert_int_equal(inet_pton(AF_INET6, text, &want), 1);
	assert_memory_equal(&a.sin6_addr, &want, sizeof(want));
}

/*
 * IPv6: "::1" and its other spellings bind where inet_pton says; "::"
 * takes IPv4 peers unless IOU_LISTEN_V6ONLY.
 */
static void test_loop_net_listen_tcp_v6(void **state)
{
	static const char *const same[] = { "[::1]", "0:0:0:0:0:0:0:1",
					    "0::0:1" };
	unsigned i;
	int fd, c;

	(void)state;
	fd = listen_v6("::1", 0);
	bound_is(fd, "::1");
	c = connect_to(AF_INET6, "::1", iou_local_port(fd));
	assert_true(c >= 0);
	close(c);
	close(fd);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		fd = iou_listen_tcp(same[i], 0, 0, 0);
		assert_true(fd >= 0);
		bound_is(fd, "::1");
		close(fd);
	}
	/* (Bound to one address the kernel sets V6ONLY itself: not ::1.) */
	fd = listen_v6("::", 0);
	bound_is(fd, "::");
	assert_int_equal(opt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 0);
	c = connect_to(AF_INET, "127.0.0.1", iou_local_port(fd));
	assert_true(c >= 0);
	close(c);
	close(fd);
	fd = listen_v6("::", IOU_LISTEN_V6ONLY);
	assert_int_equal(opt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
	assert_int_equal(connect_to(AF_INET, "127.0.0.1", iou_local_port(fd)),
			 -ECONNREFUSED);
	close(fd);
	fd = iou_listen_tcp("::ffff:127.0.0.1", 0, 0, 0);
	assert_true(fd >= 0);
	bound_is(fd, "::ffff:127.0.0.1");
	close(fd);
}

/* Text that is no numeric address is -EINVAL, and nothing stays open. */
static void test_loop_net_listen_tcp_bad_addresses(void **state)
{
	static const char *const bad[] = {
		"1.2.3",  "256.1.1.1", "1.2.3.4.5", "01.2.3.4", "1.2.3.4 ",
		"1..2.3", "localhost", "::1::",	    ":::",	":1",
		"1:",	  "12345::",   "g::",	    "[::1",	"::1]",
		"1:2:3:4:5:6:7:8:9",	"1:2:3:4:5:6:7",	"::1.2.3",
		"fe80::1%1",
	};
	int fds = t_count_fds();
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (iou_listen_tcp(bad[i], 0, 0, 0) != -EINVAL)
			fail_msg("\"%s\" was not refused", bad[i]);
	assert_int_equal(iou_listen_tcp("127.0.0.1", 65536, 0, 0), -EINVAL);
	assert_int_equal(iou_listen_tcp("127.0.0.1", 0, 0, 1U << 7), -EINVAL);
	assert_int_equal(t_count_fds(), fds);
}

/*
 * Unix: a path takes connections, is in use while it exists, and may be
 * abstract ("@name"); a path too long is refused.
 */
static void test_loop_net_listen_unix(void **state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char path[64], name[64], lng[200];
	int fd, fd2, c;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/iou-net-%d.sock", (int)getpid());
	unlink(path);
	fd = iou_listen_unix(path, 0, 0);
	assert_true(fd >= 0);
	assert_int_equal(fcntl(fd, F_GETFD), FD_CLOEXEC);
	assert_int_equal(iou_local_port(fd), -EAFNOSUPPORT);
	strcpy(a.sun_path, path);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	close(c);
	assert_int_equal(iou_listen_unix(path, 0, 0), -EADDRINUSE);
	close(fd);
	unlink(path);
	snprintf(name, sizeof(name), "@iou-net-%d", (int)getpid());
	fd = iou_listen_unix(name, 0, 0);
	assert_true(fd >= 0);
	fd2 = iou_listen_unix(name, 0, 0);
	assert_int_equal(fd2, -EADDRINUSE);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path + 1, name + 1, strlen(name) - 1);
	c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a,
				 (socklen_t)(sizeof(a.sun_family) +
					     strlen(name))),
			 0);
	close(c);
	close(fd);
	memset(lng, 'x', sizeof(lng) - 1);
	lng[0] = '/';
	lng[sizeof(lng) - 1] = 0;
	assert_int_equal(iou_listen_unix(lng, 0, 0), -ENAMETOOLONG);
	assert_int_equal(iou_listen_unix("", 0, 0), -EINVAL);
	assert_int_equal(iou_listen_unix(path, 0, 1), -EINVAL);
}

/* The peer address from a listener */

struct peer {
	int family;
	const char *host;
};

static int peer_main(struct iou_fiber *self, void *arg)
{
	const struct peer *p = arg;
	struct sockaddr_storage got, want;
	socklen_t wlen = sizeof(want);
	unsigned glen;
	struct iou_listener *l;
	int lfd, c, fd, i;

	lfd = iou_listen_tcp(p->host, 0, 0, 0);
	FCHECK(lfd >= 0);
	FCHECK_EQ(iou_listener_open(self, lfd, &l), 0);
	for (i = 0; i < 3; i++) {
		/* Loopback: connect completes before anyone accepts. */
		c = connect_to(p->family, p->host, iou_local_port(lfd));
		FCHECK(c >= 0);
		FCHECK_EQ(getsockname(c, (struct sockaddr *)&want, &wlen), 0);
		glen = sizeof(got);
		memset(&got, 0xa5, sizeof(got));
		fd = iou_listener_accept_addr(self, l, (struct sockaddr *)&got,
					      &glen, 2000 * MS);
		FCHECK(fd >= 0);
		FCHECK_EQ(glen, wlen);
		FCHECK(!memcmp(&got, &want, wlen));
		FCHECK_EQ(iou_close(self, fd), 0);
		close(c);
	}
	FCHECK_EQ(iou_listener_accept_addr(self, l, NULL, &glen, 0), -EINVAL);
	FCHECK_EQ(iou_listener_accept_addr(self, l, (struct sockaddr *)&got,
					   &glen, 20 * MS),
		  -ETIMEDOUT);
	iou_listener_close(self, l);
	close(lfd);
	return 0;
}

/* IPv4: the accepted connection's peer is the client's own address. */
static void test_loop_net_listener_accept_addr_v4(void **state)
{
	struct peer p = { AF_INET, "127.0.0.1" };

	(void)state;
	t_loop_run(peer_main, &p);
}

/* IPv6 likewise. */
static void test_loop_net_listener_accept_addr_v6(void **state)
{
	struct peer p = { AF_INET6, "::1" };

	(void)state;
	close(listen_v6("::1", 0));
	t_loop_run(peer_main, &p);
}

/* Signals */

struct sigcheck {
	int go[2], back[2];
};

/* Another thread: is SIGUSR1 blocked there, once told to look? */
static void *mask_thread(void *arg)
{
	struct sigcheck *c = arg;
	sigset_t set;
	char b;

	if (read(c->go[0], &b, 1) != 1)
		return NULL;
	pthread_sigmask(SIG_BLOCK, NULL, &set);
	b = (char)sigismember(&set, SIGUSR1);
	if (write(c->back[1], &b, 1) != 1)
		return NULL;
	return NULL;
}

static int blocked_here(int sig)
{
	sigset_t set;

	pthread_sigmask(SIG_BLOCK, NULL, &set);
	return sigismember(&set, sig);
}

static int kicker(struct iou_fiber *self, void *arg)
{
	(void)arg;
	iou_sleep(self, 30 * MS);
	return pthread_kill(pthread_self(), SIGUSR2);
}

static int signals_main(struct iou_fiber *self, void *arg)
{
	struct sigcheck *c = arg;
	struct iou_signal_info info;
	struct iou_signals s;
	struct iou_fiber *k;
	int64_t t0;
	char b = 0;

	FCHECK_EQ(iou_signals_open(&s, 0), -EINVAL);
	FCHECK_EQ(s.fd, -1);
	FCHECK_EQ(iou_signals_open(&s, IOU_SIGMASK(SIGUSR1) |
					       IOU_SIGMASK(SIGUSR2)),
		  0);
	FCHECK(s.fd >= 0);
	FCHECK_EQ(fcntl(s.fd, F_GETFD), FD_CLOEXEC);
	FCHECK(blocked_here(SIGUSR1) && blocked_here(SIGUSR2));
	/* The other thread's mask is its own. */
	FCHECK_EQ(write(c->go[1], "x", 1), 1);
	FCHECK_EQ(read(c->back[0], &b, 1), 1);
	FCHECK_EQ(b, 0);
	/* Pending before the wait. */
	FCHECK_EQ(pthread_kill(pthread_self(), SIGUSR1), 0);
	memset(&info, 0, sizeof(info));
	FCHECK_EQ(iou_signals_wait(self, &s, &info, 1000 * MS), SIGUSR1);
	FCHECK_EQ(info.ssi_signo, SIGUSR1);
	FCHECK_EQ(info.ssi_pid, getpid());
	/* Sent while the fiber waits. */
	FCHECK_EQ(iou_spawn(t_loop, kicker, NULL, 0, &k), 0);
	t0 = now_ms();
	FCHECK_EQ(iou_signals_wait(self, &s, NULL, 5000 * MS), SIGUSR2);
	FCHECK(now_ms() - t0 >= 20);
	FCHECK_EQ(iou_join(self, k, NULL), 0);
	/* Nothing more: the deadline. */
	FCHECK_EQ(iou_signals_wait(self, &s, &info, 30 * MS), -ETIMEDOUT);
	FCHECK_EQ(iou_signals_close(self, &s), 0);
	FCHECK_EQ(s.fd, -1);
	FCHECK_EQ(iou_signals_wait(self, &s, &info, 0), -EBADF);
	FCHECK_EQ(iou_signals_close(self, &s), -EBADF);
	/* The mask is as before. */
	FCHECK(!blocked_here(SIGUSR1) && !blocked_here(SIGUSR2));
	return 0;
}

/*
 * A signal sent to the thread before or during the wait comes out of it,
 * with its sender; a wait with nothing to take times out; the calling
 * thread's mask is restored on close, and another thread's never changes.
 */
static void test_loop_net_signals_wait_receives(void **state)
{
	struct sigcheck c;
	pthread_t t;

	(void)state;
	assert_false(blocked_here(SIGUSR1));
	assert_int_equal(pipe(c.go), 0);
	assert_int_equal(pipe(c.back), 0);
	assert_int_equal(pthread_create(&t, NULL, mask_thread, &c), 0);
	t_loop_run(signals_main, &c);
	pthread_join(t, NULL);
	close(c.go[0]);
	close(c.go[1]);
	close(c.back[0]);
	close(c.back[1]);
	assert_false(blocked_here(SIGUSR1));
}

static int sig_waiter(struct iou_fiber *self, void *arg)
{
	return iou_signals_wait(self, arg, NULL, 0);
}

static int signals_cancel_main(struct iou_fiber *self, void *arg)
{
	struct iou_signals s;
	struct iou_fiber *f;
	int st = 0;

	(void)arg;
	/* Already blocked before open: close leaves it blocked. */
	FCHECK(blocked_here(SIGUSR2));
	FCHECK_EQ(iou_signals_open(&s, IOU_SIGMASK(SIGUSR1) |
					       IOU_SIGMASK(SIGUSR2)),
		  0);
	FCHECK_EQ(s.added, IOU_SIGMASK(SIGUSR1));
	FCHECK_EQ(iou_spawn(t_loop, sig_waiter, &s, 0, &f), 0);
	iou_sleep(self, 10 * MS);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, -ECANCELED);
	/* Close wakes a waiter too. */
	FCHECK_EQ(iou_spawn(t_loop, sig_waiter, &s, 0, &f), 0);
	iou_sleep(self, 10 * MS);
	FCHECK_EQ(iou_signals_close(self, &s), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK(st == -ECANCELED || st == -EBADF);
	FCHECK(!blocked_here(SIGUSR1) && blocked_here(SIGUSR2));
	return 0;
}

/*
 * A waiting fiber is cancellable and woken by the close; a signal blocked
 * before open stays blocked after close.
 */
static void test_loop_net_signals_wait_cancel_and_close(void **state)
{
	sigset_t set, old;

	(void)state;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	t_loop_run(signals_cancel_main, NULL);
	assert_true(blocked_here(SIGUSR2));
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Waiting for any */

static struct iou_chan cha, chb;
static int bufa[4], bufb[4];

static int send_later(struct iou_fiber *self, void *arg)
{
	int v = 42;

	iou_sleep(self, 20 * MS);
	return iou_chan_send(self, arg, &v);
}

static void fill(struct iou_waitable *w, int pfd, int *ia, int *ib)
{
	memset(w, 0, 3 * sizeof(*w));
	w[0].kind = IOU_WAIT_CHAN_RECV;
	w[0].chan = &cha;
	w[0].item = ia;
	w[1].kind = IOU_WAIT_CHAN_RECV;
	w[1].chan = &chb;
	w[1].item = ib;
	w[2].kind = IOU_WAIT_FD;
	w[2].fd = pfd;
	w[2].events = POLLIN;
}

static int any_main(struct iou_fiber *self, void *arg)
{
	struct iou_waitable w[3];
	struct iou_fiber *f;
	int *p = arg, ia = 0, ib = 0, v = 7;

	FCHECK_EQ(iou_chan_init(&cha, bufa, sizeof(int), 4), 0);
	FCHECK_EQ(iou_chan_init(&chb, bufb, sizeof(int), 4), 0);
	/* Bad calls. */
	fill(w, p[0], &ia, &ib);
	FCHECK_EQ(iou_wait_any(self, w, 0, 0), -EINVAL);
	FCHECK_EQ(iou_wait_any(self, w, IOU_WAIT_ANY_MAX + 1, 0), -EINVAL);
	w[1].kind = 99;
	FCHECK_EQ(iou_wait_any(self, w, 3, 0), -EINVAL);
	/* A channel with an item: received at once. */
	fill(w, p[0], &ia, &ib);
	FCHECK_EQ(iou_chan_send(self, &chb, &v), 0);
	FCHECK_EQ(iou_wait_any(self, w, 3, 0), 1);
	FCHECK_EQ(w[1].res, 0);
	FCHECK_EQ(ib, 7);
	FCHECK_EQ(chb.count, 0);
	/* A readable pipe. */
	FCHECK_EQ(write(p[1], "x", 1), 1);
	FCHECK_EQ(iou_wait_any(self, w, 3, 1000 * MS), 2);
	FCHECK(w[2].res & POLLIN);
	FCHECK_EQ(read(p[0], &v, 1), 1);
	/* A send while it waits: the item is delivered to it. */
	FCHECK_EQ(iou_spawn(t_loop, send_later, &cha, 0, &f), 0);
	FCHECK_EQ(iou_wait_any(self, w, 3, 5000 * MS), 0);
	FCHECK_EQ(w[0].res, 0);
	FCHECK_EQ(ia, 42);
	FCHECK_EQ(cha.count, 0);
	FCHECK(!cha.receivers && !chb.receivers);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	/* The other channel likewise. */
	FCHECK_EQ(iou_spawn(t_loop, send_later, &chb, 0, &f), 0);
	FCHECK_EQ(iou_wait_any(self, w, 3, 5000 * MS), 1);
	FCHECK_EQ(ib, 42);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	/* Closed and drained: -EPIPE is its result. */
	iou_chan_close(&cha);
	FCHECK_EQ(iou_wait_any(self, w, 3, 0), 0);
	FCHECK_EQ(w[0].res, -EPIPE);
	return 0;
}

/* Run @fn(p) in a loop, p a fresh pipe the wait-any cases watch. */
static void run_with_pipe(iou_fiber_fn fn)
{
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	t_loop_run(fn, p);
	close(p[0]);
	close(p[1]);
}

/*
 * The index of what is ready: a channel's item (received by the call), a
 * readable pipe, a send or a close while it waits; bad calls refused.
 */
static void test_loop_net_wait_any_returns_ready_index(void **state)
{
	(void)state;
	run_with_pipe(any_main);
}

/* In a frame of its own, so that its stack is reused afterwards. */
static __attribute__((noinline)) int any_once(struct iou_fiber *self,
					       int pfd, uint64_t ns, int *item)
{
	struct iou_waitable w[3];
	int ib = 0;

	fill(w, pfd, item, &ib);
	return iou_wait_any(self, w, 3, ns);
}

/* Overwrites the stack where any_once()'s frame was. */
static __attribute__((noinline)) void scribble(void)
{
	volatile char junk[8192];

	memset((char *)junk, 0x5a, sizeof(junk));
}

struct recvd {
	struct iou_chan *ch;
	int v, ret;
};

static int receiver(struct iou_fiber *self, void *arg)
{
	struct recvd *r = arg;

	r->ret = iou_chan_recv(self, r->ch, &r->v);
	return 0;
}

static int any_waiter(struct iou_fiber *self, void *arg)
{
	return any_once(self, *(int *)arg, 0, &(int){ 0 });
}

static int any_timeout_main(struct iou_fiber *self, void *arg)
{
	struct recvd r = { &cha, 0, 1 };
	struct iou_fiber *f, *g;
	int *p = arg, item = 0, v = 5, st = 0;
	int64_t t0 = now_ms();

	FCHECK_EQ(iou_chan_init(&cha, bufa, sizeof(int), 4), 0);
	FCHECK_EQ(iou_chan_init(&chb, bufb, sizeof(int), 4), 0);
	/* Nothing comes: the deadline, and no entry left behind. */
	FCHECK_EQ(any_once(self, p[0], 40 * MS, &item), -ETIMEDOUT);
	FCHECK(now_ms() - t0 >= 35);
	FCHECK(!cha.receivers && !chb.receivers);
	scribble();
	/* A later send goes to a plain receiver, untouched by the old wait. */
	FCHECK_EQ(iou_spawn(t_loop, receiver, &r, 0, &g), 0);
	iou_yield(self);
	FCHECK_EQ(iou_chan_send(self, &cha, &v), 0);
	FCHECK_EQ(iou_join(self, g, NULL), 0);
	FCHECK_EQ(r.ret, 0);
	FCHECK_EQ(r.v, 5);
	FCHECK_EQ(item, 0);
	/* Cancelled while it waits on both channels and the pipe. */
	FCHECK_EQ(iou_spawn(t_loop, any_waiter, p, 0, &f), 0);
	iou_sleep(self, 10 * MS);
	FCHECK(cha.receivers && chb.receivers);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, -ECANCELED);
	FCHECK(!cha.receivers && !chb.receivers);
	scribble();
	r.ret = 1;
	FCHECK_EQ(iou_spawn(t_loop, receiver, &r, 0, &g), 0);
	iou_yield(self);
	v = 6;
	FCHECK_EQ(iou_chan_send(self, &cha, &v), 0);
	FCHECK_EQ(iou_join(self, g, NULL), 0);
	FCHECK_EQ(r.v, 6);
	FCHECK_EQ(cha.count, 0);
	return 0;
}

/*
 * A timeout and a cancel end the wait with nothing taken and no entry
 * left in a channel: later sends reach plain receivers.
 */
static void test_loop_net_wait_any_timeout_and_cancel_leave_nothing(void **state)
{
	(void)state;
	run_with_pipe(any_timeout_main);
}

static int any_share_main(struct iou_fiber *self, void *arg)
{
	struct recvd r = { &cha, 0, 1 };
	struct iou_fiber *f, *g;
	int *p = arg, v, item = 0, st;

	FCHECK_EQ(iou_chan_init(&cha, bufa, sizeof(int), 4), 0);
	FCHECK_EQ(iou_chan_init(&chb, bufb, sizeof(int), 4), 0);
	/* A plain receiver first, then the wait-any, on the same channel. */
	FCHECK_EQ(iou_spawn(t_loop, receiver, &r, 0, &g), 0);
	iou_yield(self);
	FCHECK_EQ(iou_spawn(t_loop, any_waiter, p, 0, &f), 0);
	iou_yield(self);
	v = 1;
	FCHECK_EQ(iou_chan_send(self, &cha, &v), 0);
	v = 2;
	FCHECK_EQ(iou_chan_send(self, &cha, &v), 0);
	/* Two items, two takers, each one item. */
	FCHECK_EQ(iou_join(self, g, NULL), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, 0);
	FCHECK_EQ(r.ret, 0);
	FCHECK(r.v == 1 || r.v == 2);
	FCHECK_EQ(cha.count, 0);
	/* Two sends to two channels while it waits: one taken, one stays. */
	FCHECK_EQ(iou_spawn(t_loop, any_waiter, p, 0, &f), 0);
	iou_yield(self);
	v = 3;
	FCHECK_EQ(iou_chan_send(self, &chb, &v), 0);
	FCHECK_EQ(iou_chan_send(self, &cha, &v), 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, 1);
	FCHECK_EQ(chb.count, 0);
	FCHECK_EQ(cha.count, 1);
	FCHECK_EQ(iou_chan_recv(self, &cha, &item), 0);
	FCHECK_EQ(item, 3);
	return 0;
}

/*
 * Shared with plain receivers, no item is lost or taken twice, and one
 * call takes one item even when several channels get one.
 */
static void test_loop_net_wait_any_takes_exactly_one(void **state)
{
	(void)state;
	run_with_pipe(any_share_main);
}

static int closer(struct iou_fiber *self, void *arg)
{
	iou_sleep(self, 10 * MS);
	return iou_close(self, *(int *)arg);
}

static int any_close_main(struct iou_fiber *self, void *arg)
{
	struct iou_waitable w[2];
	struct iou_fiber *f;
	int p[2], item = 0, st = 1;

	(void)arg;
	FCHECK_EQ(iou_chan_init(&cha, bufa, sizeof(int), 4), 0);
	FCHECK_EQ(pipe2(p, O_CLOEXEC), 0);
	memset(w, 0, sizeof(w));
	w[0].kind = IOU_WAIT_CHAN_RECV;
	w[0].chan = &cha;
	w[0].item = &item;
	w[1].kind = IOU_WAIT_FD;
	w[1].fd = p[0];
	w[1].events = POLLIN;
	FCHECK_EQ(iou_spawn(t_loop, closer, &p[0], 0, &f), 0);
	FCHECK_EQ(iou_wait_any(self, w, 2, 5000 * MS), 1);
	FCHECK_EQ(w[1].res, -ECANCELED);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, 0);
	FCHECK(!cha.receivers);
	/* Closed: refused, as any op on it. */
	FCHECK_EQ(fcntl(p[0], F_GETFD), -1);
	close(p[1]);
	return 0;
}

/*
 * iou_close() of a polled fd cancels the poll and waits for it, like any
 * op on the fd: the wait ends with that item, and the close completes.
 */
static void test_loop_net_wait_any_close_of_polled_fd(void **state)
{
	(void)state;
	t_loop_run(any_close_main, NULL);
}

static int sleeper(struct iou_fiber *self, void *arg)
{
	iou_sleep(self, (uint64_t)(intptr_t)arg * MS);
	return 7;
}

/* Waits for the fiber @arg alone; the index (0) or -errno. */
static int any_waiter_fiber(struct iou_fiber *self, void *arg)
{
	struct iou_waitable w = { .kind = IOU_WAIT_FIBER, .fiber = arg };

	return iou_wait_any(self, &w, 1, 0);
}

static int any_fiber_main(struct iou_fiber *self, void *arg)
{
	struct iou_waitable w[2];
	struct iou_fiber *f, *g;
	int item = 0, st = 0;

	(void)arg;
	FCHECK_EQ(iou_chan_init(&cha, bufa, sizeof(int), 4), 0);
	memset(w, 0, sizeof(w));
	w[0].kind = IOU_WAIT_CHAN_RECV;
	w[0].chan = &cha;
	w[0].item = &item;
	w[1].kind = IOU_WAIT_FIBER;
	/* Itself, or no fiber: refused. */
	w[1].fiber = self;
	FCHECK_EQ(iou_wait_any(self, w, 2, 0), -EINVAL);
	w[1].fiber = NULL;
	FCHECK_EQ(iou_wait_any(self, w, 2, 0), -EINVAL);
	/* It finishes while the call waits; the join then collects it. */
	FCHECK_EQ(iou_spawn(t_loop, sleeper, (void *)(intptr_t)20, 0, &f), 0);
	w[1].fiber = f;
	FCHECK_EQ(iou_wait_any(self, w, 2, 5000 * MS), 1);
	FCHECK_EQ(w[1].res, 0);
	FCHECK(!f->joiner && !cha.receivers);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, 7);
	/* Finished already: at once. */
	FCHECK_EQ(iou_spawn(t_loop, sleeper, (void *)(intptr_t)0, 0, &f), 0);
	iou_sleep(self, 5 * MS);
	w[1].fiber = f;
	FCHECK_EQ(iou_wait_any(self, w, 2, 0), 1);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	/* A timeout leaves it joinable by anyone: no entry stays behind. */
	FCHECK_EQ(iou_spawn(t_loop, sleeper, (void *)(intptr_t)100, 0, &f), 0);
	w[1].fiber = f;
	FCHECK_EQ(iou_wait_any(self, w, 2, 10 * MS), -ETIMEDOUT);
	FCHECK(!f->joiner);
	/* While one call waits for it, another fiber cannot join it. */
	FCHECK_EQ(iou_spawn(t_loop, any_waiter_fiber, f, 0, &g), 0);
	iou_yield(self);
	FCHECK_EQ(iou_join(self, f, &st), -EBUSY);
	FCHECK_EQ(iou_join(self, g, &st), 0);
	FCHECK_EQ(st, 0);
	FCHECK_EQ(iou_join(self, f, &st), 0);
	FCHECK_EQ(st, 7);
	return 0;
}

/*
 * A fiber's end: the index when it finishes (or had), a join collects its
 * status after, a timeout leaves nothing in its joiner queue.
 */
static void test_loop_net_wait_any_fiber_end(void **state)
{
	(void)state;
	t_loop_run(any_fiber_main, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_net_abi_matches_libc),
		T_TEST(test_loop_net_send_all_large_to_slow_reader),
		T_TEST(test_loop_net_send_all_timeout_reports_partial),
		T_TEST(test_loop_net_write_all_file_and_pipe),
		T_TEST(test_loop_net_listen_tcp_v4),
		T_TEST(test_loop_net_listen_tcp_v6),
		T_TEST(test_loop_net_listen_tcp_bad_addresses),
		T_TEST(test_loop_net_listen_unix),
		T_TEST(test_loop_net_listener_accept_addr_v4),
		T_TEST(test_loop_net_listener_accept_addr_v6),
		T_TEST(test_loop_net_signals_wait_receives),
		T_TEST(test_loop_net_signals_wait_cancel_and_close),
		T_TEST(test_loop_net_wait_any_returns_ready_index),
		T_TEST(test_loop_net_wait_any_timeout_and_cancel_leave_nothing),
		T_TEST(test_loop_net_wait_any_takes_exactly_one),
		T_TEST(test_loop_net_wait_any_fiber_end),
		T_TEST(test_loop_net_wait_any_close_of_polled_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
