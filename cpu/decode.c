/* SPDX-License-Identifier: MIT */
/*
 * The decoder: prefixes, opcode (one-byte and 0F maps), ModRM, SIB,
 * displacement and immediates into a plain Insn (SDM vol. 2, ch. 2).  The
 * dispatch index is built at compile time from opcodes.def, so the table
 * stays the one source of truth.  Instruction bytes are fetched through CS
 * with its limit and the 15-byte length limit checked on every byte.
 */
#include "cpu_internal.h"

#include <stddef.h>

/* dispatch[map][opcode][ModRM.reg]: a row with handler NULL means #UD. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const OpcodeInfo dispatch[2][256][8] = {
#define X(m, op, r, mn, h, im, fl) \
    [m][op][(r) < 0 ? 0 : (r) ... (r) < 0 ? 7 : (r)] = { mn, h, (fl), im, m, op, r },
#include "opcodes.def"
#undef X
};

/* Whether a ModRM byte follows, per opcode (groups need it before the row is known). */
static const bool needs_modrm[2][256] = {
#define X(m, op, r, mn, h, im, fl) [m][op] = ((fl) & OPF_MODRM) != 0,
#include "opcodes.def"
#undef X
};
#pragma GCC diagnostic pop

const OpcodeInfo *cpu_opcode_lookup(unsigned map, unsigned opcode, unsigned reg)
{
    if (map > 1 || opcode > 0xFF || reg > 7)
        return NULL;
    const OpcodeInfo *row = &dispatch[map][opcode][reg];
    return row->handler ? row : NULL;
}

static uint8_t fetch8(Cpu *cpu, Insn *in)
{
    if (in->len >= INSN_MAX_LEN)
        cpu_raise(cpu, EXC_GP, 0, FAULT_INSN_TOO_LONG, 0, 0, 0);
    /* No wrap at 64 KiB: a 386 checks every byte against the CS limit. */
    uint32_t offset = cpu->insn_eip + in->len;
    in->len++;
    uint32_t lin = cpu->seg[SEG_CS].base + offset;
    if ((lin & ~0xFFFu) == cpu->fetch_page && offset <= cpu->seg[SEG_CS].limit)
        return cpu->fetch_host[lin & 0xFFF];
    return cpu_fetch_code_byte(cpu, offset);
}

static uint32_t fetch_n(Cpu *cpu, Insn *in, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)fetch8(cpu, in) << (i * 8);
    return v;
}

static void set_default_segment(Insn *in, unsigned seg)
{
    if (!in->seg_override)
        in->seg = (uint8_t)seg;
}

/* 16-bit ModRM forms (SDM vol. 2, table 2-1). */
static void decode_modrm16(Cpu *cpu, Insn *in)
{
    static const int8_t base16[8] = { REG_EBX, REG_EBX, REG_EBP, REG_EBP, -1, -1, REG_EBP, REG_EBX };
    static const int8_t index16[8] = { REG_ESI, REG_EDI, REG_ESI, REG_EDI, REG_ESI, REG_EDI, -1, -1 };
    if (in->mod == 0 && in->rm == 6) {
        in->disp = fetch_n(cpu, in, 2);
        return;
    }
    in->base = base16[in->rm];
    in->index = index16[in->rm];
    if (in->base == REG_EBP)
        set_default_segment(in, SEG_SS);
    if (in->mod == 1)
        in->disp = sign_extend(fetch8(cpu, in), 1);
    else if (in->mod == 2)
        in->disp = fetch_n(cpu, in, 2);
}

/* 32-bit ModRM and SIB forms (SDM vol. 2, tables 2-2 and 2-3). */
static void decode_modrm32(Cpu *cpu, Insn *in)
{
    unsigned base = in->rm;
    if (in->rm == 4) {
        uint8_t sib = fetch8(cpu, in);
        unsigned index = (sib >> 3) & 7;
        base = sib & 7;
        in->scale = (uint8_t)(1u << (sib >> 6));
        if (index != REG_ESP)
            in->index = (int8_t)index;
        if (base == REG_EBP && in->mod == 0) {
            in->disp = fetch_n(cpu, in, 4);
            return;
        }
    } else if (in->rm == 5 && in->mod == 0) {
        in->disp = fetch_n(cpu, in, 4);
        return;
    }
    in->base = (int8_t)base;
    if (base == REG_ESP || base == REG_EBP)
        set_default_segment(in, SEG_SS);
    if (in->mod == 1)
        in->disp = sign_extend(fetch8(cpu, in), 1);
    else if (in->mod == 2)
        in->disp = fetch_n(cpu, in, 4);
}

static void decode_immediate(Cpu *cpu, Insn *in)
{
    unsigned opsize = insn_opsize(in);
    switch ((ImmForm)in->op->imm) {
    case IMM_NONE:
        break;
    case IMM_B:
        in->imm = fetch8(cpu, in);
        break;
    case IMM_W:
        in->imm = fetch_n(cpu, in, 2);
        break;
    case IMM_V:
        in->imm = fetch_n(cpu, in, opsize);
        break;
    case IMM_FAR:
        in->imm = fetch_n(cpu, in, opsize);
        in->imm2 = fetch_n(cpu, in, 2);
        break;
    case IMM_ENTER:
        in->imm = fetch_n(cpu, in, 2);
        in->imm2 = fetch8(cpu, in);
        break;
    case IMM_MOFFS:
        in->disp = fetch_n(cpu, in, insn_addrsize(in));
        break;
    }
}

/* Reads prefixes; returns the first opcode byte. */
static uint8_t decode_prefixes(Cpu *cpu, Insn *in)
{
    bool code32 = cpu_code32(cpu);
    in->opsize32 = code32;
    in->addrsize32 = code32;
    for (;;) {
        uint8_t b = fetch8(cpu, in);
        switch (b) {
        case 0x26: in->seg = SEG_ES; in->seg_override = true; break;
        case 0x2E: in->seg = SEG_CS; in->seg_override = true; break;
        case 0x36: in->seg = SEG_SS; in->seg_override = true; break;
        case 0x3E: in->seg = SEG_DS; in->seg_override = true; break;
        case 0x64: in->seg = SEG_FS; in->seg_override = true; break;
        case 0x65: in->seg = SEG_GS; in->seg_override = true; break;
        case 0x66: in->opsize32 = !code32; break;
        case 0x67: in->addrsize32 = !code32; break;
        case 0xF0: in->lock = true; break;
        case 0xF2: in->rep = REP_NE; break;
        case 0xF3: in->rep = REP_E; break;
        default: return b;
        }
    }
}

void cpu_decode(Cpu *cpu, Insn *in)
{
    *in = (Insn){ .seg = SEG_DS, .base = -1, .index = -1, .scale = 1 };
    uint8_t b = decode_prefixes(cpu, in);
    if (b == 0x0F) {
        in->map = 1;
        b = fetch8(cpu, in);
    }
    in->opcode = b;
    unsigned reg = 0;
    if (needs_modrm[in->map][b]) {
        uint8_t modrm = fetch8(cpu, in);
        in->has_modrm = true;
        in->mod = modrm >> 6;
        in->reg = (modrm >> 3) & 7;
        in->rm = modrm & 7;
        reg = in->reg;
    }
    in->op = &dispatch[in->map][b][reg];
    if (!in->op->handler)
        cpu_raise_ud(cpu);
    uint16_t flags = in->op->flags;
    if (in->has_modrm) {
        if (flags & OPF_CREG)
            in->mod = 3;    /* MOV CRn/DRn: always registers, whatever mod says */
        else if (in->mod != 3)
            in->addrsize32 ? decode_modrm32(cpu, in) : decode_modrm16(cpu, in);
    }
    decode_immediate(cpu, in);
    if ((flags & OPF_486) && !cpu_has(cpu, FEAT_486))
        cpu_raise_ud(cpu);
    if ((flags & OPF_MEM) && in->mod == 3)
        cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_REGISTER_OPERAND, 0, 0, 0);
    if (in->lock && (!(flags & OPF_LOCK) || in->mod == 3))
        cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_LOCK_NOT_ALLOWED, 0, 0, 0);
}

/* Prefix rows exist so the table names every byte; the decoder consumes
 * prefixes itself, so this handler is never reached through dispatch. */
void prefix_byte(Cpu *cpu, const Insn *in)
{
    cpu_raise_ud(cpu);
}
