/* SPDX-License-Identifier: MIT */
/*
 * PIIX3 functions 0 and 1: configuration registers, PIRQ steering and the
 * ELCR.  A route control register holds the ISA IRQ in bits 3-0 and IRQEN#
 * in bit 7; IRQs 0-2, 8 and 13 are reserved there and route nowhere.  The
 * ELCR bits of IRQ0, 1, 2, 8 and 13 are hard-wired to edge.
 */
#include "piix3.h"

/* ISA IRQs a PIRQ may be steered to (data sheet, PIRQRC). */
#define PIRQ_VALID_IRQS 0xDEF8u
static const uint8_t elcr_wmask[2] = { 0xF8, 0xDE };

typedef struct RegDefault {
    uint8_t reg, value, wmask;
} RegDefault;

static const RegDefault isa_regs[] = {
    { 0x4C, 0x4D, 0xFF },                           /* IORT */
    { 0x4E, 0x03, 0xFF }, { 0x4F, 0x00, 0xFF },     /* XBCS */
    { 0x60, 0x80, 0x8F }, { 0x61, 0x80, 0x8F }, { 0x62, 0x80, 0x8F }, { 0x63, 0x80, 0x8F },
    { 0x69, 0x02, 0xFF },                           /* TOM */
    { 0x6A, 0x00, 0xFF }, { 0x6B, 0x00, 0xFF },     /* MSTAT */
    { 0x70, 0x80, 0xEF }, { 0x71, 0x80, 0xEF },     /* MBIRQ0/1 */
    { 0x76, 0x0C, 0x8F }, { 0x77, 0x0C, 0x8F },     /* MBDMA0/1 */
    { 0x78, 0x02, 0xFF }, { 0x79, 0x00, 0xFF },     /* PCSC */
    { 0x80, 0x00, 0x7F },                           /* APICBASE */
    { 0xA0, 0x08, 0xFF },                           /* SMICNTL */
    { 0xA2, 0x00, 0xFF }, { 0xA3, 0x00, 0xFF },     /* SMIEN */
    { 0xA4, 0x00, 0xFF }, { 0xA5, 0x00, 0xFF }, { 0xA6, 0x00, 0xFF }, { 0xA7, 0x00, 0xFF },
    { 0xA8, 0x0F, 0xFF },                           /* FTMR */
    { 0xAA, 0x00, 0xFF }, { 0xAB, 0x00, 0xFF },     /* SMIREQ */
    { 0xAC, 0x00, 0xFF }, { 0xAE, 0x00, 0xFF },     /* CTLTMR, CTHTMR */
};

static const RegDefault ide_regs[] = {
    { 0x40, 0x00, 0xFF }, { 0x41, 0x00, 0xF3 },     /* IDETIM primary */
    { 0x42, 0x00, 0xFF }, { 0x43, 0x00, 0xF3 },     /* IDETIM secondary */
    { 0x44, 0x00, 0xFF },                           /* SIDETIM */
};

static void load_defaults(PciDevice *dev, const RegDefault *regs, size_t n, bool masks)
{
    for (size_t i = 0; i < n; i++) {
        dev->config[regs[i].reg] = regs[i].value;
        if (masks)
            dev->wmask[regs[i].reg] = regs[i].wmask;
    }
}

/* The ISA IRQ a route register steers to, or -1. */
static int routed_irq(uint8_t route)
{
    int irq = route & 0x0F;
    if ((route & PIIX3_PIRQ_DISABLE) || !(PIRQ_VALID_IRQS & (1u << irq)))
        return -1;
    return irq;
}

/* Recomputes which ISA IRQs the asserted PIRQs hold high and drives changes. */
static void update_irqs(Piix3 *p)
{
    uint16_t out = 0;
    for (int n = 0; n < 4; n++) {
        int irq = routed_irq(p->isa.config[PIIX3_PIRQRC + n]);
        if (irq >= 0 && (p->pirq_level & (1u << n)))
            out |= (uint16_t)(1u << irq);
    }
    uint16_t changed = out ^ p->irq_out;
    p->irq_out = out;
    for (int irq = 0; irq < 16 && p->pics; irq++)
        if (changed & (1u << irq))
            irq_set_level(pic_pair_irq(p->pics, irq), (out >> irq) & 1);
}

void piix3_set_pirq(Piix3 *p, int pirq, int level)
{
    uint8_t bit = (uint8_t)(1u << (pirq & 3));
    p->pirq_level = level ? (uint8_t)(p->pirq_level | bit) : (uint8_t)(p->pirq_level & ~bit);
    update_irqs(p);
}

void piix3_pirq_set(void *ctx, int line, int level)
{
    piix3_set_pirq(ctx, line, level);
}

static void isa_written(void *opaque, PciDevice *dev, unsigned offset, unsigned size)
{
    if (offset < PIIX3_PIRQRC + 4 && offset + size > PIIX3_PIRQRC)
        update_irqs(opaque);
}

static void push_elcr(Piix3 *p)
{
    if (!p->pics)
        return;
    i8259_set_elcr(&p->pics->master, p->elcr[0]);
    i8259_set_elcr(&p->pics->slave, p->elcr[1]);
}

/* The PIC input levels are in the PICs' own state; only the ELCR copy
 * they keep needs pushing again. */
void piix3_apply(Piix3 *p)
{
    push_elcr(p);
}

static uint32_t elcr_read(void *opaque, uint32_t offset, unsigned size)
{
    Piix3 *p = opaque;
    return p->elcr[offset & 1];
}

static void elcr_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Piix3 *p = opaque;
    p->elcr[offset & 1] = (uint8_t)(value & elcr_wmask[offset & 1]);
    push_elcr(p);
}

void piix3_reset(Piix3 *p)
{
    pci_set(&p->isa, PCI_COMMAND, 0x0007, 2);
    pci_set(&p->isa, PCI_STATUS, 0x0200, 2);
    load_defaults(&p->isa, isa_regs, sizeof(isa_regs) / sizeof(isa_regs[0]), false);
    pci_set(&p->ide, PCI_COMMAND, 0x0000, 2);
    pci_set(&p->ide, PCI_STATUS, 0x0280, 2);
    pci_set(&p->ide, PCI_BAR0 + 16, PCI_BAR_IO, 4);
    load_defaults(&p->ide, ide_regs, sizeof(ide_regs) / sizeof(ide_regs[0]), false);
    p->elcr[0] = p->elcr[1] = 0;
    push_elcr(p);
    update_irqs(p);
}

bool piix3_init(Piix3 *p, PciBus *bus, PicPair *pics)
{
    p->pics = pics;
    p->elcr[0] = p->elcr[1] = 0;
    p->pirq_level = 0;
    p->irq_out = 0;
    pci_device_init(&p->isa, 0x8086, 0x7000, 0x00, 0x060100, PCI_HEADER_MULTI);
    pci_device_init(&p->ide, 0x8086, 0x7010, 0x00, 0x010180, 0x00);
    PciDevice *const fns[2] = { &p->isa, &p->ide };
    for (int i = 0; i < 2; i++) {
        PciDevice *d = fns[i];
        pci_set(d, PCI_SUBSYS_VENDOR, 0x1AF4, 2);
        pci_set(d, PCI_SUBSYS_ID, 0x1100, 2);
        d->wmask[PCI_INT_LINE] = 0;     /* neither function raises a PCI interrupt */
        d->opaque = p;
    }
    load_defaults(&p->isa, isa_regs, sizeof(isa_regs) / sizeof(isa_regs[0]), true);
    load_defaults(&p->ide, ide_regs, sizeof(ide_regs) / sizeof(ide_regs[0]), true);
    pci_device_set_bar(&p->ide, 4, PIIX3_BMIBA_SIZE, PCI_BAR_IO);
    p->isa.write_hook = isa_written;
    piix3_reset(p);
    return pci_bus_attach(bus, PCI_DEVFN(1, 0), &p->isa) && pci_bus_attach(bus, PCI_DEVFN(1, 1), &p->ide);
}

bool piix3_map(Piix3 *p, IoSpace *ports)
{
    IoWindow w = { .name = "elcr", .base = PIIX3_ELCR1, .length = 2, .widths = IO_WIDTH_8,
                   .read = elcr_read, .write = elcr_write, .opaque = p };
    return io_space_map(ports, &w);
}

static const StateField piix3_fields[] = {
    STATE_U8_ARRAY(Piix3, isa.config, 256),
    STATE_U8_ARRAY(Piix3, ide.config, 256),
    STATE_U8_ARRAY(Piix3, elcr, 2),
    STATE_U8(Piix3, pirq_level),
    STATE_U16(Piix3, irq_out),
};
const StateDesc piix3_state = STATE_DESC("piix3", 1, piix3_fields);
