/* SPDX-License-Identifier: MIT */
/*
 * The tracer behind -d int,cpu_reset,exec (QEMU's item names) and -D FILE:
 *   exec       one line per instruction before it runs: icount, CS:EIP,
 *              linear address, bytes and disassembly (slow: a short run)
 *   int        one line per interrupt or exception delivery: vector, kind,
 *              error code, CS:EIP and, for exceptions, the rule's sentence
 *   cpu_reset  a line with the registers at power-on and at every reset
 * Nothing in a line comes from the host, so two -deterministic runs of the
 * same guest write the same file byte for byte.
 */
#ifndef FAULTLINE_TRACE_H
#define FAULTLINE_TRACE_H

#include <stddef.h>
#include <stdio.h>

#include "machine.h"

enum { TRACE_INT = 1u << 0, TRACE_CPU_RESET = 1u << 1, TRACE_EXEC = 1u << 2 };

/* The TRACE_* bit of a -d item name (n characters), or 0 if not a trace item. */
unsigned trace_item(const char *name, size_t n);

typedef struct Tracer Tracer;
/* Starts tracing `items` into out; NULL when no debug client slot is free. */
Tracer *trace_attach(Machine *m, unsigned items, FILE *out);
void trace_detach(Tracer *t);

#endif
