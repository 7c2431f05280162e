/* SPDX-License-Identifier: MIT */
/*
 * Copy a file with pipelined reads and writes: DEPTH fibers each own a
 * buffer and take the next chunk offset in turn, read it and write it at
 * the same offset, so up to DEPTH reads and writes are in flight at once
 * (the kernel sees a queue, not one request at a time).
 *
 *   file_copy <src> <dst> [--chunk KiB] [--depth N]
 *   file_copy --self-test	copies a generated 8 MiB file and compares
 */
#include <iou/loop.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 64

struct copy {
	const char *src, *dst;
	int in, out;
	unsigned chunk_size, depth;
	uint64_t next_off;	/* the next chunk nobody has taken */
	int err;
	uint64_t bytes;
	struct iou_waitgroup workers;
};

/* Read up to a chunk at @off (looping on short reads); 0 at EOF. */
static int read_chunk(struct iou_fiber *self, struct copy *c, char *buf,
		      uint64_t off)
{
	int n, got = 0;

	while (got < (int)c->chunk_size) {
		n = iou_read(self, c->in, buf + got, c->chunk_size - (unsigned)got,
			     off + (unsigned)got, 0);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

static int worker(struct iou_fiber *self, void *arg)
{
	struct copy *c = arg;
	char *buf = malloc(c->chunk_size);
	uint64_t off;
	int n, done, w;

	while (buf && !c->err) {
		off = c->next_off;
		c->next_off += c->chunk_size;
		n = read_chunk(self, c, buf, off);
		if (n <= 0) {
			if (n < 0)
				c->err = n;
			break;
		}
		for (done = 0; done < n; done += w) {
			w = iou_write(self, c->out, buf + done,
				      (unsigned)(n - done), off + (unsigned)done,
				      0);
			if (w <= 0) {
				c->err = w ? w : -EIO;
				break;
			}
		}
		c->bytes += (unsigned)n;
	}
	if (!buf)
		c->err = -ENOMEM;
	free(buf);
	iou_waitgroup_done(&c->workers);
	return 0;
}

static int copy_main(struct iou_fiber *self, void *arg)
{
	struct copy *c = arg;
	struct iou_loop *loop = iou_fiber_loop(self);
	unsigned i;
	int ret;

	c->in = iou_openat(self, AT_FDCWD, c->src, O_RDONLY, 0);
	if (c->in < 0)
		return c->err = c->in;
	c->out = iou_openat(self, AT_FDCWD, c->dst,
			    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (c->out < 0) {
		iou_close(self, c->in);
		return c->err = c->out;
	}
	iou_waitgroup_init(&c->workers);
	iou_waitgroup_add(&c->workers, c->depth);
	for (i = 0; i < c->depth; i++)
		if (iou_spawn(loop, worker, c, 0, NULL))
			iou_waitgroup_done(&c->workers);
	iou_waitgroup_wait(self, &c->workers);
	ret = c->err;
	if (!ret)
		ret = iou_fsync(self, c->out, 0);
	iou_close(self, c->in);
	iou_close(self, c->out);
	return c->err = ret;
}

static int run_copy(struct copy *c)
{
	struct iou_loop *loop;
	uint64_t t0, ns;
	int ret, status;

	ret = iou_loop_create(&loop, NULL);
	if (ret)
		return ret;
	t0 = iou_now(loop);
	iou_spawn(loop, copy_main, c, 0, NULL);
	ret = iou_loop_run(loop);
	ns = iou_now(loop) - t0;
	status = c->err;
	printf("copied %llu bytes in %.1f ms (%s, chunk %u KiB, depth %u)\n",
	       (unsigned long long)c->bytes, (double)ns / 1e6,
	       iou_loop_backend(loop) == IOU_BACKEND_URING ? "io_uring" :
							     "epoll",
	       c->chunk_size / 1024, c->depth);
	iou_loop_destroy(loop);
	return ret ? ret : status;
}

/* Generate a file, copy it, compare byte for byte. */
static int self_test(struct copy *c)
{
	static char a[1 << 16], b[1 << 16];
	char src[] = "/tmp/iou-copy-src-XXXXXX", dst[] = "/tmp/iou-copy-dst-XXXXXX";
	unsigned seed = 12345, i;
	int fd, fd2, ret = 0, k;
	ssize_t na, nb;

	fd = mkstemp(src);
	fd2 = mkstemp(dst);
	if (fd < 0 || fd2 < 0)
		return -errno;
	close(fd2);
	for (k = 0; k < 128; k++) {
		for (i = 0; i < sizeof(a); i++) {
			seed = seed * 1103515245 + 12345;
			a[i] = (char)(seed >> 16);
		}
		/* The last piece is short: the size is not a chunk multiple. */
		if (write(fd, a, k == 127 ? 1234 : sizeof(a)) < 0)
			return -errno;
	}
	close(fd);
	c->src = src;
	c->dst = dst;
	ret = run_copy(c);
	if (!ret) {
		fd = open(src, O_RDONLY);
		fd2 = open(dst, O_RDONLY);
		do {
			na = read(fd, a, sizeof(a));
			nb = read(fd2, b, sizeof(b));
			if (na != nb || (na > 0 && memcmp(a, b, (size_t)na)))
				ret = -EIO;
		} while (!ret && na > 0);
		close(fd);
		close(fd2);
	}
	unlink(src);
	unlink(dst);
	printf("self-test: %s\n", ret ? "copy differs" : "identical");
	return ret;
}

int main(int argc, char **argv)
{
	struct copy c = { .chunk_size = 128 * 1024, .depth = 8 };
	const char *pos[2] = { 0 };
	int i, npos = 0, test = 0, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--self-test"))
			test = 1;
		else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
			c.chunk_size = (unsigned)atoi(argv[++i]) * 1024;
		else if (!strcmp(argv[i], "--depth") && i + 1 < argc)
			c.depth = (unsigned)atoi(argv[++i]);
		else if (npos < 2)
			pos[npos++] = argv[i];
		else
			npos = 3;
	}
	if ((!test && npos != 2) || !c.chunk_size || !c.depth ||
	    c.depth > MAX_DEPTH) {
		fprintf(stderr, "usage: %s <src> <dst> [--chunk KiB] "
				"[--depth 1..%d] | --self-test\n",
			argv[0], MAX_DEPTH);
		return 2;
	}
	if (test) {
		ret = self_test(&c);
	} else {
		c.src = pos[0];
		c.dst = pos[1];
		ret = run_copy(&c);
	}
	if (ret)
		fprintf(stderr, "file_copy: %s\n", strerror(-ret));
	return ret ? 1 : 0;
}
