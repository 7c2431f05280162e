/* SPDX-License-Identifier: MIT */
/*
 * A line of text built without stdio or allocation, for what the library
 * writes to an fd itself: the stack overflow report (from a signal
 * handler), the loop dump, a refused IOU_BACKEND.
 */
#ifndef IOU_SRC_LOOP_TEXT_H
#define IOU_SRC_LOOP_TEXT_H

#include "sys.h"

struct iou__line {
	unsigned len;
	char buf[256];	/* what does not fit is cut */
};

static inline void iou__put_n(struct iou__line *l, const char *s, unsigned n)
{
	while (n-- && l->len < sizeof(l->buf))
		l->buf[l->len++] = *s++;
}

static inline void iou__put(struct iou__line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf))
		l->buf[l->len++] = *s++;
}

/* @v in @base (10 or 16; 16 with "0x" before it). */
static inline void iou__put_num(struct iou__line *l, uint64_t v, unsigned base)
{
	char digits[24];
	unsigned n = 0;

	if (base == 16)
		iou__put(l, "0x");
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n && l->len < sizeof(l->buf))
		l->buf[l->len++] = digits[--n];
}

/* All of it to @fd: 0, or the write's -errno. */
static inline int iou__line_write(int fd, const struct iou__line *l)
{
	unsigned off = 0;
	long n;

	while (off < l->len) {
		n = iou__sys_write(fd, l->buf + off, l->len - off);
		if (n == -IOU_EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? (int)n : -IOU_EIO;
		off += (unsigned)n;
	}
	return 0;
}

#endif
