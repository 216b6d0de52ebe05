/* SPDX-License-Identifier: MIT */
/*
 * The 386 bit instructions: BT, BTS, BTR, BTC with a register or immediate
 * bit offset, and the scans BSF and BSR.  SDM vol. 2, "BT", "BTS", "BTR",
 * "BTC", "BSF", "BSR"; vol. 1, 7.3.7 (bit and byte instructions).  With a
 * register offset and a memory operand the offset is a signed bit string
 * index: the operand-sized word it falls in is found relative to the
 * effective address, so BT can reach 2^31 bits either side.  An immediate
 * offset is taken modulo the operand width.  BT* set only CF; BSF/BSR set ZF
 * from the source and, as 386-class parts do, leave the destination alone
 * when the source is zero.  The other flags, undefined, are left unchanged.
 */
#include "cpu_internal.h"

typedef enum BitOp { BIT_TEST, BIT_SET, BIT_RESET, BIT_COMPLEMENT } BitOp;

/* The operand with the chosen bit changed. */
static uint32_t bit_apply(BitOp op, uint32_t val, uint32_t bit)
{
    switch (op) {
    case BIT_SET:        return val | bit;
    case BIT_RESET:      return val & ~bit;
    case BIT_COMPLEMENT: return val ^ bit;
    default:             return val;
    }
}

/* A register operand, or memory at a known offset: read, write back, then CF. */
static void bit_common(Cpu *cpu, const Insn *in, BitOp op, uint32_t offset, unsigned index)
{
    unsigned size = insn_opsize(in);
    uint32_t bit = 1u << (index & (size * 8 - 1));
    uint32_t val;

    if (in->mod == 3)
        val = reg_read(cpu, in->rm, size);
    else
        val = mem_read(cpu, in->seg, offset, size);
    if (op != BIT_TEST) {
        if (in->mod == 3)
            reg_write(cpu, in->rm, size, bit_apply(op, val, bit));
        else
            mem_write(cpu, in->seg, offset, bit_apply(op, val, bit), size);
    }
    flags_set(cpu, EFLAGS_CF, (val & bit) ? EFLAGS_CF : 0);
}

/*
 * Gv form: for memory the signed offset selects an operand-sized unit at
 * EA + (offset >> log2(width)) * size (an arithmetic shift, so negative
 * offsets reach below EA); the sum wraps to the address size.
 */
static void bit_Ev_Gv(Cpu *cpu, const Insn *in, BitOp op)
{
    unsigned size = insn_opsize(in);
    uint32_t index = op_read_reg(cpu, in, size);
    uint32_t offset = 0;

    if (in->mod != 3) {
        int32_t sindex = (int32_t)sign_extend(index, size);
        int32_t unit = size == 2 ? sindex >> 4 : sindex >> 5;
        offset = insn_ea(cpu, in) + (uint32_t)unit * size;
        if (insn_addrsize(in) == 2)
            offset &= 0xFFFF;
    }
    bit_common(cpu, in, op, offset, index);
}

static void bit_Ev_Ib(Cpu *cpu, const Insn *in, BitOp op)
{
    bit_common(cpu, in, op, in->mod != 3 ? insn_ea(cpu, in) : 0, in->imm);
}

void bt_Ev_Gv(Cpu *cpu, const Insn *in)  { bit_Ev_Gv(cpu, in, BIT_TEST); }
void bts_Ev_Gv(Cpu *cpu, const Insn *in) { bit_Ev_Gv(cpu, in, BIT_SET); }
void btr_Ev_Gv(Cpu *cpu, const Insn *in) { bit_Ev_Gv(cpu, in, BIT_RESET); }
void btc_Ev_Gv(Cpu *cpu, const Insn *in) { bit_Ev_Gv(cpu, in, BIT_COMPLEMENT); }
void bt_Ev_Ib(Cpu *cpu, const Insn *in)  { bit_Ev_Ib(cpu, in, BIT_TEST); }
void bts_Ev_Ib(Cpu *cpu, const Insn *in) { bit_Ev_Ib(cpu, in, BIT_SET); }
void btr_Ev_Ib(Cpu *cpu, const Insn *in) { bit_Ev_Ib(cpu, in, BIT_RESET); }
void btc_Ev_Ib(Cpu *cpu, const Insn *in) { bit_Ev_Ib(cpu, in, BIT_COMPLEMENT); }

/* BSF/BSR: index of the lowest/highest set bit; ZF = (source == 0). */
static void bit_scan(Cpu *cpu, const Insn *in, bool reverse)
{
    unsigned size = insn_opsize(in);
    uint32_t src = op_read_rm(cpu, in, size);

    if (src != 0)
        op_write_reg(cpu, in, size, reverse ? 31 - (unsigned)__builtin_clz(src)
                                            : (unsigned)__builtin_ctz(src));
    flags_set(cpu, EFLAGS_ZF, src == 0 ? EFLAGS_ZF : 0);
}

void bsf_Gv_Ev(Cpu *cpu, const Insn *in) { bit_scan(cpu, in, false); }
void bsr_Gv_Ev(Cpu *cpu, const Insn *in) { bit_scan(cpu, in, true); }
