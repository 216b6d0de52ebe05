/* SPDX-License-Identifier: MIT */
/*
 * Virtual-8086 mode and the IOPL rules (SDM vol. 3, ch. 20; vol. 1, 19.5):
 * entry by IRETD with VM set, the IOPL-sensitive instructions trapping to
 * the ring-0 monitor with the V86 frame, INT n through the protected-mode
 * IDT, the I/O permission bitmap, and POPF at CPL 3 silently keeping IF.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

enum { V86_CODE = 0x6000 };

/* IRETD to V86 at 0600:0000 with SS:SP 0700:0100, ES 0800, DS 0900, FS 0A00, GS 0B00. */
#define TO_V86(iopl_bits) \
    0x68, 0x00, 0x0B, 0x00, 0x00, 0x68, 0x00, 0x0A, 0x00, 0x00, \
    0x68, 0x00, 0x09, 0x00, 0x00, 0x68, 0x00, 0x08, 0x00, 0x00, \
    0x68, 0x00, 0x07, 0x00, 0x00, 0x68, 0x00, 0x01, 0x00, 0x00, \
    0x68, 0x02, (iopl_bits), 0x02, 0x00, \
    0x68, 0x00, 0x06, 0x00, 0x00, 0x6A, 0x00, 0xCF

/* Checks the ring-0 frame of an event from V86 with an error code. */
static void check_v86_frame(Fixture *f, uint16_t ip)
{
    ck_assert_uint_eq(f->cpu.gpr[REG_ESP], PM_STACK0 - 40);
    ck_assert_uint_eq(pm_stack(f, 1), ip);
    ck_assert_uint_eq(pm_stack(f, 2), 0x0600);
    ck_assert(pm_stack(f, 3) & EFLAGS_VM);
    ck_assert_uint_eq(pm_stack(f, 4), 0x0100);
    ck_assert_uint_eq(pm_stack(f, 5), 0x0700);
    ck_assert_uint_eq(pm_stack(f, 6), 0x0800);
    ck_assert_uint_eq(pm_stack(f, 7), 0x0900);
    ck_assert_uint_eq(pm_stack(f, 8), 0x0A00);
    ck_assert_uint_eq(pm_stack(f, 9), 0x0B00);
    ck_assert(!(f->cpu.eflags & EFLAGS_VM));
    ck_assert_uint_eq(f->cpu.seg[SEG_DS].sel, 0);
    ck_assert_uint_eq(f->cpu.seg[SEG_GS].sel, 0);
    ck_assert_uint_eq(f->cpu.seg[SEG_CS].sel, SEL_CODE0);
}

START_TEST(iret_enters_v86_and_cli_traps_to_the_monitor)
{
    Fixture f;
    pm_setup(&f, "486");
    PM(TO_V86(0x00));
    wr(&f, 0x9010, 0xBEEF, 2);
    AT(V86_CODE, 0xA1, 0x10, 0x00,      /* mov ax, [0x10]: DS base 0x9000 */
       0xFA);                           /* cli: IOPL 0 < 3 */
    pm_expect(&f, EXC_GP, 0, FAULT_IOPL_V86);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, 0xBEEF);
    check_v86_frame(&f, 3);
    fixture_free(&f);
}
END_TEST

static void sensitive_traps(uint8_t b0, uint8_t b1)
{
    Fixture f;
    pm_setup(&f, "486");
    PM(TO_V86(0x00));
    uint8_t code[] = { b0, b1, 0xF4 };
    pm_write(&f, V86_CODE, code, sizeof(code));
    pm_expect(&f, EXC_GP, 0, FAULT_IOPL_V86);
    check_v86_frame(&f, 0);
    fixture_free(&f);
}

START_TEST(iopl_sensitive_instructions_trap)
{
    sensitive_traps(0xCD, 0x21);        /* int 0x21 */
    sensitive_traps(0x9C, 0x90);        /* pushf */
    sensitive_traps(0x9D, 0x90);        /* popf */
    sensitive_traps(0xFB, 0x90);        /* sti */
    sensitive_traps(0xCF, 0x90);        /* iret */
}
END_TEST

START_TEST(int3_is_not_iopl_sensitive)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_idt(&f, 3, 0xEF);
    PM(TO_V86(0x00));
    AT(V86_CODE, 0xCC);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, pm_handler_addr(3) + 1);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], PM_STACK0 - 36);
    ck_assert_uint_eq(pm_stack(&f, 0), 1);
    ck_assert_uint_eq(pm_stack(&f, 1), 0x0600);
    fixture_free(&f);
}
END_TEST

START_TEST(int_n_with_iopl3_goes_through_the_idt)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_idt(&f, 0x40, 0xEE);
    PM(TO_V86(0x30));
    AT(V86_CODE, 0xFA,                  /* cli: allowed at IOPL 3 */
       0xCD, 0x40);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, pm_handler_addr(0x40) + 1);
    ck_assert_uint_eq(pm_stack(&f, 0), 3);
    ck_assert_uint_eq(pm_stack(&f, 1), 0x0600);
    ck_assert_uint_eq(pm_stack(&f, 2) & (EFLAGS_VM | EFLAGS_IOPL | EFLAGS_IF), EFLAGS_VM | EFLAGS_IOPL);
    ck_assert_uint_eq(pm_stack(&f, 8), 0x0B00);
    ck_assert_uint_eq(f.cpu.seg[SEG_ES].sel, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(io_bitmap_in_v86)
{
    Fixture f;
    pm_setup(&f, "486");
    wr(&f, PM_TSS + PM_IOBASE + 0x80 / 8, 0xFE, 1);     /* port 0x80 allowed */
    PM(TO_V86(0x30));
    AT(V86_CODE, 0xE6, 0x80,            /* out 0x80, al */
       0xE4, 0x61);                     /* in al, 0x61: denied even at IOPL 3 */
    pm_expect(&f, EXC_GP, 0, FAULT_IO_BITMAP);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], 0x61);
    ck_assert_uint_eq(f.cpu.last_fault.detail[1], 1);
    check_v86_frame(&f, 2);
    fixture_free(&f);
}
END_TEST

START_TEST(ring3_popf_keeps_if_and_io_uses_the_bitmap)
{
    Fixture f;
    pm_setup(&f, "486");
    wr(&f, PM_TSS + PM_IOBASE + 0x80 / 8, 0xFE, 1);
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0x68, 0x00, 0x02, 0x00, 0x00,   /* push 0x200 */
       0x9D,                                      /* popfd: IF unchanged, no fault */
       0xE4, 0x80,                                /* in al, 0x80: allowed by the bitmap */
       0x66, 0xE5, 0x80);                         /* in ax, 0x80: port 0x81 denied */
    pm_expect(&f, EXC_GP, 0, FAULT_IO_BITMAP);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3 + 8);
    ck_assert_uint_eq(pm_stack(&f, 3) & EFLAGS_IF, 0);
    ck_assert_uint_eq(f.cpu.last_fault.detail[2], 3);
    fixture_free(&f);
}
END_TEST

Suite *pm_v86_suite(void)
{
    Suite *s = suite_create("pm_v86");
    TCase *tc = tcase_create("v86");
    tcase_add_test(tc, iret_enters_v86_and_cli_traps_to_the_monitor);
    tcase_add_test(tc, iopl_sensitive_instructions_trap);
    tcase_add_test(tc, int3_is_not_iopl_sensitive);
    tcase_add_test(tc, int_n_with_iopl3_goes_through_the_idt);
    tcase_add_test(tc, io_bitmap_in_v86);
    tcase_add_test(tc, ring3_popf_keeps_if_and_io_uses_the_bitmap);
    suite_add_tcase(s, tc);
    return s;
}
