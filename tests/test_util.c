/* SPDX-License-Identifier: MIT */
/*
 * src/util.h, the library's own memset/memcpy: every alignment of source
 * and destination against every length up to a few words, with guard bytes
 * around the target that must stay untouched.  No kernel needed.
 */
#include "testutil.h"

#include <string.h>

#include "util.h"

#define SPAN 96			/* longest length tried */
#define ROOM (SPAN + 32)	/* target plus guards */
#define GUARD 0xa5

/* A pattern no two nearby bytes share, so a shifted copy shows. */
static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + 1);
}

static void test_util_memset_every_alignment(void **state)
{
	unsigned char buf[ROOM] __attribute__((aligned(16)));
	unsigned char want[ROOM];

	(void)state;
	for (size_t off = 0; off < 16; off++) {
		for (size_t n = 0; n <= SPAN; n++) {
			for (int c = 0; c < 256; c += 0x5b) {
				memset(buf, GUARD, sizeof(buf));
				memset(want, GUARD, sizeof(want));
				memset(want + off, c, n);
				iou__memset(buf + off, c, n);
				assert_memory_equal(buf, want, sizeof(buf));
			}
			memset(buf, GUARD, sizeof(buf));
			memset(want, GUARD, sizeof(want));
			memset(want + off, 0, n);
			iou__memzero(buf + off, n);
			assert_memory_equal(buf, want, sizeof(buf));
		}
	}
}

/* High fill values: the byte is spread over a word without sign bits. */
static void test_util_memset_negative_byte(void **state)
{
	unsigned char buf[32] __attribute__((aligned(8)));

	(void)state;
	iou__memset(buf, -1, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xff);
	iou__memset(buf, 0x180, sizeof(buf));	/* only the low byte counts */
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0x80);
}

static void test_util_memcpy_every_alignment(void **state)
{
	unsigned char src[ROOM] __attribute__((aligned(16)));
	unsigned char dst[ROOM] __attribute__((aligned(16)));
	unsigned char want[ROOM];

	(void)state;
	fill(src, sizeof(src), 3);
	for (size_t so = 0; so < 16; so++) {
		for (size_t doff = 0; doff < 16; doff++) {
			for (size_t n = 0; n <= SPAN; n++) {
				memset(dst, GUARD, sizeof(dst));
				memset(want, GUARD, sizeof(want));
				memcpy(want + doff, src + so, n);
				iou__memcpy(dst + doff, src + so, n);
				assert_memory_equal(dst, want, sizeof(dst));
			}
		}
	}
}

/* Typed objects, as the library uses it: whole structs, then read back. */
static void test_util_struct_round_trip(void **state)
{
	struct s {
		uint8_t a;
		uint32_t b;
		uint64_t c;
		void *p;
		uint16_t d[5];
	} x, y;

	(void)state;
	fill((unsigned char *)&x, sizeof(x), 9);
	iou__memzero(&x, sizeof(x));
	assert_int_equal(x.a, 0);
	assert_int_equal(x.b, 0);
	assert_int_equal(x.c, 0);
	assert_null(x.p);
	assert_int_equal(x.d[4], 0);
	x.a = 7;
	x.b = 0xdeadbeef;
	x.c = 0x0123456789abcdefULL;
	x.p = &y;
	x.d[4] = 0xbeef;
	iou__memcpy(&y, &x, sizeof(x));
	assert_int_equal(y.a, 7);
	assert_int_equal(y.b, 0xdeadbeef);
	assert_int_equal(y.c, 0x0123456789abcdefULL);
	assert_ptr_equal(y.p, &y);
	assert_int_equal(y.d[4], 0xbeef);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_memset_every_alignment),
		cmocka_unit_test(test_util_memset_negative_byte),
		cmocka_unit_test(test_util_memcpy_every_alignment),
		cmocka_unit_test(test_util_struct_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
