/* SPDX-License-Identifier: MIT */
/*
 * http_server --self-test: client fibers in the server's loop check
 * keep-alive, pipelining, HEAD, files, 404, 405, 501, path traversal, the
 * request-size limit, Connection: close, HTTP/1.0 and the idle timeout,
 * against files made in a temporary directory.
 */
#define _GNU_SOURCE	/* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http_server.h"

#define T_NS (5ULL * 1000 * 1000 * 1000)	/* no client wait is longer */
#define BIG_SIZE 100000

struct client {
	int fd;
	unsigned len;		/* bytes in buf */
	char buf[8192];
};

/* One answer as the client saw it. */
struct resp {
	int status;
	long clen;
	int conn_close, conn_keep;
	char ctype[64];
	unsigned body_len;	/* bytes of body received */
	char body[256];		/* the first of them */
	unsigned sum;		/* a hash of the whole body */
};

static unsigned big_byte(unsigned i)
{
	return (i * 131 + (i >> 7)) & 0xff;
}

static unsigned hash(unsigned h, const char *p, unsigned n)
{
	while (n--)
		h = (h ^ (unsigned char)*p++) * 16777619u;
	return h;
}

static int c_open(struct iou_fiber *self, struct server *s, struct client *c)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(s->port);
	c->len = 0;
	c->fd = iou_socket(self, AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0)
		return c->fd;
	return iou_connect(self, c->fd, (struct sockaddr *)&sa, sizeof(sa),
			   T_NS);
}

static int c_send(struct iou_fiber *self, struct client *c, const char *req)
{
	return send_all(self, c->fd, req, (unsigned)strlen(req), T_NS);
}

/* More bytes into c->buf; 0 at EOF. */
static int c_fill(struct iou_fiber *self, struct client *c)
{
	int n;

	if (c->len == sizeof(c->buf))
		return -ENOBUFS;
	n = iou_recv(self, c->fd, c->buf + c->len,
		     (unsigned)(sizeof(c->buf) - c->len), 0, T_NS);
	if (n > 0)
		c->len += (unsigned)n;
	return n;
}

static void c_eat(struct client *c, unsigned n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* Read one answer (to a HEAD if @is_head: no body). */
static int c_resp(struct iou_fiber *self, struct client *c, int is_head,
		  struct resp *r)
{
	char *end, *line, *eol;
	unsigned hl, n;
	int ret;

	memset(r, 0, sizeof(*r));
	r->sum = 2166136261u;
	while (!(end = memmem(c->buf, c->len, "\r\n\r\n", 4)))
		if ((ret = c_fill(self, c)) <= 0)
			return ret ? ret : -EPIPE;
	*end = '\0';
	if (sscanf(c->buf, "HTTP/1.1 %d", &r->status) != 1)
		return -EPROTO;
	r->clen = -1;
	for (line = strstr(c->buf, "\r\n"); line; line = eol) {
		line += 2;
		eol = strstr(line, "\r\n");
		if (eol)
			*eol = '\0';
		if (!strncasecmp(line, "Content-Length: ", 16))
			r->clen = atol(line + 16);
		else if (!strncasecmp(line, "Content-Type: ", 14))
			snprintf(r->ctype, sizeof(r->ctype), "%s", line + 14);
		else if (!strcasecmp(line, "Connection: close"))
			r->conn_close = 1;
		else if (!strcasecmp(line, "Connection: keep-alive"))
			r->conn_keep = 1;
	}
	hl = (unsigned)(end + 4 - c->buf);
	c_eat(c, hl);
	if (r->clen < 0)
		return -EPROTO;
	while (!is_head && r->body_len < (unsigned long)r->clen) {
		if (!c->len && (ret = c_fill(self, c)) <= 0)
			return ret ? ret : -EPIPE;
		n = (unsigned long)r->clen - r->body_len;
		if (n > c->len)
			n = c->len;
		if (r->body_len < sizeof(r->body) - 1)
			memcpy(r->body + r->body_len, c->buf,
			       n < sizeof(r->body) - 1 - r->body_len ?
				       n : sizeof(r->body) - 1 - r->body_len);
		r->sum = hash(r->sum, c->buf, n);
		r->body_len += n;
		c_eat(c, n);
	}
	return 0;
}

/* The server closed: EOF, with nothing more sent. */
static int c_eof(struct iou_fiber *self, struct client *c)
{
	return c->len == 0 && c_fill(self, c) == 0;
}

static int fails;

#define CHECK(cond, what)                                                    \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: %s\n", __func__,        \
				__LINE__, what);                             \
			fails++;                                             \
			goto out;                                            \
		}                                                            \
	} while (0)

/* Keep-alive: several requests, one connection, body and files. */
static void t_keepalive(struct iou_fiber *self, struct server *s)
{
	struct client c;
	struct resp r;
	unsigned h;
	int i;
	char b;

	CHECK(!c_open(self, s, &c), "connect");
	for (i = 0; i < 3; i++) {
		CHECK(!c_send(self, &c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n"),
		      "send");
		CHECK(!c_resp(self, &c, 0, &r), "answer");
		CHECK(r.status == 200 && !strcmp(r.body, HELLO) &&
			      !strcmp(r.ctype, "text/plain") && !r.conn_close,
		      "GET / is the body");
	}
	CHECK(!c_send(self, &c, "GET /a.txt?x=1 HTTP/1.1\r\n\r\n"), "send");
	CHECK(!c_resp(self, &c, 0, &r), "answer");
	CHECK(r.status == 200 && !strcmp(r.body, "alpha\n") &&
		      !strcmp(r.ctype, "text/plain"), "GET /a.txt");
	CHECK(!c_send(self, &c, "GET /sub/ HTTP/1.1\r\n\r\n"), "send");
	CHECK(!c_resp(self, &c, 0, &r), "answer");
	CHECK(r.status == 200 && !strcmp(r.body, "<p>sub</p>\n") &&
		      !strcmp(r.ctype, "text/html"), "GET /sub/ is its index");
	CHECK(!c_send(self, &c, "GET /big%2ebin HTTP/1.1\r\n\r\n"), "send");
	CHECK(!c_resp(self, &c, 0, &r), "answer");
	CHECK(r.status == 200 && r.body_len == BIG_SIZE, "GET /big.bin");
	for (h = 2166136261u, i = 0; i < BIG_SIZE; i++) {
		b = (char)big_byte((unsigned)i);
		h = hash(h, &b, 1);
	}
	CHECK(r.sum == h, "GET /big.bin: content");
out:
	iou_close(self, c.fd);
}

/* Pipelining: four requests in one send, four answers in order. */
static void t_pipeline(struct iou_fiber *self, struct server *s)
{
	struct client c;
	struct resp r;

	CHECK(!c_open(self, s, &c), "connect");
	CHECK(!c_send(self, &c,
		      "GET / HTTP/1.1\r\n\r\n"
		      "HEAD /a.txt HTTP/1.1\r\n\r\n"
		      "GET /a.txt HTTP/1.1\r\n\r\n"
		      "GET /missing HTTP/1.1\r\n\r\n"), "send");
	CHECK(!c_resp(self, &c, 0, &r) && r.status == 200 &&
		      !strcmp(r.body, HELLO), "1st: GET /");
	CHECK(!c_resp(self, &c, 1, &r) && r.status == 200 && r.clen == 6 &&
		      r.body_len == 0, "2nd: HEAD /a.txt");
	CHECK(!c_resp(self, &c, 0, &r) && r.status == 200 &&
		      !strcmp(r.body, "alpha\n"), "3rd: GET /a.txt");
	CHECK(!c_resp(self, &c, 0, &r) && r.status == 404, "4th: 404");
	/* HEAD of the body: its length, no body (the next answer follows). */
	CHECK(!c_send(self, &c,
		      "HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n"), "send");
	CHECK(!c_resp(self, &c, 1, &r) && r.status == 200 && r.clen == 13,
	      "HEAD /");
	CHECK(!c_resp(self, &c, 0, &r) && r.status == 200 &&
		      !strcmp(r.body, HELLO) && c.len == 0, "GET / after HEAD");
out:
	iou_close(self, c.fd);
}

/* One request on a new connection: its status, and whether it closed. */
static void one(struct iou_fiber *self, struct server *s, const char *req,
		int status, int closes)
{
	struct client c;
	struct resp r;

	CHECK(!c_open(self, s, &c), "connect");
	CHECK(!c_send(self, &c, req), "send");
	CHECK(!c_resp(self, &c, !strncmp(req, "HEAD", 4), &r), req);
	if (r.status != status || r.conn_close != closes)
		fprintf(stderr, "  %.40s: status %d, close %d\n", req, r.status,
			r.conn_close);
	CHECK(r.status == status && r.conn_close == closes, req);
	if (closes)
		CHECK(c_eof(self, &c), "closed after Connection: close");
	else {
		/* Still open: a second request is answered. */
		CHECK(!c_send(self, &c, "GET / HTTP/1.1\r\n\r\n"), "send");
		CHECK(!c_resp(self, &c, 0, &r) && r.status == 200,
		      "kept open");
	}
out:
	iou_close(self, c.fd);
}

static void t_errors(struct iou_fiber *self, struct server *s)
{
	char big[IN_SIZE + 200];
	size_t n;

	one(self, s, "GET /missing.txt HTTP/1.1\r\n\r\n", 404, 0);
	one(self, s, "GET /../secret HTTP/1.1\r\n\r\n", 400, 1);
	one(self, s, "GET /sub/../../secret HTTP/1.1\r\n\r\n", 400, 1);
	one(self, s, "GET /%2e%2e/secret HTTP/1.1\r\n\r\n", 400, 1);
	one(self, s, "GET //etc/passwd HTTP/1.1\r\n\r\n", 400, 1);
	one(self, s, "GET /sub HTTP/1.1\r\n\r\n", 404, 0); /* a directory */
	one(self, s, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 405, 0);
	one(self, s, "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
	    405, 1);
	one(self, s, "BREW / HTTP/1.1\r\n\r\n", 501, 0);
	one(self, s, "nonsense\r\n\r\n", 400, 1);
	one(self, s, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 200, 1);
	one(self, s, "GET / HTTP/1.0\r\n\r\n", 200, 1);
	one(self, s, "GET /a.txt HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
	    200, 0);
	one(self, s, "HEAD /a.txt HTTP/1.1\r\nConnection: x, close\r\n\r\n",
	    200, 1);
	/* Headers past the limit. */
	n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nX-Pad: ");
	memset(big + n, 'a', sizeof(big) - n - 1);
	big[sizeof(big) - 1] = '\0';
	one(self, s, big, 431, 1);
}

/* A connection that sends nothing is closed after the idle time. */
static void t_idle(struct iou_fiber *self, struct server *s)
{
	struct client c;
	uint64_t t0 = iou_now(iou_fiber_loop(self)), ms;

	CHECK(!c_open(self, s, &c), "connect");
	CHECK(c_eof(self, &c), "idle connection closed");
	ms = (iou_now(iou_fiber_loop(self)) - t0) / 1000000;
	CHECK(ms * 1000000 + 50000000 >= s->idle_ns,
	      "not before the idle time");
out:
	iou_close(self, c.fd);
}

static int put_file(const char *dir, const char *name, const char *data,
		    size_t len)
{
	char path[1024];
	FILE *f;
	size_t w;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	w = fwrite(data, 1, len, f);
	return fclose(f) || w != len ? -1 : 0;
}

/* TMP/www/{a.txt,big.bin,sub/index.html}, and TMP/secret outside it. */
int http_test_files(char *tmp, char *www, size_t size)
{
	char sub[512], *big;
	unsigned i;
	int ret;

	if (!mkdtemp(tmp))
		return -1;
	snprintf(www, size, "%s/www", tmp);
	snprintf(sub, sizeof(sub), "%s/sub", www);
	if (mkdir(www, 0755) || mkdir(sub, 0755))
		return -1;
	big = malloc(BIG_SIZE);
	if (!big)
		return -1;
	for (i = 0; i < BIG_SIZE; i++)
		big[i] = (char)big_byte(i);
	ret = put_file(tmp, "secret", "secret\n", 7) ||
	      put_file(www, "a.txt", "alpha\n", 6) ||
	      put_file(sub, "index.html", "<p>sub</p>\n", 11) ||
	      put_file(www, "big.bin", big, BIG_SIZE);
	free(big);
	return ret ? -1 : 0;
}

void http_test_files_remove(const char *tmp)
{
	static const char *const names[] = {
		"www/sub/index.html", "www/sub", "www/a.txt", "www/big.bin",
		"www", "secret",
	};
	char path[512];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, names[i]);
		if (unlink(path))
			rmdir(path);
	}
	rmdir(tmp);
}

int http_self_test(struct iou_fiber *self, struct server *s)
{
	t_keepalive(self, s);
	t_pipeline(self, s);
	t_errors(self, s);
	t_idle(self, s);
	printf("self-test: %ld requests on %ld connections\n", s->requests,
	       s->accepted);
	return fails;
}
