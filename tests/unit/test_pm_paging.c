/* SPDX-License-Identifier: MIT */
/*
 * Paging meets privilege: a page that ring 0 may execute but ring 3 may not
 * must fault the moment ring 3 fetches from it, even right after ring 0 ran
 * code in that very page (the decoder's fetch cache must not carry the
 * supervisor's right across the change of CPL).
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

enum { PD = 0x20000, PT = 0x21000, SUPER_CODE = 0x3100 };

START_TEST(ring3_fetch_from_a_supervisor_page_faults_after_ring0_ran_there)
{
    Fixture f;
    pm_setup(&f, "pentium");
    wr(&f, PD, PT | PTE_P | PTE_RW | PTE_US, 4);
    for (unsigned i = 0; i < 512; i++)
        wr(&f, PT + i * 4, (i << 12) | PTE_P | PTE_RW | PTE_US, 4);
    wr(&f, PT + 3 * 4, 0x3000 | PTE_P | PTE_RW, 4);     /* page 3000h: supervisor only */
    PM(0xB8, 0x00, 0x00, 0x02, 0x00,                    /* mov eax, PD */
       0x0F, 0x22, 0xD8,                                /* mov cr3, eax */
       0x0F, 0x20, 0xC0,                                /* mov eax, cr0 */
       0x0D, 0x00, 0x00, 0x00, 0x80,                    /* or eax, CR0.PG */
       0x0F, 0x22, 0xC0,                                /* mov cr0, eax */
       0xE9, 0xCE, 0x10, 0x00, 0x00);                   /* jmp 3100h (ring 0, page 3000h) */
    AT(SUPER_CODE, TO_RING3(0x02));                     /* iretd to ring 3 at 3000h */
    AT(PM_RING3, 0x90, 0xF4);                           /* nop; hlt */
    /* Present, user-mode read access (an instruction fetch without NX). */
    pm_expect(&f, EXC_PF, PF_ERR_P | PF_ERR_U, FAULT_PAGE_USER_SUPERVISOR);
    ck_assert_uint_eq(f.cpu.cr2, PM_RING3);
    fixture_free(&f);
}
END_TEST

Suite *pm_paging_suite(void)
{
    Suite *s = suite_create("pm_paging");
    TCase *tc = tcase_create("pm_paging");
    tcase_add_test(tc, ring3_fetch_from_a_supervisor_page_faults_after_ring0_ran_there);
    suite_add_tcase(s, tc);
    return s;
}
