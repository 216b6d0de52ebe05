/* SPDX-License-Identifier: MIT */
/*
 * The x87 (cpu/fpu*.c) with exact values from the SDM, vol. 1 ch. 8 and the
 * vol. 2 pages: loads and stores of every memory format, the tag word,
 * stack overflow and underflow, masked and unmasked exceptions (#MF with
 * CR0.NE, FERR# without), FNSTSW AX, FXAM's classes, FPREM's quotient bits,
 * packed BCD, the P6 instructions, the FPU pointers and the RESET state.
 * Programs run in real mode on the bare fixture CPU, data at DATA (3000h).
 */
#include <check.h>

#include "cpu_fixture.h"
#include "suites.h"

#define LO(a) ((a) & 0xFF)
#define HI(a) ((a) >> 8)
/* [disp16] operands: ModRM mod 00, rm 110. */
#define M(reg, a) (uint8_t)((reg) << 3 | 6), LO(a), HI(a)

enum { A = DATA, B = DATA + 0x10, R = DATA + 0x20, SW = DATA + 0x30, CW = DATA + 0x34 };

static void run_prog(Fixture *f, const uint8_t *code, size_t n)
{
    fixture_code(f, code, n);
    phys_write(&f->mem, FIXTURE_CODE + n, 0xF4, 1);
    f->cpu.eip = FIXTURE_CODE;
    f->cpu.halted = false;
    run_to_hlt(f);
}

#define PROG(f, ...) \
    do { static const uint8_t p_[] = { __VA_ARGS__ }; run_prog(f, p_, sizeof p_); } while (0)

static void wr64(Fixture *f, uint32_t a, uint64_t v)
{
    wr(f, a, (uint32_t)v, 4);
    wr(f, a + 4, (uint32_t)(v >> 32), 4);
}

static uint64_t rd64(Fixture *f, uint32_t a)
{
    return rd(f, a, 4) | (uint64_t)rd(f, a + 4, 4) << 32;
}

static void wr80(Fixture *f, uint32_t a, uint16_t se, uint64_t sig)
{
    wr64(f, a, sig);
    wr(f, a + 8, se, 2);
}

static void fpu_fixture(Fixture *f, const char *model)
{
    fixture_init(f, model);
    PROG(f, 0xDB, 0xE3);                /* fninit */
}

static unsigned top(Fixture *f)
{
    return (f->cpu.fpu.status >> 11) & 7;
}

static Float80 st(Fixture *f, unsigned i)
{
    return f->cpu.fpu.reg[(top(f) + i) & 7];
}

#define ASSERT_ST(f, i, se, sig) \
    do { Float80 v_ = st(f, i); ck_assert_uint_eq(v_.sign_exp, se); ck_assert_uint_eq(v_.significand, sig); } while (0)

START_TEST(reset_and_fninit_state)
{
    Fixture f;
    fixture_init(&f, "pentium");
    ck_assert_uint_eq(f.cpu.fpu.control, 0x0040);
    ck_assert_uint_eq(f.cpu.fpu.status, 0);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0x5555);
    PROG(&f, 0xDB, 0xE3, 0xD9, M(7, CW), 0xDD, M(7, SW));   /* fninit; fnstcw; fnstsw */
    ck_assert_uint_eq(rd(&f, CW, 2), 0x037F);
    ck_assert_uint_eq(rd(&f, SW, 2), 0);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0xFFFF);
    /* FLDCW keeps bit 12, forces bit 6 and clears 13-15 and 7 */
    wr(&f, CW, 0xFFFF, 2);
    PROG(&f, 0xD9, M(5, CW), 0xD9, M(7, CW));
    ck_assert_uint_eq(rd(&f, CW, 2), 0x1F7F);
    fixture_free(&f);
}
END_TEST

START_TEST(load_store_real_formats)
{
    Fixture f;
    fpu_fixture(&f, "486");
    wr(&f, A, 0x3FC00000, 4);                           /* 1.5f */
    PROG(&f, 0xD9, M(0, A), 0xDD, M(3, R), 0xDD, M(7, SW));   /* fld m32; fstp m64 */
    ck_assert_uint_eq(rd64(&f, R), 0x3FF8000000000000ull);
    ck_assert_uint_eq(rd(&f, SW, 2) & 0x3F, 0);
    /* m64 -> m32 rounds to nearest: 1 + 2^-30 becomes 1.0 with PE */
    wr64(&f, A, 0x3FF0000004000000ull);
    PROG(&f, 0xDD, M(0, A), 0xD9, M(3, R));
    ck_assert_uint_eq(rd(&f, R, 4), 0x3F800000);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, FSW_PE);
    /* m80 is copied bit for bit, an SNaN included, with no exception */
    wr80(&f, A, 0x7FFF, 0x8000000000000001ull);
    PROG(&f, 0xDB, 0xE2, 0xDB, M(5, A), 0xDB, M(7, R));
    ck_assert_uint_eq(rd64(&f, R), 0x8000000000000001ull);
    ck_assert_uint_eq(rd(&f, R + 8, 2), 0x7FFF);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, 0);
    /* an m32 SNaN loads as the QNaN with IE */
    wr(&f, A, 0xFF800001, 4);
    PROG(&f, 0xD9, M(0, A));
    ASSERT_ST(&f, 0, 0xFFFF, 0xC000010000000000ull);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, FSW_IE);
    /* a denormal m32 sets DE and loads normalised */
    wr(&f, A, 0x00000001, 4);
    PROG(&f, 0xDB, 0xE3, 0xD9, M(0, A));
    ASSERT_ST(&f, 0, 16383 - 149, 0x8000000000000000ull);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, FSW_DE);
    fixture_free(&f);
}
END_TEST

START_TEST(load_store_integers)
{
    Fixture f;
    fpu_fixture(&f, "pentium");
    wr(&f, A, 0x8000, 2);                               /* -32768 */
    wr(&f, A + 4, 123456789, 4);
    wr64(&f, A + 8, 0x8000000000000001ull);
    PROG(&f, 0xDF, M(0, A), 0xDB, M(0, A + 4), 0xDF, M(5, A + 8),
         0xDF, M(7, R), 0xDB, M(3, R + 8), 0xDF, M(3, R + 12));
    ck_assert_uint_eq(rd64(&f, R), 0x8000000000000001ull);
    ck_assert_uint_eq(rd(&f, R + 8, 4), 123456789);
    ck_assert_uint_eq(rd(&f, R + 12, 2), 0x8000);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0xFFFF);
    /* FIST rounds by RC: 2.5 -> 2 (nearest even), 3 (up), 2 (chop) */
    wr(&f, A, 0x40200000, 4);                           /* 2.5f */
    PROG(&f, 0xD9, M(0, A), 0xDF, M(2, R));
    ck_assert_uint_eq(rd(&f, R, 2), 2);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, FSW_PE);
    wr(&f, CW, 0x0B7F, 2);
    PROG(&f, 0xD9, M(5, CW), 0xDF, M(2, R));
    ck_assert_uint_eq(rd(&f, R, 2), 3);
    /* out of range: the integer indefinite with IE */
    wr(&f, A, 0x47800000, 4);                           /* 65536.0f */
    PROG(&f, 0xDB, 0xE3, 0xD9, M(0, A), 0xDF, M(3, R));
    ck_assert_uint_eq(rd(&f, R, 2), 0x8000);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, FSW_IE);
    fixture_free(&f);
}
END_TEST

START_TEST(packed_bcd)
{
    Fixture f;
    fpu_fixture(&f, "486");
    wr64(&f, A, 0x0000000000001234ull);
    wr(&f, A + 8, 0x8000, 2);                           /* -1234 */
    PROG(&f, 0xDF, M(4, A));
    ASSERT_ST(&f, 0, 0xC009, 0x9A40000000000000ull);
    PROG(&f, 0xDF, M(6, R));
    ck_assert_uint_eq(rd64(&f, R), 0x1234);
    ck_assert_uint_eq(rd(&f, R + 8, 2), 0x8000);
    /* 10^18 does not fit: the BCD indefinite FFFF C000 0000 0000 0000 with IE */
    wr64(&f, A, 1000000000000000000ull);
    PROG(&f, 0xDF, M(5, A), 0xDF, M(6, R));
    ck_assert_uint_eq(rd64(&f, R), 0xC000000000000000ull);
    ck_assert_uint_eq(rd(&f, R + 8, 2), 0xFFFF);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, FSW_IE);
    fixture_free(&f);
}
END_TEST

START_TEST(tags_follow_contents)
{
    Fixture f;
    fpu_fixture(&f, "pentium");
    wr80(&f, A, 0x0000, 0x0000000000000001ull);         /* denormal: special */
    PROG(&f, 0xD9, 0xE8, 0xD9, 0xEE, 0xDB, M(5, A));   /* fld1; fldz; fld m80 */
    ck_assert_uint_eq(top(&f), 5);
    /* R7 valid, R6 zero, R5 special, the rest empty */
    ck_assert_uint_eq(f.cpu.fpu.tag, 0x1BFF);
    PROG(&f, 0xDD, 0xC1, 0xD9, 0xF7);                   /* ffree st1; fincstp */
    ck_assert_uint_eq(f.cpu.fpu.tag, 0x3BFF);
    ck_assert_uint_eq(top(&f), 6);
    PROG(&f, 0xD9, 0xF6, 0xDF, 0xC0);                   /* fdecstp; ffreep st0 */
    ck_assert_uint_eq(top(&f), 6);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0x3FFF);
    fixture_free(&f);
}
END_TEST

START_TEST(stack_overflow_and_underflow)
{
    Fixture f;
    fpu_fixture(&f, "pentium");
    for (int i = 0; i < 8; i++)
        PROG(&f, 0xD9, 0xE8);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x7F, 0);
    PROG(&f, 0xD9, 0xEB);                               /* fldpi onto a full stack */
    ck_assert_uint_eq(f.cpu.fpu.status & (0x7F | FSW_C1), FSW_IE | FSW_SF | FSW_C1);
    ASSERT_ST(&f, 0, 0xFFFF, 0xC000000000000000ull);    /* masked: the indefinite */
    ck_assert_uint_eq(f.cpu.fpu.status & FSW_ES, 0);
    /* unmasked: nothing moves, ES and B set */
    wr(&f, CW, 0x037E, 2);
    PROG(&f, 0xDB, 0xE2, 0xD9, M(5, CW), 0xD9, 0xEE);
    ck_assert_uint_eq(top(&f), 7);
    ck_assert_uint_eq(f.cpu.fpu.status & 0xFFFF & ~FSW_TOP, FSW_IE | FSW_SF | FSW_C1 | FSW_ES | FSW_B);
    ASSERT_ST(&f, 0, 0xFFFF, 0xC000000000000000ull);
    /* underflow: FADD on an empty stack gives the indefinite with C1 = 0 */
    PROG(&f, 0xDB, 0xE3, 0xD8, 0xC1);
    ck_assert_uint_eq(f.cpu.fpu.status & (0x7F | FSW_C1), FSW_IE | FSW_SF);
    ck_assert_uint_eq(f.cpu.fpu.tag, 0xFFFE);          /* R0 special */
    fixture_free(&f);
}
END_TEST

/* 1/0 with ZE unmasked: ST(0) stays, ES and B are set; the next waiting
 * instruction raises #MF under CR0.NE, FERR# without it. */
static int ferr_level;
static void ferr_set(void *ctx, int line, int level) { ferr_level = level; }

START_TEST(unmasked_exception_is_deferred)
{
    Fixture f;
    fpu_fixture(&f, "pentium");
    wr(&f, CW, 0x037B, 2);                              /* ZE unmasked */
    PROG(&f, 0xD9, M(5, CW), 0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9);   /* fld1; fldz; fdivp */
    ck_assert_uint_eq(f.cpu.fpu.status & (0xFF | FSW_B), FSW_ZE | FSW_ES | FSW_B);
    ASSERT_ST(&f, 0, 0, 0);                             /* nothing popped or written */
    ASSERT_ST(&f, 1, 0x3FFF, 0x8000000000000000ull);
    f.cpu.cr0 |= CR0_NE;
    CODE(0xDF, 0xE0, 0x9B, 0xF4);                       /* fnstsw ax (no wait); fwait */
    f.cpu.eip = FIXTURE_CODE;
    f.cpu.halted = false;
    run_to_fault(&f, EXC_MF, FIXTURE_CODE + 2);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, f.cpu.fpu.status);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_FPU_PENDING);
    fixture_free(&f);

    fpu_fixture(&f, "486");
    f.cpu.ferr = (IrqLine){ .set = ferr_set };
    ferr_level = 0;
    wr(&f, CW, 0x037B, 2);
    PROG(&f, 0xD9, M(5, CW), 0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9);
    ck_assert_int_eq(ferr_level, 0);
    PROG(&f, 0xD9, 0xE8);                               /* waiting: FERR#, then it runs */
    ck_assert_int_eq(ferr_level, 1);
    ASSERT_ST(&f, 0, 0x3FFF, 0x8000000000000000ull);
    PROG(&f, 0xDB, 0xE2);                               /* fnclex drops FERR# */
    ck_assert_int_eq(ferr_level, 0);
    ck_assert_uint_eq(f.cpu.fpu.status & (0xFF | FSW_B), 0);
    fixture_free(&f);
}
END_TEST

START_TEST(unmasked_overflow_underflow_scale_the_result)
{
    Fixture f;
    fpu_fixture(&f, "pentium");
    wr(&f, CW, 0x0367, 2);                              /* OE, UE unmasked */
    wr80(&f, A, 16383 + 16000, 0x8000000000000000ull);
    PROG(&f, 0xD9, M(5, CW), 0xDB, M(5, A), 0xD8, 0xC8);   /* fld 2^16000; fmul st0, st0 */
    ASSERT_ST(&f, 0, 16383 + 32000 - 24576, 0x8000000000000000ull);
    ck_assert_uint_eq(f.cpu.fpu.status & 0xFF, FSW_OE | FSW_ES);
    wr80(&f, A, 16383 - 16000, 0xC000000000000000ull);   /* 1.5 * 2^-16000 */
    PROG(&f, 0xDB, 0xE2, 0xDB, M(5, A), 0xD8, 0xC8);
    ASSERT_ST(&f, 0, 16383 - 32000 + 1 + 24576, 0x9000000000000000ull);
    ck_assert_uint_eq(f.cpu.fpu.status & 0xFF, FSW_UE | FSW_ES);
    /* a store that overflows writes nothing and does not pop */
    wr(&f, R, 0x12345678, 4);
    PROG(&f, 0xDB, 0xE2, 0xDB, M(5, A), 0xD9, M(3, R));
    ck_assert_uint_eq(rd(&f, R, 4), 0x12345678);
    ck_assert_uint_eq(f.cpu.fpu.status & 0xFF, FSW_UE | FSW_ES);
    ck_assert_uint_eq(top(&f), 5);
    fixture_free(&f);
}
END_TEST

START_TEST(compare_and_fnstsw_ax)
{
    Fixture f;
    fpu_fixture(&f, "486");
    PROG(&f, 0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xD9, 0xDF, 0xE0);  /* fld1; fldz; fcompp; fnstsw ax */
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, FSW_C0);   /* 0 < 1, TOP back at 0 */
    ck_assert_uint_eq(f.cpu.fpu.tag, 0xFFFF);
    PROG(&f, 0xD9, 0xEE, 0xD9, 0xEE, 0xDE, 0xD9, 0xDF, 0xE0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0xFFFF, FSW_C3);
    /* FCOM with a NaN is invalid; FUCOM with a QNaN is not */
    wr(&f, A, 0x7FC00000, 4);
    PROG(&f, 0xD9, M(0, A), 0xD9, 0xE8, 0xDD, 0xE1, 0xDF, 0xE0);     /* fucom st1 */
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0x47FF, FSW_C3 | FSW_C2 | FSW_C0);
    PROG(&f, 0xD8, 0xD1, 0xDF, 0xE0);                                  /* fcom st1 */
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0x47FF, FSW_C3 | FSW_C2 | FSW_C0 | FSW_IE);
    /* FICOM m16 */
    wr(&f, A, 2, 2);
    PROG(&f, 0xDB, 0xE3, 0xD9, 0xE8, 0xDE, M(2, A), 0xDF, 0xE0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0x4700, FSW_C0);
    fixture_free(&f);
}
END_TEST

START_TEST(fxam_classes)
{
    static const struct { uint16_t se; uint64_t sig; bool empty; uint16_t cc; } cases[] = {
        { 0x0000, 0, false, FSW_C3 },                                  /* +0 */
        { 0x8000, 0, false, FSW_C3 | FSW_C1 },                         /* -0 */
        { 0x3FFF, 0x8000000000000000ull, false, FSW_C2 },              /* normal */
        { 0xFFFF, 0x8000000000000000ull, false, FSW_C2 | FSW_C0 | FSW_C1 },  /* -inf */
        { 0x7FFF, 0xC000000000000000ull, false, FSW_C0 },              /* NaN */
        { 0x0000, 0x0000000000000001ull, false, FSW_C3 | FSW_C2 },     /* denormal */
        { 0x3FFF, 0x4000000000000000ull, false, 0 },                   /* unnormal: unsupported */
        { 0x0000, 0, true, FSW_C3 | FSW_C0 },                          /* empty */
    };
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        Fixture f;
        fpu_fixture(&f, "pentium");
        wr80(&f, A, cases[k].se, cases[k].sig);
        if (cases[k].empty)
            PROG(&f, 0xD9, 0xE5, 0xDF, 0xE0);
        else
            PROG(&f, 0xDB, M(5, A), 0xD9, 0xE5, 0xDF, 0xE0);
        ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0x4700, cases[k].cc);
        fixture_free(&f);
    }
}
END_TEST

START_TEST(fprem_quotient_bits)
{
    Fixture f;
    fpu_fixture(&f, "486");
    wr(&f, A, 5, 2);
    wr(&f, B, 31, 2);
    PROG(&f, 0xDF, M(0, A), 0xDF, M(0, B), 0xD9, 0xF8, 0xDF, 0xE0);   /* 31 rem 5 */
    ASSERT_ST(&f, 0, 0x3FFF, 0x8000000000000000ull);                 /* 1, quotient 6 = 110b */
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0x4700, FSW_C0 | FSW_C3);  /* Q2 = C0, Q1 = C3, Q0 = C1 */
    /* FPREM1 rounds the quotient: 31 / 5 -> 6, remainder 1; 29 / 5 -> 6, remainder -1 */
    wr(&f, B, 29, 2);
    PROG(&f, 0xDB, 0xE3, 0xDF, M(0, A), 0xDF, M(0, B), 0xD9, 0xF5, 0xDF, 0xE0);
    ASSERT_ST(&f, 0, 0xBFFF, 0x8000000000000000ull);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & 0x4700, FSW_C0 | FSW_C3);
    /* a huge exponent difference leaves the reduction partial: C2 */
    wr80(&f, B, 16383 + 200, 0x8000000000000000ull);
    PROG(&f, 0xDB, 0xE3, 0xDF, M(0, A), 0xDB, M(5, B), 0xD9, 0xF8, 0xDF, 0xE0);
    ck_assert_uint_eq(f.cpu.gpr[REG_EAX] & FSW_C2, FSW_C2);
    fixture_free(&f);
}
END_TEST

START_TEST(constants_and_unary)
{
    Fixture f;
    fpu_fixture(&f, "pentium");
    PROG(&f, 0xD9, 0xEB);                                       /* fldpi, nearest */
    ASSERT_ST(&f, 0, 0x4000, 0xC90FDAA22168C235ull);
    wr(&f, CW, 0x077F, 2);                                      /* round down */
    PROG(&f, 0xD9, M(5, CW), 0xD9, 0xEB);
    ASSERT_ST(&f, 0, 0x4000, 0xC90FDAA22168C234ull);
    PROG(&f, 0xDB, 0xE3, 0xD9, 0xE8, 0xD9, 0xE0, 0xD9, 0xE1);   /* fld1; fchs; fabs */
    ASSERT_ST(&f, 0, 0x3FFF, 0x8000000000000000ull);
    wr(&f, A, 2, 2);
    PROG(&f, 0xDB, 0xE3, 0xDF, M(0, A), 0xD9, 0xFA);           /* sqrt 2 */
    ASSERT_ST(&f, 0, 0x3FFF, 0xB504F333F9DE6484ull);
    ck_assert_uint_eq(f.cpu.fpu.status & 0x3F, FSW_PE);
    /* FXTRACT of 12: ST(0) 1.5, ST(1) 3 */
    wr(&f, A, 12, 2);
    PROG(&f, 0xDB, 0xE3, 0xDF, M(0, A), 0xD9, 0xF4);
    ASSERT_ST(&f, 0, 0x3FFF, 0xC000000000000000ull);
    ASSERT_ST(&f, 1, 0x4000, 0xC000000000000000ull);
    /* FPTAN out of range: C2, nothing pushed */
    wr80(&f, A, 16383 + 70, 0x8000000000000000ull);
    PROG(&f, 0xDB, 0xE3, 0xDB, M(5, A), 0xD9, 0xF2);
    ck_assert_uint_eq(top(&f), 7);
    ck_assert_uint_eq(f.cpu.fpu.status & FSW_C2, FSW_C2);
    /* FSCALE: 1 * 2^3 */
    wr(&f, A, 3, 2);
    PROG(&f, 0xDB, 0xE3, 0xDF, M(0, A), 0xD9, 0xE8, 0xD9, 0xFD);
    ASSERT_ST(&f, 0, 0x4002, 0x8000000000000000ull);
    fixture_free(&f);
}
END_TEST

START_TEST(p6_fcomi_and_fcmov)
{
    EXPECT_UD("pentium", 0xDB, 0xF1);                           /* fcomi st1 */
    EXPECT_UD("pentium", 0xDA, 0xC1);                           /* fcmovb st1 */
    Fixture f;
    fpu_fixture(&f, "pentium2");
    PROG(&f, 0xD9, 0xE8, 0xD9, 0xEE, 0xDB, 0xF1);              /* fld1; fldz; fcomi st1 */
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_CF);
    PROG(&f, 0xDA, 0xC1);                                       /* fcmovb st0, st1 (CF = 1) */
    ASSERT_ST(&f, 0, 0x3FFF, 0x8000000000000000ull);
    PROG(&f, 0xDF, 0xE9);                                       /* fucomip st1: equal, pops */
    ck_assert_uint_eq(arith_flags(&f), EFLAGS_ZF);
    ck_assert_uint_eq(top(&f), 7);
    fixture_free(&f);
}
END_TEST

START_TEST(availability_and_pointers)
{
    Fixture f;
    fpu_fixture(&f, "486");
    f.cpu.cr0 |= CR0_EM;
    CODE(0xD9, 0xE8, 0xF4);
    f.cpu.eip = FIXTURE_CODE;
    f.cpu.halted = false;
    run_to_fault(&f, EXC_NM, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_FPU_EMULATED);
    fixture_free(&f);

    /* WAIT traps only with MP and TS */
    fpu_fixture(&f, "486");
    f.cpu.cr0 |= CR0_TS;
    PROG(&f, 0x9B);
    f.cpu.cr0 |= CR0_MP;
    CODE(0x9B, 0xF4);
    f.cpu.eip = FIXTURE_CODE;
    f.cpu.halted = false;
    run_to_fault(&f, EXC_NM, FIXTURE_CODE);
    fixture_free(&f);

    /* the 386 has no coprocessor: the escape does nothing */
    fixture_init(&f, "386");
    PROG(&f, 0xD9, 0xE8, 0xD9, M(3, R));
    ck_assert_uint_eq(rd(&f, R, 4), 0);
    fixture_free(&f);

    /* FOP, FIP, FDP of the last non-control instruction */
    fpu_fixture(&f, "pentium");
    f.cpu.seg[SEG_DS].sel = 0;
    wr(&f, A, 0x3F800000, 4);
    PROG(&f, 0xD9, 0xE8, 0xD8, M(0, A), 0xD9, M(7, CW));       /* fld1; fadd m32; fnstcw */
    ck_assert_uint_eq(f.cpu.fpu.last_opcode, 0x006);
    ck_assert_uint_eq(f.cpu.fpu.last_ip, FIXTURE_CODE + 2);
    ck_assert_uint_eq(f.cpu.fpu.last_dp, A);
    ASSERT_ST(&f, 0, 0x4000, 0x8000000000000000ull);
    fixture_free(&f);
}
END_TEST

START_TEST(reserved_encodings_are_undefined)
{
    EXPECT_UD("pentium", 0xD9, 0xD1);
    EXPECT_UD("pentium", 0xD9, 0xE2);
    EXPECT_UD("pentium", 0xD9, 0x0E, 0x00, 0x30);              /* D9 /1 mem */
    EXPECT_UD("pentium", 0xDF, 0xE1);
    EXPECT_UD("pentium", 0xDE, 0xD8);
    EXPECT_UD("pentium2", 0xDD, 0x0E, 0x00, 0x30);             /* FISTTP m64 is SSE3 */
}
END_TEST

Suite *fpu_suite(void)
{
    Suite *s = suite_create("fpu");
    TCase *tc = tcase_create("x87");
    tcase_add_test(tc, reset_and_fninit_state);
    tcase_add_test(tc, load_store_real_formats);
    tcase_add_test(tc, load_store_integers);
    tcase_add_test(tc, packed_bcd);
    tcase_add_test(tc, tags_follow_contents);
    tcase_add_test(tc, stack_overflow_and_underflow);
    tcase_add_test(tc, unmasked_exception_is_deferred);
    tcase_add_test(tc, unmasked_overflow_underflow_scale_the_result);
    tcase_add_test(tc, compare_and_fnstsw_ax);
    tcase_add_test(tc, fxam_classes);
    tcase_add_test(tc, fprem_quotient_bits);
    tcase_add_test(tc, constants_and_unary);
    tcase_add_test(tc, p6_fcomi_and_fcmov);
    tcase_add_test(tc, availability_and_pointers);
    tcase_add_test(tc, reserved_encodings_are_undefined);
    suite_add_tcase(s, tc);
    return s;
}
