/* SPDX-License-Identifier: MIT */
/*
 * INT 13h for the CD-ROM (drive E0h) and for an El Torito emulated diskette
 * (drive 00h; a real diskette answers as 01h meanwhile).  The CD drive has
 * 00h, 01h, the EDD functions 41h-48h in 2048-byte sectors (43h fails as
 * write protected, 48h reports 2048 bytes per sector) and 4Bh (return the
 * specification packet, AL=00h also ends emulation; El Torito 1.0 table 13).
 * The emulated diskette has 00h-05h (writes fail: the CD is read-only), 08h,
 * 15h-18h and 4Bh.  Buffers are reached through the caller's ES, or for 42h
 * through ES loaded by the stub with the normalised buffer segment (the
 * phase word counts the sectors done, 31 per round so a round never wraps
 * its segment).  Not modelled: 4Ah/4Ch (initiate emulation / and boot),
 * 46h eject, 4Eh.
 */
#include "cdrom.h"

enum { ST_BAD_COMMAND = 0x01, ST_WRITE_PROTECTED = 0x03, ST_NOT_FOUND = 0x04,
       ST_BOUNDARY = 0x09, ST_NOT_READY = 0xAA, ST_ROUND = 31 };

static void finish(BiosCtx *c, CdDrive *d, uint8_t status)
{
    set_hi8(&c->r->eax, status);
    caller_cf(c, status != 0);
    d->status = status;
    cd_store(c, BIOS_FS, d);
}

static uint8_t read_status(unsigned key)
{
    return key == CD_SENSE_NOT_READY ? ST_NOT_READY : ST_NOT_FOUND;
}

/* Copies len bytes of a host buffer to ES:off (wrapping in the segment, as
 * string instructions would). */
static void copy_out(BiosCtx *c, uint32_t off, const uint8_t *src, uint32_t len)
{
    for (uint32_t i = 0; i < len; i += 4)
        mem_wr(c, BIOS_ES, (off + i) & 0xFFFF,
               src[i] | src[i + 1] << 8 | src[i + 2] << 16 | (uint32_t)src[i + 3] << 24, 4);
}

/* 42h: the disk address packet at DS:SI counts 2048-byte sectors. */
static void ext_read(BiosCtx *c, CdDrive *d)
{
    BiosRegs *r = c->r;
    uint16_t si = (uint16_t)r->esi;
    uint16_t count = (uint16_t)mem_rd(c, BIOS_DS, si + 2u, 2);
    uint16_t off = (uint16_t)mem_rd(c, BIOS_DS, si + 4u, 2), seg = (uint16_t)mem_rd(c, BIOS_DS, si + 6u, 2);
    uint32_t lba = mem_rd(c, BIOS_DS, si + 8u, 4);
    uint16_t phase = svc_phase(c);
    unsigned done = (phase >> 4) & 0x7FF;
    if (count > 0x7F || mem_rd(c, BIOS_DS, si + 12u, 4) != 0) {
        finish(c, d, ST_BAD_COMMAND);
        return;
    }
    if (!(phase & 0x8000)) {
        if (count == 0) {
            finish(c, d, 0);
            return;
        }
        svc_set_phase(c, (uint16_t)(0x8000 | (off & 0x0F)));
        r->es = (uint16_t)(seg + (off >> 4));
        svc_wait(c, WAIT_NONE);
        return;
    }
    if (r->es != (uint16_t)(seg + (off >> 4) + done * (CD_SECTOR / 16))) {
        finish(c, d, ST_BOUNDARY);              /* the stub could not load ES */
        return;
    }
    unsigned n = count - done > ST_ROUND ? ST_ROUND : count - done;
    uint8_t buf[CD_SECTOR];
    for (unsigned k = 0; k < n; k++) {
        unsigned key = cd_read_sector(c, d, lba + done + k, buf);
        if (key) {
            mem_wr(c, BIOS_DS, si + 2u, done + k, 2);
            finish(c, d, read_status(key));
            return;
        }
        copy_out(c, (off & 0x0Fu) + k * CD_SECTOR, buf, CD_SECTOR);
    }
    done += n;
    if (done < count) {
        svc_set_phase(c, (uint16_t)(0x8000 | done << 4 | (off & 0x0F)));
        r->es = (uint16_t)(seg + (off >> 4) + done * (CD_SECTOR / 16));
        svc_wait(c, WAIT_NONE);
        return;
    }
    mem_wr(c, BIOS_DS, si + 2u, count, 2);
    finish(c, d, 0);
}

static uint32_t capacity(BiosCtx *c, const CdDrive *d)
{
    static const uint8_t cdb[12] = { 0x25 };
    uint8_t r[8];
    if (cd_command(c, d, cdb, r, sizeof(r)) != 0)
        return 0;
    return ((uint32_t)r[0] << 24 | r[1] << 16 | r[2] << 8 | r[3]) + 1;
}

/* 48h: EDD drive parameters of a removable, lockable drive of 2048-byte sectors. */
static void drive_params(BiosCtx *c, CdDrive *d)
{
    uint32_t si = c->r->esi & 0xFFFF;
    uint16_t size = (uint16_t)mem_rd(c, BIOS_DS, si, 2);
    if (size < 0x1A) {
        finish(c, d, ST_BAD_COMMAND);
        return;
    }
    uint32_t sectors = capacity(c, d);
    mem_wr(c, BIOS_DS, si, size >= 0x1E ? 0x1E : 0x1A, 2);
    mem_wr(c, BIOS_DS, si + 2, 0x0074, 2);      /* removable, change line, lockable, CHS max */
    mem_wr(c, BIOS_DS, si + 4, 0xFFFFFFFFu, 4);
    mem_wr(c, BIOS_DS, si + 8, 0xFFFFFFFFu, 4);
    mem_wr(c, BIOS_DS, si + 12, 0xFFFFFFFFu, 4);
    mem_wr(c, BIOS_DS, si + 16, sectors, 4);
    mem_wr(c, BIOS_DS, si + 20, 0, 4);
    mem_wr(c, BIOS_DS, si + 24, CD_SECTOR, 2);
    if (size >= 0x1E)
        mem_wr(c, BIOS_DS, si + 26, 0xFFFFFFFFu, 4);
    finish(c, d, 0);
}

static void cd_service(BiosCtx *c, CdDrive *d)
{
    BiosRegs *r = c->r;
    switch (reg_ah(r)) {
    case 0x00: case 0x0D: case 0x10: case 0x44: case 0x47:
        finish(c, d, 0);
        break;
    case 0x01:
        set_hi8(&r->eax, d->status);
        caller_cf(c, d->status != 0);
        break;
    case 0x41:
        if (reg_bx(r) != 0x55AA) {
            finish(c, d, ST_BAD_COMMAND);
            break;
        }
        set_lo16(&r->ebx, 0xAA55);
        set_lo16(&r->ecx, 0x0007);              /* extended access, removable, EDD */
        set_hi8(&r->eax, 0x30);
        caller_cf(c, false);
        break;
    case 0x42: ext_read(c, d); break;
    case 0x43: finish(c, d, ST_WRITE_PROTECTED); break;
    case 0x45:
        set_lo8(&r->eax, 0);                    /* lock state: unlocked */
        finish(c, d, 0);
        break;
    case 0x48: drive_params(c, d); break;
    default:
        bios_log_once(c, BIOS_LOG_DISK, "bios: unimplemented INT 13h CD-ROM function");
        finish(c, d, ST_BAD_COMMAND);
        break;
    }
}

/* 02h/04h on the emulated diskette: CHS through its geometry, 512-byte
 * sectors cut out of the image's 2048-byte ones. */
static void emu_read(BiosCtx *c, CdDrive *d, bool verify)
{
    BiosRegs *r = c->r;
    unsigned cyls, heads, spt;
    eltorito_floppy_geometry(d->emulation, &cyls, &heads, &spt);
    unsigned count = reg_al(r), sector = reg_cl(r) & 0x3Fu, head = reg_dh(r);
    unsigned cyl = reg_ch(r) | (reg_cl(r) & 0xC0u) << 2;
    if (count == 0 || sector == 0 || sector > spt || head >= heads || cyl >= cyls) {
        set_lo8(&r->eax, 0);
        finish(c, d, ST_NOT_FOUND);
        return;
    }
    uint32_t first = ((uint32_t)cyl * heads + head) * spt + sector - 1;
    if (first + count > cyls * heads * spt)
        count = cyls * heads * spt - first;
    uint8_t buf[CD_SECTOR];
    uint32_t cached = 0xFFFFFFFFu;
    for (unsigned k = 0; k < count; k++) {
        uint32_t lba = d->image_lba + (first + k) / 4;
        if (lba != cached) {
            unsigned key = cd_read_sector(c, d, lba, buf);
            if (key) {
                set_lo8(&r->eax, (uint8_t)k);
                finish(c, d, read_status(key));
                return;
            }
            cached = lba;
        }
        if (!verify)
            copy_out(c, reg_bx(r) + k * 512u, buf + (first + k) % 4 * 512, 512);
    }
    set_lo8(&r->eax, (uint8_t)count);
    finish(c, d, 0);
}

static void emu_params(BiosCtx *c, CdDrive *d)
{
    BiosRegs *r = c->r;
    static const uint8_t cmos_type[4] = { 0, 2, 4, 5 };
    unsigned cyls, heads, spt;
    eltorito_floppy_geometry(d->emulation, &cyls, &heads, &spt);
    uint16_t eq = bda_rd16(c, BDA_EQUIPMENT);
    set_lo16(&r->eax, 0);
    set_lo16(&r->ebx, cmos_type[d->emulation & 3]);
    set_lo16(&r->ecx, (uint16_t)(((cyls - 1) & 0xFF) << 8 | ((cyls - 1) >> 2 & 0xC0) | spt));
    set_lo16(&r->edx, (uint16_t)((heads - 1) << 8 | (((eq >> 6) & 3) + 1)));
    set_lo16(&r->edi, ROM_FDPT);
    svc_return_es(c, 0xF000);
    finish(c, d, 0);
}

static void emulated_floppy(BiosCtx *c, CdDrive *d)
{
    BiosRegs *r = c->r;
    switch (reg_ah(r)) {
    case 0x00: case 0x16: case 0x17: case 0x18:
        finish(c, d, 0);
        break;
    case 0x01:
        set_hi8(&r->eax, d->status);
        caller_cf(c, d->status != 0);
        break;
    case 0x02: emu_read(c, d, false); break;
    case 0x04: emu_read(c, d, true); break;
    case 0x03: case 0x05: finish(c, d, ST_WRITE_PROTECTED); break;
    case 0x08: emu_params(c, d); break;
    case 0x15:
        set_hi8(&r->eax, 0x01);                 /* diskette without change line */
        caller_cf(c, false);
        break;
    default:
        finish(c, d, ST_BAD_COMMAND);
        break;
    }
}

/* 4Bh: the specification packet at DS:SI; AL=00h also ends emulation. */
static void emulation_status(BiosCtx *c, CdDrive *d)
{
    BiosRegs *r = c->r;
    uint8_t al = reg_al(r);
    if (al > 1) {
        finish(c, d, ST_BAD_COMMAND);
        return;
    }
    unsigned cyls, heads, spt;
    eltorito_floppy_geometry(d->active ? d->emulation : 0, &cyls, &heads, &spt);
    uint8_t p[0x13] = { 0x13, d->active ? d->emulation : 0, d->active ? 0x00 : CD_DRIVE,
                        d->base == 0x1F0 ? 0 : 1 };
    for (int i = 0; i < 4; i++)
        p[4 + i] = (uint8_t)(d->image_lba >> (8 * i));
    p[8] = d->slave;
    p[12] = (uint8_t)d->load_segment;
    p[13] = (uint8_t)(d->load_segment >> 8);
    p[14] = (uint8_t)d->sectors;
    p[15] = (uint8_t)(d->sectors >> 8);
    if (cyls) {
        p[16] = (uint8_t)(cyls - 1);
        p[17] = (uint8_t)(spt | ((cyls - 1) >> 2 & 0xC0));
        p[18] = (uint8_t)(heads - 1);
    }
    uint32_t si = r->esi & 0xFFFF;
    for (int i = 0; i < 0x13; i++)
        mem_wr(c, BIOS_DS, (si + i) & 0xFFFF, p[i], 1);
    if (al == 0) {
        cdrom_end_emulation(c, BIOS_FS);
        cd_load(c, BIOS_FS, d);
    }
    finish(c, d, 0);
}

bool cdrom_int13(BiosCtx *c)
{
    BiosRegs *r = c->r;
    CdDrive d;
    cd_load(c, BIOS_FS, &d);
    if (!d.base)
        return false;
    uint8_t dl = reg_dl(r);
    if (reg_ah(r) == 0x4B && (dl == CD_DRIVE || dl == 0x7F || (d.active && dl == 0x00))) {
        emulation_status(c, &d);
        return true;
    }
    if (dl == CD_DRIVE) {
        cd_service(c, &d);
        return true;
    }
    if (!d.active || dl > 0x01)
        return false;
    if (dl == 0x00) {
        emulated_floppy(c, &d);
        return true;
    }
    /* The real first diskette answers as 01h while 00h is emulated. */
    bool params = reg_ah(r) == 0x08;
    set_lo8(&r->edx, 0x00);
    floppy_service(c);
    if (!params)
        set_lo8(&r->edx, 0x01);
    return true;
}
