/* SPDX-License-Identifier: MIT */
/* The port 0x80 POST code latch: read-back, the logging callback, state. */
#include <check.h>
#include <string.h>

#include "postcode.h"
#include "suites.h"

typedef struct Log {
    uint8_t codes[8];
    int count;
} Log;

static void log_code(void *opaque, uint8_t code)
{
    Log *l = opaque;
    if (l->count < 8)
        l->codes[l->count] = code;
    l->count++;
}

START_TEST(last_code_reads_back_and_is_logged)
{
    IoSpace io;
    PostCode pc;
    Log log = { 0 };
    io_space_init(&io, "port");
    postcode_init(&pc, log_code, &log);
    ck_assert(postcode_map(&pc, &io));
    ck_assert_uint_eq(io_space_read(&io, POSTCODE_PORT, 1), 0x00);
    io_space_write(&io, POSTCODE_PORT, 0x12, 1);
    io_space_write(&io, POSTCODE_PORT, 0xAB, 1);
    ck_assert_uint_eq(io_space_read(&io, POSTCODE_PORT, 1), 0xAB);
    ck_assert_uint_eq(postcode_last(&pc), 0xAB);
    ck_assert_int_eq(log.count, 2);
    ck_assert_uint_eq(log.codes[0], 0x12);
    ck_assert_uint_eq(log.codes[1], 0xAB);
    ck_assert_uint_eq(io_space_read(&io, POSTCODE_PORT + 1, 1), 0xFF);     /* not ours */
    postcode_reset(&pc);
    ck_assert_uint_eq(io_space_read(&io, POSTCODE_PORT, 1), 0x00);
}
END_TEST

START_TEST(works_without_a_callback_and_with_wide_writes)
{
    IoSpace io;
    PostCode pc;
    io_space_init(&io, "port");
    postcode_init(&pc, NULL, NULL);
    ck_assert(postcode_map(&pc, &io));
    ck_assert(!postcode_map(&pc, &io));             /* overlap refused */
    io_space_write(&io, POSTCODE_PORT, 0x5566, 2);  /* low byte to 0x80, high to 0x81 */
    ck_assert_uint_eq(postcode_last(&pc), 0x66);
}
END_TEST

START_TEST(state_round_trip)
{
    PostCode a, b;
    postcode_init(&a, NULL, NULL);
    postcode_init(&b, NULL, NULL);
    a.last = 0x3C;
    uint8_t buf[64], again[64];
    size_t n = state_save(&postcode_state, &a, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&postcode_state, &b, buf, n));
    ck_assert_uint_eq(postcode_last(&b), 0x3C);
    ck_assert_uint_eq(state_save(&postcode_state, &b, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
}
END_TEST

Suite *postcode_suite(void)
{
    Suite *s = suite_create("postcode");
    TCase *tc = tcase_create("postcode");
    tcase_add_test(tc, last_code_reads_back_and_is_logged);
    tcase_add_test(tc, works_without_a_callback_and_with_wide_writes);
    tcase_add_test(tc, state_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
