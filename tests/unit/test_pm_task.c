/* SPDX-License-Identifier: MIT */
/*
 * Task switches (SDM vol. 3, ch. 7): CALL to a TSS and IRET back (NT, the
 * back link, busy bits, the saved state), JMP to a TSS, a task gate in the
 * IDT for an exception (the error code on the new task's stack), the
 * checks on the new TSS, and a fault after the commit point delivered in
 * the new task.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

enum { TASK2_CODE = 0x7000, TASK2_STACK = 0x7800 };

/* A 32-bit TSS for task 2 at PM_TSS2, GDT selector SEL_T1. */
static void task2(Fixture *f, uint32_t limit, uint16_t ds)
{
    pm_desc(f, SEL_T1, PM_TSS2, limit, ACC_TSS32, 0);
    wr(f, PM_TSS2 + 0x20, TASK2_CODE, 4);       /* EIP */
    wr(f, PM_TSS2 + 0x24, 0x2, 4);              /* EFLAGS */
    wr(f, PM_TSS2 + 0x38, TASK2_STACK, 4);      /* ESP */
    wr(f, PM_TSS2 + 0x48, SEL_DATA0, 2);        /* ES */
    wr(f, PM_TSS2 + 0x4C, SEL_CODE0, 2);        /* CS */
    wr(f, PM_TSS2 + 0x50, SEL_DATA0, 2);        /* SS */
    wr(f, PM_TSS2 + 0x54, ds, 2);               /* DS */
    wr(f, PM_TSS2 + 0x58, SEL_DATA0, 2);        /* FS */
    wr(f, PM_TSS2 + 0x5C, SEL_DATA0, 2);        /* GS */
}

START_TEST(call_to_tss_and_iret_back)
{
    Fixture f;
    pm_setup(&f, "486");
    task2(&f, 0x67, SEL_DATA0);
    PM(0xB8, 0x11, 0x11, 0x11, 0x11,            /* mov eax, 0x11111111 */
       0x9A, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00,   /* call 0x30:0 */
       0xF4);
    AT(TASK2_CODE, 0x9C, 0x5B,                   /* pushfd; pop ebx */
       0x89, 0x1D, 0x00, 0x05, 0x00, 0x00,       /* mov [0x500], ebx */
       0x0F, 0x00, 0x0D, 0x04, 0x05, 0x00, 0x00, /* str [0x504] */
       0x31, 0xC0,                               /* xor eax, eax */
       0xCF);                                    /* iretd: back to task 1 */
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, PM_BODY + 13);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x11111111);      /* task 1's saved EAX */
    ck_assert_uint_eq(rd(&f, 0x500, 4) & EFLAGS_NT, EFLAGS_NT);  /* task 2 ran nested */
    ck_assert_uint_eq(rd(&f, 0x504, 2), SEL_T1);
    ck_assert_uint_eq(rd(&f, PM_TSS2, 2), SEL_TSS);          /* back link */
    ck_assert_uint_eq(rd(&f, PM_TSS + 0x20, 4), PM_BODY + 12); /* task 1's saved EIP */
    ck_assert_uint_eq(rd(&f, PM_TSS2 + 0x20, 4), TASK2_CODE + 18);
    ck_assert_uint_eq(rd(&f, PM_GDT + SEL_T1 + 5, 1), 0x89);   /* task 2 no longer busy */
    ck_assert_uint_eq(rd(&f, PM_GDT + SEL_TSS + 5, 1), 0x8B);  /* task 1 busy */
    ck_assert_uint_eq(f.cpu.tr.sel, SEL_TSS);
    ck_assert_uint_eq(f.cpu.eflags & EFLAGS_NT, 0);
    ck_assert(f.cpu.cr0 & CR0_TS);
    fixture_free(&f);
}
END_TEST

START_TEST(jmp_to_tss_clears_old_busy)
{
    Fixture f;
    pm_setup(&f, "486");
    task2(&f, 0x67, SEL_DATA0);
    PM(0xEA, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00);
    AT(TASK2_CODE, 0xF4);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, TASK2_CODE + 1);
    ck_assert_uint_eq(f.cpu.tr.sel, SEL_T1);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], TASK2_STACK);
    ck_assert_uint_eq(rd(&f, PM_GDT + SEL_TSS + 5, 1), 0x89);
    ck_assert_uint_eq(rd(&f, PM_GDT + SEL_T1 + 5, 1), 0x8B);
    ck_assert_uint_eq(f.cpu.eflags & EFLAGS_NT, 0);
    ck_assert_uint_eq(rd(&f, PM_TSS2, 2), 0);                /* no back link for JMP */
    fixture_free(&f);
}
END_TEST

START_TEST(task_switch_target_checks)
{
    Fixture f;
    /* JMP to the busy TSS of the running task */
    pm_setup(&f, "486");
    PM(0xEA, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00);
    pm_expect(&f, EXC_GP, SEL_TSS, FAULT_FAR_BUSY_TSS);
    fixture_free(&f);

    /* A TSS shorter than the 104 bytes of the 32-bit layout */
    pm_setup(&f, "486");
    task2(&f, 0x50, SEL_DATA0);
    PM(0xEA, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00);
    pm_expect(&f, EXC_TS, SEL_T1, FAULT_TSS_TOO_SHORT);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_BODY);
    ck_assert_uint_eq(f.cpu.tr.sel, SEL_TSS);
    fixture_free(&f);

    /* RPL 3 above the TSS's DPL 0 */
    pm_setup(&f, "486");
    task2(&f, 0x67, SEL_DATA0);
    PM(0xEA, 0x00, 0x00, 0x00, 0x00, 0x33, 0x00);
    pm_expect(&f, EXC_GP, SEL_T1, FAULT_TSS_PRIV);
    fixture_free(&f);
}
END_TEST

START_TEST(exception_through_task_gate)
{
    Fixture f;
    pm_setup(&f, "486");
    task2(&f, 0x67, SEL_DATA0);
    pm_gate(&f, PM_IDT + 13 * 8, SEL_T1, 0, 0x85, 0);      /* task gate */
    PM(0x66, 0xB8, 0x00, 0x01, 0x8E, 0xD8, 0xF4);          /* mov ds, 0x100: #GP(0x100) */
    AT(TASK2_CODE, 0x58, 0xF4);                             /* pop eax; hlt */
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, TASK2_CODE + 2);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x100);          /* the error code */
    ck_assert_uint_eq(f.cpu.tr.sel, SEL_T1);
    ck_assert_uint_eq(rd(&f, PM_TSS2, 2), SEL_TSS);
    ck_assert_uint_eq(f.cpu.eflags & EFLAGS_NT, EFLAGS_NT);
    ck_assert_uint_eq(rd(&f, PM_TSS + 0x20, 4), PM_BODY + 4);  /* the faulting MOV */
    fixture_free(&f);
}
END_TEST

START_TEST(fault_after_commit_is_delivered_in_new_task)
{
    Fixture f;
    pm_setup(&f, "486");
    task2(&f, 0x67, 0x100);                                 /* DS outside the GDT */
    PM(0xEA, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00);
    pm_expect(&f, EXC_TS, 0x100, FAULT_TASK_SEG_BAD);
    ck_assert_uint_eq(f.cpu.tr.sel, SEL_T1);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], TASK2_STACK - 16);
    ck_assert_uint_eq(pm_stack(&f, 1), TASK2_CODE);         /* the new task's EIP */
    ck_assert_uint_eq(f.cpu.last_fault.eip, TASK2_CODE);
    ck_assert_uint_eq(f.cpu.last_fault.detail[2], SEG_DS);
    fixture_free(&f);
}
END_TEST

/* A bad ring-0 stack in the TSS is #TS; only a task gate can handle that. */
START_TEST(bad_tss_stack_is_ts_through_task_gate)
{
    Fixture f;
    pm_setup(&f, "486");
    task2(&f, 0x67, SEL_DATA0);
    wr(&f, PM_TSS + 8, SEL_DATA3 | 3, 2);                   /* SS0 with RPL 3 */
    pm_gate(&f, PM_IDT + 10 * 8, SEL_T1, 0, 0x85, 0);
    pm_idt(&f, 0x40, 0xEE);
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0xCD, 0x40);                               /* int 0x40 */
    AT(TASK2_CODE, 0x58, 0xF4);                             /* pop eax; hlt */
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, TASK2_CODE + 2);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], SEL_DATA3);       /* EXT clear: INT n */
    ck_assert_uint_eq(f.cpu.last_fault.vector, EXC_TS);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_TSS_SS_BAD);
    ck_assert_uint_eq(f.cpu.last_fault.detail[1], 0);       /* for privilege level 0 */
    ck_assert_uint_eq(rd(&f, PM_TSS + 0x20, 4), PM_RING3);  /* task 1 saved at the INT */
    ck_assert_uint_eq(rd(&f, PM_TSS + 0x4C, 2), SEL_CODE3 | 3);
    fixture_free(&f);
}
END_TEST

Suite *pm_task_suite(void)
{
    Suite *s = suite_create("pm_task");
    TCase *tc = tcase_create("task");
    tcase_add_test(tc, call_to_tss_and_iret_back);
    tcase_add_test(tc, jmp_to_tss_clears_old_busy);
    tcase_add_test(tc, task_switch_target_checks);
    tcase_add_test(tc, exception_through_task_gate);
    tcase_add_test(tc, fault_after_commit_is_delivered_in_new_task);
    tcase_add_test(tc, bad_tss_stack_is_ts_through_task_gate);
    suite_add_tcase(s, tc);
    return s;
}
