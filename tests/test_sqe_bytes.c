/* SPDX-License-Identifier: MIT */
/*
 * The exact bytes every prep helper writes, checked field by field against
 * how the kernel's prep functions read the SQE for that opcode (the
 * expectations below are written from the kernel's io_uring sources, not
 * from prep.h).  Every SQE starts poisoned with flags and user_data set: a
 * helper must overwrite every other byte and keep those two.  No kernel is
 * needed; a second part checks that each helper is also exported from
 * libiou.so and behaves the same there.
 */
#include "testutil.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <iou/prep.h>

#define FLAGS 0x5a
#define UDATA 0x1122334455667788ULL
#define P(x) ((uint64_t)(uintptr_t)(x))

/* What the kernel must find; unnamed fields are zero. */
struct want {
	uint8_t opcode;
	uint16_t ioprio;
	int32_t fd;
	uint64_t off;
	uint64_t addr;
	uint32_t len;
	uint32_t op_flags;
	uint16_t buf_index;
	uint16_t personality;
	uint32_t file_index;
	uint64_t addr3;
};

static char names[][16] = { "opcode", "flags", "ioprio", "fd", "off",
			    "addr", "len", "op_flags", "user_data",
			    "buf_index", "personality", "file_index",
			    "addr3", "pad2" };

static void expected_sqe(struct io_uring_sqe *e, const struct want *w)
{
	memset(e, 0, sizeof(*e));
	e->opcode = w->opcode;
	e->flags = FLAGS;
	e->ioprio = w->ioprio;
	e->fd = w->fd;
	e->off = w->off;
	e->addr = w->addr;
	e->len = w->len;
	e->rw_flags = w->op_flags;
	e->user_data = UDATA;
	e->buf_index = w->buf_index;
	e->personality = w->personality;
	e->file_index = w->file_index;
	e->addr3 = w->addr3;
}

/* Compare all 64 bytes; name each field that differs. */
static void compare(const struct io_uring_sqe *got, const struct want *w,
		    const char *what)
{
	struct io_uring_sqe e;
	uint64_t g[14], x[14];
	int i, bad = 0;

	expected_sqe(&e, w);
	if (!memcmp(got, &e, sizeof(e)))
		return;
	g[0] = got->opcode, x[0] = e.opcode;
	g[1] = got->flags, x[1] = e.flags;
	g[2] = got->ioprio, x[2] = e.ioprio;
	g[3] = (uint32_t)got->fd, x[3] = (uint32_t)e.fd;
	g[4] = got->off, x[4] = e.off;
	g[5] = got->addr, x[5] = e.addr;
	g[6] = got->len, x[6] = e.len;
	g[7] = got->rw_flags, x[7] = e.rw_flags;
	g[8] = got->user_data, x[8] = e.user_data;
	g[9] = got->buf_index, x[9] = e.buf_index;
	g[10] = got->personality, x[10] = e.personality;
	g[11] = got->file_index, x[11] = e.file_index;
	g[12] = got->addr3, x[12] = e.addr3;
	g[13] = got->__pad2[0], x[13] = e.__pad2[0];
	for (i = 0; i < 14; i++) {
		if (g[i] != x[i]) {
			print_error("%s: %s = %#llx, kernel wants %#llx\n", what,
				    names[i], (unsigned long long)g[i],
				    (unsigned long long)x[i]);
			bad = 1;
		}
	}
	if (!bad)
		print_error("%s: padding bytes differ\n", what);
	fail();
}

static struct io_uring_sqe *poisoned(struct io_uring_sqe *sqe)
{
	memset(sqe, 0xa5, sizeof(*sqe));
	sqe->flags = FLAGS;
	sqe->user_data = UDATA;
	return sqe;
}

/* Run @call on a poisoned SQE named sqe; compare with the struct want. */
#define CASE(call, ...)                                                        \
	do {                                                                   \
		struct io_uring_sqe sqe_buf_;                                  \
		struct io_uring_sqe *sqe = poisoned(&sqe_buf_);                \
		const struct want want_ = { __VA_ARGS__ };                     \
		call;                                                          \
		compare(sqe, &want_, #call);                                   \
	} while (0)

static char buf[64];
static int fds[2];

static void test_sqe_bytes_generic(void **state)
{
	(void)state;
	CASE(iou_prep_rw(sqe, 99, 3, buf, 7, 9), .opcode = 99, .fd = 3,
	     .addr = P(buf), .len = 7, .off = 9);
	CASE(iou_prep_nop(sqe), .opcode = IORING_OP_NOP, .fd = -1);
	/* The injected result is read from len (io_nop_prep). */
	CASE(iou_prep_nop_flags(sqe, IORING_NOP_INJECT_RESULT, -5),
	     .opcode = IORING_OP_NOP, .fd = -1, .len = (uint32_t)-5,
	     .op_flags = IORING_NOP_INJECT_RESULT);
}

static void test_sqe_bytes_read_write(void **state)
{
	(void)state;
	CASE(iou_prep_read(sqe, 4, buf, 10, 20), .opcode = IORING_OP_READ,
	     .fd = 4, .addr = P(buf), .len = 10, .off = 20);
	CASE(iou_prep_write(sqe, 5, buf, 11, (uint64_t)-1),
	     .opcode = IORING_OP_WRITE, .fd = 5, .addr = P(buf), .len = 11,
	     .off = (uint64_t)-1);
	CASE(iou_prep_readv(sqe, 6, (const struct iovec *)buf, 3, 30, 8),
	     .opcode = IORING_OP_READV, .fd = 6, .addr = P(buf), .len = 3,
	     .off = 30, .op_flags = 8);
	CASE(iou_prep_writev(sqe, 7, (const struct iovec *)buf, 2, 40, 16),
	     .opcode = IORING_OP_WRITEV, .fd = 7, .addr = P(buf), .len = 2,
	     .off = 40, .op_flags = 16);
	CASE(iou_prep_read_fixed(sqe, 8, buf, 12, 50, 3),
	     .opcode = IORING_OP_READ_FIXED, .fd = 8, .addr = P(buf), .len = 12,
	     .off = 50, .buf_index = 3);
	CASE(iou_prep_write_fixed(sqe, 9, buf, 13, 60, 4),
	     .opcode = IORING_OP_WRITE_FIXED, .fd = 9, .addr = P(buf),
	     .len = 13, .off = 60, .buf_index = 4);
	CASE(iou_prep_readv_fixed(sqe, 10, (const struct iovec *)buf, 2, 70, 1,
				  5),
	     .opcode = IORING_OP_READV_FIXED, .fd = 10, .addr = P(buf),
	     .len = 2, .off = 70, .op_flags = 1, .buf_index = 5);
	CASE(iou_prep_writev_fixed(sqe, 11, (const struct iovec *)buf, 3, 80,
				   2, 6),
	     .opcode = IORING_OP_WRITEV_FIXED, .fd = 11, .addr = P(buf),
	     .len = 3, .off = 80, .op_flags = 2, .buf_index = 6);
	/* Buffer group in buf_index's place (io_read_mshot_prep). */
	CASE(iou_prep_read_multishot(sqe, 12, 64, 0, 7),
	     .opcode = IORING_OP_READ_MULTISHOT, .fd = 12, .len = 64,
	     .buf_index = 7);
}

static void test_sqe_bytes_file_ops(void **state)
{
	(void)state;
	CASE(iou_prep_fsync(sqe, 3, IORING_FSYNC_DATASYNC),
	     .opcode = IORING_OP_FSYNC, .fd = 3,
	     .op_flags = IORING_FSYNC_DATASYNC);
	CASE(iou_prep_sync_file_range(sqe, 4, 100, 200, 2),
	     .opcode = IORING_OP_SYNC_FILE_RANGE, .fd = 4, .len = 100,
	     .off = 200, .op_flags = 2);
	/* io_fallocate_prep: offset in off, length in addr, mode in len. */
	CASE(iou_prep_fallocate(sqe, 5, 1, 300, 400),
	     .opcode = IORING_OP_FALLOCATE, .fd = 5, .off = 300, .addr = 400,
	     .len = 1);
	/* io_fadvise_prep: addr holds a 64-bit length, else len. */
	CASE(iou_prep_fadvise(sqe, 6, 500, 600, 4),
	     .opcode = IORING_OP_FADVISE, .fd = 6, .off = 500, .len = 600,
	     .op_flags = 4);
	CASE(iou_prep_fadvise(sqe, 6, 500, 5ULL << 32, 4),
	     .opcode = IORING_OP_FADVISE, .fd = 6, .off = 500,
	     .addr = 5ULL << 32, .op_flags = 4);
	/* io_madvise_prep: off holds a 64-bit length, else len. */
	CASE(iou_prep_madvise(sqe, buf, 4096, 4), .opcode = IORING_OP_MADVISE,
	     .fd = -1, .addr = P(buf), .len = 4096, .op_flags = 4);
	CASE(iou_prep_madvise(sqe, buf, 6ULL << 32, 4),
	     .opcode = IORING_OP_MADVISE, .fd = -1, .addr = P(buf),
	     .off = 6ULL << 32, .op_flags = 4);
	CASE(iou_prep_ftruncate(sqe, 7, 12345), .opcode = IORING_OP_FTRUNCATE,
	     .fd = 7, .off = 12345);
	/* io_openat_prep: mode in len, flags in open_flags, slot + 1. */
	CASE(iou_prep_openat(sqe, -100, "p", O_CREAT, 0640),
	     .opcode = IORING_OP_OPENAT, .fd = -100, .addr = P("p"),
	     .len = 0640, .op_flags = O_CREAT);
	CASE(iou_prep_openat_direct(sqe, 8, "p", 0, 0, 3),
	     .opcode = IORING_OP_OPENAT, .fd = 8, .addr = P("p"),
	     .file_index = 4);
	CASE(iou_prep_openat_direct(sqe, 8, "p", 0, 0, IORING_FILE_INDEX_ALLOC),
	     .opcode = IORING_OP_OPENAT, .fd = 8, .addr = P("p"),
	     .file_index = IORING_FILE_INDEX_ALLOC);
	/* io_openat2_prep: the open_how pointer in addr2, its size in len. */
	CASE(iou_prep_openat2(sqe, 9, "p", (struct open_how *)buf, 24),
	     .opcode = IORING_OP_OPENAT2, .fd = 9, .addr = P("p"), .len = 24,
	     .off = P(buf));
	CASE(iou_prep_openat2_direct(sqe, 9, "p", (struct open_how *)buf, 24,
				     0),
	     .opcode = IORING_OP_OPENAT2, .fd = 9, .addr = P("p"), .len = 24,
	     .off = P(buf), .file_index = 1);
	CASE(iou_prep_close(sqe, 10), .opcode = IORING_OP_CLOSE, .fd = 10);
	CASE(iou_prep_close_direct(sqe, 7), .opcode = IORING_OP_CLOSE,
	     .file_index = 8);
	CASE(iou_prep_files_update(sqe, fds, 2, 5),
	     .opcode = IORING_OP_FILES_UPDATE, .fd = -1, .addr = P(fds),
	     .len = 2, .off = 5);
	CASE(iou_prep_fixed_fd_install(sqe, 11, IORING_FIXED_FD_NO_CLOEXEC),
	     .opcode = IORING_OP_FIXED_FD_INSTALL, .fd = 11,
	     .op_flags = IORING_FIXED_FD_NO_CLOEXEC);
	/* io_statx_prep: mask in len, the buffer in addr2. */
	CASE(iou_prep_statx(sqe, 12, "s", 0x1000, 0x7ff, (struct statx *)buf),
	     .opcode = IORING_OP_STATX, .fd = 12, .addr = P("s"), .len = 0x7ff,
	     .off = P(buf), .op_flags = 0x1000);
}

static void test_sqe_bytes_paths(void **state)
{
	(void)state;
	/* io_renameat_prep: new dfd in len, new path in addr2. */
	CASE(iou_prep_renameat(sqe, 3, "a", 4, "b", 1),
	     .opcode = IORING_OP_RENAMEAT, .fd = 3, .addr = P("a"), .len = 4,
	     .off = P("b"), .op_flags = 1);
	CASE(iou_prep_rename(sqe, "a", "b"), .opcode = IORING_OP_RENAMEAT,
	     .fd = -100, .addr = P("a"), .len = (uint32_t)-100, .off = P("b"));
	CASE(iou_prep_unlinkat(sqe, 5, "u", 0x200),
	     .opcode = IORING_OP_UNLINKAT, .fd = 5, .addr = P("u"),
	     .op_flags = 0x200);
	CASE(iou_prep_unlink(sqe, "u", 0), .opcode = IORING_OP_UNLINKAT,
	     .fd = -100, .addr = P("u"));
	CASE(iou_prep_mkdirat(sqe, 6, "d", 0755), .opcode = IORING_OP_MKDIRAT,
	     .fd = 6, .addr = P("d"), .len = 0755);
	CASE(iou_prep_mkdir(sqe, "d", 0700), .opcode = IORING_OP_MKDIRAT,
	     .fd = -100, .addr = P("d"), .len = 0700);
	/* io_symlinkat_prep: target in addr, link path in addr2. */
	CASE(iou_prep_symlinkat(sqe, "t", 7, "l"), .opcode = IORING_OP_SYMLINKAT,
	     .fd = 7, .addr = P("t"), .off = P("l"));
	CASE(iou_prep_symlink(sqe, "t", "l"), .opcode = IORING_OP_SYMLINKAT,
	     .fd = -100, .addr = P("t"), .off = P("l"));
	CASE(iou_prep_linkat(sqe, 8, "o", 9, "n", 0x400),
	     .opcode = IORING_OP_LINKAT, .fd = 8, .addr = P("o"), .len = 9,
	     .off = P("n"), .op_flags = 0x400);
	CASE(iou_prep_link(sqe, "o", "n", 0), .opcode = IORING_OP_LINKAT,
	     .fd = -100, .addr = P("o"), .len = (uint32_t)-100, .off = P("n"));
	/* xattr.c: name in addr, value in addr2, path in addr3. */
	CASE(iou_prep_getxattr(sqe, "n", buf, "p", 32),
	     .opcode = IORING_OP_GETXATTR, .addr = P("n"), .off = P(buf),
	     .addr3 = P("p"), .len = 32);
	CASE(iou_prep_setxattr(sqe, "n", "v", "p", 1, 1),
	     .opcode = IORING_OP_SETXATTR, .addr = P("n"), .off = P("v"),
	     .addr3 = P("p"), .len = 1, .op_flags = 1);
	CASE(iou_prep_fgetxattr(sqe, 10, "n", buf, 16),
	     .opcode = IORING_OP_FGETXATTR, .fd = 10, .addr = P("n"),
	     .off = P(buf), .len = 16);
	CASE(iou_prep_fsetxattr(sqe, 11, "n", "v", 2, 1),
	     .opcode = IORING_OP_FSETXATTR, .fd = 11, .addr = P("n"),
	     .off = P("v"), .len = 1, .op_flags = 2);
	/* io_splice_prep: off_in in splice_off_in (addr), fd_in in file_index. */
	CASE(iou_prep_splice(sqe, 12, 100, 13, 200, 300, 4),
	     .opcode = IORING_OP_SPLICE, .fd = 13, .off = 200, .addr = 100,
	     .len = 300, .op_flags = 4, .file_index = 12);
	CASE(iou_prep_tee(sqe, 14, 15, 16, 1), .opcode = IORING_OP_TEE,
	     .fd = 15, .len = 16, .op_flags = 1, .file_index = 14);
	/* io_pipe_prep: fds in addr, slot in file_index, fd must be 0. */
	CASE(iou_prep_pipe(sqe, fds, O_CLOEXEC), .opcode = IORING_OP_PIPE,
	     .addr = P(fds), .op_flags = O_CLOEXEC);
	CASE(iou_prep_pipe_direct(sqe, fds, 0, 2), .opcode = IORING_OP_PIPE,
	     .addr = P(fds), .file_index = 3);
}

static void test_sqe_bytes_poll_timeout_cancel(void **state)
{
	(void)state;
	/* Little-endian host: poll32_events as is. */
	CASE(iou_prep_poll_add(sqe, 3, POLLIN | POLLPRI),
	     .opcode = IORING_OP_POLL_ADD, .fd = 3,
	     .op_flags = POLLIN | POLLPRI);
	/* io_poll_add_prep: command flags in len. */
	CASE(iou_prep_poll_multishot(sqe, 4, POLLOUT),
	     .opcode = IORING_OP_POLL_ADD, .fd = 4, .op_flags = POLLOUT,
	     .len = IORING_POLL_ADD_MULTI);
	CASE(iou_prep_poll_remove(sqe, 0xabc), .opcode = IORING_OP_POLL_REMOVE,
	     .fd = -1, .addr = 0xabc);
	/* io_poll_remove_prep: old in addr, new in off, flags in len. */
	CASE(iou_prep_poll_update(sqe, 0xa, 0xb, POLLIN,
				  IORING_POLL_UPDATE_EVENTS),
	     .opcode = IORING_OP_POLL_REMOVE, .fd = -1, .addr = 0xa,
	     .off = 0xb, .len = IORING_POLL_UPDATE_EVENTS, .op_flags = POLLIN);
	CASE(iou_prep_epoll_ctl(sqe, 5, 6, 1, (struct epoll_event *)buf),
	     .opcode = IORING_OP_EPOLL_CTL, .fd = 5, .addr = P(buf), .len = 1,
	     .off = 6);
	CASE(iou_prep_epoll_wait(sqe, 7, (struct epoll_event *)buf, 8, 0),
	     .opcode = IORING_OP_EPOLL_WAIT, .fd = 7, .addr = P(buf), .len = 8);
	/* io_timeout_prep: ts in addr, len 1, count in off. */
	CASE(iou_prep_timeout(sqe, (struct iou_timespec *)buf, 3,
			      IORING_TIMEOUT_ABS),
	     .opcode = IORING_OP_TIMEOUT, .fd = -1, .addr = P(buf), .len = 1,
	     .off = 3, .op_flags = IORING_TIMEOUT_ABS);
	CASE(iou_prep_timeout_remove(sqe, 0x77, 0),
	     .opcode = IORING_OP_TIMEOUT_REMOVE, .fd = -1, .addr = 0x77);
	/* io_timeout_remove_prep: the new ts in addr2. */
	CASE(iou_prep_timeout_update(sqe, (struct iou_timespec *)buf, 0x78, 0),
	     .opcode = IORING_OP_TIMEOUT_REMOVE, .fd = -1, .addr = 0x78,
	     .off = P(buf), .op_flags = IORING_TIMEOUT_UPDATE);
	CASE(iou_prep_timeout_update(sqe, (struct iou_timespec *)buf, 0x79,
				     IORING_LINK_TIMEOUT_UPDATE),
	     .opcode = IORING_OP_TIMEOUT_REMOVE, .fd = -1, .addr = 0x79,
	     .off = P(buf),
	     .op_flags = IORING_LINK_TIMEOUT_UPDATE | IORING_TIMEOUT_UPDATE);
	CASE(iou_prep_link_timeout(sqe, (struct iou_timespec *)buf, 0),
	     .opcode = IORING_OP_LINK_TIMEOUT, .fd = -1, .addr = P(buf),
	     .len = 1);
	CASE(iou_prep_cancel64(sqe, 0xdead, IORING_ASYNC_CANCEL_ALL),
	     .opcode = IORING_OP_ASYNC_CANCEL, .fd = -1, .addr = 0xdead,
	     .op_flags = IORING_ASYNC_CANCEL_ALL);
	CASE(iou_prep_cancel(sqe, buf, 0), .opcode = IORING_OP_ASYNC_CANCEL,
	     .fd = -1, .addr = P(buf));
	CASE(iou_prep_cancel_fd(sqe, 8, IORING_ASYNC_CANCEL_ALL),
	     .opcode = IORING_OP_ASYNC_CANCEL, .fd = 8,
	     .op_flags = IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD);
}

static void test_sqe_bytes_sockets(void **state)
{
	(void)state;
	/* io_socket_prep: domain in fd, type in off, protocol in len. */
	CASE(iou_prep_socket(sqe, 2, 1, 6, 0), .opcode = IORING_OP_SOCKET,
	     .fd = 2, .off = 1, .len = 6);
	CASE(iou_prep_socket_direct(sqe, 10, 2, 17, 4, 0),
	     .opcode = IORING_OP_SOCKET, .fd = 10, .off = 2, .len = 17,
	     .file_index = 5);
	/* io_bind_prep / io_connect_prep: addrlen in addr2. */
	CASE(iou_prep_bind(sqe, 3, (struct sockaddr *)buf, 16),
	     .opcode = IORING_OP_BIND, .fd = 3, .addr = P(buf), .off = 16);
	CASE(iou_prep_listen(sqe, 3, 128), .opcode = IORING_OP_LISTEN, .fd = 3,
	     .len = 128);
	CASE(iou_prep_connect(sqe, 4, (struct sockaddr *)buf, 28),
	     .opcode = IORING_OP_CONNECT, .fd = 4, .addr = P(buf), .off = 28);
	/* io_accept_prep: addrlen pointer in addr2, mode bits in ioprio. */
	CASE(iou_prep_accept(sqe, 5, (struct sockaddr *)buf,
			     (unsigned *)(buf + 32), 0x80000),
	     .opcode = IORING_OP_ACCEPT, .fd = 5, .addr = P(buf),
	     .off = P(buf + 32), .op_flags = 0x80000);
	CASE(iou_prep_accept_direct(sqe, 5, NULL, NULL, 0, 9),
	     .opcode = IORING_OP_ACCEPT, .fd = 5, .file_index = 10);
	CASE(iou_prep_multishot_accept(sqe, 6, NULL, NULL, 0),
	     .opcode = IORING_OP_ACCEPT, .fd = 6,
	     .ioprio = IORING_ACCEPT_MULTISHOT);
	CASE(iou_prep_multishot_accept_direct(sqe, 6, NULL, NULL, 0),
	     .opcode = IORING_OP_ACCEPT, .fd = 6,
	     .ioprio = IORING_ACCEPT_MULTISHOT,
	     .file_index = IORING_FILE_INDEX_ALLOC);
	CASE(iou_prep_shutdown(sqe, 7, 1), .opcode = IORING_OP_SHUTDOWN, .fd = 7,
	     .len = 1);
	CASE(iou_prep_send(sqe, 8, buf, 9, 0x40), .opcode = IORING_OP_SEND,
	     .fd = 8, .addr = P(buf), .len = 9, .op_flags = 0x40);
	/* io_sendmsg_prep for SEND: dest in addr2, its length in addr_len. */
	CASE(iou_prep_sendto(sqe, 8, buf, 9, 0, (struct sockaddr *)(buf + 16),
			     16),
	     .opcode = IORING_OP_SEND, .fd = 8, .addr = P(buf), .len = 9,
	     .off = P(buf + 16), .file_index = 16);
	CASE(iou_prep_send_bundle(sqe, 8, 100, 0), .opcode = IORING_OP_SEND,
	     .fd = 8, .len = 100, .ioprio = IORING_RECVSEND_BUNDLE);
	CASE(iou_prep_send_zc(sqe, 9, buf, 10, 0,
			      IORING_SEND_ZC_REPORT_USAGE),
	     .opcode = IORING_OP_SEND_ZC, .fd = 9, .addr = P(buf), .len = 10,
	     .ioprio = IORING_SEND_ZC_REPORT_USAGE);
	CASE(iou_prep_send_zc_fixed(sqe, 9, buf, 10, 0, 0, 3),
	     .opcode = IORING_OP_SEND_ZC, .fd = 9, .addr = P(buf), .len = 10,
	     .ioprio = IORING_RECVSEND_FIXED_BUF, .buf_index = 3);
	/* io_sendmsg_prep: the msghdr in addr, len 1. */
	CASE(iou_prep_sendmsg(sqe, 10, (struct msghdr *)buf, 0x4000),
	     .opcode = IORING_OP_SENDMSG, .fd = 10, .addr = P(buf), .len = 1,
	     .op_flags = 0x4000);
	CASE(iou_prep_sendmsg_zc(sqe, 10, (struct msghdr *)buf, 0),
	     .opcode = IORING_OP_SENDMSG_ZC, .fd = 10, .addr = P(buf), .len = 1);
	CASE(iou_prep_recv(sqe, 11, buf, 12, 0x100), .opcode = IORING_OP_RECV,
	     .fd = 11, .addr = P(buf), .len = 12, .op_flags = 0x100);
	CASE(iou_prep_recv_multishot(sqe, 11, 0, 0), .opcode = IORING_OP_RECV,
	     .fd = 11, .ioprio = IORING_RECV_MULTISHOT);
	CASE(iou_prep_recv_bundle(sqe, 11, 0), .opcode = IORING_OP_RECV,
	     .fd = 11, .ioprio = IORING_RECVSEND_BUNDLE);
	CASE(iou_prep_recvmsg(sqe, 12, (struct msghdr *)buf, 0),
	     .opcode = IORING_OP_RECVMSG, .fd = 12, .addr = P(buf), .len = 1);
	CASE(iou_prep_recvmsg_multishot(sqe, 12, (struct msghdr *)buf, 0),
	     .opcode = IORING_OP_RECVMSG, .fd = 12, .addr = P(buf), .len = 1,
	     .ioprio = IORING_RECV_MULTISHOT);
	/* io_recvzc_prep: always multishot, queue index in zcrx_ifq_idx. */
	CASE(iou_prep_recv_zc(sqe, 13, 0, 2, 0), .opcode = IORING_OP_RECV_ZC,
	     .fd = 13, .ioprio = IORING_RECV_MULTISHOT, .file_index = 2);
	/* io_uring_cmd_prep: cmd_op in off's low word. */
	CASE(iou_prep_uring_cmd(sqe, 0x1234, 14), .opcode = IORING_OP_URING_CMD,
	     .fd = 14, .off = 0x1234);
	/* io_uring_cmd_sock: level/optname in addr, optval in addr3,
	 * optlen in file_index's place. */
	CASE(iou_prep_cmd_sock(sqe, SOCKET_URING_OP_GETSOCKOPT, 15, 1, 8, buf,
			       4),
	     .opcode = IORING_OP_URING_CMD, .fd = 15,
	     .off = SOCKET_URING_OP_GETSOCKOPT, .addr = 1 | (8ULL << 32),
	     .addr3 = P(buf), .file_index = 4);
}

static void test_sqe_bytes_buffers_rings_futex(void **state)
{
	(void)state;
	/* io_provide_buffers_prep: count in fd, first bid in off. */
	CASE(iou_prep_provide_buffers(sqe, buf, 32, 4, 9, 100),
	     .opcode = IORING_OP_PROVIDE_BUFFERS, .fd = 4, .addr = P(buf),
	     .len = 32, .off = 100, .buf_index = 9);
	CASE(iou_prep_remove_buffers(sqe, 3, 9),
	     .opcode = IORING_OP_REMOVE_BUFFERS, .fd = 3, .buf_index = 9);
	/* io_msg_ring_prep: command in addr, res in len, user_data in off. */
	CASE(iou_prep_msg_ring(sqe, 5, 42, 0xfeed, IORING_MSG_RING_CQE_SKIP),
	     .opcode = IORING_OP_MSG_RING, .fd = 5, .addr = IORING_MSG_DATA,
	     .len = 42, .off = 0xfeed, .op_flags = IORING_MSG_RING_CQE_SKIP);
	CASE(iou_prep_msg_ring_cqe_flags(sqe, 5, 1, 2, 0, 0x30000),
	     .opcode = IORING_OP_MSG_RING, .fd = 5, .len = 1, .off = 2,
	     .op_flags = IORING_MSG_RING_FLAGS_PASS, .file_index = 0x30000);
	/* The source slot in addr3, the target slot + 1 in file_index. */
	CASE(iou_prep_msg_ring_fd(sqe, 6, 3, 7, 0xbeef, 0),
	     .opcode = IORING_OP_MSG_RING, .fd = 6, .addr = IORING_MSG_SEND_FD,
	     .off = 0xbeef, .addr3 = 3, .file_index = 8);
	CASE(iou_prep_msg_ring_fd(sqe, 6, 3, IORING_FILE_INDEX_ALLOC, 1, 0),
	     .opcode = IORING_OP_MSG_RING, .fd = 6, .addr = IORING_MSG_SEND_FD,
	     .off = 1, .addr3 = 3, .file_index = IORING_FILE_INDEX_ALLOC);
	/* io_waitid_prep: id in fd, idtype in len, infop in addr2,
	 * options in file_index. */
	CASE(iou_prep_waitid(sqe, 1, 4321, buf, 4, 0),
	     .opcode = IORING_OP_WAITID, .fd = 4321, .len = 1, .off = P(buf),
	     .file_index = 4);
	/* io_futex_prep: futex2 flags in fd, value in addr2, mask in addr3. */
	CASE(iou_prep_futex_wait(sqe, (uint32_t *)buf, 7, 0xff, 0x82, 0),
	     .opcode = IORING_OP_FUTEX_WAIT, .fd = 0x82, .addr = P(buf),
	     .off = 7, .addr3 = 0xff);
	CASE(iou_prep_futex_wake(sqe, (uint32_t *)buf, 1, 0xf0, 0x02, 0),
	     .opcode = IORING_OP_FUTEX_WAKE, .fd = 0x02, .addr = P(buf),
	     .off = 1, .addr3 = 0xf0);
	CASE(iou_prep_futex_waitv(sqe, (struct futex_waitv *)buf, 2, 0),
	     .opcode = IORING_OP_FUTEX_WAITV, .addr = P(buf), .len = 2);
}

static void test_sqe_bytes_setters(void **state)
{
	struct io_uring_sqe sqe;
	struct io_uring_cqe cqe;

	(void)state;
	memset(&sqe, 0, sizeof(sqe));
	iou_sqe_set_data(&sqe, buf);
	assert_int_equal(sqe.user_data, P(buf));
	iou_sqe_set_data64(&sqe, UDATA);
	assert_int_equal(sqe.user_data, UDATA);
	iou_sqe_set_flags(&sqe, IOSQE_IO_LINK | IOSQE_ASYNC);
	assert_int_equal(sqe.flags, IOSQE_IO_LINK | IOSQE_ASYNC);
	iou_sqe_set_buf_group(&sqe, 0x1234);
	assert_int_equal(sqe.buf_group, 0x1234);
	iou_sqe_set_ioprio(&sqe, 0x6001);
	assert_int_equal(sqe.ioprio, 0x6001);
	iou_sqe_set_personality(&sqe, 3);
	assert_int_equal(sqe.personality, 3);
	iou_sqe_set_file_index(&sqe, 0);
	assert_int_equal(sqe.file_index, 1);
	iou_sqe_set_file_index(&sqe, IORING_FILE_INDEX_ALLOC);
	assert_int_equal(sqe.file_index, IORING_FILE_INDEX_ALLOC);
	memset(&cqe, 0, sizeof(cqe));
	cqe.user_data = P(buf);
	assert_ptr_equal(iou_cqe_get_data(&cqe), buf);
	assert_int_equal(iou_cqe_get_data64(&cqe), P(buf));
	assert_int_equal(iou_cqe_buffer_id(&cqe), -1);
	cqe.flags = IORING_CQE_F_BUFFER | (77U << IORING_CQE_BUFFER_SHIFT);
	assert_int_equal(iou_cqe_buffer_id(&cqe), 77);
}

/*
 * The exported copies: every iou_prep_* of the header resolves in
 * libiou.so, and a sample of them writes the same bytes as the inline.
 */
static const char *const exported[] = {
	"iou_prep_rw", "iou_prep_nop", "iou_prep_nop_flags", "iou_prep_read",
	"iou_prep_write", "iou_prep_readv", "iou_prep_writev",
	"iou_prep_read_fixed", "iou_prep_write_fixed", "iou_prep_readv_fixed",
	"iou_prep_writev_fixed", "iou_prep_read_multishot", "iou_prep_fsync",
	"iou_prep_sync_file_range", "iou_prep_fallocate", "iou_prep_fadvise",
	"iou_prep_madvise", "iou_prep_ftruncate", "iou_prep_openat",
	"iou_prep_openat_direct", "iou_prep_openat2", "iou_prep_openat2_direct",
	"iou_prep_close", "iou_prep_close_direct", "iou_prep_files_update",
	"iou_prep_fixed_fd_install", "iou_prep_statx", "iou_prep_renameat",
	"iou_prep_rename", "iou_prep_unlinkat", "iou_prep_unlink",
	"iou_prep_mkdirat", "iou_prep_mkdir", "iou_prep_symlinkat",
	"iou_prep_symlink", "iou_prep_linkat", "iou_prep_link",
	"iou_prep_getxattr", "iou_prep_setxattr", "iou_prep_fgetxattr",
	"iou_prep_fsetxattr", "iou_prep_splice", "iou_prep_tee",
	"iou_prep_pipe", "iou_prep_pipe_direct", "iou_prep_poll_add",
	"iou_prep_poll_multishot", "iou_prep_poll_remove",
	"iou_prep_poll_update", "iou_prep_epoll_ctl", "iou_prep_epoll_wait",
	"iou_prep_timeout", "iou_prep_timeout_remove",
	"iou_prep_timeout_update", "iou_prep_link_timeout",
	"iou_prep_cancel64", "iou_prep_cancel", "iou_prep_cancel_fd",
	"iou_prep_socket", "iou_prep_socket_direct", "iou_prep_bind",
	"iou_prep_listen", "iou_prep_accept", "iou_prep_accept_direct",
	"iou_prep_multishot_accept", "iou_prep_multishot_accept_direct",
	"iou_prep_connect", "iou_prep_shutdown", "iou_prep_send",
	"iou_prep_sendto", "iou_prep_send_bundle", "iou_prep_send_zc",
	"iou_prep_send_zc_fixed", "iou_prep_sendmsg", "iou_prep_sendmsg_zc",
	"iou_prep_recv", "iou_prep_recv_multishot", "iou_prep_recv_bundle",
	"iou_prep_recvmsg", "iou_prep_recvmsg_multishot", "iou_prep_recv_zc",
	"iou_prep_uring_cmd", "iou_prep_cmd_sock", "iou_prep_provide_buffers",
	"iou_prep_remove_buffers", "iou_prep_msg_ring",
	"iou_prep_msg_ring_cqe_flags", "iou_prep_msg_ring_fd",
	"iou_prep_waitid", "iou_prep_futex_wait", "iou_prep_futex_wake",
	"iou_prep_futex_waitv", "iou_sqe_set_data", "iou_sqe_set_data64",
	"iou_cqe_get_data", "iou_cqe_get_data64", "iou_cqe_buffer_id",
	"iou_sqe_set_flags", "iou_sqe_set_buf_group", "iou_sqe_set_ioprio",
	"iou_sqe_set_personality", "iou_sqe_set_file_index",
};

static void *open_shared_lib(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = 0;
	snprintf(path, sizeof(path), "%s/../libiou.so", dirname(exe));
	return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

static void test_sqe_bytes_exported(void **state)
{
	typedef void (*rw_fn)(struct io_uring_sqe *, unsigned, int, const void *,
			      unsigned, uint64_t);
	typedef void (*read_fn)(struct io_uring_sqe *, int, void *, unsigned,
				uint64_t);
	typedef void (*accept_fn)(struct io_uring_sqe *, int, struct sockaddr *,
				  unsigned *, int, unsigned);
	typedef void (*futex_fn)(struct io_uring_sqe *, uint32_t *, uint64_t,
				 uint64_t, unsigned, unsigned);
	struct io_uring_sqe a, b;
	void *lib = open_shared_lib();
	size_t i;

	(void)state;
	if (!lib)
		t_skip("no libiou.so beside the tests (static-only build?): %s",
		       dlerror());
	for (i = 0; i < sizeof(exported) / sizeof(exported[0]); i++)
		if (!dlsym(lib, exported[i]))
			fail_msg("%s is not exported from libiou.so", exported[i]);

	iou_prep_rw(poisoned(&a), 99, 3, buf, 7, 9);
	((rw_fn)dlsym(lib, "iou_prep_rw"))(poisoned(&b), 99, 3, buf, 7, 9);
	assert_memory_equal(&a, &b, sizeof(a));
	iou_prep_read(poisoned(&a), 4, buf, 10, 20);
	((read_fn)dlsym(lib, "iou_prep_read"))(poisoned(&b), 4, buf, 10, 20);
	assert_memory_equal(&a, &b, sizeof(a));
	iou_prep_accept_direct(poisoned(&a), 5, NULL, NULL, 0, 9);
	((accept_fn)dlsym(lib, "iou_prep_accept_direct"))(poisoned(&b), 5, NULL,
							   NULL, 0, 9);
	assert_memory_equal(&a, &b, sizeof(a));
	iou_prep_futex_wait(poisoned(&a), (uint32_t *)buf, 7, 0xff, 0x82, 0);
	((futex_fn)dlsym(lib, "iou_prep_futex_wait"))(poisoned(&b),
						       (uint32_t *)buf, 7, 0xff,
						       0x82, 0);
	assert_memory_equal(&a, &b, sizeof(a));
	dlclose(lib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqe_bytes_generic),
		cmocka_unit_test(test_sqe_bytes_read_write),
		cmocka_unit_test(test_sqe_bytes_file_ops),
		cmocka_unit_test(test_sqe_bytes_paths),
		cmocka_unit_test(test_sqe_bytes_poll_timeout_cancel),
		cmocka_unit_test(test_sqe_bytes_sockets),
		cmocka_unit_test(test_sqe_bytes_buffers_rings_futex),
		cmocka_unit_test(test_sqe_bytes_setters),
		cmocka_unit_test(test_sqe_bytes_exported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
