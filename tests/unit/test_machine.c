/* SPDX-License-Identifier: MIT */
/*
 * The machine: configuration errors, the built-in guest's run to its exit
 * port, determinism, and two machines side by side in one process.
 */
#include <check.h>
#include <string.h>

#include "machine.h"
#include "suites.h"

extern const uint8_t builtin_guest[];
extern const size_t builtin_guest_size;

typedef struct Console {
    char text[2048];
    size_t len;
} Console;

static void put(void *opaque, uint8_t ch)
{
    Console *c = opaque;
    if (c->len + 1 < sizeof(c->text))
        c->text[c->len++] = (char)ch;
}

static MachineConfig config(Console *console, const char *model)
{
    return (MachineConfig){ .ram_bytes = 16u << 20, .cpu_model = model, .ips = 50000000,
                            .program = builtin_guest, .program_size = builtin_guest_size,
                            .console_char = put, .host_opaque = console };
}

START_TEST(bad_configuration_is_an_error_not_a_crash)
{
    char err[160];
    Console c = { 0 };
    MachineConfig cfg = config(&c, "pentium");
    cfg.ram_bytes = 0;
    ck_assert_ptr_null(machine_create(&cfg, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "RAM size"));
    cfg.ram_bytes = 4096ull << 20;
    ck_assert_ptr_null(machine_create(&cfg, err, sizeof(err)));
    cfg = config(&c, "z80");
    ck_assert_ptr_null(machine_create(&cfg, err, sizeof(err)));
    ck_assert_ptr_nonnull(strstr(err, "z80"));
}
END_TEST

START_TEST(builtin_guest_passes_its_self_checks_on_every_model)
{
    static const char *const models[] = { "386", "486", "pentium", "pentium2" };
    static const char *const expect[] = { "CPU: 386", "CPU: 486", "vendor GenuineIntel, family 5",
                                          "vendor GenuineIntel, family 6" };
    for (int i = 0; i < 4; i++) {
        Console c = { 0 };
        MachineConfig cfg = config(&c, models[i]);
        Machine *m = machine_create(&cfg, NULL, 0);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(machine_run(m, 1000000000ull), MACHINE_STOP_GUEST_EXIT);
        ck_assert_int_eq(machine_guest_exit_status(m), 1);     /* (0 << 1) | 1: no failures */
        ck_assert_msg(strstr(c.text, expect[i]), "model %s printed: %s", models[i], c.text);
        ck_assert_ptr_nonnull(strstr(c.text, "self-check finished: 0 failed"));
        machine_destroy(m);
    }
}
END_TEST

START_TEST(two_machines_interleaved_match_one_alone)
{
    Console a = { 0 }, b = { 0 }, solo = { 0 };
    MachineConfig ca = config(&a, "pentium"), cb = config(&b, "pentium"), cs = config(&solo, "pentium");
    Machine *ma = machine_create(&ca, NULL, 0), *mb = machine_create(&cb, NULL, 0);
    Machine *ms = machine_create(&cs, NULL, 0);
    /* Run a and b in alternating small slices; they must not disturb each other. */
    MachineStop sa = MACHINE_STOP_TIME, sb = MACHINE_STOP_TIME;
    for (uint64_t t = 1000; t < 1000000000ull && (sa == MACHINE_STOP_TIME || sb == MACHINE_STOP_TIME); t += 1000) {
        if (sa == MACHINE_STOP_TIME)
            sa = machine_run(ma, t);
        if (sb == MACHINE_STOP_TIME)
            sb = machine_run(mb, t);
    }
    ck_assert_int_eq(machine_run(ms, 1000000000ull), MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(sa, MACHINE_STOP_GUEST_EXIT);
    ck_assert_int_eq(sb, MACHINE_STOP_GUEST_EXIT);
    ck_assert_uint_eq(machine_instructions(ma), machine_instructions(ms));
    ck_assert_uint_eq(machine_instructions(mb), machine_instructions(ms));
    ck_assert_uint_eq(machine_state_hash(ma), machine_state_hash(ms));
    ck_assert_uint_eq(machine_state_hash(mb), machine_state_hash(ms));
    ck_assert_str_eq(a.text, solo.text);
    machine_destroy(ma);
    machine_destroy(mb);
    machine_destroy(ms);
}
END_TEST

START_TEST(state_hash_sees_a_difference)
{
    Console a = { 0 }, b = { 0 };
    MachineConfig ca = config(&a, "pentium"), cb = config(&b, "486");
    Machine *ma = machine_create(&ca, NULL, 0), *mb = machine_create(&cb, NULL, 0);
    machine_run(ma, 1000000000ull);
    machine_run(mb, 1000000000ull);
    ck_assert_uint_ne(machine_state_hash(ma), machine_state_hash(mb));
    machine_destroy(ma);
    machine_destroy(mb);
}
END_TEST

START_TEST(virtual_time_follows_the_instruction_rate)
{
    static const uint8_t spin[] = { 0xEB, 0xFE };   /* jmp $ */
    MachineConfig cfg = { .ram_bytes = 1u << 20, .cpu_model = "386", .ips = 1000000,
                          .program = spin, .program_size = sizeof(spin) };
    Machine *m = machine_create(&cfg, NULL, 0);
    ck_assert_int_eq(machine_run(m, 5000000), MACHINE_STOP_TIME);     /* 5 ms at 1 MIPS */
    ck_assert_uint_eq(machine_instructions(m), 5000);
    ck_assert_uint_eq(machine_now_ns(m), 5000000);
    machine_destroy(m);
}
END_TEST

START_TEST(halt_with_interrupts_off_stops_the_machine)
{
    static const uint8_t code[] = { 0xFA, 0xF4 };   /* cli; hlt */
    MachineConfig cfg = { .ram_bytes = 1u << 20, .cpu_model = "386", .program = code, .program_size = 2 };
    Machine *m = machine_create(&cfg, NULL, 0);
    ck_assert_int_eq(machine_run(m, 1000000000ull), MACHINE_STOP_HALTED);
    ck_assert_uint_eq(machine_instructions(m), 2);
    machine_destroy(m);
}
END_TEST

Suite *machine_suite(void)
{
    Suite *s = suite_create("machine");
    TCase *tc = tcase_create("machine");
    tcase_add_test(tc, bad_configuration_is_an_error_not_a_crash);
    tcase_add_test(tc, builtin_guest_passes_its_self_checks_on_every_model);
    tcase_add_test(tc, two_machines_interleaved_match_one_alone);
    tcase_add_test(tc, state_hash_sees_a_difference);
    tcase_add_test(tc, virtual_time_follows_the_instruction_rate);
    tcase_add_test(tc, halt_with_interrupts_off_stops_the_machine);
    suite_add_tcase(s, tc);
    return s;
}
