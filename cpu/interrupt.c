/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception delivery in protected mode (SDM vol. 3, 6.10-6.13
 * and 20.3): the IDT gate checks with their error codes (IDT bit 1 set,
 * EXT bit 0 set for events outside the program), interrupt and trap gates
 * of 16 and 32 bits, the stack switch through the TSS for a more
 * privileged handler, the extra frame and segment nulling when the event
 * leaves virtual-8086 mode; the I/O permission bitmap of the TSS (SDM
 * vol. 1, 19.5) and, below it, the software interrupt redirection bitmap
 * of CR4.VME (SDM vol. 3, 20.3.3).  Task gates hand over to task.c.
 */
#include "cpu_internal.h"

/* Error code naming an IDT entry: index, IDT bit, EXT. */
static uint32_t idt_error(unsigned vector, uint32_t ext)
{
    return vector * 8 + 2 + ext;
}

/* Reads and checks the gate of `vector`; returns its kind (6, 7, 0xE, 0xF). */
static unsigned read_gate(Cpu *cpu, unsigned vector, bool software, uint32_t ext, Descriptor *g)
{
    if (vector * 8 + 7 > cpu->idtr.limit)
        cpu_raise(cpu, EXC_GP, idt_error(vector, ext), FAULT_IDT_LIMIT, vector, cpu->idtr.limit, 0);
    uint32_t at = cpu->idtr.base + vector * 8;
    g->lo = lin_read_system(cpu, at, 4);
    g->hi = lin_read_system(cpu, at + 4, 4);
    uint16_t attr = desc_attr(*g);
    unsigned kind = attr_kind(attr);
    if (kind != 0x05 && kind != 0x06 && kind != 0x07 && kind != 0x0E && kind != 0x0F)
        cpu_raise(cpu, EXC_GP, idt_error(vector, ext), FAULT_IDT_BAD_GATE, vector, kind, 0);
    if (software && attr_dpl(attr) < cpu_cpl(cpu))
        cpu_raise(cpu, EXC_GP, idt_error(vector, 0), FAULT_INT_GATE_DPL, vector, attr_dpl(attr),
                  cpu_cpl(cpu));
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_NP, idt_error(vector, ext), FAULT_IDT_NOT_PRESENT, vector, 0, 0);
    return kind;
}

/* The gate's target code segment: present code with DPL <= CPL. */
static void read_target(Cpu *cpu, uint16_t sel, uint32_t ext, Descriptor *d, uint32_t *addr)
{
    unsigned cpl = cpu_cpl(cpu);
    if ((sel & ~3u) == 0)
        cpu_raise(cpu, EXC_GP, ext, FAULT_INT_TARGET_BAD, sel, cpl, 0);
    desc_fetch(cpu, sel, d, addr, EXC_GP, ext);
    uint16_t attr = desc_attr(*d);
    if (!attr_is_code(attr) || attr_dpl(attr) > cpl)
        cpu_raise(cpu, EXC_GP, (sel & 0xFFFC) | ext, FAULT_INT_TARGET_BAD, sel, cpl, attr);
    if (!attr_present(attr))
        cpu_raise(cpu, EXC_NP, (sel & 0xFFFC) | ext, FAULT_CS_NOT_PRESENT, sel, 0, 0);
}

/* What an event pushes (SDM vol. 3, figures 6-4 and 20-2). */
typedef struct EventFrame {
    unsigned size;          /* 2 for a 286 gate, 4 for a 386 gate */
    bool inner, v86;
    uint32_t return_eip;
    bool has_error;
    uint32_t error_code;
    uint32_t ext;
} EventFrame;

/* Checks the room (#SS) and writes the frame; registers are not touched. */
static void push_event_frame(Cpu *cpu, StackFrame *f, const EventFrame *e)
{
    unsigned slots = 3 + (e->has_error ? 1 : 0);
    if (e->inner) {
        slots += 2 + (e->v86 ? 4 : 0);
        frame_reserve(cpu, f, slots * e->size, (f->ss.sel & 0xFFFC) | e->ext);
        if (e->v86) {
            frame_push(cpu, f, e->size, cpu->seg[SEG_GS].sel);
            frame_push(cpu, f, e->size, cpu->seg[SEG_FS].sel);
            frame_push(cpu, f, e->size, cpu->seg[SEG_DS].sel);
            frame_push(cpu, f, e->size, cpu->seg[SEG_ES].sel);
        }
        frame_push(cpu, f, e->size, cpu->seg[SEG_SS].sel);
        frame_push(cpu, f, e->size, cpu->gpr[REG_ESP]);
    } else {
        frame_reserve(cpu, f, slots * e->size, e->ext);
    }
    frame_push(cpu, f, e->size, cpu_get_eflags(cpu));
    frame_push(cpu, f, e->size, cpu->seg[SEG_CS].sel);
    frame_push(cpu, f, e->size, e->return_eip);
    if (e->has_error)
        frame_push(cpu, f, e->size, e->error_code);
}

void pm_deliver(Cpu *cpu, unsigned vector, uint32_t return_eip, bool software, bool has_error,
                uint32_t error_code)
{
    uint32_t ext = software ? 0 : 1;
    Descriptor gate, code;
    uint32_t code_addr, ss_addr = 0;
    unsigned kind = read_gate(cpu, vector, software, ext, &gate);
    uint16_t sel = (uint16_t)(gate.lo >> 16);
    if (kind == 0x05) {
        /* A task gate: the handler is a task; the error code goes on its stack. */
        task_switch(cpu, sel, TASK_INT, return_eip, ext);
        if (has_error)
            stack_push(cpu, (cpu->tr.attr & 8) ? 4 : 2, error_code);
        return;
    }
    unsigned size = (kind & 8) ? 4 : 2;
    uint32_t offset = (gate.lo & 0xFFFF) | (size == 4 ? (gate.hi & 0xFFFF0000u) : 0);
    read_target(cpu, sel, ext, &code, &code_addr);
    uint16_t cattr = desc_attr(code);
    unsigned cpl = cpu_cpl(cpu), dpl = attr_dpl(cattr);
    bool v86 = cpu_v86_mode(cpu);
    bool inner = !attr_conforming(cattr) && dpl < cpl;
    if (v86 && (!inner || dpl != 0))
        cpu_raise(cpu, EXC_GP, (sel & 0xFFFC) | ext, FAULT_V86_INT_TARGET, sel, dpl, 0);
    unsigned new_cpl = inner ? dpl : cpl;
    if (offset > desc_limit(code))
        cpu_raise(cpu, EXC_GP, ext, FAULT_JUMP_LIMIT, desc_limit(code), offset, 0);

    StackFrame f = { .ss = cpu->seg[SEG_SS], .esp = cpu->gpr[REG_ESP], .system = false };
    EventFrame e = { .size = size, .inner = inner, .v86 = v86, .return_eip = return_eip,
                     .has_error = has_error, .error_code = error_code, .ext = ext };
    if (inner)
        tss_stack_frame(cpu, dpl, ext, &f, &ss_addr);
    push_event_frame(cpu, &f, &e);

    /* Commit: nothing below can fault. */
    if (inner) {
        Descriptor sd = { lin_read_system(cpu, ss_addr, 4), lin_read_system(cpu, ss_addr + 4, 4) };
        desc_set_accessed(cpu, ss_addr, &sd);
        cpu->seg[SEG_SS] = f.ss;
    }
    cpu->gpr[REG_ESP] = f.esp;
    if (v86) {
        static const int segs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
        for (unsigned i = 0; i < 4; i++)
            cpu->seg[segs[i]] = (Segment){ 0 };
    }
    segment_load_cs(cpu, sel, code, code_addr, new_cpl);
    cpu->eip = offset;
    uint32_t clear = EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM;
    if (!(kind & 1))
        clear |= EFLAGS_IF;     /* an interrupt gate, not a trap gate */
    cpu->eflags &= ~clear;
}

/* The offset of the I/O permission bitmap in the current TSS (the word at
 * 0x66), or false when TR holds no 32-bit TSS long enough to name one. */
static bool tss_io_base(Cpu *cpu, uint32_t *base)
{
    unsigned kind = attr_kind(cpu->tr.attr);
    if ((kind != 0x09 && kind != 0x0B) || cpu->tr.limit < 0x67)
        return false;
    *base = lin_read_system(cpu, cpu->tr.base + 0x66, 2);
    return true;
}

/*
 * The I/O permission bitmap (SDM vol. 1, 19.5.2): a 32-bit TSS holds its
 * offset at 0x66; every bit of the accessed ports must be clear and lie
 * within the TSS limit.  A 16-bit TSS has no bitmap.
 */
void pm_check_io(Cpu *cpu, uint16_t port, unsigned size)
{
    const Segment *tr = &cpu->tr;
    uint32_t base;
    if (tss_io_base(cpu, &base)) {
        uint32_t at = base + port / 8;
        if (at + 1 <= tr->limit) {
            uint32_t bits = lin_read_system(cpu, tr->base + at, 2);
            uint32_t mask = ((1u << size) - 1) << (port & 7);
            if (!(bits & mask))
                return;
        }
    }
    cpu_raise(cpu, EXC_GP, 0, FAULT_IO_BITMAP, port, size, cpu_cpl(cpu));
}

/*
 * The software interrupt redirection bitmap (SDM vol. 3, 20.3.3): 32 bytes,
 * one bit per vector, just below the I/O permission bitmap of a 32-bit TSS.
 * A clear bit sends INT n from a V86 task under CR4.VME to the task's own
 * interrupt vector table; a set bit to the IDT as before.  A bitmap the TSS
 * cannot hold is #GP(0).
 *
 *   TSS:  ... | redirection bitmap (32 bytes) | I/O bitmap ... | FFh
 *                                             ^ I/O map base (word at 66h)
 */
bool v86_int_redirected(Cpu *cpu, unsigned vector)
{
    uint32_t base = 0;
    bool ok = tss_io_base(cpu, &base);
    uint32_t at = base - 32 + vector / 8;
    if (!ok || base < 32 || at > cpu->tr.limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_INT_REDIRECT_TSS, vector, cpu->tr.limit, at);
    uint32_t bits = lin_read_system(cpu, cpu->tr.base + at, 1);
    return !(bits & (1u << (vector & 7)));
}

/*
 * A redirected INT n (SDM vol. 3, table 20-2, methods 5 and 6): real-mode
 * delivery inside the V86 task, through its IVT at linear address 0 with
 * the task's rights.  At IOPL 3 the frame holds FLAGS and IF is cleared; at
 * IOPL < 3 it holds the VIF-as-IF image (IOPL 3) and VIF is cleared.
 */
void v86_redirect_interrupt(Cpu *cpu, unsigned vector)
{
    bool virtual_if = cpu_iopl(cpu) < 3;
    uint16_t flags = virtual_if ? vme_flags_image(cpu) : (uint16_t)cpu_get_eflags(cpu);
    cpu_vector_through_ivt(cpu, 0, vector, flags, cpu->eip,
                           (virtual_if ? EFLAGS_VIF : EFLAGS_IF) | EFLAGS_TF | EFLAGS_RF);
}
