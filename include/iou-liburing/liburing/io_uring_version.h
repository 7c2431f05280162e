/* SPDX-License-Identifier: MIT */
/*
 * The liburing release whose API iou's compatibility layer provides in
 * full: 2.15.  A program that checks IO_URING_CHECK_VERSION() before
 * using a newer call keeps to what is here; what the layer does
 * differently is listed at the top of liburing.h.
 */
#ifndef LIBURING_VERSION_H
#define LIBURING_VERSION_H

#define IO_URING_VERSION_MAJOR 2
#define IO_URING_VERSION_MINOR 15

#endif
