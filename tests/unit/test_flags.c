/* SPDX-License-Identifier: MIT */
/*
 * Lazy flags and the arithmetic they serve: exact EFLAGS after ALU results at
 * the edges (signed overflow, carry and borrow, ADC/SBB with the carry in,
 * INC/DEC keeping CF, logic clearing CF/OF, NEG), parity of the low byte
 * only, the sixteen Jcc conditions against plain C comparisons, and a few
 * whole instructions whose flag rules are easy to get wrong (a zero shift
 * count, RCL by 9, BT with a negative bit offset, BSF of zero, XADD,
 * CMPXCHG and CMPXCHG8B on memory).
 */
#include <check.h>
#include <string.h>

#include "cpu_fixture.h"
#include "suites.h"

/* A zeroed 486 with no memory: enough for the flag functions. */
static Cpu bare_cpu(void)
{
    Cpu cpu;
    memset(&cpu, 0, sizeof(cpu));
    cpu.model = cpu_model_find("486");
    return cpu;
}

/* EFLAGS as software sees it: the arithmetic bits plus the fixed bit 1. */
static uint32_t arith(Cpu *cpu)
{
    return cpu_get_eflags(cpu) & (EFLAGS_ARITH | EFLAGS_FIXED1);
}

/* dst OP src with a carry in, and the result and EFLAGS a 386 gives. */
typedef struct AluCase {
    AluOp op;
    unsigned size;
    uint32_t dst, src;
    bool cf_in;
    uint32_t res, flags;    /* flags: arithmetic bits, bit 1 implied */
} AluCase;

#define F(x) EFLAGS_##x
static const AluCase alu_cases[] = {
    /* ADD: signed overflow; carry out to zero */
    { ALU_ADD, 1, 0x7F, 0x01, false, 0x80, F(OF) | F(SF) | F(AF) },
    { ALU_ADD, 4, 0xFFFFFFFFu, 1, false, 0, F(CF) | F(PF) | F(AF) | F(ZF) },
    /* PF looks at the low byte only: 0x0300 has an all-zero low byte */
    { ALU_ADD, 2, 0x0100, 0x0200, false, 0x0300, F(PF) },
    /* SUB/CMP: borrow; signed overflow; equal */
    { ALU_SUB, 2, 0x0000, 0x0001, false, 0xFFFF, F(CF) | F(PF) | F(AF) | F(SF) },
    { ALU_SUB, 1, 0x80, 0x01, false, 0x7F, F(OF) | F(AF) },
    { ALU_CMP, 4, 0x12345678u, 0x12345678u, false, 0, F(ZF) | F(PF) },
    /* ADC/SBB: a result equal to dst carries only when src is all ones */
    { ALU_ADC, 1, 0xFF, 0xFF, true, 0xFF, F(CF) | F(PF) | F(AF) | F(SF) },
    { ALU_ADC, 2, 0x8000, 0, false, 0x8000, F(SF) | F(PF) },
    { ALU_ADC, 4, 0x7FFFFFFFu, 0, true, 0x80000000u, F(OF) | F(SF) | F(AF) | F(PF) },
    { ALU_SBB, 1, 0x00, 0xFF, true, 0x00, F(CF) | F(PF) | F(AF) | F(ZF) },
    { ALU_SBB, 4, 5, 4, true, 0, F(PF) | F(ZF) },
    { ALU_SBB, 2, 0, 0, true, 0xFFFF, F(CF) | F(SF) | F(AF) | F(PF) },
    /* logic: CF, OF and AF cleared whatever they were */
    { ALU_AND, 4, 0xF0F0F0F0u, 0x0F0F0F0Fu, true, 0, F(ZF) | F(PF) },
    { ALU_OR, 4, 0x80000000u, 0, true, 0x80000000u, F(SF) | F(PF) },
    { ALU_XOR, 2, 0x00FF, 0x00FE, false, 1, 0 },
};
#undef F

START_TEST(alu_results_and_flags)
{
    const AluCase *c = &alu_cases[_i];
    Cpu cpu = bare_cpu();
    /* Every arithmetic flag set before, to see the ones the operation clears. */
    cpu_set_eflags(&cpu, (EFLAGS_ARITH & ~EFLAGS_CF) | (c->cf_in ? EFLAGS_CF : 0) | EFLAGS_DF);
    ck_assert_uint_eq(alu_binary(&cpu, c->op, c->size, c->dst, c->src), c->res);
    ck_assert_msg(cpu_get_eflags(&cpu) == (c->flags | EFLAGS_DF | EFLAGS_FIXED1),
                  "case %d: EFLAGS %x, expected %x", _i, cpu_get_eflags(&cpu),
                  c->flags | EFLAGS_DF | EFLAGS_FIXED1);
}
END_TEST

START_TEST(inc_dec_preserve_cf)
{
    Cpu cpu = bare_cpu();
    alu_binary(&cpu, ALU_ADD, 1, 0xFF, 0x01);               /* CF = 1 */
    flags_record(&cpu, FLAG_OP_INC, 1, 0x7F, 1, 0x80);
    ck_assert_uint_eq(arith(&cpu),
                      EFLAGS_CF | EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_FIXED1);
    /* Twice in a row: the second INC must see the CF the first one kept. */
    flags_record(&cpu, FLAG_OP_INC, 1, 0xFF, 1, 0x00);
    flags_record(&cpu, FLAG_OP_DEC, 2, 0x8000, 1, 0x7FFF);
    ck_assert(flag_cf(&cpu));
    ck_assert_uint_eq(arith(&cpu),
                      EFLAGS_CF | EFLAGS_OF | EFLAGS_AF | EFLAGS_PF | EFLAGS_FIXED1);
    alu_binary(&cpu, ALU_SUB, 1, 1, 1);                     /* CF = 0 */
    flags_record(&cpu, FLAG_OP_INC, 1, 0xFF, 1, 0x00);
    ck_assert_uint_eq(arith(&cpu), EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF | EFLAGS_FIXED1);
}
END_TEST

START_TEST(neg_flags)
{
    Cpu cpu = bare_cpu();
    flags_record(&cpu, FLAG_OP_NEG, 1, 0, 0x80, 0x80);      /* NEG of -128 */
    ck_assert_uint_eq(arith(&cpu), EFLAGS_CF | EFLAGS_OF | EFLAGS_SF | EFLAGS_FIXED1);
    flags_record(&cpu, FLAG_OP_NEG, 2, 0, 0, 0);             /* NEG of 0: no carry */
    ck_assert_uint_eq(arith(&cpu), EFLAGS_ZF | EFLAGS_PF | EFLAGS_FIXED1);
    flags_record(&cpu, FLAG_OP_NEG, 4, 0, 1, 0xFFFFFFFFu);
    ck_assert_uint_eq(arith(&cpu),
                      EFLAGS_CF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF | EFLAGS_FIXED1);
}
END_TEST

START_TEST(parity_counts_the_low_byte_only)
{
    ck_assert_uint_eq(parity_flag(0x00), EFLAGS_PF);
    ck_assert_uint_eq(parity_flag(0x01), 0);
    ck_assert_uint_eq(parity_flag(0x03), EFLAGS_PF);
    ck_assert_uint_eq(parity_flag(0xFE), 0);
    ck_assert_uint_eq(parity_flag(0xFF), EFLAGS_PF);
    ck_assert_uint_eq(parity_flag(0x100), EFLAGS_PF);
    ck_assert_uint_eq(parity_flag(0xFFFFFF01u), 0);
}
END_TEST

START_TEST(flags_set_keeps_pending_result)
{
    Cpu cpu = bare_cpu();
    alu_binary(&cpu, ALU_SUB, 1, 0, 1);                     /* CF SF AF PF */
    flags_set(&cpu, EFLAGS_ZF, EFLAGS_ZF);
    ck_assert_uint_eq(arith(&cpu), EFLAGS_CF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF |
                                   EFLAGS_ZF | EFLAGS_FIXED1);
    flags_set_szp(&cpu, 1, 0x03);
    ck_assert_uint_eq(arith(&cpu), EFLAGS_CF | EFLAGS_AF | EFLAGS_PF | EFLAGS_FIXED1);
    cpu_set_eflags(&cpu, 0);
    ck_assert_uint_eq(cpu_get_eflags(&cpu), EFLAGS_FIXED1);
}
END_TEST

/* Each cc against what its name means for a CMP dst, src. */
static void check_conditions(unsigned size, uint32_t dst, uint32_t src)
{
    Cpu cpu = bare_cpu();
    int32_t sd = (int32_t)sign_extend(dst, size), ss = (int32_t)sign_extend(src, size);
    uint32_t res = (dst - src) & size_mask(size);
    int64_t wide = (int64_t)sd - ss;
    bool of = wide != (int32_t)sign_extend(res, size);
    bool sf = (res & size_sign_bit(size)) != 0;
    bool pf = parity_flag(res) != 0;
    bool expect[8] = { of, dst < src, dst == src, dst <= src, sf, pf, sd < ss, sd <= ss };

    alu_binary(&cpu, ALU_CMP, size, dst, src);
    for (unsigned cc = 0; cc < 16; cc++) {
        bool want = (cc & 1) ? !expect[cc >> 1] : expect[cc >> 1];
        ck_assert_msg(cpu_condition(&cpu, cc) == want,
                      "cc %x after cmp/%u %x, %x (lazy)", cc, size, dst, src);
    }
    cpu_get_eflags(&cpu);                                   /* fold, then ask again */
    for (unsigned cc = 0; cc < 16; cc++) {
        bool want = (cc & 1) ? !expect[cc >> 1] : expect[cc >> 1];
        ck_assert_msg(cpu_condition(&cpu, cc) == want,
                      "cc %x after cmp/%u %x, %x (materialized)", cc, size, dst, src);
    }
}

START_TEST(conditions_match_comparisons)
{
    static const struct { unsigned size; uint32_t dst, src; } cases[] = {
        { 1, 1, 2 }, { 1, 2, 1 }, { 1, 5, 5 }, { 1, 0x80, 0x01 }, { 1, 0x01, 0x80 },
        { 1, 0x7F, 0xFF }, { 2, 0x8000, 0x7FFF }, { 2, 0xFFFF, 0 }, { 2, 3, 3 },
        { 4, 0, 0x80000000u }, { 4, 0x80000000u, 0 }, { 4, 0x7FFFFFFFu, 0xFFFFFFFFu },
        { 4, 0xFFFFFFFEu, 0xFFFFFFFFu }, { 4, 0x12345678u, 0x12345678u },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_conditions(cases[i].size, cases[i].dst, cases[i].src);
}
END_TEST

/* Raw EFLAGS values, all sixteen conditions at once: O B Z BE S P L LE. */
START_TEST(conditions_from_raw_eflags)
{
    static const struct { uint32_t flags; uint8_t taken; } cases[] = {
        { 0, 0x00 },
        { EFLAGS_OF, 0x01 | 0x40 | 0x80 },
        { EFLAGS_CF, 0x02 | 0x08 },
        { EFLAGS_ZF, 0x04 | 0x08 | 0x80 },
        { EFLAGS_SF, 0x10 | 0x40 | 0x80 },
        { EFLAGS_PF, 0x20 },
        { EFLAGS_SF | EFLAGS_OF, 0x01 | 0x10 },
        { EFLAGS_ARITH, 0xBF },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Cpu cpu = bare_cpu();
        cpu_set_eflags(&cpu, cases[i].flags);
        for (unsigned cc = 0; cc < 16; cc++) {
            bool base = (cases[i].taken >> (cc >> 1)) & 1;
            ck_assert_msg(cpu_condition(&cpu, cc) == ((cc & 1) ? !base : base),
                          "cc %x with EFLAGS %x", cc, cases[i].flags);
        }
    }
}
END_TEST

/* ---- whole instructions ---- */

START_TEST(shift_by_zero_changes_no_flags)
{
    Fixture f;
    fixture_init(&f, "486");
    CODE(0xB0, 0xFF,            /* mov al, 0xFF */
         0x04, 0x01,            /* add al, 1: CF ZF AF PF */
         0xB1, 0x20,            /* mov cl, 32: masks to 0 */
         0xD3, 0xE0,            /* shl ax, cl */
         0xC0, 0xE8, 0x00,      /* shr al, 0 */
         0xF4);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(cpu_get_eflags(&f.cpu) & EFLAGS_ARITH,
                      EFLAGS_CF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF);
    fixture_free(&f);
}
END_TEST

START_TEST(rcl_byte_by_nine_keeps_value_and_cf)
{
    Fixture f;
    fixture_init(&f, "486");
    CODE(0xF9,                  /* stc */
         0xB0, 0x81,            /* mov al, 0x81 */
         0xC0, 0xD0, 0x09,      /* rcl al, 9 */
         0xF4);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFF, 0x81);
    ck_assert(flag_cf(&f.cpu));
    ck_assert(!flag_of(&f.cpu));                /* CF XOR MSB of the value */
    fixture_free(&f);
}
END_TEST

START_TEST(bt_negative_offset_reaches_below_ea)
{
    Fixture f;
    fixture_init(&f, "386");
    phys_write(&f.mem, 0x1FE, 0x8000, 2);       /* bit 15 of the word below 0x200 */
    CODE(0xBB, 0x00, 0x02,      /* mov bx, 0x200 */
         0xB8, 0xFF, 0xFF,      /* mov ax, -1 */
         0x0F, 0xAB, 0x07,      /* bts [bx], ax: no change, CF = 1 */
         0xB8, 0xFE, 0xFF,      /* mov ax, -2 */
         0x0F, 0xA3, 0x07,      /* bt [bx], ax: bit 14 of [0x1FE], CF = 0 */
         0xF4);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert(!flag_cf(&f.cpu));
    ck_assert_uint_eq(phys_read(&f.mem, 0x1FE, 2), 0x8000);
    fixture_free(&f);
}
END_TEST

START_TEST(bsf_of_zero_sets_zf_and_keeps_destination)
{
    Fixture f;
    fixture_init(&f, "386");
    CODE(0xB9, 0x34, 0x12,      /* mov cx, 0x1234 */
         0x31, 0xC0,            /* xor ax, ax */
         0x0F, 0xBC, 0xC8,      /* bsf cx, ax */
         0xF4);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX] & 0xFFFF, 0x1234);
    ck_assert(flag_zf(&f.cpu));
    fixture_free(&f);
}
END_TEST

START_TEST(xadd_and_cmpxchg_on_memory)
{
    Fixture f;
    fixture_init(&f, "486");
    phys_write(&f.mem, 0x300, 5, 2);
    phys_write(&f.mem, 0x302, 0x77, 2);
    CODE(0xBE, 0x00, 0x03,      /* mov si, 0x300 */
         0xB8, 0x03, 0x00,      /* mov ax, 3 */
         0x0F, 0xC1, 0x04,      /* xadd [si], ax: [si] = 8, ax = 5 */
         0xB9, 0x99, 0x00,      /* mov cx, 0x99 */
         0x0F, 0xB1, 0x4C, 0x02, /* cmpxchg [si+2], cx: 5 != 0x77, so ax = 0x77 */
         0x0F, 0xB1, 0x4C, 0x02, /* again: now equal, [si+2] = 0x99 */
         0xF4);
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(phys_read(&f.mem, 0x300, 2), 8);
    ck_assert_uint_eq(phys_read(&f.mem, 0x302, 2), 0x99);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, 0x77);
    ck_assert(flag_zf(&f.cpu));
    fixture_free(&f);
}
END_TEST

/* CMPXCHG8B [si] twice: the first matches and stores ECX:EBX, the second
 * does not and loads EDX:EAX. */
static const uint8_t cmpxchg8b_code[] = {
    0xBE, 0x00, 0x03,                       /* mov si, 0x300 */
    0x66, 0xB8, 0x11, 0x11, 0x11, 0x11,     /* mov eax, 0x11111111 */
    0x66, 0xBA, 0x22, 0x22, 0x22, 0x22,     /* mov edx, 0x22222222 */
    0x66, 0xBB, 0x44, 0x44, 0x44, 0x44,     /* mov ebx, 0x44444444 */
    0x66, 0xB9, 0x33, 0x33, 0x33, 0x33,     /* mov ecx, 0x33333333 */
    0x0F, 0xC7, 0x0C,                       /* cmpxchg8b [si] */
    0x0F, 0xC7, 0x0C,
    0xF4,
};

START_TEST(cmpxchg8b_exchanges_on_a_pentium)
{
    Fixture f;
    fixture_init(&f, "pentium");
    phys_write(&f.mem, 0x300, 0x11111111u, 4);
    phys_write(&f.mem, 0x304, 0x22222222u, 4);
    fixture_code(&f, cmpxchg8b_code, sizeof(cmpxchg8b_code));
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(phys_read(&f.mem, 0x300, 4), 0x44444444u);
    ck_assert_uint_eq(phys_read(&f.mem, 0x304, 4), 0x33333333u);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x44444444u);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0x33333333u);
    ck_assert(!flag_zf(&f.cpu));
    fixture_free(&f);
}
END_TEST

START_TEST(cmpxchg8b_is_undefined_on_a_486)
{
    Fixture f;
    fixture_init(&f, "486");
    fixture_vector_to_hlt(&f, EXC_UD, 0x500);
    fixture_code(&f, cmpxchg8b_code, sizeof(cmpxchg8b_code));
    ck_assert_int_eq(cpu_run(&f.cpu, 100), CPU_STOP_HALT);
    ck_assert_uint_eq(f.cpu.eip, 0x501);
    ck_assert_uint_eq(f.cpu.last_fault.vector, EXC_UD);
    fixture_free(&f);
}
END_TEST

Suite *flags_suite(void)
{
    Suite *s = suite_create("flags");
    TCase *tc = tcase_create("lazy");
    tcase_add_loop_test(tc, alu_results_and_flags, 0,
                        (int)(sizeof(alu_cases) / sizeof(alu_cases[0])));
    tcase_add_test(tc, inc_dec_preserve_cf);
    tcase_add_test(tc, neg_flags);
    tcase_add_test(tc, parity_counts_the_low_byte_only);
    tcase_add_test(tc, flags_set_keeps_pending_result);
    tcase_add_test(tc, conditions_match_comparisons);
    tcase_add_test(tc, conditions_from_raw_eflags);
    suite_add_tcase(s, tc);
    tc = tcase_create("instructions");
    tcase_add_test(tc, shift_by_zero_changes_no_flags);
    tcase_add_test(tc, rcl_byte_by_nine_keeps_value_and_cf);
    tcase_add_test(tc, bt_negative_offset_reaches_below_ea);
    tcase_add_test(tc, bsf_of_zero_sets_zf_and_keeps_destination);
    tcase_add_test(tc, xadd_and_cmpxchg_on_memory);
    tcase_add_test(tc, cmpxchg8b_exchanges_on_a_pentium);
    tcase_add_test(tc, cmpxchg8b_is_undefined_on_a_486);
    suite_add_tcase(s, tc);
    return s;
}
