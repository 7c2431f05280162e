/* SPDX-License-Identifier: MIT */
/*
 * Byte helpers shared by src/: the library links no libc and must not emit
 * calls to one, so these are plain loops (volatile, so that no compiler
 * turns them back into memset/memcpy calls).
 */
#ifndef IOU_SRC_UTIL_H
#define IOU_SRC_UTIL_H

#include <stddef.h>

static inline void iou__memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
}

static inline void iou__memzero(void *dst, size_t n)
{
	iou__memset(dst, 0, n);
}

static inline void iou__memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const volatile unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

#endif
