/* SPDX-License-Identifier: MIT */
/*
 * x87 arithmetic (SDM vol. 2, the F* pages; vol. 1, 8.3 and 8.5): the four
 * basic operations in every form, comparisons (FCOM, FUCOM, FICOM, FTST,
 * and the P6's FCOMI/FUCOMI and FCMOVcc), FXAM, FCHS, FABS, the constants,
 * FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1 and the transcendentals.
 * The host x87 computes every result (fpu_host.c), first with every
 * exception masked.  Where an unmasked overflow or underflow may have
 * happened, the x87 delivers the exact result scaled by 2^-24576 or
 * 2^+24576 and rounded once (SDM vol. 1, 8.5.3-8.5.4): we run the operation
 * again on the host with the guest's FCW as it is and take the host's own
 * unmasked response, for every instruction alike.
 */
#include "fpu_internal.h"

/* An unmasked overflow or underflow may have happened: the x87's own
 * response, from the same operation run with the guest's FCW as it is. */
static void rerun_unmasked(Cpu *cpu, FpuHostOp h, Float80 a, Float80 b, FpuVerdict *v,
                           Float80 *r0, Float80 *r1, uint16_t *sw)
{
    if (!v->scale)
        return;
    *sw = fpu_host_op_unmasked(h, cpu->fpu.control, a, b, r0, r1);
    v->flags |= *sw & (FSW_OE | FSW_UE | FSW_PE);
}

/* Runs a two-operand host operation and judges its exceptions; *sw is the
 * FSW whose C1 the caller keeps. */
static FpuVerdict compute(Cpu *cpu, FpuHostOp h, Float80 a, Float80 b, Float80 *r, uint16_t *sw)
{
    *sw = fpu_host_op(h, cpu->fpu.control, a, b, r, NULL);
    FpuVerdict v = fpu_judge(cpu->fpu.control, *sw, fpu_near_limit(*r));
    rerun_unmasked(cpu, h, a, b, &v, r, NULL, sw);
    return v;
}

/* ModRM.reg order of D8: FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR; the
 * reversed ones swap the operands. */
static const FpuHostOp arith_host[8] = {
    FPU_HOST_ADD, FPU_HOST_MUL, FPU_HOST_ADD, FPU_HOST_ADD,
    FPU_HOST_SUB, FPU_HOST_SUB, FPU_HOST_DIV, FPU_HOST_DIV,
};

static bool reversed(unsigned op)
{
    return op == 5 || op == 7;
}

static FpuVerdict arith(Cpu *cpu, unsigned op, Float80 a, Float80 b, Float80 *r, uint16_t *sw)
{
    if (reversed(op))
        return compute(cpu, arith_host[op], b, a, r, sw);
    return compute(cpu, arith_host[op], a, b, r, sw);
}

/* dest = dest op src between registers; DE pops afterwards. */
void fpu_arith_reg(Cpu *cpu, unsigned op, unsigned dest, unsigned src, bool pop)
{
    Float80 r = fpu_indefinite;
    uint16_t sw;

    if (fpu_empty(cpu, dest) || fpu_empty(cpu, src)) {
        if (!fpu_stack_underflow(cpu))
            return;
    } else {
        FpuVerdict v = arith(cpu, op, fpu_st(cpu, dest), fpu_st(cpu, src), &r, &sw);
        fpu_apply(cpu, v, sw);
        if (!v.write)
            return;
    }
    fpu_set_st(cpu, dest, r);
    if (pop)
        fpu_pop(cpu);
}

/* ---- comparisons ---- */

/* The C3, C2, C0 of a comparison's host FSW; false when an unmasked
 * exception keeps the stack from popping. */
static bool compare_result(Cpu *cpu, uint16_t sw, uint16_t *cc)
{
    FpuVerdict v = fpu_judge(cpu->fpu.control, sw, false);
    fpu_signal(cpu, v.flags);
    *cc = sw & (FSW_C0 | FSW_C2 | FSW_C3);
    return v.write;
}

static bool compare(Cpu *cpu, Float80 a, Float80 b, bool unordered, uint16_t *cc)
{
    return compare_result(cpu, fpu_host_compare(cpu->fpu.control, a, b, unordered), cc);
}

/* The condition codes are set even when an unmasked exception (a stack
 * underflow included) stops the instruction; only the pops are not done. */
static void compare_done(Cpu *cpu, bool ok, uint16_t cc, unsigned pops)
{
    fpu_set_cc(cpu, FSW_CC, cc);
    while (ok && pops--)
        fpu_pop(cpu);
}

void fpu_compare_reg(Cpu *cpu, unsigned i, bool unordered, unsigned pops)
{
    uint16_t cc = FSW_C0 | FSW_C2 | FSW_C3;
    bool ok;

    if (fpu_empty(cpu, 0) || fpu_empty(cpu, i))
        ok = fpu_stack_underflow(cpu);
    else
        ok = compare(cpu, fpu_st(cpu, 0), fpu_st(cpu, i), unordered, &cc);
    compare_done(cpu, ok, cc, pops);
}

/* FCOMI and friends put the result in ZF, PF, CF (as C3, C2, C0) and
 * clear OF, SF and AF; an unmasked invalid operand or stack underflow
 * still sets them, as it sets FCOM's condition codes. */
void fpu_comi(Cpu *cpu, unsigned i, bool unordered, bool pop)
{
    uint16_t cc = FSW_C0 | FSW_C2 | FSW_C3;
    bool pop_ok = true;

    if (fpu_empty(cpu, 0) || fpu_empty(cpu, i)) {
        pop_ok = fpu_stack_underflow(cpu);
    } else {
        uint16_t sw = fpu_host_compare(cpu->fpu.control, fpu_st(cpu, 0), fpu_st(cpu, i), unordered);
        FpuVerdict v = fpu_judge(cpu->fpu.control, sw, false);
        fpu_signal(cpu, v.flags);
        cc = sw;
        pop_ok = v.write;
    }
    fpu_set_c1(cpu, false);
    flags_set(cpu, EFLAGS_ZF | EFLAGS_PF | EFLAGS_CF | EFLAGS_OF | EFLAGS_SF | EFLAGS_AF,
              (cc & FSW_C3 ? EFLAGS_ZF : 0) | (cc & FSW_C2 ? EFLAGS_PF : 0) |
              (cc & FSW_C0 ? EFLAGS_CF : 0));
    if (pop && pop_ok)
        fpu_pop(cpu);
}

void fpu_cmov(Cpu *cpu, unsigned i, unsigned cc)
{
    bool move = cpu_condition(cpu, cc);

    if (fpu_empty(cpu, 0) || fpu_empty(cpu, i)) {
        if (fpu_stack_underflow(cpu) && move)
            fpu_set_st(cpu, 0, fpu_indefinite);
        return;
    }
    if (move)
        fpu_set_st(cpu, 0, fpu_st(cpu, i));
}

/* ---- memory operands: D8 m32real, DA m32int, DC m64real, DE m16int ---- */

/* The host runs conversion and operation as one instruction; only the
 * scaled response needs the operand converted on its own. */
void fpu_arith_mem(Cpu *cpu, const Insn *in, unsigned esc)
{
    static const FpuHostFormat fmt[4] = { FPU_FMT_M32, FPU_FMT_I32, FPU_FMT_M64, FPU_FMT_I16 };
    static const unsigned size[4] = { 4, 4, 8, 2 };
    unsigned op = in->reg;
    FpuHostFormat f = fmt[esc / 2];
    uint64_t m = size[esc / 2] == 8 ? fpu_read_u64(cpu, in->seg, insn_ea(cpu, in))
                                    : mem_read(cpu, in->seg, insn_ea(cpu, in), size[esc / 2]);
    uint8_t buf[8];
    Float80 r = fpu_indefinite;
    uint16_t sw, cc = FSW_C0 | FSW_C2 | FSW_C3;

    for (unsigned k = 0; k < 8; k++)
        buf[k] = (uint8_t)(m >> (8 * k));
    if (fpu_empty(cpu, 0)) {
        bool masked = fpu_stack_underflow(cpu);
        if (op == 2 || op == 3) {
            compare_done(cpu, masked, cc, op == 3);
            return;
        }
        if (!masked)
            return;
    } else {
        Float80 a = fpu_st(cpu, 0), b;
        sw = fpu_host_mem_op(f, op, cpu->fpu.control, a, buf, &r);
        if (op == 2 || op == 3) {
            bool ok = compare_result(cpu, sw, &cc);
            compare_done(cpu, ok, cc, op == 3);
            return;
        }
        FpuVerdict v = fpu_judge(cpu->fpu.control, sw, fpu_near_limit(r));
        if (v.scale) {
            fpu_host_load(f, 0x037F, buf, &b);      /* exact: only OE/UE are left to see */
            if (reversed(op))
                rerun_unmasked(cpu, arith_host[op], b, a, &v, &r, NULL, &sw);
            else
                rerun_unmasked(cpu, arith_host[op], a, b, &v, &r, NULL, &sw);
        }
        fpu_apply(cpu, v, sw);
        if (!v.write)
            return;
    }
    fpu_set_st(cpu, 0, r);
}

/* ---- D9 E0-FF ---- */

/* FSQRT, FRNDINT, F2XM1, FSIN, FCOS on ST(0).  FSIN/FCOS set C2 and leave
 * ST(0) alone when |ST(0)| >= 2^63. */
static void unary(Cpu *cpu, FpuHostOp h)
{
    Float80 r = fpu_indefinite;
    uint16_t sw;

    if (fpu_empty(cpu, 0)) {
        if (fpu_stack_underflow(cpu))
            fpu_set_st(cpu, 0, r);
        return;
    }
    FpuVerdict v = compute(cpu, h, fpu_st(cpu, 0), fpu_st(cpu, 0), &r, &sw);
    fpu_apply(cpu, v, sw);
    if (!v.write)
        return;
    if (h == FPU_HOST_SIN || h == FPU_HOST_COS)
        fpu_set_cc(cpu, FSW_C2, sw);
    fpu_set_st(cpu, 0, r);
}

/* FPREM, FPREM1, FSCALE on ST(0) and ST(1); FPATAN, FYL2X, FYL2XP1 write
 * ST(1) and pop. */
static void binary01(Cpu *cpu, FpuHostOp h, bool pop)
{
    Float80 r = fpu_indefinite;
    uint16_t sw;
    unsigned dest = pop ? 1 : 0;

    if (fpu_empty(cpu, 0) || fpu_empty(cpu, 1)) {
        if (!fpu_stack_underflow(cpu))
            return;
    } else {
        FpuVerdict v = compute(cpu, h, fpu_st(cpu, 0), fpu_st(cpu, 1), &r, &sw);
        fpu_apply(cpu, v, sw);
        if (!v.write)
            return;
        if (h == FPU_HOST_PREM || h == FPU_HOST_PREM1)
            fpu_set_cc(cpu, FSW_CC, sw);    /* C2: partial; C0, C3, C1: quotient bits 2, 1, 0 */
    }
    fpu_set_st(cpu, dest, r);
    if (pop)
        fpu_pop(cpu);
}

/* FXTRACT, FPTAN, FSINCOS: ST(0) is replaced and one value pushed.  FPTAN
 * and FSINCOS out of range (|x| >= 2^63) set C2 and change nothing. */
static void pushing(Cpu *cpu, FpuHostOp h)
{
    Float80 r0 = fpu_indefinite, r1 = fpu_indefinite;
    bool trig = h != FPU_HOST_XTRACT;

    if (fpu_empty(cpu, 0) || !fpu_empty(cpu, 7)) {
        bool masked = fpu_empty(cpu, 0) ? fpu_stack_underflow(cpu) : fpu_stack_overflow(cpu);
        if (masked) {
            fpu_set_st(cpu, 0, r1);
            fpu_push(cpu, r0);
        }
        return;
    }
    Float80 a = fpu_st(cpu, 0);
    uint16_t sw = fpu_host_op(h, cpu->fpu.control, a, a, &r0, &r1);
    if (trig && (sw & FSW_C2)) {
        fpu_set_cc(cpu, FSW_C2, FSW_C2);
        return;
    }
    FpuVerdict v = fpu_judge(cpu->fpu.control, sw, fpu_near_limit(r0) || fpu_near_limit(r1));
    rerun_unmasked(cpu, h, a, a, &v, &r0, &r1, &sw);
    fpu_apply(cpu, v, sw);
    if (!v.write)
        return;
    if (trig)
        fpu_set_cc(cpu, FSW_C2, 0);
    fpu_set_st(cpu, 0, r1);
    fpu_push(cpu, r0);
}

static void examine(Cpu *cpu)
{
    Float80 v = fpu_st(cpu, 0);
    uint16_t sign = v.sign_exp & 0x8000 ? FSW_C1 : 0;

    if (fpu_empty(cpu, 0))
        fpu_set_cc(cpu, FSW_CC, FSW_C3 | FSW_C0 | sign);
    else
        fpu_set_cc(cpu, FSW_CC, fpu_host_examine(v));
}

static void test_zero(Cpu *cpu)
{
    uint16_t cc = FSW_C0 | FSW_C2 | FSW_C3;
    bool ok;

    if (fpu_empty(cpu, 0))
        ok = fpu_stack_underflow(cpu);
    else
        ok = compare_result(cpu, fpu_host_test(cpu->fpu.control, fpu_st(cpu, 0)), &cc);
    compare_done(cpu, ok, cc, 0);
}

/* FCHS and FABS only touch the sign and raise nothing but stack faults. */
static void sign_op(Cpu *cpu, bool chs)
{
    Float80 v = fpu_st(cpu, 0);

    if (fpu_empty(cpu, 0)) {
        if (fpu_stack_underflow(cpu))
            fpu_set_st(cpu, 0, fpu_indefinite);
        return;
    }
    v.sign_exp = chs ? v.sign_exp ^ 0x8000 : v.sign_exp & 0x7FFF;
    fpu_set_c1(cpu, false);
    fpu_set_st(cpu, 0, v);
}

static void load_constant(Cpu *cpu, unsigned k)
{
    Float80 v = fpu_indefinite;

    if (fpu_empty(cpu, 7)) {
        fpu_host_op((FpuHostOp)(FPU_HOST_LD1 + k), cpu->fpu.control, v, v, &v, NULL);
        fpu_set_c1(cpu, false);
    }
    fpu_push_checked(cpu, v);
}

/* low: the D9 second byte minus E0. */
void fpu_d9_misc(Cpu *cpu, unsigned low)
{
    static const FpuHostOp unary_op[32] = {
        [16] = FPU_HOST_F2XM1, [26] = FPU_HOST_SQRT, [28] = FPU_HOST_RNDINT,
        [30] = FPU_HOST_SIN, [31] = FPU_HOST_COS,
    };
    switch (low) {
    case 0: case 1: sign_op(cpu, low == 0); return;
    case 4: test_zero(cpu); return;
    case 5: examine(cpu); return;
    case 8: case 9: case 10: case 11: case 12: case 13: case 14: load_constant(cpu, low - 8); return;
    case 16: case 26: case 28: case 30: case 31: unary(cpu, unary_op[low]); return;
    case 17: binary01(cpu, FPU_HOST_YL2X, true); return;
    case 18: pushing(cpu, FPU_HOST_PTAN); return;
    case 19: binary01(cpu, FPU_HOST_PATAN, true); return;
    case 20: pushing(cpu, FPU_HOST_XTRACT); return;
    case 21: binary01(cpu, FPU_HOST_PREM1, false); return;
    case 22: case 23:
        fpu_set_top(cpu, fpu_top(cpu) + (low == 22 ? 7 : 1));     /* FDECSTP, FINCSTP */
        fpu_set_c1(cpu, false);
        return;
    case 24: binary01(cpu, FPU_HOST_PREM, false); return;
    case 25: binary01(cpu, FPU_HOST_YL2XP1, true); return;
    case 27: pushing(cpu, FPU_HOST_SINCOS); return;
    case 29: binary01(cpu, FPU_HOST_SCALE, false); return;
    }
    cpu_raise_ud(cpu);
}
