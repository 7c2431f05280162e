/* SPDX-License-Identifier: MIT */
/*
 * SIGTERM stops examples/echo_server gracefully, and the port is free the
 * moment it exits: a second server started at once on the same port must
 * listen.  A server that simply died would leave its listening socket to
 * the kernel's background ring teardown, and the restart could get
 * EADDRINUSE (bench/run restarts the server every round).
 *
 *   echo_restart <path to echo_server>
 *
 * Each server gets three connections, each with one echo done and a recv
 * of the next one in flight when the signal arrives.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "echo_report.h"

#define NCONN 3

/* One echo over a fresh connection, left open; the fd or -1. */
static int connect_echo(unsigned short port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char out[64], in[64];
	ssize_t n;
	size_t got = 0;
	int fd;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto fail;
	memset(out, 'r', sizeof(out));
	if (send(fd, out, sizeof(out), MSG_NOSIGNAL) != (ssize_t)sizeof(out))
		goto fail;
	while (got < sizeof(in)) {
		n = recv(fd, in + got, sizeof(in) - got, 0);
		if (n <= 0)
			goto fail;
		got += (size_t)n;
	}
	if (memcmp(in, out, sizeof(in)))
		goto fail;
	return fd;
fail:
	perror("client");
	if (fd >= 0)
		close(fd);
	return -1;
}

/*
 * Start the server on @port (0: any), load it, SIGTERM it, check its exit
 * and report.  Returns the port it listened on, or 0 on failure.
 */
static unsigned short serve_and_stop(const char *server, unsigned short port)
{
	char arg[16], report[4096];
	int out[2], fds[NCONN], status, i, ok = 1;
	size_t len = 0;
	ssize_t n;
	long got;
	pid_t pid;

	snprintf(arg, sizeof(arg), "%u", port);
	if (pipe(out))
		return 0;
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execl(server, server, "--port", arg, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	/* The first line, "port=N backend=...", comes once it listens. */
	while (len < sizeof(report) - 1 && !memchr(report, '\n', len)) {
		n = read(out[0], report + len, sizeof(report) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	report[len] = 0;
	got = report_value(report, "port");
	if (got <= 0 || (port && got != port)) {
		fprintf(stderr, "server on port %u did not listen: %s\n", port,
			report);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(out[0]);
		return 0;
	}
	printf("server: %s", report);
	for (i = 0; i < NCONN; i++) {
		fds[i] = connect_echo((unsigned short)got);
		ok &= fds[i] >= 0;
	}
	kill(pid, SIGTERM);
	while (len < sizeof(report) - 1 &&
	       (n = read(out[0], report + len, sizeof(report) - 1 - len)) > 0)
		len += (size_t)n;
	report[len] = 0;
	close(out[0]);
	waitpid(pid, &status, 0);
	for (i = 0; i < NCONN; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	printf("server after SIGTERM: %s", strchr(report, '\n') + 1);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "server exit status %#x (a clean exit is 0)\n",
			status);
		return 0;
	}
	if (!ok || report_value(report, "served") != NCONN ||
	    report_value(report, "fds_leaked") != 0) {
		fprintf(stderr, "the server's report is wrong\n");
		return 0;
	}
	return (unsigned short)got;
}

int main(int argc, char **argv)
{
	unsigned short port;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <echo_server>\n", argv[0]);
		return 2;
	}
	alarm(60);
	port = serve_and_stop(argv[1], 0);
	if (!port)
		return 1;
	/* Straight away, on the same port. */
	if (serve_and_stop(argv[1], port) != port)
		return 1;
	printf("restarted on port %u\n", port);
	return 0;
}
