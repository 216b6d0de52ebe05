/* SPDX-License-Identifier: MIT */
/*
 * The CD-ROM drive in our BIOS: an ATAPI driver by polled PIO (nIEN set; the
 * drive model finishes each phase inside the port access, so the bounded
 * polls never spin), POST detection by IDENTIFY PACKET DEVICE on the four
 * IDE positions, and the El Torito boot ("El Torito" Bootable CD-ROM Format
 * Specification 1.0): the Boot Record Volume Descriptor at sector 17, the
 * boot catalog's validation entry and initial/default entry.  A
 * no-emulation image is loaded by the ROM through INT 13h AH=42h on drive
 * E0h from a disk address packet at 0000:0500; a 1.2M/1.44M/2.88M diskette
 * image becomes drive 00h (a real diskette moves to 01h) and the ROM boots
 * it as a floppy.  Not modelled: hard disk emulation, section entries after
 * the default one, multiple CD-ROM drives.
 */
#include "cdrom.h"

#include <stdio.h>
#include <string.h>

#include "services.h"

enum {
    CD_RECORD = 0x180,
    REG_DATA = 0, REG_ERROR = 1, REG_REASON = 2, REG_COUNT_LO = 4, REG_COUNT_HI = 5,
    REG_SELECT = 6, REG_STATUS = 7,
    ST_ERR = 0x01, ST_DRQ = 0x08, ST_BSY = 0x80,
    BOOT_PACKET = 0x0500,           /* the no-emulation load packet for the ROM */
};

void cd_load(BiosCtx *c, unsigned seg, CdDrive *d)
{
    d->base = (uint16_t)mem_rd(c, seg, CD_RECORD + 0, 2);
    d->slave = (uint8_t)mem_rd(c, seg, CD_RECORD + 2, 1);
    d->emulation = (uint8_t)mem_rd(c, seg, CD_RECORD + 3, 1);
    d->active = mem_rd(c, seg, CD_RECORD + 4, 1) != 0;
    d->status = (uint8_t)mem_rd(c, seg, CD_RECORD + 5, 1);
    d->load_segment = (uint16_t)mem_rd(c, seg, CD_RECORD + 6, 2);
    d->sectors = (uint16_t)mem_rd(c, seg, CD_RECORD + 8, 2);
    d->image_lba = mem_rd(c, seg, CD_RECORD + 10, 4);
    d->equipment = (uint16_t)mem_rd(c, seg, CD_RECORD + 14, 2);
}

void cd_store(BiosCtx *c, unsigned seg, const CdDrive *d)
{
    mem_wr(c, seg, CD_RECORD + 0, d->base, 2);
    mem_wr(c, seg, CD_RECORD + 2, d->slave, 1);
    mem_wr(c, seg, CD_RECORD + 3, d->emulation, 1);
    mem_wr(c, seg, CD_RECORD + 4, d->active, 1);
    mem_wr(c, seg, CD_RECORD + 5, d->status, 1);
    mem_wr(c, seg, CD_RECORD + 6, d->load_segment, 2);
    mem_wr(c, seg, CD_RECORD + 8, d->sectors, 2);
    mem_wr(c, seg, CD_RECORD + 10, d->image_lba, 4);
    mem_wr(c, seg, CD_RECORD + 14, d->equipment, 2);
}

/* ---- the ATAPI driver */
static uint8_t cd_wait(BiosCtx *c, uint16_t base)
{
    uint8_t st = 0xFF;
    for (int i = 0; i < 100000; i++) {
        st = port_in8(c, base + REG_STATUS);
        if (st == 0xFF || !(st & ST_BSY))
            return st;
    }
    return st;
}

static void cd_select(BiosCtx *c, uint16_t base, unsigned slave)
{
    port_out8(c, (uint16_t)(base + 0x206), 0x02);      /* nIEN: we poll */
    port_out8(c, base + REG_SELECT, (uint8_t)(0xA0 | (slave ? 0x10 : 0)));
    cd_wait(c, base);
}

/* One PACKET command with a 2048-byte byte count limit. */
static unsigned cd_packet(BiosCtx *c, const CdDrive *d, const uint8_t cdb[12], uint8_t *buf, uint32_t len)
{
    uint16_t base = d->base;
    cd_select(c, base, d->slave);
    port_out8(c, base + REG_ERROR, 0x00);              /* features: PIO */
    port_out8(c, base + REG_COUNT_LO, (uint8_t)CD_SECTOR);
    port_out8(c, base + REG_COUNT_HI, CD_SECTOR >> 8);
    port_out8(c, base + REG_STATUS, 0xA0);
    uint8_t st = cd_wait(c, base);
    if (st == 0xFF || (st & ST_ERR) || !(st & ST_DRQ))
        return 0xFF;
    for (int i = 0; i < 12; i += 2)
        port_out16(c, base + REG_DATA, (uint16_t)(cdb[i] | cdb[i + 1] << 8));
    uint32_t got = 0;
    for (int blocks = 0; blocks < 4096; blocks++) {
        st = cd_wait(c, base);
        if (st == 0xFF || (st & ST_BSY))
            return 0xFF;
        if (st & ST_ERR) {
            unsigned key = port_in8(c, base + REG_ERROR) >> 4;
            return key ? key : 0xFF;
        }
        if (!(st & ST_DRQ))
            return 0;
        uint32_t n = port_in8(c, base + REG_COUNT_LO) | (uint32_t)port_in8(c, base + REG_COUNT_HI) << 8;
        if (n == 0)
            return 0xFF;
        for (uint32_t i = 0; i < n; i += 2, got += 2) {
            uint16_t w = port_in16(c, base + REG_DATA);
            if (got < len)
                buf[got] = (uint8_t)w;
            if (got + 1 < len)
                buf[got + 1] = (uint8_t)(w >> 8);
        }
    }
    return 0xFF;
}

unsigned cd_command(BiosCtx *c, const CdDrive *d, const uint8_t cdb[12], uint8_t *buf, uint32_t len)
{
    unsigned key = 0xFF;
    /* A changed disc answers its first command with UNIT ATTENTION; NOT READY
     * may follow while a real drive spins up.  Retry both a few times. */
    for (int attempt = 0; attempt < 4; attempt++) {
        key = cd_packet(c, d, cdb, buf, len);
        if (key != CD_SENSE_UNIT_ATTENTION && key != CD_SENSE_NOT_READY)
            return key;
        if (key == CD_SENSE_NOT_READY && attempt >= 1)
            return key;
    }
    return key;
}

unsigned cd_read_sector(BiosCtx *c, const CdDrive *d, uint32_t lba, uint8_t buf[CD_SECTOR])
{
    uint8_t cdb[12] = { 0x28, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16), (uint8_t)(lba >> 8),
                        (uint8_t)lba, 0, 0, 1 };
    return cd_command(c, d, cdb, buf, CD_SECTOR);
}

/* IDENTIFY PACKET DEVICE: a CD-ROM (ATAPI, peripheral type 05h) answers. */
static bool cd_identify(BiosCtx *c, uint16_t base, unsigned slave, char model[41])
{
    cd_select(c, base, slave);
    uint8_t st = port_in8(c, base + REG_STATUS);
    if (st == 0xFF || st == 0x00)
        return false;
    port_out8(c, base + REG_STATUS, 0xA1);
    st = cd_wait(c, base);
    if (st == 0xFF || (st & ST_ERR) || !(st & ST_DRQ))
        return false;
    uint16_t id[256];
    for (int i = 0; i < 256; i++)
        id[i] = port_in16(c, base + REG_DATA);
    for (int i = 0; i < 20; i++) {
        model[2 * i] = (char)(id[27 + i] >> 8);
        model[2 * i + 1] = (char)id[27 + i];
    }
    model[40] = 0;
    for (int i = 39; i >= 0 && model[i] == ' '; i--)
        model[i] = 0;
    return (id[0] & 0xC000) == 0x8000 && ((id[0] >> 8) & 0x1F) == 0x05;
}

void cdrom_post(BiosCtx *c)
{
    static const uint16_t bases[2] = { 0x1F0, 0x170 };
    CdDrive d = { 0 };
    char model[41];
    for (int ch = 0; ch < 2 && !d.base; ch++)
        for (unsigned slave = 0; slave < 2 && !d.base; slave++)
            if (cd_identify(c, bases[ch], slave, model)) {
                d.base = bases[ch];
                d.slave = (uint8_t)slave;
            }
    cd_store(c, BIOS_ES, &d);
    if (!d.base)
        return;
    char line[80];
    snprintf(line, sizeof(line), "CD-ROM %02X: %s\r\n", CD_DRIVE, model);
    video_print(c, line);
}

/* ---- El Torito */
bool eltorito_catalog_lba(const uint8_t s[CD_SECTOR], uint32_t *lba)
{
    static const char id[] = "EL TORITO SPECIFICATION";
    if (s[0] != 0 || memcmp(s + 1, "CD001", 5) != 0 || s[6] != 1 ||
        memcmp(s + 7, id, sizeof(id) - 1) != 0)
        return false;
    *lba = s[0x47] | s[0x48] << 8 | s[0x49] << 16 | (uint32_t)s[0x4A] << 24;
    return true;
}

bool eltorito_parse_catalog(const uint8_t s[CD_SECTOR], ElToritoBoot *boot)
{
    uint16_t sum = 0;
    for (int i = 0; i < 32; i += 2)
        sum = (uint16_t)(sum + (s[i] | s[i + 1] << 8));
    if (s[0] != 0x01 || s[0x1E] != 0x55 || s[0x1F] != 0xAA || sum != 0)
        return false;
    const uint8_t *e = s + 32;
    if (e[0] != 0x88)
        return false;                   /* not bootable */
    boot->media = e[1] & 0x0F;
    boot->load_segment = (uint16_t)(e[2] | e[3] << 8);
    if (boot->load_segment == 0)
        boot->load_segment = 0x07C0;
    boot->sectors = (uint16_t)(e[6] | e[7] << 8);
    boot->lba = e[8] | e[9] << 8 | e[10] << 16 | (uint32_t)e[11] << 24;
    return boot->media <= ELTORITO_HARD_DISK;
}

void eltorito_floppy_geometry(uint8_t media, unsigned *cyls, unsigned *heads, unsigned *spt)
{
    static const uint8_t spts[4] = { 0, 15, 18, 36 };
    bool floppy = media >= ELTORITO_FLOPPY_1M2 && media <= ELTORITO_FLOPPY_2M88;
    *cyls = floppy ? 80 : 0;
    *heads = floppy ? 2 : 0;
    *spt = floppy ? spts[media] : 0;
}

/* Reads the catalog; false (with a line on screen) when the disc does not boot. */
static bool find_boot_image(BiosCtx *c, const CdDrive *d, ElToritoBoot *boot)
{
    uint8_t s[CD_SECTOR];
    uint32_t catalog;
    if (cd_read_sector(c, d, 17, s) != 0 || !eltorito_catalog_lba(s, &catalog) ||
        cd_read_sector(c, d, catalog, s) != 0 || !eltorito_parse_catalog(s, boot)) {
        bios_log_once(c, BIOS_LOG_DISK, "bios: the CD is not bootable (no El Torito boot catalog)");
        return false;
    }
    if (boot->media == ELTORITO_HARD_DISK) {
        bios_log_once(c, BIOS_LOG_DISK, "bios: El Torito hard disk emulation is not supported");
        return false;
    }
    return true;
}

/* The equipment word with one more diskette (the emulated one). */
static uint16_t equipment_plus_floppy(uint16_t eq)
{
    unsigned floppies = (eq & 1) ? ((eq >> 6) & 3) + 1u : 0;
    floppies = floppies >= 2 ? 2 : floppies + 1;
    return (uint16_t)((eq & ~0x00C1u) | 0x0001 | (floppies - 1) << 6);
}

bool cdrom_bootable(BiosCtx *c)
{
    CdDrive d;
    ElToritoBoot boot;
    cd_load(c, BIOS_FS, &d);
    return d.base && find_boot_image(c, &d, &boot);
}

void cdrom_end_emulation(BiosCtx *c, unsigned seg)
{
    CdDrive d;
    cd_load(c, seg, &d);
    if (!d.active)
        return;
    d.active = false;
    bda_wr16(c, BDA_EQUIPMENT, d.equipment);
    cd_store(c, seg, &d);
}

/* Called by INT 19h for a CD attempt (FS = EBDA, DS = 0): DL and BP for the
 * ROM, or false when this disc cannot boot.  BP bit 1: say "CD-ROM"; bit 2:
 * load through the packet at 0000:0500 and jump to its buffer; bit 0: check
 * the 55AAh signature (the emulated diskette's boot sector). */
bool cdrom_boot(BiosCtx *c)
{
    CdDrive d;
    ElToritoBoot boot;
    cdrom_end_emulation(c, BIOS_FS);
    cd_load(c, BIOS_FS, &d);
    if (!d.base || !find_boot_image(c, &d, &boot))
        return false;
    d.emulation = boot.media;
    d.load_segment = boot.load_segment;
    d.sectors = boot.sectors ? boot.sectors : 1;
    d.image_lba = boot.lba;
    d.status = 0;
    if (boot.media == ELTORITO_NO_EMULATION) {
        /* A disk address packet: 2048-byte sectors covering the 512-byte count. */
        mem_wr(c, BIOS_DS, BOOT_PACKET + 0, 0x0010, 2);
        mem_wr(c, BIOS_DS, BOOT_PACKET + 2, (d.sectors + 3u) / 4, 2);
        mem_wr(c, BIOS_DS, BOOT_PACKET + 4, 0, 2);
        mem_wr(c, BIOS_DS, BOOT_PACKET + 6, d.load_segment, 2);
        mem_wr(c, BIOS_DS, BOOT_PACKET + 8, d.image_lba, 4);
        mem_wr(c, BIOS_DS, BOOT_PACKET + 12, 0, 4);
        cd_store(c, BIOS_FS, &d);
        set_lo8(&c->r->edx, CD_DRIVE);
        set_lo16(&c->r->ebp, 6);
        return true;
    }
    d.active = true;
    d.equipment = bda_rd16(c, BDA_EQUIPMENT);
    bda_wr16(c, BDA_EQUIPMENT, equipment_plus_floppy(d.equipment));
    cd_store(c, BIOS_FS, &d);
    set_lo8(&c->r->edx, 0x00);
    set_lo16(&c->r->ebp, 3);
    return true;
}
