/* SPDX-License-Identifier: MIT */
/*
 * Protected-mode segmentation (SDM vol. 3, ch. 3 and 5): selectors,
 * descriptors in the GDT and LDT, the checks of a segment register load
 * with their exceptions and error codes (#GP, #NP, #SS carrying the
 * selector), the accessed bit, and the descriptor instructions LLDT, LTR,
 * SLDT, STR, VERR, VERW, LAR and LSL.  Descriptor-table reads are implicit
 * supervisor accesses at any CPL.  Far transfers live in transfer.c and
 * interrupt delivery in interrupt.c.  Not modelled: 64-bit descriptors.
 */
#include "cpu_internal.h"

bool desc_read(Cpu *cpu, uint16_t sel, Descriptor *d, uint32_t *addr)
{
    uint32_t base, limit;
    if (sel & 4) {
        /* An LDT selector with no usable LDT loaded lies outside any table. */
        if (!attr_present(cpu->ldtr.attr) || (cpu->ldtr.sel & ~3u) == 0)
            return false;
        base = cpu->ldtr.base;
        limit = cpu->ldtr.limit;
    } else {
        base = cpu->gdtr.base;
        limit = cpu->gdtr.limit;
    }
    if ((uint32_t)(sel | 7) > limit)
        return false;
    *addr = base + (sel & ~7u);
    d->lo = lin_read_system(cpu, *addr, 4);
    d->hi = lin_read_system(cpu, *addr + 4, 4);
    return true;
}

/* The table limit named in an out-of-table fault's record. */
static uint32_t table_limit(const Cpu *cpu, uint16_t sel)
{
    return (sel & 4) ? cpu->ldtr.limit : cpu->gdtr.limit;
}

void desc_fetch(Cpu *cpu, uint16_t sel, Descriptor *d, uint32_t *addr,
                               unsigned vector, uint32_t ext)
{
    if (!desc_read(cpu, sel, d, addr))
        cpu_raise(cpu, vector, (sel & 0xFFFC) | ext, FAULT_SEL_OUTSIDE_TABLE, sel,
                  table_limit(cpu, sel), (sel >> 2) & 1);
}

void desc_set_accessed(Cpu *cpu, uint32_t addr, Descriptor *d)
{
    if ((d->hi & 0x1000) && !(d->hi & 0x100)) {
        d->hi |= 0x100;
        lin_write_system(cpu, addr + 5, (d->hi >> 8) & 0xFF, 1);
    }
}

void segment_from_desc(Segment *s, uint16_t sel, Descriptor d)
{
    s->sel = sel;
    s->base = desc_base(d);
    s->limit = desc_limit(d);
    s->attr = desc_attr(d);
}

void segment_load_cs(Cpu *cpu, uint16_t sel, Descriptor d, uint32_t addr, unsigned cpl)
{
    desc_set_accessed(cpu, addr, &d);
    segment_from_desc(&cpu->seg[SEG_CS], (uint16_t)((sel & ~3u) | cpl), d);
    /* The fetch cache holds a page checked at the old CPL: a supervisor page
     * must not stay fetchable after a return to ring 3. */
    cpu_flush_fetch_cache(cpu);
}

void segment_check_stack(Cpu *cpu, uint16_t sel, unsigned pl, unsigned vector, uint32_t ext,
                         Descriptor *d, uint32_t *addr)
{
    bool ts = vector == EXC_TS;
    if ((sel & ~3u) == 0) {
        if (ts)
            cpu_raise(cpu, EXC_TS, ext, FAULT_TSS_SS_NULL, pl, 0, 0);
        cpu_raise(cpu, EXC_GP, 0, FAULT_SS_NULL, sel, 0, 0);
    }
    desc_fetch(cpu, sel, d, addr, vector, ext);
    uint16_t attr = desc_attr(*d);
    uint32_t code = (sel & 0xFFFC) | ext;
    if ((sel & 3u) != pl) {
        if (ts)
            cpu_raise(cpu, EXC_TS, code, FAULT_TSS_SS_BAD, sel, pl, attr_kind(attr));
        cpu_raise(cpu, EXC_GP, code, FAULT_SS_RPL, sel & 3u, pl, 0);
    }
    if (!(attr_is_data(attr) && (attr & 2))) {
        if (ts)
            cpu_raise(cpu, EXC_TS, code, FAULT_TSS_SS_BAD, sel, pl, attr_kind(attr));
        cpu_raise(cpu, EXC_GP, code, FAULT_SS_NOT_WRITABLE, sel, attr_kind(attr), 0);
    }
    if (attr_dpl(attr) != pl) {
        if (ts)
            cpu_raise(cpu, EXC_TS, code, FAULT_TSS_SS_BAD, sel, pl, attr_kind(attr));
        cpu_raise(cpu, EXC_GP, code, FAULT_SS_DPL, attr_dpl(attr), pl, sel);
    }
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_SS, code, FAULT_SS_NOT_PRESENT, sel, 0, 0);
}

/* A null selector in DS, ES, FS or GS: loads fine, faults on use. */
static void segment_load_null(Segment *s, uint16_t sel)
{
    *s = (Segment){ .sel = sel, .base = 0, .limit = 0, .attr = 0 };
}

/* SDM vol. 2, MOV (segment register) and vol. 3, 5.5-5.7. */
void cpu_load_segment_pm(Cpu *cpu, int seg, uint16_t sel)
{
    unsigned cpl = cpu_cpl(cpu);
    Descriptor d;
    uint32_t addr;
    if (seg == SEG_SS) {
        segment_check_stack(cpu, sel, cpl, EXC_GP, 0, &d, &addr);
    } else {
        if ((sel & ~3u) == 0) {
            segment_load_null(&cpu->seg[seg], sel);
            return;
        }
        desc_fetch(cpu, sel, &d, &addr, EXC_GP, 0);
        uint16_t attr = desc_attr(d);
        if (!(attr_is_data(attr) || (attr_is_code(attr) && (attr & 2))))
            cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_SEG_NOT_DATA, sel, attr_kind(attr), 0);
        unsigned worst = cpl > (sel & 3u) ? cpl : (sel & 3u);
        if (!attr_conforming(attr) && worst > attr_dpl(attr))
            cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_SEG_DATA_PRIV, sel, attr_dpl(attr), worst);
        if (!attr_present(attr))
            cpu_raise(cpu, EXC_NP, sel & 0xFFFC, FAULT_SEG_NOT_PRESENT, sel, 0, 0);
    }
    desc_set_accessed(cpu, addr, &d);
    segment_from_desc(&cpu->seg[seg], sel, d);
}

/* SDM vol. 3, 5.8.6 (RET to an outer level): a data segment register the
 * outer level may not use is nulled so it cannot leak inner privilege. */
void segment_invalidate_outer(Cpu *cpu)
{
    static const int segs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
    unsigned cpl = cpu_cpl(cpu);
    for (unsigned i = 0; i < 4; i++) {
        Segment *s = &cpu->seg[segs[i]];
        bool usable = attr_present(s->attr) && (s->sel & ~3u) != 0;
        if (!usable || attr_conforming(s->attr))
            continue;
        if (attr_dpl(s->attr) < cpl)
            segment_load_null(s, 0);
    }
}

/* ---- LLDT, LTR, SLDT, STR ---- */

static void require_pm(Cpu *cpu)
{
    if (cpu_real_mode(cpu) || cpu_v86_mode(cpu))
        cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_REAL_MODE_ONLY_PM, 0, 0, 0);
}

static void require_cpl0(Cpu *cpu)
{
    if (cpu_cpl(cpu) != 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_CPL_NOT_ZERO, cpu_cpl(cpu), 0, 0);
}

/* A system descriptor named by a GDT selector (LLDT, LTR): TI must be 0. */
static void system_desc(Cpu *cpu, uint16_t sel, Descriptor *d, uint32_t *addr, FaultRule rule)
{
    if ((sel & 4) || !desc_read(cpu, sel, d, addr))
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, (sel & 4) ? rule : FAULT_SEL_OUTSIDE_TABLE, sel,
                  (sel & 4) ? 0xFFu : cpu->gdtr.limit, 0);
}

static void lldt(Cpu *cpu, uint16_t sel)
{
    Descriptor d;
    uint32_t addr;
    if ((sel & ~3u) == 0) {
        segment_load_null(&cpu->ldtr, sel);
        return;
    }
    system_desc(cpu, sel, &d, &addr, FAULT_LLDT_BAD);
    uint16_t attr = desc_attr(d);
    if (attr_kind(attr) != 0x02)
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_LLDT_BAD, sel, attr_kind(attr), 0);
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_NP, sel & 0xFFFC, FAULT_SYS_NOT_PRESENT, sel, 0, 0);
    segment_from_desc(&cpu->ldtr, sel, d);
}

static void ltr(Cpu *cpu, uint16_t sel)
{
    Descriptor d;
    uint32_t addr;
    if ((sel & ~3u) == 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_LTR_BAD, sel, 0, 0);
    system_desc(cpu, sel, &d, &addr, FAULT_LTR_BAD);
    uint16_t attr = desc_attr(d);
    if (attr_kind(attr) != 0x01 && attr_kind(attr) != 0x09)
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_LTR_BAD, sel, attr_kind(attr), 0);
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_NP, sel & 0xFFFC, FAULT_SYS_NOT_PRESENT, sel, 0, 0);
    d.hi |= 0x200;      /* busy */
    lin_write_system(cpu, addr + 5, (d.hi >> 8) & 0xFF, 1);
    segment_from_desc(&cpu->tr, sel, d);
}

/* SLDT/STR: a register destination gets the selector zero-extended to the
 * operand size; memory always gets 16 bits. */
static void store_selector(Cpu *cpu, const Insn *in, uint16_t sel)
{
    if (in->mod == 3)
        reg_write(cpu, in->rm, insn_opsize(in), sel);
    else
        op_write_rm(cpu, in, 2, sel);
}

/*
 * The descriptor check shared by VERR, VERW, LAR and LSL (SDM vol. 2):
 * true when the selector names a descriptor inside its table whose DPL
 * allows CPL and RPL (conforming code is exempt).  Never faults on the
 * descriptor itself.
 */
static bool visible_desc(Cpu *cpu, uint16_t sel, Descriptor *d)
{
    uint32_t addr;
    if ((sel & ~3u) == 0 || !desc_read(cpu, sel, d, &addr))
        return false;
    uint16_t attr = desc_attr(*d);
    if (attr_conforming(attr))
        return true;
    unsigned worst = cpu_cpl(cpu) > (sel & 3u) ? cpu_cpl(cpu) : (sel & 3u);
    return attr_dpl(attr) >= worst;
}

static void verify(Cpu *cpu, uint16_t sel, bool write)
{
    Descriptor d;
    bool ok = visible_desc(cpu, sel, &d);
    uint16_t attr = desc_attr(d);
    if (ok) {
        if (write)
            ok = attr_is_data(attr) && (attr & 2);
        else
            ok = attr_is_data(attr) || (attr_is_code(attr) && (attr & 2));
    }
    flags_set(cpu, EFLAGS_ZF, ok ? EFLAGS_ZF : 0);
}

void group6_Ew(Cpu *cpu, const Insn *in)
{
    require_pm(cpu);
    switch (in->reg) {
    case 0:
        store_selector(cpu, in, cpu->ldtr.sel);
        break;
    case 1:
        store_selector(cpu, in, cpu->tr.sel);
        break;
    case 2:
        require_cpl0(cpu);
        lldt(cpu, (uint16_t)op_read_rm(cpu, in, 2));
        break;
    case 3:
        require_cpl0(cpu);
        ltr(cpu, (uint16_t)op_read_rm(cpu, in, 2));
        break;
    default:
        verify(cpu, (uint16_t)op_read_rm(cpu, in, 2), in->reg == 5);
        break;
    }
}

/* System types LAR accepts: TSSs, LDT, call and task gates; LSL takes
 * only those with a limit (TSSs and the LDT). */
static bool lar_system_ok(unsigned type, bool lsl)
{
    switch (type) {
    case 0x1: case 0x2: case 0x3: case 0x9: case 0xB:
        return true;
    case 0x4: case 0x5: case 0xC:
        return !lsl;
    default:
        return false;
    }
}

/* LAR copies bits 8-23 of the second doubleword; the SDM calls limit bits
 * 19:16 undefined, and the parts copy them from the descriptor. */
static void lar_lsl(Cpu *cpu, const Insn *in, bool lsl)
{
    require_pm(cpu);
    Descriptor d;
    uint16_t sel = (uint16_t)op_read_rm(cpu, in, 2);
    bool ok = visible_desc(cpu, sel, &d);
    uint16_t attr = desc_attr(d);
    if (ok && !(attr & SEG_ATTR_S))
        ok = lar_system_ok(attr & 0xF, lsl);
    flags_set(cpu, EFLAGS_ZF, ok ? EFLAGS_ZF : 0);
    if (!ok)
        return;
    unsigned size = insn_opsize(in);
    if (lsl)
        reg_write(cpu, in->reg, size, desc_limit(d));
    else
        reg_write(cpu, in->reg, size, d.hi & (size == 4 ? 0x00FFFF00u : 0xFF00u));
}

void lar_Gv_Ew(Cpu *cpu, const Insn *in)
{
    lar_lsl(cpu, in, false);
}

void lsl_Gv_Ew(Cpu *cpu, const Insn *in)
{
    lar_lsl(cpu, in, true);
}
