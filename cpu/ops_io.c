/* SPDX-License-Identifier: MIT */
/*
 * IN and OUT with an immediate port (0-255) or the port in DX, moving a byte
 * through AL or a word/dword through AX/EAX by operand size (SDM vol. 1,
 * 18.2; vol. 2, IN and OUT).  The IOPL and I/O-permission-bitmap checks live
 * in cpu_port_in/cpu_port_out, shared with INS and OUTS.
 */
#include "cpu_internal.h"

static void in_acc(Cpu *cpu, uint16_t port, unsigned size)
{
    reg_write(cpu, REG_EAX, size, cpu_port_in(cpu, port, size));
}

static void out_acc(Cpu *cpu, uint16_t port, unsigned size)
{
    cpu_port_out(cpu, port, reg_read(cpu, REG_EAX, size), size);
}

static uint16_t port_imm(const Insn *in) { return (uint16_t)(in->imm & 0xFF); }
static uint16_t port_dx(const Cpu *cpu) { return (uint16_t)reg_read(cpu, REG_EDX, 2); }

void in_AL_Ib(Cpu *cpu, const Insn *in) { in_acc(cpu, port_imm(in), 1); }
void in_eAX_Ib(Cpu *cpu, const Insn *in) { in_acc(cpu, port_imm(in), insn_opsize(in)); }
void out_Ib_AL(Cpu *cpu, const Insn *in) { out_acc(cpu, port_imm(in), 1); }
void out_Ib_eAX(Cpu *cpu, const Insn *in) { out_acc(cpu, port_imm(in), insn_opsize(in)); }
void in_AL_DX(Cpu *cpu, const Insn *in) { (void)in; in_acc(cpu, port_dx(cpu), 1); }
void in_eAX_DX(Cpu *cpu, const Insn *in) { in_acc(cpu, port_dx(cpu), insn_opsize(in)); }
void out_DX_AL(Cpu *cpu, const Insn *in) { (void)in; out_acc(cpu, port_dx(cpu), 1); }
void out_DX_eAX(Cpu *cpu, const Insn *in) { out_acc(cpu, port_dx(cpu), insn_opsize(in)); }
