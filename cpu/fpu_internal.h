/* SPDX-License-Identifier: MIT */
/*
 * What the x87 files (fpu.c, fpu_arith.c, fpu_load.c) share and nobody else
 * needs: how a host operation's exception flags become the guest's (the
 * priorities and masked/unmasked responses of SDM vol. 1, 4.9 and 8.5-8.7),
 * and the instruction groups the escape dispatcher calls.
 */
#ifndef FAULTLINE_FPU_INTERNAL_H
#define FAULTLINE_FPU_INTERNAL_H

#include "cpu_internal.h"
#include "fpu_host.h"

#define FSW_CC (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)

/* The response to one operation's exceptions: the flags to set, whether
 * the destination is written, and whether an unmasked overflow or
 * underflow may have happened: then the operation is run again unmasked
 * and that run's OE, UE, PE and result count (a register destination gets
 * the scaled result; a memory destination is left alone). */
typedef struct FpuVerdict {
    uint16_t flags;
    bool write;
    bool scale;
} FpuVerdict;

/* sw: the host FSW of the masked run; near_limit: the result is zero,
 * denormal or the smallest normal, where an exact result may underflow. */
FpuVerdict fpu_judge(uint16_t control, uint16_t sw, bool near_limit);
bool fpu_near_limit(Float80 v);
/* Sets the verdict's flags and, when written, C1 from the host (round-up). */
void fpu_apply(Cpu *cpu, FpuVerdict v, uint16_t sw);
void fpu_set_cc(Cpu *cpu, uint16_t mask, uint16_t value);

/* fpu_arith.c */
void fpu_arith_mem(Cpu *cpu, const Insn *in, unsigned esc);
void fpu_arith_reg(Cpu *cpu, unsigned op, unsigned dest, unsigned src, bool pop);
/* FCOM/FCOMP/FCOMPP/FUCOM*: ST(0) with ST(i); `pops` 0-2. */
void fpu_compare_reg(Cpu *cpu, unsigned i, bool unordered, unsigned pops);
void fpu_comi(Cpu *cpu, unsigned i, bool unordered, bool pop);
void fpu_cmov(Cpu *cpu, unsigned i, unsigned cc);
/* D9 E0-FF: FCHS, FABS, FTST, FXAM, constants, transcendentals. */
void fpu_d9_misc(Cpu *cpu, unsigned low);

/* fpu_load.c */
void fpu_load_mem(Cpu *cpu, const Insn *in, FpuHostFormat fmt);
void fpu_store_mem(Cpu *cpu, const Insn *in, FpuHostFormat fmt, bool pop);
void fpu_load_m80(Cpu *cpu, const Insn *in);
void fpu_store_m80(Cpu *cpu, const Insn *in);
void fpu_load_st(Cpu *cpu, unsigned i);
void fpu_store_st(Cpu *cpu, unsigned i, bool pop);
void fpu_exchange(Cpu *cpu, unsigned i);

#endif
