/* SPDX-License-Identifier: MIT */
/*
 * Fuzz surface: the event loop when the kernel misbehaves.  A small loop
 * (io_uring or epoll backend) runs a controller fiber that follows the
 * input: it spawns fibers that sleep, receive on socketpairs (plain and
 * through receive streams), yield and pass items through a channel,
 * sends, polls, reads and writes a pipe, cancels fibers, posts functions
 * and stops the loop, while it also scripts what the kernel does:
 *   - the answers of the next io_uring_enter calls (io_uring) or reads and
 *     writes (both: the epoll backend's pipe I/O and eventfd go through
 *     them), through the fault-injection hooks: errors without the call,
 *     or short submits (to_submit clamped);
 *   - (io_uring) garbage in the loop's own ring: CQ tails that are out of
 *     range (ahead by more than the ring, or behind our head), result and
 *     flags words of CQEs posted and not yet reaped (written from the
 *     trace hook, between the kernel's store and the loop's read), forged
 *     CQEs naming live ops (posted by the kernel itself through
 *     IORING_REGISTER_SEND_MSG_RING), SQ and CQ flag words, the overflow
 *     counter.
 * A periodic signal (no SA_RESTART) interrupts blocking calls as a real
 * program's signals would: every wait must cope with -EINTR.
 *
 * Corruptions that make the loop lose a real CQE without any way to see
 * it (a tail moved ahead by less than the ring's size, so the kernel's
 * next CQEs land in slots already taken; a CQE's user_data rewritten, or
 * IORING_CQE_F_MORE set on the last CQE of a multishot op; the shared CQ
 * head rewritten, which only the kernel reads) leave a fiber waiting for
 * good: they are reported, and run only with IOU_FUZZ_LOOP_LOSSY=1 in the
 * environment.  Likewise a short submit can
 * split an op from its LINK_TIMEOUT, which then fails alone, leaving the
 * op without a deadline: the controller ends its script by shutting the
 * sockets' write ends and closing the pipe's, so such ops still end.
 *
 * Input: byte 0 picks the backend, the SQ size (4..32, small so that
 * reservations and cancels find the SQ full) and whether the sockets are
 * registered files; the rest is the controller's script of 3-byte steps
 * [op, a, b] (see step()).
 *
 * Checked: iou_loop_run() returns, within a bounded time, 0 or a -errno
 * (-EUCLEAN for a corrupt ring); until the first corruption, the fibers'
 * calls return what they document; and iou_loop_destroy() leaves no fd
 * and no mapping behind (but see the receive streams, in main).
 */
#include <iou/iou.h>

#include "fault.h"
#include "loop/internal.h"
#include "harness.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define MS 1000000ULL
#define MAX_WORKERS 16
#define MAX_STEPS 256

/* A worker fiber and what it was told to do. */
struct worker {
	uint8_t kind, a, b;
	struct iou_fiber *handle;	/* NULL once joined or detached */
};

struct state {
	struct iou_loop *loop;
	int uring;			/* the backend is io_uring */
	int sv[2][2];			/* two socketpairs */
	int pipefd[2];
	struct iou_chan chan;
	int chan_buf[2];
	struct iou_mutex mutex;
	struct worker workers[MAX_WORKERS];
	unsigned nworkers;
	const uint8_t *script;
	size_t script_len;
	struct iou_post posts[4];
	unsigned posts_run;
	int corrupted;		/* results may be garbage from now on */
	/* What the trace hook writes into the next unreaped CQE. */
	uint8_t cqe_field, cqe_value;
	int cqe_armed;
};

static int lossy;	/* IOU_FUZZ_LOOP_LOSSY: the known-hang corruptions */

static struct state st;

/* Buffers the kernel may still write after a forged CQE ended an op
   early: never on a fiber's stack. */
static char rx_buf[MAX_WORKERS][256];
static char ctl_buf[256];

/* Every value a loop call returns is a count or a -errno, as long as the
   kernel's results are not garbage. */
static void check_ret(int ret)
{
	CHECK(ret >= -4095 || st.corrupted);
}

/*
 * Workers
 */

static int w_sleep(struct iou_fiber *self, struct worker *w)
{
	unsigned i;

	for (i = 0; i <= w->b % 4; i++)
		check_ret(iou_sleep(self, (w->a % 8) * 100000ULL));
	return 0;
}

static int w_recv(struct iou_fiber *self, struct worker *w)
{
	int fd = st.sv[w->a & 1][0], ret = 0, i;
	char *buf = rx_buf[w - st.workers];

	for (i = 0; i < 4; i++) {
		ret = iou_recv(self, fd, buf, 1 + w->b % 255, 0,
			       (1 + w->b % 8) * MS);
		check_ret(ret);
		CHECK(ret <= 1 + w->b % 255 || st.corrupted);
		if (ret <= 0)
			break;
	}
	return ret;
}

static int w_yield(struct iou_fiber *self, struct worker *w)
{
	unsigned i;

	for (i = 0; i < w->a % 16; i++)
		iou_yield(self);
	return 0;
}

static int w_produce(struct iou_fiber *self, struct worker *w)
{
	int item = w->a, ret = 0;
	unsigned i;

	for (i = 0; i <= w->b % 4; i++) {
		ret = iou_chan_send(self, &st.chan, &item);
		CHECK(ret == 0 || ret == -EPIPE || ret == -ECANCELED);
		if (ret)
			break;
	}
	return ret;
}

static int w_consume(struct iou_fiber *self, struct worker *w)
{
	int item, ret = 0;
	unsigned i;

	for (i = 0; i <= w->b % 4; i++) {
		ret = iou_chan_recv(self, &st.chan, &item);
		CHECK(ret == 0 || ret == -EPIPE || ret == -ECANCELED);
		if (ret)
			break;
	}
	return ret;
}

static int w_lock(struct iou_fiber *self, struct worker *w)
{
	int ret = iou_mutex_lock(self, &st.mutex);

	CHECK(ret == 0 || ret == -ECANCELED);
	if (ret)
		return ret;
	if (w->a & 1)
		iou_yield(self);
	else
		check_ret(iou_sleep(self, (w->b % 4) * 100000ULL));
	CHECK(iou_mutex_unlock(self, &st.mutex) == 0);
	return 0;
}

static int w_poll(struct iou_fiber *self, struct worker *w)
{
	int ret = iou_poll(self, st.pipefd[0], IOU_POLLIN, (1 + w->b % 4) * MS);

	check_ret(ret);
	return ret;
}

static int w_read(struct iou_fiber *self, struct worker *w)
{
	char *buf = rx_buf[w - st.workers];
	int ret = iou_read(self, st.pipefd[0], buf, 1 + w->b % 255, IOU_POS,
			   (1 + w->a % 4) * MS);

	check_ret(ret);
	CHECK(ret <= 1 + w->b % 255 || st.corrupted);
	return ret;
}

/* A receive stream (multishot recv into a buffer ring; epoll: recv). */
static int w_stream(struct iou_fiber *self, struct worker *w)
{
	struct iou_recv_stream *rs;
	unsigned size = 1 + w->b % 64, i;
	void *buf;
	int ret;

	ret = iou_recv_stream_open(self, st.sv[w->a & 1][0], size,
				   1U << ((w->a >> 1) % 4), &rs);
	CHECK(ret == 0 || ret == -ENOMEM);
	if (ret)
		return ret;
	for (i = 0; i < 4; i++) {
		/* Timed or not; data, EOF at the end, a cancel end it. */
		ret = iou_recv_stream_next(self, rs, &buf,
					   (w->a & 0x20) ? 0 :
					   (1 + w->b % 4) * MS);
		check_ret(ret);
		if (ret <= 0)
			break;
		CHECK(buf && ((unsigned)ret <= size || st.corrupted));
		if (!(w->b & 0x80))
			iou_recv_stream_release(rs, buf);
	}
	iou_recv_stream_close(self, rs);
	return ret;
}

static int worker_main(struct iou_fiber *self, void *arg)
{
	struct worker *w = arg;

	switch (w->kind) {
	case 0:
		return w_sleep(self, w);
	case 1:
		return w_recv(self, w);
	case 2:
		return w_yield(self, w);
	case 3:
		return w_produce(self, w);
	case 4:
		return w_consume(self, w);
	case 5:
		return w_lock(self, w);
	case 6:
		return w_poll(self, w);
	case 7:
		return w_read(self, w);
	default:
		return w_stream(self, w);
	}
}

static void spawn(struct iou_loop *loop, uint8_t kind, uint8_t a, uint8_t b)
{
	struct worker *w;
	int ret;

	if (st.nworkers == MAX_WORKERS)
		return;
	w = &st.workers[st.nworkers];
	w->kind = kind;
	w->a = a;
	w->b = b;
	/* Every other one detached: both ways of ending a fiber. */
	ret = iou_spawn(loop, worker_main, w, 0, (a & 0x80) ? NULL : &w->handle);
	CHECK(ret == 0 || ret == -ECANCELED || ret == -ENOMEM);
	if (!ret)
		st.nworkers++;
}

static void post_fn(struct iou_loop *loop, void *arg)
{
	(void)arg;
	CHECK(loop == st.loop);
	st.posts_run++;
}

/*
 * Corrupting the io_uring backend's ring, as a broken kernel or a stray
 * write would.  Only what the loop can notice (or survive) unless lossy.
 */
static void corrupt(struct iou_loop *loop, uint8_t a, uint8_t b)
{
	struct iou_ring *r = iou__loop_ring(loop);
	unsigned tail = iou_load_acquire(r->cq.ktail);
	struct io_uring_sqe sqe;
	uint64_t ud;

	st.corrupted = 1;
	switch (a % 8) {
	case 0:
		/* Out of range: ahead by more than the ring, or behind us. */
		if (b & 1)
			iou_store_release(r->cq.ktail, r->cq.head +
							       r->cq.entries +
							       1 + b);
		else
			iou_store_release(r->cq.ktail, r->cq.head - 1 - b % 8);
		break;
	case 1:
		/* The next CQE to be reaped gets a garbage res or flags. */
		st.cqe_field = a >> 3;
		st.cqe_value = b;
		st.cqe_armed = 1;
		break;
	case 2:
		/*
		 * A CQE naming an op slot of a low generation (often a live
		 * op), or its timeout, posted by the kernel: nothing is lost.
		 */
		ud = ((uint64_t)((b >> 6) & 1) << UD_KIND_SHIFT) |
		     ((uint64_t)(1 + (b >> 4) % 4) << 32) | (b % 16);
		memset(&sqe, 0, sizeof(sqe));
		iou_prep_msg_ring(&sqe, r->ring_fd, (b & 1) ? 1 : 0, ud, 0);
		check_ret(iou_register_send_msg_ring(&sqe));
		break;
	case 3:
		*r->sq.kflags |= b & 7;
		break;
	case 4:
		*r->cq.koverflow = (unsigned)b << 8 | a;
		break;
	case 5:
		if (r->cq.kflags)
			*r->cq.kflags = b;
		break;
	case 6:
		if (!lossy)
			break;
		/* Old CQEs come round again; the kernel's next ones land in
		   slots we have passed. */
		iou_store_release(r->cq.ktail, tail + 1 + b % 4);
		break;
	default:
		if (!lossy)
			break;
		if (b & 1)
			iou_store_release(r->cq.khead, (unsigned)b * 0x01010101U);
		else
			st.cqe_field = 2, st.cqe_value = b, st.cqe_armed = 1;
		break;
	}
}

/*
 * The trace hook sees each CQE as the loop reaps it: rewrite one of the
 * CQEs after it, still unreaped.  Field 0: res, 1: flags, 2: user_data
 * (lossy only).
 */
static void trace(void *arg, const struct iou_trace_event *ev)
{
	struct iou_ring *r;
	struct io_uring_cqe *cqe;
	unsigned pos, tail;

	(void)arg;
	if (!st.cqe_armed || ev->kind != IOU_TRACE_CQE || !st.uring)
		return;
	r = iou__loop_ring(st.loop);
	tail = iou_load_acquire(r->cq.ktail);
	if (tail - r->cq.head > r->cq.entries)
		return;
	/* The one being dispatched is at or after our head: skip it. */
	for (pos = r->cq.head; pos != tail; pos++) {
		cqe = &r->cq.cqes[(pos & r->cq.mask) << r->cq.cqe_shift];
		if (cqe->user_data != ev->user_data || pos + 1 == tail)
			continue;
		cqe = &r->cq.cqes[((pos + 1) & r->cq.mask) << r->cq.cqe_shift];
		switch (st.cqe_field % 3) {
		case 0:
			cqe->res = (int32_t)((uint32_t)st.cqe_value * 0x01000193U);
			break;
		case 1:
			/*
			 * Not IORING_CQE_F_MORE unless lossy: set on the last
			 * CQE of a multishot op, the loop waits for one more
			 * that never comes.
			 */
			cqe->flags ^= ((uint32_t)st.cqe_value << 8 | st.cqe_value) &
				      (lossy ? ~0U : ~IORING_CQE_F_MORE);
			break;
		default:
			if (lossy)
				cqe->user_data ^= (uint64_t)st.cqe_value << 32;
			break;
		}
		st.cqe_armed = 0;
		return;
	}
}

/*
 * What the next calls return without being made.  0 from an enter is a
 * submit that consumed nothing; no positive count: a kernel claiming to
 * have consumed SQEs it never saw would have the loop wait for their CQEs
 * for good (fuzz/enter.c covers that lie, with waits it can bound).
 */
static const long fault_results[] = {
	-EINTR, -ETIME, -EBUSY, -EAGAIN, -EBADF, -EINVAL, -ENOMEM, -EFAULT,
	-EBADR, -ENXIO, -EOWNERDEAD, -EIO, 0,
};

static void arm(enum iou_fault_mode mode, long value, uint8_t which,
		uint8_t b)
{
	/* io_uring: its enters; both: reads and writes. */
	static const enum iou_fault_sys syss[] = { IOU_FAULT_ENTER,
						   IOU_FAULT_READ,
						   IOU_FAULT_WRITE };
	enum iou_fault_sys sys = syss[which % 3];

	if (sys == IOU_FAULT_ENTER && !st.uring)
		sys = IOU_FAULT_READ;
	iou__fault_arm(sys, 1 + (b & 3), 1 + ((b >> 2) & 15), mode, value);
}

/*
 * One step of the controller's script, [op, a, b]:
 *   0-6: spawn a worker: sleeper, receiver, yielder, producer, consumer,
 *        locker, poller, pipe reader (a, b: its parameters)
 *   7: send 1 + b % 64 bytes on socketpair a & 1
 *   8: the next enters/reads/writes fail (a: with what, b: when, how often)
 *   9: ... come back short (clamped to a % 3)    10: faults off
 *  11: corrupt the ring (io_uring only)         12: cancel a worker
 *  13: stop the loop                            14: sleep a % 4 * 250 us
 *  15: write to the pipe / spawn a pipe reader 16: post a function
 *  17: register / unregister a socket as a fixed file
 *  18: shut a socketpair's write end down       19: spawn a recv stream
 */
static void step(struct iou_fiber *self, uint8_t op, uint8_t a, uint8_t b)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	struct worker *w;
	int ret, fd;

	switch (op % 20) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6:
		spawn(loop, op % 20, a, b);
		break;
	case 7:
		memset(ctl_buf, a, sizeof(ctl_buf));
		ret = iou_send(self, st.sv[a & 1][1], ctl_buf, 1 + b % 64, 0,
			       2 * MS);
		check_ret(ret);
		break;
	case 8:
		arm(IOU_FAULT_FAIL,
		    fault_results[a % (sizeof(fault_results) /
				       sizeof(fault_results[0]))],
		    a >> 4, b);
		break;
	case 9:
		arm(IOU_FAULT_SHORT, a % 3, a >> 4, b);
		break;
	case 10:
		iou__fault_reset();
		break;
	case 11:
		if (st.uring)
			corrupt(loop, a, b);
		break;
	case 12:
		if (!st.nworkers)
			break;
		w = &st.workers[a % st.nworkers];
		if (w->handle) {
			ret = iou_cancel(w->handle);
			CHECK(ret == 0 || ret == -EINVAL);
		}
		break;
	case 13:
		iou_loop_stop(loop);
		break;
	case 14:
		check_ret(iou_sleep(self, (a % 4) * 250000ULL));
		break;
	case 15:
		if (a & 1) {
			ret = iou_write(self, st.pipefd[1], ctl_buf, 1 + b % 64,
					IOU_POS, MS);
			check_ret(ret);
		} else {
			spawn(loop, 7, a, b);
		}
		break;
	case 16:
		if (st.posts[a % 4].fn)
			break;	/* a node is not reused: it may be queued */
		st.posts[a % 4].fn = post_fn;
		ret = iou_loop_post(loop, &st.posts[a % 4]);
		check_ret(ret);
		break;
	case 17:
		fd = st.sv[a & 1][b & 1];
		ret = (a & 2) ? iou_fd_unregister(loop, fd) :
				iou_fd_register(loop, fd);
		check_ret(ret);
		break;
	case 18:
		shutdown(st.sv[a & 1][1], SHUT_WR);
		break;
	default:
		spawn(loop, 8, a, b);
		break;
	}
}

static int controller(struct iou_fiber *self, void *arg)
{
	size_t i;
	unsigned j;
	int ret, status;

	(void)arg;
	for (i = 0; i + 3 <= st.script_len && i < 3 * MAX_STEPS; i += 3)
		step(self, st.script[i], st.script[i + 1], st.script[i + 2]);
	/*
	 * Release every worker, even one whose op lost its timeout: close
	 * the channel, end the streams and the pipe.
	 */
	iou_chan_close(&st.chan);
	shutdown(st.sv[0][1], SHUT_WR);
	shutdown(st.sv[1][1], SHUT_WR);
	/* EOF for every pipe reader, even one stuck in an io-wq worker. */
	close(st.pipefd[1]);
	st.pipefd[1] = -1;
	for (j = 0; j < st.nworkers; j++) {
		if (!st.workers[j].handle)
			continue;
		ret = iou_join(self, st.workers[j].handle, &status);
		/* -ECANCELED: the loop stops; the fiber was detached. */
		CHECK(ret == 0 || ret == -ECANCELED);
		if (!ret)
			check_ret(status);
		st.workers[j].handle = NULL;
	}
	return 0;
}

/*
 * The periodic signal: a handler that does nothing, installed without
 * SA_RESTART, so blocking syscalls return -EINTR.
 */
#define TICK_SIG (SIGRTMIN + 4)

static timer_t ticker;

static void tick(int sig)
{
	(void)sig;
}

static void ticker_init(void)
{
	struct sigaction sa;
	struct sigevent sev;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tick;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(TICK_SIG, &sa, NULL) == 0);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = TICK_SIG;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &ticker) == 0);
}

static void ticker_set(int on)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (on) {
		its.it_value.tv_nsec = 20 * MS;
		its.it_interval.tv_nsec = 20 * MS;
	}
	CHECK(timer_settime(ticker, 0, &its, NULL) == 0);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ticker_ready;
	struct iou_loop_opts opts;
	struct leak_mark mark;
	uint64_t start;
	int ret, i;

	if (size < 1)
		return 0;
	if (!ticker_ready) {
		ticker_init();
		lossy = getenv("IOU_FUZZ_LOOP_LOSSY") &&
			*getenv("IOU_FUZZ_LOOP_LOSSY") == '1';
		ticker_ready = 1;
	}
	iou__fault_reset();
	leak_mark(&mark);
	memset(&st, 0, sizeof(st));
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, st.sv[0]) == 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, st.sv[1]) == 0);
	CHECK(pipe2(st.pipefd, O_CLOEXEC) == 0);
	CHECK(iou_chan_init(&st.chan, st.chan_buf, sizeof(int), 2) == 0);
	iou_mutex_init(&st.mutex);
	st.script = data + 1;
	st.script_len = size - 1;

	memset(&opts, 0, sizeof(opts));
	opts.backend = (data[0] & 1) ? IOU_BACKEND_EPOLL : IOU_BACKEND_URING;
	opts.flags = IOU_LOOP_NO_ENV | IOU_LOOP_NO_FALLBACK;
	opts.entries = 4U << ((data[0] >> 1) & 3);
	opts.trace = trace;
	ret = iou_loop_create(&st.loop, &opts);
	if (ret) {
		/* io_uring refused for now (kernel.io_uring_disabled set by
		   a test elsewhere): the epoll backend never is. */
		CHECK(ret == -EPERM && opts.backend == IOU_BACKEND_URING);
		goto out;
	}
	st.uring = iou_loop_backend(st.loop) == IOU_BACKEND_URING;
	if (data[0] & 8)
		for (i = 0; i < 2; i++)
			check_ret(iou_fd_register(st.loop, st.sv[i][0]));
	CHECK(iou_spawn(st.loop, controller, NULL, 0, NULL) == 0);

	ticker_set(1);
	start = now_ms();
	ret = iou_loop_run(st.loop);
	ticker_set(0);
	/* Bounded: a failed backend drains for a second at most. */
	CHECK(now_ms() - start < 8000);
	CHECK(ret <= 0 && ret >= -4095);

	/* Teardown is not under test here: it gets honest syscalls. */
	iou__fault_reset();
	iou_loop_destroy(st.loop);
out:
	for (i = 0; i < 2; i++) {
		close(st.sv[i][0]);
		close(st.sv[i][1]);
	}
	close(st.pipefd[0]);
	if (st.pipefd[1] >= 0)
		close(st.pipefd[1]);
	/* Streams of abandoned fibers too: iou_loop_destroy() frees them. */
	leak_check(&mark);
	return 0;
}
