/* SPDX-License-Identifier: MIT */
/*
 * Baseline: a TCP echo server on libuv (its usual shape: read callback,
 * uv_write of the same bytes, buffers from malloc).
 *
 *   uv-echo --port P
 */
#include <uv.h>

#include <stdio.h>
#include <stdlib.h>

struct wreq {
	uv_write_t req;
	uv_buf_t buf;
};

static void on_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
	(void)h;
	buf->base = malloc(size > 4096 ? 4096 : size);
	buf->len = buf->base ? (size > 4096 ? 4096 : size) : 0;
}

static void on_close(uv_handle_t *h)
{
	free(h);
}

static void on_written(uv_write_t *req, int status)
{
	struct wreq *w = (struct wreq *)req;

	(void)status;
	free(w->buf.base);
	free(w);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct wreq *w;

	if (n > 0) {
		w = malloc(sizeof(*w));
		w->buf = uv_buf_init(buf->base, (unsigned)n);
		uv_write(&w->req, s, &w->buf, 1, on_written);
		return;
	}
	free(buf->base);
	if (n < 0)
		uv_close((uv_handle_t *)s, on_close);
}

static void on_conn(uv_stream_t *server, int status)
{
	uv_tcp_t *c;

	if (status < 0)
		return;
	c = malloc(sizeof(*c));
	uv_tcp_init(server->loop, c);
	if (uv_accept(server, (uv_stream_t *)c) == 0) {
		uv_tcp_nodelay(c, 1);
		uv_read_start((uv_stream_t *)c, on_alloc, on_read);
	} else {
		uv_close((uv_handle_t *)c, on_close);
	}
}

int main(int argc, char **argv)
{
	uv_loop_t *loop = uv_default_loop();
	struct sockaddr_in addr;
	uv_tcp_t server;

	uv_ip4_addr("127.0.0.1", argc > 2 ? atoi(argv[2]) : 9000, &addr);
	uv_tcp_init(loop, &server);
	if (uv_tcp_bind(&server, (const struct sockaddr *)&addr, 0) ||
	    uv_listen((uv_stream_t *)&server, 4096, on_conn)) {
		fprintf(stderr, "listen failed\n");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	return uv_run(loop, UV_RUN_DEFAULT);
}
