/* SPDX-License-Identifier: MIT */
/*
 * A TCP echo server: one fiber per connection, connections pulled from a
 * listener (one multishot accept on io_uring).
 *
 *   echo_server [--port N] [--max-conns N] [--backend uring|epoll]
 *	serve on 127.0.0.1:N (0: any free port, printed as "port=N");
 *	with --max-conns, stop after N connections were served and print
 *	a summary (the load test uses it).  Each connection's fd is
 *	registered with the loop (iou_fd_register()), unless --plain-fds;
 *	--stream receives through a multishot recv on provided buffers.
 *   echo_server --demo [--clients N] [--msgs M] [--backend ...]
 *	serve, and run N client fibers in the same loop, each sending M
 *	64-byte messages and checking every echo; print what happened.
 *
 * SIGINT and SIGTERM stop it gracefully (iou_loop_stop()): every op is
 * cancelled, the connections close, the summary is printed.
 */
#include <iou/loop.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG_SIZE 64

struct server {
	struct iou_listener *listener;
	int lfd;
	unsigned short port;
	long max_conns;
	int stream;		/* --stream: multishot recv into provided buffers */
	int plain_fds;		/* --plain-fds: no iou_fd_register() */
	long accepted, served, active, peak;
	unsigned long long bytes;
	struct iou_waitgroup conns;
};

struct demo {
	struct server *srv;
	long clients, msgs;
	long ok, failed;
	struct iou_waitgroup done;
};

static const char *backend_name(int b)
{
	return b == IOU_BACKEND_URING ? "io_uring" : "epoll";
}

/* Send all @len bytes (a stream socket may take part of them). */
static int send_all(struct iou_fiber *self, int fd, const char *p, int len)
{
	int n;

	while (len > 0) {
		n = iou_send(self, fd, p, (unsigned)len, MSG_NOSIGNAL, 0);
		if (n <= 0)
			return n < 0 ? n : -EPIPE;
		p += n;
		len -= n;
	}
	return 0;
}

/* A connection fiber's argument. */
struct conn {
	struct server *srv;
	int fd;
};

/* A connection: echo until EOF or an error, then close. */
static int conn_fiber(struct iou_fiber *self, void *arg)
{
	struct conn c = *(struct conn *)arg;
	struct server *s = c.srv;
	struct iou_recv_stream *rs;
	/*
	 * 1 KiB keeps the fiber's frames on the first page of its lazily
	 * committed stack; with 4 KiB every idle connection held two pages
	 * (bench/run: idle_mem_vs_epoll, 8.2 KiB per connection, now 4.1).
	 */
	char buf[1024];
	int n, ret;

	free(arg);
	if (s->stream && !iou_recv_stream_open(self, c.fd, 2048, 4, &rs)) {
		/* One multishot recv for the connection's life. */
		void *data;

		while ((n = iou_recv_stream_next(self, rs, &data, 0)) > 0) {
			ret = send_all(self, c.fd, data, n);
			iou_recv_stream_release(rs, data);
			if (ret)
				break;
			s->bytes += (unsigned)n;
		}
		iou_recv_stream_close(self, rs);
		goto done;
	}
	for (;;) {
		n = iou_recv(self, c.fd, buf, sizeof(buf), 0, 0);
		if (n <= 0)
			break;
		if (send_all(self, c.fd, buf, n))
			break;
		s->bytes += (unsigned)n;
	}
done:
	iou_close(self, c.fd);
	s->active--;
	s->served++;
	iou_waitgroup_done(&s->conns);
	return 0;
}

/* Pull connections from the listener and give each its fiber. */
static int acceptor(struct iou_fiber *self, void *arg)
{
	struct server *s = arg;
	struct iou_loop *loop = iou_fiber_loop(self);
	struct conn *c;
	int fd, one = 1;

	while (!s->max_conns || s->accepted < s->max_conns) {
		fd = iou_listener_accept(self, s->listener, 0);
		if (fd == -ECANCELED)
			break;
		if (fd < 0) {
			/* EMFILE and friends: back off, keep serving. */
			fprintf(stderr, "accept: %s\n", strerror(-fd));
			iou_sleep(self, 10 * 1000 * 1000);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		/* Its ops skip the kernel's fget/fput (a hint: the plain fd
		 * serves where it cannot be registered). */
		if (!s->plain_fds)
			iou_fd_register(loop, fd);
		c = malloc(sizeof(*c));
		if (!c) {
			iou_close(self, fd);
			continue;
		}
		c->srv = s;
		c->fd = fd;
		s->accepted++;
		if (++s->active > s->peak)
			s->peak = s->active;
		iou_waitgroup_add(&s->conns, 1);
		if (iou_spawn(loop, conn_fiber, c, 0, NULL)) {
			free(c);
			iou_close(self, fd);
			s->active--;
			iou_waitgroup_done(&s->conns);
		}
	}
	return 0;
}

static int server_open(struct server *s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int one = 1;

	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->lfd < 0)
		return -errno;
	setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(s->port);
	if (bind(s->lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s->lfd, 4096) ||
	    getsockname(s->lfd, (struct sockaddr *)&sa, &len))
		return -errno;
	s->port = ntohs(sa.sin_port);
	return 0;
}

/* One demo client: connect, M round trips of 64 bytes, check each. */
static int client(struct iou_fiber *self, void *arg)
{
	struct demo *d = arg;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	char out[MSG_SIZE], in[MSG_SIZE];
	int fd, n, got, ok = 0;
	long i;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(d->srv->port);
	fd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		goto out;
	if (iou_connect(self, fd, (struct sockaddr *)&sa, sizeof(sa), 0))
		goto close;
	for (i = 0; i < d->msgs; i++) {
		memset(out, 'a' + (int)(i % 26), sizeof(out));
		snprintf(out, sizeof(out), "%d:%ld", fd, i);
		if (send_all(self, fd, out, MSG_SIZE))
			goto close;
		for (got = 0; got < MSG_SIZE; got += n) {
			n = iou_recv(self, fd, in + got,
				     (unsigned)(MSG_SIZE - got), 0, 0);
			if (n <= 0)
				goto close;
		}
		if (memcmp(in, out, MSG_SIZE))
			goto close;
	}
	ok = 1;
close:
	iou_close(self, fd);
out:
	if (ok)
		d->ok++;
	else
		d->failed++;
	iou_waitgroup_done(&d->done);
	return 0;
}

static int start(struct iou_fiber *self, void *arg)
{
	struct demo *d = arg;
	struct server *s = d->srv;
	struct iou_loop *loop = iou_fiber_loop(self);
	struct iou_fiber *acc;
	long i;
	int ret;

	ret = iou_listener_open(self, s->lfd, &s->listener);
	if (ret)
		return ret;
	if (iou_spawn(loop, acceptor, s, 0, &acc))
		return -1;
	if (d->clients) {
		iou_waitgroup_add(&d->done, d->clients);
		for (i = 0; i < d->clients; i++)
			if (iou_spawn(loop, client, d, 0, NULL))
				iou_waitgroup_done(&d->done);
		iou_waitgroup_wait(self, &d->done);
		/* Clients done: stop accepting (the acceptor sees -ECANCELED). */
		iou_listener_close(self, s->listener);
		iou_join(self, acc, NULL);
	} else {
		/* Until --max-conns connections were accepted (or forever). */
		iou_join(self, acc, NULL);
		iou_listener_close(self, s->listener);
	}
	/* Let the last connections finish. */
	iou_waitgroup_wait(self, &s->conns);
	/* Done: end the signal watcher's read too. */
	iou_loop_stop(loop);
	return 0;
}

/*
 * SIGINT/SIGTERM, as loop events (iou_signals_*): stop the loop.  Why
 * not just die: the kernel frees the rings of a dead process in the
 * background, so a listening socket held by a multishot accept outlives
 * the process for a moment, and a server restarted at once on the same
 * port would get EADDRINUSE (bench/run restarts it every round).
 * Stopping cancels the accept and closes the socket before exit.
 */
static int signal_watch(struct iou_fiber *self, void *arg)
{
	if (iou_signals_wait(self, arg, NULL, 0) > 0)
		iou_loop_stop(iou_fiber_loop(self));
	return 0;
}

/* Open fds of this process (the leak check). */
static int count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (!dir)
		return -1;
	while (readdir(dir))
		n++;
	closedir(dir);
	return n;
}

int main(int argc, char **argv)
{
	struct iou_loop_opts opts = { 0 };
	struct server srv = { 0 };
	struct demo d = { .srv = &srv };
	struct iou_loop_stats st;
	struct iou_loop *loop;
	struct rlimit rl;
	struct iou_signals sigs;
	int i, ret, fds_before, fds_after;
	uint64_t t0, ns;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--demo")) {
			if (!d.clients)
				d.clients = 100;
			if (!d.msgs)
				d.msgs = 100;
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			srv.port = (unsigned short)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--stream")) {
			srv.stream = 1;
		} else if (!strcmp(argv[i], "--plain-fds")) {
			srv.plain_fds = 1;
		} else if (!strcmp(argv[i], "--max-conns") && i + 1 < argc) {
			srv.max_conns = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--clients") && i + 1 < argc) {
			d.clients = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--msgs") && i + 1 < argc) {
			d.msgs = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			i++;
			opts.backend = !strcmp(argv[i], "epoll") ?
					       IOU_BACKEND_EPOLL :
				       !strcmp(argv[i], "uring") ?
					       IOU_BACKEND_URING :
					       IOU_BACKEND_AUTO;
		} else {
			fprintf(stderr,
				"usage: %s [--demo [--clients N] [--msgs M]] "
				"[--port N] [--max-conns N] [--stream] "
				"[--plain-fds] [--backend uring|epoll|auto]\n",
				argv[0]);
			return 2;
		}
	}
	if (d.clients && !d.msgs)
		d.msgs = 100;
	/* Each connection is an fd (two in the demo: client and server). */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ret = iou_signals_open(&sigs,
			       IOU_SIGMASK(SIGINT) | IOU_SIGMASK(SIGTERM));
	if (ret) {
		fprintf(stderr, "iou_signals_open: %s\n", strerror(-ret));
		return 1;
	}
	fds_before = count_fds();
	ret = iou_loop_create(&loop, &opts);
	if (ret) {
		fprintf(stderr, "iou_loop_create: %s\n", strerror(-ret));
		return 1;
	}
	ret = server_open(&srv);
	if (ret) {
		fprintf(stderr, "listen: %s\n", strerror(-ret));
		return 1;
	}
	iou_waitgroup_init(&srv.conns);
	iou_waitgroup_init(&d.done);
	printf("port=%u backend=%s\n", srv.port,
	       backend_name(iou_loop_backend(loop)));
	fflush(stdout);
	t0 = iou_now(loop);
	if (iou_spawn(loop, start, &d, 0, NULL) ||
	    iou_spawn(loop, signal_watch, &sigs, 0, NULL))
		return 1;
	ret = iou_loop_run(loop);
	ns = iou_now(loop) - t0;
	iou_loop_stats(loop, &st);
	close(srv.lfd);
	iou_loop_destroy(loop);
	if (ret) {
		fprintf(stderr, "iou_loop_run: %s\n", strerror(-ret));
		return 1;
	}
	if (d.clients)
		printf("clients=%ld ok=%ld failed=%ld round_trips=%ld\n",
		       d.clients, d.ok, d.failed, d.ok * d.msgs);
	printf("served=%ld peak_concurrent=%ld bytes_echoed=%llu ms=%.1f\n",
	       srv.served, srv.peak, srv.bytes, (double)ns / 1e6);
	printf("fibers=%llu sqes=%llu cqes=%llu enters=%llu switches=%llu "
	       "stale_cqes=%llu\n",
	       (unsigned long long)st.fibers, (unsigned long long)st.sqes,
	       (unsigned long long)st.cqes, (unsigned long long)st.enters,
	       (unsigned long long)st.switches,
	       (unsigned long long)st.stale_cqes);
	fds_after = count_fds();
	iou_signals_close(NULL, &sigs);
	printf("fds_leaked=%d\n", fds_after - fds_before);
	return d.failed || fds_after != fds_before ? 1 : 0;
}
