/* SPDX-License-Identifier: MIT */
/*
 * Baseline: a TCP echo server as a plain epoll loop (edge-triggered,
 * nonblocking sockets, one buffer per read, no read that is bound to say
 * EAGAIN), the way one would write it in C without a library.
 *
 *   epoll-echo --port P
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static void serve(int ep, int fd)
{
	char buf[4096];
	ssize_t n, w, off;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0) {
			for (off = 0; off < n; off += w) {
				w = send(fd, buf + off, (size_t)(n - off),
					 MSG_NOSIGNAL);
				if (w < 0) {
					if (errno != EAGAIN)
						goto drop;
					/* Rare with 64-byte echoes: wait. */
					w = 0;
					usleep(10);
				}
			}
			/*
			 * A short read emptied the socket, and with EPOLLET
			 * data arriving later raises a new event: no need
			 * for the read that would say EAGAIN.
			 */
			if (n < (ssize_t)sizeof(buf))
				return;
			continue;
		}
		if (n < 0 && errno == EAGAIN)
			return;
drop:
		epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
		return;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct epoll_event ev, evs[256];
	int lfd, ep, n, i, fd, one = 1;

	sa.sin_port = htons(argc > 2 ? (unsigned short)atoi(argv[2]) : 9000);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 4096)) {
		perror("listen");
		return 1;
	}
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		n = epoll_wait(ep, evs, 256, -1);
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd != lfd) {
				serve(ep, evs[i].data.fd);
				continue;
			}
			while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
					   sizeof(one));
				ev.events = EPOLLIN | EPOLLET;
				ev.data.fd = fd;
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
			}
		}
	}
}
