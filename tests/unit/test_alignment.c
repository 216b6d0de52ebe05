/* SPDX-License-Identifier: MIT */
/*
 * The alignment check (SDM vol. 3, 6.15, "Interrupt 17"): with CR0.AM and
 * EFLAGS.AC set, a misaligned data or stack access at CPL 3 is #AC(0), a
 * fault reported at the instruction; at CPL 0, with either bit clear, or on
 * a 386 (which has neither bit) the same access goes through.  Each test
 * enters ring 3, sets AC there with PUSHFD/POPFD, makes the access and then
 * runs HLT, whose #GP at CPL 3 shows that nothing faulted before it.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

enum { ACCESS = PM_RING3 + 15, DATA_AT = 0x5000 };

/* Ring 0: CR0.AM if asked, then IRETD to ring 3 at PM_RING3 (which leaves
 * DS null); ring 3: DS loaded, AC set if asked, the access at ACCESS, HLT. */
static void setup(Fixture *f, const char *model, bool am, bool ac,
                  const uint8_t *access, size_t n)
{
    static const uint8_t set_am[] = {
        0x0F, 0x20, 0xC0,                       /* mov eax, cr0 */
        0x0D, 0x00, 0x00, 0x04, 0x00,           /* or eax, CR0.AM */
        0x0F, 0x22, 0xC0,                       /* mov cr0, eax */
    };
    static const uint8_t no_am[sizeof set_am] = {
        0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
    };
    static const uint8_t to_ring3[] = { TO_RING3(0x00) };
    static const uint8_t load_ds[] = {
        0x66, 0xB8, 0x23, 0x00,                 /* mov ax, SEL_DATA3 | 3 */
        0x8E, 0xD8,                             /* mov ds, ax */
    };
    static const uint8_t set_ac[] = {
        0x9C,                                   /* pushfd */
        0x81, 0x0C, 0x24, 0x00, 0x00, 0x04, 0x00, /* or dword [esp], EFLAGS.AC */
        0x9D,                                   /* popfd */
    };
    static const uint8_t no_ac[sizeof set_ac] = {
        0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
    };
    static const uint8_t hlt = 0xF4;

    pm_setup(f, model);
    pm_write(f, PM_BODY, am ? set_am : no_am, sizeof set_am);
    pm_write(f, PM_BODY + sizeof set_am, to_ring3, sizeof to_ring3);
    pm_write(f, PM_RING3, load_ds, sizeof load_ds);
    pm_write(f, PM_RING3 + sizeof load_ds, ac ? set_ac : no_ac, sizeof set_ac);
    pm_write(f, ACCESS, access, n);
    pm_write(f, ACCESS + n, &hlt, 1);
}

/* #AC(0) at the access: the handler's frame holds error code 0, then the
 * EIP of the access, the ring-3 CS. */
static void expect_ac(Fixture *f, uint32_t lin, unsigned size)
{
    pm_expect(f, EXC_AC, 0, FAULT_ALIGNMENT_CHECK);
    ck_assert_uint_eq(pm_stack(f, 1), ACCESS);
    ck_assert_uint_eq(pm_stack(f, 2), SEL_CODE3 | 3);
    ck_assert_uint_eq(f->cpu.last_fault.detail[0], lin);
    ck_assert_uint_eq(f->cpu.last_fault.detail[1], size);
}

/* No fault until the HLT after the access. */
static void expect_no_ac(Fixture *f, size_t n)
{
    pm_expect(f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
    ck_assert_uint_eq(pm_stack(f, 1), ACCESS + n);
}

static const uint8_t read_word_odd[] = { 0x66, 0xA1, 0x01, 0x50, 0x00, 0x00 }; /* mov ax, [5001h] */
static const uint8_t read_dword_2[] = { 0xA1, 0x02, 0x50, 0x00, 0x00 };        /* mov eax, [5002h] */

START_TEST(misaligned_word_and_dword_reads_fault_at_cpl3_with_am_and_ac)
{
    Fixture f;
    setup(&f, "486", true, true, read_word_odd, sizeof read_word_odd);
    expect_ac(&f, DATA_AT + 1, 2);
    fixture_free(&f);

    setup(&f, "pentium", true, true, read_dword_2, sizeof read_dword_2);
    expect_ac(&f, DATA_AT + 2, 4);
    fixture_free(&f);
}
END_TEST

START_TEST(a_misaligned_write_faults_before_memory_changes)
{
    static const uint8_t write[] = {
        0xA3, 0x03, 0x50, 0x00, 0x00,           /* mov [5003h], eax */
    };
    Fixture f;
    setup(&f, "pentium", true, true, write, sizeof write);
    wr(&f, DATA_AT, 0x11223344, 4);
    wr(&f, DATA_AT + 4, 0x55667788, 4);
    expect_ac(&f, DATA_AT + 3, 4);
    ck_assert_uint_eq(rd(&f, DATA_AT, 4), 0x11223344);
    ck_assert_uint_eq(rd(&f, DATA_AT + 4, 4), 0x55667788);
    fixture_free(&f);
}
END_TEST

START_TEST(aligned_and_byte_accesses_pass)
{
    static const uint8_t accesses[] = {
        0xA1, 0x04, 0x50, 0x00, 0x00,           /* mov eax, [5004h] */
        0x66, 0xA1, 0x02, 0x50, 0x00, 0x00,     /* mov ax, [5002h] */
        0xA0, 0x03, 0x50, 0x00, 0x00,           /* mov al, [5003h] */
    };
    Fixture f;
    setup(&f, "pentium", true, true, accesses, sizeof accesses);
    expect_no_ac(&f, sizeof accesses);
    fixture_free(&f);
}
END_TEST

START_TEST(no_check_with_am_or_ac_clear)
{
    Fixture f;
    setup(&f, "pentium", false, true, read_dword_2, sizeof read_dword_2);
    expect_no_ac(&f, sizeof read_dword_2);
    fixture_free(&f);

    setup(&f, "pentium", true, false, read_dword_2, sizeof read_dword_2);
    expect_no_ac(&f, sizeof read_dword_2);
    fixture_free(&f);
}
END_TEST

/* The 386 has no CR0.AM and its EFLAGS.AC cannot be set. */
START_TEST(no_check_on_the_386)
{
    Fixture f;
    setup(&f, "386", true, true, read_dword_2, sizeof read_dword_2);
    expect_no_ac(&f, sizeof read_dword_2);
    ck_assert_uint_eq(f.cpu.cr0 & CR0_AM, 0);
    ck_assert_uint_eq(pm_stack(&f, 3) & EFLAGS_AC, 0);    /* the ring-3 EFLAGS */
    fixture_free(&f);
}
END_TEST

/* Ring 0 with AM and AC: the same read goes through. */
START_TEST(no_check_at_cpl0)
{
    Fixture f;
    pm_setup(&f, "pentium");
    PM(0x0F, 0x20, 0xC0,                        /* mov eax, cr0 */
       0x0D, 0x00, 0x00, 0x04, 0x00,            /* or eax, CR0.AM */
       0x0F, 0x22, 0xC0,                        /* mov cr0, eax */
       0x9C,                                    /* pushfd */
       0x81, 0x0C, 0x24, 0x00, 0x00, 0x04, 0x00, /* or dword [esp], EFLAGS.AC */
       0x9D,                                    /* popfd */
       0xA1, 0x02, 0x50, 0x00, 0x00,            /* mov eax, [5002h] */
       0xF4);                                   /* hlt */
    wr(&f, DATA_AT, 0x44332211, 4);
    wr(&f, DATA_AT + 4, 0x88776655, 4);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, PM_BODY + 26);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x66554433);
    ck_assert(f.cpu.eflags & EFLAGS_AC);
    fixture_free(&f);
}
END_TEST

/* Stack accesses are data accesses: a PUSH with ESP 2 mod 4 faults, and
 * ESP is as it was before the PUSH. */
START_TEST(a_misaligned_push_faults)
{
    static const uint8_t pushes[] = {
        0x66, 0x6A, 0x00,                       /* push word 0: ESP 2 mod 4 */
        0x6A, 0x00,                             /* push dword 0 */
    };
    Fixture f;
    setup(&f, "pentium", true, true, pushes, sizeof pushes);
    pm_expect(&f, EXC_AC, 0, FAULT_ALIGNMENT_CHECK);
    ck_assert_uint_eq(pm_stack(&f, 1), ACCESS + 3);
    ck_assert_uint_eq(pm_stack(&f, 4), PM_STACK3 - 2);     /* the ring-3 ESP */
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], PM_STACK3 - 6);
    fixture_free(&f);
}
END_TEST

Suite *alignment_suite(void)
{
    Suite *s = suite_create("alignment");
    TCase *tc = tcase_create("alignment");
    tcase_add_test(tc, misaligned_word_and_dword_reads_fault_at_cpl3_with_am_and_ac);
    tcase_add_test(tc, a_misaligned_write_faults_before_memory_changes);
    tcase_add_test(tc, aligned_and_byte_accesses_pass);
    tcase_add_test(tc, no_check_with_am_or_ac_clear);
    tcase_add_test(tc, no_check_on_the_386);
    tcase_add_test(tc, no_check_at_cpl0);
    tcase_add_test(tc, a_misaligned_push_faults);
    suite_add_tcase(s, tc);
    return s;
}
