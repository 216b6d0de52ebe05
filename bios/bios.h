/* SPDX-License-Identifier: MIT */
/*
 * Our BIOS: a 64 KiB ROM of small x86 stubs (bios/rom.asm) whose service
 * entry points trap into C.  The trap is the UD0 encoding `0F FF ib` (ib is
 * the service number); the CPU honours it only when the instruction lies in
 * this ROM, anywhere else it is #UD as on real hardware.  A C service sees
 * the caller's registers in a BiosRegs copy, changes them, and they are
 * committed when it returns; it reaches memory and ports only through
 * BiosBus, i.e. through the caller's segmentation and paging and with the
 * caller's I/O permissions, exactly as x86 code in the ROM would.  A fault
 * inside a service unwinds and restarts the trap instruction, so services
 * do their reads and checks before their writes.  Hardware interrupt
 * handlers and every wait loop are x86 code in the ROM, never C that blocks.
 * Not yet modelled: see docs/architecture.md.
 */
#ifndef FAULTLINE_BIOS_H
#define FAULTLINE_BIOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BIOS_ROM_BASE 0xF0000u
#define BIOS_ROM_SIZE 0x10000u

/* Segment register numbers for BiosBus accesses (the CPU's own order). */
enum { BIOS_ES, BIOS_CS, BIOS_SS, BIOS_DS, BIOS_FS, BIOS_GS };

/* The caller's registers at the trap: services read and write them here. */
typedef struct BiosRegs {
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t eip, eflags;
    uint16_t es, cs, ss, ds, fs, gs;
} BiosRegs;

/* Guest-visible accesses, as x86 code at the trap would make them. */
typedef struct BiosBus {
    void *ctx;
    uint32_t (*read)(void *ctx, unsigned seg, uint32_t offset, unsigned size);
    void (*write)(void *ctx, unsigned seg, uint32_t offset, uint32_t value, unsigned size);
    uint32_t (*in)(void *ctx, uint16_t port, unsigned size);
    void (*out)(void *ctx, uint16_t port, uint32_t value, unsigned size);
    /* INT 15h AH=87h only: copies by physical address, as the BIOS's own trip
     * through protected mode would; false when the caller is not in real mode
     * (a V86 monitor must handle 87h itself). */
    bool (*phys_copy)(void *ctx, uint64_t dst, uint64_t src, uint32_t len);
} BiosBus;

/* The ROM image assembled from bios/rom.asm at build time. */
extern const uint8_t bios_rom[];
extern const size_t bios_rom_size;

typedef struct Bios Bios;   /* host-side BIOS state; see bios_state.h */

/* Runs service `service` (the ib of the trap) for the caller in regs. */
void bios_call(Bios *bios, unsigned service, BiosRegs *regs, const BiosBus *bus);

#endif
