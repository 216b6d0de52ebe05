/* SPDX-License-Identifier: MIT */
/*
 * INT 1Ah AH=B1h, the real-mode PCI BIOS (PCI BIOS Specification 2.1,
 * chapter 2): installation check, find device, find class code, and the
 * configuration reads and writes, all through configuration mechanism #1
 * (CF8h/CFCh) on bus 0, the only bus the board has.  The BIOS32 service
 * directory and the $PIR routing table the specification's companions ask
 * for are data in rom.asm.  Not implemented (AH=81h): generate special
 * cycle, get IRQ routing options and set PCI IRQ (B10Eh, B10Fh).  Also the
 * PCI set-up POST does (pci_post).
 */
#include "bios_internal.h"

enum {
    PCIBIOS_SUCCESSFUL = 0x00, PCIBIOS_FUNC_NOT_SUPPORTED = 0x81, PCIBIOS_BAD_VENDOR_ID = 0x83,
    PCIBIOS_DEVICE_NOT_FOUND = 0x86, PCIBIOS_BAD_REGISTER_NUMBER = 0x87,
};

#define PCI_SIGNATURE 0x20494350u       /* "PCI " in EDX */
#define CONFIG_ADDRESS 0xCF8
#define CONFIG_DATA 0xCFC

static void select_reg(BiosCtx *c, uint8_t bus, uint8_t devfn, uint8_t reg)
{
    uint32_t addr = 0x80000000u | (uint32_t)bus << 16 | (uint32_t)devfn << 8 | (reg & 0xFCu);
    c->bus->out(c->bus->ctx, CONFIG_ADDRESS, addr, 4);
}

static uint32_t cfg_read(BiosCtx *c, uint8_t bus, uint8_t devfn, uint8_t reg, unsigned size)
{
    select_reg(c, bus, devfn, reg);
    return c->bus->in(c->bus->ctx, (uint16_t)(CONFIG_DATA + (reg & 3)), size);
}

static void cfg_write(BiosCtx *c, uint8_t bus, uint8_t devfn, uint8_t reg, uint32_t v, unsigned size)
{
    select_reg(c, bus, devfn, reg);
    c->bus->out(c->bus->ctx, (uint16_t)(CONFIG_DATA + (reg & 3)), v, size);
}

/* The PIIX3 IDE function (00:01.1) decodes a channel only with IDETIM bit
 * 15 set (82371SB data sheet, 2.4.4); drivers that honour it (Linux's
 * ata_piix) skip a channel the BIOS left off, so POST turns both on, as PC
 * BIOSes do. */
void pci_post(BiosCtx *c)
{
    enum { IDE_DEVFN = 0x09, IDETIM_PRIMARY = 0x40, IDETIM_SECONDARY = 0x42, IDETIM_IDE = 0x8000 };
    if (cfg_read(c, 0, IDE_DEVFN, 0x00, 4) != 0x70108086u)
        return;
    for (uint8_t reg = IDETIM_PRIMARY; reg <= IDETIM_SECONDARY; reg += 2)
        cfg_write(c, 0, IDE_DEVFN, reg, cfg_read(c, 0, IDE_DEVFN, reg, 2) | IDETIM_IDE, 2);
}

/*
 * Walks bus 0 in device/function order and returns the index-th function
 * whose dword at `reg` matches value under mask, or -1.  Functions 1-7 of a
 * device count only when function 0 says it is multi-function.
 */
static int find_function(BiosCtx *c, uint8_t reg, uint32_t mask, uint32_t value, uint16_t index)
{
    unsigned seen = 0;
    for (unsigned devfn = 0; devfn < 256; devfn++) {
        uint32_t id = cfg_read(c, 0, (uint8_t)devfn, 0, 4);
        if ((id & 0xFFFF) == 0xFFFF) {
            if ((devfn & 7) == 0)
                devfn += 7;             /* no function 0: no device */
            continue;
        }
        bool single = (devfn & 7) == 0 && !(cfg_read(c, 0, (uint8_t)devfn, 0x0E, 1) & 0x80);
        if ((cfg_read(c, 0, (uint8_t)devfn, reg, 4) & mask) == value && seen++ == index)
            return (int)devfn;
        if (single)
            devfn += 7;
    }
    return -1;
}

static void set_result(BiosCtx *c, uint8_t status)
{
    set_hi8(&c->r->eax, status);
    caller_cf(c, status != PCIBIOS_SUCCESSFUL);
}

static void installation_check(BiosCtx *c)
{
    BiosRegs *r = c->r;
    r->edx = PCI_SIGNATURE;
    set_lo16(&r->eax, 0x0001);          /* AH=00 present, AL bit 0: mechanism #1 */
    set_lo16(&r->ebx, 0x0210);          /* version 2.10 */
    set_lo8(&r->ecx, 0);                /* last bus */
    caller_cf(c, false);
}

/* B108h-B10Dh: BH bus, BL devfn, DI register; the value in CL/CX/ECX. */
static void config_access(BiosCtx *c, uint8_t al)
{
    BiosRegs *r = c->r;
    static const unsigned sizes[6] = { 1, 2, 4, 1, 2, 4 };
    unsigned size = sizes[al - 0x08];
    bool write = al >= 0x0B;
    uint16_t reg = (uint16_t)r->edi;
    if (reg > 0xFF || (reg & (size - 1))) {
        set_result(c, PCIBIOS_BAD_REGISTER_NUMBER);
        return;
    }
    if (write) {
        cfg_write(c, reg_bh(r), reg_bl(r), (uint8_t)reg, r->ecx, size);
    } else {
        uint32_t v = cfg_read(c, reg_bh(r), reg_bl(r), (uint8_t)reg, size);
        if (size == 1)
            set_lo8(&r->ecx, (uint8_t)v);
        else if (size == 2)
            set_lo16(&r->ecx, (uint16_t)v);
        else
            r->ecx = v;
    }
    set_result(c, PCIBIOS_SUCCESSFUL);
}

static void found(BiosCtx *c, int devfn)
{
    if (devfn < 0) {
        set_result(c, PCIBIOS_DEVICE_NOT_FOUND);
        return;
    }
    set_lo16(&c->r->ebx, (uint16_t)devfn);      /* BH bus 0, BL devfn */
    set_result(c, PCIBIOS_SUCCESSFUL);
}

void pci_bios_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint8_t al = reg_al(r);
    uint16_t index = (uint16_t)r->esi;
    switch (al) {
    case 0x01:
        installation_check(c);
        break;
    case 0x02:                          /* CX device, DX vendor, SI index */
        if (reg_dx(r) == 0xFFFF) {
            set_result(c, PCIBIOS_BAD_VENDOR_ID);
            break;
        }
        found(c, find_function(c, 0x00, 0xFFFFFFFFu, (uint32_t)reg_cx(r) << 16 | reg_dx(r), index));
        break;
    case 0x03:                          /* ECX bits 23-0 class code, SI index */
        found(c, find_function(c, 0x08, 0xFFFFFF00u, (r->ecx & 0xFFFFFFu) << 8, index));
        break;
    case 0x08: case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D:
        config_access(c, al);
        break;
    default:
        set_result(c, PCIBIOS_FUNC_NOT_SUPPORTED);
        break;
    }
}
