/* SPDX-License-Identifier: MIT */
/*
 * iou-bench: what iou does, timed, one subcommand per measurement.  Every
 * result is one line of key=value pairs (bench/run parses them).
 *
 *   nop --batch B --ops N [--flags f1,f2] [--no-regfd]
 *	NOPs through the ring, B per submit_and_wait; flags: single_issuer,
 *	defer_taskrun, coop_taskrun, sqpoll.          -> ops_per_sec=X
 *   switch --ops N
 *	two fibers handing the CPU to each other.     -> ns_per_switch=X
 *   pingpong --ops N [--stream]
 *	two fibers exchanging 1 byte over a socketpair -> ns_per_roundtrip=X
 *	(--stream: each side receives through iou_recv_stream)
 *   randread --file F [--depth D] [--ops N] [--bs 4096] [--flags ...]
 *	    [--submit-batch S] [--span-mib M] [--spin N]
 *	O_DIRECT random reads at depth D with registered buffers and a
 *	registered file, one ring, no fibers, offsets in the first M MiB
 *	(default: the whole file).             -> iops=X cpu_ns_per_io=Y
 *	Each read is submitted once S are queued (default 1, as fio's
 *	iodepth_batch_submit; 0: all at once before each wait).  On a
 *	virtio disk, 32 reads under one plug ran ~8% slower than a stream.
 *	[--spin N]: with no CQE ready, enter up to N more times to run the
 *	completions' task work before sleeping (-1: never sleep).
 *   idle --conns N
 *	N idle loopback connections, a fiber each: resident bytes per fiber.
 */
#define _GNU_SOURCE
#include <iou/loop.h>
#include <iou/prep.h>
#include <iou/register.h>
#include <iou/ring.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "opt.h"
#include "setup_flags.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int flag(int argc, char **argv, const char *name)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

static int bench_nop(int argc, char **argv)
{
	unsigned batch = (unsigned)atoi(opt(argc, argv, "--batch", "1"));
	long ops = atol(opt(argc, argv, "--ops", "1000000")), done = 0;
	const char *fl = opt(argc, argv, "--flags", "");
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct iou_ring ring;
	unsigned i, head, n, entries = batch < 8 ? 8 : batch;
	uint64_t t0, t;
	int ret;

	ret = iou_ring_init(&ring, entries, setup_flags(fl));
	if (ret) {
		fprintf(stderr, "iou_ring_init: %s\n", strerror(-ret));
		return 1;
	}
	if (!flag(argc, argv, "--no-regfd"))
		iou_register_ring_fd(&ring);
	t0 = now_ns();
	while (done < ops) {
		for (i = 0; i < batch; i++) {
			sqe = iou_get_sqe(&ring);
			iou_prep_nop(sqe);
		}
		ret = iou_submit_and_wait(&ring, batch);
		if (ret < 0) {
			fprintf(stderr, "submit: %s\n", strerror(-ret));
			return 1;
		}
		n = 0;
		iou_for_each_cqe(&ring, head, cqe)
			n++;
		iou_cq_advance(&ring, n);
		done += n;
	}
	t = now_ns() - t0;
	printf("bench=nop impl=iou batch=%u flags=%s ops=%ld ns=%llu "
	       "ops_per_sec=%.0f\n",
	       batch, *fl ? fl : "none", done, (unsigned long long)t,
	       (double)done * 1e9 / (double)t);
	iou_ring_exit(&ring);
	return 0;
}

/* switch: two fibers yield to each other; each yield is one switch. */
static long sw_left;

static int yielder(struct iou_fiber *self, void *arg)
{
	(void)arg;
	while (sw_left-- > 0)
		iou_yield(self);
	return 0;
}

static int bench_switch(int argc, char **argv)
{
	long ops = atol(opt(argc, argv, "--ops", "10000000"));
	struct iou_loop_opts o = { .backend = IOU_BACKEND_AUTO };
	struct iou_loop *loop;
	uint64_t t0, t;

	if (iou_loop_create(&loop, &o))
		return 1;
	sw_left = ops;
	iou_spawn(loop, yielder, NULL, 0, NULL);
	iou_spawn(loop, yielder, NULL, 0, NULL);
	t0 = now_ns();
	iou_loop_run(loop);
	t = now_ns() - t0;
	iou_loop_destroy(loop);
	printf("bench=switch impl=iou ops=%ld ns=%llu ns_per_switch=%.2f\n",
	       ops, (unsigned long long)t, (double)t / (double)ops);
	return 0;
}

/* pingpong: a byte back and forth over a socketpair. */
struct pp {
	int fd;
	long n;
	int first;
	int stream;
	int ret;	/* what the fiber returned: 0 once all n went through */
};

/*
 * The same exchange with the receive side as one multishot recv into
 * provided buffers (--stream): the kernel keeps its poll armed, where
 * iou_recv() meets an empty socket, arms a poll and tries again.
 */
static int pp_stream(struct iou_fiber *self, struct pp *p)
{
	struct iou_recv_stream *rs;
	char c = 'x';
	void *d;
	long i;

	if (iou_recv_stream_open(self, p->fd, 64, 4, &rs))
		return -1;
	for (i = 0; i < p->n; i++) {
		if (p->first && iou_send(self, p->fd, &c, 1, 0, 0) != 1)
			break;
		if (iou_recv_stream_next(self, rs, &d, 0) != 1)
			break;
		iou_recv_stream_release(rs, d);
		if (!p->first && iou_send(self, p->fd, &c, 1, 0, 0) != 1)
			break;
	}
	iou_recv_stream_close(self, rs);
	return i < p->n ? -1 : 0;
}

static int pp_plain(struct iou_fiber *self, struct pp *p)
{
	char c = 'x';
	long i;

	for (i = 0; i < p->n; i++) {
		if (p->first && iou_send(self, p->fd, &c, 1, 0, 0) != 1)
			return -1;
		if (iou_recv(self, p->fd, &c, 1, 0, 0) != 1)
			return -1;
		if (!p->first && iou_send(self, p->fd, &c, 1, 0, 0) != 1)
			return -1;
	}
	return 0;
}

static int pp_fiber(struct iou_fiber *self, void *arg)
{
	struct pp *p = arg;

	p->ret = p->stream ? pp_stream(self, p) : pp_plain(self, p);
	/* The peer, still waiting for a byte, sees EOF and stops too. */
	if (p->ret)
		shutdown(p->fd, SHUT_RDWR);
	return p->ret;
}

static int bench_pingpong(int argc, char **argv)
{
	long ops = atol(opt(argc, argv, "--ops", "200000"));
	struct iou_loop_stats st;
	struct iou_loop *loop;
	struct pp a, b;
	uint64_t t0, t;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || iou_loop_create(&loop, NULL))
		return 1;
	a = (struct pp){ sv[0], ops, 1, flag(argc, argv, "--stream"), -1 };
	b = (struct pp){ sv[1], ops, 0, a.stream, -1 };
	iou_spawn(loop, pp_fiber, &a, 0, NULL);
	iou_spawn(loop, pp_fiber, &b, 0, NULL);
	t0 = now_ns();
	iou_loop_run(loop);
	t = now_ns() - t0;
	iou_loop_stats(loop, &st);
	if (a.ret || b.ret) {
		fprintf(stderr, "pingpong: a round trip failed\n");
		return 1;
	}
	printf("bench=pingpong impl=iou backend=%s ops=%ld ns=%llu "
	       "ns_per_roundtrip=%.0f enters_per_roundtrip=%.2f\n",
	       iou_loop_backend(loop) == IOU_BACKEND_URING ? "uring" : "epoll",
	       ops, (unsigned long long)t, (double)t / (double)ops,
	       (double)st.enters / (double)ops);
	iou_loop_destroy(loop);
	return 0;
}

/* randread: O_DIRECT random reads at depth D, fixed buffers and file. */
static int bench_randread(int argc, char **argv)
{
	const char *path = opt(argc, argv, "--file", 0);
	unsigned depth = (unsigned)atoi(opt(argc, argv, "--depth", "32"));
	long ops = atol(opt(argc, argv, "--ops", "200000")), done = 0, issued = 0;
	long sb = atol(opt(argc, argv, "--submit-batch", "1")), submitted = 0;
	long spin = atol(opt(argc, argv, "--spin", "0")), k;
	unsigned bs = (unsigned)atoi(opt(argc, argv, "--bs", "4096"));
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct iovec *iov;
	unsigned *free_slot, nfree;
	struct iou_ring ring;
	struct stat st;
	uint64_t blocks, span, x = 0x9e3779b97f4a7c15ULL, t0, c0, t, c;
	unsigned i, head, n;
	char *mem;
	int fd, ret;

	if (!path || !depth || depth > 1024 || !bs) {
		fprintf(stderr, "randread: --file F [--depth D] [--ops N] [--bs B]\n");
		return 2;
	}
	fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0 || fstat(fd, &st) || st.st_size < (off_t)bs) {
		perror(path);
		return 1;
	}
	/* Reads stay in the first --span-mib MiB (fio's --size), or all. */
	span = (uint64_t)atol(opt(argc, argv, "--span-mib", "0")) << 20;
	if (!span || span > (uint64_t)st.st_size)
		span = (uint64_t)st.st_size;
	blocks = span / bs;
	if (posix_memalign((void **)&mem, 4096, (size_t)depth * bs))
		return 1;
	iov = calloc(depth, sizeof(*iov));
	/* Buffers not in use; a read gives its buffer back with its CQE. */
	free_slot = calloc(depth, sizeof(*free_slot));
	if (!iov || !free_slot)
		return 1;
	for (i = 0; i < depth; i++) {
		iov[i].iov_base = mem + (size_t)i * bs;
		iov[i].iov_len = bs;
		free_slot[i] = depth - 1 - i;
	}
	nfree = depth;
	ret = iou_ring_init(&ring, depth,
			    setup_flags(opt(argc, argv, "--flags", "")));
	if (!ret)
		ret = iou_register_ring_fd(&ring);
	if (!ret)
		ret = iou_register_files(&ring, &fd, 1);
	if (!ret)
		ret = iou_register_buffers(&ring, iov, depth);
	if (ret) {
		fprintf(stderr, "randread setup: %s\n", strerror(-ret));
		return 1;
	}
	t0 = now_ns();
	c0 = cpu_ns();
	for (;;) {
		/* Keep @depth reads in flight; user_data is the buffer index. */
		while (nfree && issued < ops) {
			unsigned slot = free_slot[--nfree];

			if (sb && issued - submitted >= sb) {
				ret = iou_submit(&ring);
				if (ret < 0)
					return 1;
				submitted = issued;
			}

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sqe = iou_get_sqe(&ring);
			iou_prep_read_fixed(sqe, 0, iov[slot].iov_base, bs,
					    (x % blocks) * bs, (int)slot);
			sqe->flags |= IOSQE_FIXED_FILE;
			sqe->user_data = slot;
			issued++;
		}
		if (done >= ops)
			break;
		if (!spin) {
			ret = iou_submit_and_wait(&ring, 1);
		} else {
			ret = iou_submit(&ring);
			for (k = 0; ret >= 0 && !iou_cq_ready(&ring) &&
				    (spin < 0 || k < spin); k++)
				ret = iou_get_events(&ring);
			if (ret >= 0 && !iou_cq_ready(&ring))
				ret = iou_submit_and_wait(&ring, 1);
		}
		if (ret < 0) {
			fprintf(stderr, "submit: %s\n", strerror(-ret));
			return 1;
		}
		submitted = issued;
		n = 0;
		iou_for_each_cqe(&ring, head, cqe) {
			if (cqe->res != (int)bs || cqe->user_data >= depth ||
			    nfree >= depth) {
				fprintf(stderr, "read: %d\n", cqe->res);
				return 1;
			}
			free_slot[nfree++] = (unsigned)cqe->user_data;
			n++;
		}
		iou_cq_advance(&ring, n);
		done += n;
	}
	t = now_ns() - t0;
	c = cpu_ns() - c0;
	printf("bench=randread impl=iou depth=%u bs=%u ops=%ld ns=%llu "
	       "iops=%.0f cpu_ns_per_io=%.0f\n",
	       depth, bs, done, (unsigned long long)t,
	       (double)done * 1e9 / (double)t, (double)c / (double)done);
	iou_ring_exit(&ring);
	close(fd);
	free(free_slot);
	free(iov);
	free(mem);
	return 0;
}

/* idle: N connections, a fiber blocked in recv on each: RSS per fiber. */
static long rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * sysconf(_SC_PAGESIZE);
}

struct idle {
	int lfd;
	long conns, accepted, parked;
	long rss0, rss1;
};

static int idle_conn(struct iou_fiber *self, void *arg)
{
	struct idle *d = *(struct idle **)arg;
	int fd = (int)(((intptr_t *)arg)[1]);
	char buf[64];

	free(arg);
	d->parked++;
	iou_recv(self, fd, buf, sizeof(buf), 0, 0);
	iou_close(self, fd);
	return 0;
}

static int idle_main(struct iou_fiber *self, void *arg)
{
	struct idle *d = arg;
	struct iou_loop *loop = iou_fiber_loop(self);
	intptr_t *a;
	int fd;

	d->rss0 = rss_bytes();
	while (d->accepted < d->conns) {
		fd = iou_accept(self, d->lfd, 0, 0, 0, 0);
		if (fd < 0)
			return fd;
		a = malloc(2 * sizeof(*a));
		a[0] = (intptr_t)d;
		a[1] = fd;
		d->accepted++;
		iou_spawn(loop, idle_conn, a, 0, NULL);
	}
	while (d->parked < d->conns)
		iou_sleep(self, 1000000);
	iou_sleep(self, 100000000);
	d->rss1 = rss_bytes();
	iou_loop_stop(loop);
	return 0;
}

static int bench_idle(int argc, char **argv)
{
	struct idle d = { .conns = atol(opt(argc, argv, "--conns", "10000")) };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct iou_loop *loop;
	struct rlimit rl;
	int ctl[2], i, fd;
	pid_t pid;
	char c;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d.lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(d.lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(d.lfd, 4096) ||
	    getsockname(d.lfd, (struct sockaddr *)&sa, &len) || pipe(ctl))
		return 1;
	pid = fork();
	if (pid == 0) {
		/* The other ends, held open until the parent is done. */
		close(ctl[1]);
		for (i = 0; i < d.conns; i++) {
			fd = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
				_exit(1);
		}
		if (read(ctl[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ctl[0]);
	if (iou_loop_create(&loop, NULL))
		return 1;
	iou_spawn(loop, idle_main, &d, 0, NULL);
	iou_loop_run(loop);
	iou_loop_destroy(loop);
	close(ctl[1]);
	waitpid(pid, NULL, 0);
	printf("bench=idle impl=iou conns=%ld rss_before=%ld rss_after=%ld "
	       "bytes_per_fiber=%.0f\n",
	       d.accepted, d.rss0, d.rss1,
	       (double)(d.rss1 - d.rss0) / (double)(d.accepted ? d.accepted : 1));
	return d.accepted == d.conns ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "nop"))
		return bench_nop(argc - 1, argv + 1);
	if (!strcmp(argv[1], "switch"))
		return bench_switch(argc - 1, argv + 1);
	if (!strcmp(argv[1], "pingpong"))
		return bench_pingpong(argc - 1, argv + 1);
	if (!strcmp(argv[1], "randread"))
		return bench_randread(argc - 1, argv + 1);
	if (!strcmp(argv[1], "idle"))
		return bench_idle(argc - 1, argv + 1);
usage:
	fprintf(stderr, "usage: %s nop|switch|pingpong|randread|idle ...\n",
		argv[0]);
	return 2;
}
