/* SPDX-License-Identifier: MIT */
/*
 * The load client every echo server is measured with: C connections on
 * loopback, each sending a MSG-byte message and waiting for its echo, R
 * round trips per connection, all connections at once, one epoll loop
 * (pin it to another core than the server).  Checks every echoed byte.
 *
 *   echo-client --port P [--conns 1000] [--rounds 100] [--size 64]
 *		 [--hold S]
 *   -> rtt_per_sec=X (round trips completed per second, all connections)
 *
 * With --hold, the connections stay open, idle, for S seconds after their
 * round trips (a "held" line says when): what bench/run measures a
 * server's memory per idle connection with.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"
#include "opt.h"

struct conn {
	int fd;
	int got;	/* bytes of the current echo received */
	long left;	/* round trips still to do */
};

int main(int argc, char **argv)
{
	int port = atoi(opt(argc, argv, "--port", "9000"));
	int nconns = atoi(opt(argc, argv, "--conns", "1000"));
	long rounds = atol(opt(argc, argv, "--rounds", "100"));
	int size = atoi(opt(argc, argv, "--size", "64"));
	int hold = atoi(opt(argc, argv, "--hold", "0"));
	struct epoll_event ev, evs[512];
	char msg[4096], buf[4096];
	struct conn *conns;
	long total = 0, open_conns;
	double t0, t;
	int i, n;
	ssize_t r;

	if (size < 1 || size > (int)sizeof(msg) || nconns < 1)
		return 2;
	raise_nofile();
	memset(msg, 'e', sizeof(msg));
	conns = calloc((size_t)nconns, sizeof(*conns));
	int ep = epoll_create1(0);
	/* Connect everyone first: not what is timed. */
	for (i = 0; i < nconns; i++) {
		conns[i].fd = connect_loopback(port);
		if (conns[i].fd < 0)
			return 1;
		conns[i].left = rounds;
		ev.events = EPOLLIN;
		ev.data.u32 = (unsigned)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
	}
	t0 = now();
	for (i = 0; i < nconns; i++)
		if (send(conns[i].fd, msg, (size_t)size, 0) != size)
			return 1;
	open_conns = nconns;
	while (open_conns) {
		n = epoll_wait(ep, evs, 512, 10000);
		if (n <= 0) {
			fprintf(stderr, "echo-client: stalled\n");
			return 1;
		}
		for (i = 0; i < n; i++) {
			struct conn *c = &conns[evs[i].data.u32];

			r = recv(c->fd, buf, (size_t)(size - c->got), 0);
			if (r <= 0 || memcmp(buf, msg, (size_t)r)) {
				fprintf(stderr, "echo-client: bad echo\n");
				return 1;
			}
			c->got += (int)r;
			if (c->got < size)
				continue;
			c->got = 0;
			total++;
			if (--c->left == 0) {
				open_conns--;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				continue;
			}
			if (send(c->fd, msg, (size_t)size, 0) != size)
				return 1;
		}
	}
	t = now() - t0;
	if (hold > 0) {
		printf("held conns=%d\n", nconns);
		fflush(stdout);
		sleep((unsigned)hold);
	}
	for (i = 0; i < nconns; i++)
		close(conns[i].fd);
	printf("bench=echo conns=%d rounds=%ld size=%d round_trips=%ld "
	       "sec=%.3f rtt_per_sec=%.0f\n",
	       nconns, rounds, size, total, t, (double)total / t);
	return 0;
}
