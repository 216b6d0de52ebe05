/* SPDX-License-Identifier: MIT */
/*
 * The PCI face of the VGA at 00:02.0: configuration space with QEMU's
 * standard-VGA identity (1234:1111, class 0300) so that SeaBIOS and the
 * Bochs/SeaVGABIOS "stdvga" ROMs, whose PCI data structures carry those
 * IDs, recognise it; and an expansion-ROM BAR (PCI Local Bus Specification
 * 2.1, section 6.2.5.2) through which the system BIOS finds, copies and
 * runs the VGA BIOS image.  The ROM decodes when both the BAR's enable bit
 * and the command register's memory-space bit are set.  The VGA itself
 * (ports 3B0h-3DFh, memory A0000h-BFFFFh) is vga.c and decodes whatever the
 * command register says, as a PC's boot VGA does.  Not modelled: the Bochs
 * VBE "DISPI" registers (1CEh/1CFh) and the linear framebuffer BAR; the
 * stdvga BIOS finds no DISPI and runs as a plain VGA BIOS.
 */
#ifndef FAULTLINE_PCI_VGA_H
#define FAULTLINE_PCI_VGA_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "pci.h"
#include "state.h"

typedef struct PciVga {
    PciDevice pci;
    const uint8_t *rom;         /* owned by the machine; NULL: no ROM BAR */
    uint32_t rom_size;
    IoSpace *mmio;
    uint32_t mapped_base;       /* where the ROM window is mapped, if mapped */
    bool mapped;
    BusLogFn log;
    void *log_opaque;
} PciVga;

/* Plugs the function in at 00:02.0, without a ROM; the ROM window goes
 * into mmio when the guest enables it.  False if the slot is taken. */
bool pci_vga_init(PciVga *v, PciBus *bus, IoSpace *mmio);
/* Puts rom (owned by the caller; NULL or size 0 for none) behind the ROM
 * BAR, sized to the next power of two of at least 2 KiB. */
void pci_vga_set_rom(PciVga *v, const uint8_t *rom, uint32_t rom_size);
void pci_vga_reset(PciVga *v);
/* Maps or unmaps the ROM window from the registers (after a state load). */
void pci_vga_apply(PciVga *v);

extern const StateDesc pci_vga_state;

#endif
