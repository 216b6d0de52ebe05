/* SPDX-License-Identifier: MIT */
/*
 * The MMX instructions of the Pentium II (SDM vol. 1, ch. 9; vol. 2, each
 * instruction): packed byte, word, dword and quadword arithmetic with
 * wrap-around or saturation, compares, logic, shifts, packs and unpacks,
 * and MOVD/MOVQ.  The eight 64-bit registers MM0-MM7 are the significands
 * of the x87's physical registers R0-R7 (fpu.h): an MMX instruction sets
 * TOP to 0 and every tag to valid, a write to MMi sets Ri's sign and
 * exponent to all ones, and EMMS empties every tag (vol. 1, 9.5).  The
 * checks follow vol. 3, table 12-1: CR0.EM is #UD, CR0.TS is #NM, then a
 * pending unmasked x87 exception is #MF or FERR# as for a waiting x87
 * instruction.  The 66-, F2- and F3-prefixed forms of these opcodes are
 * SSE and SSE2 instructions this model lacks, so they are #UD (a real
 * Pentium II would ignore such a prefix; we refuse it so software probing
 * for SSE sees an honest #UD).  Not modelled: the MMX timing and the
 * per-instruction FPU data pointer, which MMX instructions leave unchanged.
 */
#include "cpu_internal.h"

/* ---- state and checks ---- */

void mmx_enter(Cpu *cpu)
{
    cpu->fpu.status &= (uint16_t)~FSW_TOP;
    cpu->fpu.tag = 0;               /* FPU_TAG_VALID in all eight 2-bit fields */
}

/* Table 12-1 of SDM vol. 3 plus the model's feature bit and the SSE prefixes;
 * EMMS runs the same checks. */
static void mmx_check(Cpu *cpu, const Insn *in)
{
    if (!cpu_has(cpu, FEAT_MMX))
        cpu_raise_ud(cpu);
    if (in->rep != REP_NONE || in->opsize32 != cpu_code32(cpu))
        cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_MMX_SSE_PREFIX, in->opcode, 0, 0);
    if (cpu->cr0 & CR0_EM)
        cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_MMX_EM, cpu->cr0, 0, 0);
    if (cpu->cr0 & CR0_TS)
        cpu_raise(cpu, EXC_NM, NO_ERROR_CODE, FAULT_MMX_TS, cpu->cr0, 0, 0);
    fpu_check_pending(cpu);
}

static uint64_t mm_read(const Cpu *cpu, unsigned n)
{
    return cpu->fpu.reg[n & 7].significand;
}

static void mm_write(Cpu *cpu, unsigned n, uint64_t value)
{
    cpu->fpu.reg[n & 7].significand = value;
    cpu->fpu.reg[n & 7].sign_exp = 0xFFFF;
}

/* The Qq operand (MMi by ModRM.rm, or memory) of `bytes` bytes: 8, or 4 for
 * the PUNPCKL forms, whose memory operand is a dword. */
static uint64_t read_Qq(Cpu *cpu, const Insn *in, unsigned bytes)
{
    if (in->mod == 3)
        return mm_read(cpu, in->rm);
    if (bytes == 4)
        return mem_read(cpu, in->seg, insn_ea(cpu, in), 4);
    return fpu_read_u64(cpu, in->seg, insn_ea(cpu, in));
}

/* ---- lanes ---- */

typedef enum MmxOp {
    MMX_ADD, MMX_ADDS, MMX_ADDUS, MMX_SUB, MMX_SUBS, MMX_SUBUS,
    MMX_CMPEQ, MMX_CMPGT, MMX_MULL, MMX_MULH, MMX_MADD,
    MMX_AND, MMX_ANDN, MMX_OR, MMX_XOR,
    MMX_SLL, MMX_SRL, MMX_SRA,
    MMX_PACKSS, MMX_PACKUS, MMX_UNPCKL, MMX_UNPCKH,
} MmxOp;

static int64_t lane_signed(uint64_t v, unsigned bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static uint64_t saturate_signed(int64_t v, unsigned bits)
{
    int64_t max = (INT64_C(1) << (bits - 1)) - 1;
    int64_t min = -max - 1;

    return (uint64_t)(v > max ? max : v < min ? min : v) & ((UINT64_C(1) << bits) - 1);
}

static uint64_t saturate_unsigned(int64_t v, unsigned bits)
{
    int64_t max = (INT64_C(1) << bits) - 1;

    return (uint64_t)(v > max ? max : v < 0 ? 0 : v);
}

/* One lane of an element-wise operation; a and b are the lane's bits. */
static uint64_t lane_op(MmxOp op, unsigned bits, uint64_t a, uint64_t b)
{
    uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
    int64_t sa = lane_signed(a, bits), sb = lane_signed(b, bits);

    switch (op) {
    case MMX_ADD:   return (a + b) & mask;
    case MMX_ADDS:  return saturate_signed(sa + sb, bits);
    case MMX_ADDUS: return saturate_unsigned((int64_t)(a + b), bits);
    case MMX_SUB:   return (a - b) & mask;
    case MMX_SUBS:  return saturate_signed(sa - sb, bits);
    case MMX_SUBUS: return saturate_unsigned((int64_t)a - (int64_t)b, bits);
    case MMX_CMPEQ: return a == b ? mask : 0;
    case MMX_CMPGT: return sa > sb ? mask : 0;
    case MMX_MULL:  return (uint64_t)(sa * sb) & mask;
    case MMX_MULH:  return (uint64_t)((sa * sb) >> bits) & mask;
    default:        return 0;
    }
}

/* Element-wise operations over 8, 4 or 2 lanes. */
static uint64_t packed_op(MmxOp op, unsigned bits, uint64_t a, uint64_t b)
{
    uint64_t mask = (UINT64_C(1) << bits) - 1, r = 0;

    for (unsigned s = 0; s < 64; s += bits)
        r |= lane_op(op, bits, (a >> s) & mask, (b >> s) & mask) << s;
    return r;
}

/* PSLL/PSRL/PSRA: the count is the whole 64-bit operand; a count of the
 * lane width or more clears a logical shift's lanes and fills an arithmetic
 * shift's with the sign. */
static uint64_t packed_shift(MmxOp op, unsigned bits, uint64_t a, uint64_t count)
{
    uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1, r = 0;

    for (unsigned s = 0; s < 64; s += bits) {
        uint64_t lane = (a >> s) & mask, out;
        if (op == MMX_SRA)
            out = (uint64_t)(lane_signed(lane, bits) >> (count >= bits ? bits - 1 : count)) & mask;
        else if (count >= bits)
            out = 0;
        else
            out = (op == MMX_SLL ? lane << count : lane >> count) & mask;
        r |= out << s;
    }
    return r;
}

/* PMADDWD: each dword is the sum of two signed word products; only
 * 8000h * 8000h twice overflows, and wraps to 80000000h. */
static uint64_t packed_madd(uint64_t a, uint64_t b)
{
    uint64_t r = 0;

    for (unsigned s = 0; s < 64; s += 32) {
        int64_t lo = lane_signed(a >> s, 16) * lane_signed(b >> s, 16);
        int64_t hi = lane_signed(a >> (s + 16), 16) * lane_signed(b >> (s + 16), 16);
        r |= ((uint64_t)(lo + hi) & 0xFFFFFFFFu) << s;
    }
    return r;
}

/* PACKSS/PACKUS: the destination's lanes narrowed into the low half of the
 * result, the source's into the high half. */
static uint64_t packed_pack(MmxOp op, unsigned bits, uint64_t a, uint64_t b)
{
    unsigned half = bits / 2;
    uint64_t r = 0;

    for (unsigned i = 0; i < 64 / bits; i++) {
        int64_t la = lane_signed(a >> (i * bits), bits), lb = lane_signed(b >> (i * bits), bits);
        uint64_t na = op == MMX_PACKSS ? saturate_signed(la, half) : saturate_unsigned(la, half);
        uint64_t nb = op == MMX_PACKSS ? saturate_signed(lb, half) : saturate_unsigned(lb, half);
        r |= na << (i * half);
        r |= nb << (32 + i * half);
    }
    return r;
}

/* PUNPCKL/PUNPCKH: the lanes of one half of each operand interleaved,
 * destination first. */
static uint64_t packed_unpack(MmxOp op, unsigned bits, uint64_t a, uint64_t b)
{
    uint64_t mask = bits == 32 ? 0xFFFFFFFFu : (UINT64_C(1) << bits) - 1, r = 0;
    unsigned from = op == MMX_UNPCKH ? 32 : 0;

    for (unsigned i = 0; i < 32 / bits; i++) {
        r |= ((a >> (from + i * bits)) & mask) << (2 * i * bits);
        r |= ((b >> (from + i * bits)) & mask) << ((2 * i + 1) * bits);
    }
    return r;
}

static uint64_t mmx_compute(MmxOp op, unsigned bits, uint64_t a, uint64_t b)
{
    switch (op) {
    case MMX_AND:    return a & b;
    case MMX_ANDN:   return ~a & b;
    case MMX_OR:     return a | b;
    case MMX_XOR:    return a ^ b;
    case MMX_MADD:   return packed_madd(a, b);
    case MMX_SLL: case MMX_SRL: case MMX_SRA:
        return packed_shift(op, bits, a, b);
    case MMX_PACKSS: case MMX_PACKUS:
        return packed_pack(op, bits, a, b);
    case MMX_UNPCKL: case MMX_UNPCKH:
        return packed_unpack(op, bits, a, b);
    default:
        return packed_op(op, bits, a, b);
    }
}

/* ---- the MMi, MMi/m64 forms ---- */

/* What each 0F-map opcode of the "mmx_Pq_Qq" rows does: the operation, the
 * lane width in bits (the source lane for packs) and the size of the memory
 * operand. */
typedef struct MmxForm {
    uint8_t op, bits, mem_bytes;
} MmxForm;

static const MmxForm mmx_forms[256] = {
    [0x60] = { MMX_UNPCKL, 8, 4 },  [0x61] = { MMX_UNPCKL, 16, 4 }, [0x62] = { MMX_UNPCKL, 32, 4 },
    [0x63] = { MMX_PACKSS, 16, 8 }, [0x64] = { MMX_CMPGT, 8, 8 },   [0x65] = { MMX_CMPGT, 16, 8 },
    [0x66] = { MMX_CMPGT, 32, 8 },  [0x67] = { MMX_PACKUS, 16, 8 }, [0x68] = { MMX_UNPCKH, 8, 8 },
    [0x69] = { MMX_UNPCKH, 16, 8 }, [0x6A] = { MMX_UNPCKH, 32, 8 }, [0x6B] = { MMX_PACKSS, 32, 8 },
    [0x74] = { MMX_CMPEQ, 8, 8 },   [0x75] = { MMX_CMPEQ, 16, 8 },  [0x76] = { MMX_CMPEQ, 32, 8 },
    [0xD1] = { MMX_SRL, 16, 8 },    [0xD2] = { MMX_SRL, 32, 8 },    [0xD3] = { MMX_SRL, 64, 8 },
    [0xD5] = { MMX_MULL, 16, 8 },   [0xD8] = { MMX_SUBUS, 8, 8 },   [0xD9] = { MMX_SUBUS, 16, 8 },
    [0xDB] = { MMX_AND, 64, 8 },    [0xDC] = { MMX_ADDUS, 8, 8 },   [0xDD] = { MMX_ADDUS, 16, 8 },
    [0xDF] = { MMX_ANDN, 64, 8 },   [0xE1] = { MMX_SRA, 16, 8 },    [0xE2] = { MMX_SRA, 32, 8 },
    [0xE5] = { MMX_MULH, 16, 8 },   [0xE8] = { MMX_SUBS, 8, 8 },    [0xE9] = { MMX_SUBS, 16, 8 },
    [0xEB] = { MMX_OR, 64, 8 },     [0xEC] = { MMX_ADDS, 8, 8 },    [0xED] = { MMX_ADDS, 16, 8 },
    [0xEF] = { MMX_XOR, 64, 8 },    [0xF1] = { MMX_SLL, 16, 8 },    [0xF2] = { MMX_SLL, 32, 8 },
    [0xF3] = { MMX_SLL, 64, 8 },    [0xF5] = { MMX_MADD, 16, 8 },   [0xF8] = { MMX_SUB, 8, 8 },
    [0xF9] = { MMX_SUB, 16, 8 },    [0xFA] = { MMX_SUB, 32, 8 },    [0xFC] = { MMX_ADD, 8, 8 },
    [0xFD] = { MMX_ADD, 16, 8 },    [0xFE] = { MMX_ADD, 32, 8 },
};

/* MMreg = MMreg OP MMrm/mem: every two-operand MMX instruction. */
void mmx_Pq_Qq(Cpu *cpu, const Insn *in)
{
    const MmxForm *form = &mmx_forms[in->opcode];
    uint64_t src;

    mmx_check(cpu, in);
    src = read_Qq(cpu, in, form->mem_bytes);
    mmx_enter(cpu);
    mm_write(cpu, in->reg, mmx_compute((MmxOp)form->op, form->bits, mm_read(cpu, in->reg), src));
}

/* The shift groups 0F 71/72/73 /2 /4 /6 ib: MMrm shifted by an immediate;
 * the memory forms do not exist. */
void mmx_shift_Nq_Ib(Cpu *cpu, const Insn *in)
{
    static const uint8_t bits_of[3] = { 16, 32, 64 };   /* 71, 72, 73 */
    MmxOp op = in->reg == 2 ? MMX_SRL : in->reg == 4 ? MMX_SRA : MMX_SLL;
    unsigned bits = bits_of[in->opcode - 0x71];

    mmx_check(cpu, in);
    if (in->mod != 3)
        cpu_raise(cpu, EXC_UD, NO_ERROR_CODE, FAULT_MMX_SHIFT_MEMORY, in->opcode, in->reg, 0);
    mmx_enter(cpu);
    mm_write(cpu, in->rm, packed_shift(op, bits, mm_read(cpu, in->rm), in->imm & 0xFF));
}

/* ---- moves ---- */

/* MOVD mm, r/m32: zero-extended into the quadword. */
void movd_Pq_Ed(Cpu *cpu, const Insn *in)
{
    uint32_t v;

    mmx_check(cpu, in);
    v = op_read_rm(cpu, in, 4);
    mmx_enter(cpu);
    mm_write(cpu, in->reg, v);
}

/* MOVD r/m32, mm: the low dword. */
void movd_Ed_Pq(Cpu *cpu, const Insn *in)
{
    mmx_check(cpu, in);
    op_write_rm(cpu, in, 4, (uint32_t)mm_read(cpu, in->reg));
    mmx_enter(cpu);
}

void movq_Pq_Qq(Cpu *cpu, const Insn *in)
{
    uint64_t v;

    mmx_check(cpu, in);
    v = read_Qq(cpu, in, 8);
    mmx_enter(cpu);
    mm_write(cpu, in->reg, v);
}

void movq_Qq_Pq(Cpu *cpu, const Insn *in)
{
    uint64_t v;

    mmx_check(cpu, in);
    v = mm_read(cpu, in->reg);
    if (in->mod == 3) {
        mmx_enter(cpu);
        mm_write(cpu, in->rm, v);
        return;
    }
    fpu_write_u64(cpu, in->seg, insn_ea(cpu, in), v);
    mmx_enter(cpu);
}

/* EMMS: the registers become empty x87 registers again (tag word FFFFh);
 * TOP and the register contents stay as they are. */
void emms(Cpu *cpu, const Insn *in)
{
    mmx_check(cpu, in);
    cpu->fpu.tag = 0xFFFF;
}
