/* SPDX-License-Identifier: MIT */
/*
 * Guest code never crashes or hangs the host: thousands of random byte
 * strings run as code on a bare CPU of every model, in real mode and in
 * 32-bit protected mode, each for a bounded number of instructions.  They
 * reach the decoder's odd corners, the x87, MMX, SYSENTER and system
 * instructions with random operands, and faults inside faults.  The checks
 * are that every run returns, that the CPU's invariants hold afterwards,
 * and (in CI, under ASan and UBSan) that no access goes astray.
 */
#include "pm_fixture.h"

static uint32_t next_random(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 8;
}

static void fill_random(Fixture *f, uint32_t at, unsigned n, uint32_t *seed)
{
    for (unsigned i = 0; i < n; i++)
        wr(f, at + i, next_random(seed) & 0xFF, 1);
}

static void check_invariants(const Cpu *cpu)
{
    ck_assert_uint_eq(cpu->eflags & EFLAGS_FIXED1, EFLAGS_FIXED1);
    ck_assert_int_le(cpu->fault_chain_len, CPU_FAULT_CHAIN);
    ck_assert_int_le(cpu->fault_depth, 2);
}

START_TEST(random_real_mode_code)
{
    static const char *const models[] = { "386", "486", "pentium", "pentium2", "p6-nx" };
    uint32_t seed = 20261124u + (uint32_t)_i;
    for (int run = 0; run < 2000; run++) {
        Fixture f;
        fixture_init(&f, models[run % 5]);
        fill_random(&f, FIXTURE_CODE, 256, &seed);
        /* Every vector to a random handler in the same soup. */
        for (unsigned v = 0; v < 256; v++)
            wr(&f, v * 4, FIXTURE_CODE + (next_random(&seed) & 0xFF), 2);
        CpuStop stop = cpu_run(&f.cpu, 2000);
        ck_assert(stop == CPU_STOP_BUDGET || stop == CPU_STOP_HALT || stop == CPU_STOP_SHUTDOWN);
        check_invariants(&f.cpu);
        fixture_free(&f);
    }
}
END_TEST

START_TEST(random_protected_mode_code)
{
    static const char *const models[] = { "386", "486", "pentium", "pentium2", "p6-nx" };
    uint32_t seed = 4242u + (uint32_t)_i;
    for (int run = 0; run < 1000; run++) {
        Fixture f;
        pm_setup(&f, models[run % 5]);
        fill_random(&f, PM_BODY, 256, &seed);
        CpuStop stop = cpu_run(&f.cpu, 3000);
        ck_assert(stop == CPU_STOP_BUDGET || stop == CPU_STOP_HALT || stop == CPU_STOP_SHUTDOWN);
        check_invariants(&f.cpu);
        fixture_free(&f);
    }
}
END_TEST

Suite *random_code_suite(void)
{
    Suite *s = suite_create("random_code");
    TCase *tc = tcase_create("random");
    tcase_add_loop_test(tc, random_real_mode_code, 0, 4);
    tcase_add_loop_test(tc, random_protected_mode_code, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}
