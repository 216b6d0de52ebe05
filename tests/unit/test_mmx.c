/* SPDX-License-Identifier: MIT */
/*
 * MMX (cpu/mmx.c): exact results of every instruction with the saturation
 * and shift-count edges, the memory forms and their operand sizes, the
 * x87 aliasing (TOP, tags, exponent FFFFh), EMMS, the #UD/#NM/#MF checks
 * of SDM vol. 3 table 12-1, and a differential run of random operands
 * through the guest instructions and the host's own MMX unit.
 */
#include "cpu_fixture.h"

static uint64_t mm(Fixture *f, unsigned n) { return f->cpu.fpu.reg[n].significand; }

static void set_mm(Fixture *f, unsigned n, uint64_t v)
{
    f->cpu.fpu.reg[n].significand = v;
    f->cpu.fpu.reg[n].sign_exp = 0xFFFF;
}

/* Runs "0F op C1" (op mm0, mm1) with mm0 = a and mm1 = b; returns mm0. */
static uint64_t run_op(Fixture *f, uint8_t op, uint64_t a, uint64_t b)
{
    uint8_t code[] = { 0x0F, op, 0xC1, 0xF4 };
    fixture_code(f, code, sizeof code);
    f->cpu.eip = FIXTURE_CODE;
    f->cpu.halted = false;
    set_mm(f, 0, a);
    set_mm(f, 1, b);
    run_to_hlt(f);
    return mm(f, 0);
}

typedef struct Case {
    uint8_t op;
    uint64_t a, b, want;
} Case;

static const Case cases[] = {
    { 0xFC, 0x01FF7F8000000010, 0x0101010100000010, 0x0200808100000020 },  /* paddb */
    { 0xEC, 0x01FF7F8000000010, 0x0101010100000010, 0x02007F8100000020 },  /* paddsb */
    { 0xEC, 0x0000000000000080, 0x00000000000000FF, 0x0000000000000080 },  /* paddsb -128 + -1 */
    { 0xDC, 0x00000000FF80F001, 0x0000000001801002, 0x00000000FFFFFF03 },  /* paddusb */
    { 0xFD, 0xFFFF7FFF00018000, 0x0001000100018000, 0x0000800000020000 },  /* paddw */
    { 0xED, 0xFFFF7FFF00018000, 0x0001000100018000, 0x00007FFF00028000 },  /* paddsw */
    { 0xDD, 0xFFFF7FFF00018000, 0x0001000100018000, 0xFFFF80000002FFFF },  /* paddusw */
    { 0xFE, 0xFFFFFFFF7FFFFFFF, 0x0000000100000001, 0x0000000080000000 },  /* paddd */
    { 0xF8, 0x0000000000807F00, 0x000000000001FF01, 0x00000000007F80FF },  /* psubb */
    { 0xE8, 0x0000000000807F00, 0x000000000001FF01, 0x0000000000807FFF },  /* psubsb */
    { 0xD8, 0x0000000000807F00, 0x000000000001FF01, 0x00000000007F0000 },  /* psubusb */
    { 0xF9, 0x800000007FFF0005, 0x00010001FFFF0003, 0x7FFFFFFF80000002 },  /* psubw */
    { 0xE9, 0x800000007FFF0005, 0x00010001FFFF0003, 0x8000FFFF7FFF0002 },  /* psubsw */
    { 0xD9, 0x800000007FFF0005, 0x00010001FFFF0003, 0x7FFF000000000002 },  /* psubusw */
    { 0xFA, 0x0000000080000000, 0x0000000100000001, 0xFFFFFFFF7FFFFFFF },  /* psubd */
    { 0x74, 0x0102030405060708, 0x0102000405000708, 0xFFFF00FFFF00FFFF },  /* pcmpeqb */
    { 0x75, 0x0001000200030004, 0x0001000000030000, 0xFFFF0000FFFF0000 },  /* pcmpeqw */
    { 0x76, 0x123456789ABCDEF0, 0x1234567800000000, 0xFFFFFFFF00000000 },  /* pcmpeqd */
    { 0x64, 0x000000007F80FF01, 0x0000000080010000, 0x00000000FF0000FF },  /* pcmpgtb */
    { 0x65, 0x0000000080007FFF, 0x0000FFFF7FFF8000, 0x0000FFFF0000FFFF },  /* pcmpgtw */
    { 0x66, 0x8000000000000001, 0x7FFFFFFFFFFFFFFF, 0x00000000FFFFFFFF },  /* pcmpgtd */
    { 0xD5, 0x8000FFFF01001234, 0x8000FFFF01000010, 0x0000000100002340 },  /* pmullw */
    { 0xE5, 0x8000FFFF01001234, 0x8000FFFF01000010, 0x4000000000010001 },  /* pmulhw */
    { 0xE5, 0x000000000000FFFE, 0x0000000000000003, 0x000000000000FFFF },  /* pmulhw -2 * 3 */
    { 0xF5, 0x8000800000020003, 0x8000800000040005, 0x8000000000000017 },  /* pmaddwd wrap */
    { 0xF5, 0x00000000FFFFFFFF, 0x0000000000020003, 0x00000000FFFFFFFB },  /* pmaddwd -3 - 2 */
    { 0xDB, 0xF0F0F0F0FF00FF00, 0x0FF00FF0F0F0F0F0, 0x00F000F0F000F000 },  /* pand */
    { 0xDF, 0xF0F0F0F0FF00FF00, 0x0FF00FF0F0F0F0F0, 0x0F000F0000F000F0 },  /* pandn */
    { 0xEB, 0xF0F0F0F0FF00FF00, 0x0FF00FF0F0F0F0F0, 0xFFF0FFF0FFF0FFF0 },  /* por */
    { 0xEF, 0xF0F0F0F0FF00FF00, 0x0FF00FF0F0F0F0F0, 0xFF00FF000FF00FF0 },  /* pxor */
    { 0xF1, 0x800140020001FFFF, 1, 0x000280040002FFFE },                   /* psllw 1 */
    { 0xF1, 0x800140020001FFFF, 16, 0 },                                   /* psllw 16 */
    { 0xF1, 0x800140020001FFFF, 0x100000000, 0 },                          /* psllw, count's high dword */
    { 0xF2, 0x8000000100000003, 4, 0x0000001000000030 },                   /* pslld */
    { 0xF3, 0x8000000000000001, 1, 2 },                                    /* psllq 1 */
    { 0xF3, 0x8000000000000001, 63, 0x8000000000000000 },                  /* psllq 63 */
    { 0xF3, 0x8000000000000001, 64, 0 },                                   /* psllq 64 */
    { 0xD1, 0x80000001FFFF0010, 4, 0x080000000FFF0001 },                   /* psrlw */
    { 0xD2, 0x800000000000FFFF, 31, 0x0000000100000000 },                  /* psrld */
    { 0xD2, 0x800000000000FFFF, 32, 0 },                                   /* psrld 32 */
    { 0xD3, 0x8000000000000000, 63, 1 },                                   /* psrlq */
    { 0xE1, 0x80007FFFFFF00010, 4, 0xF80007FFFFFF0001 },                   /* psraw */
    { 0xE1, 0x80007FFFFFF00010, 16, 0xFFFF0000FFFF0000 },                  /* psraw 16: sign fill */
    { 0xE2, 0x800000007FFFFFFF, 31, 0xFFFFFFFF00000000 },                  /* psrad */
    { 0xE2, 0x800000007FFFFFFF, 100, 0xFFFFFFFF00000000 },                 /* psrad 100 */
    { 0x63, 0x7FFF80000080FF80, 0x0001FFFF007FFF7F, 0x01FF7F807F807F80 },  /* packsswb */
    { 0x6B, 0x00008000FFFF7FFF, 0x7FFFFFFFFFFFFFFE, 0x7FFFFFFE7FFF8000 },  /* packssdw */
    { 0x67, 0x010000FFFFFF0080, 0x80007FFF00000001, 0x00FF0001FFFF0080 },  /* packuswb */
    { 0x60, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xBB44AA3399228811 },  /* punpcklbw */
    { 0x61, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xBBAA443399882211 },  /* punpcklwd */
    { 0x62, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xBBAA998844332211 },  /* punpckldq */
    { 0x68, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xFF88EE77DD66CC55 },  /* punpckhbw */
    { 0x69, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xFFEE8877DDCC6655 },  /* punpckhwd */
    { 0x6A, 0x8877665544332211, 0xFFEEDDCCBBAA9988, 0xFFEEDDCC88776655 },  /* punpckhdq */
};

START_TEST(exact_results)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t got = run_op(&f, cases[i].op, cases[i].a, cases[i].b);
        if (got != cases[i].want)
            ck_abort_msg("0F %02X: %016llx op %016llx = %016llx, want %016llx", cases[i].op,
                         (unsigned long long)cases[i].a, (unsigned long long)cases[i].b,
                         (unsigned long long)got, (unsigned long long)cases[i].want);
    }
    fixture_free(&f);
}
END_TEST

/* 0F 71-73 /2 /4 /6 ib on mm1. */
static uint64_t run_shift_imm(Fixture *f, uint8_t op, unsigned reg, uint8_t count, uint64_t v)
{
    uint8_t code[] = { 0x0F, op, (uint8_t)(0xC1 | reg << 3), count, 0xF4 };
    fixture_code(f, code, sizeof code);
    f->cpu.eip = FIXTURE_CODE;
    f->cpu.halted = false;
    set_mm(f, 1, v);
    run_to_hlt(f);
    return mm(f, 1);
}

START_TEST(shift_by_immediate)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    uint64_t v = 0x0001800000FF1234;
    ck_assert_uint_eq(run_shift_imm(&f, 0x71, 6, 4, v), 0x001000000FF02340);   /* psllw */
    ck_assert_uint_eq(run_shift_imm(&f, 0x71, 2, 4, v), 0x00000800000F0123);   /* psrlw */
    ck_assert_uint_eq(run_shift_imm(&f, 0x71, 4, 4, v), 0x0000F800000F0123);   /* psraw */
    ck_assert_uint_eq(run_shift_imm(&f, 0x71, 4, 0xFF, v), 0x0000FFFF00000000);
    ck_assert_uint_eq(run_shift_imm(&f, 0x72, 6, 8, 0x80000001FF000000), 0x0000010000000000);
    ck_assert_uint_eq(run_shift_imm(&f, 0x72, 2, 8, 0x80000001FF000000), 0x0080000000FF0000);
    ck_assert_uint_eq(run_shift_imm(&f, 0x72, 4, 8, 0x80000001FF000000), 0xFF800000FFFF0000);
    ck_assert_uint_eq(run_shift_imm(&f, 0x73, 6, 12, 0x8000000000000123), 0x0000000000123000);
    ck_assert_uint_eq(run_shift_imm(&f, 0x73, 2, 12, 0x8000000000000123), 0x0008000000000000);
    ck_assert_uint_eq(run_shift_imm(&f, 0x73, 2, 64, 0x8000000000000123), 0);
    /* Each immediate form matches the register-count form for every count. */
    static const struct { uint8_t imm_op, reg, reg_op; } pairs[] = {
        { 0x71, 2, 0xD1 }, { 0x71, 4, 0xE1 }, { 0x71, 6, 0xF1 }, { 0x72, 2, 0xD2 },
        { 0x72, 4, 0xE2 }, { 0x72, 6, 0xF2 }, { 0x73, 2, 0xD3 }, { 0x73, 6, 0xF3 },
    };
    for (unsigned p = 0; p < 8; p++)
        for (unsigned c = 0; c < 70; c++)
            ck_assert_uint_eq(run_shift_imm(&f, pairs[p].imm_op, pairs[p].reg, (uint8_t)c, v),
                              run_op(&f, pairs[p].reg_op, v, c));
    fixture_free(&f);
}
END_TEST

START_TEST(movd_movq_and_aliasing)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    CODE(0x0F, 0x6E, 0xC0,                     /* movd mm0, eax */
         0x0F, 0x7E, 0xCB,                     /* movd ebx, mm1 */
         0x0F, 0x6F, 0x16, 0x00, 0x30,         /* movq mm2, [0x3000] */
         0x0F, 0x7F, 0x16, 0x08, 0x30,         /* movq [0x3008], mm2 */
         0x0F, 0x6F, 0xDA,                     /* movq mm3, mm2 */
         0x0F, 0x7F, 0xD4,                     /* movq mm4, mm2 (the 7F register form) */
         0x0F, 0x6E, 0x2E, 0x10, 0x30,         /* movd mm5, [0x3010] */
         0x0F, 0x7E, 0x06, 0x14, 0x30,         /* movd [0x3014], mm0 */
         0xF4);
    f.cpu.gpr[REG_EAX] = 0x12345678;
    f.cpu.fpu.reg[1].significand = 0xAAAABBBBCCCCDDDD;
    wr(&f, 0x3000, 0x89ABCDEF, 4);
    wr(&f, 0x3004, 0x01234567, 4);
    wr(&f, 0x3010, 0xFEDCBA98, 4);
    f.cpu.fpu.status = 5 << FSW_TOP_SHIFT;
    f.cpu.fpu.tag = 0xFFFF;
    run_to_hlt(&f);
    ck_assert_uint_eq(mm(&f, 0), 0x12345678);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xCCCCDDDD);
    ck_assert_uint_eq(mm(&f, 2), 0x0123456789ABCDEF);
    ck_assert_uint_eq(rd(&f, 0x3008, 4), 0x89ABCDEF);
    ck_assert_uint_eq(rd(&f, 0x300C, 4), 0x01234567);
    ck_assert_uint_eq(mm(&f, 3), 0x0123456789ABCDEF);
    ck_assert_uint_eq(mm(&f, 4), 0x0123456789ABCDEF);
    ck_assert_uint_eq(mm(&f, 5), 0xFEDCBA98);
    ck_assert_uint_eq(rd(&f, 0x3014, 4), 0x12345678);
    /* TOP 0, every tag valid; written registers have exponent and sign all ones. */
    ck_assert_uint_eq(f.cpu.fpu.status & FSW_TOP, 0);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0);
    for (unsigned r = 0; r < 6; r++)
        ck_assert_uint_eq(f.cpu.fpu.reg[r].sign_exp, r == 1 ? 0 : 0xFFFF);
    fixture_free(&f);
}
END_TEST

START_TEST(emms_empties_the_tags)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    CODE(0x0F, 0xEF, 0xC0, 0x0F, 0x77, 0xF4);  /* pxor mm0, mm0; emms */
    f.cpu.fpu.status = 3 << FSW_TOP_SHIFT;
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0xFFFF);
    ck_assert_uint_eq(f.cpu.fpu.status & FSW_TOP, 0);
    ck_assert_uint_eq(f.cpu.fpu.reg[0].sign_exp, 0xFFFF);
    ck_assert_uint_eq(mm(&f, 0), 0);
    fixture_free(&f);
}
END_TEST

/* PUNPCKL's memory operand is a dword: it fits the last 4 bytes of a
 * segment that PUNPCKH's quadword does not. */
START_TEST(punpckl_reads_a_dword)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    CODE(0x0F, 0x60, 0x06, 0xFC, 0xFF,         /* punpcklbw mm0, [0xFFFC] */
         0x0F, 0x68, 0x06, 0xFC, 0xFF);        /* punpckhbw mm0, [0xFFFC] */
    wr(&f, 0xFFFC, 0x44332211, 4);
    set_mm(&f, 0, 0x00000000D4C3B2A1);
    step(&f);
    ck_assert_uint_eq(mm(&f, 0), 0x44D433C322B211A1);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE + 5);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SEGMENT_LIMIT);
    fixture_free(&f);
}
END_TEST

static void expect_fault(const char *model, uint32_t cr0_set, uint16_t status, const uint8_t *code,
                         size_t n, unsigned vector, int rule)
{
    Fixture f;
    fixture_init(&f, model);
    fixture_code(&f, code, n);
    f.cpu.cr0 |= cr0_set;
    f.cpu.fpu.status = status;
    f.cpu.fpu.tag = 0xFFFF;
    run_to_fault(&f, vector, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, rule);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0xFFFF);      /* nothing happened */
    fixture_free(&f);
}

START_TEST(checks_of_table_12_1)
{
    static const uint8_t paddb[] = { 0x0F, 0xFC, 0xC1, 0xF4 };
    static const uint8_t emms[] = { 0x0F, 0x77, 0xF4 };
    static const uint8_t movq_66[] = { 0x66, 0x0F, 0x6F, 0xC1, 0xF4 };
    static const uint8_t movq_f3[] = { 0xF3, 0x0F, 0x7E, 0xC1, 0xF4 };
    static const uint8_t shift_mem[] = { 0x0F, 0x71, 0x36, 0x00, 0x30, 0x04, 0xF4 };

    expect_fault("pentium2", CR0_EM, 0, paddb, sizeof paddb, EXC_UD, FAULT_MMX_EM);
    expect_fault("pentium2", CR0_EM | CR0_TS, 0, paddb, sizeof paddb, EXC_UD, FAULT_MMX_EM);
    expect_fault("pentium2", CR0_TS, 0, paddb, sizeof paddb, EXC_NM, FAULT_MMX_TS);
    expect_fault("pentium2", CR0_TS | CR0_MP, 0, emms, sizeof emms, EXC_NM, FAULT_MMX_TS);
    expect_fault("pentium2", CR0_EM, 0, emms, sizeof emms, EXC_UD, FAULT_MMX_EM);
    /* A pending unmasked x87 exception is #MF under CR0.NE. */
    expect_fault("pentium2", CR0_NE, FSW_ES | FSW_ZE, paddb, sizeof paddb, EXC_MF, FAULT_FPU_PENDING);
    expect_fault("pentium2", 0, 0, movq_66, sizeof movq_66, EXC_UD, FAULT_MMX_SSE_PREFIX);
    expect_fault("pentium2", 0, 0, movq_f3, sizeof movq_f3, EXC_UD, FAULT_MMX_SSE_PREFIX);
    expect_fault("pentium2", 0, 0, shift_mem, sizeof shift_mem, EXC_UD, FAULT_MMX_SHIFT_MEMORY);
    expect_fault("pentium", 0, 0, paddb, sizeof paddb, EXC_UD, FAULT_UNDEFINED_OPCODE);
    expect_fault("pentium", 0, 0, emms, sizeof emms, EXC_UD, FAULT_UNDEFINED_OPCODE);
    expect_fault("486", 0, 0, paddb, sizeof paddb, EXC_UD, FAULT_UNDEFINED_OPCODE);
}
END_TEST

#if defined(__x86_64__) || defined(__i386__)
/* The host's MMX unit: op mm, mm for the opcode. */
static uint64_t host_op(uint8_t op, uint64_t a, uint64_t b)
{
#define H(code, insn) case code: __asm__(insn " %1, %0" : "+y"(a) : "y"(b)); break;
    switch (op) {
    H(0x60, "punpcklbw") H(0x61, "punpcklwd") H(0x62, "punpckldq") H(0x63, "packsswb")
    H(0x64, "pcmpgtb") H(0x65, "pcmpgtw") H(0x66, "pcmpgtd") H(0x67, "packuswb")
    H(0x68, "punpckhbw") H(0x69, "punpckhwd") H(0x6A, "punpckhdq") H(0x6B, "packssdw")
    H(0x74, "pcmpeqb") H(0x75, "pcmpeqw") H(0x76, "pcmpeqd")
    H(0xD1, "psrlw") H(0xD2, "psrld") H(0xD3, "psrlq") H(0xD5, "pmullw")
    H(0xD8, "psubusb") H(0xD9, "psubusw") H(0xDB, "pand") H(0xDC, "paddusb")
    H(0xDD, "paddusw") H(0xDF, "pandn") H(0xE1, "psraw") H(0xE2, "psrad")
    H(0xE5, "pmulhw") H(0xE8, "psubsb") H(0xE9, "psubsw") H(0xEB, "por")
    H(0xEC, "paddsb") H(0xED, "paddsw") H(0xEF, "pxor") H(0xF1, "psllw")
    H(0xF2, "pslld") H(0xF3, "psllq") H(0xF5, "pmaddwd") H(0xF8, "psubb")
    H(0xF9, "psubw") H(0xFA, "psubd") H(0xFC, "paddb") H(0xFD, "paddw") H(0xFE, "paddd")
    default: ck_abort_msg("no host form for 0F %02X", op);
    }
#undef H
    __asm__ volatile("emms");
    return a;
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Operands biased towards the saturation and sign edges. */
static uint64_t random_operand(uint64_t *s)
{
    static const uint64_t edges[] = { 0, ~UINT64_C(0), 0x8000800080008000, 0x7FFF7FFF7FFF7FFF,
                                      0x8080808080808080, 0x7F7F7F7F7F7F7F7F, 0x80000000FFFFFFFF };
    uint64_t r = xorshift(s);
    switch (r & 7) {
    case 0: return edges[(r >> 8) % 7];
    case 1: return (r >> 8) & 0x7F;                 /* a shift count */
    case 2: return edges[(r >> 8) % 7] ^ (xorshift(s) & 0x0101010101010101);
    default: return xorshift(s);
    }
}

START_TEST(differential_against_host)
{
    Fixture f;
    uint64_t seed = 0x9E3779B97F4A7C15;
    unsigned checked = 0;
    fixture_init(&f, "pentium2");
    for (size_t i = 0; i < 256; i++) {
        uint8_t op = (uint8_t)i;
        const OpcodeInfo *row = cpu_opcode_lookup(1, op, 0);
        if (!row || row->handler != mmx_Pq_Qq)
            continue;
        for (unsigned n = 0; n < 300; n++) {
            uint64_t a = random_operand(&seed), b = random_operand(&seed);
            uint64_t want = host_op(op, a, b), got = run_op(&f, op, a, b);
            if (got != want)
                ck_abort_msg("0F %02X: %016llx op %016llx = %016llx, host %016llx", op,
                             (unsigned long long)a, (unsigned long long)b,
                             (unsigned long long)got, (unsigned long long)want);
            checked++;
        }
    }
    ck_assert_uint_eq(checked, 44 * 300);
    fixture_free(&f);
}
END_TEST
#endif

Suite *mmx_suite(void)
{
    Suite *s = suite_create("mmx");
    TCase *tc = tcase_create("mmx");
    tcase_add_test(tc, exact_results);
    tcase_add_test(tc, shift_by_immediate);
    tcase_add_test(tc, movd_movq_and_aliasing);
    tcase_add_test(tc, emms_empties_the_tags);
    tcase_add_test(tc, punpckl_reads_a_dword);
    tcase_add_test(tc, checks_of_table_12_1);
#if defined(__x86_64__) || defined(__i386__)
    tcase_add_test(tc, differential_against_host);
#endif
    suite_add_tcase(s, tc);
    return s;
}
