/* SPDX-License-Identifier: MIT */
/*
 * The stack instructions: PUSH and POP of registers, immediates, memory and
 * segment registers, PUSHA/POPA, PUSHF/POPF, ENTER and LEAVE.  SDM vol. 1,
 * 6.2 (the stack) and 7.3.1.5; vol. 2, the instruction pages.  The stack is
 * SS:SP or SS:ESP by SS.B (the stack-address size), independent of the
 * operand size, which sets how many bytes each push moves.
 *
 * Restartability: instructions that move several values (PUSHA, POPA, ENTER,
 * POP m) write or read every slot at an explicit offset first and update eSP
 * last, so a fault part-way leaves eSP as it was; a partial write below the
 * stack top is harmless, as on hardware.  Not modelled: the shutdown the
 * SDM describes for PUSHA in real mode with SP = 1, 3 or 5 (we raise #SS
 * on the slot that crosses the limit instead).
 */
#include "cpu_internal.h"

/* The offset `delta` bytes from the stack top, wrapped at the stack size. */
static uint32_t stack_offset(const Cpu *cpu, uint32_t delta)
{
    return (stack_pointer(cpu) + delta) & stack_mask(cpu);
}

/* The whole ESP register after adding delta at the current stack size. */
static uint32_t esp_plus(const Cpu *cpu, uint32_t delta)
{
    uint32_t mask = stack_mask(cpu);
    uint32_t esp = cpu->gpr[REG_ESP];
    return (esp & ~mask) | ((esp + delta) & mask);
}

/* PUSH r16/r32.  PUSH eSP stores the value eSP had before the push. */
void push_Zv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    stack_push(cpu, size, reg_read(cpu, in->opcode & 7, size));
}

/* POP r16/r32.  POP eSP leaves the popped value in eSP (the increment is overwritten). */
void pop_Zv(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t v = stack_pop(cpu, size);
    reg_write(cpu, in->opcode & 7, size, v);
}

void push_Iv(Cpu *cpu, const Insn *in)
{
    stack_push(cpu, insn_opsize(in), in->imm);
}

/* 6A: the byte is sign-extended to the operand size. */
void push_Ib(Cpu *cpu, const Insn *in)
{
    stack_push(cpu, insn_opsize(in), sign_extend(in->imm, 1));
}

/* FF /6.  The operand is read with the old eSP, so PUSH [eSP] pushes the old top. */
void push_Ev(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    stack_push(cpu, size, op_read_rm(cpu, in, size));
}

/*
 * 8F /0.  A memory destination addressed through ESP uses the value ESP has
 * after the pop (SDM vol. 2, POP).  The pop is not committed until the
 * memory write is known to succeed: the slot is read, the destination
 * offset is computed with the incremented ESP, the write is done, and only
 * then is ESP updated.
 */
void pop_Ev(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    if (in->mod == 3) {
        uint32_t v = stack_pop(cpu, size);
        reg_write(cpu, in->rm, size, v);
        return;
    }
    uint32_t v = stack_peek(cpu, 0, size);
    uint32_t old_esp = cpu->gpr[REG_ESP];
    uint32_t new_esp = esp_plus(cpu, size);
    cpu->gpr[REG_ESP] = new_esp;
    uint32_t ea = insn_ea(cpu, in);     /* cannot fault */
    cpu->gpr[REG_ESP] = old_esp;
    mem_write(cpu, in->seg, ea, v, size);
    cpu->gpr[REG_ESP] = new_esp;
}

/*
 * The segment register of PUSH/POP Sreg from the opcode:
 * 06/07 ES, 0E CS, 16/17 SS, 1E/1F DS (bits 4:3), 0F A0/A1 FS, 0F A8/A9 GS.
 */
static int stack_segment(const Insn *in)
{
    if (in->map == 0)
        return (in->opcode >> 3) & 3;
    return (in->opcode & 0x08) ? SEG_GS : SEG_FS;
}

/*
 * PUSH Sreg.  With a 32-bit operand size the 386 and its successors move
 * eSP down by 4 but store only the 16-bit selector in the low word of the
 * slot, leaving the upper word of the memory as it was (SDM vol. 2, PUSH).
 */
void push_Sw(Cpu *cpu, const Insn *in)
{
    uint16_t sel = cpu->seg[stack_segment(in)].sel;
    if (!in->opsize32) {
        stack_push(cpu, 2, sel);
        return;
    }
    mem_write(cpu, SEG_SS, stack_offset(cpu, 0u - 4), sel, 2);
    cpu->gpr[REG_ESP] = esp_plus(cpu, 0u - 4);
}

/*
 * POP Sreg.  The selector is loaded (the step that can fault in protected
 * mode) before eSP moves.  The new eSP is computed with the stack size in
 * force before the load, since POP SS may change SS.B.  POP SS holds off
 * interrupts for one instruction, like MOV SS.
 */
void pop_Sw(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    int seg = stack_segment(in);
    uint16_t sel = (uint16_t)stack_peek(cpu, 0, size);
    uint32_t new_esp = esp_plus(cpu, size);
    cpu_load_segment(cpu, seg, sel);
    cpu->gpr[REG_ESP] = new_esp;
    if (seg == SEG_SS)
        cpu->irq_shadow = 1;
}

/*
 * PUSHA/PUSHAD: eAX, eCX, eDX, eBX, the original eSP, eBP, eSI, eDI, stored
 * at explicit offsets below the top (each wrapping at the stack size), then
 * eSP moves once.
 */
void pusha(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    for (unsigned reg = REG_EAX; reg <= REG_EDI; reg++) {
        uint32_t offset = stack_offset(cpu, 0u - (reg + 1) * size);
        mem_write(cpu, SEG_SS, offset, reg_read(cpu, reg, size), size);
    }
    cpu->gpr[REG_ESP] = esp_plus(cpu, 0u - 8 * size);
}

/* POPA/POPAD: the reverse of PUSHA; the stored eSP is skipped, not read. */
void popa(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t v[8] = {0};
    for (unsigned reg = REG_EAX; reg <= REG_EDI; reg++) {
        if (reg != REG_ESP)
            v[reg] = mem_read(cpu, SEG_SS, stack_offset(cpu, (7 - reg) * size), size);
    }
    for (unsigned reg = REG_EAX; reg <= REG_EDI; reg++) {
        if (reg != REG_ESP)
            reg_write(cpu, reg, size, v[reg]);
    }
    cpu->gpr[REG_ESP] = esp_plus(cpu, 8 * size);
}

/* PUSHF/PUSHFD: the image has VM and RF clear (SDM vol. 2, PUSHF).  In V86
 * mode under CR4.VME at IOPL < 3 the 16-bit form pushes the VIF-as-IF
 * image (vme.c); PUSHFD still traps. */
void pushf(Cpu *cpu, const Insn *in)
{
    if (vme_virtual_flags(cpu) && insn_opsize(in) == 2) {
        stack_push(cpu, 2, vme_flags_image(cpu));
        return;
    }
    cpu_check_v86_iopl(cpu);
    stack_push(cpu, insn_opsize(in), cpu_get_eflags(cpu) & ~(EFLAGS_VM | EFLAGS_RF));
}

/*
 * The EFLAGS bits POPF may change (SDM vol. 2, POPF): those the model lets
 * software toggle, never VM, RF, VIF or VIP; IOPL only at CPL 0; IF only
 * when CPL <= IOPL.  In V86 mode (IOPL 3, else #GP) IOPL is kept.  Real
 * mode behaves as CPL 0.  The CR4.VME form is popf_virtual below.
 */
static uint32_t popf_writable(Cpu *cpu, unsigned size)
{
    uint32_t mask = cpu->model->eflags_writable &
                    ~(EFLAGS_VM | EFLAGS_RF | EFLAGS_VIF | EFLAGS_VIP);
    cpu_check_v86_iopl(cpu);
    if (cpu_v86_mode(cpu)) {
        mask &= ~EFLAGS_IOPL;
    } else if (!cpu_real_mode(cpu)) {
        if (cpu_cpl(cpu) > 0)
            mask &= ~EFLAGS_IOPL;
        if (cpu_cpl(cpu) > cpu_iopl(cpu))
            mask &= ~EFLAGS_IF;
    }
    return size == 2 ? mask & 0xFFFFu : mask;
}

/*
 * POPF in V86 mode under CR4.VME at IOPL < 3 (SDM vol. 2, POPF): the
 * image's IF goes to VIF, IF and IOPL stay; #GP(0) if it sets TF, or IF
 * while VIP is set (vme.c).
 */
static void popf_virtual(Cpu *cpu)
{
    uint16_t v = (uint16_t)stack_peek(cpu, 0, 2);
    vme_check_flags(cpu, v);
    stack_pointer_set(cpu, (stack_pointer(cpu) + 2) & stack_mask(cpu));
    vme_load_flags(cpu, v);
}

/*
 * POPF/POPFD.  A 32-bit POPF also clears RF.  Setting TF or IF takes
 * effect from the next instruction boundary (the run loop's concern).
 */
void popf(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    if (vme_virtual_flags(cpu) && size == 2) {
        popf_virtual(cpu);
        return;
    }
    uint32_t mask = popf_writable(cpu, size);
    uint32_t v = stack_pop(cpu, size);
    uint32_t flags = (cpu_get_eflags(cpu) & ~mask) | (v & mask);
    if (size == 4)
        flags &= ~EFLAGS_RF;
    cpu_set_eflags(cpu, flags);
}

/*
 * ENTER imm16, imm8 (SDM vol. 2, ENTER): push eBP, copy level-1 frame
 * pointers from the enclosing frame, push the new frame pointer, then
 * reserve imm16 bytes.  The level is taken modulo 32.  All stores go to
 * explicit offsets; eBP and eSP are written at the end, after the final
 * stack top has been checked for writability (as the 386 does).  With a
 * 16-bit operand size only BP is written.
 */
void enter_Iw_Ib(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t mask = stack_mask(cpu);
    uint32_t alloc = in->imm & 0xFFFF;
    unsigned level = in->imm2 & 0x1F;
    uint32_t sp = (stack_pointer(cpu) - size) & mask;
    mem_write(cpu, SEG_SS, sp, reg_read(cpu, REG_EBP, size), size);
    uint32_t frame = sp;
    if (level > 0) {
        uint32_t bp = cpu->gpr[REG_EBP] & mask;
        for (unsigned i = 1; i < level; i++) {
            bp = (bp - size) & mask;
            uint32_t link = mem_read(cpu, SEG_SS, bp, size);
            sp = (sp - size) & mask;
            mem_write(cpu, SEG_SS, sp, link, size);
        }
        sp = (sp - size) & mask;
        mem_write(cpu, SEG_SS, sp, frame, size);
    }
    sp = (sp - alloc) & mask;
    mem_check_write(cpu, SEG_SS, sp, size);
    reg_write(cpu, REG_EBP, size, frame);
    cpu->gpr[REG_ESP] = (cpu->gpr[REG_ESP] & ~mask) | sp;
}

/* LEAVE: eSP = eBP (by stack size), then pop eBP (by operand size). */
void leave(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t mask = stack_mask(cpu);
    uint32_t sp = cpu->gpr[REG_EBP] & mask;
    uint32_t v = mem_read(cpu, SEG_SS, sp, size);
    cpu->gpr[REG_ESP] = (cpu->gpr[REG_ESP] & ~mask) | ((sp + size) & mask);
    reg_write(cpu, REG_EBP, size, v);
}
