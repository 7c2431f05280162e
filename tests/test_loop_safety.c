/* SPDX-License-Identifier: MIT */
/*
 * The pitfalls of DESIGN.md, one regression test each: fd reuse after a
 * close with a read in flight, cancel and timeout racing completion,
 * multishot CQEs after a cancel, a full SQ while reserving an op and its
 * linked timeout, CQ overflow under load, stale and duplicated CQEs, EPERM
 * at setup, a graceful stop with every kind of wait in flight.
 * Runs once per backend (IOU_BACKEND=uring|epoll).
 */
#include "deny_uring.h"
#include "looputil.h"

#include "loop/internal.h"

#include <iou/prep.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define US 1000ULL
#define MS 1000000ULL

/* Bytes readable right now on @fd (nonblocking drain). */
static long drain(int fd)
{
	char buf[4096];
	long total = 0;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		total += n;
	return total;
}

/*
 * close() with a read in flight: the read ends (-ECANCELED, or -EBADF on
 * the epoll backend's readiness wait), close returns only after it, the
 * peer sees EOF (FIN sent), and the fd number, reused at once, belongs to
 * the new socket alone: the old read never consumes its data.
 */
struct reuse {
	int fd, res, done;
};

static int reuse_reader(struct iou_fiber *self, void *arg)
{
	struct reuse *r = arg;
	char buf[16];

	r->res = iou_read(self, r->fd, buf, sizeof(buf), IOU_POS, 0);
	r->done = 1;
	return 0;
}

static int fd_reuse(struct iou_fiber *self, void *arg)
{
	struct reuse r = { 0 };
	struct iou_fiber *f;
	int sv[2], nv[2];
	char buf[8];

	(void)arg;
	t_tcp_pair(sv);
	r.fd = sv[0];
	FCHECK_EQ(iou_spawn(iou_fiber_loop(self), reuse_reader, &r, 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, 2 * MS), 0);
	FCHECK(!r.done);
	FCHECK_EQ(iou_close(self, sv[0]), 0);
	/* close returned: the read is over, and the peer got a FIN. */
	FCHECK(r.done);
	FCHECK(r.res == -ECANCELED || r.res == -EBADF);
	FCHECK_EQ(iou_read(self, sv[1], buf, sizeof(buf), IOU_POS, MS * 500), 0);
	FCHECK_EQ(iou_join(self, f, NULL), 0);

	/* The number comes back for the next socket (as the next open
	   would give it, were it the lowest free). */
	FCHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, nv), 0);
	if (nv[1] == sv[0]) {
		nv[1] = nv[0];
		nv[0] = sv[0];
	} else if (nv[0] != sv[0]) {
		FCHECK_EQ(dup2(nv[0], sv[0]), sv[0]);
		close(nv[0]);
		nv[0] = sv[0];
	}
	FCHECK_EQ(write(nv[1], "fresh", 5), 5);
	FCHECK_EQ(iou_sleep(self, MS), 0);
	FCHECK_EQ(iou_read(self, nv[0], buf, sizeof(buf), IOU_POS, MS * 500), 5);
	FCHECK(!memcmp(buf, "fresh", 5));
	FCHECK_EQ(iou_close(self, nv[0]), 0);
	FCHECK_EQ(iou_close(self, nv[1]), 0);
	FCHECK_EQ(iou_close(self, sv[1]), 0);
	/* A second close of a closed fd is the caller's error. */
	FCHECK_EQ(iou_close(self, sv[1]), -EBADF);
	return 0;
}

static void test_loop_safety_fd_reuse_after_close_with_read_in_flight(void **state)
{
	int before = t_count_fds();

	(void)state;
	t_loop_run(fd_reuse, NULL);
	assert_int_equal(t_count_fds(), before);
}

/*
 * Cancel racing completion: the writer writes and cancels the reader in
 * the same step, so the read's CQE and the cancel meet in the kernel.
 * Whatever wins, every byte is accounted for exactly once: read by the
 * reader (result > 0), or still in the socket (result -ECANCELED).
 */
struct race {
	int fd, res;
	char buf[64];
};

static int race_reader(struct iou_fiber *self, void *arg)
{
	struct race *r = arg;

	r->res = iou_recv(self, r->fd, r->buf, sizeof(r->buf), 0, 0);
	return 0;
}

static int cancel_race(struct iou_fiber *self, void *arg)
{
	int sv[2], i, won = 0, cancelled = 0;
	struct race r;
	struct iou_fiber *f;
	long left;

	(void)arg;
	FCHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 300; i++) {
		memset(&r, 0, sizeof(r));
		r.fd = sv[0];
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), race_reader, &r, 0,
				    &f), 0);
		/* Let the reader reach the kernel (or not: every 3rd). */
		if (i % 3)
			iou_yield(self);
		FCHECK_EQ(write(sv[1], "0123456789", 10), 10);
		iou_cancel(f);
		FCHECK_EQ(iou_join(self, f, NULL), 0);
		left = drain(sv[0]);
		if (r.res == -ECANCELED) {
			FCHECK_EQ(left, 10);
			cancelled++;
		} else {
			FCHECK_EQ(r.res + left, 10);
			FCHECK(r.res > 0);
			FCHECK(!memcmp(r.buf, "0123456789", (size_t)r.res));
			won++;
		}
	}
	FCHECK_EQ(won + cancelled, 300);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_loop_safety_cancel_racing_completion(void **state)
{
	(void)state;
	t_loop_run(cancel_race, NULL);
}

/*
 * A timeout racing completion: data arrives about when the timeout fires.
 * -ETIMEDOUT means nothing was consumed; a count means exactly that much.
 */
static int late_write(struct iou_fiber *self, void *arg)
{
	int fd = *(int *)arg;

	iou_sleep(self, 50 * US);
	return write(fd, "abcdefgh", 8) == 8 ? 0 : -1;
}

static int timeout_race(struct iou_fiber *self, void *arg)
{
	int sv[2], i, st, timed_out = 0, got = 0;
	struct iou_fiber *w;
	char buf[16];
	long left;

	(void)arg;
	FCHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (i = 0; i < 200; i++) {
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), late_write, &sv[1],
				    0, &w), 0);
		st = iou_recv(self, sv[0], buf, sizeof(buf), 0,
			      (uint64_t)(20 + (i % 7) * 10) * US);
		FCHECK_EQ(iou_join(self, w, NULL), 0);
		left = drain(sv[0]);
		if (st == -ETIMEDOUT) {
			FCHECK_EQ(left, 8);
			timed_out++;
		} else {
			FCHECK(st > 0);
			FCHECK_EQ(st + left, 8);
			got++;
		}
	}
	FCHECK_EQ(timed_out + got, 200);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_loop_safety_timeout_racing_completion(void **state)
{
	(void)state;
	t_loop_run(timeout_race, NULL);
}

/*
 * accept with a timeout racing a connecting client: an fd the kernel
 * hands over after the timeout fired is closed by the loop, never leaked;
 * the client then sees its connection reset or closed.
 */
static int accept_race(struct iou_fiber *self, void *arg)
{
	unsigned short port;
	int lfd, i, c, a, accepted = 0;

	(void)arg;
	lfd = t_listener(&port);
	for (i = 0; i < 100; i++) {
		c = t_connect_port(port);
		FCHECK(c >= 0);
		/* Timeouts from "at once" to "plenty". */
		a = iou_accept(self, lfd, NULL, NULL, 0, (uint64_t)(i % 5) * US + 1);
		if (a >= 0) {
			accepted++;
			FCHECK_EQ(iou_close(self, a), 0);
		} else {
			FCHECK_EQ(a, -ETIMEDOUT);
		}
		close(c);
	}
	/* Whatever is still queued is accepted by a plain accept and closed. */
	FCHECK_EQ(fcntl(lfd, F_SETFL, O_NONBLOCK), 0);
	while ((a = accept(lfd, NULL, NULL)) >= 0)
		close(a);
	FCHECK(accepted <= 100);
	FCHECK_EQ(iou_close(self, lfd), 0);
	return 0;
}

static void test_loop_safety_accept_timeout_never_leaks_fd(void **state)
{
	int before = t_count_fds();

	(void)state;
	t_loop_run(accept_race, NULL);
	assert_int_equal(t_count_fds(), before);
}

/*
 * Multishot CQEs after a cancel: a recv stream is closed while its peer
 * keeps sending and a listener is closed while clients keep connecting.
 * Completions that arrive for the dead requests are dropped (their buffers
 * and fds released); the loop goes on serving new ops.
 */
static int multishot_after_cancel(struct iou_fiber *self, void *arg)
{
	struct iou_recv_stream *rs;
	struct iou_listener *l;
	unsigned short port;
	int sv[2], i, lfd, c[8], n, a;
	char chunk[512];
	void *buf;

	(void)arg;
	t_tcp_pair(sv);
	memset(chunk, 'x', sizeof(chunk));
	FCHECK_EQ(iou_recv_stream_open(self, sv[0], 256, 8, &rs), 0);
	for (i = 0; i < 4; i++)
		FCHECK_EQ(write(sv[1], chunk, sizeof(chunk)), (long)sizeof(chunk));
	n = iou_recv_stream_next(self, rs, &buf, MS * 500);
	FCHECK(n > 0);
	iou_recv_stream_release(rs, buf);
	/* More data keeps arriving while the stream goes away. */
	for (i = 0; i < 4; i++)
		FCHECK_EQ(write(sv[1], chunk, sizeof(chunk)), (long)sizeof(chunk));
	iou_recv_stream_close(self, rs);
	FCHECK_EQ(write(sv[1], chunk, sizeof(chunk)), (long)sizeof(chunk));
	FCHECK_EQ(iou_sleep(self, 2 * MS), 0);

	lfd = t_listener(&port);
	FCHECK_EQ(iou_listener_open(self, lfd, &l), 0);
	for (i = 0; i < 4; i++)
		c[i] = t_connect_port(port);
	a = iou_listener_accept(self, l, MS * 500);
	FCHECK(a >= 0);
	FCHECK_EQ(iou_close(self, a), 0);
	iou_listener_close(self, l);
	for (i = 4; i < 8; i++)
		c[i] = t_connect_port(port);
	FCHECK_EQ(iou_sleep(self, 2 * MS), 0);

	/* The loop still works: a plain exchange on the same socket. */
	drain(sv[0]);
	FCHECK_EQ(write(sv[1], "ok", 2), 2);
	FCHECK_EQ(iou_recv(self, sv[0], chunk, sizeof(chunk), 0, MS * 500), 2);
	for (i = 0; i < 8; i++)
		close(c[i]);
	close(lfd);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_loop_safety_multishot_cqes_after_cancel(void **state)
{
	int before = t_count_fds();

	(void)state;
	t_loop_run(multishot_after_cancel, NULL);
	assert_int_equal(t_count_fds(), before);
}

/*
 * A 4-entry SQ and 64 fibers each wanting an op + LINK_TIMEOUT pair: the
 * pair is reserved all or nothing, so no op ever runs without its timeout
 * and none is lost.  Half the pipes get data, half time out.
 */
struct pair_job {
	int p[2];
	int res;
};

static int timed_reader(struct iou_fiber *self, void *arg)
{
	struct pair_job *j = arg;
	char c;

	j->res = iou_read(self, j->p[0], &c, 1, IOU_POS, 20 * MS);
	return 0;
}

static int sq_full(struct iou_fiber *self, void *arg)
{
	struct pair_job jobs[64];
	struct iou_fiber *f[64];
	int i;

	(void)arg;
	for (i = 0; i < 64; i++) {
		FCHECK_EQ(pipe(jobs[i].p), 0);
		jobs[i].res = 1000;
		FCHECK_EQ(iou_spawn(iou_fiber_loop(self), timed_reader,
				    &jobs[i], 0, &f[i]), 0);
	}
	for (i = 0; i < 64; i += 2)
		FCHECK_EQ(write(jobs[i].p[1], "z", 1), 1);
	for (i = 0; i < 64; i++) {
		FCHECK_EQ(iou_join(self, f[i], NULL), 0);
		FCHECK_EQ(jobs[i].res, i % 2 ? -ETIMEDOUT : 1);
		close(jobs[i].p[0]);
		close(jobs[i].p[1]);
	}
	return 0;
}

static void test_loop_safety_sq_full_reserving_op_and_timeout(void **state)
{
	struct iou_loop_opts o = { .entries = 4 };

	(void)state;
	t_loop_run_opts(sq_full, NULL, &o);
}

/*
 * CQ overflow under load: a 4-entry ring (16 CQEs) and 3000 sleeps that
 * all end at about the same time.  Every fiber sees its own result once.
 */
static int done_count;

static int short_sleep(struct iou_fiber *self, void *arg)
{
	(void)arg;
	if (iou_sleep(self, 3 * MS) == 0)
		done_count++;
	return 0;
}

static int overflow_load(struct iou_fiber *self, void *arg)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	struct iou_loop_stats st;
	int i;

	(void)arg;
	done_count = 0;
	for (i = 0; i < 3000; i++)
		FCHECK_EQ(iou_spawn(loop, short_sleep, NULL, 16 * 1024, NULL), 0);
	while (done_count < 3000)
		FCHECK_EQ(iou_sleep(self, MS), 0);
	iou_loop_stats(loop, &st);
	if (iou_loop_backend(loop) == IOU_BACKEND_URING) {
		FCHECK(st.cqes >= 3000);
		/* 3000 timers ending together in a 16-entry CQ. */
		FCHECK(st.overflows > 0);
	}
	FCHECK_EQ(st.stale_cqes, 0);
	return 0;
}

static void test_loop_safety_cq_overflow_under_load(void **state)
{
	struct iou_loop_opts o = { .entries = 4 };

	(void)state;
	t_loop_run_opts(overflow_load, NULL, &o);
	assert_int_equal(done_count, 3000);
}

/*
 * Stale and duplicated CQEs: CQEs forged into the loop's ring (MSG_RING
 * from the registered-ring path) that name a free slot, a slot of an
 * older generation, or an op that already completed, are counted and
 * ignored; they wake nobody.
 */
static int forge(struct iou_loop *loop, uint64_t ud)
{
	struct io_uring_sqe sqe;

	memset(&sqe, 0, sizeof(sqe));
	iou_prep_msg_ring(&sqe, iou__loop_ring(loop)->ring_fd, 0, ud, 0);
	return iou_register_send_msg_ring(&sqe);
}

static int stale_sleeper(struct iou_fiber *self, void *arg)
{
	return iou_sleep(self, *(uint64_t *)arg);
}

static int stale(struct iou_fiber *self, void *arg)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	struct iou_loop_stats st;
	uint64_t long_ns = 200 * MS, ud, real, t0;
	struct iou_fiber *f;
	int ret, st_res;

	(void)arg;
	/* A live op: its slot, with the generation off by one. */
	FCHECK_EQ(iou_spawn(loop, stale_sleeper, &long_ns, 0, &f), 0);
	iou_yield(self);
	FCHECK(loop->live_ops >= 1);
	t0 = iou_now(loop);
	/* Find the sleeper's op: the fiber parks on it. */
	FCHECK(f->wait_op != NULL);
	real = (uint64_t)f->wait_op->slot | ((uint64_t)f->wait_op->gen << 32);
	ud = (uint64_t)f->wait_op->slot |
	     ((uint64_t)((f->wait_op->gen + 1) & UD_GEN_MASK) << 32);
	ret = forge(loop, ud);
	if (ret == -EINVAL || ret == -EOPNOTSUPP) {
		iou_cancel(f);
		iou_join(self, f, NULL);
		return 1;	/* no IORING_REGISTER_SEND_MSG_RING: skip */
	}
	FCHECK_EQ(ret, 0);
	/* A slot out of range, and kind bits no op has. */
	FCHECK_EQ(forge(loop, 0x3fffffffULL), 0);
	FCHECK_EQ(forge(loop, 3ULL << UD_KIND_SHIFT), 0);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	iou_loop_stats(loop, &st);
	FCHECK_EQ(st.stale_cqes, 3);
	/* The sleeper was not woken by a CQE that named its slot. */
	FCHECK_EQ(iou_join(self, f, &st_res), 0);
	FCHECK_EQ(st_res, 0);
	FCHECK(iou_now(loop) - t0 >= 190 * MS);

	/* A duplicate of the completed op's CQE (its slot is free, or
	   reused under a newer generation). */
	FCHECK_EQ(forge(loop, real), 0);
	FCHECK_EQ(iou_sleep(self, 2 * MS), 0);
	iou_loop_stats(loop, &st);
	FCHECK_EQ(st.stale_cqes, 4);
	return 0;
}

static void test_loop_safety_stale_and_duplicate_cqes_counted(void **state)
{
	(void)state;
	T_NEED_URING();
	if (t_loop_run(stale, NULL) == 1)
		t_missing(6, 13, "IORING_REGISTER_SEND_MSG_RING");
}

/*
 * EPERM at setup: in a child whose seccomp filter refuses io_uring_setup
 * with EPERM, a loop that may not fall back fails with -EPERM, and the
 * default loop runs on epoll.
 */
static int child_loop(void)
{
	struct iou_loop_opts strict = { .backend = IOU_BACKEND_URING };
	struct iou_loop *loop;
	int ret;

	ret = iou_loop_create(&loop, &strict);
	if (ret != -EPERM)
		return 10;
	strict.backend = IOU_BACKEND_AUTO;
	strict.flags = IOU_LOOP_NO_FALLBACK | IOU_LOOP_NO_ENV;
	if (iou_loop_create(&loop, &strict) != -EPERM)
		return 11;
	strict.flags = IOU_LOOP_NO_ENV;
	if (iou_loop_create(&loop, &strict))
		return 12;
	ret = iou_loop_backend(loop) == IOU_BACKEND_EPOLL ? 0 : 13;
	iou_loop_destroy(loop);
	return ret;
}

static void test_loop_safety_eperm_at_setup_falls_back(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (t_deny_io_uring_setup(EPERM))
			_exit(77);	/* qemu-user cannot install filters */
		_exit(child_loop());
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		t_skip("seccomp filters are not available here");
	assert_int_equal(WEXITSTATUS(status), 0);
}

/*
 * Graceful stop with every kind of wait in flight: reads, an accept, a
 * sleep, a timed read, a join.  iou_loop_run() returns after each of them
 * returned -ECANCELED, and nothing is left registered.
 */
static int results[6], nresults;

/* Recorded when the call has returned (not when it started). */
static void record(int res)
{
	results[nresults++] = res;
}

static int blocked_read(struct iou_fiber *self, void *arg)
{
	char c;

	record(iou_read(self, *(int *)arg, &c, 1, IOU_POS, 0));
	return 0;
}

static int blocked_accept(struct iou_fiber *self, void *arg)
{
	record(iou_accept(self, *(int *)arg, NULL, NULL, 0, 0));
	return 0;
}

static int blocked_sleep(struct iou_fiber *self, void *arg)
{
	(void)arg;
	record(iou_sleep(self, 10000 * MS));
	return 0;
}

static int blocked_timed(struct iou_fiber *self, void *arg)
{
	char c;

	record(iou_recv(self, *(int *)arg, &c, 1, 0, 10000 * MS));
	return 0;
}

static int blocked_join(struct iou_fiber *self, void *arg)
{
	record(iou_join(self, arg, NULL));
	return 0;
}

static int stopper(struct iou_fiber *self, void *arg)
{
	static int p[2], sv[2], lfd;
	struct iou_loop *loop = iou_fiber_loop(self);
	struct iou_fiber *sl;
	unsigned short port;

	(void)arg;
	nresults = 0;
	FCHECK_EQ(pipe(p), 0);
	t_tcp_pair(sv);
	lfd = t_listener(&port);
	FCHECK_EQ(iou_spawn(loop, blocked_read, &p[0], 0, NULL), 0);
	FCHECK_EQ(iou_spawn(loop, blocked_accept, &lfd, 0, NULL), 0);
	FCHECK_EQ(iou_spawn(loop, blocked_sleep, NULL, 0, &sl), 0);
	FCHECK_EQ(iou_spawn(loop, blocked_timed, &sv[0], 0, NULL), 0);
	FCHECK_EQ(iou_spawn(loop, blocked_join, sl, 0, NULL), 0);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	FCHECK_EQ(nresults, 0);
	iou_loop_stop(loop);
	/* This fiber's own ops now fail at once. */
	FCHECK_EQ(iou_sleep(self, MS), -ECANCELED);
	/* sl's handle belongs to the joiner (its cancelled join detaches). */
	return 0;
}

static void test_loop_safety_stop_drains_every_wait(void **state)
{
	struct iou_loop *loop;
	int i, before = t_count_fds();

	(void)state;
	assert_int_equal(iou_loop_create(&loop, NULL), 0);
	t_loop = loop;
	assert_int_equal(iou_spawn(loop, stopper, NULL, 0, NULL), 0);
	assert_int_equal(iou_loop_run(loop), 0);
	assert_int_equal(nresults, 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(results[i], -ECANCELED);
	/* Nothing registered but the uring backend's own wake-up poll. */
	assert_int_equal(loop->be->busy(loop), 0);
	if (!iou__loop_ring(loop))
		assert_int_equal(loop->live_ops, 0);
	assert_int_equal(loop->nfibers, 0);
	iou_loop_destroy(loop);
	t_loop = NULL;
	/* pipe, pair, listener: the test's own 5 fds are still open. */
	assert_int_equal(t_count_fds(), before + 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_safety_fd_reuse_after_close_with_read_in_flight),
		T_TEST(test_loop_safety_cancel_racing_completion),
		T_TEST(test_loop_safety_timeout_racing_completion),
		T_TEST(test_loop_safety_accept_timeout_never_leaks_fd),
		T_TEST(test_loop_safety_multishot_cqes_after_cancel),
		T_TEST(test_loop_safety_sq_full_reserving_op_and_timeout),
		T_TEST(test_loop_safety_cq_overflow_under_load),
		T_TEST(test_loop_safety_stale_and_duplicate_cqes_counted),
		T_TEST(test_loop_safety_eperm_at_setup_falls_back),
		T_TEST(test_loop_safety_stop_drains_every_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
