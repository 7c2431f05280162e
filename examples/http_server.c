/* SPDX-License-Identifier: MIT */
/*
 * A small HTTP/1.1 server: one fiber per connection, connections pulled
 * from a listener (one multishot accept on io_uring), as echo_server does.
 *
 *   http_server [--port N] [--root DIR] [--body-path P] [--idle-ms N]
 *		 [--backend uring|epoll|auto] [--plain-fds]
 *	serve on 127.0.0.1:N (0: any free port, printed as "port=N").
 *	GET and HEAD of P (default "/") answer "Hello, world\n"; other paths
 *	are files under DIR (a path ending in '/' means its index.html).
 *	A connection idle for N ms (default 10000; 0: never) is closed.
 *   http_server --self-test [--backend ...]
 *	serve a generated directory and check, from client fibers in the
 *	same loop, keep-alive, pipelining, HEAD, files, 404, 405, 501,
 *	traversal, the size limit, Connection: close, HTTP/1.0, the idle
 *	timeout (http_self_test.c); exit 0 when all pass.
 *
 * Keep-alive: HTTP/1.1 unless "Connection: close", HTTP/1.0 only with
 * "Connection: keep-alive".  Pipelined requests are answered in order,
 * and the answers to every request that arrived in one receive go out in
 * one send.  A request's line and headers must fit in IN_SIZE bytes
 * (else 431).  A request with a body (POST...) is answered, then the
 * connection is closed rather than the body read.  Paths are taken
 * literally after %-decoding; any ".." segment is refused (400).
 * Symbolic links inside the root are followed: the root is trusted.
 *
 * SIGINT and SIGTERM stop it gracefully (iou_loop_stop()).
 */
#define _GNU_SOURCE	/* O_PATH */
#include <iou/loop.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "http_server.h"

#define OUT_SIZE 16384		/* answers gathered before one send */
#define PATH_MAX_LEN 1024

/* A connection and its buffers: one allocation for its whole life. */
struct conn {
	struct server *srv;
	int fd;
	unsigned in_off, in_len;	/* unparsed bytes: in[in_off..in_len) */
	unsigned out_len;
	char in[IN_SIZE];
	char out[OUT_SIZE];
};

enum { M_GET, M_HEAD, M_OTHER, M_UNKNOWN };

struct req {
	int method;
	int http10;
	int keep_alive;
	int has_body;		/* Content-Length > 0 or Transfer-Encoding */
	const char *target;
	unsigned target_len;
};

/* --- answers ----------------------------------------------------------- */

static void put(struct conn *c, const void *p, unsigned n)
{
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

static void put_str(struct conn *c, const char *s)
{
	put(c, s, (unsigned)strlen(s));
}

static void put_u64(struct conn *c, uint64_t v)
{
	char b[24];
	int i = (int)sizeof(b);

	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10));
	put(c, b + i, (unsigned)(sizeof(b) - (unsigned)i));
}

/* Send all @len bytes (a stream socket may take part of them). */
int send_all(struct iou_fiber *self, int fd, const char *p,
		    unsigned len, uint64_t timeout_ns)
{
	int n;

	while (len > 0) {
		n = iou_send(self, fd, p, len, MSG_NOSIGNAL, timeout_ns);
		if (n <= 0)
			return n < 0 ? n : -EPIPE;
		p += n;
		len -= (unsigned)n;
	}
	return 0;
}

static int flush(struct iou_fiber *self, struct conn *c)
{
	int ret = 0;

	if (c->out_len)
		ret = send_all(self, c->fd, c->out, c->out_len,
			       c->srv->idle_ns);
	c->out_len = 0;
	return ret;
}

/* The Date header and the cached answer, once per second at most. */
static void refresh_date(struct server *s)
{
	time_t t = time(NULL);
	struct tm tm;
	int n;

	if (t == s->now && s->date_len)
		return;
	s->now = t;
	gmtime_r(&t, &tm);
	s->date_len = (unsigned)strftime(s->date, sizeof(s->date),
					 "Date: %a, %d %b %Y %H:%M:%S GMT\r\n",
					 &tm);
	n = snprintf(s->hello, sizeof(s->hello),
		     "HTTP/1.1 200 OK\r\nServer: iou\r\n%s"
		     "Content-Type: text/plain\r\nContent-Length: %u\r\n\r\n%s",
		     s->date, (unsigned)strlen(HELLO), HELLO);
	s->hello_len = (unsigned)n;
}

/* Status line and headers; @closing says "Connection: close". */
static void head(struct conn *c, const struct req *r, int status,
		 const char *ctype, uint64_t len, int closing)
{
	static const char *const reason[] = {
		[0] = "200 OK", [1] = "400 Bad Request", [2] = "403 Forbidden",
		[3] = "404 Not Found", [4] = "405 Method Not Allowed",
		[5] = "431 Request Header Fields Too Large",
		[6] = "501 Not Implemented", [7] = "500 Internal Server Error",
	};
	int i = status == 200 ? 0 : status == 400 ? 1 : status == 403 ? 2 :
		status == 404 ? 3 : status == 405 ? 4 : status == 431 ? 5 :
		status == 501 ? 6 : 7;

	put_str(c, "HTTP/1.1 ");
	put_str(c, reason[i]);
	put_str(c, "\r\nServer: iou\r\n");
	put(c, c->srv->date, c->srv->date_len);
	put_str(c, "Content-Type: ");
	put_str(c, ctype);
	put_str(c, "\r\nContent-Length: ");
	put_u64(c, len);
	if (status == 405)
		put_str(c, "\r\nAllow: GET, HEAD");
	if (closing)
		put_str(c, "\r\nConnection: close");
	else if (r && r->http10)
		put_str(c, "\r\nConnection: keep-alive");
	put_str(c, "\r\n\r\n");
}

/* A short text answer; the caller closes when @closing. */
static void short_answer(struct conn *c, const struct req *r, int status,
			 int closing)
{
	char body[64];
	int n = snprintf(body, sizeof(body), "%d\n", status);

	head(c, r, status, "text/plain", (uint64_t)n, closing);
	if (!r || r->method != M_HEAD)
		put(c, body, (unsigned)n);
}

static const char *content_type(const char *path)
{
	static const char *const types[][2] = {
		{ ".html", "text/html" }, { ".htm", "text/html" },
		{ ".txt", "text/plain" }, { ".css", "text/css" },
		{ ".js", "text/javascript" }, { ".json", "application/json" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".gif", "image/gif" },
		{ ".svg", "image/svg+xml" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot && !strchr(dot, '/'))
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcasecmp(dot, types[i][0]))
				return types[i][1];
	return "application/octet-stream";
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/*
 * The request target as a path relative to the root, in @out: query cut
 * off, %XX decoded, "index.html" after a final '/'.  Return: 0, or 400
 * (bad escape, NUL, a ".." segment, too long).
 */
static int target_path(const struct req *r, char *out, size_t size)
{
	const char *p = r->target + 1, *end = r->target + r->target_len;
	const char *q = memchr(p, '?', (size_t)(end - p));
	size_t n = 0, seg = 0;
	int hi, lo;

	if (q)
		end = q;
	for (; p < end; p++) {
		char ch = *p;

		if (ch == '%') {
			if (end - p < 3 || (hi = hexval(p[1])) < 0 ||
			    (lo = hexval(p[2])) < 0)
				return 400;
			ch = (char)(hi << 4 | lo);
			p += 2;
		}
		if (ch == '\0' || n + 11 >= size)
			return 400;
		if (ch == '/') {
			/* "//x" would be an absolute path to openat(). */
			if (n == 0)
				return 400;
			if (n - seg == 2 && !memcmp(out + seg, "..", 2))
				return 400;
			seg = n + 1;
		}
		out[n++] = ch;
	}
	if (n - seg == 2 && !memcmp(out + seg, "..", 2))
		return 400;
	if (n == 0 || out[n - 1] == '/') {
		memcpy(out + n, "index.html", 10);
		n += 10;
	}
	out[n] = '\0';
	return 0;
}

/* Read @len bytes at @off of @fd into @buf; short only at a shrunk file. */
static int read_full(struct iou_fiber *self, int fd, char *buf, unsigned len,
		     uint64_t off)
{
	unsigned got = 0;
	int n;

	while (got < len) {
		n = iou_read(self, fd, buf + got, len - got, off + got, 0);
		if (n <= 0)
			return n < 0 ? n : -EIO;
		got += (unsigned)n;
	}
	return 0;
}

/*
 * Answer a GET or HEAD of a file.  Return: 0, or -errno when the
 * connection must close (a send failed, the file changed under us).
 */
static int serve_file(struct iou_fiber *self, struct conn *c,
		      const struct req *r, int closing)
{
	char path[PATH_MAX_LEN];
	struct stat st;
	uint64_t off, size;
	unsigned n;
	int fd, ret;

	ret = target_path(r, path, sizeof(path));
	if (ret) {
		short_answer(c, r, ret, 1);
		return -EINVAL;
	}
	if (c->srv->root < 0) {
		short_answer(c, r, 404, closing);
		return 0;
	}
	fd = iou_openat(self, c->srv->root, path, O_RDONLY, 0);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			iou_close(self, fd);
		short_answer(c, r, fd == -EACCES ? 403 : 404, closing);
		return 0;
	}
	size = (uint64_t)st.st_size;
	head(c, r, 200, content_type(path), size, closing);
	ret = 0;
	if (r->method == M_HEAD)
		goto out;
	/* Small enough: behind the header, in the same send. */
	if (size <= OUT_SIZE - c->out_len) {
		ret = read_full(self, fd, c->out + c->out_len, (unsigned)size,
				0);
		if (!ret)
			c->out_len += (unsigned)size;
		goto out;
	}
	for (off = 0; off < size && !ret; off += n) {
		ret = flush(self, c);
		n = size - off < OUT_SIZE ? (unsigned)(size - off) : OUT_SIZE;
		if (!ret)
			ret = read_full(self, fd, c->out, n, off);
		if (!ret)
			c->out_len = n;
	}
out:
	iou_close(self, fd);
	return ret;
}

/* --- requests ---------------------------------------------------------- */

/* Does the comma-separated header value @v (@n bytes) hold token @t? */
static int has_token(const char *v, size_t n, const char *t)
{
	size_t tl = strlen(t), i = 0, j;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		for (j = i; j < n && v[j] != ','; j++)
			;
		while (j > i && (v[j - 1] == ' ' || v[j - 1] == '\t'))
			j--;
		if (j - i == tl && !strncasecmp(v + i, t, tl))
			return 1;
		i = j + 1;
	}
	return 0;
}

/*
 * Where the request's head ends: its "\r\n\r\n", or NULL.  glibc's
 * memmem() takes a general path for a 4-byte needle; this is memchr().
 */
static const char *head_end(const char *p, size_t n)
{
	const char *e = p + n;

	while (e - p >= 4 && (p = memchr(p, '\r', (size_t)(e - p - 3)))) {
		if (p[1] == '\n' && p[2] == '\r' && p[3] == '\n')
			return p;
		p++;
	}
	return NULL;
}

/*
 * Parse the request at the head of @p (@n bytes).  Return: its length
 * up to and with the blank line; 0: incomplete; -1: malformed.
 */
static int parse(const char *p, unsigned n, struct req *r)
{
	static const char *const others[] = {
		"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
	};
	const char *end, *line, *eol, *sp1, *sp2, *colon, *v;
	int closing = 0, keep = 0;
	size_t i, ml, vl;

	end = head_end(p, n);
	if (!end)
		return 0;
	eol = memchr(p, '\r', (size_t)(end + 2 - p));
	sp1 = memchr(p, ' ', (size_t)(eol - p));
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
	if (!sp2 || sp1 == p || sp2 == sp1 + 1 || sp1[1] != '/' ||
	    eol - sp2 != 9 || memcmp(sp2 + 1, "HTTP/1.", 7) ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return -1;
	ml = (size_t)(sp1 - p);
	memset(r, 0, sizeof(*r));
	r->method = M_UNKNOWN;
	if (ml == 3 && !memcmp(p, "GET", 3))
		r->method = M_GET;
	else if (ml == 4 && !memcmp(p, "HEAD", 4))
		r->method = M_HEAD;
	for (i = 0; r->method == M_UNKNOWN && i < 7; i++)
		if (ml == strlen(others[i]) && !memcmp(p, others[i], ml))
			r->method = M_OTHER;
	r->target = sp1 + 1;
	r->target_len = (unsigned)(sp2 - sp1 - 1);
	r->http10 = sp2[8] == '0';
	for (line = eol + 2; line < end + 2; line = eol + 2) {
		eol = memchr(line, '\r', (size_t)(end + 2 - line));
		colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon || colon == line)
			return -1;
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		vl = (size_t)(eol - v);
		ml = (size_t)(colon - line);
		if (ml == 10 && !strncasecmp(line, "connection", 10)) {
			closing |= has_token(v, vl, "close");
			keep |= has_token(v, vl, "keep-alive");
		} else if (ml == 14 &&
			   !strncasecmp(line, "content-length", 14)) {
			r->has_body |= vl != 1 || *v != '0';
		} else if (ml == 17 &&
			   !strncasecmp(line, "transfer-encoding", 17)) {
			r->has_body = 1;
		}
	}
	r->keep_alive = !closing && (!r->http10 || keep);
	return (int)(end + 4 - p);
}

/* Answer one request.  Return: 0 to go on, < 0 to close after the flush. */
static int answer(struct iou_fiber *self, struct conn *c, const struct req *r)
{
	struct server *s = c->srv;
	int closing = !r->keep_alive || r->has_body;
	size_t bl = strlen(s->body_path);

	s->requests++;
	if (r->method == M_OTHER || r->method == M_UNKNOWN) {
		short_answer(c, r, r->method == M_OTHER ? 405 : 501, closing);
		return closing ? -1 : 0;
	}
	if (r->target_len == bl && !memcmp(r->target, s->body_path, bl)) {
		if (r->method == M_GET && !closing && !r->http10) {
			/* The benchmark's request: the cached answer. */
			put(c, s->hello, s->hello_len);
			return 0;
		}
		head(c, r, 200, "text/plain", strlen(HELLO), closing);
		if (r->method == M_GET)
			put_str(c, HELLO);
	} else if (serve_file(self, c, r, closing)) {
		return -1;
	}
	return closing ? -1 : 0;
}

/*
 * After our last answer: stop sending, and read what the client still
 * sends until it closes (or briefly), so that unread data does not make
 * the kernel reset the connection before the answer arrives.
 */
static void linger(struct iou_fiber *self, struct conn *c)
{
	char buf[512];

	if (iou_shutdown(self, c->fd, SHUT_WR))
		return;
	while (iou_recv(self, c->fd, buf, sizeof(buf), 0,
			1000ULL * 1000 * 1000) > 0)
		;
}

/* A connection: answer requests until the client or an error ends it. */
static int conn_fiber(struct iou_fiber *self, void *arg)
{
	struct conn *c = arg;
	struct server *s = c->srv;
	struct req r;
	int n, done = 0;

	while (!done) {
		refresh_date(s);
		/* Every complete request received so far, in order. */
		while (c->out_len + 512 < OUT_SIZE) {
			n = parse(c->in + c->in_off, c->in_len - c->in_off, &r);
			if (n == 0)
				break;
			if (n < 0) {
				short_answer(c, NULL, 400, 1);
				done = 2;
				break;
			}
			c->in_off += (unsigned)n;
			if (answer(self, c, &r)) {
				done = 2;
				break;
			}
		}
		if (!done && c->in_off == 0 && c->in_len == IN_SIZE) {
			short_answer(c, NULL, 431, 1);
			done = 2;
		}
		if (flush(self, c))
			break;
		if (done)
			break;
		if (c->in_off == c->in_len) {
			c->in_off = c->in_len = 0;
		} else if (c->in_len == IN_SIZE) {
			memmove(c->in, c->in + c->in_off,
				c->in_len - c->in_off);
			c->in_len -= c->in_off;
			c->in_off = 0;
		}
		if (c->in_len - c->in_off > 0 && c->out_len == 0 &&
		    parse(c->in + c->in_off, c->in_len - c->in_off, &r) > 0)
			continue;	/* more pipelined answers to make */
		n = iou_recv(self, c->fd, c->in + c->in_len,
			     IN_SIZE - c->in_len, 0, s->idle_ns);
		if (n <= 0)
			break;	/* closed, idle too long, failed */
		c->in_len += (unsigned)n;
	}
	if (done == 2)
		linger(self, c);
	iou_close(self, c->fd);
	free(c);
	s->active--;
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

	for (;;) {
		fd = iou_listener_accept(self, s->listener, 0);
		if (fd == -ECANCELED)
			break;
		if (fd < 0) {
			fprintf(stderr, "accept: %s\n", strerror(-fd));
			iou_sleep(self, 10 * 1000 * 1000);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (!s->plain_fds)
			iou_fd_register(loop, fd);
		c = malloc(sizeof(*c));
		if (!c) {
			iou_close(self, fd);
			continue;
		}
		c->srv = s;
		c->fd = fd;
		c->in_off = c->in_len = c->out_len = 0;
		s->accepted++;
		s->active++;
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

static int start(struct iou_fiber *self, void *arg)
{
	struct server *s = arg;
	struct iou_loop *loop = iou_fiber_loop(self);
	struct iou_fiber *acc;
	int ret;

	ret = iou_listener_open(self, s->lfd, &s->listener);
	if (ret)
		return ret;
	if (iou_spawn(loop, acceptor, s, 0, &acc))
		return -1;
	if (s->self_test) {
		/* This fiber is the clients; the server's fibers answer. */
		s->fails = http_self_test(self, s);
		iou_listener_close(self, s->listener);
		iou_join(self, acc, NULL);
	} else {
		/* Until SIGINT/SIGTERM stops the loop. */
		iou_join(self, acc, NULL);
		iou_listener_close(self, s->listener);
	}
	iou_waitgroup_wait(self, &s->conns);
	iou_loop_stop(loop);
	return 0;
}

/* SIGINT/SIGTERM, as loop events: stop the loop (see echo_server). */
static int signal_watch(struct iou_fiber *self, void *arg)
{
	if (iou_signals_wait(self, arg, NULL, 0) > 0)
		iou_loop_stop(iou_fiber_loop(self));
	return 0;
}

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
	struct server srv = { .root = -1, .body_path = "/",
			      .idle_ns = 10000ULL * 1000 * 1000 };
	char tmp[] = "/tmp/iou-http-XXXXXX", www[256];
	const char *root = NULL;
	struct iou_loop *loop;
	struct rlimit rl;
	struct iou_signals sigs;
	int i, ret, fds_before, fds_after;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--self-test")) {
			srv.self_test = 1;
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			srv.port = (unsigned short)atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--root") && i + 1 < argc) {
			root = argv[++i];
		} else if (!strcmp(argv[i], "--body-path") && i + 1 < argc &&
			   argv[i + 1][0] == '/') {
			srv.body_path = argv[++i];
		} else if (!strcmp(argv[i], "--idle-ms") && i + 1 < argc) {
			srv.idle_ns = strtoull(argv[++i], NULL, 10) * 1000000;
		} else if (!strcmp(argv[i], "--plain-fds")) {
			srv.plain_fds = 1;
		} else if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			i++;
			opts.backend = !strcmp(argv[i], "epoll") ?
					       IOU_BACKEND_EPOLL :
				       !strcmp(argv[i], "uring") ?
					       IOU_BACKEND_URING :
					       IOU_BACKEND_AUTO;
		} else {
			fprintf(stderr,
				"usage: %s [--self-test] [--port N] "
				"[--root DIR] [--body-path P] [--idle-ms N] "
				"[--plain-fds] [--backend uring|epoll|auto]\n",
				argv[0]);
			return 2;
		}
	}
	if (srv.self_test) {
		if (http_test_files(tmp, www, sizeof(www))) {
			perror("self-test files");
			return 1;
		}
		root = www;
		srv.idle_ns = 300ULL * 1000 * 1000;
	}
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
	if (root) {
		srv.root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (srv.root < 0) {
			perror(root);
			return 1;
		}
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
	printf("port=%u backend=%s\n", srv.port,
	       iou_loop_backend(loop) == IOU_BACKEND_URING ? "io_uring" :
							     "epoll");
	fflush(stdout);
	if (iou_spawn(loop, start, &srv, 0, NULL) ||
	    iou_spawn(loop, signal_watch, &sigs, 0, NULL))
		return 1;
	ret = iou_loop_run(loop);
	close(srv.lfd);
	iou_loop_destroy(loop);
	if (ret) {
		fprintf(stderr, "iou_loop_run: %s\n", strerror(-ret));
		return 1;
	}
	printf("requests=%ld connections=%ld\n", srv.requests, srv.accepted);
	fds_after = count_fds();
	printf("fds_leaked=%d\n", fds_after - fds_before);
	if (srv.root >= 0)
		close(srv.root);
	iou_signals_close(NULL, &sigs);
	if (srv.self_test)
		http_test_files_remove(tmp);
	if (srv.self_test)
		printf("self-test: %d failed\n", srv.fails);
	return srv.fails || fds_after != fds_before ? 1 : 0;
}
