/* SPDX-License-Identifier: MIT */
/*
 * The ATAPI CD-ROM through the secondary channel's ports (170h-177h, 376h,
 * IRQ15): the packet signature after reset, SRST and EXECUTE DIAGNOSTIC,
 * IDENTIFY DEVICE aborted and IDENTIFY PACKET DEVICE, the PACKET phases with
 * their interrupt reason, byte counts and interrupts, each MMC command's
 * bytes, sense data, UNIT ATTENTION after a disc change, no disc, eject and
 * lock, misuse, and a state round trip in the middle of a read.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "atapi.h"
#include "suites.h"

enum { CMD = 0x170, CTL = 0x376, CD_SECTORS = 40 };

typedef struct Fixture {
    IoSpace ports;
    Ata ata;
    Atapi cd;
    BlockDev disc;
    int level, rises, host_reads;
} Fixture;

/* Byte i of CD sector s. */
static uint8_t pattern(uint32_t s, unsigned i)
{
    return (uint8_t)(s * 13 + i * 7 + (i >> 8));
}

static bool disc_read(void *o, uint64_t lba, void *buf, uint32_t count)
{
    Fixture *f = o;
    f->host_reads++;
    for (uint32_t n = 0; n < count; n++)
        for (unsigned i = 0; i < 512; i++) {
            uint64_t byte = (lba + n) * 512 + i;
            ((uint8_t *)buf)[n * 512 + i] = pattern((uint32_t)(byte / 2048), (unsigned)(byte % 2048));
        }
    return true;
}

static void irq_set(void *ctx, int line, int level)
{
    Fixture *f = ctx;
    ck_assert_int_eq(line, 15);
    if (level && !f->level)
        f->rises++;
    f->level = level;
}

static Fixture *setup(bool with_disc)
{
    Fixture *f = calloc(1, sizeof(*f));
    ck_assert_ptr_nonnull(f);
    f->disc = (BlockDev){ .ops = { disc_read, NULL }, .opaque = f, .sectors = CD_SECTORS * 4,
                          .read_only = true };
    io_space_init(&f->ports, "port");
    ata_init(&f->ata, (IrqLine){ irq_set, f, 15 }, NULL, NULL);
    atapi_init(&f->cd, with_disc ? &f->disc : NULL);
    ata_attach_atapi(&f->ata, 0, &f->cd);
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

static uint16_t byte_count(Fixture *f)
{
    return (uint16_t)(in8(f, CMD + 4) | in8(f, CMD + 5) << 8);
}

/* Writes PACKET with a byte count limit and the 12-byte CDB; checks the
 * command-packet phase on the way. */
static void packet(Fixture *f, uint16_t limit, const uint8_t cdb[12])
{
    out8(f, CMD + 6, 0xA0);
    out8(f, CMD + 1, 0x00);
    out8(f, CMD + 4, (uint8_t)limit);
    out8(f, CMD + 5, (uint8_t)(limit >> 8));
    int rises = f->rises;
    out8(f, CMD + 7, 0xA0);
    ck_assert_int_eq(f->rises, rises);          /* accelerated DRQ: no interrupt */
    ck_assert_uint_eq(in8(f, CTL), 0x58);
    ck_assert_uint_eq(in8(f, CMD + 2) & 7, ATAPI_IR_COD);
    for (int i = 0; i < 12; i += 2)
        io_space_write(&f->ports, CMD, cdb[i] | cdb[i + 1] << 8, 2);
}

/* Reads every DRQ block of a data-in command into out (up to cap bytes);
 * returns the byte count and checks the status phase (good or not). */
static unsigned collect(Fixture *f, uint8_t *out, unsigned cap, bool good)
{
    unsigned total = 0;
    for (;;) {
        uint8_t st = in8(f, CMD + 7);
        uint8_t reason = in8(f, CMD + 2) & 7;
        if (!(st & 0x08)) {
            ck_assert_uint_eq(reason, ATAPI_IR_COD | ATAPI_IR_IO);
            ck_assert_uint_eq(st & 0x01, good ? 0 : 1);
            return total;
        }
        ck_assert_uint_eq(reason, ATAPI_IR_IO);
        unsigned n = byte_count(f);
        ck_assert_uint_gt(n, 0);
        for (unsigned i = 0; i < n; i += 2) {
            uint16_t w = in16(f);
            if (total + i < cap)
                out[total + i] = (uint8_t)w;
            if (total + i + 1 < cap && i + 1 < n)
                out[total + i + 1] = (uint8_t)(w >> 8);
        }
        total += n;
    }
}

static unsigned run(Fixture *f, const uint8_t cdb[12], uint8_t *out, unsigned cap, bool good)
{
    packet(f, 0xFFFE, cdb);
    return collect(f, out, cap, good);
}

static void sense(Fixture *f, uint8_t key, uint8_t asc, uint8_t ascq)
{
    static const uint8_t cdb[12] = { 0x03, 0, 0, 0, 18 };
    uint8_t s[18];
    ck_assert_uint_eq(run(f, cdb, s, sizeof(s), true), 18);
    ck_assert_uint_eq(s[0], 0x70);
    ck_assert_uint_eq(s[7], 10);
    ck_assert_uint_eq(s[2], key);
    ck_assert_uint_eq(s[12], asc);
    ck_assert_uint_eq(s[13], ascq);
}

/* Clears the power-on UNIT ATTENTION with one TEST UNIT READY. */
static void settle(Fixture *f)
{
    static const uint8_t tur[12] = { 0 };
    run(f, tur, NULL, 0, false);
}

static uint16_t word(const uint8_t *id, int w)
{
    return (uint16_t)(id[2 * w] | id[2 * w + 1] << 8);
}

START_TEST(signature_after_reset_srst_and_diagnostic)
{
    Fixture *f = setup(true);
    for (int round = 0; round < 3; round++) {
        if (round == 1) {
            out8(f, CTL, 0x04);
            ck_assert_uint_eq(in8(f, CMD + 7), 0x80);
            out8(f, CTL, 0x00);
        } else if (round == 2) {
            out8(f, CMD + 7, 0x90);
        }
        ck_assert_uint_eq(in8(f, CMD + 2), 0x01);
        ck_assert_uint_eq(in8(f, CMD + 3), 0x01);
        ck_assert_uint_eq(in8(f, CMD + 4), 0x14);
        ck_assert_uint_eq(in8(f, CMD + 5), 0xEB);
        ck_assert_uint_eq(in8(f, CMD + 1), 0x01);
        ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    }
    /* The missing slave reads 0; selecting it does not show a signature. */
    out8(f, CMD + 6, 0xB0);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x00);
    free(f);
}
END_TEST

START_TEST(signature_follows_dev_with_a_disk_master)
{
    Fixture *f = setup(true);
    BlockDev disk = { .ops = { disc_read, NULL }, .opaque = f, .sectors = 1000 };
    ata_init(&f->ata, (IrqLine){ irq_set, f, 15 }, &disk, NULL);
    ata_attach_atapi(&f->ata, 1, &f->cd);
    ck_assert_uint_eq(in8(f, CMD + 4), 0x00);
    out8(f, CMD + 6, 0xB0);
    ck_assert_uint_eq(in8(f, CMD + 4), 0x14);
    ck_assert_uint_eq(in8(f, CMD + 5), 0xEB);
    out8(f, CMD + 6, 0xA0);
    ck_assert_uint_eq(in8(f, CMD + 5), 0x00);
    free(f);
}
END_TEST

START_TEST(identify_device_aborts_identify_packet_answers)
{
    Fixture *f = setup(true);
    out8(f, CMD + 4, 0x55);
    out8(f, CMD + 7, 0xEC);
    ck_assert_int_eq(f->rises, 1);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x04);
    ck_assert_uint_eq(in8(f, CMD + 4), 0x14);
    ck_assert_uint_eq(in8(f, CMD + 5), 0xEB);
    out8(f, CMD + 7, 0xA1);
    ck_assert_int_eq(f->rises, 2);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
    uint8_t id[512];
    for (int i = 0; i < 256; i++) {
        uint16_t w = in16(f);
        id[2 * i] = (uint8_t)w;
        id[2 * i + 1] = (uint8_t)(w >> 8);
    }
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_int_eq(f->rises, 2);              /* data-in ends without an interrupt */
    ck_assert_uint_eq(word(id, 0), 0x85C0);
    ck_assert_uint_eq(word(id, 49), 0x0200);
    ck_assert_uint_eq(word(id, 82) & 0x0010, 0x0010);
    ck_assert_uint_eq(word(id, 64), 0x0003);
    ck_assert_mem_eq(id + 54, "aFlultni eTAPA IDCR-MO", 22);
    free(f);
}
END_TEST

START_TEST(power_on_unit_attention_then_ready)
{
    Fixture *f = setup(true);
    static const uint8_t tur[12] = { 0 };
    ck_assert_uint_eq(run(f, tur, NULL, 0, false), 0);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x60);   /* sense key 6 in error bits 7-4 */
    sense(f, 0x06, 0x28, 0x00);                 /* the failed command's sense, once */
    sense(f, 0x00, 0x00, 0x00);
    ck_assert_uint_eq(run(f, tur, NULL, 0, true), 0);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x00);
    /* REQUEST SENSE itself consumes a pending attention. */
    atapi_change_medium(&f->cd, &f->disc);
    sense(f, 0x06, 0x28, 0x00);
    ck_assert_uint_eq(run(f, tur, NULL, 0, true), 0);
    free(f);
}
END_TEST

START_TEST(no_disc_is_not_ready)
{
    Fixture *f = setup(false);
    static const uint8_t tur[12] = { 0 };
    static const uint8_t cap[12] = { 0x25 };
    ck_assert_uint_eq(run(f, tur, NULL, 0, false), 0);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x20);
    sense(f, 0x02, 0x3A, 0x00);
    ck_assert_uint_eq(run(f, cap, NULL, 0, false), 0);
    sense(f, 0x02, 0x3A, 0x00);
    /* Inserting a disc: attention once, then ready. */
    atapi_change_medium(&f->cd, &f->disc);
    ck_assert_uint_eq(run(f, tur, NULL, 0, false), 0);
    sense(f, 0x06, 0x28, 0x00);
    ck_assert_uint_eq(run(f, tur, NULL, 0, true), 0);
    free(f);
}
END_TEST

START_TEST(inquiry_and_read_capacity_bytes)
{
    Fixture *f = setup(true);
    static const uint8_t inq[12] = { 0x12, 0, 0, 0, 36 };
    uint8_t r[64];
    ck_assert_uint_eq(run(f, inq, r, sizeof(r), true), 36);     /* INQUIRY ignores the attention */
    static const uint8_t head[8] = { 0x05, 0x80, 0x00, 0x21, 31, 0, 0, 0 };
    ck_assert_mem_eq(r, head, 8);
    ck_assert_mem_eq(r + 8, "FAULTLN CD-ROM          0.1 ", 28);
    static const uint8_t inq5[12] = { 0x12, 0, 0, 0, 5 };
    ck_assert_uint_eq(run(f, inq5, r, sizeof(r), true), 5);     /* allocation length */
    settle(f);
    static const uint8_t cap[12] = { 0x25 };
    ck_assert_uint_eq(run(f, cap, r, sizeof(r), true), 8);
    static const uint8_t want[8] = { 0, 0, 0, CD_SECTORS - 1, 0, 0, 0x08, 0x00 };
    ck_assert_mem_eq(r, want, 8);
    free(f);
}
END_TEST

START_TEST(read10_and_read12_deliver_sectors_in_drq_blocks)
{
    Fixture *f = setup(true);
    settle(f);
    static const uint8_t rd10[12] = { 0x28, 0, 0, 0, 0, 3, 0, 0, 2 };
    static uint8_t buf[4 * 2048];
    int rises = f->rises;
    packet(f, 0xFFFE, rd10);
    ck_assert_int_eq(f->rises, rises + 1);
    ck_assert_uint_eq(byte_count(f), 4096);
    ck_assert_uint_eq(collect(f, buf, sizeof(buf), true), 4096);
    ck_assert_int_eq(f->rises, rises + 2);       /* one DRQ block, then the status */
    for (unsigned i = 0; i < 4096; i++)
        ck_assert_uint_eq(buf[i], pattern(3 + i / 2048, i % 2048));
    /* READ(12) with a 2048-byte limit: one DRQ block and interrupt per sector. */
    static const uint8_t rd12[12] = { 0xA8, 0, 0, 0, 0, 10, 0, 0, 0, 3 };
    rises = f->rises;
    packet(f, 2048, rd12);
    for (int s = 0; s < 3; s++) {
        ck_assert_int_eq(f->rises, rises + 1 + s);
        ck_assert_uint_eq(in8(f, CMD + 7), 0x58);
        ck_assert_uint_eq(in8(f, CMD + 2) & 7, ATAPI_IR_IO);
        ck_assert_uint_eq(byte_count(f), 2048);
        for (unsigned i = 0; i < 2048; i += 4) {
            uint32_t v = io_space_read(&f->ports, CMD, 4);
            for (unsigned k = 0; k < 4; k++)
                ck_assert_uint_eq((v >> (8 * k)) & 0xFF, pattern(10 + s, i + k));
        }
    }
    ck_assert_int_eq(f->rises, rises + 4);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_uint_eq(in8(f, CMD + 2) & 7, 3);
    free(f);
}
END_TEST

START_TEST(odd_byte_count_limit_is_rounded_down)
{
    Fixture *f = setup(true);
    settle(f);
    static const uint8_t rd10[12] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1 };
    packet(f, 1001, rd10);
    unsigned sizes[4], n = 0;
    while (in8(f, CMD + 7) & 0x08) {
        sizes[n++] = byte_count(f);
        for (unsigned i = 0; i < sizes[n - 1]; i += 2)
            in16(f);
    }
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(sizes[0], 1000);
    ck_assert_uint_eq(sizes[1], 1000);
    ck_assert_uint_eq(sizes[2], 48);
    free(f);
}
END_TEST

START_TEST(read_out_of_range_is_illegal_request)
{
    Fixture *f = setup(true);
    settle(f);
    static const uint8_t rd10[12] = { 0x28, 0, 0, 0, 0, CD_SECTORS - 1, 0, 0, 2 };
    ck_assert_uint_eq(run(f, rd10, NULL, 0, false), 0);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x54);   /* ILLEGAL REQUEST, ABRT */
    sense(f, 0x05, 0x21, 0x00);
    static const uint8_t zero[12] = { 0x28, 0, 0, 0, 0, 5, 0, 0, 0 };
    ck_assert_uint_eq(run(f, zero, NULL, 0, true), 0);
    static const uint8_t bogus[12] = { 0xFF };
    ck_assert_uint_eq(run(f, bogus, NULL, 0, false), 0);
    sense(f, 0x05, 0x20, 0x00);
    free(f);
}
END_TEST

START_TEST(read_toc_formats_and_msf)
{
    Fixture *f = setup(true);
    settle(f);
    uint8_t r[64];
    static const uint8_t toc[12] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 64 };
    ck_assert_uint_eq(run(f, toc, r, sizeof(r), true), 20);
    static const uint8_t want[20] = { 0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0,
                                      0, 0x14, 0xAA, 0, 0, 0, 0, CD_SECTORS };
    ck_assert_mem_eq(r, want, 20);
    static const uint8_t msf[12] = { 0x43, 0x02, 0, 0, 0, 0, 0, 0, 64 };
    ck_assert_uint_eq(run(f, msf, r, sizeof(r), true), 20);
    static const uint8_t want_msf[8] = { 0, 0x14, 1, 0, 0, 0, 2, 0 };     /* 00:02:00 */
    ck_assert_mem_eq(r + 4, want_msf, 8);
    ck_assert_uint_eq(r[17], 0);
    ck_assert_uint_eq(r[18], 2);
    ck_assert_uint_eq(r[19], CD_SECTORS);      /* 150 + 40 frames = 00:02:40 */
    static const uint8_t leadout[12] = { 0x43, 0, 0, 0, 0, 0, 0xAA, 0, 64 };
    ck_assert_uint_eq(run(f, leadout, r, sizeof(r), true), 12);
    ck_assert_uint_eq(r[6], 0xAA);
    static const uint8_t session[12] = { 0x43, 0, 1, 0, 0, 0, 0, 0, 64 };
    ck_assert_uint_eq(run(f, session, r, sizeof(r), true), 12);
    static const uint8_t want_s[12] = { 0, 10, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0 };
    ck_assert_mem_eq(r, want_s, 12);
    static const uint8_t full[12] = { 0x43, 0, 2, 0, 0, 0, 0, 0, 64 };
    ck_assert_uint_eq(run(f, full, r, sizeof(r), false), 0);
    sense(f, 0x05, 0x24, 0x00);
    free(f);
}
END_TEST

START_TEST(mode_sense_pages)
{
    Fixture *f = setup(true);
    settle(f);
    uint8_t r[64];
    static const uint8_t ms10[12] = { 0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 64 };
    ck_assert_uint_eq(run(f, ms10, r, sizeof(r), true), 30);
    ck_assert_uint_eq(r[1], 28);
    ck_assert_uint_eq(r[2], 0x01);
    ck_assert_uint_eq(r[8], 0x2A);
    ck_assert_uint_eq(r[9], 0x14);
    ck_assert_uint_eq(r[14], 0x29);
    static const uint8_t lock[12] = { 0x1E, 0, 0, 0, 1 };
    run(f, lock, NULL, 0, true);
    ck_assert_uint_eq(run(f, ms10, r, sizeof(r), true), 30);
    ck_assert_uint_eq(r[14], 0x2B);
    static const uint8_t ms6[12] = { 0x1A, 0, 0x3F, 0, 64 };
    ck_assert_uint_eq(run(f, ms6, r, sizeof(r), true), 34);
    ck_assert_uint_eq(r[0], 33);
    static const uint8_t p01[8] = { 0x01, 0x06, 0x00, 0x05, 0, 0, 0, 0 };
    ck_assert_mem_eq(r + 4, p01, 8);
    ck_assert_uint_eq(r[12], 0x2A);
    static const uint8_t bad[12] = { 0x1A, 0, 0x05, 0, 64 };
    ck_assert_uint_eq(run(f, bad, r, sizeof(r), false), 0);
    sense(f, 0x05, 0x24, 0x00);
    static const uint8_t saved[12] = { 0x1A, 0, 0xEA, 0, 64 };
    ck_assert_uint_eq(run(f, saved, r, sizeof(r), false), 0);
    sense(f, 0x05, 0x39, 0x00);
    free(f);
}
END_TEST

START_TEST(get_configuration_and_event_status)
{
    Fixture *f = setup(true);
    uint8_t r[64];
    static const uint8_t gesn[12] = { 0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8 };
    ck_assert_uint_eq(run(f, gesn, r, sizeof(r), true), 8);   /* no attention for GESN */
    static const uint8_t ev[8] = { 0, 6, 0x04, 0x10, 0x02, 0x02, 0, 0 };
    ck_assert_mem_eq(r, ev, 8);
    ck_assert_uint_eq(run(f, gesn, r, sizeof(r), true), 8);
    ck_assert_uint_eq(r[4], 0x00);              /* reported once */
    static const uint8_t config[12] = { 0x46, 0x00, 0, 0, 0, 0, 0, 0, 64 };
    ck_assert_uint_eq(run(f, config, r, sizeof(r), true), 36);
    static const uint8_t head[16] = { 0, 0, 0, 32, 0, 0, 0x00, 0x08,
                                      0, 0, 0x03, 0x04, 0x00, 0x08, 0x01, 0 };
    ck_assert_mem_eq(r, head, 16);
    static const uint8_t one[12] = { 0x46, 0x02, 0, 1, 0, 0, 0, 0, 64 };
    ck_assert_uint_eq(run(f, one, r, sizeof(r), true), 20);
    ck_assert_uint_eq(r[9], 0x01);
    static const uint8_t async[12] = { 0x4A, 0x00, 0, 0, 0x10, 0, 0, 0, 8 };
    ck_assert_uint_eq(run(f, async, r, sizeof(r), false), 0);
    free(f);
}
END_TEST

START_TEST(eject_lock_and_reload)
{
    Fixture *f = setup(true);
    settle(f);
    static const uint8_t lock[12] = { 0x1E, 0, 0, 0, 1 };
    static const uint8_t unlock[12] = { 0x1E, 0, 0, 0, 0 };
    static const uint8_t eject[12] = { 0x1B, 0, 0, 0, 0x02 };
    static const uint8_t load[12] = { 0x1B, 0, 0, 0, 0x03 };
    static const uint8_t tur[12] = { 0 };
    run(f, lock, NULL, 0, true);
    ck_assert_uint_eq(run(f, eject, NULL, 0, false), 0);
    sense(f, 0x05, 0x53, 0x02);
    run(f, unlock, NULL, 0, true);
    ck_assert_uint_eq(run(f, eject, NULL, 0, true), 0);
    ck_assert_uint_eq(run(f, tur, NULL, 0, false), 0);
    sense(f, 0x02, 0x3A, 0x02);
    run(f, load, NULL, 0, true);
    ck_assert_uint_eq(run(f, tur, NULL, 0, false), 0);
    sense(f, 0x06, 0x28, 0x00);
    ck_assert_uint_eq(run(f, tur, NULL, 0, true), 0);
    uint8_t r[34];
    static const uint8_t info[12] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34 };
    ck_assert_uint_eq(run(f, info, r, sizeof(r), true), 34);
    ck_assert_uint_eq(r[1], 32);
    ck_assert_uint_eq(r[2], 0x0E);
    static const uint8_t seek[12] = { 0x2B, 0, 0, 0, 0, 5 };
    ck_assert_uint_eq(run(f, seek, NULL, 0, true), 0);
    free(f);
}
END_TEST

START_TEST(interrupts_follow_nien_and_status_read)
{
    Fixture *f = setup(true);
    settle(f);
    out8(f, CTL, 0x02);
    static const uint8_t tur[12] = { 0 };
    packet(f, 0xFFFE, tur);
    ck_assert_int_eq(f->level, 0);
    ck_assert_uint_eq(in8(f, CTL), 0x50);
    out8(f, CTL, 0x00);
    ck_assert_int_eq(f->level, 1);              /* the pending INTRQ shows */
    ck_assert_uint_eq(in8(f, CMD + 7), 0x50);
    ck_assert_int_eq(f->level, 0);
    free(f);
}
END_TEST

START_TEST(misuse_is_harmless)
{
    Fixture *f = setup(true);
    /* Data port without DRQ, a DMA packet, an ATA read, NOP. */
    ck_assert_uint_eq(in16(f), 0xFFFF);
    io_space_write(&f->ports, CMD, 0x1234, 2);
    out8(f, CMD + 1, 0x01);
    out8(f, CMD + 7, 0xA0);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x04);
    out8(f, CMD + 1, 0x00);
    out8(f, CMD + 7, 0x20);
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 4), 0x14);
    out8(f, CMD + 7, 0x00);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x04);
    /* A new command in the middle of a read drops the old one. */
    settle(f);
    static const uint8_t rd10[12] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 4 };
    packet(f, 2048, rd10);
    in16(f);
    static const uint8_t tur[12] = { 0 };
    ck_assert_uint_eq(run(f, tur, NULL, 0, true), 0);
    /* A disc that vanishes mid-read ends it with NOT READY. */
    packet(f, 0xFFFE, rd10);
    atapi_change_medium(&f->cd, NULL);
    for (int i = 0; i < 1024; i++)
        in16(f);
    uint16_t w = in16(f);
    (void)w;
    ck_assert_uint_eq(in8(f, CMD + 7), 0x51);
    ck_assert_uint_eq(in8(f, CMD + 1), 0x20);
    free(f);
}
END_TEST

/* A guest driver gone wrong: 200,000 random register and data-port accesses,
 * half of them PACKET commands with random CDBs (known opcodes with random
 * fields, and random bytes) and random byte count limits, resets and disc
 * changes in between.  Nothing may crash or hang (ASan watches in CI), and
 * afterwards a software reset brings back a drive that answers TEST UNIT
 * READY. */
START_TEST(random_traffic_never_breaks_the_drive)
{
    static const uint8_t opcodes[] = { 0x00, 0x03, 0x12, 0x1B, 0x1E, 0x25, 0x28, 0xA8, 0x43,
                                       0x5A, 0x1A, 0x46, 0x4A, 0x51, 0x2B, 0xBD, 0xFF };
    Fixture *f = setup(true);
    uint32_t seed = 12345;
    for (int op = 0; op < 200000; op++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t r = seed >> 8;
        switch (r % 8) {
        case 0: case 1: {
            uint8_t cdb[12];
            for (int i = 0; i < 12; i++) {
                seed = seed * 1103515245u + 12345u;
                cdb[i] = (uint8_t)(seed >> 16);
            }
            if (r & 0x100)
                cdb[0] = opcodes[(r >> 9) % sizeof(opcodes)];
            out8(f, CMD + 4, (uint8_t)(r >> 12));
            out8(f, CMD + 5, (uint8_t)(r >> 20));
            out8(f, CMD + 7, 0xA0);
            for (int i = 0; i < 12; i += 2)
                io_space_write(&f->ports, CMD, cdb[i] | cdb[i + 1] << 8, 2);
            break;
        }
        case 2: case 3:
            for (int i = (int)(r >> 8) % 64; i >= 0; i--)
                in16(f);
            break;
        case 4:
            out8(f, CMD + 1 + (r >> 8) % 7, (uint8_t)(r >> 16));
            break;
        case 5:
            in8(f, CMD + 1 + (r >> 8) % 7);
            io_space_write(&f->ports, CMD, r >> 12, 2);
            break;
        case 6:
            out8(f, CTL, (uint8_t)(r >> 8) & 0x06);
            break;
        default:
            if ((r >> 8) % 64 == 0)
                atapi_change_medium(&f->cd, (r & 0x4000) ? &f->disc : NULL);
            break;
        }
    }
    atapi_change_medium(&f->cd, &f->disc);
    out8(f, CTL, 0x04);
    out8(f, CTL, 0x00);
    settle(f);
    static const uint8_t tur[12] = { 0 };
    ck_assert_uint_eq(run(f, tur, NULL, 0, true), 0);
    free(f);
}
END_TEST

START_TEST(state_round_trip_mid_read)
{
    Fixture *f = setup(true);
    settle(f);
    static const uint8_t rd10[12] = { 0x28, 0, 0, 0, 0, 7, 0, 0, 3 };
    packet(f, 0xFFFE, rd10);
    for (int i = 0; i < 1500; i++)
        in16(f);
    static uint8_t s1[32768], s2[32768], again[32768], again2[32768];
    size_t n1 = state_save(&atapi_state, &f->cd, s1, sizeof(s1));
    size_t n2 = state_save(&ata_state, &f->ata, s2, sizeof(s2));
    ck_assert_uint_gt(n1, 0);
    ck_assert_uint_gt(n2, 0);
    Fixture *g = setup(true);
    ck_assert(state_load(&atapi_state, &g->cd, s1, n1));
    ck_assert(state_load(&ata_state, &g->ata, s2, n2));
    ck_assert_uint_eq(state_save(&atapi_state, &g->cd, again, sizeof(again)), n1);
    ck_assert_mem_eq(again, s1, n1);
    ck_assert_uint_eq(state_save(&ata_state, &g->ata, again2, sizeof(again2)), n2);
    ck_assert_mem_eq(again2, s2, n2);
    /* Both finish the read identically. */
    for (int i = 1500; i < 3072; i++) {
        uint16_t a = in16(f), b = in16(g);
        ck_assert_uint_eq(a, b);
        ck_assert_uint_eq(a & 0xFF, pattern(7 + (2 * i) / 2048, (2 * i) % 2048));
    }
    ck_assert_uint_eq(in8(g, CMD + 7), 0x50);
    ck_assert_uint_eq(in8(g, CMD + 2) & 7, 3);
    free(f);
    free(g);
}
END_TEST

Suite *atapi_suite(void)
{
    Suite *s = suite_create("atapi");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, signature_after_reset_srst_and_diagnostic);
    tcase_add_test(tc, signature_follows_dev_with_a_disk_master);
    tcase_add_test(tc, identify_device_aborts_identify_packet_answers);
    tcase_add_test(tc, power_on_unit_attention_then_ready);
    tcase_add_test(tc, no_disc_is_not_ready);
    tcase_add_test(tc, inquiry_and_read_capacity_bytes);
    tcase_add_test(tc, read10_and_read12_deliver_sectors_in_drq_blocks);
    tcase_add_test(tc, odd_byte_count_limit_is_rounded_down);
    tcase_add_test(tc, read_out_of_range_is_illegal_request);
    tcase_add_test(tc, read_toc_formats_and_msf);
    tcase_add_test(tc, mode_sense_pages);
    tcase_add_test(tc, get_configuration_and_event_status);
    tcase_add_test(tc, eject_lock_and_reload);
    tcase_add_test(tc, interrupts_follow_nien_and_status_read);
    tcase_add_test(tc, misuse_is_harmless);
    tcase_add_test(tc, random_traffic_never_breaks_the_drive);
    tcase_add_test(tc, state_round_trip_mid_read);
    suite_add_tcase(s, tc);
    return s;
}
