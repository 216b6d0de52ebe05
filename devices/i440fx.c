/* SPDX-License-Identifier: MIT */
/*
 * 82441FX host bridge: configuration registers and the PAM routing of the
 * BIOS and option-ROM areas.  Each PAM register holds two nibbles, RE in
 * bit 0 and WE in bit 1 of each; PAM0's high nibble covers F0000h-FFFFFh
 * (its low nibble is reserved), PAM1-PAM6 cover C0000h-EFFFFh in 16 KiB
 * steps, low nibble first.
 */
#include "i440fx.h"

/* Register defaults from the data sheet's register table. */
static const struct { uint8_t reg, value, wmask; } i440fx_regs[] = {
    { 0x50, 0x00, 0xFF }, { 0x51, 0x00, 0xFF },     /* PMCCFG */
    { 0x52, 0x80, 0xFF },                           /* DETURBO */
    { 0x53, 0x80, 0xFF },                           /* DBC */
    { 0x54, 0x00, 0xFF },                           /* AXC */
    { 0x55, 0x00, 0xFF }, { 0x56, 0x00, 0xFF },     /* DRAMR */
    { 0x57, 0x01, 0xFF },                           /* DRAMC */
    { 0x58, 0x10, 0xFF },                           /* DRAMT */
    { 0x59, 0x00, 0x30 },                           /* PAM0: F0000h only */
    { 0x5A, 0x00, 0x33 }, { 0x5B, 0x00, 0x33 }, { 0x5C, 0x00, 0x33 },
    { 0x5D, 0x00, 0x33 }, { 0x5E, 0x00, 0x33 }, { 0x5F, 0x00, 0x33 },
    { 0x60, 0x02, 0xFF }, { 0x61, 0x02, 0xFF }, { 0x62, 0x02, 0xFF }, { 0x63, 0x02, 0xFF },
    { 0x64, 0x02, 0xFF }, { 0x65, 0x02, 0xFF }, { 0x66, 0x02, 0xFF }, { 0x67, 0x02, 0xFF },
    { 0x68, 0x00, 0xFF },                           /* FDHC */
    { 0x70, 0x20, 0xFF },                           /* MTT */
    { 0x71, 0x10, 0xFF },                           /* CLT */
    { 0x72, 0x02, 0x78 },                           /* SMRAM: C_BASE_SEG fixed at 010b */
    { 0x90, 0x00, 0xFF },                           /* ERRCMD */
    { 0x91, 0x00, 0x00 },                           /* ERRSTS */
    { 0x93, 0x00, 0xFF },                           /* TRC */
};

void i440fx_apply(I440fx *d)
{
    if (!d->host.set_pam)
        return;
    d->host.set_pam(d->host.opaque, 0xF0000, 0x10000, (d->pci.config[I440FX_PAM0] >> 4) & 3);
    for (unsigned i = 1; i <= 6; i++) {
        uint8_t pam = d->pci.config[I440FX_PAM0 + i];
        uint32_t base = 0xC0000 + (i - 1) * 0x8000;
        d->host.set_pam(d->host.opaque, base, 0x4000, pam & 3);
        d->host.set_pam(d->host.opaque, base + 0x4000, 0x4000, (pam >> 4) & 3);
    }
}

static void config_written(void *opaque, PciDevice *dev, unsigned offset, unsigned size)
{
    if (offset + size > I440FX_PAM0 && offset <= I440FX_PAM0 + 6)
        i440fx_apply(opaque);
}

void i440fx_reset(I440fx *d)
{
    pci_set(&d->pci, PCI_COMMAND, 0x0006, 2);
    pci_set(&d->pci, PCI_STATUS, 0x0280, 2);
    pci_set(&d->pci, PCI_LATENCY, 0, 1);
    for (size_t i = 0; i < sizeof(i440fx_regs) / sizeof(i440fx_regs[0]); i++)
        d->pci.config[i440fx_regs[i].reg] = i440fx_regs[i].value;
    i440fx_apply(d);
}

bool i440fx_init(I440fx *d, PciBus *bus, I440fxHostOps host)
{
    pci_device_init(&d->pci, 0x8086, 0x1237, 0x02, 0x060000, 0x00);
    pci_set(&d->pci, PCI_SUBSYS_VENDOR, 0x1AF4, 2);
    pci_set(&d->pci, PCI_SUBSYS_ID, 0x1100, 2);
    d->pci.wmask[PCI_INT_LINE] = 0;         /* a host bridge has no interrupt */
    for (size_t i = 0; i < sizeof(i440fx_regs) / sizeof(i440fx_regs[0]); i++)
        d->pci.wmask[i440fx_regs[i].reg] = i440fx_regs[i].wmask;
    d->pci.w1cmask[0x91] = 0x07;            /* ERRSTS bits clear when written with one */
    d->pci.write_hook = config_written;
    d->pci.opaque = d;
    d->host = host;
    i440fx_reset(d);
    return pci_bus_attach(bus, PCI_DEVFN(0, 0), &d->pci);
}

static const StateField i440fx_fields[] = {
    STATE_U8_ARRAY(I440fx, pci.config, 256),
};
const StateDesc i440fx_state = STATE_DESC("i440fx", 1, i440fx_fields);
