/* SPDX-License-Identifier: MIT */
/*
 * The 386, 486 and Pentium instructions that the 286 hardware vectors cannot
 * reach (control registers, descriptor tables, MSW, RDTSC, CPUID, 32-bit addressing, REP with 32-bit addresses, and LOCK/#UD rules), run as small real-mode programs on the bare fixture CPU.  Every
 * expected value comes from the instruction's page in the SDM, vol. 2; flags
 * the SDM calls undefined are masked out.
 */
#include <check.h>

#include "cpu_fixture.h"
#include "suites.h"

/* ---- system registers ---- */

START_TEST(mov_cr0_cr2_cr3_round_trip)
{
    Fixture f;
    fixture_init(&f, "486");
    CODE(0x66, 0xB8, 0x32, 0x00, 0x00, 0x40,   /* mov eax, CD|NE|ET|MP */
         0x0F, 0x22, 0xC0,                      /* mov cr0, eax */
         0x0F, 0x20, 0xC3,                      /* mov ebx, cr0 */
         0x66, 0xB8, 0xEF, 0xBE, 0xAD, 0xDE,   /* mov eax, 0xDEADBEEF */
         0x0F, 0x22, 0xD0,                      /* mov cr2, eax */
         0x0F, 0x20, 0xD1,                      /* mov ecx, cr2 */
         0x66, 0xB8, 0x00, 0x30, 0x12, 0x00,   /* mov eax, 0x00123000 */
         0x0F, 0x22, 0xD8,                      /* mov cr3, eax */
         0x0F, 0x20, 0xDA,                      /* mov edx, cr3 */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x40000032);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0xDEADBEEF);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0x00123000);
    ck_assert_uint_eq(f.cpu.cr3, 0x00123000);
    fixture_free(&f);

    fixture_init(&f, "386");
    CODE(0x66, 0xB8, 0x0A, 0x00, 0x00, 0x00,   /* mov eax, MP|TS */
         0x0F, 0x22, 0xC0, 0x0F, 0x20, 0xC3, 0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x0000000A);
    fixture_free(&f);

    /* MOV CRn ignores ModRM.mod: 0F 20 06 is MOV ESI, CR0 with no displacement. */
    fixture_init(&f, "486");
    CODE(0x0F, 0x20, 0xC3,              /* mov ebx, cr0 */
         0x0F, 0x20, 0x06,              /* mov esi, cr0 (mod = 00) */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x107);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], f.cpu.gpr[REG_EBX]);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], CR0_CD | CR0_NW | CR0_ET);  /* the 486's reset value: ET hardwired */
    fixture_free(&f);
}
END_TEST

START_TEST(mov_cr1_is_undefined)
{
    Fixture f;
    fixture_init(&f, "486");
    CODE(0x0F, 0x20, 0xC8, 0xF4);       /* mov eax, cr1 */
    run_to_fault(&f, EXC_UD, 0x100);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_CR_INVALID);
    fixture_free(&f);

    EXPECT_UD("486", 0x0F, 0x22, 0xC8);         /* mov cr1, eax */
}
END_TEST

START_TEST(lgdt_sgdt_round_trip_with_both_operand_sizes)
{
    Fixture f;
    fixture_init(&f, "386");
    static const uint8_t pseudo[6] = { 0x34, 0x12, 0x78, 0x56, 0x34, 0xAB };
    phys_write_block(&f.mem, DATA, pseudo, sizeof(pseudo));
    for (unsigned i = 0; i < 6; i++) {
        wr(&f, DATA + 0x10 + i, 0xEE, 1);
        wr(&f, DATA + 0x20 + i, 0xEE, 1);
    }
    CODE(0x0F, 0x01, 0x16, 0x00, 0x30,          /* lgdt [0x3000] */
         0x0F, 0x01, 0x06, 0x10, 0x30,          /* sgdt [0x3010] */
         0x66, 0x0F, 0x01, 0x16, 0x00, 0x30,    /* o32 lgdt [0x3000] */
         0x66, 0x0F, 0x01, 0x06, 0x20, 0x30,    /* o32 sgdt [0x3020] */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gdtr.limit, 0x1234);
    ck_assert_uint_eq(f.cpu.gdtr.base, 0x00345678);     /* 24 bits of base */
    run_to_hlt(&f);
    static const uint8_t store16[6] = { 0x34, 0x12, 0x78, 0x56, 0x34, 0x00 };
    static const uint8_t store32[6] = { 0x34, 0x12, 0x78, 0x56, 0x34, 0xAB };
    uint8_t out[6];
    phys_read_block(&f.mem, DATA + 0x10, out, 6);
    ck_assert_mem_eq(out, store16, 6);
    phys_read_block(&f.mem, DATA + 0x20, out, 6);
    ck_assert_mem_eq(out, store32, 6);
    ck_assert_uint_eq(f.cpu.gdtr.base, 0xAB345678);
    fixture_free(&f);
}
END_TEST

START_TEST(lmsw_sets_pe_but_cannot_clear_it)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xB8, 0x0E, 0x00,              /* mov ax, MP|EM|TS */
         0x0F, 0x01, 0xF0,              /* lmsw ax */
         0x0F, 0x01, 0xE3,              /* smsw bx */
         0xB8, 0x01, 0x00,              /* mov ax, PE */
         0x0F, 0x01, 0xF0,              /* lmsw ax */
         0x31, 0xC0,                    /* xor ax, ax */
         0x0F, 0x01, 0xF0,              /* lmsw ax: PE stays */
         0x0F, 0x01, 0xE1,              /* smsw cx */
         0x0F, 0x01, 0x26, 0x00, 0x30,  /* smsw [0x3000] */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x000E);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x0001);
    ck_assert_uint_eq(rd(&f, DATA, 2), 0x0001);
    ck_assert_uint_eq(f.cpu.cr0, CR0_PE);
    fixture_free(&f);
}
END_TEST

START_TEST(rdtsc_counts_up_on_the_pentium_and_is_undefined_on_the_486)
{
    Fixture f;
    fixture_init(&f, "pentium");
    CODE(0x0F, 0x31,                    /* rdtsc */
         0x66, 0x89, 0xC3,              /* mov ebx, eax */
         0x66, 0x89, 0xD1,              /* mov ecx, edx */
         0x0F, 0x31,                    /* rdtsc */
         0xF4);
    run_to_hlt(&f);
    uint64_t first = (uint64_t)f.cpu.gpr[REG_ECX] << 32 | f.cpu.gpr[REG_EBX];
    uint64_t second = (uint64_t)f.cpu.gpr[REG_EDX] << 32 | f.cpu.gpr[REG_EAX];
    ck_assert_uint_gt(second, first);
    fixture_free(&f);

    /* WRMSR to the TSC (MSR 0x10), then RDTSC carries into EDX. */
    fixture_init(&f, "pentium");
    CODE(0x66, 0xB9, 0x10, 0x00, 0x00, 0x00,   /* mov ecx, 0x10 */
         0x66, 0xB8, 0xFE, 0xFF, 0xFF, 0xFF,   /* mov eax, 0xFFFFFFFE */
         0x66, 0x31, 0xD2,                      /* xor edx, edx */
         0x0F, 0x30,                            /* wrmsr */
         0x90, 0x90, 0x90, 0x90,
         0x0F, 0x31,                            /* rdtsc */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 1);
    ck_assert_uint_lt(f.cpu.gpr[REG_EAX], 1000);
    fixture_free(&f);

    EXPECT_UD("486", 0x0F, 0x31);
}
END_TEST

/* CPUID with EAX = leaf; returns EAX..EDX in out[0..3] (EAX, EBX, ECX, EDX). */
static void run_cpuid(const char *model, uint32_t leaf, uint32_t out[4])
{
    Fixture f;
    fixture_init(&f, model);
    CODE(0x0F, 0xA2, 0xF4);
    f.cpu.gpr[REG_EAX] = leaf;
    run_to_hlt(&f);
    out[0] = f.cpu.gpr[REG_EAX];
    out[1] = f.cpu.gpr[REG_EBX];
    out[2] = f.cpu.gpr[REG_ECX];
    out[3] = f.cpu.gpr[REG_EDX];
    fixture_free(&f);
}

START_TEST(cpuid_vendor_family_and_features_per_model)
{
    static const char *const models[] = { "pentium", "pentium2" };
    for (unsigned m = 0; m < 2; m++) {
        uint32_t r[4];
        run_cpuid(models[m], 0, r);
        ck_assert_uint_eq(r[0], 1);                 /* highest leaf */
        ck_assert_uint_eq(r[1], 0x756E6547);        /* "Genu" */
        ck_assert_uint_eq(r[3], 0x49656E69);        /* "ineI" */
        ck_assert_uint_eq(r[2], 0x6C65746E);        /* "ntel" */
        run_cpuid(models[m], 1, r);
        ck_assert_uint_eq((r[0] >> 8) & 0xF, 5 + m);    /* family: P5, then P6 */
        /* FPU, TSC, MSR, CX8: what these models have */
        ck_assert_uint_eq(r[3] & 0x131, 0x131);
        uint32_t above[4];
        run_cpuid(models[m], 5, above);                 /* past the highest: as the highest */
        ck_assert_mem_eq(above, r, sizeof(r));
    }
    EXPECT_UD("486", 0x0F, 0xA2);
}
END_TEST

START_TEST(invd_wbinvd_exist_from_the_486)
{
    EXPECT_UD("386", 0x0F, 0x08);
    EXPECT_UD("386", 0x0F, 0x09);
    Fixture f;
    fixture_init(&f, "486");
    CODE(0x0F, 0x08, 0x0F, 0x09, 0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x105);
    fixture_free(&f);
}
END_TEST

/* ---- 32-bit addressing ---- */

START_TEST(addressing_32bit_sib_and_disp32)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x2000;
    f.cpu.gpr[REG_ECX] = 0x10;
    wr(&f, 0x3080, 0xCAFEBABE, 4);
    wr(&f, 0x2040, 0x0BADF00D, 4);
    wr(&f, 0x3000, 0x12345678, 4);
    CODE(0x66, 0x67, 0x8B, 0x94, 0xC8, 0x00, 0x10, 0x00, 0x00,  /* mov edx, [eax+ecx*8+0x1000] */
         0x66, 0x67, 0x8B, 0x3C, 0x8D, 0x00, 0x20, 0x00, 0x00,  /* mov edi, [ecx*4+0x2000] */
         0x66, 0x67, 0x8B, 0x35, 0x00, 0x30, 0x00, 0x00,        /* mov esi, [0x3000] */
         0x66, 0xBB, 0xF0, 0xFF, 0xFF, 0xFF,                    /* mov ebx, 0xFFFFFFF0 */
         0x66, 0xB9, 0x10, 0x30, 0x00, 0x00,                    /* mov ecx, 0x3010 */
         0x66, 0x67, 0x8B, 0x04, 0x0B,                          /* mov eax, [ebx+ecx]: wraps */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0xCAFEBABE);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0x0BADF00D);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 0x12345678);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x12345678);
    fixture_free(&f);
}
END_TEST

/* SS (base 0x1000) and DS (base 0) differ, so the default segment shows. */
START_TEST(addressing_32bit_esp_and_ebp_bases_default_to_ss)
{
    Fixture f;
    fixture_init(&f, "386");
    cpu_load_segment_real(&f.cpu, SEG_SS, 0x0100);
    f.cpu.gpr[REG_EBP] = 0x7000;
    f.cpu.gpr[REG_ESI] = 0x10;
    wr(&f, 0x9000, 0x11111111, 4);      /* SS:ESP */
    wr(&f, 0x8000, 0xBAD0BAD0, 4);      /* DS:ESP */
    wr(&f, 0x8008, 0x22222222, 4);      /* SS:EBP+8 */
    wr(&f, 0x7008, 0x33333333, 4);      /* DS:EBP+8 */
    wr(&f, 0x8FFC, 0x44444444, 4);      /* SS:ESP-4 */
    wr(&f, 0x8024, 0x55555555, 4);      /* SS:EBP+ESI*2+4 */
    CODE(0x66, 0x67, 0x8B, 0x1C, 0x24,          /* mov ebx, [esp] */
         0x66, 0x67, 0x8B, 0x45, 0x08,          /* mov eax, [ebp+8] */
         0x3E, 0x66, 0x67, 0x8B, 0x4D, 0x08,    /* mov ecx, [ds:ebp+8] */
         0x66, 0x67, 0x8B, 0x54, 0x24, 0xFC,    /* mov edx, [esp-4] */
         0x66, 0x67, 0x8B, 0x7C, 0x75, 0x04,    /* mov edi, [ebp+esi*2+4] */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x11111111);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x22222222);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x33333333);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0x44444444);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0x55555555);
    fixture_free(&f);
}
END_TEST

START_TEST(addressing_32bit_offset_past_the_real_mode_limit_faults)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x10000;
    CODE(0x66, 0x67, 0x8B, 0x00, 0xF4);         /* mov eax, [eax] */
    run_to_fault(&f, EXC_GP, 0x100);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SEGMENT_LIMIT);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x10000);
    fixture_free(&f);

    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBP] = 0x10000;
    CODE(0x66, 0x67, 0x8B, 0x45, 0x00, 0xF4);   /* mov eax, [ebp]: SS */
    run_to_fault(&f, EXC_SS, 0x100);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_STACK_LIMIT);
    fixture_free(&f);
}
END_TEST

/* ---- strings ---- */

static const uint8_t twelve[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

START_TEST(rep_movsd_with_32bit_address_size_uses_ecx_esi_edi)
{
    Fixture f;
    fixture_init(&f, "386");
    phys_write_block(&f.mem, 0x2000, twelve, sizeof(twelve));
    wr(&f, 0x200C, 0xFFFFFFFF, 4);
    f.cpu.gpr[REG_ECX] = 3;
    f.cpu.gpr[REG_ESI] = 0x2000;
    f.cpu.gpr[REG_EDI] = 0x3000;
    CODE(0xF3, 0x66, 0x67, 0xA5, 0xF4);         /* a32 rep movsd */
    run_to_hlt(&f);
    uint8_t out[12];
    phys_read_block(&f.mem, 0x3000, out, sizeof(out));
    ck_assert_mem_eq(out, twelve, sizeof(twelve));
    ck_assert_uint_eq(rd(&f, 0x300C, 4), 0);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 0x200C);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0x300C);
    fixture_free(&f);
}
END_TEST

START_TEST(rep_movsd_with_16bit_address_size_uses_cx_si_di)
{
    Fixture f;
    fixture_init(&f, "386");
    phys_write_block(&f.mem, 0x2000, twelve, sizeof(twelve));
    f.cpu.gpr[REG_ECX] = 0x00010003;
    f.cpu.gpr[REG_ESI] = 0xABCD2000;
    f.cpu.gpr[REG_EDI] = 0x12343000;
    CODE(0xF3, 0x66, 0xA5, 0xF4);               /* rep movsd */
    run_to_hlt(&f);
    uint8_t out[12];
    phys_read_block(&f.mem, 0x3000, out, sizeof(out));
    ck_assert_mem_eq(out, twelve, sizeof(twelve));
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x00010000);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 0xABCD200C);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0x1234300C);
    fixture_free(&f);
}
END_TEST

/* A fault in the third iteration leaves the first two done and the
 * registers pointing at the third, so the instruction restarts there. */
START_TEST(rep_movsd_fault_mid_way_leaves_registers_at_the_failing_element)
{
    Fixture f;
    fixture_init(&f, "386");
    phys_write_block(&f.mem, 0xFFF8, twelve, 8);
    f.cpu.gpr[REG_ECX] = 3;
    f.cpu.gpr[REG_ESI] = 0xFFF8;
    f.cpu.gpr[REG_EDI] = 0x3000;
    CODE(0xF3, 0x66, 0x67, 0xA5, 0xF4);         /* a32 rep movsd */
    run_to_fault(&f, EXC_GP, 0x100);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SEGMENT_LIMIT);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 1);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 0x10000);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDI], 0x3008);
    uint8_t out[8];
    phys_read_block(&f.mem, 0x3000, out, sizeof(out));
    ck_assert_mem_eq(out, twelve, 8);
    ck_assert_uint_eq(rd(&f, 0x3008, 4), 0);
    fixture_free(&f);
}
END_TEST

/* ---- forms that need a memory operand ---- */

START_TEST(memory_only_forms_with_a_register_operand_are_undefined)
{
    static const uint8_t forms[][4] = {
        { 0x8D, 0xC3, 0xF4 },           /* lea ax, bx */
        { 0x62, 0xC0, 0xF4 },           /* bound ax, ax */
        { 0x0F, 0xB2, 0xC0, 0xF4 },     /* lss ax, ax */
        { 0x0F, 0x01, 0xD0, 0xF4 },     /* lgdt eax */
    };
    for (unsigned i = 0; i < 4; i++) {
        Fixture f;
        fixture_init(&f, "386");
        fixture_code(&f, forms[i], sizeof(forms[i]));
        run_to_fault(&f, EXC_UD, 0x100);
        ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_REGISTER_OPERAND);
        fixture_free(&f);
    }
}
END_TEST

/* ---- LOCK ---- */

START_TEST(lock_needs_a_lockable_instruction_with_a_memory_destination)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x0005;
    f.cpu.gpr[REG_EBX] = 0x0100;
    wr(&f, DATA, 0x0010, 2);
    CODE(0xF0, 0x01, 0x06, 0x00, 0x30,          /* lock add [0x3000], ax */
         0xF0, 0x0F, 0xAB, 0x06, 0x00, 0x30,    /* lock bts [0x3000], ax */
         0xF0, 0x87, 0x1E, 0x00, 0x30,          /* lock xchg [0x3000], bx */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, DATA, 2), 0x0100);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x0035);  /* 0x10 + 5, then bit 5 set */
    fixture_free(&f);

    static const uint8_t bad[][6] = {
        { 0xF0, 0x01, 0xC3, 0xF4 },                     /* lock add bx, ax */
        { 0xF0, 0x87, 0xD8, 0xF4 },                     /* lock xchg ax, bx */
        { 0xF0, 0x8B, 0x06, 0x00, 0x30, 0xF4 },         /* lock mov ax, [0x3000] */
        { 0xF0, 0x0F, 0xA3, 0x06, 0x00, 0x30 },         /* lock bt [0x3000], ax */
    };
    for (unsigned i = 0; i < 4; i++) {
        fixture_init(&f, "386");
        f.cpu.gpr[REG_EBX] = 0x1234;
        fixture_code(&f, bad[i], sizeof(bad[i]));
        run_to_fault(&f, EXC_UD, 0x100);
        ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_LOCK_NOT_ALLOWED);
        ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x1234);
        fixture_free(&f);
    }
}
END_TEST

Suite *insn_system_suite(void)
{
    Suite *s = suite_create("insn_system");
    TCase *tc = tcase_create("insn_system");
    tcase_add_test(tc, mov_cr0_cr2_cr3_round_trip);
    tcase_add_test(tc, mov_cr1_is_undefined);
    tcase_add_test(tc, lgdt_sgdt_round_trip_with_both_operand_sizes);
    tcase_add_test(tc, lmsw_sets_pe_but_cannot_clear_it);
    tcase_add_test(tc, rdtsc_counts_up_on_the_pentium_and_is_undefined_on_the_486);
    tcase_add_test(tc, cpuid_vendor_family_and_features_per_model);
    tcase_add_test(tc, invd_wbinvd_exist_from_the_486);
    tcase_add_test(tc, addressing_32bit_sib_and_disp32);
    tcase_add_test(tc, addressing_32bit_esp_and_ebp_bases_default_to_ss);
    tcase_add_test(tc, addressing_32bit_offset_past_the_real_mode_limit_faults);
    tcase_add_test(tc, rep_movsd_with_32bit_address_size_uses_ecx_esi_edi);
    tcase_add_test(tc, rep_movsd_with_16bit_address_size_uses_cx_si_di);
    tcase_add_test(tc, rep_movsd_fault_mid_way_leaves_registers_at_the_failing_element);
    tcase_add_test(tc, memory_only_forms_with_a_register_operand_are_undefined);
    tcase_add_test(tc, lock_needs_a_lockable_instruction_with_a_memory_destination);
    suite_add_tcase(s, tc);
    return s;
}
