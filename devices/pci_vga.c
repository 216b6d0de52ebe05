/* SPDX-License-Identifier: MIT */
/*
 * PCI VGA configuration space and its expansion-ROM BAR.  The BAR's size is
 * the image size rounded up to a power of two (at least 2 KiB, the BAR's
 * granularity); bytes past the image read FFh.  The window moves whenever
 * the guest rewrites the BAR or toggles the enables.
 */
#include "pci_vga.h"

#include <stdio.h>

static uint32_t rom_read(void *opaque, uint32_t offset, unsigned size)
{
    const PciVga *v = opaque;
    uint32_t value = 0;
    for (unsigned i = 0; i < size; i++) {
        uint32_t at = offset + i;
        uint8_t b = at < v->rom_size ? v->rom[at] : 0xFF;
        value |= (uint32_t)b << (8 * i);
    }
    return value;
}

static void unmap_rom(PciVga *v)
{
    if (v->mapped && v->mmio)
        io_space_unmap(v->mmio, v->mapped_base, v);
    v->mapped = false;
}

void pci_vga_apply(PciVga *v)
{
    unmap_rom(v);
    if (!v->rom || !v->mmio)
        return;
    uint32_t bar = pci_get(&v->pci, PCI_ROM_BAR, 4);
    uint32_t base = pci_bar_address(&v->pci, PCI_ROM_INDEX);
    bool on = (bar & PCI_ROM_ENABLE) && (pci_get(&v->pci, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY);
    if (!on || base == 0)
        return;
    IoWindow w = { .name = "vga-rom", .base = base, .length = v->pci.bar_size[PCI_ROM_INDEX],
                   .widths = IO_WIDTH_8 | IO_WIDTH_16 | IO_WIDTH_32, .read = rom_read, .opaque = v };
    if (io_space_map(v->mmio, &w)) {
        v->mapped = true;
        v->mapped_base = base;
    } else if (v->log) {
        char line[80];
        snprintf(line, sizeof(line), "pci-vga: ROM BAR at 0x%08x overlaps another window; not decoded", base);
        v->log(v->log_opaque, line);
    }
}

static void config_written(void *opaque, PciDevice *dev, unsigned offset, unsigned size)
{
    bool command = offset < PCI_COMMAND + 2 && offset + size > PCI_COMMAND;
    bool rom_bar = offset < PCI_ROM_BAR + 4 && offset + size > PCI_ROM_BAR;
    if (command || rom_bar)
        pci_vga_apply(opaque);
}

static uint32_t rom_bar_size(uint32_t image)
{
    uint32_t size = 0x800;
    while (size < image && size < 0x80000000u)
        size <<= 1;
    return size;
}

void pci_vga_reset(PciVga *v)
{
    pci_set(&v->pci, PCI_COMMAND, 0, 2);
    pci_set(&v->pci, PCI_ROM_BAR, 0, 4);
    pci_set(&v->pci, PCI_INT_LINE, 0, 1);
    pci_vga_apply(v);
}

void pci_vga_set_rom(PciVga *v, const uint8_t *rom, uint32_t rom_size)
{
    unmap_rom(v);
    v->rom = rom_size ? rom : NULL;
    v->rom_size = v->rom ? rom_size : 0;
    if (v->rom)
        pci_device_set_bar(&v->pci, PCI_ROM_INDEX, rom_bar_size(v->rom_size), 0);
    pci_vga_apply(v);
}

bool pci_vga_init(PciVga *v, PciBus *bus, IoSpace *mmio)
{
    v->rom = NULL;
    v->rom_size = 0;
    v->mmio = mmio;
    v->mapped = false;
    v->mapped_base = 0;
    v->log = NULL;
    v->log_opaque = NULL;
    pci_device_init(&v->pci, 0x1234, 0x1111, 0x02, 0x030000, 0x00);
    pci_set(&v->pci, PCI_SUBSYS_VENDOR, 0x1AF4, 2);
    pci_set(&v->pci, PCI_SUBSYS_ID, 0x1100, 2);
    v->pci.write_hook = config_written;
    v->pci.opaque = v;
    pci_vga_reset(v);
    return pci_bus_attach(bus, PCI_DEVFN(2, 0), &v->pci);
}

static const StateField pci_vga_fields[] = {
    STATE_U8_ARRAY(PciVga, pci.config, 256),
};
const StateDesc pci_vga_state = STATE_DESC("pci-vga", 1, pci_vga_fields);
