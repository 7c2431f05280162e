/* SPDX-License-Identifier: MIT */
/*
 * The loop's private picture: fibers, ops, the fd table, the backend
 * interface.  Shared by the files of src/loop/ only.
 */
#ifndef IOU_SRC_LOOP_INTERNAL_H
#define IOU_SRC_LOOP_INTERNAL_H

#include "iou/loop.h"
#include "iou/ring.h"
#include "iou/register.h"
#include "iou/err.h"
#include "sys.h"
#include "util.h"

/* Everything declared here is internal: no GOT, no PLT, no export. */
#pragma GCC visibility push(hidden)

/* Saved stack pointer of a suspended context (sys/<arch>/context.h). */
struct iou__ctx {
	void *sp;
};

void iou__ctx_init(struct iou__ctx *ctx, void *stack_top, void (*fn)(void *),
		   void *arg);
void iou__ctx_switch(struct iou__ctx *from, struct iou__ctx *to);

/* What an op does: iou__opkinds[] (opkinds.c) says the rest. */
enum iou__op_kind {
	OPK_READ,
	OPK_WRITE,
	OPK_READV,
	OPK_WRITEV,
	OPK_RECV,
	OPK_SEND,
	OPK_RECVMSG,
	OPK_SENDMSG,
	OPK_ACCEPT,
	OPK_CONNECT,
	OPK_SOCKET,
	OPK_BIND,
	OPK_LISTEN,
	OPK_SHUTDOWN,
	OPK_OPENAT,
	OPK_CLOSE,
	OPK_FSYNC,
	OPK_STATX,
	OPK_SPLICE,
	OPK_POLL,
	OPK_SLEEP,
	OPK_MULTI_ACCEPT,	/* owned by a listener, not a fiber */
	OPK_MULTI_RECV,		/* owned by a recv stream */
	OPK__COUNT
};

/* iou__op.flags */
#define OPF_CANCELLED		(1U << 1)	/* a cancel was asked for */
#define OPF_TIMED_OUT		(1U << 2)	/* the link timeout fired */
#define OPF_DONE		(1U << 3)	/* final CQE seen */
#define OPF_HAS_FD		(1U << 4)	/* counted in the fd table */
#define OPF_TIMER		(1U << 6)	/* epoll: in the timer heap */
#define OPF_NOWAIT		(1U << 7)	/* caller asked for MSG_DONTWAIT */

/*
 * One operation in flight.  It lives on the waiting fiber's stack (or in
 * the listener / stream that owns it) and stays there until its final
 * CQE: the kernel may write its buffers until then.
 */
struct iou__op {
	uint8_t kind;
	uint8_t flags;
	uint16_t pending;	/* CQEs still to come (io_uring) */
	int fd;
	int res;
	uint32_t cqe_flags;
	uint32_t slot;		/* in the loop's op table */
	uint32_t gen;
	struct iou_fiber *fiber;	/* waiting fiber, NULL if loop-owned */
	void (*complete)(struct iou_loop *loop, struct iou__op *op,
			 int res, uint32_t flags);	/* loop-owned ops */
	void *owner;		/* the listener / stream */
	/* In the loop's cancel backlog (io_uring: no SQ room for the
	   cancel yet) while cprev is set or it is the list's head. */
	struct iou__op *cnext, *cprev;
	uint64_t timeout_ns;	/* 0: none */
	struct iou_timespec ts;	/* what a timeout SQE points at */
	union {
		struct {
			void *buf;
			unsigned len;
			uint64_t off;
		} rw;
		struct {
			const struct iovec *iov;
			int cnt;
			uint64_t off;
		} vec;
		struct {
			void *buf;
			unsigned len;
			int flags;
		} sock;
		struct {
			void *msg;
			int flags;
		} msg;
		struct {
			void *addr;
			void *addrlen;	/* unsigned * for accept */
			unsigned len;	/* for connect/bind */
			int flags;
		} addr;
		struct {
			int domain, type, protocol;
		} socket;
		struct {
			const char *path;
			int flags;
			unsigned mode;
			unsigned mask;
			void *statxbuf;
		} path;
		struct {
			int fd_in;
			int64_t off_in, off_out;
			unsigned len, flags;
		} splice;
		struct {
			unsigned events;
		} poll;
		struct {
			int how;	/* shutdown, listen backlog, fsync flags */
		} misc;
		struct {
			unsigned bgid;
		} multi;
	} u;
	/* epoll backend */
	struct iou__op *wnext, *wprev;	/* fd readiness wait list */
	uint64_t deadline;		/* absolute ns, 0: none */
	uint32_t heap_idx;
	uint32_t wait_events;		/* EPOLLIN/EPOLLOUT wanted */
	/* in-flight ops of one fd, for iou_close() */
	struct iou__op *fnext, *fprev;
};

/* iou__opkind.flags */
#define OPKF_FD		(1U << 0)	/* op->fd is one iou_close() waits for */
#define OPKF_FIXED	(1U << 1)	/* the SQE may name a registered file */
#define OPKF_RETRY	(1U << 2)	/* -EAGAIN: wait for readiness, retry */
#define OPKF_SYNC	(1U << 3)	/* epoll: done at once, never waits */
#define OPKF_PROBE	(1U << 4)	/* io_uring: the opcode may be missing
					   (probed); then sys() does it */
#define OPKF_MULTI	(1U << 5)	/* multishot: io_uring only */

/*
 * One op kind, for the op layer and both backends (opkinds.c): adding a
 * fiber op is an entry there and its public function in ops.c.
 */
struct iou__opkind {
	const char *name;	/* for iou_loop_dump() */
	uint8_t opcode;		/* IORING_OP_* it submits, and traces as */
	uint8_t flags;		/* OPKF_* */
	/* IOU_POLLIN/IOU_POLLOUT that an -EAGAIN waits for (0: the op's
	   own u.poll.events) */
	uint16_t events;
	/* Its SQE (io_uring backend). */
	void (*prep)(const struct iou__op *op, struct io_uring_sqe *sqe);
	/*
	 * It as a system call that does not block (the epoll backend; the
	 * io_uring backend when a probed opcode is missing): the result, or
	 * -errno (-EAGAIN: not ready).  NULL where there is none.
	 */
	int (*sys)(struct iou__op *op);
};

extern const struct iou__opkind iou__opkinds[OPK__COUNT];

static inline const struct iou__opkind *iou__opkind(const struct iou__op *op)
{
	return &iou__opkinds[op->kind];
}

static inline unsigned iou__op_opcode(const struct iou__op *op)
{
	return iou__opkinds[op->kind].opcode;
}

/* Fiber states. */
#define FIBER_RUNNABLE 1
#define FIBER_WAITING 2
#define FIBER_DONE 3
#define FIBER_PROXY 4	/* not a fiber: a wait-any node in a wait queue */

/* What a waiting fiber waits on, for iou_cancel(). */
#define WAIT_NONE 0
#define WAIT_OP 1	/* fiber->wait_op */
#define WAIT_QUEUE 2	/* a sync-primitive / join wait queue */
#define WAIT_YIELD 3

/*
 * A fiber's stack mapping (stack.c), from low to high: the guard region,
 * the stack, the struct iou_fiber.  Kept whole across reuse from the pool.
 */
struct iou__stack {
	void *map;
	size_t map_size;
	size_t guard_size;	/* the guard: the first guard_size bytes */
	struct iou__guard *reg;	/* its entry in the fault handler's table
				   (overflow.c), or NULL */
	unsigned vg_id;		/* valgrind's id of it (san.h) */
};

/*
 * In iou_fiber.magic from spawn until the handle is consumed (joined, or
 * detached and finished): a handle used after that, while its stack
 * waits in the pool, is refused.  A stack reused by a new fiber, or one
 * of another size (unmapped at once), cannot be told apart this way.
 */
#define IOU__FIBER_MAGIC 0xf1be0001u

struct iou_fiber {
	struct iou__ctx ctx;
	uint32_t magic;		/* IOU__FIBER_MAGIC while the handle is good */
	struct iou_loop *loop;
	iou_fiber_fn fn;
	void *arg;
	int status;
	uint8_t state;
	uint8_t wait_kind;
	uint8_t detached;
	uint8_t cancel_pending;	/* iou_cancel() before it waited */
	int wake_res;		/* what a wait queue hands back */
	struct iou__op *wait_op;
	struct iou_fiber **wait_queue;	/* head of the queue it sits in */
	struct iou_fiber *qnext;	/* run queue / wait queue link */
	struct iou_fiber *joiner;	/* fiber in iou_join() on us */
	struct iou_fiber *all_next, *all_prev;	/* live fibers */
	struct iou__stack stack;
	uint64_t id;		/* spawned as the loop's id-th fiber */
	uint64_t wait_since;	/* iou__now_ns() at the wait's start, when
				   the loop tracks waits; else 0 */
	void *asan_fake_stack;	/* san.h */
	void *tsan_fiber;	/* san.h */
};

/* The loop's op table: user_data names ops by slot and generation. */
struct iou__slot {
	struct iou__op *op;
	uint32_t gen;
	uint32_t next_free;
};

/* Per-fd state. */
struct iou__fdent {
	uint32_t inflight;	/* ops counted with OPF_HAS_FD */
	uint8_t closing;
	uint8_t epoll_added;	/* epoll backend */
	uint8_t nonblock_set;	/* epoll backend: we set O_NONBLOCK */
	uint8_t resv;
	struct iou__op *ops;	/* in flight on this fd */
	struct iou__op *waiters;	/* epoll: waiting for readiness */
	struct iou_fiber *closer;	/* iou_close() waiting for inflight == 0 */
};

/*
 * user_data of the io_uring backend: bits 63-62 say what the CQE is for,
 * 61-32 the generation, 31-0 the op slot.  A CQE whose slot/generation
 * names no live op is stale: counted and ignored.
 */
#define UD_KIND_SHIFT 62
#define UD_OP 0ULL		/* the op itself */
#define UD_TIMEOUT 1ULL		/* its linked timeout */
#define UD_INTERNAL 2ULL	/* cancels, wake-ups: no op attached */
#define UD_GEN_MASK 0x3fffffffU
#define UD_WAKE ((UD_INTERNAL << UD_KIND_SHIFT) | 1)
#define UD_CANCEL ((UD_INTERNAL << UD_KIND_SHIFT) | 2)

static inline uint64_t iou__ud(uint64_t kind, const struct iou__op *op)
{
	return (kind << UD_KIND_SHIFT) |
	       ((uint64_t)(op->gen & UD_GEN_MASK) << 32) | op->slot;
}

/*
 * A recv stream's provided buffers: @nr_bufs buffers of @buf_size bytes
 * at @bufs, buffer id N at bufs + N * buf_size.  The backend fills in the
 * rest when it feeds the group to the kernel (group_open()).
 */
struct iou__group {
	char *bufs;
	unsigned buf_size, nr_bufs;
	unsigned bgid;			/* the kernel's group id */
	struct io_uring_buf_ring *br;	/* io_uring: the buffer ring */
};

/*
 * The private interface both backends implement.  Nothing outside
 * backend_*.c reads a backend's state or asks which backend it is.
 */
struct iou__backend {
	int (*init)(struct iou_loop *loop, const struct iou_loop_opts *opts);
	void (*fini)(struct iou_loop *loop);
	/*
	 * Start @op.  Returns 0 when it is in flight (its completion will
	 * come through wait()), 1 when it completed at once (op->res set),
	 * or -errno when it could not be started.
	 */
	int (*start)(struct iou_loop *loop, struct iou__op *op);
	/* Ask the kernel to cancel @op; its completion still comes. */
	void (*cancel)(struct iou_loop *loop, struct iou__op *op);
	/*
	 * Submit what is queued and collect completions, blocking until at
	 * least one arrives if @block.  Returns the number of events
	 * handled, or -errno.
	 */
	int (*wait)(struct iou_loop *loop, int block);
	/* Wake a loop blocked in wait() (any thread). */
	int (*wake)(struct iou_loop *loop);
	/* Ops the loop itself must wait for (0: nothing can ever complete). */
	unsigned (*busy)(struct iou_loop *loop);
	/*
	 * Put @fd in the registered-file table (@on): 1 when it is in, 0
	 * when it cannot be.  Take it out (!@on): 1 when it was in, 0 when
	 * it was not.  Or -errno.
	 */
	int (*fd_register)(struct iou_loop *loop, int fd, int on);
	/*
	 * Hand @g's buffers to the kernel, to pick from for OPK_MULTI_RECV
	 * (sets g->bgid): 0, or -errno when the backend cannot (the stream
	 * then receives into its buffers itself).
	 */
	int (*group_open)(struct iou_loop *loop, struct iou__group *g);
	/* Give buffer @bid of an open group back to the kernel. */
	void (*group_give)(struct iou_loop *loop, struct iou__group *g,
			   unsigned bid);
	/* Take an open group back; also after fini() (memory only). */
	void (*group_close)(struct iou_loop *loop, struct iou__group *g);
};

extern const struct iou__backend iou__backend_uring;
extern const struct iou__backend iou__backend_epoll;

/*
 * The io_uring backend's ring, or NULL on another backend: for the tests
 * and fuzzers that corrupt it or send to it; the library never uses it.
 */
struct iou_ring *iou__loop_ring(struct iou_loop *loop);

/* io_uring backend state. */
struct iou__uring_state {
	struct iou_ring ring;
	unsigned missing;	/* 1 << kind: opcodes the kernel lacks */
	int msg_ring_wake;	/* IORING_REGISTER_SEND_MSG_RING works */
	int wake_efd;		/* else: an eventfd we poll, -1 if unused */
	struct iou__op wake_op;	/* the poll on wake_efd */
	unsigned internal_ops;	/* registered ops that are not work */
	unsigned next_bgid;	/* provided-buffer groups of recv streams */
	/* Registered files (iou_fd_register): fd N in slot N. */
	unsigned files_nr;	/* slots; 0: no table (yet) */
	int files_state;	/* 0: not tried, 1: table up, < 0: refused */
	uint8_t *files_on;	/* files_nr bytes: 1 if fd N is in the table */
};

/* epoll backend state. */
struct iou__epoll_state {
	int epfd;
	int efd;		/* eventfd for iou_loop_post() */
	struct iou__op **heap;	/* timers, min-heap by deadline */
	uint32_t heap_len, heap_cap;
	unsigned waiting;	/* ops waiting for readiness or time */
};

struct iou__feed;

struct iou_loop {
	const struct iou__backend *be;
	int backend;		/* IOU_BACKEND_* of be, for iou_loop_backend() */
	union {
		struct iou__uring_state ur;
		struct iou__epoll_state ep;
	} b;
	unsigned flags;		/* IOU_LOOP_* */
	int running;
	int stopping;
	int failed;		/* -errno: the backend failed, the loop is
				   done (every later op fails with it) */
	struct iou__op drain_timer;	/* bounds the drain after a failure */
	struct iou__ctx sched;	/* the thread's own stack */
	struct iou_fiber *current;
	struct iou_fiber *runq_head, *runq_tail;
	struct iou_fiber *all;	/* fibers not yet released (finished ones
				   wait here to be joined) */
	struct iou_fiber *dead;	/* finished and detached: free after switch */
	unsigned nfibers;	/* not yet finished */
	size_t stack_size;
	size_t guard_size;	/* page multiple */
	uint64_t fiber_ids;	/* the last fiber id given */
	struct iou_fiber *pool;	/* finished fibers whose stacks can be reused */
	unsigned pool_len;
	struct iou__slot *slots;
	uint32_t nslots, free_slot, live_ops;
	/* Ops whose cancel found no SQ room (io_uring), sent at the next
	   pass; an op leaves the list when it completes or unregisters. */
	struct iou__op *cancel_backlog;
	struct iou__fdent *fds;
	uint32_t nfds;
	struct iou_post *posts;	/* pushed by other threads (atomic) */
	struct iou__feed *feeds;	/* open listeners and streams, for
					   destroy (fastpath.c) */
	int wake_pending;	/* atomic: a wake-up is on its way */
	unsigned handoffs;	/* fiber-to-fiber switches left before the
				   scheduler gets a turn */
	struct iou_loop_stats stats;
	int dump_signal;	/* iou_loop_dump_signal(), 0: none */
	int dump_fd;
	unsigned dump_seen;	/* dump requests seen (dump.c) */
	void (*trace)(void *arg, const struct iou_trace_event *ev);
	void *trace_arg;
	void *sched_stack_bottom;	/* ASan bookkeeping (san.h) */
	void *sched_fake_stack;
	void *tsan_sched;		/* TSan: the thread's own fiber */
	size_t sched_stack_size;
	size_t map_size;
};

/* fiber.c */
void iou__fiber_make_runnable(struct iou_fiber *f);
void iou__fiber_park(struct iou_fiber *self);
void iou__fibers_run(struct iou_loop *loop);

/* loop.c */
void iou__trace(struct iou_loop *loop, unsigned kind, unsigned opcode,
		uint64_t user_data, int res, unsigned flags);

/* stack.c: fiber stacks, a guard region below each, pooled */
#define IOU__STACK_MIN (16 * 1024)
void iou__stack_loop_init(struct iou_loop *loop,
			  const struct iou_loop_opts *opts);
struct iou_fiber *iou__stack_get(struct iou_loop *loop, size_t size);
void iou__stack_put(struct iou_loop *loop, struct iou_fiber *f);
void iou__stack_loop_fini(struct iou_loop *loop);

/* The stack is [bottom, top); a new context starts at top (16-aligned). */
static inline void *iou__stack_top(const struct iou_fiber *f)
{
	return (void *)((uintptr_t)f & ~(uintptr_t)15);
}

static inline void *iou__stack_bottom(const struct iou_fiber *f)
{
	return (char *)f->stack.map + f->stack.guard_size;
}

/* overflow.c: the guard regions the fault handler knows */
int iou__guard_armed(void);
struct iou__guard *iou__guard_add(const struct iou_fiber *f);
void iou__guard_set_id(struct iou__guard *g, uint64_t id);
void iou__guard_remove(struct iou__guard *g);

/* ops.c: the op table, the op life cycle and completion */
int iou__op_register(struct iou_loop *loop, struct iou__op *op);
void iou__op_unregister(struct iou_loop *loop, struct iou__op *op);
int iou__op_start(struct iou_loop *loop, struct iou__op *op);
void iou__op_wait(struct iou_fiber *self, struct iou__op *op);
void iou__op_cancel(struct iou_loop *loop, struct iou__op *op);
struct iou__op *iou__op_lookup(struct iou_loop *loop, uint64_t user_data);
void iou__op_complete(struct iou_loop *loop, struct iou__op *op);
void iou__cancel_defer(struct iou_loop *loop, struct iou__op *op);
void iou__cancel_undefer(struct iou_loop *loop, struct iou__op *op);
struct iou__fdent *iou__fd_get(struct iou_loop *loop, int fd);
int iou__op_track(struct iou_loop *loop, struct iou__op *op);
void iou__op_untrack(struct iou_loop *loop, struct iou__op *op);

/* sync.c: generic wait queues */
int iou__wq_wait(struct iou_fiber *self, struct iou_fiber **queue);
int iou__wq_wait_timeout(struct iou_fiber *self, struct iou_fiber **queue,
			 uint64_t timeout_ns);
struct iou_fiber *iou__wq_wake_one(struct iou_fiber **queue, int res);
void iou__wq_unwait(struct iou_fiber *f, int res);
void iou__wq_push(struct iou_fiber **queue, struct iou_fiber *f);
void iou__wq_remove(struct iou_fiber **queue, struct iou_fiber *f);
void iou__chan_take(struct iou_chan *ch, void *item);

/*
 * any.c: a wait-any node (FIBER_PROXY) @node was taken off a wait queue
 * by a wake-up: 1 when its fiber takes it, 0 to pass it on.
 */
int iou__any_wake(struct iou_fiber *node, int res);

/* fastpath.c: listeners and streams left open, freed by destroy */
void iou__fast_fini(struct iou_loop *loop);

/* mem.c: memory straight from mmap */
void *iou__mem_alloc(size_t size);
void *iou__mem_grow(void *p, size_t old_size, size_t new_size);
void iou__mem_free(void *p, size_t size);

/* dump.c: a dump the dump signal asked for, at the loop's next pass */
void iou__dump_pending(struct iou_loop *loop);

/* env.c */
int iou__env_backend(void);

/* time */
uint64_t iou__now_ns(void);

/* The absolute deadline of a relative @timeout_ns (0: none, stays 0). */
static inline uint64_t iou__deadline(uint64_t timeout_ns)
{
	return timeout_ns ? iou__now_ns() + timeout_ns : 0;
}

/*
 * The time left until @deadline into *@ns: 0, or -ETIMEDOUT once it has
 * passed.  No deadline (0) leaves *@ns alone.
 */
static inline int iou__time_left(uint64_t deadline, uint64_t *ns)
{
	uint64_t now;

	if (!deadline)
		return 0;
	now = iou__now_ns();
	if (now >= deadline)
		return -IOU_ETIMEDOUT;
	*ns = deadline - now;
	return 0;
}

static inline void iou__ns_to_ts(struct iou_timespec *ts, uint64_t ns)
{
	ts->tv_sec = (int64_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long long)(ns % 1000000000ULL);
}

/* When @f's wait begins: noted if the loop tracks waits. */
static inline void iou__wait_begins(struct iou_fiber *f)
{
	f->wait_since = (f->loop->flags & IOU_LOOP_TRACK_WAITS) ?
				iou__now_ns() : 0;
}

#pragma GCC visibility pop

#endif
