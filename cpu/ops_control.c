/* SPDX-License-Identifier: MIT */
/*
 * Control transfer: Jcc, JMP, CALL and RET (near and far), LOOP/LOOPcc/JCXZ,
 * the software interrupts INT3/INT n/INTO/ICEBP and IRET, BOUND, and the
 * flag and halt instructions HLT, CLI/STI, CLD/STD.  SDM vol. 1, 6.3 (calling
 * procedures) and 7.3.8 (control transfer); vol. 2, the instruction pages.
 * Far transfers, IRET and interrupt delivery are the mode-dependent part and
 * go through exec.c (cpu_jump_far, cpu_iret, cpu_software_interrupt); far
 * CALL and RET through call gates and to other privilege levels are not yet
 * modelled there.
 *
 * Order of effects: a near branch target is checked against the CS limit
 * (by cpu_jump_near) before anything is pushed or popped, and a CALL pushes
 * its return address only after the jump succeeded, so a fault anywhere
 * leaves eSP untouched and the instruction restarts cleanly.
 */
#include "cpu_internal.h"

/* Relative branches: the displacement is added to the next instruction's eIP. */
static void jump_relative(Cpu *cpu, const Insn *in, uint32_t disp)
{
    cpu_jump_near(cpu, cpu->eip + disp, insn_opsize(in));
}

void jcc_Jb(Cpu *cpu, const Insn *in)
{
    if (cpu_condition(cpu, in->opcode & 0xF))
        jump_relative(cpu, in, sign_extend(in->imm, 1));
}

void jcc_Jv(Cpu *cpu, const Insn *in)
{
    if (cpu_condition(cpu, in->opcode & 0xF))
        jump_relative(cpu, in, in->imm);
}

void jmp_Jb(Cpu *cpu, const Insn *in)
{
    jump_relative(cpu, in, sign_extend(in->imm, 1));
}

void jmp_Jv(Cpu *cpu, const Insn *in)
{
    jump_relative(cpu, in, in->imm);
}

void jmp_Ev(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    cpu_jump_near(cpu, op_read_rm(cpu, in, size), size);
}

void jmp_Ap(Cpu *cpu, const Insn *in)
{
    cpu_jump_far(cpu, (uint16_t)in->imm2, in->imm, insn_opsize(in));
}

/* A far pointer in memory (m16:16 or m16:32): offset first, selector after it. */
static void read_far_pointer(Cpu *cpu, const Insn *in, uint16_t *sel, uint32_t *offset)
{
    unsigned size = insn_opsize(in);
    uint32_t ea = insn_ea(cpu, in);
    *offset = mem_read(cpu, in->seg, ea, size);
    *sel = (uint16_t)mem_read(cpu, in->seg, (ea + size) & size_mask(insn_addrsize(in)), 2);
}

void jmp_Mp(Cpu *cpu, const Insn *in)
{
    uint16_t sel;
    uint32_t offset;
    read_far_pointer(cpu, in, &sel, &offset);
    cpu_jump_far(cpu, sel, offset, insn_opsize(in));
}

/* Near CALL: jump first (it checks the limit), then push the return eIP. */
static void call_near(Cpu *cpu, const Insn *in, uint32_t target)
{
    unsigned size = insn_opsize(in);
    uint32_t ret = cpu->eip;
    cpu_jump_near(cpu, target, size);
    stack_push(cpu, size, ret);
}

void call_Jv(Cpu *cpu, const Insn *in)
{
    call_near(cpu, in, cpu->eip + in->imm);
}

void call_Ev(Cpu *cpu, const Insn *in)
{
    call_near(cpu, in, op_read_rm(cpu, in, insn_opsize(in)));
}

/*
 * Far CALL within the current privilege level: both stack slots are checked
 * before CS changes, then CS and eIP are pushed (CS zero-extended to a
 * doubleword with a 32-bit operand size).
 */
static void call_far(Cpu *cpu, const Insn *in, uint16_t sel, uint32_t offset)
{
    unsigned size = insn_opsize(in);
    uint16_t ret_cs = cpu->seg[SEG_CS].sel;
    uint32_t ret_eip = cpu->eip;
    if (!cpu_real_mode(cpu) && !cpu_v86_mode(cpu)) {
        pm_call_far(cpu, sel, offset, size);
        return;
    }
    uint32_t sp = stack_pointer(cpu);
    mem_check_write(cpu, SEG_SS, (sp - size) & stack_mask(cpu), size);
    mem_check_write(cpu, SEG_SS, (sp - 2 * size) & stack_mask(cpu), size);
    cpu_jump_far(cpu, sel, offset, size);
    stack_push(cpu, size, ret_cs);
    stack_push(cpu, size, ret_eip);
}

void call_Ap(Cpu *cpu, const Insn *in)
{
    call_far(cpu, in, (uint16_t)in->imm2, in->imm);
}

void call_Mp(Cpu *cpu, const Insn *in)
{
    uint16_t sel;
    uint32_t offset;
    read_far_pointer(cpu, in, &sel, &offset);
    call_far(cpu, in, sel, offset);
}

/* eSP after releasing `bytes` bytes, at the stack size in force now. */
static void stack_release(Cpu *cpu, uint32_t bytes)
{
    stack_pointer_set(cpu, (stack_pointer(cpu) + bytes) & stack_mask(cpu));
}

/* Near RET [imm16]: peek, jump (may fault), then release the slot and imm16 bytes. */
static void ret_near(Cpu *cpu, const Insn *in, uint32_t extra)
{
    unsigned size = insn_opsize(in);
    cpu_jump_near(cpu, stack_peek(cpu, 0, size), size);
    stack_release(cpu, size + extra);
}

void ret(Cpu *cpu, const Insn *in)
{
    ret_near(cpu, in, 0);
}

void ret_Iw(Cpu *cpu, const Insn *in)
{
    ret_near(cpu, in, in->imm & 0xFFFF);
}

/*
 * Far RET [imm16] to the same privilege level: eIP and CS are read, CS:eIP
 * loaded, then the two slots and imm16 bytes released.  Returns to an outer
 * level (which also pop SS:eSP) need protected-mode support in exec.c.
 */
static void ret_far(Cpu *cpu, const Insn *in, uint32_t extra)
{
    unsigned size = insn_opsize(in);
    if (!cpu_real_mode(cpu) && !cpu_v86_mode(cpu)) {
        pm_return_far(cpu, size, extra);
        return;
    }
    uint32_t offset = stack_peek(cpu, 0, size);
    uint16_t sel = (uint16_t)stack_peek(cpu, size, size);
    cpu_jump_far(cpu, sel, offset, size);
    stack_release(cpu, 2 * size + extra);
}

void retf(Cpu *cpu, const Insn *in)
{
    ret_far(cpu, in, 0);
}

void retf_Iw(Cpu *cpu, const Insn *in)
{
    ret_far(cpu, in, in->imm & 0xFFFF);
}

/*
 * LOOP family: the count register is CX or ECX by the ADDRESS size; the
 * target wraps at the operand size.  The branch is taken (and so checked)
 * before the decremented count is written back.
 */
static void loop_common(Cpu *cpu, const Insn *in, bool condition)
{
    unsigned asize = insn_addrsize(in);
    uint32_t count = (reg_read(cpu, REG_ECX, asize) - 1) & size_mask(asize);
    if (count != 0 && condition)
        jump_relative(cpu, in, sign_extend(in->imm, 1));
    reg_write(cpu, REG_ECX, asize, count);
}

void loop_Jb(Cpu *cpu, const Insn *in)
{
    loop_common(cpu, in, true);
}

void loope_Jb(Cpu *cpu, const Insn *in)
{
    loop_common(cpu, in, flag_zf(cpu));
}

void loopne_Jb(Cpu *cpu, const Insn *in)
{
    loop_common(cpu, in, !flag_zf(cpu));
}

void jcxz_Jb(Cpu *cpu, const Insn *in)
{
    if (reg_read(cpu, REG_ECX, insn_addrsize(in)) == 0)
        jump_relative(cpu, in, sign_extend(in->imm, 1));
}

/* INT3 (CC) is not IOPL-sensitive in V86 mode, unlike CD 03. */
void int3(Cpu *cpu, const Insn *in)
{
    (void)in;
    cpu_software_interrupt(cpu, EXC_BP);
}

/*
 * INT n.  In V86 mode under CR4.VME the TSS's redirection bitmap is read
 * first, at any IOPL: a clear bit sends the interrupt to the task's own
 * IVT; a set bit goes on to the IOPL check and the IDT (SDM vol. 3,
 * table 20-2).
 */
void int_Ib(Cpu *cpu, const Insn *in)
{
    unsigned vector = in->imm & 0xFF;
    if (cpu_v86_mode(cpu) && (cpu->cr4 & CR4_VME) && v86_int_redirected(cpu, vector)) {
        v86_redirect_interrupt(cpu, vector);
        return;
    }
    cpu_check_v86_iopl(cpu);
    cpu_software_interrupt(cpu, vector);
}

void into(Cpu *cpu, const Insn *in)
{
    (void)in;
    if (flag_of(cpu))
        cpu_software_interrupt(cpu, EXC_OF);
}

/*
 * ICEBP (F1, "INT1"): a #DB trap with the return address of the next
 * instruction.  In protected mode it skips the gate-DPL check that INT n
 * makes; that distinction belongs to cpu_software_interrupt's protected-
 * mode path.
 */
void icebp(Cpu *cpu, const Insn *in)
{
    (void)in;
    cpu_icebp_interrupt(cpu);
}

/*
 * IRET in V86 mode under CR4.VME at IOPL < 3 (SDM vol. 2, IRET): the 16-bit
 * form pops IP, CS and a FLAGS image whose IF goes to VIF; the 32-bit form
 * still traps to the monitor.
 */
static void iret_virtual(Cpu *cpu)
{
    uint16_t ip = (uint16_t)stack_peek(cpu, 0, 2);
    uint16_t cs = (uint16_t)stack_peek(cpu, 2, 2);
    uint16_t flags = (uint16_t)stack_peek(cpu, 4, 2);
    vme_check_flags(cpu, flags);
    if (ip > cpu->seg[SEG_CS].limit)
        cpu_raise(cpu, EXC_GP, 0, FAULT_JUMP_LIMIT, cpu->seg[SEG_CS].limit, ip, 0);
    cpu->nmi_blocked = false;   /* as every IRET (cpu_iret) */
    stack_pointer_set(cpu, (stack_pointer(cpu) + 6) & stack_mask(cpu));
    cpu_load_segment_real(cpu, SEG_CS, cs);
    cpu->eip = ip;
    vme_load_flags(cpu, flags);
}

void iret(Cpu *cpu, const Insn *in)
{
    if (vme_virtual_flags(cpu) && insn_opsize(in) == 2) {
        iret_virtual(cpu);
        return;
    }
    cpu_check_v86_iopl(cpu);
    cpu_iret(cpu, insn_opsize(in));
}

/*
 * BOUND r, m16&16 / m32&32: #BR (a fault) unless lower <= index <= upper,
 * all compared as signed numbers of the operand size.
 */
void bound_Gv_Ma(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t ea = insn_ea(cpu, in);
    uint32_t lower = mem_read(cpu, in->seg, ea, size);
    uint32_t upper = mem_read(cpu, in->seg, (ea + size) & size_mask(insn_addrsize(in)), size);
    uint32_t index = op_read_reg(cpu, in, size);
    int32_t i = (int32_t)sign_extend(index, size);
    if (i < (int32_t)sign_extend(lower, size) || i > (int32_t)sign_extend(upper, size))
        cpu_raise(cpu, EXC_BR, NO_ERROR_CODE, FAULT_BOUND_RANGE, index, lower, upper);
}

/* HLT: privileged; the run loop wakes the CPU on an interrupt, NMI or reset. */
void hlt(Cpu *cpu, const Insn *in)
{
    (void)in;
    if (cpu_cpl(cpu) != 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_CPL_NOT_ZERO, cpu_cpl(cpu), 0, 0);
    cpu->halted = true;
}

/*
 * CLI/STI may change IF only when CPL <= IOPL (always in real mode; in V86
 * mode that means IOPL 3).  Otherwise CR4.VME (V86 mode) or CR4.PVI (CPL 3)
 * makes them change VIF instead (vme.c); else they raise #GP(0).
 */
static void check_if_change(Cpu *cpu)
{
    if (cpu_real_mode(cpu))
        return;
    cpu_check_v86_iopl(cpu);
    if (!cpu_v86_mode(cpu) && cpu_cpl(cpu) > cpu_iopl(cpu))
        cpu_raise(cpu, EXC_GP, 0, FAULT_IOPL_CPL, cpu_cpl(cpu), cpu_iopl(cpu), 0);
}

void cli(Cpu *cpu, const Insn *in)
{
    (void)in;
    if (vme_virtual_if(cpu)) {
        cpu->eflags &= ~EFLAGS_VIF;
        return;
    }
    check_if_change(cpu);
    cpu->eflags &= ~EFLAGS_IF;
}

/* STI: when it sets a clear IF, interrupts wait until after the next
 * instruction.  Setting VIF needs VIP clear (#GP(0) otherwise). */
void sti(Cpu *cpu, const Insn *in)
{
    (void)in;
    if (vme_virtual_if(cpu)) {
        vme_check_set_vif(cpu);
        cpu->eflags |= EFLAGS_VIF;
        return;
    }
    check_if_change(cpu);
    if (!(cpu->eflags & EFLAGS_IF))
        cpu->irq_shadow = 1;
    cpu->eflags |= EFLAGS_IF;
}

void cld(Cpu *cpu, const Insn *in)
{
    (void)in;
    cpu->eflags &= ~EFLAGS_DF;
}

void std(Cpu *cpu, const Insn *in)
{
    (void)in;
    cpu->eflags |= EFLAGS_DF;
}
