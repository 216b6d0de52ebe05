/* SPDX-License-Identifier: MIT */
/* The coprocessor-error latch: FERR# rising edge -> IRQ 13, OUT F0h clears. */
#include <check.h>
#include <string.h>

#include "ferr_latch.h"
#include "suites.h"

typedef struct Bench {
    IoSpace ports;
    FerrLatch l;
    int irq;
    int edges;
} Bench;

static void bench_irq(void *ctx, int line, int level)
{
    Bench *b = ctx;
    if (level && !b->irq)
        b->edges++;
    b->irq = level;
}

static void bench_init(Bench *b)
{
    memset(b, 0, sizeof(*b));
    io_space_init(&b->ports, "port");
    ferr_latch_init(&b->l, (IrqLine){ .set = bench_irq, .ctx = b, .line = 13 });
    ck_assert(ferr_latch_map(&b->l, &b->ports));
}

START_TEST(rising_ferr_latches_irq13_until_port_f0)
{
    Bench b;
    bench_init(&b);
    IrqLine ferr = ferr_latch_input(&b.l);
    ck_assert_int_eq(b.irq, 0);
    irq_set_level(ferr, 1);
    ck_assert_int_eq(b.irq, 1);
    irq_set_level(ferr, 1);                     /* still high: no new edge */
    ck_assert_int_eq(b.edges, 1);
    ck_assert_uint_eq(io_space_read(&b.ports, FERR_LATCH_PORT, 1), 0xFF);
    io_space_write(&b.ports, FERR_LATCH_PORT, 0, 1);
    ck_assert_int_eq(b.irq, 0);                 /* cleared although FERR# is still high */
    irq_set_level(ferr, 1);
    ck_assert_int_eq(b.irq, 0);
    irq_set_level(ferr, 0);
    irq_set_level(ferr, 1);                     /* the next error latches again */
    ck_assert_int_eq(b.irq, 1);
    ck_assert_int_eq(b.edges, 2);
}
END_TEST

START_TEST(state_round_trip_and_reset)
{
    Bench b, c;
    bench_init(&b);
    bench_init(&c);
    irq_set_level(ferr_latch_input(&b.l), 1);
    uint8_t buf[64];
    size_t n = state_save(&ferr_latch_state, &b.l, buf, sizeof buf);
    ck_assert_uint_eq(n, state_size(&ferr_latch_state));
    ck_assert(state_load(&ferr_latch_state, &c.l, buf, n));
    ck_assert(c.l.latched && c.l.ferr);
    io_space_write(&c.ports, FERR_LATCH_PORT, 0, 1);
    ck_assert(!c.l.latched);
    ferr_latch_reset(&b.l);
    ck_assert_int_eq(b.irq, 0);
    ck_assert(!b.l.ferr);
}
END_TEST

Suite *ferr_latch_suite(void)
{
    Suite *s = suite_create("ferr_latch");
    TCase *tc = tcase_create("latch");
    tcase_add_test(tc, rising_ferr_latches_irq13_until_port_f0);
    tcase_add_test(tc, state_round_trip_and_reset);
    suite_add_tcase(s, tc);
    return s;
}
