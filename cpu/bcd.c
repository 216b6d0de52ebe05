/* SPDX-License-Identifier: MIT */
/*
 * Decimal arithmetic: the packed-BCD adjusts DAA and DAS, the unpacked ones
 * AAA, AAS, AAM and AAD (with any base as the immediate), and the undocumented
 * SALC (AL = CF ? FF : 00).  SDM vol. 2, the instruction pages of those names;
 * vol. 1, 7.3.2.3 (decimal arithmetic).  Flags the SDM leaves undefined get
 * the values the hardware is known to produce where that is well established:
 * DAA/DAS set OF as the signed overflow of the correction they add, AAD sets
 * every flag as the final byte ADD of AL and AH * base does, AAM clears OF, AF
 * and CF.  AAA and AAS give SF, ZF and PF of the final AL and clear OF.
 */
#include "cpu_internal.h"

enum { REG8_AH = 4 };

static uint32_t bool_flag(bool b, uint32_t flag)
{
    return b ? flag : 0;
}

/* Sets all six arithmetic flags: CF, AF and OF as given, SF/ZF/PF from AL. */
static void bcd_flags(Cpu *cpu, uint8_t al, bool cf, bool af, bool of)
{
    flags_set(cpu, EFLAGS_CF | EFLAGS_AF | EFLAGS_OF,
              bool_flag(cf, EFLAGS_CF) | bool_flag(af, EFLAGS_AF) | bool_flag(of, EFLAGS_OF));
    flags_set_szp(cpu, 1, al);
}

/*
 * DAA/DAS: add (subtract) 06 if the low digit is past 9 or AF is set, then 60
 * if the original byte was past 99 or CF is set.  The SDM's pseudo-code, with
 * the two corrections kept as one operand so that OF can be its overflow.
 * DAS also sets CF on a borrow out of the low correction alone (SDM: CF =
 * old_CF or borrow from AL - 6); for DAA that carry implies AL > 99 anyway.
 */
static void decimal_adjust(Cpu *cpu, bool subtract)
{
    uint8_t old_al = (uint8_t)reg_read(cpu, REG_EAX, 1);
    bool af = (old_al & 0x0F) > 9 || flag_af(cpu);
    bool cf = old_al > 0x99 || flag_cf(cpu);
    uint8_t adj = (uint8_t)((af ? 0x06 : 0) | (cf ? 0x60 : 0));
    uint8_t al = (uint8_t)(subtract ? old_al - adj : old_al + adj);
    bool of;

    if (subtract) {
        cf = cf || (af && old_al < 6);
        of = ((old_al ^ adj) & (old_al ^ al) & 0x80) != 0;
    } else {
        of = ((old_al ^ al) & (adj ^ al) & 0x80) != 0;
    }
    reg_write(cpu, REG_EAX, 1, al);
    bcd_flags(cpu, al, cf, af, of);
}

void daa(Cpu *cpu, const Insn *in) { decimal_adjust(cpu, false); }
void das(Cpu *cpu, const Insn *in) { decimal_adjust(cpu, true); }

/*
 * AAA/AAS: when the low digit is past 9 (or AF), AX += 106h (AAA) or AX -= 6
 * and AH -= 1 (AAS), with AF = CF = 1; AL keeps only its low digit.  The
 * 286 and later carry the correction through AX, unlike the 8086.
 */
static void ascii_adjust(Cpu *cpu, bool subtract)
{
    uint16_t ax = (uint16_t)reg_read(cpu, REG_EAX, 2);
    bool adjust = (ax & 0x0F) > 9 || flag_af(cpu);

    if (adjust)
        ax = subtract ? (uint16_t)(ax - 6 - 0x100) : (uint16_t)(ax + 0x106);
    ax &= 0xFF0F;
    reg_write(cpu, REG_EAX, 2, ax);
    bcd_flags(cpu, (uint8_t)ax, adjust, adjust, false);
}

void aaa(Cpu *cpu, const Insn *in) { ascii_adjust(cpu, false); }
void aas(Cpu *cpu, const Insn *in) { ascii_adjust(cpu, true); }

/* AAM base: AH = AL / base, AL = AL mod base; base 0 divides by zero. */
void aam_Ib(Cpu *cpu, const Insn *in)
{
    uint8_t base = (uint8_t)in->imm;
    uint8_t al = (uint8_t)reg_read(cpu, REG_EAX, 1);

    if (base == 0)
        cpu_raise(cpu, EXC_DE, NO_ERROR_CODE, FAULT_AAM_ZERO, 0, 0, 0);
    reg_write(cpu, REG8_AH, 1, al / base);
    reg_write(cpu, REG_EAX, 1, al % base);
    bcd_flags(cpu, al % base, false, false, false);
}

/* AAD base: AL = AL + AH * base (a byte), AH = 0; flags as that final ADD. */
void aad_Ib(Cpu *cpu, const Insn *in)
{
    uint8_t al = (uint8_t)reg_read(cpu, REG_EAX, 1);
    uint8_t product = (uint8_t)(reg_read(cpu, REG8_AH, 1) * (in->imm & 0xFF));
    uint8_t res = (uint8_t)(al + product);

    reg_write(cpu, REG_EAX, 2, res);
    flags_record(cpu, FLAG_OP_ADD, 1, al, product, res);
}

/* SALC (D6): AL = FF if CF else 00; no flags change. */
void salc(Cpu *cpu, const Insn *in)
{
    reg_write(cpu, REG_EAX, 1, flag_cf(cpu) ? 0xFF : 0);
}
