/* SPDX-License-Identifier: MIT */
/*
 * The door between guest code and firmware written in C.  UD0 (0F FF) is an
 * invalid opcode on every Intel CPU; here it carries a service number and
 * becomes a call into the firmware when it executes from the firmware's own
 * ROM pages, which guest code cannot write.  From anywhere else it stays #UD,
 * so a program that probes UD0 sees what hardware does.
 */
#include "cpu_internal.h"

/* The physical address of CS:offset, translated as the instruction fetch was. */
static uint64_t code_physical(Cpu *cpu, uint32_t offset)
{
    return cpu_translate_fetch(cpu, cpu->seg[SEG_CS].base + offset);
}

void firmware_trap_Ib(Cpu *cpu, const Insn *in)
{
    uint64_t phys = code_physical(cpu, cpu->insn_eip);
    if (!cpu->firmware_trap || phys < cpu->firmware_lo || phys >= cpu->firmware_hi)
        cpu_raise_ud(cpu);
    cpu->firmware_trap(cpu->firmware_opaque, cpu, (uint8_t)in->imm);
}

uint32_t cpu_guest_read(Cpu *cpu, int seg, uint32_t offset, unsigned size)
{
    return mem_read(cpu, (unsigned)seg, offset, size);
}

void cpu_guest_write(Cpu *cpu, int seg, uint32_t offset, uint32_t value, unsigned size)
{
    mem_write(cpu, (unsigned)seg, offset, value, size);
}

uint32_t cpu_guest_in(Cpu *cpu, uint16_t port, unsigned size)
{
    return cpu_port_in(cpu, port, size);
}

void cpu_guest_out(Cpu *cpu, uint16_t port, uint32_t value, unsigned size)
{
    cpu_port_out(cpu, port, value, size);
}
