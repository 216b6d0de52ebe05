/* SPDX-License-Identifier: MIT */
/* Port 61h: the refresh toggle in virtual time, PIT channel 2 GATE and OUT, the speaker. */
#include <check.h>
#include <string.h>

#include "clock.h"
#include "i8254.h"
#include "port61.h"
#include "suites.h"

typedef struct Fixture {
    Clock clock;
    IoSpace io;
    I8254 pit;
    Port61 port;
    int tones;
    bool on;
    uint32_t hz;
} Fixture;

static void record_tone(void *opaque, bool on, uint32_t hz)
{
    Fixture *f = opaque;
    f->tones++;
    f->on = on;
    f->hz = hz;
}

static void setup(Fixture *f)
{
    memset(f, 0, sizeof(*f));
    clock_init(&f->clock, 0);
    io_space_init(&f->io, "port");
    IrqLine none = { 0 };
    i8254_init(&f->pit, &f->clock, none);
    SpeakerOps speaker = { record_tone, f };
    port61_init(&f->port, &f->clock, &f->pit, speaker);
    ck_assert(i8254_map(&f->pit, &f->io));
    ck_assert(port61_map(&f->port, &f->io));
    f->tones = 0;
}

static void out8(Fixture *f, uint32_t port, uint8_t v)
{
    io_space_write(&f->io, port, v, 1);
}

static uint8_t in8(Fixture *f, uint32_t port)
{
    return (uint8_t)io_space_read(&f->io, port, 1);
}

static void at_tick(Fixture *f, uint64_t tick)
{
    clock_advance_to(&f->clock, clock_ticks_to_ns(tick, PIT_HZ));
}

static void program2(Fixture *f, int mode, uint16_t count)
{
    out8(f, 0x43, (uint8_t)(0xB0 | mode << 1));
    out8(f, 0x42, (uint8_t)count);
    out8(f, 0x42, (uint8_t)(count >> 8));
}

START_TEST(writable_bits_and_reserved_bits)
{
    Fixture f;
    setup(&f);
    ck_assert_uint_eq(in8(&f, 0x61), PORT61_OUT2);   /* channel 2 idle with OUT high */
    out8(&f, 0x61, 0xFC);
    ck_assert_uint_eq(in8(&f, 0x61), 0x0C | PORT61_OUT2);
    ck_assert(!f.pit.ch[2].gate);
    out8(&f, 0x61, 0x01);
    ck_assert(f.pit.ch[2].gate);
    ck_assert_uint_eq(in8(&f, 0x61) & 0xCE, 0x00);  /* parity and IOCHK errors read 0 */
}
END_TEST

START_TEST(refresh_bit_toggles_every_15085_ns)
{
    Fixture f;
    setup(&f);
    clock_advance_to(&f.clock, 15084);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_REFRESH, 0);
    clock_advance_to(&f.clock, 15085);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_REFRESH, PORT61_REFRESH);
    clock_advance_to(&f.clock, 30169);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_REFRESH, PORT61_REFRESH);
    clock_advance_to(&f.clock, 30170);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_REFRESH, 0);
    /* A delay loop that counts toggles sees 66 in one millisecond. */
    int toggles = 0;
    uint8_t last = in8(&f, 0x61) & PORT61_REFRESH;
    for (uint64_t ns = 30170; ns <= 30170 + 1000000; ns += 1000) {
        clock_advance_to(&f.clock, ns);
        uint8_t now = in8(&f, 0x61) & PORT61_REFRESH;
        toggles += now != last;
        last = now;
    }
    ck_assert_int_eq(toggles, 66);
}
END_TEST

START_TEST(gate_bit_runs_channel2_and_bit5_shows_out)
{
    Fixture f;
    setup(&f);
    program2(&f, 0, 100);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_OUT2, 0);
    at_tick(&f, 50);
    ck_assert_uint_eq(in8(&f, 0x42), 100);          /* GATE low: not counting */
    ck_assert_uint_eq(in8(&f, 0x42), 0);
    out8(&f, 0x61, PORT61_GATE2);
    at_tick(&f, 149);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_OUT2, 0);
    at_tick(&f, 150);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_OUT2, PORT61_OUT2);
}
END_TEST

START_TEST(gate_bit_restarts_square_wave)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, PORT61_GATE2);
    program2(&f, 3, 10);
    at_tick(&f, 7);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_OUT2, 0);
    out8(&f, 0x61, 0);                              /* GATE low: OUT high at once */
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_OUT2, PORT61_OUT2);
    at_tick(&f, 40);
    out8(&f, 0x61, PORT61_GATE2);
    at_tick(&f, 45);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_OUT2, PORT61_OUT2);
    at_tick(&f, 46);
    ck_assert_uint_eq(in8(&f, 0x61) & PORT61_OUT2, 0);
}
END_TEST

START_TEST(speaker_tone_follows_gate_enable_and_count)
{
    Fixture f;
    setup(&f);
    program2(&f, 3, 1193);
    ck_assert_int_eq(f.tones, 0);
    out8(&f, 0x61, PORT61_SPEAKER);                 /* data enable without GATE: silent */
    ck_assert_int_eq(f.tones, 0);
    out8(&f, 0x61, PORT61_GATE2 | PORT61_SPEAKER);
    ck_assert_int_eq(f.tones, 1);
    ck_assert(f.on);
    ck_assert_uint_eq(f.hz, 1000);
    program2(&f, 3, 2386);                          /* a new note while it sounds */
    ck_assert(f.on);
    ck_assert_uint_eq(f.hz, 500);
    out8(&f, 0x61, PORT61_GATE2 | PORT61_SPEAKER);  /* no change, no report */
    int before = f.tones;
    out8(&f, 0x61, PORT61_GATE2 | PORT61_SPEAKER);
    ck_assert_int_eq(f.tones, before);
    out8(&f, 0x61, PORT61_GATE2);
    ck_assert(!f.on);
}
END_TEST

START_TEST(state_round_trip)
{
    Fixture a, b;
    setup(&a);
    setup(&b);
    program2(&a, 3, 1193);
    out8(&a, 0x61, 0x0B);
    uint8_t pit[4096], port[64], again[64];
    size_t np = state_save(&i8254_state, &a.pit, pit, sizeof(pit));
    size_t n = state_save(&port61_state, &a.port, port, sizeof(port));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&i8254_state, &b.pit, pit, np));
    ck_assert(state_load(&port61_state, &b.port, port, n));
    port61_post_load(&b.port);
    ck_assert(b.on);
    ck_assert_uint_eq(b.hz, 1000);
    ck_assert_uint_eq(state_save(&port61_state, &b.port, again, sizeof(again)), n);
    ck_assert_mem_eq(port, again, n);
    for (uint64_t t = 3; t < 3000; t += 299) {
        at_tick(&a, t);
        at_tick(&b, t);
        ck_assert_uint_eq(in8(&a, 0x61), in8(&b, 0x61));
    }
}
END_TEST

Suite *port61_suite(void)
{
    Suite *s = suite_create("port61");
    TCase *tc = tcase_create("port61");
    tcase_add_test(tc, writable_bits_and_reserved_bits);
    tcase_add_test(tc, refresh_bit_toggles_every_15085_ns);
    tcase_add_test(tc, gate_bit_runs_channel2_and_bit5_shows_out);
    tcase_add_test(tc, gate_bit_restarts_square_wave);
    tcase_add_test(tc, speaker_tone_follows_gate_enable_and_count);
    tcase_add_test(tc, state_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
