/* SPDX-License-Identifier: MIT */
/*
 * Protected-mode segmentation (SDM vol. 3, ch. 3 and 5; vol. 2, MOV, LAR,
 * LSL, VERR, VERW, ARPL, LLDT, LTR): every #GP/#NP/#SS of a data and stack
 * segment load with its error code and recorded rule, the accessed bit,
 * limits with granularity, expand-down segments, type checks on access, and
 * the descriptor instructions.  Programs enter protected mode themselves
 * (pm_fixture.h) and run 32-bit code at PM_BODY.
 */
#include <check.h>

#include "pm_fixture.h"
#include "suites.h"

START_TEST(load_data_segment_sets_base_and_accessed)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0xFFFF, 0x92, 0x4);
    wr(&f, 0x20000, 0xCAFEBABE, 4);
    PM(0x66, 0xB8, 0x30, 0x00,          /* mov ax, 0x30 */
       0x8E, 0xD8,                      /* mov ds, ax */
       0xA1, 0x00, 0x00, 0x00, 0x00,    /* mov eax, [0] */
       0xF4);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, PM_BODY + 12);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0xCAFEBABE);
    ck_assert_uint_eq(f.cpu.seg[SEG_DS].base, 0x20000);
    ck_assert_uint_eq(f.cpu.seg[SEG_DS].limit, 0xFFFF);
    ck_assert_uint_eq(rd(&f, PM_GDT + 0x30 + 5, 1), 0x93);     /* accessed */
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, SEL_CODE0);
    ck_assert_uint_eq(rd(&f, PM_GDT + SEL_TSS + 5, 1), 0x8B);  /* LTR set busy */
    fixture_free(&f);
}
END_TEST

/* mov ax, sel; mov <seg>, ax: the second instruction is at PM_BODY + 4. */
static void load_and_expect(uint16_t sel, uint8_t modrm, unsigned vector, uint32_t code, int rule)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0xFFFF, 0x98, 0x4);   /* execute-only code */
    pm_desc(&f, SEL_T2, 0x20000, 0xFFFF, 0x12, 0x4);   /* not present data */
    pm_desc(&f, SEL_T3, 0x20000, 0xFFFF, 0x90, 0x4);   /* read-only data */
    pm_desc(&f, SEL_T4, 0x20000, 0xFFFF, 0x82, 0x0);   /* an LDT */
    uint8_t body[] = { 0x66, 0xB8, (uint8_t)sel, (uint8_t)(sel >> 8), 0x8E, modrm, 0xF4 };
    pm_write(&f, PM_BODY, body, sizeof(body));
    pm_expect(&f, vector, code, rule);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_BODY + 4);    /* a fault: EIP of the load */
    ck_assert_uint_eq(pm_stack(&f, 2), SEL_CODE0);
    fixture_free(&f);
}

enum { MODRM_DS = 0xD8, MODRM_SS = 0xD0, MODRM_ES = 0xC0 };

START_TEST(data_segment_load_faults)
{
    load_and_expect(0x100, MODRM_DS, EXC_GP, 0x100, FAULT_SEL_OUTSIDE_TABLE);
    load_and_expect(SEL_T1, MODRM_DS, EXC_GP, SEL_T1, FAULT_SEG_NOT_DATA);
    load_and_expect(SEL_T4, MODRM_ES, EXC_GP, SEL_T4, FAULT_SEG_NOT_DATA);
    load_and_expect(SEL_DATA0 | 3, MODRM_DS, EXC_GP, SEL_DATA0, FAULT_SEG_DATA_PRIV);
    load_and_expect(SEL_T2, MODRM_DS, EXC_NP, SEL_T2, FAULT_SEG_NOT_PRESENT);
    /* An LDT selector with no LDT loaded lies outside any table. */
    load_and_expect(0x0C, MODRM_DS, EXC_GP, 0x0C, FAULT_SEL_OUTSIDE_TABLE);
}
END_TEST

START_TEST(stack_segment_load_faults)
{
    load_and_expect(0, MODRM_SS, EXC_GP, 0, FAULT_SS_NULL);
    load_and_expect(SEL_DATA3 | 3, MODRM_SS, EXC_GP, SEL_DATA3, FAULT_SS_RPL);
    load_and_expect(SEL_T3, MODRM_SS, EXC_GP, SEL_T3, FAULT_SS_NOT_WRITABLE);
    load_and_expect(SEL_CODE0, MODRM_SS, EXC_GP, SEL_CODE0, FAULT_SS_NOT_WRITABLE);
    load_and_expect(SEL_DATA3, MODRM_SS, EXC_GP, SEL_DATA3, FAULT_SS_DPL);
    load_and_expect(SEL_T2, MODRM_SS, EXC_SS, SEL_T2, FAULT_SS_NOT_PRESENT);
}
END_TEST

START_TEST(fault_record_names_the_evidence)
{
    Fixture f;
    pm_setup(&f, "486");
    PM(0x66, 0xB8, 0x13, 0x00, 0x8E, 0xD8, 0xF4);      /* mov ds, 0x13 (RPL 3, DPL 0) */
    pm_expect(&f, EXC_GP, SEL_DATA0, FAULT_SEG_DATA_PRIV);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], 0x13);
    ck_assert_uint_eq(f.cpu.last_fault.detail[1], 0);   /* DPL */
    ck_assert_uint_eq(f.cpu.last_fault.detail[2], 3);   /* RPL */
    ck_assert_uint_eq(f.cpu.last_fault.eip, PM_BODY + 4);
    fixture_free(&f);
}
END_TEST

START_TEST(null_selector_loads_but_faults_on_use)
{
    Fixture f;
    pm_setup(&f, "486");
    PM(0x31, 0xC0,                      /* xor eax, eax */
       0x8E, 0xD8,                      /* mov ds, ax */
       0xA1, 0x00, 0x00, 0x00, 0x00,    /* mov eax, [0] */
       0xF4);
    pm_expect(&f, EXC_GP, 0, FAULT_SEG_NULL_ACCESS);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], SEG_DS);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_BODY + 4);
    fixture_free(&f);
}
END_TEST

/* mov ax, 0x30; mov ds, ax; mov eax, [offset]; hlt */
static void read_at(Fixture *f, uint32_t offset)
{
    uint8_t body[] = { 0x66, 0xB8, 0x30, 0x00, 0x8E, 0xD8, 0xA1,
                       (uint8_t)offset, (uint8_t)(offset >> 8), (uint8_t)(offset >> 16),
                       (uint8_t)(offset >> 24), 0xF4 };
    pm_write(f, PM_BODY, body, sizeof(body));
}

START_TEST(limit_is_scaled_by_granularity)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0xF, 0x92, 0xC);       /* G=1: limit 0xFFFF */
    read_at(&f, 0xFFFC);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.seg[SEG_DS].limit, 0xFFFF);
    fixture_free(&f);

    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0xF, 0x92, 0xC);
    read_at(&f, 0xFFFD);
    pm_expect(&f, EXC_GP, 0, FAULT_SEGMENT_LIMIT);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], 0xFFFF);
    ck_assert_uint_eq(f.cpu.last_fault.detail[1], 0xFFFD);
    fixture_free(&f);
}
END_TEST

START_TEST(expand_down_segment_limits)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0x0FFF, 0x96, 0x0);     /* 16-bit expand-down: 0x1000-0xFFFF */
    read_at(&f, 0x1000);
    pm_run_to_hlt(&f);
    fixture_free(&f);

    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0x0FFF, 0x96, 0x0);
    read_at(&f, 0x0FFF);
    pm_expect(&f, EXC_GP, 0, FAULT_SEGMENT_LIMIT);
    fixture_free(&f);

    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0x0FFF, 0x96, 0x0);
    read_at(&f, 0xFFFD);                                 /* crosses the 64 KiB top */
    pm_expect(&f, EXC_GP, 0, FAULT_SEGMENT_LIMIT);
    fixture_free(&f);

    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0x0FFF, 0x96, 0x4);     /* B=1: the top is 4 GiB */
    read_at(&f, 0xFFFD);
    pm_run_to_hlt(&f);
    fixture_free(&f);
}
END_TEST

START_TEST(writes_to_read_only_and_reads_of_execute_only_fault)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x20000, 0xFFFF, 0x9A, 0x4);     /* readable code in DS */
    PM(0x66, 0xB8, 0x30, 0x00, 0x8E, 0xD8,
       0xA1, 0x00, 0x00, 0x00, 0x00,                     /* read: fine */
       0xA3, 0x00, 0x00, 0x00, 0x00,                     /* write: #GP(0) */
       0xF4);
    pm_expect(&f, EXC_GP, 0, FAULT_SEG_READ_ONLY);
    ck_assert_uint_eq(pm_stack(&f, 1), PM_BODY + 11);
    fixture_free(&f);

    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0, 0xFFFFF, 0x98, 0xC);          /* execute-only code */
    PM(0xEA, 0x20, 0x21, 0x00, 0x00, 0x30, 0x00);        /* jmp 0x30:0x2120 */
    AT(0x2120, 0x2E, 0xA1, 0x00, 0x00, 0x00, 0x00, 0xF4); /* mov eax, cs:[0] */
    pm_expect(&f, EXC_GP, 0, FAULT_SEG_EXEC_ONLY);
    ck_assert_uint_eq(f.cpu.last_fault.detail[0], SEG_CS);
    ck_assert_uint_eq(pm_stack(&f, 2), SEL_T1);
    fixture_free(&f);
}
END_TEST

START_TEST(lar_lsl_verr_verw_arpl)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0, 0xFFFFF, 0x92, 0xC);          /* RW data, 4 GiB */
    pm_desc(&f, SEL_T2, 0, 0x1234, 0x98, 0x4);           /* execute-only code */
    pm_gate(&f, PM_GDT + SEL_T3, SEL_CODE0, 0x5000, 0xEC, 0);  /* call gate */
    PM(0x66, 0xB8, 0x30, 0x00,          /* mov ax, 0x30 */
       0x0F, 0x02, 0xD8,                /* lar ebx, eax */
       0x0F, 0x03, 0xC8,                /* lsl ecx, eax */
       0x0F, 0x94, 0xC2,                /* setz dl */
       0x0F, 0x00, 0xE8,                /* verw ax */
       0x0F, 0x94, 0xC6,                /* setz dh */
       0x66, 0xB8, 0x38, 0x00,          /* mov ax, 0x38 */
       0x0F, 0x00, 0xE0,                /* verr ax: execute-only, ZF=0 */
       0x0F, 0x94, 0xC4,                /* setz ah (ax no longer a selector) */
       0x88, 0xE5,                      /* mov ch, ah */
       0x66, 0xB8, 0x38, 0x00,
       0x0F, 0x03, 0xF0,                /* lsl esi, eax */
       0x66, 0xB8, 0x40, 0x00,          /* mov ax, 0x40 (call gate) */
       0x0F, 0x03, 0xF8,                /* lsl edi, eax: gates have no limit, ZF=0 */
       0x0F, 0x94, 0xC1,                /* setz cl */
       0x0F, 0x02, 0xE8,                /* lar ebp, eax: ZF=1 */
       0x66, 0xB8, 0x33, 0x00,          /* mov ax, 0x33 (RPL 3 > DPL 0) */
       0x0F, 0x02, 0xF8,                /* lar edi, eax: ZF=0 */
       0x0F, 0x94, 0xC0,                /* setz al */
       0xF4);
    f.cpu.gpr[REG_EDI] = 0x5555;
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x00CF9200);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX] & 0xFF, 0);       /* setz cl after LSL of a gate */
    ck_assert_uint_eq((f.cpu.gpr[REG_ECX] >> 8) & 0xFF, 0); /* VERR of execute-only */
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX] & 0xFF, 1);        /* LSL ok */
    ck_assert_uint_eq((f.cpu.gpr[REG_EDX] >> 8) & 0xFF, 1); /* VERW of RW data */
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 0x1234);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBP], 0x0000EC00);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFF, 0);
    ck_assert_uint_eq(rd(&f, PM_GDT + 0x30 + 5, 1), 0x92);  /* LAR does not set accessed */
    fixture_free(&f);
}
END_TEST

START_TEST(arpl_raises_rpl)
{
    Fixture f;
    pm_setup(&f, "486");
    PM(0x66, 0xB8, 0x10, 0x00,          /* mov ax, 0x10 */
       0x66, 0xBB, 0x1B, 0x00,          /* mov bx, 0x1B */
       0x63, 0xD8,                      /* arpl ax, bx */
       0x0F, 0x94, 0xC1,                /* setz cl */
       0xF4);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, 0x13);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX] & 0xFF, 1);
    fixture_free(&f);
}
END_TEST

START_TEST(lldt_sldt_str_and_ltr_checks)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0x15000, 0x17, 0x82, 0);         /* LDT of three entries */
    wr(&f, 0x15008, 0x0000FFFF, 4);                      /* LDT[1]: data at 0x30000 */
    wr(&f, 0x1500C, 0x00409203, 4);
    PM(0x66, 0xB8, 0x30, 0x00,
       0x0F, 0x00, 0xD0,                /* lldt ax */
       0x0F, 0x00, 0xC3,                /* sldt ebx */
       0x0F, 0x00, 0xC9,                /* str ecx */
       0x66, 0xB8, 0x0C, 0x00,          /* mov ax, 0x0C (LDT index 1) */
       0x8E, 0xD8,                      /* mov ds, ax */
       0xF4);
    f.cpu.gpr[REG_EBX] = 0xFFFFFFFF;
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x30);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], SEL_TSS);
    ck_assert_uint_eq(f.cpu.seg[SEG_DS].base, 0x30000);
    ck_assert_uint_eq(f.cpu.ldtr.base, 0x15000);
    fixture_free(&f);

    /* LTR of a busy TSS (the fixture's own, now busy) */
    pm_setup(&f, "486");
    PM(0x66, 0xB8, 0x28, 0x00, 0x0F, 0x00, 0xD8, 0xF4);
    pm_expect(&f, EXC_GP, SEL_TSS, FAULT_LTR_BAD);
    ck_assert_uint_eq(f.cpu.last_fault.detail[1], 0x0B);
    fixture_free(&f);

    /* LLDT of a data segment */
    pm_setup(&f, "486");
    PM(0x66, 0xB8, 0x10, 0x00, 0x0F, 0x00, 0xD0, 0xF4);
    pm_expect(&f, EXC_GP, SEL_DATA0, FAULT_LLDT_BAD);
    fixture_free(&f);
}
END_TEST

/* Back to real mode through a 16-bit code segment: DS keeps its 4 GiB limit
 * across a real-mode load ("unreal" mode), so a 32-bit offset works. */
START_TEST(return_to_real_mode_keeps_limits)
{
    Fixture f;
    pm_setup(&f, "486");
    pm_desc(&f, SEL_T1, 0, 0xFFFF, 0x9A, 0x0);          /* 16-bit code */
    wr(&f, 0x100000, 0x12345678, 4);
    PM(0xEA, 0x00, 0x26, 0x00, 0x00, 0x30, 0x00);       /* jmp 0x30:0x2600 */
    AT(0x2600, 0x0F, 0x20, 0xC0,                        /* mov eax, cr0 */
       0x24, 0xFE,                                      /* and al, ~PE */
       0x0F, 0x22, 0xC0,                                /* mov cr0, eax */
       0xEA, 0x20, 0x26, 0x00, 0x00);                   /* jmp 0000:2620 */
    AT(0x2620, 0x31, 0xC0, 0x8E, 0xD8,                  /* xor ax, ax; mov ds, ax */
       0x67, 0x66, 0xA1, 0x00, 0x00, 0x10, 0x00,        /* mov eax, [0x100000] */
       0xF4);
    pm_run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.eip, 0x262C);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x12345678);
    ck_assert_uint_eq(f.cpu.seg[SEG_DS].limit, 0xFFFFFFFF);
    ck_assert_uint_eq(f.cpu.seg[SEG_DS].base, 0);
    ck_assert_uint_eq(f.cpu.seg[SEG_CS].sel, 0);
    ck_assert(!(f.cpu.cr0 & CR0_PE));
    fixture_free(&f);
}
END_TEST

Suite *pm_segment_suite(void)
{
    Suite *s = suite_create("pm_segment");
    TCase *tc = tcase_create("segment");
    tcase_add_test(tc, load_data_segment_sets_base_and_accessed);
    tcase_add_test(tc, data_segment_load_faults);
    tcase_add_test(tc, stack_segment_load_faults);
    tcase_add_test(tc, fault_record_names_the_evidence);
    tcase_add_test(tc, null_selector_loads_but_faults_on_use);
    tcase_add_test(tc, limit_is_scaled_by_granularity);
    tcase_add_test(tc, expand_down_segment_limits);
    tcase_add_test(tc, writes_to_read_only_and_reads_of_execute_only_fault);
    tcase_add_test(tc, lar_lsl_verr_verw_arpl);
    tcase_add_test(tc, arpl_raises_rpl);
    tcase_add_test(tc, lldt_sldt_str_and_ltr_checks);
    tcase_add_test(tc, return_to_real_mode_keeps_limits);
    suite_add_tcase(s, tc);
    return s;
}
