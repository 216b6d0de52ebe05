/* SPDX-License-Identifier: MIT */
/*
 * The alignment check of the 486 and later (SDM vol. 3, 6.15 "Interrupt 17
 * -- Alignment Check Exception (#AC)", and the table of alignment
 * requirements there): with CR0.AM and EFLAGS.AC both set, a data or stack
 * access made at CPL 3 (protected mode ring 3 or virtual-8086 mode) whose
 * address is not a multiple of its size is a fault, #AC with error code 0.
 * Instruction fetches and the implicit supervisor accesses to the GDT, LDT,
 * IDT and TSS are never checked: they do not come through mem_read and
 * mem_write, which alone call here.  The 386 has neither AM nor a writable
 * AC, so the check can never fire on that model.
 *
 * Operands made of several parts are checked one part at a time, as
 * mem_read/mem_write see them: a 16:16 far pointer as two words and a 16:32
 * one as a dword then a word (the same result as the table's 2 and 4),
 * PUSHA/POPA and ENTER one slot at a time.  Two differ from the table: the
 * SGDT/SIDT image is a word and a dword at +2 (a 4-aligned operand faults,
 * one that is 2 mod 4 passes, where the table asks for 4), and a 32-bit
 * PUSH of a segment register checks only the word it writes (an ESP that
 * is 2 mod 4 passes).  Not modelled: the x87 and SSE operands (no such
 * instructions yet), and the stack frames of a protected-mode far CALL and
 * of interrupt delivery, which go through frame_push and are never checked.
 */
#include "cpu_internal.h"

/* Sizes are 1, 2 or 4 bytes, each its own alignment requirement. */
static bool misaligned(uint32_t lin, unsigned size)
{
    return (lin & (size - 1)) != 0;
}

void alignment_check(Cpu *cpu, uint32_t lin, unsigned size)
{
    if (!misaligned(lin, size))
        return;
    if (!(cpu->cr0 & CR0_AM) || !(cpu->eflags & EFLAGS_AC) || cpu_cpl(cpu) != 3)
        return;
    cpu_raise(cpu, EXC_AC, 0, FAULT_ALIGNMENT_CHECK, lin, size, 0);
}
