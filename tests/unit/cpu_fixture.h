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

/* Writes the bytes at the fixture's code address. */
#define CODE(...) do { static const uint8_t c_[] = { __VA_ARGS__ }; fixture_code(&f, c_, sizeof(c_)); } while (0)

enum { HANDLER = 0x500, DATA = 0x3000 };

static inline void run_to_hlt(Fixture *f)
{
    ck_assert_int_eq(cpu_run(&f->cpu, 1000), CPU_STOP_HALT);
}

/* Runs exactly one instruction. */
static inline void step(Fixture *f)
{
    ck_assert_int_eq(cpu_run(&f->cpu, 1), CPU_STOP_BUDGET);
}

static inline uint32_t rd(Fixture *f, uint32_t addr, unsigned size)
{
    return phys_read(&f->mem, addr, size);
}

static inline void wr(Fixture *f, uint32_t addr, uint32_t value, unsigned size)
{
    phys_write(&f->mem, addr, value, size);
}

static inline uint32_t arith_flags(Fixture *f)
{
    return cpu_get_eflags(&f->cpu) & EFLAGS_ARITH;
}

/* Runs until the handler of `vector` halts and checks that the instruction
 * at `ip` raised it (a fault: the pushed IP is that of the instruction). */
static inline void run_to_fault(Fixture *f, unsigned vector, uint16_t ip)
{
    fixture_vector_to_hlt(f, vector, HANDLER);
    run_to_hlt(f);
    ck_assert_uint_eq(f->cpu.eip, HANDLER + 1);
    ck_assert_uint_eq(f->cpu.last_fault.vector, vector);
    uint32_t top = f->cpu.seg[SEG_SS].base + (f->cpu.gpr[REG_ESP] & 0xFFFF);
    ck_assert_uint_eq(rd(f, top, 2), ip);
}

/* Runs the bytes (a HLT is appended) on a fresh `model` CPU: the first
 * instruction must raise #UD. */
static inline void check_ud(const char *model, const uint8_t *code, size_t n)
{
    Fixture f;
    fixture_init(&f, model);
    fixture_code(&f, code, n);
    run_to_fault(&f, EXC_UD, FIXTURE_CODE);
    fixture_free(&f);
}

#define EXPECT_UD(model, ...) \
    do { static const uint8_t c_[] = { __VA_ARGS__, 0xF4 }; check_ud(model, c_, sizeof(c_)); } while (0)

/* CPUID with EAX = leaf on a fresh `model` CPU; EAX, EBX, ECX, EDX into out[0..3]. */
static inline void fixture_cpuid(const char *model, uint32_t leaf, uint32_t out[4])
{
    static const uint8_t code[] = { 0x0F, 0xA2, 0xF4 };   /* cpuid; hlt */
    Fixture f;
    fixture_init(&f, model);
    fixture_code(&f, code, sizeof code);
    f.cpu.gpr[REG_EAX] = leaf;
    run_to_hlt(&f);
    out[0] = f.cpu.gpr[REG_EAX];
    out[1] = f.cpu.gpr[REG_EBX];
    out[2] = f.cpu.gpr[REG_ECX];
    out[3] = f.cpu.gpr[REG_EDX];
    fixture_free(&f);
}


#endif
