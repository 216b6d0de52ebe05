/* SPDX-License-Identifier: MIT */
/*
 * Lazy arithmetic flags (SDM vol. 1, 3.4.3.1 and appendix A, "EFLAGS cross
 * reference").  An ALU instruction does not compute CF, PF, AF, ZF, SF and OF;
 * it records the operation, the operand size, both operands and the result in
 * cpu->lazy, and a flag is derived only when something reads it: a Jcc reads
 * one or two, PUSHF reads all six.  Most results are never read before the
 * next ALU instruction overwrites them, so this is where the interpreter saves
 * its time.  While cpu->lazy.op is FLAG_OP_NONE the six bits live in
 * cpu->eflags like every other bit; INC and DEC keep the previous CF there.
 * The lazy record covers ADD, ADC, SUB, SBB, NEG, INC, DEC and the logical
 * operations; shifts, multiplies and BCD adjusts set their flags directly
 * with flags_set(), which first folds any pending record into EFLAGS.
 */
#include "cpu_internal.h"

/*
 * Carry out of the top bit.  ADC and SBB do not keep their carry-in, but it is
 * recoverable: with carry-in 0 a result equal to dst means src was 0 (no
 * carry), with carry-in 1 it means src was all ones (carry).
 */
static bool lazy_cf(const LazyFlags *lf)
{
    switch (lf->op) {
    case FLAG_OP_ADD:
        return lf->res < lf->dst;
    case FLAG_OP_ADC:
        return lf->res < lf->dst || (lf->res == lf->dst && lf->src != 0);
    case FLAG_OP_SUB:
        return lf->dst < lf->src;
    case FLAG_OP_SBB:
        return lf->res > lf->dst || (lf->res == lf->dst && lf->src != 0);
    case FLAG_OP_NEG:
        return lf->src != 0;
    default:
        return false;       /* LOGIC; INC/DEC never get here */
    }
}

/* Signed overflow: the operands' signs agree (ADD) or differ (SUB) and the
 * result's sign differs from dst. */
static bool lazy_of(const LazyFlags *lf)
{
    uint32_t sign = size_sign_bit(lf->size);

    switch (lf->op) {
    case FLAG_OP_ADD:
    case FLAG_OP_ADC:
    case FLAG_OP_INC:
        return ((lf->dst ^ lf->res) & (lf->src ^ lf->res) & sign) != 0;
    case FLAG_OP_SUB:
    case FLAG_OP_SBB:
    case FLAG_OP_DEC:
    case FLAG_OP_NEG:
        return ((lf->dst ^ lf->src) & (lf->dst ^ lf->res) & sign) != 0;
    default:
        return false;
    }
}

/* Carry or borrow out of bit 3: bit 4 of dst ^ src ^ res for every add and
 * subtract, carry-in or not. */
static bool lazy_af(const LazyFlags *lf)
{
    if (lf->op == FLAG_OP_LOGIC)
        return false;
    return ((lf->dst ^ lf->src ^ lf->res) & 0x10) != 0;
}

uint32_t parity_flag(uint32_t res)
{
    uint32_t v = res & 0xFF;

    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return (v & 1) ? 0 : EFLAGS_PF;
}

static uint32_t szp_bits(unsigned size, uint32_t res)
{
    uint32_t bits = parity_flag(res);

    if ((res & size_mask(size)) == 0)
        bits |= EFLAGS_ZF;
    if (res & size_sign_bit(size))
        bits |= EFLAGS_SF;
    return bits;
}

/* Folds a pending lazy record into cpu->eflags. */
static void flags_materialize(Cpu *cpu)
{
    const LazyFlags *lf = &cpu->lazy;
    uint32_t bits;

    if (lf->op == FLAG_OP_NONE)
        return;
    bits = szp_bits(lf->size, lf->res);
    if (lf->op == FLAG_OP_INC || lf->op == FLAG_OP_DEC)
        bits |= cpu->eflags & EFLAGS_CF;
    else if (lazy_cf(lf))
        bits |= EFLAGS_CF;
    if (lazy_af(lf))
        bits |= EFLAGS_AF;
    if (lazy_of(lf))
        bits |= EFLAGS_OF;
    cpu->eflags = (cpu->eflags & ~EFLAGS_ARITH) | bits;
    cpu->lazy.op = FLAG_OP_NONE;
}

void flags_record(Cpu *cpu, FlagOp op, unsigned size, uint32_t dst, uint32_t src, uint32_t res)
{
    uint32_t mask = size_mask(size);

    /* INC and DEC leave CF alone, so CF must be in EFLAGS before the record
     * that replaces the one it came from. */
    if (op == FLAG_OP_INC || op == FLAG_OP_DEC)
        flags_set(cpu, EFLAGS_CF, flag_cf(cpu) ? EFLAGS_CF : 0);
    cpu->lazy.op = (uint8_t)op;
    cpu->lazy.size = (uint8_t)size;
    cpu->lazy.dst = dst & mask;
    cpu->lazy.src = src & mask;
    cpu->lazy.res = res & mask;
}

void flags_set(Cpu *cpu, uint32_t mask, uint32_t value)
{
    flags_materialize(cpu);
    cpu->eflags = (cpu->eflags & ~mask) | (value & mask);
}

void flags_set_szp(Cpu *cpu, unsigned size, uint32_t res)
{
    flags_set(cpu, EFLAGS_SF | EFLAGS_ZF | EFLAGS_PF, szp_bits(size, res));
}

bool flag_cf(Cpu *cpu)
{
    uint8_t op = cpu->lazy.op;

    if (op == FLAG_OP_NONE || op == FLAG_OP_INC || op == FLAG_OP_DEC)
        return (cpu->eflags & EFLAGS_CF) != 0;
    return lazy_cf(&cpu->lazy);
}

bool flag_zf(Cpu *cpu)
{
    if (cpu->lazy.op == FLAG_OP_NONE)
        return (cpu->eflags & EFLAGS_ZF) != 0;
    return cpu->lazy.res == 0;
}

bool flag_sf(Cpu *cpu)
{
    if (cpu->lazy.op == FLAG_OP_NONE)
        return (cpu->eflags & EFLAGS_SF) != 0;
    return (cpu->lazy.res & size_sign_bit(cpu->lazy.size)) != 0;
}

bool flag_af(Cpu *cpu)
{
    if (cpu->lazy.op == FLAG_OP_NONE)
        return (cpu->eflags & EFLAGS_AF) != 0;
    return lazy_af(&cpu->lazy);
}

bool flag_of(Cpu *cpu)
{
    if (cpu->lazy.op == FLAG_OP_NONE)
        return (cpu->eflags & EFLAGS_OF) != 0;
    return lazy_of(&cpu->lazy);
}

static bool flag_pf(Cpu *cpu)
{
    if (cpu->lazy.op == FLAG_OP_NONE)
        return (cpu->eflags & EFLAGS_PF) != 0;
    return parity_flag(cpu->lazy.res) != 0;
}

/*
 * The sixteen conditions of Jcc/SETcc/CMOVcc (SDM vol. 1, appendix B): the
 * pairs are a condition and its negation, so bit 0 of cc inverts.
 */
bool cpu_condition(Cpu *cpu, unsigned cc)
{
    bool r;

    switch ((cc >> 1) & 7) {
    case 0: r = flag_of(cpu); break;                            /* O */
    case 1: r = flag_cf(cpu); break;                            /* B, C */
    case 2: r = flag_zf(cpu); break;                            /* Z, E */
    case 3: r = flag_cf(cpu) || flag_zf(cpu); break;            /* BE */
    case 4: r = flag_sf(cpu); break;                            /* S */
    case 5: r = flag_pf(cpu); break;                            /* P */
    case 6: r = flag_sf(cpu) != flag_of(cpu); break;            /* L */
    default: r = flag_zf(cpu) || flag_sf(cpu) != flag_of(cpu); break;   /* LE */
    }
    return (cc & 1) ? !r : r;
}

uint32_t cpu_get_eflags(Cpu *cpu)
{
    flags_materialize(cpu);
    return cpu->eflags | EFLAGS_FIXED1;
}

void cpu_set_eflags(Cpu *cpu, uint32_t value)
{
    /* Bits 3, 5, 15 and 22-31 are reserved and always read 0; bit 1 reads 1. */
    cpu->eflags = (value & ~EFLAGS_RESERVED) | EFLAGS_FIXED1;
    cpu->lazy.op = FLAG_OP_NONE;
}
