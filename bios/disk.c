/* SPDX-License-Identifier: MIT */
/*
 * INT 13h for hard disks (DL >= 80h) on the two ATA channels, by PIO with
 * the device interrupt masked (nIEN) and the status register polled: the
 * ATA model finishes each step inside the port access, so a bounded poll
 * never spins.  POST identifies the drives (ATA-6 IDENTIFY DEVICE), picks
 * the BIOS geometry (disk_pick_geometry: an existing partition table's, else
 * LBA-assisted translation) and keeps a 32-byte record per drive in the
 * EBDA from offset 100h (FS = EBDA in the INT 13h stub, ES in POST).
 * Functions: 00h-04h, 08h, 0Ch-11h, 14h, 15h and the EDD 3.0 extensions
 * 41h-44h, 47h, 48h.  ATAPI (CD-ROM) drives are cdrom.c's; not modelled
 * here: 4Eh, DPTE.
 */
#include "disk.h"

#include <stdio.h>

enum {
    ATA_DATA = 0, ATA_NSECTOR = 2, ATA_LBA_LOW = 3, ATA_LBA_MID = 4, ATA_LBA_HIGH = 5,
    ATA_SELECT = 6, ATA_STATUS = 7,
    ST_ERR = 0x01, ST_DRQ = 0x08, ST_DF = 0x20, ST_BSY = 0x80,
    DISK_TABLE = 0x100, DISK_RECORD = 32, DISK_MAX = 4,
};

/* The EBDA record of one drive. */
enum {
    REC_BASE = 0, REC_SLAVE = 2, REC_LBA48 = 3, REC_LCYLS = 4, REC_LHEADS = 6, REC_LSPT = 7,
    REC_SECTORS = 8, REC_PCYLS = 16, REC_PHEADS = 18, REC_PSPT = 19,
};

/* Does the CHS address at e (head, sector|cyl-high, cyl-low) name `lba` under
 * heads x spt?  Cylinder 1023 stands for "beyond CHS" and always agrees. */
static bool chs_agrees(const uint8_t *e, uint32_t lba, unsigned heads, unsigned spt)
{
    unsigned head = e[0], sector = e[1] & 0x3Fu, cyl = e[2] | (e[1] & 0xC0u) << 2;
    if (cyl == 1023)
        return true;
    if (sector == 0 || sector > spt || head >= heads)
        return false;
    return ((uint32_t)cyl * heads + head) * spt + sector - 1 == lba;
}

/* A geometry every used partition entry's start and end CHS agree with. */
static bool table_agrees(const uint8_t *mbr, unsigned heads, unsigned spt)
{
    bool any = false;
    for (int i = 0; i < 4; i++) {
        const uint8_t *e = mbr + 446 + 16 * i;
        uint32_t start = e[8] | e[9] << 8 | e[10] << 16 | (uint32_t)e[11] << 24;
        uint32_t count = e[12] | e[13] << 8 | e[14] << 16 | (uint32_t)e[15] << 24;
        if (e[4] == 0 || count == 0)
            continue;
        if (!chs_agrees(e + 1, start, heads, spt) || !chs_agrees(e + 5, start + count - 1, heads, spt))
            return false;
        any = true;
    }
    return any;
}

void disk_pick_geometry(const uint8_t *mbr, uint64_t sectors, DiskGeometry *g)
{
    unsigned heads = 0, spt = 0;
    if (mbr && mbr[510] == 0x55 && mbr[511] == 0xAA) {
        /* Candidates: the largest ending head/sector of the entries (right when
         * a partition ends on a cylinder boundary), then the usual tools' ones. */
        static const uint8_t common[][2] = { { 255, 63 }, { 240, 63 }, { 128, 63 }, { 64, 63 },
                                             { 32, 63 }, { 16, 63 }, { 64, 32 }, { 16, 32 } };
        unsigned max_head = 0, max_sector = 0;
        for (int i = 0; i < 4; i++) {
            const uint8_t *e = mbr + 446 + 16 * i;
            if (e[4] && e[5] + 1u > max_head)
                max_head = e[5] + 1u;
            if (e[4] && (e[6] & 0x3Fu) > max_sector)
                max_sector = e[6] & 0x3Fu;
        }
        if (max_head && max_sector && table_agrees(mbr, max_head, max_sector)) {
            heads = max_head;
            spt = max_sector;
        }
        for (size_t i = 0; !heads && i < sizeof(common) / sizeof(common[0]); i++)
            if (table_agrees(mbr, common[i][0], common[i][1])) {
                heads = common[i][0];
                spt = common[i][1];
            }
    }
    if (heads == 0 || spt == 0) {
        spt = 63;
        heads = 16;
        while (heads < 255 && sectors / (heads * 63ull) > 1024)
            heads = heads == 128 ? 255 : heads * 2;
    }
    uint64_t cyls = sectors / (heads * spt);
    g->heads = (uint16_t)heads;
    g->spt = (uint8_t)spt;
    g->cyls = (uint16_t)(cyls > 1024 ? 1024 : cyls == 0 ? 1 : cyls);
}

bool disk_chs_to_lba(const DiskGeometry *g, unsigned cyl, unsigned head, unsigned sector, uint32_t *lba)
{
    if (sector == 0 || sector > g->spt || head >= g->heads || cyl >= g->cyls)
        return false;
    *lba = ((uint32_t)cyl * g->heads + head) * g->spt + sector - 1;
    return true;
}

/* ---- the ATA register interface */
static uint8_t ata_wait(BiosCtx *c, uint16_t base, uint8_t want)
{
    uint8_t st = 0xFF;
    for (int i = 0; i < 100000; i++) {
        st = port_in8(c, base + ATA_STATUS);
        if (st == 0xFF || st == 0x00)
            return st;                          /* no device */
        if (!(st & ST_BSY) && (st & (want | ST_ERR | ST_DF)))
            return st;
        if (!(st & ST_BSY) && !want)
            return st;
    }
    return st;
}

static void ata_select(BiosCtx *c, uint16_t base, unsigned slave, uint8_t lba_bits)
{
    port_out8(c, base + ATA_SELECT, (uint8_t)(0xA0 | (slave ? 0x10 : 0) | lba_bits));
}

/* Issues a read/write of `count` (1-256) sectors at lba; 28 or 48-bit. */
static void ata_command(BiosCtx *c, uint16_t base, unsigned slave, uint64_t lba, unsigned count,
                        bool write, bool lba48)
{
    if (lba48) {
        ata_select(c, base, slave, 0x40);
        port_out8(c, base + ATA_NSECTOR, (uint8_t)(count >> 8));
        port_out8(c, base + ATA_LBA_LOW, (uint8_t)(lba >> 24));
        port_out8(c, base + ATA_LBA_MID, (uint8_t)(lba >> 32));
        port_out8(c, base + ATA_LBA_HIGH, (uint8_t)(lba >> 40));
    } else {
        ata_select(c, base, slave, (uint8_t)(0x40 | ((lba >> 24) & 0x0F)));
    }
    port_out8(c, base + ATA_NSECTOR, (uint8_t)count);
    port_out8(c, base + ATA_LBA_LOW, (uint8_t)lba);
    port_out8(c, base + ATA_LBA_MID, (uint8_t)(lba >> 8));
    port_out8(c, base + ATA_LBA_HIGH, (uint8_t)(lba >> 16));
    port_out8(c, base + ATA_STATUS, lba48 ? (write ? 0x34 : 0x24) : (write ? 0x30 : 0x20));
}

static bool ata_identify(BiosCtx *c, uint16_t base, unsigned slave, uint16_t id[256])
{
    port_out8(c, (uint16_t)(base + 0x206), 0x02);      /* nIEN: we poll */
    ata_select(c, base, slave, 0);
    uint8_t st = port_in8(c, base + ATA_STATUS);
    if (st == 0xFF || st == 0x00)
        return false;
    port_out8(c, base + ATA_STATUS, 0xEC);
    st = ata_wait(c, base, ST_DRQ);
    if (st == 0xFF || st == 0 || (st & ST_ERR) || !(st & ST_DRQ))
        return false;
    for (int i = 0; i < 256; i++)
        id[i] = port_in16(c, base + ATA_DATA);
    return true;
}

/* Reads sector 0 into a host buffer (POST only). */
static bool ata_read_mbr(BiosCtx *c, uint16_t base, unsigned slave, uint8_t *buf)
{
    ata_command(c, base, slave, 0, 1, false, false);
    uint8_t st = ata_wait(c, base, ST_DRQ);
    if ((st & ST_ERR) || !(st & ST_DRQ))
        return false;
    for (int i = 0; i < 256; i++) {
        uint16_t w = port_in16(c, base + ATA_DATA);
        buf[2 * i] = (uint8_t)w;
        buf[2 * i + 1] = (uint8_t)(w >> 8);
    }
    return true;
}

/* ---- the EBDA drive table */
static uint32_t rec_rd(BiosCtx *c, unsigned seg, unsigned drive, unsigned off, unsigned size)
{
    return mem_rd(c, seg, DISK_TABLE + drive * DISK_RECORD + off, size);
}

static void rec_wr(BiosCtx *c, unsigned seg, unsigned drive, unsigned off, uint32_t v, unsigned size)
{
    mem_wr(c, seg, DISK_TABLE + drive * DISK_RECORD + off, v, size);
}

static void load_disk(BiosCtx *c, unsigned drive, Disk *d)
{
    d->base = (uint16_t)rec_rd(c, BIOS_FS, drive, REC_BASE, 2);
    d->slave = (uint8_t)rec_rd(c, BIOS_FS, drive, REC_SLAVE, 1);
    d->lba48 = rec_rd(c, BIOS_FS, drive, REC_LBA48, 1) != 0;
    d->geo.cyls = (uint16_t)rec_rd(c, BIOS_FS, drive, REC_LCYLS, 2);
    d->geo.heads = (uint16_t)rec_rd(c, BIOS_FS, drive, REC_LHEADS, 1);
    if (d->geo.heads == 0)
        d->geo.heads = 256;
    d->geo.spt = (uint8_t)rec_rd(c, BIOS_FS, drive, REC_LSPT, 1);
    d->sectors = rec_rd(c, BIOS_FS, drive, REC_SECTORS, 4)
                 | (uint64_t)rec_rd(c, BIOS_FS, drive, REC_SECTORS + 4, 4) << 32;
}

/* The IBM fixed disk parameter table (INT 41h/46h) for drives 80h/81h. */
static void write_fdpt(BiosCtx *c, unsigned drive, const uint16_t id[256])
{
    unsigned off = drive == 0 ? ROM_EBDA_FDPT0 : ROM_EBDA_FDPT1;
    uint8_t t[16] = { 0 };
    t[0] = (uint8_t)id[1];
    t[1] = (uint8_t)(id[1] >> 8);
    t[2] = (uint8_t)id[3];
    t[5] = 0xFF;
    t[6] = 0xFF;
    t[8] = id[3] > 8 ? 0x08 : 0x00;
    t[12] = t[0];
    t[13] = t[1];
    t[14] = (uint8_t)id[6];
    for (int i = 0; i < 16; i++)
        mem_wr(c, BIOS_ES, off + i, t[i], 1);
    ivt_wr(c, drive == 0 ? 0x41 : 0x46, ROM_EBDA_SEG, (uint16_t)off);
}

static void register_drive(BiosCtx *c, unsigned n, uint16_t base, unsigned slave, const uint16_t id[256])
{
    uint8_t mbr[512];
    bool lba48 = (id[83] & 0x0400) != 0;
    uint64_t sectors = id[60] | (uint32_t)id[61] << 16;
    if (lba48)
        sectors = id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32 | (uint64_t)id[103] << 48;
    if (sectors == 0)
        sectors = (uint64_t)id[1] * id[3] * id[6];
    DiskGeometry g;
    disk_pick_geometry(ata_read_mbr(c, base, slave, mbr) ? mbr : NULL, sectors, &g);
    rec_wr(c, BIOS_ES, n, REC_BASE, base, 2);
    rec_wr(c, BIOS_ES, n, REC_SLAVE, slave, 1);
    rec_wr(c, BIOS_ES, n, REC_LBA48, lba48, 1);
    rec_wr(c, BIOS_ES, n, REC_LCYLS, g.cyls, 2);
    rec_wr(c, BIOS_ES, n, REC_LHEADS, (uint8_t)g.heads, 1);
    rec_wr(c, BIOS_ES, n, REC_LSPT, g.spt, 1);
    rec_wr(c, BIOS_ES, n, REC_SECTORS, (uint32_t)sectors, 4);
    rec_wr(c, BIOS_ES, n, REC_SECTORS + 4, (uint32_t)(sectors >> 32), 4);
    rec_wr(c, BIOS_ES, n, REC_PCYLS, id[1], 2);
    rec_wr(c, BIOS_ES, n, REC_PHEADS, id[3], 1);
    rec_wr(c, BIOS_ES, n, REC_PSPT, id[6], 1);
    if (n < 2)
        write_fdpt(c, n, id);
    char line[80];
    snprintf(line, sizeof(line), "Hard disk %02X: %lu MiB, CHS %u/%u/%u\r\n", 0x80 + n,
             (unsigned long)(sectors / 2048), g.cyls, g.heads, g.spt);
    video_print(c, line);
}

void disk_post(BiosCtx *c)
{
    static const uint16_t bases[2] = { 0x1F0, 0x170 };
    uint16_t id[256];
    unsigned n = 0;
    for (int ch = 0; ch < 2; ch++)
        for (unsigned slave = 0; slave < 2 && n < DISK_MAX; slave++)
            if (ata_identify(c, bases[ch], slave, id) && !(id[0] & 0x8000))
                register_drive(c, n++, bases[ch], slave, id);
    bda_wr8(c, BDA_HD_COUNT, (uint8_t)n);
    bda_wr8(c, BDA_HD_STATUS, 0);
}

/* ---- transfers */
typedef enum { XFER_READ, XFER_WRITE, XFER_VERIFY } XferKind;

/* Moves `count` sectors between the drive and seg:off; returns the BIOS
 * status (0 = success) and the sectors done in *done. */
static uint8_t transfer(BiosCtx *c, const Disk *d, uint64_t lba, unsigned count, unsigned seg,
                        uint32_t off, XferKind kind, unsigned *done)
{
    *done = 0;
    if (lba + count > d->sectors)
        return 0x04;                            /* sector not found */
    while (*done < count) {
        unsigned n = count - *done > 128 ? 128 : count - *done;
        uint64_t at = lba + *done;
        ata_command(c, d->base, d->slave, at, n, kind == XFER_WRITE, d->lba48 && at + n > 0x0FFFFFFF);
        for (unsigned s = 0; s < n; s++) {
            uint8_t st = ata_wait(c, d->base, ST_DRQ);
            if (st & (ST_ERR | ST_DF))
                return 0x10;                    /* uncorrectable data error */
            if (!(st & ST_DRQ))
                return 0x80;                    /* timeout */
            for (unsigned i = 0; i < 256; i++, off += 2) {
                if (kind == XFER_WRITE)
                    port_out16(c, d->base + ATA_DATA, (uint16_t)mem_rd(c, seg, off & 0xFFFF, 2));
                else if (kind == XFER_READ)
                    mem_wr(c, seg, off & 0xFFFF, port_in16(c, d->base + ATA_DATA), 2);
                else
                    port_in16(c, d->base + ATA_DATA);
            }
            (*done)++;
        }
        if (kind == XFER_WRITE && (ata_wait(c, d->base, 0) & (ST_ERR | ST_DF)))
            return 0xCC;                        /* write fault */
    }
    return 0;
}

static void finish(BiosCtx *c, uint8_t status)
{
    set_hi8(&c->r->eax, status);
    bda_wr8(c, BDA_HD_STATUS, status);
    caller_cf(c, status != 0);
}

/* A buffer that would wrap its segment is reached through a normalised ES
 * (segment + offset / 16): the first call loads ES, keeps offset % 16 in the
 * phase word (bit 15 set) and asks to be called again; the stub's frame
 * restores the caller's ES.  False while that reload is pending. */
static bool buffer_reachable(BiosCtx *c, uint16_t seg, uint16_t *off, unsigned count)
{
    uint16_t phase = svc_phase(c);
    if (phase & 0x8000) {
        /* seg is the caller's ES from the frame: the reload must have happened. */
        if (c->r->es != (uint16_t)(seg + (*off >> 4))) {
            finish(c, 0x09);                    /* "crosses a 64K boundary" */
            return false;
        }
        *off = phase & 0x0F;
        return true;
    }
    if ((uint32_t)*off + count * 512u <= 0x10000)
        return true;
    svc_set_phase(c, (uint16_t)(0x8000 | (*off & 0x0F)));
    c->r->es = (uint16_t)(seg + (*off >> 4));
    svc_wait(c, WAIT_NONE);
    return false;
}

static void chs_transfer(BiosCtx *c, const Disk *d, XferKind kind)
{
    BiosRegs *r = c->r;
    unsigned count = reg_al(r);
    unsigned cyl = reg_ch(r) | (reg_cl(r) & 0xC0u) << 2, sector = reg_cl(r) & 0x3Fu, head = reg_dh(r);
    uint32_t lba;
    if (count == 0 || count > 128 || !disk_chs_to_lba(&d->geo, cyl, head, sector, &lba)) {
        set_lo8(&r->eax, 0);
        finish(c, 0x01);
        return;
    }
    uint16_t off = reg_bx(r);
    if (kind != XFER_VERIFY && !buffer_reachable(c, frame_rd(c, ROM_FRAME_ES), &off, count))
        return;
    unsigned done;
    uint8_t status = transfer(c, d, lba, count, BIOS_ES, off, kind, &done);
    set_lo8(&r->eax, (uint8_t)done);
    finish(c, status);
}

/* 42h/43h/44h/47h: the disk address packet at DS:SI.  The buffer needs a
 * segment register: the first call loads ES with the normalised buffer
 * segment, as buffer_reachable does. */
static void ext_transfer(BiosCtx *c, const Disk *d, XferKind kind)
{
    BiosRegs *r = c->r;
    uint16_t si = (uint16_t)r->esi;
    uint16_t count = (uint16_t)mem_rd(c, BIOS_DS, si + 2u, 2);
    uint16_t off = (uint16_t)mem_rd(c, BIOS_DS, si + 4u, 2), seg = (uint16_t)mem_rd(c, BIOS_DS, si + 6u, 2);
    uint64_t lba = mem_rd(c, BIOS_DS, si + 8u, 4) | (uint64_t)mem_rd(c, BIOS_DS, si + 12u, 4) << 32;
    if (count > 0x7F) {
        finish(c, 0x01);
        return;
    }
    if (kind != XFER_VERIFY && svc_phase(c) == 0) {
        svc_set_phase(c, (uint16_t)(0x8000 | (off & 0x0F)));
        r->es = (uint16_t)(seg + (off >> 4));
        svc_wait(c, WAIT_NONE);
        return;
    }
    if (kind != XFER_VERIFY && r->es != (uint16_t)(seg + (off >> 4))) {
        finish(c, 0x09);                        /* the bridge could not load ES */
        return;
    }
    unsigned done = 0;
    uint8_t status = transfer(c, d, lba, count, BIOS_ES, svc_phase(c) & 0x0F, kind, &done);
    mem_wr(c, BIOS_DS, si + 2u, done, 2);
    finish(c, status);
}

static void drive_params(BiosCtx *c, const Disk *d)
{
    BiosRegs *r = c->r;
    uint16_t size = (uint16_t)mem_rd(c, BIOS_DS, r->esi & 0xFFFF, 2);
    if (size < 0x1A) {
        finish(c, 0x01);
        return;
    }
    uint32_t si = r->esi & 0xFFFF;
    mem_wr(c, BIOS_DS, si, size >= 0x1E ? 0x1E : 0x1A, 2);
    mem_wr(c, BIOS_DS, si + 2, 0x0002, 2);      /* CHS information valid */
    mem_wr(c, BIOS_DS, si + 4, d->geo.cyls, 4);
    mem_wr(c, BIOS_DS, si + 8, d->geo.heads, 4);
    mem_wr(c, BIOS_DS, si + 12, d->geo.spt, 4);
    mem_wr(c, BIOS_DS, si + 16, (uint32_t)d->sectors, 4);
    mem_wr(c, BIOS_DS, si + 20, (uint32_t)(d->sectors >> 32), 4);
    mem_wr(c, BIOS_DS, si + 24, 512, 2);
    if (size >= 0x1E)
        mem_wr(c, BIOS_DS, si + 26, 0xFFFFFFFFu, 4);
    finish(c, 0);
}

void disk_service(BiosCtx *c)
{
    BiosRegs *r = c->r;
    unsigned drive = reg_dl(r) - 0x80u;
    uint8_t ah = reg_ah(r);
    Disk d;
    if (ah == 0x08 && drive >= bda_rd8(c, BDA_HD_COUNT)) {
        set_lo16(&r->edx, bda_rd8(c, BDA_HD_COUNT));
        finish(c, 0x07);
        return;
    }
    if (drive >= bda_rd8(c, BDA_HD_COUNT) || drive >= DISK_MAX) {
        if (ah == 0x15) {
            set_hi8(&r->eax, 0);
            caller_cf(c, false);
        } else {
            finish(c, 0x01);
        }
        return;
    }
    load_disk(c, drive, &d);
    switch (ah) {
    case 0x00: case 0x0C: case 0x0D: case 0x10: case 0x11: case 0x14: case 0x45: case 0x46: case 0x49:
        finish(c, 0);
        break;
    case 0x01: {
        uint8_t last = bda_rd8(c, BDA_HD_STATUS);
        set_hi8(&r->eax, last);
        caller_cf(c, last != 0);
        break;
    }
    case 0x02: chs_transfer(c, &d, XFER_READ); break;
    case 0x03: chs_transfer(c, &d, XFER_WRITE); break;
    case 0x04: chs_transfer(c, &d, XFER_VERIFY); break;
    case 0x08: {
        unsigned maxc = d.geo.cyls - 1u;
        set_lo16(&r->ecx, (uint16_t)((maxc & 0xFF) << 8 | (maxc >> 2 & 0xC0) | d.geo.spt));
        set_lo16(&r->edx, (uint16_t)((d.geo.heads - 1u) << 8 | bda_rd8(c, BDA_HD_COUNT)));
        set_lo8(&r->eax, 0);
        finish(c, 0);
        break;
    }
    case 0x15: {
        uint32_t n = (uint32_t)d.geo.cyls * d.geo.heads * d.geo.spt;
        set_lo16(&r->ecx, (uint16_t)(n >> 16));
        set_lo16(&r->edx, (uint16_t)n);
        set_hi8(&r->eax, 0x03);
        caller_cf(c, false);
        break;
    }
    case 0x41:
        if (reg_bx(r) != 0x55AA) {
            finish(c, 0x01);
            break;
        }
        set_lo16(&r->ebx, 0xAA55);
        set_lo16(&r->ecx, 0x0005);              /* extended access, EDD */
        set_hi8(&r->eax, 0x30);
        caller_cf(c, false);
        break;
    case 0x42: ext_transfer(c, &d, XFER_READ); break;
    case 0x43: ext_transfer(c, &d, XFER_WRITE); break;
    case 0x44: ext_transfer(c, &d, XFER_VERIFY); break;
    case 0x47: finish(c, 0); break;
    case 0x48: drive_params(c, &d); break;
    default:
        bios_log_once(c, BIOS_LOG_DISK, "bios: unimplemented INT 13h hard disk function");
        finish(c, 0x01);
        break;
    }
}
