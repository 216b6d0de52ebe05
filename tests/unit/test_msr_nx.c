/* SPDX-License-Identifier: MIT */
/*
 * Each model's MSR set and the execute-disable bit: the TSC on every model
 * with RDMSR, IA32_EFER (C0000080h, NXE = bit 11) only on p6-nx, whose
 * CPUID has the extended leaves 80000000h-80000001h with NX (SDM vol. 2,
 * CPUID; vol. 4, table 2-2).  Unknown MSRs and reserved EFER bits are
 * #GP(0).  Under PAE paging with EFER.NXE a fetch from a page with XD set
 * is a #PF with the I/D bit while a read of it is fine; with NXE clear XD
 * is a reserved bit, and clearing NXE drops translations cached with it.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

/* Real mode at CPL 0: ECX = msr, EDX:EAX = value, then the instruction
 * (0F 32 RDMSR or 0F 30 WRMSR) at 100h and HLT. */
static void msr_setup(Fixture *f, const char *model, uint32_t msr, uint64_t value, uint8_t op)
{
    const uint8_t code[] = { 0x0F, op, 0xF4 };

    fixture_init(f, model);
    fixture_code(f, code, sizeof code);
    f->cpu.gpr[REG_ECX] = msr;
    f->cpu.gpr[REG_EAX] = (uint32_t)value;
    f->cpu.gpr[REG_EDX] = (uint32_t)(value >> 32);
}

enum { RDMSR = 0x32, WRMSR = 0x30 };

static void expect_msr_gp(const char *model, uint32_t msr, uint64_t value, uint8_t op, int rule)
{
    Fixture f;
    msr_setup(&f, model, msr, value, op);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, rule);
    ck_assert_uint_eq(f.cpu.efer, 0);
    fixture_free(&f);
}

START_TEST(efer_reads_and_writes_nxe_on_p6_nx)
{
    Fixture f;
    msr_setup(&f, "p6-nx", MSR_EFER, 0xFFFFFFFFFFFFFFFFull, RDMSR);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    fixture_free(&f);

    msr_setup(&f, "p6-nx", MSR_EFER, EFER_NXE, WRMSR);
    CODE(0x0F, 0x30,                            /* wrmsr */
         0x66, 0x31, 0xC0,                      /* xor eax, eax */
         0x0F, 0x32,                            /* rdmsr */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.efer, EFER_NXE);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], EFER_NXE);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(efer_reserved_bits_are_gp)
{
    expect_msr_gp("p6-nx", MSR_EFER, 1, WRMSR, FAULT_MSR_RESERVED_BIT);           /* SCE */
    expect_msr_gp("p6-nx", MSR_EFER, 0x100, WRMSR, FAULT_MSR_RESERVED_BIT);       /* LME */
    expect_msr_gp("p6-nx", MSR_EFER, EFER_NXE | 1ull << 32, WRMSR, FAULT_MSR_RESERVED_BIT);
}
END_TEST

START_TEST(models_without_nx_have_no_efer)
{
    static const char *const models[] = { "pentium", "pentium2" };
    for (unsigned m = 0; m < 2; m++) {
        expect_msr_gp(models[m], MSR_EFER, 0, RDMSR, FAULT_MSR_UNKNOWN);
        expect_msr_gp(models[m], MSR_EFER, EFER_NXE, WRMSR, FAULT_MSR_UNKNOWN);
    }
}
END_TEST

/* The TSC stays on every model with MSRs; the APIC base (1Bh) and other
 * indexes are #GP(0), the P5 machine-check MSRs included. */
START_TEST(every_msr_model_keeps_the_tsc_and_nothing_else)
{
    static const char *const models[] = { "pentium", "pentium2", "p6-nx" };
    for (unsigned m = 0; m < 3; m++) {
        Fixture f;
        msr_setup(&f, models[m], 0x10, 0, RDMSR);
        f.cpu.tsc_offset = 1000;
        run_to_hlt(&f);
        ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 1000);
        fixture_free(&f);
        expect_msr_gp(models[m], 0x1B, 0, RDMSR, FAULT_MSR_UNKNOWN);
        expect_msr_gp(models[m], 0x00, 0, RDMSR, FAULT_MSR_UNKNOWN);
        expect_msr_gp(models[m], 0xC0000081u, 0, RDMSR, FAULT_MSR_UNKNOWN);   /* STAR */
    }
    EXPECT_UD("486", 0x0F, 0x32);
}
END_TEST

START_TEST(cpuid_extended_leaves_only_on_p6_nx)
{
    uint32_t r[4], basic[4];

    fixture_cpuid("p6-nx", 0x80000000u, r);
    ck_assert_uint_eq(r[0], 0x80000001u);
    ck_assert_uint_eq(r[1] | r[2] | r[3], 0);
    fixture_cpuid("p6-nx", 0x80000001u, r);
    ck_assert_uint_eq(r[0] | r[1] | r[2], 0);
    ck_assert_uint_eq(r[3], CPUID_EXT_EDX_NX);
    fixture_cpuid("p6-nx", 1, basic);
    ck_assert_uint_eq((basic[0] >> 8) & 0xF, 6);
    ck_assert_uint_eq(basic[3] & (1u << 6), 1u << 6);       /* PAE */
    fixture_cpuid("p6-nx", 0x80000002u, r);                      /* past the highest: leaf 1 */
    ck_assert_mem_eq(r, basic, sizeof r);

    /* Without extended leaves 80000000h answers as the highest basic leaf. */
    fixture_cpuid("pentium2", 1, basic);
    fixture_cpuid("pentium2", 0x80000000u, r);
    ck_assert_mem_eq(r, basic, sizeof r);
    fixture_cpuid("pentium2", 0x80000001u, r);
    ck_assert_uint_eq(r[3] & CPUID_EXT_EDX_NX, 0);
}
END_TEST

/* ---- NX under PAE paging ---- */

enum {
    PDPT = 0x20000, PD = 0x21000, PT = 0x22000,
    NX_PAGE = 0x5000, AFTER_SETUP = PM_BODY + 50,
};

/* Identity-maps the first 2 MiB with 4 KiB PAE pages, XD on NX_PAGE, and
 * sets up (at PM_BODY) EFER.NXE = nxe, CR3, CR4.PAE, CR0.PG; the test's
 * code follows at AFTER_SETUP. */
static void nx_setup(Fixture *f, bool nxe)
{
    pm_setup(f, "p6-nx");
    wr(f, PDPT, PD | PTE_P, 4);
    wr(f, PD, PT | PTE_P | PTE_RW | PTE_US, 4);
    for (uint32_t i = 0; i < 512; i++)
        wr(f, PT + i * 8, (i << 12) | PTE_P | PTE_RW | PTE_US, 4);
    wr(f, PT + (NX_PAGE >> 12) * 8 + 4, (uint32_t)(PTE_XD >> 32), 4);
    wr(f, NX_PAGE, 0xF4, 1);                /* a HLT that must not run */
    const uint8_t setup[] = {
        0xB9, 0x80, 0x00, 0x00, 0xC0,           /* mov ecx, IA32_EFER */
        0xB8, 0x00, nxe ? 0x08 : 0x00, 0x00, 0x00, /* mov eax, NXE or 0 */
        0x31, 0xD2,                             /* xor edx, edx */
        0x0F, 0x30,                             /* wrmsr */
        0xB8, 0x00, 0x00, 0x02, 0x00,           /* mov eax, PDPT */
        0x0F, 0x22, 0xD8,                       /* mov cr3, eax */
        0x0F, 0x20, 0xE0,                       /* mov eax, cr4 */
        0x83, 0xC8, 0x20,                       /* or eax, CR4.PAE */
        0x0F, 0x22, 0xE0,                       /* mov cr4, eax */
        0x0F, 0x20, 0xC0,                       /* mov eax, cr0 */
        0x0D, 0x00, 0x00, 0x00, 0x80,           /* or eax, CR0.PG */
        0x0F, 0x22, 0xC0,                       /* mov cr0, eax */
        0x8B, 0x1D, 0x00, 0x50, 0x00, 0x00,     /* mov ebx, [NX_PAGE] */
        0x90, 0x90,
    };
    _Static_assert(sizeof setup == AFTER_SETUP - PM_BODY, "the test code starts at AFTER_SETUP");
    pm_write(f, PM_BODY, setup, sizeof setup);
}

START_TEST(a_fetch_from_an_nx_page_faults_with_the_id_bit_a_read_does_not)
{
    Fixture f;
    nx_setup(&f, true);
    uint32_t rel = NX_PAGE - (AFTER_SETUP + 5);
    const uint8_t jmp[] = {
        0xE9, rel & 0xFF, (rel >> 8) & 0xFF, (rel >> 16) & 0xFF, rel >> 24, /* jmp NX_PAGE */
    };
    pm_write(&f, AFTER_SETUP, jmp, sizeof jmp);
    pm_expect(&f, EXC_PF, PF_ERR_P | PF_ERR_I, FAULT_PAGE_NX);
    ck_assert_uint_eq(f.cpu.cr2, NX_PAGE);
    ck_assert_uint_eq(pm_stack(&f, 1), NX_PAGE);            /* the fault is at the target */
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xF4);            /* the read went through */
    fixture_free(&f);
}
END_TEST

/* With NXE clear XD is reserved: even the read is a #PF with RSVD. */
START_TEST(without_nxe_the_xd_bit_is_reserved)
{
    Fixture f;
    nx_setup(&f, false);
    pm_expect(&f, EXC_PF, PF_ERR_P | PF_ERR_RSVD, FAULT_PAGE_RESERVED_BIT);
    ck_assert_uint_eq(f.cpu.cr2, NX_PAGE);
    fixture_free(&f);
}
END_TEST

/* The read under NXE caches the page; clearing NXE must drop that entry,
 * so the same read then meets the reserved bit. */
START_TEST(clearing_nxe_drops_cached_translations)
{
    Fixture f;
    nx_setup(&f, true);
    static const uint8_t clear[] = {
        0x31, 0xC0,                             /* xor eax, eax */
        0x0F, 0x30,                             /* wrmsr (ECX still IA32_EFER) */
        0x8B, 0x1D, 0x00, 0x50, 0x00, 0x00,     /* mov ebx, [NX_PAGE] */
        0xF4,
    };
    pm_write(&f, AFTER_SETUP, clear, sizeof clear);
    pm_expect(&f, EXC_PF, PF_ERR_P | PF_ERR_RSVD, FAULT_PAGE_RESERVED_BIT);
    ck_assert_uint_eq(pm_stack(&f, 1), AFTER_SETUP + 4);
    ck_assert_uint_eq(f.cpu.efer, 0);
    fixture_free(&f);
}
END_TEST

Suite *msr_nx_suite(void)
{
    Suite *s = suite_create("msr_nx");
    TCase *tc = tcase_create("msr_nx");
    tcase_add_test(tc, efer_reads_and_writes_nxe_on_p6_nx);
    tcase_add_test(tc, efer_reserved_bits_are_gp);
    tcase_add_test(tc, models_without_nx_have_no_efer);
    tcase_add_test(tc, every_msr_model_keeps_the_tsc_and_nothing_else);
    tcase_add_test(tc, cpuid_extended_leaves_only_on_p6_nx);
    tcase_add_test(tc, a_fetch_from_an_nx_page_faults_with_the_id_bit_a_read_does_not);
    tcase_add_test(tc, without_nxe_the_xd_bit_is_reserved);
    tcase_add_test(tc, clearing_nxe_drops_cached_translations);
    suite_add_tcase(s, tc);
    return s;
}
