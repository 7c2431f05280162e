/* SPDX-License-Identifier: MIT */
/*
 * The liburing release whose API iou's compatibility layer provides in
 * full: 2.3 (Debian 12's), with a few later calls.  It moves up as the
 * layer covers later releases (2.15 is the goal), so that a program that
 * checks IO_URING_CHECK_VERSION() before using a newer call keeps to
 * what is here.
 */
#ifndef LIBURING_VERSION_H
#define LIBURING_VERSION_H

#define IO_URING_VERSION_MAJOR 2
#define IO_URING_VERSION_MINOR 3

#endif
