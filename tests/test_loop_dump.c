/* SPDX-License-Identifier: MIT */
/*
 * iou_loop_dump() and the dump signal, on a real loop (once per backend):
 * a fiber stuck on an fd closed with close(2) is named with its op and
 * fd; the signal makes a loop blocked in the kernel wake up and dump,
 * with the time each fiber has waited.
 */
#include "looputil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ULL

/* What a dump wrote into the non-blocking pipe @fd, NUL-terminated. */
static void slurp(int fd, char *text, size_t cap)
{
	size_t n = 0;
	ssize_t got;

	while (n + 1 < cap && (got = read(fd, text + n, cap - 1 - n)) > 0)
		n += (size_t)got;
	text[n] = 0;
}

static int stuck_fd;

static int reader(struct iou_fiber *self, void *arg)
{
	char c;

	(void)arg;
	return iou_read(self, stuck_fd, &c, 1, IOU_POS, 0);
}

static int closed_fd_main(struct iou_fiber *self, void *arg)
{
	char text[4096], want[128];
	struct iou_fiber *f;
	int p[2], out[2], status;

	(void)arg;
	FCHECK_EQ(pipe(p), 0);
	stuck_fd = p[0];
	FCHECK_EQ(iou_spawn(t_loop, reader, NULL, 0, &f), 0);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	/* The mistake: close(2) under a read.  The read stays in flight. */
	FCHECK_EQ(close(p[0]), 0);
	FCHECK_EQ(iou_sleep(self, 5 * MS), 0);
	FCHECK_EQ(pipe2(out, O_NONBLOCK), 0);
	FCHECK_EQ(iou_loop_dump(t_loop, out[1]), 0);
	slurp(out[0], text, sizeof(text));
	FCHECK(strstr(text, "iou loop ") == text);
	FCHECK(strstr(text, iou_loop_backend(t_loop) == IOU_BACKEND_EPOLL ?
				    ": epoll, " : ": io_uring, "));
	snprintf(want, sizeof(want), "fiber %llu (%p): waits on read fd %d\n",
		 (unsigned long long)iou_fiber_id(f), (void *)f, stuck_fd);
	FCHECK(strstr(text, want));
	snprintf(want, sizeof(want), "fiber %llu (%p): running",
		 (unsigned long long)iou_fiber_id(self), (void *)self);
	FCHECK(strstr(text, want));
	/* Waits are not timed unless asked for. */
	FCHECK(!strstr(text, ", for "));
	/* The way out: cancel the read (iou_close() would have done it). */
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_join(self, f, &status), 0);
	FCHECK_EQ(status, -ECANCELED);
	FCHECK_EQ(iou_loop_dump(t_loop, -1), -EBADF);
	close(p[1]);
	close(out[0]);
	close(out[1]);
	return 0;
}

static void test_loop_dump_names_fiber_on_closed_fd(void **state)
{
	(void)state;
	assert_int_equal(t_loop_run(closed_fd_main, NULL), 0);
}

/* The dump signal: sent by another thread while the loop is blocked. */
struct sig_run {
	pthread_t loop_thread;
	int out[2];
	long long got_ms;	/* when the dump arrived, -1: never */
	char text[4096];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *sender(void *arg)
{
	struct sig_run *r = arg;
	struct pollfd pfd = { .fd = r->out[0], .events = POLLIN };
	long long t0;

	usleep(100 * 1000);
	t0 = now_ms();
	pthread_kill(r->loop_thread, SIGUSR1);
	r->got_ms = poll(&pfd, 1, 2000) == 1 ? now_ms() - t0 : -1;
	usleep(20 * 1000);	/* the rest of the dump */
	slurp(r->out[0], r->text, sizeof(r->text));
	return NULL;
}

static int napper(struct iou_fiber *self, void *arg)
{
	(void)arg;
	return iou_sleep(self, 1000 * MS);
}

static int signal_main(struct iou_fiber *self, void *arg)
{
	struct sig_run *r = arg;
	struct iou_fiber *f;
	pthread_t t;

	FCHECK_EQ(iou_loop_dump_signal(t_loop, 0, -1), 0);
	FCHECK_EQ(iou_loop_dump_signal(t_loop, SIGKILL, 2), -EINVAL);
	FCHECK_EQ(iou_loop_dump_signal(t_loop, 65, 2), -EINVAL);
	FCHECK_EQ(iou_loop_dump_signal(t_loop, SIGUSR1, r->out[1]), 0);
	FCHECK_EQ(iou_spawn(t_loop, napper, NULL, 0, &f), 0);
	FCHECK_EQ(pthread_create(&t, NULL, sender, r), 0);
	/* The loop blocks in the kernel: both fibers wait for time. */
	FCHECK_EQ(iou_sleep(self, 500 * MS), 0);
	FCHECK_EQ(pthread_join(t, NULL), 0);
	FCHECK_EQ(iou_loop_dump_signal(t_loop, 0, -1), 0);
	FCHECK_EQ(iou_cancel(f), 0);
	FCHECK_EQ(iou_join(self, f, NULL), 0);
	return 0;
}

/* The ms after ", for " on the line of fiber @id, or -1. */
static long waited_ms(const char *text, uint64_t id)
{
	char key[64];
	const char *line, *end, *p;

	snprintf(key, sizeof(key), "fiber %llu (", (unsigned long long)id);
	line = strstr(text, key);
	if (!line)
		return -1;
	end = strchr(line, '\n');
	p = strstr(line, ", for ");
	if (!p || (end && p > end))
		return -1;
	return strtol(p + 6, NULL, 10);
}

static void test_loop_dump_signal_wakes_blocked_loop(void **state)
{
	struct sig_run r = { .got_ms = -1 };
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	(void)state;
	r.loop_thread = pthread_self();
	assert_int_equal(pipe2(r.out, O_NONBLOCK), 0);
	assert_int_equal(t_loop_run(signal_main, &r), 0);
	sigaction(SIGUSR1, &dfl, NULL);
	/* Well before the sleeps end: the signal woke the loop. */
	assert_true(r.got_ms >= 0 && r.got_ms < 300);
	assert_non_null(strstr(r.text, "waits on sleep"));
	/* Fibers 1 (main) and 2 (napper) had waited about 100 ms. */
	assert_true(waited_ms(r.text, 1) >= 50);
	assert_true(waited_ms(r.text, 2) >= 50);
	assert_true(waited_ms(r.text, 2) < 1000);
	close(r.out[0]);
	close(r.out[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_dump_names_fiber_on_closed_fd),
		cmocka_unit_test(test_loop_dump_signal_wakes_blocked_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
