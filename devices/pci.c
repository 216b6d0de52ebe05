/* SPDX-License-Identifier: MIT */
/*
 * Configuration mechanism #1 and the configuration space of a PCI function:
 * the address register at 0CF8h selects a dword of some function's space,
 * the four data ports 0CFCh-0CFFh reach its bytes.  A write goes through the
 * function's per-byte masks, so read-only fields stay, a BAR keeps the low
 * bits its size makes zero (which is the whole size probe), and status bits
 * clear when written with one.
 */
#include "pci.h"

#include <string.h>

/*
 * CONFIG_ADDRESS (0CF8h, dword access only):
 *   31 enable | 30-24 reserved | 23-16 bus | 15-11 device | 10-8 function |
 *   7-2 register | 1-0 zero (type 0)
 */
#define CFG_ADDR_MASK 0x80FFFFFCu

uint32_t pci_get(const PciDevice *dev, unsigned offset, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size && offset + i < 256; i++)
        v |= (uint32_t)dev->config[offset + i] << (8 * i);
    return v;
}

void pci_set(PciDevice *dev, unsigned offset, uint32_t value, unsigned size)
{
    for (unsigned i = 0; i < size && offset + i < 256; i++)
        dev->config[offset + i] = (uint8_t)(value >> (8 * i));
}

static void set_mask(uint8_t *mask, unsigned offset, uint32_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        mask[offset + i] = (uint8_t)(value >> (8 * i));
}

/*
 * The header fields a type-0 function implements everywhere: command
 * (I/O, memory, bus master, parity, SERR, fast back-to-back), cache line
 * size, latency timer and interrupt line are writable; status bits 15-11
 * are write-one-to-clear; the rest is read-only until a chip says otherwise.
 */
void pci_device_init(PciDevice *dev, uint16_t vendor, uint16_t device, uint8_t revision,
                     uint32_t class_code, uint8_t header_type)
{
    memset(dev, 0, sizeof(*dev));
    pci_set(dev, PCI_VENDOR_ID, vendor, 2);
    pci_set(dev, PCI_DEVICE_ID, device, 2);
    pci_set(dev, PCI_REVISION, revision, 1);
    pci_set(dev, PCI_PROG_IF, class_code, 3);
    pci_set(dev, PCI_HEADER_TYPE, header_type, 1);
    set_mask(dev->wmask, PCI_COMMAND, 0x0347, 2);
    set_mask(dev->w1cmask, PCI_STATUS, 0xF900, 2);
    dev->wmask[PCI_CACHE_LINE] = 0xFF;
    dev->wmask[PCI_LATENCY] = 0xFF;
    dev->wmask[PCI_INT_LINE] = 0xFF;
}

static unsigned bar_offset(int index)
{
    return index == PCI_ROM_INDEX ? PCI_ROM_BAR : PCI_BAR0 + 4u * (unsigned)index;
}

void pci_device_set_bar(PciDevice *dev, int index, uint32_t size, uint32_t flags)
{
    unsigned off = bar_offset(index);
    uint32_t mask = ~(size - 1);
    if (index == PCI_ROM_INDEX)
        mask = (mask & ~0x7FFu) | PCI_ROM_ENABLE;
    else if (flags & PCI_BAR_IO)
        mask &= ~0x3u;
    else
        mask &= ~0xFu;
    dev->bar_size[index] = size;
    set_mask(dev->wmask, off, mask, 4);
    pci_set(dev, off, flags, 4);
}

uint32_t pci_bar_address(const PciDevice *dev, int index)
{
    uint32_t v = pci_get(dev, bar_offset(index), 4);
    if (index == PCI_ROM_INDEX)
        return v & ~0x7FFu;
    return (v & PCI_BAR_IO) ? v & ~0x3u : v & ~0xFu;
}

void pci_config_write(PciDevice *dev, unsigned offset, uint32_t value, unsigned size)
{
    for (unsigned i = 0; i < size && offset + i < 256; i++) {
        unsigned r = offset + i;
        uint8_t v = (uint8_t)(value >> (8 * i));
        dev->config[r] = (uint8_t)((dev->config[r] & ~dev->wmask[r]) | (v & dev->wmask[r]));
        dev->config[r] &= (uint8_t)~(v & dev->w1cmask[r]);
    }
    if (dev->write_hook)
        dev->write_hook(dev->opaque, dev, offset, size);
}

/* ---- the bus and mechanism #1 ---- */

uint32_t pci_bus_config_read(PciBus *bus, uint8_t devfn, unsigned offset, unsigned size)
{
    const PciDevice *dev = bus->devfn[devfn];
    if (!dev)
        return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    return pci_get(dev, offset, size);
}

void pci_bus_config_write(PciBus *bus, uint8_t devfn, unsigned offset, uint32_t value, unsigned size)
{
    PciDevice *dev = bus->devfn[devfn];
    if (dev)
        pci_config_write(dev, offset, value, size);
}

/* The function the address register selects, or -1 (disabled, not bus 0). */
static int selected_devfn(const PciBus *bus)
{
    if (!(bus->address & PCI_ADDRESS_ENABLE) || ((bus->address >> 16) & 0xFF) != 0)
        return -1;
    return (int)((bus->address >> 8) & 0xFF);
}

static uint32_t data_read(void *opaque, uint32_t offset, unsigned size)
{
    PciBus *bus = opaque;
    int devfn = selected_devfn(bus);
    if (devfn < 0)
        return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
    return pci_bus_config_read(bus, (uint8_t)devfn, (bus->address & 0xFC) + offset, size);
}

static void data_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    PciBus *bus = opaque;
    int devfn = selected_devfn(bus);
    if (devfn >= 0)
        pci_bus_config_write(bus, (uint8_t)devfn, (bus->address & 0xFC) + offset, value, size);
}

/*
 * 0CF8h-0CFBh: only a dword access at 0CF8h is the address register; a
 * byte at 0CF9h is the PIIX3 Reset Control Register; other byte and word
 * accesses go on to the ISA bus, where nothing answers.
 */
static uint32_t address_read(void *opaque, uint32_t offset, unsigned size)
{
    PciBus *bus = opaque;
    if (offset == 0 && size == 4)
        return bus->address;
    if (offset == 1 && size == 1)
        return bus->rcr;
    return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

static void rcr_write(PciBus *bus, uint8_t v)
{
    bool go = (v & PCI_RCR_RST_CPU) && !(bus->rcr & PCI_RCR_RST_CPU);
    bus->rcr = v & PCI_RCR_SYS_RST;     /* RST_CPU reads back as written before the edge */
    if (go && bus->reset)
        bus->reset(bus->reset_opaque);
}

static void address_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    PciBus *bus = opaque;
    if (offset == 0 && size == 4)
        bus->address = value & CFG_ADDR_MASK;
    else if (offset == 1 && size == 1)
        rcr_write(bus, (uint8_t)value);
}

void pci_bus_init(PciBus *bus, void (*reset)(void *opaque), void *reset_opaque)
{
    memset(bus, 0, sizeof(*bus));
    bus->reset = reset;
    bus->reset_opaque = reset_opaque;
}

void pci_bus_reset(PciBus *bus)
{
    bus->address = 0;
    bus->rcr = 0;
}

bool pci_bus_attach(PciBus *bus, uint8_t devfn, PciDevice *dev)
{
    if (bus->devfn[devfn])
        return false;
    bus->devfn[devfn] = dev;
    return true;
}

bool pci_bus_map(PciBus *bus, IoSpace *ports)
{
    const unsigned all = IO_WIDTH_8 | IO_WIDTH_16 | IO_WIDTH_32;
    IoWindow addr = { .name = "pci-address", .base = PCI_CONFIG_ADDRESS, .length = 4, .widths = all,
                      .read = address_read, .write = address_write, .opaque = bus };
    IoWindow data = { .name = "pci-data", .base = PCI_CONFIG_DATA, .length = 4, .widths = all,
                      .read = data_read, .write = data_write, .opaque = bus };
    return io_space_map(ports, &addr) && io_space_map(ports, &data);
}

static const StateField pci_bus_fields[] = {
    STATE_U32(PciBus, address),
    STATE_U8(PciBus, rcr),
};
const StateDesc pci_bus_state = STATE_DESC("pci", 1, pci_bus_fields);
