/* SPDX-License-Identifier: MIT */
/* examples/http_server: what the server and its self-test share. */
#ifndef IOU_EXAMPLE_HTTP_SERVER_H
#define IOU_EXAMPLE_HTTP_SERVER_H

#include <iou/loop.h>

#include <stddef.h>
#include <time.h>

#define IN_SIZE 4096		/* a request's line and headers, at most */
#define HELLO "Hello, world\n"

struct server {
	struct iou_listener *listener;
	int lfd;
	int root;		/* --root, O_PATH; -1: none */
	unsigned short port;
	const char *body_path;
	uint64_t idle_ns;
	int plain_fds;
	int self_test;		/* --self-test */
	int fails;		/* its failed checks */
	long accepted, active, requests;
	struct iou_waitgroup conns;
	/* "Date: ...\r\n" and the whole keep-alive answer to GET of the
	 * body path, made again when the second changes. */
	time_t now;
	char date[48];
	unsigned date_len;
	char hello[256];
	unsigned hello_len;
};

/* Send all @len bytes; 0, or -errno (-EPIPE: the peer took none). */
int send_all(struct iou_fiber *self, int fd, const char *p, unsigned len,
	     uint64_t timeout_ns);

/* http_self_test.c */

/* Check the server from client fibers; the number of failed checks. */
int http_self_test(struct iou_fiber *self, struct server *s);

/* Make @tmp (a mkdtemp() template) with the files the tests serve from
 * @www (@size bytes, filled in); 0 or -1. */
int http_test_files(char *tmp, char *www, size_t size);

void http_test_files_remove(const char *tmp);

#endif
