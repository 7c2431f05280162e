/* SPDX-License-Identifier: MIT */
/*
 * Baseline: two glibc ucontexts handing the CPU to each other with
 * swapcontext(), the portable way (it saves and restores the signal mask,
 * one syscall per switch).
 *
 *   ucontext-switch --ops N   -> ns_per_switch=X
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

static ucontext_t a, b;
static long switches;

static void other(void)
{
	for (;;) {
		switches++;
		swapcontext(&b, &a);
	}
}

int main(int argc, char **argv)
{
	long ops = argc > 2 ? atol(argv[2]) : 1000000;
	static char stack[64 * 1024];
	struct timespec t0, t1;
	double ns;

	getcontext(&b);
	b.uc_stack.ss_sp = stack;
	b.uc_stack.ss_size = sizeof(stack);
	b.uc_link = &a;
	makecontext(&b, other, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Every swapcontext() is one switch, counted on both sides. */
	while (switches < ops) {
		switches++;
		swapcontext(&a, &b);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	     (double)(t1.tv_nsec - t0.tv_nsec);
	printf("bench=switch impl=ucontext ops=%ld ns=%.0f ns_per_switch=%.2f\n",
	       switches, ns, ns / (double)switches);
	return 0;
}
