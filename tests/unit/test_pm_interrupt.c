/* SPDX-License-Identifier: MIT */
/*
 * Protected-mode interrupt and exception delivery (SDM vol. 3, ch. 6):
 * interrupt and trap gates from ring 3 with the stack switch through the
 * TSS, IRET back to ring 3, the gate checks of INT n with their error codes,
 * the serial delivery of a benign pair, #DF from a contributory pair, the
 * triple fault, and an external interrupt after the STI shadow.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

enum { ACC_TRAPGATE3 = 0xEF, ACC_INTGATE3 = 0xEE };

START_TEST(trap_gate_from_ring3_switches_stacks)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_idt(&f, 0x40, ACC_TRAPGATE3);
    PM(TO_RING3(0x02));                                  /* IF=1 at ring 3 */
    AT(PM_RING3, 0xCD, 0x40);                            /* int 0x40 */
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, pm_handler_addr(0x40) + 1);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], PM_STACK0 - 20);
    ck_assert_uint_eq(pm_stack(&f, 0), PM_RING3 + 2);    /* a trap: the next instruction */
    ck_assert_uint_eq(pm_stack(&f, 1), SEL_CODE3 | 3);
    ck_assert_uint_eq(pm_stack(&f, 2), 0x202);
    ck_assert_uint_eq(pm_stack(&f, 3), PM_STACK3);
    ck_assert_uint_eq(pm_stack(&f, 4), SEL_DATA3 | 3);
    ck_assert(f.cpu.eflags & EFLAGS_IF);                 /* a trap gate keeps IF */
    ck_assert_uint_eq(f.cpu.seg[SEG_SS].sel, SEL_DATA0);
    fixture_free(&f);
}
END_TEST

START_TEST(interrupt_gate_clears_if_and_iret_returns_to_ring3)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_IDT + 0x40 * 8, SEL_CODE0, 0x5000, ACC_INTGATE3, 0);
    AT(0x5000, 0x89, 0xE3,                               /* mov ebx, esp */
       0x9C, 0x5F,                                       /* pushfd; pop edi */
       0xCF);                                            /* iretd */
    PM(TO_RING3(0x02));
    AT(PM_RING3, 0xCD, 0x40, 0xF4);                      /* int 0x40; hlt (#GP at ring 3) */
    pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], PM_STACK0 - 20);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI] & EFLAGS_IF, 0);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3 + 2);
    ck_assert_uint_eq(pm_stack(&f, 3) & EFLAGS_IF, EFLAGS_IF);  /* IRET restored IF */
    fixture_free(&f);
}
END_TEST

START_TEST(int_n_gate_checks)
{
    Fixture f;
    /* INT n from ring 3 through a DPL-0 gate: #GP(vector * 8 + 2), EXT clear */
    pm_setup(&f, "486");
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0xCD, 0x0D);                            /* int 13 */
    pm_expect(&f, EXC_GP, 13 * 8 + 2, FAULT_INT_GATE_DPL);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3);
    ck_assert_uint_eq(f.cpu.last_fault.detail[2], 3);
    fixture_free(&f);

    /* Past the IDT limit */
    pm_setup(&f, "486");
    wr(&f, 0x608, 0x1FF, 2);
    PM(0xCD, 0x50);
    pm_expect(&f, EXC_GP, 0x50 * 8 + 2, FAULT_IDT_LIMIT);
    fixture_free(&f);

    /* A gate that is not present */
    pm_setup(&f, "486");
    pm_gate(&f, PM_IDT + 0x41 * 8, SEL_CODE0, 0x5000, 0x0E, 0);
    PM(0xCD, 0x41);
    pm_expect(&f, EXC_NP, 0x41 * 8 + 2, FAULT_IDT_NOT_PRESENT);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], 0x41);
    fixture_free(&f);

    /* A gate whose target is a data segment */
    pm_setup(&f, "486");
    pm_gate(&f, PM_IDT + 0x42 * 8, SEL_DATA0, 0x5000, ACC_INTGATE0, 0);
    PM(0xCD, 0x42);
    pm_expect(&f, EXC_GP, SEL_DATA0, FAULT_INT_TARGET_BAD);
    fixture_free(&f);
}
END_TEST

START_TEST(contributory_pair_is_double_fault)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_IDT + 13 * 8, SEL_CODE0, 0x5000, 0x0E, 0);  /* #GP gate not present */
    PM(0x66, 0xB8, 0x00, 0x01, 0x8E, 0xD8, 0xF4);        /* mov ds, 0x100: #GP(0x100) */
    pm_expect(&f, EXC_DF, 0, FAULT_DOUBLE);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], EXC_NP);
    ck_assert_uint_eq(f.cpu.last_fault.detail[1], EXC_GP);
    ck_assert_uint_eq(f.cpu.first_fault.rule, FAULT_SEL_OUTSIDE_TABLE);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_BODY + 4);
    fixture_free(&f);
}
END_TEST

START_TEST(fault_while_delivering_double_fault_shuts_down)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_IDT + 13 * 8, SEL_CODE0, 0x5000, 0x0E, 0);
    pm_gate(&f, PM_IDT + 8 * 8, SEL_CODE0, 0x5000, 0x0E, 0);
    PM(0x66, 0xB8, 0x00, 0x01, 0x8E, 0xD8, 0xF4);
    ck_assert_int_eq(cpu_run(&f.cpu, 10000), CPU_STOP_SHUTDOWN);
    ck_assert(f.cpu.shutdown);
    ck_assert_ptr_nonnull(f.cpu.shutdown_reason);
    fixture_free(&f);
}
END_TEST

START_TEST(benign_pair_is_delivered_serially)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_IDT + 1 * 8, SEL_CODE0, 0x5000, 0x0E, 0);   /* #DB gate not present */
    PM(0x9C,                                             /* pushfd */
       0x81, 0x0C, 0x24, 0x00, 0x01, 0x00, 0x00,         /* or dword [esp], TF */
       0x9D,                                             /* popfd */
       0x90,                                             /* nop: single-step trap after it */
       0xF4);
    pm_expect(&f, EXC_NP, 1 * 8 + 2 + 1, FAULT_IDT_NOT_PRESENT);    /* EXT set */
    fixture_free(&f);
}
END_TEST

static bool one_irq_pending(void *ctx)
{
    return *(int *)ctx > 0;
}

static uint8_t one_irq_ack(void *ctx)
{
    (*(int *)ctx)--;
    return 0x20;
}

START_TEST(external_interrupt_waits_for_sti_shadow)
{
    Fixture f;
    int pending = 1;
    pm_setup(&f, "486");
    pm_idt(&f, 0x20, ACC_INTGATE0);
    f.cpu.intr = (InterruptSource){ one_irq_pending, one_irq_ack, &pending };
    PM(0xFB,                                             /* sti */
       0x40,                                             /* inc eax: runs in the shadow */
       0x40, 0xF4);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, pm_handler_addr(0x20) + 1);
    ck_assert_uint_eq(pm_stack(&f, 0), PM_BODY + 2);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFF, 0x29);  /* AX was 0x28 from LTR setup, +1 */
    ck_assert_uint_eq(f.cpu.eflags & EFLAGS_IF, 0);
    fixture_free(&f);
}
END_TEST

/* An interrupt taken between two iterations of a REP string instruction
 * pushes RF set, so an instruction breakpoint on the REP does not hit again
 * when it resumes; one taken after the last iteration does not (SDM vol. 3,
 * 17.3.1.1). */
static void rep_interrupted_after(unsigned iterations, uint32_t expect_eip, uint32_t expect_rf)
{
    Fixture f;
    int pending = 0;
    pm_setup(&f, "486");
    pm_idt(&f, 0x20, ACC_INTGATE0);
    f.cpu.intr = (InterruptSource){ one_irq_pending, one_irq_ack, &pending };
    PM(0xB9, 0x02, 0x00, 0x00, 0x00,                     /* mov ecx, 2 */
       0xBE, 0x00, 0x30, 0x00, 0x00,                     /* mov esi, 0x3000 */
       0xBF, 0x00, 0x31, 0x00, 0x00,                     /* mov edi, 0x3100 */
       0xFB, 0x90,                                       /* sti; nop */
       0xF3, 0xA4,                                       /* rep movsb at PM_BODY + 17 */
       0xF4);
    while (f.cpu.eip != PM_BODY + 17)
        step(&f);
    for (unsigned i = 0; i < iterations; i++)
        step(&f);
    pending = 1;
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, pm_handler_addr(0x20) + 1);
    ck_assert_uint_eq(pm_stack(&f, 0), expect_eip);
    ck_assert_uint_eq(pm_stack(&f, 2) & EFLAGS_RF, expect_rf);
    fixture_free(&f);
}

START_TEST(interrupt_between_rep_iterations_pushes_rf)
{
    rep_interrupted_after(1, PM_BODY + 17, EFLAGS_RF);  /* one byte moved, one to go */
    rep_interrupted_after(2, PM_BODY + 19, 0);          /* the REP is done */
}
END_TEST

START_TEST(nmi_is_blocked_until_iret)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_IDT + 2 * 8, SEL_CODE0, 0x5000, ACC_INTGATE0, 0);
    AT(0x5000, 0x43, 0xF4, 0xCF);                        /* inc ebx; hlt; iretd */
    PM(0xF4, 0xF4);
    pm_run_to_hlt(&f);                                    /* setup, then the first HLT */
    ck_assert_uint_eq(f.cpu.eip, PM_BODY + 1);
    f.cpu.nmi_pending = true;
    pm_run_to_hlt(&f);                                    /* the NMI handler's HLT */
    ck_assert_uint_eq(f.cpu.eip, 0x5002);
    f.cpu.nmi_pending = true;
    pm_run_to_hlt(&f);                                    /* blocked: still halted there */
    ck_assert_uint_eq(f.cpu.eip, 0x5002);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 1);
    f.cpu.halted = false;                                 /* resume: IRETD unblocks */
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 2);             /* the second NMI, after the IRET */
    ck_assert_uint_eq(f.cpu.eip, 0x5002);
    fixture_free(&f);
}
END_TEST

Suite *pm_interrupt_suite(void)
{
    Suite *s = suite_create("pm_interrupt");
    TCase *tc = tcase_create("interrupt");
    tcase_add_test(tc, trap_gate_from_ring3_switches_stacks);
    tcase_add_test(tc, interrupt_gate_clears_if_and_iret_returns_to_ring3);
    tcase_add_test(tc, int_n_gate_checks);
    tcase_add_test(tc, contributory_pair_is_double_fault);
    tcase_add_test(tc, fault_while_delivering_double_fault_shuts_down);
    tcase_add_test(tc, benign_pair_is_delivered_serially);
    tcase_add_test(tc, external_interrupt_waits_for_sti_shadow);
    tcase_add_test(tc, interrupt_between_rep_iterations_pushes_rf);
    tcase_add_test(tc, nmi_is_blocked_until_iret);
    suite_add_tcase(s, tc);
    return s;
}
