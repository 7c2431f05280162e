/* SPDX-License-Identifier: MIT */
/*
 * Load test of examples/echo_server: N concurrent loopback connections
 * (default 10,000), all open at once, each echoing M messages of 64 bytes;
 * every byte is checked.  The server runs as a child process with
 * --max-conns N, so it stops after the last connection and reports what it
 * served and whether an fd leaked; the loop's run returning at all means
 * no fiber was left behind.
 *
 *   echo_load <path to echo_server> [connections] [messages]
 *   echo_load --soak SECONDS <path to echo_server> [connections] [messages]
 *
 * The soak keeps one server up for SECONDS and runs rounds of that load
 * against it; after each round it samples the server's open fds and RSS
 * (/proc/PID/fd, VmRSS).  It fails if a round fails, if the server's fds
 * do not come back to their idle count within 5 s of a round (it closes
 * its side as it sees each EOF), or if its RSS grows by more than 10% +
 * 1 MiB past the second round (the first warms the stacks and tables up);
 * at the end SIGTERM must stop the server cleanly.
 *
 * Bounded: every op has a timeout, and the whole run an alarm (120 s, plus
 * SECONDS for a soak).  Exits 0 on success, 1 on any failure, 77 if the fd
 * limit is too low.
 */
#include <iou/loop.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "echo_report.h"

/*
 * Built with ASan or TSan, the server is too: their quarantine and shadow
 * memory keep growing with what it maps and frees, so its RSS says
 * nothing about leaks.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RSS_MEANINGFUL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define RSS_MEANINGFUL 0
#endif
#endif
#ifndef RSS_MEANINGFUL
#define RSS_MEANINGFUL 1
#endif

#define MSG 64
#define OP_TIMEOUT (20ULL * 1000 * 1000 * 1000)

static unsigned short port;
static long nconns, nmsgs;
static long connected, echoed_ok, failures;
static unsigned long long bytes;
static struct iou_waitgroup all_connected, all_done;
static struct iou_chan tokens;	/* bounds connects in flight */
static char token_buf[512];

static int xfer_all(struct iou_fiber *self, int fd, char *p, int len, int out)
{
	int n;

	while (len > 0) {
		n = out ? iou_send(self, fd, p, (unsigned)len, MSG_NOSIGNAL,
				   OP_TIMEOUT) :
			  iou_recv(self, fd, p, (unsigned)len, 0, OP_TIMEOUT);
		if (n <= 0)
			return n ? n : -EPIPE;
		p += n;
		len -= n;
	}
	return 0;
}

static int conn(struct iou_fiber *self, void *arg)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long id = (long)(intptr_t)arg, i;
	char out[MSG], in[MSG], t;
	int fd, ret, ok = 0;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	iou_chan_recv(self, &tokens, &t);
	fd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	ret = fd < 0 ? fd :
		       iou_connect(self, fd, (struct sockaddr *)&sa, sizeof(sa),
				   OP_TIMEOUT);
	iou_chan_send(self, &tokens, &t);
	if (ret) {
		fprintf(stderr, "conn %ld: connect: %s\n", id, strerror(-ret));
		iou_waitgroup_done(&all_connected);
		goto out;
	}
	connected++;
	/* Everyone connected before anyone talks: N open at once. */
	iou_waitgroup_done(&all_connected);
	iou_waitgroup_wait(self, &all_connected);
	for (i = 0; i < nmsgs; i++) {
		memset(out, (int)('A' + (id + i) % 26), sizeof(out));
		memcpy(out, &id, sizeof(id));
		memcpy(out + sizeof(id), &i, sizeof(i));
		ret = xfer_all(self, fd, out, MSG, 1);
		if (!ret)
			ret = xfer_all(self, fd, in, MSG, 0);
		if (ret) {
			fprintf(stderr, "conn %ld msg %ld: %s\n", id, i,
				strerror(-ret));
			goto out;
		}
		if (memcmp(in, out, MSG)) {
			fprintf(stderr, "conn %ld msg %ld: wrong echo\n", id, i);
			goto out;
		}
		bytes += MSG;
	}
	ok = 1;
out:
	if (fd >= 0)
		iou_close(self, fd);
	if (ok)
		echoed_ok++;
	else
		failures++;
	iou_waitgroup_done(&all_done);
	return 0;
}

static int client_main(struct iou_fiber *self, void *arg)
{
	struct iou_loop *loop = iou_fiber_loop(self);
	long i;
	char t = 1;

	(void)arg;
	iou_chan_init(&tokens, token_buf, 1, sizeof(token_buf));
	for (i = 0; i < (long)sizeof(token_buf); i++)
		iou_chan_send(self, &tokens, &t);
	iou_waitgroup_add(&all_connected, nconns);
	iou_waitgroup_add(&all_done, nconns);
	for (i = 0; i < nconns; i++)
		if (iou_spawn(loop, conn, (void *)(intptr_t)i, 32 * 1024, NULL)) {
			fprintf(stderr, "spawn failed at %ld\n", i);
			failures++;
			iou_waitgroup_done(&all_connected);
			iou_waitgroup_done(&all_done);
		}
	iou_waitgroup_wait(self, &all_done);
	return 0;
}

/* Start the server: its first report line is "port=N ...". */
static pid_t start_server(const char *path, long max_conns, FILE **report)
{
	char line[512];
	int out[2];
	pid_t pid;

	if (pipe(out))
		return -1;
	pid = fork();
	if (pid == 0) {
		char arg[32];

		snprintf(arg, sizeof(arg), "%ld", max_conns);
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		if (max_conns)
			execl(path, path, "--port", "0", "--max-conns", arg,
			      (char *)NULL);
		else
			execl(path, path, "--port", "0", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	*report = fdopen(out[0], "r");
	if (!*report || !fgets(line, sizeof(line), *report) ||
	    report_value(line, "port") <= 0) {
		fprintf(stderr, "the server did not start\n");
		kill(pid, SIGKILL);
		return -1;
	}
	port = (unsigned short)report_value(line, "port");
	printf("server: %s", line);
	return pid;
}

/* One round: nconns connections of nmsgs echoes; 0 if every byte came back. */
static int run_round(int verbose)
{
	struct iou_loop *loop;
	int ret;

	connected = echoed_ok = failures = 0;
	bytes = 0;
	ret = iou_loop_create(&loop, NULL);
	if (ret) {
		fprintf(stderr, "iou_loop_create: %s\n", strerror(-ret));
		return 1;
	}
	if (verbose)
		printf("client: %ld connections x %ld messages, backend %s\n",
		       nconns, nmsgs,
		       iou_loop_backend(loop) == IOU_BACKEND_URING ? "io_uring" :
								     "epoll");
	iou_waitgroup_init(&all_connected);
	iou_waitgroup_init(&all_done);
	iou_spawn(loop, client_main, NULL, 0, NULL);
	ret = iou_loop_run(loop);
	iou_loop_destroy(loop);
	if (verbose || ret || failures)
		printf("client: run=%d connected=%ld ok=%ld failed=%ld "
		       "bytes=%llu\n",
		       ret, connected, echoed_ok, failures, bytes);
	return ret || failures || echoed_ok != nconns ||
	       bytes != (unsigned long long)nconns * nmsgs * MSG;
}

/* The rest of the server's report, until it exits; its exit status. */
static int finish_server(pid_t pid, FILE *f, char *report, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int status;

	while (len < size - 1 &&
	       (n = (ssize_t)fread(report + len, 1, size - 1 - len, f)) > 0)
		len += (size_t)n;
	report[len] = 0;
	fclose(f);
	waitpid(pid, &status, 0);
	printf("server: %s", report);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "server exit status %d\n", status);
		return 1;
	}
	return 0;
}

/* Entries of a directory, less . and ..; -1 if it cannot be read. */
static long dir_entries(const char *path)
{
	struct dirent *e;
	DIR *d = opendir(path);
	long n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The server's open fds and resident KiB, from /proc. */
static void sample(pid_t pid, long *fds, long *rss_kb)
{
	char path[64], line[256];
	FILE *f;

	*fds = *rss_kb = -1;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	*fds = dir_entries(path);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			*rss_kb = strtol(line + 6, NULL, 10);
	fclose(f);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int soak(const char *server, long seconds)
{
	long fds, rss, fds0 = -1, rss2 = -1, round = 0;
	char report[4096];
	double t0 = now_s();
	int bad = 0;
	FILE *f;
	pid_t pid = start_server(server, 0, &f);
	double settle;

	if (pid < 0)
		return 1;
	sample(pid, &fds0, &rss);
	printf("idle server: fds=%ld rss_kb=%ld\n", fds0, rss);
	printf("soak: %ld s of rounds of %ld connections x %ld messages\n",
	       seconds, nconns, nmsgs);
	if (!RSS_MEANINGFUL)
		printf("soak: RSS not checked (a sanitizer's shadow memory "
		       "grows with the server's)\n");
	while (!bad && (round == 0 || now_s() - t0 < (double)seconds)) {
		round++;
		if (run_round(round == 1)) {
			fprintf(stderr, "round %ld failed\n", round);
			bad = 1;
			break;
		}
		settle = now_s();
		do {
			sample(pid, &fds, &rss);
			if (fds == fds0)
				break;
			usleep(10000);
		} while (now_s() - settle < 5);
		printf("round %ld at %.0f s: server fds=%ld rss_kb=%ld\n", round,
		       now_s() - t0, fds, rss);
		if (round == 2)
			rss2 = rss;
		if (fds != fds0) {
			fprintf(stderr, "the server holds %ld fds 5 s after a "
				"round, %ld idle\n", fds, fds0);
			bad = 1;
		}
		if (RSS_MEANINGFUL && rss2 > 0 &&
		    rss > rss2 + rss2 / 10 + 1024) {
			fprintf(stderr, "the server's RSS grew from %ld to %ld "
				"KiB\n", rss2, rss);
			bad = 1;
		}
	}
	kill(pid, SIGTERM);
	if (finish_server(pid, f, report, sizeof(report)))
		return 1;
	if (bad || report_value(report, "fds_leaked") != 0) {
		fprintf(stderr, "soak failed\n");
		return 1;
	}
	printf("PASS: %ld rounds in %.0f s, fds flat at %ld, RSS %ld KiB after "
	       "round 2 and %ld at the end\n",
	       round, now_s() - t0, fds0, rss2, rss);
	return 0;
}

int main(int argc, char **argv)
{
	char report[4096];
	struct rlimit rl;
	long seconds = 0;
	FILE *f;
	pid_t pid;
	int ret;

	if (argc > 2 && !strcmp(argv[1], "--soak")) {
		seconds = atol(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: %s [--soak SECONDS] <echo_server> "
			"[conns] [msgs]\n", argv[0]);
		return 2;
	}
	nconns = argc > 2 ? atol(argv[2]) : 10000;
	nmsgs = argc > 3 ? atol(argv[3]) : 4;
	alarm(120 + (unsigned)seconds);
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < (rlim_t)nconns + 64) {
		printf("SKIP: RLIMIT_NOFILE %llu is below %ld connections\n",
		       (unsigned long long)rl.rlim_cur, nconns);
		return 77;
	}
	if (seconds)
		return soak(argv[1], seconds);

	pid = start_server(argv[1], nconns, &f);
	if (pid < 0)
		return 1;
	ret = run_round(1);
	/* The server's report, after it served the last connection. */
	if (finish_server(pid, f, report, sizeof(report)) || ret)
		return 1;
	if (report_value(report, "served") != nconns ||
	    report_value(report, "bytes_echoed") != nconns * nmsgs * MSG ||
	    report_value(report, "peak_concurrent") != nconns ||
	    report_value(report, "fds_leaked") != 0 ||
	    report_value(report, "stale_cqes") != 0) {
		fprintf(stderr, "the server's report is wrong\n");
		return 1;
	}
	printf("PASS: %ld concurrent connections, every byte echoed, "
	       "no fd or fiber left\n", nconns);
	return 0;
}
