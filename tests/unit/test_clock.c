/* SPDX-License-Identifier: MIT */
/* The virtual clock: exact instruction-to-time conversion and armed events. */
#include <check.h>

#include "clock.h"
#include "suites.h"

typedef struct Fired {
    int count;
    uint64_t at[8];
    int order[8];
    int id;
    struct Fired *shared;
} Fired;

static void on_fire(void *opaque, uint64_t now)
{
    Fired *f = opaque;
    Fired *log = f->shared ? f->shared : f;
    if (log->count < 8) {
        log->at[log->count] = now;
        log->order[log->count] = f->id;
    }
    log->count++;
}

START_TEST(instructions_become_nanoseconds_exactly)
{
    Clock c;
    clock_init(&c, 3000000);            /* 3 MIPS: 333.33 ns per instruction */
    clock_retire_instructions(&c, 1);
    ck_assert_uint_eq(c.now_ns, 333);
    clock_retire_instructions(&c, 2);
    ck_assert_uint_eq(c.now_ns, 1000);  /* the remainder is carried, not lost */
    clock_retire_instructions(&c, 3000000);
    ck_assert_uint_eq(c.now_ns, 1000001000ull);
}
END_TEST

START_TEST(event_fires_when_time_reaches_deadline)
{
    Clock c;
    ClockEvent e;
    Fired f = { 0 };
    clock_init(&c, 1000000000);         /* 1 ns per instruction */
    clock_event_register(&c, &e, "test", on_fire, &f);
    clock_event_arm(&c, &e, 100);
    ck_assert_uint_eq(clock_next_deadline(&c), 100);
    ck_assert_uint_eq(clock_instructions_until(&c, 100), 100);
    clock_retire_instructions(&c, 99);
    ck_assert_int_eq(f.count, 0);
    clock_retire_instructions(&c, 1);
    ck_assert_int_eq(f.count, 1);
    ck_assert_uint_eq(f.at[0], 100);
    ck_assert_uint_eq(clock_next_deadline(&c), CLOCK_NEVER);   /* one-shot */
}
END_TEST

START_TEST(events_fire_in_deadline_order_ties_by_registration)
{
    Clock c;
    ClockEvent e[3];
    Fired log = { 0 }, f[3] = { { .id = 0, .shared = &log }, { .id = 1, .shared = &log }, { .id = 2, .shared = &log } };
    clock_init(&c, 1000000000);
    for (int i = 0; i < 3; i++)
        clock_event_register(&c, &e[i], "test", on_fire, &f[i]);
    clock_event_arm(&c, &e[2], 50);
    clock_event_arm(&c, &e[1], 20);
    clock_event_arm(&c, &e[0], 50);
    clock_advance_to(&c, 1000);
    ck_assert_int_eq(log.count, 3);
    ck_assert_int_eq(log.order[0], 1);
    ck_assert_int_eq(log.order[1], 0);
    ck_assert_int_eq(log.order[2], 2);
    ck_assert_uint_eq(log.at[0], 20);
    ck_assert_uint_eq(log.at[2], 50);
    ck_assert_uint_eq(c.now_ns, 1000);
}
END_TEST

static void rearm(void *opaque, uint64_t now)
{
    Clock *c = opaque;
    ClockEvent *e = c->events[0];
    clock_event_arm(c, e, now + 10);
}

START_TEST(periodic_event_rearms_itself)
{
    Clock c;
    ClockEvent e;
    clock_init(&c, 1000000000);
    clock_event_register(&c, &e, "periodic", rearm, &c);
    clock_event_arm(&c, &e, 10);
    clock_advance_to(&c, 35);
    ck_assert_uint_eq(e.deadline, 40);
    ck_assert_uint_eq(c.now_ns, 35);
}
END_TEST

START_TEST(cancelled_event_does_not_fire)
{
    Clock c;
    ClockEvent e;
    Fired f = { 0 };
    clock_init(&c, 1000000000);
    clock_event_register(&c, &e, "test", on_fire, &f);
    clock_event_arm(&c, &e, 10);
    clock_event_cancel(&c, &e);
    clock_advance_to(&c, 100);
    ck_assert_int_eq(f.count, 0);
}
END_TEST

START_TEST(device_tick_conversions_round_trip)
{
    /* The PIT's 1.193182 MHz: 65536 ticks take 54.925 ms. */
    ck_assert_uint_eq(clock_ns_to_ticks(NS_PER_SECOND, 1193182), 1193182);
    uint64_t ns = clock_ticks_to_ns(65536, 1193182);
    ck_assert_uint_eq(ns, 54925402);
    ck_assert_uint_eq(clock_ns_to_ticks(ns, 1193182), 65536);
    ck_assert_uint_eq(clock_ns_to_ticks(ns - 1, 1193182), 65535);
}
END_TEST

Suite *clock_suite(void)
{
    Suite *s = suite_create("clock");
    TCase *tc = tcase_create("clock");
    tcase_add_test(tc, instructions_become_nanoseconds_exactly);
    tcase_add_test(tc, event_fires_when_time_reaches_deadline);
    tcase_add_test(tc, events_fire_in_deadline_order_ties_by_registration);
    tcase_add_test(tc, periodic_event_rearms_itself);
    tcase_add_test(tc, cancelled_event_does_not_fire);
    tcase_add_test(tc, device_tick_conversions_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
