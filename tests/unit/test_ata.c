/* SPDX-License-Identifier: MIT */
/*
 * The ATA channel through its ports, on the primary addresses: IDENTIFY
 * contents, PIO reads and writes by LBA28, LBA48 and CHS with their IRQ14
 * sequence, nIEN, multiple mode, the SRST signature, aborts and IDNF, the
 * missing slave, and a state round trip in the middle of a transfer.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ata.h"
#include "suites.h"

enum { CMD = 0x1F0, CTL = 0x3F6, OVERLAY = 32 };

/* A disk whose unwritten sectors hold a pattern, so it can be huge without memory. */
typedef struct PatternDisk {
    BlockDev bd;
    uint64_t lba[OVERLAY];
    uint8_t data[OVERLAY][512];
    int used, writes;
} PatternDisk;

typedef struct Fixture {
    IoSpace ports;
    Ata ata;
    PatternDisk disk;
    int level, rises;
} Fixture;

static uint8_t pattern(uint64_t lba, unsigned i)
{
    return (uint8_t)(lba * 7 + (lba >> 24) + i);
}

static int overlay_find(PatternDisk *d, uint64_t lba)
{
    for (int i = 0; i < d->used; i++)
        if (d->lba[i] == lba)
            return i;
    return -1;
}

static bool disk_read(void *o, uint64_t lba, void *buf, uint32_t count)
{
    PatternDisk *d = o;
    for (uint32_t s = 0; s < count; s++) {
        uint8_t *p = (uint8_t *)buf + s * 512;
        int k = overlay_find(d, lba + s);
        for (unsigned i = 0; i < 512; i++)
            p[i] = k >= 0 ? d->data[k][i] : pattern(lba + s, i);
    }
    return true;
}

static bool disk_write(void *o, uint64_t lba, const void *buf, uint32_t count)
{
    PatternDisk *d = o;
    for (uint32_t s = 0; s < count; s++) {
        int k = overlay_find(d, lba + s);
        if (k < 0) {
            ck_assert_int_lt(d->used, OVERLAY);
            k = d->used++;
            d->lba[k] = lba + s;
        }
        memcpy(d->data[k], (const uint8_t *)buf + s * 512, 512);
    }
    d->writes++;
    return true;
}

static void irq_set(void *ctx, int line, int level)
{
    Fixture *f = ctx;
    ck_assert_int_eq(line, 14);
    if (level && !f->level)
        f->rises++;
    f->level = level;
}

static Fixture *setup(uint64_t sectors)
{
    Fixture *f = calloc(1, sizeof(*f));
    ck_assert_ptr_nonnull(f);
    f->disk.bd = (BlockDev){ .ops = { disk_read, disk_write }, .opaque = &f->disk, .sectors = sectors };
    io_space_init(&f->ports, "port");
    ata_init(&f->ata, (IrqLine){ irq_set, f, 14 }, &f->disk.bd, NULL);
    ck_assert(ata_map(&f->ata, &f->ports, CMD, CTL));
    return f;
}

static void out8(Fixture *f, uint32_t port, uint8_t v)
{
    io_space_write(&f->ports, port, v, 1);
}

static uint8_t in8(Fixture *f, uint32_t port)
{
    return (uint8_t)io_space_read(&f->ports, port, 1);
}

static uint16_t in16(Fixture *f)
{
    return (uint16_t)io_space_read(&f->ports, CMD, 2);
}

static void read_block(Fixture *f, uint8_t *out, int words)
{
    for (int i = 0; i < words; i++) {
        uint16_t w = in16(f);
        out[2 * i] = (uint8_t)w;
        out[2 * i + 1] = (uint8_t)(w >> 8);
    }
}

static void lba28(Fixture *f, uint32_t lba, uint8_t count, uint8_t cmd)
{
    out8(f, CMD + 6, (uint8_t)(0xE0 | (lba >> 24)));
    out8(f, CMD + 2, count);
    out8(f, CMD + 3, (uint8_t)lba);
    out8(f, CMD + 4, (uint8_t)(lba >> 8));
    out8(f, CMD + 5, (uint8_t)(lba >> 16));
    out8(f, CMD + 7, cmd);
}

static void check_sector(const uint8_t *buf, uint64_t lba)
{
    for (unsigned i = 0; i < 512; i++)
        ck_assert_uint_eq(buf[i], pattern(lba, i));
}

static uint16_t word(const uint8_t *id, int w)
{
    return (uint16_t)(id[2 * w] | id[2 * w + 1] << 8);
}

START_TEST(identify_reports_geometry_capacity_and_strings)
{
    Fixture *f = setup(16 * 63 * 100 + 5);
    uint8_t id[512];
    out8(f, CMD + 6, 0xA0);
    out8(f, CMD + 7, 0xEC);
    ck_assert_int_eq(f->level, 1);
    ck_assert_uint_eq(in8(f, CTL), 0x58);       /* alternate status: IRQ stays */
    ck_assert_int_eq(f->level, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);   /* DRDY DSC DRQ; acknowledges */
    ck_assert_int_eq(f->level, 0);
    read_block(f, id, 256);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_uint_eq(word(id, 0), 0x0040);
    ck_assert_uint_eq(word(id, 1), 100);
    ck_assert_uint_eq(word(id, 3), 16);
    ck_assert_uint_eq(word(id, 6), 63);
    /* Retired words 4 and 5 (unformatted bytes per track and per sector):
     * the Bochs BIOS sizes its PIO transfers from word 5, as drives of the
     * ATA-1 era filled it, so a 0 there makes it read nothing. */
    ck_assert_uint_eq(word(id, 4), 512 * 63);
    ck_assert_uint_eq(word(id, 5), 512);
    ck_assert_uint_eq(word(id, 60) | (uint32_t)word(id, 61) << 16, 16 * 63 * 100 + 5);
    ck_assert_uint_eq(word(id, 100) | (uint32_t)word(id, 101) << 16, 16 * 63 * 100 + 5);
    ck_assert_uint_eq(word(id, 102) | word(id, 103), 0);
    ck_assert_mem_eq(id + 54, "aFlultni e", 10);   /* "Faultline " byte-swapped */
    ck_assert_uint_eq(word(id, 49) & 0x0200, 0x0200);
    ck_assert_uint_eq(word(id, 83) & 0x0400, 0x0400);
    ck_assert_uint_eq(word(id, 47), 0x8000 | ATA_MAX_MULTIPLE);
    ck_assert_uint_eq(word(id, 59), 0);
    ck_assert_uint_eq(word(id, 54), 100);
    uint8_t sum = 0;
    for (int i = 0; i < 512; i++)
        sum = (uint8_t)(sum + id[i]);
    ck_assert_uint_eq(id[510], 0xA5);
    ck_assert_uint_eq(sum, 0);
    free(f);
}
END_TEST

START_TEST(identify_of_a_large_disk_caps_chs_and_lba28)
{
    Fixture *f = setup(0x20000000);
    uint8_t id[512];
    out8(f, CMD + 7, 0xEC);
    read_block(f, id, 256);
    ck_assert_uint_eq(word(id, 1), 16383);
    ck_assert_uint_eq(word(id, 60) | (uint32_t)word(id, 61) << 16, 0x0FFFFFFF);
    ck_assert_uint_eq(word(id, 100) | (uint32_t)word(id, 101) << 16, 0x20000000);
    free(f);
}
END_TEST

START_TEST(read_sectors_lba28_interrupts_per_block)
{
    Fixture *f = setup(100000);
    uint8_t buf[512];
    lba28(f, 0x123, 2, 0x20);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
    read_block(f, buf, 256);
    check_sector(buf, 0x123);
    ck_assert_int_eq(f->rises, 2);              /* second DRQ block interrupts again */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
    read_block(f, buf, 256);
    check_sector(buf, 0x124);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_int_eq(f->rises, 2);              /* no completion interrupt after data-in */
    ck_assert_uint_eq(in8(f, CMD + 3), 0x24);   /* registers name the last sector */
    ck_assert_uint_eq(in8(f, CMD + 4), 0x01);
    free(f);
}
END_TEST

START_TEST(write_sectors_lba28_and_32bit_pio)
{
    Fixture *f = setup(100000);
    lba28(f, 500, 1, 0x30);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
    ck_assert_int_eq(f->rises, 0);              /* the first data-out block has no IRQ */
    for (int i = 0; i < 128; i++)
        io_space_write(&f->ports, CMD, 0x11223344u + (uint32_t)i, 4);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_int_eq(f->disk.writes, 1);
    uint8_t buf[512];
    lba28(f, 500, 1, 0x20);
    for (int i = 0; i < 128; i++) {
        uint32_t v = io_space_read(&f->ports, CMD, 4);
        buf[4 * i] = (uint8_t)v;
        ck_assert_uint_eq(v, 0x11223344u + (uint32_t)i);
    }
    ck_assert_uint_eq(buf[0], 0x44);
    free(f);
}
END_TEST

START_TEST(lba48_read_and_hob_readback)
{
    Fixture *f = setup(0x20000000);
    uint8_t buf[512];
    uint64_t lba = 0x10000010;
    out8(f, CMD + 6, 0x40);
    out8(f, CMD + 2, 0x00);                     /* count high, then low: 1 sector */
    out8(f, CMD + 2, 0x01);
    out8(f, CMD + 3, 0x10);                     /* LBA 31:24 = 0x10 */
    out8(f, CMD + 3, 0x10);
    out8(f, CMD + 4, 0x00);
    out8(f, CMD + 4, 0x00);
    out8(f, CMD + 5, 0x00);
    out8(f, CMD + 5, 0x00);
    out8(f, CTL, ATA_DC_HOB);
    ck_assert_uint_eq(in8(f, CMD + 3), 0x10);
    ck_assert_uint_eq(in8(f, CMD + 2), 0x00);
    out8(f, CTL, 0);
    ck_assert_uint_eq(in8(f, CMD + 2), 0x01);
    out8(f, CMD + 7, 0x24);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
    read_block(f, buf, 256);
    check_sector(buf, lba);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    /* LBA28 reaches only sectors below 0x0FFFFFFF. */
    lba28(f, 0x0FFFFFFF, 2, 0x20);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_IDNF);
    free(f);
}
END_TEST

START_TEST(chs_read_uses_default_and_initialized_geometry)
{
    Fixture *f = setup(16 * 63 * 100);
    uint8_t buf[512];
    out8(f, CMD + 6, 0xA3);                     /* CHS, head 3 */
    out8(f, CMD + 2, 1);
    out8(f, CMD + 3, 4);                        /* sector 4 */
    out8(f, CMD + 4, 2);                        /* cylinder 2 */
    out8(f, CMD + 5, 0);
    out8(f, CMD + 7, 0x20);
    read_block(f, buf, 256);
    check_sector(buf, (2 * 16 + 3) * 63 + 3);
    /* INITIALIZE DEVICE PARAMETERS: 4 heads, 17 sectors per track. */
    out8(f, CMD + 6, 0xA3);
    out8(f, CMD + 2, 17);
    out8(f, CMD + 7, 0x91);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    out8(f, CMD + 6, 0xA1);
    out8(f, CMD + 2, 1);
    out8(f, CMD + 3, 1);
    out8(f, CMD + 4, 0);
    out8(f, CMD + 7, 0x20);
    read_block(f, buf, 256);
    check_sector(buf, 17);
    uint8_t id[512];
    out8(f, CMD + 7, 0xEC);
    read_block(f, id, 256);
    ck_assert_uint_eq(word(id, 55), 4);
    ck_assert_uint_eq(word(id, 56), 17);
    ck_assert_uint_eq(word(id, 54), 16 * 63 * 100 / (4 * 17));
    /* Sector 0 and a sector past the track do not exist. */
    out8(f, CMD + 3, 0);
    out8(f, CMD + 7, 0x20);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_IDNF);
    out8(f, CMD + 3, 18);
    out8(f, CMD + 7, 0x20);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_IDNF);
    free(f);
}
END_TEST

START_TEST(nien_masks_the_interrupt_line)
{
    Fixture *f = setup(1000);
    uint8_t buf[512];
    out8(f, CTL, ATA_DC_NIEN);
    lba28(f, 1, 1, 0x20);
    ck_assert_int_eq(f->rises, 0);
    ck_assert_uint_eq(in8(f, CTL), 0x58);
    read_block(f, buf, 256);
    check_sector(buf, 1);
    lba28(f, 2, 1, 0x20);
    out8(f, CTL, 0);                            /* still pending: the line rises now */
    ck_assert_int_eq(f->level, 1);
    (void)in8(f, CMD + 7);
    ck_assert_int_eq(f->level, 0);
    free(f);
}
END_TEST

START_TEST(multiple_mode_blocks_and_its_errors)
{
    Fixture *f = setup(1000);
    uint8_t buf[4 * 512];
    lba28(f, 0, 8, 0xC4);                       /* multiple mode still off */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_ABRT);
    out8(f, CMD + 2, 3);
    out8(f, CMD + 7, 0xC6);                     /* not a power of two */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    out8(f, CMD + 2, 4);
    out8(f, CMD + 7, 0xC6);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    f->rises = 0;
    lba28(f, 10, 8, 0xC4);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);   /* the ISR acknowledges each block */
    read_block(f, buf, 4 * 256);
    for (int s = 0; s < 4; s++)
        check_sector(buf + 512 * s, 10 + (unsigned)s);
    ck_assert_int_eq(f->rises, 2);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
    read_block(f, buf, 4 * 256);
    check_sector(buf + 3 * 512, 17);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    /* WRITE MULTIPLE: one block of 4, then a block of 2; IRQ after each. */
    f->rises = 0;
    lba28(f, 40, 6, 0xC5);
    ck_assert_int_eq(f->rises, 0);
    for (int i = 0; i < 4 * 256; i++)
        io_space_write(&f->ports, CMD, 0xBEEF, 2);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_int_eq(f->disk.writes, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);   /* DRQ for the last block of 2 */
    for (int i = 0; i < 2 * 256; i++)
        io_space_write(&f->ports, CMD, 0xBEEF, 2);
    ck_assert_int_eq(f->rises, 2);
    ck_assert_int_eq(f->disk.used, 6);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    uint8_t id[512];
    out8(f, CMD + 7, 0xEC);
    read_block(f, id, 256);
    ck_assert_uint_eq(word(id, 59), 0x0104);
    free(f);
}
END_TEST

START_TEST(srst_gives_the_signature)
{
    Fixture *f = setup(1000);
    lba28(f, 5, 1, 0x20);
    out8(f, CTL, ATA_DC_SRST);
    ck_assert_uint_eq(in8(f, CTL), 0x80);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x80);
    out8(f, CMD + 2, 0x55);                     /* ignored while busy */
    out8(f, CTL, 0);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x01);
    ck_assert_uint_eq(in8(f, CMD + 2), 0x01);
    ck_assert_uint_eq(in8(f, CMD + 3), 0x01);
    ck_assert_uint_eq(in8(f, CMD + 4), 0x00);
    ck_assert_uint_eq(in8(f, CMD + 5), 0x00);
    ck_assert_uint_eq(in8(f, CMD + 6), 0x00);
    ck_assert_uint_eq(in16(f), 0xFFFF);         /* no data left to read */
    free(f);
}
END_TEST

START_TEST(unknown_command_aborts_and_out_of_range_is_idnf)
{
    Fixture *f = setup(1000);
    out8(f, CMD + 7, 0xFF);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_ABRT);
    lba28(f, 999, 2, 0x20);                     /* sector 999 exists, 1000 does not */
    uint8_t buf[512];
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
    read_block(f, buf, 256);
    check_sector(buf, 999);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_IDNF);
    ck_assert_uint_eq(in8(f, CMD + 3), 1000 & 0xFF);
    ck_assert_uint_eq(in8(f, CMD + 4), 1000 >> 8);
    lba28(f, 1000, 1, 0x20);                    /* starting past the end */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_IDNF);
    lba28(f, 5000, 1, 0x40);                    /* READ VERIFY */
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_IDNF);
    lba28(f, 10, 5, 0x40);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    lba28(f, 0, 1, 0x70);                       /* SEEK */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    out8(f, CMD + 7, 0x10);                     /* RECALIBRATE */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    out8(f, CMD + 7, 0xE7);                     /* FLUSH CACHE */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    free(f);
}
END_TEST

START_TEST(power_features_and_diagnostic)
{
    Fixture *f = setup(1000);
    out8(f, CMD + 7, 0xE0);                     /* STANDBY IMMEDIATE */
    out8(f, CMD + 7, 0xE5);
    ck_assert_uint_eq(in8(f, CMD + 2), 0x00);
    out8(f, CMD + 7, 0xE1);                     /* IDLE IMMEDIATE */
    out8(f, CMD + 7, 0xE5);
    ck_assert_uint_eq(in8(f, CMD + 2), 0xFF);
    out8(f, CMD + 1, 0x03);
    out8(f, CMD + 2, 0x0C);                     /* PIO mode 4 */
    out8(f, CMD + 7, 0xEF);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    out8(f, CMD + 2, 0x45);                     /* UDMA 5: not offered */
    out8(f, CMD + 7, 0xEF);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    f->rises = 0;
    out8(f, CMD + 7, 0x90);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x01);
    free(f);
}
END_TEST

START_TEST(missing_slave_reads_zero_and_read_only_aborts_writes)
{
    Fixture *f = setup(1000);
    out8(f, CMD + 6, 0xB0);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x00);
    ck_assert_uint_eq(in8(f, CTL), 0x00);
    ck_assert_uint_eq(in8(f, CMD + 2), 0x00);
    out8(f, CMD + 7, 0xEC);                     /* nobody answers */
    ck_assert_int_eq(f->rises, 0);
    ck_assert_uint_eq(in16(f), 0);
    out8(f, CMD + 6, 0xA0);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    f->disk.bd.read_only = true;
    lba28(f, 3, 1, 0x30);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), ATA_ER_ABRT);
    ck_assert_int_eq(f->disk.writes, 0);
    /* A channel with no devices at all floats. */
    Ata empty;
    IoSpace ports;
    io_space_init(&ports, "port");
    ata_init(&empty, (IrqLine){ 0 }, NULL, NULL);
    ck_assert(ata_map(&empty, &ports, 0x170, 0x376));
    ck_assert_uint_eq(io_space_read(&ports, 0x177, 1), 0xFF);
    ck_assert(!ata_map(&empty, &ports, 0x170, 0x376));
    free(f);
}
END_TEST

START_TEST(state_round_trip_mid_transfer)
{
    Fixture *f = setup(1000), *g = setup(1000);
    uint8_t a[512], b[512];
    static uint8_t state[16384], again[16384];
    lba28(f, 77, 2, 0x20);
    (void)in8(f, CMD + 7);
    read_block(f, a, 100);
    size_t n = state_save(&ata_state, &f->ata, state, sizeof(state));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&ata_state, &g->ata, state, n));
    ck_assert_uint_eq(state_save(&ata_state, &g->ata, again, sizeof(again)), n);
    ck_assert_mem_eq(state, again, n);
    read_block(f, a + 200, 156);
    read_block(g, b + 200, 156);
    ck_assert_mem_eq(a + 200, b + 200, 312);
    check_sector(a, 77);
    for (int k = 0; k < 2; k++) {
        Fixture *x = k ? g : f;
        ck_assert_uint_eq(in8(x, CMD + 7), 0x58);
        read_block(x, k ? b : a, 256);
        ck_assert_uint_eq(in8(x, CMD + 7), 0x50);
    }
    check_sector(a, 78);
    check_sector(b, 78);
    free(f);
    free(g);
}
END_TEST

Suite *ata_suite(void)
{
    Suite *s = suite_create("ata");
    TCase *tc = tcase_create("ata");
    tcase_add_test(tc, identify_reports_geometry_capacity_and_strings);
    tcase_add_test(tc, identify_of_a_large_disk_caps_chs_and_lba28);
    tcase_add_test(tc, read_sectors_lba28_interrupts_per_block);
    tcase_add_test(tc, write_sectors_lba28_and_32bit_pio);
    tcase_add_test(tc, lba48_read_and_hob_readback);
    tcase_add_test(tc, chs_read_uses_default_and_initialized_geometry);
    tcase_add_test(tc, nien_masks_the_interrupt_line);
    tcase_add_test(tc, multiple_mode_blocks_and_its_errors);
    tcase_add_test(tc, srst_gives_the_signature);
    tcase_add_test(tc, unknown_command_aborts_and_out_of_range_is_idnf);
    tcase_add_test(tc, power_features_and_diagnostic);
    tcase_add_test(tc, missing_slave_reads_zero_and_read_only_aborts_writes);
    tcase_add_test(tc, state_round_trip_mid_transfer);
    suite_add_tcase(s, tc);
    return s;
}
