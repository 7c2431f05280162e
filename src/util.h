/* SPDX-License-Identifier: MIT */
/*
 * Byte helpers shared by src/: the library links no libc and must not emit
 * calls to one.  Compilers recognise a plain store loop as memset/memcpy
 * and call it; an empty asm that "changes" the cursor hides the pattern.
 * The bulk moves 8 bytes a store: ops are zeroed on every fiber I/O call,
 * and a byte loop over an op showed up in the echo server's profile
 * (bench/run: echo_vs_epoll).
 */
#ifndef IOU_SRC_UTIL_H
#define IOU_SRC_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* An 8-byte word that may alias any object (aligned accesses only). */
typedef uint64_t __attribute__((may_alias)) iou__word;

/* Hide @p's value from the optimiser: no loop idiom is recognised. */
#define IOU__OPAQUE(p) __asm__("" : "+r"(p))

static inline void iou__memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t w = (uint64_t)(unsigned char)c * 0x0101010101010101ULL;

	for (; n && ((uintptr_t)d & 7); n--) {
		*d++ = (unsigned char)c;
		IOU__OPAQUE(d);
	}
	for (; n >= 8; n -= 8) {
		*(iou__word *)(void *)d = w;
		d += 8;
		IOU__OPAQUE(d);
	}
	for (; n; n--) {
		*d++ = (unsigned char)c;
		IOU__OPAQUE(d);
	}
}

static inline void iou__memzero(void *dst, size_t n)
{
	iou__memset(dst, 0, n);
}

static inline void iou__memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		for (; n && ((uintptr_t)d & 7); n--) {
			*d++ = *s++;
			IOU__OPAQUE(d);
		}
		for (; n >= 8; n -= 8) {
			const iou__word *w = (const void *)s;

			*(iou__word *)(void *)d = *w;
			d += 8;
			s += 8;
			IOU__OPAQUE(d);
		}
	}
	for (; n; n--) {
		*d++ = *s++;
		IOU__OPAQUE(d);
	}
}

#endif
