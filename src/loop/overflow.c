/* SPDX-License-Identifier: MIT */
/*
 * Naming the fiber that overflowed its stack: a table of the stacks'
 * guard regions, and a SIGSEGV/SIGBUS handler that looks the faulting
 * address up in it (iou_stack_overflow_handler_install()).
 *
 * The handler may run on any thread at any moment, also while another
 * thread adds or removes an entry, so it reads the table without locks.
 * Chunks of entries are only ever added (pushed on a list with a CAS,
 * never popped or freed); an entry belongs to one stack mapping at a time
 * (claimed with a CAS), and only its owner writes it, under a sequence
 * count the handler checks (a seqlock whose reader never waits: an entry
 * caught mid-write is skipped, and the faulting fiber's own entry is never
 * mid-write, its thread being the one in the handler).  The handler makes
 * system calls and nothing else: no lock, no allocation, no libc.
 */
#include "internal.h"
#include "text.h"
#include "sys/signal.h"

__asm__(IOU_SIGNAL_ASM);

#ifdef IOU_SA_RESTORER
/* Defined by IOU_SIGNAL_ASM, hidden like everything internal. */
__attribute__((visibility("hidden"))) void iou__sigreturn(void);
#endif

/* One stack mapping's guard region and stack, as the handler reads them. */
struct iou__guard {
	unsigned seq;		/* odd while the owner rewrites the entry */
	unsigned taken;		/* owned by a stack mapping */
	struct chunk *chunk;	/* the chunk holding the entry */
	uintptr_t lo;		/* the guard region is [lo, bottom) */
	uintptr_t bottom;	/* the stack is [bottom, top) */
	uintptr_t top;
	uintptr_t fiber;	/* the handle, for the report */
	uint64_t id;
};

#define CHUNK_BYTES (64 * 1024)
#define CHUNK_ENTRIES                                                          \
	((CHUNK_BYTES - 2 * sizeof(void *)) / sizeof(struct iou__guard))

struct chunk {
	struct chunk *next;	/* the older chunk; set before the push */
	unsigned used;		/* entries taken: a claim skips a full chunk */
	struct iou__guard e[CHUNK_ENTRIES];
};

_Static_assert(sizeof(struct chunk) <= CHUNK_BYTES, "a chunk fits its mapping");

static struct chunk *chunks;	/* newest first */
static int armed;		/* stacks go into the table */
static int installed;		/* 0, 1: being installed, 2: installed */
static struct iou_ksigaction prev_segv, prev_bus;

int iou__guard_armed(void)
{
	return __atomic_load_n(&armed, __ATOMIC_RELAXED);
}

/* The owner rewrites its entry: pairs with entry_read()'s two loads of seq. */
static void entry_write(struct iou__guard *g, uintptr_t lo, uintptr_t bottom,
			uintptr_t top, uintptr_t fiber, uint64_t id)
{
	unsigned seq = __atomic_load_n(&g->seq, __ATOMIC_RELAXED);

	__atomic_store_n(&g->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&g->lo, lo, __ATOMIC_RELAXED);
	__atomic_store_n(&g->bottom, bottom, __ATOMIC_RELAXED);
	__atomic_store_n(&g->top, top, __ATOMIC_RELAXED);
	__atomic_store_n(&g->fiber, fiber, __ATOMIC_RELAXED);
	__atomic_store_n(&g->id, id, __ATOMIC_RELAXED);
	__atomic_store_n(&g->seq, seq + 2, __ATOMIC_RELEASE);
}

/* A consistent copy of @g in @out, or 0 if its owner kept rewriting it. */
static int entry_read(struct iou__guard *g, struct iou__guard *out)
{
	unsigned seq, tries;

	for (tries = 0; tries < 4; tries++) {
		seq = __atomic_load_n(&g->seq, __ATOMIC_ACQUIRE);
		if (seq & 1)
			continue;
		out->lo = __atomic_load_n(&g->lo, __ATOMIC_RELAXED);
		out->bottom = __atomic_load_n(&g->bottom, __ATOMIC_RELAXED);
		out->top = __atomic_load_n(&g->top, __ATOMIC_RELAXED);
		out->fiber = __atomic_load_n(&g->fiber, __ATOMIC_RELAXED);
		out->id = __atomic_load_n(&g->id, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&g->seq, __ATOMIC_RELAXED) == seq)
			return 1;
	}
	return 0;
}

/* Make @g ours if it is free (pairs with iou__guard_remove()'s release). */
static int take(struct iou__guard *g)
{
	unsigned free = 0;

	return !__atomic_load_n(&g->taken, __ATOMIC_RELAXED) &&
	       __atomic_compare_exchange_n(&g->taken, &free, 1, 0,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* A free entry, made ours; a new chunk when every one is taken. */
static struct iou__guard *claim(void)
{
	struct chunk *c, *head;
	unsigned i;

	for (c = __atomic_load_n(&chunks, __ATOMIC_ACQUIRE); c; c = c->next) {
		if (__atomic_load_n(&c->used, __ATOMIC_RELAXED) >=
		    CHUNK_ENTRIES)
			continue;
		for (i = 0; i < CHUNK_ENTRIES; i++)
			if (take(&c->e[i])) {
				__atomic_fetch_add(&c->used, 1,
						   __ATOMIC_RELAXED);
				return &c->e[i];
			}
	}
	c = iou__mem_alloc(sizeof(*c));
	if (!c)
		return 0;
	for (i = 0; i < CHUNK_ENTRIES; i++)
		c->e[i].chunk = c;
	c->e[0].taken = 1;
	c->used = 1;
	/* Pairs with the acquire loads of chunks: c->next and the entries
	   are in place before the handler can reach them. */
	head = __atomic_load_n(&chunks, __ATOMIC_RELAXED);
	do {
		c->next = head;
	} while (!__atomic_compare_exchange_n(&chunks, &head, c, 0,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	return &c->e[0];
}

struct iou__guard *iou__guard_add(const struct iou_fiber *f)
{
	struct iou__guard *g = claim();

	if (g)
		entry_write(g, (uintptr_t)f->stack.map,
			    (uintptr_t)iou__stack_bottom(f),
			    (uintptr_t)iou__stack_top(f), (uintptr_t)f, f->id);
	return g;
}

void iou__guard_set_id(struct iou__guard *g, uint64_t id)
{
	entry_write(g, g->lo, g->bottom, g->top, g->fiber, id);
}

void iou__guard_remove(struct iou__guard *g)
{
	entry_write(g, 0, 0, 0, 0, 0);
	__atomic_fetch_sub(&g->chunk->used, 1, __ATOMIC_RELAXED);
	/* Pairs with claim()'s acquire CAS: the next owner sees it cleared. */
	__atomic_store_n(&g->taken, 0, __ATOMIC_RELEASE);
}

/* The entry whose guard region holds @addr, copied to @out. */
static int lookup(uintptr_t addr, struct iou__guard *out)
{
	struct chunk *c;
	unsigned i;

	for (c = __atomic_load_n(&chunks, __ATOMIC_ACQUIRE); c; c = c->next)
		for (i = 0; i < CHUNK_ENTRIES; i++)
			if (entry_read(&c->e[i], out) && addr >= out->lo &&
			    addr < out->bottom)
				return 1;
	return 0;
}

/* The report, built in a buffer on the alternate stack: no stdio. */
static void report(int sig, uintptr_t addr, const struct iou__guard *g)
{
	struct iou__line l;

	l.len = 0;
	iou__put(&l, "iou: fiber stack overflow: fiber ");
	iou__put_num(&l, g->id, 10);
	iou__put(&l, " (");
	iou__put_num(&l, g->fiber, 16);
	iou__put(&l, ") stack ");
	iou__put_num(&l, g->bottom, 16);
	iou__put(&l, "-");
	iou__put_num(&l, g->top, 16);
	iou__put(&l, " (");
	iou__put_num(&l, g->top - g->bottom, 10);
	iou__put(&l, " bytes), guard ");
	iou__put_num(&l, g->lo, 16);
	iou__put(&l, "-");
	iou__put_num(&l, g->bottom, 16);
	iou__put(&l, " (");
	iou__put_num(&l, g->bottom - g->lo, 10);
	iou__put(&l, sig == IOU_SIGBUS ? " bytes), SIGBUS at " :
				    " bytes), SIGSEGV at ");
	iou__put_num(&l, addr, 16);
	iou__put(&l, "\n");
	iou__line_write(2, &l);
}

/* What happened before the install: the previous handler, or the default. */
static void chain(int sig, struct iou_ksiginfo *si, void *uc,
		  const struct iou_ksigaction *prev)
{
	static const struct iou_ksigaction dfl;

	if (prev->handler == IOU_SIG_IGN && !IOU_SI_FROM_KERNEL(si->code))
		return;
	if (prev->handler == IOU_SIG_DFL || prev->handler == IOU_SIG_IGN) {
		/*
		 * A fault runs again on return and meets the default action
		 * (the kernel never lets a fault be ignored).  A signal sent
		 * by a process does not come back: send it again, to be
		 * delivered once the handler returns.
		 */
		iou__sys_rt_sigaction(sig, &dfl, 0);
		if (!IOU_SI_FROM_KERNEL(si->code))
			iou__sys_tgkill(iou__sys_getpid(), iou__sys_gettid(),
					sig);
		return;
	}
	if (prev->flags & IOU_SA_SIGINFO)
		((void (*)(int, void *, void *))prev->handler)(sig, si, uc);
	else
		((void (*)(int))prev->handler)(sig);
}

static void on_fault(int sig, struct iou_ksiginfo *si, void *uc)
{
	const struct iou_ksigaction *prev =
		sig == IOU_SIGBUS ? &prev_bus : &prev_segv;
	struct iou__guard g;

	if (IOU_SI_FROM_KERNEL(si->code) &&
	    lookup((uintptr_t)si->addr, &g)) {
		report(sig, (uintptr_t)si->addr, &g);
		/*
		 * Then on as without us, but for one thing: a previous
		 * handler runs here, on the alternate stack, which it may
		 * not have had.  Its action goes back in place first: if we
		 * return, the faulting instruction runs again, and that
		 * second fault must meet it, not us.
		 */
		iou__sys_rt_sigaction(sig, prev, 0);
	}
	chain(sig, si, uc, prev);
}

static int install_handlers(void)
{
	struct iou_ksigaction act;
	int ret;

	iou__memzero(&act, sizeof(act));
	act.handler = (void *)on_fault;
	act.flags = IOU_SA_SIGINFO | IOU_SA_ONSTACK | IOU_SA_RESTART;
#ifdef IOU_SA_RESTORER
	act.flags |= IOU_SA_RESTORER;
	act.restorer = iou__sigreturn;
#endif
	/* Bit n-1 is signal n: the other fault signal waits meanwhile. */
	act.mask = (1UL << (IOU_SIGSEGV - 1)) | (1UL << (IOU_SIGBUS - 1));
	/* Read first, set after: the handler never sees a half-saved one. */
	ret = iou__sys_rt_sigaction(IOU_SIGSEGV, 0, &prev_segv);
	if (!ret)
		ret = iou__sys_rt_sigaction(IOU_SIGBUS, 0, &prev_bus);
	if (ret)
		return ret;
	ret = iou__sys_rt_sigaction(IOU_SIGSEGV, &act, 0);
	if (ret)
		return ret;
	ret = iou__sys_rt_sigaction(IOU_SIGBUS, &act, 0);
	if (ret)
		iou__sys_rt_sigaction(IOU_SIGSEGV, &prev_segv, 0);
	return ret;
}

/*
 * An alternate signal stack for the calling thread, unless it has one:
 * a guard page, then 128 KiB, committed only if a signal runs on it.
 * That holds the largest signal frames (x86_64 with AVX-512, arm64 with
 * SVE or SME state) besides the handler's own small frame.
 */
#define ALTSTACK_SIZE (128 * 1024)

static int altstack_setup(void)
{
	size_t page = iou__page_size();
	struct iou_kstack cur, ss;
	char *map;
	int ret;

	ret = iou__sys_sigaltstack(0, &cur);
	if (ret)
		return ret;
	if (!(cur.flags & IOU_SS_DISABLE))
		return 0;
	map = iou__sys_mmap(0, page + ALTSTACK_SIZE, IOU_PROT_NONE,
			    IOU_MAP_PRIVATE | IOU_MAP_ANONYMOUS |
				    IOU_MAP_NORESERVE | IOU_MAP_STACK,
			    -1, 0);
	if (iou__is_err(map))
		return -IOU_ENOMEM;
	ret = iou__sys_mprotect(map + page, ALTSTACK_SIZE,
				IOU_PROT_READ | IOU_PROT_WRITE);
	if (ret)
		goto err;
	ss.sp = map + page;
	ss.flags = 0;
	ss.size = ALTSTACK_SIZE;
	ret = iou__sys_sigaltstack(&ss, 0);
	if (ret)
		goto err;
	return 0;
err:
	iou__sys_munmap(map, page + ALTSTACK_SIZE);
	return ret;
}

int iou_stack_overflow_handler_install(void)
{
	int idle = 0, ret;

	if (__atomic_compare_exchange_n(&installed, &idle, 1, 0,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		/* Stacks go into the table before the handler can look. */
		__atomic_store_n(&armed, 1, __ATOMIC_RELAXED);
		ret = install_handlers();
		if (ret) {
			__atomic_store_n(&armed, 0, __ATOMIC_RELAXED);
			__atomic_store_n(&installed, 0, __ATOMIC_RELEASE);
			return ret;
		}
		__atomic_store_n(&installed, 2, __ATOMIC_RELEASE);
	}
	return altstack_setup();
}
