/* SPDX-License-Identifier: MIT */
/*
 * Task switches (SDM vol. 3, 7.3): JMP or CALL to a TSS or task gate, an
 * interrupt or exception through a task gate, and IRET with NT set.  The
 * new TSS is checked (type, busy bit, presence, minimum limit) and its state
 * read before anything changes; then the old state is saved in the current
 * TSS (16- or 32-bit layout), the busy bits, NT and the back link are
 * updated, and TR, CR0.TS, CR3 (when paging), EFLAGS, EIP, the general
 * registers and the selectors are loaded.  That is the commit point: the
 * LDT and segment descriptors are loaded afterwards, and a fault there is
 * delivered in the new task.  Not modelled: the debug trap bit (T) of the
 * TSS.
 */
#include "cpu_internal.h"

/* The state a TSS holds, in the order the 32-bit layout stores it. */
typedef struct TaskState {
    uint32_t cr3, eip, eflags;
    uint32_t gpr[8];
    uint16_t seg[SEG_COUNT];
    uint16_t ldt;
} TaskState;

static bool tss_is32(uint16_t attr)
{
    return (attr & 8) != 0;
}

static void tss_read(Cpu *cpu, uint32_t base, bool is32, TaskState *t)
{
    if (is32) {
        t->cr3 = lin_read_system(cpu, base + 0x1C, 4);
        t->eip = lin_read_system(cpu, base + 0x20, 4);
        t->eflags = lin_read_system(cpu, base + 0x24, 4);
        for (unsigned i = 0; i < 8; i++)
            t->gpr[i] = lin_read_system(cpu, base + 0x28 + 4 * i, 4);
        for (unsigned i = 0; i < SEG_COUNT; i++)
            t->seg[i] = (uint16_t)lin_read_system(cpu, base + 0x48 + 4 * i, 2);
        t->ldt = (uint16_t)lin_read_system(cpu, base + 0x60, 2);
        return;
    }
    /* A 286 TSS: 16-bit registers (upper halves kept), no FS, GS or CR3. */
    t->cr3 = cpu->cr3;
    t->eip = lin_read_system(cpu, base + 0x0E, 2);
    t->eflags = (cpu->eflags & 0xFFFF0000u) | lin_read_system(cpu, base + 0x10, 2);
    for (unsigned i = 0; i < 8; i++)
        t->gpr[i] = (cpu->gpr[i] & 0xFFFF0000u) | lin_read_system(cpu, base + 0x12 + 2 * i, 2);
    for (unsigned i = 0; i < 4; i++)
        t->seg[i] = (uint16_t)lin_read_system(cpu, base + 0x22 + 2 * i, 2);
    t->seg[SEG_FS] = t->seg[SEG_GS] = 0;
    t->ldt = (uint16_t)lin_read_system(cpu, base + 0x2A, 2);
}

/* Saves the outgoing task's dynamic state in its TSS. */
static void tss_save(Cpu *cpu, uint32_t eip, uint32_t eflags)
{
    uint32_t base = cpu->tr.base;
    if (tss_is32(cpu->tr.attr)) {
        lin_write_system(cpu, base + 0x20, eip, 4);
        lin_write_system(cpu, base + 0x24, eflags, 4);
        for (unsigned i = 0; i < 8; i++)
            lin_write_system(cpu, base + 0x28 + 4 * i, cpu->gpr[i], 4);
        for (unsigned i = 0; i < SEG_COUNT; i++)
            lin_write_system(cpu, base + 0x48 + 4 * i, cpu->seg[i].sel, 2);
        return;
    }
    lin_write_system(cpu, base + 0x0E, eip, 2);
    lin_write_system(cpu, base + 0x10, eflags, 2);
    for (unsigned i = 0; i < 8; i++)
        lin_write_system(cpu, base + 0x12 + 2 * i, cpu->gpr[i], 2);
    for (unsigned i = 0; i < 4; i++)
        lin_write_system(cpu, base + 0x22 + 2 * i, cpu->seg[i].sel, 2);
}

/* Sets or clears the busy bit (type bit 1) of the TSS descriptor of sel. */
static void tss_set_busy(Cpu *cpu, uint16_t sel, bool busy)
{
    uint32_t at = cpu->gdtr.base + (sel & ~7u) + 5;
    uint32_t access = lin_read_system(cpu, at, 1);
    lin_write_system(cpu, at, busy ? access | 2 : access & ~2u, 1);
}

/* The new TSS's descriptor with its checks (SDM vol. 3, 7.3, steps 1-4). */
static Descriptor check_new_tss(Cpu *cpu, uint16_t sel, TaskReason why, uint32_t ext)
{
    unsigned vector = why == TASK_IRET ? EXC_TS : EXC_GP;
    uint32_t code = (sel & 0xFFFC) | ext;
    Descriptor d;
    uint32_t addr;
    if ((sel & 4) || (sel & ~3u) == 0 || !desc_read(cpu, sel, &d, &addr))
        cpu_raise(cpu, vector, code, FAULT_TSS_DESC_BAD, sel, 0xFF, 0);
    unsigned kind = attr_kind(desc_attr(d));
    bool ok = why == TASK_IRET ? (kind == 0x03 || kind == 0x0B) : (kind == 0x01 || kind == 0x09);
    if (!ok)
        cpu_raise(cpu, vector, code, FAULT_TSS_DESC_BAD, sel, kind, 0);
    if (!attr_present(desc_attr(d)))
        cpu_raise(cpu, EXC_NP, code, FAULT_SYS_NOT_PRESENT, sel, 0, 0);
    uint32_t minimum = tss_is32(desc_attr(d)) ? 0x67 : 0x2B;
    if (desc_limit(d) < minimum)
        cpu_raise(cpu, EXC_TS, code, FAULT_TSS_TOO_SHORT, sel, desc_limit(d), minimum);
    return d;
}

static noreturn void task_seg_fault(Cpu *cpu, unsigned vector, uint16_t sel, uint16_t attr,
                                    int seg, uint32_t ext)
{
    cpu_raise(cpu, vector, (sel & 0xFFFC) | ext, FAULT_TASK_SEG_BAD, sel, attr, (uint32_t)seg);
}

static void load_task_ldt(Cpu *cpu, uint16_t sel, uint32_t ext)
{
    Descriptor d;
    uint32_t addr;
    if ((sel & ~3u) == 0) {
        cpu->ldtr = (Segment){ .sel = sel };
        return;
    }
    if ((sel & 4) || !desc_read(cpu, sel, &d, &addr))
        cpu_raise(cpu, EXC_TS, (sel & 0xFFFC) | ext, FAULT_TASK_LDT_BAD, sel, 0xFF, 0);
    uint16_t attr = desc_attr(d);
    if (attr_kind(attr) != 0x02 || !attr_present(attr))
        cpu_raise(cpu, EXC_TS, (sel & 0xFFFC) | ext, FAULT_TASK_LDT_BAD, sel, attr, 0);
    segment_from_desc(&cpu->ldtr, sel, d);
}

/* One selector of the new task, checked as the task switch checks it. */
static void load_task_segment(Cpu *cpu, int seg, uint16_t sel, uint32_t ext)
{
    Descriptor d;
    uint32_t addr;
    unsigned cpl = cpu->seg[SEG_CS].sel & 3u;
    if (seg == SEG_SS) {
        segment_check_stack(cpu, sel, cpl, EXC_TS, ext, &d, &addr);
    } else {
        if ((sel & ~3u) == 0) {
            if (seg == SEG_CS)
                task_seg_fault(cpu, EXC_TS, sel, 0, seg, ext);
            cpu->seg[seg] = (Segment){ .sel = sel };
            return;
        }
        if (!desc_read(cpu, sel, &d, &addr))
            task_seg_fault(cpu, EXC_TS, sel, 0, seg, ext);
        uint16_t attr = desc_attr(d);
        unsigned rpl = sel & 3u, dpl = attr_dpl(attr);
        bool ok;
        if (seg == SEG_CS)
            ok = attr_is_code(attr) && (attr_conforming(attr) ? dpl <= rpl : dpl == rpl);
        else
            ok = (attr_is_data(attr) || (attr_is_code(attr) && (attr & 2))) &&
                 (attr_conforming(attr) || dpl >= (cpl > rpl ? cpl : rpl));
        if (!ok)
            task_seg_fault(cpu, EXC_TS, sel, attr, seg, ext);
        if (!attr_present(attr))
            task_seg_fault(cpu, EXC_NP, sel, attr, seg, ext);
    }
    desc_set_accessed(cpu, addr, &d);
    segment_from_desc(&cpu->seg[seg], sel, d);
}

/* After the commit point: the LDT, then CS (which sets CPL), SS and the
 * data segments; a V86 task loads them as real-mode selectors. */
static void load_task_segments(Cpu *cpu, const TaskState *t, uint32_t ext)
{
    for (int i = 0; i < SEG_COUNT; i++)
        cpu->seg[i] = (Segment){ .sel = t->seg[i] };
    load_task_ldt(cpu, t->ldt, ext);
    if (cpu->eflags & EFLAGS_VM) {
        for (int i = 0; i < SEG_COUNT; i++)
            cpu_load_segment_real(cpu, i, t->seg[i]);
        return;
    }
    static const int order[] = { SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS };
    for (unsigned i = 0; i < SEG_COUNT; i++)
        load_task_segment(cpu, order[i], t->seg[order[i]], ext);
    if (cpu->eip > cpu->seg[SEG_CS].limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_JUMP_LIMIT, cpu->seg[SEG_CS].limit, cpu->eip, 0);
}

void task_switch(Cpu *cpu, uint16_t sel, TaskReason why, uint32_t return_eip, uint32_t ext)
{
    Descriptor d = check_new_tss(cpu, sel, why, ext);
    uint16_t attr = desc_attr(d);
    TaskState t;
    tss_read(cpu, desc_base(d), tss_is32(attr), &t);

    uint32_t old_flags = cpu_get_eflags(cpu);
    if (why == TASK_IRET)
        old_flags &= ~EFLAGS_NT;
    tss_save(cpu, return_eip, old_flags);
    if (why == TASK_JMP || why == TASK_IRET)
        tss_set_busy(cpu, cpu->tr.sel, false);
    if (why != TASK_IRET)
        tss_set_busy(cpu, sel, true);
    if (why == TASK_CALL || why == TASK_INT) {
        lin_write_system(cpu, desc_base(d), cpu->tr.sel, 2);    /* back link */
        t.eflags |= EFLAGS_NT;
    }

    /* Commit point. */
    d.hi |= 0x200;
    segment_from_desc(&cpu->tr, sel, d);
    bool paging = (cpu->cr0 & CR0_PG) && tss_is32(attr);
    cpu_set_control(cpu, cpu->cr0 | CR0_TS, paging ? t.cr3 : cpu->cr3, cpu->cr4, paging);
    cpu_set_eflags(cpu, t.eflags);
    for (unsigned i = 0; i < 8; i++)
        cpu->gpr[i] = t.gpr[i];
    cpu->eip = tss_is32(attr) ? t.eip : t.eip & 0xFFFF;
    cpu->insn_eip = cpu->eip;
    cpu_flush_fetch_cache(cpu);     /* the new task may run at another CPL */
    load_task_segments(cpu, &t, ext);
}

/* JMP/CALL to a TSS descriptor or a task gate (SDM vol. 2, JMP, "task switch"). */
void task_far(Cpu *cpu, uint16_t sel, Descriptor d, TaskReason why)
{
    uint16_t attr = desc_attr(d);
    unsigned cpl = cpu_cpl(cpu), rpl = sel & 3u;
    unsigned worst = cpl > rpl ? cpl : rpl;
    if (attr_dpl(attr) < worst)
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC,
                  attr_kind(attr) == 0x05 ? FAULT_GATE_PRIV : FAULT_TSS_PRIV, sel, attr_dpl(attr), worst);
    if (attr_kind(attr) == 0x05) {
        if (!attr_present(attr))
            cpu_raise(cpu, EXC_NP, sel & 0xFFFC, FAULT_GATE_NOT_PRESENT, sel, 0, 0);
        sel = (uint16_t)(d.lo >> 16);
    }
    task_switch(cpu, sel, why, cpu->eip, 0);
}
