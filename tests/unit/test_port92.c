/* SPDX-License-Identifier: MIT */
/* System Control Port A (0x92): fast A20 and fast reset. */
#include <check.h>
#include <string.h>

#include "port92.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    Port92 p;
    int a20_calls, resets;
    bool a20;
} Bench;

static void bench_a20(void *opaque, bool enabled)
{
    Bench *b = opaque;
    b->a20_calls++;
    b->a20 = enabled;
}

static void bench_reset(void *opaque)
{
    ((Bench *)opaque)->resets++;
}

static void bench_init(Bench *b)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    port92_init(&b->p, (Port92HostOps){ bench_a20, bench_reset, b });
    ck_assert(port92_map(&b->p, &b->ports));
}

static void out92(Bench *b, uint8_t v)
{
    io_space_write(&b->ports, PORT92_PORT, v, 1);
}

static uint8_t in92(Bench *b)
{
    return (uint8_t)io_space_read(&b->ports, PORT92_PORT, 1);
}

START_TEST(fast_a20_calls_the_gate_and_reads_back)
{
    Bench b;
    bench_init(&b);
    ck_assert_uint_eq(in92(&b), 0x00);
    out92(&b, PORT92_A20);
    ck_assert_int_eq(b.a20_calls, 1);
    ck_assert(b.a20);
    ck_assert_uint_eq(in92(&b), 0x02);
    out92(&b, 0xC2);            /* other bits read back, A20 unchanged: no call */
    ck_assert_int_eq(b.a20_calls, 1);
    ck_assert_uint_eq(in92(&b), 0xC2);
    out92(&b, 0x00);
    ck_assert_int_eq(b.a20_calls, 2);
    ck_assert(!b.a20);
    ck_assert_int_eq(b.resets, 0);
}
END_TEST

START_TEST(fast_reset_on_rising_edge_only)
{
    Bench b;
    bench_init(&b);
    out92(&b, PORT92_FAST_RESET);
    ck_assert_int_eq(b.resets, 1);
    out92(&b, PORT92_FAST_RESET | PORT92_A20);   /* bit 0 still set: no second reset */
    ck_assert_int_eq(b.resets, 1);
    ck_assert_int_eq(b.a20_calls, 1);
    out92(&b, PORT92_A20);
    out92(&b, PORT92_A20 | PORT92_FAST_RESET);
    ck_assert_int_eq(b.resets, 2);
    port92_reset(&b.p);
    ck_assert_uint_eq(in92(&b), 0x00);
}
END_TEST

START_TEST(state_round_trip)
{
    Bench a, c;
    bench_init(&a);
    bench_init(&c);
    out92(&a, 0x43);
    uint8_t buf[64], again[64];
    size_t n = state_save(&port92_state, &a.p, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&port92_state, &c.p, buf, n));
    ck_assert_uint_eq(state_save(&port92_state, &c.p, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
    ck_assert_uint_eq(in92(&c), 0x43);
    out92(&c, 0x41);            /* A20 drops; bit 0 stays high: no reset */
    ck_assert_int_eq(c.a20_calls, 1);
    ck_assert_int_eq(c.resets, 0);
}
END_TEST

Suite *port92_suite(void)
{
    Suite *s = suite_create("port92");
    TCase *tc = tcase_create("port92");
    tcase_add_test(tc, fast_a20_calls_the_gate_and_reads_back);
    tcase_add_test(tc, fast_reset_on_rising_edge_only);
    tcase_add_test(tc, state_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
