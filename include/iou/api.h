/* SPDX-License-Identifier: MIT */
/*
 * Export and inline control shared by every public header.
 *
 * IOU_API marks what the library exports; everything else is built with
 * hidden visibility.  IOU_INLINE marks the fast paths that are inline in
 * the headers: callers get a static inline copy, and src/ring/inline.c
 * compiles the same headers once more with IOU_INLINE defined as IOU_API so
 * that every inline also exists as a real symbol for FFI users.
 */
#ifndef IOU_API_H
#define IOU_API_H

#if defined(__GNUC__) || defined(__clang__)
#define IOU_API __attribute__((visibility("default")))
#else
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
