/* SPDX-License-Identifier: MIT */
/*
 * The run loop and exception delivery.  One setjmp per cpu_run(): a fault
 * raised anywhere in an instruction longjmps back here, EIP returns to the
 * start of the instruction (every handler commits only after its last check,
 * so the instruction restarts cleanly), and the exception is delivered.  A
 * fault during delivery becomes #DF, and a fault while delivering #DF shuts
 * the CPU down (SDM vol. 3, 6.15, "Interrupt 8").  External interrupts and
 * NMI are sampled between instructions, after the STI / MOV SS shadow.
 * Real-mode delivery goes through the IVT (SDM vol. 3, 20.1.4), protected
 * and V86 mode through the IDT (interrupt.c).  A benign pair of exceptions
 * is delivered serially; a contributory pair, or #PF then #PF or a
 * contributory fault, is #DF (SDM vol. 3, tables 6-4 and 6-5).
 */
#include "cpu_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const exception_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MP", "#TS", "#NP",
    "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
};

static const char *const fault_rule_texts[] = {
#define X(id, text) text,
#include "fault_rules.def"
#undef X
};

const char *cpu_exception_name(unsigned vector)
{
    if (vector < 32 && exception_names[vector])
        return exception_names[vector];
    return "INT";
}

const char *cpu_fault_rule_text(int rule)
{
    if (rule < 0 || rule >= FAULT_RULE_COUNT)
        return "unknown rule";
    return fault_rule_texts[rule];
}

void cpu_log_once(Cpu *cpu, const char *message)
{
    size_t n = sizeof(cpu->logged) / sizeof(cpu->logged[0]);
    for (size_t i = 0; i < n; i++) {
        if (cpu->logged[i] == message)
            return;
        if (!cpu->logged[i]) {
            cpu->logged[i] = message;
            if (cpu->log)
                cpu->log(cpu->log_opaque, message);
            return;
        }
    }
}

bool cpu_debug_attach(Cpu *cpu, const CpuDebugHooks *hooks)
{
    if (cpu->debug_count == CPU_DEBUG_CLIENTS)
        return false;
    cpu->debug[cpu->debug_count++] = hooks;
    return true;
}

void cpu_debug_detach(Cpu *cpu, const CpuDebugHooks *hooks)
{
    for (unsigned i = 0; i < cpu->debug_count; i++) {
        if (cpu->debug[i] == hooks) {
            cpu->debug[i] = cpu->debug[--cpu->debug_count];
            cpu->debug[cpu->debug_count] = NULL;
            return;
        }
    }
}

/* ---- debug clients: each hook asked in turn; any one may stop the run ---- */

static bool debug_before_insn(Cpu *cpu)
{
    bool stop = false;
    for (unsigned i = 0; i < cpu->debug_count; i++)
        if (cpu->debug[i]->before_insn)
            stop |= cpu->debug[i]->before_insn(cpu->debug[i]->ctx, cpu);
    return stop;
}

static bool debug_exception(Cpu *cpu)
{
    bool stop = false;
    for (unsigned i = 0; i < cpu->debug_count; i++)
        if (cpu->debug[i]->exception)
            stop |= cpu->debug[i]->exception(cpu->debug[i]->ctx, cpu, &cpu->last_fault);
    return stop;
}

static void debug_interrupt(Cpu *cpu, unsigned vector, CpuInterruptKind kind)
{
    for (unsigned i = 0; i < cpu->debug_count; i++)
        if (cpu->debug[i]->interrupt)
            cpu->debug[i]->interrupt(cpu->debug[i]->ctx, cpu, vector, kind);
}

void cpu_debug_data_access(Cpu *cpu, uint32_t lin, unsigned size, bool write)
{
    for (unsigned i = 0; i < cpu->debug_count; i++)
        if (cpu->debug[i]->data_access)
            cpu->debug[i]->data_access(cpu->debug[i]->ctx, cpu, lin, size, write);
}

static void debug_port_access(Cpu *cpu, uint16_t port, unsigned size, bool write)
{
    for (unsigned i = 0; i < cpu->debug_count; i++)
        if (cpu->debug[i]->port_access)
            cpu->debug[i]->port_access(cpu->debug[i]->ctx, cpu, port, size, write);
}

void cpu_init(Cpu *cpu, const CpuModel *model, PhysMem *mem, IoSpace *io)
{
    memset(cpu, 0, sizeof(*cpu));
    cpu->model = model;
    cpu->mem = mem;
    cpu->io = io;
    cpu->a20_mask = 0xFFFFFFFFu;
    cpu_flush_fetch_cache(cpu);
    cpu_reset(cpu);
}

static void segment_reset(Segment *s, uint16_t sel, uint32_t base, uint16_t attr)
{
    *s = (Segment){ .sel = sel, .base = base, .limit = 0xFFFF, .attr = attr };
}

void cpu_reset(Cpu *cpu)
{
    memset(cpu->gpr, 0, sizeof(cpu->gpr));
    cpu->gpr[REG_EDX] = cpu->model->cpuid_signature;
    cpu->eip = 0xFFF0;
    cpu->eflags = EFLAGS_FIXED1;
    cpu->lazy.op = FLAG_OP_NONE;
    /* Present, accessed read/write data; CS present accessed execute/read code. */
    for (int i = 0; i < SEG_COUNT; i++)
        segment_reset(&cpu->seg[i], 0, 0, 0x93);
    segment_reset(&cpu->seg[SEG_CS], 0xF000, 0xFFFF0000u, 0x9B);
    cpu->gdtr = (TableRegister){ 0, 0xFFFF };
    cpu->idtr = (TableRegister){ 0, 0x3FF };
    segment_reset(&cpu->ldtr, 0, 0, 0x82);
    segment_reset(&cpu->tr, 0, 0, 0x8B);
    cpu->cr0 = (cpu_has(cpu, FEAT_486) ? CR0_CD | CR0_NW : 0) | (cpu_et_hardwired(cpu) ? CR0_ET : 0);
    cpu->cr2 = cpu->cr3 = cpu->cr4 = 0;
    cpu->efer = 0;
    cpu->sysenter_cs = cpu->sysenter_esp = cpu->sysenter_eip = 0;
    memset(cpu->pdpte, 0, sizeof(cpu->pdpte));
    cpu_tlb_flush_all(cpu);
    memset(cpu->dr, 0, sizeof(cpu->dr));
    cpu->dr[6] = 0xFFFF0FF0u;
    cpu->dr[7] = 0x00000400u;
    fpu_reset_state(&cpu->fpu);
    irq_set_level(cpu->ferr, 0);
    cpu->halted = cpu->shutdown = false;
    cpu->nmi_pending = false;
    cpu->nmi_blocked = false;
    cpu->irq_shadow = 0;
    cpu->rep_unfinished = false;
    cpu->fault_depth = 0;
    cpu->shutdown_reason = NULL;
    cpu->last_fault = (FaultRecord){ 0 };
    cpu->first_fault = (FaultRecord){ 0 };
}

void cpu_set_a20(Cpu *cpu, bool enabled)
{
    /* Cached translations depend on this mask: flush them. */
    cpu->a20_mask = enabled ? 0xFFFFFFFFu : ~(1u << 20);
    cpu_tlb_flush_all(cpu);
}

void cpu_load_segment_real(Cpu *cpu, int seg, uint16_t sel)
{
    Segment *s = &cpu->seg[seg];
    s->sel = sel;
    s->base = (uint32_t)sel << 4;
    if (cpu_v86_mode(cpu)) {
        /* V86 loads also reset the cache to a 64 KiB DPL-3 data segment. */
        s->limit = 0xFFFF;
        s->attr = seg == SEG_CS ? 0xFB : 0xF3;
        if (seg == SEG_CS)
            cpu_flush_fetch_cache(cpu);     /* now at CPL 3: see segment_load_cs */
    } else {
        /* Real mode keeps the limit and the D/B and G bits (so "unreal" mode
         * works) but makes the segment a present DPL-0 one again, so a null
         * or ring-3 cache left by protected mode cannot survive the load. */
        s->attr = (uint16_t)((s->attr & (SEG_ATTR_DB | SEG_ATTR_G)) | (seg == SEG_CS ? 0x9B : 0x93));
    }
}

noreturn void cpu_shutdown(Cpu *cpu, const char *why)
{
    cpu->shutdown = true;
    cpu->shutdown_reason = why;
    cpu->fault_depth = 0;
    longjmp(*cpu->fault_env, 2);
}

/* Exception classes of SDM vol. 3, table 6-4. */
enum { CLASS_BENIGN, CLASS_CONTRIBUTORY, CLASS_PAGE_FAULT };

static int exception_class(unsigned vector)
{
    if (vector == EXC_DE || (vector >= EXC_TS && vector <= EXC_GP))
        return CLASS_CONTRIBUTORY;
    return vector == EXC_PF ? CLASS_PAGE_FAULT : CLASS_BENIGN;
}

/* Table 6-5: which second exception, during delivery of the first, is #DF.
 * An external interrupt (recorded with FAULT_EXTERNAL) is benign whatever
 * its vector: IRQ 5 of a real-mode PC arrives as vector 13. */
static bool double_fault(const FaultRecord *first, unsigned second)
{
    if (first->rule == FAULT_EXTERNAL)
        return false;
    int a = exception_class(first->vector), b = exception_class(second);
    if (a == CLASS_CONTRIBUTORY)
        return b == CLASS_CONTRIBUTORY;
    if (a == CLASS_PAGE_FAULT)
        return b != CLASS_BENIGN;
    return false;
}

/* Appends a fault to the chain the shutdown report prints. */
static void chain_fault(Cpu *cpu, const FaultRecord *rec)
{
    if (cpu->fault_chain_len < CPU_FAULT_CHAIN)
        cpu->fault_chain[cpu->fault_chain_len++] = *rec;
}

void cpu_describe_fault(const FaultRecord *f, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s", cpu_exception_name(f->vector));
    if (f->has_error_code && n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, "(%04x)", f->error_code);
    if (n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, " at %04x:%08x: ", f->cs, f->eip);
    /* The sentence, with %1..%3 standing for the evidence in detail[] and
     * %N1..%N3 for the name of an exception vector held there. */
    for (const char *t = cpu_fault_rule_text(f->rule); *t && n >= 0 && (size_t)n + 1 < len; t++) {
        if (t[0] == '%' && t[1] >= '1' && t[1] <= '3') {
            n += snprintf(buf + n, len - (size_t)n, "%x", f->detail[t[1] - '1']);
            t++;
        } else if (t[0] == '%' && t[1] == 'N' && t[2] >= '1' && t[2] <= '3') {
            n += snprintf(buf + n, len - (size_t)n, "%s", cpu_exception_name(f->detail[t[2] - '1']));
            t += 2;
        } else {
            buf[n++] = *t;
            buf[n] = '\0';
        }
    }
}

noreturn void cpu_raise(Cpu *cpu, unsigned vector, uint32_t error_code, FaultRule rule,
                        uint32_t d0, uint32_t d1, uint32_t d2)
{
    FaultRecord rec = {
        .vector = (uint8_t)vector,
        .has_error_code = error_code != NO_ERROR_CODE,
        .error_code = error_code == NO_ERROR_CODE ? 0 : error_code,
        .rule = rule,
        .detail = { d0, d1, d2 },
        .cs = cpu->seg[SEG_CS].sel,
        .eip = cpu->insn_eip,
    };
    if (cpu->fault_depth == 0)
        cpu->fault_chain_len = 0;
    chain_fault(cpu, &rec);
    if (cpu->fault_depth == 0 || (cpu->fault_depth == 1 && !double_fault(&cpu->first_fault, vector))) {
        /* A benign pair is delivered one after the other (SDM vol. 3, table 6-5). */
        cpu->first_fault = rec;
    } else if (cpu->fault_depth == 1) {
        /* A fault while delivering another becomes a double fault. */
        rec = (FaultRecord){ .vector = EXC_DF, .has_error_code = true, .error_code = 0,
                             .rule = FAULT_DOUBLE, .detail = { vector, cpu->first_fault.vector, 0 },
                             .cs = rec.cs, .eip = rec.eip };
        chain_fault(cpu, &rec);
    } else {
        cpu->last_fault = rec;
        cpu_shutdown(cpu, "triple fault: an exception occurred while delivering a double fault");
    }
    cpu->last_fault = rec;
    longjmp(*cpu->fault_env, 1);
}

/*
 * The real-mode interrupt frame: check the room for 6 bytes, read CS:IP from
 * the vector table at ivt_base, push the FLAGS image, CS and IP, clear
 * clear_flags and jump.  Real-mode delivery and VME's redirected V86
 * interrupts (interrupt.c) both use it.
 */
void cpu_vector_through_ivt(Cpu *cpu, uint32_t ivt_base, unsigned vector, uint16_t flags_image,
                            uint32_t return_eip, uint32_t clear_flags)
{
    uint32_t sp = stack_pointer(cpu);
    for (unsigned slot = 2; slot <= 6; slot += 2)
        mem_check_write(cpu, SEG_SS, (sp - slot) & (cpu_stack32(cpu) ? ~0u : 0xFFFF), 2);
    uint16_t ip = (uint16_t)lin_read(cpu, ivt_base + vector * 4, 2);
    uint16_t cs = (uint16_t)lin_read(cpu, ivt_base + vector * 4 + 2, 2);
    stack_push(cpu, 2, flags_image);
    stack_push(cpu, 2, cpu->seg[SEG_CS].sel);
    stack_push(cpu, 2, return_eip & 0xFFFF);
    cpu->eflags &= ~clear_flags;
    cpu_load_segment_real(cpu, SEG_CS, cs);
    cpu->eip = ip;
}

/* Real-mode delivery (SDM vol. 3, 20.1.4): the IVT limit is checked first;
 * IF, TF, AC and RF are cleared. */
static void deliver_real_mode(Cpu *cpu, unsigned vector, uint32_t return_eip)
{
    if (vector * 4 + 3 > cpu->idtr.limit)
        cpu_raise(cpu, EXC_GP, vector * 8 + 2, FAULT_IVT_LIMIT, vector, cpu->idtr.limit, 0);
    cpu_vector_through_ivt(cpu, cpu->idtr.base, vector, (uint16_t)cpu_get_eflags(cpu), return_eip,
                           EFLAGS_IF | EFLAGS_TF | EFLAGS_AC | EFLAGS_RF);
}

/* Real mode has no error codes; protected mode goes through the IDT (interrupt.c). */
static void deliver(Cpu *cpu, unsigned vector, uint32_t return_eip, bool software,
                    bool has_error, uint32_t error_code)
{
    if (cpu_real_mode(cpu))
        deliver_real_mode(cpu, vector, return_eip);
    else
        pm_deliver(cpu, vector, return_eip, software, has_error, error_code);
}

void cpu_software_interrupt(Cpu *cpu, unsigned vector)
{
    if (cpu->debug_count)
        debug_interrupt(cpu, vector, CPU_INT_SOFTWARE);
    deliver(cpu, vector, cpu->eip, true, false, 0);
}

void cpu_icebp_interrupt(Cpu *cpu)
{
    /* A trap delivered on the spot, not through cpu_raise: recorded here so
     * the tracer and the explainer name ICEBP, not an older #DB. */
    cpu->last_fault = (FaultRecord){ .vector = EXC_DB, .rule = FAULT_ICEBP,
                                     .cs = cpu->seg[SEG_CS].sel, .eip = cpu->insn_eip };
    if (cpu->debug_count)
        debug_interrupt(cpu, EXC_DB, CPU_INT_EXCEPTION);
    deliver(cpu, EXC_DB, cpu->eip, false, false, 0);
}

/* Delivers the fault recorded in last_fault; called after the longjmp. */
static void deliver_fault(Cpu *cpu)
{
    cpu->eip = cpu->insn_eip;
    cpu->halted = false;
    cpu->rep_unfinished = false;    /* a fault's image gets RF anyway */
    cpu->icount++;      /* a delivery counts, so a fault loop still ends at the budget */
    cpu->fault_depth = cpu->last_fault.vector == EXC_DF ? 2 : 1;
    /* The faulting instruction's data breakpoints are not reported, and the
     * image of a fault other than an instruction breakpoint has RF set, so
     * the restarted instruction does not hit its breakpoint again (SDM
     * vol. 3, 17.3.1.1). */
    cpu->db_hits = 0;
    if (cpu->last_fault.rule != FAULT_INSN_BREAKPOINT)
        cpu->eflags |= EFLAGS_RF;
    if (cpu->debug_count)
        debug_interrupt(cpu, cpu->last_fault.vector, CPU_INT_EXCEPTION);
    deliver(cpu, cpu->last_fault.vector, cpu->insn_eip, false, cpu->last_fault.has_error_code,
            cpu->last_fault.error_code);
    cpu->db_hits = 0;
    cpu->fault_depth = 0;
}

static void deliver_external(Cpu *cpu, unsigned vector)
{
    cpu->insn_eip = cpu->eip;
    cpu->halted = false;
    /* Between iterations of a REP string instruction the image gets RF, so
     * an instruction breakpoint on it does not hit again when it resumes
     * (SDM vol. 3, 17.3.1.1). */
    if (cpu->rep_unfinished)
        cpu->eflags |= EFLAGS_RF;
    cpu->rep_unfinished = false;
    cpu->fault_depth = 1;
    /* An interrupt is benign: a fault while delivering it is delivered on its own. */
    cpu->first_fault = (FaultRecord){ .vector = (uint8_t)vector, .rule = FAULT_EXTERNAL,
                                      .cs = cpu->seg[SEG_CS].sel, .eip = cpu->eip };
    cpu->fault_chain_len = 0;
    chain_fault(cpu, &cpu->first_fault);
    if (cpu->debug_count)
        debug_interrupt(cpu, vector, vector == EXC_NMI ? CPU_INT_NMI : CPU_INT_EXTERNAL);
    deliver(cpu, vector, cpu->eip, false, false, 0);
    cpu->fault_depth = 0;
}

/* Samples NMI and INTR at an instruction boundary; returns true if one was taken. */
static bool take_interrupt(Cpu *cpu)
{
    if (cpu->irq_shadow) {
        cpu->irq_shadow = 0;
        return false;
    }
    if (cpu->nmi_pending && !cpu->nmi_blocked) {
        /* SDM vol. 3, 6.7.1: NMIs are held off until the handler's IRET. */
        cpu->nmi_pending = false;
        cpu->nmi_blocked = true;
        deliver_external(cpu, EXC_NMI);
        return true;
    }
    if ((cpu->eflags & EFLAGS_IF) && cpu->intr.pending && cpu->intr.pending(cpu->intr.ctx)) {
        deliver_external(cpu, cpu->intr.acknowledge(cpu->intr.ctx));
        return true;
    }
    return false;
}

/*
 * The #DB trap after an instruction: single step (TF was set when it began)
 * and the data and I/O breakpoints it hit, with EIP at the next instruction.
 * After a REP iteration that is not the last (EIP rewound to it) the image
 * has RF set, so resuming the string does not hit its instruction breakpoint.
 */
static void deliver_debug_trap(Cpu *cpu, bool single_step)
{
    unsigned hits = debug_trap_status(cpu, single_step);
    if (cpu->rep_unfinished)
        cpu->eflags |= EFLAGS_RF;
    cpu->rep_unfinished = false;
    cpu->insn_eip = cpu->eip;
    cpu->fault_depth = 1;
    cpu->last_fault = (FaultRecord){ .vector = EXC_DB,
                                     .rule = hits ? FAULT_DATA_BREAKPOINT : FAULT_SINGLE_STEP,
                                     .detail = { hits, 0, 0 },
                                     .cs = cpu->seg[SEG_CS].sel, .eip = cpu->eip };
    cpu->first_fault = cpu->last_fault;
    cpu->fault_chain_len = 0;
    chain_fault(cpu, &cpu->first_fault);
    if (cpu->debug_count)
        debug_interrupt(cpu, EXC_DB, CPU_INT_EXCEPTION);
    deliver(cpu, EXC_DB, cpu->eip, false, false, 0);
    cpu->db_hits = 0;   /* the frame's own pushes are not reported */
    cpu->fault_depth = 0;
}

static void execute_one(Cpu *cpu)
{
    Insn in;
    bool single_step = (cpu->eflags & EFLAGS_TF) != 0;
    cpu->insn_eip = cpu->eip;
    /* Instruction breakpoints and RF: only while DR7 enables a breakpoint or RF is set. */
    if ((cpu->dr[7] & 0xFF) | (cpu->eflags & EFLAGS_RF))
        debug_instruction_start(cpu);
    cpu_decode(cpu, &in);
    cpu->eip = cpu->insn_eip + in.len;
    in.op->handler(cpu, &in);
    cpu->icount++;
    /* MOV SS / POP SS hold the traps back until after the next instruction. */
    if ((single_step | cpu->db_hits) && !cpu->irq_shadow)
        deliver_debug_trap(cpu, single_step);
}

CpuStop cpu_run(Cpu *cpu, uint64_t budget)
{
    jmp_buf env;
    jmp_buf *outer = cpu->fault_env;
    CpuStop stop;
    cpu->fault_env = &env;
    cpu->run_target = cpu->icount + budget;
    cpu->debug_stop = false;
    int jumped = setjmp(env);
    if (jumped == 1 || (jumped == 0 && cpu->exception_held)) {
        /* A debug client may hold a new exception before it is delivered,
         * with EIP at the faulting instruction; resuming delivers it. */
        if (jumped == 1 && cpu->debug_count && debug_exception(cpu)) {
            cpu->eip = cpu->insn_eip;
            cpu->exception_held = true;
            stop = CPU_STOP_DEBUG;
            goto out;
        }
        cpu->exception_held = false;
        deliver_fault(cpu);
    }
    while (!cpu->shutdown && !cpu->stop_requested && !cpu->debug_stop &&
           cpu->icount < cpu->run_target) {
        if (take_interrupt(cpu))
            continue;
        if (cpu->halted)
            break;
        if (cpu->debug_count && debug_before_insn(cpu)) {
            cpu->debug_stop = true;
            break;
        }
        execute_one(cpu);
    }
    if (cpu->shutdown) {
        stop = CPU_STOP_SHUTDOWN;
    } else if (cpu->debug_stop) {
        stop = CPU_STOP_DEBUG;
    } else if (cpu->stop_requested) {
        cpu->stop_requested = false;
        stop = CPU_STOP_REQUEST;
    } else {
        stop = cpu->halted ? CPU_STOP_HALT : CPU_STOP_BUDGET;
    }
out:
    cpu->debug_stop = false;
    cpu->fault_env = outer;
    return stop;
}

/* ---- control transfer helpers used by the handlers ---- */

void cpu_jump_near(Cpu *cpu, uint32_t target, unsigned opsize)
{
    if (opsize == 2)
        target &= 0xFFFF;
    const Segment *cs = &cpu->seg[SEG_CS];
    if (target > cs->limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_JUMP_LIMIT, cs->limit, target, 0);
    cpu->eip = target;
}

void cpu_jump_far(Cpu *cpu, uint16_t sel, uint32_t offset, unsigned opsize)
{
    if (!cpu_real_mode(cpu) && !cpu_v86_mode(cpu)) {
        pm_jump_far(cpu, sel, offset, opsize);
        return;
    }
    if (opsize == 2)
        offset &= 0xFFFF;
    const Segment *cs = &cpu->seg[SEG_CS];
    if (offset > cs->limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_JUMP_LIMIT, cs->limit, offset, 0);
    cpu_load_segment_real(cpu, SEG_CS, sel);
    cpu->eip = offset;
}

void cpu_load_segment(Cpu *cpu, int seg, uint16_t sel)
{
    if (!cpu_real_mode(cpu) && !cpu_v86_mode(cpu)) {
        cpu_load_segment_pm(cpu, seg, sel);
        return;
    }
    cpu_load_segment_real(cpu, seg, sel);
}

void cpu_iret(Cpu *cpu, unsigned opsize)
{
    /* Any IRET ends the blocking of NMIs (SDM vol. 3, 6.7.1). */
    cpu->nmi_blocked = false;
    if (!cpu_real_mode(cpu) && !cpu_v86_mode(cpu)) {
        pm_iret(cpu, opsize);
        return;
    }
    /* Read the whole frame before changing anything. */
    uint32_t ip = stack_peek(cpu, 0, opsize);
    uint16_t cs = (uint16_t)stack_peek(cpu, opsize, opsize);
    uint32_t flags = stack_peek(cpu, opsize * 2, opsize);
    uint32_t target = opsize == 2 ? ip & 0xFFFF : ip;
    if (target > cpu->seg[SEG_CS].limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_JUMP_LIMIT, cpu->seg[SEG_CS].limit, target, 0);
    stack_pointer_set(cpu, stack_pointer(cpu) + opsize * 3);
    cpu_load_segment_real(cpu, SEG_CS, cs);
    cpu->eip = target;
    uint32_t writable = cpu->model->eflags_writable & ~(EFLAGS_VM | EFLAGS_VIF | EFLAGS_VIP);
    if (cpu_v86_mode(cpu))
        writable &= ~EFLAGS_IOPL;   /* V86 IRET (IOPL 3) keeps IOPL */
    if (opsize == 2)
        writable &= 0xFFFF;
    cpu_set_eflags(cpu, (cpu_get_eflags(cpu) & ~writable) | (flags & writable));
}

void cpu_sync_clock(Cpu *cpu)
{
    if (!cpu->clock)
        return;
    clock_retire_instructions(cpu->clock, cpu->icount - cpu->clock_icount);
    cpu->clock_icount = cpu->icount;
    uint64_t next = clock_instructions_until(cpu->clock, clock_next_deadline(cpu->clock));
    if (cpu->run_target > cpu->icount + next)
        cpu->run_target = cpu->icount + next;
}

/* ---- port I/O ---- */

static void check_io_permission(Cpu *cpu, uint16_t port, unsigned size)
{
    if (cpu_real_mode(cpu))
        return;
    unsigned iopl = (cpu->eflags & EFLAGS_IOPL) >> 12;
    if (!cpu_v86_mode(cpu) && cpu_cpl(cpu) <= iopl)
        return;
    pm_check_io(cpu, port, size);
}

uint32_t cpu_port_in(Cpu *cpu, uint16_t port, unsigned size)
{
    check_io_permission(cpu, port, size);
    if (cpu->dr[7] & 0xFF)
        debug_io_access(cpu, port, size);
    if (cpu->debug_count)
        debug_port_access(cpu, port, size, false);
    cpu_sync_clock(cpu);
    return io_space_read(cpu->io, port, size);
}

void cpu_port_out(Cpu *cpu, uint16_t port, uint32_t value, unsigned size)
{
    check_io_permission(cpu, port, size);
    if (cpu->dr[7] & 0xFF)
        debug_io_access(cpu, port, size);
    if (cpu->debug_count)
        debug_port_access(cpu, port, size, true);
    cpu_sync_clock(cpu);
    io_space_write(cpu->io, port, value, size);
}
