/* SPDX-License-Identifier: MIT */
/*
 * Our liburing.h against the real one, byte for byte.  Each helper of
 * liburing 2.3 that writes an SQE (calls.h) is run on two SQEs poisoned
 * with the same non-zero pattern, user_data included: once as the system's
 * liburing.h compiles it (real.c), once as ours does (ours.c).  The 64
 * bytes must come out equal, the bytes a helper does not write included
 * (so a helper that writes user_data, or forgets a field, shows up).  One
 * test per entry, named after it.  The recvmsg and buffer ring helpers
 * are compared the same way (probes.h).
 *
 * The two headers never meet in one translation unit; this one includes
 * neither, and sees an SQE as 64 bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

struct io_uring_sqe;

#define CALL(name, ...)                                                        \
	void real_##name(struct io_uring_sqe *sqe);                            \
	void ours_##name(struct io_uring_sqe *sqe);
#define CALL_ALLOC CALL
#include "calls.h"
#undef CALL
#undef CALL_ALLOC

#define PROBE(name) real_##name
void PROBE(recvmsg)(void *buf, int buf_len, struct msghdr *msgh, long *out,
		    int n);
int PROBE(buf_ring)(void *mem, unsigned entries, unsigned short start,
		    unsigned *cq_head);
unsigned PROBE(poll_mask)(unsigned mask);
#undef PROBE
#define PROBE(name) ours_##name
void PROBE(recvmsg)(void *buf, int buf_len, struct msghdr *msgh, long *out,
		    int n);
int PROBE(buf_ring)(void *mem, unsigned entries, unsigned short start,
		    unsigned *cq_head);
unsigned PROBE(poll_mask)(unsigned mask);
#undef PROBE

enum expect {
	SAME,		/* all 64 bytes equal */
	ALLOC_SLOT,	/* equal but file_index: liburing 0, ours ALLOC */
};

struct sqe_case {
	const char *name;
	void (*real)(struct io_uring_sqe *);
	void (*ours)(struct io_uring_sqe *);
	enum expect expect;
};

static const struct sqe_case cases[] = {
#define CALL(name, ...) { #name, real_##name, ours_##name, SAME },
#define CALL_ALLOC(name, ...) { #name, real_##name, ours_##name, ALLOC_SLOT },
#include "calls.h"
#undef CALL
#undef CALL_ALLOC
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

union sqe_bytes {
	unsigned char b[64];
	uint64_t align;
};

/* Which SQE field a byte belongs to, for the failure message. */
static const char *field_at(unsigned off)
{
	static const struct {
		unsigned end;
		const char *name;
	} map[] = {
		{ 1, "opcode" },	{ 2, "flags" },
		{ 4, "ioprio" },	{ 8, "fd" },
		{ 16, "off/addr2" },	{ 24, "addr/splice_off_in" },
		{ 28, "len" },		{ 32, "op_flags (rw_flags...)" },
		{ 40, "user_data" },	{ 42, "buf_index/buf_group" },
		{ 44, "personality" },	{ 48, "file_index/splice_fd_in" },
		{ 56, "addr3" },	{ 64, "__pad2" },
	};
	unsigned i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (off < map[i].end)
			return map[i].name;
	return "?";
}

/* The same pattern in both, no byte zero (nor the 0xff of "all set"). */
static void poison(void *p, size_t n)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		b[i] = (unsigned char)(0xa5 ^ (i * 0x3b));
		if (!b[i] || b[i] == 0xff)
			b[i] = 0x5a;
	}
}

#define FILE_INDEX_OFF 44

static void test_sqe(void **state)
{
	const struct sqe_case *c = *state;
	union sqe_bytes real, ours;
	uint32_t real_slot, ours_slot;
	unsigned off, bad = 0;

	poison(&real, sizeof(real));
	poison(&ours, sizeof(ours));
	c->real((struct io_uring_sqe *)(void *)&real);
	c->ours((struct io_uring_sqe *)(void *)&ours);
	for (off = 0; off < 64; off++) {
		if (c->expect == ALLOC_SLOT && off >= FILE_INDEX_OFF &&
		    off < FILE_INDEX_OFF + 4)
			continue;
		if (real.b[off] != ours.b[off]) {
			printf("%s: byte %2u (%s): liburing 0x%02x, ours 0x%02x\n",
			       c->name, off, field_at(off), real.b[off],
			       ours.b[off]);
			bad++;
		}
	}
	if (c->expect == ALLOC_SLOT) {
		memcpy(&real_slot, real.b + FILE_INDEX_OFF, 4);
		memcpy(&ours_slot, ours.b + FILE_INDEX_OFF, 4);
		/* ALLOC + 1 wraps to 0 in 2.3; ALLOC is what the kernel reads. */
		if (real_slot != 0 || ours_slot != 0xffffffffU) {
			printf("%s: file_index: liburing 0x%x (0 expected), "
			       "ours 0x%x (IORING_FILE_INDEX_ALLOC expected)\n",
			       c->name, real_slot, ours_slot);
			bad++;
		}
	}
	if (bad)
		fail_msg("%s: %u byte(s) differ from liburing's", c->name, bad);
}

/*
 * A multishot recvmsg buffer: struct io_uring_recvmsg_out (namelen,
 * controllen, payloadlen, flags), the name (room: msg_namelen), the
 * control data (room: msg_controllen), the payload.
 */
struct cmsg_case {
	const char *what;
	int buf_len;
	unsigned out_controllen;	/* what the kernel stored */
	unsigned cmsg_lens[3];		/* 0 ends */
};

#define NAME_ROOM 16
#define CTRL_ROOM 96
#define OUTS 12

static void test_recvmsg_helpers(void **state)
{
	static const struct cmsg_case cases_rm[] = {
		{ "two cmsgs", 16 + NAME_ROOM + CTRL_ROOM + 40, 48, { 20, 24, 0 } },
		{ "cmsgs fill the room", 16 + NAME_ROOM + CTRL_ROOM, CTRL_ROOM,
		  { 24, 24, 40 } },
		{ "second cmsg runs past controllen", 300, 40, { 20, 64, 0 } },
		{ "first cmsg_len too small", 300, 48, { 8, 24, 0 } },
		{ "controllen below a cmsghdr", 300, 8, { 20, 0, 0 } },
		{ "no room for the head parts", 16 + NAME_ROOM + CTRL_ROOM - 1,
		  48, { 20, 0, 0 } },
		{ "negative length", -1, 48, { 20, 0, 0 } },
	};
	union {
		unsigned char b[512];
		uint64_t align;
	} buf;
	long real[OUTS], ours[OUTS];
	struct msghdr msgh;
	struct cmsghdr cm;
	unsigned i, j, at;
	uint32_t hdr[4];

	(void)state;
	for (i = 0; i < sizeof(cases_rm) / sizeof(cases_rm[0]); i++) {
		const struct cmsg_case *c = &cases_rm[i];

		poison(&buf, sizeof(buf));
		hdr[0] = 10;
		hdr[1] = c->out_controllen;
		hdr[2] = 40;
		hdr[3] = 0;
		memcpy(buf.b, hdr, sizeof(hdr));
		at = 16 + NAME_ROOM;
		for (j = 0; j < 3 && c->cmsg_lens[j]; j++) {
			memset(&cm, 0, sizeof(cm));
			cm.cmsg_len = c->cmsg_lens[j];
			cm.cmsg_level = SOL_SOCKET;
			memcpy(buf.b + at, &cm, sizeof(cm));
			at += (unsigned)CMSG_ALIGN(c->cmsg_lens[j]);
		}
		memset(&msgh, 0, sizeof(msgh));
		msgh.msg_namelen = NAME_ROOM;
		msgh.msg_controllen = CTRL_ROOM;
		real_recvmsg(buf.b, c->buf_len, &msgh, real, OUTS);
		ours_recvmsg(buf.b, c->buf_len, &msgh, ours, OUTS);
		for (j = 0; j < OUTS; j++) {
			if (real[j] != ours[j])
				fail_msg("recvmsg helpers, %s: result %u: "
					 "liburing %ld, ours %ld",
					 c->what, j, real[j], ours[j]);
		}
	}
}

static void test_buf_ring_helpers(void **state)
{
	union {
		unsigned char b[8 * 16];
		uint64_t align;
	} real, ours;
	unsigned real_head = 41, ours_head = 41;
	unsigned short start;
	unsigned i;

	(void)state;
	/* From tail 0, and from 6 so that the three adds wrap the 8 slots. */
	for (start = 0; start <= 6; start += 6) {
		poison(&real, sizeof(real));
		poison(&ours, sizeof(ours));
		assert_int_equal(real_buf_ring(&real, 8, start, &real_head),
				 ours_buf_ring(&ours, 8, start, &ours_head));
		for (i = 0; i < sizeof(real.b); i++)
			if (real.b[i] != ours.b[i])
				fail_msg("buffer ring from tail %u: byte %u: "
					 "liburing 0x%02x, ours 0x%02x",
					 start, i, real.b[i], ours.b[i]);
		assert_int_equal(real_head, ours_head);
	}
}

static void test_poll_mask(void **state)
{
	static const unsigned masks[] = { 0, 1, 0x2019, 0x12345, 0xffff0000U,
					  0x80000001U };
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		assert_int_equal(real_poll_mask(masks[i]),
				 ours_poll_mask(masks[i]));
}

int main(void)
{
	struct CMUnitTest tests[NCASES + 3];
	unsigned i;

	memset(tests, 0, sizeof(tests));
	for (i = 0; i < NCASES; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = test_sqe;
		tests[i].initial_state = (void *)&cases[i];
	}
	tests[i].name = "io_uring_recvmsg_*";
	tests[i++].test_func = test_recvmsg_helpers;
	tests[i].name = "io_uring_buf_ring_*";
	tests[i++].test_func = test_buf_ring_helpers;
	tests[i].name = "__io_uring_prep_poll_mask";
	tests[i++].test_func = test_poll_mask;
	return _cmocka_run_group_tests("test_compat_prep_bytes", tests, i,
				       NULL, NULL);
}
