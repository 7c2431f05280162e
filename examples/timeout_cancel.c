/* SPDX-License-Identifier: MIT */
/*
 * Timeouts and cancellation, shown one at a time:
 *   1. a read with a 50 ms timeout on a pipe nobody writes: -ETIMEDOUT;
 *   2. the same read when data comes after 10 ms: the data;
 *   3. a recv cancelled from another fiber: -ECANCELED;
 *   4. a graceful stop with a sleep and an accept in flight: both return
 *	-ECANCELED and iou_loop_run() returns.
 * Prints what happened and how long it took; exits 1 if anything differs
 * from the above.
 */
#include <iou/loop.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MS 1000000ULL

static int failures;
static int stop_res[2] = { 1, 1 };	/* the sleep's and the accept's */
static uint64_t stop_t0;

static void show(const char *what, int got, int want, uint64_t ns)
{
	printf("%-44s -> %-14s after %5.1f ms%s\n", what,
	       got < 0 ? strerror(-got) : got == 0 ? "0" : "data",
	       (double)ns / 1e6, got == want ? "" : "   UNEXPECTED");
	if (got != want)
		failures++;
}

static int write_later(struct iou_fiber *self, void *arg)
{
	iou_sleep(self, 10 * MS);
	return write(*(int *)arg, "hello", 5) == 5 ? 0 : -1;
}

static int blocked_recv(struct iou_fiber *self, void *arg)
{
	char buf[8];

	return iou_recv(self, *(int *)arg, buf, sizeof(buf), 0, 0);
}

static int blocked_sleep(struct iou_fiber *self, void *arg)
{
	(void)arg;
	stop_res[0] = iou_sleep(self, 3600 * 1000 * MS);
	return 0;
}

static int blocked_accept(struct iou_fiber *self, void *arg)
{
	stop_res[1] = iou_accept(self, *(int *)arg, NULL, NULL, 0, 0);
	return 0;
}

static int demo(struct iou_fiber *self, void *arg)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct iou_fiber *f;
	int p[2], sv[2], lfd, ret;
	uint64_t t0;
	char buf[8];

	(void)arg;
	if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return -1;

	t0 = iou_now(loop);
	ret = iou_read(self, p[0], buf, sizeof(buf), IOU_POS, 50 * MS);
	show("read, 50 ms timeout, no data", ret, -ETIMEDOUT,
	     iou_now(loop) - t0);

	iou_spawn(loop, write_later, &p[1], 0, &f);
	t0 = iou_now(loop);
	ret = iou_read(self, p[0], buf, sizeof(buf), IOU_POS, 50 * MS);
	show("read, 50 ms timeout, data after 10 ms", ret > 0 ? 5 : ret, 5,
	     iou_now(loop) - t0);
	iou_join(self, f, NULL);

	iou_spawn(loop, blocked_recv, &sv[0], 0, &f);
	iou_sleep(self, 20 * MS);
	t0 = iou_now(loop);
	iou_cancel(f);
	iou_join(self, f, &ret);
	show("recv cancelled by another fiber at 20 ms", ret, -ECANCELED,
	     iou_now(loop) - t0);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 8))
		return -1;
	iou_spawn(loop, blocked_sleep, NULL, 0, NULL);
	iou_spawn(loop, blocked_accept, &lfd, 0, NULL);
	iou_sleep(self, 5 * MS);
	stop_t0 = iou_now(loop);
	iou_loop_stop(loop);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(lfd);
	return 0;
}

int main(void)
{
	struct iou_loop *loop;
	struct iou_loop_stats st;
	int ret;

	ret = iou_loop_create(&loop, NULL);
	if (ret) {
		fprintf(stderr, "iou_loop_create: %s\n", strerror(-ret));
		return 1;
	}
	printf("backend: %s\n", iou_loop_backend(loop) == IOU_BACKEND_URING ?
					"io_uring" : "epoll");
	iou_spawn(loop, demo, NULL, 0, NULL);
	ret = iou_loop_run(loop);
	show("stop: a one-hour sleep", stop_res[0], -ECANCELED,
	     iou_now(loop) - stop_t0);
	show("stop: an accept nobody connects to", stop_res[1], -ECANCELED,
	     iou_now(loop) - stop_t0);
	iou_loop_stats(loop, &st);
	printf("iou_loop_run() returned %d; cancels sent: %llu, stale CQEs: %llu\n",
	       ret, (unsigned long long)st.cancels,
	       (unsigned long long)st.stale_cqes);
	iou_loop_destroy(loop);
	return ret || failures ? 1 : 0;
}
