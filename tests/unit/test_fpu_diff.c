/* SPDX-License-Identifier: MIT */
/*
 * Differential tests of the x87: random and edge operands (zeros,
 * denormals, pseudo-denormals, unnormals, infinities, QNaNs, SNaNs, the
 * largest and smallest normals, integers and halfway cases) go through a
 * guest instruction on the bare fixture CPU and through the same
 * instruction run directly on the host x87 here, in every precision (24,
 * 53, 64 bits) and rounding mode, all exceptions masked.  Result bits, the
 * exception flags and the condition codes the instruction defines must
 * match.  The register forms run the very same opcode bytes on both sides.
 * With random exception masks the host runs the instruction under the same
 * FCW and reads its state back with FNSAVE (which does not wait, so an
 * unmasked exception is never delivered on the host): then the unmasked
 * responses, and the stack faults of an empty ST(0), an empty ST(1) or a
 * full stack, are compared down to the tag word.  A fixed-seed PRNG keeps
 * runs deterministic.  x86 hosts only, as the FPU.
 */
#include <check.h>
#include <stdio.h>

#include "cpu_fixture.h"
#include "suites.h"

enum { OPA = DATA, OPB = DATA + 0x10, RES = DATA + 0x20, STAT = DATA + 0x30, CTRL = DATA + 0x34 };
enum { CASES = 250 };
#define CC_ALL (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* ---- operands ---- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

static Float80 gen_f80(uint64_t *s)
{
    uint64_t r = rng_next(s), q = rng_next(s);
    uint16_t sign = (r & 1) ? 0x8000 : 0;
    const uint64_t J = 1ull << 63;
    unsigned e;

    switch ((r >> 1) % 18) {
    case 0: return (Float80){ 0, sign };
    case 1: return (Float80){ (q >> (1 + (r >> 8) % 63)) | 1, sign };             /* denormal */
    case 2: return (Float80){ J | (q >> 1), sign };                                /* pseudo-denormal */
    case 3: return (Float80){ J, (uint16_t)(sign | 0x7FFF) };                      /* infinity */
    case 4: return (Float80){ J | 1ull << 62 | (q >> 2), (uint16_t)(sign | 0x7FFF) };   /* QNaN */
    case 5: return (Float80){ J | ((q >> 2) | 1), (uint16_t)(sign | 0x7FFF) };     /* SNaN */
    case 6: return (Float80){ ~0ull, (uint16_t)(sign | 0x7FFE) };                  /* largest */
    case 7: return (Float80){ J, (uint16_t)(sign | 1) };                           /* smallest normal */
    case 8: e = (r >> 8) % 0x8000;                                                 /* unnormal, pseudo-NaN/inf */
        return (Float80){ q >> 1, (uint16_t)(sign | (e ? e : 1)) };
    case 9: case 10: e = 0x3FFF + (unsigned)((r >> 8) % 128) - 64;                 /* near 1 */
        return (Float80){ J | q, (uint16_t)(sign | e) };
    case 11: e = 0x7FFE - (unsigned)((r >> 8) % 64);                              /* near overflow */
        return (Float80){ J | q, (uint16_t)(sign | e) };
    case 12: e = 1 + (unsigned)((r >> 8) % 64);                                   /* near underflow */
        return (Float80){ J | q, (uint16_t)(sign | e) };
    case 13: {                                                                     /* integer */
        unsigned bits = 1 + (unsigned)((r >> 8) % 64);
        uint64_t v = q >> (64 - bits) | 1ull << (bits - 1);
        return (Float80){ v << (64 - bits), (uint16_t)(sign | (0x3FFF + bits - 1)) };
    }
    case 14: {                                                                     /* k + 1/2 */
        uint64_t v = (q & 0xFFFFF) * 2 + 1;
        unsigned msb = 63 - (unsigned)__builtin_clzll(v);
        return (Float80){ v << (63 - msb), (uint16_t)(sign | (0x3FFF + msb - 1)) };
    }
    default: e = 1 + (unsigned)((r >> 8) % 0x7FFE);                               /* anywhere */
        return (Float80){ J | q, (uint16_t)(sign | e) };
    }
}

/* A 32- or 64-bit memory operand: a real of the size, often special. */
static uint64_t gen_bits(uint64_t *s, unsigned size)
{
    uint64_t r = rng_next(s), q = rng_next(s);
    unsigned ebits = size == 4 ? 8 : 11, fbits = size == 4 ? 23 : 52;
    uint64_t emax = (1ull << ebits) - 1, e;

    switch (r % 5) {
    case 0: e = 0; break;
    case 1: e = emax; break;
    case 2: e = r >> 8 & 1 ? 1 : emax - 1; break;
    default: e = (r >> 8) % (emax + 1); break;
    }
    uint64_t frac = q & ((1ull << fbits) - 1);
    if (r >> 20 & 1)
        frac &= ~0ull << (fbits - (r >> 24) % fbits);
    return (r >> 40 & 1ull) << (size * 8 - 1) | e << fbits | frac;
}

/* ---- the guest side ---- */

static void guest_set_code(Fixture *f, const uint8_t *code, size_t n)
{
    fixture_code(f, code, n);
    phys_write(&f->mem, FIXTURE_CODE + n, 0xF4, 1);
}

static void guest_run(Fixture *f)
{
    f->cpu.eip = FIXTURE_CODE;
    f->cpu.halted = false;
    ck_assert_int_eq(cpu_run(&f->cpu, 100), CPU_STOP_HALT);
}

static void put80(Fixture *f, uint32_t a, Float80 v)
{
    wr(f, a, (uint32_t)v.significand, 4);
    wr(f, a + 4, (uint32_t)(v.significand >> 32), 4);
    wr(f, a + 8, v.sign_exp, 2);
}

static void put_bytes(Fixture *f, uint32_t a, const void *p, unsigned n)
{
    phys_write_block(&f->mem, a, p, n);
}

static void get_bytes(Fixture *f, uint32_t a, void *p, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        ((uint8_t *)p)[k] = (uint8_t)rd(f, a + k, 1);
}

/* [disp16] operand: ModRM mod 00, rm 110 */
#define MEM(reg, a) (uint8_t)((reg) << 3 | 6), (uint8_t)(a), (uint8_t)((a) >> 8)
#define PROLOGUE 0xDB, 0xE3, 0xD9, MEM(5, CTRL)    /* fninit; fldcw */

/* ---- the host side ---- */

#define HOST_PRE "fnstcw %[old]\n\tfldcw %[cw]\n\tfnclex\n\t"
#define HOST_END "\n\tfninit\n\tfldcw %[old]"

/* ST(0) = a, ST(1) = b; the instruction; FSW; ST(0) stored. */
#define HOST_REG(b1, b2) \
    __asm__ volatile(HOST_PRE "fldt %[b]\n\tfldt %[a]\n\t.byte " #b1 ", " #b2 \
                     "\n\tfnstsw %%ax\n\tfstpt %[r]" HOST_END \
                     : [r] "=m"(*res), "=a"(sw), [old] "=m"(old) \
                     : [a] "m"(a), [b] "m"(b), [cw] "m"(cw))

/* The register forms: name, opcode bytes, the condition codes defined. */
#define REG_OPS(X) \
    X(fadd, 0xD8, 0xC1, FSW_C1) X(fsub, 0xD8, 0xE1, FSW_C1) X(fsubr, 0xD8, 0xE9, FSW_C1) \
    X(fmul, 0xD8, 0xC9, FSW_C1) X(fdiv, 0xD8, 0xF1, FSW_C1) X(fdivr, 0xD8, 0xF9, FSW_C1) \
    X(faddp, 0xDE, 0xC1, FSW_C1) X(fsubp, 0xDE, 0xE9, FSW_C1) X(fsubrp, 0xDE, 0xE1, FSW_C1) \
    X(fmulp, 0xDE, 0xC9, FSW_C1) X(fdivp, 0xDE, 0xF9, FSW_C1) X(fdivrp, 0xDE, 0xF1, FSW_C1) \
    X(fadd_st1, 0xDC, 0xC1, FSW_C1) X(fsub_st1, 0xDC, 0xE9, FSW_C1) \
    X(fsubr_st1, 0xDC, 0xE1, FSW_C1) X(fdivr_st1, 0xDC, 0xF1, FSW_C1) \
    X(fsqrt, 0xD9, 0xFA, FSW_C1) X(frndint, 0xD9, 0xFC, FSW_C1) \
    X(fprem, 0xD9, 0xF8, CC_ALL) X(fprem1, 0xD9, 0xF5, CC_ALL) X(fscale, 0xD9, 0xFD, FSW_C1) \
    X(fxtract, 0xD9, 0xF4, FSW_C1) X(fchs, 0xD9, 0xE0, FSW_C1) X(fabs, 0xD9, 0xE1, FSW_C1) \
    X(fcom, 0xD8, 0xD1, CC_ALL) X(fucom, 0xDD, 0xE1, CC_ALL) X(fcompp, 0xDE, 0xD9, CC_ALL) \
    X(fucompp, 0xDA, 0xE9, CC_ALL) X(ftst, 0xD9, 0xE4, CC_ALL) X(fxam, 0xD9, 0xE5, CC_ALL) \
    X(fxch, 0xD9, 0xC9, FSW_C1) X(fld_st1, 0xD9, 0xC1, FSW_C1) X(fst_st1, 0xDD, 0xD1, FSW_C1) \
    X(f2xm1, 0xD9, 0xF0, FSW_C1) X(fyl2x, 0xD9, 0xF1, FSW_C1) X(fyl2xp1, 0xD9, 0xF9, FSW_C1) \
    X(fpatan, 0xD9, 0xF3, FSW_C1) X(fsin, 0xD9, 0xFE, FSW_C1 | FSW_C2) \
    X(fcos, 0xD9, 0xFF, FSW_C1 | FSW_C2) X(fptan, 0xD9, 0xF2, FSW_C1 | FSW_C2) \
    X(fsincos, 0xD9, 0xFB, FSW_C1 | FSW_C2)

enum {
#define X(name, b1, b2, cc) OP_##name,
    REG_OPS(X)
#undef X
    REG_OP_COUNT
};

static const struct { const char *name; uint8_t b1, b2; uint16_t cc; } reg_ops[] = {
#define X(name, b1, b2, cc) { #name, b1, b2, cc },
    REG_OPS(X)
#undef X
};

static uint16_t host_reg(unsigned op, uint16_t cw, Float80 a, Float80 b, Float80 *res)
{
    uint16_t sw = 0, old;
    switch (op) {
#define X(name, b1, b2, cc) case OP_##name: HOST_REG(b1, b2); break;
    REG_OPS(X)
#undef X
    }
    return sw;
}

static uint16_t mode_cw(unsigned mode)
{
    static const unsigned pc[3] = { 0, 2, 3 };
    return (uint16_t)(0x007F | pc[mode % 3] << 8 | (mode / 3) << 10);
}

static bool same80(Float80 x, Float80 y)
{
    return x.significand == y.significand && x.sign_exp == y.sign_exp;
}

static void report(const char *name, unsigned mode, Float80 a, Float80 b, uint16_t gsw, uint16_t hsw,
                   const void *g, const void *h, unsigned n)
{
    char line[256];
    int k = snprintf(line, sizeof line, "%s cw %04x a %04x:%016llx b %04x:%016llx sw %04x/%04x res",
                     name, mode_cw(mode), a.sign_exp, (unsigned long long)a.significand, b.sign_exp,
                     (unsigned long long)b.significand, gsw, hsw);
    for (unsigned i = 0; i < n && k < 200; i++)
        k += snprintf(line + k, sizeof line - (size_t)k, " %02x/%02x", ((const uint8_t *)g)[i],
                      ((const uint8_t *)h)[i]);
    ck_abort_msg("%s", line);
}

START_TEST(register_forms_match_the_host)
{
    Fixture f;
    uint64_t seed = 0x9E3779B97F4A7C15ull ^ (uint64_t)_i;
    unsigned op = (unsigned)_i;

    fixture_init(&f, "pentium2");
    uint8_t code[] = { PROLOGUE, 0xDB, MEM(5, OPB), 0xDB, MEM(5, OPA), reg_ops[op].b1, reg_ops[op].b2,
                       0xDD, MEM(7, STAT), 0xDB, MEM(7, RES) };
    guest_set_code(&f, code, sizeof code);
    uint16_t mask = 0x7F | reg_ops[op].cc;
    for (unsigned mode = 0; mode < 12; mode++) {
        uint16_t cw = mode_cw(mode);
        wr(&f, CTRL, cw, 2);
        for (unsigned n = 0; n < CASES; n++) {
            Float80 a = gen_f80(&seed), b = gen_f80(&seed), hres = { 0, 0 }, gres;
            put80(&f, OPA, a);
            put80(&f, OPB, b);
            guest_run(&f);
            uint16_t gsw = (uint16_t)rd(&f, STAT, 2), hsw = host_reg(op, cw, a, b, &hres);
            gres.significand = rd(&f, RES, 4) | (uint64_t)rd(&f, RES + 4, 4) << 32;
            gres.sign_exp = (uint16_t)rd(&f, RES + 8, 2);
            if (!same80(gres, hres) || ((gsw ^ hsw) & mask))
                report(reg_ops[op].name, mode, a, b, gsw, hsw, &gres, &hres, 10);
        }
    }
    fixture_free(&f);
}
END_TEST

/* ---- memory forms: stores from ST(0), loads, arithmetic with m32/m64/m16 ---- */

#define MEM_OPS(X) \
    X(fst_m32, STORE, 4, 0xD9, 2, "fsts") X(fst_m64, STORE, 8, 0xDD, 2, "fstl") \
    X(fist_m16, STORE, 2, 0xDF, 2, "fists") X(fist_m32, STORE, 4, 0xDB, 2, "fistl") \
    X(fistp_m64, STORE, 8, 0xDF, 7, "fistpll") X(fbstp, STORE, 10, 0xDF, 6, "fbstp") \
    X(fld_m32, LOAD, 4, 0xD9, 0, "flds") X(fld_m64, LOAD, 8, 0xDD, 0, "fldl") \
    X(fadd_m32, ARITH, 4, 0xD8, 0, "fadds") X(fdivr_m64, ARITH, 8, 0xDC, 7, "fdivrl") \
    X(fsub_m32, ARITH, 4, 0xD8, 4, "fsubs") X(fmul_m64, ARITH, 8, 0xDC, 1, "fmull") \
    X(fcom_m64, ARITH, 8, 0xDC, 2, "fcoml") X(fimul_m16, IARITH, 2, 0xDE, 1, "fimuls") \
    X(fisub_m32, IARITH, 4, 0xDA, 4, "fisubl") X(ficom_m32, IARITH, 4, 0xDA, 2, "ficoml") \
    X(fidiv_m16, IARITH, 2, 0xDE, 6, "fidivs")

enum { STORE, LOAD, ARITH, IARITH };
enum {
#define X(name, kind, size, esc, reg, mn) MOP_##name,
    MEM_OPS(X)
#undef X
    MEM_OP_COUNT
};

static const struct { const char *name; int kind; unsigned size; uint8_t esc, reg; } mem_ops[] = {
#define X(name, kind, size, esc, reg, mn) { #name, kind, size, esc, reg },
    MEM_OPS(X)
#undef X
};

typedef struct { uint8_t b[10]; } Mem10;

/* STORE: ST(0) = a stored to *m; LOAD: *m loaded; ARITH: ST(0) = a op *m. */
#define HOST_STORE(mn) \
    __asm__ volatile(HOST_PRE "fldt %[a]\n\t" mn " %[m]\n\tfnstsw %%ax\n\tfstpt %[r]" HOST_END \
                     : [m] "=m"(*m), [r] "=m"(*res), "=a"(sw), [old] "=m"(old) : [a] "m"(a), [cw] "m"(cw))
#define HOST_LOAD(mn) \
    __asm__ volatile(HOST_PRE mn " %[m]\n\tfnstsw %%ax\n\tfstpt %[r]" HOST_END \
                     : [r] "=m"(*res), "=a"(sw), [old] "=m"(old) : [m] "m"(*m), [cw] "m"(cw))
#define HOST_ARITH(mn) \
    __asm__ volatile(HOST_PRE "fldt %[a]\n\t" mn " %[m]\n\tfnstsw %%ax\n\tfstpt %[r]" HOST_END \
                     : [r] "=m"(*res), "=a"(sw), [old] "=m"(old) : [a] "m"(a), [m] "m"(*m), [cw] "m"(cw))

static uint16_t host_mem(unsigned op, uint16_t cw, Float80 a, Mem10 *m, Float80 *res)
{
    uint16_t sw = 0, old;
    switch (op) {
#define X(name, kind, size, esc, reg, mn) \
    case MOP_##name: \
        if (kind == STORE) \
            HOST_STORE(mn); \
        else if (kind == LOAD) \
            HOST_LOAD(mn); \
        else \
            HOST_ARITH(mn); \
        break;
    MEM_OPS(X)
#undef X
    }
    return sw;
}

static void gen_mem(uint64_t *s, unsigned size, int kind, Mem10 *m)
{
    uint64_t v = kind == IARITH ? rng_next(s) >> (rng_next(s) % 64) : gen_bits(s, size);
    if (kind == IARITH && (rng_next(s) & 1))
        v = -v;
    for (unsigned k = 0; k < 10; k++)
        m->b[k] = k < 8 ? (uint8_t)(v >> (8 * k)) : 0;
}

static size_t append(uint8_t *prog, size_t n, const uint8_t *bytes, size_t len)
{
    memcpy(prog + n, bytes, len);
    return n + len;
}

START_TEST(memory_forms_match_the_host)
{
    Fixture f;
    uint64_t seed = 0xD1B54A32D192ED03ull ^ (uint64_t)_i;
    unsigned op = (unsigned)_i;
    int kind = mem_ops[op].kind;
    uint8_t op_bytes[4] = { mem_ops[op].esc, MEM(mem_ops[op].reg, kind == STORE ? RES : OPB) };
    static const uint8_t prologue[] = { PROLOGUE }, load_a[] = { 0xDB, MEM(5, OPA) };
    static const uint8_t tail[] = { 0xDD, MEM(7, STAT), 0xDB, MEM(7, OPA) };
    uint8_t prog[32];
    size_t n = 0;

    fixture_init(&f, "pentium2");
    /* fninit; fldcw; [fld a]; op; fnstsw; fstp [OPA] */
    n = append(prog, n, prologue, sizeof prologue);
    if (kind != LOAD)
        n = append(prog, n, load_a, sizeof load_a);
    n = append(prog, n, op_bytes, sizeof op_bytes);
    n = append(prog, n, tail, sizeof tail);
    guest_set_code(&f, prog, n);

    for (unsigned mode = 0; mode < 12; mode++) {
        uint16_t cw = mode_cw(mode);
        wr(&f, CTRL, cw, 2);
        for (unsigned c = 0; c < CASES; c++) {
            Float80 a = gen_f80(&seed), hres = { 0, 0 }, gres;
            Mem10 m = { { 0 } }, gm = { { 0 } };
            if (kind != STORE)
                gen_mem(&seed, mem_ops[op].size, kind, &m);
            put80(&f, OPA, a);
            put_bytes(&f, OPB, m.b, 10);
            put_bytes(&f, RES, gm.b, 10);
            guest_run(&f);
            uint16_t hsw = host_mem(op, cw, a, &m, &hres);
            uint16_t gsw = (uint16_t)rd(&f, STAT, 2);
            get_bytes(&f, OPA, &gres, 10);
            if (kind == STORE)
                get_bytes(&f, RES, gm.b, mem_ops[op].size);
            uint16_t mask = 0x7F | (op == MOP_fcom_m64 || op == MOP_ficom_m32 ? CC_ALL : FSW_C1);
            if (!same80(gres, hres) || ((gsw ^ hsw) & mask) ||
                (kind == STORE && memcmp(gm.b, m.b, mem_ops[op].size)))
                report(mem_ops[op].name, mode, a, gres, gsw, hsw, gm.b, m.b, mem_ops[op].size);
        }
    }
    fixture_free(&f);
}
END_TEST

/* ---- unmasked exceptions ---- */

/* The host runs the instruction with the guest's very FCW, unmasked
 * exceptions included: the x87 only reports them at the next waiting
 * instruction, and FNSAVE does not wait (and re-initialises), so the image
 * holds the hardware's unmasked response: a destination left alone, the
 * scaled result of an overflow or underflow, ES and B. */
typedef struct { uint8_t b[108]; } SaveArea;

#define HOST_UNMASKED(b1, b2) \
    __asm__ volatile("fnstcw %[old]\n\tfninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t" \
                     ".byte " #b1 ", " #b2 "\n\tfnsave %[save]\n\tfldcw %[old]" \
                     : [save] "=m"(*save), [old] "=m"(old) : [a] "m"(a), [b] "m"(b), [cw] "m"(cw))

static void host_unmasked(unsigned op, uint16_t cw, Float80 a, Float80 b, SaveArea *save)
{
    uint16_t old;
    switch (op) {
#define X(name, b1, b2, cc) case OP_##name: HOST_UNMASKED(b1, b2); break;
    REG_OPS(X)
#undef X
    }
}

/* The operations whose unmasked response the guest models exactly. */
static const unsigned unmasked_ops[] = {
    OP_fadd, OP_fsub, OP_fsubr, OP_fmul, OP_fdiv, OP_fdivr, OP_faddp, OP_fsubp, OP_fmulp,
    OP_fdivrp, OP_fadd_st1, OP_fdivr_st1, OP_fsqrt, OP_frndint, OP_fscale, OP_fprem, OP_fcom,
    OP_fucom, OP_fxch, OP_fchs, OP_fcompp, OP_fucompp, OP_ftst, OP_fxtract, OP_fprem1,
    OP_f2xm1, OP_fyl2x, OP_fpatan, OP_fsin, OP_fptan,
};

START_TEST(unmasked_responses_match_the_host)
{
    Fixture f;
    uint64_t seed = 0x94D049BB133111EBull ^ (uint64_t)_i;
    unsigned op = unmasked_ops[_i];

    fixture_init(&f, "pentium2");
    /* fninit; fldcw; fld b; fld a; op; fnstsw; fstp [RES] (FERR# is not wired: it goes on) */
    uint8_t code[] = { PROLOGUE, 0xDB, MEM(5, OPB), 0xDB, MEM(5, OPA), reg_ops[op].b1, reg_ops[op].b2,
                       0xDD, MEM(7, STAT), 0xDB, MEM(7, RES) };
    guest_set_code(&f, code, sizeof code);
    uint16_t mask = 0x7F | FSW_ES | FSW_B | FSW_TOP | reg_ops[op].cc;
    for (unsigned mode = 0; mode < 12; mode++) {
        for (unsigned n = 0; n < CASES; n++) {
            uint16_t cw = (uint16_t)((mode_cw(mode) & ~0x3Fu) | (rng_next(&seed) & 0x3F));
            Float80 a = gen_f80(&seed), b = gen_f80(&seed), gres, hres;
            SaveArea save;
            wr(&f, CTRL, cw, 2);
            put80(&f, OPA, a);
            put80(&f, OPB, b);
            guest_run(&f);
            host_unmasked(op, cw, a, b, &save);
            uint16_t gsw = (uint16_t)rd(&f, STAT, 2), hsw = (uint16_t)(save.b[4] | save.b[5] << 8);
            get_bytes(&f, RES, &gres, 10);
            memcpy(&hres, save.b + 28, 10);
            bool empty = op == OP_fcompp || op == OP_fucompp;     /* ST(0) is empty after */
            if ((!empty && !same80(gres, hres)) || ((gsw ^ hsw) & mask)) {
                char name[48];
                snprintf(name, sizeof name, "%s (unmasked, cw %04x)", reg_ops[op].name, cw);
                report(name, mode, a, b, gsw, hsw, &gres, &hres, 10);
            }
        }
    }
    fixture_free(&f);
}
END_TEST

/* Stores with exceptions unmasked: whether memory is written at all. */
#define STORE_UNMASKED(mn) \
    __asm__ volatile("fnstcw %[old]\n\tfninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" mn " %[m]" \
                     "\n\tfnsave %[save]\n\tfldcw %[old]" \
                     : [m] "+m"(*m), [save] "=m"(*save), [old] "=m"(old) : [a] "m"(a), [cw] "m"(cw))

static const unsigned unmasked_stores[] = { MOP_fst_m32, MOP_fst_m64, MOP_fist_m16, MOP_fist_m32 };

static void host_store_unmasked(unsigned op, uint16_t cw, Float80 a, Mem10 *m, SaveArea *save)
{
    uint16_t old;
    switch (op) {
    case MOP_fst_m32: STORE_UNMASKED("fsts"); break;
    case MOP_fst_m64: STORE_UNMASKED("fstl"); break;
    case MOP_fist_m16: STORE_UNMASKED("fists"); break;
    default: STORE_UNMASKED("fistl"); break;
    }
}

START_TEST(unmasked_stores_match_the_host)
{
    Fixture f;
    uint64_t seed = 0xBF58476D1CE4E5B9ull ^ (uint64_t)_i;
    unsigned op = unmasked_stores[_i];
    uint8_t code[] = { PROLOGUE, 0xDB, MEM(5, OPA), mem_ops[op].esc, MEM(mem_ops[op].reg, RES),
                       0xDD, MEM(7, STAT) };

    fixture_init(&f, "pentium2");
    guest_set_code(&f, code, sizeof code);
    for (unsigned mode = 0; mode < 12; mode++) {
        for (unsigned n = 0; n < CASES; n++) {
            uint16_t cw = (uint16_t)((mode_cw(mode) & ~0x3Fu) | (rng_next(&seed) & 0x3F));
            Float80 a = gen_f80(&seed);
            Mem10 hm, gm;
            SaveArea save;
            memset(&hm, 0xA5, sizeof hm);
            wr(&f, CTRL, cw, 2);
            put80(&f, OPA, a);
            put_bytes(&f, RES, hm.b, 10);
            guest_run(&f);
            host_store_unmasked(op, cw, a, &hm, &save);
            get_bytes(&f, RES, gm.b, 10);
            uint16_t gsw = (uint16_t)rd(&f, STAT, 2), hsw = (uint16_t)(save.b[4] | save.b[5] << 8);
            if (memcmp(gm.b, hm.b, mem_ops[op].size) || ((gsw ^ hsw) & (0xFF | FSW_B | FSW_C1))) {
                char name[48];
                snprintf(name, sizeof name, "%s (unmasked, cw %04x)", mem_ops[op].name, cw);
                report(name, mode, a, a, gsw, hsw, gm.b, hm.b, mem_ops[op].size);
            }
        }
    }
    fixture_free(&f);
}
END_TEST

/* Memory-operand arithmetic with exceptions unmasked. */
#define ARITH_UNMASKED(mn) \
    __asm__ volatile("fnstcw %[old]\n\tfninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" mn " %[m]" \
                     "\n\tfnsave %[save]\n\tfldcw %[old]" \
                     : [save] "=m"(*save), [old] "=m"(old) : [a] "m"(a), [m] "m"(*m), [cw] "m"(cw))

static void host_arith_unmasked(unsigned op, uint16_t cw, Float80 a, const Mem10 *m, SaveArea *save)
{
    uint16_t old;
    switch (op) {
#define X(name, kind, size, esc, reg, mn) case MOP_##name: if (kind >= ARITH) ARITH_UNMASKED(mn); break;
    MEM_OPS(X)
#undef X
    }
}

START_TEST(unmasked_memory_arithmetic_matches_the_host)
{
    Fixture f;
    uint64_t seed = 0x2545F4914F6CDD1Dull ^ (uint64_t)_i;
    unsigned op = MOP_fadd_m32 + (unsigned)_i;
    int kind = mem_ops[op].kind;
    uint8_t code[] = { PROLOGUE, 0xDB, MEM(5, OPA), mem_ops[op].esc, MEM(mem_ops[op].reg, OPB),
                       0xDD, MEM(7, STAT), 0xDB, MEM(7, RES) };

    fixture_init(&f, "pentium2");
    guest_set_code(&f, code, sizeof code);
    for (unsigned mode = 0; mode < 12; mode++) {
        for (unsigned n = 0; n < CASES; n++) {
            uint16_t cw = (uint16_t)((mode_cw(mode) & ~0x3Fu) | (rng_next(&seed) & 0x3F));
            Float80 a = gen_f80(&seed), gres, hres;
            Mem10 m;
            SaveArea save;
            gen_mem(&seed, mem_ops[op].size, kind, &m);
            wr(&f, CTRL, cw, 2);
            put80(&f, OPA, a);
            put_bytes(&f, OPB, m.b, 10);
            guest_run(&f);
            host_arith_unmasked(op, cw, a, &m, &save);
            uint16_t gsw = (uint16_t)rd(&f, STAT, 2), hsw = (uint16_t)(save.b[4] | save.b[5] << 8);
            get_bytes(&f, RES, &gres, 10);
            memcpy(&hres, save.b + 28, 10);
            if (!same80(gres, hres) || ((gsw ^ hsw) & (0xFF | FSW_B | FSW_TOP | CC_ALL))) {
                char name[48];
                snprintf(name, sizeof name, "%s (unmasked, cw %04x)", mem_ops[op].name, cw);
                report(name, mode, a, a, gsw, hsw, &gres, &hres, 10);
            }
        }
    }
    fixture_free(&f);
}
END_TEST

/* ---- stack faults: an empty ST(0), an empty ST(1), a full stack ---- */

#define LOAD_B "fldt %[b]\n\t"
static const char *const scenario_name[3] = { "st1 empty", "st0 empty", "stack full" };

#define HOST_STACK(setup, b1, b2) \
    __asm__ volatile("fnstcw %[old]\n\tfninit\n\tfldcw %[cw]\n\t" setup ".byte " #b1 ", " #b2 \
                     "\n\tfnsave %[save]\n\tfldcw %[old]" \
                     : [save] "=m"(*save), [old] "=m"(old) : [a] "m"(a), [b] "m"(b), [cw] "m"(cw))

static void host_stack(unsigned scenario, unsigned op, uint16_t cw, Float80 a, Float80 b,
                       SaveArea *save)
{
    uint16_t old;
    switch (scenario * REG_OP_COUNT + op) {
#define X(name, b1, b2, cc) \
    case 0 * REG_OP_COUNT + OP_##name: \
        HOST_STACK(LOAD_B "fldt %[a]\n\tffree %%st(1)\n\t", b1, b2); break; \
    case 1 * REG_OP_COUNT + OP_##name: \
        HOST_STACK(LOAD_B "fldt %[a]\n\tffree %%st(0)\n\t", b1, b2); break; \
    case 2 * REG_OP_COUNT + OP_##name: \
        HOST_STACK(LOAD_B LOAD_B LOAD_B LOAD_B LOAD_B LOAD_B LOAD_B "fldt %[a]\n\t", b1, b2); break;
    REG_OPS(X)
#undef X
    }
}

static size_t stack_setup(unsigned scenario, uint8_t *code)
{
    static const uint8_t ld_b[] = { 0xDB, MEM(5, OPB) }, ld_a[] = { 0xDB, MEM(5, OPA) };
    size_t n = 0;
    for (unsigned k = 0; k < (scenario == 2 ? 7u : 1u); k++)
        n = append(code, n, ld_b, sizeof ld_b);
    n = append(code, n, ld_a, sizeof ld_a);
    if (scenario < 2) {
        uint8_t ffree[2] = { 0xDD, (uint8_t)(0xC0 + (scenario == 0)) };
        n = append(code, n, ffree, sizeof ffree);
    }
    return n;
}

/* FSW, the tag word and every non-empty register, against the host's
 * FNSAVE image, with random masks. */
START_TEST(stack_faults_match_the_host)
{
    Fixture f;
    unsigned op = (unsigned)_i % REG_OP_COUNT, scenario = (unsigned)_i / REG_OP_COUNT;
    uint64_t seed = 0x6A09E667F3BCC909ull ^ (uint64_t)_i;
    static const uint8_t prologue[] = { PROLOGUE };
    uint8_t code[64];
    size_t n = append(code, 0, prologue, sizeof prologue);

    n += stack_setup(scenario, code + n);
    code[n++] = reg_ops[op].b1;
    code[n++] = reg_ops[op].b2;
    fixture_init(&f, "pentium2");
    guest_set_code(&f, code, n);
    uint16_t mask = (uint16_t)(0xFFFF & ~(CC_ALL & ~reg_ops[op].cc));
    for (unsigned c = 0; c < 400; c++) {
        uint16_t cw = (uint16_t)((mode_cw(c % 12) & ~0x3Fu) | (rng_next(&seed) & 0x3F));
        Float80 a = gen_f80(&seed), b = gen_f80(&seed);
        SaveArea save;
        wr(&f, CTRL, cw, 2);
        put80(&f, OPA, a);
        put80(&f, OPB, b);
        guest_run(&f);
        host_stack(scenario, op, cw, a, b, &save);
        uint16_t hsw = (uint16_t)(save.b[4] | save.b[5] << 8), htag = (uint16_t)(save.b[8] | save.b[9] << 8);
        uint16_t gsw = f.cpu.fpu.status, gtag = fpu_tag_word(&f.cpu.fpu);
        bool same = !((gsw ^ hsw) & mask) && gtag == htag;
        unsigned top = (gsw >> 11) & 7;
        for (unsigned i = 0; i < 8 && same; i++) {
            unsigned phys = (top + i) & 7;
            Float80 h;
            memcpy(&h, save.b + 28 + 10 * i, 10);
            if (((gtag >> (2 * phys)) & 3) != 3 && !same80(f.cpu.fpu.reg[phys], h))
                same = false;
        }
        if (!same) {
            char name[64];
            snprintf(name, sizeof name, "%s, %s, cw %04x, tag %04x/%04x", reg_ops[op].name,
                     scenario_name[scenario], cw, gtag, htag);
            report(name, c % 12, a, b, gsw, hsw, &f.cpu.fpu.reg[top], save.b + 28, 10);
        }
    }
    fixture_free(&f);
}
END_TEST

/* The memory forms: a load onto a full stack, a store or an arithmetic
 * operation with ST(0) empty. */
#define HOST_MSTACK(setup, mn) \
    __asm__ volatile("fnstcw %[old]\n\tfninit\n\tfldcw %[cw]\n\t" setup mn " %[m]" \
                     "\n\tfnsave %[save]\n\tfldcw %[old]" \
                     : [m] "+m"(*m), [save] "=m"(*save), [old] "=m"(old) \
                     : [a] "m"(a), [b] "m"(b), [cw] "m"(cw))

static void host_mstack(unsigned op, uint16_t cw, Float80 a, Float80 b, Mem10 *m, SaveArea *save)
{
    uint16_t old;
    switch (op) {
#define X(name, kind, size, esc, reg, mn) \
    case MOP_##name: \
        if (kind == LOAD) \
            HOST_MSTACK(LOAD_B LOAD_B LOAD_B LOAD_B LOAD_B LOAD_B LOAD_B "fldt %[a]\n\t", mn); \
        else \
            HOST_MSTACK(LOAD_B "fldt %[a]\n\tffree %%st(0)\n\t", mn); \
        break;
    MEM_OPS(X)
#undef X
    }
}

START_TEST(memory_stack_faults_match_the_host)
{
    Fixture f;
    unsigned op = (unsigned)_i;
    int kind = mem_ops[op].kind;
    uint64_t seed = 0xBB67AE8584CAA73Bull ^ (uint64_t)_i;
    static const uint8_t prologue[] = { PROLOGUE };
    uint8_t code[64], op_bytes[4] = { mem_ops[op].esc, MEM(mem_ops[op].reg, RES) };
    size_t n = append(code, 0, prologue, sizeof prologue);

    n += stack_setup(kind == LOAD ? 2 : 1, code + n);
    n = append(code, n, op_bytes, sizeof op_bytes);
    fixture_init(&f, "pentium2");
    guest_set_code(&f, code, n);
    uint16_t cc = op == MOP_fcom_m64 || op == MOP_ficom_m32 ? CC_ALL : FSW_C1;
    uint16_t mask = (uint16_t)(0xFFFF & ~(CC_ALL & ~cc));
    for (unsigned c = 0; c < 400; c++) {
        uint16_t cw = (uint16_t)((mode_cw(c % 12) & ~0x3Fu) | (rng_next(&seed) & 0x3F));
        Float80 a = gen_f80(&seed), b = gen_f80(&seed);
        Mem10 m, gm;
        SaveArea save;
        if (kind == STORE)
            memset(&m, 0xA5, sizeof m);
        else
            gen_mem(&seed, mem_ops[op].size, kind, &m);
        wr(&f, CTRL, cw, 2);
        put80(&f, OPA, a);
        put80(&f, OPB, b);
        put_bytes(&f, RES, m.b, 10);                /* the memory operand, not OPB: b lives there */
        guest_run(&f);
        host_mstack(op, cw, a, b, &m, &save);
        get_bytes(&f, RES, gm.b, 10);
        uint16_t hsw = (uint16_t)(save.b[4] | save.b[5] << 8), htag = (uint16_t)(save.b[8] | save.b[9] << 8);
        uint16_t gsw = f.cpu.fpu.status, gtag = fpu_tag_word(&f.cpu.fpu);
        bool same = !((gsw ^ hsw) & mask) && gtag == htag &&
                    (kind != STORE || !memcmp(gm.b, m.b, mem_ops[op].size));
        unsigned top = (gsw >> 11) & 7;
        for (unsigned i = 0; i < 8 && same; i++) {
            unsigned phys = (top + i) & 7;
            Float80 h;
            memcpy(&h, save.b + 28 + 10 * i, 10);
            if (((gtag >> (2 * phys)) & 3) != 3 && !same80(f.cpu.fpu.reg[phys], h))
                same = false;
        }
        if (!same) {
            char name[64];
            snprintf(name, sizeof name, "%s, cw %04x, tag %04x/%04x", mem_ops[op].name, cw, gtag, htag);
            report(name, c % 12, a, b, gsw, hsw, gm.b, m.b, kind == STORE ? mem_ops[op].size : 0);
        }
    }
    fixture_free(&f);
}
END_TEST

Suite *fpu_diff_suite(void)
{
    Suite *s = suite_create("fpu_diff");
    TCase *tc = tcase_create("host");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, register_forms_match_the_host, 0, REG_OP_COUNT);
    tcase_add_loop_test(tc, memory_forms_match_the_host, 0, MEM_OP_COUNT);
    tcase_add_loop_test(tc, unmasked_responses_match_the_host, 0,
                        (int)(sizeof unmasked_ops / sizeof unmasked_ops[0]));
    tcase_add_loop_test(tc, unmasked_memory_arithmetic_matches_the_host, 0,
                        MEM_OP_COUNT - MOP_fadd_m32);
    tcase_add_loop_test(tc, stack_faults_match_the_host, 0, 3 * REG_OP_COUNT);
    tcase_add_loop_test(tc, memory_stack_faults_match_the_host, 0, MEM_OP_COUNT);
    tcase_add_loop_test(tc, unmasked_stores_match_the_host, 0,
                        (int)(sizeof unmasked_stores / sizeof unmasked_stores[0]));
    suite_add_tcase(s, tc);
    return s;
}
