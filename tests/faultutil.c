/* SPDX-License-Identifier: MIT */
/*
 * What only the injection suites (test_fault_*) share: they link the
 * library built with the fault hooks (iou_fault_internal).
 */
#include "testutil.h"

#include "fault.h"

#ifndef IOU_FAULT_INJECTION
#error "faultutil.c is built with IOU_FAULT_INJECTION, against iou_fault_internal"
#endif

int t_fault_reset(void **state)
{
	(void)state;
	iou__fault_reset();
	return 0;
}
