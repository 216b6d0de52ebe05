/* SPDX-License-Identifier: MIT */
/* Declared device state: save/load round trips, skipping, and refusing bad input. */
#include <check.h>
#include <string.h>

#include "state.h"
#include "suites.h"

typedef struct Chip {
    uint8_t mode;
    uint16_t count;
    uint32_t regs[3];
    uint64_t deadline;
    bool armed;
    void *host_only;        /* not part of the state */
} Chip;

static const StateField chip_fields[] = {
    STATE_U8(Chip, mode), STATE_U16(Chip, count), STATE_U32_ARRAY(Chip, regs, 3),
    STATE_U64(Chip, deadline), STATE_BOOL(Chip, armed),
};
static const StateDesc chip_state = STATE_DESC("chip", 1, chip_fields);

START_TEST(round_trip_restores_every_listed_field)
{
    Chip a = { .mode = 3, .count = 0xBEEF, .regs = { 1, 0xFFFFFFFFu, 7 }, .deadline = 1ull << 40,
               .armed = true, .host_only = &a };
    uint8_t buf[256];
    size_t n = state_save(&chip_state, &a, buf, sizeof(buf));
    ck_assert_uint_eq(n, state_size(&chip_state));
    Chip b = { 0 };
    ck_assert(state_load(&chip_state, &b, buf, n));
    ck_assert_uint_eq(b.mode, 3);
    ck_assert_uint_eq(b.count, 0xBEEF);
    ck_assert_uint_eq(b.regs[1], 0xFFFFFFFFu);
    ck_assert_uint_eq(b.deadline, 1ull << 40);
    ck_assert(b.armed);
    ck_assert_ptr_null(b.host_only);
    uint8_t again[256];
    ck_assert_uint_eq(state_save(&chip_state, &b, again, sizeof(again)), n);
    ck_assert_mem_eq(buf, again, n);
}
END_TEST

START_TEST(too_small_buffer_saves_nothing)
{
    Chip a = { 0 };
    uint8_t buf[8];
    ck_assert_uint_eq(state_save(&chip_state, &a, buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(unknown_fields_are_skipped_and_missing_ones_kept)
{
    /* An older layout that had "mode" and an extra field "legacy". */
    typedef struct Old { uint8_t mode; uint32_t legacy; } Old;
    static const StateField old_fields[] = { STATE_U8(Old, mode), STATE_U32(Old, legacy) };
    static const StateDesc old_state = STATE_DESC("chip", 0, old_fields);
    Old o = { .mode = 9, .legacy = 42 };
    uint8_t buf[64];
    size_t n = state_save(&old_state, &o, buf, sizeof(buf));
    Chip c = { .count = 77 };
    ck_assert(state_load(&chip_state, &c, buf, n));
    ck_assert_uint_eq(c.mode, 9);
    ck_assert_uint_eq(c.count, 77);
}
END_TEST

START_TEST(truncated_or_mismatched_input_is_refused)
{
    Chip a = { .mode = 1 };
    uint8_t buf[256];
    size_t n = state_save(&chip_state, &a, buf, sizeof(buf));
    Chip b;
    for (size_t cut = 1; cut < n; cut++) {
        memset(&b, 0, sizeof(b));
        /* A cut inside a field must be refused; a cut between fields loads a prefix. */
        bool ok = state_load(&chip_state, &b, buf, cut);
        if (ok)
            ck_assert_uint_eq(b.mode, 1);
    }
    ck_assert(!state_load(&chip_state, &b, buf, 3));
    uint8_t bad[64];
    memcpy(bad, buf, n < sizeof(bad) ? n : sizeof(bad));
    bad[5] = 4;     /* "mode" now claims to be a u32: a type mismatch */
    ck_assert(!state_load(&chip_state, &b, bad, n < sizeof(bad) ? n : sizeof(bad)));
}
END_TEST

Suite *state_suite(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("state");
    tcase_add_test(tc, round_trip_restores_every_listed_field);
    tcase_add_test(tc, too_small_buffer_saves_nothing);
    tcase_add_test(tc, unknown_fields_are_skipped_and_missing_ones_kept);
    tcase_add_test(tc, truncated_or_mismatched_input_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
