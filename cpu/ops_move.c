/* SPDX-License-Identifier: MIT */
/*
 * Data movement that touches neither the stack nor the flags' arithmetic:
 * MOV in all its general-register, immediate, moffs and segment-register
 * forms, LEA, XCHG, NOP, MOVZX/MOVSX, CBW/CWDE, CWD/CDQ, XLAT, BSWAP, the
 * far-pointer loads LES/LDS/LSS/LFS/LGS, and LAHF/SAHF.  SDM vol. 2, the
 * instruction pages of the same names; vol. 1, 7.3.1 (general-purpose data
 * transfer).  MOV to and from CRn/DRn live with the system instructions.
 * Every handler reads (and so faults) before it writes any register, so an
 * instruction that faults leaves the state as it found it.
 */
#include "cpu_internal.h"

/* AH as a byte-register number (reg_read/reg_write with size 1). */
enum { REG8_AH = 4 };

/* The data segment of an instruction with an implicit DS operand. */
static unsigned data_segment(const Insn *in)
{
    return in->seg_override ? in->seg : SEG_DS;
}

void mov_Eb_Gb(Cpu *cpu, const Insn *in)
{
    op_write_rm(cpu, in, 1, op_read_reg(cpu, in, 1));
}

void mov_Ev_Gv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    op_write_rm(cpu, in, size, op_read_reg(cpu, in, size));
}

void mov_Gb_Eb(Cpu *cpu, const Insn *in)
{
    op_write_reg(cpu, in, 1, op_read_rm(cpu, in, 1));
}

void mov_Gv_Ev(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    op_write_reg(cpu, in, size, op_read_rm(cpu, in, size));
}

void mov_Eb_Ib(Cpu *cpu, const Insn *in)
{
    op_write_rm(cpu, in, 1, in->imm);
}

void mov_Ev_Iv(Cpu *cpu, const Insn *in)
{
    op_write_rm(cpu, in, insn_opsize(in), in->imm);
}

void mov_Zb_Ib(Cpu *cpu, const Insn *in)
{
    reg_write(cpu, in->opcode & 7, 1, in->imm);
}

void mov_Zv_Iv(Cpu *cpu, const Insn *in)
{
    reg_write(cpu, in->opcode & 7, insn_opsize(in), in->imm);
}

/* A0-A3: the offset is a bare address-size displacement, no ModRM. */
void mov_AL_Ob(Cpu *cpu, const Insn *in)
{
    reg_write(cpu, REG_EAX, 1, mem_read(cpu, data_segment(in), in->disp, 1));
}

void mov_eAX_Ov(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    reg_write(cpu, REG_EAX, size, mem_read(cpu, data_segment(in), in->disp, size));
}

void mov_Ob_AL(Cpu *cpu, const Insn *in)
{
    mem_write(cpu, data_segment(in), in->disp, reg_read(cpu, REG_EAX, 1), 1);
}

void mov_Ov_eAX(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    mem_write(cpu, data_segment(in), in->disp, reg_read(cpu, REG_EAX, size), size);
}

/*
 * MOV Sreg, r/m16 (SDM vol. 2, MOV).  ModRM.reg numbers the segment in the
 * order of our SEG_ enum; 6 and 7 name nothing and CS cannot be loaded this
 * way (#UD).  The source is always 16 bits.  A load of SS holds off
 * interrupts and debug traps until after the next instruction so that a
 * following MOV (E)SP completes the switch of stacks atomically.
 */
void mov_Sw_Ew(Cpu *cpu, const Insn *in)
{
    if (in->reg >= SEG_COUNT || in->reg == SEG_CS)
        cpu_raise_ud(cpu);
    uint16_t sel = (uint16_t)op_read_rm(cpu, in, 2);
    cpu_load_segment(cpu, in->reg, sel);
    if (in->reg == SEG_SS)
        cpu->irq_shadow = 1;
}

/*
 * MOV r/m16, Sreg.  To memory it always stores 16 bits.  To a register with
 * a 32-bit operand size the SDM leaves the upper half undefined on older
 * parts and zero on the Pentium Pro and later; we zero-extend on every model
 * so that software sees one consistent answer.
 */
void mov_Ew_Sw(Cpu *cpu, const Insn *in)
{
    if (in->reg >= SEG_COUNT)
        cpu_raise_ud(cpu);
    uint16_t sel = cpu->seg[in->reg].sel;
    if (in->mod == 3)
        reg_write(cpu, in->rm, insn_opsize(in), sel);
    else
        op_write_rm(cpu, in, 2, sel);
}

/* LEA: the offset of the address size, then truncated or zero-extended to the operand size. */
void lea_Gv_M(Cpu *cpu, const Insn *in)
{
    op_write_reg(cpu, in, insn_opsize(in), insn_ea(cpu, in));
}

/* XCHG: the memory write goes first because it is the part that can fault. */
void xchg_Eb_Gb(Cpu *cpu, const Insn *in)
{
    uint32_t rm = op_read_rm(cpu, in, 1);
    uint32_t reg = op_read_reg(cpu, in, 1);
    op_write_rm(cpu, in, 1, reg);
    op_write_reg(cpu, in, 1, rm);
}

void xchg_Ev_Gv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t rm = op_read_rm(cpu, in, size);
    uint32_t reg = op_read_reg(cpu, in, size);
    op_write_rm(cpu, in, size, reg);
    op_write_reg(cpu, in, size, rm);
}

void xchg_Zv_eAX(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    unsigned reg = in->opcode & 7;
    uint32_t other = reg_read(cpu, reg, size);
    reg_write(cpu, reg, size, reg_read(cpu, REG_EAX, size));
    reg_write(cpu, REG_EAX, size, other);
}

/* 90: XCHG eAX, eAX, which changes nothing (also PAUSE with an F3 prefix). */
void nop(Cpu *cpu, const Insn *in)
{
    (void)cpu;
    (void)in;
}

void movzx_Gv_Eb(Cpu *cpu, const Insn *in)
{
    op_write_reg(cpu, in, insn_opsize(in), op_read_rm(cpu, in, 1));
}

void movzx_Gv_Ew(Cpu *cpu, const Insn *in)
{
    op_write_reg(cpu, in, insn_opsize(in), op_read_rm(cpu, in, 2));
}

void movsx_Gv_Eb(Cpu *cpu, const Insn *in)
{
    op_write_reg(cpu, in, insn_opsize(in), sign_extend(op_read_rm(cpu, in, 1), 1));
}

void movsx_Gv_Ew(Cpu *cpu, const Insn *in)
{
    op_write_reg(cpu, in, insn_opsize(in), sign_extend(op_read_rm(cpu, in, 2), 2));
}

/* CBW (AL -> AX) or CWDE (AX -> EAX) by operand size. */
void cbw(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    unsigned half = size / 2;
    reg_write(cpu, REG_EAX, size, sign_extend(reg_read(cpu, REG_EAX, half), half));
}

/* CWD (AX -> DX:AX) or CDQ (EAX -> EDX:EAX): eDX becomes copies of eAX's sign bit. */
void cwd(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    bool negative = (reg_read(cpu, REG_EAX, size) & size_sign_bit(size)) != 0;
    reg_write(cpu, REG_EDX, size, negative ? 0xFFFFFFFFu : 0);
}

/* XLAT: AL = [seg:eBX + AL], the sum wrapping at the address size. */
void xlat(Cpu *cpu, const Insn *in)
{
    unsigned asize = insn_addrsize(in);
    uint32_t offset = (reg_read(cpu, REG_EBX, asize) + reg_read(cpu, REG_EAX, 1)) & size_mask(asize);
    reg_write(cpu, REG_EAX, 1, mem_read(cpu, data_segment(in), offset, 1));
}

/*
 * BSWAP r32 (486+).  With a 16-bit operand size the SDM calls the result
 * undefined; the 486 and its successors clear the low word and leave the
 * upper half alone, and we do the same on every model.
 */
void bswap_Zd(Cpu *cpu, const Insn *in)
{
    unsigned reg = in->opcode & 7;
    if (!in->opsize32) {
        reg_write(cpu, reg, 2, 0);
        return;
    }
    uint32_t v = cpu->gpr[reg];
    cpu->gpr[reg] = (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
}

/* The segment register a far-pointer load fills, from its opcode. */
static int lfp_segment(const Insn *in)
{
    if (in->map == 0)
        return in->opcode == 0xC4 ? SEG_ES : SEG_DS;
    switch (in->opcode) {
    case 0xB2: return SEG_SS;
    case 0xB4: return SEG_FS;
    default:   return SEG_GS;
    }
}

/*
 * LES/LDS/LSS/LFS/LGS r, m16:16 or m16:32: the offset comes first in memory,
 * the selector after it (the second address wraps at the address size).  The
 * segment load is the step that can fault in protected mode, so it happens
 * before the general register is written.  LSS, unlike MOV SS, does not
 * hold off interrupts: it loads SS:eSP in one instruction.
 */
void lfp_Gv_Mp(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t ea = insn_ea(cpu, in);
    uint32_t offset = mem_read(cpu, in->seg, ea, size);
    uint16_t sel = (uint16_t)mem_read(cpu, in->seg, (ea + size) & size_mask(insn_addrsize(in)), 2);
    cpu_load_segment(cpu, lfp_segment(in), sel);
    op_write_reg(cpu, in, size, offset);
}

/* LAHF: AH = SF:ZF:0:AF:0:PF:1:CF, the low byte of FLAGS. */
void lahf(Cpu *cpu, const Insn *in)
{
    (void)in;
    reg_write(cpu, REG8_AH, 1, cpu_get_eflags(cpu) & 0xFF);
}

/* SAHF: SF, ZF, AF, PF and CF from AH; bits 1, 3 and 5 keep their fixed values. */
void sahf(Cpu *cpu, const Insn *in)
{
    (void)in;
    const uint32_t mask = EFLAGS_SF | EFLAGS_ZF | EFLAGS_AF | EFLAGS_PF | EFLAGS_CF;
    flags_set(cpu, mask, reg_read(cpu, REG8_AH, 1));
}
