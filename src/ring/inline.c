/* SPDX-License-Identifier: MIT */
/*
 * Real, exported copies of every inline function of the public headers,
 * for callers that cannot use a C header (FFI, fuzzers): the headers are
 * compiled once more here with IOU_INLINE meaning "exported".
 */
#include "iou/api.h"
#undef IOU_INLINE
#define IOU_INLINE IOU_API

#include "iou/ring.h"
#include "iou/register.h"
#include "iou/prep.h"
