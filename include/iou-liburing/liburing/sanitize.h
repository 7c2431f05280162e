/* SPDX-License-Identifier: MIT */
/*
 * liburing's hooks for its AddressSanitizer build (liburing 2.8 on): they
 * tell the sanitizer which memory a request hands the kernel.  This
 * layer has no such build, so they do nothing, as liburing's do in an
 * ordinary one.
 */
#ifndef LIBURING_SANITIZE_H
#define LIBURING_SANITIZE_H

/*
 * liburing marks its functions noexcept for C++ with this; liburing.h
 * has it from here, for programs that use it too.
 */
#ifndef LIBURING_NOEXCEPT
#ifdef __cplusplus
#define LIBURING_NOEXCEPT noexcept
#else
#define LIBURING_NOEXCEPT
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct io_uring;
struct iovec;

static inline void liburing_sanitize_ring(struct io_uring *ring)
	LIBURING_NOEXCEPT
{
	(void)ring;
}

static inline void liburing_sanitize_address(const void *addr)
	LIBURING_NOEXCEPT
{
	(void)addr;
}

static inline void liburing_sanitize_region(const void *addr,
					    unsigned int len) LIBURING_NOEXCEPT
{
	(void)addr;
	(void)len;
}

static inline void liburing_sanitize_iovecs(const struct iovec *iovecs,
					    unsigned nr) LIBURING_NOEXCEPT
{
	(void)iovecs;
	(void)nr;
}

#ifdef __cplusplus
}
#endif

#endif
