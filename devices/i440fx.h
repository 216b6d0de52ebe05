/* SPDX-License-Identifier: MIT */
/*
 * The Intel 82441FX PCI and Memory Controller (PMC) of the 440FX chipset,
 * host bridge 00:00.0, after the 82441FX/82442FX data sheet (Intel 290549):
 * its identity (8086:1237 rev 02, class 0600), the DRAM and cache control
 * registers as plain storage, the seven Programmable Attribute Map
 * registers (PAM0-PAM6, 59h-5Fh) that send reads and writes of each 16 KiB
 * segment of C0000h-EFFFFh and of the 64 KiB at F0000h to the ROM or to
 * shadow RAM, and the SMRAM register (72h) as storage.  The subsystem IDs
 * are QEMU's (1AF4:1100), which is how SeaBIOS recognises the board it was
 * built for.  The PAM routing is applied through a host op (the machine's
 * physical memory).  Not modelled: SMRAM decoding and SMM, DRAM timing and
 * row boundaries (DRB reads back what was written), the L2 cache, error
 * reporting, the memory hole at 15-16 MiB.
 */
#ifndef FAULTLINE_I440FX_H
#define FAULTLINE_I440FX_H

#include <stdbool.h>
#include <stdint.h>

#include "pci.h"
#include "state.h"

#define I440FX_PAM0 0x59
#define I440FX_SMRAM 0x72
#define I440FX_DRB0 0x60

/* A PAM nibble: RE sends reads to DRAM, WE writes (82441FX data sheet, 3.2.18). */
#define PAM_RE 0x1u
#define PAM_WE 0x2u

typedef struct I440fxHostOps {
    /* Route [base, base+size) (16 or 64 KiB) reads/writes per PAM_RE/PAM_WE. */
    void (*set_pam)(void *opaque, uint32_t base, uint32_t size, unsigned mode);
    void *opaque;
} I440fxHostOps;

typedef struct I440fx {
    PciDevice pci;
    I440fxHostOps host;
} I440fx;

/* Power-on state; plugs the function in at 00:00.0 (false if taken). */
bool i440fx_init(I440fx *d, PciBus *bus, I440fxHostOps host);
void i440fx_reset(I440fx *d);
/* Re-applies the PAM routing from the registers (after a state load). */
void i440fx_apply(I440fx *d);

extern const StateDesc i440fx_state;

#endif
