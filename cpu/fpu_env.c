/* SPDX-License-Identifier: MIT */
/*
 * Memory images of the x87 state: FNSTENV/FLDENV (the environment),
 * FNSAVE/FRSTOR (environment plus the eight registers in ST order) and
 * FXSAVE/FXRSTOR (the 512-byte area of the P6 with FXSR).  The
 * environment comes in four layouts (SDM vol. 1, figures 8-9 to 8-12): 14
 * or 28 bytes by operand size, and in real and virtual-8086 mode the
 * instruction and data pointers packed as 20- or 32-bit linear addresses
 * beside the opcode instead of selector:offset pairs.  The tag word stored
 * is recomputed from the register contents (empty stays empty), and a
 * loaded one is kept only as empty/non-empty, as the P6 keeps its tags.
 * Reserved halves of the 32-bit layouts are stored as FFFFh, as Intel
 * parts do.  Not modelled: FXSAVE's XMM registers (this part has no SSE,
 * so bytes 160-511 of the area are left as they are), and the 16-bit
 * protected-mode layout's missing opcode, which FLDENV leaves unchanged.
 */
#include "cpu_internal.h"

enum { ENV16_BYTES = 14, ENV32_BYTES = 28, REG_BYTES = 10, FX_BYTES = 512, FX_USED = 160 };

/* MXCSR bits a part without DAZ accepts (the default MXCSR_MASK). */
#define MXCSR_MASK_DEFAULT 0x0000FFBFu

/* ---- byte images ---- */

static uint32_t get16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* Reads n bytes (n even) of the operand; every fault comes before the
 * caller changes any state. */
static void image_read(Cpu *cpu, const Insn *in, uint8_t *buf, unsigned n)
{
    uint32_t ea = insn_ea(cpu, in);

    for (unsigned i = 0; i < n; i += 2)
        put16(buf + i, mem_read(cpu, in->seg, ea + i, 2));
}

/* Checks the whole image first, so a fault leaves memory untouched. */
static void image_write(Cpu *cpu, const Insn *in, const uint8_t *buf, unsigned n)
{
    uint32_t ea = insn_ea(cpu, in);

    mem_check_write(cpu, in->seg, ea, n);
    for (unsigned i = 0; i < n; i += 2)
        mem_write(cpu, in->seg, ea + i, get16(buf + i), 2);
}

/* ---- the environment ---- */

/* A loaded FCW keeps only its defined bits, with reserved bit 6 reading 1
 * (as FLDCW loads it in fpu.c). */
static uint16_t fcw_loaded(uint32_t v)
{
    return (uint16_t)((v & 0x1F3F) | 0x0040);
}

/* Real and V86 mode store linear pointers: selector * 16 + offset. */
static bool env_real_layout(const Cpu *cpu)
{
    return cpu_real_mode(cpu) || cpu_v86_mode(cpu);
}

/*
 * 32-bit layouts, one dword per row (bits 31-16 | 15-0):
 *   protected                      real / V86
 *  0 FFFF | FCW                    FFFF | FCW
 *  4 FFFF | FSW                    FFFF | FSW
 *  8 FFFF | FTW                    FFFF | FTW
 * 12 FIP offset                    FFFF | FIP 15-0
 * 16 0:FOP (26-16) | FCS           0000 FIP 31-16 (27-12) 0 FOP (10-0)
 * 20 FDP offset                    FFFF | FDP 15-0
 * 24 FFFF | FDS                    0000 FDP 31-16 (27-12) 000000000000
 * The 16-bit layouts are the low words of these rows, with 4-bit pointer
 * tops (19-16) in bits 15-12 for the real-mode one.
 */
static void put_row(uint8_t *p, unsigned w, unsigned i, uint32_t v)
{
    if (w == 4)
        put32(p + i * w, v);
    else
        put16(p + i * w, v);
}

static void env_store(const Cpu *cpu, uint8_t *p, unsigned w)
{
    const Fpu *f = &cpu->fpu;
    uint32_t hi = w == 4 ? 0xFFFF0000u : 0;     /* the reserved halves */
    uint32_t fop = f->last_opcode & 0x7FF;

    put_row(p, w, 0, hi | f->control);
    put_row(p, w, 1, hi | f->status);
    put_row(p, w, 2, hi | fpu_tag_word(f));
    if (env_real_layout(cpu)) {
        uint32_t ip = ((uint32_t)f->last_cs << 4) + f->last_ip;
        uint32_t dp = ((uint32_t)f->last_ds << 4) + f->last_dp;
        uint32_t top_mask = w == 4 ? 0xFFFF : 0xF;
        put_row(p, w, 3, hi | (ip & 0xFFFF));
        put_row(p, w, 4, ((ip >> 16) & top_mask) << 12 | fop);
        put_row(p, w, 5, hi | (dp & 0xFFFF));
        put_row(p, w, 6, ((dp >> 16) & top_mask) << 12);
    } else {
        put_row(p, w, 3, f->last_ip);
        put_row(p, w, 4, (w == 4 ? fop << 16 : 0) | f->last_cs);
        put_row(p, w, 5, f->last_dp);
        put_row(p, w, 6, hi | f->last_ds);
    }
}

static uint32_t row(const uint8_t *p, unsigned w, unsigned i)
{
    return w == 4 ? get32(p + i * w) : get16(p + i * w);
}

/* The tag word is taken as empty/non-empty here; fpu_load_env classifies
 * the non-empty registers once they hold their new contents. */
static void env_load(Cpu *cpu, const uint8_t *p, unsigned w)
{
    Fpu *f = &cpu->fpu;

    f->control = fcw_loaded(row(p, w, 0));
    f->status = (uint16_t)row(p, w, 1);
    f->tag = (uint16_t)row(p, w, 2);
    if (env_real_layout(cpu)) {
        uint32_t top_mask = w == 4 ? 0xFFFF : 0xF;
        f->last_ip = (row(p, w, 3) & 0xFFFF) | ((row(p, w, 4) >> 12) & top_mask) << 16;
        f->last_dp = (row(p, w, 5) & 0xFFFF) | ((row(p, w, 6) >> 12) & top_mask) << 16;
        f->last_cs = f->last_ds = 0;
        f->last_opcode = (uint16_t)(row(p, w, 4) & 0x7FF);
    } else {
        f->last_ip = row(p, w, 3);
        f->last_cs = (uint16_t)row(p, w, 4);
        f->last_dp = row(p, w, 5);
        f->last_ds = (uint16_t)row(p, w, 6);
        if (w == 4)
            f->last_opcode = (uint16_t)((row(p, w, 4) >> 16) & 0x7FF);
    }
}

/* FNSTENV, FNSAVE: the image, then FNSTENV masks every exception and
 * FNSAVE reinitialises the FPU as FNINIT does (SDM vol. 2, FSTENV, FSAVE). */
void fpu_store_env(Cpu *cpu, const Insn *in, bool with_registers)
{
    uint8_t buf[ENV32_BYTES + 8 * REG_BYTES];
    unsigned opsize = insn_opsize(in);
    unsigned env = opsize == 4 ? ENV32_BYTES : ENV16_BYTES;
    unsigned n = env;

    env_store(cpu, buf, opsize);
    if (with_registers) {
        for (unsigned i = 0; i < 8; i++) {
            Float80 v = fpu_st(cpu, i);
            put64(buf + env + i * REG_BYTES, v.significand);
            put16(buf + env + i * REG_BYTES + 8, v.sign_exp);
        }
        n += 8 * REG_BYTES;
    }
    image_write(cpu, in, buf, n);
    if (with_registers)
        fpu_init_state(&cpu->fpu);
    else
        cpu->fpu.control |= FCW_EXC_MASKS;
    fpu_update_pending(cpu);
}

/* FLDENV, FRSTOR: registers go to ST(i) of the loaded TOP; pending
 * exceptions are recomputed from the loaded flags and masks. */
void fpu_load_env(Cpu *cpu, const Insn *in, bool with_registers)
{
    uint8_t buf[ENV32_BYTES + 8 * REG_BYTES];
    unsigned opsize = insn_opsize(in);
    unsigned env = opsize == 4 ? ENV32_BYTES : ENV16_BYTES;

    image_read(cpu, in, buf, env + (with_registers ? 8 * REG_BYTES : 0));
    env_load(cpu, buf, opsize);
    if (with_registers) {
        for (unsigned i = 0; i < 8; i++) {
            Float80 *r = &cpu->fpu.reg[fpu_phys(cpu, i)];
            r->significand = get64(buf + env + i * REG_BYTES);
            r->sign_exp = (uint16_t)get16(buf + env + i * REG_BYTES + 8);
        }
    }
    cpu->fpu.tag = fpu_tag_word(&cpu->fpu);
    fpu_update_pending(cpu);
}

/* ---- FXSAVE / FXRSTOR ---- */

/* #UD without FXSR, #NM under CR0.EM or CR0.TS, #GP(0) unless the area's
 * linear address is a multiple of 16 (SDM vol. 2, FXSAVE). */
static void fx_check(Cpu *cpu, const Insn *in)
{
    uint32_t lin;

    if (!cpu_has(cpu, FEAT_FXSR))
        cpu_raise_ud(cpu);
    fpu_check_available(cpu);
    lin = cpu->seg[in->seg].base + insn_ea(cpu, in);
    if (lin & 15)
        cpu_raise(cpu, EXC_GP, 0, FAULT_FXSAVE_ALIGN, lin, 0, 0);
}

/*
 * The legacy part of the 512-byte area (SDM vol. 2, FXSAVE, table 3-53):
 *   0 FCW  2 FSW  4 abridged FTW (bit r: Rr not empty)  6 FOP
 *   8 FIP offset  12 FCS  16 FDP offset  20 FDS  24 MXCSR  28 MXCSR_MASK
 *  32 + 16i: ST(i) in the low 10 bytes of a 16-byte slot
 * MXCSR_MASK 0 tells software to assume the default FFBFh.
 */
void fxsave_M(Cpu *cpu, const Insn *in)
{
    const Fpu *f = &cpu->fpu;
    uint8_t buf[FX_USED] = { 0 };
    unsigned ftw = 0;

    fx_check(cpu, in);
    for (unsigned r = 0; r < 8; r++)
        ftw |= (((f->tag >> (2 * r)) & 3) != FPU_TAG_EMPTY) << r;
    put16(buf + 0, f->control);
    put16(buf + 2, f->status);
    put16(buf + 4, ftw);
    put16(buf + 6, f->last_opcode & 0x7FF);
    put32(buf + 8, f->last_ip);
    put16(buf + 12, f->last_cs);
    put32(buf + 16, f->last_dp);
    put16(buf + 20, f->last_ds);
    put32(buf + 24, f->mxcsr);
    for (unsigned i = 0; i < 8; i++) {
        Float80 v = fpu_st(cpu, i);
        put64(buf + 32 + 16 * i, v.significand);
        put16(buf + 40 + 16 * i, v.sign_exp);
    }
    mem_check_write(cpu, in->seg, insn_ea(cpu, in), FX_BYTES);
    image_write(cpu, in, buf, FX_USED);
}

void fxrstor_M(Cpu *cpu, const Insn *in)
{
    Fpu *f = &cpu->fpu;
    uint8_t buf[FX_USED];
    uint32_t mxcsr;

    fx_check(cpu, in);
    image_read(cpu, in, buf, FX_USED);
    mem_read(cpu, in->seg, insn_ea(cpu, in) + FX_BYTES - 2, 2);    /* the area's limit */
    mxcsr = get32(buf + 24);
    if (mxcsr & ~MXCSR_MASK_DEFAULT)
        cpu_raise(cpu, EXC_GP, 0, FAULT_FXRSTOR_MXCSR, mxcsr, MXCSR_MASK_DEFAULT, 0);
    f->control = fcw_loaded(get16(buf + 0));
    f->status = (uint16_t)get16(buf + 2);
    f->last_opcode = (uint16_t)(get16(buf + 6) & 0x7FF);
    f->last_ip = get32(buf + 8);
    f->last_cs = (uint16_t)get16(buf + 12);
    f->last_dp = get32(buf + 16);
    f->last_ds = (uint16_t)get16(buf + 20);
    f->mxcsr = mxcsr;
    for (unsigned i = 0; i < 8; i++) {
        Float80 *r = &f->reg[fpu_phys(cpu, i)];
        r->significand = get64(buf + 32 + 16 * i);
        r->sign_exp = (uint16_t)get16(buf + 40 + 16 * i);
    }
    /* Abridged bit clear: empty; set: tagged from the contents. */
    f->tag = 0;
    for (unsigned r = 0; r < 8; r++)
        f->tag |= (uint16_t)(((buf[4] >> r) & 1 ? FPU_TAG_VALID : FPU_TAG_EMPTY) << (2 * r));
    f->tag = fpu_tag_word(f);
    fpu_update_pending(cpu);
}
