/* SPDX-License-Identifier: MIT */
/*
 * The smaller services: INT 11h (equipment), 12h (memory size), 14h
 * (serial, 16550 registers), 15h (system: A20, waits, memory sizes incl.
 * E820/E801/88h, configuration table), 17h (printer), 1Ah (tick count and
 * the RTC through the CMOS ports) and the boot device order for INT 19h.
 * INT 15h AH=87h copies through BiosBus.phys_copy (real-mode callers only;
 * a V86 monitor answers 87h itself).  Not modelled: AH=89h (switch to
 * protected mode: AH=86h, "unsupported", CF=1), APM.  The PS/2 mouse
 * (C2h) is in mouse.c, the PCI BIOS (1Ah AH=B1h) in pcibios.c.
 */
#include "services.h"

#include "cdrom.h"

void misc_int11(BiosCtx *c)
{
    set_lo16(&c->r->eax, bda_rd16(c, BDA_EQUIPMENT));
}

void misc_int12(BiosCtx *c)
{
    set_lo16(&c->r->eax, bda_rd16(c, BDA_MEMORY_KB));
}

/* ---- INT 14h: DX = port 0-3, base from 40:00. */
static bool uart_wait(BiosCtx *c, uint16_t base, uint8_t lsr_bit, uint8_t *lsr)
{
    for (int i = 0; i < 20000; i++) {
        *lsr = port_in8(c, base + 5);
        if (*lsr & lsr_bit)
            return true;
    }
    return false;
}

void misc_int14(BiosCtx *c)
{
    static const uint16_t divisor[8] = { 1047, 768, 384, 192, 96, 48, 24, 12 };
    BiosRegs *r = c->r;
    unsigned port = reg_dx(r);
    uint16_t base = port < 4 ? bda_rd16(c, BDA_COM_BASE + 2 * port) : 0;
    uint8_t lsr = 0;
    if (base == 0) {
        set_hi8(&r->eax, 0x80);
        return;
    }
    switch (reg_ah(r)) {
    case 0x00: {
        uint8_t al = reg_al(r);
        port_out8(c, base + 3, 0x80);
        port_out8(c, base, (uint8_t)divisor[al >> 5]);
        port_out8(c, base + 1, (uint8_t)(divisor[al >> 5] >> 8));
        port_out8(c, base + 3, al & 0x1F);
        port_out8(c, base + 1, 0x00);
        set_lo16(&r->eax, (uint16_t)(port_in8(c, base + 5) << 8 | port_in8(c, base + 6)));
        break;
    }
    case 0x01:
        if (uart_wait(c, base, 0x20, &lsr)) {
            port_out8(c, base, reg_al(r));
            set_hi8(&r->eax, lsr);
        } else {
            set_hi8(&r->eax, (uint8_t)(lsr | 0x80));
        }
        break;
    case 0x02:
        if (uart_wait(c, base, 0x01, &lsr))
            set_lo16(&r->eax, (uint16_t)((lsr & 0x1E) << 8 | port_in8(c, base)));
        else
            set_hi8(&r->eax, (uint8_t)(lsr | 0x80));
        break;
    case 0x03:
        set_lo16(&r->eax, (uint16_t)(port_in8(c, base + 5) << 8 | port_in8(c, base + 6)));
        break;
    default:
        break;
    }
}

/* ---- INT 17h: DX = printer 0-2. */
void misc_int17(BiosCtx *c)
{
    BiosRegs *r = c->r;
    unsigned n = reg_dx(r);
    uint16_t base = n < 3 ? bda_rd16(c, BDA_LPT_BASE + 2 * n) : 0;
    if (base == 0) {
        set_hi8(&r->eax, 0x00);                     /* no printer: no status bits at all */
        return;
    }
    switch (reg_ah(r)) {
    case 0x00:
        port_out8(c, base, reg_al(r));
        port_out8(c, base + 2, 0x0D);               /* strobe */
        port_out8(c, base + 2, 0x0C);
        break;
    case 0x01:
        port_out8(c, base + 2, 0x08);               /* init low */
        port_out8(c, base + 2, 0x0C);
        break;
    default:
        break;
    }
    set_hi8(&r->eax, (uint8_t)((port_in8(c, base + 1) & 0xF8) ^ 0x48));
}

/* ---- INT 15h */
unsigned e820_build(uint32_t ext_kb, uint32_t high_64k, E820Entry *map)
{
    unsigned n = 0;
    map[n++] = (E820Entry){ 0, 0x9FC00, E820_RAM };
    map[n++] = (E820Entry){ 0x9FC00, 0x400, E820_RESERVED };
    map[n++] = (E820Entry){ 0xF0000, 0x10000, E820_RESERVED };
    uint64_t top = 0x100000 + (uint64_t)ext_kb * 1024;
    if (high_64k)
        top = 0x1000000 + (uint64_t)high_64k * 0x10000;
    if (top > 0x100000)
        map[n++] = (E820Entry){ 0x100000, top - 0x100000, E820_RAM };
    return n;
}

static void int15_e820(BiosCtx *c)
{
    BiosRegs *r = c->r;
    E820Entry map[E820_MAX];
    unsigned n = e820_build(cmos_ext_kb(c), cmos_high_64k(c), map);
    if (r->edx != 0x534D4150 || r->ebx >= n || r->ecx < 20) {
        set_hi8(&r->eax, 0x86);
        caller_cf(c, true);
        return;
    }
    const E820Entry *e = &map[r->ebx];
    uint32_t di = r->edi & 0xFFFF;
    mem_wr(c, BIOS_ES, di, (uint32_t)e->base, 4);
    mem_wr(c, BIOS_ES, di + 4, (uint32_t)(e->base >> 32), 4);
    mem_wr(c, BIOS_ES, di + 8, (uint32_t)e->length, 4);
    mem_wr(c, BIOS_ES, di + 12, (uint32_t)(e->length >> 32), 4);
    mem_wr(c, BIOS_ES, di + 16, e->type, 4);
    r->eax = 0x534D4150;
    r->ecx = 20;
    r->ebx = r->ebx + 1 < n ? r->ebx + 1 : 0;
    caller_cf(c, false);
}

/* The 8042's output port (D0h read, D1h write); bit 1 is its A20 gate. */
static int kbc_output_port(BiosCtx *c, int write_value)
{
    for (int i = 0; i < 4096 && (port_in8(c, 0x64) & 0x02); i++)
        ;
    port_out8(c, 0x64, write_value < 0 ? 0xD0 : 0xD1);
    if (write_value >= 0) {
        for (int i = 0; i < 4096 && (port_in8(c, 0x64) & 0x02); i++)
            ;
        port_out8(c, 0x60, (uint8_t)write_value);
        return write_value;
    }
    for (int i = 0; i < 4096; i++)
        if (port_in8(c, 0x64) & 0x01)
            return port_in8(c, 0x60);
    return -1;
}

/* AX=2400h-2403h: A20 is open when either gate is, so both are driven. */
static void a20_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint8_t p92 = port_in8(c, 0x92);
    switch (reg_al(r)) {
    case 0x00:
        port_out8(c, 0x92, p92 & ~0x03);
        kbc_output_port(c, 0xDD);
        break;
    case 0x01:
        port_out8(c, 0x92, (uint8_t)((p92 | 0x02) & ~0x01));
        kbc_output_port(c, 0xDF);
        break;
    case 0x02: {
        int out = kbc_output_port(c, -1);
        set_lo8(&r->eax, (uint8_t)(((p92 >> 1) | (out > 0 ? out >> 1 : 0)) & 1));
        break;
    }
    case 0x03: set_lo16(&r->ebx, 0x0003); break;     /* 8042 and port 92h */
    default:
        set_hi8(&r->eax, 0x86);
        caller_cf(c, true);
        return;
    }
    set_hi8(&r->eax, 0);
    caller_cf(c, false);
}

/* Arms the RTC periodic interrupt countdown (40:98 flag pointer, 40:9C us). */
static void rtc_wait_arm(BiosCtx *c, uint16_t seg, uint16_t off, uint32_t us)
{
    bda_wr32(c, BDA_WAIT_FLAG_PTR, (uint32_t)seg << 16 | off);
    bda_wr32(c, BDA_WAIT_COUNT, us);
    bda_wr8(c, BDA_WAIT_ACTIVE, 0x01);
    cmos_wr(c, 0x0B, (uint8_t)(cmos_rd(c, 0x0B) | 0x40));
}

/* AH=86h: wait CX:DX microseconds; the ROM halts between checks. */
static void int15_wait(BiosCtx *c)
{
    BiosRegs *r = c->r;
    if (svc_phase(c) == 0) {
        if (bda_rd8(c, BDA_WAIT_ACTIVE) & 0x01) {
            set_hi8(&r->eax, 0x83);
            caller_cf(c, true);
            return;
        }
        rtc_wait_arm(c, 0x40, BDA_WAIT_ACTIVE, (uint32_t)reg_cx(r) << 16 | reg_dx(r));
        svc_set_phase(c, 1);
    }
    if (!(bda_rd8(c, BDA_WAIT_ACTIVE) & 0x80)) {
        svc_wait(c, WAIT_INTERRUPT);
        return;
    }
    bda_wr8(c, BDA_WAIT_ACTIVE, 0);
    set_hi8(&r->eax, 0);
    caller_cf(c, false);
}

static void int15_event_wait(BiosCtx *c)
{
    BiosRegs *r = c->r;
    if (reg_al(r) == 0x01) {
        bda_wr8(c, BDA_WAIT_ACTIVE, 0);
        cmos_wr(c, 0x0B, (uint8_t)(cmos_rd(c, 0x0B) & ~0x40));
        caller_cf(c, false);
        return;
    }
    if (bda_rd8(c, BDA_WAIT_ACTIVE) & 0x01) {
        caller_cf(c, true);
        return;
    }
    rtc_wait_arm(c, r->es, (uint16_t)r->ebx, (uint32_t)reg_cx(r) << 16 | reg_dx(r));
    caller_cf(c, false);
}

static void unsupported(BiosCtx *c)
{
    set_hi8(&c->r->eax, 0x86);
    caller_cf(c, true);
}

/*
 * AH=87h: move CX words between the bases of descriptors 2 (source) and 3
 * (destination) of the 6-entry table at ES:SI (IBM AT BIOS reference):
 * limit 0-15, base 0-23, access byte, and base 24-31 in the last byte.
 */
static void int15_block_move(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint32_t words = reg_cx(r), si = (uint16_t)r->esi;
    if (words > 0x8000) {
        set_hi8(&r->eax, 0x03);                     /* invalid: more than 64 KiB */
        caller_cf(c, true);
        return;
    }
    uint64_t base[2];
    for (int i = 0; i < 2; i++) {
        uint32_t d = si + 0x10 + 8u * (uint32_t)i;
        base[i] = mem_rd(c, BIOS_ES, d + 2, 2) | (uint64_t)mem_rd(c, BIOS_ES, d + 4, 1) << 16 |
                  (uint64_t)mem_rd(c, BIOS_ES, d + 7, 1) << 24;
    }
    if (!c->bus->phys_copy || !c->bus->phys_copy(c->bus->ctx, base[1], base[0], words * 2)) {
        unsupported(c);
        return;
    }
    set_hi8(&r->eax, 0x00);
    caller_cf(c, false);
}

void misc_int15(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint32_t ext = cmos_ext_kb(c), high = cmos_high_64k(c);
    switch (reg_ah(r)) {
    case 0x4F:
        break;                                      /* keyboard intercept: CF stays as given */
    case 0x24: a20_service(c); break;
    case 0x83: int15_event_wait(c); break;
    case 0x86: int15_wait(c); break;
    case 0x87: int15_block_move(c); break;
    case 0x88:
        set_lo16(&r->eax, (uint16_t)(high ? 0x3C00 + (high * 64 > 0xFFFF - 0x3C00 ? 0xFFFF - 0x3C00 : high * 64)
                                          : (ext > 0xFFFF ? 0xFFFF : ext)));
        caller_cf(c, false);
        break;
    case 0x90: case 0x91:
        set_hi8(&r->eax, 0);
        caller_cf(c, false);
        break;
    case 0xC0:
        set_lo16(&r->ebx, ROM_CONFIG_TABLE);
        svc_return_es(c, 0xF000);
        set_hi8(&r->eax, 0);
        caller_cf(c, false);
        break;
    case 0xC2: mouse_service(c); break;
    case 0xC1:
        svc_return_es(c, bda_rd16(c, BDA_EBDA_SEG));
        caller_cf(c, false);
        break;
    case 0xE8:
        if (reg_al(r) == 0x20) {
            int15_e820(c);
        } else if (reg_al(r) == 0x01) {
            uint32_t below16 = high ? 0x3C00 : (ext > 0x3C00 ? 0x3C00 : ext);
            set_lo16(&r->eax, (uint16_t)below16);
            set_lo16(&r->ecx, (uint16_t)below16);
            set_lo16(&r->ebx, (uint16_t)high);
            set_lo16(&r->edx, (uint16_t)high);
            caller_cf(c, false);
        } else {
            unsupported(c);
        }
        break;
    default:
        unsupported(c);
        break;
    }
}

/* ---- INT 1Ah */
static uint8_t to_bcd(uint8_t v) { return (uint8_t)((v / 10) << 4 | (v % 10)); }
static uint8_t from_bcd(uint8_t v) { return (uint8_t)((v >> 4) * 10 + (v & 15)); }

static bool rtc_binary(BiosCtx *c)
{
    return cmos_rd(c, 0x0B) & 0x04;
}

static uint8_t rtc_get(BiosCtx *c, uint8_t index)
{
    uint8_t v = cmos_rd(c, index);
    return rtc_binary(c) ? to_bcd(v) : v;
}

static void rtc_set(BiosCtx *c, uint8_t index, uint8_t bcd)
{
    cmos_wr(c, index, rtc_binary(c) ? from_bcd(bcd) : bcd);
}

static void rtc_wait_update(BiosCtx *c)
{
    for (int i = 0; i < 10000 && (cmos_rd(c, 0x0A) & 0x80); i++)
        ;
}

static void rtc_time_date(BiosCtx *c, uint8_t ah)
{
    BiosRegs *r = c->r;
    uint8_t b = cmos_rd(c, 0x0B);
    switch (ah) {
    case 0x02:
        rtc_wait_update(c);
        set_lo16(&r->ecx, (uint16_t)(rtc_get(c, 0x04) << 8 | rtc_get(c, 0x02)));
        set_lo16(&r->edx, (uint16_t)(rtc_get(c, 0x00) << 8 | (b & 0x01)));
        break;
    case 0x03:
        cmos_wr(c, 0x0B, b | 0x80);
        rtc_set(c, 0x04, reg_ch(r));
        rtc_set(c, 0x02, reg_cl(r));
        rtc_set(c, 0x00, reg_dh(r));
        cmos_wr(c, 0x0B, (uint8_t)(((b & ~0x01) | (reg_dl(r) & 1) | 0x02) & 0x7F));
        break;
    case 0x04:
        rtc_wait_update(c);
        set_lo16(&r->ecx, (uint16_t)(rtc_get(c, 0x32) << 8 | rtc_get(c, 0x09)));
        set_lo16(&r->edx, (uint16_t)(rtc_get(c, 0x08) << 8 | rtc_get(c, 0x07)));
        break;
    case 0x05:
        cmos_wr(c, 0x0B, b | 0x80);
        rtc_set(c, 0x32, reg_ch(r));
        rtc_set(c, 0x09, reg_cl(r));
        rtc_set(c, 0x08, reg_dh(r));
        rtc_set(c, 0x07, reg_dl(r));
        cmos_wr(c, 0x0B, b & 0x7F);
        break;
    }
    caller_cf(c, false);
}

void misc_int1a(BiosCtx *c)
{
    BiosRegs *r = c->r;
    uint8_t ah = reg_ah(r);
    switch (ah) {
    case 0x00: {
        uint32_t t = bda_rd32(c, BDA_TICKS);
        set_lo16(&r->ecx, (uint16_t)(t >> 16));
        set_lo16(&r->edx, (uint16_t)t);
        set_lo8(&r->eax, bda_rd8(c, BDA_MIDNIGHT));
        bda_wr8(c, BDA_MIDNIGHT, 0);
        break;
    }
    case 0x01:
        bda_wr32(c, BDA_TICKS, (uint32_t)reg_cx(r) << 16 | reg_dx(r));
        bda_wr8(c, BDA_MIDNIGHT, 0);
        break;
    case 0x02: case 0x03: case 0x04: case 0x05:
        rtc_time_date(c, ah);
        break;
    case 0x06: {
        uint8_t b = cmos_rd(c, 0x0B);
        if (b & 0x20) {
            caller_cf(c, true);
            break;
        }
        rtc_set(c, 0x05, reg_ch(r));
        rtc_set(c, 0x03, reg_cl(r));
        rtc_set(c, 0x01, reg_dh(r));
        cmos_wr(c, 0x0B, b | 0x20);
        caller_cf(c, false);
        break;
    }
    case 0x07:
        cmos_wr(c, 0x0B, (uint8_t)(cmos_rd(c, 0x0B) & ~0x20));
        caller_cf(c, false);
        break;
    case 0xB1:
        pci_bios_service(c);
        break;
    default:
        caller_cf(c, true);
        break;
    }
}

/* ---- INT 19h: the drive for boot attempt AX in DL and "check the 55AAh
 * signature" in BP, or live CF=1 when none is left. */
unsigned boot_order(uint8_t cmos3d, uint8_t cmos38, uint8_t order[3])
{
    uint8_t want[3] = { (uint8_t)(cmos3d & 0x0F), (uint8_t)(cmos3d >> 4), (uint8_t)(cmos38 >> 4) };
    unsigned n = 0;
    if (want[0] == 0) {
        want[0] = BOOT_FLOPPY;
        want[1] = BOOT_DISK;
        want[2] = 0;
    }
    for (int i = 0; i < 3; i++) {
        if (want[i] < BOOT_FLOPPY || want[i] > BOOT_CDROM)
            break;
        bool seen = false;
        for (unsigned j = 0; j < n; j++)
            seen |= order[j] == want[i];
        if (!seen)
            order[n++] = want[i];
    }
    return n;
}

void boot_next(BiosCtx *c)
{
    uint8_t order[3];
    unsigned n = boot_order(cmos_rd(c, 0x3D), cmos_rd(c, 0x38), order);
    unsigned want = reg_ax(c->r), found = 0;
    cdrom_end_emulation(c, BIOS_FS);     /* an earlier attempt's emulated diskette */
    for (unsigned i = 0; i < n; i++) {
        bool present = order[i] == BOOT_FLOPPY ? (bda_rd16(c, BDA_EQUIPMENT) & 1)
                     : order[i] == BOOT_DISK ? bda_rd8(c, BDA_HD_COUNT) > 0 : cdrom_bootable(c);
        if (!present)
            continue;
        if (found++ == want && order[i] == BOOT_CDROM) {
            if (!cdrom_boot(c))
                break;
            c->r->eflags &= ~(uint32_t)FLAG_CF;
            return;
        }
        if (found - 1 == want) {
            set_lo8(&c->r->edx, order[i] == BOOT_FLOPPY ? 0x00 : 0x80);
            /* Bochs convention: CMOS 38h bit 0 = boot floppies without 55AAh. */
            bool check = order[i] != BOOT_FLOPPY || !(cmos_rd(c, 0x38) & 0x01);
            set_lo16(&c->r->ebp, check ? 1 : 0);
            c->r->eflags &= ~(uint32_t)FLAG_CF;
            return;
        }
    }
    c->r->eflags |= FLAG_CF;
}
