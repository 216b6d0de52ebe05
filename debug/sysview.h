/* SPDX-License-Identifier: MIT */
/*
 * The system views of the monitor: descriptor tables, the TSS, one page
 * walk, the TLB and the mapped ranges, as text.  They only read (through
 * dbgmem.h: no accessed or dirty bit set, no fault raised, no device
 * touched), so looking never changes the guest.  The monitor passes
 * machine_cpu(m); the unit tests a bare CPU.
 */
#ifndef FAULTLINE_SYSVIEW_H
#define FAULTLINE_SYSVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct Cpu;

void sysview_gdt(struct Cpu *cpu, FILE *out);   /* info gdt: every entry up to GDTR.limit */
void sysview_idt(struct Cpu *cpu, FILE *out);   /* info idt: every gate (real mode: the IVT) */
void sysview_ldt(struct Cpu *cpu, FILE *out);   /* info ldt: the LDT in LDTR's cache */
void sysview_tss(struct Cpu *cpu, FILE *out);   /* info tss: the TSS in TR's cache, all fields */
void sysview_page(struct Cpu *cpu, uint32_t lin, FILE *out);   /* page ADDR: the walk by level */
void sysview_tlb(struct Cpu *cpu, FILE *out);   /* info tlb: the valid TLB entries */
void sysview_mem(struct Cpu *cpu, FILE *out);   /* info mem: mapped linear ranges, merged */

/* One descriptor (lo = bytes 0-3, hi = bytes 4-7) in words, no newline:
 * "data read/write accessed, base 00000000 limit ffffffff, DPL 0, present, 32-bit, 4K granular, AVL 0". */
void sysview_describe_descriptor(uint32_t lo, uint32_t hi, char *buf, size_t len);
/* The bits of a paging entry: "P RW US A D PS G NX frame 00103000". */
void sysview_describe_entry(uint64_t entry, int level, bool pae, char *buf, size_t len);

/* The walk lines of `page ADDR` for one access (the explainer's #PF block
 * uses them): one line per level, the first prefixed with first_prefix,
 * the others with prefix, the failing level marked with the bit that stops
 * the access; `access` is a PageAccess.  Returns false when the walk faults. */
bool sysview_walk(struct Cpu *cpu, uint32_t lin, int access, bool user, const char *first_prefix,
                  const char *prefix, FILE *out);

#endif
