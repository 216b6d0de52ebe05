/* SPDX-License-Identifier: MIT */
/*
 * Protected-mode scaffolding for the unit tests on top of cpu_fixture.h: a
 * GDT, an IDT whose vectors 0-31 lead to HLTs, a 32-bit TSS with a ring-0
 * stack and an all-ones I/O bitmap, all built as bytes in RAM, and a
 * real-mode prologue that enters protected mode the way software does
 * (LGDT, LIDT, MOV CR0, far JMP), loads the data segments and TR, and then
 * runs the test's 32-bit code at PM_BODY.
 */
#ifndef FAULTLINE_PM_FIXTURE_H
#define FAULTLINE_PM_FIXTURE_H

#include "cpu_fixture.h"

enum {
    PM_GDT = 0x10000, PM_IDT = 0x11000, PM_TSS = 0x12000, PM_TSS2 = 0x16000,
    PM_CODE = 0x2000, PM_BODY = PM_CODE + 26, PM_RING3 = 0x3000,
    PM_HANDLERS = 0x4000, PM_STACK0 = 0x9000, PM_STACK3 = 0xA000,
    PM_IOBASE = 0x68, PM_TSS_LIMIT = 0x68 + 8192,
};

enum {
    SEL_CODE0 = 0x08, SEL_DATA0 = 0x10, SEL_CODE3 = 0x18, SEL_DATA3 = 0x20, SEL_TSS = 0x28,
    SEL_T1 = 0x30, SEL_T2 = 0x38, SEL_T3 = 0x40, SEL_T4 = 0x48,
};

/* Access bytes */
enum {
    ACC_CODE0 = 0x9A, ACC_DATA0 = 0x92, ACC_CODE3 = 0xFA, ACC_DATA3 = 0xF2,
    ACC_TSS32 = 0x89, ACC_INTGATE0 = 0x8E, ACC_TRAPGATE0 = 0x8F,
};

/* flags: the G, D/B, L, AVL nibble (0xC: 4 KiB granular, 32-bit). */
static inline void pm_desc(Fixture *f, unsigned sel, uint32_t base, uint32_t limit,
                           uint8_t access, uint8_t flags)
{
    uint32_t lo = (limit & 0xFFFF) | (base << 16);
    uint32_t hi = ((base >> 16) & 0xFF) | ((uint32_t)access << 8) | (limit & 0xF0000) |
                  ((uint32_t)(flags & 0xF) << 20) | (base & 0xFF000000u);
    wr(f, PM_GDT + (sel & ~7u), lo, 4);
    wr(f, PM_GDT + (sel & ~7u) + 4, hi, 4);
}

static inline void pm_gate(Fixture *f, uint32_t at, uint16_t sel, uint32_t offset,
                           uint8_t access, uint8_t params)
{
    wr(f, at, (offset & 0xFFFF) | ((uint32_t)sel << 16), 4);
    wr(f, at + 4, (offset & 0xFFFF0000u) | ((uint32_t)access << 8) | params, 4);
}

static inline uint32_t pm_handler_addr(unsigned vector)
{
    return PM_HANDLERS + vector * 16;
}

/* IDT entry `vector` to a HLT at pm_handler_addr(vector). */
static inline void pm_idt(Fixture *f, unsigned vector, uint8_t access)
{
    pm_gate(f, PM_IDT + vector * 8, SEL_CODE0, pm_handler_addr(vector), access, 0);
    wr(f, pm_handler_addr(vector), 0xF4, 1);
}

static inline void pm_setup(Fixture *f, const char *model)
{
    fixture_init(f, model);
    pm_desc(f, SEL_CODE0, 0, 0xFFFFF, ACC_CODE0, 0xC);
    pm_desc(f, SEL_DATA0, 0, 0xFFFFF, ACC_DATA0, 0xC);
    pm_desc(f, SEL_CODE3, 0, 0xFFFFF, ACC_CODE3, 0xC);
    pm_desc(f, SEL_DATA3, 0, 0xFFFFF, ACC_DATA3, 0xC);
    pm_desc(f, SEL_TSS, PM_TSS, PM_TSS_LIMIT, ACC_TSS32, 0);
    wr(f, PM_TSS + 4, PM_STACK0, 4);            /* ESP0 */
    wr(f, PM_TSS + 8, SEL_DATA0, 2);            /* SS0 */
    wr(f, PM_TSS + 0x66, PM_IOBASE, 2);
    for (unsigned i = 0; i <= 8192; i++)
        wr(f, PM_TSS + PM_IOBASE + i, 0xFF, 1);
    for (unsigned v = 0; v < 32; v++)
        pm_idt(f, v, ACC_INTGATE0);
    wr(f, 0x600, 0xFF, 2);                      /* GDTR image */
    wr(f, 0x602, PM_GDT, 4);
    wr(f, 0x608, 0x7FF, 2);                     /* IDTR image */
    wr(f, 0x60A, PM_IDT, 4);
    static const uint8_t real[] = {
        0x0F, 0x01, 0x16, 0x00, 0x06,           /* lgdt [0x600] */
        0x0F, 0x01, 0x1E, 0x08, 0x06,           /* lidt [0x608] */
        0x0F, 0x20, 0xC0,                       /* mov eax, cr0 */
        0x0C, 0x01,                             /* or al, 1 */
        0x0F, 0x22, 0xC0,                       /* mov cr0, eax */
        0x66, 0xEA, 0x00, 0x20, 0x00, 0x00, 0x08, 0x00, /* jmp dword 0x08:0x2000 */
    };
    fixture_code(f, real, sizeof(real));
    static const uint8_t pm[] = {
        0x66, 0xB8, 0x10, 0x00,                 /* mov ax, 0x10 */
        0x8E, 0xD8, 0x8E, 0xC0, 0x8E, 0xE0, 0x8E, 0xE8, 0x8E, 0xD0, /* mov ds/es/fs/gs/ss, ax */
        0xBC, 0x00, 0x80, 0x00, 0x00,           /* mov esp, 0x8000 */
        0x66, 0xB8, 0x28, 0x00,                 /* mov ax, 0x28 */
        0x0F, 0x00, 0xD8,                       /* ltr ax */
    };
    phys_write_block(&f->mem, PM_CODE, pm, sizeof(pm));
}

static inline void pm_write(Fixture *f, uint32_t at, const uint8_t *bytes, size_t n)
{
    phys_write_block(&f->mem, at, bytes, n);
}

/* The 32-bit test body at PM_BODY, and code placed anywhere. */
#define PM(...) do { static const uint8_t c_[] = { __VA_ARGS__ }; pm_write(&f, PM_BODY, c_, sizeof(c_)); } while (0)
#define AT(addr, ...) do { static const uint8_t c_[] = { __VA_ARGS__ }; pm_write(&f, (addr), c_, sizeof(c_)); } while (0)

/* Bytes of a 32-bit IRETD to ring 3 at PM_RING3 with ESP = PM_STACK3 and
 * the given low byte of EFLAGS' second byte (IOPL bits). */
#define TO_RING3(flags_hi) \
    0x6A, 0x23,                             /* push 0x23 (ring-3 data) */ \
    0x68, 0x00, 0xA0, 0x00, 0x00,           /* push PM_STACK3 */ \
    0x68, 0x02, (flags_hi), 0x00, 0x00,     /* push eflags */ \
    0x6A, 0x1B,                             /* push 0x1B (ring-3 code) */ \
    0x68, 0x00, 0x30, 0x00, 0x00,           /* push PM_RING3 */ \
    0xCF                                    /* iretd */

/* Runs to the HLT of `vector`'s handler and checks the recorded fault. */
static inline void pm_expect(Fixture *f, unsigned vector, uint32_t error_code, int rule)
{
    ck_assert_int_eq(cpu_run(&f->cpu, 10000), CPU_STOP_HALT);
    ck_assert_uint_eq(f->cpu.eip, pm_handler_addr(vector) + 1);
    ck_assert_uint_eq(f->cpu.last_fault.vector, vector);
    ck_assert_int_eq(f->cpu.last_fault.rule, rule);
    if (error_code != NO_ERROR_CODE) {
        ck_assert(f->cpu.last_fault.has_error_code);
        ck_assert_uint_eq(f->cpu.last_fault.error_code, error_code);
        ck_assert_uint_eq(rd(f, f->cpu.seg[SEG_SS].base + f->cpu.gpr[REG_ESP], 4), error_code);
    }
}

/* The dword `i` slots above the handler's ESP. */
static inline uint32_t pm_stack(Fixture *f, unsigned i)
{
    return rd(f, f->cpu.seg[SEG_SS].base + f->cpu.gpr[REG_ESP] + 4 * i, 4);
}

static inline void pm_run_to_hlt(Fixture *f)
{
    ck_assert_int_eq(cpu_run(&f->cpu, 10000), CPU_STOP_HALT);
}

#endif
