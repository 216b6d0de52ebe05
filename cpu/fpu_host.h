/* SPDX-License-Identifier: MIT */
/*
 * The host x87 as the guest's arithmetic unit (fpu_host.c).  Each call loads
 * the guest's precision and rounding control into the host FCW with all six
 * exceptions masked, clears the host's flags, runs one x87 instruction on
 * the 80-bit operands and returns the host FSW: the exception flags the
 * operation raised (as a masked real x87 raises them) and C0-C3.
 * Operands and results are raw Float80 bit patterns.
 */
#ifndef FAULTLINE_FPU_HOST_H
#define FAULTLINE_FPU_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "fpu.h"

typedef enum FpuHostOp {
    /* two operands a (ST(0)) and b (ST(1)), one result */
    FPU_HOST_ADD, FPU_HOST_SUB, FPU_HOST_MUL, FPU_HOST_DIV,     /* a op b */
    FPU_HOST_PREM, FPU_HOST_PREM1,      /* remainder of a / b, C0-C3 */
    FPU_HOST_SCALE,                     /* a * 2^trunc(b) */
    FPU_HOST_PATAN,                     /* atan(b / a) */
    FPU_HOST_YL2X, FPU_HOST_YL2XP1,     /* b * log2(a), b * log2(a + 1) */
    /* one operand, one result */
    FPU_HOST_SQRT, FPU_HOST_RNDINT, FPU_HOST_F2XM1, FPU_HOST_SIN, FPU_HOST_COS,
    /* one operand, two results: r0 the new ST(0), r1 the new ST(1) */
    FPU_HOST_XTRACT, FPU_HOST_PTAN, FPU_HOST_SINCOS,
    /* no operand: the constants in D9 E8-EE order, rounded by RC */
    FPU_HOST_LD1, FPU_HOST_LDL2T, FPU_HOST_LDL2E, FPU_HOST_LDPI, FPU_HOST_LDLG2,
    FPU_HOST_LDLN2, FPU_HOST_LDZ,
} FpuHostOp;

/* Memory formats of FLD/FILD/FBLD and FST/FIST/FBSTP. */
typedef enum FpuHostFormat {
    FPU_FMT_M32, FPU_FMT_M64, FPU_FMT_I16, FPU_FMT_I32, FPU_FMT_I64, FPU_FMT_BCD,
} FpuHostFormat;

uint16_t fpu_host_op(FpuHostOp op, uint16_t fcw, Float80 a, Float80 b, Float80 *r0, Float80 *r1);
/* ST(0) = a op the memory operand, for D8/DA/DC/DE with ModRM.reg `op`
 * (FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR; FCOMP as FCOM, the caller
 * pops) and fmt M32, I32, M64 or I16: the host does the conversion and the
 * operation together, as the x87 does, so the priorities between the
 * memory operand's exceptions and the operation's match. */
uint16_t fpu_host_mem_op(FpuHostFormat fmt, unsigned op, uint16_t fcw, Float80 a,
                         const uint8_t *mem, Float80 *r);
/* The same operations run with the guest's FCW as it is, unmasked
 * exceptions included: the x87's own unmasked response (the scaled result
 * of an overflow or underflow).  The store form (M32, M64) only reports the
 * flags: with OE or UE unmasked a store writes nothing. */
uint16_t fpu_host_op_unmasked(FpuHostOp op, uint16_t fcw, Float80 a, Float80 b, Float80 *r0,
                              Float80 *r1);
uint16_t fpu_host_store_unmasked(FpuHostFormat fmt, uint16_t fcw, Float80 a);
/* FCOM or FUCOM of a with b; FTST; FXAM: only the FSW. */
uint16_t fpu_host_compare(uint16_t fcw, Float80 a, Float80 b, bool unordered);
uint16_t fpu_host_test(uint16_t fcw, Float80 a);
uint16_t fpu_host_examine(Float80 a);
/* Loads the memory image `mem` (little-endian bytes of the format) into *r. */
uint16_t fpu_host_load(FpuHostFormat fmt, uint16_t fcw, const uint8_t *mem, Float80 *r);
/* Stores a in the format into mem (2 to 10 bytes). */
uint16_t fpu_host_store(FpuHostFormat fmt, uint16_t fcw, Float80 a, uint8_t *mem);

#endif
