/* SPDX-License-Identifier: MIT */
/*
 * The 82077AA through its ports with a real 8237 behind it: reset and its
 * four sense-interrupt reports, recalibrate and seek, READ DATA and WRITE
 * DATA by DMA with their result phases, multi-track, end of track, missing
 * media and write protect, the disk change line, FORMAT TRACK, the small
 * commands, and a state round trip in the result phase.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fdc.h"
#include "suites.h"

enum { RAM_SIZE = 0x40000, SECTORS = 2880 };

typedef struct Fixture {
    IoSpace ports;
    I8237 dma;
    Fdc fdc;
    BlockDev bd;
    uint8_t image[SECTORS * 512];
    uint8_t ram[RAM_SIZE];
    int level, rises, writes;
} Fixture;

static bool disk_read(void *o, uint64_t lba, void *buf, uint32_t count)
{
    Fixture *f = o;
    memcpy(buf, f->image + lba * 512, count * 512u);
    return true;
}

static bool disk_write(void *o, uint64_t lba, const void *buf, uint32_t count)
{
    Fixture *f = o;
    memcpy(f->image + lba * 512, buf, count * 512u);
    f->writes++;
    return true;
}

static void ram_read(void *o, uint64_t phys, void *dst, size_t n)
{
    Fixture *f = o;
    ck_assert_uint_le(phys + n, RAM_SIZE);
    memcpy(dst, f->ram + phys, n);
}

static void ram_write(void *o, uint64_t phys, const void *src, size_t n)
{
    Fixture *f = o;
    ck_assert_uint_le(phys + n, RAM_SIZE);
    memcpy(f->ram + phys, src, n);
}

static void irq_set(void *ctx, int line, int level)
{
    Fixture *f = ctx;
    ck_assert_int_eq(line, 6);
    if (level && !f->level)
        f->rises++;
    f->level = level;
}

static void out8(Fixture *f, uint32_t port, uint8_t v)
{
    io_space_write(&f->ports, port, v, 1);
}

static uint8_t in8(Fixture *f, uint32_t port)
{
    return (uint8_t)io_space_read(&f->ports, port, 1);
}

static void command(Fixture *f, const uint8_t *bytes, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert_uint_eq(in8(f, 0x3F4) & 0xC0, 0x80);  /* RQM, host to controller */
        out8(f, 0x3F5, bytes[i]);
    }
}

static void results(Fixture *f, uint8_t *out, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert_uint_eq(in8(f, 0x3F4) & 0xD0, 0xD0);  /* RQM, DIO, busy */
        out[i] = in8(f, 0x3F5);
    }
    ck_assert_uint_eq(in8(f, 0x3F4), 0x80);             /* back to idle */
}

static void sense_interrupt(Fixture *f, uint8_t st0, uint8_t pcn)
{
    uint8_t r[2], cmd = 0x08;
    command(f, &cmd, 1);
    results(f, r, 2);
    ck_assert_uint_eq(r[0], st0);
    ck_assert_uint_eq(r[1], pcn);
}

/* BIOS-style bring-up: DOR reset pulse, then the four reset reports. */
static void reset_controller(Fixture *f)
{
    out8(f, 0x3F2, 0x08);
    ck_assert_uint_eq(in8(f, 0x3F4), 0x00);
    out8(f, 0x3F2, 0x1C);                       /* drive 0 motor, DMA gate, not reset */
    ck_assert_int_eq(f->level, 1);
    for (int d = 0; d < 4; d++)
        sense_interrupt(f, (uint8_t)(0xC0 | d), 0);
    ck_assert_int_eq(f->level, 0);
}

static Fixture *setup(void)
{
    Fixture *f = calloc(1, sizeof(*f));
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < sizeof(f->image); i++)
        f->image[i] = (uint8_t)(i / 512 * 3 + i % 512);
    f->bd = (BlockDev){ .ops = { disk_read, disk_write }, .opaque = f, .sectors = SECTORS };
    io_space_init(&f->ports, "port");
    i8237_init(&f->dma, (I8237MemOps){ ram_read, ram_write, f });
    ck_assert(i8237_map(&f->dma, &f->ports));
    fdc_init(&f->fdc, (IrqLine){ irq_set, f, 6 }, &f->dma);
    fdc_insert(&f->fdc, 0, &f->bd);
    ck_assert(fdc_map(&f->fdc, &f->ports));
    return f;
}

/* Channel 2, as INT 13h programs it: mode 0x46 read (to memory) or 0x4A write. */
static void dma_setup(Fixture *f, uint8_t mode, uint32_t phys, uint16_t len)
{
    out8(f, 0x0A, 0x06);
    out8(f, 0x0C, 0);
    out8(f, 0x0B, mode);
    out8(f, 0x04, (uint8_t)phys);
    out8(f, 0x04, (uint8_t)(phys >> 8));
    out8(f, 0x81, (uint8_t)(phys >> 16));
    out8(f, 0x05, (uint8_t)(len - 1));
    out8(f, 0x05, (uint8_t)((len - 1) >> 8));
    out8(f, 0x0A, 0x02);
}

static void seek(Fixture *f, uint8_t hds, uint8_t cyl)
{
    uint8_t cmd[3] = { 0x0F, hds, cyl };
    command(f, cmd, 3);
    ck_assert_int_eq(f->level, 1);
    sense_interrupt(f, (uint8_t)(0x20 | (hds & 7)), cyl);
}

static void rw(Fixture *f, uint8_t op, uint8_t hds, uint8_t c, uint8_t h, uint8_t r, uint8_t eot,
               uint8_t *res)
{
    uint8_t cmd[9] = { op, hds, c, h, r, 2, eot, 0x1B, 0xFF };
    int before = f->rises;
    command(f, cmd, 9);
    ck_assert_int_eq(f->rises, before + 1);
    results(f, res, 7);
    ck_assert_int_eq(f->level, 0);
}

static uint64_t lba_of(uint8_t c, uint8_t h, uint8_t r)
{
    return ((uint64_t)c * 2 + h) * 18 + r - 1u;
}

START_TEST(reset_gives_four_reports_then_invalid)
{
    Fixture *f = setup();
    ck_assert_uint_eq(in8(f, 0x3F4), 0x00);     /* held in reset since power-on */
    reset_controller(f);
    uint8_t cmd = 0x08, r;
    command(f, &cmd, 1);
    results(f, &r, 1);
    ck_assert_uint_eq(r, 0x80);                 /* nothing pending */
    /* DSR software reset behaves the same and self-clears. */
    out8(f, 0x3F4, 0x80 | 0x02);
    ck_assert_int_eq(f->level, 1);
    for (int d = 0; d < 4; d++)
        sense_interrupt(f, (uint8_t)(0xC0 | d), 0);
    free(f);
}
END_TEST

START_TEST(recalibrate_and_seek_report_through_sense_interrupt)
{
    Fixture *f = setup();
    reset_controller(f);
    uint8_t recal[2] = { 0x07, 0x00 };
    command(f, recal, 2);
    ck_assert_int_eq(f->level, 1);
    ck_assert_uint_eq(in8(f, 0x3F4), 0x80);     /* no result phase of its own */
    sense_interrupt(f, 0x20, 0);
    ck_assert_int_eq(f->level, 0);
    seek(f, 0x04, 10);                          /* head 1, drive 0 */
    uint8_t sds[2] = { 0x04, 0x00 }, st3;
    command(f, sds, 2);
    results(f, &st3, 1);
    ck_assert_uint_eq(st3, 0x28);               /* ready, two-sided, not track 0 */
    seek(f, 0x00, 0);
    command(f, sds, 2);
    results(f, &st3, 1);
    ck_assert_uint_eq(st3, 0x38);
    /* Drive 3 does not exist: equipment check. */
    uint8_t recal3[2] = { 0x07, 0x03 };
    command(f, recal3, 2);
    sense_interrupt(f, 0x73, 0);
    free(f);
}
END_TEST

START_TEST(read_sector_by_dma)
{
    Fixture *f = setup();
    uint8_t res[7];
    reset_controller(f);
    seek(f, 0x00, 1);
    dma_setup(f, 0x46, 0x10000, 512);
    rw(f, 0xE6, 0x00, 1, 0, 3, 18, res);
    ck_assert_mem_eq(f->ram + 0x10000, f->image + lba_of(1, 0, 3) * 512, 512);
    ck_assert_uint_eq(f->ram[0x10200], 0);
    ck_assert_uint_eq(res[0], 0x00);
    ck_assert_uint_eq(res[1], 0x00);
    ck_assert_uint_eq(res[2], 0x00);
    ck_assert_uint_eq(res[3], 1);
    ck_assert_uint_eq(res[4], 0);
    ck_assert_uint_eq(res[5], 4);
    ck_assert_uint_eq(res[6], 2);
    ck_assert_uint_eq(in8(f, 0x08) & 0x04, 0x04);  /* TC on channel 2 */
    free(f);
}
END_TEST

START_TEST(multi_track_read_crosses_to_head_one)
{
    Fixture *f = setup();
    uint8_t res[7];
    reset_controller(f);
    seek(f, 0x00, 5);
    dma_setup(f, 0x46, 0x20000, 3 * 512);
    rw(f, 0xE6, 0x00, 5, 0, 17, 18, res);       /* 17, 18 on head 0, then 1 on head 1 */
    ck_assert_mem_eq(f->ram + 0x20000, f->image + lba_of(5, 0, 17) * 512, 1024);
    ck_assert_mem_eq(f->ram + 0x20400, f->image + lba_of(5, 1, 1) * 512, 512);
    ck_assert_uint_eq(res[0], 0x04);            /* normal end, on head 1 */
    ck_assert_uint_eq(res[3], 5);
    ck_assert_uint_eq(res[4], 1);
    ck_assert_uint_eq(res[5], 2);
    /* Ending exactly on the last sector of head 1: C+1, H=0, R=1. */
    dma_setup(f, 0x46, 0x20000, 512);
    rw(f, 0xE6, 0x04, 5, 1, 18, 18, res);
    ck_assert_uint_eq(res[0], 0x04);
    ck_assert_uint_eq(res[3], 6);
    ck_assert_uint_eq(res[4], 0);
    ck_assert_uint_eq(res[5], 1);
    free(f);
}
END_TEST

START_TEST(end_of_track_and_beyond_the_track)
{
    Fixture *f = setup();
    uint8_t res[7];
    reset_controller(f);
    seek(f, 0x00, 2);
    /* DMA wants 1024 bytes but EOT is 18 without MT: one sector, then EN. */
    dma_setup(f, 0x46, 0x10000, 1024);
    rw(f, 0x66, 0x00, 2, 0, 18, 18, res);
    ck_assert_mem_eq(f->ram + 0x10000, f->image + lba_of(2, 0, 18) * 512, 512);
    ck_assert_uint_eq(res[0], 0x40);
    ck_assert_uint_eq(res[1], 0x80);
    ck_assert_uint_eq(res[3], 3);
    ck_assert_uint_eq(res[5], 1);
    /* Sector 19 does not exist on an 18-sector track: no data. */
    dma_setup(f, 0x46, 0x10000, 512);
    rw(f, 0x66, 0x00, 2, 0, 19, 19, res);
    ck_assert_uint_eq(res[0], 0x40);
    ck_assert_uint_eq(res[1], 0x04);
    ck_assert_uint_eq(res[5], 19);
    /* A cylinder other than the head's: the controller seeks there first (an
     * implied seek, as QEMU's and Bochs's controllers do; the Bochs BIOS
     * issues READ DATA without a SEEK and depends on it). */
    dma_setup(f, 0x46, 0x10000, 512);
    rw(f, 0x66, 0x00, 7, 0, 1, 18, res);
    ck_assert_uint_eq(res[0] & 0xC0, 0x00);
    ck_assert_uint_eq(res[3], 7);
    ck_assert_mem_eq(f->ram + 0x10000, f->image + lba_of(7, 0, 1) * 512, 512);
    /* Channel 2 masked: the FIFO overruns. */
    out8(f, 0x0A, 0x06);
    rw(f, 0x66, 0x00, 2, 0, 1, 18, res);
    ck_assert_uint_eq(res[0], 0x40);
    ck_assert_uint_eq(res[1], 0x10);
    free(f);
}
END_TEST

START_TEST(write_sector_changes_the_image)
{
    Fixture *f = setup();
    uint8_t res[7];
    reset_controller(f);
    seek(f, 0x04, 3);
    memset(f->ram + 0x3000, 0x5A, 1024);
    dma_setup(f, 0x4A, 0x3000, 1024);
    rw(f, 0xC5, 0x04, 3, 1, 7, 18, res);
    ck_assert_uint_eq(res[0], 0x04);
    ck_assert_uint_eq(res[1], 0);
    ck_assert_uint_eq(res[5], 9);
    ck_assert_int_eq(f->writes, 2);
    for (int i = 0; i < 1024; i++)
        ck_assert_uint_eq(f->image[lba_of(3, 1, 7) * 512 + (size_t)i], 0x5A);
    ck_assert_uint_eq(f->image[lba_of(3, 1, 9) * 512], (uint8_t)(lba_of(3, 1, 9) * 3));
    /* A read-only image: write protect, nothing written. */
    f->bd.read_only = true;
    dma_setup(f, 0x4A, 0x3000, 512);
    rw(f, 0xC5, 0x04, 3, 1, 1, 18, res);
    ck_assert_uint_eq(res[0], 0x44);
    ck_assert_uint_eq(res[1], 0x02);
    ck_assert_int_eq(f->writes, 2);
    free(f);
}
END_TEST

START_TEST(missing_media_and_missing_drive)
{
    Fixture *f = setup();
    uint8_t res[7];
    reset_controller(f);
    dma_setup(f, 0x46, 0x10000, 512);
    rw(f, 0xE6, 0x01, 0, 0, 1, 18, res);        /* drive 1: no media */
    ck_assert_uint_eq(res[0], 0x49);            /* abnormal, not ready, drive 1 */
    ck_assert_uint_eq(res[1], 0x01);
    rw(f, 0xE6, 0x03, 0, 0, 1, 18, res);        /* drive 3: not installed */
    ck_assert_uint_eq(res[0], 0x4B);
    fdc_insert(&f->fdc, 0, NULL);
    uint8_t rid[2] = { 0x4A, 0x00 };
    command(f, rid, 2);
    results(f, res, 7);
    ck_assert_uint_eq(res[0], 0x48);
    free(f);
}
END_TEST

START_TEST(disk_change_line_follows_media_and_seeks)
{
    Fixture *f = setup();
    reset_controller(f);
    ck_assert_uint_eq(in8(f, 0x3F7) & 0x80, 0x80);  /* active since power-on */
    seek(f, 0x00, 1);
    ck_assert_uint_eq(in8(f, 0x3F7) & 0x80, 0x00);
    fdc_insert(&f->fdc, 0, &f->bd);
    ck_assert_uint_eq(in8(f, 0x3F7) & 0x80, 0x80);
    uint8_t recal[2] = { 0x07, 0x00 };
    command(f, recal, 2);
    sense_interrupt(f, 0x20, 0);
    ck_assert_uint_eq(in8(f, 0x3F7) & 0x80, 0x00);
    /* An empty drive keeps the line active through seeks. */
    out8(f, 0x3F2, 0x2D);                       /* select drive 1 */
    uint8_t s1[3] = { 0x0F, 0x01, 4 };
    command(f, s1, 3);
    sense_interrupt(f, 0x21, 4);
    ck_assert_uint_eq(in8(f, 0x3F7) & 0x80, 0x80);
    free(f);
}
END_TEST

START_TEST(read_id_and_format_track)
{
    Fixture *f = setup();
    uint8_t res[7];
    reset_controller(f);
    seek(f, 0x04, 4);
    uint8_t rid[2] = { 0x4A, 0x04 };
    command(f, rid, 2);
    results(f, res, 7);
    ck_assert_uint_eq(res[0], 0x04);
    ck_assert_uint_eq(res[3], 4);
    ck_assert_uint_eq(res[4], 1);
    ck_assert_uint_eq(res[6], 2);
    for (int s = 0; s < 18; s++) {
        uint8_t *id = f->ram + 0x8000 + 4 * s;
        id[0] = 4;
        id[1] = 1;
        id[2] = (uint8_t)(s + 1);
        id[3] = 2;
    }
    dma_setup(f, 0x4A, 0x8000, 18 * 4);
    uint8_t fmt[6] = { 0x4D, 0x04, 2, 18, 0x54, 0xF6 };
    command(f, fmt, 6);
    ck_assert_int_eq(f->level, 1);
    results(f, res, 7);
    ck_assert_uint_eq(res[0], 0x04);
    for (int r = 1; r <= 18; r++)
        ck_assert_uint_eq(f->image[lba_of(4, 1, (uint8_t)r) * 512 + 100], 0xF6);
    ck_assert_uint_eq(f->image[lba_of(4, 0, 18) * 512], (uint8_t)(lba_of(4, 0, 18) * 3));
    ck_assert_uint_eq(f->image[lba_of(5, 0, 1) * 512], (uint8_t)(lba_of(5, 0, 1) * 3));
    free(f);
}
END_TEST

START_TEST(small_commands_and_invalid_opcode)
{
    Fixture *f = setup();
    reset_controller(f);
    uint8_t r[10], cmd = 0x10;
    command(f, &cmd, 1);
    results(f, r, 1);
    ck_assert_uint_eq(r[0], 0x90);
    int before = f->rises;
    cmd = 0x1F;                                 /* not a command */
    command(f, &cmd, 1);
    results(f, r, 1);
    ck_assert_uint_eq(r[0], 0x80);
    ck_assert_int_eq(f->rises, before);         /* invalid raises no interrupt */
    uint8_t specify[3] = { 0x03, 0xAF, 0x02 };
    command(f, specify, 3);
    uint8_t configure[4] = { 0x13, 0x00, 0x57, 0x00 };
    command(f, configure, 4);
    uint8_t perp[2] = { 0x12, 0x80 | 0x04 };
    command(f, perp, 2);
    cmd = 0x94;                                 /* LOCK */
    command(f, &cmd, 1);
    results(f, r, 1);
    ck_assert_uint_eq(r[0], 0x10);
    cmd = 0x0E;                                 /* DUMPREG */
    command(f, &cmd, 1);
    results(f, r, 10);
    ck_assert_uint_eq(r[4], 0xAF);
    ck_assert_uint_eq(r[5], 0x02);
    ck_assert_uint_eq(r[7], 0x84);              /* LOCK and drive 0 perpendicular */
    ck_assert_uint_eq(r[8], 0x57);
    /* A locked CONFIGURE survives reset; with POLL set no reset reports come. */
    out8(f, 0x3F2, 0x08);
    out8(f, 0x3F2, 0x0C);
    ck_assert_int_eq(f->level, 0);
    cmd = 0x08;
    command(f, &cmd, 1);
    results(f, r, 1);
    ck_assert_uint_eq(r[0], 0x80);
    /* Reading the FIFO with no result pending answers without harm. */
    ck_assert_uint_eq(in8(f, 0x3F5), 0xFF);
    ck_assert_uint_eq(in8(f, 0x3F4), 0x80);
    free(f);
}
END_TEST

START_TEST(state_round_trip_in_the_result_phase)
{
    Fixture *f = setup(), *g = setup();
    uint8_t res[7], a[4], b[4], state[512], again[512];
    reset_controller(f);
    seek(f, 0x00, 1);
    dma_setup(f, 0x46, 0x10000, 512);
    uint8_t cmd[9] = { 0xE6, 0x00, 1, 0, 3, 2, 18, 0x1B, 0xFF };
    command(f, cmd, 9);
    for (int i = 0; i < 3; i++)
        res[i] = in8(f, 0x3F5);
    ck_assert_uint_eq(res[0], 0x00);
    size_t n = state_save(&fdc_state, &f->fdc, state, sizeof(state));
    ck_assert_uint_gt(n, 0);
    ck_assert(state_load(&fdc_state, &g->fdc, state, n));
    ck_assert_uint_eq(state_save(&fdc_state, &g->fdc, again, sizeof(again)), n);
    ck_assert_mem_eq(state, again, n);
    ck_assert_uint_eq(in8(g, 0x3F4), in8(f, 0x3F4));
    for (int i = 0; i < 4; i++) {
        a[i] = in8(f, 0x3F5);
        b[i] = in8(g, 0x3F5);
    }
    ck_assert_mem_eq(a, b, 4);
    ck_assert_uint_eq(a[2], 4);
    ck_assert_uint_eq(in8(g, 0x3F4), 0x80);
    ck_assert_uint_eq(in8(g, 0x3F7) & 0x80, 0);     /* change line state travelled too */
    free(f);
    free(g);
}
END_TEST

Suite *fdc_suite(void)
{
    Suite *s = suite_create("fdc");
    TCase *tc = tcase_create("fdc");
    tcase_add_test(tc, reset_gives_four_reports_then_invalid);
    tcase_add_test(tc, recalibrate_and_seek_report_through_sense_interrupt);
    tcase_add_test(tc, read_sector_by_dma);
    tcase_add_test(tc, multi_track_read_crosses_to_head_one);
    tcase_add_test(tc, end_of_track_and_beyond_the_track);
    tcase_add_test(tc, write_sector_changes_the_image);
    tcase_add_test(tc, missing_media_and_missing_drive);
    tcase_add_test(tc, disk_change_line_follows_media_and_seeks);
    tcase_add_test(tc, read_id_and_format_track);
    tcase_add_test(tc, small_commands_and_invalid_opcode);
    tcase_add_test(tc, state_round_trip_in_the_result_phase);
    suite_add_tcase(s, tc);
    return s;
}
