/* SPDX-License-Identifier: MIT */
/*
 * Baseline: the benchmark paths of examples/http_server as a plain
 * single-threaded epoll loop (edge-triggered, non-blocking sockets), the
 * way one would write it in C without a library: GET and HEAD of "/"
 * answer "Hello, world\n" with the same headers, keep-alive as HTTP/1.1
 * and 1.0 define it, pipelined requests answered in order with one send
 * per batch, 404 for other paths, 405/501 for other methods, 431 past
 * 4 KiB of headers, connections idle for --idle-ms closed (a sweep once a
 * second, not a timer per read).
 *
 *   http-epoll [--port P] [--idle-ms N]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "opt.h"

#define IN_SIZE 4096
#define OUT_SIZE 16384
#define HELLO "Hello, world\n"

struct conn {
	int fd;
	int closing;		/* close once out is sent */
	unsigned in_len, out_off, out_len;
	long long last_ms;	/* last activity */
	char in[IN_SIZE];
	char out[OUT_SIZE];
};

static struct conn **conns;	/* by fd */
static int nconns;
static long long now_ms, idle_ms = 10000;
static time_t date_t;
static char hello[256], date[48];
static unsigned hello_len, date_len;

static void refresh_date(void)
{
	time_t t = time(NULL);
	struct tm tm;

	if (t == date_t)
		return;
	date_t = t;
	gmtime_r(&t, &tm);
	date_len = (unsigned)strftime(date, sizeof(date),
				      "Date: %a, %d %b %Y %H:%M:%S GMT\r\n",
				      &tm);
	hello_len = (unsigned)snprintf(hello, sizeof(hello),
		"HTTP/1.1 200 OK\r\nServer: iou\r\n%s"
		"Content-Type: text/plain\r\nContent-Length: 13\r\n\r\n%s",
		date, HELLO);
}

static void put(struct conn *c, const char *p, unsigned n)
{
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "200 OK";
	case 404: return "404 Not Found";
	case 405: return "405 Method Not Allowed";
	case 431: return "431 Request Header Fields Too Large";
	case 501: return "501 Not Implemented";
	default: return "400 Bad Request";
	}
}

static void answer(struct conn *c, int status, int head, int closing,
		   int http10)
{
	char h[256], body[16];
	int bl, n;

	if (status == 200 && !closing && !http10 && !head) {
		put(c, hello, hello_len);
		return;
	}
	bl = status == 200 ? 13 :
			     snprintf(body, sizeof(body), "%d\n", status);
	n = snprintf(h, sizeof(h),
		     "HTTP/1.1 %s\r\nServer: iou\r\n%.*s"
		     "Content-Type: text/plain\r\nContent-Length: %d%s%s\r\n\r\n",
		     reason(status), (int)date_len, date, bl,
		     status == 405 ? "\r\nAllow: GET, HEAD" : "",
		     closing ? "\r\nConnection: close" :
		     http10 ? "\r\nConnection: keep-alive" : "");
	put(c, h, (unsigned)n);
	if (!head)
		put(c, status == 200 ? HELLO : body, (unsigned)bl);
}

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

/* Answer the request at the head of @p; its length, 0 incomplete. */
static int request(struct conn *c, const char *p, unsigned n)
{
	const char *end, *eol, *sp1, *sp2, *line, *colon, *v;
	int get, head, known, http10, closing = 0, keep = 0, body = 0;
	size_t ml;

	end = head_end(p, n);
	if (!end)
		return 0;
	eol = memchr(p, '\r', (size_t)(end + 2 - p));
	sp1 = memchr(p, ' ', (size_t)(eol - p));
	sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
	if (!sp2 || sp1 == p || sp1[1] != '/' || eol - sp2 != 9 ||
	    memcmp(sp2 + 1, "HTTP/1.", 7) || (sp2[8] != '0' && sp2[8] != '1')) {
		answer(c, 400, 0, 1, 0);
		c->closing = 1;
		return (int)n;
	}
	ml = (size_t)(sp1 - p);
	get = ml == 3 && !memcmp(p, "GET", 3);
	head = ml == 4 && !memcmp(p, "HEAD", 4);
	known = get || head || (ml == 4 && !memcmp(p, "POST", 4)) ||
		(ml == 3 && !memcmp(p, "PUT", 3)) ||
		(ml == 6 && !memcmp(p, "DELETE", 6));
	http10 = sp2[8] == '0';
	for (line = eol + 2; line < end + 2; line = eol + 2) {
		eol = memchr(line, '\r', (size_t)(end + 2 - line));
		colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon)
			continue;
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		ml = (size_t)(colon - line);
		if (ml == 10 && !strncasecmp(line, "connection", 10)) {
			closing |= has_token(v, (size_t)(eol - v), "close");
			keep |= has_token(v, (size_t)(eol - v), "keep-alive");
		} else if (ml == 14 &&
			   !strncasecmp(line, "content-length", 14)) {
			body |= !(eol - v == 1 && *v == '0');
		} else if (ml == 17 &&
			   !strncasecmp(line, "transfer-encoding", 17)) {
			body = 1;
		}
	}
	closing = closing || (http10 && !keep) || body;
	if (!get && !head)
		answer(c, known ? 405 : 501, 0, closing, http10);
	else if (sp2 - sp1 == 2)
		answer(c, 200, head, closing, http10);
	else
		answer(c, 404, head, closing, http10);
	c->closing |= closing;
	return (int)(end + 4 - p);
}

static void drop(int ep, struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	conns[c->fd] = NULL;
	free(c);
}

/* Send what is pending; 1 when all went, 0 when the socket is full. */
static int flush(int ep, struct conn *c)
{
	ssize_t w;

	while (c->out_off < c->out_len) {
		w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN)
				return 0;
			drop(ep, c);
			return -1;
		}
		c->out_off += (unsigned)w;
	}
	c->out_off = c->out_len = 0;
	if (c->closing) {
		shutdown(c->fd, SHUT_WR);
		drop(ep, c);
		return -1;
	}
	return 1;
}

/*
 * Answer every complete request in c->in, sending whenever the output
 * fills.  Return: 1 done, 0 the socket is full (EPOLLOUT resumes),
 * -1 the connection is gone.
 */
static int process(int ep, struct conn *c)
{
	unsigned off;
	int k, r;

	refresh_date();
	do {
		off = 0;
		while (!c->closing && c->out_len + 512 < OUT_SIZE &&
		       (k = request(c, c->in + off, c->in_len - off)) > 0)
			off += (unsigned)k;
		if (!off && !c->closing && c->in_len == IN_SIZE) {
			answer(c, 431, 0, 1, 0);
			c->closing = 1;
		}
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
		if ((c->out_len || c->closing) && (r = flush(ep, c)) <= 0)
			return r;
	} while (off);
	return 1;
}

/* Read and answer until the socket is empty. */
static void serve(int ep, struct conn *c)
{
	size_t room;
	ssize_t n;

	c->last_ms = now_ms;
	if (process(ep, c) <= 0)
		return;
	for (;;) {
		room = IN_SIZE - c->in_len;
		n = recv(c->fd, c->in + c->in_len, room, 0);
		if (n <= 0) {
			if (n < 0 && errno == EAGAIN)
				return;
			drop(ep, c);
			return;
		}
		c->in_len += (unsigned)n;
		if (process(ep, c) <= 0)
			return;
		/* With EPOLLET a short read emptied the socket. */
		if ((size_t)n < room)
			return;
	}
}

static void sweep(int ep)
{
	int fd;

	for (fd = 0; fd < nconns; fd++)
		if (conns[fd] && now_ms - conns[fd]->last_ms > idle_ms)
			drop(ep, conns[fd]);
}

/* A slot for @fd in the table; 0, or -1 out of memory. */
static int grow(int fd)
{
	struct conn **t;
	int m;

	if (fd < nconns)
		return 0;
	m = fd * 2 + 64;
	t = realloc(conns, sizeof(*t) * (size_t)m);
	if (!t)
		return -1;
	memset(t + nconns, 0, sizeof(*t) * (size_t)(m - nconns));
	conns = t;
	nconns = m;
	return 0;
}

static void accept_all(int ep, int lfd)
{
	struct epoll_event ev;
	struct conn *c;
	int fd, one = 1;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
		c = grow(fd) ? NULL : malloc(sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->closing = 0;
		c->in_len = c->out_off = c->out_len = 0;
		c->last_ms = now_ms;
		conns[fd] = c;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
		ev.data.ptr = c;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct epoll_event ev, evs[256];
	struct timespec ts;
	long long last_sweep = 0;
	int lfd, ep, n, i, one = 1;

	sa.sin_port = htons((unsigned short)atoi(opt(argc, argv, "--port",
						     "9000")));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	idle_ms = atoll(opt(argc, argv, "--idle-ms", "10000"));
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(lfd, 4096)) {
		perror("listen");
		return 1;
	}
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		n = epoll_wait(ep, evs, 256, 1000);
		clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
		now_ms = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
		for (i = 0; i < n; i++) {
			if (evs[i].data.ptr)
				serve(ep, evs[i].data.ptr);
			else
				accept_all(ep, lfd);
		}
		if (now_ms - last_sweep >= 1000) {
			sweep(ep);
			last_sweep = now_ms;
		}
	}
}
