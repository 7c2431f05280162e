/* SPDX-License-Identifier: MIT */
/*
 * The io_uring backend: an op becomes one SQE, or an SQE linked to a
 * LINK_TIMEOUT (reserved together, so the pair never straddles a submit);
 * everything queued goes to the kernel in the loop's one enter per pass,
 * which also waits; CQEs find their op through user_data.
 */
#include "internal.h"
#include "iou/prep.h"
#include "san.h"

/*
 * The op kinds whose opcode the kernel lacks (OPKF_PROBE kinds only): a
 * bit per kind, done by their system call instead.  Without a probe
 * (before 5.6) every probed kind is.
 */
static unsigned missing_kinds(struct iou_ring *ring)
{
	union iou_probe_buf buf;
	unsigned missing = 0, k, op;
	int probed;

	iou__memzero(&buf, sizeof(buf));
	probed = !iou_register_probe(ring, &buf.probe, 256);
	for (k = 0; k < OPK__COUNT; k++) {
		if (!(iou__opkinds[k].flags & OPKF_PROBE))
			continue;
		op = iou__opkinds[k].opcode;
		if (!probed || op >= buf.probe.ops_len ||
		    !(buf.probe.ops[op].flags & IO_URING_OP_SUPPORTED))
			missing |= 1U << k;
	}
	return missing;
}

/* The eventfd wake-up (kernels before 6.13): a multishot poll on it. */
static void wake_complete(struct iou_loop *loop, struct iou__op *op, int res,
			  uint32_t flags);

static int arm_wake_poll(struct iou_loop *loop)
{
	struct iou__uring_state *ur = &loop->b.ur;
	struct iou__op *op = &ur->wake_op;
	struct io_uring_sqe *sqe;

	sqe = iou_get_sqe(&ur->ring);
	if (!sqe) {
		iou_submit(&ur->ring);
		sqe = iou_get_sqe(&ur->ring);
		if (!sqe)
			return -IOU_EBUSY;
	}
	iou_prep_poll_multishot(sqe, ur->wake_efd, IOU_POLLIN);
	sqe->user_data = iou__ud(UD_OP, op);
	op->kind = OPK_POLL;	/* for the trace */
	op->flags = 0;
	loop->stats.sqes++;
	iou__trace(loop, IOU_TRACE_SQE, IORING_OP_POLL_ADD, sqe->user_data, 0,
		   0);
	return 0;
}

static void wake_complete(struct iou_loop *loop, struct iou__op *op, int res,
			  uint32_t flags)
{
	struct iou__uring_state *ur = &loop->b.ur;
	uint64_t v;

	(void)res;
	/* Clear the counter so the next write fires again. */
	iou__sys_read(ur->wake_efd, &v, sizeof(v));
	if (flags & IORING_CQE_F_MORE)
		return;
	if (loop->stopping)
		op->flags |= OPF_DONE;	/* not re-armed: nothing in flight */
	else
		arm_wake_poll(loop);
}

static int ur_init(struct iou_loop *loop, const struct iou_loop_opts *opts)
{
	static const unsigned tries[] = {
		/* TASKRUN_FLAG: the SQ flags say when completions wait for an
		   enter, so a pass with nothing to submit needs no syscall. */
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			IORING_SETUP_TASKRUN_FLAG,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
		IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
		0,
	};
	struct iou__uring_state *ur = &loop->b.ur;
	unsigned entries = opts->entries ? opts->entries : 256;
	struct io_uring_params p;
	struct io_uring_sqe probe_sqe;
	unsigned i;
	int ret = -IOU_EINVAL;

	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		iou__memzero(&p, sizeof(p));
		/* A roomy CQ: overflow is handled, but costs a detour. */
		p.flags = tries[i] | IORING_SETUP_CQSIZE | IORING_SETUP_NO_SQARRAY;
		p.cq_entries = entries * 4;
		ret = iou_ring_init_params(&ur->ring, entries, &p);
		if (ret != -IOU_EINVAL)
			break;
	}
	if (ret)
		return ret;
	iou_register_ring_fd(&ur->ring);
	loop->b.ur.wake_efd = -1;
	ur->missing = missing_kinds(&ur->ring);

	/* Cross-thread wake-ups: a CQE posted without a ring (6.13)... */
	iou__memzero(&probe_sqe, sizeof(probe_sqe));
	iou_prep_msg_ring(&probe_sqe, ur->ring.ring_fd, 0, UD_WAKE, 0);
	if (iou_register_send_msg_ring(&probe_sqe) == 0) {
		struct io_uring_cqe *cqe;

		/* The probe's CQE is already there: not one of the loop's. */
		if (iou_peek_cqe(&ur->ring, &cqe) == 0 && cqe->user_data == UD_WAKE)
			iou_cqe_seen(&ur->ring, cqe);
		ur->msg_ring_wake = 1;
		return 0;
	}
	/* ...else an eventfd the ring polls. */
	ur->wake_efd = iou__sys_eventfd2(0, IOU_EFD_NONBLOCK | IOU_EFD_CLOEXEC);
	if (ur->wake_efd < 0) {
		ret = ur->wake_efd;
		iou_ring_exit(&ur->ring);
		return ret;
	}
	ur->wake_op.complete = wake_complete;
	ret = iou__op_register(loop, &ur->wake_op);
	if (!ret)
		ret = arm_wake_poll(loop);
	if (ret) {
		iou__sys_close(ur->wake_efd);
		iou_ring_exit(&ur->ring);
		return ret;
	}
	ur->internal_ops = 1;
	return 0;
}

static void ur_fini(struct iou_loop *loop)
{
	struct iou__uring_state *ur = &loop->b.ur;

	iou_ring_exit(&ur->ring);
	if (ur->wake_efd >= 0)
		iou__sys_close(ur->wake_efd);
	iou__mem_free(ur->files_on, ur->files_nr);
	ur->files_on = 0;
	ur->files_nr = 0;
}

/*
 * The registered-file table, made at the first iou_fd_register(): sparse
 * (5.19), as large as RLIMIT_NOFILE allows up to 65536 slots (the kernel
 * answers -EMFILE above the limit).  0, or -errno if there is none.
 */
#define FILES_MAX 65536u
#define FILES_MIN 64u

static int files_table(struct iou__uring_state *ur)
{
	unsigned nr;
	int ret;

	if (ur->files_state)
		return ur->files_state < 0 ? ur->files_state : 0;
	for (nr = FILES_MAX;; nr /= 2) {
		ret = iou_register_files_sparse(&ur->ring, nr);
		if (ret != -IOU_EMFILE || nr == FILES_MIN)
			break;
	}
	if (ret < 0) {
		ur->files_state = ret;
		return ret;
	}
	ur->files_on = iou__mem_alloc(nr);
	if (!ur->files_on) {
		iou_unregister_files(&ur->ring);
		return -IOU_ENOMEM;	/* may work later: not remembered */
	}
	ur->files_nr = nr;
	ur->files_state = 1;
	return 0;
}

static int ur_fd_register(struct iou_loop *loop, int fd, int on)
{
	struct iou__uring_state *ur = &loop->b.ur;
	int ret, none = -1;

	if (!on) {
		if ((unsigned)fd >= ur->files_nr || !ur->files_on[fd])
			return 0;
		ret = iou_register_files_update(&ur->ring, (unsigned)fd, &none,
						0, 1);
		if (ret < 0)
			return ret;
		ur->files_on[fd] = 0;
		return 1;
	}
	ret = files_table(ur);
	if (ret < 0)
		/* No table here: the plain fd it is. */
		return ret == -IOU_ENOMEM ? ret : 0;
	if ((unsigned)fd >= ur->files_nr)
		return 0;
	if (ur->files_on[fd])
		return 1;
	ret = iou_register_files_update(&ur->ring, (unsigned)fd, &fd, 0, 1);
	if (ret < 0)
		return ret;
	ur->files_on[fd] = 1;
	return 1;
}

static int ur_wake(struct iou_loop *loop)
{
	struct iou__uring_state *ur = &loop->b.ur;
	struct io_uring_sqe sqe;
	uint64_t one = 1;
	long ret;

	if (ur->msg_ring_wake) {
		iou__memzero(&sqe, sizeof(sqe));
		iou_prep_msg_ring(&sqe, ur->ring.ring_fd, 0, UD_WAKE, 0);
		return iou_register_send_msg_ring(&sqe);
	}
	ret = iou__sys_write(ur->wake_efd, &one, sizeof(one));
	return ret < 0 ? (int)ret : 0;
}

/* SQEs for one op: two when it carries a timeout. */
static int reserve(struct iou_loop *loop, unsigned n,
		   struct io_uring_sqe **sqes)
{
	struct iou_ring *ring = &loop->b.ur.ring;
	int tries, ret;

	for (tries = 0; tries < 8; tries++) {
		ret = iou_reserve(ring, n, sqes);
		if (ret != -IOU_EBUSY)
			return ret;
		/* SQ full: hand it to the kernel to make room, keep going. */
		ret = iou_submit(ring);
		loop->stats.enters++;
		if (ret < 0 && ret != -IOU_EBUSY && ret != -IOU_EAGAIN &&
		    ret != -IOU_EINTR)
			return ret;
	}
	return -IOU_EAGAIN;
}

static int ur_start(struct iou_loop *loop, struct iou__op *op)
{
	struct iou__uring_state *ur = &loop->b.ur;
	const struct iou__opkind *k = iou__opkind(op);
	struct io_uring_sqe *sqes[2] = { 0, 0 };
	unsigned n = op->timeout_ns ? 2 : 1;
	int ret;

	if (ur->missing & (1U << op->kind)) {
		/* An older kernel: the system call does it, at once. */
		op->res = k->sys(op);
		return 1;
	}
	ret = reserve(loop, n, sqes);
	if (ret)
		return ret;
	k->prep(op, sqes[0]);
	if ((k->flags & OPKF_FIXED) && (unsigned)op->fd < ur->files_nr &&
	    ur->files_on[op->fd])
		sqes[0]->flags |= IOSQE_FIXED_FILE;
	sqes[0]->user_data = iou__ud(UD_OP, op);
	op->pending = 1;
	if (n == 2) {
		/* The pair is published together: one tail store. */
		iou__ns_to_ts(&op->ts, op->timeout_ns);
		sqes[0]->flags |= IOSQE_IO_LINK;
		iou_prep_link_timeout(sqes[1], &op->ts, 0);
		sqes[1]->user_data = iou__ud(UD_TIMEOUT, op);
		op->pending = 2;
	}
	loop->stats.sqes += n;
	if (loop->trace) {
		iou__trace(loop, IOU_TRACE_SQE, sqes[0]->opcode,
			   sqes[0]->user_data, 0, sqes[0]->flags);
		if (n == 2)
			iou__trace(loop, IOU_TRACE_SQE, sqes[1]->opcode,
				   sqes[1]->user_data, 0, sqes[1]->flags);
	}
	return 0;
}

/* Queue a cancel for @op; if the SQ has no room even after a submit, put
 * it in the loop's backlog for the next pass: a cancel is never dropped. */
static void ur_cancel(struct iou_loop *loop, struct iou__op *op)
{
	struct iou__uring_state *ur = &loop->b.ur;
	struct io_uring_sqe *sqe;

	sqe = iou_get_sqe(&ur->ring);
	if (!sqe) {
		iou_submit(&ur->ring);
		loop->stats.enters++;
		sqe = iou_get_sqe(&ur->ring);
	}
	if (!sqe) {
		iou__cancel_defer(loop, op);
		return;
	}
	iou_prep_cancel64(sqe, iou__ud(UD_OP, op), 0);
	sqe->user_data = UD_CANCEL;
	if (ur->ring.features & IORING_FEAT_CQE_SKIP)
		sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	loop->stats.sqes++;
	iou__trace(loop, IOU_TRACE_SQE, IORING_OP_ASYNC_CANCEL, UD_CANCEL, 0,
		   sqe->flags);
}

static void dispatch(struct iou_loop *loop, const struct io_uring_cqe *cqe)
{
	uint64_t ud = cqe->user_data;
	uint64_t kind = ud >> UD_KIND_SHIFT;
	struct iou__op *op;

	loop->stats.cqes++;
	if (kind == UD_INTERNAL) {
		/* A wake-up, or a cancel that found nothing. */
		iou__trace(loop, IOU_TRACE_CQE,
			   ud == UD_CANCEL ? IORING_OP_ASYNC_CANCEL
					   : IORING_OP_MSG_RING,
			   ud, cqe->res, cqe->flags);
		return;
	}
	op = iou__op_lookup(loop, ud);
	if (loop->trace)
		iou__trace(loop, IOU_TRACE_CQE,
			   !op ? IORING_OP_NOP
			   : kind == UD_TIMEOUT ? IORING_OP_LINK_TIMEOUT
						: iou__op_opcode(op),
			   ud, cqe->res, cqe->flags);
	if (!op) {
		/* Names no live op: duplicated, very late, or forged. */
		loop->stats.stale_cqes++;
		return;
	}
	if (op->complete) {
		op->complete(loop, op, cqe->res, cqe->flags);
		return;
	}
	if (kind == UD_TIMEOUT) {
		if (cqe->res == -IOU_ETIME)
			op->flags |= OPF_TIMED_OUT;
	} else {
		op->res = cqe->res;
		op->cqe_flags = cqe->flags;
	}
	if (op->pending && !--op->pending)
		iou__op_complete(loop, op);
}

/* CQEs the kernel holds back until an enter: overflowed, or task work. */
static int cq_held_back(const struct iou_ring *ring)
{
	return (iou_load_relaxed(ring->sq.kflags) &
		(IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)) != 0;
}

static int ur_wait(struct iou_loop *loop, int block)
{
	struct iou__uring_state *ur = &loop->b.ur;
	struct iou_ring *ring = &ur->ring;
	struct io_uring_cqe *cqe;
	struct iou__op *op;
	unsigned head, n = 0;
	int ret;

	/* The backlog's cancels, while the SQ has room for them. */
	while ((op = loop->cancel_backlog)) {
		iou__cancel_undefer(loop, op);
		ur_cancel(loop, op);
		if (loop->cancel_backlog == op)
			break;	/* still no room: next pass */
	}
	if (iou_cq_ready(ring))
		block = 0;
	if (block && !iou__san_enter_may_block()) {
		/*
		 * Submit and run task work without waiting, then wait in
		 * ppoll(2) on the ring, which valgrind lets other threads
		 * run through; in slices, so that task work the ring's poll
		 * does not report is run by the next pass.
		 */
		ret = iou_submit_and_get_events(ring);
		if (ret >= 0 && !iou_cq_ready(ring) && ring->ring_fd >= 0)
			iou__sys_poll_for(ring->ring_fd, IOU_POLLIN,
					  10 * 1000 * 1000);
	} else if (block) {
		/*
		 * Submit and wait in one enter; a signal ends the wait with
		 * -EINTR and the loop goes round (iou_submit_and_wait() would
		 * wait again), so that a dump signal is seen at once.
		 */
		ret = iou_enter(ring, iou_sq_flush(ring), 1,
				IORING_ENTER_GETEVENTS, 0, 0);
	} else if (!iou_sq_ready(ring) && !cq_held_back(ring) &&
		   (!(ring->flags & (IORING_SETUP_DEFER_TASKRUN |
				     IORING_SETUP_COOP_TASKRUN)) ||
		    (ring->flags & IORING_SETUP_TASKRUN_FLAG))) {
		/* Nothing to submit and nothing held back: read the CQ. */
		goto reap;
	} else {
		/* Submit, and run deferred task work, without waiting. */
		ret = iou_submit_and_get_events(ring);
	}
	loop->stats.enters++;
	if (ret < 0 && ret != -IOU_EINTR && ret != -IOU_EBUSY &&
	    ret != -IOU_EAGAIN && ret != -IOU_ETIME)
		return ret;
	if (iou_cq_has_overflow(ring))
		loop->stats.overflows++;
reap:
	iou_for_each_cqe(ring, head, cqe) {
		dispatch(loop, cqe);
		n++;
	}
	iou_cq_advance(ring, n);
	if (!n && iou_cq_ready(ring) == 0) {
		/* A corrupt CQ, or the enter that collects held-back CQEs
		 * failing, ends the loop as a failed wait does. */
		ret = iou_peek_cqe(ring, &cqe);
		if (ret < 0 && ret != -IOU_EAGAIN)
			return ret;
	}
	return (int)n;
}

static unsigned ur_busy(struct iou_loop *loop)
{
	return loop->live_ops - loop->b.ur.internal_ops;
}

/*
 * A recv stream's buffers as a provided-buffer ring (5.19): every buffer
 * goes in at once, and the group id is the next one free (16 bits).
 */
static int ur_group_open(struct iou_loop *loop, struct iou__group *g)
{
	struct iou__uring_state *ur = &loop->b.ur;
	unsigned mask = iou_buf_ring_mask(g->nr_bufs), i;
	int err;

	g->bgid = ur->next_bgid++ & 0xffff;
	g->br = iou_setup_buf_ring(&ur->ring, g->nr_bufs, g->bgid, 0, &err);
	if (!g->br)
		return err;
	for (i = 0; i < g->nr_bufs; i++)
		iou_buf_ring_add(g->br, g->bufs + (size_t)i * g->buf_size,
				 g->buf_size, (unsigned short)i, mask, i);
	iou_buf_ring_advance(g->br, g->nr_bufs);
	return 0;
}

static void ur_group_give(struct iou_loop *loop, struct iou__group *g,
			  unsigned bid)
{
	(void)loop;
	iou_buf_ring_add(g->br, g->bufs + (size_t)bid * g->buf_size,
			 g->buf_size, (unsigned short)bid,
			 iou_buf_ring_mask(g->nr_bufs), 0);
	iou_buf_ring_advance(g->br, 1);
}

static void ur_group_close(struct iou_loop *loop, struct iou__group *g)
{
	if (!g->br)
		return;
	iou_free_buf_ring(&loop->b.ur.ring, g->br, g->nr_bufs, g->bgid);
	g->br = 0;
}

struct iou_ring *iou__loop_ring(struct iou_loop *loop)
{
	return loop->be == &iou__backend_uring ? &loop->b.ur.ring : 0;
}

const struct iou__backend iou__backend_uring = {
	.init = ur_init,
	.fini = ur_fini,
	.start = ur_start,
	.cancel = ur_cancel,
	.wait = ur_wait,
	.wake = ur_wake,
	.busy = ur_busy,
	.fd_register = ur_fd_register,
	.group_open = ur_group_open,
	.group_give = ur_group_give,
	.group_close = ur_group_close,
};
