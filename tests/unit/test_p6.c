/* SPDX-License-Identifier: MIT */
/*
 * The P6 system instructions (cpu/ops_p6.c): SYSENTER/SYSEXIT between
 * ring 0 and ring 3 with the exact flat segment caches and each #GP check,
 * the SYSENTER and identification MSRs, RDPMC's privilege and counter
 * rules, RSM and UD2, the multi-byte NOP, CR4.PCE/OSFXSR, the CPL check of
 * INVD/WBINVD and the Pentium II's CPUID feature bits.
 */
#include "pm_fixture.h"

enum { KERNEL_ENTRY = 0x5000 };

static void expect_segment(const Segment *s, uint16_t sel, uint16_t attr)
{
    ck_assert_uint_eq(s->sel, sel);
    ck_assert_uint_eq(s->base, 0);
    ck_assert_uint_eq(s->limit, 0xFFFFFFFFu);
    ck_assert_uint_eq(s->attr, attr);
}

/* Ring 0 writes the three MSRs and leaves with SYSEXIT; ring 3 records CS,
 * SS and ESP and comes back with SYSENTER to a HLT. */
START_TEST(sysenter_sysexit_round_trip)
{
    Fixture f;
    pm_setup(&f, "pentium2");
    PM(0xB9, 0x74, 0x01, 0x00, 0x00,          /* mov ecx, 0x174 */
       0xB8, 0x08, 0x00, 0x00, 0x00,          /* mov eax, SEL_CODE0 */
       0x31, 0xD2,                            /* xor edx, edx */
       0x0F, 0x30,                            /* wrmsr */
       0x41,                                  /* inc ecx: 175h */
       0xB8, 0x00, 0x90, 0x00, 0x00,          /* mov eax, PM_STACK0 */
       0x0F, 0x30,
       0x41,                                  /* 176h */
       0xB8, 0x00, 0x50, 0x00, 0x00,          /* mov eax, KERNEL_ENTRY */
       0x0F, 0x30,
       0xBA, 0x00, 0x30, 0x00, 0x00,          /* mov edx, PM_RING3 */
       0xB9, 0x00, 0xA0, 0x00, 0x00,          /* mov ecx, PM_STACK3 */
       0xFB,                                  /* sti */
       0x0F, 0x35);                           /* sysexit */
    AT(PM_RING3, 0x8C, 0xCB,                  /* mov ebx, cs */
       0x8C, 0xD5,                            /* mov ebp, ss */
       0x89, 0xE6,                            /* mov esi, esp */
       0x0F, 0x34);                           /* sysenter */
    AT(KERNEL_ENTRY, 0xF4);
    for (int i = 0; i < 100 && f.cpu.eip != PM_RING3; i++)
        step(&f);
    ck_assert_uint_eq(f.cpu.eip, PM_RING3);
    ck_assert_uint_eq(cpu_cpl(&f.cpu), 3);
    expect_segment(&f.cpu.seg[SEG_CS], 0x1B, 0xC0FB);
    expect_segment(&f.cpu.seg[SEG_SS], 0x23, 0xC0F3);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], PM_STACK3);
    ck_assert_uint_eq(f.cpu.sysenter_cs, SEL_CODE0);
    ck_assert_uint_eq(f.cpu.sysenter_esp, PM_STACK0);
    ck_assert_uint_eq(f.cpu.sysenter_eip, KERNEL_ENTRY);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, KERNEL_ENTRY + 1);
    ck_assert_uint_eq(cpu_cpl(&f.cpu), 0);
    expect_segment(&f.cpu.seg[SEG_CS], 0x08, 0xC09B);
    expect_segment(&f.cpu.seg[SEG_SS], 0x10, 0xC093);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], PM_STACK0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x1B);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0x23);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], PM_STACK3);
    ck_assert_uint_eq(cpu_get_eflags(&f.cpu) & EFLAGS_IF, 0);   /* SYSENTER clears IF */
    fixture_free(&f);
}
END_TEST

/* SYSENTER_CS's RPL bits are dropped: 0Bh gives CS 08h and SS 10h. */
START_TEST(sysenter_masks_the_rpl)
{
    Fixture f;
    pm_setup(&f, "pentium2");
    f.cpu.sysenter_cs = 0x0B;
    f.cpu.sysenter_esp = 0x1234;
    f.cpu.sysenter_eip = KERNEL_ENTRY;
    PM(0x0F, 0x34);
    AT(KERNEL_ENTRY, 0xF4);
    pm_run_to_hlt(&f);
    expect_segment(&f.cpu.seg[SEG_CS], 0x08, 0xC09B);
    expect_segment(&f.cpu.seg[SEG_SS], 0x10, 0xC093);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESP], 0x1234);
    fixture_free(&f);
}
END_TEST

START_TEST(sysenter_gp_checks)
{
    Fixture f;

    /* SYSENTER_CS null (bits 15:2 zero; 3 is still null). */
    pm_setup(&f, "pentium2");
    f.cpu.sysenter_cs = 3;
    PM(0x0F, 0x34);
    pm_expect(&f, EXC_GP, 0, FAULT_SYSENTER_CS_NULL);
    fixture_free(&f);

    pm_setup(&f, "pentium2");
    PM(0x0F, 0x35);
    pm_expect(&f, EXC_GP, 0, FAULT_SYSENTER_CS_NULL);
    fixture_free(&f);

    /* SYSEXIT from ring 3. */
    pm_setup(&f, "pentium2");
    f.cpu.sysenter_cs = SEL_CODE0;
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0x0F, 0x35);
    pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3);
    fixture_free(&f);

    /* Real mode: both are #GP. */
    fixture_init(&f, "pentium2");
    f.cpu.sysenter_cs = SEL_CODE0;
    CODE(0x0F, 0x34);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SYSENTER_REAL_MODE);
    fixture_free(&f);

    fixture_init(&f, "pentium2");
    f.cpu.sysenter_cs = SEL_CODE0;
    CODE(0x0F, 0x35);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SYSENTER_REAL_MODE);
    fixture_free(&f);

    /* The Pentium has no SEP. */
    EXPECT_UD("pentium", 0x0F, 0x34);
    EXPECT_UD("pentium", 0x0F, 0x35);
}
END_TEST

/* RDMSR of ECX into EDX:EAX or WRMSR from them, real mode (CPL 0). */
static void msr_op(Fixture *f, bool write, uint32_t msr, uint32_t edx, uint32_t eax)
{
    uint8_t code[] = { 0x0F, (uint8_t)(write ? 0x30 : 0x32), 0xF4 };
    fixture_code(f, code, sizeof code);
    f->cpu.eip = FIXTURE_CODE;
    f->cpu.halted = false;
    f->cpu.gpr[REG_ECX] = msr;
    f->cpu.gpr[REG_EDX] = edx;
    f->cpu.gpr[REG_EAX] = eax;
    run_to_hlt(f);
}

START_TEST(p6_msrs)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    for (uint32_t msr = 0x174; msr <= 0x176; msr++) {
        msr_op(&f, true, msr, 0, 0xC0DE0000 + msr);
        msr_op(&f, false, msr, 0xAAAA, 0xBBBB);
        ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0xC0DE0000 + msr);
        ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    }
    msr_op(&f, true, 0x8B, 0x12345678, 0x9ABCDEF0);    /* ignored */
    msr_op(&f, false, 0x8B, 0xAAAA, 0xBBBB);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    msr_op(&f, false, 0x17, 0xAAAA, 0xBBBB);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    fixture_free(&f);

    /* The Pentium has none of them. */
    static const uint32_t absent[] = { 0x174, 0x175, 0x176, 0x8B, 0x17 };
    for (unsigned i = 0; i < 5; i++) {
        fixture_init(&f, "pentium");
        CODE(0x0F, 0x32);
        f.cpu.gpr[REG_ECX] = absent[i];
        run_to_fault(&f, EXC_GP, FIXTURE_CODE);
        ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_MSR_UNKNOWN);
        fixture_free(&f);
    }
}
END_TEST

START_TEST(rdpmc_rules)
{
    Fixture f;

    /* Real mode: counters 0 and 1 read 0; 2 is #GP(0). */
    fixture_init(&f, "pentium2");
    CODE(0x0F, 0x33, 0x41, 0x0F, 0x33, 0x41, 0x0F, 0x33, 0xF4);   /* rdpmc; inc cx; ... */
    f.cpu.gpr[REG_EAX] = f.cpu.gpr[REG_EDX] = 0xDEADBEEF;
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE + 6);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_RDPMC_COUNTER);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], 2);
    fixture_free(&f);

    /* Ring 3 without CR4.PCE: #GP(0). */
    pm_setup(&f, "pentium2");
    PM(TO_RING3(0x00));
    AT(PM_RING3, 0x31, 0xC9, 0x0F, 0x33);      /* xor ecx, ecx; rdpmc */
    pm_expect(&f, EXC_GP, 0, FAULT_RDPMC_DISABLED);
    fixture_free(&f);

    /* Ring 3 after MOV CR4 sets PCE: allowed (then a ring-3 HLT is #GP). */
    pm_setup(&f, "pentium2");
    PM(0x0F, 0x20, 0xE0,                      /* mov eax, cr4 */
       0x0D, 0x00, 0x01, 0x00, 0x00,          /* or eax, CR4_PCE */
       0x0F, 0x22, 0xE0,                      /* mov cr4, eax */
       TO_RING3(0x00));
    AT(PM_RING3, 0x31, 0xC9, 0x0F, 0x33, 0xF4);
    f.cpu.gpr[REG_EDX] = 0xDEADBEEF;
    pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3 + 4);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    fixture_free(&f);

    EXPECT_UD("pentium", 0x0F, 0x33);
}
END_TEST

/* MOV CR4 with PCE and OSFXSR: allowed on the Pentium II, #GP on the Pentium. */
START_TEST(cr4_pce_and_osfxsr)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    CODE(0x66, 0xB8, 0x00, 0x03, 0x00, 0x00,  /* mov eax, CR4_PCE | CR4_OSFXSR */
         0x0F, 0x22, 0xE0, 0xF4);             /* mov cr4, eax */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.cr4, CR4_PCE | CR4_OSFXSR);
    fixture_free(&f);

    fixture_init(&f, "pentium");
    CODE(0x66, 0xB8, 0x00, 0x02, 0x00, 0x00, 0x0F, 0x22, 0xE0, 0xF4);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE + 6);
    ck_assert_uint_eq(f.cpu.cr4, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(rsm_ud2_nop)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    CODE(0x0F, 0xAA);
    run_to_fault(&f, EXC_UD, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_RSM_NOT_SMM);
    fixture_free(&f);

    fixture_init(&f, "386");
    CODE(0x0F, 0x0B);
    run_to_fault(&f, EXC_UD, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_UD2);
    fixture_free(&f);

    /* nop word [bx+si]; nop dword [bp+0xFFFF]; hlt.  The second operand
     * lies past the 64 KiB limit: it is never read. */
    fixture_init(&f, "pentium2");
    CODE(0x0F, 0x1F, 0x00, 0x66, 0x0F, 0x1F, 0x86, 0xFF, 0xFF, 0xF4);
    f.cpu.gpr[REG_ESI] = 0x10;
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, FIXTURE_CODE + 10);
    fixture_free(&f);

    EXPECT_UD("pentium", 0x0F, 0x1F, 0x00);
    EXPECT_UD("pentium2", 0x0F, 0x1F, 0x08);      /* only /0 is NOP */
}
END_TEST

/* INVD and WBINVD are privileged: #GP(0) at CPL 3. */
START_TEST(invd_wbinvd_need_cpl0)
{
    static const uint8_t ops[] = { 0x08, 0x09 };
    for (unsigned i = 0; i < 2; i++) {
        Fixture f;
        pm_setup(&f, "pentium2");
        PM(TO_RING3(0x30));                 /* even at IOPL 3 */
        uint8_t code[] = { 0x0F, ops[i] };
        pm_write(&f, PM_RING3, code, sizeof code);
        pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
        ck_assert_uint_eq(pm_stack(&f, 1), PM_RING3);
        fixture_free(&f);
    }
}
END_TEST

START_TEST(pentium2_cpuid)
{
    uint32_t r[4];
    fixture_cpuid("pentium2", 1, r);
    /* FPU VME DE PSE TSC MSR PAE CX8 SEP PGE CMOV MMX FXSR */
    ck_assert_uint_eq(r[3], 0x0180A97Fu);
    unsigned family = (r[0] >> 8) & 0xF, model = (r[0] >> 4) & 0xF, stepping = r[0] & 0xF;
    ck_assert_uint_eq(family, 6);
    /* Not the early parts whose SEP bit software ignores. */
    ck_assert(model >= 3 && !(model == 3 && stepping < 3));
    /* The Pentium keeps its own set. */
    fixture_cpuid("pentium", 1, r);
    ck_assert_uint_eq(r[3] & (1u << 11 | 1u << 23 | 1u << 24), 0);
}
END_TEST

Suite *p6_suite(void)
{
    Suite *s = suite_create("p6");
    TCase *tc = tcase_create("p6");
    tcase_add_test(tc, sysenter_sysexit_round_trip);
    tcase_add_test(tc, sysenter_masks_the_rpl);
    tcase_add_test(tc, sysenter_gp_checks);
    tcase_add_test(tc, p6_msrs);
    tcase_add_test(tc, rdpmc_rules);
    tcase_add_test(tc, cr4_pce_and_osfxsr);
    tcase_add_test(tc, rsm_ud2_nop);
    tcase_add_test(tc, invd_wbinvd_need_cpl0);
    tcase_add_test(tc, pentium2_cpuid);
    suite_add_tcase(s, tc);
    return s;
}
