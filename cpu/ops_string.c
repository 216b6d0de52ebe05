/* SPDX-License-Identifier: MIT */
/*
 * String instructions: MOVS, CMPS, STOS, LODS, SCAS, INS and OUTS with the
 * REP, REPE and REPNE prefixes (SDM vol. 1, 7.3.9; vol. 2, the instruction
 * pages).  The source is seg:eSI, where seg is DS or an override; the
 * destination is always ES:eDI.  The address size picks SI/DI/CX or
 * ESI/EDI/ECX and EFLAGS.DF the direction.  A repeated instruction runs one
 * iteration per call and points EIP back at itself while work remains, so
 * the run loop counts each iteration, takes interrupts between them, and a
 * fault in an iteration leaves the registers as the completed iterations
 * left them, which is how the SDM says a REP string is restarted.  Every
 * iteration therefore does its memory and port accesses before it touches
 * eSI, eDI or eCX.  Not modelled: the fast-string path of later CPUs that
 * moves several elements per iteration.
 */
#include "cpu_internal.h"

/* SI/DI/CX or ESI/EDI/ECX, by the address size. */
static uint32_t string_reg(const Cpu *cpu, const Insn *in, unsigned reg)
{
    return reg_read(cpu, reg, insn_addrsize(in));
}

/* With a REP prefix and eCX = 0 the instruction does nothing at all. */
static bool string_skip(const Cpu *cpu, const Insn *in)
{
    return in->rep != REP_NONE && string_reg(cpu, in, REG_ECX) == 0;
}

/* Steps eSI or eDI by one element, down when DF is set.  A 16-bit address
 * size wraps SI/DI within 64 KiB and leaves the upper half alone. */
static void string_advance(Cpu *cpu, const Insn *in, unsigned reg, unsigned size)
{
    uint32_t delta = (cpu->eflags & EFLAGS_DF) ? 0u - size : size;

    reg_write(cpu, reg, insn_addrsize(in), string_reg(cpu, in, reg) + delta);
}

/* Ends an iteration of a repeated instruction: counts eCX down and, while it
 * is non-zero and `more` holds (the REPE/REPNE condition), runs the same
 * instruction again. */
static void string_repeat(Cpu *cpu, const Insn *in, bool more)
{
    unsigned asize = insn_addrsize(in);
    uint32_t count;

    if (in->rep == REP_NONE)
        return;
    count = (string_reg(cpu, in, REG_ECX) - 1) & size_mask(asize);
    reg_write(cpu, REG_ECX, asize, count);
    /* rep_unfinished tells an interrupt taken before the next iteration to
     * push RF (exec.c); every other way out of the instruction clears it. */
    cpu->rep_unfinished = count != 0 && more;
    if (cpu->rep_unfinished)
        cpu->eip = cpu->insn_eip;
}

/* CMPS and SCAS: REPE goes on while the operands are equal, REPNE while they
 * differ.  (F2 before the other string instructions acts as plain REP.) */
static bool string_condition(Cpu *cpu, const Insn *in)
{
    return in->rep == REP_E ? flag_zf(cpu) : !flag_zf(cpu);
}

/* Records the flags of the subtraction a - b, as CMP does. */
static void string_compare(Cpu *cpu, unsigned size, uint32_t a, uint32_t b)
{
    flags_record(cpu, FLAG_OP_SUB, size, a, b, (a - b) & size_mask(size));
}

static void movs(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t value;

    if (string_skip(cpu, in))
        return;
    value = mem_read(cpu, in->seg, string_reg(cpu, in, REG_ESI), size);
    mem_write(cpu, SEG_ES, string_reg(cpu, in, REG_EDI), value, size);
    string_advance(cpu, in, REG_ESI, size);
    string_advance(cpu, in, REG_EDI, size);
    string_repeat(cpu, in, true);
}

/* CMPS compares source with destination: flags of [eSI] - [eDI]. */
static void cmps(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t src, dst;

    if (string_skip(cpu, in))
        return;
    src = mem_read(cpu, in->seg, string_reg(cpu, in, REG_ESI), size);
    dst = mem_read(cpu, SEG_ES, string_reg(cpu, in, REG_EDI), size);
    string_compare(cpu, size, src, dst);
    string_advance(cpu, in, REG_ESI, size);
    string_advance(cpu, in, REG_EDI, size);
    string_repeat(cpu, in, string_condition(cpu, in));
}

static void stos(Cpu *cpu, const Insn *in, unsigned size)
{
    if (string_skip(cpu, in))
        return;
    mem_write(cpu, SEG_ES, string_reg(cpu, in, REG_EDI), reg_read(cpu, REG_EAX, size), size);
    string_advance(cpu, in, REG_EDI, size);
    string_repeat(cpu, in, true);
}

static void lods(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t value;

    if (string_skip(cpu, in))
        return;
    value = mem_read(cpu, in->seg, string_reg(cpu, in, REG_ESI), size);
    reg_write(cpu, REG_EAX, size, value);
    string_advance(cpu, in, REG_ESI, size);
    string_repeat(cpu, in, true);
}

/* SCAS compares the accumulator with the destination: flags of eAX - [eDI]. */
static void scas(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t value;

    if (string_skip(cpu, in))
        return;
    value = mem_read(cpu, SEG_ES, string_reg(cpu, in, REG_EDI), size);
    string_compare(cpu, size, reg_read(cpu, REG_EAX, size), value);
    string_advance(cpu, in, REG_EDI, size);
    string_repeat(cpu, in, string_condition(cpu, in));
}

/* The destination is checked before the port is read: reading a port can
 * change the device (a FIFO pops), so a faulting INS must not consume the
 * byte it will read again when restarted. */
static void ins(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t di, value;

    if (string_skip(cpu, in))
        return;
    di = string_reg(cpu, in, REG_EDI);
    mem_check_write(cpu, SEG_ES, di, size);
    value = cpu_port_in(cpu, (uint16_t)reg_read(cpu, REG_EDX, 2), size);
    mem_write(cpu, SEG_ES, di, value, size);
    string_advance(cpu, in, REG_EDI, size);
    string_repeat(cpu, in, true);
}

static void outs(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t value;

    if (string_skip(cpu, in))
        return;
    value = mem_read(cpu, in->seg, string_reg(cpu, in, REG_ESI), size);
    cpu_port_out(cpu, (uint16_t)reg_read(cpu, REG_EDX, 2), value, size);
    string_advance(cpu, in, REG_ESI, size);
    string_repeat(cpu, in, true);
}

void movs_Yb_Xb(Cpu *cpu, const Insn *in) { movs(cpu, in, 1); }
void movs_Yv_Xv(Cpu *cpu, const Insn *in) { movs(cpu, in, insn_opsize(in)); }
void cmps_Xb_Yb(Cpu *cpu, const Insn *in) { cmps(cpu, in, 1); }
void cmps_Xv_Yv(Cpu *cpu, const Insn *in) { cmps(cpu, in, insn_opsize(in)); }
void stos_Yb_AL(Cpu *cpu, const Insn *in) { stos(cpu, in, 1); }
void stos_Yv_eAX(Cpu *cpu, const Insn *in) { stos(cpu, in, insn_opsize(in)); }
void lods_AL_Xb(Cpu *cpu, const Insn *in) { lods(cpu, in, 1); }
void lods_eAX_Xv(Cpu *cpu, const Insn *in) { lods(cpu, in, insn_opsize(in)); }
void scas_AL_Yb(Cpu *cpu, const Insn *in) { scas(cpu, in, 1); }
void scas_eAX_Yv(Cpu *cpu, const Insn *in) { scas(cpu, in, insn_opsize(in)); }
void ins_Yb_DX(Cpu *cpu, const Insn *in) { ins(cpu, in, 1); }
void ins_Yv_DX(Cpu *cpu, const Insn *in) { ins(cpu, in, insn_opsize(in)); }
void outs_DX_Xb(Cpu *cpu, const Insn *in) { outs(cpu, in, 1); }
void outs_DX_Xv(Cpu *cpu, const Insn *in) { outs(cpu, in, insn_opsize(in)); }
