/* SPDX-License-Identifier: MIT */
/*
 * The debugger's view of the machine for the gdb stub: registers in gdb's
 * i386 order and guest memory by linear address.  Memory goes through the
 * debugger's page walk (SDM vol. 3, ch. 4), which sets no accessed or dirty
 * bit and raises nothing, so looking at the guest never changes it.  Not
 * modelled: segment loads outside real/V86 mode, writes to control registers.
 */
#include "machine_internal.h"
#include "cpu_internal.h"

#include <string.h>

static const int seg_of_reg[] = {
    [MACHINE_REG_CS] = SEG_CS, [MACHINE_REG_SS] = SEG_SS, [MACHINE_REG_DS] = SEG_DS,
    [MACHINE_REG_ES] = SEG_ES, [MACHINE_REG_FS] = SEG_FS, [MACHINE_REG_GS] = SEG_GS,
};

uint32_t machine_debug_get_reg(const Machine *m, MachineReg reg)
{
    Cpu *cpu = (Cpu *)&m->cpu;      /* reading EFLAGS folds the lazy flags */
    if (reg <= MACHINE_REG_EDI)
        return cpu->gpr[reg];
    if (reg == MACHINE_REG_EIP)
        return cpu->eip;
    if (reg == MACHINE_REG_EFLAGS)
        return cpu_get_eflags(cpu);
    switch (reg) {
    case MACHINE_REG_CR0: return cpu->cr0;
    case MACHINE_REG_CR2: return cpu->cr2;
    case MACHINE_REG_CR3: return cpu->cr3;
    case MACHINE_REG_CR4: return cpu->cr4;
    default: break;
    }
    if (reg <= MACHINE_REG_GS)
        return cpu->seg[seg_of_reg[reg]].sel;
    return 0;
}

bool machine_debug_set_reg(Machine *m, MachineReg reg, uint32_t value)
{
    Cpu *cpu = &m->cpu;
    if (reg <= MACHINE_REG_EDI) {
        cpu->gpr[reg] = value;
    } else if (reg == MACHINE_REG_EIP) {
        cpu->eip = value;
    } else if (reg == MACHINE_REG_EFLAGS) {
        cpu_set_eflags(cpu, value);
    } else if (reg <= MACHINE_REG_GS) {
        /* A protected-mode selector needs its descriptor: not done behind the guest's back. */
        if (!cpu_real_mode(cpu) && !cpu_v86_mode(cpu))
            return cpu->seg[seg_of_reg[reg]].sel == (uint16_t)value;
        cpu_load_segment_real(cpu, seg_of_reg[reg], (uint16_t)value);
        cpu_flush_fetch_cache(cpu);
    } else {
        return false;
    }
    return true;
}

uint32_t machine_debug_pc_linear(const Machine *m)
{
    return m->cpu.seg[SEG_CS].base + m->cpu.eip;
}

size_t machine_debug_read_linear(Machine *m, uint32_t lin, void *buf, size_t len)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        uint64_t phys;
        if (!cpu_debug_translate(&m->cpu, lin + (uint32_t)i, &phys))
            return i;
        p[i] = (uint8_t)phys_read(&m->mem, phys, 1);
    }
    return len;
}

size_t machine_debug_write_linear(Machine *m, uint32_t lin, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    size_t i;
    for (i = 0; i < len; i++) {
        uint64_t phys;
        if (!cpu_debug_translate(&m->cpu, lin + (uint32_t)i, &phys))
            break;
        phys_write(&m->mem, phys, p[i], 1);
    }
    /* The decoder reads code pages directly; drop what it may have cached. */
    cpu_flush_translations(&m->cpu);
    return i;
}

void machine_debug_read_physical(Machine *m, uint64_t phys, void *buf, size_t len)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)phys_read(&m->mem, phys + i, 1);
}

void machine_debug_write_physical(Machine *m, uint64_t phys, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        phys_write(&m->mem, phys + i, p[i], 1);
    cpu_flush_translations(&m->cpu);
}

struct Cpu *machine_cpu(Machine *m) { return &m->cpu; }

bool machine_add_event_hook(Machine *m, MachineEventFn fn, void *ctx)
{
    if (m->event_hooks == MACHINE_EVENT_HOOKS)
        return false;
    m->event_hook[m->event_hooks].fn = fn;
    m->event_hook[m->event_hooks++].ctx = ctx;
    return true;
}

void machine_remove_event_hook(Machine *m, MachineEventFn fn, void *ctx)
{
    for (int i = 0; i < m->event_hooks; i++) {
        if (m->event_hook[i].fn == fn && m->event_hook[i].ctx == ctx) {
            m->event_hook[i] = m->event_hook[--m->event_hooks];
            return;
        }
    }
}

void machine_event(Machine *m, MachineEvent ev)
{
    for (int i = 0; i < m->event_hooks; i++)
        m->event_hook[i].fn(m->event_hook[i].ctx, m, ev);
}
