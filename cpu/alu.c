/* SPDX-License-Identifier: MIT */
/*
 * Integer arithmetic and logic: the eight group-1 operations (ADD, OR, ADC,
 * SBB, AND, SUB, XOR, CMP) in all their operand forms, TEST, INC, DEC, NOT,
 * NEG, CLC/STC/CMC, SETcc, and the 486 additions XADD and CMPXCHG, plus the
 * Pentium's CMPXCHG8B.  SDM vol. 2, the instruction pages of those names;
 * vol. 1, 7.3.2 (binary arithmetic) and 7.3.4 (logical).  Flags are recorded
 * lazily (flags.c).  A read-modify-write to memory writes before it records
 * the flags, so a write that faults leaves the flags as they were.  Bus
 * locking (LOCK) is the decoder's business and is not modelled here.
 */
#include "cpu_internal.h"

/* The result of dst OP src, without touching any state. */
static uint32_t alu_result(AluOp op, unsigned size, uint32_t dst, uint32_t src, bool cf)
{
    uint32_t res;

    switch (op) {
    case ALU_ADD: res = dst + src; break;
    case ALU_OR:  res = dst | src; break;
    case ALU_ADC: res = dst + src + cf; break;
    case ALU_SBB: res = dst - src - cf; break;
    case ALU_AND: res = dst & src; break;
    case ALU_XOR: res = dst ^ src; break;
    default:      res = dst - src; break;      /* SUB, CMP */
    }
    return res & size_mask(size);
}

/* The carry in: only ADC and SBB read it, so the others skip the lazy lookup. */
static bool carry_in(Cpu *cpu, AluOp op)
{
    return (op == ALU_ADC || op == ALU_SBB) && flag_cf(cpu);
}

static void alu_flags(Cpu *cpu, AluOp op, unsigned size, uint32_t dst, uint32_t src, uint32_t res)
{
    static const uint8_t flag_op[8] = {
        [ALU_ADD] = FLAG_OP_ADD, [ALU_OR] = FLAG_OP_LOGIC, [ALU_ADC] = FLAG_OP_ADC,
        [ALU_SBB] = FLAG_OP_SBB, [ALU_AND] = FLAG_OP_LOGIC, [ALU_SUB] = FLAG_OP_SUB,
        [ALU_XOR] = FLAG_OP_LOGIC, [ALU_CMP] = FLAG_OP_SUB,
    };
    flags_record(cpu, (FlagOp)flag_op[op], size, dst, src, res);
}

uint32_t alu_binary(Cpu *cpu, AluOp op, unsigned size, uint32_t dst, uint32_t src)
{
    uint32_t res = alu_result(op, size, dst & size_mask(size), src & size_mask(size),
                              carry_in(cpu, op));

    alu_flags(cpu, op, size, dst, src, res);
    return res;
}

/* OP r/m, src: read, write back (not for CMP), then the flags. */
static void alu_rm(Cpu *cpu, const Insn *in, AluOp op, unsigned size, uint32_t src)
{
    uint32_t dst = op_read_rm(cpu, in, size);
    uint32_t res;

    src &= size_mask(size);
    res = alu_result(op, size, dst, src, carry_in(cpu, op));
    if (op != ALU_CMP)
        op_write_rm(cpu, in, size, res);
    alu_flags(cpu, op, size, dst, src, res);
}

/* OP reg, src where reg is a general register (never faults once src is read). */
static void alu_reg(Cpu *cpu, AluOp op, unsigned reg, unsigned size, uint32_t src)
{
    uint32_t res = alu_binary(cpu, op, size, reg_read(cpu, reg, size), src);

    if (op != ALU_CMP)
        reg_write(cpu, reg, size, res);
}

/* Opcodes 00-3F: the operation is bits 3-5 of the opcode. */
static AluOp opcode_op(const Insn *in)
{
    return (AluOp)((in->opcode >> 3) & 7);
}

void alu_Eb_Gb(Cpu *cpu, const Insn *in)
{
    alu_rm(cpu, in, opcode_op(in), 1, op_read_reg(cpu, in, 1));
}

void alu_Ev_Gv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    alu_rm(cpu, in, opcode_op(in), size, op_read_reg(cpu, in, size));
}

void alu_Gb_Eb(Cpu *cpu, const Insn *in)
{
    alu_reg(cpu, opcode_op(in), in->reg, 1, op_read_rm(cpu, in, 1));
}

void alu_Gv_Ev(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    alu_reg(cpu, opcode_op(in), in->reg, size, op_read_rm(cpu, in, size));
}

void alu_AL_Ib(Cpu *cpu, const Insn *in)
{
    alu_reg(cpu, opcode_op(in), REG_EAX, 1, in->imm);
}

void alu_eAX_Iv(Cpu *cpu, const Insn *in)
{
    alu_reg(cpu, opcode_op(in), REG_EAX, insn_opsize(in), in->imm);
}

/* Group 1 (80-83): the operation is ModRM.reg. */
void alu_Eb_Ib(Cpu *cpu, const Insn *in)
{
    alu_rm(cpu, in, (AluOp)in->reg, 1, in->imm);
}

void alu_Ev_Iv(Cpu *cpu, const Insn *in)
{
    alu_rm(cpu, in, (AluOp)in->reg, insn_opsize(in), in->imm);
}

/* 83: the byte immediate is sign-extended to the operand size. */
void alu_Ev_Ib(Cpu *cpu, const Insn *in)
{
    alu_rm(cpu, in, (AluOp)in->reg, insn_opsize(in), sign_extend(in->imm, 1));
}

/* ---- TEST: AND without the write ---- */

static void test_common(Cpu *cpu, unsigned size, uint32_t a, uint32_t b)
{
    flags_record(cpu, FLAG_OP_LOGIC, size, a, b, a & b);
}

void test_Eb_Gb(Cpu *cpu, const Insn *in)
{
    test_common(cpu, 1, op_read_rm(cpu, in, 1), op_read_reg(cpu, in, 1));
}

void test_Ev_Gv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    test_common(cpu, size, op_read_rm(cpu, in, size), op_read_reg(cpu, in, size));
}

void test_AL_Ib(Cpu *cpu, const Insn *in)
{
    test_common(cpu, 1, reg_read(cpu, REG_EAX, 1), in->imm);
}

void test_eAX_Iv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    test_common(cpu, size, reg_read(cpu, REG_EAX, size), in->imm);
}

void test_Eb_Ib(Cpu *cpu, const Insn *in)
{
    test_common(cpu, 1, op_read_rm(cpu, in, 1), in->imm);
}

void test_Ev_Iv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    test_common(cpu, size, op_read_rm(cpu, in, size), in->imm);
}

/* ---- INC, DEC, NOT, NEG ---- */

/* INC/DEC record src = 1 so that OF and AF come out of the ADD/SUB rules. */
static void incdec_rm(Cpu *cpu, const Insn *in, unsigned size, bool dec)
{
    uint32_t dst = op_read_rm(cpu, in, size);
    uint32_t res = (dec ? dst - 1 : dst + 1) & size_mask(size);

    op_write_rm(cpu, in, size, res);
    flags_record(cpu, dec ? FLAG_OP_DEC : FLAG_OP_INC, size, dst, 1, res);
}

void inc_Eb(Cpu *cpu, const Insn *in) { incdec_rm(cpu, in, 1, false); }
void dec_Eb(Cpu *cpu, const Insn *in) { incdec_rm(cpu, in, 1, true); }
void inc_Ev(Cpu *cpu, const Insn *in) { incdec_rm(cpu, in, insn_opsize(in), false); }
void dec_Ev(Cpu *cpu, const Insn *in) { incdec_rm(cpu, in, insn_opsize(in), true); }

static void incdec_reg(Cpu *cpu, const Insn *in, bool dec)
{
    unsigned size = insn_opsize(in);
    unsigned reg = in->opcode & 7;
    uint32_t dst = reg_read(cpu, reg, size);
    uint32_t res = (dec ? dst - 1 : dst + 1) & size_mask(size);

    reg_write(cpu, reg, size, res);
    flags_record(cpu, dec ? FLAG_OP_DEC : FLAG_OP_INC, size, dst, 1, res);
}

void inc_Zv(Cpu *cpu, const Insn *in) { incdec_reg(cpu, in, false); }
void dec_Zv(Cpu *cpu, const Insn *in) { incdec_reg(cpu, in, true); }

void not_Eb(Cpu *cpu, const Insn *in)
{
    op_write_rm(cpu, in, 1, ~op_read_rm(cpu, in, 1));
}

void not_Ev(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    op_write_rm(cpu, in, size, ~op_read_rm(cpu, in, size));
}

/* NEG is 0 - operand: recorded as dst = 0, src = operand (CF = operand != 0). */
static void neg_rm(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t src = op_read_rm(cpu, in, size);
    uint32_t res = (0 - src) & size_mask(size);

    op_write_rm(cpu, in, size, res);
    flags_record(cpu, FLAG_OP_NEG, size, 0, src, res);
}

void neg_Eb(Cpu *cpu, const Insn *in) { neg_rm(cpu, in, 1); }
void neg_Ev(Cpu *cpu, const Insn *in) { neg_rm(cpu, in, insn_opsize(in)); }

/* ---- carry flag and SETcc ---- */

void clc(Cpu *cpu, const Insn *in) { flags_set(cpu, EFLAGS_CF, 0); }
void stc(Cpu *cpu, const Insn *in) { flags_set(cpu, EFLAGS_CF, EFLAGS_CF); }
void cmc(Cpu *cpu, const Insn *in) { flags_set(cpu, EFLAGS_CF, flag_cf(cpu) ? 0 : EFLAGS_CF); }

void setcc_Eb(Cpu *cpu, const Insn *in)
{
    op_write_rm(cpu, in, 1, cpu_condition(cpu, in->opcode & 0xF) ? 1 : 0);
}

/* CMOVcc (P6): the source is read whatever the condition, so a bad memory
 * operand faults even when nothing moves. */
void cmovcc_Gv_Ev(Cpu *cpu, const Insn *in)
{
    if (!cpu_has(cpu, FEAT_CMOV))
        cpu_raise_ud(cpu);
    unsigned size = insn_opsize(in);
    uint32_t value = op_read_rm(cpu, in, size);
    if (cpu_condition(cpu, in->opcode & 0xF))
        op_write_reg(cpu, in, size, value);
}

/* ---- 486: XADD, CMPXCHG ---- */

/*
 * XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP.  The destination is
 * written last, so with the same register for both (XADD AL,AL) the sum wins.
 */
static void xadd_common(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t dst = op_read_rm(cpu, in, size);
    uint32_t src = op_read_reg(cpu, in, size);
    uint32_t res = (dst + src) & size_mask(size);

    if (in->mod != 3)
        op_write_rm(cpu, in, size, res);    /* may fault: before any register */
    op_write_reg(cpu, in, size, dst);
    if (in->mod == 3)
        op_write_rm(cpu, in, size, res);
    flags_record(cpu, FLAG_OP_ADD, size, dst, src, res);
}

void xadd_Eb_Gb(Cpu *cpu, const Insn *in) { xadd_common(cpu, in, 1); }
void xadd_Ev_Gv(Cpu *cpu, const Insn *in) { xadd_common(cpu, in, insn_opsize(in)); }

/*
 * CMPXCHG compares the accumulator with the destination (flags as CMP).
 * Equal: DEST = SRC.  Not equal: the accumulator takes DEST, and the
 * destination is written with its own value, because the 486 always ends
 * the locked read-modify-write cycle with a write.
 */
static void cmpxchg_common(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t dst = op_read_rm(cpu, in, size);
    uint32_t acc = reg_read(cpu, REG_EAX, size);
    bool equal = acc == dst;

    op_write_rm(cpu, in, size, equal ? op_read_reg(cpu, in, size) : dst);
    if (!equal)
        reg_write(cpu, REG_EAX, size, dst);
    flags_record(cpu, FLAG_OP_SUB, size, acc, dst, (acc - dst) & size_mask(size));
}

void cmpxchg_Eb_Gb(Cpu *cpu, const Insn *in) { cmpxchg_common(cpu, in, 1); }
void cmpxchg_Ev_Gv(Cpu *cpu, const Insn *in) { cmpxchg_common(cpu, in, insn_opsize(in)); }

/*
 * CMPXCHG8B m64: compare EDX:EAX with the quadword; equal: store ECX:EBX,
 * ZF = 1; not equal: EDX:EAX = m64 (written back unchanged), ZF = 0.  Only ZF
 * changes.  Both halves are checked for writing before either is written.
 */
void cmpxchg8b_Mq(Cpu *cpu, const Insn *in)
{
    uint32_t ea, lo, hi;
    bool equal;

    if (!cpu_has(cpu, FEAT_CX8))
        cpu_raise_ud(cpu);
    ea = insn_ea(cpu, in);
    lo = mem_read(cpu, in->seg, ea, 4);
    hi = mem_read(cpu, in->seg, ea + 4, 4);
    mem_check_write(cpu, in->seg, ea, 4);
    mem_check_write(cpu, in->seg, ea + 4, 4);
    equal = lo == cpu->gpr[REG_EAX] && hi == cpu->gpr[REG_EDX];
    mem_write(cpu, in->seg, ea, equal ? cpu->gpr[REG_EBX] : lo, 4);
    mem_write(cpu, in->seg, ea + 4, equal ? cpu->gpr[REG_ECX] : hi, 4);
    if (!equal) {
        cpu->gpr[REG_EAX] = lo;
        cpu->gpr[REG_EDX] = hi;
    }
    flags_set(cpu, EFLAGS_ZF, equal ? EFLAGS_ZF : 0);
}
