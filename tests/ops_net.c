/* SPDX-License-Identifier: MIT */
/* The plumbing declared in ops_net.h, compiled once into iou_testutil. */
#include "ops_net.h"


void lo_addr(struct sockaddr_in *a, unsigned short port)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a->sin_port = htons(port);
}

void name_of(int fd, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);

	memset(a, 0, sizeof(*a));
	assert_int_equal(getsockname(fd, (struct sockaddr *)a, &len), 0);
	assert_int_equal(len, sizeof(*a));
}

void assert_same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	assert_int_equal(a->sin_family, b->sin_family);
	assert_int_equal(a->sin_addr.s_addr, b->sin_addr.s_addr);
	assert_int_equal(a->sin_port, b->sin_port);
}

int sockopt_int(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int val = -1;

	assert_int_equal(getsockopt(fd, level, name, &val, &len), 0);
	assert_int_equal(len, sizeof(int));
	return val;
}

int tcp_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	return fd;
}

/* A TCP listener on 127.0.0.1, any port; its address in *@addr. */
int listener(struct sockaddr_in *addr)
{
	int fd = tcp_socket();

	lo_addr(addr, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	assert_int_equal(listen(fd, 16), 0);
	name_of(fd, addr);
	return fd;
}

/* connect(2) to @addr; on loopback the handshake is done on return. */
int dial(const struct sockaddr_in *addr)
{
	int fd = tcp_socket();

	assert_int_equal(connect(fd, (const struct sockaddr *)addr,
				 sizeof(*addr)),
			 0);
	return fd;
}

void wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	assert_int_equal(poll(&p, 1, WAIT_MS), 1);
}

int accept_within(int lfd)
{
	int fd;

	wait_readable(lfd);
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

/* A connected TCP pair over loopback, no listener left behind. */
void tcp_pair(int sv[2])
{
	struct sockaddr_in addr;
	int lfd = listener(&addr);

	sv[0] = dial(&addr);
	sv[1] = accept_within(lfd);
	close(lfd);
}

/* A UDP socket bound to 127.0.0.1, any port; its address in *@addr. */
int udp_socket(struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	lo_addr(addr, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	name_of(fd, addr);
	return fd;
}

/* Read exactly @n bytes (waiting at most 5 s for each chunk); compare. */
void read_exactly(int fd, const void *want, size_t n)
{
	char *buf = malloc(n ? n : 1);
	size_t got = 0;
	ssize_t r;

	assert_non_null(buf);
	while (got < n) {
		wait_readable(fd);
		r = read(fd, buf + got, n - got);
		assert_true(r > 0);
		got += (size_t)r;
	}
	assert_memory_equal(buf, want, n);
	free(buf);
}

void fill_pattern(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31u + i * 7u + (i >> 8));
}

/* Bytes queued for reading, once they stop changing (max ~5 s). */
int settled_inq(int fd, int want)
{
	int i, n = -1;

	for (i = 0; i < 500; i++) {
		assert_int_equal(ioctl(fd, SIOCINQ, &n), 0);
		if (n == want)
			break;
		usleep(10000);
	}
	return n;
}

/*
 * Cancel the request tagged @target (multishot) and reap both CQEs: the
 * cancel's own (0), and the target's last one: -ECANCELED, without
 * IORING_CQE_F_MORE.  They may come in either order.
 */
void cancel_multishot(struct iou_ring *ring, uint64_t target, uint64_t ud)
{
	struct io_uring_cqe cqe;
	int i, res, seen_target = 0, seen_cancel = 0;

	iou_prep_cancel64(t_sqe(ring, ud), target, 0);
	for (i = 0; i < 2; i++) {
		res = t_next_cqe(ring, &cqe);
		if (cqe.user_data == target) {
			assert_int_equal(res, -ECANCELED);
			assert_false(cqe.flags & IORING_CQE_F_MORE);
			seen_target++;
		} else {
			assert_int_equal(cqe.user_data, ud);
			assert_int_equal(res, 0);
			seen_cancel++;
		}
	}
	assert_int_equal(seen_target, 1);
	assert_int_equal(seen_cancel, 1);
}
