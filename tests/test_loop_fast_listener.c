/* SPDX-License-Identifier: MIT */
/*
 * Listeners (one multishot accept feeding a queue) on real loopback
 * sockets.  The method and the shared plumbing: loop_fast.h.
 */
#include "loop_fast.h"

#include <unistd.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define NCLI 32

/* connect(2) to the test listener without cmocka (fine in a fiber). */
static int plain_connect(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(lport);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The local (or peer) port of a loopback socket, -1 if not loopback. */
static int port_of(int fd, int peer)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int ret = peer ? getpeername(fd, (struct sockaddr *)&a, &len) :
			 getsockname(fd, (struct sockaddr *)&a, &len);

	if (ret || a.sin_addr.s_addr != htonl(INADDR_LOOPBACK))
		return -1;
	return ntohs(a.sin_port);
}

/* Listeners */

static int cport[NCLI];	/* client i's local port */

static int iou_client(struct iou_fiber *self, void *arg)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	uint32_t v = (uint32_t)(intptr_t)arg;
	int fd = iou_socket(self, AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(lport);
	FCHECK(fd >= 0);
	FCHECK_EQ(iou_connect(self, fd, (struct sockaddr *)&a, sizeof(a), 0), 0);
	FCHECK((cport[v] = port_of(fd, 0)) > 0);
	FCHECK_EQ(iou_send(self, fd, &v, 4, 0, 0), 4);
	FCHECK_EQ(iou_recv(self, fd, &v, 4, 0, 2000 * MS), 0);	/* EOF */
	return iou_close(self, fd);
}

/* Four fibers pull from one listener; each connection is served once. */
static struct iou_listener *pull_l;
static struct iou_waitgroup pull_wg;
static int pull_closed, pulled[4];
static unsigned char seen[NCLI];

static int pull_fiber(struct iou_fiber *self, void *arg)
{
	int fd = 0;
	uint32_t v;

	while (!pull_closed && (fd = iou_listener_accept(self, pull_l, 0)) >= 0) {
		FCHECK_EQ(fcntl(fd, F_GETFD), FD_CLOEXEC);
		FCHECK_EQ(iou_recv(self, fd, &v, 4, MSG_WAITALL, 2000 * MS), 4);
		FCHECK(v < NCLI && !seen[v]);	/* distinct */
		seen[v] = 1;
		FCHECK_EQ(port_of(fd, 1), cport[v]);
		FCHECK_EQ(iou_close(self, fd), 0);
		pulled[(intptr_t)arg]++;
		iou_waitgroup_done(&pull_wg);
		iou_sleep(self, MS);	/* the other pullers' turn */
	}
	return fd < 0 && fd != -ECANCELED ? fd : 0;
}

/*
 * Half the clients are fibers using iou_connect, half plain connect(2);
 * each sends its index.  Every one is accepted once, close-on-exec, with
 * its client as the peer address, and every puller gets a share.
 */
static int clients_main(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f[NCLI / 2], *p[4];
	int c[NCLI / 2], i;
	uint32_t v;

	FCHECK_EQ(iou_listener_open(self, *(int *)arg, &pull_l), 0);
	iou_waitgroup_init(&pull_wg);
	iou_waitgroup_add(&pull_wg, NCLI);
	memset(seen, 0, sizeof(seen));
	memset(pulled, 0, sizeof(pulled));
	pull_closed = 0;
	for (i = 0; i < 4; i++)
		FCHECK_EQ(iou_spawn(t_loop, pull_fiber, (void *)(intptr_t)i, 0,
				    &p[i]),
			  0);
	for (i = 0; i < NCLI / 2; i++) {
		FCHECK_EQ(iou_spawn(t_loop, iou_client, (void *)(intptr_t)i, 0,
				    &f[i]),
			  0);
		FCHECK((c[i] = plain_connect()) >= 0);
		cport[NCLI / 2 + i] = port_of(c[i], 0);
		v = (uint32_t)(NCLI / 2 + i);
		FCHECK_EQ(write(c[i], &v, 4), 4);
	}
	FCHECK_EQ(iou_waitgroup_wait(self, &pull_wg), 0);
	pull_closed = 1;
	iou_listener_close(self, pull_l);
	for (i = 0; i < 4; i++) {
		FCHECK_EQ(joined(self, p[i]), 0);
		FCHECK(pulled[i] >= 1);
	}
	for (i = 0; i < NCLI / 2; i++) {
		FCHECK_EQ(joined(self, f[i]), 0);
		FCHECK_EQ(read(c[i], &v, 4), 0);	/* served, closed */
		close(c[i]);
	}
	for (i = 0; i < NCLI; i++)
		FCHECK(seen[i]);
	return 0;
}

/* Every connection was closed by its puller or its client: no fd leaks. */
static void test_loop_fast_listener_pullers_serve_every_client(void **state)
{
	int fds = t_count_fds();

	(void)state;
	t_fast_run(clients_main, NULL, LISTENER);
	assert_int_equal(t_count_fds(), fds);
}

static int timeout_main(struct iou_fiber *self, void *arg)
{
	struct iou_listener *l;
	int64_t t0 = t_now_ns();
	int c, fd;

	FCHECK_EQ(iou_listener_open(self, *(int *)arg, &l), 0);
	FCHECK_EQ(iou_listener_accept(self, l, 30 * MS), -ETIMEDOUT);
	FCHECK(ms_since(t0) >= 25 && ms_since(t0) < 800);
	/* Still usable after a timeout. */
	FCHECK((c = plain_connect()) >= 0);
	FCHECK((fd = iou_listener_accept(self, l, 1000 * MS)) >= 0);
	FCHECK_EQ(port_of(fd, 1), port_of(c, 0));
	close(fd);
	close(c);
	iou_listener_close(self, l);
	return 0;
}

LOOP_TEST(listener_accept_timeout, LISTENER, timeout_main, NULL, 0)

static int accept_waiter(struct iou_fiber *self, void *arg)
{
	struct waiter *w = arg;

	w->res = iou_listener_accept(self, w->l, 0);
	return 0;
}

static int timed_accept_waiter(struct iou_fiber *self, void *arg)
{
	struct waiter *w = arg;

	w->res = iou_listener_accept(self, w->l, 2000 * MS);
	return 0;
}

static int listener_close_main(struct iou_fiber *self, void *arg)
{
	struct waiter w[2] = { { 0, 0, 1 }, { 0, 0, 1 } };
	struct iou_loop_stats s0;
	struct iou_fiber *f[2];
	struct iou_listener *l;
	int lfd = *(int *)arg, c[8], i, fd;
	char b;

	/* Two fibers wait, one with a timeout: the close wakes both with
	   -ECANCELED. */
	FCHECK_EQ(iou_listener_open(self, lfd, &w[0].l), 0);
	w[1].l = w[0].l;
	for (i = 0; i < 2; i++)
		FCHECK_EQ(iou_spawn(t_loop, i ? timed_accept_waiter : accept_waiter,
				    &w[i], 0, &f[i]),
			  0);
	FCHECK_EQ(iou_sleep(self, 10 * MS), 0);
	FCHECK_EQ(w[0].res + w[1].res, 2);	/* still waiting */
	iou_listener_close(self, w[0].l);
	for (i = 0; i < 2; i++) {
		FCHECK_EQ(joined(self, f[i]), 0);
		FCHECK_EQ(w[i].res, -ECANCELED);
	}
	/* Eight connections come in, nobody pulls them, then the close. */
	s0 = now_stats();
	FCHECK_EQ(iou_listener_open(self, lfd, &l), 0);
	for (i = 0; i < 8; i++)
		FCHECK((c[i] = plain_connect()) >= 0);
	for (i = 0; IS_URING() && i < 500 && now_stats().cqes < s0.cqes + 8;
	     i++)
		iou_sleep(self, MS);	/* until all eight are queued */
	iou_listener_close(self, l);
	for (i = 0; i < 8; i++) {
		if (IS_URING()) {
			/* Accepted, never pulled: closed, the client sees EOF. */
			FCHECK_EQ(iou_recv(self, c[i], &b, 1, 0, 1000 * MS), 0);
		} else {
			/* Never accepted: the backlog is intact. */
			fd = iou_accept(self, lfd, NULL, NULL, 0, 1000 * MS);
			FCHECK(fd >= 0);
			close(fd);
		}
		close(c[i]);
	}
	return 0;
}

/* No fd leaks: what the listener queued was closed with it. */
static void test_loop_fast_listener_close_wakes_and_frees(void **state)
{
	int fds = t_count_fds();

	(void)state;
	t_fast_run(listener_close_main, NULL, LISTENER);
	assert_int_equal(t_count_fds(), fds);
}

static int multishot_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop_stats s0 = now_stats(), s1;
	struct iou_listener *l;
	unsigned t0 = ntev, i, more = 0;
	int c[64], k, fd, q;

	FCHECK_EQ(iou_listener_open(self, *(int *)arg, &l), 0);
	for (k = 0; k < 64; k++)
		FCHECK((c[k] = plain_connect()) >= 0);
	for (k = 0; k < 64; k++) {
		FCHECK((fd = iou_listener_accept(self, l, 2000 * MS)) >= 0);
		close(fd);
	}
	s1 = now_stats();
	/* 64 clients, not 64 SQEs: the waits' timers are the rest. */
	FCHECK(s1.sqes - s0.sqes >= 1 && s1.sqes - s0.sqes <= 16);
	FCHECK(s1.cqes - s0.cqes >= 64);
	/* One ACCEPT SQE; its user_data comes back with F_MORE 64 times. */
	FCHECK_EQ(count_ev(t0, IOU_TRACE_SQE, IORING_OP_ACCEPT), 1);
	q = find_ev(t0, IOU_TRACE_SQE, ~0ULL, 0);
	FCHECK(q >= 0 && tev[q].opcode == IORING_OP_ACCEPT);
	for (i = t0; i < ntev; i++)
		more += tev[i].kind == IOU_TRACE_CQE &&
			tev[i].user_data == tev[q].user_data &&
			tev[i].res >= 0 && (tev[i].flags & IORING_CQE_F_MORE);
	FCHECK_EQ(more, 64);
	iou_listener_close(self, l);
	for (k = 0; k < 64; k++)
		close(c[k]);
	return 0;
}

LOOP_TEST(listener_one_multishot_many_clients, LISTENER, multishot_main,
	  &traced, 1)

static int listener_bad(struct iou_fiber *self, void *arg)
{
	struct iou_listener *l = (void *)1;

	(void)arg;
	FCHECK_EQ(iou_listener_open(self, -1, &l), -EBADF);
	FCHECK(l == NULL);
	iou_listener_close(self, NULL);	/* no-op */
	return 0;
}

/* A bad fd is refused and the handle cleared; closing NULL does nothing. */
static void test_loop_fast_listener_open_bad_fd(void **state)
{
	(void)state;
	t_loop_run(listener_bad, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_fast_listener_pullers_serve_every_client),
		T_TEST(test_loop_fast_listener_accept_timeout),
		T_TEST(test_loop_fast_listener_close_wakes_and_frees),
		T_TEST(test_loop_fast_listener_one_multishot_many_clients),
		T_TEST(test_loop_fast_listener_open_bad_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
