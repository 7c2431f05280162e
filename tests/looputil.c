/* SPDX-License-Identifier: MIT */
#include "looputil.h"

#include "sys.h"	/* iou__alloc_live() */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct iou_loop *t_loop;
static char failure[512];

void t_fiber_fail(const char *file, int line, const char *what, long long got,
		  long long want)
{
	if (!failure[0])
		snprintf(failure, sizeof(failure),
			 "%s:%d: in a fiber: %s (got %lld, want %lld)", file,
			 line, what, got, want);
	if (t_loop)
		iou_loop_stop(t_loop);
}

int t_backend(void)
{
	const char *b = getenv("IOU_BACKEND");

	if (b && !strcmp(b, "epoll"))
		return IOU_BACKEND_EPOLL;
	if (b && !strcmp(b, "uring"))
		return IOU_BACKEND_URING;
	/* Automatic: the loop falls back when io_uring is refused. */
	return iou_available() ? IOU_BACKEND_EPOLL : IOU_BACKEND_URING;
}

struct main_args {
	iou_fiber_fn fn;
	void *arg;
	int status;
};

static int main_fiber(struct iou_fiber *self, void *arg)
{
	struct main_args *m = arg;

	m->status = m->fn(self, m->arg);
	return m->status;
}

int t_loop_run_opts(iou_fiber_fn fn, void *arg, const struct iou_loop_opts *o)
{
	struct main_args m = { fn, arg, -12345 };
	long live = iou__alloc_live();
	int ret;

	failure[0] = 0;
	ret = iou_loop_create(&t_loop, o);
	if (ret == -ENOSYS || ret == -EPERM)
		t_skip("no loop here (%d)", ret);
	assert_int_equal(ret, 0);
	if (!o || o->backend == IOU_BACKEND_AUTO)
		assert_int_equal(iou_loop_backend(t_loop), t_backend());
	assert_int_equal(iou_spawn(t_loop, main_fiber, &m, 0, NULL), 0);
	ret = iou_loop_run(t_loop);
	iou_loop_destroy(t_loop);
	t_loop = NULL;
	if (failure[0])
		fail_msg("%s", failure);
	assert_int_equal(ret, 0);
	/* Everything the loop allocated went with it. */
	if (iou__alloc_live() != live)
		fail_msg("%ld regions the library allocated are still mapped",
			 iou__alloc_live() - live);
	return m.status;
}

int t_loop_run(iou_fiber_fn fn, void *arg)
{
	return t_loop_run_opts(fn, arg, NULL);
}

int t_listener(unsigned short *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4096), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

int t_connect_port(unsigned short port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

void t_tcp_pair(int sv[2])
{
	unsigned short port;
	int lfd = t_listener(&port);

	sv[0] = t_connect_port(port);
	sv[1] = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(sv[1] >= 0);
	close(lfd);
}

static volatile int recurse_limit = 1 << 30;

static int recurse(int depth)
{
	volatile char pad[1024];

	pad[0] = (char)depth;
	if (depth < recurse_limit)
		return recurse(depth + 1) + pad[0];
	return pad[0];
}

int t_fiber_recurse(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return recurse(0);
}
