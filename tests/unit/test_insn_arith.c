/* SPDX-License-Identifier: MIT */
/*
 * The 386, 486 and Pentium instructions that the 286 hardware vectors cannot
 * reach (double shifts, bit tests and scans, SETcc, the 486 atomics, CMPXCHG8B, 32-bit multiply and divide), run as small real-mode programs on the bare fixture CPU.  Every
 * expected value comes from the instruction's page in the SDM, vol. 2; flags
 * the SDM calls undefined are masked out.
 */
#include <check.h>

#include "cpu_fixture.h"
#include "suites.h"

#define SZP (EFLAGS_SF | EFLAGS_ZF | EFLAGS_PF)
#define CSZP (EFLAGS_CF | SZP)

START_TEST(shld_shrd_32bit)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x9ABCDEF0;
    f.cpu.gpr[REG_EBX] = 0x12345678;
    f.cpu.gpr[REG_EDX] = 0x80000000;
    f.cpu.gpr[REG_ESI] = 0x40000000;
    wr(&f, DATA, 0x11223344, 4);
    CODE(0x66, 0x0F, 0xA4, 0xC3, 0x08,          /* shld ebx, eax, 8 */
         0x66, 0x0F, 0xAC, 0xC3, 0x04,          /* shrd ebx, eax, 4 */
         0x66, 0x0F, 0xA4, 0xD6, 0x01,          /* shld esi, edx, 1 */
         0x66, 0x0F, 0xA4, 0x06, 0x00, 0x30, 0x10,  /* shld dword [0x3000], eax, 16 */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x3456789A);
    ck_assert_uint_eq(arith_flags(&f) & CSZP, EFLAGS_PF);     /* CF = old bit 24 = 0 */
    f.cpu.gpr[REG_EBX] = 0x12345678;
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x01234567);  /* EAX's low nibble 0 enters */
    ck_assert_uint_eq(arith_flags(&f) & CSZP, EFLAGS_CF);     /* CF = old bit 3 */
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 0x80000001);
    ck_assert_uint_eq(arith_flags(&f) & (CSZP | EFLAGS_OF), EFLAGS_OF | EFLAGS_SF);   /* sign changed */
    step(&f);
    ck_assert_uint_eq(rd(&f, DATA, 4), 0x33449ABC);
    ck_assert_uint_eq(arith_flags(&f) & CSZP, 0);             /* CF = old bit 16 = 0; 0xBC odd */
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x9ABCDEF0);
    fixture_free(&f);
}
END_TEST

START_TEST(shld_shrd_count_is_masked_and_zero_changes_nothing)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0x9ABCDEF1;
    f.cpu.gpr[REG_EBX] = 0x12345678;
    f.cpu.gpr[REG_ECX] = 0x24;          /* 36 mod 32 = 4 */
    CODE(0x66, 0x0F, 0xAD, 0xC3,        /* shrd ebx, eax, cl */
         0xB1, 0x20,                    /* mov cl, 32: a count of 0 */
         0x66, 0x0F, 0xA5, 0xC3,        /* shld ebx, eax, cl */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x11234567);
    ck_assert_uint_eq(arith_flags(&f) & CSZP, EFLAGS_CF);     /* 0x67 has odd parity */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x11234567);
    ck_assert_uint_eq(arith_flags(&f) & CSZP, EFLAGS_CF);     /* flags untouched */
    fixture_free(&f);
}
END_TEST

START_TEST(shld_shrd_16bit)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0xABCD;
    f.cpu.gpr[REG_EBX] = 0xFFFF1234;
    f.cpu.gpr[REG_ECX] = 4;
    CODE(0x0F, 0xA5, 0xC3,              /* shld bx, ax, cl */
         0x0F, 0xAD, 0xC3,              /* shrd bx, ax, cl */
         0x0F, 0xA4, 0xC3, 0x0C,        /* shld bx, ax, 12 */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xFFFF234A);
    ck_assert_uint_eq(arith_flags(&f) & CSZP, EFLAGS_CF);     /* CF = old bit 12 */
    f.cpu.gpr[REG_EBX] = 0xFFFF1234;
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xFFFFD123);
    ck_assert_uint_eq(arith_flags(&f) & CSZP, EFLAGS_SF);     /* CF = old bit 3 = 0 */
    f.cpu.gpr[REG_EBX] = 0xFFFF1234;
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xFFFF4ABC);
    ck_assert_uint_eq(arith_flags(&f) & CSZP, EFLAGS_CF);     /* CF = old bit 4; 0xBC odd */
    fixture_free(&f);
}
END_TEST

/* ---- bit test and scan ---- */

START_TEST(bt_bts_btr_btc_on_registers)
{
    Fixture f;
    fixture_init(&f, "386");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1 | EFLAGS_ZF);
    f.cpu.gpr[REG_EAX] = 40;            /* 40 mod 32 = 8 */
    f.cpu.gpr[REG_ECX] = 0;
    f.cpu.gpr[REG_EDX] = 0x18;          /* 24 mod 16 = 8 */
    f.cpu.gpr[REG_ESI] = 31;
    f.cpu.gpr[REG_EBX] = 0x100;
    CODE(0x66, 0x0F, 0xA3, 0xC3,        /* bt ebx, eax */
         0x66, 0x0F, 0xAB, 0xCB,        /* bts ebx, ecx */
         0x0F, 0xB3, 0xD3,              /* btr bx, dx */
         0x66, 0x0F, 0xBB, 0xF3,        /* btc ebx, esi */
         0x66, 0x0F, 0xBA, 0xE3, 0x1F,  /* bt ebx, 31 */
         0x0F, 0xBA, 0xEB, 0x11,        /* bts bx, 17 (mod 16 = 1) */
         0x66, 0x0F, 0xBA, 0xF3, 0x20,  /* btr ebx, 32 (mod 32 = 0) */
         0x66, 0x0F, 0xBA, 0xFB, 0x3F,  /* btc ebx, 63 (mod 32 = 31) */
         0xF4);
    static const struct { uint32_t ebx; bool cf; } after[] = {
        { 0x00000100, true }, { 0x00000101, false }, { 0x00000001, true },
        { 0x80000001, false }, { 0x80000001, true }, { 0x80000003, false },
        { 0x80000002, true }, { 0x00000002, true },
    };
    for (unsigned i = 0; i < 8; i++) {
        step(&f);
        ck_assert_uint_eq(f.cpu.gpr[REG_EBX], after[i].ebx);
        ck_assert_uint_eq(arith_flags(&f) & EFLAGS_CF, after[i].cf ? EFLAGS_CF : 0);
    }
    ck_assert(arith_flags(&f) & EFLAGS_ZF);   /* ZF is not affected */
    fixture_free(&f);
}
END_TEST

/* With a register bit offset and a memory operand the offset is a signed bit
 * string index that may leave the operand; an immediate offset may not. */
START_TEST(bt_family_on_memory_with_negative_and_large_offsets)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EAX] = 0xFFFFFFFF;    /* -1: bit 31 of the dword at 0x300C */
    f.cpu.gpr[REG_ECX] = 100;           /* bit 4 of the dword at 0x3000 + 12 */
    f.cpu.gpr[REG_EDX] = 17;            /* bit 1 of the word at 0x3010 + 2 */
    wr(&f, 0x300C, 0x00020010, 4);
    CODE(0x66, 0x0F, 0xAB, 0x06, 0x10, 0x30,    /* bts dword [0x3010], eax */
         0xB8, 0xF1, 0xFF,                      /* mov ax, -15: bit 1 of the word at 0x300E */
         0x0F, 0xA3, 0x06, 0x10, 0x30,          /* bt word [0x3010], ax */
         0x66, 0x0F, 0xB3, 0x0E, 0x00, 0x30,    /* btr dword [0x3000], ecx */
         0x0F, 0xBB, 0x16, 0x10, 0x30,          /* btc word [0x3010], dx */
         0x0F, 0xBA, 0x2E, 0x10, 0x30, 0x11,    /* bts word [0x3010], 17: bit 1 of 0x3010 */
         0xF4);
    step(&f);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_CF, 0);
    ck_assert_uint_eq(rd(&f, 0x300C, 4), 0x80020010);
    step(&f);
    step(&f);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_CF, EFLAGS_CF);
    step(&f);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_CF, EFLAGS_CF);
    ck_assert_uint_eq(rd(&f, 0x300C, 4), 0x80020000);
    step(&f);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_CF, 0);
    ck_assert_uint_eq(rd(&f, 0x3012, 2), 0x0002);
    ck_assert_uint_eq(rd(&f, 0x3010, 2), 0x0000);
    run_to_hlt(&f);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_CF, 0);
    ck_assert_uint_eq(rd(&f, 0x3010, 4), 0x00020002);
    ck_assert_uint_eq(rd(&f, 0x3000, 4), 0);
    fixture_free(&f);
}
END_TEST

START_TEST(bsf_bsr_find_the_lowest_and_highest_set_bit)
{
    Fixture f;
    fixture_init(&f, "386");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1 | EFLAGS_ZF);
    f.cpu.gpr[REG_EBX] = 0x00018000;
    f.cpu.gpr[REG_EDX] = 0xFFFF0000;
    f.cpu.gpr[REG_EBP] = 0;
    wr(&f, DATA, 0x80000001, 4);
    CODE(0x66, 0x0F, 0xBC, 0xC3,                /* bsf eax, ebx */
         0x66, 0x0F, 0xBD, 0xCB,                /* bsr ecx, ebx */
         0x0F, 0xBC, 0xD3,                      /* bsf dx, bx */
         0x66, 0x0F, 0xBD, 0x36, 0x00, 0x30,    /* bsr esi, [0x3000] */
         0x66, 0x0F, 0xBC, 0xFD,                /* bsf edi, ebp: zero source */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 15);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_ZF, 0);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 16);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0xFFFF000F);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ESI], 31);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_ZF, 0);
    run_to_hlt(&f);
    ck_assert_uint_eq(arith_flags(&f) & EFLAGS_ZF, EFLAGS_ZF);    /* destination undefined */
    fixture_free(&f);
}
END_TEST

/* After CMP 5, 7: CF=1 ZF=0 SF=1 OF=0 PF=0 (0xFE). */
START_TEST(setcc_writes_one_or_zero_bytes)
{
    Fixture f;
    fixture_init(&f, "386");
    f.cpu.gpr[REG_EBX] = 0xFFFFFFFF;
    f.cpu.gpr[REG_ECX] = 0xFFFFFFFF;
    f.cpu.gpr[REG_EDX] = 0xFFFFFFFF;
    wr(&f, DATA, 0xAAAA, 2);
    CODE(0xB8, 0x05, 0x00,              /* mov ax, 5 */
         0x83, 0xF8, 0x07,              /* cmp ax, 7 */
         0x0F, 0x92, 0xC0,              /* setb al */
         0x0F, 0x94, 0xC3,              /* setz bl */
         0x0F, 0x9C, 0xC1,              /* setl cl */
         0x0F, 0x9F, 0xC2,              /* setnle dl */
         0x0F, 0x97, 0x06, 0x00, 0x30,  /* seta [0x3000] */
         0x0F, 0x96, 0xC4,              /* setbe ah */
         0x0F, 0x98, 0x06, 0x01, 0x30,  /* sets [0x3001] */
         0x0F, 0x9B, 0xC6,              /* setnp dh */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x00000101);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0xFFFFFF00);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0xFFFFFF01);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0xFFFF0100);
    ck_assert_uint_eq(rd(&f, DATA, 2), 0x0100);
    fixture_free(&f);
}
END_TEST

/* ---- 486 and Pentium atomics ---- */

START_TEST(xadd_exchanges_and_adds)
{
    Fixture f;
    fixture_init(&f, "486");
    f.cpu.gpr[REG_EAX] = 1;
    f.cpu.gpr[REG_EBX] = 0x7FFFFFFF;
    wr(&f, DATA, 0x0003, 2);
    CODE(0x66, 0x0F, 0xC1, 0xC3,        /* xadd ebx, eax */
         0x0F, 0xC1, 0x06, 0x00, 0x30,  /* xadd [0x3000], ax */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x80000000);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x7FFFFFFF);
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_OF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF);
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, DATA, 2), 0x0002);         /* 3 + 0xFFFF */
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x7FFF0003);
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_CF | EFLAGS_AF);
    fixture_free(&f);

    fixture_init(&f, "486");
    f.cpu.gpr[REG_EAX] = 5;
    CODE(0x66, 0x0F, 0xC1, 0xC0, 0xF4); /* xadd eax, eax: the sum is written last */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 10);
    fixture_free(&f);

    EXPECT_UD("386", 0x66, 0x0F, 0xC1, 0xC3);
}
END_TEST

/* Flags as CMP accumulator, destination. */
START_TEST(cmpxchg_equal_and_not_equal)
{
    Fixture f;
    fixture_init(&f, "486");
    f.cpu.gpr[REG_EAX] = 0x11111111;
    f.cpu.gpr[REG_ECX] = 0x22222222;
    wr(&f, DATA, 0x11111111, 4);
    CODE(0x66, 0x0F, 0xB1, 0x0E, 0x00, 0x30,    /* cmpxchg [0x3000], ecx */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, DATA, 4), 0x22222222);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x11111111);
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_ZF | EFLAGS_PF);
    fixture_free(&f);

    fixture_init(&f, "486");
    f.cpu.gpr[REG_EAX] = 0x33333333;
    f.cpu.gpr[REG_ECX] = 0x22222222;
    wr(&f, DATA, 0x11111111, 4);
    CODE(0x66, 0x0F, 0xB1, 0x0E, 0x00, 0x30, 0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, DATA, 4), 0x11111111);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x11111111);
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_PF);            /* 0x33333333 - 0x11111111 */
    fixture_free(&f);

    fixture_init(&f, "486");
    f.cpu.gpr[REG_EAX] = 0xFFFF0001;
    f.cpu.gpr[REG_EBX] = 0x0002;
    f.cpu.gpr[REG_ECX] = 0x8005;
    CODE(0x0F, 0xB1, 0xCB,              /* cmpxchg bx, cx: 1 != 2 */
         0x0F, 0xB0, 0xCB,              /* cmpxchg bl, cl: AL = 2 = BL now */
         0xF4);
    step(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0xFFFF0002);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x0002);
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_CF | EFLAGS_SF | EFLAGS_AF | EFLAGS_PF);  /* 1 - 2 */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EBX], 0x0005);
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_ZF | EFLAGS_PF);
    fixture_free(&f);

    EXPECT_UD("386", 0x66, 0x0F, 0xB1, 0x0E, 0x00, 0x30);
}
END_TEST

START_TEST(cmpxchg8b_on_the_pentium_only)
{
    Fixture f;
    fixture_init(&f, "pentium");
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1 | EFLAGS_CF);
    f.cpu.gpr[REG_EDX] = 0x11111111;
    f.cpu.gpr[REG_EAX] = 0x22222222;
    f.cpu.gpr[REG_ECX] = 0x44444444;
    f.cpu.gpr[REG_EBX] = 0x33333333;
    wr(&f, DATA, 0x22222222, 4);
    wr(&f, DATA + 4, 0x11111111, 4);
    CODE(0x0F, 0xC7, 0x0E, 0x00, 0x30,  /* cmpxchg8b [0x3000] */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(rd(&f, DATA, 4), 0x33333333);
    ck_assert_uint_eq(rd(&f, DATA + 4, 4), 0x44444444);
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_ZF | EFLAGS_CF);    /* only ZF changes */
    fixture_free(&f);

    fixture_init(&f, "pentium");
    wr(&f, DATA, 0x22222222, 4);
    wr(&f, DATA + 4, 0x11111111, 4);
    cpu_set_eflags(&f.cpu, EFLAGS_FIXED1 | EFLAGS_ZF);
    f.cpu.gpr[REG_EDX] = 0;
    f.cpu.gpr[REG_EAX] = 0;
    CODE(0x0F, 0xC7, 0x0E, 0x00, 0x30, 0xF4);     /* EDX:EAX = 0 differs */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 0x22222222);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 0x11111111);
    ck_assert_uint_eq(rd(&f, DATA, 4), 0x22222222);
    ck_assert_uint_eq(rd(&f, DATA + 4, 4), 0x11111111);
    ck_assert_uint_eq(arith_flags(&f), 0);
    fixture_free(&f);

    EXPECT_UD("pentium", 0x0F, 0xC7, 0xC8);     /* a register operand */
    EXPECT_UD("486", 0x0F, 0xC7, 0x0E, 0x00, 0x30);
}
END_TEST

/* ---- multiply and divide ---- */

START_TEST(imul_three_operand_32bit_sets_cf_of_on_truncation)
{
    static const struct {
        uint8_t code[8];
        uint32_t ebx, eax;
        bool overflow;
    } cases[] = {
        { { 0x66, 0x69, 0xC3, 0x00, 0x00, 0x01, 0x00, 0xF4 }, 0x00010000, 0x00000000, true },
        { { 0x66, 0x69, 0xC3, 0xE8, 0x03, 0x00, 0x00, 0xF4 }, 0xFFFFFFFD, 0xFFFFF448, false },
        { { 0x66, 0x6B, 0xC3, 0xFE, 0xF4 }, 0x40000000, 0x80000000, false },    /* exactly -2^31 */
        { { 0x66, 0x6B, 0xC3, 0xFE, 0xF4 }, 0xC0000000, 0x80000000, true },     /* +2^31 */
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        Fixture f;
        fixture_init(&f, "386");
        fixture_code(&f, cases[i].code, sizeof(cases[i].code));
        f.cpu.gpr[REG_EBX] = cases[i].ebx;
        run_to_hlt(&f);
        ck_assert_uint_eq(f.cpu.gpr[REG_EAX], cases[i].eax);
        ck_assert_uint_eq(arith_flags(&f) & (EFLAGS_CF | EFLAGS_OF),
                          cases[i].overflow ? EFLAGS_CF | EFLAGS_OF : 0);
        fixture_free(&f);
    }

    Fixture f;
    fixture_init(&f, "386");
    wr(&f, DATA, 7, 4);
    CODE(0x66, 0x69, 0x0E, 0x00, 0x30, 0xFA, 0xFF, 0xFF, 0xFF,   /* imul ecx, [0x3000], -6 */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0xFFFFFFD6);
    ck_assert_uint_eq(arith_flags(&f) & (EFLAGS_CF | EFLAGS_OF), 0);
    fixture_free(&f);
}
END_TEST

/* Runs one 32-bit DIV/IDIV of EDX:EAX; returns false if it raised #DE. */
static bool divide(const uint8_t *code, size_t n, uint32_t edx, uint32_t eax, uint32_t ebx,
                   uint32_t *quotient, uint32_t *remainder, int *rule)
{
    Fixture f;
    fixture_init(&f, "386");
    fixture_vector_to_hlt(&f, EXC_DE, HANDLER);
    fixture_code(&f, code, n);
    f.cpu.gpr[REG_EDX] = edx;
    f.cpu.gpr[REG_EAX] = eax;
    f.cpu.gpr[REG_EBX] = ebx;
    run_to_hlt(&f);
    bool ok = f.cpu.eip != HANDLER + 1;
    *quotient = f.cpu.gpr[REG_EAX];
    *remainder = f.cpu.gpr[REG_EDX];
    *rule = f.cpu.last_fault.rule;
    if (!ok)
        ck_assert_uint_eq(rd(&f, f.cpu.gpr[REG_ESP], 2), 0x100);
    fixture_free(&f);
    return ok;
}

START_TEST(div_idiv_32bit_and_divide_errors)
{
    static const uint8_t div[] = { 0x66, 0xF7, 0xF3, 0xF4 };     /* div ebx */
    static const uint8_t idiv[] = { 0x66, 0xF7, 0xFB, 0xF4 };    /* idiv ebx */
    uint32_t q, r;
    int rule;

    ck_assert(divide(div, 4, 1, 5, 0x10, &q, &r, &rule));
    ck_assert_uint_eq(q, 0x10000000);
    ck_assert_uint_eq(r, 5);
    /* 0x10_00000000 / 0x10 needs 33 bits: #DE with the registers unchanged */
    ck_assert(!divide(div, 4, 0x10, 0, 0x10, &q, &r, &rule));
    ck_assert_uint_eq(q, 0);
    ck_assert_uint_eq(r, 0x10);
    ck_assert_int_eq(rule, FAULT_DIVIDE_OVERFLOW);
    ck_assert(!divide(div, 4, 0, 1, 0, &q, &r, &rule));
    ck_assert_int_eq(rule, FAULT_DIVIDE_BY_ZERO);

    /* -7 / 2 = -3 remainder -1: truncation toward zero */
    ck_assert(divide(idiv, 4, 0xFFFFFFFF, 0xFFFFFFF9, 2, &q, &r, &rule));
    ck_assert_uint_eq(q, 0xFFFFFFFD);
    ck_assert_uint_eq(r, 0xFFFFFFFF);
    /* -2^31 / 1 fits; -2^31 / -1 and 2^31 / 1 do not */
    ck_assert(divide(idiv, 4, 0xFFFFFFFF, 0x80000000, 1, &q, &r, &rule));
    ck_assert_uint_eq(q, 0x80000000);
    ck_assert_uint_eq(r, 0);
    ck_assert(!divide(idiv, 4, 0xFFFFFFFF, 0x80000000, 0xFFFFFFFF, &q, &r, &rule));
    ck_assert_int_eq(rule, FAULT_DIVIDE_OVERFLOW);
    ck_assert(!divide(idiv, 4, 0, 0x80000000, 1, &q, &r, &rule));
    ck_assert_int_eq(rule, FAULT_DIVIDE_OVERFLOW);

    Fixture f;
    fixture_init(&f, "386");
    wr(&f, DATA, 3, 4);
    f.cpu.gpr[REG_EAX] = 100;
    f.cpu.gpr[REG_EDX] = 0;
    CODE(0x66, 0xF7, 0x36, 0x00, 0x30, 0xF4);  /* div dword [0x3000] */
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 33);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX], 1);
    fixture_free(&f);
}
END_TEST

/* CMOVcc (P6, SDM vol. 2 CMOVcc): moves only when the condition holds, but
 * always reads the source, so a bad memory source faults either way. */
START_TEST(cmovcc_moves_on_the_condition_and_is_p6_only)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    wr(&f, DATA, 0x11223344, 4);
    CODE(0x66, 0xB8, 0x01, 0x00, 0x00, 0x00,           /* mov eax, 1 */
         0x66, 0xBB, 0xEF, 0xBE, 0xAD, 0xDE,           /* mov ebx, 0DEADBEEFh */
         0x66, 0xB9, 0x55, 0x55, 0x55, 0x55,           /* mov ecx, 55555555h */
         0xBA, 0x34, 0x12,                             /* mov dx, 1234h */
         0x66, 0x85, 0xC0,                             /* test eax, eax (ZF=0) */
         0x66, 0x0F, 0x44, 0xC3,                       /* cmove eax, ebx: not taken */
         0x66, 0x0F, 0x45, 0x0E, 0x00, 0x30,           /* cmovne ecx, [3000h]: taken */
         0x0F, 0x44, 0xD3,                             /* cmove dx, bx: not taken */
         0xF4);
    run_to_hlt(&f);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX], 1);
    ck_assert_uint_eq(f.cpu.gpr[REG_ECX], 0x11223344);
    ck_assert_uint_eq(f.cpu.gpr[REG_EDX] & 0xFFFF, 0x1234);
    fixture_free(&f);

    /* A false condition still reads the source: offset FFFFh faults. */
    fixture_init(&f, "pentium2");
    CODE(0x31, 0xC0,                                   /* xor ax, ax (ZF=1) */
         0x0F, 0x45, 0x06, 0xFF, 0xFF,                 /* cmovne ax, [0FFFFh] */
         0xF4);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE + 2);
    fixture_free(&f);

    EXPECT_UD("pentium", 0x0F, 0x44, 0xC3);            /* the P5 has no CMOV */
}
END_TEST

Suite *insn_arith_suite(void)
{
    Suite *s = suite_create("insn_arith");
    TCase *tc = tcase_create("insn_arith");
    tcase_add_test(tc, shld_shrd_32bit);
    tcase_add_test(tc, shld_shrd_count_is_masked_and_zero_changes_nothing);
    tcase_add_test(tc, shld_shrd_16bit);
    tcase_add_test(tc, bt_bts_btr_btc_on_registers);
    tcase_add_test(tc, bt_family_on_memory_with_negative_and_large_offsets);
    tcase_add_test(tc, bsf_bsr_find_the_lowest_and_highest_set_bit);
    tcase_add_test(tc, setcc_writes_one_or_zero_bytes);
    tcase_add_test(tc, xadd_exchanges_and_adds);
    tcase_add_test(tc, cmpxchg_equal_and_not_equal);
    tcase_add_test(tc, cmpxchg8b_on_the_pentium_only);
    tcase_add_test(tc, imul_three_operand_32bit_sets_cf_of_on_truncation);
    tcase_add_test(tc, div_idiv_32bit_and_divide_errors);
    tcase_add_test(tc, cmovcc_moves_on_the_condition_and_is_p6_only);
    suite_add_tcase(s, tc);
    return s;
}
