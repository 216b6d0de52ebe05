/* SPDX-License-Identifier: MIT */
/*
 * Memory operands: effective addresses, segment limit checks, the stack, and
 * the linear-to-physical step.  A segment check raises #SS for SS and #GP(0)
 * otherwise (SDM vol. 3, 5.3); an access that passes is translated a page at
 * a time, so an access that straddles two pages is split where the pages
 * split.  With CR0.PG clear linear = physical, masked by the A20 gate; with
 * it set, addresses go through the TLB, and a miss runs the page walk of
 * mmu/paging.c, which sets A/D bits or raises #PF with CR2 (SDM vol. 3,
 * ch. 4).  Accesses at CPL 3 are user accesses except descriptor-table and
 * TSS accesses, which use lin_read_system/lin_write_system.
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

/* Protected mode only (SDM vol. 3, 5.5 and 5.6): a null selector cannot be
 * used, execute-only code cannot be read, and only writable data written. */
static void segment_type_check(Cpu *cpu, unsigned seg, bool write)
{
    const Segment *s = &cpu->seg[seg];
    unsigned vector = seg == SEG_SS ? EXC_SS : EXC_GP;
    if (!(s->attr & SEG_ATTR_P))
        cpu_raise(cpu, vector, 0, FAULT_SEG_NULL_ACCESS, seg, 0, 0);
    bool code = (s->attr & 0x8) != 0;
    if (write && (code || !(s->attr & 2)))
        cpu_raise(cpu, vector, 0, FAULT_SEG_READ_ONLY, seg, 0, 0);
    if (!write && code && !(s->attr & 2))
        cpu_raise(cpu, vector, 0, FAULT_SEG_EXEC_ONLY, seg, 0, 0);
}

/* Raises #GP(0) or #SS(0) unless offset..offset+size-1 lies inside the
 * segment and the segment allows the access. */
static void segment_check(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size, bool write)
{
    const Segment *s = &cpu->seg[seg];
    if ((cpu->cr0 & CR0_PE) && !(cpu->eflags & EFLAGS_VM))
        segment_type_check(cpu, seg, write);
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

/* ---- linear accesses ---- */

/* The common case first: paging off and the access within one page.  The
 * rest (paging, page-crossing accesses) is in translate.c. */
uint32_t lin_read(Cpu *cpu, uint32_t lin, unsigned size)
{
    if (!(cpu->cr0 & CR0_PG) && !crosses_page(lin, size))
        return phys_read(cpu->mem, lin & cpu->a20_mask, size);
    return lin_read_slow(cpu, lin, size, false);
}

void lin_write(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size)
{
    if (!(cpu->cr0 & CR0_PG) && !crosses_page(lin, size))
        phys_write(cpu->mem, lin & cpu->a20_mask, value, size);
    else
        lin_write_slow(cpu, lin, value, size, false);
}

uint32_t lin_read_system(Cpu *cpu, uint32_t lin, unsigned size)
{
    return lin_read_slow(cpu, lin, size, true);
}

void lin_write_system(Cpu *cpu, uint32_t lin, uint32_t value, unsigned size)
{
    lin_write_slow(cpu, lin, value, size, true);
}

/* ---- instruction fetch ---- */

void cpu_flush_fetch_cache(Cpu *cpu)
{
    cpu->fetch_page = 1;
    cpu->fetch_host = NULL;
}

/* The fetch cache holds a RAM page that was fetchable when it was filled;
 * every TLB flush empties it. */
uint8_t cpu_fetch_code_byte(Cpu *cpu, uint32_t offset)
{
    const Segment *cs = &cpu->seg[SEG_CS];
    if (offset > cs->limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_CODE_LIMIT, cs->limit, offset, 0);
    uint32_t lin = cs->base + offset;
    uint64_t phys = cpu_translate_fetch(cpu, lin);
    uint64_t page = phys & ~0xFFFull;
    uint8_t *first = phys_ram_ptr(cpu->mem, page);
    if (first && phys_ram_ptr(cpu->mem, page + 0xFFF) == first + 0xFFF) {
        cpu->fetch_page = lin & ~0xFFFu;
        cpu->fetch_host = first;
        return first[lin & 0xFFF];
    }
    return (uint8_t)phys_read(cpu->mem, phys, 1);
}

/* Alignment checks (#AC), data breakpoints and debugger watchpoints are
 * armed only by CR0.AM, DR7's enable bits or a watching debug client, so
 * the common case pays three loads. */
static inline void data_access_checks(Cpu *cpu, uint32_t lin, unsigned size, bool write)
{
    if ((cpu->cr0 & CR0_AM) || (cpu->dr[7] & 0xFF) || cpu->debug_watch_data)
        cpu_data_access_checks(cpu, lin, size, write);
}

uint32_t mem_read(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size)
{
    segment_check(cpu, seg, offset, size, false);
    uint32_t lin = cpu->seg[seg].base + offset;
    data_access_checks(cpu, lin, size, false);
    return lin_read(cpu, lin, size);
}

void mem_check_write(Cpu *cpu, unsigned seg, uint32_t offset, unsigned size)
{
    segment_check(cpu, seg, offset, size, true);
    if (cpu->cr0 & CR0_PG)
        lin_check_write(cpu, cpu->seg[seg].base + offset, size);
}

void mem_write(Cpu *cpu, unsigned seg, uint32_t offset, uint32_t value, unsigned size)
{
    segment_check(cpu, seg, offset, size, true);
    uint32_t lin = cpu->seg[seg].base + offset;
    data_access_checks(cpu, lin, size, true);
    lin_write(cpu, lin, value, size);
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
