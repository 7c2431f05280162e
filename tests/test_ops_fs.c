/* SPDX-License-Identifier: MIT */
/*
 * File and path opcodes on the real kernel, each through its prep helper
 * and checked by its effect on the file system (read back, stat, readlink,
 * getxattr...).  Files live in a private directory under the working
 * directory (the build tree: a real file system, unlike a tmpfs /tmp for
 * xattrs), removed afterwards.
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/fs.h>	 /* RWF_*, RENAME_* (musl 1.2.3 has neither) */
#include <linux/openat2.h>
#include <linux/stat.h>	 /* struct statx (neither) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <iou/prep.h>

#define UD_FS(i) UD_TAG(0x46530000, i) /* "FS" */

static char dir[64];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "iou-fs-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown_dir(void **state)
{
	(void)state;
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/name, in a static buffer per call site slot. */
static const char *path_of(const char *name, int slot)
{
	static char buf[4][128];

	snprintf(buf[slot], sizeof(buf[slot]), "%s/%s", dir, name);
	return buf[slot];
}

/* A file with @content, opened read-write. */
static int make_file(const char *name, const char *content)
{
	int fd = open(path_of(name, 3), O_RDWR | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	if (content)
		assert_int_equal(write(fd, content, strlen(content)),
				 (ssize_t)strlen(content));
	return fd;
}

static void read_back(int fd, off_t off, const char *want)
{
	char buf[256] = { 0 };
	size_t n = strlen(want);

	assert_int_equal(pread(fd, buf, n, off), (ssize_t)n);
	assert_memory_equal(buf, want, n);
}

static void test_ops_fs_read_write(void **state)
{
	struct iou_ring ring;
	char buf[32] = { 0 };
	int fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_READ);
	t_require_op(&ring, IORING_OP_WRITE);
	fd = make_file("rw", "0123456789");
	/* At an offset... */
	iou_prep_write(t_sqe(&ring, UD_FS(1)), fd, "abc", 3, 2);
	assert_int_equal(t_result_of(&ring, UD_FS(1)), 3);
	read_back(fd, 0, "01abc56789");
	iou_prep_read(t_sqe(&ring, UD_FS(2)), fd, buf, 4, 4);
	assert_int_equal(t_result_of(&ring, UD_FS(2)), 4);
	assert_memory_equal(buf, "c567", 4);
	/* ...and at the file position (-1), which moves. */
	assert_int_equal(lseek(fd, 8, SEEK_SET), 8);
	iou_prep_read(t_sqe(&ring, UD_FS(3)), fd, buf, 8, (uint64_t)-1);
	assert_int_equal(t_result_of(&ring, UD_FS(3)), 2);
	assert_memory_equal(buf, "89", 2);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 10);
	iou_prep_write(t_sqe(&ring, UD_FS(4)), fd, "XY", 2, (uint64_t)-1);
	assert_int_equal(t_result_of(&ring, UD_FS(4)), 2);
	read_back(fd, 8, "89XY");
	t_opcode_checked(IORING_OP_READ);
	t_opcode_checked(IORING_OP_WRITE);
	close(fd);
	iou_ring_exit(&ring);
}

static void test_ops_fs_readv_writev(void **state)
{
	char a[4] = { 0 }, b[6] = { 0 };
	struct iovec out[2] = { { "head", 4 }, { "-tail!", 6 } };
	struct iovec in[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	struct iou_ring ring;
	int fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_WRITEV);
	t_require_op(&ring, IORING_OP_READV);
	fd = make_file("vec", NULL);
	iou_prep_writev(t_sqe(&ring, UD_FS(10)), fd, out, 2, 0, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(10)), 10);
	read_back(fd, 0, "head-tail!");
	/* rw_flags reach the kernel: RWF_APPEND ignores the offset. */
	iou_prep_writev(t_sqe(&ring, UD_FS(11)), fd, out, 1, 0, RWF_APPEND);
	assert_int_equal(t_result_of(&ring, UD_FS(11)), 4);
	read_back(fd, 0, "head-tail!head");
	iou_prep_readv(t_sqe(&ring, UD_FS(12)), fd, in, 2, 0, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(12)), 10);
	assert_memory_equal(a, "head", 4);
	assert_memory_equal(b, "-tail!", 6);
	t_opcode_checked(IORING_OP_WRITEV);
	t_opcode_checked(IORING_OP_READV);
	close(fd);
	iou_ring_exit(&ring);
}

static void test_ops_fs_fixed_buffers(void **state)
{
	char *mem = t_anon(8192);
	struct iovec reg = { mem, 8192 };
	struct iovec in[2] = { { mem + 4096, 3 }, { mem + 5000, 4 } };
	struct iovec out[2] = { { mem + 100, 3 }, { mem + 200, 4 } };
	struct iou_ring ring;
	int fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_WRITE_FIXED);
	t_require_op(&ring, IORING_OP_READ_FIXED);
	assert_int_equal(iou_register_buffers(&ring, &reg, 1), 0);
	fd = make_file("fixed", NULL);
	memcpy(mem, "registered", 10);
	iou_prep_write_fixed(t_sqe(&ring, UD_FS(20)), fd, mem, 10, 0, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(20)), 10);
	read_back(fd, 0, "registered");
	iou_prep_read_fixed(t_sqe(&ring, UD_FS(21)), fd, mem + 1000, 5, 3, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(21)), 5);
	assert_memory_equal(mem + 1000, "ister", 5);
	t_opcode_checked(IORING_OP_WRITE_FIXED);
	t_opcode_checked(IORING_OP_READ_FIXED);

	/* Vectored forms: every iovec inside the registered buffer. */
	if (iou_opcode_supported(&ring, IORING_OP_WRITEV_FIXED) == 1 &&
	    iou_opcode_supported(&ring, IORING_OP_READV_FIXED) == 1) {
		memcpy(mem + 100, "abc", 3);
		memcpy(mem + 200, "defg", 4);
		iou_prep_writev_fixed(t_sqe(&ring, UD_FS(22)), fd, out, 2, 20,
				      0, 0);
		assert_int_equal(t_result_of(&ring, UD_FS(22)), 7);
		read_back(fd, 20, "abcdefg");
		iou_prep_readv_fixed(t_sqe(&ring, UD_FS(23)), fd, in, 2, 20, 0,
				     0);
		assert_int_equal(t_result_of(&ring, UD_FS(23)), 7);
		assert_memory_equal(mem + 4096, "abc", 3);
		assert_memory_equal(mem + 5000, "defg", 4);
		t_opcode_checked(IORING_OP_WRITEV_FIXED);
		t_opcode_checked(IORING_OP_READV_FIXED);
	}
	close(fd);
	iou_ring_exit(&ring);
	t_anon_free(mem, 8192);
}

static void test_ops_fs_sync_allocate_truncate(void **state)
{
	struct iou_ring ring;
	struct stat st;
	int fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_FSYNC);
	fd = make_file("sync", "data to make durable");
	iou_prep_fsync(t_sqe(&ring, UD_FS(30)), fd, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(30)), 0);
	iou_prep_fsync(t_sqe(&ring, UD_FS(31)), fd, IORING_FSYNC_DATASYNC);
	assert_int_equal(t_result_of(&ring, UD_FS(31)), 0);
	/* Flags are checked: an unknown one is refused. */
	iou_prep_fsync(t_sqe(&ring, UD_FS(32)), fd, 0x80);
	assert_int_equal(t_result_of(&ring, UD_FS(32)), -EINVAL);
	t_opcode_checked(IORING_OP_FSYNC);

	t_require_op(&ring, IORING_OP_SYNC_FILE_RANGE);
	iou_prep_sync_file_range(t_sqe(&ring, UD_FS(33)), fd, 8, 0,
				 SYNC_FILE_RANGE_WRITE);
	assert_int_equal(t_result_of(&ring, UD_FS(33)), 0);
	iou_prep_sync_file_range(t_sqe(&ring, UD_FS(34)), fd, 8, 0, 0x100);
	assert_int_equal(t_result_of(&ring, UD_FS(34)), -EINVAL);
	t_opcode_checked(IORING_OP_SYNC_FILE_RANGE);

	t_require_op(&ring, IORING_OP_FALLOCATE);
	iou_prep_fallocate(t_sqe(&ring, UD_FS(35)), fd, 0, 0, 1 << 20);
	assert_int_equal(t_result_of(&ring, UD_FS(35)), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 1 << 20);
	iou_prep_fallocate(t_sqe(&ring, UD_FS(36)), fd, FALLOC_FL_KEEP_SIZE, 0,
			   4 << 20);
	assert_int_equal(t_result_of(&ring, UD_FS(36)), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 1 << 20);
	assert_true(st.st_blocks * 512 >= 4 << 20);
	t_opcode_checked(IORING_OP_FALLOCATE);

	if (iou_opcode_supported(&ring, IORING_OP_FTRUNCATE) == 1) {
		iou_prep_ftruncate(t_sqe(&ring, UD_FS(37)), fd, 12345);
		assert_int_equal(t_result_of(&ring, UD_FS(37)), 0);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_size, 12345);
		t_opcode_checked(IORING_OP_FTRUNCATE);
	}
	close(fd);
	iou_ring_exit(&ring);
}

static void test_ops_fs_advise(void **state)
{
	struct iou_ring ring;
	char *map;
	int fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_FADVISE);
	t_require_op(&ring, IORING_OP_MADVISE);
	fd = make_file("advise", "advice");
	iou_prep_fadvise(t_sqe(&ring, UD_FS(40)), fd, 0, 6,
			 POSIX_FADV_SEQUENTIAL);
	assert_int_equal(t_result_of(&ring, UD_FS(40)), 0);
	iou_prep_fadvise(t_sqe(&ring, UD_FS(42)), fd, 0, 6, 999);
	assert_int_equal(t_result_of(&ring, UD_FS(42)), -EINVAL);
	t_opcode_checked(IORING_OP_FADVISE);

	/* MADV_DONTNEED on private anonymous memory zeroes it: visible. */
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	map[0] = 'x';
	map[4096] = 'y';
	iou_prep_madvise(t_sqe(&ring, UD_FS(43)), map, 4096, MADV_DONTNEED);
	assert_int_equal(t_result_of(&ring, UD_FS(43)), 0);
	assert_int_equal(map[0], 0);
	assert_int_equal(map[4096], 'y');
	iou_prep_madvise(t_sqe(&ring, UD_FS(44)), map + 1, 4096, MADV_DONTNEED);
	assert_int_equal(t_result_of(&ring, UD_FS(44)), -EINVAL);
	t_opcode_checked(IORING_OP_MADVISE);
	munmap(map, 8192);
	close(fd);
	iou_ring_exit(&ring);
}

/* A 64-bit length, which 6.12 reads from addr. */
static void test_ops_fs_advise_64bit_length(void **state)
{
	struct iou_ring ring;
	int fd;

	(void)state;
	t_require_kernel(6, 12, "iou_prep_fadvise() with a 64-bit length");
	t_ring_init(&ring, 8, 0);
	fd = make_file("advise64", "advice");
	iou_prep_fadvise(t_sqe(&ring, UD_FS(41)), fd, 0, 8ULL << 30,
			 POSIX_FADV_DONTNEED);
	assert_int_equal(t_result_of(&ring, UD_FS(41)), 0);
	close(fd);
	iou_ring_exit(&ring);
}

static void test_ops_fs_open_close_statx(void **state)
{
	struct iou_ring ring;
	struct statx stx;
	struct stat st;
	int fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_OPENAT);
	t_require_op(&ring, IORING_OP_CLOSE);
	t_require_op(&ring, IORING_OP_STATX);
	iou_prep_openat(t_sqe(&ring, UD_FS(50)), AT_FDCWD, path_of("opened", 0),
			O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	fd = t_result_of(&ring, UD_FS(50));
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(write(fd, "12345", 5), 5);
	iou_prep_openat(t_sqe(&ring, UD_FS(51)), AT_FDCWD,
			path_of("missing/none", 0), O_RDONLY, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(51)), -ENOENT);
	t_opcode_checked(IORING_OP_OPENAT);

	memset(&stx, 0, sizeof(stx));
	iou_prep_statx(t_sqe(&ring, UD_FS(52)), AT_FDCWD, path_of("opened", 0),
		       0, STATX_BASIC_STATS, &stx);
	assert_int_equal(t_result_of(&ring, UD_FS(52)), 0);
	assert_int_equal(stat(path_of("opened", 0), &st), 0);
	assert_int_equal(stx.stx_size, 5);
	assert_int_equal(stx.stx_ino, st.st_ino);
	assert_int_equal(stx.stx_mode & 0777, 0600);
	/* The fd itself, with AT_EMPTY_PATH. */
	memset(&stx, 0, sizeof(stx));
	iou_prep_statx(t_sqe(&ring, UD_FS(53)), fd, "", AT_EMPTY_PATH,
		       STATX_SIZE, &stx);
	assert_int_equal(t_result_of(&ring, UD_FS(53)), 0);
	assert_int_equal(stx.stx_size, 5);
	t_opcode_checked(IORING_OP_STATX);

	iou_prep_close(t_sqe(&ring, UD_FS(54)), fd);
	assert_int_equal(t_result_of(&ring, UD_FS(54)), 0);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	iou_prep_close(t_sqe(&ring, UD_FS(55)), fd);
	assert_int_equal(t_result_of(&ring, UD_FS(55)), -EBADF);
	t_opcode_checked(IORING_OP_CLOSE);
	iou_ring_exit(&ring);
}

static void test_ops_fs_openat2(void **state)
{
	struct open_how how;
	struct iou_ring ring;
	int fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_OPENAT2);
	close(make_file("target2", "t"));
	assert_int_equal(symlink("target2", path_of("link2", 0)), 0);
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY;
	how.resolve = RESOLVE_NO_SYMLINKS;
	iou_prep_openat2(t_sqe(&ring, UD_FS(60)), AT_FDCWD, path_of("link2", 0),
			 &how, sizeof(how));
	assert_int_equal(t_result_of(&ring, UD_FS(60)), -ELOOP);
	iou_prep_openat2(t_sqe(&ring, UD_FS(61)), AT_FDCWD,
			 path_of("target2", 0), &how, sizeof(how));
	fd = t_result_of(&ring, UD_FS(61));
	assert_true(fd >= 0);
	read_back(fd, 0, "t");
	t_opcode_checked(IORING_OP_OPENAT2);
	close(fd);
	iou_ring_exit(&ring);
}

static void test_ops_fs_direct_descriptors(void **state)
{
	struct io_uring_sqe *sqe;
	struct open_how how;
	struct iou_ring ring;
	char buf[8] = { 0 };
	int res, fds[2], fd;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_OPENAT);
	assert_int_equal(iou_register_files_sparse(&ring, 8), 0);
	close(make_file("direct", "direct!"));

	/* Into slot 5, then read through it. */
	iou_prep_openat_direct(t_sqe(&ring, UD_FS(70)), AT_FDCWD,
			       path_of("direct", 0), O_RDONLY, 0, 5);
	assert_int_equal(t_result_of(&ring, UD_FS(70)), 0);
	sqe = t_sqe(&ring, UD_FS(71));
	iou_prep_read(sqe, 5, buf, 7, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_FS(71)), 7);
	assert_memory_equal(buf, "direct!", 7);
	/* Any free slot: the CQE names it. */
	iou_prep_openat_direct(t_sqe(&ring, UD_FS(72)), AT_FDCWD,
			       path_of("direct", 0), O_RDONLY, 0,
			       IORING_FILE_INDEX_ALLOC);
	res = t_result_of(&ring, UD_FS(72));
	assert_true(res >= 0 && res < 8 && res != 5);
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY;
	iou_prep_openat2_direct(t_sqe(&ring, UD_FS(73)), AT_FDCWD,
				path_of("direct", 0), &how, sizeof(how), 6);
	assert_int_equal(t_result_of(&ring, UD_FS(73)), 0);

	/* Close a slot: reading through it fails afterwards. */
	iou_prep_close_direct(t_sqe(&ring, UD_FS(74)), 5);
	assert_int_equal(t_result_of(&ring, UD_FS(74)), 0);
	sqe = t_sqe(&ring, UD_FS(75));
	iou_prep_read(sqe, 5, buf, 1, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_FS(75)), -EBADF);

	/* Fill slots 0 and 1 from the ring, then turn slot 6 into an fd. */
	assert_int_equal(pipe(fds), 0);
	iou_prep_files_update(t_sqe(&ring, UD_FS(76)), fds, 2, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(76)), 2);
	assert_int_equal(write(fds[1], "u", 1), 1);
	sqe = t_sqe(&ring, UD_FS(77));
	iou_prep_read(sqe, 0, buf, 1, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_FS(77)), 1);
	assert_int_equal(buf[0], 'u');
	t_opcode_checked(IORING_OP_FILES_UPDATE);

	if (iou_opcode_supported(&ring, IORING_OP_FIXED_FD_INSTALL) == 1) {
		/* The helper leaves flags alone; the op needs FIXED_FILE. */
		sqe = t_sqe(&ring, UD_FS(78));
		iou_prep_fixed_fd_install(sqe, 6, 0);
		iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
		fd = t_result_of(&ring, UD_FS(78));
		assert_true(fd >= 0);
		assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		read_back(fd, 0, "direct!");
		close(fd);
		sqe = t_sqe(&ring, UD_FS(79));
		iou_prep_fixed_fd_install(sqe, 6, IORING_FIXED_FD_NO_CLOEXEC);
		iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
		fd = t_result_of(&ring, UD_FS(79));
		assert_true(fd >= 0);
		assert_false(fcntl(fd, F_GETFD) & FD_CLOEXEC);
		close(fd);
		t_opcode_checked(IORING_OP_FIXED_FD_INSTALL);
	}
	close(fds[0]);
	close(fds[1]);
	iou_ring_exit(&ring);
}

static void test_ops_fs_splice_tee(void **state)
{
	struct iou_ring ring;
	int in, out, p[2], q[2];
	char buf[16] = { 0 };

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SPLICE);
	t_require_op(&ring, IORING_OP_TEE);
	in = make_file("splice-in", "spliced bytes");
	out = open(path_of("splice-out", 0), O_RDWR | O_CREAT | O_TRUNC, 0644);
	assert_true(out >= 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(pipe(q), 0);
	/* file (offset 8) -> pipe -> file (offset 2) */
	iou_prep_splice(t_sqe(&ring, UD_FS(80)), in, 8, p[1], -1, 5, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(80)), 5);
	/* pipe -> pipe, the data stays in the source */
	iou_prep_tee(t_sqe(&ring, UD_FS(81)), p[0], q[1], 5, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(81)), 5);
	assert_int_equal(read(q[0], buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "bytes", 5);
	t_opcode_checked(IORING_OP_TEE);
	iou_prep_splice(t_sqe(&ring, UD_FS(82)), p[0], -1, out, 2, 5, 0);
	assert_int_equal(t_result_of(&ring, UD_FS(82)), 5);
	read_back(out, 2, "bytes");
	t_opcode_checked(IORING_OP_SPLICE);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
	close(in);
	close(out);
	iou_ring_exit(&ring);
}

static void test_ops_fs_paths(void **state)
{
	char target[64] = { 0 };
	struct iou_ring ring;
	struct stat st;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_MKDIRAT);
	t_require_op(&ring, IORING_OP_RENAMEAT);
	t_require_op(&ring, IORING_OP_UNLINKAT);
	t_require_op(&ring, IORING_OP_SYMLINKAT);
	t_require_op(&ring, IORING_OP_LINKAT);

	iou_prep_mkdirat(t_sqe(&ring, UD_FS(90)), AT_FDCWD, path_of("sub", 0),
			 0750);
	assert_int_equal(t_result_of(&ring, UD_FS(90)), 0);
	assert_int_equal(stat(path_of("sub", 0), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	iou_prep_mkdir(t_sqe(&ring, UD_FS(91)), path_of("sub", 0), 0750);
	assert_int_equal(t_result_of(&ring, UD_FS(91)), -EEXIST);
	t_opcode_checked(IORING_OP_MKDIRAT);

	close(make_file("orig", "linked"));
	iou_prep_linkat(t_sqe(&ring, UD_FS(92)), AT_FDCWD, path_of("orig", 0),
			AT_FDCWD, path_of("hard", 1), 0);
	assert_int_equal(t_result_of(&ring, UD_FS(92)), 0);
	assert_int_equal(stat(path_of("orig", 0), &st), 0);
	assert_int_equal(st.st_nlink, 2);
	iou_prep_link(t_sqe(&ring, UD_FS(93)), path_of("orig", 0),
		      path_of("hard", 1), 0);
	assert_int_equal(t_result_of(&ring, UD_FS(93)), -EEXIST);
	t_opcode_checked(IORING_OP_LINKAT);

	iou_prep_symlinkat(t_sqe(&ring, UD_FS(94)), "orig", AT_FDCWD,
			   path_of("soft", 0));
	assert_int_equal(t_result_of(&ring, UD_FS(94)), 0);
	assert_int_equal(readlink(path_of("soft", 0), target, sizeof(target)),
			 4);
	assert_string_equal(target, "orig");
	iou_prep_symlink(t_sqe(&ring, UD_FS(95)), "x", path_of("soft", 0));
	assert_int_equal(t_result_of(&ring, UD_FS(95)), -EEXIST);
	t_opcode_checked(IORING_OP_SYMLINKAT);

	iou_prep_renameat(t_sqe(&ring, UD_FS(96)), AT_FDCWD, path_of("hard", 0),
			  AT_FDCWD, path_of("sub/moved", 1), 0);
	assert_int_equal(t_result_of(&ring, UD_FS(96)), 0);
	assert_int_equal(access(path_of("hard", 0), F_OK), -1);
	assert_int_equal(access(path_of("sub/moved", 0), F_OK), 0);
	/* RENAME_NOREPLACE refuses an existing target. */
	iou_prep_renameat(t_sqe(&ring, UD_FS(97)), AT_FDCWD, path_of("orig", 0),
			  AT_FDCWD, path_of("sub/moved", 1), RENAME_NOREPLACE);
	assert_int_equal(t_result_of(&ring, UD_FS(97)), -EEXIST);
	iou_prep_rename(t_sqe(&ring, UD_FS(98)), path_of("soft", 0),
			path_of("soft2", 1));
	assert_int_equal(t_result_of(&ring, UD_FS(98)), 0);
	t_opcode_checked(IORING_OP_RENAMEAT);

	iou_prep_unlinkat(t_sqe(&ring, UD_FS(99)), AT_FDCWD,
			  path_of("sub/moved", 0), 0);
	assert_int_equal(t_result_of(&ring, UD_FS(99)), 0);
	assert_int_equal(access(path_of("sub/moved", 0), F_OK), -1);
	iou_prep_unlinkat(t_sqe(&ring, UD_FS(100)), AT_FDCWD, path_of("sub", 0),
			  0);
	assert_int_equal(t_result_of(&ring, UD_FS(100)), -EISDIR);
	iou_prep_unlinkat(t_sqe(&ring, UD_FS(101)), AT_FDCWD, path_of("sub", 0),
			  AT_REMOVEDIR);
	assert_int_equal(t_result_of(&ring, UD_FS(101)), 0);
	iou_prep_unlink(t_sqe(&ring, UD_FS(102)), path_of("soft2", 0), 0);
	assert_int_equal(t_result_of(&ring, UD_FS(102)), 0);
	assert_int_equal(lstat(path_of("soft2", 0), &st), -1);
	t_opcode_checked(IORING_OP_UNLINKAT);
	iou_ring_exit(&ring);
}

static void test_ops_fs_xattr(void **state)
{
	char value[32] = { 0 };
	struct iou_ring ring;
	int fd, res;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_SETXATTR);
	t_require_op(&ring, IORING_OP_FSETXATTR);
	t_require_op(&ring, IORING_OP_GETXATTR);
	t_require_op(&ring, IORING_OP_FGETXATTR);
	fd = make_file("xattr", "x");
	iou_prep_fsetxattr(t_sqe(&ring, UD_FS(110)), fd, "user.iou.f", "fval",
			   0, 4);
	res = t_result_of(&ring, UD_FS(110));
	if (res == -EOPNOTSUPP) {
		close(fd);
		iou_ring_exit(&ring);
		t_skip("the file system under %s has no user xattrs", dir);
	}
	assert_int_equal(res, 0);
	assert_int_equal(fgetxattr(fd, "user.iou.f", value, sizeof(value)), 4);
	assert_memory_equal(value, "fval", 4);
	/* XATTR_CREATE on an existing name is refused. */
	iou_prep_fsetxattr(t_sqe(&ring, UD_FS(111)), fd, "user.iou.f", "z", 1,
			   1);
	assert_int_equal(t_result_of(&ring, UD_FS(111)), -EEXIST);
	t_opcode_checked(IORING_OP_FSETXATTR);

	iou_prep_setxattr(t_sqe(&ring, UD_FS(112)), "user.iou.p", "pathval",
			  path_of("xattr", 0), 0, 7);
	assert_int_equal(t_result_of(&ring, UD_FS(112)), 0);
	memset(value, 0, sizeof(value));
	assert_int_equal(getxattr(path_of("xattr", 0), "user.iou.p", value,
				  sizeof(value)),
			 7);
	assert_memory_equal(value, "pathval", 7);
	t_opcode_checked(IORING_OP_SETXATTR);

	memset(value, 0, sizeof(value));
	iou_prep_fgetxattr(t_sqe(&ring, UD_FS(113)), fd, "user.iou.p", value,
			   sizeof(value));
	assert_int_equal(t_result_of(&ring, UD_FS(113)), 7);
	assert_memory_equal(value, "pathval", 7);
	t_opcode_checked(IORING_OP_FGETXATTR);

	memset(value, 0, sizeof(value));
	iou_prep_getxattr(t_sqe(&ring, UD_FS(114)), "user.iou.f", value,
			  path_of("xattr", 0), sizeof(value));
	assert_int_equal(t_result_of(&ring, UD_FS(114)), 4);
	assert_memory_equal(value, "fval", 4);
	iou_prep_getxattr(t_sqe(&ring, UD_FS(115)), "user.iou.none", value,
			  path_of("xattr", 0), sizeof(value));
	assert_int_equal(t_result_of(&ring, UD_FS(115)), -ENODATA);
	t_opcode_checked(IORING_OP_GETXATTR);
	close(fd);
	iou_ring_exit(&ring);
}

static void test_ops_fs_pipe(void **state)
{
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int fds[2] = { -1, -1 };
	char c = 0;

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_PIPE);
	iou_prep_pipe(t_sqe(&ring, UD_FS(120)), fds, O_CLOEXEC);
	assert_int_equal(t_result_of(&ring, UD_FS(120)), 0);
	assert_true(fds[0] >= 0 && fds[1] >= 0);
	assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	assert_int_equal(write(fds[1], "p", 1), 1);
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(c, 'p');
	close(fds[0]);
	close(fds[1]);

	/* Both ends into fixed-file slots 2 and 3. */
	assert_int_equal(iou_register_files_sparse(&ring, 4), 0);
	iou_prep_pipe_direct(t_sqe(&ring, UD_FS(121)), fds, 0, 2);
	assert_int_equal(t_result_of(&ring, UD_FS(121)), 0);
	assert_int_equal(fds[0], 2);
	assert_int_equal(fds[1], 3);
	sqe = t_sqe(&ring, UD_FS(122));
	iou_prep_write(sqe, 3, "q", 1, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_FS(122)), 1);
	sqe = t_sqe(&ring, UD_FS(123));
	iou_prep_read(sqe, 2, &c, 1, 0);
	iou_sqe_set_flags(sqe, IOSQE_FIXED_FILE);
	assert_int_equal(t_result_of(&ring, UD_FS(123)), 1);
	assert_int_equal(c, 'q');
	t_opcode_checked(IORING_OP_PIPE);
	iou_ring_exit(&ring);
}

static void test_ops_fs_read_multishot(void **state)
{
	enum { ENTRIES = 8, BGID = 3, BUFSZ = 16 };
	static char bufs[ENTRIES][BUFSZ];
	struct io_uring_buf_ring *br;
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct iou_ring ring;
	int p[2], i, err, bid;
	char msg[8];

	(void)state;
	t_ring_init(&ring, 8, 0);
	t_require_op(&ring, IORING_OP_READ_MULTISHOT);
	br = iou_setup_buf_ring(&ring, ENTRIES, BGID, 0, &err);
	assert_non_null(br);
	for (i = 0; i < ENTRIES; i++)
		iou_buf_ring_add(br, bufs[i], BUFSZ, (unsigned short)i,
				 iou_buf_ring_mask(ENTRIES), (unsigned)i);
	iou_buf_ring_advance(br, ENTRIES);
	assert_int_equal(pipe(p), 0);

	sqe = t_sqe(&ring, UD_FS(130));
	iou_prep_read_multishot(sqe, p[0], 0, 0, BGID);
	iou_sqe_set_flags(sqe, IOSQE_BUFFER_SELECT);
	assert_int_equal(iou_submit(&ring), 1);
	for (i = 0; i < 3; i++) {
		snprintf(msg, sizeof(msg), "part%d", i);
		assert_int_equal(write(p[1], msg, 5), 5);
		assert_int_equal(t_next_cqe(&ring, &cqe), 5);
		assert_int_equal(cqe.user_data, UD_FS(130));
		assert_true(cqe.flags & IORING_CQE_F_MORE);
		bid = iou_cqe_buffer_id(&cqe);
		assert_true(bid >= 0 && bid < ENTRIES);
		assert_memory_equal(bufs[bid], msg, 5);
	}
	/* Closing the writer ends it: a last CQE without F_MORE. */
	close(p[1]);
	assert_int_equal(t_next_cqe(&ring, &cqe), 0);
	assert_false(cqe.flags & IORING_CQE_F_MORE);
	t_opcode_checked(IORING_OP_READ_MULTISHOT);
	close(p[0]);
	iou_free_buf_ring(&ring, br, ENTRIES, BGID);
	iou_ring_exit(&ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_ops_fs_read_write),
		T_TEST(test_ops_fs_readv_writev),
		T_TEST(test_ops_fs_fixed_buffers),
		T_TEST(test_ops_fs_sync_allocate_truncate),
		T_TEST(test_ops_fs_advise),
		T_TEST(test_ops_fs_advise_64bit_length),
		T_TEST(test_ops_fs_open_close_statx),
		T_TEST(test_ops_fs_openat2),
		T_TEST(test_ops_fs_direct_descriptors),
		T_TEST(test_ops_fs_splice_tee),
		T_TEST(test_ops_fs_paths),
		T_TEST(test_ops_fs_xattr),
		T_TEST(test_ops_fs_pipe),
		T_TEST(test_ops_fs_read_multishot),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
