/* SPDX-License-Identifier: MIT */
/*
 * The x87 FPU of the 387/486/Pentium/P6 (SDM vol. 1, ch. 8; vol. 2, the F*
 * pages; vol. 3, 2.5 for CR0.EM/MP/TS/NE): the escape dispatcher for D8-DF,
 * WAIT, the register stack (TOP, tags, stack overflow and underflow), the
 * exception flags and their masks, and the instruction/data pointers.
 * Design: the arithmetic runs on the HOST's x87 (fpu_host.c, GCC inline
 * assembly, so x86-64 and i386 hosts only): the guest's precision and
 * rounding control go into the host control word with every exception
 * masked, and the host's status word tells which exceptions the operation
 * raised, so results are bit-identical to a real x87 in every mode.  Where
 * an unmasked overflow or underflow may have happened the operation is run
 * again with the guest's FCW as it is and read back with FNSAVE, giving the
 * hardware's own scaled result.  fpu_arith.c and fpu_load.c hold the
 * instructions; fpu_env.c the state images (FNSTENV, FNSAVE, FXSAVE).
 * FERR# with CR0.NE clear is asserted and the instruction then proceeds as
 * if IGNNE# were active (a real 486 would freeze until the IRQ 13 handler
 * cleared the error).  Not modelled: the 387's handling of unnormals as
 * operands (treated as the 486 does: invalid), the 287's FNENI/FNDISI/
 * FNSETPM (no-ops, as on a 387), and transcendental results of a CPU other
 * than the host (FSIN and friends differ in the last bits between makers).
 */
#include "fpu_internal.h"

/* ---- registers, tags, TOP ---- */

unsigned fpu_top(const Cpu *cpu)
{
    return (cpu->fpu.status & FSW_TOP) >> FSW_TOP_SHIFT;
}

void fpu_set_top(Cpu *cpu, unsigned top)
{
    cpu->fpu.status = (uint16_t)((cpu->fpu.status & ~FSW_TOP) | ((top & 7) << FSW_TOP_SHIFT));
}

/* The tag a value earns when written (SDM vol. 1, 8.1.7): zero, valid
 * (a normal number), or special (NaN, infinity, denormal, unsupported). */
unsigned fpu_tag_of(Float80 v)
{
    unsigned exp = v.sign_exp & 0x7FFF;
    if (exp == 0)
        return v.significand == 0 ? FPU_TAG_ZERO : FPU_TAG_SPECIAL;
    if (exp == 0x7FFF || !(v.significand >> 63))
        return FPU_TAG_SPECIAL;
    return FPU_TAG_VALID;
}

/* The full tag word as FNSTENV/FXSAVE report it: empty registers stay empty,
 * the rest are classified from their contents. */
uint16_t fpu_tag_word(const Fpu *fpu)
{
    uint16_t tag = 0;
    for (unsigned r = 0; r < 8; r++) {
        unsigned t = (fpu->tag >> (2 * r)) & 3;
        if (t != FPU_TAG_EMPTY)
            t = fpu_tag_of(fpu->reg[r]);
        tag |= (uint16_t)(t << (2 * r));
    }
    return tag;
}

unsigned fpu_phys(const Cpu *cpu, unsigned i)
{
    return (fpu_top(cpu) + i) & 7;
}

bool fpu_empty(const Cpu *cpu, unsigned i)
{
    return ((cpu->fpu.tag >> (2 * fpu_phys(cpu, i))) & 3) == FPU_TAG_EMPTY;
}

Float80 fpu_st(const Cpu *cpu, unsigned i)
{
    return cpu->fpu.reg[fpu_phys(cpu, i)];
}

static void set_tag(Cpu *cpu, unsigned phys, unsigned tag)
{
    cpu->fpu.tag = (uint16_t)((cpu->fpu.tag & ~(3u << (2 * phys))) | (tag << (2 * phys)));
}

void fpu_set_st(Cpu *cpu, unsigned i, Float80 v)
{
    unsigned p = fpu_phys(cpu, i);
    cpu->fpu.reg[p] = v;
    set_tag(cpu, p, fpu_tag_of(v));
}

void fpu_push(Cpu *cpu, Float80 v)
{
    fpu_set_top(cpu, fpu_top(cpu) - 1);
    fpu_set_st(cpu, 0, v);
}

void fpu_pop(Cpu *cpu)
{
    set_tag(cpu, fpu_phys(cpu, 0), FPU_TAG_EMPTY);
    fpu_set_top(cpu, fpu_top(cpu) + 1);
}

void fpu_free(Cpu *cpu, unsigned i)
{
    set_tag(cpu, fpu_phys(cpu, i), FPU_TAG_EMPTY);
}

/* ---- exceptions ---- */

/* Sets exception flags; an unmasked one also sets ES and B, to be reported
 * by the next waiting instruction (SDM vol. 1, 8.7). */
void fpu_signal(Cpu *cpu, uint16_t flags)
{
    Fpu *f = &cpu->fpu;
    f->status |= flags & (FCW_EXC_MASKS | FSW_SF);
    if (f->status & ~f->control & FCW_EXC_MASKS)
        f->status |= FSW_ES | FSW_B;
}

void fpu_set_c1(Cpu *cpu, bool c1)
{
    cpu->fpu.status = (uint16_t)((cpu->fpu.status & ~FSW_C1) | (c1 ? FSW_C1 : 0));
}

/* Recomputes ES/B from the flags and masks (FLDCW, FLDENV, FRSTOR can
 * unmask a flag already set) and drops FERR# when nothing is pending. */
void fpu_update_pending(Cpu *cpu)
{
    Fpu *f = &cpu->fpu;
    if (f->status & ~f->control & FCW_EXC_MASKS)
        f->status |= FSW_ES | FSW_B;
    else
        f->status &= (uint16_t)~(FSW_ES | FSW_B);
    if (!(f->status & FSW_ES))
        irq_set_level(cpu->ferr, 0);
}

/* Stack underflow: a source register is empty.  IE with SF, C1 = 0
 * (SDM vol. 1, 8.5.1.1).  Returns true when IE is masked and the caller is
 * to go on with the QNaN indefinite in place of the missing operand. */
bool fpu_stack_underflow(Cpu *cpu)
{
    fpu_set_c1(cpu, false);
    fpu_signal(cpu, FSW_IE | FSW_SF);
    return (cpu->fpu.control & FSW_IE) != 0;
}

/* Stack overflow: a push would overwrite a non-empty register.  C1 = 1. */
bool fpu_stack_overflow(Cpu *cpu)
{
    fpu_set_c1(cpu, true);
    fpu_signal(cpu, FSW_IE | FSW_SF);
    return (cpu->fpu.control & FSW_IE) != 0;
}

const Float80 fpu_indefinite = { 0xC000000000000000ull, 0xFFFF };

/* Pushes v unless the push overflows the stack; with IE masked an overflow
 * pushes the indefinite instead.  False when nothing was pushed. */
bool fpu_push_checked(Cpu *cpu, Float80 v)
{
    if (!fpu_empty(cpu, 7)) {
        if (!fpu_stack_overflow(cpu))
            return false;
        v = fpu_indefinite;
    }
    fpu_push(cpu, v);
    return true;
}

void fpu_set_cc(Cpu *cpu, uint16_t mask, uint16_t value)
{
    cpu->fpu.status = (uint16_t)((cpu->fpu.status & ~mask) | (value & mask));
}

bool fpu_near_limit(Float80 v)
{
    return (v.sign_exp & 0x7FFF) <= 1;
}

/* Invalid operation, zero divide and denormal operand are found before the
 * operation: unmasked, they leave the destination alone; masked, they are
 * flagged and the next (lower-priority) condition is looked at.  Overflow
 * and underflow unmasked deliver a scaled result, which the caller gets by
 * running the operation again unmasked (fpu_host_op_unmasked) and taking
 * OE, UE and PE from that run; inexact never stops anything (SDM vol. 1,
 * 4.9.2 and 8.5). */
FpuVerdict fpu_judge(uint16_t control, uint16_t sw, bool near_limit)
{
    static const uint16_t pre[] = { FSW_IE, FSW_ZE, FSW_DE };
    FpuVerdict v = { 0, false, false };
    uint16_t unmasked = (uint16_t)~control & FCW_EXC_MASKS;

    for (unsigned k = 0; k < 3; k++) {
        if (!(sw & pre[k]))
            continue;
        v.flags |= pre[k];
        if (unmasked & pre[k])
            return v;
    }
    v.write = true;
    if (((unmasked & FSW_OE) && (sw & FSW_OE)) ||
        ((unmasked & FSW_UE) && ((sw & FSW_UE) || near_limit))) {
        v.scale = true;
        return v;
    }
    v.flags |= sw & (FSW_OE | FSW_UE | FSW_PE);
    return v;
}

void fpu_apply(Cpu *cpu, FpuVerdict v, uint16_t sw)
{
    if (v.write)
        fpu_set_cc(cpu, FSW_C1, sw);
    fpu_signal(cpu, v.flags);
}

/* ---- availability and pending exceptions ---- */

/* #NM under CR0.EM (emulate in software) or CR0.TS (the state belongs to
 * another task, SDM vol. 3, 2.5 and table 2-2). */
void fpu_check_available(Cpu *cpu)
{
    if (cpu->cr0 & CR0_EM)
        cpu_raise(cpu, EXC_NM, NO_ERROR_CODE, FAULT_FPU_EMULATED, 0, 0, 0);
    if (cpu->cr0 & CR0_TS)
        cpu_raise(cpu, EXC_NM, NO_ERROR_CODE, FAULT_FPU_TASK_SWITCHED, 0, 0, 0);
}

/* A waiting instruction reports an unmasked exception left by an earlier
 * one: #MF with CR0.NE, else FERR# to the PIC (the PC's IRQ 13). */
void fpu_check_pending(Cpu *cpu)
{
    if (!(cpu->fpu.status & FSW_ES))
        return;
    if (cpu->cr0 & CR0_NE)
        cpu_raise(cpu, EXC_MF, NO_ERROR_CODE, FAULT_FPU_PENDING, cpu->fpu.status, 0, 0);
    irq_set_level(cpu->ferr, 1);
}

void fpu_init_state(Fpu *fpu)
{
    fpu->control = 0x037F;
    fpu->status = 0;
    fpu->tag = 0xFFFF;
    fpu->last_opcode = 0;
    fpu->last_ip = 0;
    fpu->last_cs = 0;
    fpu->last_dp = 0;
    fpu->last_ds = 0;
}

/* RESET (SDM vol. 3, table 9-1): FCW 0040h (everything unmasked, single
 * precision), FSW 0, the registers +0.0 and tagged so, MXCSR 1F80h. */
void fpu_reset_state(Fpu *fpu)
{
    fpu_init_state(fpu);
    fpu->control = 0x0040;
    fpu->tag = 0x5555;
    fpu->mxcsr = 0x1F80;
    for (unsigned r = 0; r < 8; r++)
        fpu->reg[r] = (Float80){ 0, 0 };
}

/* ---- memory images of extended reals ---- */

Float80 fpu_read_f80(Cpu *cpu, unsigned seg, uint32_t offset)
{
    Float80 v;
    uint64_t lo = mem_read(cpu, seg, offset, 4);
    uint64_t hi = mem_read(cpu, seg, offset + 4, 4);
    v.significand = lo | hi << 32;
    v.sign_exp = (uint16_t)mem_read(cpu, seg, offset + 8, 2);
    return v;
}

/* Checks the whole 10 bytes first, so a fault leaves memory untouched. */
void fpu_write_f80(Cpu *cpu, unsigned seg, uint32_t offset, Float80 v)
{
    mem_check_write(cpu, seg, offset, 10);
    mem_write(cpu, seg, offset, (uint32_t)v.significand, 4);
    mem_write(cpu, seg, offset + 4, (uint32_t)(v.significand >> 32), 4);
    mem_write(cpu, seg, offset + 8, v.sign_exp, 2);
}

uint64_t fpu_read_u64(Cpu *cpu, unsigned seg, uint32_t offset)
{
    uint64_t lo = mem_read(cpu, seg, offset, 4);
    return lo | (uint64_t)mem_read(cpu, seg, offset + 4, 4) << 32;
}

void fpu_write_u64(Cpu *cpu, unsigned seg, uint32_t offset, uint64_t v)
{
    mem_check_write(cpu, seg, offset, 8);
    mem_write(cpu, seg, offset, (uint32_t)v, 4);
    mem_write(cpu, seg, offset + 4, (uint32_t)(v >> 32), 4);
}

/* ---- the escape dispatcher ---- */

/* Control instructions leave FOP and the instruction/data pointers alone;
 * the FN* forms among them do not wait for (report) pending exceptions
 * (SDM vol. 1, 8.1.8 and 8.3.11). */
static bool is_control(const Insn *in, bool *waiting)
{
    unsigned esc = in->opcode & 7;
    *waiting = true;
    if (in->mod != 3) {
        if (esc == 1 && in->reg >= 4) {
            *waiting = in->reg < 6;         /* FLDENV, FLDCW wait; FNSTENV, FNSTCW not */
            return true;
        }
        if (esc == 5 && (in->reg == 4 || in->reg == 6 || in->reg == 7)) {
            *waiting = in->reg == 4;        /* FRSTOR waits; FNSAVE, FNSTSW not */
            return true;
        }
        return false;
    }
    if ((esc == 3 && in->reg == 4 && in->rm <= 4) || (esc == 7 && in->reg == 4 && in->rm == 0)) {
        *waiting = false;                   /* FNENI..FNSETPM, FNSTSW AX */
        return true;
    }
    return false;
}

static void record_pointers(Cpu *cpu, const Insn *in)
{
    Fpu *f = &cpu->fpu;
    f->last_opcode = (uint16_t)((in->opcode & 7) << 8 | in->mod << 6 | in->reg << 3 | in->rm);
    f->last_ip = cpu->insn_eip;
    f->last_cs = cpu->seg[SEG_CS].sel;
    if (in->mod != 3) {
        f->last_dp = insn_ea(cpu, in);
        f->last_ds = cpu->seg[in->seg].sel;
    }
}

static void load_control(Cpu *cpu, const Insn *in)
{
    uint16_t fcw = (uint16_t)mem_read(cpu, in->seg, insn_ea(cpu, in), 2);
    cpu->fpu.control = (uint16_t)((fcw & 0x1F3F) | 0x0040);
    fpu_update_pending(cpu);
}

/* D9, DB, DD, DF with a memory operand: loads, stores, control words. */
static void exec_mem_move(Cpu *cpu, const Insn *in, unsigned esc)
{
    static const FpuHostFormat int_fmt[8] = { [3] = FPU_FMT_I32, [7] = FPU_FMT_I16 };
    unsigned r = in->reg;

    if (r == 1 || (esc == 3 && (r == 4 || r == 6)) || (esc == 5 && r == 5))
        cpu_raise_ud(cpu);                  /* FISTTP (SSE3) and the holes */
    if (esc == 1 && r >= 4) {
        if (r == 4)
            fpu_load_env(cpu, in, false);
        else if (r == 5)
            load_control(cpu, in);
        else if (r == 6)
            fpu_store_env(cpu, in, false);
        else
            mem_write(cpu, in->seg, insn_ea(cpu, in), cpu->fpu.control, 2);
        return;
    }
    if (esc == 5 && r >= 4) {
        if (r == 4)
            fpu_load_env(cpu, in, true);
        else if (r == 6)
            fpu_store_env(cpu, in, true);
        else
            mem_write(cpu, in->seg, insn_ea(cpu, in), cpu->fpu.status, 2);
        return;
    }
    if (esc == 3 && r == 5) {
        fpu_load_m80(cpu, in);
    } else if (esc == 3 && r == 7) {
        fpu_store_m80(cpu, in);
    } else if (esc == 7 && r >= 4) {
        static const FpuHostFormat fmt[4] = { FPU_FMT_BCD, FPU_FMT_I64, FPU_FMT_BCD, FPU_FMT_I64 };
        if (r == 4 || r == 5)
            fpu_load_mem(cpu, in, fmt[r - 4]);
        else
            fpu_store_mem(cpu, in, fmt[r - 4], true);
    } else {
        FpuHostFormat f = esc == 1 ? FPU_FMT_M32 : esc == 5 ? FPU_FMT_M64 : int_fmt[esc];
        if (r == 0)
            fpu_load_mem(cpu, in, f);
        else
            fpu_store_mem(cpu, in, f, r == 3);
    }
}

static void exec_reg_misc(Cpu *cpu, const Insn *in, unsigned esc);

/* DC and DE swap the reversed forms: DC E0+i is FSUBR ST(i), ST(0). */
static void exec_reg_arith(Cpu *cpu, const Insn *in, unsigned esc)
{
    unsigned op = in->reg, i = in->rm;

    if (op == 2 || op == 3) {               /* FCOM, FCOMP (and the DC/DE aliases) */
        if (esc == 6 && op == 3 && i != 1)
            cpu_raise_ud(cpu);
        fpu_compare_reg(cpu, i, false, esc == 6 && op == 3 ? 2 : op == 3 || esc == 6 ? 1 : 0);
        return;
    }
    if (esc == 0)
        fpu_arith_reg(cpu, op, 0, i, false);
    else
        fpu_arith_reg(cpu, op >= 4 ? op ^ 1 : op, i, 0, esc == 6);
}

static void exec_reg(Cpu *cpu, const Insn *in, unsigned esc)
{
    if (esc == 0 || esc == 4 || esc == 6) {
        exec_reg_arith(cpu, in, esc);
        return;
    }
    exec_reg_misc(cpu, in, esc);
}

static void require_p6(Cpu *cpu)
{
    if (!cpu_has(cpu, FEAT_CMOV))
        cpu_raise_ud(cpu);
}

static void exec_reg_misc(Cpu *cpu, const Insn *in, unsigned esc)
{
    static const uint8_t fcmov_cc[4] = { 0x2, 0x4, 0x6, 0xA };   /* B, E, BE, U */
    unsigned r = in->reg, i = in->rm;

    switch (esc << 3 | r) {
    case 1 << 3 | 0: fpu_load_st(cpu, i); return;
    case 1 << 3 | 1: case 5 << 3 | 1: case 7 << 3 | 1: fpu_exchange(cpu, i); return;
    case 1 << 3 | 2: if (i != 0) cpu_raise_ud(cpu); return;                  /* FNOP */
    case 1 << 3 | 3: case 7 << 3 | 2: case 7 << 3 | 3: fpu_store_st(cpu, i, true); return;
    case 5 << 3 | 0: fpu_free(cpu, i); return;
    case 7 << 3 | 0: fpu_free(cpu, i); fpu_set_top(cpu, fpu_top(cpu) + 1); return;  /* FFREEP */
    case 5 << 3 | 2: fpu_store_st(cpu, i, false); return;
    case 5 << 3 | 3: fpu_store_st(cpu, i, true); return;
    case 5 << 3 | 4: fpu_compare_reg(cpu, i, true, 0); return;
    case 5 << 3 | 5: fpu_compare_reg(cpu, i, true, 1); return;
    case 2 << 3 | 5: if (i != 1) cpu_raise_ud(cpu); fpu_compare_reg(cpu, 1, true, 2); return;
    case 3 << 3 | 5: require_p6(cpu); fpu_comi(cpu, i, true, false); return;
    case 3 << 3 | 6: require_p6(cpu); fpu_comi(cpu, i, false, false); return;
    case 7 << 3 | 5: require_p6(cpu); fpu_comi(cpu, i, true, true); return;
    case 7 << 3 | 6: require_p6(cpu); fpu_comi(cpu, i, false, true); return;
    case 7 << 3 | 4:
        if (i != 0)
            cpu_raise_ud(cpu);
        reg_write(cpu, REG_EAX, 2, cpu->fpu.status);                     /* FNSTSW AX */
        return;
    case 3 << 3 | 4:
        if (i == 2) {
            cpu->fpu.status &= (uint16_t)~(FCW_EXC_MASKS | FSW_SF | FSW_ES | FSW_B);
            fpu_update_pending(cpu);                                      /* FNCLEX */
        } else if (i == 3) {
            fpu_init_state(&cpu->fpu);                                    /* FNINIT */
            fpu_update_pending(cpu);
        } else if (i > 4) {
            cpu_raise_ud(cpu);
        }                                   /* FNENI, FNDISI, FNSETPM: no-ops since the 387 */
        return;
    }
    if ((esc == 2 || esc == 3) && r < 4) {
        require_p6(cpu);
        fpu_cmov(cpu, i, fcmov_cc[r] ^ (esc == 3));
        return;
    }
    if (esc == 1 && r >= 4) {
        fpu_d9_misc(cpu, in->rm | (r - 4) << 3);
        return;
    }
    cpu_raise_ud(cpu);
}

/* D8-DF.  A 386 without a 387 (no FEAT_FPU) ignores the escape once CR0.EM
 * and TS let it through, as a coprocessor-less board does. */
void fpu_escape(Cpu *cpu, const Insn *in)
{
    unsigned esc = in->opcode & 7;
    bool waiting;

    fpu_check_available(cpu);
    if (!cpu_has(cpu, FEAT_FPU))
        return;
    bool control = is_control(in, &waiting);
    if (waiting)
        fpu_check_pending(cpu);
    if (in->mod == 3)
        exec_reg(cpu, in, esc);
    else if (!(esc & 1))
        fpu_arith_mem(cpu, in, esc);
    else
        exec_mem_move(cpu, in, esc);
    /* Recorded once the instruction has completed: one that faulted (#PF,
     * #GP, #UD) leaves the pointers of the last one that did. */
    if (!control)
        record_pointers(cpu, in);
}

/* WAIT traps only when MP says a coprocessor is there and TS says its state
 * is stale; otherwise it reports a pending unmasked exception. */
void fwait(Cpu *cpu, const Insn *in)
{
    (void)in;
    if ((cpu->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
        cpu_raise(cpu, EXC_NM, NO_ERROR_CODE, FAULT_FPU_TASK_SWITCHED, 0, 0, 0);
    if (cpu_has(cpu, FEAT_FPU))
        fpu_check_pending(cpu);
}
