/* SPDX-License-Identifier: MIT */
/*
 * The PC/AT's coprocessor-error latch (IBM PC/AT Technical Reference,
 * system board: the 80287 ERROR line; kept by every later chipset for the
 * x87's FERR# output).  A rising edge of FERR# sets the latch, which drives
 * IRQ 13 on the slave PIC; any OUT to port F0h clears it, which is what a
 * DOS-era IRQ 13 handler does before FNCLEX.  The CPU drives the input when
 * a waiting x87 instruction finds an unmasked exception pending with
 * CR0.NE clear (cpu/fpu.c).  Not modelled: IGNNE# (the CPU already goes on
 * with the instruction) and port F1h (the 287's reset).
 */
#ifndef FAULTLINE_FERR_LATCH_H
#define FAULTLINE_FERR_LATCH_H

#include <stdbool.h>

#include "bus.h"
#include "state.h"

#define FERR_LATCH_PORT 0xF0

typedef struct FerrLatch {
    bool ferr;          /* the FERR# input level (1: error) */
    bool latched;       /* IRQ 13 asserted */

    IrqLine irq;
} FerrLatch;

void ferr_latch_init(FerrLatch *l, IrqLine irq);
void ferr_latch_reset(FerrLatch *l);
bool ferr_latch_map(FerrLatch *l, IoSpace *ports);
/* The line the CPU's FERR# output drives (cpu->ferr). */
IrqLine ferr_latch_input(FerrLatch *l);

extern const StateDesc ferr_latch_state;

#endif
