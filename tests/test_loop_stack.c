/* SPDX-License-Identifier: MIT */
/*
 * Fiber stacks: the guard region below each stack (its size, an option),
 * the pool that recycles stacks, and the overflow report of
 * iou_stack_overflow_handler_install().  An overflow runs in a forked
 * child, which must die of SIGSEGV after one report line on its stderr:
 * a child that exits instead means the overflow went unnoticed (exit
 * code CHILD_UNNOTICED, or CHILD_CANARY_HIT when it overwrote the stack
 * of the fiber mapped below).  Runs once per backend.
 */
#include "looputil.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_ASAN 1
#endif
#endif

#define KIB 1024UL
#define STACK (64 * KIB)
#define DEFAULT_GUARD (256 * KIB)

/* How a child that did not die ended. */
enum {
	CHILD_NO_LOOP = 2,	/* no loop here: skip */
	CHILD_NO_HANDLER = 3,	/* the install failed */
	CHILD_SETUP = 4,	/* the scenario could not be set up */
	CHILD_UNNOTICED = 10,	/* the overflow returned; neighbour intact */
	CHILD_CANARY_HIT = 11,	/* ... and the neighbour's stack was hit */
	CHILD_PREV_HANDLER = 42,	/* the previous handler ran */
};

/*
 * Tests whose child must die of SIGSEGV by the default action: under ASan
 * its own handler stays (it intercepts the child's signal(SIG_DFL)), and
 * it reports the fault and exits 1 instead.
 */
#ifdef T_ASAN
#define T_NEED_DEFAULT_SIGSEGV()                                               \
	t_skip("ASan keeps its own SIGSEGV handler (it reports, then exits 1)")
#else
#define T_NEED_DEFAULT_SIGSEGV() ((void)0)
#endif

struct child {
	int status;
	char err[8192];		/* its stderr */
};

/*
 * Run @body(@arg) in a child with its stderr captured, no core dump, the
 * default action for SIGSEGV/SIGBUS (not cmocka's handler), and 30 s to
 * finish.  The child's exit status is @body's return value.
 */
static void in_child(int (*body)(void *), void *arg, struct child *c)
{
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int p[2];

	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		close(p[0]);
		dup2(p[1], 2);
		close(p[1]);
		setrlimit(RLIMIT_CORE, &no_core);
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		alarm(30);
		_exit(body(arg));
	}
	close(p[1]);
	while ((n = read(p[0], c->err + len, sizeof(c->err) - 1 - len)) > 0)
		len += (size_t)n;
	c->err[len] = 0;
	close(p[0]);
	assert_int_equal(waitpid(pid, &c->status, 0), pid);
	if (WIFEXITED(c->status) && WEXITSTATUS(c->status) == CHILD_NO_LOOP)
		t_skip("no loop in the child");
}

static void expect_sigsegv(const struct child *c)
{
	if (WIFEXITED(c->status))
		fail_msg("child exited %d, not killed by SIGSEGV (%s); "
			 "stderr: %s",
			 WEXITSTATUS(c->status),
			 WEXITSTATUS(c->status) == CHILD_CANARY_HIT ?
				 "the overflow overwrote its neighbour" :
			 WEXITSTATUS(c->status) == CHILD_UNNOTICED ?
				 "the overflow went unnoticed" :
				 "see the exit codes at the top",
			 c->err);
	assert_true(WIFSIGNALED(c->status));
	if (WTERMSIG(c->status) != SIGSEGV)
		fail_msg("child killed by signal %d, not SIGSEGV; stderr: %s",
			 WTERMSIG(c->status), c->err);
}

/* One report line, parsed. */
struct report {
	unsigned long long id, fiber, bottom, top, stack_bytes;
	unsigned long long guard_lo, guard_hi, guard_bytes, addr;
	char sig[8];
};

#define REPORT_HEAD "iou: fiber stack overflow: "

/*
 * The child died of SIGSEGV after exactly one report, which names fiber
 * @id, a guard of @guard bytes directly below a stack of at least @stack
 * bytes, and a fault address inside that guard.
 */
static void expect_report(const struct child *c, uint64_t id, size_t guard,
			  size_t stack, struct report *r)
{
	const char *line = strstr(c->err, REPORT_HEAD);

	expect_sigsegv(c);
	if (!line)
		fail_msg("no report on stderr: \"%s\"", c->err);
	assert_null(strstr(line + 1, REPORT_HEAD));
	assert_int_equal(sscanf(line,
				REPORT_HEAD "fiber %llu (%llx) stack %llx-%llx "
					    "(%llu bytes), guard %llx-%llx "
					    "(%llu bytes), %7s at %llx",
				&r->id, &r->fiber, &r->bottom, &r->top,
				&r->stack_bytes, &r->guard_lo, &r->guard_hi,
				&r->guard_bytes, r->sig, &r->addr),
			 10);
	assert_int_equal(r->id, id);
	assert_string_equal(r->sig, "SIGSEGV");
	assert_int_equal(r->guard_hi, r->bottom);
	assert_int_equal(r->guard_hi - r->guard_lo, r->guard_bytes);
	assert_int_equal(r->guard_bytes, guard);
	assert_int_equal(r->top - r->bottom, r->stack_bytes);
	assert_true(r->stack_bytes >= stack);
	/* The handle sits just above the stack. */
	assert_true(r->fiber >= r->top && r->fiber < r->top + 4096);
	assert_true(r->addr >= r->guard_lo && r->addr < r->guard_hi);
}

static void escape(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/*
 * A frame of @bytes bytes whose lowest 56 words are written first, as in
 * issue 17: on a 64 KiB stack a 100 KB frame ends far below the stack,
 * where a one-page guard let it write into the neighbour's.
 */
static __attribute__((noinline)) int big_frame(size_t bytes)
{
	char buf[bytes];
	volatile char *v = buf;
	unsigned i;

	for (i = 0; i < 56 * 8; i++)
		v[i] = 0x5a;
	escape(buf);
	return v[0];
}

/* Yield first, so that the neighbour below has laid its canary. */
static int overflow_big(struct iou_fiber *self, void *arg)
{
	iou_yield(self);
	return big_frame((size_t)arg);
}

#define CANARY_BYTES (40 * KIB)

/* Fill the top of our stack, let the others run, check it is intact. */
static int neighbour(struct iou_fiber *self, void *arg)
{
	volatile unsigned char canary[CANARY_BYTES];
	int *intact = arg;
	unsigned i;

	for (i = 0; i < CANARY_BYTES; i++)
		canary[i] = (unsigned char)(i * 7 + 1);
	iou_yield(self);
	iou_yield(self);
	for (i = 0; i < CANARY_BYTES; i++)
		if (canary[i] != (unsigned char)(i * 7 + 1))
			*intact = 0;
	return 0;
}

struct big_case {
	size_t frame;
	unsigned guard_size;	/* the loop option */
	int install;		/* the overflow handler */
};

/* The overflowing fiber first (fiber 1), the neighbour mapped below it. */
static int child_big_frame(void *arg)
{
	const struct big_case *bc = arg;
	struct iou_loop_opts o = { .guard_size = bc->guard_size };
	struct iou_loop *loop;
	int intact = 1;

	if (bc->install && iou_stack_overflow_handler_install())
		return CHILD_NO_HANDLER;
	if (iou_loop_create(&loop, &o))
		return CHILD_NO_LOOP;
	if (iou_spawn(loop, overflow_big, (void *)bc->frame, STACK, NULL) ||
	    iou_spawn(loop, neighbour, &intact, STACK, NULL))
		return CHILD_SETUP;
	iou_loop_run(loop);
	return intact ? CHILD_UNNOTICED : CHILD_CANARY_HIT;
}

/*
 * A 100 KB frame on a 64 KiB stack ends in the guard, not next door: the
 * child dies of SIGSEGV, silently without the handler.
 */
static void test_loop_stack_large_frame_hits_guard(void **state)
{
	struct big_case bc = { 100 * 1000, 0, 0 };
	struct child c;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	in_child(child_big_frame, &bc, &c);
	expect_sigsegv(&c);
	assert_null(strstr(c.err, REPORT_HEAD));
}

/* ... and with the handler, after a report that names the fiber. */
static void test_loop_stack_large_frame_reported(void **state)
{
	struct big_case bc = { 100 * 1000, 0, 1 };
	struct child c;
	struct report r;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	in_child(child_big_frame, &bc, &c);
	expect_report(&c, 1, DEFAULT_GUARD, STACK, &r);
}

static int child_deep(void *arg)
{
	struct iou_loop *loop;
	int intact = 1;

	(void)arg;
	if (iou_stack_overflow_handler_install())
		return CHILD_NO_HANDLER;
	if (iou_loop_create(&loop, NULL))
		return CHILD_NO_LOOP;
	if (iou_spawn(loop, t_fiber_recurse, NULL, STACK, NULL) ||
	    iou_spawn(loop, neighbour, &intact, STACK, NULL))
		return CHILD_SETUP;
	iou_loop_run(loop);
	return intact ? CHILD_UNNOTICED : CHILD_CANARY_HIT;
}

/*
 * Recursion until the stack is used up: the stack pointer itself is in
 * the guard, so the handler can only run on the alternate stack.
 */
static void test_loop_stack_deep_recursion_reported(void **state)
{
	struct child c;
	struct report r;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	in_child(child_deep, NULL, &c);
	expect_report(&c, 1, DEFAULT_GUARD, STACK, &r);
	/* Running off the end, it faults near the guard's top. */
	assert_true(r.guard_hi - r.addr <= 4096);
}

/* A 512 KiB frame jumps the default guard; a 1 MiB guard holds it. */
static void test_loop_stack_guard_size_option_reported(void **state)
{
	struct big_case bc = { 512 * KIB, 1024 * KIB, 1 };
	struct child c;
	struct report r;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	in_child(child_big_frame, &bc, &c);
	expect_report(&c, 1, 1024 * KIB, STACK, &r);
}

static int ret_zero(struct iou_fiber *self, void *arg)
{
	(void)self;
	(void)arg;
	return 0;
}

/*
 * A stack made before the install, pooled, then reused: it joins the
 * handler's table at its reuse, under the new fiber's number.
 */
static int child_reused(void *arg)
{
	struct iou_fiber *first, *again;
	struct iou_loop *loop;

	(void)arg;
	if (iou_loop_create(&loop, NULL))
		return CHILD_NO_LOOP;
	if (iou_spawn(loop, ret_zero, NULL, 0, &first) || iou_loop_run(loop))
		return CHILD_SETUP;
	iou_detach(first);	/* finished: its stack goes to the pool */
	if (iou_stack_overflow_handler_install())
		return CHILD_NO_HANDLER;
	if (iou_spawn(loop, t_fiber_recurse, NULL, 0, &again) || again != first)
		return CHILD_SETUP;
	iou_loop_run(loop);
	return CHILD_UNNOTICED;
}

static void test_loop_stack_reused_stack_reported(void **state)
{
	struct child c;
	struct report r;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	in_child(child_reused, NULL, &c);
	expect_report(&c, 2, DEFAULT_GUARD, STACK, &r);
}

/* Spawn and join fibers of a size the pool does not keep, for ever. */
static int churn(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f;

	(void)arg;
	for (;;) {
		if (iou_spawn(iou_fiber_loop(self), ret_zero, NULL, 2 * STACK,
			      &f) ||
		    iou_join(self, f, NULL))
			return -1;
	}
}

/* A thread of its own, with its own alternate stack, overflows. */
static void *overflow_thread(void *arg)
{
	struct iou_loop *loop;

	(void)arg;
	usleep(20 * 1000);
	if (iou_stack_overflow_handler_install() ||
	    iou_loop_create(&loop, NULL) ||
	    iou_spawn(loop, t_fiber_recurse, NULL, STACK, NULL))
		_exit(CHILD_SETUP);
	iou_loop_run(loop);
	_exit(CHILD_UNNOTICED);
}

static int child_threads(void *arg)
{
	struct iou_loop *loop;
	pthread_t th;

	(void)arg;
	if (iou_stack_overflow_handler_install())
		return CHILD_NO_HANDLER;
	if (iou_loop_create(&loop, NULL))
		return CHILD_NO_LOOP;
	if (iou_spawn(loop, churn, NULL, 0, NULL) ||
	    pthread_create(&th, NULL, overflow_thread, NULL))
		return CHILD_SETUP;
	iou_loop_run(loop);
	return CHILD_SETUP;
}

/*
 * While one thread's loop adds and removes guard regions all the time,
 * another thread's fiber overflows: the report still finds its guard.
 */
static void test_loop_stack_overflow_on_another_thread(void **state)
{
	struct child c;
	struct report r;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	if (T_ON_VALGRIND)
		t_skip("under valgrind the overflow of the second thread "
		       "is never delivered (the child hangs until its alarm)");
	in_child(child_threads, NULL, &c);
	expect_report(&c, 1, DEFAULT_GUARD, STACK, &r);
}

static void prev_handler(int sig, siginfo_t *si, void *uc)
{
	static const char msg[] = "previous handler\n";

	(void)sig;
	(void)si;
	(void)uc;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(CHILD_PREV_HANDLER);
}

static int wild_write(struct iou_fiber *self, void *arg)
{
	(void)self;
	*(volatile int *)arg = 1;
	return 0;
}

struct fault_case {
	int prev;	/* 0: the default action, 1: prev_handler */
	int deep;	/* overflow the stack instead of a wild write */
};

static int child_fault(void *arg)
{
	const struct fault_case *fc = arg;
	struct iou_loop *loop;
	struct sigaction sa;

	if (fc->prev) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = prev_handler;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGSEGV, &sa, NULL))
			return CHILD_SETUP;
	}
	/* Twice: the second call must not save ours as the previous one. */
	if (iou_stack_overflow_handler_install() ||
	    iou_stack_overflow_handler_install())
		return CHILD_NO_HANDLER;
	if (iou_loop_create(&loop, NULL))
		return CHILD_NO_LOOP;
	if (iou_spawn(loop, fc->deep ? t_fiber_recurse : wild_write, (void *)16,
		      STACK, NULL))
		return CHILD_SETUP;
	iou_loop_run(loop);
	return CHILD_UNNOTICED;
}

/* A fault outside every guard meets the default action, with no report. */
static void test_loop_stack_other_fault_default_action(void **state)
{
	struct fault_case fc = { 0, 0 };
	struct child c;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	in_child(child_fault, &fc, &c);
	expect_sigsegv(&c);
	assert_null(strstr(c.err, REPORT_HEAD));
}

/* ... or the handler that was there before, with no report either. */
static void test_loop_stack_other_fault_previous_handler(void **state)
{
	struct fault_case fc = { 1, 0 };
	struct child c;

	(void)state;
	if (T_ON_VALGRIND)
		t_skip("valgrind reports the deliberate wild write as an error "
		       "before a handler runs");
	in_child(child_fault, &fc, &c);
	assert_true(WIFEXITED(c.status));
	assert_int_equal(WEXITSTATUS(c.status), CHILD_PREV_HANDLER);
	assert_string_equal(c.err, "previous handler\n");
}

/* An overflow is reported, then the previous handler takes the fault. */
static void test_loop_stack_overflow_then_previous_handler(void **state)
{
	struct fault_case fc = { 1, 1 };
	struct child c;
	const char *line;

	(void)state;
	in_child(child_fault, &fc, &c);
	assert_true(WIFEXITED(c.status));
	assert_int_equal(WEXITSTATUS(c.status), CHILD_PREV_HANDLER);
	line = strstr(c.err, REPORT_HEAD "fiber 1 ");
	assert_non_null(line);
	assert_non_null(strstr(line, "\nprevious handler\n"));
}

/* SIGSEGV sent by a process: still deadly by default, still ignorable. */
static int child_sent(void *arg)
{
	int ignore = (int)(intptr_t)arg;

	if (ignore)
		signal(SIGSEGV, SIG_IGN);
	if (iou_stack_overflow_handler_install())
		return CHILD_NO_HANDLER;
	kill(getpid(), SIGSEGV);
	return CHILD_UNNOTICED;
}

static void test_loop_stack_sent_signal_unchanged(void **state)
{
	struct child c;

	(void)state;
	T_NEED_DEFAULT_SIGSEGV();
	in_child(child_sent, (void *)0, &c);
	expect_sigsegv(&c);
	assert_null(strstr(c.err, REPORT_HEAD));
	in_child(child_sent, (void *)1, &c);
	assert_true(WIFEXITED(c.status));
	assert_int_equal(WEXITSTATUS(c.status), CHILD_UNNOTICED);
}

/*
 * The mapping below the one holding @p (the fiber's stack) must be an
 * inaccessible region of @guard bytes.  Returns 0, or -1 after a check
 * failed (recorded by FCHECK).
 */
static int check_guard_below(const void *p, size_t guard)
{
	unsigned long lo, hi, stack_lo = 0, below_lo = 0;
	char perms[8], line[512], stack_perms[8] = "", below_perms[8] = "";
	FILE *maps;

	maps = fopen("/proc/self/maps", "r");
	FCHECK(maps != NULL);
	while (fgets(line, sizeof(line), maps))
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
		    (uintptr_t)p >= lo && (uintptr_t)p < hi) {
			strcpy(stack_perms, perms);
			stack_lo = lo;
		}
	rewind(maps);
	while (stack_lo && fgets(line, sizeof(line), maps))
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
		    hi == stack_lo) {
			strcpy(below_perms, perms);
			below_lo = lo;
		}
	fclose(maps);
	FCHECK(!strcmp(stack_perms, "rw-p"));
	FCHECK(!strcmp(below_perms, "---p"));
	FCHECK_EQ(stack_lo - below_lo, guard);
	return 0;
}

static int look_below(struct iou_fiber *self, void *arg)
{
	(void)self;
	return check_guard_below(__builtin_frame_address(0), *(size_t *)arg);
}

struct guard_case {
	size_t want;
	size_t stack;	/* for the fibers that look */
};

static int guard_main(struct iou_fiber *self, void *arg)
{
	struct guard_case *gc = arg;
	struct iou_fiber *f;
	int st, i;

	/* Twice: a new stack, then the same one from the pool. */
	for (i = 0; i < 2; i++) {
		FCHECK_EQ(iou_spawn(t_loop, look_below, &gc->want, gc->stack,
				    &f),
			  0);
		FCHECK_EQ(iou_join(self, f, &st), 0);
		FCHECK_EQ(st, 0);
	}
	return 0;
}

/*
 * The guard under each stack is the option's size rounded up to pages,
 * 256 KiB by default, on new and reused stacks alike.
 */
static void test_loop_stack_guard_size(void **state)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct iou_loop_opts o = { .guard_size = (unsigned)(3 * page + 1) };
	struct guard_case gc = { DEFAULT_GUARD, 0 };

	(void)state;
	assert_int_equal(t_loop_run(guard_main, &gc), 0);
	gc.want = 4 * page;
	assert_int_equal(t_loop_run_opts(guard_main, &gc, &o), 0);
	/* A stack of its own size (not pooled) gets the loop's guard too. */
	gc.stack = 3 * STACK;
	assert_int_equal(t_loop_run_opts(guard_main, &gc, &o), 0);
}

static int pool_main(struct iou_fiber *self, void *arg)
{
	struct iou_fiber *f, *first = NULL;
	uint64_t id = iou_fiber_id(self);
	int i;

	(void)arg;
	FCHECK_EQ(id, 1);
	for (i = 0; i < 100; i++) {
		FCHECK_EQ(iou_spawn(t_loop, ret_zero, NULL, 0, &f), 0);
		if (!first)
			first = f;
		/* The one pooled stack, every time, under a new number. */
		FCHECK(f == first);
		FCHECK_EQ(iou_fiber_id(f), ++id);
		FCHECK_EQ(iou_join(self, f, NULL), 0);
	}
	FCHECK_EQ(iou_fiber_id(NULL), 0);
	return 0;
}

/* Joined stacks of the default size are reused: no mapping per spawn. */
static void test_loop_stack_pool_reuses_stacks(void **state)
{
	int maps;

	(void)state;
	maps = t_count_maps();
	assert_int_equal(t_loop_run(pool_main, NULL), 0);
	assert_true(!T_MAPS_COUNTABLE || t_count_maps() <= maps + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_loop_stack_large_frame_hits_guard),
		T_TEST(test_loop_stack_large_frame_reported),
		T_TEST(test_loop_stack_deep_recursion_reported),
		T_TEST(test_loop_stack_guard_size_option_reported),
		T_TEST(test_loop_stack_reused_stack_reported),
		T_TEST(test_loop_stack_overflow_on_another_thread),
		T_TEST(test_loop_stack_other_fault_default_action),
		T_TEST(test_loop_stack_other_fault_previous_handler),
		T_TEST(test_loop_stack_overflow_then_previous_handler),
		T_TEST(test_loop_stack_sent_signal_unchanged),
		T_TEST(test_loop_stack_guard_size),
		T_TEST(test_loop_stack_pool_reuses_stacks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
