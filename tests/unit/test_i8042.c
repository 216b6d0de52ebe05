/* SPDX-License-Identifier: MIT */
/* The 8042 keyboard controller, driven through ports 0x60 and 0x64. */
#include <check.h>

#include "ps2_fixture.h"
#include "suites.h"

START_TEST(power_on_status_and_self_test)
{
    Ps2Rig r;
    rig_init(&r);
    ck_assert_uint_eq(rig_status(&r), I8042_STATUS_UNLOCKED);
    rig_cmd(&r, 0xAA);
    ck_assert_uint_eq(rig_status(&r), I8042_STATUS_UNLOCKED | I8042_STATUS_CMD | I8042_STATUS_SYS |
                                      I8042_STATUS_OBF);
    EXPECT_BYTES(&r, 0x55);
    rig_cmd(&r, 0xAB);
    EXPECT_BYTES(&r, 0x00);
    rig_cmd(&r, 0xA9);
    EXPECT_BYTES(&r, 0x00);
    rig_cmd(&r, 0xC0);
    EXPECT_BYTES(&r, 0xA0);
}
END_TEST

START_TEST(command_byte_round_trip_and_a2_flag)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd(&r, 0x60);
    ck_assert(rig_status(&r) & I8042_STATUS_CMD);
    rig_data(&r, 0x65);
    ck_assert(!(rig_status(&r) & I8042_STATUS_CMD));
    ck_assert(rig_status(&r) & I8042_STATUS_SYS);     /* SYS follows command byte bit 2 */
    rig_cmd(&r, 0x20);
    EXPECT_BYTES(&r, 0x65);
    rig_cmd_data(&r, 0x60, 0x00);
    ck_assert(!(rig_status(&r) & I8042_STATUS_SYS));
    /* The other 31 bytes of RAM. */
    rig_cmd_data(&r, 0x7F, 0xAB);
    rig_cmd(&r, 0x3F);
    EXPECT_BYTES(&r, 0xAB);
    /* AD/AE and A7/A8 are the disable bits of the command byte. */
    rig_cmd(&r, 0xAD);
    rig_cmd(&r, 0xA7);
    rig_cmd(&r, 0x20);
    EXPECT_BYTES(&r, 0x30);
    rig_cmd(&r, 0xAE);
    rig_cmd(&r, 0x20);
    EXPECT_BYTES(&r, 0x20);
    rig_cmd(&r, 0xA8);
    rig_cmd(&r, 0x20);
    EXPECT_BYTES(&r, 0x00);
}
END_TEST

START_TEST(a20_via_output_port_and_hp_commands)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd(&r, 0xD0);
    EXPECT_BYTES(&r, 0xCF);
    rig_cmd_data(&r, 0xD1, 0xDD);
    ck_assert_int_eq(r.a20_calls, 1);
    ck_assert(!r.a20);
    rig_cmd(&r, 0xD0);
    EXPECT_BYTES(&r, 0xCD);     /* bits 4-5 show the IRQ outputs, not what was written */
    rig_cmd_data(&r, 0xD1, 0xDF);
    ck_assert_int_eq(r.a20_calls, 2);
    ck_assert(r.a20);
    rig_cmd_data(&r, 0xD1, 0xDF);              /* unchanged: no call */
    ck_assert_int_eq(r.a20_calls, 2);
    rig_cmd(&r, 0xDD);
    ck_assert_int_eq(r.a20_calls, 3);
    ck_assert(!r.a20);
    rig_cmd(&r, 0xDF);
    ck_assert_int_eq(r.a20_calls, 4);
    ck_assert(r.a20);
    ck_assert_int_eq(r.resets, 0);
}
END_TEST

START_TEST(reset_via_pulse_and_output_port)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd(&r, 0xFF);          /* pulses nothing */
    rig_cmd(&r, 0xFD);          /* pulses A20 only */
    ck_assert_int_eq(r.resets, 0);
    rig_cmd(&r, 0xFE);
    ck_assert_int_eq(r.resets, 1);
    rig_cmd(&r, 0xF0);
    ck_assert_int_eq(r.resets, 2);
    rig_cmd_data(&r, 0xD1, 0xCE);
    ck_assert_int_eq(r.resets, 3);
    rig_cmd(&r, 0xD0);
    EXPECT_BYTES(&r, 0xCF);     /* the reset line is a pulse */
}
END_TEST

START_TEST(irq1_only_when_int_is_set)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd_data(&r, 0xD2, 0x12);
    ck_assert_uint_eq(rig_status(&r) & (I8042_STATUS_OBF | I8042_STATUS_AUX_OBF), I8042_STATUS_OBF);
    ck_assert_int_eq(r.rises[1], 0);
    /* Enabling INT with a byte waiting raises the line at once. */
    rig_cmd_data(&r, 0x60, I8042_CCB_INT);
    ck_assert_int_eq(r.level[1], 1);
    rig_cmd(&r, 0xD0);      /* the output port's IRQ1 bit shows the line */
    EXPECT_BYTES(&r, 0x12, 0xDF);
    ck_assert_int_eq(r.level[1], 0);
    rig_cmd_data(&r, 0xD2, 0x34);
    ck_assert_int_eq(r.level[1], 1);
    ck_assert_int_eq(r.rises[1], 3);
    EXPECT_BYTES(&r, 0x34);
    ck_assert_int_eq(r.level[1], 0);
    ck_assert_int_eq(r.rises[12], 0);
}
END_TEST

START_TEST(irq12_routing_for_aux_data)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd_data(&r, 0x60, I8042_CCB_INT | I8042_CCB_INT2);
    rig_aux(&r, 0xF2);
    ck_assert_uint_eq(rig_status(&r) & (I8042_STATUS_OBF | I8042_STATUS_AUX_OBF),
                      I8042_STATUS_OBF | I8042_STATUS_AUX_OBF);
    ck_assert_int_eq(r.level[12], 1);
    EXPECT_BYTES(&r, 0xFA, 0x00);
    ck_assert_int_eq(r.rises[12], 2);
    ck_assert_int_eq(r.rises[1], 0);
    rig_cmd_data(&r, 0xD3, 0x5A);
    ck_assert_int_eq(r.level[12], 1);
    EXPECT_BYTES(&r, 0x5A);
    /* Without INT2 the mouse byte is there but IRQ12 stays low. */
    rig_cmd_data(&r, 0x60, I8042_CCB_INT);
    rig_cmd_data(&r, 0xD3, 0x66);
    ck_assert(rig_status(&r) & I8042_STATUS_AUX_OBF);
    ck_assert_int_eq(r.level[12], 0);
    EXPECT_BYTES(&r, 0x66);
}
END_TEST

START_TEST(translation_turns_set2_into_set1)
{
    Ps2Rig r;
    rig_init(&r);
    ps2kbd_key(&r.kbd, PC_KEY_A, true);
    ps2kbd_key(&r.kbd, PC_KEY_A, false);
    EXPECT_BYTES(&r, 0x1C, 0xF0, 0x1C);
    rig_cmd_data(&r, 0x60, I8042_CCB_XLAT);
    ps2kbd_key(&r.kbd, PC_KEY_A, true);
    ps2kbd_key(&r.kbd, PC_KEY_A, false);
    ps2kbd_key(&r.kbd, PC_KEY_F7, true);        /* set-2 0x83, the odd one out */
    ps2kbd_key(&r.kbd, PC_KEY_F7, false);
    EXPECT_BYTES(&r, 0x1E, 0x9E, 0x41, 0xC1);
    /* Controller bytes are not translated. */
    rig_cmd_data(&r, 0xD2, 0x1C);
    EXPECT_BYTES(&r, 0x1C);
}
END_TEST

START_TEST(output_is_paced_one_byte_per_read)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd_data(&r, 0x60, I8042_CCB_INT);
    ps2kbd_key(&r.kbd, PC_KEY_B, true);
    ps2kbd_key(&r.kbd, PC_KEY_N, true);
    ck_assert_int_eq(r.rises[1], 1);
    ck_assert_uint_eq(io_space_read(&r.ports, 0x60, 1), 0x32);
    ck_assert_int_eq(r.rises[1], 2);          /* the next byte is a new edge */
    ck_assert_uint_eq(io_space_read(&r.ports, 0x60, 1), 0x31);
    ck_assert_int_eq(r.level[1], 0);
    /* An empty buffer reads back its last byte and changes nothing. */
    ck_assert_uint_eq(io_space_read(&r.ports, 0x60, 1), 0x31);
    ck_assert_int_eq(r.rises[1], 2);
}
END_TEST

START_TEST(disabled_ports_hold_their_data)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd(&r, 0xAD);
    ps2kbd_key(&r.kbd, PC_KEY_Q, true);
    EXPECT_NOTHING(&r);
    rig_cmd(&r, 0xAE);
    EXPECT_BYTES(&r, 0x15);
    rig_aux(&r, 0xF4);
    EXPECT_BYTES(&r, 0xFA);
    rig_cmd(&r, 0xA7);
    ps2mouse_move(&r.mouse, 1, 0, 0, 0);
    EXPECT_NOTHING(&r);
    rig_cmd(&r, 0xA8);
    EXPECT_BYTES(&r, 0x08, 0x01, 0x00);
    /* Sending to a disabled keyboard clocks it again. */
    rig_cmd(&r, 0xAD);
    rig_data(&r, 0xEE);
    EXPECT_BYTES(&r, 0xEE);
    rig_cmd(&r, 0x20);
    EXPECT_BYTES(&r, 0x00);
}
END_TEST

START_TEST(empty_port_times_out)
{
    Ps2Rig r;
    rig_init(&r);
    r.kbc.aux = (Ps2Device){ 0 };
    rig_aux(&r, 0xFF);
    ck_assert(rig_status(&r) & I8042_STATUS_TIMEOUT);
    EXPECT_BYTES(&r, 0xFE);
    rig_data(&r, 0xEE);
    ck_assert(!(rig_status(&r) & I8042_STATUS_TIMEOUT));
    EXPECT_BYTES(&r, 0xEE);
}
END_TEST

START_TEST(unknown_commands_are_ignored_and_logged_once)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd(&r, 0xC8);
    rig_cmd(&r, 0x90);
    EXPECT_NOTHING(&r);
    ck_assert_int_eq(r.logs, 1);
    /* A stray data byte goes to the keyboard, which ACKs it as a command or not. */
    rig_data(&r, 0x00);
    EXPECT_BYTES(&r, 0xFE);
    /* Replies nobody reads are kept in order, up to the reply buffer. */
    for (int i = 0; i < 12; i++)
        rig_cmd(&r, 0xAA);
    for (int i = 0; i < I8042_REPLY_SIZE + 1; i++)     /* the output buffer holds one more */
        ck_assert_int_eq(rig_read(&r), 0x55);
    EXPECT_NOTHING(&r);
}
END_TEST

START_TEST(state_round_trip)
{
    Ps2Rig a, b;
    rig_init(&a);
    rig_init(&b);
    rig_cmd_data(&a, 0x60, I8042_CCB_INT | I8042_CCB_XLAT | I8042_CCB_SYS);
    rig_cmd_data(&a, 0xD2, 0x11);
    rig_cmd_data(&a, 0xD3, 0x22);
    rig_cmd(&a, 0xDD);
    rig_cmd(&a, 0xD1);          /* left waiting for its data byte */
    uint8_t buf[512], again[512];
    size_t n = state_save(&i8042_state, &a.kbc, buf, sizeof(buf));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&i8042_state, &b.kbc, buf, n));
    ck_assert_uint_eq(state_save(&i8042_state, &b.kbc, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
    ck_assert_uint_eq(rig_status(&b), rig_status(&a));
    rig_data(&a, 0xDF);
    rig_data(&b, 0xDF);
    ck_assert_int_eq(b.a20_calls, 1);
    ck_assert(b.a20);
    EXPECT_BYTES(&b, 0x11, 0x22);
    EXPECT_BYTES(&a, 0x11, 0x22);
}
END_TEST

Suite *i8042_suite(void)
{
    Suite *s = suite_create("i8042");
    TCase *tc = tcase_create("i8042");
    tcase_add_test(tc, power_on_status_and_self_test);
    tcase_add_test(tc, command_byte_round_trip_and_a2_flag);
    tcase_add_test(tc, a20_via_output_port_and_hp_commands);
    tcase_add_test(tc, reset_via_pulse_and_output_port);
    tcase_add_test(tc, irq1_only_when_int_is_set);
    tcase_add_test(tc, irq12_routing_for_aux_data);
    tcase_add_test(tc, translation_turns_set2_into_set1);
    tcase_add_test(tc, output_is_paced_one_byte_per_read);
    tcase_add_test(tc, disabled_ports_hold_their_data);
    tcase_add_test(tc, empty_port_times_out);
    tcase_add_test(tc, unknown_commands_are_ignored_and_logged_once);
    tcase_add_test(tc, state_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
