/* SPDX-License-Identifier: MIT */
/*
 * Server helpers: whole transfers under one deadline (iou_send_all(),
 * iou_write_all()) and listening sockets made in one call from a numeric
 * address (iou_listen_tcp(), iou_listen_unix(), iou_local_port()).  No
 * libc: the address text is parsed here, byte orders swapped by hand.
 */
#include "internal.h"

/* One op moves at most this much, so that its result fits an int. */
#define CHUNK_MAX (1U << 30)

/*
 * Run @step on what is left of [@buf, @buf + @len) until it is all done,
 * an error, or the deadline of @timeout_ns (one for the whole call).
 * @off is the file offset to start at (IOU_POS: the file position) for
 * writes; sends ignore it.  *@done gets the bytes moved, also on error.
 */
static int all(struct iou_fiber *self, int fd, const char *buf, size_t len,
	       int flags, uint64_t off, uint64_t timeout_ns, size_t *done,
	       int is_send)
{
	uint64_t deadline = iou__deadline(timeout_ns);
	size_t pos = 0;
	unsigned n;
	int ret = 0;

	while (pos < len) {
		ret = iou__time_left(deadline, &timeout_ns);
		if (ret)
			break;
		n = len - pos > CHUNK_MAX ? CHUNK_MAX : (unsigned)(len - pos);
		if (is_send)
			ret = iou_send(self, fd, buf + pos, n, flags,
				       timeout_ns);
		else
			ret = iou_write(self, fd, buf + pos, n,
					off == IOU_POS ? IOU_POS : off + pos,
					timeout_ns);
		if (ret < 0)
			break;
		if (ret == 0) {
			/* A write of nothing would repeat forever. */
			ret = -IOU_EIO;
			break;
		}
		pos += (unsigned)ret;
		ret = 0;
	}
	if (done)
		*done = pos;
	return ret;
}

int iou_send_all(struct iou_fiber *self, int fd, const void *buf, size_t len,
		 int flags, uint64_t timeout_ns, size_t *sent)
{
	return all(self, fd, buf, len, flags, 0, timeout_ns, sent, 1);
}

int iou_write_all(struct iou_fiber *self, int fd, const void *buf, size_t len,
		  uint64_t off, uint64_t timeout_ns, size_t *written)
{
	return all(self, fd, buf, len, 0, off, timeout_ns, written, 0);
}

/*
 * Socket addresses, in the kernel's layout (network byte order where the
 * kernel wants it).
 */
struct k_sockaddr_in {
	uint16_t family;
	uint16_t port;		/* big endian */
	uint8_t addr[4];
	uint8_t zero[8];
};

struct k_sockaddr_in6 {
	uint16_t family;
	uint16_t port;		/* big endian */
	uint32_t flowinfo;
	uint8_t addr[16];
	uint32_t scope_id;
};

#define UNIX_PATH_MAX 108

struct k_sockaddr_un {
	uint16_t family;
	char path[UNIX_PATH_MAX];
};

static uint16_t be16(unsigned v)
{
	const uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	uint16_t r;

	iou__memcpy(&r, b, 2);
	return r;
}

static unsigned from_be16(uint16_t v)
{
	uint8_t b[2];

	iou__memcpy(b, &v, 2);
	return (unsigned)b[0] << 8 | b[1];
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Dotted quad "a.b.c.d" (decimal, each 0-255, no leading zeros beyond
 * "0", as inet_pton(3) takes it) from @s up to @end into @out.
 */
static int parse_v4(const char *s, const char *end, uint8_t out[4])
{
	unsigned part, v, digits;

	for (part = 0; part < 4; part++) {
		if (part) {
			if (s == end || *s != '.')
				return -IOU_EINVAL;
			s++;
		}
		v = 0;
		digits = 0;
		while (s < end && *s >= '0' && *s <= '9') {
			if (digits && !v)
				return -IOU_EINVAL;	/* "01" */
			v = v * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || v > 255)
				return -IOU_EINVAL;
		}
		if (!digits)
			return -IOU_EINVAL;
		out[part] = (uint8_t)v;
	}
	return s == end ? 0 : -IOU_EINVAL;
}

/*
 * IPv6 text (RFC 4291 2.2: eight groups of up to four hex digits, one
 * "::" for a run of zeros, a dotted quad for the last 32 bits).
 */
static int parse_v6(const char *s, const char *end, uint8_t out[16])
{
	uint16_t g[8];
	int n = 0, gap = -1, d, digits, i;
	unsigned v;
	const char *p;

	if (end - s >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	} else if (s < end && *s == ':') {
		return -IOU_EINVAL;
	}
	while (s < end) {
		if (n == 8)
			return -IOU_EINVAL;
		/* A dotted quad in place of the last two groups. */
		for (p = s; p < end && *p != ':'; p++)
			if (*p == '.')
				break;
		if (p < end && *p == '.') {
			uint8_t q[4];

			if (n > 6 || parse_v4(s, end, q))
				return -IOU_EINVAL;
			g[n++] = (uint16_t)(q[0] << 8 | q[1]);
			g[n++] = (uint16_t)(q[2] << 8 | q[3]);
			s = end;
			break;
		}
		v = 0;
		digits = 0;
		while (s < end && (d = hexval(*s)) >= 0) {
			v = v << 4 | (unsigned)d;
			s++;
			if (++digits > 4)
				return -IOU_EINVAL;
		}
		if (!digits)
			return -IOU_EINVAL;
		g[n++] = (uint16_t)v;
		if (s == end)
			break;
		if (*s != ':')
			return -IOU_EINVAL;
		s++;
		if (s < end && *s == ':') {
			if (gap >= 0)
				return -IOU_EINVAL;	/* two "::" */
			gap = n;
			s++;
		} else if (s == end) {
			return -IOU_EINVAL;	/* trailing ":" */
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return -IOU_EINVAL;
	iou__memzero(out, 16);
	/* Groups before the gap at the front, the rest at the back. */
	for (i = 0; i < n; i++) {
		int at = gap < 0 || i < gap ? i : 8 - (n - i);

		out[2 * at] = (uint8_t)(g[i] >> 8);
		out[2 * at + 1] = (uint8_t)g[i];
	}
	return 0;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* A socket of @family, options set, bound to @addr, listening: fd or -errno. */
static int make_listener(int family, const void *addr, unsigned addrlen,
			 int backlog, unsigned flags)
{
	int fd, one = 1, v6only, ret;

	fd = iou__sys_socket(family, IOU_SOCK_STREAM | IOU_SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	if (family != IOU_AF_UNIX) {
		ret = iou__sys_setsockopt(fd, IOU_SOL_SOCKET, IOU_SO_REUSEADDR,
					  &one, sizeof(one));
		if (!ret && (flags & IOU_LISTEN_REUSEPORT))
			ret = iou__sys_setsockopt(fd, IOU_SOL_SOCKET,
						  IOU_SO_REUSEPORT, &one,
						  sizeof(one));
		if (!ret && family == IOU_AF_INET6) {
			v6only = (flags & IOU_LISTEN_V6ONLY) != 0;
			ret = iou__sys_setsockopt(fd, IOU_IPPROTO_IPV6,
						  IOU_IPV6_V6ONLY, &v6only,
						  sizeof(v6only));
		}
		if (ret)
			goto err;
	}
	ret = iou__sys_bind(fd, addr, addrlen);
	if (!ret)
		ret = iou__sys_listen(fd, backlog > 0 ? backlog : 4096);
	if (!ret)
		return fd;
err:
	iou__sys_close(fd);
	return ret;
}

int iou_listen_tcp(const char *host, unsigned port, int backlog,
		   unsigned flags)
{
	struct k_sockaddr_in6 a6;
	struct k_sockaddr_in a4;
	const char *end;
	size_t n;

	if (port > 65535 || (flags & ~(IOU_LISTEN_REUSEPORT |
				       IOU_LISTEN_V6ONLY)))
		return -IOU_EINVAL;
	iou__memzero(&a4, sizeof(a4));
	iou__memzero(&a6, sizeof(a6));
	if (!host || !*host) {
		a4.family = IOU_AF_INET;
		a4.port = be16(port);
		return make_listener(IOU_AF_INET, &a4, sizeof(a4), backlog,
				     flags);
	}
	n = str_len(host);
	end = host + n;
	if (!parse_v4(host, end, a4.addr)) {
		a4.family = IOU_AF_INET;
		a4.port = be16(port);
		return make_listener(IOU_AF_INET, &a4, sizeof(a4), backlog,
				     flags);
	}
	/* "[::1]" as in a URL, or bare. */
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		end--;
	}
	if (parse_v6(host, end, a6.addr))
		return -IOU_EINVAL;
	a6.family = IOU_AF_INET6;
	a6.port = be16(port);
	return make_listener(IOU_AF_INET6, &a6, sizeof(a6), backlog, flags);
}

int iou_listen_unix(const char *path, int backlog, unsigned flags)
{
	struct k_sockaddr_un a;
	size_t n;

	if (!path || !*path || flags)
		return -IOU_EINVAL;
	n = str_len(path);
	if (n >= UNIX_PATH_MAX)
		return -IOU_ENAMETOOLONG;
	iou__memzero(&a, sizeof(a));
	a.family = IOU_AF_UNIX;
	iou__memcpy(a.path, path, n);
	/* '@': the abstract namespace, named by the bytes after a NUL. */
	if (path[0] == '@') {
		a.path[0] = 0;
		return make_listener(IOU_AF_UNIX, &a,
				     (unsigned)(sizeof(a.family) + n), backlog,
				     flags);
	}
	return make_listener(IOU_AF_UNIX, &a,
			     (unsigned)(sizeof(a.family) + n + 1), backlog,
			     flags);
}

int iou_local_port(int fd)
{
	struct k_sockaddr_in6 a;
	unsigned len = sizeof(a);
	int ret = iou__sys_getsockname(fd, &a, &len);

	if (ret)
		return ret;
	if (len < 4 || (a.family != IOU_AF_INET && a.family != IOU_AF_INET6))
		return -IOU_EAFNOSUPPORT;
	return (int)from_be16(a.port);
}
