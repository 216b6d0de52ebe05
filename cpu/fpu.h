/* SPDX-License-Identifier: MIT */
/*
 * The x87 FPU's architectural state (SDM vol. 1, ch. 8) and the MMX view
 * of it (ch. 9).  The eight data registers are kept by PHYSICAL number
 * R0-R7, as FXSAVE's tag byte and MMX aliasing need; ST(i) is
 * R[(TOP + i) & 7].  MMX register MMi is the 64-bit significand of Ri.
 * Plain data, embedded in struct Cpu as cpu->fpu so the debugger, the
 * snapshot tables and the gdb stub read it directly.
 */
#ifndef FAULTLINE_FPU_H
#define FAULTLINE_FPU_H

#include <stdint.h>

/* An 80-bit extended real: sign in bit 15 of sign_exp, 15-bit biased
 * exponent, explicit integer bit 63 of the significand. */
typedef struct Float80 {
    uint64_t significand;
    uint16_t sign_exp;
} Float80;

/* FSW (status word) bits */
#define FSW_IE 0x0001u
#define FSW_DE 0x0002u
#define FSW_ZE 0x0004u
#define FSW_OE 0x0008u
#define FSW_UE 0x0010u
#define FSW_PE 0x0020u
#define FSW_SF 0x0040u
#define FSW_ES 0x0080u
#define FSW_C0 0x0100u
#define FSW_C1 0x0200u
#define FSW_C2 0x0400u
#define FSW_TOP_SHIFT 11
#define FSW_TOP 0x3800u
#define FSW_C3 0x4000u
#define FSW_B  0x8000u

/* FCW (control word) bits: the six exception masks, precision, rounding. */
#define FCW_EXC_MASKS 0x003Fu
#define FCW_PC_SHIFT 8
#define FCW_PC 0x0300u
#define FCW_RC_SHIFT 10
#define FCW_RC 0x0C00u

/* Tag values, two bits per physical register in the full tag word. */
enum { FPU_TAG_VALID = 0, FPU_TAG_ZERO = 1, FPU_TAG_SPECIAL = 2, FPU_TAG_EMPTY = 3 };

typedef struct Fpu {
    uint16_t control;       /* FCW; 0x037F after FNINIT, 0x0040 after RESET */
    uint16_t status;        /* FSW including TOP */
    uint16_t tag;           /* full tag word (FPU_TAG_* per physical register) */
    uint16_t last_opcode;   /* FOP: low 11 bits of the last non-control instruction */
    uint32_t last_ip;       /* FPU instruction pointer (offset) and selector */
    uint16_t last_cs;
    uint32_t last_dp;       /* FPU data pointer (offset) and selector */
    uint16_t last_ds;
    uint32_t mxcsr;         /* saved and restored by FXSAVE/FXRSTOR only (no SSE) */
    Float80 reg[8];         /* R0-R7 by physical number */
} Fpu;

#endif
