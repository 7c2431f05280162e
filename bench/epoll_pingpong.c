/* SPDX-License-Identifier: MIT */
/*
 * Baseline of iou-bench pingpong: the same exchange (one byte back and
 * forth over a socketpair, N round trips) as a plain epoll loop with
 * nonblocking sockets and callbacks instead of fibers.
 *
 *   epoll-pingpong --ops N  -> ns_per_roundtrip=X
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long ops = argc > 2 ? atol(argv[2]) : 200000, done = 0;
	struct epoll_event ev, evs[2];
	struct timespec t0, t1;
	int sv[2], ep, n, i;
	double ns;
	char c = 'x';

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv))
		return 1;
	ep = epoll_create1(0);
	for (i = 0; i < 2; i++) {
		ev.events = EPOLLIN;
		ev.data.u32 = (unsigned)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, sv[i], &ev);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (send(sv[0], &c, 1, 0) != 1)
		return 1;
	while (done < ops) {
		n = epoll_wait(ep, evs, 2, -1);
		for (i = 0; i < n; i++) {
			int side = (int)evs[i].data.u32;

			if (recv(sv[side], &c, 1, 0) != 1)
				continue;
			/* Side 0 got the echo: one round trip done. */
			if (side == 0 && ++done == ops)
				break;
			if (send(sv[side], &c, 1, 0) != 1)
				return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 +
	     (double)(t1.tv_nsec - t0.tv_nsec);
	printf("bench=pingpong impl=epoll ops=%ld ns=%.0f ns_per_roundtrip=%.0f\n",
	       ops, ns, ns / (double)ops);
	return 0;
}
