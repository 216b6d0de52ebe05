/* SPDX-License-Identifier: MIT */
/* The PS/2 keyboard behind the 8042: commands, scan codes, typematic repeat. */
#include <check.h>

#include "ps2_fixture.h"
#include "suites.h"

static void press(Ps2Rig *r, PcKey key)
{
    ps2kbd_key(&r->kbd, key, true);
}

static void release(Ps2Rig *r, PcKey key)
{
    ps2kbd_key(&r->kbd, key, false);
}

static void tap(Ps2Rig *r, PcKey key)
{
    press(r, key);
    release(r, key);
}

START_TEST(reset_and_identify)
{
    Ps2Rig r;
    rig_init(&r);
    rig_data(&r, 0xFF);
    EXPECT_BYTES(&r, 0xFA, 0xAA);
    ck_assert_int_eq(r.led_calls, 1);
    ck_assert_uint_eq(r.leds, 0);
    rig_data(&r, 0xF2);
    EXPECT_BYTES(&r, 0xFA, 0xAB, 0x83);
    rig_cmd_data(&r, 0x60, I8042_CCB_XLAT);
    rig_data(&r, 0xF2);
    EXPECT_BYTES(&r, 0xFA, 0xAB, 0x41);
}
END_TEST

START_TEST(scan_code_set_get_and_set)
{
    Ps2Rig r;
    rig_init(&r);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x00);
    EXPECT_BYTES(&r, 0xFA, 0xFA, 0x02);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x01);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x00);
    EXPECT_BYTES(&r, 0xFA, 0xFA, 0xFA, 0xFA, 0x01);
    /* Through translation the replies are 43/41/3F. */
    rig_cmd_data(&r, 0x60, I8042_CCB_XLAT);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x03);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x00);
    EXPECT_BYTES(&r, 0xFA, 0xFA, 0xFA, 0xFA, 0x3F);
    /* An invalid set is refused. */
    rig_data(&r, 0xF0);
    rig_data(&r, 0x07);
    EXPECT_BYTES(&r, 0xFA, 0xFE);
}
END_TEST

START_TEST(key_a_in_each_set)
{
    Ps2Rig r;
    rig_init(&r);
    tap(&r, PC_KEY_A);
    EXPECT_BYTES(&r, 0x1C, 0xF0, 0x1C);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x01);
    EXPECT_BYTES(&r, 0xFA, 0xFA);
    tap(&r, PC_KEY_A);
    EXPECT_BYTES(&r, 0x1E, 0x9E);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x03);
    EXPECT_BYTES(&r, 0xFA, 0xFA);
    tap(&r, PC_KEY_A);              /* set 3 default: make only */
    tap(&r, PC_KEY_LEFT_SHIFT);     /* ... but shift keys send breaks */
    EXPECT_BYTES(&r, 0x1C, 0x12, 0xF0, 0x12);
    rig_data(&r, 0xF8);             /* all keys make/break */
    EXPECT_BYTES(&r, 0xFA);
    tap(&r, PC_KEY_UP);
    EXPECT_BYTES(&r, 0x63, 0xF0, 0x63);
    /* FD: these keys make only, the list ended by the next command. */
    rig_data(&r, 0xFD);
    rig_data(&r, 0x63);
    rig_data(&r, 0xEE);
    EXPECT_BYTES(&r, 0xFA, 0xFA, 0xEE);
    tap(&r, PC_KEY_UP);
    EXPECT_BYTES(&r, 0x63);
}
END_TEST

START_TEST(extended_keys_use_e0)
{
    Ps2Rig r;
    rig_init(&r);
    tap(&r, PC_KEY_RIGHT_CTRL);
    tap(&r, PC_KEY_UP);
    tap(&r, PC_KEY_KP_ENTER);
    EXPECT_BYTES(&r, 0xE0, 0x14, 0xE0, 0xF0, 0x14, 0xE0, 0x75, 0xE0, 0xF0, 0x75,
                 0xE0, 0x5A, 0xE0, 0xF0, 0x5A);
    rig_cmd_data(&r, 0x60, I8042_CCB_XLAT);
    tap(&r, PC_KEY_RIGHT_CTRL);
    tap(&r, PC_KEY_LEFT);
    tap(&r, PC_KEY_RIGHT_WIN);
    EXPECT_BYTES(&r, 0xE0, 0x1D, 0xE0, 0x9D, 0xE0, 0x4B, 0xE0, 0xCB, 0xE0, 0x5C, 0xE0, 0xDC);
}
END_TEST

START_TEST(pause_and_print_screen_sequences)
{
    Ps2Rig r;
    rig_init(&r);
    tap(&r, PC_KEY_PAUSE);
    EXPECT_BYTES(&r, 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77);
    tap(&r, PC_KEY_PRINT_SCREEN);
    EXPECT_BYTES(&r, 0xE0, 0x12, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12);
    press(&r, PC_KEY_LEFT_CTRL);
    tap(&r, PC_KEY_PAUSE);          /* Break */
    release(&r, PC_KEY_LEFT_CTRL);
    EXPECT_BYTES(&r, 0x14, 0xE0, 0x7E, 0xE0, 0xF0, 0x7E, 0xF0, 0x14);
    press(&r, PC_KEY_LEFT_ALT);
    tap(&r, PC_KEY_PRINT_SCREEN);   /* SysRq */
    release(&r, PC_KEY_LEFT_ALT);
    EXPECT_BYTES(&r, 0x11, 0x84, 0xF0, 0x84, 0xF0, 0x11);
    rig_cmd_data(&r, 0x60, I8042_CCB_XLAT);
    tap(&r, PC_KEY_PAUSE);
    EXPECT_BYTES(&r, 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5);
    tap(&r, PC_KEY_PRINT_SCREEN);
    EXPECT_BYTES(&r, 0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA);
    press(&r, PC_KEY_RIGHT_ALT);
    tap(&r, PC_KEY_PRINT_SCREEN);
    EXPECT_BYTES(&r, 0xE0, 0x38, 0x54, 0xD4);
}
END_TEST

/* Set 1 (what a translating 8042 delivers) for every key but Pause and PrintScreen. */
static const struct { PcKey key; uint8_t code; bool ext; } set1_table[] = {
    { PC_KEY_ESC, 0x01, 0 }, { PC_KEY_F1, 0x3B, 0 }, { PC_KEY_F2, 0x3C, 0 }, { PC_KEY_F3, 0x3D, 0 },
    { PC_KEY_F4, 0x3E, 0 }, { PC_KEY_F5, 0x3F, 0 }, { PC_KEY_F6, 0x40, 0 }, { PC_KEY_F7, 0x41, 0 },
    { PC_KEY_F8, 0x42, 0 }, { PC_KEY_F9, 0x43, 0 }, { PC_KEY_F10, 0x44, 0 }, { PC_KEY_F11, 0x57, 0 },
    { PC_KEY_F12, 0x58, 0 }, { PC_KEY_SCROLL_LOCK, 0x46, 0 },
    { PC_KEY_GRAVE, 0x29, 0 }, { PC_KEY_1, 0x02, 0 }, { PC_KEY_2, 0x03, 0 }, { PC_KEY_3, 0x04, 0 },
    { PC_KEY_4, 0x05, 0 }, { PC_KEY_5, 0x06, 0 }, { PC_KEY_6, 0x07, 0 }, { PC_KEY_7, 0x08, 0 },
    { PC_KEY_8, 0x09, 0 }, { PC_KEY_9, 0x0A, 0 }, { PC_KEY_0, 0x0B, 0 }, { PC_KEY_MINUS, 0x0C, 0 },
    { PC_KEY_EQUAL, 0x0D, 0 }, { PC_KEY_BACKSPACE, 0x0E, 0 },
    { PC_KEY_TAB, 0x0F, 0 }, { PC_KEY_Q, 0x10, 0 }, { PC_KEY_W, 0x11, 0 }, { PC_KEY_E, 0x12, 0 },
    { PC_KEY_R, 0x13, 0 }, { PC_KEY_T, 0x14, 0 }, { PC_KEY_Y, 0x15, 0 }, { PC_KEY_U, 0x16, 0 },
    { PC_KEY_I, 0x17, 0 }, { PC_KEY_O, 0x18, 0 }, { PC_KEY_P, 0x19, 0 },
    { PC_KEY_LEFT_BRACKET, 0x1A, 0 }, { PC_KEY_RIGHT_BRACKET, 0x1B, 0 }, { PC_KEY_BACKSLASH, 0x2B, 0 },
    { PC_KEY_CAPS_LOCK, 0x3A, 0 }, { PC_KEY_A, 0x1E, 0 }, { PC_KEY_S, 0x1F, 0 }, { PC_KEY_D, 0x20, 0 },
    { PC_KEY_F, 0x21, 0 }, { PC_KEY_G, 0x22, 0 }, { PC_KEY_H, 0x23, 0 }, { PC_KEY_J, 0x24, 0 },
    { PC_KEY_K, 0x25, 0 }, { PC_KEY_L, 0x26, 0 }, { PC_KEY_SEMICOLON, 0x27, 0 },
    { PC_KEY_APOSTROPHE, 0x28, 0 }, { PC_KEY_ENTER, 0x1C, 0 },
    { PC_KEY_LEFT_SHIFT, 0x2A, 0 }, { PC_KEY_NON_US_BACKSLASH, 0x56, 0 }, { PC_KEY_Z, 0x2C, 0 },
    { PC_KEY_X, 0x2D, 0 }, { PC_KEY_C, 0x2E, 0 }, { PC_KEY_V, 0x2F, 0 }, { PC_KEY_B, 0x30, 0 },
    { PC_KEY_N, 0x31, 0 }, { PC_KEY_M, 0x32, 0 }, { PC_KEY_COMMA, 0x33, 0 }, { PC_KEY_PERIOD, 0x34, 0 },
    { PC_KEY_SLASH, 0x35, 0 }, { PC_KEY_RIGHT_SHIFT, 0x36, 0 },
    { PC_KEY_LEFT_CTRL, 0x1D, 0 }, { PC_KEY_LEFT_WIN, 0x5B, 1 }, { PC_KEY_LEFT_ALT, 0x38, 0 },
    { PC_KEY_SPACE, 0x39, 0 }, { PC_KEY_RIGHT_ALT, 0x38, 1 }, { PC_KEY_RIGHT_WIN, 0x5C, 1 },
    { PC_KEY_MENU, 0x5D, 1 }, { PC_KEY_RIGHT_CTRL, 0x1D, 1 },
    { PC_KEY_INSERT, 0x52, 1 }, { PC_KEY_HOME, 0x47, 1 }, { PC_KEY_PAGE_UP, 0x49, 1 },
    { PC_KEY_DELETE, 0x53, 1 }, { PC_KEY_END, 0x4F, 1 }, { PC_KEY_PAGE_DOWN, 0x51, 1 },
    { PC_KEY_UP, 0x48, 1 }, { PC_KEY_LEFT, 0x4B, 1 }, { PC_KEY_DOWN, 0x50, 1 }, { PC_KEY_RIGHT, 0x4D, 1 },
    { PC_KEY_NUM_LOCK, 0x45, 0 }, { PC_KEY_KP_DIVIDE, 0x35, 1 }, { PC_KEY_KP_MULTIPLY, 0x37, 0 },
    { PC_KEY_KP_MINUS, 0x4A, 0 }, { PC_KEY_KP_7, 0x47, 0 }, { PC_KEY_KP_8, 0x48, 0 },
    { PC_KEY_KP_9, 0x49, 0 }, { PC_KEY_KP_PLUS, 0x4E, 0 }, { PC_KEY_KP_4, 0x4B, 0 },
    { PC_KEY_KP_5, 0x4C, 0 }, { PC_KEY_KP_6, 0x4D, 0 }, { PC_KEY_KP_1, 0x4F, 0 },
    { PC_KEY_KP_2, 0x50, 0 }, { PC_KEY_KP_3, 0x51, 0 }, { PC_KEY_KP_ENTER, 0x1C, 1 },
    { PC_KEY_KP_0, 0x52, 0 }, { PC_KEY_KP_DECIMAL, 0x53, 0 },
};

START_TEST(every_key_translates_to_its_set1_code)
{
    /* Every PcKey is in the table once: the table plus Pause and PrintScreen. */
    ck_assert_int_eq(sizeof(set1_table) / sizeof(set1_table[0]) + 2, PC_KEY_COUNT - 1);
    Ps2Rig r;
    rig_init(&r);
    rig_cmd_data(&r, 0x60, I8042_CCB_XLAT);
    for (size_t i = 0; i < sizeof(set1_table) / sizeof(set1_table[0]); i++) {
        tap(&r, set1_table[i].key);
        if (set1_table[i].ext)
            EXPECT_BYTES(&r, 0xE0, set1_table[i].code, 0xE0, set1_table[i].code | 0x80);
        else
            EXPECT_BYTES(&r, set1_table[i].code, set1_table[i].code | 0x80);
    }
    /* ... and untranslated set 1 gives the same bytes. */
    rig_cmd_data(&r, 0x60, 0);
    rig_data(&r, 0xF0);
    rig_data(&r, 0x01);
    EXPECT_BYTES(&r, 0xFA, 0xFA);
    tap(&r, PC_KEY_KP_DIVIDE);
    EXPECT_BYTES(&r, 0xE0, 0x35, 0xE0, 0xB5);
}
END_TEST

START_TEST(leds_typematic_echo_resend_unknown)
{
    Ps2Rig r;
    rig_init(&r);
    rig_data(&r, 0xED);
    rig_data(&r, PS2KBD_LED_CAPS | PS2KBD_LED_NUM);
    EXPECT_BYTES(&r, 0xFA, 0xFA);
    ck_assert_uint_eq(r.leds, 6);
    rig_data(&r, 0xF3);
    rig_data(&r, 0x20);
    EXPECT_BYTES(&r, 0xFA, 0xFA);
    ck_assert_uint_eq(r.kbd.typematic, 0x20);
    rig_data(&r, 0xEE);
    EXPECT_BYTES(&r, 0xEE);
    rig_data(&r, 0xFE);
    EXPECT_BYTES(&r, 0xEE);
    rig_data(&r, 0xE0);
    EXPECT_BYTES(&r, 0xFE);
    /* A command where an argument was expected is taken as a command. */
    rig_data(&r, 0xED);
    rig_data(&r, 0xF2);
    EXPECT_BYTES(&r, 0xFA, 0xFA, 0xAB, 0x83);
    ck_assert_uint_eq(r.leds, 6);
}
END_TEST

START_TEST(disable_enable_and_defaults)
{
    Ps2Rig r;
    rig_init(&r);
    rig_data(&r, 0xF3);
    rig_data(&r, 0x00);
    rig_data(&r, 0xF5);
    EXPECT_BYTES(&r, 0xFA, 0xFA, 0xFA);
    ck_assert_uint_eq(r.kbd.typematic, 0x2B);     /* F5 restores the defaults */
    tap(&r, PC_KEY_Z);
    EXPECT_NOTHING(&r);
    rig_data(&r, 0xF4);
    EXPECT_BYTES(&r, 0xFA);
    tap(&r, PC_KEY_Z);
    EXPECT_BYTES(&r, 0x1A, 0xF0, 0x1A);
    rig_data(&r, 0xF6);
    EXPECT_BYTES(&r, 0xFA);
    tap(&r, PC_KEY_Z);
    EXPECT_BYTES(&r, 0x1A, 0xF0, 0x1A);
}
END_TEST

START_TEST(typematic_repeat_in_virtual_time)
{
    Ps2Rig r;
    rig_init(&r);
    ck_assert_uint_eq(ps2kbd_typematic_delay_ns(0x2B), 500000000ull);
    ck_assert_uint_eq(ps2kbd_typematic_period_ns(0x2B), 91666666ull);   /* 10.9 cps */
    ck_assert_uint_eq(ps2kbd_typematic_period_ns(0x00), 33333333ull);   /* 30 cps */
    ck_assert_uint_eq(ps2kbd_typematic_period_ns(0x1F), 500000000ull);  /* 2 cps */
    rig_data(&r, 0xF3);
    rig_data(&r, 0x00);         /* 250 ms, 30 cps */
    EXPECT_BYTES(&r, 0xFA, 0xFA);
    press(&r, PC_KEY_A);
    press(&r, PC_KEY_A);        /* the host's own repeat is ignored */
    EXPECT_BYTES(&r, 0x1C);
    clock_advance_to(&r.clock, 249999999);
    EXPECT_NOTHING(&r);
    clock_advance_to(&r.clock, 250000000);
    EXPECT_BYTES(&r, 0x1C);
    clock_advance_to(&r.clock, 250000000 + 33333332);
    EXPECT_NOTHING(&r);
    clock_advance_to(&r.clock, 250000000 + 33333333);
    EXPECT_BYTES(&r, 0x1C);
    /* A second key takes over the repeat. */
    press(&r, PC_KEY_B);
    EXPECT_BYTES(&r, 0x32);
    clock_advance_to(&r.clock, 283333333 + 250000000);
    EXPECT_BYTES(&r, 0x32);
    release(&r, PC_KEY_B);
    EXPECT_BYTES(&r, 0xF0, 0x32);
    clock_advance_to(&r.clock, 2000000000);
    EXPECT_NOTHING(&r);
    ck_assert_uint_eq(r.kbd.repeat.deadline, CLOCK_NEVER);
    release(&r, PC_KEY_A);
    EXPECT_BYTES(&r, 0xF0, 0x1C);
    /* Pause does not repeat. */
    press(&r, PC_KEY_PAUSE);
    EXPECT_BYTES(&r, 0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77);
    clock_advance_to(&r.clock, 4000000000ull);
    EXPECT_NOTHING(&r);
}
END_TEST

START_TEST(buffer_overrun_code)
{
    Ps2Rig r;
    rig_init(&r);
    rig_cmd(&r, 0xAD);
    static const PcKey keys[] = { PC_KEY_Q, PC_KEY_W, PC_KEY_E, PC_KEY_R, PC_KEY_T, PC_KEY_Y,
                                  PC_KEY_U, PC_KEY_I, PC_KEY_O, PC_KEY_P, PC_KEY_A, PC_KEY_S,
                                  PC_KEY_D, PC_KEY_F, PC_KEY_G, PC_KEY_H, PC_KEY_J, PC_KEY_K };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        press(&r, keys[i]);
    rig_cmd(&r, 0xAE);
    EXPECT_BYTES(&r, 0x15, 0x1D, 0x24, 0x2D, 0x2C, 0x35, 0x3C, 0x43, 0x44, 0x4D, 0x1C, 0x1B,
                 0x23, 0x2B, 0x34, 0x00);
    release(&r, PC_KEY_Q);
    EXPECT_BYTES(&r, 0xF0, 0x15);
}
END_TEST

START_TEST(state_round_trip_keeps_typematic)
{
    Ps2Rig a, b;
    rig_init(&a);
    rig_init(&b);
    rig_cmd_data(&a, 0x60, I8042_CCB_XLAT | I8042_CCB_INT);
    rig_data(&a, 0xED);
    rig_data(&a, 0x01);
    EXPECT_BYTES(&a, 0xFA, 0xFA);
    press(&a, PC_KEY_LEFT_CTRL);
    press(&a, PC_KEY_X);
    clock_advance_to(&a.clock, 100000000);
    uint8_t kbc_buf[512], kbd_buf[1024], again[1024];
    size_t nc = state_save(&i8042_state, &a.kbc, kbc_buf, sizeof(kbc_buf));
    size_t nk = state_save(&ps2kbd_state, &a.kbd, kbd_buf, sizeof(kbd_buf));
    ck_assert_uint_gt(nc, 0);
    ck_assert_uint_gt(nk, 0);
    clock_advance_to(&b.clock, 100000000);
    ck_assert(state_load(&i8042_state, &b.kbc, kbc_buf, nc));
    ck_assert(state_load(&ps2kbd_state, &b.kbd, kbd_buf, nk));
    ck_assert_uint_eq(state_save(&ps2kbd_state, &b.kbd, again, sizeof(again)), nk);
    ck_assert_mem_eq(kbd_buf, again, nk);
    Ps2Rig *rigs[] = { &a, &b };
    for (int i = 0; i < 2; i++) {
        Ps2Rig *r = rigs[i];
        clock_advance_to(&r->clock, 500000000);
        release(r, PC_KEY_LEFT_CTRL);       /* still known to be held after the load */
        EXPECT_BYTES(r, 0x1D, 0x2D, 0x2D, 0x9D);
    }
}
END_TEST

Suite *ps2kbd_suite(void)
{
    Suite *s = suite_create("ps2kbd");
    TCase *tc = tcase_create("ps2kbd");
    tcase_add_test(tc, reset_and_identify);
    tcase_add_test(tc, scan_code_set_get_and_set);
    tcase_add_test(tc, key_a_in_each_set);
    tcase_add_test(tc, extended_keys_use_e0);
    tcase_add_test(tc, pause_and_print_screen_sequences);
    tcase_add_test(tc, every_key_translates_to_its_set1_code);
    tcase_add_test(tc, leds_typematic_echo_resend_unknown);
    tcase_add_test(tc, disable_enable_and_defaults);
    tcase_add_test(tc, typematic_repeat_in_virtual_time);
    tcase_add_test(tc, buffer_overrun_code);
    tcase_add_test(tc, state_round_trip_keeps_typematic);
    suite_add_tcase(s, tc);
    return s;
}
