/* SPDX-License-Identifier: MIT */
/* The 8254 PIT through its ports: modes 0-5, latches, read-back, BCD, GATE, IRQ0 edges. */
#include <check.h>
#include <string.h>

#include "clock.h"
#include "i8254.h"
#include "i8259.h"
#include "suites.h"

typedef struct Edges {
    Clock *clock;
    int level;
    int rises, falls;
    uint64_t rise_at[16], fall_at[16];
} Edges;

typedef struct Fixture {
    Clock clock;
    IoSpace io;
    I8254 pit;
    Edges irq0, out2;
} Fixture;

static void record(void *ctx, int line, int level)
{
    Edges *e = ctx;
    if (level && !e->level && e->rises++ < 16)
        e->rise_at[e->rises - 1] = e->clock->now_ns;
    if (!level && e->level && e->falls++ < 16)
        e->fall_at[e->falls - 1] = e->clock->now_ns;
    e->level = level;
}

static void clear(Edges *e)
{
    e->rises = e->falls = 0;
}

static void setup(Fixture *f)
{
    memset(f, 0, sizeof(*f));
    clock_init(&f->clock, 0);
    io_space_init(&f->io, "port");
    f->irq0.clock = f->out2.clock = &f->clock;
    IrqLine irq0 = { record, &f->irq0, 0 };
    i8254_init(&f->pit, &f->clock, irq0);
    ck_assert(i8254_map(&f->pit, &f->io));
    clear(&f->irq0);
}

static uint64_t tick_ns(uint64_t tick)
{
    return clock_ticks_to_ns(tick, PIT_HZ);
}

static void at_tick(Fixture *f, uint64_t tick)
{
    clock_advance_to(&f->clock, tick_ns(tick));
}

static void out8(Fixture *f, uint32_t port, uint8_t v)
{
    io_space_write(&f->io, port, v, 1);
}

static uint8_t in8(Fixture *f, uint32_t port)
{
    return (uint8_t)io_space_read(&f->io, port, 1);
}

/* Control word for a channel with LSB-then-MSB access, then the count. */
static void program(Fixture *f, int ch, int mode, bool bcd, uint16_t count)
{
    out8(f, 0x43, (uint8_t)(ch << 6 | 0x30 | mode << 1 | bcd));
    out8(f, 0x40 + ch, (uint8_t)count);
    out8(f, 0x40 + ch, (uint8_t)(count >> 8));
}

static uint16_t read16(Fixture *f, int ch)
{
    uint16_t lo = in8(f, 0x40 + ch);
    return (uint16_t)(lo | in8(f, 0x40 + ch) << 8);
}

static uint16_t latched(Fixture *f, int ch)
{
    out8(f, 0x43, (uint8_t)(ch << 6));
    return read16(f, ch);
}

static uint8_t status(Fixture *f, int ch)
{
    out8(f, 0x43, (uint8_t)(0xE0 | 2 << ch));    /* read-back: status only */
    return in8(f, 0x40 + ch);
}

START_TEST(mode2_count_100_raises_irq0_every_100_ticks)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 2, false, 100);
    /* Loaded on tick 1; OUT low for one tick when the CE reaches 1 (tick 100). */
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(100));
    at_tick(&f, 100);
    ck_assert_int_eq(f.irq0.falls, 1);
    ck_assert_uint_eq(f.irq0.fall_at[0], tick_ns(100));
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(101));
    at_tick(&f, 1000);
    ck_assert_int_eq(f.irq0.rises, 9);
    for (int k = 0; k < 9; k++) {
        ck_assert_uint_eq(f.irq0.rise_at[k], tick_ns(101 + 100 * (uint64_t)k));
        ck_assert_uint_eq(f.irq0.fall_at[k], tick_ns(100 + 100 * (uint64_t)k));
    }
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(1001));
    ck_assert_uint_eq(latched(&f, 0), 1);
    at_tick(&f, 1001);
    ck_assert_uint_eq(latched(&f, 0), 100);
    at_tick(&f, 1051);
    ck_assert_uint_eq(latched(&f, 0), 50);
}
END_TEST

START_TEST(mode3_odd_count_high_half_is_one_tick_longer)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 3, false, 5);
    /* Load at tick 1: high for 3 ticks (CE 4, 2, 0), low for 2 (CE 4, 2). */
    static const uint16_t ce[] = { 4, 2, 0, 4, 2, 4, 2, 0, 4, 2 };
    static const bool out[] = { 1, 1, 1, 0, 0, 1, 1, 1, 0, 0 };
    for (int k = 0; k < 10; k++) {
        at_tick(&f, 1 + (uint64_t)k);
        ck_assert_uint_eq(latched(&f, 0), ce[k]);
        ck_assert_int_eq(i8254_get_out(&f.pit, 0), out[k]);
    }
    ck_assert_int_eq(f.irq0.falls, 2);
    ck_assert_uint_eq(f.irq0.fall_at[0], tick_ns(4));
    ck_assert_uint_eq(f.irq0.rise_at[0], tick_ns(6));
    ck_assert_uint_eq(f.irq0.fall_at[1], tick_ns(9));
}
END_TEST

START_TEST(mode3_even_count_halves_are_equal)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 3, false, 6);
    static const uint16_t ce[] = { 6, 4, 2, 6, 4, 2, 6 };
    static const bool out[] = { 1, 1, 1, 0, 0, 0, 1 };
    for (int k = 0; k < 7; k++) {
        at_tick(&f, 1 + (uint64_t)k);
        ck_assert_uint_eq(latched(&f, 0), ce[k]);
        ck_assert_int_eq(i8254_get_out(&f.pit, 0), out[k]);
    }
    at_tick(&f, 1 + 6 * 100);
    ck_assert_int_eq(f.irq0.rises, 100);
    ck_assert_uint_eq(f.irq0.rise_at[15], tick_ns(1 + 6 * 16));
}
END_TEST

START_TEST(mode0_terminal_count_after_n_plus_one_ticks)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 0, false, 10);
    ck_assert_int_eq(f.irq0.falls, 1);            /* the control word drives OUT low */
    ck_assert_int_eq(f.irq0.level, 0);
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(11));
    at_tick(&f, 10);
    ck_assert_int_eq(f.irq0.level, 0);
    ck_assert_uint_eq(latched(&f, 0), 1);
    at_tick(&f, 11);
    ck_assert_int_eq(f.irq0.rises, 1);
    ck_assert_uint_eq(f.irq0.rise_at[0], tick_ns(11));
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, CLOCK_NEVER);
    at_tick(&f, 12);
    ck_assert_uint_eq(latched(&f, 0), 0xFFFF);    /* it keeps counting, OUT stays high */
    at_tick(&f, 11 + 65536 + 5);
    ck_assert_int_eq(f.irq0.level, 1);
    ck_assert_int_eq(f.irq0.rises, 1);
    /* A new count makes OUT low again and restarts. */
    out8(&f, 0x40, 3);
    out8(&f, 0x40, 0);
    ck_assert_int_eq(f.irq0.level, 0);
    at_tick(&f, 11 + 65536 + 5 + 4);
    ck_assert_int_eq(f.irq0.level, 1);
}
END_TEST

START_TEST(mode0_first_byte_stops_counting)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 0, false, 100);
    at_tick(&f, 11);
    out8(&f, 0x40, 50);                         /* LSB of a new count */
    at_tick(&f, 500);
    ck_assert_int_eq(f.irq0.level, 0);
    ck_assert_uint_eq(latched(&f, 0), 90);       /* stopped where it was */
    out8(&f, 0x40, 0);                          /* MSB: load 50 on the next tick */
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(551));
}
END_TEST

START_TEST(counter_latch_holds_value_until_read)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 2, false, 1000);
    at_tick(&f, 101);
    out8(&f, 0x43, 0x00);
    at_tick(&f, 201);
    out8(&f, 0x43, 0x00);                       /* ignored: already latched */
    ck_assert_uint_eq(in8(&f, 0x40), 900 & 0xFF);
    at_tick(&f, 301);
    ck_assert_uint_eq(in8(&f, 0x40), 900 >> 8);
    /* Latch released: the next read follows the CE again. */
    ck_assert_uint_eq(latched(&f, 0), 700);
}
END_TEST

START_TEST(lsb_only_and_msb_only_access)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x43, 0x14);                       /* channel 0, LSB only, mode 2 */
    out8(&f, 0x40, 200);
    at_tick(&f, 51);
    ck_assert_uint_eq(in8(&f, 0x40), 150);
    ck_assert_uint_eq(in8(&f, 0x40), 150);
    out8(&f, 0x43, 0x24);                       /* MSB only: count 0x0200 */
    out8(&f, 0x40, 0x02);
    at_tick(&f, 52 + 0x100);
    ck_assert_uint_eq(in8(&f, 0x40), 0x01);
    ck_assert_uint_eq(status(&f, 0), 0xA4);
}
END_TEST

START_TEST(read_back_latches_status_then_count)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 2, false, 1000);
    /* Before the load tick the status shows null count. */
    ck_assert_uint_eq(status(&f, 0), PIT_STATUS_OUT | PIT_STATUS_NULL | 0x34);
    at_tick(&f, 1);
    ck_assert_uint_eq(status(&f, 0), PIT_STATUS_OUT | 0x34);
    at_tick(&f, 11);
    out8(&f, 0x43, 0xC2);                       /* read-back: count and status of channel 0 */
    at_tick(&f, 500);
    ck_assert_uint_eq(in8(&f, 0x40), 0xB4);
    ck_assert_uint_eq(in8(&f, 0x40), 990 & 0xFF);
    ck_assert_uint_eq(in8(&f, 0x40), 990 >> 8);
    /* Several channels at once, count only. */
    program(&f, 1, 2, false, 300);
    at_tick(&f, 600);
    out8(&f, 0x43, 0xD6);
    at_tick(&f, 700);
    ck_assert_uint_eq(read16(&f, 1), 300 - (600 - 501) % 300);
    ck_assert_uint_eq(read16(&f, 0), 1000 - (600 - 1) % 1000);
    /* A new count leaves null count set until it is loaded. */
    out8(&f, 0x40, 0x10);
    out8(&f, 0x40, 0x00);
    ck_assert_uint_eq(status(&f, 0) & PIT_STATUS_NULL, PIT_STATUS_NULL);
}
END_TEST

START_TEST(bcd_counting)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 0, true, 0x0100);            /* 100 decimal */
    at_tick(&f, 11);
    ck_assert_uint_eq(latched(&f, 0), 0x0090);
    at_tick(&f, 100);
    ck_assert_uint_eq(latched(&f, 0), 0x0001);
    at_tick(&f, 102);
    ck_assert_uint_eq(latched(&f, 0), 0x9999);  /* wraps in decimal */
    ck_assert_uint_eq(f.irq0.rise_at[0], tick_ns(101));
    program(&f, 0, 2, true, 0x0000);            /* 0 means 10000 */
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(102 + 10000));
    at_tick(&f, 103 + 1234);
    ck_assert_uint_eq(latched(&f, 0), 0x8766);
    ck_assert_uint_eq(status(&f, 0), 0xB5);
}
END_TEST

START_TEST(gate_low_stops_mode2_and_rising_edge_reloads)
{
    Fixture f;
    setup(&f);
    IrqLine out2 = { record, &f.out2, 2 };
    i8254_connect_out(&f.pit, 2, out2);
    i8254_set_gate(&f.pit, 2, true);
    program(&f, 2, 2, false, 10);
    at_tick(&f, 6);
    ck_assert_uint_eq(latched(&f, 2), 5);
    i8254_set_gate(&f.pit, 2, false);
    ck_assert_uint_eq(f.pit.ch[2].event.deadline, CLOCK_NEVER);
    at_tick(&f, 50);
    ck_assert_uint_eq(latched(&f, 2), 5);
    ck_assert(i8254_get_out(&f.pit, 2));
    i8254_set_gate(&f.pit, 2, true);            /* reload on the next tick */
    at_tick(&f, 51);
    ck_assert_uint_eq(latched(&f, 2), 10);
    ck_assert_uint_eq(f.pit.ch[2].event.deadline, tick_ns(60));
    /* GATE low during the low pulse forces OUT high at once. */
    at_tick(&f, 60);
    ck_assert(!i8254_get_out(&f.pit, 2));
    i8254_set_gate(&f.pit, 2, false);
    ck_assert(i8254_get_out(&f.pit, 2));
    ck_assert_int_eq(f.out2.level, 1);
}
END_TEST

START_TEST(gate_low_in_mode3_forces_out_high)
{
    Fixture f;
    setup(&f);
    i8254_set_gate(&f.pit, 2, true);
    program(&f, 2, 3, false, 8);
    at_tick(&f, 6);                             /* in the low half */
    ck_assert(!i8254_get_out(&f.pit, 2));
    i8254_set_gate(&f.pit, 2, false);
    ck_assert(i8254_get_out(&f.pit, 2));
    at_tick(&f, 30);
    ck_assert(i8254_get_out(&f.pit, 2));
    i8254_set_gate(&f.pit, 2, true);
    at_tick(&f, 31);
    ck_assert_uint_eq(latched(&f, 2), 8);
    at_tick(&f, 35);
    ck_assert(!i8254_get_out(&f.pit, 2));
}
END_TEST

START_TEST(gate_low_suspends_mode0)
{
    Fixture f;
    setup(&f);
    i8254_set_gate(&f.pit, 2, true);
    program(&f, 2, 0, false, 20);
    at_tick(&f, 11);
    i8254_set_gate(&f.pit, 2, false);
    at_tick(&f, 100);
    ck_assert_uint_eq(latched(&f, 2), 10);
    i8254_set_gate(&f.pit, 2, true);
    at_tick(&f, 109);
    ck_assert(!i8254_get_out(&f.pit, 2));
    at_tick(&f, 110);
    ck_assert(i8254_get_out(&f.pit, 2));
}
END_TEST

START_TEST(mode1_one_shot_is_triggered_by_gate)
{
    Fixture f;
    setup(&f);
    program(&f, 2, 1, false, 5);
    at_tick(&f, 10);
    ck_assert(i8254_get_out(&f.pit, 2));        /* no trigger yet */
    ck_assert_uint_eq(status(&f, 2) & PIT_STATUS_NULL, PIT_STATUS_NULL);
    i8254_set_gate(&f.pit, 2, true);
    at_tick(&f, 11);
    ck_assert(!i8254_get_out(&f.pit, 2));
    ck_assert_uint_eq(status(&f, 2) & PIT_STATUS_NULL, 0);
    at_tick(&f, 15);
    ck_assert(!i8254_get_out(&f.pit, 2));
    i8254_set_gate(&f.pit, 2, false);           /* GATE low does not stop mode 1 */
    at_tick(&f, 16);
    ck_assert(i8254_get_out(&f.pit, 2));
    i8254_set_gate(&f.pit, 2, true);            /* retrigger */
    at_tick(&f, 18);
    ck_assert(!i8254_get_out(&f.pit, 2));
    ck_assert_uint_eq(latched(&f, 2), 4);
    at_tick(&f, 22);
    ck_assert(i8254_get_out(&f.pit, 2));
}
END_TEST

START_TEST(mode4_and_mode5_strobe_for_one_tick)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 4, false, 3);
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(4));
    at_tick(&f, 100);
    ck_assert_int_eq(f.irq0.falls, 1);
    ck_assert_uint_eq(f.irq0.fall_at[0], tick_ns(4));
    ck_assert_uint_eq(f.irq0.rise_at[0], tick_ns(5));
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, CLOCK_NEVER);
    program(&f, 2, 5, false, 3);
    at_tick(&f, 200);
    ck_assert(i8254_get_out(&f.pit, 2));
    i8254_set_gate(&f.pit, 2, true);
    at_tick(&f, 204);
    ck_assert(!i8254_get_out(&f.pit, 2));
    at_tick(&f, 205);
    ck_assert(i8254_get_out(&f.pit, 2));
}
END_TEST

START_TEST(mode2_new_count_waits_for_period_end)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 2, false, 100);
    at_tick(&f, 31);
    out8(&f, 0x40, 10);
    out8(&f, 0x40, 0);
    ck_assert_uint_eq(latched(&f, 0), 70);
    ck_assert_uint_eq(f.pit.ch[0].event.deadline, tick_ns(100));
    at_tick(&f, 101);
    ck_assert_uint_eq(latched(&f, 0), 10);
    at_tick(&f, 200);
    ck_assert_uint_eq(f.irq0.rises, 10);
    ck_assert_uint_eq(f.irq0.rise_at[1], tick_ns(111));
}
END_TEST

START_TEST(mode3_new_count_waits_for_half_period_end)
{
    Fixture f;
    setup(&f);
    program(&f, 0, 3, false, 100);
    at_tick(&f, 11);
    out8(&f, 0x40, 20);
    out8(&f, 0x40, 0);
    at_tick(&f, 50);
    ck_assert_uint_eq(latched(&f, 0), 100 - 2 * 49);
    at_tick(&f, 51);                            /* the new count starts with the low half */
    ck_assert(!i8254_get_out(&f.pit, 0));
    ck_assert_uint_eq(latched(&f, 0), 20);
    at_tick(&f, 61);
    ck_assert(i8254_get_out(&f.pit, 0));
    at_tick(&f, 71);
    ck_assert(!i8254_get_out(&f.pit, 0));
}
END_TEST

START_TEST(state_round_trip_keeps_counting)
{
    Fixture a, b;
    setup(&a);
    setup(&b);
    program(&a, 0, 2, false, 1000);
    i8254_set_gate(&a.pit, 2, true);
    program(&a, 2, 3, true, 0x0555);
    at_tick(&a, 1234);
    out8(&a, 0x43, 0x00);                       /* a latch in flight is state too */
    uint8_t buf[4096], again[4096];
    size_t n = state_save(&i8254_state, &a.pit, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    b.clock.now_ns = a.clock.now_ns;
    ck_assert(state_load(&i8254_state, &b.pit, buf, n));
    ck_assert_uint_eq(state_save(&i8254_state, &b.pit, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
    ck_assert_uint_eq(b.pit.ch[0].event.deadline, a.pit.ch[0].event.deadline);
    clear(&a.irq0);
    clear(&b.irq0);
    for (int step = 1; step <= 3; step++) {
        at_tick(&a, 1234 + 777 * (uint64_t)step);
        at_tick(&b, 1234 + 777 * (uint64_t)step);
        ck_assert_uint_eq(in8(&a, 0x40), in8(&b, 0x40));
        ck_assert_uint_eq(in8(&a, 0x40), in8(&b, 0x40));
        ck_assert_uint_eq(latched(&a, 2), latched(&b, 2));
    }
    ck_assert_int_eq(a.irq0.rises, 2);
    ck_assert_int_eq(b.irq0.rises, 2);
    ck_assert_uint_eq(a.irq0.rise_at[1], b.irq0.rise_at[1]);
}
END_TEST

START_TEST(guest_misuse_gets_hardware_answers)
{
    Fixture f;
    setup(&f);
    ck_assert_uint_eq(in8(&f, 0x43), 0xFF);      /* the control register is write-only */
    program(&f, 0, 2, false, 1);                /* illegal count 1: no event storm */
    at_tick(&f, 100);
    ck_assert_int_le(f.irq0.rises, 50);
    program(&f, 0, 3, true, 0xFFFF);            /* BCD digits above 9 */
    at_tick(&f, 200);
    out8(&f, 0x43, 0xFF);                       /* read-back with the reserved bit */
    out8(&f, 0x43, 0x3E);                       /* mode 7 is mode 3 */
    ck_assert_uint_eq(status(&f, 0) & 0x0E, 0x06);
    in8(&f, 0x42);                              /* reads of an unprogrammed channel */
}
END_TEST

START_TEST(irq0_reaches_the_cpu_through_the_pic)
{
    Clock clock;
    IoSpace io;
    PicPair pics;
    I8254 pit;
    clock_init(&clock, 0);
    io_space_init(&io, "port");
    IrqLine none = { 0 };
    pic_pair_init(&pics, none);
    i8254_init(&pit, &clock, pic_pair_irq(&pics, 0));
    ck_assert(pic_pair_map(&pics, &io) && i8254_map(&pit, &io));
    static const uint8_t icw[] = { 0x11, 0x08, 0x04, 0x01 };
    for (int i = 0; i < 4; i++)
        io_space_write(&io, i ? 0x21 : 0x20, icw[i], 1);
    io_space_write(&io, 0x43, 0x34, 1);
    io_space_write(&io, 0x40, 0x00, 1);
    io_space_write(&io, 0x40, 0x10, 1);         /* 4096 ticks: about 3.4 ms */
    clock_advance_to(&clock, tick_ns(4096));
    ck_assert(!pics_pending(&pics));
    clock_advance_to(&clock, tick_ns(4097));
    ck_assert(pics_pending(&pics));
    ck_assert_uint_eq(pics_acknowledge(&pics), 0x08);
    io_space_write(&io, 0x20, 0x20, 1);
    ck_assert(!pics_pending(&pics));
    clock_advance_to(&clock, tick_ns(4097 + 3 * 4096));   /* three periods, CPU not listening */
    ck_assert(pics_pending(&pics));
    ck_assert_uint_eq(pics_acknowledge(&pics), 0x08);
    ck_assert(!pics_pending(&pics));
}
END_TEST

Suite *i8254_suite(void)
{
    Suite *s = suite_create("i8254");
    TCase *tc = tcase_create("i8254");
    tcase_add_test(tc, mode2_count_100_raises_irq0_every_100_ticks);
    tcase_add_test(tc, mode3_odd_count_high_half_is_one_tick_longer);
    tcase_add_test(tc, mode3_even_count_halves_are_equal);
    tcase_add_test(tc, mode0_terminal_count_after_n_plus_one_ticks);
    tcase_add_test(tc, mode0_first_byte_stops_counting);
    tcase_add_test(tc, counter_latch_holds_value_until_read);
    tcase_add_test(tc, lsb_only_and_msb_only_access);
    tcase_add_test(tc, read_back_latches_status_then_count);
    tcase_add_test(tc, bcd_counting);
    tcase_add_test(tc, gate_low_stops_mode2_and_rising_edge_reloads);
    tcase_add_test(tc, gate_low_in_mode3_forces_out_high);
    tcase_add_test(tc, gate_low_suspends_mode0);
    tcase_add_test(tc, mode1_one_shot_is_triggered_by_gate);
    tcase_add_test(tc, mode4_and_mode5_strobe_for_one_tick);
    tcase_add_test(tc, mode2_new_count_waits_for_period_end);
    tcase_add_test(tc, mode3_new_count_waits_for_half_period_end);
    tcase_add_test(tc, state_round_trip_keeps_counting);
    tcase_add_test(tc, guest_misuse_gets_hardware_answers);
    tcase_add_test(tc, irq0_reaches_the_cpu_through_the_pic);
    suite_add_tcase(s, tc);
    return s;
}
