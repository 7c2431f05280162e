/* SPDX-License-Identifier: MIT */
/*
 * seccomp_run PROGRAM [ARGS...]: run PROGRAM where io_uring_setup fails
 * with EPERM, as under Docker's default seccomp profile.  The loop tests
 * run through it to show the epoll fallback is transparent.  Where no
 * seccomp filter can be installed (qemu-user answers EINVAL) it says so
 * and exits 77, which ctest counts as a skip.
 */
#include "deny_uring.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: seccomp_run PROGRAM [ARGS...]\n");
		return 2;
	}
	if (t_deny_io_uring_setup(EPERM)) {
		printf("SKIP: seccomp filters are not available here (%s)\n",
		       strerror(errno));
		return 77;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 2;
}
