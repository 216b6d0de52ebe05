/* SPDX-License-Identifier: MIT */
/*
 * x87 state images (cpu/fpu_env.c): exact bytes of FNSTENV and FNSAVE in
 * the four environment layouts (16/32-bit, real/protected) and their
 * FLDENV/FRSTOR round trips, FNSTENV's masking and FNSAVE's FNINIT, the
 * FXSAVE area, FXRSTOR's MXCSR check, the alignment and #NM/#UD rules, and
 * the MMX aliasing as FNSAVE shows it.
 */
#include "pm_fixture.h"

enum { AREA = 0x3000 };

/*
 * The state every test starts from: TOP 3, R3 = 1.0 (valid), R4 = +0
 * (zero), R5 = +inf (special), the rest empty but holding distinct bits.
 * The tag word claims R3-R5 all valid, so a stored one shows they were
 * reclassified: R7..R0 = 11 11 10 01 00 11 11 11 = F93Fh.
 */
static void load_state(Fixture *f, uint32_t ip, uint16_t cs, uint32_t dp, uint16_t ds)
{
    Fpu *p = &f->cpu.fpu;
    p->control = 0x0372;
    p->status = 0x4000 | 0x0200 | 3 << FSW_TOP_SHIFT;     /* C3, C1, TOP 3 */
    p->tag = 0xF03F;
    p->last_opcode = 0x5E9;
    p->last_ip = ip;
    p->last_cs = cs;
    p->last_dp = dp;
    p->last_ds = ds;
    for (unsigned r = 0; r < 8; r++)
        p->reg[r] = (Float80){ 0x0101010101010101ull * (r + 1), (uint16_t)(0x1110 + r) };
    p->reg[3] = (Float80){ 0x8000000000000000ull, 0x3FFF };
    p->reg[4] = (Float80){ 0, 0 };
    p->reg[5] = (Float80){ 0x8000000000000000ull, 0x7FFF };
}

static void expect_bytes(Fixture *f, uint32_t at, const uint8_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rd(f, at + (uint32_t)i, 1) != want[i])
            ck_abort_msg("byte %zu of the image is %02x, want %02x", i, rd(f, at + (uint32_t)i, 1),
                         want[i]);
}

/* The registers of an FNSAVE image at `at`: ST(i) = R((3 + i) & 7). */
static void expect_registers(Fixture *f, uint32_t at, unsigned stride)
{
    for (unsigned i = 0; i < 8; i++) {
        Float80 r = f->cpu.fpu.reg[(3 + i) & 7];
        uint32_t a = at + i * stride;
        ck_assert_uint_eq(rd(f, a, 4), (uint32_t)r.significand);
        ck_assert_uint_eq(rd(f, a + 4, 4), (uint32_t)(r.significand >> 32));
        ck_assert_uint_eq(rd(f, a + 8, 2), r.sign_exp);
    }
}

static void expect_state(Fixture *f, const Fpu *want)
{
    const Fpu *p = &f->cpu.fpu;
    ck_assert_uint_eq(p->control, want->control);
    ck_assert_uint_eq(p->status, want->status);
    ck_assert_uint_eq(p->tag, want->tag);
    ck_assert_uint_eq(p->last_opcode, want->last_opcode);
    ck_assert_uint_eq(p->last_ip, want->last_ip);
    ck_assert_uint_eq(p->last_cs, want->last_cs);
    ck_assert_uint_eq(p->last_dp, want->last_dp);
    ck_assert_uint_eq(p->last_ds, want->last_ds);
    for (unsigned r = 0; r < 8; r++) {
        ck_assert_uint_eq(p->reg[r].significand, want->reg[r].significand);
        ck_assert_uint_eq(p->reg[r].sign_exp, want->reg[r].sign_exp);
    }
}

/* Scrambles everything FLDENV/FRSTOR must restore. */
static void scramble(Fixture *f)
{
    fpu_init_state(&f->cpu.fpu);
    for (unsigned r = 0; r < 8; r++)
        f->cpu.fpu.reg[r] = (Float80){ 0xDEADBEEFull * r, 0x5555 };
}

/* ---- real mode ---- */

static const uint8_t env16_real[14] = {
    0x72, 0x03, 0x00, 0x5A, 0x3F, 0xF9,
    0x34, 0x12,                     /* FIP 15-0 of F000:1234 = F1234h */
    0xE9, 0xF5,                     /* FIP 19-16 = F, FOP 5E9h */
    0x78, 0x56, 0x00, 0x20,         /* FDP 2000:5678 = 25678h */
};

static const uint8_t env32_real[28] = {
    0x72, 0x03, 0xFF, 0xFF, 0x00, 0x5A, 0xFF, 0xFF, 0x3F, 0xF9, 0xFF, 0xFF,
    0x34, 0x12, 0xFF, 0xFF,
    0xE9, 0xF5, 0x00, 0x00,         /* FIP 31-16 = 000Fh in bits 27-12 */
    0x78, 0x56, 0xFF, 0xFF,
    0x00, 0x20, 0x00, 0x00,
};

/* Runs `code` (HLT appended) on a real-mode Pentium II with the test state. */
static void run_real(Fixture *f, const uint8_t *code, size_t n)
{
    uint8_t buf[32];
    memcpy(buf, code, n);
    buf[n] = 0xF4;
    fixture_code(f, buf, n + 1);
    f->cpu.eip = FIXTURE_CODE;
    f->cpu.halted = false;
    run_to_hlt(f);
}

START_TEST(fnstenv_fldenv_real_mode)
{
    static const uint8_t fnstenv16[] = { 0xD9, 0x36, 0x00, 0x30 };
    static const uint8_t fnstenv32[] = { 0x66, 0xD9, 0x36, 0x00, 0x30 };
    static const uint8_t fldenv16[] = { 0xD9, 0x26, 0x00, 0x30 };
    static const uint8_t fldenv32[] = { 0x66, 0xD9, 0x26, 0x00, 0x30 };
    Fixture f;
    Fpu want;

    for (int wide = 0; wide < 2; wide++) {
        fixture_init(&f, "pentium2");
        load_state(&f, 0x1234, 0xF000, 0x5678, 0x2000);
        run_real(&f, wide ? fnstenv32 : fnstenv16, wide ? 5 : 4);
        expect_bytes(&f, AREA, wide ? env32_real : env16_real, wide ? 28 : 14);
        /* FNSTENV masks every exception afterwards. */
        ck_assert_uint_eq(f.cpu.fpu.control, 0x037F);
        /* FLDENV: the pointers come back as linear addresses with selector 0. */
        want = f.cpu.fpu;
        want.control = 0x0372;
        want.tag = 0xF93F;
        want.last_ip = 0xF1234;
        want.last_cs = 0;
        want.last_dp = 0x25678;
        want.last_ds = 0;
        f.cpu.fpu.control = 0x037F;
        f.cpu.fpu.status = 0;
        f.cpu.fpu.tag = 0xFFFF;
        f.cpu.fpu.last_ip = f.cpu.fpu.last_dp = 0;
        run_real(&f, wide ? fldenv32 : fldenv16, wide ? 5 : 4);
        expect_state(&f, &want);
        fixture_free(&f);
    }
}
END_TEST

START_TEST(fnsave_frstor_real_mode)
{
    static const uint8_t fnsave16[] = { 0xDD, 0x36, 0x00, 0x30 };
    static const uint8_t fnsave32[] = { 0x66, 0xDD, 0x36, 0x00, 0x30 };
    static const uint8_t frstor16[] = { 0xDD, 0x26, 0x00, 0x30 };
    static const uint8_t frstor32[] = { 0x66, 0xDD, 0x26, 0x00, 0x30 };
    Fixture f;

    for (int wide = 0; wide < 2; wide++) {
        fixture_init(&f, "pentium2");
        load_state(&f, 0x1234, 0xF000, 0x5678, 0x2000);
        Fpu want = f.cpu.fpu;
        want.tag = 0xF93F;
        want.last_ip = 0xF1234;
        want.last_cs = 0;
        want.last_dp = 0x25678;
        want.last_ds = 0;
        run_real(&f, wide ? fnsave32 : fnsave16, wide ? 5 : 4);
        expect_bytes(&f, AREA, wide ? env32_real : env16_real, wide ? 28 : 14);
        expect_registers(&f, AREA + (wide ? 28 : 14), 10);
        /* FNSAVE ends with FNINIT; the registers keep their contents. */
        ck_assert_uint_eq(f.cpu.fpu.control, 0x037F);
        ck_assert_uint_eq(f.cpu.fpu.status, 0);
        ck_assert_uint_eq(f.cpu.fpu.tag, 0xFFFF);
        ck_assert_uint_eq(f.cpu.fpu.last_ip, 0);
        scramble(&f);
        run_real(&f, wide ? frstor32 : frstor16, wide ? 5 : 4);
        expect_state(&f, &want);
        fixture_free(&f);
    }
}
END_TEST

/* ---- protected mode ---- */

static const uint8_t env16_pm[14] = {
    0x72, 0x03, 0x00, 0x5A, 0x3F, 0xF9,
    0x56, 0x34, 0x08, 0x00,         /* FIP offset 15-0, FCS */
    0xEF, 0xCD, 0x10, 0x00,         /* FDP offset 15-0, FDS */
};

static const uint8_t env32_pm[28] = {
    0x72, 0x03, 0xFF, 0xFF, 0x00, 0x5A, 0xFF, 0xFF, 0x3F, 0xF9, 0xFF, 0xFF,
    0x56, 0x34, 0x12, 0x00,         /* FIP */
    0x08, 0x00, 0xE9, 0x05,         /* FCS, FOP in bits 26-16 */
    0xEF, 0xCD, 0xAB, 0x00,         /* FDP */
    0x10, 0x00, 0xFF, 0xFF,         /* FDS */
};

/* Runs `code` as the 32-bit protected-mode body with the test state. */
static void run_pm(Fixture *f, const uint8_t *code, size_t n)
{
    uint8_t buf[32];
    memcpy(buf, code, n);
    buf[n] = 0xF4;
    pm_write(f, PM_BODY, buf, n + 1);
    pm_run_to_hlt(f);
}

START_TEST(env_and_save_protected_mode)
{
    /* fnstenv/fnsave [AREA]; the 66 prefix selects the 16-bit layouts. */
    static const uint8_t store[4][7] = {
        { 0xD9, 0x35, 0x00, 0x30, 0x00, 0x00 }, { 0x66, 0xD9, 0x35, 0x00, 0x30, 0x00, 0x00 },
        { 0xDD, 0x35, 0x00, 0x30, 0x00, 0x00 }, { 0x66, 0xDD, 0x35, 0x00, 0x30, 0x00, 0x00 },
    };
    static const uint8_t load[4][7] = {
        { 0xD9, 0x25, 0x00, 0x30, 0x00, 0x00 }, { 0x66, 0xD9, 0x25, 0x00, 0x30, 0x00, 0x00 },
        { 0xDD, 0x25, 0x00, 0x30, 0x00, 0x00 }, { 0x66, 0xDD, 0x25, 0x00, 0x30, 0x00, 0x00 },
    };
    Fixture f;

    for (int k = 0; k < 4; k++) {
        bool wide = !(k & 1), regs = k >= 2;
        size_t n = wide ? 6 : 7;
        pm_setup(&f, "pentium2");
        load_state(&f, 0x00123456, 0x0008, 0x00ABCDEF, 0x0010);
        Fpu want = f.cpu.fpu;
        want.tag = 0xF93F;
        if (!wide) {
            /* The 16-bit layout keeps 16-bit offsets and no opcode. */
            want.last_ip &= 0xFFFF;
            want.last_dp &= 0xFFFF;
        }
        run_pm(&f, store[k], n);
        expect_bytes(&f, AREA, wide ? env32_pm : env16_pm, wide ? 28 : 14);
        if (regs)
            expect_registers(&f, AREA + (wide ? 28 : 14), 10);
        scramble(&f);
        f.cpu.fpu.last_opcode = 0x5E9;      /* the 16-bit layout leaves FOP alone */
        if (!regs)
            for (unsigned r = 0; r < 8; r++)
                f.cpu.fpu.reg[r] = want.reg[r];
        f.cpu.halted = false;
        f.cpu.eip = PM_BODY;
        run_pm(&f, load[k], n);
        expect_state(&f, &want);
        fixture_free(&f);
    }
}
END_TEST

/* Virtual-8086 mode stores the real-mode layouts. */
START_TEST(fnstenv_v86_mode)
{
    /* IRETD to V86 at 0600:0000 with DS = 0900h (the test_pm_v86 frame). */
    static const uint8_t to_v86[] = {
        0x68, 0x00, 0x0B, 0x00, 0x00, 0x68, 0x00, 0x0A, 0x00, 0x00,
        0x68, 0x00, 0x09, 0x00, 0x00, 0x68, 0x00, 0x08, 0x00, 0x00,
        0x68, 0x00, 0x07, 0x00, 0x00, 0x68, 0x00, 0x01, 0x00, 0x00,
        0x68, 0x02, 0x00, 0x02, 0x00, 0x68, 0x00, 0x06, 0x00, 0x00, 0x6A, 0x00, 0xCF,
    };
    for (int wide = 0; wide < 2; wide++) {
        Fixture f;
        pm_setup(&f, "pentium2");
        pm_write(&f, PM_BODY, to_v86, sizeof to_v86);
        /* fnstenv [0x10] (DS base 9000h), then HLT: #GP to the monitor. */
        static const uint8_t v86_16[] = { 0xD9, 0x36, 0x10, 0x00, 0xF4 };
        static const uint8_t v86_32[] = { 0x66, 0xD9, 0x36, 0x10, 0x00, 0xF4 };
        pm_write(&f, 0x6000, wide ? v86_32 : v86_16, wide ? 6 : 5);
        load_state(&f, 0x1234, 0xF000, 0x5678, 0x2000);
        pm_expect(&f, EXC_GP, 0, FAULT_CPL_NOT_ZERO);
        expect_bytes(&f, 0x9010, wide ? env32_real : env16_real, wide ? 28 : 14);
        fixture_free(&f);
    }
}
END_TEST

/* FLDENV recomputes ES and B: a loaded unmasked flag is pending again. */
START_TEST(fldenv_recomputes_pending)
{
    static const uint8_t fldenv[] = { 0xD9, 0x26, 0x00, 0x30 };
    Fixture f;
    fixture_init(&f, "pentium2");
    wr(&f, AREA, 0x037B, 2);            /* ZE unmasked */
    wr(&f, AREA + 2, FSW_ZE, 2);        /* ZE set, ES clear in the image */
    wr(&f, AREA + 4, 0xFFFF, 2);
    run_real(&f, fldenv, sizeof fldenv);
    ck_assert_uint_eq(f.cpu.fpu.status, FSW_ZE | FSW_ES | FSW_B);
    fixture_free(&f);
}
END_TEST

/* ---- MMX aliasing ---- */

START_TEST(movq_then_fnsave_shows_the_alias)
{
    static const uint8_t code[] = {
        0x0F, 0x6F, 0x06, 0x00, 0x31,   /* movq mm0, [0x3100] */
        0xDD, 0x36, 0x00, 0x30,         /* fnsave [0x3000] */
    };
    static const uint8_t env[14] = {
        0x40, 0x00,                     /* FCW after RESET */
        0x00, 0x00,                     /* FSW: TOP 0 */
        0x56, 0x55,                     /* R0 special (exponent 7FFFh), R1-R7 zero */
        0, 0, 0, 0, 0, 0, 0, 0,
    };
    static const uint8_t st0[10] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0xFF, 0xFF };
    Fixture f;
    fixture_init(&f, "pentium2");
    wr(&f, 0x3100, 0x55667788, 4);
    wr(&f, 0x3104, 0x11223344, 4);
    f.cpu.fpu.status = 6 << FSW_TOP_SHIFT;
    run_real(&f, code, sizeof code);
    expect_bytes(&f, AREA, env, sizeof env);
    expect_bytes(&f, AREA + 14, st0, sizeof st0);
    fixture_free(&f);
}
END_TEST

/* ---- FXSAVE / FXRSTOR ---- */

START_TEST(fxsave_layout_and_fxrstor)
{
    static const uint8_t fxsave[] = { 0x0F, 0xAE, 0x06, 0x00, 0x30 };
    static const uint8_t fxrstor[] = { 0x0F, 0xAE, 0x0E, 0x00, 0x30 };
    static const uint8_t head[32] = {
        0x72, 0x03, 0x00, 0x5A,
        0x38, 0x00,                     /* abridged tags: R3, R4, R5 in use */
        0xE9, 0x05,                     /* FOP */
        0x34, 0x12, 0x00, 0x00, 0x00, 0xF0, 0x00, 0x00,     /* FIP, FCS */
        0x78, 0x56, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00,     /* FDP, FDS */
        0x80, 0x1F, 0x00, 0x00,         /* MXCSR */
        0x00, 0x00, 0x00, 0x00,         /* MXCSR_MASK 0: the default FFBFh */
    };
    Fixture f;
    fixture_init(&f, "pentium2");
    for (unsigned i = 0; i < 512; i++)
        wr(&f, AREA + i, 0xCC, 1);
    load_state(&f, 0x1234, 0xF000, 0x5678, 0x2000);
    f.cpu.fpu.mxcsr = 0x1F80;
    Fpu want = f.cpu.fpu;
    want.tag = 0xF93F;
    run_real(&f, fxsave, sizeof fxsave);
    expect_bytes(&f, AREA, head, sizeof head);
    expect_registers(&f, AREA + 32, 16);
    for (unsigned i = 0; i < 8; i++)
        for (unsigned b = 10; b < 16; b++)
            ck_assert_uint_eq(rd(&f, AREA + 32 + 16 * i + b, 1), 0);
    ck_assert_uint_eq(rd(&f, AREA + 160, 1), 0xCC);     /* no XMM registers */
    ck_assert_uint_eq(rd(&f, AREA + 511, 1), 0xCC);
    /* FXSAVE does not reinitialise. */
    ck_assert_uint_eq(f.cpu.fpu.control, 0x0372);
    scramble(&f);
    f.cpu.fpu.mxcsr = 0;
    run_real(&f, fxrstor, sizeof fxrstor);
    expect_state(&f, &want);
    ck_assert_uint_eq(f.cpu.fpu.mxcsr, 0x1F80);
    fixture_free(&f);
}
END_TEST

START_TEST(fxrstor_reserved_mxcsr_bits)
{
    static const uint8_t fxrstor[] = { 0x0F, 0xAE, 0x0E, 0x00, 0x30 };
    static const uint32_t bad[] = { 0x00010000, 0x00000040, 0x80000000 };
    for (unsigned i = 0; i < 3; i++) {
        Fixture f;
        fixture_init(&f, "pentium2");
        fixture_code(&f, fxrstor, sizeof fxrstor);
        wr(&f, AREA, 0x0000, 2);
        wr(&f, AREA + 24, bad[i], 4);
        run_to_fault(&f, EXC_GP, FIXTURE_CODE);
        ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_FXRSTOR_MXCSR);
        ck_assert_uint_eq(f.cpu.fpu.control, 0x0040);   /* nothing loaded */
        fixture_free(&f);
    }
}
END_TEST

/* 0F AE modrm [0x30xx] on a fresh real-mode CPU must raise `vector`. */
static void expect_fx_fault(const char *model, uint32_t cr0_set, uint8_t modrm, uint8_t disp_lo,
                            unsigned vector, int rule)
{
    Fixture f;
    fixture_init(&f, model);
    const uint8_t code[] = { 0x0F, 0xAE, modrm, disp_lo, 0x30, 0xF4 };
    fixture_code(&f, code, sizeof code);
    wr(&f, AREA + disp_lo, 0xA5A5, 2);
    f.cpu.cr0 |= cr0_set;
    run_to_fault(&f, vector, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, rule);
    ck_assert_uint_eq(rd(&f, AREA + disp_lo, 2), 0xA5A5);     /* nothing written */
    fixture_free(&f);
}

START_TEST(fxsave_checks)
{
    enum { FXSAVE = 0x06, FXRSTOR = 0x0E };
    expect_fx_fault("pentium2", 0, FXSAVE, 0x08, EXC_GP, FAULT_FXSAVE_ALIGN);
    expect_fx_fault("pentium2", 0, FXRSTOR, 0x04, EXC_GP, FAULT_FXSAVE_ALIGN);
    expect_fx_fault("pentium2", CR0_TS, FXSAVE, 0x00, EXC_NM, FAULT_FPU_TASK_SWITCHED);
    expect_fx_fault("pentium2", CR0_EM, FXRSTOR, 0x00, EXC_NM, FAULT_FPU_EMULATED);
    /* #NM comes before the alignment check. */
    expect_fx_fault("pentium2", CR0_TS, FXSAVE, 0x08, EXC_NM, FAULT_FPU_TASK_SWITCHED);
    expect_fx_fault("pentium", 0, FXSAVE, 0x00, EXC_UD, FAULT_UNDEFINED_OPCODE);
    EXPECT_UD("pentium2", 0x0F, 0xAE, 0xC0);    /* no register form */
    EXPECT_UD("pentium2", 0x0F, 0xAE, 0x16, 0x00, 0x30);  /* LDMXCSR: SSE */
}
END_TEST

/* An FXSAVE area past the segment limit faults before any byte is written. */
START_TEST(fxsave_limit)
{
    Fixture f;
    fixture_init(&f, "pentium2");
    CODE(0x0F, 0xAE, 0x06, 0x10, 0xFE, 0xF4);  /* fxsave [0xFE10]: 512 bytes end at 0x1000F */
    wr(&f, 0xFE10, 0xA5A5, 2);
    run_to_fault(&f, EXC_GP, FIXTURE_CODE);
    ck_assert_int_eq(f.cpu.last_fault.rule, FAULT_SEGMENT_LIMIT);
    ck_assert_uint_eq(rd(&f, 0xFE10, 2), 0xA5A5);
    fixture_free(&f);
}
END_TEST

Suite *fpu_env_suite(void)
{
    Suite *s = suite_create("fpu_env");
    TCase *tc = tcase_create("fpu_env");
    tcase_add_test(tc, fnstenv_fldenv_real_mode);
    tcase_add_test(tc, fnsave_frstor_real_mode);
    tcase_add_test(tc, env_and_save_protected_mode);
    tcase_add_test(tc, fnstenv_v86_mode);
    tcase_add_test(tc, fldenv_recomputes_pending);
    tcase_add_test(tc, movq_then_fnsave_shows_the_alias);
    tcase_add_test(tc, fxsave_layout_and_fxrstor);
    tcase_add_test(tc, fxrstor_reserved_mxcsr_bits);
    tcase_add_test(tc, fxsave_checks);
    tcase_add_test(tc, fxsave_limit);
    suite_add_tcase(s, tc);
    return s;
}
