/* SPDX-License-Identifier: MIT */
/*
 * Fiber stacks: one mapping per fiber, laid out from low to high as
 *
 *   [guard page: PROT_NONE][stack, growing down][struct iou_fiber]
 *
 * so that a fiber running off its stack faults in the guard instead of
 * writing into the mapping below, often another fiber's stack.  Pages are
 * committed as they are touched.  Finished stacks of the loop's default
 * size wait in a pool, and spawning one is then syscall-free.
 */
#include "internal.h"

#ifdef IOU_ASAN
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define DEFAULT_STACK (256 * 1024)	/* ASan frames are much larger */
#else
#define DEFAULT_STACK (64 * 1024)
#endif

#define POOL_MAX 256

void iou__stack_loop_init(struct iou_loop *loop,
			  const struct iou_loop_opts *opts)
{
	loop->stack_size = opts->stack_size ? opts->stack_size : DEFAULT_STACK;
	loop->guard_size = iou__page_size();
}

/*
 * Stacks are unmapped with the raw syscall, which ASan does not intercept:
 * its shadow would keep the dead frames' redzones, and the next mapping at
 * that address (the op table, say) would be reported as a stack underflow.
 * @s is a copy: the struct iou_fiber holding the original goes with it.
 */
static void stack_unmap(struct iou__stack s)
{
#ifdef IOU_ASAN
	__asan_unpoison_memory_region(s.map, s.map_size);
#endif
	iou__sys_munmap(s.map, s.map_size);
}

static struct iou_fiber *stack_new(struct iou_loop *loop, size_t size)
{
	size_t page = iou__page_size();
	size_t guard = loop->guard_size;
	size_t map_size = ((size + sizeof(struct iou_fiber) + page - 1) &
			   ~(page - 1)) +
			  guard;
	struct iou_fiber *f;
	char *map;

	map = iou__sys_mmap(0, map_size, IOU_PROT_READ | IOU_PROT_WRITE,
			    IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS |
				    IOU_MAP_NORESERVE | IOU_MAP_STACK,
			    -1, 0);
	if (iou__is_err(map))
		return 0;
	if (iou__sys_mprotect(map, guard, IOU_PROT_NONE)) {
		iou__sys_munmap(map, map_size);
		return 0;
	}
	f = (struct iou_fiber *)(((uintptr_t)map + map_size -
				  sizeof(struct iou_fiber)) &
				 ~(uintptr_t)63);
	iou__memzero(f, sizeof(*f));
	f->stack.map = map;
	f->stack.map_size = map_size;
	f->stack.guard_size = guard;
	return f;
}

/* A zeroed fiber on a stack of @size bytes, or NULL (no memory). */
struct iou_fiber *iou__stack_get(struct iou_loop *loop, size_t size)
{
	struct iou_fiber *f;
	struct iou__stack s;

	if (size == loop->stack_size && loop->pool) {
		f = loop->pool;
		loop->pool = f->qnext;
		loop->pool_len--;
		s = f->stack;
		iou__memzero(f, sizeof(*f));
		f->stack = s;
		return f;
	}
	return stack_new(loop, size);
}

/* A finished fiber's stack goes back to the pool (or the kernel). */
void iou__stack_put(struct iou_loop *loop, struct iou_fiber *f)
{
	size_t want = loop->stack_size + sizeof(struct iou_fiber);
	size_t have = f->stack.map_size - f->stack.guard_size;

	/* Keep default-sized stacks for reuse; spawning is then syscall-free. */
	if (loop->pool_len < POOL_MAX && have >= want &&
	    have - want < iou__page_size()) {
		f->qnext = loop->pool;
		loop->pool = f;
		loop->pool_len++;
		return;
	}
	stack_unmap(f->stack);
}

/* Every stack of the loop: its fibers' (finished or not) and the pool's. */
void iou__stack_loop_fini(struct iou_loop *loop)
{
	struct iou_fiber *f, *next;

	for (f = loop->all; f; f = next) {
		next = f->all_next;
		stack_unmap(f->stack);
	}
	for (f = loop->pool; f; f = next) {
		next = f->qnext;
		stack_unmap(f->stack);
	}
	loop->all = 0;
	loop->pool = 0;
	loop->pool_len = 0;
}
