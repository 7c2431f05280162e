/* SPDX-License-Identifier: MIT */
/*
 * iou-probe: what the running kernel offers, next to what iou knows.
 *
 * One line per opcode of abi.h:
 *   IORING_OP_<NAME> kernel=<yes|no> helper=<iou_prep_...|none>
 * then the setup flags, features, enter flags and register opcodes the
 * kernel accepts.  IORING_REGISTER_QUERY (6.18) answers most of it without
 * a ring; older kernels are asked by trying.  Exit status 2 when io_uring
 * is refused here.
 */
#include <iou/iou.h>

#include <stdio.h>
#include <string.h>

/* The helper that prepares each opcode (the first of its variants). */
static const char *const helpers[IORING_OP_LAST] = {
	[IORING_OP_NOP] = "iou_prep_nop",
	[IORING_OP_READV] = "iou_prep_readv",
	[IORING_OP_WRITEV] = "iou_prep_writev",
	[IORING_OP_FSYNC] = "iou_prep_fsync",
	[IORING_OP_READ_FIXED] = "iou_prep_read_fixed",
	[IORING_OP_WRITE_FIXED] = "iou_prep_write_fixed",
	[IORING_OP_POLL_ADD] = "iou_prep_poll_add",
	[IORING_OP_POLL_REMOVE] = "iou_prep_poll_remove",
	[IORING_OP_SYNC_FILE_RANGE] = "iou_prep_sync_file_range",
	[IORING_OP_SENDMSG] = "iou_prep_sendmsg",
	[IORING_OP_RECVMSG] = "iou_prep_recvmsg",
	[IORING_OP_TIMEOUT] = "iou_prep_timeout",
	[IORING_OP_TIMEOUT_REMOVE] = "iou_prep_timeout_remove",
	[IORING_OP_ACCEPT] = "iou_prep_accept",
	[IORING_OP_ASYNC_CANCEL] = "iou_prep_cancel64",
	[IORING_OP_LINK_TIMEOUT] = "iou_prep_link_timeout",
	[IORING_OP_CONNECT] = "iou_prep_connect",
	[IORING_OP_FALLOCATE] = "iou_prep_fallocate",
	[IORING_OP_OPENAT] = "iou_prep_openat",
	[IORING_OP_CLOSE] = "iou_prep_close",
	[IORING_OP_FILES_UPDATE] = "iou_prep_files_update",
	[IORING_OP_STATX] = "iou_prep_statx",
	[IORING_OP_READ] = "iou_prep_read",
	[IORING_OP_WRITE] = "iou_prep_write",
	[IORING_OP_FADVISE] = "iou_prep_fadvise",
	[IORING_OP_MADVISE] = "iou_prep_madvise",
	[IORING_OP_SEND] = "iou_prep_send",
	[IORING_OP_RECV] = "iou_prep_recv",
	[IORING_OP_OPENAT2] = "iou_prep_openat2",
	[IORING_OP_EPOLL_CTL] = "iou_prep_epoll_ctl",
	[IORING_OP_SPLICE] = "iou_prep_splice",
	[IORING_OP_PROVIDE_BUFFERS] = "iou_prep_provide_buffers",
	[IORING_OP_REMOVE_BUFFERS] = "iou_prep_remove_buffers",
	[IORING_OP_TEE] = "iou_prep_tee",
	[IORING_OP_SHUTDOWN] = "iou_prep_shutdown",
	[IORING_OP_RENAMEAT] = "iou_prep_renameat",
	[IORING_OP_UNLINKAT] = "iou_prep_unlinkat",
	[IORING_OP_MKDIRAT] = "iou_prep_mkdirat",
	[IORING_OP_SYMLINKAT] = "iou_prep_symlinkat",
	[IORING_OP_LINKAT] = "iou_prep_linkat",
	[IORING_OP_MSG_RING] = "iou_prep_msg_ring",
	[IORING_OP_FSETXATTR] = "iou_prep_fsetxattr",
	[IORING_OP_SETXATTR] = "iou_prep_setxattr",
	[IORING_OP_FGETXATTR] = "iou_prep_fgetxattr",
	[IORING_OP_GETXATTR] = "iou_prep_getxattr",
	[IORING_OP_SOCKET] = "iou_prep_socket",
	[IORING_OP_URING_CMD] = "iou_prep_uring_cmd",
	[IORING_OP_SEND_ZC] = "iou_prep_send_zc",
	[IORING_OP_SENDMSG_ZC] = "iou_prep_sendmsg_zc",
	[IORING_OP_READ_MULTISHOT] = "iou_prep_read_multishot",
	[IORING_OP_WAITID] = "iou_prep_waitid",
	[IORING_OP_FUTEX_WAIT] = "iou_prep_futex_wait",
	[IORING_OP_FUTEX_WAKE] = "iou_prep_futex_wake",
	[IORING_OP_FUTEX_WAITV] = "iou_prep_futex_waitv",
	[IORING_OP_FIXED_FD_INSTALL] = "iou_prep_fixed_fd_install",
	[IORING_OP_FTRUNCATE] = "iou_prep_ftruncate",
	[IORING_OP_BIND] = "iou_prep_bind",
	[IORING_OP_LISTEN] = "iou_prep_listen",
	[IORING_OP_RECV_ZC] = "iou_prep_recv_zc",
	[IORING_OP_EPOLL_WAIT] = "iou_prep_epoll_wait",
	[IORING_OP_READV_FIXED] = "iou_prep_readv_fixed",
	[IORING_OP_WRITEV_FIXED] = "iou_prep_writev_fixed",
	[IORING_OP_PIPE] = "iou_prep_pipe",
};

struct bit_name {
	unsigned bit;
	const char *name;
};

#define BIT(x) { x, #x }

static const struct bit_name setup_flags[] = {
	BIT(IORING_SETUP_IOPOLL), BIT(IORING_SETUP_SQPOLL),
	BIT(IORING_SETUP_SQ_AFF), BIT(IORING_SETUP_CQSIZE),
	BIT(IORING_SETUP_CLAMP), BIT(IORING_SETUP_ATTACH_WQ),
	BIT(IORING_SETUP_R_DISABLED), BIT(IORING_SETUP_SUBMIT_ALL),
	BIT(IORING_SETUP_COOP_TASKRUN), BIT(IORING_SETUP_TASKRUN_FLAG),
	BIT(IORING_SETUP_SQE128), BIT(IORING_SETUP_CQE32),
	BIT(IORING_SETUP_SINGLE_ISSUER), BIT(IORING_SETUP_DEFER_TASKRUN),
	BIT(IORING_SETUP_NO_MMAP), BIT(IORING_SETUP_REGISTERED_FD_ONLY),
	BIT(IORING_SETUP_NO_SQARRAY), BIT(IORING_SETUP_HYBRID_IOPOLL),
	BIT(IORING_SETUP_CQE_MIXED),
};

static const struct bit_name features[] = {
	BIT(IORING_FEAT_SINGLE_MMAP), BIT(IORING_FEAT_NODROP),
	BIT(IORING_FEAT_SUBMIT_STABLE), BIT(IORING_FEAT_RW_CUR_POS),
	BIT(IORING_FEAT_CUR_PERSONALITY), BIT(IORING_FEAT_FAST_POLL),
	BIT(IORING_FEAT_POLL_32BITS), BIT(IORING_FEAT_SQPOLL_NONFIXED),
	BIT(IORING_FEAT_EXT_ARG), BIT(IORING_FEAT_NATIVE_WORKERS),
	BIT(IORING_FEAT_RSRC_TAGS), BIT(IORING_FEAT_CQE_SKIP),
	BIT(IORING_FEAT_LINKED_FILE), BIT(IORING_FEAT_REG_REG_RING),
	BIT(IORING_FEAT_RECVSEND_BUNDLE), BIT(IORING_FEAT_MIN_TIMEOUT),
	BIT(IORING_FEAT_RW_ATTR), BIT(IORING_FEAT_NO_IOWAIT),
};

static const struct bit_name enter_flags[] = {
	BIT(IORING_ENTER_GETEVENTS), BIT(IORING_ENTER_SQ_WAKEUP),
	BIT(IORING_ENTER_SQ_WAIT), BIT(IORING_ENTER_EXT_ARG),
	BIT(IORING_ENTER_REGISTERED_RING), BIT(IORING_ENTER_ABS_TIMER),
	BIT(IORING_ENTER_EXT_ARG_REG), BIT(IORING_ENTER_NO_IOWAIT),
};

static const struct bit_name register_ops[] = {
	BIT(IORING_REGISTER_BUFFERS), BIT(IORING_UNREGISTER_BUFFERS),
	BIT(IORING_REGISTER_FILES), BIT(IORING_UNREGISTER_FILES),
	BIT(IORING_REGISTER_EVENTFD), BIT(IORING_UNREGISTER_EVENTFD),
	BIT(IORING_REGISTER_FILES_UPDATE), BIT(IORING_REGISTER_EVENTFD_ASYNC),
	BIT(IORING_REGISTER_PROBE), BIT(IORING_REGISTER_PERSONALITY),
	BIT(IORING_UNREGISTER_PERSONALITY), BIT(IORING_REGISTER_RESTRICTIONS),
	BIT(IORING_REGISTER_ENABLE_RINGS), BIT(IORING_REGISTER_FILES2),
	BIT(IORING_REGISTER_FILES_UPDATE2), BIT(IORING_REGISTER_BUFFERS2),
	BIT(IORING_REGISTER_BUFFERS_UPDATE), BIT(IORING_REGISTER_IOWQ_AFF),
	BIT(IORING_UNREGISTER_IOWQ_AFF), BIT(IORING_REGISTER_IOWQ_MAX_WORKERS),
	BIT(IORING_REGISTER_RING_FDS), BIT(IORING_UNREGISTER_RING_FDS),
	BIT(IORING_REGISTER_PBUF_RING), BIT(IORING_UNREGISTER_PBUF_RING),
	BIT(IORING_REGISTER_SYNC_CANCEL), BIT(IORING_REGISTER_FILE_ALLOC_RANGE),
	BIT(IORING_REGISTER_PBUF_STATUS), BIT(IORING_REGISTER_NAPI),
	BIT(IORING_UNREGISTER_NAPI), BIT(IORING_REGISTER_CLOCK),
	BIT(IORING_REGISTER_CLONE_BUFFERS), BIT(IORING_REGISTER_SEND_MSG_RING),
	BIT(IORING_REGISTER_ZCRX_IFQ), BIT(IORING_REGISTER_RESIZE_RINGS),
	BIT(IORING_REGISTER_MEM_REGION), BIT(IORING_REGISTER_QUERY),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Flags a setup flag cannot be tried without. */
static unsigned setup_companions(unsigned flag)
{
	switch (flag) {
	case IORING_SETUP_SQ_AFF:
		return IORING_SETUP_SQPOLL;
	case IORING_SETUP_TASKRUN_FLAG:
		return IORING_SETUP_COOP_TASKRUN;
	case IORING_SETUP_DEFER_TASKRUN:
		return IORING_SETUP_SINGLE_ISSUER;
	case IORING_SETUP_HYBRID_IOPOLL:
		return IORING_SETUP_IOPOLL;
	default:
		return 0;
	}
}

/* Without IORING_REGISTER_QUERY: does a ring with @flag come up? */
static const char *try_setup_flag(unsigned flag, int wq_fd)
{
	struct io_uring_params p;
	struct iou_ring ring;
	int ret;

	if (flag == IORING_SETUP_NO_MMAP ||
	    flag == IORING_SETUP_REGISTERED_FD_ONLY)
		return "unknown";
	memset(&p, 0, sizeof(p));
	p.flags = flag | setup_companions(flag);
	p.cq_entries = 16;
	p.wq_fd = (unsigned)wq_fd;
	ret = iou_ring_init_params(&ring, 8, &p);
	if (ret)
		return "no";
	iou_ring_exit(&ring);
	return "yes";
}

static void print_bits(const char *kind, const struct bit_name *b, size_t n,
		       uint64_t mask)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s %s kernel=%s\n", kind, b[i].name,
		       (mask & b[i].bit) ? "yes" : "no");
}

int main(void)
{
	struct io_uring_query_opcode q;
	struct io_uring_query_hdr hdr;
	union iou_probe_buf probe;
	struct iou_ring ring;
	int have_query, ret;
	unsigned op;
	size_t i;

	ret = iou_available();
	if (ret || (ret = iou_ring_init(&ring, 8, 0)) != 0) {
		printf("io_uring unavailable here: %s\n", strerror(-ret));
		return 2;
	}
	memset(&probe, 0, sizeof(probe));
	if (iou_register_probe(&ring, &probe.probe, 256))
		probe.probe.ops_len = 0;
	for (op = 0; op < IORING_OP_LAST; op++) {
		int yes = op < probe.probe.ops_len &&
			  (probe.probe.ops[op].flags & IO_URING_OP_SUPPORTED);

		printf("IORING_OP_%s kernel=%s helper=%s\n", iou_opcode_name(op),
		       yes ? "yes" : "no", helpers[op] ? helpers[op] : "none");
	}

	memset(&q, 0, sizeof(q));
	memset(&hdr, 0, sizeof(hdr));
	hdr.query_op = IO_URING_QUERY_OPCODES;
	hdr.query_data = (uint64_t)(uintptr_t)&q;
	hdr.size = sizeof(q);
	have_query = iou_register_query(NULL, &hdr) == 0 && hdr.result == 0;

	if (have_query) {
		print_bits("setup", setup_flags, COUNT(setup_flags),
			   q.ring_setup_flags);
	} else {
		for (i = 0; i < COUNT(setup_flags); i++)
			printf("setup %s kernel=%s\n", setup_flags[i].name,
			       try_setup_flag(setup_flags[i].bit, ring.ring_fd));
	}
	print_bits("feature", features, COUNT(features),
		   have_query ? q.feature_flags : ring.features);
	if (have_query)
		print_bits("enter", enter_flags, COUNT(enter_flags),
			   q.enter_flags);
	for (i = 0; i < COUNT(register_ops); i++)
		printf("register %s kernel=%s\n", register_ops[i].name,
		       !have_query ? "unknown" :
		       register_ops[i].bit < q.nr_register_opcodes ? "yes" :
								      "no");
	iou_ring_exit(&ring);
	return 0;
}
