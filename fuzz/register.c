/* SPDX-License-Identifier: MIT */
/*
 * Fuzz surface: io_uring_register through the library's wrappers, on a
 * real ring, and the ops that use what was registered.  The input is a
 * script of register calls with fuzzed arguments: fixed files (dense,
 * sparse, tagged, updates, the allocation range), fixed buffers (from an
 * anonymous mapping of ours, sparse, tagged, updates, cloned to a second
 * ring), eventfds, probes, personalities, restrictions (on a ring that
 * starts disabled), io-wq affinity and limits, the wait clock, the ring
 * fd itself, provided-buffer rings (iou_setup_buf_ring()/free, adding
 * and advancing buffers, raw registration, the head), synchronous
 * cancels and NAPI; between them, ops that use what is registered:
 * READ_FIXED/WRITE_FIXED on a pipe, reads through fixed files, recv on a
 * socketpair picking from a buffer group, NOPs under a personality.
 *
 * Every address handed to the kernel for it to write through lies in
 * memory of ours (or is not mapped at all): the arena for data, a zeroed
 * page for raw buffer rings.
 *
 * Checked: every call returns 0, a count or a clean -errno; every CQE
 * names an op of ours, once, with a result >= -4095; a recv that picked a
 * buffer names a buffer id added to its group, within that buffer's
 * length, holding the bytes sent; and after the ring is torn down no fd
 * and no mapping is left behind.
 */
#include <iou/iou.h>

#include "fault.h"
#include "harness.h"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define PAGE 4096UL
#define ARENA_SIZE (64 * 1024)
#define MAX_OPS 256
#define MAX_BR 4
#define MAX_ADDED 256

/* Data buffers (fixed buffers, provided buffers) and the raw buffer ring
   page: mapped once, with an inaccessible page after each. */
static char *arena, *pbuf_page;

/* The arena's first half takes fixed-buffer I/O, the second provided
   buffers, so that a recv's bytes stay where the kernel put them. */
#define PBUF_BASE (ARENA_SIZE / 2)

/* A buffer staged into a group during this input. */
struct added {
	uint16_t bid;
	uint8_t bgid;
	uint8_t inc;		/* IOU_PBUF_RING_INC: consumed in pieces */
	uint32_t off, len;	/* in the arena */
};

struct bufring {
	struct io_uring_buf_ring *br;
	unsigned entries, bgid, flags, staged;
};

struct state {
	struct iou_ring ring, ring2;
	int have_ring2;
	int disabled;		/* R_DISABLED and not yet enabled */
	int pipefd[2], sv[2], efd;
	struct bufring br[MAX_BR];
	struct added added[MAX_ADDED];
	unsigned nadded;
	unsigned raw_bgid_mask;	/* bgids registered raw (pbuf_page) */
	int personality;
	unsigned issued, reaped;
	uint8_t seen[MAX_OPS];
	uint8_t op_bgid[MAX_OPS];	/* 0xff: not a buffer-select recv */
	unsigned max_workers[2];
	int workers_set;
};

static struct state st;
static const char pattern[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static void check_ret(long ret)
{
	CHECK(ret >= -4095);
}

/* An fd for a file table slot: ours, empty, the ring's own, or bogus. */
static int pick_fd(uint8_t v)
{
	switch (v % 8) {
	case 0: return st.pipefd[0];
	case 1: return st.pipefd[1];
	case 2: return st.sv[0];
	case 3: return st.sv[1];
	case 4: return st.efd;
	case 5: return -1;
	case 6: return st.ring.ring_fd;
	default: return 1000 + v;
	}
}

/* A buffer for the kernel to pin: in the arena, or nowhere it can reach. */
static void pick_iov(struct cursor *c, struct iovec *iov)
{
	uint8_t how = take8(c);
	uint32_t off = take16(c) % ARENA_SIZE;
	uint32_t len = take16(c);

	switch (how % 4) {
	case 0:
	case 1:
		iov->iov_base = arena + off;
		iov->iov_len = len % (ARENA_SIZE - off + 1);
		break;
	case 2:
		iov->iov_base = NULL;
		iov->iov_len = len % 64;
		break;
	default:
		/* Unmapped: the guard page after the arena. */
		iov->iov_base = arena + ARENA_SIZE;
		iov->iov_len = 1 + len % PAGE;
		break;
	}
}

/*
 * Completions
 */

/* Does any other buffer staged this input overlap @ad (its bytes may
   have been written over since)? */
static int overlapped(const struct added *ad)
{
	const struct added *o;

	for (o = st.added; o < st.added + st.nadded; o++)
		if (o != ad && o->off < ad->off + ad->len &&
		    ad->off < o->off + o->len)
			return 1;
	return 0;
}

/*
 * Tags of registered files and buffers: the kernel posts a CQE carrying
 * the tag when it lets go of the resource.  0 means none.
 */
#define TAG_BASE 0x7a9000000ULL

static uint64_t make_tag(uint8_t v)
{
	return v ? TAG_BASE + v : 0;
}

static void take_cqe(const struct io_uring_cqe *cqe)
{
	uint64_t ud = cqe->user_data;
	const struct added *ad;
	unsigned bid;

	if (ud > TAG_BASE && ud <= TAG_BASE + 0xff) {
		CHECK(cqe->res == 0);
		return;
	}
	CHECK(ud < st.issued);
	CHECK(!st.seen[ud]);
	CHECK(cqe->res >= -4095);
	st.seen[ud] = 1;
	st.reaped++;
	if (st.op_bgid[ud] == 0xff || cqe->res <= 0 ||
	    !(cqe->flags & IORING_CQE_F_BUFFER) || st.nadded == MAX_ADDED)
		return;
	/* A buffer was picked: one staged in that group, holding the data. */
	bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	for (ad = st.added; ad < st.added + st.nadded; ad++) {
		if (ad->bgid != st.op_bgid[ud] || ad->bid != bid)
			continue;
		if (ad->inc)
			return;	/* consumed in pieces: no fixed place */
		if ((unsigned)cqe->res <= ad->len &&
		    (overlapped(ad) ||
		     !memcmp(arena + ad->off, pattern, (size_t)cqe->res)))
			return;
	}
	CHECK(0);
}

static void reap(unsigned wait_ms)
{
	struct iou_timespec ts = { 0, (long long)wait_ms * 1000000 };
	struct io_uring_cqe *cqe;
	unsigned head, n;
	int ret;

	if (st.disabled)
		return;
	if (wait_ms && st.reaped < st.issued) {
		ret = iou_wait_cqe_timeout(&st.ring, &cqe, &ts);
		CHECK(ret == 0 || ret == -ETIME || ret == -EINTR ||
		      ret == -EBADR);
	}
	n = 0;
	iou_for_each_cqe(&st.ring, head, cqe) {
		take_cqe(cqe);
		n++;
	}
	iou_cq_advance(&st.ring, n);
}

static struct io_uring_sqe *new_sqe(uint8_t bgid)
{
	struct io_uring_sqe *sqe;

	if (st.issued == MAX_OPS || st.disabled)
		return NULL;
	sqe = iou_get_sqe(&st.ring);
	if (!sqe) {
		check_ret(iou_submit(&st.ring));
		reap(1);
		sqe = iou_get_sqe(&st.ring);
		if (!sqe)
			return NULL;
	}
	st.op_bgid[st.issued] = bgid;
	iou_sqe_set_data64(sqe, st.issued++);
	return sqe;
}

static void submit_and_reap(void)
{
	int ret = iou_submit(&st.ring);

	CHECK(ret >= 0 || ret == -EBADFD || ret == -EBUSY || ret == -EAGAIN ||
	      ret == -EBADF);
	reap(2);
}

/*
 * Ops that use what was registered
 */

static void op_rw_fixed(uint8_t a, uint8_t b, uint8_t c)
{
	struct io_uring_sqe *sqe = new_sqe(0xff);
	unsigned off = (unsigned)(b * 211U) % PBUF_BASE;
	unsigned len = 1 + c % 128;

	if (!sqe)
		return;
	if (len > PBUF_BASE - off)
		len = PBUF_BASE - off;
	if (a & 1) {
		if (write(st.pipefd[1], pattern, 1 + c % 16) < 0)
			CHECK(errno == EAGAIN);
		iou_prep_read_fixed(sqe, st.pipefd[0], arena + off, len, 0,
				    a >> 4);
	} else {
		iou_prep_write_fixed(sqe, st.pipefd[1], arena + off, len, 0,
				     a >> 4);
	}
	if (a & 2) {
		/* The fd as a fixed-file index instead. */
		sqe->fd = c % 8;
		sqe->flags |= IOSQE_FIXED_FILE;
	}
	submit_and_reap();
}

static void op_recv_select(uint8_t a, uint8_t b, uint8_t c)
{
	struct io_uring_sqe *sqe;
	unsigned bgid = a % 6;

	if (send(st.sv[1], pattern, 1 + b % (sizeof(pattern) - 1),
		 MSG_DONTWAIT) < 0)
		CHECK(errno == EAGAIN);
	sqe = new_sqe((uint8_t)bgid);
	if (!sqe)
		return;
	iou_prep_recv(sqe, st.sv[0], NULL, c, MSG_DONTWAIT);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	iou_sqe_set_buf_group(sqe, bgid);
	submit_and_reap();
}

static void op_nop_personality(uint8_t a)
{
	struct io_uring_sqe *sqe = new_sqe(0xff);

	if (!sqe)
		return;
	iou_prep_nop(sqe);
	sqe->personality = (a & 1) ? (uint16_t)st.personality : a;
	submit_and_reap();
}

/*
 * Provided-buffer rings
 */

static void br_setup(uint8_t a, uint8_t b)
{
	struct bufring *br = &st.br[a % MAX_BR];
	unsigned entries = (b & 0x80) ? b : 1U << (b % 8);
	int err = 1;

	if (br->br)
		return;
	br->bgid = (a >> 2) % 6;
	br->flags = (a >> 5) & 3;
	br->entries = entries;
	br->br = iou_setup_buf_ring(&st.ring, entries, br->bgid, br->flags, &err);
	if (!br->br) {
		CHECK(err < 0 && err >= -4095);
		return;
	}
	CHECK(err == 0);
	br->staged = 0;
}

static void br_free(uint8_t a)
{
	struct bufring *br = &st.br[a % MAX_BR];

	if (!br->br)
		return;
	check_ret(iou_free_buf_ring(&st.ring, br->br, br->entries, br->bgid));
	br->br = NULL;
}

/* Stage buffers from the arena; advance (publish) some or all. */
static void br_add(struct cursor *c, uint8_t a, uint8_t b)
{
	struct bufring *br = &st.br[a % MAX_BR];
	unsigned n = 1 + b % 8, i, mask;
	struct added *ad;

	if (!br->br)
		return;
	mask = iou_buf_ring_mask(br->entries);
	for (i = 0; i < n; i++) {
		struct added tmp;

		/* Past MAX_ADDED nothing is recorded, and nothing checked. */
		ad = st.nadded < MAX_ADDED ? &st.added[st.nadded++] : &tmp;
		ad->bid = take16(c);
		ad->bgid = (uint8_t)br->bgid;
		ad->inc = !!(br->flags & IOU_PBUF_RING_INC);
		ad->off = PBUF_BASE + take16(c) % (ARENA_SIZE - PBUF_BASE);
		ad->len = take16(c) % (ARENA_SIZE - ad->off + 1);
		iou_buf_ring_add(br->br, arena + ad->off, ad->len, ad->bid, mask,
				 br->staged + i);
	}
	br->staged += n;
	if (a & 0x80) {
		iou_buf_ring_advance(br->br, br->staged);
		br->staged = 0;
	}
}

static void br_raw(struct cursor *c, uint8_t a, uint8_t b)
{
	struct io_uring_buf_reg reg;
	unsigned bgid = 6 + a % 4;	/* apart from the groups of br_setup() */

	if (a & 0x80) {
		check_ret(iou_unregister_buf_ring(&st.ring, bgid));
		st.raw_bgid_mask &= ~(1U << bgid);
		return;
	}
	memset(&reg, 0, sizeof(reg));
	switch (b % 4) {
	case 0:
		reg.ring_addr = (uint64_t)(uintptr_t)pbuf_page;
		break;
	case 1:
		reg.ring_addr = (uint64_t)(uintptr_t)pbuf_page + 1 + b;
		break;
	case 2:
		reg.ring_addr = 0;
		break;
	default:
		reg.ring_addr = (uint64_t)(uintptr_t)(pbuf_page + PAGE);
		break;
	}
	/* The page holds 256 entries at most; more are refused or unmapped. */
	reg.ring_entries = (b & 0x40) ? take16(c) : 1U << ((b >> 2) % 9);
	reg.bgid = (uint16_t)bgid;
	reg.flags = (uint16_t)((b >> 4) & 1);	/* never MMAP with an addr */
	if (take8(c) & 1)
		reg.resv[0] = take8(c);
	if (iou_register_buf_ring(&st.ring, &reg) == 0)
		st.raw_bgid_mask |= 1U << bgid;
}

/*
 * The script
 */

static void reg_files(struct cursor *c, uint8_t a, uint8_t b)
{
	int fds[8];
	uint64_t tags[8];
	unsigned n = a % 9, i;

	for (i = 0; i < 8; i++) {
		fds[i] = pick_fd(take8(c));
		tags[i] = make_tag(take8(c));
	}
	switch (b % 6) {
	case 0:
		check_ret(iou_register_files(&st.ring, n ? fds : NULL, n));
		break;
	case 1:
		check_ret(iou_register_files_tags(&st.ring, fds, tags, n));
		break;
	case 2:
		check_ret(iou_register_files_sparse(
			&st.ring, (b & 0x80) ? take32(c) : take16(c) % 128));
		break;
	case 3:
		check_ret(iou_register_files_update(&st.ring, take8(c), fds,
						    (b & 0x40) ? tags : NULL, n));
		break;
	case 4:
		check_ret(iou_unregister_files(&st.ring));
		break;
	default:
		check_ret(iou_register_file_alloc_range(&st.ring, take16(c),
							 take16(c)));
		break;
	}
}

static void reg_buffers(struct cursor *c, uint8_t a, uint8_t b)
{
	struct iovec iov[4];
	uint64_t tags[4];
	unsigned n = a % 5, i;

	for (i = 0; i < 4; i++) {
		pick_iov(c, &iov[i]);
		tags[i] = make_tag(take8(c));
	}
	switch (b % 6) {
	case 0:
		check_ret(iou_register_buffers(&st.ring, n ? iov : NULL, n));
		break;
	case 1:
		check_ret(iou_register_buffers_tags(&st.ring, iov,
						    (b & 0x40) ? tags : NULL, n));
		break;
	case 2:
		check_ret(iou_register_buffers_sparse(&st.ring,
						      take16(c) % 2048));
		break;
	case 3:
		check_ret(iou_register_buffers_update(
			&st.ring, take8(c) % 32, iov, (b & 0x40) ? tags : NULL,
			n));
		break;
	case 4:
		check_ret(iou_unregister_buffers(&st.ring));
		break;
	default:
		/* Into a second ring (made once per input), or back. */
		if (!st.have_ring2) {
			if (iou_ring_init(&st.ring2, 4, 0))
				break;
			st.have_ring2 = 1;
		}
		if (b & 0x80)
			check_ret(iou_clone_buffers(&st.ring, &st.ring2,
						    take8(c) & 3));
		else
			check_ret(iou_clone_buffers(&st.ring2, &st.ring,
						    take8(c) & 3));
		break;
	}
}

static void reg_misc(struct cursor *c, uint8_t a, uint8_t b)
{
	union iou_probe_buf probe;
	struct io_uring_restriction res[4];
	struct io_uring_sync_cancel_reg sc;
	struct io_uring_napi napi;
	uint8_t mask[16];
	unsigned i, vals[2];
	int ret;

	switch (a % 12) {
	case 0:
		if (b & 1)
			check_ret(iou_unregister_eventfd(&st.ring));
		else if (b & 2)
			check_ret(iou_register_eventfd_async(&st.ring, st.efd));
		else
			check_ret(iou_register_eventfd(&st.ring,
						       (b & 4) ? st.efd :
							       pick_fd(b >> 3)));
		break;
	case 1:
		memset(&probe, 0, sizeof(probe));
		ret = iou_register_probe(&st.ring, &probe.probe, take16(c) % 300);
		check_ret(ret);
		ret = iou_opcode_supported(&st.ring, b);
		CHECK(ret == 0 || ret == 1 || ret < 0);
		break;
	case 2:
		if (b & 1) {
			ret = iou_register_personality(&st.ring);
			check_ret(ret);
			if (ret > 0)
				st.personality = ret;
		} else {
			check_ret(iou_unregister_personality(
				&st.ring, (b & 2) ? st.personality :
						    (int8_t)take8(c)));
		}
		break;
	case 3:
		memset(res, 0, sizeof(res));
		for (i = 0; i < 4; i++) {
			res[i].opcode = take8(c) % 5;
			res[i].sqe_op = take8(c);
		}
		check_ret(iou_register_restrictions(&st.ring, res, b % 5));
		break;
	case 4:
		ret = iou_ring_enable(&st.ring);
		check_ret(ret);
		if (!ret)
			st.disabled = 0;
		break;
	case 5:
		for (i = 0; i < sizeof(mask); i++)
			mask[i] = take8(c);
		if (b & 1)
			check_ret(iou_unregister_iowq_aff(&st.ring));
		else
			check_ret(iou_register_iowq_aff(&st.ring, b % 17, mask));
		break;
	case 6:
		vals[0] = take8(c) % 8;
		vals[1] = take8(c) % 8;
		ret = iou_register_iowq_max_workers(&st.ring, vals);
		check_ret(ret);
		/* The limits outlive the ring (they are the task's): undo. */
		if (!ret && !st.workers_set) {
			st.max_workers[0] = vals[0];
			st.max_workers[1] = vals[1];
			st.workers_set = 1;
		}
		break;
	case 7:
		ret = iou_register_clock(&st.ring, b % 12);
		check_ret(ret);
		if (!ret)
			CHECK(st.ring.clockid == b % 12);
		break;
	case 8:
		if (b % 3 == 0)
			ret = iou_register_ring_fd(&st.ring);
		else if (b % 3 == 1)
			ret = iou_unregister_ring_fd(&st.ring);
		else
			ret = iou_close_ring_fd(&st.ring);
		check_ret(ret);
		break;
	case 9:
		memset(&sc, 0, sizeof(sc));
		sc.addr = take8(c);
		sc.fd = pick_fd(take8(c));
		sc.flags = take8(c) & 0x3f;
		sc.opcode = take8(c);
		sc.timeout.tv_sec = 0;
		sc.timeout.tv_nsec = 1000 * (take8(c) % 100);
		check_ret(iou_register_sync_cancel(&st.ring, &sc));
		break;
	case 10:
		memset(&napi, 0, sizeof(napi));
		napi.busy_poll_to = take8(c) % 50;
		napi.prefer_busy_poll = take8(c) & 1;
		napi.opcode = take8(c) % 3;
		napi.op_param = take8(c) % 3;
		if (b & 1)
			check_ret(iou_unregister_napi(&st.ring, &napi));
		else
			check_ret(iou_register_napi(&st.ring, &napi));
		break;
	default:
		iou_buf_ring_head(&st.ring, b % 10, NULL);
		{
			uint16_t head = 0;

			check_ret(iou_buf_ring_head(&st.ring, b % 10, &head));
		}
		break;
	}
}

/*
 * One step, [op, a, b] and whatever bytes it takes after them:
 *   0: fixed files    1: fixed buffers    2: eventfd, probe, personality,
 *   restrictions, enable, io-wq, clock, ring fd, sync cancel, NAPI, head
 *   3: set up a buffer ring   4: free one   5: add buffers (and advance)
 *   6: raw buffer ring register/unregister
 *   7: READ_FIXED/WRITE_FIXED   8: recv from a buffer group
 *   9: NOP under a personality  10: reap
 */
static void step(struct cursor *c)
{
	uint8_t op = take8(c), a = take8(c), b = take8(c);

	switch (op % 11) {
	case 0:
		reg_files(c, a, b);
		break;
	case 1:
		reg_buffers(c, a, b);
		break;
	case 2:
		reg_misc(c, a, b);
		break;
	case 3:
		br_setup(a, b);
		break;
	case 4:
		br_free(a);
		break;
	case 5:
		br_add(c, a, b);
		break;
	case 6:
		br_raw(c, a, b);
		break;
	case 7:
		op_rw_fixed(a, b, take8(c));
		break;
	case 8:
		op_recv_select(a, b, take8(c));
		break;
	case 9:
		op_nop_personality(a);
		break;
	default:
		reap(a % 3);
		break;
	}
}

/* Round @i of waking ops that wait on one of our files. */
static void release_waiters(unsigned i)
{
	static char sink[65536];
	uint64_t one = 1;

	if (i == 0) {
		shutdown(st.sv[0], SHUT_RDWR);
		shutdown(st.sv[1], SHUT_RDWR);
	}
	if (i & 1) {
		if (read(st.pipefd[0], sink, sizeof(sink)) < 0)
			CHECK(errno == EAGAIN);
	} else {
		if (write(st.pipefd[1], pattern, 1) < 0)
			CHECK(errno == EAGAIN);
		if (write(st.efd, &one, sizeof(one)) < 0)
			CHECK(errno == EAGAIN);
	}
}

static void finish(void)
{
	unsigned i;

	/*
	 * Every op ends.  Most cannot wait, but one on a registered file may
	 * (the kernel does not take O_NONBLOCK on a socket as a reason to
	 * fail a read with -EAGAIN): the sockets are shut down, and the pipe
	 * and the eventfd are fed and drained in turn until nothing waits.
	 */
	if (!st.disabled) {
		for (i = 0; i < 200 && st.reaped < st.issued; i++) {
			check_ret(iou_submit(&st.ring));
			reap(5);
			if (st.reaped == st.issued)
				break;
			release_waiters(i);
		}
		CHECK(st.reaped == st.issued);
	}
	for (i = 0; i < MAX_BR; i++)
		br_free((uint8_t)i);
	if (st.workers_set) {
		/* Put back what the first change found (it returned them). */
		iou_register_iowq_max_workers(&st.ring, st.max_workers);
	}
	iou_ring_exit(&st.ring);
	if (st.have_ring2)
		iou_ring_exit(&st.ring2);
	close(st.pipefd[0]);
	close(st.pipefd[1]);
	close(st.sv[0]);
	close(st.sv[1]);
	close(st.efd);
}

static char *map_guarded(size_t len)
{
	char *p = mmap(NULL, len + PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK(mprotect(p + len, PAGE, PROT_NONE) == 0);
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = { data, size };
	struct io_uring_params p;
	struct leak_mark mark;
	uint8_t sel;
	unsigned steps;
	int ret;

	if (!arena) {
		arena = map_guarded(ARENA_SIZE);
		pbuf_page = map_guarded(PAGE);
	}
	if (size < 1)
		return 0;
	iou__fault_reset();
	memset(pbuf_page, 0, PAGE);	/* no stale entries for the kernel */
	leak_mark(&mark);
	memset(&st, 0, sizeof(st));
	memset(st.op_bgid, 0xff, sizeof(st.op_bgid));
	CHECK(pipe2(st.pipefd, O_NONBLOCK | O_CLOEXEC) == 0);
	/* Messages keep their bounds: each recv gets one send's bytes. */
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
			 0, st.sv) == 0);
	st.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	CHECK(st.efd >= 0);

	sel = take8(&c);
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_NO_SQARRAY;
	if (sel & 1) {
		p.flags |= IORING_SETUP_R_DISABLED;
		st.disabled = 1;
	}
	if (sel & 2)
		p.flags |= IORING_SETUP_SINGLE_ISSUER |
			   IORING_SETUP_DEFER_TASKRUN;
	ret = iou_ring_init_params(&st.ring, 8, &p);
	if (ret) {
		/* Refused for now (kernel.io_uring_disabled set by a test). */
		CHECK(ret == -EPERM);
		close(st.pipefd[0]);
		close(st.pipefd[1]);
		close(st.sv[0]);
		close(st.sv[1]);
		close(st.efd);
		leak_check(&mark);
		return 0;
	}

	for (steps = 0; c.n && steps < 256; steps++)
		step(&c);
	finish();
	leak_check(&mark);
	return 0;
}
