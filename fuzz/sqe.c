/* SPDX-License-Identifier: MIT */
/*
 * Fuzz surface: SQE bytes handed to the real kernel through the raw API,
 * and the library's reaping of whatever comes back.
 *
 * The kernel itself confines the fuzzer: the ring starts disabled and gets
 * restrictions that allow only opcodes which touch no user memory beyond
 * what they read (NOP, timeouts, cancels, polls, WRITE into a pipe,
 * SHUTDOWN, FSYNC), and require IOSQE_FIXED_FILE, whose table holds only
 * the two ends of a pipe: no SQE can name a real fd.
 *
 * Input: byte 0 selects chaos (corrupt the shared indexes mid-run), the
 * rest is cut into 64-byte SQEs.  Every input ends with a cancel-any and a
 * bounded reap, so nothing from one input hangs over the next.
 */
#include <iou/iou.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			__builtin_trap();                                      \
	} while (0)

#define TAG_CANCEL 0xfffffffffffffff0ULL

static struct iou_ring ring;
static int pipefd[2] = { -1, -1 };
static int state; /* 0: not tried, 1: ready, -1: io_uring unavailable */

static const uint8_t allowed_ops[] = {
	IORING_OP_NOP,		IORING_OP_TIMEOUT,    IORING_OP_TIMEOUT_REMOVE,
	IORING_OP_LINK_TIMEOUT, IORING_OP_ASYNC_CANCEL, IORING_OP_POLL_ADD,
	IORING_OP_POLL_REMOVE,	IORING_OP_WRITE,      IORING_OP_SHUTDOWN,
	IORING_OP_FSYNC,
};

static int setup(void)
{
	struct io_uring_restriction res[sizeof(allowed_ops) + 2];
	int files[2];
	unsigned i, n = 0;

	if (iou_ring_init(&ring, 32, IORING_SETUP_R_DISABLED))
		return -1;
	if (pipe2(pipefd, O_NONBLOCK | O_CLOEXEC))
		return -1;
	files[0] = pipefd[0];
	files[1] = pipefd[1];
	/* io_uring refuses ring fds in a file table: pipe ends only. */
	if (iou_register_files(&ring, files, 2))
		return -1;
	memset(res, 0, sizeof(res));
	for (i = 0; i < sizeof(allowed_ops); i++) {
		res[n].opcode = IORING_RESTRICTION_SQE_OP;
		res[n++].sqe_op = allowed_ops[i];
	}
	res[n].opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED;
	res[n++].sqe_flags = IOSQE_FIXED_FILE;
	res[n].opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED;
	res[n++].sqe_flags = IOSQE_IO_DRAIN | IOSQE_IO_LINK |
			     IOSQE_IO_HARDLINK | IOSQE_ASYNC |
			     IOSQE_CQE_SKIP_SUCCESS;
	if (iou_register_restrictions(&ring, res, n) || iou_ring_enable(&ring))
		return -1;
	return 1;
}

static void drain_pipe(void)
{
	char buf[4096];

	while (read(pipefd[0], buf, sizeof(buf)) > 0)
		;
}

/* Reap until the ring is quiet for 1 ms, at most @rounds times. */
static void reap(int rounds)
{
	struct iou_timespec ts = { 0, 1000 * 1000 };
	struct io_uring_cqe *cqe;
	int ret;

	while (rounds--) {
		ret = iou_wait_cqe_timeout(&ring, &cqe, &ts);
		if (ret == -ETIME || ret == -EUCLEAN)
			return;
		CHECK(ret == 0 || ret == -EINTR || ret == -EBADR ||
		      ret == -EBUSY || ret == -EAGAIN);
		if (!ret)
			iou_cqe_seen(&ring, cqe);
		drain_pipe();
	}
}

static void cancel_everything(void)
{
	struct io_uring_sqe *sqe;
	int i;

	for (i = 0; i < 4; i++) {
		sqe = iou_get_sqe(&ring);
		if (!sqe) {
			iou_submit(&ring);
			reap(64);
			continue;
		}
		iou_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY |
					  IORING_ASYNC_CANCEL_ALL);
		/* The restriction wants it on every SQE, even this one. */
		iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
		sqe->fd = 0;
		iou_sqe_set_data64(sqe, TAG_CANCEL);
		iou_submit(&ring);
		reap(256);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned saved_ktail = 0, saved_khead = 0;
	int chaos, ret;
	size_t off;

	if (!state)
		state = setup() == 1 ? 1 : -1;
	if (state < 0 || size < 1)
		return 0;
	chaos = data[0];
	for (off = 1; off + 64 <= size && off < 1 + 64 * 64; off += 64) {
		ret = iou_queue_raw_sqe(&ring, data + off, 64);
		if (ret == -EBUSY) {
			ret = iou_submit(&ring);
			CHECK(ret >= 0 || ret == -EBUSY || ret == -EAGAIN ||
			      ret == -EINTR);
			reap(8);
			continue;
		}
		CHECK(ret == 0);
	}
	ret = iou_submit(&ring);
	CHECK(ret >= 0 || ret == -EBUSY || ret == -EAGAIN || ret == -EINTR);

	if (chaos & 1) {
		/* Corrupt our view of the shared indexes, reap, restore. */
		saved_ktail = *ring.cq.ktail;
		saved_khead = *ring.sq.khead;
		*ring.cq.ktail = saved_ktail + 1000 + (unsigned)chaos;
		*ring.sq.khead = saved_khead - 7;
		reap(4);
		*ring.cq.ktail = saved_ktail;
		*ring.sq.khead = saved_khead;
	}
	reap(64);
	cancel_everything();
	drain_pipe();
	return 0;
}
