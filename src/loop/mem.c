/* SPDX-License-Identifier: MIT */
/*
 * Memory for the loop straight from mmap: no allocator, no libc.  Tables
 * grow with mremap, which moves them without copying page contents.
 */
#include "internal.h"

static size_t page_round(size_t size)
{
	unsigned long page = iou__page_size();

	return (size + page - 1) & ~(size_t)(page - 1);
}

void *iou__mem_alloc(size_t size)
{
	void *p = iou__sys_mmap(0, page_round(size),
				IOU_PROT_READ | IOU_PROT_WRITE,
				IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS, -1, 0);

	if (iou__is_err(p))
		return 0;
	iou__alloc_note(1);
	return p;
}

void *iou__mem_grow(void *p, size_t old_size, size_t new_size)
{
	void *q;

	if (!p)
		return iou__mem_alloc(new_size);
	q = iou__sys_mremap(p, page_round(old_size), page_round(new_size),
			    IOU_MREMAP_MAYMOVE);
	return iou__is_err(q) ? 0 : q;
}

void iou__mem_free(void *p, size_t size)
{
	if (p) {
		iou__sys_munmap(p, page_round(size));
		iou__alloc_note(-1);
	}
}
