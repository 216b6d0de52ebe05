/* SPDX-License-Identifier: MIT */
/*
 * The system instructions the P6 family added (SDM vol. 2, each
 * instruction; vol. 3, 5.8.7 on SYSENTER/SYSEXIT): the fast system call
 * pair with its three MSRs, RDPMC, RSM, UD2 and the multi-byte NOP, plus
 * the P6 MSRs Linux reads while identifying the processor.  Not modelled:
 * performance monitoring (both P6 counters exist and read 0, since nothing
 * counts events), system management mode (no SMI is ever delivered, so RSM
 * is always #UD as it is outside SMM), microcode updates (IA32_BIOS_SIGN_ID
 * reads 0: no update loaded) and the upper halves of the SYSENTER MSRs,
 * which a 32-bit P6 ignores.
 */
#include "cpu_internal.h"

/* P6 MSRs (SDM vol. 4, table 2-2 and 2.17) */
#define MSR_PLATFORM_ID    0x17u
#define MSR_BIOS_SIGN_ID   0x8Bu
#define MSR_SYSENTER_CS    0x174u
#define MSR_SYSENTER_ESP   0x175u
#define MSR_SYSENTER_EIP   0x176u

/* Flat 4 GiB segment caches as SYSENTER and SYSEXIT load them, without
 * reading any descriptor: granular, 32-bit, present, accessed; code is
 * execute/read (type 11), the stack read/write (type 3). */
#define FLAT_CODE_ATTR(dpl) (SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P | (dpl) << SEG_ATTR_DPL_SHIFT | \
                             SEG_ATTR_S | 0xB)
#define FLAT_STACK_ATTR(dpl) (SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P | (dpl) << SEG_ATTR_DPL_SHIFT | \
                              SEG_ATTR_S | 0x3)

/* ---- MSRs ---- */

bool p6_msr_exists(const Cpu *cpu, uint32_t msr)
{
    if (msr >= MSR_SYSENTER_CS && msr <= MSR_SYSENTER_EIP)
        return cpu_has(cpu, FEAT_SEP);
    return (msr == MSR_PLATFORM_ID || msr == MSR_BIOS_SIGN_ID) && cpu_family(cpu) >= 6;
}

/* Platform ID 0 says "no platform bits" and BIOS_SIGN_ID 0 "no microcode
 * update loaded"; Linux reads both while printing the microcode level. */
uint64_t p6_msr_read(const Cpu *cpu, uint32_t msr)
{
    switch (msr) {
    case MSR_SYSENTER_CS:  return cpu->sysenter_cs;
    case MSR_SYSENTER_ESP: return cpu->sysenter_esp;
    case MSR_SYSENTER_EIP: return cpu->sysenter_eip;
    default:               return 0;
    }
}

/* Writing BIOS_SIGN_ID is how software asks for the update signature;
 * with no microcode it is ignored, as is a write to the platform ID. */
void p6_msr_write(Cpu *cpu, uint32_t msr, uint64_t value)
{
    switch (msr) {
    case MSR_SYSENTER_CS:  cpu->sysenter_cs = (uint32_t)value; break;
    case MSR_SYSENTER_ESP: cpu->sysenter_esp = (uint32_t)value; break;
    case MSR_SYSENTER_EIP: cpu->sysenter_eip = (uint32_t)value; break;
    default:               break;
    }
}

/* ---- SYSENTER / SYSEXIT ---- */

static void flat_segment(Segment *s, uint16_t sel, uint16_t attr)
{
    *s = (Segment){ .sel = sel, .base = 0, .limit = 0xFFFFFFFFu, .attr = attr };
}

/* Both instructions need protected mode (V86 mode included) and a code
 * selector in IA32_SYSENTER_CS other than a null one. */
static void check_sysenter_cs(Cpu *cpu)
{
    if (!cpu_has(cpu, FEAT_SEP))
        cpu_raise_ud(cpu);
    if (cpu_real_mode(cpu))
        cpu_raise(cpu, EXC_GP, 0, FAULT_SYSENTER_REAL_MODE, 0, 0, 0);
    if ((cpu->sysenter_cs & 0xFFFC) == 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_SYSENTER_CS_NULL, cpu->sysenter_cs, 0, 0);
}

/* SYSENTER: to CPL 0 at SYSENTER_CS:SYSENTER_EIP with the stack
 * SYSENTER_CS+8:SYSENTER_ESP; VM, IF and RF are cleared.  Nothing is saved:
 * user code passes its return point in EDX and ECX for SYSEXIT. */
void sysenter(Cpu *cpu, const Insn *in)
{
    uint16_t cs = (uint16_t)cpu->sysenter_cs & 0xFFFC;

    (void)in;
    check_sysenter_cs(cpu);
    cpu->eflags &= ~(EFLAGS_VM | EFLAGS_IF | EFLAGS_RF);
    flat_segment(&cpu->seg[SEG_CS], cs, FLAT_CODE_ATTR(0));
    flat_segment(&cpu->seg[SEG_SS], (uint16_t)(cs + 8), FLAT_STACK_ATTR(0));
    cpu->gpr[REG_ESP] = cpu->sysenter_esp;
    cpu->eip = cpu->sysenter_eip;
    cpu_flush_fetch_cache(cpu);
}

/* SYSEXIT: from CPL 0 to CPL 3 at SYSENTER_CS+16:EDX with the stack
 * SYSENTER_CS+24:ECX, both selectors with RPL 3. */
void sysexit(Cpu *cpu, const Insn *in)
{
    uint16_t cs = (uint16_t)cpu->sysenter_cs;
    unsigned cpl;

    (void)in;
    check_sysenter_cs(cpu);
    cpl = cpu_cpl(cpu);
    if (cpl != 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_CPL_NOT_ZERO, cpl, 0, 0);
    flat_segment(&cpu->seg[SEG_CS], (uint16_t)((cs + 16) | 3), FLAT_CODE_ATTR(3));
    flat_segment(&cpu->seg[SEG_SS], (uint16_t)((cs + 24) | 3), FLAT_STACK_ATTR(3));
    cpu->gpr[REG_ESP] = cpu->gpr[REG_ECX];
    cpu->eip = cpu->gpr[REG_EDX];
    /* The fetch cache holds a page checked at CPL 0 (see segment_load_cs). */
    cpu_flush_fetch_cache(cpu);
}

/* ---- RDPMC, RSM, UD2, NOP ---- */

/* RDPMC reads counter ECX (0 or 1 on the P6) at CPL 0, in real mode, or
 * anywhere under CR4.PCE.  No events are counted, so both read 0. */
void rdpmc(Cpu *cpu, const Insn *in)
{
    uint32_t counter = cpu->gpr[REG_ECX];
    unsigned cpl = cpu_cpl(cpu);

    (void)in;
    if (cpu_family(cpu) < 6)
        cpu_raise_ud(cpu);
    if (!(cpu->cr4 & CR4_PCE) && cpl != 0)
        cpu_raise(cpu, EXC_GP, 0, FAULT_RDPMC_DISABLED, cpl, 0, 0);
    if (counter > 1)
        cpu_raise(cpu, EXC_GP, 0, FAULT_RDPMC_COUNTER, counter, 0, 0);
    cpu->gpr[REG_EAX] = 0;
    cpu->gpr[REG_EDX] = 0;
}

/* RSM returns from system management mode; outside SMM (always, here) it
 * is #UD. */
void rsm(Cpu *cpu, const Insn *in)
{
    (void)in;
    cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_RSM_NOT_SMM, 0, 0, 0);
}

void ud2(Cpu *cpu, const Insn *in)
{
    (void)in;
    cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_UD2, 0, 0, 0);
}

/* NOP Ev (0F 1F /0): the P6 family's multi-byte NOP.  The operand is only
 * an address and is never accessed, so it cannot fault. */
void nop_Ev(Cpu *cpu, const Insn *in)
{
    (void)in;
    if (cpu_family(cpu) < 6)
        cpu_raise_ud(cpu);
}
