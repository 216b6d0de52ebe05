/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupts: CR4.VME for virtual-8086 mode and CR4.PVI for ring 3
 * of protected mode (SDM vol. 3, 20.3 and 20.4).  When IOPL is below 3 the
 * instructions that would trap to the monitor work on EFLAGS.VIF instead
 * of IF: CLI and STI (VME and PVI), and in V86 mode only the 16-bit PUSHF,
 * POPF and IRET (VME), whose FLAGS image shows VIF in the IF position and
 * IOPL as 3.  VIP is set by the monitor when it holds an interrupt for the
 * task; an instruction that would set VIF while VIP is set raises #GP(0)
 * instead, so the monitor can deliver it.  The redirection of INT n through
 * the task's own interrupt vector table is in interrupt.c.  Not modelled:
 * the Pentium's #GP at the start of an instruction found with both VIF and
 * VIP set (after a task switch into a V86 task), which later parts dropped.
 */
#include "cpu_internal.h"

bool vme_virtual_flags(const Cpu *cpu)
{
    return cpu_v86_mode(cpu) && (cpu->cr4 & CR4_VME) && cpu_iopl(cpu) < 3;
}

/*
 * CLI/STI act on VIF: in V86 mode under VME, or at CPL 3 of protected mode
 * under PVI, when IOPL is below 3 (SDM vol. 2, CLI and STI).
 */
bool vme_virtual_if(const Cpu *cpu)
{
    if (cpu_real_mode(cpu) || cpu_iopl(cpu) == 3)
        return false;
    if (cpu_v86_mode(cpu))
        return (cpu->cr4 & CR4_VME) != 0;
    return cpu_cpl(cpu) == 3 && (cpu->cr4 & CR4_PVI) != 0;
}

/* STI, POPF and IRET may not set VIF while a virtual interrupt is pending. */
void vme_check_set_vif(Cpu *cpu)
{
    if (cpu->eflags & EFLAGS_VIP)
        cpu_raise(cpu, EXC_GP, 0, FAULT_VIP_PENDING, cpu->eflags, 0, 0);
}

/*
 * The FLAGS image a V86 task sees under VME at IOPL < 3: the low word of
 * EFLAGS with VIF in the IF position and IOPL reading 3 (SDM vol. 3,
 * table 20-2, method 6; vol. 2, PUSHF).
 */
uint16_t vme_flags_image(Cpu *cpu)
{
    uint32_t flags = cpu_get_eflags(cpu) & ~EFLAGS_IF;
    if (cpu->eflags & EFLAGS_VIF)
        flags |= EFLAGS_IF;
    return (uint16_t)(flags | EFLAGS_IOPL);
}

/*
 * POPF and IRET with a 16-bit image under VME at IOPL < 3: #GP(0) if the
 * image sets TF, or sets IF while VIP is set; otherwise the image's IF goes
 * to VIF and IF and IOPL stay (SDM vol. 2, POPF and IRET).  Checks only, so
 * the caller can finish its own checks before vme_load_flags commits.
 */
void vme_check_flags(Cpu *cpu, uint16_t image)
{
    if (image & EFLAGS_TF)
        cpu_raise(cpu, EXC_GP, 0, FAULT_VME_TF, image, cpu_iopl(cpu), 0);
    if (image & EFLAGS_IF)
        vme_check_set_vif(cpu);
}

void vme_load_flags(Cpu *cpu, uint16_t image)
{
    uint32_t mask = (cpu->model->eflags_writable & 0xFFFFu) & ~(EFLAGS_IF | EFLAGS_IOPL);
    uint32_t flags = (cpu_get_eflags(cpu) & ~(mask | EFLAGS_VIF)) | (image & mask);
    if (image & EFLAGS_IF)
        flags |= EFLAGS_VIF;
    cpu_set_eflags(cpu, flags);
}
