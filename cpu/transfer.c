/* SPDX-License-Identifier: MIT */
/*
 * Far transfers in protected mode (SDM vol. 3, 5.8 and vol. 2, JMP, CALL,
 * RET, IRET): direct jumps and calls to conforming and non-conforming code,
 * call gates with the stack switch through the TSS and the parameter copy,
 * returns to the same and to outer privilege levels (which null the data
 * segment registers the outer level may not use), and IRET, including the
 * return to virtual-8086 mode.  Every check runs before the first register
 * changes, so a fault restarts the instruction.  Task switches (a JMP or
 * CALL to a TSS or task gate, IRET with NT set) are handed to task.c.
 */
#include "cpu_internal.h"

/* ---- stacks being built ---- */

static uint32_t frame_mask(const StackFrame *f)
{
    return (f->ss.attr & SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
}

static bool segment_fits(const Segment *s, uint32_t offset, unsigned size)
{
    uint64_t last = (uint64_t)offset + size - 1;
    if (attr_is_data(s->attr) && (s->attr & 4)) {
        uint64_t upper = (s->attr & SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFFu;
        return offset > s->limit && last <= upper;
    }
    return last <= s->limit;
}

void frame_reserve(Cpu *cpu, const StackFrame *f, unsigned bytes, uint32_t error_code)
{
    uint32_t mask = frame_mask(f);
    for (unsigned below = 2; below <= bytes; below += 2) {
        uint32_t offset = (f->esp - below) & mask;
        if (!segment_fits(&f->ss, offset, 2))
            cpu_raise(cpu, EXC_SS, error_code, FAULT_NEW_STACK_LIMIT, f->ss.sel, f->ss.limit, bytes);
    }
}

void frame_push(Cpu *cpu, StackFrame *f, unsigned size, uint32_t value)
{
    uint32_t mask = frame_mask(f);
    uint32_t sp = (f->esp - size) & mask;
    f->esp = (f->esp & ~mask) | sp;
    if (f->system)
        lin_write_system(cpu, f->ss.base + sp, value, size);
    else
        lin_write(cpu, f->ss.base + sp, value, size);
}

static StackFrame current_frame(const Cpu *cpu)
{
    return (StackFrame){ .ss = cpu->seg[SEG_SS], .esp = cpu->gpr[REG_ESP], .system = false };
}

void tss_stack_frame(Cpu *cpu, unsigned pl, uint32_t ext, StackFrame *f, uint32_t *desc_addr)
{
    const Segment *tr = &cpu->tr;
    unsigned kind = attr_kind(tr->attr);
    uint32_t error = (tr->sel & 0xFFFC) | ext;
    uint32_t esp, off;
    uint16_t ss;
    if (kind == 0x09 || kind == 0x0B) {
        off = 4 + pl * 8;
        if (off + 5 > tr->limit)
            cpu_raise(cpu, EXC_TS, error, FAULT_TSS_STACK_LIMIT, tr->limit, pl, 0);
        esp = lin_read_system(cpu, tr->base + off, 4);
        ss = (uint16_t)lin_read_system(cpu, tr->base + off + 4, 2);
    } else if (kind == 0x01 || kind == 0x03) {
        off = 2 + pl * 4;
        if (off + 3 > tr->limit)
            cpu_raise(cpu, EXC_TS, error, FAULT_TSS_STACK_LIMIT, tr->limit, pl, 0);
        esp = lin_read_system(cpu, tr->base + off, 2);
        ss = (uint16_t)lin_read_system(cpu, tr->base + off + 2, 2);
    } else {
        cpu_raise(cpu, EXC_TS, error, FAULT_TR_INVALID, tr->sel, 0, 0);
    }
    Descriptor d;
    segment_check_stack(cpu, ss, pl, EXC_TS, ext, &d, desc_addr);
    f->ss = (Segment){ 0 };
    segment_from_desc(&f->ss, ss, d);
    f->esp = esp;
    f->system = true;
}

/* Makes a built frame the stack: SS from its descriptor (accessed bit set). */
static void frame_commit_new(Cpu *cpu, const StackFrame *f, uint32_t desc_addr)
{
    Descriptor d = { lin_read_system(cpu, desc_addr, 4), lin_read_system(cpu, desc_addr + 4, 4) };
    desc_set_accessed(cpu, desc_addr, &d);
    cpu->seg[SEG_SS] = f->ss;
    cpu->gpr[REG_ESP] = f->esp;
}

/* ---- code segment checks ---- */

/* The far JMP/CALL checks of a code segment descriptor (SDM vol. 3, 5.8.2). */
static void check_direct_code(Cpu *cpu, uint16_t sel, uint16_t attr)
{
    unsigned cpl = cpu_cpl(cpu), dpl = attr_dpl(attr);
    if (attr_conforming(attr)) {
        if (dpl > cpl)
            cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_CS_CONFORMING_DPL, dpl, cpl, sel);
    } else if ((sel & 3u) > cpl || dpl != cpl) {
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_CS_NONCONFORMING, dpl, cpl, sel);
    }
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_NP, sel & 0xFFFC, FAULT_CS_NOT_PRESENT, sel, 0, 0);
}

static uint32_t checked_offset(Cpu *cpu, Descriptor d, uint32_t offset)
{
    uint32_t limit = desc_limit(d);
    if (offset > limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_JUMP_LIMIT, limit, offset, 0);
    return offset;
}

/* A call gate and its target code segment (SDM vol. 3, 5.8.4). */
typedef struct GateTarget {
    uint16_t sel;
    uint32_t offset;
    unsigned size;          /* 2 for a 286 gate, 4 for a 386 gate */
    unsigned params;
    Descriptor code;
    uint32_t code_addr;
} GateTarget;

static void check_call_gate(Cpu *cpu, uint16_t sel, Descriptor gate, GateTarget *t)
{
    unsigned cpl = cpu_cpl(cpu), rpl = sel & 3u;
    uint16_t attr = desc_attr(gate);
    unsigned worst = cpl > rpl ? cpl : rpl;
    if (attr_dpl(attr) < worst)
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_GATE_PRIV, sel, attr_dpl(attr), worst);
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_NP, sel & 0xFFFC, FAULT_GATE_NOT_PRESENT, sel, 0, 0);
    t->sel = (uint16_t)(gate.lo >> 16);
    t->size = (attr & 8) ? 4 : 2;
    t->offset = (gate.lo & 0xFFFF) | (t->size == 4 ? (gate.hi & 0xFFFF0000u) : 0);
    t->params = gate.hi & 0x1F;
    if ((t->sel & ~3u) == 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_GATE_TARGET_BAD, t->sel, 0, 0);
    desc_fetch(cpu, t->sel, &t->code, &t->code_addr, EXC_GP, 0);
    uint16_t cattr = desc_attr(t->code);
    if (!attr_is_code(cattr))
        cpu_raise(cpu, EXC_GP, t->sel & 0xFFFC, FAULT_GATE_TARGET_BAD, t->sel, attr_kind(cattr), 0);
    if (attr_dpl(cattr) > cpl)
        cpu_raise(cpu, EXC_GP, t->sel & 0xFFFC, FAULT_GATE_TARGET_DPL, attr_dpl(cattr), cpl, t->sel);
    if (!attr_present(cattr))
        cpu_raise(cpu, EXC_NP, t->sel & 0xFFFC, FAULT_CS_NOT_PRESENT, t->sel, 0, 0);
}

/* Reads the target descriptor of a far JMP/CALL; the null selector is #GP(0). */
static Descriptor far_target(Cpu *cpu, uint16_t sel, uint32_t *addr)
{
    Descriptor d;
    if ((sel & ~3u) == 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_FAR_NULL, sel, 0, 0);
    desc_fetch(cpu, sel, &d, addr, EXC_GP, 0);
    return d;
}

static noreturn void bad_far_type(Cpu *cpu, uint16_t sel, uint16_t attr)
{
    /* A busy TSS (types 3 and 11) is the running task or one on its
     * back-link chain: tasks are not reentrant (SDM vol. 3, 7.3). */
    unsigned kind = attr_kind(attr);
    if (kind == 0x03 || kind == 0x0B)
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_FAR_BUSY_TSS, sel, kind, 0);
    cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_FAR_BAD_TYPE, sel, kind, 0);
}

/* A task gate or an available TSS: the far transfer is a task switch. */
static bool is_task_target(uint16_t attr)
{
    unsigned kind = attr_kind(attr);
    return kind == 0x05 || kind == 0x01 || kind == 0x09;
}

/* ---- JMP ---- */

void pm_jump_far(Cpu *cpu, uint16_t sel, uint32_t offset, unsigned opsize)
{
    uint32_t addr;
    Descriptor d = far_target(cpu, sel, &addr);
    uint16_t attr = desc_attr(d);
    unsigned cpl = cpu_cpl(cpu);
    if (attr_is_code(attr)) {
        check_direct_code(cpu, sel, attr);
        offset = checked_offset(cpu, d, opsize == 2 ? offset & 0xFFFF : offset);
        segment_load_cs(cpu, sel, d, addr, cpl);
        cpu->eip = offset;
        return;
    }
    if (is_task_target(attr)) {
        task_far(cpu, sel, d, TASK_JMP);
        return;
    }
    if (attr_kind(attr) != 0x04 && attr_kind(attr) != 0x0C)
        bad_far_type(cpu, sel, attr);
    GateTarget t;
    check_call_gate(cpu, sel, d, &t);
    uint16_t cattr = desc_attr(t.code);
    if (!attr_conforming(cattr) && attr_dpl(cattr) != cpl)
        cpu_raise(cpu, EXC_GP, t.sel & 0xFFFC, FAULT_JMP_GATE_DPL, attr_dpl(cattr), cpl, t.sel);
    offset = checked_offset(cpu, t.code, t.offset);
    segment_load_cs(cpu, t.sel, t.code, t.code_addr, cpl);
    cpu->eip = offset;
}

/* ---- CALL ---- */

/* CALL through a gate to a more privileged non-conforming segment: the new
 * stack gets the old SS:eSP, the copied parameters and the return address. */
static void call_gate_inner(Cpu *cpu, const GateTarget *t)
{
    unsigned dpl = attr_dpl(desc_attr(t->code)), size = t->size;
    StackFrame f;
    uint32_t ss_addr;
    tss_stack_frame(cpu, dpl, 0, &f, &ss_addr);
    frame_reserve(cpu, &f, size * (4 + t->params), f.ss.sel & 0xFFFC);
    uint32_t offset = checked_offset(cpu, t->code, t->offset);
    uint32_t params[32];
    uint32_t old_sp = stack_pointer(cpu);
    for (unsigned i = 0; i < t->params; i++)
        params[i] = mem_read(cpu, SEG_SS, (old_sp + i * size) & stack_mask(cpu), size);
    frame_push(cpu, &f, size, cpu->seg[SEG_SS].sel);
    frame_push(cpu, &f, size, cpu->gpr[REG_ESP]);
    for (unsigned i = t->params; i-- > 0;)
        frame_push(cpu, &f, size, params[i]);
    frame_push(cpu, &f, size, cpu->seg[SEG_CS].sel);
    frame_push(cpu, &f, size, cpu->eip);
    frame_commit_new(cpu, &f, ss_addr);
    segment_load_cs(cpu, t->sel, t->code, t->code_addr, dpl);
    cpu->eip = offset;
}

/* Pushes CS:eIP on the current stack and jumps (same privilege level). */
static void call_same_level(Cpu *cpu, unsigned size, uint16_t sel, Descriptor code,
                            uint32_t addr, uint32_t offset)
{
    StackFrame f = current_frame(cpu);
    frame_reserve(cpu, &f, 2 * size, 0);
    offset = checked_offset(cpu, code, offset);
    frame_push(cpu, &f, size, cpu->seg[SEG_CS].sel);
    frame_push(cpu, &f, size, cpu->eip);
    cpu->gpr[REG_ESP] = f.esp;
    segment_load_cs(cpu, sel, code, addr, cpu_cpl(cpu));
    cpu->eip = offset;
}

void pm_call_far(Cpu *cpu, uint16_t sel, uint32_t offset, unsigned opsize)
{
    uint32_t addr;
    Descriptor d = far_target(cpu, sel, &addr);
    uint16_t attr = desc_attr(d);
    if (attr_is_code(attr)) {
        check_direct_code(cpu, sel, attr);
        call_same_level(cpu, opsize, sel, d, addr, opsize == 2 ? offset & 0xFFFF : offset);
        return;
    }
    if (is_task_target(attr)) {
        task_far(cpu, sel, d, TASK_CALL);
        return;
    }
    if (attr_kind(attr) != 0x04 && attr_kind(attr) != 0x0C)
        bad_far_type(cpu, sel, attr);
    GateTarget t;
    check_call_gate(cpu, sel, d, &t);
    uint16_t cattr = desc_attr(t.code);
    if (!attr_conforming(cattr) && attr_dpl(cattr) < cpu_cpl(cpu))
        call_gate_inner(cpu, &t);
    else
        call_same_level(cpu, t.size, t.sel, t.code, t.code_addr, t.offset);
}

/* ---- RET and IRET ---- */

/* The checks of the code segment a RET or IRET returns to (SDM vol. 2, RET). */
static Descriptor check_return_cs(Cpu *cpu, uint16_t sel, uint32_t *addr)
{
    unsigned cpl = cpu_cpl(cpu), rpl = sel & 3u;
    if ((sel & ~3u) == 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_FAR_NULL, sel, 0, 0);
    Descriptor d;
    desc_fetch(cpu, sel, &d, addr, EXC_GP, 0);
    uint16_t attr = desc_attr(d);
    if (rpl < cpl)
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_RET_RPL, sel, rpl, cpl);
    if (!attr_is_code(attr))
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_FAR_BAD_TYPE, sel, attr_kind(attr), 0);
    if (attr_conforming(attr) ? attr_dpl(attr) > rpl : attr_dpl(attr) != rpl)
        cpu_raise(cpu, EXC_GP, sel & 0xFFFC, FAULT_RET_CS_PRIV, sel, attr_dpl(attr), rpl);
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_NP, sel & 0xFFFC, FAULT_CS_NOT_PRESENT, sel, 0, 0);
    return d;
}

/* The outer stack of a return to privilege level rpl, read at `at` above the top. */
static void outer_stack(Cpu *cpu, unsigned size, uint32_t at, unsigned rpl, StackFrame *f,
                        uint32_t *ss_addr)
{
    uint32_t esp = stack_peek(cpu, at, size);
    uint16_t ss = (uint16_t)stack_peek(cpu, at + size, size);
    Descriptor d;
    segment_check_stack(cpu, ss, rpl, EXC_GP, 0, &d, ss_addr);
    f->ss = (Segment){ 0 };
    segment_from_desc(&f->ss, ss, d);
    f->esp = (f->ss.attr & SEG_ATTR_DB) ? esp : (cpu->gpr[REG_ESP] & 0xFFFF0000u) | (esp & 0xFFFF);
    f->system = false;
}

void pm_return_far(Cpu *cpu, unsigned opsize, uint32_t extra)
{
    uint32_t offset = stack_peek(cpu, 0, opsize);
    uint16_t sel = (uint16_t)stack_peek(cpu, opsize, opsize);
    uint32_t addr;
    Descriptor d = check_return_cs(cpu, sel, &addr);
    unsigned rpl = sel & 3u;
    offset = checked_offset(cpu, d, opsize == 2 ? offset & 0xFFFF : offset);
    if (rpl == cpu_cpl(cpu)) {
        stack_pointer_set(cpu, (stack_pointer(cpu) + 2 * opsize + extra) & stack_mask(cpu));
        segment_load_cs(cpu, sel, d, addr, rpl);
        cpu->eip = offset;
        return;
    }
    StackFrame f;
    uint32_t ss_addr;
    outer_stack(cpu, opsize, 2 * opsize + extra, rpl, &f, &ss_addr);
    segment_load_cs(cpu, sel, d, addr, rpl);
    cpu->eip = offset;
    frame_commit_new(cpu, &f, ss_addr);
    stack_pointer_set(cpu, (stack_pointer(cpu) + extra) & stack_mask(cpu));
    segment_invalidate_outer(cpu);
}

/* The EFLAGS bits an IRET at the current CPL may change (SDM vol. 2, IRET). */
static uint32_t iret_writable(Cpu *cpu, unsigned opsize)
{
    uint32_t mask = cpu->model->eflags_writable & ~EFLAGS_VM;
    if (cpu_cpl(cpu) > 0)
        mask &= ~(EFLAGS_IOPL | EFLAGS_VIF | EFLAGS_VIP);
    if (cpu_cpl(cpu) > cpu_iopl(cpu))
        mask &= ~EFLAGS_IF;
    return opsize == 2 ? mask & 0xFFFF : mask;
}

/* IRET from CPL 0 with VM set in the image: the frame holds EIP, CS,
 * EFLAGS, ESP, SS, ES, DS, FS, GS (SDM vol. 3, 20.2.1). */
static void iret_to_v86(Cpu *cpu, uint32_t flags)
{
    uint32_t v[9];
    for (unsigned i = 0; i < 9; i++)
        v[i] = stack_peek(cpu, i * 4, 4);
    uint32_t writable = cpu->model->eflags_writable | EFLAGS_VM;
    cpu_set_eflags(cpu, (cpu_get_eflags(cpu) & ~writable) | (flags & writable));
    static const int order[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
    for (unsigned i = 0; i < 4; i++)
        cpu_load_segment_real(cpu, order[i], (uint16_t)v[5 + i]);
    cpu_load_segment_real(cpu, SEG_SS, (uint16_t)v[4]);
    cpu_load_segment_real(cpu, SEG_CS, (uint16_t)v[1]);
    cpu->gpr[REG_ESP] = v[3];
    cpu->eip = v[0] & 0xFFFF;
}

void pm_iret(Cpu *cpu, unsigned opsize)
{
    if (cpu->eflags & EFLAGS_NT) {
        /* Return to the task named by the back link (SDM vol. 3, 7.3). */
        uint16_t link = (uint16_t)lin_read_system(cpu, cpu->tr.base, 2);
        task_switch(cpu, link, TASK_IRET, cpu->eip, 0);
        return;
    }
    uint32_t offset = stack_peek(cpu, 0, opsize);
    uint16_t sel = (uint16_t)stack_peek(cpu, opsize, opsize);
    uint32_t flags = stack_peek(cpu, 2 * opsize, opsize);
    if (opsize == 4 && (flags & EFLAGS_VM) && cpu_cpl(cpu) == 0) {
        iret_to_v86(cpu, flags);
        return;
    }
    uint32_t addr;
    Descriptor d = check_return_cs(cpu, sel, &addr);
    unsigned rpl = sel & 3u;
    offset = checked_offset(cpu, d, opsize == 2 ? offset & 0xFFFF : offset);
    uint32_t mask = iret_writable(cpu, opsize);
    uint32_t new_flags = (cpu_get_eflags(cpu) & ~mask) | (flags & mask);
    if (rpl == cpu_cpl(cpu)) {
        stack_pointer_set(cpu, (stack_pointer(cpu) + 3 * opsize) & stack_mask(cpu));
        segment_load_cs(cpu, sel, d, addr, rpl);
        cpu->eip = offset;
        cpu_set_eflags(cpu, new_flags);
        return;
    }
    StackFrame f;
    uint32_t ss_addr;
    outer_stack(cpu, opsize, 3 * opsize, rpl, &f, &ss_addr);
    segment_load_cs(cpu, sel, d, addr, rpl);
    cpu->eip = offset;
    cpu_set_eflags(cpu, new_flags);
    frame_commit_new(cpu, &f, ss_addr);
    segment_invalidate_outer(cpu);
}
