/* SPDX-License-Identifier: MIT */
/*
 * The oracle side of test_abi: the lists of abi_list.h expanded against
 * <linux/io_uring.h> from linux-headers.  This file must not see
 * <iou/abi.h>; test_abi.c expands the same lists against ours.
 */
#include <stddef.h>
#include <linux/io_uring.h>

#include "abi_list.h"

/* Kernel side of what was renamed since linux-headers 6.1. */
#define ABI_R(s, old, cur) ABI_RENAMED_ENTRY(s, old, old, cur)
#define ABI_O(s, old, cur) ABI_RETYPED_ENTRY(s, old, old, cur)
#define ABI_SR(k, ours) { #k "/" #ours, sizeof(struct k), _Alignof(struct k) },

ABI_DEFINE_TABLES(abi_kernel_, )
