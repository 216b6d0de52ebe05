/* SPDX-License-Identifier: MIT */
/*
 * A bare CPU for unit tests: 2 MiB of flat RAM, no devices (ports read all
 * ones), real mode with CS=DS=ES=SS=0, code at 0x100 and the stack at 0x8000.
 */
#ifndef FAULTLINE_CPU_FIXTURE_H
#define FAULTLINE_CPU_FIXTURE_H

#include <check.h>
#include <string.h>

#include "cpu_internal.h"

typedef struct Fixture {
    PhysMem mem;
    IoSpace io;
    Cpu cpu;
} Fixture;

enum { FIXTURE_CODE = 0x100, FIXTURE_STACK = 0x8000 };

static inline void fixture_init(Fixture *f, const char *model)
{
    ck_assert(phys_init(&f->mem, 2 << 20, false));
    io_space_init(&f->io, "port");
    const CpuModel *m = cpu_model_find(model);
    ck_assert_ptr_nonnull(m);
    cpu_init(&f->cpu, m, &f->mem, &f->io);
    for (int s = 0; s < SEG_COUNT; s++)
        cpu_load_segment_real(&f->cpu, s, 0);
    f->cpu.eip = FIXTURE_CODE;
    f->cpu.gpr[REG_ESP] = FIXTURE_STACK;
}

static inline void fixture_free(Fixture *f)
{
    phys_free(&f->mem);
}

static inline void fixture_code(Fixture *f, const void *bytes, size_t n)
{
    phys_write_block(&f->mem, FIXTURE_CODE, bytes, n);
}

/* Points vector v of the IVT at a HLT placed at `handler`. */
static inline void fixture_vector_to_hlt(Fixture *f, unsigned v, uint16_t handler)
{
    phys_write(&f->mem, v * 4, handler, 2);
    phys_write(&f->mem, v * 4 + 2, 0, 2);
    phys_write(&f->mem, handler, 0xF4, 1);
}

#endif
