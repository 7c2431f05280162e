/* SPDX-License-Identifier: MIT */
/* Everything iou offers, in one include. */
#ifndef IOU_IOU_H
#define IOU_IOU_H

#include "abi.h"
#include "ring.h"
#include "register.h"
#include "prep.h"
#include "loop.h"

#endif
