/* SPDX-License-Identifier: MIT */
/*
 * The fault explainer: one block of text per CPU exception saying where it
 * happened, which instruction, what the error code means, the rule that
 * failed with its evidence (cpu/fault_rules.def), and for selector faults the
 * descriptor, for #PF the page walk, for #DF the two faults behind it and
 * for a triple fault the whole chain.  The format is a contract with the
 * monitor and the lab sheets: /work/notes/explain-format.md, in short
 *
 *   == #GP(0010) general protection fault, at instruction 42 ==
 *     where        0008:00001234  linear 00001234  physical 00001234  (protected mode, CPL 3)
 *     instruction  8b 47 10                 mov eax, dword ptr [edi + 0x10]
 *     error code   0010 = selector 0010: GDT index 2 (not external)
 *     why          <the rule's sentence with its evidence>
 *     descriptor   GDT[2] = 00cf92000000ffff: data read/write, ...
 *
 * Everything is read with the debugger's reads (dbgmem.h): explaining never
 * changes the guest.
 */
#ifndef FAULTLINE_EXPLAIN_H
#define FAULTLINE_EXPLAIN_H

#include <stdio.h>

#include "machine.h"

struct Cpu;
struct FaultRecord;

/* The block for one exception about to be delivered (or just delivered:
 * the walk and descriptors are read as they are now). */
void explain_fault(Machine *m, const struct FaultRecord *f, FILE *out);
void explain_fault_cpu(struct Cpu *cpu, const struct FaultRecord *f, FILE *out);
/* The block for a CPU shutdown (triple fault): the chain of faults. */
void explain_shutdown_cpu(struct Cpu *cpu, FILE *out);

/* --explain: a debug client that prints the block for every CPU exception
 * as it is about to be delivered, and the chain when the CPU shuts down.
 * NULL when no debug client slot is free. */
typedef struct Explainer Explainer;
Explainer *explain_attach(Machine *m, FILE *out);
void explain_detach(Explainer *e);

#endif
