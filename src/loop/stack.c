/* SPDX-License-Identifier: MIT */
/*
 * Fiber stacks: one mapping per fiber, laid out from low to high as
 *
 *   [guard region: PROT_NONE][stack, growing down][struct iou_fiber]
 *
 * so that a fiber running off its stack faults in the guard instead of
 * writing into the mapping below, often another fiber's stack.  Pages are
 * committed as they are touched: the guard costs address space only.
 * Finished stacks of the loop's default size wait in a pool, and spawning
 * one is then syscall-free.
 */
#include "internal.h"
#include "san.h"

#ifdef IOU_ASAN
#define DEFAULT_STACK (256 * 1024)	/* ASan frames are much larger */
#else
#define DEFAULT_STACK (64 * 1024)
#endif

/*
 * Without -fstack-clash-protection a frame moves the stack pointer in one
 * step and may touch its far end first, so the guard must be larger than
 * the frames fiber code declares.  Local I/O buffers of 4 to 64 KiB are
 * common, 128 KiB not rare; 256 KiB covers them with room for the frames
 * in between, and is four times the default stack.  The kernel keeps a
 * 1 MiB gap below the main thread's stack for the same reason, but fibers
 * are many: at the default vm.max_map_count (two mappings a stack, some
 * 32,000 stacks) 256 KiB guards reserve 8 GiB of address space, a small
 * part even of riscv64 Sv39's 256 GiB, where 1 MiB guards would take 32.
 */
#define DEFAULT_GUARD (256 * 1024)
#define POOL_MAX 256

void iou__stack_loop_init(struct iou_loop *loop,
			  const struct iou_loop_opts *opts)
{
	size_t page = iou__page_size();
	size_t guard = opts->guard_size ? opts->guard_size : DEFAULT_GUARD;

	loop->stack_size = opts->stack_size ? opts->stack_size : DEFAULT_STACK;
	loop->guard_size = (guard + page - 1) & ~(page - 1);
}

/*
 * Stacks are unmapped with the raw syscall, which ASan does not intercept:
 * its shadow would keep the dead frames' redzones, and the next mapping at
 * that address (the op table, say) would be reported as a stack underflow.
 * The guard never held a frame: its shadow is left alone (clearing it
 * would commit shadow pages for nothing).
 * @s is a copy: the struct iou_fiber holding the original goes with it.
 */
static void stack_unmap(struct iou__stack s)
{
	/* Out of the handler's table first: no report names a freed stack. */
	if (s.reg)
		iou__guard_remove(s.reg);
	iou__san_stack_free(&s);
	iou__sys_munmap(s.map, s.map_size);
	iou__alloc_note(-1);
}

static struct iou_fiber *stack_new(struct iou_loop *loop, size_t size)
{
	size_t page = iou__page_size();
	size_t guard = loop->guard_size;
	size_t len = (size + sizeof(struct iou_fiber) + page - 1) & ~(page - 1);
	struct iou_fiber *f;
	char *map;

	/*
	 * Mapped inaccessible, then the stack part made writable: the guard
	 * never is, so it is never charged against the commit limit either
	 * (vm.overcommit_memory=2 ignores MAP_NORESERVE).
	 */
	map = iou__sys_mmap(0, guard + len, IOU_PROT_NONE,
			    IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS |
				    IOU_MAP_NORESERVE | IOU_MAP_STACK,
			    -1, 0);
	if (iou__is_err(map))
		return 0;
	if (iou__sys_mprotect(map + guard, len,
			      IOU_PROT_READ | IOU_PROT_WRITE)) {
		iou__sys_munmap(map, guard + len);
		return 0;
	}
	f = (struct iou_fiber *)(((uintptr_t)map + guard + len -
				  sizeof(struct iou_fiber)) &
				 ~(uintptr_t)63);
	iou__memzero(f, sizeof(*f));
	f->stack.map = map;
	f->stack.map_size = guard + len;
	f->stack.guard_size = guard;
	iou__san_stack_new(&f->stack, map + guard, map + guard + len);
	iou__alloc_note(1);
	return f;
}

/* A zeroed fiber on a stack of @size bytes, numbered, or NULL (no memory). */
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
	} else {
		f = stack_new(loop, size);
		if (!f)
			return 0;
	}
	f->id = ++loop->fiber_ids;
	/*
	 * Once the overflow handler is installed every stack goes into its
	 * table, those made before at their next use.  A stack the table
	 * has no room for works as well; its overflow is just not named.
	 */
	if (f->stack.reg)
		iou__guard_set_id(f->stack.reg, f->id);
	else if (iou__guard_armed())
		f->stack.reg = iou__guard_add(f);
	return f;
}

/* A finished fiber's stack goes back to the pool (or the kernel). */
void iou__stack_put(struct iou_loop *loop, struct iou_fiber *f)
{
	size_t want = loop->stack_size + sizeof(struct iou_fiber);
	size_t have = f->stack.map_size - f->stack.guard_size;

	iou__san_fiber_gone(f);
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
		iou__san_fiber_gone(f);
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

uint64_t iou_fiber_id(const struct iou_fiber *fiber)
{
	return fiber ? fiber->id : 0;
}
