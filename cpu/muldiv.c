/* SPDX-License-Identifier: MIT */
/*
 * Multiply and divide: MUL, IMUL (one-, two- and three-operand forms), DIV and
 * IDIV.  SDM vol. 2, the instruction pages of those names.  MUL and IMUL set
 * CF = OF when the full product does not fit in the destination's width (for
 * IMUL: is not the sign extension of the truncated result).  SF, ZF, AF and PF
 * are undefined; like the 386 we set SF, ZF and PF from the low half of the
 * product and clear AF.  DIV and IDIV leave all flags as they were (every
 * arithmetic flag is undefined after them).  A zero divisor or a quotient too
 * wide for the destination raises #DE before any register changes.
 */
#include "cpu_internal.h"

enum { REG8_AH = 4 };

/* Flags after a multiply whose result `low` did or did not overflow. */
static void mul_flags(Cpu *cpu, unsigned size, uint32_t low, bool overflow)
{
    uint32_t bits = overflow ? EFLAGS_CF | EFLAGS_OF : 0;

    flags_set(cpu, EFLAGS_CF | EFLAGS_OF | EFLAGS_AF, bits);
    flags_set_szp(cpu, size, low);
}

/* Stores a double-width product into AX, DX:AX or EDX:EAX. */
static void mul_store(Cpu *cpu, unsigned size, uint64_t product)
{
    if (size == 1) {
        reg_write(cpu, REG_EAX, 2, (uint32_t)product);
    } else {
        reg_write(cpu, REG_EAX, size, (uint32_t)product);
        reg_write(cpu, REG_EDX, size, (uint32_t)(product >> (size * 8)));
    }
}

static void mul_common(Cpu *cpu, const Insn *in, unsigned size)
{
    uint64_t a = reg_read(cpu, REG_EAX, size);
    uint64_t b = op_read_rm(cpu, in, size);
    uint64_t product = a * b;

    mul_store(cpu, size, product);
    mul_flags(cpu, size, (uint32_t)product & size_mask(size), (product >> (size * 8)) != 0);
}

void mul_Eb(Cpu *cpu, const Insn *in) { mul_common(cpu, in, 1); }
void mul_Ev(Cpu *cpu, const Insn *in) { mul_common(cpu, in, insn_opsize(in)); }

/* The signed product of two size-byte values and whether it overflows size. */
static int64_t imul_product(unsigned size, uint32_t a, uint32_t b, bool *overflow)
{
    int64_t product = (int64_t)(int32_t)sign_extend(a, size) *
                      (int64_t)(int32_t)sign_extend(b, size);
    uint32_t low = (uint32_t)product & size_mask(size);

    *overflow = (int64_t)(int32_t)sign_extend(low, size) != product;
    return product;
}

static void imul_common(Cpu *cpu, const Insn *in, unsigned size)
{
    uint32_t b = op_read_rm(cpu, in, size);
    bool overflow;
    int64_t product = imul_product(size, reg_read(cpu, REG_EAX, size), b, &overflow);

    mul_store(cpu, size, (uint64_t)product);
    mul_flags(cpu, size, (uint32_t)product & size_mask(size), overflow);
}

void imul_Eb(Cpu *cpu, const Insn *in) { imul_common(cpu, in, 1); }
void imul_Ev(Cpu *cpu, const Insn *in) { imul_common(cpu, in, insn_opsize(in)); }

/* Gv = a * b truncated to the operand size. */
static void imul_to_reg(Cpu *cpu, const Insn *in, uint32_t a, uint32_t b)
{
    unsigned size = insn_opsize(in);
    bool overflow;
    uint32_t low = (uint32_t)imul_product(size, a, b, &overflow) & size_mask(size);

    op_write_reg(cpu, in, size, low);
    mul_flags(cpu, size, low, overflow);
}

void imul_Gv_Ev(Cpu *cpu, const Insn *in)
{
    unsigned size = insn_opsize(in);
    uint32_t b = op_read_rm(cpu, in, size);
    imul_to_reg(cpu, in, op_read_reg(cpu, in, size), b);
}

void imul_Gv_Ev_Ib(Cpu *cpu, const Insn *in)
{
    imul_to_reg(cpu, in, op_read_rm(cpu, in, insn_opsize(in)), sign_extend(in->imm, 1));
}

void imul_Gv_Ev_Iv(Cpu *cpu, const Insn *in)
{
    imul_to_reg(cpu, in, op_read_rm(cpu, in, insn_opsize(in)), in->imm);
}

/* ---- DIV and IDIV ---- */

/* AX, DX:AX or EDX:EAX. */
static uint64_t dividend(const Cpu *cpu, unsigned size)
{
    if (size == 1)
        return reg_read(cpu, REG_EAX, 2);
    return ((uint64_t)reg_read(cpu, REG_EDX, size) << (size * 8)) | reg_read(cpu, REG_EAX, size);
}

/* Quotient into AL/AX/EAX, remainder into AH/DX/EDX. */
static void div_store(Cpu *cpu, unsigned size, uint32_t quotient, uint32_t remainder)
{
    reg_write(cpu, REG_EAX, size, quotient);
    reg_write(cpu, size == 1 ? REG8_AH : REG_EDX, size, remainder);
}

static noreturn void divide_error(Cpu *cpu, uint64_t quotient)
{
    cpu_raise(cpu, EXC_DE, NO_ERROR_CODE, FAULT_DIVIDE_OVERFLOW, (uint32_t)quotient, 0, 0);
}

static void div_common(Cpu *cpu, const Insn *in, unsigned size)
{
    uint64_t divisor = op_read_rm(cpu, in, size);
    uint64_t n = dividend(cpu, size);
    uint64_t q;

    if (divisor == 0)
        cpu_raise(cpu, EXC_DE, NO_ERROR_CODE, FAULT_DIVIDE_BY_ZERO, 0, 0, 0);
    q = n / divisor;
    if (q > size_mask(size))
        divide_error(cpu, q);
    div_store(cpu, size, (uint32_t)q, (uint32_t)(n % divisor));
}

void div_Eb(Cpu *cpu, const Insn *in) { div_common(cpu, in, 1); }
void div_Ev(Cpu *cpu, const Insn *in) { div_common(cpu, in, insn_opsize(in)); }

/*
 * Signed division truncates toward zero; the remainder takes the dividend's
 * sign.  Worked on magnitudes so that INT64_MIN / -1 needs no special case in
 * C.  The quotient may be the most negative value (-128 for a byte): the 286
 * and later accept it, only the 8086 faulted there.
 */
static void idiv_common(Cpu *cpu, const Insn *in, unsigned size)
{
    unsigned bits = size * 8;
    uint32_t divisor = op_read_rm(cpu, in, size);
    uint64_t n = dividend(cpu, size);
    bool n_neg, d_neg;
    uint64_t n_mag, d_mag, q_mag, r_mag;

    if (divisor == 0)
        cpu_raise(cpu, EXC_DE, NO_ERROR_CODE, FAULT_DIVIDE_BY_ZERO, 0, 0, 0);
    n_neg = (n >> (2 * bits - 1)) & 1;
    d_neg = (divisor & size_sign_bit(size)) != 0;
    n_mag = n_neg ? (0 - n) & (bits == 32 ? UINT64_MAX : ((uint64_t)1 << 2 * bits) - 1) : n;
    d_mag = d_neg ? (0 - divisor) & size_mask(size) : divisor;
    q_mag = n_mag / d_mag;
    r_mag = n_mag % d_mag;
    if (n_neg != d_neg ? q_mag > size_sign_bit(size) : q_mag >= size_sign_bit(size))
        divide_error(cpu, n_neg != d_neg ? 0 - q_mag : q_mag);
    div_store(cpu, size, (uint32_t)(n_neg != d_neg ? 0 - q_mag : q_mag),
              (uint32_t)(n_neg ? 0 - r_mag : r_mag));
}

void idiv_Eb(Cpu *cpu, const Insn *in) { idiv_common(cpu, in, 1); }
void idiv_Ev(Cpu *cpu, const Insn *in) { idiv_common(cpu, in, insn_opsize(in)); }
