/* SPDX-License-Identifier: MIT */
/*
 * The debugger's reads of guest memory, shared by the system views, the
 * fault explainer and the tracer.  Linear addresses go through the
 * debugger's page walk (supervisor read, no accessed or dirty bit written,
 * nothing raised); physical reads see RAM and ROM only and never reach a
 * device, whose registers may change when read (MMIO reads as all ones).
 */
#ifndef FAULTLINE_DBGMEM_H
#define FAULTLINE_DBGMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Cpu;

/* Linear to physical: cpu_debug_translate (cpu.h). */
/* Little-endian value of 1-8 bytes at a physical address (RAM/ROM only). */
uint64_t dbg_phys_read(struct Cpu *cpu, uint64_t phys, unsigned size);
/* Copies up to len bytes at a linear address; the number copied, short at an unmapped page. */
size_t dbg_read_linear(struct Cpu *cpu, uint32_t lin, void *buf, size_t len);
/* 1-4 bytes at a linear address into *value; false when not all mapped. */
bool dbg_read_lin(struct Cpu *cpu, uint32_t lin, unsigned size, uint32_t *value);

#endif
