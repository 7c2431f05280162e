/* SPDX-License-Identifier: MIT */
/* The plumbing declared in loop_fast.h, compiled once into iou_testutil. */
#include "loop_fast.h"

#include <sys/wait.h>
#include <unistd.h>

unsigned short lport;
struct iou_trace_event tev[8192];
unsigned ntev, bad_trace_arg;
int trace_cookie;
const struct iou_loop_opts traced = { .trace = record,
				      .trace_arg = &trace_cookie };

struct iou_loop_stats now_stats(void)
{
	struct iou_loop_stats s;

	iou_loop_stats(t_loop, &s);
	return s;
}

int64_t ms_since(int64_t t0)
{
	return (t_now_ns() - t0) / 1000000;
}

/* A fiber's exit status after joining it (-999: the join failed). */
int joined(struct iou_fiber *self, struct iou_fiber *f)
{
	int st = -999;

	return iou_join(self, f, &st) ? -999 : st;
}

void record(void *arg, const struct iou_trace_event *ev)
{
	if (arg != &trace_cookie)
		bad_trace_arg++;
	if (ntev < sizeof(tev) / sizeof(tev[0]))
		tev[ntev] = *ev;
	ntev++;
}

void t_fast_run(iou_fiber_fn fn, const struct iou_loop_opts *o, int with)
{
	int fds[2] = { -1, -1 };

	if (with == LISTENER)
		fds[0] = t_listener(&lport);
	else if (with == PAIR)
		t_tcp_pair(fds);
	ntev = 0;
	assert_int_equal(t_loop_run_opts(fn, fds, o), 0);
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
}

/* The @nth event of @kind from @from, with @ud (any: ~0), or -1. */
int find_ev(unsigned from, unsigned kind, uint64_t ud, unsigned nth)
{
	unsigned i;

	for (i = from; i < ntev; i++)
		if (tev[i].kind == kind &&
		    (ud == ~0ULL || tev[i].user_data == ud) && !nth--)
			return (int)i;
	return -1;
}

/* How many events of @kind from @from, with @opcode (any: ~0U). */
unsigned count_ev(unsigned from, unsigned kind, unsigned opcode)
{
	unsigned i, n = 0;

	for (i = from; i < ntev; i++)
		n += tev[i].kind == kind &&
		     (opcode == ~0U || tev[i].opcode == opcode);
	return n;
}

/* fn(arg) in a child, a 1 s alarm against a hang: exit code, or 128 + sig. */
int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		alarm(1);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
