/* SPDX-License-Identifier: MIT */
/*
 * The PCI bus 0 of a PC host bridge, reached through configuration
 * mechanism #1 (PCI Local Bus Specification 2.1, section 3.7.4.1): a dword
 * address register at 0CF8h (bit 31 enable, bus, device, function, register)
 * and a data window at 0CFCh-0CFFh read and written in bytes, words or a
 * dword at any offset.  Only type-0 cycles on bus 0 reach a device; other
 * buses, absent functions and a cleared enable bit read all ones.  Each
 * function is a PciDevice: 256 bytes of configuration space with a write
 * mask and a write-one-to-clear mask per byte, BARs and the expansion-ROM
 * BAR sized by those masks (so the all-ones size probe answers by itself),
 * and a hook the chip uses to react to a write (remap a BAR, route PAM).
 * The PIIX3's Reset Control Register at 0CF9h shares the decode (byte access
 * only, as on the PIIX3).  Not modelled: mechanism #2, type-1 cycles to
 * bridges, special cycles, parity and the PCI arbiter.
 */
#ifndef FAULTLINE_PCI_H
#define FAULTLINE_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "state.h"

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define PCI_ADDRESS_ENABLE 0x80000000u

/* Type-0 configuration header (PCI 2.1, section 6.1). */
enum {
    PCI_VENDOR_ID = 0x00, PCI_DEVICE_ID = 0x02, PCI_COMMAND = 0x04, PCI_STATUS = 0x06,
    PCI_REVISION = 0x08, PCI_PROG_IF = 0x09, PCI_CLASS = 0x0A, PCI_CACHE_LINE = 0x0C,
    PCI_LATENCY = 0x0D, PCI_HEADER_TYPE = 0x0E, PCI_BAR0 = 0x10, PCI_SUBSYS_VENDOR = 0x2C,
    PCI_SUBSYS_ID = 0x2E, PCI_ROM_BAR = 0x30, PCI_INT_LINE = 0x3C, PCI_INT_PIN = 0x3D,
};

#define PCI_COMMAND_IO 0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004
#define PCI_HEADER_MULTI 0x80
#define PCI_BAR_IO 0x01u                /* BAR bit 0: I/O space */
#define PCI_ROM_ENABLE 0x01u
#define PCI_BAR_COUNT 6
#define PCI_ROM_INDEX 6                 /* bar index of the expansion-ROM BAR */

/* Bus 0 device/function numbers: devfn = device << 3 | function. */
#define PCI_DEVFN(dev, fn) ((uint8_t)((dev) << 3 | (fn)))

typedef struct PciDevice PciDevice;

/* Called after the guest wrote size bytes at offset (already masked). */
typedef void (*PciWriteHook)(void *opaque, PciDevice *dev, unsigned offset, unsigned size);

struct PciDevice {
    uint8_t config[256];
    uint8_t wmask[256];         /* bits the guest may write */
    uint8_t w1cmask[256];       /* bits a written one clears (status) */
    uint32_t bar_size[PCI_BAR_COUNT + 1];   /* 0: not implemented; [6] is the ROM BAR */
    PciWriteHook write_hook;
    void *opaque;
};

/* Vendor, device, revision, class (base << 16 | sub << 8 | prog-if), header type. */
void pci_device_init(PciDevice *dev, uint16_t vendor, uint16_t device, uint8_t revision,
                     uint32_t class_code, uint8_t header_type);
/* Declares a BAR (0-5, or PCI_ROM_INDEX) of size bytes (a power of two);
 * flags are the read-only low bits (PCI_BAR_IO, memory type, prefetchable). */
void pci_device_set_bar(PciDevice *dev, int index, uint32_t size, uint32_t flags);
/* The address a BAR is programmed to (flag bits and the ROM enable cleared). */
uint32_t pci_bar_address(const PciDevice *dev, int index);
/* Little-endian field access for the chip's own use (no masks applied). */
uint32_t pci_get(const PciDevice *dev, unsigned offset, unsigned size);
void pci_set(PciDevice *dev, unsigned offset, uint32_t value, unsigned size);
/* A guest write: masks, write-one-to-clear, then the hook. */
void pci_config_write(PciDevice *dev, unsigned offset, uint32_t value, unsigned size);

enum { PCI_DEVFN_COUNT = 256 };

typedef struct PciBus {
    uint32_t address;           /* CONFIG_ADDRESS (0CF8h) */
    uint8_t rcr;                /* PIIX3 Reset Control Register (0CF9h) */
    PciDevice *devfn[PCI_DEVFN_COUNT];
    void (*reset)(void *opaque);    /* RCR: a CPU or system reset */
    void *reset_opaque;
} PciBus;

#define PCI_RCR_SYS_RST 0x02
#define PCI_RCR_RST_CPU 0x04

void pci_bus_init(PciBus *bus, void (*reset)(void *opaque), void *reset_opaque);
void pci_bus_reset(PciBus *bus);
/* Plugs a function in; false if the slot is taken. */
bool pci_bus_attach(PciBus *bus, uint8_t devfn, PciDevice *dev);
bool pci_bus_map(PciBus *bus, IoSpace *ports);
/* Configuration cycles as the host bridge runs them (also for tests). */
uint32_t pci_bus_config_read(PciBus *bus, uint8_t devfn, unsigned offset, unsigned size);
void pci_bus_config_write(PciBus *bus, uint8_t devfn, unsigned offset, uint32_t value, unsigned size);

extern const StateDesc pci_bus_state;

#endif
