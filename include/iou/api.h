/* SPDX-License-Identifier: MIT */
/*
 * Export and inline control shared by every public header.
 *
 * The library is built with hidden visibility; the export macro below
 * marks the few names it exports.  The inline macro marks the fast paths
 * that are inline in the headers: callers get a static inline copy, and
 * src/ring/inline.c compiles the same headers once more with the inline
 * macro meaning "exported", so every inline also exists as a real symbol
 * for FFI users.
 */
#ifndef IOU_VISIBILITY_H
#define IOU_VISIBILITY_H

#if defined(__GNUC__) || defined(__clang__)
/* Exported from libiou.a and libiou.so. */
#define IOU_API __attribute__((visibility("default")))
#else
/* Exported (no visibility control on this compiler). */
#define IOU_API
#endif

#ifndef IOU_INLINE
#define IOU_INLINE static inline
#endif

#ifdef __cplusplus
#define IOU_EXTERN_C_BEGIN extern "C" {
#define IOU_EXTERN_C_END }
#else
#define IOU_EXTERN_C_BEGIN
#define IOU_EXTERN_C_END
#endif

#endif
