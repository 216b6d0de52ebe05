/* SPDX-License-Identifier: MIT */
/*
 * The breakpoints of the debug registers (SDM vol. 3, 17.2-17.3): DR0-DR3
 * hold linear addresses (I/O ports for RW=10 with CR4.DE), DR7 enables each
 * locally or globally (L and G mean the same here, as task switches do not
 * clear the L bits yet) and gives its condition (RW: 00 execute, 01 write,
 * 10 I/O, 11 read or write) and length (LEN: 1, 2, 4 or 8 bytes, the
 * address masked to that alignment).  An instruction breakpoint is a fault
 * checked before the instruction is fetched, suppressed for one instruction
 * by EFLAGS.RF; data and I/O breakpoints are traps, collected in db_hits and
 * reported by exec.c after the instruction (or REP iteration) that hit.  On
 * a breakpoint #DB, DR6.B0-B3 are replaced by the enabled breakpoints that
 * matched; disabled ones never set their B bit.  LE/GE are ignored (every
 * breakpoint is exact).  Not modelled: the TSS T bit (DR6.BT) and the clear
 * of L0-L3 on a task switch, and RW=10 without CR4.DE (undefined: it never
 * matches).
 */
#include "cpu_internal.h"

#define DR6_B_MASK 0x0000000Fu
#define DR6_BS     0x00004000u

enum { RW_EXECUTE = 0, RW_WRITE = 1, RW_IO = 2, RW_READ_WRITE = 3 };

static bool bp_enabled(uint32_t dr7, unsigned i)
{
    return (dr7 >> (i * 2)) & 3;
}

static unsigned bp_rw(uint32_t dr7, unsigned i)
{
    return (dr7 >> (16 + i * 4)) & 3;
}

/* LEN 00, 01, 10, 11 are 1, 2, 8 and 4 bytes; the mask is length - 1.
 * Eight bytes (LEN=10) is what later processors make of the encoding the
 * SDM leaves undefined for 32-bit code. */
static uint32_t bp_len_mask(uint32_t dr7, unsigned i)
{
    static const uint32_t masks[4] = { 0, 1, 7, 3 };
    return masks[(dr7 >> (18 + i * 4)) & 3];
}

/* Does [lo, lo + size) overlap the aligned range breakpoint i watches? */
static bool bp_overlaps(const Cpu *cpu, unsigned i, uint32_t lo, unsigned size)
{
    uint32_t mask = bp_len_mask(cpu->dr[7], i);
    uint64_t first = cpu->dr[i] & ~mask, last = cpu->dr[i] | mask;
    return lo <= last && (uint64_t)lo + size - 1 >= first;
}

/* The enabled breakpoints whose condition accepts rw_a or rw_b and whose
 * range the access overlaps, as DR6 B bits. */
static unsigned bp_match(const Cpu *cpu, unsigned rw_a, unsigned rw_b, uint32_t lo, unsigned size)
{
    uint32_t dr7 = cpu->dr[7];
    unsigned hits = 0;
    for (unsigned i = 0; i < 4; i++) {
        unsigned rw = bp_rw(dr7, i);
        if (bp_enabled(dr7, i) && (rw == rw_a || rw == rw_b) && bp_overlaps(cpu, i, lo, size))
            hits |= 1u << i;
    }
    return hits;
}

void debug_data_access(Cpu *cpu, uint32_t lin, unsigned size, bool write)
{
    if (!(cpu->dr[7] & 0xFF))
        return;     /* only CR0.AM brought us here */
    cpu->db_hits |= (uint8_t)bp_match(cpu, RW_READ_WRITE, write ? RW_WRITE : RW_READ_WRITE, lin, size);
}

/* RW=10 means I/O only once CR4.DE gives it that meaning (SDM vol. 3, 17.2.4). */
void debug_io_access(Cpu *cpu, uint16_t port, unsigned size)
{
    if (cpu->cr4 & CR4_DE)
        cpu->db_hits |= (uint8_t)bp_match(cpu, RW_IO, RW_IO, port, size);
}

/*
 * At the start of an instruction, before its fetch (SDM vol. 3, 17.3.1.1):
 * an enabled execute breakpoint at CS.base + EIP is a #DB fault unless RF is
 * set, and RF is cleared once the check is past, so a handler that returns
 * with RF set in the image lets exactly one instruction run.
 */
void debug_instruction_start(Cpu *cpu)
{
    if (cpu->eflags & EFLAGS_RF) {
        cpu->eflags &= ~EFLAGS_RF;
        return;
    }
    uint32_t lin = cpu->seg[SEG_CS].base + cpu->eip;
    unsigned hits = bp_match(cpu, RW_EXECUTE, RW_EXECUTE, lin, 1);
    if (hits) {
        cpu->dr[6] = (cpu->dr[6] & ~DR6_B_MASK) | hits;
        cpu->db_hits = 0;
        cpu_raise(cpu, EXC_DB, NO_ERROR_CODE, FAULT_INSN_BREAKPOINT, lin, hits, 0);
    }
}

/* After an instruction: folds the pending data/I/O hits and single step into
 * DR6 for the #DB trap exec.c delivers; returns the B bits reported. */
unsigned debug_trap_status(Cpu *cpu, bool single_step)
{
    unsigned hits = cpu->db_hits;
    cpu->db_hits = 0;
    if (hits)
        cpu->dr[6] = (cpu->dr[6] & ~DR6_B_MASK) | hits;
    if (single_step)
        cpu->dr[6] |= DR6_BS;
    return hits;
}
