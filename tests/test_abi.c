/* SPDX-License-Identifier: MIT */
/*
 * include/iou/abi.h against two oracles:
 *   - linux-headers: abi_kernel.c expands the lists of abi_list.h against
 *     <linux/io_uring.h>, this file against <iou/abi.h>, and every constant,
 *     struct size and field offset the installed header knows is compared;
 *   - the running kernel, for what is newer than the installed header:
 *     the opcode count from IORING_REGISTER_PROBE, the features from
 *     io_uring_setup(2), and the counts and flag masks of
 *     IORING_REGISTER_QUERY (6.18).  On the kernel abi.h describes they must
 *     match exactly; on a newer one ours must be a subset; on an older
 *     one the probe check skips.
 * Fields that linux-headers 6.1 lacks are pinned to the offsets that follow
 * from the kernel's layout.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <cmocka.h>

#include <iou/abi.h>

#include "abi_list.h"

/* Our side of what was renamed since linux-headers 6.1. */
#define ABI_R(s, old, cur) ABI_RENAMED_ENTRY(s, cur, old, cur)
#define ABI_O(s, old, cur) ABI_RETYPED_ENTRY(s, cur, old, cur)
#define ABI_SR(k, ours) { #k "/" #ours, sizeof(struct ours), _Alignof(struct ours) },

ABI_DEFINE_TABLES(ours_, static)

#define abi_skip(...)                                                          \
	do {                                                                   \
		print_message("SKIP: " __VA_ARGS__);                           \
		print_message("\n");                                           \
		skip();                                                        \
	} while (0)

/* ---- linux-headers as the oracle ------------------------------------ */

static void compare_consts(const struct abi_const *k, size_t nk,
			   const struct abi_const *o, size_t no)
{
	unsigned bad = 0;
	size_t i;

	assert_int_equal(nk, no);
	for (i = 0; i < nk; i++) {
		assert_string_equal(k[i].name, o[i].name);
		if (k[i].value != o[i].value) {
			print_message("%s: linux-headers %lld, iou %lld\n",
				      k[i].name, k[i].value, o[i].value);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void compare_fields(const struct abi_field *k, size_t nk,
			   const struct abi_field *o, size_t no)
{
	unsigned bad = 0;
	size_t i;

	assert_int_equal(nk, no);
	for (i = 0; i < nk; i++) {
		assert_string_equal(k[i].name, o[i].name);
		if (k[i].offset != o[i].offset || k[i].size != o[i].size) {
			print_message("%s: linux-headers offset %zu size %zu, "
				      "iou offset %zu size %zu\n", k[i].name,
				      k[i].offset, k[i].size, o[i].offset,
				      o[i].size);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* One test_abi_<kind> per table of abi_list.h. */
#define CONST_TEST(p, st, kind, list)                                          \
	static void test_abi_##kind(void **state)                              \
	{                                                                      \
		(void)state;                                                   \
		compare_consts(abi_kernel_##kind, abi_kernel_##kind##_nr,      \
			       ours_##kind, ours_##kind##_nr);                 \
	}
#define FIELD_TEST(p, st, kind, list)                                          \
	static void test_abi_##kind(void **state)                              \
	{                                                                      \
		(void)state;                                                   \
		compare_fields(abi_kernel_##kind, abi_kernel_##kind##_nr,      \
			       ours_##kind, ours_##kind##_nr);                 \
	}
ABI_CONST_TABLES(CONST_TEST, , )
ABI_FIELD_TABLES(FIELD_TEST, , )

static void test_abi_struct_sizes(void **state)
{
	const struct abi_size *k = abi_kernel_struct_sizes, *o = ours_struct_sizes;
	unsigned bad = 0;
	size_t i;

	(void)state;
	assert_int_equal(abi_kernel_struct_sizes_nr, ours_struct_sizes_nr);
	for (i = 0; i < ours_struct_sizes_nr; i++) {
		assert_string_equal(k[i].name, o[i].name);
		if (k[i].size != o[i].size || k[i].align != o[i].align) {
			print_message("struct %s: linux-headers size %zu align %zu, "
				      "iou size %zu align %zu\n", k[i].name,
				      k[i].size, k[i].align, o[i].size,
				      o[i].align);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ---- what linux-headers 6.1 lacks: the kernel's layout, by hand ------ */

struct want_field {
	const char *name;
	size_t offset, size;	/* ours */
	size_t want_offset, want_size;
};

#define WANT(s, f, off, sz)                                                    \
	{ #s "." #f, offsetof(struct s, f), ABI_MEMBER_SIZE(s, f), off, sz }
#define WANT_SIZE(s, sz) { "sizeof " #s, 0, sizeof(struct s), 0, sz }

static const struct want_field newer_fields[] = {
	WANT(io_uring_sqe, level, 16, 4),
	WANT(io_uring_sqe, optname, 20, 4),
	WANT(io_uring_sqe, waitid_flags, 28, 4),
	WANT(io_uring_sqe, futex_flags, 28, 4),
	WANT(io_uring_sqe, install_fd_flags, 28, 4),
	WANT(io_uring_sqe, nop_flags, 28, 4),
	WANT(io_uring_sqe, pipe_flags, 28, 4),
	WANT(io_uring_sqe, zcrx_ifq_idx, 44, 4),
	WANT(io_uring_sqe, optlen, 44, 4),
	WANT(io_uring_sqe, write_stream, 44, 1),
	WANT(io_uring_sqe, __pad4, 45, 3),
	WANT(io_uring_sqe, attr_ptr, 48, 8),
	WANT(io_uring_sqe, attr_type_mask, 56, 8),
	WANT(io_uring_sqe, optval, 48, 8),
	WANT(io_uring_attr_pi, flags, 0, 2),
	WANT(io_uring_attr_pi, app_tag, 2, 2),
	WANT(io_uring_attr_pi, len, 4, 4),
	WANT(io_uring_attr_pi, addr, 8, 8),
	WANT(io_uring_attr_pi, seed, 16, 8),
	WANT(io_uring_attr_pi, rsvd, 24, 8),
	WANT_SIZE(io_uring_attr_pi, 32),
	WANT(io_sqring_offsets, user_addr, 32, 8),
	WANT(io_cqring_offsets, user_addr, 32, 8),
	WANT(io_uring_getevents_arg, min_wait_usec, 12, 4),
	WANT(io_uring_buf_reg, flags, 14, 2),
	WANT(io_uring_sync_cancel_reg, opcode, 32, 1),
	WANT(io_uring_sync_cancel_reg, pad, 33, 7),
	WANT(io_uring_sync_cancel_reg, pad2, 40, 24),
	WANT(iou_timespec, tv_sec, 0, 8),
	WANT(iou_timespec, tv_nsec, 8, 8),
	WANT(io_uring_region_desc, user_addr, 0, 8),
	WANT(io_uring_region_desc, size, 8, 8),
	WANT(io_uring_region_desc, flags, 16, 4),
	WANT(io_uring_region_desc, id, 20, 4),
	WANT(io_uring_region_desc, mmap_offset, 24, 8),
	WANT(io_uring_region_desc, __resv, 32, 32),
	WANT_SIZE(io_uring_region_desc, 64),
	WANT(io_uring_mem_region_reg, region_uptr, 0, 8),
	WANT(io_uring_mem_region_reg, flags, 8, 8),
	WANT(io_uring_mem_region_reg, __resv, 16, 16),
	WANT_SIZE(io_uring_mem_region_reg, 32),
	WANT(io_uring_clock_register, clockid, 0, 4),
	WANT(io_uring_clock_register, __resv, 4, 12),
	WANT(io_uring_clone_buffers, src_fd, 0, 4),
	WANT(io_uring_clone_buffers, flags, 4, 4),
	WANT(io_uring_clone_buffers, src_off, 8, 4),
	WANT(io_uring_clone_buffers, dst_off, 12, 4),
	WANT(io_uring_clone_buffers, nr, 16, 4),
	WANT(io_uring_clone_buffers, pad, 20, 12),
	WANT(io_uring_buf_status, buf_group, 0, 4),
	WANT(io_uring_buf_status, head, 4, 4),
	WANT(io_uring_buf_status, resv, 8, 32),
	WANT(io_uring_napi, busy_poll_to, 0, 4),
	WANT(io_uring_napi, prefer_busy_poll, 4, 1),
	WANT(io_uring_napi, opcode, 5, 1),
	WANT(io_uring_napi, pad, 6, 2),
	WANT(io_uring_napi, op_param, 8, 4),
	WANT(io_uring_napi, resv, 12, 4),
	WANT(io_uring_reg_wait, ts, 0, 16),
	WANT(io_uring_reg_wait, min_wait_usec, 16, 4),
	WANT(io_uring_reg_wait, flags, 20, 4),
	WANT(io_uring_reg_wait, sigmask, 24, 8),
	WANT(io_uring_reg_wait, sigmask_sz, 32, 4),
	WANT(io_uring_reg_wait, pad, 36, 12),
	WANT(io_uring_reg_wait, pad2, 48, 16),
	WANT(io_timespec, tv_sec, 0, 8),
	WANT(io_timespec, tv_nsec, 8, 8),
	WANT(io_uring_zcrx_rqe, off, 0, 8),
	WANT(io_uring_zcrx_rqe, len, 8, 4),
	WANT(io_uring_zcrx_rqe, __pad, 12, 4),
	WANT(io_uring_zcrx_cqe, off, 0, 8),
	WANT(io_uring_zcrx_cqe, __pad, 8, 8),
	WANT(io_uring_zcrx_offsets, head, 0, 4),
	WANT(io_uring_zcrx_offsets, tail, 4, 4),
	WANT(io_uring_zcrx_offsets, rqes, 8, 4),
	WANT(io_uring_zcrx_offsets, __resv2, 12, 4),
	WANT(io_uring_zcrx_offsets, __resv, 16, 16),
	WANT(io_uring_zcrx_area_reg, addr, 0, 8),
	WANT(io_uring_zcrx_area_reg, len, 8, 8),
	WANT(io_uring_zcrx_area_reg, rq_area_token, 16, 8),
	WANT(io_uring_zcrx_area_reg, flags, 24, 4),
	WANT(io_uring_zcrx_area_reg, dmabuf_fd, 28, 4),
	WANT(io_uring_zcrx_area_reg, __resv2, 32, 16),
	WANT(io_uring_zcrx_ifq_reg, if_idx, 0, 4),
	WANT(io_uring_zcrx_ifq_reg, if_rxq, 4, 4),
	WANT(io_uring_zcrx_ifq_reg, rq_entries, 8, 4),
	WANT(io_uring_zcrx_ifq_reg, flags, 12, 4),
	WANT(io_uring_zcrx_ifq_reg, area_ptr, 16, 8),
	WANT(io_uring_zcrx_ifq_reg, region_ptr, 24, 8),
	WANT(io_uring_zcrx_ifq_reg, offsets, 32, 32),
	WANT(io_uring_zcrx_ifq_reg, zcrx_id, 64, 4),
	WANT(io_uring_zcrx_ifq_reg, __resv2, 68, 4),
	WANT(io_uring_zcrx_ifq_reg, __resv, 72, 24),
	WANT(io_uring_query_hdr, next_entry, 0, 8),
	WANT(io_uring_query_hdr, query_data, 8, 8),
	WANT(io_uring_query_hdr, query_op, 16, 4),
	WANT(io_uring_query_hdr, size, 20, 4),
	WANT(io_uring_query_hdr, result, 24, 4),
	WANT(io_uring_query_hdr, __resv, 28, 12),
	WANT(io_uring_query_opcode, nr_request_opcodes, 0, 4),
	WANT(io_uring_query_opcode, nr_register_opcodes, 4, 4),
	WANT(io_uring_query_opcode, feature_flags, 8, 8),
	WANT(io_uring_query_opcode, ring_setup_flags, 16, 8),
	WANT(io_uring_query_opcode, enter_flags, 24, 8),
	WANT(io_uring_query_opcode, sqe_flags, 32, 8),
	WANT(io_uring_query_opcode, nr_query_opcodes, 40, 4),
	WANT(io_uring_query_opcode, __pad, 44, 4),
};

static void test_abi_newer_layout(void **state)
{
	unsigned bad = 0;
	size_t i;

	(void)state;
	for (i = 0; i < ABI_NR(newer_fields); i++) {
		const struct want_field *w = &newer_fields[i];

		if (w->offset != w->want_offset || w->size != w->want_size) {
			print_message("%s: offset %zu size %zu, kernel has "
				      "offset %zu size %zu\n", w->name,
				      w->offset, w->size, w->want_offset,
				      w->want_size);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ---- the running kernel as the oracle ------------------------------- */

#define OURS_SETUP_FLAGS                                                       \
	(IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF |     \
	 IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_ATTACH_WQ |   \
	 IORING_SETUP_R_DISABLED | IORING_SETUP_SUBMIT_ALL |                   \
	 IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG |               \
	 IORING_SETUP_SQE128 | IORING_SETUP_CQE32 |                            \
	 IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |             \
	 IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY |              \
	 IORING_SETUP_NO_SQARRAY | IORING_SETUP_HYBRID_IOPOLL |                \
	 IORING_SETUP_CQE_MIXED)

#define OURS_FEATURES                                                          \
	(IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP |                        \
	 IORING_FEAT_SUBMIT_STABLE | IORING_FEAT_RW_CUR_POS |                  \
	 IORING_FEAT_CUR_PERSONALITY | IORING_FEAT_FAST_POLL |                 \
	 IORING_FEAT_POLL_32BITS | IORING_FEAT_SQPOLL_NONFIXED |               \
	 IORING_FEAT_EXT_ARG | IORING_FEAT_NATIVE_WORKERS |                    \
	 IORING_FEAT_RSRC_TAGS | IORING_FEAT_CQE_SKIP |                        \
	 IORING_FEAT_LINKED_FILE | IORING_FEAT_REG_REG_RING |                  \
	 IORING_FEAT_RECVSEND_BUNDLE | IORING_FEAT_MIN_TIMEOUT |               \
	 IORING_FEAT_RW_ATTR | IORING_FEAT_NO_IOWAIT)

#define OURS_ENTER_FLAGS                                                       \
	(IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP |                     \
	 IORING_ENTER_SQ_WAIT | IORING_ENTER_EXT_ARG |                         \
	 IORING_ENTER_REGISTERED_RING | IORING_ENTER_ABS_TIMER |               \
	 IORING_ENTER_EXT_ARG_REG | IORING_ENTER_NO_IOWAIT)

#define OURS_SQE_FLAGS                                                         \
	(IOSQE_FIXED_FILE | IOSQE_IO_DRAIN | IOSQE_IO_LINK |                   \
	 IOSQE_IO_HARDLINK | IOSQE_ASYNC | IOSQE_BUFFER_SELECT |               \
	 IOSQE_CQE_SKIP_SUCCESS)

/* The kernel release abi.h describes. */
#define ABI_MAJOR 6
#define ABI_MINOR 18

/*
 * The running kernel's release against the one abi.h describes: < 0 older,
 * 0 the same, > 0 newer (or unknown).
 */
static int kernel_cmp(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) != 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 1;
	if (major != ABI_MAJOR)
		return major - ABI_MAJOR;
	return minor - ABI_MINOR;
}

/* The number of IO_URING_QUERY_* operations abi.h defines. */
#define OURS_QUERY_OPS (IO_URING_QUERY_OPCODES + 1)

/*
 * Compare a mask the kernel reports with ours: equal on the kernel abi.h
 * describes (@exact), a superset of ours on a newer one.
 */
static int check_mask(const char *what, uint64_t kernel, uint64_t ours,
		      int exact)
{
	if ((kernel & ours) != ours) {
		print_message("%s: kernel 0x%llx lacks iou's 0x%llx\n", what,
			      (unsigned long long)kernel,
			      (unsigned long long)(ours & ~kernel));
		return 1;
	}
	if (kernel != ours) {
		if (exact) {
			print_message("%s: kernel 0x%llx, iou 0x%llx\n", what,
				      (unsigned long long)kernel,
				      (unsigned long long)ours);
			return 1;
		}
		print_message("note: %s: newer kernel adds 0x%llx\n", what,
			      (unsigned long long)(kernel & ~ours));
	}
	return 0;
}

static int setup_ring(struct io_uring_params *p)
{
	int fd;

	memset(p, 0, sizeof(*p));
	fd = (int)syscall(__NR_io_uring_setup, 4, p);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		abi_skip("io_uring_setup: %s (io_uring unavailable)",
			 strerror(errno));
	if (fd < 0)
		fail_msg("io_uring_setup: %s", strerror(errno));
	return fd;
}

/*
 * IORING_REGISTER_PROBE reports IORING_OP_LAST entries and last_op =
 * IORING_OP_LAST - 1; io_uring_setup(2) reports every IORING_FEAT_*.
 * Fewer opcodes than ours skips on a kernel older than 6.18 and fails on
 * a newer one (abi.h would then name opcodes that 6.18 lacks); more fails
 * on 6.18 itself and is noted on a newer kernel.
 */
static void test_abi_running_probe(void **state)
{
	const unsigned max_ops = 256;
	struct io_uring_params p;
	struct io_uring_probe *probe;
	unsigned i, nr;
	long ret;
	int fd, cmp;

	(void)state;
	fd = setup_ring(&p);
	probe = calloc(1, sizeof(*probe) + max_ops * sizeof(probe->ops[0]));
	assert_non_null(probe);
	ret = syscall(__NR_io_uring_register, fd, IORING_REGISTER_PROBE, probe,
		      max_ops);
	if (ret < 0) {
		int err = errno;

		free(probe);
		close(fd);
		if (err == EINVAL)
			abi_skip("IORING_REGISTER_PROBE: kernel older than 5.6");
		fail_msg("IORING_REGISTER_PROBE: %s", strerror(err));
	}
	close(fd);

	assert_int_equal(probe->ops_len, probe->last_op + 1);
	for (i = 0; i < probe->ops_len; i++)
		assert_int_equal(probe->ops[i].op, i);
	nr = probe->ops_len;
	free(probe);

	cmp = kernel_cmp();
	if (nr < IORING_OP_LAST) {
		if (cmp < 0)
			abi_skip("kernel knows %u opcodes, iou %d: older kernel",
				 nr, IORING_OP_LAST);
		fail_msg("kernel %d.%d+ knows %u opcodes, iou %d: too many",
			 ABI_MAJOR, ABI_MINOR, nr, IORING_OP_LAST);
	}
	if (nr > IORING_OP_LAST) {
		if (cmp == 0)
			fail_msg("kernel %d.%d knows %u opcodes, iou %d: missing",
				 ABI_MAJOR, ABI_MINOR, nr, IORING_OP_LAST);
		print_message("note: kernel knows %u opcodes, iou %d (a prefix)\n",
			      nr, IORING_OP_LAST);
	}
	assert_int_equal(check_mask("io_uring_params.features", p.features,
				    OURS_FEATURES,
				    cmp == 0 || nr == IORING_OP_LAST), 0);
}

/*
 * IORING_REGISTER_QUERY (6.18) needs no ring: io_uring_register(-1,
 * IORING_REGISTER_QUERY, &hdr, 0).  The call returns 0 once the chain of
 * headers is walked; each header's own outcome is hdr.result (0, or
 * -EOPNOTSUPP for an unknown query_op, -EINVAL for a bad header) and
 * hdr.size is what the kernel wrote: min(our size, its size).  Before
 * 6.18, fd -1 gives -EINVAL (6.13+, only SEND_MSG_RING is ring-less) or
 * -EBADF.
 */
static void test_abi_running_query(void **state)
{
	struct io_uring_query_opcode op;
	struct io_uring_query_hdr hdr;
	unsigned bad = 0;
	int exact;
	long ret;

	(void)state;
	memset(&op, 0, sizeof(op));
	memset(&hdr, 0, sizeof(hdr));
	hdr.query_op = IO_URING_QUERY_OPCODES;
	hdr.query_data = (uint64_t)(uintptr_t)&op;
	hdr.size = sizeof(op);
	ret = syscall(__NR_io_uring_register, -1, IORING_REGISTER_QUERY, &hdr, 0);
	if (ret < 0 && (errno == ENOSYS || errno == EPERM))
		abi_skip("io_uring_register: %s (io_uring unavailable)",
			 strerror(errno));
	if (ret < 0 && (errno == EINVAL || errno == EBADF))
		abi_skip("IORING_REGISTER_QUERY: %s (kernel older than 6.18)",
			 strerror(errno));
	assert_int_equal(ret, 0);
	assert_int_equal(hdr.result, 0);
	assert_int_equal(hdr.size, sizeof(op));

	/* QUERY is new in 6.18: no kernel that has it can know less. */
	if (op.nr_request_opcodes < IORING_OP_LAST ||
	    op.nr_register_opcodes < IORING_REGISTER_LAST)
		fail_msg("kernel knows %u/%u request/register opcodes, iou "
			 "%d/%d: too many", op.nr_request_opcodes,
			 op.nr_register_opcodes, IORING_OP_LAST,
			 IORING_REGISTER_LAST);
	exact = kernel_cmp() == 0 ||
		(op.nr_request_opcodes == IORING_OP_LAST &&
		 op.nr_register_opcodes == IORING_REGISTER_LAST);
	if (exact && (op.nr_request_opcodes != IORING_OP_LAST ||
		      op.nr_register_opcodes != IORING_REGISTER_LAST))
		fail_msg("kernel %d.%d knows %u/%u request/register opcodes, "
			 "iou %d/%d: missing", ABI_MAJOR, ABI_MINOR,
			 op.nr_request_opcodes, op.nr_register_opcodes,
			 IORING_OP_LAST, IORING_REGISTER_LAST);
	if (!exact)
		print_message("note: kernel knows %u/%u request/register "
			      "opcodes, iou %d/%d (a prefix)\n",
			      op.nr_request_opcodes, op.nr_register_opcodes,
			      IORING_OP_LAST, IORING_REGISTER_LAST);

	bad += check_mask("ring_setup_flags", op.ring_setup_flags,
			  OURS_SETUP_FLAGS, exact);
	bad += check_mask("feature_flags", op.feature_flags, OURS_FEATURES,
			  exact);
	bad += check_mask("enter_flags", op.enter_flags, OURS_ENTER_FLAGS,
			  exact);
	bad += check_mask("sqe_flags", op.sqe_flags, OURS_SQE_FLAGS, exact);
	if (exact ? op.nr_query_opcodes != OURS_QUERY_OPS
		  : op.nr_query_opcodes < OURS_QUERY_OPS) {
		print_message("nr_query_opcodes: kernel %u, iou %d\n",
			      op.nr_query_opcodes, OURS_QUERY_OPS);
		bad++;
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
#define CASE(p, st, kind, list) cmocka_unit_test(test_abi_##kind),
	const struct CMUnitTest tests[] = {
		ABI_CONST_TABLES(CASE, , )
		cmocka_unit_test(test_abi_struct_sizes),
		ABI_FIELD_TABLES(CASE, , )
		cmocka_unit_test(test_abi_newer_layout),
		cmocka_unit_test(test_abi_running_probe),
		cmocka_unit_test(test_abi_running_query),
	};
#undef CASE

	return cmocka_run_group_tests(tests, NULL, NULL);
}
