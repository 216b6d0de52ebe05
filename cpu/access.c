/* SPDX-License-Identifier: MIT */
/*
 * Memory operands: effective addresses, segment limit checks, the stack, and
 * the linear-to-physical step.  A segment check raises #SS for SS and #GP(0)
 * otherwise (SDM vol. 3, 5.3); an access that passes is translated a page at
 * a time, so an access that straddles two pages is split where the pages
 * split.  Paging itself (the page walker and the TLB in mmu/) comes with the
 * protected-mode work; until then linear = physical, masked by the A20 gate.
 */
#include "cpu_internal.h"

uint32_t insn_ea(const Cpu *cpu, const Insn *in)
{
    uint32_t ea = in->disp;
    if (in->base >= 0)
        ea += cpu->gpr[in->base];
    if (in->index >= 0)
        ea += cpu->gpr[in->index] * in->scale;
    return in->addrsize32 ? ea : ea & 0xFFFF;
}

static bool segment_expand_down(const Segment *s)
{
    /* Data segment (S=1, type bit 3 clear) with the E bit (type bit 2). */
    return (s->attr & SEG_ATTR_S) && (s->attr & 0xC) == 0x4;
}

/* Raises #GP(0) or #SS(0) unless offset..offset+size-1 lies inside the segment. */
static void segment_check(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size)
{
    const Segment *s = &cpu->seg[seg];
    uint64_t last = (uint64_t)offset + size - 1;
    bool ok;
    if (segment_expand_down(s)) {
        uint64_t upper = (s->attr & SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
        ok = offset > s->limit && last <= upper;
    } else {
        ok = last <= s->limit;
    }
    if (ok)
        return;
    if (seg == SEG_SS)
        cpu_raise(cpu, EXC_SS, 0, FAULT_STACK_LIMIT, s->limit, offset, size);
    cpu_raise(cpu, EXC_GP, 0, FAULT_SEGMENT_LIMIT, s->limit, offset, size);
}

/* Linear to physical for one page's worth of bytes (paging arrives with mmu/). */
static uint64_t translate(Cpu *cpu, uint32_t lin)
{
    return lin & cpu->a20_mask;
}

static bool crosses_page(uint32_t lin, unsigned size)
{
    return (lin & 0xFFF) + size > 0x1000;
}

uint32_t lin_read(Cpu *cpu, uint32_t lin, unsigned size)
{
    if (!crosses_page(lin, size))
        return phys_read(cpu->mem, translate(cpu, lin), size);
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= phys_read(cpu->mem, translate(cpu, lin + i), 1) << (i * 8);
    return v;
}

void lin_write(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size)
{
    if (!crosses_page(lin, size)) {
        phys_write(cpu->mem, translate(cpu, lin), value, size);
        return;
    }
    /* Translate both pages before writing a byte: a fault must leave memory untouched. */
    uint64_t first = translate(cpu, lin), second = translate(cpu, (lin + size - 1) & ~0xFFFu);
    for (unsigned i = 0; i < size; i++) {
        uint32_t l = lin + i;
        uint64_t phys = (l & ~0xFFFu) == (lin & ~0xFFFu) ? first + i : second + (l & 0xFFF);
        phys_write(cpu->mem, phys, (value >> (i * 8)) & 0xFF, 1);
    }
}

void cpu_flush_fetch_cache(Cpu *cpu)
{
    cpu->fetch_page = 1;
    cpu->fetch_host = NULL;
}

uint8_t cpu_fetch_code_byte(Cpu *cpu, uint32_t offset)
{
    const Segment *cs = &cpu->seg[SEG_CS];
    if (offset > cs->limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_CODE_LIMIT, cs->limit, offset, 0);
    uint32_t lin = cs->base + offset;
    uint64_t phys = translate(cpu, lin & ~0xFFFu);
    uint8_t *first = phys_ram_ptr(cpu->mem, phys);
    if (first && phys_ram_ptr(cpu->mem, phys + 0xFFF) == first + 0xFFF) {
        cpu->fetch_page = lin & ~0xFFFu;
        cpu->fetch_host = first;
    }
    return (uint8_t)lin_read(cpu, lin, 1);
}

uint32_t mem_read(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size)
{
    segment_check(cpu, seg, offset, size);
    return lin_read(cpu, cpu->seg[seg].base + offset, size);
}

void mem_check_write(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size)
{
    segment_check(cpu, seg, offset, size);
}

void mem_write(Cpu *cpu, unsigned seg, uint32_t offset, uint32_t value, unsigned size)
{
    segment_check(cpu, seg, offset, size);
    lin_write(cpu, cpu->seg[seg].base + offset, value, size);
}

uint32_t op_read_rm(Cpu *cpu, const Insn *in, unsigned size)
{
    if (in->mod == 3)
        return reg_read(cpu, in->rm, size);
    return mem_read(cpu, in->seg, insn_ea(cpu, in), size);
}

void op_write_rm(Cpu *cpu, const Insn *in, unsigned size, uint32_t value)
{
    if (in->mod == 3)
        reg_write(cpu, in->rm, size, value);
    else
        mem_write(cpu, in->seg, insn_ea(cpu, in), value, size);
}

uint32_t stack_pointer(const Cpu *cpu)
{
    return cpu_stack32(cpu) ? cpu->gpr[REG_ESP] : cpu->gpr[REG_ESP] & 0xFFFF;
}

void stack_pointer_set(Cpu *cpu, uint32_t value)
{
    if (cpu_stack32(cpu))
        cpu->gpr[REG_ESP] = value;
    else
        cpu->gpr[REG_ESP] = (cpu->gpr[REG_ESP] & 0xFFFF0000u) | (value & 0xFFFF);
}

static uint32_t stack_offset(const Cpu *cpu, uint32_t offset)
{
    return cpu_stack32(cpu) ? offset : offset & 0xFFFF;
}

void stack_push(Cpu *cpu, unsigned size, uint32_t value)
{
    uint32_t sp = stack_offset(cpu, stack_pointer(cpu) - size);
    mem_write(cpu, SEG_SS, sp, value, size);
    stack_pointer_set(cpu, sp);
}

uint32_t stack_pop(Cpu *cpu, unsigned size)
{
    uint32_t sp = stack_pointer(cpu);
    uint32_t value = mem_read(cpu, SEG_SS, sp, size);
    stack_pointer_set(cpu, stack_offset(cpu, sp + size));
    return value;
}

uint32_t stack_peek(Cpu *cpu, uint32_t offset, unsigned size)
{
    return mem_read(cpu, SEG_SS, stack_offset(cpu, stack_pointer(cpu) + offset), size);
}
