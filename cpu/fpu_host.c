/* SPDX-License-Identifier: MIT */
/*
 * The host's x87 does the guest's arithmetic (the design choice of the
 * FPU, see fpu.c): GCC inline assembly on x86-64 and i386 hosts only.  Each
 * operation saves the host FCW, loads one with the guest's precision and
 * rounding control and every exception masked, clears the flags (FNCLEX),
 * runs the instruction on 80-bit `long double` operands, reads FNSTSW and
 * restores the FCW.  Because the host is an x87, results, C1 rounding
 * indications, denormal and NaN handling match a real one bit for bit; the
 * transcendental instructions give what the HOST CPU gives (Intel and AMD
 * parts differ in the last bits of FSIN and friends).
 */
#if !defined(__x86_64__) && !defined(__i386__)
#error "Faultline's FPU runs guest x87 arithmetic on the host x87: build on an x86-64 or i386 host"
#endif

#include <string.h>

#include "fpu_host.h"

#define HOST_PRE "fnstcw %[old]\n\tfldcw %[cw]\n\tfnclex\n\t"
#define HOST_POST "\n\tfnstsw %%ax\n\tfldcw %[old]"
/* Masks all exceptions, keeps PC and RC; bit 6 reads as 1 on every x87. */
#define HOST_CW(fcw) ((uint16_t)(((fcw) & 0x0F00u) | 0x007Fu))

static long double to_host(Float80 v)
{
    long double x = 0;
    memcpy(&x, &v.significand, 8);
    memcpy((char *)&x + 8, &v.sign_exp, 2);
    return x;
}

static Float80 from_host(long double x)
{
    Float80 v;
    memcpy(&v.significand, &x, 8);
    memcpy(&v.sign_exp, (char *)&x + 8, 2);
    return v;
}

/* a in ST(0), b in ST(1); the result replaces ST(0). */
#define BINARY(insn) \
    __asm__ volatile(HOST_PRE insn HOST_POST \
                     : "=t"(x), "=a"(sw), [old] "=m"(old) : "0"(x), "u"(y), [cw] "m"(cw))
/* b in ST(1) op a in ST(0), popped: the result replaces b. */
#define BINARY_POP(insn) \
    __asm__ volatile(HOST_PRE insn HOST_POST \
                     : "=t"(x), "=a"(sw), [old] "=m"(old) : "0"(x), "u"(y), [cw] "m"(cw) : "st(1)")
#define UNARY(insn) \
    __asm__ volatile(HOST_PRE insn HOST_POST \
                     : "=t"(x), "=a"(sw), [old] "=m"(old) : "0"(x), [cw] "m"(cw))
/* One operand, one more pushed: x the new ST(0), y the new ST(1).  Through
 * memory, because FPTAN and FSINCOS push nothing when the operand is out
 * of range (C2): the second FSTP then pops an empty register and the
 * stack ends empty either way, as the compiler expects. */
#define PUSHING(insn) \
    __asm__ volatile(HOST_PRE "fldt %[a]\n\t" insn "\n\tfnstsw %%ax\n\tfstpt %[r0]\n\tfstpt %[r1]" \
                     "\n\tfldcw %[old]" \
                     : [r0] "=m"(x), [r1] "=m"(y), "=a"(sw), [old] "=m"(old) \
                     : [a] "m"(x), [cw] "m"(cw))
/* No operand: a constant is pushed. */
#define CONSTANT(insn) \
    __asm__ volatile(HOST_PRE insn HOST_POST : "=t"(x), "=a"(sw), [old] "=m"(old) : [cw] "m"(cw))

uint16_t fpu_host_op(FpuHostOp op, uint16_t fcw, Float80 a, Float80 b, Float80 *r0, Float80 *r1)
{
    long double x = to_host(a), y = to_host(b);
    uint16_t sw = 0, old, cw = HOST_CW(fcw);

    switch (op) {
    case FPU_HOST_ADD:    BINARY("fadd %%st(1), %%st"); break;
    case FPU_HOST_SUB:    BINARY("fsub %%st(1), %%st"); break;
    case FPU_HOST_MUL:    BINARY("fmul %%st(1), %%st"); break;
    case FPU_HOST_DIV:    BINARY("fdiv %%st(1), %%st"); break;
    case FPU_HOST_PREM:   BINARY("fprem"); break;
    case FPU_HOST_PREM1:  BINARY("fprem1"); break;
    case FPU_HOST_SCALE:  BINARY("fscale"); break;
    case FPU_HOST_PATAN:  BINARY_POP("fpatan"); break;
    case FPU_HOST_YL2X:   BINARY_POP("fyl2x"); break;
    case FPU_HOST_YL2XP1: BINARY_POP("fyl2xp1"); break;
    case FPU_HOST_SQRT:   UNARY("fsqrt"); break;
    case FPU_HOST_RNDINT: UNARY("frndint"); break;
    case FPU_HOST_F2XM1:  UNARY("f2xm1"); break;
    case FPU_HOST_SIN:    UNARY("fsin"); break;
    case FPU_HOST_COS:    UNARY("fcos"); break;
    case FPU_HOST_XTRACT: PUSHING("fxtract"); break;
    case FPU_HOST_PTAN:   PUSHING("fptan"); break;
    case FPU_HOST_SINCOS: PUSHING("fsincos"); break;
    case FPU_HOST_LD1:    CONSTANT("fld1"); break;
    case FPU_HOST_LDL2T:  CONSTANT("fldl2t"); break;
    case FPU_HOST_LDL2E:  CONSTANT("fldl2e"); break;
    case FPU_HOST_LDPI:   CONSTANT("fldpi"); break;
    case FPU_HOST_LDLG2:  CONSTANT("fldlg2"); break;
    case FPU_HOST_LDLN2:  CONSTANT("fldln2"); break;
    case FPU_HOST_LDZ:    CONSTANT("fldz"); break;
    }
    *r0 = from_host(x);
    if (r1)
        *r1 = from_host(y);
    return sw;
}

uint16_t fpu_host_compare(uint16_t fcw, Float80 a, Float80 b, bool unordered)
{
    long double x = to_host(a), y = to_host(b);
    uint16_t sw, old, cw = HOST_CW(fcw);

    if (unordered)
        __asm__ volatile(HOST_PRE "fucom %%st(1)" HOST_POST
                         : "=a"(sw), [old] "=m"(old) : "t"(x), "u"(y), [cw] "m"(cw));
    else
        __asm__ volatile(HOST_PRE "fcom %%st(1)" HOST_POST
                         : "=a"(sw), [old] "=m"(old) : "t"(x), "u"(y), [cw] "m"(cw));
    return sw;
}

uint16_t fpu_host_test(uint16_t fcw, Float80 a)
{
    long double x = to_host(a);
    uint16_t sw, old, cw = HOST_CW(fcw);

    __asm__ volatile(HOST_PRE "ftst" HOST_POST : "=a"(sw), [old] "=m"(old) : "t"(x), [cw] "m"(cw));
    return sw;
}

uint16_t fpu_host_examine(Float80 a)
{
    long double x = to_host(a);
    uint16_t sw, old, cw = HOST_CW(0);

    __asm__ volatile(HOST_PRE "fxam" HOST_POST : "=a"(sw), [old] "=m"(old) : "t"(x), [cw] "m"(cw));
    return sw;
}

typedef struct Bytes10 { uint8_t b[10]; } Bytes10;

#define LOAD(insn, type) \
    do { type m_; memcpy(&m_, mem, sizeof m_); \
         __asm__ volatile(HOST_PRE insn " %[m]" HOST_POST \
                          : "=t"(x), "=a"(sw), [old] "=m"(old) : [m] "m"(m_), [cw] "m"(cw)); \
    } while (0)

uint16_t fpu_host_load(FpuHostFormat fmt, uint16_t fcw, const uint8_t *mem, Float80 *r)
{
    long double x = 0;
    uint16_t sw = 0, old, cw = HOST_CW(fcw);

    switch (fmt) {
    case FPU_FMT_M32: LOAD("flds", uint32_t); break;
    case FPU_FMT_M64: LOAD("fldl", uint64_t); break;
    case FPU_FMT_I16: LOAD("filds", int16_t); break;
    case FPU_FMT_I32: LOAD("fildl", int32_t); break;
    case FPU_FMT_I64: LOAD("fildll", int64_t); break;
    case FPU_FMT_BCD: LOAD("fbld", Bytes10); break;
    }
    *r = from_host(x);
    return sw;
}

/* a in ST(0) op the memory operand. */
#define MEMOP(insn, type) \
    do { type m_; memcpy(&m_, mem, sizeof m_); \
         __asm__ volatile(HOST_PRE insn " %[m]" HOST_POST \
                          : "=t"(x), "=a"(sw), [old] "=m"(old) : "0"(x), [m] "m"(m_), [cw] "m"(cw)); \
    } while (0)
/* The eight operations of one memory format, by ModRM.reg. */
#define MEMOPS(type, add, mul, com, sub, subr, div, divr) \
    switch (op) { \
    case 0: MEMOP(add, type); break; \
    case 1: MEMOP(mul, type); break; \
    case 2: case 3: MEMOP(com, type); break; \
    case 4: MEMOP(sub, type); break; \
    case 5: MEMOP(subr, type); break; \
    case 6: MEMOP(div, type); break; \
    default: MEMOP(divr, type); break; \
    }

uint16_t fpu_host_mem_op(FpuHostFormat fmt, unsigned op, uint16_t fcw, Float80 a,
                         const uint8_t *mem, Float80 *r)
{
    long double x = to_host(a);
    uint16_t sw = 0, old, cw = HOST_CW(fcw);

    if (fmt == FPU_FMT_M32)
        MEMOPS(uint32_t, "fadds", "fmuls", "fcoms", "fsubs", "fsubrs", "fdivs", "fdivrs")
    else if (fmt == FPU_FMT_M64)
        MEMOPS(uint64_t, "faddl", "fmull", "fcoml", "fsubl", "fsubrl", "fdivl", "fdivrl")
    else if (fmt == FPU_FMT_I16)
        MEMOPS(int16_t, "fiadds", "fimuls", "ficoms", "fisubs", "fisubrs", "fidivs", "fidivrs")
    else
        MEMOPS(int32_t, "fiaddl", "fimull", "ficoml", "fisubl", "fisubrl", "fidivl", "fidivrl")
    *r = from_host(x);
    return sw;
}

/* The stores that only exist as popping forms duplicate ST(0) first. */
#define STORE(insn, type) \
    do { type m_; \
         __asm__ volatile(HOST_PRE insn " %[m]" HOST_POST \
                          : [m] "=m"(m_), "=a"(sw), [old] "=m"(old) : "t"(x), [cw] "m"(cw)); \
         memcpy(mem, &m_, sizeof m_); \
    } while (0)

uint16_t fpu_host_store(FpuHostFormat fmt, uint16_t fcw, Float80 a, uint8_t *mem)
{
    long double x = to_host(a);
    uint16_t sw = 0, old, cw = HOST_CW(fcw);

    switch (fmt) {
    case FPU_FMT_M32: STORE("fsts", uint32_t); break;
    case FPU_FMT_M64: STORE("fstl", uint64_t); break;
    case FPU_FMT_I16: STORE("fists", int16_t); break;
    case FPU_FMT_I32: STORE("fistl", int32_t); break;
    case FPU_FMT_I64: STORE("fld %%st(0)\n\tfistpll", int64_t); break;
    case FPU_FMT_BCD: STORE("fld %%st(0)\n\tfbstp", Bytes10); break;
    }
    return sw;
}

/* ---- the unmasked response ---- */

/* With an exception unmasked the x87 still completes the instruction --
 * leaving the destination alone, or delivering an overflow or underflow
 * result scaled by 2^-+24576 (SDM vol. 1, 8.5.3-8.5.4) -- and reports it
 * only at the next waiting instruction.  FNSAVE does not wait and
 * re-initialises the unit, so running the instruction with the guest's
 * very FCW and saving the state reads the hardware's answer safely. */
typedef struct SaveArea { uint8_t b[108]; } SaveArea;

enum { SAVE_FSW = 4, SAVE_ST0 = 28, SAVE_ST1 = 38 };

#define UNMASKED(insn) \
    __asm__ volatile("fnstcw %[old]\n\tfninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t" \
                     insn "\n\tfnsave %[save]\n\tfldcw %[old]" \
                     : [save] "=m"(save), [old] "=m"(old) : [a] "m"(a), [b] "m"(b), [cw] "m"(fcw))

static Float80 saved_reg(const SaveArea *save, unsigned offset)
{
    Float80 v;
    memcpy(&v.significand, save->b + offset, 8);
    memcpy(&v.sign_exp, save->b + offset + 8, 2);
    return v;
}

uint16_t fpu_host_op_unmasked(FpuHostOp op, uint16_t fcw, Float80 a, Float80 b, Float80 *r0,
                              Float80 *r1)
{
    SaveArea save;
    uint16_t old;

    switch (op) {
    case FPU_HOST_ADD:    UNMASKED("fadd %%st(1), %%st"); break;
    case FPU_HOST_SUB:    UNMASKED("fsub %%st(1), %%st"); break;
    case FPU_HOST_MUL:    UNMASKED("fmul %%st(1), %%st"); break;
    case FPU_HOST_DIV:    UNMASKED("fdiv %%st(1), %%st"); break;
    case FPU_HOST_PREM:   UNMASKED("fprem"); break;
    case FPU_HOST_PREM1:  UNMASKED("fprem1"); break;
    case FPU_HOST_SCALE:  UNMASKED("fscale"); break;
    case FPU_HOST_PATAN:  UNMASKED("fpatan"); break;
    case FPU_HOST_YL2X:   UNMASKED("fyl2x"); break;
    case FPU_HOST_YL2XP1: UNMASKED("fyl2xp1"); break;
    case FPU_HOST_SQRT:   UNMASKED("fsqrt"); break;
    case FPU_HOST_RNDINT: UNMASKED("frndint"); break;
    case FPU_HOST_F2XM1:  UNMASKED("f2xm1"); break;
    case FPU_HOST_SIN:    UNMASKED("fsin"); break;
    case FPU_HOST_COS:    UNMASKED("fcos"); break;
    case FPU_HOST_XTRACT: UNMASKED("fxtract"); break;
    case FPU_HOST_PTAN:   UNMASKED("fptan"); break;
    case FPU_HOST_SINCOS: UNMASKED("fsincos"); break;
    default:              memset(&save, 0, sizeof save); break;   /* constants never need it */
    }
    *r0 = saved_reg(&save, SAVE_ST0);
    if (r1)
        *r1 = saved_reg(&save, SAVE_ST1);
    return (uint16_t)(save.b[SAVE_FSW] | save.b[SAVE_FSW + 1] << 8);
}

#define STORE_UNMASKED(insn, type) \
    do { type m_; \
         __asm__ volatile("fnstcw %[old]\n\tfninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" insn " %[m]" \
                          "\n\tfnsave %[save]\n\tfldcw %[old]" \
                          : [m] "=m"(m_), [save] "=m"(save), [old] "=m"(old) \
                          : [a] "m"(a), [cw] "m"(fcw)); \
    } while (0)

uint16_t fpu_host_store_unmasked(FpuHostFormat fmt, uint16_t fcw, Float80 a)
{
    SaveArea save;
    uint16_t old;

    if (fmt == FPU_FMT_M32)
        STORE_UNMASKED("fsts", uint32_t);
    else
        STORE_UNMASKED("fstl", uint64_t);
    return (uint16_t)(save.b[SAVE_FSW] | save.b[SAVE_FSW + 1] << 8);
}
