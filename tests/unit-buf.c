/* SPDX-License-Identifier: ISC. Copyright 2026 the synthflow-twiml authors. */
/*
 * Unit tests of buf.c: the hard cap, appending, printf, reset and the
 * empty buffer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

static void
test_empty(void)
{
	struct buf	 b;

	buf_init(&b, 100);
	ok(buf_str(&b) != NULL, "buf_str of a new buffer is not NULL");
	is_str(buf_str(&b), "", "buf_str of a new buffer is empty");
	is_int(b.len, 0, "a new buffer has length 0");
	buf_reset(&b);
	is_str(buf_str(&b), "", "reset of a never-used buffer is still empty");
	is_int(buf_add(&b, "", 0), 0, "adding nothing succeeds");
	is_str(buf_str(&b), "", "after adding nothing the buffer is empty");
	is_int(b.len, 0, "after adding nothing the length is 0");
	buf_free(&b);
	is_str(buf_str(&b), "", "buf_str after buf_free is empty");
	is_int(b.max, 100, "buf_free keeps the cap");
	buf_free(&b);		/* twice is harmless */
}

static void
test_cap(void)
{
	struct buf	 b;

	buf_init(&b, 8);
	is_int(buf_addstr(&b, "abcde"), 0, "add 5 bytes under a cap of 8");
	is_int(buf_addstr(&b, "fghi"), -1, "add of 4 more (9 > 8) fails");
	is_str(buf_str(&b), "abcde", "a refused add leaves the contents");
	is_int(b.len, 5, "a refused add leaves the length");
	is_int(buf_addstr(&b, "fgh"), 0, "filling up to the cap exactly works");
	is_str(buf_str(&b), "abcdefgh", "contents at the cap");
	is_int(buf_addc(&b, 'x'), -1, "one byte past the cap fails");
	is_int(buf_add(&b, "xy", 2), -1, "two bytes past the cap fail");
	is_int(buf_add(&b, "", 0), 0, "adding nothing at the cap works");
	is_int(buf_printf(&b, "%d", 7), -1, "printf past the cap fails");
	is_str(buf_str(&b), "abcdefgh", "refused adds left the contents");
	is_int(b.len, 8, "length never exceeds the cap");
	buf_free(&b);

	buf_init(&b, 0);
	is_int(buf_addc(&b, 'a'), -1, "a cap of 0 refuses one byte");
	is_str(buf_str(&b), "", "and stays empty");
	buf_free(&b);

	/* A large refused add must not be mistaken for a small one. */
	buf_init(&b, 16);
	buf_addstr(&b, "0123456789");
	is_int(buf_add(&b, "x", (size_t)-1), -1,
	    "an add of SIZE_MAX bytes fails (no overflow)");
	is_str(buf_str(&b), "0123456789", "and leaves the contents");
	buf_free(&b);
}

static void
test_add(void)
{
	struct buf	 b;
	char		 want[10000];
	size_t		 i;
	int		 rc = 0;

	buf_init(&b, sizeof(want));
	is_int(buf_add(&b, "a\0b", 3), 0, "add 3 bytes with a NUL inside");
	is_mem(b.data, b.len, "a\0b", 3, "binary contents kept");
	ok(b.data[b.len] == '\0', "the data is NUL-terminated after binary");
	buf_reset(&b);

	for (i = 0; i < sizeof(want); i++) {
		want[i] = (char)('a' + i % 26);
		rc |= buf_addc(&b, want[i]);
	}
	is_int(rc, 0, "10000 single-byte adds across growth all succeed");
	is_mem(b.data, b.len, want, sizeof(want), "grown contents intact");
	ok(b.cap > b.len && b.data[b.len] == '\0',
	    "capacity covers the terminating NUL");
	is_int(buf_addc(&b, 'z'), -1, "and the cap of 10000 holds");
	buf_free(&b);
}

static void
test_printf(void)
{
	struct buf	 b;
	char		 want[1001];

	buf_init(&b, 4096);
	is_int(buf_printf(&b, "%s-%d-%05.1f", "x", 42, 3.14159), 0,
	    "printf returns 0");
	is_str(buf_str(&b), "x-42-003.1", "printf formats");
	is_int(b.len, 10, "printf sets the length");
	is_int(buf_printf(&b, "[%c%%]", 'q'), 0, "printf appends");
	is_str(buf_str(&b), "x-42-003.1[q%]", "printf appends after contents");
	is_int(buf_printf(&b, "%s", ""), 0, "printf of nothing works");
	is_int(b.len, 14, "printf of nothing keeps the length");
	buf_reset(&b);
	memset(want, ' ', 999);
	want[999] = '|';
	want[1000] = '\0';
	is_int(buf_printf(&b, "%*s", 1000, "|"), 0,
	    "printf of 1000 bytes (past the first allocation)");
	is_str(buf_str(&b), want, "long printf output intact");
	buf_free(&b);

	buf_init(&b, 4);
	buf_addstr(&b, "ab");
	is_int(buf_printf(&b, "%s", "cde"), -1, "printf over the cap fails");
	is_str(buf_str(&b), "ab", "refused printf leaves the contents");
	is_int(b.len, 2, "refused printf leaves the length");
	is_int(buf_printf(&b, "%d", 12), 0, "printf up to the cap works");
	is_str(buf_str(&b), "ab12", "printf filled to the cap");
	buf_free(&b);
}

static void
test_reset(void)
{
	struct buf	 b;
	char		*data;
	size_t		 cap;

	buf_init(&b, 1024);
	buf_addstr(&b, "some contents here");
	data = b.data;
	cap = b.cap;
	buf_reset(&b);
	is_int(b.len, 0, "reset empties");
	is_str(buf_str(&b), "", "buf_str after reset is empty");
	ok(b.data == data, "reset keeps the memory");
	is_int(b.cap, cap, "reset keeps the capacity");
	is_int(buf_addstr(&b, "new"), 0, "add after reset works");
	is_str(buf_str(&b), "new", "add after reset starts from the front");
	ok(b.data == data, "a small add after reset reuses the memory");
	buf_free(&b);
	ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "buf_free releases everything");
}

int
main(void)
{
	test_empty();
	test_cap();
	test_add();
	test_printf();
	test_reset();
	return done_testing();
}
