/* SPDX-License-Identifier: MIT */
/* The PS/2 mouse on the 8042's aux port: commands, packets, IntelliMouse modes. */
#include <check.h>

#include "ps2_fixture.h"
#include "suites.h"

/* A rig with IRQ12 enabled and the mouse reset. */
static void mouse_rig(Ps2Rig *r)
{
    rig_init(r);
    rig_cmd_data(r, 0x60, I8042_CCB_INT | I8042_CCB_INT2);
    rig_aux(r, 0xFF);
    EXPECT_BYTES(r, 0xFA, 0xAA, 0x00);
}

static void set_rate(Ps2Rig *r, uint8_t rate)
{
    rig_aux(r, 0xF3);
    rig_aux(r, rate);
    EXPECT_BYTES(r, 0xFA, 0xFA);
}

static void enable(Ps2Rig *r)
{
    rig_aux(r, 0xF4);
    EXPECT_BYTES(r, 0xFA);
}

START_TEST(reset_answers_on_irq12)
{
    Ps2Rig r;
    mouse_rig(&r);
    ck_assert_int_eq(r.rises[12], 3);
    ck_assert_int_eq(r.rises[1], 0);
    rig_aux(&r, 0xF2);
    ck_assert(rig_status(&r) & I8042_STATUS_AUX_OBF);
    EXPECT_BYTES(&r, 0xFA, 0x00);
}
END_TEST

START_TEST(intellimouse_knocks_switch_the_id)
{
    Ps2Rig r;
    mouse_rig(&r);
    set_rate(&r, 200);
    set_rate(&r, 200);      /* the explorer knock first does nothing */
    set_rate(&r, 80);
    rig_aux(&r, 0xF2);
    EXPECT_BYTES(&r, 0xFA, 0x00);
    set_rate(&r, 200);
    set_rate(&r, 100);
    set_rate(&r, 80);
    rig_aux(&r, 0xF2);
    EXPECT_BYTES(&r, 0xFA, 0x03);
    set_rate(&r, 200);
    set_rate(&r, 200);
    set_rate(&r, 80);
    rig_aux(&r, 0xF2);
    EXPECT_BYTES(&r, 0xFA, 0x04);
    rig_aux(&r, 0xFF);
    EXPECT_BYTES(&r, 0xFA, 0xAA, 0x00);
    rig_aux(&r, 0xF2);
    EXPECT_BYTES(&r, 0xFA, 0x00);
}
END_TEST

START_TEST(packets_with_signs)
{
    Ps2Rig r;
    mouse_rig(&r);
    ps2mouse_move(&r.mouse, 10, -5, 0, PS2MOUSE_BUTTON_LEFT);
    EXPECT_NOTHING(&r);         /* reporting is off after reset */
    enable(&r);
    ps2mouse_move(&r.mouse, 10, -5, 0, PS2MOUSE_BUTTON_LEFT);       /* right 10, up 5 */
    EXPECT_BYTES(&r, 0x09, 0x0A, 0x05);
    ps2mouse_move(&r.mouse, -3, 4, 0, PS2MOUSE_BUTTON_RIGHT | PS2MOUSE_BUTTON_MIDDLE);
    EXPECT_BYTES(&r, 0x3E, 0xFD, 0xFC);
    ps2mouse_move(&r.mouse, 0, 0, 0, 0);         /* a button change alone is a packet */
    EXPECT_BYTES(&r, 0x08, 0x00, 0x00);
    ps2mouse_move(&r.mouse, 0, 0, 5, 0);         /* no wheel on a standard mouse */
    EXPECT_NOTHING(&r);
}
END_TEST

START_TEST(large_moves_split_and_remote_overflow)
{
    Ps2Rig r;
    mouse_rig(&r);
    enable(&r);
    ps2mouse_move(&r.mouse, 300, 0, 0, 0);
    EXPECT_BYTES(&r, 0x08, 0xFF, 0x00, 0x08, 0x2D, 0x00);
    ps2mouse_move(&r.mouse, -300, 0, 0, 0);
    EXPECT_BYTES(&r, 0x18, 0x00, 0x00, 0x18, 0xD4, 0x00);
    /* More movement than the buffer holds waits for the guest to read. */
    ps2mouse_move(&r.mouse, 255 * 7, 0, 0, 0);
    for (int i = 0; i < 7; i++) {
        ck_assert_int_eq(rig_read(&r), 0x08);
        ck_assert_int_eq(rig_read(&r), 0xFF);
        ck_assert_int_eq(rig_read(&r), 0x00);
    }
    EXPECT_NOTHING(&r);
    /* Remote mode: the counters saturate and set the overflow bits. */
    rig_aux(&r, 0xF0);
    EXPECT_BYTES(&r, 0xFA);
    ps2mouse_move(&r.mouse, 300, -400, 0, 0);
    EXPECT_NOTHING(&r);
    rig_aux(&r, 0xEB);
    EXPECT_BYTES(&r, 0xFA, 0xC8, 0xFF, 0xFF);
    ps2mouse_move(&r.mouse, -300, 20, 0, 0);
    rig_aux(&r, 0xEB);
    EXPECT_BYTES(&r, 0xFA, 0x78, 0x00, 0xEC);
    rig_aux(&r, 0xEB);
    EXPECT_BYTES(&r, 0xFA, 0x08, 0x00, 0x00);
}
END_TEST

START_TEST(wheel_and_five_button_packets)
{
    Ps2Rig r;
    mouse_rig(&r);
    set_rate(&r, 200);
    set_rate(&r, 100);
    set_rate(&r, 80);
    enable(&r);
    ps2mouse_move(&r.mouse, 0, 0, 2, 0);
    EXPECT_BYTES(&r, 0x08, 0x00, 0x00, 0x02);
    ps2mouse_move(&r.mouse, 1, 0, -1, 0);
    EXPECT_BYTES(&r, 0x08, 0x01, 0x00, 0xFF);
    ps2mouse_move(&r.mouse, 0, 0, 10, 0);        /* beyond -8..7: split */
    EXPECT_BYTES(&r, 0x08, 0x00, 0x00, 0x07, 0x08, 0x00, 0x00, 0x03);
    ps2mouse_move(&r.mouse, 0, 0, 0, PS2MOUSE_BUTTON_4);   /* invisible in mode 03 */
    EXPECT_NOTHING(&r);
    set_rate(&r, 200);
    set_rate(&r, 200);
    set_rate(&r, 80);
    enable(&r);
    ps2mouse_move(&r.mouse, 0, 0, 1, PS2MOUSE_BUTTON_4 | PS2MOUSE_BUTTON_LEFT);
    EXPECT_BYTES(&r, 0x09, 0x00, 0x00, 0x11);
    ps2mouse_move(&r.mouse, 0, 0, -2, PS2MOUSE_BUTTON_5);
    EXPECT_BYTES(&r, 0x08, 0x00, 0x00, 0x2E);
}
END_TEST

START_TEST(status_resolution_scaling)
{
    Ps2Rig r;
    mouse_rig(&r);
    rig_aux(&r, 0xE9);
    EXPECT_BYTES(&r, 0xFA, 0x00, 0x02, 100);
    rig_aux(&r, 0xE8);
    rig_aux(&r, 0x03);
    EXPECT_BYTES(&r, 0xFA, 0xFA);
    set_rate(&r, 40);
    rig_aux(&r, 0xE7);
    EXPECT_BYTES(&r, 0xFA);
    enable(&r);
    ps2mouse_move(&r.mouse, 0, 0, 0, PS2MOUSE_BUTTON_LEFT | PS2MOUSE_BUTTON_RIGHT);
    EXPECT_BYTES(&r, 0x0B, 0x00, 0x00);
    rig_aux(&r, 0xE9);
    EXPECT_BYTES(&r, 0xFA, 0x35, 0x03, 40);
    /* 2:1 scaling: 4 -> 6, -5 -> -9, 100 -> 200. */
    ps2mouse_move(&r.mouse, 4, 5, 0, 0);
    EXPECT_BYTES(&r, 0x28, 0x06, 0xF7);
    ps2mouse_move(&r.mouse, 100, 0, 0, 0);
    EXPECT_BYTES(&r, 0x08, 0xC8, 0x00);
    rig_aux(&r, 0xE6);
    EXPECT_BYTES(&r, 0xFA);
    ps2mouse_move(&r.mouse, 4, 0, 0, 0);
    EXPECT_BYTES(&r, 0x08, 0x04, 0x00);
    /* Defaults: 100/s, 4 counts/mm, 1:1, stream, disabled. */
    rig_aux(&r, 0xF6);
    rig_aux(&r, 0xE9);
    EXPECT_BYTES(&r, 0xFA, 0xFA, 0x00, 0x02, 100);
}
END_TEST

START_TEST(wrap_resend_and_bad_input)
{
    Ps2Rig r;
    mouse_rig(&r);
    rig_aux(&r, 0xEE);
    rig_aux(&r, 0x12);
    rig_aux(&r, 0xF2);
    rig_aux(&r, 0xEC);
    EXPECT_BYTES(&r, 0xFA, 0x12, 0xF2, 0xFA);
    rig_aux(&r, 0xFE);
    EXPECT_BYTES(&r, 0xFA);
    rig_aux(&r, 0xF3);
    rig_aux(&r, 33);            /* not a valid sample rate */
    rig_aux(&r, 0xE8);
    rig_aux(&r, 9);             /* not a valid resolution */
    rig_aux(&r, 0x00);          /* not a command */
    EXPECT_BYTES(&r, 0xFA, 0xFE, 0xFA, 0xFE, 0xFE);
    rig_aux(&r, 0xE9);
    EXPECT_BYTES(&r, 0xFA, 0x00, 0x02, 100);
}
END_TEST

START_TEST(state_round_trip_keeps_counters)
{
    Ps2Rig a, b;
    mouse_rig(&a);
    mouse_rig(&b);
    set_rate(&a, 200);
    set_rate(&a, 100);
    set_rate(&a, 80);
    rig_aux(&a, 0xF0);
    EXPECT_BYTES(&a, 0xFA);
    ps2mouse_move(&a.mouse, -7, -9, 3, PS2MOUSE_BUTTON_MIDDLE);
    uint8_t buf[1024], again[1024];
    size_t n = state_save(&ps2mouse_state, &a.mouse, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&ps2mouse_state, &b.mouse, buf, n));
    ck_assert_uint_eq(state_save(&ps2mouse_state, &b.mouse, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
    rig_aux(&a, 0xEB);
    rig_aux(&b, 0xEB);
    EXPECT_BYTES(&a, 0xFA, 0x1C, 0xF9, 0x09, 0x03);
    EXPECT_BYTES(&b, 0xFA, 0x1C, 0xF9, 0x09, 0x03);
}
END_TEST

Suite *ps2mouse_suite(void)
{
    Suite *s = suite_create("ps2mouse");
    TCase *tc = tcase_create("ps2mouse");
    tcase_add_test(tc, reset_answers_on_irq12);
    tcase_add_test(tc, intellimouse_knocks_switch_the_id);
    tcase_add_test(tc, packets_with_signs);
    tcase_add_test(tc, large_moves_split_and_remote_overflow);
    tcase_add_test(tc, wheel_and_five_button_packets);
    tcase_add_test(tc, status_resolution_scaling);
    tcase_add_test(tc, wrap_resend_and_bad_input);
    tcase_add_test(tc, state_round_trip_keeps_counters);
    suite_add_tcase(s, tc);
    return s;
}
