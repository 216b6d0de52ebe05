/* SPDX-License-Identifier: MIT */
/*
 * x87 data movement (SDM vol. 2: FLD, FST/FSTP, FILD, FIST/FISTP, FBLD,
 * FBSTP, FXCH): the memory formats single, double and extended real, word,
 * short and long integer and 18-digit packed BCD.  Conversions run on the
 * host x87 (fpu_host.c), so an SNaN source becomes a QNaN with IE, a
 * denormal source raises DE, an out-of-range integer or BCD store writes
 * the integer or BCD indefinite with IE, and rounding follows FCW.RC.  The
 * extended format is copied bit for bit and raises nothing.  A store that
 * an unmasked exception stops writes nothing and does not pop.  Every
 * memory access that can fault comes before the first change of state.
 */
#include "fpu_internal.h"

static const unsigned format_size[] = {
    [FPU_FMT_M32] = 4, [FPU_FMT_M64] = 8, [FPU_FMT_I16] = 2,
    [FPU_FMT_I32] = 4, [FPU_FMT_I64] = 8, [FPU_FMT_BCD] = 10,
};

static void read_bytes(Cpu *cpu, unsigned seg, uint32_t offset, uint8_t *buf, unsigned n)
{
    for (unsigned k = 0; k < n;) {
        unsigned size = n - k >= 4 ? 4 : 2;
        uint32_t v = mem_read(cpu, seg, offset + k, size);
        for (unsigned b = 0; b < size; b++)
            buf[k + b] = (uint8_t)(v >> (8 * b));
        k += size;
    }
}

static void write_bytes(Cpu *cpu, unsigned seg, uint32_t offset, const uint8_t *buf, unsigned n)
{
    mem_check_write(cpu, seg, offset, n);
    for (unsigned k = 0; k < n;) {
        unsigned size = n - k >= 4 ? 4 : 2;
        uint32_t v = 0;
        for (unsigned b = 0; b < size; b++)
            v |= (uint32_t)buf[k + b] << (8 * b);
        mem_write(cpu, seg, offset + k, v, size);
        k += size;
    }
}

/* FLD m32/m64, FILD m16/m32/m64, FBLD. */
void fpu_load_mem(Cpu *cpu, const Insn *in, FpuHostFormat fmt)
{
    uint8_t buf[10];
    Float80 v;

    read_bytes(cpu, in->seg, insn_ea(cpu, in), buf, format_size[fmt]);
    if (!fpu_empty(cpu, 7)) {
        if (fpu_stack_overflow(cpu))
            fpu_push(cpu, fpu_indefinite);
        return;
    }
    uint16_t sw = fpu_host_load(fmt, cpu->fpu.control, buf, &v);
    FpuVerdict verdict = fpu_judge(cpu->fpu.control, sw, false);
    fpu_set_c1(cpu, false);
    fpu_signal(cpu, verdict.flags);
    if (verdict.write)
        fpu_push(cpu, v);
}

/* A result that is zero or a denormal in the destination format may have
 * underflowed even when exact; that matters only with UE unmasked. */
static bool stored_near_limit(FpuHostFormat fmt, const uint8_t *buf)
{
    if (fmt == FPU_FMT_M32) {
        uint32_t v = (uint32_t)buf[0] | buf[1] << 8 | buf[2] << 16 | (uint32_t)buf[3] << 24;
        return (v & 0x7F800000u) == 0;
    }
    if (fmt == FPU_FMT_M64) {
        uint64_t v = 0;
        for (unsigned b = 0; b < 8; b++)
            v |= (uint64_t)buf[b] << (8 * b);
        return (v & 0x7FF0000000000000ull) == 0;
    }
    return false;
}

/* FST/FSTP m32/m64, FIST/FISTP m16/m32/m64, FBSTP. */
void fpu_store_mem(Cpu *cpu, const Insn *in, FpuHostFormat fmt, bool pop)
{
    uint8_t buf[10];
    uint16_t control = cpu->fpu.control, sw = 0;
    bool underflow = fpu_empty(cpu, 0);
    FpuVerdict verdict = { FSW_IE | FSW_SF, (control & FSW_IE) != 0, false };

    if (underflow) {
        fpu_host_store(fmt, control, fpu_indefinite, buf);     /* the format's indefinite */
    } else {
        sw = fpu_host_store(fmt, control, fpu_st(cpu, 0), buf);
        verdict = fpu_judge(control, sw, stored_near_limit(fmt, buf));
        if (verdict.scale) {
            /* the host decides whether an unmasked OE/UE happened; then
             * a memory destination is left alone */
            sw = fpu_host_store_unmasked(fmt, control, fpu_st(cpu, 0));
            verdict.flags |= sw & (FSW_OE | FSW_UE | FSW_PE);
            verdict.write = !(sw & ~control & (FSW_OE | FSW_UE));
        }
    }
    if (verdict.write)
        write_bytes(cpu, in->seg, insn_ea(cpu, in), buf, format_size[fmt]);
    if (underflow)
        fpu_stack_underflow(cpu);
    else
        fpu_apply(cpu, verdict, sw);
    if (verdict.write && pop)
        fpu_pop(cpu);
}

void fpu_load_m80(Cpu *cpu, const Insn *in)
{
    Float80 v = fpu_read_f80(cpu, in->seg, insn_ea(cpu, in));
    fpu_set_c1(cpu, false);
    fpu_push_checked(cpu, v);
}

void fpu_store_m80(Cpu *cpu, const Insn *in)
{
    bool underflow = fpu_empty(cpu, 0);

    if (underflow && !(cpu->fpu.control & FSW_IE)) {
        fpu_stack_underflow(cpu);
        return;
    }
    fpu_write_f80(cpu, in->seg, insn_ea(cpu, in), underflow ? fpu_indefinite : fpu_st(cpu, 0));
    if (underflow)
        fpu_stack_underflow(cpu);
    else
        fpu_set_c1(cpu, false);
    fpu_pop(cpu);
}

/* FLD ST(i): ST(i) is read before the push renumbers the stack. */
void fpu_load_st(Cpu *cpu, unsigned i)
{
    Float80 v = fpu_st(cpu, i);

    if (fpu_empty(cpu, i) && fpu_empty(cpu, 7)) {
        if (!fpu_stack_underflow(cpu))
            return;
        v = fpu_indefinite;
    } else {
        fpu_set_c1(cpu, false);
    }
    fpu_push_checked(cpu, v);
}

void fpu_store_st(Cpu *cpu, unsigned i, bool pop)
{
    Float80 v = fpu_st(cpu, 0);

    if (fpu_empty(cpu, 0)) {
        if (!fpu_stack_underflow(cpu))
            return;
        v = fpu_indefinite;
    } else {
        fpu_set_c1(cpu, false);
    }
    fpu_set_st(cpu, i, v);
    if (pop)
        fpu_pop(cpu);
}

void fpu_exchange(Cpu *cpu, unsigned i)
{
    Float80 a = fpu_st(cpu, 0), b = fpu_st(cpu, i);

    if (fpu_empty(cpu, 0) || fpu_empty(cpu, i)) {
        if (!fpu_stack_underflow(cpu))
            return;
        if (fpu_empty(cpu, 0))
            a = fpu_indefinite;
        if (fpu_empty(cpu, i))
            b = fpu_indefinite;
    } else {
        fpu_set_c1(cpu, false);
    }
    fpu_set_st(cpu, 0, b);
    fpu_set_st(cpu, i, a);
}
