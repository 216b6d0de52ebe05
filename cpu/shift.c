/* SPDX-License-Identifier: MIT */
/*
 * Shifts and rotates: group 2 (ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR by 1, by
 * CL and by an immediate) and the 386 double shifts SHLD and SHRD.  SDM
 * vol. 2, "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD".  Like every
 * part since the 286, the count is masked to 5 bits; RCL and RCR of bytes and
 * words then rotate by the count modulo 9 or 17 (the operand plus CF).  A
 * masked count of zero changes nothing, flags included, but a memory operand
 * is still read and checked for writing, as the 386's read-modify-write
 * cycle does.  For counts above 1 OF is undefined; we give the value the
 * one-bit rule yields on the final result, which is what a 386 reports for
 * the rotates and SHL.  AF is undefined after a shift; we clear it.
 */
#include "cpu_internal.h"

enum { SHIFT_ROL, SHIFT_ROR, SHIFT_RCL, SHIFT_RCR, SHIFT_SHL, SHIFT_SHR, SHIFT_SAL, SHIFT_SAR };

/* The outcome of one shift: the result and the flags it sets. */
typedef struct ShiftResult {
    uint32_t res;
    uint32_t mask;          /* flags the operation writes */
    uint32_t flags;         /* their new values */
} ShiftResult;

static uint32_t msb(unsigned size, uint32_t v)
{
    return (v & size_sign_bit(size)) ? 1 : 0;
}

/* Bit n-2, the one below the sign: OF of a right rotate is its XOR with the sign. */
static uint32_t below_msb(unsigned size, uint32_t v)
{
    return (v >> (size * 8 - 2)) & 1;
}

static ShiftResult rotate_flags(uint32_t res, uint32_t cf, uint32_t of)
{
    ShiftResult r = { res, EFLAGS_CF | EFLAGS_OF, 0 };

    r.flags = (cf ? EFLAGS_CF : 0) | (of ? EFLAGS_OF : 0);
    return r;
}

/* Shifts set SF, ZF, PF from the result and clear AF as well. */
static ShiftResult shift_flags(unsigned size, uint32_t res, uint32_t cf, uint32_t of)
{
    ShiftResult r = { res, EFLAGS_ARITH, 0 };

    r.flags = (cf ? EFLAGS_CF : 0) | (of ? EFLAGS_OF : 0) | parity_flag(res);
    if (res == 0)
        r.flags |= EFLAGS_ZF;
    if (msb(size, res))
        r.flags |= EFLAGS_SF;
    return r;
}

/* ROL and ROR rotate by count mod the width; a multiple of the width leaves
 * the value but still sets CF and OF from it. */
static ShiftResult rotate(unsigned op, unsigned size, uint32_t val, unsigned count)
{
    unsigned bits = size * 8;
    unsigned r = count & (bits - 1);
    uint32_t m = size_mask(size);
    uint32_t res;

    if (op == SHIFT_ROL) {
        res = r ? ((val << r) | (val >> (bits - r))) & m : val;
        return rotate_flags(res, res & 1, (res & 1) ^ msb(size, res));
    }
    res = r ? ((val >> r) | (val << (bits - r))) & m : val;
    return rotate_flags(res, msb(size, res), msb(size, res) ^ below_msb(size, res));
}

/*
 * RCL and RCR rotate the (width + 1)-bit value CF:operand by the count the
 * caller reduced modulo width + 1.  That may leave 0 (a byte by 9 or 18): the
 * value and CF stay, but the masked count was not zero, so the flags are
 * still written and OF comes from the unchanged value, as the hardware does.
 */
static ShiftResult rotate_carry(unsigned op, unsigned size, uint32_t val, unsigned r, bool cf)
{
    unsigned bits = size * 8;
    uint64_t wmask = ((uint64_t)1 << (bits + 1)) - 1;
    uint64_t wide = ((uint64_t)cf << bits) | val;
    uint32_t res, cf_out;

    if (op == SHIFT_RCL)
        wide = ((wide << r) | (wide >> (bits + 1 - r))) & wmask;
    else
        wide = ((wide >> r) | (wide << (bits + 1 - r))) & wmask;
    res = (uint32_t)wide & size_mask(size);
    cf_out = (uint32_t)(wide >> bits) & 1;
    if (op == SHIFT_RCL)
        return rotate_flags(res, cf_out, cf_out ^ msb(size, res));
    return rotate_flags(res, cf_out, msb(size, res) ^ below_msb(size, res));
}

/* SHL/SAL, SHR and SAR by 1..31; counts past the width shift everything out. */
static ShiftResult shift(unsigned op, unsigned size, uint32_t val, unsigned count)
{
    unsigned bits = size * 8;
    uint32_t res, cf;
    int64_t sval;

    switch (op) {
    case SHIFT_SHL:
    case SHIFT_SAL:
        res = (uint32_t)((uint64_t)val << count) & size_mask(size);
        cf = count <= bits ? (val >> (bits - count)) & 1 : 0;
        return shift_flags(size, res, cf, cf ^ msb(size, res));
    case SHIFT_SHR:
        res = val >> count;
        cf = (val >> (count - 1)) & 1;
        return shift_flags(size, res, cf, msb(size, res) ^ below_msb(size, res));
    default:    /* SAR */
        sval = (int32_t)sign_extend(val, size);
        res = (uint32_t)(sval >> count) & size_mask(size);
        cf = (uint32_t)(sval >> (count - 1)) & 1;
        return shift_flags(size, res, cf, 0);
    }
}

/* A count that does nothing still touches a memory operand as for writing. */
static void touch_for_write(Cpu *cpu, const Insn *in, unsigned size)
{
    if (in->mod != 3)
        mem_check_write(cpu, in->seg, insn_ea(cpu, in), size);
}

static void group2(Cpu *cpu, const Insn *in, unsigned size, unsigned count)
{
    uint32_t val = op_read_rm(cpu, in, size);
    unsigned op = in->reg;
    ShiftResult r;

    count &= 0x1F;
    if (count == 0) {
        touch_for_write(cpu, in, size);
        return;
    }
    if (op == SHIFT_ROL || op == SHIFT_ROR)
        r = rotate(op, size, val, count);
    else if (op == SHIFT_RCL || op == SHIFT_RCR)
        r = rotate_carry(op, size, val, size < 4 ? count % (size * 8 + 1) : count,
                         flag_cf(cpu));
    else
        r = shift(op, size, val, count);
    op_write_rm(cpu, in, size, r.res);
    flags_set(cpu, r.mask, r.flags);
}

void shift_Eb_1(Cpu *cpu, const Insn *in) { group2(cpu, in, 1, 1); }
void shift_Ev_1(Cpu *cpu, const Insn *in) { group2(cpu, in, insn_opsize(in), 1); }
void shift_Eb_CL(Cpu *cpu, const Insn *in) { group2(cpu, in, 1, reg_read(cpu, REG_ECX, 1)); }
void shift_Ev_CL(Cpu *cpu, const Insn *in)
{
    group2(cpu, in, insn_opsize(in), reg_read(cpu, REG_ECX, 1));
}
void shift_Eb_Ib(Cpu *cpu, const Insn *in) { group2(cpu, in, 1, in->imm); }
void shift_Ev_Ib(Cpu *cpu, const Insn *in) { group2(cpu, in, insn_opsize(in), in->imm); }

/* ---- SHLD, SHRD ---- */

/*
 * The double shifts work on a wide value: SHLD shifts DEST:SRC left and keeps
 * the top, SHRD shifts SRC:DEST right and keeps the bottom.  For a 16-bit
 * operand a count of 17..31 is undefined by the SDM; parts before the P6
 * shift a 48-bit DEST:SRC:SRC (SRC:SRC:DEST for SHRD), so once DEST is used
 * up SRC comes in a second time (the P6 and later repeat DEST instead).
 */
static void double_shift(Cpu *cpu, const Insn *in, unsigned count, bool left)
{
    unsigned size = insn_opsize(in);
    unsigned bits = size * 8;
    unsigned total = size == 2 ? 48 : 64;
    uint32_t dst = op_read_rm(cpu, in, size);
    uint64_t src = op_read_reg(cpu, in, size);
    uint64_t wide;
    uint32_t res, cf;
    ShiftResult r;

    count &= 0x1F;
    if (count == 0) {
        touch_for_write(cpu, in, size);
        return;
    }
    if (left) {
        wide = ((uint64_t)dst << 32) | (size == 2 ? (src << 16) | src : src);
        res = (uint32_t)((wide << count) >> (total - bits)) & size_mask(size);
        cf = (uint32_t)(wide >> (total - count)) & 1;
    } else {
        wide = (src << 32) | (size == 2 ? (src << 16) | dst : dst);
        res = (uint32_t)(wide >> count) & size_mask(size);
        cf = (uint32_t)(wide >> (count - 1)) & 1;
    }
    r = shift_flags(size, res, cf, msb(size, res) ^ msb(size, dst));
    op_write_rm(cpu, in, size, r.res);
    flags_set(cpu, r.mask, r.flags);
}

void shld_Ev_Gv_Ib(Cpu *cpu, const Insn *in) { double_shift(cpu, in, in->imm, true); }
void shld_Ev_Gv_CL(Cpu *cpu, const Insn *in)
{
    double_shift(cpu, in, reg_read(cpu, REG_ECX, 1), true);
}
void shrd_Ev_Gv_Ib(Cpu *cpu, const Insn *in) { double_shift(cpu, in, in->imm, false); }
void shrd_Ev_Gv_CL(Cpu *cpu, const Insn *in)
{
    double_shift(cpu, in, reg_read(cpu, REG_ECX, 1), false);
}
