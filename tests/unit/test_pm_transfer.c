/* SPDX-License-Identifier: MIT */
/*
 * Protected-mode far transfers (SDM vol. 3, 5.8; vol. 2, JMP, CALL, RET,
 * IRET): conforming and non-conforming targets with their faults, IRET to
 * ring 3 (which nulls data segments ring 3 may not use), a call gate from
 * ring 3 to ring 0 with the stack switch and parameter copy, and RETF back.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

/* jmp far SEL:0x2100 from PM_BODY; the target holds a HLT. */
static void far_jump(Fixture *f, uint16_t sel)
{
    uint8_t body[] = { 0xEA, 0x00, 0x21, 0x00, 0x00, (uint8_t)sel, (uint8_t)(sel >> 8), 0xF4 };
    pm_write(f, PM_BODY, body, sizeof(body));
    wr(f, 0x2100, 0xF4, 1);
}

static void jump_expect(uint16_t sel, uint8_t access, uint8_t flags, uint32_t limit,
                        unsigned vector, uint32_t code, int rule)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0, limit, access, flags);
    far_jump(&f, sel);
    pm_expect(&f, vector, code, rule);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_BODY);
    fixture_free(&f);
}

START_TEST(far_jump_checks)
{
    jump_expect(0, 0x9A, 0xC, 0xFFFFF, EXC_GP, 0, FAULT_FAR_NULL);
    jump_expect(SEL_T1, 0xFA, 0xC, 0xFFFFF, EXC_GP, SEL_T1, FAULT_CS_NONCONFORMING);
    jump_expect(SEL_T1 | 3, 0x9A, 0xC, 0xFFFFF, EXC_GP, SEL_T1, FAULT_CS_NONCONFORMING);
    jump_expect(SEL_T1, 0xFE, 0xC, 0xFFFFF, EXC_GP, SEL_T1, FAULT_CS_CONFORMING_DPL);
    jump_expect(SEL_T1, 0x1A, 0xC, 0xFFFFF, EXC_NP, SEL_T1, FAULT_CS_NOT_PRESENT);
    jump_expect(SEL_T1, 0x92, 0xC, 0xFFFFF, EXC_GP, SEL_T1, FAULT_FAR_BAD_TYPE);
    jump_expect(SEL_T1, 0x9A, 0x4, 0x20FF, EXC_GP, 0, FAULT_JUMP_LIMIT);
}
END_TEST

START_TEST(far_jump_to_conforming_keeps_cpl)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0, 0xFFFFF, 0x9E, 0xC);          /* conforming, DPL 0 */
    far_jump(&f, SEL_T1 | 2);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x2101);
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, SEL_T1);   /* RPL replaced by CPL 0 */
    ck_assert_uint_eq(rd(&f, PM_GDT + SEL_T1 + 5, 1), 0x9F);
    fixture_free(&f);
}
END_TEST

START_TEST(iret_to_ring3_nulls_inner_data_segments)
{
    Fixture f;
    pm_setup(&f, "486");
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0xF4);                                   /* HLT at CPL 3: #GP(0) */
    pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
    /* The ring-0 frame from the TSS stack: error, EIP, CS, EFLAGS, ESP, SS. */
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], PM_STACK0 - 24);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3);
    ck_assert_uint_eq(pm_stack(&f, 2), SEL_CODE3 | 3);
    ck_assert_uint_eq(pm_stack(&f, 3), EFLAGS_RF | 0x2);  /* a fault's image has RF set (SDM vol. 3, 17.3.1.1) */
    ck_assert_uint_eq(pm_stack(&f, 4), PM_STACK3);
    ck_assert_uint_eq(pm_stack(&f, 5), SEL_DATA3 | 3);
    ck_assert_uint_eq(f.cpu.seg[SEG_SS].sel, SEL_DATA0);
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, SEL_CODE0);
    /* DS/ES/FS/GS held DPL-0 data, so the return to ring 3 nulled them. */
    ck_assert_uint_eq(f.cpu.seg[SEG_DS].sel, 0);
    ck_assert_uint_eq(f.cpu.seg[SEG_ES].sel, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(call_gate_to_ring0_copies_parameters_and_retf_returns)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_GDT + SEL_T2, SEL_CODE0, 0x5000, 0xEC, 2);   /* 386 call gate, DPL 3 */
    PM(TO_RING3(0x00));
    AT(PM_RING3,
       0x68, 0x11, 0x11, 0x11, 0x11,    /* push 0x11111111 */
       0x68, 0x22, 0x22, 0x22, 0x22,    /* push 0x22222222 */
       0x9A, 0x00, 0x00, 0x00, 0x00, 0x3B, 0x00,   /* call 0x3B:0 (gate, RPL 3) */
       0xF4);                           /* back at ring 3: HLT faults */
    AT(0x5000,
       0x8B, 0x44, 0x24, 0x08,          /* mov eax, [esp+8]  (first parameter) */
       0x8B, 0x5C, 0x24, 0x0C,          /* mov ebx, [esp+12] */
       0x8B, 0x4C, 0x24, 0x10,          /* mov ecx, [esp+16] (old ESP) */
       0x8B, 0x54, 0x24, 0x14,          /* mov edx, [esp+20] (old SS) */
       0x8B, 0x7C, 0x24, 0x04,          /* mov edi, [esp+4]  (old CS) */
       0x89, 0xE6,                      /* mov esi, esp */
       0x8C, 0xCD,                      /* mov ebp, cs */
       0xCA, 0x08, 0x00);               /* retf 8 */
    pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x22222222);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x11111111);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], PM_STACK3 - 8);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], SEL_DATA3 | 3);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], SEL_CODE3 | 3);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], PM_STACK0 - 24);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP] & 0xFFFF, SEL_CODE0);
    /* The HLT after the call faulted at ring 3 with the parameters released. */
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3 + 17);
    ck_assert_uint_eq(pm_stack(&f, 2), SEL_CODE3 | 3);
    ck_assert_uint_eq(pm_stack(&f, 4), PM_STACK3);
    fixture_free(&f);
}
END_TEST

START_TEST(call_gate_privilege_and_return_checks)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_GDT + SEL_T2, SEL_CODE0, 0x5000, 0x8C, 0);   /* gate DPL 0 */
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0x9A, 0x00, 0x00, 0x00, 0x00, 0x3B, 0x00, 0xF4);
    pm_expect(&f, EXC_GP, SEL_T2, FAULT_GATE_PRIV);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3);
    fixture_free(&f);

    /* A gate that is not present */
    pm_setup(&f, "486");
    pm_gate(&f, PM_GDT + SEL_T2, SEL_CODE0, 0x5000, 0x6C, 0);
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0x9A, 0x00, 0x00, 0x00, 0x00, 0x3B, 0x00, 0xF4);
    pm_expect(&f, EXC_NP, SEL_T2, FAULT_GATE_NOT_PRESENT);
    fixture_free(&f);

    /* RETF from ring 3 to a ring-0 selector cannot raise privilege */
    pm_setup(&f, "486");
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0x6A, 0x08, 0x68, 0x00, 0x21, 0x00, 0x00, 0xCB);   /* push 8; push 0x2100; retf */
    pm_expect(&f, EXC_GP, SEL_CODE0, FAULT_RET_RPL);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3 + 7);
    fixture_free(&f);
}
END_TEST

START_TEST(jmp_through_call_gate)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_gate(&f, PM_GDT + SEL_T2, SEL_CODE0, 0x2100, 0x8C, 0);
    far_jump(&f, SEL_T2);
    wr(&f, 0x2100, 0xF4, 1);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x2101);
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, SEL_CODE0);
    fixture_free(&f);
}
END_TEST

Suite *pm_transfer_suite(void)
{
    Suite *s = suite_create("pm_transfer");
    TCase *tc = tcase_create("transfer");
    tcase_add_test(tc, far_jump_checks);
    tcase_add_test(tc, far_jump_to_conforming_keeps_cpl);
    tcase_add_test(tc, iret_to_ring3_nulls_inner_data_segments);
    tcase_add_test(tc, call_gate_to_ring0_copies_parameters_and_retf_returns);
    tcase_add_test(tc, call_gate_privilege_and_return_checks);
    tcase_add_test(tc, jmp_through_call_gate);
    suite_add_tcase(s, tc);
    return s;
}
