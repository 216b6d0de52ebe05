/* SPDX-License-Identifier: MIT */
/*
 * The named CPU models.  One interpreter core serves them all; a model says
 * which later instructions exist, which EFLAGS bits software can toggle (the
 * way DOS-era programs tell a 386 from a 486 from a Pentium: AC, then ID),
 * and what CPUID reports (SDM vol. 2, CPUID; vol. 1, 3.4.3 and 20.1 on
 * identifying the processor).  CPUID feature bits are set only for what the
 * core implements: the Pentium reports FPU, VME, DE, PSE, TSC, MSR and CX8;
 * the Pentium Pro line adds PAE, PGE and CMOV, and the Pentium II SEP, MMX
 * and FXSR (no MTRR, MCA, APIC, PAT or PSE36: those are not modelled).  The
 * 386 has no coprocessor; the 486 is a DX.
 */
#include <string.h>

#include "cpu_internal.h"

/* CPUID leaf 1 EDX bits (SDM vol. 2, table 3-11) */
#define CPUID_EDX_FPU (1u << 0)
#define CPUID_EDX_VME (1u << 1)     /* CR4.VME and CR4.PVI (vme.c) */
#define CPUID_EDX_DE  (1u << 2)     /* CR4.DE: I/O breakpoints (debugreg.c) */
#define CPUID_EDX_PSE (1u << 3)     /* 4 MiB pages, CR4.PSE */
#define CPUID_EDX_TSC (1u << 4)
#define CPUID_EDX_MSR (1u << 5)
#define CPUID_EDX_PAE (1u << 6)     /* PAE paging, CR4.PAE */
#define CPUID_EDX_CX8 (1u << 8)
#define CPUID_EDX_PGE (1u << 13)    /* global pages, CR4.PGE */
#define CPUID_EDX_SEP (1u << 11)    /* SYSENTER/SYSEXIT (ops_p6.c) */
#define CPUID_EDX_CMOV (1u << 15)   /* CMOVcc */
#define CPUID_EDX_MMX (1u << 23)    /* mmx.c */
#define CPUID_EDX_FXSR (1u << 24)   /* FXSAVE/FXRSTOR, CR4.OSFXSR (fpu_env.c) */

/* CPUID EAX = stepping | model << 4 | family << 8; before CPUID this is the
 * value RESET leaves in DX. */
#define SIGNATURE(family, model, stepping) ((family) << 8 | (model) << 4 | (stepping))

/* A 386 cannot set AC: the 486 test flips it and sees it stay 0. */
#define EFLAGS_386 (EFLAGS_ARITH | EFLAGS_TF | EFLAGS_IF | EFLAGS_DF | EFLAGS_IOPL | \
                    EFLAGS_NT | EFLAGS_RF | EFLAGS_VM)
#define EFLAGS_486 (EFLAGS_386 | EFLAGS_AC)
/* A Pentium can toggle ID, which is how software learns CPUID exists. */
#define EFLAGS_P5  (EFLAGS_486 | EFLAGS_VIF | EFLAGS_VIP | EFLAGS_ID)

/* The 486DX and everything after it has the x87 on chip (fpu.c). */
#define FEATURES_P5 (FEAT_486 | FEAT_FPU | FEAT_CPUID | FEAT_TSC | FEAT_MSR | FEAT_CX8)
#define CPUID_EDX_P5 (CPUID_EDX_FPU | CPUID_EDX_VME | CPUID_EDX_DE | CPUID_EDX_PSE | \
                      CPUID_EDX_TSC | CPUID_EDX_MSR | CPUID_EDX_CX8)
#define CPUID_EDX_P6 (CPUID_EDX_P5 | CPUID_EDX_PAE | CPUID_EDX_PGE | CPUID_EDX_CMOV)
#define FEATURES_P6 (FEATURES_P5 | FEAT_CMOV)

static const CpuModel cpu_models[] = {
    {
        .name = "386",
        .description = "Intel 386DX without a coprocessor: no CPUID, EFLAGS.AC stuck at 0",
        .features = 0,
        .eflags_writable = EFLAGS_386,
        .vendor = "GenuineIntel",
        .cpuid_signature = SIGNATURE(3, 0, 8),     /* 386DX D1 stepping, in DX after RESET */
    },
    {
        /* An early 486DX that cannot toggle ID: software sees no CPUID. */
        .name = "486",
        .description = "Intel 486DX with its on-chip x87: EFLAGS.AC toggles, no CPUID",
        .features = FEAT_486 | FEAT_FPU,
        .eflags_writable = EFLAGS_486,
        .vendor = "GenuineIntel",
        .cpuid_signature = SIGNATURE(4, 0, 2),     /* in DX after RESET */
    },
    {
        .name = "pentium",
        .description = "Intel Pentium (P5): CPUID, RDTSC, MSRs, CMPXCHG8B",
        .features = FEATURES_P5,
        .eflags_writable = EFLAGS_P5,
        .vendor = "GenuineIntel",
        .cpuid_signature = SIGNATURE(5, 2, 5),
        .cpuid_edx = CPUID_EDX_P5,
        .cpuid_max_leaf = 1,
    },
    {
        /* Reports leaf 1 only: the real part's leaf 2 (cache descriptors)
         * waits until caches and TLBs are modelled. */
        .name = "pentium2",
        .description = "Intel Pentium II (P6 family): adds PAE, global pages, CMOV, MMX, SYSENTER and FXSAVE",
        .features = FEATURES_P6 | FEAT_MMX | FEAT_SEP | FEAT_FXSR,
        .eflags_writable = EFLAGS_P5,
        .vendor = "GenuineIntel",
        /* Model 5 (Deschutes): software ignores SEP on family 6 below
         * model 3 stepping 3, early parts that reported it without having it. */
        .cpuid_signature = SIGNATURE(6, 5, 2),
        .cpuid_edx = CPUID_EDX_P6 | CPUID_EDX_SEP | CPUID_EDX_MMX | CPUID_EDX_FXSR,
        .cpuid_max_leaf = 1,
    },
    {
        /* For paging tests: the Pentium II with the execute-disable bit of
         * later parts (leaf 80000001h, IA32_EFER.NXE).  It keeps the
         * Pentium II's signature so software takes it for a P6. */
        .name = "p6-nx",
        .description = "a P6-class test model with PAE and NX (EFER.NXE); no real part had exactly this set",
        .features = FEATURES_P6,
        .eflags_writable = EFLAGS_P5,
        .vendor = "GenuineIntel",
        .cpuid_signature = SIGNATURE(6, 5, 2),
        .cpuid_edx = CPUID_EDX_P6,
        .cpuid_max_leaf = 1,
        .cpuid_ext_max_leaf = 0x80000001u,
        .cpuid_ext_edx = CPUID_EXT_EDX_NX,
    },
};

enum { CPU_MODEL_COUNT = sizeof cpu_models / sizeof cpu_models[0] };

const CpuModel *cpu_model_find(const char *name)
{
    for (unsigned i = 0; i < CPU_MODEL_COUNT; i++) {
        if (strcmp(cpu_models[i].name, name) == 0)
            return &cpu_models[i];
    }
    return NULL;
}

const char *cpu_model_name(const CpuModel *model)
{
    return model->name;
}

/* Keep in step with the table above. */
const char *cpu_model_list(void)
{
    return "386, 486, pentium, pentium2, p6-nx";
}

bool cpu_model_has_fpu(const CpuModel *model)
{
    return (model->features & FEAT_FPU) != 0;
}
